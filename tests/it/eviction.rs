//! `maxmemory` eviction against the real binary: every policy evicts the
//! right class of keys, `noeviction` (and a policy with nothing left to
//! evict) refuses `denyoom` commands with Redis's text, evictions are
//! announced (`evicted` keyspace event, `evicted_keys`) and replicated as
//! `DEL`, and `OBJECT FREQ`/`IDLETIME` answer as Redis does. Survivor
//! counts are compared; nothing depends on timing.

use std::time::Duration;

use crate::support::{encode, show, Oracle, Pair, Raw, Server};

/// An integer field of `INFO`.
fn info_field(raw: &mut Raw, name: &str) -> i64 {
    info_fields(raw, &[name])[0]
}

/// Integer fields of one `INFO` reply.
fn info_fields(raw: &mut Raw, names: &[&str]) -> Vec<i64> {
    let text = String::from_utf8_lossy(&raw.cmd(&["INFO", "all"])).into_owned();
    names
        .iter()
        .map(|name| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}:")).map(|v| v.trim().parse().unwrap()))
                .unwrap_or_else(|| panic!("no {name} in INFO"))
        })
        .collect()
}

/// Sends every command at once and reads every reply.
fn pipeline(raw: &mut Raw, cmds: &[Vec<String>]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for c in cmds {
        let a: Vec<&[u8]> = c.iter().map(|s| s.as_bytes()).collect();
        out.extend_from_slice(&encode(&a));
    }
    raw.send_bytes(&out);
    cmds.iter().map(|_| raw.read_reply()).collect()
}

fn value() -> String {
    "v".repeat(100)
}

/// `SET prefix:i <100 bytes>` for `range`, with `PX ttl(i)` when given.
fn set_keys(raw: &mut Raw, prefix: &str, range: std::ops::Range<usize>, ttl: Option<&dyn Fn(usize) -> u64>) {
    let cmds: Vec<Vec<String>> = range
        .map(|i| {
            let mut c = vec!["SET".to_string(), format!("{prefix}:{i}"), value()];
            if let Some(ttl) = ttl {
                c.push("PX".into());
                c.push(ttl(i).to_string());
            }
            c
        })
        .collect();
    for chunk in cmds.chunks(500) {
        for r in pipeline(raw, chunk) {
            assert!(r == b"+OK\r\n" || r.starts_with(b"-OOM"), "{}", show(&r));
        }
    }
}

/// Which of `prefix:i` for `range` still exist.
fn alive(raw: &mut Raw, prefix: &str, range: std::ops::Range<usize>) -> Vec<usize> {
    let cmds: Vec<Vec<String>> = range
        .clone()
        .map(|i| vec!["EXISTS".into(), format!("{prefix}:{i}")])
        .collect();
    let mut left = Vec::new();
    for (chunk, ids) in cmds.chunks(500).zip(range.collect::<Vec<_>>().chunks(500)) {
        for (r, i) in pipeline(raw, chunk).into_iter().zip(ids) {
            if r == b":1\r\n" {
                left.push(*i);
            }
        }
    }
    left
}

/// Sets `maxmemory` to the current `used_memory` minus `fraction` of the
/// dataset; returns the limit. Eviction runs are unbounded in time
/// (`maxmemory-eviction-tenacity 100`), so one run gets all the way under
/// the limit, in a debug build too.
fn squeeze(raw: &mut Raw, fraction: f64) -> i64 {
    assert_eq!(
        raw.cmd(&["CONFIG", "SET", "maxmemory-eviction-tenacity", "100"]),
        b"+OK\r\n"
    );
    let used = info_field(raw, "used_memory");
    let dataset = info_field(raw, "used_memory_dataset");
    let max = used - (dataset as f64 * fraction) as i64;
    assert_eq!(raw.cmd(&["CONFIG", "SET", "maxmemory", &max.to_string()]), b"+OK\r\n");
    max
}

/// After an eviction run, `used_memory` is back under the limit (up to
/// the last write, which lands after the run that made room for it).
fn assert_under_limit(raw: &mut Raw, max: i64) {
    let used = info_field(raw, "used_memory");
    assert!(used <= max + 4096, "used_memory {used} over maxmemory {max}");
}

