//! Server commands: INFO, CONFIG, DBSIZE, FLUSHDB/FLUSHALL, SWAPDB, TIME,
//! LASTSAVE, SHUTDOWN and DEBUG.

use std::collections::HashMap;
use std::time::Duration;

use crate::support::{show, Pair, Raw, Server, TempDir};

/// The text of a bulk or verbatim reply.
fn text_reply(r: &[u8]) -> String {
    let s = String::from_utf8_lossy(r).into_owned();
    let body = s.split_once("\r\n").map(|x| x.1).unwrap_or_default();
    let body = body.strip_suffix("\r\n").unwrap_or(body);
    body.strip_prefix("txt:").unwrap_or(body).to_string()
}

/// INFO text as section title → (field → value), in order of appearance.
fn parse_info(text: &str) -> Vec<(String, HashMap<String, String>)> {
    let mut out: Vec<(String, HashMap<String, String>)> = Vec::new();
    for line in text.split("\r\n") {
        if let Some(title) = line.strip_prefix("# ") {
            out.push((title.to_string(), HashMap::new()));
        } else if let Some((k, v)) = line.split_once(':') {
            out.last_mut()
                .expect("field before any section")
                .1
                .insert(k.to_string(), v.to_string());
        } else {
            assert!(line.is_empty(), "unexpected INFO line {line:?}");
        }
    }
    out
}

fn info(raw: &mut Raw, args: &[&str]) -> Vec<(String, HashMap<String, String>)> {
    let mut cmd = vec!["INFO"];
    cmd.extend_from_slice(args);
    parse_info(&text_reply(&raw.cmd(&cmd)))
}

fn stat(raw: &mut Raw, section: &str, name: &str) -> String {
    let sections = info(raw, &[section]);
    sections[0]
        .1
        .get(name)
        .cloned()
        .unwrap_or_else(|| panic!("no {name} in INFO {section}"))
}

const FIELDS: &[(&str, &[&str])] = &[
    (
        "Server",
        &[
            "redis_version",
            "redis_mode",
            "os",
            "arch_bits",
            "process_id",
            "run_id",
            "tcp_port",
            "uptime_in_seconds",
            "uptime_in_days",
            "hz",
            "executable",
            "config_file",
        ],
    ),
    ("Clients", &["connected_clients", "blocked_clients", "maxclients"]),
    (
        "Memory",
        &[
            "used_memory",
            "used_memory_human",
            "used_memory_rss",
            "used_memory_peak",
            "maxmemory",
            "maxmemory_human",
            "maxmemory_policy",
            "mem_fragmentation_ratio",
        ],
    ),
    (
        "Persistence",
        &[
            "loading",
            "rdb_changes_since_last_save",
            "rdb_last_save_time",
            "aof_enabled",
        ],
    ),
    (
        "Stats",
        &[
            "total_connections_received",
            "total_commands_processed",
            "instantaneous_ops_per_sec",
            "total_net_input_bytes",
            "total_net_output_bytes",
            "rejected_connections",
            "expired_keys",
            "evicted_keys",
            "keyspace_hits",
            "keyspace_misses",
            "total_error_replies",
        ],
    ),
    ("Replication", &["role", "connected_slaves", "master_replid"]),
    ("CPU", &["used_cpu_sys", "used_cpu_user"]),
    ("Modules", &[]),
    ("Commandstats", &["cmdstat_get", "cmdstat_info"]),
    ("Errorstats", &["errorstat_ERR", "errorstat_NOPROTO"]),
    ("Latencystats", &[]),
    ("Cluster", &["cluster_enabled"]),
    ("Keyspace", &["db0", "db2"]),
];

#[test]
fn info_everything_has_every_section_and_redis_field_names() {
    let s = Server::start();
    let mut raw = s.raw();
    raw.cmd(&["SET", "k", "v"]);
    raw.cmd(&["SET", "t", "v", "EX", "100"]);
    raw.cmd(&["GET", "k"]);
    raw.cmd(&["SELECT", "2"]);
    raw.cmd(&["SET", "other", "v"]);
    raw.cmd(&["NOSUCHCOMMAND"]);
    raw.cmd(&["SET", "x"]);
    raw.cmd(&["HELLO", "9"]);

    let reply = raw.cmd(&["INFO", "everything"]);
    let text = text_reply(&reply);
    assert!(
        text.split("\r\n").all(|l| !l.contains('\n')),
        "lines must end with CRLF"
    );
    let sections = info(&mut raw, &["everything"]);
    let titles: Vec<&str> = sections.iter().map(|(t, _)| t.as_str()).collect();
    let wanted: Vec<&str> = FIELDS.iter().map(|(t, _)| *t).collect();
    assert_eq!(titles, wanted);
    for ((title, fields), (_, names)) in sections.iter().zip(FIELDS) {
        for name in *names {
            assert!(fields.contains_key(*name), "{title} lacks {name}: {fields:?}");
        }
    }
    let get = |t: &str, f: &str| sections.iter().find(|(x, _)| x == t).unwrap().1[f].clone();
    assert_eq!(get("Server", "redis_version"), "7.2.4");
    assert_eq!(get("Server", "redis_mode"), "standalone");
    assert_eq!(get("Server", "tcp_port"), s.port().to_string());
    assert_eq!(get("Server", "run_id").len(), 40);
    assert_eq!(get("Replication", "role"), "master");
    assert_eq!(get("Replication", "master_replid").len(), 40);
    assert_eq!(get("Persistence", "aof_enabled"), "0");
    assert_eq!(get("Cluster", "cluster_enabled"), "0");
    assert_eq!(get("Keyspace", "db0"), "keys=2,expires=1,avg_ttl=0");
    assert_eq!(get("Keyspace", "db2"), "keys=1,expires=0,avg_ttl=0");
    assert_eq!(get("Errorstats", "errorstat_ERR"), "count=2");
    assert_eq!(get("Errorstats", "errorstat_NOPROTO"), "count=1");
    assert_eq!(get("Stats", "total_error_replies"), "3");
    assert_eq!(get("Clients", "connected_clients"), "1");
    assert!(get("Memory", "used_memory").parse::<u64>().unwrap() > 0);
    assert!(get("Memory", "used_memory_rss").parse::<u64>().unwrap() > 0);
    let cmdstat = get("Commandstats", "cmdstat_set");
    assert!(cmdstat.starts_with("calls=3,usec="), "{cmdstat}");
    assert!(cmdstat.ends_with(",rejected_calls=1,failed_calls=0"), "{cmdstat}");
    assert!(get("Commandstats", "cmdstat_get").contains("usec_per_call="));
}

