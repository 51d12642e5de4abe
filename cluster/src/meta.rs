//! The metadata group's state machine (`GroupId(0)`): nodes, groups, slot ownership, leader
//! hints — the cluster manager, replicated on every node (voters plus learners).
//!
//! Invariants:
//! - Every change is one log entry; `epoch` is the log index of the last applied change, so all
//!   replicas that applied the same prefix render identical `CLUSTER SLOTS`.
//! - Peer ids are never reused: bootstrap peers get `(group << 16) | node`, later ones come from
//!   `next_peer_id`, which only grows.
//! - `LeaderChanged` keeps the hint with the highest term; an older report never wins.
//! - Every one of the 16384 slots belongs to at most one group at any epoch.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ClusterError;
use crate::{GroupId, NodeId, META_GROUP};

/// Number of hash slots (Redis Cluster's).
pub const SLOTS: u16 = 16384;

/// The first peer id handed out after bootstrap (bootstrap ids are below it).
pub const FIRST_DYNAMIC_PEER: u64 = 1 << 48;

/// The peer id of `node` in `group` for the members created at bootstrap.
pub fn bootstrap_peer_id(group: GroupId, node: NodeId) -> u64 {
    (group.0 << 16) | (node.0 & 0xFFFF)
}

/// Whether a node is serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeState {
    /// A member in good standing.
    Online,
    /// Marked failed by the cluster manager.
    Failed,
    /// Removed; its id is never reused.
    Removed,
}

/// A process of the cluster as clients see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeInfo {
    /// Redis-style node name: 40 hex characters.
    pub name: String,
    /// Announced IP.
    pub ip: String,
    /// Client port.
    pub port: u16,
    /// Cluster bus (peer) port.
    pub cport: u16,
    /// Announced hostname (may be empty).
    pub hostname: String,
    /// Serving state.
    pub state: NodeState,
}

/// One replica of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    /// Raft peer id, unique forever.
    pub id: u64,
    /// The node hosting it.
    pub node: NodeId,
}

/// A raft group as the metadata knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupInfo {
    /// Voters.
    pub peers: Vec<Peer>,
    /// Learners.
    pub learners: Vec<Peer>,
    /// Replicas added after the group was created (`AddReplica`): each starts empty on its
    /// node and joins through a membership change of the group (learner, then voter).
    pub added: Vec<Peer>,
    /// The latest reported leader and its term.
    pub leader_hint: Option<(NodeId, u64)>,
    /// Hash-table seed of the shard, identical on every replica.
    pub seed: u64,
}

/// A contiguous range of slots owned by one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotRange {
    /// First slot.
    pub start: u16,
    /// Last slot (inclusive).
    pub end: u16,
    /// The owner.
    pub group: GroupId,
}

/// A change to the metadata: one log entry of the metadata group (postcard-encoded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MetaCommand {
    /// A new node joins (its id must be new).
    AddNode {
        /// Its id.
        id: NodeId,
        /// How clients and peers reach it.
        info: NodeInfo,
    },
    /// A node leaves for good; its id is never reused.
    RemoveNode {
        /// Its id.
        id: NodeId,
    },
    /// Marks a node online or failed.
    SetNodeState {
        /// Its id.
        id: NodeId,
        /// The new state.
        state: NodeState,
    },
    /// A new shard group on `nodes` (peer ids allocated here) owning `slots`.
    CreateGroup {
        /// The new group's id.
        group: GroupId,
        /// Member nodes (voters).
        nodes: Vec<NodeId>,
        /// Slot ranges, inclusive.
        slots: Vec<(u16, u16)>,
        /// Hash seed of the shard.
        seed: u64,
    },
    /// Gives slot ranges to an existing group.
    AssignSlots {
        /// New owner.
        group: GroupId,
        /// Ranges, inclusive.
        ranges: Vec<(u16, u16)>,
    },
    /// Places a new replica of `group` on `node` with a fresh peer id. The node starts it
    /// empty; the group's leader then adds the peer by a membership change
    /// (`Node::change_membership`), and it catches up by snapshot.
    AddReplica {
        /// The group.
        group: GroupId,
        /// The node that will host the replica.
        node: NodeId,
    },
    /// A group elected `node` in `term` (kept only if newer than the current hint).
    LeaderChanged {
        /// The group.
        group: GroupId,
        /// The leader's term.
        term: u64,
        /// The leader's node.
        node: NodeId,
    },
}

