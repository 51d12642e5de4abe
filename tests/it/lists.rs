//! List commands against the oracle: scripts compared byte for byte in RESP2
//! and RESP3 (errors included), encodings, keyspace statistics, and a seeded
//! randomized differential run. The blocking commands are exercised here
//! only where they do not wait (non-empty lists, inside MULTI); waiting is
//! tested with several connections in `blocking.rs`.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::support::{hits_and_misses, show, Pair, Server};

#[test]
fn pushes_report_lengths_and_refuse_other_types() {
    let mut p = Pair::start();
    p.check(&[
        &["LPUSH", "l", "a", "b", "c"],
        &["RPUSH", "l", "d", "e"],
        &["LRANGE", "l", "0", "-1"],
        &["LPUSHX", "nokey", "a"],
        &["RPUSHX", "nokey", "a", "b"],
        &["EXISTS", "nokey"],
        &["LPUSHX", "l", "x", "y"],
        &["RPUSHX", "l", "z"],
        &["LRANGE", "l", "0", "-1"],
        &["SET", "s", "v"],
        &["LPUSH", "s", "a"],
        &["RPUSH", "s", "a"],
        &["LPUSHX", "s", "a"],
        &["RPUSHX", "s", "a"],
        &["LPUSH", "l"],
        &["LPUSHX", "l"],
        &["TYPE", "l"],
        &["LLEN", "l"],
        &["LLEN", "nokey"],
        &["LLEN", "s"],
        &["LPUSH", "", ""],
        &["LRANGE", "", "0", "-1"],
    ]);
}

#[test]
fn pops_with_and_without_count_match_the_oracle_in_resp2_and_resp3() {
    let mut p = Pair::start();
    let script: &[&[&str]] = &[
        &["DEL", "l"],
        &["RPUSH", "l", "a", "b", "c", "d", "e"],
        &["LPOP", "l"],
        &["RPOP", "l"],
        &["LPOP", "l", "2"],
        &["RPOP", "l", "0"],
        &["RPOP", "l", "5"],
        &["EXISTS", "l"],
        &["LPOP", "l"],
        &["LPOP", "l", "0"],
        &["LPOP", "l", "3"],
        &["RPOP", "l", "-1"],
        &["RPOP", "l", "x"],
        &["RPOP", "l", "-0"],
        &["RPOP", "l", "1", "2"],
        &["RPUSH", "l", "a", "b", "c"],
        &["RPOP", "l", "2"],
        &["LPOP", "l", "9223372036854775807"],
        &["RPUSH", "l", "x"],
        &["LPOP", "l", "9223372036854775808"],
        &["SET", "s", "v"],
        &["LPOP", "s"],
        &["LPOP", "s", "0"],
        &["RPOP", "s", "x"],
    ];
    p.check(script);
    p.hello3();
    p.check(script);
}

#[test]
fn lrange_lindex_and_lset_handle_every_index_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["RPUSH", "l", "a", "b", "c", "d", "e"],
        &["LRANGE", "l", "0", "9223372036854775807"],
        &["LRANGE", "l", "-9223372036854775808", "9223372036854775807"],
        &["LRANGE", "l", "-9223372036854775808", "-9223372036854775808"],
        &["LRANGE", "l", "-2", "-1"],
        &["LRANGE", "l", "-100", "1"],
        &["LRANGE", "l", "3", "1"],
        &["LRANGE", "l", "5", "10"],
        &["LRANGE", "l", "x", "1"],
        &["LRANGE", "l", "0", "9223372036854775808"],
        &["LRANGE", "nokey", "0", "-1"],
        &["LRANGE", "nokey", "x", "-1"],
        &["LINDEX", "l", "0"],
        &["LINDEX", "l", "-1"],
        &["LINDEX", "l", "-5"],
        &["LINDEX", "l", "-6"],
        &["LINDEX", "l", "5"],
        &["LINDEX", "l", "9223372036854775807"],
        &["LINDEX", "l", "-9223372036854775808"],
        &["LINDEX", "l", "x"],
        &["LINDEX", "nokey", "x"],
        &["LSET", "l", "0", "A"],
        &["LSET", "l", "-1", "E"],
        &["LSET", "l", "5", "x"],
        &["LSET", "l", "-6", "x"],
        &["LSET", "l", "-9223372036854775808", "x"],
        &["LSET", "l", "x", "x"],
        &["LSET", "nokey", "0", "x"],
        &["LSET", "nokey", "x", "x"],
        &["LRANGE", "l", "0", "-1"],
        &["SET", "s", "v"],
        &["LRANGE", "s", "0", "-1"],
        &["LRANGE", "s", "x", "-1"],
        &["LINDEX", "s", "x"],
        &["LSET", "s", "x", "y"],
    ]);
}

