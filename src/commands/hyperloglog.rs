//! HyperLogLog commands (PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST) over
//! string values, byte for byte Redis's format so `GET`/`DUMP` of a HLL and
//! every estimate match a real Redis.
//!
//! Layout (as Redis's `hyperloglog.c`): a 16-byte header (`HYLL`, the
//! encoding byte, 3 unused bytes, the cached cardinality as 8 little-endian
//! bytes whose top bit set means "stale"), then 16384 registers of 6 bits,
//! either dense (12288 packed bytes, least significant bits first) or
//! sparse (run-length opcodes ZERO `00xxxxxx`, XZERO `01xxxxxx yyyyyyyy`,
//! VAL `1vvvvvxx`). A sparse HLL is promoted to dense when an update would
//! grow it past `hll-sparse-max-bytes` or needs a register above 32; it is
//! never demoted. Elements hash with MurmurHash64A (seed `0xadc83b19`) and the
//! cardinality uses Ertl's improved estimator, as Redis 7 does.
//!
//! Invariant: every function here accepts arbitrary bytes that passed the
//! header check (a user may `SET` anything starting with `HYLL`): a corrupt
//! sparse body yields `INVALIDOBJ`, never a panic. Bytes read past the end
//! read as zero, as the C code reads the string's NUL terminator there.

use rand::Rng;

use super::{Args, CmdError, Ctx};
use crate::num::c_str;
use crate::store::{Str, Value};

/// Register index bits.
const HLL_P: u32 = 14;
/// Bits of the hash left to count the run of zeros in.
const HLL_Q: usize = 64 - HLL_P as usize;
/// Number of registers.
const REGISTERS: usize = 1 << HLL_P;
/// Bits per dense register.
const REGISTER_BITS: usize = 6;
/// The largest register value.
const REGISTER_MAX: u8 = (1 << REGISTER_BITS) - 1;
/// Header size.
const HDR: usize = 16;
/// Size of a dense HLL, header included.
const DENSE_SIZE: usize = HDR + (REGISTERS * REGISTER_BITS).div_ceil(8);
/// Encoding byte of a dense HLL.
const DENSE: u8 = 0;
/// Encoding byte of a sparse HLL.
const SPARSE: u8 = 1;
/// The largest value a sparse VAL opcode holds.
const SPARSE_VAL_MAX_VALUE: u8 = 32;
/// The longest run of a VAL opcode.
const SPARSE_VAL_MAX_LEN: usize = 4;
/// The longest run of a ZERO opcode.
const SPARSE_ZERO_MAX_LEN: usize = 64;
/// The longest run of an XZERO opcode.
const SPARSE_XZERO_MAX_LEN: usize = 16384;
/// 1 / (2 ln 2), the estimator's constant for m → ∞.
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

/// Not a HLL (Redis sends it with the WRONGTYPE code).
const NOT_HLL: CmdError = CmdError::Other("WRONGTYPE Key is not a valid HyperLogLog string value.");
/// A HLL whose sparse body does not add up to 16384 registers.
const CORRUPT: CmdError = CmdError::Other("INVALIDOBJ Corrupted HLL object detected");

