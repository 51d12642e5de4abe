//! Dispatch: from an argument vector to a reply, in Redis's check order —
//! unknown command → arity → authentication → (MULTI queuing, ACL and
//! cluster routing arrive with their issues) → OOM → run — then the
//! bookkeeping every command shares: reply modes, statistics, effects.

use std::sync::atomic::Ordering;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use rand::rngs::SmallRng;

use crate::clients::{ReplyMode, Session};
use crate::commands::spec::{Lookup, EXCLUSIVE, NOT_QUEUED, NO_MULTI, READONLY, WRITE};
use crate::commands::{Action, Args, CmdError, CommandSpec, Ctx};
use crate::instance::{unix_ms, Instance, PauseMode};
use crate::protocol::Reply;
use crate::store::{Change, Effects};

/// What happened to a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Executed (or rejected with an error reply).
    Done(Option<Action>),
    /// `CLIENT PAUSE` holds this command back; retry after the pause.
    Paused,
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

/// Whether a `CLIENT PAUSE` currently holds back `spec`.
fn paused(inst: &Instance, spec: &CommandSpec) -> bool {
    // No pause in force (the common case): no lock.
    if !inst.pause_set.load(Ordering::SeqCst) {
        return false;
    }
    let mut pause = inst.pause.lock();
    match *pause {
        Some((until, _)) if until <= Instant::now() => {
            *pause = None;
            inst.pause_set.store(false, Ordering::SeqCst);
            false
        }
        Some((_, PauseMode::All)) => true,
        Some((_, PauseMode::Write)) => spec.has(WRITE),
        None => false,
    }
}

/// Executes one request, writing its reply into `out`.
pub fn execute(
    inst: &Instance,
    session: &mut Session,
    out: &mut Reply,
    fx: &mut Effects,
    rng: &mut SmallRng,
    argv: &[Bytes],
) -> Outcome {
    let start_len = out.len();
    let mode_before = session.reply_mode;
    let result = run(inst, session, out, fx, rng, argv);
    let action = match result {
        Err(Paused) => return Outcome::Paused,
        Ok(a) => a,
    };
    // CLIENT REPLY: OFF drops everything, SKIP drops the next command's reply.
    match session.reply_mode {
        ReplyMode::Off => out.buf.truncate(start_len),
        ReplyMode::SkipNext => {
            out.buf.truncate(start_len);
            session.reply_mode = ReplyMode::Skipping;
        }
        ReplyMode::Skipping if mode_before == ReplyMode::Skipping => {
            out.buf.truncate(start_len);
            session.reply_mode = ReplyMode::On;
        }
        _ => {}
    }
    let ready = if inst.blocking.is_empty() {
        Vec::new()
    } else {
        super::blocking::written_keys(fx)
    };
    apply_effects(inst, fx);
    super::blocking::serve(inst, ready);
    Outcome::Done(action)
}

/// Folds a command's (or an expiry cycle's) effects into the counters.
pub fn apply_effects(inst: &Instance, fx: &mut Effects) {
    if fx.is_empty() {
        return;
    }
    inst.watches.touch_effects(fx);
    let mut expired = 0;
    let mut dirty = 0;
    // Redis counts one change per key a command touches: `SET k v EX 10`
    // records `set` and `expire` events on one key but dirties it once.
    // Compared in place against the previous key-changing effect: cloning
    // each key to remember it cost more than the rest of this loop.
    let mut last: Option<(usize, &[u8])> = None;
    for e in &fx.list {
        match e.change {
            Change::Expired => expired += 1,
            Change::Evicted => {
                inst.stats.evicted.fetch_add(1, Ordering::Relaxed);
            }
            Change::Ready => {}
            Change::Written(_) | Change::Deleted(_) | Change::Touched => {
                if last.is_none_or(|(db, k)| db != e.db || k != &e.key[..]) {
                    dirty += 1;
                }
                last = Some((e.db, &e.key));
            }
        }
    }
    fx.list.clear();
    if expired > 0 {
        inst.stats.record_expired(expired);
    }
    inst.stats.dirty.fetch_add(dirty, Ordering::Relaxed);
}

struct Paused;

/// A command rejected while a transaction is queued makes `EXEC` fail.
fn flag_transaction(session: &mut Session) {
    if let Some(m) = session.multi.as_mut() {
        m.failed = true;
    }
}

fn reject(inst: &Instance, out: &mut Reply, spec: Option<&'static CommandSpec>, e: &CmdError) {
    let msg = e.to_string();
    inst.stats.record_rejected(spec.map(|s| s.name));
    inst.stats.record_error(&msg);
    out.error(&msg);
}

