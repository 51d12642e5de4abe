//! The shape of a command-table row: flags, ACL categories, key specs, and
//! what is derived from them (implicit ACL categories, the legacy key range,
//! key extraction, the name lookup used by dispatch), plus the `row!` and
//! `ks!` macros the table is written with.

use std::sync::OnceLock;

use hashbrown::HashMap;

use super::{CmdError, Handler};

// Command flags, in the order Redis prints them in `COMMAND INFO`.
/// Modifies the keyspace.
pub const WRITE: u32 = 1 << 0;
/// Only reads.
pub const READONLY: u32 = 1 << 1;
/// Refused when over `maxmemory`.
pub const DENYOOM: u32 = 1 << 2;
/// Administrative.
pub const ADMIN: u32 = 1 << 3;
/// Publish/subscribe.
pub const PUBSUB: u32 = 1 << 4;
/// Not allowed from scripts.
pub const NOSCRIPT: u32 = 1 << 5;
/// May block the client.
pub const BLOCKING: u32 = 1 << 6;
/// Allowed while loading data.
pub const LOADING: u32 = 1 << 7;
/// Allowed on a stale replica.
pub const STALE: u32 = 1 << 8;
/// Not shown in MONITOR.
pub const SKIP_MONITOR: u32 = 1 << 9;
/// Not logged in the slow log.
pub const SKIP_SLOWLOG: u32 = 1 << 10;
/// Cluster: allowed on an importing slot after ASKING.
pub const ASKING: u32 = 1 << 11;
/// O(1) or O(log n).
pub const FAST: u32 = 1 << 12;
/// Allowed before authentication.
pub const NO_AUTH: u32 = 1 << 13;
/// May be called without any key.
pub const NO_MANDATORY_KEYS: u32 = 1 << 14;
/// Refused during asynchronous loading.
pub const NO_ASYNC_LOADING: u32 = 1 << 15;
/// Refused inside MULTI.
pub const NO_MULTI: u32 = 1 << 16;
/// Keys are found by a function, not by first/last/step.
pub const MOVABLE_KEYS: u32 = 1 << 17;
/// Allowed while a script is busy.
pub const ALLOW_BUSY: u32 = 1 << 18;

// Shoal's own flags: never printed (they are not in FLAG_NAMES), they tell
// dispatch how to run a row without a second list of command names.
/// Runs with every other command held back (`EXEC`: the transaction is atomic).
pub const EXCLUSIVE: u32 = 1 << 30;
/// Executed at once inside `MULTI` instead of being queued (`EXEC`,
/// `DISCARD`, `MULTI`, `WATCH`, `QUIT`, `RESET`), as Redis does.
pub const NOT_QUEUED: u32 = 1 << 29;
/// Allowed to a RESP2 client in subscribed mode (`(P)SUBSCRIBE`,
/// `(P)UNSUBSCRIBE`, `PING`, `QUIT`, `RESET`), as Redis's `processCommand`.
pub const SUBSCRIBED_OK: u32 = 1 << 28;

/// Flag names in Redis's `COMMAND INFO` order.
pub const FLAG_NAMES: &[(u32, &str)] = &[
    (WRITE, "write"),
    (READONLY, "readonly"),
    (DENYOOM, "denyoom"),
    (ADMIN, "admin"),
    (PUBSUB, "pubsub"),
    (NOSCRIPT, "noscript"),
    (BLOCKING, "blocking"),
    (LOADING, "loading"),
    (STALE, "stale"),
    (SKIP_MONITOR, "skip_monitor"),
    (SKIP_SLOWLOG, "skip_slowlog"),
    (ASKING, "asking"),
    (FAST, "fast"),
    (NO_AUTH, "no_auth"),
    (NO_MANDATORY_KEYS, "no_mandatory_keys"),
    (NO_ASYNC_LOADING, "no_async_loading"),
    (NO_MULTI, "no_multi"),
    (MOVABLE_KEYS, "movablekeys"),
    (ALLOW_BUSY, "allow_busy"),
];

