//! Bytes in, bytes out: request decoding (RESP multibulk and inline) and the
//! RESP2/RESP3 reply writer. Knows nothing of commands or the store.

pub mod decode;
pub mod error;
pub mod reply;

pub use decode::{Decoded, Decoder, Limits};
pub use error::ProtocolError;
pub use reply::Reply;
