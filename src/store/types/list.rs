//! The list type: a double-ended queue of byte strings, packed like Redis's
//! quicklist.
//!
//! Redis 7.0 stores every list as a `quicklist` (a linked list of listpack
//! nodes) and `OBJECT ENCODING` says so for lists of any size; 7.2's plain
//! `listpack` for small lists does not exist there, so there is nothing to
//! promote. Here the list is a ring buffer of [`Node`]s, each one packed
//! byte buffer of entries: `varint(len) bytes backvarint(len)` (LEB128 length
//! before the bytes, the same length byte-reversed after them so the node
//! can be walked from either end, as a listpack's `backlen`). A node fills up
//! to the `list-max-listpack-size` budget the list was created with (negative:
//! bytes, -1 = 4 KiB ... -5 = 64 KiB; positive: entries, and at most 8 KiB,
//! Redis's safety limit), as Redis fixes a quicklist's fill at creation. An
//! element bigger than the budget gets a node of its own.
//!
//! Each node keeps its entry count, so an index is found by walking node
//! counts from the nearer end and then entries inside one node. A node's
//! live bytes are `buf[start..]`: popping from the head only moves `start`,
//! and pushing at the head writes into that headroom (growing it by doubling
//! when it runs out), so pushes and pops at both ends are O(1) amortised.
//! Edits in the middle (`LSET`, `LINSERT`, `LREM`) rewrite one node, split it
//! in halves when it outgrows the budget and merge neighbours that fit in one.
//!
//! Invariants: no node is empty; `len` is the sum of node counts; `alloc` is
//! the sum of [`alloc_cost`] over node buffer capacities, so [`List::heap_size`] is
//! O(1) (the shard calls it around every write).

use std::collections::VecDeque;

use super::alloc_cost;

/// Redis's byte budgets for fills -1 ... -5.
const BYTE_BUDGETS: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
/// The byte cap on nodes of a count-limited (positive) fill, Redis's `SIZE_SAFETY_LIMIT`.
const SAFETY_LIMIT: usize = 8192;
/// Redis's `FILL_MAX`: the largest entry count per node.
const FILL_MAX: i64 = 1 << 15;

/// Bytes of the LEB128 varint for `n`.
fn varint_len(mut n: usize) -> usize {
    let mut k = 1;
    while n >= 0x80 {
        n >>= 7;
        k += 1;
    }
    k
}

/// Packed bytes of an entry holding `len` bytes.
fn entry_size(len: usize) -> usize {
    len + 2 * varint_len(len)
}

/// Writes the entry for `v` into `out`, which is exactly [`entry_size`] long.
fn encode_into(out: &mut [u8], v: &[u8]) {
    let k = varint_len(v.len());
    let (head, rest) = out.split_at_mut(k);
    let (body, tail) = rest.split_at_mut(v.len());
    let mut n = v.len();
    for (i, b) in head.iter_mut().enumerate() {
        let group = (n & 0x7f) as u8;
        n >>= 7;
        *b = if i + 1 < k { group | 0x80 } else { group };
    }
    body.copy_from_slice(v);
    // The back length: the same bytes in reverse, so reading backwards
    // meets the low group (with its continuation bit) first.
    for (b, h) in tail.iter_mut().zip(head.iter().rev()) {
        *b = *h;
    }
}

/// Appends the entry for `v` to `out`.
fn encode_push(out: &mut Vec<u8>, v: &[u8]) {
    if v.len() < 0x80 {
        let k = v.len() as u8;
        out.push(k);
        out.extend_from_slice(v);
        out.push(k);
        return;
    }
    let at = out.len();
    out.resize(at + entry_size(v.len()), 0);
    encode_into(&mut out[at..], v);
}

/// The entry starting at `pos`: (data start, data end, entry end).
#[inline]
fn read_fwd(buf: &[u8], pos: usize) -> (usize, usize, usize) {
    let b = buf[pos];
    if b < 0x80 {
        let e = pos + 1 + usize::from(b);
        return (pos + 1, e, e + 1);
    }
    read_fwd_long(buf, pos)
}

