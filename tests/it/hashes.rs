//! Hash commands against the oracle: scripts compared byte for byte (RESP2
//! and RESP3), encodings around the thresholds, HRANDFIELD shapes, HSCAN,
//! a seeded random differential run, and Redis 7.4's field TTLs (which the
//! 7.0 oracle lacks, so those are checked against Redis 7.4's documented
//! behaviour on shoal alone, with absolute times so nothing depends on timing).

use std::collections::BTreeSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::support::{show, Pair, Raw, Resp, Server};

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

#[test]
fn hset_hget_hmget_hdel_and_friends_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["HSET", "h", "a", "1", "b", "2", "a", "3"],
        &["HGET", "h", "a"],
        &["HGET", "h", "zz"],
        &["HGET", "nokey", "a"],
        &["HMGET", "h", "a", "zz", "b"],
        &["HMGET", "nokey", "a", "b"],
        &["HGETALL", "h"],
        &["HGETALL", "nokey"],
        &["HKEYS", "h"],
        &["HVALS", "h"],
        &["HKEYS", "nokey"],
        &["HVALS", "nokey"],
        &["HLEN", "h"],
        &["HLEN", "nokey"],
        &["HEXISTS", "h", "a"],
        &["HEXISTS", "h", "zz"],
        &["HEXISTS", "nokey", "a"],
        &["HSTRLEN", "h", "a"],
        &["HSTRLEN", "h", "zz"],
        &["HSTRLEN", "nokey", "zz"],
        &["HSETNX", "h", "a", "9"],
        &["HSETNX", "h", "c", "9"],
        &["HSETNX", "new", "c", "9"],
        &["HMSET", "h", "d", "4", "e", "5"],
        &["HGETALL", "h"],
        &["HDEL", "h", "a", "zz", "a", "b"],
        &["HDEL", "nokey", "a"],
        &["HDEL", "h", "c", "d", "e"],
        &["EXISTS", "h"],
        &["HSET", "h", "x"],
        &["HSET", "h", "x", "1", "y"],
        &["HMSET", "h", "x"],
        &["HMSET", "h", "x", "1", "y"],
        &["HSET", "h"],
        &["HGET", "h"],
        &["HSETNX", "h", "x"],
        &["HDEL", "h"],
        &["HSET", "h", "", ""],
        &["HGETALL", "h"],
        &["HSTRLEN", "h", ""],
    ]);
}

#[test]
fn fields_and_values_are_binary_safe() {
    let mut p = Pair::start();
    let b = |parts: &[&[u8]]| parts.iter().map(|x| x.to_vec()).collect::<Vec<_>>();
    p.check_raw(&[
        b(&[b"HSET", b"h\x00k", b"f\x00\xff", b"v\r\n\x00", b"", b"\x00"]),
        b(&[b"HGET", b"h\x00k", b"f\x00\xff"]),
        b(&[b"HGET", b"h\x00k", b"f"]),
        b(&[b"HGETALL", b"h\x00k"]),
        b(&[b"HSTRLEN", b"h\x00k", b"f\x00\xff"]),
        b(&[b"HSCAN", b"h\x00k", b"0", b"MATCH", b"f*"]),
        b(&[b"HDEL", b"h\x00k", b"f\x00\xff", b""]),
        b(&[b"EXISTS", b"h\x00k"]),
    ]);
}

#[test]
fn keyspace_commands_handle_hashes_like_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["HSET", "h", "a", "1", "b", "2"],
        &["TYPE", "h"],
        &["OBJECT", "ENCODING", "h"],
        &["COPY", "h", "c"],
        &["HGETALL", "c"],
        &["RENAME", "c", "d"],
        &["HGETALL", "d"],
        &["MOVE", "d", "1"],
        &["EXISTS", "d"],
        &["SELECT", "1"],
        &["HGETALL", "d"],
        &["SELECT", "0"],
        &["HSET", "h", "c", "3"],
        &["HGETALL", "h"],
        &["DEL", "h"],
        &["HGETALL", "h"],
        &["SCAN", "0", "TYPE", "hash"],
    ]);
    // DUMP/RESTORE round-trips on shoal (payloads are not Redis's RDB).
    p.s.cmd(&["HSET", "r", "x", "1", "y", "2"]);
    let Resp::Bulk(_, payload) = Resp::parse(&p.s.cmd(&["DUMP", "r"])) else {
        panic!("DUMP")
    };
    assert_eq!(p.s.cmd_bytes(&[b"RESTORE", b"r2", b"0", &payload]), b"+OK\r\n");
    assert_eq!(p.s.cmd(&["HGETALL", "r2"]), p.s.cmd(&["HGETALL", "r"]));
    assert_eq!(p.s.cmd(&["OBJECT", "ENCODING", "r2"]), b"$8\r\nlistpack\r\n");
}

#[test]
fn wrong_type_keys_answer_wrongtype_for_every_hash_command() {
    let mut p = Pair::start();
    p.check(&[
        &["SET", "s", "x"],
        &["HSET", "s", "a", "1"],
        &["HSETNX", "s", "a", "1"],
        &["HMSET", "s", "a", "1"],
        &["HGET", "s", "a"],
        &["HMGET", "s", "a"],
        &["HGETALL", "s"],
        &["HKEYS", "s"],
        &["HVALS", "s"],
        &["HDEL", "s", "a"],
        &["HLEN", "s"],
        &["HEXISTS", "s", "a"],
        &["HSTRLEN", "s", "a"],
        &["HINCRBY", "s", "a", "1"],
        &["HINCRBY", "s", "a", "x"],
        &["HINCRBYFLOAT", "s", "a", "1"],
        &["HINCRBYFLOAT", "s", "a", "x"],
        &["HRANDFIELD", "s"],
        &["HRANDFIELD", "s", "1"],
        &["HRANDFIELD", "s", "x"],
        &["HSCAN", "s", "0"],
        &["HSCAN", "s", "x"],
        &["GET", "s"],
    ]);
}

