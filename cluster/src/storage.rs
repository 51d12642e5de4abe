//! Raft log storage: an in-memory `raft::Storage` per group, and the per-process durable log.
//!
//! Invariants:
//! - `GroupStorage` holds the latest snapshot (metadata and the state machine's bytes) and every
//!   entry after it: `entries[i].index == snapshot.index + 1 + i`.
//! - The durable log is one append-only file per process (`raft.log`). Each drive appends every
//!   group's new entries, hard states and snapshot marks as checksummed records and fsyncs
//!   once. Replay stops at the first torn or corrupt record and truncates the file there (a
//!   torn tail is a write that was never acknowledged).
//! - A snapshot file (`group-<id>.snap`) is written to a temporary name, fsynced and renamed
//!   before the log that still holds the entries it covers is rewritten without them, so a
//!   crash at any point leaves either the old or the new state, never a gap (Redis-Raft #43).
//! - A snapshot installed from the leader replaces the whole log of its group. The log records
//!   that as a `Snapshot` mark; if a crash hits after the snapshot file but before the mark,
//!   replay sees a received snapshot newer than the last mark and drops the group's older
//!   entries.
//! - In `memory` mode entries never reach the disk; only hard states do (fsynced when term or
//!   vote change). Such a process restarting finds a hard state without a log and must rejoin
//!   as a new peer: `open` answers `ClusterError::LogLost`.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use parking_lot::Mutex;
use protobuf::Message as _;
use raft::eraftpb::{ConfState, Entry, HardState, Snapshot, SnapshotMetadata};
use raft::{GetEntriesContext, RaftState, StorageError};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::ClusterError;
use crate::GroupId;

/// The durability of the raft log (`cluster-durability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Log and hard state fsynced before a `Ready` is advanced; snapshots on disk.
    Durable,
    /// Log in RAM, hard state fsynced; a restarted process must rejoin as a new peer.
    Memory,
}

/// The in-memory raft storage of one group.
#[derive(Debug, Default)]
pub struct GroupStorage {
    hard_state: HardState,
    conf_state: ConfState,
    snapshot: Snapshot,
    entries: Vec<Entry>,
    snapshot_wanted: Cell<bool>,
    /// The held snapshot is the bootstrap pseudo-snapshot (no state machine image).
    bootstrap: bool,
}

/// Where the log of a group's initial members starts: bootstrap is modelled as a snapshot at
/// (INIT_INDEX, INIT_TERM) holding the initial configuration and an empty state, as TiKV does.
/// A replica that joins later starts at index 0, so the leader must send it a real snapshot
/// (which carries the configuration) instead of replaying a log that lacks the bootstrap.
pub const INIT_INDEX: u64 = 5;
/// The term of the bootstrap pseudo-snapshot.
pub const INIT_TERM: u64 = 5;

impl GroupStorage {
    /// A fresh storage of an initial member: the bootstrap configuration at `INIT_INDEX`.
    pub fn new(conf_state: ConfState) -> Self {
        let mut snapshot = Snapshot::default();
        let m = snapshot.mut_metadata();
        m.index = INIT_INDEX;
        m.term = INIT_TERM;
        m.set_conf_state(conf_state.clone());
        GroupStorage {
            hard_state: HardState {
                term: INIT_TERM,
                commit: INIT_INDEX,
                ..Default::default()
            },
            conf_state,
            snapshot,
            bootstrap: true,
            ..Default::default()
        }
    }

    /// A fresh storage of a replica joining an existing group: empty until the leader's
    /// snapshot arrives.
    pub fn joining() -> Self {
        GroupStorage::default()
    }

    fn snap_index(&self) -> u64 {
        self.snapshot.get_metadata().index
    }

    /// First index held in `entries` (snapshot index + 1).
    pub fn first(&self) -> u64 {
        self.snap_index() + 1
    }

    /// Last index of the log (the snapshot index when no entries follow it).
    pub fn last(&self) -> u64 {
        self.snap_index() + self.entries.len() as u64
    }

    /// The hard state as last set.
    pub fn hard_state(&self) -> &HardState {
        &self.hard_state
    }

    /// The configuration at the applied index.
    pub fn conf_state(&self) -> &ConfState {
        &self.conf_state
    }

    /// The latest snapshot (index 0 if none).
    pub fn latest_snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Entries after the snapshot.
    pub fn entries_after_snapshot(&self) -> &[Entry] {
        &self.entries
    }

    /// Whether the held snapshot is the bootstrap pseudo-snapshot.
    pub fn is_bootstrap(&self) -> bool {
        self.bootstrap
    }

