//! String commands: GET/SET and friends, counters, ranges, LCS.
//!
//! Values written whole are encoded as Redis's `tryObjectEncoding` would
//! (`Str::from_slice`); values changed in place (`APPEND`, `SETRANGE`) become
//! `raw`, as `OBJECT ENCODING` reports them. Relative TTLs are turned into
//! absolute Unix milliseconds before they are stored.

use super::args::parse_int;
use super::propagate;
use super::{Args, CmdError, Ctx};
use crate::num::long_double::LongDouble;
use crate::protocol::Reply;
use crate::store::{KeySlot, Str, Value};

/// The string a value holds, or `WRONGTYPE`.
#[allow(unreachable_patterns)]
fn string_of(v: &Value) -> Result<&Str, CmdError> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(CmdError::WrongType),
    }
}

/// The string a value holds, mutably, or `WRONGTYPE`.
#[allow(unreachable_patterns)]
fn string_of_mut(v: &mut Value) -> Result<&mut Str, CmdError> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(CmdError::WrongType),
    }
}

/// A stored string read as an integer, as `getLongLongFromObject` does.
fn integer_of(s: &Str) -> Result<i64, CmdError> {
    match s {
        Str::Int(n) => Ok(*n),
        other => other.with_bytes(crate::num::parse_ll).ok_or(CmdError::NotInteger),
    }
}

/// `proto-max-bulk-len`: the largest string a command may build.
fn max_string_len(ctx: &Ctx<'_>) -> i64 {
    ctx.inst.config.hot(crate::config::Hot::ProtoMaxBulkLen)
}

/// Refuses a string of `size + append` bytes over `proto-max-bulk-len`.
fn check_string_length(size: usize, append: usize, max: i64) -> Result<(), CmdError> {
    if size as i128 + append as i128 > i128::from(max) {
        return Err(CmdError::StringTooLong);
    }
    Ok(())
}

/// Replies with the key's string (or null) and says whether the key existed;
/// `WRONGTYPE` for another type, with nothing written.
fn reply_string(out: &mut Reply, slot: &KeySlot<'_>) -> Result<bool, CmdError> {
    match slot.value() {
        None => {
            out.null();
            Ok(false)
        }
        Some(v) => {
            string_of(v)?.with_bytes(|b| out.bulk(b));
            Ok(true)
        }
    }
}

/// `GET key`.
pub fn get(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let now = ctx.now_ms;
    let db = ctx.db();
    let out = &mut *ctx.out;
    let (hit, result) = db.read(key, now, ctx.fx, |e| match e {
        None => {
            out.null();
            (false, Ok(()))
        }
        Some(e) => (true, string_of(&e.value).map(|s| s.with_bytes(|b| out.bulk(b)))),
    });
    ctx.lookup(hit);
    result
}

/// How an expire option's number is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExpireUnit {
    /// Relative seconds.
    Ex,
    /// Relative milliseconds.
    Px,
    /// Absolute Unix seconds.
    ExAt,
    /// Absolute Unix milliseconds.
    PxAt,
}

/// Options of `SET` and `GETEX`.
#[derive(Debug, Default)]
struct ExtOptions<'a> {
    nx: bool,
    xx: bool,
    get: bool,
    keepttl: bool,
    persist: bool,
    expire: Option<(ExpireUnit, &'a [u8])>,
}

/// An argument as C sees it: up to its first NUL byte. Redis compares option
/// names as C strings, so `NX\0junk` still reads as `NX`.
fn c_str(arg: &[u8]) -> &[u8] {
    arg.split(|&b| b == 0).next().unwrap_or(arg)
}

