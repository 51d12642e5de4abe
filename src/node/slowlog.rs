//! The slow log: the most recent commands that ran longer than
//! `slowlog-log-slower-than` microseconds, newest first, at most
//! `slowlog-max-len` of them (`SLOWLOG GET/LEN/RESET`).
//!
//! Entries keep what Redis keeps, trimmed as Redis trims: at most 32
//! arguments (the last one then says how many more there were) and at most
//! 128 bytes per argument (with a note of how many bytes were cut).

use std::collections::VecDeque;

use bytes::Bytes;
use parking_lot::Mutex;

/// Arguments kept per entry (the last slot notes the rest).
const MAX_ARGC: usize = 32;
/// Bytes kept per argument.
const MAX_ARG_BYTES: usize = 128;

/// One logged command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlowEntry {
    /// Increasing id, never reused (not even after `SLOWLOG RESET`).
    pub id: u64,
    /// Unix seconds when the command ran.
    pub at: u64,
    /// How long it ran, in microseconds.
    pub micros: u64,
    /// The trimmed arguments.
    pub argv: Vec<Vec<u8>>,
    /// The client's `ip:port`.
    pub addr: String,
    /// The client's name at the time.
    pub name: Vec<u8>,
}

/// The log.
#[derive(Debug, Default)]
pub struct SlowLog {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    /// Newest first.
    entries: VecDeque<SlowEntry>,
}

/// Trims a command's arguments as Redis's slow log does.
fn trim_argv(argv: &[Bytes]) -> Vec<Vec<u8>> {
    let keep = if argv.len() > MAX_ARGC {
        MAX_ARGC - 1
    } else {
        argv.len()
    };
    let mut out: Vec<Vec<u8>> = argv[..keep]
        .iter()
        .map(|a| {
            if a.len() > MAX_ARG_BYTES {
                let mut v = a[..MAX_ARG_BYTES].to_vec();
                v.extend_from_slice(format!("... ({} more bytes)", a.len() - MAX_ARG_BYTES).as_bytes());
                v
            } else {
                a.to_vec()
            }
        })
        .collect();
    if argv.len() > MAX_ARGC {
        out.push(format!("... ({} more arguments)", argv.len() - keep).into_bytes());
    }
    out
}

impl SlowLog {
    /// Records a command if it ran for at least `threshold` µs (negative
    /// threshold: the log is off), keeping at most `max_len` entries.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &self,
        threshold: i64,
        max_len: usize,
        micros: u64,
        at: u64,
        argv: &[Bytes],
        addr: String,
        name: Vec<u8>,
    ) {
        if threshold < 0 || micros < threshold as u64 {
            return;
        }
        let mut inner = self.inner.lock();
        let id = inner.next_id;
        inner.next_id += 1;
        inner.entries.push_front(SlowEntry {
            id,
            at,
            micros,
            argv: trim_argv(argv),
            addr,
            name,
        });
        inner.entries.truncate(max_len);
    }

    /// The newest `count` entries (all with `None`).
    pub fn newest(&self, count: Option<usize>) -> Vec<SlowEntry> {
        let inner = self.inner.lock();
        let n = count.unwrap_or(usize::MAX);
        inner.entries.iter().take(n).cloned().collect()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.inner.lock().entries.len()
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every entry (ids keep increasing).
    pub fn reset(&self) {
        self.inner.lock().entries.clear();
    }

    /// Records `argv` run by `client` for `took`, under the thresholds in
    /// `config`. The caller leaves out rows flagged `skip_slowlog` (`EXEC`).
    pub fn observe(
        &self,
        config: &crate::config::Config,
        took: std::time::Duration,
        argv: &[Bytes],
        client: &crate::node::clients::ClientInfo,
    ) {
        let threshold = config.hot(crate::config::Hot::SlowlogSlowerThan);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        if threshold < 0 || micros < threshold as u64 {
            return;
        }
        let max_len = usize::try_from(config.hot(crate::config::Hot::SlowlogMaxLen)).unwrap_or(0);
        let at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let name = client.name.lock().clone();
        self.record(threshold, max_len, micros, at, argv, client.addr.to_string(), name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(n: usize) -> Vec<Bytes> {
        (0..n).map(|i| Bytes::from(i.to_string())).collect()
    }

    #[test]
    fn long_commands_keep_31_arguments_and_a_count_of_the_rest() {
        let t = trim_argv(&argv(43));
        assert_eq!(t.len(), 32);
        assert_eq!(t[30], b"30");
        assert_eq!(t[31], b"... (12 more arguments)");
        assert_eq!(trim_argv(&argv(32)).len(), 32);
    }

    #[test]
    fn long_arguments_keep_128_bytes_and_a_count_of_the_rest() {
        let t = trim_argv(&[Bytes::from(vec![b'x'; 200])]);
        let mut want = vec![b'x'; 128];
        want.extend_from_slice(b"... (72 more bytes)");
        assert_eq!(t[0], want);
    }

    #[test]
    fn the_log_keeps_the_newest_entries_and_ids_survive_reset() {
        let log = SlowLog::default();
        for i in 0..5 {
            log.record(0, 3, i, 0, &argv(1), "a:1".into(), Vec::new());
        }
        let ids: Vec<u64> = log.newest(None).iter().map(|e| e.id).collect();
        assert_eq!(ids, [4, 3, 2]);
        log.record(10, 3, 9, 0, &argv(1), "a:1".into(), Vec::new());
        assert_eq!(log.len(), 3, "9 µs is under the 10 µs threshold");
        log.record(-1, 3, 1_000_000, 0, &argv(1), "a:1".into(), Vec::new());
        assert_eq!(log.len(), 3, "a negative threshold turns the log off");
        log.reset();
        assert!(log.is_empty());
        log.record(0, 3, 1, 0, &argv(1), "a:1".into(), Vec::new());
        assert_eq!(log.newest(Some(1))[0].id, 5);
    }
}