impl MetaCommand {
    /// Encodes with postcard.
    pub fn encode(&self) -> Result<Vec<u8>, ClusterError> {
        Ok(postcard::to_stdvec(self)?)
    }
}

/// What applying a metadata command did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaOutcome {
    /// The change took effect at this epoch.
    Applied,
    /// The command was valid bytes but refused; nothing changed.
    Rejected(String),
}

/// Where a slot's requests go, from this node's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// This node leads the owning group: serve here.
    Local(GroupId),
    /// Another node leads (or is believed to lead) the owning group: answer `MOVED`.
    Moved {
        /// The owning group.
        group: GroupId,
        /// Its leader.
        node: NodeId,
    },
    /// No owner or no known leader: `CLUSTERDOWN` (after parking briefly).
    Down,
}

/// The replicated cluster metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterMeta {
    /// Identifies the cluster (peers of another cluster are refused).
    pub cluster_id: u64,
    /// Metadata log index of the last change.
    pub epoch: u64,
    /// Every node ever added.
    pub nodes: BTreeMap<NodeId, NodeInfo>,
    /// Every group, the metadata group included.
    pub groups: BTreeMap<GroupId, GroupInfo>,
    /// Slot ownership as sorted, disjoint ranges.
    pub slots: Vec<SlotRange>,
    /// The next peer id to hand out.
    pub next_peer_id: u64,
}

impl ClusterMeta {
    /// Applies one committed command at `index`.
    pub fn apply(&mut self, index: u64, cmd: MetaCommand) -> MetaOutcome {
        let outcome = self.apply_inner(cmd);
        if outcome == MetaOutcome::Applied {
            self.epoch = index;
        }
        outcome
    }

    fn apply_inner(&mut self, cmd: MetaCommand) -> MetaOutcome {
        match cmd {
            MetaCommand::AddNode { id, info } => {
                if id.0 == 0 || self.nodes.contains_key(&id) {
                    return MetaOutcome::Rejected(format!("node id {} is taken", id.0));
                }
                self.nodes.insert(id, info);
            }
            MetaCommand::RemoveNode { id } => match self.nodes.get_mut(&id) {
                Some(n) => n.state = NodeState::Removed,
                None => return MetaOutcome::Rejected(format!("no node {}", id.0)),
            },
            MetaCommand::SetNodeState { id, state } => match self.nodes.get_mut(&id) {
                Some(n) if n.state != NodeState::Removed => n.state = state,
                _ => return MetaOutcome::Rejected(format!("no live node {}", id.0)),
            },
            MetaCommand::CreateGroup {
                group,
                nodes,
                slots,
                seed,
            } => {
                if group == META_GROUP || self.groups.contains_key(&group) {
                    return MetaOutcome::Rejected(format!("group {} exists", group.0));
                }
                if let Some(n) = nodes.iter().find(|n| !self.nodes.contains_key(n)) {
                    return MetaOutcome::Rejected(format!("no node {}", n.0));
                }
                if let Some(r) = bad_range(&slots) {
                    return r;
                }
                let peers = nodes
                    .iter()
                    .map(|&node| {
                        let id = self.next_peer_id;
                        self.next_peer_id += 1;
                        Peer { id, node }
                    })
                    .collect();
                self.groups.insert(
                    group,
                    GroupInfo {
                        peers,
                        learners: Vec::new(),
                        added: Vec::new(),
                        leader_hint: None,
                        seed,
                    },
                );
                self.assign(group, &slots);
            }
            MetaCommand::AssignSlots { group, ranges } => {
                if group == META_GROUP || !self.groups.contains_key(&group) {
                    return MetaOutcome::Rejected(format!("no shard group {}", group.0));
                }
                if let Some(r) = bad_range(&ranges) {
                    return r;
                }
                self.assign(group, &ranges);
            }
            MetaCommand::AddReplica { group, node } => {
                if !self.nodes.get(&node).is_some_and(|n| n.state != NodeState::Removed) {
                    return MetaOutcome::Rejected(format!("no live node {}", node.0));
                }
                let next = self.next_peer_id;
                let Some(g) = self.groups.get_mut(&group) else {
                    return MetaOutcome::Rejected(format!("no group {}", group.0));
                };
                if g.peers
                    .iter()
                    .chain(&g.learners)
                    .chain(&g.added)
                    .any(|p| p.node == node)
                {
                    return MetaOutcome::Rejected(format!("node {} already hosts group {}", node.0, group.0));
                }
                g.added.push(Peer { id: next, node });
                self.next_peer_id += 1;
            }
            MetaCommand::LeaderChanged { group, term, node } => {
                let Some(g) = self.groups.get_mut(&group) else {
                    return MetaOutcome::Rejected(format!("no group {}", group.0));
                };
                match g.leader_hint {
                    Some((_, t)) if t >= term => {
                        return MetaOutcome::Rejected(format!("stale leader report, term {term}"))
                    }
                    _ => g.leader_hint = Some((node, term)),
                }
            }
        }
        MetaOutcome::Applied
    }