#[test]
fn info_sections_are_chosen_by_name_and_default_leaves_out_commandstats() {
    let s = Server::start();
    let mut raw = s.raw();
    let titles =
        |raw: &mut Raw, args: &[&str]| -> Vec<String> { info(raw, args).into_iter().map(|(t, _)| t).collect() };
    let default = titles(&mut raw, &[]);
    assert_eq!(
        default,
        [
            "Server",
            "Clients",
            "Memory",
            "Persistence",
            "Stats",
            "Replication",
            "CPU",
            "Modules",
            "Errorstats",
            "Cluster",
            "Keyspace"
        ]
    );
    assert_eq!(titles(&mut raw, &["default"]), default);
    assert_eq!(
        titles(&mut raw, &["keyspace", "SERVER", "nosuch"]),
        ["Server", "Keyspace"]
    );
    assert_eq!(titles(&mut raw, &["commandstats"]), ["Commandstats"]);
    assert!(titles(&mut raw, &["all"]).contains(&"Commandstats".to_string()));
    assert_eq!(raw.cmd(&["INFO", "nosuch"]), b"$0\r\n\r\n");
    assert_eq!(
        raw.cmd(&["INFO", "cluster"]),
        b"$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n"
    );
    raw.cmd(&["HELLO", "3"]);
    assert_eq!(
        raw.cmd(&["INFO", "cluster"]),
        b"=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n"
    );
}

#[test]
fn info_matches_the_oracle_for_fixed_sections() {
    let mut p = Pair::start();
    p.check(&[
        &["INFO", "cluster"],
        &["INFO", "modules"],
        &["INFO", "nosuch"],
        &["INFO", "keyspace"],
    ]);
    p.hello3();
    p.check(&[&["INFO", "cluster"], &["INFO", "nosuch"]]);
}

#[test]
fn keyspace_hits_and_misses_move_with_reads() {
    let s = Server::start();
    let mut raw = s.raw();
    raw.cmd(&["SET", "k", "v"]);
    let hits = stat(&mut raw, "stats", "keyspace_hits").parse::<u64>().unwrap();
    let misses = stat(&mut raw, "stats", "keyspace_misses").parse::<u64>().unwrap();
    raw.cmd(&["GET", "k"]);
    raw.cmd(&["GET", "k"]);
    raw.cmd(&["GET", "missing"]);
    assert_eq!(stat(&mut raw, "stats", "keyspace_hits"), (hits + 2).to_string());
    assert_eq!(stat(&mut raw, "stats", "keyspace_misses"), (misses + 1).to_string());
}

#[test]
fn config_resetstat_zeroes_the_counters() {
    let s = Server::start();
    let mut raw = s.raw();
    raw.cmd(&["SET", "k", "v"]);
    raw.cmd(&["GET", "k"]);
    raw.cmd(&["NOSUCHCOMMAND"]);
    assert_eq!(raw.cmd(&["CONFIG", "RESETSTAT"]), b"+OK\r\n");
    let sections = info(&mut raw, &["stats", "errorstats", "commandstats"]);
    let titles: Vec<&str> = sections.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(titles, ["Stats", "Commandstats", "Errorstats"]);
    let stats = &sections[0].1;
    assert_eq!(stats["keyspace_hits"], "0");
    assert_eq!(stats["total_error_replies"], "0");
    assert_eq!(stats["total_connections_received"], "0");
    // CONFIG RESETSTAT itself is counted after the reset, as in Redis.
    assert_eq!(stats["total_commands_processed"], "1");
    assert_eq!(sections[1].1.keys().collect::<Vec<_>>(), ["cmdstat_config|resetstat"]);
    assert!(sections[2].1.is_empty());
}

