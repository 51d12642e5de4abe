//! Decoder and reply-writer throughput on a typical pipelined batch.

use bytes::BytesMut;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use shoal::protocol::{Decoded, Decoder, Limits, Reply};

fn batch() -> Vec<u8> {
    let mut wire = Vec::new();
    for i in 0..16 {
        let key = format!("key:{i:08}");
        wire.extend_from_slice(format!("*3\r\n$3\r\nSET\r\n${}\r\n{key}\r\n$64\r\n", key.len()).as_bytes());
        wire.extend_from_slice(&[b'x'; 64]);
        wire.extend_from_slice(b"\r\n");
    }
    wire
}

fn decode(c: &mut Criterion) {
    let wire = batch();
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Elements(16));
    g.bench_function("pipelined_16_set", |b| {
        b.iter(|| {
            let mut d = Decoder::new();
            let mut buf = BytesMut::from(&wire[..]);
            let mut n = 0;
            while let Ok(Decoded::Request(r)) = d.decode(&mut buf, &Limits::default()) {
                n += r.len();
            }
            black_box(n)
        })
    });
    g.bench_function("inline_ping", |b| {
        b.iter(|| {
            let mut d = Decoder::new();
            let mut buf = BytesMut::from(&b"PING\r\n"[..]);
            black_box(d.decode(&mut buf, &Limits::default()).is_ok())
        })
    });
    g.finish();
}

fn reply(c: &mut Criterion) {
    let value = [b'v'; 64];
    c.bench_function("reply/bulk_64_x16", |b| {
        let mut r = Reply::new();
        b.iter(|| {
            r.buf.clear();
            for _ in 0..16 {
                r.bulk(black_box(&value));
            }
            black_box(r.len())
        })
    });
}

criterion_group!(benches, decode, reply);
criterion_main!(benches);
