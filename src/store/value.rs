//! Values: the Redis data types with compact encodings. Strings keep
//! Redis's three encodings (`int`, `embstr`, `raw`) because `OBJECT ENCODING`
//! reports them and integers stored as `i64` make counters cheap.

use super::types::alloc_cost;
pub use super::types::{Hash, List, Set, Stream, ZSet};

/// Longest string Redis stores as `embstr`.
pub const EMBSTR_MAX: usize = 44;

/// Longest string kept inside the value itself (no allocation): an
/// `embstr` as Redis reports it.
pub const STR_INLINE: usize = 22;

/// A string value.
#[derive(Debug, Clone)]
pub enum Str {
    /// A canonical decimal integer (Redis's `int` encoding).
    Int(i64),
    /// Up to [`STR_INLINE`] freshly written bytes, `buf[..len]` (`embstr`).
    Inline { len: u8, buf: [u8; STR_INLINE] },
    /// Bytes; `raw` is true once the value was modified in place
    /// (`APPEND`, `SETRANGE`), which Redis reports as `raw` whatever its length.
    Bytes { data: Vec<u8>, raw: bool },
}

impl PartialEq for Str {
    /// Same encoding class (int / not raw / raw) and same bytes: whether
    /// short bytes sit inline or in a buffer is no part of the value.
    fn eq(&self, other: &Str) -> bool {
        match (self, other) {
            (Str::Int(a), Str::Int(b)) => a == b,
            (Str::Int(_), _) | (_, Str::Int(_)) => false,
            (a, b) => a.is_raw() == b.is_raw() && a.with_bytes(|x| b.with_bytes(|y| x == y)),
        }
    }
}

impl Eq for Str {}

/// `data` inline when it fits. HyperLogLog-looking strings (`HYLL`
/// header) stay in a buffer: the HLL commands read them as `Str::Bytes`.
fn inline(data: &[u8]) -> Option<Str> {
    if data.len() > STR_INLINE || data.starts_with(b"HYLL") {
        return None;
    }
    let mut buf = [0; STR_INLINE];
    buf[..data.len()].copy_from_slice(data);
    Some(Str::Inline {
        len: data.len() as u8,
        buf,
    })
}

impl Str {
    /// Encodes freshly written bytes as Redis's `tryObjectEncoding` would.
    pub fn from_bytes(data: Vec<u8>) -> Str {
        if data.len() <= 20 {
            if let Some(n) = crate::num::parse_ll(&data) {
                return Str::Int(n);
            }
        }
        inline(&data).unwrap_or(Str::Bytes { data, raw: false })
    }

    /// Encodes bytes borrowed from a request.
    pub fn from_slice(data: &[u8]) -> Str {
        if data.len() <= 20 {
            if let Some(n) = crate::num::parse_ll(data) {
                return Str::Int(n);
            }
        }
        inline(data).unwrap_or_else(|| Str::Bytes {
            data: data.to_vec(),
            raw: false,
        })
    }

    /// Bytes stored as printed, never as an integer (Redis's
    /// `createStringObject`), `embstr` or `raw` by length.
    pub fn plain(data: Vec<u8>) -> Str {
        inline(&data).unwrap_or(Str::Bytes { data, raw: false })
    }

    fn is_raw(&self) -> bool {
        matches!(self, Str::Bytes { raw: true, .. })
    }

