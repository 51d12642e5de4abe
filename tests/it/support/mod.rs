//! Test support: the real `shoal` binary on an ephemeral port, a real
//! `redis-server` as the oracle (unix socket, no persistence), raw RESP
//! connections to both, and reply comparison.
//!
//! Readiness is read from the server's ready line (shoal) or by polling the
//! socket (redis), never by sleeping a fixed time. Both processes are killed
//! on drop.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Path of the `shoal` binary built for these tests.
pub fn shoal_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_shoal"))
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// Creates a unique directory under the system temp dir.
    pub fn new(tag: &str) -> TempDir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!("shoal-it-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `shoal` process.
pub struct Server {
    pub addr: SocketAddr,
    pub child: Child,
    /// Lines the server logged after the ready line are drained in the background.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    /// Starts shoal on an ephemeral port with default settings.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// Starts shoal with extra arguments (`--name value` pairs or a config file first).
    pub fn start_with(args: &[&str]) -> Server {
        let mut cmd = Command::new(shoal_bin());
        // A config file, when given, must come first.
        let (file, rest): (Vec<&str>, Vec<&str>) = match args.first() {
            Some(a) if !a.starts_with("--") => (vec![a], args[1..].to_vec()),
            _ => (vec![], args.to_vec()),
        };
        cmd.args(file).args(["--port", "0", "--loglevel", "notice"]).args(rest);
        cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).stdin(Stdio::null());
        let mut child = cmd.spawn().expect("spawn shoal");
        let stdout = child.stdout.take().unwrap();
        let mut reader = BufReader::new(stdout);
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut addr = None;
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if line.contains("Ready to accept connections") {
                let a = line.split("addr=").nth(1).map(|s| s.trim().to_string()).unwrap();
                addr = Some(a.parse::<SocketAddr>().unwrap());
                break;
            }
        }
        let addr = addr.unwrap_or_else(|| {
            let _ = child.kill();
            panic!("shoal did not print its ready line");
        });
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for l in reader.lines() {
                match l {
                    Ok(l) => sink.lock().unwrap().push(l),
                    Err(_) => break,
                }
            }
        });
        Server { addr, child, log }
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// A `redis` crate connection.
    pub fn client(&self) -> redis::Connection {
        let c = redis::Client::open(format!("redis://{}/", self.addr)).unwrap();
        c.get_connection().unwrap()
    }

    /// A raw RESP connection.
    pub fn raw(&self) -> Raw {
        let s = TcpStream::connect(self.addr).unwrap();
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Raw::new(Box::new(s))
    }

    /// Lines logged after the ready line.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits (bounded) for the process to exit; returns its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Sends a signal to the process.
    pub fn signal(&self, sig: &str) {
        let _ = Command::new("kill")
            .args([format!("-{sig}"), self.child.id().to_string()])
            .status();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A real `redis-server`, the oracle.
pub struct Oracle {
    pub child: Child,
    pub sock: PathBuf,
    _dir: TempDir,
}

impl Oracle {
    /// Starts redis-server on a unix socket with persistence off.
    pub fn start() -> Oracle {
        Oracle::start_with(&[])
    }

    /// Like `start`, with extra parameters (`--enable-debug-command yes`).
    pub fn start_with(extra: &[&str]) -> Oracle {
        let dir = TempDir::new("redis");
        let sock = dir.0.join("r.sock");
        let mut child = Command::new("redis-server")
            .args(["--port", "0", "--unixsocket"])
            .arg(&sock)
            .args(["--save", "", "--appendonly", "no", "--dir"])
            .arg(&dir.0)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server must be installed (scripts/test installs it)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(s) = UnixStream::connect(&sock) {
                let mut r = Raw::new(Box::new(s));
                if r.cmd(&["PING"]) == b"+PONG\r\n" {
                    return Oracle { child, sock, _dir: dir };
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("redis-server did not start");
    }

    /// A raw RESP connection.
    pub fn raw(&self) -> Raw {
        let s = UnixStream::connect(&self.sock).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Raw::new(Box::new(s))
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A byte stream to a server.
pub trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

/// A raw RESP connection that reads exactly one reply per command.
pub struct Raw {
    stream: Box<dyn Stream>,
    buf: Vec<u8>,
}

/// Encodes a command as a RESP multibulk.
pub fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

impl Raw {
    /// A raw connection to a loopback port (for use from other threads).
    pub fn tcp(port: u16) -> Raw {
        let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Raw::new(Box::new(s))
    }

    fn new(stream: Box<dyn Stream>) -> Raw {
        Raw {
            stream,
            buf: Vec::new(),
        }
    }

    /// Sends a command of text arguments and returns its raw reply.
    pub fn cmd(&mut self, args: &[&str]) -> Vec<u8> {
        let a: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
        self.cmd_bytes(&a)
    }

    /// Sends a command of byte arguments and returns its raw reply.
    pub fn cmd_bytes(&mut self, args: &[&[u8]]) -> Vec<u8> {
        self.send_bytes(&encode(args));
        self.read_reply()
    }

    /// Writes raw bytes.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
        self.stream.flush().unwrap();
    }

    fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 64 * 1024];
        match self.stream.read(&mut chunk) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// Reads everything until the peer closes (bounded by the read timeout).
    pub fn read_to_end(&mut self) -> Vec<u8> {
        while self.fill() {}
        std::mem::take(&mut self.buf)
    }

    /// Whether the peer has closed the connection (after draining buffered bytes).
    pub fn is_closed(&mut self) -> bool {
        !self.fill()
    }

    /// Reads one complete RESP2/RESP3 reply and returns its raw bytes.
    pub fn read_reply(&mut self) -> Vec<u8> {
        loop {
            if let Some(n) = reply_len(&self.buf, 0) {
                return self.buf.drain(..n).collect();
            }
            if !self.fill() {
                let rest = std::mem::take(&mut self.buf);
                panic!("connection closed mid-reply; have {:?}", String::from_utf8_lossy(&rest));
            }
        }
    }

    /// Reads one reply if one arrives, or `None` if the connection closes first.
    pub fn try_read_reply(&mut self) -> Option<Vec<u8>> {
        loop {
            if let Some(n) = reply_len(&self.buf, 0) {
                return Some(self.buf.drain(..n).collect());
            }
            if !self.fill() {
                return None;
            }
        }
    }
}

fn line_end(buf: &[u8], at: usize) -> Option<usize> {
    buf.get(at..)?.windows(2).position(|w| w == b"\r\n").map(|p| at + p)
}

/// Length of the complete reply starting at `at`, if it is complete.
pub fn reply_len(buf: &[u8], at: usize) -> Option<usize> {
    let kind = *buf.get(at)?;
    let end = line_end(buf, at)?;
    let header = std::str::from_utf8(&buf[at + 1..end]).ok()?;
    let after = end + 2;
    match kind {
        b'+' | b'-' | b':' | b',' | b'#' | b'_' | b'(' => Some(after - at),
        b'$' | b'=' | b'!' => {
            let n: i64 = header.parse().ok()?;
            if n < 0 {
                return Some(after - at);
            }
            let total = after + n as usize + 2;
            (buf.len() >= total).then_some(total - at)
        }
        b'*' | b'~' | b'>' | b'%' | b'|' => {
            let n: i64 = header.parse().ok()?;
            if n < 0 {
                return Some(after - at);
            }
            let items = if kind == b'%' || kind == b'|' { 2 * n } else { n };
            let mut pos = after;
            for _ in 0..items {
                pos += reply_len(buf, pos)?;
            }
            Some(pos - at)
        }
        _ => Some(after - at),
    }
}

/// Shows a reply readably in assertion messages.
pub fn show(reply: &[u8]) -> String {
    String::from_utf8_lossy(reply).replace("\r\n", "\\r\\n")
}

/// Shoal and the oracle side by side, each with one raw connection.
pub struct Pair {
    pub shoal: Server,
    pub redis: Oracle,
    pub s: Raw,
    pub r: Raw,
}

impl Pair {
    /// Starts both servers.
    pub fn start() -> Pair {
        let shoal = Server::start();
        let redis = Oracle::start();
        let s = shoal.raw();
        let r = redis.raw();
        Pair { shoal, redis, s, r }
    }

    /// Sends one command to both and returns (shoal, redis) raw replies.
    pub fn both(&mut self, args: &[&str]) -> (Vec<u8>, Vec<u8>) {
        (self.s.cmd(args), self.r.cmd(args))
    }

    /// Sends one byte command to both and returns (shoal, redis) raw replies.
    pub fn both_bytes(&mut self, args: &[&[u8]]) -> (Vec<u8>, Vec<u8>) {
        (self.s.cmd_bytes(args), self.r.cmd_bytes(args))
    }

    /// Sends each command to both and asserts identical raw replies.
    pub fn check(&mut self, script: &[&[&str]]) {
        for args in script {
            let (a, b) = self.both(args);
            assert_eq!(
                show(&a),
                show(&b),
                "reply to {args:?} differs (left: shoal, right: redis)"
            );
        }
    }

    /// Like `check` with byte arguments.
    pub fn check_raw(&mut self, script: &[Vec<Vec<u8>>]) {
        for args in script {
            let refs: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
            let (a, b) = self.both_bytes(&refs);
            let shown: Vec<String> = args.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
            assert_eq!(
                show(&a),
                show(&b),
                "reply to {shown:?} differs (left: shoal, right: redis)"
            );
        }
    }

    /// Switches both connections to RESP3.
    pub fn hello3(&mut self) {
        self.both(&["HELLO", "3"]);
    }
}

/// A parsed reply (RESP2 and RESP3), for comparisons where Redis leaves the
/// order unspecified (`SMEMBERS`, `HGETALL` of a hashtable, `SPOP` ...).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Resp {
    /// `+`, `-`, `:`, `,`, `#`, `(` and other one-line replies: (type byte, text).
    Line(u8, Vec<u8>),
    /// `$`, `=` and `!`: (type byte, bytes).
    Bulk(u8, Vec<u8>),
    /// `$-1`, `*-1` and `_`.
    Null,
    /// `*`, `~`, `%` (flattened key, value, ...) and `>`: (type byte, items).
    Agg(u8, Vec<Resp>),
}

impl Resp {
    /// Parses one whole reply; panics on trailing bytes or bad framing.
    pub fn parse(buf: &[u8]) -> Resp {
        let (r, used) = Resp::parse_at(buf, 0);
        assert_eq!(used, buf.len(), "trailing bytes in {}", show(buf));
        r
    }

    /// Parses the reply starting at `at`; returns it and the next offset.
    pub fn parse_at(buf: &[u8], at: usize) -> (Resp, usize) {
        let end = line_end(buf, at).expect("a complete reply");
        let head = &buf[at + 1..end];
        let num = || -> i64 { std::str::from_utf8(head).unwrap().parse().unwrap() };
        match buf[at] {
            b'_' => (Resp::Null, end + 2),
            t @ (b'$' | b'=' | b'!') => {
                let n = num();
                if n < 0 {
                    return (Resp::Null, end + 2);
                }
                let start = end + 2;
                let stop = start + n as usize;
                (Resp::Bulk(t, buf[start..stop].to_vec()), stop + 2)
            }
            t @ (b'*' | b'~' | b'%' | b'>') => {
                let n = num();
                if n < 0 {
                    return (Resp::Null, end + 2);
                }
                let count = if t == b'%' { 2 * n } else { n };
                let mut pos = end + 2;
                let mut items = Vec::new();
                for _ in 0..count {
                    let (item, next) = Resp::parse_at(buf, pos);
                    items.push(item);
                    pos = next;
                }
                (Resp::Agg(t, items), pos)
            }
            t => (Resp::Line(t, head.to_vec()), end + 2),
        }
    }

    /// The same reply with the items of every aggregate sorted (maps by
    /// key/value pair), so two replies that differ only in order compare equal.
    pub fn unordered(&self) -> Resp {
        match self {
            Resp::Agg(t, items) => {
                let mut items: Vec<Resp> = items.iter().map(Resp::unordered).collect();
                if *t == b'%' {
                    let mut pairs: Vec<(Resp, Resp)> = Vec::new();
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        pairs.push((k, v));
                    }
                    pairs.sort();
                    items = pairs.into_iter().flat_map(|(k, v)| [k, v]).collect();
                } else {
                    items.sort();
                }
                Resp::Agg(*t, items)
            }
            other => other.clone(),
        }
    }

    /// Like [`Resp::unordered`] for a flat RESP2 array of field/value pairs
    /// (`HGETALL`, `ZRANGE ... WITHSCORES` of equal scores): sorts the pairs.
    pub fn unordered_pairs(&self) -> Resp {
        match self {
            Resp::Agg(t, items) => {
                let mut pairs: Vec<(Resp, Resp)> = Vec::new();
                let mut it = items.iter().cloned();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    pairs.push((k, v));
                }
                pairs.sort();
                Resp::Agg(*t, pairs.into_iter().flat_map(|(k, v)| [k, v]).collect())
            }
            other => other.clone(),
        }
    }
}

