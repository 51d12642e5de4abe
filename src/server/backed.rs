//! The connection's side of the backing database, around one command whose
//! keys (from the command table's key specs; for `EXEC`, the queued
//! commands') a backing rule covers:
//!
//! - **before**: read-through. A key missing from the cache is loaded (the
//!   connection waits, parked; no lock is held) and put back with its
//!   remaining TTL through `RESTORE … ABSTTL`, which never replaces a key
//!   that appeared meanwhile. Then write-through keys are locked against
//!   other write-through commands and their current images taken;
//! - **after**: write-through. The keys' new images are committed to the
//!   database before the reply leaves. If the database refuses, the cache
//!   is put back as it was (`RESTORE … REPLACE` / `DEL`) and the client
//!   gets an error instead of the reply: cache and database never diverge.
//!   If the database does not answer in time the outcome is unknown: the
//!   new images are journaled (so the database converges to the cache)
//!   and the connection is closed, as for any write whose outcome cannot be
//!   known — never an error for a write that may have committed.
//!
//! Write-behind needs nothing here: the effects listener journals it and
//! the connection waits for the journal (`Effects::hold`).

use std::sync::Arc;

use bytes::Bytes;

use crate::backing::{image_of, in_scope, payload_of, Backing, BackingError, Image, WriteMode};
use crate::commands::call::{resolve, run_command};
use crate::commands::spec::{EXCLUSIVE, NOT_QUEUED, WRITE};
use crate::node::clients::{ClientInfo, Session};
use crate::node::instance::{unix_ms, Instance};
use crate::protocol::Reply;

/// What a command needs from the backing database.
#[derive(Debug, Default)]
pub struct Plan {
    /// (table, key) to load if missing.
    loads: Vec<(String, Bytes)>,
    /// (table, key) written through.
    through: Vec<(String, Bytes)>,
}

/// Write-through keys locked and their images before the command.
pub struct Held {
    _guards: Vec<tokio::sync::OwnedMutexGuard<()>>,
    old: Vec<(String, Bytes, Option<Image>)>,
}

/// How a write-through ended.
pub enum Finished {
    /// Committed (or nothing to commit): send the reply.
    Done,
    /// Refused and undone: the reply was replaced by an error.
    Undone,
    /// Unknown outcome: close the connection without replying.
    Unknown,
}

/// The plan for `argv` from `session`, if a rule covers any of its keys.
pub fn plan(inst: &Instance, b: &Backing, session: &Session, argv: &[Bytes]) -> Option<Plan> {
    if session.db != 0 || (!session.authenticated && inst.auth_required()) {
        return None;
    }
    let spec = resolve(argv).ok().filter(|s| s.arity_ok(argv.len()))?;
    let queued;
    let commands: Vec<&[Bytes]> = if spec.has(EXCLUSIVE) {
        // EXEC: what it runs is the queue.
        queued = session.multi.as_ref()?.queue.clone();
        queued.iter().map(|a| &a[..]).collect()
    } else if session.multi.is_some() && !spec.has(NOT_QUEUED) {
        // Queued now, run at EXEC.
        return None;
    } else {
        vec![argv]
    };
    let mut plan = Plan::default();
    for argv in commands {
        let Ok(spec) = resolve(argv) else { continue };
        let positions = spec
            .key_positions(argv.len(), |i| argv.get(i).map_or_else(Vec::new, |a| a.to_vec()))
            .unwrap_or_default();
        for (pos, _) in positions {
            let Some(key) = argv.get(pos) else { continue };
            let Some((_, rule)) = b.settings.rules.find(0, key) else {
                continue;
            };
            let slot = (rule.table.clone(), key.clone());
            if rule.read_through && !plan.loads.contains(&slot) {
                plan.loads.push(slot.clone());
            }
            if rule.write == WriteMode::Through && spec.has(WRITE) && !plan.through.contains(&slot) {
                plan.through.push(slot);
            }
        }
    }
    (!plan.loads.is_empty() || !plan.through.is_empty()).then_some(plan)
}

/// The image `key` has in database 0 now.
fn current(inst: &Instance, key: &[u8]) -> Option<Image> {
    let now = unix_ms();
    inst.store
        .db(0)?
        .peek_entry(key, |e| e.filter(|e| !e.is_expired(now)).map(image_of))
}

/// Puts `image` (or nothing) under `key`, as an internal client: through
/// `call()`, so replicas, watches and notifications see it; ignored by the
/// backing listener (the database already holds it).
fn put(inst: &Instance, key: &Bytes, image: Option<&Image>, replace: bool) {
    let mut session = Session::new(Arc::new(ClientInfo::internal()), true);
    let argv: Vec<Bytes> = match image {
        Some(img) => {
            let mut argv = vec![
                Bytes::from_static(b"RESTORE"),
                key.clone(),
                Bytes::from(img.expire_at.to_string()),
                Bytes::from(payload_of(img)),
                Bytes::from_static(b"ABSTTL"),
            ];
            if replace {
                argv.push(Bytes::from_static(b"REPLACE"));
            }
            argv
        }
        None => vec![Bytes::from_static(b"DEL"), key.clone()],
    };
    in_scope(None, || run_command(inst, &mut session, &argv, unix_ms()));
}

