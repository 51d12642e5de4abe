//! MULTI/EXEC/DISCARD/WATCH/UNWATCH against the oracle, and the atomicity
//! and invalidation rules that only show with several clients.

use crate::support::{Pair, Server};

#[test]
fn multi_exec_queues_and_runs_in_order_like_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["MULTI"],
        &["SET", "a", "1"],
        &["INCR", "a"],
        &["GET", "a"],
        &["INCR", "missing-then-created"],
        &["EXEC"],
        &["GET", "a"],
    ]);
    p.hello3();
    p.check(&[
        &["MULTI"],
        &["SET", "b", "x"],
        &["GET", "b"],
        &["EXEC"],
        &["MULTI"],
        &["EXEC"],
    ]);
}

#[test]
fn runtime_errors_inside_exec_do_not_stop_the_transaction() {
    let mut p = Pair::start();
    p.check(&[
        &["SET", "s", "text"],
        &["MULTI"],
        &["INCR", "s"],
        &["SET", "t", "1"],
        &["INCRBY", "t", "x"],
        &["GET", "t"],
        &["EXEC"],
    ]);
}

#[test]
fn queuing_errors_abort_exec_like_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["MULTI"],
        &["SET", "a", "1"],
        &["NOSUCHCOMMAND", "x"],
        &["GET"],
        &["EXEC"],
        &["GET", "a"],
        &["MULTI"],
        &["GET", "a", "b"],
        &["EXEC"],
    ]);
}

#[test]
fn transaction_command_errors_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["EXEC"],
        &["DISCARD"],
        &["MULTI"],
        &["MULTI"],
        &["WATCH", "x"],
        &["SET", "x", "1"],
        &["DISCARD"],
        &["GET", "x"],
        &["UNWATCH"],
        &["WATCH"],
        &["MULTI", "extra"],
        &["EXEC", "extra"],
        &["MULTI"],
        &["PING"],
        &["ECHO", "hi"],
        &["EXEC"],
    ]);
}

#[test]
fn watch_fails_exec_when_another_client_writes_the_key() {
    let mut p = Pair::start();
    let mut s2 = p.shoal.raw();
    let mut r2 = p.redis.raw();
    p.check(&[&["SET", "k", "1"], &["WATCH", "k"], &["MULTI"], &["SET", "k", "2"]]);
    assert_eq!(s2.cmd(&["SET", "k", "other"]), r2.cmd(&["SET", "k", "other"]));
    p.check(&[&["EXEC"], &["GET", "k"]]);
    // After EXEC the watch is gone: the next transaction succeeds.
    p.check(&[&["MULTI"], &["SET", "k", "3"], &["EXEC"]]);
}

#[test]
fn watch_sees_deletes_expiry_flushes_and_swapdb() {
    let mut p = Pair::start();
    let mut s2 = p.shoal.raw();
    let mut r2 = p.redis.raw();
    let mut other = |args: &[&str], p: &mut Pair| {
        let _ = p;
        assert_eq!(s2.cmd(args), r2.cmd(args), "{args:?}");
    };
    for (setup, act) in [
        (&["SET", "k", "v"][..], &["DEL", "k"][..]),
        (&["SET", "k", "v"][..], &["FLUSHDB"][..]),
        (&["SET", "k", "v"][..], &["FLUSHALL"][..]),
        (&["SET", "k", "v"][..], &["SWAPDB", "0", "1"][..]),
        (&["DEL", "k"][..], &["SET", "k", "new"][..]),
        // Unrelated writes and a flush of an empty db leave the watch intact.
        (&["SET", "k", "v"][..], &["SET", "other", "x"][..]),
        (&["DEL", "k"][..], &["FLUSHDB"][..]),
    ] {
        p.check(&[&["FLUSHALL"], setup, &["WATCH", "k"]]);
        other(act, &mut p);
        p.check(&[
            &["MULTI"],
            &["GET", "k"],
            &["EXEC"],
            &["SWAPDB", "0", "1"],
            &["FLUSHALL"],
        ]);
    }
}

#[test]
fn a_watched_key_whose_ttl_passes_fails_exec() {
    let s = Server::start();
    let mut c = s.raw();
    assert_eq!(c.cmd(&["SET", "k", "v", "PX", "30"]), b"+OK\r\n");
    assert_eq!(c.cmd(&["WATCH", "k"]), b"+OK\r\n");
    // Wait (bounded) until the key is logically gone, reading it from
    // another connection so the watch itself is what is tested.
    let mut other = s.raw();
    for _ in 0..1000 {
        if other.cmd(&["PTTL", "k"]) == b":-2\r\n" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert_eq!(c.cmd(&["MULTI"]), b"+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), b"+QUEUED\r\n");
    assert_eq!(c.cmd(&["EXEC"]), b"*-1\r\n");
}

#[test]
fn exec_is_atomic_for_concurrent_clients() {
    let s = Server::start();
    let port = s.port();
    // Each transaction increments two counters; a reader checks they never differ.
    let writers: Vec<_> = (0..2)
        .map(|_| {
            std::thread::spawn(move || {
                let mut c = crate::support::Raw::tcp(port);
                for _ in 0..300 {
                    c.cmd(&["MULTI"]);
                    c.cmd(&["INCR", "{t}a"]);
                    c.cmd(&["INCR", "b"]);
                    let r = c.cmd(&["EXEC"]);
                    assert!(r.starts_with(b"*2\r\n"), "{:?}", String::from_utf8_lossy(&r));
                }
            })
        })
        .collect();
    let mut reader = s.raw();
    for _ in 0..300 {
        reader.cmd(&["MULTI"]);
        reader.cmd(&["GET", "{t}a"]);
        reader.cmd(&["GET", "b"]);
        let r = String::from_utf8_lossy(&reader.cmd(&["EXEC"])).into_owned();
        // Both counters are nil before the first write, then equal numbers.
        let vals: Vec<&str> = r
            .split("\r\n")
            .filter(|l| !l.is_empty() && !l.starts_with('*'))
            .filter(|l| *l == "$-1" || !l.starts_with('$'))
            .collect();
        assert_eq!(vals.len(), 2, "{r:?}");
        assert_eq!(vals.first(), vals.get(1), "torn read: {r:?}");
    }
    for w in writers {
        w.join().unwrap();
    }
    assert_eq!(reader.cmd(&["GET", "b"]), b"$3\r\n600\r\n");
}

#[test]
fn client_list_shows_queued_command_counts_and_reset_clears_the_transaction() {
    let s = Server::start();
    let mut c = s.raw();
    c.cmd(&["MULTI"]);
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["SET", "b", "1"]);
    let mut other = s.raw();
    let list = String::from_utf8_lossy(&other.cmd(&["CLIENT", "LIST"])).into_owned();
    assert!(list.contains(" multi=2 "), "{list}");
    assert_eq!(c.cmd(&["RESET"]), b"+RESET\r\n");
    assert_eq!(c.cmd(&["EXEC"]), b"-ERR EXEC without MULTI\r\n");
    assert_eq!(c.cmd(&["GET", "a"]), b"$-1\r\n");
}
