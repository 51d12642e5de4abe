//! zsets commands (being written).
