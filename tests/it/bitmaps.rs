//! Bitmap commands against the oracle: SETBIT/GETBIT, BITCOUNT and BITPOS
//! ranges (bytes and bits, negative indexes), BITOP, BITFIELD with every
//! type width, `#N` offsets and overflow mode, BITFIELD_RO, limits, WATCH,
//! RESP3, and a seeded random differential run.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::support::{hits_and_misses, Pair};

/// Whether this build serves lists (another family's commands): keys of
/// another type are made with `RPUSH`, so the WRONGTYPE checks need it.
fn lists_available(p: &mut Pair) -> bool {
    let reply = p.s.cmd(&["RPUSH", "{probe}list", "x"]);
    p.s.cmd(&["DEL", "{probe}list"]);
    !reply.starts_with(b"-ERR unknown command")
}

#[test]
fn keys_of_another_type_are_refused_like_redis() {
    let mut p = Pair::start();
    if !lists_available(&mut p) {
        eprintln!("skipped: this build has no list commands to make a key of another type");
        return;
    }
    p.check(&[
        &["RPUSH", "{b}l", "x"],
        &["SETBIT", "{b}l", "1", "1"],
        &["GETBIT", "{b}l", "1"],
        &["SETBIT", "{b}l", "x", "1"],
        &["SETBIT", "{b}l", "1", "5"],
        &["BITCOUNT", "{b}l"],
        &["BITCOUNT", "{b}l", "x"],
        &["BITPOS", "{b}l", "1"],
        &["BITPOS", "{b}l", "3"],
        &["BITFIELD", "{b}l", "GET", "u8", "0"],
        &["BITFIELD", "{b}l", "SET", "u8", "0", "1"],
        &["BITFIELD", "{b}l"],
        &["BITFIELD", "{b}l", "GET", "u64", "0"],
        &["BITFIELD_RO", "{b}l", "GET", "u8", "0"],
        &["BITFIELD_RO", "{b}l", "SET", "u8", "0", "1"],
        &["SET", "{b}a", "abc"],
        &["BITOP", "AND", "{b}d", "{b}a", "{b}l"],
        &["BITOP", "AND", "{b}d", "{b}l", "{b}a"],
        &["EXISTS", "{b}d"],
        &["BITOP", "AND", "{b}l", "{b}missing"],
        &["EXISTS", "{b}l"],
        &["RPUSH", "{b}l", "x"],
        &["BITOP", "AND", "{b}l", "{b}a"],
        &["TYPE", "{b}l"],
        &["GET", "{b}l"],
    ]);
}

#[test]
fn setbit_and_getbit_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SETBIT", "k", "7", "1"],
        &["GET", "k"],
        &["SETBIT", "k", "7", "1"],
        &["SETBIT", "k", "7", "0"],
        &["SETBIT", "k", "100", "1"],
        &["STRLEN", "k"],
        &["GET", "k"],
        &["GETBIT", "k", "100"],
        &["GETBIT", "k", "99"],
        &["GETBIT", "k", "100000"],
        &["GETBIT", "missing", "3"],
        &["OBJECT", "ENCODING", "k"],
        &["SET", "n", "12"],
        &["GETBIT", "n", "2"],
        &["GETBIT", "n", "3"],
        &["GETBIT", "n", "10"],
        &["SETBIT", "n", "6", "1"],
        &["GET", "n"],
        &["OBJECT", "ENCODING", "n"],
        &["SET", "e", "ab"],
        &["SETBIT", "e", "0", "0"],
        &["OBJECT", "ENCODING", "e"],
        &["SETBIT", "k", "1", "2"],
        &["SETBIT", "k", "1", "-1"],
        &["SETBIT", "k", "1", "x"],
        &["SETBIT", "k", "1", ""],
        &["SETBIT", "k", "-1", "1"],
        &["SETBIT", "k", "x", "1"],
        &["SETBIT", "k", "4294967296", "1"],
        &["SETBIT", "k", "1.5", "1"],
        &["GETBIT", "k", "-1"],
        &["GETBIT", "k", "4294967296"],
        &["GETBIT", "k", "x"],
        &["SETBIT", "k"],
        &["GETBIT", "k"],
        &["SETBIT", "k", "1", "1", "1"],
    ]);
}

