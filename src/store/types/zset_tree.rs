//! The big sorted-set encoding (`skiplist` in `OBJECT ENCODING`): an
//! order-statistic treap over (score, member) in an arena, plus a hash table
//! from member to its node, so that a member's score is O(1) and insertion,
//! removal, rank and the n-th element are O(log n) expected.
//!
//! Invariants: every live node is reachable from `root` exactly once and is
//! in `index` exactly once; a node's `size` is the number of nodes in its
//! subtree; in-order traversal is ascending by (score, member bytes); heap
//! priorities are a max-heap. Scores are never NaN. Priorities come from a
//! xorshift seeded from the tree's hasher, keyed by the secret dataset seed,
//! so no client can choose insertions that degrade the treap into a deep
//! path, and replicas sharing the seed build the same shape.

use foldhash::fast::FixedState;
use hashbrown::HashTable;
use std::cmp::Ordering;
use std::hash::BuildHasher;

/// The "no node" index.
const NIL: u32 = u32::MAX;

/// What the allocator spends on each member's own allocation besides its
/// bytes (header and rounding), as the other types count it.
const MEMBER_ALLOC_OVERHEAD: usize = 16;

/// One element of the tree.
#[derive(Debug, Clone)]
struct Node {
    member: Box<[u8]>,
    score: f64,
    left: u32,
    right: u32,
    size: u32,
    prio: u32,
}

/// Compares (score, member) pairs as Redis's skiplist orders them: by score,
/// then by member bytes.
pub fn cmp_entry(sa: f64, ma: &[u8], sb: f64, mb: &[u8]) -> Ordering {
    match sa.partial_cmp(&sb) {
        Some(Ordering::Equal) | None => ma.cmp(mb),
        Some(o) => o,
    }
}

/// The order-statistic treap with its member index.
#[derive(Debug, Clone)]
pub struct Tree {
    nodes: Vec<Node>,
    free: Vec<u32>,
    root: u32,
    index: HashTable<u32>,
    hasher: FixedState,
    seed: u32,
    /// Bytes of all live members (kept so `heap_size` is O(1)).
    member_bytes: usize,
}

