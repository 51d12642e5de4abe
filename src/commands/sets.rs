//! sets commands (being written).
