//! Sorted-set commands: ZADD and friends, the ZRANGE family (by rank, score
//! and lexicographic interval, stored or replied), removals by range, pops
//! (also blocking), ZRANDMEMBER, the set algebra (ZUNION/ZINTER/ZDIFF and
//! their STORE forms, ZINTERCARD) and ZSCAN.
//!
//! Every handler follows Redis 7.0's `t_zset.c` check order (arguments that
//! need no key first, then the key's type, then the rest), because the
//! error a client sees depends on it. Numbers are read as C reads them:
//! scores with `strtod` (hex included, overflow refused), range ends with a
//! bare `strtod`, counts as `long`. Scores are replied as doubles (bulk
//! strings in RESP2), except ZSCAN which sends the text Redis stores.

use std::collections::HashSet;

use bytes::Bytes;
use hashbrown::HashMap;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::keys::parse_cursor;
use super::propagate;
use super::{Action, Args, Block, CmdError, Ctx, TimeoutReply};
use crate::glob::glob_match;
use crate::num::{is_c_space, parse_double, strtod};
use crate::protocol::reply::format_g17;
use crate::protocol::Reply;
use crate::store::types::zset::{LexBound, LexRange, ScoreRange, ZSet};
use crate::store::{KeySlot, Limits, Value};

const NAN_ERR: &str = "ERR resulting score is not a number (NaN)";
const SCORE_RANGE_ERR: &str = "ERR min or max is not a float";
const LEX_RANGE_ERR: &str = "ERR min or max not valid string range item";

/// The sorted set a value holds, or `WRONGTYPE`.
pub(crate) fn zset_of(v: &Value) -> Result<&ZSet, CmdError> {
    match v {
        Value::ZSet(z) => Ok(z),
        _ => Err(CmdError::WrongType),
    }
}

/// The sorted set a value holds, mutably, or `WRONGTYPE`.
fn zset_of_mut(v: &mut Value) -> Result<&mut ZSet, CmdError> {
    match v {
        Value::ZSet(z) => Ok(z),
        _ => Err(CmdError::WrongType),
    }
}

/// The sorted set at a locked key: `None` if absent, `WRONGTYPE` for another type.
fn zset_in<'s>(slot: &'s KeySlot<'_>) -> Result<Option<&'s ZSet>, CmdError> {
    slot.value().map(zset_of).transpose()
}

/// A score argument (`ZADD`, `ZINCRBY`).
fn parse_score(a: &[u8]) -> Result<f64, CmdError> {
    parse_double(a).ok_or(CmdError::NotFloat)
}

/// A `long` argument as `getLongFromObjectOrReply` reads it.
fn parse_long(a: &[u8]) -> Result<i64, CmdError> {
    crate::num::parse_ll(a).ok_or(CmdError::NotInteger)
}

/// One end of a score range: `(` for exclusive, then what `strtod` reads
/// (the empty string is 0, as in Redis).
fn parse_score_bound(a: &[u8]) -> Option<(f64, bool)> {
    let (ex, body) = match a.first() {
        Some(b'(') => (true, &a[1..]),
        _ => (false, a),
    };
    let r = strtod(body);
    if r.used != body.len() || r.value.is_nan() {
        return None;
    }
    Some((r.value, ex))
}

/// A score range from its two ends.
fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, CmdError> {
    match (parse_score_bound(min), parse_score_bound(max)) {
        (Some((min, min_ex)), Some((max, max_ex))) => Ok(ScoreRange {
            min,
            min_ex,
            max,
            max_ex,
        }),
        _ => Err(CmdError::Other(SCORE_RANGE_ERR)),
    }
}

/// One end of a lexicographic range: `-`, `+`, `[x` or `(x`.
fn parse_lex_bound(a: &[u8]) -> Option<LexBound> {
    match a.first()? {
        b'+' if a.len() == 1 => Some(LexBound::PosInf),
        b'-' if a.len() == 1 => Some(LexBound::NegInf),
        b'(' => Some(LexBound::Excl(a[1..].to_vec())),
        b'[' => Some(LexBound::Incl(a[1..].to_vec())),
        _ => None,
    }
}

/// A lexicographic range from its two ends.
fn parse_lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, CmdError> {
    match (parse_lex_bound(min), parse_lex_bound(max)) {
        (Some(min), Some(max)) => Ok(LexRange { min, max }),
        _ => Err(CmdError::Other(LEX_RANGE_ERR)),
    }
}

/// A blocking timeout in seconds as `getTimeoutFromObjectOrReply` reads it;
/// returns the absolute deadline, `None` for 0 (wait forever).
fn parse_timeout(a: &[u8], now: u64) -> Result<Option<u64>, CmdError> {
    const NOT_FLOAT: CmdError = CmdError::Other("ERR timeout is not a float or out of range");
    if a.is_empty() || is_c_space(a[0]) || a.last().is_some_and(|&c| is_c_space(c)) {
        return Err(NOT_FLOAT);
    }
    let r = strtod(a);
    // Redis reads a long double, which does not overflow where a double
    // does: an overflowing double is just a huge timeout here.
    if r.used != a.len() || r.value.is_nan() || (r.range_error && r.value == 0.0) {
        return Err(NOT_FLOAT);
    }
    let ms = (r.value * 1000.0).ceil();
    // Past the `long long` range the C cast yields LLONG_MIN on x86: Redis
    // then says the timeout is negative.
    if !(0.0..9.223_372_036_854_775e18).contains(&ms) {
        return Err(CmdError::Other("ERR timeout is negative"));
    }
    let ms = ms as u64;
    Ok((ms > 0).then(|| now.saturating_add(ms)))
}

/// A score as the listpack encoding stores it (Redis's `d2string`): exact
/// integers up to 2^62 in decimal, everything else `%.17g`.
fn d2string(d: f64) -> String {
    let half = (i64::MAX / 2) as f64;
    if d.is_finite() && (-half..=half).contains(&d) {
        let ll = d as i64;
        if ll as f64 == d {
            return itoa::Buffer::new().format(ll).to_string();
        }
    }
    format_g17(d)
}

// ---------------------------------------------------------------------------
// Reply shapes.

