//! `MEMORY`: what a key costs (`USAGE`), where the server's memory goes
//! (`STATS`), and the allocator subcommands Redis offers.
//!
//! Sizes come from the same accounting as `INFO memory`'s `used_memory`
//! (`Entry::mem_size`: the entry's fixed overhead, the key and the value's
//! heap estimate), so `MEMORY USAGE` of every key sums to the dataset size.

use std::sync::atomic::Ordering;

use super::connection::{write_help, CLIENT_MEMORY};
use super::server::{rss_bytes, used_memory, BASE_MEMORY};
use super::{Args, CmdError, Ctx};
use crate::store::db::SHARDS;

/// Below this much used memory `MEMORY DOCTOR` has nothing to say (as Redis).
const DOCTOR_MIN_MEMORY: u64 = 5 * 1024 * 1024;

/// `MEMORY USAGE key [SAMPLES count]`: the bytes the key and its value use.
pub fn usage(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let mut i = 3;
    while i < args.len() {
        if args.is(i, "samples") && i + 1 < args.len() {
            // Shoal's sizes are exact, so the sample count is only validated.
            if args.int(i + 1)? < 0 {
                return Err(CmdError::Syntax);
            }
            i += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let key = args.get(2);
    let now = ctx.now_ms;
    let db = ctx.db();
    let size = db.peek(key, now, ctx.fx, |e| e.map(|e| e.mem_size()));
    match size {
        Some(n) => ctx.out.int(i64::try_from(n).unwrap_or(i64::MAX)),
        None => ctx.out.null(),
    }
    Ok(())
}

/// `MEMORY STATS`: Redis's field names with Shoal's accounting.
pub fn stats(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let inst = ctx.inst;
    let used = used_memory(inst);
    let peak = inst.mem_peak.fetch_max(used, Ordering::Relaxed).max(used);
    let clients = (inst.clients.len() * CLIENT_MEMORY) as u64;
    let dataset = inst.store.mem() as u64;
    let rss = rss_bytes();
    let dbs: Vec<(usize, u64, u64)> = inst
        .store
        .dbs()
        .iter()
        .filter(|d| !d.is_empty())
        // The per-database "hashtable overhead" is the shard directory plus
        // one table slot per key, as Redis counts its dict buckets.
        .map(|d| (d.index, (SHARDS * 64 + d.len() * 8) as u64, (d.volatile() * 8) as u64))
        .collect();
    let keys: u64 = inst.store.dbs().iter().map(|d| d.len() as u64).sum();
    let overhead = BASE_MEMORY + clients;
    let net = used.saturating_sub(BASE_MEMORY);
    let pct = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 * 100.0 / b as f64 };
    let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let out = &mut *ctx.out;
    out.map(25 + dbs.len());
    let int = |out: &mut crate::protocol::Reply, name: &str, v: u64| {
        out.bulk(name.as_bytes());
        out.int(i64::try_from(v).unwrap_or(i64::MAX));
    };
    int(out, "peak.allocated", peak);
    int(out, "total.allocated", used);
    int(out, "startup.allocated", BASE_MEMORY);
    int(out, "replication.backlog", 0);
    int(out, "clients.slaves", 0);
    int(out, "clients.normal", clients);
    int(out, "cluster.links", 0);
    int(out, "aof.buffer", 0);
    int(out, "lua.caches", 0);
    int(out, "functions.caches", 0);
    for (index, main, expires) in &dbs {
        out.bulk(format!("db.{index}").as_bytes());
        out.map(3);
        int(out, "overhead.hashtable.main", *main);
        int(out, "overhead.hashtable.expires", *expires);
        int(out, "overhead.hashtable.slot-to-keys", 0);
    }
    int(out, "overhead.total", overhead);
    int(out, "keys.count", keys);
    int(out, "keys.bytes-per-key", net.checked_div(keys).unwrap_or(0));
    int(out, "dataset.bytes", dataset);
    out.bulk(b"dataset.percentage");
    out.double(pct(dataset, net));
    out.bulk(b"peak.percentage");
    out.double(pct(used, peak));
    int(out, "allocator.allocated", used);
    int(out, "allocator.active", used);
    int(out, "allocator.resident", rss.max(used));
    out.bulk(b"allocator-fragmentation.ratio");
    out.double(1.0);
    int(out, "allocator-fragmentation.bytes", 0);
    out.bulk(b"allocator.rss-ratio");
    out.double(ratio(rss.max(used), used));
    int(out, "allocator.rss-bytes", rss.saturating_sub(used));
    out.bulk(b"rss-overhead.ratio");
    out.double(1.0);
    int(out, "rss-overhead.bytes", 0);
    out.bulk(b"fragmentation");
    out.double(ratio(rss, used));
    int(out, "fragmentation.bytes", rss.saturating_sub(used));
    Ok(())
}

/// `MEMORY DOCTOR`: a short report in plain words.
pub fn doctor(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let used = used_memory(ctx.inst);
    let rss = rss_bytes();
    let text = if used < DOCTOR_MIN_MEMORY {
        "This instance holds too little data (under 5 MB) for a memory diagnosis to mean anything.".to_string()
    } else if rss > used.saturating_mul(3) / 2 {
        format!(
            "The process's resident memory ({rss} bytes) is over 1.5 times the memory in use ({used} bytes): \
             memory freed by deleted or expired keys has not been returned to the system yet."
        )
    } else {
        "No memory problems found: resident memory is close to the memory in use.".to_string()
    };
    ctx.out.verbatim("txt", text.as_bytes());
    Ok(())
}

/// `MEMORY MALLOC-STATS`: Shoal uses the system allocator, which keeps no report.
pub fn malloc_stats(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out
        .verbatim("txt", b"Stats not supported for the current allocator");
    Ok(())
}

/// `MEMORY PURGE`: nothing to hand back with the system allocator.
pub fn purge(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.ok();
    Ok(())
}

/// `MEMORY HELP`.
pub fn help(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    write_help(
        ctx,
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        &[
            "DOCTOR",
            "    Report memory problems in plain words.",
            "MALLOC-STATS",
            "    Show the allocator's own statistics, where it keeps any.",
            "PURGE",
            "    Ask the allocator to return free pages to the system.",
            "STATS",
            "    Break down where the server's memory goes.",
            "USAGE <key> [SAMPLES <count>]",
            "    Bytes used by <key> and its value (sizes are exact; SAMPLES is accepted for",
            "    compatibility).",
        ],
    );
    Ok(())
}