#[test]
fn hincrby_and_hincrbyfloat_match_the_oracle_with_their_errors() {
    let mut p = Pair::start();
    p.check(&[
        &["HINCRBY", "h", "n", "5"],
        &["HINCRBY", "h", "n", "-15"],
        &["HINCRBY", "h", "n", "x"],
        &["HINCRBY", "h", "n", "1.5"],
        &["HINCRBY", "h", "n", "9223372036854775808"],
        &[
            "HSET",
            "h",
            "big",
            "9223372036854775800",
            "small",
            "-9223372036854775800",
        ],
        &["HINCRBY", "h", "big", "7"],
        &["HINCRBY", "h", "big", "8"],
        &["HINCRBY", "h", "small", "-8"],
        &["HINCRBY", "h", "small", "-9"],
        &["HSET", "h", "s", "abc", "sp", " 1", "z", "007", "neg0", "-0"],
        &["HINCRBY", "h", "s", "1"],
        &["HINCRBY", "h", "sp", "1"],
        &["HINCRBY", "h", "z", "1"],
        &["HINCRBY", "h", "neg0", "1"],
        &["HINCRBYFLOAT", "h", "f", "1.5"],
        &["HINCRBYFLOAT", "h", "f", "0.1"],
        &["HINCRBYFLOAT", "h", "f", "-1.6"],
        &["HINCRBYFLOAT", "h", "f", "1e300"],
        &["HINCRBYFLOAT", "h", "n", "3.0e3"],
        &["HINCRBYFLOAT", "h", "s", "1"],
        &["HINCRBYFLOAT", "h", "z", "1"],
        &["HINCRBYFLOAT", "h", "f", "inf"],
        &["HINCRBYFLOAT", "h", "f", "-inf"],
        &["HINCRBYFLOAT", "h", "f", "nan"],
        &["HINCRBYFLOAT", "h", "f", "abc"],
        &["HINCRBYFLOAT", "h", "f", ""],
        &["HINCRBYFLOAT", "h", "f", "0x10"],
        &["HINCRBYFLOAT", "h", "g", "1.18973149535723176502e+4932"],
        &["HINCRBYFLOAT", "h", "g", "1.18973149535723176502e+4932"],
        &["HINCRBYFLOAT", "h", "g", "5e-18"],
        &["HINCRBYFLOAT", "newkey", "f", "abc"],
        &["EXISTS", "newkey"],
        &["HINCRBY", "newkey2", "f", "x"],
        &["EXISTS", "newkey2"],
        &["OBJECT", "ENCODING", "h"],
        &["HMGET", "h", "f", "g", "n", "big", "small", "z", "s", "sp", "neg0"],
    ]);
}

#[test]
fn replies_match_the_oracle_in_resp3() {
    let mut p = Pair::start();
    p.hello3();
    p.check(&[
        &["HSET", "h", "a", "1", "b", "2"],
        &["HGETALL", "h"],
        &["HGETALL", "nokey"],
        &["HKEYS", "h"],
        &["HVALS", "nokey"],
        &["HMGET", "h", "a", "zz"],
        &["HMGET", "nokey", "a"],
        &["HGET", "h", "zz"],
        &["HINCRBYFLOAT", "h", "a", "0.5"],
        &["HRANDFIELD", "nokey"],
        &["HRANDFIELD", "nokey", "3"],
        &["HRANDFIELD", "nokey", "3", "WITHVALUES"],
        &["HRANDFIELD", "h", "0", "WITHVALUES"],
        &["HRANDFIELD", "h", "5", "WITHVALUES"],
        &["HRANDFIELD", "h", "2"],
        &["HSCAN", "h", "0"],
        &["HSCAN", "nokey", "0"],
        &["HSCAN", "h", "0", "MATCH", "a*"],
    ]);
}

#[test]
fn encodings_follow_the_thresholds_and_config_set_like_the_oracle() {
    let mut p = Pair::start();
    let long = "x".repeat(64);
    let longer = "x".repeat(65);
    let mut script: Vec<Vec<String>> = Vec::new();
    let s = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    script.push(s(&["HSET", "v", "f", &long]));
    script.push(s(&["OBJECT", "ENCODING", "v"]));
    script.push(s(&["HSET", "v", "f", &longer]));
    script.push(s(&["OBJECT", "ENCODING", "v"]));
    script.push(s(&["HDEL", "v", "f"]));
    script.push(s(&["HSET", "fk", &longer, "1"]));
    script.push(s(&["OBJECT", "ENCODING", "fk"]));
    // HSETNX converts only when it sets.
    script.push(s(&["HSET", "nx", "f", "1"]));
    script.push(s(&["HSETNX", "nx", "f", &longer]));
    script.push(s(&["OBJECT", "ENCODING", "nx"]));
    script.push(s(&["HSETNX", "nx", "g", &longer]));
    script.push(s(&["OBJECT", "ENCODING", "nx"]));
    // HINCRBYFLOAT results and HINCRBY field names count too.
    script.push(s(&["HSET", "inc", "f", "1"]));
    script.push(s(&["HINCRBY", "inc", &longer, "1"]));
    script.push(s(&["OBJECT", "ENCODING", "inc"]));
    // Debian's 7.0 defaults to 512 entries.
    for i in 0..512 {
        script.push(s(&["HSET", "n", &format!("f{i}"), "v"]));
    }
    script.push(s(&["OBJECT", "ENCODING", "n"]));
    script.push(s(&["HSET", "n", "f0", "w"]));
    script.push(s(&["OBJECT", "ENCODING", "n"]));
    script.push(s(&["HSET", "n", "f512", "v"]));
    script.push(s(&["OBJECT", "ENCODING", "n"]));
    script.push(s(&["HDEL", "n", "f512", "f511", "f510"]));
    script.push(s(&["OBJECT", "ENCODING", "n"]));
    script.push(s(&["CONFIG", "SET", "hash-max-listpack-entries", "3"]));
    script.push(s(&["CONFIG", "SET", "hash-max-listpack-value", "4"]));
    script.push(s(&["HSET", "c", "a", "1", "b", "2", "c", "3"]));
    script.push(s(&["OBJECT", "ENCODING", "c"]));
    script.push(s(&["HSET", "c", "d", "4"]));
    script.push(s(&["OBJECT", "ENCODING", "c"]));
    script.push(s(&["HSET", "c2", "a", "1234"]));
    script.push(s(&["OBJECT", "ENCODING", "c2"]));
    script.push(s(&["HSET", "c2", "b", "12345"]));
    script.push(s(&["OBJECT", "ENCODING", "c2"]));
    // Five pairs of one field stay one entry: no conversion by argument count.
    script.push(s(&["HSET", "dup", "f", "1", "f", "2", "f", "3", "f", "4", "f", "5"]));
    script.push(s(&["OBJECT", "ENCODING", "dup"]));
    script.push(s(&["HINCRBYFLOAT", "dup", "f", "0.5"]));
    script.push(s(&["HINCRBYFLOAT", "dup", "f", "0.25"]));
    script.push(s(&["OBJECT", "ENCODING", "dup"]));
    script.push(s(&["CONFIG", "SET", "hash-max-listpack-entries", "0"]));
    script.push(s(&["HSET", "z", "a", "1"]));
    script.push(s(&["OBJECT", "ENCODING", "z"]));
    let refs: Vec<Vec<&str>> = script.iter().map(|c| c.iter().map(String::as_str).collect()).collect();
    let cmds: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    p.check(&cmds);
}