/// Parameters both servers have, with the same value in both at start.
const SHARED_PARAMS: &[&str] = &[
    "port",
    "requirepass",
    "maxmemory",
    "maxmemory-policy",
    "maxmemory-samples",
    "maxclients",
    "timeout",
    "tcp-keepalive",
    "tcp-backlog",
    "notify-keyspace-events",
    "databases",
    "hz",
    "proto-max-bulk-len",
    "client-query-buffer-limit",
    "save",
    "appendonly",
    "appendfsync",
    "protected-mode",
    "lazyfree-lazy-user-del",
    "lazyfree-lazy-user-flush",
    "lazyfree-lazy-expire",
    "lazyfree-lazy-eviction",
    "activerehashing",
    "active-expire-effort",
    "lfu-log-factor",
    "lfu-decay-time",
    "slowlog-log-slower-than",
    "slowlog-max-len",
    "latency-tracking",
    "latency-monitor-threshold",
    "io-threads",
    "cluster-enabled",
    "maxmemory-clients",
    "supervised",
];

#[test]
fn config_get_matches_the_oracle_for_shared_parameters() {
    let mut p = Pair::start();
    for name in SHARED_PARAMS {
        p.check(&[&["CONFIG", "GET", name]]);
    }
    p.check(&[
        &["CONFIG", "GET", "MAXMEMORY"],
        &["CONFIG", "GET", "maxmemory-pol*"],
        &["CONFIG", "GET", "lfu-decay-tim?"],
        &["CONFIG", "GET", "hz", "HZ", "h[z]"],
        &["CONFIG", "GET", "nosuch"],
        &["CONFIG", "GET", "nosuch*"],
        &["CONFIG", "GET"],
    ]);
    p.hello3();
    p.check(&[&["CONFIG", "GET", "maxmemory"], &["CONFIG", "GET", "nosuch"]]);
}

#[test]
fn config_set_errors_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "SET", "x"],
        &["CONFIG", "SET", "nosuch", "1"],
        &["CONFIG", "SET", "hz", "30", "foo"],
        &["CONFIG", "SET", "hz", "30", "hz", "40"],
        &["CONFIG", "SET", "hz", "30", "HZ", "40"],
        &["CONFIG", "SET", "maxmemory", "foo"],
        &["CONFIG", "SET", "maxmemory", "-1"],
        &["CONFIG", "SET", "maxmemory", "-0"],
        &["CONFIG", "SET", "maxmemory", "1.5gb"],
        &["CONFIG", "SET", "port", "70000"],
        &["CONFIG", "SET", "port", "-1"],
        &["CONFIG", "SET", "port", "0x1"],
        &["CONFIG", "SET", "hz", "abc"],
        &["CONFIG", "SET", "hz", "+5"],
        &["CONFIG", "SET", "hz", "-1"],
        &["CONFIG", "SET", "loglevel", "loud"],
        &["CONFIG", "SET", "maxmemory-policy", "lru"],
        &["CONFIG", "SET", "appendonly", "maybe"],
        &["CONFIG", "SET", "appendfsync", "sometimes"],
        &["CONFIG", "SET", "maxclients", "0"],
        &["CONFIG", "SET", "timeout", "-1"],
        &["CONFIG", "SET", "maxmemory-samples", "0"],
        &["CONFIG", "SET", "proto-max-bulk-len", "1"],
        &["CONFIG", "SET", "maxmemory-clients", "101%"],
        &["CONFIG", "SET", "maxmemory-clients", "x%"],
        &["CONFIG", "SET", "notify-keyspace-events", "Q"],
        &["CONFIG", "SET", "save", "0 1"],
        &["CONFIG", "SET", "save", "100"],
        &["CONFIG", "SET", "databases", "4"],
        &["CONFIG", "SET", "dir", "/tmp"],
        &["CONFIG", "SET", "dbfilename", "x.rdb"],
        &["CONFIG", "SET", "maxmemory", "0", "daemonize", "no"],
        &["CONFIG", "SET", "daemonize", "no", "nosuch", "1"],
        &["CONFIG", "SET", "nosuch", "1", "daemonize", "no"],
        &["CONFIG", "FOO"],
        &["CONFIG"],
    ]);
}

#[test]
fn config_set_is_atomic_and_values_read_back_as_redis_prints_them() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "SET", "maxmemory", "1mb", "maxmemory-policy", "nosuch"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "SET", "maxmemory", "1mb", "maxmemory-policy", "ALLKEYS-LRU"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "GET", "maxmemory-policy"],
        &["CONFIG", "SET", "maxmemory", "1k"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "SET", "maxmemory", "1KB"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction"],
        &["CONFIG", "SET", "hz", "1000"],
        &["CONFIG", "GET", "hz"],
        &["CONFIG", "SET", "hz", "0"],
        &["CONFIG", "GET", "hz"],
        &["CONFIG", "SET", "hz", "10"],
        &["CONFIG", "SET", "port", "0"],
        &["CONFIG", "SET", "notify-keyspace-events", "KEA"],
        &["CONFIG", "GET", "notify-keyspace-events"],
        &["CONFIG", "SET", "notify-keyspace-events", "nmEx"],
        &["CONFIG", "GET", "notify-keyspace-events"],
        &["CONFIG", "SET", "notify-keyspace-events", ""],
        &["CONFIG", "SET", "save", "+100 010"],
        &["CONFIG", "GET", "save"],
        &["CONFIG", "SET", "save", ""],
        &["CONFIG", "SET", "appendonly", "YES"],
        &["CONFIG", "GET", "appendonly"],
        &["CONFIG", "SET", "appendonly", "no"],
        &["CONFIG", "SET", "maxmemory-clients", "10%"],
        &["CONFIG", "GET", "maxmemory-clients"],
        &["CONFIG", "SET", "maxmemory-clients", "0"],
        &["CONFIG", "SET", "requirepass", ""],
    ]);
}

