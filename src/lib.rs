//! Shoal: a cache server that speaks the Redis protocol.
//!
//! ```text
//! client ──RESP──▶ server/ ──argv──▶ commands/call() ──▶ store/ ──Effects──▶ node/fanout
//!                    │  dispatch (Redis's check order)     │                   (WATCH, wake-ups,
//!                    │                                     └──replicated form──▶ counters, listeners)
//!                    └── replica feeds (SYNC) / follower (REPLICAOF) ◀── node/replication
//! ```
//!
//! - `protocol/` turns bytes into requests and replies into bytes (RESP2/RESP3, inline).
//! - `server/` owns sockets: one task per connection, dispatch in Redis's check order,
//!   the replica feed (`SYNC`) and the follower link (`REPLICAOF`).
//! - `commands/` holds the one command table, THE `call()` (`call.rs`) every command
//!   runs through, and a file per command family; handlers are synchronous and
//!   deterministic (time and a seed come from the caller through `Ctx`).
//! - `node/` is the running node's state that is not data: the shared `Instance`,
//!   clients, the blocking registry, watches, slowlog, latency, monitors, the
//!   replicated command stream and the effects fan-out. It never imports `commands/`.
//! - `store/` is the keyspace: databases split into slot-aware shards with a
//!   per-dataset hash seed, lazy and active expiry (or follower mode), the value
//!   codec, slot range export/import/image, and the effects every write returns.
//! - `config.rs` is the parameter table; `metrics.rs` every metric name and the
//!   Prometheus exporter.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod backing;
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
    let stop_backing = start_backing(&inst)?;
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
    if let Some(b) = inst.backing.get() {
        let _ = stop_backing.send(true);
        b.journal.stop();
    }
    tracing::info!("Shoal is now ready to exit, bye bye...");
    Ok(())
}

/// Opens the backing database and journal when `backing-rule`s are set:
/// registers the effects listener and starts the writer.
/// Returns the writer's stop switch.
fn start_backing(inst: &Arc<Instance>) -> std::io::Result<tokio::sync::watch::Sender<bool>> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let settings = backing::Settings::from_config(&inst.config).map_err(std::io::Error::other)?;
    let Some(settings) = settings else {
        return Ok(stop);
    };
    let dir = inst.config.get("dir");
    let dir = std::path::PathBuf::from(if dir.is_empty() { ".".to_string() } else { dir });
    let engine = backing::Backing::open(settings, &dir).map_err(|e| std::io::Error::other(e.to_string()))?;
    tracing::info!(
        "backing database {} with {} rules; journal {}",
        engine.store.kind(),
        engine.settings.rules.all().len(),
        engine.journal.path().display()
    );
    let listener = engine.clone();
    inst.effect_listeners.add(
        Arc::new(move |store: &store::Store, fx: &[store::Effect]| listener.on_effects(store, fx)),
        true,
    );
    let _ = inst.backing.set(engine.clone());
    tokio::spawn(backing::writer::run(engine, stopped));
    Ok(stop)
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
