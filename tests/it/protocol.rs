//! The wire protocol against the oracle: pipelining, inline commands,
//! binary safety, large values, RESP3 replies, and malformed input, which
//! gets Redis's exact protocol error, then the connection closed, while the
//! server goes on serving others.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use crate::support::{encode, reply_len, show, Oracle, Pair, Server};

/// Reads replies until the peer closes, panicking if it stays open. A reset
/// counts as closed (the server may close with our bytes still unread).
fn read_until_closed(stream: &mut impl Read) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return out,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::ConnectionReset | ErrorKind::BrokenPipe) => return out,
            Err(e) => panic!("the server kept the connection open ({e}); got {}", show(&out)),
        }
    }
}

fn shoal_stream(s: &Server) -> TcpStream {
    let t = TcpStream::connect(s.addr).unwrap();
    t.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    t
}

fn oracle_stream(o: &Oracle) -> UnixStream {
    let u = UnixStream::connect(&o.sock).unwrap();
    u.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    u
}

/// Sends `bytes` on a fresh connection to each server and returns what each
/// replied before closing the connection.
fn until_closed_on_both(p: &Pair, bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut s = shoal_stream(&p.shoal);
    let _ = s.write_all(bytes);
    let mut r = oracle_stream(&p.redis);
    let _ = r.write_all(bytes);
    (read_until_closed(&mut s), read_until_closed(&mut r))
}

fn assert_still_serving(p: &mut Pair) {
    let mut fresh = p.shoal.raw();
    assert_eq!(show(&fresh.cmd(&["PING"])), "+PONG\\r\\n");
    assert_eq!(show(&p.s.cmd(&["PING"])), "+PONG\\r\\n");
}

/// Reads `n` replies from both raw connections of the pair after sending
/// `bytes` to each, asserting they are identical; returns shoal's.
fn replies_on_both(p: &mut Pair, bytes: &[u8], n: usize) -> Vec<Vec<u8>> {
    p.s.send_bytes(bytes);
    p.r.send_bytes(bytes);
    (0..n)
        .map(|i| {
            let (a, b) = (p.s.read_reply(), p.r.read_reply());
            assert_eq!(show(&a), show(&b), "reply {i} differs (left: shoal, right: redis)");
            a
        })
        .collect()
}

#[test]
fn malformed_requests_get_redis_protocol_errors_and_the_connection_closes() {
    let mut p = Pair::start();
    let cases: &[(&[u8], &str)] = &[
        (b"*-x\r\n", "-ERR Protocol error: invalid multibulk length\r\n"),
        (b"*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n"),
        (b"*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n"),
        (b"*1\r\n$x\r\n", "-ERR Protocol error: invalid bulk length\r\n"),
        // The payload is never sent: the header alone is refused.
        (b"*1\r\n$600000000\r\n", "-ERR Protocol error: invalid bulk length\r\n"),
        (b"*1\r\n+foo\r\n", "-ERR Protocol error: expected '$', got '+'\r\n"),
        (
            b"*2\r\n$3\r\nGET\r\n:1\r\n",
            "-ERR Protocol error: expected '$', got ':'\r\n",
        ),
        (
            b"set a \"b\r\n",
            "-ERR Protocol error: unbalanced quotes in request\r\n",
        ),
        (b"set a 'b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"),
        (
            b"set a \"b\"c\r\n",
            "-ERR Protocol error: unbalanced quotes in request\r\n",
        ),
    ];
    for (bytes, want) in cases {
        let (s, r) = until_closed_on_both(&p, bytes);
        assert_eq!(show(&r), show(want.as_bytes()), "the oracle's reply to {}", show(bytes));
        assert_eq!(
            show(&s),
            show(&r),
            "reply to {} (left: shoal, right: redis)",
            show(bytes)
        );
        assert_still_serving(&mut p);
    }
}

#[test]
fn replies_before_a_protocol_error_are_sent_then_the_connection_closes() {
    let mut p = Pair::start();
    let (s, r) = until_closed_on_both(&p, b"PING\r\n*1\r\n$3\r\nGET\r\n*-x\r\nPING\r\n");
    assert_eq!(show(&s), show(&r));
    assert!(s.starts_with(b"+PONG\r\n"));
    assert_still_serving(&mut p);
}

