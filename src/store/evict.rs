//! `maxmemory` eviction: the policies, the per-entry access clock (LRU
//! seconds or an LFU counter) and Redis's approximated algorithm (a pool of
//! the best candidates fed by random samples, as `evict.c`).
//!
//! The entry's 24-bit `access` field is Redis's `lru` field: under an LRU
//! (or no) policy it holds the LRU clock in seconds; under an LFU policy the
//! low 8 bits are a logarithmic access counter and the 16 bits above them
//! the time of its last decrement in minutes. Nothing else is stored per key.
//!
//! One eviction round samples `maxmemory-samples` keys from consecutive
//! segments of one random shard among those holding candidates (Redis
//! samples each database; a shard is our unit of locking), offers them to
//! the pool (the 16 best, kept between runs as Redis keeps its static
//! pool), and evicts the best. The random policies pick a random key of a
//! random such shard instead.
//!
//! Determinism: eviction is a node decision, never replayed (replicas
//! apply the resulting `DEL`s). The samples are drawn from state seeded by
//! the caller, and the LFU counter's probabilistic increments from
//! per-shard state that starts alike everywhere (so replicas applying the
//! same reads count alike); what is not seeded is the wall clock behind
//! the time budget and behind refreshing the list of shards holding keys. The
//! [`Evictor`] only picks keys; removing them, and recording the `Evicted`
//! effects, is [`super::Db::evict`]'s job, run by the node's eviction
//! cycle (`commands::call::evict_cycle`).

use std::time::{Duration, Instant};

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::db::{lru_clock, SHARDS};
use super::effects::Effects;
use super::shard::Entry;
use super::Store;

/// The counter a new key starts with under an LFU policy (so it is not
/// evicted before it had a chance to be read).
pub const LFU_INIT_VAL: u8 = 5;

/// Candidates kept between eviction rounds (Redis's `EVPOOL_SIZE`).
pub const POOL_SIZE: usize = 16;

/// The 24-bit LRU clock's wrap-around point.
const LRU_CLOCK_MAX: u32 = 0xFF_FFFF;

/// A `maxmemory-policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Refuse writes over the limit.
    NoEviction,
    /// Least recently used of all keys.
    AllkeysLru,
    /// Least frequently used of all keys.
    AllkeysLfu,
    /// Any key.
    AllkeysRandom,
    /// Least recently used of the keys with a TTL.
    VolatileLru,
    /// Least frequently used of the keys with a TTL.
    VolatileLfu,
    /// Any key with a TTL.
    VolatileRandom,
    /// The key with a TTL that expires soonest.
    VolatileTtl,
}

impl Policy {
    /// The policy named `name` (`CONFIG`'s spelling); `None` if unknown.
    pub fn parse(name: &str) -> Option<Policy> {
        Some(match name {
            "noeviction" => Policy::NoEviction,
            "allkeys-lru" => Policy::AllkeysLru,
            "allkeys-lfu" => Policy::AllkeysLfu,
            "allkeys-random" => Policy::AllkeysRandom,
            "volatile-lru" => Policy::VolatileLru,
            "volatile-lfu" => Policy::VolatileLfu,
            "volatile-random" => Policy::VolatileRandom,
            "volatile-ttl" => Policy::VolatileTtl,
            _ => return None,
        })
    }

    /// Whether the policy ranks keys by access frequency.
    pub fn is_lfu(self) -> bool {
        matches!(self, Policy::AllkeysLfu | Policy::VolatileLfu)
    }

    /// Whether only keys with a TTL may be evicted.
    pub fn volatile_only(self) -> bool {
        matches!(
            self,
            Policy::VolatileLru | Policy::VolatileLfu | Policy::VolatileRandom | Policy::VolatileTtl
        )
    }

    fn is_random(self) -> bool {
        matches!(self, Policy::AllkeysRandom | Policy::VolatileRandom)
    }
}

/// How an access updates the entry's clock: the LRU clock, or (with
/// `lfu`) the LFU counter with `lfu-log-factor` and `lfu-decay-time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccessMode {
    /// An LFU policy is selected.
    pub lfu: bool,
    /// `lfu-log-factor`.
    pub log_factor: u32,
    /// `lfu-decay-time` (minutes per counter decrement; 0 = never).
    pub decay_time: u32,
}