#[cold]
fn read_fwd_long(buf: &[u8], pos: usize) -> (usize, usize, usize) {
    let mut n = 0usize;
    let mut shift = 0;
    let mut p = pos;
    loop {
        let b = buf[p];
        p += 1;
        n |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let k = p - pos;
    (p, p + n, p + n + k)
}

/// The entry ending at `end`: (entry start, data start, data end).
#[inline]
fn read_back(buf: &[u8], end: usize) -> (usize, usize, usize) {
    let b = buf[end - 1];
    if b < 0x80 {
        let d = end - 1 - usize::from(b);
        return (d - 1, d, end - 1);
    }
    read_back_long(buf, end)
}

#[cold]
fn read_back_long(buf: &[u8], end: usize) -> (usize, usize, usize) {
    let mut n = 0usize;
    let mut shift = 0;
    let mut p = end;
    loop {
        p -= 1;
        let b = buf[p];
        n |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let k = end - p;
    let data = p - n;
    (data - k, data, p)
}

/// One packed run of entries; the live bytes are `buf[start..]`.
#[derive(Debug, Clone, Default)]
struct Node {
    buf: Vec<u8>,
    start: usize,
    count: u32,
}

impl Node {
    fn live_len(&self) -> usize {
        self.buf.len() - self.start
    }

    fn cost(&self) -> usize {
        alloc_cost(self.buf.capacity())
    }

    /// A node holding the packed entries `live` (`count` of them).
    fn from_packed(live: &[u8], count: u32) -> Node {
        Node {
            buf: live.to_vec(),
            start: 0,
            count,
        }
    }

    /// Byte position of the `i`th entry (0-based, `i < count`), walking from
    /// the nearer end.
    fn position(&self, i: usize) -> usize {
        let count = self.count as usize;
        if i <= count / 2 {
            let mut p = self.start;
            for _ in 0..i {
                p = read_fwd(&self.buf, p).2;
            }
            p
        } else {
            let mut p = self.buf.len();
            for _ in i..count {
                p = read_back(&self.buf, p).0;
            }
            p
        }
    }

    /// Room for `need` more bytes at the back, growing by doubling up to `cap`.
    fn room_back(&mut self, need: usize, cap: usize) {
        if self.buf.capacity() - self.buf.len() >= need {
            return;
        }
        let live = self.live_len();
        if self.start >= need && self.start >= live {
            // Cheap: moving the live bytes costs no more than the space won.
            self.buf.copy_within(self.start.., 0);
            self.buf.truncate(live);
            self.start = 0;
            return;
        }
        let want = (2 * live).max(live + need).max(32).min(cap.max(live + need));
        if self.start == 0 {
            self.buf.reserve_exact(want - live);
        } else {
            let mut nb = Vec::with_capacity(want);
            nb.extend_from_slice(&self.buf[self.start..]);
            self.buf = nb;
            self.start = 0;
        }
    }

    /// Room for `need` bytes before `start`, growing the headroom by doubling up to `cap`.
    fn room_front(&mut self, need: usize, cap: usize) {
        if self.start >= need {
            return;
        }
        let live = self.live_len();
        let head = live.max(need).max(16).min(cap.saturating_sub(live).max(need));
        let mut nb = Vec::with_capacity(head + live);
        nb.resize(head, 0);
        nb.extend_from_slice(&self.buf[self.start..]);
        self.buf = nb;
        self.start = head;
    }

    fn push_back(&mut self, v: &[u8], cap: usize) {
        self.room_back(entry_size(v.len()), cap);
        encode_push(&mut self.buf, v);
        self.count += 1;
    }

    fn push_front(&mut self, v: &[u8], cap: usize) {
        let es = entry_size(v.len());
        self.room_front(es, cap);
        let at = self.start - es;
        encode_into(&mut self.buf[at..self.start], v);
        self.start = at;
        self.count += 1;
    }

    fn pop_front(&mut self) -> Box<[u8]> {
        let (d, e, next) = read_fwd(&self.buf, self.start);
        let v: Box<[u8]> = self.buf[d..e].into();
        self.start = next;
        self.count -= 1;
        self.shrink();
        v
    }

    fn pop_back(&mut self) -> Box<[u8]> {
        let (s, d, e) = read_back(&self.buf, self.buf.len());
        let v: Box<[u8]> = self.buf[d..e].into();
        self.buf.truncate(s);
        self.count -= 1;
        self.shrink();
        v
    }

    /// Gives memory back once the live bytes use under a quarter of the buffer.
    fn shrink(&mut self) {
        let live = self.live_len();
        if self.count > 0 && self.buf.capacity() >= 256 && live * 4 < self.buf.capacity() {
            let mut nb = Vec::with_capacity(live * 2);
            nb.extend_from_slice(&self.buf[self.start..]);
            self.buf = nb;
            self.start = 0;
        }
    }

    /// The live entries from the head: (entry start, data start, data end, entry end).
    fn entries(&self) -> impl Iterator<Item = (usize, usize, usize, usize)> + '_ {
        let mut p = self.start;
        std::iter::from_fn(move || {
            (p < self.buf.len()).then(|| {
                let (d, e, next) = read_fwd(&self.buf, p);
                let at = p;
                p = next;
                (at, d, e, next)
            })
        })
    }
}

/// Which end of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The head (`LEFT`).
    Left,
    /// The tail (`RIGHT`).
    Right,
}

