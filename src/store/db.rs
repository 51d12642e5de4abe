//! A database: its keys split into shards by hash slot, each shard a
//! [`Shard`] behind a `parking_lot` mutex.
//!
//! Shard `i` covers the [`SLOTS_PER_SHARD`] consecutive slots from
//! `i * SLOTS_PER_SHARD`; a key's stored hash is the dataset-seeded hash of
//! its bytes with the low 8 bits replaced by its slot's index within the
//! shard (see [`super::shard`] for why). Slot-range operations (count,
//! list, export, import, drop, image) live in [`super::slots`].
//!
//! Invariants: a shard lock is taken only inside the methods here and never
//! escapes them (callers get a closure run under the lock); several shards
//! are always locked in ascending index order, and the staging area's lock
//! (imports in progress, invisible to every read) only after them; every
//! access first removes the key if its TTL has passed (lazy expiry) and
//! records that effect.

use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use foldhash::fast::FixedState;
use parking_lot::{Mutex, MutexGuard};

use super::effects::Effects;
use super::evict::{AccessMode, Touch};
use super::shard::{Entry, Live, Shard, SLOTS_PER_SHARD};
use super::slot::{key_slot, SLOTS};
use super::value::Value;

/// Shards per database (a power of two dividing the slot count).
pub const SHARDS: usize = 64;
const SHARD_BITS: u32 = SHARDS.trailing_zeros();
const _: () = assert!(SHARDS * SLOTS_PER_SHARD == SLOTS);

/// The LRU clock (seconds, 24 bits as in Redis) at `now` ms.
pub fn lru_clock(now: u64) -> u32 {
    ((now / 1000) & 0xFF_FFFF) as u32
}

/// The fields the active expiry removed from one hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiredFields {
    /// Database index.
    pub db: usize,
    /// The hash's key.
    pub key: Vec<u8>,
    /// The removed fields.
    pub fields: Vec<Vec<u8>>,
}

/// A database.
#[derive(Debug)]
pub struct Db {
    /// Database index.
    pub index: usize,
    pub(super) shards: Box<[Mutex<Shard>]>,
    /// The key-placement hash's seed (derived from the dataset seed).
    key_seed: std::sync::atomic::AtomicU64,
    /// The dataset seed this database's hashes are keyed by.
    pub(super) seed: std::sync::atomic::AtomicU64,
    /// Keys of imports in progress, by shard index: never visible to reads
    /// until [`Db::commit_import`](super::Db::commit_import) moves them.
    pub(super) staging: Mutex<hashbrown::HashMap<usize, Shard, FixedState>>,
    /// Follower mode: the store never deletes a key by itself (no lazy or
    /// active expiry); reads hide logically expired keys, writes (which
    /// come from the primary's replicated stream) see them as they are.
    follower: AtomicBool,
    /// How accesses update the entries' clocks ([`AccessMode::pack`]).
    access_mode: AtomicU64,
}

/// Access to one key inside a locked shard.
pub struct KeySlot<'a> {
    shard: &'a mut Shard,
    hash: u64,
    key: &'a [u8],
    touch: Touch,
}

impl KeySlot<'_> {
    /// The key's entry, if it exists (already checked for expiry).
    pub fn entry(&self) -> Option<&Entry> {
        self.shard.get(self.hash, self.key)
    }

    /// The key's value, if it exists.
    pub fn value(&self) -> Option<&Value> {
        self.entry().map(|e| &e.value)
    }

    /// Whether the key exists.
    pub fn exists(&self) -> bool {
        self.entry().is_some()
    }

    /// Modifies the existing entry (value or TTL); `None` if there is none.
    pub fn update<R>(&mut self, f: impl FnOnce(&mut Entry) -> R) -> Option<R> {
        self.shard.update(self.hash, self.key, f)
    }

    /// Stores `value` with absolute expiry `expire_at` (0 = none), replacing
    /// any previous value; returns the previous entry.
    pub fn insert(&mut self, value: Value, expire_at: u64, now: u64) -> Option<Entry> {
        // A new key starts its clock now; under LFU an overwritten key
        // keeps its counter (Redis's `dbSetValue`).
        let kept = if self.touch.is_lfu() {
            self.entry().map(|e| e.access)
        } else {
            None
        };
        let access = kept.unwrap_or_else(|| self.touch.at(now).initial());
        self.shard.insert(Entry {
            key: self.key.into(),
            value,
            expire_at,
            access,
            hash: self.hash,
        })
    }

    /// Stores `value` keeping the current TTL (as `SET ... KEEPTTL`, `APPEND`).
    pub fn insert_keep_ttl(&mut self, value: Value, now: u64) -> Option<Entry> {
        let ttl = self.entry().map_or(0, |e| e.expire_at);
        self.insert(value, ttl, now)
    }

    /// Removes the key; returns its entry.
    pub fn remove(&mut self) -> Option<Entry> {
        self.shard.remove(self.hash, self.key)
    }

    /// The key this slot refers to.
    pub fn key(&self) -> &[u8] {
        self.key
    }
}

