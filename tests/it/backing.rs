//! The backing database, end to end: the real `shoal` with write-behind,
//! write-through and read-through rules against the embedded SQLite and a
//! real PostgreSQL started by the test, including outages of the database
//! and a SIGKILL of shoal, counting exactly what reached the database.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use redis::Commands;

use crate::support::{Postgres, Server, TempDir};

/// One field of `INFO backing`.
fn info(c: &mut redis::Connection, field: &str) -> i64 {
    let text: String = redis::cmd("INFO").arg("backing").query(c).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in {text}"))
}

/// Waits (bounded) until every write-behind record is in the database.
fn drained(c: &mut redis::Connection, within: Duration) {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if info(c, "backing_pending") == 0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("backing_pending still {} after {within:?}", info(c, "backing_pending"));
}

fn sqlite_rows(path: &std::path::Path, table: &str) -> HashMap<Vec<u8>, (String, Vec<u8>, Option<i64>)> {
    let db = rusqlite::Connection::open(path).unwrap();
    let mut stmt = db
        .prepare(&format!("SELECT key, type, value, expire_at FROM {table}"))
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[test]
fn write_behind_to_sqlite_stores_every_type_and_read_through_reloads_after_flushall() {
    let dir = TempDir::new("wb");
    let d = dir.0.to_str().unwrap();
    let s = Server::start_with(&[
        "--dir",
        d,
        "--backing-rule",
        "s:* sessions read-through,write-behind",
        "--write-behind-delay-ms",
        "10",
    ]);
    let mut c = s.client();
    let _: () = redis::cmd("SET")
        .arg("s:str")
        .arg("hello")
        .arg("EX")
        .arg(1000)
        .query(&mut c)
        .unwrap();
    let _: () = c.hset("s:h", "f", "v").unwrap();
    let _: () = c.rpush("s:l", &["a", "b"]).unwrap();
    let _: () = c.sadd("s:set", "x").unwrap();
    let _: () = c.zadd("s:z", "m", 1.5).unwrap();
    for _ in 0..3 {
        let _: i64 = c.incr("s:n", 1).unwrap();
    }
    let _: () = c.set("s:gone", "x").unwrap();
    let _: () = c.del("s:gone").unwrap();
    let _: () = c.set("other", "not backed").unwrap();
    drained(&mut c, Duration::from_secs(30));

    let rows = sqlite_rows(&dir.0.join("shoal-backing.db"), "sessions");
    let (kind, value, expire) = &rows[&b"s:str".to_vec()];
    assert_eq!((kind.as_str(), value.as_slice()), ("string", &b"hello"[..]));
    let left = expire.unwrap() - now_ms();
    assert!(left > 990_000 && left <= 1_000_000, "expire_at {expire:?}");
    assert_eq!(rows[&b"s:n".to_vec()].1, b"3");
    assert_eq!(rows[&b"s:h".to_vec()].0, "hash");
    assert_eq!(rows[&b"s:z".to_vec()].0, "zset");
    assert!(
        !rows.contains_key(b"s:gone".as_slice()),
        "a deleted key's row is removed"
    );
    assert!(
        !rows.contains_key(b"other".as_slice()),
        "keys no rule covers stay in the cache"
    );
    assert_eq!(rows.len(), 6);

    // The cache forgets everything; the database does not.
    let _: () = redis::cmd("FLUSHALL").query(&mut c).unwrap();
    let v: String = c.get("s:str").unwrap();
    assert_eq!(v, "hello");
    let ttl: i64 = c.ttl("s:str").unwrap();
    assert!((990..=1000).contains(&ttl), "remaining TTL restored, got {ttl}");
    let h: HashMap<String, String> = c.hgetall("s:h").unwrap();
    assert_eq!(h["f"], "v");
    let l: Vec<String> = c.lrange("s:l", 0, -1).unwrap();
    assert_eq!(l, ["a", "b"]);
    let z: Vec<(String, f64)> = c.zrange_withscores("s:z", 0, -1).unwrap();
    assert_eq!(z, [("m".to_string(), 1.5)]);
    let members: Vec<String> = c.smembers("s:set").unwrap();
    assert_eq!(members, ["x"]);
    let n: i64 = c.incr("s:n", 1).unwrap();
    assert_eq!(n, 4, "a write to a missing key loads it first");
    let gone: bool = c.exists("s:gone").unwrap();
    assert!(!gone);
    let other: Option<String> = c.get("other").unwrap();
    assert_eq!(other, None);
    assert!(info(&mut c, "backing_read_through_hits") >= 6);
}

#[test]
fn read_through_remembers_absent_keys_for_the_negative_cache_time() {
    let dir = TempDir::new("neg");
    let s = Server::start_with(&[
        "--dir",
        dir.0.to_str().unwrap(),
        "--backing-rule",
        "s:* t read-through,write-behind",
        "--backing-negative-cache-ms",
        "60000",
        // The journal thread's path: every write fsynced before its reply.
        "--backing-appendfsync",
        "always",
    ]);
    let mut c = s.client();
    for _ in 0..3 {
        let v: Option<String> = c.get("s:none").unwrap();
        assert_eq!(v, None);
    }
    assert_eq!(info(&mut c, "backing_read_through_loads"), 1);
    assert_eq!(info(&mut c, "backing_read_through_negative_hits"), 2);
    // A write forgets the negative entry.
    let _: () = c.set("s:none", "now here").unwrap();
    drained(&mut c, Duration::from_secs(30));
    let _: () = redis::cmd("FLUSHALL").query(&mut c).unwrap();
    let v: Option<String> = c.get("s:none").unwrap();
    assert_eq!(v.as_deref(), Some("now here"));
}

#[test]
fn write_through_with_postgres_down_refuses_and_leaves_cache_and_database_equal() {
    let mut pg = Postgres::start();
    let dir = TempDir::new("wt");
    let s = Server::start_with(&[
        "--dir",
        dir.0.to_str().unwrap(),
        "--backing-url",
        &pg.url(),
        "--backing-rule",
        "w:* kv read-through,write-through",
        "--backing-timeout-ms",
        "5000",
    ]);
    let mut c = s.client();
    let row = |pg: &Postgres, key: &str| {
        pg.psql(&format!(
            "SELECT convert_from(value, 'UTF8') FROM kv WHERE key = '{key}'::bytea"
        ))
    };
    let _: () = c.set("w:1", "v1").unwrap();
    assert_eq!(row(&pg, "w:1"), "v1", "acknowledged only after the database has it");
    let _: i64 = c.incr("w:c", 1).unwrap();
    let (_, n): ((), i64) = redis::pipe()
        .atomic()
        .set("w:2", "a")
        .incr("w:c", 1)
        .query(&mut c)
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(row(&pg, "w:2"), "a");
    assert_eq!(row(&pg, "w:c"), "2");
    let _: bool = c.expire("w:1", 100).unwrap();
    let expire: i64 = pg
        .psql("SELECT expire_at FROM kv WHERE key = 'w:1'::bytea")
        .parse()
        .unwrap();
    assert!(expire > now_ms() + 90_000);

    pg.stop();
    let r: redis::RedisResult<()> = c.set("w:1", "v2");
    let e = r.unwrap_err().to_string();
    assert!(e.contains("write-through"), "{e}");
    let v: String = c.get("w:1").unwrap();
    assert_eq!(v, "v1", "the refused write was undone");
    let ttl: i64 = c.ttl("w:1").unwrap();
    assert!(ttl > 90, "with its TTL");
    let r: redis::RedisResult<i64> = c.del("w:1");
    assert!(r.is_err());
    let r: redis::RedisResult<((), i64)> = redis::pipe().atomic().set("w:2", "b").incr("w:c", 1).query(&mut c);
    assert!(r.is_err());
    let v: String = c.get("w:2").unwrap();
    assert_eq!(v, "a");
    let n: i64 = c.get("w:c").unwrap();
    assert_eq!(n, 2);
    // Keys no rule covers are unaffected by the outage.
    let _: () = c.set("plain", "1").unwrap();
    assert!(info(&mut c, "backing_write_through_failures") >= 3);

    pg.start_again();
    let _: () = c.set("w:1", "v3").unwrap();
    assert_eq!(row(&pg, "w:1"), "v3");
    let _: () = c.del("w:2").unwrap();
    assert_eq!(pg.psql("SELECT count(*) FROM kv WHERE key = 'w:2'::bytea"), "0");
    let v: String = c.get("w:1").unwrap();
    assert_eq!(v, "v3");
}

/// The last value written to each of `keys` keys by writes `0..n` of
/// `k:{i % keys} = i`.
fn last_values(n: usize, keys: usize) -> HashMap<String, String> {
    (n.saturating_sub(keys)..n)
        .map(|i| (format!("k:{}", i % keys), i.to_string()))
        .collect()
}

#[test]
fn write_behind_loses_nothing_when_postgres_stops_for_10s_during_50000_writes() {
    let mut pg = Postgres::start();
    let dir = TempDir::new("outage");
    let s = Server::start_with(&[
        "--dir",
        dir.0.to_str().unwrap(),
        "--backing-url",
        &pg.url(),
        "--backing-rule",
        "k:* kv write-behind",
        "--write-behind-delay-ms",
        "20",
        "--backing-retry-max-ms",
        "500",
    ]);
    const N: usize = 50_000;
    const KEYS: usize = 5_000;
    let done = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (done, mut c) = (done.clone(), s.client());
        std::thread::spawn(move || {
            // 100 pipelines of 500 over about 15 s, so the outage falls inside.
            for chunk in 0..N / 500 {
                let mut p = redis::pipe();
                for i in chunk * 500..(chunk + 1) * 500 {
                    p.set(format!("k:{}", i % KEYS), i.to_string()).ignore();
                }
                let _: () = p.query(&mut c).unwrap();
                done.store((chunk + 1) * 500, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(150));
            }
        })
    };
    while done.load(Ordering::SeqCst) < 10_000 {
        std::thread::sleep(Duration::from_millis(10));
    }
    pg.stop();
    std::thread::sleep(Duration::from_secs(10));
    let during = done.load(Ordering::SeqCst);
    pg.start_again();
    writer.join().unwrap();
    assert!(during > 20_000, "writes went on while the database was down ({during})");
    let mut c = s.client();
    drained(&mut c, Duration::from_secs(120));
    assert!(info(&mut c, "backing_retries") > 0);
    let rows: HashMap<String, String> = pg
        .psql("SELECT convert_from(key, 'UTF8') || '=' || convert_from(value, 'UTF8') FROM kv")
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    assert_eq!(rows, last_values(N, KEYS));
}

