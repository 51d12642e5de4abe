//! The backing engine: rules, the database, the journal, the write-behind
//! queue, read-through loads (single-flight, negative cache) and
//! write-through commits.
//!
//! Invariants:
//! - sequences (record versions) increase across restarts: they start above
//!   both every journal record and `now_ms << 10`, so a version written
//!   before a restart is always below one written after it;
//! - the queue holds, in sequence order, every journal record the database
//!   has not committed; `latest` holds the newest queued record per key, so
//!   a read-through never loads a row older than what the cache last wrote;
//! - records are appended under the queue lock, which also allocates their
//!   sequence, so queue order = journal order = sequence order.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hashbrown::HashMap;
use parking_lot::Mutex;
use tokio::sync::{Notify, OnceCell};

use super::journal::{self, Fsync, Journal};
use super::{BackingError, BackingStore, Batch, Image, Op, Record, Row, Rules, WriteMode};
use crate::config::Config;
use crate::store::{Change, Effect, Entry, Store, Value};

/// The backing configuration (Redis-style parameters `backing-*`,
/// `write-behind-*`, with `dir` for the journal).
#[derive(Debug, Clone)]
pub struct Settings {
    /// `backing-url`.
    pub url: String,
    /// `backing-rule`, parsed.
    pub rules: Rules,
    /// `write-behind-delay-ms`: how long a record may wait to be batched.
    pub delay_ms: u64,
    /// `write-behind-batch-size`: records per database transaction.
    pub batch_size: usize,
    /// `write-behind-max-pending`: past it, writes are refused.
    pub max_pending: usize,
    /// `backing-retry-initial-ms`: the first backoff after a failure.
    pub retry_initial_ms: u64,
    /// `backing-retry-max-ms`: the backoff's cap.
    pub retry_max_ms: u64,
    /// `backing-timeout-ms`: the longest a client waits on the database.
    pub timeout_ms: u64,
    /// `backing-delete-on-expire`.
    pub delete_on_expire: bool,
    /// `backing-delete-on-evict`.
    pub delete_on_evict: bool,
    /// `backing-negative-cache-ms`: how long a key absent from the
    /// database is remembered as absent (0 = never).
    pub negative_ms: u64,
    /// `backing-appendfsync`.
    pub fsync: Fsync,
    /// `backing-pool-size` (PostgreSQL connections).
    pub pool: usize,
}

impl Settings {
    /// Reads the settings from the configuration; `None` when no
    /// `backing-rule` is set (the backing layer is then off entirely).
    pub fn from_config(c: &Config) -> Result<Option<Settings>, String> {
        let rules_text = c.get("backing-rule");
        let rules = Rules::parse(rules_text.split(';'))?;
        if rules.is_empty() {
            return Ok(None);
        }
        let mut url = c.get("backing-url");
        if url.is_empty() {
            // The embedded default: a SQLite file beside the journal.
            let dir = c.get("dir");
            let dir = if dir.is_empty() { ".".to_string() } else { dir };
            let abs = std::fs::canonicalize(&dir)
                .map_err(|e| format!("dir '{dir}': {e}"))?
                .join("shoal-backing.db");
            url = format!("sqlite://{}", abs.display());
        }
        let n = |name: &str| c.get_i64(name).max(0) as u64;
        Ok(Some(Settings {
            url,
            rules,
            delay_ms: n("write-behind-delay-ms"),
            batch_size: n("write-behind-batch-size").max(1) as usize,
            max_pending: n("write-behind-max-pending") as usize,
            retry_initial_ms: n("backing-retry-initial-ms").max(1),
            retry_max_ms: n("backing-retry-max-ms").max(1),
            timeout_ms: n("backing-timeout-ms").max(1),
            delete_on_expire: c.get_bool("backing-delete-on-expire"),
            delete_on_evict: c.get_bool("backing-delete-on-evict"),
            negative_ms: n("backing-negative-cache-ms"),
            fsync: Fsync::parse(&c.get("backing-appendfsync")).unwrap_or(Fsync::EverySec),
            pool: n("backing-pool-size").max(1) as usize,
        }))
    }
}

