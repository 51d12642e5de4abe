//! Sets, with Redis 7.0's two encodings: `intset` (a sorted `Vec<i64>`)
//! while every member is a canonical 64-bit integer (as `string2ll` reads
//! it) and there are at most `set-max-intset-entries` of them, and
//! `hashtable` (a [`MemberTable`]) otherwise. A set is promoted when a
//! non-integer member arrives or a successful add takes it past the
//! threshold (read at that moment, so `CONFIG SET` applies to the next add);
//! it is never demoted in place. Operations that Redis answers by building a
//! fresh set (`SUNION`, `SDIFF`, `*STORE`, `SPOP` of most of a set) build
//! one here too, through [`Set::insert`], so the encodings agree.
//!
//! Randomness comes from the caller as a `FnMut() -> u64` so the store
//! stays free of any particular generator and execution stays deterministic.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::{HashSet, HashTable};

use super::{alloc_cost, Limits};
use crate::num::parse_ll;

/// One member as the set stores it: an intset holds integers, a hashtable bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member<'a> {
    /// A member of an intset.
    Int(i64),
    /// A member of a hashtable.
    Bytes(&'a [u8]),
}

impl Member<'_> {
    /// Calls `f` with the member's bytes (integers in decimal) without allocating.
    pub fn with_bytes<R>(self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Member::Int(n) => f(itoa::Buffer::new().format(n).as_bytes()),
            Member::Bytes(b) => f(b),
        }
    }

    /// The member's bytes as an owned vector.
    pub fn to_vec(self) -> Vec<u8> {
        self.with_bytes(<[u8]>::to_vec)
    }

    /// The member as an integer, if it is one in canonical form.
    fn as_int(self) -> Option<i64> {
        match self {
            Member::Int(n) => Some(n),
            Member::Bytes(b) => parse_ll(b),
        }
    }
}

/// A uniform integer in `0..n` (`n > 0`) from 64 random bits.
fn below(rng: &mut impl FnMut() -> u64, n: usize) -> usize {
    ((u128::from(rng()) * n as u128) >> 64) as usize
}

/// A set value.
#[derive(Debug, Clone)]
pub struct Set {
    repr: Repr,
}

#[derive(Debug, Clone)]
enum Repr {
    /// `intset`: sorted, distinct.
    Ints(Vec<i64>),
    /// `hashtable`.
    Table(MemberTable),
}

impl Default for Set {
    fn default() -> Self {
        Set::new()
    }
}

impl PartialEq for Set {
    /// Two sets are equal when they hold the same members, whatever their encodings.
    fn eq(&self, other: &Set) -> bool {
        self.len() == other.len() && self.iter().all(|m| other.contains_member(m))
    }
}

impl Set {
    /// An empty set (an empty intset, as Redis's `createIntsetObject`).
    pub fn new() -> Set {
        Set {
            repr: Repr::Ints(Vec::new()),
        }
    }