    fn assign(&mut self, group: GroupId, ranges: &[(u16, u16)]) {
        let mut owner: Vec<Option<GroupId>> = vec![None; SLOTS as usize];
        for r in &self.slots {
            for s in r.start..=r.end {
                owner[s as usize] = Some(r.group);
            }
        }
        for &(a, b) in ranges {
            for s in a..=b {
                owner[s as usize] = Some(group);
            }
        }
        let mut out: Vec<SlotRange> = Vec::new();
        for (s, g) in owner.into_iter().enumerate() {
            let Some(g) = g else { continue };
            let s = s as u16;
            match out.last_mut() {
                Some(last) if last.group == g && last.end + 1 == s => last.end = s,
                _ => out.push(SlotRange {
                    start: s,
                    end: s,
                    group: g,
                }),
            }
        }
        self.slots = out;
    }

    /// The group owning `slot`, if any.
    pub fn slot_owner(&self, slot: u16) -> Option<GroupId> {
        let i = self.slots.partition_point(|r| r.end < slot);
        self.slots
            .get(i)
            .filter(|r| r.start <= slot && slot <= r.end)
            .map(|r| r.group)
    }

    /// Whether every slot has an owner (`cluster_state:ok` needs it, as do clients that want
    /// full coverage).
    pub fn fully_covered(&self) -> bool {
        self.slots.iter().map(|r| (r.end - r.start) as u32 + 1).sum::<u32>() == SLOTS as u32
    }

    /// Routes `slot` as seen from `me`. `live_leader` gives the leader a hosting replica knows
    /// first-hand (raft's own leader id); otherwise the metadata's hint is used.
    pub fn route(&self, slot: u16, me: NodeId, live_leader: impl Fn(GroupId) -> Option<NodeId>) -> Route {
        let Some(group) = self.slot_owner(slot) else {
            return Route::Down;
        };
        let leader = live_leader(group).or_else(|| self.groups.get(&group).and_then(|g| g.leader_hint).map(|(n, _)| n));
        match leader {
            Some(n) if n == me => Route::Local(group),
            Some(node) => Route::Moved { group, node },
            None => Route::Down,
        }
    }

    /// The node hosting `peer` in `group`.
    pub fn peer_node(&self, group: GroupId, peer: u64) -> Option<NodeId> {
        let g = self.groups.get(&group)?;
        g.peers
            .iter()
            .chain(g.learners.iter())
            .chain(g.added.iter())
            .find(|p| p.id == peer)
            .map(|p| p.node)
    }
}

fn bad_range(ranges: &[(u16, u16)]) -> Option<MetaOutcome> {
    ranges
        .iter()
        .find(|(a, b)| a > b || *b >= SLOTS)
        .map(|(a, b)| MetaOutcome::Rejected(format!("bad slot range {a}-{b}")))
}

/// A node of the bootstrap spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSpec {
    /// Node id (1..=65535 for bootstrap nodes).
    pub id: NodeId,
    /// IP (peers connect to `ip:cport`; outgoing sockets bind to `ip`).
    pub ip: String,
    /// Client port.
    pub port: u16,
    /// Cluster bus port.
    pub cport: u16,
    /// Announced hostname.
    pub hostname: String,
}

/// A shard group of the bootstrap spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSpec {
    /// Group id (not 0).
    pub id: GroupId,
    /// Member nodes (all voters).
    pub nodes: Vec<NodeId>,
    /// Slot ranges, inclusive.
    pub slots: Vec<(u16, u16)>,
    /// Hash seed of the shard.
    pub seed: u64,
}

