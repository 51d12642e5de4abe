//! The replica feed over the wire: `SYNC` against the real binary gives a
//! snapshot and then the replicated command stream; an in-process follower
//! that loads the one and applies the other holds exactly the server's data
//! (every key's `DUMP` payload and TTL), including writes whose replicated
//! form differs from what the client sent.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use shoal::commands::call::apply_replicated;
use shoal::commands::replication::load_snapshot;
use shoal::node::clients::Session;
use shoal::node::replication::{ReplOp, Replicated};
use shoal::protocol::{Decoded, Decoder, Limits};
use shoal::{Config, Instance};

use crate::support::Server;

/// A connection that sent `SYNC`: reads the snapshot, then stream commands.
struct Feed {
    s: TcpStream,
    buf: BytesMut,
    decoder: Decoder,
}

impl Feed {
    fn open(port: u16) -> (Feed, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(b"SYNC\r\n").unwrap();
        let mut buf = BytesMut::new();
        let mut chunk = [0u8; 65536];
        // `$<len>\r\n<payload>` (no CRLF after it, as Redis's RDB transfer).
        let header_end = loop {
            if let Some(p) = buf.windows(2).position(|w| w == b"\r\n") {
                break p;
            }
            let n = s.read(&mut chunk).unwrap();
            assert!(n > 0, "closed before the snapshot header");
            buf.extend_from_slice(&chunk[..n]);
        };
        assert_eq!(buf[0], b'$', "{:?}", String::from_utf8_lossy(&buf));
        let len: usize = std::str::from_utf8(&buf[1..header_end]).unwrap().parse().unwrap();
        let _ = buf.split_to(header_end + 2);
        while buf.len() < len {
            let n = s.read(&mut chunk).unwrap();
            assert!(n > 0, "closed inside the snapshot");
            buf.extend_from_slice(&chunk[..n]);
        }
        let payload = buf.split_to(len).to_vec();
        (
            Feed {
                s,
                buf,
                decoder: Decoder::new(),
            },
            payload,
        )
    }

    /// The next command of the stream.
    fn next(&mut self) -> Vec<Bytes> {
        let mut chunk = [0u8; 65536];
        loop {
            match self.decoder.decode(&mut self.buf, &Limits::default()) {
                Ok(Decoded::Request(argv)) if !argv.is_empty() => return argv,
                Ok(Decoded::Request(_)) => continue,
                Ok(Decoded::Incomplete) => {
                    let n = self.s.read(&mut chunk).unwrap();
                    assert!(n > 0, "feed closed");
                    self.buf.extend_from_slice(&chunk[..n]);
                }
                Err(e) => panic!("bad stream: {e}"),
            }
        }
    }

    /// The next unit: one command, or `MULTI … EXEC` as one; `SELECT`s
    /// set the database of what follows. `PING`s are skipped.
    fn next_unit(&mut self, db: &mut usize) -> Vec<ReplOp> {
        let mut ops = Vec::new();
        let mut in_multi = false;
        loop {
            let argv = self.next();
            let name = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
            match name.as_str() {
                "select" => *db = std::str::from_utf8(&argv[1]).unwrap().parse().unwrap(),
                "ping" => {}
                "multi" => in_multi = true,
                "exec" => return ops,
                _ => {
                    ops.push(ReplOp { db: *db, argv });
                    if !in_multi {
                        return ops;
                    }
                }
            }
        }
    }
}

fn follower() -> (Instance, Session) {
    let inst = Instance::new(Config::new(), shoal::commands::call::all_names());
    inst.store.set_follower(true);
    let session = Session::new(std::sync::Arc::new(shoal::node::clients::ClientInfo::internal()), true);
    (inst, session)
}

/// Runs a command in a database and returns the raw reply.
type Run<'a> = &'a mut dyn FnMut(usize, &[&[u8]]) -> Vec<u8>;
/// The keys of a database.
type Keys<'a> = &'a mut dyn FnMut(usize) -> Vec<Vec<u8>>;
/// (db, key, DUMP reply, PEXPIRETIME reply).
type KeyState = (usize, Vec<u8>, Vec<u8>, Vec<u8>);

