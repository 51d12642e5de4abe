//! The running server's shared state: store, configuration, clients,
//! statistics, and the signals between them (shutdown, client pause). One
//! `Instance` per process, shared by every connection task.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;
use tokio::sync::{watch, Notify};

use crate::config::Config;
use crate::metrics::Stats;
use crate::node::clients::Registry;
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
    /// Whether `pause` may hold a pause: set (under the `pause` lock) when
    /// one starts, cleared with it, so a command skips the lock when unset.
    pub pause_set: AtomicBool,
    /// Woken on `CLIENT UNPAUSE`.
    pub unpause: Notify,
    /// Unix seconds of the last save.
    pub last_save: AtomicU64,
    /// The port actually bound.
    pub port: AtomicU64,
    /// Whether the active expiry cycle runs (`DEBUG SET-ACTIVE-EXPIRE`).
    pub active_expire: AtomicBool,
    /// 40 hex characters, as Redis's `master_replid`.
    pub replid: String,
    /// Highest `used_memory` seen by `INFO` (`used_memory_peak`).
    pub mem_peak: AtomicU64,
    /// The last sample behind `INFO`'s instantaneous rates.
    pub rate_sample: Mutex<RateSample>,
    /// Keys under `WATCH`.
    pub watches: crate::node::watch::Watches,
    /// Commands run holding this for reading; `EXEC` holds it for writing,
    /// which makes a transaction atomic.
    pub gate: parking_lot::RwLock<()>,
    /// Clients parked in blocking commands.
    pub blocking: crate::node::blocking::Blocking,
    /// Commands slower than `slowlog-log-slower-than`.
    pub slowlog: crate::node::slowlog::SlowLog,
    /// Commands slower than `latency-monitor-threshold`, per second.
    pub latency: crate::node::latency::LatencyMonitor,
    /// Connections in monitor mode.
    pub monitors: crate::node::monitor::Monitors,
    /// Channel and pattern subscriptions.
    pub pubsub: crate::node::pubsub::PubSub,
    /// The replicated command stream and its listeners.
    pub replication: crate::node::replication::Replication,
    /// Consumers of effects beyond the built-in ones (see `node::fanout`).
    pub effect_listeners: crate::node::fanout::Listeners,
    /// The backing database engine, when `backing-rule`s are set.
    pub backing: std::sync::OnceLock<std::sync::Arc<crate::backing::Backing>>,
    /// The primary this node replicates (`REPLICAOF host port`), or `None`
    /// for a primary. The follower task (`server/follow.rs`) watches it.
    pub master: watch::Sender<Option<(String, u16)>>,
    /// Whether the link to the primary is up (`master_link_status`).
    pub master_link_up: AtomicBool,
    /// Whether `master` names a primary (read on every command, without
    /// the channel's lock).
    replica: AtomicBool,
    /// `maxmemory` eviction state: the candidate pool and its sampling
    /// (taken under the gate, before any shard lock).
    pub evictor: Mutex<crate::store::evict::Evictor>,
    /// Since when (µs after `started`, plus one) `used_memory` has been over
    /// `maxmemory` as eviction runs saw it; 0 while it is not.
    pub evict_over_since: AtomicU64,
    /// Microseconds spent over `maxmemory` in past stretches
    /// (`total_eviction_exceeded_time`).
    pub evict_over_total: AtomicU64,
}

/// Counters at one moment and the rates derived at the previous sample.
#[derive(Debug, Clone, Copy)]
pub struct RateSample {
    /// When the sample was taken.
    pub at: Instant,
    /// Commands processed at that moment.
    pub commands: u64,
    /// Bytes read at that moment.
    pub net_input: u64,
    /// Bytes written at that moment.
    pub net_output: u64,
    /// Commands per second over the last interval.
    pub ops_per_sec: u64,
    /// Input KB/s over the last interval.
    pub input_kbps: f64,
    /// Output KB/s over the last interval.
    pub output_kbps: f64,
}

