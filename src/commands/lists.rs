//! lists commands (being written).
