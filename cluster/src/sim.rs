//! Deterministic simulation of a Shoal cluster: `n` real [`Node`]s (real raft-rs, real
//! durable-log code on a [`SimDisk`]) joined by a simulated network, driven by one seeded RNG
//! and one simulated clock. Same seed, same run, bit for bit.
//!
//! Workload: unique values written as one-command batches and linearizable reads, spread over
//! every shard group the metadata knows; half the seeds create a second shard group through
//! the metadata group mid-run (its members start replicas when the entry applies).
//!
//! Faults: message loss, duplication, delay and reordering; directed link cuts (isolate the
//! leader, minority/majority splits); process pauses; crashes that tear the unsynced tail of
//! the log (one node, or every node at once), followed by restarts from disk; leader
//! transfers; membership changes (joint consensus, refused changes).
//!
//! Invariants checked while running and after healing:
//! 1. at most one leader per (group, term);
//! 2. an index, once applied anywhere, holds the same (term, data) everywhere, forever
//!    (committed entries never change, identical apply order on every replica);
//! 3. each replica applies indexes in increasing order (empty no-ops never reach the state
//!    machine; a restore from a snapshot restarts the scan);
//! 4. a proposal settled `Committed{index, term}` is exactly the entry applied at that index;
//!    one settled `Failed` is never applied anywhere; no value is applied twice;
//! 5. a linearizable read's index covers every write acknowledged before the read began;
//! 6. after healing, every replica has applied every acknowledged write, and all replicas
//!    hold identical histories.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::codec::{Batch, Envelope};
use crate::group::{Outcome, RaftTuning, Role, TicketId};
use crate::meta::{ClusterSpec, NodeSpec};
use crate::node::{MemberChange, Node, NodeConfig, StateMachine, Transport};
use crate::storage::{Disk, Durability, SimDisk};
use crate::{Clock, GroupId, NodeId};

/// The shard group the workload writes to.
pub const SIM_GROUP: GroupId = GroupId(1);

/// One entry as the recorder saw it applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// Log index.
    pub index: u64,
    /// Term.
    pub term: u64,
    /// The proposed bytes.
    pub data: Vec<u8>,
}

/// A state machine that records every applied entry; its snapshot is the whole history, so
/// replicas can be compared exactly even across restores.
#[derive(Debug, Default)]
pub struct Recorder {
    /// Applied entries per group, in apply order.
    pub history: BTreeMap<GroupId, Vec<Applied>>,
    /// Set when a restore replaced a history (the checker rescans it).
    pub restored: bool,
}

impl StateMachine for Recorder {
    type Output = u64;

    fn apply(&mut self, group: GroupId, index: u64, term: u64, data: &[u8]) -> Vec<u64> {
        self.history.entry(group).or_default().push(Applied {
            index,
            term,
            data: data.to_vec(),
        });
        match Batch::decode(data) {
            Ok(b) => b.cmds.iter().map(|argv| value_of(argv)).collect(),
            Err(_) => Vec::new(),
        }
    }

    fn snapshot(&mut self, group: GroupId) -> Vec<u8> {
        let h = self.history.get(&group).cloned().unwrap_or_default();
        postcard::to_stdvec(&h).unwrap_or_default()
    }

    fn restore(&mut self, group: GroupId, data: &[u8]) {
        let h: Vec<Applied> = postcard::from_bytes(data).unwrap_or_default();
        self.history.insert(group, h);
        self.restored = true;
    }
}

fn value_of(argv: &[Vec<u8>]) -> u64 {
    argv.get(1)
        .and_then(|v| v.as_slice().try_into().ok())
        .map(u64::from_be_bytes)
        .unwrap_or(u64::MAX)
}

fn batch_for(value: u64, now_ms: u64) -> Vec<u8> {
    Batch {
        now_ms,
        seed: value,
        cmds: vec![vec![b"SADD".to_vec(), value.to_be_bytes().to_vec()]],
    }
    .encode()
    .unwrap_or_default()
}

fn values_in(data: &[u8]) -> Vec<u64> {
    Batch::decode(data)
        .map(|b| b.cmds.iter().map(|a| value_of(a)).collect())
        .unwrap_or_default()
}

#[derive(Debug, Clone)]
struct SimClock(Arc<AtomicU64>);

impl Clock for SimClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Knobs of one simulation.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Number of nodes (3 or 5).
    pub nodes: usize,
    /// Simulated milliseconds of faulty running before healing.
    pub run_ms: u64,
    /// Simulated milliseconds allowed for convergence after healing.
    pub heal_ms: u64,
    /// Probability that a message is lost.
    pub drop: f64,
    /// Probability that a message is delivered twice.
    pub duplicate: f64,
    /// Maximum one-way delay in ms (delays are uniform in 1..=max, so messages reorder).
    pub max_delay_ms: u64,
    /// Mean milliseconds between faults.
    pub fault_every_ms: u64,
    /// Mean milliseconds between client operations.
    pub op_every_ms: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            nodes: 3,
            run_ms: 5_000,
            heal_ms: 20_000,
            drop: 0.02,
            duplicate: 0.01,
            max_delay_ms: 20,
            fault_every_ms: 1_200,
            op_every_ms: 40,
        }
    }
}

