//! The latency monitor (`LATENCY LATEST/HISTORY/RESET`): per event, the
//! worst latency of each second in a ring of the last 160 such seconds,
//! and the all-time maximum, as Redis's `latency.c` keeps them.
//!
//! Events are recorded only while `latency-monitor-threshold` (ms) is
//! above 0, and only for latencies at or above it. Shoal records the two
//! command events: `command` and `fast-command` (rows flagged `fast`); the
//! other events Redis knows (expire and eviction cycles, fork, AOF) have
//! no counterpart yet.

use std::collections::BTreeMap;

use parking_lot::Mutex;

/// Samples kept per event (`LATENCY_TS_LEN`).
pub const SAMPLES: usize = 160;

/// One sample: the Unix second and the worst latency (ms) seen in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sample {
    /// Unix seconds (0: an unused slot).
    pub time: i64,
    /// Milliseconds.
    pub latency: u64,
}

/// An event's samples.
#[derive(Debug, Clone)]
struct Series {
    /// The slot the next new second goes to.
    idx: usize,
    /// The highest latency ever recorded.
    max: u64,
    samples: [Sample; SAMPLES],
}

/// The latest sample of an event (`LATENCY LATEST`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latest {
    /// The event's name.
    pub event: String,
    /// The latest sample.
    pub last: Sample,
    /// The all-time maximum latency (ms).
    pub max: u64,
}

/// The monitor.
#[derive(Debug, Default)]
pub struct LatencyMonitor {
    events: Mutex<BTreeMap<String, Series>>,
}

impl LatencyMonitor {
    /// Adds a sample as `latencyAddSample`: a second already sampled keeps
    /// the worse of the two latencies.
    pub fn add_sample(&self, event: &str, latency: u64, now: i64) {
        let mut events = self.events.lock();
        let ts = events.entry(event.to_string()).or_insert_with(|| Series {
            idx: 0,
            max: 0,
            samples: [Sample::default(); SAMPLES],
        });
        ts.max = ts.max.max(latency);
        let prev = (ts.idx + SAMPLES - 1) % SAMPLES;
        if ts.samples[prev].time == now {
            ts.samples[prev].latency = ts.samples[prev].latency.max(latency);
            return;
        }
        ts.samples[ts.idx] = Sample { time: now, latency };
        ts.idx = (ts.idx + 1) % SAMPLES;
    }

    /// The latest sample of every event.
    pub fn latest(&self) -> Vec<Latest> {
        let events = self.events.lock();
        events
            .iter()
            .map(|(event, ts)| Latest {
                event: event.clone(),
                last: ts.samples[(ts.idx + SAMPLES - 1) % SAMPLES],
                max: ts.max,
            })
            .collect()
    }

    /// An event's samples, oldest first (empty for an unknown event).
    pub fn history(&self, event: &[u8]) -> Vec<Sample> {
        let events = self.events.lock();
        let Some(ts) = std::str::from_utf8(event).ok().and_then(|e| events.get(e)) else {
            return Vec::new();
        };
        (0..SAMPLES)
            .map(|j| ts.samples[(ts.idx + j) % SAMPLES])
            .filter(|s| s.time != 0)
            .collect()
    }

    /// Forgets the named events (all with `None`); returns how many existed.
    pub fn reset(&self, events: Option<&[&[u8]]>) -> usize {
        let mut map = self.events.lock();
        match events {
            None => std::mem::take(&mut *map).len(),
            Some(names) => names
                .iter()
                .filter(|n| std::str::from_utf8(n).is_ok_and(|n| map.remove(n).is_some()))
                .count(),
        }
    }

    /// Records a command that ran for `took`, under the threshold in
    /// `config`, as `call()` does after every command; `fast` for rows
    /// flagged `fast` (event `fast-command`, else `command`).
    pub fn observe(&self, config: &crate::config::Config, fast: bool, took: std::time::Duration) {
        let event = if fast { "fast-command" } else { "command" };
        self.observe_event(config, event, took);
    }

    /// Records `event` (`command`, `eviction-cycle`, ...) that took
    /// `took`, if that reaches `latency-monitor-threshold`.
    pub fn observe_event(&self, config: &crate::config::Config, event: &str, took: std::time::Duration) {
        let threshold = config.hot(crate::config::Hot::LatencyMonitorThreshold);
        let ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
        if threshold <= 0 || ms < threshold as u64 {
            return;
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        self.add_sample(event, ms, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_second_keeps_its_worst_latency_and_max_is_all_time() {
        let m = LatencyMonitor::default();
        m.add_sample("command", 5, 100);
        m.add_sample("command", 9, 100);
        m.add_sample("command", 3, 100);
        m.add_sample("command", 2, 101);
        let h = m.history(b"command");
        assert_eq!(h, [Sample { time: 100, latency: 9 }, Sample { time: 101, latency: 2 }]);
        let l = m.latest();
        assert_eq!(l.len(), 1);
        assert_eq!((l[0].last, l[0].max), (Sample { time: 101, latency: 2 }, 9));
    }

    #[test]
    fn the_ring_keeps_the_newest_160_seconds_oldest_first() {
        let m = LatencyMonitor::default();
        for t in 1..=200 {
            m.add_sample("e", t as u64, t);
        }
        let h = m.history(b"e");
        assert_eq!(h.len(), SAMPLES);
        assert_eq!(h[0].time, 41);
        assert_eq!(h[SAMPLES - 1].time, 200);
        assert!(m.history(b"other").is_empty());
    }

    #[test]
    fn reset_counts_the_events_it_forgot() {
        let m = LatencyMonitor::default();
        m.add_sample("a", 1, 1);
        m.add_sample("b", 1, 1);
        m.add_sample("c", 1, 1);
        assert_eq!(m.reset(Some(&[b"a", b"a", b"zz"])), 1);
        assert_eq!(m.reset(None), 2);
        assert_eq!(m.reset(None), 0);
        assert!(m.latest().is_empty());
    }
}
