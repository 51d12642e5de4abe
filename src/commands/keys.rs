//! Keyspace commands: deletion, existence, renaming, copying and moving,
//! TTLs, KEYS/SCAN/RANDOMKEY, OBJECT, DUMP/RESTORE.
//!
//! Type-independent by construction: replies that name a type or an
//! encoding come from [`Value::kind`] and [`Value::encoding`], so new value
//! types need nothing here except a DUMP encoding in [`super::dump`].
//! Lookups count `keyspace_hits`/`keyspace_misses` exactly where Redis's
//! read lookups do (EXISTS, TYPE, TTL, OBJECT, TOUCH, COPY's source, DUMP,
//! SCAN's TYPE filter), and not for write lookups.

use rand::Rng;

use super::dump::{self, PayloadError};
use super::propagate;
use super::{Args, CmdError, Ctx};
use crate::glob::glob_match;
use crate::store::db::lru_clock;
use crate::store::evict;
use crate::store::{Db, Entry, KeySlot, Str, Value};

/// Redis's `LRU_CLOCK_MAX`: the LRU clock wraps at 2^24 - 1 seconds.
const LRU_CLOCK_MAX: i64 = (1 << 24) - 1;

/// Integers Redis serves from its shared objects (`OBJ_SHARED_INTEGERS`).
const SHARED_INTEGERS: i64 = 10_000;

/// The refcount Redis reports for shared objects (`OBJ_SHARED_REFCOUNT`).
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

const LFU_NOT_SELECTED: &str = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. \
Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

const LFU_SELECTED: &str = "ERR An LFU maxmemory policy is selected, idle time not tracked. \
Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

const OBJECT_HELP: &[&str] = &[
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Prints this help.",
];

/// Reads a key for a read-only command: refreshes its access time unless
/// the client asked for `CLIENT NO-TOUCH`.
fn read_key<R>(ctx: &mut Ctx<'_>, key: &[u8], f: impl FnOnce(Option<&Entry>) -> R) -> R {
    let db = ctx.db();
    if ctx.session.no_touch {
        db.peek(key, ctx.now_ms, ctx.fx, f)
    } else {
        db.read(key, ctx.now_ms, ctx.fx, f)
    }
}

/// Parses a database index as `getIntFromObjectOrReply` + `selectDb` do.
fn parse_db<'a>(ctx: &Ctx<'a>, arg: &[u8]) -> Result<&'a Db, CmdError> {
    let n = super::args::parse_int(arg)?;
    let n = i32::try_from(n).map_err(|_| CmdError::NotInt32)?;
    let inst: &'a crate::node::instance::Instance = ctx.inst;
    usize::try_from(n)
        .ok()
        .and_then(|i| inst.store.db(i))
        .ok_or(CmdError::DbIndexOutOfRange)
}

fn maxmemory_policy_is_lfu(ctx: &Ctx<'_>) -> bool {
    ctx.inst.config.get("maxmemory-policy").ends_with("-lfu")
}

// ---------------------------------------------------------------------------
// DEL, UNLINK, EXISTS, TYPE, TOUCH

fn remove_keys(ctx: &mut Ctx<'_>, args: &Args<'_>) {
    let db = ctx.db();
    let mut removed = 0;
    for key in args.from(1) {
        if db.write(key, ctx.now_ms, ctx.fx, |s| s.remove().is_some()) {
            ctx.fx.deleted(db.index, key, "del");
            removed += 1;
        }
    }
    ctx.out.int(removed);
}

/// `DEL key [key ...]`.
pub fn del(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    remove_keys(ctx, args);
    Ok(())
}

/// `UNLINK key [key ...]`: DEL whose memory is freed elsewhere in Redis;
/// here the same as DEL (Redis names the event `del` too).
pub fn unlink(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    remove_keys(ctx, args);
    Ok(())
}

/// `EXISTS key [key ...]`: repeated keys count each time.
pub fn exists(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let db = ctx.db();
    let mut found = 0;
    for key in args.from(1) {
        let hit = db.peek(key, ctx.now_ms, ctx.fx, |e| e.is_some());
        ctx.lookup(hit);
        found += i64::from(hit);
    }
    ctx.out.int(found);
    Ok(())
}