/// What a run did (for reports).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimReport {
    /// Writes acknowledged as committed.
    pub acked: usize,
    /// Writes settled as definitely failed.
    pub failed: usize,
    /// Writes whose outcome was indeterminate.
    pub indeterminate: usize,
    /// Reads served.
    pub reads: usize,
    /// Faults injected.
    pub faults: usize,
    /// Crashes (each followed by a restart).
    pub crashes: usize,
    /// Entries applied across all shard groups.
    pub final_index: u64,
    /// Highest term reached.
    pub max_term: u64,
    /// Simulated milliseconds from healing to convergence.
    pub heal_ms: u64,
    /// Shard groups at the end (1 + those created during the run).
    pub groups: u64,
    /// Membership changes committed.
    pub conf_committed: usize,
    /// Membership changes refused by raft (another one pending).
    pub conf_refused: usize,
}

/// An invariant violation, with the seed that replays it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimFailure {
    /// The seed.
    pub seed: u64,
    /// Simulated time of detection.
    pub at_ms: u64,
    /// What went wrong.
    pub what: String,
}

impl std::fmt::Display for SimFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "seed {} failed at {} ms: {} (replay: SHOAL_SIM_SEED={} cargo test -p shoal-cluster --test sim)",
            self.seed, self.at_ms, self.what, self.seed
        )
    }
}

struct InFlight {
    at: u64,
    seq: u64,
    from: NodeId,
    to: NodeId,
    envs: Vec<Envelope>,
}

#[derive(Default)]
struct Outbox(Vec<(NodeId, Vec<Envelope>)>);

impl Transport for Outbox {
    fn send(&mut self, to: NodeId, envelopes: Vec<Envelope>) {
        self.0.push((to, envelopes));
    }
}

enum Op {
    Write(u64, GroupId, Vec<u8>),
    Read(GroupId, u64),
    Conf,
    Meta,
}

struct SimNode {
    id: NodeId,
    node: Option<Node<Recorder>>,
    disk: SimDisk,
    paused_until: u64,
    next_tick: u64,
    restart_at: Option<u64>,
    /// Per group: how much of the recorder's history was checked, and the next index
    /// allowed.
    checked: BTreeMap<GroupId, (usize, u64)>,
    ops: BTreeMap<TicketId, Op>,
}

/// The simulator.
pub struct Sim {
    seed: u64,
    cfg: SimConfig,
    rng: SmallRng,
    clock: Arc<AtomicU64>,
    spec: ClusterSpec,
    tuning: RaftTuning,
    nodes: Vec<SimNode>,
    net: Vec<InFlight>,
    net_seq: u64,
    cut: BTreeSet<(NodeId, NodeId)>,
    leaders: BTreeMap<(GroupId, u64), NodeId>,
    log: BTreeMap<(GroupId, u64), (u64, Vec<u8>)>,
    applied_values: BTreeMap<u64, (GroupId, u64)>,
    acked: BTreeMap<u64, (GroupId, u64)>,
    failed: BTreeSet<u64>,
    next_value: u64,
    max_acked_index: BTreeMap<GroupId, u64>,
    next_group: u64,
    report: SimReport,
    trace: bool,
}

impl Sim {
    /// A fresh cluster for `seed`.
    pub fn new(seed: u64, cfg: SimConfig) -> Sim {
        let nodes: Vec<NodeSpec> = (1..=cfg.nodes as u64)
            .map(|i| NodeSpec {
                id: NodeId(i),
                ip: format!("127.0.0.{}", i + 1),
                port: 7000,
                cport: 17000,
                hostname: String::new(),
            })
            .collect();
        let mut spec = ClusterSpec::single_shard(seed, nodes, seed);
        // With 5 nodes the metadata group has 3 voters and 2 learners, as in production.
        spec.meta_voters.truncate(3);
        let tuning = RaftTuning {
            snapshot_entries: 25,
            log_rewrite_bytes: 8 * 1024,
            ..RaftTuning::default()
        };
        let mut rng = SmallRng::seed_from_u64(seed);
        let sim_nodes = (1..=cfg.nodes as u64)
            .map(|i| SimNode {
                id: NodeId(i),
                node: None,
                disk: SimDisk::new(),
                paused_until: 0,
                next_tick: rng.random_range(1..100),
                restart_at: None,
                checked: BTreeMap::new(),
                ops: BTreeMap::new(),
            })
            .collect();
        let mut sim = Sim {
            seed,
            cfg,
            rng,
            clock: Arc::new(AtomicU64::new(0)),
            spec,
            tuning,
            nodes: sim_nodes,
            net: Vec::new(),
            net_seq: 0,
            cut: BTreeSet::new(),
            leaders: BTreeMap::new(),
            log: BTreeMap::new(),
            applied_values: BTreeMap::new(),
            acked: BTreeMap::new(),
            failed: BTreeSet::new(),
            next_value: 1,
            max_acked_index: BTreeMap::new(),
            next_group: 2,
            report: SimReport::default(),
            trace: std::env::var_os("SHOAL_SIM_TRACE").is_some(),
        };
        for i in 0..sim.nodes.len() {
            sim.nodes[i].node = Some(sim.open(i, 0).unwrap_or_else(|e| panic!("open: {e}")));
        }
        sim
    }

