//! The `DUMP`/`RESTORE` payload format now lives with the data it encodes,
//! in [`crate::store::codec`] (slot export and snapshots use it too); the
//! handlers in `keys.rs` reach it through these names.

pub use crate::store::codec::{decode, encode, PayloadError, VERSION};
