//! THE command table: every command and subcommand Shoal serves, declared
//! once. Dispatch, arity errors, `COMMAND` and its subcommands, ACL
//! categories and key extraction all read these rows; nothing else keeps a
//! list of commands. Arity, flags, key specs, tips, group and since-version are
//! Redis's facts (checked against a real `redis-server` by
//! `tests/it/command_table.rs`); summaries are our own words.

use super::spec::*;
use super::{command, connection, keys, server, strings};
// family imports: each family's `use super::<family>;` goes under its marker
use super::transactions;
// imports: hashes
// imports: lists
use super::lists;
// imports: sets
// imports: zsets
// imports: geo
// imports: bitmaps
// imports: hyperloglog
// imports: streams
// imports: sort

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
    // == end sets ==
    // == zsets ==
    // == end zsets ==
    // == geo ==
    // == end geo ==
    // == bitmaps ==
    // == end bitmaps ==
    // == hyperloglog ==
    // == end hyperloglog ==
    // == streams ==
    // == end streams ==
    // == sort ==
    // == end sort ==
];