#[test]
fn inline_request_longer_than_64k_without_newline_is_too_big() {
    let mut p = Pair::start();
    // 65 KiB: past the limit in whole reads, so neither server closes with
    // bytes of ours unread.
    let line = vec![b'x'; 65 * 1024];
    let (s, r) = until_closed_on_both(&p, &line);
    assert_eq!(show(&r), "-ERR Protocol error: too big inline request\\r\\n");
    assert_eq!(show(&s), show(&r));
    assert_still_serving(&mut p);
}

#[test]
fn truncated_frame_then_close_leaves_the_server_serving() {
    let mut p = Pair::start();
    for partial in [
        &b"*2\r\n$3\r\nGET\r\n$5\r\nab"[..],
        b"*3\r\n",
        b"*1\r\n$4\r\nPI",
        b"SET a",
    ] {
        let mut s = shoal_stream(&p.shoal);
        s.write_all(partial).unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        assert_eq!(show(&read_until_closed(&mut s)), "", "reply to {}", show(partial));
        assert_still_serving(&mut p);
    }
}

#[test]
fn random_garbage_never_takes_the_server_down() {
    let mut p = Pair::start();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..8 {
        let garbage: Vec<u8> = (0..16 * 1024)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        let mut s = shoal_stream(&p.shoal);
        let _ = s.write_all(&garbage);
        let _ = s.shutdown(Shutdown::Write);
        read_until_closed(&mut s);
        assert_still_serving(&mut p);
    }
}

#[test]
fn empty_and_null_multibulks_produce_no_reply() {
    let mut p = Pair::start();
    let replies = replies_on_both(&mut p, b"*0\r\n*-1\r\n*0\r\nPING\r\n", 1);
    assert_eq!(replies[0], b"+PONG\r\n");
    let replies = replies_on_both(&mut p, b"*-1\r\n*1\r\n$4\r\nPING\r\n", 1);
    assert_eq!(replies[0], b"+PONG\r\n");
}

#[test]
fn a_thousand_pipelined_commands_in_one_write_get_a_thousand_replies_in_order() {
    let mut p = Pair::start();
    let mut batch = Vec::new();
    for i in 0..1000 {
        let n = i.to_string();
        let cmd: Vec<&[u8]> = match i % 3 {
            0 => vec![b"INCR", b"counter"],
            1 => vec![b"SET", b"k", n.as_bytes()],
            _ => vec![b"GET", b"k"],
        };
        batch.extend_from_slice(&encode(&cmd));
    }
    let replies = replies_on_both(&mut p, &batch, 1000);
    for (i, reply) in replies.iter().enumerate() {
        let want = match i % 3 {
            0 => format!(":{}\r\n", i / 3 + 1),
            1 => "+OK\r\n".to_string(),
            _ => format!("${}\r\n{}\r\n", (i - 1).to_string().len(), i - 1),
        };
        assert_eq!(show(reply), show(want.as_bytes()), "reply {i}");
    }
    assert_still_serving(&mut p);
}

#[test]
fn pipelined_replies_arrive_when_the_batch_is_split_across_writes() {
    let mut p = Pair::start();
    let mut batch = Vec::new();
    for i in 0..200 {
        batch.extend_from_slice(&encode(&[b"PING", i.to_string().as_bytes()]));
    }
    let (head, tail) = batch.split_at(batch.len() / 2 + 3);
    p.s.send_bytes(head);
    p.r.send_bytes(head);
    let replies = replies_on_both(&mut p, tail, 200);
    assert_eq!(replies[199], b"$3\r\n199\r\n");
}

#[test]
fn inline_commands_match_the_oracle() {
    let mut p = Pair::start();
    replies_on_both(&mut p, b"PING\r\n", 1);
    replies_on_both(&mut p, b"ping\n", 1);
    replies_on_both(&mut p, b"  PING   hello  \r\n", 1);
    // Empty lines are skipped without a reply.
    replies_on_both(&mut p, b"\r\n\n\r\nPING\r\n", 1);
    let r = replies_on_both(&mut p, b"set a \"b c\"\r\nget a\r\n", 2);
    assert_eq!(r[1], b"$3\r\nb c\r\n");
    let r = replies_on_both(&mut p, b"set b \"\\x41\\x00z\\n\\t\\\\\\\"\"\r\nget b\r\n", 2);
    assert_eq!(r[1], b"$7\r\nA\x00z\n\t\\\"\r\n");
    let r = replies_on_both(&mut p, b"set c 'x\"y\\'z'\r\nget c\r\n", 2);
    assert_eq!(r[1], b"$5\r\nx\"y'z\r\n");
    replies_on_both(&mut p, b"set d \"\"\r\nget d\r\nstrlen d\r\n", 3);
    replies_on_both(&mut p, b"get \"\\xzz\"\r\n", 1);
    replies_on_both(&mut p, b"nosuchcmd a b\r\n", 1);
    replies_on_both(&mut p, b"PING\r\n*1\r\n$4\r\nPING\r\nPING\n", 3);
}

