//! Set commands: membership, random picks and pops, the algebra
//! (`SINTER`/`SUNION`/`SDIFF`, their `STORE` forms and `SINTERCARD`) and
//! `SSCAN`, as Redis 7.0 answers them.
//!
//! Multi-key commands lock the shards of every key at once
//! ([`crate::store::Db::write_keys`]) and then look the keys up one by one
//! in argument order, stopping at the first wrong type as Redis does, so the
//! keyspace hit/miss counts agree. Results Redis builds as a fresh set
//! (unions, differences, stored intersections) are built here through
//! [`Set::from_members`] too, which gives the same encoding and, for an
//! intset result, the same ascending reply order. Emptied sets are deleted.

use rand::Rng;

use super::keys::parse_cursor;
use super::propagate;
use super::{Args, CmdError, Ctx};
use crate::glob::glob_match;
use crate::protocol::Reply;
use crate::store::types::set::Member;
use crate::store::value::Set;
use crate::store::{Entry, KeySlot, Keys, Limits, Value};

/// The largest reply `SRANDMEMBER` with a negative count may build. Redis
/// would stream an endless reply for counts near `-LONG_MAX`; we refuse
/// instead of allocating gigabytes.
const RANDOM_REPLY_MAX_BYTES: usize = 256 << 20;

/// The set a value holds, or `WRONGTYPE`.
#[allow(unreachable_patterns)]
fn set_of(v: &Value) -> Result<&Set, CmdError> {
    match v {
        Value::Set(s) => Ok(s),
        _ => Err(CmdError::WrongType),
    }
}

/// The set a value holds, mutably, or `WRONGTYPE`.
#[allow(unreachable_patterns)]
fn set_of_mut(v: &mut Value) -> Result<&mut Set, CmdError> {
    match v {
        Value::Set(s) => Ok(s),
        _ => Err(CmdError::WrongType),
    }
}

/// Writes one member as a bulk string.
fn reply_member(out: &mut Reply, m: Member<'_>) {
    match m {
        Member::Int(n) => out.bulk_int(n),
        Member::Bytes(b) => out.bulk(b),
    }
}

/// Writes a whole set as a RESP3 set (an array in RESP2), in its order.
fn reply_set(out: &mut Reply, s: &Set) {
    out.set(s.len());
    for m in s.iter() {
        reply_member(out, m);
    }
}

/// Looks a key up for a read command, refreshing its access time unless
/// the client asked for `CLIENT NO-TOUCH`, and counts the hit or miss; `f`
/// gets the entry, the reply writer and the command's randomness.
fn read_with<R>(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    f: impl FnOnce(Option<&Entry>, &mut Reply, &mut dyn FnMut() -> u64) -> R,
) -> R {
    let db = ctx.db();
    let out = &mut *ctx.out;
    let rng = &mut *ctx.rng;
    let mut next = move || rng.random::<u64>();
    let mut hit = false;
    let g = |e: Option<&Entry>| {
        hit = e.is_some();
        f(e, out, &mut next)
    };
    let r = if ctx.session.no_touch {
        db.peek(key, ctx.now_ms, ctx.fx, g)
    } else {
        db.read(key, ctx.now_ms, ctx.fx, g)
    };
    ctx.lookup(hit);
    r
}

/// A key's slot among the locked ones. The handlers pass every key they
/// use to `write_keys`, so this always finds it.
fn slot_of<'k>(keys: &'k mut Keys<'_>, key: &'k [u8]) -> Result<KeySlot<'k>, CmdError> {
    keys.slot(key)
        .ok_or(CmdError::Other("ERR internal error: key not locked"))
}

// ---------------------------------------------------------------------------
// SADD, SREM, SMOVE