    fn open(&self, i: usize, incarnation: u64) -> Result<Node<Recorder>, String> {
        let cfg = NodeConfig {
            id: self.nodes[i].id,
            spec: self.spec.clone(),
            durability: Durability::Durable,
            disk: Disk::Sim(self.nodes[i].disk.clone()),
            seed: self.seed ^ ((i as u64 + 1) << 32) ^ incarnation,
            tuning: self.tuning.clone(),
        };
        Node::open(cfg, Recorder::default(), Box::new(SimClock(self.clock.clone())))
            .map_err(|e| format!("node {} failed to open: {e}", i + 1))
    }

    fn now(&self) -> u64 {
        self.clock.load(Ordering::Relaxed)
    }

    fn fail(&self, what: String) -> SimFailure {
        SimFailure {
            seed: self.seed,
            at_ms: self.now(),
            what,
        }
    }

    /// Runs the faulty phase, heals, waits for convergence and checks the final state.
    pub fn run(mut self) -> Result<SimReport, SimFailure> {
        let mut next_op = self.rng.random_range(0..self.cfg.op_every_ms * 2);
        let mut next_fault = self
            .rng
            .random_range(self.cfg.fault_every_ms / 2..self.cfg.fault_every_ms * 2);
        let run_end = self.cfg.run_ms;
        // Half the seeds create a second shard group at some point (more may come as faults).
        let mut next_create = if self.rng.random_bool(0.5) {
            self.rng.random_range(0..run_end / 2)
        } else {
            u64::MAX
        };
        // Half the seeds keep moving replicas of created groups (where a spare node exists).
        let mut next_replace = if self.rng.random_bool(0.5) { 1_000 } else { u64::MAX };
        while self.now() < run_end {
            let t = self
                .next_event_time()
                .min(next_op)
                .min(next_fault)
                .min(next_create)
                .min(next_replace)
                .min(run_end);
            self.clock.store(t, Ordering::Relaxed);
            if t >= next_replace {
                self.replace_replica()?;
                next_replace = t + self.rng.random_range(100..500);
            }
            if t >= next_create {
                // Retried until a metadata leader exists.
                let before = self.next_group;
                self.create_group()?;
                next_create = if self.next_group > before { u64::MAX } else { t + 100 };
            }
            if t >= next_op {
                self.client_op()?;
                next_op = t + self.rng.random_range(1..self.cfg.op_every_ms * 2);
            }
            if t >= next_fault {
                self.fault()?;
                next_fault = t + self
                    .rng
                    .random_range(self.cfg.fault_every_ms / 2..self.cfg.fault_every_ms * 2);
            }
            self.step_time()?;
        }
        // Heal: every link, every pause, every crashed node.
        self.cut.clear();
        let now = self.now();
        for i in 0..self.nodes.len() {
            self.nodes[i].paused_until = 0;
            if self.nodes[i].node.is_none() {
                self.nodes[i].restart_at = Some(now);
            }
        }
        let heal_end = now + self.cfg.heal_ms;
        let mut last_write = now;
        loop {
            let t = self.next_event_time().min(heal_end);
            self.clock.store(t, Ordering::Relaxed);
            // A write after healing makes every replica's commit reach everything before it.
            if t >= last_write + 500 {
                last_write = t;
                self.trace("heal write");
                for g in self.shard_groups() {
                    self.client_op_write(g)?;
                }
            }
            self.step_time()?;
            if self.converged() {
                break;
            }
            if self.now() >= heal_end {
                return Err(self.fail(format!(
                    "no convergence {} ms after healing: {}",
                    self.cfg.heal_ms,
                    self.describe()
                )));
            }
        }
        self.report.heal_ms = self.now() - now;
        self.final_check()?;
        self.report.final_index = self.log.len() as u64;
        self.report.groups = self.nodes[0]
            .node
            .as_ref()
            .map(|n| n.groups().count() as u64 - 1)
            .unwrap_or(0);
        self.report.max_term = self.leaders.keys().map(|(_, t)| *t).max().unwrap_or(0);
        Ok(self.report)
    }

    fn next_event_time(&self) -> u64 {
        let mut t = u64::MAX;
        for n in &self.nodes {
            if n.node.is_some() {
                t = t.min(n.next_tick.max(n.paused_until));
            } else if let Some(r) = n.restart_at {
                t = t.min(r);
            }
        }
        for m in &self.net {
            let to = &self.nodes[(m.to.0 - 1) as usize];
            t = t.min(m.at.max(to.paused_until));
        }
        // Everything due now was handled by the previous step: time must move on.
        t.max(self.now() + 1)
    }

