//! THE `call()`: the one place a command runs. The connection (through
//! dispatch), `EXEC`, a woken blocked client, the active expiry cycle and
//! the apply of a replicated unit all come through here, and only here are
//! statistics, SLOWLOG, LATENCY, MONITOR, the effects fan-out and the
//! replicated command stream fed.
//!
//! Determinism: a command's outcome depends only on the store, its argv and
//! the [`Exec`] its caller supplies (`now_ms`, `seed`); the handler's
//! randomness is a generator seeded from `seed`, and the store's hash seeds
//! belong to the dataset, not the process.
//!
//! Invariants: a top-level call holds the gate (shared, or exclusive for
//! `EXEC` and whenever the replicated stream has a listener, so that the
//! stream's order is the execution order); nested calls (`EXEC`'s queued
//! commands) run under their parent's gate and leave fan-out and emission
//! to it; effects are fanned out exactly once, after the command; blocked
//! clients are served after the gate is released, each through `call()`.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::time::Instant;

use bytes::Bytes;
use rand::rngs::SmallRng;
use rand::SeedableRng;

use super::spec::{Lookup, ADMIN, EXCLUSIVE, FAST, SKIP_MONITOR, SKIP_SLOWLOG};
use super::{Action, Args, CmdError, CommandSpec, Ctx, TimeoutReply};
use crate::node::blocking::Wake;
use crate::node::clients::Session;
use crate::node::fanout::fan_out;
use crate::node::replication::ReplOp;
use crate::node::Instance;
use crate::protocol::Reply;
use crate::store::{Change, Effects};

/// The execution context a caller supplies: the command's time and the
/// seed of its randomness. On a single node these are the wall clock and a
/// fresh random number; a replica applying a log entry uses the entry's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exec {
    /// The command's time (Unix ms).
    pub now_ms: u64,
    /// The seed of the command's random choices.
    pub seed: u64,
}

impl Exec {
    /// The context of the `i`-th command nested in this one (`EXEC`'s
    /// queued commands): the same time, a seed derived from position.
    pub fn nested(&self, i: usize) -> Exec {
        Exec {
            now_ms: self.now_ms,
            seed: splitmix64(self.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        }
    }
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A command's random generator, seeded from its [`Exec::seed`] on first
/// use: most commands draw nothing, and seeding costs more than the rest of
/// their bookkeeping.
#[derive(Debug)]
pub struct CommandRng {
    seed: u64,
    rng: Option<SmallRng>,
}

impl CommandRng {
    /// A generator that will be seeded from `seed`.
    pub fn new(seed: u64) -> Self {
        CommandRng { seed, rng: None }
    }

    fn get(&mut self) -> &mut SmallRng {
        let seed = self.seed;
        self.rng.get_or_insert_with(|| SmallRng::seed_from_u64(seed))
    }
}

impl rand::RngCore for CommandRng {
    fn next_u32(&mut self) -> u32 {
        self.get().next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        self.get().next_u64()
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        self.get().fill_bytes(dst)
    }
}

/// The replicated form being built by a call and its nested calls.
#[derive(Debug, Default)]
pub struct Propagation {
    /// Whether the stream has a listener (else nothing is built).
    pub active: bool,
    /// The writes so far, in order.
    pub ops: Vec<ReplOp>,
    /// The handler gave its own replicated form (or asked for none).
    custom: bool,
    /// Effects up to this index were already turned into `DEL`s.
    fx_seen: usize,
    /// How many of `ops` are expiry `DEL`s (when all are, each is emitted
    /// as its own unit, as Redis does not wrap a read's lazy expiries in
    /// `MULTI`/`EXEC`).
    expiries: usize,
    /// Effects of the running command whose replicated form a handler gave
    /// with [`Propagation::also`] (lazily expired hash fields): they alone
    /// do not make the command itself propagate.
    covered: usize,
    /// Applying the primary's stream: a replica passes it on to its own
    /// replicas (its clients' writes are refused, so nothing else is).
    from_primary: bool,
}

impl Propagation {
    /// A propagation that records when `active`.
    pub fn new(active: bool) -> Self {
        Propagation {
            active,
            ..Default::default()
        }
    }

    /// Records `argv` to apply in `db` as the (or part of the) replicated
    /// form of the running command, which then is not propagated as sent.
    pub fn push(&mut self, db: usize, argv: Vec<Bytes>) {
        self.custom = true;
        if self.active {
            self.ops.push(ReplOp { db, argv });
        }
    }

    /// Records `argv` to apply in `db` before the running command's own
    /// form, which it does not replace (Redis's `alsoPropagate` of a lazy
    /// expiry); `effects` of the command's recorded effects are what
    /// `argv` replicates.
    pub fn also(&mut self, db: usize, argv: Vec<Bytes>, effects: usize) {
        self.covered += effects;
        if self.active {
            self.ops.push(ReplOp { db, argv });
        }
    }

    /// The running command propagates nothing of its own (what it wrote
    /// reached the stream by other means, as `EXEC`'s queued commands).
    pub fn suppress(&mut self) {
        self.custom = true;
    }
}

/// Where a call runs: the shared state and the calling client's.
pub struct Env<'a> {
    /// Shared server state.
    pub inst: &'a Instance,
    /// The calling client.
    pub session: &'a mut Session,
    /// Its reply buffer.
    pub out: &'a mut Reply,
    /// Effects, shared by nested calls.
    pub fx: &'a mut Effects,
    /// The replicated form, shared by nested calls.
    pub prop: &'a mut Propagation,
    /// Nesting: 0 for a top-level call.
    pub depth: u32,
    /// When the caller read the clock for the command's time, if it did
    /// (dispatch): the duration is measured from it, saving a clock read.
    pub started: Option<std::time::SystemTime>,
}

/// The start of a command's timing: the caller's wall-clock read when it
/// made one, else a fresh monotonic one.
enum Clock {
    Wall(std::time::SystemTime),
    Mono(Instant),
}

impl Clock {
    fn start(wall: Option<std::time::SystemTime>) -> Clock {
        match wall {
            Some(t) => Clock::Wall(t),
            None => Clock::Mono(Instant::now()),
        }
    }

