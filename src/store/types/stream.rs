//! The stream type: entries ordered by id, kept in nodes shaped like Redis's
//! listpack nodes (a node takes entries until it holds
//! `stream-node-max-entries` of them, live or deleted, or its estimated
//! listpack size reaches `stream-node-max-bytes`), plus consumer groups.
//!
//! Invariants: node master ids (the id of the first entry a node received)
//! increase strictly, and so do entry ids within and across nodes; a
//! deleted entry stays in its node as a tombstone, as in Redis, until the
//! whole node goes (`XDEL` of its last live entry, or trimming); `length`
//! counts live entries; every pending entry of a group is in exactly one
//! consumer's set, the one its [`Nack`] names. The node layout is modelled
//! because `XADD/XTRIM ... ~` trim whole nodes only and `XINFO STREAM`
//! reports the node count and the radix tree's node count.

use std::collections::{BTreeMap, BTreeSet};

/// A stream entry id: milliseconds and sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct StreamId {
    /// Milliseconds part.
    pub ms: u64,
    /// Sequence part.
    pub seq: u64,
}

impl StreamId {
    /// The smallest id, `0-0`.
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    /// The largest id.
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    /// A new id.
    pub fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The next id, `None` past the largest (Redis's `streamIncrID`).
    pub fn incr(self) -> Option<StreamId> {
        if self.seq == u64::MAX {
            if self.ms == u64::MAX {
                None
            } else {
                Some(StreamId::new(self.ms + 1, 0))
            }
        } else {
            Some(StreamId::new(self.ms, self.seq + 1))
        }
    }

    /// The previous id, `None` before `0-0` (Redis's `streamDecrID`).
    pub fn decr(self) -> Option<StreamId> {
        if self.seq == 0 {
            if self.ms == 0 {
                None
            } else {
                Some(StreamId::new(self.ms - 1, u64::MAX))
            }
        } else {
            Some(StreamId::new(self.ms, self.seq - 1))
        }
    }

    /// Whether this is `0-0`.
    pub fn is_zero(self) -> bool {
        self.ms == 0 && self.seq == 0
    }

    /// The `ms-seq` text form.
    pub fn to_text(self) -> String {
        format!("{}-{}", self.ms, self.seq)
    }

    fn key(self) -> [u8; 16] {
        let mut k = [0u8; 16];
        k[..8].copy_from_slice(&self.ms.to_be_bytes());
        k[8..].copy_from_slice(&self.seq.to_be_bytes());
        k
    }
}

/// `-1`: a group's entries-read counter is unknown.
pub const ENTRIES_READ_UNKNOWN: i64 = -1;

/// One pending (delivered, unacknowledged) entry of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nack {
    /// The consumer that owns it.
    pub consumer: Vec<u8>,
    /// Last delivery (Unix ms).
    pub delivery_time: i64,
    /// Number of deliveries.
    pub delivery_count: u64,
}

/// A consumer of a group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Consumer {
    /// Last time it was seen (Unix ms).
    pub seen_time: i64,
    /// Ids of the entries it has pending.
    pub pel: BTreeSet<StreamId>,
}

/// A consumer group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Group {
    /// Last delivered id.
    pub last_id: StreamId,
    /// Logical read counter; [`ENTRIES_READ_UNKNOWN`] when unknown.
    pub entries_read: i64,
    /// Pending entries of the whole group.
    pub pel: BTreeMap<StreamId, Nack>,
    /// Consumers by name.
    pub consumers: BTreeMap<Vec<u8>, Consumer>,
}

impl Group {
    /// Makes `consumer` exist (seen now); true if it was created.
    pub fn ensure_consumer(&mut self, name: &[u8], now: i64) -> bool {
        if let Some(c) = self.consumers.get_mut(name) {
            c.seen_time = now;
            false
        } else {
            self.consumers.insert(
                name.to_vec(),
                Consumer {
                    seen_time: now,
                    pel: BTreeSet::new(),
                },
            );
            true
        }
    }

    /// Moves (or creates) the pending entry `id` to `consumer`.
    pub fn assign(&mut self, id: StreamId, consumer: &[u8], delivery_time: i64, delivery_count: u64) {
        if let Some(old) = self.pel.get(&id) {
            if old.consumer != consumer {
                let prev = old.consumer.clone();
                if let Some(c) = self.consumers.get_mut(&prev) {
                    c.pel.remove(&id);
                }
            }
        }
        self.pel.insert(
            id,
            Nack {
                consumer: consumer.to_vec(),
                delivery_time,
                delivery_count,
            },
        );
        if let Some(c) = self.consumers.get_mut(consumer) {
            c.pel.insert(id);
        }
    }

    /// Removes the pending entry `id`; true if it was pending.
    pub fn ack(&mut self, id: StreamId) -> bool {
        match self.pel.remove(&id) {
            Some(n) => {
                if let Some(c) = self.consumers.get_mut(&n.consumer) {
                    c.pel.remove(&id);
                }
                true
            }
            None => false,
        }
    }

