// The provisioning program of exercise 10. This file is given: it reads the account
// to create from the command line, asks `provisioning_statements` in src/lib.rs (your
// part) what to run, and runs it as the administrator.
//
//     ADMIN_URL='mysql://ADMIN:PASSWORD@HOST:PORT?prefer_socket=false' APP_PASSWORD=… \
//         cargo run -p ex10_remote_access -- CLIENT_HOST DATABASE USER
//
// prints each statement (its password hidden) as it runs it. With `--print` first, it
// prints the statements with the password instead, connecting nowhere, for you to
// paste into `sudo mysql` on a server of your own. The grader runs it for you
// (`cargo grader check 10`).

use std::process::ExitCode;

use ex10_remote_access::{provisioning_statements, AppAccount};
use mysql::prelude::Queryable as _;

const USAGE: &str = "usage: ex10_remote_access [--print] CLIENT_HOST DATABASE USER  (with APP_PASSWORD, and ADMIN_URL unless --print, in the environment)";

// ANCHOR: main
fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let print_only = args.first().is_some_and(|arg| arg == "--print");
    if print_only {
        args.remove(0);
    }
    let account = match account_from(&args, std::env::var("APP_PASSWORD").ok()) {
        Ok(account) => account,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let statements = provisioning_statements(&account);
    if print_only {
        for statement in &statements {
            println!("{statement};");
        }
        return ExitCode::SUCCESS;
    }
    let Ok(admin_url) = std::env::var("ADMIN_URL") else {
        eprintln!("error: ADMIN_URL is not set: give me mysql://ADMIN:PASSWORD@HOST:PORT, or let `cargo grader check` run me\n{USAGE}");
        return ExitCode::from(2);
    };
    match run_as_admin(&admin_url, &statements, &account.password) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main

/// Connects with `admin_url` and runs `statements` in order, printing each one with
/// `password` hidden.
fn run_as_admin(
    admin_url: &str,
    statements: &[String],
    password: &str,
) -> Result<(), mysql::Error> {
    let mut conn = mysql::Conn::new(mysql::Opts::from_url(admin_url)?)?;
    for statement in statements {
        println!("{};", statement.replace(password, "********"));
        conn.query_drop(statement)?;
    }
    Ok(())
}

/// The account the arguments name: CLIENT_HOST DATABASE USER, and the password.
fn account_from(args: &[String], password: Option<String>) -> Result<AppAccount, String> {
    let [client_host, database, user] = args else {
        return Err(format!("expected 3 arguments, got {}", args.len()));
    };
    let password =
        password.ok_or("APP_PASSWORD is not set: put the application's password there")?;
    let account = AppAccount {
        user: user.clone(),
        password,
        client_host: client_host.clone(),
        database: database.clone(),
    };
    for (what, value) in [
        ("CLIENT_HOST", &account.client_host),
        ("DATABASE", &account.database),
        ("USER", &account.user),
        ("APP_PASSWORD", &account.password),
    ] {
        let plain = |c: char| c.is_ascii_alphanumeric() || "._-%:".contains(c);
        if value.is_empty() || !value.chars().all(plain) {
            return Err(format!(
                "{what} must be letters, digits and . _ - % : only, so that it is safe in SQL"
            ));
        }
    }
    Ok(account)
}