    /// Time since the start; a wall clock stepped back counts as none.
    fn elapsed(&self) -> std::time::Duration {
        match self {
            Clock::Wall(t) => t.elapsed().unwrap_or_default(),
            Clock::Mono(t) => t.elapsed(),
        }
    }
}

/// What a call did.
#[derive(Debug)]
pub struct Called {
    /// Whether the command replied with an error.
    pub failed: bool,
    /// A re-run for a woken client met another type: nothing was replied
    /// or counted, and the client keeps waiting (Redis 7.0).
    pub wrong_type: bool,
    /// What the connection must do afterwards (top level only).
    pub action: Option<Action>,
}

/// Runs `spec` (already resolved and checked) with `argv`: the handler,
/// its error reply, statistics, SLOWLOG, LATENCY, MONITOR, and at the top
/// level the effects fan-out, the replicated stream and the serving of
/// clients blocked on the keys it wrote.
pub fn call(env: &mut Env<'_>, spec: &'static CommandSpec, argv: &[Bytes], exec: Exec) -> Called {
    if env.depth > 0 {
        return call_inner(env, spec, argv, exec, false);
    }
    let inst = env.inst;
    // A caller on the wall clock (dispatch) serves woken clients at the
    // time they are served, as Redis refreshes its cached time before
    // `handleClientsBlockedOnKeys`; a caller with a chosen time keeps it.
    let live_clock = env.started.is_some();
    let ready = {
        // EXEC holds every other command back; everything else shares,
        // unless the stream has a listener: its order must be the
        // execution order.
        let replicating = inst.replication.is_active();
        let _gate = enter(inst, spec.has(EXCLUSIVE));
        env.prop.active = replicating;
        env.fx.track_new = crate::node::notify::wants_new(inst);
        let called = call_inner(env, spec, argv, exec, false);
        let ready = finish(inst, env.fx, env.prop, exec.now_ms);
        if matches!(called.action, Some(Action::Block(_))) {
            // Parked: nothing it did can wake anyone (it wrote nothing).
            return called;
        }
        (called, ready)
    };
    let (called, ready) = ready;
    if !ready.is_empty() {
        let now = if live_clock {
            crate::node::instance::unix_ms().max(exec.now_ms)
        } else {
            exec.now_ms
        };
        serve_blocked(inst, ready, now);
    }
    called
}

/// The gate as a top-level call holds it.
enum Gate<'a> {
    /// Commands run side by side.
    Shared(#[allow(dead_code)] parking_lot::RwLockReadGuard<'a, ()>),
    /// Nothing else runs.
    Exclusive(#[allow(dead_code)] parking_lot::RwLockWriteGuard<'a, ()>),
}

/// Takes the gate: exclusively for `EXEC` (`exclusive`), while the stream
/// has a listener (its order must be the execution order) or while an
/// effect listener reads values; shared otherwise.
fn enter(inst: &Instance, exclusive: bool) -> Gate<'_> {
    if exclusive || inst.replication.is_active() || inst.effect_listeners.need_values() {
        Gate::Exclusive(inst.gate.write())
    } else {
        Gate::Shared(inst.gate.read())
    }
}

/// Fans out the effects and emits the replicated form gathered so far;
/// returns the keys whose blocked clients should be served. Must run under
/// the gate.
#[inline]
fn finish(inst: &Instance, fx: &mut Effects, prop: &mut Propagation, now_ms: u64) -> Vec<(usize, Bytes)> {
    if prop.active {
        expiry_dels(fx, prop, prop.ops.len());
        let ops = std::mem::take(&mut prop.ops);
        let only_expiries = prop.expiries == ops.len();
        prop.expiries = 0;
        // A replica emits only what its primary sent (Redis's
        // `shouldPropagate`): a transaction that turned it into a replica
        // midway is not passed on.
        if !inst.is_replica() || prop.from_primary {
            if only_expiries {
                for op in ops {
                    inst.replication.emit(now_ms, vec![op]);
                }
            } else {
                inst.replication.emit(now_ms, ops);
            }
        }
    }
    prop.fx_seen = 0;
    fan_out(inst, fx)
}

/// Inserts, at `at`, a `DEL` for every key expired since the effects last
/// seen: an expiry happens before the write that met it, and a replica
/// must remove the key first (Redis propagates lazy expiry the same way).
fn expiry_dels(fx: &Effects, prop: &mut Propagation, at: usize) {
    let start = prop.fx_seen.min(fx.len());
    let dels: Vec<ReplOp> = fx.list[start..]
        .iter()
        .filter(|e| e.change == Change::Expired)
        .map(|e| ReplOp {
            db: e.db,
            argv: vec![Bytes::from_static(b"DEL"), e.key.clone()],
        })
        .collect();
    prop.fx_seen = fx.len();
    prop.expiries += dels.len();
    if !dels.is_empty() {
        let at = at.min(prop.ops.len());
        prop.ops.splice(at..at, dels);
    }
}

/// The handler and its bookkeeping, without gate, fan-out or emission.
/// `rerun`: a parked command run again for a woken client (MONITOR saw it
/// when it first ran).
#[inline(always)]
fn call_inner(env: &mut Env<'_>, spec: &'static CommandSpec, argv: &[Bytes], exec: Exec, rerun: bool) -> Called {
    let inst = env.inst;
    let Some(handler) = spec.handler else {
        // A container called without a subcommand its arity allowed.
        let msg = CmdError::WrongArity(spec.name).to_string();
        inst.stats.record_error(&msg);
        env.out.error(&msg);
        return Called {
            failed: true,
            wrong_type: false,
            action: None,
        };
    };
    env.session.info.set_last_cmd(spec as *const CommandSpec as usize);
    let start_len = env.out.len();
    let fx_start = env.fx.len();
    let ops_start = env.prop.ops.len();
    let outer_custom = std::mem::replace(&mut env.prop.custom, false);
    let outer_covered = std::mem::replace(&mut env.prop.covered, 0);
    let clock = Clock::start(env.started.take());
    let mut rng = CommandRng::new(exec.seed);
    let mut ctx = Ctx {
        inst,
        session: &mut *env.session,
        out: &mut *env.out,
        fx: &mut *env.fx,
        now_ms: exec.now_ms,
        seed: exec.seed,
        rng: &mut rng,
        spec,
        action: None,
        prop: &mut *env.prop,
        depth: env.depth,
    };
    let mut args = Args::new(argv);
    let result = handler(&mut ctx, &mut args);
    let mut action = ctx.action.take();
    let failed = match result {
        Ok(()) => false,
        Err(CmdError::WrongType) if rerun => {
            env.out.buf.truncate(start_len);
            env.prop.custom = outer_custom;
            env.prop.covered = outer_covered;
            return Called {
                failed: true,
                wrong_type: true,
                action: None,
            };
        }
        Err(e) => {
            // Handlers parse before writing, but never leave half a reply.
            env.out.buf.truncate(start_len);
            let msg = e.to_string();
            inst.stats.record_error(&msg);
            env.out.error(&msg);
            true
        }
    };
    if env.depth > 0 {
        // Inside a transaction nothing waits: a blocking command that
        // found nothing answers as if its timeout had passed.
        if let Some(Action::Block(b)) = action.take() {
            match b.on_timeout {
                TimeoutReply::NullArray => env.out.null_array(),
                TimeoutReply::NullBulk => env.out.null(),
            }
        }
    }
    let blocked = matches!(action, Some(Action::Block(_)));
    // A blocked command is counted when it is finally served or times out.
    if !blocked {
        let mut took = clock.elapsed();
        // Redis's `DEBUG SLEEP` sleeps inside the command, so its slow-log
        // entry and latency sample include the sleep; ours sleeps after the
        // handler, so add it.
        if let Some(Action::Sleep(d)) = &action {
            took += *d;
        }
        inst.stats.record_call(spec.name, took, failed);
        if !spec.has(SKIP_SLOWLOG) {
            inst.slowlog.observe(&inst.config, took, argv, &env.session.info);
        }
        inst.latency.observe(&inst.config, spec.has(FAST), took);
    }
    if !rerun && !inst.monitors.is_empty() && !spec.has(ADMIN) && !spec.has(SKIP_MONITOR) {
        inst.monitors.feed(env.session.db, &env.session.info, argv);
    }
    if env.prop.active {
        let custom = env.prop.custom;
        let writes = env.fx.list[fx_start..]
            .iter()
            .filter(|e| e.change.is_modification() && e.change != Change::Expired)
            .count();
        let wrote = writes > env.prop.covered;
        expiry_dels(env.fx, env.prop, ops_start);
        if !custom && wrote {
            env.prop.ops.push(ReplOp {
                db: env.session.db,
                argv: argv.to_vec(),
            });
        }
    }
    env.prop.custom = outer_custom;
    env.prop.covered = outer_covered;
    Called {
        failed,
        wrong_type: false,
        action,
    }
}

/// Runs a command nested in the running one (`EXEC`'s queued commands):
/// resolved again by name (it was checked when queued), under the
/// parent's gate, with the parent's effects and replicated form.
pub fn call_nested(ctx: &mut Ctx<'_>, argv: &[Bytes], exec: Exec) -> Called {
    let lookup = Lookup::get();
    let spec = lookup.command(&argv[0]).and_then(|spec| {
        if !spec.subcommands.is_empty() && argv.len() >= 2 {
            lookup.subcommand(spec, &argv[1])
        } else {
            Some(spec)
        }
    });
    let Some(spec) = spec else {
        ctx.out.error("ERR unknown command");
        return Called {
            failed: true,
            wrong_type: false,
            action: None,
        };
    };
    let mut env = Env {
        inst: ctx.inst,
        session: &mut *ctx.session,
        out: &mut *ctx.out,
        fx: &mut *ctx.fx,
        prop: &mut *ctx.prop,
        depth: ctx.depth + 1,
        started: None,
    };
    call_inner(&mut env, spec, argv, exec, false)
}

/// Serves the clients parked on `ready` keys, first come first served, as
/// Redis's `handleClientsBlockedOnKeys`: each parked command is run again
/// through `call()` with the woken client's session. One that still finds
/// nothing (it asks to block again) or meets another type (Redis 7.0 keeps
/// such clients waiting) stays parked in its place; anything else (a reply
/// or an error) is sent to the client and unparks it. Keys written by the
/// re-runs (`BLMOVE` pushes) are served in turn.
pub fn serve_blocked(inst: &Instance, ready: Vec<(usize, Bytes)>, now_ms: u64) {
    if ready.is_empty() || inst.blocking.is_empty() {
        return;
    }
    let mut ready: VecDeque<(usize, Bytes)> = ready.into();
    // The seeds of the re-runs: derived from the time and position, so a
    // replica applying the same wake-ups draws the same.
    let mut n = 0u64;
    // Bounded: every pass either unparks a client or moves past a key.
    let mut budget = 100_000usize;
    while let Some(key) = ready.pop_front() {
        // The gate before the registry, in the order a handler that unparks
        // (`CLIENT UNBLOCK`, which runs under the gate) takes them.
        let exclusive = inst.replication.is_active();
        let _gate = enter(inst, false);
        let mut parked = inst.blocking.lock();
        let mut more = Vec::new();
        for id in parked.queue(&key) {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return;
            }
            let Some(w) = parked.get(id) else { continue };
            // A killed client's task may not have unparked itself yet: it
            // must not consume what is pushed after the kill.
            if w.session.info.killed.load(Ordering::SeqCst) {
                continue;
            }
            let mut session = w.session.clone();
            session.ready_key = Some(key.1.clone());
            let argv = w.argv.clone();
            let Ok(spec) = resolve(&argv) else { continue };
            let mut out = Reply::new();
            out.resp = session.info.resp.load(Ordering::Relaxed);
            let mut fx = Effects::new();
            fx.track_new = crate::node::notify::wants_new(inst);
            let mut prop = Propagation::new(exclusive);
            n += 1;
            let exec = Exec {
                now_ms,
                seed: splitmix64(now_ms ^ n),
            };
            let called = {
                let mut env = Env {
                    inst,
                    session: &mut session,
                    out: &mut out,
                    fx: &mut fx,
                    prop: &mut prop,
                    depth: 0,
                    started: None,
                };
                call_inner(&mut env, spec, &argv, exec, true)
            };
            // A re-run that parks again is no call; its lazy expiries
            // still count and replicate.
            more.extend(finish(inst, &mut fx, &mut prop, now_ms));
            if called.wrong_type || matches!(called.action, Some(Action::Block(_))) {
                // Still nothing to serve, or the key now holds another type:
                // keep waiting in place.
                continue;
            }
            parked.finish(id, Wake::Reply(out.buf.to_vec()));
        }
        drop(parked);
        for k in more {
            if !ready.contains(&k) {
                ready.push_back(k);
            }
        }
    }
}

