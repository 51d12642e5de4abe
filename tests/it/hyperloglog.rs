//! HyperLogLog commands against the oracle: the raw bytes of sparse and
//! dense HLLs (GET) after every kind of update, cached cardinalities,
//! PFCOUNT of unions, PFMERGE, invalid and corrupt values, PFDEBUG, the error
//! bound on 100k elements, WATCH, RESP3, and a seeded random differential run.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::support::{hits_and_misses, show, Pair};

fn pfadd(key: &str, elements: impl IntoIterator<Item = String>) -> Vec<Vec<u8>> {
    let mut c = vec![b"PFADD".to_vec(), key.as_bytes().to_vec()];
    c.extend(elements.into_iter().map(String::into_bytes));
    c
}

fn cmd(args: &[&str]) -> Vec<Vec<u8>> {
    args.iter().map(|a| a.as_bytes().to_vec()).collect()
}

/// A value with a valid sparse header followed by `body`.
fn with_sparse_header(body: &[u8]) -> Vec<u8> {
    let mut v = b"HYLL\x01\x00\x00\x00".to_vec();
    v.extend_from_slice(&[0; 8]);
    v.extend_from_slice(body);
    v
}

#[test]
fn pfadd_writes_the_same_sparse_bytes_as_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["PFADD", "h"],
        &["GET", "h"],
        &["PFADD", "h"],
        &["PFADD", "h", "a"],
        &["GET", "h"],
        &["PFADD", "h", "a"],
        &["PFADD", "h", "b", "c", "d", "e", "f", "g", "h", "i"],
        &["GET", "h"],
        &["PFCOUNT", "h"],
        &["GET", "h"],
        &["PFCOUNT", "h"],
        &["OBJECT", "ENCODING", "h"],
        &["PFADD", "h", ""],
        &["GET", "h"],
        &["PFCOUNT", "h"],
        &["PFCOUNT", "missing"],
        &["PFADD", "h2", "x", "x", "x"],
        &["PFCOUNT", "h2"],
        &["TYPE", "h2"],
        &["STRLEN", "h2"],
        &["PFADD"],
        &["PFCOUNT"],
    ]);
    let mut script = Vec::new();
    for batch in 0..30 {
        script.push(pfadd("grow", (0..7).map(|i| format!("el:{batch}:{i}"))));
        script.push(cmd(&["GET", "grow"]));
        if batch % 5 == 0 {
            script.push(cmd(&["PFCOUNT", "grow"]));
            script.push(cmd(&["GET", "grow"]));
        }
    }
    p.check_raw(&script);
}

#[test]
fn sparse_hlls_promote_to_dense_with_the_same_bytes_as_redis() {
    let mut p = Pair::start();
    let mut script = Vec::new();
    for batch in 0..40 {
        script.push(pfadd("h", (0..100).map(|i| format!("{batch}-{i}"))));
        script.push(cmd(&["STRLEN", "h"]));
        script.push(cmd(&["PFDEBUG", "ENCODING", "h"]));
        script.push(cmd(&["GET", "h"]));
        script.push(cmd(&["PFCOUNT", "h"]));
    }
    p.check_raw(&script);
    // The threshold is read at each write, as Redis reads its config.
    p.check(&[
        &["CONFIG", "SET", "hll-sparse-max-bytes", "60"],
        &["PFADD", "small", "a", "b", "c", "d"],
        &["PFDEBUG", "ENCODING", "small"],
        &["PFADD", "small", "e", "f", "g", "h", "i", "j", "k", "l"],
        &["PFDEBUG", "ENCODING", "small"],
        &["GET", "small"],
        &["CONFIG", "SET", "hll-sparse-max-bytes", "0"],
        &["PFADD", "tiny", "a"],
        &["PFDEBUG", "ENCODING", "tiny"],
        &["CONFIG", "SET", "hll-sparse-max-bytes", "3000"],
    ]);
    let mut script = Vec::new();
    for batch in 0..8 {
        script.push(pfadd("big", (0..50).map(|i| format!("{batch}/{i}"))));
        script.push(cmd(&["PFDEBUG", "ENCODING", "big"]));
        script.push(cmd(&["GET", "big"]));
    }
    p.check_raw(&script);
}

