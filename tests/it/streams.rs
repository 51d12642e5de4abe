//! Stream commands against the oracle: XADD and its id and trimming
//! rules, ranges, XDEL/XTRIM, XINFO, XSETID, consumer groups (XGROUP,
//! XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM), the node layout Redis
//! reports (radix-tree keys and nodes, approximate trimming), DUMP/RESTORE,
//! blocking reads with several connections, and a seeded randomized
//! differential run.
//!
//! Ids are explicit wherever replies are compared byte for byte; replies
//! that carry wall-clock times (idle times, delivery and seen times) are
//! compared with those fields masked. Blocked clients are waited for by
//! polling `INFO clients`, never by sleeping.

use std::time::{Duration, Instant};

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::support::{show, Pair, Raw, Resp};

/// Script of the XADD id rules, ranges, XDEL, XTRIM, XINFO STREAM and XSETID.
const BASICS: &[&[&str]] = &[
    &["xadd", "s", "1-1", "a", "1"],
    &["xadd", "s", "1-1", "a", "1"],
    &["xadd", "s", "0-0", "a", "1"],
    &["xadd", "s", "1", "a", "1"],
    &["xadd", "s", "1-*", "b", "2"],
    &["xadd", "s", "5-*", "b", "2"],
    &["xadd", "s", "nomkstream", "6-1", "c", "3", "d", "4"],
    &["xadd", "nos", "nomkstream", "6-1", "c", "3"],
    &["xadd", "s", "maxlen", "2", "7-1", "a", "1"],
    &["xadd", "s", "maxlen", "~", "2", "8-1", "a", "1"],
    &["xadd", "s", "maxlen", "=", "2", "9-1", "a", "1"],
    &["xadd", "s", "minid", "9", "10-1", "a", "1"],
    &["xadd", "s", "maxlen", "2", "minid", "3", "11-1", "a", "1"],
    &["xadd", "s", "maxlen", "-1", "11-1", "a", "1"],
    &["xadd", "s", "maxlen", "x", "11-1", "a", "1"],
    &["xadd", "s", "limit", "10", "11-1", "a", "1"],
    &["xadd", "s", "maxlen", "~", "1", "limit", "10", "11-1", "a", "1"],
    &["xadd", "s", "maxlen", "1", "limit", "10", "11-1", "a", "1"],
    &["xadd", "s", "maxlen", "~", "1", "limit", "-1", "11-1", "a", "1"],
    &["xadd", "s", "12-1", "a"],
    &["xadd", "s", "12-1"],
    &["xadd", "s", "maxlen", "5"],
    &["xadd", "s", "foo", "a", "1"],
    &["xadd", "s", "-", "a", "1"],
    &["xadd", "s", "+", "a", "1"],
    &["xadd", "s", "18446744073709551615-18446744073709551615", "a", "1"],
    &["xadd", "s", "18446744073709551615-*", "a", "1"],
    &["xadd", "s", "18446744073709551616", "a", "1"],
    &["xadd", "s", " 20", "a", "1"],
    &["xadd", "s", "+21", "a", "1"],
    &["xadd", "s", "22-abc", "a", "1"],
    &["xlen", "s"],
    &["xlen", "nos"],
    &["set", "str", "x"],
    &["xadd", "str", "1-1", "a", "1"],
    &["xlen", "str"],
    &["xrange", "s", "-", "+"],
    &["xrevrange", "s", "+", "-"],
    &["xrange", "s", "-", "+", "count", "1"],
    &["xrange", "s", "-", "+", "count", "0"],
    &["xrange", "nos", "-", "+", "count", "0"],
    &["xrange", "s", "-", "+", "count", "-5"],
    &["xrange", "s", "(1-1", "+"],
    &["xrange", "s", "-", "(18446744073709551615-18446744073709551615"],
    &["xrange", "s", "(18446744073709551615-18446744073709551615", "+"],
    &["xrange", "s", "-", "(0-0"],
    &["xrange", "s", "(", "+"],
    &["xrange", "s", "(-", "+"],
    &["xrange", "s", "5", "5"],
    &["xrange", "s", "-", "+", "foo"],
    &["xrange", "s", "-", "+", "count"],
    &["xrange", "s", "-", "+", "count", "x"],
    &["xrevrange", "s", "(18446744073709551615", "-"],
    &["xrange", "str", "-", "+"],
    &["xdel", "s", "1-1", "5-0", "99-9"],
    &["xdel", "s", "bad"],
    &["xdel", "nos", "bad"],
    &["xdel", "str", "1"],
    &["xrange", "s", "-", "+"],
    &["xtrim", "s", "maxlen", "0"],
    &["xtrim", "s"],
    &["xtrim", "s", "foo", "1"],
    &["xtrim", "nos", "maxlen", "1"],
    &["xtrim", "str", "maxlen", "1"],
    &["xtrim", "s", "minid", "~", "5"],
    &["xtrim", "s", "maxlen", "~", "1", "limit", "5"],
    &["xlen", "s"],
    &["xadd", "s2", "1-1", "a", "1"],
    &["xadd", "s2", "1-2", "a", "1", "b", "2"],
    &["xadd", "s2", "1-3", "a", "1"],
    &["xdel", "s2", "1-2"],
    &["xinfo", "stream", "s2"],
    &["xinfo", "stream", "s2", "full"],
    &["xinfo", "stream", "nos"],
    &["xinfo", "stream", "str"],
    &["xinfo", "stream", "s"],
    &["xsetid", "s2", "1-2"],
    &["xsetid", "s2", "5-5"],
    &["xsetid", "s2", "5-5", "entriesadded", "1"],
    &["xsetid", "s2", "5-5", "entriesadded", "-1"],
    &["xsetid", "s2", "5-5", "maxdeletedid", "6-0"],
    &["xsetid", "s2", "5-5", "maxdeletedid", "1-1", "entriesadded", "9"],
    &["xinfo", "stream", "s2"],
    &["xsetid", "nos", "1-1"],
    &["xsetid", "s2", "1"],
    &["xsetid", "s2", "x"],
    &["xsetid", "s2", "5-5", "foo"],
];