    /// A set built by adding `members` in order, as Redis builds the result
    /// of `SUNION`/`SINTERSTORE`/...: its encoding is what those adds give.
    pub fn from_members<'a>(members: impl IntoIterator<Item = Member<'a>>, limits: &Limits) -> Set {
        let mut s = Set::new();
        for m in members {
            s.insert_member(m, limits);
        }
        s
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Ints(v) => v.len(),
            Repr::Table(t) => t.len(),
        }
    }

    /// Whether the set has no members (such a set is never stored).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the set is an intset (its members then iterate in ascending order).
    pub fn is_intset(&self) -> bool {
        matches!(self.repr, Repr::Ints(_))
    }

    /// The `OBJECT ENCODING` name.
    pub fn encoding(&self) -> &'static str {
        match self.repr {
            Repr::Ints(_) => "intset",
            Repr::Table(_) => "hashtable",
        }
    }

    /// Approximate heap bytes held.
    pub fn heap_size(&self) -> usize {
        match &self.repr {
            Repr::Ints(v) => v.capacity() * std::mem::size_of::<i64>(),
            Repr::Table(t) => t.heap_size(),
        }
    }

    /// Converts an intset into a hashtable keyed by the dataset seed.
    fn promote(&mut self, hash_seed: u64) {
        if let Repr::Ints(v) = &self.repr {
            let mut t = MemberTable::with_capacity(v.len(), hash_seed);
            let mut buf = itoa::Buffer::new();
            for &n in v {
                t.insert(buf.format(n).as_bytes());
            }
            self.repr = Repr::Table(t);
        }
    }

    /// Adds a member; returns whether it was new. Promotes the set as
    /// Redis's `setTypeAdd` does.
    pub fn insert(&mut self, member: &[u8], limits: &Limits) -> bool {
        self.insert_member(Member::Bytes(member), limits)
    }

    /// Adds a member given in either form; see [`Set::insert`].
    pub fn insert_member(&mut self, member: Member<'_>, limits: &Limits) -> bool {
        if let Repr::Ints(v) = &mut self.repr {
            match member.as_int() {
                Some(n) => {
                    let Err(at) = v.binary_search(&n) else {
                        return false;
                    };
                    v.insert(at, n);
                    if v.len() > limits.set_max_intset_entries {
                        self.promote(limits.hash_seed);
                    }
                    return true;
                }
                None => self.promote(limits.hash_seed),
            }
        }
        match &mut self.repr {
            Repr::Table(t) => member.with_bytes(|b| t.insert(b)),
            Repr::Ints(_) => false,
        }
    }

    /// Removes a member; returns whether it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match &mut self.repr {
            Repr::Ints(v) => match parse_ll(member).map(|n| v.binary_search(&n)) {
                Some(Ok(at)) => {
                    v.remove(at);
                    true
                }
                _ => false,
            },
            Repr::Table(t) => t.remove(member),
        }
    }

    /// Removes a member given in either form; returns whether it was there.
    pub fn remove_member(&mut self, member: Member<'_>) -> bool {
        match (&mut self.repr, member) {
            (Repr::Ints(v), Member::Int(n)) => match v.binary_search(&n) {
                Ok(at) => {
                    v.remove(at);
                    true
                }
                Err(_) => false,
            },
            (_, m) => m.with_bytes(|b| self.remove(b)),
        }
    }

    /// Average member length in bytes (integers counted at their widest),
    /// for sizing replies before writing them.
    pub fn average_member_len(&self) -> usize {
        match &self.repr {
            Repr::Ints(_) => 20,
            Repr::Table(t) => t.bytes / t.len.max(1),
        }
    }

    /// Whether `member` is in the set.
    pub fn contains(&self, member: &[u8]) -> bool {
        self.contains_member(Member::Bytes(member))
    }

    /// Whether `member` (in either form) is in the set.
    pub fn contains_member(&self, member: Member<'_>) -> bool {
        match &self.repr {
            Repr::Ints(v) => member.as_int().is_some_and(|n| v.binary_search(&n).is_ok()),
            Repr::Table(t) => member.with_bytes(|b| t.contains(b)),
        }
    }

    /// The members: an intset's in ascending order, a hashtable's in table order.
    pub fn iter(&self) -> impl Iterator<Item = Member<'_>> + '_ {
        let (ints, table) = match &self.repr {
            Repr::Ints(v) => (Some(v.iter().map(|&n| Member::Int(n))), None),
            Repr::Table(t) => (None, Some(t.iter().map(Member::Bytes))),
        };
        ints.into_iter().flatten().chain(table.into_iter().flatten())
    }

    /// Keeps only the members `keep` accepts (order preserved, encoding kept).
    pub fn retain(&mut self, mut keep: impl FnMut(Member<'_>) -> bool) {
        match &mut self.repr {
            Repr::Ints(v) => v.retain(|&n| keep(Member::Int(n))),
            Repr::Table(t) => t.retain(|b| keep(Member::Bytes(b))),
        }
    }

    /// A member picked uniformly at random; `None` when empty.
    pub fn random(&self, rng: &mut impl FnMut() -> u64) -> Option<Member<'_>> {
        match &self.repr {
            Repr::Ints(v) if v.is_empty() => None,
            Repr::Ints(v) => v.get(below(rng, v.len())).map(|&n| Member::Int(n)),
            Repr::Table(t) => t.random(rng, t.max_hint).map(Member::Bytes),
        }
    }

    /// `count` random members, possibly repeated (`SRANDMEMBER` with a
    /// negative count), handed to `f` one by one; nothing when empty.
    pub fn random_repeated(&self, count: usize, rng: &mut impl FnMut() -> u64, mut f: impl FnMut(Member<'_>)) {
        match &self.repr {
            Repr::Ints(v) if v.is_empty() => {}
            Repr::Ints(v) => {
                for _ in 0..count {
                    if let Some(&n) = v.get(below(rng, v.len())) {
                        f(Member::Int(n));
                    }
                }
            }
            Repr::Table(t) => {
                let hint = t.exact_max();
                for _ in 0..count {
                    if let Some(b) = t.random(rng, hint) {
                        f(Member::Bytes(b));
                    }
                }
            }
        }
    }

    /// `count` distinct random members (`count < len`), in random order.
    pub fn random_distinct(&self, count: usize, rng: &mut impl FnMut() -> u64) -> Vec<Member<'_>> {
        let n = self.len();
        let count = count.min(n);
        if count.saturating_mul(3) > n {
            // Most of the set: shuffle the first `count` places of all of it.
            let mut all: Vec<Member<'_>> = self.iter().collect();
            for i in 0..count {
                let j = i + below(rng, n - i);
                all.swap(i, j);
            }
            all.truncate(count);
            return all;
        }
        // A small part: draw until enough distinct members came up.
        let mut out = Vec::with_capacity(count);
        match &self.repr {
            Repr::Ints(v) => {
                let mut seen: HashSet<usize> = HashSet::with_capacity(count);
                while out.len() < count {
                    let i = below(rng, v.len());
                    if seen.insert(i) {
                        out.push(Member::Int(v[i]));
                    }
                }
            }
            Repr::Table(t) => {
                let hint = t.exact_max();
                let mut seen: HashSet<&[u8]> = HashSet::with_capacity(count);
                while out.len() < count {
                    match t.random(rng, hint) {
                        Some(b) => {
                            if seen.insert(b) {
                                out.push(Member::Bytes(b));
                            }
                        }
                        None => break,
                    }
                }
            }
        }
        out
    }

    /// Removes and returns one random member; `None` when empty.
    pub fn pop_random(&mut self, rng: &mut impl FnMut() -> u64) -> Option<Vec<u8>> {
        match &mut self.repr {
            Repr::Ints(v) if v.is_empty() => None,
            Repr::Ints(v) => {
                let at = below(rng, v.len());
                Some(itoa::Buffer::new().format(v.remove(at)).as_bytes().to_vec())
            }
            Repr::Table(t) => t.pop_random(rng).map(Vec::from),
        }
    }

    /// Removes and returns `count` random members (`0 < count < len`), as
    /// `SPOP key count`. When few would remain, Redis rebuilds the set from
    /// the survivors (so a hashtable of integers may become an intset
    /// again); this does the same so `OBJECT ENCODING` agrees.
    pub fn pop_many(&mut self, count: usize, rng: &mut impl FnMut() -> u64, limits: &Limits) -> Vec<Vec<u8>> {
        let n = self.len();
        let count = count.min(n);
        let remaining = n - count;
        let rebuild = remaining.saturating_mul(5) <= count;
        if !rebuild {
            if let Repr::Table(t) = &mut self.repr {
                return (0..count).filter_map(|_| t.pop_random(rng)).map(Vec::from).collect();
            }
            if let Repr::Ints(v) = &mut self.repr {
                // Choose the popped positions, then drop them in one pass.
                let mut chosen: Vec<usize> = Vec::with_capacity(count);
                let mut taken = vec![false; v.len()];
                while chosen.len() < count {
                    let i = below(rng, v.len());
                    if !taken[i] {
                        taken[i] = true;
                        chosen.push(i);
                    }
                }
                let out = chosen
                    .iter()
                    .map(|&i| itoa::Buffer::new().format(v[i]).as_bytes().to_vec())
                    .collect();
                let mut i = 0;
                v.retain(|_| {
                    let keep = !taken[i];
                    i += 1;
                    keep
                });
                return out;
            }
        }
        // Shuffle everything, pop the front, rebuild from the rest.
        let mut all: Vec<Vec<u8>> = self.iter().map(Member::to_vec).collect();
        for i in 0..count {
            let j = i + below(rng, n - i);
            all.swap(i, j);
        }
        let rest = all.split_off(count);
        *self = Set::from_members(rest.iter().map(|m| Member::Bytes(m)), limits);
        all
    }

    /// One `SSCAN` step from `cursor`: an intset answers everything at once
    /// with cursor 0 (as Redis does for compact encodings); a hashtable
    /// visits table segments in reverse-binary cursor order until at least
    /// `count` members were offered, so a member present during the whole
    /// iteration is returned at least once even if the set grows or shrinks.
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(Member<'_>)) -> u64 {
        match &self.repr {
            Repr::Ints(v) => {
                for &n in v {
                    f(Member::Int(n));
                }
                0
            }
            Repr::Table(t) => {
                let mut offered = 0usize;
                let mut cursor = cursor;
                loop {
                    cursor = t.scan_segment(cursor, |b| {
                        offered += 1;
                        f(Member::Bytes(b));
                    });
                    if cursor == 0 || offered >= count {
                        return cursor;
                    }
                }
            }
        }
    }

    /// The contents for a `DUMP` payload.
    pub fn dump_items(&self) -> Vec<Vec<u8>> {
        self.iter().map(Member::to_vec).collect()
    }

    /// Rebuilds a value from `DUMP` contents; `None` if they are empty or
    /// hold a member twice.
    pub fn from_dump(items: Vec<Vec<u8>>, limits: &super::Limits) -> Option<Set> {
        if items.is_empty() {
            return None;
        }
        let mut s = Set::new();
        for m in &items {
            if !s.insert(m, limits) {
                return None;
            }
        }
        Some(s)
    }
}

