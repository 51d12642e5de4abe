//! Hash commands: HSET and friends, counters, HRANDFIELD, HSCAN, and Redis
//! 7.4's per-field TTLs (HEXPIRE family, HTTL family, HPERSIST).
//!
//! Every handler reaches its hash through [`with_hash`], which first purges
//! the fields whose TTL has passed (so expired fields are invisible to every
//! hash command) and deletes the key if that left the hash empty, recording
//! `hexpired` and `del` as Redis 7.4 notifies them, and replicating the
//! purge as `HDEL key field...` ahead of the command. On a follower nothing
//! is purged (the primary's `HDEL` does it); its reads work on a purged
//! copy instead. A hash emptied by a command is deleted too. Arguments are parsed in Redis's order: what Redis
//! checks before looking the key up is checked here first.

use rand::Rng;

use super::keys::parse_cursor;
use super::propagate;
use super::{Args, CmdError, Ctx};
use crate::glob::glob_match;
use crate::num::long_double::LongDouble;
use crate::protocol::Reply;
use crate::store::types::hash::{ExpiryCondition, ExpiryOutcome, Field};
use crate::store::types::Hash;
use crate::store::{Limits, Value};

/// Largest absolute field expiry Redis 7.4 accepts (`HFE_MAX_ABS_TIME_MSEC`,
/// 2^46 - 1 ms).
const MAX_FIELD_EXPIRE_MS: i64 = (1 << 46) - 1;

/// Most elements a `HRANDFIELD` with a negative count returns. Redis would
/// stream any count; a reply this size would need gigabytes, so larger
/// counts are refused with Redis's range error instead.
const MAX_RANDOM_REPEATS: u64 = 1 << 22;

/// What [`with_hash`] did besides running the closure.
struct Done<R> {
    /// The closure's result; `None` when the key holds no hash and none was created.
    value: Option<R>,
    /// The command left the hash empty, so the key was deleted.
    emptied: bool,
}

/// Runs `f` on the hash at `key` after purging its expired fields. With
/// `create`, a missing key gets an empty hash first (removed again if `f`
/// leaves it empty). `WRONGTYPE` for another type. Records the purge's
/// effects; the caller records its own.
fn with_hash<R>(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    create: bool,
    f: impl FnOnce(&mut Hash, &Limits, &mut Reply) -> Result<R, CmdError>,
) -> Result<Done<R>, CmdError> {
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let limits = ctx.limits();
    let db = ctx.db();
    // A follower never drops fields by itself: the primary's `HDEL` does.
    let follower = db.is_follower();
    let follower_read = follower && ctx.spec.has(crate::commands::spec::READONLY);
    let replicating = ctx.prop.active;
    let mut purged_names: Vec<Vec<u8>> = Vec::new();
    let out = &mut *ctx.out;
    let mut purged = (0, false);
    let result = db.write(key, now, ctx.fx, |slot| {
        if follower_read {
            // A read on a follower sees what the primary would: not a key
            // whose TTL passed, not fields whose TTL passed (on a copy;
            // the store keeps them until the primary's DEL/HDEL).
            let missing = Done {
                value: None,
                emptied: false,
            };
            let Some(e) = slot.entry().filter(|e| !e.is_expired(now)) else {
                return Ok(missing);
            };
            let Value::Hash(h) = &e.value else {
                return Err(CmdError::WrongType);
            };
            if h.next_expiry() != 0 && h.next_expiry() < now {
                let mut copy = (**h).clone();
                copy.purge_expired(now);
                if copy.is_empty() {
                    return Ok(missing);
                }
                return f(&mut copy, &limits, out).map(|v| Done {
                    value: Some(v),
                    emptied: false,
                });
            }
        }
        let p = if follower {
            None
        } else {
            slot.update(|e| match &mut e.value {
                Value::Hash(h) => {
                    if replicating && h.next_expiry() != 0 && h.next_expiry() < now {
                        purged_names = h
                            .iter()
                            .filter(|f| f.is_expired(now))
                            .map(|f| f.name.to_vec())
                            .collect();
                    }
                    Some((h.purge_expired(now), h.is_empty()))
                }
                _ => None,
            })
            .flatten()
        };
        if let Some((n, empty)) = p {
            purged = (n, empty);
            if empty {
                slot.remove();
            }
        }
        match slot.value() {
            None if !create => {
                return Ok(Done {
                    value: None,
                    emptied: false,
                })
            }
            None => {
                slot.insert(Value::Hash(Box::default()), 0, now);
            }
            Some(Value::Hash(_)) => {}
            Some(_) => return Err(CmdError::WrongType),
        }
        let r = slot
            .update(|e| match &mut e.value {
                Value::Hash(h) => Some((f(h, &limits, out), h.is_empty())),
                _ => None,
            })
            .flatten();
        match r {
            Some((r, empty)) => {
                if empty {
                    slot.remove();
                }
                r.map(|v| Done {
                    value: Some(v),
                    emptied: empty,
                })
            }
            None => Err(CmdError::WrongType),
        }
    });
    if purged.0 > 0 {
        ctx.fx.written(dbi, key, "hexpired");
        if purged.1 {
            ctx.fx.deleted(dbi, key, "del");
        }
        // Replicated before the command as the `HDEL` of the expired
        // fields (Redis 7.4), which does not make a read propagate.
        let mut argv = Vec::new();
        if replicating {
            argv.reserve(purged_names.len() + 2);
            argv.push(propagate::arg(b"HDEL"));
            argv.push(propagate::arg(key));
            argv.extend(purged_names.iter().map(|f| propagate::arg(f)));
        }
        ctx.propagate_also(argv, 1 + usize::from(purged.1));
    }
    result
}