/// Replies with (member, score) pairs: flat in RESP2 (or without scores),
/// one two-element array per member in RESP3.
fn reply_members<'a>(out: &mut Reply, n: usize, withscores: bool, items: impl Iterator<Item = (&'a [u8], f64)>) {
    let nested = withscores && out.is_resp3();
    out.array(if withscores && !nested { n * 2 } else { n });
    for (m, s) in items {
        if nested {
            out.array(2);
        }
        out.bulk(m);
        if withscores {
            out.double(s);
        }
    }
}

// ---------------------------------------------------------------------------
// ZADD / ZINCRBY

/// Parsed ZADD flags.
#[derive(Debug, Default, Clone, Copy)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

/// What ZADD did.
#[derive(Debug, Default)]
struct AddOutcome {
    added: i64,
    updated: i64,
    processed: i64,
    score: f64,
}

/// Applies score-member pairs to a set as `zsetAdd` does, one after the other.
fn zadd_apply(z: &mut ZSet, pairs: &[(f64, &[u8])], f: AddFlags, limits: &Limits) -> Result<AddOutcome, CmdError> {
    let mut o = AddOutcome::default();
    for &(s, member) in pairs {
        match z.score(member) {
            Some(cur) => {
                if f.nx {
                    continue;
                }
                let mut score = s;
                if f.incr {
                    score += cur;
                    if score.is_nan() {
                        return Err(CmdError::Other(NAN_ERR));
                    }
                }
                if (f.lt && score >= cur) || (f.gt && score <= cur) {
                    continue;
                }
                o.processed += 1;
                o.score = score;
                if score != cur {
                    z.insert(member, score, limits);
                    o.updated += 1;
                }
            }
            None if !f.xx => {
                z.insert(member, s, limits);
                o.added += 1;
                o.processed += 1;
                o.score = s;
            }
            None => {}
        }
    }
    Ok(o)
}

/// ZADD and ZINCRBY (`incr` preset).
fn zadd_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, incr_cmd: bool) -> Result<(), CmdError> {
    let mut f = AddFlags {
        incr: incr_cmd,
        ..AddFlags::default()
    };
    let mut idx = 2;
    while idx < args.len() {
        let a = args.get(idx);
        if a.eq_ignore_ascii_case(b"nx") {
            f.nx = true;
        } else if a.eq_ignore_ascii_case(b"xx") {
            f.xx = true;
        } else if a.eq_ignore_ascii_case(b"ch") {
            f.ch = true;
        } else if a.eq_ignore_ascii_case(b"incr") {
            f.incr = true;
        } else if a.eq_ignore_ascii_case(b"gt") {
            f.gt = true;
        } else if a.eq_ignore_ascii_case(b"lt") {
            f.lt = true;
        } else {
            break;
        }
        idx += 1;
    }
    let elements = args.len() - idx;
    if elements % 2 == 1 || elements == 0 {
        return Err(CmdError::Syntax);
    }
    if f.nx && f.xx {
        return Err(CmdError::Other(
            "ERR XX and NX options at the same time are not compatible",
        ));
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return Err(CmdError::Other(
            "ERR GT, LT, and/or NX options at the same time are not compatible",
        ));
    }
    if f.incr && elements > 2 {
        return Err(CmdError::Other(
            "ERR INCR option supports a single increment-element pair",
        ));
    }
    let mut pairs = Vec::with_capacity(elements / 2);
    for j in (idx..args.len()).step_by(2) {
        pairs.push((parse_score(args.get(j))?, args.get(j + 1)));
    }
    let key = args.get(1);
    let limits = ctx.limits();
    let db = ctx.db();
    let result = db.write(key, ctx.now_ms, ctx.fx, |slot| -> Result<AddOutcome, CmdError> {
        match slot.value() {
            None if f.xx => Ok(AddOutcome::default()),
            None => {
                let mut z = ZSet::new();
                let o = zadd_apply(&mut z, &pairs, f, &limits)?;
                if !z.is_empty() {
                    slot.insert(Value::ZSet(Box::new(z)), 0, ctx.now_ms);
                }
                Ok(o)
            }
            Some(v) => {
                zset_of(v)?;
                slot.update(|e| zadd_apply(zset_of_mut(&mut e.value)?, &pairs, f, &limits))
                    .unwrap_or(Err(CmdError::WrongType))
            }
        }
    })?;
    if result.added > 0 || result.updated > 0 {
        ctx.fx.written(db.index, key, if f.incr { "zincr" } else { "zadd" });
    }
    if f.incr {
        if result.processed > 0 {
            ctx.out.double(result.score);
        } else {
            ctx.out.null();
        }
    } else {
        ctx.out.int(if f.ch {
            result.added + result.updated
        } else {
            result.added
        });
    }
    Ok(())
}

/// `ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]`.
pub fn zadd(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    zadd_generic(ctx, args, false)
}

/// `ZINCRBY key increment member`.
pub fn zincrby(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    zadd_generic(ctx, args, true)
}

// ---------------------------------------------------------------------------
// Simple reads

/// Runs `f` on the set at `key` (`None` if absent), counting the lookup.
pub(crate) fn read_zset<R>(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    f: impl FnOnce(Option<&ZSet>, &mut Reply) -> Result<R, CmdError>,
) -> Result<R, CmdError> {
    let db = ctx.db();
    let out = &mut *ctx.out;
    let (hit, r) = db.read(key, ctx.now_ms, ctx.fx, |e| match e {
        None => (false, f(None, out)),
        Some(e) => (true, zset_of(&e.value).and_then(|z| f(Some(z), out))),
    });
    ctx.lookup(hit);
    r
}

/// `ZSCORE key member`.
pub fn zscore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let member = args.get(2);
    read_zset(ctx, args.get(1), |z, out| {
        match z.and_then(|z| z.score(member)) {
            Some(s) => out.double(s),
            None => out.null(),
        }
        Ok(())
    })
}

/// `ZMSCORE key member [member ...]`.
pub fn zmscore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let members = args.from(2);
    read_zset(ctx, args.get(1), |z, out| {
        out.array(members.len());
        for m in members {
            match z.and_then(|z| z.score(m)) {
                Some(s) => out.double(s),
                None => out.null(),
            }
        }
        Ok(())
    })
}

/// `ZCARD key`.
pub fn zcard(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    read_zset(ctx, args.get(1), |z, out| {
        out.int(z.map_or(0, |z| z.len()) as i64);
        Ok(())
    })
}

/// `ZCOUNT key min max`.
pub fn zcount(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let range = parse_score_range(args.get(2), args.get(3))?;
    read_zset(ctx, args.get(1), |z, out| {
        out.int(z.map_or(0, |z| z.count_in_score_range(&range)) as i64);
        Ok(())
    })
}

