//! The reply writer: encodes RESP2 or RESP3 straight into the connection's
//! output buffer. Aggregate types that RESP2 lacks degrade as Redis degrades
//! them: maps become flat arrays, sets arrays, doubles bulk strings, booleans
//! integers, verbatim strings bulk strings, nulls `$-1` (or `*-1` for a null
//! array).

use bytes::{BufMut, BytesMut};

/// Output buffer plus the protocol version the client chose with `HELLO`.
#[derive(Debug, Default)]
pub struct Reply {
    /// Encoded bytes waiting to be written to the socket.
    pub buf: BytesMut,
    /// 2 or 3.
    pub resp: u8,
}

impl Reply {
    /// An empty RESP2 writer.
    pub fn new() -> Self {
        Reply {
            buf: BytesMut::with_capacity(16 * 1024),
            resp: 2,
        }
    }

    /// Whether RESP3 types are available.
    pub fn is_resp3(&self) -> bool {
        self.resp >= 3
    }

    fn line(&mut self, prefix: u8, n: i64) {
        self.buf.put_u8(prefix);
        let mut b = itoa::Buffer::new();
        self.buf.put_slice(b.format(n).as_bytes());
        self.buf.put_slice(b"\r\n");
    }

    /// `+OK`.
    pub fn ok(&mut self) {
        self.buf.put_slice(b"+OK\r\n");
    }

    /// A simple string (`+...`); must not contain CR or LF.
    pub fn simple(&mut self, s: &str) {
        self.buf.put_u8(b'+');
        self.buf.put_slice(s.as_bytes());
        self.buf.put_slice(b"\r\n");
    }

    /// An error reply. `msg` is the full text including its code
    /// (`ERR ...`, `WRONGTYPE ...`); newlines are replaced by spaces as Redis does.
    pub fn error(&mut self, msg: &str) {
        self.buf.put_u8(b'-');
        for &c in msg.as_bytes() {
            self.buf.put_u8(if c == b'\r' || c == b'\n' { b' ' } else { c });
        }
        self.buf.put_slice(b"\r\n");
    }

    /// An integer reply.
    pub fn int(&mut self, n: i64) {
        self.line(b':', n);
    }

    /// A bulk string.
    pub fn bulk(&mut self, s: &[u8]) {
        self.line(b'$', s.len() as i64);
        self.buf.put_slice(s);
        self.buf.put_slice(b"\r\n");
    }

    /// A bulk string holding the decimal form of `n`.
    pub fn bulk_int(&mut self, n: i64) {
        let mut b = itoa::Buffer::new();
        let s = b.format(n);
        self.bulk(s.as_bytes());
    }

    /// The null bulk string (`$-1` in RESP2, `_` in RESP3).
    pub fn null(&mut self) {
        if self.is_resp3() {
            self.buf.put_slice(b"_\r\n");
        } else {
            self.buf.put_slice(b"$-1\r\n");
        }
    }

    /// The null array (`*-1` in RESP2, `_` in RESP3).
    pub fn null_array(&mut self) {
        if self.is_resp3() {
            self.buf.put_slice(b"_\r\n");
        } else {
            self.buf.put_slice(b"*-1\r\n");
        }
    }

    /// The header of an array of `n` elements.
    pub fn array(&mut self, n: usize) {
        self.line(b'*', n as i64);
    }

    /// The header of a map of `n` pairs (a flat array of 2n in RESP2).
    pub fn map(&mut self, n: usize) {
        if self.is_resp3() {
            self.line(b'%', n as i64);
        } else {
            self.line(b'*', 2 * n as i64);
        }
    }

    /// The header of a set of `n` elements (an array in RESP2).
    pub fn set(&mut self, n: usize) {
        if self.is_resp3() {
            self.line(b'~', n as i64);
        } else {
            self.line(b'*', n as i64);
        }
    }

    /// The header of a push message of `n` elements (an array in RESP2).
    pub fn push(&mut self, n: usize) {
        if self.is_resp3() {
            self.line(b'>', n as i64);
        } else {
            self.line(b'*', n as i64);
        }
    }

