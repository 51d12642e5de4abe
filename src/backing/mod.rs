//! The backing database: read-through, write-through and write-behind of
//! chosen keys to SQLite (embedded, the default kind) or PostgreSQL.
//!
//! Parts:
//! - [`rules`]: which keys go to which table, and how;
//! - [`BackingStore`]: the database, [`sqlite::Sqlite`] or [`postgres::Postgres`];
//! - [`journal`]: the durable write-behind journal under `dir`;
//! - [`writer`]: the one task that carries journal records to the database
//!   in coalesced batches, in order, retrying with backoff;
//! - [`Backing`]: the engine tying them together, fed by the effects
//!   fan-out (write-behind, deletions on expiry/eviction) and called by the
//!   server around a command (read-through loads, write-through commits).
//!
//! The table schema (created when missing), the same for both databases:
//!
//! ```sql
//! CREATE TABLE <table> (
//!   key        BLOB/BYTEA PRIMARY KEY,  -- the key's bytes
//!   type       TEXT NOT NULL,           -- string, list, set, zset, hash, stream
//!   value      BLOB/BYTEA NOT NULL,     -- a string's bytes; other types: Shoal's DUMP payload
//!   expire_at  BIGINT,                  -- absolute expiry, Unix ms; NULL = none
//!   version    BIGINT NOT NULL,         -- per-key version: a later write has a larger one
//!   updated_at BIGINT NOT NULL          -- when Shoal wrote the row, Unix ms
//! );
//! CREATE TABLE shoal_backing_state (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
//! ```
//!
//! Invariants:
//! - a row is only ever replaced by a write with a larger version, so
//!   replaying a batch (after a crash, or a retry whose first attempt did
//!   commit) is idempotent;
//! - journal records reach the database in sequence order, one writer, so
//!   an earlier write to a key never overtakes a later one;
//! - the committed journal cursor is stored in the same transaction as the
//!   batch it covers (row `journal` of `shoal_backing_state`), so a restart
//!   replays exactly the records after it. In a cluster the same cursor is
//!   the applied Raft index and the Raft log is the journal: no second
//!   journal is needed;
//! - `FLUSHDB`, `FLUSHALL` and `SWAPDB` empty or move the cache only; they
//!   never delete rows (a flushed cache reloads by read-through).

pub mod journal;
pub mod postgres;
pub mod rules;
pub mod sqlite;
pub mod writer;

mod engine;

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

pub use engine::{image_of, in_scope, payload_of, Backing, Settings, Stats};
pub use rules::{Rule, Rules, WriteMode};

/// A failure of the backing database or journal.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum BackingError {
    /// The database refused or failed the request.
    #[error("{0}")]
    Db(String),
    /// The database did not answer in time.
    #[error("the backing database did not answer within {0} ms")]
    Timeout(u64),
    /// The journal could not be written.
    #[error("journal: {0}")]
    Journal(String),
    /// A configuration problem (bad URL, bad rule).
    #[error("{0}")]
    Config(String),
}

/// What a key holds, as stored in a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// The type name (`string`, `hash`, ...).
    pub kind: String,
    /// A string's bytes; for other types Shoal's DUMP payload.
    pub value: Vec<u8>,
    /// Absolute expiry in Unix ms, 0 for none.
    pub expire_at: u64,
}

/// A change to one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// Insert or replace the row.
    Upsert(Image),
    /// Remove the row.
    Delete,
}

/// One change for the database: a journal record, or a write-through op.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Its sequence number, which is also the row's new version.
    pub seq: u64,
    /// The table.
    pub table: String,
    /// The key.
    pub key: Vec<u8>,
    /// The change.
    pub op: Op,
    /// When the change happened (Unix ms).
    pub at_ms: u64,
}

/// A row read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// What the key holds.
    pub image: Image,
    /// The row's version.
    pub version: u64,
}

/// A batch of changes committed in one transaction; `cursor` (if any) is
/// stored with them as the last journal sequence they cover.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// The changes, at most one per (table, key).
    pub records: Vec<Record>,
    /// The journal cursor to record, for journal batches.
    pub cursor: Option<u64>,
}

/// A boxed future of a database call.
pub type DbFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BackingError>> + Send + 'a>>;

/// A backing database. Every method is one transaction.
pub trait BackingStore: Send + Sync {
    /// Creates the tables (and the state table) that are missing.
    fn prepare<'a>(&'a self, tables: &'a [String]) -> DbFuture<'a, ()>;
    /// Reads one row.
    fn load<'a>(&'a self, table: &'a str, key: &'a [u8]) -> DbFuture<'a, Option<Row>>;
    /// Applies a batch atomically; a row changes only if the record's
    /// version is at least the row's.
    fn write(&self, batch: Batch) -> DbFuture<'_, ()>;
    /// The journal cursor recorded by the last committed batch (0 if none).
    fn cursor(&self) -> DbFuture<'_, u64>;
    /// A short name for `INFO` (`sqlite`, `postgres`).
    fn kind(&self) -> &'static str;
}

/// Opens the database a `backing-url` names: `sqlite:///abs/path.db` or
/// `postgres://user@host:port/db`.
pub fn open(url: &str, pool: usize) -> Result<Box<dyn BackingStore>, BackingError> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        if !path.starts_with('/') {
            return Err(BackingError::Config(format!(
                "backing-url '{url}': a SQLite path must be absolute (sqlite:///abs/path.db)"
            )));
        }
        return Ok(Box::new(sqlite::Sqlite::open(path)?));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Box::new(postgres::Postgres::new(url, pool)?));
    }
    Err(BackingError::Config(format!(
        "backing-url '{url}': expected sqlite:///path or postgres://user@host:port/db"
    )))
}

/// The wall clock in Unix ms.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