/// Several locked shards, for commands that touch several keys atomically.
pub struct Keys<'a> {
    db: &'a Db,
    guards: Vec<(usize, MutexGuard<'a, Shard>)>,
    now: u64,
    touch: Touch,
}

impl Keys<'_> {
    /// Access to `key`, which must be one of the keys passed to
    /// [`Db::write_keys`]; `None` otherwise.
    pub fn slot<'k>(&'k mut self, key: &'k [u8]) -> Option<KeySlot<'k>> {
        let (idx, hash) = self.db.locate(key);
        let guard = self.guards.iter_mut().find(|(i, _)| *i == idx)?;
        Some(KeySlot {
            shard: &mut guard.1,
            hash,
            key,
            touch: self.touch,
        })
    }

    /// The time the command runs at.
    pub fn now(&self) -> u64 {
        self.now
    }
}

impl Db {
    /// An empty database whose hashes are keyed by the dataset `seed`
    /// (see [`super::Store::with_seed`]).
    pub fn new(index: usize, seed: u64) -> Self {
        Db::with_total(index, seed, Arc::default())
    }

    /// [`Db::new`] whose bytes are also counted in `total` (shared by a
    /// store's databases: see [`super::Store::mem_total`]).
    pub fn with_total(index: usize, seed: u64, total: Arc<AtomicI64>) -> Self {
        let side = super::derive_seed(seed, super::SeedUse::SideTables);
        let hasher = FixedState::with_seed(side);
        Db {
            index,
            shards: (0..SHARDS)
                .map(|_| Mutex::new(Shard::with_total(hasher, total.clone())))
                .collect(),
            key_seed: std::sync::atomic::AtomicU64::new(super::derive_seed(seed, super::SeedUse::Keys)),
            seed: std::sync::atomic::AtomicU64::new(seed),
            staging: Mutex::new(hashbrown::HashMap::with_hasher(FixedState::with_seed(side))),
            follower: AtomicBool::new(false),
            access_mode: AtomicU64::new(AccessMode::default().pack()),
        }
    }

    /// Sets how accesses update the entries' clocks (the LRU clock, or the
    /// LFU counter under an LFU `maxmemory-policy`).
    pub fn set_access_mode(&self, mode: AccessMode) {
        self.access_mode.store(mode.pack(), Ordering::Relaxed);
    }

    /// How accesses update the entries' clocks.
    pub fn access_mode(&self) -> AccessMode {
        AccessMode::unpack(self.access_mode.load(Ordering::Relaxed))
    }

    /// What an access at `now` does to an entry's clock.
    #[inline]
    pub fn touch_at(&self, now: u64) -> Touch {
        Touch::new(now, self.access_mode())
    }

    /// The dataset seed this database's hashes are keyed by.
    pub fn seed(&self) -> u64 {
        self.seed.load(Ordering::Acquire)
    }

    /// Rekeys an empty database's hashes with the dataset `seed` (see
    /// [`super::Store::reseed`]): its shards and staging area start afresh.
    pub(super) fn reseed(&self, seed: u64) {
        let side = super::derive_seed(seed, super::SeedUse::SideTables);
        for s in self.shards.iter() {
            let mut shard = s.lock();
            // Empty (the store only reseeds then), so the total is unchanged.
            *shard = Shard::with_total(FixedState::with_seed(side), shard.total_counter());
        }
        *self.staging.lock() = hashbrown::HashMap::with_hasher(FixedState::with_seed(side));
        self.key_seed
            .store(super::derive_seed(seed, super::SeedUse::Keys), Ordering::Release);
        self.seed.store(seed, Ordering::Release);
    }

