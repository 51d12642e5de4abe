//! Effects: what a write did to the keyspace. Every key a command sets,
//! deletes, expires or evicts is recorded here once; keyspace notifications,
//! the backing-store writer, metrics and `INFO` counters all read this one
//! stream instead of re-deriving what changed.

use bytes::{Bytes, BytesMut};

/// Keys up to this length are copied into the shared [`Effects`] arena;
/// longer ones get their own allocation (so a long-lived key never pins a
/// block much larger than itself).
const ARENA_KEY_MAX: usize = 128;

/// Size of an arena block.
const ARENA_BLOCK: usize = 2048;

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
    /// Where short keys are copied: each key is a refcounted slice of one
    /// block, and once every key of a block is dropped (the effects of a
    /// command are consumed right after it) the block is reused in place,
    /// so recording a write costs a memcpy instead of a malloc and a free.
    arena: BytesMut,
}

impl Effects {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    fn copy_key(&mut self, key: &[u8]) -> Bytes {
        if key.len() > ARENA_KEY_MAX {
            return Bytes::copy_from_slice(key);
        }
        if self.arena.capacity() < key.len() {
            self.arena.reserve(ARENA_BLOCK);
        }
        self.arena.extend_from_slice(key);
        self.arena.split().freeze()
    }

    /// Records a write.
    pub fn written(&mut self, db: usize, key: &[u8], event: &'static str) {
        let key = self.copy_key(key);
        self.list.push(Effect {
            db,
            key,
            change: Change::Written(event),
        });
    }

    /// Records a deletion by a command.
    pub fn deleted(&mut self, db: usize, key: &[u8], event: &'static str) {
        let key = self.copy_key(key);
        self.list.push(Effect {
            db,
            key,
            change: Change::Deleted(event),
        });
    }

    /// Records an expiry.
    pub fn expired(&mut self, db: usize, key: &[u8]) {
        let key = self.copy_key(key);
        self.list.push(Effect {
            db,
            key,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_survive_the_arena_reusing_its_block() {
        let mut fx = Effects::new();
        let long = vec![b'x'; ARENA_KEY_MAX + 1];
        let mut kept = Vec::new();
        for i in 0..2000 {
            let key = format!("key:{i}");
            fx.written(0, key.as_bytes(), "set");
            fx.deleted(1, &long, "del");
            if i % 100 == 0 {
                kept.extend(fx.list.iter().cloned());
            }
            let list: Vec<Effect> = fx.drain().collect();
            assert_eq!(list[0].key, key.as_bytes());
            assert_eq!(list[1].key, &long[..]);
            assert_eq!(list[1].change, Change::Deleted("del"));
        }
        for (n, e) in kept.iter().step_by(2).enumerate() {
            assert_eq!(e.key, format!("key:{}", n * 100).as_bytes());
        }
        fx.expired(2, b"");
        assert_eq!(fx.list[0].key, &b""[..]);
    }
}
