//! One shard (lock stripe) of a database: a segmented hash table.
//!
//! The keys live in `2^b` small `hashbrown` tables ("segments") picked by the
//! low bits of the key's stored hash. When the average segment grows past
//! [`SEGMENT_TARGET`] entries the segment count doubles and every segment
//! splits in two by the next hash bit. This is Redis's `dict` with small hash
//! tables as buckets, and it gives Redis's `SCAN` guarantee with the same
//! reverse-binary cursor: a key present for a whole iteration is returned at
//! least once even if the shard grows in between. Segments also make random
//! sampling (`RANDOMKEY`, eviction) and the incremental expiry walk cheap.
//!
//! Slot-aware placement: the low 8 bits of a stored hash are not hash bits
//! but the key's slot index within its stripe ([`Db`](super::Db) puts them
//! there; a stripe covers [`SLOTS_PER_SHARD`] consecutive slots). So a
//! slot's keys all live in segment `slot & mask` while there are fewer than
//! 256 segments, and in segments `slot, slot + 256, slot + 512, ...` (which
//! hold nothing else) from 256 segments on. Listing one slot visits only
//! those segments; per-slot counters make counting O(1). hashbrown never
//! sees those 8 bits: inside a segment it hashes `rotate_left(32)` of the
//! stored hash, whose probe and tag bits come from the real hash bits.
//!
//! Invariants: `segs.len()` is a power of two; an entry lives in segment
//! `hash & (segs.len() - 1)`; `len`, `volatile`, `mem` and `slot_counts`
//! always equal the sums over the stored entries, and every change of
//! `mem` moves the shared `total` (the store's byte count) by as much (`slot_counts[i]` counts
//! the entries whose hash has low byte `i`); `field_ttl` names exactly the
//! keys whose value is a hash with field TTLs (for the active expiry of hash
//! fields).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use foldhash::fast::FixedState;
use hashbrown::HashTable;

use super::evict::Touch;
use super::types::alloc_cost;
use super::value::Value;

/// Hash slots per shard: the low 8 bits of a stored hash.
pub const SLOTS_PER_SHARD: usize = 256;

/// The slot-in-stripe index stored in the low bits of an entry's hash.
pub fn slot_in_shard(hash: u64) -> usize {
    (hash as usize) & (SLOTS_PER_SHARD - 1)
}

/// Average entries per segment before the segment count doubles.
pub const SEGMENT_TARGET: usize = 16;

/// Table bytes per entry: a segment slot (a pointer to the boxed entry and
/// a control byte) at the segments' typical load of about one half (a
/// segment of 8 to 16 entries has 16 or 32 buckets: halves are sized to
/// fit on a split and double once on the way to the next), plus the
/// segment's own header and control-group padding spread over its entries.
/// Measured against RSS growth for 1M keys, this keeps `used_memory`
/// within a few percent of what the process holds (see `store::evict`).
const SLOT_COST: usize = (std::mem::size_of::<Box<Entry>>() + 1) * 2 + 2;

/// Fixed per-entry overhead counted in `used_memory`: the entry's own
/// allocation as malloc rounds it plus its table slot.
pub const ENTRY_OVERHEAD: usize = alloc_cost(std::mem::size_of::<Entry>()) + SLOT_COST;

/// Longest key kept inside its entry (no allocation of its own).
pub const KEY_INLINE: usize = 22;

/// A key's bytes: short keys live in the entry itself, longer ones in a
/// boxed slice. Dereferences to the bytes; equality and hashing are the
/// bytes'.
#[derive(Clone)]
pub enum Key {
    /// Up to [`KEY_INLINE`] bytes: `buf[..len]`.
    Inline { len: u8, buf: [u8; KEY_INLINE] },
    /// A longer key.
    Heap(Box<[u8]>),
}

impl Key {
    /// Heap bytes the key holds beyond its entry.
    pub fn heap_size(&self) -> usize {
        match self {
            Key::Inline { .. } => 0,
            Key::Heap(b) => alloc_cost(b.len()),
        }
    }
}

