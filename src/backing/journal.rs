//! The write-behind journal: an append-only file under `dir`
//! (`shoal-backing.journal`) that holds every write-behind record until the
//! database has it.
//!
//! Records are appended to an in-memory buffer under the caller's lock
//! (cheap). Under `everysec` and `no` the first client that waits for its
//! record writes the whole buffer itself (group commit with no thread
//! hand-off); under `always` a journal thread writes and fsyncs each batch,
//! off the server's threads. The thread also writes records nobody waits
//! for, fsyncs every second, and empties the file. With
//! `backing-appendfsync always` each batch is fsynced before it counts as
//! durable; with `everysec` a batch is durable once written (it survives a
//! crash of Shoal; the file is fsynced every second, so a power loss loses
//! at most that second, as Redis's AOF `everysec`); `no` leaves fsync to the
//! kernel. A client's write is acknowledged once [`Journal::wait_durable`]
//! has seen its sequence.
//!
//! Frame: `len u32 LE | crc32 u32 LE | postcard(Record)`. A torn or corrupt
//! tail (a crash mid-write) ends the replay and is cut off. Once the
//! database has committed everything the file holds, the file is emptied.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};
use tokio::sync::watch;

use super::{BackingError, Record};

/// When the journal fsyncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fsync {
    /// Every batch, before it counts as durable.
    Always,
    /// Once a second.
    EverySec,
    /// Never (the kernel decides).
    No,
}

impl Fsync {
    /// Parses `always`, `everysec` or `no`.
    pub fn parse(s: &str) -> Option<Fsync> {
        match s {
            "always" => Some(Fsync::Always),
            "everysec" => Some(Fsync::EverySec),
            "no" => Some(Fsync::No),
            _ => None,
        }
    }
}

#[derive(Default)]
struct Pending {
    buf: Vec<u8>,
    last_seq: u64,
    stop: bool,
}

/// The journal.
pub struct Journal {
    path: PathBuf,
    pending: Mutex<Pending>,
    wake: Condvar,
    durable: watch::Sender<u64>,
    /// The last sequence the database committed (the file may be emptied
    /// once everything written is at or below it).
    committed: AtomicU64,
    /// Set when a write to the file failed; waiting clients are then
    /// disconnected rather than acknowledged.
    failed: AtomicBool,
    /// Bytes currently in the file.
    size: AtomicU64,
    fsync: Fsync,
    /// The file, with the last sequence written to it and whether it has
    /// unsynced writes. Whoever holds it writes the whole pending buffer.
    file: Mutex<FileState>,
}

struct FileState {
    file: File,
    written: u64,
    dirty: bool,
}

/// The file name under `dir`.
pub const FILE_NAME: &str = "shoal-backing.journal";

/// Encodes one record as a frame.
pub fn encode(record: &Record, out: &mut Vec<u8>) {
    let body = postcard::to_allocvec(record).unwrap_or_default();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
}

/// Reads every whole record of `bytes`; returns them and the length of the
/// valid prefix.
pub fn decode_all(bytes: &[u8]) -> (Vec<Record>, usize) {
    let mut out = Vec::new();
    let mut at = 0;
    while bytes.len() - at >= 8 {
        let len = u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let crc = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
        let Some(body) = bytes.get(at + 8..at + 8 + len) else {
            break;
        };
        if crc32fast::hash(body) != crc {
            break;
        }
        let Ok(rec) = postcard::from_bytes::<Record>(body) else {
            break;
        };
        out.push(rec);
        at += 8 + len;
    }
    (out, at)
}

impl Journal {
    /// Opens the journal in `dir`, returning it with the records it still
    /// holds (a torn tail is cut off), and starts its writer thread.
    pub fn open(dir: &Path, fsync: Fsync) -> Result<(Arc<Journal>, Vec<Record>), BackingError> {
        let jerr = |e: std::io::Error| BackingError::Journal(e.to_string());
        std::fs::create_dir_all(dir).map_err(jerr)?;
        let path = dir.join(FILE_NAME);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(jerr)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(jerr)?;
        let (records, valid) = decode_all(&bytes);
        if valid < bytes.len() {
            tracing::warn!(
                "backing journal: cut {} bytes of a torn or corrupt tail",
                bytes.len() - valid
            );
            file.set_len(valid as u64).map_err(jerr)?;
            file.sync_all().map_err(jerr)?;
        }
        file.seek(SeekFrom::Start(valid as u64)).map_err(jerr)?;
        let last = records.iter().map(|r| r.seq).max().unwrap_or(0);
        let (durable, _) = watch::channel(last);
        let journal = Arc::new(Journal {
            path,
            pending: Mutex::new(Pending::default()),
            wake: Condvar::new(),
            durable,
            committed: AtomicU64::new(0),
            failed: AtomicBool::new(false),
            size: AtomicU64::new(valid as u64),
            fsync,
            file: Mutex::new(FileState {
                file,
                written: last,
                dirty: false,
            }),
        });
        let j = journal.clone();
        std::thread::Builder::new()
            .name("shoal-journal".into())
            .spawn(move || j.run())
            .map_err(jerr)?;
        Ok((journal, records))
    }

