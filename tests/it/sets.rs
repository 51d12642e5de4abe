//! Set commands against the oracle: every command's replies and errors,
//! encodings around `set-max-intset-entries` (also after `CONFIG SET`),
//! RESP3 shapes, keyspace hits, WATCH, randomness of SPOP/SRANDMEMBER,
//! SSCAN over big sets, and a seeded randomized differential run.
//!
//! Replies are compared byte for byte, except where Redis leaves the order
//! open: a hashtable set's members (compared as sorted lists) and the
//! random picks of SPOP/SRANDMEMBER (compared by count and membership).

use std::collections::{BTreeSet, HashMap};

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::support::{hits_and_misses, show, Pair, Raw, Resp};

/// The members (bulk strings) of an array or set reply.
fn members_of(reply: &[u8]) -> Vec<Vec<u8>> {
    match Resp::parse(reply) {
        Resp::Agg(_, items) => items
            .into_iter()
            .map(|i| match i {
                Resp::Bulk(_, b) => b,
                other => panic!("not a member: {other:?} in {}", show(reply)),
            })
            .collect(),
        other => panic!("not an aggregate: {other:?}"),
    }
}

fn sorted(mut v: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    v.sort();
    v
}

/// Runs a full SSCAN iteration and returns every member seen.
fn full_scan(c: &mut Raw, key: &str, extra: &[&str]) -> BTreeSet<Vec<u8>> {
    let mut seen = BTreeSet::new();
    let mut cursor = "0".to_string();
    for _ in 0..100_000 {
        let mut args = vec!["SSCAN", key, cursor.as_str()];
        args.extend_from_slice(extra);
        let reply = c.cmd(&args);
        let Resp::Agg(_, items) = Resp::parse(&reply) else {
            panic!("bad SSCAN reply {}", show(&reply));
        };
        let Resp::Bulk(_, next) = &items[0] else { panic!() };
        let Resp::Agg(_, batch) = &items[1] else { panic!() };
        for m in batch {
            if let Resp::Bulk(_, b) = m {
                seen.insert(b.clone());
            }
        }
        cursor = String::from_utf8(next.clone()).unwrap();
        if cursor == "0" {
            return seen;
        }
    }
    panic!("SSCAN did not finish");
}

#[test]
fn sadd_srem_and_membership_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SADD", "s", "5", "3", "1", "3", "-2"],
        &["SADD", "s", "3"],
        &["SMEMBERS", "s"],
        &["SCARD", "s"],
        &["SCARD", "nokey"],
        &["SISMEMBER", "s", "3"],
        &["SISMEMBER", "s", "4"],
        &["SISMEMBER", "s", "03"],
        &["SISMEMBER", "nokey", "3"],
        &["SMISMEMBER", "s", "1", "2", "3", "x"],
        &["SMISMEMBER", "nokey", "1", "2"],
        &["SREM", "s", "1", "9", "x"],
        &["SREM", "nokey", "1"],
        &["SMEMBERS", "s"],
        &["SREM", "s", "5", "3", "-2", "7"],
        &["EXISTS", "s"],
        &["SMEMBERS", "s"],
        &["SET", "str", "v"],
        &["SADD", "str", "1"],
        &["SREM", "str", "1"],
        &["SISMEMBER", "str", "1"],
        &["SMISMEMBER", "str", "1"],
        &["SCARD", "str"],
        &["SMEMBERS", "str"],
        &["SADD"],
        &["SADD", "s"],
        &["SREM", "s"],
        &["SISMEMBER", "s"],
        &["SMISMEMBER", "s"],
        &["SCARD"],
        &["SMEMBERS", "a", "b"],
        &["SADD", "big", "9223372036854775807", "-9223372036854775808", "0"],
        &["SMEMBERS", "big"],
        &["OBJECT", "ENCODING", "big"],
        &["SADD", "e", ""],
        &["SISMEMBER", "e", ""],
        &["OBJECT", "ENCODING", "e"],
    ]);
    p.check_unordered(&[
        &["SADD", "h", "a", "b", "1", "c"],
        &["SMEMBERS", "h"],
        &["SREM", "h", "1", "a"],
        &["SMEMBERS", "h"],
    ]);
}

#[test]
fn members_are_binary_safe() {
    let mut p = Pair::start();
    let script: Vec<Vec<Vec<u8>>> = vec![
        vec![
            b"SADD".to_vec(),
            b"b\x00k".to_vec(),
            b"\x00".to_vec(),
            b"a\r\nb".to_vec(),
            b"\xff\xfe".to_vec(),
        ],
        vec![b"SISMEMBER".to_vec(), b"b\x00k".to_vec(), b"a\r\nb".to_vec()],
        vec![b"SISMEMBER".to_vec(), b"b\x00k".to_vec(), b"a".to_vec()],
        vec![b"SCARD".to_vec(), b"b\x00k".to_vec()],
        vec![b"SREM".to_vec(), b"b\x00k".to_vec(), b"\x00".to_vec()],
        vec![
            b"SMISMEMBER".to_vec(),
            b"b\x00k".to_vec(),
            b"\x00".to_vec(),
            b"\xff\xfe".to_vec(),
        ],
    ];
    p.check_raw(&script);
    let (s, r) = p.both_bytes(&[b"SMEMBERS", b"b\x00k"]);
    assert_eq!(sorted(members_of(&s)), sorted(members_of(&r)));
}