    /// Deletes a consumer and its pending entries; the number it had, or
    /// `None` if there was no such consumer.
    pub fn remove_consumer(&mut self, name: &[u8]) -> Option<usize> {
        let c = self.consumers.remove(name)?;
        for id in &c.pel {
            self.pel.remove(id);
        }
        Some(c.pel.len())
    }
}

/// An entry's fields and values in one allocation: each item is a LEB128
/// length followed by its bytes, preceded by the item count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields(Box<[u8]>);

fn put_varint(out: &mut Vec<u8>, mut v: usize) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(buf: &[u8], at: &mut usize) -> usize {
    let mut v = 0usize;
    let mut shift = 0;
    while let Some(&b) = buf.get(*at) {
        *at += 1;
        if shift < usize::BITS {
            v |= usize::from(b & 0x7f) << shift;
        }
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    v
}

impl Fields {
    /// Packs field, value, field, value...
    pub fn new<T: AsRef<[u8]>>(items: &[T]) -> Fields {
        let total: usize = items.iter().map(|x| x.as_ref().len() + 2).sum();
        let mut buf = Vec::with_capacity(total + 2);
        put_varint(&mut buf, items.len());
        for x in items {
            let x = x.as_ref();
            put_varint(&mut buf, x.len());
            buf.extend_from_slice(x);
        }
        Fields(buf.into_boxed_slice())
    }

    /// Number of items (twice the number of fields).
    pub fn count(&self) -> usize {
        get_varint(&self.0, &mut 0)
    }

    /// The items in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let mut at = 0;
        let n = get_varint(&self.0, &mut at);
        (0..n).map(move |_| {
            let len = get_varint(&self.0, &mut at);
            let start = at.min(self.0.len());
            let end = start.saturating_add(len).min(self.0.len());
            at = end;
            &self.0[start..end]
        })
    }

    /// Heap bytes held.
    pub fn heap(&self) -> usize {
        self.0.len()
    }
}

/// One entry inside a node.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NodeEntry {
    id: StreamId,
    deleted: bool,
    data: Fields,
}

/// One node: what Redis keeps in one listpack under one radix-tree key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    master_fields: Box<[Box<[u8]>]>,
    entries: Vec<NodeEntry>,
    live: usize,
    /// Estimated listpack bytes (Redis's `lpBytes`).
    lp_bytes: usize,
}

/// Encoded size of a listpack integer element (encoding plus back-length).
fn lp_int_size(v: i64) -> usize {
    let enc = if (0..=127).contains(&v) {
        1
    } else if (-4096..=4095).contains(&v) {
        2
    } else if i16::try_from(v).is_ok() {
        3
    } else if (-(1 << 23)..(1 << 23)).contains(&v) {
        4
    } else if i32::try_from(v).is_ok() {
        5
    } else {
        9
    };
    enc + 1
}

fn lp_backlen(l: usize) -> usize {
    if l <= 127 {
        1
    } else if l < 16383 {
        2
    } else if l < 2_097_151 {
        3
    } else if l < 268_435_455 {
        4
    } else {
        5
    }
}

/// Encoded size of a listpack string element (stored as an integer when it
/// reads as one, as `lpAppend` does).
fn lp_str_size(s: &[u8]) -> usize {
    if s.len() <= 20 {
        if let Some(v) = crate::num::parse_ll(s) {
            return lp_int_size(v);
        }
    }
    let len = s.len();
    let enc = if len <= 63 {
        1 + len
    } else if len <= 4095 {
        2 + len
    } else {
        5 + len
    };
    enc + lp_backlen(enc)
}

/// Listpack header and terminator.
const LP_EMPTY: usize = 7;
/// Redis's `STREAM_LISTPACK_MAX_SIZE`.
const LP_MAX_SIZE: usize = 1 << 30;
/// Heap bytes counted per entry besides its packed strings (the entry
/// slot plus the allocator's overhead for the packed buffer).
const ENTRY_COST: usize = std::mem::size_of::<NodeEntry>() + 16;
/// Heap bytes counted per pending entry (group and consumer sides).
const NACK_COST: usize = std::mem::size_of::<Nack>() + 2 * std::mem::size_of::<StreamId>() + 32;

impl Node {
    fn master_id(&self) -> StreamId {
        self.entries.first().map_or(StreamId::MIN, |e| e.id)
    }

    fn last_id(&self) -> StreamId {
        self.entries.last().map_or(StreamId::MIN, |e| e.id)
    }

    fn deleted(&self) -> usize {
        self.entries.len() - self.live
    }

    fn same_fields(&self, data: &Fields) -> bool {
        data.count() / 2 == self.master_fields.len()
            && data
                .iter()
                .step_by(2)
                .zip(self.master_fields.iter())
                .all(|(f, m)| f == &m[..])
    }