/// Parses the options of `SET` (`for_set`) or `GETEX` from argument `from` on,
/// with Redis's rules on which options exclude which. An expire option may be
/// repeated with the same unit (the last one wins), as in Redis.
fn parse_ext_options<'a>(args: &Args<'a>, from: usize, for_set: bool) -> Result<ExtOptions<'a>, CmdError> {
    let mut o = ExtOptions::default();
    let mut j = from;
    while j < args.len() {
        let opt = c_str(args.get(j));
        let has_next = j + 1 < args.len();
        let is = |name: &str| opt.eq_ignore_ascii_case(name.as_bytes());
        let unit_free = |u: ExpireUnit, o: &ExtOptions<'_>| {
            !o.keepttl && !o.persist && o.expire.is_none_or(|(cur, _)| cur == u) && has_next
        };
        let unit = [
            ("ex", ExpireUnit::Ex),
            ("px", ExpireUnit::Px),
            ("exat", ExpireUnit::ExAt),
            ("pxat", ExpireUnit::PxAt),
        ]
        .into_iter()
        .find(|(name, _)| is(name))
        .map(|(_, u)| u);
        if is("nx") && !o.xx && for_set {
            o.nx = true;
        } else if is("xx") && !o.nx && for_set {
            o.xx = true;
        } else if is("get") && for_set {
            o.get = true;
        } else if is("keepttl") && !o.persist && o.expire.is_none() && for_set {
            o.keepttl = true;
        } else if is("persist") && !for_set && o.expire.is_none() && !o.keepttl {
            o.persist = true;
        } else if let Some(u) = unit.filter(|&u| unit_free(u, &o)) {
            o.expire = Some((u, args.get(j + 1)));
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    Ok(o)
}

/// The absolute expiry (Unix ms) an expire option asks for, validated as
/// Redis's `getExpireMillisecondsOrReply` does.
fn expire_at_ms(unit: ExpireUnit, raw: &[u8], now: u64, cmd: &'static str) -> Result<u64, CmdError> {
    let v = parse_int(raw)?;
    let seconds = matches!(unit, ExpireUnit::Ex | ExpireUnit::ExAt);
    if v <= 0 || (seconds && v > i64::MAX / 1000) {
        return Err(CmdError::InvalidExpireTime(cmd));
    }
    let mut ms = if seconds { v * 1000 } else { v };
    if matches!(unit, ExpireUnit::Ex | ExpireUnit::Px) {
        let now = i64::try_from(now).unwrap_or(i64::MAX);
        ms = ms.checked_add(now).ok_or(CmdError::InvalidExpireTime(cmd))?;
    }
    Ok(ms as u64)
}

/// How a conditional set reports itself when it does not use `GET`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetReply {
    /// `+OK`, or null when a condition stopped it (`SET`, `SETEX`, ...).
    OkOrNull,
    /// `:1`, or `:0` when a condition stopped it (`SETNX`).
    OneOrZero,
}

/// The shared body of `SET`, `SETNX`, `SETEX` and `PSETEX`.
fn set_generic(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    value: &[u8],
    o: &ExtOptions<'_>,
    style: SetReply,
) -> Result<(), CmdError> {
    let now = ctx.now_ms;
    let cmd = ctx.spec.name;
    let expire_at = o.expire.map(|(u, raw)| expire_at_ms(u, raw, now, cmd)).transpose()?;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let out = &mut *ctx.out;
    let (had_old, stored) = db.write(key, now, ctx.fx, |slot| {
        let had_old = if o.get { reply_string(out, slot)? } else { false };
        let found = slot.exists();
        if (o.nx && found) || (o.xx && !found) {
            return Ok((had_old, false));
        }
        let ttl = if o.keepttl {
            slot.entry().map_or(0, |e| e.expire_at)
        } else {
            expire_at.unwrap_or(0)
        };
        slot.insert(Value::Str(Str::from_slice(value)), ttl, now);
        Ok::<_, CmdError>((had_old, true))
    })?;
    if o.get {
        ctx.lookup(had_old);
    }
    if stored {
        ctx.fx.written(dbi, key, "set");
        if let Some(at) = expire_at {
            ctx.fx.written(dbi, key, "expire");
            // A relative TTL replicates as the absolute time it became
            // (Redis 7: `SET key value PXAT ms`); NX/XX/GET are moot once it wrote.
            if ctx.replicating() {
                let argv = vec![
                    propagate::arg(b"SET"),
                    propagate::arg(key),
                    propagate::arg(value),
                    propagate::arg(b"PXAT"),
                    propagate::int_arg(at),
                ];
                ctx.propagate(argv);
            } else {
                ctx.propagate_nothing();
            }
        }
    }
    if !o.get {
        match (style, stored) {
            (SetReply::OkOrNull, true) => ctx.out.ok(),
            (SetReply::OkOrNull, false) => ctx.out.null(),
            (SetReply::OneOrZero, s) => ctx.out.int(i64::from(s)),
        }
    }
    Ok(())
}

