//! Effects: what a write did to the keyspace. Every key a command sets,
//! deletes, expires or evicts is recorded here once, and so are the
//! database-wide changes (`FLUSHDB`, `FLUSHALL`, `SWAPDB`). WATCH, blocked
//! clients, counters, the replicated stream and (later) keyspace
//! notifications, client tracking and the backing writer all read this one
//! stream, through one fan-out point (`node::fanout`), instead of
//! re-deriving what changed.
//!
//! Invariants: effects are in the order the changes happened; an effect's
//! slot is `key_slot(key)` (0 for database-wide effects, whose key is
//! empty).
//! A write's new value is read from the store by key when a consumer needs
//! it ([`crate::store::Db::peek_entry`]) during the fan-out; a consumer
//! that does registers as needing values (`node::fanout::Listeners::add`),
//! and every command then holds the exclusive gate from its execution
//! through its fan-out, so what the consumer reads is exactly what that
//! command left.

use bytes::Bytes;

use super::slot::key_slot;

/// What happened to a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The key was written; the name is the keyspace event (`set`, `incrby`, ...).
    Written(&'static str),
    /// The key was removed by a command (`del`, `rename_from`, ...).
    Deleted(&'static str),
    /// The key's TTL passed and it was removed (lazily or actively).
    Expired,
    /// The key was removed to honour `maxmemory`.
    Evicted,
    /// The value changed in a way Redis signals to `WATCH` and to blocked
    /// clients but announces with no keyspace event (`PFCOUNT` refreshing
    /// its cached cardinality).
    Touched,
    /// Clients blocked on the key should look again, though nothing a
    /// `WATCH` sees changed (`SWAPDB` bringing a key in, `XGROUP DESTROY`
    /// failing the group's readers): Redis's `signalKeyAsReady` alone.
    Ready,
    /// The value changed in a way Redis replicates (and announces with the
    /// event, if any) but does not signal to `WATCH` or blocked clients:
    /// consumer-group bookkeeping (`XGROUP CREATE`, `XACK`, `XCLAIM`, ...).
    Noted(Option<&'static str>),
    /// The whole database was emptied (`FLUSHDB`, `FLUSHALL`); the effect's
    /// key is empty. Watched keys that existed get their own `Touched`.
    Flushed,
    /// The database's contents were exchanged with database `.0` (`SWAPDB`).
    Swapped(usize),
}

impl Change {
    /// Redis's keyspace event name (`notify-keyspace-events`), if the change
    /// has one.
    pub fn event(&self) -> Option<&'static str> {
        match self {
            Change::Written(e) | Change::Deleted(e) => Some(e),
            Change::Noted(e) => *e,
            Change::Expired => Some("expired"),
            Change::Evicted => Some("evicted"),
            Change::Touched | Change::Ready | Change::Flushed | Change::Swapped(_) => None,
        }
    }

    /// Whether the change is one a replica must reproduce (Redis's
    /// `server.dirty`): everything but `Ready`.
    pub fn is_modification(&self) -> bool {
        !matches!(self, Change::Ready)
    }

    /// Whether the key (or database) no longer holds what it held.
    pub fn is_removal(&self) -> bool {
        matches!(
            self,
            Change::Deleted(_) | Change::Expired | Change::Evicted | Change::Flushed
        )
    }
}

/// One changed key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effect {
    /// Database index.
    pub db: usize,
    /// The key.
    pub key: Bytes,
    /// What happened.
    pub change: Change,
}

impl Effect {
    /// The key's hash slot (CRC16 mod 16384, hash tags honoured); 0 for a
    /// database-wide effect. Computed on demand: most commands' effects
    /// never need it, and a write already paid for its slot once.
    pub fn slot(&self) -> u16 {
        if self.key.is_empty() && matches!(self.change, Change::Flushed | Change::Swapped(_)) {
            0
        } else {
            key_slot(&self.key)
        }
    }
}

/// The effects of one command (or one expiry cycle), in order.
#[derive(Debug, Default)]
pub struct Effects {
    /// Recorded effects.
    pub list: Vec<Effect>,
    /// Record a `new` effect (keyspace event class `n`) when a write
    /// creates a key; set by `call()` only while someone is notified of
    /// them, since it costs a lookup per write.
    pub track_new: bool,
    /// The highest sequence an effect consumer appended for these effects
    /// (the backing journal's), which must be durable before the command
    /// is acknowledged; 0 if none. Survives the fan-out, which empties
    /// `list`: the connection takes it before writing replies.
    pub hold: u64,
}

impl Effects {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a write.
    pub fn written(&mut self, db: usize, key: &[u8], event: &'static str) {
        self.list.push(Effect {
            db,
            key: Bytes::copy_from_slice(key),
            change: Change::Written(event),
        });
    }

    /// Records a deletion by a command.
    pub fn deleted(&mut self, db: usize, key: &[u8], event: &'static str) {
        self.list.push(Effect {
            db,
            key: Bytes::copy_from_slice(key),
            change: Change::Deleted(event),
        });
    }

    /// Records a change with no keyspace event; see [`Change::Touched`].
    pub fn touched(&mut self, db: usize, key: &[u8]) {
        self.list.push(Effect {
            db,
            key: Bytes::copy_from_slice(key),
            change: Change::Touched,
        });
    }

    /// Records that blocked clients should look again; see [`Change::Ready`].
    pub fn ready(&mut self, db: usize, key: &[u8]) {
        self.list.push(Effect {
            db,
            key: Bytes::copy_from_slice(key),
            change: Change::Ready,
        });
    }

    /// Records an expiry.
    pub fn expired(&mut self, db: usize, key: &[u8]) {
        self.list.push(Effect {
            db,
            key: Bytes::copy_from_slice(key),
            change: Change::Expired,
        });
    }

    /// Records a change that `WATCH` does not see; see [`Change::Noted`].
    pub fn noted(&mut self, db: usize, key: &[u8], event: Option<&'static str>) {
        self.list.push(Effect {
            db,
            key: Bytes::copy_from_slice(key),
            change: Change::Noted(event),
        });
    }

    /// Records an eviction (`maxmemory`).
    pub fn evicted(&mut self, db: usize, key: &[u8]) {
        self.list.push(Effect {
            db,
            key: Bytes::copy_from_slice(key),
            change: Change::Evicted,
        });
    }

    /// Records that database `db` was emptied.
    pub fn flushed(&mut self, db: usize) {
        self.list.push(Effect {
            db,
            key: Bytes::new(),
            change: Change::Flushed,
        });
    }

    /// Records that databases `a` and `b` exchanged contents (one effect
    /// each).
    pub fn swapped(&mut self, a: usize, b: usize) {
        for (db, other) in [(a, b), (b, a)] {
            self.list.push(Effect {
                db,
                key: Bytes::new(),
                change: Change::Swapped(other),
            });
        }
    }

    /// Number of recorded effects.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Takes the recorded effects, leaving the list empty.
    pub fn drain(&mut self) -> std::vec::Drain<'_, Effect> {
        self.list.drain(..)
    }
}