/// Average members per table segment above which the segment count doubles.
const SEGMENT_TARGET: usize = 16;

/// The `hashtable` encoding: byte strings in `2^b` small hash tables
/// ("segments") chosen by the low bits of the member's hash. When the
/// average segment passes [`SEGMENT_TARGET`] members every segment splits in
/// two by the next hash bit; below a quarter of it pairs merge back. This is
/// Redis's `dict` with small tables as buckets, which gives `SSCAN` Redis's
/// reverse-binary cursor and its guarantee, and makes uniform random picks
/// cheap (a random segment and slot, retried when the slot is empty).
///
/// Invariants: `segs.len()` is a power of two; a member lives in segment
/// `hash & (segs.len() - 1)`; `len` and `bytes` are the member count and the
/// sum of member lengths; `max_hint` is at least the largest segment's length.
#[derive(Clone)]
pub struct MemberTable {
    segs: Vec<HashTable<Box<[u8]>>>,
    len: usize,
    bytes: usize,
    /// Sum of the members' allocations ([`super::alloc_cost`]).
    alloc: usize,
    max_hint: usize,
    hasher: FixedState,
}

impl std::fmt::Debug for MemberTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberTable")
            .field("len", &self.len)
            .field("segments", &self.segs.len())
            .finish()
    }
}