#[test]
fn pfcount_of_several_keys_estimates_the_union_like_redis() {
    let mut p = Pair::start();
    let mut script = vec![
        pfadd("{u}a", (0..50).map(|i| format!("a{i}"))),
        pfadd("{u}b", (25..75).map(|i| format!("a{i}"))),
        pfadd("{u}dense", (0..3000).map(|i| format!("d{i}"))),
        cmd(&["PFDEBUG", "ENCODING", "{u}dense"]),
    ];
    script.extend([
        cmd(&["PFCOUNT", "{u}a", "{u}b"]),
        cmd(&["PFCOUNT", "{u}a", "{u}a"]),
        cmd(&["PFCOUNT", "{u}a", "{u}missing"]),
        cmd(&["PFCOUNT", "{u}missing", "{u}none"]),
        cmd(&["PFCOUNT", "{u}a", "{u}b", "{u}dense"]),
        cmd(&["PFCOUNT", "{u}dense", "{u}a"]),
        // Several keys change nothing: the cache stays stale.
        cmd(&["GET", "{u}a"]),
        cmd(&["PFCOUNT", "{u}a"]),
        cmd(&["GET", "{u}a"]),
        cmd(&["SET", "{u}s", "not a hll"]),
        cmd(&["PFCOUNT", "{u}a", "{u}s"]),
        cmd(&["PFCOUNT", "{u}s", "{u}a"]),
    ]);
    p.check_raw(&script);
}

#[test]
fn pfmerge_into_missing_and_existing_destinations_matches_redis() {
    let mut p = Pair::start();
    let mut script = vec![
        pfadd("{m}a", (0..40).map(|i| format!("x{i}"))),
        pfadd("{m}b", (20..90).map(|i| format!("x{i}"))),
        pfadd("{m}dense", (0..2500).map(|i| format!("y{i}"))),
    ];
    script.extend([
        cmd(&["PFMERGE", "{m}d", "{m}a", "{m}b"]),
        cmd(&["GET", "{m}d"]),
        cmd(&["PFCOUNT", "{m}d"]),
        cmd(&["PFMERGE", "{m}a", "{m}b"]),
        cmd(&["GET", "{m}a"]),
        cmd(&["PFMERGE", "{m}d2", "{m}missing"]),
        cmd(&["GET", "{m}d2"]),
        cmd(&["PFMERGE", "{m}d3"]),
        cmd(&["GET", "{m}d3"]),
        cmd(&["PFMERGE", "{m}d"]),
        cmd(&["GET", "{m}d"]),
        cmd(&["PFMERGE", "{m}sd", "{m}a", "{m}dense"]),
        cmd(&["PFDEBUG", "ENCODING", "{m}sd"]),
        cmd(&["GET", "{m}sd"]),
        cmd(&["PFCOUNT", "{m}sd"]),
        cmd(&["PFMERGE", "{m}b", "{m}dense"]),
        cmd(&["GET", "{m}b"]),
        cmd(&["PFMERGE", "{m}dense", "{m}a"]),
        cmd(&["GET", "{m}dense"]),
        cmd(&["SET", "{m}s", "plain"]),
        cmd(&["PFMERGE", "{m}s", "{m}a"]),
        cmd(&["PFMERGE", "{m}d", "{m}s"]),
        cmd(&["PFMERGE", "{m}new", "{m}a", "{m}s"]),
        cmd(&["EXISTS", "{m}new"]),
        cmd(&["SET", "{m}t", "x", "EX", "1000"]),
        cmd(&["DEL", "{m}t"]),
        cmd(&["PFADD", "{m}t", "q"]),
        cmd(&["EXPIRE", "{m}t", "1000"]),
        cmd(&["PFMERGE", "{m}t", "{m}a"]),
        cmd(&["TTL", "{m}t"]),
        cmd(&["PFMERGE"]),
    ]);
    p.check_raw(&script);
    // Many small sparse sources whose union needs a promotion.
    let mut script = Vec::new();
    for i in 0..12 {
        script.push(pfadd(&format!("{{m}}p{i}"), (0..120).map(|j| format!("{i}.{j}"))));
    }
    let mut merge = cmd(&["PFMERGE", "{m}all"]);
    merge.extend((0..12).map(|i| format!("{{m}}p{i}").into_bytes()));
    script.push(merge);
    script.push(cmd(&["PFDEBUG", "ENCODING", "{m}all"]));
    script.push(cmd(&["GET", "{m}all"]));
    script.push(cmd(&["PFCOUNT", "{m}all"]));
    p.check_raw(&script);
}