#[test]
fn encodings_switch_at_the_intset_threshold_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "SET", "set-max-intset-entries", "4"],
        &["SADD", "k", "1", "2", "3", "4"],
        &["OBJECT", "ENCODING", "k"],
        &["SADD", "k", "4"],
        &["OBJECT", "ENCODING", "k"],
        &["SADD", "k", "5"],
        &["OBJECT", "ENCODING", "k"],
        &["SREM", "k", "5", "4"],
        // Never demoted in place.
        &["OBJECT", "ENCODING", "k"],
        &["SADD", "n", "1", "x"],
        &["OBJECT", "ENCODING", "n"],
        &["SREM", "n", "x"],
        &["OBJECT", "ENCODING", "n"],
        &["SADD", "z", "01"],
        &["OBJECT", "ENCODING", "z"],
        &["SADD", "z2", "-0"],
        &["OBJECT", "ENCODING", "z2"],
        &["SADD", "z3", "+1"],
        &["OBJECT", "ENCODING", "z3"],
        &["SADD", "z4", "9223372036854775808"],
        &["OBJECT", "ENCODING", "z4"],
        &["SADD", "z5", "-9223372036854775808"],
        &["OBJECT", "ENCODING", "z5"],
        &["SADD", "z6", " 1"],
        &["OBJECT", "ENCODING", "z6"],
        // Raising the threshold leaves existing sets alone ...
        &["SADD", "low", "1", "2", "3"],
        &["CONFIG", "SET", "set-max-intset-entries", "2"],
        &["OBJECT", "ENCODING", "low"],
        // ... a failed add does not convert, a successful one does.
        &["SADD", "low", "1"],
        &["OBJECT", "ENCODING", "low"],
        &["SADD", "low", "9"],
        &["OBJECT", "ENCODING", "low"],
        &["CONFIG", "SET", "set-max-intset-entries", "0"],
        &["SADD", "zero", "1"],
        &["OBJECT", "ENCODING", "zero"],
        &["SADD", "src", "7", "8"],
        &["SMOVE", "src", "fresh", "7"],
        &["OBJECT", "ENCODING", "fresh"],
        &["CONFIG", "SET", "set-max-intset-entries", "512"],
    ]);
    // 512 integers are an intset, the 513th makes a hashtable.
    let mut args: Vec<String> = vec!["SADD".into(), "t".into()];
    args.extend((0..512).map(|i| (i * 7).to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    p.check(&[&refs, &["OBJECT", "ENCODING", "t"], &["SCARD", "t"], &["SMEMBERS", "t"]]);
    p.check(&[&["SADD", "t", "-1"], &["OBJECT", "ENCODING", "t"], &["SCARD", "t"]]);
    let (s, r) = p.both(&["SMEMBERS", "t"]);
    assert_eq!(sorted(members_of(&s)), sorted(members_of(&r)));
}

#[test]
fn results_of_the_algebra_have_redis_s_encodings() {
    let mut p = Pair::start();
    // Hashtable results come in table order: compared as sorted lists.
    p.check_unordered(&[
        &["SADD", "a", "x", "1", "2", "3", "4", "5", "6"],
        &["SADD", "b", "x"],
        &["SADD", "c", "y"],
        // Three sets with small subtrahends: Redis's second algorithm adds
        // the whole first set (a hashtable) and removes from it.
        &["SDIFFSTORE", "d", "a", "b", "c"],
        &["OBJECT", "ENCODING", "d"],
        &["SMEMBERS", "d"],
        &["SDIFF", "a", "b", "c"],
        // Two sets: the first algorithm builds from the survivors.
        &["SDIFFSTORE", "d", "a", "b"],
        &["OBJECT", "ENCODING", "d"],
        &["SMEMBERS", "d"],
        &["SDIFF", "a", "b"],
        &["SINTERSTORE", "i", "a", "a"],
        &["OBJECT", "ENCODING", "i"],
        &["SADD", "ints", "3", "4", "5", "9"],
        &["SINTERSTORE", "i", "a", "ints"],
        &["OBJECT", "ENCODING", "i"],
        &["SMEMBERS", "i"],
        &["SUNIONSTORE", "u", "ints", "nokey", "b"],
        &["OBJECT", "ENCODING", "u"],
        &["SREM", "a", "x"],
        &["SUNIONSTORE", "u", "a", "ints"],
        &["OBJECT", "ENCODING", "u"],
        &["SMEMBERS", "u"],
        &["SUNION", "a", "ints"],
        &["CONFIG", "SET", "set-max-intset-entries", "3"],
        &["SUNIONSTORE", "u", "a", "ints"],
        &["OBJECT", "ENCODING", "u"],
        &["SINTERSTORE", "i", "a", "ints"],
        &["OBJECT", "ENCODING", "i"],
    ]);
    // Intset results come in ascending order on both.
    p.check(&[
        &["CONFIG", "SET", "set-max-intset-entries", "512"],
        &["SADD", "p", "9", "-1", "4", "x"],
        &["SADD", "q", "x", "100"],
        &["SDIFF", "p", "q"],
        &["SREM", "q", "x"],
        &["SREM", "p", "x"],
        &["SUNION", "q", "p"],
        &["SDIFFSTORE", "r", "p", "q"],
        &["SMEMBERS", "r"],
    ]);
}

#[test]
fn set_algebra_matches_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SADD", "a", "1", "2", "3", "4", "5"],
        &["SADD", "b", "4", "5", "6"],
        &["SADD", "c", "5", "6", "7"],
        &["SET", "str", "v"],
        &["SINTER", "a", "b"],
        &["SINTER", "a", "b", "c"],
        &["SINTER", "a"],
        &["SINTER", "a", "a"],
        &["SINTER", "a", "nokey"],
        &["SINTER", "nokey", "a"],
        &["SINTER", "a", "str"],
        &["SINTER", "nokey", "str"],
        &["SINTER", "str", "nokey"],
        &["SUNION", "a", "b", "c"],
        &["SUNION", "nokey"],
        &["SUNION", "a", "str"],
        &["SUNION", "nokey", "str"],
        &["SDIFF", "a", "b"],
        &["SDIFF", "a", "b", "c"],
        &["SDIFF", "a", "a"],
        &["SDIFF", "a", "nokey"],
        &["SDIFF", "nokey", "a"],
        &["SDIFF", "nokey", "str"],
        &["SDIFF", "str", "nokey"],
        &["SDIFF", "a", "str"],
        &["SINTERSTORE", "dst", "a", "b"],
        &["SMEMBERS", "dst"],
        &["SUNIONSTORE", "dst", "a", "c"],
        &["SMEMBERS", "dst"],
        &["SDIFFSTORE", "dst", "a", "c"],
        &["SMEMBERS", "dst"],
        // The destination may be a source.
        &["SINTERSTORE", "dst", "dst", "b"],
        &["SMEMBERS", "dst"],
        // Any type at the destination is replaced, and its TTL dropped.
        &["SET", "sv", "x", "EX", "1000"],
        &["SUNIONSTORE", "sv", "a"],
        &["TYPE", "sv"],
        &["TTL", "sv"],
        // An empty result deletes the destination.
        &["SINTERSTORE", "dst", "a", "nokey"],
        &["EXISTS", "dst"],
        &["SET", "dst", "x"],
        &["SDIFFSTORE", "dst", "a", "a"],
        &["EXISTS", "dst"],
        &["SET", "dst", "x"],
        &["SUNIONSTORE", "dst", "nokey"],
        &["EXISTS", "dst"],
        &["SET", "dst", "x"],
        &["SINTERSTORE", "dst", "a", "b", "c", "nokey"],
        &["EXISTS", "dst"],
        // Wrong types among the sources fail without touching the destination.
        &["SET", "dst", "keep"],
        &["SINTERSTORE", "dst", "a", "str"],
        &["SUNIONSTORE", "dst", "nokey", "str"],
        &["SDIFFSTORE", "dst", "str"],
        &["SDIFFSTORE", "dst", "nokey", "str"],
        &["GET", "dst"],
        &["SINTER"],
        &["SINTERSTORE", "d"],
        &["SUNIONSTORE", "d"],
        &["SDIFFSTORE", "d"],
    ]);
    p.check_unordered(&[
        &["SADD", "h1", "a", "b", "c", "1", "2"],
        &["SADD", "h2", "b", "c", "d", "2", "3"],
        &["SINTER", "h1", "h2"],
        &["SINTER", "h1", "a"],
        &["SUNION", "h1", "h2", "a"],
        &["SDIFF", "h1", "h2"],
        &["SDIFF", "h2", "h1", "a"],
        &["SINTERSTORE", "x", "h1", "h2"],
        &["SMEMBERS", "x"],
        &["OBJECT", "ENCODING", "x"],
        &["SUNIONSTORE", "x", "h1", "h2"],
        &["SMEMBERS", "x"],
        &["SDIFFSTORE", "x", "h1", "h2"],
        &["SMEMBERS", "x"],
    ]);
}

