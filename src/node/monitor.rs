//! `MONITOR`: every command a client runs, fed as one status line to each
//! connection in monitor mode, as Redis's `replicationFeedMonitors` does:
//! `+<secs>.<usecs> [<db> <addr>] "arg" "arg"...`.
//!
//! What is fed is what Redis feeds: commands that ran (errors included;
//! commands rejected before running are not), after they ran (so `EXEC`
//! follows the commands it ran, and `SELECT`'s line shows the new db),
//! except `admin` and `skip_monitor` rows; `AUTH` and `HELLO ... AUTH`
//! passwords are redacted. A monitor that cannot keep up (more than
//! [`BACKLOG`] lines waiting) is disconnected, as Redis disconnects one past
//! its output buffer limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use parking_lot::Mutex;
use tokio::sync::mpsc;

use crate::node::clients::ClientInfo;

/// Lines a monitor may have waiting before it is disconnected.
pub const BACKLOG: usize = 64 * 1024;

/// The receiving end a monitor connection reads its lines from.
pub type MonitorFeed = mpsc::Receiver<Bytes>;

/// The connections in monitor mode.
#[derive(Debug, Default)]
pub struct Monitors {
    /// How many are registered (a lock-free check on every command).
    count: AtomicUsize,
    list: Mutex<Vec<(Arc<ClientInfo>, mpsc::Sender<Bytes>)>>,
}

impl Monitors {
    /// Puts `client` in monitor mode; it reads its lines from the result.
    pub fn add(&self, client: Arc<ClientInfo>) -> MonitorFeed {
        let (tx, rx) = mpsc::channel(BACKLOG);
        let mut list = self.list.lock();
        list.push((client, tx));
        self.count.store(list.len(), Ordering::Relaxed);
        rx
    }

    /// Whether no connection is monitoring.
    pub fn is_empty(&self) -> bool {
        self.count.load(Ordering::Relaxed) == 0
    }

    /// Feeds a command `client` ran in `db`. The caller leaves out rows that
    /// are not fed (`admin`, `skip_monitor`).
    pub fn feed(&self, db: usize, client: &ClientInfo, argv: &[Bytes]) {
        if self.is_empty() {
            return;
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let line = Bytes::from(format_line(
            now.as_secs(),
            now.subsec_micros(),
            db,
            &client.addr.to_string(),
            argv,
        ));
        let mut list = self.list.lock();
        list.retain(|(info, tx)| match tx.try_send(line.clone()) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Closed(_)) => false,
            Err(mpsc::error::TrySendError::Full(_)) => {
                info.kill();
                false
            }
        });
        self.count.store(list.len(), Ordering::Relaxed);
    }
}

/// Which arguments Redis redacts: everything after `AUTH`, and the user and
/// password after `HELLO`'s `AUTH` option.
fn redacted(argv: &[Bytes]) -> Vec<bool> {
    let mut hide = vec![false; argv.len()];
    let Some(name) = argv.first() else {
        return hide;
    };
    if name.eq_ignore_ascii_case(b"auth") {
        hide.iter_mut().skip(1).for_each(|h| *h = true);
    } else if name.eq_ignore_ascii_case(b"hello") {
        let mut i = 2;
        while i < argv.len() {
            if argv[i].eq_ignore_ascii_case(b"auth") && i + 2 < argv.len() {
                hide[i + 1] = true;
                hide[i + 2] = true;
                i += 3;
            } else if argv[i].eq_ignore_ascii_case(b"setname") {
                i += 2;
            } else {
                i += 1;
            }
        }
    }
    hide
}

/// One monitor line, a RESP status reply.
pub fn format_line(secs: u64, micros: u32, db: usize, addr: &str, argv: &[Bytes]) -> Vec<u8> {
    let mut out = format!("+{secs}.{micros:06} [{db} {addr}]").into_bytes();
    for (arg, hide) in argv.iter().zip(redacted(argv)) {
        out.push(b' ');
        if hide {
            out.extend_from_slice(b"\"(redacted)\"");
        } else {
            repr(&mut out, arg);
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// Quotes `s` as Redis's `sdscatrepr`: C escapes for `\\ " \n \r \t \a \b`,
/// `\xHH` for other unprintable bytes.
fn repr(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for &c in s {
        match c {
            b'\\' | b'"' => {
                out.push(b'\\');
                out.push(c);
            }
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x07 => out.extend_from_slice(b"\\a"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x20..=0x7e => out.push(c),
            _ => out.extend_from_slice(format!("\\x{c:02x}").as_bytes()),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(a: &[&[u8]]) -> Vec<Bytes> {
        a.iter().map(|x| Bytes::copy_from_slice(x)).collect()
    }

    #[test]
    fn lines_quote_as_sdscatrepr() {
        let line = format_line(
            1_700_000_000,
            42,
            3,
            "127.0.0.1:5000",
            &argv(&[b"SET", b"t", b"\x01\xff\t\r\"\\ok\n"]),
        );
        assert_eq!(
            String::from_utf8(line).unwrap(),
            "+1700000000.000042 [3 127.0.0.1:5000] \"SET\" \"t\" \"\\x01\\xff\\t\\r\\\"\\\\ok\\n\"\r\n"
        );
    }

    #[test]
    fn auth_and_hello_auth_are_redacted() {
        let line = format_line(1, 0, 0, "a:1", &argv(&[b"auth", b"user", b"pw"]));
        assert!(String::from_utf8(line)
            .unwrap()
            .ends_with("\"auth\" \"(redacted)\" \"(redacted)\"\r\n"));
        let line = format_line(
            1,
            0,
            0,
            "a:1",
            &argv(&[b"HELLO", b"3", b"SETNAME", b"auth", b"AUTH", b"u", b"p"]),
        );
        assert!(String::from_utf8(line)
            .unwrap()
            .ends_with("\"HELLO\" \"3\" \"SETNAME\" \"auth\" \"AUTH\" \"(redacted)\" \"(redacted)\"\r\n"));
    }
}