#[test]
fn lindex_and_lset_reach_any_position_of_a_long_list() {
    let mut p = Pair::start();
    let items: Vec<String> = (0..5000).map(|i| format!("item-{i}")).collect();
    let mut push = vec!["RPUSH".to_string(), "long".to_string()];
    push.extend(items.iter().cloned());
    let push: Vec<&str> = push.iter().map(String::as_str).collect();
    p.check(&[&push]);
    for i in ["0", "1", "2500", "4999", "-1", "-2500", "-5000", "5000"] {
        p.check(&[
            &["LINDEX", "long", i],
            &["LSET", "long", i, "changed"],
            &["LINDEX", "long", i],
        ]);
    }
    p.check(&[
        &["LRANGE", "long", "4990", "9223372036854775807"],
        &["LLEN", "long"],
        &["OBJECT", "ENCODING", "long"],
    ]);
}

#[test]
fn linsert_lrem_and_ltrim_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["RPUSH", "l", "a", "x", "b", "x", "c", "x"],
        &["LINSERT", "l", "BEFORE", "x", "1"],
        &["LINSERT", "l", "after", "x", "2"],
        &["LINSERT", "l", "AFTER", "nosuch", "3"],
        &["LINSERT", "l", "MIDDLE", "x", "3"],
        &["LINSERT", "nokey", "BEFORE", "x", "3"],
        &["LINSERT", "nokey", "MIDDLE", "x", "3"],
        &["LRANGE", "l", "0", "-1"],
        &["LREM", "l", "-1", "x"],
        &["LRANGE", "l", "0", "-1"],
        &["LREM", "l", "1", "x"],
        &["LRANGE", "l", "0", "-1"],
        &["RPUSH", "l", "x", "x", "x"],
        &["LREM", "l", "0", "x"],
        &["LRANGE", "l", "0", "-1"],
        &["RPUSH", "l", "x", "x"],
        &["LREM", "l", "-9223372036854775808", "x"],
        &["LREM", "l", "9223372036854775807", "a"],
        &["LREM", "l", "x", "a"],
        &["LREM", "nokey", "x", "a"],
        &["LREM", "nokey", "1", "a"],
        &["LRANGE", "l", "0", "-1"],
        &["LREM", "l", "0", "1"],
        &["LREM", "l", "0", "2"],
        &["LREM", "l", "0", "b"],
        &["LREM", "l", "0", "c"],
        &["EXISTS", "l"],
        &["RPUSH", "t", "1", "2", "3", "4", "5", "6"],
        &["LTRIM", "t", "1", "-2"],
        &["LRANGE", "t", "0", "-1"],
        &["LTRIM", "t", "-100", "100"],
        &["LRANGE", "t", "0", "-1"],
        &["LTRIM", "t", "0", "-9223372036854775808"],
        &["EXISTS", "t"],
        &["RPUSH", "t", "1", "2", "3"],
        &["LTRIM", "t", "5", "10"],
        &["EXISTS", "t"],
        &["LTRIM", "t", "x", "1"],
        &["LTRIM", "nokey", "0", "1"],
        &["LTRIM", "nokey", "0", "y"],
        &["SET", "s", "v"],
        &["LINSERT", "s", "BEFORE", "a", "b"],
        &["LINSERT", "s", "MIDDLE", "a", "b"],
        &["LREM", "s", "0", "a"],
        &["LREM", "s", "x", "a"],
        &["LTRIM", "s", "0", "1"],
        &["LTRIM", "s", "x", "1"],
    ]);
}

