//! Request decoding: RESP multibulk (`*N\r\n$len\r\n...`) and inline commands.
//!
//! Redis accepts only these two request shapes, not arbitrary RESP frames, and
//! its parser has exact error strings and limits that clients and test suites
//! depend on; this decoder reproduces `processMultibulkBuffer` and
//! `processInlineBuffer`. Invariants: the decoder never panics on any input,
//! never consumes bytes of an incomplete request, and rejects an oversized
//! bulk header before its payload arrives.

use bytes::{Buf, Bytes, BytesMut};

use super::error::ProtocolError;
use crate::num::parse_ll;

/// Longest inline request or count line Redis accepts without a newline.
pub const INLINE_MAX: usize = 64 * 1024;

/// Limits applied while decoding; they mirror Redis parameters.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// `proto-max-bulk-len`.
    pub max_bulk_len: i64,
    /// Largest multibulk count accepted (Redis 7: `INT_MAX`).
    pub max_multibulk_len: i64,
    /// Whether the client must still authenticate (tightens the limits).
    pub unauthenticated: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bulk_len: 512 * 1024 * 1024,
            max_multibulk_len: i32::MAX as i64,
            unauthenticated: false,
        }
    }
}

/// Incremental decoder state: a partly received multibulk request.
#[derive(Debug, Default)]
pub struct Decoder {
    /// Arguments still expected in the current multibulk (0 = none started).
    pending: usize,
    /// Length of the bulk whose header was read, if any.
    bulk_len: Option<usize>,
    argv: Vec<Bytes>,
}

/// Result of one decoding step.
#[derive(Debug, PartialEq)]
pub enum Decoded {
    /// A complete request; may be empty (Redis ignores empty requests).
    Request(Vec<Bytes>),
    /// More bytes are needed.
    Incomplete,
}

impl Decoder {
    /// Creates an idle decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one request from the front of `buf`, consuming what it uses.
    pub fn decode(&mut self, buf: &mut BytesMut, limits: &Limits) -> Result<Decoded, ProtocolError> {
        if self.pending == 0 {
            if buf.is_empty() {
                return Ok(Decoded::Incomplete);
            }
            if buf[0] != b'*' {
                return decode_inline(buf);
            }
            let Some(nl) = find_cr(buf) else {
                if buf.len() > INLINE_MAX {
                    return Err(ProtocolError::TooBigMultibulkCount);
                }
                return Ok(Decoded::Incomplete);
            };
            if nl + 1 >= buf.len() {
                return Ok(Decoded::Incomplete);
            }
            let count = parse_ll(&buf[1..nl]);
            let count = match count {
                Some(n) if n <= limits.max_multibulk_len => n,
                _ => return Err(ProtocolError::InvalidMultibulkLength),
            };
            if count > 10 && limits.unauthenticated {
                return Err(ProtocolError::UnauthenticatedMultibulkLength);
            }
            buf.advance(nl + 2);
            if count <= 0 {
                return Ok(Decoded::Request(Vec::new()));
            }
            self.pending = count as usize;
            self.argv.clear();
            self.argv.reserve(self.pending.min(1024));
        }
        while self.pending > 0 {
            let len = match self.bulk_len {
                Some(len) => len,
                None => {
                    let Some(nl) = find_cr(buf) else {
                        if buf.len() > INLINE_MAX {
                            return Err(ProtocolError::TooBigBulkCount);
                        }
                        return Ok(Decoded::Incomplete);
                    };
                    if nl + 1 >= buf.len() {
                        return Ok(Decoded::Incomplete);
                    }
                    if buf[0] != b'$' {
                        return Err(ProtocolError::ExpectedDollar(buf[0]));
                    }
                    let len = match parse_ll(&buf[1..nl]) {
                        Some(n) if n >= 0 && n <= limits.max_bulk_len => n,
                        _ => return Err(ProtocolError::InvalidBulkLength),
                    };
                    if len > 16384 && limits.unauthenticated {
                        return Err(ProtocolError::UnauthenticatedBulkLength);
                    }
                    buf.advance(nl + 2);
                    let len = len as usize;
                    self.bulk_len = Some(len);
                    // Large arguments: make room once instead of growing repeatedly.
                    if len >= 32 * 1024 && buf.capacity() < len + 2 {
                        buf.reserve(len + 2 - buf.len());
                    }
                    len
                }
            };
            if buf.len() < len + 2 {
                return Ok(Decoded::Incomplete);
            }
            // Redis does not check the two bytes after the payload; neither do we.
            let arg = buf.split_to(len).freeze();
            buf.advance(2);
            self.argv.push(arg);
            self.bulk_len = None;
            self.pending -= 1;
        }
        Ok(Decoded::Request(std::mem::take(&mut self.argv)))
    }

