//! THE command table: every command and subcommand Shoal serves, declared
//! once. Dispatch, arity errors, `COMMAND` and its subcommands, ACL
//! categories and key extraction all read these rows; nothing else keeps a
//! list of commands. Arity, flags, key specs, tips, group and since-version are
//! Redis's facts (checked against a real `redis-server` by
//! `tests/it/command_table.rs`); summaries are our own words.

use super::spec::*;
use super::{command, connection, keys, latency, memory, server, slowlog, strings};
// family imports: each family's `use super::<family>;` goes under its marker
use super::transactions;
// imports: hashes
use super::hashes;
// imports: lists
use super::lists;
// imports: sets
use super::sets;
// imports: zsets
use super::zsets;
// imports: geo
use super::geo;
// imports: bitmaps
use super::bitmaps;
// imports: hyperloglog
use super::hyperloglog;
// imports: streams
use super::streams;
// imports: sort
use super::sort;

/// Every top-level command, subcommands nested in their parent's row.
pub static COMMANDS: &[CommandSpec] = &[
    row!(
        "get",
        2,
        READONLY | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "1.0.0",
        Some(strings::get),
        "Returns the string stored at a key."
    ),
    row!(
        "set",
        -3,
        WRITE | DENYOOM,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: Some("RW and ACCESS due to the optional `GET` argument"),
            flags: KS_RW | KS_ACCESS | KS_UPDATE | KS_VARIABLE_FLAGS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "1.0.0",
        Some(strings::set),
        "Stores a string at a key, with optional expiry and conditions."
    ),
    row!(
        "setnx",
        3,
        WRITE | DENYOOM | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_OW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "1.0.0",
        Some(strings::setnx),
        "Stores a string only when the key is absent."
    ),
    row!(
        "setex",
        4,
        WRITE | DENYOOM,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_OW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "2.0.0",
        Some(strings::setex),
        "Stores a string with a time to live in seconds."
    ),
    row!(
        "psetex",
        4,
        WRITE | DENYOOM,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_OW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "2.6.0",
        Some(strings::psetex),
        "Stores a string with a time to live in milliseconds."
    ),
    row!(
        "getset",
        3,
        WRITE | DENYOOM | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "1.0.0",
        Some(strings::getset),
        "Stores a new string and returns the previous one."
    ),
    row!(
        "getdel",
        2,
        WRITE | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "6.2.0",
        Some(strings::getdel),
        "Returns a string and deletes its key."
    ),
    row!(
        "getex",
        -2,
        WRITE | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: Some("RW and UPDATE because it changes the TTL"),
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "6.2.0",
        Some(strings::getex),
        "Returns a string and changes or removes its expiry."
    ),
    row!(
        "mget",
        -2,
        READONLY | FAST,
        ACL_STRING,
        (1, -1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 0
            }
        }],
        &["request_policy:multi_shard"],
        "string",
        "1.0.0",
        Some(strings::mget),
        "Returns the strings of several keys."
    ),
    row!(
        "mset",
        -3,
        WRITE | DENYOOM,
        ACL_STRING,
        (1, -1, 2),
        &[KeySpec {
            notes: None,
            flags: KS_OW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 2,
                limit: 0
            }
        }],
        &["request_policy:multi_shard", "response_policy:all_succeeded"],
        "string",
        "1.0.1",
        Some(strings::mset),
        "Stores several strings at once."
    ),
    row!(
        "msetnx",
        -3,
        WRITE | DENYOOM,
        ACL_STRING,
        (1, -1, 2),
        &[KeySpec {
            notes: None,
            flags: KS_OW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 2,
                limit: 0
            }
        }],
        &["request_policy:multi_shard", "response_policy:agg_min"],
        "string",
        "1.0.1",
        Some(strings::msetnx),
        "Stores several strings only when none of the keys exist."
    ),
    row!(
        "append",
        3,
        WRITE | DENYOOM | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "2.0.0",
        Some(strings::append),
        "Appends bytes to a string, creating it when absent."
    ),
    row!(
        "strlen",
        2,
        READONLY | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "2.2.0",
        Some(strings::strlen),
        "Returns the byte length of a string."
    ),
    row!(
        "getrange",
        4,
        READONLY,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "2.4.0",
        Some(strings::getrange),
        "Returns a byte range of a string."
    ),
    row!(
        "setrange",
        4,
        WRITE | DENYOOM,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "2.2.0",
        Some(strings::setrange),
        "Overwrites part of a string from an offset, padding with zero bytes."
    ),
    row!(
        "incr",
        2,
        WRITE | DENYOOM | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "1.0.0",
        Some(strings::incr),
        "Adds one to the integer held in a string."
    ),
    row!(
        "decr",
        2,
        WRITE | DENYOOM | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "1.0.0",
        Some(strings::decr),
        "Subtracts one from the integer held in a string."
    ),
    row!(
        "incrby",
        3,
        WRITE | DENYOOM | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "1.0.0",
        Some(strings::incrby),
        "Adds an integer to the integer held in a string."
    ),
    row!(
        "decrby",
        3,
        WRITE | DENYOOM | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "1.0.0",
        Some(strings::decrby),
        "Subtracts an integer from the integer held in a string."
    ),
    row!(
        "incrbyfloat",
        3,
        WRITE | DENYOOM | FAST,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "2.6.0",
        Some(strings::incrbyfloat),
        "Adds a floating point number to the number held in a string."
    ),
    row!(
        "lcs",
        -3,
        READONLY,
        ACL_STRING,
        (1, 2, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 1,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "7.0.0",
        Some(strings::lcs),
        "Finds the longest common subsequence of two strings."
    ),
    row!(
        "substr",
        4,
        READONLY,
        ACL_STRING,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "string",
        "1.0.0",
        Some(strings::substr),
        "Returns a byte range of a string (old name of GETRANGE)."
    ),
    row!(
        "del",
        -2,
        WRITE,
        ACL_KEYSPACE,
        (1, -1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RM | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 0
            }
        }],
        &["request_policy:multi_shard", "response_policy:agg_sum"],
        "generic",
        "1.0.0",
        Some(keys::del),
        "Removes keys."
    ),
    row!(
        "unlink",
        -2,
        WRITE | FAST,
        ACL_KEYSPACE,
        (1, -1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RM | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 0
            }
        }],
        &["request_policy:multi_shard", "response_policy:agg_sum"],
        "generic",
        "4.0.0",
        Some(keys::unlink),
        "Removes keys, freeing their memory in the background."
    ),
    row!(
        "exists",
        -2,
        READONLY | FAST,
        ACL_KEYSPACE,
        (1, -1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 0
            }
        }],
        &["request_policy:multi_shard", "response_policy:agg_sum"],
        "generic",
        "1.0.0",
        Some(keys::exists),
        "Counts how many of the given keys exist."
    ),
    row!(
        "type",
        2,
        READONLY | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "generic",
        "1.0.0",
        Some(keys::type_),
        "Names the type of the value at a key."
    ),
    row!(
        "keys",
        2,
        READONLY,
        ACL_KEYSPACE | ACL_DANGEROUS,
        (0, 0, 0),
        &[],
        &["request_policy:all_shards", "nondeterministic_output_order"],
        "generic",
        "1.0.0",
        Some(keys::keys),
        "Lists the keys matching a glob pattern."
    ),
    row!(
        "scan",
        -2,
        READONLY,
        ACL_KEYSPACE,
        (0, 0, 0),
        &[],
        &["nondeterministic_output", "request_policy:special"],
        "generic",
        "2.8.0",
        Some(keys::scan),
        "Iterates over the keyspace with a cursor."
    ),
    row!(
        "randomkey",
        1,
        READONLY,
        ACL_KEYSPACE,
        (0, 0, 0),
        &[],
        &["request_policy:all_shards", "nondeterministic_output"],
        "generic",
        "1.0.0",
        Some(keys::randomkey),
        "Returns a key picked at random."
    ),
    row!(
        "rename",
        3,
        WRITE,
        ACL_KEYSPACE,
        (1, 2, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RW | KS_ACCESS | KS_DELETE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "generic",
        "1.0.0",
        Some(keys::rename),
        "Gives a key a new name, replacing any key of that name."
    ),
    row!(
        "renamenx",
        3,
        WRITE | FAST,
        ACL_KEYSPACE,
        (1, 2, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RW | KS_ACCESS | KS_DELETE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_OW | KS_INSERT,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "generic",
        "1.0.0",
        Some(keys::renamenx),
        "Gives a key a new name only when that name is free."
    ),
    row!(
        "copy",
        -3,
        WRITE | DENYOOM,
        ACL_KEYSPACE,
        (1, 2, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "generic",
        "6.2.0",
        Some(keys::copy),
        "Copies a value to another key, optionally in another database."
    ),
    row!(
        "move",
        3,
        WRITE | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "generic",
        "1.0.0",
        Some(keys::move_),
        "Moves a key to another database."
    ),
    row!(
        "touch",
        -2,
        READONLY | FAST,
        ACL_KEYSPACE,
        (1, -1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 0
            }
        }],
        &["request_policy:multi_shard", "response_policy:agg_sum"],
        "generic",
        "3.2.1",
        Some(keys::touch),
        "Updates the access time of keys and counts those that exist."
    ),
    row!(
        "object",
        -2,
        0,
        0,
        (0, 0, 0),
        &[],
        &[],
        "generic",
        "2.2.3",
        None,
        "Container for commands that inspect stored values.",
        &[
            row!(
                "object|encoding",
                3,
                READONLY,
                ACL_KEYSPACE,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RO,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &["nondeterministic_output"],
                "generic",
                "2.2.3",
                Some(keys::object_encoding),
                "Names the internal encoding of a value."
            ),
            row!(
                "object|refcount",
                3,
                READONLY,
                ACL_KEYSPACE,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RO,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &["nondeterministic_output"],
                "generic",
                "2.2.3",
                Some(keys::object_refcount),
                "Returns the reference count of a value."
            ),
            row!(
                "object|idletime",
                3,
                READONLY,
                ACL_KEYSPACE,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RO,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &["nondeterministic_output"],
                "generic",
                "2.2.3",
                Some(keys::object_idletime),
                "Returns the seconds since a key was last accessed."
            ),
            row!(
                "object|freq",
                3,
                READONLY,
                ACL_KEYSPACE,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RO,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &["nondeterministic_output"],
                "generic",
                "4.0.0",
                Some(keys::object_freq),
                "Returns the access frequency counter of a key."
            ),
            row!(
                "object|help",
                2,
                LOADING | STALE,
                ACL_KEYSPACE,
                (0, 0, 0),
                &[],
                &[],
                "generic",
                "6.2.0",
                Some(keys::object_help),
                "Lists the OBJECT subcommands."
            ),
        ]
    ),
    row!(
        "expire",
        -3,
        WRITE | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "generic",
        "1.0.0",
        Some(keys::expire),
        "Sets a key's time to live in seconds."
    ),
    row!(
        "pexpire",
        -3,
        WRITE | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "generic",
        "2.6.0",
        Some(keys::pexpire),
        "Sets a key's time to live in milliseconds."
    ),
    row!(
        "expireat",
        -3,
        WRITE | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "generic",
        "1.2.0",
        Some(keys::expireat),
        "Sets a key's expiry as a Unix time in seconds."
    ),
    row!(
        "pexpireat",
        -3,
        WRITE | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "generic",
        "2.6.0",
        Some(keys::pexpireat),
        "Sets a key's expiry as a Unix time in milliseconds."
    ),
    row!(
        "ttl",
        2,
        READONLY | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "generic",
        "1.0.0",
        Some(keys::ttl),
        "Returns a key's remaining time to live in seconds."
    ),
    row!(
        "pttl",
        2,
        READONLY | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "generic",
        "2.6.0",
        Some(keys::pttl),
        "Returns a key's remaining time to live in milliseconds."
    ),
    row!(
        "expiretime",
        2,
        READONLY | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "generic",
        "7.0.0",
        Some(keys::expiretime),
        "Returns a key's expiry as a Unix time in seconds."
    ),
    row!(
        "pexpiretime",
        2,
        READONLY | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "generic",
        "7.0.0",
        Some(keys::pexpiretime),
        "Returns a key's expiry as a Unix time in milliseconds."
    ),
    row!(
        "persist",
        2,
        WRITE | FAST,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "generic",
        "2.2.0",
        Some(keys::persist),
        "Removes a key's expiry."
    ),
    row!(
        "dump",
        2,
        READONLY,
        ACL_KEYSPACE,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "generic",
        "2.6.0",
        Some(keys::dump),
        "Serializes a value into an opaque payload."
    ),
    row!(
        "restore",
        -4,
        WRITE | DENYOOM,
        ACL_KEYSPACE | ACL_DANGEROUS,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_OW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "generic",
        "2.6.0",
        Some(keys::restore),
        "Creates a key from a DUMP payload."
    ),
    row!(
        "ping",
        -1,
        FAST,
        ACL_CONNECTION,
        (0, 0, 0),
        &[],
        &["request_policy:all_shards", "response_policy:all_succeeded"],
        "connection",
        "1.0.0",
        Some(connection::ping),
        "Checks that the server answers."
    ),
    row!(
        "echo",
        2,
        LOADING | STALE | FAST,
        ACL_CONNECTION,
        (0, 0, 0),
        &[],
        &[],
        "connection",
        "1.0.0",
        Some(connection::echo),
        "Returns its argument."
    ),
    row!(
        "quit",
        -1,
        NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY | NOT_QUEUED,
        ACL_CONNECTION,
        (0, 0, 0),
        &[],
        &[],
        "connection",
        "1.0.0",
        Some(connection::quit),
        "Closes the connection after replying."
    ),
    row!(
        "hello",
        -1,
        NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        ACL_CONNECTION,
        (0, 0, 0),
        &[],
        &[],
        "connection",
        "6.0.0",
        Some(connection::hello),
        "Negotiates the protocol version and optionally authenticates."
    ),
    row!(
        "auth",
        -2,
        NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        ACL_CONNECTION,
        (0, 0, 0),
        &[],
        &[],
        "connection",
        "1.0.0",
        Some(connection::auth),
        "Authenticates the connection."
    ),
    row!(
        "select",
        2,
        LOADING | STALE | FAST,
        ACL_CONNECTION,
        (0, 0, 0),
        &[],
        &[],
        "connection",
        "1.0.0",
        Some(connection::select),
        "Switches the connection to another database."
    ),
    row!(
        "reset",
        1,
        NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY | NOT_QUEUED,
        ACL_CONNECTION,
        (0, 0, 0),
        &[],
        &[],
        "connection",
        "6.2.0",
        Some(connection::reset),
        "Returns the connection to its initial state."
    ),
    row!(
        "client",
        -2,
        0,
        0,
        (0, 0, 0),
        &[],
        &[],
        "connection",
        "2.4.0",
        None,
        "Container for commands about client connections.",
        &[
            row!(
                "client|getname",
                2,
                NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "2.6.9",
                Some(connection::client_getname),
                "Returns the connection's name."
            ),
            row!(
                "client|getredir",
                2,
                NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "6.0.0",
                Some(connection::client_getredir),
                "Returns the id of the client receiving this connection's tracking invalidations."
            ),
            row!(
                "client|help",
                2,
                LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "5.0.0",
                Some(connection::client_help),
                "Lists the CLIENT subcommands."
            ),
            row!(
                "client|id",
                2,
                NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "5.0.0",
                Some(connection::client_id),
                "Returns the connection's unique id."
            ),
            row!(
                "client|info",
                2,
                NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &["nondeterministic_output"],
                "connection",
                "6.2.0",
                Some(connection::client_info),
                "Describes this connection."
            ),
            row!(
                "client|kill",
                -3,
                ADMIN | NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "2.4.0",
                Some(connection::client_kill),
                "Closes client connections chosen by address, id or other filters."
            ),
            row!(
                "client|list",
                -2,
                ADMIN | NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &["nondeterministic_output"],
                "connection",
                "2.4.0",
                Some(connection::client_list),
                "Describes the connected clients."
            ),
            row!(
                "client|no-evict",
                3,
                ADMIN | NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "7.0.0",
                Some(connection::client_no_evict),
                "Exempts this connection from client eviction."
            ),
            row!(
                "client|no-touch",
                3,
                NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "7.2.0",
                Some(connection::client_no_touch),
                "Stops this connection's commands from updating key access times."
            ),
            row!(
                "client|pause",
                -3,
                ADMIN | NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "2.9.50",
                Some(connection::client_pause),
                "Suspends processing of client commands for a while."
            ),
            row!(
                "client|reply",
                3,
                NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "3.2.0",
                Some(connection::client_reply),
                "Switches replies on, off, or off for the next command."
            ),
            row!(
                "client|setinfo",
                4,
                NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "7.2.0",
                Some(connection::client_setinfo),
                "Records the client library's name or version."
            ),
            row!(
                "client|setname",
                3,
                NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "2.6.9",
                Some(connection::client_setname),
                "Names the connection."
            ),
            row!(
                "client|trackinginfo",
                2,
                NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "6.2.0",
                Some(connection::client_trackinginfo),
                "Describes this connection's client-side caching state."
            ),
            row!(
                "client|unblock",
                -3,
                ADMIN | NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "5.0.0",
                Some(connection::client_unblock),
                "Ends another client's blocking command early, as a timeout or an error."
            ),
            row!(
                "client|unpause",
                2,
                ADMIN | NOSCRIPT | LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "connection",
                "6.2.0",
                Some(connection::client_unpause),
                "Resumes processing of client commands."
            ),
        ]
    ),
    row!(
        "info",
        -1,
        LOADING | STALE,
        ACL_DANGEROUS,
        (0, 0, 0),
        &[],
        &[
            "nondeterministic_output",
            "request_policy:all_shards",
            "response_policy:special"
        ],
        "server",
        "1.0.0",
        Some(server::info),
        "Reports server information and statistics."
    ),
    row!(
        "config",
        -2,
        0,
        0,
        (0, 0, 0),
        &[],
        &[],
        "server",
        "2.0.0",
        None,
        "Container for commands about configuration.",
        &[
            row!(
                "config|get",
                -3,
                ADMIN | NOSCRIPT | LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "2.0.0",
                Some(server::config_get),
                "Returns configuration parameters matching patterns."
            ),
            row!(
                "config|set",
                -4,
                ADMIN | NOSCRIPT | LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &["request_policy:all_nodes", "response_policy:all_succeeded"],
                "server",
                "2.0.0",
                Some(server::config_set),
                "Changes configuration parameters at run time."
            ),
            row!(
                "config|resetstat",
                2,
                ADMIN | NOSCRIPT | LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "2.0.0",
                Some(server::config_resetstat),
                "Resets the statistics counters."
            ),
            row!(
                "config|rewrite",
                2,
                ADMIN | NOSCRIPT | LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "2.8.0",
                Some(server::config_rewrite),
                "Writes the running configuration back to the config file."
            ),
            row!(
                "config|help",
                2,
                LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "5.0.0",
                Some(server::config_help),
                "Lists the CONFIG subcommands."
            ),
        ]
    ),
    row!(
        "dbsize",
        1,
        READONLY | FAST,
        ACL_KEYSPACE,
        (0, 0, 0),
        &[],
        &["request_policy:all_shards", "response_policy:agg_sum"],
        "server",
        "1.0.0",
        Some(server::dbsize),
        "Counts the keys in the current database."
    ),
    row!(
        "flushdb",
        -1,
        WRITE,
        ACL_KEYSPACE | ACL_DANGEROUS,
        (0, 0, 0),
        &[],
        &["request_policy:all_shards", "response_policy:all_succeeded"],
        "server",
        "1.0.0",
        Some(server::flushdb),
        "Removes every key of the current database."
    ),
    row!(
        "flushall",
        -1,
        WRITE,
        ACL_KEYSPACE | ACL_DANGEROUS,
        (0, 0, 0),
        &[],
        &["request_policy:all_shards", "response_policy:all_succeeded"],
        "server",
        "1.0.0",
        Some(server::flushall),
        "Removes every key of every database."
    ),
    row!(
        "swapdb",
        3,
        WRITE | FAST,
        ACL_KEYSPACE | ACL_DANGEROUS,
        (0, 0, 0),
        &[],
        &[],
        "server",
        "4.0.0",
        Some(server::swapdb),
        "Exchanges the contents of two databases."
    ),
    row!(
        "time",
        1,
        LOADING | STALE | FAST,
        0,
        (0, 0, 0),
        &[],
        &["nondeterministic_output"],
        "server",
        "2.6.0",
        Some(server::time),
        "Returns the server time."
    ),
    row!(
        "lastsave",
        1,
        LOADING | STALE | FAST,
        ACL_ADMIN | ACL_DANGEROUS,
        (0, 0, 0),
        &[],
        &["nondeterministic_output"],
        "server",
        "1.0.0",
        Some(server::lastsave),
        "Returns the Unix time of the last save."
    ),
    row!(
        "shutdown",
        -1,
        ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | ALLOW_BUSY,
        0,
        (0, 0, 0),
        &[],
        &[],
        "server",
        "1.0.0",
        Some(server::shutdown),
        "Stops the server."
    ),
    row!(
        "debug",
        -2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        0,
        (0, 0, 0),
        &[],
        &[],
        "server",
        "1.0.0",
        Some(server::debug),
        "Debugging and testing helpers."
    ),
    row!(
        "slowlog",
        -2,
        0,
        0,
        (0, 0, 0),
        &[],
        &[],
        "server",
        "2.2.12",
        None,
        "Commands that ran longer than a threshold.",
        &[
            row!(
                "slowlog|get",
                -2,
                ADMIN | LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &["request_policy:all_nodes", "nondeterministic_output"],
                "server",
                "2.2.12",
                Some(slowlog::get),
                "Returns the newest slow-log entries."
            ),
            row!(
                "slowlog|help",
                2,
                LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "6.2.0",
                Some(slowlog::help),
                "Lists the SLOWLOG subcommands."
            ),
            row!(
                "slowlog|len",
                2,
                ADMIN | LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &[
                    "request_policy:all_nodes",
                    "response_policy:agg_sum",
                    "nondeterministic_output"
                ],
                "server",
                "2.2.12",
                Some(slowlog::len),
                "Counts the slow-log entries."
            ),
            row!(
                "slowlog|reset",
                2,
                ADMIN | LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &["request_policy:all_nodes", "response_policy:all_succeeded"],
                "server",
                "2.2.12",
                Some(slowlog::reset),
                "Empties the slow log."
            ),
        ]
    ),
    row!(
        "latency",
        -2,
        0,
        0,
        (0, 0, 0),
        &[],
        &[],
        "server",
        "2.8.13",
        None,
        "Per-second samples of commands slower than a threshold.",
        &[
            row!(
                "latency|help",
                2,
                LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "2.8.13",
                Some(latency::help),
                "Lists the LATENCY subcommands."
            ),
            row!(
                "latency|history",
                3,
                ADMIN | NOSCRIPT | LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &[
                    "nondeterministic_output",
                    "request_policy:all_nodes",
                    "response_policy:special"
                ],
                "server",
                "2.8.13",
                Some(latency::history),
                "Returns an event's latency samples."
            ),
            row!(
                "latency|latest",
                2,
                ADMIN | NOSCRIPT | LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &[
                    "nondeterministic_output",
                    "request_policy:all_nodes",
                    "response_policy:special"
                ],
                "server",
                "2.8.13",
                Some(latency::latest),
                "Returns every event's latest latency sample and its maximum."
            ),
            row!(
                "latency|reset",
                -2,
                ADMIN | NOSCRIPT | LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &["request_policy:all_nodes", "response_policy:all_succeeded"],
                "server",
                "2.8.13",
                Some(latency::reset),
                "Forgets the latency samples of some or all events."
            ),
        ]
    ),
    row!(
        "monitor",
        1,
        ADMIN | NOSCRIPT | LOADING | STALE,
        0,
        (0, 0, 0),
        &[],
        &[],
        "server",
        "1.0.0",
        Some(server::monitor),
        "Streams every command the server runs to this connection."
    ),
    row!(
        "memory",
        -2,
        0,
        0,
        (0, 0, 0),
        &[],
        &[],
        "server",
        "4.0.0",
        None,
        "Memory introspection.",
        &[
            row!(
                "memory|doctor",
                2,
                0,
                0,
                (0, 0, 0),
                &[],
                &[
                    "nondeterministic_output",
                    "request_policy:all_shards",
                    "response_policy:special"
                ],
                "server",
                "4.0.0",
                Some(memory::doctor),
                "Reports memory problems in plain words."
            ),
            row!(
                "memory|help",
                2,
                LOADING | STALE,
                0,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "4.0.0",
                Some(memory::help),
                "Lists the MEMORY subcommands."
            ),
            row!(
                "memory|malloc-stats",
                2,
                0,
                0,
                (0, 0, 0),
                &[],
                &[
                    "nondeterministic_output",
                    "request_policy:all_shards",
                    "response_policy:special"
                ],
                "server",
                "4.0.0",
                Some(memory::malloc_stats),
                "Shows the allocator's own statistics."
            ),
            row!(
                "memory|purge",
                2,
                0,
                0,
                (0, 0, 0),
                &[],
                &["request_policy:all_shards", "response_policy:all_succeeded"],
                "server",
                "4.0.0",
                Some(memory::purge),
                "Asks the allocator to return free pages."
            ),
            row!(
                "memory|stats",
                2,
                0,
                0,
                (0, 0, 0),
                &[],
                &[
                    "nondeterministic_output",
                    "request_policy:all_shards",
                    "response_policy:special"
                ],
                "server",
                "4.0.0",
                Some(memory::stats),
                "Breaks down where the server's memory goes."
            ),
            row!(
                "memory|usage",
                -3,
                READONLY,
                0,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RO,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &[],
                "server",
                "4.0.0",
                Some(memory::usage),
                "Returns the bytes a key and its value use."
            ),
        ]
    ),
    row!(
        "command",
        -1,
        LOADING | STALE,
        ACL_CONNECTION,
        (0, 0, 0),
        &[],
        &["nondeterministic_output_order"],
        "server",
        "2.8.13",
        Some(command::command),
        "Describes the commands the server knows.",
        &[
            row!(
                "command|count",
                2,
                LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "2.8.13",
                Some(command::count),
                "Counts the commands the server knows."
            ),
            row!(
                "command|info",
                -2,
                LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &["nondeterministic_output_order"],
                "server",
                "2.8.13",
                Some(command::info),
                "Describes the given commands."
            ),
            row!(
                "command|docs",
                -2,
                LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &["nondeterministic_output_order"],
                "server",
                "7.0.0",
                Some(command::docs),
                "Documents the given commands."
            ),
            row!(
                "command|list",
                -2,
                LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &["nondeterministic_output_order"],
                "server",
                "7.0.0",
                Some(command::list),
                "Lists command names, optionally filtered."
            ),
            row!(
                "command|getkeys",
                -4,
                LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "2.8.13",
                Some(command::getkeys),
                "Extracts the key names from a full command line."
            ),
            row!(
                "command|getkeysandflags",
                -4,
                LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "7.0.0",
                Some(command::getkeysandflags),
                "Extracts the key names and their access flags from a command line."
            ),
            row!(
                "command|help",
                2,
                LOADING | STALE,
                ACL_CONNECTION,
                (0, 0, 0),
                &[],
                &[],
                "server",
                "5.0.0",
                Some(command::help),
                "Lists the COMMAND subcommands."
            ),
        ]
    ),
    // == hashes rows (hashes.rs) ==
    // == end hashes ==
    // == lists rows (lists.rs) ==
    // == end lists ==
    // == sets rows (sets.rs, sort.rs) ==
    // == end sets ==
    // == zsets rows (zsets.rs) ==
    // == end zsets ==
    // == bitmaps and hyperloglog rows (bitmaps.rs, hyperloglog.rs) ==
    // == end bitmaps ==
    // == transactions rows (transactions.rs) ==
    row!(
        "multi",
        1,
        NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY | NOT_QUEUED,
        ACL_TRANSACTION,
        (0, 0, 0),
        &[],
        &[],
        "transactions",
        "1.2.0",
        Some(transactions::multi),
        "Starts queuing commands for an atomic transaction."
    ),
    row!(
        "exec",
        1,
        NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG | EXCLUSIVE | NOT_QUEUED,
        ACL_TRANSACTION,
        (0, 0, 0),
        &[],
        &[],
        "transactions",
        "1.2.0",
        Some(transactions::exec),
        "Runs the queued commands atomically, unless a watched key changed."
    ),
    row!(
        "discard",
        1,
        NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY | NOT_QUEUED,
        ACL_TRANSACTION,
        (0, 0, 0),
        &[],
        &[],
        "transactions",
        "2.0.0",
        Some(transactions::discard),
        "Drops the queued commands and forgets watched keys."
    ),
    row!(
        "watch",
        -2,
        NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY | NOT_QUEUED,
        ACL_TRANSACTION,
        (1, -1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "transactions",
        "2.2.0",
        Some(transactions::watch),
        "Makes the next EXEC fail if any of the keys changes first."
    ),
    row!(
        "unwatch",
        1,
        NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        ACL_TRANSACTION,
        (0, 0, 0),
        &[],
        &[],
        "transactions",
        "2.2.0",
        Some(transactions::unwatch),
        "Forgets every watched key."
    ),
    // == end transactions ==
    // == hashes ==
    row!(
        "hset",
        -4,
        WRITE | DENYOOM | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "2.0.0",
        Some(hashes::hset),
        "Sets one or more fields of a hash, creating it if needed."
    ),
    row!(
        "hsetnx",
        4,
        WRITE | DENYOOM | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "2.0.0",
        Some(hashes::hsetnx),
        "Sets a hash field only when the field is absent."
    ),
    row!(
        "hget",
        3,
        READONLY | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "2.0.0",
        Some(hashes::hget),
        "Returns the value of one hash field."
    ),
    row!(
        "hmget",
        -3,
        READONLY | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "2.0.0",
        Some(hashes::hmget),
        "Returns the values of several hash fields."
    ),
    row!(
        "hmset",
        -4,
        WRITE | DENYOOM | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "2.0.0",
        Some(hashes::hmset),
        "Sets several hash fields and answers OK (older form of HSET)."
    ),
    row!(
        "hgetall",
        2,
        READONLY,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output_order"],
        "hash",
        "2.0.0",
        Some(hashes::hgetall),
        "Returns every field and value of a hash."
    ),
    row!(
        "hdel",
        -3,
        WRITE | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "2.0.0",
        Some(hashes::hdel),
        "Removes fields from a hash, deleting the key once it is empty."
    ),
    row!(
        "hexists",
        3,
        READONLY | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "2.0.0",
        Some(hashes::hexists),
        "Tells whether a hash has a field."
    ),
    row!(
        "hlen",
        2,
        READONLY | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "2.0.0",
        Some(hashes::hlen),
        "Counts the fields of a hash."
    ),
    row!(
        "hstrlen",
        3,
        READONLY | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "3.2.0",
        Some(hashes::hstrlen),
        "Returns the byte length of a hash field's value."
    ),
    row!(
        "hkeys",
        2,
        READONLY,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output_order"],
        "hash",
        "2.0.0",
        Some(hashes::hkeys),
        "Returns every field name of a hash."
    ),
    row!(
        "hvals",
        2,
        READONLY,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output_order"],
        "hash",
        "2.0.0",
        Some(hashes::hvals),
        "Returns every value of a hash."
    ),
    row!(
        "hincrby",
        4,
        WRITE | DENYOOM | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "2.0.0",
        Some(hashes::hincrby),
        "Adds an integer to a hash field's value."
    ),
    row!(
        "hincrbyfloat",
        4,
        WRITE | DENYOOM | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "2.6.0",
        Some(hashes::hincrbyfloat),
        "Adds a floating-point number to a hash field's value."
    ),
    row!(
        "hrandfield",
        -2,
        READONLY,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "hash",
        "6.2.0",
        Some(hashes::hrandfield),
        "Picks random fields of a hash, optionally with their values."
    ),
    row!(
        "hscan",
        -3,
        READONLY,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "hash",
        "2.8.0",
        Some(hashes::hscan),
        "Walks the fields of a hash a few at a time with a cursor."
    ),
    row!(
        "hexpire",
        -6,
        WRITE | DENYOOM | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "7.4.0",
        Some(hashes::hexpire),
        "Gives hash fields a time to live in seconds."
    ),
    row!(
        "hpexpire",
        -6,
        WRITE | DENYOOM | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "7.4.0",
        Some(hashes::hpexpire),
        "Gives hash fields a time to live in milliseconds."
    ),
    row!(
        "hexpireat",
        -6,
        WRITE | DENYOOM | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "7.4.0",
        Some(hashes::hexpireat),
        "Makes hash fields expire at a Unix time in seconds."
    ),
    row!(
        "hpexpireat",
        -6,
        WRITE | DENYOOM | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "7.4.0",
        Some(hashes::hpexpireat),
        "Makes hash fields expire at a Unix time in milliseconds."
    ),
    row!(
        "httl",
        -5,
        READONLY | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "7.4.0",
        Some(hashes::httl),
        "Returns the remaining seconds to live of hash fields."
    ),
    row!(
        "hpttl",
        -5,
        READONLY | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "7.4.0",
        Some(hashes::hpttl),
        "Returns the remaining milliseconds to live of hash fields."
    ),
    row!(
        "hexpiretime",
        -5,
        READONLY | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "7.4.0",
        Some(hashes::hexpiretime),
        "Returns the Unix time in seconds at which hash fields expire."
    ),
    row!(
        "hpexpiretime",
        -5,
        READONLY | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "7.4.0",
        Some(hashes::hpexpiretime),
        "Returns the Unix time in milliseconds at which hash fields expire."
    ),
    row!(
        "hpersist",
        -5,
        WRITE | FAST,
        ACL_HASH,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hash",
        "7.4.0",
        Some(hashes::hpersist),
        "Removes the time to live of hash fields."
    ),
    // == end hashes ==
    // == lists ==
    row!(
        "lpush",
        -3,
        WRITE | DENYOOM | FAST,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "1.0.0",
        Some(lists::lpush),
        "Adds elements at the head of a list, creating it if needed."
    ),
    row!(
        "rpush",
        -3,
        WRITE | DENYOOM | FAST,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "1.0.0",
        Some(lists::rpush),
        "Adds elements at the tail of a list, creating it if needed."
    ),
    row!(
        "lpushx",
        -3,
        WRITE | DENYOOM | FAST,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "2.2.0",
        Some(lists::lpushx),
        "Adds elements at the head of a list only when the list exists."
    ),
    row!(
        "rpushx",
        -3,
        WRITE | DENYOOM | FAST,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "2.2.0",
        Some(lists::rpushx),
        "Adds elements at the tail of a list only when the list exists."
    ),
    row!(
        "lpop",
        -2,
        WRITE | FAST,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "1.0.0",
        Some(lists::lpop),
        "Removes and returns one or more elements from the head of a list."
    ),
    row!(
        "rpop",
        -2,
        WRITE | FAST,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "1.0.0",
        Some(lists::rpop),
        "Removes and returns one or more elements from the tail of a list."
    ),
    row!(
        "llen",
        2,
        READONLY | FAST,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "1.0.0",
        Some(lists::llen),
        "Returns the number of elements in a list."
    ),
    row!(
        "lrange",
        4,
        READONLY,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "1.0.0",
        Some(lists::lrange),
        "Returns the elements between two indexes of a list."
    ),
    row!(
        "lindex",
        3,
        READONLY,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "1.0.0",
        Some(lists::lindex),
        "Returns the element at an index of a list."
    ),
    row!(
        "lset",
        4,
        WRITE | DENYOOM,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "1.0.0",
        Some(lists::lset),
        "Replaces the element at an index of a list."
    ),
    row!(
        "linsert",
        5,
        WRITE | DENYOOM,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "2.2.0",
        Some(lists::linsert),
        "Inserts an element before or after the first occurrence of a pivot."
    ),
    row!(
        "lrem",
        4,
        WRITE,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "1.0.0",
        Some(lists::lrem),
        "Removes occurrences of an element from a list."
    ),
    row!(
        "ltrim",
        4,
        WRITE,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "1.0.0",
        Some(lists::ltrim),
        "Keeps only the elements between two indexes of a list."
    ),
    row!(
        "lpos",
        -3,
        READONLY,
        ACL_LIST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "6.0.6",
        Some(lists::lpos),
        "Finds the positions of an element in a list."
    ),
    row!(
        "lmove",
        5,
        WRITE | DENYOOM,
        ACL_LIST,
        (1, 2, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RW | KS_ACCESS | KS_DELETE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RW | KS_INSERT,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "list",
        "6.2.0",
        Some(lists::lmove),
        "Takes an element off one end of a list and puts it on an end of another."
    ),
    row!(
        "rpoplpush",
        3,
        WRITE | DENYOOM,
        ACL_LIST,
        (1, 2, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RW | KS_ACCESS | KS_DELETE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RW | KS_INSERT,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "list",
        "1.2.0",
        Some(lists::rpoplpush),
        "Takes the last element of a list and puts it at the head of another."
    ),
    row!(
        "lmpop",
        -4,
        WRITE | MOVABLE_KEYS,
        ACL_LIST,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Keynum {
                keynumidx: 0,
                firstkey: 1,
                step: 1
            }
        }],
        &[],
        "list",
        "7.0.0",
        Some(lists::lmpop),
        "Pops elements from the first non-empty list among several keys."
    ),
    row!(
        "blpop",
        -3,
        WRITE | NOSCRIPT | BLOCKING,
        ACL_LIST,
        (1, -2, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -2,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "2.0.0",
        Some(lists::blpop),
        "Pops the head of the first non-empty list, waiting for one if all are empty."
    ),
    row!(
        "brpop",
        -3,
        WRITE | NOSCRIPT | BLOCKING,
        ACL_LIST,
        (1, -2, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -2,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "list",
        "2.0.0",
        Some(lists::brpop),
        "Pops the tail of the first non-empty list, waiting for one if all are empty."
    ),
    row!(
        "blmove",
        6,
        WRITE | DENYOOM | NOSCRIPT | BLOCKING,
        ACL_LIST,
        (1, 2, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RW | KS_ACCESS | KS_DELETE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RW | KS_INSERT,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "list",
        "6.2.0",
        Some(lists::blmove),
        "Moves an element between lists like LMOVE, waiting while the source is empty."
    ),
    row!(
        "brpoplpush",
        4,
        WRITE | DENYOOM | NOSCRIPT | BLOCKING,
        ACL_LIST,
        (1, 2, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RW | KS_ACCESS | KS_DELETE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RW | KS_INSERT,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "list",
        "2.2.0",
        Some(lists::brpoplpush),
        "Moves a tail element to another list's head, waiting while the source is empty."
    ),
    row!(
        "blmpop",
        -5,
        WRITE | BLOCKING | MOVABLE_KEYS,
        ACL_LIST,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(2),
            find: Find::Keynum {
                keynumidx: 0,
                firstkey: 1,
                step: 1
            }
        }],
        &[],
        "list",
        "7.0.0",
        Some(lists::blmpop),
        "Pops elements from the first non-empty list among several, waiting if all are empty."
    ),
    // == end lists ==
    // == sets ==
    row!(
        "sadd",
        -3,
        WRITE | DENYOOM | FAST,
        ACL_SET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "set",
        "1.0.0",
        Some(sets::sadd),
        "Adds members to a set, creating it if needed."
    ),
    row!(
        "srem",
        -3,
        WRITE | FAST,
        ACL_SET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "set",
        "1.0.0",
        Some(sets::srem),
        "Removes members from a set, deleting it when it empties."
    ),
    row!(
        "smembers",
        2,
        READONLY,
        ACL_SET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output_order"],
        "set",
        "1.0.0",
        Some(sets::smembers),
        "Returns every member of a set."
    ),
    row!(
        "sismember",
        3,
        READONLY | FAST,
        ACL_SET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "set",
        "1.0.0",
        Some(sets::sismember),
        "Tells whether a value is a member of a set."
    ),
    row!(
        "smismember",
        -3,
        READONLY | FAST,
        ACL_SET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "set",
        "6.2.0",
        Some(sets::smismember),
        "Tells for each of several values whether it is a member of a set."
    ),
    row!(
        "scard",
        2,
        READONLY | FAST,
        ACL_SET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "set",
        "1.0.0",
        Some(sets::scard),
        "Counts the members of a set."
    ),
    row!(
        "spop",
        -2,
        WRITE | FAST,
        ACL_SET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "set",
        "1.0.0",
        Some(sets::spop),
        "Removes and returns random members of a set."
    ),
    row!(
        "srandmember",
        -2,
        READONLY,
        ACL_SET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "set",
        "1.0.0",
        Some(sets::srandmember),
        "Returns random members of a set without removing them."
    ),
    row!(
        "smove",
        4,
        WRITE | FAST,
        ACL_SET,
        (1, 2, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RW | KS_ACCESS | KS_DELETE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RW | KS_INSERT,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "set",
        "1.0.0",
        Some(sets::smove),
        "Moves a member from one set to another."
    ),
    row!(
        "sinter",
        -2,
        READONLY,
        ACL_SET,
        (1, -1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output_order"],
        "set",
        "1.0.0",
        Some(sets::sinter),
        "Returns the members common to all the given sets."
    ),
    row!(
        "sintercard",
        -3,
        READONLY | MOVABLE_KEYS,
        ACL_SET,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Keynum {
                keynumidx: 0,
                firstkey: 1,
                step: 1
            }
        }],
        &[],
        "set",
        "7.0.0",
        Some(sets::sintercard),
        "Counts the members common to all the given sets, optionally stopping at a limit."
    ),
    row!(
        "sinterstore",
        -3,
        WRITE | DENYOOM,
        ACL_SET,
        (1, -1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RW | KS_UPDATE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: -1,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "set",
        "1.0.0",
        Some(sets::sinterstore),
        "Stores the intersection of sets at a key."
    ),
    row!(
        "sunion",
        -2,
        READONLY,
        ACL_SET,
        (1, -1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output_order"],
        "set",
        "1.0.0",
        Some(sets::sunion),
        "Returns the members found in any of the given sets."
    ),
    row!(
        "sunionstore",
        -3,
        WRITE | DENYOOM,
        ACL_SET,
        (1, -1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: -1,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "set",
        "1.0.0",
        Some(sets::sunionstore),
        "Stores the union of sets at a key."
    ),
    row!(
        "sdiff",
        -2,
        READONLY,
        ACL_SET,
        (1, -1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output_order"],
        "set",
        "1.0.0",
        Some(sets::sdiff),
        "Returns the members of the first set that no other given set has."
    ),
    row!(
        "sdiffstore",
        -3,
        WRITE | DENYOOM,
        ACL_SET,
        (1, -1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: -1,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "set",
        "1.0.0",
        Some(sets::sdiffstore),
        "Stores the difference of sets at a key."
    ),
    row!(
        "sscan",
        -3,
        READONLY,
        ACL_SET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "set",
        "2.8.0",
        Some(sets::sscan),
        "Iterates over the members of a set with a cursor."
    ),
    // == end sets ==
    // == zsets ==
    row!(
        "zadd",
        -4,
        WRITE | DENYOOM | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "1.2.0",
        Some(zsets::zadd),
        "Adds members with scores to a sorted set or updates their scores, with conditions."
    ),
    row!(
        "zincrby",
        4,
        WRITE | DENYOOM | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "1.2.0",
        Some(zsets::zincrby),
        "Adds an increment to a member's score in a sorted set."
    ),
    row!(
        "zscore",
        3,
        READONLY | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "1.2.0",
        Some(zsets::zscore),
        "Returns the score of a member of a sorted set."
    ),
    row!(
        "zmscore",
        -3,
        READONLY | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "6.2.0",
        Some(zsets::zmscore),
        "Returns the scores of several members of a sorted set."
    ),
    row!(
        "zcard",
        2,
        READONLY | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "1.2.0",
        Some(zsets::zcard),
        "Returns the number of members of a sorted set."
    ),
    row!(
        "zcount",
        4,
        READONLY | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "2.0.0",
        Some(zsets::zcount),
        "Counts the members of a sorted set whose score lies in an interval."
    ),
    row!(
        "zlexcount",
        4,
        READONLY | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "2.8.9",
        Some(zsets::zlexcount),
        "Counts the members of a sorted set inside a lexicographic interval."
    ),
    row!(
        "zrange",
        -4,
        READONLY,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "1.2.0",
        Some(zsets::zrange),
        "Returns members of a sorted set by rank, score or lexicographic interval."
    ),
    row!(
        "zrangestore",
        -5,
        WRITE | DENYOOM,
        ACL_SORTEDSET,
        (1, 2, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "sorted-set",
        "6.2.0",
        Some(zsets::zrangestore),
        "Stores a rank, score or lexicographic slice of a sorted set at another key."
    ),
    row!(
        "zrevrange",
        -4,
        READONLY,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "1.2.0",
        Some(zsets::zrevrange),
        "Returns members of a sorted set by rank, highest score first."
    ),
    row!(
        "zrangebyscore",
        -4,
        READONLY,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "1.0.5",
        Some(zsets::zrangebyscore),
        "Returns the members of a sorted set whose score lies in an interval."
    ),
    row!(
        "zrevrangebyscore",
        -4,
        READONLY,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "2.2.0",
        Some(zsets::zrevrangebyscore),
        "Returns the members whose score lies in an interval, highest score first."
    ),
    row!(
        "zrangebylex",
        -4,
        READONLY,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "2.8.9",
        Some(zsets::zrangebylex),
        "Returns the members of a sorted set inside a lexicographic interval."
    ),
    row!(
        "zrevrangebylex",
        -4,
        READONLY,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "2.8.9",
        Some(zsets::zrevrangebylex),
        "Returns the members inside a lexicographic interval, last member first."
    ),
    row!(
        "zrank",
        -3,
        READONLY | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "2.0.0",
        Some(zsets::zrank),
        "Returns the rank of a member counted from the lowest score."
    ),
    row!(
        "zrevrank",
        -3,
        READONLY | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "2.0.0",
        Some(zsets::zrevrank),
        "Returns the rank of a member counted from the highest score."
    ),
    row!(
        "zrem",
        -3,
        WRITE | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "1.2.0",
        Some(zsets::zrem),
        "Removes members from a sorted set."
    ),
    row!(
        "zremrangebyrank",
        4,
        WRITE,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "2.0.0",
        Some(zsets::zremrangebyrank),
        "Removes the members of a sorted set within a rank interval."
    ),
    row!(
        "zremrangebyscore",
        4,
        WRITE,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "1.2.0",
        Some(zsets::zremrangebyscore),
        "Removes the members of a sorted set whose score lies in an interval."
    ),
    row!(
        "zremrangebylex",
        4,
        WRITE,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "2.8.9",
        Some(zsets::zremrangebylex),
        "Removes the members of a sorted set inside a lexicographic interval."
    ),
    row!(
        "zpopmin",
        -2,
        WRITE | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "5.0.0",
        Some(zsets::zpopmin),
        "Removes and returns the members with the lowest scores."
    ),
    row!(
        "zpopmax",
        -2,
        WRITE | FAST,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "5.0.0",
        Some(zsets::zpopmax),
        "Removes and returns the members with the highest scores."
    ),
    row!(
        "zmpop",
        -4,
        WRITE | MOVABLE_KEYS,
        ACL_SORTEDSET,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Keynum {
                keynumidx: 0,
                firstkey: 1,
                step: 1
            }
        }],
        &[],
        "sorted-set",
        "7.0.0",
        Some(zsets::zmpop),
        "Pops the lowest or highest members from the first non-empty sorted set of several keys."
    ),
    row!(
        "zrandmember",
        -2,
        READONLY,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "sorted-set",
        "6.2.0",
        Some(zsets::zrandmember),
        "Returns random members of a sorted set, with or without repetition."
    ),
    row!(
        "zunion",
        -3,
        READONLY | MOVABLE_KEYS,
        ACL_SORTEDSET,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Keynum {
                keynumidx: 0,
                firstkey: 1,
                step: 1
            }
        }],
        &[],
        "sorted-set",
        "6.2.0",
        Some(zsets::zunion),
        "Returns the union of sorted sets, with weights and an aggregate."
    ),
    row!(
        "zinter",
        -3,
        READONLY | MOVABLE_KEYS,
        ACL_SORTEDSET,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Keynum {
                keynumidx: 0,
                firstkey: 1,
                step: 1
            }
        }],
        &[],
        "sorted-set",
        "6.2.0",
        Some(zsets::zinter),
        "Returns the intersection of sorted sets, with weights and an aggregate."
    ),
    row!(
        "zdiff",
        -3,
        READONLY | MOVABLE_KEYS,
        ACL_SORTEDSET,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Keynum {
                keynumidx: 0,
                firstkey: 1,
                step: 1
            }
        }],
        &[],
        "sorted-set",
        "6.2.0",
        Some(zsets::zdiff),
        "Returns the members of the first sorted set that no other given set has."
    ),
    row!(
        "zunionstore",
        -4,
        WRITE | DENYOOM | MOVABLE_KEYS,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(2),
                find: Find::Keynum {
                    keynumidx: 0,
                    firstkey: 1,
                    step: 1
                }
            }
        ],
        &[],
        "sorted-set",
        "2.0.0",
        Some(zsets::zunionstore),
        "Stores the union of sorted sets at a key."
    ),
    row!(
        "zinterstore",
        -4,
        WRITE | DENYOOM | MOVABLE_KEYS,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(2),
                find: Find::Keynum {
                    keynumidx: 0,
                    firstkey: 1,
                    step: 1
                }
            }
        ],
        &[],
        "sorted-set",
        "2.0.0",
        Some(zsets::zinterstore),
        "Stores the intersection of sorted sets at a key."
    ),
    row!(
        "zdiffstore",
        -4,
        WRITE | DENYOOM | MOVABLE_KEYS,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(2),
                find: Find::Keynum {
                    keynumidx: 0,
                    firstkey: 1,
                    step: 1
                }
            }
        ],
        &[],
        "sorted-set",
        "6.2.0",
        Some(zsets::zdiffstore),
        "Stores the difference of sorted sets at a key."
    ),
    row!(
        "zintercard",
        -3,
        READONLY | MOVABLE_KEYS,
        ACL_SORTEDSET,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Keynum {
                keynumidx: 0,
                firstkey: 1,
                step: 1
            }
        }],
        &[],
        "sorted-set",
        "7.0.0",
        Some(zsets::zintercard),
        "Counts the members of the intersection of sorted sets, up to an optional limit."
    ),
    row!(
        "zscan",
        -3,
        READONLY,
        ACL_SORTEDSET,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "sorted-set",
        "2.8.0",
        Some(zsets::zscan),
        "Iterates over the members and scores of a sorted set with a cursor."
    ),
    row!(
        "bzpopmin",
        -3,
        WRITE | NOSCRIPT | BLOCKING | FAST,
        ACL_SORTEDSET,
        (1, -2, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -2,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "5.0.0",
        Some(zsets::bzpopmin),
        "Pops the lowest-scored member of the first non-empty sorted set, waiting for one if needed."
    ),
    row!(
        "bzpopmax",
        -3,
        WRITE | NOSCRIPT | BLOCKING | FAST,
        ACL_SORTEDSET,
        (1, -2, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -2,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "sorted-set",
        "5.0.0",
        Some(zsets::bzpopmax),
        "Pops the highest-scored member of the first non-empty sorted set, waiting for one if needed."
    ),
    row!(
        "bzmpop",
        -5,
        WRITE | BLOCKING | MOVABLE_KEYS,
        ACL_SORTEDSET,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_DELETE,
            begin: Begin::Index(2),
            find: Find::Keynum {
                keynumidx: 0,
                firstkey: 1,
                step: 1
            }
        }],
        &[],
        "sorted-set",
        "7.0.0",
        Some(zsets::bzmpop),
        "Pops members from the first non-empty sorted set of several keys, waiting for one if needed."
    ),
    // == end zsets ==
    // == geo ==
    row!(
        "geoadd",
        -5,
        WRITE | DENYOOM,
        ACL_GEO,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "geo",
        "3.2.0",
        Some(geo::geoadd),
        "Adds or updates members of a geospatial index given their longitude and latitude."
    ),
    row!(
        "geopos",
        -2,
        READONLY,
        ACL_GEO,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "geo",
        "3.2.0",
        Some(geo::geopos),
        "Returns the stored longitude and latitude of members of a geospatial index."
    ),
    row!(
        "geodist",
        -4,
        READONLY,
        ACL_GEO,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "geo",
        "3.2.0",
        Some(geo::geodist),
        "Returns the great-circle distance between two members of a geospatial index."
    ),
    row!(
        "geohash",
        -2,
        READONLY,
        ACL_GEO,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "geo",
        "3.2.0",
        Some(geo::geohash),
        "Returns the standard 11-character geohash strings of members of a geospatial index."
    ),
    row!(
        "geosearch",
        -7,
        READONLY,
        ACL_GEO,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "geo",
        "6.2.0",
        Some(geo::geosearch),
        "Finds the members of a geospatial index inside a circle or a box around a member or a point."
    ),
    row!(
        "geosearchstore",
        -8,
        WRITE | DENYOOM,
        ACL_GEO,
        (1, 2, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "geo",
        "6.2.0",
        Some(geo::geosearchstore),
        "Stores the members of a geospatial index found inside a circle or a box at a key."
    ),
    row!(
        "georadius",
        -6,
        WRITE | DENYOOM | MOVABLE_KEYS,
        ACL_GEO,
        (1, 1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Keyword {
                    keyword: "STORE",
                    startfrom: 6
                },
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Keyword {
                    keyword: "STOREDIST",
                    startfrom: 6
                },
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "geo",
        "3.2.0",
        Some(geo::georadius),
        "Finds the members of a geospatial index within a distance of a point, optionally storing them."
    ),
    row!(
        "georadiusbymember",
        -5,
        WRITE | DENYOOM | MOVABLE_KEYS,
        ACL_GEO,
        (1, 1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Keyword {
                    keyword: "STORE",
                    startfrom: 5
                },
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Keyword {
                    keyword: "STOREDIST",
                    startfrom: 5
                },
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "geo",
        "3.2.0",
        Some(geo::georadiusbymember),
        "Finds the members of a geospatial index within a distance of a member, optionally storing them."
    ),
    row!(
        "georadius_ro",
        -6,
        READONLY,
        ACL_GEO,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "geo",
        "3.2.10",
        Some(geo::georadius_ro),
        "Finds the members of a geospatial index within a distance of a point, never storing."
    ),
    row!(
        "georadiusbymember_ro",
        -5,
        READONLY,
        ACL_GEO,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "geo",
        "3.2.10",
        Some(geo::georadiusbymember_ro),
        "Finds the members of a geospatial index within a distance of a member, never storing."
    ),
    // == end geo ==
    // == bitmaps ==
    row!(
        "setbit",
        4,
        WRITE | DENYOOM,
        ACL_BITMAP,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "bitmap",
        "2.2.0",
        Some(bitmaps::setbit),
        "Sets or clears one bit of a string, growing it with zeros as needed."
    ),
    row!(
        "getbit",
        3,
        READONLY | FAST,
        ACL_BITMAP,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "bitmap",
        "2.2.0",
        Some(bitmaps::getbit),
        "Reads one bit of a string; bits past its end read as zero."
    ),
    row!(
        "bitcount",
        -2,
        READONLY,
        ACL_BITMAP,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "bitmap",
        "2.6.0",
        Some(bitmaps::bitcount),
        "Counts the set bits of a string, optionally within a byte or bit range."
    ),
    row!(
        "bitpos",
        -3,
        READONLY,
        ACL_BITMAP,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "bitmap",
        "2.8.7",
        Some(bitmaps::bitpos),
        "Finds the position of the first set or clear bit of a string."
    ),
    row!(
        "bitop",
        -4,
        WRITE | DENYOOM,
        ACL_BITMAP,
        (2, -1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_OW | KS_UPDATE,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(3),
                find: Find::Range {
                    lastkey: -1,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "bitmap",
        "2.6.0",
        Some(bitmaps::bitop),
        "Stores the bitwise AND, OR, XOR or NOT of strings in a destination key."
    ),
    row!(
        "bitfield",
        -2,
        WRITE | DENYOOM,
        ACL_BITMAP,
        (1, 1, 1),
        &[KeySpec {
            notes: Some("This command allows both access and modification of the key"),
            flags: KS_RW | KS_ACCESS | KS_UPDATE | KS_VARIABLE_FLAGS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "bitmap",
        "3.2.0",
        Some(bitmaps::bitfield),
        "Reads, sets and increments integer fields of any width at bit offsets of a string."
    ),
    row!(
        "bitfield_ro",
        -2,
        READONLY | FAST,
        ACL_BITMAP,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "bitmap",
        "6.0.0",
        Some(bitmaps::bitfield_ro),
        "Reads integer fields at bit offsets of a string, for read-only contexts."
    ),
    // == end bitmaps ==
    // == hyperloglog ==
    row!(
        "pfadd",
        -2,
        WRITE | DENYOOM | FAST,
        ACL_HYPERLOGLOG,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_INSERT,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hyperloglog",
        "2.8.9",
        Some(hyperloglog::pfadd),
        "Adds elements to a HyperLogLog, creating it if needed."
    ),
    row!(
        "pfcount",
        -2,
        READONLY,
        ACL_HYPERLOGLOG,
        (1, -1, 1),
        &[KeySpec {
            notes: Some("RW because it may change the internal representation of the key, and propagate to replicas"),
            flags: KS_RW | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hyperloglog",
        "2.8.9",
        Some(hyperloglog::pfcount),
        "Estimates the number of distinct elements added to one HyperLogLog or to the union of several."
    ),
    row!(
        "pfmerge",
        -2,
        WRITE | DENYOOM,
        ACL_HYPERLOGLOG,
        (1, -1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RW | KS_ACCESS | KS_INSERT,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(2),
                find: Find::Range {
                    lastkey: -1,
                    step: 1,
                    limit: 0
                }
            }
        ],
        &[],
        "hyperloglog",
        "2.8.9",
        Some(hyperloglog::pfmerge),
        "Stores the union of HyperLogLogs in a destination key."
    ),
    row!(
        "pfdebug",
        3,
        WRITE | DENYOOM | ADMIN,
        ACL_HYPERLOGLOG,
        (2, 2, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_ACCESS,
            begin: Begin::Index(2),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "hyperloglog",
        "2.8.9",
        Some(hyperloglog::pfdebug),
        "Inspects or converts the internal representation of a HyperLogLog."
    ),
    row!(
        "pfselftest",
        1,
        ADMIN,
        ACL_HYPERLOGLOG,
        (0, 0, 0),
        &[],
        &[],
        "hyperloglog",
        "2.8.9",
        Some(hyperloglog::pfselftest),
        "Runs an internal consistency check of the HyperLogLog implementation."
    ),
    // == end hyperloglog ==
    // == streams ==
    row!(
        "xadd",
        -5,
        WRITE | DENYOOM | FAST,
        ACL_WRITE | ACL_STREAM | ACL_FAST,
        (1, 1, 1),
        &[KeySpec {
            notes: Some("UPDATE instead of INSERT because of the optional trimming feature"),
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "stream",
        "5.0.0",
        Some(streams::xadd),
        "Appends an entry to a stream, creating it if needed, and may trim it."
    ),
    row!(
        "xlen",
        2,
        READONLY | FAST,
        ACL_READ | ACL_STREAM | ACL_FAST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "stream",
        "5.0.0",
        Some(streams::xlen),
        "Counts the entries of a stream."
    ),
    row!(
        "xrange",
        -4,
        READONLY,
        ACL_READ | ACL_STREAM | ACL_SLOW,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "stream",
        "5.0.0",
        Some(streams::xrange),
        "Lists stream entries between two ids, oldest first."
    ),
    row!(
        "xrevrange",
        -4,
        READONLY,
        ACL_READ | ACL_STREAM | ACL_SLOW,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "stream",
        "5.0.0",
        Some(streams::xrevrange),
        "Lists stream entries between two ids, newest first."
    ),
    row!(
        "xdel",
        -3,
        WRITE | FAST,
        ACL_WRITE | ACL_STREAM | ACL_FAST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "stream",
        "5.0.0",
        Some(streams::xdel),
        "Removes entries from a stream by id."
    ),
    row!(
        "xtrim",
        -4,
        WRITE,
        ACL_WRITE | ACL_STREAM | ACL_SLOW,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "stream",
        "5.0.0",
        Some(streams::xtrim),
        "Drops the oldest entries of a stream past a length or below an id."
    ),
    row!(
        "xread",
        -4,
        READONLY | BLOCKING | MOVABLE_KEYS,
        ACL_READ | ACL_STREAM | ACL_SLOW | ACL_BLOCKING,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Keyword {
                keyword: "STREAMS",
                startfrom: 1
            },
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 2
            }
        }],
        &[],
        "stream",
        "5.0.0",
        Some(streams::xread),
        "Reads entries after given ids from one or more streams, optionally waiting."
    ),
    row!(
        "xreadgroup",
        -7,
        WRITE | BLOCKING | MOVABLE_KEYS,
        ACL_WRITE | ACL_STREAM | ACL_SLOW | ACL_BLOCKING,
        (0, 0, 0),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Keyword {
                keyword: "STREAMS",
                startfrom: 4
            },
            find: Find::Range {
                lastkey: -1,
                step: 1,
                limit: 2
            }
        }],
        &[],
        "stream",
        "5.0.0",
        Some(streams::xreadgroup),
        "Reads entries for a consumer of a group, tracking them as pending."
    ),
    row!(
        "xgroup",
        -2,
        0,
        ACL_SLOW,
        (0, 0, 0),
        &[],
        &[],
        "stream",
        "5.0.0",
        None,
        "Container for commands about consumer groups.",
        &[
            row!(
                "xgroup|create",
                -5,
                WRITE | DENYOOM,
                ACL_WRITE | ACL_STREAM | ACL_SLOW,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RW | KS_INSERT,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &[],
                "stream",
                "5.0.0",
                Some(streams::xgroup_create),
                "Creates a consumer group on a stream."
            ),
            row!(
                "xgroup|createconsumer",
                5,
                WRITE | DENYOOM,
                ACL_WRITE | ACL_STREAM | ACL_SLOW,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RW | KS_INSERT,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &[],
                "stream",
                "6.2.0",
                Some(streams::xgroup_createconsumer),
                "Adds a consumer to a consumer group."
            ),
            row!(
                "xgroup|delconsumer",
                5,
                WRITE,
                ACL_WRITE | ACL_STREAM | ACL_SLOW,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RW | KS_DELETE,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &[],
                "stream",
                "5.0.0",
                Some(streams::xgroup_delconsumer),
                "Removes a consumer from a group, dropping its pending entries."
            ),
            row!(
                "xgroup|destroy",
                4,
                WRITE,
                ACL_WRITE | ACL_STREAM | ACL_SLOW,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RW | KS_DELETE,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &[],
                "stream",
                "5.0.0",
                Some(streams::xgroup_destroy),
                "Deletes a consumer group and its pending entries."
            ),
            row!(
                "xgroup|help",
                2,
                LOADING | STALE,
                ACL_STREAM | ACL_SLOW,
                (0, 0, 0),
                &[],
                &[],
                "stream",
                "5.0.0",
                Some(streams::xgroup_help),
                "Lists the XGROUP subcommands."
            ),
            row!(
                "xgroup|setid",
                -5,
                WRITE,
                ACL_WRITE | ACL_STREAM | ACL_SLOW,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RW | KS_UPDATE,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &[],
                "stream",
                "5.0.0",
                Some(streams::xgroup_setid),
                "Moves the last-delivered id of a consumer group."
            ),
        ]
    ),
    row!(
        "xack",
        -4,
        WRITE | FAST,
        ACL_WRITE | ACL_STREAM | ACL_FAST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "stream",
        "5.0.0",
        Some(streams::xack),
        "Marks pending entries of a group as processed."
    ),
    row!(
        "xpending",
        -3,
        READONLY,
        ACL_READ | ACL_STREAM | ACL_SLOW,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RO | KS_ACCESS,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "stream",
        "5.0.0",
        Some(streams::xpending),
        "Describes the pending entries of a consumer group."
    ),
    row!(
        "xclaim",
        -6,
        WRITE | FAST,
        ACL_WRITE | ACL_STREAM | ACL_FAST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "stream",
        "5.0.0",
        Some(streams::xclaim),
        "Transfers pending entries to another consumer."
    ),
    row!(
        "xautoclaim",
        -6,
        WRITE | FAST,
        ACL_WRITE | ACL_STREAM | ACL_FAST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_DELETE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &["nondeterministic_output"],
        "stream",
        "6.2.0",
        Some(streams::xautoclaim),
        "Transfers idle pending entries to another consumer, scanning from an id."
    ),
    row!(
        "xinfo",
        -2,
        0,
        ACL_SLOW,
        (0, 0, 0),
        &[],
        &[],
        "stream",
        "5.0.0",
        None,
        "Container for commands that describe streams.",
        &[
            row!(
                "xinfo|consumers",
                4,
                READONLY,
                ACL_READ | ACL_STREAM | ACL_SLOW,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RO | KS_ACCESS,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &["nondeterministic_output"],
                "stream",
                "5.0.0",
                Some(streams::xinfo_consumers),
                "Lists the consumers of a group."
            ),
            row!(
                "xinfo|groups",
                3,
                READONLY,
                ACL_READ | ACL_STREAM | ACL_SLOW,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RO | KS_ACCESS,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &[],
                "stream",
                "5.0.0",
                Some(streams::xinfo_groups),
                "Lists the consumer groups of a stream."
            ),
            row!(
                "xinfo|help",
                2,
                LOADING | STALE,
                ACL_STREAM | ACL_SLOW,
                (0, 0, 0),
                &[],
                &[],
                "stream",
                "5.0.0",
                Some(streams::xinfo_help),
                "Lists the XINFO subcommands."
            ),
            row!(
                "xinfo|stream",
                -3,
                READONLY,
                ACL_READ | ACL_STREAM | ACL_SLOW,
                (2, 2, 1),
                &[KeySpec {
                    notes: None,
                    flags: KS_RO | KS_ACCESS,
                    begin: Begin::Index(2),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                }],
                &[],
                "stream",
                "5.0.0",
                Some(streams::xinfo_stream),
                "Describes a stream, optionally in full detail."
            ),
        ]
    ),
    row!(
        "xsetid",
        -3,
        WRITE | DENYOOM | FAST,
        ACL_WRITE | ACL_STREAM | ACL_FAST,
        (1, 1, 1),
        &[KeySpec {
            notes: None,
            flags: KS_RW | KS_UPDATE,
            begin: Begin::Index(1),
            find: Find::Range {
                lastkey: 0,
                step: 1,
                limit: 0
            }
        }],
        &[],
        "stream",
        "5.0.0",
        Some(streams::xsetid),
        "Sets the last id and counters of a stream."
    ),
    // == end streams ==
    // == sort ==
    CommandSpec {
        key_finder: Some(sort::sort_keys),
        ..row!(
            "sort",
            -2,
            WRITE | DENYOOM | MOVABLE_KEYS,
            ACL_SET | ACL_SORTEDSET | ACL_LIST | ACL_DANGEROUS,
            (1, 1, 1),
            &[
                KeySpec {
                    notes: None,
                    flags: KS_RO | KS_ACCESS,
                    begin: Begin::Index(1),
                    find: Find::Range {
                        lastkey: 0,
                        step: 1,
                        limit: 0
                    }
                },
                KeySpec {
                    notes: Some("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"),
                    flags: KS_RO | KS_ACCESS,
                    begin: Begin::Unknown,
                    find: Find::Unknown
                },
                KeySpec {
                    notes: Some("For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array"),
                    flags: KS_OW | KS_UPDATE,
                    begin: Begin::Unknown,
                    find: Find::Unknown
                },
            ],
            &[],
            "generic",
            "1.0.0",
            Some(sort::sort),
            "Sorts a list, set or sorted set by value or by external weights, returning or storing the result."
        )
    },
    row!(
        "sort_ro",
        -2,
        READONLY | MOVABLE_KEYS,
        ACL_SET | ACL_SORTEDSET | ACL_LIST | ACL_DANGEROUS,
        (1, 1, 1),
        &[
            KeySpec {
                notes: None,
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Index(1),
                find: Find::Range {
                    lastkey: 0,
                    step: 1,
                    limit: 0
                }
            },
            KeySpec {
                notes: Some("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"),
                flags: KS_RO | KS_ACCESS,
                begin: Begin::Unknown,
                find: Find::Unknown
            },
        ],
        &[],
        "generic",
        "7.0.0",
        Some(sort::sort_ro),
        "Sorts a list, set or sorted set without storing anything, returning the result."
    ),
    // == end sort ==
];