#[test]
fn bitcount_ranges_units_and_errors_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SET", "k", "foobar"],
        &["BITCOUNT", "k"],
        &["BITCOUNT", "k", "0", "0"],
        &["BITCOUNT", "k", "1", "1"],
        &["BITCOUNT", "k", "1", "-2"],
        &["BITCOUNT", "k", "-3", "-1"],
        &["BITCOUNT", "k", "-1", "-3"],
        &["BITCOUNT", "k", "-100", "100"],
        &["BITCOUNT", "k", "4", "2"],
        &["BITCOUNT", "k", "10", "20"],
        &["BITCOUNT", "k", "5", "30", "BIT"],
        &["BITCOUNT", "k", "5", "30", "bit"],
        &["BITCOUNT", "k", "0", "-1", "BYTE"],
        &["BITCOUNT", "k", "3", "3", "BIT"],
        &["BITCOUNT", "k", "1", "6", "BIT"],
        &["BITCOUNT", "k", "-9", "-2", "BIT"],
        &["BITCOUNT", "k", "-2", "-9", "BIT"],
        &["BITCOUNT", "k", "0", "1000", "BIT"],
        &["BITCOUNT", "k", "9223372036854775807", "-9223372036854775808"],
        &["BITCOUNT", "k", "-9223372036854775808", "9223372036854775807", "BIT"],
        &["BITCOUNT", "k", "0"],
        &["BITCOUNT", "k", "0", "1", "BITS"],
        &["BITCOUNT", "k", "0", "1", "BIT", "x"],
        &["BITCOUNT", "k", "a", "1"],
        &["BITCOUNT", "k", "0", "b"],
        &["BITCOUNT", "k", "a", "1", "BAD"],
        &["BITCOUNT", "missing"],
        &["BITCOUNT", "missing", "0"],
        &["BITCOUNT", "missing", "a", "b"],
        &["BITCOUNT", "missing", "0", "1", "BAD"],
        &["SET", "empty", ""],
        &["BITCOUNT", "empty"],
        &["BITCOUNT", "empty", "0", "-1"],
        &["BITCOUNT", "empty", "0", "-1", "BIT"],
        &["SET", "n", "-123456"],
        &["BITCOUNT", "n"],
        &["BITCOUNT", "n", "1", "3"],
        &["BITCOUNT"],
    ]);
}

