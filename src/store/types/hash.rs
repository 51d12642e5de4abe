//! The hash type: a listpack-like vector of fields in insertion order while
//! small, a segmented `hashbrown` table past `hash-max-listpack-entries` /
//! `hash-max-listpack-value` (never back, as Redis 7.0).
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
//! whole iteration at least once, as Redis guarantees.
//!
//! Invariants: field names are unique; a listpack hash never holds more than
//! the entries limit it was last written under; a field lives in segment
//! `hash & (segs.len() - 1)`; `len` is the number of stored fields.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use super::Limits;

/// Average fields per segment before the segment count doubles.
const SEGMENT_TARGET: usize = 8;

/// One field of a hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field name.
    pub name: Box<[u8]>,
    /// The value.
    pub value: Box<[u8]>,
    /// Absolute expiry in Unix ms; 0 when the field is persistent.
    pub expire_at: u64,
}

impl Field {
    /// Whether the field's TTL has passed at `now` (Redis 7.4 keeps a field
    /// until its time is strictly behind the command's time).
    pub fn is_expired(&self, now: u64) -> bool {
        self.expire_at != 0 && self.expire_at < now
    }

    fn heap(&self) -> usize {
        self.name.len() + self.value.len()
    }
}

/// A field in the big encoding, with its hash kept for splitting segments.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot {
    hash: u64,
    field: Field,
}

/// The big encoding: segmented hash tables.
#[derive(Debug, Clone)]
struct Table {
    segs: Vec<HashTable<Slot>>,
    len: usize,
    hasher: DefaultHashBuilder,
}

fn inner_hash(h: u64) -> u64 {
    // Segments use the low bits; keep hashbrown's probe bits independent.
    h.rotate_left(32)
}

impl Table {
    fn new() -> Table {
        Table {
            segs: vec![HashTable::new()],
            len: 0,
            hasher: DefaultHashBuilder::default(),
        }
    }

    fn mask(&self) -> usize {
        self.segs.len() - 1
    }

    fn hash_of(&self, name: &[u8]) -> u64 {
        self.hasher.hash_one(name)
    }

    fn get(&self, name: &[u8]) -> Option<&Field> {
        let h = self.hash_of(name);
        self.segs[h as usize & self.mask()]
            .find(inner_hash(h), |s| &*s.field.name == name)
            .map(|s| &s.field)
    }

    fn get_mut(&mut self, name: &[u8]) -> Option<&mut Field> {
        let h = self.hash_of(name);
        let mask = self.mask();
        self.segs[h as usize & mask]
            .find_mut(inner_hash(h), |s| &*s.field.name == name)
            .map(|s| &mut s.field)
    }

    /// Inserts a field known to be absent.
    fn insert_new(&mut self, field: Field) {
        let hash = self.hash_of(&field.name);
        let mask = self.mask();
        self.segs[hash as usize & mask].insert_unique(inner_hash(hash), Slot { hash, field }, |s| inner_hash(s.hash));
        self.len += 1;
        if self.len > self.segs.len() * SEGMENT_TARGET {
            self.grow();
        }
    }

    fn remove(&mut self, name: &[u8]) -> Option<Field> {
        let h = self.hash_of(name);
        let mask = self.mask();
        let found = self.segs[h as usize & mask]
            .find_entry(inner_hash(h), |s| &*s.field.name == name)
            .ok()?;
        let (slot, _) = found.remove();
        self.len -= 1;
        Some(slot.field)
    }

    fn grow(&mut self) {
        let n = self.segs.len() * 2;
        let mut segs: Vec<HashTable<Slot>> = (0..n).map(|_| HashTable::new()).collect();
        for seg in self.segs.drain(..) {
            for s in seg {
                let idx = s.hash as usize & (n - 1);
                segs[idx].insert_unique(inner_hash(s.hash), s, |x| inner_hash(x.hash));
            }
        }
        self.segs = segs;
    }