/// The full name of the table row at address `addr` (what a client's
/// `last_cmd` holds), for `CLIENT LIST`'s `cmd=`.
pub fn row_name(addr: usize) -> Option<&'static str> {
    fn find(rows: &'static [CommandSpec], addr: usize) -> Option<&'static str> {
        rows.iter().find_map(|r| {
            if std::ptr::eq(r, addr as *const CommandSpec) {
                Some(r.name)
            } else {
                find(r.subcommands, addr)
            }
        })
    }
    find(super::table::COMMANDS, addr)
}

/// Every row's name (commands and subcommands), for per-command statistics.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    super::table::COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.subcommands.iter().map(|s| s.name)))
}

/// Resolves the row for `argv`, or the error Redis replies with.
pub fn resolve(argv: &[Bytes]) -> Result<&'static CommandSpec, CmdError> {
    let lookup = Lookup::get();
    // `client|list` names a subcommand for COMMAND INFO; as a command name it
    // is unknown, as in Redis.
    let Some(spec) = lookup.command(&argv[0]).filter(|_| !argv[0].contains(&b'|')) else {
        return Err(unknown_command(argv));
    };
    if !spec.subcommands.is_empty() && argv.len() >= 2 {
        return lookup
            .subcommand(spec, &argv[1])
            .ok_or_else(|| CmdError::UnknownSubcommand {
                sub: truncated(&argv[1], 128),
                parent: String::from_utf8_lossy(&argv[0]).to_uppercase(),
            });
    }
    Ok(spec)
}