/// Read-through loads, then write-through locks and images. An error
/// (the database failing a load) is the reply to send instead of running
/// the command.
pub async fn before(inst: &Instance, b: &Backing, plan: &Plan) -> Result<Option<Held>, String> {
    for (table, key) in &plan.loads {
        if current(inst, key).is_some() {
            continue;
        }
        match b.load(table, key, unix_ms()).await {
            Ok(Some(img)) => put(inst, key, Some(&img), false),
            Ok(None) => {}
            Err(e) => return Err(format!("ERR read-through from the backing database failed: {e}")),
        }
    }
    if plan.through.is_empty() {
        return Ok(None);
    }
    let keys: Vec<Bytes> = plan.through.iter().map(|(_, k)| k.clone()).collect();
    let guards = b.lock_keys(&keys).await;
    let old = plan
        .through
        .iter()
        .map(|(t, k)| (t.clone(), k.clone(), current(inst, k)))
        .collect();
    Ok(Some(Held { _guards: guards, old }))
}

/// Answers `msg` (a failed read-through) instead of running `argv`; an
/// `EXEC` discards its transaction, as a refused `EXEC` does.
pub fn refuse(inst: &Instance, session: &mut Session, out: &mut Reply, argv: &[Bytes], msg: &str) {
    let exec = resolve(argv).is_ok_and(|s| s.has(EXCLUSIVE)) && session.multi.is_some();
    let msg = if exec {
        session.multi = None;
        session.info.multi.store(-1, std::sync::atomic::Ordering::Relaxed);
        inst.watches.unwatch_all(session);
        format!(
            "EXECABORT Transaction discarded because of: {}",
            msg.strip_prefix("ERR ").unwrap_or(msg)
        )
    } else {
        msg.to_string()
    };
    inst.stats.record_error(&msg);
    out.error(&msg);
}

/// The write-through keys, for the listener to leave alone while the
/// command runs.
pub fn scope_keys(plan: &Plan) -> Vec<Bytes> {
    plan.through.iter().map(|(_, k)| k.clone()).collect()
}

/// Commits what the command changed of its write-through keys; on a
/// refusal undoes it and replaces the reply (from `start_len` in `out`).
pub async fn after(inst: &Instance, b: &Arc<Backing>, held: Held, out: &mut Reply, start_len: usize) -> Finished {
    let changed: Vec<(String, Bytes, Option<Image>, Option<Image>)> = held
        .old
        .into_iter()
        .filter_map(|(t, k, old)| {
            let new = current(inst, &k);
            (new != old).then_some((t, k, old, new))
        })
        .collect();
    if changed.is_empty() {
        return Finished::Done;
    }
    let commit = changed
        .iter()
        .map(|(t, k, _, new)| (t.clone(), k.clone(), new.clone()))
        .collect();
    match b.commit_now(commit).await {
        Ok(()) => Finished::Done,
        Err(BackingError::Timeout(_)) => {
            // It may have committed: make the database follow the cache.
            for (t, k, _, new) in &changed {
                b.journal_image(t, k, new.clone());
            }
            tracing::warn!("write-through commit timed out; closing the client (outcome unknown)");
            Finished::Unknown
        }
        Err(e) => {
            for (_, k, old, _) in &changed {
                put(inst, k, old.as_ref(), true);
            }
            out.buf.truncate(start_len);
            let msg = format!("ERR write-through to the backing database failed, the write was undone: {e}");
            inst.stats.record_error(&msg);
            out.error(&msg);
            Finished::Undone
        }
    }
}

/// The refusal of a write-behind write while the queue is full, if `argv`
/// writes a write-behind key.
pub fn backpressure(b: &Backing, session: &Session, argv: &[Bytes], writes: bool) -> Option<String> {
    if !writes || session.db != 0 || !b.over_limit() {
        return None;
    }
    let spec = resolve(argv).ok()?;
    let keys = spec
        .key_positions(argv.len(), |i| argv.get(i).map_or_else(Vec::new, |a| a.to_vec()))
        .unwrap_or_default();
    let hit = keys.iter().any(|(pos, _)| {
        argv.get(*pos)
            .and_then(|k| b.settings.rules.find(0, k))
            .is_some_and(|(_, r)| r.write == WriteMode::Behind)
    }) || (spec.has(EXCLUSIVE) && session.multi.is_some());
    if !hit {
        return None;
    }
    b.stats.backpressure.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Some(format!(
        "BACKPRESSURE write-behind queue is full ({} writes not yet in the backing database); retry later",
        b.pending()
    ))
}