#[test]
fn bitpos_ranges_and_the_all_ones_rule_match_the_oracle() {
    let mut p = Pair::start();
    p.check_raw(&[
        vec![b"SET".to_vec(), b"ones".to_vec(), vec![0xff, 0xff, 0xff]],
        vec![b"SET".to_vec(), b"mix".to_vec(), vec![0x00, 0x0f, 0xf0, 0xff, 0x01]],
        vec![b"SET".to_vec(), b"zeros".to_vec(), vec![0, 0, 0]],
    ]);
    p.check(&[
        &["BITPOS", "ones", "0"],
        &["BITPOS", "ones", "1"],
        &["BITPOS", "ones", "0", "1"],
        &["BITPOS", "ones", "0", "1", "-1"],
        &["BITPOS", "ones", "0", "0", "-1", "BIT"],
        &["BITPOS", "ones", "0", "3", "10", "BIT"],
        &["BITPOS", "zeros", "1"],
        &["BITPOS", "zeros", "0"],
        &["BITPOS", "zeros", "1", "1"],
        &["BITPOS", "zeros", "0", "2", "2"],
        &["BITPOS", "mix", "1"],
        &["BITPOS", "mix", "0"],
        &["BITPOS", "mix", "1", "2"],
        &["BITPOS", "mix", "0", "2"],
        &["BITPOS", "mix", "0", "3"],
        &["BITPOS", "mix", "0", "3", "3"],
        &["BITPOS", "mix", "1", "-1"],
        &["BITPOS", "mix", "1", "-2", "-1"],
        &["BITPOS", "mix", "1", "-1", "-2"],
        &["BITPOS", "mix", "1", "3", "13", "BIT"],
        &["BITPOS", "mix", "1", "13", "19", "BIT"],
        &["BITPOS", "mix", "0", "13", "19", "BIT"],
        &["BITPOS", "mix", "0", "16", "19", "BIT"],
        &["BITPOS", "mix", "0", "20", "23", "BIT"],
        &["BITPOS", "mix", "0", "24", "31", "BIT"],
        &["BITPOS", "mix", "0", "25", "30", "BIT"],
        &["BITPOS", "mix", "1", "33", "38", "BIT"],
        &["BITPOS", "mix", "1", "33", "39", "BIT"],
        &["BITPOS", "mix", "1", "-7", "-1", "BIT"],
        &["BITPOS", "mix", "1", "0", "-1", "byte"],
        &["BITPOS", "mix", "1", "100", "200"],
        &["BITPOS", "mix", "1", "9223372036854775807"],
        &[
            "BITPOS",
            "mix",
            "0",
            "-9223372036854775808",
            "9223372036854775807",
            "BIT",
        ],
        &["BITPOS", "mix", "2"],
        &["BITPOS", "mix", "-1"],
        &["BITPOS", "mix", "x"],
        &["BITPOS", "missing", "2"],
        &["BITPOS", "missing", "1"],
        &["BITPOS", "missing", "0"],
        &["BITPOS", "missing", "1", "x"],
        &["BITPOS", "mix", "1", "x"],
        &["BITPOS", "mix", "1", "0", "x"],
        &["BITPOS", "mix", "1", "0", "1", "BAD"],
        &["BITPOS", "mix", "1", "x", "1", "BAD"],
        &["BITPOS", "mix", "1", "0", "x", "BAD"],
        &["BITPOS", "mix", "1", "0", "1", "BIT", "extra"],
        &["SET", "empty", ""],
        &["BITPOS", "empty", "0"],
        &["BITPOS", "empty", "1"],
        &["BITPOS", "empty", "0", "0"],
        &["BITPOS", "empty", "0", "0", "-1", "BIT"],
        &["SET", "n", "10"],
        &["BITPOS", "n", "1"],
        &["BITPOS", "n", "0", "1"],
        &["BITPOS", "k"],
    ]);
}

#[test]
fn bitop_operations_missing_keys_and_empty_results_match_the_oracle() {
    let mut p = Pair::start();
    p.check_raw(&[
        vec![b"SET".to_vec(), b"{b}a".to_vec(), vec![0xf0, 0x0f, 0xaa]],
        vec![b"SET".to_vec(), b"{b}b".to_vec(), vec![0xff, 0x01]],
    ]);
    p.check(&[
        &["BITOP", "AND", "{b}d", "{b}a", "{b}b"],
        &["GET", "{b}d"],
        &["OBJECT", "ENCODING", "{b}d"],
        &["BITOP", "or", "{b}d", "{b}a", "{b}b"],
        &["GET", "{b}d"],
        &["BITOP", "Xor", "{b}d", "{b}a", "{b}b", "{b}a"],
        &["GET", "{b}d"],
        &["BITOP", "NOT", "{b}d", "{b}a"],
        &["GET", "{b}d"],
        &["BITOP", "AND", "{b}d", "{b}a", "{b}missing"],
        &["GET", "{b}d"],
        &["BITOP", "OR", "{b}d", "{b}missing", "{b}a"],
        &["GET", "{b}d"],
        &["SET", "{b}d", "x", "EX", "1000"],
        &["BITOP", "OR", "{b}d", "{b}a"],
        &["TTL", "{b}d"],
        &["BITOP", "AND", "{b}d", "{b}missing", "{b}none"],
        &["EXISTS", "{b}d"],
        &["BITOP", "NOT", "{b}d", "{b}missing"],
        &["EXISTS", "{b}d"],
        &["SET", "{b}e", ""],
        &["BITOP", "NOT", "{b}d", "{b}e"],
        &["EXISTS", "{b}d"],
        &["SET", "{b}n", "1234"],
        &["BITOP", "XOR", "{b}d", "{b}n", "{b}a"],
        &["GET", "{b}d"],
        &["BITOP", "NOT", "{b}d", "{b}a", "{b}b"],
        &["BITOP", "NOT", "{b}d"],
        &["BITOP", "NAND", "{b}d", "{b}a"],
        &["BITOP", "", "{b}d", "{b}a"],
        &["BITOP", "AND", "{b}d"],
        &["BITOP", "NAND", "{b}d"],
    ]);
}