#[test]
fn sintercard_matches_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SADD", "a", "1", "2", "3", "4", "5"],
        &["SADD", "b", "3", "4", "5", "6", "x"],
        &["SET", "str", "v"],
        &["SINTERCARD", "2", "a", "b"],
        &["SINTERCARD", "1", "a"],
        &["SINTERCARD", "2", "a", "b", "LIMIT", "2"],
        &["SINTERCARD", "2", "a", "b", "limit", "0"],
        &["SINTERCARD", "2", "a", "b", "LIMIT", "10"],
        &["SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "3"],
        &["SINTERCARD", "2", "a", "nokey"],
        &["SINTERCARD", "2", "nokey", "str"],
        &["SINTERCARD", "2", "a", "str"],
        &["SINTERCARD", "0", "a"],
        &["SINTERCARD", "-1", "a"],
        &["SINTERCARD", "x", "a"],
        &["SINTERCARD", "9223372036854775808", "a"],
        &["SINTERCARD", "3", "a", "b"],
        &["SINTERCARD", "1", "a", "LIMIT", "-1"],
        &["SINTERCARD", "1", "a", "LIMIT", "x"],
        &["SINTERCARD", "1", "a", "LIMIT", "9223372036854775808"],
        &["SINTERCARD", "1", "a", "LIMIT"],
        &["SINTERCARD", "1", "a", "FOO", "1"],
        &["SINTERCARD", "1", "a", "b"],
        &["SINTERCARD", "1"],
        &["COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1"],
    ]);
}

#[test]
fn smove_matches_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SADD", "src", "1", "2", "a"],
        &["SADD", "dst", "2"],
        &["SET", "str", "v"],
        &["SMOVE", "src", "dst", "1"],
        &["SMOVE", "src", "dst", "1"],
        &["SMOVE", "src", "dst", "2"],
        &["SMEMBERS", "dst"],
        &["SMOVE", "src", "new", "a"],
        &["SMEMBERS", "new"],
        &["OBJECT", "ENCODING", "new"],
        &["EXISTS", "src"],
        &["SMOVE", "nokey", "dst", "1"],
        &["SMOVE", "nokey", "str", "1"],
        &["SMOVE", "str", "dst", "1"],
        &["SMOVE", "dst", "str", "1"],
        &["SMOVE", "dst", "str", "nosuch"],
        &["SMOVE", "dst", "dst", "1"],
        &["SMOVE", "dst", "dst", "9"],
        &["SMEMBERS", "dst"],
        &["SMOVE", "dst", "other", "1"],
        &["SMOVE", "dst", "other", "2"],
        &["EXISTS", "dst"],
        &["SMEMBERS", "other"],
        &["SADD", "ttl", "5"],
        &["EXPIRE", "ttl", "1000"],
        &["SMOVE", "other", "ttl", "1"],
        &["TTL", "ttl"],
        &["SMOVE", "a", "b"],
    ]);
}

#[test]
fn spop_and_srandmember_deterministic_cases_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SADD", "s", "5", "3", "1"],
        &["SET", "str", "v"],
        &["SPOP", "nokey"],
        &["SPOP", "nokey", "3"],
        &["SPOP", "nokey", "0"],
        &["SPOP", "s", "0"],
        &["SPOP", "s", "-1"],
        &["SPOP", "nokey", "-1"],
        &["SPOP", "s", "x"],
        &["SPOP", "s", "1.5"],
        &["SPOP", "s", "9223372036854775808"],
        &["SPOP", "s", "1", "2"],
        &["SPOP", "str"],
        &["SPOP", "str", "1"],
        &["SPOP", "str", "0"],
        &["SPOP"],
        &["SRANDMEMBER", "nokey"],
        &["SRANDMEMBER", "nokey", "3"],
        &["SRANDMEMBER", "nokey", "-3"],
        &["SRANDMEMBER", "nokey", "0"],
        &["SRANDMEMBER", "nokey", "-9223372036854775807"],
        &["SRANDMEMBER", "nokey", "-9223372036854775808"],
        &["SRANDMEMBER", "s", "-9223372036854775808"],
        &["SRANDMEMBER", "s", "0"],
        &["SRANDMEMBER", "s", "x"],
        &["SRANDMEMBER", "s", "9223372036854775808"],
        &["SRANDMEMBER", "s", "1", "2"],
        &["SRANDMEMBER", "str"],
        &["SRANDMEMBER", "str", "2"],
        &["SRANDMEMBER", "str", "0"],
        // A count covering the set returns all of it: an intset ascending.
        &["SRANDMEMBER", "s", "3"],
        &["SRANDMEMBER", "s", "9223372036854775807"],
        &["SPOP", "s", "3"],
        &["EXISTS", "s"],
        &["SADD", "s", "9", "8", "7"],
        &["SPOP", "s", "9223372036854775807"],
        &["EXISTS", "s"],
        // A hashtable holding only integers pops as a fresh intset would.
        &["SADD", "h", "a", "30", "20", "10"],
        &["SREM", "h", "a"],
        &["SPOP", "h", "100"],
        &["SADD", "one", "x"],
        &["SPOP", "one"],
        &["EXISTS", "one"],
        &["SADD", "one", "7"],
        &["SRANDMEMBER", "one"],
        &["SRANDMEMBER", "one", "1"],
        &["SRANDMEMBER", "one", "-3"],
        &["SPOP", "one", "1"],
        &["EXISTS", "one"],
    ]);
    // Popping most of a hashtable of integers rebuilds it as an intset, in
    // Redis and here (keeping the TTL); popping a little leaves it a hashtable.
    let fill: &[&str] = &[
        "SADD", "k", "a", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
    ];
    p.check(&[fill, &["SREM", "k", "a"], &["EXPIRE", "k", "1000"]]);
    let (s, r) = p.both(&["SPOP", "k", "10"]);
    assert_eq!(members_of(&s).len(), members_of(&r).len());
    p.check(&[
        &["SCARD", "k"],
        &["OBJECT", "ENCODING", "k"],
        &["TTL", "k"],
        &["DEL", "k"],
    ]);
    p.check(&[fill, &["SREM", "k", "a"]]);
    let (s, r) = p.both(&["SPOP", "k", "2"]);
    assert_eq!(members_of(&s).len(), members_of(&r).len());
    p.check(&[&["SCARD", "k"], &["OBJECT", "ENCODING", "k"]]);
}

