//! The keyspace: databases of sharded hash tables, values with compact
//! encodings, TTLs and the effects of every write. Knows nothing of the
//! network, the protocol or commands; time is always passed in (Unix ms), so
//! the same calls give the same state on every replica.
//!
//! Determinism: every hash table in here (key placement, `SCAN` order, the
//! containers' member order behind `SPOP`, `SRANDMEMBER`, `HRANDFIELD`,
//! `HGETALL`, ...) is keyed by one 64-bit **dataset seed**, chosen at random
//! once per dataset ([`Store::new`]) and carried to replicas
//! ([`Store::with_seed`]). Two stores with the same seed that apply the same
//! operations are laid out identically. The seed is never shown to clients
//! (it keys the hashes against collision flooding); containers get it via
//! [`Limits::hash_seed`], which every container write already receives.

pub mod codec;
pub mod db;
pub mod effects;
pub mod evict;
pub mod shard;
pub mod slot;
pub mod slots;
pub mod types;
pub mod value;

use std::time::{Duration, Instant};

use foldhash::fast::FixedState;

pub use db::{Db, ExpiredFields, KeySlot, Keys, SHARDS};
pub use effects::{Change, Effect, Effects};
pub use shard::Entry;
pub use types::Limits;
pub use value::{Kind, Str, Value};

/// What a hash keyed by the dataset seed is for: each use gets its own
/// derived key so equal inputs in different tables do not hash alike.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SeedUse {
    /// Key placement in the shards.
    Keys,
    /// Members and fields inside containers.
    Containers,
    /// The shards' side tables (hash-field TTL index, staging).
    SideTables,
}

