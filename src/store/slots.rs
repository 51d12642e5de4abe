//! Slot-addressable operations on a [`Db`]: per-slot counts and listing
//! (`CLUSTER COUNTKEYSINSLOT` / `GETKEYSINSLOT`), and moving slot ranges
//! between stores: export, staged import with commit or abort, drop, and a
//! point-in-time image for snapshots. Streams use the framing of
//! [`super::codec`].
//!
//! The slot index costs no memory per key: a shard keeps a counter per slot
//! (1 KiB per shard) and places a slot's keys in known segments (see
//! [`super::shard`]). Counting is O(1). Listing a slot visits
//! `max(1, segments / 256)` segments: below 256 segments that one segment is
//! shared with the other slots `≡ slot (mod segments)`, about 16 keys on
//! average (all of the stripe's keys in the worst skew, at most 256 × 16
//! before the shard grows past 256 segments); from 256 segments on, the
//! segments visited hold that slot's keys only, but there are `segments /
//! 256` of them even when the slot is nearly empty. Skew through hash tags
//! (one slot holding most of a stripe) is accepted: the hot slot's segments
//! split as the shard grows, so no segment exceeds about 4096 keys, at the
//! price of `segments - segments / 256 × hot slots` mostly empty segments
//! (32 bytes each, about 2 bytes per key of the hot slot) and of `SCAN`,
//! `RANDOMKEY` and the expiry walk stepping over them.
//!
//! Invariants: staged keys (an import in progress) live in the database's
//! staging area, which no read, write, count, scan or sample looks at, until
//! [`Db::commit_import`] moves them into the live shards or
//! [`Db::abort_import`] drops them; an import only ever stages keys of the
//! range its stream declares. Live shards are locked in ascending order and
//! the staging lock after them.

use std::io::{self, Read, Write};
use std::ops::RangeInclusive;

use parking_lot::MutexGuard;

use super::codec::{self, StreamError, StreamReader, StreamWriter};
use super::db::{lru_clock, Db};
use super::effects::Effects;
use super::shard::{Entry, Shard, SLOTS_PER_SHARD};
use super::slot::{key_slot, SLOTS};
use super::types::Limits;

/// The range clipped to existing slots, as `usize` bounds; `None` if empty.
fn clip(range: &RangeInclusive<u16>) -> Option<(usize, usize)> {
    let (first, last) = (usize::from(*range.start()), usize::from(*range.end()).min(SLOTS - 1));
    (first <= last).then_some((first, last))
}

/// The shard indices covering slots `first..=last`.
fn shards_of(first: usize, last: usize) -> RangeInclusive<usize> {
    first / SLOTS_PER_SHARD..=last / SLOTS_PER_SHARD
}

/// The slots of shard `idx` within `first..=last`, as indices within the shard.
fn slots_in_shard(idx: usize, first: usize, last: usize) -> RangeInclusive<usize> {
    let base = idx * SLOTS_PER_SHARD;
    first.max(base) - base..=last.min(base + SLOTS_PER_SHARD - 1) - base
}

/// Writes the live entries of `first..=last` found in shard `idx`.
fn write_shard<W: Write>(
    shard: &Shard,
    idx: usize,
    (first, last): (usize, usize),
    now: u64,
    w: &mut StreamWriter<'_, W>,
) -> io::Result<()> {
    for sis in slots_in_shard(idx, first, last) {
        let mut result = Ok(());
        shard.for_slot(sis, |e| {
            if e.is_expired(now) {
                return true;
            }
            result = w.record(&e.key, e.expire_at, &e.value);
            result.is_ok()
        });
        result?;
    }
    Ok(())
}

impl Db {
    /// Number of keys in `slot`, counting expired keys not yet reclaimed
    /// (as `DBSIZE` and Redis's `CLUSTER COUNTKEYSINSLOT` do). O(1).
    pub fn count_in_slot(&self, slot: u16) -> usize {
        let slot = usize::from(slot);
        if slot >= SLOTS {
            return 0;
        }
        self.shards[slot / SLOTS_PER_SHARD]
            .lock()
            .slot_len(slot % SLOTS_PER_SHARD)
    }

    /// Up to `max` live keys of `slot` (`CLUSTER GETKEYSINSLOT`), in the
    /// shard's (seed-determined) order. Costs O(keys in the slot); see the
    /// module documentation for the skewed cases.
    pub fn keys_in_slot(&self, slot: u16, max: usize, now: u64) -> Vec<Vec<u8>> {
        let slot = usize::from(slot);
        let mut out = Vec::new();
        if slot >= SLOTS || max == 0 {
            return out;
        }
        let shard = self.shards[slot / SLOTS_PER_SHARD].lock();
        shard.for_slot(slot % SLOTS_PER_SHARD, |e| {
            if !e.is_expired(now) {
                out.push(e.key.to_vec());
            }
            out.len() < max
        });
        out
    }

    /// Streams every key of `range` live at `now` into `sink` as a slot
    /// stream ([`codec`]): key, absolute expiry, value payload. Locks one
    /// shard at a time, so each shard's part is consistent on its own but
    /// writes to other shards interleave (migration tolerates that; use
    /// [`Db::image_slots`] for a point-in-time copy). The sink receives
    /// chunks of about [`codec::STREAM_CHUNK`] bytes, some while the shard is
    /// locked; it must not call back into this database. Returns the number
    /// of keys written.
    pub fn export_slots<W: Write>(&self, range: RangeInclusive<u16>, now: u64, sink: &mut W) -> io::Result<u64> {
        let mut w = StreamWriter::new(sink, &range);
        if let Some(bounds) = clip(&range) {
            for idx in shards_of(bounds.0, bounds.1) {
                let shard = self.shards[idx].lock();
                write_shard(&shard, idx, bounds, now, &mut w)?;
            }
        }
        w.finish()
    }