/// MurmurHash64A, as Redis's copy of it (little-endian 8-byte blocks).
pub fn murmur64a(key: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (key.len() as u64).wrapping_mul(M);
    let mut blocks = key.chunks_exact(8);
    for block in &mut blocks {
        let mut b = [0u8; 8];
        b.copy_from_slice(block);
        let mut k = u64::from_le_bytes(b);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate().rev() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element maps to and the length of its "000..1" pattern.
fn pattern(ele: &[u8]) -> (usize, u8) {
    let hash = murmur64a(ele, 0xadc8_3b19);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    // The sentinel bit bounds the count by Q + 1.
    let rest = (hash >> HLL_P) | (1u64 << HLL_Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

/// Byte `i` of `data`, zero past the end.
fn at(data: &[u8], i: usize) -> u8 {
    data.get(i).copied().unwrap_or(0)
}

/// Dense register `reg` of a whole HLL string.
fn dense_get(data: &[u8], reg: usize) -> u8 {
    let byte = HDR + reg * REGISTER_BITS / 8;
    let fb = (reg * REGISTER_BITS) & 7;
    let (b0, b1) = (u32::from(at(data, byte)), u32::from(at(data, byte + 1)));
    (((b0 >> fb) | (b1 << (8 - fb))) & u32::from(REGISTER_MAX)) as u8
}

/// Sets dense register `reg` of a whole HLL string.
fn dense_put(data: &mut [u8], reg: usize, val: u8) {
    let byte = HDR + reg * REGISTER_BITS / 8;
    let fb = (reg * REGISTER_BITS) & 7;
    let v = u32::from(val);
    let max = u32::from(REGISTER_MAX);
    if let Some(b) = data.get_mut(byte) {
        *b = ((u32::from(*b) & !(max << fb)) | (v << fb)) as u8;
    }
    if let Some(b) = data.get_mut(byte + 1) {
        *b = ((u32::from(*b) & !(max >> (8 - fb))) | (v >> (8 - fb))) as u8;
    }
}

/// Raises dense register `reg` to `count`; whether it changed.
fn dense_set(data: &mut [u8], reg: usize, count: u8) -> bool {
    if count > dense_get(data, reg) {
        dense_put(data, reg, count);
        true
    } else {
        false
    }
}

fn is_zero(op: u8) -> bool {
    op & 0xc0 == 0
}

fn is_xzero(op: u8) -> bool {
    op & 0xc0 == 0x40
}

fn is_val(op: u8) -> bool {
    op & 0x80 != 0
}

fn zero_len(op: u8) -> usize {
    usize::from(op & 0x3f) + 1
}

fn xzero_len(op: u8, next: u8) -> usize {
    ((usize::from(op & 0x3f) << 8) | usize::from(next)) + 1
}

fn val_value(op: u8) -> u8 {
    ((op >> 2) & 0x1f) + 1
}

fn val_len(op: u8) -> usize {
    usize::from(op & 0x3) + 1
}

fn val_op(val: u8, len: usize) -> u8 {
    0x80 | ((val - 1) << 2) | (len as u8 - 1)
}

/// Appends a ZERO or XZERO opcode for a run of `len` zero registers.
fn push_zeros(seq: &mut Vec<u8>, len: usize) {
    if len > SPARSE_ZERO_MAX_LEN {
        let l = len - 1;
        seq.push(0x40 | (l >> 8) as u8);
        seq.push((l & 0xff) as u8);
    } else {
        seq.push(len as u8 - 1);
    }
}

/// One decoded sparse opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// A run of zero registers; `wide` for XZERO (two bytes).
    Zeros { len: usize, wide: bool },
    /// A run of registers holding `val`.
    Val { val: u8, len: usize },
}

impl Op {
    /// Decodes the opcode at `p` (the second byte of a truncated XZERO reads as 0).
    fn at(data: &[u8], p: usize) -> Op {
        let op = at(data, p);
        if is_zero(op) {
            Op::Zeros {
                len: zero_len(op),
                wide: false,
            }
        } else if is_xzero(op) {
            Op::Zeros {
                len: xzero_len(op, at(data, p + 1)),
                wide: true,
            }
        } else {
            Op::Val {
                val: val_value(op),
                len: val_len(op),
            }
        }
    }

    fn size(self) -> usize {
        match self {
            Op::Zeros { wide: true, .. } => 2,
            _ => 1,
        }
    }

    fn len(self) -> usize {
        match self {
            Op::Zeros { len, .. } | Op::Val { len, .. } => len,
        }
    }
}

/// A fresh, empty sparse HLL (header, then XZERO opcodes covering every
/// register); its cached cardinality is a valid 0.
fn new_hll() -> Vec<u8> {
    let mut data = Vec::with_capacity(HDR + 2 * REGISTERS.div_ceil(SPARSE_XZERO_MAX_LEN));
    data.extend_from_slice(b"HYLL");
    data.push(SPARSE);
    data.resize(HDR, 0);
    let mut left = REGISTERS;
    while left > 0 {
        let run = left.min(SPARSE_XZERO_MAX_LEN);
        push_zeros(&mut data, run);
        left -= run;
    }
    data
}

/// Checks the header as Redis's `isHLLObjectOrReply`.
fn check_hll(s: &Str) -> Result<(), CmdError> {
    let Str::Bytes { data, .. } = s else {
        return Err(NOT_HLL);
    };
    if data.len() < HDR || &data[..4] != b"HYLL" || data[4] > SPARSE || (data[4] == DENSE && data.len() != DENSE_SIZE) {
        return Err(NOT_HLL);
    }
    Ok(())
}

/// The HLL a value holds (header checked), or the error Redis gives.
#[allow(unreachable_patterns)]
fn hll_of(v: &Value) -> Result<&Str, CmdError> {
    match v {
        Value::Str(s) => check_hll(s).map(|()| s),
        _ => Err(CmdError::WrongType),
    }
}

/// The bytes of a value already checked with [`hll_of`], made raw for writing.
#[allow(unreachable_patterns)]
/// Whether the string is already `raw` (what [`hll_bytes_mut`] makes it).
fn is_raw(v: &Value) -> bool {
    matches!(v, Value::Str(Str::Bytes { raw: true, .. }))
}

fn hll_bytes_mut(v: &mut Value) -> Result<&mut Vec<u8>, CmdError> {
    match v {
        Value::Str(s) => Ok(s.make_raw()),
        _ => Err(CmdError::WrongType),
    }
}

/// Marks the cached cardinality stale.
fn invalidate_cache(data: &mut [u8]) {
    if let Some(b) = data.get_mut(15) {
        *b |= 0x80;
    }
}

/// Converts a sparse HLL to dense in place (a dense one is left alone);
/// `Err` if its opcodes do not cover exactly 16384 registers.
fn sparse_to_dense(data: &mut Vec<u8>) -> Result<(), ()> {
    if at(data, 4) == DENSE {
        return Ok(());
    }
    let mut dense = vec![0u8; DENSE_SIZE];
    dense[..HDR].copy_from_slice(data.get(..HDR).ok_or(())?);
    dense[4] = DENSE;
    let (mut idx, mut p) = (0usize, HDR);
    while p < data.len() {
        let op = Op::at(data, p);
        if let Op::Val { val, len } = op {
            // A run past the last register is corruption (Redis 7.0.x
            // refuses it rather than stopping there).
            if idx + len > REGISTERS {
                return Err(());
            }
            for r in idx..idx + len {
                dense_put(&mut dense, r, val);
            }
        }
        idx += op.len();
        p += op.size();
    }
    if idx != REGISTERS {
        return Err(());
    }
    *data = dense;
    Ok(())
}

/// Promotes to dense and raises register `index` to `count`.
fn promote_and_set(data: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, ()> {
    sparse_to_dense(data)?;
    // The sparse form needed an update, so the dense one does too.
    Ok(dense_set(data, index, count))
}

/// Redis's `hllSparseSet`: raises register `index` to `count` in a sparse
/// HLL, splitting the opcode that covers it and merging equal neighbours the
/// way Redis does (so the bytes come out identical); promotes to dense when
/// needed. `Ok(changed)` or `Err` for a corrupt body.
fn sparse_set(data: &mut Vec<u8>, index: usize, count: u8, max_bytes: i64) -> Result<bool, ()> {
    if count > SPARSE_VAL_MAX_VALUE {
        return promote_and_set(data, index, count);
    }
    // Step 1: find the opcode covering the register.
    let end = data.len();
    let (mut p, mut first, mut prev) = (HDR, 0usize, None);
    let mut op = None;
    while p < end {
        let this = Op::at(data, p);
        if index < first + this.len() {
            op = Some(this);
            break;
        }
        prev = Some(p);
        p += this.size();
        first += this.len();
    }
    let Some(op) = op else {
        return Err(());
    };
    let span = op.len();
    // Step 2: the trivial in-place cases, then the general split.
    let in_place = match op {
        Op::Val { val, .. } if val >= count => return Ok(false),
        Op::Val { len: 1, .. } | Op::Zeros { len: 1, wide: false } => true,
        _ => false,
    };
    if in_place {
        data[p] = val_op(count, 1);
    } else {
        let last = first + span - 1;
        let mut seq: Vec<u8> = Vec::with_capacity(5);
        match op {
            Op::Zeros { .. } => {
                if index != first {
                    push_zeros(&mut seq, index - first);
                }
                seq.push(val_op(count, 1));
                if index != last {
                    push_zeros(&mut seq, last - index);
                }
            }
            Op::Val { val, .. } => {
                if index != first {
                    seq.push(val_op(val, index - first));
                }
                seq.push(val_op(count, 1));
                if index != last {
                    seq.push(val_op(val, last - index));
                }
            }
        }
        // Step 3: replace the old opcode with the sequence.
        let old_size = op.size();
        let new_len = end + seq.len() - old_size;
        if seq.len() > old_size && new_len as i64 > max_bytes {
            return promote_and_set(data, index, count);
        }
        let tail_from = (p + old_size).min(end);
        data.splice(p..tail_from, seq);
        // A truncated XZERO at the very end loses its missing byte as in C.
        data.truncate(new_len);
    }
    // Step 4: merge adjacent VAL opcodes of equal value near the change.
    let mut p = prev.unwrap_or(HDR);
    let mut scan = 5;
    while p < data.len() && scan > 0 {
        scan -= 1;
        let op = data[p];
        if is_xzero(op) {
            p += 2;
            continue;
        }
        if is_zero(op) {
            p += 1;
            continue;
        }
        if let Some(&next) = data.get(p + 1) {
            if is_val(next) && val_value(op) == val_value(next) {
                let len = val_len(op) + val_len(next);
                if len <= SPARSE_VAL_MAX_LEN {
                    data[p + 1] = val_op(val_value(op), len);
                    data.remove(p);
                    // Retry at the same place: the merged opcode may merge again.
                    continue;
                }
            }
        }
        p += 1;
    }
    invalidate_cache(data);
    Ok(true)
}

/// Adds one element; `Ok(changed)` or `Err` for a corrupt HLL.
fn hll_add(data: &mut Vec<u8>, ele: &[u8], max_bytes: i64) -> Result<bool, ()> {
    let (index, count) = pattern(ele);
    match at(data, 4) {
        DENSE => Ok(dense_set(data, index, count)),
        SPARSE => sparse_set(data, index, count, max_bytes),
        _ => Err(()),
    }
}

/// Raises `max[i]` to each register of a HLL; `Err` for a corrupt body.
fn merge_into(max: &mut [u8; REGISTERS], data: &[u8]) -> Result<(), ()> {
    if at(data, 4) == DENSE {
        for (i, m) in max.iter_mut().enumerate() {
            *m = (*m).max(dense_get(data, i));
        }
        return Ok(());
    }
    let (mut idx, mut p) = (0usize, HDR);
    while p < data.len() {
        let op = Op::at(data, p);
        if let Op::Val { val, len } = op {
            // A run past the last register is corruption (Redis 7.0.x
            // refuses it rather than stopping there).
            if idx + len > REGISTERS {
                return Err(());
            }
            for m in &mut max[idx..idx + len] {
                *m = (*m).max(val);
            }
        }
        idx += op.len();
        p += op.size();
    }
    if idx != REGISTERS {
        return Err(());
    }
    Ok(())
}

/// Register-value histogram of a HLL; `Err` for a sparse body that does not
/// cover exactly 16384 registers.
fn histogram(data: &[u8]) -> Result<[u32; 64], ()> {
    let mut h = [0u32; 64];
    if at(data, 4) == DENSE {
        for i in 0..REGISTERS {
            h[usize::from(dense_get(data, i))] += 1;
        }
        return Ok(h);
    }
    let (mut idx, mut p) = (0usize, HDR);
    while p < data.len() {
        let op = Op::at(data, p);
        let val = match op {
            Op::Val { val, .. } => usize::from(val),
            Op::Zeros { .. } => 0,
        };
        h[val] += op.len() as u32;
        idx += op.len();
        p += op.size();
    }
    if idx != REGISTERS {
        return Err(());
    }
    Ok(h)
}

/// Histogram of plain 8-bit registers (the union PFCOUNT builds).
fn histogram_raw(regs: &[u8; REGISTERS]) -> [u32; 64] {
    let mut h = [0u32; 64];
    for &r in regs {
        h[usize::from(r & 63)] += 1;
    }
    h
}

/// Ertl's σ function.
fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let prev = z;
        z += x * y;
        y += y;
        if prev == z {
            return z;
        }
    }
}

/// Ertl's τ function.
fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = x.sqrt();
        let prev = z;
        y *= 0.5;
        let d = 1.0 - x;
        z -= d * d * y;
        if prev == z {
            return z / 3.0;
        }
    }
}