#[test]
fn listpack_hashes_keep_insertion_order_like_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["HSET", "h", "z", "1", "y", "2", "x", "3"],
        &["HSET", "h", "a", "4", "y", "5"],
        &["HDEL", "h", "z"],
        &["HSET", "h", "z", "6"],
        &["HGETALL", "h"],
        &["HKEYS", "h"],
        &["HVALS", "h"],
        &["HSCAN", "h", "0"],
        &["HSCAN", "h", "0", "COUNT", "1"],
        &["HRANDFIELD", "h", "10", "WITHVALUES"],
        &["HRANDFIELD", "h", "4"],
    ]);
}

#[test]
fn hashtable_replies_match_the_oracle_beyond_order() {
    let mut p = Pair::start();
    let mut cmd = vec!["HSET".to_string(), "big".to_string()];
    for i in 0..600 {
        cmd.push(format!("field:{i}"));
        cmd.push(format!("{}", i * 7));
    }
    let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
    p.check(&[&refs, &["OBJECT", "ENCODING", "big"], &["HLEN", "big"]]);
    p.check_unordered(&[&["HKEYS", "big"], &["HVALS", "big"]]);
    for resp3 in [false, true] {
        if resp3 {
            p.hello3();
        }
        let (s, r) = p.both(&["HGETALL", "big"]);
        let (s, r) = (Resp::parse(&s), Resp::parse(&r));
        if resp3 {
            assert_eq!(s.unordered(), r.unordered());
        } else {
            assert_eq!(s.unordered_pairs(), r.unordered_pairs());
        }
    }
}

/// Walks HSCAN to the end; returns the (field, value) pairs seen.
fn full_scan(c: &mut Raw, key: &str, extra: &[&str]) -> BTreeSet<Vec<Resp>> {
    let mut cursor = "0".to_string();
    let mut seen = BTreeSet::new();
    let novalues = extra.iter().any(|a| a.eq_ignore_ascii_case("novalues"));
    for _ in 0..100_000 {
        let mut args = vec!["HSCAN", key, &cursor];
        args.extend_from_slice(extra);
        let reply = Resp::parse(&c.cmd(&args));
        let Resp::Agg(_, items) = reply else {
            panic!("bad HSCAN reply")
        };
        let Resp::Bulk(_, next) = &items[0] else {
            panic!("bad cursor")
        };
        let Resp::Agg(_, elems) = &items[1] else {
            panic!("bad elements")
        };
        let step = if novalues { 1 } else { 2 };
        for chunk in elems.chunks(step) {
            seen.insert(chunk.to_vec());
        }
        cursor = String::from_utf8(next.clone()).unwrap();
        if cursor == "0" {
            return seen;
        }
    }
    panic!("HSCAN never finished");
}

#[test]
fn hscan_of_a_hashtable_returns_every_field_and_options_match_the_oracle() {
    let mut p = Pair::start();
    let mut cmd = vec!["HSET".to_string(), "big".to_string()];
    for i in 0..700 {
        cmd.push(format!("f{i}"));
        cmd.push(format!("v{i}"));
    }
    let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
    p.check(&[&refs]);
    for extra in [
        &[][..],
        &["COUNT", "7"][..],
        &["MATCH", "f1*"][..],
        &["MATCH", "f2?", "COUNT", "3"][..],
        &["NOVALUES"][..],
        &["MATCH", "*9", "NOVALUES", "COUNT", "50"][..],
    ] {
        let ours = full_scan(&mut p.s, "big", extra);
        let novalues = extra.contains(&"NOVALUES");
        // The 7.0 oracle has no NOVALUES: compare with the fields of its full scan.
        let theirs_extra: Vec<&str> = extra.iter().copied().filter(|a| *a != "NOVALUES").collect();
        let mut theirs = full_scan(&mut p.r, "big", &theirs_extra);
        if novalues {
            theirs = theirs.into_iter().map(|pair| vec![pair[0].clone()]).collect();
        }
        assert_eq!(ours, theirs, "HSCAN {extra:?}");
    }
    p.check(&[
        &["HSCAN", "big", "x"],
        &["HSCAN", "big", "-1", "COUNT", "0"],
        &["HSCAN", "big", "0", "COUNT", "x"],
        &["HSCAN", "big", "0", "COUNT"],
        &["HSCAN", "big", "0", "MATCH"],
        &["HSCAN", "big", "0", "TYPE", "hash"],
        &["HSCAN", "nokey", "0", "COUNT", "0"],
        &["HSCAN", "nokey", "x"],
        &["HSCAN", "big"],
    ]);
    // NOVALUES on a listpack hash (7.4): only the field names, cursor 0.
    p.s.cmd(&["HSET", "small", "a", "1", "b", "2"]);
    assert_eq!(
        show(&p.s.cmd(&["HSCAN", "small", "0", "NOVALUES"])),
        "*2\\r\\n$1\\r\\n0\\r\\n*2\\r\\n$1\\r\\na\\r\\n$1\\r\\nb\\r\\n"
    );
}

