//! The network side: the listener, one task per connection, the active
//! expiry thread, and graceful shutdown (SIGINT, SIGTERM, `SHUTDOWN`).

pub mod backed;
pub mod connection;
pub mod dispatch;
pub mod follow;
pub mod replica;

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::node::instance::{unix_ms, Instance};

/// Binds the configured address; returns the listener and the bound address.
pub async fn bind(inst: &Instance) -> std::io::Result<(TcpListener, SocketAddr)> {
    let bind = inst.config.get("bind");
    let host = bind
        .split_whitespace()
        .next()
        .unwrap_or("127.0.0.1")
        .trim_start_matches('-')
        .to_string();
    let port = inst.config.get_i64("port");
    let listener = TcpListener::bind((host.as_str(), port as u16)).await?;
    let addr = listener.local_addr()?;
    inst.port.store(u64::from(addr.port()), Ordering::Relaxed);
    Ok((listener, addr))
}

/// Runs the active expiry cycle `hz` times a second on its own thread, each
/// cycle bounded to 25% of its period (Redis's slow cycle budget), until
/// shutdown. Over `maxmemory`, the same thread goes on evicting between
/// commands (Redis's eviction time proc), within the same budget.
pub fn spawn_expiry(inst: Arc<Instance>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut cursor = 0usize;
        let mut runs = 0u64;
        while !inst.shutting_down.load(Ordering::SeqCst) {
            let hz = inst.config.get_i64("hz").clamp(1, 500) as u64;
            let period = Duration::from_millis(1000 / hz);
            // A follower never expires by itself: the primary's DELs do.
            if inst.active_expire.load(Ordering::Relaxed) && !inst.store.is_follower() {
                crate::commands::call::expire_cycle(&inst, unix_ms(), period / 4, &mut cursor);
            }
            let start = std::time::Instant::now();
            while start.elapsed() < period / 4 {
                runs += 1;
                let outcome = crate::commands::call::evict_cycle(&inst, unix_ms(), runs);
                if outcome != crate::store::evict::Outcome::Running {
                    break;
                }
            }
            std::thread::sleep(period);
        }
    })
}

/// Accepts connections until shutdown, then waits for every connection to
/// finish its in-flight replies.
pub async fn serve(inst: Arc<Instance>, listener: TcpListener) {
    let mut shutdown = inst.shutdown_signal();
    let mut tasks = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let laddr = stream.local_addr().unwrap_or(peer);
                if inst.clients.len() as i64 >= inst.config.get_i64("maxclients") {
                    inst.clients.rejected_connections.fetch_add(1, Ordering::Relaxed);
                    let mut stream = stream;
                    tokio::spawn(async move {
                        use tokio::io::AsyncWriteExt;
                        let _ = stream.write_all(b"-ERR max number of clients reached\r\n").await;
                    });
                    continue;
                }
                let info = inst.clients.register(peer, laddr);
                tasks.spawn(connection::serve(inst.clone(), stream, info));
            }
            _ = shutdown.changed() => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
    drop(listener);
    // Connections see the same signal, write what they have and close.
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
}
