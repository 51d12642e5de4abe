//! Values: the Redis data types with compact encodings. Strings keep
//! Redis's three encodings (`int`, `embstr`, `raw`) because `OBJECT ENCODING`
//! reports them and integers stored as `i64` make counters cheap.

use super::types::alloc_cost;
pub use super::types::{Hash, List, Set, Stream, ZSet};

/// Longest string Redis stores as `embstr`.
pub const EMBSTR_MAX: usize = 44;

/// A string value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Str {
    /// A canonical decimal integer (Redis's `int` encoding).
    Int(i64),
    /// Bytes; `raw` is true once the value was modified in place
    /// (`APPEND`, `SETRANGE`), which Redis reports as `raw` whatever its length.
    Bytes { data: Vec<u8>, raw: bool },
}

impl Str {
    /// Encodes freshly written bytes as Redis's `tryObjectEncoding` would.
    pub fn from_bytes(data: Vec<u8>) -> Str {
        if data.len() <= 20 {
            if let Some(n) = crate::num::parse_ll(&data) {
                return Str::Int(n);
            }
        }
        Str::Bytes { data, raw: false }
    }

    /// Encodes bytes borrowed from a request.
    pub fn from_slice(data: &[u8]) -> Str {
        if data.len() <= 20 {
            if let Some(n) = crate::num::parse_ll(data) {
                return Str::Int(n);
            }
        }
        Str::Bytes {
            data: data.to_vec(),
            raw: false,
        }
    }

    /// Length in bytes of the string form.
    pub fn len(&self) -> usize {
        match self {
            Str::Int(n) => itoa::Buffer::new().format(*n).len(),
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
            Str::Bytes { data, .. } => f(data),
        }
    }

    /// The string's bytes as an owned vector.
    pub fn to_vec(&self) -> Vec<u8> {
        self.with_bytes(|b| b.to_vec())
    }

    /// Turns the value into mutable raw bytes (for `APPEND`/`SETRANGE`).
    pub fn make_raw(&mut self) -> &mut Vec<u8> {
        if let Str::Int(n) = *self {
            *self = Str::Bytes {
                data: itoa::Buffer::new().format(n).as_bytes().to_vec(),
                raw: true,
            };
        }
        match self {
            Str::Bytes { data, raw } => {
                *raw = true;
                data
            }
            Str::Int(_) => unreachable!("converted above"),
        }
    }

    /// The `OBJECT ENCODING` name.
    pub fn encoding(&self) -> &'static str {
        match self {
            Str::Int(_) => "int",
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
            Str::Int(_) => 0,
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