/// Records a write and, if the hash went empty, the key's deletion.
fn record(ctx: &mut Ctx<'_>, key: &[u8], event: &'static str, emptied: bool) {
    let dbi = ctx.session.db;
    ctx.fx.written(dbi, key, event);
    if emptied {
        ctx.fx.deleted(dbi, key, "del");
    }
}

/// Runs a read-only `f` on the hash at `key`, counting the keyspace hit or
/// miss; returns false (nothing replied) when the key does not exist.
fn read_hash(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    f: impl FnOnce(&mut Hash, &mut Reply, &mut rand::rngs::SmallRng),
) -> Result<bool, CmdError> {
    let mut rng = rand::SeedableRng::seed_from_u64(ctx.rng.random());
    let done = with_hash(ctx, key, false, |h, _, out| {
        f(h, out, &mut rng);
        Ok(())
    });
    // A key of another type was found: Redis counts the hit, then refuses.
    let hit = done.as_ref().map_or(true, |d| d.value.is_some());
    ctx.lookup(hit);
    let done = done?;
    Ok(done.value.is_some())
}

fn reply_field_value(out: &mut Reply, f: Option<Field<'_>>) {
    match f {
        Some(f) => out.bulk(f.value),
        None => out.null(),
    }
}

/// `HSET key field value [field value ...]` and `HMSET` (which answers `+OK`).
fn hset_generic(ctx: &mut Ctx<'_>, args: &mut Args<'_>, ok_reply: bool) -> Result<(), CmdError> {
    if args.len() % 2 == 1 {
        return Err(CmdError::WrongArity(ctx.spec.name));
    }
    let key = args.get(1);
    let pairs = args.from(2);
    let done = with_hash(ctx, key, true, |h, limits, _| {
        h.prepare_for(pairs.iter().map(|a| a.len()), limits);
        let mut created = 0i64;
        for kv in pairs.chunks_exact(2) {
            created += i64::from(h.set(&kv[0], &kv[1], limits));
        }
        Ok(created)
    })?;
    record(ctx, key, "hset", false);
    if ok_reply {
        ctx.out.ok();
    } else {
        ctx.out.int(done.value.unwrap_or(0));
    }
    Ok(())
}

/// `HSET key field value [field value ...]`.
pub fn hset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    hset_generic(ctx, args, false)
}

/// `HMSET key field value [field value ...]`.
pub fn hmset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    hset_generic(ctx, args, true)
}

