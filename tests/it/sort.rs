//! SORT and SORT_RO against the oracle: lists, sets and sorted sets with
//! every option, BY/GET patterns over strings and hash fields, LIMIT edge
//! cases, ALPHA over binary data, STORE (contents, TTL, encoding, types),
//! errors, RESP3, COMMAND GETKEYS, keyspace hits, and a seeded randomized
//! differential run.
//!
//! Replies are compared byte for byte, except where Redis's order comes from
//! a hashtable: `BY nosort` over a hashtable set, and ties of `ALPHA BY`
//! over hashtable sets and sorted sets (compared as multisets, or only by
//! shape when LIMIT cuts through the ties).

use std::collections::HashMap;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::support::{show, Pair, Resp};

fn setup(p: &mut Pair) {
    p.check(&[
        &["RPUSH", "l", "3", "1", "2", "10", "-5", "2.5", "1e2", "007", "1"],
        &["RPUSH", "words", "pear", "apple", "fig", "Banana", "apple", "cherry"],
        &["SADD", "is", "5", "-3", "100", "0", "42"],
        &["SADD", "hs", "b", "a", "d", "c", "10", "9"],
        &["ZADD", "z", "3", "x", "1", "y", "2", "w", "2", "v"],
        &["ZADD", "zn", "1", "30", "2", "10", "3", "20", "4", "-1.5"],
        &[
            "MSET", "w_3", "1", "w_1", "9", "w_2", "5", "w_10", "7", "w_-5", "0", "w_x", "3", "w_y", "1",
        ],
        &["MSET", "n_3", "three", "n_1", "one", "n_2", "two", "n_10", "ten"],
        &["HSET", "h_3", "f", "30", "g", "c"],
        &["HSET", "h_1", "f", "10", "g", "a"],
        &["HSET", "h_2", "f", "20"],
        &["SET", "str", "x"],
        &["HSET", "hash", "a", "1"],
        &["XADD", "stream", "1-1", "a", "1"],
    ]);
}

#[test]
fn sort_of_lists_with_every_order_option_matches_the_oracle() {
    let mut p = Pair::start();
    setup(&mut p);
    p.check(&[
        &["SORT", "l"],
        &["SORT", "l", "ASC"],
        &["SORT", "l", "DESC"],
        &["SORT", "l", "asc", "desc"],
        &["SORT", "l", "desc", "asc"],
        &["SORT", "l", "ALPHA"],
        &["SORT", "l", "ALPHA", "DESC"],
        &["SORT_RO", "l"],
        &["SORT_RO", "l", "alpha", "desc", "limit", "1", "3"],
        &["SORT", "words", "ALPHA"],
        &["SORT", "words", "ALPHA", "DESC"],
        &["SORT", "words"],
        &["SORT", "l", "BY", "nosort"],
        &["SORT", "l", "BY", "nosort", "DESC"],
        &["SORT", "l", "BY", "nosort", "LIMIT", "2", "3"],
        &["SORT", "l", "BY", "nosort", "DESC", "LIMIT", "2", "3"],
        &["SORT", "l", "BY", "nosort", "ALPHA"],
        &["SORT", "l", "LIMIT", "0", "0"],
        &["SORT", "missing"],
        &["SORT", "missing", "BY", "nosort", "LIMIT", "1", "2"],
        &["SORT", "missing", "STORE", "dst"],
        &["SORT_RO", "missing", "ALPHA", "GET", "#"],
    ]);
}

#[test]
fn sort_of_sets_matches_the_oracle_with_hashtable_order_left_open() {
    let mut p = Pair::start();
    setup(&mut p);
    p.check(&[
        &["SORT", "is"],
        &["SORT", "is", "DESC"],
        &["SORT", "is", "ALPHA"],
        &["SORT", "is", "BY", "nosort"],
        &["SORT", "is", "BY", "nosort", "DESC"],
        &["SORT", "is", "BY", "nosort", "LIMIT", "1", "2"],
        &["SORT", "is", "BY", "nosort", "STORE", "dst"],
        &["LRANGE", "dst", "0", "-1"],
        &["SORT", "hs", "ALPHA"],
        &["SORT", "hs", "ALPHA", "DESC", "LIMIT", "1", "3"],
        &["SORT", "hs"],
        // A stored set is sorted as strings whatever BY says.
        &["SORT", "hs", "BY", "nosort", "STORE", "dst"],
        &["LRANGE", "dst", "0", "-1"],
        &["SORT", "hs", "BY", "nosort", "DESC", "STORE", "dst"],
        &["LRANGE", "dst", "0", "-1"],
        &["SORT", "hs", "BY", "w_*", "STORE", "dst", "LIMIT", "1", "2"],
        &["LRANGE", "dst", "0", "-1"],
        &["OBJECT", "ENCODING", "is"],
        &["OBJECT", "ENCODING", "hs"],
    ]);
    p.check_unordered(&[
        &["SORT", "hs", "BY", "nosort"],
        &["SORT", "hs", "BY", "nosort", "DESC"],
        &["SORT_RO", "hs", "BY", "nosort", "GET", "#"],
    ]);
}

