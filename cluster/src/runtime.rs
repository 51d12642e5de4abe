//! The running node: the sans-IO [`Node`] on its own thread (fsync never blocks the async
//! runtime), the TCP transport on tokio, and a cloneable async handle for the server.
//!
//! Invariants:
//! - Exactly one thread touches the `Node`; callers talk to it through a channel and get
//!   their outcome through a oneshot, matched by ticket id.
//! - The loop ticks every `tick` (100 ms by default) whatever the load, and drives after every
//!   batch of events, so one fsync covers everything that arrived meanwhile.
//! - A dropped or shut-down node settles every waiting write as `Indeterminate`.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::AbortHandle;

use crate::error::ClusterError;
use crate::group::{GroupStatus, Outcome, TicketId};
use crate::meta::{ClusterMeta, MetaCommand};
use crate::node::{MemberChange, Node, NodeConfig, StateMachine};
use crate::transport::{accept_loop, dial_loop, Link, PeerEvent, PeerQueues, Secret};
use crate::{GroupId, NodeId, SystemClock};

/// How to run a node.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// The node (id, spec, durability, disk, tuning).
    pub node: NodeConfig,
    /// The shared `cluster-secret`.
    pub secret: Vec<u8>,
    /// Where each peer's cluster bus listens; defaults to the spec's `ip:cport`.
    pub peer_addrs: BTreeMap<NodeId, SocketAddr>,
    /// The IP outgoing peer sockets bind to (this node's own address).
    pub bind_ip: IpAddr,
    /// Raft tick interval (100 ms in production).
    pub tick: Duration,
}

impl RuntimeConfig {
    /// The production settings: 100 ms ticks, peers at their spec addresses (`ip:cport`), and
    /// outgoing sockets bound to this node's spec IP.
    pub fn new(node: NodeConfig, secret: Vec<u8>) -> Result<RuntimeConfig, ClusterError> {
        let me = node
            .spec
            .nodes
            .iter()
            .find(|n| n.id == node.id)
            .ok_or_else(|| ClusterError::InvalidSpec(format!("node {} not in spec", node.id.0)))?;
        let bind_ip: IpAddr = me
            .ip
            .parse()
            .map_err(|_| ClusterError::InvalidSpec(format!("bad ip {:?}", me.ip)))?;
        Ok(RuntimeConfig {
            node,
            secret,
            peer_addrs: BTreeMap::new(),
            bind_ip,
            tick: Duration::from_millis(100),
        })
    }
}

/// What the server can watch: the metadata as applied here and every hosted group's status.
#[derive(Debug, Clone)]
pub struct ClusterView {
    /// This node.
    pub me: NodeId,
    /// The metadata (shared; replaced when it changes).
    pub meta: Arc<ClusterMeta>,
    /// Hosted groups.
    pub groups: BTreeMap<GroupId, GroupStatus>,
}

type Reply<O> = oneshot::Sender<Result<Outcome<O>, ClusterError>>;

enum Command<O> {
    Propose {
        group: GroupId,
        data: Vec<u8>,
        timeout: Duration,
        reply: Reply<O>,
    },
    ProposeMeta {
        cmd: MetaCommand,
        timeout: Duration,
        reply: Reply<O>,
    },
    Read {
        group: GroupId,
        timeout: Duration,
        reply: Reply<O>,
    },
    Transfer {
        group: GroupId,
        to: NodeId,
        reply: oneshot::Sender<Result<(), ClusterError>>,
    },
    Membership {
        group: GroupId,
        changes: Vec<MemberChange>,
        timeout: Duration,
        reply: Reply<O>,
    },
    Shutdown,
}

enum Event<O> {
    Peer(PeerEvent),
    Command(Command<O>),
}

/// The server's handle on a running node. Cheap to clone.
pub struct ClusterHandle<O> {
    commands: Sender<Event<O>>,
    view: watch::Receiver<ClusterView>,
    tasks: Arc<parking_lot::Mutex<Vec<AbortHandle>>>,
    local_addr: SocketAddr,
}

impl<O> Clone for ClusterHandle<O> {
    fn clone(&self) -> Self {
        ClusterHandle {
            commands: self.commands.clone(),
            view: self.view.clone(),
            tasks: self.tasks.clone(),
            local_addr: self.local_addr,
        }
    }
}

