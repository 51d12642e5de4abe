//! Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
//! BITFIELD_RO, all over string values (`Value::Str`) as in Redis.
//!
//! Bit 0 is the most significant bit of byte 0. Writes grow the string with
//! zero bytes up to the highest bit they touch (bounded by
//! `proto-max-bulk-len`) and leave it `raw`, as Redis's
//! `dbUnshareStringValue` does. A write that changes nothing (same bit, same
//! field value, no growth) records no effect, so `WATCH` survives it exactly
//! as in Redis. Range arithmetic follows Redis's clamping rules to the letter,
//! quirks included (see `bitpos`).

use super::{Args, CmdError, Ctx};
use crate::num::c_str;
use crate::store::{Str, Value};

/// The error Redis gives for every bad bit offset.
const BAD_OFFSET: CmdError = CmdError::Other("ERR bit offset is not an integer or out of range");

/// The error Redis gives for a bad SETBIT value.
const BAD_BIT: CmdError = CmdError::Other("ERR bit is not an integer or out of range");

/// The error Redis gives for a bad BITFIELD type.
const BAD_TYPE: CmdError =
    CmdError::Other("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");

/// The string a value holds, or `WRONGTYPE`.
#[allow(unreachable_patterns)]
fn string_of(v: &Value) -> Result<&Str, CmdError> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(CmdError::WrongType),
    }
}

/// The string a value holds as mutable raw bytes, or `WRONGTYPE`.
#[allow(unreachable_patterns)]
fn raw_bytes_of(v: &mut Value) -> Result<&mut Vec<u8>, CmdError> {
    match v {
        Value::Str(s) => Ok(s.make_raw()),
        _ => Err(CmdError::WrongType),
    }
}

/// `proto-max-bulk-len`: bit offsets must address a byte below it.
fn max_bulk_len(ctx: &Ctx<'_>) -> i64 {
    ctx.inst.config.get_i64("proto-max-bulk-len")
}

/// Parses a bit offset as Redis's `getBitOffsetFromArgument`: a plain
/// integer, or with `hash` the `#N` form meaning `N * bits`.
fn bit_offset(arg: &[u8], hash: bool, bits: u32, max_len: i64) -> Result<u64, CmdError> {
    let use_hash = hash && bits > 0 && arg.first() == Some(&b'#');
    let digits = if use_hash { &arg[1..] } else { arg };
    let mut off = crate::num::parse_ll(digits).ok_or(BAD_OFFSET)?;
    if use_hash {
        // C multiplies without an overflow check; wrapping keeps its result.
        off = off.wrapping_mul(i64::from(bits));
    }
    if off < 0 || (off >> 3) >= max_len {
        return Err(BAD_OFFSET);
    }
    Ok(off as u64)
}

/// Grows `data` with zero bytes to hold at least `len` bytes; whether it grew.
fn grow_to(data: &mut Vec<u8>, len: usize) -> Result<bool, CmdError> {
    if data.len() >= len {
        return Ok(false);
    }
    data.try_reserve(len - data.len())
        .map_err(|_| CmdError::StringTooLong)?;
    data.resize(len, 0);
    Ok(true)
}

/// A zero-filled string of `len` bytes, refusing what cannot be allocated.
fn zeroed(len: usize) -> Result<Vec<u8>, CmdError> {
    let mut data = Vec::new();
    grow_to(&mut data, len)?;
    Ok(data)
}

/// Bit `offset` of `data` (0 past the end).
fn bit_at(data: &[u8], offset: u64) -> u8 {
    let byte = usize::try_from(offset >> 3).unwrap_or(usize::MAX);
    data.get(byte).map_or(0, |b| (b >> (7 - (offset & 7))) & 1)
}

/// Sets bit `offset` of `data`, which must be long enough.
fn set_bit_at(data: &mut [u8], offset: u64, on: bool) {
    let mask = 1u8 << (7 - (offset & 7));
    if let Some(b) = data.get_mut((offset >> 3) as usize) {
        if on {
            *b |= mask;
        } else {
            *b &= !mask;
        }
    }
}

