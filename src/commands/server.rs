//! Server commands: INFO, CONFIG, DBSIZE, FLUSHDB/FLUSHALL, SWAPDB, TIME,
//! LASTSAVE, SHUTDOWN and DEBUG.
//!
//! `INFO` prints Redis's section names and field names so exporters and
//! dashboards built for Redis read it unchanged; fields for machinery Shoal
//! does not have (forks, AOF, replication buffers) carry Redis's idle values.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::connection::{parse_db_index, write_help, CLIENT_MEMORY, REDIS_VERSION};
use super::spec::Lookup;
use super::{Action, Args, CmdError, Ctx};
use crate::config::{Config, ConfigError, Param, ParamKind, ALIASES, PARAMS, PROTECTED};
use crate::node::instance::Instance;
use crate::store::db::lru_clock;
use crate::store::{Effects, Str, Value};

/// Memory the server uses with no keys and no clients (reported in
/// `used_memory_startup` and folded into `used_memory`).
pub const BASE_MEMORY: u64 = 900 * 1024;

// INFO sections in output order: (name, in `default`, in `all`).
const SECTIONS: &[(&str, bool, bool)] = &[
    ("server", true, true),
    ("clients", true, true),
    ("memory", true, true),
    ("persistence", true, true),
    ("stats", true, true),
    ("replication", true, true),
    ("cpu", true, true),
    ("modules", true, true),
    ("commandstats", false, true),
    ("errorstats", true, true),
    ("latencystats", false, true),
    ("cluster", true, true),
    ("backing", false, true),
    ("keyspace", true, true),
];

/// `INFO [section ...]`.
pub fn info(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let mut wanted = [false; SECTIONS.len()];
    if args.len() == 1 {
        for (w, s) in wanted.iter_mut().zip(SECTIONS) {
            *w = s.1;
        }
    }
    for a in args.from(1) {
        let a = a.to_ascii_lowercase();
        for (w, s) in wanted.iter_mut().zip(SECTIONS) {
            *w |= match a.as_slice() {
                b"default" => s.1,
                // The backing section is Shoal's own: in `all` only when a
                // backing database is configured, so that INFO without one
                // lists exactly Redis's sections.
                b"all" | b"everything" => s.2 && (s.0 != "backing" || ctx.inst.backing.get().is_some()),
                name => name == s.0.as_bytes(),
            };
        }
    }
    let text = render_info(ctx, &wanted);
    ctx.out.verbatim("txt", text.as_bytes());
    Ok(())
}

fn render_info(ctx: &Ctx<'_>, wanted: &[bool]) -> String {
    let mut out = String::new();
    for (i, (name, _, _)) in SECTIONS.iter().enumerate() {
        if !wanted.get(i).copied().unwrap_or(false) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        let mut s = Section(String::new());
        match *name {
            "server" => server_section(ctx, &mut s),
            "clients" => clients_section(ctx.inst, &mut s),
            "memory" => memory_section(ctx.inst, &mut s),
            "persistence" => persistence_section(ctx.inst, &mut s),
            "stats" => stats_section(ctx.inst, &mut s),
            "replication" => replication_section(ctx.inst, &mut s),
            "cpu" => cpu_section(&mut s),
            "modules" => s.title("Modules"),
            "commandstats" => commandstats_section(ctx.inst, &mut s),
            "errorstats" => errorstats_section(ctx.inst, &mut s),
            "latencystats" => s.title("Latencystats"),
            "cluster" => {
                s.title("Cluster");
                s.field("cluster_enabled", u8::from(ctx.inst.config.get_bool("cluster-enabled")));
            }
            "backing" => {
                s.title("Backing");
                s.field("backing_enabled", u8::from(ctx.inst.backing.get().is_some()));
                if let Some(b) = ctx.inst.backing.get() {
                    for (name, value) in b.info_fields() {
                        s.field(name, value);
                    }
                }
            }
            _ => keyspace_section(ctx.inst, &mut s),
        }
        out.push_str(&s.0);
    }
    out
}

/// One INFO section being written: `# Title` then `name:value` lines, each
/// ending in CRLF.
struct Section(String);

impl Section {
    fn title(&mut self, t: &str) {
        let _ = write!(self.0, "# {t}\r\n");
    }

    fn field(&mut self, name: &str, value: impl std::fmt::Display) {
        let _ = write!(self.0, "{name}:{value}\r\n");
    }
}

/// Formats a byte count as Redis's `bytesToHuman` does.
fn human(n: u64) -> String {
    const K: f64 = 1024.0;
    let d = n as f64;
    match n {
        n if n < 1024 => format!("{n}B"),
        n if n < 1024 * 1024 => format!("{:.2}K", d / K),
        n if n < 1024 * 1024 * 1024 => format!("{:.2}M", d / (K * K)),
        n if n < 1024 * 1024 * 1024 * 1024 => format!("{:.2}G", d / (K * K * K)),
        n if n < 1024 * 1024 * 1024 * 1024 * 1024 => format!("{:.2}T", d / (K * K * K * K)),
        n if n < 1024 * 1024 * 1024 * 1024 * 1024 * 1024 => format!("{:.2}P", d / (K * K * K * K * K)),
        n => format!("{n}B"),
    }
}

fn os_line() -> String {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let os = std::env::consts::OS;
    let mut name = os.to_string();
    if let Some(first) = name.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    format!("{name} {} {}", release.trim(), std::env::consts::ARCH)
}