/// `HSETNX key field value`.
pub fn hsetnx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, field, value) = (args.get(1), args.get(2), args.get(3));
    let done = with_hash(ctx, key, true, |h, limits, _| {
        if h.get(field).is_some() {
            return Ok(false);
        }
        h.set(field, value, limits);
        Ok(true)
    })?;
    let set = done.value.unwrap_or(false);
    if set {
        record(ctx, key, "hset", false);
    }
    ctx.out.int(i64::from(set));
    Ok(())
}

/// `HGET key field`.
pub fn hget(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, field) = (args.get(1), args.get(2));
    if !read_hash(ctx, key, |h, out, _| reply_field_value(out, h.get(field)))? {
        ctx.out.null();
    }
    Ok(())
}

/// `HMGET key field [field ...]`.
pub fn hmget(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let fields = args.from(2);
    let found = read_hash(ctx, key, |h, out, _| {
        out.array(fields.len());
        for f in fields {
            reply_field_value(out, h.get(f));
        }
    })?;
    if !found {
        ctx.out.array(fields.len());
        for _ in fields {
            ctx.out.null();
        }
    }
    Ok(())
}

/// Which parts of each field `HGETALL`, `HKEYS` and `HVALS` reply with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parts {
    Both,
    Names,
    Values,
}

fn getall_generic(ctx: &mut Ctx<'_>, args: &mut Args<'_>, parts: Parts) -> Result<(), CmdError> {
    let key = args.get(1);
    let found = read_hash(ctx, key, |h, out, _| {
        match parts {
            Parts::Both => out.map(h.len()),
            _ => out.array(h.len()),
        }
        for f in h.iter() {
            if parts != Parts::Values {
                out.bulk(f.name);
            }
            if parts != Parts::Names {
                out.bulk(f.value);
            }
        }
    })?;
    if !found {
        match parts {
            Parts::Both => ctx.out.map(0),
            _ => ctx.out.array(0),
        }
    }
    Ok(())
}

/// `HGETALL key`.
pub fn hgetall(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    getall_generic(ctx, args, Parts::Both)
}

/// `HKEYS key`.
pub fn hkeys(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    getall_generic(ctx, args, Parts::Names)
}

/// `HVALS key`.
pub fn hvals(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    getall_generic(ctx, args, Parts::Values)
}

/// `HDEL key field [field ...]`.
pub fn hdel(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let fields = args.from(2);
    let done = with_hash(ctx, key, false, |h, _, _| {
        let mut n = 0i64;
        for f in fields {
            n += i64::from(h.remove(f));
            if h.is_empty() {
                break;
            }
        }
        Ok(n)
    })?;
    let n = done.value.unwrap_or(0);
    if n > 0 {
        record(ctx, key, "hdel", done.emptied);
    }
    ctx.out.int(n);
    Ok(())
}

/// `HEXISTS key field`.
pub fn hexists(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, field) = (args.get(1), args.get(2));
    if !read_hash(ctx, key, |h, out, _| out.int(i64::from(h.get(field).is_some())))? {
        ctx.out.int(0);
    }
    Ok(())
}

/// `HLEN key`.
pub fn hlen(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    if !read_hash(ctx, key, |h, out, _| out.int(h.len() as i64))? {
        ctx.out.int(0);
    }
    Ok(())
}

/// `HSTRLEN key field`.
pub fn hstrlen(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, field) = (args.get(1), args.get(2));
    if !read_hash(ctx, key, |h, out, _| {
        out.int(h.get(field).map_or(0, |f| f.value.len() as i64))
    })? {
        ctx.out.int(0);
    }
    Ok(())
}

/// `HINCRBY key field increment`; the field keeps its TTL.
pub fn hincrby(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, field) = (args.get(1), args.get(2));
    let incr = args.int(3)?;
    let done = with_hash(ctx, key, true, |h, limits, _| {
        let cur = match h.get(field) {
            Some(f) => crate::num::parse_ll(f.value).ok_or(CmdError::Other("ERR hash value is not an integer"))?,
            None => 0,
        };
        let v = cur.checked_add(incr).ok_or(CmdError::Overflow)?;
        h.set_keep_ttl(field, itoa::Buffer::new().format(v).as_bytes(), limits);
        Ok(v)
    })?;
    record(ctx, key, "hincrby", false);
    ctx.out.int(done.value.unwrap_or(0));
    Ok(())
}