/// `SADD key member [member ...]`.
pub fn sadd(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let members = args.from(2);
    let limits = ctx.limits();
    let (now, dbi, db) = (ctx.now_ms, ctx.session.db, ctx.db());
    let added = db.write(key, now, ctx.fx, |slot| {
        let add = |s: &mut Set| members.iter().filter(|m| s.insert(m, &limits)).count();
        match slot.update(|e| set_of_mut(&mut e.value).map(add)) {
            Some(r) => r,
            None => {
                let mut s = Set::new();
                let n = add(&mut s);
                slot.insert(Value::Set(Box::new(s)), 0, now);
                Ok(n)
            }
        }
    })?;
    if added > 0 {
        ctx.fx.written(dbi, key, "sadd");
    }
    ctx.out.int(added as i64);
    Ok(())
}

/// `SREM key member [member ...]`.
pub fn srem(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let members = args.from(2);
    let (now, dbi, db) = (ctx.now_ms, ctx.session.db, ctx.db());
    let (removed, emptied) = db.write(key, now, ctx.fx, |slot| {
        let r = slot.update(|e| {
            let s = set_of_mut(&mut e.value)?;
            let mut n = 0;
            for m in members {
                if s.remove(m) {
                    n += 1;
                    if s.is_empty() {
                        break;
                    }
                }
            }
            Ok::<_, CmdError>((n, s.is_empty()))
        });
        let (n, empty) = r.transpose()?.unwrap_or((0, false));
        if empty {
            slot.remove();
        }
        Ok::<_, CmdError>((n, empty))
    })?;
    if removed > 0 {
        ctx.fx.written(dbi, key, "srem");
    }
    if emptied {
        ctx.fx.deleted(dbi, key, "del");
    }
    ctx.out.int(removed);
    Ok(())
}

/// What `SMOVE` did.
enum SmoveOutcome {
    /// Nothing (no source, no such member, or source and destination are one key).
    Nothing,
    /// Source and destination are one key holding the member.
    SameKeyHasIt,
    /// The member moved; whether the source emptied and whether the
    /// destination gained it (it may have held it already).
    Moved { src_emptied: bool, added: bool },
}