#[test]
fn spop_pops_distinct_members_of_the_set_and_leaves_the_rest() {
    let mut p = Pair::start();
    for (key, members) in [
        ("ints", (0..40).map(|i| i.to_string()).collect::<Vec<_>>()),
        ("strs", (0..40).map(|i| format!("m{i}")).collect::<Vec<_>>()),
        ("big", (0..2000).map(|i| format!("b{i}")).collect::<Vec<_>>()),
    ] {
        let mut args = vec!["SADD", key];
        args.extend(members.iter().map(String::as_str));
        p.check(&[&args]);
        let all: BTreeSet<Vec<u8>> = members.iter().map(|m| m.as_bytes().to_vec()).collect();
        let mut left = all.clone();
        for count in ["1", "3", "7", "20"] {
            let (s, r) = p.both(&["SPOP", key, count]);
            let (popped_s, popped_r) = (members_of(&s), members_of(&r));
            assert_eq!(popped_s.len(), popped_r.len(), "SPOP {key} {count}");
            let distinct: BTreeSet<Vec<u8>> = popped_s.iter().cloned().collect();
            assert_eq!(distinct.len(), popped_s.len(), "SPOP {key} {count} repeated a member");
            for m in &popped_s {
                assert!(left.remove(m), "SPOP popped {m:?}, not a member");
            }
            // Keep the oracle's contents equal to ours: put its pops back,
            // then remove ours.
            let mut put_back: Vec<&[u8]> = vec![b"SADD", key.as_bytes()];
            put_back.extend(popped_r.iter().map(Vec::as_slice));
            p.r.cmd_bytes(&put_back);
            let mut remove: Vec<&[u8]> = vec![b"SREM", key.as_bytes()];
            remove.extend(popped_s.iter().map(Vec::as_slice));
            p.r.cmd_bytes(&remove);
        }
        let (s, _) = p.both(&["SMEMBERS", key]);
        let now: BTreeSet<Vec<u8>> = members_of(&s).into_iter().collect();
        assert_eq!(now, left);
        p.check(&[&["SCARD", key]]);
        let (s, _) = p.both(&["SPOP", key]);
        let Resp::Bulk(_, m) = Resp::parse(&s) else {
            panic!("{}", show(&s))
        };
        assert!(left.contains(&m));
    }
}

#[test]
fn srandmember_counts_follow_redis_rules() {
    let mut p = Pair::start();
    for (key, n) in [("ints", 30usize), ("strs", 30), ("big", 3000)] {
        let members: Vec<String> = (0..n)
            .map(|i| {
                if key == "ints" {
                    i.to_string()
                } else {
                    format!("{key}{i}")
                }
            })
            .collect();
        let mut args = vec!["SADD", key];
        args.extend(members.iter().map(String::as_str));
        p.check(&[&args]);
        let all: BTreeSet<Vec<u8>> = members.iter().map(|m| m.as_bytes().to_vec()).collect();
        for count in [1i64, 2, 5, 9, 10, 11, 20, 29, 30, 31, 1000, 5000, -1, -5, -100] {
            let c = count.to_string();
            let (s, r) = p.both(&["SRANDMEMBER", key, &c]);
            assert_eq!(s[0], b'*', "SRANDMEMBER {key} {count}: {}", show(&s));
            let (ms, mr) = (members_of(&s), members_of(&r));
            assert_eq!(ms.len(), mr.len(), "SRANDMEMBER {key} {count}");
            let expected = if count < 0 {
                count.unsigned_abs() as usize
            } else {
                (count as usize).min(n)
            };
            assert_eq!(ms.len(), expected);
            for m in &ms {
                assert!(all.contains(m), "{m:?} is not a member");
            }
            if count > 0 {
                let distinct: BTreeSet<&Vec<u8>> = ms.iter().collect();
                assert_eq!(distinct.len(), ms.len(), "SRANDMEMBER {key} {count} repeated a member");
            }
        }
        let (s, _) = p.both(&["SRANDMEMBER", key]);
        let Resp::Bulk(_, m) = Resp::parse(&s) else {
            panic!("{}", show(&s))
        };
        assert!(all.contains(&m));
        p.check(&[&["SCARD", key]]);
    }
}

#[test]
fn random_picks_cover_the_whole_set_roughly_evenly() {
    let mut p = Pair::start();
    for key in ["ints", "strs"] {
        let members: Vec<String> = (0..50)
            .map(|i| if key == "ints" { i.to_string() } else { format!("m{i}") })
            .collect();
        let mut args = vec!["SADD", key];
        args.extend(members.iter().map(String::as_str));
        p.s.cmd(&args);
        let mut counts: HashMap<Vec<u8>, usize> = HashMap::new();
        for m in members_of(&p.s.cmd(&["SRANDMEMBER", key, "-50000"])) {
            *counts.entry(m).or_default() += 1;
        }
        assert_eq!(counts.len(), 50, "{key}: not every member came up");
        for (m, c) in &counts {
            assert!((600..1400).contains(c), "{key}: {m:?} came up {c} times of 50000");
        }
        // Single picks and pops are spread too, not always the first member.
        let mut firsts: BTreeSet<Vec<u8>> = BTreeSet::new();
        for _ in 0..200 {
            let Resp::Bulk(_, m) = Resp::parse(&p.s.cmd(&["SRANDMEMBER", key])) else {
                panic!()
            };
            firsts.insert(m);
        }
        assert!(firsts.len() > 30, "{key}: only {} distinct single picks", firsts.len());
        let mut popped: Vec<Vec<u8>> = Vec::new();
        for _ in 0..10 {
            let Resp::Bulk(_, m) = Resp::parse(&p.s.cmd(&["SPOP", key])) else {
                panic!()
            };
            popped.push(m);
        }
        let lowest: Vec<Vec<u8>> = sorted(members.iter().map(|m| m.as_bytes().to_vec()).collect())
            .into_iter()
            .take(10)
            .collect();
        assert_ne!(sorted(popped), lowest, "{key}: SPOP took the first members");
    }
}

