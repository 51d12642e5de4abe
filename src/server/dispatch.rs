//! Dispatch: from an argument vector to a reply, in Redis's check order —
//! unknown command → arity → authentication → (MULTI queuing, ACL and
//! cluster routing arrive with their issues) → OOM → run — then the
//! bookkeeping every command shares: reply modes, statistics, effects.

use std::sync::atomic::Ordering;
use std::time::Instant;

use bytes::Bytes;
use rand::rngs::SmallRng;

use crate::clients::{ReplyMode, Session};
use crate::commands::spec::{Lookup, WRITE};
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
    let Some(spec) = lookup.command(&argv[0]) else {
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
    let mut pause = inst.pause.lock();
    match *pause {
        Some((until, _)) if until <= Instant::now() => {
            *pause = None;
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
    apply_effects(inst, fx);
    Outcome::Done(action)
}

/// Folds a command's (or an expiry cycle's) effects into the counters.
pub fn apply_effects(inst: &Instance, fx: &mut Effects) {
    if fx.is_empty() {
        return;
    }
    let mut expired = 0;
    let mut dirty = 0;
    for e in fx.drain() {
        match e.change {
            Change::Expired => expired += 1,
            Change::Evicted => {
                inst.stats.evicted.fetch_add(1, Ordering::Relaxed);
            }
            Change::Written(_) | Change::Deleted(_) => dirty += 1,
        }
    }
    if expired > 0 {
        inst.stats.record_expired(expired);
    }
    inst.stats.dirty.fetch_add(dirty, Ordering::Relaxed);
}

struct Paused;

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
            reject(inst, out, None, &e);
            return Ok(None);
        }
    };
    if !spec.arity_ok(argv.len()) {
        reject(inst, out, Some(spec), &CmdError::WrongArity(spec.name));
        return Ok(None);
    }
    let Some(handler) = spec.handler else {
        // A container called without a subcommand whose arity allowed it.
        reject(inst, out, Some(spec), &CmdError::WrongArity(spec.name));
        return Ok(None);
    };
    if !session.authenticated && spec.flags & crate::commands::spec::NO_AUTH == 0 {
        if inst.auth_required() {
            reject(inst, out, Some(spec), &CmdError::NoAuth);
            return Ok(None);
        }
        session.authenticated = true;
    }
    if paused(inst, spec) {
        return Err(Paused);
    }
    session
        .info
        .last_interaction_ms
        .store(session.info.created.elapsed().as_millis() as u64, Ordering::Relaxed);
    *session.info.last_cmd.lock() = spec.name;
    let start_len = out.len();
    let started = Instant::now();
    let mut ctx = Ctx {
        inst,
        session,
        out,
        fx,
        now_ms: unix_ms(),
        rng,
        spec,
        action: None,
    };
    let mut args = Args::new(argv);
    let result = handler(&mut ctx, &mut args);
    let action = ctx.action;
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
    inst.stats.record_call(spec.name, started.elapsed(), failed);
    Ok(action)
}