#[test]
fn config_set_changes_behaviour_at_run_time() {
    let s = Server::start();
    let mut admin = s.raw();
    assert_eq!(admin.cmd(&["CONFIG", "SET", "requirepass", "pw"]), b"+OK\r\n");
    // Connections already authenticated stay so; new ones must authenticate.
    assert_eq!(admin.cmd(&["PING"]), b"+PONG\r\n");
    let mut fresh = s.raw();
    assert_eq!(fresh.cmd(&["PING"]), b"-NOAUTH Authentication required.\r\n");
    assert_eq!(fresh.cmd(&["AUTH", "pw"]), b"+OK\r\n");
    assert_eq!(admin.cmd(&["CONFIG", "SET", "maxmemory", "3mb"]), b"+OK\r\n");
    assert_eq!(stat(&mut admin, "memory", "maxmemory"), "3145728");
    assert_eq!(stat(&mut admin, "memory", "maxmemory_human"), "3.00M");
    // A new port would need a new listener.
    assert_eq!(
        admin.cmd(&["CONFIG", "SET", "port", "1"]),
        b"-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port\r\n"
    );
}

#[test]
fn config_rewrite_without_a_file_matches_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "REWRITE"],
        &["CONFIG", "REWRITE", "x"],
        &["CONFIG", "RESETSTAT", "x"],
    ]);
}

#[test]
fn config_rewrite_updates_the_config_file() {
    let dir = TempDir::new("rewrite");
    let conf = dir.0.join("shoal.conf");
    std::fs::write(&conf, "# my settings\nhz 20\n\ntimeout 5\ntimeout 6\n").unwrap();
    let s = Server::start_with(&[conf.to_str().unwrap()]);
    let mut raw = s.raw();
    assert_eq!(raw.cmd(&["CONFIG", "SET", "hz", "30", "maxmemory", "2mb"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["CONFIG", "SET", "requirepass", "two words"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["AUTH", "two words"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["CONFIG", "REWRITE"]), b"+OK\r\n");
    let text = std::fs::read_to_string(&conf).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[..4], ["# my settings", "hz 30", "", "timeout 6"]);
    assert!(lines.contains(&"# Generated by CONFIG REWRITE"), "{text}");
    assert!(lines.contains(&"maxmemory 2mb"), "{text}");
    assert!(lines.contains(&"requirepass \"two words\""), "{text}");
    assert!(lines.contains(&"port 0"), "{text}");
    // The rewritten file starts a server with the same settings.
    drop(raw);
    drop(s);
    let again = Server::start_with(&[conf.to_str().unwrap()]);
    let mut raw = again.raw();
    assert_eq!(raw.cmd(&["AUTH", "two words"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["CONFIG", "GET", "hz"]), b"*2\r\n$2\r\nhz\r\n$2\r\n30\r\n");
    assert_eq!(
        raw.cmd(&["CONFIG", "GET", "timeout"]),
        b"*2\r\n$7\r\ntimeout\r\n$1\r\n6\r\n"
    );
}

#[test]
fn config_help_lists_subcommands() {
    let s = Server::start();
    let mut raw = s.raw();
    let help = String::from_utf8(raw.cmd(&["CONFIG", "HELP"])).unwrap();
    for sub in [
        "+GET <pattern>",
        "+SET <directive> <value>",
        "+RESETSTAT",
        "+REWRITE",
        "+HELP",
    ] {
        assert!(help.contains(&format!("{sub}\r\n")), "no {sub} in {help}");
    }
}

#[test]
fn dbsize_flushdb_and_swapdb_sequences_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["DBSIZE"],
        &["DBSIZE", "x"],
        &["SET", "a", "1"],
        &["SET", "b", "2"],
        &["DBSIZE"],
        &["SWAPDB", "0", "1"],
        &["DBSIZE"],
        &["SELECT", "1"],
        &["DBSIZE"],
        &["GET", "a"],
        &["SWAPDB", "1", "1"],
        &["SWAPDB", "a", "b"],
        &["SWAPDB", "0", "b"],
        &["SWAPDB", "0", "16"],
        &["SWAPDB", "-1", "0"],
        &["SWAPDB", "99999999999", "0"],
        &["SWAPDB", "0"],
        &["FLUSHDB", "foo"],
        &["FLUSHDB", "ASYNC", "x"],
        &["FLUSHDB", "sync"],
        &["DBSIZE"],
        &["SET", "c", "3"],
        &["SELECT", "0"],
        &["SET", "d", "4"],
        &["FLUSHDB", "ASYNC"],
        &["DBSIZE"],
        &["SELECT", "1"],
        &["DBSIZE"],
        &["FLUSHALL", "bogus"],
        &["FLUSHALL"],
        &["DBSIZE"],
        &["SET", "e", "5"],
        &["FLUSHALL", "ASYNC"],
        &["DBSIZE"],
        &["GET", "e"],
    ]);
}

