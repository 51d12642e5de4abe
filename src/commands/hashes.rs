//! hashes commands (being written).