    /// A point-in-time image of `range` for snapshots, in the export stream
    /// format: every key live at `now`, as of one instant.
    ///
    /// Consistency: all shards covering the range are locked (in ascending
    /// order) before the first key is written and released after the
    /// trailer, so the image is atomic: no write to the range is half in it.
    /// Cost: writes and reads of those shards wait for the whole encode (and
    /// for the sink, which must not call back into this database): measured
    /// at about 0.25 s per million small string keys in a release build
    /// (`image_of_a_million_keys`, ignored by default). Memory: no copy of
    /// the data, only one chunk of [`codec::STREAM_CHUNK`] bytes and one
    /// value's payload at a time. Returns the number of keys written.
    pub fn image_slots<W: Write>(&self, range: RangeInclusive<u16>, now: u64, sink: &mut W) -> io::Result<u64> {
        let mut w = StreamWriter::new(sink, &range);
        if let Some(bounds) = clip(&range) {
            let guards: Vec<(usize, MutexGuard<'_, Shard>)> = shards_of(bounds.0, bounds.1)
                .map(|idx| (idx, self.shards[idx].lock()))
                .collect();
            for (idx, shard) in &guards {
                write_shard(shard, *idx, bounds, now, &mut w)?;
            }
        }
        w.finish()
    }

    /// Reads a slot stream from `src` into this database's staging area,
    /// where no read sees it; returns the number of keys staged. Values are
    /// rebuilt with `limits`' thresholds and this database's hash seed.
    /// Staged keys replace staged keys of the same name.
    ///
    /// A bad header, record, payload, slot (outside the header's range) or
    /// trailer returns an error; what was staged before it stays staged
    /// (only keys of the header's range), and the caller drops it with
    /// [`Db::abort_import`]. Never panics on any input.
    pub fn import(&self, src: impl Read, now: u64, limits: &Limits) -> Result<u64, StreamError> {
        let limits = Limits {
            hash_seed: self.seed,
            ..*limits
        };
        let mut r = StreamReader::new(src)?;
        let range = r.range();
        let mut n = 0;
        while let Some(rec) = r.next()? {
            let slot = key_slot(&rec.key);
            if !range.contains(&slot) {
                return Err(StreamError::SlotOutOfRange(slot));
            }
            let value = codec::decode(&rec.payload, &limits).map_err(StreamError::Payload)?;
            let (idx, hash) = self.locate(&rec.key);
            let entry = Entry {
                key: rec.key.into_boxed_slice().into(),
                value,
                expire_at: rec.expire_at,
                access: lru_clock(now),
                hash,
            };
            let mut staging = self.staging.lock();
            let side = staging.hasher().clone();
            staging
                .entry(idx)
                .or_insert_with(|| Shard::with_side_hasher(side))
                .insert(entry);
            n += 1;
        }
        Ok(n)
    }

    /// Number of staged keys (imports not yet committed or aborted).
    pub fn staged_len(&self) -> usize {
        self.staging.lock().values().map(Shard::len).sum()
    }

    /// Moves the staged keys of `range` into the live database, replacing
    /// keys of the same name, and records a `restore` write for each (so
    /// `WATCH`, notifications and tracking see them). Returns the count.
    pub fn commit_import(&self, range: RangeInclusive<u16>, fx: &mut Effects) -> usize {
        let Some((first, last)) = clip(&range) else {
            return 0;
        };
        let mut moved = 0;
        for idx in shards_of(first, last) {
            let mut live = self.shards[idx].lock();
            let mut staging = self.staging.lock();
            let Some(staged) = staging.get_mut(&idx) else {
                continue;
            };
            for sis in slots_in_shard(idx, first, last) {
                staged.drain_slot(sis, |e| {
                    fx.written(self.index, &e.key, "restore");
                    live.insert_boxed(e);
                    moved += 1;
                });
            }
            if staged.is_empty() {
                staging.remove(&idx);
            }
        }
        moved
    }

    /// Discards the staged keys of `range`; returns how many.
    pub fn abort_import(&self, range: RangeInclusive<u16>) -> usize {
        let Some((first, last)) = clip(&range) else {
            return 0;
        };
        let mut dropped = 0;
        let mut staging = self.staging.lock();
        for idx in shards_of(first, last) {
            let Some(staged) = staging.get_mut(&idx) else {
                continue;
            };
            for sis in slots_in_shard(idx, first, last) {
                staged.drain_slot(sis, |_| dropped += 1);
            }
            if staged.is_empty() {
                staging.remove(&idx);
            }
        }
        dropped
    }

    /// Removes every live key of `range` (expired ones not yet reclaimed
    /// too), recording a `del` deletion for each; returns the count. Other
    /// slots and staged imports are untouched. One shard locked at a time.
    pub fn drop_slots(&self, range: RangeInclusive<u16>, fx: &mut Effects) -> usize {
        let Some((first, last)) = clip(&range) else {
            return 0;
        };
        let mut removed = 0;
        for idx in shards_of(first, last) {
            let mut shard = self.shards[idx].lock();
            for sis in slots_in_shard(idx, first, last) {
                shard.drain_slot(sis, |e| {
                    fx.deleted(self.index, &e.key, "del");
                    removed += 1;
                });
            }
        }
        removed
    }
}