/// `ZLEXCOUNT key min max`.
pub fn zlexcount(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let range = parse_lex_range(args.get(2), args.get(3))?;
    read_zset(ctx, args.get(1), |z, out| {
        out.int(z.map_or(0, |z| z.count_in_lex_range(&range)) as i64);
        Ok(())
    })
}

fn rank_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, rev: bool) -> Result<(), CmdError> {
    // Redis 7.2's WITHSCORE (we report 7.2, so clients send it). As
    // `zrankGenericCommand`: the option is checked before the key, and a
    // miss answers a null array with it, a null without it.
    if args.len() > 4 {
        return Err(CmdError::WrongArity(if rev { "zrevrank" } else { "zrank" }));
    }
    let withscore = args.len() == 4;
    if withscore && !args.is(3, "withscore") {
        return Err(CmdError::Syntax);
    }
    let member = args.get(2);
    read_zset(ctx, args.get(1), |z, out| {
        let found = z.and_then(|z| {
            let r = z.rank(member)?;
            let score = z.score(member)?;
            Some((if rev { z.len() - 1 - r } else { r }, score))
        });
        match found {
            Some((r, score)) if withscore => {
                out.array(2);
                out.int(r as i64);
                out.double(score);
            }
            Some((r, _)) => out.int(r as i64),
            None if withscore => out.null_array(),
            None => out.null(),
        }
        Ok(())
    })
}

/// `ZRANK key member [WITHSCORE]`.
pub fn zrank(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    rank_generic(ctx, args, false)
}

/// `ZREVRANK key member [WITHSCORE]`.
pub fn zrevrank(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    rank_generic(ctx, args, true)
}

// ---------------------------------------------------------------------------
// The ZRANGE family

/// Which kind of interval a range command reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeKind {
    Rank,
    Score,
    Lex,
}

/// A parsed interval.
#[derive(Debug, Clone)]
enum Interval {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// A parsed range request.
#[derive(Debug, Clone)]
struct RangeRequest {
    interval: Interval,
    rev: bool,
    withscores: bool,
    offset: i64,
    /// -1 (or any negative): no limit.
    limit: i64,
}

/// Parses a range command's arguments from `at` (the first of min/start,
/// max/stop, options), as `zrangeGenericCommand` does. `kind`/`rev` are
/// fixed for the legacy commands, `None` when keywords choose them.
fn parse_range(
    args: &Args<'_>,
    at: usize,
    kind: Option<RangeKind>,
    rev: Option<bool>,
    store: bool,
) -> Result<RangeRequest, CmdError> {
    // Each of REV and BYSCORE/BYLEX may appear once, and only where the
    // command does not fix it.
    let mut k = kind;
    let mut backwards = rev;
    let (mut withscores, mut offset, mut limit) = (false, 0i64, -1i64);
    let mut j = at + 2;
    while j < args.len() {
        let left = args.len() - j - 1;
        if !store && args.is(j, "withscores") {
            withscores = true;
        } else if args.is(j, "limit") && left >= 2 {
            offset = parse_long(args.get(j + 1))?;
            limit = parse_long(args.get(j + 2))?;
            j += 2;
        } else if backwards.is_none() && args.is(j, "rev") {
            backwards = Some(true);
        } else if k.is_none() && args.is(j, "bylex") {
            k = Some(RangeKind::Lex);
        } else if k.is_none() && args.is(j, "byscore") {
            k = Some(RangeKind::Score);
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let k = k.unwrap_or(RangeKind::Rank);
    let backwards = backwards.unwrap_or(false);
    if limit != -1 && k == RangeKind::Rank {
        return Err(CmdError::Other(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        ));
    }
    if withscores && k == RangeKind::Lex {
        return Err(CmdError::Other(
            "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
        ));
    }
    let (mut lo, mut hi) = (args.get(at), args.get(at + 1));
    if backwards && k != RangeKind::Rank {
        // The interval is given as max, min.
        std::mem::swap(&mut lo, &mut hi);
    }
    let interval = match k {
        RangeKind::Rank => Interval::Rank(parse_long(lo)?, parse_long(hi)?),
        RangeKind::Score => Interval::Score(parse_score_range(lo, hi)?),
        RangeKind::Lex => Interval::Lex(parse_lex_range(lo, hi)?),
    };
    Ok(RangeRequest {
        interval,
        rev: backwards,
        withscores,
        offset,
        limit,
    })
}

/// Resolves a rank interval (negative ranks count from the end) to
/// ascending ranks `lo..hi`; for `rev`, ranks count from the highest score.
fn rank_window(len: usize, start: i64, end: i64, rev: bool) -> (usize, usize) {
    let llen = len as i64;
    let (mut start, mut end) = (start, end);
    if start < 0 {
        start += llen;
    }
    if end < 0 {
        end += llen;
    }
    if start < 0 {
        start = 0;
    }
    if start > end || start >= llen {
        return (0, 0);
    }
    if end >= llen {
        end = llen - 1;
    }
    let (start, end) = (start as usize, end as usize);
    if rev {
        (len - 1 - end, len - start)
    } else {
        (start, end + 1)
    }
}

/// The ascending ranks `lo..hi` a request selects, to be iterated downwards
/// when `req.rev`.
fn select(z: &ZSet, req: &RangeRequest) -> (usize, usize) {
    let (lo, hi) = match &req.interval {
        Interval::Rank(s, e) => return rank_window(z.len(), *s, *e, req.rev),
        Interval::Score(r) => z.score_ranks(r),
        Interval::Lex(r) if req.rev => z.lex_ranks_rev(r),
        Interval::Lex(r) => z.lex_ranks(r),
    };
    // A negative offset skips everything; a negative limit takes everything.
    if req.offset < 0 {
        return (0, 0);
    }
    let skip = usize::try_from(req.offset).unwrap_or(usize::MAX);
    let avail = hi - lo;
    if skip >= avail {
        return (0, 0);
    }
    let take = if req.limit < 0 {
        usize::MAX
    } else {
        usize::try_from(req.limit).unwrap_or(usize::MAX)
    };
    let n = take.min(avail - skip);
    if req.rev {
        (hi - skip - n, hi - skip)
    } else {
        (lo + skip, lo + skip + n)
    }
}

/// The reading range commands.
fn range_reply(ctx: &mut Ctx<'_>, args: &Args<'_>, kind: Option<RangeKind>, rev: Option<bool>) -> Result<(), CmdError> {
    let req = parse_range(args, 2, kind, rev, false)?;
    read_zset(ctx, args.get(1), |z, out| {
        match z {
            None => out.array(0),
            Some(z) => {
                let (lo, hi) = select(z, &req);
                reply_members(out, hi - lo, req.withscores, z.iter_range(lo, hi, req.rev));
            }
        }
        Ok(())
    })
}

/// `ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]`.
pub fn zrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    range_reply(ctx, args, None, None)
}

/// `ZREVRANGE key start stop [WITHSCORES]`.
pub fn zrevrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    range_reply(ctx, args, Some(RangeKind::Rank), Some(true))
}

/// `ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]`.
pub fn zrangebyscore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    range_reply(ctx, args, Some(RangeKind::Score), Some(false))
}