#[test]
fn a_sigkilled_shoal_replays_its_journal_and_every_acknowledged_write_reaches_sqlite() {
    let dir = TempDir::new("kill");
    let d = dir.0.to_str().unwrap().to_string();
    // A long delay keeps acknowledged writes in the journal when the kill lands.
    let args = |delay: &'static str, batch: &'static str| {
        vec![
            "--dir".to_string(),
            d.clone(),
            "--backing-rule".into(),
            "k:* kv write-behind".into(),
            "--write-behind-delay-ms".into(),
            delay.into(),
            "--write-behind-batch-size".into(),
            batch.into(),
        ]
    };
    let a = args("5000", "1000000");
    let mut s = Server::start_with(&a.iter().map(String::as_str).collect::<Vec<_>>());
    const KEYS: usize = 2_000;
    let acked = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acked, stop, mut c) = (acked.clone(), stop.clone(), s.client());
        std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let mut p = redis::pipe();
                for j in i..i + 200 {
                    p.set(format!("k:{}", j % KEYS), j.to_string()).ignore();
                }
                if p.query::<()>(&mut c).is_err() {
                    return;
                }
                i += 200;
                acked.store(i, Ordering::SeqCst);
            }
        })
    };
    while acked.load(Ordering::SeqCst) < 20_000 {
        std::thread::sleep(Duration::from_millis(5));
    }
    s.signal("KILL");
    let _ = s.wait_exit(Duration::from_secs(10));
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    let n = acked.load(Ordering::SeqCst);
    let db = dir.0.join("shoal-backing.db");
    let before = if db.exists() { sqlite_rows(&db, "kv").len() } else { 0 };

    let b = args("10", "1000");
    let s = Server::start_with(&b.iter().map(String::as_str).collect::<Vec<_>>());
    let mut c = s.client();
    drained(&mut c, Duration::from_secs(60));
    let rows = sqlite_rows(&db, "kv");
    assert!(
        before < KEYS || n < 3 * KEYS,
        "the kill landed before the database had everything"
    );
    // Every key holds its last acknowledged value or a later (journaled,
    // unacknowledged) one; values per key only grow.
    assert_eq!(rows.len(), KEYS);
    for (key, want) in last_values(n, KEYS) {
        let (_, got, _) = &rows[key.as_bytes()];
        let got: usize = String::from_utf8_lossy(got).parse().unwrap();
        let want: usize = want.parse().unwrap();
        assert!(got >= want, "{key}: database has {got}, acknowledged {want}");
    }
}