// ACL categories, in Redis's order.
/// @keyspace
pub const ACL_KEYSPACE: u32 = 1 << 0;
/// @read
pub const ACL_READ: u32 = 1 << 1;
/// @write
pub const ACL_WRITE: u32 = 1 << 2;
/// @set
pub const ACL_SET: u32 = 1 << 3;
/// @sortedset
pub const ACL_SORTEDSET: u32 = 1 << 4;
/// @list
pub const ACL_LIST: u32 = 1 << 5;
/// @hash
pub const ACL_HASH: u32 = 1 << 6;
/// @string
pub const ACL_STRING: u32 = 1 << 7;
/// @bitmap
pub const ACL_BITMAP: u32 = 1 << 8;
/// @hyperloglog
pub const ACL_HYPERLOGLOG: u32 = 1 << 9;
/// @geo
pub const ACL_GEO: u32 = 1 << 10;
/// @stream
pub const ACL_STREAM: u32 = 1 << 11;
/// @pubsub
pub const ACL_PUBSUB: u32 = 1 << 12;
/// @admin
pub const ACL_ADMIN: u32 = 1 << 13;
/// @fast
pub const ACL_FAST: u32 = 1 << 14;
/// @slow
pub const ACL_SLOW: u32 = 1 << 15;
/// @blocking
pub const ACL_BLOCKING: u32 = 1 << 16;
/// @dangerous
pub const ACL_DANGEROUS: u32 = 1 << 17;
/// @connection
pub const ACL_CONNECTION: u32 = 1 << 18;
/// @transaction
pub const ACL_TRANSACTION: u32 = 1 << 19;
/// @scripting
pub const ACL_SCRIPTING: u32 = 1 << 20;

/// Category names in Redis's order.
pub const ACL_NAMES: &[(u32, &str)] = &[
    (ACL_KEYSPACE, "keyspace"),
    (ACL_READ, "read"),
    (ACL_WRITE, "write"),
    (ACL_SET, "set"),
    (ACL_SORTEDSET, "sortedset"),
    (ACL_LIST, "list"),
    (ACL_HASH, "hash"),
    (ACL_STRING, "string"),
    (ACL_BITMAP, "bitmap"),
    (ACL_HYPERLOGLOG, "hyperloglog"),
    (ACL_GEO, "geo"),
    (ACL_STREAM, "stream"),
    (ACL_PUBSUB, "pubsub"),
    (ACL_ADMIN, "admin"),
    (ACL_FAST, "fast"),
    (ACL_SLOW, "slow"),
    (ACL_BLOCKING, "blocking"),
    (ACL_DANGEROUS, "dangerous"),
    (ACL_CONNECTION, "connection"),
    (ACL_TRANSACTION, "transaction"),
    (ACL_SCRIPTING, "scripting"),
];

// Key-spec flags, in Redis's order.
/// Read-only access.
pub const KS_RO: u32 = 1 << 0;
/// Read-write access.
pub const KS_RW: u32 = 1 << 1;
/// Overwrite.
pub const KS_OW: u32 = 1 << 2;
/// Removal.
pub const KS_RM: u32 = 1 << 3;
/// Returns user data.
pub const KS_ACCESS: u32 = 1 << 4;
/// Updates data.
pub const KS_UPDATE: u32 = 1 << 5;
/// Adds data.
pub const KS_INSERT: u32 = 1 << 6;
/// Deletes data.
pub const KS_DELETE: u32 = 1 << 7;
/// Not a key.
pub const KS_NOT_KEY: u32 = 1 << 8;
/// May miss keys.
pub const KS_INCOMPLETE: u32 = 1 << 9;
/// Flags depend on arguments.
pub const KS_VARIABLE_FLAGS: u32 = 1 << 10;

/// Key-spec flag names in Redis's order.
pub const KS_NAMES: &[(u32, &str)] = &[
    (KS_RO, "RO"),
    (KS_RW, "RW"),
    (KS_OW, "OW"),
    (KS_RM, "RM"),
    (KS_ACCESS, "access"),
    (KS_UPDATE, "update"),
    (KS_INSERT, "insert"),
    (KS_DELETE, "delete"),
    (KS_NOT_KEY, "not_key"),
    (KS_INCOMPLETE, "incomplete"),
    (KS_VARIABLE_FLAGS, "variable_flags"),
];