#[test]
fn lpos_options_and_their_errors_match_the_oracle() {
    let mut p = Pair::start();
    let script: &[&[&str]] = &[
        &["DEL", "l"],
        &["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"],
        &["LPOS", "l", "c"],
        &["LPOS", "l", "nosuch"],
        &["LPOS", "l", "c", "RANK", "2"],
        &["LPOS", "l", "c", "RANK", "-1"],
        &["LPOS", "l", "c", "RANK", "-3"],
        &["LPOS", "l", "c", "RANK", "-4"],
        &["LPOS", "l", "c", "RANK", "4"],
        &["LPOS", "l", "c", "COUNT", "0"],
        &["LPOS", "l", "c", "COUNT", "2"],
        &["LPOS", "l", "c", "COUNT", "2", "RANK", "2"],
        &["LPOS", "l", "c", "COUNT", "0", "RANK", "-1"],
        &["LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7"],
        &["LPOS", "l", "c", "MAXLEN", "2"],
        &["LPOS", "l", "c", "RANK", "-1", "MAXLEN", "1"],
        &["LPOS", "l", "c", "RANK", "-9223372036854775808"],
        &["LPOS", "l", "c", "RANK", "-9223372036854775808", "COUNT", "1"],
        &[
            "LPOS",
            "l",
            "c",
            "RANK",
            "-9223372036854775808",
            "COUNT",
            "1",
            "MAXLEN",
            "2",
        ],
        &["LPOS", "l", "c", "RANK", "-9223372036854775807", "COUNT", "1"],
        &["LPOS", "l", "c", "RANK", "9223372036854775807", "COUNT", "1"],
        &["LPOS", "l", "c", "RANK", "0"],
        &["LPOS", "l", "c", "RANK", "x"],
        &["LPOS", "l", "c", "COUNT", "-1"],
        &["LPOS", "l", "c", "COUNT", "x"],
        &["LPOS", "l", "c", "MAXLEN", "-1"],
        &["LPOS", "l", "c", "MAXLEN", "x"],
        &["LPOS", "l", "c", "RANK"],
        &["LPOS", "l", "c", "FOO", "1"],
        &["LPOS", "l", "c", "RANK", "1", "RANK", "2"],
        &["LPOS", "l", "c", "RANK", "0", "COUNT", "-1"],
        &["LPOS", "nokey", "c"],
        &["LPOS", "nokey", "c", "COUNT", "1"],
        &["LPOS", "nokey", "c", "RANK", "0"],
        &["SET", "s", "v"],
        &["LPOS", "s", "c"],
        &["LPOS", "s", "c", "RANK", "0"],
    ];
    p.check(script);
    p.hello3();
    p.check(script);
}

#[test]
fn lmove_and_rpoplpush_move_rotate_and_check_types_like_redis() {
    let mut p = Pair::start();
    let script: &[&[&str]] = &[
        &["FLUSHALL"],
        &["RPUSH", "src", "a", "b", "c"],
        &["LMOVE", "src", "dst", "LEFT", "RIGHT"],
        &["LMOVE", "src", "dst", "right", "left"],
        &["LRANGE", "src", "0", "-1"],
        &["LRANGE", "dst", "0", "-1"],
        &["RPOPLPUSH", "src", "dst"],
        &["EXISTS", "src"],
        &["LRANGE", "dst", "0", "-1"],
        &["LMOVE", "nokey", "dst", "LEFT", "LEFT"],
        &["RPOPLPUSH", "nokey", "dst"],
        &["LMOVE", "dst", "dst", "LEFT", "RIGHT"],
        &["LRANGE", "dst", "0", "-1"],
        &["RPOPLPUSH", "dst", "dst"],
        &["LRANGE", "dst", "0", "-1"],
        &["LMOVE", "dst", "dst", "LEFT", "LEFT"],
        &["LRANGE", "dst", "0", "-1"],
        &["RPUSH", "one", "x"],
        &["EXPIRE", "one", "1000"],
        &["LMOVE", "one", "one", "LEFT", "RIGHT"],
        &["TTL", "one"],
        &["LMOVE", "dst", "dst", "UP", "LEFT"],
        &["LMOVE", "dst", "dst", "LEFT", "DOWN"],
        &["LMOVE", "nokey", "dst", "UP", "LEFT"],
        &["SET", "s", "v"],
        &["LMOVE", "s", "dst", "LEFT", "LEFT"],
        &["LMOVE", "dst", "s", "LEFT", "LEFT"],
        &["LMOVE", "nokey", "s", "LEFT", "LEFT"],
        &["RPOPLPUSH", "s", "dst"],
        &["RPOPLPUSH", "dst", "s"],
        &["LRANGE", "dst", "0", "-1"],
    ];
    p.check(script);
    p.hello3();
    p.check(script);
}

