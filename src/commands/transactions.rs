//! Transactions: `MULTI`, `EXEC`, `DISCARD`, `WATCH`, `UNWATCH`.
//!
//! Queuing happens in dispatch (after the arity and authentication checks,
//! as in Redis); this module owns what the commands do and the registry of
//! watched keys. `EXEC` runs with the `EXCLUSIVE` flag, so dispatch holds
//! every other command back while the queued ones run: the transaction is
//! atomic. A watched key counts as modified when any command writes,
//! deletes or expires it (effects), when a flush or `SWAPDB` touches it, or
//! when it was volatile at `WATCH` time and its TTL has passed by `EXEC`.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use hashbrown::HashMap;
use parking_lot::Mutex;

use super::spec::Lookup;
use super::{Action, Args, CmdError, Ctx, TimeoutReply};
use crate::clients::{Multi, Session};
use crate::store::{Change, Effects};

/// A watcher: its client id and the flag set when a watched key changes.
type Watcher = (u64, Arc<AtomicBool>);

/// Every watched key and the flags of the clients watching it.
#[derive(Debug, Default)]
pub struct Watches {
    map: Mutex<HashMap<(usize, Bytes), Vec<Watcher>>>,
    /// Number of watched (db, key) entries: writes skip the lock when 0.
    count: AtomicUsize,
}

impl Watches {
    /// Marks the watchers of every key written, deleted, expired or evicted.
    pub fn touch_effects(&self, fx: &Effects) {
        if self.count.load(Ordering::Relaxed) == 0 {
            return;
        }
        let map = self.map.lock();
        for e in fx.list.iter().filter(|e| e.change != Change::Ready) {
            if let Some(ws) = map.get(&(e.db, e.key.clone())) {
                for (_, flag) in ws {
                    flag.store(true, Ordering::SeqCst);
                }
            }
        }
    }

    /// Marks the watchers of keys of database `db` for which `affected` says
    /// yes (a flush touches the keys that existed, `SWAPDB` those present in
    /// either database).
    pub fn touch_db(&self, db: usize, mut affected: impl FnMut(&[u8]) -> bool) {
        if self.count.load(Ordering::Relaxed) == 0 {
            return;
        }
        let map = self.map.lock();
        for ((d, key), ws) in map.iter() {
            if *d == db && affected(key) {
                for (_, flag) in ws {
                    flag.store(true, Ordering::SeqCst);
                }
            }
        }
    }

    fn watch(&self, session: &mut Session, db: usize, key: Bytes, expire_at: u64) {
        if session.watched.iter().any(|(d, k, _)| *d == db && *k == key) {
            return;
        }
        let mut map = self.map.lock();
        let entry = map.entry((db, key.clone())).or_default();
        if entry.is_empty() {
            self.count.fetch_add(1, Ordering::Relaxed);
        }
        entry.push((session.info.id, session.watch_dirty.clone()));
        session.watched.push((db, key, expire_at));
    }

    /// Forgets every key `session` watches and clears its dirty flag.
    pub fn unwatch_all(&self, session: &mut Session) {
        if !session.watched.is_empty() {
            let mut map = self.map.lock();
            for (db, key, _) in session.watched.drain(..) {
                let k = (db, key);
                if let Some(ws) = map.get_mut(&k) {
                    ws.retain(|(id, _)| *id != session.info.id);
                    if ws.is_empty() {
                        map.remove(&k);
                        self.count.fetch_sub(1, Ordering::Relaxed);
                    }
                }
            }
        }
        session.watch_dirty.store(false, Ordering::SeqCst);
    }

    /// Number of watched keys (`INFO`'s `watching_clients` era helpers).
    pub fn len(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// Whether no key is watched.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

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
        let expire_at = db.peek(key, ctx.now_ms, ctx.fx, |e| e.map_or(0, |e| e.expire_at));
        ctx.inst.watches.watch(ctx.session, db.index, key.clone(), expire_at);
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
    let lookup = Lookup::get();
    ctx.session.in_exec = true;
    for argv in &multi.queue {
        run_queued(ctx, lookup, argv);
    }
    ctx.session.in_exec = false;
    Ok(())
}

/// Runs one queued command inside `EXEC`, writing its reply (or error).
fn run_queued(ctx: &mut Ctx<'_>, lookup: &Lookup, argv: &[Bytes]) {
    // Queued commands were resolved and arity-checked when queued.
    let spec = lookup.command(&argv[0]).and_then(|spec| {
        if !spec.subcommands.is_empty() && argv.len() >= 2 {
            lookup.subcommand(spec, &argv[1])
        } else {
            Some(spec)
        }
    });
    let Some((spec, handler)) = spec.and_then(|s| s.handler.map(|h| (s, h))) else {
        ctx.out.error("ERR unknown command");
        return;
    };
    let start_len = ctx.out.len();
    let started = Instant::now();
    let mut inner = Ctx {
        inst: ctx.inst,
        session: &mut *ctx.session,
        out: &mut *ctx.out,
        fx: &mut *ctx.fx,
        now_ms: ctx.now_ms,
        rng: &mut *ctx.rng,
        spec,
        action: None,
    };
    let mut args = Args::new(argv);
    let result = handler(&mut inner, &mut args);
    let action = inner.action.take();
    let failed = match result {
        Ok(()) => {
            // Inside a transaction nothing waits: a blocking command that
            // found nothing answers as if its timeout had passed.
            if let Some(Action::Block(b)) = action {
                match b.on_timeout {
                    TimeoutReply::NullArray => ctx.out.null_array(),
                    TimeoutReply::NullBulk => ctx.out.null(),
                }
            }
            false
        }
        Err(e) => {
            ctx.out.buf.truncate(start_len);
            let msg = e.to_string();
            ctx.inst.stats.record_error(&msg);
            ctx.out.error(&msg);
            true
        }
    };
    let took = started.elapsed();
    ctx.inst.stats.record_call(spec.name, took, failed);
    ctx.inst
        .slowlog
        .observe(&ctx.inst.config, spec, took, argv, &ctx.session.info);
    ctx.inst.latency.observe(&ctx.inst.config, spec, took);
    ctx.inst.monitors.feed(spec, ctx.session.db, &ctx.session.info, argv);
}
