//! Errors of the cluster crate.
//!
//! Invariant: every error that reaches a caller says whether the command *may* have happened.
//! `NotLeader`, `ProposalDropped`, `TooLarge` and `UnknownGroup` are definite refusals (nothing
//! was appended); storage and I/O errors are fatal to the node.

use crate::{GroupId, NodeId};

/// A failure of the codec layer (postcard or protobuf bytes that do not decode, frames too big).
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// Postcard could not encode or decode a value.
    #[error("postcard: {0}")]
    Postcard(#[from] postcard::Error),
    /// Protobuf bytes of a raft message did not decode.
    #[error("protobuf: {0}")]
    Protobuf(#[from] protobuf::ProtobufError),
    /// A frame announced more bytes than the cap allows.
    #[error("frame of {len} bytes exceeds the cap of {cap}")]
    FrameTooLarge {
        /// Announced length.
        len: usize,
        /// The cap in force.
        cap: usize,
    },
}

/// Errors returned by the cluster node and its storage.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// This replica is not the leader of the group; `leader` is the best known leader, if any.
    /// The command did not happen: the server answers `MOVED` (or parks while there is none).
    #[error("not leader of group {group:?} (leader hint {leader:?})")]
    NotLeader {
        /// The group asked.
        group: GroupId,
        /// The node believed to lead it.
        leader: Option<NodeId>,
    },
    /// This process does not host the group.
    #[error("group {0:?} is not hosted here")]
    UnknownGroup(GroupId),
    /// raft-rs refused the proposal (leader transfer in progress, removed from the group, or
    /// the uncommitted-size bound was reached). The command definitely did not happen.
    #[error("proposal dropped by raft (transfer, removal or backpressure)")]
    ProposalDropped,
    /// The proposal is bigger than one entry may be.
    #[error("proposal of {len} bytes exceeds the entry cap of {cap}")]
    TooLarge {
        /// Proposal size.
        len: usize,
        /// The cap.
        cap: usize,
    },
    /// The node was shut down.
    #[error("cluster node stopped")]
    Stopped,
    /// A memory-mode process found its hard state but not its log: it must rejoin as a new peer.
    #[error("memory-mode log lost on restart: this process must rejoin as a new peer")]
    LogLost,
    /// The bootstrap spec is inconsistent.
    #[error("invalid cluster spec: {0}")]
    InvalidSpec(String),
    /// The durable log or a snapshot file is corrupt beyond a torn tail.
    #[error("corrupt {what}: {detail}")]
    Corrupt {
        /// Which file.
        what: String,
        /// What was wrong.
        detail: String,
    },
    /// raft-rs returned an error.
    #[error("{0}")]
    Raft(#[from] raft::Error),
    /// Encoding or decoding failed.
    #[error("codec: {0}")]
    Codec(#[from] CodecError),
    /// An I/O error of the durable log, a snapshot file or a socket.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl From<postcard::Error> for ClusterError {
    fn from(e: postcard::Error) -> Self {
        ClusterError::Codec(CodecError::Postcard(e))
    }
}

impl From<protobuf::ProtobufError> for ClusterError {
    fn from(e: protobuf::ProtobufError) -> Self {
        ClusterError::Codec(CodecError::Protobuf(e))
    }
}