impl Tree {
    /// An empty tree keyed by the dataset seed `hash_seed`
    /// ([`crate::store::container_hasher`]).
    pub fn new(hash_seed: u64) -> Tree {
        let hasher = crate::store::container_hasher(hash_seed);
        // xorshift needs a non-zero state.
        let seed = (hasher.hash_one(0x9E37_79B9_u64) as u32) | 1;
        Tree {
            nodes: Vec::new(),
            free: Vec::new(),
            root: NIL,
            index: HashTable::new(),
            hasher,
            seed,
            member_bytes: 0,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.size(self.root)
    }

    fn size(&self, t: u32) -> usize {
        if t == NIL {
            0
        } else {
            self.nodes[t as usize].size as usize
        }
    }

    fn fix(&mut self, t: u32) {
        let (l, r) = {
            let n = &self.nodes[t as usize];
            (n.left, n.right)
        };
        let s = 1 + self.size(l) + self.size(r);
        self.nodes[t as usize].size = s as u32;
    }

    fn next_prio(&mut self) -> u32 {
        let mut x = self.seed;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.seed = x;
        x
    }

    fn hash(&self, member: &[u8]) -> u64 {
        self.hasher.hash_one(member)
    }

    fn find(&self, member: &[u8]) -> Option<u32> {
        let h = self.hash(member);
        self.index
            .find(h, |&i| &*self.nodes[i as usize].member == member)
            .copied()
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.find(member).map(|i| self.nodes[i as usize].score)
    }

    /// Splits `t` into (nodes for which `before` holds, the rest); `before`
    /// must hold for a prefix of the order.
    fn split(&mut self, t: u32, before: &dyn Fn(f64, &[u8]) -> bool) -> (u32, u32) {
        if t == NIL {
            return (NIL, NIL);
        }
        let goes_left = {
            let n = &self.nodes[t as usize];
            before(n.score, &n.member)
        };
        if goes_left {
            let r = self.nodes[t as usize].right;
            let (a, b) = self.split(r, before);
            self.nodes[t as usize].right = a;
            self.fix(t);
            (t, b)
        } else {
            let l = self.nodes[t as usize].left;
            let (a, b) = self.split(l, before);
            self.nodes[t as usize].left = b;
            self.fix(t);
            (a, t)
        }
    }

    /// Splits `t` into its first `k` nodes and the rest.
    fn split_rank(&mut self, t: u32, k: usize) -> (u32, u32) {
        if t == NIL {
            return (NIL, NIL);
        }
        let l = self.nodes[t as usize].left;
        let ls = self.size(l);
        if k <= ls {
            let (a, b) = self.split_rank(l, k);
            self.nodes[t as usize].left = b;
            self.fix(t);
            (a, t)
        } else {
            let r = self.nodes[t as usize].right;
            let (a, b) = self.split_rank(r, k - ls - 1);
            self.nodes[t as usize].right = a;
            self.fix(t);
            (t, b)
        }
    }

    /// Joins two trees whose every node of `a` orders before every node of `b`.
    fn merge(&mut self, a: u32, b: u32) -> u32 {
        if a == NIL {
            return b;
        }
        if b == NIL {
            return a;
        }
        if self.nodes[a as usize].prio >= self.nodes[b as usize].prio {
            let r = self.nodes[a as usize].right;
            let m = self.merge(r, b);
            self.nodes[a as usize].right = m;
            self.fix(a);
            a
        } else {
            let l = self.nodes[b as usize].left;
            let m = self.merge(a, l);
            self.nodes[b as usize].left = m;
            self.fix(b);
            b
        }
    }

    fn alloc(&mut self, member: Box<[u8]>, score: f64) -> u32 {
        let prio = self.next_prio();
        self.member_bytes += member.len();
        let node = Node {
            member,
            score,
            left: NIL,
            right: NIL,
            size: 1,
            prio,
        };
        match self.free.pop() {
            Some(i) => {
                self.nodes[i as usize] = node;
                i
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        }
    }

    /// Links node `n` into the tree at its (score, member) position.
    fn link(&mut self, n: u32) {
        // The node is not in the tree yet, so its key can be moved out for
        // the comparisons and put back afterwards (no copy).
        let member = std::mem::take(&mut self.nodes[n as usize].member);
        let score = self.nodes[n as usize].score;
        let root = self.root;
        let (a, b) = self.split(root, &|s, m| cmp_entry(s, m, score, &member) == Ordering::Less);
        self.nodes[n as usize].member = member;
        let left = self.merge(a, n);
        self.root = self.merge(left, b);
    }

    /// The ascending rank of the linked node `n`.
    fn rank_of(&self, n: u32) -> usize {
        let node = &self.nodes[n as usize];
        let (score, member) = (node.score, &node.member);
        self.count_before(|s, m| cmp_entry(s, m, score, member) == Ordering::Less)
    }

    /// Unlinks node `n` from the tree, keeping it allocated.
    fn unlink(&mut self, n: u32) {
        let r = self.rank_of(n);
        let root = self.root;
        let (a, rest) = self.split_rank(root, r);
        let (mid, b) = self.split_rank(rest, 1);
        debug_assert_eq!(mid, n);
        if mid != NIL {
            let node = &mut self.nodes[mid as usize];
            node.left = NIL;
            node.right = NIL;
            node.size = 1;
        }
        self.root = self.merge(a, b);
    }

    /// Sets `member`'s score, adding it if new; returns the previous score.
    pub fn insert(&mut self, member: &[u8], score: f64) -> Option<f64> {
        if let Some(i) = self.find(member) {
            let old = self.nodes[i as usize].score;
            // Redis leaves a member alone when the new score is `==` the old.
            if old != score {
                self.unlink(i);
                self.nodes[i as usize].score = score;
                self.link(i);
            }
            return Some(old);
        }
        let n = self.alloc(member.into(), score);
        self.link(n);
        let h = self.hash(member);
        let (nodes, hasher) = (&self.nodes, &self.hasher);
        self.index
            .insert_unique(h, n, |&i| hasher.hash_one(&nodes[i as usize].member));
        None
    }

    fn release(&mut self, n: u32) -> (Box<[u8]>, f64) {
        // Size 0 marks a free slot (live nodes have size >= 1); see `scan`.
        self.nodes[n as usize].size = 0;
        let member = std::mem::take(&mut self.nodes[n as usize].member);
        self.member_bytes -= member.len();
        let score = self.nodes[n as usize].score;
        let h = self.hash(&member);
        if let Ok(e) = self.index.find_entry(h, |&i| i == n) {
            e.remove();
        }
        self.free.push(n);
        if self.free.len() == self.nodes.len() {
            // Everything is free: drop the arena rather than keep holes.
            self.nodes.clear();
            self.free.clear();
        }
        (member, score)
    }

    /// Removes `member`; returns its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let i = self.find(member)?;
        self.unlink(i);
        Some(self.release(i).1)
    }

    /// Number of elements for which `before` holds (a prefix of the order).
    pub fn count_before(&self, before: impl Fn(f64, &[u8]) -> bool) -> usize {
        let mut t = self.root;
        let mut acc = 0;
        while t != NIL {
            let n = &self.nodes[t as usize];
            if before(n.score, &n.member) {
                acc += self.size(n.left) + 1;
                t = n.right;
            } else {
                t = n.left;
            }
        }
        acc
    }

    /// The 0-based ascending rank of `member`.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        self.find(member).map(|i| self.rank_of(i))
    }