/// The fixed initial configuration: `N` processes started with the same spec form the
/// metadata group and the shard groups with the same peer ids and the same initial metadata,
/// with no message exchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterSpec {
    /// Cluster id.
    pub cluster_id: u64,
    /// Every node.
    pub nodes: Vec<NodeSpec>,
    /// Voters of the metadata group (3 or 5); every other node is a learner of it.
    pub meta_voters: Vec<NodeId>,
    /// Shard groups.
    pub groups: Vec<GroupSpec>,
}

impl ClusterSpec {
    /// One shard group holding all slots on every node, every node a metadata voter: the
    /// `--cluster-init --peers a,b,c` layout.
    pub fn single_shard(cluster_id: u64, nodes: Vec<NodeSpec>, seed: u64) -> ClusterSpec {
        let ids: Vec<NodeId> = nodes.iter().map(|n| n.id).collect();
        ClusterSpec {
            cluster_id,
            nodes,
            meta_voters: ids.clone(),
            groups: vec![GroupSpec {
                id: GroupId(1),
                nodes: ids,
                slots: vec![(0, SLOTS - 1)],
                seed,
            }],
        }
    }

    /// Checks ids, membership and slot ranges.
    pub fn validate(&self) -> Result<(), ClusterError> {
        let bad = |s: String| Err(ClusterError::InvalidSpec(s));
        let mut ids: Vec<u64> = self.nodes.iter().map(|n| n.id.0).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != self.nodes.len() {
            return bad("duplicate node id".into());
        }
        if ids.iter().any(|&i| i == 0 || i > 0xFFFF) {
            return bad("node ids must be in 1..=65535".into());
        }
        let known = |n: &NodeId| ids.binary_search(&n.0).is_ok();
        if self.meta_voters.is_empty() || !self.meta_voters.iter().all(known) {
            return bad("metadata voters must be known nodes".into());
        }
        let mut owned = vec![false; SLOTS as usize];
        for g in &self.groups {
            if g.id == META_GROUP || g.id.0 >= 1 << 47 {
                return bad(format!("bad group id {}", g.id.0));
            }
            if g.nodes.is_empty() || !g.nodes.iter().all(known) {
                return bad(format!("group {} members must be known nodes", g.id.0));
            }
            for &(a, b) in &g.slots {
                if a > b || b >= SLOTS {
                    return bad(format!("bad slot range {a}-{b}"));
                }
                for s in a..=b {
                    if std::mem::replace(&mut owned[s as usize], true) {
                        return bad(format!("slot {s} owned twice"));
                    }
                }
            }
        }
        Ok(())
    }

    /// The metadata every node starts from (epoch 0).
    pub fn initial_meta(&self) -> ClusterMeta {
        let nodes = self
            .nodes
            .iter()
            .map(|n| {
                (
                    n.id,
                    NodeInfo {
                        name: node_name(self.cluster_id, n.id),
                        ip: n.ip.clone(),
                        port: n.port,
                        cport: n.cport,
                        hostname: n.hostname.clone(),
                        state: NodeState::Online,
                    },
                )
            })
            .collect();
        let mut groups = BTreeMap::new();
        let peer = |g: GroupId, n: NodeId| Peer {
            id: bootstrap_peer_id(g, n),
            node: n,
        };
        groups.insert(
            META_GROUP,
            GroupInfo {
                peers: self.meta_voters.iter().map(|&n| peer(META_GROUP, n)).collect(),
                learners: self
                    .nodes
                    .iter()
                    .filter(|n| !self.meta_voters.contains(&n.id))
                    .map(|n| peer(META_GROUP, n.id))
                    .collect(),
                added: Vec::new(),
                leader_hint: None,
                seed: 0,
            },
        );
        let mut meta = ClusterMeta {
            cluster_id: self.cluster_id,
            epoch: 0,
            nodes,
            groups,
            slots: Vec::new(),
            next_peer_id: FIRST_DYNAMIC_PEER,
        };
        for g in &self.groups {
            meta.groups.insert(
                g.id,
                GroupInfo {
                    peers: g.nodes.iter().map(|&n| peer(g.id, n)).collect(),
                    learners: Vec::new(),
                    added: Vec::new(),
                    leader_hint: None,
                    seed: g.seed,
                },
            );
            meta.assign(g.id, &g.slots);
        }
        meta
    }
}

