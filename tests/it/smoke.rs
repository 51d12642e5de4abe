//! The harness itself: shoal starts, answers, and matches the oracle.

use crate::support::Pair;

#[test]
fn ping_and_unknown_command_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["PING"],
        &["PING", "hello"],
        &["NOSUCHCMD", "a", "b"],
        &["SET", "k", "v"],
        &["GET", "k"],
        &["GET", "missing"],
    ]);
}

#[test]
fn redis_crate_client_can_set_and_get() {
    let s = crate::support::Server::start();
    let mut c = s.client();
    let _: () = redis::cmd("SET").arg("k").arg("v").query(&mut c).unwrap();
    let v: String = redis::cmd("GET").arg("k").query(&mut c).unwrap();
    assert_eq!(v, "v");
}

#[test]
fn a_subcommand_pipe_name_is_not_a_command() {
    let mut p = Pair::start();
    p.check(&[
        &["client|list"],
        &["config|get", "port"],
        &["COMMAND", "INFO", "client|list"],
    ]);
}
