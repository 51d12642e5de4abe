//! Configuration: the parameter table (Redis's names and defaults, which may
//! change at run time), parsing of the config file and `--name value`
//! command-line pairs, and the live values `CONFIG GET/SET` read and write.
//!
//! Invariant: every stored value has passed its parameter's validation, so
//! typed getters never fail.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};

use hashbrown::HashMap;
use parking_lot::RwLock;

/// How a parameter's value is checked.
#[derive(Debug, Clone, Copy)]
pub enum ParamKind {
    /// A signed integer within bounds.
    Int(i64, i64),
    /// A memory size (`100mb`, `1gb`, plain bytes).
    Memory,
    /// `yes` / `no`.
    Bool,
    /// One of the listed words.
    Enum(&'static [&'static str]),
    /// Any string.
    Str,
    /// An integer accepted within the first bounds and stored clamped to
    /// the second (`hz` takes any int but runs between 1 and 500).
    IntClamped(i64, i64, i64, i64),
    /// A memory size of at least the bound.
    MemoryAtLeast(i64),
    /// A memory size, or a percentage (`10%`) up to the bound.
    MemoryOrPercent(i64),
    /// `save`: pairs of seconds (at least 1) and changes (at least 0), or empty.
    SavePoints,
    /// `notify-keyspace-events`: event class characters, kept in Redis's
    /// canonical order.
    EventClasses,
    /// A parameter given any number of times (`backing-rule`): each value
    /// set at start-up is appended, `;`-separated.
    List,
}

/// One configuration parameter.
#[derive(Debug)]
pub struct Param {
    /// Redis's name.
    pub name: &'static str,
    /// Default value, as `CONFIG GET` prints it.
    pub default: &'static str,
    /// Validation.
    pub kind: ParamKind,
    /// Whether `CONFIG SET` may change it.
    pub mutable: bool,
}

const fn p(name: &'static str, default: &'static str, kind: ParamKind, mutable: bool) -> Param {
    Param {
        name,
        default,
        kind,
        mutable,
    }
}

const POLICIES: &[&str] = &[
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "noeviction",
];
// Redis 7.0's levels: its error text lists exactly these.
const LOGLEVELS: &[&str] = &["debug", "verbose", "notice", "warning"];
const I32: (i64, i64) = (i32::MIN as i64, i32::MAX as i64);