/// `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]`.
pub fn set(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let o = parse_ext_options(args, 3, true)?;
    set_generic(ctx, args.get(1), args.get(2), &o, SetReply::OkOrNull)
}

/// `SETNX key value`.
pub fn setnx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let o = ExtOptions {
        nx: true,
        ..ExtOptions::default()
    };
    set_generic(ctx, args.get(1), args.get(2), &o, SetReply::OneOrZero)
}

/// `SETEX key seconds value`.
pub fn setex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let o = ExtOptions {
        expire: Some((ExpireUnit::Ex, args.get(2))),
        ..ExtOptions::default()
    };
    set_generic(ctx, args.get(1), args.get(3), &o, SetReply::OkOrNull)
}

/// `PSETEX key milliseconds value`.
pub fn psetex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let o = ExtOptions {
        expire: Some((ExpireUnit::Px, args.get(2))),
        ..ExtOptions::default()
    };
    set_generic(ctx, args.get(1), args.get(3), &o, SetReply::OkOrNull)
}

/// `GETSET key value`: replies with the old value and drops any TTL.
pub fn getset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, value) = (args.get(1), args.get(2));
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let out = &mut *ctx.out;
    let had_old = db.write(key, now, ctx.fx, |slot| {
        let had_old = reply_string(out, slot)?;
        slot.insert(Value::Str(Str::from_slice(value)), 0, now);
        Ok::<_, CmdError>(had_old)
    })?;
    ctx.lookup(had_old);
    ctx.fx.written(dbi, key, "set");
    Ok(())
}

/// `GETDEL key`.
pub fn getdel(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let out = &mut *ctx.out;
    let removed = db.write(key, now, ctx.fx, |slot| {
        if !reply_string(out, slot)? {
            return Ok(false);
        }
        Ok::<_, CmdError>(slot.remove().is_some())
    })?;
    ctx.lookup(removed);
    if removed {
        ctx.fx.deleted(dbi, key, "del");
        propagate::del(ctx, key);
    }
    Ok(())
}

/// What `GETEX` did to the key's TTL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TtlChange {
    /// An absolute time already past: the key was deleted.
    Deleted,
    /// A new expiry was set (absolute Unix ms).
    Expire(u64),
    /// The TTL was removed.
    Persist,
}

/// `GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]`.
pub fn getex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let o = parse_ext_options(args, 2, false)?;
    let key = args.get(1);
    let now = ctx.now_ms;
    let cmd = ctx.spec.name;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let out = &mut *ctx.out;
    // Redis looks the key up and checks its type before it validates the
    // expire time: a missing key answers nil even with a bad time.
    let (hit, result) = db.write(key, now, ctx.fx, |slot| {
        let Some(entry) = slot.entry() else {
            out.null();
            return (false, Ok(None));
        };
        let s = match string_of(&entry.value) {
            Ok(s) => s,
            Err(e) => return (true, Err(e)),
        };
        let at = match o.expire.map(|(u, raw)| expire_at_ms(u, raw, now, cmd)).transpose() {
            Ok(at) => at,
            Err(e) => return (true, Err(e)),
        };
        s.with_bytes(|b| out.bulk(b));
        let absolute = matches!(o.expire, Some((ExpireUnit::ExAt | ExpireUnit::PxAt, _)));
        let change = match at {
            Some(ms) if absolute && ms <= now => {
                slot.remove();
                Some(TtlChange::Deleted)
            }
            Some(ms) => {
                slot.update(|e| e.expire_at = ms);
                Some(TtlChange::Expire(ms))
            }
            None if o.persist => slot
                .update(|e| std::mem::replace(&mut e.expire_at, 0) != 0)
                .filter(|&had_ttl| had_ttl)
                .map(|_| TtlChange::Persist),
            None => None,
        };
        (true, Ok(change))
    });
    ctx.lookup(hit);
    // Replicated as what happened to the TTL: `DEL`, `PEXPIREAT` with the
    // absolute time, or `PERSIST` (Redis 7's forms).
    match result? {
        Some(TtlChange::Deleted) => {
            ctx.fx.deleted(dbi, key, "del");
            propagate::del(ctx, key);
        }
        Some(TtlChange::Expire(at)) => {
            ctx.fx.written(dbi, key, "expire");
            propagate::pexpireat(ctx, key, at);
        }
        Some(TtlChange::Persist) => {
            ctx.fx.written(dbi, key, "persist");
            ctx.propagate_parts(&[b"PERSIST", key]);
        }
        None => {}
    }
    Ok(())
}