impl AccessMode {
    /// Packed into one word (to live in an atomic).
    pub fn pack(self) -> u64 {
        u64::from(self.lfu) << 63 | u64::from(self.log_factor) << 32 | u64::from(self.decay_time)
    }

    /// The inverse of [`AccessMode::pack`].
    pub fn unpack(w: u64) -> AccessMode {
        AccessMode {
            lfu: w >> 63 != 0,
            log_factor: ((w >> 32) & 0x7FFF_FFFF) as u32,
            decay_time: (w & 0xFFFF_FFFF) as u32,
        }
    }
}

/// The LFU clock: minutes, 16 bits (Redis's `LFUGetTimeInMinutes`).
pub fn lfu_minutes(now_ms: u64) -> u16 {
    ((now_ms / 60_000) & 0xFFFF) as u16
}

/// Minutes since `ldt` on the wrapping 16-bit clock.
fn lfu_elapsed(ldt: u16, now_min: u16) -> u32 {
    if now_min >= ldt {
        u32::from(now_min - ldt)
    } else {
        65_535 - u32::from(ldt) + u32::from(now_min)
    }
}

/// The entry's LFU counter after the decay owed since its last update
/// (Redis's `LFUDecrAndReturn`); does not store it.
pub fn lfu_decayed(access: u32, now_min: u16, decay_time: u32) -> u8 {
    let ldt = ((access >> 8) & 0xFFFF) as u16;
    let counter = (access & 0xFF) as u8;
    // A decay time of 0 never decays.
    let periods = lfu_elapsed(ldt, now_min).checked_div(decay_time).unwrap_or(0);
    if periods >= u32::from(counter) {
        0
    } else {
        counter - periods as u8
    }
}

/// One logarithmic increment (Redis's `LFULogIncr`): the higher the
/// counter, the less likely; `r` is a uniform random number.
pub fn lfu_log_incr(counter: u8, log_factor: u32, r: u64) -> u8 {
    if counter == 255 {
        return 255;
    }
    let base = f64::from(counter.saturating_sub(LFU_INIT_VAL));
    let p = 1.0 / (base * f64::from(log_factor) + 1.0);
    // 53 random bits as a fraction in [0, 1).
    let x = (r >> 11) as f64 / (1u64 << 53) as f64;
    if x < p {
        counter + 1
    } else {
        counter
    }
}

/// What an access does to an entry's clock at one moment.
#[derive(Debug, Clone, Copy)]
pub struct Touch {
    clock: u32,
    minutes: u16,
    mode: AccessMode,
}

impl Touch {
    /// The access at `now_ms` under `mode`.
    pub fn new(now_ms: u64, mode: AccessMode) -> Touch {
        Touch {
            clock: lru_clock(now_ms),
            minutes: lfu_minutes(now_ms),
            mode,
        }
    }

    /// The same access mode at `now_ms`.
    pub fn at(&self, now_ms: u64) -> Touch {
        Touch::new(now_ms, self.mode)
    }

    /// The clock field a key created now starts with.
    pub fn initial(&self) -> u32 {
        if self.mode.lfu {
            u32::from(self.minutes) << 8 | u32::from(LFU_INIT_VAL)
        } else {
            self.clock
        }
    }

    /// Whether the counter moves with randomness (an LFU policy).
    pub fn is_lfu(&self) -> bool {
        self.mode.lfu
    }

    /// The clock field after an access to an entry whose field was `old`;
    /// `r` is a random number (used under LFU only).
    pub fn apply(&self, old: u32, r: u64) -> u32 {
        if !self.mode.lfu {
            return self.clock;
        }
        let counter = lfu_decayed(old, self.minutes, self.mode.decay_time);
        let counter = lfu_log_incr(counter, self.mode.log_factor, r);
        u32::from(self.minutes) << 8 | u32::from(counter)
    }
}

/// Seconds since `access` on the wrapping 24-bit LRU clock (Redis's
/// `estimateObjectIdleTime`, in seconds).
pub fn idle_seconds(access: u32, now_ms: u64) -> u64 {
    let clock = lru_clock(now_ms);
    let access = access & LRU_CLOCK_MAX;
    if clock >= access {
        u64::from(clock - access)
    } else {
        u64::from(clock) + u64::from(LRU_CLOCK_MAX - access)
    }
}