impl From<&[u8]> for Key {
    fn from(b: &[u8]) -> Key {
        if b.len() <= KEY_INLINE {
            let mut buf = [0; KEY_INLINE];
            buf[..b.len()].copy_from_slice(b);
            Key::Inline {
                len: b.len() as u8,
                buf,
            }
        } else {
            Key::Heap(b.into())
        }
    }
}

impl From<Box<[u8]>> for Key {
    fn from(b: Box<[u8]>) -> Key {
        if b.len() <= KEY_INLINE {
            Key::from(&*b)
        } else {
            Key::Heap(b)
        }
    }
}

impl std::ops::Deref for Key {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Key::Inline { len, buf } => buf.get(..usize::from(*len)).unwrap_or_default(),
            Key::Heap(b) => b,
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        **self == **other
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (**self).hash(h)
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self))
    }
}

const _: () = assert!(std::mem::size_of::<Key>() == 24);

/// A key with its value and metadata.
#[derive(Debug)]
pub struct Entry {
    /// The key bytes.
    pub key: Key,
    /// The value.
    pub value: Value,
    /// Absolute expiry in Unix milliseconds; 0 when the key is persistent.
    pub expire_at: u64,
    /// Redis's 24-bit `lru` field: the last access (LRU clock, seconds), or
    /// under an LFU policy the access counter and its decay time (see
    /// [`super::evict`]), for `OBJECT IDLETIME`/`FREQ` and eviction.
    pub access: u32,
    /// Hash of `key` (kept to split segments without rehashing), with its
    /// low 8 bits replaced by the slot's index within the stripe.
    pub hash: u64,
}

impl Entry {
    /// Bytes this entry costs: its box and table slot, the key's allocation
    /// and the value's heap (all at malloc's chunk sizes).
    pub fn mem_size(&self) -> usize {
        ENTRY_OVERHEAD + self.key.heap_size() + self.value.heap_size()
    }

    /// Whether the entry's TTL has passed at `now` (Unix ms).
    pub fn is_expired(&self, now: u64) -> bool {
        self.expire_at != 0 && self.expire_at <= now
    }
}

/// What [`Shard::live`] found.
#[derive(Debug)]
pub enum Live<'a> {
    /// No such key.
    Missing,
    /// The key had expired and was removed: its entry.
    Expired(Entry),
    /// The live entry.
    Found(&'a Entry),
}

/// A segmented hash table holding part of a database's keys.
#[derive(Debug)]
pub struct Shard {
    /// Entries are boxed: a slot costs a pointer, so the table's spare
    /// capacity (a third of the slots on average) stays cheap.
    segs: Vec<HashTable<Box<Entry>>>,
    len: usize,
    volatile: usize,
    mem: usize,
    /// The bytes of every shard sharing this counter (a whole store's),
    /// moved with `mem`: `maxmemory` reads it before each command without
    /// taking a shard lock.
    total: Arc<AtomicI64>,
    /// Where the active expiry walk resumes.
    pub expire_cursor: usize,
    /// Hash-field TTLs: the keys (with their hash) holding a hash that has
    /// fields with a TTL, so the active cycle finds them without a walk.
    /// Values: (key hash, earliest field expiry lower bound). Seeded from
    /// the dataset so its iteration order is the same on every replica.
    field_ttl: hashbrown::HashMap<Box<[u8]>, (u64, u64), FixedState>,
    /// Entries per slot of this stripe (indexed by the hash's low byte).
    slot_counts: [u32; SLOTS_PER_SHARD],
    /// State of the LFU counter's random increments (splitmix64): the same
    /// accesses in the same order draw the same numbers.
    touch_rng: u64,
}

/// The earliest field expiry (lower bound) of a hash with field TTLs; 0
/// for any other value.
fn field_expiry(v: &Value) -> u64 {
    match v {
        Value::Hash(h) => h.next_expiry(),
        _ => 0,
    }
}

fn inner_hash(h: u64) -> u64 {
    // Segments are chosen by the low bits; hashbrown uses the low bits for
    // the probe start and the top 7 for tags, so rotate to keep both independent.
    h.rotate_left(32)
}

fn rev(v: u64) -> u64 {
    v.reverse_bits()
}

impl Shard {
    /// An empty shard with one segment; `seed` keys its side tables.
    pub fn new(seed: u64) -> Self {
        Shard::with_side_hasher(FixedState::with_seed(seed))
    }