/// `MGET key [key ...]`: values of other types read as nil.
pub fn mget(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let now = ctx.now_ms;
    let keys = args.from(1);
    let db = ctx.db();
    ctx.out.array(keys.len());
    for key in keys {
        let out = &mut *ctx.out;
        let hit = db.read(key, now, ctx.fx, |e| {
            match e.map(|e| string_of(&e.value)) {
                Some(Ok(s)) => s.with_bytes(|b| out.bulk(b)),
                _ => out.null(),
            }
            e.is_some()
        });
        ctx.lookup(hit);
    }
    Ok(())
}

/// A key and the value to store there.
type KeyValue<'a> = (&'a [u8], &'a [u8]);

/// The (key, value) pairs of `MSET`/`MSETNX`; an odd count is an arity error.
fn key_value_pairs<'a>(ctx: &Ctx<'_>, args: &Args<'a>) -> Result<Vec<KeyValue<'a>>, CmdError> {
    if args.len().is_multiple_of(2) {
        return Err(CmdError::WrongArity(ctx.spec.name));
    }
    Ok((1..args.len())
        .step_by(2)
        .map(|i| (args.get(i), args.get(i + 1)))
        .collect())
}

/// Sets every pair (dropping TTLs) unless `only_if_none` and some key exists;
/// returns whether it set them.
fn mset_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, only_if_none: bool) -> Result<bool, CmdError> {
    let pairs = key_value_pairs(ctx, args)?;
    let keys: Vec<&[u8]> = pairs.iter().map(|(k, _)| *k).collect();
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let stored = db.write_keys(&keys, now, ctx.fx, |ks| {
        if only_if_none && keys.iter().any(|k| ks.slot(k).is_some_and(|s| s.exists())) {
            return false;
        }
        for (k, v) in &pairs {
            if let Some(mut slot) = ks.slot(k) {
                slot.insert(Value::Str(Str::from_slice(v)), 0, now);
            }
        }
        true
    });
    if stored {
        for k in &keys {
            ctx.fx.written(dbi, k, "set");
        }
    }
    Ok(stored)
}

/// `MSET key value [key value ...]`.
pub fn mset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    mset_generic(ctx, args, false)?;
    ctx.out.ok();
    Ok(())
}

/// `MSETNX key value [key value ...]`: all or nothing, only if no key exists.
pub fn msetnx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let stored = mset_generic(ctx, args, true)?;
    ctx.out.int(i64::from(stored));
    Ok(())
}

/// `APPEND key value`.
pub fn append(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, value) = (args.get(1), args.get(2));
    let now = ctx.now_ms;
    let max = max_string_len(ctx);
    let dbi = ctx.session.db;
    let db = ctx.db();
    let len = db.write(key, now, ctx.fx, |slot| {
        let Some(v) = slot.value() else {
            slot.insert(Value::Str(Str::from_slice(value)), 0, now);
            return Ok(value.len());
        };
        check_string_length(string_of(v)?.len(), value.len(), max)?;
        slot.update(|e| {
            let data = string_of_mut(&mut e.value)?.make_raw();
            data.extend_from_slice(value);
            Ok(data.len())
        })
        .unwrap_or(Ok(0))
    })?;
    ctx.fx.written(dbi, key, "append");
    ctx.out.int(len as i64);
    Ok(())
}

/// `STRLEN key`.
pub fn strlen(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let now = ctx.now_ms;
    let db = ctx.db();
    let (hit, len) = db.read(args.get(1), now, ctx.fx, |e| match e {
        None => (false, Ok(0)),
        Some(e) => (true, string_of(&e.value).map(Str::len)),
    });
    ctx.lookup(hit);
    ctx.out.int(len? as i64);
    Ok(())
}

/// The byte range `GETRANGE` returns for `start..=end` over `len` bytes,
/// with Redis's clamping of negative and oversized indexes.
fn byte_range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    if start < 0 && end < 0 && start > end {
        return None;
    }
    let l = len as i64;
    let start = if start < 0 { (l + start).max(0) } else { start };
    let mut end = if end < 0 { (l + end).max(0) } else { end };
    if end >= l {
        end = l - 1;
    }
    if start > end || len == 0 {
        return None;
    }
    Some((start as usize, end as usize))
}

