//! The publish/subscribe registry: channel → subscribers, pattern →
//! subscribers, shard channel → subscribers, and per subscriber a bounded queue of ready-encoded
//! messages its connection forwards while idle (as MONITOR's lines).
//!
//! Invariants: a message is encoded in the subscriber's protocol at the
//! moment it is published (RESP2 `*3 message` / `*4 pmessage`, RESP3 push
//! `>3`/`>4`); the publisher never waits: a subscriber whose queue is full
//! is killed and unregistered, as Redis drops a pub/sub client past its
//! output buffer limit; `ClientInfo::sub`/`psub`/`ssub` always equal the
//! number of channels/patterns/shard channels the client holds here.
//!
//! The registry is node-local. A cluster-wide `PUBLISH` hooks in above it:
//! the command layer delivers locally through [`PubSub::publish`] and a
//! cluster layer forwards the same (channel, message) to its peers, each of
//! which calls `publish` on its own registry; nothing here changes.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use bytes::{BufMut, Bytes, BytesMut};
use hashbrown::{HashMap, HashSet};
use parking_lot::Mutex;
use tokio::sync::mpsc;

use crate::node::clients::ClientInfo;

/// Messages a subscriber may have waiting before it is disconnected.
pub const BACKLOG: usize = 4096;

/// The receiving end a subscribed connection reads its messages from.
pub type PubSubFeed = mpsc::Receiver<Bytes>;

/// One subscribed client.
#[derive(Debug)]
struct Subscriber {
    info: Arc<ClientInfo>,
    tx: mpsc::Sender<Bytes>,
    /// What it holds, per [`Kind`].
    held: [HashSet<Bytes>; 3],
}

impl Subscriber {
    /// Stores the counts `CLIENT LIST` shows and returns the count a
    /// `kind` (un)subscribe frame carries: channels plus patterns, or
    /// shard channels alone (Redis 7.0 counts them apart).
    fn counts(&self, kind: Kind) -> usize {
        let [ch, pat, shard] = [0, 1, 2].map(|i| self.held[i].len());
        self.info.sub.store(ch, Ordering::Relaxed);
        self.info.psub.store(pat, Ordering::Relaxed);
        self.info.ssub.store(shard, Ordering::Relaxed);
        match kind {
            Kind::Shard => shard,
            Kind::Channel | Kind::Pattern => ch + pat,
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    /// Per [`Kind`]: name → subscriber ids, in subscription order.
    maps: [HashMap<Bytes, Vec<u64>>; 3],
    clients: HashMap<u64, Subscriber>,
}

/// Which kind of subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A channel, matched exactly.
    Channel,
    /// A glob pattern over channel names.
    Pattern,
    /// A shard channel (`SSUBSCRIBE`): a namespace of its own, matched
    /// exactly, published to by `SPUBLISH` only.
    Shard,
}

impl Kind {
    fn index(self) -> usize {
        match self {
            Kind::Channel => 0,
            Kind::Pattern => 1,
            Kind::Shard => 2,
        }
    }
}

/// The registry of every subscription on this node.
#[derive(Debug, Default)]
pub struct PubSub {
    inner: Mutex<Inner>,
}

impl Inner {
    /// Removes `id` from `name`'s subscribers (the entry goes with the last).
    fn detach(&mut self, kind: Kind, name: &Bytes, id: u64) {
        let map = &mut self.maps[kind.index()];
        if let Some(ids) = map.get_mut(name) {
            ids.retain(|&x| x != id);
            if ids.is_empty() {
                map.remove(name);
            }
        }
    }

    /// Removes the client and every subscription it holds.
    fn drop_client(&mut self, id: u64) {
        if let Some(sub) = self.clients.remove(&id) {
            for kind in [Kind::Channel, Kind::Pattern, Kind::Shard] {
                for name in &sub.held[kind.index()] {
                    self.detach(kind, name, id);
                }
            }
            sub.info.sub.store(0, Ordering::Relaxed);
            sub.info.psub.store(0, Ordering::Relaxed);
            sub.info.ssub.store(0, Ordering::Relaxed);
        }
    }
}

impl PubSub {
    /// Subscribes `client` to `name`; returns the client's subscription
    /// count afterwards (as [`Subscriber::counts`]), and the
    /// feed to read messages from when this is the client's first
    /// subscription since it had none registered.
    pub fn subscribe(&self, client: &Arc<ClientInfo>, kind: Kind, name: &[u8]) -> (usize, Option<PubSubFeed>) {
        let mut inner = self.inner.lock();
        let mut feed = None;
        let id = client.id;
        let sub = inner.clients.entry(id).or_insert_with(|| {
            let (tx, rx) = mpsc::channel(BACKLOG);
            feed = Some(rx);
            Subscriber {
                info: client.clone(),
                tx,
                held: Default::default(),
            }
        });
        let name = Bytes::copy_from_slice(name);
        let added = sub.held[kind.index()].insert(name.clone());
        let count = sub.counts(kind);
        if added {
            inner.maps[kind.index()].entry(name).or_default().push(id);
        }
        (count, feed)
    }

