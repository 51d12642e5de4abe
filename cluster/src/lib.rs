//! `shoal-cluster`: the Raft layer of Shoal. It drives raft-rs 0.7 `RawNode`s and knows
//! nothing of RESP: a shard group replicates opaque [`Batch`]es of argvs.
//!
//! (The full design notes — public API, durability, what is left — are at the end of this
//! page once every module exists.)

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod codec;
pub mod error;
pub mod group;
pub mod meta;
pub mod node;
pub mod runtime;
pub mod sim;
pub mod storage;
pub mod transport;

pub use codec::{Batch, Envelope};
pub use error::{ClusterError, CodecError};

use serde::{Deserialize, Serialize};

/// A Shoal process in the cluster. Never 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NodeId(pub u64);

/// A raft group: `GroupId(0)` is the metadata group, the others are shard groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GroupId(pub u64);

/// The metadata group.
pub const META_GROUP: GroupId = GroupId(0);

/// Milliseconds from some fixed origin: the seam that lets the simulator own time.
pub trait Clock: Send {
    /// Now, in milliseconds.
    fn now_ms(&self) -> u64;
}

/// The wall clock (milliseconds since the Unix epoch).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0)
    }
}

/// A slog drain that forwards raft-rs's log lines to `tracing` (raft-rs needs a
/// `slog::Logger`; Shoal logs through `tracing`).
#[derive(Debug, Clone, Copy)]
pub struct TracingDrain;

impl slog::Drain for TracingDrain {
    type Ok = ();
    type Err = slog::Never;

    fn log(&self, record: &slog::Record<'_>, _values: &slog::OwnedKVList) -> Result<(), slog::Never> {
        match record.level() {
            slog::Level::Critical | slog::Level::Error => {
                tracing::error!(target: "raft", "{}", record.msg())
            }
            slog::Level::Warning => tracing::warn!(target: "raft", "{}", record.msg()),
            slog::Level::Info => tracing::debug!(target: "raft", "{}", record.msg()),
            slog::Level::Debug | slog::Level::Trace => {
                tracing::trace!(target: "raft", "{}", record.msg())
            }
        }
        Ok(())
    }
}

/// A logger for raft-rs that goes to `tracing`.
pub fn raft_logger() -> slog::Logger {
    slog::Logger::root(TracingDrain, slog::o!())
}