    /// A boolean (`#t`/`#f` in RESP3, `:1`/`:0` in RESP2).
    pub fn boolean(&mut self, b: bool) {
        if self.is_resp3() {
            self.buf.put_slice(if b { b"#t\r\n" } else { b"#f\r\n" });
        } else {
            self.int(i64::from(b));
        }
    }

    /// A double, formatted as Redis 7.0 does (`%.17g`, integers without a
    /// fraction, `inf`/`-inf`).
    pub fn double(&mut self, d: f64) {
        let s = format_double(d);
        if self.is_resp3() {
            self.buf.put_u8(b',');
            self.buf.put_slice(s.as_bytes());
            self.buf.put_slice(b"\r\n");
        } else {
            self.bulk(s.as_bytes());
        }
    }

    /// A verbatim string (`=len\r\ntxt:...` in RESP3, a bulk string in RESP2).
    pub fn verbatim(&mut self, format: &str, s: &[u8]) {
        if self.is_resp3() {
            self.line(b'=', (s.len() + 4) as i64);
            self.buf.put_slice(format.as_bytes());
            self.buf.put_u8(b':');
            self.buf.put_slice(s);
            self.buf.put_slice(b"\r\n");
        } else {
            self.bulk(s);
        }
    }

    /// Length of the encoded output so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing is buffered.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
}

/// Formats a double as C's `%.17g`.
pub fn format_g17(d: f64) -> String {
    format_g(d, 17)
}

/// Formats a double as C's `%.<prec>g`.
pub fn format_g(d: f64, prec: usize) -> String {
    if d.is_nan() {
        return "nan".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if d == 0.0 {
        return if d.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let prec = prec.max(1);
    // `{:e}` with precision P-1 yields the correctly rounded mantissa and exponent.
    let e_form = format!("{:.*e}", prec - 1, d);
    let (mant, exp) = e_form.split_once('e').unwrap_or((&e_form, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= prec as i32 {
        let mant = trim_fraction(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (prec as i32 - 1 - exp).max(0) as usize;
        trim_fraction(&format!("{:.*}", decimals, d)).to_string()
    }
}

fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Formats a double the way Redis 7.0's reply path does: integral values in
/// ±2^52 without a fraction, everything else `%.17g`.
pub fn format_double(d: f64) -> String {
    if d.is_finite() && d != 0.0 && d.fract() == 0.0 && d.abs() < 4_503_599_627_370_496.0 {
        let mut b = itoa::Buffer::new();
        return b.format(d as i64).to_string();
    }
    format_g17(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redis_protocol::resp3::{decode::complete::decode, types::OwnedFrame};

    #[test]
    fn g17_matches_c_printf() {
        assert_eq!(format_g17(0.1), "0.10000000000000001");
        assert_eq!(format_g17(1.5), "1.5");
        assert_eq!(format_g17(1e20), "1e+20");
        assert_eq!(format_g17(1.0e-5), "1.0000000000000001e-05");
        assert_eq!(format_g17(123456.789), "123456.789");
        assert_eq!(format_double(3.0), "3");
        assert_eq!(format_double(-0.0), "-0");
        assert_eq!(format_double(f64::INFINITY), "inf");
    }

    #[test]
    fn resp3_output_decodes_with_an_independent_parser() {
        let mut r = Reply::new();
        r.resp = 3;
        r.map(2);
        r.bulk(b"k");
        r.double(1.5);
        r.simple("s");
        r.set(2);
        r.boolean(true);
        r.null();
        let (frame, used) = decode(&r.buf).unwrap().unwrap();
        assert_eq!(used, r.buf.len());
        match frame {
            OwnedFrame::Map { data, .. } => assert_eq!(data.len(), 2),
            other => panic!("expected a map, got {other:?}"),
        }
    }

    #[test]
    fn resp2_degrades_maps_and_booleans() {
        let mut r = Reply::new();
        r.map(1);
        r.bulk(b"a");
        r.boolean(false);
        r.null();
        assert_eq!(&r.buf[..], b"*2\r\n$1\r\na\r\n:0\r\n$-1\r\n");
    }
}