/// `ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]`.
pub fn zrevrangebyscore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    range_reply(ctx, args, Some(RangeKind::Score), Some(true))
}

/// `ZRANGEBYLEX key min max [LIMIT offset count]`.
pub fn zrangebylex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    range_reply(ctx, args, Some(RangeKind::Lex), Some(false))
}

/// `ZREVRANGEBYLEX key max min [LIMIT offset count]`.
pub fn zrevrangebylex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    range_reply(ctx, args, Some(RangeKind::Lex), Some(true))
}

/// Stores `entries` at `dst` (or deletes `dst` when there are none), with
/// the event `event`; returns the stored length.
pub(crate) fn store_result(
    ctx_fx: &mut crate::store::Effects,
    db_index: usize,
    slot: &mut KeySlot<'_>,
    entries: Vec<(Vec<u8>, f64)>,
    limits: &Limits,
    now: u64,
    event: &'static str,
) -> usize {
    if entries.is_empty() {
        if slot.remove().is_some() {
            ctx_fx.deleted(db_index, slot.key(), "del");
        }
        return 0;
    }
    let z = ZSet::from_entries(entries, limits);
    let n = z.len();
    slot.insert(Value::ZSet(Box::new(z)), 0, now);
    ctx_fx.written(db_index, slot.key(), event);
    n
}

/// `ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]`.
pub fn zrangestore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let req = parse_range(args, 3, None, None, true)?;
    let (dst, src) = (args.get(1), args.get(2));
    let limits = ctx.limits();
    let db = ctx.db();
    let now = ctx.now_ms;
    let mut fx = crate::store::Effects::new();
    let (hit, r) = db.write_keys(&[dst, src], now, ctx.fx, |keys| {
        let (hit, picked) = {
            let Some(s) = keys.slot(src) else {
                return (false, Ok(0));
            };
            match zset_in(&s) {
                Err(e) => return (true, Err(e)),
                Ok(None) => (false, Vec::new()),
                Ok(Some(z)) => {
                    let (lo, hi) = select(z, &req);
                    (
                        true,
                        z.iter_range(lo, hi, req.rev).map(|(m, s)| (m.to_vec(), s)).collect(),
                    )
                }
            }
        };
        let Some(mut d) = keys.slot(dst) else {
            return (hit, Ok(0));
        };
        (
            hit,
            Ok(store_result(
                &mut fx,
                db.index,
                &mut d,
                picked,
                &limits,
                now,
                "zrangestore",
            )),
        )
    });
    ctx.lookup(hit);
    ctx.fx.list.append(&mut fx.list);
    ctx.out.int(r? as i64);
    Ok(())
}

// ---------------------------------------------------------------------------
// Removals

/// Removes the members the closure picks from the set at `key`; records
/// `event` (and `del` when the set empties). Returns how many went.
fn remove_from(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    event: &'static str,
    f: impl FnOnce(&mut ZSet) -> usize,
) -> Result<usize, CmdError> {
    let db = ctx.db();
    let (removed, emptied) = db.write(key, ctx.now_ms, ctx.fx, |slot| -> Result<(usize, bool), CmdError> {
        if zset_in(slot)?.is_none() {
            return Ok((0, false));
        }
        let (n, empty) = slot
            .update(|e| {
                zset_of_mut(&mut e.value).map(|z| {
                    let n = f(z);
                    (n, z.is_empty())
                })
            })
            .unwrap_or(Ok((0, false)))?;
        if empty {
            slot.remove();
        }
        Ok((n, empty))
    })?;
    if removed > 0 {
        ctx.fx.written(db.index, key, event);
        if emptied {
            ctx.fx.deleted(db.index, key, "del");
        }
    }
    Ok(removed)
}

/// `ZREM key member [member ...]`.
pub fn zrem(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let members = args.from(2);
    let n = remove_from(ctx, args.get(1), "zrem", |z| {
        let mut n = 0;
        for m in members {
            if z.remove(m).is_some() {
                n += 1;
            }
            if z.is_empty() {
                break;
            }
        }
        n
    })?;
    ctx.out.int(n as i64);
    Ok(())
}

/// `ZREMRANGEBYRANK key start stop`.
pub fn zremrangebyrank(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (start, end) = (parse_long(args.get(2))?, parse_long(args.get(3))?);
    let n = remove_from(ctx, args.get(1), "zremrangebyrank", |z| {
        let (lo, hi) = rank_window(z.len(), start, end, false);
        z.remove_ranks(lo, hi).len()
    })?;
    ctx.out.int(n as i64);
    Ok(())
}

/// `ZREMRANGEBYSCORE key min max`.
pub fn zremrangebyscore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let range = parse_score_range(args.get(2), args.get(3))?;
    let n = remove_from(ctx, args.get(1), "zremrangebyscore", |z| {
        let (lo, hi) = z.score_ranks(&range);
        z.remove_ranks(lo, hi).len()
    })?;
    ctx.out.int(n as i64);
    Ok(())
}

/// `ZREMRANGEBYLEX key min max`.
pub fn zremrangebylex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let range = parse_lex_range(args.get(2), args.get(3))?;
    let n = remove_from(ctx, args.get(1), "zremrangebylex", |z| {
        let (lo, hi) = z.lex_ranks(&range);
        z.remove_ranks(lo, hi).len()
    })?;
    ctx.out.int(n as i64);
    Ok(())
}

// ---------------------------------------------------------------------------
// Pops

