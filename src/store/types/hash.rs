//! The hash type: one packed buffer of fields in insertion order while
//! small (Redis's listpack; layout in `hash_pack.rs`), a segmented
//! `hashbrown` table past `hash-max-listpack-entries` /
//! `hash-max-listpack-value` (never back, as Redis 7.0). Fields are handed
//! out as borrowed [`Field`] views of either encoding's bytes.
//!
//! Every field may carry its own absolute expiry (Unix ms, 0 = none), as
//! Redis 7.4's hash-field TTLs. Expired fields are removed by
//! [`Hash::purge_expired`], which the commands call before touching a hash
//! and the active expiry cycle calls on hashes nobody reads;
//! [`Hash::next_expiry`] is a lower bound of the earliest field expiry (0 =
//! none) that makes the common case (no field due) a single comparison.
//!
//! The big encoding is Redis's `dict` in miniature: `2^b` small tables picked
//! by the low bits of the field's hash, split by the next bit when they grow,
//! so `HSCAN`'s reverse-binary cursor returns every field present for a
//! whole iteration at least once, as Redis guarantees. Each slot holds one
//! field's record, inline when it is at most 22 bytes, else boxed.
//!
//! [`Hash::heap_size`] counts every allocation at what glibc malloc hands
//! out for it (buffer capacity, segment tables, boxed records) from
//! counters kept up to date by each write, so it is O(1).
//!
//! Invariants: field names are unique; a listpack hash never holds more than
//! the entries limit it was last written under; a field lives in segment
//! `hash & (segs.len() - 1)`; `len` is the number of stored fields.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::HashTable;

use super::Limits;

#[path = "hash_pack.rs"]
mod pack;

use pack::{alloc_cost, Pack, PackIter};

/// Average fields per segment before the segment count doubles.
const SEGMENT_TARGET: usize = 8;

/// One field of a hash, borrowed from wherever its encoding keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field name.
    pub name: &'a [u8],
    /// The value.
    pub value: &'a [u8],
    /// Absolute expiry in Unix ms; 0 when the field is persistent.
    pub expire_at: u64,
}

impl Field<'_> {
    /// Whether the field's TTL has passed at `now` (Redis 7.4 keeps a field
    /// until its time is strictly behind the command's time).
    pub fn is_expired(&self, now: u64) -> bool {
        self.expire_at != 0 && self.expire_at < now
    }
}

/// Longest record kept inside its table slot.
const INLINE: usize = 22;

/// One field's record (see `hash_pack.rs`) in the big encoding: inside the
/// 24-byte table slot when it fits (short names and values, the common
/// case, cost no allocation at all), else in one allocation of its own.
#[derive(Debug, Clone)]
enum Record {
    Inline { len: u8, bytes: [u8; INLINE] },
    Boxed(Box<[u8]>),
}

impl Record {
    fn new(name: &[u8], value: &[u8], expire_at: u64) -> Record {
        if pack::encoded_len(name.len(), value.len(), expire_at) <= INLINE {
            let mut v = Vec::with_capacity(INLINE);
            pack::encode_into(&mut v, name, value, expire_at);
            Record::from_bytes(&v)
        } else {
            Record::Boxed(pack::encode(name, value, expire_at))
        }
    }

    /// A record from its encoded bytes.
    fn from_bytes(rec: &[u8]) -> Record {
        if rec.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..rec.len()].copy_from_slice(rec);
            Record::Inline {
                len: rec.len() as u8,
                bytes,
            }
        } else {
            Record::Boxed(rec.into())
        }
    }

    /// Heap bytes the record holds outside its slot.
    fn heap(&self) -> usize {
        match self {
            Record::Inline { .. } => 0,
            Record::Boxed(b) => alloc_cost(b.len()),
        }
    }
}

impl std::ops::Deref for Record {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Record::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Record::Boxed(b) => b,
        }
    }
}

impl std::ops::DerefMut for Record {
    fn deref_mut(&mut self) -> &mut [u8] {
        match self {
            Record::Inline { len, bytes } => &mut bytes[..usize::from(*len)],
            Record::Boxed(b) => b,
        }
    }
}

/// The big encoding: segmented hash tables of records.
#[derive(Debug, Clone)]
struct Table {
    segs: Vec<HashTable<Record>>,
    len: usize,
    hasher: FixedState,
    /// Heap bytes of the records' allocations.
    rec_bytes: usize,
    /// Heap bytes of the segments' allocations.
    seg_bytes: usize,
}

