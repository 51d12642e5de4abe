//! sort commands (being written).
