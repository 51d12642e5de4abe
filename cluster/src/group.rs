//! One raft group hosted by this process: a `RawNode` plus the bookkeeping that turns raft's
//! events into answers for callers.
//!
//! Invariants:
//! - Proposals are made only while this replica leads, and each is tracked by the (term, index)
//!   raft gave it. When the entry at that index applies, the same term means committed; any
//!   other term, or an empty entry there, means definitely not committed. Until then the caller
//!   waits, even across a leadership loss, until its own deadline (then `Indeterminate`).
//! - Reads: one `read_index` per loop iteration covers every read queued since the previous
//!   one; each attempt carries a fresh context (node, group, counter), so a late answer to an
//!   old attempt can never complete a newer one (etcd#20418). An attempt unanswered after a few
//!   ticks is re-issued. A read is served once applied ≥ its read index.
//! - Election timeouts are drawn from this group's own seeded RNG whenever the election timer
//!   restarts, never from raft-rs's thread RNG, so a simulation replays exactly.

use std::collections::BTreeMap;

use raft::eraftpb::{ConfChangeV2, Entry};
use raft::{Config, RawNode, ReadOnlyOption, ReadState, StateRole};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::error::ClusterError;
use crate::storage::GroupStorage;
use crate::{GroupId, NodeId};

/// The largest single proposal (one log entry); well under the frame cap.
pub const MAX_ENTRY: usize = 8 * 1024 * 1024;

/// Identifies one `propose` or `read` call; its [`Outcome`] comes back with the same id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TicketId(pub u64);

/// Why a proposal or read definitely did not take effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// This replica is not (or no longer) the leader; `leader` is the best hint.
    NotLeader {
        /// The node believed to lead, if known.
        leader: Option<NodeId>,
    },
    /// Another entry took the proposal's index: it was never committed.
    Superseded,
    /// A membership change was refused by raft (another change pending, or already joint).
    Refused,
    /// A read could not be confirmed before its deadline (reads have no side effect).
    TimedOut,
}

/// The answer to a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<O> {
    /// The proposal committed at (index, term) and was applied; `outputs` are what the state
    /// machine returned for it (empty for metadata and membership changes).
    Committed {
        /// Log index of the entry.
        index: u64,
        /// Term of the entry.
        term: u64,
        /// The state machine's per-command outputs.
        outputs: Vec<O>,
    },
    /// A linearizable read may be served: this replica has applied at least `index`, which
    /// was the leader's commit index when the read was confirmed.
    Read {
        /// The read index.
        index: u64,
    },
    /// Definitely did not happen: an error reply (or `MOVED`) is safe.
    Failed(Failure),
    /// May or may not have happened: the server must not answer with an error; it closes the
    /// connection (Redis-Raft #23).
    Indeterminate,
}

/// A role as reported in status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Leads the group.
    Leader,
    /// Follows (voter or learner).
    Follower,
    /// Campaigning.
    Candidate,
    /// Pre-campaigning (pre-vote).
    PreCandidate,
}

impl From<StateRole> for Role {
    fn from(s: StateRole) -> Role {
        match s {
            StateRole::Leader => Role::Leader,
            StateRole::Follower => Role::Follower,
            StateRole::Candidate => Role::Candidate,
            StateRole::PreCandidate => Role::PreCandidate,
        }
    }
}

/// A snapshot of one group's raft state, for `INFO`, `WAIT` and `CLUSTER` replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupStatus {
    /// The group.
    pub group: GroupId,
    /// This replica's role.
    pub role: Role,
    /// Current term.
    pub term: u64,
    /// Known leader.
    pub leader: Option<NodeId>,
    /// Commit index.
    pub commit: u64,
    /// Applied index.
    pub applied: u64,
    /// Last log index.
    pub last_index: u64,
    /// On a leader: the matched index of every other replica, by node (for `WAIT`).
    pub matched: BTreeMap<NodeId, u64>,
    /// Nodes of the voters (incoming configuration).
    pub voters: Vec<NodeId>,
    /// Nodes of the learners.
    pub learners: Vec<NodeId>,
    /// Whether the group is in a joint configuration.
    pub joint: bool,
}

