//! The sans-IO core: every raft group hosted by one process, driven one loop iteration at a
//! time. No sockets, no timers, no threads: the runtime (or the simulator) calls `step` for
//! each inbound envelope, `tick` every 100 ms, `propose`/`read` for callers, and `drive` once
//! per iteration, then collects `take_completions`.
//!
//! One `drive` = for every group with a `Ready`: stage its entries and hard state (and install
//! a received snapshot), advance; then ONE append + fsync of the durable log for all groups;
//! only then send every message (coalesced into one batch per destination node) and apply
//! committed entries, settle tickets, and cut snapshots.
//!
//! Invariants:
//! - Nothing leaves the process (message, reply) before what it depends on is fsynced.
//! - The state machine sees each group's committed entries exactly once, in log order, after
//!   a restart too (it is rebuilt from the last snapshot plus the log).
//! - Tickets are settled by (term, index), never by queue position.

use std::collections::BTreeMap;

use protobuf::Message as _;
use raft::eraftpb::{
    ConfChange, ConfChangeSingle, ConfChangeTransition, ConfChangeType, ConfChangeV2, ConfState, EntryType, Message,
    MessageType, Snapshot,
};
use raft::{SnapshotStatus, Storage as _};

use crate::codec::Envelope;
use crate::error::ClusterError;
use crate::group::{ConfChangeContext, Group, GroupSetup, GroupStatus, Outcome, RaftTuning, TicketId};
use crate::meta::{ClusterMeta, ClusterSpec, MetaCommand, Route, FIRST_DYNAMIC_PEER};
use crate::storage::{Disk, Durability, DurableLog, GroupStorage, Recovered};
use crate::{Clock, GroupId, NodeId, META_GROUP};

/// What a shard group replicates into: the server's keyspace. Called only from `drive`, in
/// log order, on every replica.
pub trait StateMachine: Send {
    /// What applying one entry gives back to the proposer, one per command of the batch
    /// (e.g. encoded replies). Opaque to this crate.
    type Output: Send + 'static;

    /// Applies the committed entry (`data` is what was proposed, e.g. a postcard `Batch`).
    fn apply(&mut self, group: GroupId, index: u64, term: u64, data: &[u8]) -> Vec<Self::Output>;

    /// A full image of the group's state at the last applied index.
    fn snapshot(&mut self, group: GroupId) -> Vec<u8>;

    /// Replaces the group's state by an image made by `snapshot`.
    fn restore(&mut self, group: GroupId, data: &[u8]);
}

/// Sends envelopes to other nodes; unreliable by contract (raft retries). The runtime's TCP
/// transport and the simulator's network implement it.
pub trait Transport {
    /// Sends one loop iteration's envelopes for `to`, in order.
    fn send(&mut self, to: NodeId, envelopes: Vec<Envelope>);
}

/// How a node starts.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// This process.
    pub id: NodeId,
    /// The bootstrap spec shared by every process of the cluster.
    pub spec: ClusterSpec,
    /// `cluster-durability`.
    pub durability: Durability,
    /// Where the log and snapshots live.
    pub disk: Disk,
    /// Seed of the election-timeout randomization (any value; the simulator fixes it).
    pub seed: u64,
    /// Raft tuning.
    pub tuning: RaftTuning,
}

/// One kind of membership change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    /// Add (or promote to) a voter.
    AddVoter {
        /// New or existing peer id (new ids come from the metadata's `next_peer_id`).
        peer: u64,
        /// Its node.
        node: NodeId,
    },
    /// Add (or demote to) a learner.
    AddLearner {
        /// Peer id.
        peer: u64,
        /// Its node.
        node: NodeId,
    },
    /// Remove a peer (its id is never reused).
    Remove {
        /// Peer id.
        peer: u64,
    },
}

/// All groups of one process.
pub struct Node<S: StateMachine> {
    id: NodeId,
    seed: u64,
    tuning: RaftTuning,
    groups: BTreeMap<GroupId, Group>,
    meta: ClusterMeta,
    sm: S,
    log: DurableLog,
    /// What replay found for groups not started yet (created after bootstrap).
    recovered: BTreeMap<GroupId, Recovered>,
    clock: Box<dyn Clock>,
    done: Vec<(TicketId, Outcome<S::Output>)>,
    next_ticket: u64,
    ticks: u64,
    rewrite_floor: usize,
    meta_version: u64,
}