    /// Whether raft asked for a snapshot newer than the one held (and clears the request).
    pub fn take_snapshot_wanted(&self) -> bool {
        self.snapshot_wanted.replace(false)
    }

    /// Sets the hard state.
    pub fn set_hard_state(&mut self, hs: HardState) {
        self.hard_state = hs;
    }

    /// Records a newer commit index.
    pub fn set_commit(&mut self, commit: u64) {
        self.hard_state.commit = commit;
    }

    /// Sets the configuration after a conf change applied.
    pub fn set_conf_state(&mut self, cs: ConfState) {
        self.conf_state = cs;
    }

    /// Appends entries, dropping every held entry at or after the first new index (raft's
    /// truncation of a conflicting suffix). Entries at or before the snapshot are ignored.
    pub fn append(&mut self, ents: &[Entry]) -> Result<(), ClusterError> {
        let Some(first_new) = ents.first().map(|e| e.index) else {
            return Ok(());
        };
        let skip = self.first().saturating_sub(first_new) as usize;
        let ents = ents.get(skip..).unwrap_or_default();
        let Some(first_new) = ents.first().map(|e| e.index) else {
            return Ok(());
        };
        if first_new > self.last() + 1 {
            return Err(ClusterError::Corrupt {
                what: "raft log".into(),
                detail: format!("gap: last {} then {}", self.last(), first_new),
            });
        }
        self.entries.truncate((first_new - self.first()) as usize);
        self.entries.extend_from_slice(ents);
        Ok(())
    }

    /// Installs a snapshot received from the leader: the whole log is replaced.
    pub fn apply_snapshot(&mut self, snap: Snapshot) {
        let meta = snap.get_metadata();
        self.hard_state.term = self.hard_state.term.max(meta.term);
        self.hard_state.commit = self.hard_state.commit.max(meta.index);
        self.conf_state = meta.get_conf_state().clone();
        self.entries.clear();
        self.snapshot = snap;
        self.bootstrap = false;
    }

    /// Keeps a snapshot taken locally at an applied index and drops the entries it covers.
    pub fn compact_to(&mut self, snap: Snapshot) {
        let index = snap.get_metadata().index;
        if index <= self.snap_index() {
            return;
        }
        let drop = ((index - self.snap_index()) as usize).min(self.entries.len());
        self.entries.drain(..drop);
        self.snapshot = snap;
        self.bootstrap = false;
    }
}

impl raft::Storage for GroupStorage {
    fn initial_state(&self) -> raft::Result<RaftState> {
        Ok(RaftState::new(self.hard_state.clone(), self.conf_state.clone()))
    }

    fn entries(
        &self,
        low: u64,
        high: u64,
        max_size: impl Into<Option<u64>>,
        _context: GetEntriesContext,
    ) -> raft::Result<Vec<Entry>> {
        if low < self.first() {
            return Err(raft::Error::Store(StorageError::Compacted));
        }
        if high > self.last() + 1 || low > high {
            return Err(raft::Error::Store(StorageError::Unavailable));
        }
        let lo = (low - self.first()) as usize;
        let hi = (high - self.first()) as usize;
        let mut ents = self.entries[lo..hi].to_vec();
        raft::util::limit_size(&mut ents, max_size.into());
        Ok(ents)
    }

    fn term(&self, idx: u64) -> raft::Result<u64> {
        if idx == self.snap_index() {
            return Ok(self.snapshot.get_metadata().term);
        }
        if idx < self.first() {
            return Err(raft::Error::Store(StorageError::Compacted));
        }
        if idx > self.last() {
            return Err(raft::Error::Store(StorageError::Unavailable));
        }
        Ok(self.entries[(idx - self.first()) as usize].term)
    }

    fn first_index(&self) -> raft::Result<u64> {
        Ok(self.first())
    }

    fn last_index(&self) -> raft::Result<u64> {
        Ok(self.last())
    }

    fn snapshot(&self, request_index: u64, to: u64) -> raft::Result<Snapshot> {
        let index = self.snap_index();
        // A snapshot cut before `to` joined does not name it: raft-rs on `to` would refuse to
        // restore it, and the leader would resend it forever. Cut a fresh one (found by the
        // simulator: a replica added after the last periodic snapshot never caught up).
        let cs = self.snapshot.get_metadata().get_conf_state();
        let names_to = cs
            .voters
            .iter()
            .chain(&cs.learners)
            .chain(&cs.voters_outgoing)
            .chain(&cs.learners_next)
            .any(|p| *p == to);
        if index == 0 || self.bootstrap || index < request_index || !names_to {
            // The node cuts a fresh snapshot in its next drive; raft asks again later.
            self.snapshot_wanted.set(true);
            return Err(raft::Error::Store(StorageError::SnapshotTemporarilyUnavailable));
        }
        Ok(self.snapshot.clone())
    }
}

