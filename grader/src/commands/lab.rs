//! `grader lab`: the two-host lab on your own hosts. On the client host, with the
//! application's URL, it proves what that host can; `lab probe HOST` from anywhere
//! else expects port 3306 to stay shut. The work is in [`crate::lab`].

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result};

use super::Format;
use crate::lab::{self, target::Target, LabReport};
use crate::output::print;

/// The examples and exit codes under `lab --help`.
pub const HELP: &str = "\
Examples:
  on the client host, with the application's account:
    cargo grader lab mysql://app:PASSWORD@172.31.5.10:3306/appdb
    cargo grader lab \"$DATABASE_URL\" --admin mysql://grader:PASSWORD@172.31.5.10:3306
  from your own machine, or any host that is not the client host:
    cargo grader lab probe 172.31.5.10
    cargo grader lab probe mysql://app:PASSWORD@172.31.5.10:3306

Exit codes:
  0    every step it could check is as the lab asks
  1    some step is not as the lab asks (each says what to do)
  2    the grader could not do its job (bad arguments, a name that does not resolve)";

/// `grader lab`'s options.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    probe: Option<Command>,
    /// The application's account as the client host uses it:
    /// mysql://USER:PASSWORD@SERVER_PRIVATE_IP:3306/DATABASE.
    #[arg(value_name = "URL", env = "DATABASE_URL", hide_env_values = true)]
    url: Option<String>,
    /// An administrator's account on the same server, to read its bind-address and accounts
    /// (in the environment, it stays out of your shell's history).
    #[arg(long, value_name = "URL", env = "GRADER_LAB_ADMIN", hide_env_values = true)]
    admin: Option<String>,
    #[command(flatten)]
    output: Output,
}

/// The other host's view.
#[derive(Debug, clap::Subcommand)]
enum Command {
    /// From a host that is not the client host: port 3306 must stay shut to it.
    Probe(ProbeArgs),
}

/// `grader lab probe`'s options.
#[derive(Debug, clap::Args)]
struct ProbeArgs {
    /// The server: HOST[:PORT], or the application's URL to try its account too.
    #[arg(value_name = "HOST[:PORT]|URL")]
    target: String,
    #[command(flatten)]
    output: Output,
}

/// How long to wait, and for whom to write.
#[derive(Debug, clap::Args)]
struct Output {
    /// How long a connection may take before it counts as dropped.
    #[arg(long, value_name = "SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// For people, or one JSON document for scripts.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Examines the lab from this host and reports; the exit code says how it went.
pub fn run(args: &Args) -> Result<ExitCode> {
    let (report, output) = match &args.probe {
        Some(Command::Probe(probe)) => {
            let target = Target::parse(&probe.target)?;
            (lab::probe::probe(&target, timeout(&probe.output)), &probe.output)
        }
        None => {
            let url = args.url.as_deref().context(
                "name the application's account: cargo grader lab mysql://USER:PASSWORD@SERVER_PRIVATE_IP:3306/DATABASE \
                 (or set DATABASE_URL); from a host that is not the client host, run cargo grader lab probe HOST",
            )?;
            let app = Target::parse(url)?;
            let admin = args.admin.as_deref().map(Target::parse).transpose()?;
            (lab::client::examine(&app, admin.as_ref(), timeout(&args.output)), &args.output)
        }
    };
    show(&report, output.format)?;
    Ok(if report.has_failures() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn timeout(output: &Output) -> Duration {
    Duration::from_secs(output.timeout)
}

fn show(report: &LabReport, format: Format) -> Result<()> {
    print(&match format {
        Format::Human => lab::render::render(report),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(report)?),
    });
    Ok(())
}