fn truncated(b: &[u8], max: usize) -> String {
    String::from_utf8_lossy(&b[..b.len().min(max)]).into_owned()
}

/// Redis's unknown-command text: the name (128 bytes at most) and the first
/// arguments, each quoted and followed by a space, up to 128 bytes in all.
fn unknown_command(argv: &[Bytes]) -> CmdError {
    let mut args = String::new();
    for a in &argv[1..] {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        args.push('\'');
        args.push_str(&truncated(a, room));
        args.push_str("' ");
    }
    CmdError::UnknownCommand {
        name: truncated(&argv[0], 128),
        args,
    }
}

/// One active expiry cycle (the primary's decision): removes expired keys
/// and hash fields within `budget`, replicates each removal as `DEL` (a
/// hash's expired fields as one `HDEL`), fans the effects
/// out and serves clients blocked on the removed keys (an `XREADGROUP`
/// waiting on a stream that vanished gets its error).
pub fn expire_cycle(inst: &Instance, now_ms: u64, budget: std::time::Duration, cursor: &mut usize) -> usize {
    let mut fx = Effects::new();
    let ready;
    let removed;
    {
        let exclusive = inst.replication.is_active();
        let _gate = enter(inst, false);
        let mut fields = Vec::new();
        removed = inst
            .store
            .active_expire_cycle(now_ms, budget, cursor, &mut fx, exclusive.then_some(&mut fields));
        let mut prop = Propagation::new(exclusive);
        // Expired hash fields replicate as their `HDEL` (Redis 7.4).
        for f in fields {
            let mut argv = Vec::with_capacity(f.fields.len() + 2);
            argv.push(Bytes::from_static(b"HDEL"));
            argv.push(Bytes::from(f.key));
            argv.extend(f.fields.into_iter().map(Bytes::from));
            prop.ops.push(ReplOp { db: f.db, argv });
        }
        ready = finish(inst, &mut fx, &mut prop, now_ms);
    }
    serve_blocked(inst, ready, now_ms);
    removed
}

