//! The value codec: the `DUMP`/`RESTORE` payload (our own format, shaped
//! like Redis's), also the record body of slot exports and snapshots.
//!
//! A payload is the value's postcard encoding, then a 2-byte format version
//! (little endian) and an 8-byte checksum: the CRC-32 of everything before
//! it as a little-endian u64. Payloads are not interchangeable with Redis's;
//! a Redis payload fails the version/checksum test like any corrupt one.
//!
//! Decoding never trusts the bytes: the checksum only catches accidents, so
//! the encoded form is plain data (byte strings, lists of them) and values
//! are rebuilt through their ordinary constructors, never deserialized
//! straight into internal representations whose invariants a crafted
//! payload could break.
//!
//! Slot streams ([`StreamWriter`], [`StreamReader`]) frame many keys for
//! slot migration and snapshots: a header (magic `SHOALSLT`, a format
//! version, the slot range), one record per key (its bytes, its absolute
//! expiry and its value as a payload above, each length-prefixed), and a
//! trailer (the record count and the CRC-32 of every byte before it). All
//! integers are little endian:
//!
//! ```text
//! header   "SHOALSLT" | version u16 | first slot u16 | last slot u16
//! record   0x01 | key len u32 | key | expire_at u64 (0 = none) | payload len u32 | payload
//! trailer  0x00 | record count u64 | crc32 u32
//! ```
//!
//! Writers emit the stream in chunks of about [`STREAM_CHUNK`] bytes and
//! never hold more than a chunk (plus one record); readers hold one record
//! at a time and never allocate more than the bytes actually present.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::types::stream::{StreamDump, StreamId};
use super::value::{Hash, List, Set, Stream, ZSet};
use super::{Limits, Str, Value};

/// The payload format version written and accepted.
pub const VERSION: u16 = 1;

/// Bytes after the encoded value: version (2) and checksum (8).
const TRAILER: usize = 10;

/// Why a payload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadError {
    /// Too short, another version, or the checksum does not match
    /// (`ERR DUMP payload version or checksum are wrong`).
    VersionOrChecksum,
    /// The checksum holds but the contents do not decode (`ERR Bad data format`).
    BadFormat,
}

/// One hash field in a payload: (field, value, field expiry in Unix ms or 0).
type HashField<'a> = (Cow<'a, [u8]>, Cow<'a, [u8]>, u64);