/// Counters for `INFO backing` and `/metrics`.
#[derive(Debug, Default)]
pub struct Stats {
    /// Batches committed by the writer.
    pub batches: AtomicU64,
    /// Records committed by the writer (after coalescing).
    pub written: AtomicU64,
    /// Records dropped by coalescing (a later write to the same key).
    pub coalesced: AtomicU64,
    /// Retries after a failed batch.
    pub retries: AtomicU64,
    /// Failed database calls (batches, loads, write-through commits).
    pub failures: AtomicU64,
    /// Read-through loads that found a row.
    pub rt_hits: AtomicU64,
    /// Read-through loads that found nothing.
    pub rt_misses: AtomicU64,
    /// Read-through database loads made (single-flight shares one).
    pub rt_loads: AtomicU64,
    /// Read-through answers from the negative cache.
    pub rt_negative: AtomicU64,
    /// Write-through commits.
    pub wt_commits: AtomicU64,
    /// Write-through commits that failed (the write was undone).
    pub wt_failures: AtomicU64,
    /// Writes refused by `write-behind-max-pending`.
    pub backpressure: AtomicU64,
    /// Database calls and their total latency (µs), for the average.
    pub db_calls: AtomicU64,
    pub db_us: AtomicU64,
    /// The latest database call's latency (µs).
    pub db_last_us: AtomicU64,
    /// The last database error, for `INFO`.
    pub last_error: Mutex<String>,
}

#[derive(Default)]
pub(super) struct Queue {
    /// Records not yet committed, in sequence order, with when they were queued.
    pub(super) records: VecDeque<(Arc<Record>, Instant)>,
    /// The newest queued record per (table, key).
    /// (Keyed by the key alone: one rule, so one table, decides for a key.)
    pub(super) latest: HashMap<Bytes, Arc<Record>>,
}

type Loaded = Result<Option<Row>, BackingError>;

/// Where a write-through commit's outcome goes.
type Outcome = tokio::sync::oneshot::Sender<Result<(), BackingError>>;

/// Write-through commits waiting for the committer.
#[derive(Default)]
struct Group {
    waiting: Vec<(Vec<Record>, Outcome)>,
    running: bool,
}
/// Loads in flight, by (table, key): later callers await the first's.
type Inflight = HashMap<(String, Bytes), Arc<OnceCell<Loaded>>>;

/// The engine.
pub struct Backing {
    /// The settings in force.
    pub settings: Settings,
    /// The database.
    pub store: Box<dyn BackingStore>,
    /// The journal.
    pub journal: Arc<Journal>,
    pub(super) queue: Mutex<Queue>,
    /// Woken when a record is queued.
    pub(super) queued: Notify,
    seq: AtomicU64,
    /// Whether the tables are known to exist.
    prepared: std::sync::atomic::AtomicBool,
    /// Write-through commits gathering for the next transaction.
    group: Mutex<Group>,
    /// One creator at a time.
    preparing: tokio::sync::Mutex<()>,
    inflight: Mutex<Inflight>,
    negative: Mutex<HashMap<Bytes, Instant>>,
    locks: Mutex<HashMap<Bytes, Arc<tokio::sync::Mutex<()>>>>,
    /// Counters.
    pub stats: Stats,
}

/// What the running command's write-through keys are: the effects
/// listener leaves them to the caller, which commits them itself.
enum Scope {
    None,
    /// Every write (a read-through fill, an undo).
    All,
    /// These keys (a write-through command).
    Keys(Vec<Bytes>),
}

thread_local! {
    // Commands run synchronously on the thread that called them, so the
    // listener (called from the command's fan-out) sees its caller's scope.
    static SCOPE: RefCell<Scope> = const { RefCell::new(Scope::None) };
}

