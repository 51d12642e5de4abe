//! `SORT` and `SORT_RO`: sorting the elements of a list, set or sorted set,
//! numerically or as byte strings, by the elements themselves or by values
//! found through a `BY` pattern, returning them, values found through `GET`
//! patterns, or storing the result as a list (`STORE`).
//!
//! This follows Redis 7.0's `sortCommandGeneric` step by step, quirks
//! included: patterns are searched as C strings (up to the first NUL byte),
//! `ALPHA` without `STORE` compares with `strcoll` (C locale: bytes up to the
//! first NUL), equal numeric scores fall back to comparing the elements,
//! equal `ALPHA ... BY` values keep the input order of glibc's stable
//! `qsort`, and a `BY` sort limited by `LIMIT` uses Redis's partial
//! quicksort (`pqsort`), ported here so ties come out in the same order.
//! Every key a pattern looks up counts as a keyspace hit or miss, as
//! `lookupKeyRead` does; a sorted set is converted to `skiplist` first, as
//! Redis's `zsetConvert` does even for `SORT_RO`.

use std::cmp::Ordering;

use super::pqsort::pqsort;
use super::{Args, CmdError, Ctx};
use crate::num::c_str;
use crate::store::types::list::End;
use crate::store::types::{List, ZSet};
use crate::store::{Limits, Value};

/// `SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination]`.
pub fn sort(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    sort_generic(ctx, args, false)
}

/// `SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]`.
pub fn sort_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    sort_generic(ctx, args, true)
}

/// `COMMAND GETKEYS` for `SORT`: the sorted key, then the last `STORE`
/// destination, found by skipping option arguments as Redis's `sortGetKeys`
/// does (`LIMIT` skips two, `BY` and `GET` one; anything else none).
pub fn sort_keys(argc: usize, arg: &dyn Fn(usize) -> Vec<u8>) -> Vec<(usize, u32)> {
    use super::spec::{KS_ACCESS, KS_OW, KS_RO, KS_UPDATE};
    let mut keys = vec![(1, KS_RO | KS_ACCESS)];
    let mut store = None;
    let mut i = 2;
    while i < argc {
        let a = arg(i);
        if a.eq_ignore_ascii_case(b"limit") {
            i += 2;
        } else if a.eq_ignore_ascii_case(b"get") || a.eq_ignore_ascii_case(b"by") {
            i += 1;
        } else if a.eq_ignore_ascii_case(b"store") && i + 1 < argc {
            store = Some(i + 1);
        }
        i += 1;
    }
    if let Some(pos) = store {
        keys.push((pos, KS_OW | KS_UPDATE));
    }
    keys
}

/// The parsed options of one call.
struct Options<'a> {
    desc: bool,
    alpha: bool,
    limit_start: i64,
    limit_count: i64,
    by: Option<&'a [u8]>,
    /// `BY` given without a `*`: keep the container's own order.
    dontsort: bool,
    gets: Vec<&'a [u8]>,
    store: Option<&'a [u8]>,
}