/// Every parameter Shoal knows.
pub static PARAMS: &[Param] = &[
    // Redis lets CONFIG SET change these; Shoal validates the value but
    // refuses to rebind at run time (see `rebind_error`).
    p("port", "6379", ParamKind::Int(0, 65535), true),
    p("bind", "127.0.0.1", ParamKind::Str, true),
    p("requirepass", "", ParamKind::Str, true),
    p("maxmemory", "0", ParamKind::Memory, true),
    p("repl-ping-replica-period", "10", ParamKind::Int(1, I32.1), true),
    p("replica-read-only", "yes", ParamKind::Bool, true),
    p("replica-serve-stale-data", "yes", ParamKind::Bool, true),
    p("min-replicas-to-write", "0", ParamKind::Int(0, I32.1), true),
    p("min-replicas-max-lag", "10", ParamKind::Int(0, I32.1), true),
    p("maxmemory-policy", "noeviction", ParamKind::Enum(POLICIES), true),
    p("maxmemory-samples", "5", ParamKind::Int(1, I32.1), true),
    p("maxmemory-eviction-tenacity", "10", ParamKind::Int(0, 100), true),
    p("replica-ignore-maxmemory", "yes", ParamKind::Bool, true),
    p("maxclients", "10000", ParamKind::Int(1, u32::MAX as i64), true),
    p("timeout", "0", ParamKind::Int(0, I32.1), true),
    p("tcp-keepalive", "300", ParamKind::Int(0, I32.1), true),
    p("tcp-backlog", "511", ParamKind::Int(0, I32.1), false),
    p("notify-keyspace-events", "", ParamKind::EventClasses, true),
    p("databases", "16", ParamKind::Int(1, I32.1), false),
    p("loglevel", "notice", ParamKind::Enum(LOGLEVELS), true),
    p("logfile", "", ParamKind::Str, false),
    p("hz", "10", ParamKind::IntClamped(0, I32.1, 1, 500), true),
    p(
        "proto-max-bulk-len",
        "536870912",
        ParamKind::MemoryAtLeast(1024 * 1024),
        true,
    ),
    p(
        "client-query-buffer-limit",
        "1073741824",
        ParamKind::MemoryAtLeast(1024 * 1024),
        true,
    ),
    p("save", "", ParamKind::SavePoints, true),
    p("appendonly", "no", ParamKind::Bool, true),
    p(
        "appendfsync",
        "everysec",
        ParamKind::Enum(&["everysec", "always", "no"]),
        true,
    ),
    p("dir", "", ParamKind::Str, true),
    p("dbfilename", "dump.rdb", ParamKind::Str, true),
    p("daemonize", "no", ParamKind::Bool, false),
    p("protected-mode", "yes", ParamKind::Bool, true),
    p("pidfile", "", ParamKind::Str, false),
    p("lazyfree-lazy-user-del", "no", ParamKind::Bool, true),
    p("lazyfree-lazy-user-flush", "no", ParamKind::Bool, true),
    p("lazyfree-lazy-expire", "no", ParamKind::Bool, true),
    p("lazyfree-lazy-eviction", "no", ParamKind::Bool, true),
    p("activerehashing", "yes", ParamKind::Bool, true),
    p("active-expire-effort", "1", ParamKind::Int(1, 10), true),
    p("lfu-log-factor", "10", ParamKind::Int(0, I32.1), true),
    p("lfu-decay-time", "1", ParamKind::Int(0, I32.1), true),
    p("slowlog-log-slower-than", "10000", ParamKind::Int(-1, i64::MAX), true),
    p("slowlog-max-len", "128", ParamKind::Int(0, i64::MAX), true),
    p("latency-tracking", "yes", ParamKind::Bool, true),
    p("latency-monitor-threshold", "0", ParamKind::Int(0, i64::MAX), true),
    p("io-threads", "1", ParamKind::Int(1, 128), false),
    p("cluster-enabled", "no", ParamKind::Bool, false),
    p("maxmemory-clients", "0", ParamKind::MemoryOrPercent(100), true),
    p("unixsocket", "", ParamKind::Str, false),
    p(
        "supervised",
        "no",
        ParamKind::Enum(&["upstart", "systemd", "auto", "no"]),
        false,
    ),
    p("metrics-port", "0", ParamKind::Int(0, 65535), false),
    p("hash-max-listpack-entries", "512", ParamKind::Int(0, i64::MAX), true),
    p("hash-max-listpack-value", "64", ParamKind::Int(0, i64::MAX), true),
    p("list-max-listpack-size", "-2", ParamKind::Int(I32.0, I32.1), true),
    p("list-compress-depth", "0", ParamKind::Int(0, I32.1), true),
    p("set-max-intset-entries", "512", ParamKind::Int(0, i64::MAX), true),
    p("zset-max-listpack-entries", "128", ParamKind::Int(0, i64::MAX), true),
    p("zset-max-listpack-value", "64", ParamKind::Int(0, i64::MAX), true),
    p("stream-node-max-bytes", "4096", ParamKind::Memory, true),
    p("stream-node-max-entries", "100", ParamKind::Int(0, i64::MAX), true),
    p("hll-sparse-max-bytes", "3000", ParamKind::Memory, true),
    // The backing database (src/backing): fixed at start-up, since a
    // change would strand the journal or a table.
    p("backing-url", "", ParamKind::Str, false),
    p("backing-rule", "", ParamKind::List, false),
    p(
        "backing-appendfsync",
        "everysec",
        ParamKind::Enum(&["always", "everysec", "no"]),
        false,
    ),
    p("write-behind-delay-ms", "100", ParamKind::Int(0, 3_600_000), false),
    p("write-behind-batch-size", "5000", ParamKind::Int(1, 1_000_000), false),
    p(
        "write-behind-max-pending",
        "1000000",
        ParamKind::Int(0, i64::MAX),
        false,
    ),
    p("backing-retry-initial-ms", "100", ParamKind::Int(1, 3_600_000), false),
    p("backing-retry-max-ms", "10000", ParamKind::Int(1, 3_600_000), false),
    p("backing-timeout-ms", "5000", ParamKind::Int(1, 3_600_000), false),
    p("backing-delete-on-expire", "yes", ParamKind::Bool, false),
    p("backing-delete-on-evict", "no", ParamKind::Bool, false),
    p("backing-negative-cache-ms", "0", ParamKind::Int(0, i64::MAX), false),
    p("backing-pool-size", "4", ParamKind::Int(1, 1024), false),
];