impl Pair {
    /// Sends each command to both and asserts the replies are equal up to
    /// the order of aggregate items (for replies whose order Redis leaves open).
    pub fn check_unordered(&mut self, script: &[&[&str]]) {
        for args in script {
            let (a, b) = self.both(args);
            assert_eq!(
                Resp::parse(&a).unordered(),
                Resp::parse(&b).unordered(),
                "reply to {args:?} differs beyond order (left: shoal {}, right: redis {})",
                show(&a),
                show(&b)
            );
        }
    }
}

/// `keyspace_hits` and `keyspace_misses` from `INFO stats`.
pub fn hits_and_misses(reply: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(reply);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name).map(str::to_string))
            .unwrap_or_default()
    };
    (field("keyspace_hits:"), field("keyspace_misses:"))
}

/// A binary of Debian's PostgreSQL packages (the newest installed version).
pub fn pg_bin(name: &str) -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    versions.sort();
    versions
        .iter()
        .rev()
        .map(|v| v.join("bin").join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("PostgreSQL's {name} is missing (scripts/test installs Debian's postgresql)"))
}

/// A free TCP port on 127.0.0.1 (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A throwaway PostgreSQL: `initdb` into a temporary folder (as the
/// `postgres` user when running as root, since PostgreSQL refuses root),
/// then `postgres -k <tmp> -p <free port>`; trust authentication on
/// 127.0.0.1. `stop` and `start` simulate an outage on the same port.
pub struct Postgres {
    pub port: u16,
    dir: TempDir,
    child: Option<Child>,
    uid: Option<(u32, u32)>,
}

