//! Replication replay, in process: a primary `Instance` is driven with
//! random command sequences under a controlled clock while a follower
//! `Instance` applies ONLY the primary's replicated stream; after every
//! step both stores must hold the same keys with the same values (DUMP
//! payloads), TTLs, types and encodings.
//!
//! Commands run through `commands::call::run_command` (the same `call()`
//! as a connection) with a chosen `now_ms`; blocking commands that find
//! nothing are parked in the primary's registry as a connection parks them,
//! and woken by other clients' pushes through `call()`'s fan-out. The
//! active expiry runs at chosen times through `expire_cycle`.
//!
//! The replica is built with the primary's dataset hash seed
//! ([`SHARED_SEED`]), so the raw DUMP bytes of every encoding and the whole
//! `SCAN` sequence (cursors and keys) of every database must match too;
//! switched off, hashtable containers are compared element-wise and SCAN
//! is not compared.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use parking_lot::Mutex;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use shoal::commands::call::{apply_replicated, expire_cycle, run_as_client, Exec};
use shoal::commands::dump;
use shoal::commands::Action;
use shoal::node::blocking::Wake;
use shoal::node::clients::Session;
use shoal::node::replication::{ReplOp, Replicated};
use shoal::store::Value;
use shoal::{Config, Instance};
use tokio::sync::oneshot;

/// Whether the replica takes the primary's dataset hash seed (then SCAN
/// order and raw DUMP bytes of every encoding must match).
const SHARED_SEED: bool = true;

/// Databases the random commands use (SELECT, SWAPDB, MOVE, COPY DB).
const DBS: usize = 3;

/// The start of the controlled clock (Unix ms).
const T0: u64 = 1_700_000_000_000;

fn bytes(argv: &[&str]) -> Vec<Bytes> {
    argv.iter().map(|a| Bytes::copy_from_slice(a.as_bytes())).collect()
}