#[test]
fn invalid_and_corrupt_hlls_are_refused_like_redis() {
    let mut p = Pair::start();
    let truncated = with_sparse_header(&[0x7f]);
    let short_cover = with_sparse_header(&[0x7f, 0xfe]);
    let long_cover = with_sparse_header(&[0x7f, 0xff, 0x00]);
    let val_overrun = with_sparse_header(&[0x7f, 0xff, 0x83]);
    let mut bad_encoding = with_sparse_header(&[0x7f, 0xff]);
    bad_encoding[4] = 2;
    let mut dense_short = b"HYLL\x00".to_vec();
    dense_short.resize(100, 0);
    let mut dense_ok = b"HYLL\x00".to_vec();
    dense_ok.resize(12304, 0);
    let mut dense_cached = dense_ok.clone();
    dense_cached[8] = 42;
    let mut stale_valid = with_sparse_header(&[0x7f, 0xff]);
    stale_valid[8] = 9;
    let mut cached_corrupt = with_sparse_header(&[0x00]);
    cached_corrupt[8] = 5;
    let set = |k: &str, v: &[u8]| vec![b"SET".to_vec(), k.as_bytes().to_vec(), v.to_vec()];
    let mut script = vec![
        set("plain", b"hello"),
        set("int", b"12345678901234567"),
        set("short", b"HYLL"),
        set("truncated", &truncated),
        set("short_cover", &short_cover),
        set("long_cover", &long_cover),
        set("val_overrun", &val_overrun),
        set("bad_encoding", &bad_encoding),
        set("dense_short", &dense_short),
        set("dense_ok", &dense_ok),
        set("dense_cached", &dense_cached),
        set("stale_valid", &stale_valid),
        set("cached_corrupt", &cached_corrupt),
        set("magic", b"HYLX\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"),
    ];
    for key in [
        "plain",
        "int",
        "short",
        "truncated",
        "short_cover",
        "long_cover",
        "val_overrun",
        "bad_encoding",
        "dense_short",
        "dense_ok",
        "dense_cached",
        "stale_valid",
        "cached_corrupt",
        "magic",
    ] {
        script.extend([
            cmd(&["PFCOUNT", key]),
            cmd(&["PFCOUNT", key, "nothing"]),
            cmd(&["PFMERGE", "dest", key]),
            cmd(&["PFADD", key, "a", "b", "c"]),
            cmd(&["GET", key]),
            cmd(&["PFCOUNT", key]),
            cmd(&["PFDEBUG", "DECODE", key]),
            cmd(&["PFDEBUG", "GETREG", key]),
            cmd(&["GET", key]),
            cmd(&["GET", "dest"]),
        ]);
    }
    p.check_raw(&script);
}

