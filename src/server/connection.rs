//! One client connection: read, decode every complete request in the
//! buffer, execute them in order, write all replies with one write.
//!
//! Invariants: a protocol error is replied and then the connection closes;
//! a command error never closes it; the query buffer never grows beyond
//! `client-query-buffer-limit`; on shutdown or `CLIENT KILL` the replies of
//! the requests already executed are written before closing.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use rand::rngs::SmallRng;
use rand::SeedableRng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::dispatch::{execute, Outcome};
use crate::clients::{ClientInfo, Session};
use crate::commands::Action;
use crate::instance::Instance;
use crate::protocol::{Decoded, Decoder, Limits, Reply};
use crate::store::Effects;

/// Serves one client until it disconnects, is killed, or the server stops.
pub async fn serve(inst: Arc<Instance>, mut stream: TcpStream, info: Arc<ClientInfo>) {
    let _ = stream.set_nodelay(true);
    let mut session = Session::new(info.clone(), !inst.auth_required());
    let mut out = Reply::new();
    let mut fx = Effects::new();
    let mut rng = SmallRng::from_rng(&mut rand::rng());
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::with_capacity(16 * 1024);
    let mut shutdown = inst.shutdown_signal();
    metrics::gauge!(crate::metrics::CONNECTED_CLIENTS).increment(1.0);
    metrics::counter!(crate::metrics::CONNECTIONS_TOTAL).increment(1);

    'conn: loop {
        if info.killed.load(Ordering::SeqCst) || *shutdown.borrow() {
            break;
        }
        if buf.capacity() - buf.len() < 4096 {
            buf.reserve(16 * 1024);
        }
        let timeout = inst.config.get_i64("timeout");
        let read = async {
            if timeout > 0 {
                match tokio::time::timeout(Duration::from_secs(timeout as u64), stream.read_buf(&mut buf)).await {
                    Ok(r) => r.map(Some),
                    Err(_) => Ok(None),
                }
            } else {
                stream.read_buf(&mut buf).await.map(Some)
            }
        };
        let n = tokio::select! {
            r = read => r,
            _ = info.wake.notified() => continue,
            _ = shutdown.changed() => break,
        };
        let n = match n {
            Ok(Some(0)) | Err(_) | Ok(None) => break,
            Ok(Some(n)) => n,
        };
        inst.stats.net_input.fetch_add(n as u64, Ordering::Relaxed);
        let limits = Limits {
            max_bulk_len: inst.config.get_i64("proto-max-bulk-len"),
            unauthenticated: !session.authenticated && inst.auth_required(),
            ..Limits::default()
        };
        let mut close = false;
        loop {
            match decoder.decode(&mut buf, &limits) {
                Ok(Decoded::Incomplete) => break,
                Ok(Decoded::Request(argv)) => {
                    if argv.is_empty() {
                        continue;
                    }
                    let outcome = loop {
                        match execute(&inst, &mut session, &mut out, &mut fx, &mut rng, &argv) {
                            Outcome::Paused => {
                                // Flush what is ready, then wait out the pause.
                                if flush(&inst, &mut stream, &mut out).await.is_err() {
                                    break 'conn;
                                }
                                tokio::select! {
                                    _ = inst.unpause.notified() => {}
                                    _ = tokio::time::sleep(Duration::from_millis(10)) => {}
                                    _ = shutdown.changed() => break 'conn,
                                }
                            }
                            Outcome::Done(a) => break a,
                        }
                    };
                    match outcome {
                        Some(Action::Close) => {
                            close = true;
                            break;
                        }
                        Some(Action::Shutdown) => {
                            inst.shutdown();
                            close = true;
                            break;
                        }
                        Some(Action::Sleep(d)) => {
                            if flush(&inst, &mut stream, &mut out).await.is_err() {
                                break 'conn;
                            }
                            tokio::time::sleep(d).await;
                        }
                        None => {}
                    }
                    if info.killed.load(Ordering::SeqCst) {
                        close = true;
                        break;
                    }
                }
                Err(e) => {
                    let msg = format!("ERR {e}");
                    inst.stats.record_error(&msg);
                    out.error(&msg);
                    close = true;
                    break;
                }
            }
        }
        info.qbuf.store(buf.len(), Ordering::Relaxed);
        if flush(&inst, &mut stream, &mut out).await.is_err() || close {
            break;
        }
        if buf.len() as i64 > inst.config.get_i64("client-query-buffer-limit") {
            tracing::warn!(id = info.id, "closing client that reached max query buffer length");
            break;
        }
    }
    let _ = flush(&inst, &mut stream, &mut out).await;
    let _ = stream.shutdown().await;
    inst.clients.unregister(info.id);
    metrics::gauge!(crate::metrics::CONNECTED_CLIENTS).decrement(1.0);
}

async fn flush(inst: &Instance, stream: &mut TcpStream, out: &mut Reply) -> std::io::Result<()> {
    if out.buf.is_empty() {
        return Ok(());
    }
    stream.write_all(&out.buf).await?;
    inst.stats.net_output.fetch_add(out.buf.len() as u64, Ordering::Relaxed);
    out.buf.clear();
    // Keep a large reply's buffer from pinning memory on an idle connection.
    if out.buf.capacity() > 1024 * 1024 {
        out.buf = BytesMut::with_capacity(16 * 1024);
    }
    Ok(())
}