    /// Appends an encoded record with sequence `seq` (sequences must
    /// increase; the caller serializes appends).
    pub fn push(&self, frame: &[u8], seq: u64) {
        let mut p = self.pending.lock();
        let idle = p.buf.is_empty();
        p.buf.extend_from_slice(frame);
        p.last_seq = seq;
        drop(p);
        // The thread looks again as soon as it finishes a write, so only a
        // first record after it went idle needs to wake it: under load one
        // write carries everything that queued meanwhile (group commit).
        // Under `everysec`/`no` the waiting client writes it itself
        // (`write_now`); records nobody waits for (expiry deletions) are
        // picked up by the thread's next turn, within 250 ms.
        if idle && self.fsync == Fsync::Always {
            self.wake.notify_one();
        }
    }

    /// The last sequence that is durable.
    pub fn durable(&self) -> u64 {
        *self.durable.borrow()
    }

    /// Waits until `seq` is durable. Errs if the journal cannot be written.
    pub async fn wait_durable(&self, seq: u64) -> Result<(), BackingError> {
        if *self.durable.borrow() >= seq {
            return Ok(());
        }
        self.write_now();
        if *self.durable.borrow() >= seq {
            return Ok(());
        }
        let mut rx = self.durable.subscribe();
        loop {
            if *rx.borrow_and_update() >= seq {
                return Ok(());
            }
            if self.failed.load(Ordering::Acquire) {
                return Err(BackingError::Journal("the journal cannot be written".into()));
            }
            // Woken by every written batch, and by a failure (which
            // re-sends the same value).
            if rx.changed().await.is_err() {
                return Err(BackingError::Journal("the journal stopped".into()));
            }
        }
    }

    /// Records that the database has committed everything up to `seq`.
    pub fn set_committed(&self, seq: u64) {
        self.committed.fetch_max(seq, Ordering::AcqRel);
        self.wake.notify_one();
    }

    /// Bytes in the file.
    pub fn file_size(&self) -> u64 {
        self.size.load(Ordering::Relaxed)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes what is buffered and stops the thread.
    pub fn stop(&self) {
        self.pending.lock().stop = true;
        self.wake.notify_one();
    }

    /// Writes everything pending to the file (and fsyncs it under
    /// `always`), then publishes it as durable. Called by a client waiting
    /// for its write under `everysec`/`no` (one write carries every client's
    /// records: group commit, with no hand-off to another thread), and by
    /// the journal thread.
    fn write_pending(&self) {
        let mut f = self.file.lock();
        let (buf, last) = {
            let mut p = self.pending.lock();
            (std::mem::take(&mut p.buf), p.last_seq)
        };
        if buf.is_empty() {
            return;
        }
        let file = &mut f.file;
        let ok = file.write_all(&buf).and_then(|()| {
            if self.fsync == Fsync::Always {
                file.sync_data()
            } else {
                Ok(())
            }
        });
        match ok {
            Ok(()) => {
                self.size.fetch_add(buf.len() as u64, Ordering::Relaxed);
                f.written = last;
                f.dirty = self.fsync == Fsync::EverySec;
                self.failed.store(false, Ordering::Release);
                self.durable.send_replace(last);
            }
            Err(e) => {
                tracing::error!("backing journal write failed: {e}");
                self.failed.store(true, Ordering::Release);
                // Keep the records: put them back in front, for a retry.
                let mut p = self.pending.lock();
                let mut again = buf;
                again.extend_from_slice(&p.buf);
                p.buf = again;
                drop(p);
                // Wake the waiters so that they see the failure.
                self.durable.send_modify(|_| {});
            }
        }
    }

    /// Writes pending records now, on the caller's thread, unless every
    /// write must be fsynced (then the journal thread does it, off the
    /// server's threads).
    pub fn write_now(&self) {
        if self.fsync != Fsync::Always {
            self.write_pending();
        }
    }

    fn run(self: Arc<Self>) {
        let mut last_sync = Instant::now();
        loop {
            let stop = {
                let mut p = self.pending.lock();
                if p.buf.is_empty() && !p.stop {
                    self.wake.wait_for(&mut p, Duration::from_millis(250));
                }
                p.stop
            };
            self.write_pending();
            if self.failed.load(Ordering::Acquire) && !stop {
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
            let mut f = self.file.lock();
            if f.dirty && last_sync.elapsed() >= Duration::from_secs(1) {
                let _ = f.file.sync_data();
                f.dirty = false;
                last_sync = Instant::now();
            }
            // Everything in the file is in the database: start it afresh.
            let size = self.size.load(Ordering::Relaxed);
            let written = f.written;
            if size > 0
                && self.committed.load(Ordering::Acquire) >= written
                && f.file.set_len(0).and_then(|()| f.file.seek(SeekFrom::Start(0))).is_ok()
            {
                self.size.store(0, Ordering::Relaxed);
            }
            if stop {
                let _ = f.file.sync_data();
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backing::Op;

    #[test]
    fn a_torn_tail_ends_the_replay() {
        let mut bytes = Vec::new();
        for seq in 1..=3 {
            encode(
                &Record {
                    seq,
                    table: "t".into(),
                    key: b"k".to_vec(),
                    op: Op::Delete,
                    at_ms: 0,
                },
                &mut bytes,
            );
        }
        let whole = bytes.len();
        let (recs, valid) = decode_all(&bytes[..whole - 3]);
        assert_eq!(recs.len(), 2);
        assert!(valid < whole);
        let mut corrupt = bytes.clone();
        corrupt[whole - 1] ^= 0xff;
        assert_eq!(decode_all(&corrupt).0.len(), 2);
        assert_eq!(decode_all(&bytes).0.len(), 3);
    }
}