#[test]
fn pfdebug_and_pfselftest_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["PFADD", "h", "a", "b", "c", "hello", "world"],
        &["PFDEBUG", "ENCODING", "h"],
        &["PFDEBUG", "DECODE", "h"],
        &["PFDEBUG", "decode", "h"],
        &["PFDEBUG", "NOPE", "h"],
        &["PFDEBUG", "ENCODING", "missing"],
        &["PFDEBUG", "NOPE", "missing"],
        &["PFDEBUG", "GETREG", "h"],
        &["PFDEBUG", "ENCODING", "h"],
        &["GET", "h"],
        &["PFDEBUG", "DECODE", "h"],
        &["PFDEBUG", "TODENSE", "h"],
        &["PFADD", "h2", "z"],
        &["PFDEBUG", "TODENSE", "h2"],
        &["GET", "h2"],
        &["PFCOUNT", "h2"],
        &["SET", "s", "x"],
        &["PFDEBUG", "ENCODING", "s"],
        &["PFDEBUG", "ENCODING"],
        &["PFDEBUG", "ENCODING", "h", "extra"],
        &["PFSELFTEST"],
        &["PFSELFTEST", "x"],
    ]);
}

#[test]
fn estimate_of_100k_distinct_elements_is_within_two_percent_and_matches_redis() {
    let mut p = Pair::start();
    let mut script = Vec::new();
    for batch in 0..100 {
        script.push(pfadd("big", (0..1000).map(|i| format!("member:{batch}:{i}"))));
    }
    p.check_raw(&script);
    p.check(&[&["GET", "big"], &["PFCOUNT", "big"], &["GET", "big"]]);
    let reply = p.s.cmd(&["PFCOUNT", "big"]);
    let text = String::from_utf8_lossy(&reply);
    let card: f64 = text.trim_start_matches(':').trim().parse().unwrap();
    assert!(
        (card - 100_000.0).abs() <= 2_000.0,
        "estimate {card} is off by more than 2%"
    );
}

#[test]
fn hll_replies_match_the_oracle_in_resp3() {
    let mut p = Pair::start();
    p.hello3();
    p.check(&[
        &["PFADD", "h", "a", "b"],
        &["PFCOUNT", "h"],
        &["PFCOUNT", "h", "missing"],
        &["PFMERGE", "d", "h"],
        &["GET", "d"],
        &["PFDEBUG", "ENCODING", "d"],
        &["PFDEBUG", "DECODE", "d"],
        &["SET", "s", "x"],
        &["PFCOUNT", "s"],
    ]);
}

#[test]
fn hll_writes_and_cache_refreshes_touch_watch_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["PFADD", "h", "a"],
        &["PFCOUNT", "h"],
        &["WATCH", "h"],
        &["PFADD", "h", "a"],
        &["PFCOUNT", "h"],
        &["PFCOUNT", "h", "other"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "h"],
        &["PFADD", "h", "b"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "h"],
        &["PFCOUNT", "h"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "h"],
        &["PFMERGE", "h"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "h"],
        &["PFDEBUG", "TODENSE", "h"],
        &["PFDEBUG", "GETREG", "h"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["PFADD", "g", "x"],
        &["WATCH", "g"],
        &["PFDEBUG", "GETREG", "g"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
    ]);
}

#[test]
fn hll_commands_count_keyspace_hits_and_misses_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "RESETSTAT"],
        &["PFADD", "a", "x"],
        &["PFADD", "a", "y"],
        &["PFCOUNT", "a"],
        &["PFCOUNT", "missing"],
        &["PFCOUNT", "a", "missing", "a"],
        &["PFMERGE", "a", "missing"],
        &["PFMERGE", "new", "a"],
        &["SET", "s", "x"],
        &["PFCOUNT", "a", "s", "missing"],
        &["PFDEBUG", "ENCODING", "a"],
    ]);
    let (s, r) = p.both(&["INFO", "stats"]);
    assert!(!hits_and_misses(&r).0.is_empty());
    assert_eq!(hits_and_misses(&s), hits_and_misses(&r));
}