#[test]
fn bitfield_types_offsets_and_overflow_modes_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &[
            "BITFIELD", "k", "SET", "i8", "0", "100", "GET", "i8", "0", "GET", "u4", "0",
        ],
        &["GET", "k"],
        &["BITFIELD", "k", "INCRBY", "i8", "0", "100"],
        &[
            "BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "100", "INCRBY", "i8", "0", "-1000",
        ],
        &[
            "BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "-1", "INCRBY", "i8", "0", "-1000",
        ],
        &[
            "BITFIELD", "k", "OVERFLOW", "WRAP", "INCRBY", "u2", "100", "1", "INCRBY", "u2", "100", "5",
        ],
        &[
            "BITFIELD", "k", "SET", "u8", "#1", "255", "GET", "u8", "#1", "GET", "i8", "#1",
        ],
        &[
            "BITFIELD",
            "k",
            "SET",
            "i64",
            "0",
            "-9223372036854775808",
            "GET",
            "i64",
            "0",
        ],
        &["BITFIELD", "k", "INCRBY", "i64", "0", "-1"],
        &[
            "BITFIELD",
            "k",
            "OVERFLOW",
            "SAT",
            "INCRBY",
            "i64",
            "0",
            "-1",
            "INCRBY",
            "i64",
            "0",
            "9223372036854775807",
        ],
        &["BITFIELD", "k", "INCRBY", "i64", "0", "9223372036854775807"],
        &[
            "BITFIELD",
            "k",
            "SET",
            "u63",
            "3",
            "9223372036854775807",
            "GET",
            "u63",
            "3",
        ],
        &["BITFIELD", "k", "SET", "u63", "3", "-1", "GET", "u63", "3"],
        &[
            "BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u8", "0", "300", "SET", "u8", "0", "-5", "GET", "u8", "0",
        ],
        &[
            "BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", "0", "300", "SET", "i4", "0", "8", "SET", "i4", "0", "-8",
        ],
        &[
            "BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i4", "0", "8", "SET", "i4", "0", "-9", "GET", "i4", "0",
        ],
        &[
            "BITFIELD", "k", "SET", "i1", "5", "1", "GET", "i1", "5", "GET", "u1", "5",
        ],
        &["BITFIELD", "k", "GET", "u16", "1000", "GET", "i64", "#500"],
        &["STRLEN", "k"],
        &["BITFIELD", "k", "SET", "u16", "#10", "65535"],
        &["STRLEN", "k"],
        &[
            "BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0", "1", "GET", "u8", "0", "INCRBY", "u8", "0", "2",
        ],
        &["BITFIELD", "k"],
        &["BITFIELD", "missing"],
        &["BITFIELD", "missing", "GET", "u8", "0"],
        &["EXISTS", "missing"],
        &["BITFIELD", "new", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "10"],
        &["GET", "new"],
        &["SET", "n", "12"],
        &[
            "BITFIELD", "n", "GET", "u8", "0", "GET", "u8", "8", "INCRBY", "u4", "0", "1",
        ],
        &["GET", "n"],
        &["OBJECT", "ENCODING", "n"],
    ]);
}

#[test]
fn bitfield_errors_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SET", "k", "abc"],
        &["BITFIELD", "k", "GET", "u64", "0"],
        &["BITFIELD", "k", "GET", "i65", "0"],
        &["BITFIELD", "k", "GET", "i0", "0"],
        &["BITFIELD", "k", "GET", "U8", "0"],
        &["BITFIELD", "k", "GET", "x8", "0"],
        &["BITFIELD", "k", "GET", "", "0"],
        &["BITFIELD", "k", "GET", "i", "0"],
        &["BITFIELD", "k", "GET", "i08", "0"],
        &["BITFIELD", "k", "GET", "u8", "-1"],
        &["BITFIELD", "k", "GET", "u8", "x"],
        &["BITFIELD", "k", "GET", "u8", "#"],
        &["BITFIELD", "k", "GET", "u8", "#-1"],
        &["BITFIELD", "k", "GET", "u8", "4294967296"],
        &["BITFIELD", "k", "GET", "u8", "4294967295"],
        &["BITFIELD", "k", "GET", "u8", "#536870912"],
        &["BITFIELD", "k", "GET", "u8", "#536870911"],
        &["BITFIELD", "k", "GET", "i64", "#1152921504606846976"],
        &["BITFIELD", "k", "SET", "u8", "0", "x"],
        &["BITFIELD", "k", "SET", "u8", "0"],
        &["BITFIELD", "k", "INCRBY", "u8", "0"],
        &["BITFIELD", "k", "GET", "u8"],
        &["BITFIELD", "k", "OVERFLOW"],
        &["BITFIELD", "k", "OVERFLOW", "BAD", "GET", "u8", "0"],
        &["BITFIELD", "k", "GET", "u8", "0", "OVERFLOW", "BAD"],
        &["BITFIELD", "k", "BAD", "u8", "0"],
        &["BITFIELD", "k", "GET", "u8", "0", "BAD"],
        &["BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u64", "0"],
        &["GET", "k"],
        &["BITFIELD"],
    ]);
}