/// The key for one [`SeedUse`] of the dataset `seed` (splitmix64 finaliser
/// over the seed and the use).
pub(crate) fn derive_seed(seed: u64, use_: SeedUse) -> u64 {
    let mut z = seed ^ (use_ as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The hasher of a container's members or fields for the dataset `seed`
/// (8 bytes, so containers stay as small as with a random hasher).
pub fn container_hasher(seed: u64) -> FixedState {
    FixedState::with_seed(derive_seed(seed, SeedUse::Containers))
}

/// All databases.
#[derive(Debug)]
pub struct Store {
    dbs: Box<[Db]>,
    /// Bytes held by the entries of every database, kept by the shards as
    /// they change (see [`Store::mem_total`]).
    total: std::sync::Arc<std::sync::atomic::AtomicI64>,
    /// The dataset seed; changes only while the store is empty
    /// ([`Store::reseed`]).
    seed: std::sync::atomic::AtomicU64,
}

impl Store {
    /// A store with `databases` empty databases and a fresh random dataset
    /// seed.
    pub fn new(databases: usize) -> Self {
        Store::with_seed(databases, rand::random())
    }

    /// A store with `databases` empty databases keyed by the dataset `seed`
    /// (a replica takes its leader's, so both lay keys out alike).
    pub fn with_seed(databases: usize, seed: u64) -> Self {
        let total = std::sync::Arc::<std::sync::atomic::AtomicI64>::default();
        Store {
            dbs: (0..databases.max(1))
                .map(|i| Db::with_total(i, seed, total.clone()))
                .collect(),
            total,
            seed: std::sync::atomic::AtomicU64::new(seed),
        }
    }

    /// The dataset seed. Secret from clients: it keys every hash table.
    pub fn seed(&self) -> u64 {
        self.seed.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Adopts the dataset `seed` of another store (a follower loading its
    /// primary's snapshot), so both lay keys and members out alike. Only an
    /// empty store can change its seed; returns false (and changes
    /// nothing) when any database holds a key. The caller keeps writers
    /// out meanwhile (the exclusive gate).
    pub fn reseed(&self, seed: u64) -> bool {
        if self.dbs.iter().any(|d| !d.is_empty() || d.staged_len() > 0) {
            return false;
        }
        for d in self.dbs.iter() {
            d.reseed(seed);
        }
        self.seed.store(seed, std::sync::atomic::Ordering::Release);
        true
    }

    /// Number of databases.
    pub fn databases(&self) -> usize {
        self.dbs.len()
    }

    /// Database `i`, if it exists.
    pub fn db(&self, i: usize) -> Option<&Db> {
        self.dbs.get(i)
    }

    /// Every database.
    pub fn dbs(&self) -> &[Db] {
        &self.dbs
    }

    /// Puts every database in or out of follower mode: the store then never
    /// deletes a key by itself, and reads hide logically expired keys until
    /// the primary's `DEL` arrives (as Redis replicas do).
    pub fn set_follower(&self, on: bool) {
        for d in self.dbs.iter() {
            d.set_follower(on);
        }
    }

    /// Sets how accesses update the entries' clocks in every database
    /// (the LRU clock, or the LFU counter under an LFU policy).
    pub fn set_access_mode(&self, mode: evict::AccessMode) {
        for d in self.dbs.iter() {
            d.set_access_mode(mode);
        }
    }

    /// Whether the store is in follower mode.
    pub fn is_follower(&self) -> bool {
        self.dbs.first().is_some_and(|d| d.is_follower())
    }

    /// Total approximate bytes held by entries (summed shard by shard,
    /// staged imports included).
    pub fn mem(&self) -> usize {
        self.dbs.iter().map(|d| d.mem()).sum()
    }

    /// Bytes held by the live entries of every database, without taking
    /// a lock: what `maxmemory` checks before each command. Equals
    /// [`Store::mem`] less staged imports.
    pub fn mem_total(&self) -> usize {
        self.total.load(std::sync::atomic::Ordering::Relaxed).max(0) as usize
    }

    /// Exchanges two databases' contents; false if an index is out of range.
    pub fn swap(&self, a: usize, b: usize) -> bool {
        match (self.dbs.get(a), self.dbs.get(b)) {
            (Some(x), Some(y)) => {
                Db::swap(x, y);
                true
            }
            _ => false,
        }
    }

    /// One active expiry cycle over all databases, bounded by `budget` of
    /// wall time; returns the number of keys removed. The per-database shard
    /// cursor carries over between cycles so every shard gets its turn.
    /// With `fields`, the hash fields removed are listed there.
    pub fn active_expire_cycle(
        &self,
        now: u64,
        budget: Duration,
        cursor: &mut usize,
        fx: &mut Effects,
        mut fields: Option<&mut Vec<ExpiredFields>>,
    ) -> usize {
        let start = Instant::now();
        let total_shards = self.dbs.len() * SHARDS;
        let mut removed = 0;
        for _ in 0..total_shards {
            let i = *cursor % total_shards;
            *cursor = (*cursor + 1) % total_shards;
            let db = &self.dbs[i / SHARDS];
            removed += db.expire_shard(i % SHARDS, now, 64, fx);
            // Hash-field TTLs: fields of hashes nobody reads go here too.
            removed += db.expire_hash_fields(i % SHARDS, now, fx, fields.as_deref_mut());
            if start.elapsed() >= budget {
                break;
            }
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_expiry_removes_unread_expired_keys() {
        let store = Store::new(2);
        let db = store.db(0).unwrap();
        let mut fx = Effects::new();
        for i in 0..10_000u32 {
            let k = format!("key:{i}");
            db.write(k.as_bytes(), 1000, &mut fx, |s| {
                s.insert(Value::Str(Str::Int(i64::from(i))), 2000, 1000);
            });
        }
        db.write(b"persistent", 1000, &mut fx, |s| {
            s.insert(Value::Str(Str::Int(1)), 0, 1000);
        });
        assert_eq!(db.len(), 10_001);
        let mut cursor = 0;
        let mut rounds = 0;
        while db.len() > 1 && rounds < 10_000 {
            store.active_expire_cycle(3000, Duration::from_millis(25), &mut cursor, &mut fx, None);
            rounds += 1;
        }
        assert_eq!(db.len(), 1);
        assert_eq!(fx.list.iter().filter(|e| e.change == Change::Expired).count(), 10_000);
    }

    #[test]
    fn lazy_expiry_hides_and_removes_expired_keys() {
        let store = Store::new(1);
        let db = store.db(0).unwrap();
        let mut fx = Effects::new();
        db.write(b"k", 0, &mut fx, |s| {
            s.insert(Value::Str(Str::Int(1)), 100, 0);
        });
        assert!(db.read(b"k", 99, &mut fx, |e| e.is_some()));
        assert!(db.read(b"k", 100, &mut fx, |e| e.is_none()));
        assert_eq!(db.len(), 0);
        assert_eq!(fx.list.len(), 1);
    }

    #[test]
    fn reseed_adopts_another_stores_layout_only_when_empty() {
        let (a, b) = (Store::with_seed(1, 7), Store::with_seed(1, 8));
        let mut fx = Effects::new();
        assert!(b.reseed(a.seed()));
        assert_eq!(b.seed(), 7);
        // The same writes now give the same stored hashes and container order.
        for store in [&a, &b] {
            // As `Ctx::limits` gives containers their store's seed.
            let limits = Limits {
                hash_seed: store.seed(),
                ..Limits::default()
            };
            let db = store.db(0).unwrap();
            let mut set = crate::store::types::Set::new();
            for i in 0..200 {
                set.insert(
                    format!("member-{i}-with-a-long-tail-to-avoid-listpacks").as_bytes(),
                    &limits,
                );
            }
            db.write(b"s", 0, &mut fx, |k| {
                k.insert(Value::Set(Box::new(set)), 0, 0);
            });
        }
        let order = |store: &Store| {
            store.db(0).unwrap().peek_entry(b"s", |e| match e.map(|e| &e.value) {
                Some(Value::Set(s)) => s.iter().map(|m| m.to_vec()).collect::<Vec<Vec<u8>>>(),
                _ => Vec::new(),
            })
        };
        assert_eq!(order(&a), order(&b));
        assert_eq!(a.db(0).unwrap().locate(b"k"), b.db(0).unwrap().locate(b"k"));
        // A store holding keys keeps its seed.
        assert!(!b.reseed(99));
        assert_eq!(b.seed(), 7);
    }

    #[test]
    fn byte_count_follows_clears_and_swaps() {
        let store = Store::new(2);
        let mut fx = Effects::new();
        for d in 0..2 {
            let db = store.db(d).unwrap();
            for i in 0..500u32 {
                db.write(format!("key:{i}:{}", "x".repeat(30)).as_bytes(), 0, &mut fx, |s| {
                    s.insert(Value::Str(Str::from_bytes(vec![b'v'; 100])), 0, 0);
                });
            }
        }
        assert!(store.mem_total() > 0);
        assert_eq!(store.mem_total(), store.mem());
        assert!(store.swap(0, 1));
        assert_eq!(store.mem_total(), store.mem());
        drop(store.db(0).unwrap().clear());
        assert_eq!(store.mem_total(), store.mem());
        drop(store.db(1).unwrap().clear());
        assert_eq!(store.mem_total(), 0);
    }

    #[test]
    fn write_keys_locks_several_shards() {
        let store = Store::new(1);
        let db = store.db(0).unwrap();
        let mut fx = Effects::new();
        let keys: Vec<Vec<u8>> = (0..100).map(|i| format!("k{i}").into_bytes()).collect();
        let refs: Vec<&[u8]> = keys.iter().map(|k| k.as_slice()).collect();
        db.write_keys(&refs, 0, &mut fx, |ks| {
            for k in &refs {
                ks.slot(k).unwrap().insert(Value::Str(Str::Int(1)), 0, 0);
            }
        });
        assert_eq!(db.len(), 100);
    }

    mod model {
        use super::super::*;
        use proptest::prelude::*;
        use std::collections::HashMap;

        #[derive(Debug, Clone)]
        enum Op {
            Set(u8, i64, Option<u64>),
            Get(u8),
            Del(u8),
            Expire(u8, u64),
            Advance(u64),
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                (0u8..16, any::<i64>(), proptest::option::of(1u64..50)).prop_map(|(k, v, t)| Op::Set(k, v, t)),
                (0u8..16).prop_map(Op::Get),
                (0u8..16).prop_map(Op::Del),
                (0u8..16, 0u64..50).prop_map(|(k, t)| Op::Expire(k, t)),
                (0u64..30).prop_map(Op::Advance),
            ]
        }

        proptest! {
            /// The store agrees with a plain map plus expiry times for random
            /// SET/GET/DEL/EXPIRE sequences under a manual clock, with the
            /// active cycle running in between.
            #[test]
            fn store_agrees_with_a_model(ops in proptest::collection::vec(op(), 1..200)) {
                let store = Store::new(1);
                let db = store.db(0).unwrap();
                let mut fx = Effects::new();
                let mut model: HashMap<u8, (i64, u64)> = HashMap::new();
                let mut now = 1_000u64;
                let mut cursor = 0;
                for op in ops {
                    model.retain(|_, (_, exp)| *exp == 0 || *exp > now);
                    match op {
                        Op::Set(k, v, ttl) => {
                            let exp = ttl.map_or(0, |t| now + t);
                            db.write(&[k], now, &mut fx, |s| { s.insert(Value::Str(Str::Int(v)), exp, now); });
                            model.insert(k, (v, exp));
                        }
                        Op::Get(k) => {
                            let got = db.read(&[k], now, &mut fx, |e| e.map(|e| e.value.clone()));
                            let want = model.get(&k).map(|(v, _)| Value::Str(Str::Int(*v)));
                            prop_assert_eq!(got, want);
                        }
                        Op::Del(k) => {
                            let got = db.write(&[k], now, &mut fx, |s| s.remove().is_some());
                            prop_assert_eq!(got, model.remove(&k).is_some());
                        }
                        Op::Expire(k, t) => {
                            let exp = now + t;
                            let got = db.write(&[k], now, &mut fx, |s| s.update(|e| e.expire_at = exp).is_some());
                            let want = match model.get_mut(&k) {
                                Some(entry) => { entry.1 = exp; true }
                                None => false,
                            };
                            prop_assert_eq!(got, want);
                        }
                        Op::Advance(ms) => {
                            now += ms;
                            store.active_expire_cycle(now, std::time::Duration::from_millis(5), &mut cursor, &mut fx, None);
                        }
                    }
                    model.retain(|_, (_, exp)| *exp == 0 || *exp > now);
                    // Expired-but-unreclaimed keys may still be counted, never fewer.
                    prop_assert!(db.len() >= model.len());
                    // The lock-free byte count follows every change.
                    prop_assert_eq!(store.mem_total(), store.mem());
                }
            }
        }
    }
}