impl<O: Send + 'static> ClusterHandle<O> {
    async fn ask(&self, make: impl FnOnce(Reply<O>) -> Command<O>) -> Result<Outcome<O>, ClusterError> {
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(Event::Command(make(tx)))
            .map_err(|_| ClusterError::Stopped)?;
        rx.await.map_err(|_| ClusterError::Stopped)?
    }

    /// Proposes one entry (a postcard `Batch`) to `group`; resolves when its outcome is known:
    /// `Committed` (with the state machine's outputs), `Failed`, or `Indeterminate` after
    /// `timeout`. Errors (`NotLeader` → `MOVED`, `ProposalDropped`, …) mean nothing happened.
    pub async fn propose(&self, group: GroupId, data: Vec<u8>, timeout: Duration) -> Result<Outcome<O>, ClusterError> {
        self.ask(|reply| Command::Propose {
            group,
            data,
            timeout,
            reply,
        })
        .await
    }

    /// Proposes a metadata change (this node must lead the metadata group).
    pub async fn propose_meta(&self, cmd: MetaCommand, timeout: Duration) -> Result<Outcome<O>, ClusterError> {
        self.ask(|reply| Command::ProposeMeta { cmd, timeout, reply }).await
    }

    /// A linearizable read barrier on `group`: once it resolves to `Read{index}`, this node
    /// has applied everything committed before the call, and the server may read locally.
    pub async fn read(&self, group: GroupId, timeout: Duration) -> Result<Outcome<O>, ClusterError> {
        self.ask(|reply| Command::Read { group, timeout, reply }).await
    }

    /// Hands leadership of `group` to `to` (`CLUSTER FAILOVER`).
    pub async fn transfer_leader(&self, group: GroupId, to: NodeId) -> Result<(), ClusterError> {
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(Event::Command(Command::Transfer { group, to, reply: tx }))
            .map_err(|_| ClusterError::Stopped)?;
        rx.await.map_err(|_| ClusterError::Stopped)?
    }

    /// Proposes a membership change of `group` on its leader (one ConfChangeV2; raft picks
    /// simple or joint). `Failed(Refused)` when another change is still pending.
    pub async fn change_membership(
        &self,
        group: GroupId,
        changes: Vec<MemberChange>,
        timeout: Duration,
    ) -> Result<Outcome<O>, ClusterError> {
        self.ask(|reply| Command::Membership {
            group,
            changes,
            timeout,
            reply,
        })
        .await
    }

    /// The metadata and group statuses, updated after every loop iteration that changed them.
    pub fn watch(&self) -> watch::Receiver<ClusterView> {
        self.view.clone()
    }

    /// The address the cluster bus listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops the node: the loop settles waiting tickets and exits; peer sockets close.
    pub fn shutdown(&self) {
        let _ = self.commands.send(Event::Command(Command::Shutdown));
        for t in self.tasks.lock().drain(..) {
            t.abort();
        }
    }
}

/// Starts a node: opens its log, spawns the transport on the current tokio runtime and the
/// node loop on a thread of its own.
pub fn start<S: StateMachine + 'static>(
    cfg: RuntimeConfig,
    listener: TcpListener,
    sm: S,
) -> Result<ClusterHandle<S::Output>, ClusterError> {
    let me = cfg.node.id;
    let cluster_id = cfg.node.spec.cluster_id;
    let spec_addrs: Vec<(NodeId, Option<SocketAddr>)> = cfg
        .node
        .spec
        .nodes
        .iter()
        .map(|n| (n.id, format!("{}:{}", n.ip, n.cport).parse().ok()))
        .collect();
    let node = Node::open(cfg.node, sm, Box::new(SystemClock))?;
    let local_addr = listener.local_addr()?;
    let secret = Secret::new(&cfg.secret);
    let (events_tx, events_rx) = std::sync::mpsc::channel::<Event<S::Output>>();
    let (peer_tx, peer_rx) = std::sync::mpsc::channel::<PeerEvent>();
    let mut tasks = Vec::new();
    tasks.push(tokio::spawn(accept_loop(listener, secret.clone(), cluster_id, me, peer_tx.clone())).abort_handle());
    let mut queues = PeerQueues::default();
    for (peer, spec_addr) in spec_addrs {
        if peer == me {
            continue;
        }
        let Some(addr) = cfg.peer_addrs.get(&peer).copied().or(spec_addr) else {
            return Err(ClusterError::InvalidSpec(format!("no address for node {}", peer.0)));
        };
        let (tx, rx) = mpsc::unbounded_channel();
        queues.insert(peer, tx);
        tasks.push(
            tokio::spawn(dial_loop(
                Link {
                    me,
                    my_ip: cfg.bind_ip,
                    peer,
                    addr,
                    secret: secret.clone(),
                    cluster_id,
                },
                rx,
                peer_tx.clone(),
            ))
            .abort_handle(),
        );
    }
    // Forward transport events into the node loop's single channel.
    let fwd = events_tx.clone();
    std::thread::Builder::new()
        .name(format!("shoal-peer-events-{}", me.0))
        .spawn(move || {
            while let Ok(ev) = peer_rx.recv() {
                if fwd.send(Event::Peer(ev)).is_err() {
                    return;
                }
            }
        })?;
    let view = ClusterView {
        me,
        meta: Arc::new(node.meta().clone()),
        groups: node.groups().filter_map(|g| node.status(g).map(|s| (g, s))).collect(),
    };
    let (view_tx, view_rx) = watch::channel(view);
    let tick = cfg.tick;
    std::thread::Builder::new()
        .name(format!("shoal-raft-{}", me.0))
        .spawn(move || node_loop(node, events_rx, queues, view_tx, tick))?;
    Ok(ClusterHandle {
        commands: events_tx,
        view: view_rx,
        tasks: Arc::new(parking_lot::Mutex::new(tasks)),
        local_addr,
    })
}

