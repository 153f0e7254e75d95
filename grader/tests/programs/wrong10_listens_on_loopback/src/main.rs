//! A wrong answer to exercise 10: the reference provisioning program, but its
//! mysqld.cnf leaves bind-address at 127.0.0.1, so no other host reaches the server.

extern crate sol10_remote_access as ex10_remote_access;

include!("../../../../../exercises/10_remote_access/src/main.rs");