/// Old names Redis still accepts for a parameter: (alias, canonical name).
/// `CONFIG GET` with a pattern lists an alias as an entry of its own.
pub static ALIASES: &[(&str, &str)] = &[
    ("hash-max-ziplist-entries", "hash-max-listpack-entries"),
    ("hash-max-ziplist-value", "hash-max-listpack-value"),
    ("list-max-ziplist-size", "list-max-listpack-size"),
    ("zset-max-ziplist-entries", "zset-max-listpack-entries"),
    ("zset-max-ziplist-value", "zset-max-listpack-value"),
    ("slave-read-only", "replica-read-only"),
    ("slave-serve-stale-data", "replica-serve-stale-data"),
    ("slave-ignore-maxmemory", "replica-ignore-maxmemory"),
    ("min-slaves-to-write", "min-replicas-to-write"),
    ("min-slaves-max-lag", "min-replicas-max-lag"),
];

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// No such parameter.
    Unknown(String),
    /// The parameter cannot change at run time.
    Immutable(&'static str),
    /// The value does not fit the parameter.
    Invalid(&'static str, String),
    /// The parameter is protected (`enable-protected-configs` is off).
    Protected(&'static str),
}

/// Parameters Redis protects from `CONFIG SET` unless
/// `enable-protected-configs` allows it (Shoal never does).
pub const PROTECTED: &[&str] = &["dir", "dbfilename"];

/// Parses a Redis memory value (`memtoll`): a number with an optional
/// `b`, `k`, `kb`, `m`, `mb`, `g`, `gb` unit (case-insensitive).
/// As `memtoull`: no sign, and an empty number reads as 0.
pub fn parse_memory(s: &str) -> Option<i64> {
    let lower = s.to_ascii_lowercase();
    let split = lower.find(|c: char| !c.is_ascii_digit()).unwrap_or(lower.len());
    let (num, unit) = lower.split_at(split);
    let mul: i64 = match unit {
        "" | "b" => 1,
        "k" => 1000,
        "kb" => 1024,
        "m" => 1000 * 1000,
        "mb" => 1024 * 1024,
        "g" => 1000 * 1000 * 1000,
        "gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    if num.is_empty() {
        return Some(0);
    }
    num.parse::<i64>().ok()?.checked_mul(mul)
}

/// Keyspace event classes in the order Redis prints them, with their bits.
const EVENT_CLASSES: &[(char, u32)] = &[
    ('g', 1 << 2),
    ('$', 1 << 3),
    ('l', 1 << 4),
    ('s', 1 << 5),
    ('h', 1 << 6),
    ('z', 1 << 7),
    ('x', 1 << 8),
    ('e', 1 << 9),
    ('t', 1 << 10),
    ('d', 1 << 13),
    ('n', 1 << 14),
];
const EVENT_KEYSPACE: u32 = 1 << 0;
const EVENT_KEYEVENT: u32 = 1 << 1;
const EVENT_MISS: u32 = 1 << 11;
const NEW_CLASS: u32 = 1 << 14;
// `A` is every data class except `n` (new keys) and `m` (misses).
const EVENT_ALL: u32 =
    (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 13);

/// The bit mask of `notify-keyspace-events` classes (unknown characters
/// are ignored: the value was validated when set).
pub fn event_flags(s: &str) -> u32 {
    s.chars()
        .map(|c| match c {
            'A' => EVENT_ALL,
            'K' => EVENT_KEYSPACE,
            'E' => EVENT_KEYEVENT,
            'm' => EVENT_MISS,
            _ => EVENT_CLASSES.iter().find(|(k, _)| *k == c).map_or(0, |(_, b)| *b),
        })
        .fold(0, |a, b| a | b)
}

/// The bit of a keyspace event class character (`g`, `$`, `l`, ...), as in
/// `notify-keyspace-events`; 0 for anything else.
pub fn event_class(c: char) -> u32 {
    match c {
        'K' => EVENT_KEYSPACE,
        'E' => EVENT_KEYEVENT,
        _ => EVENT_CLASSES.iter().find(|(k, _)| *k == c).map_or(0, |(_, b)| *b),
    }
}

/// Normalises `notify-keyspace-events` classes the way Redis prints them
/// back (`KEA` becomes `AKE`); `None` for an unknown class character.
pub fn normalize_event_classes(s: &str) -> Option<String> {
    let mut flags = 0u32;
    for c in s.chars() {
        flags |= match c {
            'A' => EVENT_ALL,
            'K' => EVENT_KEYSPACE,
            'E' => EVENT_KEYEVENT,
            'm' => EVENT_MISS,
            _ => EVENT_CLASSES.iter().find(|(k, _)| *k == c)?.1,
        };
    }
    let mut out = String::new();
    if flags & EVENT_ALL == EVENT_ALL {
        out.push('A');
        // Redis 7.0 prints `AKE` for `AKEn` (its flags keep `n`, its text
        // loses it); the text is all we keep, so `n` stays: `AnKE`.
        if flags & NEW_CLASS != 0 {
            out.push('n');
        }
    } else {
        out.extend(EVENT_CLASSES.iter().filter(|(_, b)| flags & b != 0).map(|(c, _)| *c));
    }
    for (bit, c) in [(EVENT_KEYSPACE, 'K'), (EVENT_KEYEVENT, 'E'), (EVENT_MISS, 'm')] {
        if flags & bit != 0 {
            out.push(c);
        }
    }
    Some(out)
}

/// Checks `save` points as Redis does: words separated by single spaces,
/// an even count, seconds at least 1 and changes at least 0. Returns the
/// normalised text.
fn normalize_save(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some(String::new());
    }
    let words: Vec<&str> = s.split(' ').collect();
    if !words.len().is_multiple_of(2) {
        return None;
    }
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let v = parse_strtoll(w)?;
        if (i % 2 == 0 && v < 1) || (i % 2 == 1 && v < 0) {
            return None;
        }
        out.push(v.to_string());
    }
    Some(out.join(" "))
}

