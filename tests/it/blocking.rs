//! Blocking commands with several real clients (written once BLPOP lands).
