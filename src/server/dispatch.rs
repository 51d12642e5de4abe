//! Dispatch: from an argument vector to a reply, in Redis's check order
//! (`processCommand`): unknown command → arity → authentication → no-multi
//! → ACL (hook) → cluster routing (hook) → OOM → read-only replica →
//! subscribed RESP2 client → stale replica → monitor → client
//! pause → MULTI queuing → `call()`. A refusal while a transaction is open
//! makes its `EXEC` fail with `EXECABORT`, and a refused `EXEC` ends the
//! transaction saying why, as Redis's `rejectCommand` does.

use std::sync::atomic::Ordering;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use rand::rngs::SmallRng;
use rand::RngCore;

use crate::commands::call::{call, resolve, Env, Exec, Propagation};
use crate::commands::spec::{
    DENYOOM, EXCLUSIVE, NOT_QUEUED, NO_AUTH, NO_MULTI, PUBSUB, READONLY, STALE, SUBSCRIBED_OK, WRITE,
};
use crate::commands::{Action, CmdError, CommandSpec};
use crate::config::Hot;
use crate::node::clients::{ReplyMode, Session};
use crate::node::instance::{Instance, PauseMode};
use crate::protocol::Reply;
use crate::store::Effects;

/// What happened to a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Executed (or rejected with an error reply).
    Done(Option<Action>),
    /// `CLIENT PAUSE` holds this command back; retry after the pause.
    Paused,
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
    let action = match run(inst, session, out, fx, rng, argv) {
        Err(Paused) => return Outcome::Paused,
        Ok(a) => a,
    };
    // CLIENT REPLY: OFF drops everything, SKIP drops the next command's
    // reply; but (un)subscribe confirmations are pushed, in RESP2 as in
    // RESP3 (Redis's `CLIENT_PUSHING`), and still go out.
    if session.reply_mode != ReplyMode::On && is_subscription(argv) {
        return Outcome::Done(action);
    }
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
    Outcome::Done(action)
}

struct Paused;

/// Whether `argv` is a (un)subscribe command (its answers are pushes).
fn is_subscription(argv: &[Bytes]) -> bool {
    resolve(argv).is_ok_and(|s| s.has(PUBSUB) && s.has(SUBSCRIBED_OK))
}

/// Refuses the command with `e`, as Redis's `rejectCommand`: an open
/// transaction is marked to fail; a refused `EXEC` discards the
/// transaction and answers `EXECABORT` with the reason.
fn reject(inst: &Instance, session: &mut Session, out: &mut Reply, spec: Option<&'static CommandSpec>, e: &CmdError) {
    inst.stats.record_rejected(spec.map(|s| s.name));
    let msg = e.to_string();
    if spec.is_some_and(|s| s.has(EXCLUSIVE)) {
        session.multi = None;
        session.info.multi.store(-1, Ordering::Relaxed);
        inst.watches.unwatch_all(session);
        let why = msg.strip_prefix("ERR ").unwrap_or(&msg);
        let abort = format!("EXECABORT Transaction discarded because of: {why}");
        inst.stats.record_error(&abort);
        out.error(&abort);
        return;
    }
    if let Some(m) = session.multi.as_mut() {
        m.failed = true;
    }
    inst.stats.record_error(&msg);
    out.error(&msg);
}

/// The ACL check (Redis 7's `ACLCheckAllPerm`): every client is the
/// `default` user with all permissions until ACL lands.
fn acl_check(_session: &Session, _spec: &CommandSpec, _argv: &[Bytes]) -> Result<(), CmdError> {
    Ok(())
}

/// Cluster routing (`MOVED`/`ASK`): a single node serves every slot.
fn cluster_check(_inst: &Instance, _spec: &CommandSpec, _argv: &[Bytes]) -> Result<(), CmdError> {
    Ok(())
}

/// The `maxmemory` check (Redis's `performEvictions` in `processCommand`):
/// over the limit, keys are evicted first (the node's eviction run, with
/// a number from `rng` seeding its random choices); if that cannot get under the limit, a
/// `denyoom` command (or anything queued in a transaction but
/// `EXEC`/`DISCARD`/`QUIT`/`RESET`, or an `EXEC` of a `denyoom` command)
/// is refused. A run stopped by its time limit lets the command through,
/// as Redis's `EVICT_RUNNING` does.
fn oom_check(inst: &Instance, session: &Session, spec: &CommandSpec, rng: &mut SmallRng) -> Result<(), CmdError> {
    let max = inst.config.hot(Hot::Maxmemory);
    // Under the limit (the common case): no clock read, no random draw;
    // unless a stretch over it is open, which the run below closes.
    if max <= 0
        || (crate::commands::server::used_memory(inst) <= max as u64
            && inst.evict_over_since.load(Ordering::Relaxed) == 0)
    {
        return Ok(());
    }
    let now_ms = crate::node::instance::unix_ms();
    if crate::commands::call::evict_cycle(inst, now_ms, rng.next_u64()) != crate::store::evict::Outcome::Fail {
        return Ok(());
    }
    let exec_denyoom = spec.has(EXCLUSIVE) && session.multi.as_ref().is_some_and(|m| m.flags & DENYOOM != 0);
    let queuing = session.multi.is_some() && !spec.has(NOT_QUEUED);
    if spec.has(DENYOOM) || exec_denyoom || queuing {
        return Err(CmdError::Other(
            "OOM command not allowed when used memory > 'maxmemory'.",
        ));
    }
    Ok(())
}

