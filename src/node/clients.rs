//! Connected clients: the per-connection state commands may change
//! ([`Session`]) and the shared registry (`CLIENT LIST`, `CLIENT KILL`,
//! `INFO clients`) holding a [`ClientInfo`] per connection.
//!
//! Invariant: a client is in the registry from accept until its connection
//! task ends; `kill` only flags it, the connection task closes itself.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use hashbrown::HashMap;
use parking_lot::Mutex;
use tokio::sync::Notify;

/// Turns a command row's address back into its full name; installed once
/// by the command table ([`set_command_names`]), so this module needs no
/// knowledge of the table.
static NAME_OF: std::sync::OnceLock<fn(usize) -> Option<&'static str>> = std::sync::OnceLock::new();

/// Installs the resolver [`ClientInfo::last_cmd`] uses (the command table
/// calls this when it builds its lookup).
pub fn set_command_names(resolve: fn(usize) -> Option<&'static str>) {
    let _ = NAME_OF.set(resolve);
}

/// What the connection does with replies (`CLIENT REPLY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyMode {
    /// Replies are sent.
    On,
    /// Replies are discarded.
    Off,
    /// The next command's reply is discarded.
    SkipNext,
    /// The current command's reply is discarded (then back to On).
    Skipping,
}

impl ClientInfo {
    /// Records the command about to run (`cmd=` in `CLIENT LIST`).
    /// `row` is the address of the command's `'static` table row.
    pub fn set_last_cmd(&self, row: usize) {
        self.last_cmd.store(row, Ordering::Relaxed);
    }

    /// The last command's full name (`parent|sub` for a subcommand), or
    /// `NULL` before the first, as Redis.
    pub fn last_cmd(&self) -> &'static str {
        let addr = self.last_cmd.load(Ordering::Relaxed);
        if addr == 0 {
            return "NULL";
        }
        NAME_OF.get().and_then(|f| f(addr)).unwrap_or("NULL")
    }
}

/// Shared, read-mostly facts about a connection.
#[derive(Debug)]
pub struct ClientInfo {
    /// Unique id (`CLIENT ID`).
    pub id: u64,
    /// Peer address.
    pub addr: SocketAddr,
    /// Local address.
    pub laddr: SocketAddr,
    /// When the connection was accepted.
    pub created: Instant,
    /// Milliseconds since `created` at the last command.
    pub last_interaction_ms: AtomicU64,
    /// Selected database.
    pub db: AtomicUsize,
    /// Protocol version.
    pub resp: AtomicU8,
    /// Connection name (`CLIENT SETNAME`).
    pub name: Mutex<Vec<u8>>,
    /// Library name (`CLIENT SETINFO LIB-NAME`).
    pub lib_name: Mutex<Vec<u8>>,
    /// Library version (`CLIENT SETINFO LIB-VER`).
    pub lib_ver: Mutex<Vec<u8>>,
    /// Address of the last command's row (0 before the first); see
    /// [`ClientInfo::last_cmd`]. An address, not the name, so storing it
    /// is one plain atomic store instead of a lock.
    last_cmd: AtomicUsize,
    /// Authenticated user name.
    pub user: Mutex<String>,
    /// Bytes waiting in the query buffer.
    pub qbuf: AtomicUsize,
    /// Set by `CLIENT KILL`; the connection closes when it sees it.
    pub killed: AtomicBool,
    /// Wakes the connection task when killed.
    pub wake: Notify,
    /// `CLIENT NO-EVICT on`.
    pub no_evict: AtomicBool,
    /// `CLIENT NO-TOUCH on`.
    pub no_touch: AtomicBool,
    /// Channels subscribed (`sub=` in `CLIENT LIST`).
    pub sub: AtomicUsize,
    /// Patterns subscribed (`psub=`).
    pub psub: AtomicUsize,
    /// Shard channels subscribed (`ssub=`).
    pub ssub: AtomicUsize,
    /// Commands queued in MULTI, or -1 outside a transaction (`multi=`).
    pub multi: AtomicI64,
    /// Waiting in a blocking command (`blocked_clients`, flag `b`).
    pub blocked: AtomicBool,
    /// In monitor mode (flag `O`).
    pub monitor: AtomicBool,
    /// A replica feed (`SYNC`/`PSYNC`; flag `S`, `connected_slaves`).
    pub replica: AtomicBool,
}

