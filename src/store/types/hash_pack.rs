//! The byte layout of hash fields, shared by both encodings, and the packed
//! buffer that is the compact (listpack) encoding.
//!
//! One field is one record: `varint(name_len << 1 | has_ttl)`, the name,
//! `varint(value_len)`, the value, then the expiry as 8 little-endian bytes
//! only when `has_ttl` is set. A field without TTL (the common case) costs
//! its bytes plus two length bytes while they are under 64 and 128 bytes.
//! The big encoding keeps each record in its own boxed slice; [`Pack`]
//! keeps all of them back to back in insertion order in one buffer, as
//! Redis's listpack does, and finds fields by a linear scan (the entries
//! threshold keeps it short).
//!
//! Invariants: a buffer holds whole, well-formed records only (every offset
//! the code reads was produced by [`encode_into`]); `Pack::len` is the
//! number of records in it.

use std::ops::Range;

use super::Field;

pub(super) use super::super::alloc_cost;

fn varint_len(mut v: usize) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

fn put_varint(out: &mut Vec<u8>, mut v: usize) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads the varint at `at`: (value, offset after it).
fn get_varint(buf: &[u8], mut at: usize) -> (usize, usize) {
    let mut v = 0usize;
    let mut shift = 0;
    loop {
        let b = buf[at];
        at += 1;
        v |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return (v, at);
        }
        shift += 7;
    }
}

/// Where the parts of one record lie in its buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rec {
    /// First byte of the record.
    pub start: usize,
    /// The name's bytes.
    pub name: Range<usize>,
    /// The value's bytes.
    pub value: Range<usize>,
    /// Offset of the 8 expiry bytes, when the field has a TTL.
    pub ttl: Option<usize>,
    /// One past the record's last byte.
    pub end: usize,
}

impl Rec {
    /// The field this record describes in `buf`.
    pub fn field<'a>(&self, buf: &'a [u8]) -> Field<'a> {
        Field {
            name: &buf[self.name.clone()],
            value: &buf[self.value.clone()],
            expire_at: self.ttl.map_or(0, |t| read_u64(buf, t)),
        }
    }
}

fn read_u64(buf: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&buf[at..at + 8]);
    u64::from_le_bytes(b)
}

/// Parses the record at `at`.
pub(super) fn read(buf: &[u8], at: usize) -> Rec {
    let (h, name_start) = get_varint(buf, at);
    let name_end = name_start + (h >> 1);
    let (vlen, value_start) = get_varint(buf, name_end);
    let value_end = value_start + vlen;
    let (ttl, end) = if h & 1 == 1 {
        (Some(value_end), value_end + 8)
    } else {
        (None, value_end)
    };
    Rec {
        start: at,
        name: name_start..name_end,
        value: value_start..value_end,
        ttl,
        end,
    }
}

/// The name of the record at the start of `rec` (cheaper than [`read`]).
pub(super) fn name_of(rec: &[u8]) -> &[u8] {
    let (h, start) = get_varint(rec, 0);
    &rec[start..start + (h >> 1)]
}

/// Bytes the record of a field with these parts takes.
pub(super) fn encoded_len(name: usize, value: usize, expire_at: u64) -> usize {
    let ttl = if expire_at != 0 { 8 } else { 0 };
    varint_len(name << 1) + name + varint_len(value) + value + ttl
}

/// Appends the record of a field (`expire_at` 0: no TTL).
pub(super) fn encode_into(out: &mut Vec<u8>, name: &[u8], value: &[u8], expire_at: u64) {
    put_varint(out, name.len() << 1 | usize::from(expire_at != 0));
    out.extend_from_slice(name);
    put_varint(out, value.len());
    out.extend_from_slice(value);
    if expire_at != 0 {
        out.extend_from_slice(&expire_at.to_le_bytes());
    }
}

/// The record of a field in an allocation of its own (the big encoding).
pub(super) fn encode(name: &[u8], value: &[u8], expire_at: u64) -> Box<[u8]> {
    let mut v = Vec::with_capacity(encoded_len(name.len(), value.len(), expire_at));
    encode_into(&mut v, name, value, expire_at);
    v.into_boxed_slice()
}

/// Fields packed back to back in insertion order in one buffer.
#[derive(Debug, Clone, Default)]
pub(super) struct Pack {
    buf: Vec<u8>,
    len: usize,
}

impl Pack {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Heap bytes of the buffer.
    pub fn heap_size(&self) -> usize {
        alloc_cost(self.buf.capacity())
    }

    /// The record of the field named `name`.
    pub fn find(&self, name: &[u8]) -> Option<Rec> {
        let buf = &self.buf[..];
        let mut at = 0;
        while at < buf.len() {
            let (h, name_start) = get_varint(buf, at);
            let name_end = name_start + (h >> 1);
            if h >> 1 == name.len() && &buf[name_start..name_end] == name {
                return Some(read(buf, at));
            }
            let (vlen, value_start) = get_varint(buf, name_end);
            at = value_start + vlen + if h & 1 == 1 { 8 } else { 0 };
        }
        None
    }