/// The encoded form of a value: plain data only.
#[derive(Debug, Serialize, Deserialize)]
enum Payload<'a> {
    String(#[serde(borrow)] Cow<'a, [u8]>),
    Hash(#[serde(borrow)] Vec<HashField<'a>>),
    List(#[serde(borrow)] Vec<Cow<'a, [u8]>>),
    Set(#[serde(borrow)] Vec<Cow<'a, [u8]>>),
    ZSet(#[serde(borrow)] Vec<(Cow<'a, [u8]>, f64)>),
    Stream(Box<StreamPayload>),
}

/// A stream id in a payload: (ms, seq).
type IdPair = (u64, u64);

/// One node of a stream in a payload: (id, deleted, fields and values) per entry.
type StreamNodePayload = Vec<(IdPair, bool, Vec<Vec<u8>>)>;

/// A stream in a payload: nodes of (id, deleted, fields and values), the
/// stream's counters, and its groups.
#[derive(Debug, Serialize, Deserialize)]
struct StreamPayload {
    nodes: Vec<StreamNodePayload>,
    last_id: IdPair,
    first_id: IdPair,
    max_deleted_id: IdPair,
    entries_added: u64,
    /// (name, last id, entries read, PEL of (id, consumer, delivery time,
    /// delivery count), consumers of (name, seen time)).
    groups: Vec<StreamGroupPayload>,
}

type StreamGroupPayload = (
    Vec<u8>,
    IdPair,
    i64,
    Vec<(IdPair, Vec<u8>, i64, u64)>,
    Vec<(Vec<u8>, i64)>,
);

fn pair(id: StreamId) -> IdPair {
    (id.ms, id.seq)
}

fn unpair((ms, seq): IdPair) -> StreamId {
    StreamId::new(ms, seq)
}

impl StreamPayload {
    fn of(s: &Stream) -> StreamPayload {
        let d = s.dump();
        StreamPayload {
            nodes: d
                .nodes
                .into_iter()
                .map(|n| n.into_iter().map(|(id, del, data)| (pair(id), del, data)).collect())
                .collect(),
            last_id: pair(d.last_id),
            first_id: pair(d.first_id),
            max_deleted_id: pair(d.max_deleted_id),
            entries_added: d.entries_added,
            groups: d
                .groups
                .into_iter()
                .map(|(name, last, read, pel, consumers)| {
                    let pel = pel.into_iter().map(|(id, c, t, n)| (pair(id), c, t, n)).collect();
                    (name, pair(last), read, pel, consumers)
                })
                .collect(),
        }
    }

    fn into_stream(self) -> Option<Stream> {
        Stream::from_dump(StreamDump {
            nodes: self
                .nodes
                .into_iter()
                .map(|n| n.into_iter().map(|(id, del, data)| (unpair(id), del, data)).collect())
                .collect(),
            last_id: unpair(self.last_id),
            first_id: unpair(self.first_id),
            max_deleted_id: unpair(self.max_deleted_id),
            entries_added: self.entries_added,
            groups: self
                .groups
                .into_iter()
                .map(|(name, last, read, pel, consumers)| {
                    let pel = pel.into_iter().map(|(id, c, t, n)| (unpair(id), c, t, n)).collect();
                    (name, unpair(last), read, pel, consumers)
                })
                .collect(),
        })
    }
}

fn owned(items: Vec<Cow<'_, [u8]>>) -> Vec<Vec<u8>> {
    items.into_iter().map(Cow::into_owned).collect()
}

fn checksum(data: &[u8]) -> u64 {
    u64::from(crc32fast::hash(data))
}

/// Encodes `value` as a `DUMP` payload. The payload is a function of the
/// value's contents and encoding only: members of hash-table sets and
/// fields of hash-table hashes are written sorted by their bytes (their
/// table order depends on insertion history and the dataset seed), so
/// equal values give equal payloads on every replica and after a restore.
/// Ordered encodings (intsets, listpacks, lists, sorted sets, streams) keep
/// their order, which is part of the value.
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(value, &mut out);
    out
}

/// [`encode`] into `out` (cleared first), reusing its allocation: the slot
/// stream writer encodes every record through one buffer.
pub fn encode_into(value: &Value, out: &mut Vec<u8>) {
    out.clear();
    let buf = std::mem::take(out);
    // Encoding plain data into a vector cannot fail; an empty body would
    // only make RESTORE answer "Bad data format".
    let body = match value {
        // Strings are written from their bytes in place, without a copy.
        Value::Str(s) => s.with_bytes(|b| postcard::to_extend(&Payload::String(Cow::Borrowed(b)), buf)),
        other => postcard::to_extend(&payload_of(other), buf),
    };
    *out = body.unwrap_or_default();
    out.extend_from_slice(&VERSION.to_le_bytes());
    let sum = checksum(out);
    out.extend_from_slice(&sum.to_le_bytes());
}

/// The encoded form of a value.
fn payload_of(value: &Value) -> Payload<'static> {
    match value {
        Value::Str(s) => Payload::String(Cow::Owned(s.to_vec())),
        Value::Hash(h) => {
            let mut entries = h.dump_entries();
            if !h.is_listpack() {
                // A hash table's order depends on its history; see `encode`.
                entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            }
            Payload::Hash(
                entries
                    .into_iter()
                    .map(|(f, v, at)| (Cow::Owned(f), Cow::Owned(v), at))
                    .collect(),
            )
        }
        Value::List(l) => Payload::List(l.dump_items().into_iter().map(Cow::Owned).collect()),
        Value::Set(st) => {
            let mut items = st.dump_items();
            if !st.is_intset() {
                items.sort_unstable();
            }
            Payload::Set(items.into_iter().map(Cow::Owned).collect())
        }
        Value::ZSet(z) => Payload::ZSet(z.dump_items().into_iter().map(|(m, sc)| (Cow::Owned(m), sc)).collect()),
        Value::Stream(st) => Payload::Stream(Box::new(StreamPayload::of(st))),
    }
}

/// Decodes a `RESTORE` payload into a value.
pub fn decode(payload: &[u8], limits: &Limits) -> Result<Value, PayloadError> {
    let Some(split) = payload.len().checked_sub(TRAILER) else {
        return Err(PayloadError::VersionOrChecksum);
    };
    let (signed, sum) = payload.split_at(payload.len() - 8);
    let (body, version) = signed.split_at(split);
    let version = u16::from_le_bytes([version[0], version[1]]);
    let mut sum_bytes = [0u8; 8];
    sum_bytes.copy_from_slice(sum);
    if version != VERSION || u64::from_le_bytes(sum_bytes) != checksum(signed) {
        return Err(PayloadError::VersionOrChecksum);
    }
    let (decoded, rest) = postcard::take_from_bytes::<Payload<'_>>(body).map_err(|_| PayloadError::BadFormat)?;
    if !rest.is_empty() {
        return Err(PayloadError::BadFormat);
    }
    Ok(match decoded {
        Payload::String(bytes) => Value::Str(Str::from_bytes(bytes.into_owned())),
        // Containers are rebuilt through their constructors, which refuse
        // empty or inconsistent contents (duplicates, NaN scores).
        Payload::Hash(entries) => {
            let entries = entries
                .into_iter()
                .map(|(f, v, at)| (f.into_owned(), v.into_owned(), at))
                .collect();
            Value::Hash(Box::new(
                Hash::from_dump(entries, limits).ok_or(PayloadError::BadFormat)?,
            ))
        }
        Payload::List(items) => Value::List(Box::new(
            List::from_dump(owned(items), limits).ok_or(PayloadError::BadFormat)?,
        )),
        Payload::Set(items) => Value::Set(Box::new(
            Set::from_dump(owned(items), limits).ok_or(PayloadError::BadFormat)?,
        )),
        Payload::ZSet(items) => {
            let items = items.into_iter().map(|(m, sc)| (m.into_owned(), sc)).collect();
            Value::ZSet(Box::new(ZSet::from_dump(items, limits).ok_or(PayloadError::BadFormat)?))
        }
        Payload::Stream(s) => Value::Stream(Box::new(s.into_stream().ok_or(PayloadError::BadFormat)?)),
    })
}

/// The first bytes of a slot stream.
pub const STREAM_MAGIC: [u8; 8] = *b"SHOALSLT";

/// The slot stream format version written and accepted.
pub const STREAM_VERSION: u16 = 1;

/// Bytes a [`StreamWriter`] gathers before handing them to its sink.
pub const STREAM_CHUNK: usize = 64 * 1024;

/// Longest key a stream may carry (Redis's `proto-max-bulk-len`).
const MAX_KEY_LEN: u32 = 512 * 1024 * 1024;

const TAG_RECORD: u8 = 1;
const TAG_END: u8 = 0;

/// Why a slot stream was refused.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// Reading the source failed.
    #[error("slot stream read failed: {0}")]
    Io(io::Error),
    /// The stream does not start with [`STREAM_MAGIC`].
    #[error("not a slot stream (bad magic)")]
    BadMagic,
    /// The stream is of a format version this build does not read.
    #[error("unsupported slot stream version {0}")]
    Version(u16),
    /// The header's slot range is empty or past the last slot.
    #[error("bad slot range {first}-{last} in slot stream header")]
    BadRange {
        /// First slot of the header.
        first: u16,
        /// Last slot of the header.
        last: u16,
    },
    /// The stream ended before its trailer.
    #[error("slot stream truncated")]
    Truncated,
    /// A record is malformed (unknown tag, oversized key).
    #[error("malformed slot stream record")]
    BadRecord,
    /// The trailer's count or checksum does not match, or bytes follow it.
    #[error("slot stream checksum or record count mismatch")]
    Checksum,
    /// A record's key hashes to a slot outside the header's range.
    #[error("slot stream key of slot {0} outside the declared range")]
    SlotOutOfRange(u16),
    /// A record's value payload was refused.
    #[error("slot stream value payload refused: {0:?}")]
    Payload(PayloadError),
}

impl From<io::Error> for StreamError {
    fn from(e: io::Error) -> StreamError {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            StreamError::Truncated
        } else {
            StreamError::Io(e)
        }
    }
}