fn run(
    inst: &Instance,
    session: &mut Session,
    out: &mut Reply,
    fx: &mut Effects,
    rng: &mut SmallRng,
    argv: &[Bytes],
) -> Result<Option<Action>, Paused> {
    let spec = match resolve(argv) {
        Ok(s) => s,
        Err(e) => {
            flag_transaction(session);
            reject(inst, out, None, &e);
            return Ok(None);
        }
    };
    if !spec.arity_ok(argv.len()) {
        let e = CmdError::WrongArity(spec.name);
        if spec.has(EXCLUSIVE) {
            // A rejected EXEC ends the transaction, saying why.
            session.multi = None;
            session.info.multi.store(-1, Ordering::Relaxed);
            inst.watches.unwatch_all(session);
            let msg = e.to_string();
            let why = msg.strip_prefix("ERR ").unwrap_or(&msg);
            reject(
                inst,
                out,
                Some(spec),
                &CmdError::Owned(format!("EXECABORT Transaction discarded because of: {why}")),
            );
            return Ok(None);
        }
        flag_transaction(session);
        reject(inst, out, Some(spec), &e);
        return Ok(None);
    }
    let Some(handler) = spec.handler else {
        // A container called without a subcommand whose arity allowed it.
        reject(inst, out, Some(spec), &CmdError::WrongArity(spec.name));
        return Ok(None);
    };
    if !session.authenticated && spec.flags & crate::commands::spec::NO_AUTH == 0 {
        if inst.auth_required() {
            flag_transaction(session);
            reject(inst, out, Some(spec), &CmdError::NoAuth);
            return Ok(None);
        }
        session.authenticated = true;
    }
    // A monitor is a replica to Redis, and replicas may not touch keys.
    if session.monitor.is_some() && (spec.has(WRITE) || spec.has(READONLY)) {
        flag_transaction(session);
        reject(
            inst,
            out,
            Some(spec),
            &CmdError::Other("ERR Replica can't interact with the keyspace"),
        );
        return Ok(None);
    }
    if let Some(multi) = session.multi.as_mut() {
        if !spec.has(NOT_QUEUED) {
            if spec.has(NO_MULTI) {
                multi.failed = true;
                reject(
                    inst,
                    out,
                    Some(spec),
                    &CmdError::Other("ERR Command not allowed inside a transaction"),
                );
                return Ok(None);
            }
            multi.queue.push(argv.to_vec());
            session.info.multi.store(multi.queue.len() as i64, Ordering::Relaxed);
            out.simple("QUEUED");
            return Ok(None);
        }
    }
    if paused(inst, spec) {
        return Err(Paused);
    }
    session.info.set_last_cmd(spec);
    let start_len = out.len();
    // Two clock reads per command, as Redis's `call()` (`ustime()` before
    // and after): the first is also the command's `now_ms`. The idle time
    // is stamped once per read by the connection, as Redis does.
    let started = SystemTime::now();
    let now_ms = started.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let (result, action) = {
        // EXEC holds every other command back; everything else shares.
        let (_exclusive, _shared);
        if spec.has(EXCLUSIVE) {
            _exclusive = inst.gate.write();
        } else {
            _shared = inst.gate.read();
        }
        invoke_at(inst, session, out, fx, rng, spec, handler, argv, now_ms)
    };
    let failed = match result {
        Ok(()) => false,
        Err(e) => {
            // Handlers parse before writing, but never leave half a reply.
            out.buf.truncate(start_len);
            let msg = e.to_string();
            inst.stats.record_error(&msg);
            out.error(&msg);
            true
        }
    };
    // A blocked command is counted when it is finally served or times out.
    if !matches!(action, Some(Action::Block(_))) {
        // A wall clock stepped back counts as no time, as in Redis.
        let mut took = started.elapsed().unwrap_or_default();
        // Redis's `DEBUG SLEEP` sleeps inside the command, so its slow-log
        // entry and latency sample include the sleep; ours sleeps after the
        // handler, so add it.
        if let Some(Action::Sleep(d)) = &action {
            took += *d;
        }
        inst.stats.record_call(spec.name, took, failed);
        inst.slowlog.observe(&inst.config, spec, took, argv, &session.info);
        inst.latency.observe(&inst.config, spec, took);
    }
    // Fed once, when first run (a blocking command is not fed again when
    // it is served).
    inst.monitors.feed(spec, session.db, &session.info, argv);
    Ok(action)
}

/// Calls a handler with a fresh context; returns its result and action.
#[allow(clippy::too_many_arguments)]
pub fn invoke(
    inst: &Instance,
    session: &mut Session,
    out: &mut Reply,
    fx: &mut Effects,
    rng: &mut SmallRng,
    spec: &'static CommandSpec,
    handler: crate::commands::Handler,
    argv: &[Bytes],
) -> (Result<(), CmdError>, Option<Action>) {
    invoke_at(inst, session, out, fx, rng, spec, handler, argv, unix_ms())
}

/// [`invoke`] at a given time (Unix ms).
#[allow(clippy::too_many_arguments)]
fn invoke_at(
    inst: &Instance,
    session: &mut Session,
    out: &mut Reply,
    fx: &mut Effects,
    rng: &mut SmallRng,
    spec: &'static CommandSpec,
    handler: crate::commands::Handler,
    argv: &[Bytes],
    now_ms: u64,
) -> (Result<(), CmdError>, Option<Action>) {
    let mut ctx = Ctx {
        inst,
        session,
        out,
        fx,
        now_ms,
        rng,
        spec,
        action: None,
    };
    let mut args = Args::new(argv);
    let result = handler(&mut ctx, &mut args);
    (result, ctx.action)
}