/// `strtoll` over the whole word: optional spaces and sign, digits (an
/// empty number reads as 0, as C does).
fn parse_strtoll(w: &str) -> Option<i64> {
    let t = w.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() {
        return if t.is_empty() { Some(0) } else { None };
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i64 = digits.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// Integer parameters read on every command or every socket read, kept as
/// atomics beside the map so the hot path skips the lock, hash and parse.
#[derive(Debug, Clone, Copy)]
pub enum Hot {
    /// `timeout`.
    Timeout,
    /// `proto-max-bulk-len`.
    ProtoMaxBulkLen,
    /// `client-query-buffer-limit`.
    QueryBufferLimit,
    /// `slowlog-log-slower-than`.
    SlowlogSlowerThan,
    /// `slowlog-max-len`.
    SlowlogMaxLen,
    /// `latency-monitor-threshold`.
    LatencyMonitorThreshold,
    /// `hash-max-listpack-entries`.
    HashMaxListpackEntries,
    /// `hash-max-listpack-value`.
    HashMaxListpackValue,
    /// `list-max-listpack-size`.
    ListMaxListpackSize,
    /// `set-max-intset-entries`.
    SetMaxIntsetEntries,
    /// `zset-max-listpack-entries`.
    ZsetMaxListpackEntries,
    /// `zset-max-listpack-value`.
    ZsetMaxListpackValue,
    /// `maxmemory`.
    Maxmemory,
    /// `min-replicas-to-write`.
    MinReplicasToWrite,
    /// `notify-keyspace-events`, as its bit mask ([`event_flags`]).
    NotifyKeyspaceEvents,
}

/// The names of [`Hot`]'s parameters, in its order.
const HOT: [&str; 15] = [
    "timeout",
    "proto-max-bulk-len",
    "client-query-buffer-limit",
    "slowlog-log-slower-than",
    "slowlog-max-len",
    "latency-monitor-threshold",
    "hash-max-listpack-entries",
    "hash-max-listpack-value",
    "list-max-listpack-size",
    "set-max-intset-entries",
    "zset-max-listpack-entries",
    "zset-max-listpack-value",
    "maxmemory",
    "min-replicas-to-write",
    "notify-keyspace-events",
];

/// The live configuration.
#[derive(Debug)]
pub struct Config {
    values: RwLock<HashMap<&'static str, String>>,
    /// Copies of the [`Hot`] parameters, rewritten under the write lock.
    hot: [AtomicI64; HOT.len()],
    /// The file the configuration came from, for `CONFIG REWRITE`.
    pub file: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// The defaults.
    pub fn new() -> Self {
        let values = PARAMS.iter().map(|p| (p.name, p.default.to_string())).collect();
        let config = Config {
            values: RwLock::new(values),
            hot: Default::default(),
            file: None,
        };
        config.refresh_hot(&config.values.read());
        config
    }

    fn refresh_hot(&self, map: &HashMap<&'static str, String>) {
        for (slot, name) in self.hot.iter().zip(HOT) {
            let v = match name {
                "notify-keyspace-events" => map.get(name).map_or(0, |v| i64::from(event_flags(v))),
                _ => map.get(name).and_then(|v| v.parse().ok()).unwrap_or(0),
            };
            slot.store(v, Ordering::Relaxed);
        }
    }

    /// The current value of a hot integer parameter: the same as
    /// [`Config::get_i64`], without the lock.
    pub fn hot(&self, p: Hot) -> i64 {
        self.hot[p as usize].load(Ordering::Relaxed)
    }

    /// The parameter row for `name` (case-insensitive).
    pub fn param(name: &str) -> Option<&'static Param> {
        let name = ALIASES
            .iter()
            .find(|(alias, _)| alias.eq_ignore_ascii_case(name))
            .map_or(name, |(_, canonical)| canonical);
        PARAMS.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// Validates and normalises a value for `param`.
    pub fn check(param: &'static Param, value: &str) -> Result<String, ConfigError> {
        let bad = |why: &str| ConfigError::Invalid(param.name, why.to_string());
        match param.kind {
            ParamKind::Int(lo, hi) => {
                let v = crate::num::parse_ll(value.as_bytes())
                    .ok_or_else(|| bad("argument couldn't be parsed into an integer"))?;
                if v < lo || v > hi {
                    return Err(bad(&format!("argument must be between {lo} and {hi} inclusive")));
                }
                Ok(v.to_string())
            }
            ParamKind::IntClamped(lo, hi, min, max) => {
                let v = crate::num::parse_ll(value.as_bytes())
                    .ok_or_else(|| bad("argument couldn't be parsed into an integer"))?;
                if v < lo || v > hi {
                    return Err(bad(&format!("argument must be between {lo} and {hi} inclusive")));
                }
                Ok(v.clamp(min, max).to_string())
            }
            ParamKind::MemoryAtLeast(lo) => {
                let v = parse_memory(value).ok_or_else(|| bad("argument must be a memory value"))?;
                if v < lo {
                    return Err(bad(&format!(
                        "argument must be between {lo} and {} inclusive",
                        i64::MAX
                    )));
                }
                Ok(v.to_string())
            }
            ParamKind::MemoryOrPercent(max) => {
                if let Some(v) = parse_memory(value) {
                    return Ok(v.to_string());
                }
                let pct = value
                    .strip_suffix('%')
                    .filter(|n| !n.is_empty())
                    .and_then(|n| crate::num::parse_ll(n.as_bytes()))
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| bad("argument must be a memory or percent value"))?;
                if pct > max {
                    return Err(bad(&format!("percentage argument must be less or equal to {max}")));
                }
                Ok(format!("{pct}%"))
            }
            ParamKind::SavePoints => normalize_save(value).ok_or_else(|| bad("Invalid save parameters")),
            ParamKind::EventClasses => normalize_event_classes(value)
                .ok_or_else(|| bad("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")),
            ParamKind::Memory => {
                let v = parse_memory(value).ok_or_else(|| bad("argument must be a memory value"))?;
                if v < 0 {
                    return Err(bad("argument must be a memory value"));
                }
                Ok(v.to_string())
            }
            ParamKind::Bool => match value.to_ascii_lowercase().as_str() {
                "yes" => Ok("yes".into()),
                "no" => Ok("no".into()),
                _ => Err(bad("argument must be 'yes' or 'no'")),
            },
            ParamKind::Enum(words) => {
                let lower = value.to_ascii_lowercase();
                if words.contains(&lower.as_str()) {
                    Ok(lower)
                } else {
                    Err(bad("argument(s) must be one of the following: ".to_string().as_str()).with_list(words))
                }
            }
            ParamKind::Str => Ok(value.to_string()),
            ParamKind::List if value.contains(';') => Err(bad("a value may not contain ';'")),
            ParamKind::List => Ok(value.to_string()),
        }
    }

    /// Sets a value at start-up (immutable parameters allowed).
    pub fn set_initial(&self, name: &str, value: &str) -> Result<(), ConfigError> {
        let param = Self::param(name).ok_or_else(|| ConfigError::Unknown(name.to_string()))?;
        let mut v = Self::check(param, value)?;
        let mut map = self.values.write();
        if matches!(param.kind, ParamKind::List) {
            if let Some(old) = map.get(param.name).filter(|o| !o.is_empty()) {
                v = format!("{old};{v}");
            }
        }
        map.insert(param.name, v);
        self.refresh_hot(&map);
        Ok(())
    }

    /// Sets a value at run time (`CONFIG SET`).
    pub fn set(&self, name: &str, value: &str) -> Result<(), ConfigError> {
        let param = Self::param(name).ok_or_else(|| ConfigError::Unknown(name.to_string()))?;
        if !param.mutable {
            return Err(ConfigError::Immutable(param.name));
        }
        if PROTECTED.contains(&param.name) {
            return Err(ConfigError::Protected(param.name));
        }
        let v = Self::check(param, value)?;
        let mut map = self.values.write();
        map.insert(param.name, v);
        self.refresh_hot(&map);
        Ok(())
    }

    /// Stores already validated values all at once (`CONFIG SET` with several
    /// pairs is atomic: readers see all of them or none).
    pub fn set_checked(&self, values: Vec<(&'static str, String)>) {
        let mut map = self.values.write();
        for (name, v) in values {
            map.insert(name, v);
        }
        self.refresh_hot(&map);
    }

    /// The current value of `name` (empty if unknown).
    pub fn get(&self, name: &str) -> String {
        self.values.read().get(name).cloned().unwrap_or_default()
    }

    /// The current value of an integer or memory parameter (0 if unknown).
    pub fn get_i64(&self, name: &str) -> i64 {
        self.values.read().get(name).and_then(|v| v.parse().ok()).unwrap_or(0)
    }

    /// Whether a boolean parameter is `yes`.
    pub fn get_bool(&self, name: &str) -> bool {
        self.values.read().get(name).is_some_and(|v| v == "yes")
    }

    /// Every (name, value), in table order.
    pub fn all(&self) -> Vec<(&'static str, String)> {
        let values = self.values.read();
        PARAMS
            .iter()
            .map(|p| (p.name, values.get(p.name).cloned().unwrap_or_default()))
            .collect()
    }

    /// Parses config-file text (`name value...` lines, `#` comments, quoted
    /// values) into the configuration.
    pub fn load_text(&self, text: &str) -> Result<(), String> {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts = crate::protocol::decode::split_args(line.as_bytes())
                .ok_or_else(|| format!("line {}: unbalanced quotes", n + 1))?;
            let Some((name, rest)) = parts.split_first() else {
                continue;
            };
            let name = String::from_utf8_lossy(name).to_string();
            let value = rest
                .iter()
                .map(|v| String::from_utf8_lossy(v).to_string())
                .collect::<Vec<_>>()
                .join(" ");
            self.set_initial(&name, &value)
                .map_err(|e| format!("line {}: {}", n + 1, describe(&e)))?;
        }
        Ok(())
    }
}

trait WithList {
    fn with_list(self, words: &[&str]) -> Self;
}

impl WithList for ConfigError {
    fn with_list(self, words: &[&str]) -> Self {
        match self {
            ConfigError::Invalid(n, why) => ConfigError::Invalid(n, format!("{why}{}", words.join(", "))),
            other => other,
        }
    }
}

/// A human description of a config error (for start-up failures).
pub fn describe(e: &ConfigError) -> String {
    match e {
        ConfigError::Unknown(n) => format!("Bad directive or wrong number of arguments: '{n}'"),
        ConfigError::Immutable(n) => format!("can't set immutable config '{n}'"),
        ConfigError::Invalid(n, why) => format!("'{n}': {why}"),
        ConfigError::Protected(n) => format!("can't set protected config '{n}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hot_parameters_follow_every_kind_of_set() {
        let c = Config::new();
        for (p, name) in [
            (Hot::Timeout, "timeout"),
            (Hot::ProtoMaxBulkLen, "proto-max-bulk-len"),
            (Hot::QueryBufferLimit, "client-query-buffer-limit"),
            (Hot::SlowlogSlowerThan, "slowlog-log-slower-than"),
            (Hot::SlowlogMaxLen, "slowlog-max-len"),
            (Hot::LatencyMonitorThreshold, "latency-monitor-threshold"),
            (Hot::HashMaxListpackEntries, "hash-max-listpack-entries"),
            (Hot::HashMaxListpackValue, "hash-max-listpack-value"),
            (Hot::ListMaxListpackSize, "list-max-listpack-size"),
            (Hot::SetMaxIntsetEntries, "set-max-intset-entries"),
            (Hot::ZsetMaxListpackEntries, "zset-max-listpack-entries"),
            (Hot::ZsetMaxListpackValue, "zset-max-listpack-value"),
        ] {
            assert_eq!(c.hot(p), c.get_i64(name), "{name}");
        }
        c.set_initial("proto-max-bulk-len", "1mb").unwrap();
        assert_eq!(c.hot(Hot::ProtoMaxBulkLen), 1 << 20);
        c.set("slowlog-log-slower-than", "-1").unwrap();
        assert_eq!(c.hot(Hot::SlowlogSlowerThan), -1);
        c.set_checked(vec![("timeout", "7".to_string()), ("slowlog-max-len", "3".to_string())]);
        assert_eq!((c.hot(Hot::Timeout), c.hot(Hot::SlowlogMaxLen)), (7, 3));
    }

    #[test]
    fn memory_units_follow_memtoll() {
        assert_eq!(parse_memory("1gb"), Some(1 << 30));
        assert_eq!(parse_memory("1g"), Some(1_000_000_000));
        assert_eq!(parse_memory("100MB"), Some(100 << 20));
        assert_eq!(parse_memory("12"), Some(12));
        assert_eq!(parse_memory("1x"), None);
    }

    #[test]
    fn config_file_lines_set_parameters() {
        let c = Config::new();
        c.load_text("# comment\nport 7000\nmaxmemory 1mb\nsave \"\"\n").unwrap();
        assert_eq!(c.get("port"), "7000");
        assert_eq!(c.get_i64("maxmemory"), 1 << 20);
        assert!(c.load_text("nonsense 1").is_err());
        assert!(c.set("databases", "1").is_err());
    }

    #[test]
    fn values_are_normalised_as_redis_prints_them() {
        let c = Config::new();
        c.set("hz", "1000").unwrap();
        assert_eq!(c.get("hz"), "500");
        c.set("hz", "0").unwrap();
        assert_eq!(c.get("hz"), "1");
        assert!(c.set("hz", "+5").is_err());
        c.set("notify-keyspace-events", "KEA").unwrap();
        assert_eq!(c.get("notify-keyspace-events"), "AKE");
        c.set("notify-keyspace-events", "nmEx").unwrap();
        assert_eq!(c.get("notify-keyspace-events"), "xnEm");
        assert!(c.set("notify-keyspace-events", "Q").is_err());
        c.set("save", "+100 010").unwrap();
        assert_eq!(c.get("save"), "100 10");
        assert!(c.set("save", "0 1").is_err());
        assert!(c.set("save", "100  10").is_err());
        c.set("maxmemory-clients", "10%").unwrap();
        assert_eq!(c.get("maxmemory-clients"), "10%");
        assert!(c.set("maxmemory-clients", "101%").is_err());
        assert!(c.set("maxmemory", "-0").is_err());
        assert_eq!(c.set("dir", "/"), Err(ConfigError::Protected("dir")));
    }
}