/// `SMOVE source destination member`.
pub fn smove(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (src, dst, member) = (args.get(1), args.get(2), args.get(3));
    let limits = ctx.limits();
    let (now, dbi, db) = (ctx.now_ms, ctx.session.db, ctx.db());
    let moved = db.write_keys(&[src, dst], now, ctx.fx, |keys| {
        // Redis answers 0 for a missing source before looking at the destination's type.
        let has = match slot_of(keys, src)?.value() {
            None => return Ok(SmoveOutcome::Nothing),
            Some(v) => set_of(v)?.contains(member),
        };
        if let Some(v) = slot_of(keys, dst)?.value() {
            set_of(v)?;
        }
        if src == dst {
            return Ok(if has {
                SmoveOutcome::SameKeyHasIt
            } else {
                SmoveOutcome::Nothing
            });
        }
        if !has {
            return Ok(SmoveOutcome::Nothing);
        }
        let mut from = slot_of(keys, src)?;
        let src_emptied = from
            .update(|e| set_of_mut(&mut e.value).map(|s| s.remove(member) && s.is_empty()))
            .transpose()?
            .unwrap_or(false);
        if src_emptied {
            from.remove();
        }
        let mut to = slot_of(keys, dst)?;
        let added = match to
            .update(|e| set_of_mut(&mut e.value).map(|s| s.insert(member, &limits)))
            .transpose()?
        {
            Some(added) => added,
            None => {
                let mut s = Set::new();
                s.insert(member, &limits);
                to.insert(Value::Set(Box::new(s)), 0, now);
                true
            }
        };
        Ok::<_, CmdError>(SmoveOutcome::Moved { src_emptied, added })
    })?;
    match moved {
        SmoveOutcome::Nothing => ctx.out.int(0),
        SmoveOutcome::SameKeyHasIt => ctx.out.int(1),
        SmoveOutcome::Moved { src_emptied, added } => {
            ctx.fx.written(dbi, src, "srem");
            if src_emptied {
                ctx.fx.deleted(dbi, src, "del");
            }
            // Redis signals the destination as modified (WATCH sees it) even
            // when it already held the member, but fires `sadd` only when added.
            if added {
                ctx.fx.written(dbi, dst, "sadd");
            } else {
                ctx.fx.touched(dbi, dst);
            }
            ctx.out.int(1);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// SISMEMBER, SMISMEMBER, SCARD, SMEMBERS

/// `SISMEMBER key member`.
pub fn sismember(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let member = args.get(2);
    read_with(ctx, args.get(1), |e, out, _| {
        let found = match e {
            None => false,
            Some(e) => set_of(&e.value)?.contains(member),
        };
        out.int(i64::from(found));
        Ok(())
    })
}

/// `SMISMEMBER key member [member ...]`: integers, also in RESP3.
pub fn smismember(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let members = args.from(2);
    read_with(ctx, args.get(1), |e, out, _| {
        let s = e.map(|e| set_of(&e.value)).transpose()?;
        out.array(members.len());
        for m in members {
            out.int(i64::from(s.is_some_and(|s| s.contains(m))));
        }
        Ok(())
    })
}

/// `SCARD key`.
pub fn scard(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    read_with(ctx, args.get(1), |e, out, _| {
        let n = match e {
            None => 0,
            Some(e) => set_of(&e.value)?.len(),
        };
        out.int(n as i64);
        Ok(())
    })
}

/// `SMEMBERS key`: an intset in ascending order, a hashtable in table order.
pub fn smembers(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    read_with(ctx, args.get(1), |e, out, _| {
        match e {
            None => out.set(0),
            Some(e) => reply_set(out, set_of(&e.value)?),
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------
// SPOP, SRANDMEMBER

/// `SPOP key [count]`.
pub fn spop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if args.len() > 3 {
        return Err(CmdError::Syntax);
    }
    // Redis reads the count with `getPositiveLongFromObjectOrReply`: text
    // and negatives get the same error, before the key is looked at.
    let count = if args.len() == 3 {
        let n = crate::num::parse_ll(args.get(2))
            .filter(|n| *n >= 0)
            .ok_or(CmdError::MustBePositive("value"))?;
        Some(usize::try_from(n).unwrap_or(usize::MAX))
    } else {
        None
    };
    let key = args.get(1);
    let limits = ctx.limits();
    let (now, dbi, db) = (ctx.now_ms, ctx.session.db, ctx.db());
    let replicating = ctx.replicating();
    // What was popped, kept only for the replicated `SREM`.
    let mut taken: Vec<Vec<u8>> = Vec::new();
    let out = &mut *ctx.out;
    let rng = &mut *ctx.rng;
    let mut next = move || rng.random::<u64>();
    // (popped anything, emptied the key, took the whole set)
    let (popped, emptied, whole) = db.write(key, now, ctx.fx, |slot| {
        let Some(v) = slot.value() else {
            match count {
                None => out.null(),
                Some(_) => out.set(0),
            }
            return Ok((false, false, false));
        };
        let size = set_of(v)?.len();
        match count {
            Some(0) => {
                out.set(0);
                Ok((false, false, false))
            }
            Some(n) if n >= size => {
                // The whole set goes; Redis answers it as the union of the one
                // set, a freshly built set (ascending when it is an intset).
                if let Some(e) = slot.remove() {
                    let whole = set_of(&e.value)?;
                    reply_set(out, &Set::from_members(whole.iter(), &limits));
                }
                Ok((true, true, true))
            }
            Some(n) => {
                let popped = slot
                    .update(|e| set_of_mut(&mut e.value).map(|s| s.pop_many(n, &mut next, &limits)))
                    .transpose()?
                    .unwrap_or_default();
                out.set(popped.len());
                for m in &popped {
                    out.bulk(m);
                }
                if replicating {
                    taken = popped;
                }
                Ok((true, false, false))
            }
            None => {
                let (m, empty): (Option<Vec<u8>>, bool) = slot
                    .update(|e| set_of_mut(&mut e.value).map(|s| (s.pop_random(&mut next), s.is_empty())))
                    .transpose()?
                    .unwrap_or((None, false));
                match &m {
                    Some(m) => out.bulk(m),
                    None => out.null(),
                }
                if empty {
                    slot.remove();
                }
                if let (true, Some(m)) = (replicating, &m) {
                    taken.push(m.clone());
                }
                Ok::<_, CmdError>((m.is_some(), empty, false))
            }
        }
    })?;
    if whole {
        // Redis 7.0 answers a whole-set SPOP through SUNION's code, whose
        // read lookup counts a keyspace hit.
        ctx.lookup(true);
    }
    if popped {
        ctx.fx.written(dbi, key, "spop");
    }
    if emptied {
        ctx.fx.deleted(dbi, key, "del");
    }
    // Replicated as what the random choice took (Redis: `SREM`, or `DEL`
    // when the whole set went).
    if whole {
        propagate::del(ctx, key);
    } else if popped {
        if replicating {
            let mut argv = Vec::with_capacity(taken.len() + 2);
            argv.push(propagate::arg(b"SREM"));
            argv.push(propagate::arg(key));
            argv.extend(taken.iter().map(|m| propagate::arg(m)));
            ctx.propagate(argv);
        } else {
            ctx.propagate_nothing();
        }
    }
    Ok(())
}

/// `SRANDMEMBER key [count]`: a positive count gives distinct members, a
/// negative one may repeat them.
pub fn srandmember(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if args.len() > 3 {
        return Err(CmdError::Syntax);
    }
    let count = if args.len() == 3 {
        let n = args.int(2)?;
        if n == i64::MIN {
            return Err(CmdError::Other(
                "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
            ));
        }
        Some(n)
    } else {
        None
    };
    read_with(ctx, args.get(1), |e, out, mut next| {
        let Some(e) = e else {
            match count {
                None => out.null(),
                Some(_) => out.array(0),
            }
            return Ok(());
        };
        let s = set_of(&e.value)?;
        let Some(count) = count else {
            match s.random(&mut next) {
                Some(m) => reply_member(out, m),
                None => out.null(),
            }
            return Ok(());
        };
        let n = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
        if n == 0 {
            out.array(0);
        } else if count < 0 || n == 1 {
            let per_member = s.average_member_len().saturating_add(16);
            if n.saturating_mul(per_member) > RANDOM_REPLY_MAX_BYTES {
                return Err(CmdError::Other(
                    "ERR value is out of range, the reply would be too large",
                ));
            }
            out.array(n);
            s.random_repeated(n, &mut next, |m| reply_member(out, m));
        } else if n >= s.len() {
            reply_array(out, s);
        } else {
            let picked = s.random_distinct(n, &mut next);
            out.array(picked.len());
            for m in picked {
                reply_member(out, m);
            }
        }
        Ok(())
    })
}

/// Writes a whole set as an array (`SRANDMEMBER` never answers a RESP3 set).
fn reply_array(out: &mut Reply, s: &Set) {
    out.array(s.len());
    for m in s.iter() {
        reply_member(out, m);
    }
}

// ---------------------------------------------------------------------------
// SINTER, SUNION, SDIFF and friends

/// Looks up the source sets in argument order under the locks. Returns
/// `None` for a missing key; a wrong type stops the lookups with
/// `WRONGTYPE`. `lookup` records each hit or miss (Redis 7.0 reads the
/// sources with read lookups in the `STORE` forms too).
fn source_sizes(
    keys: &mut Keys<'_>,
    srcs: &[&[u8]],
    mut lookup: impl FnMut(bool),
) -> Result<Vec<Option<usize>>, CmdError> {
    let mut sizes = Vec::with_capacity(srcs.len());
    for &k in srcs {
        let slot = slot_of(keys, k)?;
        // The lookup counts before the type check, as in Redis.
        lookup(slot.exists());
        let size = slot.value().map(set_of).transpose()?.map(Set::len);
        sizes.push(size);
    }
    Ok(sizes)
}

/// A source set, cloned out of the locked keys.
fn clone_source(keys: &mut Keys<'_>, key: &[u8]) -> Result<Set, CmdError> {
    Ok(slot_of(keys, key)?
        .value()
        .map(set_of)
        .transpose()?
        .cloned()
        .unwrap_or_default())
}

/// The intersection of `srcs`, in the order of the smallest set's members
/// (ascending when it is an intset), as Redis iterates it.
fn intersection(keys: &mut Keys<'_>, srcs: &[&[u8]], lookup: impl FnMut(bool)) -> Result<Set, CmdError> {
    let sizes = source_sizes(keys, srcs, lookup)?;
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(sizes.len());
    for (i, s) in sizes.iter().enumerate() {
        match s {
            // An intersection with a missing (empty) set is empty.
            None => return Ok(Set::new()),
            Some(n) => order.push((*n, i)),
        }
    }
    order.sort();
    let Some(&(_, first)) = order.first() else {
        return Ok(Set::new());
    };
    let mut result = clone_source(keys, srcs[first])?;
    for &(_, i) in &order[1..] {
        if srcs[i] == srcs[first] || result.is_empty() {
            continue;
        }
        let slot = slot_of(keys, srcs[i])?;
        if let Some(v) = slot.value() {
            let other = set_of(v)?;
            result.retain(|m| other.contains_member(m));
        }
    }
    Ok(result)
}

/// Which algebra a command computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Diff,
}

/// The union or difference of `srcs`, built as Redis builds it (so its
/// encoding is Redis's; for `SDIFF` that depends on which of Redis's two
/// algorithms its cost estimate picks).
fn union_or_diff(
    keys: &mut Keys<'_>,
    srcs: &[&[u8]],
    op: Op,
    limits: &Limits,
    lookup: impl FnMut(bool),
) -> Result<Set, CmdError> {
    let sizes = source_sizes(keys, srcs, lookup)?;
    if op == Op::Union {
        let mut result = Set::new();
        for (i, &k) in srcs.iter().enumerate() {
            if sizes[i].is_none() {
                continue;
            }
            let slot = slot_of(keys, k)?;
            if let Some(v) = slot.value() {
                for m in set_of(v)?.iter() {
                    result.insert_member(m, limits);
                }
            }
        }
        return Ok(result);
    }
    let Some(first_len) = sizes.first().copied().flatten() else {
        return Ok(Set::new());
    };
    // The same key as the first one, later: the difference is empty.
    if srcs
        .iter()
        .zip(&sizes)
        .skip(1)
        .any(|(k, s)| s.is_some() && *k == srcs[0])
    {
        return Ok(Set::new());
    }
    let existing = sizes.iter().flatten().count();
    let algo_one_work = first_len.saturating_mul(existing) / 2;
    let algo_two_work: usize = sizes.iter().flatten().sum();
    if algo_one_work <= algo_two_work {
        // Keep the first set's members that no other set has, then build.
        let mut kept = clone_source(keys, srcs[0])?;
        for (i, &k) in srcs.iter().enumerate().skip(1) {
            if sizes[i].is_none() || kept.is_empty() {
                continue;
            }
            let slot = slot_of(keys, k)?;
            if let Some(v) = slot.value() {
                let other = set_of(v)?;
                kept.retain(|m| !other.contains_member(m));
            }
        }
        Ok(Set::from_members(kept.iter(), limits))
    } else {
        // Add the whole first set, then remove the others' members.
        let mut result = {
            let slot = slot_of(keys, srcs[0])?;
            match slot.value() {
                Some(v) => Set::from_members(set_of(v)?.iter(), limits),
                None => Set::new(),
            }
        };
        for (i, &k) in srcs.iter().enumerate().skip(1) {
            if sizes[i].is_none() || result.is_empty() {
                continue;
            }
            let slot = slot_of(keys, k)?;
            if let Some(v) = slot.value() {
                for m in set_of(v)?.iter() {
                    result.remove_member(m);
                }
            }
        }
        Ok(result)
    }
}

/// The shared body of the `STORE` forms: computes under the locks of the
/// destination and every source, then replaces or deletes the destination.
fn store_generic(
    ctx: &mut Ctx<'_>,
    dst: &[u8],
    srcs: &[&[u8]],
    event: &'static str,
    compute: impl FnOnce(&mut Keys<'_>, &Limits, &mut dyn FnMut(bool)) -> Result<Set, CmdError>,
) -> Result<(), CmdError> {
    let limits = ctx.limits();
    let (now, dbi, db) = (ctx.now_ms, ctx.session.db, ctx.db());
    let stats = &ctx.inst.stats;
    let mut lookup = |hit: bool| stats.record_lookup(hit);
    let mut all: Vec<&[u8]> = Vec::with_capacity(srcs.len() + 1);
    all.push(dst);
    all.extend_from_slice(srcs);
    // (stored size, whether an old destination was deleted)
    let (size, deleted) = db.write_keys(&all, now, ctx.fx, |keys| {
        let result = compute(keys, &limits, &mut lookup)?;
        let mut slot = slot_of(keys, dst)?;
        if result.is_empty() {
            return Ok::<_, CmdError>((0, slot.remove().is_some()));
        }
        let n = result.len();
        slot.insert(Value::Set(Box::new(result)), 0, now);
        Ok((n, false))
    })?;
    if size > 0 {
        ctx.fx.written(dbi, dst, event);
    } else if deleted {
        ctx.fx.deleted(dbi, dst, "del");
    }
    ctx.out.int(size as i64);
    Ok(())
}

/// Runs `compute` under the locks of `srcs` for a read command, counting
/// each source's hit or miss, and replies with the resulting set.
fn read_generic(
    ctx: &mut Ctx<'_>,
    srcs: &[&[u8]],
    compute: impl FnOnce(&mut Keys<'_>, &Limits, &mut dyn FnMut(bool)) -> Result<Set, CmdError>,
) -> Result<Set, CmdError> {
    let limits = ctx.limits();
    let (now, db) = (ctx.now_ms, ctx.db());
    let stats = &ctx.inst.stats;
    let mut lookup = |hit: bool| stats.record_lookup(hit);
    db.write_keys(srcs, now, ctx.fx, |keys| compute(keys, &limits, &mut lookup))
}

/// The keys from argument `i` on.
fn keys_from<'a>(args: &Args<'a>, i: usize) -> Vec<&'a [u8]> {
    args.from(i).iter().map(|b| &b[..]).collect()
}

/// `SINTER key [key ...]`.
pub fn sinter(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let srcs = keys_from(args, 1);
    let result = read_generic(ctx, &srcs, |keys, _, lookup| intersection(keys, &srcs, lookup))?;
    reply_set(ctx.out, &result);
    Ok(())
}

/// `SINTERSTORE destination key [key ...]`.
pub fn sinterstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let srcs = keys_from(args, 2);
    store_generic(ctx, args.get(1), &srcs, "sinterstore", |keys, limits, lookup| {
        let inter = intersection(keys, &srcs, lookup)?;
        Ok(Set::from_members(inter.iter(), limits))
    })
}

/// `SINTERCARD numkeys key [key ...] [LIMIT limit]`.
pub fn sintercard(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let numkeys = crate::num::parse_ll(args.get(1))
        .filter(|n| *n >= 1)
        .ok_or(CmdError::Other("ERR numkeys should be greater than 0"))?;
    let numkeys = usize::try_from(numkeys).unwrap_or(usize::MAX);
    if numkeys > args.len() - 2 {
        return Err(CmdError::Other(
            "ERR Number of keys can't be greater than number of args",
        ));
    }
    let mut limit = 0usize;
    let mut i = 2 + numkeys;
    while i < args.len() {
        if args.is(i, "limit") && i + 1 < args.len() {
            let n = crate::num::parse_ll(args.get(i + 1))
                .filter(|n| *n >= 0)
                .ok_or(CmdError::Other("ERR LIMIT can't be negative"))?;
            limit = usize::try_from(n).unwrap_or(usize::MAX);
            i += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let srcs: Vec<&[u8]> = args.from(2)[..numkeys].iter().map(|b| &b[..]).collect();
    let result = read_generic(ctx, &srcs, |keys, _, lookup| intersection(keys, &srcs, lookup))?;
    let n = if limit > 0 {
        result.len().min(limit)
    } else {
        result.len()
    };
    ctx.out.int(n as i64);
    Ok(())
}

/// `SUNION key [key ...]`.
pub fn sunion(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let srcs = keys_from(args, 1);
    let result = read_generic(ctx, &srcs, |keys, limits, lookup| {
        union_or_diff(keys, &srcs, Op::Union, limits, lookup)
    })?;
    reply_set(ctx.out, &result);
    Ok(())
}

/// `SUNIONSTORE destination key [key ...]`.
pub fn sunionstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let srcs = keys_from(args, 2);
    store_generic(ctx, args.get(1), &srcs, "sunionstore", |keys, limits, lookup| {
        union_or_diff(keys, &srcs, Op::Union, limits, lookup)
    })
}

/// `SDIFF key [key ...]`.
pub fn sdiff(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let srcs = keys_from(args, 1);
    let result = read_generic(ctx, &srcs, |keys, limits, lookup| {
        union_or_diff(keys, &srcs, Op::Diff, limits, lookup)
    })?;
    reply_set(ctx.out, &result);
    Ok(())
}

/// `SDIFFSTORE destination key [key ...]`.
pub fn sdiffstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let srcs = keys_from(args, 2);
    store_generic(ctx, args.get(1), &srcs, "sdiffstore", |keys, limits, lookup| {
        union_or_diff(keys, &srcs, Op::Diff, limits, lookup)
    })
}

// ---------------------------------------------------------------------------
// SSCAN

/// `SSCAN key cursor [MATCH pattern] [COUNT count]`.
pub fn sscan(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let cursor = parse_cursor(args.get(2)).ok_or(CmdError::Other("ERR invalid cursor"))?;
    // Redis parses the options only once it found a set: a missing key
    // answers an empty scan whatever follows.
    let options = (|| {
        let mut count: i64 = 10;
        let mut pattern: Option<&[u8]> = None;
        let mut i = 3;
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
            } else {
                return Err(CmdError::Syntax);
            }
            i += 2;
        }
        Ok((usize::try_from(count).unwrap_or(usize::MAX), pattern))
    })();
    read_with(ctx, args.get(1), |e, out, _| {
        let Some(e) = e else {
            out.array(2);
            out.bulk(b"0");
            out.array(0);
            return Ok(());
        };
        let s = set_of(&e.value)?;
        let (count, pattern) = options?;
        let mut found: Vec<Vec<u8>> = Vec::new();
        let next = s.scan(cursor, count, |m| {
            m.with_bytes(|b| {
                if pattern.is_none_or(|p| glob_match(p, b, false)) {
                    found.push(b.to_vec());
                }
            });
        });
        out.array(2);
        out.bulk(itoa::Buffer::new().format(next).as_bytes());
        out.array(found.len());
        for m in &found {
            out.bulk(m);
        }
        Ok(())
    })
}