/// One eviction run (Redis's `performEvictions`, the primary's decision,
/// made before a command runs): when `used_memory` is over `maxmemory`,
/// evicts keys under `maxmemory-policy` until it is not, nothing more can
/// go, or the `maxmemory-eviction-tenacity` time limit passes. Each
/// eviction is an `Evicted` effect (keyspace event `evicted`, WATCH,
/// `evicted_keys`) and replicates as its own `DEL`. A replica never evicts
/// (as with Redis's default `replica-ignore-maxmemory yes`): its primary's
/// `DEL`s do.
pub fn evict_cycle(inst: &Instance, now_ms: u64, seed: u64) -> crate::store::evict::Outcome {
    use crate::store::evict::{self, EvictParams, Outcome, Policy};
    let max = inst.config.hot(crate::config::Hot::Maxmemory);
    // A follower's store never removes a key by itself, so a replica never
    // evicts, whatever `replica-ignore-maxmemory` says (`no` is accepted
    // for compatibility); its primary's `DEL`s keep it in step.
    if max <= 0 || inst.is_replica() || inst.store.is_follower() {
        return Outcome::Ok;
    }
    let used = super::server::used_memory(inst);
    let max = max as u64;
    if used <= max {
        inst.note_over_maxmemory(false);
        return Outcome::Ok;
    }
    let params = EvictParams {
        policy: Policy::parse(&inst.config.get("maxmemory-policy")).unwrap_or(Policy::NoEviction),
        samples: inst.config.get_i64("maxmemory-samples").clamp(1, 10_000) as usize,
        decay_time: inst.config.get_i64("lfu-decay-time").clamp(0, i64::from(i32::MAX)) as u32,
        time_limit: evict::time_limit(inst.config.get_i64("maxmemory-eviction-tenacity")),
        lazy_free: inst.config.get_bool("lazyfree-lazy-eviction"),
    };
    // Redis replicates a lazily freed eviction as `UNLINK`.
    let del: &'static [u8] = if params.lazy_free { b"UNLINK" } else { b"DEL" };
    let mut garbage = Vec::new();
    let mut fx = Effects::new();
    let ready;
    let outcome;
    {
        let _gate = enter(inst, false);
        let mut ev = inst.evictor.lock();
        // Measured again under the evictor's lock: a run that held it
        // meanwhile (another connection's, the background cycle's) may
        // have freed enough already, and must not be freed twice over.
        let to_free = super::server::used_memory(inst).saturating_sub(max);
        ev.reseed(seed);
        let started = Instant::now();
        (outcome, _) = ev.evict(&inst.store, &params, now_ms, to_free, &mut fx, &mut garbage);
        drop(ev);
        inst.latency
            .observe_event(&inst.config, "eviction-cycle", started.elapsed());
        inst.note_over_maxmemory(outcome != Outcome::Ok);
        if inst.replication.is_active() {
            // Each eviction is its own unit, as Redis propagates them.
            for e in fx.list.iter().filter(|e| e.change == Change::Evicted) {
                let op = ReplOp {
                    db: e.db,
                    argv: vec![Bytes::from_static(del), e.key.clone()],
                };
                inst.replication.emit(now_ms, vec![op]);
            }
        }
        ready = fan_out(inst, &mut fx);
    }
    if !garbage.is_empty() {
        // `lazyfree-lazy-eviction`: large values are freed off the
        // command's path, as `FLUSHALL ASYNC` frees.
        std::thread::spawn(move || drop(garbage));
    }
    serve_blocked(inst, ready, now_ms);
    outcome
}

