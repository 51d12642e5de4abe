//! Keys under `WATCH`: which clients watch which (db, key), and the flag
//! each watching client's `EXEC` checks. The effects fan-out marks the
//! flags; nothing here knows about commands.
//!
//! Invariant: `count` equals the number of (db, key) entries in `map`.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use hashbrown::HashMap;
use parking_lot::Mutex;

use crate::node::clients::Session;
use crate::store::{Change, Effects};

/// A watcher of one key.
#[derive(Debug)]
struct Watcher {
    /// The client's id.
    id: u64,
    /// Set when a watched key changes; the client's `EXEC` then fails.
    dirty: Arc<AtomicBool>,
    /// The key was already logically expired when watched (Redis's
    /// `wk->expired`): removing it is no change, since it was already gone.
    stale: bool,
}

/// Every watched key and the flags of the clients watching it.
#[derive(Debug, Default)]
pub struct Watches {
    map: Mutex<HashMap<(usize, Bytes), Vec<Watcher>>>,
    /// Number of watched (db, key) entries: writes skip the lock when 0.
    count: AtomicUsize,
}

impl Watches {
    /// Marks the watchers of every key written, deleted, expired or evicted,
    /// except that removing a key that was already stale when watched only
    /// clears its stale mark (Redis 7.0's `touchWatchedKey`).
    pub fn touch_effects(&self, fx: &Effects) {
        if self.count.load(Ordering::Relaxed) == 0 {
            return;
        }
        let mut map = self.map.lock();
        for e in fx.list.iter() {
            match e.change {
                Change::Flushed => {
                    // Stale keys of the db are gone: no logical change.
                    for ((d, _), ws) in map.iter_mut() {
                        if *d == e.db {
                            ws.iter_mut().for_each(|w| w.stale = false);
                        }
                    }
                    continue;
                }
                Change::Ready | Change::Swapped(_) | Change::Noted(_) => continue,
                _ => {}
            }
            if let Some(ws) = map.get_mut(&(e.db, e.key.clone())) {
                for w in ws.iter_mut() {
                    if w.stale && e.change.is_removal() {
                        w.stale = false;
                        continue;
                    }
                    w.dirty.store(true, Ordering::SeqCst);
                }
            }
        }
    }

    /// `SWAPDB a b`, after the swap: marks the watchers of keys in either
    /// database as Redis's `touchAllWatchedKeysInDb` does. `raw(db, key)`
    /// says whether the key is stored in `db` now and whether it is
    /// logically expired (`None` when absent).
    pub fn touch_swapped(&self, a: usize, b: usize, raw: impl Fn(usize, &[u8]) -> Option<bool>) {
        if self.count.load(Ordering::Relaxed) == 0 {
            return;
        }
        let mut map = self.map.lock();
        for ((db, key), ws) in map.iter_mut() {
            // `emptied` held the watched db's old contents, now in the other
            // db; `replaced_with` is what the watched db holds now.
            let (now_db, old_db) = match *db {
                d if d == a => (a, b),
                d if d == b => (b, a),
                _ => continue,
            };
            let in_emptied = raw(old_db, key).is_some();
            let replaced = raw(now_db, key);
            if !in_emptied && replaced.is_none() {
                continue;
            }
            for w in ws.iter_mut() {
                if w.stale {
                    match replaced {
                        None => {
                            // The stale key is gone: no logical change.
                            w.stale = false;
                            continue;
                        }
                        Some(true) => continue,
                        Some(false) => {}
                    }
                } else if !in_emptied && replaced == Some(true) {
                    // A missing key replaced by an expired one.
                    w.stale = true;
                    continue;
                }
                w.dirty.store(true, Ordering::SeqCst);
            }
        }
    }

    /// The watched keys of database `db` (for flushes and swaps, which
    /// record a `touched` effect for those that existed).
    pub fn keys_in(&self, db: usize) -> Vec<Bytes> {
        if self.count.load(Ordering::Relaxed) == 0 {
            return Vec::new();
        }
        let map = self.map.lock();
        map.keys().filter(|(d, _)| *d == db).map(|(_, k)| k.clone()).collect()
    }

    /// Adds `key` of `db` to what `session` watches; `expire_at` is its
    /// TTL at `WATCH` time (0 = none) and `stale` whether it was already
    /// logically expired then.
    pub fn watch(&self, session: &mut Session, db: usize, key: Bytes, expire_at: u64, stale: bool) {
        if session.watched.iter().any(|(d, k, _)| *d == db && *k == key) {
            return;
        }
        let mut map = self.map.lock();
        let entry = map.entry((db, key.clone())).or_default();
        if entry.is_empty() {
            self.count.fetch_add(1, Ordering::Relaxed);
        }
        entry.push(Watcher {
            id: session.info.id,
            dirty: session.watch_dirty.clone(),
            stale,
        });
        // A stale key's TTL passing is no change at EXEC.
        session.watched.push((db, key, if stale { 0 } else { expire_at }));
    }

    /// Forgets every key `session` watches and clears its dirty flag.
    pub fn unwatch_all(&self, session: &mut Session) {
        if !session.watched.is_empty() {
            let mut map = self.map.lock();
            for (db, key, _) in session.watched.drain(..) {
                let k = (db, key);
                if let Some(ws) = map.get_mut(&k) {
                    ws.retain(|w| w.id != session.info.id);
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
