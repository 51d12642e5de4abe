//! The follower task: while `REPLICAOF host port` names a primary, keeps a
//! `SYNC` link to it. It loads the primary's snapshot (replacing the whole
//! dataset), then applies the primary's replicated command stream unit by
//! unit (`MULTI … EXEC` as one) through `call()`; the store is in follower
//! mode, so keys go only when the primary's `DEL`s arrive. A broken link is
//! retried every second; a new `REPLICAOF` drops the old link at once.
//!
//! The primary must be a Shoal: its snapshot is Shoal's format, not RDB; a
//! payload that is not one is refused and logged, and the link retried.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::commands::call::apply_replicated;
use crate::commands::replication::load_snapshot;
use crate::node::clients::{ClientInfo, Session};
use crate::node::replication::{ReplOp, Replicated};
use crate::node::Instance;
use crate::protocol::{Decoded, Decoder, Limits};

/// Runs until shutdown, following whichever primary `REPLICAOF` names.
pub async fn run(inst: Arc<Instance>) {
    let mut target = inst.master.subscribe();
    let mut shutdown = inst.shutdown_signal();
    loop {
        let primary = target.borrow_and_update().clone();
        match primary {
            None => {
                tokio::select! {
                    r = target.changed() => if r.is_err() { return },
                    _ = shutdown.changed() => return,
                }
            }
            Some((host, port)) => {
                tokio::select! {
                    result = follow(&inst, &host, port) => {
                        inst.master_link_up.store(false, Ordering::Relaxed);
                        if let Err(e) = result {
                            tracing::warn!("MASTER {host}:{port} link down: {e}");
                        }
                        tokio::select! {
                            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                            r = target.changed() => if r.is_err() { return },
                            _ = shutdown.changed() => return,
                        }
                    }
                    r = target.changed() => {
                        inst.master_link_up.store(false, Ordering::Relaxed);
                        if r.is_err() {
                            return;
                        }
                    }
                    _ = shutdown.changed() => return,
                }
            }
        }
    }
}

/// One link's life: connect, `SYNC`, load the snapshot, apply the stream.
async fn follow(inst: &Instance, host: &str, port: u16) -> std::io::Result<()> {
    let mut s = TcpStream::connect((host, port)).await?;
    let _ = s.set_nodelay(true);
    tracing::info!("Connected to MASTER {host}:{port}, sending SYNC");
    s.write_all(b"SYNC\r\n").await?;
    let mut buf = BytesMut::with_capacity(64 * 1024);
    // `$<len>\r\n`; a primary preparing its payload may send bare newlines.
    let len = loop {
        while buf.first() == Some(&b'\n') {
            let _ = buf.split_to(1);
        }
        if let Some(end) = buf.windows(2).position(|w| w == b"\r\n") {
            let line = buf.split_to(end + 2);
            let text = String::from_utf8_lossy(&line[..end]).into_owned();
            let len = text
                .strip_prefix('$')
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(|| std::io::Error::other(format!("unexpected SYNC reply: {text}")))?;
            break len;
        }
        if s.read_buf(&mut buf).await? == 0 {
            return Err(std::io::Error::other("closed before the snapshot"));
        }
    };
    while buf.len() < len {
        // Grown as bytes arrive, 64 MiB at a time: a length the primary
        // claims is not trusted with one allocation.
        buf.reserve((len - buf.len()).min(64 << 20));
        if s.read_buf(&mut buf).await? == 0 {
            return Err(std::io::Error::other("closed inside the snapshot"));
        }
    }
    let payload = buf.split_to(len);
    replace_dataset(inst, &payload)?;
    inst.master_link_up.store(true, Ordering::Relaxed);
    tracing::info!("MASTER <-> REPLICA sync: finished with success ({len} bytes)");
    let mut session = Session::new(Arc::new(ClientInfo::internal()), true);
    let mut decoder = Decoder::new();
    let mut db = 0usize;
    let mut pending: Option<Vec<ReplOp>> = None;
    let limits = Limits::default();
    let mut acked = tokio::time::Instant::now();
    loop {
        // A replica acknowledges every second (the primary's lag check).
        if acked.elapsed() >= Duration::from_secs(1) {
            s.write_all(b"*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$1\r\n0\r\n").await?;
            acked = tokio::time::Instant::now();
        }
        loop {
            let argv = match decoder.decode(&mut buf, &limits) {
                Ok(Decoded::Incomplete) => break,
                Ok(Decoded::Request(argv)) => argv,
                Err(e) => return Err(std::io::Error::other(format!("bad stream from the primary: {e}"))),
            };
            let Some(name) = argv.first() else { continue };
            if name.eq_ignore_ascii_case(b"select") {
                db = argv
                    .get(1)
                    .and_then(|d| crate::num::parse_ll(d))
                    .and_then(|d| usize::try_from(d).ok())
                    .unwrap_or(0);
            } else if name.eq_ignore_ascii_case(b"ping") {
            } else if name.eq_ignore_ascii_case(b"multi") {
                pending = Some(Vec::new());
            } else if name.eq_ignore_ascii_case(b"exec") {
                if let Some(ops) = pending.take() {
                    apply(inst, &mut session, ops);
                }
            } else {
                let op = ReplOp { db, argv };
                match pending.as_mut() {
                    Some(ops) => ops.push(op),
                    None => apply(inst, &mut session, vec![op]),
                }
            }
        }
        let read = tokio::time::timeout(Duration::from_secs(1), s.read_buf(&mut buf)).await;
        if let Ok(r) = read {
            if r? == 0 {
                return Err(std::io::Error::other("the primary closed the link"));
            }
        }
    }
}

fn apply(inst: &Instance, session: &mut Session, ops: Vec<ReplOp>) {
    let unit = Replicated {
        seq: 0,
        now_ms: crate::node::instance::unix_ms(),
        ops,
    };
    let errors = apply_replicated(inst, session, &unit);
    if errors > 0 {
        tracing::warn!("{errors} command(s) from the primary answered an error: {:?}", unit.ops);
    }
}

/// Empties every database and loads the primary's snapshot, as a Redis
/// replica replaces its dataset with the primary's RDB.
fn replace_dataset(inst: &Instance, payload: &[u8]) -> std::io::Result<()> {
    let mut fx = crate::store::Effects::new();
    let _gate = inst.gate.write();
    for db in inst.store.dbs() {
        drop(db.clear());
        fx.flushed(db.index);
    }
    crate::node::fanout::fan_out(inst, &mut fx);
    load_snapshot(inst, payload)
        .map(|_| ())
        .map_err(|e| std::io::Error::other(format!("cannot load the primary's snapshot: {e}")))
}
