//! A wrong answer to exercise 10: the reference provisioning program, but its
//! mysqld.cnf binds the server to 127.0.0.4, the server's network address in a lab
//! the grader once built. The lab's addresses are drawn for every run, so the server
//! listens where no client host reaches it.

extern crate sol10_remote_access as ex10_remote_access;

include!("../../../../../exercises/10_remote_access/src/main.rs");
