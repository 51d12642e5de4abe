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
    /// TTL at `WATCH` time (0 = none).
    pub fn watch(&self, session: &mut Session, db: usize, key: Bytes, expire_at: u64) {
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