/// Writes a slot stream to a sink in chunks; see the module documentation.
/// Call [`StreamWriter::finish`] to write the trailer: a stream without one
/// is refused by readers.
pub struct StreamWriter<'w, W: Write> {
    sink: &'w mut W,
    buf: Vec<u8>,
    /// One record's payload, reused.
    payload: Vec<u8>,
    crc: crc32fast::Hasher,
    records: u64,
}

impl<'w, W: Write> StreamWriter<'w, W> {
    /// Starts a stream of the keys of `range` (slots, inclusive).
    pub fn new(sink: &'w mut W, range: &RangeInclusive<u16>) -> StreamWriter<'w, W> {
        let mut buf = Vec::with_capacity(STREAM_CHUNK + 1024);
        buf.extend_from_slice(&STREAM_MAGIC);
        buf.extend_from_slice(&STREAM_VERSION.to_le_bytes());
        buf.extend_from_slice(&range.start().to_le_bytes());
        buf.extend_from_slice(&range.end().to_le_bytes());
        StreamWriter {
            sink,
            buf,
            payload: Vec::new(),
            crc: crc32fast::Hasher::new(),
            records: 0,
        }
    }

    /// Appends one key's record, passing a full chunk on to the sink.
    pub fn record(&mut self, key: &[u8], expire_at: u64, value: &Value) -> io::Result<()> {
        encode_into(value, &mut self.payload);
        let payload = &self.payload;
        let too_long = || io::Error::new(io::ErrorKind::InvalidInput, "record too long for a slot stream");
        let key_len = u32::try_from(key.len()).map_err(|_| too_long())?;
        let payload_len = u32::try_from(payload.len()).map_err(|_| too_long())?;
        self.buf.push(TAG_RECORD);
        self.buf.extend_from_slice(&key_len.to_le_bytes());
        self.buf.extend_from_slice(key);
        self.buf.extend_from_slice(&expire_at.to_le_bytes());
        self.buf.extend_from_slice(&payload_len.to_le_bytes());
        self.buf.extend_from_slice(payload);
        self.records += 1;
        if self.buf.len() >= STREAM_CHUNK {
            self.flush_chunk()?;
        }
        Ok(())
    }

    fn flush_chunk(&mut self) -> io::Result<()> {
        self.crc.update(&self.buf);
        self.sink.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Writes the trailer and the last chunk; returns the record count.
    pub fn finish(mut self) -> io::Result<u64> {
        self.buf.push(TAG_END);
        self.buf.extend_from_slice(&self.records.to_le_bytes());
        self.crc.update(&self.buf);
        let sum = self.crc.clone().finalize();
        self.buf.extend_from_slice(&sum.to_le_bytes());
        self.sink.write_all(&self.buf)?;
        self.buf.clear();
        self.sink.flush()?;
        Ok(self.records)
    }
}

/// One key read from a slot stream; its value is still a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamRecord {
    /// The key.
    pub key: Vec<u8>,
    /// Absolute expiry in Unix ms; 0 when persistent.
    pub expire_at: u64,
    /// The value's payload (decode with [`decode`]).
    pub payload: Vec<u8>,
}

/// Reads a slot stream record by record, checking the framing; see the
/// module documentation. Records come before the checksum is known: a
/// consumer stages them and trusts them only once [`StreamReader::next_record`]
/// has returned `Ok(None)` (trailer verified).
pub struct StreamReader<R: Read> {
    src: R,
    crc: crc32fast::Hasher,
    range: RangeInclusive<u16>,
    records: u64,
    done: bool,
}

impl<R: Read> StreamReader<R> {
    /// Reads and checks the header.
    pub fn new(src: R) -> Result<StreamReader<R>, StreamError> {
        let mut r = StreamReader {
            src,
            crc: crc32fast::Hasher::new(),
            range: 0..=0,
            records: 0,
            done: false,
        };
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic)?;
        if magic != STREAM_MAGIC {
            return Err(StreamError::BadMagic);
        }
        let version = r.u16()?;
        if version != STREAM_VERSION {
            return Err(StreamError::Version(version));
        }
        let (first, last) = (r.u16()?, r.u16()?);
        if first > last || usize::from(last) >= super::slot::SLOTS {
            return Err(StreamError::BadRange { first, last });
        }
        r.range = first..=last;
        Ok(r)
    }