#[test]
fn noeviction_refuses_denyoom_commands_with_redis_text() {
    let mut p = Pair::start();
    p.check(&[
        &["SET", "a", "1"],
        &["CONFIG", "SET", "maxmemory", "1"],
        &["SET", "b", "2"],
        &["GET", "a"],
        &["DEL", "a"],
        &["MULTI"],
        &["SET", "c", "3"],
        &["EXEC"],
        &["CONFIG", "SET", "maxmemory", "0"],
        &["SET", "b", "2"],
    ]);
}

#[test]
fn a_policy_with_nothing_to_evict_answers_oom() {
    let mut p = Pair::start();
    p.check(&[
        &["SET", "persistent", "1"],
        &["CONFIG", "SET", "maxmemory-policy", "volatile-lru"],
        &["CONFIG", "SET", "maxmemory", "1"],
        &["SET", "b", "2"],
        &["EXISTS", "persistent"],
        &["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"],
        // Everything goes and it is still over: refused all the same.
        &["SET", "b", "2"],
        &["EXISTS", "persistent"],
    ]);
}

#[test]
fn volatile_policies_never_evict_keys_without_a_ttl() {
    for policy in ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"] {
        let s = Server::start();
        let mut raw = s.raw();
        raw.cmd(&["CONFIG", "SET", "maxmemory-policy", policy]);
        set_keys(&mut raw, "keep", 0..2000, None);
        set_keys(&mut raw, "vol", 0..2000, Some(&|_| 3_600_000));
        let max = squeeze(&mut raw, 0.25);
        set_keys(&mut raw, "more", 0..500, None);
        assert_under_limit(&mut raw, max);
        assert_eq!(alive(&mut raw, "keep", 0..2000).len(), 2000, "{policy}");
        let vol = alive(&mut raw, "vol", 0..2000).len();
        assert!(vol < 2000 - 500, "{policy}: {vol} volatile keys left");
        assert!(info_field(&mut raw, "evicted_keys") > 0);
        // With the volatile keys gone, writes are refused. A run that hits
        // its time limit lets the command through (Redis's EVICT_RUNNING)
        // and the next one goes on, so this takes a few writes.
        raw.cmd(&["CONFIG", "SET", "maxmemory", "1"]);
        let refused = (0..10_000).any(|_| raw.cmd(&["SET", "x", "y"]).starts_with(b"-OOM"));
        assert!(refused, "{policy}: never refused");
        assert_eq!(
            raw.cmd(&["SET", "x", "y"]),
            b"-OOM command not allowed when used memory > 'maxmemory'.\r\n"
        );
        assert_eq!(alive(&mut raw, "vol", 0..2000).len(), 0, "{policy}");
        assert_eq!(alive(&mut raw, "keep", 0..2000).len(), 2000, "{policy}");
    }
}

#[test]
fn volatile_ttl_evicts_the_nearest_expiry_first() {
    let s = Server::start();
    let mut raw = s.raw();
    raw.cmd(&["CONFIG", "SET", "maxmemory-policy", "volatile-ttl"]);
    // Key i expires after (i + 1) hours: low indexes go first.
    set_keys(&mut raw, "t", 0..4000, Some(&|i| 3_600_000 * (i as u64 + 1)));
    let max = squeeze(&mut raw, 0.3);
    set_keys(&mut raw, "more", 0..200, None);
    assert_under_limit(&mut raw, max);
    let left = alive(&mut raw, "t", 0..4000);
    let early = left.iter().filter(|&&i| i < 1000).count();
    let late = left.iter().filter(|&&i| i >= 3000).count();
    assert!(left.len() < 3200, "{} left", left.len());
    assert!(late > 900, "latest quarter: {late} of 1000 left");
    assert!(early * 3 < late, "earliest quarter {early} vs latest {late}");
}

/// Fills `hot:*` and `cold:*` (cold made idle or rare as `cold` says), reads
/// the hot keys, writes filler until eviction took about a third, and
/// returns the survivors of each.
fn hot_and_cold(policy: &str, cold: &[&str]) -> (usize, usize) {
    let s = Server::start();
    hot_and_cold_on(&mut s.raw(), policy, cold)
}

