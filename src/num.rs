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

#[cfg(test)]
mod tests {
    use super::*;

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