fn postgres_ids() -> Option<(u32, u32)> {
    // SAFETY-free way to know whether we are root: `id -u`.
    let me = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&me.stdout).trim() != "0" {
        return None;
    }
    let id = |flag: &str| -> Option<u32> {
        let o = Command::new("id").args([flag, "postgres"]).output().ok()?;
        String::from_utf8_lossy(&o.stdout).trim().parse().ok()
    };
    Some((id("-u")?, id("-g")?))
}

impl Postgres {
    /// Initializes and starts a new cluster.
    pub fn start() -> Postgres {
        use std::os::unix::process::CommandExt;
        let dir = TempDir::new("pg");
        let uid = postgres_ids();
        if let Some((u, g)) = uid {
            std::os::unix::fs::chown(&dir.0, Some(u), Some(g)).unwrap();
        }
        let data = dir.0.join("data");
        let mut init = Command::new(pg_bin("initdb"));
        init.arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((u, g)) = uid {
            init.uid(u).gid(g);
        }
        let status = init.status().expect("run initdb");
        assert!(status.success(), "initdb failed");
        let mut pg = Postgres {
            port: free_port(),
            dir,
            child: None,
            uid,
        };
        pg.start_again();
        pg
    }

    /// Starts the server (again) on its port and waits until it accepts queries.
    pub fn start_again(&mut self) {
        use std::os::unix::process::CommandExt;
        let mut cmd = Command::new(pg_bin("postgres"));
        cmd.arg("-D")
            .arg(self.dir.0.join("data"))
            .arg("-k")
            .arg(&self.dir.0)
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((u, g)) = self.uid {
            cmd.uid(u).gid(g);
        }
        self.child = Some(cmd.spawn().expect("spawn postgres"));
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if self.psql_try("SELECT 1").is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("postgres did not start");
    }

    /// Stops the server (fast shutdown) and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill").args(["-INT", &c.id().to_string()]).status();
            let _ = c.wait();
        }
    }

    /// The URL Shoal's `backing-url` takes.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn psql_try(&self, sql: &str) -> Option<String> {
        let out = Command::new(pg_bin("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                "postgres",
            ])
            .args(["-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim_end().to_string())
    }

    /// Runs `sql` with psql (unaligned, tuples only); panics on failure.
    pub fn psql(&self, sql: &str) -> String {
        self.psql_try(sql).unwrap_or_else(|| panic!("psql failed: {sql}"))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}