/// Script of consumer groups, XPENDING summaries, XACK, XCLAIM, XAUTOCLAIM,
/// XREAD/XREADGROUP without blocking, and their errors.
const GROUPS: &[&[&str]] = &[
    &["xadd", "s", "1-1", "a", "1"],
    &["xadd", "s", "2-1", "b", "2"],
    &["xadd", "s", "3-1", "c", "3"],
    &["xgroup", "create", "s", "g", "0"],
    &["xgroup", "create", "s", "g", "0"],
    &["xgroup", "create", "nos", "g", "0"],
    &["xgroup", "create", "nos", "g", "0", "mkstream"],
    &["xgroup", "create", "str", "g", "0"],
    &["set", "str", "x"],
    &["xgroup", "create", "str", "g", "0"],
    &["xgroup", "create", "s", "g2", "$", "entriesread", "2"],
    &["xgroup", "create", "s", "g3", "$", "entriesread", "-2"],
    &["xgroup", "create", "s", "g3", "$", "entriesread", "x"],
    &["xgroup", "create", "s", "g3", "bad"],
    &["xgroup", "create", "s", "g3", "-"],
    &["xgroup", "create", "s", "g3", "0", "foo"],
    &["xgroup", "setid", "s", "nog", "0"],
    &["xgroup", "setid", "s", "g", "0", "entriesread", "5"],
    &["xgroup", "setid", "s", "g", "-"],
    &["xgroup", "setid", "s", "g", "+"],
    &["xgroup", "setid", "s", "g", "1-1", "foo", "bar"],
    &["xgroup", "setid", "s", "g", "1-1", "entriesread"],
    &["xgroup", "createconsumer", "s", "g", "c1"],
    &["xgroup", "createconsumer", "s", "g", "c1"],
    &["xgroup", "createconsumer", "s", "nog", "c1"],
    &["xgroup", "delconsumer", "s", "g", "c9"],
    &["xgroup", "foo", "s", "g"],
    &["xgroup", "destroy", "s", "g3"],
    &["xinfo", "groups", "s"],
    &["xgroup", "setid", "s", "g", "0"],
    &["xreadgroup", "group", "g", "c1", "streams", "s", ">"],
    &["xinfo", "groups", "s"],
    &["xpending", "s", "g"],
    &["xpending", "s", "g", "idle", "0", "-", "+"],
    &["xpending", "s", "nog"],
    &["xpending", "nos", "g"],
    &["xpending", "str", "g"],
    &["xpending", "s", "g", "x", "+", "1"],
    &["xreadgroup", "group", "g", "c2", "streams", "s", "0"],
    &["xreadgroup", "group", "g", "c1", "streams", "s", "0"],
    &["xreadgroup", "group", "g", "c1", "count", "1", "streams", "s", "0"],
    &["xreadgroup", "group", "g", "c1", "streams", "s", "2"],
    &["xdel", "s", "2-1"],
    &["xreadgroup", "group", "g", "c1", "streams", "s", "0"],
    &["xinfo", "groups", "s"],
    &["xack", "s", "g", "1-1", "9-9"],
    &["xack", "s", "g", "bad"],
    &["xack", "s", "nog", "1-1"],
    &["xack", "nos", "g", "1-1"],
    &["xack", "str", "g", "1-1"],
    &["xpending", "s", "g"],
    &["xclaim", "s", "g", "c2", "0", "2-1", "3-1", "justid"],
    &["xclaim", "s", "g", "c2", "0", "3-1"],
    &["xclaim", "s", "g", "c2", "0", "3-1", "retrycount", "7"],
    &["xpending", "s", "g"],
    &["xclaim", "s", "g", "c2", "0", "3-1", "foo"],
    &["xclaim", "s", "g", "c2", "x", "3-1"],
    &["xclaim", "s", "g", "c2", "0", "3-1", "idle", "x"],
    &["xclaim", "s", "g", "c2", "0", "3-1", "time", "x"],
    &["xclaim", "s", "g", "c2", "0", "3-1", "retrycount", "x"],
    &["xclaim", "s", "g", "c2", "0", "3-1", "lastid", "x"],
    &["xclaim", "s", "g", "c2", "0", "3-1", "lastid", "10-0", "justid"],
    &["xinfo", "groups", "s"],
    &["xclaim", "s", "nog", "c2", "0", "3-1"],
    &["xclaim", "nos", "g", "c2", "0", "3-1"],
    &["xclaim", "s", "g", "c3", "0", "1-1", "force", "justid"],
    &["xclaim", "s", "g", "c3", "0", "1-1", "force"],
    &["xadd", "s", "4-1", "d", "4"],
    &["xautoclaim", "s", "g", "c4", "0", "0"],
    &["xautoclaim", "s", "g", "c4", "0", "0", "justid"],
    &["xautoclaim", "s", "g", "c4", "0", "0", "count", "1"],
    &["xautoclaim", "s", "g", "c4", "0", "(1-1", "count", "1"],
    &["xautoclaim", "s", "g", "c4", "x", "0"],
    &["xautoclaim", "s", "g", "c4", "0", "x"],
    &["xautoclaim", "s", "g", "c4", "0", "0", "foo"],
    &["xautoclaim", "s", "nog", "c4", "0", "0"],
    &["xautoclaim", "nos", "g", "c4", "0", "0"],
    &["xautoclaim", "s", "g", "c4", "0", "0", "count", "0"],
    &["xinfo", "consumers", "s", "nog"],
    &["xinfo", "consumers", "nos", "g"],
    &["xinfo", "groups", "nos"],
    &["xinfo", "groups", "str"],
    &["xinfo", "foo", "s"],
    &["xinfo"],
    &["xgroup"],
    &["xgroup", "help", "foo"],
    &["xinfo", "help", "foo"],
    &["xreadgroup", "group", "g", "c1", "streams", "s", ">"],
    &["xreadgroup", "group", "g", "c1", "streams", "s", "$"],
    &["xreadgroup", "group", "nog", "c1", "streams", "s", ">"],
    &["xreadgroup", "group", "g", "c1", "streams", "nos", ">"],
    &["xreadgroup", "group", "g", "c1", "streams", "s"],
    &["xreadgroup", "group", "g", "c1", "streams", "s", "s", ">", ">"],
    &["xreadgroup", "streams", "s", ">"],
    &["xreadgroup", "group", "g", "c1", "count", "x", "streams", "s", ">"],
    &["xreadgroup", "group", "g", "c1", "noack", "streams", "s", "0"],
    &["xread", "streams", "s", "0"],
    &["xread", "count", "1", "streams", "s", "0"],
    &["xread", "streams", "s", "$"],
    &["xread", "streams", "s", "+"],
    &["xread", "streams", "s", ">"],
    &["xread", "group", "g", "c", "streams", "s", "0"],
    &["xread", "noack", "streams", "s", "0"],
    &["xread", "streams", "s", "s", "0"],
    &["xread", "streams", "s", "nos", "0", "0"],
    &["xread", "streams", "s", "str", "0", "0"],
    &["xread", "count", "-1", "streams", "s", "0"],
    &["xread", "block", "-1", "streams", "s", "0"],
    &["xread", "block", "x", "streams", "s", "0"],
    &["xread", "block", "0", "streams", "s", "0"],
    &["xread", "foo", "streams", "s", "0"],
    &["xread", "streams"],
    &["xread", "count", "5"],
    &["xgroup", "create", "s", "g5", "0"],
    &["xreadgroup", "group", "g5", "c", "noack", "streams", "s", ">"],
    &["xpending", "s", "g5"],
    &["xinfo", "groups", "s"],
    &["xgroup", "createconsumer", "s", "g5", "zz"],
    &["xgroup", "delconsumer", "s", "g", "c2"],
    &["xpending", "s", "g"],
    &["xgroup", "destroy", "s", "g"],
    &["xgroup", "destroy", "s", "g"],
    &["xgroup", "destroy", "nos2", "g"],
];

