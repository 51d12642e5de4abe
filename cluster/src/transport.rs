//! Peer TCP transport: authenticated, framed, one outbound connection per peer.
//!
//! Invariants:
//! - No byte of a peer's frames is parsed before the peer proved it knows the cluster secret
//!   (protobuf 2.28 is RUSTSEC-2024-0437: only authenticated peers may reach its parser).
//! - The handshake is a mutual challenge/response: the dialer sends a hello (magic, cluster id,
//!   its node id, a fresh nonce); the acceptor answers its own nonce and a keyed hash over both
//!   nonces; the dialer checks it and answers its keyed hash. Both sides thus prove the secret
//!   on fresh nonces; a recorded handshake cannot be replayed.
//! - Frames are length-prefixed and capped (`codec::MAX_FRAME`); an envelope too big for one
//!   frame (a snapshot) travels as bounded chunks and is stepped only once reassembled (capped
//!   at `codec::MAX_REASSEMBLED`).
//! - Outbound sockets bind to the node's own IP before connecting, so per-link firewall rules
//!   between 127.0.0.x addresses match.
//! - Sending never blocks raft: while a peer is unreachable its messages are dropped (raft
//!   retries) and the node is told `Unreachable` once per failed connection.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use bytes::BytesMut;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::mpsc;

use crate::codec::{put_frame, take_frame, Envelope, Frame, CHUNK, MAX_FRAME, MAX_REASSEMBLED};
use crate::error::{ClusterError, CodecError};
use crate::NodeId;

const MAGIC: &[u8; 8] = b"SHOALRP1";
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the transport tells the node loop.
#[derive(Debug)]
pub enum PeerEvent {
    /// Envelopes from an authenticated peer.
    Inbound(Vec<Envelope>),
    /// A connection to this node failed.
    Unreachable(NodeId),
}

/// The shared cluster secret (`cluster-secret`), turned into a 128-bit SipHash key.
#[derive(Clone)]
pub struct Secret {
    k: [(u64, u64); 2],
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    /// Derives the keys from the secret's bytes.
    pub fn new(secret: &[u8]) -> Secret {
        let derive = |a: u64, b: u64| {
            let mut h = sip(a, b);
            h.write(secret);
            h.finish()
        };
        Secret {
            k: [
                (derive(0x5348_4f41_4c00_0001, 1), derive(0x5348_4f41_4c00_0002, 2)),
                (derive(0x5348_4f41_4c00_0003, 3), derive(0x5348_4f41_4c00_0004, 4)),
            ],
        }
    }

    /// A 128-bit keyed hash (two SipHash-2-4 lanes with independent keys).
    fn mac(&self, parts: &[&[u8]]) -> [u8; 16] {
        let mut out = [0u8; 16];
        for (lane, (k0, k1)) in self.k.iter().enumerate() {
            let mut h = sip(*k0, *k1);
            for p in parts {
                h.write(&(p.len() as u64).to_le_bytes());
                h.write(p);
            }
            out[lane * 8..lane * 8 + 8].copy_from_slice(&h.finish().to_le_bytes());
        }
        out
    }
}

// SipHash-2-4 is a keyed PRF designed as a MAC for short inputs; std keeps it (deprecated only
// because HashMap moved to SipHash-1-3), which spares a crypto dependency here.
#[allow(deprecated)]
fn sip(k0: u64, k1: u64) -> std::hash::SipHasher {
    std::hash::SipHasher::new_with_keys(k0, k1)
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn auth_error(what: &str) -> ClusterError {
    ClusterError::Io(std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        format!("peer authentication failed: {what}"),
    ))
}