fn show(argv: &[Bytes]) -> String {
    argv.iter()
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn instance(seed: Option<u64>) -> Instance {
    let config = Config::new();
    config.set_initial("databases", &DBS.to_string()).unwrap();
    let names = shoal::commands::call::all_names();
    match seed {
        Some(seed) => Instance::with_store(config, names, shoal::store::Store::with_seed(DBS, seed)),
        None => Instance::new(config, names),
    }
}

fn session(inst: &Instance) -> Session {
    let addr = "127.0.0.1:1".parse().unwrap();
    Session::new(inst.clients.register(addr, addr), true)
}

/// A client parked on the primary: its receiver and what it sent.
struct Parked {
    rx: oneshot::Receiver<Wake>,
}

/// A primary, a follower fed by its stream, and the primary's clients.
struct Pair {
    primary: Instance,
    replica: Instance,
    units: Arc<Mutex<Vec<Replicated>>>,
    clients: Vec<Session>,
    parked: Vec<Option<Parked>>,
    replica_session: Session,
    /// Every unit applied so far (for failure reports).
    applied: usize,
    cursor: usize,
}

impl Pair {
    fn new(clients: usize) -> Pair {
        let primary = instance(None);
        // The replica keys its tables with the primary's dataset seed.
        let replica = instance(SHARED_SEED.then(|| primary.store.seed()));
        replica.store.set_follower(true);
        let units = Arc::new(Mutex::new(Vec::new()));
        let sink = units.clone();
        primary
            .replication
            .subscribe(Arc::new(move |u: &Replicated| sink.lock().push(u.clone())));
        let clients: Vec<Session> = (0..clients).map(|_| session(&primary)).collect();
        let replica_session = session(&replica);
        Pair {
            parked: clients.iter().map(|_| None).collect(),
            primary,
            replica,
            units,
            clients,
            replica_session,
            applied: 0,
            cursor: 0,
        }
    }

    /// Runs `argv` as client `c` at `now`; parks it if it asks to block.
    fn run(&mut self, c: usize, argv: &[Bytes], now: u64, seed: u64) -> Vec<u8> {
        let exec = Exec { now_ms: now, seed };
        let (reply, action) = run_as_client(&self.primary, &mut self.clients[c], argv, exec);
        if let Some(Action::Block(b)) = action {
            let rx = self.primary.blocking.park(self.clients[c].clone(), argv.to_vec(), &b);
            self.parked[c] = Some(Parked { rx });
        }
        reply
    }

    /// Collects the replies of parked clients that were served.
    fn collect_woken(&mut self) -> Vec<(usize, Vec<u8>)> {
        let mut woken = Vec::new();
        for (c, slot) in self.parked.iter_mut().enumerate() {
            if let Some(p) = slot {
                match p.rx.try_recv() {
                    Ok(Wake::Reply(bytes)) => {
                        woken.push((c, bytes));
                        *slot = None;
                    }
                    Ok(_) => *slot = None,
                    Err(oneshot::error::TryRecvError::Empty) => {}
                    Err(oneshot::error::TryRecvError::Closed) => *slot = None,
                }
            }
        }
        woken
    }

    /// Applies every emitted unit on the replica; returns them.
    fn replicate(&mut self) -> Vec<Replicated> {
        let units = std::mem::take(&mut *self.units.lock());
        for u in &units {
            let errors = apply_replicated(&self.replica, &mut self.replica_session, u);
            assert_eq!(errors, 0, "unit {} did not apply cleanly: {:?}", u.seq, render(u));
            self.applied += 1;
        }
        units
    }

    fn expire(&mut self, now: u64) {
        // A budget no cycle reaches: the work done must not depend on the machine.
        expire_cycle(&self.primary, now, Duration::from_secs(3600), &mut self.cursor);
    }
}

fn render(u: &Replicated) -> Vec<String> {
    u.ops
        .iter()
        .map(|op| format!("db{} {}", op.db, show(&op.argv)))
        .collect()
}

/// One key as compared: type, encoding, value, absolute expiry.
#[derive(Debug, PartialEq)]
struct Seen {
    kind: &'static str,
    encoding: &'static str,
    value: Vec<u8>,
    expire_at: u64,
}

/// A value in a form both sides must agree on: the DUMP payload, or with
/// per-instance hash seeds the elements of hashtable containers sorted.
fn canonical(v: &Value) -> Vec<u8> {
    if SHARED_SEED {
        // DUMP writes hashtable sets and hashes sorted; their iteration
        // order (HGETALL, SMEMBERS, HSCAN, SSCAN) must match too.
        let mut b = dump::encode(v);
        let mut push = |item: &[u8]| {
            b.extend_from_slice(&(item.len() as u32).to_le_bytes());
            b.extend_from_slice(item);
        };
        match v {
            Value::Hash(h) => h.iter().for_each(|f| push(f.name)),
            Value::Set(s) => s.iter().for_each(|m| m.with_bytes(&mut push)),
            _ => {}
        }
        return b;
    }
    let sorted = |mut items: Vec<Vec<u8>>| {
        items.sort();
        items.concat()
    };
    match v {
        Value::Hash(h) => sorted(
            h.dump_entries()
                .into_iter()
                .map(|(f, v, at)| {
                    let mut b = Vec::new();
                    b.extend_from_slice(&(f.len() as u32).to_le_bytes());
                    b.extend(f);
                    b.extend_from_slice(&(v.len() as u32).to_le_bytes());
                    b.extend(v);
                    b.extend_from_slice(&at.to_le_bytes());
                    b
                })
                .collect(),
        ),
        Value::Set(s) => sorted(
            s.dump_items()
                .into_iter()
                .map(|m| {
                    let mut b = (m.len() as u32).to_le_bytes().to_vec();
                    b.extend(m);
                    b
                })
                .collect(),
        ),
        other => dump::encode(other),
    }
}

fn snapshot(inst: &Instance, db: usize) -> BTreeMap<Vec<u8>, Seen> {
    let mut map = BTreeMap::new();
    // `now = 0`: every stored entry, expired or not (the raw store).
    inst.store.db(db).unwrap().for_each(0, |e| {
        map.insert(
            e.key.to_vec(),
            Seen {
                kind: e.value.kind().name(),
                encoding: normal_encoding(e.value.encoding()),
                value: canonical(&e.value),
                expire_at: e.expire_at,
            },
        );
    });
    map
}

fn scan_all(inst: &Instance, db: usize, now: u64) -> Vec<(u64, Vec<Vec<u8>>)> {
    let d = inst.store.db(db).unwrap();
    let mut cursor = 0;
    let mut pages = Vec::new();
    loop {
        let mut keys = Vec::new();
        cursor = d.scan(cursor, 10, now, |e| keys.push(e.key.to_vec()));
        pages.push((cursor, keys));
        if cursor == 0 || pages.len() > 10_000 {
            return pages;
        }
    }
}

/// Full comparisons every this many steps (named keys in between).
const FULL_EVERY: usize = 16;

fn seen(inst: &Instance, db: usize, key: &[u8]) -> Option<Seen> {
    inst.store.db(db).unwrap().peek_entry(key, |e| {
        e.map(|e| Seen {
            kind: e.value.kind().name(),
            encoding: normal_encoding(e.value.encoding()),
            value: canonical(&e.value),
            expire_at: e.expire_at,
        })
    })
}

/// DBSIZE of database `db` on both sides.
fn same_dbsize(pair: &Pair, db: usize) -> Result<(), String> {
    let (p, r) = (pair.primary.store.db(db).unwrap(), pair.replica.store.db(db).unwrap());
    if p.len() != r.len() {
        return Err(format!(
            "db{db}: DBSIZE {} on the primary, {} on the replica",
            p.len(),
            r.len()
        ));
    }
    Ok(())
}

/// DBSIZE of every database, and the keys among `named` (any argument of
/// a step's commands and ops, in the database it ran in).
fn compare_keys(pair: &Pair, named: &[(usize, &[u8])]) -> Result<(), String> {
    for db in 0..DBS {
        same_dbsize(pair, db)?;
    }
    for &(db, key) in named {
        if db >= DBS {
            continue;
        }
        let (a, b) = (seen(&pair.primary, db, key), seen(&pair.replica, db, key));
        if a != b {
            return Err(format!(
                "db{db} key {}: primary {:?}\n  replica {:?}",
                String::from_utf8_lossy(key),
                a,
                b
            ));
        }
    }
    Ok(())
}

/// INCRBYFLOAT stores its result as text (embstr) and replicates as `SET
/// key result KEEPTTL`, which encodes an integral result as an int: Redis's
/// replicas differ the same way; the value (DUMP) is the same.
fn normal_encoding(e: &'static str) -> &'static str {
    match e {
        "int" => "embstr",
        other => other,
    }
}

/// Compares both stores; the first difference, described.
fn compare(pair: &Pair, now: u64) -> Result<(), String> {
    for db in 0..DBS {
        same_dbsize(pair, db)?;
        let (a, b) = (snapshot(&pair.primary, db), snapshot(&pair.replica, db));
        if a != b {
            let mut msg = format!("db{db} differs:");
            for (k, v) in &a {
                match b.get(k) {
                    None => write!(msg, "\n  {} only on the primary", String::from_utf8_lossy(k)).unwrap(),
                    Some(w) if w != v => write!(
                        msg,
                        "\n  {}: primary {}/{} exp {} {:?}\n     replica {}/{} exp {} {:?}",
                        String::from_utf8_lossy(k),
                        v.kind,
                        v.encoding,
                        v.expire_at,
                        String::from_utf8_lossy(&v.value),
                        w.kind,
                        w.encoding,
                        w.expire_at,
                        String::from_utf8_lossy(&w.value)
                    )
                    .unwrap(),
                    Some(_) => {}
                }
            }
            for k in b.keys().filter(|k| !a.contains_key(*k)) {
                write!(msg, "\n  {} only on the replica", String::from_utf8_lossy(k)).unwrap();
            }
            return Err(msg);
        }
        if SHARED_SEED && scan_all(&pair.primary, db, now) != scan_all(&pair.replica, db, now) {
            return Err(format!("db{db}: SCAN sequences differ"));
        }
    }
    Ok(())
}

/// The random command generator: small key spaces per type so that
/// commands meet each other's keys (and other types: WRONGTYPE is fine).
struct Gen<'r> {
    rng: &'r mut SmallRng,
    now: u64,
}

impl Gen<'_> {
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.rng.random_range(0..xs.len())]
    }
    fn n(&mut self, lo: i64, hi: i64) -> String {
        self.rng.random_range(lo..=hi).to_string()
    }
    fn key(&mut self, prefix: &str) -> String {
        // Now and then any key at all: commands meet other types.
        if self.rng.random_ratio(1, 12) {
            let p = self.pick(&["s", "h", "l", "t", "z", "x", "hll", "bm", "geo"]);
            return format!("{p}:{}", self.rng.random_range(0..3));
        }
        format!("{prefix}:{}", self.rng.random_range(0..3))
    }
    fn member(&mut self) -> String {
        // Mostly small integers (intsets, listpacks), sometimes long text
        // (hashtable and skiplist encodings).
        match self.rng.random_range(0..10) {
            0 => format!("long-member-{}-{}", self.rng.random_range(0..20), "x".repeat(70)),
            1..=4 => self.n(0, 30),
            _ => format!("m{}", self.rng.random_range(0..40)),
        }
    }
    fn members(&mut self, max: usize) -> Vec<String> {
        let n = self.rng.random_range(1..=max);
        (0..n).map(|_| self.member()).collect()
    }
    fn ttl_opt(&mut self) -> Vec<String> {
        match self.rng.random_range(0..8) {
            0 => vec!["EX".into(), self.n(1, 4)],
            1 => vec!["PX".into(), self.n(1, 3000)],
            2 => vec![
                "EXAT".into(),
                ((self.now / 1000) as i64 + self.rng.random_range(-2..4))
                    .max(1)
                    .to_string(),
            ],
            3 => vec![
                "PXAT".into(),
                (self.now as i64 + self.rng.random_range(-500..3000)).to_string(),
            ],
            4 => vec!["KEEPTTL".into()],
            _ => vec![],
        }
    }

    fn string_cmd(&mut self) -> Vec<String> {
        let k = self.key("s");
        let v = self.member();
        let mut c: Vec<String> = match self.rng.random_range(0..17) {
            0..=2 => {
                let mut c = vec!["SET".into(), k, v];
                c.extend(self.ttl_opt());
                if self.rng.random_ratio(1, 4) {
                    c.push(self.pick(&["NX", "XX"]).into());
                }
                if self.rng.random_ratio(1, 4) {
                    c.push("GET".into());
                }
                c
            }
            3 => vec!["SETEX".into(), k, self.n(1, 4), v],
            4 => vec!["PSETEX".into(), k, self.n(1, 3000), v],
            5 => {
                let mut c = vec!["GETEX".into(), k];
                match self.rng.random_range(0..6) {
                    0 => c.extend(["EX".into(), self.n(1, 4)]),
                    1 => c.extend(["PX".into(), self.n(1, 3000)]),
                    2 => c.extend([
                        "EXAT".into(),
                        ((self.now / 1000) as i64 + self.rng.random_range(-2..4)).to_string(),
                    ]),
                    3 => c.extend([
                        "PXAT".into(),
                        (self.now as i64 + self.rng.random_range(-500..3000)).to_string(),
                    ]),
                    4 => c.push("PERSIST".into()),
                    _ => {}
                }
                c
            }
            6 => vec!["GETDEL".into(), k],
            7 => vec!["INCR".into(), k],
            8 => vec!["INCRBY".into(), k, self.n(-5, 5)],
            9 => vec![
                "INCRBYFLOAT".into(),
                k,
                self.pick(&["1.5", "0.1", "-2", "3", "1e3"]).into(),
            ],
            10 => vec!["APPEND".into(), k, v],
            11 => vec!["SETRANGE".into(), k, self.n(0, 10), v],
            12 => vec!["MSET".into(), k, v, self.key("s"), self.member()],
            13 => vec!["MSETNX".into(), k, v, self.key("s"), self.member()],
            14 => vec!["GETSET".into(), k, v],
            15 => vec!["SETNX".into(), k, v],
            _ => vec!["DECR".into(), k],
        };
        c.shrink_to_fit();
        c
    }

    fn key_cmd(&mut self) -> Vec<String> {
        let p = self.pick(&["s", "h", "l", "t", "z", "x", "hll", "bm", "geo"]);
        let k = self.key(p);
        let k2 = self.key(p);
        match self.rng.random_range(0..16) {
            0 => vec!["DEL".into(), k, k2],
            1 => vec!["UNLINK".into(), k],
            2 => {
                let mut c = vec!["EXPIRE".into(), k, self.n(-1, 4)];
                if self.rng.random_ratio(1, 3) {
                    c.push(self.pick(&["NX", "XX", "GT", "LT"]).into());
                }
                c
            }
            3 => vec!["PEXPIRE".into(), k, self.n(1, 4000)],
            4 => vec![
                "EXPIREAT".into(),
                k,
                ((self.now / 1000) as i64 + self.rng.random_range(-3..5)).to_string(),
            ],
            5 => vec![
                "PEXPIREAT".into(),
                k,
                (self.now as i64 + self.rng.random_range(-1000..4000)).to_string(),
            ],
            6 => vec!["PERSIST".into(), k],
            7 => vec!["RENAME".into(), k, k2],
            8 => vec!["RENAMENX".into(), k, k2],
            9 => {
                let mut c = vec!["COPY".into(), k, k2];
                if self.rng.random_ratio(1, 2) {
                    c.extend(["DB".into(), self.n(0, DBS as i64 - 1)]);
                }
                if self.rng.random_ratio(1, 2) {
                    c.push("REPLACE".into());
                }
                c
            }
            10 => vec!["MOVE".into(), k, self.n(0, DBS as i64 - 1)],
            11 => {
                let kind = self.pick(&["l", "t", "z"]);
                let src = self.key(kind);
                let mut c = vec!["SORT".into(), src];
                if self.rng.random_ratio(1, 2) {
                    c.push("ALPHA".into());
                }
                c.extend(["STORE".into(), self.key("l")]);
                c
            }
            12 => vec!["TOUCH".into(), k],
            13 => vec!["EXISTS".into(), k],
            14 => vec!["RANDOMKEY".into()],
            _ => vec!["TYPE".into(), k],
        }
    }

    fn hash_cmd(&mut self) -> Vec<String> {
        let k = self.key("h");
        let f = format!("f{}", self.rng.random_range(0..6));
        let fields = |g: &mut Self| {
            let n = g.rng.random_range(1..=3);
            let mut c = vec!["FIELDS".to_string(), n.to_string()];
            for _ in 0..n {
                c.push(format!("f{}", g.rng.random_range(0..6)));
            }
            c
        };
        match self.rng.random_range(0..15) {
            0..=2 => {
                let mut c = vec!["HSET".into(), k];
                for _ in 0..self.rng.random_range(1..4) {
                    c.push(format!("f{}", self.rng.random_range(0..6)));
                    c.push(self.member());
                }
                c
            }
            3 => vec!["HSETNX".into(), k, f, self.member()],
            4 => vec!["HDEL".into(), k, f],
            5 => vec!["HINCRBY".into(), k, f, self.n(-3, 3)],
            6 => vec![
                "HINCRBYFLOAT".into(),
                k,
                f,
                self.pick(&["0.5", "1.25", "-3", "2"]).into(),
            ],
            7 => {
                let mut c = vec!["HEXPIRE".into(), k, self.n(1, 3)];
                c.extend(fields(self));
                c
            }
            8 => {
                let mut c = vec!["HPEXPIRE".into(), k, self.n(1, 3000)];
                c.extend(fields(self));
                c
            }
            9 => {
                let mut c = vec![
                    "HEXPIREAT".into(),
                    k,
                    ((self.now / 1000) as i64 + self.rng.random_range(-2..4)).to_string(),
                ];
                c.extend(fields(self));
                c
            }
            10 => {
                let mut c = vec![
                    "HPEXPIREAT".into(),
                    k,
                    (self.now as i64 + self.rng.random_range(-500..3000)).to_string(),
                ];
                c.extend(fields(self));
                c
            }
            11 => {
                let mut c = vec!["HPERSIST".into(), k];
                c.extend(fields(self));
                c
            }
            12 => vec!["HGET".into(), k, f],
            13 => vec!["HRANDFIELD".into(), k, self.n(-3, 3)],
            _ => vec!["HGETALL".into(), k],
        }
    }

    fn list_cmd(&mut self) -> Vec<String> {
        let k = self.key("l");
        let side = |g: &mut Self| g.pick(&["LEFT", "RIGHT"]).to_string();
        match self.rng.random_range(0..14) {
            0..=2 => {
                let mut c = vec![self.pick(&["LPUSH", "RPUSH"]).into(), k];
                c.extend(self.members(4));
                c
            }
            3 => vec!["LPOP".into(), k],
            4 => vec!["RPOP".into(), k, self.n(1, 3)],
            5 => vec!["LMOVE".into(), k, self.key("l"), side(self), side(self)],
            6 => vec!["RPOPLPUSH".into(), k, self.key("l")],
            7 => vec!["LSET".into(), k, self.n(-2, 2), self.member()],
            8 => vec![
                "LINSERT".into(),
                k,
                self.pick(&["BEFORE", "AFTER"]).into(),
                self.member(),
                self.member(),
            ],
            9 => vec!["LREM".into(), k, self.n(-2, 2), self.member()],
            10 => vec!["LTRIM".into(), k, self.n(0, 2), self.n(-3, 5)],
            11 => vec!["LPUSHX".into(), k, self.member()],
            12 => vec![
                "LMPOP".into(),
                "2".into(),
                k,
                self.key("l"),
                side(self),
                "COUNT".into(),
                self.n(1, 3),
            ],
            _ => vec!["LRANGE".into(), k, "0".into(), "-1".into()],
        }
    }

    fn set_cmd(&mut self) -> Vec<String> {
        let k = self.key("t");
        match self.rng.random_range(0..11) {
            0..=2 => {
                let mut c = vec!["SADD".into(), k];
                c.extend(self.members(5));
                c
            }
            3 => vec!["SREM".into(), k, self.member()],
            4 => vec!["SPOP".into(), k],
            5 => vec!["SPOP".into(), k, self.n(0, 4)],
            6 => vec!["SRANDMEMBER".into(), k, self.n(-3, 3)],
            7 => vec!["SMOVE".into(), k, self.key("t"), self.member()],
            8 => vec!["SINTERSTORE".into(), self.key("t"), k, self.key("t")],
            9 => vec!["SUNIONSTORE".into(), self.key("t"), k, self.key("t")],
            _ => vec!["SDIFFSTORE".into(), self.key("t"), k, self.key("t")],
        }
    }

    fn zset_cmd(&mut self) -> Vec<String> {
        let k = self.key("z");
        match self.rng.random_range(0..14) {
            0..=2 => {
                let mut c = vec!["ZADD".into(), k];
                if self.rng.random_ratio(1, 4) {
                    c.push(self.pick(&["NX", "XX", "GT", "LT"]).into());
                }
                for _ in 0..self.rng.random_range(1..4) {
                    c.push(self.pick(&["1", "2.5", "-1", "0", "7", "1e2"]).into());
                    c.push(self.member());
                }
                c
            }
            3 => {
                if self.rng.random_ratio(1, 2) {
                    vec![
                        "ZINCRBY".into(),
                        k,
                        self.pick(&["1", "0.5", "-2"]).into(),
                        self.member(),
                    ]
                } else {
                    let mut c = vec!["ZADD".into(), k];
                    if self.rng.random_ratio(1, 2) {
                        c.push(self.pick(&["NX", "XX", "GT", "LT"]).into());
                    }
                    c.extend(["INCR".into(), self.pick(&["1", "0.5", "-2"]).into(), self.member()]);
                    c
                }
            }
            4 => vec!["ZREM".into(), k, self.member()],
            5 => vec![self.pick(&["ZPOPMIN", "ZPOPMAX"]).into(), k],
            6 => vec![self.pick(&["ZPOPMIN", "ZPOPMAX"]).into(), k, self.n(1, 3)],
            7 => vec!["ZRANGESTORE".into(), self.key("z"), k, "0".into(), self.n(-1, 3)],
            8 => vec!["ZUNIONSTORE".into(), self.key("z"), "2".into(), k, self.key("z")],
            9 => vec![
                "ZINTERSTORE".into(),
                self.key("z"),
                "2".into(),
                k,
                self.key("z"),
                "AGGREGATE".into(),
                "MAX".into(),
            ],
            10 => vec!["ZREMRANGEBYSCORE".into(), k, "-inf".into(), self.n(-1, 3)],
            11 => vec![
                "ZMPOP".into(),
                "2".into(),
                k,
                self.key("z"),
                self.pick(&["MIN", "MAX"]).into(),
                "COUNT".into(),
                self.n(1, 3),
            ],
            12 => vec!["ZRANDMEMBER".into(), k, self.n(-2, 3)],
            _ => vec!["ZDIFFSTORE".into(), self.key("z"), "2".into(), k, self.key("z")],
        }
    }

    fn stream_cmd(&mut self) -> Vec<String> {
        let k = self.key("x");
        let g = format!("g{}", self.rng.random_range(0..2));
        let c = format!("c{}", self.rng.random_range(0..3));
        match self.rng.random_range(0..16) {
            0..=3 => {
                let mut a = vec!["XADD".into(), k];
                if self.rng.random_ratio(1, 8) {
                    a.push("NOMKSTREAM".into());
                }
                if self.rng.random_ratio(1, 3) {
                    let approx = self.rng.random_ratio(1, 2);
                    a.extend(["MAXLEN".into(), if approx { "~" } else { "=" }.into(), self.n(0, 8)]);
                    if approx && self.rng.random_ratio(1, 2) {
                        a.extend(["LIMIT".into(), self.n(0, 5)]);
                    }
                }
                let id = match self.rng.random_range(0..4) {
                    0 => format!("{}-*", self.now),
                    1 => format!("{}-{}", self.now + 5, self.rng.random_range(0..3)),
                    _ => "*".into(),
                };
                a.push(id);
                a.extend(["f".into(), self.member()]);
                a
            }
            4 => {
                let maxlen = self.rng.random_ratio(1, 2);
                let mut a = vec![
                    "XTRIM".into(),
                    k,
                    if maxlen { "MAXLEN" } else { "MINID" }.into(),
                    self.pick(&["~", "="]).into(),
                    if maxlen {
                        self.n(0, 6)
                    } else {
                        format!("{}", self.now - 50)
                    },
                ];
                if a[3] == "~" && self.rng.random_ratio(1, 2) {
                    a.extend(["LIMIT".into(), self.n(0, 3)]);
                }
                a
            }
            5 => vec![
                "XDEL".into(),
                k,
                format!("{}-0", self.now - self.rng.random_range(0..100)),
            ],
            6 => vec![
                "XGROUP".into(),
                "CREATE".into(),
                k,
                g,
                self.pick(&["$", "0"]).into(),
                "MKSTREAM".into(),
            ],
            7 => vec!["XGROUP".into(), "CREATECONSUMER".into(), k, g, c],
            8 => vec!["XGROUP".into(), "DELCONSUMER".into(), k, g, c],
            9 => vec!["XGROUP".into(), "SETID".into(), k, g, self.pick(&["$", "0"]).into()],
            10..=11 => {
                let mut a = vec!["XREADGROUP".into(), "GROUP".into(), g, c, "COUNT".into(), self.n(1, 3)];
                if self.rng.random_ratio(1, 3) {
                    a.push("NOACK".into());
                }
                a.extend(["STREAMS".into(), k, self.pick(&[">", ">", "0"]).into()]);
                a
            }
            12 => vec![
                "XACK".into(),
                k,
                g,
                format!("{}-0", self.now - self.rng.random_range(0..200)),
            ],
            13 => {
                let mut a = vec![
                    "XCLAIM".into(),
                    k,
                    g,
                    c,
                    self.n(0, 100),
                    format!("{}-0", self.now - self.rng.random_range(0..200)),
                ];
                match self.rng.random_range(0..5) {
                    0 => a.extend(["IDLE".into(), self.n(0, 500)]),
                    1 => a.extend(["TIME".into(), (self.now - self.rng.random_range(0..500)).to_string()]),
                    2 => a.extend(["RETRYCOUNT".into(), self.n(0, 5)]),
                    _ => {}
                }
                if self.rng.random_ratio(1, 3) {
                    a.push("FORCE".into());
                }
                if self.rng.random_ratio(1, 3) {
                    a.push("JUSTID".into());
                }
                if self.rng.random_ratio(1, 4) {
                    a.extend(["LASTID".into(), format!("{}-0", self.now)]);
                }
                a
            }
            14 => vec![
                "XAUTOCLAIM".into(),
                k,
                g,
                c,
                self.n(0, 100),
                "0-0".into(),
                "COUNT".into(),
                self.n(1, 3),
            ],
            _ => vec!["XSETID".into(), k, format!("{}-0", self.now + 10)],
        }
    }

    fn other_cmd(&mut self) -> Vec<String> {
        match self.rng.random_range(0..12) {
            0 | 1 => {
                let mut c = vec!["PFADD".into(), self.key("hll")];
                c.extend(self.members(4));
                c
            }
            2 => vec!["PFMERGE".into(), self.key("hll"), self.key("hll"), self.key("hll")],
            3 => vec!["PFCOUNT".into(), self.key("hll"), self.key("hll")],
            4 => vec!["SETBIT".into(), self.key("bm"), self.n(0, 40), self.n(0, 1)],
            5 => vec![
                "BITOP".into(),
                self.pick(&["AND", "OR", "XOR"]).into(),
                self.key("bm"),
                self.key("bm"),
                self.key("bm"),
            ],
            6 => vec![
                "BITFIELD".into(),
                self.key("bm"),
                "INCRBY".into(),
                "u8".into(),
                self.n(0, 16),
                self.n(-3, 3),
            ],
            7 | 8 => vec![
                "GEOADD".into(),
                self.key("geo"),
                format!("{}.{}", self.rng.random_range(-10..10), self.rng.random_range(0..99)),
                format!("{}.{}", self.rng.random_range(-10..10), self.rng.random_range(0..99)),
                self.member(),
            ],
            9 if self.rng.random_ratio(1, 2) => vec![
                "GEORADIUS".into(),
                self.key("geo"),
                "1".into(),
                "1".into(),
                "1500".into(),
                "km".into(),
                self.pick(&["STORE", "STOREDIST"]).into(),
                self.key("geo"),
            ],
            9 => vec![
                "GEOSEARCHSTORE".into(),
                self.key("geo"),
                self.key("geo"),
                "FROMLONLAT".into(),
                "0".into(),
                "0".into(),
                "BYRADIUS".into(),
                "2000".into(),
                "km".into(),
                "ASC".into(),
            ],
            10 => vec!["SWAPDB".into(), self.n(0, DBS as i64 - 1), self.n(0, DBS as i64 - 1)],
            _ if self.rng.random_ratio(1, 5) => vec!["FLUSHALL".into()],
            _ => vec!["FLUSHDB".into()],
        }
    }

    /// A blocking command, served at once or parked.
    fn blocking_cmd(&mut self) -> Vec<String> {
        match self.rng.random_range(0..9) {
            0 => vec!["BLPOP".into(), self.key("l"), self.key("l"), "0".into()],
            1 => vec!["BRPOP".into(), self.key("l"), "0".into()],
            2 => vec![
                "BLMOVE".into(),
                self.key("l"),
                self.key("l"),
                self.pick(&["LEFT", "RIGHT"]).into(),
                self.pick(&["LEFT", "RIGHT"]).into(),
                "0".into(),
            ],
            3 => vec!["BRPOPLPUSH".into(), self.key("l"), self.key("l"), "0".into()],
            4 => vec![
                "BLMPOP".into(),
                "0".into(),
                "2".into(),
                self.key("l"),
                self.key("l"),
                self.pick(&["LEFT", "RIGHT"]).into(),
                "COUNT".into(),
                self.n(1, 3),
            ],
            5 => vec![
                self.pick(&["BZPOPMIN", "BZPOPMAX"]).into(),
                self.key("z"),
                self.key("z"),
                "0".into(),
            ],
            6 => vec![
                "BZMPOP".into(),
                "0".into(),
                "2".into(),
                self.key("z"),
                self.key("z"),
                self.pick(&["MIN", "MAX"]).into(),
                "COUNT".into(),
                self.n(1, 3),
            ],
            _ => vec![
                "XREADGROUP".into(),
                "GROUP".into(),
                format!("g{}", self.rng.random_range(0..2)),
                format!("c{}", self.rng.random_range(0..3)),
                "COUNT".into(),
                self.n(1, 2),
                "BLOCK".into(),
                "0".into(),
                "STREAMS".into(),
                self.key("x"),
                self.key("x"),
                ">".into(),
                ">".into(),
            ],
        }
    }

    fn command(&mut self) -> Vec<String> {
        match self.rng.random_range(0..100) {
            0..=13 => self.string_cmd(),
            14..=25 => self.key_cmd(),
            26..=37 => self.hash_cmd(),
            38..=49 => self.list_cmd(),
            50..=59 => self.set_cmd(),
            60..=71 => self.zset_cmd(),
            72..=85 => self.stream_cmd(),
            _ => self.other_cmd(),
        }
    }
}

