//! List commands: pushes and pops at both ends, index and range access,
//! searches, moves between lists, and the blocking pops (`BLPOP`, `BRPOP`,
//! `BLMOVE`, `BRPOPLPUSH`, `BLMPOP`).
//!
//! Argument checks follow Redis 7.0's `t_list.c` order exactly (some commands
//! parse their numbers before looking the key up, others after), because the
//! error a client sees depends on it. An emptied list is deleted at once. A
//! blocking command that finds nothing writes no reply and asks to wait with
//! [`Action::Block`]; the server re-runs it when one of its keys is written,
//! so a re-run must behave like Redis serving a blocked client: a source key
//! of another type keeps the client waiting (`CmdError::WrongType`), while a
//! `BLMOVE` destination of another type ends the wait with the same text as
//! an ordinary error (`CmdError::Other`), as Redis 7.0 replies `WRONGTYPE` to
//! the blocked client and leaves the element in the source.

use bytes::Bytes;

use super::args::parse_int;
use super::propagate;
use super::{Action, Args, Block, CmdError, Ctx, TimeoutReply};
use crate::node::instance::Instance;
use crate::num::long_double::LongDouble;
use crate::store::types::list::End;
use crate::store::types::List;
use crate::store::{Db, Entry, KeySlot, Value};

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

/// The list a value holds, or `WRONGTYPE`.
fn list_of(v: &Value) -> Result<&List, CmdError> {
    match v {
        Value::List(l) => Ok(l),
        _ => Err(CmdError::WrongType),
    }
}

/// `LEFT` or `RIGHT`, case-insensitively; anything else is a syntax error.
fn end_arg(arg: &[u8]) -> Result<End, CmdError> {
    if arg.eq_ignore_ascii_case(b"left") {
        Ok(End::Left)
    } else if arg.eq_ignore_ascii_case(b"right") {
        Ok(End::Right)
    } else {
        Err(CmdError::Syntax)
    }
}

fn pop_event(end: End) -> &'static str {
    match end {
        End::Left => "lpop",
        End::Right => "rpop",
    }
}

fn push_event(end: End) -> &'static str {
    match end {
        End::Left => "lpush",
        End::Right => "rpush",
    }
}

/// A non-negative integer argument (`getPositiveLongFromObjectOrReply`):
/// `msg` is the whole error for both a non-integer and a negative value.
fn non_negative(arg: &[u8], msg: &'static str) -> Result<i64, CmdError> {
    match parse_int(arg) {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(CmdError::Other(msg)),
    }
}

/// Runs `f` on the key's entry for a read command, keeping the access time
/// under `CLIENT NO-TOUCH`.
fn read_entry<R>(ctx: &mut Ctx<'_>, key: &[u8], f: impl FnOnce(Option<&Entry>) -> R) -> R {
    let db = ctx.db();
    if ctx.session.no_touch {
        db.peek(key, ctx.now_ms, ctx.fx, f)
    } else {
        db.read(key, ctx.now_ms, ctx.fx, f)
    }
}

/// Applies Redis's range rules (negative indexes from the tail, clamping) to
/// a list of `len` elements; `None` when the range is empty.
fn clamp_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let llen = len as i64;
    // llen >= 0, so adding a negative index cannot overflow.
    let mut start = if start < 0 { llen + start } else { start };
    let mut end = if end < 0 { llen + end } else { end };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= llen {
        return None;
    }
    if end >= llen {
        end = llen - 1;
    }
    Some((start as usize, end as usize))
}

/// A new, empty list shaped by `list-max-listpack-size` (read only when a
/// list is created).
fn new_list(inst: &Instance) -> List {
    List::with_fill(inst.config.hot(crate::config::Hot::ListMaxListpackSize))
}

/// Pops up to `count` elements from the list in `slot` (which must hold a
/// non-empty list), deleting the key when it empties. Returns the elements
/// and whether the key was deleted.
fn pop_slot(slot: &mut KeySlot<'_>, end: End, count: usize) -> (Vec<Box<[u8]>>, bool) {
    let popped = slot.update(|e| match &mut e.value {
        Value::List(l) => (l.pop_many(end, count), l.is_empty()),
        _ => (Vec::new(), false),
    });
    let (items, emptied) = popped.unwrap_or_default();
    if emptied {
        slot.remove();
    }
    (items, emptied)
}