/// How a pop replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PopShape {
    /// ZPOPMIN/ZPOPMAX: flat pairs (nested in RESP3 when a count was given).
    Plain { nested: bool },
    /// BZPOPMIN/BZPOPMAX: key, member, score.
    WithKey,
    /// ZMPOP/BZMPOP: key, then an array of pairs.
    Multi,
}

/// A pop's result: the key popped from and its (member, score) pairs.
type Popped = (Vec<u8>, Vec<(Vec<u8>, f64)>);

/// Pops up to `count` members from the first non-empty set among `keys`
/// (all locked together). `Ok(None)` if every key is absent (or empty);
/// `WRONGTYPE` as soon as a key of another type comes first.
fn pop_first(ctx: &mut Ctx<'_>, keys: &[&[u8]], max: bool, count: usize) -> Result<Option<Popped>, CmdError> {
    let db = ctx.db();
    let now = ctx.now_ms;
    let popped = db.write_keys(keys, now, ctx.fx, |locked| -> Result<_, CmdError> {
        for &key in keys {
            let Some(mut slot) = locked.slot(key) else {
                continue;
            };
            match zset_in(&slot)? {
                None => continue,
                Some(z) if z.is_empty() => continue,
                Some(_) => {}
            }
            let (items, empty) = slot
                .update(|e| {
                    zset_of_mut(&mut e.value).map(|z| {
                        let len = z.len();
                        let n = count.min(len);
                        let mut items = if max {
                            z.remove_ranks(len - n, len)
                        } else {
                            z.remove_ranks(0, n)
                        };
                        if max {
                            items.reverse();
                        }
                        (items, z.is_empty())
                    })
                })
                .unwrap_or(Ok((Vec::new(), false)))?;
            if empty {
                slot.remove();
            }
            return Ok(Some((key.to_vec(), items, empty)));
        }
        Ok(None)
    })?;
    Ok(popped.map(|(key, items, empty)| {
        ctx.fx.written(db.index, &key, if max { "zpopmax" } else { "zpopmin" });
        if empty {
            ctx.fx.deleted(db.index, &key, "del");
        }
        (key, items)
    }))
}

/// Writes a pop's reply.
fn reply_pop(out: &mut Reply, shape: PopShape, key: &[u8], items: &[(Vec<u8>, f64)]) {
    match shape {
        PopShape::Plain { nested } => {
            out.array(if nested { items.len() } else { items.len() * 2 });
            for (m, s) in items {
                if nested {
                    out.array(2);
                }
                out.bulk(m);
                out.double(*s);
            }
        }
        PopShape::WithKey => {
            out.array(items.len() * 2 + 1);
            out.bulk(key);
            for (m, s) in items {
                out.bulk(m);
                out.double(*s);
            }
        }
        PopShape::Multi => {
            out.array(2);
            out.bulk(key);
            out.array(items.len());
            for (m, s) in items {
                out.array(2);
                out.bulk(m);
                out.double(*s);
            }
        }
    }
}

fn zpop_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, max: bool) -> Result<(), CmdError> {
    if args.len() > 3 {
        return Err(CmdError::Syntax);
    }
    let count: Option<usize> = if args.len() == 3 {
        let n = crate::num::parse_ll(args.get(2))
            .filter(|n| *n >= 0)
            .ok_or(CmdError::Other("ERR value is out of range, must be positive"))?;
        Some(usize::try_from(n).unwrap_or(usize::MAX))
    } else {
        None
    };
    // Type check comes before the count-0 answer.
    let key = args.get(1);
    if count == Some(0) {
        let db = ctx.db();
        db.read(key, ctx.now_ms, ctx.fx, |e| {
            e.map(|e| zset_of(&e.value).map(|_| ())).transpose()
        })?;
        ctx.out.array(0);
        return Ok(());
    }
    match pop_first(ctx, &[key], max, count.unwrap_or(1))? {
        None => ctx.out.array(0),
        Some((k, items)) => {
            // RESP3 nests pairs only when a count was given.
            let nested = ctx.out.is_resp3() && count.is_some();
            reply_pop(ctx.out, PopShape::Plain { nested }, &k, &items);
        }
    }
    Ok(())
}

/// `ZPOPMIN key [count]`.
pub fn zpopmin(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    zpop_generic(ctx, args, false)
}

/// `ZPOPMAX key [count]`.
pub fn zpopmax(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    zpop_generic(ctx, args, true)
}

/// Parses `numkeys key... MIN|MAX [COUNT n]` from `at`; returns the keys'
/// argument range, MAX?, and the count.
fn parse_mpop(args: &Args<'_>, at: usize) -> Result<(std::ops::Range<usize>, bool, usize), CmdError> {
    let numkeys = crate::num::parse_ll(args.get(at))
        .filter(|n| *n >= 1)
        .ok_or(CmdError::Other("ERR numkeys should be greater than 0"))?;
    let numkeys = usize::try_from(numkeys).unwrap_or(usize::MAX);
    let where_idx = at.saturating_add(numkeys).saturating_add(1);
    if where_idx >= args.len() {
        return Err(CmdError::Syntax);
    }
    let max = if args.is(where_idx, "min") {
        false
    } else if args.is(where_idx, "max") {
        true
    } else {
        return Err(CmdError::Syntax);
    };
    let mut count: Option<usize> = None;
    let mut j = where_idx + 1;
    while j < args.len() {
        if count.is_none() && args.is(j, "count") && j + 1 < args.len() {
            let n = crate::num::parse_ll(args.get(j + 1))
                .filter(|n| *n >= 1)
                .ok_or(CmdError::Other("ERR count should be greater than 0"))?;
            count = Some(usize::try_from(n).unwrap_or(usize::MAX));
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    Ok((at + 1..where_idx, max, count.unwrap_or(1)))
}

/// `ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]`.
pub fn zmpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (keys, max, count) = parse_mpop(args, 1)?;
    let keys: Vec<&[u8]> = keys.map(|i| args.get(i)).collect();
    match pop_first(ctx, &keys, max, count)? {
        None => ctx.out.null_array(),
        Some((k, items)) => {
            replicate_pop(ctx, max, &k, Some(items.len()));
            reply_pop(ctx.out, PopShape::Multi, &k, &items);
        }
    }
    Ok(())
}

/// Replicates a multi-key or blocking pop as the plain pop of the key it
/// served (`ZPOPMIN key [count]`), as Redis 7 does.
fn replicate_pop(ctx: &mut Ctx<'_>, max: bool, key: &[u8], count: Option<usize>) {
    let cmd: &'static [u8] = if max { b"ZPOPMAX" } else { b"ZPOPMIN" };
    propagate::pop(ctx, cmd, key, count);
}

/// The blocking pops: serve at once if a set has members, otherwise ask to
/// wait on every key.
fn block_pop(
    ctx: &mut Ctx<'_>,
    keys: Vec<&[u8]>,
    max: bool,
    count: usize,
    deadline: Option<u64>,
    shape: PopShape,
) -> Result<(), CmdError> {
    match pop_first(ctx, &keys, max, count)? {
        Some((k, items)) => {
            let n = match shape {
                PopShape::Multi => Some(items.len()),
                _ => None,
            };
            replicate_pop(ctx, max, &k, n);
            reply_pop(ctx.out, shape, &k, &items);
        }
        None => {
            let keys: Vec<Bytes> = keys.iter().map(|k| Bytes::copy_from_slice(k)).collect();
            ctx.action = Some(Action::Block(Box::new(Block {
                keys,
                deadline,
                on_timeout: TimeoutReply::NullArray,
                argv: None,
            })));
        }
    }
    Ok(())
}

fn bzpop_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, max: bool) -> Result<(), CmdError> {
    let last = args.len() - 1;
    let deadline = parse_timeout(args.get(last), ctx.now_ms)?;
    let keys: Vec<&[u8]> = (1..last).map(|i| args.get(i)).collect();
    block_pop(ctx, keys, max, 1, deadline, PopShape::WithKey)
}