    /// The slot range the header declares.
    pub fn range(&self) -> RangeInclusive<u16> {
        self.range.clone()
    }

    fn read_exact(&mut self, buf: &mut [u8]) -> Result<(), StreamError> {
        self.src.read_exact(buf)?;
        self.crc.update(buf);
        Ok(())
    }

    fn u16(&mut self) -> Result<u16, StreamError> {
        let mut b = [0u8; 2];
        self.read_exact(&mut b)?;
        Ok(u16::from_le_bytes(b))
    }

    fn u32(&mut self) -> Result<u32, StreamError> {
        let mut b = [0u8; 4];
        self.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self) -> Result<u64, StreamError> {
        let mut b = [0u8; 8];
        self.read_exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    /// `len` bytes; the buffer grows only as bytes arrive, so a lying
    /// length on a short stream costs no huge allocation.
    fn bytes(&mut self, len: u32) -> Result<Vec<u8>, StreamError> {
        let mut v = Vec::new();
        (&mut self.src).take(u64::from(len)).read_to_end(&mut v)?;
        if v.len() != len as usize {
            return Err(StreamError::Truncated);
        }
        self.crc.update(&v);
        Ok(v)
    }

    /// The next record; `Ok(None)` once the trailer was read and verified
    /// (count, checksum, nothing after it).
    pub fn next_record(&mut self) -> Result<Option<StreamRecord>, StreamError> {
        if self.done {
            return Ok(None);
        }
        let mut tag = [0u8; 1];
        self.read_exact(&mut tag)?;
        match tag[0] {
            TAG_RECORD => {
                let key_len = self.u32()?;
                if key_len > MAX_KEY_LEN {
                    return Err(StreamError::BadRecord);
                }
                let key = self.bytes(key_len)?;
                let expire_at = self.u64()?;
                let payload_len = self.u32()?;
                let payload = self.bytes(payload_len)?;
                self.records += 1;
                Ok(Some(StreamRecord {
                    key,
                    expire_at,
                    payload,
                }))
            }
            TAG_END => {
                let count = self.u64()?;
                let want = self.crc.clone().finalize();
                let mut sum = [0u8; 4];
                self.src.read_exact(&mut sum)?;
                let mut extra = [0u8; 1];
                let trailing = self.src.read(&mut extra)? != 0;
                if count != self.records || u32::from_le_bytes(sum) != want || trailing {
                    return Err(StreamError::Checksum);
                }
                self.done = true;
                Ok(None)
            }
            _ => Err(StreamError::BadRecord),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn s(b: &[u8]) -> Value {
        Value::Str(Str::from_slice(b))
    }

    #[test]
    fn strings_round_trip_with_their_encoding() {
        for v in [
            s(b""),
            s(b"12345"),
            s(b"-9223372036854775808"),
            s(b"hello"),
            s(&[0u8, 255, 13, 10]),
            s(&vec![b'x'; 100_000]),
        ] {
            let p = encode(&v);
            let back = decode(&p, &Limits::default()).unwrap();
            assert_eq!(back, v);
            assert_eq!(back.encoding(), v.encoding());
        }
    }

    #[test]
    fn payloads_are_byte_identical_to_the_format_before_the_move() {
        // Bytes written by the encoder as it was in commands/dump.rs.
        assert_eq!(
            encode(&s(b"hello")),
            [0, 5, 104, 101, 108, 108, 111, 1, 0, 10, 233, 43, 57, 0, 0, 0, 0]
        );
        assert_eq!(
            encode(&Value::Str(Str::Int(12345))),
            [0, 5, 49, 50, 51, 52, 53, 1, 0, 16, 169, 60, 75, 0, 0, 0, 0]
        );
        let mut reused = vec![1, 2, 3];
        encode_into(&s(b"hello"), &mut reused);
        assert_eq!(reused, encode(&s(b"hello")));
    }

    #[test]
    fn hash_table_payloads_do_not_depend_on_insertion_order() {
        let l = Limits {
            set_max_intset_entries: 0,
            hash_max_listpack_entries: 0,
            ..Limits::default()
        };
        let (mut a, mut b) = (Set::new(), Set::new());
        let (mut ha, mut hb) = (Hash::new(), Hash::new());
        for i in 0..500 {
            let (x, y) = (format!("m{i}"), format!("m{}", 499 - i));
            a.insert(x.as_bytes(), &l);
            b.insert(y.as_bytes(), &l);
            ha.set(x.as_bytes(), b"v", &l);
            hb.set(y.as_bytes(), b"v", &l);
        }
        let (a, b) = (Value::Set(Box::new(a)), Value::Set(Box::new(b)));
        assert_eq!(encode(&a), encode(&b));
        let restored = decode(&encode(&a), &l).unwrap();
        assert_eq!(encode(&restored), encode(&a));
        let (ha, hb) = (Value::Hash(Box::new(ha)), Value::Hash(Box::new(hb)));
        assert_eq!(encode(&ha), encode(&hb));
    }

    #[test]
    fn raw_strings_restore_with_fresh_encoding() {
        let mut raw = Str::from_slice(b"ab");
        raw.make_raw();
        let back = decode(&encode(&Value::Str(raw)), &Limits::default()).unwrap();
        assert_eq!(back.encoding(), "embstr");
    }

    #[test]
    fn short_or_tampered_payloads_are_refused() {
        let p = encode(&s(b"hello"));
        for n in 0..p.len() {
            assert_eq!(
                decode(&p[..n], &Limits::default()),
                Err(PayloadError::VersionOrChecksum),
                "prefix {n}"
            );
        }
        for i in 0..p.len() {
            let mut q = p.clone();
            q[i] ^= 0x40;
            assert_eq!(
                decode(&q, &Limits::default()),
                Err(PayloadError::VersionOrChecksum),
                "flip at {i}"
            );
        }
    }

    fn seal(body: &[u8], version: u16) -> Vec<u8> {
        let mut out = body.to_vec();
        out.extend_from_slice(&version.to_le_bytes());
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    #[test]
    fn other_versions_are_refused() {
        let body = postcard::to_stdvec(&Payload::String(Cow::Borrowed(b"x"))).unwrap();
        assert!(decode(&seal(&body, VERSION), &Limits::default()).is_ok());
        assert_eq!(
            decode(&seal(&body, VERSION + 1), &Limits::default()),
            Err(PayloadError::VersionOrChecksum)
        );
    }

    #[test]
    fn well_sealed_garbage_is_bad_format() {
        for body in [
            &b""[..],
            b"\x07",
            b"\x00\x05ab",
            b"\x00\x01ab",
            b"\x00\xff\xff\xff\xff\xff",
        ] {
            assert_eq!(
                decode(&seal(body, VERSION), &Limits::default()),
                Err(PayloadError::BadFormat),
                "{body:?}"
            );
        }
    }

    #[test]
    fn random_payloads_never_panic() {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(7);
        let good = encode(&s(b"some value"));
        for _ in 0..20_000 {
            let mut body: Vec<u8> = if rng.random_bool(0.5) {
                let mut b = good[..good.len() - TRAILER].to_vec();
                let at = rng.random_range(0..b.len());
                b[at] = rng.random();
                b.truncate(rng.random_range(0..=b.len()));
                b
            } else {
                (0..rng.random_range(0..40)).map(|_| rng.random()).collect()
            };
            if rng.random_bool(0.1) {
                body.extend_from_slice(&[0xff; 16]);
            }
            let _ = decode(&seal(&body, VERSION), &Limits::default());
            let _ = decode(&body, &Limits::default());
        }
    }
}