/// One run: `steps` random steps from `seed`; panics with the seed and the
/// step on the first divergence.
fn replay(seed: u64, steps: usize) {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut pair = Pair::new(4);
    let mut now = T0;
    let mut log: Vec<String> = Vec::new();
    // SHOAL_REPLAY_FULL=1 compares everything after every step (to find
    // the exact step of a divergence the sampled comparison caught late).
    let full_every = std::env::var("SHOAL_REPLAY_FULL")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(FULL_EVERY)
        .max(1);
    for step in 0..steps {
        // The clock: mostly small steps, now and then past a few TTLs.
        now += match rng.random_range(0..20) {
            0 => rng.random_range(1000..4000),
            1..=5 => 0,
            _ => rng.random_range(1..60),
        };
        let seed_cmd: u64 = rng.random();
        let free: Vec<usize> = (1..pair.clients.len()).filter(|&c| pair.parked[c].is_none()).collect();
        let mut gen = Gen { rng: &mut rng, now };
        let what = gen.rng.random_range(0..100);
        let argvs: Vec<(usize, Vec<Bytes>)> = match what {
            0..=2 => {
                pair.expire(now);
                log.push(format!("step {step} @{now}: active expiry"));
                Vec::new()
            }
            3..=5 => {
                // A transaction of a few commands.
                let n = gen.rng.random_range(1..=4);
                let mut v = vec![(0, bytes(&["MULTI"]))];
                for _ in 0..n {
                    let c = gen.command();
                    v.push((0, c.iter().map(|s| Bytes::from(s.clone())).collect()));
                }
                v.push((0, bytes(&["EXEC"])));
                v
            }
            6..=9 if !free.is_empty() => {
                let c = free[gen.rng.random_range(0..free.len())];
                let argv = gen.blocking_cmd();
                vec![(c, argv.into_iter().map(Bytes::from).collect())]
            }
            10 => {
                let db = gen.rng.random_range(0..DBS).to_string();
                vec![(0, bytes(&["SELECT", &db]))]
            }
            12 => {
                // DUMP a key, RESTORE it under another name with a TTL.
                let kind = gen.pick(&["s", "h", "l", "t", "z", "x", "hll"]);
                let (src, dst) = (gen.key(kind), gen.key(kind));
                let ttl = match gen.rng.random_range(0..3) {
                    0 => "0".to_string(),
                    1 => gen.n(1, 3000),
                    _ => (now + gen.rng.random_range(0..3000)).to_string(),
                };
                let absttl = ttl.len() > 10;
                let exec = Exec { now_ms: now, seed: 0 };
                let (dumped, _) = run_as_client(&pair.primary, &mut pair.clients[0], &bytes(&["DUMP", &src]), exec);
                // `$<len>\r\n<payload>\r\n`, or a null for a missing key.
                match dumped.iter().position(|&b| b == b'\n') {
                    Some(nl) if dumped[0] == b'$' && dumped[1] != b'-' => {
                        let payload = Bytes::copy_from_slice(&dumped[nl + 1..dumped.len() - 2]);
                        let mut argv = bytes(&["RESTORE", &dst, &ttl]);
                        argv.push(payload);
                        argv.push(Bytes::from_static(b"REPLACE"));
                        if absttl {
                            argv.push(Bytes::from_static(b"ABSTTL"));
                        }
                        vec![(0, argv)]
                    }
                    _ => Vec::new(),
                }
            }
            11 => {
                // A parked client gives up (its timeout).
                if let Some(c) = (1..pair.parked.len()).find(|&c| pair.parked[c].is_some()) {
                    let id = pair.clients[c].info.id;
                    pair.primary.blocking.cancel(id);
                    pair.parked[c] = None;
                    log.push(format!("step {step}: client {c} stops waiting"));
                }
                Vec::new()
            }
            _ => {
                let argv = gen.command();
                vec![(0, argv.into_iter().map(Bytes::from).collect())]
            }
        };
        for (c, argv) in &argvs {
            let reply = pair.run(*c, argv, now, seed_cmd);
            log.push(format!(
                "step {step} @{now} client {c} db{}: {} -> {}",
                pair.clients[*c].db,
                show(argv),
                String::from_utf8_lossy(&reply).trim_end()
            ));
        }
        for (c, reply) in pair.collect_woken() {
            log.push(format!(
                "  woken client {c}: {}",
                String::from_utf8_lossy(&reply).trim_end()
            ));
        }
        let units = pair.replicate();
        for u in &units {
            log.push(format!("  unit {}: {:?}", u.seq, render(u)));
        }
        // Every step: DBSIZE of every database and every key the step's
        // commands or replicated ops name; every FULL_EVERY steps, all keys.
        let checked = if step % full_every == full_every - 1 {
            compare(&pair, now)
        } else {
            let mut named: Vec<(usize, &[u8])> = Vec::new();
            let db = pair.clients[0].db;
            for (c, argv) in &argvs {
                let db = if *c == 0 { db } else { pair.clients[*c].db };
                named.extend(argv.iter().map(|a| (db, &a[..])));
            }
            for u in &units {
                for op in &u.ops {
                    named.extend(op.argv.iter().map(|a| (op.db, &a[..])));
                }
            }
            compare_keys(&pair, &named)
        };
        if let Err(diff) = checked {
            let tail = log[log.len().saturating_sub(40)..].join("\n");
            panic!("seed {seed}: divergence after step {step}\n{diff}\nlast steps:\n{tail}");
        }
    }
    // Let everything expire on the primary; the replica follows the DELs.
    let end = now + 3_600_000;
    for _ in 0..50 {
        pair.expire(end);
    }
    pair.replicate();
    if let Err(diff) = compare(&pair, end) {
        panic!("seed {seed}: divergence after the final expiry\n{diff}");
    }
    for db in 0..DBS {
        let d = pair.primary.store.db(db).unwrap();
        assert_eq!(d.volatile(), 0, "seed {seed}: db{db} still has keys with a TTL");
    }
}