/// [`hot_and_cold`] on a given server (Shoal or the oracle).
fn hot_and_cold_on(raw: &mut Raw, policy: &str, cold: &[&str]) -> (usize, usize) {
    raw.cmd(&["CONFIG", "SET", "maxmemory-policy", policy]);
    set_keys(raw, "template", 0..1, None);
    let payload = {
        let r = raw.cmd(&["DUMP", "template:0"]);
        let start = r.iter().position(|&b| b == b'\n').unwrap() + 1;
        r[start..r.len() - 2].to_vec()
    };
    raw.cmd(&["DEL", "template:0"]);
    let mut cmds = Vec::new();
    for i in 0..2000 {
        let mut c: Vec<Vec<u8>> = vec![
            b"RESTORE".to_vec(),
            format!("cold:{i}").into_bytes(),
            b"0".to_vec(),
            payload.clone(),
        ];
        c.extend(cold.iter().map(|a| a.as_bytes().to_vec()));
        cmds.push(c);
    }
    for chunk in cmds.chunks(500) {
        let mut out = Vec::new();
        for c in chunk {
            let a: Vec<&[u8]> = c.iter().map(|v| v.as_slice()).collect();
            out.extend_from_slice(&encode(&a));
        }
        raw.send_bytes(&out);
        for _ in chunk {
            assert_eq!(raw.read_reply(), b"+OK\r\n");
        }
    }
    set_keys(raw, "hot", 0..2000, None);
    let reads: Vec<Vec<String>> = (0..2000).map(|i| vec!["GET".into(), format!("hot:{i}")]).collect();
    for _ in 0..10 {
        for chunk in reads.chunks(500) {
            pipeline(raw, chunk);
        }
    }
    let max = squeeze(raw, 0.35);
    set_keys(raw, "fill", 0..300, None);
    assert_under_limit(raw, max);
    (alive(raw, "hot", 0..2000).len(), alive(raw, "cold", 0..2000).len())
}

#[test]
fn allkeys_lru_keeps_recently_read_keys() {
    let (hot, cold) = hot_and_cold("allkeys-lru", &["IDLETIME", "100000"]);
    assert!(hot > 1900, "hot {hot} cold {cold}");
    assert!(cold < 1000, "hot {hot} cold {cold}");
}

#[test]
fn allkeys_lfu_keeps_frequently_read_keys() {
    let (hot, cold) = hot_and_cold("allkeys-lfu", &["FREQ", "0"]);
    assert!(hot > 1900, "hot {hot} cold {cold}");
    assert!(cold < 1000, "hot {hot} cold {cold}");
}

#[test]
fn lru_and_lfu_keep_as_much_of_the_hot_set_as_redis() {
    for (policy, cold) in [("allkeys-lru", ["IDLETIME", "100000"]), ("allkeys-lfu", ["FREQ", "0"])] {
        let oracle = Oracle::start();
        let (r_hot, r_cold) = hot_and_cold_on(&mut oracle.raw(), policy, &cold);
        let (s_hot, s_cold) = hot_and_cold(policy, &cold);
        // Same load, same relative limit: Shoal keeps at least nearly as
        // much of the hot set, and evicts the cold keys first like Redis.
        assert!(s_hot + 50 >= r_hot, "{policy}: shoal hot {s_hot}, redis hot {r_hot}");
        assert!(
            s_cold < 1000 && r_cold < 1000,
            "{policy}: cold shoal {s_cold}, redis {r_cold}"
        );
    }
}

#[test]
fn allkeys_random_spreads_evictions() {
    let (hot, cold) = hot_and_cold("allkeys-random", &[]);
    // Both classes lose keys, in similar proportions.
    assert!(hot < 1900 && cold < 1900, "hot {hot} cold {cold}");
    assert!(hot.abs_diff(cold) < 400, "hot {hot} cold {cold}");
}

#[test]
fn config_set_lower_maxmemory_evicts_on_the_next_write() {
    let s = Server::start();
    let mut raw = s.raw();
    raw.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-random"]);
    set_keys(&mut raw, "k", 0..3000, None);
    let before = info_field(&mut raw, "used_memory");
    let max = squeeze(&mut raw, 0.5);
    assert!(max < before);
    assert_eq!(raw.cmd(&["SET", "one", "more"]), b"+OK\r\n");
    assert_under_limit(&mut raw, max);
    let left = alive(&mut raw, "k", 0..3000).len();
    assert!(left < 2000, "{left} of 3000 left");
    assert_eq!(info_field(&mut raw, "evicted_keys"), 3000 - left as i64);
    assert_eq!(info_field(&mut raw, "maxmemory"), max);
    let text = String::from_utf8_lossy(&raw.cmd(&["INFO", "memory"])).into_owned();
    assert!(text.contains("maxmemory_policy:allkeys-random"));
    assert!(text.contains("maxmemory_human:"));
    assert!(text.contains("mem_fragmentation_ratio:"));
    // Back under the limit: no stretch over it is running.
    assert_eq!(info_field(&mut raw, "current_eviction_exceeded_time"), 0);
}