#[test]
fn lmpop_parses_numkeys_direction_and_count_like_redis() {
    let mut p = Pair::start();
    let script: &[&[&str]] = &[
        &["FLUSHALL"],
        &["RPUSH", "b", "1", "2", "3", "4"],
        &["LMPOP", "2", "a", "b", "LEFT"],
        &["LMPOP", "2", "a", "b", "RIGHT", "COUNT", "2"],
        &["LMPOP", "2", "a", "b", "right", "count", "10"],
        &["EXISTS", "b"],
        &["LMPOP", "2", "a", "b", "LEFT"],
        &["LMPOP", "1", "a", "LEFT", "COUNT", "1"],
        &["LMPOP", "0", "a", "LEFT"],
        &["LMPOP", "-1", "a", "LEFT"],
        &["LMPOP", "x", "a", "LEFT"],
        &["LMPOP", "9223372036854775807", "a", "LEFT"],
        &["LMPOP", "3", "a", "LEFT"],
        &["LMPOP", "1", "a", "MIDDLE"],
        &["LMPOP", "1", "a", "LEFT", "COUNT", "0"],
        &["LMPOP", "1", "a", "LEFT", "COUNT", "-1"],
        &["LMPOP", "1", "a", "LEFT", "COUNT", "x"],
        &["LMPOP", "1", "a", "LEFT", "COUNT"],
        &["LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "2"],
        &["LMPOP", "1", "a", "LEFT", "EXTRA"],
        &["SET", "s", "v"],
        &["RPUSH", "c", "x"],
        &["LMPOP", "2", "s", "c", "LEFT"],
        &["LMPOP", "2", "c", "s", "LEFT"],
        &["LMPOP", "2", "nokey", "s", "LEFT"],
        &["LMPOP", "1", "s", "LEFT", "COUNT", "0"],
    ];
    p.check(script);
    p.hello3();
    p.check(script);
}

#[test]
fn blocking_commands_that_find_elements_answer_at_once_like_redis() {
    let mut p = Pair::start();
    let script: &[&[&str]] = &[
        &["FLUSHALL"],
        &["RPUSH", "b", "1", "2", "3"],
        &["BLPOP", "a", "b", "0"],
        &["BRPOP", "a", "b", "0"],
        &["BLPOP", "b", "0.5"],
        &["EXISTS", "b"],
        &["RPUSH", "b", "1", "2", "3", "4"],
        &["BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "3"],
        &["BLMOVE", "b", "c", "LEFT", "RIGHT", "0"],
        &["RPUSH", "b", "5"],
        &["BRPOPLPUSH", "b", "c", "0"],
        &["LRANGE", "c", "0", "-1"],
        &["BLMOVE", "c", "c", "LEFT", "RIGHT", "0"],
        &["LRANGE", "c", "0", "-1"],
        &["SET", "s", "v"],
        &["BLPOP", "s", "c", "0"],
        &["BLPOP", "c", "s", "0"],
        &["BRPOP", "nokey", "s", "0"],
        &["BLMOVE", "s", "c", "LEFT", "LEFT", "0"],
        &["BLMOVE", "c", "s", "LEFT", "LEFT", "0"],
        &["BRPOPLPUSH", "c", "s", "0"],
        &["BLMPOP", "0", "2", "nokey", "s", "LEFT"],
        &["BLPOP", "c", "-1"],
        &["BLPOP", "c", "abc"],
        &["BLPOP", "c", "nan"],
        &["BLPOP", "c", "inf"],
        &["BLPOP", "c", "1e300"],
        &["BLPOP", "c", "9223372036854775807"],
        &["BLPOP", "c", " 1"],
        &["BLMOVE", "c", "d", "LEFT", "LEFT", "-1"],
        &["BLMOVE", "c", "d", "UP", "LEFT", "-1"],
        &["BRPOPLPUSH", "c", "d", "x"],
        &["BLMPOP", "-1", "1", "c", "LEFT"],
        &["BLMPOP", "x", "1", "c", "LEFT"],
        &["BLMPOP", "x", "0", "c", "LEFT"],
        &["BLMPOP", "0", "1", "c", "MIDDLE"],
        &["BLMPOP", "0", "1", "c", "LEFT", "COUNT", "0"],
    ];
    p.check(script);
    p.hello3();
    p.check(script);
}

#[test]
fn blocking_commands_inside_multi_answer_as_if_timed_out() {
    let mut p = Pair::start();
    let script: &[&[&str]] = &[
        &["FLUSHALL"],
        &["MULTI"],
        &["BLPOP", "a", "0"],
        &["BRPOP", "a", "b", "0"],
        &["BLMOVE", "a", "b", "LEFT", "LEFT", "0"],
        &["BRPOPLPUSH", "a", "b", "0"],
        &["BLMPOP", "0", "1", "a", "LEFT"],
        &["RPUSH", "a", "x", "y"],
        &["BLPOP", "a", "0"],
        &["BLMOVE", "a", "b", "LEFT", "LEFT", "0"],
        &["BLPOP", "a", "-1"],
        &["BLMOVE", "a", "b", "UP", "LEFT", "0"],
        &["EXEC"],
        &["LRANGE", "b", "0", "-1"],
        &["MULTI"],
        &["BLPOP", "a"],
        &["EXEC"],
    ];
    p.check(script);
    p.hello3();
    p.check(script);
}

#[test]
fn list_encoding_is_quicklist_at_every_size_and_setting_as_in_redis_7_0() {
    let mut p = Pair::start();
    let big = "v".repeat(10_000);
    let many: Vec<String> = (0..300).map(|i| i.to_string()).collect();
    let mut push = vec!["RPUSH", "many"];
    push.extend(many.iter().map(String::as_str));
    p.check(&[
        &["RPUSH", "small", "a"],
        &["OBJECT", "ENCODING", "small"],
        &["RPUSH", "big", &big],
        &["OBJECT", "ENCODING", "big"],
        &push,
        &["OBJECT", "ENCODING", "many"],
        &["CONFIG", "SET", "list-max-listpack-size", "4"],
        &["RPUSH", "after", "1", "2", "3", "4", "5"],
        &["OBJECT", "ENCODING", "after"],
        &["LPOP", "many", "298"],
        &["OBJECT", "ENCODING", "many"],
        &["CONFIG", "SET", "list-max-listpack-size", "-5"],
        &["RPUSH", "after2", "1"],
        &["OBJECT", "ENCODING", "after2"],
        &["CONFIG", "GET", "list-max-listpack-size"],
        &["CONFIG", "SET", "list-max-listpack-size", "0"],
        &["CONFIG", "GET", "list-max-listpack-size"],
        &["RPUSH", "after3", "1", "2"],
        &["OBJECT", "ENCODING", "after3"],
        &["LRANGE", "after3", "0", "-1"],
    ]);
}

#[test]
fn elements_are_binary_safe() {
    let mut p = Pair::start();
    let weird: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"\x00\x01\xff".to_vec(),
        b"a\r\nb".to_vec(),
        vec![0u8; 300],
    ];
    let w = |i: usize| weird[i].clone();
    p.check_raw(&[
        vec![b"RPUSH".to_vec(), b"k\x00".to_vec(), w(0), w(1), w(2), w(3)],
        vec![b"LRANGE".to_vec(), b"k\x00".to_vec(), b"0".to_vec(), b"-1".to_vec()],
        vec![b"LPOS".to_vec(), b"k\x00".to_vec(), w(2)],
        vec![b"LREM".to_vec(), b"k\x00".to_vec(), b"0".to_vec(), w(1)],
        vec![b"LINSERT".to_vec(), b"k\x00".to_vec(), b"BEFORE".to_vec(), w(0), w(1)],
        vec![b"LINDEX".to_vec(), b"k\x00".to_vec(), b"0".to_vec()],
        vec![b"RPOP".to_vec(), b"k\x00".to_vec(), b"10".to_vec()],
    ]);
}

#[test]
fn command_getkeys_finds_the_keys_of_list_commands_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["COMMAND", "GETKEYS", "LPUSH", "k", "a", "b"],
        &["COMMAND", "GETKEYS", "LMOVE", "a", "b", "LEFT", "RIGHT"],
        &["COMMAND", "GETKEYS", "BLPOP", "a", "b", "c", "0"],
        &["COMMAND", "GETKEYS", "BRPOPLPUSH", "a", "b", "0"],
        &["COMMAND", "GETKEYS", "LMPOP", "2", "a", "b", "LEFT", "COUNT", "2"],
        &["COMMAND", "GETKEYS", "BLMPOP", "0", "3", "a", "b", "c", "RIGHT"],
        &["COMMAND", "GETKEYS", "LMPOP", "0", "a", "LEFT"],
        &["COMMAND", "GETKEYS", "LMPOP", "5", "a", "LEFT"],
        &["COMMAND", "GETKEYS", "BLMPOP", "0", "x", "a", "LEFT"],
    ]);
}