/// `BZPOPMIN key [key ...] timeout`.
pub fn bzpopmin(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    bzpop_generic(ctx, args, false)
}

/// `BZPOPMAX key [key ...] timeout`.
pub fn bzpopmax(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    bzpop_generic(ctx, args, true)
}

/// `BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]`.
pub fn bzmpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let deadline = parse_timeout(args.get(1), ctx.now_ms)?;
    let (keys, max, count) = parse_mpop(args, 2)?;
    let keys: Vec<&[u8]> = keys.map(|i| args.get(i)).collect();
    block_pop(ctx, keys, max, count, deadline, PopShape::Multi)
}

// ---------------------------------------------------------------------------
// ZRANDMEMBER

/// The most members a negative ZRANDMEMBER count may ask for; Redis would
/// try to send any number, we refuse rather than build a giant reply.
const RANDMEMBER_MAX_REPEAT: i64 = 1 << 24;

/// `ZRANDMEMBER key [count [WITHSCORES]]`.
pub fn zrandmember(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    if args.len() == 2 {
        // The closure cannot borrow `ctx`: draw from a child of its generator.
        let mut rng = SmallRng::seed_from_u64(ctx.rng.random());
        return read_zset(ctx, key, |z, out| {
            match z.filter(|z| !z.is_empty()) {
                None => out.null(),
                Some(z) => {
                    let r = rng.random_range(0..z.len());
                    out.bulk(z.nth(r).map_or(&[][..], |(m, _)| m));
                }
            }
            Ok(())
        });
    }
    let count = crate::num::parse_ll(args.get(2)).ok_or(CmdError::NotInteger)?;
    if count == i64::MIN {
        return Err(CmdError::Other(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        ));
    }
    if args.len() > 4 || (args.len() == 4 && !args.is(3, "withscores")) {
        return Err(CmdError::Syntax);
    }
    let withscores = args.len() == 4;
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
        return Err(CmdError::Other("ERR value is out of range"));
    }
    // The closure cannot borrow `ctx`: draw from a child of its generator.
    let mut rng = SmallRng::seed_from_u64(ctx.rng.random());
    read_zset(ctx, key, |z, out| {
        let Some(z) = z else {
            out.array(0);
            return Ok(());
        };
        let size = z.len();
        if count == 0 || size == 0 {
            out.array(0);
            return Ok(());
        }
        if count < 0 || count == 1 {
            // With repetition (or a single pick), in random order.
            let n = count.unsigned_abs();
            if count < -RANDMEMBER_MAX_REPEAT {
                return Err(CmdError::Other("ERR value is out of range"));
            }
            let n = n as usize;
            let picks = (0..n).map(|_| rng.random_range(0..size));
            reply_members(out, n, withscores, picks.filter_map(|r| z.nth(r)));
            return Ok(());
        }
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        if count >= size {
            reply_members(out, size, withscores, z.iter());
            return Ok(());
        }
        // Distinct members in random order: a partial Fisher-Yates shuffle
        // of ranks when many are wanted, rejection sampling when few are.
        let ranks: Vec<usize> = if count * 3 > size {
            let mut all: Vec<usize> = (0..size).collect();
            for i in 0..count {
                let j = rng.random_range(i..size);
                all.swap(i, j);
            }
            all.truncate(count);
            all
        } else {
            let mut seen = HashSet::with_capacity(count);
            let mut v = Vec::with_capacity(count);
            while v.len() < count {
                let r = rng.random_range(0..size);
                if seen.insert(r) {
                    v.push(r);
                }
            }
            v
        };
        reply_members(out, count, withscores, ranks.into_iter().filter_map(|r| z.nth(r)));
        Ok(())
    })
}

// ---------------------------------------------------------------------------
// Set algebra

/// Which operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

/// How scores of one member in several inputs combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

impl Aggregate {
    fn apply(self, target: &mut f64, val: f64) {
        match self {
            Aggregate::Sum => {
                *target += val;
                // inf + -inf: Redis's convention is 0.
                if target.is_nan() {
                    *target = 0.0;
                }
            }
            Aggregate::Min => {
                if val < *target {
                    *target = val;
                }
            }
            Aggregate::Max => {
                if val > *target {
                    *target = val;
                }
            }
        }
    }
}

/// One input of the set algebra, copied out of the store.
#[derive(Debug, Default)]
struct Source {
    /// (member, score) in the input's order; sets give score 1.
    items: Vec<(Vec<u8>, f64)>,
    /// Member → score, built on demand for membership tests.
    index: Option<HashMap<Vec<u8>, f64>>,
    weight: f64,
}

impl Source {
    fn lookup(&mut self, m: &[u8]) -> Option<f64> {
        let items = &self.items;
        self.index
            .get_or_insert_with(|| items.iter().cloned().collect())
            .get(m)
            .copied()
    }
}

