//! The socket side of a replica feed (`SYNC`/`PSYNC`): writes the snapshot
//! as one bulk payload, then every unit of the replicated command stream as
//! RESP arrays (`SELECT` when the database changes, `MULTI`/`EXEC` around
//! multi-write units), and `PING` every `repl-ping-replica-period` seconds.
//! What the replica sends (`REPLCONF ACK`) is read and dropped.
//!
//! Invariant: the feed holds one stream listener from attach to close; a
//! replica that falls too far behind is disconnected, never waited for.

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::commands::replication::attach;
use crate::node::clients::Session;
use crate::node::Instance;
use crate::protocol::Reply;

/// Serves the replica on `stream` until it disconnects, is killed, falls
/// behind, or the server stops.
pub async fn serve(inst: &Instance, stream: &mut TcpStream, session: &Session, psync: bool) {
    let mut feed = attach(inst);
    session.info.replica.store(true, Ordering::Relaxed);
    let mut head = Vec::new();
    if psync {
        head.extend_from_slice(format!("+FULLRESYNC {} {}\r\n", inst.replid, feed.offset).as_bytes());
    }
    head.extend_from_slice(format!("${}\r\n", feed.payload.len()).as_bytes());
    let payload = std::mem::take(&mut feed.payload);
    let mut shutdown = inst.shutdown_signal();
    let ok = stream.write_all(&head).await.is_ok() && stream.write_all(&payload).await.is_ok();
    drop(payload);
    let mut db = None;
    let mut sink = [0u8; 4096];
    let period = |inst: &Instance| Duration::from_secs(inst.config.get_i64("repl-ping-replica-period").max(1) as u64);
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + period(inst), period(inst));
    loop {
        if !ok {
            break;
        }
        let mut out = Reply::new();
        tokio::select! {
            unit = feed.units.recv() => {
                let Some(unit) = unit else {
                    tracing::warn!(id = session.info.id, "disconnecting a replica that fell behind the stream");
                    break;
                };
                write_unit(&mut out, &unit, &mut db);
                // Whatever else is waiting goes in the same write.
                while let Ok(more) = feed.units.try_recv() {
                    write_unit(&mut out, &more, &mut db);
                }
            }
            _ = ping.tick() => {
                out.array(1);
                out.bulk(b"PING");
            }
            r = stream.read(&mut sink) => {
                match r {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        // `REPLCONF ACK`s: the replica is alive (its lag).
                        inst.stats.net_input.fetch_add(n as u64, Ordering::Relaxed);
                        let info = &session.info;
                        info.last_interaction_ms
                            .store(info.created.elapsed().as_millis() as u64, Ordering::Relaxed);
                    }
                }
            }
            _ = session.info.wake.notified() => {
                if session.info.killed.load(Ordering::SeqCst) {
                    break;
                }
            }
            _ = shutdown.changed() => break,
        }
        if !out.buf.is_empty() {
            if stream.write_all(&out.buf).await.is_err() {
                break;
            }
            inst.stats.net_output.fetch_add(out.buf.len() as u64, Ordering::Relaxed);
        }
    }
    inst.replication.unsubscribe(feed.listener);
    session.info.replica.store(false, Ordering::Relaxed);
}

fn write_unit(out: &mut Reply, unit: &crate::node::replication::Replicated, db: &mut Option<usize>) {
    for argv in unit.to_argvs(db) {
        out.array(argv.len());
        for a in &argv {
            out.bulk(a);
        }
    }
}