/// `SETBIT key offset value`: replies with the bit's previous value.
pub fn setbit(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let offset = bit_offset(args.get(2), false, 0, max_bulk_len(ctx))?;
    let on = crate::num::parse_ll(args.get(3)).ok_or(BAD_BIT)?;
    if on & !1 != 0 {
        return Err(BAD_BIT);
    }
    let on = on == 1;
    let need = (offset >> 3) as usize + 1;
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    // (old bit, changed, made raw)
    let (old, changed, made_raw) = db.write(key, now, ctx.fx, |slot| {
        let Some(v) = slot.value() else {
            let mut data = zeroed(need)?;
            set_bit_at(&mut data, offset, on);
            slot.insert(Value::Str(Str::Bytes { data, raw: true }), 0, now);
            return Ok((0, true, false));
        };
        let was_raw = matches!(string_of(v)?, Str::Bytes { raw: true, .. });
        slot.update(|e| {
            let data = raw_bytes_of(&mut e.value)?;
            let grew = grow_to(data, need)?;
            let old = bit_at(data, offset);
            set_bit_at(data, offset, on);
            Ok((old, grew || (old == 1) != on, !was_raw))
        })
        .unwrap_or(Ok((0, false, false)))
    })?;
    if changed {
        ctx.fx.written(dbi, key, "setbit");
    } else if made_raw {
        // No bit changed, so no event (Redis 7.2), but the string became
        // raw: the replica must convert it too.
        super::propagate::as_sent(ctx, args.all());
    }
    ctx.out.int(i64::from(old));
    Ok(())
}

/// `GETBIT key offset`.
pub fn getbit(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let offset = bit_offset(args.get(2), false, 0, max_bulk_len(ctx))?;
    let now = ctx.now_ms;
    let db = ctx.db();
    let (hit, bit) = db.read(args.get(1), now, ctx.fx, |e| match e {
        None => (false, Ok(0)),
        Some(e) => (true, string_of(&e.value).map(|s| s.with_bytes(|b| bit_at(b, offset)))),
    });
    ctx.lookup(hit);
    ctx.out.int(i64::from(bit?));
    Ok(())
}

/// Reads the optional `BYTE|BIT` unit argument.
fn unit_is_bit(arg: &[u8]) -> Result<bool, CmdError> {
    let arg = c_str(arg);
    if arg.eq_ignore_ascii_case(b"bit") {
        Ok(true)
    } else if arg.eq_ignore_ascii_case(b"byte") {
        Ok(false)
    } else {
        Err(CmdError::Syntax)
    }
}

/// A byte range with the masks of the bits outside a bit range at its edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: i64,
    end: i64,
    /// Bits of the first byte before the range (set bits are outside).
    first_mask: u8,
    /// Bits of the last byte after the range.
    last_mask: u8,
}

impl Span {
    /// Converts a clamped `start..=end` (bytes, or bits when `is_bit`) into
    /// bytes with edge masks, as Redis's BITCOUNT/BITPOS do.
    fn from_clamped(start: i64, end: i64, is_bit: bool) -> Span {
        if is_bit && start <= end {
            Span {
                start: start >> 3,
                end: end >> 3,
                first_mask: !((1u32 << (8 - (start & 7))) - 1) as u8,
                last_mask: ((1u32 << (7 - (end & 7))) - 1) as u8,
            }
        } else {
            Span {
                start,
                end,
                first_mask: 0,
                last_mask: 0,
            }
        }
    }
}

/// Redis's index normalisation: negatives count from `total`, then both are
/// clamped into `0..total` (the end to `total - 1`).
fn clamp_range(start: i64, end: i64, total: i64) -> (i64, i64) {
    let mut start = if start < 0 { total.saturating_add(start) } else { start };
    let mut end = if end < 0 { total.saturating_add(end) } else { end };
    if start < 0 {
        start = 0;
    }
    if end < 0 {
        end = 0;
    }
    if end >= total {
        end = total - 1;
    }
    (start, end)
}