/// Records a pop's effects: the pop event, then `del` if the list emptied.
fn record_pop(ctx: &mut Ctx<'_>, db: &Db, key: &[u8], end: End, deleted: bool) {
    ctx.fx.written(db.index, key, pop_event(end));
    if deleted {
        ctx.fx.deleted(db.index, key, "del");
    }
}

// ---------------------------------------------------------------------------
// Pushes

fn push_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, end: End, only_existing: bool) -> Result<(), CmdError> {
    let key = args.get(1);
    let items = args.from(2);
    let inst = ctx.inst;
    let db = ctx.db();
    let now = ctx.now_ms;
    let len = db.write(key, now, ctx.fx, |slot| -> Result<Option<usize>, CmdError> {
        match slot.value() {
            Some(v) => {
                list_of(v)?;
            }
            None if only_existing => return Ok(None),
            None => {
                slot.insert(Value::List(Box::new(new_list(inst))), 0, now);
            }
        }
        Ok(slot.update(|e| match &mut e.value {
            Value::List(l) => {
                for item in items {
                    l.push(end, item);
                }
                l.len()
            }
            _ => 0,
        }))
    })?;
    match len {
        Some(n) => {
            ctx.fx.written(db.index, key, push_event(end));
            ctx.out.int(n as i64);
        }
        None => ctx.out.int(0),
    }
    Ok(())
}

/// `LPUSH key element [element ...]`.
pub fn lpush(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    push_generic(ctx, args, End::Left, false)
}

/// `RPUSH key element [element ...]`.
pub fn rpush(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    push_generic(ctx, args, End::Right, false)
}

/// `LPUSHX key element [element ...]`: only onto an existing list.
pub fn lpushx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    push_generic(ctx, args, End::Left, true)
}

/// `RPUSHX key element [element ...]`: only onto an existing list.
pub fn rpushx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    push_generic(ctx, args, End::Right, true)
}

// ---------------------------------------------------------------------------
// Pops

fn pop_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, end: End) -> Result<(), CmdError> {
    if args.len() > 3 {
        return Err(CmdError::WrongArity(ctx.spec.name));
    }
    let count = if args.len() == 3 {
        Some(non_negative(args.get(2), "ERR value is out of range, must be positive")? as usize)
    } else {
        None
    };
    let key = args.get(1);
    let db = ctx.db();
    let popped = db.write(key, ctx.now_ms, ctx.fx, |slot| -> Result<Option<_>, CmdError> {
        let Some(v) = slot.value() else {
            return Ok(None);
        };
        list_of(v)?;
        // `LPOP key 0` on an existing list answers an empty array and changes nothing.
        if count == Some(0) {
            return Ok(Some((Vec::new(), false)));
        }
        Ok(Some(pop_slot(slot, end, count.unwrap_or(1))))
    })?;
    let Some((items, deleted)) = popped else {
        // A missing key: a null bulk without a count, a null array with one.
        if count.is_some() {
            ctx.out.null_array();
        } else {
            ctx.out.null();
        }
        return Ok(());
    };
    if !items.is_empty() {
        record_pop(ctx, db, key, end, deleted);
    }
    match count {
        None => match items.first() {
            Some(v) => ctx.out.bulk(v),
            None => ctx.out.null(),
        },
        Some(_) => {
            ctx.out.array(items.len());
            for v in &items {
                ctx.out.bulk(v);
            }
        }
    }
    Ok(())
}

/// `LPOP key [count]`.
pub fn lpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    pop_generic(ctx, args, End::Left)
}

/// `RPOP key [count]`.
pub fn rpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    pop_generic(ctx, args, End::Right)
}

// ---------------------------------------------------------------------------
// Reads

/// `LLEN key`.
pub fn llen(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (hit, len) = read_entry(ctx, args.get(1), |e| match e {
        None => (false, Ok(0)),
        Some(e) => (true, list_of(&e.value).map(List::len)),
    });
    ctx.lookup(hit);
    ctx.out.int(len? as i64);
    Ok(())
}