fn server_section(ctx: &Ctx<'_>, s: &mut Section) {
    let inst = ctx.inst;
    let uptime = inst.started.elapsed().as_secs();
    let hz = inst.config.get_i64("hz");
    s.title("Server");
    s.field("redis_version", REDIS_VERSION);
    s.field("redis_git_sha1", "00000000");
    s.field("redis_git_dirty", 0);
    s.field("redis_build_id", &inst.run_id[..16.min(inst.run_id.len())]);
    s.field("redis_mode", "standalone");
    s.field("os", os_line());
    s.field("arch_bits", usize::BITS);
    s.field("monotonic_clock", "POSIX clock_gettime");
    s.field("multiplexing_api", "epoll");
    s.field("atomicvar_api", "c11-builtin");
    s.field("gcc_version", "0.0.0");
    s.field("process_id", std::process::id());
    s.field("process_supervised", "no");
    s.field("run_id", &inst.run_id);
    s.field("tcp_port", inst.port.load(Ordering::Relaxed));
    s.field("server_time_usec", ctx.now_ms * 1000);
    s.field("uptime_in_seconds", uptime);
    s.field("uptime_in_days", uptime / 86_400);
    s.field("hz", hz);
    s.field("configured_hz", hz);
    s.field("lru_clock", lru_clock(ctx.now_ms));
    s.field(
        "executable",
        std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    );
    s.field(
        "config_file",
        inst.config
            .file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    );
    s.field("io_threads_active", 0);
    let binds: Vec<String> = inst
        .config
        .get("bind")
        .split_whitespace()
        .map(|b| format!("bind={b}"))
        .collect();
    s.field(
        "listener0",
        format!(
            "name=tcp,{},port={}",
            binds.join(","),
            inst.port.load(Ordering::Relaxed)
        ),
    );
}

fn clients_section(inst: &Instance, s: &mut Section) {
    let clients = inst.clients.snapshot();
    let blocked = clients.iter().filter(|c| c.blocked.load(Ordering::Relaxed)).count();
    let max_qbuf = clients
        .iter()
        .map(|c| c.qbuf.load(Ordering::Relaxed))
        .max()
        .unwrap_or(0);
    s.title("Clients");
    s.field("connected_clients", clients.len());
    s.field("cluster_connections", 0);
    s.field("maxclients", inst.config.get_i64("maxclients"));
    s.field("client_recent_max_input_buffer", max_qbuf);
    s.field("client_recent_max_output_buffer", 0);
    s.field("blocked_clients", blocked);
    s.field("tracking_clients", 0);
    s.field("clients_in_timeout_table", 0);
    s.field("total_blocking_keys", 0);
    s.field("total_blocking_keys_on_nokey", 0);
}

/// Resident set size in bytes, from `/proc/self/statm`.
pub fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|t| t.split_whitespace().nth(1).and_then(|v| v.parse::<u64>().ok()))
        .map_or(0, |pages| pages * 4096)
}

fn total_system_memory() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<u64>().ok()))
        })
        .map_or(0, |kb| kb * 1024)
}

/// `used_memory`: the keyspace plus per-client buffers plus a fixed base.
/// Lock-free (the store keeps a running byte count): `maxmemory` reads it
/// before each command.
pub fn used_memory(inst: &Instance) -> u64 {
    BASE_MEMORY + inst.store.mem_total() as u64 + (inst.clients.len() * CLIENT_MEMORY) as u64
}

fn ratio(a: u64, b: u64) -> String {
    if b == 0 {
        "0.00".into()
    } else {
        format!("{:.2}", a as f64 / b as f64)
    }
}

fn memory_section(inst: &Instance, s: &mut Section) {
    let used = used_memory(inst);
    let clients_mem = (inst.clients.len() * CLIENT_MEMORY) as u64;
    let dataset = used.saturating_sub(BASE_MEMORY + clients_mem);
    let peak = inst.mem_peak.fetch_max(used, Ordering::Relaxed).max(used);
    let rss = rss_bytes();
    let total = total_system_memory();
    let maxmemory = inst.config.get_i64("maxmemory").max(0) as u64;
    let overhead = BASE_MEMORY + clients_mem;
    let net = used.saturating_sub(BASE_MEMORY);
    s.title("Memory");
    s.field("used_memory", used);
    s.field("used_memory_human", human(used));
    s.field("used_memory_rss", rss);
    s.field("used_memory_rss_human", human(rss));
    s.field("used_memory_peak", peak);
    s.field("used_memory_peak_human", human(peak));
    s.field(
        "used_memory_peak_perc",
        format!("{:.2}%", used as f64 * 100.0 / peak.max(1) as f64),
    );
    s.field("used_memory_overhead", overhead);
    s.field("used_memory_startup", BASE_MEMORY);
    s.field("used_memory_dataset", dataset);
    s.field(
        "used_memory_dataset_perc",
        format!("{:.2}%", dataset as f64 * 100.0 / net.max(1) as f64),
    );
    s.field("allocator_allocated", used);
    s.field("allocator_active", used);
    s.field("allocator_resident", rss);
    s.field("total_system_memory", total);
    s.field("total_system_memory_human", human(total));
    s.field("used_memory_lua", 31744);
    s.field("used_memory_vm_eval", 31744);
    s.field("used_memory_lua_human", human(31744));
    s.field("used_memory_scripts_eval", 0);
    s.field("number_of_cached_scripts", 0);
    s.field("number_of_functions", 0);
    s.field("number_of_libraries", 0);
    s.field("used_memory_vm_functions", 32768);
    s.field("used_memory_vm_total", 64512);
    s.field("used_memory_vm_total_human", human(64512));
    s.field("used_memory_functions", 184);
    s.field("used_memory_scripts", 184);
    s.field("used_memory_scripts_human", human(184));
    s.field("maxmemory", maxmemory);
    s.field("maxmemory_human", human(maxmemory));
    s.field("maxmemory_policy", inst.config.get("maxmemory-policy"));
    s.field("allocator_frag_ratio", "1.00");
    s.field("allocator_frag_bytes", 0);
    s.field("allocator_rss_ratio", ratio(rss, used));
    s.field("allocator_rss_bytes", rss.saturating_sub(used));
    s.field("rss_overhead_ratio", "1.00");
    s.field("rss_overhead_bytes", 0);
    s.field("mem_fragmentation_ratio", ratio(rss, used));
    s.field("mem_fragmentation_bytes", rss.saturating_sub(used));
    s.field("mem_not_counted_for_evict", 0);
    s.field("mem_replication_backlog", 0);
    s.field("mem_total_replication_buffers", 0);
    s.field("mem_clients_slaves", 0);
    s.field("mem_clients_normal", clients_mem);
    s.field("mem_cluster_links", 0);
    s.field("mem_aof_buffer", 0);
    s.field("mem_allocator", "libc");
    s.field("active_defrag_running", 0);
    s.field("lazyfree_pending_objects", 0);
    s.field("lazyfreed_objects", 0);
}