/// A simulated disk: files whose unsynced tails a crash may tear off. Shared between a
/// simulated process and the simulator, which outlives the process's crashes.
#[derive(Debug, Clone, Default)]
pub struct SimDisk {
    files: Arc<Mutex<BTreeMap<String, SimFile>>>,
}

#[derive(Debug, Clone, Default)]
struct SimFile {
    data: Vec<u8>,
    synced: usize,
}

impl SimDisk {
    /// An empty disk.
    pub fn new() -> Self {
        SimDisk::default()
    }

    /// A crash: each file keeps its synced bytes plus a random prefix of the unsynced tail.
    pub fn crash(&self, rng: &mut impl Rng) {
        for f in self.files.lock().values_mut() {
            let unsynced = f.data.len() - f.synced;
            let keep = if unsynced == 0 {
                0
            } else {
                rng.random_range(0..=unsynced)
            };
            f.data.truncate(f.synced + keep);
            f.synced = f.data.len();
        }
    }

    /// Total bytes stored (for tests).
    pub fn total_bytes(&self) -> usize {
        self.files.lock().values().map(|f| f.data.len()).sum()
    }
}

/// Where durable state lives: a directory, or a simulated disk.
#[derive(Debug, Clone)]
pub enum Disk {
    /// A real directory (`cluster-dir`).
    Dir(PathBuf),
    /// A simulated disk for deterministic tests.
    Sim(SimDisk),
}

impl Disk {
    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, ClusterError> {
        match self {
            Disk::Dir(dir) => match File::open(dir.join(name)) {
                Ok(mut f) => {
                    let mut buf = Vec::new();
                    f.read_to_end(&mut buf)?;
                    Ok(Some(buf))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e.into()),
            },
            Disk::Sim(d) => Ok(d.files.lock().get(name).map(|f| f.data.clone())),
        }
    }

    /// The groups that have a snapshot file.
    fn snapshot_groups(&self) -> Result<Vec<GroupId>, ClusterError> {
        let parse = |name: &str| {
            name.strip_prefix("group-")
                .and_then(|r| r.strip_suffix(".snap"))
                .and_then(|id| id.parse::<u64>().ok())
                .map(GroupId)
        };
        match self {
            Disk::Dir(dir) => {
                let mut out = Vec::new();
                for entry in std::fs::read_dir(dir)? {
                    if let Some(g) = entry?.file_name().to_str().and_then(parse) {
                        out.push(g);
                    }
                }
                Ok(out)
            }
            Disk::Sim(d) => Ok(d.files.lock().keys().filter_map(|k| parse(k)).collect()),
        }
    }

    /// Writes a whole file atomically: temporary name, fsync, rename, fsync of the directory.
    fn write_atomic(&self, name: &str, bytes: &[u8]) -> Result<(), ClusterError> {
        match self {
            Disk::Dir(dir) => {
                let tmp = dir.join(format!("{name}.tmp"));
                let mut f = File::create(&tmp)?;
                f.write_all(bytes)?;
                f.sync_all()?;
                std::fs::rename(&tmp, dir.join(name))?;
                File::open(dir)?.sync_all()?;
                Ok(())
            }
            Disk::Sim(d) => {
                d.files.lock().insert(
                    name.to_string(),
                    SimFile {
                        data: bytes.to_vec(),
                        synced: bytes.len(),
                    },
                );
                Ok(())
            }
        }
    }

    fn truncate(&self, name: &str, len: usize) -> Result<(), ClusterError> {
        match self {
            Disk::Dir(dir) => {
                let f = OpenOptions::new().write(true).open(dir.join(name))?;
                f.set_len(len as u64)?;
                f.sync_all()?;
                Ok(())
            }
            Disk::Sim(d) => {
                if let Some(f) = d.files.lock().get_mut(name) {
                    f.data.truncate(len);
                    f.synced = f.synced.min(len);
                }
                Ok(())
            }
        }
    }
}

const LOG_NAME: &str = "raft.log";

fn snap_name(group: GroupId) -> String {
    format!("group-{}.snap", group.0)
}