    /// A fresh node for `id`: the listpack with its master entry.
    fn new(data: &Fields) -> Node {
        let master_fields: Box<[Box<[u8]>]> = data.iter().step_by(2).map(|f| f.into()).collect();
        let mut lp = LP_EMPTY + lp_int_size(0) + lp_int_size(0) + lp_int_size(master_fields.len() as i64);
        lp += master_fields.iter().map(|f| lp_str_size(f)).sum::<usize>();
        lp += lp_int_size(0);
        Node {
            master_fields,
            entries: Vec::new(),
            live: 0,
            lp_bytes: lp,
        }
    }

    /// Appends an entry, keeping the listpack size estimate.
    fn push(&mut self, id: StreamId, data: Fields) {
        let master = if self.entries.is_empty() { id } else { self.master_id() };
        let same = self.entries.is_empty() || self.same_fields(&data);
        let n = data.count() / 2;
        let old_count = lp_int_size(self.live as i64);
        self.live += 1;
        self.lp_bytes = self.lp_bytes - old_count + lp_int_size(self.live as i64);
        let flags = if same { 2 } else { 0 };
        let mut size = lp_int_size(flags)
            + lp_int_size(id.ms.wrapping_sub(master.ms) as i64)
            + lp_int_size(id.seq.wrapping_sub(master.seq) as i64);
        let mut lp_count = n + 3;
        if !same {
            size += lp_int_size(n as i64);
            lp_count += n + 1;
        }
        for (i, x) in data.iter().enumerate() {
            if i % 2 == 1 || !same {
                size += lp_str_size(x);
            }
        }
        size += lp_int_size(lp_count as i64);
        self.lp_bytes += size;
        self.entries.push(NodeEntry {
            id,
            deleted: false,
            data,
        });
    }

    /// Marks entry `i` deleted, adjusting the counters' sizes.
    fn mark_deleted(&mut self, i: usize) {
        let before = lp_int_size(self.live as i64) + lp_int_size(self.deleted() as i64);
        if let Some(e) = self.entries.get_mut(i) {
            e.deleted = true;
        }
        self.live -= 1;
        let after = lp_int_size(self.live as i64) + lp_int_size(self.deleted() as i64);
        self.lp_bytes = self.lp_bytes + after - before;
    }

    fn position(&self, id: StreamId) -> Result<usize, usize> {
        self.entries.binary_search_by(|e| e.id.cmp(&id))
    }
}

fn entry_cost(data: &Fields) -> usize {
    ENTRY_COST + data.heap()
}

/// Node-size limits (`stream-node-max-bytes`, `stream-node-max-entries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeLimits {
    /// `stream-node-max-bytes` (0: no limit but the listpack maximum).
    pub max_bytes: usize,
    /// `stream-node-max-entries` (0: no limit).
    pub max_entries: usize,
}

impl Default for NodeLimits {
    fn default() -> Self {
        NodeLimits {
            max_bytes: 4096,
            max_entries: 100,
        }
    }
}

/// How a trim decides what goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrimTo {
    /// Keep at most this many entries.
    MaxLen(u64),
    /// Drop entries below this id.
    MinId(StreamId),
}

/// A stream value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stream {
    nodes: Vec<Node>,
    length: u64,
    /// The last id ever generated or set.
    pub last_id: StreamId,
    /// The first live entry's id (`0-0` when empty).
    pub first_id: StreamId,
    /// The largest id ever deleted by `XDEL` (or set by `XSETID`).
    pub max_deleted_id: StreamId,
    /// Entries ever added.
    pub entries_added: u64,
    /// Consumer groups by name.
    pub groups: BTreeMap<Vec<u8>, Group>,
    heap: usize,
}

/// A node of a [`Stream`] as `DUMP` carries it: entries with their
/// tombstone flags and field/value lists.
pub type DumpNode = Vec<(StreamId, bool, Vec<Vec<u8>>)>;

/// A group as `DUMP` carries it: name, last id, entries read, pending
/// entries (id, consumer, delivery time, count), consumers (name, seen time).
pub type DumpGroup = (
    Vec<u8>,
    StreamId,
    i64,
    Vec<(StreamId, Vec<u8>, i64, u64)>,
    Vec<(Vec<u8>, i64)>,
);

/// Everything a `DUMP` of a stream carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamDump {
    /// Nodes in order.
    pub nodes: Vec<DumpNode>,
    /// Last id.
    pub last_id: StreamId,
    /// First id.
    pub first_id: StreamId,
    /// Max deleted id.
    pub max_deleted_id: StreamId,
    /// Entries added.
    pub entries_added: u64,
    /// Groups.
    pub groups: Vec<DumpGroup>,
}

impl Stream {
    /// An empty stream.
    pub fn new() -> Stream {
        Stream::default()
    }