#[test]
fn a_full_write_behind_queue_refuses_writes_with_backpressure_until_it_drains() {
    let mut pg = Postgres::start();
    pg.stop();
    let dir = TempDir::new("bp");
    let s = Server::start_with(&[
        "--dir",
        dir.0.to_str().unwrap(),
        "--backing-url",
        &pg.url(),
        "--backing-rule",
        "k:* kv write-behind",
        "--write-behind-max-pending",
        "50",
        "--write-behind-delay-ms",
        "0",
        "--backing-retry-max-ms",
        "200",
    ]);
    let mut c = s.client();
    for i in 0..50 {
        let _: () = c.set(format!("k:{i}"), i).unwrap();
    }
    let r: redis::RedisResult<()> = c.set("k:50", 50);
    let e = r.unwrap_err();
    assert_eq!(e.code(), Some("BACKPRESSURE"), "{e}");
    let _: () = c.set("other", 1).unwrap();
    assert_eq!(info(&mut c, "backing_pending"), 50);
    pg.start_again();
    drained(&mut c, Duration::from_secs(60));
    let _: () = c.set("k:50", 50).unwrap();
    drained(&mut c, Duration::from_secs(60));
    assert_eq!(pg.psql("SELECT count(*) FROM kv"), "51");
}

/// A Python virtual environment with Django and redis-py, made once under
/// `target/` (the test command's machine reaches PyPI).
fn django_venv() -> std::path::PathBuf {
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-venv");
    let python = venv.join("bin/python");
    let ready = venv.join(".django-ready");
    if !ready.exists() {
        let ok = std::process::Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .unwrap()
            .success()
            && std::process::Command::new(&python)
                .args(["-m", "pip", "install", "-q", "django>=4.2,<6", "redis>=5"])
                .status()
                .unwrap()
                .success();
        assert!(ok, "could not create the Django test venv");
        std::fs::write(&ready, "").unwrap();
    }
    python
}

