//! The list type: a double-ended queue of byte strings.
//!
//! Redis 7.0 stores every list as a `quicklist` (a linked list of listpack
//! nodes) and `OBJECT ENCODING` says so for lists of any size; 7.2's plain
//! `listpack` for small lists does not exist there, so there is nothing to
//! promote. Internally a ring buffer of boxed byte slices is the compact
//! form: 16 bytes of slot plus the element's own bytes, O(1) push and pop at
//! both ends and O(1) access by index (`LINDEX`, `LSET`), which the
//! quicklist only approximates. `list-max-listpack-size` shapes quicklist
//! nodes, which we do not have; it changes nothing observable here.
//!
//! Invariant: `bytes` is the sum of [`element_cost`] over the elements, so
//! [`List::heap_size`] is O(1) (the shard calls it around every write).

use std::collections::VecDeque;

use super::alloc_cost as element_cost;

/// A list value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct List {
    items: VecDeque<Box<[u8]>>,
    bytes: usize,
}

/// Which end of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The head (`LEFT`).
    Left,
    /// The tail (`RIGHT`).
    Right,
}

impl List {
    /// An empty list (callers store only non-empty lists).
    pub fn new() -> List {
        List::default()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the list has no elements (such a key must be deleted).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The `OBJECT ENCODING` name: always `quicklist`, as Redis 7.0 reports.
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// Approximate heap bytes held: the ring buffer's slots plus the elements.
    pub fn heap_size(&self) -> usize {
        self.items.capacity() * std::mem::size_of::<Box<[u8]>>() + self.bytes
    }

    /// Adds `value` at `end`.
    pub fn push(&mut self, end: End, value: &[u8]) {
        self.bytes += element_cost(value.len());
        let v: Box<[u8]> = value.into();
        match end {
            End::Left => self.items.push_front(v),
            End::Right => self.items.push_back(v),
        }
    }

    /// Removes and returns the element at `end`.
    pub fn pop(&mut self, end: End) -> Option<Box<[u8]>> {
        let v = match end {
            End::Left => self.items.pop_front(),
            End::Right => self.items.pop_back(),
        }?;
        self.bytes -= element_cost(v.len());
        self.shrink();
        Some(v)
    }

    /// Removes up to `count` elements from `end`, in the order they are
    /// popped (from the tail: last element first).
    pub fn pop_many(&mut self, end: End, count: usize) -> Vec<Box<[u8]>> {
        let n = count.min(self.len());
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            if let Some(v) = self.pop(end) {
                out.push(v);
            }
        }
        out
    }

    /// The element at `index` from the head (negative: from the tail, -1 the last).
    pub fn get(&self, index: i64) -> Option<&[u8]> {
        self.resolve(index).and_then(|i| self.items.get(i)).map(|v| &v[..])
    }

    /// Replaces the element at `index` (negative from the tail); false if out of range.
    pub fn set(&mut self, index: i64, value: &[u8]) -> bool {
        let Some(slot) = self.resolve(index).and_then(|i| self.items.get_mut(i)) else {
            return false;
        };
        self.bytes = self.bytes - element_cost(slot.len()) + element_cost(value.len());
        *slot = value.into();
        true
    }

    /// A position from a Redis index (negative counts from the tail).
    fn resolve(&self, index: i64) -> Option<usize> {
        let len = self.len() as i64;
        let i = if index < 0 { len.checked_add(index)? } else { index };
        (0..len).contains(&i).then_some(i as usize)
    }

    /// Inserts `value` next to the first element equal to `pivot` (after it
    /// when `after`); false when there is no such element.
    pub fn insert_at_pivot(&mut self, pivot: &[u8], value: &[u8], after: bool) -> bool {
        let Some(pos) = self.items.iter().position(|v| &v[..] == pivot) else {
            return false;
        };
        self.bytes += element_cost(value.len());
        self.items.insert(if after { pos + 1 } else { pos }, value.into());
        true
    }