/// How good a candidate `e` is under `policy` (higher = evict first), as
/// Redis's pool ranks them: idle milliseconds, 255 minus the decayed LFU
/// counter, or the inverse of the expiry time.
pub fn score(e: &Entry, policy: Policy, now_ms: u64, decay_time: u32) -> u64 {
    match policy {
        Policy::AllkeysLfu | Policy::VolatileLfu => {
            255 - u64::from(lfu_decayed(e.access, lfu_minutes(now_ms), decay_time))
        }
        Policy::VolatileTtl => u64::MAX - e.expire_at,
        _ => idle_seconds(e.access, now_ms) * 1000,
    }
}

/// Eviction settings for one run of [`Evictor::evict`].
#[derive(Debug, Clone, Copy)]
pub struct EvictParams {
    /// `maxmemory-policy`.
    pub policy: Policy,
    /// `maxmemory-samples`.
    pub samples: usize,
    /// `lfu-decay-time`.
    pub decay_time: u32,
    /// How long one run may take (from `maxmemory-eviction-tenacity`);
    /// `None` = until done.
    pub time_limit: Option<Duration>,
    /// `lazyfree-lazy-eviction`: large values are handed back to be freed
    /// off the hot path instead of in the run.
    pub lazy_free: bool,
}

/// Values at least this large (bytes, as `used_memory` counts them) are
/// freed off the hot path under `lazyfree-lazy-eviction` (Redis's
/// threshold is 64 allocations; a value this size has at least that many
/// or one big buffer).
pub const LAZYFREE_BYTES: usize = 64 * 1024;

/// The time one eviction run may take at `tenacity` (0..=100), as Redis's
/// `evictionTimeLimitUs`: 50 µs a step up to 10 (500 µs), then 15 % more a
/// step, and no limit at 100.
pub fn time_limit(tenacity: i64) -> Option<Duration> {
    let t = tenacity.clamp(0, 100);
    if t <= 10 {
        Some(Duration::from_micros(50 * t as u64))
    } else if t < 100 {
        Some(Duration::from_micros((500.0 * 1.15f64.powi(t as i32 - 10)) as u64))
    } else {
        None
    }
}

/// How an eviction run ended (Redis's `EVICT_OK`, `EVICT_RUNNING`,
/// `EVICT_FAIL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Enough was freed (or nothing had to be).
    Ok,
    /// The time limit came first; the next run continues.
    Running,
    /// Nothing (more) can be evicted and memory is still over the limit.
    Fail,
}

/// One pooled candidate.
#[derive(Debug, Clone)]
struct Candidate {
    score: u64,
    db: usize,
    key: Box<[u8]>,
}

/// The node's eviction state: the candidate pool (kept between runs, as
/// Redis's static pool is), the shards known to hold keys, and the cursor
/// of the random policies.
#[derive(Debug)]
pub struct Evictor {
    /// Ascending by score: the best candidate is last.
    pool: Vec<Candidate>,
    /// (database, shard) pairs that held candidates at the last refresh.
    targets: Vec<(usize, usize)>,
    /// When `targets` was refreshed, and for which key class.
    targets_at: Option<(Instant, bool)>,
    /// The policy the pool was filled under (scores of another do not compare).
    pool_policy: Option<Policy>,
    rng: SmallRng,
}

impl Default for Evictor {
    fn default() -> Self {
        Evictor::new(0)
    }
}

/// How long the list of shards holding keys is trusted.
const TARGETS_TTL: Duration = Duration::from_millis(100);

impl Evictor {
    /// An empty evictor whose random choices start from `seed`.
    pub fn new(seed: u64) -> Self {
        Evictor {
            pool: Vec::with_capacity(POOL_SIZE + 1),
            targets: Vec::new(),
            targets_at: None,
            pool_policy: None,
            rng: SmallRng::seed_from_u64(seed),
        }
    }

    /// Mixes `seed` into the random state (each run's caller supplies one).
    pub fn reseed(&mut self, seed: u64) {
        let mixed = self.rng.random::<u64>() ^ seed;
        self.rng = SmallRng::seed_from_u64(mixed);
    }

    /// Number of pooled candidates.
    pub fn pool_len(&self) -> usize {
        self.pool.len()
    }

