//! Every metric name once, with its description, the counters `INFO` reads,
//! and the Prometheus exporter.
//!
//! Counters live twice on purpose: as atomics here (so `INFO` can read them
//! and `CONFIG RESETSTAT` can zero them) and as `metrics` counters/histograms
//! (so Prometheus sees monotonic series). Both are fed from the same calls.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use hashbrown::HashMap;

/// Commands executed, labelled by command.
pub const COMMANDS_TOTAL: &str = "shoal_commands_total";
/// Command latency in seconds, labelled by command.
pub const COMMAND_DURATION: &str = "shoal_command_duration_seconds";
/// Commands that replied with an error, labelled by command.
pub const COMMAND_ERRORS: &str = "shoal_command_errors_total";
/// Connections accepted.
pub const CONNECTIONS_TOTAL: &str = "shoal_connections_received_total";
/// Connections currently open.
pub const CONNECTED_CLIENTS: &str = "shoal_connected_clients";
/// Key lookups that found a key.
pub const KEYSPACE_HITS: &str = "shoal_keyspace_hits_total";
/// Key lookups that found nothing.
pub const KEYSPACE_MISSES: &str = "shoal_keyspace_misses_total";
/// Keys removed because their TTL passed.
pub const EXPIRED_KEYS: &str = "shoal_expired_keys_total";
/// Bytes the store's entries hold (approximate).
pub const USED_MEMORY: &str = "shoal_used_memory_bytes";
/// Keys per database, labelled by db.
pub const KEYS: &str = "shoal_keys";
/// Write-behind records not yet committed to the backing database.
pub const BACKING_PENDING: &str = "shoal_backing_pending";
/// Write-behind batches committed.
pub const BACKING_BATCHES: &str = "shoal_backing_batches_total";
/// Failed backing database calls.
pub const BACKING_FAILURES: &str = "shoal_backing_failures_total";
/// Backing database call latency.
pub const BACKING_DB_SECONDS: &str = "shoal_backing_db_seconds";
/// Read-through loads, by outcome (`hit`, `miss`).
pub const BACKING_READ_THROUGH: &str = "shoal_backing_read_through_total";

/// Registers descriptions for every metric.
pub fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(COMMANDS_TOTAL, "Commands executed, by command");
    describe_histogram!(COMMAND_DURATION, Unit::Seconds, "Command execution time, by command");
    describe_counter!(COMMAND_ERRORS, "Commands that replied with an error, by command");
    describe_counter!(CONNECTIONS_TOTAL, "Client connections accepted");
    describe_gauge!(CONNECTED_CLIENTS, "Client connections open");
    describe_counter!(KEYSPACE_HITS, "Key lookups that found the key");
    describe_counter!(KEYSPACE_MISSES, "Key lookups that found nothing");
    describe_counter!(EXPIRED_KEYS, "Keys removed because their TTL passed");
    describe_gauge!(USED_MEMORY, Unit::Bytes, "Approximate bytes held by keys and values");
    describe_gauge!(KEYS, "Keys per database");
    describe_gauge!(BACKING_PENDING, "Write-behind records not yet in the backing database");
    describe_counter!(
        BACKING_BATCHES,
        "Write-behind batches committed to the backing database"
    );
    describe_counter!(BACKING_FAILURES, "Failed backing database calls");
    describe_histogram!(BACKING_DB_SECONDS, Unit::Seconds, "Backing database call latency");
    describe_counter!(BACKING_READ_THROUGH, "Read-through loads, by outcome");
}

/// Installs the Prometheus recorder; returns the handle that renders `/metrics`.
/// Only the first call installs; later calls (tests starting several
/// servers in one process) get `None`.
pub fn install_recorder() -> Option<metrics_exporter_prometheus::PrometheusHandle> {
    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Full(COMMAND_DURATION.to_string()),
            &[1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 0.1, 1.0],
        )
        .ok()?
        .build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).ok()?;
    Some(handle)
}

/// Serves `GET /metrics` in Prometheus text format on `listener` until the
/// process ends. Anything else gets 404. One short request per connection.
pub async fn serve_http(listener: tokio::net::TcpListener, handle: metrics_exporter_prometheus::PrometheusHandle) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            continue;
        };
        let handle = handle.clone();
        tokio::spawn(async move {
            let mut req = Vec::with_capacity(1024);
            let mut chunk = [0u8; 1024];
            // Read the request head (bounded: 8 KiB, 5 s).
            let read = tokio::time::timeout(Duration::from_secs(5), async {
                while !req.windows(4).any(|w| w == b"\r\n\r\n") && req.len() < 8192 {
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return false,
                        Ok(n) => req.extend_from_slice(&chunk[..n]),
                    }
                }
                true
            })
            .await;
            if !matches!(read, Ok(true)) {
                return;
            }
            let first = req.split(|&b| b == b'\n').next().unwrap_or(&[]);
            let ok = first.starts_with(b"GET /metrics ") || first.starts_with(b"GET /metrics?");
            let (status, body) = if ok {
                ("200 OK", handle.render())
            } else {
                ("404 Not Found", "not found\n".to_string())
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body.as_bytes()).await;
            let _ = stream.shutdown().await;
        });
    }
}

/// The `metrics` handles of one command, resolved once: the macros with a
/// `"cmd" => name` label build and hash a key and look it up in the
/// recorder's registry on every call, which cost more than the command.
#[derive(Debug)]
struct CommandHandles {
    calls: metrics::Counter,
    duration: metrics::Histogram,
    errors: metrics::Counter,
}