fn parse<'a>(ctx: &Ctx<'_>, args: &Args<'a>, readonly: bool) -> Result<Options<'a>, CmdError> {
    let cluster = ctx.inst.config.get_bool("cluster-enabled");
    let mut o = Options {
        desc: false,
        alpha: false,
        limit_start: 0,
        limit_count: -1,
        by: None,
        dontsort: false,
        gets: Vec::new(),
        store: None,
    };
    let argc = args.len();
    let mut j = 2;
    while j < argc {
        let left = argc - j - 1;
        if args.is(j, "asc") {
            o.desc = false;
        } else if args.is(j, "desc") {
            o.desc = true;
        } else if args.is(j, "alpha") {
            o.alpha = true;
        } else if args.is(j, "limit") && left >= 2 {
            o.limit_start = args.int(j + 1)?;
            o.limit_count = args.int(j + 2)?;
            j += 2;
        } else if !readonly && args.is(j, "store") && left >= 1 {
            o.store = Some(args.get(j + 1));
            j += 1;
        } else if args.is(j, "by") && left >= 1 {
            let pattern = args.get(j + 1);
            o.by = Some(pattern);
            // Without a `*` nothing is looked up, so nothing is sorted
            // (`BY nosort`); only a real pattern is refused in cluster mode.
            // As in Redis, a later BY with a `*` does not undo an earlier
            // `BY nosort`.
            if c_str(pattern).contains(&b'*') {
                if cluster {
                    return Err(CmdError::Other("ERR BY option of SORT denied in Cluster mode."));
                }
            } else {
                o.dontsort = true;
            }
            j += 1;
        } else if args.is(j, "get") && left >= 1 {
            if cluster {
                return Err(CmdError::Other("ERR GET option of SORT denied in Cluster mode."));
            }
            o.gets.push(args.get(j + 1));
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    Ok(o)
}

/// What the source key held, as the sort sees it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    List,
    Set,
    ZSet,
}

/// One element of the sorting vector (Redis's `redisSortObject`).
struct Item {
    obj: Vec<u8>,
    score: f64,
    cmpobj: Option<Vec<u8>>,
}

/// Reads the source key: its kind and its elements (list order, set order,
/// or score order for a sorted set). A missing key is an empty list.
fn load_source(ctx: &mut Ctx<'_>, key: &[u8]) -> Result<(Source, Vec<Vec<u8>>), CmdError> {
    let db = ctx.db();
    let now = ctx.now_ms;
    let limits = ctx.limits();
    let mut converted = false;
    let (hit, loaded) = db.write(key, now, ctx.fx, |slot| {
        let hit = slot.exists();
        // Redis converts a compact sorted set to a skiplist before sorting it
        // (`zsetConvert`), and leaves it so: OBJECT ENCODING shows it.
        if matches!(slot.value(), Some(Value::ZSet(z)) if z.encoding() == "listpack") {
            let big = Limits {
                zset_max_listpack_entries: 0,
                ..limits
            };
            slot.update(|e| {
                if let Value::ZSet(z) = &mut e.value {
                    let entries = z.iter().map(|(m, s)| (m.to_vec(), s));
                    **z = ZSet::from_entries(entries.collect::<Vec<_>>(), &big);
                    converted = true;
                }
            });
        }
        let loaded = match slot.value() {
            None => Ok((Source::List, Vec::new())),
            Some(Value::List(l)) => Ok((Source::List, l.iter().map(<[u8]>::to_vec).collect())),
            Some(Value::Set(s)) => Ok((Source::Set, s.iter().map(|m| m.to_vec()).collect())),
            Some(Value::ZSet(z)) => Ok((Source::ZSet, z.iter().map(|(m, _)| m.to_vec()).collect())),
            Some(_) => Err(CmdError::WrongType),
        };
        (hit, loaded)
    });
    ctx.lookup(hit);
    if converted && ctx.replicating() {
        // The conversion is a change a replica must make too, whether this
        // SORT fails, reads or stores: a sort that only loads the key
        // (no `*` in BY: no sorting, no scores to parse) replicates it.
        let argv = ["SORT".as_bytes(), key, b"BY", b"nosort", b"LIMIT", b"0", b"0"]
            .iter()
            .map(|a| bytes::Bytes::copy_from_slice(a))
            .collect();
        ctx.propagate_also(argv, 0);
    }
    loaded
}

/// Redis's `lookupKeyByPattern`: `#` is the element itself; otherwise the
/// first `*` of the pattern is replaced by the element, and a `->field`
/// after it (with a non-empty field name) reads that hash field instead of a
/// string. The searches stop at the first NUL byte, as C's do; the key and
/// field are cut from the whole pattern. Every key looked up counts as a
/// keyspace hit or miss.
fn lookup_by_pattern(ctx: &mut Ctx<'_>, pattern: &[u8], subst: &[u8]) -> Option<Vec<u8>> {
    let cpat = c_str(pattern);
    if cpat == b"#" {
        return Some(subst.to_vec());
    }
    let star = cpat.iter().position(|&b| b == b'*')?;
    let after = &cpat[star + 1..];
    let field = after
        .windows(2)
        .position(|w| w == b"->")
        .map(|pos| star + 1 + pos)
        .filter(|&f| f + 2 < cpat.len())
        .map(|f| &pattern[f + 2..]);
    let fieldlen = field.map_or(0, <[u8]>::len);
    let postfixlen = pattern.len() - (star + 1) - if fieldlen > 0 { fieldlen + 2 } else { 0 };
    let mut key = Vec::with_capacity(star + subst.len() + postfixlen);
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(subst);
    key.extend_from_slice(&pattern[star + 1..star + 1 + postfixlen]);
    let db = ctx.db();
    let now = ctx.now_ms;
    let (hit, value) = db.read(&key, now, ctx.fx, |e| {
        let value = match (e.map(|e| &e.value), field) {
            (Some(Value::Hash(h)), Some(f)) => h.get(f).filter(|f| !f.is_expired(now)).map(|f| f.value.to_vec()),
            (Some(Value::Str(s)), None) => Some(s.to_vec()),
            _ => None,
        };
        (e.is_some(), value)
    });
    ctx.lookup(hit);
    value
}

/// Redis's `strtod` check on a sort weight: the whole C string must parse,
/// without overflow/underflow (glibc's ERANGE, subnormal results included)
/// and not to NaN. Redis also reads a stale `errno` left by earlier
/// conversions anywhere in the server; that is not reproduced.
fn weight(s: &[u8]) -> (f64, bool) {
    let s = c_str(s);
    let r = crate::num::strtod(s);
    let subnormal = r.value != 0.0 && r.value.abs() < f64::MIN_POSITIVE;
    let ok = r.used == s.len() && !r.range_error && !subnormal && !r.value.is_nan();
    (r.value, ok)
}

/// The order Redis's `sortCompare` defines (before `DESC` is applied).
fn compare(a: &Item, b: &Item, alpha: bool, by_pattern: bool, store: bool) -> Ordering {
    let bytes = |x: &[u8], y: &[u8]| if store { x.cmp(y) } else { c_str(x).cmp(c_str(y)) };
    if !alpha {
        if a.score > b.score {
            Ordering::Greater
        } else if a.score < b.score {
            Ordering::Less
        } else {
            // Equal scores: the elements decide, byte-wise, so the result is
            // deterministic.
            a.obj.cmp(&b.obj)
        }
    } else if by_pattern {
        match (&a.cmpobj, &b.cmpobj) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => bytes(x, y),
        }
    } else {
        bytes(&a.obj, &b.obj)
    }
}