#[test]
fn hrandfield_errors_and_shapes_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["HSET", "h", "a", "1", "b", "2", "c", "3"],
        &["HRANDFIELD", "h", "x"],
        &["HRANDFIELD", "h", "-9223372036854775808"],
        &["HRANDFIELD", "h", "9223372036854775808"],
        &["HRANDFIELD", "h", "1", "WITHVALUE"],
        &["HRANDFIELD", "h", "1", "WITHVALUES", "x"],
        &["HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"],
        &["HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"],
        &["HRANDFIELD", "nokey", "-5"],
        &["HRANDFIELD", "nokey", "-9223372036854775807"],
        &["HRANDFIELD", "h", "0"],
        &["HRANDFIELD", "h", "3"],
        &["HRANDFIELD", "h", "100", "WITHVALUES"],
    ]);
    let members: BTreeSet<Vec<u8>> = [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()].into();
    for resp3 in [false, true] {
        if resp3 {
            p.hello3();
        }
        for (count, want) in [("-7", 7usize), ("2", 2), ("1", 1), ("-1", 1)] {
            for withvalues in [false, true] {
                let mut args = vec!["HRANDFIELD", "h", count];
                if withvalues {
                    args.push("WITHVALUES");
                }
                let (s, r) = p.both(&args);
                let (s, r) = (Resp::parse(&s), Resp::parse(&r));
                let (Resp::Agg(ts, si), Resp::Agg(tr, ri)) = (&s, &r) else {
                    panic!("{args:?}: {s:?} / {r:?}")
                };
                assert_eq!((ts, si.len()), (tr, ri.len()), "{args:?}");
                let flat: Vec<&Resp> = if withvalues && resp3 {
                    si.iter()
                        .flat_map(|pair| match pair {
                            Resp::Agg(_, kv) if kv.len() == 2 => kv.iter(),
                            other => panic!("pair expected, got {other:?}"),
                        })
                        .collect()
                } else {
                    si.iter().collect()
                };
                let step = if withvalues { 2 } else { 1 };
                assert_eq!(flat.len(), want * step, "{args:?}");
                for chunk in flat.chunks(step) {
                    let Resp::Bulk(_, name) = chunk[0] else { panic!() };
                    assert!(members.contains(name), "{args:?}");
                    if withvalues {
                        let value = match name.as_slice() {
                            b"a" => b"1",
                            b"b" => b"2",
                            _ => b"3",
                        };
                        assert_eq!(chunk[1], &Resp::Bulk(b'$', value.to_vec()));
                    }
                }
                if count == "2" {
                    let names: BTreeSet<&Resp> = flat.iter().step_by(step).copied().collect();
                    assert_eq!(names.len(), 2, "a positive count gives distinct fields");
                }
            }
        }
        let (s, _) = p.both(&["HRANDFIELD", "h"]);
        assert!(matches!(Resp::parse(&s), Resp::Bulk(_, n) if members.contains(&n)));
    }
    // Redis would stream 2^63 elements; shoal refuses with a range error.
    assert_eq!(
        show(&p.s.cmd(&["HRANDFIELD", "h", "-9223372036854775807"])),
        "-ERR value is out of range\\r\\n"
    );
}

