//! geo commands (being written).