/// `HINCRBYFLOAT key field increment`, in `long double` as Redis computes
/// it; the field keeps its TTL.
pub fn hincrbyfloat(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, field) = (args.get(1), args.get(2));
    let incr = LongDouble::parse(args.get(3)).ok_or(CmdError::NotFloat)?;
    if !incr.is_finite() {
        return Err(CmdError::Other("ERR value is NaN or Infinity"));
    }
    let done = with_hash(ctx, key, true, |h, limits, _| {
        let cur = match h.get(field) {
            Some(f) => LongDouble::parse(f.value).ok_or(CmdError::Other("ERR hash value is not a float"))?,
            None => LongDouble::from_i64(0),
        };
        let sum = cur
            .checked_add(incr)
            .filter(LongDouble::is_finite)
            .ok_or(CmdError::Other("ERR increment would produce NaN or Infinity"))?;
        let text: Vec<u8> = sum.to_human().into_bytes();
        h.set_keep_ttl(field, &text, limits);
        let has_ttl = h.get(field).is_some_and(|f| f.expire_at != 0);
        Ok((text, has_ttl))
    })?;
    record(ctx, key, "hincrbyfloat", false);
    let (text, has_ttl) = done.value.unwrap_or_default();
    // Replicated as the value it printed (Redis: `HSET key field result`).
    // HSET would drop a field TTL, so a field with one replicates as sent:
    // our long double arithmetic is the same on every node.
    if !has_ttl {
        ctx.propagate_parts(&[b"HSET", key, field, &text]);
    }
    ctx.out.bulk(&text);
    Ok(())
}

/// Writes one field of a `HRANDFIELD` reply.
fn reply_random(out: &mut Reply, f: &Field<'_>, withvalues: bool) {
    if withvalues && out.is_resp3() {
        out.array(2);
    }
    out.bulk(f.name);
    if withvalues {
        out.bulk(f.value);
    }
}

/// `HRANDFIELD key [count [WITHVALUES]]`.
pub fn hrandfield(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    if args.len() < 3 {
        if !read_hash(ctx, key, |h, out, rng| {
            let n = h.len();
            match h.iter().nth(rng.random_range(0..n.max(1))) {
                Some(f) => out.bulk(f.name),
                None => out.null(),
            }
        })? {
            ctx.out.null();
        }
        return Ok(());
    }
    let l = args.int(2)?;
    if l == i64::MIN {
        return Err(CmdError::Other(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        ));
    }
    if args.len() > 4 || (args.len() == 4 && !args.is(3, "withvalues")) {
        return Err(CmdError::Syntax);
    }
    let withvalues = args.len() == 4;
    if withvalues && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
        return Err(CmdError::Other("ERR value is out of range"));
    }
    let (count, unique) = (l.unsigned_abs(), l >= 0);
    let mut too_many = false;
    let found = read_hash(ctx, key, |h, out, rng| {
        if !unique && count > MAX_RANDOM_REPEATS && !h.is_empty() {
            too_many = true;
            return;
        }
        let fields: Vec<Field<'_>> = h.iter().collect();
        let size = fields.len() as u64;
        let header = |out: &mut Reply, n: u64| {
            let n = n as usize;
            if withvalues && !out.is_resp3() {
                out.array(n * 2);
            } else {
                out.array(n);
            }
        };
        if count == 0 || size == 0 {
            out.array(0);
        } else if !unique || count == 1 {
            header(out, count);
            for _ in 0..count {
                let f = fields[rng.random_range(0..fields.len())];
                reply_random(out, &f, withvalues);
            }
        } else if count >= size {
            header(out, size);
            for f in &fields {
                reply_random(out, f, withvalues);
            }
        } else {
            // A partial Fisher-Yates shuffle picks `count` distinct fields.
            let mut idx: Vec<usize> = (0..fields.len()).collect();
            let n = count as usize;
            for i in 0..n {
                let j = rng.random_range(i..idx.len());
                idx.swap(i, j);
            }
            header(out, count);
            for &i in &idx[..n] {
                reply_random(out, &fields[i], withvalues);
            }
        }
    })?;
    if too_many {
        return Err(CmdError::Other("ERR value is out of range"));
    }
    if !found {
        ctx.out.array(0);
    }
    Ok(())
}