/// The set bits of `start..=end` of `data` (in bytes, or bits).
fn count_bits(data: &[u8], args: &Args<'_>) -> Result<i64, CmdError> {
    let len = data.len() as i64;
    let span = match args.len() {
        2 => Span::from_clamped(0, len - 1, false),
        4 | 5 => {
            let start = args.int(2)?;
            let end = args.int(3)?;
            // Redis answers an inverted negative range before it reads the unit.
            if start < 0 && end < 0 && start > end {
                return Ok(0);
            }
            let is_bit = if args.len() == 5 {
                unit_is_bit(args.get(4))?
            } else {
                false
            };
            let total = if is_bit { len << 3 } else { len };
            let (start, end) = clamp_range(start, end, total);
            Span::from_clamped(start, end, is_bit)
        }
        _ => return Err(CmdError::Syntax),
    };
    if span.start > span.end {
        return Ok(0);
    }
    let (s, e) = (span.start as usize, span.end as usize);
    let bytes = data.get(s..=e).unwrap_or(&[]);
    let mut count: i64 = bytes.iter().map(|b| i64::from(b.count_ones())).sum();
    if let Some(first) = bytes.first() {
        count -= i64::from((first & span.first_mask).count_ones());
    }
    if let Some(last) = bytes.last() {
        count -= i64::from((last & span.last_mask).count_ones());
    }
    Ok(count)
}

/// `BITCOUNT key [start end [BYTE|BIT]]`. Redis looks the key up before it
/// reads the range, so a missing key answers 0 even to a malformed range.
pub fn bitcount(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let now = ctx.now_ms;
    let db = ctx.db();
    let (hit, count) = db.read(args.get(1), now, ctx.fx, |e| match e {
        None => (false, Ok(0)),
        Some(e) => (
            true,
            string_of(&e.value).and_then(|s| s.with_bytes(|b| count_bits(b, args))),
        ),
    });
    ctx.lookup(hit);
    ctx.out.int(count?);
    Ok(())
}

/// Redis's `redisBitpos`: the first bit equal to `bit` in `bytes`; when
/// looking for a clear bit in all-ones bytes, the first bit past them; when
/// looking for a set bit and there is none, -1.
fn first_bit(bytes: &[u8], bit: bool) -> i64 {
    let skip = if bit { 0x00 } else { 0xFF };
    match bytes.iter().position(|&b| b != skip) {
        Some(i) => {
            let b = if bit { bytes[i] } else { !bytes[i] };
            (i as i64) * 8 + i64::from(b.leading_zeros())
        }
        None if bit => -1,
        None => bytes.len() as i64 * 8,
    }
}

/// BITPOS over `data` with the arguments from index 3 on.
fn find_bit(data: &[u8], bit: bool, args: &Args<'_>) -> Result<i64, CmdError> {
    let len = data.len() as i64;
    let mut end_given = false;
    let span = match args.len() {
        3 => Span::from_clamped(0, len - 1, false),
        4..=6 => {
            let start = args.int(3)?;
            let is_bit = if args.len() == 6 {
                unit_is_bit(args.get(5))?
            } else {
                false
            };
            let end = if args.len() >= 5 {
                end_given = true;
                args.int(4)?
            } else {
                len - 1
            };
            let total = if is_bit { len << 3 } else { len };
            let (start, end) = clamp_range(start, end, total);
            Span::from_clamped(start, end, is_bit)
        }
        _ => return Err(CmdError::Syntax),
    };
    if span.start > span.end {
        return Ok(-1);
    }
    let byte = |i: i64| data.get(i as usize).copied().unwrap_or(0);
    // Mask the bits outside the range so they never match.
    let masked = |b: u8, mask: u8| if bit { b & !mask } else { b | mask };
    let mut start = span.start;
    let mut bytes = span.end - span.start + 1;
    // Redis's three-step scan (first byte, middle, last byte); `bytes` at
    // the exit point decides whether "one past the range" means "none".
    let pos = 'scan: {
        if span.first_mask != 0 {
            let mut b = masked(byte(start), span.first_mask);
            if span.last_mask != 0 && bytes == 1 {
                b = masked(b, span.last_mask);
            }
            let pos = first_bit(&[b], bit);
            if bytes == 1 || (pos != -1 && pos != 8) {
                break 'scan pos;
            }
            start += 1;
            bytes -= 1;
        }
        let middle = bytes - i64::from(span.last_mask != 0);
        if middle > 0 {
            let from = start as usize;
            let part = data.get(from..from + middle as usize).unwrap_or(&[]);
            let pos = first_bit(part, bit);
            if bytes == middle || (pos != -1 && pos != middle << 3) {
                break 'scan pos;
            }
            start += middle;
            bytes -= middle;
        }
        first_bit(&[masked(byte(span.end), span.last_mask)], bit)
    };
    // With an explicit end, a clear bit "just past the range" is not in it.
    if end_given && !bit && pos == bytes << 3 {
        return Ok(-1);
    }
    Ok(if pos == -1 { -1 } else { pos + (start << 3) })
}