    /// Removes elements equal to `value`: `limit` of them at most (0 = all),
    /// scanning from the tail when `from_tail`. Returns how many went.
    pub fn remove_matching(&mut self, value: &[u8], limit: u64, from_tail: bool) -> u64 {
        let mut removed = 0u64;
        let mut bytes = self.bytes;
        let mut keep = |v: &[u8]| {
            if (limit == 0 || removed < limit) && v == value {
                removed += 1;
                bytes -= element_cost(v.len());
                false
            } else {
                true
            }
        };
        if from_tail {
            // Decide from the tail, then drop in one pass.
            let flags: Vec<bool> = self.items.iter().rev().map(|v| keep(v)).collect();
            let mut it = flags.into_iter().rev();
            self.items.retain(|_| it.next().unwrap_or(true));
        } else {
            self.items.retain(|v| keep(v));
        }
        self.bytes = bytes;
        self.shrink();
        removed
    }

    /// Keeps elements `start..=end` (already clamped to the list by the
    /// caller; `None` keeps nothing).
    pub fn keep_range(&mut self, range: Option<(usize, usize)>) {
        match range {
            None => {
                self.items.clear();
                self.bytes = 0;
            }
            Some((start, end)) => {
                let end = end.min(self.len().saturating_sub(1));
                for v in self.items.drain(end + 1..) {
                    self.bytes -= element_cost(v.len());
                }
                for v in self.items.drain(..start.min(self.items.len())) {
                    self.bytes -= element_cost(v.len());
                }
            }
        }
        self.shrink();
    }

    /// Elements `start..=end` from the head, both in range.
    pub fn range(&self, start: usize, end: usize) -> impl DoubleEndedIterator<Item = &[u8]> + '_ {
        let end = end.min(self.len().saturating_sub(1));
        let start = start.min(end + 1);
        self.items.range(start..(end + 1).min(self.len())).map(|v| &v[..])
    }

    /// Every element from the head.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8]> + ExactSizeIterator + '_ {
        self.items.iter().map(|v| &v[..])
    }

    /// Gives memory back after large removals, as Redis frees emptied nodes.
    fn shrink(&mut self) {
        let cap = self.items.capacity();
        if cap > 64 && cap > 4 * self.items.len() {
            self.items.shrink_to(self.items.len() * 2);
        }
    }

    /// The contents for a `DUMP` payload.
    pub fn dump_items(&self) -> Vec<Vec<u8>> {
        self.items.iter().map(|v| v.to_vec()).collect()
    }

    /// Rebuilds a value from `DUMP` contents; `None` if they are empty.
    pub fn from_dump(items: Vec<Vec<u8>>, _limits: &super::Limits) -> Option<List> {
        if items.is_empty() {
            return None;
        }
        let mut l = List::new();
        for v in items {
            l.push(End::Right, &v);
        }
        Some(l)
    }
}