fn inner_hash(h: u64) -> u64 {
    // Segments use the low bits; keep hashbrown's probe bits independent.
    h.rotate_left(32)
}

/// Heap bytes of one segment: hashbrown's buckets (a record pointer and a
/// control byte each) plus its trailing group of control bytes.
fn seg_cost(seg: &HashTable<Record>) -> usize {
    let cap = seg.capacity();
    if cap == 0 {
        return 0;
    }
    let buckets = if cap < 8 { cap + 1 } else { cap / 7 * 8 };
    alloc_cost(buckets * (std::mem::size_of::<Record>() + 1) + 16)
}

impl Table {
    fn new(hash_seed: u64) -> Table {
        Table {
            segs: vec![HashTable::new()],
            len: 0,
            hasher: crate::store::container_hasher(hash_seed),
            rec_bytes: 0,
            seg_bytes: 0,
        }
    }

    fn heap_size(&self) -> usize {
        alloc_cost(std::mem::size_of::<Table>())
            + alloc_cost(self.segs.capacity() * std::mem::size_of::<HashTable<Record>>())
            + self.seg_bytes
            + self.rec_bytes
    }

    fn mask(&self) -> usize {
        self.segs.len() - 1
    }

    fn hash_of(&self, name: &[u8]) -> u64 {
        self.hasher.hash_one(name)
    }

    fn find(&self, name: &[u8]) -> Option<&[u8]> {
        let h = self.hash_of(name);
        self.segs[h as usize & self.mask()]
            .find(inner_hash(h), |r| pack::name_of(r) == name)
            .map(|r| &**r)
    }

    fn get(&self, name: &[u8]) -> Option<Field<'_>> {
        self.find(name).map(|r| pack::read(r, 0).field(r))
    }

    /// Gives the field `name` the value `value` (None: keep it) and the
    /// expiry `at` makes of its current one; false if there is no such
    /// field. One new allocation, or none when only an existing expiry
    /// changes.
    fn rewrite(&mut self, name: &[u8], value: Option<&[u8]>, at: impl FnOnce(u64) -> u64) -> bool {
        let h = self.hash_of(name);
        let mask = self.mask();
        let Some(rec) = self.segs[h as usize & mask].find_mut(inner_hash(h), |r| pack::name_of(r) == name) else {
            return false;
        };
        let r = pack::read(rec, 0);
        let old = r.field(rec);
        let at = at(old.expire_at);
        match (value, r.ttl) {
            (None, Some(t)) if at != 0 => rec[t..t + 8].copy_from_slice(&at.to_le_bytes()),
            (None, _) if at == old.expire_at => {}
            _ => {
                let new = Record::new(name, value.unwrap_or(old.value), at);
                self.rec_bytes = self.rec_bytes + new.heap() - rec.heap();
                *rec = new;
            }
        }
        true
    }

    /// Inserts a record whose field is known to be absent.
    fn insert_new(&mut self, rec: Record) {
        let h = self.hash_of(pack::name_of(&rec));
        let idx = h as usize & self.mask();
        self.rec_bytes += rec.heap();
        let Table {
            segs,
            hasher,
            seg_bytes,
            ..
        } = self;
        let seg = &mut segs[idx];
        let before = seg_cost(seg);
        seg.insert_unique(inner_hash(h), rec, |r| inner_hash(hasher.hash_one(pack::name_of(r))));
        *seg_bytes = *seg_bytes + seg_cost(seg) - before;
        self.len += 1;
        if self.len > self.segs.len() * SEGMENT_TARGET {
            self.grow();
        }
    }

    fn remove(&mut self, name: &[u8]) -> bool {
        let h = self.hash_of(name);
        let mask = self.mask();
        let Ok(found) = self.segs[h as usize & mask].find_entry(inner_hash(h), |r| pack::name_of(r) == name) else {
            return false;
        };
        let (rec, _) = found.remove();
        self.rec_bytes -= rec.heap();
        self.len -= 1;
        true
    }

    fn grow(&mut self) {
        let n = self.segs.len() * 2;
        let mut segs: Vec<HashTable<Record>> = (0..n).map(|_| HashTable::new()).collect();
        let hasher = &self.hasher;
        let rehash = |r: &[u8]| hasher.hash_one(pack::name_of(r));
        for seg in self.segs.drain(..) {
            for r in seg {
                let h = rehash(&r);
                segs[h as usize & (n - 1)].insert_unique(inner_hash(h), r, |x| inner_hash(rehash(x)));
            }
        }
        self.seg_bytes = segs.iter().map(seg_cost).sum();
        self.segs = segs;
    }

    fn iter(&self) -> TableIter<'_> {
        TableIter {
            segs: self.segs.iter(),
            cur: None,
        }
    }

    fn retain(&mut self, mut keep: impl FnMut(Field<'_>) -> bool) -> usize {
        let mut removed = 0;
        let mut freed = 0;
        for seg in &mut self.segs {
            seg.retain(|r| {
                let k = keep(pack::read(r, 0).field(r));
                if !k {
                    removed += 1;
                    freed += r.heap();
                }
                k
            });
        }
        self.len -= removed;
        self.rec_bytes -= freed;
        removed
    }

    fn scan_step(&self, cursor: u64, mut f: impl FnMut(Field<'_>)) -> u64 {
        let m = self.mask() as u64;
        for r in self.segs[(cursor & m) as usize].iter() {
            f(pack::read(r, 0).field(r));
        }
        let v = (cursor | !m).reverse_bits().wrapping_add(1);
        v.reverse_bits()
    }
}

/// The fields of a [`Table`], segment by segment.
struct TableIter<'a> {
    segs: std::slice::Iter<'a, HashTable<Record>>,
    cur: Option<hashbrown::hash_table::Iter<'a, Record>>,
}