/// `TYPE key`.
pub fn type_(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let kind = ctx
        .db()
        .peek(args.get(1), ctx.now_ms, ctx.fx, |e| e.map(|e| e.value.kind()));
    ctx.lookup(kind.is_some());
    ctx.out.simple(kind.map_or("none", |k| k.name()));
    Ok(())
}

/// `TOUCH key [key ...]`: refreshes access times, counts existing keys.
pub fn touch(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let db = ctx.db();
    let mut found = 0;
    for key in args.from(1) {
        // TOUCH exists to touch, so it does even under CLIENT NO-TOUCH.
        let hit = db.read(key, ctx.now_ms, ctx.fx, |e| e.is_some());
        ctx.lookup(hit);
        found += i64::from(hit);
    }
    ctx.out.int(found);
    Ok(())
}

// ---------------------------------------------------------------------------
// KEYS, SCAN, RANDOMKEY

/// `KEYS pattern`.
pub fn keys(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let pattern = args.get(1);
    let all = pattern == b"*";
    let mut found: Vec<Box<[u8]>> = Vec::new();
    ctx.db().for_each(ctx.now_ms, |e| {
        if all || glob_match(pattern, &e.key, false) {
            found.push(Box::from(&*e.key));
        }
    });
    ctx.out.array(found.len());
    for k in &found {
        ctx.out.bulk(k);
    }
    Ok(())
}