impl<S: StateMachine> Node<S> {
    /// Opens the node: replays the durable log and snapshots of every group it hosts under
    /// `cfg.spec`, or bootstraps them from the spec on first start.
    pub fn open(cfg: NodeConfig, sm: S, clock: Box<dyn Clock>) -> Result<Self, ClusterError> {
        cfg.spec.validate()?;
        let me = cfg.id;
        if !cfg.spec.nodes.iter().any(|n| n.id == me) {
            return Err(ClusterError::InvalidSpec(format!("node {} not in spec", me.0)));
        }
        let (log, recovered) = DurableLog::open(cfg.disk.clone(), cfg.durability, &[META_GROUP])?;
        let mut node = Node {
            id: me,
            seed: cfg.seed,
            tuning: cfg.tuning,
            groups: BTreeMap::new(),
            meta: cfg.spec.initial_meta(),
            sm,
            log,
            recovered,
            clock,
            done: Vec::new(),
            next_ticket: 1,
            ticks: 0,
            rewrite_floor: 0,
            meta_version: 0,
        };
        // The metadata group first: its snapshot says which other groups exist.
        node.host_group(META_GROUP)?;
        node.host_new_groups()?;
        Ok(node)
    }

    /// Starts the replica of `gid` that the metadata places on this node, from what the
    /// durable log recovered for it (or from its initial configuration).
    fn host_group(&mut self, gid: GroupId) -> Result<(), ClusterError> {
        let Some(info) = self.meta.groups.get(&gid) else {
            return Ok(());
        };
        let Some(mine) = info
            .peers
            .iter()
            .chain(info.learners.iter())
            .chain(info.added.iter())
            .find(|p| p.node == self.id)
        else {
            return Ok(());
        };
        let my_peer = mine.id;
        let joining = info.added.iter().any(|p| p.id == my_peer);
        let peers: BTreeMap<u64, NodeId> = info
            .peers
            .iter()
            .chain(info.learners.iter())
            .chain(info.added.iter())
            .map(|p| (p.id, p.node))
            .collect();
        // The metadata keeps a group's initial members; later changes live in its own log.
        let mut storage = if joining {
            GroupStorage::joining()
        } else {
            GroupStorage::new(ConfState {
                voters: info.peers.iter().map(|p| p.id).collect(),
                learners: info.learners.iter().map(|p| p.id).collect(),
                ..Default::default()
            })
        };
        let r = self.recovered.remove(&gid).unwrap_or_default();
        if r.snapshot.get_metadata().index > 0 {
            if gid == META_GROUP {
                self.meta = postcard::from_bytes(&r.snapshot.data)?;
                self.meta_version += 1;
            } else {
                self.sm.restore(gid, &r.snapshot.data);
            }
            storage.apply_snapshot(r.snapshot);
        }
        let applied = storage.latest_snapshot().get_metadata().index;
        storage.append(&r.entries)?;
        let mut hs = r.hard_state;
        let base = storage.hard_state().clone();
        hs.term = hs.term.max(base.term);
        hs.commit = hs.commit.max(base.commit).clamp(applied, storage.last());
        storage.set_hard_state(hs);
        let setup = GroupSetup {
            id: gid,
            me: self.id,
            my_peer,
            peers,
            applied,
            seed: self.seed,
        };
        let group = Group::new(setup, storage, &self.tuning)?;
        self.groups.insert(gid, group);
        Ok(())
    }

    /// Starts a replica for every group the metadata places here that is not running yet
    /// (groups created by `MetaCommand::CreateGroup`, at apply time on every member).
    fn host_new_groups(&mut self) -> Result<(), ClusterError> {
        // Replicas placed by the metadata: every hosted group learns where they live, even if
        // it later sees their conf change only inside a snapshot.
        for (gid, g) in self.groups.iter_mut() {
            if let Some(info) = self.meta.groups.get(gid) {
                for p in info.peers.iter().chain(info.learners.iter()).chain(info.added.iter()) {
                    g.peers.entry(p.id).or_insert(p.node);
                }
            }
        }
        let missing: Vec<GroupId> = self
            .meta
            .groups
            .iter()
            .filter(|(g, info)| {
                !self.groups.contains_key(g)
                    && info
                        .peers
                        .iter()
                        .chain(info.learners.iter())
                        .chain(info.added.iter())
                        .any(|p| p.node == self.id)
            })
            .map(|(g, _)| *g)
            .collect();
        for g in missing {
            tracing::info!(group = g.0, "hosting group");
            self.host_group(g)?;
        }
        Ok(())
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The replicated metadata as applied here.
    pub fn meta(&self) -> &ClusterMeta {
        &self.meta
    }

    /// Bumped every time a metadata entry or snapshot is applied here.
    pub fn meta_version(&self) -> u64 {
        self.meta_version
    }

    /// The state machine (for inspection by the owner).
    pub fn state_machine(&self) -> &S {
        &self.sm
    }

    /// The state machine, mutably (for its owner between drives).
    pub fn state_machine_mut(&mut self) -> &mut S {
        &mut self.sm
    }

    /// The groups this node hosts.
    pub fn groups(&self) -> impl Iterator<Item = GroupId> + '_ {
        self.groups.keys().copied()
    }