    fn step_time(&mut self) -> Result<(), SimFailure> {
        let now = self.now();
        let mut dirty = vec![false; self.nodes.len()];
        let due_restarts: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].node.is_none() && self.nodes[i].restart_at.is_some_and(|r| r <= now))
            .collect();
        for i in due_restarts {
            self.restart(i)?;
            dirty[i] = true;
        }
        // Deliver due messages in (time, send order).
        let mut due: Vec<InFlight> = Vec::new();
        let mut keep = Vec::new();
        for m in self.net.drain(..) {
            let to = (m.to.0 - 1) as usize;
            let paused = self.nodes[to].paused_until > now;
            if m.at <= now && !paused {
                due.push(m);
            } else {
                keep.push(m);
            }
        }
        self.net = keep;
        due.sort_by_key(|m| (m.at, m.seq));
        for m in due {
            let to = (m.to.0 - 1) as usize;
            if self.cut.contains(&(m.from, m.to)) {
                continue;
            }
            let Some(node) = self.nodes[to].node.as_mut() else {
                continue;
            };
            for env in m.envs {
                if self.trace && env.group == SIM_GROUP {
                    if let Ok(msg) = env.message() {
                        let st = node.status(SIM_GROUP).map(|s| (s.last_index, s.commit, s.term));
                        eprintln!(
                            "  {} ms {}->{} {:?} t{} idx{} lt{} n{:?} commit{} reject{} | {:?}",
                            now,
                            m.from.0,
                            m.to.0,
                            msg.get_msg_type(),
                            msg.term,
                            msg.index,
                            msg.log_term,
                            msg.entries
                                .iter()
                                .map(|e| (e.index, e.term, e.data.len()))
                                .collect::<Vec<_>>(),
                            msg.commit,
                            msg.reject,
                            st
                        );
                    }
                }
                if let Err(e) = node.step(env) {
                    return Err(self.fail(format!("step on node {}: {e}", to + 1)));
                }
            }
            dirty[to] = true;
        }
        for (i, n) in self.nodes.iter_mut().enumerate() {
            if n.paused_until > now {
                continue;
            }
            if let Some(node) = n.node.as_mut() {
                while n.next_tick <= now {
                    node.tick();
                    n.next_tick += 100;
                    dirty[i] = true;
                }
            }
        }
        for (i, d) in dirty.into_iter().enumerate() {
            if d {
                self.drive(i)?;
            }
        }
        Ok(())
    }

    fn drive(&mut self, i: usize) -> Result<(), SimFailure> {
        for _ in 0..4 {
            let mut out = Outbox::default();
            let completions = {
                let Some(node) = self.nodes[i].node.as_mut() else {
                    return Ok(());
                };
                if !node.has_work() {
                    break;
                }
                if let Err(e) = node.drive(&mut out) {
                    return Err(self.fail(format!("drive on node {}: {e}", i + 1)));
                }
                node.take_completions()
            };
            self.check_node(i)?;
            self.settle(i, completions)?;
            let from = self.nodes[i].id;
            for (to, envs) in out.0 {
                self.send(from, to, envs);
            }
        }
        Ok(())
    }

    fn send(&mut self, from: NodeId, to: NodeId, envs: Vec<Envelope>) {
        if self.rng.random_bool(self.cfg.drop) {
            return;
        }
        let copies = if self.rng.random_bool(self.cfg.duplicate) { 2 } else { 1 };
        for _ in 0..copies {
            let at = self.now() + self.rng.random_range(1..=self.cfg.max_delay_ms);
            self.net_seq += 1;
            self.net.push(InFlight {
                at,
                seq: self.net_seq,
                from,
                to,
                envs: envs.clone(),
            });
        }
    }

    /// Invariants 1–3 on what node `i` just did.
    fn check_node(&mut self, i: usize) -> Result<(), SimFailure> {
        let Some(node) = self.nodes[i].node.as_ref() else {
            return Ok(());
        };
        let id = self.nodes[i].id;
        let mut violations = Vec::new();
        for g in node.groups() {
            let Some(st) = node.status(g) else { continue };
            if st.role == Role::Leader {
                let prev = *self.leaders.entry((g, st.term)).or_insert(id);
                if prev != id {
                    violations.push(format!(
                        "two leaders in group {} term {}: nodes {} and {}",
                        g.0, st.term, prev.0, id.0
                    ));
                }
            }
        }
        let mut checked = self.nodes[i].checked.clone();
        let Some(sm) = self.nodes[i].node.as_ref().map(|n| n.state_machine()) else {
            return Ok(());
        };
        if sm.restored {
            // Rescan after a restore.
            checked.clear();
        }
        for (&g, history) in &sm.history {
            let (done, mut expect_next) = checked.get(&g).copied().unwrap_or((0, 0));
            let done = if done > history.len() { 0 } else { done };
            for a in &history[done..] {
                if a.index < expect_next {
                    violations.push(format!(
                        "node {} applied index {} of group {} after {} (out of order)",
                        id.0,
                        a.index,
                        g.0,
                        expect_next - 1
                    ));
                }
                expect_next = a.index + 1;
                match self.log.get(&(g, a.index)) {
                    Some((term, data)) if *term != a.term || *data != a.data => violations.push(format!(
                        "group {} index {} applied as term {} on node {} but as term {} elsewhere",
                        g.0, a.index, a.term, id.0, term
                    )),
                    Some(_) => {}
                    None => {
                        for v in values_in(&a.data) {
                            if let Some(prev) = self.applied_values.insert(v, (g, a.index)) {
                                violations
                                    .push(format!("value {v} applied twice: {prev:?} and ({}, {})", g.0, a.index));
                            }
                            if self.failed.contains(&v) {
                                violations.push(format!(
                                    "value {v} settled Failed but applied at ({}, {})",
                                    g.0, a.index
                                ));
                            }
                        }
                        self.log.insert((g, a.index), (a.term, a.data.clone()));
                    }
                }
            }
            checked.insert(g, (history.len(), expect_next));
        }
        let n = &mut self.nodes[i];
        n.checked = checked;
        if let Some(node) = n.node.as_mut() {
            node.state_machine_mut().restored = false;
        }
        match violations.into_iter().next() {
            Some(v) => Err(self.fail(v)),
            None => Ok(()),
        }
    }

    /// Invariants 4–5 on settled tickets.
    fn settle(&mut self, i: usize, completions: Vec<(TicketId, Outcome<u64>)>) -> Result<(), SimFailure> {
        for (t, outcome) in completions {
            let Some(op) = self.nodes[i].ops.remove(&t) else {
                return Err(self.fail(format!("unknown ticket {t:?} settled on node {}", i + 1)));
            };
            match (op, outcome) {
                (Op::Write(v, g, data), Outcome::Committed { index, term, outputs }) => {
                    match self.log.get(&(g, index)) {
                        Some((t2, d2)) if *t2 == term && *d2 == data => {}
                        other => {
                            return Err(self.fail(format!(
                                "value {v} acked at ({index}, {term}) but the log holds {:?}",
                                other.map(|(t, d)| (t, values_in(d)))
                            )))
                        }
                    }
                    if outputs != vec![v] {
                        return Err(self.fail(format!("value {v} acked with outputs {outputs:?}")));
                    }
                    self.acked.insert(v, (g, index));
                    let m = self.max_acked_index.entry(g).or_default();
                    *m = (*m).max(index);
                    self.report.acked += 1;
                }
                (Op::Write(v, _, _), Outcome::Failed(f)) => {
                    if let Some(index) = self.applied_values.get(&v) {
                        return Err(self.fail(format!("value {v} settled {f:?} but applied at {index:?}")));
                    }
                    self.failed.insert(v);
                    self.report.failed += 1;
                }
                (Op::Write(..), Outcome::Indeterminate) => self.report.indeterminate += 1,
                (Op::Read(g, floor), Outcome::Read { index }) => {
                    if index < floor {
                        return Err(self.fail(format!(
                            "stale read: index {index} below acknowledged write index {floor}"
                        )));
                    }
                    let applied = self.nodes[i]
                        .node
                        .as_ref()
                        .and_then(|n| n.status(g))
                        .map(|s| s.applied)
                        .unwrap_or(0);
                    if applied < index {
                        return Err(self.fail(format!("read served at applied {applied} < read index {index}")));
                    }
                    self.report.reads += 1;
                }
                (Op::Read(..), Outcome::Failed(_)) => {}
                (Op::Conf, Outcome::Committed { .. }) => self.report.conf_committed += 1,
                (Op::Conf, Outcome::Failed(crate::group::Failure::Refused)) => self.report.conf_refused += 1,
                (Op::Conf, _) | (Op::Meta, _) => {}
                (Op::Write(v, ..), o) => return Err(self.fail(format!("write {v} settled as {o:?}"))),
                (Op::Read(..), o) => return Err(self.fail(format!("read settled as {o:?}"))),
            }
        }
        Ok(())
    }

    fn leader_index(&self, g: GroupId) -> Option<usize> {
        let now = self.now();
        self.nodes.iter().position(|n| {
            n.paused_until <= now
                && n.node
                    .as_ref()
                    .and_then(|x| x.status(g))
                    .is_some_and(|s| s.role == Role::Leader)
        })
    }

    /// The shard groups the metadata knows, as the first live node sees it.
    fn shard_groups(&self) -> Vec<GroupId> {
        self.nodes
            .iter()
            .find_map(|n| n.node.as_ref())
            .map(|n| {
                n.meta()
                    .groups
                    .keys()
                    .copied()
                    .filter(|g| *g != crate::META_GROUP)
                    .collect()
            })
            .unwrap_or_else(|| vec![SIM_GROUP])
    }

    fn client_op(&mut self) -> Result<(), SimFailure> {
        let groups = self.shard_groups();
        let g = groups[self.rng.random_range(0..groups.len())];
        if self.rng.random_bool(0.2) {
            let Some(i) = self.leader_index(g) else {
                return Ok(());
            };
            let deadline = self.now() + 2_000;
            let floor = self.max_acked_index.get(&g).copied().unwrap_or(0);
            let Some(node) = self.nodes[i].node.as_mut() else {
                return Ok(());
            };
            if let Ok(t) = node.read(g, deadline) {
                self.nodes[i].ops.insert(t, Op::Read(g, floor));
                self.drive(i)?;
            }
            Ok(())
        } else {
            self.client_op_write(g)
        }
    }

    fn client_op_write(&mut self, g: GroupId) -> Result<(), SimFailure> {
        // Mostly the leader; sometimes a random node, to exercise NotLeader.
        let i = match self.leader_index(g) {
            Some(i) if self.rng.random_bool(0.9) => i,
            _ => self.rng.random_range(0..self.nodes.len()),
        };
        let now = self.now();
        if self.nodes[i].paused_until > now {
            return Ok(());
        }
        let v = self.next_value;
        let data = batch_for(v, now);
        let deadline = now + 3_000;
        let Some(node) = self.nodes[i].node.as_mut() else {
            return Ok(());
        };
        match node.propose(g, data.clone(), deadline) {
            Ok(t) => {
                self.next_value += 1;
                self.nodes[i].ops.insert(t, Op::Write(v, g, data));
                self.drive(i)
            }
            Err(crate::ClusterError::NotLeader { .. })
            | Err(crate::ClusterError::ProposalDropped)
            | Err(crate::ClusterError::UnknownGroup(_)) => Ok(()),
            Err(e) => Err(self.fail(format!("propose: {e}"))),
        }
    }

    /// The metadata leader creates a shard group on three random nodes, taking a slot range.
    fn create_group(&mut self) -> Result<(), SimFailure> {
        if self.next_group > 4 {
            return Ok(());
        }
        let Some(l) = self.leader_index(crate::META_GROUP) else {
            return Ok(());
        };
        let mut ids: Vec<NodeId> = self.nodes.iter().map(|n| n.id).collect();
        for k in (1..ids.len()).rev() {
            let j = self.rng.random_range(0..=k);
            ids.swap(k, j);
        }
        ids.truncate(3);
        let g = GroupId(self.next_group);
        self.next_group += 1;
        let start = (g.0 as u16) * 1000;
        let cmd = crate::meta::MetaCommand::CreateGroup {
            group: g,
            nodes: ids,
            slots: vec![(start, start + 999)],
            seed: g.0,
        };
        let deadline = self.now() + 3_000;
        let n = &mut self.nodes[l];
        if let Some(node) = n.node.as_mut() {
            // The workload finds the group in the metadata once it applied.
            if let Ok(t) = node.propose_meta(&cmd, deadline) {
                n.ops.insert(t, Op::Meta);
            }
        }
        self.drive(l)
    }

    fn trace(&self, what: &str) {
        if self.trace {
            eprintln!("[{} ms] {what} | {}", self.now(), self.describe());
        }
    }

    fn fault(&mut self) -> Result<(), SimFailure> {
        self.report.faults += 1;
        let n = self.nodes.len();
        let now = self.now();
        let down = self.nodes.iter().filter(|x| x.node.is_none()).count();
        let pick = self.rng.random_range(0..100);
        self.trace(&format!("fault {pick}"));
        match pick {
            0..=19 => {
                // Isolate the leader (or a random node).
                let victim = self
                    .leader_index(SIM_GROUP)
                    .unwrap_or_else(|| self.rng.random_range(0..n));
                self.isolate(victim);
            }
            20..=34 => {
                // Minority / majority split.
                let mut ids: Vec<usize> = (0..n).collect();
                for k in (1..n).rev() {
                    let j = self.rng.random_range(0..=k);
                    ids.swap(k, j);
                }
                let minority = ids[..(n - 1) / 2].to_vec();
                self.cut.clear();
                for &a in &minority {
                    for b in 0..n {
                        if !minority.contains(&b) {
                            self.cut_link(a, b);
                        }
                    }
                }
            }
            35..=49 => self.cut.clear(),
            50..=59 => {
                // One-way link cut.
                let a = self.rng.random_range(0..n);
                let b = (a + self.rng.random_range(1..n)) % n;
                self.cut.insert((self.nodes[a].id, self.nodes[b].id));
            }
            60..=79 => {
                // Crash (keep a majority up so the run makes progress), restart later.
                if down < (n - 1) / 2 {
                    let victim = if self.rng.random_bool(0.5) {
                        self.leader_index(SIM_GROUP)
                            .unwrap_or_else(|| self.rng.random_range(0..n))
                    } else {
                        self.rng.random_range(0..n)
                    };
                    let at = now + self.rng.random_range(200..3_000);
                    self.crash(victim, at);
                }
            }
            80..=85 => {
                let victim = self.rng.random_range(0..n);
                self.nodes[victim].paused_until = now + self.rng.random_range(100..3_000);
            }
            86..=89 => self.create_group()?,
            90..=91 => self.replace_replica()?,
            92..=95 => self.membership()?,
            96..=97 => {
                // Every process killed at once (FAULTS.md G5): only fsynced state survives.
                for i in 0..n {
                    let at = now + self.rng.random_range(200..2_000);
                    self.crash(i, at);
                }
            }
            _ => {
                // Planned failover.
                if let Some(l) = self.leader_index(SIM_GROUP) {
                    let to = NodeId(((l + self.rng.random_range(1..n)) % n) as u64 + 1);
                    if let Some(node) = self.nodes[l].node.as_mut() {
                        let _ = node.transfer_leader(SIM_GROUP, to);
                    }
                    self.drive(l)?;
                }
            }
        }
        Ok(())
    }

    /// Demotes a follower to learner (a joint change) or promotes a learner back, sometimes
    /// with a second change right behind it that raft must refuse.
    fn membership(&mut self) -> Result<(), SimFailure> {
        let Some(l) = self.leader_index(SIM_GROUP) else {
            return Ok(());
        };
        let deadline = self.now() + 3_000;
        let me = self.nodes[l].id;
        let Some(st) = self.nodes[l].node.as_ref().and_then(|n| n.status(SIM_GROUP)) else {
            return Ok(());
        };
        if st.joint {
            return Ok(());
        }
        let peer = |n: NodeId| crate::meta::bootstrap_peer_id(SIM_GROUP, n);
        let change = match st.learners.first() {
            Some(&n) => MemberChange::AddVoter { peer: peer(n), node: n },
            None => {
                let followers: Vec<NodeId> = st.voters.iter().copied().filter(|n| *n != me).collect();
                if followers.is_empty() {
                    return Ok(());
                }
                let n = followers[self.rng.random_range(0..followers.len())];
                MemberChange::AddLearner { peer: peer(n), node: n }
            }
        };
        let twice = self.rng.random_bool(0.3);
        for _ in 0..if twice { 2 } else { 1 } {
            let n = &mut self.nodes[l];
            let Some(node) = n.node.as_mut() else { break };
            if let Ok(t) = node.change_membership(SIM_GROUP, &[change], deadline) {
                n.ops.insert(t, Op::Conf);
            }
        }
        self.drive(l)
    }

    /// Moves a replica of a created group to a node that has none, one step per call: the
    /// metadata places a replica (`AddReplica`), the group adds it as a learner, then promotes
    /// it and removes another voter in one joint change.
    fn replace_replica(&mut self) -> Result<(), SimFailure> {
        let groups: Vec<GroupId> = self.shard_groups().into_iter().filter(|g| *g != SIM_GROUP).collect();
        if groups.is_empty() {
            return Ok(());
        }
        let g = groups[self.rng.random_range(0..groups.len())];
        let Some(l) = self.leader_index(g) else {
            return Ok(());
        };
        let Some(node) = self.nodes[l].node.as_ref() else {
            return Ok(());
        };
        let Some(st) = node.status(g) else {
            return Ok(());
        };
        let Some(info) = node.meta().groups.get(&g).cloned() else {
            return Ok(());
        };
        if st.joint {
            return Ok(());
        }
        let deadline = self.now() + 3_000;
        let me = self.nodes[l].id;
        let in_conf = |n: &NodeId| st.voters.contains(n) || st.learners.contains(n);
        let pending = info.added.iter().find(|p| !in_conf(&p.node)).copied();
        let learner = info.added.iter().find(|p| st.learners.contains(&p.node)).copied();
        let change = if let Some(p) = pending {
            Some(vec![MemberChange::AddLearner {
                peer: p.id,
                node: p.node,
            }])
        } else if let Some(p) = learner {
            let caught_up = st.matched.get(&p.node).is_some_and(|m| *m + 5 >= st.commit);
            let old: Vec<NodeId> = st.voters.iter().copied().filter(|n| *n != me).collect();
            if caught_up && !old.is_empty() {
                let victim = old[self.rng.random_range(0..old.len())];
                let victim_peer = info
                    .peers
                    .iter()
                    .chain(info.added.iter())
                    .find(|p| p.node == victim)
                    .map(|p| p.id);
                victim_peer.map(|vp| {
                    vec![
                        MemberChange::AddVoter {
                            peer: p.id,
                            node: p.node,
                        },
                        MemberChange::Remove { peer: vp },
                    ]
                })
            } else {
                None
            }
        } else {
            None
        };
        if let Some(changes) = change {
            let n = &mut self.nodes[l];
            if let Some(node) = n.node.as_mut() {
                if let Ok(t) = node.change_membership(g, &changes, deadline) {
                    n.ops.insert(t, Op::Conf);
                }
            }
            return self.drive(l);
        }
        // Nothing in flight: place a new replica on a node that hosts none of this group.
        let hosting: BTreeSet<NodeId> = info
            .peers
            .iter()
            .chain(info.learners.iter())
            .chain(info.added.iter())
            .map(|p| p.node)
            .collect();
        let spare: Vec<NodeId> = self
            .nodes
            .iter()
            .map(|n| n.id)
            .filter(|n| !hosting.contains(n))
            .collect();
        if spare.is_empty() {
            return Ok(());
        }
        let target = spare[self.rng.random_range(0..spare.len())];
        let Some(ml) = self.leader_index(crate::META_GROUP) else {
            return Ok(());
        };
        let cmd = crate::meta::MetaCommand::AddReplica { group: g, node: target };
        let n = &mut self.nodes[ml];
        if let Some(node) = n.node.as_mut() {
            if let Ok(t) = node.propose_meta(&cmd, deadline) {
                n.ops.insert(t, Op::Meta);
            }
        }
        self.drive(ml)
    }

    fn cut_link(&mut self, a: usize, b: usize) {
        let (x, y) = (self.nodes[a].id, self.nodes[b].id);
        self.cut.insert((x, y));
        self.cut.insert((y, x));
    }

    fn isolate(&mut self, victim: usize) {
        for b in 0..self.nodes.len() {
            if b != victim {
                self.cut_link(victim, b);
            }
        }
    }

    fn crash(&mut self, i: usize, restart_at: u64) {
        if self.nodes[i].node.take().is_none() {
            return;
        }
        self.report.crashes += 1;
        self.trace(&format!("crash node {}", i + 1));
        self.nodes[i].disk.crash(&mut self.rng);
        self.nodes[i].ops.clear();
        self.nodes[i].restart_at = Some(restart_at);
        let id = self.nodes[i].id;
        self.net.retain(|m| m.to != id);
    }

    fn restart(&mut self, i: usize) -> Result<(), SimFailure> {
        self.nodes[i].restart_at = None;
        self.trace(&format!("restart node {}", i + 1));
        let incarnation = self.report.crashes as u64;
        let node = self.open(i, incarnation).map_err(|e| self.fail(e))?;
        let n = &mut self.nodes[i];
        n.node = Some(node);
        n.checked.clear();
        n.next_tick = self.clock.load(Ordering::Relaxed) + 1;
        Ok(())
    }

    /// The nodes holding a replica of `g`, per the metadata.
    /// The replicas of `g` in its current configuration, as its leader sees it (empty while
    /// it has no leader). Replicas removed by a membership change are not members.
    fn members(&self, g: GroupId) -> Vec<usize> {
        let Some(st) = self
            .leader_index(g)
            .and_then(|l| self.nodes[l].node.as_ref()?.status(g))
        else {
            return Vec::new();
        };
        st.voters
            .iter()
            .chain(st.learners.iter())
            .map(|n| (n.0 - 1) as usize)
            .collect()
    }

    fn acked_in(&self, g: GroupId) -> impl Iterator<Item = u64> + '_ {
        self.acked.iter().filter(move |(_, (ag, _))| *ag == g).map(|(v, _)| *v)
    }

    fn converged(&self) -> bool {
        let mut meta = None;
        for n in &self.nodes {
            let Some(node) = n.node.as_ref() else {
                return false;
            };
            match meta {
                None => meta = Some(node.meta()),
                Some(m) if m != node.meta() => return false,
                _ => {}
            }
        }
        for g in self.shard_groups() {
            let mut applied = None;
            let mut conf = None;
            let floor = self.max_acked_index.get(&g).copied().unwrap_or(0);
            let members = self.members(g);
            if members.is_empty() {
                return false;
            }
            for i in members {
                let Some(node) = self.nodes[i].node.as_ref() else {
                    return false;
                };
                let Some(st) = node.status(g) else {
                    return false;
                };
                if st.applied < st.commit || st.commit < floor || st.joint {
                    return false;
                }
                match applied {
                    None => applied = Some(st.applied),
                    Some(a) if a != st.applied => return false,
                    _ => {}
                }
                let c = (st.voters.clone(), st.learners.clone());
                match &conf {
                    None => conf = Some(c),
                    Some(x) if *x != c => return false,
                    _ => {}
                }
                let have: BTreeSet<u64> = node
                    .state_machine()
                    .history
                    .get(&g)
                    .map(|h| h.iter().flat_map(|a| values_in(&a.data)).collect())
                    .unwrap_or_default();
                if !self.acked_in(g).all(|v| have.contains(&v)) {
                    return false;
                }
            }
        }
        true
    }

    /// Invariant 6.
    fn final_check(&self) -> Result<(), SimFailure> {
        if let Some(n) = self.nodes.iter().find(|n| n.node.is_none()) {
            return Err(self.fail(format!("node {} down after heal", n.id.0)));
        }
        let empty = Vec::new();
        for g in self.shard_groups() {
            let mut reference: Option<&Vec<Applied>> = None;
            for i in self.members(g) {
                let Some(node) = self.nodes[i].node.as_ref() else {
                    continue;
                };
                let h = node.state_machine().history.get(&g).unwrap_or(&empty);
                let id = self.nodes[i].id.0;
                match reference {
                    None => reference = Some(h),
                    Some(r) if r != h => {
                        return Err(self.fail(format!(
                            "group {} histories differ after heal: node {id} has {} entries, another {}",
                            g.0,
                            h.len(),
                            r.len()
                        )))
                    }
                    _ => {}
                }
                let have: BTreeSet<u64> = h.iter().flat_map(|a| values_in(&a.data)).collect();
                if let Some(v) = self.acked_in(g).find(|v| !have.contains(v)) {
                    return Err(self.fail(format!("acknowledged value {v} of group {} missing on node {id}", g.0)));
                }
                if let Some(v) = self.failed.iter().find(|v| have.contains(v)) {
                    return Err(self.fail(format!("failed value {v} present on node {id}")));
                }
            }
        }
        Ok(())
    }

    fn describe(&self) -> String {
        let mut out = Vec::new();
        for g in self.shard_groups() {
            let per: Vec<String> = self
                .nodes
                .iter()
                .map(|n| match n.node.as_ref().and_then(|x| x.status(g)) {
                    Some(s) => format!(
                        "n{}:{:?} t{} c{} a{} l{} v{:?} L{:?}{} m{:?}",
                        n.id.0,
                        s.role,
                        s.term,
                        s.commit,
                        s.applied,
                        s.last_index,
                        s.voters.iter().map(|v| v.0).collect::<Vec<_>>(),
                        s.learners.iter().map(|v| v.0).collect::<Vec<_>>(),
                        if s.joint { " joint" } else { "" },
                        s.matched.iter().map(|(n, m)| (n.0, *m)).collect::<Vec<_>>()
                    ),
                    None if n.node.is_none() => format!("n{}:down", n.id.0),
                    None => format!("n{}:-", n.id.0),
                })
                .collect();
            out.push(format!("g{} [{}]", g.0, per.join(", ")));
        }
        out.join(" ")
    }
}

/// Runs one seed with the default configuration for `nodes` nodes.
pub fn run_seed(seed: u64, nodes: usize) -> Result<SimReport, SimFailure> {
    let cfg = SimConfig {
        nodes,
        ..SimConfig::default()
    };
    Sim::new(seed, cfg).run()
}
