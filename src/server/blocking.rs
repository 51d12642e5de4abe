//! Serving parked clients: when a command writes keys that clients wait on,
//! their commands are re-run right after it, first come first served, as
//! Redis's `handleClientsBlockedOnKeys` does. A re-run that still finds
//! nothing (it asks to block again) or meets another type (Redis 7.0 keeps
//! such clients waiting) leaves the client parked in its place; anything
//! else (a reply or an error) is sent to the client and unparks it. Keys
//! written by the re-runs themselves (`BLMOVE` pushes) are served in turn.

use std::collections::VecDeque;
use std::time::Instant;

use bytes::Bytes;
use rand::rngs::SmallRng;
use rand::SeedableRng;

use super::dispatch::{apply_effects, invoke, resolve};
use crate::blocking::Wake;
use crate::commands::{Action, CmdError};
use crate::instance::Instance;
use crate::protocol::Reply;
use crate::store::{Change, Effects};

/// The keys a command's effects wrote or removed, for waking parked clients.
pub fn written_keys(fx: &Effects) -> Vec<(usize, Bytes)> {
    let mut keys: Vec<(usize, Bytes)> = Vec::new();
    // A set for the duplicates: an MSET of many keys must stay linear.
    let mut seen: hashbrown::HashSet<(usize, &[u8])> = hashbrown::HashSet::new();
    for e in &fx.list {
        // Deleted keys count too: Redis 7.0 signals them so that an
        // XREADGROUP waiting on a vanished stream gets its error.
        if matches!(
            e.change,
            Change::Written(_) | Change::Deleted(_) | Change::Expired | Change::Touched | Change::Ready
        ) && seen.insert((e.db, &e.key[..]))
        {
            keys.push((e.db, e.key.clone()));
        }
    }
    keys
}

/// Re-runs the commands of clients parked on `ready` keys, in order.
pub fn serve(inst: &Instance, ready: Vec<(usize, Bytes)>) {
    if ready.is_empty() || inst.blocking.is_empty() {
        return;
    }
    let mut ready: VecDeque<(usize, Bytes)> = ready.into();
    let mut rng = SmallRng::from_rng(&mut rand::rng());
    // The gate before the registry, in the order a handler that unparks
    // (`CLIENT UNBLOCK`, which runs under the gate) takes them: taking the
    // registry first could deadlock against a waiting `EXEC`.
    let _shared = inst.gate.read();
    let mut parked = inst.blocking.lock();
    // Bounded: every pass either unparks a client or moves past a key.
    let mut budget = 100_000usize;
    while let Some(key) = ready.pop_front() {
        for id in parked.queue(&key) {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return;
            }
            let Some(w) = parked.get(id) else { continue };
            // A killed client's task may not have unparked itself yet: it
            // must not consume what is pushed after the kill.
            if w.session.info.killed.load(std::sync::atomic::Ordering::SeqCst) {
                continue;
            }
            let mut session = w.session.clone();
            session.ready_key = Some(key.1.clone());
            let argv = w.argv.clone();
            let Ok(spec) = resolve(&argv) else { continue };
            let Some(handler) = spec.handler else { continue };
            let mut out = Reply::new();
            out.resp = session.info.resp.load(std::sync::atomic::Ordering::Relaxed);
            let mut fx = Effects::new();
            let started = Instant::now();
            let (result, action) = invoke(inst, &mut session, &mut out, &mut fx, &mut rng, spec, handler, &argv);
            match (&result, &action) {
                // Still nothing to serve, or the key now holds another type:
                // keep waiting in place.
                (Ok(()), Some(Action::Block(_))) | (Err(CmdError::WrongType), _) => {
                    out.buf.clear();
                    continue;
                }
                _ => {}
            }
            let failed = if let Err(e) = result {
                out.buf.clear();
                let msg = e.to_string();
                inst.stats.record_error(&msg);
                out.error(&msg);
                true
            } else {
                false
            };
            inst.stats.record_call(spec.name, started.elapsed(), failed);
            for k in written_keys(&fx) {
                if !ready.contains(&k) {
                    ready.push_back(k);
                }
            }
            apply_effects(inst, &mut fx);
            parked.finish(id, Wake::Reply(out.buf.to_vec()));
        }
    }
}