    /// The element at ascending rank `k`.
    pub fn nth(&self, mut k: usize) -> Option<(&[u8], f64)> {
        let mut t = self.root;
        while t != NIL {
            let n = &self.nodes[t as usize];
            let ls = self.size(n.left);
            match k.cmp(&ls) {
                Ordering::Less => t = n.left,
                Ordering::Equal => return Some((&n.member, n.score)),
                Ordering::Greater => {
                    k -= ls + 1;
                    t = n.right;
                }
            }
        }
        None
    }

    /// Removes the elements of ascending ranks `lo..hi`; returns their
    /// members and scores in ascending order.
    pub fn remove_ranks(&mut self, lo: usize, hi: usize) -> Vec<(Box<[u8]>, f64)> {
        let hi = hi.min(self.len());
        if lo >= hi {
            return Vec::new();
        }
        let root = self.root;
        let (a, rest) = self.split_rank(root, lo);
        let (mid, b) = self.split_rank(rest, hi - lo);
        self.root = self.merge(a, b);
        let mut order = Vec::with_capacity(hi - lo);
        self.collect(mid, &mut order);
        order.into_iter().map(|n| self.release(n)).collect()
    }

    fn collect(&self, t: u32, out: &mut Vec<u32>) {
        let mut stack = Vec::new();
        let mut cur = t;
        while cur != NIL || !stack.is_empty() {
            while cur != NIL {
                stack.push(cur);
                cur = self.nodes[cur as usize].left;
            }
            if let Some(n) = stack.pop() {
                out.push(n);
                cur = self.nodes[n as usize].right;
            }
        }
    }

    /// Iterates ascending ranks `lo..hi` (descending from `hi - 1` if `rev`).
    pub fn iter_range(&self, lo: usize, hi: usize, rev: bool) -> TreeIter<'_> {
        let hi = hi.min(self.len());
        let remaining = hi.saturating_sub(lo);
        let mut it = TreeIter {
            tree: self,
            stack: Vec::new(),
            rev,
            remaining,
        };
        if remaining == 0 {
            return it;
        }
        // Descend to the first node to yield, keeping the path of nodes that
        // are still to come in iteration order.
        let mut k = if rev { hi - 1 } else { lo };
        let mut t = self.root;
        while t != NIL {
            let n = &self.nodes[t as usize];
            let ls = self.size(n.left);
            match k.cmp(&ls) {
                Ordering::Less => {
                    if !rev {
                        it.stack.push(t);
                    }
                    t = n.left;
                }
                Ordering::Equal => {
                    it.stack.push(t);
                    break;
                }
                Ordering::Greater => {
                    if rev {
                        it.stack.push(t);
                    }
                    k -= ls + 1;
                    t = n.right;
                }
            }
        }
        it
    }

    /// One step of a cursor walk over the arena: calls `f` on up to
    /// `count` live elements from slot `cursor` on (visiting at most ten
    /// times as many slots) and returns the next cursor, 0 at the end.
    /// Nodes never move while they live (a score update keeps its slot), so
    /// an element present for the whole walk is seen exactly once, as Redis
    /// promises for its hash-table cursor.
    pub fn scan<'a>(&'a self, cursor: usize, count: usize, mut f: impl FnMut(&'a [u8], f64)) -> usize {
        let mut i = cursor;
        let mut seen = 0;
        let mut visits = count.saturating_mul(10).max(1);
        while i < self.nodes.len() && seen < count && visits > 0 {
            let n = &self.nodes[i];
            if n.size > 0 {
                f(&n.member, n.score);
                seen += 1;
            }
            i += 1;
            visits -= 1;
        }
        if i >= self.nodes.len() {
            0
        } else {
            i
        }
    }

    /// Approximate heap bytes held.
    pub fn heap_size(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.free.capacity() * 4
            + self.member_bytes
            + self.len() * MEMBER_ALLOC_OVERHEAD
            + self.index.capacity() * (std::mem::size_of::<u32>() + 1)
    }
}

/// In-order iteration over a rank range of a [`Tree`].
pub struct TreeIter<'a> {
    tree: &'a Tree,
    stack: Vec<u32>,
    rev: bool,
    remaining: usize,
}

