//! Shoal's integration tests: ONE binary (each `tests/*.rs` would link
//! separately, which is slow on two cores). Every test starts the real
//! `shoal` binary on an ephemeral port and, where the text matters, a real
//! `redis-server` as the oracle.

#![allow(clippy::unwrap_used)]

mod support;

mod smoke;