/// One record of the durable log.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Record {
    /// Entries (protobuf bytes each) appended to a group's log, truncating any suffix at or
    /// after the first one's index.
    Entries { group: u64, entries: Vec<Vec<u8>> },
    /// A group's hard state.
    HardState {
        group: u64,
        term: u64,
        vote: u64,
        commit: u64,
    },
    /// The group's log was replaced by a snapshot at (index, term).
    Snapshot { group: u64, index: u64, term: u64 },
}

/// A snapshot as stored in its file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SnapshotFile {
    index: u64,
    term: u64,
    conf_state: Vec<u8>,
    received: bool,
    data: Vec<u8>,
}

fn encode_record(out: &mut Vec<u8>, r: &Record) -> Result<(), ClusterError> {
    let payload = postcard::to_stdvec(r)?;
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    Ok(())
}

/// Splits a log file into records; returns them and the length of the valid prefix.
fn decode_records(bytes: &[u8]) -> (Vec<Record>, usize) {
    let mut out = Vec::new();
    let mut pos = 0;
    while bytes.len() - pos >= 8 {
        let len = u32::from_le_bytes([bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]]) as usize;
        let crc = u32::from_le_bytes([bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]]);
        let Some(payload) = bytes.get(pos + 8..pos + 8 + len) else {
            break;
        };
        if crc32fast::hash(payload) != crc {
            break;
        }
        let Ok(rec) = postcard::from_bytes::<Record>(payload) else {
            break;
        };
        out.push(rec);
        pos += 8 + len;
    }
    (out, pos)
}

/// What replay found for one group.
#[derive(Debug, Default)]
pub struct Recovered {
    /// The hard state to start from.
    pub hard_state: HardState,
    /// The snapshot to restore (index 0 if none) — its data is the state machine's bytes.
    pub snapshot: Snapshot,
    /// Entries after the snapshot.
    pub entries: Vec<Entry>,
    /// Whether anything at all was found for this group.
    pub found: bool,
}

/// The per-process durable log plus snapshot files.
#[derive(Debug)]
pub struct DurableLog {
    disk: Disk,
    mode: Durability,
    file: Option<File>,
    pending: Vec<u8>,
    must_sync: bool,
    log_len: usize,
    /// Memory mode: the (term, vote) last written per group, so only changes hit the disk.
    votes: BTreeMap<GroupId, (u64, u64)>,
}

