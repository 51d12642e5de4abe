//! The running node's state that is not data: the shared [`Instance`],
//! clients and their sessions, the blocking registry, watched keys, the
//! slow log, the latency monitor, monitors, the pub/sub registry, the stream of replicated
//! writes, and the fan-out of effects to all of them.
//!
//! Invariant: nothing here imports `commands/` or `server/` (scripts/test
//! checks it); the command layer calls in, never the other way round.

pub mod blocking;
pub mod clients;
pub mod fanout;
pub mod instance;
pub mod latency;
pub mod monitor;
pub mod notify;
pub mod pubsub;
pub mod replication;
pub mod slowlog;
pub mod watch;

pub use instance::Instance;
