//! Active expiry: keys with a TTL that nobody reads still go away.

use std::time::{Duration, Instant};

use crate::support::{encode, Server};

fn dbsize(raw: &mut crate::support::Raw) -> i64 {
    let r = raw.cmd(&["DBSIZE"]);
    String::from_utf8_lossy(&r[1..r.len() - 2]).parse().unwrap()
}

#[test]
fn hundred_thousand_unread_keys_with_short_ttls_disappear() {
    let s = Server::start();
    let mut raw = s.raw();
    const N: usize = 100_000;
    // Pipelined in batches of 1,000: one write, then 1,000 replies.
    for batch in 0..N / 1000 {
        let mut wire = Vec::new();
        for i in 0..1000 {
            let key = format!("ttl:{}", batch * 1000 + i);
            wire.extend(encode(&[b"SET", key.as_bytes(), b"some-value", b"PX", b"200"]));
        }
        raw.send_bytes(&wire);
        for _ in 0..1000 {
            assert_eq!(raw.read_reply(), b"+OK\r\n");
        }
    }
    raw.cmd(&["SET", "persistent", "stays"]);
    assert!(dbsize(&mut raw) > 1, "keys were stored");
    // No key is read again; only the active cycle can remove them. The
    // deadline is a failure bound, not a performance assertion.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut last = dbsize(&mut raw);
    while last > 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        last = dbsize(&mut raw);
    }
    assert_eq!(last, 1, "expired keys were not reclaimed by the active cycle");
    assert_eq!(raw.cmd(&["GET", "persistent"]), b"$5\r\nstays\r\n");
}

#[test]
fn debug_set_active_expire_zero_leaves_expired_keys_until_read() {
    let s = Server::start();
    let mut raw = s.raw();
    assert_eq!(raw.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), b"+OK\r\n");
    for i in 0..100 {
        raw.cmd(&["SET", &format!("k{i}"), "v", "PX", "1"]);
    }
    // Wait until every TTL has certainly passed (PTTL reports -2 for gone keys
    // only after lazy expiry; here we poll the key's own expiry time instead).
    let until = Instant::now() + Duration::from_millis(50);
    while Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
    }
    // DBSIZE counts keys not yet reclaimed, as Redis does.
    assert_eq!(dbsize(&mut raw), 100);
    // Reads expire lazily.
    for i in 0..100 {
        assert_eq!(raw.cmd(&["GET", &format!("k{i}")]), b"$-1\r\n");
    }
    assert_eq!(dbsize(&mut raw), 0);
}
