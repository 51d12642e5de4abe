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

use super::backed;
use super::dispatch::{execute, Outcome};
use crate::commands::{Action, Block};
use crate::config::Hot;
use crate::node::blocking::Wake;
use crate::node::clients::{ClientInfo, Session};
use crate::node::instance::Instance;
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
        let timeout = inst.config.hot(Hot::Timeout);
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
        let feed = session.monitor.clone();
        let monitored = async move {
            match feed {
                Some(feed) => feed.lock().await.recv().await,
                None => std::future::pending().await,
            }
        };
        let subscribed = session.pubsub.clone();
        let published = async move {
            match subscribed {
                Some(feed) => feed.lock().await.recv().await,
                None => std::future::pending().await,
            }
        };
        let n = tokio::select! {
            r = read => r,
            msg = published => {
                match msg {
                    Some(msg) => {
                        out.buf.extend_from_slice(&msg);
                        forward_messages(&session, &mut out);
                    }
                    // Unregistered (RESET, or its queue overflowed and it is killed).
                    None => session.pubsub = None,
                }
                // A subscriber that stops reading blocks this write; its
                // queue then overflows and it is killed: stop waiting.
                if flush_unless_killed(&inst, &mut stream, &mut out, &info).await.is_err() {
                    break;
                }
                continue;
            }
            line = monitored => {
                // Forward this and whatever else is waiting, in one write.
                match line {
                    Some(line) => {
                        out.buf.extend_from_slice(&line);
                        if let Some(feed) = &session.monitor {
                            let mut feed = feed.lock().await;
                            while let Ok(more) = feed.try_recv() {
                                out.buf.extend_from_slice(&more);
                            }
                        }
                    }
                    // Unregistered (it fell too far behind and is killed).
                    None => {
                        session.monitor = None;
                        info.monitor.store(false, Ordering::Relaxed);
                    }
                }
                if flush(&inst, &mut stream, &mut out).await.is_err() {
                    break;
                }
                continue;
            }
            _ = info.wake.notified() => continue,
            _ = shutdown.changed() => break,
        };
        let n = match n {
            Ok(Some(0)) | Err(_) | Ok(None) => break,
            Ok(Some(n)) => n,
        };
        inst.stats.net_input.fetch_add(n as u64, Ordering::Relaxed);
        // Redis stamps `lastinteraction` when it reads a query.
        info.last_interaction_ms
            .store(info.created.elapsed().as_millis() as u64, Ordering::Relaxed);
        let limits = Limits {
            max_bulk_len: inst.config.hot(Hot::ProtoMaxBulkLen),
            unauthenticated: !session.authenticated && inst.auth_required(),
            ..Limits::default()
        };
        let mut close = false;
        loop {
            match decoder.decode(&mut buf, &limits) {
                Ok(Decoded::Incomplete) => break,
                Ok(Decoded::Request(mut argv)) => {
                    if argv.is_empty() {
                        continue;
                    }
                    // Messages published before this command was read
                    // precede its reply.
                    forward_messages(&session, &mut out);
                    // Read-through loads and write-through locks first.
                    let backing = inst.backing.get().cloned();
                    let plan = backing.as_ref().and_then(|b| backed::plan(&inst, b, &session, &argv));
                    let mut held = None;
                    if let (Some(b), Some(p)) = (&backing, &plan) {
                        match backed::before(&inst, b, p).await {
                            Ok(h) => held = h,
                            Err(msg) => {
                                backed::refuse(&inst, &mut session, &mut out, &argv, &msg);
                                decoder.recycle(argv);
                                continue;
                            }
                        }
                    }
                    let scope = held.as_ref().and(plan.as_ref()).map(backed::scope_keys);
                    let start_len = out.len();
                    let outcome = loop {
                        let mut run = || execute(&inst, &mut session, &mut out, &mut fx, &mut rng, &argv);
                        let done = match &scope {
                            Some(keys) => crate::backing::in_scope(Some(keys.clone()), &mut run),
                            None => run(),
                        };
                        match done {
                            Outcome::Paused => {
                                // Flush what is ready, then wait out the pause.
                                if !settle(&inst, &mut fx).await || flush(&inst, &mut stream, &mut out).await.is_err() {
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
                    if let (Some(b), Some(h)) = (&backing, held) {
                        if let backed::Finished::Unknown = backed::after(&inst, b, h, &mut out, start_len).await {
                            // No reply for a write whose outcome is unknown.
                            out.buf.truncate(start_len);
                            close = true;
                            break;
                        }
                    }
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
                        Some(Action::Replicate { psync }) => {
                            if !settle(&inst, &mut fx).await || flush(&inst, &mut stream, &mut out).await.is_err() {
                                break 'conn;
                            }
                            super::replica::serve(&inst, &mut stream, &session, psync).await;
                            break 'conn;
                        }
                        Some(Action::Sleep(d)) => {
                            if !settle(&inst, &mut fx).await || flush(&inst, &mut stream, &mut out).await.is_err() {
                                break 'conn;
                            }
                            tokio::time::sleep(d).await;
                        }
                        Some(Action::Block(b)) => {
                            if !settle(&inst, &mut fx).await || flush(&inst, &mut stream, &mut out).await.is_err() {
                                break 'conn;
                            }
                            let argv = std::mem::take(&mut argv);
                            match park(&inst, &mut session, &mut stream, &mut buf, &mut shutdown, argv, &b).await {
                                Parked::Woken(bytes) => out.buf.extend_from_slice(&bytes),
                                // Redis 7.0 answers every timed-out list, zset and stream
                                // wait with a null array (`BLMOVE` included); the block's
                                // own `on_timeout` is for clients that cannot wait (MULTI).
                                Parked::TimedOut => out.null_array(),
                                Parked::Unblocked => {
                                    out.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
                                }
                                Parked::Gone => break 'conn,
                            }
                        }
                        None => {}
                    }
                    decoder.recycle(argv);
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
        // Write-behind writes are acknowledged once journaled.
        if !settle(&inst, &mut fx).await {
            out.buf.clear();
            break;
        }
        if flush(&inst, &mut stream, &mut out).await.is_err() || close {
            break;
        }
        if buf.len() as i64 > inst.config.hot(Hot::QueryBufferLimit) {
            tracing::warn!(id = info.id, "closing client that reached max query buffer length");
            break;
        }
    }
    if settle(&inst, &mut fx).await {
        let _ = flush(&inst, &mut stream, &mut out).await;
    }
    let _ = stream.shutdown().await;
    inst.watches.unwatch_all(&mut session);
    inst.blocking.cancel(info.id);
    inst.pubsub.remove_client(info.id);
    inst.clients.unregister(info.id);
    metrics::gauge!(crate::metrics::CONNECTED_CLIENTS).decrement(1.0);
}

/// Waits until the write-behind records of the commands executed so far
/// are durable in the journal (`Effects::hold`); false if they cannot be
/// (the client is then disconnected unanswered, its outcome unknown).
async fn settle(inst: &Instance, fx: &mut Effects) -> bool {
    let seq = std::mem::take(&mut fx.hold);
    if seq == 0 {
        return true;
    }
    match inst.backing.get() {
        Some(b) => b.journal.wait_durable(seq).await.is_ok(),
        None => true,
    }
}

/// Moves the messages already queued for a subscribed client into `out`.
fn forward_messages(session: &Session, out: &mut Reply) {
    let Some(feed) = &session.pubsub else {
        return;
    };
    // Only this task waits on the feed, and not while it runs commands.
    if let Ok(mut feed) = feed.try_lock() {
        while let Ok(msg) = feed.try_recv() {
            out.buf.extend_from_slice(&msg);
        }
    }
}

/// How a parked client stopped waiting.
enum Parked {
    /// Served: the reply bytes.
    Woken(Vec<u8>),
    /// The deadline passed (or `CLIENT UNBLOCK ... TIMEOUT`).
    TimedOut,
    /// `CLIENT UNBLOCK ... ERROR`.
    Unblocked,
    /// The client disconnected, was killed, or the server is stopping.
    Gone,
}

/// Parks the client until its command is served, its deadline passes, it is
/// unblocked, or the connection ends. Bytes that arrive meanwhile are kept
/// in `buf` (pipelined commands run after the wake-up, as in Redis).
async fn park(
    inst: &Arc<Instance>,
    session: &mut Session,
    stream: &mut TcpStream,
    buf: &mut BytesMut,
    shutdown: &mut tokio::sync::watch::Receiver<bool>,
    argv: Vec<bytes::Bytes>,
    block: &Block,
) -> Parked {
    let id = session.info.id;
    let started = std::time::Instant::now();
    let spec = crate::commands::call::resolve(&argv).ok();
    let mut rx = inst.blocking.park(session.clone(), argv, block);
    session.info.blocked.store(true, Ordering::Relaxed);
    // A write may have landed between the command's check and parking: try
    // once more now that the client is in the queue.
    let keys = block.keys.iter().map(|k| (session.db, k.clone())).collect();
    crate::commands::call::serve_blocked(inst, keys, crate::node::instance::unix_ms());
    // A deadline too far away to represent waits forever.
    let deadline = block.deadline.and_then(|at| {
        let wait = at.saturating_sub(crate::node::instance::unix_ms());
        tokio::time::Instant::now().checked_add(Duration::from_millis(wait))
    });
    let info = session.info.clone();
    let result = loop {
        let sleep = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            woke = &mut rx => break match woke {
                Ok(Wake::Reply(bytes)) => Parked::Woken(bytes),
                Ok(Wake::Timeout) => Parked::TimedOut,
                Ok(Wake::Unblocked) => Parked::Unblocked,
                Err(_) => Parked::Gone,
            },
            _ = sleep => {
                if inst.blocking.cancel(id) {
                    break Parked::TimedOut;
                }
                // Served at the same moment: the reply is on its way.
                break match rx.await {
                    Ok(Wake::Reply(bytes)) => Parked::Woken(bytes),
                    Ok(Wake::Unblocked) => Parked::Unblocked,
                    Ok(Wake::Timeout) => Parked::TimedOut,
                    Err(_) => Parked::Gone,
                };
            }
            r = stream.read_buf(buf) => {
                match r {
                    Ok(0) | Err(_) => {
                        inst.blocking.cancel(id);
                        break Parked::Gone;
                    }
                    Ok(n) => {
                        inst.stats.net_input.fetch_add(n as u64, Ordering::Relaxed);
                        if buf.len() as i64 > inst.config.hot(Hot::QueryBufferLimit) {
                            inst.blocking.cancel(id);
                            break Parked::Gone;
                        }
                    }
                }
            }
            _ = info.wake.notified() => {
                if info.killed.load(Ordering::SeqCst) {
                    inst.blocking.cancel(id);
                    break Parked::Gone;
                }
            }
            _ = shutdown.changed() => {
                inst.blocking.cancel(id);
                break Parked::Gone;
            }
        }
    };
    session.info.blocked.store(false, Ordering::Relaxed);
    // A served command was counted by whoever served it; an unserved one
    // counts now, as Redis counts a blocked call when it ends.
    if let (Some(spec), Parked::TimedOut | Parked::Unblocked) = (spec, &result) {
        inst.stats
            .record_call(spec.name, started.elapsed(), matches!(result, Parked::Unblocked));
    }
    result
}

/// Writes `out` as [`flush`] does, but gives up when the client is killed
/// meanwhile (a subscriber that stopped reading is killed when its queue
/// overflows, and must not stay stuck in a write); partial writes are
/// never repeated.
async fn flush_unless_killed(
    inst: &Instance,
    stream: &mut TcpStream,
    out: &mut Reply,
    info: &ClientInfo,
) -> std::io::Result<()> {
    use bytes::Buf;
    while !out.buf.is_empty() {
        // The write first: a kill only cuts short a write that cannot go on.
        tokio::select! {
            biased;
            r = stream.write(&out.buf) => {
                let n = r?;
                if n == 0 {
                    return Err(std::io::ErrorKind::WriteZero.into());
                }
                inst.stats.net_output.fetch_add(n as u64, Ordering::Relaxed);
                out.buf.advance(n);
            }
            _ = info.wake.notified() => {
                if info.killed.load(Ordering::SeqCst) {
                    // What it did not read is dropped with it, as Redis drops
                    // a client past its output limit.
                    out.buf.clear();
                    return Ok(());
                }
            }
        }
    }
    if out.buf.capacity() > 1024 * 1024 {
        out.buf = BytesMut::with_capacity(16 * 1024);
    }
    Ok(())
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