/// `BITPOS key bit [start [end [BYTE|BIT]]]`.
pub fn bitpos(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let bit = args.int(2)?;
    if bit != 0 && bit != 1 {
        return Err(CmdError::Other("ERR The bit argument must be 1 or 0."));
    }
    let bit = bit == 1;
    let now = ctx.now_ms;
    let db = ctx.db();
    let (hit, pos) = db.read(args.get(1), now, ctx.fx, |e| match e {
        // A missing key is an endless run of zeros.
        None => (false, Ok(if bit { -1 } else { 0 })),
        Some(e) => (
            true,
            string_of(&e.value).and_then(|s| s.with_bytes(|b| find_bit(b, bit, args))),
        ),
    });
    ctx.lookup(hit);
    ctx.out.int(pos?);
    Ok(())
}

/// A BITOP operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BitOp {
    And,
    Or,
    Xor,
    Not,
}

/// Combines the sources byte by byte; missing bytes read as zero.
fn bit_op(op: BitOp, srcs: &[Vec<u8>]) -> Vec<u8> {
    let maxlen = srcs.iter().map(Vec::len).max().unwrap_or(0);
    let at = |s: &Vec<u8>, i: usize| s.get(i).copied().unwrap_or(0);
    (0..maxlen)
        .map(|i| {
            let mut it = srcs.iter();
            let first = it.next().map_or(0, |s| at(s, i));
            match op {
                BitOp::Not => !first,
                BitOp::And => it.fold(first, |acc, s| acc & at(s, i)),
                BitOp::Or => it.fold(first, |acc, s| acc | at(s, i)),
                BitOp::Xor => it.fold(first, |acc, s| acc ^ at(s, i)),
            }
        })
        .collect()
}

/// `BITOP AND|OR|XOR|NOT destkey key [key ...]`: replies with the result's
/// length; an empty result deletes the destination (whatever its type).
pub fn bitop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let name = c_str(args.get(1));
    let op = [
        ("and", BitOp::And),
        ("or", BitOp::Or),
        ("xor", BitOp::Xor),
        ("not", BitOp::Not),
    ]
    .into_iter()
    .find(|(n, _)| name.eq_ignore_ascii_case(n.as_bytes()))
    .map(|(_, op)| op)
    .ok_or(CmdError::Syntax)?;
    if op == BitOp::Not && args.len() != 4 {
        return Err(CmdError::Other(
            "ERR BITOP NOT must be called with a single source key.",
        ));
    }
    let dest = args.get(2);
    let sources: Vec<&[u8]> = args.from(3).iter().map(|b| &b[..]).collect();
    let mut keys = sources.clone();
    keys.push(dest);
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let mut lookups: Vec<bool> = Vec::with_capacity(sources.len());
    let result = db.write_keys(&keys, now, ctx.fx, |ks| {
        let mut srcs = Vec::with_capacity(sources.len());
        for k in &sources {
            let value = ks
                .slot(k)
                .and_then(|s| s.value().map(|v| string_of(v).map(Str::to_vec)));
            lookups.push(value.is_some());
            match value {
                None => srcs.push(Vec::new()),
                Some(v) => srcs.push(v?),
            }
        }
        let res = bit_op(op, &srcs);
        let len = res.len();
        let Some(mut slot) = ks.slot(dest) else {
            return Ok((len, None));
        };
        if len > 0 {
            slot.insert(Value::Str(Str::Bytes { data: res, raw: true }), 0, now);
            Ok((len, Some(true)))
        } else {
            Ok((len, slot.remove().map(|_| false)))
        }
    });
    for hit in lookups {
        ctx.lookup(hit);
    }
    let (len, change) = result?;
    match change {
        Some(true) => ctx.fx.written(dbi, dest, "set"),
        Some(false) => ctx.fx.deleted(dbi, dest, "del"),
        None => {}
    }
    ctx.out.int(len as i64);
    Ok(())
}