#[test]
fn list_reads_count_keyspace_hits_and_misses_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["RPUSH", "l", "a", "b"],
        &["SET", "s", "v"],
        &["CONFIG", "RESETSTAT"],
        &["LLEN", "l"],
        &["LLEN", "nokey"],
        &["LLEN", "s"],
        &["LRANGE", "l", "0", "-1"],
        &["LRANGE", "nokey", "0", "-1"],
        &["LRANGE", "l", "x", "-1"],
        &["LINDEX", "l", "0"],
        &["LINDEX", "nokey", "0"],
        &["LINDEX", "l", "x"],
        &["LPOS", "l", "a"],
        &["LPOS", "nokey", "a"],
        &["LPOS", "l", "a", "RANK", "0"],
        &["LPUSH", "l", "c"],
        &["LPOP", "l"],
        &["LPOP", "nokey"],
        &["LSET", "l", "0", "x"],
        &["LMOVE", "l", "m", "LEFT", "LEFT"],
        &["BLPOP", "l", "0"],
    ]);
    let (s, r) = p.both(&["INFO", "stats"]);
    assert_eq!(hits_and_misses(&s), hits_and_misses(&r), "{}", show(&s));
}

#[test]
fn dump_and_restore_round_trip_a_list() {
    let s = Server::start();
    let mut c = s.raw();
    c.cmd(&["RPUSH", "l", "a", "", "ccc"]);
    let dump = c.cmd(&["DUMP", "l"]);
    let payload = {
        let text = &dump[..];
        let nl = text.windows(2).position(|w| w == b"\r\n").unwrap();
        text[nl + 2..text.len() - 2].to_vec()
    };
    assert_eq!(c.cmd_bytes(&[b"RESTORE", b"copy", b"0", &payload]), b"+OK\r\n".to_vec());
    assert_eq!(
        c.cmd(&["LRANGE", "copy", "0", "-1"]),
        b"*3\r\n$1\r\na\r\n$0\r\n\r\n$3\r\nccc\r\n".to_vec()
    );
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "copy"]), b"$9\r\nquicklist\r\n".to_vec());
}