/// Current Unix time in milliseconds.
pub fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl Instance {
    /// A new instance with `config`; `command_names` are the table's rows
    /// (their statistics are kept without a lookup per call).
    pub fn new(config: Config, command_names: impl Iterator<Item = &'static str>) -> Self {
        let databases = config.get_i64("databases").max(1) as usize;
        Instance::with_store(config, command_names, Store::new(databases))
    }

    /// Like [`Instance::new`], over a given `store` (a replica built with
    /// its primary's dataset seed: `Store::with_seed`).
    pub fn with_store(config: Config, command_names: impl Iterator<Item = &'static str>, store: Store) -> Self {
        let names = command_names;
        let (shutdown_tx, _) = watch::channel(false);
        let started_unix = unix_ms() / 1000;
        let hex40 = || -> String { (0..40).map(|_| format!("{:x}", rand::random::<u8>() & 0xf)).collect() };
        let run_id = hex40();
        let inst = Instance {
            store,
            config,
            clients: Registry::new(),
            stats: Stats::new(names),
            started: Instant::now(),
            started_unix,
            run_id,
            shutting_down: AtomicBool::new(false),
            shutdown_tx,
            pause: Mutex::new(None),
            pause_set: AtomicBool::new(false),
            unpause: Notify::new(),
            last_save: AtomicU64::new(started_unix),
            port: AtomicU64::new(0),
            active_expire: AtomicBool::new(true),
            replid: hex40(),
            mem_peak: AtomicU64::new(0),
            rate_sample: Mutex::new(RateSample {
                at: Instant::now(),
                commands: 0,
                net_input: 0,
                net_output: 0,
                ops_per_sec: 0,
                input_kbps: 0.0,
                output_kbps: 0.0,
            }),
            watches: Default::default(),
            gate: parking_lot::RwLock::new(()),
            blocking: Default::default(),
            slowlog: Default::default(),
            latency: Default::default(),
            monitors: Default::default(),
            pubsub: Default::default(),
            replication: Default::default(),
            effect_listeners: Default::default(),
            backing: Default::default(),
            master: watch::channel(None).0,
            master_link_up: AtomicBool::new(false),
            replica: AtomicBool::new(false),
            evictor: Mutex::new(crate::store::evict::Evictor::new(rand::random())),
            evict_over_since: AtomicU64::new(0),
            evict_over_total: AtomicU64::new(0),
        };
        inst.sync_access_mode();
        inst
    }

    /// Records whether `used_memory` is over `maxmemory` after an eviction
    /// run (Redis's `stat_last_eviction_exceeded_time` bookkeeping).
    pub fn note_over_maxmemory(&self, over: bool) {
        let now = self.started.elapsed().as_micros() as u64 + 1;
        let since = self.evict_over_since.load(Ordering::Relaxed);
        if over && since == 0 {
            self.evict_over_since.store(now, Ordering::Relaxed);
        } else if !over && since != 0 && self.evict_over_since.swap(0, Ordering::Relaxed) == since {
            self.evict_over_total.fetch_add(now - since, Ordering::Relaxed);
        }
    }

    /// (`total_eviction_exceeded_time`, `current_eviction_exceeded_time`)
    /// in milliseconds.
    pub fn eviction_exceeded_ms(&self) -> (u64, u64) {
        let now = self.started.elapsed().as_micros() as u64 + 1;
        let since = self.evict_over_since.load(Ordering::Relaxed);
        let current = if since == 0 { 0 } else { now.saturating_sub(since) };
        let total = self.evict_over_total.load(Ordering::Relaxed) + current;
        (total / 1000, current / 1000)
    }

    /// Tells the store how accesses update the keys' clocks, from
    /// `maxmemory-policy`, `lfu-log-factor` and `lfu-decay-time` (at start
    /// and after `CONFIG SET` of any of them).
    pub fn sync_access_mode(&self) {
        let policy = crate::store::evict::Policy::parse(&self.config.get("maxmemory-policy"));
        let mode = crate::store::evict::AccessMode {
            lfu: policy.is_some_and(|p| p.is_lfu()),
            log_factor: self.config.get_i64("lfu-log-factor").clamp(0, i64::from(i32::MAX)) as u32,
            decay_time: self.config.get_i64("lfu-decay-time").clamp(0, i64::from(i32::MAX)) as u32,
        };
        self.store.set_access_mode(mode);
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

    /// Whether this node replicates another (`REPLICAOF`).
    pub fn is_replica(&self) -> bool {
        self.replica.load(Ordering::Acquire)
    }

    /// Starts replicating `primary` (host, port), or stops with `None`;
    /// the follower task sees the change.
    pub fn set_master(&self, primary: Option<(String, u16)>) {
        self.replica.store(primary.is_some(), Ordering::Release);
        self.master_link_up.store(false, Ordering::Relaxed);
        self.store.set_follower(primary.is_some());
        self.master.send_replace(primary);
    }

    /// Replica feeds that acknowledged within `min-replicas-max-lag`
    /// seconds (Redis's good replicas).
    pub fn good_replicas(&self) -> usize {
        let max_lag = self.config.get_i64("min-replicas-max-lag").max(0) as u64;
        self.clients
            .count(|c| c.replica.load(Ordering::Relaxed) && c.idle_secs() <= max_lag)
    }

    /// Whether `requirepass` is set.
    pub fn auth_required(&self) -> bool {
        !self.config.get("requirepass").is_empty()
    }
}
