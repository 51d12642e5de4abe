//! Effects: what a write did to the keyspace. Every key a command sets,
//! deletes, expires or evicts is recorded here once; keyspace notifications,
//! the backing-store writer, metrics and `INFO` counters all read this one
//! stream instead of re-deriving what changed.

use bytes::Bytes;

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

/// The effects of one command (or one expiry cycle), in order.
#[derive(Debug, Default)]
pub struct Effects {
    /// Recorded effects.
    pub list: Vec<Effect>,
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

    /// Records an expiry.
    pub fn expired(&mut self, db: usize, key: &[u8]) {
        self.list.push(Effect {
            db,
            key: Bytes::copy_from_slice(key),
            change: Change::Expired,
        });
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