/// A list value.
#[derive(Debug, Clone)]
pub struct List {
    nodes: VecDeque<Node>,
    len: usize,
    /// `list-max-listpack-size` at creation, clamped as Redis does.
    fill: i64,
    /// Sum of node buffer chunks.
    alloc: usize,
}

impl Default for List {
    fn default() -> List {
        List::with_fill(super::Limits::default().list_max_listpack_size)
    }
}

impl PartialEq for List {
    fn eq(&self, other: &List) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl List {
    /// An empty list with Redis's default node budget (callers store only
    /// non-empty lists).
    pub fn new() -> List {
        List::default()
    }

    /// An empty list whose nodes follow `list-max-listpack-size` = `fill`.
    pub fn with_fill(fill: i64) -> List {
        List {
            nodes: VecDeque::new(),
            len: 0,
            fill: fill.clamp(-5, FILL_MAX),
            alloc: 0,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list has no elements (such a key must be deleted).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `OBJECT ENCODING` name: always `quicklist`, as Redis 7.0 reports.
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// Approximate heap bytes held: the node ring's slots plus the node buffers.
    pub fn heap_size(&self) -> usize {
        let ring = self.nodes.capacity() * std::mem::size_of::<Node>();
        alloc_cost(ring) + self.alloc
    }

    /// The byte budget of one node.
    fn byte_cap(&self) -> usize {
        if self.fill < 0 {
            BYTE_BUDGETS[(-self.fill - 1) as usize]
        } else {
            SAFETY_LIMIT
        }
    }

    /// Whether `count` entries of `bytes` packed bytes fit in one node.
    fn fits(&self, count: usize, bytes: usize) -> bool {
        count <= 1 || (bytes <= self.byte_cap() && (self.fill < 0 || count as i64 <= self.fill))
    }

    /// Runs `f` on node `i`, keeping `alloc` in step.
    fn with_node<R>(&mut self, i: usize, f: impl FnOnce(&mut Node, usize) -> R) -> R {
        let cap = self.byte_cap();
        let node = &mut self.nodes[i];
        let before = node.cost();
        let r = f(node, cap);
        self.alloc = self.alloc + node.cost() - before;
        r
    }

    fn recount_alloc(&mut self) {
        self.alloc = self.nodes.iter().map(Node::cost).sum();
    }

    /// Adds `value` at `end`.
    pub fn push(&mut self, end: End, value: &[u8]) {
        let es = entry_size(value.len());
        let i = match end {
            End::Left => 0,
            End::Right => self.nodes.len().wrapping_sub(1),
        };
        let room = self
            .nodes
            .get(i)
            .is_some_and(|n| self.fits(n.count as usize + 1, n.live_len() + es));
        if room {
            match end {
                End::Left => self.with_node(i, |n, cap| n.push_front(value, cap)),
                End::Right => self.with_node(i, |n, cap| n.push_back(value, cap)),
            }
        } else {
            let mut n = Node {
                buf: Vec::with_capacity(es.max(16)),
                start: 0,
                count: 1,
            };
            encode_push(&mut n.buf, value);
            self.alloc += n.cost();
            if self.nodes.capacity() == 0 {
                self.nodes.reserve_exact(1);
            }
            match end {
                End::Left => self.nodes.push_front(n),
                End::Right => self.nodes.push_back(n),
            }
        }
        self.len += 1;
    }

    /// Removes and returns the element at `end`.
    pub fn pop(&mut self, end: End) -> Option<Box<[u8]>> {
        let last = self.nodes.len().checked_sub(1)?;
        let i = match end {
            End::Left => 0,
            End::Right => last,
        };
        let v = match end {
            End::Left => self.with_node(i, |n, _| n.pop_front()),
            End::Right => self.with_node(i, |n, _| n.pop_back()),
        };
        if self.nodes[i].count == 0 {
            if let Some(n) = self.nodes.remove(i) {
                self.alloc -= n.cost();
            }
            self.shrink_ring();
        }
        self.len -= 1;
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

    /// A position from a Redis index (negative counts from the tail).
    fn resolve(&self, index: i64) -> Option<usize> {
        let len = self.len() as i64;
        let i = if index < 0 { len.checked_add(index)? } else { index };
        (0..len).contains(&i).then_some(i as usize)
    }

    /// The node holding element `i` (< len) and its index inside that node,
    /// walking node counts from the nearer end.
    fn locate(&self, i: usize) -> (usize, usize) {
        if i < self.len / 2 {
            let mut rest = i;
            for (ni, n) in self.nodes.iter().enumerate() {
                let c = n.count as usize;
                if rest < c {
                    return (ni, rest);
                }
                rest -= c;
            }
        } else {
            let mut after = self.len - 1 - i; // elements after `i`
            for (ni, n) in self.nodes.iter().enumerate().rev() {
                let c = n.count as usize;
                if after < c {
                    return (ni, c - 1 - after);
                }
                after -= c;
            }
        }
        (0, 0)
    }

    /// The element at `index` from the head (negative: from the tail, -1 the last).
    pub fn get(&self, index: i64) -> Option<&[u8]> {
        let (ni, j) = self.locate(self.resolve(index)?);
        let n = &self.nodes[ni];
        let (d, e, _) = read_fwd(&n.buf, n.position(j));
        Some(&n.buf[d..e])
    }

    /// Replaces the element at `index` (negative from the tail); false if out of range.
    pub fn set(&mut self, index: i64, value: &[u8]) -> bool {
        let Some(i) = self.resolve(index) else {
            return false;
        };
        let (ni, j) = self.locate(i);
        self.with_node(ni, |n, _| {
            let at = n.position(j);
            let (_, _, end) = read_fwd(&n.buf, at);
            let mut enc = vec![0; entry_size(value.len())];
            encode_into(&mut enc, value);
            n.buf.splice(at..end, enc);
        });
        self.rebalance(ni);
        true
    }

    /// After node `i` changed in the middle: splits it while it outgrows the
    /// budget, else merges it with a neighbour when both fit in one node.
    fn rebalance(&mut self, i: usize) {
        let n = &self.nodes[i];
        if !self.fits(n.count as usize, n.live_len()) {
            self.split(i);
        } else {
            if i + 1 < self.nodes.len() {
                self.try_merge(i);
            }
            if i > 0 {
                self.try_merge(i - 1);
            }
        }
        self.recount_alloc();
    }

    /// Splits node `i` in halves (by bytes), recursively, until every piece
    /// fits the budget or holds one entry.
    fn split(&mut self, i: usize) {
        let n = &self.nodes[i];
        if self.fits(n.count as usize, n.live_len()) {
            return;
        }
        let half = n.start + n.live_len() / 2;
        let mut cut = n.start;
        let mut left = 0u32;
        for (at, _, _, next) in n.entries() {
            if left > 0 && at >= half {
                break;
            }
            cut = next;
            left += 1;
            if left + 1 >= n.count {
                break;
            }
        }
        let a = Node::from_packed(&n.buf[n.start..cut], left);
        let b = Node::from_packed(&n.buf[cut..], n.count - left);
        self.nodes[i] = a;
        self.nodes.insert(i + 1, b);
        self.split(i + 1);
        self.split(i);
    }

    /// Merges node `i + 1` into node `i` when the two fit in one.
    fn try_merge(&mut self, i: usize) -> bool {
        let (Some(a), Some(b)) = (self.nodes.get(i), self.nodes.get(i + 1)) else {
            return false;
        };
        if !self.fits(a.count as usize + b.count as usize, a.live_len() + b.live_len()) {
            return false;
        }
        if let Some(b) = self.nodes.remove(i + 1) {
            let a = &mut self.nodes[i];
            let mut buf = Vec::with_capacity(a.live_len() + b.live_len());
            buf.extend_from_slice(&a.buf[a.start..]);
            buf.extend_from_slice(&b.buf[b.start..]);
            *a = Node {
                buf,
                start: 0,
                count: a.count + b.count,
            };
        }
        true
    }

    /// Inserts `value` next to the first element equal to `pivot` (after it
    /// when `after`); false when there is no such element.
    pub fn insert_at_pivot(&mut self, pivot: &[u8], value: &[u8], after: bool) -> bool {
        let found = self.nodes.iter().enumerate().find_map(|(ni, n)| {
            n.entries()
                .find(|&(_, d, e, _)| &n.buf[d..e] == pivot)
                .map(|(at, _, _, next)| (ni, if after { next } else { at }))
        });
        let Some((ni, at)) = found else {
            return false;
        };
        let n = &mut self.nodes[ni];
        let mut enc = vec![0; entry_size(value.len())];
        encode_into(&mut enc, value);
        n.buf.splice(at..at, enc);
        n.count += 1;
        self.len += 1;
        self.rebalance(ni);
        true
    }

    /// Removes elements equal to `value`: `limit` of them at most (0 = all),
    /// scanning from the tail when `from_tail`. Returns how many went.
    pub fn remove_matching(&mut self, value: &[u8], limit: u64, from_tail: bool) -> u64 {
        let mut removed = 0u64;
        let order: Vec<usize> = if from_tail {
            (0..self.nodes.len()).rev().collect()
        } else {
            (0..self.nodes.len()).collect()
        };
        for ni in order {
            if limit != 0 && removed >= limit {
                break;
            }
            let n = &mut self.nodes[ni];
            let matches = n.entries().filter(|&(_, d, e, _)| &n.buf[d..e] == value).count() as u64;
            if matches == 0 {
                continue;
            }
            let take = if limit == 0 {
                matches
            } else {
                (limit - removed).min(matches)
            };
            // From the head the first `take` matches go, from the tail the last `take`.
            let skip = if from_tail { matches - take } else { 0 };
            let mut seen = 0u64;
            let mut write = n.start;
            let mut read = n.start;
            while read < n.buf.len() {
                let (d, e, next) = read_fwd(&n.buf, read);
                let hit = &n.buf[d..e] == value;
                let drop = hit && seen >= skip && seen < skip + take;
                if hit {
                    seen += 1;
                }
                if !drop {
                    n.buf.copy_within(read..next, write);
                    write += next - read;
                }
                read = next;
            }
            n.buf.truncate(write);
            n.count -= take as u32;
            n.shrink();
            self.len -= take as usize;
            removed += take;
        }
        if removed > 0 {
            self.nodes.retain(|n| n.count > 0);
            let mut i = 0;
            while i + 1 < self.nodes.len() {
                if !self.try_merge(i) {
                    i += 1;
                }
            }
            self.shrink_ring();
            self.recount_alloc();
        }
        removed
    }

    /// Keeps elements `start..=end` (already clamped to the list by the
    /// caller; `None` keeps nothing).
    pub fn keep_range(&mut self, range: Option<(usize, usize)>) {
        let Some((start, end)) = range.filter(|&(s, e)| s <= e && s < self.len) else {
            self.nodes.clear();
            self.len = 0;
            self.shrink_ring();
            self.recount_alloc();
            return;
        };
        let end = end.min(self.len - 1);
        let mut front = start;
        let mut back = self.len - 1 - end;
        while self.nodes.front().is_some_and(|n| n.count as usize <= front) {
            if let Some(n) = self.nodes.pop_front() {
                front -= n.count as usize;
            }
        }
        while self.nodes.back().is_some_and(|n| n.count as usize <= back) {
            if let Some(n) = self.nodes.pop_back() {
                back -= n.count as usize;
            }
        }
        if front > 0 {
            if let Some(n) = self.nodes.front_mut() {
                n.start = n.position(front);
                n.count -= front as u32;
                n.shrink();
            }
        }
        if back > 0 {
            if let Some(n) = self.nodes.back_mut() {
                let keep = n.count as usize - back;
                let cut = n.position(keep);
                n.buf.truncate(cut);
                n.count = keep as u32;
                n.shrink();
            }
        }
        self.len = end + 1 - start;
        self.shrink_ring();
        self.recount_alloc();
    }

    /// Elements `start..=end` from the head (clamped to the list).
    pub fn range(&self, start: usize, end: usize) -> Iter<'_> {
        let end = end.min(self.len().saturating_sub(1));
        if start > end || start >= self.len {
            return Iter::empty(&self.nodes);
        }
        let (fi, fj) = self.locate(start);
        let (bi, bj) = self.locate(end);
        let f = &self.nodes[fi];
        let fpos = f.position(fj);
        let b = &self.nodes[bi];
        let bpos = read_fwd(&b.buf, b.position(bj)).2;
        let left = end + 1 - start;
        if fi == bi {
            return Iter {
                mid: self.nodes.range(0..0),
                front: &f.buf[fpos..bpos],
                back: &[],
                left,
            };
        }
        Iter {
            mid: self.nodes.range(fi + 1..bi),
            front: &f.buf[fpos..],
            back: &b.buf[b.start..bpos],
            left,
        }
    }

    /// Every element from the head.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            mid: self.nodes.iter(),
            front: &[],
            back: &[],
            left: self.len,
        }
    }

    /// Gives the node ring's memory back after large removals.
    fn shrink_ring(&mut self) {
        let cap = self.nodes.capacity();
        if cap > 16 && cap > 4 * self.nodes.len() {
            self.nodes.shrink_to(self.nodes.len() * 2);
        } else if self.nodes.is_empty() {
            self.nodes.shrink_to_fit();
        }
    }

    /// The contents for a `DUMP` payload.
    pub fn dump_items(&self) -> Vec<Vec<u8>> {
        self.iter().map(<[u8]>::to_vec).collect()
    }

    /// Rebuilds a value from `DUMP` contents; `None` if they are empty.
    pub fn from_dump(items: Vec<Vec<u8>>, limits: &super::Limits) -> Option<List> {
        if items.is_empty() {
            return None;
        }
        let mut l = List::with_fill(limits.list_max_listpack_size);
        for v in items {
            l.push(End::Right, &v);
        }
        Some(l)
    }
}

/// An iterator over a list's elements (or a range of them), from either end.
///
/// `front` is what is left of the first node to read from the head, `back`
/// what is left of the last node to read from the tail, `mid` the whole
/// nodes in between; `left` stops both ends where they meet (when the range
/// lies in one node, `front` holds it and `back` is empty).
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    mid: std::collections::vec_deque::Iter<'a, Node>,
    front: &'a [u8],
    back: &'a [u8],
    left: usize,
}

