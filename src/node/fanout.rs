//! The one fan-out point for effects: after a command (or an expiry cycle)
//! its effects go to WATCH, the counters behind `INFO`, the effect
//! listeners (keyspace notifications, client tracking and the backing
//! writer plug in here), and yield the keys whose blocked clients must be
//! served. The replicated stream is fed by `call()` from the same effects.
//!
//! Invariant: every effect is fanned out exactly once, then the list is
//! left empty.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use parking_lot::Mutex;

use super::Instance;
use crate::store::{Change, Effect, Effects, Store};

/// A consumer of effects, called with each fanned-out batch in order and
/// the store they happened in. It returns a sequence the caller must see
/// durable before acknowledging the command (the backing journal's), or 0.
pub type EffectListener = Arc<dyn Fn(&Store, &[Effect]) -> u64 + Send + Sync>;

/// The registered effect listeners.
///
/// A listener that reads written keys' new values (the backing writer
/// serializing what a command stored) is added with `needs_values`: from
/// then on `call()` runs every command under the exclusive gate through its
/// fan-out, so the value a listener reads from the store (`Db::peek_entry`)
/// is exactly what that command left, with no other command in between.
#[derive(Default)]
pub struct Listeners {
    /// Whether `list` is non-empty (checked without the lock).
    any: AtomicBool,
    /// Whether a listener reads values (commands then run exclusively).
    values: AtomicBool,
    list: Mutex<Vec<EffectListener>>,
}

impl std::fmt::Debug for Listeners {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Listeners({})", self.list.lock().len())
    }
}

impl Listeners {
    /// Adds a listener; `needs_values` if it reads the new values of the
    /// keys it is told about (see the type's documentation).
    pub fn add(&self, listener: EffectListener, needs_values: bool) {
        let mut l = self.list.lock();
        l.push(listener);
        self.any.store(true, Ordering::Release);
        if needs_values {
            self.values.store(true, Ordering::Release);
        }
    }

    /// Whether commands must run exclusively for a listener reading values.
    pub fn need_values(&self) -> bool {
        self.values.load(Ordering::Acquire)
    }

    fn call(&self, store: &Store, effects: &[Effect]) -> u64 {
        if !self.any.load(Ordering::Acquire) {
            return 0;
        }
        let listeners: Vec<EffectListener> = self.list.lock().clone();
        listeners.iter().map(|l| l(store, effects)).max().unwrap_or(0)
    }
}

/// Routes `fx` to its consumers and empties it; returns the (db, key)
/// pairs whose blocked clients should be served (deduplicated, in order).
pub fn fan_out(inst: &Instance, fx: &mut Effects) -> Vec<(usize, Bytes)> {
    if fx.is_empty() {
        return Vec::new();
    }
    inst.watches.touch_effects(fx);
    for e in &fx.list {
        if let Change::Swapped(other) = e.change {
            // Recorded once per side; handle the pair once.
            if e.db < other {
                let now = crate::node::instance::unix_ms();
                inst.watches.touch_swapped(e.db, other, |db, key| {
                    inst.store
                        .db(db)
                        .and_then(|d| d.peek_entry(key, |e| e.map(|e| e.is_expired(now))))
                });
            }
        }
    }
    let ready = if inst.blocking.is_empty() {
        Vec::new()
    } else {
        let mut ready = ready_keys(fx);
        // A flushed database wakes everyone waiting in it: an XREADGROUP
        // learns its stream is gone (Redis's `scanDatabaseForDeletedKeys`),
        // a pop finds nothing and keeps waiting.
        for e in &fx.list {
            if e.change == Change::Flushed {
                for key in inst.blocking.waited_keys(e.db) {
                    if !ready.iter().any(|(d, k)| *d == e.db && *k == key) {
                        ready.push((e.db, key));
                    }
                }
            }
        }
        ready
    };
    let hold = inst.effect_listeners.call(&inst.store, &fx.list);
    fx.hold = fx.hold.max(hold);
    super::notify::publish(inst, &fx.list);
    count(inst, fx);
    fx.list.clear();
    ready
}

/// The keys an effect list wrote or removed, for waking parked clients.
pub fn ready_keys(fx: &Effects) -> Vec<(usize, Bytes)> {
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

/// Folds effects into the counters (`expired_keys`, `evicted_keys`, the
/// changes since the last save).
fn count(inst: &Instance, fx: &Effects) {
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
            // Flushes and swaps count themselves (by the keys they removed).
            Change::Ready | Change::Flushed | Change::Swapped(_) => {}
            Change::Written(_) | Change::Deleted(_) | Change::Touched | Change::Noted(_) => {
                if last.is_none_or(|(db, k)| db != e.db || k != &e.key[..]) {
                    dirty += 1;
                }
                last = Some((e.db, &e.key));
            }
        }
    }
    if expired > 0 {
        inst.stats.record_expired(expired);
    }
    inst.stats.dirty.fetch_add(dirty, Ordering::Relaxed);
}