/// A Redis-style 40-hex node name derived from the cluster and node ids.
pub fn node_name(cluster_id: u64, node: NodeId) -> String {
    let mut h = crc32fast::Hasher::new();
    h.update(&cluster_id.to_le_bytes());
    h.update(&node.0.to_le_bytes());
    format!("{:016x}{:016x}{:08x}", cluster_id, node.0, h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(n: u64) -> ClusterSpec {
        let nodes = (1..=n)
            .map(|i| NodeSpec {
                id: NodeId(i),
                ip: format!("127.0.0.{}", i + 1),
                port: 7000,
                cport: 17000,
                hostname: String::new(),
            })
            .collect();
        ClusterSpec::single_shard(9, nodes, 77)
    }

    #[test]
    fn bootstrap_meta_covers_all_slots_with_derived_peers() {
        let s = spec(3);
        s.validate().unwrap();
        let m = s.initial_meta();
        assert!(m.fully_covered());
        assert_eq!(m.slot_owner(0), Some(GroupId(1)));
        assert_eq!(m.slot_owner(SLOTS - 1), Some(GroupId(1)));
        assert_eq!(
            m.peer_node(GroupId(1), bootstrap_peer_id(GroupId(1), NodeId(2))),
            Some(NodeId(2))
        );
        assert_eq!(m.nodes[&NodeId(1)].name.len(), 40);
        assert_eq!(s.initial_meta(), m, "bootstrap is deterministic");
    }

    #[test]
    fn leader_hint_keeps_highest_term() {
        let mut m = spec(3).initial_meta();
        let cmd = |term, node| MetaCommand::LeaderChanged {
            group: GroupId(1),
            term,
            node: NodeId(node),
        };
        assert_eq!(m.apply(5, cmd(3, 2)), MetaOutcome::Applied);
        assert!(matches!(m.apply(6, cmd(2, 1)), MetaOutcome::Rejected(_)));
        assert_eq!(m.groups[&GroupId(1)].leader_hint, Some((NodeId(2), 3)));
        assert_eq!(m.epoch, 5);
        assert_eq!(m.route(100, NodeId(2), |_| None), Route::Local(GroupId(1)));
        assert_eq!(
            m.route(100, NodeId(1), |_| None),
            Route::Moved {
                group: GroupId(1),
                node: NodeId(2)
            }
        );
        assert_eq!(m.route(100, NodeId(1), |_| Some(NodeId(1))), Route::Local(GroupId(1)));
    }

    #[test]
    fn create_group_and_assign_slots_split_ranges() {
        let mut m = spec(3).initial_meta();
        let out = m.apply(
            7,
            MetaCommand::CreateGroup {
                group: GroupId(2),
                nodes: vec![NodeId(1), NodeId(3)],
                slots: vec![(100, 199)],
                seed: 5,
            },
        );
        assert_eq!(out, MetaOutcome::Applied);
        assert_eq!(m.slot_owner(99), Some(GroupId(1)));
        assert_eq!(m.slot_owner(150), Some(GroupId(2)));
        assert_eq!(m.slot_owner(200), Some(GroupId(1)));
        assert_eq!(m.slots.len(), 3);
        assert!(m.fully_covered());
        assert_eq!(m.groups[&GroupId(2)].peers[0].id, FIRST_DYNAMIC_PEER);
        assert_eq!(
            m.apply(
                8,
                MetaCommand::AssignSlots {
                    group: GroupId(1),
                    ranges: vec![(100, 199)]
                }
            ),
            MetaOutcome::Applied
        );
        assert_eq!(m.slots.len(), 1);
        assert_eq!(m.route(150, NodeId(1), |_| None), Route::Down);
        assert!(matches!(
            m.apply(
                9,
                MetaCommand::AssignSlots {
                    group: GroupId(1),
                    ranges: vec![(5, 16384)]
                }
            ),
            MetaOutcome::Rejected(_)
        ));
        assert_eq!(m.epoch, 8);
    }

    #[test]
    fn spec_with_overlapping_slots_is_invalid() {
        let mut s = spec(3);
        s.groups.push(GroupSpec {
            id: GroupId(2),
            nodes: vec![NodeId(1)],
            slots: vec![(5, 5)],
            seed: 0,
        });
        assert!(s.validate().is_err());
    }
}