#[test]
fn used_memory_follows_the_size_of_a_list() {
    let s = Server::start();
    let mut c = s.raw();
    let used = |c: &mut crate::support::Raw| -> i64 {
        let r = c.cmd(&["INFO", "memory"]);
        let text = String::from_utf8_lossy(&r).into_owned();
        text.lines()
            .find_map(|l| l.strip_prefix("used_memory:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    c.cmd(&["RPUSH", "l", "a"]);
    let small = used(&mut c);
    let value = "x".repeat(1000);
    for _ in 0..100 {
        c.cmd(&["RPUSH", "l", &value]);
    }
    let big = used(&mut c);
    assert!(big >= small + 100 * 1000, "{small} -> {big}");
    assert!(big <= small + 100 * 1200, "{small} -> {big}");
    c.cmd(&["LTRIM", "l", "0", "0"]);
    let trimmed = used(&mut c);
    assert!(trimmed < small + 2000, "{small} -> {trimmed}");
    c.cmd(&["DEL", "l"]);
    assert!(used(&mut c) < small);
}

// ---------------------------------------------------------------------------
// Randomized differential run

const KEYS: &[&str] = &["l1", "l2", "l3", "{t}a", "s"];

fn value(rng: &mut SmallRng) -> Vec<u8> {
    const POOL: &[&str] = &["a", "b", "c", "x", "1", "-1", "", "10", "hello world", "a"];
    match rng.random_range(0..12) {
        0..=9 => POOL[rng.random_range(0..POOL.len())].as_bytes().to_vec(),
        10 => (0..rng.random_range(0..6)).map(|_| rng.random::<u8>()).collect(),
        _ => "z".repeat(rng.random_range(60..80)).into_bytes(),
    }
}

fn index(rng: &mut SmallRng) -> String {
    const EDGES: &[&str] = &[
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "x",
        "",
        "1.5",
        "-0",
    ];
    match rng.random_range(0..12) {
        0 => EDGES[rng.random_range(0..EDGES.len())].to_string(),
        1 => rng.random::<i64>().to_string(),
        _ => rng.random_range(-25i64..25).to_string(),
    }
}

fn count(rng: &mut SmallRng) -> String {
    const POOL: &[&str] = &[
        "0",
        "1",
        "2",
        "3",
        "5",
        "100",
        "-1",
        "x",
        "9223372036854775807",
        "-9223372036854775808",
    ];
    POOL[rng.random_range(0..POOL.len())].to_string()
}

fn end(rng: &mut SmallRng) -> &'static str {
    let n = if rng.random_range(0..20) == 0 { 5 } else { 4 };
    ["LEFT", "RIGHT", "left", "right", "MIDDLE"][rng.random_range(0..n)]
}

fn timeout(rng: &mut SmallRng) -> &'static str {
    let n = if rng.random_range(0..10) == 0 { 7 } else { 4 };
    ["0", "0.5", "1", "0.01", "-1", "x", "inf"][rng.random_range(0..n)]
}

/// One random list command (a blocking one only inside MULTI, where it
/// cannot wait), as argument vectors: MULTI, the command and EXEC when wrapped.
fn random_commands(rng: &mut SmallRng) -> Vec<Vec<Vec<u8>>> {
    let key = |rng: &mut SmallRng| KEYS[rng.random_range(0..KEYS.len())].as_bytes().to_vec();
    let w = |s: &str| s.as_bytes().to_vec();
    let mut c: Vec<Vec<u8>> = Vec::new();
    match rng.random_range(0..42) {
        0..=7 | 40 | 41 => {
            c.push(w(
                ["LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "RPUSH", "LPUSH"][rng.random_range(0..6)]
            ));
            c.push(key(rng));
            for _ in 0..rng.random_range(1..5) {
                c.push(value(rng));
            }
        }
        8..=10 => {
            c.extend([w(["LPOP", "RPOP"][rng.random_range(0..2)]), key(rng)]);
            if rng.random_bool(0.5) {
                c.push(w(&count(rng)));
            }
            if rng.random_range(0..30) == 0 {
                c.push(w("1"));
            }
        }
        11 => c.extend([w("LLEN"), key(rng)]),
        12..=14 => c.extend([w("LRANGE"), key(rng), w(&index(rng)), w(&index(rng))]),
        15 | 16 => c.extend([w("LINDEX"), key(rng), w(&index(rng))]),
        17 => c.extend([w("LSET"), key(rng), w(&index(rng)), value(rng)]),
        18 => {
            let place = ["BEFORE", "AFTER", "before", "after", "AROUND"][rng.random_range(0..5)];
            c.extend([w("LINSERT"), key(rng), w(place), value(rng), value(rng)]);
        }
        19 => {
            let n = ["0", "1", "-1", "2", "-2", "-9223372036854775808", "x"][rng.random_range(0..7)];
            c.extend([w("LREM"), key(rng), w(n), value(rng)]);
        }
        20 => c.extend([w("LTRIM"), key(rng), w(&index(rng)), w(&index(rng))]),
        21..=23 => {
            c.extend([w("LPOS"), key(rng), value(rng)]);
            for _ in 0..rng.random_range(0..4) {
                match rng.random_range(0..10) {
                    0..=2 => {
                        let r = ["1", "-1", "2", "-2", "3", "0", "-9223372036854775808", "x"];
                        c.extend([w("RANK"), w(r[rng.random_range(0..r.len())])]);
                    }
                    3..=5 => c.extend([w("COUNT"), w(&count(rng))]),
                    6..=8 => {
                        let m = ["0", "1", "2", "5", "-1", "x"];
                        c.extend([w("MAXLEN"), w(m[rng.random_range(0..m.len())])]);
                    }
                    _ => c.push(w(["RANK", "FOO"][rng.random_range(0..2)])),
                }
            }
        }
        24..=26 => c.extend([w("LMOVE"), key(rng), key(rng), w(end(rng)), w(end(rng))]),
        27 => c.extend([w("RPOPLPUSH"), key(rng), key(rng)]),
        28 | 29 => {
            let n = rng.random_range(1..4);
            let numkeys = match rng.random_range(0..15) {
                0 => "0".to_string(),
                1 => "x".to_string(),
                2 => (n + 1).to_string(),
                3 => "9223372036854775807".to_string(),
                _ => n.to_string(),
            };
            c.extend([w("LMPOP"), w(&numkeys)]);
            for _ in 0..n {
                c.push(key(rng));
            }
            c.push(w(end(rng)));
            if rng.random_bool(0.5) {
                c.extend([w("COUNT"), w(&count(rng))]);
            }
        }
        30 => c.extend([w("OBJECT"), w("ENCODING"), key(rng)]),
        31 => c.extend([w("TYPE"), key(rng)]),
        32 => {
            // Occasionally turn a list key into a string, or drop a key.
            if rng.random_bool(0.1) {
                c.extend([w("SET"), w(KEYS[rng.random_range(0..3)]), w("str")]);
            } else {
                c.extend([w("DEL"), key(rng)]);
            }
        }
        _ => {
            // A blocking command, wrapped in MULTI so it answers at once.
            let mut b: Vec<Vec<u8>> = Vec::new();
            match rng.random_range(0..5) {
                0 | 1 => {
                    b.push(w(["BLPOP", "BRPOP"][rng.random_range(0..2)]));
                    for _ in 0..rng.random_range(1..4) {
                        b.push(key(rng));
                    }
                    b.push(w(timeout(rng)));
                }
                2 => b.extend([
                    w("BLMOVE"),
                    key(rng),
                    key(rng),
                    w(end(rng)),
                    w(end(rng)),
                    w(timeout(rng)),
                ]),
                3 => b.extend([w("BRPOPLPUSH"), key(rng), key(rng), w(timeout(rng))]),
                _ => {
                    let n = rng.random_range(1..4);
                    b.extend([w("BLMPOP"), w(timeout(rng)), w(&n.to_string())]);
                    for _ in 0..n {
                        b.push(key(rng));
                    }
                    b.push(w(end(rng)));
                    if rng.random_bool(0.5) {
                        b.extend([w("COUNT"), w(&count(rng))]);
                    }
                }
            }
            return vec![vec![w("MULTI")], b, vec![w("EXEC")]];
        }
    }
    vec![c]
}

fn random_run(p: &mut Pair, seed: u64, commands: usize) {
    let mut rng = SmallRng::seed_from_u64(seed);
    p.check(&[&["SET", "s", "string"]]);
    let mut sent = 0;
    while sent < commands {
        let batch = random_commands(&mut rng);
        sent += batch.len();
        p.check_raw(&batch);
    }
    // The final contents agree too.
    for k in KEYS {
        p.check(&[&["TYPE", k], &["LRANGE", k, "0", "-1"]]);
    }
}

#[test]
fn random_list_commands_match_the_oracle() {
    let mut p = Pair::start();
    random_run(&mut p, 0x1157_0001, 11_000);
    p.hello3();
    random_run(&mut p, 0x1157_0002, 2_000);
}

#[test]
fn random_list_commands_match_the_oracle_with_tiny_nodes() {
    // Nodes of two or three entries: every LSET, LINSERT, LREM and LTRIM
    // splits, merges or drops nodes.
    let mut p = Pair::start();
    p.check(&[&["CONFIG", "SET", "list-max-listpack-size", "2"]]);
    random_run(&mut p, 0x1157_0003, 5_000);
    p.check(&[&["FLUSHALL"], &["CONFIG", "SET", "list-max-listpack-size", "3"]]);
    random_run(&mut p, 0x1157_0004, 5_000);
}

/// `MEMORY USAGE` of lists of `v1 ... vN` on both servers, for each N.
fn list_memory_usage(p: &mut Pair, sizes: &[usize]) -> Vec<(usize, i64, i64)> {
    let int = |r: Vec<u8>| -> i64 {
        String::from_utf8_lossy(&r)
            .trim_start_matches(':')
            .trim_end()
            .parse()
            .unwrap()
    };
    sizes
        .iter()
        .map(|&n| {
            let key = format!("mem{n}");
            let items: Vec<String> = (1..=n).map(|i| format!("v{i}")).collect();
            for chunk in items.chunks(1000) {
                let mut args = vec!["RPUSH", key.as_str()];
                args.extend(chunk.iter().map(String::as_str));
                p.both(&args);
            }
            let (s, r) = p.both(&["MEMORY", "USAGE", &key]);
            (n, int(s), int(r))
        })
        .collect()
}

#[test]
fn a_list_of_a_thousand_elements_takes_under_twice_the_oracles_memory() {
    let mut p = Pair::start();
    for (n, shoal, redis) in list_memory_usage(&mut p, &[10, 1000, 100_000]) {
        eprintln!("MEMORY USAGE of a {n}-element list: shoal {shoal}, redis {redis}");
        assert!(redis > 0 && shoal > 0, "{n}: {shoal} vs {redis}");
        if n >= 1000 {
            assert!(shoal < 2 * redis, "{n} elements: shoal {shoal} bytes, redis {redis}");
        }
    }
}