/// `LRANGE key start stop`: the indexes are parsed before the key is read.
pub fn lrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let start = args.int(2)?;
    let end = args.int(3)?;
    let db = ctx.db();
    let out = &mut *ctx.out;
    let read = |e: Option<&Entry>| match e {
        None => {
            out.array(0);
            (false, Ok(()))
        }
        Some(e) => (
            true,
            list_of(&e.value).map(|l| match clamp_range(start, end, l.len()) {
                None => out.array(0),
                Some((s, t)) => {
                    out.array(t - s + 1);
                    for v in l.range(s, t) {
                        out.bulk(v);
                    }
                }
            }),
        ),
    };
    let (hit, result) = if ctx.session.no_touch {
        db.peek(args.get(1), ctx.now_ms, ctx.fx, read)
    } else {
        db.read(args.get(1), ctx.now_ms, ctx.fx, read)
    };
    ctx.lookup(hit);
    result
}

/// `LINDEX key index`: the key is looked up (and type-checked) before the
/// index is parsed, as Redis does.
pub fn lindex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let index = args.get(2);
    let (hit, found) = read_entry(ctx, args.get(1), |e| match e {
        None => (false, Ok(None)),
        Some(e) => (
            true,
            list_of(&e.value).and_then(|l| Ok(l.get(parse_int(index)?).map(|v| v.to_vec()))),
        ),
    });
    ctx.lookup(hit);
    match found? {
        Some(v) => ctx.out.bulk(&v),
        None => ctx.out.null(),
    }
    Ok(())
}

/// The options of `LPOS`.
struct LposOptions {
    rank: i64,
    count: Option<i64>,
    maxlen: i64,
}