/// Script of corner cases: several streams per read, exclusive and open
/// bounds, group lag and entries-read after deletions, XSETID on emptied
/// streams, empty names.
const CORNERS: &[&[&str]] = &[
    &["set", "str", "x"],
    &["xadd", "str", "nomkstream", "1-1", "a", "1"],
    &["xadd", "s", "1-1", "a", "1", "b", "2"],
    &["xadd", "s", "2-1", "a", "1", "b", "2"],
    &["xadd", "s", "3-1", "a", "1", "b", "2"],
    &["xadd", "s", "4-1", "a", "1", "b", "2"],
    &["xgroup", "create", "s", "g", "0"],
    &["xreadgroup", "group", "g", "c", "streams", "s", "s", ">", "0"],
    &["xreadgroup", "group", "g", "c", "streams", "s", "s", "0", ">"],
    &["xreadgroup", "group", "g", "c", "count", "1", "streams", "s", ">"],
    &["xread", "streams", "s", "s", "0", "2-1"],
    &["xread", "count", "0", "streams", "s", "0"],
    &["xautoclaim", "s", "g", "c2", "0", "+"],
    &["xautoclaim", "s", "g", "c2", "0", "(+"],
    &["xautoclaim", "s", "g", "c2", "0", "-"],
    &["xautoclaim", "s", "g", "c2", "0", "(0-0", "count", "2"],
    &[
        "xautoclaim",
        "s",
        "g",
        "c2",
        "0",
        "(18446744073709551615-18446744073709551615",
    ],
    &["xtrim", "s", "minid", "=", "2"],
    &["xtrim", "s", "minid", "=", "2-1", "limit", "0"],
    &["xtrim", "s", "minid", "~", "2", "limit", "0"],
    &["xrevrange", "s", "+", "(2-1", "count", "1"],
    &["xrevrange", "s", "(4-1", "-", "count", "5"],
    &["xgroup", "setid", "s", "g", "$"],
    &["xinfo", "groups", "s"],
    &["xadd", "e", "1-1", "a", "1"],
    &["xdel", "e", "1-1"],
    &["xgroup", "create", "e", "g", "$"],
    &["xinfo", "groups", "e"],
    &["xgroup", "setid", "e", "g", "$", "entriesread", "0"],
    &["xinfo", "groups", "e"],
    &["xsetid", "e", "0-1"],
    &["xsetid", "e", "1-1", "entriesadded", "0"],
    &["xinfo", "stream", "e"],
    &["xsetid", "e", "0-5"],
    &["xsetid", "e", "2-0", "maxdeletedid", "0-0"],
    &["xinfo", "stream", "e"],
    &["xadd", "t", "1-1", "a", "1"],
    &["xgroup", "create", "t", "g", "0", "entriesread", "0"],
    &["xinfo", "groups", "t"],
    &["xgroup", "create", "t", "g2", "0", "entriesread", "5"],
    &["xinfo", "groups", "t"],
    &["xreadgroup", "group", "g2", "c", "streams", "t", ">"],
    &["xinfo", "groups", "t"],
    &["xdel", "t", "1-1"],
    &["xinfo", "groups", "t"],
    &["xadd", "t", "5-1", "a", "1"],
    &["xadd", "t", "6-1", "a", "1"],
    &["xdel", "t", "5-1"],
    &["xinfo", "groups", "t"],
    &["xreadgroup", "group", "g", "c", "streams", "t", ">"],
    &["xinfo", "groups", "t"],
    &["xgroup", "create", "t", "g3", "0"],
    &["xinfo", "groups", "t"],
    &["xgroup", "create", "t", "g4", "5-1"],
    &["xgroup", "create", "t", "g5", "6-1"],
    &["xgroup", "create", "t", "g6", "9-9"],
    &["xinfo", "groups", "t"],
    &["xclaim", "t", "g", "c", "0", "6-1", "force"],
    &["xclaim", "t", "g", "c", "0", "5-1", "force"],
    &["xpending", "t", "g"],
    &["xgroup", "create", "t", "", "0"],
    &["xgroup", "createconsumer", "t", "", ""],
    &["xinfo", "groups", "t"],
    &["xreadgroup", "group", "", "", "streams", "t", ">"],
    &["xpending", "t", ""],
    &["xack", "t", "", "6-1", "6-1"],
    &["xgroup", "delconsumer", "t", "", ""],
    &["type", "t"],
    &["object", "encoding", "t"],
    &["xadd", "big", "maxlen", "~", "0", "1-1", "a", "1"],
    &["xlen", "big"],
    &["xadd", "big2", "minid", "~", "999", "1-1", "a", "1"],
    &["xlen", "big2"],
    &["xadd", "q", "1-1", "a", "1"],
    &["xadd", "q", "5-1", "a", "1"],
    &["xdel", "q", "5-1"],
    &["xsetid", "q", "2-0"],
    &["xinfo", "stream", "q"],
    &["xsetid", "q", "3-0", "maxdeletedid", "2-0"],
    &["xinfo", "stream", "q"],
];

#[test]
fn corner_cases_match_redis_in_both_protocols() {
    let mut p = Pair::start();
    p.check(CORNERS);
    p.check(&[&["FLUSHALL"]]);
    p.hello3();
    p.check(CORNERS);
    p.check_unordered(&[
        &["SCAN", "0", "TYPE", "stream"],
        &["SCAN", "0", "TYPE", "STREAM", "COUNT", "100"],
    ]);
}

#[test]
fn xadd_ranges_trimming_xinfo_and_xsetid_match_redis_in_resp2() {
    let mut p = Pair::start();
    p.check(BASICS);
}

#[test]
fn xadd_ranges_trimming_xinfo_and_xsetid_match_redis_in_resp3() {
    let mut p = Pair::start();
    p.hello3();
    p.check(BASICS);
}

#[test]
fn consumer_groups_and_their_errors_match_redis_in_resp2() {
    let mut p = Pair::start();
    p.check(GROUPS);
}

#[test]
fn consumer_groups_and_their_errors_match_redis_in_resp3() {
    let mut p = Pair::start();
    p.hello3();
    p.check(GROUPS);
}

/// Replaces wall-clock values: Unix-ms timestamps anywhere, and the idle
/// fields of XPENDING entries and XINFO CONSUMERS maps.
fn mask(r: &Resp) -> Resp {
    match r {
        Resp::Line(b':', n) => {
            let v: i64 = std::str::from_utf8(n).unwrap().parse().unwrap();
            if v > 1_000_000_000_000 {
                Resp::Line(b':', b"T".to_vec())
            } else {
                r.clone()
            }
        }
        Resp::Agg(t, items) => {
            let mut items: Vec<Resp> = items.iter().map(mask).collect();
            // XPENDING extended entries: [id, consumer, idle, count].
            if *t == b'*'
                && items.len() == 4
                && matches!(items[1], Resp::Bulk(..))
                && matches!(items[2], Resp::Line(b':', _))
            {
                if let Resp::Bulk(_, id) = &items[0] {
                    if id.contains(&b'-') {
                        items[2] = Resp::Line(b':', b"IDLE".to_vec());
                    }
                }
            }
            // "idle" => n in XINFO CONSUMERS.
            for i in 0..items.len().saturating_sub(1) {
                if items[i] == Resp::Bulk(b'$', b"idle".to_vec()) {
                    items[i + 1] = Resp::Line(b':', b"IDLE".to_vec());
                }
            }
            Resp::Agg(*t, items)
        }
        other => other.clone(),
    }
}

fn check_masked(p: &mut Pair, script: &[&[&str]]) {
    for args in script {
        let (a, b) = p.both(args);
        assert_eq!(
            mask(&Resp::parse(&a)),
            mask(&Resp::parse(&b)),
            "reply to {args:?} differs beyond times (left: shoal {}, right: redis {})",
            show(&a),
            show(&b)
        );
    }
}