#[test]
fn replica_applying_the_stream_matches_the_primary_for_random_commands() {
    let seeds: u64 = std::env::var("SHOAL_REPLAY_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let steps: usize = std::env::var("SHOAL_REPLAY_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let first: u64 = std::env::var("SHOAL_REPLAY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    for seed in first..first + seeds {
        replay(seed, steps);
    }
}

fn ops(units: &[Replicated]) -> Vec<Vec<String>> {
    units
        .iter()
        .flat_map(|u| u.ops.iter())
        .map(|op: &ReplOp| {
            op.argv
                .iter()
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect()
        })
        .collect()
}

#[test]
fn follower_hides_expired_keys_until_the_primary_deletes_them() {
    let mut pair = Pair::new(1);
    let t = T0;
    pair.run(0, &bytes(&["SET", "k", "v", "PX", "100"]), t, 1);
    pair.replicate();
    let mut rs = session(&pair.replica);
    let read = |pair: &Pair, rs: &mut Session, argv: &[&str], now: u64| {
        String::from_utf8(run_as_client(&pair.replica, rs, &bytes(argv), Exec { now_ms: now, seed: 0 }).0).unwrap()
    };
    assert_eq!(read(&pair, &mut rs, &["GET", "k"], t + 50), "$1\r\nv\r\n");
    // Past its TTL: invisible to reads on the follower, still stored.
    assert_eq!(read(&pair, &mut rs, &["GET", "k"], t + 200), "$-1\r\n");
    assert_eq!(read(&pair, &mut rs, &["EXISTS", "k"], t + 200), ":0\r\n");
    assert_eq!(read(&pair, &mut rs, &["TTL", "k"], t + 200), ":-2\r\n");
    assert_eq!(pair.replica.store.db(0).unwrap().len(), 1);
    // The follower's own active expiry removes nothing.
    let mut cursor = 0;
    expire_cycle(&pair.replica, t + 200, Duration::from_millis(10), &mut cursor);
    assert_eq!(pair.replica.store.db(0).unwrap().len(), 1);
    // The primary's lazy expiry sends a DEL; then the key is gone.
    pair.run(0, &bytes(&["GET", "k"]), t + 200, 1);
    let units = pair.replicate();
    assert_eq!(ops(&units), [["DEL", "k"]]);
    assert_eq!(pair.replica.store.db(0).unwrap().len(), 0);
}

#[test]
fn exec_replicates_as_one_unit_of_its_commands() {
    let mut pair = Pair::new(1);
    for argv in [
        &["MULTI"][..],
        &["SET", "a", "1"],
        &["GET", "a"],
        &["INCR", "a"],
        &["SADD", "s", "x"],
        &["EXEC"],
    ] {
        pair.run(0, &bytes(argv), T0, 1);
    }
    let units = pair.replicate();
    assert_eq!(units.len(), 1);
    assert_eq!(
        ops(&units),
        [&["SET", "a", "1"][..], &["INCR", "a"], &["SADD", "s", "x"]]
    );
    compare(&pair, T0).unwrap();
}

#[test]
fn nondeterministic_writes_replicate_in_their_deterministic_forms() {
    let mut pair = Pair::new(2);
    let t = T0;
    pair.run(0, &bytes(&["SADD", "s", "a", "b", "c"]), t, 1);
    pair.replicate();
    let reply = pair.run(0, &bytes(&["SPOP", "s"]), t, 7);
    let popped = String::from_utf8(reply).unwrap();
    let member = popped.lines().nth(1).unwrap().to_string();
    assert_eq!(ops(&pair.replicate()), [["SREM", "s", member.as_str()]]);
    pair.run(0, &bytes(&["SPOP", "s", "5"]), t, 7);
    let units = pair.replicate();
    assert_eq!(ops(&units)[0][0], "DEL");

    pair.run(0, &bytes(&["SET", "k", "v", "EX", "10"]), t, 1);
    let at = (t + 10_000).to_string();
    assert_eq!(ops(&pair.replicate()), [["SET", "k", "v", "PXAT", at.as_str()]]);
    pair.run(0, &bytes(&["EXPIRE", "k", "20"]), t, 1);
    let at = (t + 20_000).to_string();
    assert_eq!(ops(&pair.replicate()), [["PEXPIREAT", "k", at.as_str()]]);
    pair.run(0, &bytes(&["INCRBYFLOAT", "f", "1.5"]), t, 1);
    assert_eq!(ops(&pair.replicate()), [["SET", "f", "1.5", "KEEPTTL"]]);

    let at = (t + 5_000).to_string();
    pair.run(0, &bytes(&["GETEX", "k", "PX", "5000"]), t, 1);
    assert_eq!(ops(&pair.replicate()), [["PEXPIREAT", "k", at.as_str()]]);
    pair.run(0, &bytes(&["GETEX", "k", "PERSIST"]), t, 1);
    assert_eq!(ops(&pair.replicate()), [["PERSIST", "k"]]);
    pair.run(0, &bytes(&["GETDEL", "k"]), t, 1);
    assert_eq!(ops(&pair.replicate()), [["DEL", "k"]]);
    pair.run(0, &bytes(&["XADD", "x", "MAXLEN", "~", "5", "*", "f", "v"]), t, 1);
    let id = format!("{t}-0");
    assert_eq!(
        ops(&pair.replicate()),
        [["XADD", "x", "MAXLEN", "=", "1", id.as_str(), "f", "v"]]
    );
    pair.run(0, &bytes(&["ZADD", "z", "1", "a", "2", "b", "3", "c"]), t, 1);
    pair.replicate();
    pair.run(0, &bytes(&["ZMPOP", "2", "nope", "z", "MIN", "COUNT", "2"]), t, 1);
    assert_eq!(ops(&pair.replicate()), [["ZPOPMIN", "z", "2"]]);
    pair.run(0, &bytes(&["HSET", "h", "f", "1"]), t, 1);
    pair.replicate();
    pair.run(0, &bytes(&["HEXPIRE", "h", "3", "FIELDS", "1", "f"]), t, 1);
    let at = (t + 3_000).to_string();
    assert_eq!(
        ops(&pair.replicate()),
        [["HPEXPIREAT", "h", at.as_str(), "FIELDS", "1", "f"]]
    );
    compare(&pair, t).unwrap();

    // A blocked BLPOP served by another client's push.
    let reply = pair.run(1, &bytes(&["BLPOP", "q", "0"]), t, 1);
    assert!(reply.is_empty(), "BLPOP on an empty list must park");
    assert!(pair.parked[1].is_some());
    pair.run(0, &bytes(&["RPUSH", "q", "x", "y"]), t + 5, 1);
    let woken = pair.collect_woken();
    assert_eq!(woken, [(1, b"*2\r\n$1\r\nq\r\n$1\r\nx\r\n".to_vec())]);
    let units = pair.replicate();
    assert_eq!(ops(&units), [&["RPUSH", "q", "x", "y"][..], &["LPOP", "q"]]);
    assert!(pair.parked[1].is_none());
    compare(&pair, t + 5).unwrap();
}

#[test]
fn expired_hash_fields_are_hidden_on_the_follower_until_the_primary_sends_hdel() {
    let mut pair = Pair::new(1);
    let t = T0;
    pair.run(0, &bytes(&["HSET", "h", "a", "1", "b", "2"]), t, 1);
    pair.run(0, &bytes(&["HPEXPIRE", "h", "100", "FIELDS", "1", "a"]), t, 1);
    let at = (t + 100).to_string();
    assert_eq!(
        ops(&pair.replicate()),
        [
            &["HSET", "h", "a", "1", "b", "2"][..],
            &["HPEXPIREAT", "h", at.as_str(), "FIELDS", "1", "a"]
        ]
    );
    let mut rs = session(&pair.replica);
    let mut read = |argv: &[&str], now: u64| {
        let exec = Exec { now_ms: now, seed: 0 };
        String::from_utf8(run_as_client(&pair.replica, &mut rs, &bytes(argv), exec).0).unwrap()
    };
    assert_eq!(read(&["HGET", "h", "a"], t + 50), "$1\r\n1\r\n");
    assert_eq!(read(&["HGET", "h", "a"], t + 200), "$-1\r\n");
    assert_eq!(read(&["HLEN", "h"], t + 200), ":1\r\n");
    let stored = |pair: &Pair| {
        pair.replica
            .store
            .db(0)
            .unwrap()
            .peek_entry(b"h", |e| match e.map(|e| &e.value) {
                Some(Value::Hash(h)) => h.len(),
                _ => 0,
            })
    };
    assert_eq!(stored(&pair), 2);
    // The primary's active expiry removes the field and replicates it.
    pair.expire(t + 200);
    assert_eq!(ops(&pair.replicate()), [["HDEL", "h", "a"]]);
    assert_eq!(stored(&pair), 1);
    compare(&pair, t + 200).unwrap();
}

/// The reads whose answers depend on the randomness or the hash layout.
fn random_read(g: &mut Gen<'_>) -> Vec<String> {
    let n = g.n(-5, 5);
    match g.rng.random_range(0..9) {
        0 => vec!["SRANDMEMBER".into(), g.key("t"), n],
        1 => vec!["HRANDFIELD".into(), g.key("h"), n, "WITHVALUES".into()],
        2 => vec!["ZRANDMEMBER".into(), g.key("z"), n, "WITHSCORES".into()],
        3 => vec!["RANDOMKEY".into()],
        4 => vec!["SCAN".into(), g.n(0, 64), "COUNT".into(), g.n(1, 20)],
        5 => vec!["SINTERCARD".into(), "2".into(), g.key("t"), g.key("t")],
        6 => vec!["SPOP".into(), g.key("t"), g.n(1, 3)],
        7 => vec!["XADD".into(), g.key("x"), "*".into(), "f".into(), g.member()],
        _ => vec!["SSCAN".into(), g.key("t"), "0".into(), "COUNT".into(), g.n(1, 20)],
    }
}

/// What the Raft path relies on: two stores of one dataset seed that run
/// the same client commands with the same (time, seed) give the same
/// replies byte for byte (random picks, SCAN cursors, generated stream ids
/// included) and reach the same state.
#[test]
fn stores_of_one_dataset_seed_answer_the_same_commands_identically() {
    for seed in 0..20u64 {
        let mut rng = SmallRng::seed_from_u64(seed);
        let dataset = rng.random();
        let (a, b) = (instance(Some(dataset)), instance(Some(dataset)));
        let (mut sa, mut sb) = (session(&a), session(&b));
        let mut now = T0;
        for step in 0..1500 {
            now += rng.random_range(0..50);
            let cmd_seed = rng.random();
            let argv = {
                let mut g = Gen { rng: &mut rng, now };
                if g.rng.random_ratio(1, 3) {
                    random_read(&mut g)
                } else {
                    g.command()
                }
            };
            let argv = bytes(&argv.iter().map(String::as_str).collect::<Vec<_>>());
            let exec = Exec {
                now_ms: now,
                seed: cmd_seed,
            };
            let (ra, _) = run_as_client(&a, &mut sa, &argv, exec);
            let (rb, _) = run_as_client(&b, &mut sb, &argv, exec);
            assert_eq!(
                String::from_utf8_lossy(&ra),
                String::from_utf8_lossy(&rb),
                "seed {seed} step {step}: {}",
                show(&argv)
            );
        }
        for db in 0..DBS {
            let (ka, kb) = (snapshot(&a, db), snapshot(&b, db));
            assert!(ka == kb, "seed {seed}: db {db} differs");
            assert_eq!(
                scan_all(&a, db, now),
                scan_all(&b, db, now),
                "seed {seed}: SCAN order in db {db}"
            );
        }
    }
}