impl DurableLog {
    /// Opens (creating if needed) the log on `disk`, replays it and the snapshot files, and
    /// returns what each group recovered: the groups named in `groups` plus every group found
    /// in the log or in a snapshot file (groups created after bootstrap).
    pub fn open(
        disk: Disk,
        mode: Durability,
        groups: &[GroupId],
    ) -> Result<(DurableLog, BTreeMap<GroupId, Recovered>), ClusterError> {
        if let Disk::Dir(dir) = &disk {
            std::fs::create_dir_all(dir)?;
        }
        let bytes = disk.read(LOG_NAME)?.unwrap_or_default();
        let (records, valid) = decode_records(&bytes);
        if valid < bytes.len() {
            tracing::warn!(
                torn = bytes.len() - valid,
                "durable log: dropping a torn or corrupt tail"
            );
            disk.truncate(LOG_NAME, valid)?;
        }
        let mut out: BTreeMap<GroupId, Recovered> = BTreeMap::new();
        let mut marks: BTreeMap<GroupId, u64> = BTreeMap::new();
        for &g in groups {
            out.insert(g, Recovered::default());
        }
        for rec in records {
            match rec {
                Record::Entries { group, entries } => {
                    let r = out.entry(GroupId(group)).or_default();
                    r.found = true;
                    for raw in entries {
                        let e = Entry::parse_from_bytes(&raw)?;
                        let base = r.snapshot.get_metadata().index;
                        if e.index <= base {
                            continue;
                        }
                        // A log without a snapshot mark starts after the bootstrap index.
                        let start = r.entries.first().map_or(e.index, |f| f.index);
                        let pos = e.index.saturating_sub(start) as usize;
                        if e.index < start || pos > r.entries.len() {
                            return Err(ClusterError::Corrupt {
                                what: LOG_NAME.into(),
                                detail: format!("group {group}: gap before index {}", e.index),
                            });
                        }
                        r.entries.truncate(pos);
                        r.entries.push(e);
                    }
                }
                Record::HardState {
                    group,
                    term,
                    vote,
                    commit,
                } => {
                    let r = out.entry(GroupId(group)).or_default();
                    r.found = true;
                    r.hard_state.term = term;
                    r.hard_state.vote = vote;
                    r.hard_state.commit = commit;
                }
                Record::Snapshot { group, index, term } => {
                    let r = out.entry(GroupId(group)).or_default();
                    r.found = true;
                    r.entries.clear();
                    r.snapshot.set_metadata(SnapshotMetadata {
                        index,
                        term,
                        ..Default::default()
                    });
                    marks.insert(GroupId(group), index);
                }
            }
        }
        for g in disk.snapshot_groups()? {
            out.entry(g).or_default();
        }
        for (&g, r) in out.iter_mut() {
            let Some(raw) = disk.read(&snap_name(g))? else {
                // A mark without its file cannot be: the file is synced before the mark.
                if r.snapshot.get_metadata().index > 0 {
                    return Err(ClusterError::Corrupt {
                        what: snap_name(g),
                        detail: "log marks a snapshot whose file is missing".into(),
                    });
                }
                continue;
            };
            let file = decode_snapshot_file(&raw).ok_or_else(|| ClusterError::Corrupt {
                what: snap_name(g),
                detail: "bad checksum or encoding".into(),
            })?;
            r.found = true;
            let mark = marks.get(&g).copied().unwrap_or(0);
            if file.index < mark {
                return Err(ClusterError::Corrupt {
                    what: snap_name(g),
                    detail: format!("file at {} older than log mark {mark}", file.index),
                });
            }
            if file.received && file.index > mark {
                // Crashed after installing a received snapshot but before its mark: every
                // entry in the log predates it.
                r.entries.clear();
            } else {
                let drop = r.entries.iter().take_while(|e| e.index <= file.index).count();
                r.entries.drain(..drop);
                if let Some(first) = r.entries.first() {
                    if first.index != file.index + 1 {
                        r.entries.clear();
                    }
                }
            }
            r.snapshot.set_metadata(SnapshotMetadata {
                index: file.index,
                term: file.term,
                conf_state: Some(ConfState::parse_from_bytes(&file.conf_state)?).into(),
                ..Default::default()
            });
            r.snapshot.data = file.data.into();
            r.hard_state.commit = r.hard_state.commit.max(file.index);
            r.hard_state.term = r.hard_state.term.max(file.term);
        }
        if mode == Durability::Memory && out.values().any(|r| r.found && r.hard_state.term > 0) {
            return Err(ClusterError::LogLost);
        }
        let file = match &disk {
            Disk::Dir(dir) => Some(OpenOptions::new().create(true).append(true).open(dir.join(LOG_NAME))?),
            Disk::Sim(_) => None,
        };
        let log = DurableLog {
            disk,
            mode,
            file,
            pending: Vec::new(),
            must_sync: false,
            log_len: valid,
            votes: BTreeMap::new(),
        };
        Ok((log, out))
    }

    /// The durability mode.
    pub fn mode(&self) -> Durability {
        self.mode
    }

    /// Bytes in the log file (for the compaction trigger).
    pub fn len(&self) -> usize {
        self.log_len
    }

    /// Whether the log file is empty.
    pub fn is_empty(&self) -> bool {
        self.log_len == 0
    }

    /// Stages a group's new entries (no-op in memory mode).
    pub fn stage_entries(&mut self, group: GroupId, ents: &[Entry]) -> Result<(), ClusterError> {
        if ents.is_empty() || self.mode == Durability::Memory {
            return Ok(());
        }
        let entries = ents.iter().map(|e| e.write_to_bytes()).collect::<Result<Vec<_>, _>>()?;
        encode_record(
            &mut self.pending,
            &Record::Entries {
                group: group.0,
                entries,
            },
        )?;
        self.must_sync = true;
        Ok(())
    }

    /// Stages a group's hard state. In memory mode only a change of term or vote is written
    /// (commit moves are not worth an fsync there); in durable mode everything staged is.
    pub fn stage_hard_state(&mut self, group: GroupId, hs: &HardState) -> Result<(), ClusterError> {
        if self.mode == Durability::Memory {
            let vote = (hs.term, hs.vote);
            if self.votes.get(&group) == Some(&vote) {
                return Ok(());
            }
            self.votes.insert(group, vote);
        }
        encode_record(
            &mut self.pending,
            &Record::HardState {
                group: group.0,
                term: hs.term,
                vote: hs.vote,
                commit: hs.commit,
            },
        )?;
        self.must_sync = true;
        Ok(())
    }

    /// Writes a snapshot installed from the leader (file first, synced), and stages its mark.
    pub fn install_snapshot(&mut self, group: GroupId, snap: &Snapshot) -> Result<(), ClusterError> {
        if self.mode == Durability::Memory {
            return Ok(());
        }
        self.write_snapshot_file(group, snap, true)?;
        let meta = snap.get_metadata();
        encode_record(
            &mut self.pending,
            &Record::Snapshot {
                group: group.0,
                index: meta.index,
                term: meta.term,
            },
        )?;
        self.must_sync = true;
        Ok(())
    }

