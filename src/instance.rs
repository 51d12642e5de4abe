//! The running server's shared state: store, configuration, clients,
//! statistics, and the signals between them (shutdown, client pause). One
//! `Instance` per process, shared by every connection task.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;
use tokio::sync::{watch, Notify};

use crate::clients::Registry;
use crate::commands::spec::Lookup;
use crate::config::Config;
use crate::metrics::Stats;
use crate::store::Store;

/// Which commands a `CLIENT PAUSE` holds back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseMode {
    /// Every command.
    All,
    /// Commands that may write.
    Write,
}

/// The server's shared state.
#[derive(Debug)]
pub struct Instance {
    /// The keyspace.
    pub store: Store,
    /// Live configuration.
    pub config: Config,
    /// Connected clients.
    pub clients: Registry,
    /// Counters for `INFO`.
    pub stats: Stats,
    /// Process start.
    pub started: Instant,
    /// Unix seconds at start (`LASTSAVE` before any save).
    pub started_unix: u64,
    /// 40 hex characters, as Redis's `run_id`.
    pub run_id: String,
    /// Set once shutdown begins.
    pub shutting_down: AtomicBool,
    shutdown_tx: watch::Sender<bool>,
    /// `CLIENT PAUSE` state: (until, mode).
    pub pause: Mutex<Option<(Instant, PauseMode)>>,
    /// Woken on `CLIENT UNPAUSE`.
    pub unpause: Notify,
    /// Unix seconds of the last save.
    pub last_save: AtomicU64,
    /// The port actually bound.
    pub port: AtomicU64,
}

/// Current Unix time in milliseconds.
pub fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl Instance {
    /// A new instance with `config`.
    pub fn new(config: Config) -> Self {
        let databases = config.get_i64("databases").max(1) as usize;
        let names = Lookup::get()
            .all()
            .iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.subcommands.iter().map(|s| s.name)));
        let (shutdown_tx, _) = watch::channel(false);
        let started_unix = unix_ms() / 1000;
        let run_id: String = (0..40).map(|_| format!("{:x}", rand::random::<u8>() & 0xf)).collect();
        Instance {
            store: Store::new(databases),
            config,
            clients: Registry::new(),
            stats: Stats::new(names),
            started: Instant::now(),
            started_unix,
            run_id,
            shutting_down: AtomicBool::new(false),
            shutdown_tx,
            pause: Mutex::new(None),
            unpause: Notify::new(),
            last_save: AtomicU64::new(started_unix),
            port: AtomicU64::new(0),
        }
    }

    /// Starts a graceful shutdown.
    pub fn shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
        self.shutdown_tx.send_replace(true);
    }

    /// A receiver that sees `true` once shutdown begins.
    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown_tx.subscribe()
    }

    /// Whether `requirepass` is set.
    pub fn auth_required(&self) -> bool {
        !self.config.get("requirepass").is_empty()
    }
}