    /// Hands back a request's vector once its arguments are no longer
    /// needed, so the next request reuses the allocation.
    pub fn recycle(&mut self, mut argv: Vec<Bytes>) {
        if self.pending == 0 && argv.capacity() <= 1024 {
            argv.clear();
            self.argv = argv;
        }
    }

    /// Whether a multibulk request is partly received.
    pub fn in_progress(&self) -> bool {
        self.pending > 0
    }
}

fn find_cr(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\r')
}

fn decode_inline(buf: &mut BytesMut) -> Result<Decoded, ProtocolError> {
    let Some(nl) = buf.iter().position(|&b| b == b'\n') else {
        if buf.len() > INLINE_MAX {
            return Err(ProtocolError::TooBigInline);
        }
        return Ok(Decoded::Incomplete);
    };
    let end = if nl > 0 && buf[nl - 1] == b'\r' { nl - 1 } else { nl };
    let argv = split_args(&buf[..end]).ok_or(ProtocolError::UnbalancedQuotes)?;
    buf.advance(nl + 1);
    Ok(Decoded::Request(argv.into_iter().map(Bytes::from).collect()))
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\r' | b'\t' | 0x0b | 0x0c)
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Splits an inline line into arguments with Redis's `sdssplitargs` rules:
/// double quotes with C escapes (`\n`, `\xHH`, ...), single quotes with `\'`,
/// and a closing quote that must be followed by a space. `None` means the
/// quotes are unbalanced.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = line.len();
    loop {
        while i < n && is_space(line[i]) {
            i += 1;
        }
        if i >= n {
            return Some(out);
        }
        let mut cur = Vec::new();
        let mut in_dq = false;
        let mut in_sq = false;
        loop {
            if in_dq {
                if i >= n {
                    return None;
                }
                let c = line[i];
                if c == b'\\' && i + 3 < n && line[i + 1] == b'x' {
                    if let (Some(h), Some(l)) = (hex_val(line[i + 2]), hex_val(line[i + 3])) {
                        cur.push(h * 16 + l);
                        i += 4;
                        continue;
                    }
                }
                if c == b'\\' && i + 1 < n {
                    i += 1;
                    cur.push(match line[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    // The closing quote must be followed by a space or the end.
                    if i + 1 < n && !is_space(line[i + 1]) {
                        return None;
                    }

                    i += 1;
                    break;
                } else {
                    cur.push(c);
                }
            } else if in_sq {
                if i >= n {
                    return None;
                }
                let c = line[i];
                if c == b'\\' && i + 1 < n && line[i + 1] == b'\'' {
                    i += 1;
                    cur.push(b'\'');
                } else if c == b'\'' {
                    if i + 1 < n && !is_space(line[i + 1]) {
                        return None;
                    }

                    i += 1;
                    break;
                } else {
                    cur.push(c);
                }
            } else {
                if i >= n {
                    break;
                }
                match line[i] {
                    c if is_space(c) => {
                        i += 1;
                        break;
                    }
                    b'"' => in_dq = true,
                    b'\'' => in_sq = true,
                    c => cur.push(c),
                }
            }
            i += 1;
        }
        out.push(cur);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decode_all(input: &[u8]) -> Result<Vec<Vec<Bytes>>, ProtocolError> {
        let mut d = Decoder::new();
        let mut buf = BytesMut::from(input);
        let mut out = Vec::new();
        loop {
            match d.decode(&mut buf, &Limits::default())? {
                Decoded::Request(r) => out.push(r),
                Decoded::Incomplete => return Ok(out),
            }
        }
    }

    #[test]
    fn multibulk_and_inline_requests_decode_in_order() {
        let reqs = decode_all(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\nset a \"b c\"\n").unwrap();
        assert_eq!(reqs.len(), 3);
        assert_eq!(reqs[0], vec![Bytes::from("GET"), Bytes::from("k")]);
        assert_eq!(reqs[1], vec![Bytes::from("PING")]);
        assert_eq!(reqs[2], vec![Bytes::from("set"), Bytes::from("a"), Bytes::from("b c")]);
    }

    #[test]
    fn incomplete_frame_consumes_nothing_of_the_payload() {
        let mut d = Decoder::new();
        let mut buf = BytesMut::from(&b"*1\r\n$5\r\nhel"[..]);
        assert_eq!(d.decode(&mut buf, &Limits::default()).unwrap(), Decoded::Incomplete);
        buf.extend_from_slice(b"lo\r\n");
        assert_eq!(
            d.decode(&mut buf, &Limits::default()).unwrap(),
            Decoded::Request(vec![Bytes::from("hello")])
        );
        assert!(buf.is_empty());
    }

    #[test]
    fn protocol_errors_match_redis() {
        assert_eq!(
            decode_all(b"*-x\r\n").unwrap_err(),
            ProtocolError::InvalidMultibulkLength
        );
        assert_eq!(
            decode_all(b"*1\r\n$-1\r\n").unwrap_err(),
            ProtocolError::InvalidBulkLength
        );
        assert_eq!(
            decode_all(b"*1\r\n$600000000\r\n").unwrap_err(),
            ProtocolError::InvalidBulkLength
        );
        assert_eq!(
            decode_all(b"*1\r\n+foo\r\n").unwrap_err(),
            ProtocolError::ExpectedDollar(b'+')
        );
        assert_eq!(decode_all(b"set \"a\n").unwrap_err(), ProtocolError::UnbalancedQuotes);
        assert_eq!(
            decode_all(b"set \"a\"b\n").unwrap_err(),
            ProtocolError::UnbalancedQuotes
        );
        assert!(decode_all(b"*0\r\n").unwrap()[0].is_empty());
        assert!(decode_all(b"*-1\r\n").unwrap()[0].is_empty());
    }

    #[test]
    fn inline_escapes_follow_sdssplitargs() {
        let args = split_args(br#"a "\x41\n" 'it\'s' """#).unwrap();
        assert_eq!(
            args,
            vec![b"a".to_vec(), b"A\n".to_vec(), b"it's".to_vec(), b"".to_vec()]
        );
    }

    proptest! {
        #[test]
        fn decoder_never_panics(input in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode_all(&input);
        }

        #[test]
        fn multibulk_round_trips(args in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 1..8), split in 0usize..600) {
            let mut wire = format!("*{}\r\n", args.len()).into_bytes();
            for a in &args {
                wire.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
                wire.extend_from_slice(a);
                wire.extend_from_slice(b"\r\n");
            }
            // Feed in two pieces to exercise resumption.
            let cut = split.min(wire.len());
            let mut d = Decoder::new();
            let mut buf = BytesMut::from(&wire[..cut]);
            let first = d.decode(&mut buf, &Limits::default()).unwrap();
            let got = match first {
                Decoded::Request(r) => r,
                Decoded::Incomplete => {
                    buf.extend_from_slice(&wire[cut..]);
                    match d.decode(&mut buf, &Limits::default()).unwrap() {
                        Decoded::Request(r) => r,
                        Decoded::Incomplete => panic!("complete input decoded as incomplete"),
                    }
                }
            };
            let want: Vec<Bytes> = args.into_iter().map(Bytes::from).collect();
            prop_assert_eq!(got, want);
        }
    }
}