fn persistence_section(inst: &Instance, s: &mut Section) {
    s.title("Persistence");
    s.field("loading", 0);
    s.field("async_loading", 0);
    s.field("current_cow_peak", 0);
    s.field("current_cow_size", 0);
    s.field("current_cow_size_age", 0);
    s.field("current_fork_perc", "0.00");
    s.field("current_save_keys_processed", 0);
    s.field("current_save_keys_total", 0);
    s.field("rdb_changes_since_last_save", inst.stats.dirty.load(Ordering::Relaxed));
    s.field("rdb_bgsave_in_progress", 0);
    s.field("rdb_last_save_time", inst.last_save.load(Ordering::Relaxed));
    s.field("rdb_last_bgsave_status", "ok");
    s.field("rdb_last_bgsave_time_sec", -1);
    s.field("rdb_current_bgsave_time_sec", -1);
    s.field("rdb_saves", 0);
    s.field("rdb_last_cow_size", 0);
    s.field("rdb_last_load_keys_expired", 0);
    s.field("rdb_last_load_keys_loaded", 0);
    s.field("aof_enabled", 0);
    s.field("aof_rewrite_in_progress", 0);
    s.field("aof_rewrite_scheduled", 0);
    s.field("aof_last_rewrite_time_sec", -1);
    s.field("aof_current_rewrite_time_sec", -1);
    s.field("aof_last_bgrewrite_status", "ok");
    s.field("aof_rewrites", 0);
    s.field("aof_rewrites_consecutive_failures", 0);
    s.field("aof_last_write_status", "ok");
    s.field("aof_last_cow_size", 0);
    s.field("module_fork_in_progress", 0);
    s.field("module_fork_last_cow_size", 0);
}

/// Instantaneous rates: recomputed when the last sample is at least 100 ms
/// old, otherwise the previous rates stand.
fn rates(inst: &Instance) -> (u64, f64, f64) {
    let now = Instant::now();
    let commands = inst.stats.total_commands();
    let input = inst.stats.net_input.load(Ordering::Relaxed);
    let output = inst.stats.net_output.load(Ordering::Relaxed);
    let mut s = inst.rate_sample.lock();
    let elapsed = now.duration_since(s.at).as_secs_f64();
    if elapsed >= 0.1 {
        s.ops_per_sec = (commands.saturating_sub(s.commands) as f64 / elapsed) as u64;
        s.input_kbps = input.saturating_sub(s.net_input) as f64 / elapsed / 1024.0;
        s.output_kbps = output.saturating_sub(s.net_output) as f64 / elapsed / 1024.0;
        s.at = now;
        s.commands = commands;
        s.net_input = input;
        s.net_output = output;
    }
    (s.ops_per_sec, s.input_kbps, s.output_kbps)
}

fn total_errors(inst: &Instance) -> u64 {
    inst.stats.errors.lock().values().sum()
}