const TIMED: &[&[&str]] = &[
    &["XADD", "s", "1-1", "a", "1"],
    &["XADD", "s", "2-1", "b", "2"],
    &["XADD", "s", "3-1", "c", "3"],
    &["XGROUP", "CREATE", "s", "g", "0"],
    &["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"],
    &["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"],
    &["XPENDING", "s", "g", "-", "+", "10"],
    &["XPENDING", "s", "g", "-", "+", "10", "alice"],
    &["XPENDING", "s", "g", "-", "+", "10", "nobody"],
    &["XPENDING", "s", "g", "(1-1", "+", "1"],
    &["XPENDING", "s", "g", "-", "(3-1", "0"],
    &["XPENDING", "s", "g", "IDLE", "0", "-", "+", "10"],
    &["XPENDING", "s", "g", "IDLE", "100000000", "-", "+", "10"],
    &["XPENDING", "s", "g", "IDLE", "x", "-", "+", "10"],
    &["XPENDING", "s", "g", "+", "-", "10"],
    &["XINFO", "CONSUMERS", "s", "g"],
    &["XGROUP", "CREATECONSUMER", "s", "g", "carol"],
    &["XINFO", "CONSUMERS", "s", "g"],
    &["XDEL", "s", "2-1"],
    &["XINFO", "STREAM", "s", "FULL"],
    &["XINFO", "STREAM", "s", "FULL", "COUNT", "1"],
    &["XINFO", "STREAM", "s", "FULL", "COUNT", "0"],
    &["XINFO", "STREAM", "s", "FULL", "COUNT", "-1"],
    &["XINFO", "STREAM", "s", "FULL", "COUNT", "x"],
    &["XINFO", "STREAM", "s", "FULL", "COUNT"],
    &["XINFO", "STREAM", "s", "FULL", "x"],
    &["XINFO", "STREAM", "s", "FULLER"],
    &["XCLAIM", "s", "g", "carol", "0", "1-1", "2-1", "IDLE", "5000"],
    &["XCLAIM", "s", "g", "carol", "0", "3-1", "TIME", "1000"],
    &["XPENDING", "s", "g", "-", "+", "10"],
    &["XINFO", "STREAM", "s", "FULL"],
    &["XAUTOCLAIM", "s", "g", "dave", "1000", "0"],
    &["XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "1"],
    &["XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "1152921504606846975"],
    &["XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "1152921504606846976"],
    &["XINFO", "STREAM", "s", "FULL"],
    &["XGROUP", "DELCONSUMER", "s", "g", "dave"],
    &["XINFO", "GROUPS", "s"],
    &["XINFO", "CONSUMERS", "s", "g"],
];

#[test]
fn replies_with_times_match_redis_apart_from_the_times() {
    let mut p = Pair::start();
    check_masked(&mut p, TIMED);
    p.hello3();
    p.check(&[&["FLUSHALL"]]);
    check_masked(&mut p, TIMED);
}

#[test]
fn help_subcommands_answer_status_lines_and_bad_ones_match_redis() {
    let mut p = Pair::start();
    for cmd in ["XINFO", "XGROUP"] {
        let (a, b) = p.both(&[cmd, "HELP"]);
        let (Resp::Agg(b'*', ours), Resp::Agg(b'*', theirs)) = (Resp::parse(&a), Resp::parse(&b)) else {
            panic!("{cmd} HELP: {} vs {}", show(&a), show(&b));
        };
        assert!(ours.iter().all(|l| matches!(l, Resp::Line(b'+', _))), "{}", show(&a));
        assert_eq!(ours[0], theirs[0]);
        assert!(ours.len() >= theirs.len() - 2);
    }
    p.check(&[
        &["XINFO", "HELP", "x"],
        &["XGROUP", "HELP", "x"],
        &["XINFO", "NOPE", "s"],
        &["XGROUP", "NOPE", "s", "g"],
        &["XINFO"],
        &["XGROUP"],
        &["XGROUP", "CREATE", "s"],
        &["XGROUP", "DESTROY", "s", "g", "x"],
        &["XINFO", "GROUPS", "s", "x"],
        &["XINFO", "CONSUMERS", "s"],
    ]);
}

/// An id text under 20 digits, for `*`-generated ids compared by shape.
fn is_id(reply: &[u8]) -> bool {
    let Resp::Bulk(_, text) = Resp::parse(reply) else {
        return false;
    };
    let text = String::from_utf8(text).unwrap();
    let mut parts = text.split('-');
    let ok = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

#[test]
fn star_ids_are_time_based_and_increase_and_partial_ids_fill_the_sequence() {
    let mut p = Pair::start();
    let (a, b) = p.both(&["XADD", "s", "*", "f", "v"]);
    assert!(is_id(&a) && is_id(&b), "{} {}", show(&a), show(&b));
    let first = String::from_utf8(Resp::parse(&a).bulk()).unwrap();
    let ms: u64 = first.split('-').next().unwrap().parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    assert!(ms <= now && now - ms < 60_000, "{first} vs {now}");
    // A last id in the future: `*` continues its sequence.
    p.check(&[
        &["XADD", "f", "99999999999999-5", "a", "1"],
        &["XADD", "f", "*", "a", "1"],
        &["XADD", "f", "*", "a", "1"],
        &["XADD", "f", "99999999999999-*", "a", "1"],
        &["XADD", "f", "99999999999998-*", "a", "1"],
        &["XADD", "f", "99999999999999-18446744073709551615", "a", "1"],
        &["XADD", "f", "99999999999999-*", "a", "1"],
        &["XADD", "f", "*", "a", "1"],
        &["XRANGE", "f", "-", "+"],
    ]);
    // Strictly increasing ids from `*`.
    let mut last = (0u64, 0u64);
    for _ in 0..200 {
        let id = String::from_utf8(Resp::parse(&p.s.cmd(&["XADD", "t", "*", "a", "1"])).bulk()).unwrap();
        let (m, s) = id.split_once('-').unwrap();
        let cur = (m.parse().unwrap(), s.parse().unwrap());
        assert!(cur > last, "{cur:?} after {last:?}");
        last = cur;
    }
}

impl Resp {
    fn simple(&self) -> Vec<u8> {
        match self {
            Resp::Line(b'+', b) => b.clone(),
            other => panic!("not a status: {other:?}"),
        }
    }

    fn bulk(&self) -> Vec<u8> {
        match self {
            Resp::Bulk(_, b) => b.clone(),
            other => panic!("not a bulk: {other:?}"),
        }
    }
}

#[test]
fn node_layout_matches_redis_radix_keys_nodes_and_approximate_trimming() {
    let mut p = Pair::start();
    let mut rng = SmallRng::seed_from_u64(3);
    let mut ms: u64 = 1;
    let mut script: Vec<Vec<String>> = Vec::new();
    let values = ["1", "-5", "300", "70000", "abc", "12345678901"];
    for i in 0..1500 {
        ms += [0, 1, 1, 2, 50, 1000, 70000, 1 << 20][rng.random_range(0..8)];
        let mut cmd = vec!["XADD".to_string(), "s".into(), format!("{ms}-*")];
        for j in 0..rng.random_range(1..=4) {
            let f = if rng.random_bool(0.8) {
                j
            } else {
                rng.random_range(0..10)
            };
            cmd.push(format!("f{f}"));
            cmd.push(if rng.random_bool(0.2) {
                "x".repeat([1, 10, 70, 300][rng.random_range(0..4)])
            } else {
                values[rng.random_range(0..values.len())].to_string()
            });
        }
        script.push(cmd);
        if i % 97 == 0 {
            script.push(vec!["XINFO".into(), "STREAM".into(), "s".into()]);
        }
        if i % 50 == 0 {
            script.push(vec![
                "XDEL".into(),
                "s".into(),
                format!("{ms}-0"),
                format!("{}-1", ms - 1),
            ]);
        }
    }
    let mut more = |c: &[&str]| script.push(c.iter().map(|s| s.to_string()).collect());
    more(&["XINFO", "STREAM", "s"]);
    more(&["XTRIM", "s", "MAXLEN", "~", "1000"]);
    more(&["XINFO", "STREAM", "s"]);
    more(&["XTRIM", "s", "MAXLEN", "~", "10", "LIMIT", "150"]);
    more(&["XINFO", "STREAM", "s"]);
    more(&["XTRIM", "s", "MAXLEN", "300"]);
    more(&["XINFO", "STREAM", "s"]);
    more(&["XTRIM", "s", "MINID", "~", "1000000000"]);
    more(&["XINFO", "STREAM", "s"]);
    more(&["OBJECT", "ENCODING", "s"]);
    more(&["CONFIG", "SET", "stream-node-max-entries", "7"]);
    for i in 0..100 {
        let id = format!("{}-1", i + 1);
        let v = i.to_string();
        more(&["XADD", "t", &id, "a", &v]);
    }
    more(&["XINFO", "STREAM", "t"]);
    more(&["XADD", "t", "MAXLEN", "~", "50", "200-1", "a", "b"]);
    more(&["XINFO", "STREAM", "t"]);
    more(&["XTRIM", "t", "MINID", "~", "60"]);
    more(&["XINFO", "STREAM", "t"]);
    more(&["CONFIG", "SET", "stream-node-max-entries", "100"]);
    more(&["CONFIG", "SET", "stream-node-max-bytes", "300"]);
    for i in 0..100 {
        let id = format!("{}-1", i + 1);
        let v = "y".repeat(i % 40);
        more(&["XADD", "u", &id, "a", "1", "bb", &v]);
    }
    more(&["XINFO", "STREAM", "u"]);
    more(&["XTRIM", "u", "MAXLEN", "~", "20"]);
    more(&["XINFO", "STREAM", "u"]);
    for cmd in &script {
        let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
        p.check(&[&refs]);
    }
}

#[test]
fn huge_counts_and_odd_arguments_neither_panic_nor_allocate() {
    let mut p = Pair::start();
    p.check(&[
        &["XADD", "s", "1-1", "a", "1"],
        &["XRANGE", "s", "-", "+", "COUNT", "9223372036854775807"],
        &["XREVRANGE", "s", "+", "-", "COUNT", "-9223372036854775808"],
        &["XREAD", "COUNT", "9223372036854775807", "STREAMS", "s", "0"],
        &["XTRIM", "s", "MAXLEN", "9223372036854775807"],
        &["XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "9223372036854775807"],
        &["XINFO", "STREAM", "s", "FULL", "COUNT", "9223372036854775807"],
        &["XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "9223372036854775807"],
        &["XINFO", "GROUPS", "s"],
        &[
            "XREADGROUP",
            "GROUP",
            "g",
            "c",
            "COUNT",
            "9223372036854775807",
            "STREAMS",
            "s",
            ">",
        ],
        &["XPENDING", "s", "g", "-", "+", "9223372036854775807"],
        &[
            "XCLAIM",
            "s",
            "g",
            "c",
            "0",
            "1-1",
            "RETRYCOUNT",
            "9223372036854775807",
            "JUSTID",
        ],
        &["XCLAIM", "s", "g", "c", "-9223372036854775808", "1-1", "JUSTID"],
        &["XPENDING", "s", "g"],
        &[
            "XAUTOCLAIM",
            "s",
            "g",
            "c",
            "0",
            "0",
            "COUNT",
            "1152921504606846975",
            "JUSTID",
        ],
        &[
            "XSETID",
            "s",
            "18446744073709551615-18446744073709551615",
            "ENTRIESADDED",
            "9223372036854775807",
        ],
        &["XINFO", "GROUPS", "s"],
        &["XADD", "s", "*", "a", "1"],
        &["XADD", "", "1-1", "", ""],
        &["XRANGE", "", "-", "+"],
        &["XADD", "s2", "01-01", "a", "1"],
        &["XADD", "s2", "-0-5", "a", "1"],
        &["XADD", "s2", "-1-5", "a", "1"],
        &["XADD", "s2", "5-+3", "a", "1"],
        &["XADD", "s2", "5- 3", "a", "1"],
        &["XADD", "s2", "5- -3", "a", "1"],
        &["XRANGE", "s2", "-", "+"],
        &["XRANGE", "s2", "0", "18446744073709551615"],
        &["XRANGE", "s2", "0", "18446744073709551616"],
    ]);
    let long_id = "1".repeat(200);
    p.check(&[&["XADD", "s3", &long_id, "a", "1"], &["XDEL", "s2", &long_id]]);
    p.check_raw(&[vec![
        b"XADD".to_vec(),
        b"s4".to_vec(),
        b"7\x00junk".to_vec(),
        b"a".to_vec(),
        b"1".to_vec(),
    ]]);
    p.check(&[&["XRANGE", "s4", "-", "+"]]);
}

#[test]
fn dump_and_restore_round_trip_everything_xinfo_full_shows() {
    let mut p = Pair::start();
    let s = &mut p.s;
    for i in 1..=260 {
        let id = format!("{i}-1");
        s.cmd(&["XADD", "s", &id, "f", "v", "g", &i.to_string()]);
    }
    s.cmd(&["XDEL", "s", "3-1", "150-1"]);
    s.cmd(&["XGROUP", "CREATE", "s", "g1", "0"]);
    s.cmd(&["XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "7"]);
    s.cmd(&["XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "s", ">"]);
    s.cmd(&["XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "s", ">"]);
    s.cmd(&["XGROUP", "CREATECONSUMER", "s", "g2", "idle"]);
    s.cmd(&["XSETID", "s", "900-0", "ENTRIESADDED", "1000", "MAXDELETEDID", "800-0"]);
    let before = s.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "0"]);
    let payload = Resp::parse(&s.cmd(&["DUMP", "s"])).bulk();
    assert_eq!(s.cmd(&["DEL", "s"]), b":1\r\n");
    let r = s.cmd_bytes(&[b"RESTORE", b"s", b"0", &payload]);
    assert_eq!(r, b"+OK\r\n", "{}", show(&r));
    assert_eq!(
        show(&s.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "0"])),
        show(&before)
    );
    assert_eq!(s.cmd(&["OBJECT", "ENCODING", "s"]), b"$6\r\nstream\r\n");
    assert_eq!(s.cmd(&["TYPE", "s"]), b"+stream\r\n");
    let line = String::from_utf8(Resp::parse(&s.cmd(&["DEBUG", "OBJECT", "s"])).simple()).unwrap();
    let size: usize = line
        .split(' ')
        .find_map(|f| f.strip_prefix("serializedlength:"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(size > 260 * 10, "size {size} is too small for 260 entries: {line}");
}

fn hits_and_misses(r: &mut Raw) -> (i64, i64) {
    let info = String::from_utf8(Resp::parse(&r.cmd(&["INFO", "stats"])).bulk()).unwrap();
    let field = |name: &str| -> i64 {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().parse().unwrap())
            .unwrap()
    };
    (field("keyspace_hits:"), field("keyspace_misses:"))
}

#[test]
fn keyspace_hits_and_misses_are_counted_as_redis_counts_them() {
    let mut p = Pair::start();
    p.check(&[
        &["XADD", "s", "1-1", "a", "1"],
        &["XGROUP", "CREATE", "s", "g", "0"],
        &["SET", "str", "x"],
    ]);
    let script: &[&[&str]] = &[
        &["XLEN", "s"],
        &["XLEN", "nos"],
        &["XRANGE", "s", "-", "+"],
        &["XREAD", "STREAMS", "s", "0"],
        &["XREAD", "STREAMS", "s", "nos", "0", "0"],
        &["XREAD", "STREAMS", "s", "nos", "0", "bad"],
        &["XREAD", "STREAMS", "str", "0"],
        &["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"],
        &["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"],
        &["XINFO", "STREAM", "s"],
        &["XINFO", "STREAM", "s", "foo"],
        &["XINFO", "STREAM", "nos"],
        &["XINFO", "GROUPS", "s"],
        &["XPENDING", "s", "g"],
        &["XPENDING", "nos", "g"],
        &["XACK", "s", "g", "1-1"],
        &["XCLAIM", "s", "g", "c", "0", "1-1"],
        &["XAUTOCLAIM", "s", "g", "c", "0", "0"],
        &["XAUTOCLAIM", "s", "g", "c", "x", "0"],
        &["XADD", "s", "2-1", "a", "1"],
        &["XDEL", "s", "9-9"],
    ];
    for args in script {
        let (s0, r0) = (hits_and_misses(&mut p.s), hits_and_misses(&mut p.r));
        p.both(args);
        let (s1, r1) = (hits_and_misses(&mut p.s), hits_and_misses(&mut p.r));
        assert_eq!(
            (s1.0 - s0.0, s1.1 - s0.1),
            (r1.0 - r0.0, r1.1 - r0.1),
            "hits/misses of {args:?} (left: shoal, right: redis)"
        );
    }
}

// ---------------------------------------------------------------- blocking

fn blocked_clients(r: &mut Raw) -> usize {
    let info = String::from_utf8(Resp::parse(&r.cmd(&["INFO", "clients"])).bulk()).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("blocked_clients:"))
        .map(|v| v.trim().parse().unwrap())
        .unwrap()
}

/// Waits (bounded) until `n` clients are blocked.
fn wait_blocked(r: &mut Raw, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while blocked_clients(r) != n {
        assert!(Instant::now() < deadline, "never saw {n} blocked clients");
        std::thread::yield_now();
    }
}

/// Connections to both servers: a controller and `n` waiters each.
struct Conns {
    ctl: [Raw; 2],
    waiters: Vec<[Raw; 2]>,
}

impl Conns {
    fn new(p: &Pair, n: usize, resp3: bool) -> Conns {
        let mut c = Conns {
            ctl: [p.shoal.raw(), p.redis.raw()],
            waiters: (0..n).map(|_| [p.shoal.raw(), p.redis.raw()]).collect(),
        };
        if resp3 {
            for w in c.waiters.iter_mut() {
                for r in w.iter_mut() {
                    r.cmd(&["HELLO", "3"]);
                }
            }
        }
        c
    }

    /// The same command on both controllers; asserts equal replies.
    fn ctl(&mut self, args: &[&str]) {
        let a = self.ctl[0].cmd(args);
        let b = self.ctl[1].cmd(args);
        assert_eq!(show(&a), show(&b), "reply to {args:?}");
    }

    /// Sends a blocking command from waiter `i` on both and waits until both
    /// servers show `blocked` blocked clients.
    fn block(&mut self, i: usize, args: &[&str], blocked: usize) {
        let a: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
        for w in self.waiters[i].iter_mut() {
            w.send_bytes(&crate::support::encode(&a));
        }
        for c in self.ctl.iter_mut() {
            wait_blocked(c, blocked);
        }
    }

    /// Reads waiter `i`'s reply on both; asserts they are equal.
    fn reply(&mut self, i: usize) -> Vec<u8> {
        let a = self.waiters[i][0].read_reply();
        let b = self.waiters[i][1].read_reply();
        assert_eq!(show(&a), show(&b), "waiter {i}'s reply");
        a
    }
}

fn xread_block_is_woken_by_xadd_in_arrival_order(resp3: bool) {
    let p = Pair::start();
    let mut c = Conns::new(&p, 3, resp3);
    c.ctl(&["XADD", "s", "1-1", "a", "1"]);
    c.block(0, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"], 1);
    c.block(1, &["XREAD", "BLOCK", "0", "STREAMS", "other", "s", "$", "$"], 2);
    c.block(2, &["XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "0"], 2);
    // Waiter 2 had something at once.
    c.reply(2);
    c.ctl(&["XADD", "s", "2-1", "b", "2"]);
    for c in c.ctl.iter_mut() {
        wait_blocked(c, 0);
    }
    c.reply(0);
    c.reply(1);
    // Entries deleted again before the waiter runs still wake it, with nothing.
    c.block(0, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"], 1);
    c.ctl(&["MULTI"]);
    c.ctl(&["XADD", "s", "3-1", "c", "3"]);
    c.ctl(&["XDEL", "s", "3-1"]);
    c.ctl(&["EXEC"]);
    c.reply(0);
    // Another type on the key keeps XREAD waiting; a later XADD serves it.
    c.block(0, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"], 1);
    c.ctl(&["SET", "s", "x"]);
    c.ctl(&["DEL", "s"]);
    c.ctl(&["XADD", "s", "9-1", "z", "9"]);
    c.reply(0);
    // Several streams written at once: the one written first is served.
    c.block(0, &["XREAD", "BLOCK", "0", "STREAMS", "a", "b", "$", "$"], 1);
    c.ctl(&["MULTI"]);
    c.ctl(&["XADD", "b", "1-1", "x", "1"]);
    c.ctl(&["XADD", "a", "1-1", "y", "1"]);
    c.ctl(&["EXEC"]);
    c.reply(0);
    // A huge timeout is accepted and waits.
    c.block(0, &["XREAD", "BLOCK", "9223372036854775807", "STREAMS", "a", "$"], 1);
    c.ctl(&["XADD", "a", "2-1", "y", "2"]);
    c.reply(0);
    // Inside MULTI nothing waits.
    c.ctl(&["MULTI"]);
    c.ctl(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
    c.ctl(&["EXEC"]);
}

#[test]
fn xread_block_is_woken_by_xadd_in_arrival_order_resp2() {
    xread_block_is_woken_by_xadd_in_arrival_order(false);
}

#[test]
fn xread_block_is_woken_by_xadd_in_arrival_order_resp3() {
    xread_block_is_woken_by_xadd_in_arrival_order(true);
}

#[test]
fn xread_block_times_out_with_a_null_array() {
    let p = Pair::start();
    for resp3 in [false, true] {
        let mut c = Conns::new(&p, 1, resp3);
        c.ctl(&["DEL", "s"]);
        c.ctl(&["XADD", "s", "1-1", "a", "1"]);
        c.block(0, &["XREAD", "BLOCK", "30", "STREAMS", "s", "$"], 1);
        let r = c.reply(0);
        assert_eq!(r, if resp3 { &b"_\r\n"[..] } else { &b"*-1\r\n"[..] });
        c.block(
            0,
            &["XREADGROUP", "GROUP", "nog", "c", "BLOCK", "30", "STREAMS", "s", ">"],
            0,
        );
        c.reply(0);
    }
}

#[test]
fn xreadgroup_block_serves_new_entries_and_errors_when_the_group_or_key_goes() {
    let p = Pair::start();
    let mut c = Conns::new(&p, 2, false);
    c.ctl(&["XADD", "s", "1-1", "a", "1"]);
    c.ctl(&["XGROUP", "CREATE", "s", "g", "$"]);
    c.block(
        0,
        &["XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"],
        1,
    );
    c.block(
        1,
        &[
            "XREADGROUP",
            "GROUP",
            "g",
            "c2",
            "COUNT",
            "1",
            "BLOCK",
            "0",
            "STREAMS",
            "s",
            ">",
        ],
        2,
    );
    c.ctl(&["MULTI"]);
    c.ctl(&["XADD", "s", "2-1", "b", "2"]);
    c.ctl(&["XADD", "s", "3-1", "c", "3"]);
    c.ctl(&["EXEC"]);
    // The first waiter takes both entries; the second keeps waiting.
    c.reply(0);
    for ctl in c.ctl.iter_mut() {
        wait_blocked(ctl, 1);
    }
    c.ctl(&["XADD", "s", "4-1", "d", "4"]);
    c.reply(1);
    c.ctl(&["XPENDING", "s", "g"]);
    c.ctl(&["XINFO", "GROUPS", "s"]);
    // NOACK: delivered but not pending.
    c.block(
        0,
        &[
            "XREADGROUP",
            "GROUP",
            "g",
            "c1",
            "NOACK",
            "BLOCK",
            "0",
            "STREAMS",
            "s",
            ">",
        ],
        1,
    );
    c.ctl(&["XADD", "s", "5-1", "e", "5"]);
    c.reply(0);
    c.ctl(&["XPENDING", "s", "g"]);
    // XGROUP SETID does not wake waiters; the next XADD serves from the new id.
    c.block(
        0,
        &["XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"],
        1,
    );
    c.ctl(&["XGROUP", "SETID", "s", "g", "3-1"]);
    c.ctl(&["XADD", "s", "6-1", "f", "6"]);
    c.reply(0);
    // The group is destroyed while the client waits.
    c.block(
        0,
        &["XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"],
        1,
    );
    c.ctl(&["XGROUP", "DESTROY", "s", "g"]);
    c.reply(0);
    // The key is deleted, or replaced by another type, while the client waits.
    c.ctl(&["XGROUP", "CREATE", "s", "g", "$"]);
    c.block(
        0,
        &["XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"],
        1,
    );
    c.ctl(&["DEL", "s"]);
    c.reply(0);
    c.ctl(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]);
    c.block(
        0,
        &["XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"],
        1,
    );
    c.ctl(&["SET", "s", "x"]);
    c.reply(0);
    // A timeout answers the null array.
    c.ctl(&["DEL", "s"]);
    c.ctl(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]);
    c.block(
        0,
        &["XREADGROUP", "GROUP", "g", "c1", "BLOCK", "20", "STREAMS", "s", ">"],
        1,
    );
    assert_eq!(c.reply(0), b"*-1\r\n");
    // Two streams of one group written at once: the first written is served.
    c.ctl(&["XADD", "s", "1-1", "a", "1"]);
    c.ctl(&["XADD", "t", "1-1", "a", "1"]);
    c.ctl(&["XGROUP", "SETID", "s", "g", "$"]);
    c.ctl(&["XGROUP", "CREATE", "t", "g", "$"]);
    c.block(
        0,
        &[
            "XREADGROUP",
            "GROUP",
            "g",
            "c1",
            "BLOCK",
            "0",
            "STREAMS",
            "s",
            "t",
            ">",
            ">",
        ],
        1,
    );
    c.ctl(&["MULTI"]);
    c.ctl(&["XADD", "t", "2-1", "x", "1"]);
    c.ctl(&["XADD", "s", "2-1", "y", "1"]);
    c.ctl(&["EXEC"]);
    c.reply(0);
    c.ctl(&["XINFO", "GROUPS", "s"]);
    c.ctl(&["XINFO", "GROUPS", "t"]);
    // History reads never block.
    c.block(
        0,
        &["XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", "0"],
        0,
    );
    c.reply(0);
}

// ---------------------------------------------------------------- randomized

const KEYS: &[&str] = &["s1", "s2", "s3", "str"];
const GROUPS_NAMES: &[&str] = &["g1", "g2", "g3"];
const CONSUMERS: &[&str] = &["c1", "c2", "c3"];
const FIELDS: &[&str] = &["a", "b", "c", "1", "22"];

struct Gen {
    rng: SmallRng,
    ms: u64,
}

impl Gen {
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.rng.random_range(0..xs.len())]
    }

    /// An id near the ones in use (sometimes odd forms).
    fn id(&mut self) -> String {
        match self.rng.random_range(0..20) {
            0 => "-".into(),
            1 => "+".into(),
            2 => "bad".into(),
            3 => format!("{}", self.recent()),
            4 => format!("({}-{}", self.recent(), self.rng.random_range(0..3)),
            5 => format!(
                "{}-{}",
                self.rng.random_range(0..=self.ms + 1),
                self.rng.random_range(0..3)
            ),
            _ => format!("{}-{}", self.recent(), self.rng.random_range(0..3)),
        }
    }

    fn strict_id(&mut self) -> String {
        if self.rng.random_range(0..30) == 0 {
            return "x-1".into();
        }
        format!("{}-{}", self.recent(), self.rng.random_range(0..3))
    }

    fn trim(&mut self, cmd: &mut Vec<String>) {
        let approx = self.rng.random_range(0..3);
        if self.rng.random_bool(0.6) {
            cmd.push("MAXLEN".into());
            cmd.push(["", "~", "="][approx].into());
            cmd.push(self.rng.random_range(-1..60).to_string());
        } else {
            cmd.push("MINID".into());
            cmd.push(["", "~", "="][approx].into());
            cmd.push(format!("{}", self.ms.saturating_sub(self.rng.random_range(0..80))));
        }
        cmd.retain(|a| !a.is_empty());
        if self.rng.random_range(0..5) == 0 {
            cmd.push("LIMIT".into());
            cmd.push(self.rng.random_range(-1..20).to_string());
        }
    }

    /// A millisecond part near the newest ids.
    fn recent(&mut self) -> u64 {
        self.ms.saturating_sub(self.rng.random_range(0..60)) + self.rng.random_range(0..2)
    }

    /// Mostly a stream key; sometimes the string key.
    fn key(&mut self) -> String {
        if self.rng.random_range(0..12) == 0 {
            "str".into()
        } else {
            self.pick(&KEYS[..3]).to_string()
        }
    }

    fn command(&mut self) -> Vec<String> {
        let key = self.key();
        let group = self.pick(GROUPS_NAMES).to_string();
        let consumer = self.pick(CONSUMERS).to_string();
        let mut c: Vec<String> = Vec::new();
        let s = |x: &str| x.to_string();
        match self.rng.random_range(0..100) {
            0..=29 => {
                c.extend([s("XADD"), key]);
                if self.rng.random_range(0..10) == 0 {
                    c.push(s("NOMKSTREAM"));
                }
                if self.rng.random_range(0..6) == 0 {
                    self.trim(&mut c);
                }
                let id = match self.rng.random_range(0..20) {
                    0 => self.strict_id(),
                    1 => format!("{}-*", self.ms),
                    2 => "0-0".into(),
                    _ => {
                        self.ms += self.rng.random_range(0..3);
                        if self.rng.random_bool(0.5) {
                            format!("{}-*", self.ms)
                        } else {
                            format!("{}-{}", self.ms, self.rng.random_range(0..4))
                        }
                    }
                };
                c.push(id);
                let n = if self.rng.random_range(0..40) == 0 {
                    0
                } else {
                    self.rng.random_range(1..4)
                };
                for _ in 0..n {
                    c.push(s(self.pick(FIELDS)));
                    c.push(self.rng.random_range(0..100).to_string());
                }
            }
            30..=34 => c.extend([s("XLEN"), key]),
            35..=44 => {
                let rev = self.rng.random_bool(0.3);
                let (lo, hi) = if self.rng.random_bool(0.7) {
                    let a = self.ms.saturating_sub(self.rng.random_range(0..80));
                    let lo = if self.rng.random_bool(0.2) {
                        s("-")
                    } else {
                        format!("{a}")
                    };
                    let hi = if self.rng.random_bool(0.3) {
                        s("+")
                    } else {
                        format!("({}-{}", a + self.rng.random_range(0..80), self.rng.random_range(0..3))
                    };
                    (lo, hi)
                } else {
                    (self.id(), self.id())
                };
                let name = if rev { "XREVRANGE" } else { "XRANGE" };
                if rev {
                    c.extend([s(name), key, hi, lo]);
                } else {
                    c.extend([s(name), key, lo, hi]);
                }
                if self.rng.random_bool(0.4) {
                    c.extend([s("COUNT"), self.rng.random_range(-1..5).to_string()]);
                }
            }
            45..=49 => {
                c.extend([s("XDEL"), key]);
                for _ in 0..self.rng.random_range(1..4) {
                    c.push(self.strict_id());
                }
            }
            50..=53 => {
                c.extend([s("XTRIM"), key]);
                self.trim(&mut c);
            }
            54..=59 => {
                let sub = self.rng.random_range(0..6);
                match sub {
                    0 | 1 => {
                        let id = match self.rng.random_range(0..3) {
                            0 => s("$"),
                            1 => s("0"),
                            _ => self.strict_id(),
                        };
                        c.extend([s("XGROUP"), s("CREATE"), key, group, id]);
                        if self.rng.random_bool(0.3) {
                            c.push(s("MKSTREAM"));
                        }
                        if self.rng.random_range(0..5) == 0 {
                            c.extend([s("ENTRIESREAD"), self.rng.random_range(-2..10).to_string()]);
                        }
                    }
                    2 => {
                        let id = if self.rng.random_bool(0.3) { s("$") } else { self.id() };
                        c.extend([s("XGROUP"), s("SETID"), key, group, id]);
                    }
                    3 => c.extend([s("XGROUP"), s("DESTROY"), key, group]),
                    4 => c.extend([s("XGROUP"), s("CREATECONSUMER"), key, group, consumer]),
                    _ => c.extend([s("XGROUP"), s("DELCONSUMER"), key, group, consumer]),
                }
            }
            60..=71 => {
                c.extend([s("XREADGROUP"), s("GROUP"), group, consumer]);
                if self.rng.random_bool(0.5) {
                    c.extend([s("COUNT"), self.rng.random_range(0..4).to_string()]);
                }
                if self.rng.random_range(0..8) == 0 {
                    c.push(s("NOACK"));
                }
                c.push(s("STREAMS"));
                c.push(key);
                c.push(if self.rng.random_bool(0.7) {
                    s(">")
                } else {
                    self.strict_id()
                });
            }
            72..=77 => {
                c.extend([s("XACK"), key, group]);
                for _ in 0..self.rng.random_range(1..4) {
                    c.push(self.strict_id());
                }
            }
            78..=81 => c.extend([s("XPENDING"), key, group]),
            82..=86 => {
                c.extend([s("XCLAIM"), key, group, consumer, s("0")]);
                for _ in 0..self.rng.random_range(1..4) {
                    c.push(self.strict_id());
                }
                match self.rng.random_range(0..4) {
                    0 => c.extend([s("IDLE"), s("0")]),
                    1 => c.push(s("JUSTID")),
                    2 => c.extend([s("FORCE"), s("JUSTID")]),
                    _ => c.extend([s("RETRYCOUNT"), s("3"), s("JUSTID")]),
                }
                if self.rng.random_range(0..6) == 0 {
                    c.extend([s("LASTID"), self.strict_id()]);
                }
            }
            87..=89 => {
                c.extend([s("XAUTOCLAIM"), key, group, consumer, s("0"), self.id()]);
                if self.rng.random_bool(0.5) {
                    c.extend([s("COUNT"), self.rng.random_range(0..4).to_string()]);
                }
                if self.rng.random_bool(0.5) {
                    c.push(s("JUSTID"));
                }
            }
            90..=93 => c.extend([s("XINFO"), s("GROUPS"), key]),
            94..=95 => c.extend([s("XINFO"), s("STREAM"), key]),
            96..=97 => {
                c.extend([s("XREAD")]);
                if self.rng.random_bool(0.5) {
                    c.extend([s("COUNT"), self.rng.random_range(0..4).to_string()]);
                }
                let other = self.key();
                c.extend([s("STREAMS"), key, other, self.strict_id(), s("$")]);
            }
            98 => c.extend([s("SET"), s("str"), s("x")]),
            _ => {
                let id = format!("{}-{}", self.ms + self.rng.random_range(0..3), 9);
                c.extend([s("XSETID"), key, id]);
            }
        }
        c
    }
}

fn random_stream_commands_match_redis(resp3: bool, seed: u64, n: usize) {
    let mut p = Pair::start();
    if resp3 {
        p.hello3();
    }
    // Small nodes, so that approximate trimming and node counts are exercised.
    p.check(&[&["CONFIG", "SET", "stream-node-max-entries", "4"]]);
    let mut g = Gen {
        rng: SmallRng::seed_from_u64(seed),
        ms: 1,
    };
    for i in 0..n {
        let cmd = g.command();
        let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
        let (a, b) = p.both(&refs);
        assert_eq!(
            show(&a),
            show(&b),
            "#{i}: reply to {cmd:?} differs (left: shoal, right: redis)"
        );
    }
    for key in KEYS {
        check_masked(
            &mut p,
            &[
                &["XINFO", "STREAM", key, "FULL", "COUNT", "0"],
                &["XRANGE", key, "-", "+"],
            ],
        );
    }
}

#[test]
fn ten_thousand_random_stream_commands_match_redis() {
    random_stream_commands_match_redis(false, 0x057A_EA11, 10_000);
}

#[test]
fn random_stream_commands_match_redis_in_resp3() {
    random_stream_commands_match_redis(true, 0x057A_EA12, 3_000);
}
