//! streams commands (being written).