    /// An empty shard whose side tables use `hasher`.
    pub fn with_side_hasher(hasher: FixedState) -> Self {
        Shard::with_total(hasher, Arc::default())
    }

    /// An empty shard whose side tables use `hasher` and whose bytes are
    /// also counted in `total` (shared with other shards).
    pub fn with_total(hasher: FixedState, total: Arc<AtomicI64>) -> Self {
        Shard {
            segs: vec![HashTable::new()],
            len: 0,
            volatile: 0,
            mem: 0,
            total,
            expire_cursor: 0,
            field_ttl: hashbrown::HashMap::with_hasher(hasher),
            slot_counts: [0; SLOTS_PER_SHARD],
            touch_rng: 0,
        }
    }

    /// Number of keys (expired or not) in slot `slot_in_shard` of this stripe.
    pub fn slot_len(&self, slot_in_shard: usize) -> usize {
        self.slot_counts.get(slot_in_shard).map_or(0, |&n| n as usize)
    }

    /// Moves the shared byte counter with `mem`.
    #[inline]
    fn count_total(&self, delta: i64) {
        if delta != 0 {
            self.total.fetch_add(delta, Ordering::Relaxed);
        }
    }

    /// Keeps the counters right for an entry leaving the table.
    fn account_removed(&mut self, entry: &Entry) {
        self.len -= 1;
        self.mem -= entry.mem_size();
        self.count_total(-(entry.mem_size() as i64));
        self.volatile -= usize::from(entry.expire_at != 0);
        self.slot_counts[slot_in_shard(entry.hash)] -= 1;
        if field_expiry(&entry.value) != 0 {
            self.field_ttl.remove(&*entry.key);
        }
    }