/// Dialer side of the handshake. Returns once the acceptor proved the secret and we did.
pub async fn handshake_dial(
    stream: &mut TcpStream,
    secret: &Secret,
    cluster_id: u64,
    me: NodeId,
) -> Result<(), ClusterError> {
    tokio::time::timeout(HANDSHAKE_TIMEOUT, async {
        let my_nonce: [u8; 16] = rand::random();
        let mut hello = Vec::with_capacity(40);
        hello.extend_from_slice(MAGIC);
        hello.extend_from_slice(&cluster_id.to_be_bytes());
        hello.extend_from_slice(&me.0.to_be_bytes());
        hello.extend_from_slice(&my_nonce);
        stream.write_all(&hello).await?;
        let mut reply = [0u8; 32];
        stream.read_exact(&mut reply).await?;
        let (their_nonce, their_proof) = reply.split_at(16);
        let id = me.0.to_be_bytes();
        let expect = secret.mac(&[b"acceptor", &my_nonce, their_nonce, &id]);
        if !ct_eq(&expect, their_proof) {
            return Err(auth_error("acceptor does not know the secret"));
        }
        let proof = secret.mac(&[b"dialer", their_nonce, &my_nonce, &id]);
        stream.write_all(&proof).await?;
        Ok(())
    })
    .await
    .map_err(|_| auth_error("handshake timed out"))?
}

/// Acceptor side of the handshake: returns the authenticated peer's node id.
pub async fn handshake_accept(
    stream: &mut TcpStream,
    secret: &Secret,
    cluster_id: u64,
) -> Result<NodeId, ClusterError> {
    tokio::time::timeout(HANDSHAKE_TIMEOUT, async {
        let mut hello = [0u8; 40];
        stream.read_exact(&mut hello).await?;
        if &hello[..8] != MAGIC {
            return Err(auth_error("bad magic"));
        }
        let cid = u64::from_be_bytes(hello[8..16].try_into().unwrap_or_default());
        if cid != cluster_id {
            return Err(auth_error("other cluster"));
        }
        let id = &hello[16..24];
        let their_nonce = &hello[24..40];
        let my_nonce: [u8; 16] = rand::random();
        let proof = secret.mac(&[b"acceptor", their_nonce, &my_nonce, id]);
        let mut reply = [0u8; 32];
        reply[..16].copy_from_slice(&my_nonce);
        reply[16..].copy_from_slice(&proof);
        stream.write_all(&reply).await?;
        let mut their_proof = [0u8; 16];
        stream.read_exact(&mut their_proof).await?;
        let expect = secret.mac(&[b"dialer", &my_nonce, their_nonce, id]);
        if !ct_eq(&expect, &their_proof) {
            return Err(auth_error("dialer does not know the secret"));
        }
        let node = u64::from_be_bytes(id.try_into().unwrap_or_default());
        Ok(NodeId(node))
    })
    .await
    .map_err(|_| auth_error("handshake timed out"))?
}

/// Encodes one batch of envelopes into frames, splitting envelopes bigger than a chunk.
pub fn encode_batch(envs: Vec<Envelope>, next_chunk_id: &mut u64, out: &mut BytesMut) -> Result<(), CodecError> {
    let mut small = Vec::new();
    let mut small_bytes = 0;
    for env in envs {
        if env.msg.len() <= CHUNK {
            small_bytes += env.msg.len() + 32;
            small.push(env);
            if small_bytes >= CHUNK {
                put_frame(out, &Frame::Envelopes(std::mem::take(&mut small)).encode()?)?;
                small_bytes = 0;
            }
            continue;
        }
        *next_chunk_id += 1;
        let pieces: Vec<&[u8]> = env.msg.chunks(CHUNK).collect();
        let n = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            let f = Frame::Chunk {
                id: *next_chunk_id,
                group: env.group,
                from: env.from,
                to: env.to,
                bytes: piece.to_vec(),
                last: i + 1 == n,
            };
            put_frame(out, &f.encode()?)?;
        }
    }
    if !small.is_empty() {
        put_frame(out, &Frame::Envelopes(small).encode()?)?;
    }
    Ok(())
}

/// Reassembles chunked envelopes of one connection.
#[derive(Debug, Default)]
pub struct Reassembly {
    current: Option<(u64, Envelope)>,
}

