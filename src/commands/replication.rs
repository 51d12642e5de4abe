//! Replication commands: `SYNC`, `PSYNC` and `REPLCONF`. A client that
//! sends `SYNC` (or `PSYNC`, answered `+FULLRESYNC`) becomes a replica
//! feed: it receives a point-in-time snapshot of the dataset as one bulk
//! payload, then the replicated command stream from exactly that point, as
//! RESP arrays with `SELECT` and `MULTI`/`EXEC` as Redis sends them, and a
//! `PING` every `repl-ping-replica-period` seconds.
//!
//! The payload is Shoal's snapshot format (see [`snapshot`]), not an RDB
//! file: another Shoal can load it, a Redis replica cannot (as `DUMP`
//! payloads). The socket side is `server/replica.rs`.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{Action, Args, CmdError, Ctx};
use crate::node::replication::Replicated;
use crate::node::Instance;

/// Units a replica may have waiting before it is disconnected (it is too
/// slow to follow the stream).
pub const FEED_BACKLOG: usize = 64 * 1024;

/// A replica's start: the snapshot and the stream that continues it.
#[derive(Debug)]
pub struct Feed {
    /// Shoal's snapshot of every database at the stream's start.
    pub payload: Vec<u8>,
    /// The stream from the snapshot on.
    pub units: mpsc::Receiver<Arc<Replicated>>,
    /// The listener's id, to unsubscribe.
    pub listener: u64,
    /// The stream's offset at the snapshot.
    pub offset: u64,
}

/// A replica serves replicas of its own only while its link is up, as
/// Redis (this also stops a node that replicates itself from feeding its
/// own stream back to itself).
fn check_can_feed(ctx: &Ctx<'_>) -> Result<(), CmdError> {
    if ctx.inst.is_replica() && !ctx.inst.master_link_up.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(CmdError::Other(
            "NOMASTERLINK Can't SYNC while not connected with my master",
        ));
    }
    Ok(())
}

/// `SYNC`: this connection becomes a replica feed.
pub fn sync(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    check_can_feed(ctx)?;
    ctx.action = Some(Action::Replicate { psync: false });
    Ok(())
}

/// `PSYNC replicationid offset`: no partial resynchronization is kept, so
/// every request is a full one (`+FULLRESYNC <replid> <offset>`).
pub fn psync(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    check_can_feed(ctx)?;
    ctx.action = Some(Action::Replicate { psync: true });
    Ok(())
}

/// `REPLCONF option value ...`: the options a replica sends during its
/// handshake (`listening-port`, `ip-address`, `capa`, `ack`, `getack`) are
/// accepted; `ACK` gets no reply, as in Redis.
pub fn replconf(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if args.len().is_multiple_of(2) {
        return Err(CmdError::Syntax);
    }
    let mut i = 1;
    while i < args.len() {
        let known = [
            "listening-port",
            "ip-address",
            "capa",
            "ack",
            "getack",
            "rdb-only",
            "rdb-filter-only",
        ];
        if !known.iter().any(|k| args.is(i, k)) {
            return Err(CmdError::Owned(format!(
                "ERR Unrecognized REPLCONF option: {}",
                String::from_utf8_lossy(args.get(i))
            )));
        }
        if args.is(i, "ack") {
            return Ok(());
        }
        i += 2;
    }
    ctx.out.ok();
    Ok(())
}

/// `REPLICAOF host port` / `REPLICAOF NO ONE` (and `SLAVEOF`): starts or
/// stops replicating a Shoal primary. As a replica the node is in follower
/// mode (it expires nothing itself), refuses client writes with
/// `-READONLY` (unless `replica-read-only no`), and its follower task
/// (`server/follow.rs`) keeps a `SYNC` link to the primary, reconnecting
/// every second while it is down. Replies follow Redis.
pub fn replicaof(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let inst = ctx.inst;
    if args.is(1, "no") && args.is(2, "one") {
        if inst.is_replica() {
            inst.set_master(None);
            tracing::info!("MASTER MODE enabled (user request)");
        }
        ctx.out.ok();
        return Ok(());
    }
    let port = crate::num::parse_ll(args.get(2))
        .filter(|p| (0..=65535).contains(p))
        .ok_or(CmdError::Other("ERR Invalid master port"))?;
    let host = String::from_utf8_lossy(args.get(1)).into_owned();
    let target = Some((host.clone(), port as u16));
    if *inst.master.borrow() == target {
        ctx.out.simple("OK Already connected to specified master");
        return Ok(());
    }
    inst.set_master(target);
    tracing::info!("REPLICAOF {host}:{port} enabled (user request)");
    ctx.out.ok();
    Ok(())
}