/// Runs one command for an internal caller (a test, and later a script's
/// `redis.call` or a Raft apply) as [`run_as_client`] does, at `now_ms`
/// with a seed derived from it, and returns the raw RESP reply. A command
/// that would block answers as it would inside `MULTI`.
pub fn run_command(inst: &Instance, session: &mut Session, argv: &[Bytes], now_ms: u64) -> Vec<u8> {
    let exec = Exec {
        now_ms,
        seed: splitmix64(now_ms),
    };
    let (mut reply, action) = run_as_client(inst, session, argv, exec);
    if let Some(Action::Block(b)) = action {
        let mut out = Reply::new();
        out.resp = session.info.resp.load(Ordering::Relaxed);
        match b.on_timeout {
            TimeoutReply::NullArray => out.null_array(),
            TimeoutReply::NullBulk => out.null(),
        }
        reply.extend_from_slice(&out.buf);
    }
    reply
}

/// Applies one replicated unit (from another node's stream) on this node,
/// which should be in follower mode: each op through `call()` as a nested
/// command of an internal client, under one gate, then fan-out and
/// emission (a follower may feed its own listeners). Returns the number of
/// ops that answered an error (0 when the unit applied cleanly).
pub fn apply_replicated(inst: &Instance, session: &mut Session, unit: &crate::node::replication::Replicated) -> usize {
    let mut out = Reply::new();
    let mut fx = Effects::new();
    fx.track_new = crate::node::notify::wants_new(inst);
    let exclusive = inst.replication.is_active();
    let mut prop = Propagation::new(exclusive);
    prop.from_primary = true;
    let mut errors = 0;
    let ready;
    {
        let _gate = inst.gate.write();
        for (i, op) in unit.ops.iter().enumerate() {
            if op.argv.is_empty() {
                continue;
            }
            let Ok(spec) = resolve(&op.argv) else {
                errors += 1;
                continue;
            };
            if !spec.arity_ok(op.argv.len()) {
                errors += 1;
                continue;
            }
            session.select(op.db);
            // A replicated form never depends on the seed; a fixed one
            // keeps the apply itself deterministic.
            let exec = Exec {
                now_ms: unit.now_ms,
                seed: i as u64,
            };
            let mut env = Env {
                inst,
                session: &mut *session,
                out: &mut out,
                fx: &mut fx,
                prop: &mut prop,
                depth: 1,
                started: None,
            };
            if call_inner(&mut env, spec, &op.argv, exec, false).failed {
                errors += 1;
            }
            out.buf.clear();
        }
        ready = finish(inst, &mut fx, &mut prop, unit.now_ms);
    }
    serve_blocked(inst, ready, unit.now_ms);
    errors
}