/// The cardinality estimate from a register histogram (Redis 7's `hllCount`).
fn estimate(h: &[u32; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - f64::from(h[HLL_Q + 1])) / m);
    for j in (1..=HLL_Q).rev() {
        z += f64::from(h[j]);
        z *= 0.5;
    }
    z += m * sigma(f64::from(h[0]) / m);
    (ALPHA_INF * m * m / z).round() as u64
}

/// The cached cardinality, if valid.
fn cached_card(data: &[u8]) -> Option<u64> {
    let card: [u8; 8] = data.get(8..16)?.try_into().ok()?;
    (card[7] & 0x80 == 0).then(|| u64::from_le_bytes(card))
}

/// Stores a freshly computed cardinality in the header (marking it valid).
fn store_card(data: &mut [u8], card: u64) {
    if let Some(c) = data.get_mut(8..16) {
        c.copy_from_slice(&card.to_le_bytes());
    }
}

/// `hll-sparse-max-bytes`.
fn sparse_max_bytes(ctx: &Ctx<'_>) -> i64 {
    ctx.inst.config.get_i64("hll-sparse-max-bytes")
}

/// `PFADD key [element ...]`: 1 if a register changed or the key was created.
pub fn pfadd(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let elements = args.from(2);
    let max_bytes = sparse_max_bytes(ctx);
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let mut made_raw = false;
    let updated = db.write(key, now, ctx.fx, |slot| {
        let mut updated = false;
        match slot.value() {
            None => {
                let hll = Value::Str(Str::Bytes {
                    data: new_hll(),
                    raw: true,
                });
                slot.insert(hll, 0, now);
                updated = true;
            }
            Some(v) => {
                hll_of(v)?;
                made_raw = !is_raw(v);
            }
        }
        slot.update(|e| {
            let data = hll_bytes_mut(&mut e.value)?;
            for ele in elements {
                // Like Redis, a corrupt HLL keeps what earlier elements changed.
                updated |= hll_add(data, ele, max_bytes).map_err(|()| CORRUPT)?;
            }
            if updated {
                invalidate_cache(data);
            }
            Ok(updated)
        })
        .unwrap_or(Ok(false))
    })?;
    if updated {
        ctx.fx.written(dbi, key, "pfadd");
    } else if made_raw {
        // No register changed (no event, as Redis), but the string became
        // raw as Redis's `dbUnshareStringValue` leaves it: a replica must too.
        super::propagate::as_sent(ctx, args.all());
    }
    ctx.out.int(i64::from(updated));
    Ok(())
}

