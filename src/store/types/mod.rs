//! The container types behind [`super::Value`]: each keeps a compact
//! encoding while small (what Redis calls `listpack` / `intset`) and promotes
//! itself to a big-container structure past the thresholds in [`Limits`],
//! reporting the encoding Redis would (`OBJECT ENCODING`).
//!
//! Types know nothing of commands: they offer operations named after what
//! they do to the data, and the command handlers shape replies.

pub mod hash;
pub mod list;
pub mod set;
pub mod stream;
pub mod zset;

pub use hash::Hash;
pub use list::List;
pub use set::Set;
pub use stream::Stream;
pub use zset::ZSet;

/// Heap bytes a `len`-byte allocation costs with the system allocator
/// (glibc malloc: 8 bytes of header, 16-byte granularity, 32 bytes at
/// least); nothing for an empty one. The one rule every `heap_size` uses.
pub const fn alloc_cost(len: usize) -> usize {
    let chunk = len.saturating_add(8 + 15) & !15;
    if len == 0 {
        0
    } else if chunk < 32 {
        32
    } else {
        chunk
    }
}

/// The encoding thresholds (`*-max-listpack-*`, `set-max-intset-entries`),
/// read from the configuration when a command runs so `CONFIG SET` applies
/// to the next write, as in Redis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `hash-max-listpack-entries`
    pub hash_max_listpack_entries: usize,
    /// `hash-max-listpack-value`
    pub hash_max_listpack_value: usize,
    /// `list-max-listpack-size` (negative: a byte budget per node, -1 = 4 KiB ... -5 = 64 KiB)
    pub list_max_listpack_size: i64,
    /// `set-max-intset-entries`
    pub set_max_intset_entries: usize,
    /// `zset-max-listpack-entries`
    pub zset_max_listpack_entries: usize,
    /// `zset-max-listpack-value`
    pub zset_max_listpack_value: usize,
    /// The dataset seed ([`crate::store::Store::seed`]): containers key
    /// their member hashes with it so their order is the same on replicas.
    pub hash_seed: u64,
}

impl Default for Limits {
    /// Redis's defaults.
    fn default() -> Self {
        Limits {
            hash_max_listpack_entries: 128,
            hash_max_listpack_value: 64,
            list_max_listpack_size: -2,
            set_max_intset_entries: 512,
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            hash_seed: 0,
        }
    }
}