#[test]
fn keys_and_values_are_binary_safe() {
    let mut p = Pair::start();
    let key = b"k\x00\xff\r\n".to_vec();
    let value = b"\x00\xff$-1\r\n*1\r\n\x00".to_vec();
    p.check_raw(&[
        vec![b"SET".to_vec(), key.clone(), value.clone()],
        vec![b"GET".to_vec(), key.clone()],
        vec![b"STRLEN".to_vec(), key.clone()],
        vec![b"GET".to_vec(), b"k".to_vec()],
        vec![b"EXISTS".to_vec(), key.clone(), b"k\x00".to_vec()],
    ]);
    let (s, _) = p.both_bytes(&[b"GET", &key]);
    let mut want = format!("${}\r\n", value.len()).into_bytes();
    want.extend_from_slice(&value);
    want.extend_from_slice(b"\r\n");
    assert_eq!(s, want);
}

#[test]
fn a_one_mebibyte_value_round_trips() {
    let mut p = Pair::start();
    let value: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
    let (s, r) = p.both_bytes(&[b"SET", b"big", &value]);
    assert_eq!((show(&s), show(&r)), ("+OK\\r\\n".to_string(), "+OK\\r\\n".to_string()));
    let (s, r) = p.both_bytes(&[b"GET", b"big"]);
    assert!(s == r, "GET big differs between shoal and the oracle");
    assert_eq!(&s[..10], b"$1048576\r\n");
    assert_eq!(&s[10..10 + value.len()], &value[..]);
    assert_eq!(s.len(), 10 + value.len() + 2);
    p.check(&[&["STRLEN", "big"]]);
}

#[test]
fn reply_to_a_split_bulk_arrives_after_its_last_byte() {
    let mut p = Pair::start();
    let frame = encode(&[b"SET", b"split", b"0123456789"]);
    for chunk in frame.chunks(3) {
        p.s.send_bytes(chunk);
        p.r.send_bytes(chunk);
    }
    assert_eq!(
        (p.s.read_reply(), p.r.read_reply()),
        (b"+OK\r\n".to_vec(), b"+OK\r\n".to_vec())
    );
    p.check(&[&["GET", "split"]]);
}

#[test]
fn lowered_proto_max_bulk_len_refuses_longer_bulk_headers() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "SET", "proto-max-bulk-len", "1mb"],
        &["CONFIG", "GET", "proto-max-bulk-len"],
        &["CONFIG", "SET", "proto-max-bulk-len", "1000"],
    ]);
    let (s, r) = until_closed_on_both(&p, b"*2\r\n$3\r\nGET\r\n$1048577\r\n");
    assert_eq!(show(&r), "-ERR Protocol error: invalid bulk length\\r\\n");
    assert_eq!(show(&s), show(&r));
    let ok = encode(&[b"SET", b"k", &vec![b'v'; 1024 * 1024]]);
    let mut s = shoal_stream(&p.shoal);
    s.write_all(&ok).unwrap();
    let mut buf = vec![0u8; 64];
    let n = s.read(&mut buf).unwrap();
    assert_eq!(show(&buf[..n]), "+OK\\r\\n");
}

#[test]
fn resp3_replies_match_the_oracle() {
    let mut p = Pair::start();
    p.hello3();
    p.check(&[
        &["GET", "missing"],
        &["SET", "k", "v"],
        &["GET", "k"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "GET", "maxmemory-policy"],
        &["INCRBYFLOAT", "f", "1.5"],
        &["MGET", "k", "missing"],
        &["NOSUCH"],
    ]);
    let (s, _) = p.both(&["GET", "missing"]);
    assert_eq!(s, b"_\r\n");
    let (s, _) = p.both(&["CONFIG", "GET", "maxmemory"]);
    assert!(s.starts_with(b"%1\r\n"), "{}", show(&s));
    assert_eq!(reply_len(&s, 0), Some(s.len()));
}
