//! Commands: one file per family plus THE table (`table.rs`).
//!
//! A handler is `fn(&mut Ctx, &mut Args) -> Result<(), CmdError>`:
//! synchronous, deterministic (time and randomness come from [`Ctx`]),
//! never touching the socket. It parses every argument first, then calls the
//! store, then writes its reply into `ctx.out`. Anything that must wait or
//! affect the connection (close, shutdown, sleep) is asked for through
//! `ctx.action` and carried out by the server's dispatch.

pub mod args;
pub mod bitmaps;
pub mod command;
pub mod connection;
pub mod dump;
pub mod error;
pub mod geo;
pub mod hashes;
pub mod hyperloglog;
pub mod keys;
pub mod latency;
pub mod lists;
pub mod memory;
pub mod pqsort;
pub mod server;
pub mod sets;
pub mod slowlog;
pub mod sort;
pub mod spec;
pub mod streams;
pub mod strings;
pub mod table;
pub mod transactions;
pub mod zsets;

use std::time::Duration;

use rand::rngs::SmallRng;

pub use args::Args;
pub use error::CmdError;
pub use spec::CommandSpec;

use crate::clients::Session;
use crate::instance::Instance;
use crate::protocol::Reply;
use crate::store::{Db, Effects};

/// A command handler.
pub type Handler = fn(&mut Ctx<'_>, &mut Args<'_>) -> Result<(), CmdError>;

/// Something the connection must do after the command's reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The command found nothing to serve and asks to wait (`BLPOP` on empty
    /// lists, `XREAD BLOCK`, ...). The handler wrote NO reply. The server
    /// parks the client on the keys and re-runs the command (with
    /// [`Block::argv`] if given) each time one of them is written, in FIFO
    /// order among the clients waiting on a key, until it replies; at the
    /// deadline it writes a null array. Inside `MULTI`/`EXEC` (or wherever
    /// the client cannot wait) [`Block::on_timeout`] is written at once.
    Block(Block),
    /// Close the connection after writing the reply (`QUIT`).
    Close,
    /// Shut the server down (`SHUTDOWN`); no reply is written.
    Shutdown,
    /// Hold this connection for a while before the next command (`DEBUG SLEEP`).
    Sleep(Duration),
}

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

/// Everything a handler may use.
pub struct Ctx<'a> {
    /// Shared server state.
    pub inst: &'a Instance,
    /// This connection's state.
    pub session: &'a mut Session,
    /// Reply writer.
    pub out: &'a mut Reply,
    /// Effects of this command.
    pub fx: &'a mut Effects,
    /// The command's time (Unix ms).
    pub now_ms: u64,
    /// The command's randomness.
    pub rng: &'a mut SmallRng,
    /// The row being executed.
    pub spec: &'static CommandSpec,
    /// What the connection must do afterwards.
    pub action: Option<Action>,
}

impl<'a> Ctx<'a> {
    /// The selected database.
    pub fn db(&self) -> &'a Db {
        // The session's index is validated by SELECT, so it is always in range;
        // fall back to db 0 rather than panic.
        let inst: &'a Instance = self.inst;
        let store = &inst.store;
        store
            .db(self.session.db)
            .or_else(|| store.db(0))
            .unwrap_or_else(|| &store.dbs()[0])
    }

    /// The encoding thresholds in force for this command.
    pub fn limits(&self) -> crate::store::Limits {
        use crate::config::Hot;
        // Atomics beside the configuration: this runs on every container write.
        let c = &self.inst.config;
        let size = |p: Hot| usize::try_from(c.hot(p)).unwrap_or(0);
        crate::store::Limits {
            hash_max_listpack_entries: size(Hot::HashMaxListpackEntries),
            hash_max_listpack_value: size(Hot::HashMaxListpackValue),
            list_max_listpack_size: c.hot(Hot::ListMaxListpackSize),
            set_max_intset_entries: size(Hot::SetMaxIntsetEntries),
            zset_max_listpack_entries: size(Hot::ZsetMaxListpackEntries),
            zset_max_listpack_value: size(Hot::ZsetMaxListpackValue),
            hash_seed: self.inst.store.seed(),
        }
    }

    /// Records a key lookup for `keyspace_hits`/`keyspace_misses`.
    pub fn lookup(&self, hit: bool) {
        self.inst.stats.record_lookup(hit);
    }
}