/// `GETRANGE key start end` (and its old name `SUBSTR`).
pub fn getrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let start = args.int(2)?;
    let end = args.int(3)?;
    let now = ctx.now_ms;
    let db = ctx.db();
    let out = &mut *ctx.out;
    let (hit, result) = db.read(args.get(1), now, ctx.fx, |e| {
        let Some(e) = e else {
            out.bulk(b"");
            return (false, Ok(()));
        };
        let r = string_of(&e.value).map(|s| {
            s.with_bytes(
                |b| match byte_range(b.len(), start, end).and_then(|(s, e)| b.get(s..=e)) {
                    Some(part) => out.bulk(part),
                    None => out.bulk(b""),
                },
            )
        });
        (true, r)
    });
    ctx.lookup(hit);
    result
}

/// `SETRANGE key offset value`.
pub fn setrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let offset = args.int(2)?;
    let value = args.get(3);
    let Ok(offset) = usize::try_from(offset) else {
        return Err(CmdError::Other("ERR offset is out of range"));
    };
    let now = ctx.now_ms;
    let max = max_string_len(ctx);
    let dbi = ctx.session.db;
    let db = ctx.db();
    let (len, changed) = db.write(key, now, ctx.fx, |slot| {
        let Some(v) = slot.value() else {
            // Nothing to write on a missing key creates nothing.
            if value.is_empty() {
                return Ok((0, false));
            }
            check_string_length(offset, value.len(), max)?;
            let mut data = Vec::new();
            data.try_reserve_exact(offset + value.len())
                .map_err(|_| CmdError::StringTooLong)?;
            data.resize(offset, 0);
            data.extend_from_slice(value);
            let len = data.len();
            slot.insert(Value::Str(Str::Bytes { data, raw: true }), 0, now);
            return Ok((len, true));
        };
        let old_len = string_of(v)?.len();
        if value.is_empty() {
            return Ok((old_len, false));
        }
        check_string_length(offset, value.len(), max)?;
        slot.update(|e| {
            let data = string_of_mut(&mut e.value)?.make_raw();
            let end = offset + value.len();
            if data.len() < end {
                data.try_reserve(end - data.len())
                    .map_err(|_| CmdError::StringTooLong)?;
                data.resize(end, 0);
            }
            if let Some(dst) = data.get_mut(offset..end) {
                dst.copy_from_slice(value);
            }
            Ok((data.len(), true))
        })
        .unwrap_or(Ok((0, false)))
    })?;
    if changed {
        ctx.fx.written(dbi, key, "setrange");
    }
    ctx.out.int(len as i64);
    Ok(())
}

/// Adds `delta` to the integer at `key` (0 if missing), keeping its TTL.
fn incr_by(ctx: &mut Ctx<'_>, key: &[u8], delta: i64) -> Result<(), CmdError> {
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let n = db.write(key, now, ctx.fx, |slot| {
        let cur = match slot.value() {
            None => 0,
            Some(v) => integer_of(string_of(v)?)?,
        };
        let n = cur.checked_add(delta).ok_or(CmdError::Overflow)?;
        let value = Value::Str(Str::Int(n));
        if slot.exists() {
            slot.update(|e| e.value = value);
        } else {
            slot.insert(value, 0, now);
        }
        Ok::<_, CmdError>(n)
    })?;
    ctx.fx.written(dbi, key, "incrby");
    ctx.out.int(n);
    Ok(())
}

/// `INCR key`.
pub fn incr(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    incr_by(ctx, args.get(1), 1)
}

/// `DECR key`.
pub fn decr(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    incr_by(ctx, args.get(1), -1)
}

/// `INCRBY key increment`.
pub fn incrby(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let delta = args.int(2)?;
    incr_by(ctx, args.get(1), delta)
}

/// `DECRBY key decrement`.
pub fn decrby(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let delta = args.int(2)?;
    let Some(delta) = delta.checked_neg() else {
        return Err(CmdError::Other("ERR decrement would overflow"));
    };
    incr_by(ctx, args.get(1), delta)
}

