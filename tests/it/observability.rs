//! Prometheus endpoint and the counters behind it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

use crate::support::Server;

fn free_port() -> u16 {
    // The listener is dropped before shoal binds; a race with another
    // process is possible but harmless on a test machine.
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn http_get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    body
}

#[test]
fn metrics_endpoint_serves_command_and_keyspace_counters() {
    let port = free_port();
    let s = Server::start_with(&["--metrics-port", &port.to_string()]);
    let mut raw = s.raw();
    raw.cmd(&["SET", "k", "v"]);
    raw.cmd(&["GET", "k"]);
    raw.cmd(&["GET", "missing"]);
    let page = http_get(port, "/metrics");
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    assert!(page.contains("shoal_commands_total{cmd=\"get\"} 2"), "{page}");
    assert!(page.contains("shoal_commands_total{cmd=\"set\"} 1"), "{page}");
    assert!(page.contains("shoal_keyspace_hits_total 1"), "{page}");
    assert!(page.contains("shoal_keyspace_misses_total 1"), "{page}");
    assert!(page.contains("shoal_command_duration_seconds_bucket"), "{page}");
    assert!(page.contains("shoal_connected_clients 1"), "{page}");
    assert!(http_get(port, "/nope").starts_with("HTTP/1.1 404"));
}