    /// The shared byte counter this shard moves.
    pub fn total_counter(&self) -> Arc<AtomicI64> {
        self.total.clone()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the shard holds no keys.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of keys with a TTL.
    pub fn volatile(&self) -> usize {
        self.volatile
    }

    /// Approximate bytes used by the entries.
    pub fn mem(&self) -> usize {
        self.mem
    }

    /// Number of segments (a power of two).
    pub fn segments(&self) -> usize {
        self.segs.len()
    }

    fn mask(&self) -> usize {
        self.segs.len() - 1
    }

    /// Looks a key up.
    pub fn get(&self, hash: u64, key: &[u8]) -> Option<&Entry> {
        let seg = &self.segs[hash as usize & self.mask()];
        seg.find(inner_hash(hash), |e| &*e.key == key).map(|e| &**e)
    }

    /// The next random number for an LFU counter increment.
    fn next_random(&mut self) -> u64 {
        self.touch_rng = self.touch_rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.touch_rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Records an access to a key (its LRU clock or LFU counter), if it exists.
    pub fn touch(&mut self, hash: u64, key: &[u8], t: Touch) {
        let r = if t.is_lfu() { self.next_random() } else { 0 };
        if let Some(e) = self.get_mut(hash, key) {
            e.access = t.apply(e.access, r);
        }
    }

    /// Looks a key up once for a command: an expired entry is removed and
    /// returned as [`Live::Expired`]; a live one has its access recorded
    /// with `touch` (when given) and is returned. One probe instead of a
    /// lookup for the expiry check, one for the access time and one for the read.
    pub fn live(&mut self, hash: u64, key: &[u8], now: u64, touch: Option<Touch>) -> Live<'_> {
        let r = match touch {
            Some(t) if t.is_lfu() => self.next_random(),
            _ => 0,
        };
        let mask = self.mask();
        let seg = &mut self.segs[hash as usize & mask];
        let Ok(found) = seg.find_entry(inner_hash(hash), |e| &*e.key == key) else {
            return Live::Missing;
        };
        if found.get().is_expired(now) {
            let (entry, _) = found.remove();
            // Field by field: `seg` still borrows `self.segs` here.
            self.len -= 1;
            self.mem -= entry.mem_size();
            self.total.fetch_sub(entry.mem_size() as i64, Ordering::Relaxed);
            self.volatile -= usize::from(entry.expire_at != 0);
            self.slot_counts[slot_in_shard(entry.hash)] -= 1;
            if field_expiry(&entry.value) != 0 {
                self.field_ttl.remove(&*entry.key);
            }
            return Live::Expired(*entry);
        }
        let e = found.into_mut();
        if let Some(t) = touch {
            // The access time is no part of the memory or TTL counters.
            e.access = t.apply(e.access, r);
        }
        Live::Found(e)
    }

    /// Looks a key up for modification. Callers that change the value's size
    /// or the TTL must go through [`Shard::update`] so the counters stay right.
    fn get_mut(&mut self, hash: u64, key: &[u8]) -> Option<&mut Entry> {
        let mask = self.mask();
        let seg = &mut self.segs[hash as usize & mask];
        seg.find_mut(inner_hash(hash), |e| &*e.key == key).map(|e| &mut **e)
    }

    /// Runs `f` on an existing entry, keeping the memory and TTL counters right.
    pub fn update<R>(&mut self, hash: u64, key: &[u8], f: impl FnOnce(&mut Entry) -> R) -> Option<R> {
        let e = self.get_mut(hash, key)?;
        let (mem0, vol0, fttl0) = (e.mem_size(), e.expire_at != 0, field_expiry(&e.value));
        let r = f(e);
        let (mem1, vol1, fttl1) = (e.mem_size(), e.expire_at != 0, field_expiry(&e.value));
        let moved = (fttl0 != fttl1).then(|| (Box::<[u8]>::from(&*e.key), e.hash));
        if let Some((k, h)) = moved {
            if fttl1 != 0 {
                self.field_ttl.insert(k, (h, fttl1));
            } else {
                self.field_ttl.remove(&k);
            }
        }
        self.mem = self.mem + mem1 - mem0;
        self.count_total(mem1 as i64 - mem0 as i64);
        self.volatile = self.volatile + usize::from(vol1) - usize::from(vol0);
        Some(r)
    }

    /// Inserts or replaces an entry; returns the previous one.
    pub fn insert(&mut self, entry: Entry) -> Option<Entry> {
        self.insert_boxed(Box::new(entry))
    }

    /// [`Shard::insert`] of an already boxed entry (moving entries between
    /// shards keeps their allocation).
    pub fn insert_boxed(&mut self, entry: Box<Entry>) -> Option<Entry> {
        let old = self.remove(entry.hash, &entry.key);
        self.mem += entry.mem_size();
        self.count_total(entry.mem_size() as i64);
        self.volatile += usize::from(entry.expire_at != 0);
        let next = field_expiry(&entry.value);
        if next != 0 {
            self.field_ttl.insert(Box::from(&*entry.key), (entry.hash, next));
        }
        self.len += 1;
        self.slot_counts[slot_in_shard(entry.hash)] += 1;
        let mask = self.mask();
        let seg = &mut self.segs[entry.hash as usize & mask];
        seg.insert_unique(inner_hash(entry.hash), entry, |e| inner_hash(e.hash));
        if self.len > self.segs.len() * SEGMENT_TARGET {
            self.grow();
        }
        old
    }

    /// Removes a key; returns its entry.
    pub fn remove(&mut self, hash: u64, key: &[u8]) -> Option<Entry> {
        let mask = self.mask();
        let seg = &mut self.segs[hash as usize & mask];
        let found = seg.find_entry(inner_hash(hash), |e| &*e.key == key).ok()?;
        let (entry, _) = found.remove();
        self.account_removed(&entry);
        Some(*entry)
    }

    /// Doubles the segment count, splitting each segment by the next hash bit.
    fn grow(&mut self) {
        let old_n = self.segs.len();
        // Segment `i` splits into `i` (next hash bit clear) and `i + old_n`
        // (set). Each half is sized for its entries up front: filling empty
        // tables would rehash each of them several times on the way up.
        let mut lo: Vec<HashTable<Box<Entry>>> = Vec::with_capacity(old_n);
        let mut hi: Vec<HashTable<Box<Entry>>> = Vec::with_capacity(old_n);
        for seg in self.segs.drain(..) {
            let n_hi = seg.iter().filter(|e| e.hash as usize & old_n != 0).count();
            let mut l = HashTable::with_capacity(seg.len() - n_hi);
            let mut h = HashTable::with_capacity(n_hi);
            for e in seg {
                let half = if e.hash as usize & old_n != 0 { &mut h } else { &mut l };
                half.insert_unique(inner_hash(e.hash), e, |x| inner_hash(x.hash));
            }
            lo.push(l);
            hi.push(h);
        }
        lo.append(&mut hi);
        self.segs = lo;
    }

    /// Removes every key; returns the old contents.
    pub fn clear(&mut self) -> Shard {
        let fresh = Shard::with_total(*self.field_ttl.hasher(), self.total.clone());
        self.count_total(-(self.mem as i64));
        std::mem::replace(self, fresh)
    }

    /// The segments that may hold keys of slot `sis` (its index within the
    /// stripe): one shared segment below 256 segments, otherwise every 256th
    /// segment from `sis`, each holding that slot's keys only.
    fn slot_segments(&self, sis: usize) -> impl Iterator<Item = usize> {
        let n = self.segs.len();
        let sis = sis & (SLOTS_PER_SHARD - 1);
        let (first, step) = if n >= SLOTS_PER_SHARD {
            (sis, SLOTS_PER_SHARD)
        } else {
            (sis & (n - 1), n)
        };
        (first..n).step_by(step)
    }

    /// Calls `f` on every entry of slot `sis` (its index within the stripe)
    /// until it returns false. Visits only the segments that can hold the
    /// slot; see the module documentation for the cost.
    pub fn for_slot(&self, sis: usize, mut f: impl FnMut(&Entry) -> bool) {
        if self.slot_len(sis) == 0 {
            return;
        }
        for i in self.slot_segments(sis) {
            for e in self.segs[i].iter() {
                if slot_in_shard(e.hash) == sis && !f(e) {
                    return;
                }
            }
        }
    }

    /// Removes every entry of slot `sis`, handing each to `f`.
    pub fn drain_slot(&mut self, sis: usize, mut f: impl FnMut(Box<Entry>)) {
        if self.slot_len(sis) == 0 {
            return;
        }
        let segs: Vec<usize> = self.slot_segments(sis).collect();
        for i in segs {
            let taken: Vec<Box<Entry>> = if self.segs.len() >= SLOTS_PER_SHARD {
                // The whole segment is this slot's.
                std::mem::take(&mut self.segs[i]).into_iter().collect()
            } else {
                self.segs[i].extract_if(|e| slot_in_shard(e.hash) == sis).collect()
            };
            for e in taken {
                self.account_removed(&e);
                f(e);
            }
        }
    }

    /// Visits the segment at `cursor` (Redis's reverse-binary `dictScan`
    /// order) calling `f` on each entry; returns the next cursor, 0 when done.
    pub fn scan_step(&self, cursor: u64, mut f: impl FnMut(&Entry)) -> u64 {
        let m = self.mask() as u64;
        for e in self.segs[(cursor & m) as usize].iter() {
            f(e);
        }
        let mut v = cursor | !m;
        v = rev(v);
        v = v.wrapping_add(1);
        rev(v)
    }

    /// Entries of segment `idx` (modulo the segment count).
    pub fn segment(&self, idx: usize) -> impl Iterator<Item = &Entry> {
        self.segs[idx & self.mask()].iter().map(|e| &**e)
    }

    /// Removes the expired entries of segment `idx`; returns
    /// (entries with a TTL seen, removed entries).
    pub fn expire_segment(&mut self, idx: usize, now: u64) -> (usize, Vec<Entry>) {
        let mask = self.mask();
        let seg = &mut self.segs[idx & mask];
        let mut seen = 0;
        let mut removed = Vec::new();
        for e in seg.extract_if(|e| {
            seen += usize::from(e.expire_at != 0);
            e.is_expired(now)
        }) {
            removed.push(*e);
        }
        for e in &removed {
            self.account_removed(e);
        }
        (seen, removed)
    }

    /// A uniformly chosen non-empty segment's random entry, given two random numbers.
    pub fn random_entry(&self, r1: u64, r2: u64) -> Option<&Entry> {
        if self.len == 0 {
            return None;
        }
        let n = self.segs.len();
        // Probe from a random segment to the next non-empty one.
        let start = (r1 as usize) & (n - 1);
        for i in 0..n {
            let seg = &self.segs[(start + i) & (n - 1)];
            if !seg.is_empty() {
                return seg.iter().nth((r2 as usize) % seg.len()).map(|e| &**e);
            }
        }
        None
    }

    /// Offers up to `count` entries to `f` (only those with a TTL when
    /// `volatile`), taken from consecutive segments from a random point
    /// `start` (Redis's `dictGetSomeKeys`): at most `count * 10` segments
    /// are visited.
    pub fn sample(&self, start: u64, count: usize, volatile: bool, mut f: impl FnMut(&Entry)) {
        if self.len == 0 || (volatile && self.volatile == 0) {
            return;
        }
        let n = self.segs.len();
        let first = (start as usize) & (n - 1);
        let skip = (start >> 32) as usize;
        let mut taken = 0;
        for i in 0..n.min(count.saturating_mul(10).max(1)) {
            let seg = &self.segs[(first + i) & (n - 1)];
            let len = seg.len();
            if len == 0 {
                continue;
            }
            // Start inside the first segment at a random entry too.
            let offset = if i == 0 { skip % len } else { 0 };
            for e in seg.iter().skip(offset) {
                if volatile && e.expire_at == 0 {
                    continue;
                }
                f(e);
                taken += 1;
                if taken >= count {
                    return;
                }
            }
        }
    }

    /// Keys (with their hash) of up to `max` hashes whose earliest field
    /// expiry is due at `now`, for the active expiry of hash fields.
    pub fn due_field_ttls(&self, now: u64, max: usize) -> Vec<(Box<[u8]>, u64)> {
        self.field_ttl
            .iter()
            .filter(|(_, (_, next))| *next < now)
            .take(max)
            .map(|(k, (h, _))| (k.clone(), *h))
            .collect()
    }

    /// Iterates over every entry.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.segs.iter().flat_map(|s| s.iter().map(|e| &**e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::value::Str;
    use std::collections::HashSet;

    fn entry(i: u64) -> Entry {
        let key = Key::from(format!("k{i}").as_bytes());
        // A cheap, well-mixed hash for tests.
        let hash = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Entry {
            key,
            value: Value::Str(Str::Int(i as i64)),
            expire_at: 0,
            access: 0,
            hash,
        }
    }

    #[test]
    fn insert_get_remove_keep_counters() {
        let mut s = Shard::new(0);
        for i in 0..1000 {
            assert!(s.insert(entry(i)).is_none());
        }
        assert_eq!(s.len(), 1000);
        assert!(s.segments() >= 1000 / SEGMENT_TARGET);
        let e = entry(7);
        assert!(s.get(e.hash, &e.key).is_some());
        assert!(s.remove(e.hash, &e.key).is_some());
        assert!(s.get(e.hash, &e.key).is_none());
        assert_eq!(s.len(), 999);
        let total: usize = s.iter().map(|e| e.mem_size()).sum();
        assert_eq!(total, s.mem());
    }

    #[test]
    fn scan_returns_every_key_present_throughout_while_growing() {
        let mut s = Shard::new(0);
        for i in 0..100 {
            s.insert(entry(i));
        }
        let mut seen = HashSet::new();
        let mut cursor = 0;
        let mut next_new = 100;
        loop {
            cursor = s.scan_step(cursor, |e| {
                seen.insert(e.key.clone());
            });
            // Grow the shard between steps.
            for _ in 0..50 {
                s.insert(entry(next_new));
                next_new += 1;
            }
            if cursor == 0 {
                break;
            }
        }
        for i in 0..100 {
            assert!(seen.contains(&entry(i).key), "key {i} missed");
        }
    }

    #[test]
    fn expire_segment_removes_only_expired() {
        let mut s = Shard::new(0);
        for i in 0..10 {
            let mut e = entry(i);
            e.expire_at = if i % 2 == 0 { 5 } else { 50 };
            s.insert(e);
        }
        assert_eq!(s.volatile(), 10);
        let mut removed = 0;
        for idx in 0..s.segments() {
            removed += s.expire_segment(idx, 10).1.len();
        }
        assert_eq!(removed, 5);
        assert_eq!(s.len(), 5);
        assert_eq!(s.volatile(), 5);
    }
}