    fn new_ticket(&mut self) -> TicketId {
        let t = TicketId(self.next_ticket);
        self.next_ticket += 1;
        t
    }

    fn group_mut(&mut self, group: GroupId) -> Result<&mut Group, ClusterError> {
        self.groups.get_mut(&group).ok_or(ClusterError::UnknownGroup(group))
    }

    /// Proposes one entry (a postcard `Batch`) to a shard group this node leads. The outcome
    /// arrives through `take_completions` under the returned ticket: `Committed` with the
    /// state machine's outputs, `Failed` (definitely not applied), or `Indeterminate` once
    /// `deadline_ms` passes without an answer.
    pub fn propose(&mut self, group: GroupId, data: Vec<u8>, deadline_ms: u64) -> Result<TicketId, ClusterError> {
        let t = self.new_ticket();
        self.group_mut(group)?.propose(data, t, deadline_ms)?;
        Ok(t)
    }

    /// Proposes a metadata change (this node must lead the metadata group).
    pub fn propose_meta(&mut self, cmd: &MetaCommand, deadline_ms: u64) -> Result<TicketId, ClusterError> {
        let data = cmd.encode()?;
        self.propose(META_GROUP, data, deadline_ms)
    }

    /// Queues a linearizable read (ReadIndex) on a group this node leads; the ticket resolves
    /// to `Read{index}` once this replica applied that far, or `Failed`.
    pub fn read(&mut self, group: GroupId, deadline_ms: u64) -> Result<TicketId, ClusterError> {
        let t = self.new_ticket();
        self.group_mut(group)?.queue_read(t, deadline_ms)?;
        Ok(t)
    }

    /// Asks the group to hand leadership to `to` (`CLUSTER FAILOVER`). Proposals are refused
    /// while the transfer runs; it aborts after an election timeout.
    pub fn transfer_leader(&mut self, group: GroupId, to: NodeId) -> Result<(), ClusterError> {
        let g = self.group_mut(group)?;
        let peer = g
            .peers
            .iter()
            .find(|(_, n)| **n == to)
            .map(|(p, _)| *p)
            .ok_or_else(|| ClusterError::InvalidSpec(format!("node {} not in group", to.0)))?;
        g.raw.transfer_leader(peer);
        Ok(())
    }

    /// Proposes a membership change (one ConfChangeV2; raft picks simple or joint). A change
    /// raft refuses settles as `Failed(Refused)`.
    pub fn change_membership(
        &mut self,
        group: GroupId,
        changes: &[MemberChange],
        deadline_ms: u64,
    ) -> Result<TicketId, ClusterError> {
        let mut cc = ConfChangeV2::default();
        let mut ctx = ConfChangeContext::default();
        for c in changes {
            let mut s = ConfChangeSingle::default();
            match *c {
                MemberChange::AddVoter { peer, node } => {
                    s.set_change_type(ConfChangeType::AddNode);
                    s.node_id = peer;
                    ctx.peers.push((peer, node));
                }
                MemberChange::AddLearner { peer, node } => {
                    s.set_change_type(ConfChangeType::AddLearnerNode);
                    s.node_id = peer;
                    ctx.peers.push((peer, node));
                }
                MemberChange::Remove { peer } => {
                    s.set_change_type(ConfChangeType::RemoveNode);
                    s.node_id = peer;
                }
            }
            cc.mut_changes().push(s);
        }
        cc.set_transition(ConfChangeTransition::Auto);
        cc.context = postcard::to_stdvec(&ctx)?.into();
        let t = self.new_ticket();
        self.group_mut(group)?.propose_conf_change(cc, t, deadline_ms)?;
        Ok(t)
    }

    /// Status of one hosted group.
    pub fn status(&self, group: GroupId) -> Option<GroupStatus> {
        self.groups.get(&group).map(Group::status)
    }

    /// The leader this node knows for `group`: first-hand if hosted, else the metadata hint.
    pub fn leader_of(&self, group: GroupId) -> Option<NodeId> {
        match self.groups.get(&group) {
            Some(g) => g.leader(),
            None => self.meta.groups.get(&group).and_then(|g| g.leader_hint).map(|(n, _)| n),
        }
    }

    /// Where requests for `slot` go from here (`Local`, `Moved` or `Down`).
    pub fn route(&self, slot: u16) -> Route {
        self.meta
            .route(slot, self.id, |g| self.groups.get(&g).and_then(Group::leader))
    }