/// Parses a SCAN cursor as Redis does with `strtoul`: an optional sign
/// (a negative cursor wraps), decimal digits, nothing after them (the
/// string ends at a NUL byte, as C sees it), no leading space, no overflow.
/// The empty string is cursor 0.
pub(crate) fn parse_cursor(arg: &[u8]) -> Option<u64> {
    let s = arg.iter().position(|&b| b == 0).map_or(arg, |n| &arg[..n]);
    let first = s.first().copied();
    if first.is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')) {
        return None;
    }
    let (neg, digits) = match first {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        // No conversion at all: valid only when there was nothing to convert.
        return s.is_empty().then_some(0);
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]`.
pub fn scan(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let cursor = parse_cursor(args.get(1)).ok_or(CmdError::Other("ERR invalid cursor"))?;
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut type_name: Option<&[u8]> = None;
    let mut i = 2;
    while i < args.len() {
        let has_value = args.len() - i >= 2;
        if args.is(i, "count") && has_value {
            count = args.int(i + 1)?;
            if count < 1 {
                return Err(CmdError::Syntax);
            }
        } else if args.is(i, "match") && has_value {
            let p = args.get(i + 1);
            pattern = (p != b"*").then_some(p);
        } else if args.is(i, "type") && has_value {
            type_name = Some(args.get(i + 1));
        } else {
            return Err(CmdError::Syntax);
        }
        i += 2;
    }
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let mut batch: Vec<(Box<[u8]>, &'static str)> = Vec::new();
    let next = ctx.db().scan_expiring(cursor, count, ctx.now_ms, ctx.fx, |e| {
        batch.push((Box::from(&*e.key), e.value.kind().name()));
    });
    let mut keys: Vec<Box<[u8]>> = Vec::with_capacity(batch.len());
    for (key, kind) in batch {
        if pattern.is_some_and(|p| !glob_match(p, &key, false)) {
            continue;
        }
        if let Some(t) = type_name {
            // Redis looks each candidate up to learn its type, counting a hit.
            ctx.lookup(true);
            if !kind.as_bytes().eq_ignore_ascii_case(t) {
                continue;
            }
        }
        keys.push(key);
    }
    ctx.out.array(2);
    ctx.out.bulk(itoa::Buffer::new().format(next).as_bytes());
    ctx.out.array(keys.len());
    for k in &keys {
        ctx.out.bulk(k);
    }
    Ok(())
}

/// `RANDOMKEY`.
pub fn randomkey(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let db = ctx.db();
    let rng = &mut *ctx.rng;
    match db.random_key(ctx.now_ms, ctx.fx, || rng.random::<u64>()) {
        Some(k) => ctx.out.bulk(&k),
        None => ctx.out.null(),
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// RENAME, RENAMENX, COPY, MOVE

enum Renamed {
    NoSource,
    SameKey,
    TargetExists,
    Done,
}

fn rename_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, nx: bool) -> Result<(), CmdError> {
    let (src, dst) = (args.get(1), args.get(2));
    let db = ctx.db();
    let now = ctx.now_ms;
    let outcome = db.write_keys(&[src, dst], now, ctx.fx, |ks| {
        if !ks.slot(src).is_some_and(|s| s.exists()) {
            return Renamed::NoSource;
        }
        // Renaming a key to itself changes nothing, once the key is known to exist.
        if src == dst {
            return Renamed::SameKey;
        }
        if nx && ks.slot(dst).is_some_and(|s| s.exists()) {
            return Renamed::TargetExists;
        }
        let Some(entry) = ks.slot(src).and_then(|mut s| s.remove()) else {
            return Renamed::NoSource;
        };
        if let Some(mut d) = ks.slot(dst) {
            d.insert(entry.value, entry.expire_at, now);
        }
        Renamed::Done
    });
    match outcome {
        Renamed::NoSource => return Err(CmdError::NoSuchKey),
        Renamed::Done => {
            ctx.fx.deleted(db.index, src, "rename_from");
            ctx.fx.written(db.index, dst, "rename_to");
        }
        Renamed::SameKey | Renamed::TargetExists => {}
    }
    if nx {
        ctx.out.int(i64::from(matches!(outcome, Renamed::Done)));
    } else {
        ctx.out.ok();
    }
    Ok(())
}

/// `RENAME key newkey`.
pub fn rename(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    rename_generic(ctx, args, false)
}

/// `RENAMENX key newkey`.
pub fn renamenx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    rename_generic(ctx, args, true)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Copied {
    NoSource,
    TargetExists,
    Done,
}

/// Copies the entry of `from` into `to` (both already locked).
fn copy_entry(from: &KeySlot<'_>, to: &mut KeySlot<'_>, replace: bool, now: u64) -> Copied {
    let Some((value, expire_at)) = from.entry().map(|e| (e.value.clone(), e.expire_at)) else {
        return Copied::NoSource;
    };
    if to.exists() && !replace {
        return Copied::TargetExists;
    }
    to.insert(value, expire_at, now);
    Copied::Done
}

/// `COPY source destination [DB destination-db] [REPLACE]`.
pub fn copy(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (src, dst) = (args.get(1), args.get(2));
    let from_db = ctx.db();
    let mut to_db = from_db;
    let mut replace = false;
    let mut j = 3;
    while j < args.len() {
        if args.is(j, "replace") {
            replace = true;
        } else if args.is(j, "db") && j + 1 < args.len() {
            to_db = parse_db(ctx, args.get(j + 1))?;
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let same_db = from_db.index == to_db.index;
    if same_db && src == dst {
        return Err(CmdError::SameObject);
    }
    let now = ctx.now_ms;
    let outcome = if same_db {
        from_db.write_keys(&[src, dst], now, ctx.fx, |ks| {
            let Some((value, expire_at)) = ks
                .slot(src)
                .and_then(|s| s.entry().map(|e| (e.value.clone(), e.expire_at)))
            else {
                return Copied::NoSource;
            };
            match ks.slot(dst) {
                Some(d) if d.exists() && !replace => Copied::TargetExists,
                Some(mut d) => {
                    d.insert(value, expire_at, now);
                    Copied::Done
                }
                None => Copied::NoSource,
            }
        })
    } else {
        Db::write_across(from_db, src, to_db, dst, now, ctx.fx, |from, to| {
            copy_entry(from, to, replace, now)
        })
        .unwrap_or(Copied::NoSource)
    };
    ctx.lookup(outcome != Copied::NoSource);
    if outcome == Copied::Done {
        ctx.fx.written(to_db.index, dst, "copy_to");
    }
    ctx.out.int(i64::from(outcome == Copied::Done));
    Ok(())
}

/// `MOVE key db`.
pub fn move_(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let to_db = parse_db(ctx, args.get(2))?;
    let from_db = ctx.db();
    if from_db.index == to_db.index {
        return Err(CmdError::SameObject);
    }
    let now = ctx.now_ms;
    let moved = Db::write_across(from_db, key, to_db, key, now, ctx.fx, |from, to| {
        if !from.exists() || to.exists() {
            return false;
        }
        match from.remove() {
            Some(e) => {
                to.insert(e.value, e.expire_at, now);
                true
            }
            None => false,
        }
    })
    .unwrap_or(false);
    if moved {
        ctx.fx.deleted(from_db.index, key, "move_from");
        ctx.fx.written(to_db.index, key, "move_to");
    }
    ctx.out.int(i64::from(moved));
    Ok(())
}

// ---------------------------------------------------------------------------
// OBJECT

/// Looks a key up for OBJECT (no touch, counts a hit or miss); replies nil
/// and returns `None` when it is missing.
fn object_lookup<R>(ctx: &mut Ctx<'_>, key: &[u8], f: impl FnOnce(&Entry) -> R) -> Option<R> {
    let r = ctx.db().peek(key, ctx.now_ms, ctx.fx, |e| e.map(f));
    ctx.lookup(r.is_some());
    if r.is_none() {
        ctx.out.null();
    }
    r
}

/// `OBJECT ENCODING key`.
pub fn object_encoding(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if let Some(enc) = object_lookup(ctx, args.get(2), |e| e.value.encoding()) {
        ctx.out.bulk(enc.as_bytes());
    }
    Ok(())
}

/// Whether Redis would store small integers as shared objects: not when an
/// LRU/LFU policy needs per-object access data and maxmemory is set.
fn shared_integers(ctx: &Ctx<'_>) -> bool {
    let policy = ctx.inst.config.get("maxmemory-policy");
    ctx.inst.config.get_i64("maxmemory") == 0 || !(policy.ends_with("-lru") || policy.ends_with("-lfu"))
}

fn is_shared_integer(value: &Value) -> bool {
    matches!(value, Value::Str(Str::Int(n)) if (0..SHARED_INTEGERS).contains(n))
}

/// `OBJECT REFCOUNT key`: Redis's shared small integers report `INT_MAX`,
/// everything else 1.
pub fn object_refcount(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let shared_ok = shared_integers(ctx);
    if let Some(shared) = object_lookup(ctx, args.get(2), |e| is_shared_integer(&e.value)) {
        ctx.out.int(if shared && shared_ok { SHARED_REFCOUNT } else { 1 });
    }
    Ok(())
}

/// Seconds since `access` on the wrapping 24-bit LRU clock, as Redis's
/// `estimateObjectIdleTime` computes it.
fn idle_seconds(access: u32, now: u64) -> i64 {
    let (clock, access) = (i64::from(lru_clock(now)), i64::from(access));
    if clock >= access {
        clock - access
    } else {
        clock + (LRU_CLOCK_MAX - access)
    }
}

/// `OBJECT IDLETIME key`.
pub fn object_idletime(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let now = ctx.now_ms;
    if let Some(idle) = object_lookup(ctx, args.get(2), |e| idle_seconds(e.access, now)) {
        if maxmemory_policy_is_lfu(ctx) {
            return Err(CmdError::Other(LFU_SELECTED));
        }
        ctx.out.int(idle);
    }
    Ok(())
}

/// `OBJECT FREQ key`: the key's LFU counter after the decay it is owed
/// (not stored: OBJECT does not touch). Redis's shared small integers
/// (when it would use them) report 0.
pub fn object_freq(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let shared_ok = shared_integers(ctx);
    let minutes = evict::lfu_minutes(ctx.now_ms);
    let decay = ctx.db().access_mode().decay_time;
    let found = object_lookup(ctx, args.get(2), |e| {
        (
            is_shared_integer(&e.value),
            evict::lfu_decayed(e.access, minutes, decay),
        )
    });
    if let Some((shared, freq)) = found {
        if !maxmemory_policy_is_lfu(ctx) {
            return Err(CmdError::Other(LFU_NOT_SELECTED));
        }
        ctx.out.int(if shared && shared_ok { 0 } else { i64::from(freq) });
    }
    Ok(())
}

/// `OBJECT HELP`.
pub fn object_help(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.array(OBJECT_HELP.len());
    for line in OBJECT_HELP {
        ctx.out.simple(line);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// EXPIRE family, TTL family, PERSIST

#[derive(Default, Clone, Copy)]
struct ExpireFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

fn parse_expire_flags(args: &Args<'_>) -> Result<ExpireFlags, CmdError> {
    let mut f = ExpireFlags::default();
    for j in 3..args.len() {
        if args.is(j, "nx") {
            f.nx = true;
        } else if args.is(j, "xx") {
            f.xx = true;
        } else if args.is(j, "gt") {
            f.gt = true;
        } else if args.is(j, "lt") {
            f.lt = true;
        } else {
            // Redis formats the option with %s: the text stops at a NUL byte.
            let opt = args.get(j);
            let opt = opt.iter().position(|&b| b == 0).map_or(opt, |n| &opt[..n]);
            return Err(CmdError::Owned(format!(
                "ERR Unsupported option {}",
                String::from_utf8_lossy(opt)
            )));
        }
    }
    if f.nx && (f.xx || f.gt || f.lt) {
        return Err(CmdError::Other(
            "ERR NX and XX, GT or LT options at the same time are not compatible",
        ));
    }
    if f.gt && f.lt {
        return Err(CmdError::Other(
            "ERR GT and LT options at the same time are not compatible",
        ));
    }
    Ok(f)
}

enum Expired {
    Unchanged,
    Set,
    Deleted,
}

/// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT: `relative` adds the command's time,
/// `seconds` scales by 1000. A time not in the future deletes the key.
fn expire_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, relative: bool, seconds: bool) -> Result<(), CmdError> {
    let key = args.get(1);
    let flags = parse_expire_flags(args)?;
    let mut when = args.int(2)?;
    let invalid = CmdError::InvalidExpireTime(ctx.spec.name);
    if seconds {
        when = when.checked_mul(1000).ok_or(invalid.clone())?;
    }
    let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
    if relative {
        when = when.checked_add(now).ok_or(invalid)?;
    }
    let db = ctx.db();
    let outcome = db.write(key, ctx.now_ms, ctx.fx, |slot| {
        let Some(current) = slot.entry().map(|e| e.expire_at) else {
            return Expired::Unchanged;
        };
        let has_ttl = current != 0;
        let current = i64::try_from(current).unwrap_or(i64::MAX);
        let refused = (flags.nx && has_ttl)
            || (flags.xx && !has_ttl)
            || (flags.gt && (!has_ttl || when <= current))
            || (flags.lt && has_ttl && when >= current);
        if refused {
            return Expired::Unchanged;
        }
        if when <= now {
            slot.remove();
            return Expired::Deleted;
        }
        let at = u64::try_from(when).unwrap_or(u64::MAX);
        slot.update(|e| e.expire_at = at);
        Expired::Set
    });
    match outcome {
        Expired::Unchanged => ctx.out.int(0),
        Expired::Set => {
            ctx.fx.written(db.index, key, "expire");
            // Every form replicates as the absolute time it set (the
            // condition flags were decided here).
            propagate::pexpireat(ctx, key, u64::try_from(when).unwrap_or(u64::MAX));
            ctx.out.int(1);
        }
        Expired::Deleted => {
            // Redis turns this into a DEL and names the event `del`.
            ctx.fx.deleted(db.index, key, "del");
            propagate::del(ctx, key);
            ctx.out.int(1);
        }
    }
    Ok(())
}

/// `EXPIRE key seconds [NX|XX|GT|LT]`.
pub fn expire(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    expire_generic(ctx, args, true, true)
}

/// `PEXPIRE key milliseconds [NX|XX|GT|LT]`.
pub fn pexpire(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    expire_generic(ctx, args, true, false)
}

/// `EXPIREAT key unix-time-seconds [NX|XX|GT|LT]`.
pub fn expireat(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    expire_generic(ctx, args, false, true)
}

/// `PEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT]`.
pub fn pexpireat(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    expire_generic(ctx, args, false, false)
}

/// TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 without a
/// TTL; seconds are rounded to the nearest, as Redis does.
fn ttl_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, millis: bool, absolute: bool) -> Result<(), CmdError> {
    let expire_at = ctx
        .db()
        .peek(args.get(1), ctx.now_ms, ctx.fx, |e| e.map(|e| e.expire_at));
    ctx.lookup(expire_at.is_some());
    let reply = match expire_at {
        None => -2,
        Some(0) => -1,
        Some(at) => {
            let at = i64::try_from(at).unwrap_or(i64::MAX);
            let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
            let ttl = if absolute { at } else { at - now }.max(0);
            if millis {
                ttl
            } else {
                // Rounded without overflow: an expiry at i64::MAX ms reads
                // 9223372036854776 s on Redis too.
                ((ttl.unsigned_abs() + 500) / 1000) as i64
            }
        }
    };
    ctx.out.int(reply);
    Ok(())
}

/// `TTL key`.
pub fn ttl(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    ttl_generic(ctx, args, false, false)
}

/// `PTTL key`.
pub fn pttl(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    ttl_generic(ctx, args, true, false)
}

/// `EXPIRETIME key`.
pub fn expiretime(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    ttl_generic(ctx, args, false, true)
}

/// `PEXPIRETIME key`.
pub fn pexpiretime(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    ttl_generic(ctx, args, true, true)
}

/// `PERSIST key`.
pub fn persist(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let db = ctx.db();
    let done = db.write(key, ctx.now_ms, ctx.fx, |slot| {
        slot.update(|e| std::mem::replace(&mut e.expire_at, 0) != 0)
            .unwrap_or(false)
    });
    if done {
        ctx.fx.written(db.index, key, "persist");
    }
    ctx.out.int(i64::from(done));
    Ok(())
}

// ---------------------------------------------------------------------------
// DUMP, RESTORE

/// `DUMP key`: nil for a missing key.
pub fn dump(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let payload = read_key(ctx, args.get(1), |e| e.map(|e| dump::encode(&e.value)));
    ctx.lookup(payload.is_some());
    match payload {
        Some(p) => ctx.out.bulk(&p),
        None => ctx.out.null(),
    }
    Ok(())
}

/// The access time Redis gives a restored key with `IDLETIME`: the LRU
/// clock minus the idle seconds, wrapped the way Redis wraps it (one
/// `LRU_CLOCK_MAX` added on underflow, then cut to the 24-bit field).
fn access_for_idle(idle: i64, now: u64) -> u32 {
    let mut abs = i64::from(lru_clock(now)) - idle;
    if abs < 0 {
        abs += LRU_CLOCK_MAX;
    }
    (abs & 0xFF_FFFF) as u32
}

enum Restored {
    Busy,
    Error(CmdError),
    /// The TTL had passed: nothing stored; true when REPLACE removed a key.
    AlreadyExpired(bool),
    Done,
}

/// `RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]`.
pub fn restore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let (mut replace, mut absttl) = (false, false);
    let (mut idle, mut freq): (Option<i64>, Option<i64>) = (None, None);
    let mut j = 4;
    while j < args.len() {
        let has_value = j + 1 < args.len();
        if args.is(j, "replace") {
            replace = true;
        } else if args.is(j, "absttl") {
            absttl = true;
        } else if args.is(j, "idletime") && has_value && freq.is_none() {
            let v = args.int(j + 1)?;
            if v < 0 {
                return Err(CmdError::Other("ERR Invalid IDLETIME value, must be >= 0"));
            }
            idle = Some(v);
            j += 1;
        } else if args.is(j, "freq") && has_value && idle.is_none() {
            let v = args.int(j + 1)?;
            if !(0..=255).contains(&v) {
                return Err(CmdError::Other("ERR Invalid FREQ value, must be >= 0 and <= 255"));
            }
            freq = Some(v);
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    // Redis checks the target first, then the TTL, then the payload; all
    // three are computed up front and reported in that order.
    let ttl_arg = args.int(2);
    let ttl = ttl_arg.clone().and_then(|t| {
        if t < 0 {
            Err(CmdError::Other("ERR Invalid TTL value, must be >= 0"))
        } else {
            Ok(t)
        }
    });
    let value = dump::decode(args.get(3), &ctx.limits()).map_err(|e| match e {
        PayloadError::VersionOrChecksum => CmdError::Other("ERR DUMP payload version or checksum are wrong"),
        PayloadError::BadFormat => CmdError::Other("ERR Bad data format"),
    });
    let lfu = maxmemory_policy_is_lfu(ctx);
    let now = ctx.now_ms;
    let now_i = i64::try_from(now).unwrap_or(i64::MAX);
    let db = ctx.db();
    let outcome = db.write(key, now, ctx.fx, |slot| {
        if !replace && slot.exists() {
            return Restored::Busy;
        }
        let (ttl, value) = match (ttl, value) {
            (Err(e), _) | (_, Err(e)) => return Restored::Error(e),
            (Ok(t), Ok(v)) => (t, v),
        };
        let deleted = replace && slot.remove().is_some();
        // A relative TTL is added in C arithmetic, which wraps on overflow
        // into the past.
        let at = if ttl != 0 && !absttl {
            ttl.wrapping_add(now_i)
        } else {
            ttl
        };
        if at != 0 && at <= now_i {
            return Restored::AlreadyExpired(deleted);
        }
        slot.insert(value, u64::try_from(at).unwrap_or(0), now);
        // As Redis's `objectSetLRUOrLFU`: each applies under its own kind
        // of policy only.
        if let (false, Some(idle)) = (lfu, idle) {
            let access = access_for_idle(idle, now);
            slot.update(|e| e.access = access);
        }
        if let (true, Some(freq)) = (lfu, freq) {
            let access = u32::from(evict::lfu_minutes(now)) << 8 | (freq & 0xFF) as u32;
            slot.update(|e| e.access = access);
        }
        Restored::Done
    });
    match outcome {
        Restored::Busy => return Err(CmdError::Other("BUSYKEY Target key name already exists.")),
        Restored::Error(e) => return Err(e),
        Restored::AlreadyExpired(deleted) => {
            if deleted {
                ctx.fx.deleted(db.index, key, "del");
                propagate::del(ctx, key);
            }
        }
        Restored::Done => {
            ctx.fx.written(db.index, key, "restore");
            if let (Ok(ttl), false) = (ttl_arg, absttl) {
                if ttl != 0 && ctx.replicating() {
                    // A relative TTL replicates as the time it became.
                    let mut argv = args.all().to_vec();
                    argv[2] = propagate::int_arg(ttl.wrapping_add(now_i));
                    argv.push(propagate::arg(b"ABSTTL"));
                    ctx.propagate(argv);
                }
            }
        }
    }
    // FREQ only matters under an LFU policy, and the store keeps no
    // frequency counter yet; it is validated and otherwise ignored.
    let _ = freq;
    ctx.out.ok();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_parsing_follows_strtoul() {
        assert_eq!(parse_cursor(b"0"), Some(0));
        assert_eq!(parse_cursor(b""), Some(0));
        assert_eq!(parse_cursor(b"+7"), Some(7));
        assert_eq!(parse_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551616"), None);
        assert_eq!(parse_cursor(b"-18446744073709551615"), Some(1));
        assert_eq!(parse_cursor(b"12\x00junk"), Some(12));
        for bad in [&b" 1"[..], b"1 ", b"0x1", b"-", b"+", b"- 1", b"abc", b"\t0"] {
            assert_eq!(parse_cursor(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn idle_time_round_trips_through_restore_access() {
        let now = 1_700_000_000_000u64;
        for idle in [0, 1, 1000, 264_000, 1_000_000, 16_000_000] {
            assert_eq!(idle_seconds(access_for_idle(idle, now), now), idle, "idle {idle}");
        }
    }

    #[test]
    fn huge_idle_times_wrap_like_redis() {
        // Observed on Redis 7.0.15 with the LRU clock at 264862.
        let now = 264_862_000u64;
        let cases = [
            (16_777_215, 0),
            (16_777_216, 1),
            (20_000_000, 3_222_784),
            (100_000_000, 16_113_920),
            (1_000_000_000, 10_144_256),
        ];
        for (idle, seen) in cases {
            assert_eq!(idle_seconds(access_for_idle(idle, now), now), seen, "idle {idle}");
        }
        assert!(idle_seconds(access_for_idle(i64::MAX, now), now) >= 0);
    }
}