#[test]
fn huge_counts_neither_hang_nor_allocate() {
    let mut p = Pair::start();
    p.check(&[
        &["SADD", "s", "3", "1", "2"],
        &["SPOP", "nokey", "9223372036854775807"],
        &["SRANDMEMBER", "s", "9223372036854775807"],
        &["SRANDMEMBER", "s", "-9223372036854775808"],
        &["SINTERCARD", "9223372036854775807", "s"],
        &["SINTERCARD", "1", "s", "LIMIT", "9223372036854775807"],
    ]);
    // Redis would try to stream ~2^63 members here; shoal refuses.
    let reply = p.s.cmd(&["SRANDMEMBER", "s", "-9223372036854775807"]);
    assert!(reply.starts_with(b"-ERR value is out of range"), "{}", show(&reply));
    let reply = p.s.cmd(&["SRANDMEMBER", "s", "-100000"]);
    assert_eq!(members_of(&reply).len(), 100_000);
    let reply = p.s.cmd(&["SSCAN", "s", "0", "COUNT", "9223372036854775807"]);
    assert!(reply.starts_with(b"*2\r\n$1\r\n0\r\n*3\r\n"), "{}", show(&reply));
    let (s, r) = p.both(&["SPOP", "s", "9223372036854775807"]);
    assert_eq!(sorted(members_of(&s)), sorted(members_of(&r)));
    p.check(&[&["EXISTS", "s"]]);
}

#[test]
fn sscan_matches_the_oracle_on_intsets_and_small_sets() {
    let mut p = Pair::start();
    p.check(&[
        &["SADD", "s", "5", "3", "1", "10", "-2"],
        &["SET", "str", "v"],
        &["SSCAN", "s", "0"],
        &["SSCAN", "s", "0", "COUNT", "1"],
        &["SSCAN", "s", "0", "MATCH", "1*"],
        &["SSCAN", "s", "0", "match", "*", "count", "2"],
        &["SSCAN", "s", "0", "COUNT", "1", "COUNT", "2"],
        &["SSCAN", "s", "7"],
        &["SSCAN", "s", "-1"],
        &["SSCAN", "s", "+0"],
        &["SSCAN", "s", "18446744073709551615"],
        &["SSCAN", "s", "18446744073709551616"],
        &["SSCAN", "s", "x"],
        &["SSCAN", "s", "0", "COUNT", "0"],
        &["SSCAN", "s", "0", "COUNT", "-1"],
        &["SSCAN", "s", "0", "COUNT", "x"],
        &["SSCAN", "s", "0", "TYPE", "set"],
        &["SSCAN", "s", "0", "MATCH"],
        &["SSCAN", "s", "0", "FOO", "bar"],
        &["SSCAN", "nokey", "0"],
        &["SSCAN", "nokey", "0", "COUNT", "x"],
        &["SSCAN", "nokey", "0", "FOO"],
        &["SSCAN", "nokey", "x"],
        &["SSCAN", "str", "0"],
        &["SSCAN", "str", "x"],
        &["SSCAN", "str", "0", "COUNT", "x"],
        &["SSCAN", "s"],
    ]);
    // A small hashtable answers everything at once, in some order.
    p.check_unordered(&[
        &["SADD", "h", "a", "b", "c", "1"],
        &["SSCAN", "h", "0"],
        &["SSCAN", "h", "0", "MATCH", "[ab]"],
    ]);
}

#[test]
fn sscan_iterates_a_big_set_completely_even_while_it_changes() {
    let mut p = Pair::start();
    let members: Vec<String> = (0..3000).map(|i| format!("member:{i}")).collect();
    for chunk in members.chunks(500) {
        let mut args = vec!["SADD", "big"];
        args.extend(chunk.iter().map(String::as_str));
        p.check(&[&args]);
    }
    let (s, r) = (full_scan(&mut p.s, "big", &[]), full_scan(&mut p.r, "big", &[]));
    assert_eq!(s.len(), 3000);
    assert_eq!(s, r);
    let (s, r) = (
        full_scan(&mut p.s, "big", &["MATCH", "member:1*", "COUNT", "7"]),
        full_scan(&mut p.r, "big", &["MATCH", "member:1*", "COUNT", "7"]),
    );
    assert_eq!(s, r);
    // Members present throughout are returned even as the set grows and shrinks.
    let mut seen = BTreeSet::new();
    let mut cursor = "0".to_string();
    let mut step = 0;
    loop {
        let reply = p.s.cmd(&["SSCAN", "big", &cursor, "COUNT", "20"]);
        let Resp::Agg(_, items) = Resp::parse(&reply) else {
            panic!()
        };
        let Resp::Bulk(_, next) = &items[0] else { panic!() };
        for m in members_of_items(&items[1]) {
            seen.insert(m);
        }
        cursor = String::from_utf8(next.clone()).unwrap();
        step += 1;
        if step < 30 {
            let extra: Vec<String> = (0..300).map(|j| format!("extra:{step}:{j}")).collect();
            let mut args = vec!["SADD", "big"];
            args.extend(extra.iter().map(String::as_str));
            p.s.cmd(&args);
        } else if step == 30 {
            let gone: Vec<String> = (0..2500).map(|i| format!("member:{i}")).collect();
            let mut args = vec!["SREM", "big"];
            args.extend(gone.iter().map(String::as_str));
            p.s.cmd(&args);
        }
        if cursor == "0" {
            break;
        }
    }
    for m in &members[2500..] {
        assert!(seen.contains(m.as_bytes()), "{m} was never returned");
    }
}

