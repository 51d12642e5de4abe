//! Shoal: a cache server that speaks the Redis protocol.
//!
//! ```text
//! client ──RESP──▶ server/ ──argv──▶ commands/ (THE table, handlers) ──▶ store/ ──Effects──▶ stats, metrics
//! ```
//!
//! - `protocol/` turns bytes into requests and replies into bytes (RESP2/RESP3, inline).
//! - `server/` owns sockets: one task per connection, dispatch in Redis's check order.
//! - `commands/` holds the one command table and a file per command family;
//!   handlers are synchronous and deterministic (time and randomness come from `Ctx`).
//! - `store/` is the keyspace: databases split into shards by hash slot, lazy and
//!   active expiry, and the effects every write returns.
//! - `instance.rs` is the shared state; `config.rs` the parameter table; `metrics.rs`
//!   every metric name and the Prometheus exporter.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod commands;
pub mod config;
pub mod glob;
pub mod metrics;
pub mod node;
pub mod num;
pub mod protocol;
pub mod server;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;

pub use config::Config;
pub use node::Instance;

/// Runs a server with `config` until it shuts down (signal or `SHUTDOWN`).
pub async fn run(config: Config) -> std::io::Result<()> {
    let inst = Arc::new(Instance::new(config, commands::call::all_names()));
    let metrics_port = inst.config.get_i64("metrics-port");
    if metrics_port > 0 {
        let addr = SocketAddr::from(([127, 0, 0, 1], metrics_port as u16));
        match (metrics::install_recorder(), tokio::net::TcpListener::bind(addr).await) {
            (Some(handle), Ok(listener)) => {
                tracing::info!("Prometheus metrics on http://{addr}/metrics");
                metrics::describe();
                tokio::spawn(metrics::serve_http(listener, handle));
            }
            (None, _) => tracing::warn!("metrics recorder already installed; /metrics not served"),
            (_, Err(e)) => tracing::warn!("metrics endpoint {addr} not started: {e}"),
        }
    }
    let (listener, addr) = server::bind(&inst).await?;
    let expiry = server::spawn_expiry(inst.clone());
    tokio::spawn(server::follow::run(inst.clone()));
    {
        let inst = inst.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("Received shutdown signal, scheduling shutdown...");
            inst.shutdown();
        });
    }
    tracing::info!("Ready to accept connections tcp addr={addr}");
    server::serve(inst.clone(), listener).await;
    inst.shutdown();
    let _ = expiry.join();
    tracing::info!("Shoal is now ready to exit, bye bye...");
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
            (Ok(mut int), Ok(mut term)) => {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