#[test]
fn read_commands_count_keyspace_hits_and_misses_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "RESETSTAT"],
        &["HSET", "h", "a", "1"],
        &["HGET", "h", "a"],
        &["HGET", "h", "zz"],
        &["HGET", "nokey", "a"],
        &["HMGET", "h", "a"],
        &["HGETALL", "nokey"],
        &["HLEN", "h"],
        &["HEXISTS", "nokey", "a"],
        &["HSTRLEN", "h", "a"],
        &["HKEYS", "h"],
        &["HVALS", "nokey"],
        &["HRANDFIELD", "h"],
        &["HRANDFIELD", "nokey", "2"],
        &["HSCAN", "h", "0"],
        &["HSCAN", "nokey", "0"],
        &["HINCRBY", "h", "n", "1"],
        &["HDEL", "h", "n"],
        &["SET", "s", "x"],
        &["HGET", "s", "a"],
        &["HGETALL", "s"],
        &["HRANDFIELD", "s", "2"],
    ]);
    let stats = |reply: &[u8]| {
        let text = String::from_utf8_lossy(reply).into_owned();
        text.lines()
            .filter(|l| l.starts_with("keyspace_hits:") || l.starts_with("keyspace_misses:"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (s, r) = p.both(&["INFO", "stats"]);
    assert_eq!(stats(&s), stats(&r));
    assert_eq!(stats(&s).len(), 2);
}

// ---- Redis 7.4 hash-field TTLs (shoal alone; the oracle is 7.0) ----

fn ints(reply: &[u8]) -> Vec<i64> {
    match Resp::parse(reply) {
        Resp::Agg(_, items) => items
            .iter()
            .map(|i| match i {
                Resp::Line(b':', n) => std::str::from_utf8(n).unwrap().parse().unwrap(),
                other => panic!("integer expected, got {other:?}"),
            })
            .collect(),
        other => panic!("array expected, got {other:?} ({})", show(reply)),
    }
}

#[test]
fn hpexpireat_in_the_past_deletes_fields_and_the_emptied_hash() {
    let s = Server::start();
    let mut c = s.raw();
    c.cmd(&["HSET", "h", "a", "1", "b", "2", "c", "3"]);
    assert_eq!(
        ints(&c.cmd(&["HPEXPIREAT", "h", "1", "FIELDS", "2", "a", "zz"])),
        [2, -2]
    );
    assert_eq!(c.cmd(&["HGET", "h", "a"]), b"$-1\r\n");
    assert_eq!(c.cmd(&["HLEN", "h"]), b":2\r\n");
    assert_eq!(ints(&c.cmd(&["HEXPIRE", "h", "0", "FIELDS", "1", "b"])), [2]);
    assert_eq!(ints(&c.cmd(&["HEXPIREAT", "h", "1", "FIELDS", "1", "c"])), [2]);
    assert_eq!(c.cmd(&["EXISTS", "h"]), b":0\r\n");
    // A missing key answers -2 for every field.
    assert_eq!(
        ints(&c.cmd(&["HEXPIRE", "h", "100", "FIELDS", "2", "a", "b"])),
        [-2, -2]
    );
    assert_eq!(ints(&c.cmd(&["HTTL", "h", "FIELDS", "1", "a"])), [-2]);
    assert_eq!(ints(&c.cmd(&["HPERSIST", "h", "FIELDS", "1", "a"])), [-2]);
}

#[test]
fn far_future_field_expiry_reads_back_exactly_and_conditions_apply() {
    let s = Server::start();
    let mut c = s.raw();
    let at = now_ms() + 1_000_000_000;
    let at_s = at.to_string();
    let later = (at + 5000).to_string();
    let earlier = (at - 5000).to_string();
    c.cmd(&["HSET", "h", "a", "1", "b", "2"]);
    assert_eq!(ints(&c.cmd(&["HPEXPIREAT", "h", &at_s, "XX", "FIELDS", "1", "a"])), [0]);
    assert_eq!(ints(&c.cmd(&["HPEXPIREAT", "h", &at_s, "GT", "FIELDS", "1", "a"])), [0]);
    assert_eq!(
        ints(&c.cmd(&["HPEXPIREAT", "h", &at_s, "NX", "FIELDS", "2", "a", "zz"])),
        [1, -2]
    );
    assert_eq!(
        ints(&c.cmd(&["HPEXPIRETIME", "h", "FIELDS", "3", "a", "b", "zz"])),
        [at as i64, -1, -2]
    );
    assert_eq!(
        ints(&c.cmd(&["HEXPIRETIME", "h", "FIELDS", "1", "a"])),
        [at.div_ceil(1000) as i64]
    );
    assert_eq!(ints(&c.cmd(&["HPEXPIREAT", "h", &at_s, "NX", "FIELDS", "1", "a"])), [0]);
    assert_eq!(
        ints(&c.cmd(&["HPEXPIREAT", "h", &earlier, "GT", "FIELDS", "1", "a"])),
        [0]
    );
    assert_eq!(
        ints(&c.cmd(&["HPEXPIREAT", "h", &later, "LT", "FIELDS", "1", "a"])),
        [0]
    );
    assert_eq!(
        ints(&c.cmd(&["HPEXPIREAT", "h", &later, "gt", "FIELDS", "1", "a"])),
        [1]
    );
    assert_eq!(
        ints(&c.cmd(&["HPEXPIRETIME", "h", "FIELDS", "1", "a"])),
        [at as i64 + 5000]
    );
    assert_eq!(
        ints(&c.cmd(&["HPEXPIREAT", "h", &earlier, "LT", "FIELDS", "1", "a"])),
        [1]
    );
    // LT treats no expiry as infinite, so it sets one on a persistent field.
    assert_eq!(
        ints(&c.cmd(&["HPEXPIREAT", "h", &earlier, "LT", "FIELDS", "1", "b"])),
        [1]
    );
    let ttl = ints(&c.cmd(&["HPTTL", "h", "FIELDS", "1", "a"]))[0];
    assert!(ttl > 900_000_000 && ttl <= 1_000_000_000 - 5000, "{ttl}");
    let ttl_s = ints(&c.cmd(&["HTTL", "h", "FIELDS", "1", "a"]))[0];
    assert!(ttl_s > 900_000 && ttl_s <= 1_000_000, "{ttl_s}");
    assert_eq!(
        ints(&c.cmd(&["HPERSIST", "h", "FIELDS", "3", "a", "a", "zz"])),
        [1, -1, -2]
    );
    assert_eq!(ints(&c.cmd(&["HPTTL", "h", "FIELDS", "1", "a"])), [-1]);
    // The field keeps its value throughout; HEXPIRE in seconds is relative.
    assert_eq!(c.cmd(&["HGET", "h", "a"]), b"$1\r\n1\r\n");
    assert_eq!(ints(&c.cmd(&["HEXPIRE", "h", "1000000", "FIELDS", "1", "a"])), [1]);
    let t = ints(&c.cmd(&["HTTL", "h", "FIELDS", "1", "a"]))[0];
    assert!(t > 999_000 && t <= 1_000_000, "{t}");
    assert_eq!(ints(&c.cmd(&["HPEXPIRE", "h", "1000000000", "FIELDS", "1", "a"])), [1]);
}

#[test]
fn hset_clears_a_field_ttl_and_counters_keep_it() {
    let s = Server::start();
    let mut c = s.raw();
    let at = (now_ms() + 1_000_000_000).to_string();
    c.cmd(&["HSET", "h", "a", "1", "b", "2", "c", "x"]);
    c.cmd(&["HPEXPIREAT", "h", &at, "FIELDS", "3", "a", "b", "c"]);
    c.cmd(&["HINCRBY", "h", "a", "5"]);
    c.cmd(&["HINCRBYFLOAT", "h", "b", "0.5"]);
    c.cmd(&["HSETNX", "h", "c", "y"]);
    let want = at.parse::<i64>().unwrap();
    assert_eq!(
        ints(&c.cmd(&["HPEXPIRETIME", "h", "FIELDS", "3", "a", "b", "c"])),
        [want, want, want]
    );
    c.cmd(&["HSET", "h", "a", "9"]);
    c.cmd(&["HMSET", "h", "b", "9"]);
    assert_eq!(
        ints(&c.cmd(&["HPEXPIRETIME", "h", "FIELDS", "3", "a", "b", "c"])),
        [-1, -1, want]
    );
    c.cmd(&["HDEL", "h", "c"]);
    c.cmd(&["HSET", "h", "c", "z"]);
    assert_eq!(ints(&c.cmd(&["HPEXPIRETIME", "h", "FIELDS", "1", "c"])), [-1]);
    assert_eq!(c.cmd(&["HGET", "h", "a"]), b"$1\r\n9\r\n");
}

#[test]
fn field_ttl_argument_errors_use_redis_7_4_texts() {
    let s = Server::start();
    let mut c = s.raw();
    c.cmd(&["HSET", "h", "a", "1"]);
    c.cmd(&["SET", "str", "x"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["HEXPIRE", "h", "10", "FIELDS", "0"],
            "-ERR wrong number of arguments for 'hexpire' command",
        ),
        (
            &["HTTL", "h", "FIELDS", "1"],
            "-ERR wrong number of arguments for 'httl' command",
        ),
        (
            &["HEXPIRE", "str", "x", "FIELDS", "1", "a"],
            "-WRONGTYPE Operation against a key holding the wrong kind of value",
        ),
        (
            &["HTTL", "str", "FIELDS", "1", "a"],
            "-WRONGTYPE Operation against a key holding the wrong kind of value",
        ),
        (
            &["HPERSIST", "str", "FIELDS", "1", "a"],
            "-WRONGTYPE Operation against a key holding the wrong kind of value",
        ),
        (
            &["HEXPIRE", "h", "x", "FIELDS", "1", "a"],
            "-ERR value is not an integer or out of range",
        ),
        (
            &["HEXPIRE", "h", "-1", "FIELDS", "1", "a"],
            "-ERR invalid expire time, must be >= 0",
        ),
        (
            &["HEXPIRE", "h", "70368744177664", "FIELDS", "1", "a"],
            "-ERR invalid expire time in 'hexpire' command",
        ),
        (
            &["HPEXPIREAT", "h", "70368744177664", "FIELDS", "1", "a"],
            "-ERR invalid expire time in 'hpexpireat' command",
        ),
        (
            &["HPEXPIRE", "h", "70368744177663", "FIELDS", "1", "a"],
            "-ERR invalid expire time in 'hpexpire' command",
        ),
        (
            &["HEXPIREAT", "h", "9223372036854775807", "FIELDS", "1", "a"],
            "-ERR invalid expire time in 'hexpireat' command",
        ),
        (
            &["HEXPIRE", "h", "10", "FIELD", "1", "a"],
            "-ERR Mandatory argument FIELDS is missing or not at the right position",
        ),
        (
            &["HEXPIRE", "h", "10", "XY", "FIELDS", "1", "a"],
            "-ERR Mandatory argument FIELDS is missing or not at the right position",
        ),
        (
            &["HEXPIRE", "h", "10", "FIELDS", "0", "a"],
            "-ERR Parameter `numFields` should be greater than 0",
        ),
        (
            &["HEXPIRE", "h", "10", "NX", "FIELDS", "x", "a"],
            "-ERR Parameter `numFields` should be greater than 0",
        ),
        (
            &["HEXPIRE", "h", "10", "FIELDS", "2", "a"],
            "-ERR The `numfields` parameter must match the number of arguments",
        ),
        (
            &["HEXPIRE", "h", "10", "FIELDS", "1", "a", "b"],
            "-ERR The `numfields` parameter must match the number of arguments",
        ),
        (
            &["HTTL", "h", "FIELD", "1", "a"],
            "-ERR Mandatory argument FIELDS is missing or not at the right position",
        ),
        (
            &["HPTTL", "h", "FIELDS", "0", "a"],
            "-ERR Number of fields must be a positive integer",
        ),
        (
            &["HEXPIRETIME", "h", "FIELDS", "-1", "a"],
            "-ERR Number of fields must be a positive integer",
        ),
        (
            &["HPEXPIRETIME", "h", "FIELDS", "2", "a"],
            "-ERR The `numfields` parameter must match the number of arguments",
        ),
        (
            &["HPERSIST", "h", "FIELDS", "x", "a"],
            "-ERR Number of fields must be a positive integer",
        ),
        (
            &["HPERSIST", "h", "FIELDS", "1", "a", "b"],
            "-ERR The `numfields` parameter must match the number of arguments",
        ),
    ];
    for (args, want) in cases {
        assert_eq!(show(&c.cmd(args)), format!("{want}\\r\\n"), "{args:?}");
    }
    // Nothing above changed the hash.
    assert_eq!(ints(&c.cmd(&["HTTL", "h", "FIELDS", "1", "a"])), [-1]);
    assert_eq!(c.cmd(&["EXISTS", "nokey"]), b":0\r\n");
}

#[test]
fn field_ttls_survive_dump_restore_and_keep_the_listpack_encoding() {
    let s = Server::start();
    let mut c = s.raw();
    let at = now_ms() + 1_000_000_000;
    let at_s = at.to_string();
    c.cmd(&["HSET", "h", "a", "1", "b", "2"]);
    c.cmd(&["HPEXPIREAT", "h", &at_s, "FIELDS", "1", "a"]);
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "h"]), b"$8\r\nlistpack\r\n");
    let dump = c.cmd(&["DUMP", "h"]);
    let Resp::Bulk(_, payload) = Resp::parse(&dump) else {
        panic!("DUMP: {}", show(&dump))
    };
    c.cmd_bytes(&[b"RESTORE", b"copy", b"0", &payload]);
    assert_eq!(
        ints(&c.cmd(&["HPEXPIRETIME", "copy", "FIELDS", "2", "a", "b"])),
        [at as i64, -1]
    );
    assert_eq!(c.cmd(&["HGETALL", "copy"]), c.cmd(&["HGETALL", "h"]));
    // Past the threshold it is a hashtable, TTLs and all.
    let mut cmd = vec!["HSET".to_string(), "h".to_string()];
    for i in 0..600 {
        cmd.push(format!("f{i}"));
        cmd.push("v".into());
    }
    let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
    c.cmd(&refs);
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "h"]), b"$9\r\nhashtable\r\n");
    assert_eq!(ints(&c.cmd(&["HPEXPIRETIME", "h", "FIELDS", "1", "a"])), [at as i64]);
    assert_eq!(
        ints(&c.cmd(&["HPEXPIREAT", "h", "1", "FIELDS", "2", "f0", "f1"])),
        [2, 2]
    );
    assert_eq!(c.cmd(&["HLEN", "h"]), b":600\r\n");
}

