//! Argument access and Redis's argument grammar: integers as `string2ll`
//! reads them, floats as `strtod` reads them (no NaN), keywords compared
//! without case.

use bytes::Bytes;

use super::CmdError;
use crate::num::parse_ll;

/// The arguments of one command; `argv[0]` is the command name.
#[derive(Debug)]
pub struct Args<'a> {
    argv: &'a [Bytes],
}

impl<'a> Args<'a> {
    /// Wraps an argument vector.
    pub fn new(argv: &'a [Bytes]) -> Self {
        Args { argv }
    }

    /// Number of arguments, the name included.
    pub fn len(&self) -> usize {
        self.argv.len()
    }

    /// Whether there are no arguments at all.
    pub fn is_empty(&self) -> bool {
        self.argv.is_empty()
    }

    /// Argument `i` (0 = name); empty if out of range.
    pub fn get(&self, i: usize) -> &'a [u8] {
        self.argv.get(i).map_or(&[], |b| &b[..])
    }

    /// Argument `i` as shared bytes (no copy).
    pub fn bytes(&self, i: usize) -> Bytes {
        self.argv.get(i).cloned().unwrap_or_default()
    }

    /// All arguments.
    pub fn all(&self) -> &'a [Bytes] {
        self.argv
    }

    /// Arguments from `i` on.
    pub fn from(&self, i: usize) -> &'a [Bytes] {
        self.argv.get(i..).unwrap_or(&[])
    }

    /// Argument `i` as a string2ll integer.
    pub fn int(&self, i: usize) -> Result<i64, CmdError> {
        parse_int(self.get(i))
    }

    /// Argument `i` as a double (no NaN).
    pub fn float(&self, i: usize) -> Result<f64, CmdError> {
        parse_float(self.get(i)).ok_or(CmdError::NotFloat)
    }

    /// Whether argument `i` equals `kw` ignoring case.
    pub fn is(&self, i: usize, kw: &str) -> bool {
        self.get(i).eq_ignore_ascii_case(kw.as_bytes())
    }
}

/// Parses an integer as Redis's `getLongLongFromObject` does.
pub fn parse_int(s: &[u8]) -> Result<i64, CmdError> {
    parse_ll(s).ok_or(CmdError::NotInteger)
}

/// Parses a double as Redis's `getDoubleFromObject` does: `strtod` over the
/// whole string (hexadecimal included), no leading space, no NaN, no overflow;
/// `inf`/`-inf` allowed.
pub fn parse_float(s: &[u8]) -> Option<f64> {
    crate::num::parse_double(s)
}
