//! hyperloglog commands (being written).
