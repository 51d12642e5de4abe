//! Redis's number grammar, shared by the protocol decoder and the store:
//! what `string2ll` accepts as an integer.

/// Parses a signed decimal the way Redis's `string2ll` does: no spaces, no
/// leading `+`, no leading zeros, fits in an i64.
pub fn parse_ll(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (neg, digits) = match s[0] {
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || digits[0] == b'0' {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    if neg {
        if v > i64::MAX as u64 + 1 {
            None
        } else {
            Some((v as i64).wrapping_neg())
        }
    } else if v > i64::MAX as u64 {
        None
    } else {
        Some(v as i64)
    }
}

/// The prefix of an argument a C function sees: up to its first NUL byte
/// (Redis compares keywords with `strcasecmp` and parses with `strtod`).
pub fn c_str(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(n) => &s[..n],
        None => s,
    }
}

/// Whether C's `isspace` says yes.
pub fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// What `strtod` made of a string prefix.
pub struct Strtod {
    pub value: f64,
    /// Bytes consumed (0: no conversion).
    pub used: usize,
    /// `errno == ERANGE`: overflow, or underflow to zero.
    pub range_error: bool,
}

/// glibc's `strtod`: leading white space, a sign, then `inf`/`infinity`,
/// `nan`, a hexadecimal float or a decimal float.
pub fn strtod(s: &[u8]) -> Strtod {
    let none = Strtod {
        value: 0.0,
        used: 0,
        range_error: false,
    };
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let mut neg = false;
    if let Some(&c) = s.get(i) {
        if c == b'+' || c == b'-' {
            neg = c == b'-';
            i += 1;
        }
    }
    let sign = |v: f64| if neg { -v } else { v };
    let rest = &s[i..];
    let lower_starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    if lower_starts(b"infinity") {
        return Strtod {
            value: sign(f64::INFINITY),
            used: i + 8,
            range_error: false,
        };
    }
    if lower_starts(b"inf") {
        return Strtod {
            value: sign(f64::INFINITY),
            used: i + 3,
            range_error: false,
        };
    }
    if lower_starts(b"nan") {
        let mut used = i + 3;
        // An optional "(n-char-sequence)".
        if s.get(used) == Some(&b'(') {
            let mut j = used + 1;
            while j < s.len() && (s[j].is_ascii_alphanumeric() || s[j] == b'_') {
                j += 1;
            }
            if s.get(j) == Some(&b')') {
                used = j + 1;
            }
        }
        return Strtod {
            value: f64::NAN,
            used,
            range_error: false,
        };
    }
    if (lower_starts(b"0x"))
        && rest.get(2).is_some_and(|c| {
            c.is_ascii_hexdigit() || (*c == b'.' && rest.get(3).is_some_and(|d| d.is_ascii_hexdigit()))
        })
    {
        return hex_strtod(s, i + 2, neg);
    }
    // Decimal: digits [. digits] [e [sign] digits].
    let start = i;
    let mut j = i;
    let mut digits = 0;
    let mut nonzero = false;
    while j < s.len() && s[j].is_ascii_digit() {
        nonzero |= s[j] != b'0';
        j += 1;
        digits += 1;
    }
    let int_end = j;
    let mut frac = (j, j);
    if s.get(j) == Some(&b'.') {
        let fs = j + 1;
        j += 1;
        while j < s.len() && s[j].is_ascii_digit() {
            nonzero |= s[j] != b'0';
            j += 1;
            digits += 1;
        }
        frac = (fs, j);
    }
    if digits == 0 {
        return none;
    }
    let mut exp = (j, j);
    if matches!(s.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(s.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let ds = k;
        while k < s.len() && s[k].is_ascii_digit() {
            k += 1;
        }
        if k > ds {
            exp = (j + 1, k);
            j = k;
        }
    }
    // Rebuild a canonical text for Rust's correctly rounded parser.
    let mut text = String::with_capacity(j - start + 4);
    let int_part = &s[start..int_end];
    text.push_str(if int_part.is_empty() {
        "0"
    } else {
        std::str::from_utf8(int_part).unwrap_or("0")
    });
    if frac.1 > frac.0 {
        text.push('.');
        text.push_str(std::str::from_utf8(&s[frac.0..frac.1]).unwrap_or("0"));
    }
    if exp.1 > exp.0 {
        text.push('e');
        let e = std::str::from_utf8(&s[exp.0..exp.1]).unwrap_or("0");
        // Clamp absurd exponents so the parser sees a small, equivalent text.
        let (es, ed) = match e.as_bytes().first() {
            Some(b'-') => ("-", &e[1..]),
            Some(b'+') => ("", &e[1..]),
            _ => ("", e),
        };
        let ed = ed.trim_start_matches('0');
        text.push_str(es);
        if ed.len() > 6 {
            text.push_str("999999");
        } else if ed.is_empty() {
            text.push('0');
        } else {
            text.push_str(ed);
        }
    }
    let v: f64 = text.parse().unwrap_or(0.0);
    let range_error = v.is_infinite() || (v == 0.0 && nonzero);
    Strtod {
        value: sign(v),
        used: j,
        range_error,
    }
}

/// The hexadecimal part of [`strtod`], from just after `0x`.
fn hex_strtod(s: &[u8], from: usize, neg: bool) -> Strtod {
    let mut j = from;
    let mut mant: f64 = 0.0;
    let mut scale: i64 = 0;
    let mut nonzero = false;
    while j < s.len() && s[j].is_ascii_hexdigit() {
        let d = f64::from((s[j] as char).to_digit(16).unwrap_or(0));
        nonzero |= d != 0.0;
        mant = mant * 16.0 + d;
        j += 1;
    }
    if s.get(j) == Some(&b'.') {
        j += 1;
        while j < s.len() && s[j].is_ascii_hexdigit() {
            let d = f64::from((s[j] as char).to_digit(16).unwrap_or(0));
            nonzero |= d != 0.0;
            mant = mant * 16.0 + d;
            scale -= 4;
            j += 1;
        }
    }
    if matches!(s.get(j), Some(b'p' | b'P')) {
        let mut k = j + 1;
        let mut eneg = false;
        if matches!(s.get(k), Some(b'+' | b'-')) {
            eneg = s[k] == b'-';
            k += 1;
        }
        let ds = k;
        let mut e: i64 = 0;
        while k < s.len() && s[k].is_ascii_digit() {
            e = (e * 10 + i64::from(s[k] - b'0')).min(100_000);
            k += 1;
        }
        if k > ds {
            scale += if eneg { -e } else { e };
            j = k;
        }
    }
    let v = mant * 2f64.powi(scale.clamp(-100_000, 100_000) as i32);
    let range_error = v.is_infinite() || (v == 0.0 && nonzero);
    Strtod {
        value: if neg { -v } else { v },
        used: j,
        range_error,
    }
}

/// A double as `getDoubleFromObject` reads it: the whole string, no leading
/// space, no overflow, no NaN.
pub fn parse_double(a: &[u8]) -> Option<f64> {
    if a.is_empty() || is_c_space(a[0]) {
        return None;
    }
    let r = strtod(a);
    if r.used != a.len() || r.value.is_nan() || (r.range_error && (r.value.is_infinite() || r.value == 0.0)) {
        return None;
    }
    Some(r.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtod_reads_what_c_reads() {
        let v = |s: &str| {
            let r = strtod(s.as_bytes());
            (r.value, r.used)
        };
        assert_eq!(v("1.5"), (1.5, 3));
        assert_eq!(v("  -2e3x"), (-2000.0, 6));
        assert_eq!(v("0x10"), (16.0, 4));
        assert_eq!(v("0x1p-2"), (0.25, 6));
        assert_eq!(v(".5"), (0.5, 2));
        assert_eq!(v("5."), (5.0, 2));
        assert_eq!(v("1e"), (1.0, 1));
        assert_eq!(v("-inf"), (f64::NEG_INFINITY, 4));
        assert_eq!(v("Infinity"), (f64::INFINITY, 8));
        assert_eq!(v(""), (0.0, 0));
        assert_eq!(v("abc").1, 0);
        assert!(strtod(b"1e400").range_error);
        assert!(strtod(b"1e-400").range_error);
        assert!(!strtod(b"0e-400").range_error);
        assert!(strtod(b"nan").value.is_nan());
    }

    #[test]
    fn doubles_parse_like_get_double_from_object() {
        assert_eq!(parse_double(b"1.5"), Some(1.5));
        assert_eq!(parse_double(b"0x10"), Some(16.0));
        assert_eq!(parse_double(b"-0x1p-1"), Some(-0.5));
        assert_eq!(parse_double(b"1e-400"), None);
        assert_eq!(parse_double(b" 1"), None);
        assert_eq!(parse_double(b"1 "), None);
        assert_eq!(parse_double(b"1e400"), None);
        assert_eq!(parse_double(b"nan"), None);
        assert_eq!(parse_double(b"-inf"), Some(f64::NEG_INFINITY));
    }

    #[test]
    fn parse_ll_rejects_what_string2ll_rejects() {
        assert_eq!(parse_ll(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_ll(b"9223372036854775808"), None);
        assert_eq!(parse_ll(b"01"), None);
        assert_eq!(parse_ll(b"+1"), None);
        assert_eq!(parse_ll(b" 1"), None);
        assert_eq!(parse_ll(b"-0"), None);
    }
}

/// The x87 80-bit `long double` that Redis's `INCRBYFLOAT` computes with
/// (64-bit significand with an explicit integer bit, exponents -16382..16383,
/// subnormals down to 2^-16445), emulated exactly: parsing as glibc's
/// `strtold` does (correctly rounded, half to even), correctly rounded
/// addition, and printing as `%.17Lf` does (exact, half to even).
pub mod long_double {
    use std::cmp::Ordering;

    /// Largest unbiased exponent: finite values are below 2^(MAX_EXP+1).
    const MAX_EXP: i64 = 16383;
    /// Smallest exponent of a normal value.
    const MIN_NORMAL_EXP: i64 = -16382;
    /// Weight of the least significant bit of a subnormal.
    const MIN_LSB: i64 = -16445;
    /// Redis's `MAX_LONG_DOUBLE_CHARS`: longer inputs are refused.
    const MAX_CHARS: usize = 5 * 1024;
    const POW10_19: u64 = 10_000_000_000_000_000_000;

    /// A `long double` value (NaN is never represented: every operation that
    /// would produce one reports it instead).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum LongDouble {
        /// `(-1)^neg * mant * 2^exp`; zero when `mant` is 0.
        Finite {
            /// Sign.
            neg: bool,
            /// Significand (at most 64 bits by construction).
            mant: u64,
            /// Binary exponent of the significand's lowest bit.
            exp: i64,
        },
        /// An infinity.
        Inf {
            /// Sign.
            neg: bool,
        },
    }

    /// Unsigned big integer, little-endian 64-bit limbs, no zero top limb.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Big(Vec<u64>);

    impl Big {
        fn from_u64(v: u64) -> Big {
            let mut b = Big(vec![v]);
            b.trim();
            b
        }

        fn from_u128(v: u128) -> Big {
            let mut b = Big(vec![v as u64, (v >> 64) as u64]);
            b.trim();
            b
        }

        fn trim(&mut self) {
            while self.0.last() == Some(&0) {
                self.0.pop();
            }
        }

        fn is_zero(&self) -> bool {
            self.0.is_empty()
        }

        fn bit_len(&self) -> u64 {
            match self.0.last() {
                None => 0,
                Some(top) => (self.0.len() as u64 - 1) * 64 + u64::from(64 - top.leading_zeros()),
            }
        }

        fn bit(&self, i: u64) -> bool {
            usize::try_from(i / 64)
                .ok()
                .and_then(|w| self.0.get(w))
                .is_some_and(|x| (x >> (i % 64)) & 1 == 1)
        }

        /// Whether any bit below position `i` is set.
        fn any_below(&self, i: u64) -> bool {
            let words = usize::try_from(i / 64).unwrap_or(usize::MAX);
            let bits = i % 64;
            self.0.iter().take(words).any(|&x| x != 0)
                || (bits > 0 && self.0.get(words).is_some_and(|&x| x & ((1u64 << bits) - 1) != 0))
        }

        fn low_u64(&self) -> u64 {
            self.0.first().copied().unwrap_or(0)
        }

        fn mul_small(&mut self, m: u64) {
            let mut carry: u128 = 0;
            for limb in self.0.iter_mut() {
                let t = u128::from(*limb) * u128::from(m) + carry;
                *limb = t as u64;
                carry = t >> 64;
            }
            if carry != 0 {
                self.0.push(carry as u64);
            }
            self.trim();
        }

        fn add_small(&mut self, a: u64) {
            let mut carry = a;
            for limb in self.0.iter_mut() {
                if carry == 0 {
                    return;
                }
                let (s, o) = limb.overflowing_add(carry);
                *limb = s;
                carry = u64::from(o);
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }

        fn mul_pow10(&mut self, mut n: u64) {
            while n >= 19 {
                self.mul_small(POW10_19);
                n -= 19;
            }
            if n > 0 {
                self.mul_small(10u64.pow(n as u32));
            }
        }

        fn shl(&mut self, bits: u64) {
            if self.is_zero() || bits == 0 {
                return;
            }
            let words = (bits / 64) as usize;
            let b = (bits % 64) as u32;
            if b > 0 {
                let mut carry = 0u64;
                for limb in self.0.iter_mut() {
                    let next = *limb >> (64 - b);
                    *limb = (*limb << b) | carry;
                    carry = next;
                }
                if carry != 0 {
                    self.0.push(carry);
                }
            }
            if words > 0 {
                self.0.splice(0..0, std::iter::repeat_n(0, words));
            }
        }

        fn shr(&self, bits: u64) -> Big {
            let words = usize::try_from(bits / 64).unwrap_or(usize::MAX);
            if words >= self.0.len() {
                return Big(Vec::new());
            }
            let b = (bits % 64) as u32;
            let src = &self.0[words..];
            let mut out: Vec<u64> = Vec::with_capacity(src.len());
            for (i, &limb) in src.iter().enumerate() {
                let hi = if b > 0 {
                    src.get(i + 1).map_or(0, |&n| n << (64 - b))
                } else {
                    0
                };
                out.push((limb >> b) | hi);
            }
            let mut r = Big(out);
            r.trim();
            r
        }

        fn shr1(&mut self) {
            let mut carry = 0u64;
            for limb in self.0.iter_mut().rev() {
                let next = *limb << 63;
                *limb = (*limb >> 1) | carry;
                carry = next;
            }
            self.trim();
        }

        fn cmp_big(&self, o: &Big) -> Ordering {
            self.0
                .len()
                .cmp(&o.0.len())
                .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
        }

        /// `self += o`.
        fn add_assign(&mut self, o: &Big) {
            if self.0.len() < o.0.len() {
                self.0.resize(o.0.len(), 0);
            }
            let mut carry = false;
            for (i, limb) in self.0.iter_mut().enumerate() {
                let (s1, o1) = limb.overflowing_add(o.0.get(i).copied().unwrap_or(0));
                let (s2, o2) = s1.overflowing_add(u64::from(carry));
                *limb = s2;
                carry = o1 || o2;
            }
            if carry {
                self.0.push(1);
            }
        }

        /// `self -= o`; requires `self >= o`.
        fn sub_assign(&mut self, o: &Big) {
            let mut borrow = false;
            for (i, limb) in self.0.iter_mut().enumerate() {
                let (d1, b1) = limb.overflowing_sub(o.0.get(i).copied().unwrap_or(0));
                let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
                *limb = d2;
                borrow = b1 || b2;
            }
            self.trim();
        }

        /// Divides in place by `d`, returning the remainder.
        fn divrem_small(&mut self, d: u64) -> u64 {
            let mut rem: u128 = 0;
            for limb in self.0.iter_mut().rev() {
                let cur = (rem << 64) | u128::from(*limb);
                *limb = (cur / u128::from(d)) as u64;
                rem = cur % u128::from(d);
            }
            self.trim();
            rem as u64
        }

        fn to_decimal(&self) -> String {
            if self.is_zero() {
                return "0".into();
            }
            let mut n = self.clone();
            let mut chunks = Vec::new();
            while !n.is_zero() {
                chunks.push(n.divrem_small(POW10_19));
            }
            let mut s = String::with_capacity(chunks.len() * 19);
            for (i, c) in chunks.iter().rev().enumerate() {
                if i == 0 {
                    s.push_str(&c.to_string());
                } else {
                    s.push_str(&format!("{c:019}"));
                }
            }
            s
        }
    }

    /// Rounds `(q + sticky·ε) · 2^k` to the nearest `long double`, ties to
    /// even; `sticky` says nonzero bits were dropped below `q`.
    fn round(neg: bool, q: &Big, k: i64, sticky: bool) -> LongDouble {
        if q.is_zero() {
            return LongDouble::Finite { neg, mant: 0, exp: 0 };
        }
        let top = q.bit_len() as i64 - 1 + k;
        if top > MAX_EXP {
            return LongDouble::Inf { neg };
        }
        let mut lsb = if top >= MIN_NORMAL_EXP { top - 63 } else { MIN_LSB };
        let shift = lsb - k;
        if shift <= 0 {
            // Exact: at most 64 significant bits once shifted into place.
            return LongDouble::Finite {
                neg,
                mant: q.low_u64() << (-shift),
                exp: lsb,
            };
        }
        let shift = shift as u64;
        let mut mant = q.shr(shift).low_u64();
        let half = q.bit(shift - 1);
        let rest = sticky || q.any_below(shift - 1);
        if half && (rest || mant & 1 == 1) {
            mant = mant.wrapping_add(1);
            if mant == 0 {
                mant = 1 << 63;
                lsb += 1;
            }
        }
        if mant != 0 && i64::from(63 - mant.leading_zeros()) + lsb > MAX_EXP {
            return LongDouble::Inf { neg };
        }
        LongDouble::Finite { neg, mant, exp: lsb }
    }

    /// `a / b` rounded to a `long double`.
    fn div_round(neg: bool, mut a: Big, mut b: Big) -> LongDouble {
        // Scale so the quotient has 67 or 68 bits: enough for the rounding
        // bit of a 64-bit significand, with the remainder as sticky bit.
        let s = b.bit_len() as i64 - a.bit_len() as i64 + 67;
        if s >= 0 {
            a.shl(s as u64);
        } else {
            b.shl((-s) as u64);
        }
        let mut t = b;
        t.shl(68);
        let mut q: u128 = 0;
        for i in (0..=68).rev() {
            if a.cmp_big(&t) != Ordering::Less {
                a.sub_assign(&t);
                q |= 1u128 << i;
            }
            t.shr1();
        }
        round(neg, &Big::from_u128(q), -s, !a.is_zero())
    }

    impl LongDouble {
        /// The exact value of an integer.
        pub fn from_i64(n: i64) -> LongDouble {
            LongDouble::Finite {
                neg: n < 0,
                mant: n.unsigned_abs(),
                exp: 0,
            }
        }

        /// Whether the value is finite.
        pub fn is_finite(&self) -> bool {
            matches!(self, LongDouble::Finite { .. })
        }

        /// Parses as Redis's `string2ld`: the whole input must be what
        /// `strtold` reads (decimal, `0x` hexadecimal, `inf`/`infinity`), no
        /// leading space, no NaN, and no overflow or underflow to zero.
        pub fn parse(s: &[u8]) -> Option<LongDouble> {
            if s.is_empty() || s.len() >= MAX_CHARS {
                return None;
            }
            let (neg, rest) = match s[0] {
                b'-' => (true, &s[1..]),
                b'+' => (false, &s[1..]),
                _ => (false, s),
            };
            if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
                return Some(LongDouble::Inf { neg });
            }
            let v = if rest.len() >= 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' {
                parse_hex(neg, &rest[2..])?
            } else {
                parse_decimal(neg, rest)?
            };
            v.is_finite().then_some(v)
        }

        /// The correctly rounded sum; `None` when it is NaN (opposite infinities).
        pub fn checked_add(self, other: LongDouble) -> Option<LongDouble> {
            use LongDouble::{Finite, Inf};
            match (self, other) {
                (Inf { neg: a }, Inf { neg: b }) => (a == b).then_some(self),
                (Inf { .. }, _) => Some(self),
                (_, Inf { .. }) => Some(other),
                (
                    Finite {
                        neg: na,
                        mant: ma,
                        exp: ea,
                    },
                    Finite {
                        neg: nb,
                        mant: mb,
                        exp: eb,
                    },
                ) => {
                    if ma == 0 && mb == 0 {
                        return Some(Finite {
                            neg: na && nb,
                            mant: 0,
                            exp: 0,
                        });
                    }
                    if ma == 0 {
                        return Some(other);
                    }
                    if mb == 0 {
                        return Some(self);
                    }
                    let e = ea.min(eb);
                    let mut a = Big::from_u64(ma);
                    a.shl((ea - e) as u64);
                    let mut b = Big::from_u64(mb);
                    b.shl((eb - e) as u64);
                    let (neg, sum) = if na == nb {
                        a.add_assign(&b);
                        (na, a)
                    } else {
                        match a.cmp_big(&b) {
                            Ordering::Greater => {
                                a.sub_assign(&b);
                                (na, a)
                            }
                            Ordering::Less => {
                                b.sub_assign(&a);
                                (nb, b)
                            }
                            Ordering::Equal => {
                                return Some(Finite {
                                    neg: false,
                                    mant: 0,
                                    exp: 0,
                                })
                            }
                        }
                    };
                    Some(round(neg, &sum, e, false))
                }
            }
        }

        /// Formats as Redis's human-friendly `ld2string`: `%.17Lf`, then
        /// trailing zeros and a trailing dot removed, and `-0` printed as `0`.
        pub fn to_human(self) -> String {
            let (neg, mant, exp) = match self {
                LongDouble::Inf { neg } => return if neg { "-inf".into() } else { "inf".into() },
                LongDouble::Finite { neg, mant, exp } => (neg, mant, exp),
            };
            let mut n = Big::from_u64(mant);
            n.mul_pow10(17);
            if exp >= 0 {
                n.shl(exp as u64);
            } else {
                let sh = exp.unsigned_abs();
                let half = n.bit(sh - 1);
                let rest = n.any_below(sh - 1);
                let mut q = n.shr(sh);
                if half && (rest || q.bit(0)) {
                    q.add_small(1);
                }
                n = q;
            }
            let digits = n.to_decimal();
            let padded = if digits.len() < 18 {
                format!("{}{digits}", "0".repeat(18 - digits.len()))
            } else {
                digits
            };
            let (int, frac) = padded.split_at(padded.len() - 17);
            let mut s = String::with_capacity(padded.len() + 2);
            if neg {
                s.push('-');
            }
            s.push_str(int);
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
            if s.ends_with('.') {
                s.pop();
            }
            if s == "-0" {
                s.remove(0);
            }
            s
        }
    }

    /// Reads an optionally signed decimal exponent that must end the input;
    /// saturates far beyond any meaningful range.
    fn parse_exponent(s: &[u8]) -> Option<i64> {
        let (neg, digits) = match s.first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut v: i64 = 0;
        for &d in digits {
            v = (v * 10 + i64::from(d - b'0')).min(1_000_000_000);
        }
        Some(if neg { -v } else { v })
    }

    fn parse_decimal(neg: bool, s: &[u8]) -> Option<LongDouble> {
        let mut digits: Vec<u8> = Vec::new();
        let mut exp10: i64 = 0;
        let mut seen = false;
        let mut i = 0;
        while let Some(&c) = s.get(i).filter(|c| c.is_ascii_digit()) {
            seen = true;
            if !(digits.is_empty() && c == b'0') {
                digits.push(c - b'0');
            }
            i += 1;
        }
        if s.get(i) == Some(&b'.') {
            i += 1;
            while let Some(&c) = s.get(i).filter(|c| c.is_ascii_digit()) {
                seen = true;
                if !(digits.is_empty() && c == b'0') {
                    digits.push(c - b'0');
                }
                exp10 -= 1;
                i += 1;
            }
        }
        if !seen {
            return None;
        }
        if let Some(&c) = s.get(i) {
            if c | 0x20 != b'e' {
                return None;
            }
            exp10 += parse_exponent(&s[i + 1..])?;
        }
        while digits.last() == Some(&0) {
            digits.pop();
            exp10 += 1;
        }
        if digits.is_empty() {
            return Some(LongDouble::Finite { neg, mant: 0, exp: 0 });
        }
        let nd = digits.len() as i64;
        // Far outside the range: overflow (HUGE_VAL) or underflow to zero,
        // both refused. Everything nearer is decided exactly below.
        if nd - 1 + exp10 > 4940 || nd + exp10 < -4960 {
            return None;
        }
        let mut d = Big(Vec::new());
        for chunk in digits.chunks(19) {
            d.mul_pow10(chunk.len() as u64);
            d.add_small(chunk.iter().fold(0u64, |acc, &c| acc * 10 + u64::from(c)));
        }
        let v = if exp10 >= 0 {
            d.mul_pow10(exp10 as u64);
            round(neg, &d, 0, false)
        } else {
            let mut p = Big::from_u64(1);
            p.mul_pow10(exp10.unsigned_abs());
            div_round(neg, d, p)
        };
        nonzero(v)
    }

    fn parse_hex(neg: bool, s: &[u8]) -> Option<LongDouble> {
        let mut nibbles: Vec<u8> = Vec::new();
        let mut exp2: i64 = 0;
        let mut seen = false;
        let mut i = 0;
        let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        while let Some(d) = s.get(i).and_then(|&c| hex(c)) {
            seen = true;
            if !(nibbles.is_empty() && d == 0) {
                nibbles.push(d);
            }
            i += 1;
        }
        if s.get(i) == Some(&b'.') {
            i += 1;
            while let Some(d) = s.get(i).and_then(|&c| hex(c)) {
                seen = true;
                if !(nibbles.is_empty() && d == 0) {
                    nibbles.push(d);
                }
                exp2 -= 4;
                i += 1;
            }
        }
        if !seen {
            return None;
        }
        if let Some(&c) = s.get(i) {
            if c | 0x20 != b'p' {
                return None;
            }
            exp2 += parse_exponent(&s[i + 1..])?;
        }
        if nibbles.is_empty() {
            return Some(LongDouble::Finite { neg, mant: 0, exp: 0 });
        }
        let mut limbs = vec![0u64; nibbles.len().div_ceil(16)];
        for (pos, &d) in nibbles.iter().rev().enumerate() {
            limbs[pos / 16] |= u64::from(d) << ((pos % 16) * 4);
        }
        let mut h = Big(limbs);
        h.trim();
        let top = h.bit_len() as i64 - 1 + exp2;
        if !(-16500..=16400).contains(&top) {
            return None;
        }
        nonzero(round(neg, &h, exp2, false))
    }

    /// A nonzero input that rounded to zero underflowed (`ERANGE`): refused.
    fn nonzero(v: LongDouble) -> Option<LongDouble> {
        match v {
            LongDouble::Finite { mant: 0, .. } => None,
            _ => Some(v),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn incr(a: &str, b: &str) -> Option<String> {
            let x = LongDouble::parse(a.as_bytes())?;
            let y = LongDouble::parse(b.as_bytes())?;
            x.checked_add(y).filter(LongDouble::is_finite).map(LongDouble::to_human)
        }

        #[test]
        fn sums_print_as_redis_long_double() {
            assert_eq!(incr("1000", "0.1").as_deref(), Some("1000.09999999999999998"));
            assert_eq!(incr("0", "0.1").as_deref(), Some("0.1"));
            assert_eq!(incr("0", "-0.1").as_deref(), Some("-0.1"));
            assert_eq!(incr("10.5", "0.1").as_deref(), Some("10.6"));
            assert_eq!(incr("5.0e3", "2.0e2").as_deref(), Some("5200"));
            assert_eq!(incr("0", "1e3").as_deref(), Some("1000"));
            assert_eq!(incr("1.5", "-1.5").as_deref(), Some("0"));
        }

        #[test]
        fn large_values_print_every_integer_digit() {
            assert_eq!(
                incr("0", "1e300").as_deref(),
                Some(concat!(
                    "1000000000000000000008997324079559193870523944273290747938260082321265646",
                    "5961809357558491520837504971903503725086142748359035925561846729839130962",
                    "6052074864628732713564184365329408425510760601678972665293237003055138294",
                    "7620994540294772781889620606179267611627097410650567187386105690089424915",
                    "104006144"
                ))
            );
            let max = incr("0", "0x1.fffffffffffffffep16383").unwrap_or_default();
            assert_eq!(max.len(), 4933);
            assert!(max.starts_with("118973149535723176502126385303097020516906332229462420044032"));
        }

        #[test]
        fn ties_round_to_even_when_printing() {
            // 2^-18 = 0.000003814697265625 has 18 decimals: an exact tie.
            assert_eq!(incr("0", "0x1p-18").as_deref(), Some("0.00000381469726562"));
            assert_eq!(incr("0", "0x3p-18").as_deref(), Some("0.00001144409179688"));
            assert_eq!(incr("0", "0x5p-18").as_deref(), Some("0.00001907348632812"));
            assert_eq!(incr("0", "0x1p-56").as_deref(), Some("0.00000000000000001"));
        }

        #[test]
        fn negative_values_that_print_as_zero_lose_their_sign() {
            assert_eq!(incr("0", "-0x1p-60").as_deref(), Some("0"));
            assert_eq!(incr("0", "-1e-20").as_deref(), Some("0"));
            assert_eq!(incr("-0", "-0").as_deref(), Some("0"));
        }

        #[test]
        fn parse_accepts_what_strtold_accepts() {
            for ok in [
                "1e3", "0x10", "0x1p3", "0X1.8P1", "0x.8", ".5", "5.", "+1", "1e+5", "1e-5", "-0",
            ] {
                assert!(LongDouble::parse(ok.as_bytes()).is_some(), "{ok}");
            }
            for bad in [
                " 1", "1 ", "nan", "1.5e", "0x", ".", "", "e5", "1e", "0x1p", "--1", "1\0",
            ] {
                assert!(LongDouble::parse(bad.as_bytes()).is_none(), "{bad:?}");
            }
            assert_eq!(LongDouble::parse(b"-Infinity"), Some(LongDouble::Inf { neg: true }));
            assert_eq!(LongDouble::parse(b"INF"), Some(LongDouble::Inf { neg: false }));
        }

        #[test]
        fn parse_refuses_overflow_and_underflow_to_zero() {
            assert!(LongDouble::parse(b"1e5000").is_none());
            assert!(LongDouble::parse(b"1e-5000").is_none());
            assert!(LongDouble::parse(b"1e-4951").is_none());
            assert!(LongDouble::parse(b"1e-4940").is_some());
            assert!(LongDouble::parse(b"0x1p-16445").is_some());
            assert!(LongDouble::parse(b"0x1p-16446").is_none());
            assert!(LongDouble::parse(b"0x1.8p-16446").is_some());
            assert!(LongDouble::parse(b"0x1p16383").is_some());
            assert!(LongDouble::parse(b"0x1p16384").is_none());
            assert!(LongDouble::parse(b"1.18973149535723176502e+4932").is_some());
            assert!(LongDouble::parse(b"1.18973149535723176508e+4932").is_none());
            assert!(LongDouble::parse(b"0x1.ffffffffffffffffp16383").is_none());
            assert!(LongDouble::parse(b"0e999999999999999999999").is_some());
        }

        #[test]
        fn parse_length_limit_is_redis_buffer() {
            let ok = format!("{}1", "0".repeat(5118));
            let long = format!("{}1", "0".repeat(5119));
            assert!(LongDouble::parse(ok.as_bytes()).is_some());
            assert!(LongDouble::parse(long.as_bytes()).is_none());
        }

        #[test]
        fn decimal_parse_rounds_to_nearest_even() {
            // 1 + 2^-64 is halfway between 1 and 1 + 2^-63: ties to 1.
            let half = "1.0000000000000000000542101086242752217003726400434970855712890625";
            assert_eq!(
                LongDouble::parse(half.as_bytes()),
                Some(LongDouble::Finite {
                    neg: false,
                    mant: 1 << 63,
                    exp: -63
                })
            );
            let above = format!("{half}1");
            assert_eq!(
                LongDouble::parse(above.as_bytes()),
                Some(LongDouble::Finite {
                    neg: false,
                    mant: (1 << 63) + 1,
                    exp: -63
                })
            );
        }
    }
}