/// Where the search for keys begins.
#[derive(Debug, Clone, Copy)]
pub enum Begin {
    /// At a fixed argument index.
    Index(i32),
    /// After a keyword, searched from `startfrom` (negative: from the end).
    Keyword { keyword: &'static str, startfrom: i32 },
    /// Unknown (the command extracts keys itself).
    Unknown,
}

/// How keys are found after the beginning.
#[derive(Debug, Clone, Copy)]
pub enum Find {
    /// A range: `lastkey` relative to the start (negative: from the end).
    Range { lastkey: i32, step: i32, limit: i32 },
    /// A count argument followed by keys.
    Keynum { keynumidx: i32, firstkey: i32, step: i32 },
    /// Unknown.
    Unknown,
}

/// One key specification, as Redis 7 describes keys.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    /// Free-form note, as Redis publishes it.
    pub notes: Option<&'static str>,
    /// `KS_*` flags.
    pub flags: u32,
    /// Begin search.
    pub begin: Begin,
    /// Find keys.
    pub find: Find,
}

/// One row of the command table.
#[derive(Debug)]
pub struct CommandSpec {
    /// Lower-case name; subcommands are `parent|sub`.
    pub name: &'static str,
    /// Redis arity: positive = exact argument count (with the name), negative = at least.
    pub arity: i32,
    /// Command flags.
    pub flags: u32,
    /// Explicit ACL categories (implicit ones derive from `flags`).
    pub acl: u32,
    /// Legacy first key position (`COMMAND INFO`), derived from `key_specs` by [`legacy_range`].
    pub first: i32,
    /// Legacy last key position, derived from `key_specs` by [`legacy_range`].
    pub last: i32,
    /// Legacy key step, derived from `key_specs` by [`legacy_range`].
    pub step: i32,
    /// Key specifications.
    pub key_specs: &'static [KeySpec],
    /// Command tips (`request_policy:...`, `nondeterministic_output`, ...).
    pub tips: &'static [&'static str],
    /// Documentation group.
    pub group: &'static str,
    /// Version that introduced it.
    pub since: &'static str,
    /// Our one-line summary.
    pub summary: &'static str,
    /// The handler; `None` for a pure container of subcommands.
    pub handler: Option<Handler>,
    /// Subcommands.
    pub subcommands: &'static [CommandSpec],
    /// Finds the keys itself where the key specs cannot (Redis's
    /// `getkeys_proc`, e.g. `SORT ... STORE`); `None` for most rows.
    pub key_finder: Option<KeyFinder>,
}

/// A row's own key extraction: (argc, argument by index) to (index, `KS_*` flags) pairs.
pub type KeyFinder = fn(usize, &dyn Fn(usize) -> Vec<u8>) -> Vec<(usize, u32)>;

/// Redis's legacy `(first, last, step)` for a row's key specs, derived as
/// Redis's `populateCommandLegacyRangeSpec` does: a lone `Index` + `Range`
/// spec is taken as it is (its step included); otherwise the `Index` +
/// `Range` specs of step 1 that follow one another are merged into one range
/// of step 1, and the rest (keyword, keynum, unknown, gaps) are skipped,
/// which is why movable-key commands report `(0, 0, 0)` or only their fixed
/// part. `last` is absolute, or negative (counted from the end) as in Redis.
pub const fn legacy_range(specs: &[KeySpec]) -> (i32, i32, i32) {
    if let [KeySpec {
        begin: Begin::Index(pos),
        find: Find::Range { lastkey, step, .. },
        ..
    }] = specs
    {
        return (*pos, if *lastkey >= 0 { *lastkey + *pos } else { *lastkey }, *step);
    }
    let mut first = i32::MAX;
    let mut last = 0i32;
    let mut prev_last = 0i32;
    let mut i = 0;
    while i < specs.len() {
        if let KeySpec {
            begin: Begin::Index(pos),
            find: Find::Range { lastkey, step: 1, .. },
            ..
        } = specs[i]
        {
            if prev_last == 0 || prev_last == pos - 1 {
                if pos < first {
                    first = pos;
                }
                let abs = if lastkey >= 0 { lastkey + pos } else { lastkey };
                // Redis compares unsigned, so a negative (from the end) last wins.
                if abs as u32 > last as u32 {
                    last = abs;
                }
                prev_last = last;
            }
        }
        i += 1;
    }
    if first == i32::MAX {
        (0, 0, 0)
    } else {
        (first, last, 1)
    }
}