fn sort_generic(ctx: &mut Ctx<'_>, args: &mut Args<'_>, readonly: bool) -> Result<(), CmdError> {
    let mut o = parse(ctx, args, readonly)?;
    let (source, elements) = load_source(ctx, args.get(1))?;

    // A set has no order of its own worth keeping when the result is stored:
    // Redis sorts it as strings instead, ignoring the BY pattern.
    if o.dontsort && source == Source::Set && o.store.is_some() {
        o.dontsort = false;
        o.alpha = true;
        o.by = None;
    }

    let vlen = elements.len() as i64;
    // LIMIT sanity checks, clamped to the vector first as Redis 7.0.15 does
    // to avoid overflow.
    let mut start = o.limit_start.clamp(0, vlen);
    let count = o.limit_count.clamp(-1, vlen);
    let mut end = if count < 0 { vlen - 1 } else { start + count - 1 };
    if start >= vlen {
        start = vlen - 1;
        end = vlen - 2;
    }
    if end >= vlen {
        end = vlen - 1;
    }

    let mut items: Vec<Item> = Vec::new();
    let direct = o.dontsort && matches!(source, Source::List | Source::ZSet);
    let wrap = |obj: Vec<u8>| Item {
        obj,
        score: 0.0,
        cmpobj: None,
    };
    if direct {
        // Lists and sorted sets keep their own order (reversed by DESC), and
        // only the LIMIT range is loaded.
        if end >= start {
            let (s, e) = (start as usize, end as usize);
            if o.desc {
                items.extend(elements.into_iter().rev().skip(s).take(e - s + 1).map(wrap));
            } else {
                items.extend(elements.into_iter().skip(s).take(e - s + 1).map(wrap));
            }
        }
        end -= start;
        start = 0;
    } else {
        items.extend(elements.into_iter().map(wrap));
    }

    let mut conversion_error = false;
    if !o.dontsort {
        for item in items.iter_mut() {
            let byval = match o.by {
                Some(pattern) => match lookup_by_pattern(ctx, pattern, &item.obj) {
                    Some(v) => v,
                    None => continue,
                },
                None if o.alpha => continue,
                None => {
                    let (score, ok) = weight(&item.obj);
                    item.score = score;
                    conversion_error |= !ok;
                    continue;
                }
            };
            if o.alpha {
                if o.by.is_some() {
                    item.cmpobj = Some(byval);
                }
            } else {
                let (score, ok) = weight(&byval);
                item.score = score;
                conversion_error |= !ok;
            }
        }
        // With a conversion error the reply is the error: skip the sort
        // (NaN scores would not even make an order).
        if !conversion_error {
            let (alpha, by_pattern, store, desc) = (o.alpha, o.by.is_some(), o.store.is_some(), o.desc);
            let mut cmp = |a: &Item, b: &Item| {
                let c = compare(a, b, alpha, by_pattern, store);
                if desc {
                    c.reverse()
                } else {
                    c
                }
            };
            let n = items.len() as i64;
            if by_pattern && (start != 0 || end != n - 1) {
                if n > 0 {
                    pqsort(&mut items, start.max(0) as usize, end.max(0) as usize, &mut cmp);
                }
            } else {
                // glibc's qsort is a merge sort here: stable, like this one.
                items.sort_by(cmp);
            }
        }
    }

    if conversion_error {
        return Err(CmdError::Other("ERR One or more scores can't be converted into double"));
    }

    let span = (end - start + 1).max(0) as usize;
    let outputlen = if o.gets.is_empty() { span } else { o.gets.len() * span };
    let range = if span == 0 {
        0..0
    } else {
        start as usize..end as usize + 1
    };
    match o.store {
        None => {
            ctx.out.array(outputlen);
            for item in items.get(range).unwrap_or(&[]) {
                if o.gets.is_empty() {
                    ctx.out.bulk(&item.obj);
                }
                for pattern in &o.gets {
                    match lookup_by_pattern(ctx, pattern, &item.obj) {
                        Some(v) => ctx.out.bulk(&v),
                        None => ctx.out.null(),
                    }
                }
            }
        }
        Some(dst) => {
            let mut list = List::with_fill(ctx.limits().list_max_listpack_size);
            for item in items.get(range).unwrap_or(&[]) {
                if o.gets.is_empty() {
                    list.push(End::Right, &item.obj);
                }
                for pattern in &o.gets {
                    // A missing value is stored as an empty string.
                    let v = lookup_by_pattern(ctx, pattern, &item.obj).unwrap_or_default();
                    list.push(End::Right, &v);
                }
            }
            let db = ctx.db();
            let (now, index) = (ctx.now_ms, db.index);
            let stored = db.write(dst, now, ctx.fx, |slot| {
                if list.is_empty() {
                    slot.remove().map(|_| false)
                } else {
                    slot.insert(Value::List(Box::new(list)), 0, now);
                    Some(true)
                }
            });
            match stored {
                Some(true) => ctx.fx.written(index, dst, "sortstore"),
                Some(false) => ctx.fx.deleted(index, dst, "del"),
                None => {}
            }
            ctx.out.int(outputlen as i64);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_read_as_c_strings_by_strtod() {
        assert_eq!(c_str(b"ab\0cd"), b"ab");
        assert_eq!(weight(b"12\0x"), (12.0, true));
        assert!(!weight(b"12x").1);
        assert!(!weight(b"nan").1);
        assert_eq!(weight(b""), (0.0, true));
        assert_eq!(weight(b" 2"), (2.0, true));
        assert!(!weight(b"2 ").1);
        assert!(!weight(b"1e400").1);
        assert!(!weight(b"1e-310").1, "subnormal results are ERANGE in glibc");
        assert!(weight(b"1e-300").1);
    }

    #[test]
    fn getkeys_finds_the_last_store() {
        let argv: Vec<&[u8]> = vec![b"sort", b"k", b"store", b"a", b"by", b"store", b"store", b"b"];
        let arg = |i: usize| argv[i].to_vec();
        let keys: Vec<usize> = sort_keys(argv.len(), &arg).into_iter().map(|(i, _)| i).collect();
        assert_eq!(keys, vec![1, 7]);
    }
}
