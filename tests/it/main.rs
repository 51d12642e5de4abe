//! Shoal's integration tests: ONE binary (each `tests/*.rs` would link
//! separately, which is slow on two cores). Every test starts the real
//! `shoal` binary on an ephemeral port and, where the text matters, a real
//! `redis-server` as the oracle.

#![allow(clippy::unwrap_used)]

mod support;

mod backing;
mod bitmaps;
mod blocking;
mod cli;
mod command_table;
mod connection;
mod eviction;
mod expiry;
mod geo;
mod hashes;
mod hyperloglog;
mod keys;
mod lists;
mod observability;
mod protocol;
mod pubsub;
mod replay;
mod replication;
mod server;
mod sets;
mod smoke;
mod sort;
mod startup;
mod streams;
mod strings;
mod transactions;
mod zsets;
