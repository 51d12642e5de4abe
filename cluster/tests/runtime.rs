//! The real runtime on loopback: three nodes over TCP elect a leader, replicate and apply, fail
//! over when the leader dies, and refuse a peer with the wrong secret before reading frames.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use shoal_cluster::group::{Outcome, RaftTuning, Role};
use shoal_cluster::meta::{ClusterSpec, NodeSpec};
use shoal_cluster::node::{NodeConfig, StateMachine};
use shoal_cluster::runtime::{start, ClusterHandle, RuntimeConfig};
use shoal_cluster::storage::{Disk, Durability};
use shoal_cluster::transport::{handshake_dial, Secret};
use shoal_cluster::{Batch, GroupId, NodeId};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const G: GroupId = GroupId(1);

/// Applies batches by echoing each command's second argument; remembers what it applied.
#[derive(Clone, Default)]
struct Echo {
    applied: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl StateMachine for Echo {
    type Output = Vec<u8>;

    fn apply(&mut self, _g: GroupId, _i: u64, _t: u64, data: &[u8]) -> Vec<Vec<u8>> {
        let Ok(b) = Batch::decode(data) else { return Vec::new() };
        let out: Vec<Vec<u8>> = b.cmds.iter().map(|a| a.get(1).cloned().unwrap_or_default()).collect();
        self.applied.lock().extend(out.iter().cloned());
        out
    }

    fn snapshot(&mut self, _g: GroupId) -> Vec<u8> {
        postcard::to_stdvec(&*self.applied.lock()).unwrap_or_default()
    }

    fn restore(&mut self, _g: GroupId, data: &[u8]) {
        *self.applied.lock() = postcard::from_bytes(data).unwrap_or_default();
    }
}

struct Cluster {
    handles: BTreeMap<NodeId, ClusterHandle<Vec<u8>>>,
    sms: BTreeMap<NodeId, Echo>,
    configs: BTreeMap<NodeId, RuntimeConfig>,
    _dirs: Vec<tempfile::TempDir>,
}

impl Cluster {
    /// Starts a stopped node again on its data directory and port, with a fresh state machine
    /// (rebuilt from its snapshot and log).
    async fn restart(&mut self, id: NodeId) {
        let cfg = self.configs[&id].clone();
        let addr = cfg.peer_addrs[&id];
        let l = TcpListener::bind(addr).await.unwrap();
        let sm = Echo::default();
        self.sms.insert(id, sm.clone());
        self.handles.insert(id, start(cfg, l, sm).unwrap());
    }
}

async fn start_cluster(n: u64, secret: &[u8]) -> Cluster {
    start_cluster_with(n, secret, RaftTuning::default()).await
}

async fn start_cluster_with(n: u64, secret: &[u8], tuning: RaftTuning) -> Cluster {
    let mut listeners = Vec::new();
    let mut addrs = BTreeMap::new();
    for i in 1..=n {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        addrs.insert(NodeId(i), l.local_addr().unwrap());
        listeners.push(l);
    }
    let nodes = (1..=n)
        .map(|i| NodeSpec {
            id: NodeId(i),
            ip: "127.0.0.1".into(),
            port: 0,
            cport: addrs[&NodeId(i)].port(),
            hostname: String::new(),
        })
        .collect();
    let spec = ClusterSpec::single_shard(7, nodes, 99);
    let mut handles = BTreeMap::new();
    let mut sms = BTreeMap::new();
    let mut dirs = Vec::new();
    let mut configs = BTreeMap::new();
    for (i, l) in (1..=n).zip(listeners) {
        let dir = tempfile::tempdir().unwrap();
        let node = NodeConfig {
            id: NodeId(i),
            spec: spec.clone(),
            durability: Durability::Durable,
            disk: Disk::Dir(dir.path().to_path_buf()),
            seed: i,
            tuning: tuning.clone(),
        };
        let mut cfg = RuntimeConfig::new(node, secret.to_vec()).unwrap();
        assert_eq!(cfg.bind_ip, IpAddr::V4(Ipv4Addr::LOCALHOST));
        cfg.peer_addrs = addrs.clone();
        cfg.tick = Duration::from_millis(20);
        let sm = Echo::default();
        sms.insert(NodeId(i), sm.clone());
        configs.insert(NodeId(i), cfg.clone());
        handles.insert(NodeId(i), start(cfg, l, sm).unwrap());
        dirs.push(dir);
    }
    Cluster {
        handles,
        sms,
        configs,
        _dirs: dirs,
    }
}

async fn wait_leader(c: &Cluster, among: &[NodeId]) -> NodeId {
    let start = Instant::now();
    loop {
        for id in among {
            let v = c.handles[id].watch().borrow().clone();
            if v.groups.get(&G).is_some_and(|s| s.role == Role::Leader) {
                return *id;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no leader elected");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn batch(v: &str) -> Vec<u8> {
    Batch {
        now_ms: 0,
        seed: 0,
        cmds: vec![vec![b"SET".to_vec(), v.as_bytes().to_vec()]],
    }
    .encode()
    .unwrap()
}

async fn propose_ok(h: &ClusterHandle<Vec<u8>>, v: &str) -> u64 {
    match h.propose(G, batch(v), Duration::from_secs(5)).await.unwrap() {
        Outcome::Committed { index, outputs, .. } => {
            assert_eq!(outputs, vec![v.as_bytes().to_vec()]);
            index
        }
        o => panic!("proposal {v}: {o:?}"),
    }
}

#[tokio::test]
async fn three_nodes_replicate_and_fail_over_on_loopback() {
    let c = start_cluster(3, b"s3cret").await;
    let all: Vec<NodeId> = c.handles.keys().copied().collect();
    let leader = wait_leader(&c, &all).await;
    let lh = &c.handles[&leader];

    // A follower refuses with the leader's id, so the server can answer MOVED.
    let follower = *all.iter().find(|n| **n != leader).unwrap();
    match c.handles[&follower]
        .propose(G, batch("x"), Duration::from_secs(1))
        .await
    {
        Err(shoal_cluster::ClusterError::NotLeader { leader: hint, .. }) => {
            assert_eq!(hint, Some(leader))
        }
        other => panic!("follower accepted a proposal: {other:?}"),
    }

    let first = propose_ok(lh, "a").await;
    // Sustained load: 16 clients, each waiting for its write before sending the next; every
    // loop iteration of the leader packs what arrived into one fsync.
    let t0 = Instant::now();
    let (clients, each) = (16, 100);
    let mut futs = Vec::new();
    for c in 0..clients {
        let h = lh.clone();
        futs.push(tokio::spawn(async move {
            let mut last = 0;
            for i in 0..each {
                last = propose_ok(&h, &format!("v{}", c * each + i)).await;
            }
            last
        }));
    }
    let mut last = first;
    for f in futs {
        last = last.max(f.await.unwrap());
    }
    let el = t0.elapsed();
    let n = clients * each;
    eprintln!(
        "runtime: {n} durable writes by {clients} sequential clients in {el:?} ({:.0} entries/s, {:.2} ms mean latency)",
        n as f64 / el.as_secs_f64(),
        el.as_secs_f64() * 1000.0 / each as f64
    );
    assert!(last > first);
    match lh.read(G, Duration::from_secs(5)).await.unwrap() {
        Outcome::Read { index } => assert!(index >= last),
        o => panic!("read: {o:?}"),
    }

    // Kill the leader: a new one is elected among the others and proposals resume.
    lh.shutdown();
    let rest: Vec<NodeId> = all.iter().copied().filter(|n| *n != leader).collect();
    let start = Instant::now();
    let new_leader = loop {
        let l = wait_leader(&c, &rest).await;
        if let Ok(Outcome::Committed { .. }) = c.handles[&l].propose(G, batch("after"), Duration::from_secs(3)).await {
            break l;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "writes never resumed");
    };
    assert_ne!(new_leader, leader);
    eprintln!("runtime: writes resumed {:?} after the leader stopped", start.elapsed());
    // Every surviving replica applies everything acknowledged.
    let start = Instant::now();
    loop {
        let done = rest.iter().all(|n| {
            let a = c.sms[n].applied.lock();
            a.contains(&b"after".to_vec()) && a.contains(&b"v1599".to_vec())
        });
        if done {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "followers did not catch up");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The dead node's replica is removed from the group; writes keep committing on two voters.
    let nl = &c.handles[&new_leader];
    let dead = shoal_cluster::meta::bootstrap_peer_id(G, leader);
    let change = vec![shoal_cluster::node::MemberChange::Remove { peer: dead }];
    match nl.change_membership(G, change, Duration::from_secs(5)).await.unwrap() {
        Outcome::Committed { .. } => {}
        o => panic!("membership change: {o:?}"),
    }
    let mut w = nl.watch();
    tokio::time::timeout(
        Duration::from_secs(5),
        w.wait_for(|v| {
            v.groups
                .get(&G)
                .is_some_and(|s| !s.voters.contains(&leader) && s.voters.len() == 2)
        }),
    )
    .await
    .expect("configuration never showed the removal")
    .unwrap();
    propose_ok(nl, "after-removal").await;
    for h in c.handles.values() {
        h.shutdown();
    }
}

#[tokio::test]
async fn a_restarted_follower_catches_up_by_snapshot_over_tcp() {
    let tuning = RaftTuning {
        snapshot_entries: 20,
        log_rewrite_bytes: 64 * 1024,
        ..RaftTuning::default()
    };
    let mut c = start_cluster_with(3, b"s", tuning).await;
    let all: Vec<NodeId> = c.handles.keys().copied().collect();
    let leader = wait_leader(&c, &all).await;
    let follower = *all.iter().find(|n| **n != leader).unwrap();
    propose_ok(&c.handles[&leader], "before").await;
    c.handles[&follower].shutdown();

    // Enough data that the snapshot is several chunks, and enough entries that the leader
    // compacts past everything the stopped follower has.
    let big = "x".repeat(40 * 1024);
    for i in 0..80 {
        propose_ok(&c.handles[&leader], &format!("{i}{big}")).await;
    }
    c.restart(follower).await;
    let last = format!("79{big}").into_bytes();
    let start = Instant::now();
    loop {
        if c.sms[&follower].applied.lock().contains(&last) {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "follower never caught up");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(c.sms[&follower].applied.lock().contains(&b"before".to_vec()));
    for h in c.handles.values() {
        h.shutdown();
    }
}

#[tokio::test]
async fn wrong_secret_is_refused_before_any_frame_is_read() {
    let c = start_cluster(1, b"right").await;
    let addr: SocketAddr = c.handles[&NodeId(1)].local_addr();

    // Wrong secret: our own check of the acceptor's proof fails.
    let mut s = TcpStream::connect(addr).await.unwrap();
    assert!(handshake_dial(&mut s, &Secret::new(b"wrong"), 7, NodeId(2))
        .await
        .is_err());

    // Garbage instead of a handshake: the acceptor hangs up without answering frames.
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut junk = vec![0u8; 4];
    junk.extend_from_slice(&[0xff; 60]);
    s.write_all(&junk).await.unwrap();
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(6), s.read(&mut buf))
        .await
        .unwrap()
        .unwrap_or(0);
    assert_eq!(n, 0, "acceptor answered a bad hello");

    // Right secret completes the handshake.
    let mut s = TcpStream::connect(addr).await.unwrap();
    handshake_dial(&mut s, &Secret::new(b"right"), 7, NodeId(2))
        .await
        .unwrap();
    c.handles[&NodeId(1)].shutdown();
}