/// What to do on a BITFIELD overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

/// One BITFIELD subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldOp {
    Get,
    Set(i64),
    IncrBy(i64),
}

/// A parsed BITFIELD operation.
#[derive(Debug, Clone, Copy)]
struct Field {
    op: FieldOp,
    offset: u64,
    bits: u32,
    signed: bool,
    overflow: Overflow,
}

/// Parses a bitfield type (`i1`..`i64`, `u1`..`u63`) as Redis does
/// (the width is read as a C string).
fn field_type(arg: &[u8]) -> Result<(bool, u32), CmdError> {
    let signed = match arg.first() {
        Some(b'i') => true,
        Some(b'u') => false,
        _ => return Err(BAD_TYPE),
    };
    let bits = crate::num::parse_ll(c_str(&arg[1..])).ok_or(BAD_TYPE)?;
    if bits < 1 || (signed && bits > 64) || (!signed && bits > 63) {
        return Err(BAD_TYPE);
    }
    Ok((signed, bits as u32))
}

/// The unsigned value of `bits` bits at bit `offset` (0 past the end).
fn get_unsigned(data: &[u8], offset: u64, bits: u32) -> u64 {
    (0..u64::from(bits)).fold(0u64, |v, j| (v << 1) | u64::from(bit_at(data, offset + j)))
}

/// The two's-complement value of `bits` bits at bit `offset`.
fn get_signed(data: &[u8], offset: u64, bits: u32) -> i64 {
    let mut v = get_unsigned(data, offset, bits);
    if bits < 64 && v & (1u64 << (bits - 1)) != 0 {
        v |= u64::MAX << bits;
    }
    v as i64
}

/// Writes the low `bits` bits of `value` at bit `offset`.
fn set_field(data: &mut [u8], offset: u64, bits: u32, value: u64) {
    for j in 0..u64::from(bits) {
        let on = value & (1u64 << (u64::from(bits) - 1 - j)) != 0;
        set_bit_at(data, offset + j, on);
    }
}

/// Redis's `checkUnsignedBitfieldOverflow`: whether `value + incr` leaves
/// the width, and the value WRAP or SAT turn it into.
fn unsigned_overflow(value: u64, incr: i64, bits: u32, mode: Overflow) -> (bool, Option<u64>) {
    let max = (1u64 << bits) - 1;
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = value.wrapping_neg() as i64;
    let wrap = || Some(value.wrapping_add(incr as u64) & max);
    if value > max || (incr > 0 && incr > max_incr) {
        let limit = match mode {
            Overflow::Wrap => wrap(),
            Overflow::Sat => Some(max),
            Overflow::Fail => None,
        };
        (true, limit)
    } else if incr < 0 && incr < min_incr {
        let limit = match mode {
            Overflow::Wrap => wrap(),
            Overflow::Sat => Some(0),
            Overflow::Fail => None,
        };
        (true, limit)
    } else {
        (false, None)
    }
}

