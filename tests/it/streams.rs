//! streams: differential tests against the oracle (being written).