#[test]
fn fields_of_hashes_nobody_reads_expire_actively_and_emptied_hashes_go() {
    let s = Server::start();
    let mut c = s.raw();
    for i in 0..20 {
        let k = format!("h{i}");
        c.cmd(&["HSET", &k, "a", "1", "b", "2"]);
        c.cmd(&["HPEXPIRE", &k, "30", "FIELDS", "2", "a", "b"]);
    }
    c.cmd(&["HSET", "keep", "a", "1", "b", "2"]);
    c.cmd(&["HPEXPIRE", "keep", "30", "FIELDS", "1", "a"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        // DBSIZE counts keys without touching any of them.
        if c.cmd(&["DBSIZE"]) == b":1\r\n" {
            break;
        }
        assert!(Instant::now() < deadline, "hash fields were not expired actively");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(c.cmd(&["HGETALL", "keep"]), b"*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
}

#[test]
fn hash_writes_and_field_ttl_changes_abort_a_watching_transaction() {
    let s = Server::start();
    let (mut a, mut b) = (s.raw(), s.raw());
    let at = (now_ms() + 1_000_000_000).to_string();
    a.cmd(&["HSET", "h", "f", "1", "g", "2"]);
    for write in [
        &["HSET", "h", "f", "2"][..],
        &["HDEL", "h", "g"][..],
        &["HINCRBY", "h", "f", "1"][..],
        &["HPEXPIREAT", "h", &at, "FIELDS", "1", "f"][..],
        &["HPERSIST", "h", "FIELDS", "1", "f"][..],
    ] {
        a.cmd(&["WATCH", "h"]);
        a.cmd(&["MULTI"]);
        a.cmd(&["HGET", "h", "f"]);
        b.cmd(write);
        assert_eq!(a.cmd(&["EXEC"]), b"*-1\r\n", "{write:?} did not touch the key");
    }
    // Commands that change nothing leave the transaction alone.
    for noop in [
        &["HGET", "h", "f"][..],
        &["HDEL", "h", "nosuch"][..],
        &["HSETNX", "h", "f", "x"][..],
        &["HPERSIST", "h", "FIELDS", "1", "f"][..],
    ] {
        a.cmd(&["WATCH", "h"]);
        a.cmd(&["MULTI"]);
        a.cmd(&["HLEN", "h"]);
        b.cmd(noop);
        assert_eq!(a.cmd(&["EXEC"]), b"*1\r\n:1\r\n", "{noop:?} touched the key");
    }
}

// ---- seeded random differential run ----

const KEYS: &[&str] = &["h0", "h1", "h2", "h3", "big0", "big1", "str"];

fn field(rng: &mut SmallRng, key: &str) -> String {
    if key.starts_with("big") {
        format!("f{}", rng.random_range(0..200))
    } else {
        match rng.random_range(0..12) {
            0 => String::new(),
            1 => "x".repeat(65),
            _ => format!("f{}", rng.random_range(0..8)),
        }
    }
}

fn value(rng: &mut SmallRng) -> String {
    const POOL: &[&str] = &[
        "",
        "0",
        "1",
        "-1",
        "007",
        "-0",
        " 1",
        "9223372036854775807",
        "-9223372036854775808",
        "3.5",
        "1e3",
        "abc",
        "inf",
        "0x10",
    ];
    match rng.random_range(0..10) {
        0..=5 => POOL[rng.random_range(0..POOL.len())].to_string(),
        6 | 7 => rng.random_range(-1000i64..1000).to_string(),
        8 => "v".repeat(rng.random_range(60..70)),
        _ => format!("{:.3}", rng.random_range(-100.0f64..100.0)),
    }
}

fn int_arg(rng: &mut SmallRng) -> String {
    const EDGES: &[&str] = &["9223372036854775807", "-9223372036854775808", "x", "1.5", "", "01"];
    match rng.random_range(0..10) {
        0 => EDGES[rng.random_range(0..EDGES.len())].to_string(),
        1 => rng.random::<i64>().to_string(),
        _ => rng.random_range(-20i64..20).to_string(),
    }
}

fn float_arg(rng: &mut SmallRng) -> String {
    const POOL: &[&str] = &[
        "0.1", "-0.1", "1e3", "inf", "nan", "abc", "1e400", "5e-18", "-7", "0x1p-2", "",
    ];
    match rng.random_range(0..3) {
        0 => POOL[rng.random_range(0..POOL.len())].to_string(),
        1 => format!("{}", rng.random_range(-1000.0f64..1000.0)),
        _ => rng.random_range(-100i64..100).to_string(),
    }
}

/// A random command and whether its reply order is the hash's order.
fn random_command(rng: &mut SmallRng) -> Vec<String> {
    let key = KEYS[rng.random_range(0..KEYS.len())].to_string();
    let f = |rng: &mut SmallRng| field(rng, &key);
    let w = |s: &str| s.to_string();
    let mut c = Vec::new();
    match rng.random_range(0..30) {
        0..=4 => {
            c.extend([w(if rng.random_bool(0.8) { "HSET" } else { "HMSET" }), key.clone()]);
            for _ in 0..rng.random_range(1..4) {
                c.extend([f(rng), value(rng)]);
            }
            if rng.random_range(0..15) == 0 {
                c.push(f(rng));
            }
        }
        5 => c.extend([w("HSETNX"), key.clone(), f(rng), value(rng)]),
        6 | 7 => c.extend([w("HGET"), key.clone(), f(rng)]),
        8 => {
            c.extend([w("HMGET"), key.clone()]);
            for _ in 0..rng.random_range(1..4) {
                c.push(f(rng));
            }
        }
        9..=11 => {
            c.extend([w("HDEL"), key.clone()]);
            for _ in 0..rng.random_range(1..4) {
                c.push(f(rng));
            }
        }
        12 | 13 => c.extend([w("HINCRBY"), key.clone(), f(rng), int_arg(rng)]),
        14 | 15 => c.extend([w("HINCRBYFLOAT"), key.clone(), f(rng), float_arg(rng)]),
        16 => c.extend([w("HLEN"), key.clone()]),
        17 => c.extend([w("HSTRLEN"), key.clone(), f(rng)]),
        18 => c.extend([w("HEXISTS"), key.clone(), f(rng)]),
        19 | 20 => c.extend([w(["HGETALL", "HKEYS", "HVALS"][rng.random_range(0..3)]), key.clone()]),
        21 | 22 => {
            c.extend([w("HRANDFIELD"), key.clone()]);
            match rng.random_range(0..4) {
                0 => {}
                1 => c.push(rng.random_range(-5i64..6).to_string()),
                2 => c.extend([rng.random_range(-5i64..300).to_string(), w("WITHVALUES")]),
                _ => c.extend([int_arg(rng), w(["WITHVALUES", "x"][rng.random_range(0..2)])]),
            }
        }
        23 => {
            c.extend([w("HSCAN"), key.clone(), w("0"), w("COUNT"), w("1000")]);
            if rng.random_bool(0.3) {
                c.extend([w("MATCH"), w("f1*")]);
            }
        }
        24 => c.extend([w("OBJECT"), w("ENCODING"), key.clone()]),
        25 => c.extend([
            w(["HGET", "HSTRLEN", "HEXISTS", "HDEL"][rng.random_range(0..4)]),
            key.clone(),
        ]),
        26 => c.extend([w(["HLEN", "HGETALL"][rng.random_range(0..2)]), key.clone(), w("extra")]),
        27 => c.extend([w("SET"), w("str"), value(rng)]),
        28 => c.extend([w("DEL"), w(["h0", "h1", "h2", "h3"][rng.random_range(0..4)])]),
        _ => c.extend([w("EXISTS"), key.clone()]),
    }
    c
}

fn is_hashtable(p: &mut Pair, key: &str) -> bool {
    p.r.cmd(&["OBJECT", "ENCODING", key]) == b"$9\r\nhashtable\r\n"
}

#[test]
fn random_hash_commands_match_the_oracle() {
    random_run(0x5EED_4A54, 12_000, false);
}

#[test]
fn random_hash_commands_match_the_oracle_in_resp3() {
    random_run(0x5EED_4A55, 4_000, true);
}

/// Sends `n` random hash commands to both servers and compares every reply
/// (order-insensitively only for hashtable-encoded replies; HRANDFIELD by shape).
fn random_run(seed: u64, n: usize, resp3: bool) {
    let mut p = Pair::start();
    let mut rng = SmallRng::seed_from_u64(seed);
    if resp3 {
        p.hello3();
    }
    p.check(&[&["CONFIG", "SET", "hash-max-listpack-entries", "128"]]);
    // Two hashes start past the listpack threshold and stay there.
    for key in ["big0", "big1"] {
        let mut cmd = vec!["HSET".to_string(), key.to_string()];
        for i in 0..150 {
            cmd.push(format!("f{i}"));
            cmd.push(i.to_string());
        }
        let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
        p.check(&[&refs]);
    }
    let mut sent = 0;
    while sent < n {
        let cmd = random_command(&mut rng);
        let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        sent += 1;
        let (s, r) = p.both(&args);
        if s == r {
            continue;
        }
        let name = args[0].to_ascii_uppercase();
        let key = args.get(1).copied().unwrap_or("");
        let (ps, pr) = (Resp::parse(&s), Resp::parse(&r));
        let context = format!("{args:?}: shoal {} / redis {}", show(&s), show(&r));
        match name.as_str() {
            "HGETALL" | "HKEYS" | "HVALS" | "HSCAN" if is_hashtable(&mut p, key) => {
                let (us, ur) = if name == "HGETALL" {
                    (ps.unordered_pairs(), pr.unordered_pairs())
                } else if name == "HSCAN" {
                    let pairs = |x: &Resp| match x {
                        Resp::Agg(t, items) => Resp::Agg(*t, vec![items[0].clone(), items[1].unordered_pairs()]),
                        other => other.clone(),
                    };
                    (pairs(&ps), pairs(&pr))
                } else {
                    (ps.unordered(), pr.unordered())
                };
                assert_eq!(us, ur, "{context}");
            }
            "HRANDFIELD" if args.len() >= 3 => {
                // Random: compare the shape (type and length) only.
                match (&ps, &pr) {
                    (Resp::Agg(ts, si), Resp::Agg(tr, ri)) => assert_eq!((ts, si.len()), (tr, ri.len()), "{context}"),
                    _ => panic!("{context}"),
                }
            }
            "HRANDFIELD" => {
                assert!(matches!((&ps, &pr), (Resp::Bulk(..), Resp::Bulk(..))), "{context}");
                let Resp::Bulk(_, name) = &ps else { unreachable!() };
                let exists = p.r.cmd_bytes(&[b"HEXISTS", key.as_bytes(), name]);
                assert_eq!(exists, b":1\r\n", "{context}");
            }
            _ => panic!("reply differs: {context}"),
        }
    }
    // Both end with the same contents.
    for key in KEYS {
        p.check(&[&["TYPE", key], &["HLEN", key], &["OBJECT", "ENCODING", key]]);
        p.check_unordered(&[&["HKEYS", key]]);
    }
}

/// `MEMORY USAGE` of `key` on one side of a pair's reply.
fn usage_of(reply: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(reply);
    text.trim_start_matches(':')
        .trim_end()
        .parse()
        .unwrap_or_else(|_| panic!("not an integer: {text}"))
}

#[test]
fn memory_usage_of_hashes_stays_close_to_the_oracle() {
    let mut p = Pair::start();
    // (fields, allowed ratio to the oracle's own figure): a listpack hash
    // is one packed buffer, a hashtable one allocation per field.
    for (n, max_ratio, encoding) in [(10, 3.0, "listpack"), (100, 2.0, "listpack"), (1000, 2.0, "hashtable")] {
        let key = format!("h{n}");
        let mut cmd = vec!["HSET".to_string(), key.clone()];
        for i in 1..=n {
            cmd.push(format!("f{i}"));
            cmd.push(format!("v{i}"));
        }
        let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
        p.check(&[&refs, &["OBJECT", "ENCODING", &key]]);
        let (s, r) = p.both(&["OBJECT", "ENCODING", &key]);
        assert_eq!(show(&s), show(&r));
        assert!(show(&s).contains(encoding), "{n} fields: {}", show(&s));
        let (s, r) = p.both(&["MEMORY", "USAGE", &key]);
        let (ours, theirs) = (usage_of(&s), usage_of(&r));
        let ratio = ours as f64 / theirs as f64;
        assert!(
            ratio < max_ratio,
            "{n} fields: shoal {ours} vs oracle {theirs} bytes ({ratio:.2}x)"
        );
    }
}
