//! Glob-style matching with Redis's exact rules (`KEYS`, `SCAN ... MATCH`,
//! `CONFIG GET`, `COMMAND LIST FILTERBY PATTERN`, pub/sub patterns).
//!
//! `*` matches any run of bytes, `?` one byte, `[...]` a class (`^` negates,
//! `a-z` ranges in either order, `\` escapes), `\` escapes outside classes.
//! Redis's quirks are kept on purpose: an unterminated class ends the
//! pattern, range bounds compare as signed chars, a pattern never matches
//! the empty string unless it is empty itself, and more than 1000 nested `*`
//! never match (Redis's guard against abusive patterns).

/// Deepest `*` recursion Redis allows before giving up.
const MAX_NESTING: usize = 1000;

/// Whether `string` matches the glob `pattern`; `nocase` folds ASCII case.
pub fn glob_match(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    let mut give_up = false;
    match_from(pattern, string, nocase, &mut give_up, 0)
}

/// The pattern byte at `i`, or 0 past the end (Redis reads its strings'
/// NUL terminator there).
fn at(p: &[u8], i: usize) -> u8 {
    p.get(i).copied().unwrap_or(0)
}

fn lower(c: i32) -> i32 {
    if (i32::from(b'A')..=i32::from(b'Z')).contains(&c) {
        c + 32
    } else {
        c
    }
}

fn same(a: u8, b: u8, nocase: bool) -> bool {
    if nocase {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

/// `give_up` is set once some `*` found no place for the rest of the pattern:
/// an earlier `*` taking more of the string cannot help then.
fn match_from(pat: &[u8], s: &[u8], nocase: bool, give_up: &mut bool, nesting: usize) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    let (mut p, mut i) = (0usize, 0usize);
    while p < pat.len() && i < s.len() {
        match pat[p] {
            b'*' => {
                while p + 1 < pat.len() && pat[p + 1] == b'*' {
                    p += 1;
                }
                if p + 1 == pat.len() {
                    return true;
                }
                while i < s.len() {
                    if match_from(&pat[p + 1..], &s[i..], nocase, give_up, nesting + 1) {
                        return true;
                    }
                    if *give_up {
                        return false;
                    }
                    i += 1;
                }
                *give_up = true;
                return false;
            }
            b'?' => i += 1,
            b'[' => {
                p += 1;
                let negate = at(pat, p) == b'^';
                if negate {
                    p += 1;
                }
                let c = s[i];
                let mut hit = false;
                loop {
                    let left = pat.len() - p;
                    let pc = at(pat, p);
                    if pc == b'\\' && left >= 2 {
                        p += 1;
                        // Escaped class members compare exactly, even with nocase.
                        hit |= pat[p] == c;
                    } else if pc == b']' {
                        break;
                    } else if left == 0 {
                        // Unterminated class: it runs to the end of the pattern.
                        p -= 1;
                        break;
                    } else if left >= 3 && pat[p + 1] == b'-' {
                        // Redis compares range bounds as (signed) C chars.
                        let (mut lo, mut hi) = (i32::from(pat[p] as i8), i32::from(pat[p + 2] as i8));
                        if lo > hi {
                            std::mem::swap(&mut lo, &mut hi);
                        }
                        let mut ch = i32::from(c as i8);
                        if nocase {
                            lo = lower(lo);
                            hi = lower(hi);
                            ch = lower(ch);
                        }
                        p += 2;
                        hit |= ch >= lo && ch <= hi;
                    } else {
                        hit |= same(pc, c, nocase);
                    }
                    p += 1;
                }
                if hit == negate {
                    return false;
                }
                i += 1;
            }
            b'\\' => {
                if pat.len() - p >= 2 {
                    p += 1;
                }
                if !same(pat[p], s[i], nocase) {
                    return false;
                }
                i += 1;
            }
            c => {
                if !same(c, s[i], nocase) {
                    return false;
                }
                i += 1;
            }
        }
        p += 1;
        if i == s.len() {
            while at(pat, p) == b'*' {
                p += 1;
            }
            break;
        }
    }
    p == pat.len() && i == s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        glob_match(p.as_bytes(), s.as_bytes(), false)
    }

    #[test]
    fn wildcards_and_literals() {
        assert!(m("*", "anything"));
        assert!(m("h?llo", "hello"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("h*llo", "hllo"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("a*", "a"));
        assert!(m("a**", "a"));
        assert!(!m("a*b", "a"));
        assert!(!m("abc", "ab"));
        assert!(!m("ab", "abc"));
        assert!(m("*b*", "abc"));
        assert!(!m("*x*", "abc"));
    }

    #[test]
    fn empty_string_matches_only_the_empty_pattern() {
        assert!(m("", ""));
        assert!(!m("*", ""));
        assert!(!m("**", ""));
        assert!(!m("?", ""));
        assert!(!m("", "a"));
    }

    #[test]
    fn classes_ranges_and_negation() {
        assert!(m("h[ae]llo", "hello"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("h[b-a]llo", "hallo"));
        assert!(!m("h[a-b]llo", "hcllo"));
        assert!(m("[\\]]", "]"));
        assert!(m("[a-]", "]"));
        assert!(m("[a-]", "^"));
        assert!(!m("[a-]", "b"));
    }

    #[test]
    fn unterminated_class_consumes_the_rest_of_the_pattern() {
        assert!(m("a[bc", "ab"));
        assert!(m("a[bc", "ac"));
        assert!(!m("a[bc", "abc"));
        assert!(!m("[", "a"));
        assert!(m("[^", "a"));
    }

    #[test]
    fn escapes() {
        assert!(m("a\\*b", "a*b"));
        assert!(!m("a\\*b", "axb"));
        assert!(m("a\\", "a\\"));
        assert!(m("\\?", "?"));
        assert!(!m("\\?", "x"));
    }

    #[test]
    fn nocase_folds_ascii_only() {
        assert!(glob_match(b"HeLLo", b"hello", true));
        assert!(glob_match(b"h[A-Z]llo", b"hello", true));
        assert!(!glob_match(b"HeLLo", b"hello", false));
        // Escaped class members stay exact.
        assert!(!glob_match(b"[\\A]", b"a", true));
    }

    #[test]
    fn high_bytes_compare_as_signed_in_ranges() {
        // 0xff is -1 as a C char, so [a-\xff] spans -1..=97 and holds '0' but not 'b'.
        assert!(glob_match(b"[a-\xff]", b"0", false));
        assert!(!glob_match(b"[a-\xff]", b"b", false));
        assert!(glob_match(b"[\x80-\xff]", b"\x90", false));
    }

    #[test]
    fn deep_star_nesting_gives_up_like_redis() {
        let s = vec![b'a'; 1100];
        let ok: Vec<u8> = b"*a".repeat(1000);
        let too_deep: Vec<u8> = b"*a".repeat(1001);
        assert!(glob_match(&ok, &s, false));
        assert!(!glob_match(&too_deep, &s, false));
    }

    #[test]
    fn many_stars_do_not_blow_up() {
        let pat: Vec<u8> = b"a*".repeat(50).into_iter().chain(*b"b").collect();
        let s = vec![b'a'; 200];
        assert!(!glob_match(&pat, &s, false));
    }
}