#[test]
fn flushall_async_frees_many_keys_in_the_background() {
    let s = Server::start();
    let mut raw = s.raw();
    let mut wire = Vec::new();
    for i in 0..10_000 {
        wire.extend(crate::support::encode(&[b"SET", format!("k{i}").as_bytes(), b"value"]));
    }
    raw.send_bytes(&wire);
    for _ in 0..10_000 {
        assert_eq!(raw.read_reply(), b"+OK\r\n");
    }
    assert_eq!(raw.cmd(&["DBSIZE"]), b":10000\r\n");
    let dirty = stat(&mut raw, "persistence", "rdb_changes_since_last_save")
        .parse::<u64>()
        .unwrap();
    assert_eq!(raw.cmd(&["FLUSHALL", "ASYNC"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["DBSIZE"]), b":0\r\n");
    assert_eq!(
        stat(&mut raw, "persistence", "rdb_changes_since_last_save"),
        (dirty + 10_001).to_string()
    );
    assert_eq!(raw.cmd(&["SET", "k1", "again"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["GET", "k1"]), b"$5\r\nagain\r\n");
}

#[test]
fn time_and_lastsave_have_redis_shapes() {
    let mut p = Pair::start();
    p.check(&[&["TIME", "x"], &["LASTSAVE", "x"]]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let time = String::from_utf8(p.s.cmd(&["TIME"])).unwrap();
    let parts: Vec<&str> = time.split("\r\n").collect();
    assert_eq!(parts[0], "*2");
    let secs: u64 = parts[2].parse().unwrap();
    let usecs: u64 = parts[4].parse().unwrap();
    assert!(secs.abs_diff(now) < 60 && usecs < 1_000_000, "{time}");
    let last = String::from_utf8(p.s.cmd(&["LASTSAVE"])).unwrap();
    let last: u64 = last.trim_start_matches(':').trim_end().parse().unwrap();
    assert!(last <= now + 1 && now - last < 3600);
}

#[test]
fn shutdown_arguments_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SHUTDOWN", "ABORT"],
        &["SHUTDOWN", "foo"],
        &["SHUTDOWN", "ABORT", "NOW"],
        &["SHUTDOWN", "NOSAVE", "ABORT"],
        &["SHUTDOWN", "SAVE", "NOSAVE"],
        &["PING"],
    ]);
}

#[test]
fn shutdown_exits_with_status_zero_without_a_reply() {
    let mut s = Server::start();
    let mut raw = s.raw();
    let mut other = s.raw();
    assert_eq!(other.cmd(&["PING"]), b"+PONG\r\n");
    raw.send_bytes(&crate::support::encode(&[b"SHUTDOWN", b"NOSAVE"]));
    assert_eq!(raw.try_read_reply(), None);
    assert_eq!(s.wait_exit(Duration::from_secs(20)), Some(0));
    assert!(other.is_closed());
}

#[test]
fn sigterm_exits_with_status_zero() {
    let mut s = Server::start();
    let mut raw = s.raw();
    assert_eq!(raw.cmd(&["SET", "k", "v"]), b"+OK\r\n");
    s.signal("TERM");
    assert_eq!(s.wait_exit(Duration::from_secs(20)), Some(0));
    assert!(raw.is_closed());
}

#[test]
fn debug_object_describes_values_as_redis_does() {
    let s = Server::start();
    let mut raw = s.raw();
    raw.cmd(&["SET", "shared", "123"]);
    raw.cmd(&["SET", "small", "hello"]);
    raw.cmd(&["SET", "big", "10000000000"]);
    raw.cmd(&["SET", "neg", "-100"]);
    let line = |raw: &mut Raw, key: &str| {
        let r = String::from_utf8(raw.cmd(&["DEBUG", "OBJECT", key])).unwrap();
        assert!(r.starts_with("+Value at:0x"), "{r}");
        // Drop the address and the clock, which vary.
        let rest = r.splitn(3, ' ').nth(2).unwrap();
        rest.split(" lru:").next().unwrap().to_string()
    };
    assert_eq!(
        line(&mut raw, "shared"),
        "refcount:2147483647 encoding:int serializedlength:2"
    );
    assert_eq!(line(&mut raw, "small"), "refcount:1 encoding:embstr serializedlength:6");
    assert_eq!(line(&mut raw, "big"), "refcount:1 encoding:int serializedlength:12");
    assert_eq!(line(&mut raw, "neg"), "refcount:1 encoding:int serializedlength:2");
    let full = String::from_utf8(raw.cmd(&["DEBUG", "OBJECT", "small"])).unwrap();
    assert!(full.contains(" lru_seconds_idle:"), "{full}");
    assert_eq!(raw.cmd(&["DEBUG", "OBJECT", "missing"]), b"-ERR no such key\r\n");
    assert_eq!(
        raw.cmd(&["DEBUG", "OBJECT"]),
        b"-ERR unknown subcommand or wrong number of arguments for 'OBJECT'. Try DEBUG HELP.\r\n"
    );
}

