//! The compact sorted-set encoding (`listpack` in `OBJECT ENCODING`): one
//! byte buffer of entries, each the score (8 bytes, little-endian `f64`
//! bits), the member's length (LEB128 varint) and the member's bytes, in
//! ascending (score, member) order. Every operation is a linear walk or a
//! splice, as Redis's listpack ones are; the entry threshold keeps sets in
//! this encoding short.
//!
//! Invariants: `buf` holds exactly `len` well-formed entries, sorted, with
//! unique members and no NaN score; no score is -0 (Redis's listpack writes
//! scores as text, and `d2string` writes -0 as the integer 0). The buffer is
//! grown exactly (no amortised slack) and shrunk after removals, so its
//! capacity stays close to its contents.

use std::cmp::Ordering;

use super::tree::cmp_entry;
use super::{LexRange, Limits};

/// What the allocator spends on one buffer besides its bytes (header and
/// rounding), as the other types count it.
const ALLOC_OVERHEAD: usize = 16;

/// Slack left after a removal before the buffer is shrunk.
const SHRINK_SLACK: usize = 64;

/// Bytes the varint for `n` takes.
fn varint_len(mut n: usize) -> usize {
    let mut k = 1;
    while n >= 0x80 {
        n >>= 7;
        k += 1;
    }
    k
}

/// Bytes an entry for `member` takes.
pub fn entry_len(member: &[u8]) -> usize {
    8 + varint_len(member.len()) + member.len()
}

/// Writes the entry (score, member) into `out`, which is exactly
/// `entry_len(member)` bytes long.
fn write_entry(out: &mut [u8], member: &[u8], score: f64) {
    let (head, rest) = out.split_at_mut(8);
    head.copy_from_slice(&score.to_bits().to_le_bytes());
    let mut n = member.len();
    let mut at = 0;
    for b in rest.iter_mut() {
        if n >= 0x80 {
            *b = (n as u8 & 0x7f) | 0x80;
            n >>= 7;
            at += 1;
        } else {
            *b = n as u8;
            at += 1;
            break;
        }
    }
    if let Some(dst) = rest.get_mut(at..) {
        dst.copy_from_slice(member);
    }
}

/// Reads the entry starting at byte `at`: (member, score, offset of the
/// next entry). `None` at the end of the buffer.
fn read_entry(buf: &[u8], at: usize) -> Option<(&[u8], f64, usize)> {
    let head: [u8; 8] = buf.get(at..at.checked_add(8)?)?.try_into().ok()?;
    let score = f64::from_bits(u64::from_le_bytes(head));
    let mut pos = at + 8;
    let mut n: usize = 0;
    let mut shift = 0u32;
    loop {
        let b = *buf.get(pos)?;
        pos += 1;
        n |= usize::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let end = pos.checked_add(n)?;
    Some((buf.get(pos..end)?, score, end))
}

/// Listpack turns -0 into 0 (see the module doc).
fn normalize(score: f64) -> f64 {
    if score == 0.0 {
        0.0
    } else {
        score
    }
}

/// The packed entries.
#[derive(Debug, Clone, Default)]
pub struct Pack {
    buf: Vec<u8>,
    len: usize,
}

/// Forward iteration over a run of entries.
#[derive(Debug, Clone)]
pub struct PackIter<'a> {
    buf: &'a [u8],
    pos: usize,
    remaining: usize,
}

impl<'a> Iterator for PackIter<'a> {
    type Item = (&'a [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let (m, s, next) = read_entry(self.buf, self.pos)?;
        self.pos = next;
        self.remaining -= 1;
        Some((m, s))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

/// Backward iteration over a run of entries (their offsets collected first:
/// entries can only be parsed forwards).
#[derive(Debug, Clone)]
pub struct PackRevIter<'a> {
    buf: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> Iterator for PackRevIter<'a> {
    type Item = (&'a [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        let at = self.starts.pop()?;
        read_entry(self.buf, at).map(|(m, s, _)| (m, s))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.starts.len(), Some(self.starts.len()))
    }
}

/// Where a member was found.
struct Found {
    index: usize,
    start: usize,
    end: usize,
    score: f64,
}

impl Pack {
    /// An empty pack.
    pub fn new() -> Pack {
        Pack::default()
    }