impl ClientInfo {
    /// A client's facts at accept time.
    pub fn new(id: u64, addr: SocketAddr, laddr: SocketAddr) -> ClientInfo {
        ClientInfo {
            id,
            addr,
            laddr,
            created: Instant::now(),
            last_interaction_ms: AtomicU64::new(0),
            db: AtomicUsize::new(0),
            resp: AtomicU8::new(2),
            name: Mutex::new(Vec::new()),
            lib_name: Mutex::new(Vec::new()),
            lib_ver: Mutex::new(Vec::new()),
            last_cmd: AtomicUsize::new(0),
            user: Mutex::new("default".into()),
            qbuf: AtomicUsize::new(0),
            killed: AtomicBool::new(false),
            wake: Notify::new(),
            no_evict: AtomicBool::new(false),
            no_touch: AtomicBool::new(false),
            sub: AtomicUsize::new(0),
            psub: AtomicUsize::new(0),
            ssub: AtomicUsize::new(0),
            multi: AtomicI64::new(-1),
            blocked: AtomicBool::new(false),
            monitor: AtomicBool::new(false),
            replica: AtomicBool::new(false),
        }
    }

    /// The facts of an internal client (one that applies a replicated
    /// stream, or a test's): id 0, no address, not in the registry.
    pub fn internal() -> ClientInfo {
        let none = SocketAddr::from(([0, 0, 0, 0], 0));
        ClientInfo::new(0, none, none)
    }

    /// Seconds since the last command.
    pub fn idle_secs(&self) -> u64 {
        let now = self.created.elapsed().as_millis() as u64;
        now.saturating_sub(self.last_interaction_ms.load(Ordering::Relaxed)) / 1000
    }

    /// Whether the client is in publish/subscribe mode (type `pubsub`).
    pub fn is_pubsub(&self) -> bool {
        self.sub.load(Ordering::Relaxed) + self.psub.load(Ordering::Relaxed) + self.ssub.load(Ordering::Relaxed) > 0
    }

    /// Flags the client to close and wakes its task.
    pub fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }
}

/// Per-connection state owned by the connection task and changed by commands.
#[derive(Debug, Clone)]
pub struct Session {
    /// Shared facts (also in the registry).
    pub info: Arc<ClientInfo>,
    /// Selected database.
    pub db: usize,
    /// Whether the client has authenticated (or no password is required).
    pub authenticated: bool,
    /// Reply mode.
    pub reply_mode: ReplyMode,
    /// `CLIENT NO-TOUCH`: reads do not update access times.
    pub no_touch: bool,
    /// The open transaction, between `MULTI` and `EXEC`/`DISCARD`.
    pub multi: Option<Multi>,
    /// Keys under `WATCH`: (db, key, expiry at WATCH time or 0).
    pub watched: Vec<(usize, Bytes, u64)>,
    /// Set when a watched key is modified; `EXEC` then fails.
    pub watch_dirty: Arc<AtomicBool>,
    /// While a parked command is re-run because a key was written: that key
    /// (stream reads serve only it, as Redis serves a woken client).
    pub ready_key: Option<Bytes>,
    /// `EXEC` is running this session's queued commands (nothing may
    /// block or start monitoring).
    pub in_exec: bool,
    /// In monitor mode: the lines to forward (`MONITOR`; `RESET` ends it).
    pub monitor: Option<Arc<tokio::sync::Mutex<crate::node::monitor::MonitorFeed>>>,
    /// Subscribed (or was, with messages still to forward): the messages
    /// published to it (`SUBSCRIBE`/`PSUBSCRIBE`; `RESET` ends it).
    pub pubsub: Option<Arc<tokio::sync::Mutex<crate::node::pubsub::PubSubFeed>>>,
}

/// A transaction being queued.
#[derive(Debug, Clone, Default)]
pub struct Multi {
    /// Queued commands, already resolved and arity-checked.
    pub queue: Vec<Vec<Bytes>>,
    /// A command was rejected while queuing: `EXEC` answers `EXECABORT`.
    pub failed: bool,
    /// The union of the queued commands' flags (`EXEC` counts as
    /// `denyoom` if any queued command is).
    pub flags: u32,
    /// The union of the complements of the queued commands' flags (`EXEC`
    /// is refused on a stale replica if any queued command lacks `stale`).
    pub missing_flags: u32,
}