fn element(rng: &mut SmallRng) -> Vec<u8> {
    match rng.random_range(0..10) {
        0 => (0..rng.random_range(0..20)).map(|_| rng.random::<u8>()).collect(),
        1..=3 => format!("e{}", rng.random_range(0..50)).into_bytes(),
        _ => format!("m{}", rng.random_range(0..100_000)).into_bytes(),
    }
}

fn random_hll_command(rng: &mut SmallRng) -> Vec<Vec<u8>> {
    const KEYS: &[&str] = &["{h}a", "{h}b", "{h}c", "{h}d", "{h}s"];
    let key = |rng: &mut SmallRng| KEYS[rng.random_range(0..KEYS.len() - 1)].as_bytes().to_vec();
    let any_key = |rng: &mut SmallRng| KEYS[rng.random_range(0..KEYS.len())].as_bytes().to_vec();
    let word = |s: &str| s.as_bytes().to_vec();
    let mut c = Vec::new();
    match rng.random_range(0..100) {
        0..=39 => {
            c.extend([word("PFADD"), any_key(rng)]);
            for _ in 0..rng.random_range(0..6) {
                c.push(element(rng));
            }
        }
        40..=44 => {
            // Bulk adds push some keys through the dense promotion.
            c.extend([word("PFADD"), key(rng)]);
            for _ in 0..rng.random_range(20..200) {
                c.push(element(rng));
            }
        }
        45..=59 => c.extend([word("PFCOUNT"), any_key(rng)]),
        60..=69 => {
            c.push(word("PFCOUNT"));
            for _ in 0..rng.random_range(2..5) {
                c.push(any_key(rng));
            }
        }
        70..=77 => {
            c.extend([word("PFMERGE"), any_key(rng)]);
            for _ in 0..rng.random_range(0..4) {
                c.push(any_key(rng));
            }
        }
        78..=89 => c.extend([word("GET"), key(rng)]),
        90..=91 => c.extend([word("DEL"), key(rng)]),
        92 => c.extend([word("SET"), word("{h}s"), element(rng)]),
        93 => c.extend([word("PFDEBUG"), word("ENCODING"), any_key(rng)]),
        94 => c.extend([word("PFDEBUG"), word("DECODE"), any_key(rng)]),
        95 => c.extend([word("PFDEBUG"), word("TODENSE"), key(rng)]),
        96 => {
            let size = ["60", "300", "3000", "1000"][rng.random_range(0..4)];
            c.extend([word("CONFIG"), word("SET"), word("hll-sparse-max-bytes"), word(size)]);
        }
        97 => c.extend([word("STRLEN"), key(rng)]),
        98 => c.extend([
            word("SETBIT"),
            key(rng),
            rng.random_range(0..300).to_string().into_bytes(),
            word("1"),
        ]),
        _ => c.extend([word("APPEND"), key(rng), word("x")]),
    }
    c
}

#[test]
fn random_hll_commands_match_the_oracle() {
    let mut p = Pair::start();
    let mut rng = SmallRng::seed_from_u64(0x4C1_0001);
    let mut script: Vec<Vec<Vec<u8>>> = (0..11_000).map(|_| random_hll_command(&mut rng)).collect();
    for k in ["{h}a", "{h}b", "{h}c", "{h}d"] {
        script.push(vec![b"GET".to_vec(), k.as_bytes().to_vec()]);
    }
    let (mut dense, mut sparse) = (0, 0);
    for args in &script {
        let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
        let (a, b) = p.both_bytes(&refs);
        let shown: Vec<String> = args.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        assert_eq!(
            show(&a),
            show(&b),
            "reply to {shown:?} differs (left: shoal, right: redis)"
        );
        dense += usize::from(a == b"+dense\r\n");
        sparse += usize::from(a == b"+sparse\r\n");
    }
    // The run must have seen both encodings.
    assert!(dense > 10 && sparse > 10, "dense {dense}, sparse {sparse}");
}