fn members_of_items(r: &Resp) -> Vec<Vec<u8>> {
    let Resp::Agg(_, items) = r else { panic!() };
    items
        .iter()
        .map(|i| match i {
            Resp::Bulk(_, b) => b.clone(),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn set_replies_match_the_oracle_in_resp3() {
    let mut p = Pair::start();
    p.hello3();
    p.check(&[
        &["SADD", "s", "5", "3", "1"],
        &["SADD", "t", "3", "4"],
        &["SMEMBERS", "s"],
        &["SMEMBERS", "nokey"],
        &["SISMEMBER", "s", "1"],
        &["SMISMEMBER", "s", "1", "2"],
        &["SCARD", "s"],
        &["SINTER", "s", "t"],
        &["SINTER", "s", "nokey"],
        &["SUNION", "s", "t"],
        &["SUNION", "nokey"],
        &["SDIFF", "s", "t"],
        &["SDIFF", "nokey", "s"],
        &["SINTERCARD", "2", "s", "t"],
        &["SSCAN", "s", "0"],
        &["SSCAN", "nokey", "0"],
        &["SRANDMEMBER", "nokey"],
        &["SRANDMEMBER", "nokey", "2"],
        &["SRANDMEMBER", "s", "0"],
        &["SRANDMEMBER", "s", "3"],
        &["SPOP", "nokey"],
        &["SPOP", "nokey", "2"],
        &["SPOP", "s", "0"],
        &["SPOP", "t", "5"],
        &["SADD", "one", "x"],
        &["SPOP", "one", "1"],
        &["SADD", "one", "x"],
        &["SPOP", "one"],
        &["SINTERSTORE", "d", "s", "s"],
        &["SMEMBERS", "d"],
    ]);
    let (s, r) = p.both(&["SRANDMEMBER", "s", "2"]);
    assert_eq!(&s[..4], &r[..4]);
    let (s, r) = p.both(&["SPOP", "s", "2"]);
    assert_eq!(&s[..4], &r[..4]);
}

#[test]
fn set_reads_count_keyspace_hits_and_misses_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["SADD", "a", "1", "2"],
        &["SADD", "b", "2", "x"],
        &["SET", "str", "v"],
        &["SADD", "one", "z"],
    ]);
    // Some replies below are hashtables (table order): sorted before comparing.
    p.check_unordered(&[
        &["CONFIG", "RESETSTAT"],
        &["SISMEMBER", "a", "1"],
        &["SISMEMBER", "nokey", "1"],
        &["SMISMEMBER", "a", "1"],
        &["SCARD", "nokey"],
        &["SMEMBERS", "a"],
        &["SRANDMEMBER", "nokey"],
        &["SRANDMEMBER", "one", "-2"],
        &["SSCAN", "a", "0"],
        &["SSCAN", "nokey", "0"],
        &["SINTER", "a", "nokey", "b"],
        &["SINTER", "str", "a"],
        &["SINTER", "nokey", "str", "a"],
        &["SUNION", "a", "b", "nokey"],
        &["SDIFF", "nokey", "a"],
        &["SINTERCARD", "3", "a", "b", "nokey"],
        &["SADD", "a", "3"],
        &["SREM", "nokey", "3"],
        &["SMOVE", "a", "nokey2", "3"],
        &["SINTERSTORE", "d", "a", "b"],
        &["SUNIONSTORE", "d", "a", "nokey"],
        &["SDIFFSTORE", "d", "a", "nokey"],
        &["SPOP", "nokey"],
        &["SPOP", "nokey2", "1"],
        &["SADD", "m", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
        &["SPOP", "str", "1"],
        &["SISMEMBER", "str", "1"],
        &["SSCAN", "str", "0"],
        &["SINTERSTORE", "d", "str"],
        &["SINTERCARD", "2", "str", "a"],
        &["SMOVE", "str", "a", "1"],
        &["SRANDMEMBER", "str", "1"],
    ]);
    // Partial pops make no lookups that count; a whole-set pop counts a hit.
    for pop in [&["SPOP", "m", "1"][..], &["SPOP", "m", "8"], &["SPOP", "m"]] {
        let (s, r) = p.both(pop);
        assert_eq!(s[0], r[0]);
    }
    let (s, r) = p.both(&["INFO", "stats"]);
    assert!(!hits_and_misses(&r).0.is_empty());
    assert_eq!(hits_and_misses(&s), hits_and_misses(&r));
}

#[test]
fn set_writes_trigger_watch_exactly_when_redis_s_do() {
    let mut p = Pair::start();
    p.check(&[&["SADD", "s", "1", "2"], &["SADD", "t", "2"]]);
    for write in [
        &["SADD", "s", "3"][..],
        &["SADD", "s", "1"],
        &["SREM", "s", "9"],
        &["SREM", "s", "3"],
        &["SMOVE", "s", "t", "2"],
        &["SMOVE", "t", "s", "2"],
        &["SMOVE", "s", "s", "1"],
        &["SPOP", "s", "0"],
        &["SINTERSTORE", "s", "s", "nokey"],
        &["SINTERSTORE", "s", "nokey"],
        &["SADD", "s", "1", "2"],
        &["SUNIONSTORE", "u", "s"],
        &["SDIFFSTORE", "nothing", "nokey"],
    ] {
        let watched = write[1];
        p.check(&[&["WATCH", watched], write, &["MULTI"], &["PING"], &["EXEC"]]);
    }
}

#[test]
fn dump_and_restore_keep_set_contents_and_encoding() {
    let mut p = Pair::start();
    p.check(&[&["SADD", "i", "3", "1", "2"], &["SADD", "h", "a", "b", "1"]]);
    for key in ["i", "h"] {
        let dump = p.s.cmd(&["DUMP", key]);
        let Resp::Bulk(_, payload) = Resp::parse(&dump) else {
            panic!("{}", show(&dump))
        };
        let copy = format!("{key}-copy");
        assert_eq!(
            p.s.cmd_bytes(&[b"RESTORE", copy.as_bytes(), b"0", &payload]),
            b"+OK\r\n"
        );
        assert_eq!(
            sorted(members_of(&p.s.cmd(&["SMEMBERS", &copy]))),
            sorted(members_of(&p.s.cmd(&["SMEMBERS", key])))
        );
        assert_eq!(
            p.s.cmd(&["OBJECT", "ENCODING", &copy]),
            p.r.cmd(&["OBJECT", "ENCODING", key])
        );
    }
}

// ---------------------------------------------------------------------------
// Randomized differential run

const KEYS: &[&str] = &["s0", "s1", "s2", "s3", "{t}a", "w"];

fn member(rng: &mut SmallRng) -> String {
    const ODD: &[&str] = &[
        "a",
        "b",
        "c",
        "01",
        "-0",
        "+1",
        "",
        "x y",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
    ];
    match rng.random_range(0..10) {
        0..=7 => rng.random_range(-4i64..14).to_string(),
        _ => ODD[rng.random_range(0..ODD.len())].to_string(),
    }
}

fn random_command(rng: &mut SmallRng) -> Vec<String> {
    let key = |rng: &mut SmallRng| KEYS[rng.random_range(0..KEYS.len())].to_string();
    let mut c: Vec<String> = Vec::new();
    let w = |s: &str| s.to_string();
    match rng.random_range(0..40) {
        0..=7 => {
            c.extend([w("SADD"), key(rng)]);
            for _ in 0..rng.random_range(1..5) {
                c.push(member(rng));
            }
        }
        8..=11 => {
            c.extend([w("SREM"), key(rng)]);
            for _ in 0..rng.random_range(1..4) {
                c.push(member(rng));
            }
        }
        12 | 13 => c.extend([w("SISMEMBER"), key(rng), member(rng)]),
        14 => {
            c.extend([w("SMISMEMBER"), key(rng)]);
            for _ in 0..rng.random_range(1..4) {
                c.push(member(rng));
            }
        }
        15 => c.extend([w("SCARD"), key(rng)]),
        16..=18 => c.extend([w("SMEMBERS"), key(rng)]),
        19 | 20 => c.extend([w("SMOVE"), key(rng), key(rng), member(rng)]),
        21..=26 => {
            let name =
                ["SINTER", "SUNION", "SDIFF", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"][rng.random_range(0..6)];
            c.push(w(name));
            let n = if name.ends_with("STORE") {
                rng.random_range(2..5)
            } else {
                rng.random_range(1..4)
            };
            for _ in 0..n {
                c.push(key(rng));
            }
        }
        27 => {
            c.push(w("SINTERCARD"));
            let n = rng.random_range(1..4);
            let numkeys = match rng.random_range(0..12) {
                0 => w("0"),
                1 => w("x"),
                2 => (n + 1).to_string(),
                _ => n.to_string(),
            };
            c.push(numkeys);
            for _ in 0..n {
                c.push(key(rng));
            }
            match rng.random_range(0..6) {
                0 | 1 => c.extend([w("LIMIT"), rng.random_range(0..4).to_string()]),
                2 => c.extend([w("LIMIT"), w(["-1", "x", ""][rng.random_range(0..3)])]),
                3 => c.push(w(["LIMIT", "FOO"][rng.random_range(0..2)])),
                _ => {}
            }
        }
        28 | 29 => c.extend([w("OBJECT"), w("ENCODING"), key(rng)]),
        30 => {
            let k = if rng.random_range(0..3) > 0 { w("w") } else { key(rng) };
            c.extend([w("SET"), k, w("v")]);
        }
        31 | 38 => c.extend([w("DEL"), key(rng)]),
        32 => {
            let limit = ["0", "3", "8", "16", "512", "512"][rng.random_range(0..6)];
            c.extend([w("CONFIG"), w("SET"), w("set-max-intset-entries"), w(limit)]);
        }
        33 | 34 => {
            let count = match rng.random_range(0..6) {
                0 => w("0"),
                1 => w("-1"),
                2 => w("x"),
                3 => w("100"),
                _ => rng.random_range(1..6).to_string(),
            };
            c.extend([w("SPOP"), key(rng)]);
            if rng.random_range(0..3) > 0 {
                c.push(count);
            }
        }
        35 | 36 => {
            c.extend([w("SRANDMEMBER"), key(rng)]);
            if rng.random_range(0..4) > 0 {
                c.push(rng.random_range(-8i64..9).to_string());
            }
        }
        37 => {
            c.extend([w("SSCAN"), key(rng), w("0")]);
            match rng.random_range(0..4) {
                0 => c.extend([w("COUNT"), rng.random_range(1..4).to_string()]),
                1 => c.extend([w("MATCH"), w(["1*", "*", "[a-c]", "?"][rng.random_range(0..4)])]),
                2 => c.extend([w("COUNT"), w("0")]),
                _ => {}
            }
        }
        _ => c.extend([w("EXISTS"), key(rng)]),
    }
    c
}

/// Whether a reply lists only canonical integers, no more than `limit`:
/// the result of SUNION/SDIFF is then an intset, answered in ascending order.
fn is_intset_result(items: &[Vec<u8>], limit: usize) -> bool {
    items.len() <= limit
        && items.iter().all(|m| {
            std::str::from_utf8(m)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .is_some_and(|n| n.to_string().as_bytes() == m.as_slice())
        })
}

/// Members of `key` on the oracle (empty if missing or not a set).
fn oracle_members(p: &mut Pair, key: &str) -> Option<BTreeSet<Vec<u8>>> {
    let reply = p.r.cmd(&["SMEMBERS", key]);
    if reply.starts_with(b"-") {
        return None;
    }
    Some(members_of(&reply).into_iter().collect())
}

/// Makes both servers hold the same members at `key` after a random pop:
/// shoal's contents win, written freshly on both sides.
fn resync(p: &mut Pair, key: &str) {
    let s = p.s.cmd(&["SMEMBERS", key]);
    let members = members_of(&s);
    p.both(&["DEL", key]);
    if !members.is_empty() {
        let mut args: Vec<&[u8]> = vec![b"SADD", key.as_bytes()];
        args.extend(members.iter().map(Vec::as_slice));
        let (a, b) = p.both_bytes(&args);
        assert_eq!(a, b);
    }
}

#[test]
fn random_set_commands_match_the_oracle() {
    let mut p = Pair::start();
    let mut rng = SmallRng::seed_from_u64(0x5E75_0001);
    p.check(&[&["CONFIG", "SET", "set-max-intset-entries", "5"]]);
    let mut limit = 5usize;
    let mut compared = 0;
    // What the run exercised, to make sure it reaches both encodings,
    // errors and the order-insensitive paths.
    let mut seen: HashMap<String, usize> = HashMap::new();
    while compared < 12_000 {
        let cmd = random_command(&mut rng);
        let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        let name = args[0];
        if name == "CONFIG" {
            p.check(&[&args]);
            limit = args[3].parse().unwrap();
            continue;
        }
        compared += 1;
        let before = if name == "SPOP" || name == "SRANDMEMBER" {
            oracle_members(&mut p, args[1])
        } else {
            None
        };
        let (s, r) = p.both(&args);
        if name == "OBJECT" {
            *seen.entry(String::from_utf8_lossy(&r).into_owned()).or_default() += 1;
        } else if r.starts_with(b"-") {
            *seen.entry("error".into()).or_default() += 1;
        } else if s != r {
            *seen.entry(format!("{name} differs")).or_default() += 1;
        }
        if s == r {
            // Equal pops (the whole set, or the same members by chance) leave
            // equal contents behind.
            continue;
        }
        let ctx = || format!("{args:?}: shoal {} redis {}", show(&s), show(&r));
        assert!(!s.starts_with(b"-") && !r.starts_with(b"-"), "{}", ctx());
        match name {
            "SMEMBERS" => {
                let enc = p.r.cmd(&["OBJECT", "ENCODING", args[1]]);
                assert_ne!(enc, b"$6\r\nintset\r\n".to_vec(), "intset order differs: {}", ctx());
                assert_eq!(sorted(members_of(&s)), sorted(members_of(&r)), "{}", ctx());
            }
            "SUNION" | "SDIFF" => {
                let (ms, mr) = (members_of(&s), members_of(&r));
                assert!(!is_intset_result(&mr, limit), "intset result order differs: {}", ctx());
                assert_eq!(sorted(ms), sorted(mr), "{}", ctx());
            }
            "SINTER" => assert_eq!(sorted(members_of(&s)), sorted(members_of(&r)), "{}", ctx()),
            "SSCAN" => {
                let extra: Vec<&str> = args[3..].to_vec();
                let (fs, fr) = (
                    full_scan(&mut p.s, args[1], &extra),
                    full_scan(&mut p.r, args[1], &extra),
                );
                assert_eq!(fs, fr, "{}", ctx());
            }
            "SRANDMEMBER" | "SPOP" => {
                let all = before.unwrap_or_else(|| panic!("no members before {}", ctx()));
                let (ms, mr) = match (Resp::parse(&s), Resp::parse(&r)) {
                    (Resp::Bulk(_, a), Resp::Bulk(_, b)) => (vec![a], vec![b]),
                    _ => (members_of(&s), members_of(&r)),
                };
                assert_eq!(ms.len(), mr.len(), "{}", ctx());
                assert_eq!(s[0], r[0], "{}", ctx());
                for m in &ms {
                    assert!(all.contains(m), "{m:?} not a member: {}", ctx());
                }
                let negative = args.get(2).is_some_and(|c| c.starts_with('-'));
                if !negative {
                    let distinct: BTreeSet<&Vec<u8>> = ms.iter().collect();
                    assert_eq!(distinct.len(), ms.len(), "repeated member: {}", ctx());
                }
                if name == "SPOP" {
                    let left: BTreeSet<Vec<u8>> = members_of(&p.s.cmd(&["SMEMBERS", args[1]])).into_iter().collect();
                    let expect: BTreeSet<Vec<u8>> = all.iter().filter(|m| !ms.contains(m)).cloned().collect();
                    assert_eq!(left, expect, "SPOP left the wrong members: {}", ctx());
                    resync(&mut p, args[1]);
                }
            }
            _ => panic!("reply differs: {}", ctx()),
        }
    }
    eprintln!("random set run: {seen:?}");
    for what in [
        "$6\r\nintset\r\n",
        "$9\r\nhashtable\r\n",
        "error",
        "SPOP differs",
        "SRANDMEMBER differs",
    ] {
        assert!(
            seen.get(what).copied().unwrap_or(0) >= 20,
            "{what:?} came up too rarely: {seen:?}"
        );
    }
    // The two servers ended with the same data.
    for key in KEYS {
        let (s, r) = p.both(&["SMEMBERS", key]);
        if s.starts_with(b"-") || r.starts_with(b"-") {
            assert_eq!(s, r);
        } else {
            assert_eq!(sorted(members_of(&s)), sorted(members_of(&r)), "{key}");
        }
        p.check(&[&["OBJECT", "ENCODING", key]]);
    }
}

#[test]
fn keyspace_commands_treat_sets_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["SADD", "a", "3", "1", "2"],
        &["TYPE", "a"],
        &["COPY", "a", "b"],
        &["SMEMBERS", "b"],
        &["OBJECT", "ENCODING", "b"],
        &["SADD", "b", "x"],
        &["SCARD", "a"],
        &["RENAME", "b", "c"],
        &["SCARD", "c"],
        &["OBJECT", "ENCODING", "c"],
    ]);
    // SCAN's order is the table's: compared as a set.
    p.check_unordered(&[&["SCAN", "0", "TYPE", "set", "COUNT", "100"]]);
    p.check(&[
        &["EXPIRE", "a", "100"],
        &["SADD", "a", "4"],
        &["SREM", "a", "4"],
        &["TTL", "a"],
        &["SPOP", "a", "0"],
        &["TTL", "a"],
        &["SINTERSTORE", "a", "a"],
        &["TTL", "a"],
        &["GET", "a"],
        &["DEL", "a", "c"],
        &["EXISTS", "a", "c"],
    ]);
}