    /// The shard index and stored hash of `key` (the seeded hash with its
    /// low 8 bits replaced by the slot's index within the shard).
    pub fn locate(&self, key: &[u8]) -> (usize, u64) {
        let slot = usize::from(key_slot(key));
        let shard = slot / SLOTS_PER_SHARD;
        let sis = (slot % SLOTS_PER_SHARD) as u64;
        let low = SLOTS_PER_SHARD as u64 - 1;
        // Built per call: a seeded hasher is one word.
        let hasher = FixedState::with_seed(self.key_seed.load(Ordering::Relaxed));
        (shard, (hasher.hash_one(key) & !low) | sis)
    }

    /// Puts the database in or out of follower mode (see the field).
    pub fn set_follower(&self, on: bool) {
        self.follower.store(on, Ordering::Relaxed);
    }

    /// Whether the database is in follower mode.
    pub fn is_follower(&self) -> bool {
        self.follower.load(Ordering::Relaxed)
    }

    /// [`Shard::live`], recording a lazy expiry in `fx`. In follower mode
    /// nothing is removed: a read (`hide_expired`) misses a logically
    /// expired key, a write sees it.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn live_for<'s>(
        &self,
        shard: &'s mut Shard,
        hash: u64,
        key: &[u8],
        now: u64,
        touch: Option<Touch>,
        fx: &mut Effects,
        hide_expired: bool,
    ) -> Option<&'s Entry> {
        if self.is_follower() {
            // `now = 0`: nothing counts as expired, so nothing is removed.
            return match shard.live(hash, key, 0, touch) {
                Live::Found(e) if hide_expired && e.is_expired(now) => None,
                Live::Found(e) => Some(e),
                Live::Missing | Live::Expired(_) => None,
            };
        }
        match shard.live(hash, key, now, touch) {
            Live::Found(e) => Some(e),
            Live::Missing => None,
            Live::Expired(_) => {
                fx.expired(self.index, key);
                None
            }
        }
    }

    /// [`Db::live_for`] for a read.
    #[inline]
    fn live<'s>(
        &self,
        shard: &'s mut Shard,
        hash: u64,
        key: &[u8],
        now: u64,
        touch: Option<Touch>,
        fx: &mut Effects,
    ) -> Option<&'s Entry> {
        self.live_for(shard, hash, key, now, touch, fx, true)
    }

    fn expire_if_needed(&self, shard: &mut Shard, hash: u64, key: &[u8], now: u64, fx: &mut Effects) {
        if self.is_follower() {
            return;
        }
        if shard.get(hash, key).is_some_and(|e| e.is_expired(now)) {
            shard.remove(hash, key);
            fx.expired(self.index, key);
        }
    }

    /// Runs `f` on the key's entry (after lazy expiry), refreshing its access time.
    pub fn read<R>(&self, key: &[u8], now: u64, fx: &mut Effects, f: impl FnOnce(Option<&Entry>) -> R) -> R {
        let (idx, hash) = self.locate(key);
        let mut shard = self.shards[idx].lock();
        let found = self.live(&mut shard, hash, key, now, Some(self.touch_at(now)), fx);
        f(found)
    }

    /// Runs `f` on the key's entry without touching its access time
    /// (`OBJECT`, `TYPE` under `CLIENT NO-TOUCH`, `TTL`...). Expired keys still go.
    pub fn peek<R>(&self, key: &[u8], now: u64, fx: &mut Effects, f: impl FnOnce(Option<&Entry>) -> R) -> R {
        let (idx, hash) = self.locate(key);
        let mut shard = self.shards[idx].lock();
        let found = self.live(&mut shard, hash, key, now, None, fx);
        f(found)
    }

    /// Runs `f` on the key's entry as stored: no expiry check, no access
    /// time. For consumers of effects that need a written key's new value
    /// (type, encoding, TTL).
    pub fn peek_entry<R>(&self, key: &[u8], f: impl FnOnce(Option<&Entry>) -> R) -> R {
        let (idx, hash) = self.locate(key);
        let shard = self.shards[idx].lock();
        f(shard.get(hash, key))
    }

    /// Runs `f` with write access to the key (after lazy expiry).
    pub fn write<R>(&self, key: &[u8], now: u64, fx: &mut Effects, f: impl FnOnce(&mut KeySlot<'_>) -> R) -> R {
        let (idx, hash) = self.locate(key);
        let mut shard = self.shards[idx].lock();
        let touch = self.touch_at(now);
        let existed = self
            .live_for(&mut shard, hash, key, now, Some(touch), fx, false)
            .is_some();
        let mut slot = KeySlot {
            shard: &mut shard,
            hash,
            key,
            touch,
        };
        let r = f(&mut slot);
        if fx.track_new && !existed && shard.get(hash, key).is_some() {
            fx.noted(self.index, key, Some("new"));
        }
        r
    }

    /// Locks the shards of all `keys` in ascending order (after lazy expiry of
    /// each key) and runs `f` with access to them.
    pub fn write_keys<R>(&self, keys: &[&[u8]], now: u64, fx: &mut Effects, f: impl FnOnce(&mut Keys<'_>) -> R) -> R {
        let mut idxs: Vec<usize> = keys.iter().map(|k| self.locate(k).0).collect();
        idxs.sort_unstable();
        idxs.dedup();
        let mut guards: Vec<(usize, MutexGuard<'_, Shard>)> =
            idxs.into_iter().map(|i| (i, self.shards[i].lock())).collect();
        let touch = self.touch_at(now);
        let mut existed = Vec::new();
        for key in keys {
            let (idx, hash) = self.locate(key);
            if let Some((_, g)) = guards.iter_mut().find(|(i, _)| *i == idx) {
                self.expire_if_needed(g, hash, key, now, fx);
                g.touch(hash, key, touch);
                if fx.track_new {
                    existed.push(g.get(hash, key).is_some());
                }
            }
        }
        let mut ks = Keys {
            db: self,
            guards,
            now,
            touch,
        };
        let r = f(&mut ks);
        if fx.track_new {
            let mut created: Vec<&[u8]> = Vec::new();
            for (key, was) in keys.iter().zip(existed) {
                // A key named twice (`MSET k 1 k 2`) is created once.
                if !was && !created.contains(key) && ks.slot(key).is_some_and(|s| s.exists()) {
                    created.push(key);
                    fx.noted(self.index, key, Some("new"));
                }
            }
        }
        r
    }

    /// Runs `f` with write access to `key_a` in `a` and `key_b` in `b`
    /// (`MOVE`, `COPY ... DB`), after lazy expiry of both. The two shards are
    /// locked in (database index, shard) order. `None` when `a` and `b` are the
    /// same database (use [`Db::write_keys`] then).
    pub fn write_across<R>(
        a: &Db,
        key_a: &[u8],
        b: &Db,
        key_b: &[u8],
        now: u64,
        fx: &mut Effects,
        f: impl FnOnce(&mut KeySlot<'_>, &mut KeySlot<'_>) -> R,
    ) -> Option<R> {
        if std::ptr::eq(a, b) || a.index == b.index {
            return None;
        }
        let ((ia, ha), (ib, hb)) = (a.locate(key_a), b.locate(key_b));
        let (mut ga, mut gb) = if a.index < b.index {
            let ga = a.shards[ia].lock();
            (ga, b.shards[ib].lock())
        } else {
            let gb = b.shards[ib].lock();
            (a.shards[ia].lock(), gb)
        };
        let (ta, tb) = (a.touch_at(now), b.touch_at(now));
        a.expire_if_needed(&mut ga, ha, key_a, now, fx);
        ga.touch(ha, key_a, ta);
        b.expire_if_needed(&mut gb, hb, key_b, now, fx);
        gb.touch(hb, key_b, tb);
        let mut sa = KeySlot {
            shard: &mut ga,
            hash: ha,
            key: key_a,
            touch: ta,
        };
        let mut sb = KeySlot {
            shard: &mut gb,
            hash: hb,
            key: key_b,
            touch: tb,
        };
        Some(f(&mut sa, &mut sb))
    }

    /// Number of keys (including expired ones not yet removed, as Redis's DBSIZE).
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.lock().len()).sum()
    }

    /// Whether the database has no keys.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of keys with a TTL.
    pub fn volatile(&self) -> usize {
        self.shards.iter().map(|s| s.lock().volatile()).sum()
    }

    /// Approximate bytes held by the entries, staged imports included
    /// (they use memory though no read sees them).
    pub fn mem(&self) -> usize {
        let live: usize = self.shards.iter().map(|s| s.lock().mem()).sum();
        live + self.staging.lock().values().map(Shard::mem).sum::<usize>()
    }

    /// Removes every key; returns the old shards so the caller may drop them
    /// elsewhere (`FLUSHDB ASYNC`). Staged imports are not keys yet and stay.
    pub fn clear(&self) -> Vec<Shard> {
        self.shards.iter().map(|s| s.lock().clear()).collect()
    }

    /// Exchanges the contents of two databases (`SWAPDB`).
    pub fn swap(a: &Db, b: &Db) {
        if std::ptr::eq(a, b) {
            return;
        }
        // Lock in (db index, shard) order so concurrent swaps cannot deadlock.
        let (first, second) = if a.index < b.index { (a, b) } else { (b, a) };
        for i in 0..SHARDS {
            let mut x = first.shards[i].lock();
            let mut y = second.shards[i].lock();
            std::mem::swap(&mut *x, &mut *y);
        }
    }

    /// One `SCAN` step: visits the next segment(s) from `cursor`, calling `f`
    /// on each live entry, until at least `count` entries were offered or the
    /// iteration ends (cursor 0). The cursor encodes the shard in its low bits.
    pub fn scan(&self, cursor: u64, count: usize, now: u64, f: impl FnMut(&Entry)) -> u64 {
        self.scan_step_keys(cursor, count, now, None, f)
    }

    /// [`Db::scan`] as the `SCAN` command runs it: expired keys the step
    /// meets are removed and recorded in `fx`, as Redis's `SCAN` expires
    /// what it visits (not in follower mode, which never removes keys).
    pub fn scan_expiring(&self, cursor: u64, count: usize, now: u64, fx: &mut Effects, f: impl FnMut(&Entry)) -> u64 {
        let fx = if self.is_follower() { None } else { Some(fx) };
        self.scan_step_keys(cursor, count, now, fx, f)
    }

    fn scan_step_keys(
        &self,
        cursor: u64,
        count: usize,
        now: u64,
        mut fx: Option<&mut Effects>,
        mut f: impl FnMut(&Entry),
    ) -> u64 {
        let mut shard_idx = (cursor & (SHARDS as u64 - 1)) as usize;
        let mut inner = cursor >> SHARD_BITS;
        let mut offered = 0;
        // Bound the work per call like Redis (count * 10 buckets at most).
        let mut visits = count.saturating_mul(10).max(1);
        loop {
            let mut shard = self.shards[shard_idx].lock();
            let empty = shard.is_empty();
            if empty {
                // An empty shard costs nothing: Redis answers an empty
                // database's scan with cursor 0 in one call.
                inner = 0;
            } else {
                let mut expired: Vec<(u64, Box<[u8]>)> = Vec::new();
                inner = shard.scan_step(inner, |e| {
                    if !e.is_expired(now) {
                        offered += 1;
                        f(e);
                    } else if fx.is_some() {
                        expired.push((e.hash, Box::from(&*e.key)));
                    }
                });
                // Removed after the step: the cursor only ever names
                // segments, which removals do not reorder.
                if let Some(fx) = fx.as_deref_mut() {
                    for (hash, key) in expired {
                        if shard.remove(hash, &key).is_some() {
                            fx.expired(self.index, &key);
                        }
                    }
                }
            }
            drop(shard);
            if inner == 0 {
                shard_idx += 1;
                if shard_idx == SHARDS {
                    return 0;
                }
            }
            if !empty {
                visits -= 1;
            }
            if offered >= count || visits == 0 {
                return (inner << SHARD_BITS) | shard_idx as u64;
            }
        }
    }

    /// A random live key, given random numbers; `None` when empty. Expired
    /// keys met on the way are removed.
    pub fn random_key(&self, now: u64, fx: &mut Effects, mut rng: impl FnMut() -> u64) -> Option<Vec<u8>> {
        // Bounded tries: a database full of expired keys must not loop forever.
        for _ in 0..100 {
            let nonempty: Vec<usize> = (0..SHARDS).filter(|&i| !self.shards[i].lock().is_empty()).collect();
            if nonempty.is_empty() {
                return None;
            }
            let idx = nonempty[(rng() as usize) % nonempty.len()];
            let mut shard = self.shards[idx].lock();
            let Some(e) = shard.random_entry(rng(), rng()) else {
                continue;
            };
            if e.is_expired(now) {
                if self.is_follower() {
                    continue;
                }
                let (hash, key) = (e.hash, e.key.clone());
                shard.remove(hash, &key);
                fx.expired(self.index, &key);
                continue;
            }
            return Some(e.key.to_vec());
        }
        None
    }

    /// Calls `f` on every live entry (for `KEYS`); shard by shard.
    pub fn for_each(&self, now: u64, mut f: impl FnMut(&Entry)) {
        for s in self.shards.iter() {
            let shard = s.lock();
            for e in shard.iter() {
                if !e.is_expired(now) {
                    f(e);
                }
            }
        }
    }

    /// Whether shard `idx` holds keys that may be evicted (keys with a TTL
    /// when `volatile`).
    pub fn shard_has_candidates(&self, idx: usize, volatile: bool) -> bool {
        let shard = self.shards[idx % SHARDS].lock();
        if volatile {
            shard.volatile() > 0
        } else {
            !shard.is_empty()
        }
    }

    /// Offers up to `count` entries of shard `idx` to `f`, from a random
    /// point `start` (see [`Shard::sample`]), for the eviction pool.
    pub fn sample(&self, idx: usize, start: u64, count: usize, volatile: bool, f: impl FnMut(&Entry)) {
        self.shards[idx % SHARDS].lock().sample(start, count, volatile, f);
    }

    /// A random key of shard `idx` (with a TTL when `volatile`), given
    /// random numbers, for the random eviction policies.
    pub fn random_candidate(&self, idx: usize, volatile: bool, r1: u64, r2: u64) -> Option<Box<[u8]>> {
        let shard = self.shards[idx % SHARDS].lock();
        if !volatile {
            return shard.random_entry(r1, r2).map(|e| Box::from(&*e.key));
        }
        let mut found = None;
        shard.sample(r1 ^ r2.rotate_left(32), 1, true, |e| found = Some(Box::from(&*e.key)));
        found
    }

    /// Evicts `key` (`maxmemory`): removes it, whatever its TTL, and
    /// records `Evicted`; returns its entry, for the caller to free now or
    /// elsewhere. Nothing happens (and `None` is returned) in follower
    /// mode, when the key is gone, or when `volatile` and the key has no TTL.
    pub fn evict(&self, key: &[u8], volatile: bool, fx: &mut Effects) -> Option<Entry> {
        if self.is_follower() {
            return None;
        }
        let (idx, hash) = self.locate(key);
        let mut shard = self.shards[idx].lock();
        if volatile && shard.get(hash, key)?.expire_at == 0 {
            return None;
        }
        let entry = shard.remove(hash, key)?;
        drop(shard);
        fx.evicted(self.index, key);
        Some(entry)
    }

    /// Active expiry on one shard: walks segments from the shard's cursor,
    /// removing expired keys, until `max_segments` were visited or, after at
    /// least 20 keys with a TTL were seen, fewer than 10% of them had expired.
    /// Returns the number of keys removed.
    pub fn expire_shard(&self, idx: usize, now: u64, max_segments: usize, fx: &mut Effects) -> usize {
        if self.is_follower() {
            return 0;
        }
        let mut shard = self.shards[idx % SHARDS].lock();
        if shard.volatile() == 0 {
            return 0;
        }
        let (mut seen, mut expired, mut removed_total) = (0, 0, 0);
        for _ in 0..max_segments {
            let cur = shard.expire_cursor;
            let (s, removed) = shard.expire_segment(cur, now);
            shard.expire_cursor = (cur + 1) % shard.segments();
            seen += s;
            expired += removed.len();
            removed_total += removed.len();
            for e in removed {
                fx.expired(self.index, &e.key);
            }
            if shard.volatile() == 0 {
                break;
            }
            if seen >= 20 {
                if expired * 10 <= seen {
                    break;
                }
                seen = 0;
                expired = 0;
            }
        }
        removed_total
    }
    /// Active expiry of hash fields on one shard (Redis 7.4's field TTLs):
    /// purges the due fields of up to 64 hashes with field TTLs, deleting a
    /// hash whose last field went. Records `hexpired` for a hash that lost
    /// fields and `del` when the hash itself went, as Redis notifies. With
    /// `names`, also lists the removed fields of each hash (what a replica
    /// must delete). Returns the number of fields removed.
    pub fn expire_hash_fields(
        &self,
        idx: usize,
        now: u64,
        fx: &mut Effects,
        mut names: Option<&mut Vec<ExpiredFields>>,
    ) -> usize {
        if self.is_follower() {
            return 0;
        }
        let mut shard = self.shards[idx % SHARDS].lock();
        let due = shard.due_field_ttls(now, 64);
        let mut removed = 0;
        for (key, hash) in due {
            let want_names = names.is_some();
            let (n, empty, fields) = shard
                .update(hash, &key, |e| match &mut e.value {
                    Value::Hash(h) => {
                        let fields: Vec<Vec<u8>> = if want_names {
                            h.iter()
                                .filter(|f| f.is_expired(now))
                                .map(|f| f.name.to_vec())
                                .collect()
                        } else {
                            Vec::new()
                        };
                        (h.purge_expired(now), h.is_empty(), fields)
                    }
                    _ => (0, false, Vec::new()),
                })
                .unwrap_or((0, false, Vec::new()));
            if n > 0 {
                fx.written(self.index, &key, "hexpired");
                if let Some(list) = names.as_deref_mut() {
                    list.push(ExpiredFields {
                        db: self.index,
                        key: key.to_vec(),
                        fields,
                    });
                }
            }
            if empty {
                shard.remove(hash, &key);
                fx.deleted(self.index, &key, "del");
            }
            removed += n;
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::value::Str;

    #[test]
    fn write_across_moves_a_key_between_databases() {
        let (a, b) = (Db::new(0, 7), Db::new(1, 7));
        let mut fx = Effects::new();
        a.write(b"k", 0, &mut fx, |s| {
            s.insert(Value::Str(Str::Int(7)), 500, 0);
        });
        for (src, dst) in [(&a, &b), (&b, &a)] {
            let moved = Db::write_across(src, b"k", dst, b"k", 10, &mut fx, |from, to| {
                let e = from.remove()?;
                to.insert(e.value, e.expire_at, 10);
                Some(())
            });
            assert_eq!(moved, Some(Some(())));
            assert_eq!(src.len(), 0);
            assert!(dst.peek(b"k", 10, &mut fx, |e| e.is_some_and(|e| e.expire_at == 500)));
        }
        assert!(Db::write_across(&a, b"k", &a, b"j", 10, &mut fx, |_, _| ()).is_none());
    }

    #[test]
    fn write_across_expires_lazily_on_both_sides() {
        let (a, b) = (Db::new(0, 7), Db::new(1, 7));
        let mut fx = Effects::new();
        a.write(b"x", 0, &mut fx, |s| {
            s.insert(Value::Str(Str::Int(1)), 5, 0);
        });
        b.write(b"y", 0, &mut fx, |s| {
            s.insert(Value::Str(Str::Int(1)), 5, 0);
        });
        let seen = Db::write_across(&b, b"y", &a, b"x", 10, &mut fx, |y, x| (y.exists(), x.exists()));
        assert_eq!(seen, Some((false, false)));
        assert_eq!(fx.list.len(), 2);
        assert!(a.is_empty() && b.is_empty());
    }

    #[test]
    fn expire_hash_fields_purges_due_fields_and_deletes_emptied_hashes() {
        use crate::store::types::hash::ExpiryCondition;
        use crate::store::types::{Hash, Limits};
        let db = Db::new(0, 7);
        let mut fx = Effects::new();
        let l = Limits::default();
        for (key, ttls) in [(&b"gone"[..], [50u64, 60]), (b"half", [50, 0]), (b"later", [500, 500])] {
            let mut h = Hash::new();
            for (i, at) in ttls.into_iter().enumerate() {
                let f = [b'a' + i as u8];
                h.set(&f, b"v", &l);
                if at != 0 {
                    h.set_expiry(&f, at, ExpiryCondition::Always, 0);
                }
            }
            db.write(key, 0, &mut fx, |s| {
                s.insert(Value::Hash(Box::new(h)), 0, 0);
            });
        }
        let removed: usize = (0..SHARDS).map(|i| db.expire_hash_fields(i, 100, &mut fx, None)).sum();
        assert_eq!(removed, 3);
        assert_eq!(db.len(), 2);
        let left = db.peek(b"half", 100, &mut fx, |e| match e.map(|e| &e.value) {
            Some(Value::Hash(h)) => h.len(),
            _ => 0,
        });
        assert_eq!(left, 1);
        // Nothing is due any more: a second pass does no work.
        let again: usize = (0..SHARDS).map(|i| db.expire_hash_fields(i, 100, &mut fx, None)).sum();
        assert_eq!(again, 0);
        assert!(fx
            .list
            .iter()
            .any(|e| &e.key[..] == b"gone" && e.change == crate::store::Change::Deleted("del")));
    }
}
