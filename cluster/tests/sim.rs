//! Seeded deterministic simulation of 3- and 5-node clusters (see `shoal_cluster::sim`).
//!
//! `cargo test -p shoal-cluster --test sim` runs the default seed counts. Long runs:
//! `SHOAL_SIM_SEEDS=100000` (seeds 0..N for 3 nodes, a fifth of that for 5 nodes);
//! `SHOAL_SIM_SEED=n` replays one seed (both sizes). A failure prints its seed.

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use shoal_cluster::sim::{run_seed, SimReport};

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn run_many(nodes: usize, default_seeds: u64, salt: u64) {
    let seeds: Vec<u64> = match env_u64("SHOAL_SIM_SEED") {
        Some(s) => vec![s],
        None => {
            let n = env_u64("SHOAL_SIM_SEEDS").map(|n| if nodes == 5 { n / 5 } else { n });
            (0..n.unwrap_or(default_seeds)).map(|i| i ^ salt).collect()
        }
    };
    let start = Instant::now();
    let mut total = SimReport::default();
    let mut slowest = 0;
    for &seed in &seeds {
        let r = std::panic::catch_unwind(|| run_seed(seed, nodes));
        match r {
            Ok(Ok(rep)) => {
                total.acked += rep.acked;
                total.failed += rep.failed;
                total.indeterminate += rep.indeterminate;
                total.reads += rep.reads;
                total.faults += rep.faults;
                total.crashes += rep.crashes;
                total.max_term = total.max_term.max(rep.max_term);
                if rep.heal_ms > total.heal_ms {
                    total.heal_ms = rep.heal_ms;
                    slowest = seed;
                }
                total.final_index += rep.final_index;
                total.conf_committed += rep.conf_committed;
                total.conf_refused += rep.conf_refused;
                total.groups += rep.groups;
            }
            Ok(Err(f)) => panic!("{nodes} nodes: {f}"),
            Err(_) => panic!(
                "{nodes} nodes: seed {seed} panicked (replay: SHOAL_SIM_SEED={seed} cargo test -p shoal-cluster --test sim)"
            ),
        }
    }
    eprintln!(
        "sim: {nodes} nodes, {} seeds in {:.1?}: {} acked, {} failed, {} indeterminate, {} reads, {} faults ({} crashes), max term {}, slowest heal {} ms (seed {}), {} entries, membership changes {} committed / {} refused, {} shard groups",
        seeds.len(),
        start.elapsed(),
        total.acked,
        total.failed,
        total.indeterminate,
        total.reads,
        total.faults,
        total.crashes,
        total.max_term,
        total.heal_ms,
        slowest,
        total.final_index,
        total.conf_committed,
        total.conf_refused,
        total.groups
    );
    assert!(total.acked > 0, "the workload acknowledged nothing");
}

#[test]
fn three_node_clusters_keep_every_invariant() {
    run_many(3, 800, 0);
}

#[test]
fn five_node_clusters_keep_every_invariant() {
    run_many(5, 200, 0x5_0000_0000);
}

#[test]
fn a_seed_replays_exactly() {
    let a = run_seed(42, 3).expect("seed 42");
    let b = run_seed(42, 3).expect("seed 42 again");
    assert_eq!(a, b);
    assert!(a.acked > 0 && a.faults > 0);
    let c = run_seed(0x5_0000_0007, 5).expect("5-node seed");
    assert_eq!(c, run_seed(0x5_0000_0007, 5).expect("5-node seed again"));
}