#[test]
fn numeric_arguments_are_read_as_redis_reads_them() {
    let mut p = Pair::start();
    p.check(&[
        &["SADD", "s", "1", "2", "3"],
        &["SPOP", "s", "01"],
        &["SPOP", "s", "-0"],
        &["SPOP", "s", " 1"],
        &["SPOP", "s", ""],
        &["SRANDMEMBER", "s", "01"],
        &["SRANDMEMBER", "s", "-0"],
        &["SRANDMEMBER", "s", "+3"],
        &["SRANDMEMBER", "s", ""],
        &["SINTERCARD", "01", "s"],
        &["SINTERCARD", "+1", "s"],
        &["SINTERCARD", "", "s"],
        &["SINTERCARD", "1", "s", "LIMIT", "01"],
        &["SINTERCARD", "1", "s", "LIMIT", ""],
        &["SINTERCARD", "1", "s", "LIMIT", "-0"],
        &["SSCAN", "s", "00"],
        &["SSCAN", "s", "0", "COUNT", "01"],
        &["SSCAN", "s", "0", "COUNT", "+1"],
        &["SSCAN", "s", ""],
        &["SSCAN", "s", " 0"],
        &["SSCAN", "s", "0x"],
    ]);
}

#[test]
fn concurrent_smoves_neither_lose_nor_duplicate_members() {
    let server = crate::support::Server::start();
    let mut c = server.raw();
    let members: Vec<String> = (0..200).map(|i| format!("m{i}")).collect();
    let mut args = vec!["SADD", "{x}a"];
    args.extend(members.iter().map(String::as_str));
    c.cmd(&args);
    let port = server.port();
    let workers: Vec<_> = (0..4u64)
        .map(|t| {
            std::thread::spawn(move || {
                let mut c = Raw::tcp(port);
                let mut rng = SmallRng::seed_from_u64(t);
                for _ in 0..500 {
                    let m = format!("m{}", rng.random_range(0..200));
                    let (from, to) = if rng.random_range(0..2) == 0 {
                        ("{x}a", "b")
                    } else {
                        ("b", "{x}a")
                    };
                    let r = c.cmd(&["SMOVE", from, to, &m]);
                    assert!(r == b":0\r\n" || r == b":1\r\n", "{}", show(&r));
                    if rng.random_range(0..10) == 0 {
                        c.cmd(&["SUNIONSTORE", "u", "{x}a", "b"]);
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let card = |c: &mut Raw, k: &str| match Resp::parse(&c.cmd(&["SCARD", k])) {
        Resp::Line(b':', n) => String::from_utf8(n).unwrap().parse::<usize>().unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(card(&mut c, "{x}a") + card(&mut c, "b"), 200);
    assert_eq!(c.cmd(&["SINTERCARD", "2", "{x}a", "b"]), b":0\r\n");
    assert_eq!(c.cmd(&["SUNIONSTORE", "u", "{x}a", "b"]), b":200\r\n");
}