impl<'a> Iter<'a> {
    fn empty(nodes: &'a VecDeque<Node>) -> Iter<'a> {
        Iter {
            mid: nodes.range(0..0),
            front: &[],
            back: &[],
            left: 0,
        }
    }
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.left == 0 {
            return None;
        }
        if self.front.is_empty() {
            self.front = match self.mid.next() {
                Some(n) => &n.buf[n.start..],
                None => std::mem::take(&mut self.back),
            };
        }
        let f = self.front;
        let (d, e, next) = read_fwd(f, 0);
        self.front = &f[next..];
        self.left -= 1;
        Some(&f[d..e])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        if self.back.is_empty() {
            self.back = match self.mid.next_back() {
                Some(n) => &n.buf[n.start..],
                None => std::mem::take(&mut self.front),
            };
        }
        let b = self.back;
        let (s, d, e) = read_back(b, b.len());
        self.back = &b[..s];
        self.left -= 1;
        Some(&b[d..e])
    }
}

impl ExactSizeIterator for Iter<'_> {}

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

    /// The structural invariants: counts add up, no empty node, every node
    /// within budget (or alone with one entry), `alloc` in step, entries
    /// parse to the end of each node from both directions.
    fn check(l: &List) {
        assert_eq!(l.len, l.nodes.iter().map(|n| n.count as usize).sum::<usize>());
        assert_eq!(l.alloc, l.nodes.iter().map(Node::cost).sum::<usize>());
        for n in &l.nodes {
            assert!(n.count > 0);
            assert!(
                l.fits(n.count as usize, n.live_len()),
                "{} entries, {} bytes",
                n.count,
                n.live_len()
            );
            assert_eq!(n.entries().count(), n.count as usize);
            let mut p = n.buf.len();
            for _ in 0..n.count {
                p = read_back(&n.buf, p).0;
            }
            assert_eq!(p, n.start);
        }
        assert_eq!(l.iter().count(), l.len);
        assert_eq!(l.iter().rev().count(), l.len);
    }

    #[test]
    fn encoding_is_quicklist_at_every_size() {
        let mut l = List::new();
        assert_eq!(l.encoding(), "quicklist");
        for i in 0..10_000 {
            l.push(End::Right, format!("{i}").as_bytes());
        }
        assert_eq!(l.encoding(), "quicklist");
        check(&l);
    }

    #[test]
    fn entries_round_trip_at_every_length_class() {
        for len in [0usize, 1, 127, 128, 16_383, 16_384, 70_000] {
            let v: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut buf = Vec::new();
            encode_push(&mut buf, b"x");
            encode_push(&mut buf, &v);
            assert_eq!(buf.len(), entry_size(1) + entry_size(len));
            let (d, e, end) = read_fwd(&buf, entry_size(1));
            assert_eq!((&buf[d..e], end), (&v[..], buf.len()));
            let (s, d, e) = read_back(&buf, buf.len());
            assert_eq!((s, &buf[d..e]), (entry_size(1), &v[..]));
        }
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
        assert_eq!(l.pop(End::Right), None);
        assert_eq!(l.alloc, 0);
        assert!(l.nodes.is_empty());
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
        check(&l);
    }

    #[test]
    fn insert_remove_and_trim_keep_the_structure() {
        let mut l = list(&["x", "a", "x", "b", "x"]);
        assert!(l.insert_at_pivot(b"a", b"after-a", true));
        assert!(l.insert_at_pivot(b"x", b"first", false));
        assert!(!l.insert_at_pivot(b"nope", b"z", false));
        assert_eq!(contents(&l), ["first", "x", "a", "after-a", "x", "b", "x"]);
        assert_eq!(l.remove_matching(b"x", 2, true), 2);
        assert_eq!(contents(&l), ["first", "x", "a", "after-a", "b"]);
        assert_eq!(l.remove_matching(b"x", 0, false), 1);
        check(&l);
        l.keep_range(Some((1, 2)));
        assert_eq!(contents(&l), ["a", "after-a"]);
        check(&l);
        l.keep_range(None);
        assert!(l.is_empty());
        assert_eq!(l.alloc, 0);
    }

    #[test]
    fn nodes_fill_to_the_byte_budget_and_big_elements_get_their_own() {
        let mut l = List::with_fill(-1);
        for _ in 0..1000 {
            l.push(End::Right, &[1u8; 100]);
        }
        // 102 packed bytes an entry, 40 of them per 4 KiB node.
        assert_eq!(l.nodes.len(), 25);
        l.push(End::Left, &[2u8; 10_000]);
        l.push(End::Left, b"small");
        assert_eq!(l.nodes.len(), 27);
        assert_eq!(l.nodes[0].count, 1);
        assert_eq!(l.nodes[1].count, 1);
        assert_eq!(l.get(1), Some(&[2u8; 10_000][..]));
        check(&l);
        // LSET growing an element past the budget splits its node.
        assert!(l.set(500, &[3u8; 3000]));
        assert_eq!(l.get(500), Some(&[3u8; 3000][..]));
        check(&l);
        // Positive fills count entries (and stop at 8 KiB).
        let mut c = List::with_fill(3);
        for i in 0..10 {
            c.push(if i % 2 == 0 { End::Left } else { End::Right }, b"e");
        }
        assert_eq!(c.nodes.iter().map(|n| n.count).collect::<Vec<_>>(), [3, 3, 3, 1]);
        let mut big = List::with_fill(1000);
        for _ in 0..100 {
            big.push(End::Right, &[0u8; 200]);
        }
        assert!(big.nodes.len() >= 3);
        check(&big);
    }

    #[test]
    fn removals_merge_nodes_that_fit_together() {
        let mut l = List::with_fill(4);
        for i in 0..40 {
            l.push(End::Right, if i % 2 == 0 { b"a" } else { b"b" });
        }
        assert_eq!(l.nodes.len(), 10);
        assert_eq!(l.remove_matching(b"a", 0, false), 20);
        assert_eq!(l.nodes.len(), 5);
        assert!(l.insert_at_pivot(b"b", b"c", true));
        check(&l);
        assert_eq!(contents(&l).len(), 21);
    }

    #[test]
    fn heap_size_follows_contents_and_shrinks_after_big_pops() {
        let mut l = List::new();
        let small = l.heap_size();
        for _ in 0..10_000 {
            l.push(End::Right, &[7u8; 100]);
        }
        let big = l.heap_size();
        assert!(big >= 10_000 * 102, "{big}");
        assert!(big <= 10_000 * 102 * 5 / 4, "{big}");
        l.pop_many(End::Left, 9_990);
        assert!(l.heap_size() < big / 100, "{} vs {big}", l.heap_size());
        l.pop_many(End::Left, 10);
        assert!(l.heap_size() <= small + 64 * 16);
        // A queue (push at the tail, pop at the head) does not grow its node.
        let mut q = List::new();
        for i in 0..100_000u32 {
            q.push(End::Right, &i.to_le_bytes());
            if i >= 10 {
                q.pop(End::Left);
            }
        }
        assert_eq!(q.len(), 10);
        assert!(q.heap_size() < 512, "{}", q.heap_size());
        check(&q);
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
        Range(usize, usize),
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        // Mostly tiny elements, some big enough to fill or overflow a 4 KiB node.
        let elem = prop_oneof![
            8 => prop::collection::vec(0u8..3, 0..3),
            1 => (0u8..2, prop::sample::select(vec![130usize, 1500, 5000])).prop_map(|(b, n)| vec![b; n]),
        ];
        prop_oneof![
            (any::<bool>(), elem.clone()).prop_map(|(l, v)| Op::Push(l, v)),
            (any::<bool>(), 0usize..4).prop_map(|(l, n)| Op::Pop(l, n)),
            (-8i64..8, elem.clone()).prop_map(|(i, v)| Op::Set(i, v)),
            (elem.clone(), elem.clone(), any::<bool>()).prop_map(|(p, v, a)| Op::Insert(p, v, a)),
            (elem, 0u64..3, any::<bool>()).prop_map(|(v, n, t)| Op::Remove(v, n, t)),
            (0usize..8, 0usize..8).prop_map(|(a, b)| Op::Keep(a, b)),
            (0usize..10, 0usize..10).prop_map(|(a, b)| Op::Range(a, b)),
        ]
    }

    proptest::proptest! {
        #[test]
        fn the_list_agrees_with_a_vec_model(
            fill in proptest::sample::select(vec![-2i64, -1, 0, 1, 2, 3, 5]),
            ops in proptest::collection::vec(op(), 0..80),
        ) {
            let mut l = List::with_fill(fill);
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
                    Op::Range(a, b) => {
                        let want: Vec<&[u8]> = if a <= b && a < model.len() {
                            model[a..=b.min(model.len() - 1)].iter().map(|v| v.as_slice()).collect()
                        } else {
                            Vec::new()
                        };
                        let got: Vec<&[u8]> = l.range(a, b).collect();
                        proptest::prop_assert_eq!(&got, &want);
                        let mut back: Vec<&[u8]> = l.range(a, b).rev().collect();
                        back.reverse();
                        proptest::prop_assert_eq!(&back, &want);
                        proptest::prop_assert_eq!(l.range(a, b).len(), want.len());
                    }
                }
                let contents: Vec<Vec<u8>> = l.iter().map(|v| v.to_vec()).collect();
                proptest::prop_assert_eq!(&contents, &model);
                let mut rev: Vec<Vec<u8>> = l.iter().rev().map(|v| v.to_vec()).collect();
                rev.reverse();
                proptest::prop_assert_eq!(&rev, &model);
                check(&l);
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
        let mut it = l.iter();
        assert_eq!(it.next(), Some(&b"a"[..]));
        assert_eq!(it.next_back(), Some(&b"c"[..]));
        assert_eq!(it.len(), 1);
        assert_eq!(it.next_back(), Some(&b"b"[..]));
        assert_eq!((it.next(), it.next_back()), (None, None));
    }
}