    fn iter(&self) -> impl Iterator<Item = &Field> {
        self.segs.iter().flat_map(|s| s.iter().map(|s| &s.field))
    }

    fn retain(&mut self, mut keep: impl FnMut(&Field) -> bool) -> usize {
        let mut removed = 0;
        for seg in &mut self.segs {
            seg.retain(|s| {
                let k = keep(&s.field);
                removed += usize::from(!k);
                k
            });
        }
        self.len -= removed;
        removed
    }

    fn scan_step(&self, cursor: u64, mut f: impl FnMut(&Field)) -> u64 {
        let m = self.mask() as u64;
        for s in self.segs[(cursor & m) as usize].iter() {
            f(&s.field);
        }
        let v = (cursor | !m).reverse_bits().wrapping_add(1);
        v.reverse_bits()
    }
}

#[derive(Debug, Clone)]
enum Repr {
    /// Fields in insertion order (Redis's listpack).
    Listpack(Vec<Field>),
    /// Segmented hash tables (Redis's hashtable).
    Table(Table),
}

/// A hash value.
#[derive(Debug, Clone)]
pub struct Hash {
    repr: Repr,
    /// Lower bound of the earliest field expiry; 0 when no field has one.
    next_expiry: u64,
    /// Bytes of all field names and values (kept so `heap_size` is O(1):
    /// the shard asks for it on every write).
    payload: usize,
}

impl Default for Hash {
    fn default() -> Self {
        Hash::new()
    }
}