    /// The field at `rec`.
    pub fn field(&self, rec: &Rec) -> Field<'_> {
        rec.field(&self.buf)
    }

    /// The field named `name`.
    pub fn get(&self, name: &[u8]) -> Option<Field<'_>> {
        self.find(name).map(|r| r.field(&self.buf))
    }

    /// Every field in insertion order.
    pub fn iter(&self) -> PackIter<'_> {
        PackIter { buf: &self.buf, at: 0 }
    }

    /// Every field's raw record, in insertion order.
    pub fn records(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            (at < self.buf.len()).then(|| {
                let r = read(&self.buf, at);
                at = r.end;
                &self.buf[r.start..r.end]
            })
        })
    }

    /// Makes room for `more` bytes, growing by at least an eighth so a
    /// run of appends does not reallocate every time, yet never leaving
    /// much slack (the buffer is the whole point of this encoding).
    fn reserve(&mut self, more: usize) {
        if self.buf.capacity() - self.buf.len() < more {
            self.buf.reserve_exact(more.max(self.buf.len() / 8));
        }
    }

    /// Gives back spare capacity after a shrink once it is worth a realloc.
    fn trim(&mut self) {
        if self.buf.capacity() - self.buf.len() > (self.buf.len() / 4).max(64) {
            self.buf.shrink_to_fit();
        }
    }

    /// Appends a field known to be absent.
    pub fn push(&mut self, name: &[u8], value: &[u8], expire_at: u64) {
        self.reserve(encoded_len(name.len(), value.len(), expire_at));
        encode_into(&mut self.buf, name, value, expire_at);
        self.len += 1;
    }

    /// Rewrites the field at `rec` with `value` and `expire_at`, in place.
    pub fn rewrite(&mut self, rec: &Rec, value: &[u8], expire_at: u64) {
        let name_len = rec.name.len();
        let new_len = encoded_len(name_len, value.len(), expire_at);
        let old_len = rec.end - rec.start;
        if new_len > old_len {
            self.reserve(new_len - old_len);
        }
        let mut tmp = Vec::with_capacity(new_len);
        encode_into(&mut tmp, &self.buf[rec.name.clone()], value, expire_at);
        if new_len == old_len {
            self.buf[rec.start..rec.end].copy_from_slice(&tmp);
        } else {
            self.buf.splice(rec.start..rec.end, tmp);
            if new_len < old_len {
                self.trim();
            }
        }
    }

    /// Sets the expiry of the field at `rec` (0 removes it).
    pub fn set_expiry(&mut self, rec: &Rec, expire_at: u64) {
        match rec.ttl {
            Some(t) if expire_at != 0 => self.buf[t..t + 8].copy_from_slice(&expire_at.to_le_bytes()),
            None if expire_at == 0 => {}
            _ => {
                let value = self.buf[rec.value.clone()].to_vec();
                self.rewrite(rec, &value, expire_at);
            }
        }
    }

    /// Removes the field named `name`; true if it existed.
    pub fn remove(&mut self, name: &[u8]) -> bool {
        let Some(r) = self.find(name) else {
            return false;
        };
        self.buf.drain(r.start..r.end);
        self.len -= 1;
        self.trim();
        true
    }

    /// Keeps the fields `keep` accepts, in order; returns how many went.
    pub fn retain(&mut self, mut keep: impl FnMut(Field<'_>) -> bool) -> usize {
        let (mut read_at, mut write_at, mut removed) = (0, 0, 0);
        while read_at < self.buf.len() {
            let r = read(&self.buf, read_at);
            let n = r.end - r.start;
            if keep(r.field(&self.buf)) {
                if write_at != read_at {
                    self.buf.copy_within(r.start..r.end, write_at);
                }
                write_at += n;
            } else {
                removed += 1;
            }
            read_at = r.end;
        }
        self.buf.truncate(write_at);
        self.len -= removed;
        if removed > 0 {
            self.trim();
        }
        removed
    }
}