    /// Unsubscribes client `id` from `name`; returns the client's
    /// subscription count afterwards.
    pub fn unsubscribe(&self, id: u64, kind: Kind, name: &[u8]) -> usize {
        let mut inner = self.inner.lock();
        let Some(sub) = inner.clients.get_mut(&id) else {
            return 0;
        };
        let removed = sub.held[kind.index()].take(name);
        let count = sub.counts(kind);
        if let Some(name) = removed {
            inner.detach(kind, &name, id);
        }
        count
    }

    /// The channels (or patterns) client `id` holds, in name order.
    pub fn subscriptions(&self, id: u64, kind: Kind) -> Vec<Bytes> {
        let inner = self.inner.lock();
        let mut v: Vec<Bytes> = match inner.clients.get(&id) {
            Some(sub) => sub.held[kind.index()].iter().cloned().collect(),
            None => Vec::new(),
        };
        v.sort();
        v
    }

    /// Forgets client `id` and all its subscriptions (disconnect, `RESET`);
    /// its feed then ends once drained.
    pub fn remove_client(&self, id: u64) {
        self.inner.lock().drop_client(id);
    }

    /// Delivers `message` on `channel` to every subscriber of the channel
    /// and of every matching pattern (a client subscribed both ways gets it
    /// once per subscription, as in Redis); returns how many deliveries
    /// were made. A subscriber whose queue is full is killed instead.
    pub fn publish(&self, channel: &[u8], message: &[u8]) -> usize {
        let mut inner = self.inner.lock();
        if inner.clients.is_empty() {
            return 0;
        }
        let mut receivers = 0;
        let mut overflowed = Vec::new();
        let mut encoded = Encoded::default();
        if let Some(ids) = inner.maps[Kind::Channel.index()].get(channel) {
            for id in ids {
                if let Some(sub) = inner.clients.get(id) {
                    let msg = encoded.get(sub.info.resp.load(Ordering::Relaxed), None, channel, message);
                    deliver(sub, msg, &mut overflowed);
                    receivers += 1;
                }
            }
        }
        for (pattern, ids) in &inner.maps[Kind::Pattern.index()] {
            if !crate::glob::glob_match(pattern, channel, false) {
                continue;
            }
            let mut encoded = Encoded::default();
            for id in ids {
                if let Some(sub) = inner.clients.get(id) {
                    let msg = encoded.get(sub.info.resp.load(Ordering::Relaxed), Some(pattern), channel, message);
                    deliver(sub, msg, &mut overflowed);
                    receivers += 1;
                }
            }
        }
        for id in overflowed {
            inner.drop_client(id);
        }
        receivers
    }

    /// Delivers `message` on shard channel `channel` (`SPUBLISH`) to its
    /// subscribers as `smessage`; returns how many received it.
    pub fn publish_shard(&self, channel: &[u8], message: &[u8]) -> usize {
        let mut inner = self.inner.lock();
        let mut receivers = 0;
        let mut overflowed = Vec::new();
        let mut encoded = Encoded {
            shard: true,
            ..Default::default()
        };
        if let Some(ids) = inner.maps[Kind::Shard.index()].get(channel) {
            for id in ids {
                if let Some(sub) = inner.clients.get(id) {
                    let msg = encoded.get(sub.info.resp.load(Ordering::Relaxed), None, channel, message);
                    deliver(sub, msg, &mut overflowed);
                    receivers += 1;
                }
            }
        }
        for id in overflowed {
            inner.drop_client(id);
        }
        receivers
    }

    /// Active channels of `kind` (`Channel` or `Shard`, with at least one
    /// subscriber) matching `pattern` (all when `None`).
    pub fn channels(&self, kind: Kind, pattern: Option<&[u8]>) -> Vec<Bytes> {
        let inner = self.inner.lock();
        inner.maps[kind.index()]
            .keys()
            .filter(|c| pattern.is_none_or(|p| crate::glob::glob_match(p, c, false)))
            .cloned()
            .collect()
    }

    /// Subscribers of `name` of `kind` (a channel's count leaves pattern
    /// subscriptions out).
    pub fn numsub(&self, kind: Kind, name: &[u8]) -> usize {
        self.inner.lock().maps[kind.index()].get(name).map_or(0, Vec::len)
    }