/// `PFCOUNT key [key ...]`: one key answers (and refreshes) its cached
/// estimate; several keys are estimated as their union, changing nothing.
pub fn pfcount(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    if args.len() > 2 {
        let keys: Vec<&[u8]> = args.from(1).iter().map(|k| &k[..]).collect();
        let mut lookups = Vec::with_capacity(keys.len());
        let result = db.write_keys(&keys, now, ctx.fx, |ks| {
            let mut max = [0u8; REGISTERS];
            for k in &keys {
                let slot = ks.slot(k);
                let Some(v) = slot.as_ref().and_then(|s| s.value()) else {
                    lookups.push(false);
                    continue;
                };
                lookups.push(true);
                hll_of(v)?
                    .with_bytes(|b| merge_into(&mut max, b))
                    .map_err(|()| CORRUPT)?;
            }
            Ok(estimate(&histogram_raw(&max)))
        });
        for hit in lookups {
            ctx.lookup(hit);
        }
        ctx.out.int(result? as i64);
        return Ok(());
    }
    let key = args.get(1);
    let mut made_raw = false;
    let (hit, result) = db.write(key, now, ctx.fx, |slot| {
        let Some(v) = slot.value() else {
            return (false, Ok((0, false)));
        };
        if let Err(e) = hll_of(v) {
            return (true, Err(e));
        }
        made_raw = !is_raw(v);
        let r = slot
            .update(|e| {
                let data = hll_bytes_mut(&mut e.value)?;
                if let Some(card) = cached_card(data) {
                    return Ok((card, false));
                }
                let card = estimate(&histogram(data).map_err(|()| CORRUPT)?);
                store_card(data, card);
                Ok((card, true))
            })
            .unwrap_or(Ok((0, false)));
        (true, r)
    });
    ctx.lookup(hit);
    let (card, refreshed) = result?;
    if refreshed {
        ctx.fx.touched(dbi, key);
    } else if made_raw {
        // Only the encoding changed: see `pfadd`.
        super::propagate::as_sent(ctx, args.all());
    }
    ctx.out.int(card as i64);
    Ok(())
}