impl<'a> Iterator for TableIter<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        loop {
            if let Some(r) = self.cur.as_mut().and_then(Iterator::next) {
                return Some(pack::read(r, 0).field(r));
            }
            self.cur = Some(self.segs.next()?.iter());
        }
    }
}

/// The fields of a [`Hash`]: insertion order in the compact encoding.
pub struct Iter<'a>(IterRepr<'a>);

enum IterRepr<'a> {
    Pack(PackIter<'a>),
    Table(TableIter<'a>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        match &mut self.0 {
            IterRepr::Pack(i) => i.next(),
            IterRepr::Table(i) => i.next(),
        }
    }
}

#[derive(Debug, Clone)]
enum Repr {
    /// Fields packed in insertion order (Redis's listpack).
    Listpack(Pack),
    /// Segmented hash tables (Redis's hashtable).
    Table(Box<Table>),
}

/// A hash value.
#[derive(Debug, Clone)]
pub struct Hash {
    repr: Repr,
    /// Lower bound of the earliest field expiry; 0 when no field has one.
    next_expiry: u64,
}

impl Default for Hash {
    fn default() -> Self {
        Hash::new()
    }
}

impl PartialEq for Hash {
    /// Same fields, values and expiries, whatever the encoding or order.
    fn eq(&self, other: &Hash) -> bool {
        self.len() == other.len() && self.iter().all(|f| other.get(f.name) == Some(f))
    }
}

/// What [`Hash::set_expiry`] did to one field (Redis 7.4's reply codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryOutcome {
    /// No such field (-2).
    NoField,
    /// The NX/XX/GT/LT condition was not met (0).
    ConditionNotMet,
    /// The expiry was set (1).
    Set,
    /// The time was not in the future, so the field was deleted (2).
    Deleted,
}

/// The condition of `HEXPIRE ... NX|XX|GT|LT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryCondition {
    /// Always set.
    Always,
    /// Only fields without an expiry.
    Nx,
    /// Only fields with an expiry.
    Xx,
    /// Only when later than the current one (no expiry counts as infinite).
    Gt,
    /// Only when earlier than the current one (no expiry counts as infinite).
    Lt,
}

impl Hash {
    /// An empty hash in the compact encoding.
    pub fn new() -> Hash {
        Hash {
            repr: Repr::Listpack(Pack::default()),
            next_expiry: 0,
        }
    }