#[test]
fn bitfield_ro_reads_and_refuses_writes_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["SET", "k", "hello"],
        &[
            "BITFIELD_RO",
            "k",
            "GET",
            "u8",
            "0",
            "GET",
            "i16",
            "#1",
            "GET",
            "u4",
            "1000",
        ],
        &["BITFIELD_RO", "k"],
        &["BITFIELD_RO", "missing", "GET", "i8", "0"],
        &["BITFIELD_RO", "k", "SET", "u8", "0", "1"],
        &["BITFIELD_RO", "k", "INCRBY", "u8", "0", "1"],
        &["BITFIELD_RO", "k", "GET", "u8", "0", "SET", "u8", "0", "x"],
        &["BITFIELD_RO", "k", "GET", "u8", "0", "SET", "u64", "0", "1"],
        &["BITFIELD_RO", "k", "OVERFLOW", "SAT"],
        &["BITFIELD_RO", "k", "OVERFLOW", "FAIL", "GET", "u8", "0"],
        &["GET", "k"],
    ]);
}

#[test]
fn bit_offsets_are_limited_by_proto_max_bulk_len() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "SET", "proto-max-bulk-len", "1mb"],
        &["SETBIT", "k", "8388608", "1"],
        &["SETBIT", "k", "8388607", "1"],
        &["STRLEN", "k"],
        &["GETBIT", "k", "8388608"],
        &["GETBIT", "k", "8388607"],
        &["BITFIELD", "k", "GET", "u8", "8388608"],
        &["BITFIELD", "k", "SET", "u8", "8388600", "255"],
        &["BITFIELD", "k", "SET", "u8", "8388601", "255"],
        &["STRLEN", "k"],
        &["BITFIELD", "k", "SET", "u8", "#1048575", "1"],
        &["BITFIELD", "k", "SET", "u8", "#1048576", "1"],
        &["BITCOUNT", "k"],
        &["BITPOS", "k", "1", "-2"],
        &["DEL", "k"],
        &["CONFIG", "SET", "proto-max-bulk-len", "512mb"],
    ]);
}

#[test]
fn bitmap_replies_match_the_oracle_in_resp3() {
    let mut p = Pair::start();
    p.hello3();
    p.check(&[
        &["SETBIT", "k", "3", "1"],
        &["GETBIT", "k", "3"],
        &["BITCOUNT", "k"],
        &["BITPOS", "k", "1"],
        &["BITOP", "NOT", "d", "k"],
        &[
            "BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9", "GET", "u8", "0",
        ],
        &["BITFIELD_RO", "k", "GET", "i8", "0"],
        &["BITFIELD", "k"],
        &["BITFIELD_RO", "k", "SET", "u8", "0", "1"],
    ]);
}

#[test]
fn writes_that_change_no_bit_keep_watch_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["SETBIT", "k", "3", "1"],
        &["WATCH", "k"],
        &["SETBIT", "k", "3", "1"],
        &[
            "BITFIELD", "k", "SET", "u8", "0", "16", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9",
        ],
        &["BITFIELD", "k", "GET", "u8", "0"],
        &["BITOP", "AND", "other", "k"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "k"],
        &["SETBIT", "k", "3", "0"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "k"],
        &["SETBIT", "k", "100", "0"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "k"],
        &["BITFIELD", "k", "INCRBY", "u8", "0", "1"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "d"],
        &["BITOP", "OR", "d", "k"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "d"],
        &["BITOP", "OR", "d", "missing"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
    ]);
}

