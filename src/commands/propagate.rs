//! The replicated form of writes whose argv would not reproduce them on a
//! replica (Redis's `alsoPropagate` rewrites): relative times become
//! absolute (`EXPIRE` → `PEXPIREAT`, `SET … EX` → `SET … PXAT`), random
//! choices become what was chosen (`SPOP` → `SREM`), served blocking
//! commands become their non-blocking forms (`BLPOP` → `LPOP`).
//!
//! Invariants: a replicated form depends only on what the command did,
//! never on the replica's clock or randomness (a unit applies with the
//! primary's `now_ms` and a fixed seed); helpers build argvs only while the
//! stream has a listener ([`Ctx::replicating`]), and otherwise only mark
//! the command as having its own form.

use bytes::Bytes;

use super::Ctx;

/// An argument from static or borrowed bytes.
pub fn arg(b: &[u8]) -> Bytes {
    Bytes::copy_from_slice(b)
}

/// An integer argument.
pub fn int_arg(n: impl itoa::Integer) -> Bytes {
    Bytes::copy_from_slice(itoa::Buffer::new().format(n).as_bytes())
}

/// Replicates the command as sent, whether or not it recorded an effect:
/// for writes that change state no keyspace event announces (`XACK`,
/// `XGROUP SETID`, a consumer group read).
pub fn as_sent(ctx: &mut Ctx<'_>, argv: &[Bytes]) {
    if ctx.replicating() {
        ctx.propagate(argv.to_vec());
    } else {
        ctx.propagate_nothing();
    }
}

/// `PEXPIREAT key at`: a TTL set from a relative time.
pub fn pexpireat(ctx: &mut Ctx<'_>, key: &[u8], at: u64) {
    if ctx.replicating() {
        ctx.propagate(vec![Bytes::from_static(b"PEXPIREAT"), arg(key), int_arg(at)]);
    } else {
        ctx.propagate_nothing();
    }
}

/// `DEL key`: the key went (a past expiry time, `GETDEL`, a set emptied by `SPOP`).
pub fn del(ctx: &mut Ctx<'_>, key: &[u8]) {
    ctx.propagate_parts(&[b"DEL", key]);
}

/// `<cmd> key [count]`: a pop of what a (blocking or multi-key) pop
/// served from `key`, e.g. `LPOP key 2`, `ZPOPMIN key`.
pub fn pop(ctx: &mut Ctx<'_>, cmd: &'static [u8], key: &[u8], count: Option<usize>) {
    if ctx.replicating() {
        let mut argv = vec![Bytes::from_static(cmd), arg(key)];
        if let Some(n) = count {
            argv.push(int_arg(n));
        }
        ctx.propagate(argv);
    } else {
        ctx.propagate_nothing();
    }
}