    /// Length in bytes of the string form.
    pub fn len(&self) -> usize {
        match self {
            Str::Int(n) => itoa::Buffer::new().format(*n).len(),
            Str::Inline { len, .. } => usize::from(*len),
            Str::Bytes { data, .. } => data.len(),
        }
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with the string's bytes without allocating.
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Str::Int(n) => f(itoa::Buffer::new().format(*n).as_bytes()),
            Str::Inline { len, buf } => f(buf.get(..usize::from(*len)).unwrap_or_default()),
            Str::Bytes { data, .. } => f(data),
        }
    }

    /// The string's bytes as an owned vector.
    pub fn to_vec(&self) -> Vec<u8> {
        self.with_bytes(|b| b.to_vec())
    }

    /// Turns the value into mutable raw bytes (for `APPEND`/`SETRANGE`).
    pub fn make_raw(&mut self) -> &mut Vec<u8> {
        if !matches!(self, Str::Bytes { .. }) {
            *self = Str::Bytes {
                data: self.to_vec(),
                raw: true,
            };
        }
        match self {
            Str::Bytes { data, raw } => {
                *raw = true;
                data
            }
            Str::Int(_) | Str::Inline { .. } => unreachable!("converted above"),
        }
    }

    /// The `OBJECT ENCODING` name.
    pub fn encoding(&self) -> &'static str {
        match self {
            Str::Int(_) => "int",
            Str::Inline { .. } => "embstr",
            Str::Bytes { data, raw } => {
                if !*raw && data.len() <= EMBSTR_MAX {
                    "embstr"
                } else {
                    "raw"
                }
            }
        }
    }

    /// Heap bytes held: the byte buffer's allocation as malloc rounds it.
    pub fn heap_size(&self) -> usize {
        match self {
            Str::Int(_) | Str::Inline { .. } => 0,
            Str::Bytes { data, .. } => alloc_cost(data.capacity()),
        }
    }
}

/// A stored value. Containers are boxed so that a key holding a small
/// string pays for a string, not for the largest container header.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string (also bitmaps and HyperLogLogs, as in Redis).
    Str(Str),
    /// A hash.
    Hash(Box<Hash>),
    /// A list.
    List(Box<List>),
    /// A set.
    Set(Box<Set>),
    /// A sorted set (also geo indexes).
    ZSet(Box<ZSet>),
    /// A stream.
    Stream(Box<Stream>),
}

/// The type of a value as `TYPE` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `string`
    String,
    /// `list`
    List,
    /// `set`
    Set,
    /// `zset`
    ZSet,
    /// `hash`
    Hash,
    /// `stream`
    Stream,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::String,
        Kind::List,
        Kind::Set,
        Kind::ZSet,
        Kind::Hash,
        Kind::Stream,
    ];

    /// The name `TYPE` and `SCAN ... TYPE` use.
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::List => "list",
            Kind::Set => "set",
            Kind::ZSet => "zset",
            Kind::Hash => "hash",
            Kind::Stream => "stream",
        }
    }

    /// Parses a `SCAN ... TYPE` argument (case-insensitive).
    pub fn from_name(name: &[u8]) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| name.eq_ignore_ascii_case(k.name().as_bytes()))
    }
}

impl Value {
    /// The value's type.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Str(_) => Kind::String,
            Value::Hash(_) => Kind::Hash,
            Value::List(_) => Kind::List,
            Value::Set(_) => Kind::Set,
            Value::ZSet(_) => Kind::ZSet,
            Value::Stream(_) => Kind::Stream,
        }
    }

    /// The `OBJECT ENCODING` name.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str(s) => s.encoding(),
            Value::Hash(h) => h.encoding(),
            Value::List(l) => l.encoding(),
            Value::Set(s) => s.encoding(),
            Value::ZSet(z) => z.encoding(),
            Value::Stream(s) => s.encoding(),
        }
    }

    /// Approximate heap bytes held (used for `used_memory` and `MEMORY USAGE`):
    /// a container's box counts at its malloc chunk size.
    pub fn heap_size(&self) -> usize {
        match self {
            Value::Str(s) => s.heap_size(),
            Value::Hash(h) => alloc_cost(std::mem::size_of::<Hash>()) + h.heap_size(),
            Value::List(l) => alloc_cost(std::mem::size_of::<List>()) + l.heap_size(),
            Value::Set(s) => alloc_cost(std::mem::size_of::<Set>()) + s.heap_size(),
            Value::ZSet(z) => alloc_cost(std::mem::size_of::<ZSet>()) + z.heap_size(),
            Value::Stream(s) => alloc_cost(std::mem::size_of::<Stream>()) + s.heap_size(),
        }
    }
}

const _: () = assert!(std::mem::size_of::<Str>() == 32 && std::mem::size_of::<Value>() == 32);
