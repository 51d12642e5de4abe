//! Commands: one file per family plus THE table (`table.rs`).
//!
//! A handler is `fn(&mut Ctx, &mut Args) -> Result<(), CmdError>`:
//! synchronous, deterministic (time and randomness come from [`Ctx`]),
//! never touching the socket. It parses every argument first, then calls the
//! store, then writes its reply into `ctx.out`. Anything that must wait or
//! affect the connection (close, shutdown, sleep) is asked for through
//! `ctx.action` and carried out by the server's dispatch.

pub mod args;
pub mod command;
pub mod connection;
pub mod error;
pub mod keys;
pub mod server;
pub mod spec;
pub mod strings;
pub mod table;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Close the connection after writing the reply (`QUIT`).
    Close,
    /// Shut the server down (`SHUTDOWN`); no reply is written.
    Shutdown,
    /// Hold this connection for a while before the next command (`DEBUG SLEEP`).
    Sleep(Duration),
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

    /// Records a key lookup for `keyspace_hits`/`keyspace_misses`.
    pub fn lookup(&self, hit: bool) {
        self.inst.stats.record_lookup(hit);
    }
}