    /// Offers a candidate to the pool: kept if the pool has room or it
    /// beats the worst one; a key already pooled is rescored.
    fn offer(&mut self, score: u64, db: usize, key: &[u8]) {
        if let Some(i) = self.pool.iter().position(|c| c.db == db && &*c.key == key) {
            self.pool.remove(i);
        } else if self.pool.len() >= POOL_SIZE && self.pool.first().is_some_and(|c| score <= c.score) {
            return;
        }
        let at = self.pool.partition_point(|c| c.score < score);
        self.pool.insert(
            at,
            Candidate {
                score,
                db,
                key: key.into(),
            },
        );
        if self.pool.len() > POOL_SIZE {
            self.pool.remove(0);
        }
    }

    fn refresh_targets(&mut self, store: &Store, volatile: bool) {
        let fresh = self
            .targets_at
            .is_some_and(|(at, v)| v == volatile && at.elapsed() < TARGETS_TTL && !self.targets.is_empty());
        if fresh {
            return;
        }
        self.targets.clear();
        for db in store.dbs() {
            for s in 0..SHARDS {
                if db.shard_has_candidates(s, volatile) {
                    self.targets.push((db.index, s));
                }
            }
        }
        self.targets_at = Some((Instant::now(), volatile));
    }

    /// Picks the next key to evict: `(db, key)`, or `None` when nothing
    /// can be evicted.
    fn pick(&mut self, store: &Store, p: &EvictParams, now_ms: u64) -> Option<(usize, Box<[u8]>)> {
        let volatile = p.policy.volatile_only();
        if self.pool_policy != Some(p.policy) {
            self.pool.clear();
            self.pool_policy = Some(p.policy);
        }
        // Bounded: each failed try drops a stale target or candidate.
        for _ in 0..64 {
            self.refresh_targets(store, volatile);
            if self.targets.is_empty() {
                return None;
            }
            let t = self.rng.random_range(0..self.targets.len());
            let (dbi, shard) = self.targets[t];
            let db = store.db(dbi)?;
            if p.policy.is_random() {
                match db.random_candidate(shard, volatile, self.rng.random(), self.rng.random()) {
                    Some(key) => return Some((dbi, key)),
                    None => {
                        self.targets.swap_remove(t);
                        continue;
                    }
                }
            }
            let mut sampled: Vec<(u64, Box<[u8]>)> = Vec::with_capacity(p.samples);
            let start = self.rng.random();
            db.sample(shard, start, p.samples, volatile, |e| {
                sampled.push((score(e, p.policy, now_ms, p.decay_time), Box::from(&*e.key)));
            });
            if sampled.is_empty() {
                self.targets.swap_remove(t);
            }
            for (score, key) in sampled {
                self.offer(score, dbi, &key);
            }
            if let Some(best) = self.pool.pop() {
                return Some((best.db, best.key));
            }
        }
        None
    }