#[test]
fn debug_helpers_reply_like_redis() {
    let s = Server::start();
    let mut raw = s.raw();
    assert_eq!(raw.cmd(&["DEBUG", "SLEEP", "0"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["DEBUG", "SLEEP", "0.01"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["DEBUG", "sleep", "x"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["DEBUG", "JMAP"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]), b"+OK\r\n");
    assert_eq!(
        raw.cmd(&["DEBUG", "foo"]),
        b"-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n"
    );
    assert_eq!(
        raw.cmd(&["DEBUG", "SLEEP"]),
        b"-ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.\r\n"
    );
    assert_eq!(
        raw.cmd(&["DEBUG"]),
        b"-ERR wrong number of arguments for 'debug' command\r\n"
    );
    let help = String::from_utf8(raw.cmd(&["DEBUG", "HELP"])).unwrap();
    assert!(
        help.starts_with('*') && help.contains("+OBJECT <key>\r\n") && help.contains("+HELP\r\n"),
        "{help}"
    );
    assert_eq!(show(&raw.cmd(&["PING"])), "+PONG\\r\\n");
}

#[test]
fn changes_since_last_save_count_keys_like_the_oracle() {
    let mut p = Pair::start();
    let script: &[&[&str]] = &[
        &["SET", "a", "1", "EX", "100"],
        &["MSET", "b", "1", "c", "2"],
        &["INCR", "a"],
        &["DEL", "a", "b", "missing"],
        &["GET", "c"],
        &["SET", "d", "x", "NX"],
        &["SET", "d", "y", "NX"],
    ];
    let before_s = stat(&mut p.s, "persistence", "rdb_changes_since_last_save")
        .parse::<i64>()
        .unwrap();
    let before_r = stat(&mut p.r, "persistence", "rdb_changes_since_last_save")
        .parse::<i64>()
        .unwrap();
    for cmd in script {
        let (a, b) = p.both(cmd);
        assert_eq!(show(&a), show(&b), "{cmd:?}");
        let ds = stat(&mut p.s, "persistence", "rdb_changes_since_last_save")
            .parse::<i64>()
            .unwrap();
        let dr = stat(&mut p.r, "persistence", "rdb_changes_since_last_save")
            .parse::<i64>()
            .unwrap();
        assert_eq!(ds - before_s, dr - before_r, "dirty count after {cmd:?}");
    }
}

#[test]
fn memory_usage_errors_and_missing_keys_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SET", "k", "v"],
        &["MEMORY", "USAGE", "nokey"],
        &["MEMORY", "USAGE", "k", "SAMPLES", "x"],
        &["MEMORY", "USAGE", "k", "SAMPLES", "-1"],
        &["MEMORY", "USAGE", "k", "SAMPLES"],
        &["MEMORY", "USAGE", "k", "BOGUS", "1"],
        &["MEMORY", "USAGE"],
        &["MEMORY", "NOPE"],
        &["MEMORY", "PURGE"],
    ]);
}

#[test]
fn memory_usage_grows_with_the_value_and_sums_to_the_dataset() {
    let s = Server::start();
    let mut c = s.raw();
    let usage = |c: &mut Raw, k: &str| -> i64 {
        let r = String::from_utf8(c.cmd(&["MEMORY", "USAGE", k])).unwrap();
        r.trim_start_matches(':').trim_end().parse().unwrap()
    };
    c.cmd(&["SET", "small", "x"]);
    let big = "x".repeat(10_000);
    c.cmd(&["SET", "big", &big]);
    let (small, large) = (usage(&mut c, "small"), usage(&mut c, "big"));
    assert!((1..200).contains(&small), "{small}");
    assert!((10_000..11_000).contains(&large), "{large}");
    let stats = String::from_utf8_lossy(&c.cmd(&["MEMORY", "STATS"])).into_owned();
    let lines: Vec<&str> = stats.split("\r\n").collect();
    let field = |name: &str| -> i64 {
        let at = lines
            .iter()
            .position(|l| *l == name)
            .unwrap_or_else(|| panic!("{name} in {stats}"));
        lines[at + 1].trim_start_matches(':').parse().unwrap()
    };
    assert_eq!(field("keys.count"), 2);
    assert_eq!(field("dataset.bytes"), small + large);
    assert!(lines.contains(&"db.0"));
}

#[test]
fn memory_doctor_and_malloc_stats_answer_text() {
    let s = Server::start();
    let mut c = s.raw();
    assert!(!text_reply(&c.cmd(&["MEMORY", "DOCTOR"])).is_empty());
    assert!(!text_reply(&c.cmd(&["MEMORY", "MALLOC-STATS"])).is_empty());
    let help = String::from_utf8_lossy(&c.cmd(&["MEMORY", "HELP"])).into_owned();
    assert!(help.contains("USAGE <key>"), "{help}");
}

#[test]
fn slowlog_records_trims_and_resets_like_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["SLOWLOG", "GET", "-2"],
        &["SLOWLOG", "GET", "x"],
        &["SLOWLOG", "GET", "1", "2"],
        &["SLOWLOG", "NOPE"],
        &["SLOWLOG", "RESET"],
        &["SLOWLOG", "LEN"],
    ]);
    let long = "y".repeat(200);
    let mut push: Vec<String> = vec!["MSET".into()];
    push.extend((0..40).map(|i| format!("k{}", i / 2)));
    let mut short: Vec<String> = vec!["SET".into(), "k".into(), long];
    short.truncate(3);
    for raw in [&mut p.s, &mut p.r] {
        raw.cmd(&["CONFIG", "SET", "slowlog-log-slower-than", "0"]);
        raw.cmd(&["CLIENT", "SETNAME", "slowpoke"]);
        let push: Vec<&str> = push.iter().map(String::as_str).collect();
        raw.cmd(&push);
        let short: Vec<&str> = short.iter().map(String::as_str).collect();
        raw.cmd(&short);
        raw.cmd(&["CONFIG", "SET", "slowlog-log-slower-than", "-1"]);
    }
    // Everything but ids, times, durations and ports must agree.
    let entries = |raw: &mut Raw| -> Vec<crate::support::Resp> {
        match crate::support::Resp::parse(&raw.cmd(&["SLOWLOG", "GET", "3"])) {
            crate::support::Resp::Agg(_, items) => items
                .into_iter()
                .map(|e| match e {
                    crate::support::Resp::Agg(t, f) => crate::support::Resp::Agg(t, vec![f[3].clone(), f[5].clone()]),
                    other => other,
                })
                .collect(),
            other => panic!("{other:?}"),
        }
    };
    let (a, b) = (entries(&mut p.s), entries(&mut p.r));
    assert_eq!(a, b);
    assert_eq!(a.len(), 3);
    let (ls, lr) = p.both(&["SLOWLOG", "LEN"]);
    assert_eq!(ls, lr);
    p.check(&[
        &["CONFIG", "SET", "slowlog-max-len", "1"],
        &["SLOWLOG", "LEN"],
        &["SLOWLOG", "RESET"],
        &["SLOWLOG", "LEN"],
    ]);
}