/// `weight * score`, with NaN (0 * inf) read as 0 as Redis does.
fn weighted(w: f64, s: f64) -> f64 {
    let v = w * s;
    if v.is_nan() {
        0.0
    } else {
        v
    }
}

/// Parsed set-algebra request.
struct AlgebraRequest {
    keys: Vec<Vec<u8>>,
    weights: Vec<f64>,
    aggregate: Aggregate,
    withscores: bool,
    limit: usize,
}

/// Computes the operation over the sources (already weighted lookups).
fn compute(op: SetOp, mut srcs: Vec<Source>, aggregate: Aggregate, limit: usize) -> Vec<(Vec<u8>, f64)> {
    match op {
        SetOp::Diff => {
            let mut rest = srcs.split_off(1.min(srcs.len()));
            let Some(first) = srcs.pop() else {
                return Vec::new();
            };
            first
                .items
                .into_iter()
                .filter(|(m, _)| rest.iter_mut().all(|s| s.lookup(m).is_none()))
                .collect()
        }
        SetOp::Union => {
            // Smallest first, as Redis orders its inputs (stable for ties).
            srcs.sort_by_key(|s| s.items.len());
            let mut acc: HashMap<Vec<u8>, f64> = HashMap::new();
            let mut order: Vec<Vec<u8>> = Vec::new();
            for s in &srcs {
                for (m, sc) in &s.items {
                    let v = weighted(s.weight, *sc);
                    match acc.get_mut(m) {
                        Some(t) => aggregate.apply(t, v),
                        None => {
                            acc.insert(m.clone(), v);
                            order.push(m.clone());
                        }
                    }
                }
            }
            order
                .into_iter()
                .filter_map(|m| acc.get(&m).copied().map(|s| (m, s)))
                .collect()
        }
        SetOp::Inter => {
            srcs.sort_by_key(|s| s.items.len());
            if srcs.first().is_none_or(|s| s.items.is_empty()) {
                return Vec::new();
            }
            let mut first = srcs.remove(0);
            let mut out = Vec::new();
            for (m, sc) in std::mem::take(&mut first.items) {
                let mut score = weighted(first.weight, sc);
                let mut all = true;
                for s in srcs.iter_mut() {
                    match s.lookup(&m) {
                        // Only the first input's weighting maps NaN to 0;
                        // later ones go to the aggregate as they are.
                        Some(v) => aggregate.apply(&mut score, v * s.weight),
                        None => {
                            all = false;
                            break;
                        }
                    }
                }
                if all {
                    out.push((m, score));
                    if limit > 0 && out.len() >= limit {
                        break;
                    }
                }
            }
            out
        }
    }
}

/// Parses `numkeys key... [WEIGHTS..] [AGGREGATE..] [WITHSCORES] [LIMIT..]`
/// from `at`, checking the inputs' types in between as Redis does (so a
/// wrong type wins over a later syntax error).
fn algebra_generic(
    ctx: &mut Ctx<'_>,
    args: &Args<'_>,
    op: SetOp,
    dst: Option<&[u8]>,
    card_only: bool,
) -> Result<(), CmdError> {
    let at = if dst.is_some() { 2 } else { 1 };
    let setnum = parse_long(args.get(at))?;
    if setnum < 1 {
        return Err(CmdError::Owned(format!(
            "ERR at least 1 input key is needed for '{}' command",
            ctx.spec.name
        )));
    }
    let avail = args.len() - at - 1;
    if setnum as u64 > avail as u64 {
        return Err(CmdError::Syntax);
    }
    let setnum = setnum as usize;
    let keys: Vec<Vec<u8>> = (at + 1..at + 1 + setnum).map(|i| args.get(i).to_vec()).collect();

    // Read every input (counting lookups) under the locks of all the keys.
    let db = ctx.db();
    let now = ctx.now_ms;
    let limits = ctx.limits();
    let mut all_keys: Vec<&[u8]> = keys.iter().map(|k| k.as_slice()).collect();
    if let Some(d) = dst {
        all_keys.push(d);
    }
    let mut fx = crate::store::Effects::new();
    let mut hits: Vec<bool> = Vec::new();
    let mut req = AlgebraRequest {
        keys: keys.clone(),
        weights: vec![1.0; setnum],
        aggregate: Aggregate::Sum,
        withscores: false,
        limit: 0,
    };
    let result = db.write_keys(&all_keys, now, ctx.fx, |locked| -> Result<Option<i64>, CmdError> {
        let mut srcs: Vec<Source> = Vec::with_capacity(setnum);
        for k in &req.keys {
            let slot = locked.slot(k);
            let value = slot.as_ref().and_then(|s| s.value());
            hits.push(value.is_some());
            let items = match value {
                None => Vec::new(),
                Some(Value::ZSet(z)) => z.iter().map(|(m, s)| (m.to_vec(), s)).collect(),
                Some(Value::Set(s)) => s.dump_items().into_iter().map(|m| (m, 1.0)).collect(),
                Some(_) => return Err(CmdError::WrongType),
            };
            srcs.push(Source {
                items,
                index: None,
                weight: 1.0,
            });
        }
        parse_algebra_options(args, at + 1 + setnum, op, dst.is_some(), card_only, &mut req)?;
        for (s, w) in srcs.iter_mut().zip(&req.weights) {
            s.weight = *w;
        }
        let mut entries = compute(op, srcs, req.aggregate, if card_only { req.limit } else { 0 });
        if card_only {
            return Ok(Some(entries.len() as i64));
        }
        if let Some(d) = dst {
            let Some(mut slot) = locked.slot(d) else {
                return Ok(Some(0));
            };
            let event = match op {
                SetOp::Union => "zunionstore",
                SetOp::Inter => "zinterstore",
                SetOp::Diff => "zdiffstore",
            };
            let n = store_result(&mut fx, db.index, &mut slot, entries, &limits, now, event);
            return Ok(Some(n as i64));
        }
        // Replied sorted, as Redis replies from the sorted result set.
        entries.sort_by(|a, b| {
            a.1.partial_cmp(&b.1)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.0.cmp(&b.0))
        });
        reply_members(
            ctx.out,
            entries.len(),
            req.withscores,
            entries.iter().map(|(m, s)| (m.as_slice(), *s)),
        );
        Ok(None)
    });
    for h in hits {
        ctx.lookup(h);
    }
    ctx.fx.list.append(&mut fx.list);
    if let Some(n) = result? {
        ctx.out.int(n);
    }
    Ok(())
}