impl PartialEq for Hash {
    /// Same fields, values and expiries, whatever the encoding or order.
    fn eq(&self, other: &Hash) -> bool {
        self.len() == other.len() && self.iter().all(|f| other.get(&f.name) == Some(f))
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
            repr: Repr::Listpack(Vec::new()),
            next_expiry: 0,
            payload: 0,
        }
    }

    /// Number of stored fields (expired ones included until purged).
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Listpack(v) => v.len(),
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

    /// Approximate heap bytes held.
    pub fn heap_size(&self) -> usize {
        match &self.repr {
            Repr::Listpack(v) => v.capacity() * std::mem::size_of::<Field>() + self.payload,
            Repr::Table(t) => {
                // A slot plus a control byte per field at hashbrown's 7/8 load.
                let slots = t.len * (std::mem::size_of::<Slot>() + 1) * 8 / 7;
                slots + t.segs.capacity() * std::mem::size_of::<HashTable<Slot>>() + self.payload
            }
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
        let mut gone = 0;
        let mut keep = |f: &Field| {
            let k = !f.is_expired(now);
            if !k {
                gone += f.heap();
            }
            k
        };
        let removed = match &mut self.repr {
            Repr::Listpack(v) => {
                let before = v.len();
                v.retain(|f| keep(f));
                before - v.len()
            }
            Repr::Table(t) => t.retain(keep),
        };
        self.payload -= gone;
        self.next_expiry = self.iter().map(|f| f.expire_at).filter(|&a| a != 0).min().unwrap_or(0);
        removed
    }

    /// The field named `name`.
    pub fn get(&self, name: &[u8]) -> Option<&Field> {
        match &self.repr {
            Repr::Listpack(v) => v.iter().find(|f| &*f.name == name),
            Repr::Table(t) => t.get(name),
        }
    }

    fn get_mut(&mut self, name: &[u8]) -> Option<&mut Field> {
        match &mut self.repr {
            Repr::Listpack(v) => v.iter_mut().find(|f| &*f.name == name),
            Repr::Table(t) => t.get_mut(name),
        }
    }

    /// Every field; insertion order in the compact encoding.
    pub fn iter(&self) -> Box<dyn Iterator<Item = &Field> + '_> {
        match &self.repr {
            Repr::Listpack(v) => Box::new(v.iter()),
            Repr::Table(t) => Box::new(t.iter()),
        }
    }

    /// Switches to the big encoding if any of `lens` (lengths of fields or
    /// values about to be written) is over `hash-max-listpack-value`, as
    /// Redis's `hashTypeTryConversion` does before a write.
    pub fn prepare_for(&mut self, lens: impl IntoIterator<Item = usize>, limits: &Limits) {
        if self.is_listpack() && lens.into_iter().any(|l| l > limits.hash_max_listpack_value) {
            self.convert();
        }
    }

    fn convert(&mut self) {
        if let Repr::Listpack(v) = &mut self.repr {
            let mut t = Table::new();
            for f in std::mem::take(v) {
                t.insert_new(f);
            }
            self.repr = Repr::Table(t);
        }
    }

    fn check_entries(&mut self, limits: &Limits) {
        if self.is_listpack() && self.len() > limits.hash_max_listpack_entries {
            self.convert();
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
        if let Some(f) = self.get_mut(name) {
            let old = f.value.len();
            f.value = value.into();
            if !keep_ttl {
                f.expire_at = 0;
            }
            self.payload = self.payload - old + value.len();
            return false;
        }
        self.payload += name.len() + value.len();
        let field = Field {
            name: name.into(),
            value: value.into(),
            expire_at: 0,
        };
        match &mut self.repr {
            Repr::Listpack(v) => v.push(field),
            Repr::Table(t) => t.insert_new(field),
        }
        self.check_entries(limits);
        true
    }

    /// Removes a field; true if it existed.
    pub fn remove(&mut self, name: &[u8]) -> bool {
        let gone = match &mut self.repr {
            Repr::Listpack(v) => v.iter().position(|f| &*f.name == name).map(|i| v.remove(i)),
            Repr::Table(t) => t.remove(name),
        };
        match gone {
            Some(f) => {
                self.payload -= f.heap();
                true
            }
            None => false,
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
        if let Some(f) = self.get_mut(name) {
            f.expire_at = at;
        }
        self.note_expiry(at);
        ExpiryOutcome::Set
    }

    /// Removes a field's TTL: `None` if there is no such field, `Some(false)`
    /// if it had none, `Some(true)` if one was removed.
    pub fn persist(&mut self, name: &[u8]) -> Option<bool> {
        let f = self.get_mut(name)?;
        let had = f.expire_at != 0;
        f.expire_at = 0;
        Some(had)
    }

    /// One `HSCAN` step over the big encoding from `cursor`, calling `f` on
    /// each field of the visited segments until about `count` fields were
    /// offered; returns the next cursor (0 when done). The compact encoding
    /// is visited whole in one call, as Redis does.
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(&Field)) -> u64 {
        match &self.repr {
            Repr::Listpack(v) => {
                v.iter().for_each(f);
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
                if let Some(f) = h.get_mut(&name) {
                    f.expire_at = at;
                }
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
        let names: Vec<&[u8]> = h.iter().map(|f| &*f.name).collect();
        assert_eq!(names, [b"c", b"a", b"b"]);
        assert!(h.set(b"d", b"5", &l));
        assert_eq!(h.encoding(), "hashtable");
        assert!(h.remove(b"a") && h.remove(b"b") && h.remove(b"c"));
        // Never back to the compact encoding.
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"d").map(|f| &*f.value), Some(&b"5"[..]));
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
                seen.insert(f.name.clone());
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

    #[test]
    fn heap_size_tracks_field_bytes_through_every_change() {
        let l = limits(2, 64);
        let mut h = Hash::new();
        let payload = |h: &Hash| h.iter().map(Field::heap).sum::<usize>();
        h.set(b"aa", b"1234", &l);
        h.set(b"b", b"1", &l);
        h.set_keep_ttl(b"b", b"123", &l);
        assert_eq!(h.payload, payload(&h));
        h.set(b"c", b"", &l);
        h.set_expiry(b"aa", 10, ExpiryCondition::Always, 0);
        h.remove(b"b");
        assert_eq!(h.payload, payload(&h));
        h.purge_expired(11);
        assert_eq!(h.payload, payload(&h));
        assert_eq!(h.payload, 1);
        assert!(h.heap_size() >= 1);
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