/// `HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]` (NOVALUES is
/// Redis 7.4's). A missing key answers an empty scan before the options are
/// read, as Redis does.
pub fn hscan(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let cursor = parse_cursor(args.get(2)).ok_or(CmdError::Other("ERR invalid cursor"))?;
    let a = &*args;
    let mut result: Result<ScanStep, CmdError> = Ok((0, Vec::new(), false));
    read_hash(ctx, key, |h, _, _| {
        result = hscan_step(h, a, cursor);
    })?;
    let (next, batch, novalues) = result?;
    ctx.out.array(2);
    ctx.out.bulk(itoa::Buffer::new().format(next).as_bytes());
    ctx.out.array(if novalues { batch.len() } else { batch.len() * 2 });
    for (name, value) in &batch {
        ctx.out.bulk(name);
        if !novalues {
            ctx.out.bulk(value);
        }
    }
    Ok(())
}

/// One `HSCAN` step: (next cursor, matching fields with their values,
/// whether NOVALUES was given).
type ScanStep = (u64, Vec<(Box<[u8]>, Box<[u8]>)>, bool);

/// Parses `HSCAN`'s options and runs one step.
fn hscan_step(h: &Hash, a: &Args<'_>, cursor: u64) -> Result<ScanStep, CmdError> {
    let (mut count, mut pattern, mut novalues) = (10i64, None::<&[u8]>, false);
    let mut i = 3;
    while i < a.len() {
        let has_value = a.len() - i >= 2;
        if a.is(i, "count") && has_value {
            count = a.int(i + 1)?;
            if count < 1 {
                return Err(CmdError::Syntax);
            }
            i += 2;
        } else if a.is(i, "match") && has_value {
            let p = a.get(i + 1);
            pattern = (p != b"*").then_some(p);
            i += 2;
        } else if a.is(i, "novalues") {
            novalues = true;
            i += 1;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let mut batch = Vec::new();
    let next = h.scan(cursor, count, |f| {
        if pattern.is_none_or(|p| glob_match(p, f.name, false)) {
            let value = if novalues { Box::default() } else { f.value.into() };
            batch.push((f.name.into(), value));
        }
    });
    Ok((next, batch, novalues))
}

/// How a field-TTL command reads its time argument.
#[derive(Clone, Copy)]
struct TimeArg {
    /// Seconds (else milliseconds).
    seconds: bool,
    /// Relative to now (else absolute Unix time).
    relative: bool,
}

/// The FIELDS block at `at` (`FIELDS numfields field ...`, the last
/// argument group): the fields, or Redis 7.4's errors; `count_err` is the
/// text for a bad count (the write commands and the read commands differ).
fn fields_block<'a>(args: &Args<'a>, at: usize, count_err: &'static str) -> Result<&'a [bytes::Bytes], CmdError> {
    if !args.is(at, "fields") {
        return Err(CmdError::Other(
            "ERR Mandatory argument FIELDS is missing or not at the right position",
        ));
    }
    let n = crate::num::parse_ll(args.get(at + 1))
        .filter(|&n| n >= 1)
        .ok_or(CmdError::Other(count_err))?;
    let fields = args.from(at + 2);
    if u64::try_from(n).ok() != Some(fields.len() as u64) {
        return Err(CmdError::Other(
            "ERR The `numfields` parameter must match the number of arguments",
        ));
    }
    Ok(fields)
}

/// Redis 7.4's `hexpireGenericCommand`: `HEXPIRE`, `HPEXPIRE`, `HEXPIREAT`
/// and `HPEXPIREAT` (`key time [NX|XX|GT|LT] FIELDS numfields field ...`).
fn hexpire_generic(ctx: &mut Ctx<'_>, args: &mut Args<'_>, unit: TimeArg) -> Result<(), CmdError> {
    let key = args.get(1);
    let now = ctx.now_ms;
    let name = ctx.spec.name;
    // Redis looks the key up (and checks its type) before the arguments.
    let kind_ok = ctx.db().peek(key, now, ctx.fx, |e| {
        e.is_none_or(|e| matches!(e.value, Value::Hash(_)))
    });
    if !kind_ok {
        return Err(CmdError::WrongType);
    }
    let mut t = args.int(2)?;
    if t < 0 {
        return Err(CmdError::Other("ERR invalid expire time, must be >= 0"));
    }
    if unit.seconds {
        if t > MAX_FIELD_EXPIRE_MS / 1000 {
            return Err(CmdError::InvalidExpireTime(name));
        }
        t *= 1000;
    }
    let base = if unit.relative {
        i64::try_from(now).unwrap_or(i64::MAX)
    } else {
        0
    };
    if t > MAX_FIELD_EXPIRE_MS - base {
        return Err(CmdError::InvalidExpireTime(name));
    }
    let at = (t + base) as u64;
    let cond = [
        ("nx", ExpiryCondition::Nx),
        ("xx", ExpiryCondition::Xx),
        ("gt", ExpiryCondition::Gt),
        ("lt", ExpiryCondition::Lt),
    ]
    .into_iter()
    .find(|(n, _)| args.is(3, n))
    .map(|(_, c)| c);
    let fields_at = if cond.is_some() { 4 } else { 3 };
    let cond = cond.unwrap_or(ExpiryCondition::Always);
    let fields = fields_block(args, fields_at, "ERR Parameter `numFields` should be greater than 0")?;
    let done = with_hash(ctx, key, false, |h, _, _| {
        Ok(fields
            .iter()
            .map(|f| h.set_expiry(f, at, cond, now))
            .collect::<Vec<_>>())
    })?;
    let outcomes = done.value.unwrap_or_else(|| vec![ExpiryOutcome::NoField; fields.len()]);
    let dbi = ctx.session.db;
    // Redis names the event after the deletions when there were any.
    if outcomes.contains(&ExpiryOutcome::Deleted) {
        ctx.fx.written(dbi, key, "hdel");
    } else if outcomes.contains(&ExpiryOutcome::Set) {
        ctx.fx.written(dbi, key, "hexpire");
    }
    if done.emptied {
        ctx.fx.deleted(dbi, key, "del");
    }
    // A relative time replicates as the absolute one (`HPEXPIREAT`); the
    // condition and fields stay as sent, since the replica's hash matches.
    let changed = outcomes
        .iter()
        .any(|o| matches!(o, ExpiryOutcome::Set | ExpiryOutcome::Deleted));
    if changed && ctx.replicating() {
        let mut argv = args.all().to_vec();
        argv[0] = propagate::arg(b"HPEXPIREAT");
        argv[2] = propagate::int_arg(at);
        ctx.propagate(argv);
    }
    ctx.out.array(outcomes.len());
    for o in outcomes {
        ctx.out.int(match o {
            ExpiryOutcome::NoField => -2,
            ExpiryOutcome::ConditionNotMet => 0,
            ExpiryOutcome::Set => 1,
            ExpiryOutcome::Deleted => 2,
        });
    }
    Ok(())
}

/// `HEXPIRE key seconds [NX|XX|GT|LT] FIELDS numfields field ...`.
pub fn hexpire(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    hexpire_generic(
        ctx,
        args,
        TimeArg {
            seconds: true,
            relative: true,
        },
    )
}

/// `HPEXPIRE key milliseconds [NX|XX|GT|LT] FIELDS numfields field ...`.
pub fn hpexpire(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    hexpire_generic(
        ctx,
        args,
        TimeArg {
            seconds: false,
            relative: true,
        },
    )
}

/// `HEXPIREAT key unix-time-seconds [NX|XX|GT|LT] FIELDS numfields field ...`.
pub fn hexpireat(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    hexpire_generic(
        ctx,
        args,
        TimeArg {
            seconds: true,
            relative: false,
        },
    )
}

/// `HPEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT] FIELDS numfields field ...`.
pub fn hpexpireat(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    hexpire_generic(
        ctx,
        args,
        TimeArg {
            seconds: false,
            relative: false,
        },
    )
}

/// The read commands' count error (Redis 7.4's text differs from HEXPIRE's).
const READ_COUNT_ERR: &str = "ERR Number of fields must be a positive integer";

/// Redis 7.4's `httlGenericCommand`: `HTTL`, `HPTTL`, `HEXPIRETIME` and
/// `HPEXPIRETIME` (`key FIELDS numfields field ...`): -2 for a missing
/// field, -1 for a field without TTL, else the time (seconds round up).
fn httl_generic(ctx: &mut Ctx<'_>, args: &mut Args<'_>, unit: TimeArg) -> Result<(), CmdError> {
    let key = args.get(1);
    let now = ctx.now_ms;
    let kind_ok = ctx.db().peek(key, now, ctx.fx, |e| {
        e.is_none_or(|e| matches!(e.value, Value::Hash(_)))
    });
    if !kind_ok {
        return Err(CmdError::WrongType);
    }
    let fields = fields_block(args, 2, READ_COUNT_ERR)?;
    let base = if unit.relative { now } else { 0 };
    let mut codes: Option<Vec<i64>> = None;
    read_hash(ctx, key, |h, _, _| {
        codes = Some(
            fields
                .iter()
                .map(|f| match h.get(f) {
                    None => -2,
                    Some(f) if f.expire_at == 0 => -1,
                    Some(f) => {
                        let left = f.expire_at.saturating_sub(base);
                        let v = if unit.seconds {
                            left.saturating_add(999) / 1000
                        } else {
                            left
                        };
                        i64::try_from(v).unwrap_or(i64::MAX)
                    }
                })
                .collect(),
        );
    })?;
    let codes = codes.unwrap_or_else(|| vec![-2; fields.len()]);
    ctx.out.array(codes.len());
    for c in codes {
        ctx.out.int(c);
    }
    Ok(())
}

/// `HTTL key FIELDS numfields field ...`.
pub fn httl(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    httl_generic(
        ctx,
        args,
        TimeArg {
            seconds: true,
            relative: true,
        },
    )
}

/// `HPTTL key FIELDS numfields field ...`.
pub fn hpttl(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    httl_generic(
        ctx,
        args,
        TimeArg {
            seconds: false,
            relative: true,
        },
    )
}

/// `HEXPIRETIME key FIELDS numfields field ...`.
pub fn hexpiretime(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    httl_generic(
        ctx,
        args,
        TimeArg {
            seconds: true,
            relative: false,
        },
    )
}

/// `HPEXPIRETIME key FIELDS numfields field ...`.
pub fn hpexpiretime(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    httl_generic(
        ctx,
        args,
        TimeArg {
            seconds: false,
            relative: false,
        },
    )
}

/// `HPERSIST key FIELDS numfields field ...`: -2 no field, -1 no TTL, 1 removed.
pub fn hpersist(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let now = ctx.now_ms;
    let kind_ok = ctx.db().peek(key, now, ctx.fx, |e| {
        e.is_none_or(|e| matches!(e.value, Value::Hash(_)))
    });
    if !kind_ok {
        return Err(CmdError::WrongType);
    }
    let fields = fields_block(args, 2, READ_COUNT_ERR)?;
    let done = with_hash(ctx, key, false, |h, _, _| {
        Ok(fields
            .iter()
            .map(|f| match h.persist(f) {
                None => -2,
                Some(false) => -1,
                Some(true) => 1,
            })
            .collect::<Vec<i64>>())
    })?;
    let codes = done.value.unwrap_or_else(|| vec![-2; fields.len()]);
    if codes.contains(&1) {
        record(ctx, key, "hpersist", false);
    }
    ctx.out.array(codes.len());
    for c in codes {
        ctx.out.int(c);
    }
    Ok(())
}