/// `INCRBYFLOAT key increment`: computed in x87 `long double` and stored as
/// the text Redis prints (`%.17Lf` without trailing zeros), keeping the TTL.
pub fn incrbyfloat(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, incr) = (args.get(1), args.get(2));
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let text = db.write(key, now, ctx.fx, |slot| {
        let cur = match slot.value() {
            None => LongDouble::from_i64(0),
            Some(v) => match string_of(v)? {
                Str::Int(n) => LongDouble::from_i64(*n),
                other => other.with_bytes(LongDouble::parse).ok_or(CmdError::NotFloat)?,
            },
        };
        let incr = LongDouble::parse(incr).ok_or(CmdError::NotFloat)?;
        let sum = cur
            .checked_add(incr)
            .filter(LongDouble::is_finite)
            .ok_or(CmdError::Other("ERR increment would produce NaN or Infinity"))?;
        let text = sum.to_human().into_bytes();
        // Stored as printed, never as an integer encoding (Redis's
        // createStringObject, not tryObjectEncoding).
        // Stored as the replicated `SET key result KEEPTTL` stores it (a
        // new entry keeping the TTL), so that the key sits where it sits on
        // a replica and SCAN orders match.
        slot.insert_keep_ttl(Value::Str(Str::plain(text.clone())), now);
        Ok::<_, CmdError>(text)
    })?;
    ctx.fx.written(dbi, key, "incrbyfloat");
    // Replicated as the value it printed, so that float formatting on the
    // replica cannot differ (Redis: `SET key result KEEPTTL`).
    ctx.propagate_parts(&[b"SET", key, &text, b"KEEPTTL"]);
    ctx.out.bulk(&text);
    Ok(())
}

/// One common run of `LCS ... IDX`: ranges in both strings and its length.
struct Match {
    a: (u32, u32),
    b: (u32, u32),
    len: u32,
}

/// The longest common subsequence of `a` and `b` (Redis's dynamic
/// programming table and backtrack, so ties resolve the same way), with the
/// matching runs at least `min_len` long when `want_ranges`.
fn lcs_compute(
    a: &[u8],
    b: &[u8],
    want_ranges: bool,
    min_len: u64,
    max_table: i64,
) -> Result<(Vec<u8>, Vec<Match>), CmdError> {
    if a.len() >= u32::MAX as usize - 1 || b.len() >= u32::MAX as usize - 1 {
        return Err(CmdError::Other("ERR String too long for LCS"));
    }
    let (alen, blen) = (a.len(), b.len());
    let width = blen + 1;
    let cells = (alen + 1) as u128 * width as u128;
    if cells * 4 > max_table.max(0) as u128 {
        return Err(CmdError::Other(
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
        ));
    }
    let cells = cells as usize;
    let mut table: Vec<u32> = Vec::new();
    if table.try_reserve_exact(cells).is_err() {
        return Err(CmdError::Other(
            "ERR Insufficient memory, failed allocating transient memory for LCS",
        ));
    }
    table.resize(cells, 0);
    for i in 1..=alen {
        for j in 1..=blen {
            table[i * width + j] = if a[i - 1] == b[j - 1] {
                table[(i - 1) * width + j - 1] + 1
            } else {
                table[(i - 1) * width + j].max(table[i * width + j - 1])
            };
        }
    }
    let total = table[alen * width + blen] as usize;
    let mut result = vec![0u8; total];
    let mut matches = Vec::new();
    let mut idx = total;
    let (mut i, mut j) = (alen, blen);
    // `None` stands for Redis's "range not set" marker.
    let mut range: Option<(usize, usize, usize, usize)> = None;
    while i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            result[idx - 1] = a[i - 1];
            match &mut range {
                None => range = Some((i - 1, i - 1, j - 1, j - 1)),
                Some((a_start, _, b_start, _)) => {
                    if *a_start == i && *b_start == j {
                        *a_start -= 1;
                        *b_start -= 1;
                    } else {
                        emit = true;
                    }
                }
            }
            if range.is_some_and(|(a_start, _, b_start, _)| a_start == 0 || b_start == 0) {
                emit = true;
            }
            idx -= 1;
            i -= 1;
            j -= 1;
        } else {
            if table[(i - 1) * width + j] > table[i * width + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            if range.is_some() {
                emit = true;
            }
        }
        if emit {
            if let Some((a_start, a_end, b_start, b_end)) = range.take() {
                let len = (a_end - a_start + 1) as u64;
                if want_ranges && (min_len == 0 || len >= min_len) {
                    matches.push(Match {
                        a: (a_start as u32, a_end as u32),
                        b: (b_start as u32, b_end as u32),
                        len: len as u32,
                    });
                }
            }
        }
    }
    Ok((result, matches))
}