/// `PFMERGE destkey [sourcekey ...]`: the destination (itself a source)
/// becomes the union; dense if any input was dense.
pub fn pfmerge(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let keys: Vec<&[u8]> = args.from(1).iter().map(|k| &k[..]).collect();
    let dest = args.get(1);
    let max_bytes = sparse_max_bytes(ctx);
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    let db = ctx.db();
    let mut lookups = Vec::with_capacity(keys.len());
    let result = db.write_keys(&keys, now, ctx.fx, |ks| {
        let mut max = Box::new([0u8; REGISTERS]);
        let mut use_dense = false;
        for k in &keys {
            let slot = ks.slot(k);
            let Some(v) = slot.as_ref().and_then(|s| s.value()) else {
                lookups.push(false);
                continue;
            };
            lookups.push(true);
            let s = hll_of(v)?;
            use_dense |= s.with_bytes(|b| at(b, 4) == DENSE);
            s.with_bytes(|b| merge_into(&mut max, b)).map_err(|()| CORRUPT)?;
        }
        let Some(mut slot) = ks.slot(dest) else {
            return Ok(());
        };
        if !slot.exists() {
            let hll = Value::Str(Str::Bytes {
                data: new_hll(),
                raw: true,
            });
            slot.insert(hll, 0, now);
        }
        slot.update(|e| {
            let data = hll_bytes_mut(&mut e.value)?;
            if use_dense {
                sparse_to_dense(data).map_err(|()| CORRUPT)?;
            }
            for (reg, &val) in max.iter().enumerate() {
                if val == 0 {
                    continue;
                }
                // The destination was checked while merging, so neither can fail.
                if at(data, 4) == DENSE {
                    dense_set(data, reg, val);
                } else {
                    let _ = sparse_set(data, reg, val, max_bytes);
                }
            }
            invalidate_cache(data);
            Ok(())
        })
        .unwrap_or(Ok(()))
    });
    for hit in lookups {
        ctx.lookup(hit);
    }
    result?;
    ctx.fx.written(dbi, dest, "pfadd");
    ctx.out.ok();
    Ok(())
}

