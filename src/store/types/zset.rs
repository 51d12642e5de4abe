//! Sorted sets: members with `f64` scores, ordered by (score, member bytes).
//!
//! Two encodings, as Redis: `listpack`, one packed byte buffer of (score,
//! member) entries kept sorted (see `zset_pack.rs`), while the set has at
//! most `zset-max-listpack-entries` members none longer than
//! `zset-max-listpack-value` bytes; and `skiplist`,
//! an order-statistic treap plus a member index (see `zset_tree.rs`) with
//! O(1) score lookup and O(log n) insert, remove, rank and n-th. A set is
//! promoted when an insertion would break a threshold and never goes back
//! (Redis 7.0); builders of whole new sets (store commands, `RESTORE`) pick
//! the encoding from the final contents as Redis does.
//!
//! Invariants: no NaN score is ever stored; members are unique; ranks are
//! 0-based and ascending. Lexicographic ranges assume, as Redis documents,
//! that all members share one score. With mixed scores a `listpack` set
//! answers exactly as Redis's linear listpack walk does; a `skiplist` set
//! answers by a binary search (Redis's own answer there depends on its
//! random skiplist levels, so there is nothing fixed to match).

use std::cmp::Ordering;

#[path = "zset_tree.rs"]
mod tree;

#[path = "zset_pack.rs"]
mod pack;

use pack::{Pack, PackIter, PackRevIter};
use tree::{Tree, TreeIter};

use super::Limits;

/// One end of a score interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRange {
    /// Lower bound (may be `-inf`).
    pub min: f64,
    /// Whether `min` itself is excluded (`(min`).
    pub min_ex: bool,
    /// Upper bound (may be `+inf`).
    pub max: f64,
    /// Whether `max` itself is excluded (`(max`).
    pub max_ex: bool,
}

impl ScoreRange {
    /// The closed interval `[min, max]`.
    pub fn inclusive(min: f64, max: f64) -> ScoreRange {
        ScoreRange {
            min,
            min_ex: false,
            max,
            max_ex: false,
        }
    }

    /// Whether `score` lies below the interval's lower end.
    pub fn below_min(&self, score: f64) -> bool {
        if self.min_ex {
            score <= self.min
        } else {
            score < self.min
        }
    }

    /// Whether `score` lies at or below the interval's upper end.
    pub fn within_max(&self, score: f64) -> bool {
        if self.max_ex {
            score < self.max
        } else {
            score <= self.max
        }
    }

    /// Whether `score` lies in the interval.
    pub fn contains(&self, score: f64) -> bool {
        !self.below_min(score) && self.within_max(score)
    }
}

/// One end of a lexicographic interval (`-`, `+`, `[x`, `(x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexBound {
    /// `-`: before every member.
    NegInf,
    /// `+`: after every member.
    PosInf,
    /// `[x`: x included.
    Incl(Vec<u8>),
    /// `(x`: x excluded.
    Excl(Vec<u8>),
}

/// A lexicographic interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexRange {
    /// Lower end.
    pub min: LexBound,
    /// Upper end.
    pub max: LexBound,
}

impl LexRange {
    /// Whether `m` lies below the lower end.
    pub fn below_min(&self, m: &[u8]) -> bool {
        match &self.min {
            LexBound::NegInf => false,
            LexBound::PosInf => true,
            LexBound::Incl(x) => m < x.as_slice(),
            LexBound::Excl(x) => m <= x.as_slice(),
        }
    }

    /// Whether `m` lies at or below the upper end.
    pub fn within_max(&self, m: &[u8]) -> bool {
        match &self.max {
            LexBound::NegInf => false,
            LexBound::PosInf => true,
            LexBound::Incl(x) => m <= x.as_slice(),
            LexBound::Excl(x) => m < x.as_slice(),
        }
    }

    /// Whether `m` lies in the interval.
    pub fn contains(&self, m: &[u8]) -> bool {
        !self.below_min(m) && self.within_max(m)
    }
}

/// The two representations.
#[derive(Debug, Clone)]
enum Repr {
    /// Sorted by (score, member); small sets.
    Listpack(Pack),
    /// The big encoding.
    Skiplist(Box<Tree>),
}