/// Reads a key for `LCS`: a missing key is the empty string.
fn lcs_operand(ctx: &mut Ctx<'_>, key: &[u8]) -> Result<Vec<u8>, ()> {
    let now = ctx.now_ms;
    let db = ctx.db();
    let (hit, bytes) = db.read(key, now, ctx.fx, |e| match e {
        None => (false, Ok(Vec::new())),
        Some(e) => (true, string_of(&e.value).map(Str::to_vec).map_err(|_| ())),
    });
    ctx.lookup(hit);
    bytes
}

/// `LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]`.
pub fn lcs(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let a = lcs_operand(ctx, args.get(1));
    let b = lcs_operand(ctx, args.get(2));
    let (Ok(a), Ok(b)) = (a, b) else {
        return Err(CmdError::Other("ERR The specified keys must contain string values"));
    };
    let (mut get_len, mut get_idx, mut with_len) = (false, false, false);
    let mut min_len: i64 = 0;
    let mut j = 3;
    while j < args.len() {
        let opt = c_str(args.get(j));
        let more = j + 1 < args.len();
        if opt.eq_ignore_ascii_case(b"idx") {
            get_idx = true;
        } else if opt.eq_ignore_ascii_case(b"len") {
            get_len = true;
        } else if opt.eq_ignore_ascii_case(b"withmatchlen") {
            with_len = true;
        } else if opt.eq_ignore_ascii_case(b"minmatchlen") && more {
            min_len = args.int(j + 1)?.max(0);
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    if get_idx && get_len {
        return Err(CmdError::Other(
            "ERR If you want both the length and indexes, please just use IDX.",
        ));
    }
    let max = max_string_len(ctx);
    let (common, matches) = lcs_compute(&a, &b, get_idx, min_len as u64, max)?;
    let out = &mut *ctx.out;
    if get_idx {
        out.map(2);
        out.bulk(b"matches");
        out.array(matches.len());
        for m in &matches {
            out.array(if with_len { 3 } else { 2 });
            out.array(2);
            out.int(i64::from(m.a.0));
            out.int(i64::from(m.a.1));
            out.array(2);
            out.int(i64::from(m.b.0));
            out.int(i64::from(m.b.1));
            if with_len {
                out.int(i64::from(m.len));
            }
        }
        out.bulk(b"len");
        out.int(common.len() as i64);
    } else if get_len {
        out.int(common.len() as i64);
    } else {
        out.bulk(&common);
    }
    Ok(())
}

/// `SUBSTR key start end`: the old name of `GETRANGE`.
pub fn substr(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    getrange(ctx, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_range_clamps_like_redis() {
        assert_eq!(byte_range(8, 0, -1), Some((0, 7)));
        assert_eq!(byte_range(8, -1, -5), None);
        assert_eq!(byte_range(8, 3, -100), None);
        assert_eq!(byte_range(8, -100, 2), Some((0, 2)));
        assert_eq!(byte_range(8, 5, 100), Some((5, 7)));
        assert_eq!(byte_range(0, 0, -1), None);
        assert_eq!(byte_range(8, i64::MAX, i64::MIN), None);
        assert_eq!(byte_range(8, i64::MIN, i64::MAX), Some((0, 7)));
    }

    #[test]
    fn lcs_matches_redis_example() {
        let (s, m) = lcs_compute(b"ohmytext", b"mynewtext", true, 0, 1 << 29).unwrap();
        assert_eq!(s, b"mytext");
        let ranges: Vec<_> = m.iter().map(|m| (m.a, m.b, m.len)).collect();
        assert_eq!(ranges, vec![((4, 7), (5, 8), 4), ((2, 3), (0, 1), 2)]);
    }

    #[test]
    fn option_names_are_read_as_c_strings() {
        assert_eq!(c_str(b"nx\0junk"), b"nx");
        assert_eq!(c_str(b""), b"");
    }
}