/// Runs `f` with the effects listener ignoring writes to `keys` (`None`:
/// every write): the caller takes care of them.
pub fn in_scope<R>(keys: Option<Vec<Bytes>>, f: impl FnOnce() -> R) -> R {
    SCOPE.with(|s| *s.borrow_mut() = keys.map_or(Scope::All, Scope::Keys));
    let r = f();
    SCOPE.with(|s| *s.borrow_mut() = Scope::None);
    r
}

fn scoped(key: &[u8]) -> bool {
    SCOPE.with(|s| match &*s.borrow() {
        Scope::None => false,
        Scope::All => true,
        Scope::Keys(k) => k.iter().any(|k| k[..] == *key),
    })
}

/// What a key holds now, as a row image (`None`: it does not exist).
pub fn image_of(entry: &Entry) -> Image {
    match &entry.value {
        Value::Str(s) => Image {
            kind: "string".into(),
            value: s.with_bytes(|b| b.to_vec()),
            expire_at: entry.expire_at,
        },
        v => Image {
            kind: v.kind().name().into(),
            value: crate::store::codec::encode(v),
            expire_at: entry.expire_at,
        },
    }
}

/// The `RESTORE` payload that recreates `image`'s value.
pub fn payload_of(image: &Image) -> Vec<u8> {
    if image.kind == "string" {
        crate::store::codec::encode(&Value::Str(crate::store::Str::from_slice(&image.value)))
    } else {
        image.value.clone()
    }
}

impl std::fmt::Debug for Backing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Backing({}, {} rules)",
            self.store.kind(),
            self.settings.rules.all().len()
        )
    }
}

impl Backing {
    /// Opens the database and the journal (replaying what it holds).
    pub fn open(settings: Settings, dir: &Path) -> Result<Arc<Backing>, BackingError> {
        let store = super::open(&settings.url, settings.pool)?;
        Backing::open_with(settings, store, dir)
    }

    /// Like [`Backing::open`], with the database given.
    pub fn open_with(
        settings: Settings,
        store: Box<dyn BackingStore>,
        dir: &Path,
    ) -> Result<Arc<Backing>, BackingError> {
        let (journal, replay) = Journal::open(dir, settings.fsync)?;
        let last = replay.iter().map(|r| r.seq).max().unwrap_or(0);
        let start = (last + 1).max(super::now_ms() << 10);
        let mut queue = Queue::default();
        let now = Instant::now();
        for r in replay {
            let r = Arc::new(r);
            queue.latest.insert(Bytes::copy_from_slice(&r.key), r.clone());
            queue.records.push_back((r, now));
        }
        if !queue.records.is_empty() {
            tracing::info!(
                "backing journal: {} records to replay into the database",
                queue.records.len()
            );
        }
        Ok(Arc::new(Backing {
            settings,
            store,
            journal,
            queue: Mutex::new(queue),
            queued: Notify::new(),
            seq: AtomicU64::new(start),
            prepared: Default::default(),
            preparing: Default::default(),
            group: Mutex::default(),
            inflight: Mutex::default(),
            negative: Mutex::default(),
            locks: Mutex::default(),
            stats: Stats::default(),
        }))
    }

    /// Records not yet committed to the database.
    pub fn pending(&self) -> usize {
        self.queue.lock().records.len()
    }

    /// Age of the oldest pending record.
    pub fn oldest_pending(&self) -> Duration {
        self.queue
            .lock()
            .records
            .front()
            .map_or(Duration::ZERO, |(_, at)| at.elapsed())
    }

    /// Whether `write-behind-max-pending` is reached.
    pub fn over_limit(&self) -> bool {
        self.settings.max_pending > 0 && self.pending() >= self.settings.max_pending
    }