/// The hash hashbrown sees inside a segment: the low bits chose the
/// segment, so rotate them away from hashbrown's probe bits.
fn inner(h: u64) -> u64 {
    h.rotate_left(32)
}

impl MemberTable {
    /// An empty table sized for about `n` members, its hash keyed by the
    /// dataset seed `hash_seed` ([`crate::store::container_hasher`]).
    pub fn with_capacity(n: usize, hash_seed: u64) -> MemberTable {
        let mut segs = 1usize;
        while n > segs.saturating_mul(SEGMENT_TARGET) {
            segs *= 2;
        }
        MemberTable {
            segs: (0..segs).map(|_| HashTable::new()).collect(),
            len: 0,
            bytes: 0,
            alloc: 0,
            max_hint: 0,
            hasher: crate::store::container_hasher(hash_seed),
        }
    }

    fn hash(&self, m: &[u8]) -> u64 {
        self.hasher.hash_one(m)
    }

    fn mask(&self) -> usize {
        self.segs.len() - 1
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Approximate heap bytes: the segment array, each segment's slot
    /// allocation (a boxed slice and a control byte per slot, at hashbrown's
    /// 7/8 load) and every member's own allocation as malloc rounds it.
    pub fn heap_size(&self) -> usize {
        let slot = std::mem::size_of::<Box<[u8]>>() + 1;
        alloc_cost(self.segs.capacity() * std::mem::size_of::<HashTable<Box<[u8]>>>())
            + self.segs.len() * alloc_cost(16)
            + self.len * slot * 8 / 7
            + self.alloc
    }

    /// Whether `m` is a member.
    pub fn contains(&self, m: &[u8]) -> bool {
        let h = self.hash(m);
        self.segs[h as usize & self.mask()]
            .find(inner(h), |x| **x == *m)
            .is_some()
    }

    /// Adds `m`; returns whether it was new.
    pub fn insert(&mut self, m: &[u8]) -> bool {
        let h = self.hash(m);
        let idx = h as usize & self.mask();
        let hasher = &self.hasher;
        let seg = &mut self.segs[idx];
        if seg.find(inner(h), |x| **x == *m).is_some() {
            return false;
        }
        seg.insert_unique(inner(h), m.into(), |x| inner(hasher.hash_one(&**x)));
        self.max_hint = self.max_hint.max(seg.len());
        self.len += 1;
        self.bytes += m.len();
        self.alloc += alloc_cost(m.len());
        if self.len > self.segs.len().saturating_mul(SEGMENT_TARGET) {
            self.grow();
        }
        true
    }

    /// Removes `m`; returns whether it was there.
    pub fn remove(&mut self, m: &[u8]) -> bool {
        let h = self.hash(m);
        let idx = h as usize & self.mask();
        let Ok(entry) = self.segs[idx].find_entry(inner(h), |x| **x == *m) else {
            return false;
        };
        entry.remove();
        self.len -= 1;
        self.bytes -= m.len();
        self.alloc -= alloc_cost(m.len());
        self.maybe_shrink();
        true
    }

    /// Members in table order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.segs.iter().flat_map(|s| s.iter().map(|b| &**b))
    }