fn parse_lpos(args: &Args<'_>) -> Result<LposOptions, CmdError> {
    let mut o = LposOptions {
        rank: 1,
        count: None,
        maxlen: 0,
    };
    let mut j = 3;
    while j < args.len() {
        let more = j + 1 < args.len();
        if args.is(j, "rank") && more {
            j += 1;
            o.rank = args.int(j)?;
            if o.rank == 0 {
                return Err(CmdError::Other(
                    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... \
                     or use negative to start from the end of the list",
                ));
            }
        } else if args.is(j, "count") && more {
            j += 1;
            o.count = Some(non_negative(args.get(j), "ERR COUNT can't be negative")?);
        } else if args.is(j, "maxlen") && more {
            j += 1;
            o.maxlen = non_negative(args.get(j), "ERR MAXLEN can't be negative")?;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    Ok(o)
}

/// The matching positions `LPOS` reports, computed as Redis's loop does,
/// including its two's-complement arithmetic: `RANK -9223372036854775808`
/// stays negative when negated, so every match qualifies and a `COUNT`
/// never stops the scan.
fn lpos_matches(l: &List, element: &[u8], o: &LposOptions) -> Vec<i64> {
    let (rank, from_tail) = if o.rank < 0 {
        (o.rank.wrapping_neg(), true)
    } else {
        (o.rank, false)
    };
    let llen = l.len() as i64;
    let mut matches: i64 = 0;
    let mut found = Vec::new();
    let mut visit = |index: i64, v: &[u8]| -> bool {
        if o.maxlen != 0 && index >= o.maxlen {
            return false;
        }
        if v == element {
            matches += 1;
            let position = if from_tail { llen - index - 1 } else { index };
            if matches >= rank {
                found.push(position);
                match o.count {
                    None => return false,
                    Some(c) if c != 0 && matches.wrapping_sub(rank).wrapping_add(1) >= c => return false,
                    Some(_) => {}
                }
            }
        }
        true
    };
    if from_tail {
        for (i, v) in l.iter().rev().enumerate() {
            if !visit(i as i64, v) {
                break;
            }
        }
    } else {
        for (i, v) in l.iter().enumerate() {
            if !visit(i as i64, v) {
                break;
            }
        }
    }
    found
}

/// `LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]`.
pub fn lpos(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let o = parse_lpos(args)?;
    let element = args.get(2);
    let (hit, found) = read_entry(ctx, args.get(1), |e| match e {
        None => (false, Ok(Vec::new())),
        Some(e) => (true, list_of(&e.value).map(|l| lpos_matches(l, element, &o))),
    });
    ctx.lookup(hit);
    let found = found?;
    match o.count {
        Some(_) => {
            ctx.out.array(found.len());
            for i in found {
                ctx.out.int(i);
            }
        }
        None => match found.first() {
            Some(&i) => ctx.out.int(i),
            None => ctx.out.null(),
        },
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Updates in place

/// `LSET key index element`.
pub fn lset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, index, value) = (args.get(1), args.get(2), args.get(3));
    let db = ctx.db();
    db.write(key, ctx.now_ms, ctx.fx, |slot| -> Result<(), CmdError> {
        list_of(slot.value().ok_or(CmdError::NoSuchKey)?)?;
        let index = parse_int(index)?;
        let done = slot.update(|e| match &mut e.value {
            Value::List(l) => l.set(index, value),
            _ => false,
        });
        if done == Some(true) {
            Ok(())
        } else {
            Err(CmdError::Other("ERR index out of range"))
        }
    })?;
    ctx.fx.written(db.index, key, "lset");
    ctx.out.ok();
    Ok(())
}

/// `LINSERT key BEFORE|AFTER pivot element`.
pub fn linsert(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let after = if args.is(2, "after") {
        true
    } else if args.is(2, "before") {
        false
    } else {
        return Err(CmdError::Syntax);
    };
    let (key, pivot, value) = (args.get(1), args.get(3), args.get(4));
    let db = ctx.db();
    let result = db.write(key, ctx.now_ms, ctx.fx, |slot| -> Result<Option<i64>, CmdError> {
        let Some(v) = slot.value() else {
            return Ok(None);
        };
        list_of(v)?;
        Ok(slot.update(|e| {
            let Value::List(l) = &mut e.value else {
                return -1;
            };
            if l.insert_at_pivot(pivot, value, after) {
                l.len() as i64
            } else {
                -1
            }
        }))
    })?;
    match result {
        None => ctx.out.int(0),
        Some(n) => {
            if n > 0 {
                ctx.fx.written(db.index, key, "linsert");
            }
            ctx.out.int(n);
        }
    }
    Ok(())
}

/// `LREM key count element`: the count is parsed before the key is read.
pub fn lrem(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let count = args.int(2)?;
    let (key, value) = (args.get(1), args.get(3));
    let db = ctx.db();
    let (removed, deleted) = db.write(key, ctx.now_ms, ctx.fx, |slot| -> Result<(u64, bool), CmdError> {
        let Some(v) = slot.value() else {
            return Ok((0, false));
        };
        list_of(v)?;
        let done = slot.update(|e| match &mut e.value {
            Value::List(l) => (l.remove_matching(value, count.unsigned_abs(), count < 0), l.is_empty()),
            _ => (0, false),
        });
        let (removed, emptied) = done.unwrap_or_default();
        if emptied {
            slot.remove();
        }
        Ok((removed, emptied))
    })?;
    if removed > 0 {
        ctx.fx.written(db.index, key, "lrem");
    }
    if deleted {
        ctx.fx.deleted(db.index, key, "del");
    }
    ctx.out.int(removed as i64);
    Ok(())
}

/// `LTRIM key start stop`: Redis signals the key as modified even when
/// nothing was removed.
pub fn ltrim(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let start = args.int(2)?;
    let end = args.int(3)?;
    let key = args.get(1);
    let db = ctx.db();
    let trimmed = db.write(key, ctx.now_ms, ctx.fx, |slot| -> Result<Option<bool>, CmdError> {
        let Some(v) = slot.value() else {
            return Ok(None);
        };
        let range = clamp_range(start, end, list_of(v)?.len());
        let emptied = slot.update(|e| match &mut e.value {
            Value::List(l) => {
                l.keep_range(range);
                l.is_empty()
            }
            _ => false,
        });
        if emptied == Some(true) {
            slot.remove();
        }
        Ok(emptied)
    })?;
    if let Some(emptied) = trimmed {
        ctx.fx.written(db.index, key, "ltrim");
        if emptied {
            ctx.fx.deleted(db.index, key, "del");
        }
    }
    ctx.out.ok();
    Ok(())
}

// ---------------------------------------------------------------------------
// Moves

/// What a move found.
enum Move {
    /// The source does not exist.
    NoSource,
    /// The element moved, and whether the source was deleted.
    Moved(Box<[u8]>, bool),
}

/// Moves one element from `src`'s `from` end to `dst`'s `to` end (Redis's
/// `lmoveGenericCommand`): the source's type is checked first, then the
/// destination's (`dst_wrongtype` is that error).
fn move_element(
    ctx: &mut Ctx<'_>,
    src: &[u8],
    dst: &[u8],
    from: End,
    to: End,
    dst_wrongtype: CmdError,
) -> Result<Move, CmdError> {
    let inst = ctx.inst;
    let db = ctx.db();
    let now = ctx.now_ms;
    let moved = db.write_keys(&[src, dst], now, ctx.fx, |ks| -> Result<Move, CmdError> {
        let Some(mut s) = ks.slot(src) else {
            return Ok(Move::NoSource);
        };
        let Some(v) = s.value() else {
            return Ok(Move::NoSource);
        };
        list_of(v)?;
        if src == dst {
            // Rotation: one object, its TTL kept, never deleted on the way.
            let value = s.update(|e| match &mut e.value {
                Value::List(l) => {
                    let v = l.pop(from);
                    if let Some(v) = &v {
                        l.push(to, v);
                    }
                    v
                }
                _ => None,
            });
            return Ok(value.flatten().map_or(Move::NoSource, |v| Move::Moved(v, false)));
        }
        if let Some(d) = ks.slot(dst) {
            if d.value().is_some_and(|v| list_of(v).is_err()) {
                return Err(dst_wrongtype);
            }
        }
        let (items, deleted) = match ks.slot(src) {
            Some(mut s) => pop_slot(&mut s, from, 1),
            None => (Vec::new(), false),
        };
        let Some(value) = items.into_iter().next() else {
            return Ok(Move::NoSource);
        };
        if let Some(mut d) = ks.slot(dst) {
            if !d.exists() {
                d.insert(Value::List(Box::new(new_list(inst))), 0, now);
            }
            d.update(|e| {
                if let Value::List(l) = &mut e.value {
                    l.push(to, &value);
                }
            });
        }
        Ok(Move::Moved(value, deleted))
    })?;
    if let Move::Moved(_, deleted) = &moved {
        ctx.fx.written(db.index, dst, push_event(to));
        record_pop(ctx, db, src, from, *deleted);
    }
    Ok(moved)
}

/// `LMOVE source destination LEFT|RIGHT LEFT|RIGHT`.
pub fn lmove(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let from = end_arg(args.get(3))?;
    let to = end_arg(args.get(4))?;
    move_reply(ctx, args, from, to)
}

/// `RPOPLPUSH source destination`.
pub fn rpoplpush(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    move_reply(ctx, args, End::Right, End::Left)
}

fn move_reply(ctx: &mut Ctx<'_>, args: &Args<'_>, from: End, to: End) -> Result<(), CmdError> {
    match move_element(ctx, args.get(1), args.get(2), from, to, CmdError::WrongType)? {
        Move::NoSource => ctx.out.null(),
        Move::Moved(v, _) => ctx.out.bulk(&v),
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Multi-key pops

/// Parsed `[B]LMPOP` arguments.
struct Mpop {
    /// Argument indexes of the keys.
    keys: std::ops::Range<usize>,
    end: End,
    count: usize,
}

/// Parses `numkeys key [key ...] LEFT|RIGHT [COUNT count]` starting at
/// argument `numkeys_idx`, in Redis's order of checks.
fn parse_mpop(args: &Args<'_>, numkeys_idx: usize) -> Result<Mpop, CmdError> {
    let numkeys = match parse_int(args.get(numkeys_idx)) {
        Ok(n) if n >= 1 => n as u64,
        _ => return Err(CmdError::Other("ERR numkeys should be greater than 0")),
    };
    let where_idx = (numkeys_idx as u64).saturating_add(numkeys).saturating_add(1);
    if where_idx >= args.len() as u64 {
        return Err(CmdError::Syntax);
    }
    let where_idx = where_idx as usize;
    let end = end_arg(args.get(where_idx))?;
    let mut count: Option<usize> = None;
    let mut j = where_idx + 1;
    while j < args.len() {
        if count.is_none() && args.is(j, "count") && j + 1 < args.len() {
            j += 1;
            match parse_int(args.get(j)) {
                Ok(n) if n >= 1 => count = Some(n as usize),
                _ => return Err(CmdError::Other("ERR count should be greater than 0")),
            }
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    Ok(Mpop {
        keys: numkeys_idx + 1..where_idx,
        end,
        count: count.unwrap_or(1),
    })
}

/// What a multi-key pop took: the key's position among the keys, the
/// elements, and whether the key was deleted.
type Popped = (usize, Vec<Box<[u8]>>, bool);

/// Pops up to `count` elements from the first non-empty list among `keys`
/// (a key of another type met first is `WRONGTYPE`). Returns the key's
/// position in `keys`, the elements, and whether the key was deleted.
fn pop_first(ctx: &mut Ctx<'_>, keys: &[Bytes], end: End, count: usize) -> Result<Option<Popped>, CmdError> {
    let db = ctx.db();
    let refs: Vec<&[u8]> = keys.iter().map(|k| &k[..]).collect();
    // Serving a parked client, Redis 7.0 pops from the key that became
    // ready, whatever its other keys hold.
    let serving = ctx.session.ready_key.clone().filter(|k| refs.contains(&&k[..]));
    let found = db.write_keys(&refs, ctx.now_ms, ctx.fx, |ks| {
        for (i, key) in refs.iter().enumerate() {
            if serving.as_ref().is_some_and(|k| &k[..] != *key) {
                continue;
            }
            let Some(mut slot) = ks.slot(key) else {
                continue;
            };
            match slot.value() {
                None => continue,
                Some(v) if list_of(v)?.is_empty() => continue,
                Some(_) => {}
            }
            let (items, deleted) = pop_slot(&mut slot, end, count);
            return Ok(Some((i, items, deleted)));
        }
        Ok(None)
    })?;
    if let Some((i, _, deleted)) = &found {
        record_pop(ctx, db, &keys[*i], end, *deleted);
    }
    Ok(found)
}

/// Replies `[key, [elements...]]` for `LMPOP` and `BLMPOP`.
fn reply_key_and_items(ctx: &mut Ctx<'_>, key: &[u8], items: &[Box<[u8]>]) {
    ctx.out.array(2);
    ctx.out.bulk(key);
    ctx.out.array(items.len());
    for v in items {
        ctx.out.bulk(v);
    }
}

/// The name of the pop at `end`.
fn pop_name(end: End) -> &'static [u8] {
    match end {
        End::Left => b"LPOP",
        End::Right => b"RPOP",
    }
}

/// `LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]`.
pub fn lmpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let m = parse_mpop(args, 1)?;
    let keys = args.all().get(m.keys).unwrap_or(&[]);
    match pop_first(ctx, keys, m.end, m.count)? {
        Some((i, items, _)) => {
            // Replicated as the pop of the key it served (Redis 7).
            propagate::pop(ctx, pop_name(m.end), &keys[i], Some(items.len()));
            reply_key_and_items(ctx, &keys[i], &items);
        }
        None => ctx.out.null_array(),
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Blocking commands

/// The product of a `long double` and 1000 rounded up to a `long long`, as
/// Redis 7.0.15 computes `(long long) ceill(ftval * 1000.0)` on x86: the
/// product is rounded to a 64-bit significand, then rounded toward positive
/// infinity (a positive fraction of a millisecond becomes 1 ms, a negative
/// one 0); infinities and values outside the range give the "integer
/// indefinite" `LLONG_MIN`.
fn times_1000_ceiling(v: LongDouble) -> i64 {
    let LongDouble::Finite { neg, mant, exp } = v else {
        return i64::MIN;
    };
    if mant == 0 {
        return 0;
    }
    let mut m = u128::from(mant) * 1000;
    let mut e = exp;
    let bits = 128 - m.leading_zeros();
    if bits > 64 {
        let shift = bits - 64;
        let rest = m & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        m >>= shift;
        e += i64::from(shift);
        if rest > half || (rest == half && m & 1 == 1) {
            m += 1;
        }
    }
    let (magnitude, fraction): (u128, bool) = if e >= 0 {
        if e >= 64 || m.leading_zeros() < e as u32 + 1 {
            return i64::MIN;
        }
        (m << e, false)
    } else if e <= -128 {
        (0, true)
    } else {
        (m >> (-e), m & ((1u128 << (-e)) - 1) != 0)
    };
    if neg {
        // Toward positive infinity: the fraction of a negative value drops.
        if magnitude > 1u128 << 63 {
            i64::MIN
        } else {
            (magnitude as i64).wrapping_neg()
        }
    } else {
        let up = magnitude + u128::from(fraction);
        if up > i64::MAX as u128 {
            i64::MIN
        } else {
            up as i64
        }
    }
}

/// Parses a blocking timeout in seconds as Redis 7.0's
/// `getTimeoutFromObjectOrReply`; returns the absolute deadline in Unix ms,
/// `None` to wait forever (0, a negative fraction of a millisecond, which
/// rounds up to 0, or a deadline so far away that it overflows).
pub fn parse_timeout(arg: &[u8], now_ms: u64) -> Result<Option<u64>, CmdError> {
    let v = LongDouble::parse(arg).ok_or(CmdError::Other("ERR timeout is not a float or out of range"))?;
    let ms = times_1000_ceiling(v);
    if ms < 0 {
        return Err(CmdError::Other("ERR timeout is negative"));
    }
    if ms == 0 {
        return Ok(None);
    }
    Ok(now_ms.checked_add(ms as u64))
}

/// Asks the server to park the client on `keys`.
fn block_on(ctx: &mut Ctx<'_>, keys: &[Bytes], deadline: Option<u64>, on_timeout: TimeoutReply) {
    ctx.action = Some(Action::Block(Box::new(Block {
        keys: keys.to_vec(),
        deadline,
        on_timeout,
        argv: None,
    })));
}

fn blocking_pop(ctx: &mut Ctx<'_>, args: &Args<'_>, end: End) -> Result<(), CmdError> {
    let last = args.len() - 1;
    let deadline = parse_timeout(args.get(last), ctx.now_ms)?;
    let keys = args.all().get(1..last).unwrap_or(&[]);
    match pop_first(ctx, keys, end, 1)? {
        Some((i, items, _)) => {
            // Served (at once or woken): replicated as the plain pop.
            propagate::pop(ctx, pop_name(end), &keys[i], None);
            ctx.out.array(2);
            ctx.out.bulk(&keys[i]);
            match items.first() {
                Some(v) => ctx.out.bulk(v),
                None => ctx.out.null(),
            }
        }
        None => block_on(ctx, keys, deadline, TimeoutReply::NullArray),
    }
    Ok(())
}

/// `BLPOP key [key ...] timeout`.
pub fn blpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    blocking_pop(ctx, args, End::Left)
}

/// `BRPOP key [key ...] timeout`.
pub fn brpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    blocking_pop(ctx, args, End::Right)
}

fn blocking_move(
    ctx: &mut Ctx<'_>,
    args: &Args<'_>,
    from: End,
    to: End,
    deadline: Option<u64>,
) -> Result<(), CmdError> {
    // A destination of another type must reach a blocked client as an error
    // (Redis 7.0 replies WRONGTYPE to it), not keep it waiting.
    match move_element(ctx, args.get(1), args.get(2), from, to, CmdError::Other(WRONGTYPE))? {
        Move::Moved(v, _) => {
            // Served: replicated as the non-blocking move.
            if ctx.replicating() {
                let all = args.all();
                let argv = if all.len() == 6 {
                    vec![
                        propagate::arg(b"LMOVE"),
                        all[1].clone(),
                        all[2].clone(),
                        all[3].clone(),
                        all[4].clone(),
                    ]
                } else {
                    vec![propagate::arg(b"RPOPLPUSH"), all[1].clone(), all[2].clone()]
                };
                ctx.propagate(argv);
            } else {
                ctx.propagate_nothing();
            }
            ctx.out.bulk(&v);
        }
        // Inside MULTI Redis answers a null bulk; a real timeout is a null
        // array, which the server writes for every parked client.
        Move::NoSource => block_on(
            ctx,
            args.all().get(1..2).unwrap_or(&[]),
            deadline,
            TimeoutReply::NullBulk,
        ),
    }
    Ok(())
}

/// `BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout`.
pub fn blmove(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let from = end_arg(args.get(3))?;
    let to = end_arg(args.get(4))?;
    let deadline = parse_timeout(args.get(5), ctx.now_ms)?;
    blocking_move(ctx, args, from, to, deadline)
}

/// `BRPOPLPUSH source destination timeout`.
pub fn brpoplpush(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let deadline = parse_timeout(args.get(3), ctx.now_ms)?;
    blocking_move(ctx, args, End::Right, End::Left, deadline)
}

/// `BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]`: the
/// timeout is parsed after the rest, as Redis does.
pub fn blmpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let m = parse_mpop(args, 2)?;
    let deadline = parse_timeout(args.get(1), ctx.now_ms)?;
    let keys = args.all().get(m.keys).unwrap_or(&[]);
    match pop_first(ctx, keys, m.end, m.count)? {
        Some((i, items, _)) => {
            propagate::pop(ctx, pop_name(m.end), &keys[i], Some(items.len()));
            reply_key_and_items(ctx, &keys[i], &items);
        }
        None => block_on(ctx, keys, deadline, TimeoutReply::NullArray),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout(s: &str) -> Result<Option<u64>, CmdError> {
        parse_timeout(s.as_bytes(), 1_000)
    }

    #[test]
    fn timeouts_parse_as_redis_7_0() {
        assert_eq!(timeout("0"), Ok(None));
        assert_eq!(timeout("0.1"), Ok(Some(1_100)));
        assert_eq!(timeout("1.5"), Ok(Some(2_500)));
        assert_eq!(timeout("0x10"), Ok(Some(17_000)));
        // Fractions of a millisecond round up: to 1 ms, or to 0 (forever).
        assert_eq!(timeout("0.0001"), Ok(Some(1_001)));
        assert_eq!(timeout("0.0011"), Ok(Some(1_002)));
        assert_eq!(timeout("0.01"), Ok(Some(1_010)));
        assert_eq!(timeout("-0.0001"), Ok(None));
        assert_eq!(timeout("-0.0009"), Ok(None));
        let negative = Err(CmdError::Other("ERR timeout is negative"));
        assert_eq!(timeout("-1"), negative);
        assert_eq!(timeout("inf"), negative);
        assert_eq!(timeout("1e300"), negative);
        assert_eq!(timeout("9223372036854775807"), negative);
        assert_eq!(timeout("9223372036854775"), Ok(Some(9_223_372_036_854_776_000)));
        let bad = Err(CmdError::Other("ERR timeout is not a float or out of range"));
        assert_eq!(timeout("nan"), bad);
        assert_eq!(timeout("abc"), bad);
        assert_eq!(timeout(" 1"), bad);
        assert_eq!(timeout(""), bad);
    }

    #[test]
    fn ranges_clamp_like_redis() {
        assert_eq!(clamp_range(0, -1, 3), Some((0, 2)));
        assert_eq!(clamp_range(i64::MIN, i64::MAX, 3), Some((0, 2)));
        assert_eq!(clamp_range(-100, 1, 3), Some((0, 1)));
        assert_eq!(clamp_range(2, 1, 3), None);
        assert_eq!(clamp_range(3, 5, 3), None);
        assert_eq!(clamp_range(0, -4, 3), None);
        assert_eq!(clamp_range(0, 0, 0), None);
    }

    #[test]
    fn lpos_with_rank_long_min_counts_every_match_from_the_tail() {
        let l: List = ["x", "y", "x", "z", "x"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        let o = |rank, count, maxlen| LposOptions { rank, count, maxlen };
        assert_eq!(lpos_matches(&l, b"x", &o(i64::MIN, Some(1), 0)), [4, 2, 0]);
        assert_eq!(lpos_matches(&l, b"x", &o(i64::MIN, None, 0)), [4]);
        assert_eq!(lpos_matches(&l, b"x", &o(-2, Some(0), 3)), [2]);
        assert_eq!(lpos_matches(&l, b"x", &o(2, Some(1), 0)), [2]);
        assert!(lpos_matches(&l, b"x", &o(i64::MAX, Some(1), 0)).is_empty());
    }
}