/// redis-py's `latency_latest`/`latency_history`/`latency_reset`: with the
/// monitor off nothing is recorded; with a threshold a slow command (here
/// `DEBUG SLEEP`, whose sleep counts as in Redis) leaves one `command`
/// sample. Times and exact latencies differ between the servers, so those
/// are checked for range and the rest compared.
#[test]
fn latency_monitor_records_slow_commands_like_the_oracle() {
    use crate::support::{Oracle, Resp};
    let (shoal, redis) = (Server::start(), Oracle::start_with(&["--enable-debug-command", "yes"]));
    let (s, r) = (shoal.raw(), redis.raw());
    let mut p = Pair { shoal, redis, s, r };
    p.check(&[
        &["LATENCY", "LATEST"],
        &["LATENCY", "HISTORY", "command"],
        &["LATENCY", "RESET"],
        &["LATENCY", "RESET", "command", "x"],
        &["DEBUG", "SLEEP", "0.02"],
        &["LATENCY", "LATEST"],
        &["LATENCY", "HISTORY"],
        &["LATENCY", "HISTORY", "a", "b"],
        &["LATENCY", "LATEST", "x"],
        &["LATENCY", "NOPE"],
        &["LATENCY"],
        &["CONFIG", "SET", "latency-monitor-threshold", "-1"],
        &["CONFIG", "SET", "latency-monitor-threshold", "x"],
        &["CONFIG", "SET", "latency-monitor-threshold", "10"],
        &["CONFIG", "GET", "latency-monitor-threshold"],
        &["GET", "fast-and-not-recorded"],
        &["DEBUG", "SLEEP", "0.02"],
    ]);
    let int = |r: &Resp| -> i64 {
        match r {
            Resp::Line(b':', n) => std::str::from_utf8(n).unwrap().parse().unwrap(),
            other => panic!("not an integer: {other:?}"),
        }
    };
    for resp3 in [false, true] {
        if resp3 {
            p.hello3();
        }
        let (s, r) = p.both(&["LATENCY", "LATEST"]);
        for reply in [&s, &r] {
            let Resp::Agg(_, events) = Resp::parse(reply) else {
                panic!("{}", show(reply))
            };
            assert_eq!(events.len(), 1, "{}", show(reply));
            let Resp::Agg(_, e) = &events[0] else {
                panic!("{}", show(reply))
            };
            assert_eq!(e.len(), 4);
            assert_eq!(e[0], Resp::Bulk(b'$', b"command".to_vec()));
            assert!(int(&e[1]) > 1_600_000_000, "{}", show(reply));
            assert!(int(&e[2]) >= 20 && int(&e[3]) >= int(&e[2]), "{}", show(reply));
        }
        let (s, r) = p.both(&["LATENCY", "HISTORY", "command"]);
        for reply in [&s, &r] {
            let Resp::Agg(_, samples) = Resp::parse(reply) else {
                panic!("{}", show(reply))
            };
            assert_eq!(samples.len(), 1, "{}", show(reply));
            let Resp::Agg(_, pair) = &samples[0] else {
                panic!("{}", show(reply))
            };
            assert!(pair.len() == 2 && int(&pair[1]) >= 20, "{}", show(reply));
        }
        p.check(&[&["LATENCY", "HISTORY", "fast-command"]]);
    }
    p.check(&[
        &["LATENCY", "RESET", "fast-command", "command", "command"],
        &["LATENCY", "LATEST"],
        &["LATENCY", "HISTORY", "command"],
        &["LATENCY", "RESET"],
        &["CONFIG", "SET", "latency-monitor-threshold", "0"],
        &["DEBUG", "SLEEP", "0.02"],
        &["LATENCY", "LATEST"],
        &["COMMAND", "INFO", "latency|latest", "latency|history", "latency|reset"],
    ]);
}

/// Redis's `DEBUG SLEEP` sleeps inside the command, so it lands in the slow
/// log; Shoal sleeps after the handler but counts the sleep the same way.
#[test]
fn debug_sleep_counts_in_the_slow_log_as_in_redis() {
    use crate::support::Oracle;
    let (shoal, redis) = (Server::start(), Oracle::start_with(&["--enable-debug-command", "yes"]));
    let (s, r) = (shoal.raw(), redis.raw());
    let mut p = Pair { shoal, redis, s, r };
    p.check(&[
        &["CONFIG", "SET", "slowlog-log-slower-than", "15000"],
        &["SLOWLOG", "RESET"],
        &["DEBUG", "SLEEP", "0"],
        &["DEBUG", "SLEEP", "0.02"],
        &["SLOWLOG", "LEN"],
    ]);
    for raw in [&mut p.s, &mut p.r] {
        let crate::support::Resp::Agg(_, entries) = crate::support::Resp::parse(&raw.cmd(&["SLOWLOG", "GET"])) else {
            panic!()
        };
        let crate::support::Resp::Agg(_, e) = &entries[0] else {
            panic!()
        };
        let crate::support::Resp::Line(b':', micros) = &e[2] else {
            panic!("{e:?}")
        };
        let micros: u64 = std::str::from_utf8(micros).unwrap().parse().unwrap();
        assert!(micros >= 20_000, "{micros}");
    }
}