    /// Number of stored fields (expired ones included until purged).
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Listpack(p) => p.len(),
            Repr::Table(t) => t.len,
        }
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the compact encoding is in use.
    pub fn is_listpack(&self) -> bool {
        matches!(self.repr, Repr::Listpack(_))
    }

    /// The `OBJECT ENCODING` name. A small hash with field TTLs is what
    /// Redis 7.4 calls listpackex; it is reported as `listpack`.
    pub fn encoding(&self) -> &'static str {
        match self.repr {
            Repr::Listpack(_) => "listpack",
            Repr::Table(_) => "hashtable",
        }
    }

    /// Heap bytes held, allocator overhead included (O(1): the shard asks
    /// on every write).
    pub fn heap_size(&self) -> usize {
        match &self.repr {
            Repr::Listpack(p) => p.heap_size(),
            Repr::Table(t) => t.heap_size(),
        }
    }

    /// Lower bound of the earliest field expiry (Unix ms); 0 when no field
    /// has one. May be earlier than the real one after fields were removed.
    pub fn next_expiry(&self) -> u64 {
        self.next_expiry
    }

    fn note_expiry(&mut self, at: u64) {
        if at != 0 && (self.next_expiry == 0 || at < self.next_expiry) {
            self.next_expiry = at;
        }
    }

    /// Removes every field whose TTL has passed at `now`; returns how many.
    pub fn purge_expired(&mut self, now: u64) -> usize {
        if self.next_expiry == 0 || self.next_expiry >= now {
            return 0;
        }
        let keep = |f: Field<'_>| !f.is_expired(now);
        let removed = match &mut self.repr {
            Repr::Listpack(p) => p.retain(keep),
            Repr::Table(t) => t.retain(keep),
        };
        self.next_expiry = self.iter().map(|f| f.expire_at).filter(|&a| a != 0).min().unwrap_or(0);
        removed
    }

    /// The field named `name`.
    pub fn get(&self, name: &[u8]) -> Option<Field<'_>> {
        match &self.repr {
            Repr::Listpack(p) => p.get(name),
            Repr::Table(t) => t.get(name),
        }
    }

    /// Every field; insertion order in the compact encoding.
    pub fn iter(&self) -> Iter<'_> {
        Iter(match &self.repr {
            Repr::Listpack(p) => IterRepr::Pack(p.iter()),
            Repr::Table(t) => IterRepr::Table(t.iter()),
        })
    }

    /// Switches to the big encoding if any of `lens` (lengths of fields or
    /// values about to be written) is over `hash-max-listpack-value`, as
    /// Redis's `hashTypeTryConversion` does before a write.
    pub fn prepare_for(&mut self, lens: impl IntoIterator<Item = usize>, limits: &Limits) {
        if self.is_listpack() && lens.into_iter().any(|l| l > limits.hash_max_listpack_value) {
            self.convert(limits.hash_seed);
        }
    }

    fn convert(&mut self, hash_seed: u64) {
        if let Repr::Listpack(p) = &self.repr {
            let mut t = Box::new(Table::new(hash_seed));
            for rec in p.records() {
                t.insert_new(Record::from_bytes(rec));
            }
            self.repr = Repr::Table(t);
        }
    }

    fn check_entries(&mut self, limits: &Limits) {
        if self.is_listpack() && self.len() > limits.hash_max_listpack_entries {
            self.convert(limits.hash_seed);
        }
    }

    /// Sets a field's value, clearing its TTL (`HSET`); returns true if the
    /// field is new.
    pub fn set(&mut self, name: &[u8], value: &[u8], limits: &Limits) -> bool {
        self.store(name, value, false, limits)
    }

    /// Sets a field's value keeping its TTL (`HINCRBY`, `HINCRBYFLOAT`);
    /// returns true if the field is new.
    pub fn set_keep_ttl(&mut self, name: &[u8], value: &[u8], limits: &Limits) -> bool {
        self.store(name, value, true, limits)
    }

    fn store(&mut self, name: &[u8], value: &[u8], keep_ttl: bool, limits: &Limits) -> bool {
        // Redis's hashTypeSet converts when the field or value is too long.
        self.prepare_for([name.len(), value.len()], limits);
        let ttl = |old: u64| if keep_ttl { old } else { 0 };
        match &mut self.repr {
            Repr::Listpack(p) => match p.find(name) {
                Some(r) => {
                    let at = ttl(p.field(&r).expire_at);
                    p.rewrite(&r, value, at);
                    return false;
                }
                None => p.push(name, value, 0),
            },
            Repr::Table(t) => {
                if t.rewrite(name, Some(value), ttl) {
                    return false;
                }
                t.insert_new(Record::new(name, value, 0));
            }
        }
        self.check_entries(limits);
        true
    }

    /// Gives an existing field the expiry `at` (0: none); false if absent.
    fn put_expiry(&mut self, name: &[u8], at: u64) -> bool {
        match &mut self.repr {
            Repr::Listpack(p) => match p.find(name) {
                Some(r) => {
                    p.set_expiry(&r, at);
                    true
                }
                None => false,
            },
            Repr::Table(t) => t.rewrite(name, None, |_| at),
        }
    }

    /// Removes a field; true if it existed.
    pub fn remove(&mut self, name: &[u8]) -> bool {
        match &mut self.repr {
            Repr::Listpack(p) => p.remove(name),
            Repr::Table(t) => t.remove(name),
        }
    }

    /// Applies `HEXPIRE`-style expiry `at` (absolute Unix ms) to a field
    /// under `cond`; a time not after `now` deletes the field.
    pub fn set_expiry(&mut self, name: &[u8], at: u64, cond: ExpiryCondition, now: u64) -> ExpiryOutcome {
        let Some(f) = self.get(name) else {
            return ExpiryOutcome::NoField;
        };
        let prev = f.expire_at;
        // No expiry behaves as an infinite one for GT and LT.
        let prev_inf = if prev == 0 { u64::MAX } else { prev };
        let met = match cond {
            ExpiryCondition::Always => true,
            ExpiryCondition::Nx => prev == 0,
            ExpiryCondition::Xx => prev != 0,
            ExpiryCondition::Gt => at > prev_inf,
            ExpiryCondition::Lt => at < prev_inf,
        };
        if !met {
            return ExpiryOutcome::ConditionNotMet;
        }
        if at <= now {
            self.remove(name);
            return ExpiryOutcome::Deleted;
        }
        self.put_expiry(name, at);
        self.note_expiry(at);
        ExpiryOutcome::Set
    }

    /// Removes a field's TTL: `None` if there is no such field, `Some(false)`
    /// if it had none, `Some(true)` if one was removed.
    pub fn persist(&mut self, name: &[u8]) -> Option<bool> {
        let had = self.get(name)?.expire_at != 0;
        if had {
            self.put_expiry(name, 0);
        }
        Some(had)
    }

    /// One `HSCAN` step over the big encoding from `cursor`, calling `f` on
    /// each field of the visited segments until about `count` fields were
    /// offered; returns the next cursor (0 when done). The compact encoding
    /// is visited whole in one call, as Redis does.
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(Field<'_>)) -> u64 {
        match &self.repr {
            Repr::Listpack(p) => {
                p.iter().for_each(f);
                0
            }
            Repr::Table(t) => {
                let mut cursor = cursor;
                let mut offered = 0;
                // Bound the work per call like Redis (count * 10 buckets).
                let mut visits = count.saturating_mul(10).max(1);
                loop {
                    cursor = t.scan_step(cursor, |x| {
                        offered += 1;
                        f(x);
                    });
                    visits -= 1;
                    if cursor == 0 || offered >= count || visits == 0 {
                        return cursor;
                    }
                }
            }
        }
    }

    /// The contents for a `DUMP` payload: (field, value, expiry in Unix ms or 0).
    pub fn dump_entries(&self) -> Vec<(Vec<u8>, Vec<u8>, u64)> {
        self.iter()
            .map(|f| (f.name.to_vec(), f.value.to_vec(), f.expire_at))
            .collect()
    }

    /// Rebuilds a value from `DUMP` contents; `None` if they are empty or
    /// hold a field twice.
    pub fn from_dump(items: Vec<(Vec<u8>, Vec<u8>, u64)>, limits: &Limits) -> Option<Hash> {
        if items.is_empty() {
            return None;
        }
        let mut h = Hash::new();
        h.prepare_for(items.iter().flat_map(|(f, v, _)| [f.len(), v.len()]), limits);
        for (name, value, at) in items {
            if h.get(&name).is_some() {
                return None;
            }
            h.set(&name, &value, limits);
            if at != 0 {
                h.put_expiry(&name, at);
                h.note_expiry(at);
            }
        }
        Some(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(entries: usize, value: usize) -> Limits {
        Limits {
            hash_max_listpack_entries: entries,
            hash_max_listpack_value: value,
            ..Limits::default()
        }
    }

    #[test]
    fn listpack_keeps_insertion_order_and_promotes_past_the_entry_limit() {
        let l = limits(3, 64);
        let mut h = Hash::new();
        assert!(h.set(b"c", b"1", &l));
        assert!(h.set(b"a", b"2", &l));
        assert!(!h.set(b"c", b"3", &l));
        assert!(h.set(b"b", b"4", &l));
        assert_eq!(h.encoding(), "listpack");
        let names: Vec<&[u8]> = h.iter().map(|f| f.name).collect();
        assert_eq!(names, [b"c", b"a", b"b"]);
        assert!(h.set(b"d", b"5", &l));
        assert_eq!(h.encoding(), "hashtable");
        assert!(h.remove(b"a") && h.remove(b"b") && h.remove(b"c"));
        // Never back to the compact encoding.
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"d").map(|f| f.value), Some(&b"5"[..]));
    }

    #[test]
    fn long_field_or_value_promotes_at_once() {
        let l = limits(128, 4);
        let mut h = Hash::new();
        h.set(b"f", b"1234", &l);
        assert_eq!(h.encoding(), "listpack");
        h.set(b"f", b"12345", &l);
        assert_eq!(h.encoding(), "hashtable");
        let mut g = Hash::new();
        g.set(b"long-name", b"", &l);
        assert_eq!(g.encoding(), "hashtable");
    }

    #[test]
    fn table_survives_growth_and_scan_sees_every_field() {
        let l = limits(0, 64);
        let mut h = Hash::new();
        for i in 0..1000 {
            h.set(format!("f{i}").as_bytes(), b"v", &l);
        }
        assert_eq!(h.len(), 1000);
        let mut seen = std::collections::HashSet::new();
        let mut cursor = 0;
        let mut extra = 0;
        loop {
            cursor = h.scan(cursor, 10, |f| {
                seen.insert(f.name.to_vec());
            });
            // Keep growing in between steps.
            for _ in 0..20 {
                h.set(format!("g{extra}").as_bytes(), b"v", &l);
                extra += 1;
            }
            if cursor == 0 {
                break;
            }
        }
        for i in 0..1000 {
            assert!(seen.contains(format!("f{i}").as_bytes()), "f{i} missed");
        }
    }

    #[test]
    fn field_expiry_conditions_deletion_and_purge() {
        let l = Limits::default();
        let mut h = Hash::new();
        h.set(b"a", b"1", &l);
        h.set(b"b", b"2", &l);
        use ExpiryCondition::*;
        assert_eq!(h.set_expiry(b"zz", 500, Always, 100), ExpiryOutcome::NoField);
        assert_eq!(h.set_expiry(b"a", 500, Xx, 100), ExpiryOutcome::ConditionNotMet);
        assert_eq!(h.set_expiry(b"a", 500, Gt, 100), ExpiryOutcome::ConditionNotMet);
        assert_eq!(h.set_expiry(b"a", 500, Lt, 100), ExpiryOutcome::Set);
        assert_eq!(h.set_expiry(b"a", 400, Nx, 100), ExpiryOutcome::ConditionNotMet);
        assert_eq!(h.set_expiry(b"a", 600, Gt, 100), ExpiryOutcome::Set);
        assert_eq!(h.next_expiry(), 500);
        assert_eq!(h.set_expiry(b"b", 100, Always, 100), ExpiryOutcome::Deleted);
        assert!(h.get(b"b").is_none());
        assert_eq!(h.purge_expired(600), 0);
        assert_eq!(h.next_expiry(), 600);
        assert_eq!(h.purge_expired(601), 1);
        assert!(h.is_empty());
        assert_eq!(h.next_expiry(), 0);
    }

    #[test]
    fn set_clears_ttl_but_set_keep_ttl_keeps_it_and_persist_reports() {
        let l = Limits::default();
        let mut h = Hash::new();
        h.set(b"a", b"1", &l);
        h.set_expiry(b"a", 1000, ExpiryCondition::Always, 0);
        h.set_keep_ttl(b"a", b"2", &l);
        assert_eq!(h.get(b"a").map(|f| f.expire_at), Some(1000));
        assert_eq!(h.persist(b"a"), Some(true));
        assert_eq!(h.persist(b"a"), Some(false));
        assert_eq!(h.persist(b"x"), None);
        h.set_expiry(b"a", 1000, ExpiryCondition::Always, 0);
        h.set(b"a", b"3", &l);
        assert_eq!(h.get(b"a").map(|f| f.expire_at), Some(0));
    }

    /// The heap estimate recomputed from scratch (the kept one must match).
    fn recount(h: &Hash) -> usize {
        match &h.repr {
            Repr::Listpack(p) => {
                let bytes: usize = p.records().map(<[u8]>::len).sum();
                assert!(p.heap_size() >= alloc_cost(bytes));
                p.heap_size()
            }
            Repr::Table(t) => {
                let recs: usize = t.segs.iter().flat_map(|s| s.iter()).map(Record::heap).sum();
                let segs: usize = t.segs.iter().map(seg_cost).sum();
                assert_eq!((recs, segs), (t.rec_bytes, t.seg_bytes), "kept table bytes drifted");
                t.heap_size()
            }
        }
    }

    #[test]
    fn heap_size_tracks_allocations_through_every_change() {
        let l = limits(2, 64);
        let mut h = Hash::new();
        assert_eq!(h.heap_size(), 0);
        h.set(b"aa", b"1234", &l);
        h.set(b"b", b"1", &l);
        // Two records of 8 and 4 bytes in one 16-byte buffer: one chunk.
        assert_eq!(h.heap_size(), 32);
        h.set_keep_ttl(b"b", b"123", &l);
        h.set(b"c", b"", &l);
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.heap_size(), recount(&h));
        h.set_expiry(b"aa", 10, ExpiryCondition::Always, 0);
        h.set(b"b", &[b'x'; 40], &l);
        assert_eq!(h.heap_size(), recount(&h));
        h.remove(b"b");
        h.purge_expired(11);
        assert_eq!(h.heap_size(), recount(&h));
        assert_eq!(h.len(), 1);
    }

    #[test]
    fn short_records_live_in_their_slot_and_long_ones_in_a_box() {
        assert_eq!(std::mem::size_of::<Record>(), 24);
        let short = Record::new(b"name", b"value", 12345);
        assert!(matches!(short, Record::Inline { .. }) && short.heap() == 0);
        assert_eq!(pack::read(&short, 0).field(&short).expire_at, 12345);
        let long = Record::new(b"name", &[b'v'; 17], 0);
        assert!(matches!(long, Record::Boxed(_)) && long.heap() == 32);
        assert_eq!(pack::name_of(&long), b"name");
    }

    #[test]
    fn small_hashes_cost_about_their_bytes() {
        let l = Limits::default();
        let mut h = Hash::new();
        for i in 1..=10 {
            h.set(format!("f{i}").as_bytes(), format!("v{i}").as_bytes(), &l);
        }
        // 9 records of 6 bytes and one of 8: 62 bytes, one allocation.
        assert_eq!(h.encoding(), "listpack");
        assert!(h.heap_size() <= 96, "{}", h.heap_size());
        let mut big = Hash::new();
        for i in 0..1000 {
            big.set(format!("f{i}").as_bytes(), format!("v{i}").as_bytes(), &l);
        }
        assert_eq!(big.encoding(), "hashtable");
        assert!(big.heap_size() < 1000 * 72, "{}", big.heap_size());
        assert_eq!(big.heap_size(), recount(&big));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Set(u8, u8, bool),
        Remove(u8),
        Expire(u8, u64, u8),
        Persist(u8),
        Purge(u64),
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        prop_oneof![
            (0u8..16, 0u8..80, any::<bool>()).prop_map(|(n, v, k)| Op::Set(n, v, k)),
            (0u8..16).prop_map(Op::Remove),
            (0u8..16, 1u64..30, 0u8..5).prop_map(|(n, t, c)| Op::Expire(n, t, c)),
            (0u8..16).prop_map(Op::Persist),
            (0u64..30).prop_map(Op::Purge),
        ]
    }

    proptest::proptest! {
        /// Both encodings agree with a model (a Vec of (name, value,
        /// expiry) in insertion order) and keep their heap counts exact.
        #[test]
        fn hash_agrees_with_a_model(
            entries in 0usize..10,
            ops in proptest::collection::vec(op(), 1..120),
        ) {
            let l = limits(entries, 48);
            let mut h = Hash::new();
            let mut model: Vec<(Vec<u8>, Vec<u8>, u64)> = Vec::new();
            let conds = [
                ExpiryCondition::Always,
                ExpiryCondition::Nx,
                ExpiryCondition::Xx,
                ExpiryCondition::Gt,
                ExpiryCondition::Lt,
            ];
            for op in ops {
                match op {
                    Op::Set(n, v, keep_ttl) => {
                        let (name, value) = (format!("field-{n}").into_bytes(), vec![b'0' + n % 10; usize::from(v)]);
                        let new = if keep_ttl { h.set_keep_ttl(&name, &value, &l) } else { h.set(&name, &value, &l) };
                        match model.iter_mut().find(|f| f.0 == name) {
                            Some(m) => {
                                proptest::prop_assert!(!new);
                                m.1 = value;
                                if !keep_ttl {
                                    m.2 = 0;
                                }
                            }
                            None => {
                                proptest::prop_assert!(new);
                                model.push((name, value, 0));
                            }
                        }
                    }
                    Op::Remove(n) => {
                        let name = format!("field-{n}").into_bytes();
                        let before = model.len();
                        model.retain(|f| f.0 != name);
                        proptest::prop_assert_eq!(h.remove(&name), before != model.len());
                    }
                    Op::Expire(n, t, c) => {
                        let name = format!("field-{n}").into_bytes();
                        let got = h.set_expiry(&name, t, conds[usize::from(c)], 5);
                        let want = match model.iter().position(|f| f.0 == name) {
                            None => ExpiryOutcome::NoField,
                            Some(i) => {
                                let prev = model[i].2;
                                let inf = if prev == 0 { u64::MAX } else { prev };
                                let met = [true, prev == 0, prev != 0, t > inf, t < inf][usize::from(c)];
                                if !met {
                                    ExpiryOutcome::ConditionNotMet
                                } else if t <= 5 {
                                    model.remove(i);
                                    ExpiryOutcome::Deleted
                                } else {
                                    model[i].2 = t;
                                    ExpiryOutcome::Set
                                }
                            }
                        };
                        proptest::prop_assert_eq!(got, want);
                    }
                    Op::Persist(n) => {
                        let name = format!("field-{n}").into_bytes();
                        let want = model.iter_mut().find(|f| f.0 == name).map(|m| std::mem::replace(&mut m.2, 0) != 0);
                        proptest::prop_assert_eq!(h.persist(&name), want);
                    }
                    Op::Purge(now) => {
                        let before = model.len();
                        model.retain(|f| f.2 == 0 || f.2 >= now);
                        proptest::prop_assert_eq!(h.purge_expired(now), before - model.len());
                    }
                }
                proptest::prop_assert_eq!(h.len(), model.len());
                for (name, value, at) in &model {
                    let f = h.get(name);
                    proptest::prop_assert_eq!(f.map(|f| (f.value, f.expire_at)), Some((&value[..], *at)));
                }
                proptest::prop_assert!(h.get(b"field-99").is_none());
                let all: Vec<_> = h.iter().map(|f| (f.name.to_vec(), f.value.to_vec(), f.expire_at)).collect();
                if h.is_listpack() {
                    proptest::prop_assert!(h.len() <= entries);
                    proptest::prop_assert_eq!(&all, &model);
                } else {
                    let (mut a, mut m) = (all, model.clone());
                    a.sort();
                    m.sort();
                    proptest::prop_assert_eq!(a, m);
                }
                let min = model.iter().map(|f| f.2).filter(|&t| t != 0).min();
                proptest::prop_assert!(min.is_none_or(|m| h.next_expiry() != 0 && h.next_expiry() <= m));
                proptest::prop_assert_eq!(h.heap_size(), recount(&h));
            }
        }
    }

    #[test]
    fn dump_round_trips_with_field_expiries_and_refuses_duplicates() {
        let l = limits(2, 64);
        let mut h = Hash::new();
        for (i, name) in [&b"x"[..], b"y", b"z"].iter().enumerate() {
            h.set(name, b"v", &l);
            h.set_expiry(name, 1000 + i as u64, ExpiryCondition::Always, 0);
        }
        let back = Hash::from_dump(h.dump_entries(), &l).unwrap();
        assert_eq!(back, h);
        assert_eq!(back.encoding(), "hashtable");
        assert_eq!(back.next_expiry(), 1000);
        assert!(Hash::from_dump(vec![], &l).is_none());
        let dup = vec![(b"a".to_vec(), b"1".to_vec(), 0), (b"a".to_vec(), b"2".to_vec(), 0)];
        assert!(Hash::from_dump(dup, &l).is_none());
    }
}
