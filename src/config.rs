//! Configuration: the parameter table (Redis's names and defaults, which may
//! change at run time), parsing of the config file and `--name value`
//! command-line pairs, and the live values `CONFIG GET/SET` read and write.
//!
//! Invariant: every stored value has passed its parameter's validation, so
//! typed getters never fail.

use std::path::PathBuf;

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
const LOGLEVELS: &[&str] = &["debug", "verbose", "notice", "warning", "nothing"];
const I32: (i64, i64) = (i32::MIN as i64, i32::MAX as i64);

/// Every parameter Shoal knows.
pub static PARAMS: &[Param] = &[
    p("port", "6379", ParamKind::Int(0, 65535), false),
    p("bind", "127.0.0.1", ParamKind::Str, false),
    p("requirepass", "", ParamKind::Str, true),
    p("maxmemory", "0", ParamKind::Memory, true),
    p("maxmemory-policy", "noeviction", ParamKind::Enum(POLICIES), true),
    p("maxmemory-samples", "5", ParamKind::Int(1, 64), true),
    p("maxclients", "10000", ParamKind::Int(1, I32.1), true),
    p("timeout", "0", ParamKind::Int(0, I32.1), true),
    p("tcp-keepalive", "300", ParamKind::Int(0, I32.1), true),
    p("tcp-backlog", "511", ParamKind::Int(0, I32.1), false),
    p("notify-keyspace-events", "", ParamKind::Str, true),
    p("databases", "16", ParamKind::Int(1, I32.1), false),
    p("loglevel", "notice", ParamKind::Enum(LOGLEVELS), true),
    p("logfile", "", ParamKind::Str, false),
    p("hz", "10", ParamKind::Int(1, 500), true),
    p("proto-max-bulk-len", "536870912", ParamKind::Memory, true),
    p("client-query-buffer-limit", "1073741824", ParamKind::Memory, true),
    p("save", "", ParamKind::Str, true),
    p("appendonly", "no", ParamKind::Bool, true),
    p(
        "appendfsync",
        "everysec",
        ParamKind::Enum(&["always", "everysec", "no"]),
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
    p("io-threads", "1", ParamKind::Int(1, 128), false),
    p("cluster-enabled", "no", ParamKind::Bool, false),
    p("maxmemory-clients", "0", ParamKind::Memory, true),
    p("unixsocket", "", ParamKind::Str, false),
    p(
        "supervised",
        "no",
        ParamKind::Enum(&["upstart", "systemd", "auto", "no"]),
        false,
    ),
    p("metrics-port", "0", ParamKind::Int(0, 65535), false),
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
}

/// Parses a Redis memory value (`memtoll`): a number with an optional
/// `b`, `k`, `kb`, `m`, `mb`, `g`, `gb` unit (case-insensitive).
pub fn parse_memory(s: &str) -> Option<i64> {
    let lower = s.to_ascii_lowercase();
    let split = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(lower.len());
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
    num.parse::<i64>().ok()?.checked_mul(mul)
}

/// The live configuration.
#[derive(Debug)]
pub struct Config {
    values: RwLock<HashMap<&'static str, String>>,
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
        Config {
            values: RwLock::new(values),
            file: None,
        }
    }

    /// The parameter row for `name` (case-insensitive).
    pub fn param(name: &str) -> Option<&'static Param> {
        PARAMS.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// Validates and normalises a value for `param`.
    pub fn check(param: &'static Param, value: &str) -> Result<String, ConfigError> {
        let bad = |why: &str| ConfigError::Invalid(param.name, why.to_string());
        match param.kind {
            ParamKind::Int(lo, hi) => {
                let v: i64 = value
                    .parse()
                    .map_err(|_| bad("argument couldn't be parsed into an integer"))?;
                if v < lo || v > hi {
                    return Err(bad(&format!("argument must be between {lo} and {hi} inclusive")));
                }
                Ok(v.to_string())
            }
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
        }
    }

    /// Sets a value at start-up (immutable parameters allowed).
    pub fn set_initial(&self, name: &str, value: &str) -> Result<(), ConfigError> {
        let param = Self::param(name).ok_or_else(|| ConfigError::Unknown(name.to_string()))?;
        let v = Self::check(param, value)?;
        self.values.write().insert(param.name, v);
        Ok(())
    }

    /// Sets a value at run time (`CONFIG SET`).
    pub fn set(&self, name: &str, value: &str) -> Result<(), ConfigError> {
        let param = Self::param(name).ok_or_else(|| ConfigError::Unknown(name.to_string()))?;
        if !param.mutable {
            return Err(ConfigError::Immutable(param.name));
        }
        let v = Self::check(param, value)?;
        self.values.write().insert(param.name, v);
        Ok(())
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(c.set("port", "1").is_err());
    }
}
