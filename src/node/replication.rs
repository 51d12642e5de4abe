//! The replicated command stream: what another replica (a Raft follower, an
//! append-only file, a non-Raft replica) must apply to reach this node's
//! state, as Redis's `alsoPropagate` produces it. `call()` feeds it once per
//! top-level command (or expiry cycle, or served blocked client) with the
//! writes' *replicated form*: `SPOP` as the `SREM` of what it popped, `EXPIRE`
//! as `PEXPIREAT`, an expired key as `DEL`, `EXEC` as one unit.
//!
//! Invariants: units reach listeners in the order their writes were applied
//! (while anyone listens, `call()` runs every command under the exclusive
//! gate, so emission order is execution order); a unit applies atomically;
//! with no listener the stream costs one relaxed load per command.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use parking_lot::Mutex;

/// One write in replicated form: the database it applies to and its argv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplOp {
    /// Database index (a consumer emits `SELECT` when it changes).
    pub db: usize,
    /// The command to apply, e.g. `["SREM", "s", "a"]`.
    pub argv: Vec<Bytes>,
}

/// The writes of one top-level command, applied atomically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replicated {
    /// Position in the stream (1, 2, ...), as Redis's replication offset
    /// counts commands rather than bytes here.
    pub seq: u64,
    /// The primary's time when it ran (Unix ms). Replicated forms carry
    /// absolute times already; this is for state that records "when"
    /// (stream consumers' seen-time, pending entries' delivery time).
    pub now_ms: u64,
    /// The writes, in order.
    pub ops: Vec<ReplOp>,
}

impl Replicated {
    /// The unit as a Redis replication stream would carry it: a `SELECT`
    /// whenever the database changes from `current_db` (updated), and a
    /// `MULTI`/`EXEC` around units of more than one write.
    pub fn to_argvs(&self, current_db: &mut Option<usize>) -> Vec<Vec<Bytes>> {
        let mut out = Vec::with_capacity(self.ops.len() + 2);
        let wrap = self.ops.len() > 1;
        if wrap {
            // Redis selects the first write's database before `MULTI`.
            if let Some(first) = self.ops.first() {
                if *current_db != Some(first.db) {
                    out.push(vec![Bytes::from_static(b"SELECT"), Bytes::from(first.db.to_string())]);
                    *current_db = Some(first.db);
                }
            }
            out.push(vec![Bytes::from_static(b"MULTI")]);
        }
        for op in &self.ops {
            if *current_db != Some(op.db) {
                out.push(vec![Bytes::from_static(b"SELECT"), Bytes::from(op.db.to_string())]);
                *current_db = Some(op.db);
            }
            out.push(op.argv.clone());
        }
        if wrap {
            out.push(vec![Bytes::from_static(b"EXEC")]);
        }
        out
    }
}

/// A consumer of the stream; called with each unit, in order, while the
/// writes' gate is held (so it must be quick: queue, don't block).
pub type Listener = Arc<dyn Fn(&Replicated) + Send + Sync>;

/// The stream's hub: its listeners and position.
#[derive(Default)]
pub struct Replication {
    active: AtomicBool,
    seq: AtomicU64,
    listeners: Mutex<Vec<(u64, Listener)>>,
    next_id: AtomicU64,
}

impl std::fmt::Debug for Replication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replication")
            .field("active", &self.is_active())
            .field("seq", &self.seq.load(Ordering::Relaxed))
            .finish()
    }
}

impl Replication {
    /// Whether anyone listens (commands then build their replicated form).
    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::Acquire)
    }

    /// Adds a listener; returns its id for [`Replication::unsubscribe`].
    pub fn subscribe(&self, listener: Listener) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut l = self.listeners.lock();
        l.push((id, listener));
        self.active.store(true, Ordering::Release);
        id
    }

    /// Removes listener `id`.
    pub fn unsubscribe(&self, id: u64) {
        let mut l = self.listeners.lock();
        l.retain(|(i, _)| *i != id);
        self.active.store(!l.is_empty(), Ordering::Release);
    }

    /// Units emitted so far.
    pub fn offset(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    /// Hands `ops` (written at `now_ms`) to every listener as one unit;
    /// nothing when `ops` is empty.
    pub fn emit(&self, now_ms: u64, ops: Vec<ReplOp>) {
        if ops.is_empty() {
            return;
        }
        let listeners: Vec<Listener> = self.listeners.lock().iter().map(|(_, l)| l.clone()).collect();
        if listeners.is_empty() {
            return;
        }
        let unit = Replicated {
            seq: self.seq.fetch_add(1, Ordering::Relaxed) + 1,
            now_ms,
            ops,
        };
        for l in listeners {
            l(&unit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(db: usize, args: &[&str]) -> ReplOp {
        ReplOp {
            db,
            argv: args.iter().map(|a| Bytes::copy_from_slice(a.as_bytes())).collect(),
        }
    }

    #[test]
    fn units_render_with_select_and_multi_exec() {
        let unit = Replicated {
            seq: 1,
            now_ms: 0,
            ops: vec![op(0, &["SET", "a", "1"]), op(1, &["DEL", "b"])],
        };
        let mut db = Some(0);
        let argvs = unit.to_argvs(&mut db);
        let names: Vec<&[u8]> = argvs.iter().map(|a| &a[0][..]).collect();
        assert_eq!(names, [&b"MULTI"[..], b"SET", b"SELECT", b"DEL", b"EXEC"]);
        let mut fresh = None;
        let names: Vec<Vec<u8>> = unit.to_argvs(&mut fresh).iter().map(|a| a[0].to_vec()).collect();
        assert_eq!(
            names[..2],
            [b"SELECT".to_vec(), b"MULTI".to_vec()],
            "SELECT goes before MULTI"
        );
        assert_eq!(db, Some(1));
        let single = Replicated {
            seq: 2,
            now_ms: 0,
            ops: vec![op(1, &["DEL", "c"])],
        };
        assert_eq!(single.to_argvs(&mut db).len(), 1);
    }

    #[test]
    fn emit_reaches_listeners_in_order_and_stops_after_unsubscribe() {
        let repl = Replication::default();
        assert!(!repl.is_active());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let id = repl.subscribe(Arc::new(move |u: &Replicated| s.lock().push(u.seq)));
        assert!(repl.is_active());
        repl.emit(5, vec![op(0, &["DEL", "a"])]);
        repl.emit(6, Vec::new());
        repl.emit(7, vec![op(0, &["DEL", "b"])]);
        repl.unsubscribe(id);
        assert!(!repl.is_active());
        repl.emit(8, vec![op(0, &["DEL", "c"])]);
        assert_eq!(*seen.lock(), [1, 2]);
    }
}
