//! A check's account is for one address only: on a loopback server, one drawn anew
//! for every sandbox, so that no program can write it down beforehand, and the
//! account refuses the same password from any other address.

use std::net::{IpAddr, Ipv4Addr};

use grader::sandbox::{Hosts, Sandbox};
use grader::server::{BackendChoice, Endpoint, Notices, Server, ServerSettings};
use mysql::prelude::Queryable as _;
use mysql::Conn;

fn local_server() -> Server {
    let settings = ServerSettings {
        backend: BackendChoice::Local,
        server_url: None,
        image: String::new(),
        image_chosen: false,
    };
    Server::start(&settings, &Notices).expect("a local server starts")
}

fn hosts_of(server: &Server, user: &str) -> Vec<String> {
    let mut admin = server.admin_conn().expect("the administrator connects");
    admin.exec("SELECT Host FROM mysql.user WHERE User = ?", (user,)).expect("mysql.user is read")
}

#[test]
fn a_checks_account_is_for_one_drawn_loopback_address() {
    let server = local_server();
    let first = Sandbox::create(&server, "99").expect("a sandbox");
    let second = Sandbox::create(&server, "99").expect("another sandbox");
    for sandbox in [&first, &second] {
        let address: Ipv4Addr = sandbox.host.parse().expect("the account's host is an address");
        assert!(address.is_loopback() && address != Ipv4Addr::LOCALHOST, "{address}");
        assert_eq!(sandbox.source, Some(IpAddr::V4(address)));
        assert_eq!(hosts_of(&server, &sandbox.user), std::slice::from_ref(&sandbox.host));

        let mut conn = Conn::new(sandbox.endpoint().opts(Some(&sandbox.database)))
            .expect("the account gets in from its address");
        let current: Option<String> = conn.query_first("SELECT CURRENT_USER()").unwrap();
        assert_eq!(current.as_deref(), Some(format!("{}@{}", sandbox.user, sandbox.host).as_str()));

        // The same password from 127.0.0.1, as from a program that went round the
        // grader's recorder: no account is for that address. (MariaDB answers 1045
        // or, where it emulates a login for a user it does not have, 1698.)
        let elsewhere = Endpoint { source: None, ..sandbox.endpoint() };
        match Conn::new(elsewhere.opts(Some(&sandbox.database))) {
            Err(mysql::Error::MySqlError(error)) => {
                assert!([1045, 1698].contains(&error.code), "{error}")
            }
            Err(other) => panic!("expected access denied, got {other}"),
            Ok(_) => panic!("{} got in from 127.0.0.1", sandbox.account()),
        }
    }
    assert_ne!(first.host, second.host, "two sandboxes drew the same address");

    let user = first.user.clone();
    first.remove().expect("the sandbox is removed");
    assert!(hosts_of(&server, &user).is_empty(), "the account outlived its sandbox");
}

#[test]
fn an_account_used_by_hand_is_for_any_host() {
    let server = local_server();
    let sandbox =
        Sandbox::create_named(&server, "gr99_byhand", Hosts::Any).expect("a sandbox for any host");
    assert_eq!((sandbox.host.as_str(), sandbox.source), ("%", None));
    assert_eq!(hosts_of(&server, "gr99_byhand"), ["%"]);
    Conn::new(sandbox.endpoint().opts(Some(&sandbox.database)))
        .expect("the account gets in from 127.0.0.1");
}