/// Whether `spec` writes: a write command, or an `EXEC` of one.
fn is_write(session: &Session, spec: &CommandSpec) -> bool {
    spec.has(WRITE) || (spec.has(EXCLUSIVE) && session.multi.as_ref().is_some_and(|m| m.flags & WRITE != 0))
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
            reject(inst, session, out, None, &e);
            return Ok(None);
        }
    };
    if !spec.arity_ok(argv.len()) {
        reject(inst, session, out, Some(spec), &CmdError::WrongArity(spec.name));
        return Ok(None);
    }
    if !session.authenticated && spec.flags & NO_AUTH == 0 {
        if inst.auth_required() {
            reject(inst, session, out, Some(spec), &CmdError::NoAuth);
            return Ok(None);
        }
        session.authenticated = true;
    }
    if session.multi.is_some() && spec.has(NO_MULTI) {
        reject(
            inst,
            session,
            out,
            Some(spec),
            &CmdError::Other("ERR Command not allowed inside a transaction"),
        );
        return Ok(None);
    }
    let checks = acl_check(session, spec, argv)
        .and_then(|()| cluster_check(inst, spec, argv))
        .and_then(|()| oom_check(inst, session, spec, rng));
    if let Err(e) = checks {
        reject(inst, session, out, Some(spec), &e);
        return Ok(None);
    }
    // A full write-behind queue refuses writes to its keys (backpressure).
    if let Some(b) = inst.backing.get() {
        if let Some(msg) = super::backed::backpressure(b, session, argv, is_write(session, spec)) {
            reject(inst, session, out, Some(spec), &CmdError::Owned(msg));
            return Ok(None);
        }
    }
    // A primary refuses writes without enough good replicas.
    let min = inst.config.hot(Hot::MinReplicasToWrite);
    if min > 0 && !inst.is_replica() && is_write(session, spec) && (inst.good_replicas() as i64) < min {
        reject(
            inst,
            session,
            out,
            Some(spec),
            &CmdError::Other("NOREPLICAS Not enough good replicas to write."),
        );
        return Ok(None);
    }
    // A read-only replica takes writes from its primary's stream only.
    if inst.is_replica() && is_write(session, spec) && inst.config.get_bool("replica-read-only") {
        reject(
            inst,
            session,
            out,
            Some(spec),
            &CmdError::Other("READONLY You can't write against a read only replica."),
        );
        return Ok(None);
    }
    // A subscribed RESP2 client can only read subscription frames, so it
    // may send nothing that answers otherwise (Redis's check, here).
    if !spec.has(SUBSCRIBED_OK) && session.info.is_pubsub() && session.info.resp.load(Ordering::Relaxed) < 3 {
        reject(
            inst,
            session,
            out,
            Some(spec),
            &CmdError::NotInSubscribedContext(spec.name),
        );
        return Ok(None);
    }
    // A replica whose link is down serves only `stale` commands, if so set.
    if inst.is_replica()
        && !inst.master_link_up.load(Ordering::Relaxed)
        && !inst.config.get_bool("replica-serve-stale-data")
        && (!spec.has(STALE)
            || (spec.has(EXCLUSIVE) && session.multi.as_ref().is_some_and(|m| m.missing_flags & STALE != 0)))
    {
        reject(
            inst,
            session,
            out,
            Some(spec),
            &CmdError::Other("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."),
        );
        return Ok(None);
    }
    // A monitor is a replica to Redis, and replicas may not touch keys.
    if session.monitor.is_some() && (spec.has(WRITE) || spec.has(READONLY)) {
        reject(
            inst,
            session,
            out,
            Some(spec),
            &CmdError::Other("ERR Replica can't interact with the keyspace"),
        );
        return Ok(None);
    }
    if paused(inst, spec) {
        return Err(Paused);
    }
    if let Some(multi) = session.multi.as_mut() {
        if !spec.has(NOT_QUEUED) {
            multi.queue.push(argv.to_vec());
            multi.flags |= spec.flags;
            multi.missing_flags |= !spec.flags;
            session.info.multi.store(multi.queue.len() as i64, Ordering::Relaxed);
            out.simple("QUEUED");
            return Ok(None);
        }
    }
    // The wall clock gives the command's time; a fresh random number its
    // seed (a replica applying a log entry supplies the entry's instead).
    let started = SystemTime::now();
    let now_ms = started.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let exec = Exec {
        now_ms,
        seed: rng.next_u64(),
    };
    let mut prop = Propagation::default();
    let mut env = Env {
        inst,
        session,
        out,
        fx,
        prop: &mut prop,
        depth: 0,
        started: Some(started),
    };
    Ok(call(&mut env, spec, argv, exec).action)
}