/// The unlabelled lookup counters, resolved once.
#[derive(Debug)]
struct LookupHandles {
    hits: metrics::Counter,
    misses: metrics::Counter,
}

/// Per-command counters for `INFO commandstats`.
#[derive(Debug, Default)]
pub struct CommandStat {
    /// Successful or failed executions.
    pub calls: AtomicU64,
    /// Total microseconds spent.
    pub usec: AtomicU64,
    /// Rejected before running (arity, auth, ...).
    pub rejected: AtomicU64,
    /// Ran and replied with an error.
    pub failed: AtomicU64,
    /// Prometheus handles, resolved on the first call (after the recorder
    /// is installed at start-up).
    handles: OnceLock<CommandHandles>,
}

/// Server-wide counters for `INFO stats`.
#[derive(Debug, Default)]
pub struct Stats {
    /// Commands processed that have no row in the table (the rows count
    /// their own calls); see [`Stats::total_commands`].
    pub commands: AtomicU64,
    /// Bytes read from clients.
    pub net_input: AtomicU64,
    /// Bytes written to clients.
    pub net_output: AtomicU64,
    /// Successful key lookups.
    pub hits: AtomicU64,
    /// Failed key lookups.
    pub misses: AtomicU64,
    /// Keys expired.
    pub expired: AtomicU64,
    /// Keys evicted.
    pub evicted: AtomicU64,
    /// Writes since start (`rdb_changes_since_last_save`).
    pub dirty: AtomicU64,
    /// Error replies, by error code (`ERR`, `WRONGTYPE`, ...).
    pub errors: parking_lot::Mutex<HashMap<String, u64>>,
    /// Per-command counters, by full command name.
    pub commands_by_name: HashMap<&'static str, CommandStat>,
    /// Prometheus handles for the hit/miss counters.
    lookups: OnceLock<LookupHandles>,
}

impl Stats {
    /// Counters for every command in the table.
    pub fn new(names: impl Iterator<Item = &'static str>) -> Self {
        Stats {
            commands_by_name: names.map(|n| (n, CommandStat::default())).collect(),
            ..Default::default()
        }
    }

    /// Records one execution of `cmd`.
    pub fn record_call(&self, cmd: &'static str, took: Duration, failed: bool) {
        let resolve = || CommandHandles {
            calls: metrics::counter!(COMMANDS_TOTAL, "cmd" => cmd),
            duration: metrics::histogram!(COMMAND_DURATION, "cmd" => cmd),
            errors: metrics::counter!(COMMAND_ERRORS, "cmd" => cmd),
        };
        let Some(s) = self.commands_by_name.get(cmd) else {
            // Not a row of the table: resolve each time (never on the hot path).
            self.commands.fetch_add(1, Ordering::Relaxed);
            let h = resolve();
            h.calls.increment(1);
            h.duration.record(took.as_secs_f64());
            if failed {
                h.errors.increment(1);
            }
            return;
        };
        s.calls.fetch_add(1, Ordering::Relaxed);
        s.usec.fetch_add(took.as_micros() as u64, Ordering::Relaxed);
        if failed {
            s.failed.fetch_add(1, Ordering::Relaxed);
        }
        let h = s.handles.get_or_init(resolve);
        h.calls.increment(1);
        h.duration.record(took.as_secs_f64());
        if failed {
            h.errors.increment(1);
        }
    }

    /// Commands processed (`total_commands_processed`): summed from the
    /// per-command counts when asked, so a call costs no extra atomic.
    pub fn total_commands(&self) -> u64 {
        let rows: u64 = self
            .commands_by_name
            .values()
            .map(|s| s.calls.load(Ordering::Relaxed))
            .sum();
        rows + self.commands.load(Ordering::Relaxed)
    }

    /// Records a command rejected before it ran.
    pub fn record_rejected(&self, cmd: Option<&'static str>) {
        if let Some(s) = cmd.and_then(|c| self.commands_by_name.get(c)) {
            s.rejected.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Records an error reply by its code.
    pub fn record_error(&self, msg: &str) {
        let code = msg.split(' ').next().unwrap_or("ERR").to_string();
        *self.errors.lock().entry(code).or_insert(0) += 1;
    }

    /// Records key lookups.
    pub fn record_lookup(&self, hit: bool) {
        let h = self.lookups.get_or_init(|| LookupHandles {
            hits: metrics::counter!(KEYSPACE_HITS),
            misses: metrics::counter!(KEYSPACE_MISSES),
        });
        if hit {
            self.hits.fetch_add(1, Ordering::Relaxed);
            h.hits.increment(1);
        } else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            h.misses.increment(1);
        }
    }

    /// Records expired keys.
    pub fn record_expired(&self, n: u64) {
        self.expired.fetch_add(n, Ordering::Relaxed);
        metrics::counter!(EXPIRED_KEYS).increment(n);
    }

    /// `CONFIG RESETSTAT`.
    pub fn reset(&self) {
        for a in [
            &self.commands,
            &self.net_input,
            &self.net_output,
            &self.hits,
            &self.misses,
            &self.expired,
            &self.evicted,
        ] {
            a.store(0, Ordering::Relaxed);
        }
        self.errors.lock().clear();
        for s in self.commands_by_name.values() {
            for a in [&s.calls, &s.usec, &s.rejected, &s.failed] {
                a.store(0, Ordering::Relaxed);
            }
        }
    }
}