#[test]
fn django_cache_sessions_come_back_by_read_through_after_flushall() {
    let python = django_venv();
    let dir = TempDir::new("django");
    let s = Server::start_with(&[
        "--dir",
        dir.0.to_str().unwrap(),
        "--backing-rule",
        ":1:django.contrib.sessions.cache* sessions read-through,write-behind",
        "--write-behind-delay-ms",
        "10",
    ]);
    let script = r#"
import sys, django
from django.conf import settings
settings.configure(
    SECRET_KEY="x", INSTALLED_APPS=["django.contrib.sessions"],
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": "redis://127.0.0.1:%s/0" % sys.argv[1]}},
    SESSION_ENGINE="django.contrib.sessions.backends.cache",
)
django.setup()
from django.contrib.sessions.backends.cache import SessionStore
if sys.argv[2] == "create":
    for i in range(20):
        s = SessionStore()
        s["user_id"] = i
        s["cart"] = ["item-%d" % i, {"qty": i}]
        s.create()
        print(s.session_key)
else:
    for line in sys.stdin.read().split():
        s = SessionStore(session_key=line)
        print(s.get("user_id"), s.get("cart"))
"#;
    let run = |mode: &str, input: &str| -> String {
        use std::io::Write;
        let mut child = std::process::Command::new(&python)
            .args(["-c", script, &s.port().to_string(), mode])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "django script failed");
        String::from_utf8(out.stdout).unwrap()
    };
    let keys = run("create", "");
    assert_eq!(keys.lines().count(), 20);
    let mut c = s.client();
    drained(&mut c, Duration::from_secs(30));
    let _: () = redis::cmd("FLUSHALL").query(&mut c).unwrap();
    let dbsize: i64 = redis::cmd("DBSIZE").query(&mut c).unwrap();
    assert_eq!(dbsize, 0);
    let back = run("load", &keys);
    let lines: Vec<&str> = back.lines().collect();
    assert_eq!(lines.len(), 20);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(*l, format!("{i} ['item-{i}', {{'qty': {i}}}]"));
    }
}