/// One key spec in a line: `ks!(RO | ACCESS, key 1)` (the one key at
/// argument 1), `ks!(FLAGS, idx I, range LASTKEY STEP LIMIT)`,
/// `ks!(FLAGS, idx I, keynum KEYNUMIDX FIRSTKEY STEP)`,
/// `ks!(FLAGS, kw "KEYWORD" STARTFROM, range LASTKEY STEP LIMIT)` or
/// `ks!(FLAGS, unknown)`, each optionally followed by `, "notes"`. FLAGS are
/// the `KS_*` names without their prefix.
macro_rules! ks {
    ($($f:ident)|+, key $i:literal $(, $notes:literal)?) => {
        ks!(@spec [$($f)|+] [$($notes)?] $crate::commands::spec::Begin::Index($i),
            $crate::commands::spec::Find::Range { lastkey: 0, step: 1, limit: 0 })
    };
    ($($f:ident)|+, idx $i:literal, range $l:literal $s:literal $m:literal $(, $notes:literal)?) => {
        ks!(@spec [$($f)|+] [$($notes)?] $crate::commands::spec::Begin::Index($i),
            $crate::commands::spec::Find::Range { lastkey: $l, step: $s, limit: $m })
    };
    ($($f:ident)|+, idx $i:literal, keynum $k:literal $fk:literal $s:literal $(, $notes:literal)?) => {
        ks!(@spec [$($f)|+] [$($notes)?] $crate::commands::spec::Begin::Index($i),
            $crate::commands::spec::Find::Keynum { keynumidx: $k, firstkey: $fk, step: $s })
    };
    ($($f:ident)|+, kw $kw:literal $from:literal, range $l:literal $s:literal $m:literal $(, $notes:literal)?) => {
        ks!(@spec [$($f)|+] [$($notes)?]
            $crate::commands::spec::Begin::Keyword { keyword: $kw, startfrom: $from },
            $crate::commands::spec::Find::Range { lastkey: $l, step: $s, limit: $m })
    };
    ($($f:ident)|+, unknown $(, $notes:literal)?) => {
        ks!(@spec [$($f)|+] [$($notes)?] $crate::commands::spec::Begin::Unknown,
            $crate::commands::spec::Find::Unknown)
    };
    (@spec [$($f:ident)|+] [$($notes:literal)?] $begin:expr, $find:expr) => {
        $crate::commands::spec::KeySpec {
            notes: ks!(@notes $($notes)?),
            flags: 0 $(| ks!(@flag $f))+,
            begin: $begin,
            find: $find,
        }
    };
    (@notes) => { None };
    (@notes $notes:literal) => { Some($notes) };
    (@flag RO) => { $crate::commands::spec::KS_RO };
    (@flag RW) => { $crate::commands::spec::KS_RW };
    (@flag OW) => { $crate::commands::spec::KS_OW };
    (@flag RM) => { $crate::commands::spec::KS_RM };
    (@flag ACCESS) => { $crate::commands::spec::KS_ACCESS };
    (@flag UPDATE) => { $crate::commands::spec::KS_UPDATE };
    (@flag INSERT) => { $crate::commands::spec::KS_INSERT };
    (@flag DELETE) => { $crate::commands::spec::KS_DELETE };
    (@flag NOT_KEY) => { $crate::commands::spec::KS_NOT_KEY };
    (@flag INCOMPLETE) => { $crate::commands::spec::KS_INCOMPLETE };
    (@flag VARIABLE_FLAGS) => { $crate::commands::spec::KS_VARIABLE_FLAGS };
}
pub(crate) use ks;