/// Raft tuning shared by every group of a node (CLUSTER.md §0.2).
#[derive(Debug, Clone)]
pub struct RaftTuning {
    /// Ticks without a leader before campaigning (randomized in [n, 2n)).
    pub election_tick: usize,
    /// Ticks between heartbeats.
    pub heartbeat_tick: usize,
    /// Cut a snapshot after this many applied entries past the last one.
    pub snapshot_entries: u64,
    /// Rewrite the durable log when it grows past this many bytes (and doubled since the last
    /// rewrite).
    pub log_rewrite_bytes: usize,
    /// Re-issue a read index unanswered after this many ticks.
    pub read_retry_ticks: u64,
    /// Backpressure: raft drops proposals past this many uncommitted bytes.
    pub max_uncommitted_size: u64,
    /// Bound on one apply batch.
    pub max_committed_size_per_ready: u64,
}

impl Default for RaftTuning {
    fn default() -> Self {
        RaftTuning {
            election_tick: 10,
            heartbeat_tick: 2,
            snapshot_entries: 10_000,
            log_rewrite_bytes: 64 * 1024 * 1024,
            read_retry_ticks: 3,
            max_uncommitted_size: 64 * 1024 * 1024,
            max_committed_size_per_ready: 16 * 1024 * 1024,
        }
    }
}

/// What a ConfChangeV2's context carries: the node of every peer it names, so every replica
/// learns where a new peer lives.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ConfChangeContext {
    pub peers: Vec<(u64, NodeId)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProposalKind {
    Normal,
    ConfChange,
}

#[derive(Debug)]
struct PendingProposal {
    term: u64,
    ticket: TicketId,
    deadline_ms: u64,
    kind: ProposalKind,
}

#[derive(Debug, Clone, Copy)]
struct PendingRead {
    ticket: TicketId,
    deadline_ms: u64,
}

#[derive(Debug)]
struct InflightRead {
    reads: Vec<PendingRead>,
    sent_tick: u64,
}

/// Who a group replica is and where it starts.
pub(crate) struct GroupSetup {
    pub id: GroupId,
    pub me: NodeId,
    pub my_peer: u64,
    pub peers: BTreeMap<u64, NodeId>,
    /// The applied index restored on restart (the snapshot's index).
    pub applied: u64,
    /// Seed of the election-timeout RNG.
    pub seed: u64,
}

/// One hosted raft group.
pub(crate) struct Group {
    pub id: GroupId,
    pub raw: RawNode<GroupStorage>,
    /// peer id → node, for every peer ever seen in this group.
    pub peers: BTreeMap<u64, NodeId>,
    me: NodeId,
    rng: SmallRng,
    min_election: usize,
    max_election: usize,
    read_retry_ticks: u64,
    proposals: BTreeMap<u64, PendingProposal>,
    reads_queued: Vec<PendingRead>,
    reads_inflight: BTreeMap<Vec<u8>, InflightRead>,
    reads_waiting: Vec<(u64, PendingRead)>,
    read_counter: u64,
    leave_joint_term: u64,
    /// Last term for which this replica, as leader, reported itself to the metadata group, and
    /// the tick it did so.
    pub reported: (u64, u64),
}

