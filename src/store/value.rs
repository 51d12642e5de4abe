//! Values: the Redis data types with compact encodings. Strings keep
//! Redis's three encodings (`int`, `embstr`, `raw`) because `OBJECT ENCODING`
//! reports them and integers stored as `i64` make counters cheap.

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

    /// Approximate heap bytes held.
    pub fn heap_size(&self) -> usize {
        match self {
            Str::Int(_) => 0,
            Str::Bytes { data, .. } => data.capacity(),
        }
    }
}

/// A stored value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string.
    Str(Str),
}

/// The type of a value as `TYPE` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `string`
    String,
}

impl Kind {
    /// The name `TYPE` and `SCAN ... TYPE` use.
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
        }
    }

    /// Parses a `SCAN ... TYPE` argument (case-insensitive).
    pub fn from_name(name: &[u8]) -> Option<Kind> {
        if name.eq_ignore_ascii_case(b"string") {
            Some(Kind::String)
        } else {
            None
        }
    }
}

impl Value {
    /// The value's type.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Str(_) => Kind::String,
        }
    }

    /// The `OBJECT ENCODING` name.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str(s) => s.encoding(),
        }
    }

    /// Approximate heap bytes held (used for `used_memory` and `MEMORY USAGE`).
    pub fn heap_size(&self) -> usize {
        match self {
            Value::Str(s) => s.heap_size(),
        }
    }
}