/// Redis's `checkSignedBitfieldOverflow`, the signed counterpart.
fn signed_overflow(value: i64, incr: i64, bits: u32, mode: Overflow) -> (bool, Option<i64>) {
    let max: i64 = if bits == 64 { i64::MAX } else { (1i64 << (bits - 1)) - 1 };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let wrap = || {
        let mut c = (value as u64).wrapping_add(incr as u64);
        if bits < 64 {
            let mask = u64::MAX << bits;
            if c & (1u64 << (bits - 1)) != 0 {
                c |= mask;
            } else {
                c &= !mask;
            }
        }
        Some(c as i64)
    };
    if value > max || (bits != 64 && incr > max_incr) || (value >= 0 && incr > 0 && incr > max_incr) {
        let limit = match mode {
            Overflow::Wrap => wrap(),
            Overflow::Sat => Some(max),
            Overflow::Fail => None,
        };
        (true, limit)
    } else if value < min || (bits != 64 && incr < min_incr) || (value < 0 && incr < 0 && incr < min_incr) {
        let limit = match mode {
            Overflow::Wrap => wrap(),
            Overflow::Sat => Some(min),
            Overflow::Fail => None,
        };
        (true, limit)
    } else {
        (false, None)
    }
}

/// Parses the subcommands of BITFIELD from argument 2 on.
fn parse_fields(args: &Args<'_>, max_len: i64) -> Result<Vec<Field>, CmdError> {
    let mut fields = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut j = 2;
    while j < args.len() {
        let remaining = args.len() - j - 1;
        let sub = c_str(args.get(j));
        let is = |name: &str| sub.eq_ignore_ascii_case(name.as_bytes());
        let kind = if is("get") && remaining >= 2 {
            0
        } else if is("set") && remaining >= 3 {
            1
        } else if is("incrby") && remaining >= 3 {
            2
        } else if is("overflow") && remaining >= 1 {
            let mode = c_str(args.get(j + 1));
            overflow = [
                ("wrap", Overflow::Wrap),
                ("sat", Overflow::Sat),
                ("fail", Overflow::Fail),
            ]
            .into_iter()
            .find(|(n, _)| mode.eq_ignore_ascii_case(n.as_bytes()))
            .map(|(_, m)| m)
            .ok_or(CmdError::Other("ERR Invalid OVERFLOW type specified"))?;
            j += 2;
            continue;
        } else {
            return Err(CmdError::Syntax);
        };
        let (signed, bits) = field_type(args.get(j + 1))?;
        let offset = bit_offset(args.get(j + 2), true, bits, max_len)?;
        let op = match kind {
            0 => FieldOp::Get,
            1 => FieldOp::Set(args.int(j + 3)?),
            _ => FieldOp::IncrBy(args.int(j + 3)?),
        };
        fields.push(Field {
            op,
            offset,
            bits,
            signed,
            overflow,
        });
        j += if kind == 0 { 3 } else { 4 };
    }
    Ok(fields)
}

/// Runs one write (SET/INCRBY) field on `data`; the reply value (`None` when
/// FAIL refused it) and whether the stored bits changed.
fn write_field(data: &mut [u8], f: &Field) -> (Option<i64>, bool) {
    let (delta, is_incr) = match f.op {
        FieldOp::IncrBy(d) => (d, true),
        FieldOp::Set(v) => (v, false),
        FieldOp::Get => return (Some(0), false),
    };
    if f.signed {
        let old = get_signed(data, f.offset, f.bits);
        let (new, ret, overflow) = if is_incr {
            let (overflow, limit) = signed_overflow(old, delta, f.bits, f.overflow);
            let new = limit.unwrap_or(old.wrapping_add(delta));
            (new, new, overflow)
        } else {
            let (overflow, limit) = signed_overflow(delta, 0, f.bits, f.overflow);
            (limit.unwrap_or(delta), old, overflow)
        };
        if overflow && f.overflow == Overflow::Fail {
            return (None, false);
        }
        set_field(data, f.offset, f.bits, new as u64);
        (Some(ret), old != new)
    } else {
        let old = get_unsigned(data, f.offset, f.bits);
        let (new, ret, overflow) = if is_incr {
            let (overflow, limit) = unsigned_overflow(old, delta, f.bits, f.overflow);
            let new = limit.unwrap_or(old.wrapping_add(delta as u64));
            (new, new, overflow)
        } else {
            let (overflow, limit) = unsigned_overflow(delta as u64, 0, f.bits, f.overflow);
            (limit.unwrap_or(delta as u64), old, overflow)
        };
        if overflow && f.overflow == Overflow::Fail {
            return (None, false);
        }
        set_field(data, f.offset, f.bits, new);
        (Some(ret as i64), old != new)
    }
}