#[test]
fn sort_of_sorted_sets_sorts_members_and_nosort_keeps_score_order() {
    let mut p = Pair::start();
    setup(&mut p);
    p.check(&[
        &["OBJECT", "ENCODING", "z"],
        &["SORT", "z"],
        // SORT converts a compact sorted set to a skiplist, as Redis does.
        &["OBJECT", "ENCODING", "z"],
        &["SORT", "z", "ALPHA"],
        &["SORT", "z", "ALPHA", "DESC"],
        &["SORT", "z", "BY", "nosort"],
        &["SORT", "z", "BY", "nosort", "DESC"],
        &["SORT", "z", "BY", "nosort", "LIMIT", "1", "2"],
        &["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "2"],
        &["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "3", "100"],
        &["SORT", "z", "BY", "nosort", "LIMIT", "5", "1"],
        &["SORT", "z", "BY", "w_*"],
        &["SORT", "z", "BY", "w_*", "DESC", "GET", "#", "GET", "w_*"],
        &["SORT", "zn"],
        &["SORT", "zn", "DESC", "LIMIT", "1", "2"],
        &["SORT_RO", "zn", "BY", "nosort"],
        &["OBJECT", "ENCODING", "zn"],
        &["SORT", "zn", "BY", "nosort", "STORE", "dst"],
        &["LRANGE", "dst", "0", "-1"],
    ]);
}

#[test]
fn sort_errors_match_the_oracle() {
    let mut p = Pair::start();
    setup(&mut p);
    p.check(&[
        &["SORT"],
        &["SORT_RO"],
        &["SORT", "str"],
        &["SORT", "hash"],
        &["SORT", "stream"],
        &["SORT_RO", "str", "ALPHA"],
        &["SORT", "words"],
        &["SORT", "z"],
        &["SORT", "l", "BY", "n_*"],
        &["SORT", "l", "BY", "n_*", "STORE", "dst"],
        &["EXISTS", "dst"],
        &["SORT", "l", "foo"],
        &["SORT", "l", "LIMIT"],
        &["SORT", "l", "LIMIT", "1"],
        &["SORT", "l", "LIMIT", "a", "1"],
        &["SORT", "l", "LIMIT", "1", "b"],
        &["SORT", "l", "LIMIT", "1.5", "1"],
        &["SORT", "l", "LIMIT", "0", "99999999999999999999"],
        &["SORT", "l", "BY"],
        &["SORT", "l", "GET"],
        &["SORT", "l", "STORE"],
        &["SORT_RO", "l", "STORE", "dst"],
        &["SORT_RO", "l", "STORE"],
        // Options are parsed before the key is looked up.
        &["SORT", "str", "foo"],
        &["SORT", "str", "LIMIT", "x", "1"],
        &["SORT", "missing", "bogus"],
        &["RPUSH", "bad", "1", "nan", "inf", "-inf", " 2", "3 ", "0x10", ""],
        &["SORT", "bad"],
        &["SORT", "bad", "ALPHA"],
        &["SORT", "bad", "STORE", "dst"],
        &["EXISTS", "dst"],
        &[
            "RPUSH", "ok", "inf", "-inf", " 2", "0x10", "", "1e-5", "-0", "0", "+3", "1e-300",
        ],
        &["SORT", "ok"],
        &["SORT", "ok", "DESC"],
        &["SET", "nanw", "nan"],
        &["RPUSH", "nanl", "nanw"],
        &["SORT", "nanl", "BY", "*"],
    ]);
    // Overflow and underflow (ERANGE): Redis then reads a stale errno in
    // later sorts until some command resets it (INCRBYFLOAT does), so each
    // case is followed by a reset.
    for value in ["1e400", "-1e400", "1e-400", "1e-310"] {
        p.check(&[
            &["DEL", "range"],
            &["RPUSH", "range", "1", value],
            &["SORT", "range"],
            &["SORT", "range", "ALPHA"],
            &["INCRBYFLOAT", "errno-reset", "0"],
        ]);
    }
}

#[test]
fn by_patterns_read_string_keys_and_hash_fields_like_redis() {
    let mut p = Pair::start();
    setup(&mut p);
    p.check(&[
        &["SORT", "l", "BY", "w_*"],
        &["SORT", "l", "BY", "w_*", "DESC"],
        &["SORT", "l", "BY", "w_*", "LIMIT", "1", "3"],
        &["SORT", "l", "BY", "w_*", "DESC", "LIMIT", "2", "4"],
        &["SORT", "l", "BY", "n_*", "ALPHA"],
        &["SORT", "l", "BY", "n_*", "ALPHA", "DESC"],
        &["SORT", "l", "BY", "n_*", "ALPHA", "LIMIT", "2", "3"],
        &["SORT", "l", "BY", "n_*", "ALPHA", "DESC", "LIMIT", "0", "4"],
        &["SORT", "l", "BY", "h_*->f"],
        &["SORT", "l", "BY", "h_*->f", "DESC"],
        &["SORT", "l", "BY", "h_*->g", "ALPHA"],
        &["SORT", "l", "BY", "h_*->g", "ALPHA", "DESC", "LIMIT", "1", "5"],
        &["SORT", "l", "BY", "h_*->missing"],
        &["SORT", "l", "BY", "w_*->f"],
        &["SORT", "l", "BY", "h_*"],
        &["SORT", "l", "BY", "nokey_*"],
        &["SORT", "l", "BY", "nokey_*", "ALPHA"],
        &["SORT", "l", "BY", "nokey_*", "ALPHA", "DESC"],
        &["SORT", "l", "BY", "nokey_*", "ALPHA", "LIMIT", "2", "3"],
        &["SORT", "l", "BY", "nokey_*", "ALPHA", "DESC", "LIMIT", "3", "2"],
        &["SORT", "l", "BY", "w_*", "BY", "nosort"],
        &["SORT", "l", "BY", "nosort", "BY", "w_*"],
        &["SORT", "words", "BY", "*"],
        &["SET", "apple", "3"],
        &["SET", "pear", "1"],
        &["SET", "fig", "2"],
        &["SET", "Banana", "2"],
        &["SET", "cherry", "-1"],
        &["SORT", "words", "BY", "*"],
        &["SORT", "words", "BY", "*", "GET", "#", "GET", "*"],
        &["SORT", "words", "BY", "*", "ALPHA"],
    ]);
}

#[test]
fn get_patterns_return_elements_values_and_nils_like_redis() {
    let mut p = Pair::start();
    setup(&mut p);
    p.check(&[
        &["SORT", "l", "GET", "#"],
        &["SORT", "l", "GET", "n_*"],
        &["SORT", "l", "GET", "#", "GET", "n_*", "GET", "h_*->f", "GET", "h_*->g"],
        &["SORT", "l", "GET", "nosuch"],
        &["SORT", "l", "GET", "n_*", "LIMIT", "1", "2", "DESC"],
        &["SORT", "l", "GET", "w_*->f"],
        &["SORT", "l", "GET", "h_*"],
        &["SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*"],
        &["SORT", "l", "BY", "nosort", "GET", "n_*"],
        &["SORT_RO", "l", "GET", "#", "GET", "#"],
        &["SORT", "l", "LIMIT", "0", "0", "GET", "#"],
        &["SORT", "missing", "GET", "#", "GET", "n_*"],
        // `->` splitting: the first `*` only, `->` after it, an empty field
        // name means a plain key, a second `*` is literal.
        &["SET", "x->", "s1"],
        &["SET", "1->", "s-one"],
        &["HSET", "1", "->", "arrow", "a->b", "ab"],
        &["HSET", "k1", "f*", "star", "f", "plain"],
        &["SET", "1*", "literal-star"],
        &["RPUSH", "one", "1"],
        &["SORT", "one", "GET", "*->"],
        &["SORT", "one", "GET", "*->->"],
        &["SORT", "one", "GET", "*->a->b"],
        &["SORT", "one", "GET", "k*->f*"],
        &["SORT", "one", "GET", "k*->f"],
        &["SORT", "one", "GET", "**"],
        &["SORT", "one", "GET", "->*"],
        &["SORT", "one", "GET", "#x"],
        &["SORT", "one", "GET", "*"],
        &["SORT", "one", "BY", "*->", "GET", "*->"],
        &["SET", "{t}1", "tagged"],
        &["SORT", "one", "GET", "{t}*"],
        &["HSET", "{h}1", "f", "hv"],
        &["SORT", "one", "GET", "{h}*->f"],
    ]);
}

#[test]
fn limit_clamps_offsets_and_counts_like_redis() {
    let mut p = Pair::start();
    setup(&mut p);
    for src in ["l", "z", "is", "missing"] {
        for by in [None, Some("nosort"), Some("w_*")] {
            for (off, cnt) in [
                ("0", "-1"),
                ("0", "1"),
                ("-1", "2"),
                ("-100", "3"),
                ("3", "0"),
                ("3", "-5"),
                ("8", "5"),
                ("9", "1"),
                ("100", "2"),
                ("1", "9223372036854775807"),
                ("2", "9223372036854775807"),
                ("9223372036854775807", "9223372036854775807"),
                ("9223372036854775807", "1"),
                ("-9223372036854775808", "-9223372036854775808"),
                ("4", "9223372036854775805"),
            ] {
                for desc in [false, true] {
                    let mut cmd = vec!["SORT", src];
                    if let Some(b) = by {
                        cmd.extend(["BY", b]);
                    }
                    cmd.extend(["LIMIT", off, cnt]);
                    if desc {
                        cmd.push("DESC");
                    }
                    if src == "z" && by.is_none() {
                        cmd.push("ALPHA");
                    }
                    p.check(&[&cmd]);
                }
            }
        }
    }
}

#[test]
fn alpha_compares_binary_elements_like_redis() {
    let mut p = Pair::start();
    let items: Vec<&[u8]> = vec![
        b"a\x00c",
        b"a\x00b",
        b"a",
        b"\xff\xfe",
        b"\xc3\xa9t\xc3\xa9",
        b"\x80",
        b"",
        b"Z",
        b"z",
        b"a\x00",
        b"\x00",
        b"ab",
    ];
    let mut push: Vec<Vec<u8>> = vec![b"RPUSH".to_vec(), b"bin".to_vec()];
    push.extend(items.iter().map(|i| i.to_vec()));
    let v = |parts: &[&[u8]]| parts.iter().map(|a| a.to_vec()).collect::<Vec<Vec<u8>>>();
    p.check_raw(&[
        push,
        v(&[b"SORT", b"bin", b"ALPHA"]),
        v(&[b"SORT", b"bin", b"ALPHA", b"DESC"]),
        v(&[b"SORT", b"bin", b"ALPHA", b"LIMIT", b"2", b"5"]),
        v(&[b"SORT", b"bin", b"ALPHA", b"STORE", b"dst"]),
        v(&[b"LRANGE", b"dst", b"0", b"-1"]),
        v(&[b"SORT", b"bin", b"ALPHA", b"DESC", b"STORE", b"dst"]),
        v(&[b"LRANGE", b"dst", b"0", b"-1"]),
        v(&[b"SORT", b"bin", b"BY", b"nosort", b"GET", b"#"]),
        v(&[
            b"MSET",
            b"wa\x00c",
            b"x\x00b",
            b"wa\x00b",
            b"x\x00a",
            b"wa",
            b"\xff",
            b"w\x80",
            b"\xc3\xa9",
        ]),
        v(&[b"SORT", b"bin", b"BY", b"w*", b"ALPHA"]),
        v(&[b"SORT", b"bin", b"BY", b"w*", b"ALPHA", b"DESC"]),
        v(&[b"SORT", b"bin", b"BY", b"w*", b"ALPHA", b"LIMIT", b"1", b"4"]),
        v(&[b"SORT", b"bin", b"BY", b"w*", b"ALPHA", b"STORE", b"dst"]),
        v(&[b"LRANGE", b"dst", b"0", b"-1"]),
        v(&[b"SORT", b"bin", b"GET", b"w*"]),
        // Patterns are C strings: a NUL ends the search for `*` and `->`.
        v(&[b"SORT", b"bin", b"BY", b"w\x00*", b"ALPHA"]),
        v(&[b"SORT", b"bin", b"GET", b"w\x00*"]),
        v(&[b"SORT", b"bin", b"GET", b"#\x00x"]),
        v(&[b"SORT", b"bin", b"GET", b"w*\x00"]),
        v(&[b"HSET", b"ha", b"f\x00g", b"nul-field", b"f", b"plain"]),
        v(&[b"SORT", b"bin", b"GET", b"h*->f\x00g"]),
        v(&[b"SORT", b"bin", b"GET", b"h*->\x00g"]),
        v(&[b"RPUSH", b"nums", b"3\x00x", b"1", b"\x00", b"2\x00"]),
        v(&[b"SORT", b"nums"]),
        v(&[b"SORT", b"nums", b"DESC"]),
    ]);
}

#[test]
fn store_writes_a_list_clears_ttl_overwrites_any_type_and_deletes_when_empty() {
    let mut p = Pair::start();
    setup(&mut p);
    p.check(&[
        &["SET", "dst", "old", "EX", "1000"],
        &["SORT", "l", "STORE", "dst"],
        &["TYPE", "dst"],
        &["TTL", "dst"],
        &["OBJECT", "ENCODING", "dst"],
        &["LRANGE", "dst", "0", "-1"],
        &["SORT", "l", "GET", "#", "GET", "n_*", "STORE", "dst"],
        &["LRANGE", "dst", "0", "-1"],
        &[
            "SORT", "l", "BY", "w_*", "DESC", "LIMIT", "1", "4", "GET", "h_*->f", "STORE", "dst",
        ],
        &["LRANGE", "dst", "0", "-1"],
        &["SORT", "l", "STORE", "l"],
        &["LRANGE", "l", "0", "-1"],
        &["SORT", "words", "ALPHA", "STORE", "dst", "STORE", "dst2"],
        &["LRANGE", "dst2", "0", "-1"],
        &["EXISTS", "dst"],
        &["ZADD", "zdst", "1", "a"],
        &["SORT", "l", "LIMIT", "0", "2", "STORE", "zdst"],
        &["TYPE", "zdst"],
        &["SORT", "l", "LIMIT", "0", "0", "STORE", "dst"],
        &["EXISTS", "dst"],
        &["SORT", "missing", "STORE", "dst2"],
        &["EXISTS", "dst2"],
        &["SORT", "missing", "STORE", "never"],
        &["EXISTS", "never"],
        &["SORT", "l", "LIMIT", "0", "0", "GET", "#", "STORE", "dst"],
        &["CONFIG", "SET", "list-max-listpack-size", "2"],
        &["SORT", "l", "STORE", "dst"],
        &["OBJECT", "ENCODING", "dst"],
    ]);
}

#[test]
fn store_is_a_write_that_aborts_a_watching_transaction() {
    let mut p = Pair::start();
    setup(&mut p);
    p.check(&[
        &["WATCH", "dst"],
        &["SORT", "l", "STORE", "dst"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "dst"],
        &["SORT", "missing", "STORE", "dst"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "l"],
        &["SORT", "l"],
        &["SORT_RO", "l", "BY", "w_*"],
        &["MULTI"],
        &["SORT", "l", "LIMIT", "0", "2"],
        &["EXEC"],
    ]);
}

#[test]
fn sort_replies_match_the_oracle_in_resp3() {
    let mut p = Pair::start();
    setup(&mut p);
    p.hello3();
    p.check(&[
        &["SORT", "l"],
        &["SORT", "l", "GET", "#", "GET", "n_*", "GET", "h_*->g"],
        &["SORT", "missing"],
        &["SORT", "l", "STORE", "dst"],
        &["SORT", "z", "BY", "nosort", "GET", "nothing_*"],
        &["SORT", "words"],
        &["SORT_RO", "l", "STORE", "x"],
    ]);
}

#[test]
fn command_getkeys_finds_the_sort_key_and_the_last_store() {
    let mut p = Pair::start();
    p.check(&[
        &["COMMAND", "GETKEYS", "SORT", "k"],
        &["COMMAND", "GETKEYS", "SORT", "k", "STORE", "d"],
        &["COMMAND", "GETKEYS", "SORT", "k", "STORE", "d", "STORE", "e"],
        &["COMMAND", "GETKEYS", "SORT", "k", "BY", "store", "x"],
        &["COMMAND", "GETKEYS", "SORT", "k", "GET", "store", "STORE", "x"],
        &["COMMAND", "GETKEYS", "SORT", "k", "LIMIT", "store", "x", "y"],
        &["COMMAND", "GETKEYS", "SORT", "k", "LIMIT", "1", "store", "x"],
        &["COMMAND", "GETKEYS", "SORT", "k", "STORE"],
        &["COMMAND", "GETKEYS", "SORT", "k", "bogus", "StOrE", "d"],
        &["COMMAND", "GETKEYS", "SORT"],
        &["COMMAND", "GETKEYS", "SORT_RO", "k", "STORE", "d"],
        &["COMMAND", "GETKEYSANDFLAGS", "SORT", "k", "STORE", "d"],
        &["COMMAND", "GETKEYSANDFLAGS", "SORT_RO", "k", "GET", "x"],
        &["COMMAND", "INFO", "SORT", "SORT_RO"],
    ]);
}

/// The number of items of an aggregate reply (1 for anything else).
trait ItemCount {
    fn to_owned_len(&self) -> usize;
}

impl ItemCount for Resp {
    fn to_owned_len(&self) -> usize {
        match self {
            Resp::Agg(_, items) => items.len(),
            _ => 1,
        }
    }
}

/// `keyspace_hits` and `keyspace_misses` from `INFO stats`.
fn hits(reply: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(reply)
        .lines()
        .filter(|l| l.starts_with("keyspace_hits:") || l.starts_with("keyspace_misses:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn pattern_lookups_count_keyspace_hits_and_misses_like_redis() {
    let mut p = Pair::start();
    setup(&mut p);
    let scripts: &[&[&str]] = &[
        &["SORT", "l"],
        &["SORT", "missing"],
        &["SORT", "str"],
        &["SORT", "l", "BY", "w_*"],
        &["SORT", "l", "BY", "nosort", "GET", "n_*", "GET", "#", "GET", "h_*->f"],
        &["SORT", "l", "BY", "h_*->f", "GET", "nosuch"],
        &["SORT", "l", "BY", "n_*", "STORE", "dst"],
        &["SORT", "hs", "BY", "w_*", "STORE", "dst"],
        &["SORT", "l", "LIMIT", "0", "2", "GET", "w_*", "STORE", "dst"],
        &["SORT_RO", "z", "BY", "w_*", "GET", "n_*"],
    ];
    p.check(&[&["CONFIG", "RESETSTAT"]]);
    for cmd in scripts {
        p.check(&[cmd]);
        let (s, r) = p.both(&["INFO", "stats"]);
        assert_eq!(hits(&s), hits(&r), "after {cmd:?}");
    }
}

// ---------------------------------------------------------------------------
// Randomized differential run.

const MEMBERS: &[&str] = &[
    "1", "2", "3", "10", "-1", "0", "2.5", "1e1", "007", "a", "b", "B", "ab", "x y", "", "\u{e9}",
];

fn member(rng: &mut SmallRng) -> String {
    MEMBERS[rng.random_range(0..MEMBERS.len())].to_string()
}

/// A list element: a member, or one with NUL bytes (lists only, where the
/// ties NUL bytes make under `strcoll` keep the list's own order).
fn list_element(rng: &mut SmallRng) -> String {
    if rng.random_bool(0.15) {
        ["a\u{0}b", "a\u{0}", "\u{0}", "1\u{0}9"][rng.random_range(0..4)].to_string()
    } else {
        member(rng)
    }
}

fn weight(rng: &mut SmallRng) -> String {
    match rng.random_range(0..10) {
        0 => "abc".into(),
        1 => "".into(),
        2..=4 => rng.random_range(0..4).to_string(),
        5 => format!("{}.5", rng.random_range(-3..3)),
        _ => rng.random_range(-20..20).to_string(),
    }
}

const SOURCES: &[&str] = &["la", "lb", "si", "ss", "za", "zb", "str", "hash", "none"];

/// A random write to the source keys or the weights.
fn random_write(rng: &mut SmallRng) -> Vec<String> {
    let w = |s: &str| s.to_string();
    let mut c: Vec<String> = Vec::new();
    match rng.random_range(0..14) {
        0..=2 => {
            c.extend([
                w(if rng.random_bool(0.5) { "RPUSH" } else { "LPUSH" }),
                w(["la", "lb"][rng.random_range(0..2)]),
            ]);
            for _ in 0..rng.random_range(1..4) {
                c.push(list_element(rng));
            }
        }
        3 => {
            c.extend([w("SADD"), w("si")]);
            for _ in 0..rng.random_range(1..4) {
                c.push(rng.random_range(-5..30).to_string());
            }
        }
        4 => {
            c.extend([w("SADD"), w("ss")]);
            for _ in 0..rng.random_range(1..4) {
                c.push(member(rng));
            }
        }
        5 | 6 => {
            c.extend([w("ZADD"), w(["za", "zb"][rng.random_range(0..2)])]);
            for _ in 0..rng.random_range(1..4) {
                c.push(rng.random_range(-3..4).to_string());
                c.push(member(rng));
            }
        }
        7 | 8 => c.extend([w("SET"), format!("w_{}", member(rng)), weight(rng)]),
        9 | 10 => c.extend([
            w("HSET"),
            format!("h_{}", member(rng)),
            w(["f", "g"][rng.random_range(0..2)]),
            weight(rng),
        ]),
        11 => c.extend([w("DEL"), w(SOURCES[rng.random_range(0..SOURCES.len())])]),
        12 => c.extend([w("DEL"), format!("w_{}", member(rng))]),
        13 if rng.random_bool(0.3) => c.extend([w("SET"), member(rng), weight(rng)]),
        _ => c.extend([w("LPOP"), w(["la", "lb"][rng.random_range(0..2)])]),
    }
    c
}

/// A random SORT or SORT_RO with a random mix of options in random order.
fn random_sort(rng: &mut SmallRng) -> Vec<String> {
    let w = |s: &str| s.to_string();
    let ro = rng.random_bool(0.25);
    let mut c = vec![
        w(if ro { "SORT_RO" } else { "SORT" }),
        w(SOURCES[rng.random_range(0..SOURCES.len())]),
    ];
    let mut opts: Vec<Vec<String>> = Vec::new();
    if rng.random_bool(0.5) {
        let by = [
            "w_*",
            "nosort",
            "h_*->f",
            "h_*->g",
            "w_*->f",
            "h_*",
            "missing_*",
            "*",
            "h_*->",
        ][rng.random_range(0..9)];
        opts.push(vec![w("BY"), w(by)]);
    }
    if rng.random_bool(0.4) {
        let n = |rng: &mut SmallRng| match rng.random_range(0..8) {
            0 => "-1".to_string(),
            1 => "9223372036854775807".to_string(),
            2 => "x".to_string(),
            _ => rng.random_range(0..8).to_string(),
        };
        opts.push(vec![w("LIMIT"), n(rng), n(rng)]);
    }
    for _ in 0..rng.random_range(0..3) {
        let g = ["#", "w_*", "h_*->f", "h_*->g", "nokey", "*", "w_*->f"][rng.random_range(0..7)];
        opts.push(vec![w("GET"), w(g)]);
    }
    if rng.random_bool(0.4) {
        opts.push(vec![w(if rng.random_bool(0.5) { "DESC" } else { "ASC" })]);
    }
    if rng.random_bool(0.5) {
        opts.push(vec![w("ALPHA")]);
    }
    if rng.random_bool(if ro { 0.05 } else { 0.3 }) {
        opts.push(vec![w("STORE"), w("dst")]);
    }
    if rng.random_bool(0.02) {
        opts.push(vec![w("BOGUS")]);
    }
    // Shuffle the option groups: SORT accepts them in any order.
    for i in (1..opts.len()).rev() {
        let j = rng.random_range(0..=i);
        opts.swap(i, j);
    }
    c.extend(opts.into_iter().flatten());
    c
}

/// Whether Redis's output order for this call may depend on a hashtable's
/// order: a hashtable set kept in its own order, or ties among equal `ALPHA
/// BY` values whose input order is a hashtable's (sets and sorted sets).
fn order_is_open(p: &mut Pair, cmd: &[String]) -> bool {
    let up: Vec<String> = cmd.iter().map(|a| a.to_ascii_uppercase()).collect();
    let by = up.iter().position(|a| a == "BY").map(|i| cmd[i + 1].clone());
    let store = up.iter().any(|a| a == "STORE");
    let alpha = up.iter().any(|a| a == "ALPHA");
    let nosort = by.as_ref().is_some_and(|b| !b.contains('*'));
    if by.is_none() || (!nosort && !alpha) {
        return false;
    }
    // Asked of both servers so that their keyspace hits stay comparable.
    let ty = p.both(&["TYPE", &cmd[1]]).1;
    let enc = p.both(&["OBJECT", "ENCODING", &cmd[1]]).1;
    let hashtable_set = ty == b"+set\r\n" && enc != b"$6\r\nintset\r\n";
    let zset = ty == b"+zset\r\n";
    if hashtable_set && nosort && !store {
        return true;
    }
    let set_forced = ty == b"+set\r\n" && nosort && store;
    (hashtable_set || zset) && alpha && by.is_some() && !nosort && !set_forced
}

#[test]
fn random_sort_commands_match_the_oracle() {
    let mut p = Pair::start();
    let mut rng = SmallRng::seed_from_u64(0x50E7_0001);
    p.check(&[&["SET", "str", "x"], &["HSET", "hash", "a", "1"]]);
    let mut sorts = 0;
    let mut seen: HashMap<&'static str, usize> = HashMap::new();
    // 10,500 SORT/SORT_RO calls, with random writes (about a third of all
    // commands) in between.
    while sorts < 10_500 {
        let cmd = if rng.random_bool(0.35) {
            random_write(&mut rng)
        } else {
            random_sort(&mut rng)
        };
        let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        let is_sort = args[0].starts_with("SORT");
        let open = is_sort && order_is_open(&mut p, &cmd);
        let limited = cmd.iter().any(|a| a == "LIMIT");
        if open && limited {
            // Which tied elements LIMIT keeps (and so which GET keys are read)
            // depends on Redis's hashtable: compare the keyspace hits so far,
            // then start counting afresh after this command.
            let (hs, hr) = p.both(&["INFO", "stats"]);
            assert_eq!(hits(&hs), hits(&hr), "keyspace hits before {args:?}");
        }
        let (s, r) = p.both(&args);
        if open && limited {
            p.both(&["CONFIG", "RESETSTAT"]);
        }
        if !is_sort {
            assert_eq!(show(&s), show(&r), "{args:?}");
            continue;
        }
        sorts += 1;
        *seen
            .entry(if r.starts_with(b"-") {
                "error"
            } else if r.starts_with(b":") {
                "store"
            } else if open {
                "open order"
            } else {
                "exact"
            })
            .or_default() += 1;

        if open && limited {
            // Ties cut by LIMIT: which of them make it depends on Redis's
            // hashtable; only the shape can be compared.
            match (Resp::parse(&s), Resp::parse(&r)) {
                (Resp::Agg(ts, is), Resp::Agg(tr, ir)) => assert_eq!((ts, is.len()), (tr, ir.len()), "{args:?}"),
                _ => assert_eq!(show(&s), show(&r), "{args:?}"),
            }
        } else if open {
            assert_eq!(
                Resp::parse(&s).unordered(),
                Resp::parse(&r).unordered(),
                "{args:?}: shoal {} redis {}",
                show(&s),
                show(&r)
            );
        } else {
            assert_eq!(show(&s), show(&r), "{args:?}");
        }
        if r.starts_with(b":") {
            let (ls, lr) = p.both(&["LRANGE", "dst", "0", "-1"]);
            if open && limited {
                assert_eq!(
                    Resp::parse(&ls).unordered().to_owned_len(),
                    Resp::parse(&lr).unordered().to_owned_len(),
                    "stored by {args:?}"
                );
            } else if open {
                assert_eq!(
                    Resp::parse(&ls).unordered(),
                    Resp::parse(&lr).unordered(),
                    "stored by {args:?}"
                );
            } else {
                assert_eq!(show(&ls), show(&lr), "stored by {args:?}");
            }
            let (es, er) = p.both(&["EXISTS", "dst"]);
            assert_eq!(es, er);
        }
    }
    eprintln!("random sort run: {seen:?}");
    for kind in ["error", "store", "open order", "exact"] {
        assert!(
            seen.get(kind).copied().unwrap_or(0) > 50,
            "too few {kind} cases: {seen:?}"
        );
    }
    let (s, r) = p.both(&["INFO", "stats"]);
    assert_eq!(hits(&s), hits(&r), "keyspace hits after the run");
}

#[test]
fn limited_alpha_by_sorts_place_ties_as_redis_partial_quicksort_does() {
    let mut p = Pair::start();
    let mut rng = SmallRng::seed_from_u64(0x50E7_0002);
    let elements: Vec<String> = (0..300).map(|i| format!("e{i}")).collect();
    let mut push = vec!["RPUSH", "big"];
    push.extend(elements.iter().map(String::as_str));
    p.check(&[&push]);
    // Few distinct weights, some missing: many ties.
    for e in &elements {
        if rng.random_bool(0.7) {
            let w = ["a", "b", "c", "d"][rng.random_range(0..4)];
            p.check(&[&["SET", &format!("w_{e}"), w]]);
        }
    }
    for _ in 0..200 {
        let off = rng.random_range(0..320).to_string();
        let cnt = rng.random_range(0..120).to_string();
        let mut cmd = vec!["SORT", "big", "BY", "w_*", "ALPHA", "LIMIT", &off, &cnt];
        if rng.random_bool(0.5) {
            cmd.push("DESC");
        }
        if rng.random_bool(0.3) {
            cmd.extend(["GET", "#", "GET", "w_*"]);
        }
        p.check(&[&cmd]);
    }
    p.check(&[
        &["SORT", "big", "BY", "w_*", "ALPHA"],
        &["SORT", "big", "BY", "w_*", "ALPHA", "DESC"],
        &["SORT", "big", "BY", "w_*", "ALPHA", "LIMIT", "0", "300"],
        &["SORT", "big", "BY", "w_*", "ALPHA", "STORE", "dst", "LIMIT", "17", "40"],
        &["LRANGE", "dst", "0", "-1"],
    ]);
}

#[test]
fn cluster_mode_refuses_by_patterns_and_get_but_not_nosort() {
    // The oracle cannot serve commands in cluster mode without slots, so
    // these are Redis's texts from its source, checked on shoal alone.
    let shoal = crate::support::Server::start_with(&["--cluster-enabled", "yes"]);
    let mut c = shoal.raw();
    assert_eq!(c.cmd(&["RPUSH", "l", "2", "1"]), b":2\r\n".to_vec());
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "w_*"]),
        b"-ERR BY option of SORT denied in Cluster mode.\r\n".to_vec()
    );
    assert_eq!(
        c.cmd(&["SORT_RO", "l", "GET", "#"]),
        b"-ERR GET option of SORT denied in Cluster mode.\r\n".to_vec()
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "nosort", "DESC"]),
        b"*2\r\n$1\r\n1\r\n$1\r\n2\r\n".to_vec()
    );
    assert_eq!(c.cmd(&["SORT", "l"]), b"*2\r\n$1\r\n1\r\n$1\r\n2\r\n".to_vec());
}

/// Polls `INFO clients` until `n` clients are blocked (bounded).
fn wait_blocked(c: &mut crate::support::Raw, n: usize) {
    let want = format!("blocked_clients:{n}");
    for _ in 0..10_000 {
        if String::from_utf8_lossy(&c.cmd(&["INFO", "clients"])).contains(&want) {
            return;
        }
    }
    panic!("never saw {want}");
}

#[test]
fn store_serves_a_client_blocked_on_the_destination() {
    let mut p = Pair::start();
    p.check(&[&["RPUSH", "src", "3", "1", "2"]]);
    let mut bs = p.shoal.raw();
    let mut br = p.redis.raw();
    let blpop = crate::support::encode(&[b"BLPOP", b"dst", b"0"]);
    bs.send_bytes(&blpop);
    br.send_bytes(&blpop);
    wait_blocked(&mut p.s, 1);
    wait_blocked(&mut p.r, 1);
    p.check(&[&["SORT", "src", "DESC", "STORE", "dst"]]);
    assert_eq!(show(&bs.read_reply()), show(&br.read_reply()));
    p.check(&[&["LRANGE", "dst", "0", "-1"]]);
}