#[test]
fn a_refused_write_starts_an_exceeded_stretch_that_ends_under_the_limit() {
    let s = Server::start();
    let mut raw = s.raw();
    raw.cmd(&["SET", "k", "v"]);
    raw.cmd(&["CONFIG", "SET", "maxmemory", "1"]);
    assert!(raw.cmd(&["SET", "k2", "v"]).starts_with(b"-OOM"));
    let f = info_fields(
        &mut raw,
        &["total_eviction_exceeded_time", "current_eviction_exceeded_time"],
    );
    let total = f[0];
    assert!(total >= f[1], "{f:?}");
    raw.cmd(&["CONFIG", "SET", "maxmemory", "1gb"]);
    assert_eq!(raw.cmd(&["SET", "k2", "v"]), b"+OK\r\n");
    // The next run under the limit (the background cycle's, or a command's)
    // closes the stretch.
    let closed = (0..500).any(|_| {
        raw.cmd(&["SET", "k3", "v"]);
        info_field(&mut raw, "current_eviction_exceeded_time") == 0
    });
    assert!(closed);
    assert!(info_field(&mut raw, "total_eviction_exceeded_time") >= total);
}

#[test]
fn a_time_limited_run_is_continued_until_under_the_limit() {
    let s = Server::start();
    let mut raw = s.raw();
    raw.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"]);
    set_keys(&mut raw, "k", 0..5000, None);
    let used = info_field(&mut raw, "used_memory");
    let dataset = info_field(&mut raw, "used_memory_dataset");
    let max = used - dataset * 4 / 5;
    // Tenacity 0: each run stops after its first 16 keys.
    raw.cmd(&["CONFIG", "SET", "maxmemory-eviction-tenacity", "0"]);
    raw.cmd(&["CONFIG", "SET", "maxmemory", &max.to_string()]);
    // The write goes through (Redis's EVICT_RUNNING), eviction goes on.
    assert_eq!(raw.cmd(&["SET", "x", "y"]), b"+OK\r\n");
    let mut reads = 0;
    while info_field(&mut raw, "used_memory") > max {
        reads += 1;
        assert!(reads < 10_000, "never got under the limit");
    }
    assert!(info_field(&mut raw, "evicted_keys") >= 16 * 100);
}

#[test]
fn a_long_eviction_run_is_a_latency_event() {
    let s = Server::start();
    let mut raw = s.raw();
    raw.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-random"]);
    raw.cmd(&["CONFIG", "SET", "latency-monitor-threshold", "1"]);
    set_keys(&mut raw, "k", 0..20_000, None);
    // Ninety per cent of 20,000 keys in one unbounded run: well over 1 ms.
    squeeze(&mut raw, 0.9);
    raw.cmd(&["PING"]);
    let latest = show(&raw.cmd(&["LATENCY", "LATEST"]));
    assert!(latest.contains("eviction-cycle"), "{latest}");
}

#[test]
fn evictions_fire_the_evicted_keyspace_event() {
    let s = Server::start();
    let mut raw = s.raw();
    let mut sub = s.raw();
    raw.cmd(&["CONFIG", "SET", "notify-keyspace-events", "Ee"]);
    assert!(sub.cmd(&["SUBSCRIBE", "__keyevent@0__:evicted"]).starts_with(b"*3\r\n"));
    raw.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"]);
    raw.cmd(&["SET", "victim", "x"]);
    raw.cmd(&["CONFIG", "SET", "maxmemory", "1"]);
    // Nothing is left to evict after `victim`, so the write is refused.
    assert!(raw.cmd(&["SET", "other", "y"]).starts_with(b"-OOM"));
    assert_eq!(
        sub.read_reply(),
        b"*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:evicted\r\n$6\r\nvictim\r\n"
    );
    assert_eq!(info_field(&mut raw, "evicted_keys"), 1);
}