/// Runs one command as `session`'s client would send it, with the full
/// `call()` but no socket: at a chosen `exec` (time and seed), resolved
/// and arity-checked, queued inside `MULTI` as dispatch does,
/// and a blocking command that found nothing is not answered: the
/// returned action asks to park it (see `server/connection.rs`), so the
/// caller can park it with `inst.blocking.park` and be served by later
/// writes. The checks dispatch makes for the network (authentication,
/// ACL, OOM, pause) are not made.
pub fn run_as_client(inst: &Instance, session: &mut Session, argv: &[Bytes], exec: Exec) -> (Vec<u8>, Option<Action>) {
    let mut out = Reply::new();
    out.resp = session.info.resp.load(Ordering::Relaxed);
    let spec = match resolve(argv) {
        Ok(spec) if spec.arity_ok(argv.len()) => spec,
        Ok(spec) => {
            out.error(&CmdError::WrongArity(spec.name).to_string());
            return (out.buf.to_vec(), None);
        }
        Err(e) => {
            out.error(&e.to_string());
            return (out.buf.to_vec(), None);
        }
    };
    if let Some(multi) = session.multi.as_mut() {
        if !spec.has(super::spec::NOT_QUEUED) {
            multi.queue.push(argv.to_vec());
            multi.flags |= spec.flags;
            session.info.multi.store(multi.queue.len() as i64, Ordering::Relaxed);
            out.simple("QUEUED");
            return (out.buf.to_vec(), None);
        }
    }
    let mut fx = Effects::new();
    let mut prop = Propagation::default();
    let mut env = Env {
        inst,
        session,
        out: &mut out,
        fx: &mut fx,
        prop: &mut prop,
        depth: 0,
        started: None,
    };
    let action = call(&mut env, spec, argv, exec).action;
    (out.buf.to_vec(), action)
}