/// A monitor line without its time and client address (which differ
/// between the servers): `[db] "arg" ...`. Checks the time's shape.
fn monitor_line(reply: &[u8]) -> String {
    let text = String::from_utf8_lossy(reply).into_owned();
    let rest = text
        .strip_prefix('+')
        .unwrap_or_else(|| panic!("not a status line: {text:?}"));
    let (time, rest) = rest.split_once(" [").unwrap();
    let (secs, micros) = time.split_once('.').unwrap();
    assert!(
        secs.parse::<u64>().unwrap() > 1_600_000_000 && micros.len() == 6,
        "{text:?}"
    );
    let (client, args) = rest.split_once("] ").unwrap();
    let db = client.split(' ').next().unwrap();
    format!("[{db}] {}", args.trim_end())
}

/// redis-py's `monitor()` and the pipeline tests that watch for UNWATCH:
/// what MONITOR feeds (after each command, admin commands and rejected
/// commands left out, passwords redacted, bytes quoted as Redis quotes
/// them), and how a monitoring connection behaves (a second MONITOR
/// answers nothing, keyspace commands are refused, RESET ends it, EXEC may
/// not start it), compared with the oracle.
#[test]
fn monitor_feeds_commands_and_restricts_the_monitor_like_the_oracle() {
    let p = Pair::start();
    let run = |mut m: Raw, mut o: Raw| -> (Vec<String>, Vec<String>) {
        let mut replies = Vec::new();
        let mut reply = |r: Vec<u8>| replies.push(show(&r));
        reply(m.cmd(&["MONITOR"]));
        let script: &[&[&[u8]]] = &[
            &[b"SET", b"k", b"v"],
            &[b"GET", b"foo\"bar"],
            &[b"SET", b"bin", b"\x01\xff\t\r\n\\\x07\x08 ~"],
            &[b"SELECT", b"3"],
            &[b"SET", b"k", b"13"],
            &[b"SELECT", b"0"],
            &[b"CONFIG", b"GET", b"port"],
            &[b"DEBUG", b"SLEEP", b"0"],
            &[b"NOSUCH", b"x"],
            &[b"GET"],
            &[b"AUTH", b"nope"],
            &[b"AUTH", b"user", b"nope"],
            &[b"HELLO", b"2", b"AUTH", b"user", b"pw"],
            &[b"MULTI"],
            &[b"SET", b"x", b"1"],
            &[b"INCR", b"x"],
            &[b"EXEC"],
            &[b"WATCH", b"a"],
            &[b"UNWATCH"],
            &[b"CLIENT", b"ID"],
            &[b"ECHO", b"a b\n"],
            &[b"ECHO", b"marker"],
        ];
        for args in script {
            o.cmd_bytes(args);
        }
        let mut lines = Vec::new();
        loop {
            let line = monitor_line(&m.read_reply());
            let done = line.ends_with("\"ECHO\" \"marker\"");
            lines.push(line);
            if done {
                break;
            }
        }
        // The monitor itself: its commands are fed too, a second MONITOR
        // is ignored, keys are out of bounds.
        reply(m.cmd(&["PING"]));
        lines.push(monitor_line(&m.read_reply()));
        m.send_bytes(&crate::support::encode(&[b"MONITOR"]));
        reply(m.cmd(&["GET", "k"]));
        reply(m.cmd(&["SET", "k", "v"]));
        reply(m.cmd(&["MULTI"]));
        lines.push(monitor_line(&m.read_reply()));
        reply(m.cmd(&["GET", "k"]));
        reply(m.cmd(&["EXEC"]));
        lines.push(monitor_line(&m.read_reply()));
        let info = String::from_utf8(m.cmd(&["CLIENT", "INFO"])).unwrap();
        let flags = info.split(' ').find(|f| f.starts_with("flags=")).unwrap().to_string();
        lines.push(monitor_line(&m.read_reply()));
        // The oracle is on a unix socket (flag U).
        lines.push(flags.replace('U', ""));
        reply(m.cmd(&["RESET"]));
        o.cmd(&["SET", "after", "reset"]);
        reply(m.cmd(&["PING"]));
        reply(m.cmd(&["GET", "k"]));
        reply(o.cmd(&["MULTI"]));
        reply(o.cmd(&["MONITOR"]));
        reply(o.cmd(&["EXEC"]));
        (lines, replies)
    };
    let ours = run(p.shoal.raw(), p.shoal.raw());
    let theirs = run(p.redis.raw(), p.redis.raw());
    assert!(ours.0.len() > 20, "{:?}", ours.0);
    assert_eq!(ours.0, theirs.0, "monitor lines (left: shoal, right: redis)");
    assert_eq!(ours.1, theirs.1, "replies (left: shoal, right: redis)");
    let mut p = p;
    p.check(&[&["COMMAND", "INFO", "monitor"]]);
}