#[test]
fn bitmap_reads_count_keyspace_hits_and_misses_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "RESETSTAT"],
        &["SETBIT", "a", "1", "1"],
        &["SETBIT", "b", "1", "1"],
        &["GETBIT", "a", "1"],
        &["GETBIT", "missing", "1"],
        &["BITCOUNT", "a"],
        &["BITCOUNT", "missing"],
        &["BITPOS", "a", "1"],
        &["BITPOS", "missing", "1"],
        &["BITOP", "AND", "d", "a", "missing", "b"],
        &["BITFIELD", "a", "GET", "u8", "0"],
        &["BITFIELD", "missing", "GET", "u8", "0"],
        &["BITFIELD", "a", "SET", "u8", "0", "1"],
        &["BITFIELD_RO", "a", "GET", "u8", "0"],
        &["BITFIELD_RO", "missing", "GET", "u8", "0"],
    ]);
    let (s, r) = p.both(&["INFO", "stats"]);
    assert!(!hits_and_misses(&r).0.is_empty());
    assert_eq!(hits_and_misses(&s), hits_and_misses(&r));
}

fn range_arg(rng: &mut SmallRng) -> Vec<u8> {
    match rng.random_range(0..12) {
        0 => b"x".to_vec(),
        1 => ["9223372036854775807", "-9223372036854775808"][rng.random_range(0..2)]
            .as_bytes()
            .to_vec(),
        2..=4 => rng.random_range(-80i64..0).to_string().into_bytes(),
        _ => rng.random_range(0i64..80).to_string().into_bytes(),
    }
}

fn bit_offset_arg(rng: &mut SmallRng) -> Vec<u8> {
    match rng.random_range(0..30) {
        0 => b"-1".to_vec(),
        1 => b"y".to_vec(),
        2 => b"4294967296".to_vec(),
        _ => rng.random_range(0..200).to_string().into_bytes(),
    }
}

fn field_type_arg(rng: &mut SmallRng) -> Vec<u8> {
    match rng.random_range(0..40) {
        0 => b"u64".to_vec(),
        1 => b"i0".to_vec(),
        2 => b"x8".to_vec(),
        _ => {
            let signed = rng.random_bool(0.5);
            let bits = if rng.random_bool(0.3) {
                [1, 8, 16, 32, 63, 64][rng.random_range(0..6)]
            } else {
                rng.random_range(1..=64)
            };
            let bits = if !signed && bits == 64 { 63 } else { bits };
            format!("{}{bits}", if signed { 'i' } else { 'u' }).into_bytes()
        }
    }
}

fn field_offset_arg(rng: &mut SmallRng) -> Vec<u8> {
    match rng.random_range(0..30) {
        0 => b"-3".to_vec(),
        1 => b"#-1".to_vec(),
        2 => b"z".to_vec(),
        3..=8 => format!("#{}", rng.random_range(0..8)).into_bytes(),
        _ => rng.random_range(0..160).to_string().into_bytes(),
    }
}

fn field_value_arg(rng: &mut SmallRng) -> Vec<u8> {
    match rng.random_range(0..20) {
        0 => b"v".to_vec(),
        1 => b"9223372036854775807".to_vec(),
        2 => b"-9223372036854775808".to_vec(),
        3 => rng.random::<i64>().to_string().into_bytes(),
        4..=6 => rng.random_range(-100_000i64..100_000).to_string().into_bytes(),
        _ => rng.random_range(-300i64..300).to_string().into_bytes(),
    }
}