/// Declares one table row in a line:
/// `row!(name, arity, flags, acl, [key specs], [tips], group, since, handler, summary)`,
/// where `handler` is a path or `None` (a pure container), optionally
/// followed by `, finder path` (a [`KeyFinder`]) and by `, [subcommand rows]`.
/// The legacy `(first, last, step)` are derived from the key specs by
/// [`legacy_range`] at compile time.
macro_rules! row {
    ($name:literal, $arity:literal, $flags:expr, $acl:expr, [$($ks:expr),* $(,)?], [$($tip:literal),* $(,)?],
     $group:literal, $since:literal, $($handler:ident)::+, $summary:literal
     $(, finder $($finder:ident)::+)? $(, [$($sub:expr),* $(,)?])?) => {{
        const KEY_SPECS: &[$crate::commands::spec::KeySpec] = &[$($ks),*];
        const LEGACY: (i32, i32, i32) = $crate::commands::spec::legacy_range(KEY_SPECS);
        $crate::commands::spec::CommandSpec {
            name: $name,
            arity: $arity,
            flags: $flags,
            acl: $acl,
            first: LEGACY.0,
            last: LEGACY.1,
            step: LEGACY.2,
            key_specs: KEY_SPECS,
            tips: &[$($tip),*],
            group: $group,
            since: $since,
            summary: $summary,
            handler: row!(@handler $($handler)::+),
            subcommands: &[$($($sub),*)?],
            key_finder: row!(@finder $($($finder)::+)?),
        }
    }};
    (@handler None) => { None };
    (@handler $($handler:ident)::+) => { Some($($handler)::+) };
    (@finder) => { None };
    (@finder $($finder:ident)::+) => { Some($($finder)::+) };
}
pub(crate) use row;

impl CommandSpec {
    /// Whether the flag is set.
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    /// All ACL categories: explicit plus those implied by the flags, as Redis
    /// derives them.
    pub fn acl_categories(&self) -> u32 {
        let mut c = self.acl;
        if self.has(WRITE) {
            c |= ACL_WRITE;
        }
        if self.has(READONLY) && self.acl & ACL_SCRIPTING == 0 {
            c |= ACL_READ;
        }
        if self.has(ADMIN) {
            c |= ACL_ADMIN | ACL_DANGEROUS;
        }
        if self.has(PUBSUB) {
            c |= ACL_PUBSUB;
        }
        if self.has(FAST) {
            c |= ACL_FAST;
        }
        if self.has(BLOCKING) {
            c |= ACL_BLOCKING;
        }
        if !self.has(FAST) {
            c |= ACL_SLOW;
        }
        c
    }

    /// The name as Redis prints it in errors (`config|get`).
    pub fn full_name(&self) -> &'static str {
        self.name
    }

    /// Whether `argc` arguments (name included) satisfy the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let a = self.arity;
        (a > 0 && argc == a as usize) || (a < 0 && argc >= (-a) as usize)
    }

    /// Key positions in `argv` from the key specs (argv[0] is the name).
    /// Returns (index, spec flags) pairs. Errors only for malformed keynum args.
    pub fn key_positions(
        &self,
        argv_len: usize,
        arg: impl Fn(usize) -> Vec<u8>,
    ) -> Result<Vec<(usize, u32)>, CmdError> {
        if let Some(find) = self.key_finder {
            return Ok(find(argv_len, &arg));
        }
        let mut out = Vec::new();
        let argc = argv_len as i32;
        for ks in self.key_specs {
            let start = match ks.begin {
                Begin::Index(i) => i,
                Begin::Keyword { keyword, startfrom } => {
                    let mut found = None;
                    if startfrom >= 0 {
                        let mut i = startfrom;
                        while i < argc {
                            if arg(i as usize).eq_ignore_ascii_case(keyword.as_bytes()) {
                                found = Some(i + 1);
                                break;
                            }
                            i += 1;
                        }
                    } else {
                        let mut i = argc + startfrom;
                        while i > 0 {
                            if arg(i as usize).eq_ignore_ascii_case(keyword.as_bytes()) {
                                found = Some(i + 1);
                                break;
                            }
                            i -= 1;
                        }
                    }
                    match found {
                        Some(i) => i,
                        None => continue,
                    }
                }
                Begin::Unknown => continue,
            };
            if start >= argc {
                continue;
            }
            match ks.find {
                Find::Range { lastkey, step, limit } => {
                    let last = if lastkey >= 0 {
                        start + lastkey
                    } else if limit <= 1 {
                        argc + lastkey
                    } else {
                        start + (argc - start) / limit + lastkey
                    };
                    let step = step.max(1);
                    let mut i = start;
                    while i <= last && i < argc {
                        out.push((i as usize, ks.flags));
                        i += step;
                    }
                }
                Find::Keynum {
                    keynumidx,
                    firstkey,
                    step,
                } => {
                    let idx = start + keynumidx;
                    if idx >= argc {
                        continue;
                    }
                    let n = crate::num::parse_ll(&arg(idx as usize))
                        .filter(|n| *n >= 0)
                        .ok_or(CmdError::InvalidKeyCount)?;
                    let first = start + firstkey;
                    let step = step.max(1);
                    for j in 0..n as i32 {
                        let i = first + j * step;
                        if i >= argc {
                            return Err(CmdError::InvalidKeyCount);
                        }
                        out.push((i as usize, ks.flags));
                    }
                }
                Find::Unknown => {}
            }
        }
        Ok(out)
    }
}