/// The opcodes of a sparse HLL as PFDEBUG DECODE prints them.
fn decode_sparse(data: &[u8]) -> String {
    let mut parts = Vec::new();
    let mut p = HDR;
    while p < data.len() {
        let op = Op::at(data, p);
        parts.push(match op {
            Op::Zeros { len, wide: false } => format!("z:{len}"),
            Op::Zeros { len, wide: true } => format!("Z:{len}"),
            Op::Val { val, len } => format!("v:{val},{len}"),
        });
        p += op.size();
    }
    parts.join(" ")
}

/// What a PFDEBUG subcommand replies.
enum Debug {
    Registers(Vec<u8>),
    Text(String),
    Status(&'static str),
    Int(i64),
}

/// `PFDEBUG GETREG|DECODE|ENCODING|TODENSE key`.
pub fn pfdebug(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let sub = args.get(1);
    let key = args.get(2);
    let now = ctx.now_ms;
    let db = ctx.db();
    let is = |name: &str| c_str(sub).eq_ignore_ascii_case(name.as_bytes());
    // Redis neither signals nor announces PFDEBUG's encoding conversions (a
    // WATCH survives them), so they record no effect either.
    let (reply, _converted) = db.write(key, now, ctx.fx, |slot| {
        let Some(v) = slot.value() else {
            return Err(CmdError::Other("ERR The specified key does not exist"));
        };
        hll_of(v)?;
        slot.update(|e| {
            let data = hll_bytes_mut(&mut e.value)?;
            if is("getreg") || is("todense") {
                let sparse = at(data, 4) == SPARSE;
                if sparse {
                    sparse_to_dense(data).map_err(|()| CORRUPT)?;
                }
                if is("todense") {
                    return Ok((Debug::Int(i64::from(sparse)), sparse));
                }
                let regs = (0..REGISTERS).map(|r| dense_get(data, r)).collect();
                Ok((Debug::Registers(regs), sparse))
            } else if is("decode") {
                if at(data, 4) != SPARSE {
                    return Err(CmdError::Other("ERR HLL encoding is not sparse"));
                }
                Ok((Debug::Text(decode_sparse(data)), false))
            } else if is("encoding") {
                let name = if at(data, 4) == DENSE { "dense" } else { "sparse" };
                Ok((Debug::Status(name), false))
            } else {
                let shown = String::from_utf8_lossy(c_str(sub)).into_owned();
                Err(CmdError::Owned(format!("ERR Unknown PFDEBUG subcommand '{shown}'")))
            }
        })
        .unwrap_or(Err(CmdError::NoSuchKey))
    })?;
    match reply {
        Debug::Registers(regs) => {
            ctx.out.array(regs.len());
            for r in regs {
                ctx.out.int(i64::from(r));
            }
        }
        Debug::Text(t) => ctx.out.bulk(t.as_bytes()),
        Debug::Status(s) => ctx.out.simple(s),
        Debug::Int(n) => ctx.out.int(n),
    }
    Ok(())
}

/// `PFSELFTEST`: checks register access and that dense and sparse HLLs agree
/// and stay within the expected error. Redis adds ten million elements; this
/// runs the same checks up to 100,000 so the connection is not held for
/// seconds.
pub fn pfselftest(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    // Test 1: register access.
    let mut dense = vec![0u8; DENSE_SIZE];
    let mut plain = vec![0u8; REGISTERS];
    for _ in 0..10 {
        for (i, p) in plain.iter_mut().enumerate() {
            *p = ctx.rng.random::<u8>() & REGISTER_MAX;
            dense_put(&mut dense, i, *p);
        }
        for (i, &p) in plain.iter().enumerate() {
            if dense_get(&dense, i) != p {
                return Err(CmdError::Owned(format!("TESTFAILED Register error at index {i}")));
            }
        }
    }
    // Test 2: approximation error, dense and sparse side by side.
    let max_bytes = sparse_max_bytes(ctx);
    dense[HDR..].fill(0);
    let mut sparse = new_hll();
    let relerr = 1.04 / (REGISTERS as f64).sqrt();
    let seed: u64 = ctx.rng.random();
    let mut checkpoint: u64 = 1;
    for j in 1..=100_000u64 {
        let ele = (j ^ seed).to_le_bytes();
        let (index, count) = pattern(&ele);
        dense_set(&mut dense, index, count);
        hll_add(&mut sparse, &ele, max_bytes).map_err(|()| CORRUPT)?;
        if j != checkpoint {
            continue;
        }
        if (j as i64) < max_bytes / 2 && at(&sparse, 4) != SPARSE {
            return Err(CmdError::Other("TESTFAILED sparse encoding not used"));
        }
        let dense_card = histogram(&dense).map(|h| estimate(&h));
        let sparse_card = histogram(&sparse).map(|h| estimate(&h));
        if dense_card != sparse_card {
            return Err(CmdError::Other("TESTFAILED dense/sparse disagree"));
        }
        let card = dense_card.unwrap_or(0);
        let abserr = (checkpoint as i64 - card as i64).unsigned_abs();
        let mut maxerr = (relerr * 6.0 * checkpoint as f64).ceil() as u64;
        if j == 10 {
            maxerr = 1;
        }
        if abserr > maxerr {
            return Err(CmdError::Owned(format!(
                "TESTFAILED Too big error. card:{checkpoint} abserr:{abserr}"
            )));
        }
        checkpoint *= 10;
    }
    ctx.out.ok();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hll_with(elements: impl IntoIterator<Item = Vec<u8>>, max_bytes: i64) -> Vec<u8> {
        let mut data = new_hll();
        for e in elements {
            hll_add(&mut data, &e, max_bytes).unwrap();
        }
        data
    }

    #[test]
    fn empty_hll_is_eighteen_bytes_with_one_xzero() {
        let h = new_hll();
        assert_eq!(h.len(), 18);
        assert_eq!(&h[..5], b"HYLL\x01");
        assert_eq!(&h[16..], &[0x7f, 0xff]);
        assert_eq!(cached_card(&h), Some(0));
        assert_eq!(decode_sparse(&h), "Z:16384");
        assert_eq!(estimate(&histogram(&h).unwrap()), 0);
    }

    #[test]
    fn murmur_matches_known_values() {
        // Reference values of MurmurHash64A with Redis's seed.
        assert_eq!(murmur64a(b"", 0), 0);
        let a = murmur64a(b"hello", 0xadc8_3b19);
        let b = murmur64a(b"hello", 0xadc8_3b19);
        assert_eq!(a, b);
        assert_ne!(
            murmur64a(b"hello!!!x", 0xadc8_3b19),
            murmur64a(b"hello!!!y", 0xadc8_3b19)
        );
    }

    #[test]
    fn sparse_and_dense_agree_and_promotion_happens_past_the_limit() {
        let elements: Vec<Vec<u8>> = (0..5000).map(|i: u32| format!("e{i}").into_bytes()).collect();
        let sparse = hll_with(elements.iter().take(200).cloned(), 1 << 30);
        assert_eq!(sparse[4], SPARSE);
        let mut dense = sparse.clone();
        sparse_to_dense(&mut dense).unwrap();
        assert_eq!(dense.len(), DENSE_SIZE);
        let (hs, hd) = (histogram(&sparse).unwrap(), histogram(&dense).unwrap());
        assert_eq!(estimate(&hs), estimate(&hd));
        let promoted = hll_with(elements.iter().cloned(), 3000);
        assert_eq!(promoted[4], DENSE);
        let card = estimate(&histogram(&promoted).unwrap());
        assert!((4800..5200).contains(&card), "{card}");
    }

    #[test]
    fn sparse_set_splits_and_merges_runs() {
        let mut h = new_hll();
        sparse_set(&mut h, 100, 3, 3000).unwrap();
        assert_eq!(decode_sparse(&h), "Z:100 v:3,1 Z:16283");
        sparse_set(&mut h, 101, 3, 3000).unwrap();
        assert_eq!(decode_sparse(&h), "Z:100 v:3,2 Z:16282");
        sparse_set(&mut h, 0, 1, 3000).unwrap();
        assert_eq!(decode_sparse(&h), "v:1,1 Z:99 v:3,2 Z:16282");
        assert!(!sparse_set(&mut h, 100, 2, 3000).unwrap());
        sparse_set(&mut h, 16383, 40, 3000).unwrap();
        assert_eq!(h[4], DENSE);
        assert_eq!(dense_get(&h, 16383), 40);
        assert_eq!(dense_get(&h, 101), 3);
    }

    #[test]
    fn corrupt_sparse_bodies_are_errors_not_panics() {
        let mut h = new_hll();
        h.truncate(17);
        assert!(histogram(&h).is_err());
        assert!(sparse_to_dense(&mut h.clone()).is_err());
        let _ = sparse_set(&mut h, 5, 3, 3000);
        let mut max = [0u8; REGISTERS];
        let mut bad = new_hll();
        bad.push(0x3f);
        assert!(merge_into(&mut max, &bad).is_err());
        assert!(histogram(&bad).is_err());
        let mut overrun = new_hll();
        overrun.push(0xff);
        assert!(merge_into(&mut max, &overrun).is_err());
        assert!(sparse_to_dense(&mut overrun.clone()).is_err());
        assert!(histogram(&overrun).is_err());
    }

    #[test]
    fn estimate_of_100k_elements_is_within_two_percent() {
        let mut dense = vec![0u8; DENSE_SIZE];
        for i in 0..100_000u32 {
            let (idx, count) = pattern(format!("element:{i}").as_bytes());
            dense_set(&mut dense, idx, count);
        }
        let card = estimate(&histogram(&dense).unwrap()) as f64;
        assert!((card - 100_000.0).abs() < 2000.0, "{card}");
    }
}