    /// Writes a snapshot cut locally at an applied index (the log still holds its entries until
    /// the next rewrite).
    pub fn save_local_snapshot(&mut self, group: GroupId, snap: &Snapshot) -> Result<(), ClusterError> {
        if self.mode == Durability::Memory {
            return Ok(());
        }
        self.write_snapshot_file(group, snap, false)
    }

    fn write_snapshot_file(&mut self, group: GroupId, snap: &Snapshot, received: bool) -> Result<(), ClusterError> {
        let meta = snap.get_metadata();
        let file = SnapshotFile {
            index: meta.index,
            term: meta.term,
            conf_state: meta.get_conf_state().write_to_bytes()?,
            received,
            data: snap.data.to_vec(),
        };
        let payload = postcard::to_stdvec(&file)?;
        let mut bytes = Vec::with_capacity(payload.len() + 4);
        bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        self.disk.write_atomic(&snap_name(group), &bytes)
    }

    /// One append and one fsync for everything staged since the last call.
    pub fn sync(&mut self) -> Result<(), ClusterError> {
        if !self.must_sync {
            return Ok(());
        }
        match (&self.disk, self.file.as_mut()) {
            (Disk::Dir(_), Some(f)) => {
                f.write_all(&self.pending)?;
                f.sync_data()?;
            }
            (Disk::Sim(d), _) => {
                let mut files = d.files.lock();
                let f = files.entry(LOG_NAME.to_string()).or_default();
                f.data.extend_from_slice(&self.pending);
                f.synced = f.data.len();
            }
            (Disk::Dir(_), None) => {
                return Err(ClusterError::Corrupt {
                    what: LOG_NAME.into(),
                    detail: "log file not open".into(),
                })
            }
        }
        self.log_len += self.pending.len();
        self.pending.clear();
        self.must_sync = false;
        Ok(())
    }

    /// Rewrites the log from the groups' current state (snapshot mark, entries after it, hard
    /// state), atomically replacing the old file. Call after every group's snapshot file is
    /// written, so nothing the new log drops is lost.
    pub fn rewrite<'a>(
        &mut self,
        groups: impl Iterator<Item = (GroupId, &'a GroupStorage)>,
    ) -> Result<(), ClusterError> {
        if self.mode == Durability::Memory {
            return Ok(());
        }
        self.sync()?;
        let mut bytes = Vec::new();
        for (g, st) in groups {
            let meta = st.latest_snapshot().get_metadata();
            // The bootstrap pseudo-snapshot is implicit (no file): no mark for it.
            if meta.index > 0 && !st.is_bootstrap() {
                encode_record(
                    &mut bytes,
                    &Record::Snapshot {
                        group: g.0,
                        index: meta.index,
                        term: meta.term,
                    },
                )?;
            }
            let entries = st
                .entries_after_snapshot()
                .iter()
                .map(|e| e.write_to_bytes())
                .collect::<Result<Vec<_>, _>>()?;
            if !entries.is_empty() {
                encode_record(&mut bytes, &Record::Entries { group: g.0, entries })?;
            }
            let hs = st.hard_state();
            encode_record(
                &mut bytes,
                &Record::HardState {
                    group: g.0,
                    term: hs.term,
                    vote: hs.vote,
                    commit: hs.commit,
                },
            )?;
        }
        self.disk.write_atomic(LOG_NAME, &bytes)?;
        if let Disk::Dir(dir) = &self.disk {
            self.file = Some(OpenOptions::new().append(true).open(dir.join(LOG_NAME))?);
        }
        self.log_len = bytes.len();
        Ok(())
    }
}