fn random_bitmap_command(rng: &mut SmallRng) -> Vec<Vec<u8>> {
    const KEYS: &[&[u8]] = &[b"{m}a", b"{m}b", b"{m}c", b"{m}d", b"{m}list"];
    let key = |rng: &mut SmallRng| KEYS[rng.random_range(0..KEYS.len() - 1)].to_vec();
    let any_key = |rng: &mut SmallRng| KEYS[rng.random_range(0..KEYS.len())].to_vec();
    let word = |s: &str| s.as_bytes().to_vec();
    let mut c: Vec<Vec<u8>> = Vec::new();
    match rng.random_range(0..40) {
        0..=7 => {
            let bit = match rng.random_range(0..30) {
                0 => word("2"),
                1 => word("b"),
                n => (n % 2).to_string().into_bytes(),
            };
            c.extend([word("SETBIT"), any_key(rng), bit_offset_arg(rng), bit]);
        }
        8..=10 => c.extend([word("GETBIT"), any_key(rng), bit_offset_arg(rng)]),
        11..=14 => {
            c.extend([word("BITCOUNT"), any_key(rng)]);
            match rng.random_range(0..6) {
                0 => {}
                1 => c.push(range_arg(rng)),
                2 | 3 => c.extend([range_arg(rng), range_arg(rng)]),
                _ => {
                    let unit = ["BIT", "BYTE", "bit", "bits"][rng.random_range(0..4)];
                    c.extend([range_arg(rng), range_arg(rng), word(unit)]);
                }
            }
        }
        15..=19 => {
            let bit = match rng.random_range(0..25) {
                0 => word("2"),
                1 => word("q"),
                n => (n % 2).to_string().into_bytes(),
            };
            c.extend([word("BITPOS"), any_key(rng), bit]);
            match rng.random_range(0..5) {
                0 => {}
                1 => c.push(range_arg(rng)),
                2 => c.extend([range_arg(rng), range_arg(rng)]),
                _ => {
                    let unit = ["BIT", "BYTE", "bit", "bad"][rng.random_range(0..4)];
                    c.extend([range_arg(rng), range_arg(rng), word(unit)]);
                }
            }
        }
        20..=23 => {
            let op = ["AND", "OR", "XOR", "NOT", "and", "nand"][rng.random_range(0..6)];
            c.extend([word("BITOP"), word(op), key(rng)]);
            let n = if op == "NOT" && rng.random_range(0..10) > 0 {
                1
            } else {
                rng.random_range(1..4)
            };
            for _ in 0..n {
                c.push(any_key(rng));
            }
            if rng.random_range(0..10) == 0 {
                c.push(word("{m}missing"));
            }
        }
        24..=33 => {
            let ro = rng.random_range(0..6) == 0;
            c.extend([word(if ro { "BITFIELD_RO" } else { "BITFIELD" }), any_key(rng)]);
            for _ in 0..rng.random_range(0..5) {
                match rng.random_range(0..12) {
                    0..=2 => c.extend([word("GET"), field_type_arg(rng), field_offset_arg(rng)]),
                    3..=5 => c.extend([
                        word("SET"),
                        field_type_arg(rng),
                        field_offset_arg(rng),
                        field_value_arg(rng),
                    ]),
                    6..=9 => c.extend([
                        word("INCRBY"),
                        field_type_arg(rng),
                        field_offset_arg(rng),
                        field_value_arg(rng),
                    ]),
                    10 => {
                        let mode = ["WRAP", "SAT", "FAIL", "sat", "BAD"][rng.random_range(0..5)];
                        c.extend([word("OVERFLOW"), word(mode)]);
                    }
                    _ => c.push(word(["GET", "SET", "BAD"][rng.random_range(0..3)])),
                }
            }
        }
        34..=36 => c.extend([word("GET"), key(rng)]),
        37 => {
            let v: Vec<u8> = (0..rng.random_range(0..12)).map(|_| rng.random::<u8>()).collect();
            c.extend([word("SET"), key(rng), v]);
        }
        38 => c.extend([
            word("SET"),
            key(rng),
            rng.random_range(-1000..100_000).to_string().into_bytes(),
        ]),
        _ => c.extend([word("RPUSH"), word("{m}list"), word("x")]),
    }
    c
}

#[test]
fn random_bitmap_commands_match_the_oracle() {
    let mut p = Pair::start();
    let lists = lists_available(&mut p);
    let mut rng = SmallRng::seed_from_u64(0xB17_0001);
    let mut script: Vec<Vec<Vec<u8>>> = (0..12_000)
        .map(|_| random_bitmap_command(&mut rng))
        .filter(|c| lists || !c.iter().any(|a| a == b"{m}list"))
        .collect();
    for k in ["{m}a", "{m}b", "{m}c", "{m}d"] {
        script.push(vec![b"GET".to_vec(), k.as_bytes().to_vec()]);
    }
    p.check_raw(&script);
}