    /// Packs entries already in ascending (score, member) order with unique
    /// members and no NaN; `bytes` (the sum of their [`entry_len`]) sizes
    /// the buffer.
    pub fn from_sorted<'a>(entries: impl Iterator<Item = (&'a [u8], f64)>, bytes: usize) -> Pack {
        let mut p = Pack {
            buf: Vec::with_capacity(bytes),
            len: 0,
        };
        for (m, s) in entries {
            p.push_back(m, s);
        }
        p
    }

    fn push_back(&mut self, member: &[u8], score: f64) {
        let at = self.buf.len();
        self.buf.resize(at + entry_len(member), 0);
        if let Some(out) = self.buf.get_mut(at..) {
            write_entry(out, member, normalize(score));
        }
        self.len += 1;
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Heap bytes: the buffer and its allocation overhead.
    pub fn heap_size(&self) -> usize {
        let cap = self.buf.capacity();
        if cap == 0 {
            0
        } else {
            cap + ALLOC_OVERHEAD
        }
    }

    /// Whether adding `member` keeps the pack within `limits` (entry count
    /// and member length).
    fn fits_one_more(&self, member: &[u8], limits: &Limits) -> bool {
        self.len < limits.zset_max_listpack_entries && member.len() <= limits.zset_max_listpack_value
    }

    /// Iterates entries of ranks `lo..hi` (clamped).
    pub fn iter_range(&self, lo: usize, hi: usize) -> PackIter<'_> {
        let hi = hi.min(self.len);
        let lo = lo.min(hi);
        PackIter {
            buf: &self.buf,
            pos: self.offset_of(lo),
            remaining: hi - lo,
        }
    }

    /// Iterates entries of ranks `lo..hi` (clamped) from `hi - 1` down.
    pub fn iter_range_rev(&self, lo: usize, hi: usize) -> PackRevIter<'_> {
        let mut starts = Vec::with_capacity(hi.min(self.len).saturating_sub(lo));
        let mut it = self.iter_range(lo, hi);
        loop {
            let at = it.pos;
            if it.next().is_none() {
                break;
            }
            starts.push(at);
        }
        PackRevIter { buf: &self.buf, starts }
    }

    /// Iterates every entry in order.
    pub fn iter(&self) -> PackIter<'_> {
        PackIter {
            buf: &self.buf,
            pos: 0,
            remaining: self.len,
        }
    }

    /// Byte offset of the entry of rank `rank` (the buffer's length past the end).
    fn offset_of(&self, rank: usize) -> usize {
        let mut pos = 0;
        for _ in 0..rank.min(self.len) {
            match read_entry(&self.buf, pos) {
                Some((_, _, next)) => pos = next,
                None => break,
            }
        }
        pos
    }

    fn find(&self, member: &[u8]) -> Option<Found> {
        let mut pos = 0;
        let mut index = 0;
        while let Some((m, score, next)) = read_entry(&self.buf, pos) {
            if m == member {
                return Some(Found {
                    index,
                    start: pos,
                    end: next,
                    score,
                });
            }
            pos = next;
            index += 1;
        }
        None
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.find(member).map(|f| f.score)
    }

    /// The rank of `member`.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        self.find(member).map(|f| f.index)
    }

    /// The entry of rank `rank`.
    pub fn nth(&self, rank: usize) -> Option<(&[u8], f64)> {
        if rank >= self.len {
            return None;
        }
        read_entry(&self.buf, self.offset_of(rank)).map(|(m, s, _)| (m, s))
    }

    /// Number of leading entries for which `before` holds.
    pub fn count_before(&self, before: impl Fn(f64, &[u8]) -> bool) -> usize {
        self.iter().take_while(|&(m, s)| before(s, m)).count()
    }

    /// Splices a new entry (the member must be absent) into its place.
    fn insert_new(&mut self, member: &[u8], score: f64) {
        let score = normalize(score);
        let mut at = 0;
        while let Some((m, s, next)) = read_entry(&self.buf, at) {
            if cmp_entry(s, m, score, member) != Ordering::Less {
                break;
            }
            at = next;
        }
        let n = entry_len(member);
        let old = self.buf.len();
        // Grown exactly, as listpack reallocates per insertion.
        self.buf.reserve_exact(n);
        self.buf.resize(old + n, 0);
        self.buf.copy_within(at..old, at + n);
        if let Some(out) = self.buf.get_mut(at..at + n) {
            write_entry(out, member, score);
        }
        self.len += 1;
    }

    fn cut(&mut self, start: usize, end: usize, entries: usize) {
        self.buf.drain(start..end);
        self.len -= entries;
        if self.buf.capacity() - self.buf.len() >= SHRINK_SLACK || self.len == 0 {
            self.buf.shrink_to_fit();
        }
    }

    /// Sets the score of a present member (returning the old one) or adds
    /// the member if `limits` allow one more (returning `Ok(None)`); gives
    /// `Err(())` when a new member does not fit and nothing changed.
    pub fn upsert(&mut self, member: &[u8], score: f64, limits: &Limits) -> Result<Option<f64>, ()> {
        if let Some(f) = self.find(member) {
            if f.score != score {
                self.cut(f.start, f.end, 1);
                self.insert_new(member, score);
            }
            return Ok(Some(f.score));
        }
        if !self.fits_one_more(member, limits) {
            return Err(());
        }
        self.insert_new(member, score);
        Ok(None)
    }

    /// Removes `member`; returns its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let f = self.find(member)?;
        self.cut(f.start, f.end, 1);
        Some(f.score)
    }

    /// Removes the entries of ranks `lo..hi` (clamped); returns them in order.
    pub fn remove_ranks(&mut self, lo: usize, hi: usize) -> Vec<(Vec<u8>, f64)> {
        let hi = hi.min(self.len);
        if lo >= hi {
            return Vec::new();
        }
        let mut it = self.iter_range(lo, hi);
        let start = it.pos;
        let out: Vec<(Vec<u8>, f64)> = it.by_ref().map(|(m, s)| (m.to_vec(), s)).collect();
        let end = it.pos;
        self.cut(start, end, out.len());
        out
    }

    /// `zzlFirstInLexRange`/`zzlLastInLexRange` and the walk that follows
    /// them: the ranks `lo..hi` Redis's linear listpack walk reports for
    /// `r`, from the bottom or (`from_top`) from the top. Well defined even
    /// when scores differ; `(0, 0)` when nothing is in range.
    pub fn lex_window(&self, r: &LexRange, from_top: bool) -> (usize, usize) {
        let (Some((first, _)), Some((last, _))) = (self.nth(0), self.nth(self.len.wrapping_sub(1))) else {
            return (0, 0);
        };
        if !super::lex_range_nonempty(r) || r.below_min(last) || !r.within_max(first) {
            return (0, 0);
        }
        if from_top {
            // The last member within max, and the run of members not below
            // min that ends there (Redis walks down from it).
            let mut run_start = 0;
            let mut found = None;
            for (k, (m, _)) in self.iter().enumerate() {
                if r.below_min(m) {
                    run_start = k + 1;
                }
                if r.within_max(m) {
                    found = Some((run_start, k));
                }
            }
            match found {
                Some((i, j)) if i <= j => (i, j + 1),
                _ => (0, 0),
            }
        } else {
            // The first member not below min, and the run within max from it.
            let mut it = self.iter().enumerate().skip_while(|(_, (m, _))| r.below_min(m));
            let Some((i, (m, _))) = it.next() else {
                return (0, 0);
            };
            if !r.within_max(m) {
                return (0, 0);
            }
            let run = it.take_while(|(_, (m, _))| r.within_max(m)).count();
            (i, i + 1 + run)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_lengths_round_trip_at_byte_boundaries() {
        for n in [0usize, 1, 127, 128, 300, 16_383, 16_384, 70_000] {
            let member = vec![b'x'; n];
            let mut buf = vec![0; entry_len(&member)];
            write_entry(&mut buf, &member, -2.5);
            let (m, s, end) = read_entry(&buf, 0).unwrap();
            assert_eq!((m.len(), s, end), (n, -2.5, buf.len()));
            assert_eq!(entry_len(&member), 8 + varint_len(n) + n);
        }
        assert!(read_entry(&[0; 8], 0).is_none());
        assert!(read_entry(&[0, 0, 0, 0, 0, 0, 0, 0, 5, b'a'], 0).is_none());
    }

    #[test]
    fn buffer_is_grown_exactly_and_shrunk_after_removals() {
        let l = Limits::default();
        let mut p = Pack::new();
        for i in 0..100u32 {
            p.upsert(format!("m{i}").as_bytes(), f64::from(i), &l).unwrap();
        }
        assert_eq!(p.buf.capacity(), p.buf.len());
        p.remove_ranks(0, 90);
        assert!(p.buf.capacity() - p.buf.len() < SHRINK_SLACK);
        assert_eq!(p.heap_size(), p.buf.capacity() + ALLOC_OVERHEAD);
    }
}
