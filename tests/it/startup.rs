//! Starting the server: config file, command-line parameters, limits that
//! close a connection, and graceful stop on SIGINT.

use std::time::Duration;

use crate::support::{Server, TempDir};

#[test]
fn config_file_then_flags_configure_the_server() {
    let dir = TempDir::new("conf");
    let conf = dir.0.join("shoal.conf");
    std::fs::write(&conf, "# test config\ndatabases 4\nmaxmemory 2mb\nhz 20\n").unwrap();
    let s = Server::start_with(&[conf.to_str().unwrap(), "--hz", "15", "--save", ""]);
    let mut raw = s.raw();
    assert_eq!(raw.cmd(&["SELECT", "3"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["SELECT", "4"]), b"-ERR DB index is out of range\r\n");
    // The flag given after the file wins.
    assert_eq!(raw.cmd(&["CONFIG", "GET", "hz"]), b"*2\r\n$2\r\nhz\r\n$2\r\n15\r\n");
    assert_eq!(
        raw.cmd(&["CONFIG", "GET", "maxmemory"]),
        b"*2\r\n$9\r\nmaxmemory\r\n$7\r\n2097152\r\n"
    );
}

#[test]
fn unknown_parameter_on_the_command_line_refuses_to_start() {
    let out = std::process::Command::new(crate::support::shoal_bin())
        .args(["--port", "0", "--no-such-parameter", "1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-parameter"));
}

#[test]
fn config_error_is_one_line_without_a_backtrace() {
    let out = std::process::Command::new(crate::support::shoal_bin())
        .args(["--port", "0", "--maxmemory-policy", "most-recent"])
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "stderr: {err}");
    assert!(err.contains("maxmemory-policy"), "stderr: {err}");
    assert!(!err.contains("backtrace"), "stderr: {err}");
}

#[test]
fn query_buffer_over_the_limit_closes_only_that_client() {
    let s = Server::start_with(&["--client-query-buffer-limit", "1mb"]);
    let mut greedy = s.raw();
    // A bulk announced as 3 MiB (under proto-max-bulk-len) but fed past 1 MiB.
    greedy.send_bytes(b"*2\r\n$3\r\nGET\r\n$3145728\r\n");
    let chunk = vec![b'x'; 256 * 1024];
    let mut closed = false;
    for _ in 0..12 {
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| greedy.send_bytes(&chunk))).is_err() {
            closed = true;
            break;
        }
    }
    if !closed {
        closed = greedy.is_closed();
    }
    assert!(closed, "connection over client-query-buffer-limit stayed open");
    let mut other = s.raw();
    assert_eq!(other.cmd(&["PING"]), b"+PONG\r\n");
}

#[test]
fn sigint_stops_the_server_with_status_zero() {
    let mut s = Server::start();
    let mut raw = s.raw();
    assert_eq!(raw.cmd(&["PING"]), b"+PONG\r\n");
    s.signal("INT");
    assert_eq!(s.wait_exit(Duration::from_secs(20)), Some(0));
    assert!(raw.is_closed());
}