/// The options after the keys of a set-algebra command.
fn parse_algebra_options(
    args: &Args<'_>,
    from: usize,
    op: SetOp,
    store: bool,
    card_only: bool,
    req: &mut AlgebraRequest,
) -> Result<(), CmdError> {
    let setnum = req.keys.len();
    let mut j = from;
    while j < args.len() {
        let remaining = args.len() - j;
        if op != SetOp::Diff && !card_only && remaining > setnum && args.is(j, "weights") {
            j += 1;
            for i in 0..setnum {
                req.weights[i] = parse_double(args.get(j)).ok_or(CmdError::Other("ERR weight value is not a float"))?;
                j += 1;
            }
        } else if op != SetOp::Diff && !card_only && remaining >= 2 && args.is(j, "aggregate") {
            req.aggregate = if args.is(j + 1, "sum") {
                Aggregate::Sum
            } else if args.is(j + 1, "min") {
                Aggregate::Min
            } else if args.is(j + 1, "max") {
                Aggregate::Max
            } else {
                return Err(CmdError::Syntax);
            };
            j += 2;
        } else if !store && !card_only && args.is(j, "withscores") {
            req.withscores = true;
            j += 1;
        } else if card_only && remaining >= 2 && args.is(j, "limit") {
            let n = crate::num::parse_ll(args.get(j + 1))
                .filter(|n| *n >= 0)
                .ok_or(CmdError::Other("ERR LIMIT can't be negative"))?;
            req.limit = usize::try_from(n).unwrap_or(usize::MAX);
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    Ok(())
}

/// `ZUNION numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]`.
pub fn zunion(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    algebra_generic(ctx, args, SetOp::Union, None, false)
}

/// `ZINTER numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]`.
pub fn zinter(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    algebra_generic(ctx, args, SetOp::Inter, None, false)
}

/// `ZDIFF numkeys key [key ...] [WITHSCORES]`.
pub fn zdiff(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    algebra_generic(ctx, args, SetOp::Diff, None, false)
}

/// `ZUNIONSTORE dst numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]`.
pub fn zunionstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let dst = args.get(1);
    algebra_generic(ctx, args, SetOp::Union, Some(dst), false)
}

/// `ZINTERSTORE dst numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]`.
pub fn zinterstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let dst = args.get(1);
    algebra_generic(ctx, args, SetOp::Inter, Some(dst), false)
}

/// `ZDIFFSTORE dst numkeys key [key ...]`.
pub fn zdiffstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let dst = args.get(1);
    algebra_generic(ctx, args, SetOp::Diff, Some(dst), false)
}

/// `ZINTERCARD numkeys key [key ...] [LIMIT limit]`.
pub fn zintercard(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    algebra_generic(ctx, args, SetOp::Inter, None, true)
}

// ---------------------------------------------------------------------------
// ZSCAN

/// `ZSCAN key cursor [MATCH pattern] [COUNT count]`.
///
/// A `listpack` set is returned whole with cursor 0, as Redis does; a
/// `skiplist` set is walked with a cursor over its node slots, which keeps
/// Redis's promise (members present throughout are returned) in an order of
/// its own.
pub fn zscan(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let cursor = parse_cursor(args.get(2)).ok_or(CmdError::Other("ERR invalid cursor"))?;
    read_zset(ctx, args.get(1), |z, out| {
        let Some(z) = z else {
            out.array(2);
            out.bulk(b"0");
            out.array(0);
            return Ok(());
        };
        let mut count: i64 = 10;
        let mut pattern: Option<&[u8]> = None;
        let mut i = 3;
        while i < args.len() {
            let has_value = args.len() - i >= 2;
            if args.is(i, "count") && has_value {
                count = parse_long(args.get(i + 1))?;
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
        let compact = z.encoding() == "listpack";
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        let mut picked: Vec<(&[u8], f64)> = Vec::new();
        let next = z.scan(cursor, count, |m, s| {
            if pattern.is_none_or(|p| glob_match(p, m, false)) {
                picked.push((m, s));
            }
        });
        out.array(2);
        out.bulk(itoa::Buffer::new().format(next).as_bytes());
        out.array(picked.len() * 2);
        for (m, s) in picked {
            out.bulk(m);
            let text = if compact { d2string(s) } else { format_g17(s) };
            out.bulk(text.as_bytes());
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_bounds_parse_like_redis() {
        assert_eq!(parse_score_bound(b"("), Some((0.0, true)));
        assert_eq!(parse_score_bound(b""), Some((0.0, false)));
        assert_eq!(parse_score_bound(b"(1e400"), Some((f64::INFINITY, true)));
        assert_eq!(parse_score_bound(b"(nan"), None);
    }

    #[test]
    fn timeouts_follow_redis_rules() {
        assert_eq!(parse_timeout(b"0", 100), Ok(None));
        assert_eq!(parse_timeout(b"0.0001", 100), Ok(Some(101)));
        assert_eq!(parse_timeout(b"-0.0001", 100), Ok(None));
        assert!(parse_timeout(b"-1", 100).is_err());
        assert!(parse_timeout(b"1e400", 100).is_err());
        assert!(parse_timeout(b"x", 100).is_err());
    }

    #[test]
    fn rank_windows_clamp_and_reverse() {
        assert_eq!(rank_window(5, 0, -1, false), (0, 5));
        assert_eq!(rank_window(5, 0, 0, true), (4, 5));
        assert_eq!(rank_window(5, -100, 100, false), (0, 5));
        assert_eq!(rank_window(5, 3, 1, false), (0, 0));
        assert_eq!(rank_window(5, i64::MIN, i64::MAX, false), (0, 5));
        assert_eq!(rank_window(5, i64::MAX, i64::MIN, true), (0, 0));
        assert_eq!(rank_window(0, 0, -1, false), (0, 0));
    }

    #[test]
    fn d2string_prints_integers_plainly() {
        assert_eq!(d2string(1e17), "100000000000000000");
        assert_eq!(d2string(-0.0), "0");
        assert_eq!(d2string(0.1), "0.10000000000000001");
        assert_eq!(d2string(1e300), "1.0000000000000001e+300");
        assert_eq!(d2string(f64::INFINITY), "inf");
    }
}