/// The fields of a [`Pack`] in order.
#[derive(Debug, Clone)]
pub(super) struct PackIter<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Iterator for PackIter<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        if self.at >= self.buf.len() {
            return None;
        }
        let r = read(self.buf, self.at);
        self.at = r.end;
        Some(r.field(self.buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn records_round_trip_with_long_names_and_ttls() {
        let long = vec![b'x'; 300];
        for (name, value, at) in [
            (&b""[..], &b""[..], 0u64),
            (b"f", b"v", 7),
            (&long[..], b"", 0),
            (b"n", &long[..], u64::MAX),
        ] {
            let rec = encode(name, value, at);
            assert_eq!(rec.len(), encoded_len(name.len(), value.len(), at));
            let r = read(&rec, 0);
            assert_eq!(r.end, rec.len());
            assert_eq!(
                r.field(&rec),
                Field {
                    name,
                    value,
                    expire_at: at
                }
            );
            assert_eq!(name_of(&rec), name);
        }
    }

    #[test]
    fn small_fields_cost_two_bytes_over_their_contents() {
        assert_eq!(encoded_len(2, 2, 0), 6);
        assert_eq!(encoded_len(63, 127, 0), 192);
        assert_eq!(encoded_len(64, 128, 0), 196);
        assert_eq!(encoded_len(2, 2, 5), 14);
    }

    #[test]
    fn rewrite_and_expiry_changes_keep_neighbours_intact() {
        let mut p = Pack::default();
        p.push(b"a", b"1", 0);
        p.push(b"b", b"2", 0);
        p.push(b"c", b"3", 0);
        let r = p.find(b"b").unwrap();
        p.set_expiry(&r, 99);
        let r = p.find(b"b").unwrap();
        p.rewrite(&r, b"a much longer value", 99);
        let r = p.find(b"a").unwrap();
        p.rewrite(&r, b"", 0);
        let got: Vec<_> = p
            .iter()
            .map(|f| (f.name.to_vec(), f.value.to_vec(), f.expire_at))
            .collect();
        assert_eq!(
            got,
            [
                (b"a".to_vec(), b"".to_vec(), 0),
                (b"b".to_vec(), b"a much longer value".to_vec(), 99),
                (b"c".to_vec(), b"3".to_vec(), 0)
            ]
        );
        let r = p.find(b"b").unwrap();
        p.set_expiry(&r, 0);
        assert_eq!(p.get(b"b").map(|f| f.expire_at), Some(0));
        assert_eq!(p.records().count(), 3);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Set(u8, Vec<u8>, bool),
        Remove(u8),
        Expire(u8, u64),
        Purge(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..12, proptest::collection::vec(any::<u8>(), 0..200), any::<bool>())
                .prop_map(|(n, v, k)| Op::Set(n, v, k)),
            (0u8..12).prop_map(Op::Remove),
            (0u8..12, 0u64..20).prop_map(|(n, t)| Op::Expire(n, t)),
            (0u64..20).prop_map(Op::Purge),
        ]
    }

    /// A name of any length up to 299 bytes, so long-varint names appear.
    fn name(n: u8) -> Vec<u8> {
        vec![b'a' + n; usize::from(n) * 27 + 1]
    }

    proptest! {
        #[test]
        fn pack_agrees_with_a_vec_model(ops in proptest::collection::vec(op(), 1..80)) {
            let mut p = Pack::default();
            let mut model: Vec<(Vec<u8>, Vec<u8>, u64)> = Vec::new();
            for op in ops {
                match op {
                    Op::Set(n, v, keep_ttl) => {
                        let name = name(n);
                        match (p.find(&name), model.iter_mut().find(|f| f.0 == name)) {
                            (Some(r), Some(m)) => {
                                let at = if keep_ttl { m.2 } else { 0 };
                                p.rewrite(&r, &v, at);
                                m.1 = v;
                                m.2 = at;
                            }
                            (None, None) => {
                                p.push(&name, &v, 0);
                                model.push((name, v, 0));
                            }
                            (r, m) => prop_assert!(false, "pack {r:?} vs model {m:?}"),
                        }
                    }
                    Op::Remove(n) => {
                        let name = name(n);
                        let before = model.len();
                        model.retain(|f| f.0 != name);
                        prop_assert_eq!(p.remove(&name), before != model.len());
                    }
                    Op::Expire(n, t) => {
                        let name = name(n);
                        if let Some(r) = p.find(&name) {
                            p.set_expiry(&r, t);
                        }
                        if let Some(m) = model.iter_mut().find(|f| f.0 == name) {
                            m.2 = t;
                        }
                    }
                    Op::Purge(now) => {
                        let before = model.len();
                        model.retain(|f| f.2 == 0 || f.2 >= now);
                        prop_assert_eq!(p.retain(|f| f.expire_at == 0 || f.expire_at >= now), before - model.len());
                    }
                }
                prop_assert_eq!(p.len(), model.len());
                let got: Vec<_> = p.iter().map(|f| (f.name.to_vec(), f.value.to_vec(), f.expire_at)).collect();
                prop_assert_eq!(&got, &model);
                for (name, value, at) in &model {
                    let f = p.get(name);
                    prop_assert_eq!(f.map(|f| (f.value, f.expire_at)), Some((&value[..], *at)));
                }
                prop_assert!(p.get(b"absent").is_none());
                let bytes: usize = model.iter().map(|(n, v, t)| encoded_len(n.len(), v.len(), *t)).sum();
                prop_assert_eq!(p.buf.len(), bytes);
            }
        }
    }
}