    /// The `OBJECT ENCODING` name.
    pub fn encoding(&self) -> &'static str {
        "stream"
    }

    /// Approximate heap bytes held.
    pub fn heap_size(&self) -> usize {
        self.heap + self.nodes.capacity() * std::mem::size_of::<Node>()
    }

    /// Number of live entries.
    pub fn len(&self) -> u64 {
        self.length
    }

    /// Whether there is no live entry.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Number of nodes (`radix-tree-keys`).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The number of nodes of a radix tree holding the node keys
    /// (`radix-tree-nodes`), as Redis's rax compresses chains.
    pub fn rax_nodes(&self) -> usize {
        let keys: Vec<[u8; 16]> = self.nodes.iter().map(|n| n.master_id().key()).collect();
        if keys.is_empty() {
            return 1;
        }
        fn walk(keys: &[[u8; 16]], depth: usize, starts_node: bool) -> usize {
            if depth == 16 {
                return 1;
            }
            let mut groups = Vec::new();
            let mut i = 0;
            while i < keys.len() {
                let b = keys[i][depth];
                let mut j = i;
                while j < keys.len() && keys[j][depth] == b {
                    j += 1;
                }
                groups.push((i, j));
                i = j;
            }
            if groups.len() == 1 {
                usize::from(starts_node) + walk(keys, depth + 1, false)
            } else {
                1 + groups
                    .into_iter()
                    .map(|(a, b)| walk(&keys[a..b], depth + 1, true))
                    .sum::<usize>()
            }
        }
        walk(&keys, 0, true)
    }

    /// The last live entry's id, `0-0` if none (`streamLastValidID`).
    pub fn last_valid_id(&self) -> StreamId {
        let mut out = StreamId::MIN;
        self.range(StreamId::MIN, StreamId::MAX, true, |id, _| {
            out = id;
            false
        });
        out
    }

    fn first_valid_id(&self) -> Option<StreamId> {
        let mut out = None;
        self.range(StreamId::MIN, StreamId::MAX, false, |id, _| {
            out = Some(id);
            false
        });
        out
    }

    /// Appends an entry with an already checked id (greater than `last_id`).
    pub fn append<T: AsRef<[u8]>>(&mut self, id: StreamId, items: &[T], limits: NodeLimits) {
        let total: usize = items.iter().map(|x| x.as_ref().len()).sum();
        let data = Fields::new(items);
        let max_bytes = if limits.max_bytes == 0 || limits.max_bytes > LP_MAX_SIZE {
            LP_MAX_SIZE
        } else {
            limits.max_bytes
        };
        let need_new = match self.nodes.last() {
            None => true,
            Some(n) => {
                n.lp_bytes + total >= max_bytes || (limits.max_entries != 0 && n.entries.len() >= limits.max_entries)
            }
        };
        if need_new {
            self.nodes.push(Node::new(&data));
            self.heap += std::mem::size_of::<Node>()
                + self
                    .nodes
                    .last()
                    .map_or(0, |n| n.master_fields.iter().map(|f| f.len() + 16).sum());
        }
        self.heap += entry_cost(&data);
        if let Some(n) = self.nodes.last_mut() {
            n.push(id, data);
        }
        self.length += 1;
        self.entries_added += 1;
        self.last_id = id;
        if self.length == 1 {
            self.first_id = id;
        }
    }

    /// Index of the node that would hold `id`.
    fn node_for(&self, id: StreamId) -> Option<usize> {
        let p = self.nodes.partition_point(|n| n.master_id() <= id);
        p.checked_sub(1)
    }

    /// Calls `f` on live entries with `start <= id <= end`, in order
    /// (reverse if `rev`), until it returns false.
    pub fn range(&self, start: StreamId, end: StreamId, rev: bool, mut f: impl FnMut(StreamId, &Fields) -> bool) {
        if start > end {
            return;
        }
        if !rev {
            let first = self.node_for(start).unwrap_or(0);
            for node in &self.nodes[first.min(self.nodes.len())..] {
                if node.master_id() > end {
                    return;
                }
                let from = match node.position(start) {
                    Ok(i) | Err(i) => i,
                };
                for e in &node.entries[from..] {
                    if e.id > end {
                        return;
                    }
                    if !e.deleted && !f(e.id, &e.data) {
                        return;
                    }
                }
            }
        } else {
            let Some(last) = self.node_for(end) else { return };
            for node in self.nodes[..=last].iter().rev() {
                if node.last_id() < start {
                    return;
                }
                let to = match node.position(end) {
                    Ok(i) => i + 1,
                    Err(i) => i,
                };
                for e in node.entries[..to].iter().rev() {
                    if e.id < start {
                        return;
                    }
                    if !e.deleted && !f(e.id, &e.data) {
                        return;
                    }
                }
            }
        }
    }

    /// The live entry `id`.
    pub fn get(&self, id: StreamId) -> Option<&Fields> {
        let n = &self.nodes[self.node_for(id)?];
        let e = &n.entries[n.position(id).ok()?];
        (!e.deleted).then_some(&e.data)
    }

    /// Whether the live entry `id` exists.
    pub fn contains(&self, id: StreamId) -> bool {
        self.get(id).is_some()
    }

    /// Deletes the live entry `id` (`XDEL`); true if it existed. Updates the
    /// first id and max deleted id as Redis's `XDEL` does when `update_ids`.
    fn delete_one(&mut self, id: StreamId) -> bool {
        let Some(ni) = self.node_for(id) else { return false };
        let node = &mut self.nodes[ni];
        let Ok(i) = node.position(id) else { return false };
        if node.entries[i].deleted {
            return false;
        }
        if node.live == 1 {
            let node = self.nodes.remove(ni);
            self.heap = self.heap.saturating_sub(
                std::mem::size_of::<Node>()
                    + node.master_fields.iter().map(|f| f.len() + 16).sum::<usize>()
                    + node.entries.iter().map(|e| entry_cost(&e.data)).sum::<usize>(),
            );
        } else {
            node.mark_deleted(i);
        }
        self.length -= 1;
        true
    }

    /// `XDEL`: deletes the given ids; the number deleted.
    pub fn delete(&mut self, ids: &[StreamId]) -> usize {
        let mut deleted = 0;
        let mut first_entry = false;
        for &id in ids {
            if self.delete_one(id) {
                if id == self.first_id {
                    first_entry = true;
                }
                if id > self.max_deleted_id {
                    self.max_deleted_id = id;
                }
                deleted += 1;
            }
        }
        if deleted > 0 {
            if self.length == 0 {
                self.first_id = StreamId::MIN;
            } else if first_entry {
                self.first_id = self.first_valid_id().unwrap_or(StreamId::MAX);
            }
        }
        deleted
    }

    /// Trims as Redis's `streamTrim`: whole nodes first; with `approx` only
    /// whole nodes; `limit` (non-zero) caps the entries removed. Returns the
    /// number of entries removed.
    pub fn trim(&mut self, to: TrimTo, approx: bool, limit: u64) -> u64 {
        let mut deleted: u64 = 0;
        let mut remove_front = 0;
        let mut partial = None;
        let mut length = self.length;
        for (ni, node) in self.nodes.iter().enumerate() {
            if let TrimTo::MaxLen(max) = to {
                if length <= max {
                    break;
                }
            }
            let entries = node.live as u64;
            if limit != 0 && deleted + entries > limit {
                break;
            }
            let remove_node = match to {
                TrimTo::MaxLen(max) => length - entries >= max,
                TrimTo::MinId(min) => node.last_id() < min,
            };
            if remove_node {
                remove_front = ni + 1;
                length -= entries;
                deleted += entries;
                continue;
            }
            if !approx {
                partial = Some(ni);
            }
            break;
        }
        for node in self.nodes.drain(..remove_front) {
            self.heap = self.heap.saturating_sub(
                std::mem::size_of::<Node>()
                    + node.master_fields.iter().map(|f| f.len() + 16).sum::<usize>()
                    + node.entries.iter().map(|e| entry_cost(&e.data)).sum::<usize>(),
            );
        }
        self.length = length;
        if let Some(ni) = partial {
            let ni = ni - remove_front;
            if let Some(node) = self.nodes.get_mut(ni) {
                let mut i = 0;
                while i < node.entries.len() {
                    let stop = match to {
                        TrimTo::MaxLen(max) => self.length <= max,
                        TrimTo::MinId(min) => node.entries[i].id >= min,
                    };
                    if stop {
                        break;
                    }
                    if !node.entries[i].deleted {
                        node.mark_deleted(i);
                        self.length -= 1;
                        deleted += 1;
                    }
                    i += 1;
                }
            }
        }
        if deleted > 0 {
            self.first_id = self.first_valid_id().unwrap_or(StreamId::MIN);
        }
        deleted
    }

    /// Whether an `XDEL` tombstone may lie in `start..=end` (`streamRangeHasTombstones`).
    pub fn range_has_tombstones(&self, start: StreamId, end: StreamId) -> bool {
        if self.length == 0 || self.max_deleted_id.is_zero() {
            return false;
        }
        if self.first_id > self.max_deleted_id {
            return false;
        }
        start <= self.max_deleted_id && self.max_deleted_id <= end
    }

    /// The logical read counter of `id`, if it can be known
    /// (`streamEstimateDistanceFromFirstEverEntry`).
    pub fn estimate_distance(&self, id: StreamId) -> i64 {
        if self.entries_added == 0 {
            return 0;
        }
        if self.length == 0 && id <= self.last_id {
            return self.entries_added as i64;
        }
        if id == self.last_id {
            return self.entries_added as i64;
        } else if id > self.last_id {
            return ENTRIES_READ_UNKNOWN;
        }
        if self.max_deleted_id.is_zero() || self.max_deleted_id < self.first_id {
            if id < self.first_id {
                return (self.entries_added - self.length) as i64;
            } else if id == self.first_id {
                return (self.entries_added - self.length + 1) as i64;
            }
        }
        ENTRIES_READ_UNKNOWN
    }

    /// A group's lag, if it can be known (`streamReplyWithCGLag`).
    pub fn group_lag(&self, g: &Group) -> Option<i64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if g.entries_read != ENTRIES_READ_UNKNOWN && !self.range_has_tombstones(g.last_id, StreamId::MAX) {
            return Some((self.entries_added as i64).wrapping_sub(g.entries_read));
        }
        let read = self.estimate_distance(g.last_id);
        (read != ENTRIES_READ_UNKNOWN).then(|| (self.entries_added as i64).wrapping_sub(read))
    }

    /// Records that group `name` was delivered `id` (advancing its last id
    /// and read counter as `streamReplyWithRange` does).
    pub fn advance_group(&mut self, name: &[u8], id: StreamId) {
        let tomb = self.range_has_tombstones(id, StreamId::MAX);
        let dist = if self.entries_added != 0 {
            Some(self.estimate_distance(id))
        } else {
            None
        };
        if let Some(g) = self.groups.get_mut(name) {
            if id > g.last_id {
                if g.entries_read != ENTRIES_READ_UNKNOWN && !tomb {
                    g.entries_read += 1;
                } else if let Some(d) = dist {
                    g.entries_read = d;
                }
                g.last_id = id;
            }
        }
    }

    /// Adds to the heap estimate for a newly pending entry or consumer.
    pub fn account(&mut self, nacks: isize, consumer_bytes: isize) {
        let delta = nacks * NACK_COST as isize + consumer_bytes;
        self.heap = self.heap.saturating_add_signed(delta);
    }

    /// The contents for a `DUMP` payload.
    pub fn dump(&self) -> StreamDump {
        StreamDump {
            nodes: self
                .nodes
                .iter()
                .map(|n| {
                    n.entries
                        .iter()
                        .map(|e| (e.id, e.deleted, e.data.iter().map(<[u8]>::to_vec).collect()))
                        .collect()
                })
                .collect(),
            last_id: self.last_id,
            first_id: self.first_id,
            max_deleted_id: self.max_deleted_id,
            entries_added: self.entries_added,
            groups: self
                .groups
                .iter()
                .map(|(name, g)| {
                    (
                        name.clone(),
                        g.last_id,
                        g.entries_read,
                        g.pel
                            .iter()
                            .map(|(id, n)| (*id, n.consumer.clone(), n.delivery_time, n.delivery_count))
                            .collect(),
                        g.consumers.iter().map(|(c, v)| (c.clone(), v.seen_time)).collect(),
                    )
                })
                .collect(),
        }
    }

    /// Rebuilds a stream from `DUMP` contents; `None` if they are inconsistent
    /// (ids out of order or past the last id, odd or empty field lists,
    /// empty nodes, pending entries of unknown consumers, duplicate groups).
    pub fn from_dump(d: StreamDump) -> Option<Stream> {
        let mut s = Stream::new();
        let mut prev: Option<StreamId> = None;
        for dn in d.nodes {
            let (_, _, first_data) = dn.first()?;
            if first_data.is_empty() || first_data.len() % 2 != 0 {
                return None;
            }
            let mut node = Node::new(&Fields::new(first_data));
            s.heap += std::mem::size_of::<Node>() + node.master_fields.iter().map(|f| f.len() + 16).sum::<usize>();
            let mut tombs = Vec::new();
            for (i, (id, deleted, data)) in dn.into_iter().enumerate() {
                if prev.is_some_and(|p| id <= p) || data.is_empty() || data.len() % 2 != 0 {
                    return None;
                }
                prev = Some(id);
                let data = Fields::new(&data);
                s.heap += entry_cost(&data);
                node.push(id, data);
                if deleted {
                    tombs.push(i);
                }
            }
            // A node may hold only tombstones (exact MINID trimming can leave
            // one), as in Redis.
            for i in tombs {
                node.mark_deleted(i);
            }
            s.length += node.live as u64;
            s.nodes.push(node);
        }
        if prev.is_some_and(|p| p > d.last_id) {
            return None;
        }
        s.last_id = d.last_id;
        s.first_id = d.first_id;
        s.max_deleted_id = d.max_deleted_id;
        s.entries_added = d.entries_added;
        for (name, last_id, entries_read, pel, consumers) in d.groups {
            let mut g = Group {
                last_id,
                entries_read,
                ..Group::default()
            };
            for (c, seen) in consumers {
                g.consumers.insert(
                    c,
                    Consumer {
                        seen_time: seen,
                        pel: BTreeSet::new(),
                    },
                );
            }
            for (id, c, time, count) in pel {
                if !g.consumers.contains_key(&c) || g.pel.contains_key(&id) {
                    return None;
                }
                g.assign(id, &c, time, count);
            }
            s.heap += g.pel.len() * NACK_COST + g.consumers.keys().map(|k| k.len() + 64).sum::<usize>();
            if s.groups.insert(name, g).is_some() {
                return None;
            }
        }
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fv(f: &str, v: &str) -> Vec<Vec<u8>> {
        vec![f.as_bytes().to_vec(), v.as_bytes().to_vec()]
    }

    fn ids(s: &Stream) -> Vec<StreamId> {
        let mut out = Vec::new();
        s.range(StreamId::MIN, StreamId::MAX, false, |id, _| {
            out.push(id);
            true
        });
        out
    }

    #[test]
    fn nodes_fill_up_to_the_entry_limit() {
        let mut s = Stream::new();
        for i in 1..=250 {
            s.append(StreamId::new(i, 0), &fv("a", "1"), NodeLimits::default());
        }
        assert_eq!(s.node_count(), 3);
        assert_eq!(s.len(), 250);
        assert_eq!(s.encoding(), "stream");
    }

    #[test]
    fn big_values_start_new_nodes_by_bytes() {
        let mut s = Stream::new();
        let big = "x".repeat(1000);
        for i in 1..=10 {
            s.append(StreamId::new(i, 0), &fv("a", &big), NodeLimits::default());
        }
        assert!(s.node_count() >= 3, "{}", s.node_count());
    }

    #[test]
    fn ranges_skip_tombstones_both_ways() {
        let mut s = Stream::new();
        for i in 1..=300 {
            s.append(StreamId::new(i, 0), &fv("a", "1"), NodeLimits::default());
        }
        assert_eq!(
            s.delete(&[StreamId::new(5, 0), StreamId::new(150, 0), StreamId::new(999, 0)]),
            2
        );
        let all = ids(&s);
        assert_eq!(all.len(), 298);
        let mut rev = Vec::new();
        s.range(StreamId::new(100, 0), StreamId::new(200, 0), true, |id, _| {
            rev.push(id);
            true
        });
        assert_eq!(rev.len(), 100);
        assert_eq!(rev[0], StreamId::new(200, 0));
        assert_eq!(s.max_deleted_id, StreamId::new(150, 0));
    }

    #[test]
    fn deleting_a_node_s_last_live_entry_drops_the_node() {
        let mut s = Stream::new();
        for i in 1..=150 {
            s.append(StreamId::new(i, 0), &fv("a", "1"), NodeLimits::default());
        }
        let first: Vec<StreamId> = (1..=100).map(|i| StreamId::new(i, 0)).collect();
        assert_eq!(s.delete(&first), 100);
        assert_eq!(s.node_count(), 1);
        assert_eq!(s.first_id, StreamId::new(101, 0));
    }

    #[test]
    fn approximate_trim_removes_whole_nodes_only() {
        let mut s = Stream::new();
        for i in 1..=250 {
            s.append(StreamId::new(i, 0), &fv("a", "1"), NodeLimits::default());
        }
        assert_eq!(s.trim(TrimTo::MaxLen(10), true, 0), 200);
        assert_eq!(s.len(), 50);
        assert_eq!(s.trim(TrimTo::MaxLen(10), false, 0), 40);
        assert_eq!(ids(&s).first(), Some(&StreamId::new(241, 0)));
        assert_eq!(s.trim(TrimTo::MinId(StreamId::new(245, 0)), false, 0), 4);
        assert_eq!(s.len(), 6);
    }

    #[test]
    fn rax_node_count_of_one_key_is_two() {
        let mut s = Stream::new();
        assert_eq!(s.rax_nodes(), 1);
        s.append(StreamId::new(1, 0), &fv("a", "1"), NodeLimits::default());
        assert_eq!(s.rax_nodes(), 2);
    }

    #[test]
    fn dump_round_trips() {
        let mut s = Stream::new();
        for i in 1..=120 {
            s.append(StreamId::new(i, 0), &fv("a", "1"), NodeLimits::default());
        }
        s.delete(&[StreamId::new(3, 0)]);
        let mut g = Group::default();
        g.ensure_consumer(b"c", 5);
        g.assign(StreamId::new(4, 0), b"c", 7, 2);
        s.groups.insert(b"g".to_vec(), g);
        let back = Stream::from_dump(s.dump()).unwrap();
        assert_eq!(back.dump(), s.dump());
        assert_eq!(back.node_count(), s.node_count());
        assert_eq!(back.len(), s.len());
    }

    #[test]
    fn inconsistent_dumps_are_refused() {
        let mut s = Stream::new();
        for i in 1..=3 {
            s.append(StreamId::new(i, 0), &fv("a", "1"), NodeLimits::default());
        }
        let good = s.dump();
        let mut d = good.clone();
        d.nodes[0].swap(0, 1);
        assert!(Stream::from_dump(d).is_none(), "ids out of order");
        let mut d = good.clone();
        d.nodes[0][1].2.pop();
        assert!(Stream::from_dump(d).is_none(), "odd field list");
        let mut d = good.clone();
        d.last_id = StreamId::new(1, 0);
        assert!(Stream::from_dump(d).is_none(), "entries past the last id");
        let mut d = good.clone();
        d.groups.push((
            b"g".to_vec(),
            StreamId::MIN,
            0,
            vec![(StreamId::new(1, 0), b"ghost".to_vec(), 0, 1)],
            vec![],
        ));
        assert!(Stream::from_dump(d).is_none(), "pending entry of an unknown consumer");
        let mut d = good;
        d.nodes.push(Vec::new());
        assert!(Stream::from_dump(d).is_none(), "empty node");
    }

    #[test]
    fn exact_minid_trim_can_leave_a_node_of_tombstones_that_restores() {
        let mut s = Stream::new();
        for i in 1..=5 {
            s.append(StreamId::new(i, 0), &fv("a", "1"), NodeLimits::default());
        }
        s.delete(&[StreamId::new(5, 0)]);
        assert_eq!(s.trim(TrimTo::MinId(StreamId::new(5, 0)), false, 0), 4);
        assert_eq!(s.len(), 0);
        assert_eq!(s.node_count(), 1);
        let back = Stream::from_dump(s.dump()).unwrap();
        assert_eq!(back.node_count(), 1);
        assert_eq!(back.len(), 0);
    }

    #[test]
    fn random_operations_agree_with_an_ordered_map_model() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::SmallRng::seed_from_u64(42);
        for round in 0..20 {
            let limits = NodeLimits {
                max_bytes: [0, 64, 4096][round % 3],
                max_entries: [0, 1, 3, 100][round % 4],
            };
            let mut s = Stream::new();
            let mut model: BTreeMap<StreamId, Vec<Vec<u8>>> = BTreeMap::new();
            let mut next = 1u64;
            for _ in 0..600 {
                match rng.random_range(0..10) {
                    0..=4 => {
                        next += rng.random_range(1..3);
                        let id = StreamId::new(next, rng.random_range(0..2));
                        let data = fv(
                            ["a", "b"][rng.random_range(0..2)],
                            &rng.random_range(0..1000).to_string(),
                        );
                        s.append(id, &data, limits);
                        model.insert(id, data);
                    }
                    5 | 6 => {
                        let id = StreamId::new(rng.random_range(0..=next), rng.random_range(0..2));
                        let expect = usize::from(model.remove(&id).is_some());
                        assert_eq!(s.delete(&[id]), expect);
                    }
                    7 => {
                        let max = rng.random_range(0..40);
                        let n = s.trim(TrimTo::MaxLen(max), false, 0);
                        let drop = model.len().saturating_sub(max as usize);
                        assert_eq!(n, drop as u64);
                        for _ in 0..drop {
                            model.pop_first();
                        }
                    }
                    8 => {
                        let min = StreamId::new(rng.random_range(0..=next), 0);
                        let before = model.len();
                        model.retain(|id, _| *id >= min);
                        assert_eq!(s.trim(TrimTo::MinId(min), false, 0), (before - model.len()) as u64);
                    }
                    _ => {
                        let a = StreamId::new(rng.random_range(0..=next), 0);
                        let b = StreamId::new(rng.random_range(0..=next), u64::MAX);
                        let rev = rng.random_bool(0.5);
                        let mut got = Vec::new();
                        s.range(a, b, rev, |id, data| {
                            got.push((id, data.iter().map(<[u8]>::to_vec).collect::<Vec<_>>()));
                            true
                        });
                        let mut want: Vec<_> = if a <= b {
                            model.range(a..=b).map(|(k, v)| (*k, v.clone())).collect()
                        } else {
                            Vec::new()
                        };
                        if rev {
                            want.reverse();
                        }
                        assert_eq!(got, want);
                    }
                }
                assert_eq!(s.len(), model.len() as u64);
                assert_eq!(s.first_valid_id(), model.keys().next().copied());
                assert_eq!(
                    s.last_valid_id(),
                    model.keys().next_back().copied().unwrap_or(StreamId::MIN)
                );
                if !model.is_empty() {
                    assert_eq!(s.first_id, *model.keys().next().unwrap_or(&StreamId::MIN));
                }
            }
            let back = Stream::from_dump(s.dump()).unwrap();
            assert_eq!(back.dump(), s.dump());
        }
    }

    #[test]
    fn incr_and_decr_stop_at_the_ends() {
        assert_eq!(StreamId::MAX.incr(), None);
        assert_eq!(StreamId::MIN.decr(), None);
        assert_eq!(StreamId::new(1, u64::MAX).incr(), Some(StreamId::new(2, 0)));
        assert_eq!(StreamId::new(2, 0).decr(), Some(StreamId::new(1, u64::MAX)));
    }
}