fn stats_section(inst: &Instance, s: &mut Section) {
    use crate::node::pubsub::Kind;
    let st = &inst.stats;
    let (ops, in_kbps, out_kbps) = rates(inst);
    let commands = st.total_commands();
    s.title("Stats");
    s.field(
        "total_connections_received",
        inst.clients.total_connections.load(Ordering::Relaxed),
    );
    s.field("total_commands_processed", commands);
    s.field("instantaneous_ops_per_sec", ops);
    s.field("total_net_input_bytes", st.net_input.load(Ordering::Relaxed));
    s.field("total_net_output_bytes", st.net_output.load(Ordering::Relaxed));
    s.field("total_net_repl_input_bytes", 0);
    s.field("total_net_repl_output_bytes", 0);
    s.field("instantaneous_input_kbps", format!("{in_kbps:.2}"));
    s.field("instantaneous_output_kbps", format!("{out_kbps:.2}"));
    s.field("instantaneous_input_repl_kbps", "0.00");
    s.field("instantaneous_output_repl_kbps", "0.00");
    s.field(
        "rejected_connections",
        inst.clients.rejected_connections.load(Ordering::Relaxed),
    );
    s.field("sync_full", 0);
    s.field("sync_partial_ok", 0);
    s.field("sync_partial_err", 0);
    s.field("expired_keys", st.expired.load(Ordering::Relaxed));
    s.field("expired_stale_perc", "0.00");
    s.field("expired_time_cap_reached_count", 0);
    s.field("expire_cycle_cpu_milliseconds", 0);
    s.field("evicted_keys", st.evicted.load(Ordering::Relaxed));
    s.field("evicted_clients", 0);
    let (exceeded_total, exceeded_now) = inst.eviction_exceeded_ms();
    s.field("total_eviction_exceeded_time", exceeded_total);
    s.field("current_eviction_exceeded_time", exceeded_now);
    s.field("keyspace_hits", st.hits.load(Ordering::Relaxed));
    s.field("keyspace_misses", st.misses.load(Ordering::Relaxed));
    s.field("pubsub_channels", inst.pubsub.count(Kind::Channel));
    s.field("pubsub_patterns", inst.pubsub.count(Kind::Pattern));
    s.field("pubsubshard_channels", inst.pubsub.count(Kind::Shard));
    s.field("latest_fork_usec", 0);
    s.field("total_forks", 0);
    s.field("migrate_cached_sockets", 0);
    s.field("slave_expires_tracked_keys", 0);
    s.field("active_defrag_hits", 0);
    s.field("active_defrag_misses", 0);
    s.field("active_defrag_key_hits", 0);
    s.field("active_defrag_key_misses", 0);
    s.field("total_active_defrag_time", 0);
    s.field("current_active_defrag_time", 0);
    s.field("tracking_total_keys", 0);
    s.field("tracking_total_items", 0);
    s.field("tracking_total_prefixes", 0);
    s.field("unexpected_error_replies", 0);
    s.field("total_error_replies", total_errors(inst));
    s.field("dump_payload_sanitizations", 0);
    s.field("total_reads_processed", commands);
    s.field("total_writes_processed", commands);
    s.field("io_threaded_reads_processed", 0);
    s.field("io_threaded_writes_processed", 0);
    s.field("reply_buffer_shrinks", 0);
    s.field("reply_buffer_expands", 0);
    s.field("eventloop_cycles", commands);
    s.field("eventloop_duration_sum", 0);
    s.field("eventloop_duration_cmd_sum", 0);
    s.field("instantaneous_eventloop_cycles_per_sec", ops);
    s.field("instantaneous_eventloop_duration_usec", 0);
    s.field("acl_access_denied_auth", 0);
    s.field("acl_access_denied_cmd", 0);
    s.field("acl_access_denied_key", 0);
    s.field("acl_access_denied_channel", 0);
}

fn replication_section(inst: &Instance, s: &mut Section) {
    s.title("Replication");
    let master = inst.master.borrow().clone();
    match master {
        None => s.field("role", "master"),
        Some((host, port)) => {
            let up = inst.master_link_up.load(Ordering::Relaxed);
            s.field("role", "slave");
            s.field("master_host", host);
            s.field("master_port", port);
            s.field("master_link_status", if up { "up" } else { "down" });
            s.field("master_last_io_seconds_ago", if up { 0 } else { -1 });
            s.field("master_sync_in_progress", 0);
            s.field("slave_read_repl_offset", 0);
            s.field("slave_repl_offset", 0);
            s.field("slave_priority", 100);
            s.field("slave_read_only", i64::from(inst.config.get_bool("replica-read-only")));
            s.field("replica_announced", 1);
        }
    }
    let replicas = inst.clients.count(|c| c.replica.load(Ordering::Relaxed));
    s.field("connected_slaves", replicas);
    s.field("master_failover_state", "no-failover");
    s.field("master_replid", &inst.replid);
    s.field("master_replid2", "0000000000000000000000000000000000000000");
    // Counted in units of the replicated stream, not bytes.
    s.field("master_repl_offset", inst.replication.offset());
    s.field("second_repl_offset", -1);
    s.field("repl_backlog_active", 0);
    s.field("repl_backlog_size", 1_048_576);
    s.field("repl_backlog_first_byte_offset", 0);
    s.field("repl_backlog_histlen", 0);
}

/// (user, system, children user, children system) CPU seconds from a
/// `/proc/.../stat` file; clock ticks are taken as 100 per second.
fn proc_cpu(path: &str) -> [f64; 4] {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    // Fields after the parenthesised command name start with the state (field 3).
    let rest = text.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / 100.0;
    [tick(11), tick(12), tick(13), tick(14)]
}

fn cpu_section(s: &mut Section) {
    let [user, sys, cuser, csys] = proc_cpu("/proc/self/stat");
    let main = format!("/proc/self/task/{}/stat", std::process::id());
    let [muser, msys, _, _] = proc_cpu(&main);
    s.title("CPU");
    s.field("used_cpu_sys", format!("{sys:.6}"));
    s.field("used_cpu_user", format!("{user:.6}"));
    s.field("used_cpu_sys_children", format!("{csys:.6}"));
    s.field("used_cpu_user_children", format!("{cuser:.6}"));
    s.field("used_cpu_sys_main_thread", format!("{msys:.6}"));
    s.field("used_cpu_user_main_thread", format!("{muser:.6}"));
}

fn commandstats_section(inst: &Instance, s: &mut Section) {
    s.title("Commandstats");
    let rows = Lookup::get()
        .all()
        .iter()
        .flat_map(|c| std::iter::once(c).chain(c.subcommands.iter()));
    for row in rows {
        let Some(st) = inst.stats.commands_by_name.get(row.name) else {
            continue;
        };
        let calls = st.calls.load(Ordering::Relaxed);
        let usec = st.usec.load(Ordering::Relaxed);
        let rejected = st.rejected.load(Ordering::Relaxed);
        let failed = st.failed.load(Ordering::Relaxed);
        if calls == 0 && rejected == 0 && failed == 0 {
            continue;
        }
        let per_call = if calls == 0 { 0.0 } else { usec as f64 / calls as f64 };
        s.field(
            &format!("cmdstat_{}", row.name),
            format!(
                "calls={calls},usec={usec},usec_per_call={per_call:.2},rejected_calls={rejected},failed_calls={failed}"
            ),
        );
    }
}

