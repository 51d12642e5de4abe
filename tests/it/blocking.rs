//! Blocking list commands with several real connections. Each scenario runs
//! step by step against shoal and against the oracle, and the transcripts
//! (every reply, in order) must be identical.
//!
//! A client is known to be parked when `INFO clients` reports the expected
//! `blocked_clients` (polled in a bounded loop): no sleep ever stands in for
//! synchronisation, and nothing asserts on timing. The only timeouts used
//! are short ones whose expiry is awaited, never measured.

use std::time::Duration;

use crate::support::{show, Pair, Raw};

/// One step of a multi-client scenario. Connection 0 is the controller.
enum Step<'a> {
    /// Send a command on a connection and record its reply.
    Cmd(usize, &'a [&'a str]),
    /// Send a command and read its reply without recording it (the reply
    /// differs between servers, as `HELLO`'s does).
    Quiet(usize, &'a [&'a str]),
    /// Send a command without reading its reply (it blocks).
    Send(usize, &'a [&'a str]),
    /// Read and record one reply from a connection.
    Recv(usize),
    /// Wait until exactly this many clients are blocked.
    Blocked(usize),
    /// `CLIENT KILL ID <id of connection>` from connection 0, recorded.
    Kill(usize),
    /// `CLIENT UNBLOCK <id of connection> [reason]` from connection 0, recorded.
    Unblock(usize, Option<&'a str>),
    /// Close a connection.
    Close(usize),
    /// Record whether a connection was closed by the server.
    Closed(usize),
    /// Send several commands in one write on a connection (a pipeline).
    Pipeline(usize, &'a [&'a [&'a str]]),
}

use Step::*;

/// The number of blocked clients `INFO clients` reports.
fn blocked_clients(c: &mut Raw) -> usize {
    let info = String::from_utf8_lossy(&c.cmd(&["INFO", "clients"])).into_owned();
    info.lines()
        .find_map(|l| l.strip_prefix("blocked_clients:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(usize::MAX)
}

/// Polls until `n` clients are blocked (bounded: about 10 s).
fn poll_blocked(c: &mut Raw, n: usize) -> bool {
    for _ in 0..2000 {
        if blocked_clients(c) == n {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

/// Like [`poll_blocked`], failing the test if it never happens.
fn wait_blocked(c: &mut Raw, n: usize) {
    assert!(
        poll_blocked(c, n),
        "never saw {n} blocked clients (now {})",
        blocked_clients(c)
    );
}

fn client_id(c: &mut Raw) -> String {
    let r = c.cmd(&["CLIENT", "ID"]);
    String::from_utf8_lossy(&r[1..r.len() - 2]).into_owned()
}

/// Runs a scenario on one server; returns the recorded replies.
fn run(name: &str, connect: &dyn Fn() -> Raw, steps: &[Step<'_>]) -> Vec<String> {
    let mut conns: Vec<Option<(Raw, String)>> = Vec::new();
    let mut transcript = Vec::new();
    fn conn<'c>(
        conns: &'c mut Vec<Option<(Raw, String)>>,
        connect: &dyn Fn() -> Raw,
        i: usize,
    ) -> &'c mut (Raw, String) {
        while conns.len() <= i {
            conns.push(None);
        }
        if conns[i].is_none() {
            let mut c = connect();
            let id = client_id(&mut c);
            conns[i] = Some((c, id));
        }
        conns[i].as_mut().unwrap()
    }
    conn(&mut conns, connect, 0).0.cmd(&["FLUSHALL"]);
    for step in steps {
        match step {
            Cmd(i, args) => {
                let r = conn(&mut conns, connect, *i).0.cmd(args);
                transcript.push(format!("{i} {args:?} -> {}", show(&r)));
            }
            Quiet(i, args) => {
                conn(&mut conns, connect, *i).0.cmd(args);
            }
            Send(i, args) => {
                let bytes: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
                conn(&mut conns, connect, *i)
                    .0
                    .send_bytes(&crate::support::encode(&bytes));
            }
            Recv(i) => {
                let r = conn(&mut conns, connect, *i).0.read_reply();
                transcript.push(format!("{i} <- {}", show(&r)));
            }
            Blocked(n) => {
                let c = &mut conn(&mut conns, connect, 0).0;
                if !poll_blocked(c, *n) {
                    panic!("{name}: never saw {n} blocked clients; so far: {transcript:#?}");
                }
            }
            Kill(i) => {
                let id = conn(&mut conns, connect, *i).1.clone();
                let r = conn(&mut conns, connect, 0).0.cmd(&["CLIENT", "KILL", "ID", &id]);
                transcript.push(format!("kill {i} -> {}", show(&r)));
            }
            Unblock(i, reason) => {
                let id = conn(&mut conns, connect, *i).1.clone();
                let mut args = vec!["CLIENT", "UNBLOCK", id.as_str()];
                args.extend(reason.iter());
                let r = conn(&mut conns, connect, 0).0.cmd(&args);
                transcript.push(format!("unblock {i} {reason:?} -> {}", show(&r)));
            }
            Close(i) => {
                if let Some(slot) = conns.get_mut(*i) {
                    *slot = None;
                }
            }
            Closed(i) => {
                let closed = conn(&mut conns, connect, *i).0.is_closed();
                transcript.push(format!("{i} closed: {closed}"));
            }
            Pipeline(i, cmds) => {
                let mut bytes = Vec::new();
                for args in cmds.iter() {
                    let a: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
                    bytes.extend(crate::support::encode(&a));
                }
                conn(&mut conns, connect, *i).0.send_bytes(&bytes);
            }
        }
    }
    transcript
}

/// Runs the scenario on shoal and on the oracle and compares the transcripts.
fn check(steps: &[Step<'_>]) {
    let p = Pair::start();
    let shoal = &p.shoal;
    let redis = &p.redis;
    let ours = run("shoal", &|| shoal.raw(), steps);
    let theirs = run("redis", &|| redis.raw(), steps);
    assert_eq!(ours, theirs, "transcripts differ (left: shoal, right: redis)");
}

#[test]
fn clients_blocked_on_a_key_are_served_first_come_first_served() {
    check(&[
        Send(1, &["BLPOP", "k", "0"]),
        Blocked(1),
        Send(2, &["BLPOP", "k", "0"]),
        Blocked(2),
        Send(3, &["BRPOP", "other", "k", "0"]),
        Blocked(3),
        Cmd(0, &["RPUSH", "k", "a"]),
        Recv(1),
        Blocked(2),
        Cmd(0, &["RPUSH", "k", "b", "c", "d"]),
        Recv(2),
        Recv(3),
        Cmd(0, &["LRANGE", "k", "0", "-1"]),
        Blocked(0),
    ]);
}

#[test]
fn a_push_to_any_of_several_keys_serves_the_waiter() {
    check(&[
        Send(1, &["BRPOP", "a", "b", "c", "0"]),
        Blocked(1),
        Cmd(0, &["RPUSH", "c", "x", "y"]),
        Recv(1),
        Send(1, &["BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2"]),
        Blocked(1),
        Cmd(0, &["RPUSH", "b", "1", "2", "3"]),
        Recv(1),
        Cmd(0, &["LRANGE", "b", "0", "-1"]),
        Send(1, &["BLMPOP", "0", "1", "a", "LEFT"]),
        Blocked(1),
        Cmd(0, &["LPUSH", "a", "1", "2", "3"]),
        Recv(1),
    ]);
}

#[test]
fn a_transaction_wakes_waiters_after_exec_with_the_final_state() {
    check(&[
        Send(1, &["BLPOP", "k", "0"]),
        Blocked(1),
        Send(2, &["BLPOP", "k", "0"]),
        Blocked(2),
        Cmd(0, &["MULTI"]),
        Cmd(0, &["RPUSH", "k", "a", "b", "c"]),
        Cmd(0, &["LPOP", "k"]),
        Cmd(0, &["EXEC"]),
        Recv(1),
        Recv(2),
        Cmd(0, &["LRANGE", "k", "0", "-1"]),
        // Pushed and emptied inside the transaction: nobody is served.
        Send(1, &["BLPOP", "k", "0"]),
        Blocked(1),
        Cmd(0, &["MULTI"]),
        Cmd(0, &["RPUSH", "k", "gone"]),
        Cmd(0, &["DEL", "k"]),
        Cmd(0, &["EXEC"]),
        Blocked(1),
        Cmd(0, &["RPUSH", "k", "late"]),
        Recv(1),
    ]);
}

#[test]
fn a_waiter_on_several_keys_is_served_from_the_key_that_became_ready() {
    check(&[
        Send(1, &["BLPOP", "a", "b", "0"]),
        Blocked(1),
        Cmd(0, &["MULTI"]),
        Cmd(0, &["RPUSH", "b", "x"]),
        Cmd(0, &["RPUSH", "a", "y"]),
        Cmd(0, &["EXEC"]),
        Recv(1),
        Cmd(0, &["DEL", "a", "b"]),
        Send(1, &["BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "5"]),
        Blocked(1),
        Cmd(0, &["SET", "a", "string"]),
        Cmd(0, &["RPUSH", "b", "1", "2"]),
        Recv(1),
        Cmd(0, &["DEL", "a"]),
        Send(1, &["BRPOP", "a", "b", "0"]),
        Blocked(1),
        Cmd(0, &["MULTI"]),
        Cmd(0, &["RPUSH", "a", "p"]),
        Cmd(0, &["RPUSH", "b", "q"]),
        Cmd(0, &["EXEC"]),
        Recv(1),
        Cmd(0, &["LRANGE", "b", "0", "-1"]),
    ]);
}

#[test]
fn lmove_and_rpoplpush_into_a_waited_key_wake_the_waiter() {
    check(&[
        Cmd(0, &["RPUSH", "src", "a", "b"]),
        Send(1, &["BLPOP", "dst", "0"]),
        Blocked(1),
        Cmd(0, &["LMOVE", "src", "dst", "LEFT", "RIGHT"]),
        Recv(1),
        Send(1, &["BRPOP", "dst", "0"]),
        Blocked(1),
        Cmd(0, &["RPOPLPUSH", "src", "dst"]),
        Recv(1),
        Cmd(0, &["EXISTS", "src", "dst"]),
    ]);
}

#[test]
fn a_served_blmove_pushes_on_and_wakes_the_next_waiter() {
    check(&[
        Send(1, &["BLMOVE", "a", "b", "LEFT", "RIGHT", "0"]),
        Blocked(1),
        Send(2, &["BLPOP", "b", "0"]),
        Blocked(2),
        Send(3, &["BRPOPLPUSH", "c", "a", "0"]),
        Blocked(3),
        Cmd(0, &["RPUSH", "c", "x"]),
        Recv(3),
        Recv(1),
        Recv(2),
        Cmd(0, &["EXISTS", "a", "b", "c"]),
    ]);
}

#[test]
fn blmove_with_the_same_source_and_destination_rotates_when_served() {
    check(&[
        Send(1, &["BLMOVE", "k", "k", "RIGHT", "LEFT", "0"]),
        Blocked(1),
        Send(2, &["BLPOP", "k", "0"]),
        Blocked(2),
        Cmd(0, &["RPUSH", "k", "a", "b"]),
        Recv(1),
        Recv(2),
        Cmd(0, &["LRANGE", "k", "0", "-1"]),
    ]);
}

#[test]
fn blmove_to_a_destination_of_another_type_fails_and_keeps_the_element() {
    check(&[
        Cmd(0, &["SET", "dst", "string"]),
        Send(1, &["BLMOVE", "src", "dst", "LEFT", "LEFT", "0"]),
        Blocked(1),
        Cmd(0, &["RPUSH", "src", "x"]),
        Recv(1),
        Blocked(0),
        Cmd(0, &["LRANGE", "src", "0", "-1"]),
    ]);
}

#[test]
fn a_waited_key_of_another_type_keeps_the_client_waiting() {
    check(&[
        Send(1, &["BLPOP", "k", "0"]),
        Blocked(1),
        Cmd(0, &["SET", "k", "string"]),
        Blocked(1),
        Cmd(0, &["DEL", "k"]),
        Cmd(0, &["RPUSH", "k", "finally"]),
        Recv(1),
    ]);
}

#[test]
fn a_killed_blocked_client_leaves_no_trace() {
    check(&[
        Send(1, &["BLPOP", "k", "0"]),
        Blocked(1),
        Send(2, &["BLMOVE", "k", "other", "LEFT", "LEFT", "0"]),
        Blocked(2),
        Kill(1),
        Kill(2),
        Cmd(0, &["RPUSH", "k", "a"]),
        Cmd(0, &["LRANGE", "k", "0", "-1"]),
        Cmd(0, &["EXISTS", "other"]),
        Closed(1),
        Closed(2),
        Blocked(0),
    ]);
}

#[test]
fn a_disconnected_blocked_client_leaves_no_trace() {
    check(&[
        Send(1, &["BLPOP", "k", "0"]),
        Blocked(1),
        Send(2, &["BLPOP", "k", "0"]),
        Blocked(2),
        Close(1),
        Blocked(1),
        Cmd(0, &["RPUSH", "k", "a", "b"]),
        Recv(2),
        Cmd(0, &["LRANGE", "k", "0", "-1"]),
        Close(2),
        Blocked(0),
        Cmd(0, &["RPUSH", "k", "c"]),
        Cmd(0, &["LRANGE", "k", "0", "-1"]),
    ]);
}

#[test]
fn client_unblock_ends_a_wait_as_a_timeout_or_an_error() {
    check(&[
        Send(1, &["BLPOP", "k", "0"]),
        Blocked(1),
        Unblock(1, None),
        Recv(1),
        Send(1, &["BRPOP", "k", "0"]),
        Blocked(1),
        Unblock(1, Some("TIMEOUT")),
        Recv(1),
        Send(1, &["BLMOVE", "k", "d", "LEFT", "LEFT", "0"]),
        Blocked(1),
        Unblock(1, Some("timeout")),
        Recv(1),
        Send(1, &["BRPOPLPUSH", "k", "d", "0"]),
        Blocked(1),
        Unblock(1, Some("ERROR")),
        Recv(1),
        Send(1, &["BLMPOP", "0", "1", "k", "LEFT"]),
        Blocked(1),
        Unblock(1, Some("bogus")),
        Unblock(1, Some("error")),
        Recv(1),
        Blocked(0),
        Unblock(1, None),
        Cmd(0, &["CLIENT", "UNBLOCK", "999999"]),
        Cmd(0, &["CLIENT", "UNBLOCK", "x"]),
        Cmd(1, &["PING"]),
        Cmd(0, &["RPUSH", "k", "kept"]),
        Cmd(0, &["LLEN", "k"]),
    ]);
}

#[test]
fn short_timeouts_expire_with_a_null_reply() {
    check(&[
        Cmd(1, &["BLPOP", "k", "0.1"]),
        Cmd(1, &["BRPOP", "k", "j", "0.05"]),
        Cmd(1, &["BLMOVE", "k", "d", "LEFT", "LEFT", "0.1"]),
        Cmd(1, &["BRPOPLPUSH", "k", "d", "0.01"]),
        Cmd(1, &["BLMPOP", "0.1", "2", "k", "j", "LEFT", "COUNT", "3"]),
        Quiet(1, &["HELLO", "3", "SETNAME", "c1"]),
        Cmd(1, &["BLPOP", "k", "0.1"]),
        Cmd(1, &["BLMOVE", "k", "d", "LEFT", "LEFT", "0.1"]),
        Cmd(0, &["EXISTS", "k", "d"]),
    ]);
}

#[test]
fn a_fraction_of_a_millisecond_rounds_up_to_a_short_wait_or_to_forever() {
    check(&[
        // Positive: 1 ms, which passes.
        Cmd(1, &["BLPOP", "k", "0.0001"]),
        // Negative: rounds up to 0, which waits forever.
        Send(2, &["BLPOP", "k", "-0.0001"]),
        Blocked(1),
        Send(3, &["BLMOVE", "k", "d", "LEFT", "LEFT", "-0.0009"]),
        Blocked(2),
        Cmd(0, &["RPUSH", "k", "a", "b"]),
        Recv(2),
        Recv(3),
    ]);
}

#[test]
fn a_resp3_waiter_gets_a_resp3_reply_from_a_resp2_push() {
    check(&[
        Quiet(1, &["HELLO", "3", "SETNAME", "r3"]),
        Send(1, &["BLMPOP", "0", "1", "k", "LEFT", "COUNT", "5"]),
        Blocked(1),
        Cmd(0, &["RPUSH", "k", "a", "b"]),
        Recv(1),
        Send(1, &["BLMOVE", "k", "k2", "LEFT", "LEFT", "0"]),
        Blocked(1),
        Unblock(1, None),
        Recv(1),
    ]);
}

#[test]
fn commands_pipelined_behind_a_blocked_one_run_after_it_is_served() {
    check(&[
        Pipeline(1, &[&["BLPOP", "k", "0"], &["PING"], &["LLEN", "k"]]),
        Blocked(1),
        Cmd(0, &["RPUSH", "k", "a", "b"]),
        Recv(1),
        Recv(1),
        Recv(1),
    ]);
}

#[test]
fn waiters_are_served_only_from_their_own_database() {
    check(&[
        Cmd(1, &["SELECT", "1"]),
        Send(1, &["BLPOP", "k", "0"]),
        Blocked(1),
        Cmd(0, &["RPUSH", "k", "db0"]),
        Blocked(1),
        Cmd(0, &["SELECT", "1"]),
        Cmd(0, &["RPUSH", "k", "db1"]),
        Recv(1),
        Cmd(0, &["SELECT", "0"]),
        Cmd(0, &["LRANGE", "k", "0", "-1"]),
    ]);
}

#[test]
fn blocking_commands_inside_multi_do_not_wait() {
    check(&[
        Cmd(1, &["MULTI"]),
        Cmd(1, &["BLPOP", "k", "0"]),
        Cmd(1, &["BLMOVE", "k", "d", "LEFT", "LEFT", "0"]),
        Cmd(1, &["BRPOPLPUSH", "k", "d", "0"]),
        Cmd(1, &["BLMPOP", "0", "1", "k", "LEFT"]),
        Cmd(1, &["EXEC"]),
        Cmd(1, &["LLEN", "d"]),
    ]);
}

/// Client flags without Redis's `U` (unix-socket client; the oracle listens
/// on one), `N` when nothing else is left, as over TCP.
fn tcp_flags(flags: &str) -> String {
    let f = flags.replace('U', "");
    if f.is_empty() {
        "N".into()
    } else {
        f
    }
}

/// A `CLIENT LIST` field of the line of client `id`.
fn client_field(list: &[u8], id: &str, field: &str) -> String {
    let text = String::from_utf8_lossy(list).into_owned();
    let line = text
        .lines()
        .find(|l| l.contains(&format!("id={id} ")))
        .unwrap_or_else(|| panic!("no client {id} in {text}"))
        .to_string();
    line.split(' ')
        .find_map(|kv| kv.strip_prefix(&format!("{field}=")))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_blocked_client_shows_flag_b_and_its_command_in_client_list_and_info() {
    let p = Pair::start();
    for (name, mut ctl, mut waiter) in [
        ("shoal", p.shoal.raw(), p.shoal.raw()),
        ("redis", p.redis.raw(), p.redis.raw()),
    ] {
        let id = client_id(&mut waiter);
        assert_eq!(blocked_clients(&mut ctl), 0, "{name}");
        waiter.send_bytes(&crate::support::encode(&[b"BLMPOP", b"0", b"1", b"k", b"LEFT"]));
        wait_blocked(&mut ctl, 1);
        let list = ctl.cmd(&["CLIENT", "LIST"]);
        let flags = client_field(&list, &id, "flags");
        assert_eq!(tcp_flags(&flags), "b", "{name}: {}", show(&list));
        assert_eq!(client_field(&list, &id, "cmd"), "blmpop", "{name}");
        let ctl_id = client_id(&mut ctl);
        let list = ctl.cmd(&["CLIENT", "LIST"]);
        assert_eq!(client_field(&list, &ctl_id, "cmd"), "client|list", "{name}");
        assert_eq!(tcp_flags(&client_field(&list, &ctl_id, "flags")), "N", "{name}");
        ctl.cmd(&["RPUSH", "k", "v"]);
        assert_eq!(
            show(&waiter.read_reply()),
            "*2\\r\\n$1\\r\\nk\\r\\n*1\\r\\n$1\\r\\nv\\r\\n"
        );
        wait_blocked(&mut ctl, 0);
        let list = ctl.cmd(&["CLIENT", "LIST"]);
        assert_eq!(tcp_flags(&client_field(&list, &id, "flags")), "N", "{name}");
        assert_eq!(client_field(&list, &id, "cmd"), "blmpop", "{name}");
    }
}

/// The element of a `BLPOP`/`BRPOP` reply, the single element of a `BLMPOP`
/// reply, or a `BLMOVE` bulk.
fn popped_element(reply: &[u8]) -> String {
    let text = String::from_utf8_lossy(reply).into_owned();
    let parts: Vec<&str> = text.split("\r\n").collect();
    match reply.first() {
        Some(b'$') => parts[1].to_string(),
        // *2 $1 q $n elem   or   *2 $1 q *1 $n elem
        _ => parts[parts.len() - 2].to_string(),
    }
}

#[test]
fn racing_consumers_receive_every_pushed_element_exactly_once() {
    let s = crate::support::Server::start();
    let port = s.port();
    let consumers: Vec<&[&str]> = vec![
        &["BLPOP", "q", "0"],
        &["BRPOP", "x", "q", "0"],
        &["BLMPOP", "0", "2", "x", "q", "LEFT"],
        &["BLMOVE", "q", "moved", "LEFT", "RIGHT", "0"],
        &["BLPOP", "q", "0"],
        &["BRPOPLPUSH", "q", "moved", "0"],
    ];
    let handles: Vec<_> = consumers
        .iter()
        .map(|cmd| {
            let cmd: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
            std::thread::spawn(move || {
                let mut c = Raw::tcp(port);
                let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
                let mut got = Vec::new();
                loop {
                    let e = popped_element(&c.cmd(&args));
                    if e == "stop" {
                        return got;
                    }
                    got.push(e);
                }
            })
        })
        .collect();
    let mut producer = s.raw();
    let total = 3000;
    let mut next = 0;
    let mut batch = 1;
    while next < total {
        let end = (next + batch).min(total);
        let items: Vec<String> = (next..end).map(|i| i.to_string()).collect();
        let mut args = vec![if next % 2 == 0 { "RPUSH" } else { "LPUSH" }, "q"];
        args.extend(items.iter().map(String::as_str));
        producer.cmd(&args);
        next = end;
        batch = batch % 7 + 1;
    }
    // Stop every consumer once the queue has drained.
    for _ in 0..2000 {
        if producer.cmd(&["LLEN", "q"]) == b":0\r\n" {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    wait_blocked(&mut producer, consumers.len());
    for _ in 0..consumers.len() {
        producer.cmd(&["RPUSH", "q", "stop"]);
    }
    let mut seen: Vec<String> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let moved = crate::support::Resp::parse(&producer.cmd(&["LRANGE", "moved", "0", "-1"]));
    let crate::support::Resp::Agg(_, moved) = moved else {
        panic!("LRANGE moved is not an array");
    };
    let moved: Vec<String> = moved
        .into_iter()
        .filter_map(|r| match r {
            crate::support::Resp::Bulk(_, b) => Some(String::from_utf8(b).unwrap()),
            _ => None,
        })
        .filter(|e| e != "stop")
        .collect();
    // What the movers returned is also in `moved`: count it once.
    let mut moved_sorted = moved.clone();
    moved_sorted.sort();
    seen.sort();
    let mut all: Vec<u64> = seen.iter().map(|e| e.parse().unwrap()).collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), total, "elements lost or duplicated");
    assert_eq!(all.first(), Some(&0));
    assert_eq!(all.last(), Some(&(total as u64 - 1)));
    assert_eq!(seen.len(), total, "an element was delivered twice");
    assert!(moved_sorted.iter().all(|m| seen.binary_search(m).is_ok()));
    assert_eq!(producer.cmd(&["EXISTS", "q"]), b":0\r\n");
}

/// One server's connections in the randomized run.
struct Side {
    name: &'static str,
    ctl: Raw,
    waiters: Vec<Raw>,
    ids: Vec<String>,
}

impl Side {
    fn new(name: &'static str, connect: &dyn Fn() -> Raw, n: usize) -> Side {
        let mut ctl = connect();
        ctl.cmd(&["FLUSHALL"]);
        let mut waiters: Vec<Raw> = (0..n).map(|_| connect()).collect();
        let ids = waiters.iter_mut().map(client_id).collect();
        Side {
            name,
            ctl,
            waiters,
            ids,
        }
    }

    /// Ids of the waiters that are blocked, by `CLIENT LIST`.
    fn blocked(&mut self) -> Vec<bool> {
        let list = self.ctl.cmd(&["CLIENT", "LIST"]);
        let ids = self.ids.clone();
        ids.iter()
            .map(|id| client_field(&list, id, "flags").contains('b'))
            .collect()
    }

    /// Polls until exactly the waiters flagged in `want` are blocked.
    fn settle(&mut self, want: &[bool]) {
        for _ in 0..2000 {
            if self.blocked() == want {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let now = self.blocked();
        panic!("{}: blocked waiters never became {want:?} (now {now:?})", self.name);
    }
}

/// A random blocking command of waiter `w` and the keys whose state decides
/// whether it waits (its source keys).
fn random_blocking_command(rng: &mut rand::rngs::SmallRng) -> (Vec<String>, Vec<String>) {
    use rand::Rng;
    const KEYS: &[&str] = &["a", "b", "c", "s"];
    let key = |rng: &mut rand::rngs::SmallRng| KEYS[rng.random_range(0..KEYS.len())].to_string();
    let end = |rng: &mut rand::rngs::SmallRng| ["LEFT", "RIGHT"][rng.random_range(0..2)].to_string();
    let w = |s: &str| s.to_string();
    match rng.random_range(0..5) {
        0 | 1 => {
            let keys: Vec<String> = (0..rng.random_range(1..4)).map(|_| key(rng)).collect();
            let mut c = vec![w(["BLPOP", "BRPOP"][rng.random_range(0..2)])];
            c.extend(keys.iter().cloned());
            c.push(w("0"));
            (c, keys)
        }
        2 => {
            let (src, dst) = (key(rng), key(rng));
            (
                vec![w("BLMOVE"), src.clone(), dst, end(rng), end(rng), w("0")],
                vec![src],
            )
        }
        3 => {
            let (src, dst) = (key(rng), key(rng));
            (vec![w("BRPOPLPUSH"), src.clone(), dst, w("0")], vec![src])
        }
        _ => {
            let keys: Vec<String> = (0..rng.random_range(1..4)).map(|_| key(rng)).collect();
            let mut c = vec![w("BLMPOP"), w("0"), keys.len().to_string()];
            c.extend(keys.iter().cloned());
            c.extend([end(rng), w("COUNT"), rng.random_range(1..4).to_string()]);
            (c, keys)
        }
    }
}

/// A random command of the controller: mostly writes that may wake waiters.
fn random_controller_command(rng: &mut rand::rngs::SmallRng) -> Vec<Vec<String>> {
    use rand::Rng;
    const KEYS: &[&str] = &["a", "b", "c"];
    let key = |rng: &mut rand::rngs::SmallRng| KEYS[rng.random_range(0..KEYS.len())].to_string();
    let w = |s: &str| s.to_string();
    let push = |rng: &mut rand::rngs::SmallRng| {
        let mut c = vec![w(["RPUSH", "LPUSH"][rng.random_range(0..2)]), key(rng)];
        for _ in 0..rng.random_range(1..4) {
            c.push(rng.random_range(0..100).to_string());
        }
        c
    };
    match rng.random_range(0..12) {
        0..=3 => vec![push(rng)],
        4 => vec![vec![w("LMOVE"), key(rng), key(rng), w("LEFT"), w("RIGHT")]],
        5 | 6 => vec![vec![w("LPOP"), key(rng), w("3")]],
        7 | 8 => vec![vec![w("DEL"), key(rng)]],
        9 => vec![vec![w(["SET", "DEL"][rng.random_range(0..2)]), w("s"), w("x")]
            .into_iter()
            .take(if rng.random_bool(0.5) { 3 } else { 2 })
            .collect()],
        _ => {
            let mut t = vec![vec![w("MULTI")]];
            for _ in 0..rng.random_range(1..4) {
                t.push(push(rng));
            }
            if rng.random_bool(0.3) {
                t.push(vec![w("DEL"), key(rng)]);
            }
            t.push(vec![w("EXEC")]);
            t
        }
    }
}

#[test]
fn random_blocking_scenarios_match_the_oracle() {
    use rand::{Rng, SeedableRng};
    let p = Pair::start();
    let n = 4;
    let mut sides = [
        Side::new("redis", &|| p.redis.raw(), n),
        Side::new("shoal", &|| p.shoal.raw(), n),
    ];
    let mut rng = rand::rngs::SmallRng::seed_from_u64(0xB10C_0001);
    let mut blocked = vec![false; n];
    let both: Both = |sides, f| {
        let r = f(&mut sides[0]);
        let s = f(&mut sides[1]);
        assert_eq!(show(&s), show(&r), "differs (left: shoal, right: redis)");
        r
    };
    for step in 0..2000 {
        let idle: Vec<usize> = (0..n).filter(|&i| !blocked[i]).collect();
        if !idle.is_empty() && rng.random_bool(0.5) {
            let wi = idle[rng.random_range(0..idle.len())];
            let (cmd, sources) = random_blocking_command(&mut rng);
            let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
            // It waits when every source key is missing (the oracle decides).
            let mut waits = true;
            for k in &sources {
                let t = both(&mut sides, &mut |s| s.ctl.cmd(&["TYPE", k]));
                if t != b"+none\r\n" {
                    waits = false;
                    break;
                }
            }
            if waits {
                blocked[wi] = true;
                for s in sides.iter_mut() {
                    let a: Vec<&[u8]> = args.iter().map(|x| x.as_bytes()).collect();
                    s.waiters[wi].send_bytes(&crate::support::encode(&a));
                    s.settle(&blocked);
                }
                continue;
            }
            // Answered at once; a move it made may serve other waiters.
            both(&mut sides, &mut |s| s.waiters[wi].cmd(&args));
        } else {
            controller_step(&mut sides, &mut rng, &blocked, both);
        }
        // Redis has served whoever it serves by the time it answers.
        let now = sides[0].blocked();
        for wi in 0..n {
            if blocked[wi] && !now[wi] {
                both(&mut sides, &mut |s| s.waiters[wi].read_reply());
            }
        }
        blocked = now;
        sides[1].settle(&blocked);
        if step % 50 == 0 {
            for k in ["a", "b", "c", "s"] {
                both(&mut sides, &mut |s| s.ctl.cmd(&["LRANGE", k, "0", "-1"]));
            }
        }
    }
    for (wi, _) in blocked.iter().enumerate().filter(|(_, b)| **b) {
        for s in sides.iter_mut() {
            let id = s.ids[wi].clone();
            s.ctl.cmd(&["CLIENT", "UNBLOCK", &id]);
        }
        both(&mut sides, &mut |s| s.waiters[wi].read_reply());
    }
}

/// Sends both sides `f`'s command and asserts equal replies.
type Both = fn(&mut [Side; 2], &mut dyn FnMut(&mut Side) -> Vec<u8>) -> Vec<u8>;

/// One controller command (or transaction, or `CLIENT UNBLOCK`) on both sides.
fn controller_step(sides: &mut [Side; 2], rng: &mut rand::rngs::SmallRng, blocked: &[bool], both: Both) {
    use rand::Rng;
    let n = blocked.len();
    let script = if rng.random_range(0..15) == 0 && blocked.iter().any(|b| *b) {
        let bi: Vec<usize> = (0..n).filter(|&i| blocked[i]).collect();
        let wi = bi[rng.random_range(0..bi.len())];
        let how = ["TIMEOUT", "ERROR"][rng.random_range(0..2)];
        vec![vec![
            "CLIENT".to_string(),
            "UNBLOCK".into(),
            format!("@{wi}"),
            how.into(),
        ]]
    } else {
        random_controller_command(rng)
    };
    for cmd in &script {
        both(sides, &mut |s| {
            let args: Vec<String> = cmd
                .iter()
                .map(|a| match a.strip_prefix('@') {
                    Some(i) => s.ids[i.parse::<usize>().unwrap()].clone(),
                    None => a.clone(),
                })
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            s.ctl.cmd(&args)
        });
    }
}

#[test]
fn swapdb_serves_a_client_blocked_on_a_key_the_swap_brings_in() {
    check(&[
        Cmd(1, &["SELECT", "1"]),
        Send(1, &["BLPOP", "q", "0"]),
        Blocked(1),
        Cmd(0, &["RPUSH", "q", "from-db0"]),
        Blocked(1),
        Cmd(0, &["SWAPDB", "0", "1"]),
        Recv(1),
        Blocked(0),
        Cmd(0, &["SELECT", "1"]),
        Cmd(0, &["EXISTS", "q"]),
    ]);
}

#[test]
fn xgroup_destroy_fails_blocked_readers_but_leaves_a_watch_intact() {
    check(&[
        Cmd(0, &["XADD", "s", "1-1", "f", "v"]),
        Cmd(0, &["XGROUP", "CREATE", "s", "g", "$"]),
        Send(1, &["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"]),
        Blocked(1),
        Cmd(2, &["WATCH", "s"]),
        Cmd(0, &["XGROUP", "DESTROY", "s", "g"]),
        Recv(1),
        Cmd(2, &["MULTI"]),
        Cmd(2, &["XLEN", "s"]),
        Cmd(2, &["EXEC"]),
    ]);
}