fn decode_snapshot_file(raw: &[u8]) -> Option<SnapshotFile> {
    let crc = u32::from_le_bytes(raw.get(..4)?.try_into().ok()?);
    let payload = raw.get(4..)?;
    if crc32fast::hash(payload) != crc {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use raft::Storage as _;
    use rand::SeedableRng;

    fn entry(index: u64, term: u64, data: &[u8]) -> Entry {
        Entry {
            index,
            term,
            data: data.to_vec().into(),
            ..Default::default()
        }
    }

    fn hs(term: u64, vote: u64, commit: u64) -> HardState {
        HardState {
            term,
            vote,
            commit,
            ..Default::default()
        }
    }

    fn snapshot(index: u64, term: u64, data: &[u8]) -> Snapshot {
        let mut s = Snapshot::default();
        s.mut_metadata().index = index;
        s.mut_metadata().term = term;
        s.mut_metadata().mut_conf_state().voters = vec![1, 2, 3];
        s.data = data.to_vec().into();
        s
    }

    #[test]
    fn storage_truncates_conflicting_suffix() {
        let mut st = GroupStorage::joining();
        st.append(&[entry(1, 1, b"a"), entry(2, 1, b"b"), entry(3, 1, b"c")])
            .unwrap();
        st.append(&[entry(2, 2, b"x")]).unwrap();
        assert_eq!(st.last(), 2);
        assert_eq!(st.term(2).unwrap(), 2);
        assert!(st.append(&[entry(5, 2, b"gap")]).is_err());
    }

    #[test]
    fn storage_compaction_keeps_term_of_snapshot_index() {
        let mut st = GroupStorage::joining();
        st.append(&[entry(1, 1, b"a"), entry(2, 1, b"b"), entry(3, 2, b"c")])
            .unwrap();
        st.compact_to(snapshot(2, 1, b"sm"));
        assert_eq!(st.first(), 3);
        assert_eq!(st.term(2).unwrap(), 1);
        assert!(matches!(st.term(1), Err(raft::Error::Store(StorageError::Compacted))));
        assert_eq!(st.snapshot(0, 2).unwrap().data.as_ref(), b"sm");
        assert!(
            st.snapshot(0, 9).is_err(),
            "a snapshot that does not name the peer is not sent"
        );
        assert!(st.take_snapshot_wanted());
        assert!(st.snapshot(3, 2).is_err());
        assert!(st.take_snapshot_wanted());
    }

    #[test]
    fn durable_log_replays_entries_and_hard_state() {
        let disk = SimDisk::new();
        let g = GroupId(1);
        let (mut log, _) = DurableLog::open(Disk::Sim(disk.clone()), Durability::Durable, &[g]).unwrap();
        log.stage_entries(g, &[entry(1, 1, b"a"), entry(2, 1, b"b")]).unwrap();
        log.stage_hard_state(g, &hs(1, 7, 1)).unwrap();
        log.sync().unwrap();
        log.stage_entries(g, &[entry(2, 2, b"B")]).unwrap();
        log.sync().unwrap();
        let (_, rec) = DurableLog::open(Disk::Sim(disk), Durability::Durable, &[g]).unwrap();
        let r = &rec[&g];
        assert_eq!(r.hard_state, hs(1, 7, 1));
        assert_eq!(r.entries.len(), 2);
        assert_eq!(r.entries[1].data.as_ref(), b"B");
    }

    #[test]
    fn torn_tail_is_dropped_and_earlier_records_survive() {
        let disk = SimDisk::new();
        let g = GroupId(0);
        let (mut log, _) = DurableLog::open(Disk::Sim(disk.clone()), Durability::Durable, &[g]).unwrap();
        log.stage_entries(g, &[entry(1, 1, b"kept")]).unwrap();
        log.sync().unwrap();
        log.stage_entries(g, &[entry(2, 1, b"torn")]).unwrap();
        // Stage without syncing, then write the bytes as if the crash tore them.
        let pending = std::mem::take(&mut log.pending);
        {
            let mut files = disk.files.lock();
            let f = files.get_mut(LOG_NAME).unwrap();
            f.data.extend_from_slice(&pending[..pending.len() - 3]);
        }
        let mut rng = rand::rngs::SmallRng::seed_from_u64(1);
        disk.crash(&mut rng);
        let (log2, rec) = DurableLog::open(Disk::Sim(disk), Durability::Durable, &[g]).unwrap();
        assert_eq!(rec[&g].entries.len(), 1);
        assert_eq!(rec[&g].entries[0].data.as_ref(), b"kept");
        assert!(!log2.is_empty());
    }

    #[test]
    fn received_snapshot_without_mark_drops_older_entries() {
        let disk = SimDisk::new();
        let g = GroupId(2);
        let (mut log, _) = DurableLog::open(Disk::Sim(disk.clone()), Durability::Durable, &[g]).unwrap();
        log.stage_entries(g, &[entry(1, 1, b"a"), entry(2, 1, b"stale")])
            .unwrap();
        log.sync().unwrap();
        // File written, crash before the mark is synced.
        log.install_snapshot(g, &snapshot(5, 3, b"img")).unwrap();
        let (_, rec) = DurableLog::open(Disk::Sim(disk), Durability::Durable, &[g]).unwrap();
        let r = &rec[&g];
        assert!(r.entries.is_empty());
        assert_eq!(r.snapshot.get_metadata().index, 5);
        assert_eq!(r.snapshot.data.as_ref(), b"img");
        assert_eq!(r.hard_state.commit, 5);
    }

    #[test]
    fn rewrite_after_local_snapshot_keeps_the_tail() {
        let dir = tempfile::tempdir().unwrap();
        let g = GroupId(1);
        let disk = Disk::Dir(dir.path().to_path_buf());
        let (mut log, _) = DurableLog::open(disk.clone(), Durability::Durable, &[g]).unwrap();
        let mut st = GroupStorage::joining();
        let ents = [entry(1, 1, b"a"), entry(2, 1, b"b"), entry(3, 1, b"c")];
        st.append(&ents).unwrap();
        st.set_hard_state(hs(1, 1, 3));
        log.stage_entries(g, &ents).unwrap();
        log.stage_hard_state(g, st.hard_state()).unwrap();
        log.sync().unwrap();
        let before = log.len();
        let snap = snapshot(2, 1, b"upto2");
        log.save_local_snapshot(g, &snap).unwrap();
        st.compact_to(snap);
        log.rewrite([(g, &st)].into_iter()).unwrap();
        assert!(log.len() < before);
        log.stage_entries(g, &[entry(4, 1, b"d")]).unwrap();
        log.sync().unwrap();
        drop(log);
        let (_, rec) = DurableLog::open(disk, Durability::Durable, &[g]).unwrap();
        let r = &rec[&g];
        assert_eq!(r.snapshot.get_metadata().index, 2);
        assert_eq!(r.snapshot.data.as_ref(), b"upto2");
        let idx: Vec<u64> = r.entries.iter().map(|e| e.index).collect();
        assert_eq!(idx, vec![3, 4]);
    }

    #[test]
    fn bootstrap_storage_starts_after_its_pseudo_snapshot_and_never_sends_it() {
        let cs = ConfState {
            voters: vec![1, 2, 3],
            ..Default::default()
        };
        let mut st = GroupStorage::new(cs.clone());
        assert_eq!((st.first(), st.last()), (INIT_INDEX + 1, INIT_INDEX));
        assert_eq!(st.term(INIT_INDEX).unwrap(), INIT_TERM);
        assert_eq!(st.initial_state().unwrap().conf_state, cs);
        assert!(st.snapshot(0, 4).is_err(), "the pseudo-snapshot has no image to send");
        assert!(st.take_snapshot_wanted());
        st.append(&[entry(6, 6, b"a")]).unwrap();
        st.compact_to(snapshot(6, 6, b"img"));
        assert!(!st.is_bootstrap());
        assert_eq!(st.snapshot(0, 3).unwrap().data.as_ref(), b"img");
    }

    #[test]
    fn a_log_rewrite_before_any_snapshot_replays() {
        let disk = SimDisk::new();
        let g = GroupId(1);
        let (mut log, _) = DurableLog::open(Disk::Sim(disk.clone()), Durability::Durable, &[g]).unwrap();
        let mut st = GroupStorage::new(ConfState::default());
        let ents = [entry(6, 6, b"a"), entry(7, 6, b"b")];
        st.append(&ents).unwrap();
        log.stage_entries(g, &ents).unwrap();
        log.sync().unwrap();
        log.rewrite([(g, &st)].into_iter()).unwrap();
        let (_, rec) = DurableLog::open(Disk::Sim(disk), Durability::Durable, &[g]).unwrap();
        let idx: Vec<u64> = rec[&g].entries.iter().map(|e| e.index).collect();
        assert_eq!(idx, vec![6, 7]);
        assert_eq!(rec[&g].snapshot.get_metadata().index, 0);
    }

    #[test]
    fn memory_mode_restart_reports_lost_log() {
        let disk = SimDisk::new();
        let g = GroupId(1);
        let (mut log, _) = DurableLog::open(Disk::Sim(disk.clone()), Durability::Memory, &[g]).unwrap();
        log.stage_entries(g, &[entry(1, 1, b"a")]).unwrap();
        log.stage_hard_state(g, &hs(1, 1, 0)).unwrap();
        log.sync().unwrap();
        let written = log.len();
        assert!(written > 0, "a new vote is fsynced");
        log.stage_hard_state(g, &hs(1, 1, 1)).unwrap();
        log.sync().unwrap();
        assert_eq!(log.len(), written, "a commit move alone is not written in memory mode");
        assert!(matches!(
            DurableLog::open(Disk::Sim(disk), Durability::Memory, &[g]),
            Err(ClusterError::LogLost)
        ));
    }
}