    /// Evicts keys under `p` until `to_free` bytes went, nothing more can
    /// go, or the time limit passed; each removal is recorded in `fx` as
    /// `Evicted`. Under `p.lazy_free` the entries of large values are put
    /// in `garbage` for the caller to free elsewhere; the rest are freed
    /// here. Returns the outcome and the bytes freed.
    pub fn evict(
        &mut self,
        store: &Store,
        p: &EvictParams,
        now_ms: u64,
        to_free: u64,
        fx: &mut Effects,
        garbage: &mut Vec<Entry>,
    ) -> (Outcome, u64) {
        if to_free == 0 {
            return (Outcome::Ok, 0);
        }
        if p.policy == Policy::NoEviction {
            return (Outcome::Fail, 0);
        }
        let start = Instant::now();
        let mut freed = 0u64;
        let mut keys = 0usize;
        // A pooled key that is gone (or lost its TTL) costs a try, not a stop.
        let mut misses = 0usize;
        while freed < to_free {
            let Some((dbi, key)) = self.pick(store, p, now_ms) else {
                return (Outcome::Fail, freed);
            };
            let Some(db) = store.db(dbi) else {
                return (Outcome::Fail, freed);
            };
            match db.evict(&key, p.policy.volatile_only(), fx) {
                Some(entry) => {
                    let bytes = entry.mem_size();
                    freed += bytes as u64;
                    keys += 1;
                    if p.lazy_free && bytes >= LAZYFREE_BYTES {
                        garbage.push(entry);
                    }
                }
                None => {
                    misses += 1;
                    if misses > 1024 {
                        return (Outcome::Fail, freed);
                    }
                    continue;
                }
            }
            // As Redis: look at the clock every 16 keys.
            if keys.is_multiple_of(16) && p.time_limit.is_some_and(|limit| start.elapsed() > limit) {
                return (Outcome::Running, freed);
            }
        }
        (Outcome::Ok, freed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Change, Str, Value};

    #[test]
    fn access_mode_round_trips_through_a_word() {
        let m = AccessMode {
            lfu: true,
            log_factor: 10,
            decay_time: 1,
        };
        assert_eq!(AccessMode::unpack(m.pack()), m);
        assert_eq!(AccessMode::unpack(AccessMode::default().pack()), AccessMode::default());
    }

    #[test]
    fn lfu_counter_grows_logarithmically_and_decays_by_minutes() {
        let mode = AccessMode {
            lfu: true,
            log_factor: 10,
            decay_time: 1,
        };
        let t = Touch::new(0, mode);
        let mut access = t.initial();
        assert_eq!(access & 0xFF, u32::from(LFU_INIT_VAL));
        let mut rng = SmallRng::seed_from_u64(1);
        for _ in 0..1000 {
            access = t.apply(access, rng.random());
        }
        let c = lfu_decayed(access, 0, 1);
        // With factor 10, a thousand hits reach about 18 (Redis's table).
        assert!((12..=25).contains(&c), "counter {c}");
        // Three minutes later three decrements are owed.
        assert_eq!(lfu_decayed(access, 3, 1), c - 3);
        assert_eq!(lfu_decayed(access, 3, 0), c);
        assert_eq!(lfu_decayed(access, 500, 1), 0);
        assert_eq!(lfu_log_incr(255, 10, 0), 255);
        assert_eq!(lfu_log_incr(LFU_INIT_VAL, 10, u64::MAX), LFU_INIT_VAL + 1);
    }

    #[test]
    fn tenacity_gives_redis_time_limits() {
        assert_eq!(time_limit(0), Some(Duration::ZERO));
        assert_eq!(time_limit(10), Some(Duration::from_micros(500)));
        assert_eq!(time_limit(11), Some(Duration::from_micros(575)));
        assert_eq!(time_limit(100), None);
    }

    #[test]
    fn pool_keeps_the_best_candidates_in_order() {
        let mut ev = Evictor::new(1);
        for i in 0..40u64 {
            ev.offer(i * 7 % 41, 0, format!("k{i}").as_bytes());
        }
        assert_eq!(ev.pool.len(), POOL_SIZE);
        assert!(ev.pool.windows(2).all(|w| w[0].score <= w[1].score));
        assert_eq!(ev.pool.last().map(|c| c.score), Some(40));
        // Rescoring a pooled key does not duplicate it.
        let before = ev.pool.len();
        ev.offer(1000, 0, &ev.pool[3].key.clone());
        assert_eq!(ev.pool.len(), before);
        assert_eq!(ev.pool.last().map(|c| c.score), Some(1000));
    }

    fn fill(store: &Store, n: u32, ttl_every: u32) {
        let db = store.db(0).unwrap();
        let mut fx = Effects::new();
        for i in 0..n {
            let k = format!("key:{i}");
            let exp = if ttl_every > 0 && i % ttl_every == 0 {
                1_000_000 + u64::from(i)
            } else {
                0
            };
            db.write(k.as_bytes(), 1000, &mut fx, |s| {
                s.insert(Value::Str(Str::Int(i64::from(i))), exp, 1000);
            });
        }
    }

    fn params(policy: Policy) -> EvictParams {
        EvictParams {
            policy,
            samples: 5,
            decay_time: 1,
            time_limit: None,
            lazy_free: false,
        }
    }

    #[test]
    fn volatile_policies_evict_only_keys_with_a_ttl() {
        for policy in [
            Policy::VolatileLru,
            Policy::VolatileRandom,
            Policy::VolatileTtl,
            Policy::VolatileLfu,
        ] {
            let store = Store::new(1);
            fill(&store, 2000, 4);
            let mut ev = Evictor::new(7);
            let mut fx = Effects::new();
            let (outcome, freed) = ev.evict(&store, &params(policy), 2000, u64::MAX, &mut fx, &mut Vec::new());
            assert_eq!(outcome, Outcome::Fail, "{policy:?}");
            assert!(freed > 0);
            assert_eq!(store.db(0).unwrap().len(), 1500, "{policy:?}");
            assert_eq!(store.db(0).unwrap().volatile(), 0);
            assert!(fx.list.iter().all(|e| e.change == Change::Evicted));
            assert_eq!(fx.len(), 500);
        }
    }

    #[test]
    fn volatile_ttl_evicts_the_soonest_expiring_first() {
        let store = Store::new(1);
        fill(&store, 4000, 2);
        let mut ev = Evictor::new(3);
        let mut fx = Effects::new();
        let per_key = store.mem() as u64 / 4000;
        ev.evict(
            &store,
            &params(Policy::VolatileTtl),
            2000,
            per_key * 200,
            &mut fx,
            &mut Vec::new(),
        );
        let evicted: Vec<u64> = fx
            .list
            .iter()
            .map(|e| std::str::from_utf8(&e.key[4..]).unwrap().parse().unwrap())
            .collect();
        let mean = evicted.iter().sum::<u64>() / evicted.len() as u64;
        // Keys expire in index order: the evicted ones lean to the start.
        assert!(mean < 1000, "mean index {mean}");
    }

    #[test]
    fn noeviction_and_followers_evict_nothing() {
        let store = Store::new(1);
        fill(&store, 100, 0);
        let mut ev = Evictor::new(1);
        let mut fx = Effects::new();
        assert_eq!(
            ev.evict(&store, &params(Policy::NoEviction), 2000, 1, &mut fx, &mut Vec::new()),
            (Outcome::Fail, 0)
        );
        assert_eq!(store.db(0).unwrap().len(), 100);
        store.set_follower(true);
        assert_eq!(
            ev.evict(
                &store,
                &params(Policy::AllkeysRandom),
                2000,
                1,
                &mut fx,
                &mut Vec::new()
            )
            .0,
            Outcome::Fail
        );
        assert_eq!(store.db(0).unwrap().len(), 100);
        assert!(fx.is_empty());
    }

    #[test]
    fn lazy_free_hands_large_values_back() {
        let store = Store::new(1);
        let db = store.db(0).unwrap();
        let mut fx = Effects::new();
        db.write(b"big", 0, &mut fx, |s| {
            s.insert(Value::Str(Str::from_bytes(vec![b'x'; 200_000])), 0, 0);
        });
        db.write(b"small", 0, &mut fx, |s| {
            s.insert(Value::Str(Str::from_bytes(vec![b'x'; 100])), 0, 0);
        });
        let mut ev = Evictor::new(1);
        let mut garbage = Vec::new();
        let p = EvictParams {
            lazy_free: true,
            ..params(Policy::AllkeysRandom)
        };
        let (outcome, freed) = ev.evict(&store, &p, 0, u64::MAX, &mut fx, &mut garbage);
        assert_eq!(outcome, Outcome::Fail);
        assert!(freed > 200_000);
        assert_eq!(garbage.len(), 1);
        assert_eq!(&*garbage[0].key, b"big");
        assert_eq!(store.mem_total(), 0);
    }

    #[test]
    fn lfu_keeps_the_frequently_read_keys() {
        let store = Store::new(1);
        let mode = AccessMode {
            lfu: true,
            log_factor: 10,
            decay_time: 1,
        };
        store.set_access_mode(mode);
        fill(&store, 2000, 0);
        let db = store.db(0).unwrap();
        let mut fx = Effects::new();
        for _ in 0..50 {
            for i in 0..100 {
                db.read(format!("key:{i}").as_bytes(), 1000, &mut fx, |_| ());
            }
        }
        let per_key = store.mem() as u64 / 2000;
        let mut ev = Evictor::new(5);
        ev.evict(
            &store,
            &params(Policy::AllkeysLfu),
            1000,
            per_key * 1000,
            &mut fx,
            &mut Vec::new(),
        );
        let hot_left = (0..100)
            .filter(|i| db.peek_entry(format!("key:{i}").as_bytes(), |e| e.is_some()))
            .count();
        assert!(db.len() <= 1000);
        assert!(hot_left >= 95, "hot keys left: {hot_left}");
    }
}