    /// One inbound envelope. Envelopes for groups not hosted here, or for another peer id, are
    /// dropped (raft retries).
    pub fn step(&mut self, env: Envelope) -> Result<(), ClusterError> {
        let Some(g) = self.groups.get_mut(&env.group) else {
            tracing::debug!(group = env.group.0, "envelope for a group not hosted here");
            return Ok(());
        };
        let m = env.message()?;
        if m.to != g.raw.raft.id {
            return Ok(());
        }
        g.peers.entry(m.from).or_insert(env.from);
        match g.raw.step(m) {
            // A forwarded proposal reaching a replica that is no longer leader is dropped, as
            // is a message from a peer no longer in the configuration: raft retries or the
            // proposer's report is retried.
            Ok(())
            | Err(raft::Error::StepPeerNotFound)
            | Err(raft::Error::StepLocalMsg)
            | Err(raft::Error::ProposalDropped) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// One 100 ms tick of every group.
    pub fn tick(&mut self) {
        self.ticks += 1;
        for g in self.groups.values_mut() {
            g.tick();
        }
    }

    /// A peer connection to `node` failed: its peers go back to probing.
    pub fn report_unreachable(&mut self, node: NodeId) {
        for g in self.groups.values_mut() {
            let peers: Vec<u64> = g.peers.iter().filter(|(_, n)| **n == node).map(|(p, _)| *p).collect();
            for p in peers {
                g.raw.report_unreachable(p);
            }
        }
    }

    /// Whether `drive` has something to do.
    pub fn has_work(&self) -> bool {
        !self.done.is_empty() || self.groups.values().any(|g| g.raw.has_ready())
    }

    /// Settled tickets since the last call.
    pub fn take_completions(&mut self) -> Vec<(TicketId, Outcome<S::Output>)> {
        std::mem::take(&mut self.done)
    }

    /// Gives up on every waiting ticket (at shutdown): writes become `Indeterminate`.
    pub fn abandon_all(&mut self) {
        for g in self.groups.values_mut() {
            g.abandon(&mut self.done);
        }
    }

    /// Leaders of groups whose metadata hint is older than their term report themselves to the
    /// metadata group, once their no-op committed; followers' proposals are forwarded by raft.
    /// Untracked and idempotent (apply keeps the highest term), so a lost one is simply retried.
    fn report_leadership(&mut self) {
        let mut reports = Vec::new();
        let retry = 2 * self.tuning.election_tick as u64;
        for (gid, g) in self.groups.iter_mut() {
            let raft = &g.raw.raft;
            if !g.is_leader() || !raft.commit_to_current_term() {
                continue;
            }
            let term = raft.term;
            let hint = self.meta.groups.get(gid).and_then(|i| i.leader_hint);
            if hint.is_some_and(|(_, t)| t >= term) {
                continue;
            }
            if g.reported.0 == term && self.ticks < g.reported.1 + retry {
                continue;
            }
            g.reported = (term, self.ticks);
            reports.push(MetaCommand::LeaderChanged {
                group: *gid,
                term,
                node: self.id,
            });
        }
        let Some(mg) = self.groups.get_mut(&META_GROUP) else {
            return;
        };
        for cmd in reports {
            if let Ok(data) = cmd.encode() {
                if let Err(e) = mg.raw.propose(Vec::new(), data) {
                    tracing::debug!(error = %e, "leader report not proposed (no metadata leader)");
                }
            }
        }
    }

    /// One loop iteration; see the module docs. An error is fatal for the node (the log could
    /// not be written): the process must stop.
    pub fn drive(&mut self, transport: &mut dyn Transport) -> Result<(), ClusterError> {
        let now = self.clock.now_ms();
        let meta_before = self.meta_version;
        self.report_leadership();
        for g in self.groups.values_mut() {
            g.before_ready(now, self.ticks, &mut self.done);
        }

        let mut outgoing: BTreeMap<NodeId, Vec<Envelope>> = BTreeMap::new();
        let mut snapshots_sent: Vec<(GroupId, u64)> = Vec::new();
        let mut to_apply = Vec::new();
        for (&gid, g) in self.groups.iter_mut() {
            if !g.raw.has_ready() {
                continue;
            }
            let mut rd = g.raw.ready();
            let mut msgs = rd.take_messages();
            if !rd.snapshot().is_empty() {
                let snap = rd.snapshot().clone();
                let index = snap.get_metadata().index;
                self.log.install_snapshot(gid, &snap)?;
                if gid == META_GROUP {
                    self.meta = postcard::from_bytes(&snap.data)?;
                    self.meta_version += 1;
                } else {
                    self.sm.restore(gid, &snap.data);
                }
                g.snapshot_installed(index, &mut self.done);
                g.raw.mut_store().apply_snapshot(snap);
            }
            if !rd.entries().is_empty() {
                self.log.stage_entries(gid, rd.entries())?;
                g.raw.mut_store().append(rd.entries())?;
            }
            if let Some(hs) = rd.hs() {
                self.log.stage_hard_state(gid, hs)?;
                g.raw.mut_store().set_hard_state(hs.clone());
            }
            g.on_read_states(rd.take_read_states());
            let mut committed = rd.take_committed_entries();
            msgs.extend(rd.take_persisted_messages());
            let mut light = g.raw.advance_append(rd);
            if let Some(commit) = light.commit_index() {
                g.raw.mut_store().set_commit(commit);
                let hs = g.raw.store().hard_state().clone();
                self.log.stage_hard_state(gid, &hs)?;
            }
            msgs.extend(light.take_messages());
            committed.extend(light.take_committed_entries());
            for m in msgs {
                route_message(gid, g, self.id, m, &mut outgoing, &mut snapshots_sent);
            }
            to_apply.push((gid, committed));
        }

        // One append + fsync for every group, before anything leaves the process.
        self.log.sync()?;

        for (to, envs) in outgoing {
            transport.send(to, envs);
        }
        for (gid, peer) in snapshots_sent {
            if let Some(g) = self.groups.get_mut(&gid) {
                g.raw.report_snapshot(peer, SnapshotStatus::Finish);
            }
        }

        for (gid, entries) in to_apply {
            self.apply(gid, entries)?;
        }
        if self.meta_version != meta_before {
            self.host_new_groups()?;
        }
        self.maybe_snapshot()?;
        Ok(())
    }

    fn apply(&mut self, gid: GroupId, entries: Vec<raft::eraftpb::Entry>) -> Result<(), ClusterError> {
        let Some(g) = self.groups.get_mut(&gid) else {
            return Ok(());
        };
        for e in entries {
            match e.get_entry_type() {
                EntryType::EntryNormal => {
                    let outputs = if e.data.is_empty() {
                        // The new leader's no-op, or a refused conf change.
                        Vec::new()
                    } else if gid == META_GROUP {
                        match postcard::from_bytes::<MetaCommand>(&e.data) {
                            Ok(cmd) => {
                                let outcome = self.meta.apply(e.index, cmd);
                                tracing::debug!(index = e.index, ?outcome, "metadata applied");
                                self.meta_version += 1;
                            }
                            Err(err) => {
                                tracing::warn!(index = e.index, %err, "undecodable metadata entry skipped")
                            }
                        }
                        Vec::new()
                    } else {
                        self.sm.apply(gid, e.index, e.term, &e.data)
                    };
                    g.settle(&e, false, outputs, &mut self.done);
                }
                EntryType::EntryConfChange => {
                    let cc = ConfChange::parse_from_bytes(&e.data)?;
                    match g.raw.apply_conf_change(&cc) {
                        Ok(cs) => g.raw.mut_store().set_conf_state(cs),
                        Err(err) => tracing::warn!(group = gid.0, %err, "conf change not applied"),
                    }
                    g.settle(&e, true, Vec::new(), &mut self.done);
                }
                EntryType::EntryConfChangeV2 => {
                    let cc = ConfChangeV2::parse_from_bytes(&e.data)?;
                    if !cc.context.is_empty() {
                        if let Ok(ctx) = postcard::from_bytes::<ConfChangeContext>(&cc.context) {
                            g.peers.extend(ctx.peers);
                        }
                    }
                    match g.raw.apply_conf_change(&cc) {
                        Ok(cs) => g.raw.mut_store().set_conf_state(cs),
                        Err(err) => tracing::warn!(group = gid.0, %err, "conf change not applied"),
                    }
                    g.settle(&e, true, Vec::new(), &mut self.done);
                }
            }
        }
        g.raw.advance_apply();
        let applied = g.raw.raft.raft_log.applied;
        g.reads_served(applied, &mut self.done);
        Ok(())
    }

    /// Cuts a snapshot of every group far enough past its last one (or asked for by raft),
    /// compacts its in-memory log, and rewrites the durable log when it grew enough.
    fn maybe_snapshot(&mut self) -> Result<(), ClusterError> {
        let mut cut = false;
        for (&gid, g) in self.groups.iter_mut() {
            let applied = g.raw.raft.raft_log.applied;
            let store = g.raw.store();
            let last_snap = store.latest_snapshot().get_metadata().index;
            let wanted = store.take_snapshot_wanted();
            if applied <= last_snap || (applied - last_snap < self.tuning.snapshot_entries && !wanted) {
                continue;
            }
            let term = store.term(applied)?;
            let data = if gid == META_GROUP {
                postcard::to_stdvec(&self.meta)?
            } else {
                self.sm.snapshot(gid)
            };
            let mut snap = Snapshot {
                data: data.into(),
                ..Default::default()
            };
            let m = snap.mut_metadata();
            m.index = applied;
            m.term = term;
            m.set_conf_state(store.conf_state().clone());
            self.log.save_local_snapshot(gid, &snap)?;
            g.raw.mut_store().compact_to(snap);
            cut = true;
        }
        if cut && self.log.len() > self.tuning.log_rewrite_bytes && self.log.len() > 2 * self.rewrite_floor {
            self.log
                .rewrite(self.groups.iter().map(|(g, grp)| (*g, grp.raw.store())))?;
            self.rewrite_floor = self.log.len();
        }
        Ok(())
    }

    /// The durability mode.
    pub fn durability(&self) -> Durability {
        self.log.mode()
    }
}

fn route_message(
    gid: GroupId,
    g: &Group,
    me: NodeId,
    m: Message,
    outgoing: &mut BTreeMap<NodeId, Vec<Envelope>>,
    snapshots_sent: &mut Vec<(GroupId, u64)>,
) {
    let to = match g.peers.get(&m.to) {
        Some(n) => *n,
        None if m.to < FIRST_DYNAMIC_PEER => NodeId(m.to & 0xFFFF),
        None => {
            tracing::warn!(group = gid.0, peer = m.to, "message to a peer of unknown node dropped");
            return;
        }
    };
    if m.get_msg_type() == MessageType::MsgSnapshot {
        snapshots_sent.push((gid, m.to));
    }
    match Envelope::new(gid, me, to, &m) {
        Ok(env) => outgoing.entry(to).or_default().push(env),
        Err(e) => tracing::error!(%e, "raft message did not encode"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{GroupSpec, NodeSpec, SLOTS};
    use crate::sim::Recorder;
    use crate::storage::SimDisk;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    struct TestClock(Arc<AtomicU64>);
    impl Clock for TestClock {
        fn now_ms(&self) -> u64 {
            self.0.load(Ordering::Relaxed)
        }
    }

    #[derive(Default)]
    struct Mailbox(Vec<Envelope>);
    impl Transport for Mailbox {
        fn send(&mut self, _to: NodeId, envs: Vec<Envelope>) {
            self.0.extend(envs);
        }
    }

    /// Three nodes on a perfect network, stepped in lock-step.
    struct Trio {
        nodes: Vec<Option<Node<Recorder>>>,
        disks: Vec<SimDisk>,
        spec: ClusterSpec,
        clock: Arc<AtomicU64>,
        done: Vec<(usize, TicketId, Outcome<u64>)>,
        durability: Durability,
    }

    impl Trio {
        fn new() -> Trio {
            Trio::with(Durability::Durable)
        }

        fn with(durability: Durability) -> Trio {
            Trio::sized(durability, 3)
        }

        /// `n` nodes; the metadata group and group 1 on the first three.
        fn sized(durability: Durability, n: u64) -> Trio {
            let nodes: Vec<NodeSpec> = (1..=n)
                .map(|i| NodeSpec {
                    id: NodeId(i),
                    ip: "127.0.0.1".into(),
                    port: 0,
                    cport: 0,
                    hostname: String::new(),
                })
                .collect();
            let spec = ClusterSpec {
                cluster_id: 1,
                nodes,
                meta_voters: vec![NodeId(1), NodeId(2), NodeId(3)],
                groups: vec![GroupSpec {
                    id: GroupId(1),
                    nodes: vec![NodeId(1), NodeId(2), NodeId(3)],
                    slots: vec![(0, SLOTS - 1)],
                    seed: 0,
                }],
            };
            let mut t = Trio {
                nodes: Vec::new(),
                disks: (0..n).map(|_| SimDisk::new()).collect(),
                spec,
                clock: Arc::new(AtomicU64::new(0)),
                done: Vec::new(),
                durability,
            };
            for i in 0..n as usize {
                let node = t.open(i);
                t.nodes.push(Some(node));
            }
            t
        }

        fn open(&self, i: usize) -> Node<Recorder> {
            self.try_open(i).unwrap()
        }

        fn try_open(&self, i: usize) -> Result<Node<Recorder>, ClusterError> {
            let cfg = NodeConfig {
                id: NodeId(i as u64 + 1),
                spec: self.spec.clone(),
                durability: self.durability,
                disk: Disk::Sim(self.disks[i].clone()),
                seed: i as u64,
                tuning: RaftTuning::default(),
            };
            Node::open(cfg, Recorder::default(), Box::new(TestClock(self.clock.clone())))
        }

        /// One tick of simulated time, with message exchange until quiet.
        fn tick(&mut self) {
            self.clock.fetch_add(100, Ordering::Relaxed);
            for n in self.nodes.iter_mut().flatten() {
                n.tick();
            }
            self.settle();
        }

        fn settle(&mut self) {
            for _ in 0..20 {
                let mut mail = Mailbox::default();
                for (i, n) in self.nodes.iter_mut().enumerate() {
                    let Some(n) = n else { continue };
                    n.drive(&mut mail).unwrap();
                    self.done
                        .extend(n.take_completions().into_iter().map(|(t, o)| (i, t, o)));
                }
                if mail.0.is_empty() {
                    return;
                }
                for env in mail.0 {
                    if let Some(n) = self.nodes[(env.to.0 - 1) as usize].as_mut() {
                        n.step(env).unwrap();
                    }
                }
            }
        }

        fn leader(&self, g: GroupId) -> Option<usize> {
            self.nodes.iter().position(|n| {
                n.as_ref()
                    .and_then(|n| n.status(g))
                    .is_some_and(|s| s.role == crate::group::Role::Leader)
            })
        }

        fn wait_leader(&mut self, g: GroupId) -> usize {
            for _ in 0..100 {
                if let Some(l) = self.leader(g) {
                    return l;
                }
                self.tick();
            }
            panic!("no leader for group {}", g.0)
        }

        fn outcome(&mut self, node: usize, t: TicketId) -> Outcome<u64> {
            for _ in 0..50 {
                if let Some(p) = self.done.iter().position(|(i, x, _)| *i == node && *x == t) {
                    return self.done.remove(p).2;
                }
                self.tick();
            }
            panic!("ticket never settled")
        }
    }

    fn batch(v: u64) -> Vec<u8> {
        crate::Batch {
            now_ms: 0,
            seed: 0,
            cmds: vec![vec![b"SADD".to_vec(), v.to_be_bytes().to_vec()]],
        }
        .encode()
        .unwrap()
    }

    #[test]
    fn a_created_group_is_hosted_by_its_members_and_survives_restart() {
        let mut t = Trio::new();
        let ml = t.wait_leader(META_GROUP);
        let cmd = MetaCommand::CreateGroup {
            group: GroupId(2),
            nodes: vec![NodeId(2), NodeId(3)],
            slots: vec![(0, 99)],
            seed: 5,
        };
        let tk = t.nodes[ml].as_mut().unwrap().propose_meta(&cmd, 60_000).unwrap();
        assert!(matches!(t.outcome(ml, tk), Outcome::Committed { .. }));
        t.settle();
        assert!(
            t.nodes[0].as_ref().unwrap().status(GroupId(2)).is_none(),
            "node 1 is no member"
        );
        let l = t.wait_leader(GroupId(2));
        assert_ne!(l, 0);
        let tk = t.nodes[l]
            .as_mut()
            .unwrap()
            .propose(GroupId(2), batch(7), 60_000)
            .unwrap();
        let Outcome::Committed { outputs, .. } = t.outcome(l, tk) else {
            panic!("not committed")
        };
        assert_eq!(outputs, vec![7]);
        for _ in 0..5 {
            t.tick();
        }
        // Restart node 3: it finds group 2 again (its creation is replayed from the metadata
        // log) along with the group's own log, and re-applies the write.
        t.nodes[2] = None;
        let n3 = t.open(2);
        t.nodes[2] = Some(n3);
        for _ in 0..30 {
            t.tick();
        }
        let n3 = t.nodes[2].as_ref().unwrap();
        let h = &n3.state_machine().history[&GroupId(2)];
        assert_eq!(h.len(), 1);
        assert_eq!(
            crate::Batch::decode(&h[0].data).unwrap().cmds[0][1],
            7u64.to_be_bytes().to_vec()
        );
        assert_eq!(n3.meta().slot_owner(50), Some(GroupId(2)));
    }

    #[test]
    fn a_second_membership_change_while_one_is_pending_is_refused() {
        let mut t = Trio::new();
        let l = t.wait_leader(GroupId(1));
        let f = (l + 1) % 3;
        let node = NodeId(f as u64 + 1);
        let peer = crate::meta::bootstrap_peer_id(GroupId(1), node);
        let n = t.nodes[l].as_mut().unwrap();
        let change = [MemberChange::AddLearner { peer, node }];
        let a = n.change_membership(GroupId(1), &change, 60_000).unwrap();
        let b = n.change_membership(GroupId(1), &change, 60_000).unwrap();
        assert!(matches!(t.outcome(l, a), Outcome::Committed { .. }));
        assert_eq!(t.outcome(l, b), Outcome::Failed(crate::group::Failure::Refused));
        for _ in 0..10 {
            t.tick();
        }
        let st = t.nodes[l].as_ref().unwrap().status(GroupId(1)).unwrap();
        assert!(!st.joint, "the demotion left joint consensus");
        assert_eq!(st.learners, vec![node]);
        assert_eq!(st.voters.len(), 2);
    }

    #[test]
    fn memory_mode_replicates_but_a_restarted_process_must_rejoin() {
        let mut t = Trio::with(Durability::Memory);
        let l = t.wait_leader(GroupId(1));
        let tk = t.nodes[l]
            .as_mut()
            .unwrap()
            .propose(GroupId(1), batch(9), 60_000)
            .unwrap();
        assert!(matches!(t.outcome(l, tk), Outcome::Committed { .. }));
        let f = (l + 1) % 3;
        for _ in 0..5 {
            t.tick();
        }
        assert_eq!(
            t.nodes[f].as_ref().unwrap().state_machine().history[&GroupId(1)].len(),
            1
        );
        // Entries never reached the disk; only votes did.
        let before = t.disks[f].total_bytes();
        assert!(before > 0);
        t.nodes[f] = None;
        assert!(matches!(t.try_open(f), Err(ClusterError::LogLost)));
        // The two others still hold the write and keep serving.
        let tk = t.nodes[l]
            .as_mut()
            .unwrap()
            .propose(GroupId(1), batch(10), 60_000)
            .unwrap();
        assert!(matches!(t.outcome(l, tk), Outcome::Committed { .. }));
    }

    #[test]
    fn a_replica_placed_on_a_new_node_joins_by_snapshot_and_replaces_an_old_one() {
        let mut t = Trio::sized(Durability::Durable, 4);
        let l = t.wait_leader(GroupId(1));
        for v in 0..40 {
            let tk = t.nodes[l]
                .as_mut()
                .unwrap()
                .propose(GroupId(1), batch(v), 60_000)
                .unwrap();
            assert!(matches!(t.outcome(l, tk), Outcome::Committed { .. }));
        }
        assert!(t.nodes[3].as_ref().unwrap().status(GroupId(1)).is_none());

        // The metadata places a replica on node 4 (node 4 is a metadata learner).
        let ml = t.wait_leader(META_GROUP);
        let cmd = MetaCommand::AddReplica {
            group: GroupId(1),
            node: NodeId(4),
        };
        let tk = t.nodes[ml].as_mut().unwrap().propose_meta(&cmd, 60_000).unwrap();
        assert!(matches!(t.outcome(ml, tk), Outcome::Committed { .. }));
        for _ in 0..3 {
            t.tick();
        }
        let peer = t.nodes[3].as_ref().unwrap().meta().groups[&GroupId(1)].added[0].id;
        assert!(
            t.nodes[3].as_ref().unwrap().status(GroupId(1)).is_some(),
            "node 4 hosts the replica"
        );

        // The group adds it as a learner; it catches up (by snapshot: its log is empty and the
        // bootstrap is not in anyone's log), then is promoted and replaces node 1's replica in
        // one joint step.
        let l = t.wait_leader(GroupId(1));
        let add = [MemberChange::AddLearner { peer, node: NodeId(4) }];
        let tk = t.nodes[l]
            .as_mut()
            .unwrap()
            .change_membership(GroupId(1), &add, 60_000)
            .unwrap();
        assert!(matches!(t.outcome(l, tk), Outcome::Committed { .. }));
        for _ in 0..10 {
            t.tick();
        }
        assert_eq!(
            t.nodes[3].as_ref().unwrap().state_machine().history[&GroupId(1)].len(),
            40
        );
        let old = crate::meta::bootstrap_peer_id(GroupId(1), NodeId(1));
        let swap = [
            MemberChange::AddVoter { peer, node: NodeId(4) },
            MemberChange::Remove { peer: old },
        ];
        let l = t.wait_leader(GroupId(1));
        let tk = t.nodes[l]
            .as_mut()
            .unwrap()
            .change_membership(GroupId(1), &swap, 60_000)
            .unwrap();
        assert!(matches!(t.outcome(l, tk), Outcome::Committed { .. }));
        for _ in 0..20 {
            t.tick();
        }
        // Node 1 is gone for good; the group keeps committing on nodes 2, 3 and 4.
        t.nodes[0] = None;
        let l = t.wait_leader(GroupId(1));
        let st = t.nodes[l].as_ref().unwrap().status(GroupId(1)).unwrap();
        assert_eq!(st.voters, vec![NodeId(2), NodeId(3), NodeId(4)]);
        assert!(!st.joint);
        let tk = t.nodes[l]
            .as_mut()
            .unwrap()
            .propose(GroupId(1), batch(99), 60_000)
            .unwrap();
        assert!(matches!(t.outcome(l, tk), Outcome::Committed { .. }));
        for _ in 0..5 {
            t.tick();
        }
        assert_eq!(
            t.nodes[3].as_ref().unwrap().state_machine().history[&GroupId(1)].len(),
            41
        );
    }
}