/// The value a GET field reads.
fn read_field(data: &[u8], f: &Field) -> i64 {
    if f.signed {
        get_signed(data, f.offset, f.bits)
    } else {
        get_unsigned(data, f.offset, f.bits) as i64
    }
}

/// Writes the replies of BITFIELD's fields.
fn reply_fields(ctx: &mut Ctx<'_>, replies: &[Option<i64>]) {
    ctx.out.array(replies.len());
    for r in replies {
        match r {
            Some(n) => ctx.out.int(*n),
            None => ctx.out.null(),
        }
    }
}

/// The shared body of BITFIELD and BITFIELD_RO.
fn bitfield_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, read_only_command: bool) -> Result<(), CmdError> {
    let fields = parse_fields(args, max_bulk_len(ctx))?;
    let key = args.get(1);
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let writes = fields.iter().any(|f| f.op != FieldOp::Get);
    if !writes {
        let (hit, replies) = db.read(key, now, ctx.fx, |e| match e {
            None => (false, Ok(fields.iter().map(|f| Some(read_field(&[], f))).collect())),
            Some(e) => (
                true,
                string_of(&e.value).map(|s| s.with_bytes(|b| fields.iter().map(|f| Some(read_field(b, f))).collect())),
            ),
        });
        ctx.lookup(hit);
        let replies: Vec<Option<i64>> = replies?;
        reply_fields(ctx, &replies);
        return Ok(());
    }
    if read_only_command {
        return Err(CmdError::Other("ERR BITFIELD_RO only supports the GET subcommand"));
    }
    let highest = fields
        .iter()
        .filter(|f| f.op != FieldOp::Get)
        .map(|f| f.offset + u64::from(f.bits) - 1)
        .max()
        .unwrap_or(0);
    let need = (highest >> 3) as usize + 1;
    let run = |data: &mut Vec<u8>, dirty: bool| {
        let mut changes = 0;
        let replies: Vec<Option<i64>> = fields
            .iter()
            .map(|f| {
                if f.op == FieldOp::Get {
                    return Some(read_field(data, f));
                }
                let (reply, changed) = write_field(data, f);
                if reply.is_some() && (dirty || changed) {
                    changes += 1;
                }
                reply
            })
            .collect();
        (replies, changes > 0)
    };
    let mut made_raw = false;
    let (replies, changed) = db.write(key, now, ctx.fx, |slot| {
        let Some(v) = slot.value() else {
            let mut data = zeroed(need)?;
            let (replies, _) = run(&mut data, true);
            slot.insert(Value::Str(Str::Bytes { data, raw: true }), 0, now);
            // The key was created, which is a write even when FAIL refused
            // every field (Redis then signals nothing; the backing store must
            // still see the new key).
            return Ok((replies, true));
        };
        made_raw = !matches!(string_of(v)?, Str::Bytes { raw: true, .. });
        slot.update(|e| {
            let data = raw_bytes_of(&mut e.value)?;
            let grew = grow_to(data, need)?;
            Ok(run(data, grew))
        })
        .unwrap_or(Ok((Vec::new(), false)))
    })?;
    if changed {
        ctx.fx.written(dbi, key, "setbit");
    } else if made_raw {
        // Nothing changed but the string became raw: see `setbit`.
        super::propagate::as_sent(ctx, args.all());
    }
    reply_fields(ctx, &replies);
    Ok(())
}