impl Group {
    /// Builds the raw node over `storage`.
    pub fn new(setup: GroupSetup, storage: GroupStorage, tuning: &RaftTuning) -> Result<Group, ClusterError> {
        let GroupSetup {
            id,
            me,
            my_peer,
            peers,
            applied,
            seed,
        } = setup;
        let cfg = Config {
            id: my_peer,
            election_tick: tuning.election_tick,
            heartbeat_tick: tuning.heartbeat_tick,
            applied,
            max_size_per_msg: 1024 * 1024,
            max_inflight_msgs: 256,
            check_quorum: true,
            pre_vote: true,
            read_only_option: ReadOnlyOption::Safe,
            max_uncommitted_size: tuning.max_uncommitted_size,
            max_committed_size_per_ready: tuning.max_committed_size_per_ready,
            // NOT batch_append: raft-rs 0.7's `try_batching` merges new entries into a queued
            // MsgAppend that has none (a probe) without checking that they follow its index,
            // producing e.g. `index 66, entries [65, 66]`; the follower then acknowledges 68
            // and the leader commits an index the follower does not hold (found by the
            // simulator, seed 4). Messages are still coalesced per node by `Node::drive`.
            batch_append: false,
            ..Default::default()
        };
        cfg.validate()?;
        let raw = RawNode::new(&cfg, storage, &crate::raft_logger())?;
        Ok(Group {
            id,
            raw,
            peers,
            me,
            rng: SmallRng::seed_from_u64(seed ^ id.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            min_election: tuning.election_tick,
            max_election: tuning.election_tick * 2,
            read_retry_ticks: tuning.read_retry_ticks,
            proposals: BTreeMap::new(),
            reads_queued: Vec::new(),
            reads_inflight: BTreeMap::new(),
            reads_waiting: Vec::new(),
            read_counter: 0,
            leave_joint_term: 0,
            reported: (0, 0),
        })
    }

    pub fn is_leader(&self) -> bool {
        self.raw.raft.state == StateRole::Leader
    }

    pub fn leader(&self) -> Option<NodeId> {
        match self.raw.raft.leader_id {
            0 => None,
            id => self.peers.get(&id).copied(),
        }
    }

    fn not_leader(&self) -> ClusterError {
        ClusterError::NotLeader {
            group: self.id,
            leader: self.leader(),
        }
    }

    /// One raft tick, with the election timeout redrawn from our RNG when the timer restarted.
    pub fn tick(&mut self) {
        if self.raw.raft.election_elapsed == 0 {
            let t = self.rng.random_range(self.min_election..self.max_election);
            self.raw.raft.set_randomized_election_timeout(t);
        }
        self.raw.tick();
    }

    /// Proposes one entry; only the leader may.
    pub fn propose(&mut self, data: Vec<u8>, ticket: TicketId, deadline_ms: u64) -> Result<(), ClusterError> {
        if data.len() > MAX_ENTRY {
            return Err(ClusterError::TooLarge {
                len: data.len(),
                cap: MAX_ENTRY,
            });
        }
        if !self.is_leader() {
            return Err(self.not_leader());
        }
        let before = self.raw.raft.raft_log.last_index();
        match self.raw.propose(Vec::new(), data) {
            Ok(()) => {}
            Err(raft::Error::ProposalDropped) => return Err(ClusterError::ProposalDropped),
            Err(e) => return Err(e.into()),
        }
        self.track(before, ticket, deadline_ms, ProposalKind::Normal)
    }

    /// Proposes a membership change; only the leader may.
    pub fn propose_conf_change(
        &mut self,
        cc: ConfChangeV2,
        ticket: TicketId,
        deadline_ms: u64,
    ) -> Result<(), ClusterError> {
        if !self.is_leader() {
            return Err(self.not_leader());
        }
        let before = self.raw.raft.raft_log.last_index();
        match self.raw.propose_conf_change(Vec::new(), cc) {
            Ok(()) => {}
            Err(raft::Error::ProposalDropped) => return Err(ClusterError::ProposalDropped),
            Err(e) => return Err(e.into()),
        }
        self.track(before, ticket, deadline_ms, ProposalKind::ConfChange)
    }

    fn track(
        &mut self,
        before: u64,
        ticket: TicketId,
        deadline_ms: u64,
        kind: ProposalKind,
    ) -> Result<(), ClusterError> {
        let index = self.raw.raft.raft_log.last_index();
        if index <= before {
            return Err(ClusterError::ProposalDropped);
        }
        self.proposals.insert(
            index,
            PendingProposal {
                term: self.raw.raft.term,
                ticket,
                deadline_ms,
                kind,
            },
        );
        Ok(())
    }

    /// Queues a linearizable read; only the leader may.
    pub fn queue_read(&mut self, ticket: TicketId, deadline_ms: u64) -> Result<(), ClusterError> {
        if !self.is_leader() {
            return Err(self.not_leader());
        }
        self.reads_queued.push(PendingRead { ticket, deadline_ms });
        Ok(())
    }

    /// Before a `Ready`: fail reads that can no longer be served here, expire deadlines,
    /// re-issue stale read-index attempts, and issue one `read_index` for everything queued.
    pub fn before_ready<O>(&mut self, now_ms: u64, tick: u64, out: &mut Vec<(TicketId, Outcome<O>)>) {
        if !self.is_leader() {
            let f = Failure::NotLeader { leader: self.leader() };
            let all = self
                .reads_queued
                .drain(..)
                .chain(self.reads_inflight.values_mut().flat_map(|r| r.reads.drain(..)))
                .chain(self.reads_waiting.drain(..).map(|(_, r)| r));
            out.extend(all.map(|r| (r.ticket, Outcome::Failed(f.clone()))));
            self.reads_inflight.clear();
        } else {
            let stale: Vec<Vec<u8>> = self
                .reads_inflight
                .iter()
                .filter(|(_, r)| tick >= r.sent_tick + self.read_retry_ticks)
                .map(|(ctx, _)| ctx.clone())
                .collect();
            for ctx in stale {
                if let Some(r) = self.reads_inflight.remove(&ctx) {
                    self.reads_queued.extend(r.reads);
                }
            }
        }
        let expired = |r: &PendingRead| r.deadline_ms <= now_ms;
        for r in self.reads_queued.iter().filter(|r| expired(r)) {
            out.push((r.ticket, Outcome::Failed(Failure::TimedOut)));
        }
        self.reads_queued.retain(|r| !expired(r));
        for inflight in self.reads_inflight.values_mut() {
            for r in inflight.reads.iter().filter(|r| expired(r)) {
                out.push((r.ticket, Outcome::Failed(Failure::TimedOut)));
            }
            inflight.reads.retain(|r| !expired(r));
        }
        self.reads_inflight.retain(|_, r| !r.reads.is_empty());
        for (_, r) in self.reads_waiting.iter().filter(|(_, r)| expired(r)) {
            out.push((r.ticket, Outcome::Failed(Failure::TimedOut)));
        }
        self.reads_waiting.retain(|(_, r)| !expired(r));

        if !self.reads_queued.is_empty() {
            self.read_counter += 1;
            let mut ctx = Vec::with_capacity(24);
            ctx.extend_from_slice(&self.me.0.to_be_bytes());
            ctx.extend_from_slice(&self.id.0.to_be_bytes());
            ctx.extend_from_slice(&self.read_counter.to_be_bytes());
            self.raw.read_index(ctx.clone());
            self.reads_inflight.insert(
                ctx,
                InflightRead {
                    reads: std::mem::take(&mut self.reads_queued),
                    sent_tick: tick,
                },
            );
        }

        // Proposals past their deadline: the outcome is unknown to us.
        let late: Vec<u64> = self
            .proposals
            .iter()
            .filter(|(_, p)| p.deadline_ms <= now_ms)
            .map(|(i, _)| *i)
            .collect();
        for i in late {
            if let Some(p) = self.proposals.remove(&i) {
                out.push((p.ticket, Outcome::Indeterminate));
            }
        }
        self.maybe_leave_joint();
    }

    /// A leader that finds itself in a joint configuration with nothing pending proposes the
    /// empty ConfChangeV2 that leaves it: raft-rs only does so from `commit_apply` of the leader
    /// that entered joint, which may have stepped down first.
    fn maybe_leave_joint(&mut self) {
        let raft = &self.raw.raft;
        if raft.state != StateRole::Leader
            || self.leave_joint_term == raft.term
            || raft.prs().conf().to_conf_state().voters_outgoing.is_empty()
            || raft.pending_conf_index > raft.raft_log.applied
            || !raft.commit_to_current_term()
        {
            return;
        }
        self.leave_joint_term = raft.term;
        tracing::info!(group = self.id.0, "leader proposes leaving joint consensus");
        if let Err(e) = self.raw.propose_conf_change(Vec::new(), ConfChangeV2::default()) {
            tracing::warn!(group = self.id.0, error = %e, "leave-joint proposal refused");
        }
    }

    /// Read states from a `Ready`.
    pub fn on_read_states(&mut self, states: Vec<ReadState>) {
        for rs in states {
            if let Some(r) = self.reads_inflight.remove(&rs.request_ctx) {
                self.reads_waiting.extend(r.reads.into_iter().map(|p| (rs.index, p)));
            }
        }
    }

    /// After applying up to `applied`: reads whose index is reached.
    pub fn reads_served<O>(&mut self, applied: u64, out: &mut Vec<(TicketId, Outcome<O>)>) {
        self.reads_waiting.retain(|(index, r)| {
            if *index <= applied {
                out.push((r.ticket, Outcome::Read { index: *index }));
                false
            } else {
                true
            }
        });
    }

    /// The entry at `e.index` was applied: settle the proposal tracked there, if any.
    pub fn settle<O>(
        &mut self,
        e: &Entry,
        is_conf_change: bool,
        outputs: Vec<O>,
        out: &mut Vec<(TicketId, Outcome<O>)>,
    ) {
        let Some(p) = self.proposals.remove(&e.index) else {
            return;
        };
        let same_kind = match p.kind {
            ProposalKind::Normal => !is_conf_change && !e.data.is_empty(),
            ProposalKind::ConfChange => is_conf_change,
        };
        let outcome = if p.term != e.term {
            Outcome::Failed(Failure::Superseded)
        } else if same_kind {
            Outcome::Committed {
                index: e.index,
                term: e.term,
                outputs,
            }
        } else if p.kind == ProposalKind::ConfChange {
            // raft-rs turned our conf change into an empty normal entry at the same index.
            Outcome::Failed(Failure::Refused)
        } else {
            Outcome::Failed(Failure::Superseded)
        };
        out.push((p.ticket, outcome));
    }

    /// A snapshot up to `index` replaced the log: proposals it covers can no longer be judged.
    pub fn snapshot_installed<O>(&mut self, index: u64, out: &mut Vec<(TicketId, Outcome<O>)>) {
        let later = self.proposals.split_off(&(index + 1));
        for p in std::mem::replace(&mut self.proposals, later).into_values() {
            out.push((p.ticket, Outcome::Indeterminate));
        }
    }

    /// Fails everything still waiting (shutdown): writes are indeterminate, reads failed.
    pub fn abandon<O>(&mut self, out: &mut Vec<(TicketId, Outcome<O>)>) {
        for p in std::mem::take(&mut self.proposals).into_values() {
            out.push((p.ticket, Outcome::Indeterminate));
        }
        let reads = self
            .reads_queued
            .drain(..)
            .chain(self.reads_inflight.values_mut().flat_map(|r| r.reads.drain(..)))
            .chain(self.reads_waiting.drain(..).map(|(_, r)| r));
        out.extend(reads.map(|r| (r.ticket, Outcome::Failed(Failure::TimedOut))));
        self.reads_inflight.clear();
    }

    /// The status report.
    pub fn status(&self) -> GroupStatus {
        let raft = &self.raw.raft;
        let mut matched = BTreeMap::new();
        if raft.state == StateRole::Leader {
            for (id, pr) in raft.prs().iter() {
                if *id == raft.id {
                    continue;
                }
                if let Some(node) = self.peers.get(id) {
                    matched.insert(*node, pr.matched);
                }
            }
        }
        let cs = raft.prs().conf().to_conf_state();
        let nodes = |ids: &[u64]| -> Vec<NodeId> {
            let mut v: Vec<NodeId> = ids.iter().filter_map(|p| self.peers.get(p).copied()).collect();
            v.sort();
            v
        };
        GroupStatus {
            voters: nodes(&cs.voters),
            learners: nodes(&cs.learners),
            joint: !cs.voters_outgoing.is_empty(),
            group: self.id,
            role: raft.state.into(),
            term: raft.term,
            leader: self.leader(),
            commit: raft.raft_log.committed,
            applied: raft.raft_log.applied,
            last_index: raft.raft_log.last_index(),
            matched,
        }
    }
}
