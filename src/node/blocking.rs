//! Clients parked in blocking commands (`BLPOP`, `BZPOPMIN`, `XREAD BLOCK`,
//! ...): who waits on which key, in arrival order.
//!
//! This is only the registry; `server/blocking.rs` re-runs the waiters'
//! commands when their keys are written, and the connection task does the
//! waiting. Invariants: a waiter id is in `by_key` for exactly the keys in
//! its `keys`, in FIFO position; a waiter is removed (and its reply sent) at
//! most once, under the lock, so a client is never served twice.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use hashbrown::HashMap;
use parking_lot::{Mutex, MutexGuard};
use tokio::sync::oneshot;

use crate::node::clients::Session;

/// A blocking command's request to wait; see [`Action::Block`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Keys of the selected database whose writes may let the command proceed.
    pub keys: Vec<bytes::Bytes>,
    /// Absolute deadline (Unix ms); `None` waits forever (timeout 0).
    pub deadline: Option<u64>,
    /// What to reply at once when the client cannot wait; see [`TimeoutReply`].
    pub on_timeout: TimeoutReply,
    /// The arguments to re-run with instead of the original ones (`XREAD`
    /// resolves `$` to the last id at the time it blocked).
    pub argv: Option<Vec<bytes::Bytes>>,
}

/// The reply a blocking command gives when it cannot wait (inside
/// `MULTI`/`EXEC`). A client that really waited and timed out (or got
/// `CLIENT UNBLOCK ... TIMEOUT`) always receives a null array, as Redis 7.0's
/// `replyToBlockedClientTimedOut` answers for lists, sorted sets and streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutReply {
    /// A null array (`*-1` in RESP2, `_` in RESP3): `BLPOP`, `BZPOPMIN`, `XREAD`, ...
    NullArray,
    /// A null bulk (`$-1` in RESP2, `_` in RESP3): `BLMOVE`, `BRPOPLPUSH` inside `MULTI`.
    NullBulk,
}

/// What a parked client is told when it stops waiting.
#[derive(Debug)]
pub enum Wake {
    /// The re-run command's reply bytes.
    Reply(Vec<u8>),
    /// The timeout passed (or `CLIENT UNBLOCK ... TIMEOUT`): write the timeout reply.
    Timeout,
    /// `CLIENT UNBLOCK ... ERROR`.
    Unblocked,
}

/// One parked client.
#[derive(Debug)]
pub struct Waiter {
    /// A copy of the client's session (db, protocol, identity) to re-run with.
    pub session: Session,
    /// The command to re-run.
    pub argv: Vec<Bytes>,
    /// (db, key) it waits on.
    pub keys: Vec<(usize, Bytes)>,
    /// The reply at the deadline.
    pub on_timeout: TimeoutReply,
    tx: oneshot::Sender<Wake>,
}

/// The registry state, behind one lock.
#[derive(Debug, Default)]
pub struct Parked {
    by_key: HashMap<(usize, Bytes), VecDeque<u64>>,
    waiters: HashMap<u64, Waiter>,
}

impl Parked {
    /// The ids waiting on `key`, first come first.
    pub fn queue(&self, key: &(usize, Bytes)) -> Vec<u64> {
        self.by_key
            .get(key)
            .map(|q| q.iter().copied().collect())
            .unwrap_or_default()
    }

    /// The waiter `id`, if still parked.
    pub fn get(&self, id: u64) -> Option<&Waiter> {
        self.waiters.get(&id)
    }

    /// Removes waiter `id` from every queue and tells it `wake`.
    pub fn finish(&mut self, id: u64, wake: Wake) -> bool {
        let Some(w) = self.waiters.remove(&id) else {
            return false;
        };
        for k in &w.keys {
            if let Some(q) = self.by_key.get_mut(k) {
                q.retain(|x| *x != id);
                if q.is_empty() {
                    self.by_key.remove(k);
                }
            }
        }
        // The receiver is gone only if the connection already ended.
        let _ = w.tx.send(wake);
        true
    }
}

/// All parked clients.
#[derive(Debug, Default)]
pub struct Blocking {
    parked: Mutex<Parked>,
    count: AtomicUsize,
}

impl Blocking {
    /// Whether nobody waits (lets writes skip the lock).
    pub fn is_empty(&self) -> bool {
        self.count.load(Ordering::Relaxed) == 0
    }

    /// Number of parked clients.
    pub fn len(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// Parks `session`'s client on `block.keys`; the receiver gets its wake-up.
    pub fn park(&self, session: Session, argv: Vec<Bytes>, block: &Block) -> oneshot::Receiver<Wake> {
        let (tx, rx) = oneshot::channel();
        let id = session.info.id;
        let db = session.db;
        let mut keys: Vec<(usize, Bytes)> = Vec::with_capacity(block.keys.len());
        for k in &block.keys {
            if !keys.iter().any(|(_, x)| x == k) {
                keys.push((db, k.clone()));
            }
        }
        let mut p = self.parked.lock();
        // A client parks once; a stale entry would only come from a bug.
        p.finish(id, Wake::Timeout);
        for k in &keys {
            p.by_key.entry(k.clone()).or_default().push_back(id);
        }
        p.waiters.insert(
            id,
            Waiter {
                session,
                argv: block.argv.clone().unwrap_or(argv),
                keys,
                on_timeout: block.on_timeout,
                tx,
            },
        );
        self.count.store(p.waiters.len(), Ordering::Relaxed);
        rx
    }

    /// Removes client `id` (timeout, disconnect, kill) without a wake-up
    /// message; false if it was not parked (already served).
    pub fn cancel(&self, id: u64) -> bool {
        let mut p = self.parked.lock();
        let done = p.finish(id, Wake::Timeout);
        self.count.store(p.waiters.len(), Ordering::Relaxed);
        done
    }

    /// `CLIENT UNBLOCK id [TIMEOUT|ERROR]`: true if the client was parked.
    pub fn unblock(&self, id: u64, error: bool) -> bool {
        let mut p = self.parked.lock();
        let done = p.finish(id, if error { Wake::Unblocked } else { Wake::Timeout });
        self.count.store(p.waiters.len(), Ordering::Relaxed);
        done
    }

    /// The keys of database `db` that some client waits on.
    pub fn waited_keys(&self, db: usize) -> Vec<Bytes> {
        if self.is_empty() {
            return Vec::new();
        }
        let p = self.parked.lock();
        p.by_key
            .keys()
            .filter(|(d, _)| *d == db)
            .map(|(_, k)| k.clone())
            .collect()
    }

    /// The locked registry, for the server's serving loop.
    pub fn lock(&self) -> ParkedGuard<'_> {
        ParkedGuard {
            guard: self.parked.lock(),
            count: &self.count,
        }
    }
}

/// The locked registry; keeps the parked-client count right on release.
pub struct ParkedGuard<'a> {
    guard: MutexGuard<'a, Parked>,
    count: &'a AtomicUsize,
}

impl std::ops::Deref for ParkedGuard<'_> {
    type Target = Parked;
    fn deref(&self) -> &Parked {
        &self.guard
    }
}

impl std::ops::DerefMut for ParkedGuard<'_> {
    fn deref_mut(&mut self) -> &mut Parked {
        &mut self.guard
    }
}

impl Drop for ParkedGuard<'_> {
    fn drop(&mut self) {
        self.count.store(self.guard.waiters.len(), Ordering::Relaxed);
    }
}