/// Name → row index over the whole table, built once.
pub struct Lookup {
    map: HashMap<Vec<u8>, &'static CommandSpec>,
}

static LOOKUP: OnceLock<Lookup> = OnceLock::new();

impl Lookup {
    /// The lookup over [`super::table::COMMANDS`].
    pub fn get() -> &'static Lookup {
        LOOKUP.get_or_init(|| {
            let mut map = HashMap::new();
            for c in super::table::COMMANDS {
                map.insert(c.name.as_bytes().to_vec(), c);
                for s in c.subcommands {
                    map.insert(s.name.as_bytes().to_vec(), s);
                }
            }
            crate::node::clients::set_command_names(super::call::row_name);
            Lookup { map }
        })
    }

    /// Finds a command by name, case-insensitively, without allocating for
    /// names of ordinary length.
    pub fn command(&self, name: &[u8]) -> Option<&'static CommandSpec> {
        let mut buf = [0u8; 32];
        if name.len() > buf.len() {
            return None;
        }
        let lower = &mut buf[..name.len()];
        lower.copy_from_slice(name);
        lower.make_ascii_lowercase();
        self.map.get(&lower[..]).copied()
    }

    /// Finds `parent|sub`.
    pub fn subcommand(&self, parent: &CommandSpec, sub: &[u8]) -> Option<&'static CommandSpec> {
        let mut buf = [0u8; 64];
        let plen = parent.name.len();
        if plen + 1 + sub.len() > buf.len() {
            return None;
        }
        buf[..plen].copy_from_slice(parent.name.as_bytes());
        buf[plen] = b'|';
        buf[plen + 1..plen + 1 + sub.len()].copy_from_slice(sub);
        let lower = &mut buf[..plen + 1 + sub.len()];
        lower.make_ascii_lowercase();
        self.map.get(&lower[..]).copied()
    }

    /// Every top-level row.
    pub fn all(&self) -> &'static [CommandSpec] {
        super::table::COMMANDS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_range_takes_a_lone_range_spec_as_it_is() {
        // MSET: every other argument from 1 to the end.
        assert_eq!(legacy_range(&[ks!(OW | UPDATE, idx 1, range -1 2 0)]), (1, -1, 2));
        assert_eq!(legacy_range(&[ks!(RO | ACCESS, idx 1, range 1 1 0)]), (1, 2, 1));
        assert_eq!(legacy_range(&[]), (0, 0, 0));
    }

    #[test]
    fn legacy_range_merges_consecutive_specs_and_skips_movable_ones() {
        // LMOVE: source then destination.
        assert_eq!(
            legacy_range(&[ks!(RW | ACCESS | DELETE, key 1), ks!(RW | INSERT, key 2)]),
            (1, 2, 1)
        );
        // A gap: the second spec does not follow the first, so Redis leaves it out.
        assert_eq!(
            legacy_range(&[ks!(RW | DELETE, key 1), ks!(RW | INSERT, key 3)]),
            (1, 1, 1)
        );
        // ZUNIONSTORE: the destination only; the keynum spec is movable.
        assert_eq!(
            legacy_range(&[ks!(OW | UPDATE, key 1), ks!(RO | ACCESS, idx 2, keynum 0 1 1)]),
            (1, 1, 1)
        );
        // XREAD: keyword-found keys give no legacy range at all.
        assert_eq!(
            legacy_range(&[ks!(RO | ACCESS, kw "STREAMS" 1, range -1 1 2)]),
            (0, 0, 0)
        );
        // SORT: the sorted key, then unknown BY/GET and STORE keys.
        assert_eq!(
            legacy_range(&[ks!(RO | ACCESS, key 1), ks!(RO | ACCESS, unknown)]),
            (1, 1, 1)
        );
    }
}
