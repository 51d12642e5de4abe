//! The `DUMP`/`RESTORE` payload: our own format, shaped like Redis's.
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

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::store::types::stream::{StreamDump, StreamId};
use crate::store::value::{Hash, List, Set, Stream, ZSet};
use crate::store::{Limits, Str, Value};

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

/// Encodes `value` as a `DUMP` payload.
pub fn encode(value: &Value) -> Vec<u8> {
    let payload = match value {
        Value::Str(s) => Payload::String(Cow::Owned(s.to_vec())),
        Value::Hash(h) => Payload::Hash(
            h.dump_entries()
                .into_iter()
                .map(|(f, v, at)| (Cow::Owned(f), Cow::Owned(v), at))
                .collect(),
        ),
        Value::List(l) => Payload::List(l.dump_items().into_iter().map(Cow::Owned).collect()),
        Value::Set(st) => Payload::Set(st.dump_items().into_iter().map(Cow::Owned).collect()),
        Value::ZSet(z) => Payload::ZSet(z.dump_items().into_iter().map(|(m, sc)| (Cow::Owned(m), sc)).collect()),
        Value::Stream(st) => Payload::Stream(Box::new(StreamPayload::of(st))),
    };
    // Encoding plain data into a vector cannot fail; an empty body would
    // only make RESTORE answer "Bad data format".
    let mut out = postcard::to_stdvec(&payload).unwrap_or_default();
    out.extend_from_slice(&VERSION.to_le_bytes());
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
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
