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
pub mod call;
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
pub mod propagate;
pub mod pubsub;
pub mod replication;
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

pub use crate::node::blocking::{Block, TimeoutReply};
pub use args::Args;
pub use error::CmdError;
pub use spec::CommandSpec;

use crate::node::clients::Session;
use crate::node::instance::Instance;
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
    Block(Box<Block>),
    /// Close the connection after writing the reply (`QUIT`).
    Close,
    /// Shut the server down (`SHUTDOWN`); no reply is written.
    Shutdown,
    /// Hold this connection for a while before the next command (`DEBUG SLEEP`).
    Sleep(Duration),
    /// The connection becomes a replica feed (`SYNC`, `PSYNC`): snapshot,
    /// then the replicated command stream; see `commands::replication`.
    Replicate {
        /// `PSYNC` (answer `+FULLRESYNC` first) rather than `SYNC`.
        psync: bool,
    },
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
    /// The seed of the command's randomness (`rng` is drawn from it).
    pub seed: u64,
    /// The command's randomness (seeded from `seed` when first drawn).
    pub rng: &'a mut call::CommandRng,
    /// The row being executed.
    pub spec: &'static CommandSpec,
    /// What the connection must do afterwards.
    pub action: Option<Action>,
    /// The replicated form of what runs (see [`call::Propagation`]).
    pub prop: &'a mut call::Propagation,
    /// Nesting depth: 0 for a top-level command, 1 inside `EXEC`.
    pub depth: u32,
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

    /// Whether the replicated stream is being built: a handler whose
    /// replicated form differs from its argv builds it only then.
    pub fn replicating(&self) -> bool {
        self.prop.active
    }

    /// Gives `argv`, applied in the selected database, as the (or one more
    /// piece of the) replicated form of this command, which is then not
    /// propagated as sent (Redis's `alsoPropagate` plus `preventCommandPropagation`).
    pub fn propagate(&mut self, argv: Vec<bytes::Bytes>) {
        let db = self.session.db;
        self.prop.push(db, argv);
    }

    /// Like [`Ctx::propagate`], from static and borrowed pieces.
    pub fn propagate_parts(&mut self, parts: &[&[u8]]) {
        if self.prop.active {
            let argv = parts.iter().map(|p| bytes::Bytes::copy_from_slice(p)).collect();
            self.propagate(argv);
        } else {
            self.prop.suppress();
        }
    }

    /// Gives `argv`, applied in the selected database, as a write that
    /// happened on the way and replicates before this command's own form
    /// without replacing it (lazily expired hash fields as `HDEL`);
    /// `effects` is how many of the effects this command recorded it covers.
    pub fn propagate_also(&mut self, argv: Vec<bytes::Bytes>, effects: usize) {
        let db = self.session.db;
        self.prop.also(db, argv, effects);
    }

    /// This command propagates nothing itself (what it changed reached the
    /// stream otherwise, or nothing needs replaying).
    pub fn propagate_nothing(&mut self) {
        self.prop.suppress();
    }

    /// Records a key lookup for `keyspace_hits`/`keyspace_misses`.
    pub fn lookup(&self, hit: bool) {
        self.inst.stats.record_lookup(hit);
    }
}