impl Reassembly {
    /// Takes one decoded frame; returns the envelopes it completes. `peer` is the authenticated
    /// sender: envelopes claiming another sender are refused.
    pub fn push(&mut self, frame: Frame, peer: NodeId, me: NodeId) -> Result<Vec<Envelope>, ClusterError> {
        let check = |from: NodeId, to: NodeId| {
            if from != peer || to != me {
                Err(auth_error("envelope not addressed from the authenticated peer to us"))
            } else {
                Ok(())
            }
        };
        match frame {
            Frame::Envelopes(envs) => {
                for e in &envs {
                    check(e.from, e.to)?;
                }
                Ok(envs)
            }
            Frame::Chunk {
                id,
                group,
                from,
                to,
                bytes,
                last,
            } => {
                check(from, to)?;
                let env = match self.current.take() {
                    Some((cid, mut env)) if cid == id && env.group == group => {
                        env.msg.extend_from_slice(&bytes);
                        env
                    }
                    _ => Envelope {
                        group,
                        from,
                        to,
                        msg: bytes,
                    },
                };
                if env.msg.len() > MAX_REASSEMBLED {
                    return Err(ClusterError::Codec(CodecError::FrameTooLarge {
                        len: env.msg.len(),
                        cap: MAX_REASSEMBLED,
                    }));
                }
                if last {
                    Ok(vec![env])
                } else {
                    self.current = Some((id, env));
                    Ok(Vec::new())
                }
            }
        }
    }
}

/// Accepts peer connections forever, authenticating each and forwarding its envelopes.
pub async fn accept_loop(
    listener: TcpListener,
    secret: Secret,
    cluster_id: u64,
    me: NodeId,
    events: std::sync::mpsc::Sender<PeerEvent>,
) {
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, addr)) = accepted else { continue };
                let secret = secret.clone();
                let events = events.clone();
                conns.spawn(async move {
                    if let Err(e) = serve_peer(stream, &secret, cluster_id, me, events).await {
                        tracing::debug!(%addr, error = %e, "peer connection closed");
                    }
                });
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}

async fn serve_peer(
    mut stream: TcpStream,
    secret: &Secret,
    cluster_id: u64,
    me: NodeId,
    events: std::sync::mpsc::Sender<PeerEvent>,
) -> Result<(), ClusterError> {
    stream.set_nodelay(true)?;
    let peer = handshake_accept(&mut stream, secret, cluster_id).await?;
    let mut buf = BytesMut::with_capacity(64 * 1024);
    let mut chunks = Reassembly::default();
    loop {
        while let Some(frame) = take_frame(&mut buf, MAX_FRAME)? {
            let envs = chunks.push(Frame::decode(&frame)?, peer, me)?;
            if !envs.is_empty() && events.send(PeerEvent::Inbound(envs)).is_err() {
                return Ok(());
            }
        }
        if stream.read_buf(&mut buf).await? == 0 {
            return Ok(());
        }
    }
}

/// One outbound peer link: who dials whom, where.
#[derive(Debug, Clone)]
pub struct Link {
    /// This node.
    pub me: NodeId,
    /// This node's IP (outgoing sockets bind to it).
    pub my_ip: IpAddr,
    /// The peer.
    pub peer: NodeId,
    /// The peer's cluster bus address.
    pub addr: SocketAddr,
    /// The cluster secret.
    pub secret: Secret,
    /// The cluster id.
    pub cluster_id: u64,
}

