//! sort: differential tests against the oracle (being written).