/// Attaches a new replica: under the exclusive gate (no command runs), the
/// stream's listener is added and the snapshot taken, so the snapshot plus
/// the stream from there is exactly the dataset's history. A listener that
/// falls `FEED_BACKLOG` units behind is dropped (its receiver then ends).
pub fn attach(inst: &Instance) -> Feed {
    let (tx, units) = mpsc::channel(FEED_BACKLOG);
    let _gate = inst.gate.write();
    let dropped = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let listener = inst.replication.subscribe(Arc::new(move |u: &Replicated| {
        if dropped.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        if tx.try_send(Arc::new(u.clone())).is_err() {
            // Full or closed: the replica cannot follow; it is cut off.
            dropped.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }));
    let offset = inst.replication.offset();
    let payload = snapshot(inst, crate::node::instance::unix_ms());
    Feed {
        payload,
        units,
        listener,
        offset,
    }
}

/// Shoal's snapshot of every database: the magic `SHOALSNAP`, a version
/// byte (2), the dataset seed (u64, big endian), then each non-empty database as its index (u16, big endian), the
/// length of its stream (u64, big endian) and its slot image (`store`'s framed stream of key, value and absolute
/// expiry records, versioned and checksummed) — see `Db::image_slots`.
pub fn snapshot(inst: &Instance, now: u64) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"SHOALSNAP");
    out.push(2);
    // The dataset seed travels with the data, so a follower lays keys and
    // members out as its primary does (same SCAN order, same iteration).
    out.extend_from_slice(&inst.store.seed().to_be_bytes());
    for db in inst.store.dbs() {
        if db.is_empty() {
            continue;
        }
        out.extend_from_slice(&(db.index as u16).to_be_bytes());
        // The stream's length goes first (patched once known): a stream
        // must end its input, so the loader hands it exactly its bytes.
        let at = out.len();
        out.extend_from_slice(&[0; 8]);
        // Writing into a vector cannot fail.
        let _ = db.image_slots(0..=crate::store::slot::SLOTS as u16 - 1, now, &mut out);
        let len = (out.len() - at - 8) as u64;
        out[at..at + 8].copy_from_slice(&len.to_be_bytes());
    }
    out
}

/// Why a snapshot could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// Not a Shoal snapshot, or a version this build does not know.
    #[error("not a Shoal snapshot (bad magic or version)")]
    Header,
    /// A database index this server does not have.
    #[error("snapshot names database {0}, which does not exist here")]
    Database(usize),
    /// A database's stream is damaged.
    #[error("snapshot stream: {0}")]
    Stream(#[from] crate::store::codec::StreamError),
}

/// Loads a snapshot made by [`snapshot`] (received from `SYNC`) into this
/// node: an empty store first adopts the snapshot's dataset seed; each
/// database's records are imported into staging and committed at once,
/// replacing keys of the same name. Returns the number of keys. The caller
/// keeps other commands out (the follower holds the exclusive gate).
pub fn load_snapshot(inst: &Instance, payload: &[u8]) -> Result<u64, SnapshotError> {
    let rest = payload
        .strip_prefix(b"SHOALSNAP".as_slice())
        .and_then(|r| r.strip_prefix(&[2u8][..]))
        .ok_or(SnapshotError::Header)?;
    let (seed, mut rest) = rest.split_at_checked(8).ok_or(SnapshotError::Header)?;
    let mut s = [0u8; 8];
    s.copy_from_slice(seed);
    // An empty store adopts the primary's seed; a store with data keeps
    // its own (the keys load all the same, laid out by its seed).
    inst.store.reseed(u64::from_be_bytes(s));
    let now = crate::node::instance::unix_ms();
    let limits = crate::store::Limits {
        hash_seed: inst.store.seed(),
        ..crate::store::Limits::default()
    };
    let mut total = 0;
    let mut fx = crate::store::Effects::new();
    while !rest.is_empty() {
        let (head, tail) = rest.split_at_checked(10).ok_or(SnapshotError::Header)?;
        let index = usize::from(u16::from_be_bytes([head[0], head[1]]));
        let mut len = [0u8; 8];
        len.copy_from_slice(&head[2..10]);
        let len = usize::try_from(u64::from_be_bytes(len)).map_err(|_| SnapshotError::Header)?;
        let (stream, after) = tail.split_at_checked(len).ok_or(SnapshotError::Header)?;
        let db = inst.store.db(index).ok_or(SnapshotError::Database(index))?;
        match db.import(stream, now, &limits) {
            Ok(n) => total += n,
            Err(e) => {
                db.abort_import(0..=crate::store::slot::SLOTS as u16 - 1);
                return Err(e.into());
            }
        }
        db.commit_import(0..=crate::store::slot::SLOTS as u16 - 1, &mut fx);
        rest = after;
    }
    crate::node::fanout::fan_out(inst, &mut fx);
    Ok(total)
}