impl Session {
    /// A fresh session for `info`.
    pub fn new(info: Arc<ClientInfo>, authenticated: bool) -> Self {
        Session {
            info,
            db: 0,
            authenticated,
            reply_mode: ReplyMode::On,
            no_touch: false,
            multi: None,
            watched: Vec::new(),
            watch_dirty: Arc::new(AtomicBool::new(false)),
            ready_key: None,
            in_exec: false,
            monitor: None,
            pubsub: None,
        }
    }

    /// Returns the connection to its state right after connecting (`RESET`):
    /// db 0, RESP2, no name, replies on, no-touch and no-evict off, and
    /// authenticated only if no password is required. Families that keep
    /// more per-connection state (MULTI, subscriptions) clear it here too.
    pub fn reset(&mut self, authenticated: bool) {
        self.select(0);
        self.authenticated = authenticated;
        // A pending `CLIENT REPLY SKIP` still swallows RESET's own reply, as in Redis.
        if self.reply_mode != ReplyMode::Skipping {
            self.reply_mode = ReplyMode::On;
        }
        self.no_touch = false;
        self.multi = None;
        self.info.multi.store(-1, Ordering::Relaxed);
        self.info.resp.store(2, Ordering::Relaxed);
        self.info.name.lock().clear();
        self.info.no_touch.store(false, Ordering::Relaxed);
        self.info.no_evict.store(false, Ordering::Relaxed);
        *self.info.user.lock() = "default".into();
        // Dropping the feed unregisters the monitor at its next line.
        self.monitor = None;
        self.info.monitor.store(false, Ordering::Relaxed);
        // The caller has removed the subscriptions from the registry.
        self.pubsub = None;
    }

    /// Selects database `db`.
    pub fn select(&mut self, db: usize) {
        self.db = db;
        self.info.db.store(db, Ordering::Relaxed);
    }
}

/// All connected clients.
#[derive(Debug, Default)]
pub struct Registry {
    next_id: AtomicU64,
    clients: Mutex<HashMap<u64, Arc<ClientInfo>>>,
    /// `clients.len()`, kept beside it so the `maxmemory` check made before
    /// every command reads it without the lock.
    connected: AtomicUsize,
    /// Connections accepted since start (or `CONFIG RESETSTAT`).
    pub total_connections: AtomicU64,
    /// Connections refused because of `maxclients`.
    pub rejected_connections: AtomicU64,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Registry {
            next_id: AtomicU64::new(1),
            ..Default::default()
        }
    }

    /// Registers a new connection.
    pub fn register(&self, addr: SocketAddr, laddr: SocketAddr) -> Arc<ClientInfo> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed).max(1);
        let info = Arc::new(ClientInfo::new(id, addr, laddr));
        let mut clients = self.clients.lock();
        clients.insert(id, info.clone());
        self.connected.store(clients.len(), Ordering::Relaxed);
        drop(clients);
        self.total_connections.fetch_add(1, Ordering::Relaxed);
        info
    }

    /// Removes a closed connection.
    pub fn unregister(&self, id: u64) {
        let mut clients = self.clients.lock();
        clients.remove(&id);
        self.connected.store(clients.len(), Ordering::Relaxed);
    }

    /// Number of connected clients (without the registry's lock).
    pub fn len(&self) -> usize {
        self.connected.load(Ordering::Relaxed)
    }

    /// Number of connected clients for which `f` holds.
    pub fn count(&self, f: impl Fn(&ClientInfo) -> bool) -> usize {
        self.clients.lock().values().filter(|c| f(c)).count()
    }

    /// Whether no client is connected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A snapshot of all clients, ordered by id.
    pub fn snapshot(&self) -> Vec<Arc<ClientInfo>> {
        let mut v: Vec<_> = self.clients.lock().values().cloned().collect();
        v.sort_by_key(|c| c.id);
        v
    }

    /// The client with `id`.
    pub fn get(&self, id: u64) -> Option<Arc<ClientInfo>> {
        self.clients.lock().get(&id).cloned()
    }
}