    /// The next sequence (row version).
    fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    /// Queues and journals one record; returns its sequence.
    fn append(&self, table: &str, key: &[u8], op: Op, now_ms: u64) -> u64 {
        let mut q = self.queue.lock();
        let rec = Arc::new(Record {
            seq: self.next_seq(),
            table: table.to_string(),
            key: key.to_vec(),
            op,
            at_ms: now_ms,
        });
        let mut frame = Vec::with_capacity(32 + key.len());
        journal::encode(&rec, &mut frame);
        self.journal.push(&frame, rec.seq);
        let seq = rec.seq;
        q.latest.insert(Bytes::copy_from_slice(key), rec.clone());
        q.records.push_back((rec, Instant::now()));
        drop(q);
        self.queued.notify_one();
        seq
    }

    /// Journals `image` (or a deletion) for `key`, for the writer to carry
    /// to the database; returns its sequence.
    pub fn journal_image(&self, table: &str, key: &[u8], image: Option<Image>) -> u64 {
        self.append(table, key, image.map_or(Op::Delete, Op::Upsert), super::now_ms())
    }

    /// The effects listener: journals write-behind changes (and deletions
    /// on expiry and eviction, where configured), forgets negative-cache
    /// entries of written keys. Returns the highest sequence appended (the
    /// caller acknowledges once it is durable), 0 if none.
    pub fn on_effects(&self, store: &Store, effects: &[Effect]) -> u64 {
        let mut hold = 0;
        let now = super::now_ms();
        for (i, e) in effects.iter().enumerate() {
            if e.db != 0 || e.key.is_empty() {
                continue;
            }
            let Some((_, rule)) = self.settings.rules.find(0, &e.key) else {
                continue;
            };
            if rule.read_through && self.settings.negative_ms > 0 && !e.change.is_removal() {
                self.negative.lock().remove(&e.key);
            }
            if rule.write == WriteMode::None {
                continue;
            }
            let write = match e.change {
                Change::Written(_) | Change::Touched | Change::Noted(_) | Change::Deleted(_) => {
                    if scoped(&e.key) {
                        continue;
                    }
                    // One record per key and command: its state after the command.
                    if effects[i + 1..]
                        .iter()
                        .any(|later| later.db == 0 && later.key == e.key && !matches!(later.change, Change::Ready))
                    {
                        continue;
                    }
                    true
                }
                Change::Expired if self.settings.delete_on_expire => false,
                Change::Evicted if self.settings.delete_on_evict => false,
                _ => continue,
            };
            let Some(db) = store.db(0) else { continue };
            // The value is read, and the record's sequence taken, under the
            // key's shard lock: a later write to the key (by a command
            // running beside this one) gets a later record, so the last
            // record per key always holds the key's last state, without
            // holding every other command back while this one is fanned out.
            let seq = db.peek_entry(&e.key, |entry| match entry {
                Some(entry) if write => Some(self.append(&rule.table, &e.key, Op::Upsert(image_of(entry)), now)),
                // Re-created since it expired or was evicted: the
                // re-creating write's record covers it.
                Some(_) => None,
                None => Some(self.append(&rule.table, &e.key, Op::Delete, now)),
            });
            hold = hold.max(seq.unwrap_or(0));
        }
        hold
    }

