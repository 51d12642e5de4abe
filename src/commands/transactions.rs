//! Transactions: `MULTI`, `EXEC`, `DISCARD`, `WATCH`, `UNWATCH`.
//!
//! Queuing happens in dispatch (after every check Redis makes first:
//! arity, authentication, ACL, cluster routing, OOM); this module owns what
//! the commands do; the registry of watched keys is `node::watch`. `EXEC`
//! runs with the `EXCLUSIVE` flag, so `call()` holds every other command
//! back while the queued ones run, each through `call()`: the transaction is
//! atomic and replicates as one unit. A watched key counts as modified when any command writes,
//! deletes or expires it (effects), when a flush or `SWAPDB` touches it, or
//! when it was volatile at `WATCH` time and its TTL has passed by `EXEC`.

use std::sync::atomic::Ordering;

use super::call::{call_nested, Exec};
use super::{Args, CmdError, Ctx};
use crate::node::clients::Multi;

/// `MULTI`.
pub fn multi(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    if ctx.session.multi.is_some() {
        return Err(CmdError::Other("ERR MULTI calls can not be nested"));
    }
    ctx.session.multi = Some(Multi::default());
    ctx.session.info.multi.store(0, Ordering::Relaxed);
    ctx.out.ok();
    Ok(())
}

fn end_multi(ctx: &mut Ctx<'_>) -> Option<Multi> {
    ctx.session.info.multi.store(-1, Ordering::Relaxed);
    ctx.session.multi.take()
}

/// `DISCARD`.
pub fn discard(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    if end_multi(ctx).is_none() {
        return Err(CmdError::Other("ERR DISCARD without MULTI"));
    }
    ctx.inst.watches.unwatch_all(ctx.session);
    ctx.out.ok();
    Ok(())
}

/// `WATCH key [key ...]`.
pub fn watch(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if ctx.session.multi.is_some() {
        return Err(CmdError::Other("ERR WATCH inside MULTI is not allowed"));
    }
    let db = ctx.db();
    for key in args.from(1) {
        // Remember a live key's expiry: if it passes before EXEC, the key
        // changed (it vanished) even if nobody touched it.
        // As stored, without expiring it: WATCH changes nothing (Redis's
        // `watchForKey` only notes whether the key is already stale).
        let expire_at = db.peek_entry(key, |e| e.map_or(0, |e| e.expire_at));
        let stale = expire_at != 0 && expire_at <= ctx.now_ms;
        ctx.inst
            .watches
            .watch(ctx.session, db.index, key.clone(), expire_at, stale);
    }
    ctx.out.ok();
    Ok(())
}

/// `UNWATCH`.
pub fn unwatch(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.inst.watches.unwatch_all(ctx.session);
    ctx.out.ok();
    Ok(())
}

/// `EXEC`: runs the queued commands back to back while dispatch holds every
/// other command back (`EXCLUSIVE`), replying with an array of their replies.
pub fn exec(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let Some(multi) = end_multi(ctx) else {
        return Err(CmdError::Other("ERR EXEC without MULTI"));
    };
    let dirty = ctx.session.watch_dirty.load(Ordering::SeqCst)
        || ctx
            .session
            .watched
            .iter()
            .any(|(_, _, at)| *at != 0 && *at <= ctx.now_ms);
    ctx.inst.watches.unwatch_all(ctx.session);
    if multi.failed {
        return Err(CmdError::Other(
            "EXECABORT Transaction discarded because of previous errors.",
        ));
    }
    if dirty {
        ctx.out.null_array();
        return Ok(());
    }
    ctx.out.array(multi.queue.len());
    // The queued commands replicate themselves, as one unit with EXEC.
    ctx.propagate_nothing();
    ctx.session.in_exec = true;
    let exec = Exec {
        now_ms: ctx.now_ms,
        seed: ctx.seed,
    };
    for (i, argv) in multi.queue.iter().enumerate() {
        call_nested(ctx, argv, exec.nested(i));
    }
    ctx.session.in_exec = false;
    Ok(())
}