impl FromIterator<Vec<u8>> for List {
    fn from_iter<I: IntoIterator<Item = Vec<u8>>>(iter: I) -> List {
        let mut l = List::new();
        for v in iter {
            l.push(End::Right, &v);
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> List {
        items.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    fn contents(l: &List) -> Vec<String> {
        l.iter().map(|v| String::from_utf8_lossy(v).into_owned()).collect()
    }

    fn recount(l: &List) -> usize {
        l.iter().map(|v| element_cost(v.len())).sum()
    }

    #[test]
    fn encoding_is_quicklist_at_every_size() {
        let mut l = List::new();
        assert_eq!(l.encoding(), "quicklist");
        for i in 0..10_000 {
            l.push(End::Right, format!("{i}").as_bytes());
        }
        assert_eq!(l.encoding(), "quicklist");
    }

    #[test]
    fn push_pop_both_ends_and_pop_many_order() {
        let mut l = List::new();
        l.push(End::Right, b"b");
        l.push(End::Left, b"a");
        l.push(End::Right, b"c");
        assert_eq!(contents(&l), ["a", "b", "c"]);
        let tail: Vec<Box<[u8]>> = l.pop_many(End::Right, 2);
        assert_eq!(tail, vec![b"c"[..].into(), b"b"[..].into()]);
        assert_eq!(l.pop_many(End::Left, 10).len(), 1);
        assert!(l.is_empty());
        assert_eq!(l.pop(End::Left), None);
        assert_eq!(l.bytes, 0);
    }

    #[test]
    fn indexes_count_from_either_end_and_never_overflow() {
        let mut l = list(&["a", "b", "c"]);
        assert_eq!(l.get(0), Some(&b"a"[..]));
        assert_eq!(l.get(-1), Some(&b"c"[..]));
        assert_eq!(l.get(-3), Some(&b"a"[..]));
        assert_eq!(l.get(-4), None);
        assert_eq!(l.get(3), None);
        assert_eq!(l.get(i64::MIN), None);
        assert_eq!(l.get(i64::MAX), None);
        assert!(l.set(-2, b"long element"));
        assert!(!l.set(5, b"x"));
        assert_eq!(contents(&l), ["a", "long element", "c"]);
        assert_eq!(l.bytes, recount(&l));
    }

    #[test]
    fn insert_remove_and_trim_keep_the_byte_count() {
        let mut l = list(&["x", "a", "x", "b", "x"]);
        assert!(l.insert_at_pivot(b"a", b"after-a", true));
        assert!(l.insert_at_pivot(b"x", b"first", false));
        assert!(!l.insert_at_pivot(b"nope", b"z", false));
        assert_eq!(contents(&l), ["first", "x", "a", "after-a", "x", "b", "x"]);
        assert_eq!(l.remove_matching(b"x", 2, true), 2);
        assert_eq!(contents(&l), ["first", "x", "a", "after-a", "b"]);
        assert_eq!(l.remove_matching(b"x", 0, false), 1);
        assert_eq!(l.bytes, recount(&l));
        l.keep_range(Some((1, 2)));
        assert_eq!(contents(&l), ["a", "after-a"]);
        assert_eq!(l.bytes, recount(&l));
        l.keep_range(None);
        assert!(l.is_empty());
        assert_eq!(l.bytes, 0);
    }

    #[test]
    fn heap_size_follows_contents_and_shrinks_after_big_pops() {
        let mut l = List::new();
        let small = l.heap_size();
        for _ in 0..10_000 {
            l.push(End::Right, &[7u8; 100]);
        }
        let big = l.heap_size();
        assert!(big >= 10_000 * (100 + 16), "{big}");
        l.pop_many(End::Left, 9_990);
        assert!(l.heap_size() < big / 100, "{} vs {big}", l.heap_size());
        l.pop_many(End::Left, 10);
        assert!(l.heap_size() <= small + 64 * 16);
    }

    #[test]
    fn dump_round_trips_and_refuses_empty() {
        let l = list(&["a", "", "c"]);
        let back = List::from_dump(l.dump_items(), &super::super::Limits::default()).unwrap();
        assert_eq!(back, l);
        assert!(List::from_dump(Vec::new(), &super::super::Limits::default()).is_none());
    }

    #[derive(Debug, Clone)]
    enum Op {
        Push(bool, Vec<u8>),
        Pop(bool, usize),
        Set(i64, Vec<u8>),
        Insert(Vec<u8>, Vec<u8>, bool),
        Remove(Vec<u8>, u64, bool),
        Keep(usize, usize),
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        let elem = prop::collection::vec(0u8..3, 0..3);
        prop_oneof![
            (any::<bool>(), elem.clone()).prop_map(|(l, v)| Op::Push(l, v)),
            (any::<bool>(), 0usize..4).prop_map(|(l, n)| Op::Pop(l, n)),
            (-8i64..8, elem.clone()).prop_map(|(i, v)| Op::Set(i, v)),
            (elem.clone(), elem.clone(), any::<bool>()).prop_map(|(p, v, a)| Op::Insert(p, v, a)),
            (elem, 0u64..3, any::<bool>()).prop_map(|(v, n, t)| Op::Remove(v, n, t)),
            (0usize..8, 0usize..8).prop_map(|(a, b)| Op::Keep(a, b)),
        ]
    }

    proptest::proptest! {
        #[test]
        fn the_list_agrees_with_a_vec_model(ops in proptest::collection::vec(op(), 0..60)) {
            let mut l = List::new();
            let mut model: Vec<Vec<u8>> = Vec::new();
            for op in ops {
                match op {
                    Op::Push(left, v) => {
                        l.push(if left { End::Left } else { End::Right }, &v);
                        if left { model.insert(0, v) } else { model.push(v) }
                    }
                    Op::Pop(left, n) => {
                        let got = l.pop_many(if left { End::Left } else { End::Right }, n);
                        let n = n.min(model.len());
                        let want: Vec<Vec<u8>> = if left {
                            model.drain(..n).collect()
                        } else {
                            model.drain(model.len() - n..).rev().collect()
                        };
                        let got: Vec<Vec<u8>> = got.into_iter().map(|b| b.to_vec()).collect();
                        proptest::prop_assert_eq!(got, want);
                    }
                    Op::Set(i, v) => {
                        let len = model.len() as i64;
                        let pos = if i < 0 { len + i } else { i };
                        let ok = (0..len).contains(&pos);
                        proptest::prop_assert_eq!(l.set(i, &v), ok);
                        if ok {
                            model[pos as usize] = v;
                        }
                    }
                    Op::Insert(pivot, v, after) => {
                        let pos = model.iter().position(|x| *x == pivot);
                        proptest::prop_assert_eq!(l.insert_at_pivot(&pivot, &v, after), pos.is_some());
                        if let Some(p) = pos {
                            model.insert(if after { p + 1 } else { p }, v);
                        }
                    }
                    Op::Remove(v, limit, from_tail) => {
                        let mut removed = 0u64;
                        let mut keep: Vec<bool> = vec![true; model.len()];
                        let order: Vec<usize> = if from_tail {
                            (0..model.len()).rev().collect()
                        } else {
                            (0..model.len()).collect()
                        };
                        for i in order {
                            if (limit == 0 || removed < limit) && model[i] == v {
                                keep[i] = false;
                                removed += 1;
                            }
                        }
                        let mut it = keep.into_iter();
                        model.retain(|_| it.next().unwrap_or(true));
                        proptest::prop_assert_eq!(l.remove_matching(&v, limit, from_tail), removed);
                    }
                    Op::Keep(a, b) => {
                        let range = (a <= b && a < model.len()).then_some((a, b));
                        l.keep_range(range);
                        match range {
                            None => model.clear(),
                            Some((a, b)) => {
                                let b = b.min(model.len() - 1);
                                model = model[a..=b].to_vec();
                            }
                        }
                    }
                }
                let contents: Vec<Vec<u8>> = l.iter().map(|v| v.to_vec()).collect();
                proptest::prop_assert_eq!(&contents, &model);
                proptest::prop_assert_eq!(l.bytes, recount(&l));
                for i in -10i64..10 {
                    let len = model.len() as i64;
                    let pos = if i < 0 { len + i } else { i };
                    let want = (0..len).contains(&pos).then(|| model[pos as usize].as_slice());
                    proptest::prop_assert_eq!(l.get(i), want);
                }
            }
        }
    }

    #[test]
    fn range_is_bounded_by_the_real_length() {
        let l = list(&["a", "b", "c"]);
        let r: Vec<&[u8]> = l.range(1, usize::MAX).collect();
        assert_eq!(r, [&b"b"[..], &b"c"[..]]);
        assert_eq!(l.range(5, 9).count(), 0);
    }
}