/// `BITFIELD key [GET type offset] [SET type offset value]
/// [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL] ...`.
pub fn bitfield(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    bitfield_generic(ctx, args, false)
}

/// `BITFIELD_RO key [GET type offset ...]`.
pub fn bitfield_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    bitfield_generic(ctx, args, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_offsets_follow_redis_rules() {
        let max = 512 * 1024 * 1024;
        assert_eq!(bit_offset(b"7", false, 0, max), Ok(7));
        assert_eq!(bit_offset(b"#3", true, 8, max), Ok(24));
        assert!(bit_offset(b"#3", false, 8, max).is_err());
        assert!(bit_offset(b"-1", false, 0, max).is_err());
        assert_eq!(bit_offset(b"4294967295", false, 0, max), Ok(4_294_967_295));
        assert!(bit_offset(b"4294967296", false, 0, max).is_err());
        assert!(bit_offset(b"#9223372036854775807", true, 64, max).is_err());
        assert!(bit_offset(b"", false, 0, max).is_err());
    }

    #[test]
    fn field_types_accept_i64_but_not_u64() {
        assert_eq!(field_type(b"i64"), Ok((true, 64)));
        assert_eq!(field_type(b"u63"), Ok((false, 63)));
        assert!(field_type(b"u64").is_err());
        assert!(field_type(b"i0").is_err());
        assert!(field_type(b"I8").is_err());
        assert!(field_type(b"").is_err());
    }

    #[test]
    fn fields_read_and_write_across_byte_edges() {
        let mut data = vec![0u8; 3];
        set_field(&mut data, 5, 10, 0b10_1100_1101);
        assert_eq!(get_unsigned(&data, 5, 10), 0b10_1100_1101);
        assert_eq!(get_signed(&data, 5, 10), 0b10_1100_1101 - 1024);
        assert_eq!(get_unsigned(&data, 20, 8), 0);
        assert_eq!(get_signed(&[0xFF; 8], 0, 64), -1);
    }

    #[test]
    fn overflow_modes_wrap_saturate_or_fail() {
        assert_eq!(unsigned_overflow(250, 10, 8, Overflow::Wrap), (true, Some(4)));
        assert_eq!(unsigned_overflow(250, 10, 8, Overflow::Sat), (true, Some(255)));
        assert_eq!(unsigned_overflow(5, -10, 8, Overflow::Sat), (true, Some(0)));
        assert_eq!(unsigned_overflow(5, -10, 8, Overflow::Fail), (true, None));
        assert_eq!(signed_overflow(120, 10, 8, Overflow::Wrap), (true, Some(-126)));
        assert_eq!(signed_overflow(-120, -10, 8, Overflow::Sat), (true, Some(-128)));
        assert_eq!(signed_overflow(i64::MAX, 1, 64, Overflow::Wrap), (true, Some(i64::MIN)));
        assert_eq!(signed_overflow(1, 1, 64, Overflow::Wrap), (false, None));
    }

    #[test]
    fn first_bit_reports_past_the_end_for_all_ones() {
        assert_eq!(first_bit(&[0xFF, 0xFF], false), 16);
        assert_eq!(first_bit(&[0x00, 0x00], true), -1);
        assert_eq!(first_bit(&[0x00, 0x10], true), 11);
        assert_eq!(first_bit(&[0xFF, 0xEF], false), 11);
    }

    #[test]
    fn bitop_pads_short_sources_with_zeros() {
        let srcs = vec![vec![0xF0, 0x0F], vec![0xFF]];
        assert_eq!(bit_op(BitOp::And, &srcs), vec![0xF0, 0x00]);
        assert_eq!(bit_op(BitOp::Or, &srcs), vec![0xFF, 0x0F]);
        assert_eq!(bit_op(BitOp::Xor, &srcs), vec![0x0F, 0x0F]);
        assert_eq!(bit_op(BitOp::Not, &srcs[..1]), vec![0x0F, 0xF0]);
    }
}