/// Dials one peer and keeps sending what the node loop queues for it.
pub async fn dial_loop(
    link: Link,
    mut queue: mpsc::UnboundedReceiver<Vec<Envelope>>,
    events: std::sync::mpsc::Sender<PeerEvent>,
) {
    let Link {
        me,
        my_ip,
        peer,
        addr,
        secret,
        cluster_id,
    } = link;
    let mut backoff = Duration::from_millis(50);
    let mut chunk_id = 0u64;
    loop {
        let conn = async {
            let socket = if addr.is_ipv4() {
                TcpSocket::new_v4()?
            } else {
                TcpSocket::new_v6()?
            };
            socket.bind(SocketAddr::new(my_ip, 0))?;
            let mut stream = socket.connect(addr).await?;
            stream.set_nodelay(true)?;
            handshake_dial(&mut stream, &secret, cluster_id, me).await?;
            Ok::<_, ClusterError>(stream)
        };
        let mut stream = match tokio::time::timeout(Duration::from_secs(2), conn).await {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                tracing::debug!(peer = peer.0, error = %e, "peer connect failed");
                if failed(&events, peer, &mut queue).is_err() {
                    return;
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(1));
                continue;
            }
            Err(_) => {
                if failed(&events, peer, &mut queue).is_err() {
                    return;
                }
                continue;
            }
        };
        backoff = Duration::from_millis(50);
        let mut out = BytesMut::new();
        loop {
            let Some(first) = queue.recv().await else { return };
            out.clear();
            let mut batch = first;
            while let Ok(more) = queue.try_recv() {
                batch.extend(more);
            }
            if let Err(e) = encode_batch(batch, &mut chunk_id, &mut out) {
                tracing::error!(error = %e, "envelope did not encode");
                continue;
            }
            if let Err(e) = stream.write_all(&out).await {
                tracing::debug!(peer = peer.0, error = %e, "peer write failed");
                break;
            }
        }
        if failed(&events, peer, &mut queue).is_err() {
            return;
        }
    }
}

fn failed(
    events: &std::sync::mpsc::Sender<PeerEvent>,
    peer: NodeId,
    queue: &mut mpsc::UnboundedReceiver<Vec<Envelope>>,
) -> Result<(), ()> {
    while queue.try_recv().is_ok() {}
    events.send(PeerEvent::Unreachable(peer)).map_err(|_| ())
}

/// The node loop's side of the transport: one queue per peer.
#[derive(Debug, Default)]
pub struct PeerQueues {
    queues: BTreeMap<NodeId, mpsc::UnboundedSender<Vec<Envelope>>>,
}

impl PeerQueues {
    /// Registers the queue of one peer.
    pub fn insert(&mut self, peer: NodeId, tx: mpsc::UnboundedSender<Vec<Envelope>>) {
        self.queues.insert(peer, tx);
    }
}

impl crate::node::Transport for PeerQueues {
    fn send(&mut self, to: NodeId, envelopes: Vec<Envelope>) {
        match self.queues.get(&to) {
            Some(q) => {
                let _ = q.send(envelopes);
            }
            None => tracing::warn!(node = to.0, "no connection to node"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_reassemble_into_the_original_envelope() {
        let big = Envelope {
            group: crate::GroupId(1),
            from: NodeId(1),
            to: NodeId(2),
            msg: (0..(CHUNK * 2 + 17)).map(|i| i as u8).collect(),
        };
        let small = Envelope {
            group: crate::GroupId(0),
            from: NodeId(1),
            to: NodeId(2),
            msg: vec![1, 2, 3],
        };
        let mut out = BytesMut::new();
        let mut id = 0;
        encode_batch(vec![big.clone(), small.clone()], &mut id, &mut out).unwrap();
        let mut r = Reassembly::default();
        let mut got = Vec::new();
        while let Some(f) = take_frame(&mut out, MAX_FRAME).unwrap() {
            got.extend(r.push(Frame::decode(&f).unwrap(), NodeId(1), NodeId(2)).unwrap());
        }
        assert_eq!(got, vec![big, small]);
    }

    #[test]
    fn envelopes_claiming_another_sender_are_refused() {
        let env = Envelope {
            group: crate::GroupId(1),
            from: NodeId(3),
            to: NodeId(2),
            msg: vec![],
        };
        let mut r = Reassembly::default();
        assert!(r.push(Frame::Envelopes(vec![env]), NodeId(1), NodeId(2)).is_err());
    }

    #[test]
    fn macs_depend_on_the_secret() {
        let a = Secret::new(b"one");
        let b = Secret::new(b"two");
        assert_ne!(a.mac(&[b"x"]), b.mac(&[b"x"]));
        assert_eq!(a.mac(&[b"x"]), Secret::new(b"one").mac(&[b"x"]));
        assert_ne!(a.mac(&[b"ab", b"c"]), a.mac(&[b"a", b"bc"]));
    }
}