/// `DUMP` payload and `PEXPIRETIME` of every key of every database, sorted.
fn dataset(run: Run<'_>, keys: Keys<'_>) -> Vec<KeyState> {
    let mut all = Vec::new();
    for db in 0..16 {
        let mut ks = keys(db);
        ks.sort();
        for k in ks {
            let dump = run(db, &[b"DUMP", &k]);
            let at = run(db, &[b"PEXPIRETIME", &k]);
            all.push((db, k, dump, at));
        }
    }
    all
}

#[test]
fn a_sync_follower_holds_exactly_the_servers_data() {
    let server = Server::start();
    let mut c = server.raw();
    // Data before the snapshot, of every type, some with TTLs.
    let before: &[&[&str]] = &[
        &["SET", "s", "hello"],
        &["SET", "n", "41", "EX", "1000"],
        &["RPUSH", "l", "a", "b", "c", "d"],
        &["HSET", "h", "f1", "v1", "f2", "v2"],
        &["SADD", "set", "a", "b", "c", "d", "e", "f"],
        &["ZADD", "z", "1", "a", "2", "b", "3", "c"],
        &["XADD", "x", "1-1", "f", "v"],
        &["PFADD", "hll", "a", "b", "c"],
        &["SELECT", "3"],
        &["SET", "other", "db3"],
        &["SELECT", "0"],
    ];
    for cmd in before {
        c.cmd(cmd);
    }
    let (mut feed, payload) = Feed::open(server.port());
    let (inst, mut session) = follower();
    let loaded = load_snapshot(&inst, &payload).unwrap();
    assert_eq!(loaded, 9);
    // Writes after it, several of them replicated in another form.
    let after: &[&[&str]] = &[
        &["INCR", "n"],
        &["SPOP", "set", "2"],
        &["EXPIRE", "s", "500"],
        &["INCRBYFLOAT", "n", "0.5"],
        &["MULTI"],
        &["LPOP", "l"],
        &["HSET", "h", "f3", "v3"],
        &["EXEC"],
        &["SELECT", "3"],
        &["DEL", "other"],
        &["SET", "new", "x", "PX", "100000"],
        &["SELECT", "0"],
        &["ZINCRBY", "z", "2.5", "a"],
        &["XADD", "x", "*", "g", "w"],
        &["SET", "marker", "end"],
    ];
    let mut units = 0;
    for cmd in after {
        c.cmd(cmd);
    }
    let mut db = 0;
    let mut now = 0u64;
    loop {
        let ops = feed.next_unit(&mut db);
        units += 1;
        let last = ops
            .iter()
            .any(|op| op.argv[0].eq_ignore_ascii_case(b"set") && &op.argv[1][..] == b"marker");
        now = now.max(shoal::node::instance::unix_ms());
        let unit = Replicated {
            seq: units,
            now_ms: now,
            ops,
        };
        assert_eq!(apply_replicated(&inst, &mut session, &unit), 0, "{unit:?}");
        if last {
            break;
        }
    }
    // SPOP arrives as SREM, EXPIRE as PEXPIREAT, INCRBYFLOAT as SET: the
    // follower reaches the same values whatever its own randomness.
    let mut server_run = |db: usize, args: &[&[u8]]| -> Vec<u8> {
        c.cmd(&["SELECT", &db.to_string()]);
        c.cmd_bytes(args)
    };
    let mut server_keys = |db: usize| -> Vec<Vec<u8>> {
        let mut r = server.raw();
        r.cmd(&["SELECT", &db.to_string()]);
        let reply = r.cmd(&["KEYS", "*"]);
        match crate::support::Resp::parse(&reply) {
            crate::support::Resp::Agg(_, items) => items
                .into_iter()
                .map(|i| match i {
                    crate::support::Resp::Bulk(_, b) => b,
                    other => panic!("{other:?}"),
                })
                .collect(),
            other => panic!("{other:?}"),
        }
    };
    let want = dataset(&mut server_run, &mut server_keys);
    let mut local = Session::new(std::sync::Arc::new(shoal::node::clients::ClientInfo::internal()), true);
    let mut follower_run = |db: usize, args: &[&[u8]]| -> Vec<u8> {
        local.select(db);
        let argv: Vec<Bytes> = args.iter().map(|a| Bytes::copy_from_slice(a)).collect();
        shoal::commands::call::run_command(&inst, &mut local, &argv, now)
    };
    let mut follower_keys = |db: usize| -> Vec<Vec<u8>> {
        let mut keys = Vec::new();
        if let Some(d) = inst.store.db(db) {
            d.for_each(0, |e| keys.push(e.key.to_vec()));
        }
        keys
    };
    let got = dataset(&mut follower_run, &mut follower_keys);
    assert_eq!(got.len(), want.len());
    for (w, g) in want.iter().zip(&got) {
        assert_eq!(w, g, "key {:?} in db {}", String::from_utf8_lossy(&w.1), w.0);
    }
    assert!(want.iter().any(|(db, k, ..)| *db == 3 && k == b"new"));
}