    /// Distinct names of `kind` with at least one subscriber (`NUMPAT`,
    /// and `INFO`'s `pubsub_channels`, `pubsub_patterns`,
    /// `pubsubshard_channels`).
    pub fn count(&self, kind: Kind) -> usize {
        self.inner.lock().maps[kind.index()].len()
    }
}

/// Queues `msg` for `sub`, or kills it when its queue is full.
fn deliver(sub: &Subscriber, msg: Bytes, overflowed: &mut Vec<u64>) {
    match sub.tx.try_send(msg) {
        Ok(()) => {}
        // The connection is gone; its task unregisters it.
        Err(mpsc::error::TrySendError::Closed(_)) => {}
        Err(mpsc::error::TrySendError::Full(_)) => {
            sub.info.kill();
            overflowed.push(sub.info.id);
        }
    }
}

/// One message's encodings, made once per protocol version on first use.
#[derive(Default)]
struct Encoded {
    /// A shard channel's message (`smessage`).
    shard: bool,
    resp2: Option<Bytes>,
    resp3: Option<Bytes>,
}

impl Encoded {
    fn get(&mut self, resp: u8, pattern: Option<&[u8]>, channel: &[u8], message: &[u8]) -> Bytes {
        let slot = if resp >= 3 { &mut self.resp3 } else { &mut self.resp2 };
        let shard = self.shard;
        slot.get_or_insert_with(|| match shard {
            true => encode_shard_message(resp, channel, message),
            false => encode_message(resp, pattern, channel, message),
        })
        .clone()
    }
}

/// A shard channel's message: `smessage channel payload`.
pub fn encode_shard_message(resp: u8, channel: &[u8], message: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(channel.len() + message.len() + 64);
    out.put_slice(if resp >= 3 { b">3\r\n" } else { b"*3\r\n" });
    for s in [&b"smessage"[..], channel, message] {
        out.put_u8(b'$');
        out.put_slice(itoa::Buffer::new().format(s.len()).as_bytes());
        out.put_slice(b"\r\n");
        out.put_slice(s);
        out.put_slice(b"\r\n");
    }
    out.freeze()
}

/// A message as a subscriber reads it: `message channel payload`, or
/// `pmessage pattern channel payload` for a pattern subscription; an array
/// in RESP2, a push in RESP3.
pub fn encode_message(resp: u8, pattern: Option<&[u8]>, channel: &[u8], message: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(channel.len() + message.len() + 64);
    let kind = if resp >= 3 { b'>' } else { b'*' };
    let bulk = |out: &mut BytesMut, s: &[u8]| {
        out.put_u8(b'$');
        out.put_slice(itoa::Buffer::new().format(s.len()).as_bytes());
        out.put_slice(b"\r\n");
        out.put_slice(s);
        out.put_slice(b"\r\n");
    };
    match pattern {
        Some(p) => {
            out.put_u8(kind);
            out.put_slice(b"4\r\n");
            bulk(&mut out, b"pmessage");
            bulk(&mut out, p);
        }
        None => {
            out.put_u8(kind);
            out.put_slice(b"3\r\n");
            bulk(&mut out, b"message");
        }
    }
    bulk(&mut out, channel);
    bulk(&mut out, message);
    out.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(id: u64) -> Arc<ClientInfo> {
        let a = std::net::SocketAddr::from(([127, 0, 0, 1], 1));
        Arc::new(ClientInfo::new(id, a, a))
    }

    #[test]
    fn publish_counts_channel_and_pattern_deliveries_in_each_protocol() {
        let ps = PubSub::default();
        let (a, b) = (client(1), client(2));
        b.resp.store(3, Ordering::Relaxed);
        let (_, ra) = ps.subscribe(&a, Kind::Channel, b"news");
        let mut ra = ra.unwrap();
        let (n, rb) = ps.subscribe(&b, Kind::Pattern, b"n*");
        let mut rb = rb.unwrap();
        assert_eq!(n, 1);
        assert!(ps.subscribe(&a, Kind::Pattern, b"*").1.is_none());
        assert_eq!(ps.publish(b"news", b"hi"), 3);
        assert_eq!(
            &ra.try_recv().unwrap()[..],
            b"*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n"
        );
        assert_eq!(
            &ra.try_recv().unwrap()[..],
            b"*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$4\r\nnews\r\n$2\r\nhi\r\n"
        );
        assert_eq!(
            &rb.try_recv().unwrap()[..],
            b">4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n"
        );
        assert_eq!((a.sub.load(Ordering::Relaxed), a.psub.load(Ordering::Relaxed)), (1, 1));
        assert_eq!(ps.count(Kind::Pattern), 2);
        assert_eq!(ps.subscribe(&a, Kind::Shard, b"news").0, 1);
        assert_eq!(ps.publish_shard(b"news", b"s"), 1);
        assert_eq!(
            &ra.try_recv().unwrap()[..],
            b"*3\r\n$8\r\nsmessage\r\n$4\r\nnews\r\n$1\r\ns\r\n"
        );
        ps.remove_client(1);
        assert_eq!(
            (ps.count(Kind::Channel), ps.count(Kind::Pattern), ps.count(Kind::Shard)),
            (0, 1, 0)
        );
        assert_eq!(a.sub.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_full_queue_kills_the_subscriber_and_unregisters_it() {
        let ps = PubSub::default();
        let a = client(1);
        let (_, _feed) = ps.subscribe(&a, Kind::Channel, b"c");
        for _ in 0..BACKLOG {
            assert_eq!(ps.publish(b"c", b"m"), 1);
        }
        assert!(!a.killed.load(Ordering::SeqCst));
        ps.publish(b"c", b"m");
        assert!(a.killed.load(Ordering::SeqCst));
        assert_eq!(ps.numsub(Kind::Channel, b"c"), 0);
        assert_eq!(ps.publish(b"c", b"m"), 0);
    }
}