#[test]
fn watch_sees_an_evicted_key() {
    let s = Server::start();
    let mut raw = s.raw();
    raw.cmd(&["SET", "w", "1"]);
    raw.cmd(&["WATCH", "w"]);
    let mut other = s.raw();
    other.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-random"]);
    other.cmd(&["CONFIG", "SET", "maxmemory", "1"]);
    other.cmd(&["GET", "w"]);
    other.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
    raw.cmd(&["MULTI"]);
    raw.cmd(&["SET", "w", "2"]);
    assert_eq!(raw.cmd(&["EXEC"]), b"*-1\r\n");
}

#[test]
fn a_replica_receives_the_del_of_an_evicted_key() {
    let primary = Server::start();
    let replica = Server::start();
    let mut p = primary.raw();
    let mut r = replica.raw();
    set_keys(&mut p, "k", 0..1000, None);
    let port = primary.port().to_string();
    assert_eq!(r.cmd(&["REPLICAOF", "127.0.0.1", &port]), b"+OK\r\n");
    let eventually = |r: &mut Raw, want: &[u8]| {
        (0..1000).any(|_| {
            if r.cmd(&["DBSIZE"]) == want {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
            false
        })
    };
    assert!(eventually(&mut r, b":1000\r\n"));
    // The replica ignores its own maxmemory: its primary decides.
    r.cmd(&["CONFIG", "SET", "maxmemory", "1"]);
    r.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-random"]);
    assert_eq!(r.cmd(&["GET", "k:1"]), format!("$100\r\n{}\r\n", value()).into_bytes());
    p.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-random"]);
    squeeze(&mut p, 0.5);
    p.cmd(&["SET", "marker", "1"]);
    let left = String::from_utf8_lossy(&p.cmd(&["DBSIZE"])).into_owned();
    assert_ne!(left, ":1001\r\n");
    assert!(eventually(&mut r, left.as_bytes()), "replica never reached {left}");
    let (on_replica, on_primary) = (alive(&mut r, "k", 0..1000), alive(&mut p, "k", 0..1000));
    let only_r: Vec<_> = on_replica.iter().filter(|k| !on_primary.contains(k)).collect();
    let only_p: Vec<_> = on_primary.iter().filter(|k| !on_replica.contains(k)).collect();
    assert!(
        only_r.is_empty() && only_p.is_empty(),
        "replica only {only_r:?}, primary only {only_p:?}"
    );
}

#[test]
fn object_freq_and_idletime_answer_as_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["SET", "a", "hello"],
        &["OBJECT", "FREQ", "a"],
        &["OBJECT", "FREQ", "missing"],
        &["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"],
        &["OBJECT", "IDLETIME", "a"],
        &["OBJECT", "IDLETIME", "missing"],
        &["OBJECT", "FREQ", "a"],
        &["SET", "b", "world"],
        &["OBJECT", "FREQ", "b"],
        // The first read always counts (probability 1 at the initial value).
        &["GET", "b"],
        &["OBJECT", "FREQ", "b"],
        // OBJECT itself, TYPE and TTL do not count as accesses.
        &["TYPE", "b"],
        &["OBJECT", "FREQ", "b"],
        &["CONFIG", "SET", "maxmemory-policy", "volatile-lru"],
        &["OBJECT", "FREQ", "a"],
        &["OBJECT", "IDLETIME", "a"],
    ]);
}

#[test]
fn eviction_parameters_take_redis_ranges() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "GET", "maxmemory-eviction-tenacity"],
        &["CONFIG", "SET", "maxmemory-eviction-tenacity", "101"],
        &["CONFIG", "SET", "maxmemory-eviction-tenacity", "100"],
        &["CONFIG", "SET", "maxmemory-samples", "0"],
        &["CONFIG", "SET", "maxmemory-samples", "10"],
        &["CONFIG", "SET", "lfu-log-factor", "-1"],
        &["CONFIG", "SET", "lfu-decay-time", "-1"],
        &["CONFIG", "GET", "replica-ignore-maxmemory"],
        &["CONFIG", "SET", "maxmemory-policy", "lru"],
    ]);
}