impl<'a> Iterator for TreeIter<'a> {
    type Item = (&'a [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let t = self.stack.pop()?;
        let nodes = &self.tree.nodes;
        let n = &nodes[t as usize];
        // Push the next subtree's leftmost (or rightmost) path.
        let mut c = if self.rev { n.left } else { n.right };
        while c != NIL {
            self.stack.push(c);
            let cn = &nodes[c as usize];
            c = if self.rev { cn.right } else { cn.left };
        }
        self.remaining -= 1;
        Some((&n.member, n.score))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_invariants(t: &Tree) {
        let all: Vec<(Vec<u8>, f64)> = t.iter_range(0, t.len(), false).map(|(m, s)| (m.to_vec(), s)).collect();
        assert_eq!(all.len(), t.len());
        assert_eq!(t.index.len(), t.len());
        assert_eq!(t.member_bytes, all.iter().map(|(m, _)| m.len()).sum::<usize>());
        for w in all.windows(2) {
            assert_eq!(cmp_entry(w[0].1, &w[0].0, w[1].1, &w[1].0), Ordering::Less);
        }
        for (i, (m, s)) in all.iter().enumerate() {
            assert_eq!(t.rank(m), Some(i));
            assert_eq!(t.score(m), Some(*s));
            assert_eq!(t.nth(i).map(|(m, _)| m.to_vec()), Some(m.clone()));
        }
    }

    #[test]
    fn random_operations_keep_the_tree_ordered_and_indexed() {
        let mut t = Tree::new(0);
        let mut model: std::collections::BTreeMap<Vec<u8>, f64> = Default::default();
        let mut x: u64 = 12345;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for step in 0..4000 {
            let m = format!("m{}", rnd() % 300).into_bytes();
            match rnd() % 4 {
                0 | 1 => {
                    let s = (rnd() % 50) as f64 - 25.0;
                    assert_eq!(t.insert(&m, s), model.insert(m.clone(), s));
                }
                2 => assert_eq!(t.remove(&m), model.remove(&m)),
                _ => {
                    let lo = (rnd() % 10) as usize;
                    let hi = lo + (rnd() % 5) as usize;
                    let gone = t.remove_ranks(lo, hi);
                    for (m, _) in gone {
                        model.remove(&*m);
                    }
                }
            }
            assert_eq!(t.len(), model.len());
            if step % 500 == 0 {
                check_invariants(&t);
            }
        }
        check_invariants(&t);
    }

    #[test]
    fn a_scan_sees_every_member_that_stays_exactly_once() {
        let mut t = Tree::new(0);
        for i in 0..200 {
            t.insert(format!("m{i}").as_bytes(), f64::from(i));
        }
        let mut seen: Vec<Vec<u8>> = Vec::new();
        let mut cursor = 0;
        let mut step = 0;
        loop {
            cursor = t.scan(cursor, 7, |m, _| seen.push(m.to_vec()));
            // Churn between steps: drop some odd members, add new ones,
            // move scores of the stable ones.
            step += 1;
            t.remove(format!("m{}", 2 * step + 1).as_bytes());
            t.insert(format!("new{step}").as_bytes(), -1.0);
            t.insert(format!("m{}", 2 * step).as_bytes(), 1000.0 + f64::from(step));
            if cursor == 0 {
                break;
            }
        }
        for i in (0..200).step_by(2) {
            let m = format!("m{i}").into_bytes();
            assert_eq!(seen.iter().filter(|x| **x == m).count(), 1, "m{i}");
        }
    }

    fn depth(t: &Tree, n: u32) -> usize {
        if n == NIL {
            return 0;
        }
        let node = &t.nodes[n as usize];
        1 + depth(t, node.left).max(depth(t, node.right))
    }

    #[test]
    fn sorted_insertions_keep_the_tree_shallow() {
        let mut t = Tree::new(0);
        for i in 0..100_000u32 {
            t.insert(format!("{i:08}").as_bytes(), f64::from(i));
        }
        let d = depth(&t, t.root);
        assert!(d < 100, "depth {d} for 100k sorted insertions");
        assert_eq!(t.rank(b"00050000"), Some(50_000));
    }

    #[test]
    fn reverse_iteration_mirrors_forward_iteration() {
        let mut t = Tree::new(0);
        for i in 0..100 {
            t.insert(format!("{i:03}").as_bytes(), f64::from(i % 7));
        }
        for (lo, hi) in [(0, 100), (3, 17), (50, 51), (99, 100), (10, 10), (90, 500)] {
            let fwd: Vec<_> = t.iter_range(lo, hi, false).map(|(m, _)| m.to_vec()).collect();
            let mut back: Vec<_> = t.iter_range(lo, hi, true).map(|(m, _)| m.to_vec()).collect();
            back.reverse();
            assert_eq!(fwd, back);
            assert_eq!(fwd.len(), hi.min(100).saturating_sub(lo));
        }
    }
}