fn errorstats_section(inst: &Instance, s: &mut Section) {
    s.title("Errorstats");
    let mut errors: Vec<(String, u64)> = inst.stats.errors.lock().iter().map(|(k, v)| (k.clone(), *v)).collect();
    errors.sort();
    for (code, n) in errors {
        s.field(&format!("errorstat_{code}"), format!("count={n}"));
    }
}

fn keyspace_section(inst: &Instance, s: &mut Section) {
    s.title("Keyspace");
    for db in inst.store.dbs() {
        let keys = db.len();
        if keys > 0 {
            s.field(
                &format!("db{}", db.index),
                format!("keys={keys},expires={},avg_ttl=0", db.volatile()),
            );
        }
    }
}

fn has_glob(p: &[u8]) -> bool {
    p.iter().any(|c| matches!(c, b'*' | b'?' | b'['))
}

/// `CONFIG GET pattern [pattern ...]`.
pub fn config_get(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    // Redis echoes an exact name as the client typed it; patterns list the
    // canonical names. Each parameter appears once.
    let mut found: Vec<(String, &'static Param)> = Vec::new();
    for pat in args.from(2) {
        if !has_glob(pat) {
            let name = String::from_utf8_lossy(pat).into_owned();
            if let Some(p) = Config::param(&name) {
                if !found.iter().any(|(_, q)| std::ptr::eq(*q, p)) {
                    found.push((name, p));
                }
            }
            continue;
        }
        for p in PARAMS {
            if !found.iter().any(|(_, q)| std::ptr::eq(*q, p)) && crate::glob::glob_match(pat, p.name.as_bytes(), true)
            {
                found.push((p.name.to_string(), p));
            }
        }
        for (alias, canonical) in ALIASES {
            if crate::glob::glob_match(pat, alias.as_bytes(), true) && !found.iter().any(|(n, _)| n == alias) {
                if let Some(p) = Config::param(canonical) {
                    found.push((alias.to_string(), p));
                }
            }
        }
    }
    ctx.out.map(found.len());
    for (name, p) in found {
        ctx.out.bulk(name.as_bytes());
        ctx.out.bulk(ctx.inst.config.get(p.name).as_bytes());
    }
    Ok(())
}

fn set_failed(arg: &str, why: &str) -> CmdError {
    CmdError::Owned(format!(
        "ERR CONFIG SET failed (possibly related to argument '{arg}') - {why}"
    ))
}

/// `CONFIG SET name value [name value ...]`: all values are checked before
/// any is stored, so either every parameter changes or none does.
pub fn config_set(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if !args.len().is_multiple_of(2) {
        return Err(CmdError::Syntax);
    }
    let pairs = (args.len() - 2) / 2;
    let mut chosen: Vec<(&'static Param, String)> = Vec::with_capacity(pairs);
    let mut unknown: Option<String> = None;
    let mut refused: Option<(String, &str)> = None;
    for i in 0..pairs {
        let typed = String::from_utf8_lossy(args.get(2 + 2 * i)).into_owned();
        let Some(p) = Config::param(&typed) else {
            if refused.is_none() && unknown.is_none() {
                unknown = Some(typed);
            }
            continue;
        };
        if unknown.is_some() || refused.is_some() {
            continue;
        }
        if !p.mutable {
            refused = Some((typed, "can't set immutable config"));
        } else if PROTECTED.contains(&p.name) {
            refused = Some((typed, "can't set protected config"));
        } else if chosen.iter().any(|(q, _)| std::ptr::eq(*q, p)) {
            refused = Some((typed, "duplicate parameter"));
        } else {
            chosen.push((p, String::from_utf8_lossy(args.get(3 + 2 * i)).into_owned()));
        }
    }
    if let Some(name) = unknown {
        return Err(CmdError::Owned(format!(
            "ERR Unknown option or number of arguments for CONFIG SET - '{name}'"
        )));
    }
    if let Some((name, why)) = refused {
        return Err(set_failed(&name, why));
    }
    let mut values = Vec::with_capacity(chosen.len());
    for (p, raw) in &chosen {
        let v = Config::check(p, raw).map_err(|e| match e {
            ConfigError::Invalid(n, why) => set_failed(n, &why),
            other => set_failed(p.name, &crate::config::describe(&other)),
        })?;
        values.push((p.name, v));
    }
    for (name, v) in &values {
        if let Some(why) = rebind_error(ctx.inst, name, v) {
            return Err(set_failed(name, why));
        }
    }
    let access = values
        .iter()
        .any(|(n, _)| matches!(*n, "maxmemory-policy" | "lfu-log-factor" | "lfu-decay-time"));
    ctx.inst.config.set_checked(values);
    if access {
        ctx.inst.sync_access_mode();
    }
    ctx.out.ok();
    Ok(())
}

/// Shoal keeps its listener for the life of the process: a new `port` or
/// `bind` fails as a failed rebind fails in Redis.
fn rebind_error(inst: &Instance, name: &str, value: &str) -> Option<&'static str> {
    if inst.config.get(name) == value {
        return None;
    }
    match name {
        "port" => Some("Unable to listen on this port"),
        "bind" => Some("Failed to bind to specified addresses."),
        _ => None,
    }
}

/// `CONFIG RESETSTAT`.
pub fn config_resetstat(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let inst = ctx.inst;
    inst.stats.reset();
    inst.clients.total_connections.store(0, Ordering::Relaxed);
    inst.clients.rejected_connections.store(0, Ordering::Relaxed);
    inst.mem_peak.store(used_memory(inst), Ordering::Relaxed);
    inst.evict_over_total.store(0, Ordering::Relaxed);
    inst.evict_over_since.store(0, Ordering::Relaxed);
    ctx.out.ok();
    Ok(())
}

/// Line that marks where `CONFIG REWRITE` appends parameters the file lacked.
const REWRITE_SIGNATURE: &str = "# Generated by CONFIG REWRITE";

/// Quotes a string value for the config file when it needs quoting.
fn quote(v: &str) -> String {
    let plain = !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b'\\');
    if plain {
        return v.to_string();
    }
    let mut out = String::from("\"");
    for b in v.bytes() {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b if b.is_ascii_graphic() || b == b' ' => out.push(char::from(b)),
            b => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push('"');
    out
}

/// Formats a byte count with the largest exact unit, as Redis rewrites sizes.
fn memory_words(v: &str) -> String {
    let Ok(n) = v.parse::<i64>() else {
        return v.to_string();
    };
    const UNITS: [(i64, &str); 3] = [(1 << 30, "gb"), (1 << 20, "mb"), (1 << 10, "kb")];
    for (size, unit) in UNITS {
        if n != 0 && n % size == 0 {
            return format!("{}{unit}", n / size);
        }
    }
    n.to_string()
}

/// The config-file line for `p` holding `value`.
fn config_line(p: &Param, value: &str) -> String {
    let v = match p.kind {
        ParamKind::Memory | ParamKind::MemoryAtLeast(_) => memory_words(value),
        ParamKind::MemoryOrPercent(_) if !value.ends_with('%') => memory_words(value),
        // Lists of words stay words.
        ParamKind::SavePoints if !value.is_empty() => value.to_string(),
        ParamKind::Str if p.name == "bind" && !value.is_empty() => value.to_string(),
        _ => quote(value),
    };
    format!("{} {v}", p.name)
}

/// Rewrites the config file at `path` with the running values: lines of
/// known parameters are replaced in place (duplicates dropped), anything
/// else is kept, and non-default values the file lacked are appended.
pub fn rewrite_config_file(path: &Path, config: &Config) -> std::io::Result<()> {
    let old = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let values = config.all();
    let mut lines: Vec<Option<String>> = Vec::new();
    let mut written: Vec<&'static str> = Vec::new();
    let mut has_tail = false;
    for line in old.lines() {
        let trimmed = line.trim();
        if trimmed == REWRITE_SIGNATURE {
            has_tail = true;
        }
        let param = (!trimmed.starts_with('#'))
            .then(|| crate::protocol::decode::split_args(trimmed.as_bytes()))
            .flatten()
            .and_then(|words| words.first().map(|w| String::from_utf8_lossy(w).into_owned()))
            .and_then(|name| Config::param(&name));
        match param {
            Some(p) if written.contains(&p.name) => {}
            Some(p) => {
                let value = values
                    .iter()
                    .find(|(n, _)| *n == p.name)
                    .map_or("", |(_, v)| v.as_str());
                lines.push(Some(config_line(p, value)));
                written.push(p.name);
            }
            None => lines.push(Some(line.to_string())),
        }
    }
    for p in PARAMS {
        let value = values
            .iter()
            .find(|(n, _)| *n == p.name)
            .map_or("", |(_, v)| v.as_str());
        if written.contains(&p.name) || value == p.default {
            continue;
        }
        if !has_tail {
            lines.push(Some(REWRITE_SIGNATURE.to_string()));
            has_tail = true;
        }
        lines.push(Some(config_line(p, value)));
    }
    let mut text: String = lines.into_iter().flatten().collect::<Vec<_>>().join("\n");
    text.push('\n');
    // Write a sibling file and rename it over the original, so a crash never
    // leaves a half-written configuration.
    let tmp = path.with_extension(format!("rewrite-{}.tmp", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// `CONFIG REWRITE`.
pub fn config_rewrite(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let Some(path) = ctx.inst.config.file.as_ref() else {
        return Err(CmdError::Other("ERR The server is running without a config file"));
    };
    rewrite_config_file(path, &ctx.inst.config)
        .map_err(|e| CmdError::Owned(format!("ERR Rewriting config file: {e}")))?;
    ctx.out.ok();
    Ok(())
}

/// `CONFIG HELP`.
pub fn config_help(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    write_help(
        ctx,
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        &[
            "GET <pattern>",
            "    Reply with the parameters whose names match the glob <pattern>, and their values.",
            "SET <directive> <value>",
            "    Change parameter <directive> to <value> (several pairs change together or not at all).",
            "RESETSTAT",
            "    Zero the counters INFO reports.",
            "REWRITE",
            "    Write the running configuration back to the config file.",
        ],
    );
    Ok(())
}

/// `DBSIZE`.
pub fn dbsize(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.int(ctx.db().len() as i64);
    Ok(())
}

/// Parses `[SYNC|ASYNC]` of FLUSHDB/FLUSHALL; true for asynchronous.
fn flush_mode(ctx: &Ctx<'_>, args: &Args<'_>) -> Result<bool, CmdError> {
    match args.len() {
        1 => Ok(ctx.inst.config.get_bool("lazyfree-lazy-user-flush")),
        2 if args.is(1, "sync") => Ok(false),
        2 if args.is(1, "async") => Ok(true),
        _ => Err(CmdError::Syntax),
    }
}

/// Empties databases, recording a `flushed` effect for each (and a
/// `touched` one for each watched key that existed: Redis's
/// `touchAllWatchedKeysInDb`); returns the number of keys removed.
/// Asynchronous mode frees the old contents on a background thread.
fn flush(inst: &Instance, db: Option<usize>, background: bool, now: u64, fx: &mut Effects) -> u64 {
    let mut old = Vec::new();
    for d in inst.store.dbs() {
        if db.is_none_or(|i| i == d.index) {
            touch_watched_present(inst, d, now, fx);
            old.extend(d.clear());
            fx.flushed(d.index);
        }
    }
    let removed: usize = old.iter().map(|s| s.len()).sum();
    if background && removed > 0 {
        std::thread::spawn(move || drop(old));
    } else {
        drop(old);
    }
    removed as u64
}

/// Records a `touched` effect for each watched key of `db` that exists
/// (the fan-out then marks its watchers).
fn touch_watched_present(inst: &Instance, db: &crate::store::Db, now: u64, fx: &mut Effects) {
    for key in inst.watches.keys_in(db.index) {
        // A stored but logically expired key is no change to its watchers
        // (the `flushed` effect clears their stale marks).
        if db.peek_entry(&key, |e| e.is_some_and(|e| !e.is_expired(now))) {
            fx.touched(db.index, &key);
        }
    }
}

/// `FLUSHDB [SYNC|ASYNC]`.
pub fn flushdb(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let background = flush_mode(ctx, args)?;
    let removed = flush(ctx.inst, Some(ctx.session.db), background, ctx.now_ms, ctx.fx);
    ctx.inst.stats.dirty.fetch_add(removed, Ordering::Relaxed);
    ctx.out.ok();
    Ok(())
}

/// `FLUSHALL [SYNC|ASYNC]`.
pub fn flushall(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let background = flush_mode(ctx, args)?;
    let removed = flush(ctx.inst, None, background, ctx.now_ms, ctx.fx);
    // Redis counts FLUSHALL itself as one more change.
    ctx.inst.stats.dirty.fetch_add(removed + 1, Ordering::Relaxed);
    ctx.out.ok();
    Ok(())
}

/// `SWAPDB index1 index2`.
pub fn swapdb(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let a = parse_db_index(args.get(1)).ok_or(CmdError::Other("ERR invalid first DB index"))?;
    let b = parse_db_index(args.get(2)).ok_or(CmdError::Other("ERR invalid second DB index"))?;
    let n = ctx.inst.store.databases() as i64;
    if !(0..n).contains(&a) || !(0..n).contains(&b) {
        return Err(CmdError::DbIndexOutOfRange);
    }
    ctx.inst.store.swap(a as usize, b as usize);
    ctx.fx.swapped(a as usize, b as usize);
    // Clients blocked on a key that the swap brought in are served, as
    // Redis's `scanDatabaseForReadyKeys` does after SWAPDB. The look does
    // not expire keys (as Redis's `dictFind`): an expiry met here would
    // happen after the swap, but replicates before the command.
    for dbi in [a as usize, b as usize] {
        if let Some(d) = ctx.inst.store.db(dbi) {
            for key in ctx.inst.blocking.waited_keys(dbi) {
                // Stored counts, even if logically expired: the woken
                // command's own lookup then expires it, replicating its
                // DEL after SWAPDB.
                if d.peek_entry(&key, |e| e.is_some()) {
                    ctx.fx.ready(dbi, &key);
                }
            }
        }
    }
    ctx.inst.stats.dirty.fetch_add(1, Ordering::Relaxed);
    ctx.out.ok();
    Ok(())
}

/// `TIME`: seconds and microseconds.
pub fn time(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.array(2);
    ctx.out.bulk_int((ctx.now_ms / 1000) as i64);
    ctx.out.bulk_int(((ctx.now_ms % 1000) * 1000) as i64);
    Ok(())
}

/// `LASTSAVE`.
pub fn lastsave(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.int(ctx.inst.last_save.load(Ordering::Relaxed) as i64);
    Ok(())
}

/// `SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]`. Nothing is persisted, so
/// every accepted form stops the server at once, without a reply.
pub fn shutdown(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (mut nosave, mut save, mut other, mut abort) = (false, false, false, false);
    for i in 1..args.len() {
        if args.is(i, "nosave") {
            nosave = true;
        } else if args.is(i, "save") {
            save = true;
        } else if args.is(i, "now") || args.is(i, "force") {
            other = true;
        } else if args.is(i, "abort") {
            abort = true;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    if (abort && (nosave || save || other)) || (nosave && save) {
        return Err(CmdError::Syntax);
    }
    if abort {
        // Shutdown is immediate, so there is never one in progress to abort.
        return Err(CmdError::Other("ERR No shutdown in progress."));
    }
    ctx.action = Some(Action::Shutdown);
    Ok(())
}

/// Reads a number as C's `strtod` does: the longest valid prefix, 0 if none.
fn strtod_prefix(s: &[u8]) -> f64 {
    let text = String::from_utf8_lossy(s);
    let t = text.trim_start();
    (1..=t.len())
        .rev()
        .filter(|&n| t.is_char_boundary(n))
        .find_map(|n| t[..n].parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

/// Reads an integer as C's `atoi` does: optional sign and leading digits.
fn atoi(s: &[u8]) -> i64 {
    let text = String::from_utf8_lossy(s);
    let t = text.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = digits.bytes().take_while(u8::is_ascii_digit).fold(0i64, |acc, d| {
        acc.saturating_mul(10).saturating_add(i64::from(d - b'0'))
    });
    if neg {
        -n
    } else {
        n
    }
}

/// Bytes of an RDB length prefix for `n`.
fn rdb_len_size(n: usize) -> usize {
    match n {
        n if n < 1 << 6 => 1,
        n if n < 1 << 14 => 2,
        n if n <= u32::MAX as usize => 5,
        _ => 9,
    }
}

/// Approximate RDB size of a string: small integers use the compact integer
/// encodings, everything else a length prefix plus the bytes (we do not
/// model LZF compression).
fn string_serialized_len(s: &Str) -> usize {
    match s {
        Str::Int(n) if i8::try_from(*n).is_ok() => 2,
        Str::Int(n) if i16::try_from(*n).is_ok() => 3,
        Str::Int(n) if i32::try_from(*n).is_ok() => 5,
        other => {
            let len = other.len();
            rdb_len_size(len) + len
        }
    }
}

/// `DEBUG OBJECT key`: Redis's one-line description of the stored value.
fn debug_object(ctx: &mut Ctx<'_>, key: &[u8]) -> Result<(), CmdError> {
    let now = ctx.now_ms;
    let clock = lru_clock(now);
    let db = ctx.db();
    let line = db.peek(key, now, ctx.fx, |e| {
        e.map(|e| {
            #[allow(unreachable_patterns)]
            let (serialized, shared) = match &e.value {
                Value::Str(s) => (string_serialized_len(s), matches!(s, Str::Int(n) if (0..10_000).contains(n))),
                other => (other.heap_size() + 9, false),
            };
            // Redis shares the integers 0..9999 and reports them as immortal.
            let refcount: i64 = if shared { i64::from(i32::MAX) } else { 1 };
            let idle = if clock >= e.access {
                clock - e.access
            } else {
                clock + (0xFF_FFFF - e.access)
            };
            format!(
                "Value at:0x{:x} refcount:{refcount} encoding:{} serializedlength:{serialized} lru:{} lru_seconds_idle:{idle}",
                e as *const _ as usize,
                e.value.encoding(),
                e.access,
            )
        })
    });
    ctx.lookup(line.is_some());
    let line = line.ok_or(CmdError::NoSuchKey)?;
    ctx.out.simple(&line);
    Ok(())
}

/// `MONITOR`: from now on this connection also receives a line for every
/// command any client runs (see `crate::node::monitor`); the connection task
/// forwards them. As in Redis, a second `MONITOR` answers nothing, and
/// `EXEC` may not start one.
pub fn monitor(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    if ctx.session.in_exec {
        return Err(CmdError::Other("ERR MONITOR isn't allowed for DENY BLOCKING client"));
    }
    if ctx.session.monitor.is_some() {
        return Ok(());
    }
    let feed = ctx.inst.monitors.add(ctx.session.info.clone());
    ctx.session.monitor = Some(std::sync::Arc::new(tokio::sync::Mutex::new(feed)));
    ctx.session.info.monitor.store(true, Ordering::Relaxed);
    ctx.out.ok();
    Ok(())
}

/// `DEBUG subcommand ...`: the helpers tests and tools rely on.
pub fn debug(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let argc = args.len();
    if argc == 2 && args.is(1, "help") {
        write_help(
            ctx,
            "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            &[
                "OBJECT <key>",
                "    Describe how the value at <key> is stored.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Stop (0) or restart (1) the background removal of expired keys.",
                "SLEEP <seconds>",
                "    Hold this connection for <seconds> (fractions allowed).",
                "JMAP",
                "    Accepted for compatibility; does nothing.",
            ],
        );
    } else if argc == 3 && args.is(1, "sleep") {
        let secs = strtod_prefix(args.get(2)).max(0.0);
        if let Ok(d) = Duration::try_from_secs_f64(secs) {
            if !d.is_zero() && ctx.depth > 0 {
                // Inside EXEC the transaction holds every other command
                // back, as Redis's single thread does: sleep right here, so
                // what follows in (and after) the transaction runs later.
                // Capped, so no transaction holds the server for long.
                std::thread::sleep(d.min(Duration::from_secs(10)));
            } else if !d.is_zero() {
                ctx.action = Some(Action::Sleep(d));
            }
        }
        ctx.out.ok();
    } else if argc == 3 && args.is(1, "object") {
        debug_object(ctx, args.get(2))?;
    } else if argc == 3 && args.is(1, "set-active-expire") {
        ctx.inst.active_expire.store(atoi(args.get(2)) != 0, Ordering::Relaxed);
        ctx.out.ok();
    } else if argc == 2 && args.is(1, "jmap") {
        ctx.out.ok();
    } else {
        return Err(super::connection::subcommand_syntax_error(args));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_follow_redis() {
        assert_eq!(human(0), "0B");
        assert_eq!(human(1023), "1023B");
        assert_eq!(human(1024), "1.00K");
        assert_eq!(human(1_089_344), "1.04M");
        assert_eq!(human(25_276_063_744), "23.54G");
    }

    #[test]
    fn c_number_readers_take_the_valid_prefix() {
        assert_eq!(strtod_prefix(b"0.5s"), 0.5);
        assert_eq!(strtod_prefix(b"x"), 0.0);
        assert_eq!(atoi(b"12abc"), 12);
        assert_eq!(atoi(b"x"), 0);
        assert_eq!(atoi(b"-1"), -1);
    }

    #[test]
    fn rewrite_keeps_unknown_lines_and_updates_known_ones() {
        let dir = std::env::temp_dir().join(format!("shoal-rewrite-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("shoal.conf");
        std::fs::write(&path, "# mine\nhz 20\nhz 30\nsome-unknown thing\n").unwrap();
        let c = Config::new();
        c.set("hz", "40").unwrap();
        c.set("maxmemory", "2mb").unwrap();
        c.set("requirepass", "a b").unwrap();
        rewrite_config_file(&path, &c).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "# mine\nhz 40\nsome-unknown thing\n# Generated by CONFIG REWRITE\nrequirepass \"a b\"\nmaxmemory 2mb\n"
        );
        let back = Config::new();
        back.load_text(&text.replace("some-unknown thing\n", "")).unwrap();
        assert_eq!(back.get("hz"), "40");
        assert_eq!(back.get("requirepass"), "a b");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