    /// Keeps the members `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&[u8]) -> bool) {
        let (mut len, mut bytes, mut alloc) = (0, 0, 0);
        for seg in &mut self.segs {
            seg.retain(|b| keep(b));
            len += seg.len();
            bytes += seg.iter().map(|b| b.len()).sum::<usize>();
            alloc += seg.iter().map(|b| alloc_cost(b.len())).sum::<usize>();
        }
        self.len = len;
        self.bytes = bytes;
        self.alloc = alloc;
        self.maybe_shrink();
    }

    /// Doubles the segment count, splitting each segment by the next hash bit.
    fn grow(&mut self) {
        let n = self.segs.len();
        let new_mask = 2 * n - 1;
        let hasher = &self.hasher;
        for i in 0..n {
            let moved: Vec<Box<[u8]>> = self.segs[i]
                .extract_if(|b| hasher.hash_one(&**b) as usize & new_mask != i)
                .collect();
            self.segs[i].shrink_to_fit(|x| inner(hasher.hash_one(&**x)));
            let mut t = HashTable::with_capacity(moved.len());
            for b in moved {
                let h = inner(hasher.hash_one(&*b));
                t.insert_unique(h, b, |x| inner(hasher.hash_one(&**x)));
            }
            self.segs.push(t);
        }
        self.max_hint = self.exact_max();
    }

    /// Halves the segment count while segments average under a quarter of
    /// the target, merging segment `i + n/2` into `i`.
    fn maybe_shrink(&mut self) {
        while self.segs.len() > 1 && self.len.saturating_mul(4) < self.segs.len() * SEGMENT_TARGET {
            let half = self.segs.len() / 2;
            let hasher = &self.hasher;
            for i in (half..2 * half).rev() {
                let Some(t) = self.segs.pop() else { break };
                let dst = &mut self.segs[i - half];
                for b in t {
                    let h = inner(hasher.hash_one(&*b));
                    dst.insert_unique(h, b, |x| inner(hasher.hash_one(&**x)));
                }
            }
            self.segs.shrink_to_fit();
            self.max_hint = self.exact_max();
        }
    }

    /// The largest segment's length.
    fn exact_max(&self) -> usize {
        self.segs.iter().map(HashTable::len).max().unwrap_or(0)
    }

    /// Where member `k` (in table order) lives: (segment, position in it).
    fn locate(&self, mut k: usize) -> Option<(usize, usize)> {
        for (i, s) in self.segs.iter().enumerate() {
            if k < s.len() {
                return Some((i, k));
            }
            k -= s.len();
        }
        None
    }

    /// A uniformly random (segment, position): a random segment and a random
    /// slot below `hint` (at least the largest segment), retried while the
    /// slot is past the segment's end, so each member has the same chance.
    /// After many misses (a stale hint) it falls back to counting.
    fn random_position(&self, rng: &mut impl FnMut() -> u64, hint: usize) -> Option<(usize, usize)> {
        if self.len == 0 {
            return None;
        }
        let hint = hint.max(1);
        for _ in 0..64 {
            let s = below(rng, self.segs.len());
            let j = below(rng, hint);
            if j < self.segs[s].len() {
                return Some((s, j));
            }
        }
        self.locate(below(rng, self.len))
    }

    /// A uniformly random member; `hint` bounds the largest segment.
    fn random(&self, rng: &mut impl FnMut() -> u64, hint: usize) -> Option<&[u8]> {
        let (s, j) = self.random_position(rng, hint)?;
        self.segs[s].iter().nth(j).map(|b| &**b)
    }

    /// Removes and returns a uniformly random member.
    fn pop_random(&mut self, rng: &mut impl FnMut() -> u64) -> Option<Box<[u8]>> {
        let (s, j) = self.random_position(rng, self.max_hint)?;
        let hasher = &self.hasher;
        let seg = &mut self.segs[s];
        let m: Box<[u8]> = seg.iter().nth(j)?.clone();
        let h = inner(hasher.hash_one(&*m));
        let entry = seg.find_entry(h, |x| *x == m).ok()?;
        let (m, _) = entry.remove();
        self.len -= 1;
        self.bytes -= m.len();
        self.alloc -= alloc_cost(m.len());
        self.maybe_shrink();
        Some(m)
    }

    /// Visits the segment `cursor` points at and returns the next cursor
    /// (0 when the iteration is over), as Redis's `dictScan` over one table.
    fn scan_segment(&self, cursor: u64, mut f: impl FnMut(&[u8])) -> u64 {
        let mask = self.mask() as u64;
        if let Some(seg) = self.segs.get((cursor & mask) as usize) {
            for b in seg.iter() {
                f(b);
            }
        }
        // Set the bits above the mask so the reversed increment carries
        // through the masked bits only.
        let v = cursor | !mask;
        v.reverse_bits().wrapping_add(1).reverse_bits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::SmallRng;
    use rand::{Rng, SeedableRng};

    fn limits(max: usize) -> Limits {
        Limits {
            set_max_intset_entries: max,
            ..Limits::default()
        }
    }

    fn members(s: &Set) -> Vec<Vec<u8>> {
        let mut v: Vec<Vec<u8>> = s.iter().map(Member::to_vec).collect();
        v.sort();
        v
    }

    #[test]
    fn integers_stay_an_intset_in_ascending_order_until_the_threshold() {
        let l = limits(4);
        let mut s = Set::new();
        for m in ["5", "-3", "10", "5"] {
            s.insert(m.as_bytes(), &l);
        }
        assert_eq!(s.encoding(), "intset");
        assert_eq!(s.len(), 3);
        let order: Vec<Vec<u8>> = s.iter().map(Member::to_vec).collect();
        assert_eq!(order, [b"-3".to_vec(), b"5".to_vec(), b"10".to_vec()]);
        s.insert(b"7", &l);
        assert_eq!(s.encoding(), "intset");
        s.insert(b"8", &l);
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(s.len(), 5);
        assert!(s.contains(b"-3") && s.contains(b"8") && !s.contains(b"9"));
    }

    #[test]
    fn non_canonical_integers_promote_to_a_hashtable() {
        for m in ["01", "+1", "-0", " 1", "9223372036854775808", "a"] {
            let mut s = Set::new();
            s.insert(b"1", &limits(512));
            s.insert(m.as_bytes(), &limits(512));
            assert_eq!(s.encoding(), "hashtable", "{m}");
            assert!(s.contains(m.as_bytes()) && s.contains(b"1"));
        }
        let mut s = Set::new();
        s.insert(b"-9223372036854775808", &limits(512));
        s.insert(b"9223372036854775807", &limits(512));
        assert_eq!(s.encoding(), "intset");
    }

    #[test]
    fn a_zero_threshold_promotes_on_the_first_add() {
        let mut s = Set::new();
        assert!(s.insert(b"1", &limits(0)));
        assert_eq!(s.encoding(), "hashtable");
        // Integers are found in a hashtable by their decimal bytes.
        assert!(s.contains_member(Member::Int(1)));
    }

    #[test]
    fn a_lowered_threshold_applies_at_the_next_successful_add_only() {
        let mut s = Set::new();
        for i in 0..10 {
            s.insert(i.to_string().as_bytes(), &limits(512));
        }
        assert!(!s.insert(b"3", &limits(4)));
        assert_eq!(s.encoding(), "intset");
        s.remove(b"3");
        assert_eq!(s.encoding(), "intset");
        assert!(s.insert(b"3", &limits(4)));
        assert_eq!(s.encoding(), "hashtable");
    }

    #[test]
    fn the_table_grows_and_shrinks_without_losing_members() {
        let l = limits(0);
        let mut s = Set::new();
        for i in 0..5000 {
            assert!(s.insert(format!("m{i}").as_bytes(), &l));
        }
        assert_eq!(s.len(), 5000);
        for i in 0..5000 {
            assert!(s.contains(format!("m{i}").as_bytes()));
        }
        for i in 0..4990 {
            assert!(s.remove(format!("m{i}").as_bytes()));
        }
        assert_eq!(s.len(), 10);
        if let Repr::Table(t) = &s.repr {
            assert!(t.segs.len() <= 4, "segments: {}", t.segs.len());
            assert_eq!(t.iter().count(), 10);
        }
        assert!(s.contains(b"m4995") && !s.contains(b"m0"));
    }

    #[test]
    fn scan_returns_every_member_present_throughout_despite_growth_and_shrinking() {
        let l = limits(0);
        let mut s = Set::new();
        for i in 0..300 {
            s.insert(format!("keep{i}").as_bytes(), &l);
        }
        let mut seen = std::collections::HashSet::new();
        let mut cursor = 0;
        let mut step = 0;
        loop {
            cursor = s.scan(cursor, 10, |m| {
                seen.insert(m.to_vec());
            });
            // Grow for a while, then shrink below the start.
            step += 1;
            if step < 20 {
                for j in 0..200 {
                    s.insert(format!("tmp{step}-{j}").as_bytes(), &l);
                }
            } else if step == 20 {
                s.retain(|m| m.with_bytes(|b| b.starts_with(b"keep")));
                for i in 0..250 {
                    s.remove(format!("keep{i}").as_bytes());
                }
            }
            if cursor == 0 {
                break;
            }
        }
        for i in 250..300 {
            assert!(seen.contains(format!("keep{i}").as_bytes()), "keep{i} missed");
        }
    }

    #[test]
    fn random_picks_are_roughly_uniform() {
        let l = limits(0);
        let mut s = Set::new();
        for i in 0..64 {
            s.insert(format!("{i}x").as_bytes(), &l);
        }
        let mut rng = SmallRng::seed_from_u64(7);
        let mut next = || rng.random::<u64>();
        let mut counts = std::collections::HashMap::new();
        s.random_repeated(64_000, &mut next, |m| *counts.entry(m.to_vec()).or_insert(0) += 1);
        assert_eq!(counts.len(), 64);
        for (m, c) in counts {
            assert!((600..1400).contains(&c), "{m:?} drawn {c} times");
        }
        let mut ints = Set::new();
        for i in 0..8 {
            ints.insert(i.to_string().as_bytes(), &limits(512));
        }
        let mut firsts = [0usize; 8];
        for _ in 0..8000 {
            if let Some(Member::Int(n)) = ints.random(&mut next) {
                firsts[n as usize] += 1;
            }
        }
        assert!(firsts.iter().all(|&c| (700..1300).contains(&c)), "{firsts:?}");
    }

    #[test]
    fn random_distinct_and_pop_many_return_distinct_members() {
        let mut rng = SmallRng::seed_from_u64(3);
        let mut next = || rng.random::<u64>();
        for (max, n) in [(512, 100), (0, 100), (0, 2000)] {
            let l = limits(max);
            let mut s = Set::new();
            for i in 0..n {
                s.insert(i.to_string().as_bytes(), &l);
            }
            for count in [1, 10, n / 2, n - 1] {
                let picked: std::collections::HashSet<Vec<u8>> = s
                    .random_distinct(count, &mut next)
                    .into_iter()
                    .map(Member::to_vec)
                    .collect();
                assert_eq!(picked.len(), count);
            }
            let before = members(&s);
            let popped = s.pop_many(n / 10, &mut next, &l);
            let after = members(&s);
            assert_eq!(popped.len(), n / 10);
            assert_eq!(after.len() + popped.len(), before.len());
            for p in &popped {
                assert!(before.contains(p) && !after.contains(p));
            }
        }
    }

    #[test]
    fn popping_most_of_a_hashtable_of_integers_rebuilds_an_intset() {
        let l = limits(512);
        let mut s = Set::new();
        s.insert(b"a", &l);
        for i in 0..20 {
            s.insert(i.to_string().as_bytes(), &l);
        }
        s.remove(b"a");
        assert_eq!(s.encoding(), "hashtable");
        let mut rng = SmallRng::seed_from_u64(1);
        let mut next = || rng.random::<u64>();
        let popped = s.pop_many(18, &mut next, &l);
        assert_eq!(popped.len(), 18);
        assert_eq!(s.len(), 2);
        assert_eq!(s.encoding(), "intset");
    }

    #[test]
    fn dump_round_trips_and_rejects_duplicates() {
        let l = limits(512);
        let s = Set::from_members([Member::Bytes(b"a"), Member::Int(3)], &l);
        let back = Set::from_dump(s.dump_items(), &l).unwrap();
        assert_eq!(back, s);
        assert!(Set::from_dump(vec![b"1".to_vec(), b"1".to_vec()], &l).is_none());
        assert!(Set::from_dump(Vec::new(), &l).is_none());
    }
}
