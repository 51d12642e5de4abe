//! geo: differential tests against the oracle (being written).