#[test]
fn evicted_keys_stay_in_the_database_and_come_back_while_expired_keys_are_deleted() {
    let dir = TempDir::new("evict");
    let s = Server::start_with(&[
        "--dir",
        dir.0.to_str().unwrap(),
        "--backing-rule",
        "k:* kv read-through,write-behind",
        "--write-behind-delay-ms",
        "5",
        "--maxmemory",
        "3mb",
        "--maxmemory-policy",
        "allkeys-lru",
    ]);
    let mut c = s.client();
    let value = |i: usize| format!("{i:0>200}");
    for chunk in 0..20 {
        let mut p = redis::pipe();
        for i in chunk * 1000..(chunk + 1) * 1000 {
            p.set(format!("k:{i}"), value(i)).ignore();
        }
        let _: () = p.query(&mut c).unwrap();
    }
    drained(&mut c, Duration::from_secs(60));
    let dbsize: usize = redis::cmd("DBSIZE").query(&mut c).unwrap();
    let evicted: i64 = {
        let text: String = redis::cmd("INFO").arg("stats").query(&mut c).unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("evicted_keys:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    assert!(
        dbsize < 20_000 && evicted > 0,
        "eviction ran ({dbsize} keys, {evicted} evicted)"
    );
    let db = dir.0.join("shoal-backing.db");
    assert_eq!(
        sqlite_rows(&db, "kv").len(),
        20_000,
        "eviction drops from the cache only"
    );
    // Every key reads back, evicted or not.
    for i in (0..20_000).step_by(97) {
        let v: String = c.get(format!("k:{i}")).unwrap();
        assert_eq!(v, value(i));
    }

    // An expired key's row goes (backing-delete-on-expire yes).
    let _: () = redis::cmd("SET")
        .arg("k:short")
        .arg("x")
        .arg("PX")
        .arg(300)
        .query(&mut c)
        .unwrap();
    drained(&mut c, Duration::from_secs(30));
    assert!(sqlite_rows(&db, "kv").contains_key(b"k:short".as_slice()));
    std::thread::sleep(Duration::from_millis(400));
    let gone: Option<String> = c.get("k:short").unwrap();
    assert_eq!(gone, None, "an expired row is never loaded back");
    drained(&mut c, Duration::from_secs(30));
    assert!(!sqlite_rows(&db, "kv").contains_key(b"k:short".as_slice()));
}

#[test]
fn concurrent_writers_to_one_key_leave_its_last_value_in_the_database() {
    let dir = TempDir::new("race");
    let s = Server::start_with(&[
        "--dir",
        dir.0.to_str().unwrap(),
        "--backing-rule",
        "c:* kv write-behind",
        "--write-behind-delay-ms",
        "1",
    ]);
    // Commands run side by side; each record's value is read under the
    // key's lock, so the last record per key is the key's last state.
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let mut c = s.client();
            std::thread::spawn(move || {
                for _ in 0..100 {
                    let mut p = redis::pipe();
                    for k in 0..4 {
                        p.incr(format!("c:{k}"), 1).ignore();
                    }
                    let _: () = p.query(&mut c).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut c = s.client();
    drained(&mut c, Duration::from_secs(30));
    let rows = sqlite_rows(&dir.0.join("shoal-backing.db"), "kv");
    for k in 0..4 {
        assert_eq!(rows[format!("c:{k}").as_bytes()].1, b"800");
    }
}
