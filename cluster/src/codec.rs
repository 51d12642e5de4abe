//! Wire and log formats: the replicated `Batch`, the peer `Envelope`, and length-prefixed frames.
//!
//! Invariants:
//! - Everything of ours is postcard; raft-rs messages stay protobuf bytes inside an envelope and
//!   are parsed only after the peer authenticated (RUSTSEC-2024-0437, see `transport.rs`).
//! - A frame is `u32` big-endian length + payload; a length above the cap is an error before
//!   any byte of the payload is buffered, so a peer cannot make us allocate unbounded memory.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use protobuf::Message as _;
use raft::eraftpb::Message;
use serde::{Deserialize, Serialize};

use crate::error::CodecError;
use crate::{GroupId, NodeId};

/// The largest frame a peer may send (a coalesced batch of raft messages or a snapshot chunk).
pub const MAX_FRAME: usize = 16 * 1024 * 1024;

/// The size of one snapshot chunk on the wire; bigger raft messages are split into chunks.
pub const CHUNK: usize = 1024 * 1024;

/// The largest reassembled raft message (a snapshot) a receiver accepts.
pub const MAX_REASSEMBLED: usize = 1024 * 1024 * 1024;

/// One replicated log entry of a shard group: every command a group received in one server
/// loop iteration, executed on apply with the entry's time and seed on every replica.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// The leader's wall clock when it proposed (milliseconds since the Unix epoch).
    pub now_ms: u64,
    /// The seed for every random choice made while applying the batch.
    pub seed: u64,
    /// The commands: each an argv of opaque byte strings (this crate never parses them).
    pub cmds: Vec<Vec<Vec<u8>>>,
}

impl Batch {
    /// Encodes with postcard.
    pub fn encode(&self) -> Result<Vec<u8>, CodecError> {
        Ok(postcard::to_stdvec(self)?)
    }

    /// Decodes postcard bytes.
    pub fn decode(bytes: &[u8]) -> Result<Batch, CodecError> {
        Ok(postcard::from_bytes(bytes)?)
    }
}

/// A raft message addressed from one node to another, for one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The raft group the message belongs to.
    pub group: GroupId,
    /// The sending node.
    pub from: NodeId,
    /// The receiving node.
    pub to: NodeId,
    /// The raft-rs `Message`, protobuf-encoded.
    pub msg: Vec<u8>,
}

impl Envelope {
    /// Wraps a raft message.
    pub fn new(group: GroupId, from: NodeId, to: NodeId, msg: &Message) -> Result<Self, CodecError> {
        Ok(Envelope {
            group,
            from,
            to,
            msg: msg.write_to_bytes()?,
        })
    }

    /// Parses the raft message. Call only for authenticated peers.
    pub fn message(&self) -> Result<Message, CodecError> {
        Ok(Message::parse_from_bytes(&self.msg)?)
    }
}

/// What travels on an authenticated peer connection, one per frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frame {
    /// All envelopes for one destination produced by one loop iteration.
    Envelopes(Vec<Envelope>),
    /// One piece of an envelope too big for one frame (a snapshot). Pieces of one `id` arrive
    /// in order on one connection; `last` completes it.
    Chunk {
        /// Sender-chosen id of the big envelope.
        id: u64,
        /// Envelope header of the big message (same on every piece).
        group: GroupId,
        /// Sending node.
        from: NodeId,
        /// Receiving node.
        to: NodeId,
        /// This piece's bytes of the protobuf message.
        bytes: Vec<u8>,
        /// Whether this is the final piece.
        last: bool,
    },
}

impl Frame {
    /// Encodes with postcard.
    pub fn encode(&self) -> Result<Vec<u8>, CodecError> {
        Ok(postcard::to_stdvec(self)?)
    }

    /// Decodes postcard bytes.
    pub fn decode(bytes: &[u8]) -> Result<Frame, CodecError> {
        Ok(postcard::from_bytes(bytes)?)
    }
}

/// Appends `payload` to `out` as one length-prefixed frame.
pub fn put_frame(out: &mut BytesMut, payload: &[u8]) -> Result<(), CodecError> {
    if payload.len() > MAX_FRAME {
        return Err(CodecError::FrameTooLarge {
            len: payload.len(),
            cap: MAX_FRAME,
        });
    }
    out.reserve(4 + payload.len());
    // The check above bounds the length far below u32::MAX.
    out.put_u32(payload.len() as u32);
    out.put_slice(payload);
    Ok(())
}

/// Takes one complete frame off the front of `buf`, if one is there. A length above `cap` is an
/// error as soon as the 4-byte prefix is readable.
pub fn take_frame(buf: &mut BytesMut, cap: usize) -> Result<Option<Bytes>, CodecError> {
    if buf.len() < 4 {
        return Ok(None);
    }
    let len = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
    if len > cap {
        return Err(CodecError::FrameTooLarge { len, cap });
    }
    if buf.len() < 4 + len {
        buf.reserve(4 + len - buf.len());
        return Ok(None);
    }
    buf.advance(4);
    Ok(Some(buf.split_to(len).freeze()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_round_trips() {
        let b = Batch {
            now_ms: 1_700_000_000_000,
            seed: 42,
            cmds: vec![vec![b"SET".to_vec(), b"k".to_vec(), vec![0, 255, 7]]],
        };
        let bytes = b.encode().unwrap();
        assert_eq!(Batch::decode(&bytes).unwrap(), b);
    }

    #[test]
    fn envelope_carries_raft_message() {
        let mut m = Message::default();
        m.set_msg_type(raft::eraftpb::MessageType::MsgHeartbeat);
        m.from = 1;
        m.to = 2;
        m.term = 9;
        let env = Envelope::new(GroupId(3), NodeId(1), NodeId(2), &m).unwrap();
        let frame = Frame::Envelopes(vec![env.clone()]).encode().unwrap();
        let Frame::Envelopes(back) = Frame::decode(&frame).unwrap() else {
            panic!("wrong frame kind")
        };
        assert_eq!(back, vec![env]);
        assert_eq!(back[0].message().unwrap(), m);
    }

    #[test]
    fn frames_split_and_join() {
        let mut buf = BytesMut::new();
        put_frame(&mut buf, b"hello").unwrap();
        put_frame(&mut buf, b"").unwrap();
        let mut partial = buf.split_to(3);
        assert!(take_frame(&mut partial, 100).unwrap().is_none());
        partial.unsplit(buf);
        assert_eq!(&take_frame(&mut partial, 100).unwrap().unwrap()[..], b"hello");
        assert_eq!(&take_frame(&mut partial, 100).unwrap().unwrap()[..], b"");
        assert!(take_frame(&mut partial, 100).unwrap().is_none());
    }

    #[test]
    fn oversized_frame_is_refused_from_its_prefix() {
        let mut buf = BytesMut::new();
        buf.put_u32(1_000_000);
        assert!(matches!(
            take_frame(&mut buf, 1000),
            Err(CodecError::FrameTooLarge {
                len: 1_000_000,
                cap: 1000
            })
        ));
    }

    #[test]
    fn garbage_does_not_decode_as_batch() {
        assert!(Batch::decode(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
    }
}
