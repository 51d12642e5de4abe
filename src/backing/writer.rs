//! The write-behind writer: one task that carries queued journal records to
//! the database.
//!
//! It waits up to `write-behind-delay-ms` after the oldest record (less if
//! `write-behind-batch-size` records are waiting), takes at most a batch
//! from the front of the queue, coalesces it (the last record per key
//! wins) and commits it in one transaction together with the batch's last
//! sequence as the journal cursor. A failure keeps the batch and retries it
//! with exponential backoff (`backing-retry-initial-ms` doubling up to
//! `backing-retry-max-ms`), forever: an acknowledged write is never
//! dropped; the queue's bound (`write-behind-max-pending`) turns a long
//! outage into refused writes instead.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use hashbrown::HashMap;

use super::{Backing, Batch, Record};

/// Runs the writer until `stop` turns true.
pub async fn run(b: Arc<Backing>, mut stop: tokio::sync::watch::Receiver<bool>) {
    // Tables first, then the cursor: records it covers are already in.
    let mut backoff = b.settings.retry_initial_ms;
    loop {
        let ready = async {
            b.ensure_prepared().await?;
            b.timed(b.store.cursor()).await
        };
        match ready.await {
            Ok(cursor) => {
                let mut q = b.queue.lock();
                while q.records.front().is_some_and(|(r, _)| r.seq <= cursor) {
                    q.records.pop_front();
                }
                q.latest.retain(|_, r| r.seq > cursor);
                drop(q);
                b.journal.set_committed(cursor);
                break;
            }
            Err(e) => {
                tracing::warn!("backing database not ready ({e}); retrying in {backoff} ms");
                if sleep_or_stop(Duration::from_millis(backoff), &mut stop).await {
                    return;
                }
                backoff = (backoff * 2).min(b.settings.retry_max_ms);
            }
        }
    }
    loop {
        // Wait for work.
        let oldest = loop {
            let front = b.queue.lock().records.front().map(|(_, at)| *at);
            if let Some(at) = front {
                break at;
            }
            tokio::select! {
                _ = b.queued.notified() => {}
                _ = stop.changed() => return,
            }
        };
        // Let a batch gather, unless one is already full.
        let delay = Duration::from_millis(b.settings.delay_ms);
        let due = oldest + delay;
        while b.queue.lock().records.len() < b.settings.batch_size && std::time::Instant::now() < due {
            let left = due.saturating_duration_since(std::time::Instant::now());
            tokio::select! {
                _ = tokio::time::sleep(left.min(Duration::from_millis(5))) => {}
                _ = stop.changed() => return,
            }
        }
        let (batch, taken) = take_batch(&b);
        let Some(cursor) = batch.cursor else { continue };
        let mut backoff = b.settings.retry_initial_ms;
        loop {
            match b.timed(b.store.write(batch.clone())).await {
                Ok(()) => break,
                Err(e) => {
                    b.stats.retries.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(
                        "write-behind batch of {} records failed ({e}); retrying in {backoff} ms",
                        batch.records.len()
                    );
                    if sleep_or_stop(Duration::from_millis(backoff), &mut stop).await {
                        return;
                    }
                    backoff = (backoff * 2).min(b.settings.retry_max_ms);
                }
            }
        }
        {
            let mut q = b.queue.lock();
            for _ in 0..taken {
                q.records.pop_front();
            }
            for r in &batch.records {
                if q.latest.get(&r.key[..]).is_some_and(|l| l.seq <= cursor) {
                    q.latest.remove(&r.key[..]);
                }
            }
        }
        b.journal.set_committed(cursor);
        b.stats.batches.fetch_add(1, Ordering::Relaxed);
        b.stats.written.fetch_add(batch.records.len() as u64, Ordering::Relaxed);
        b.stats
            .coalesced
            .fetch_add((taken - batch.records.len()) as u64, Ordering::Relaxed);
        metrics::counter!(crate::metrics::BACKING_BATCHES).increment(1);
        metrics::gauge!(crate::metrics::BACKING_PENDING).set(b.pending() as f64);
    }
}

/// The front of the queue, up to a batch, coalesced: the last record per
/// (table, key), in sequence order. Returns the batch and how many queued
/// records it covers.
fn take_batch(b: &Backing) -> (Batch, usize) {
    // Only the Arcs are taken under the lock; commands append meanwhile.
    let taken: Vec<Arc<Record>> = {
        let q = b.queue.lock();
        let n = q.records.len().min(b.settings.batch_size);
        q.records.iter().take(n).map(|(r, _)| r.clone()).collect()
    };
    let mut last: HashMap<(&str, &[u8]), usize> = HashMap::with_capacity(taken.len());
    for (i, r) in taken.iter().enumerate() {
        last.insert((r.table.as_str(), r.key.as_slice()), i);
    }
    let records: Vec<Record> = taken
        .iter()
        .enumerate()
        .filter(|(i, r)| last.get(&(r.table.as_str(), r.key.as_slice())) == Some(i))
        .map(|(_, r)| Record::clone(r))
        .collect();
    let cursor = taken.last().map(|r| r.seq);
    (Batch { records, cursor }, taken.len())
}

/// Sleeps `d`; true if asked to stop meanwhile.
async fn sleep_or_stop(d: Duration, stop: &mut tokio::sync::watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => *stop.borrow(),
        _ = stop.changed() => true,
    }
}
