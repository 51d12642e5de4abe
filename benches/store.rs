//! Store throughput: SET and GET through the sharded keyspace, and the
//! memory the store accounts per small key.

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use shoal::store::{Effects, Store, Str, Value};

fn set_get(c: &mut Criterion) {
    let store = Store::new(1);
    let db = store.db(0).expect("db 0");
    let mut fx = Effects::new();
    let keys: Vec<Vec<u8>> = (0..100_000).map(|i| format!("key:{i:08}").into_bytes()).collect();
    for k in &keys {
        db.write(k, 0, &mut fx, |s| {
            s.insert(Value::Str(Str::from_slice(&[b'x'; 64])), 0, 0);
        });
    }
    let mut i = 0usize;
    c.bench_function("store/get_hit", |b| {
        b.iter(|| {
            i = (i + 7919) % keys.len();
            black_box(db.read(&keys[i], 0, &mut fx, |e| e.is_some()))
        })
    });
    c.bench_function("store/set_overwrite", |b| {
        b.iter(|| {
            i = (i + 7919) % keys.len();
            db.write(&keys[i], 0, &mut fx, |s| {
                s.insert(Value::Str(Str::from_slice(&[b'y'; 64])), 0, 0);
            })
        })
    });
    c.bench_function("store/insert_fresh_10k", |b| {
        b.iter_batched(
            || Store::new(1),
            |st| {
                let d = st.db(0).expect("db 0");
                let mut fx = Effects::new();
                for k in keys.iter().take(10_000) {
                    d.write(k, 0, &mut fx, |s| {
                        s.insert(Value::Str(Str::Int(1)), 0, 0);
                    });
                }
                st
            },
            BatchSize::PerIteration,
        )
    });
    eprintln!("accounted bytes per 64-byte-value key: {}", db.mem() / keys.len());
}

/// The per-command bookkeeping of the hot path: the hash slot of a
/// benchmark-shaped key, and recording plus consuming one write effect.
fn slot_and_effects(c: &mut Criterion) {
    let keys: Vec<Vec<u8>> = (0..1024).map(|i| format!("key:{i:012}").into_bytes()).collect();
    let mut i = 0usize;
    c.bench_function("store/key_slot_16b", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            black_box(shoal::store::slot::key_slot(black_box(&keys[i])))
        })
    });
    let mut fx = Effects::new();
    c.bench_function("store/effect_written_drain", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            fx.written(0, &keys[i], "set");
            black_box(fx.drain().count())
        })
    });
}

criterion_group!(benches, set_get, slot_and_effects);
criterion_main!(benches);