/// Polls `f` every 10 ms for up to 10 s.
fn eventually(mut f: impl FnMut() -> bool) -> bool {
    for _ in 0..1000 {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn replicaof_makes_a_second_process_follow_every_write() {
    let primary = Server::start();
    let replica = Server::start();
    let mut p = primary.raw();
    let mut r = replica.raw();
    p.cmd(&["SADD", "set", "a", "b", "c", "d", "e", "f", "g"]);
    p.cmd(&["SET", "gone-soon", "x", "PX", "150"]);
    // Enough keys that shards split into several segments.
    for batch in 0..10 {
        let mut mset = vec!["MSET".to_string()];
        for i in 0..300 {
            mset.push(format!("bulk:{batch}:{i}"));
            mset.push(i.to_string());
        }
        let args: Vec<&str> = mset.iter().map(String::as_str).collect();
        p.cmd(&args);
    }
    let port = primary.port().to_string();
    assert_eq!(r.cmd(&["REPLICAOF", "127.0.0.1", &port]), b"+OK\r\n");
    assert_eq!(
        r.cmd(&["REPLICAOF", "127.0.0.1", &port]),
        b"+OK Already connected to specified master\r\n"
    );
    assert!(eventually(
        || String::from_utf8_lossy(&r.cmd(&["INFO", "replication"])).contains("master_link_status:up")
    ));
    let writes: &[&[&str]] = &[
        &["SPOP", "set"],
        &["SRANDMEMBER", "set", "2"],
        &["SET", "k", "v", "EX", "100"],
        &["INCRBYFLOAT", "f", "1.25"],
        &["RPUSH", "l", "1", "2", "3"],
        &["MULTI"],
        &["LPOP", "l"],
        &["HSET", "h", "a", "1"],
        &["EXPIRE", "h", "1000"],
        &["EXEC"],
        &["SET", "marker", "1"],
    ];
    for w in writes {
        p.cmd(w);
    }
    assert!(eventually(|| r.cmd(&["GET", "marker"]) == b"$1\r\n1\r\n"));
    // The volatile key expires on the primary; the replica drops it when
    // the primary's DEL arrives (it never expires keys itself).
    assert!(eventually(|| r.cmd(&["EXISTS", "gone-soon"]) == b":0\r\n"));
    let keys = |c: &mut crate::support::Raw| -> Vec<Vec<u8>> {
        match crate::support::Resp::parse(&c.cmd(&["KEYS", "*"])) {
            crate::support::Resp::Agg(_, items) => {
                let mut ks: Vec<Vec<u8>> = items
                    .into_iter()
                    .filter_map(|i| match i {
                        crate::support::Resp::Bulk(_, b) => Some(b),
                        _ => None,
                    })
                    .collect();
                ks.sort();
                ks
            }
            other => panic!("{other:?}"),
        }
    };
    let (kp, kr) = (keys(&mut p), keys(&mut r));
    assert_eq!(kp, kr);
    for k in &kp {
        let k: &[u8] = k;
        assert_eq!(
            p.cmd_bytes(&[b"DUMP", k]),
            r.cmd_bytes(&[b"DUMP", k]),
            "{}",
            String::from_utf8_lossy(k)
        );
        assert_eq!(
            p.cmd_bytes(&[b"PEXPIRETIME", k]),
            r.cmd_bytes(&[b"PEXPIRETIME", k]),
            "{}",
            String::from_utf8_lossy(k)
        );
    }
    // The replica places keys as the primary does (by slot, and by the
    // dataset seed its snapshot carried), so SCAN visits the same keys at
    // the same cursors.
    let scan = |c: &mut crate::support::Raw| -> Vec<(Vec<u8>, Vec<Vec<u8>>)> {
        let mut steps = Vec::new();
        let mut cursor = b"0".to_vec();
        loop {
            let reply = c.cmd_bytes(&[b"SCAN", &cursor, b"COUNT", b"10"]);
            let crate::support::Resp::Agg(_, parts) = crate::support::Resp::parse(&reply) else {
                panic!("{}", crate::support::show(&reply))
            };
            let (crate::support::Resp::Bulk(_, next), crate::support::Resp::Agg(_, keys)) = (&parts[0], &parts[1])
            else {
                panic!("{}", crate::support::show(&reply))
            };
            let mut keys: Vec<Vec<u8>> = keys
                .iter()
                .filter_map(|k| match k {
                    crate::support::Resp::Bulk(_, b) => Some(b.clone()),
                    _ => None,
                })
                .collect();
            keys.sort();
            steps.push((next.clone(), keys));
            if next == b"0" {
                return steps;
            }
            cursor = next.clone();
        }
    };
    assert_eq!(scan(&mut p), scan(&mut r));
    // Bad arguments get Redis's errors and change nothing.
    assert_eq!(
        r.cmd(&["REPLICAOF", "127.0.0.1", "99999"]),
        b"-ERR Invalid master port\r\n"
    );
    assert_eq!(r.cmd(&["REPLICAOF", "127.0.0.1", "x"]), b"-ERR Invalid master port\r\n");
    assert_eq!(
        r.cmd(&["REPLCONF", "nonsense", "1"]),
        b"-ERR Unrecognized REPLCONF option: nonsense\r\n"
    );
    assert!(String::from_utf8_lossy(&r.cmd(&["INFO", "replication"])).contains("master_link_status:up"));
    // Clients cannot write to a read-only replica; NO ONE makes it a primary.
    assert_eq!(
        r.cmd(&["SET", "x", "1"]),
        b"-READONLY You can't write against a read only replica.\r\n"
    );
    assert_eq!(r.cmd(&["REPLICAOF", "NO", "ONE"]), b"+OK\r\n");
    // A replica whose link is down serves no replicas of its own, so a node
    // pointed at itself cannot feed itself its own stream.
    let own = replica.port().to_string();
    assert_eq!(r.cmd(&["REPLICAOF", "127.0.0.1", &own]), b"+OK\r\n");
    let mut other = replica.raw();
    assert_eq!(
        other.cmd(&["SYNC"]),
        b"-NOMASTERLINK Can't SYNC while not connected with my master\r\n"
    );
    assert_eq!(r.cmd(&["REPLICAOF", "NO", "ONE"]), b"+OK\r\n");
    assert_eq!(r.cmd(&["SET", "x", "1"]), b"+OK\r\n");
    assert!(String::from_utf8_lossy(&r.cmd(&["INFO", "replication"])).contains("role:master"));
}

#[test]
fn an_effect_listener_reads_exactly_the_value_each_write_left() {
    use std::sync::{Arc, Mutex};
    let inst = Arc::new(Instance::new(Config::new(), shoal::commands::call::all_names()));
    let seen: Arc<Mutex<Vec<i64>>> = Arc::default();
    {
        let (inst2, seen) = (inst.clone(), seen.clone());
        // A write-through-like consumer: serializes the written key's value.
        inst.effect_listeners.add(
            Arc::new(move |_store: &shoal::store::Store, effects: &[shoal::store::Effect]| {
                for e in effects {
                    if let shoal::store::Change::Written(_) = e.change {
                        let v =
                            inst2
                                .store
                                .db(e.db)
                                .unwrap()
                                .peek_entry(&e.key, |entry| match entry.map(|x| &x.value) {
                                    Some(shoal::store::Value::Str(s)) => {
                                        s.with_bytes(|b| String::from_utf8_lossy(b).parse::<i64>().unwrap())
                                    }
                                    other => panic!("{other:?}"),
                                });
                        seen.lock().unwrap().push(v);
                    }
                }
                0
            }),
            true,
        );
    }
    // Four threads race INCRs on one key: the listener must see each
    // command's own result, 1..=N, never a later one twice.
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let inst = inst.clone();
            std::thread::spawn(move || {
                let mut s = Session::new(std::sync::Arc::new(shoal::node::clients::ClientInfo::internal()), true);
                for _ in 0..500 {
                    let argv = [Bytes::from_static(b"INCR"), Bytes::from_static(b"counter")];
                    shoal::commands::call::run_command(&inst, &mut s, &argv, shoal::node::instance::unix_ms());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, (1..=2000).collect::<Vec<i64>>());
}