/// A sorted-set value.
#[derive(Debug, Clone)]
pub struct ZSet {
    repr: Repr,
}

impl Default for ZSet {
    fn default() -> Self {
        ZSet::new()
    }
}

impl PartialEq for ZSet {
    /// Same encoding and same (member, score) sequence.
    fn eq(&self, other: &ZSet) -> bool {
        self.encoding() == other.encoding()
            && self.len() == other.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|((ma, sa), (mb, sb))| ma == mb && sa.to_bits() == sb.to_bits())
    }
}

/// Iteration over (member, score) in rank order (or reverse).
pub struct Iter<'a> {
    inner: IterInner<'a>,
}

enum IterInner<'a> {
    Fwd(PackIter<'a>),
    Rev(PackRevIter<'a>),
    Tree(TreeIter<'a>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            IterInner::Fwd(it) => it.next(),
            IterInner::Rev(it) => it.next(),
            IterInner::Tree(it) => it.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.inner {
            IterInner::Fwd(it) => it.size_hint(),
            IterInner::Rev(it) => it.size_hint(),
            IterInner::Tree(it) => it.size_hint(),
        }
    }
}

/// Where a lexicographic bound sits among strings: (rank, string, exclusive).
fn lex_key(b: &LexBound) -> (u8, &[u8], bool) {
    match b {
        LexBound::NegInf => (0, &[], true),
        LexBound::Incl(x) => (1, x, false),
        LexBound::Excl(x) => (1, x, true),
        LexBound::PosInf => (2, &[], true),
    }
}

/// Whether a lexicographic range can hold anything (Redis's first test).
fn lex_range_nonempty(r: &LexRange) -> bool {
    let (a, b) = (lex_key(&r.min), lex_key(&r.max));
    match (a.0, a.1).cmp(&(b.0, b.1)) {
        Ordering::Greater => false,
        Ordering::Equal => !(a.2 || b.2),
        Ordering::Less => true,
    }
}

impl ZSet {
    /// An empty set in the compact encoding.
    pub fn new() -> ZSet {
        ZSet {
            repr: Repr::Listpack(Pack::new()),
        }
    }

    /// A set built from (member, score) pairs (later duplicates win), in
    /// `listpack` if the result fits the thresholds and `skiplist` otherwise,
    /// as Redis's `zsetConvertToListpackIfNeeded` decides for the results of
    /// `ZUNIONSTORE` and friends. NaN scores are skipped.
    pub fn from_entries(entries: impl IntoIterator<Item = (Vec<u8>, f64)>, limits: &Limits) -> ZSet {
        let mut t = Tree::new(limits.hash_seed);
        for (m, s) in entries {
            if !s.is_nan() {
                t.insert(&m, s);
            }
        }
        let fits = t.len() <= limits.zset_max_listpack_entries
            && t.iter_range(0, t.len(), false)
                .all(|(m, _)| m.len() <= limits.zset_max_listpack_value);
        if fits {
            let bytes = t.iter_range(0, t.len(), false).map(|(m, _)| pack::entry_len(m)).sum();
            ZSet {
                repr: Repr::Listpack(Pack::from_sorted(t.iter_range(0, t.len(), false), bytes)),
            }
        } else {
            ZSet {
                repr: Repr::Skiplist(Box::new(t)),
            }
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Listpack(v) => v.len(),
            Repr::Skiplist(t) => t.len(),
        }
    }

    /// Whether there are no members (such a set is deleted by its writer).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `OBJECT ENCODING` name: `listpack` or `skiplist`.
    pub fn encoding(&self) -> &'static str {
        match &self.repr {
            Repr::Listpack(_) => "listpack",
            Repr::Skiplist(_) => "skiplist",
        }
    }

    /// Approximate heap bytes held; O(1).
    pub fn heap_size(&self) -> usize {
        match &self.repr {
            Repr::Listpack(p) => p.heap_size(),
            Repr::Skiplist(t) => std::mem::size_of::<Tree>() + t.heap_size(),
        }
    }

    /// Converts to the big encoding (never back).
    fn promote(&mut self, hash_seed: u64) {
        if let Repr::Listpack(p) = &self.repr {
            let mut t = Tree::new(hash_seed);
            for (m, s) in p.iter() {
                t.insert(m, s);
            }
            self.repr = Repr::Skiplist(Box::new(t));
        }
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match &self.repr {
            Repr::Listpack(p) => p.score(member),
            Repr::Skiplist(t) => t.score(member),
        }
    }

    /// Whether `member` is in the set.
    pub fn contains(&self, member: &[u8]) -> bool {
        self.score(member).is_some()
    }

    /// Sets `member`'s score, adding the member if new, and returns its
    /// previous score (`None` if it was added). A score equal to the current
    /// one (`==`, so -0 and 0 too) leaves the member untouched, as Redis. Adding a member that would
    /// break `limits` promotes the set to `skiplist` first. `score` must not
    /// be NaN (callers check; a NaN is ignored and reported as no change).
    pub fn insert(&mut self, member: &[u8], score: f64, limits: &Limits) -> Option<f64> {
        if score.is_nan() {
            return self.score(member);
        }
        if let Repr::Listpack(p) = &mut self.repr {
            match p.upsert(member, score, limits) {
                Ok(old) => return old,
                Err(()) => self.promote(limits.hash_seed),
            }
        }
        match &mut self.repr {
            Repr::Skiplist(t) => t.insert(member, score),
            Repr::Listpack(_) => None,
        }
    }

    /// Removes `member`; returns its score if it was there.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        match &mut self.repr {
            Repr::Listpack(p) => p.remove(member),
            Repr::Skiplist(t) => t.remove(member),
        }
    }

    /// The 0-based ascending rank of `member` (`ZRANK`); the descending rank
    /// is `len() - 1 - rank`.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        match &self.repr {
            Repr::Listpack(p) => p.rank(member),
            Repr::Skiplist(t) => t.rank(member),
        }
    }

    /// The member and score at ascending rank `rank`.
    pub fn nth(&self, rank: usize) -> Option<(&[u8], f64)> {
        match &self.repr {
            Repr::Listpack(p) => p.nth(rank),
            Repr::Skiplist(t) => t.nth(rank),
        }
    }

    /// Iterates the members of ascending ranks `lo..hi` (clamped to the
    /// set), from `lo` up, or from `hi - 1` down when `rev`.
    pub fn iter_range(&self, lo: usize, hi: usize, rev: bool) -> Iter<'_> {
        let hi = hi.min(self.len());
        let lo = lo.min(hi);
        let inner = match &self.repr {
            Repr::Listpack(p) => {
                if rev {
                    IterInner::Rev(p.iter_range_rev(lo, hi))
                } else {
                    IterInner::Fwd(p.iter_range(lo, hi))
                }
            }
            Repr::Skiplist(t) => IterInner::Tree(t.iter_range(lo, hi, rev)),
        };
        Iter { inner }
    }

    /// Iterates every member in ascending order.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_range(0, usize::MAX, false)
    }

    /// Number of members for which `before` holds, which must hold for a
    /// prefix of the (score, member) order.
    fn count_before(&self, before: impl Fn(f64, &[u8]) -> bool) -> usize {
        match &self.repr {
            Repr::Listpack(p) => p.count_before(before),
            Repr::Skiplist(t) => t.count_before(before),
        }
    }

    /// The ascending ranks `lo..hi` of the members whose score lies in `range`
    /// (`lo == hi` when none does).
    pub fn score_ranks(&self, range: &ScoreRange) -> (usize, usize) {
        let lo = self.count_before(|s, _| range.below_min(s));
        let hi = self.count_before(|s, _| range.within_max(s));
        (lo, hi.max(lo))
    }

    /// The ascending ranks `lo..hi` of the members inside the lexicographic
    /// `range` (`lo == hi` when none is), found from the low end as
    /// `ZRANGEBYLEX`, `ZLEXCOUNT` and `ZREMRANGEBYLEX` find them.
    pub fn lex_ranks(&self, range: &LexRange) -> (usize, usize) {
        self.lex_window(range, false)
    }

    /// Like [`ZSet::lex_ranks`], found from the high end as
    /// `ZREVRANGEBYLEX` finds them. The two differ only when members do not
    /// share one score (which Redis leaves undefined).
    pub fn lex_ranks_rev(&self, range: &LexRange) -> (usize, usize) {
        self.lex_window(range, true)
    }

    fn lex_window(&self, range: &LexRange, from_top: bool) -> (usize, usize) {
        match &self.repr {
            // Redis walks a listpack linearly: from the first member not
            // below min while members stay within max (or mirrored from
            // the top), which is well defined even for mixed scores.
            Repr::Listpack(p) => p.lex_window(range, from_top),
            Repr::Skiplist(_) => {
                let lo = self.count_before(|_, m| range.below_min(m));
                let hi = self.count_before(|_, m| range.within_max(m));
                (lo, hi.max(lo))
            }
        }
    }

    /// Iterates the members whose score lies in `range`, ascending (or
    /// descending when `rev`).
    pub fn range_by_score(&self, range: &ScoreRange, rev: bool) -> Iter<'_> {
        let (lo, hi) = self.score_ranks(range);
        self.iter_range(lo, hi, rev)
    }

    /// Iterates the members inside the lexicographic `range`, ascending (or
    /// descending when `rev`).
    pub fn range_by_lex(&self, range: &LexRange, rev: bool) -> Iter<'_> {
        let (lo, hi) = self.lex_window(range, rev);
        self.iter_range(lo, hi, rev)
    }

    /// Number of members with a score in `range` (`ZCOUNT`).
    pub fn count_in_score_range(&self, range: &ScoreRange) -> usize {
        let (lo, hi) = self.score_ranks(range);
        hi - lo
    }

    /// Number of members inside the lexicographic `range` (`ZLEXCOUNT`).
    pub fn count_in_lex_range(&self, range: &LexRange) -> usize {
        let (lo, hi) = self.lex_ranks(range);
        hi - lo
    }

    /// Removes the members of ascending ranks `lo..hi` (clamped); returns
    /// them with their scores, in ascending order.
    pub fn remove_ranks(&mut self, lo: usize, hi: usize) -> Vec<(Vec<u8>, f64)> {
        let hi = hi.min(self.len());
        if lo >= hi {
            return Vec::new();
        }
        match &mut self.repr {
            Repr::Listpack(p) => p.remove_ranks(lo, hi),
            Repr::Skiplist(t) => t
                .remove_ranks(lo, hi)
                .into_iter()
                .map(|(m, s)| (m.into_vec(), s))
                .collect(),
        }
    }

    /// Removes and returns the member with the lowest (`max == false`) or
    /// highest (`max == true`) score.
    pub fn pop(&mut self, max: bool) -> Option<(Vec<u8>, f64)> {
        let len = self.len();
        if len == 0 {
            return None;
        }
        let at = if max { len - 1 } else { 0 };
        self.remove_ranks(at, at + 1).pop()
    }

    /// One `ZSCAN` step: calls `f` on members from `cursor` on and returns
    /// the next cursor (0 when done). A `listpack` set is visited whole in
    /// one call, as Redis does; a `skiplist` set is walked by a cursor that
    /// sees every member present for the whole walk exactly once.
    pub fn scan<'a>(&'a self, cursor: u64, count: usize, mut f: impl FnMut(&'a [u8], f64)) -> u64 {
        match &self.repr {
            Repr::Listpack(p) => {
                for (m, s) in p.iter() {
                    f(m, s);
                }
                0
            }
            Repr::Skiplist(t) => {
                let cursor = usize::try_from(cursor).unwrap_or(usize::MAX);
                t.scan(cursor, count, f) as u64
            }
        }
    }

    /// The contents for a `DUMP` payload, ascending.
    pub fn dump_items(&self) -> Vec<(Vec<u8>, f64)> {
        self.iter().map(|(m, s)| (m.to_vec(), s)).collect()
    }

    /// Rebuilds a value from `DUMP` contents, picking the encoding from the
    /// thresholds; `None` if they are empty or hold a NaN score or a
    /// repeated member.
    pub fn from_dump(items: Vec<(Vec<u8>, f64)>, limits: &Limits) -> Option<ZSet> {
        if items.is_empty() || items.iter().any(|(_, s)| s.is_nan()) {
            return None;
        }
        let n = items.len();
        let z = ZSet::from_entries(items, limits);
        (z.len() == n).then_some(z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(entries: usize, value: usize) -> Limits {
        Limits {
            zset_max_listpack_entries: entries,
            zset_max_listpack_value: value,
            ..Limits::default()
        }
    }

    fn members(z: &ZSet) -> Vec<String> {
        z.iter().map(|(m, _)| String::from_utf8_lossy(m).into_owned()).collect()
    }

    /// Runs the same operations on both encodings and checks they agree.
    fn both(f: impl Fn(&mut ZSet, &Limits)) -> (ZSet, ZSet) {
        let small = limits(1000, 1000);
        let big = limits(0, 0);
        let mut a = ZSet::new();
        let mut b = ZSet::new();
        f(&mut a, &small);
        f(&mut b, &big);
        assert_eq!(a.encoding(), "listpack");
        assert_eq!(b.encoding(), "skiplist");
        assert_eq!(a.dump_items(), b.dump_items());
        (a, b)
    }

    #[test]
    fn members_with_equal_scores_order_by_bytes() {
        let (a, _) = both(|z, l| {
            z.insert(b"b", 1.0, l);
            z.insert(b"a", 1.0, l);
            z.insert(b"c", 0.5, l);
            z.insert(b"A", 1.0, l);
        });
        assert_eq!(members(&a), ["c", "A", "a", "b"]);
    }

    #[test]
    fn promotion_happens_past_either_threshold_and_never_reverses() {
        let l = limits(3, 4);
        let mut z = ZSet::new();
        for m in ["a", "b", "c"] {
            z.insert(m.as_bytes(), 1.0, &l);
        }
        assert_eq!(z.encoding(), "listpack");
        // Updating an existing member never promotes.
        z.insert(b"a", 5.0, &l);
        assert_eq!(z.encoding(), "listpack");
        z.insert(b"d", 1.0, &l);
        assert_eq!(z.encoding(), "skiplist");
        assert_eq!(members(&z), ["b", "c", "d", "a"]);
        z.remove(b"a");
        z.remove(b"b");
        assert_eq!(z.encoding(), "skiplist");

        let mut long = ZSet::new();
        long.insert(b"abcd", 1.0, &l);
        assert_eq!(long.encoding(), "listpack");
        long.insert(b"abcde", 1.0, &l);
        assert_eq!(long.encoding(), "skiplist");
        assert_eq!(long.len(), 2);
    }

    #[test]
    fn score_and_lex_ranks_honour_exclusive_and_infinite_ends() {
        let (a, b) = both(|z, l| {
            for (i, m) in ["a", "b", "c", "d", "e"].iter().enumerate() {
                z.insert(m.as_bytes(), i as f64, l);
            }
        });
        for z in [&a, &b] {
            assert_eq!(z.score_ranks(&ScoreRange::inclusive(1.0, 3.0)), (1, 4));
            let ex = ScoreRange {
                min: 1.0,
                min_ex: true,
                max: 3.0,
                max_ex: true,
            };
            assert_eq!(z.score_ranks(&ex), (2, 3));
            assert_eq!(
                z.count_in_score_range(&ScoreRange::inclusive(f64::NEG_INFINITY, f64::INFINITY)),
                5
            );
            assert_eq!(z.count_in_score_range(&ScoreRange::inclusive(3.0, 1.0)), 0);
            let lex = LexRange {
                min: LexBound::Excl(b"a".to_vec()),
                max: LexBound::Incl(b"c".to_vec()),
            };
            assert_eq!(z.lex_ranks(&lex), (1, 3));
            let all = LexRange {
                min: LexBound::NegInf,
                max: LexBound::PosInf,
            };
            assert_eq!(z.count_in_lex_range(&all), 5);
            let none = LexRange {
                min: LexBound::PosInf,
                max: LexBound::NegInf,
            };
            assert_eq!(z.count_in_lex_range(&none), 0);
        }
    }

    #[test]
    fn rank_nth_iteration_and_pops_agree_across_encodings() {
        let (mut a, mut b) = both(|z, l| {
            for i in 0..50u32 {
                z.insert(format!("m{i}").as_bytes(), f64::from(i % 5), l);
            }
        });
        for z in [&a, &b] {
            for i in 0..50 {
                let (m, _) = z.nth(i).unwrap();
                assert_eq!(z.rank(m), Some(i));
            }
            let fwd: Vec<_> = z.iter_range(5, 15, false).map(|(m, _)| m.to_vec()).collect();
            let mut rev: Vec<_> = z.iter_range(5, 15, true).map(|(m, _)| m.to_vec()).collect();
            rev.reverse();
            assert_eq!(fwd, rev);
        }
        assert_eq!(a.pop(false), b.pop(false));
        assert_eq!(a.pop(true), b.pop(true));
        assert_eq!(a.remove_ranks(3, 10), b.remove_ranks(3, 10));
        assert_eq!(a.dump_items(), b.dump_items());
        assert_eq!(a.len(), 41);
    }

    #[test]
    fn updating_a_score_moves_the_member() {
        let (a, _) = both(|z, l| {
            z.insert(b"x", 1.0, l);
            z.insert(b"y", 2.0, l);
            assert_eq!(z.insert(b"x", 3.0, l), Some(1.0));
            assert_eq!(z.insert(b"y", 2.0, l), Some(2.0));
        });
        assert_eq!(members(&a), ["y", "x"]);
    }

    #[test]
    fn built_sets_pick_their_encoding_from_the_result() {
        let l = limits(2, 10);
        let small = ZSet::from_entries(vec![(b"a".to_vec(), 1.0), (b"b".to_vec(), 2.0)], &l);
        assert_eq!(small.encoding(), "listpack");
        let big = ZSet::from_entries((0..3).map(|i| (vec![b'a' + i], 1.0)), &l);
        assert_eq!(big.encoding(), "skiplist");
        assert!(ZSet::from_dump(vec![(b"a".to_vec(), 1.0), (b"a".to_vec(), 2.0)], &l).is_none());
        assert!(ZSet::from_dump(vec![(b"a".to_vec(), f64::NAN)], &l).is_none());
    }

    #[test]
    fn listpack_lex_walks_like_redis_on_mixed_scores() {
        let l = limits(100, 100);
        let mut z = ZSet::new();
        for (m, s) in [("d", 1.0), ("a", 2.0), ("c", 3.0), ("b", 4.0)] {
            z.insert(m.as_bytes(), s, &l);
        }
        let r = LexRange {
            min: LexBound::Incl(b"b".to_vec()),
            max: LexBound::Incl(b"c".to_vec()),
        };
        // The lowest member "d" lies above max: Redis's first check says
        // nothing is in range, whichever end it starts from.
        assert_eq!(z.lex_ranks(&r), (0, 0));
        assert_eq!(z.lex_ranks_rev(&r), (0, 0));
        let mut y = ZSet::new();
        for (m, s) in [("a", 1.0), ("d", 2.0), ("c", 3.0), ("b", 4.0)] {
            y.insert(m.as_bytes(), s, &l);
        }
        // From the bottom: "d" is the first not below min, but above max.
        assert_eq!(y.lex_ranks(&r), (0, 0));
        // From the top: "b", "c", "d", stopping at "a" (the oracle agrees).
        assert_eq!(y.lex_ranks_rev(&r), (1, 4));
        let all = LexRange {
            min: LexBound::NegInf,
            max: LexBound::PosInf,
        };
        assert_eq!(z.lex_ranks(&all), (0, 4));
        let none = LexRange {
            min: LexBound::Excl(b"b".to_vec()),
            max: LexBound::Incl(b"b".to_vec()),
        };
        assert_eq!(z.lex_ranks(&none), (0, 0));
    }

    #[test]
    fn heap_size_follows_the_contents() {
        for l in [limits(10_000, 1000), limits(0, 0)] {
            let mut z = ZSet::new();
            let empty = z.heap_size();
            for i in 0..1000 {
                z.insert(format!("member-{i:06}").as_bytes(), f64::from(i), &l);
            }
            let full = z.heap_size();
            // At least the member bytes and the scores, and not absurdly more.
            assert!(full >= empty + 1000 * (13 + 8), "{} {full}", z.encoding());
            assert!(full < 1000 * 200, "{} {full}", z.encoding());
            let by_score: Vec<_> = z
                .range_by_score(&ScoreRange::inclusive(10.0, 12.0), true)
                .map(|(_, s)| s)
                .collect();
            assert_eq!(by_score, [12.0, 11.0, 10.0]);
        }
    }

    #[test]
    fn listpack_loses_the_sign_of_zero_and_skiplist_keeps_it() {
        let (a, b) = (limits(10, 10), limits(0, 0));
        let mut lp = ZSet::new();
        lp.insert(b"z", -0.0, &a);
        assert!(lp.score(b"z").unwrap().is_sign_positive());
        let mut sl = ZSet::new();
        sl.insert(b"z", -0.0, &b);
        assert!(sl.score(b"z").unwrap().is_sign_negative());
        // Equal by `==`: nothing changes.
        sl.insert(b"z", 0.0, &b);
        assert!(sl.score(b"z").unwrap().is_sign_negative());
    }

    /// Redis's listpack lexicographic walk over a plain sorted Vec (the
    /// encoding's previous form), the model for the packed walk.
    fn model_lex_window(v: &[(Vec<u8>, f64)], r: &LexRange, from_top: bool) -> (usize, usize) {
        let (Some(first), Some(last)) = (v.first(), v.last()) else {
            return (0, 0);
        };
        if !lex_range_nonempty(r) || r.below_min(&last.0) || !r.within_max(&first.0) {
            return (0, 0);
        }
        if from_top {
            let Some(j) = v.iter().rposition(|(m, _)| r.within_max(m)) else {
                return (0, 0);
            };
            if r.below_min(&v[j].0) {
                return (0, 0);
            }
            let mut i = j;
            while i > 0 && !r.below_min(&v[i - 1].0) {
                i -= 1;
            }
            (i, j + 1)
        } else {
            let Some(i) = v.iter().position(|(m, _)| !r.below_min(m)) else {
                return (0, 0);
            };
            if !r.within_max(&v[i].0) {
                return (0, 0);
            }
            let mut j = i;
            while j < v.len() && r.within_max(&v[j].0) {
                j += 1;
            }
            (i, j)
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(Vec<u8>, f64),
        Remove(Vec<u8>),
        RemoveRanks(usize, usize),
        Pop(bool),
    }

    const SCORES: [f64; 8] = [-0.0, 0.0, 1.0, -1.5, 2.0, f64::INFINITY, f64::NEG_INFINITY, 1e300];

    fn member() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        prop_oneof![
            8 => prop::collection::vec(prop::sample::select(vec![b'a', b'b', b'c', 0u8, 0xff]), 0..4),
            // Long members exercise multi-byte varint lengths.
            1 => (0usize..3).prop_map(|k| vec![b'x'; 126 + k * 100]),
        ]
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        let score = prop::sample::select(SCORES.to_vec());
        prop_oneof![
            6 => (member(), score).prop_map(|(m, s)| Op::Insert(m, s)),
            2 => member().prop_map(Op::Remove),
            1 => (0usize..10, 0usize..10).prop_map(|(a, b)| Op::RemoveRanks(a, b)),
            1 => any::<bool>().prop_map(Op::Pop),
        ]
    }

    fn lex_bound() -> impl proptest::strategy::Strategy<Value = LexBound> {
        use proptest::prelude::*;
        prop_oneof![
            Just(LexBound::NegInf),
            Just(LexBound::PosInf),
            member().prop_map(LexBound::Incl),
            member().prop_map(LexBound::Excl),
        ]
    }

    fn model_sorted(model: &std::collections::BTreeMap<Vec<u8>, f64>) -> Vec<(Vec<u8>, f64)> {
        let mut v: Vec<(Vec<u8>, f64)> = model.iter().map(|(m, s)| (m.clone(), *s)).collect();
        v.sort_by(|a, b| tree::cmp_entry(a.1, &a.0, b.1, &b.0));
        v
    }

    proptest::proptest! {
        #[test]
        fn the_packed_encoding_agrees_with_a_btreemap_model(
            ops in proptest::collection::vec(op(), 0..60),
            lex in proptest::collection::vec((lex_bound(), lex_bound()), 4),
            ranges in proptest::collection::vec((0usize..8, 0usize..8, proptest::prelude::any::<bool>()), 4),
        ) {
            use proptest::{prop_assert, prop_assert_eq};
            let l = limits(1000, 1000);
            let mut z = ZSet::new();
            // Member -> score; listpack scores never keep the sign of zero.
            let mut model = std::collections::BTreeMap::<Vec<u8>, f64>::new();
            for op in ops {
                match op {
                    Op::Insert(m, s) => {
                        let old = model.get(&m).copied();
                        prop_assert_eq!(z.insert(&m, s, &l).map(f64::to_bits), old.map(f64::to_bits));
                        if old != Some(s) {
                            model.insert(m, if s == 0.0 { 0.0 } else { s });
                        }
                    }
                    Op::Remove(m) => {
                        prop_assert_eq!(z.remove(&m), model.remove(&m));
                    }
                    Op::RemoveRanks(lo, hi) => {
                        let sorted = model_sorted(&model);
                        let want: Vec<_> = sorted.get(lo..hi.min(sorted.len())).unwrap_or(&[]).to_vec();
                        for (m, _) in &want {
                            model.remove(m);
                        }
                        prop_assert_eq!(z.remove_ranks(lo, hi), want);
                    }
                    Op::Pop(max) => {
                        let sorted = model_sorted(&model);
                        let want = if max { sorted.last() } else { sorted.first() }.cloned();
                        if let Some((m, _)) = &want {
                            model.remove(m);
                        }
                        prop_assert_eq!(z.pop(max), want);
                    }
                }
                prop_assert_eq!(z.encoding(), "listpack");
                let sorted = model_sorted(&model);
                prop_assert_eq!(z.len(), sorted.len());
                let got: Vec<_> = z.iter().map(|(m, s)| (m.to_vec(), s.to_bits())).collect();
                let want: Vec<_> = sorted.iter().map(|(m, s)| (m.clone(), s.to_bits())).collect();
                prop_assert_eq!(got, want);
                for (i, (m, s)) in sorted.iter().enumerate() {
                    prop_assert_eq!(z.rank(m), Some(i));
                    prop_assert_eq!(z.score(m), Some(*s));
                    prop_assert_eq!(z.nth(i).map(|(m, s)| (m.to_vec(), s)), Some((m.clone(), *s)));
                }
                prop_assert_eq!(z.nth(sorted.len()), None);
                let bytes: usize = sorted.iter().map(|(m, _)| pack::entry_len(m)).sum();
                prop_assert!(z.heap_size() >= bytes);
                prop_assert!(z.heap_size() <= bytes + 64 + 16);
            }
            let sorted = model_sorted(&model);
            for (lo, hi, rev) in ranges {
                let mut want: Vec<_> = sorted.get(lo..hi.min(sorted.len())).unwrap_or(&[]).to_vec();
                if rev {
                    want.reverse();
                }
                let got: Vec<_> = z.iter_range(lo, hi, rev).map(|(m, s)| (m.to_vec(), s)).collect();
                prop_assert_eq!(z.iter_range(lo, hi, rev).size_hint().0, want.len());
                prop_assert_eq!(got, want);
            }
            for (min, max) in lex {
                let r = LexRange { min, max };
                prop_assert_eq!(z.lex_ranks(&r), model_lex_window(&sorted, &r, false));
                prop_assert_eq!(z.lex_ranks_rev(&r), model_lex_window(&sorted, &r, true));
            }
            for (i, &a) in SCORES.iter().enumerate() {
                for &b in &SCORES[i..] {
                    for (min_ex, max_ex) in [(false, false), (true, false), (false, true), (true, true)] {
                        let r = ScoreRange { min: a.min(b), min_ex, max: a.max(b), max_ex };
                        let want = sorted.iter().filter(|(_, s)| r.contains(*s)).count();
                        prop_assert_eq!(z.count_in_score_range(&r), want);
                        let (lo, hi) = z.score_ranks(&r);
                        prop_assert!(sorted[lo..hi].iter().all(|(_, s)| r.contains(*s)));
                    }
                }
            }
            // The skiplist built from the same contents agrees.
            let big = ZSet::from_entries(z.dump_items(), &limits(0, 0));
            prop_assert_eq!(big.dump_items(), z.dump_items());
            let small = ZSet::from_entries(z.dump_items(), &l);
            prop_assert!(small == z);
        }
    }
}