    /// Read-through: what the database (or the newest queued record) holds
    /// for `key` under `table`. Concurrent loads of one key share one
    /// database call; a key known absent is answered from the negative
    /// cache. A row whose expiry passed is absent.
    pub async fn load(&self, table: &str, key: &Bytes, now_ms: u64) -> Result<Option<Image>, BackingError> {
        let queued = self
            .queue
            .lock()
            .latest
            .get(&key[..])
            .filter(|r| r.table == table)
            .map(|r| r.op.clone());
        if let Some(op) = queued {
            return Ok(match op {
                Op::Upsert(img) if img.expire_at == 0 || img.expire_at > now_ms => Some(img),
                _ => None,
            });
        }
        if self.settings.negative_ms > 0 {
            let mut neg = self.negative.lock();
            if let Some(until) = neg.get(key) {
                if *until > Instant::now() {
                    self.stats.rt_negative.fetch_add(1, Ordering::Relaxed);
                    return Ok(None);
                }
                neg.remove(key);
            }
        }
        let slot = (table.to_string(), key.clone());
        let cell = self.inflight.lock().entry(slot.clone()).or_default().clone();
        let loaded = cell
            .get_or_init(|| async {
                self.stats.rt_loads.fetch_add(1, Ordering::Relaxed);
                self.ensure_prepared().await?;
                self.timed(self.store.load(table, key)).await
            })
            .await
            .clone();
        {
            let mut inflight = self.inflight.lock();
            if inflight.get(&slot).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                inflight.remove(&slot);
            }
        }
        let row = loaded?;
        let image = row
            .map(|r| r.image)
            .filter(|i| i.expire_at == 0 || i.expire_at > now_ms);
        if image.is_some() {
            self.stats.rt_hits.fetch_add(1, Ordering::Relaxed);
        } else {
            self.stats.rt_misses.fetch_add(1, Ordering::Relaxed);
            if self.settings.negative_ms > 0 {
                let mut neg = self.negative.lock();
                if neg.len() >= 100_000 {
                    neg.clear();
                }
                neg.insert(
                    key.clone(),
                    Instant::now() + Duration::from_millis(self.settings.negative_ms),
                );
            }
        }
        Ok(image)
    }

    /// Write-through: commits `changes` ((table, key, new image or
    /// deletion)) in one transaction, now. On success the rows carry fresh
    /// versions above any queued record of those keys.
    pub async fn commit_now(
        self: &Arc<Self>,
        changes: Vec<(String, Bytes, Option<Image>)>,
    ) -> Result<(), BackingError> {
        let now = super::now_ms();
        let records: Vec<Record> = changes
            .into_iter()
            .map(|(table, key, img)| Record {
                seq: self.next_seq(),
                table,
                key: key.to_vec(),
                op: img.map_or(Op::Delete, Op::Upsert),
                at_ms: now,
            })
            .collect();
        let slots: Vec<(String, Bytes, u64)> = records
            .iter()
            .map(|r| (r.table.clone(), Bytes::copy_from_slice(&r.key), r.seq))
            .collect();
        // Group commit: concurrent write-through commands share one
        // transaction (and one fsync). The first to find no committer
        // running starts one; it commits whatever has gathered until none is
        // left. All members of a group get the group's outcome.
        let (tx, rx) = tokio::sync::oneshot::channel();
        let start = {
            let mut g = self.group.lock();
            g.waiting.push((records, tx));
            !std::mem::replace(&mut g.running, true)
        };
        if start {
            tokio::spawn(self.clone().commit_groups());
        }
        let wait = Duration::from_millis(self.settings.timeout_ms.saturating_mul(2));
        let r = match tokio::time::timeout(wait, rx).await {
            Ok(Ok(r)) => r,
            Ok(Err(_)) => Err(BackingError::Db("the write-through committer stopped".into())),
            Err(_) => Err(BackingError::Timeout(self.settings.timeout_ms)),
        };
        match &r {
            Ok(()) => {
                self.stats.wt_commits.fetch_add(1, Ordering::Relaxed);
                // A queued older record of these keys no longer tells a
                // read-through what the database holds.
                let mut q = self.queue.lock();
                for (_, key, seq) in slots {
                    if q.latest.get(&key[..]).is_some_and(|r| r.seq < seq) {
                        q.latest.remove(&key[..]);
                    }
                }
            }
            Err(_) => {
                self.stats.wt_failures.fetch_add(1, Ordering::Relaxed);
            }
        }
        r
    }

    /// The write-through committer: commits the gathered groups until none
    /// is waiting.
    async fn commit_groups(self: Arc<Self>) {
        loop {
            let group = {
                let mut g = self.group.lock();
                if g.waiting.is_empty() {
                    g.running = false;
                    return;
                }
                std::mem::take(&mut g.waiting)
            };
            let records: Vec<Record> = group.iter().flat_map(|(r, _)| r.iter().cloned()).collect();
            let r = match self.ensure_prepared().await {
                Ok(()) => self.timed(self.store.write(Batch { records, cursor: None })).await,
                Err(e) => Err(e),
            };
            for (_, tx) in group {
                let _ = tx.send(r.clone());
            }
        }
    }

    /// Creates the rules' tables once (the first call that finds the
    /// database up does it; later calls cost nothing).
    pub async fn ensure_prepared(&self) -> Result<(), BackingError> {
        if self.prepared.load(Ordering::Acquire) {
            return Ok(());
        }
        let _one = self.preparing.lock().await;
        if self.prepared.load(Ordering::Acquire) {
            return Ok(());
        }
        let tables = self.settings.rules.tables();
        self.timed(self.store.prepare(&tables)).await?;
        self.prepared.store(true, Ordering::Release);
        Ok(())
    }

    /// Runs a database call with the timeout, counting its latency and
    /// failure.
    pub(super) async fn timed<T>(
        &self,
        f: impl std::future::Future<Output = Result<T, BackingError>>,
    ) -> Result<T, BackingError> {
        let started = Instant::now();
        let r = match tokio::time::timeout(Duration::from_millis(self.settings.timeout_ms), f).await {
            Ok(r) => r,
            Err(_) => Err(BackingError::Timeout(self.settings.timeout_ms)),
        };
        let us = started.elapsed().as_micros() as u64;
        self.stats.db_calls.fetch_add(1, Ordering::Relaxed);
        self.stats.db_us.fetch_add(us, Ordering::Relaxed);
        self.stats.db_last_us.store(us, Ordering::Relaxed);
        metrics::histogram!(crate::metrics::BACKING_DB_SECONDS).record(us as f64 / 1e6);
        if let Err(e) = &r {
            self.stats.failures.fetch_add(1, Ordering::Relaxed);
            metrics::counter!(crate::metrics::BACKING_FAILURES).increment(1);
            *self.stats.last_error.lock() = e.to_string();
        }
        r
    }

    /// Locks `keys` (sorted, deduplicated) against other write-through
    /// commands, so that a command's undo can never clobber another's write.
    pub async fn lock_keys(&self, keys: &[Bytes]) -> Vec<tokio::sync::OwnedMutexGuard<()>> {
        let mut sorted: Vec<&Bytes> = keys.iter().collect();
        sorted.sort();
        sorted.dedup();
        let mutexes: Vec<Arc<tokio::sync::Mutex<()>>> = {
            let mut locks = self.locks.lock();
            if locks.len() > 10_000 {
                locks.retain(|_, m| Arc::strong_count(m) > 1);
            }
            sorted
                .iter()
                .map(|k| locks.entry((*k).clone()).or_default().clone())
                .collect()
        };
        let mut guards = Vec::with_capacity(mutexes.len());
        for m in mutexes {
            guards.push(m.lock_owned().await);
        }
        guards
    }

    /// The `INFO backing` section's fields.
    pub fn info_fields(&self) -> Vec<(&'static str, String)> {
        let s = &self.stats;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed).to_string();
        let calls = s.db_calls.load(Ordering::Relaxed);
        let avg = s.db_us.load(Ordering::Relaxed).checked_div(calls).unwrap_or(0);
        let modes = |m: WriteMode| self.settings.rules.all().iter().filter(|r| r.write == m).count();
        vec![
            ("backing_kind", self.store.kind().to_string()),
            ("backing_rules", self.settings.rules.all().len().to_string()),
            ("backing_write_through_rules", modes(WriteMode::Through).to_string()),
            ("backing_write_behind_rules", modes(WriteMode::Behind).to_string()),
            ("backing_pending", self.pending().to_string()),
            (
                "backing_oldest_pending_ms",
                self.oldest_pending().as_millis().to_string(),
            ),
            ("backing_journal_bytes", self.journal.file_size().to_string()),
            ("backing_batches", get(&s.batches)),
            ("backing_written", get(&s.written)),
            ("backing_coalesced", get(&s.coalesced)),
            ("backing_retries", get(&s.retries)),
            ("backing_failures", get(&s.failures)),
            ("backing_backpressure_refusals", get(&s.backpressure)),
            ("backing_read_through_hits", get(&s.rt_hits)),
            ("backing_read_through_misses", get(&s.rt_misses)),
            ("backing_read_through_loads", get(&s.rt_loads)),
            ("backing_read_through_negative_hits", get(&s.rt_negative)),
            ("backing_write_through_commits", get(&s.wt_commits)),
            ("backing_write_through_failures", get(&s.wt_failures)),
            ("backing_db_calls", calls.to_string()),
            ("backing_db_latency_avg_us", avg.to_string()),
            ("backing_db_latency_last_us", get(&s.db_last_us)),
            ("backing_last_error", s.last_error.lock().replace(['\r', '\n'], " ")),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backing::DbFuture;

    /// A database that answers loads slowly and counts them.
    struct Slow {
        loads: AtomicU64,
    }

    impl BackingStore for Slow {
        fn prepare<'a>(&'a self, _tables: &'a [String]) -> DbFuture<'a, ()> {
            Box::pin(async { Ok(()) })
        }
        fn load<'a>(&'a self, _table: &'a str, key: &'a [u8]) -> DbFuture<'a, Option<Row>> {
            self.loads.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(200)).await;
                Ok(Some(Row {
                    image: Image {
                        kind: "string".into(),
                        value: key.to_vec(),
                        expire_at: 0,
                    },
                    version: 1,
                }))
            })
        }
        fn write(&self, _batch: Batch) -> DbFuture<'_, ()> {
            Box::pin(async { Ok(()) })
        }
        fn cursor(&self) -> DbFuture<'_, u64> {
            Box::pin(async { Ok(0) })
        }
        fn kind(&self) -> &'static str {
            "slow"
        }
    }

    fn settings() -> Settings {
        let c = Config::new();
        c.set_initial("backing-rule", "k:* t read-through,write-behind")
            .unwrap();
        c.set_initial("backing-url", "sqlite:///unused").unwrap();
        Settings::from_config(&c).unwrap().unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_misses_on_one_key_make_one_load() {
        let dir = std::env::temp_dir().join(format!("shoal-sf-{}", std::process::id()));
        let store = Box::new(Slow {
            loads: AtomicU64::new(0),
        });
        let b = Backing::open_with(settings(), store, &dir).unwrap();
        let key = Bytes::from_static(b"k:1");
        let waiters: Vec<_> = (0..50)
            .map(|_| {
                let (b, key) = (b.clone(), key.clone());
                tokio::spawn(async move { b.load("t", &key, 1).await })
            })
            .collect();
        for w in waiters {
            let img = w.await.unwrap().unwrap().unwrap();
            assert_eq!(img.value, b"k:1");
        }
        assert_eq!(b.stats.rt_loads.load(Ordering::SeqCst), 1);
        // Another key is another load.
        b.load("t", &Bytes::from_static(b"k:2"), 1).await.unwrap();
        assert_eq!(b.stats.rt_loads.load(Ordering::SeqCst), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_queued_write_answers_read_through_before_the_database() {
        let dir = std::env::temp_dir().join(format!("shoal-q-{}", std::process::id()));
        let store = Box::new(Slow {
            loads: AtomicU64::new(0),
        });
        let b = Backing::open_with(settings(), store, &dir).unwrap();
        let img = Image {
            kind: "string".into(),
            value: b"queued".to_vec(),
            expire_at: 0,
        };
        b.journal_image("t", b"k:1", Some(img.clone()));
        assert_eq!(b.load("t", &Bytes::from_static(b"k:1"), 1).await.unwrap(), Some(img));
        b.journal_image("t", b"k:1", None);
        assert_eq!(b.load("t", &Bytes::from_static(b"k:1"), 1).await.unwrap(), None);
        assert_eq!(b.stats.rt_loads.load(Ordering::SeqCst), 0);
        assert_eq!(b.pending(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