fn deadline(now_ms: u64, timeout: Duration) -> u64 {
    now_ms + timeout.as_millis() as u64
}

fn node_loop<S: StateMachine>(
    mut node: Node<S>,
    events: Receiver<Event<S::Output>>,
    mut transport: PeerQueues,
    view: watch::Sender<ClusterView>,
    tick: Duration,
) {
    let clock = SystemClock;
    let mut waiting: HashMap<TicketId, Reply<S::Output>> = HashMap::new();
    let mut next_tick = Instant::now() + tick;
    let mut meta_version = node.meta_version();
    loop {
        let wait = next_tick.saturating_duration_since(Instant::now());
        let first = match events.recv_timeout(wait) {
            Ok(ev) => Some(ev),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let mut stop = false;
        for ev in first.into_iter().chain(std::iter::from_fn(|| events.try_recv().ok())) {
            let now = clock_now(&clock);
            match ev {
                Event::Peer(PeerEvent::Inbound(envs)) => {
                    for env in envs {
                        if let Err(e) = node.step(env) {
                            tracing::warn!(error = %e, "peer message refused");
                        }
                    }
                }
                Event::Peer(PeerEvent::Unreachable(n)) => node.report_unreachable(n),
                Event::Command(Command::Propose {
                    group,
                    data,
                    timeout,
                    reply,
                }) => match node.propose(group, data, deadline(now, timeout)) {
                    Ok(t) => {
                        waiting.insert(t, reply);
                    }
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                },
                Event::Command(Command::ProposeMeta { cmd, timeout, reply }) => {
                    match node.propose_meta(&cmd, deadline(now, timeout)) {
                        Ok(t) => {
                            waiting.insert(t, reply);
                        }
                        Err(e) => {
                            let _ = reply.send(Err(e));
                        }
                    }
                }
                Event::Command(Command::Read { group, timeout, reply }) => {
                    match node.read(group, deadline(now, timeout)) {
                        Ok(t) => {
                            waiting.insert(t, reply);
                        }
                        Err(e) => {
                            let _ = reply.send(Err(e));
                        }
                    }
                }
                Event::Command(Command::Membership {
                    group,
                    changes,
                    timeout,
                    reply,
                }) => match node.change_membership(group, &changes, deadline(now, timeout)) {
                    Ok(t) => {
                        waiting.insert(t, reply);
                    }
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                },
                Event::Command(Command::Transfer { group, to, reply }) => {
                    let _ = reply.send(node.transfer_leader(group, to));
                }
                Event::Command(Command::Shutdown) => stop = true,
            }
        }
        if Instant::now() >= next_tick {
            node.tick();
            next_tick += tick;
            if next_tick < Instant::now() {
                next_tick = Instant::now() + tick;
            }
        }
        if stop {
            node.abandon_all();
        }
        for _ in 0..3 {
            if !node.has_work() {
                break;
            }
            if let Err(e) = node.drive(&mut transport) {
                tracing::error!(error = %e, "raft node stopped: the log could not be written");
                node.abandon_all();
                stop = true;
            }
            for (t, outcome) in node.take_completions() {
                if let Some(reply) = waiting.remove(&t) {
                    let _ = reply.send(Ok(outcome));
                }
            }
            if stop {
                break;
            }
        }
        publish(&node, &view, &mut meta_version);
        if stop {
            break;
        }
    }
}

fn clock_now(c: &SystemClock) -> u64 {
    use crate::Clock;
    c.now_ms()
}

fn publish<S: StateMachine>(node: &Node<S>, view: &watch::Sender<ClusterView>, meta_version: &mut u64) {
    let groups: BTreeMap<GroupId, GroupStatus> = node.groups().filter_map(|g| node.status(g).map(|s| (g, s))).collect();
    let meta_changed = node.meta_version() != *meta_version;
    *meta_version = node.meta_version();
    view.send_if_modified(|v| {
        let changed = meta_changed || v.groups != groups;
        if meta_changed {
            v.meta = Arc::new(node.meta().clone());
        }
        if changed {
            v.groups = groups;
        }
        changed
    });
}
