//! The command table against the oracle: `COMMAND INFO` of every row and
//! subrow byte for byte (RESP2 and RESP3), plus COUNT, DOCS, LIST and
//! GETKEYS.
//!
//! Redis nests subcommands in hash-table order, which its random hash seed
//! changes from process to process, so subcommand arrays are put in name
//! order on both sides before the bytes are compared. Nothing else is
//! normalised.

use std::collections::BTreeSet;

use shoal::commands::spec::{CommandSpec, Lookup, ACL_NAMES};

use crate::support::{show, Pair};

/// Rows of Redis 7.2 and 7.4 that the 7.0 oracle does not know.
const NEWER_THAN_ORACLE: &[&str] = &[
    "client|no-touch",
    "client|setinfo",
    // Redis 7.4's hash-field TTLs.
    "hexpire",
    "hpexpire",
    "hexpireat",
    "hpexpireat",
    "httl",
    "hpttl",
    "hexpiretime",
    "hpexpiretime",
    "hpersist",
];

/// Rows whose arity Redis 7.2 changed: (name, the 7.0 oracle's arity,
/// Redis 7.2's, which we have because we report 7.2 and clients send the
/// new form). Everything else of these rows is compared as usual.
const ARITY_CHANGED_SINCE_ORACLE: &[(&str, i64, i64)] = &[
    // ZRANK/ZREVRANK ... WITHSCORE.
    ("zrank", 3, -3),
    ("zrevrank", 3, -3),
];

/// A parsed reply that re-encodes to the exact bytes it came from.
#[derive(Debug, Clone)]
enum Resp {
    /// A non-aggregate reply: its raw bytes.
    Leaf(Vec<u8>),
    /// An aggregate: its header line (type byte and count) and its items.
    Agg { header: Vec<u8>, items: Vec<Resp> },
}

impl Resp {
    fn parse(buf: &[u8]) -> Resp {
        let (v, used) = Resp::parse_at(buf, 0);
        assert_eq!(used, buf.len(), "trailing bytes after reply: {}", show(buf));
        v
    }

    fn parse_at(buf: &[u8], at: usize) -> (Resp, usize) {
        let end = at + buf[at..].windows(2).position(|w| w == b"\r\n").unwrap();
        let kind = buf[at];
        let header = &buf[at..end + 2];
        let n: i64 = std::str::from_utf8(&buf[at + 1..end]).unwrap().parse().unwrap_or(-1);
        match kind {
            b'*' | b'~' | b'%' | b'>' if n >= 0 => {
                let count = if kind == b'%' { 2 * n } else { n };
                let mut pos = end + 2;
                let mut items = Vec::new();
                for _ in 0..count {
                    let (item, next) = Resp::parse_at(buf, pos);
                    items.push(item);
                    pos = next;
                }
                (
                    Resp::Agg {
                        header: header.to_vec(),
                        items,
                    },
                    pos,
                )
            }
            b'$' | b'=' if n >= 0 => {
                let stop = end + 2 + n as usize + 2;
                (Resp::Leaf(buf[at..stop].to_vec()), stop)
            }
            _ => (Resp::Leaf(header.to_vec()), end + 2),
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Resp::Leaf(b) => out.extend_from_slice(b),
            Resp::Agg { header, items } => {
                out.extend_from_slice(header);
                for i in items {
                    i.encode(out);
                }
            }
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    fn items(&self) -> &[Resp] {
        match self {
            Resp::Agg { items, .. } => items,
            Resp::Leaf(b) => panic!("expected an aggregate, got {}", show(b)),
        }
    }

    /// The text of a bulk or simple string.
    fn text(&self) -> String {
        match self {
            Resp::Leaf(b) => {
                let s = String::from_utf8_lossy(b).into_owned();
                match s.as_bytes().first() {
                    Some(b'$') => s.split_once("\r\n").unwrap().1.trim_end_matches("\r\n").to_string(),
                    _ => s[1..].trim_end_matches("\r\n").to_string(),
                }
            }
            Resp::Agg { .. } => panic!("expected a string, got an aggregate"),
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Resp::Leaf(b) if b == b"$-1\r\n" || b == b"*-1\r\n" || b == b"_\r\n")
    }

    /// Looks a key up in a map (RESP3) or a flat key/value array (RESP2).
    fn field(&self, key: &str) -> Option<&Resp> {
        self.items().chunks(2).find(|kv| kv[0].text() == key).map(|kv| &kv[1])
    }

    /// A `COMMAND INFO` entry with its subcommands (element 9) in name order,
    /// recursively, keeping only the subcommands `keep` accepts.
    fn canonical_info(&self, keep: &dyn Fn(&str) -> bool) -> Resp {
        let Resp::Agg { header, items } = self else {
            return self.clone();
        };
        let mut items = items.clone();
        if items.len() == 10 {
            if let Resp::Agg {
                header: sub_header,
                items: subs,
            } = &items[9]
            {
                let mut subs: Vec<Resp> = subs
                    .iter()
                    .filter(|s| keep(&s.items()[0].text()))
                    .map(|s| s.canonical_info(keep))
                    .collect();
                subs.sort_by_key(|s| s.items()[0].text());
                let sub_header = if sub_header.starts_with(b"*") {
                    format!("*{}\r\n", subs.len()).into_bytes()
                } else {
                    sub_header.clone()
                };
                items[9] = Resp::Agg {
                    header: sub_header,
                    items: subs,
                };
            }
        }
        Resp::Agg {
            header: header.clone(),
            items,
        }
    }

    /// Names of the subcommands of a `COMMAND INFO` entry.
    fn subcommand_names(&self) -> BTreeSet<String> {
        self.items()[9].items().iter().map(|s| s.items()[0].text()).collect()
    }
}

/// Every row and subrow of the table.
fn all_rows() -> Vec<&'static CommandSpec> {
    let mut rows = Vec::new();
    for spec in Lookup::get().all() {
        rows.push(spec);
        rows.extend(spec.subcommands.iter());
    }
    rows
}

fn names_of(reply: &[u8]) -> BTreeSet<String> {
    Resp::parse(reply).items().iter().map(Resp::text).collect()
}

fn compare_info_of_every_row(p: &mut Pair) {
    let mut compared = 0;
    for row in all_rows() {
        let (s, r) = p.both(&["COMMAND", "INFO", row.name]);
        let (s, r) = (Resp::parse(&s), Resp::parse(&r));
        let (s, mut r) = (&s.items()[0], r.items()[0].clone());
        if let Some(&(_, old, new)) = ARITY_CHANGED_SINCE_ORACLE.iter().find(|c| c.0 == row.name) {
            let Resp::Agg { items, .. } = &mut r else {
                panic!("the oracle does not know {}", row.name)
            };
            assert_eq!(
                items[1].bytes(),
                format!(":{old}\r\n").into_bytes(),
                "the oracle's arity of {} is no longer {old}",
                row.name
            );
            items[1] = Resp::Leaf(format!(":{new}\r\n").into_bytes());
        }
        let r = &r;
        if NEWER_THAN_ORACLE.contains(&row.name) {
            assert!(
                r.is_null(),
                "the oracle knows {}; compare it instead of skipping",
                row.name
            );
            continue;
        }
        assert!(!r.is_null(), "the oracle does not know {}", row.name);
        // A container is compared on the subcommands both servers have; each
        // subcommand is also compared on its own as a row, and every one we
        // have must exist in the oracle (or be newer than it).
        let (ours, theirs) = (s.subcommand_names(), r.subcommand_names());
        for name in &ours {
            assert!(
                theirs.contains(name) || NEWER_THAN_ORACLE.contains(&name.as_str()),
                "{name} is a subcommand the oracle does not have"
            );
        }
        let shared = |name: &str| ours.contains(name) && theirs.contains(name);
        assert_eq!(
            show(&s.canonical_info(&shared).bytes()),
            show(&r.canonical_info(&shared).bytes()),
            "COMMAND INFO {} differs (left: shoal, right: redis)",
            row.name
        );
        compared += 1;
    }
    assert!(compared + NEWER_THAN_ORACLE.len() >= all_rows().len());
}

#[test]
fn command_info_of_every_row_matches_the_oracle_in_resp2() {
    let mut p = Pair::start();
    compare_info_of_every_row(&mut p);
}

#[test]
fn command_info_of_every_row_matches_the_oracle_in_resp3() {
    let mut p = Pair::start();
    p.hello3();
    let (s, _) = p.both(&["COMMAND", "INFO", "get"]);
    assert!(
        s.starts_with(b"*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~"),
        "shoal did not switch to RESP3: {}",
        show(&s)
    );
    compare_info_of_every_row(&mut p);
}

#[test]
fn command_info_accepts_several_names_upper_case_and_pipe_names() {
    let mut p = Pair::start();
    p.check(&[
        &["COMMAND", "INFO", "GET", "nosuch", "Set"],
        &["COMMAND", "INFO", "CONFIG|GET", "client|list"],
        &["COMMAND", "INFO", "get|x", "client|", "client|list|x", "|"],
    ]);
    p.hello3();
    p.check(&[&["COMMAND", "INFO", "nosuch", "get"]]);
}

#[test]
fn command_and_command_info_without_names_describe_every_top_level_row() {
    let mut p = Pair::start();
    let top = Lookup::get().all();
    for cmd in [&["COMMAND"][..], &["COMMAND", "INFO"][..]] {
        let reply = Resp::parse(&p.s.cmd(cmd));
        assert_eq!(reply.items().len(), top.len());
        for (entry, spec) in reply.items().iter().zip(top) {
            let single = Resp::parse(&p.s.cmd(&["COMMAND", "INFO", spec.name]));
            assert_eq!(show(&entry.bytes()), show(&single.items()[0].bytes()));
        }
    }
}

#[test]
fn command_count_is_the_number_of_top_level_rows() {
    let mut p = Pair::start();
    let (s, _) = p.both(&["COMMAND", "COUNT"]);
    assert_eq!(s, format!(":{}\r\n", Lookup::get().all().len()).into_bytes());
    p.check(&[&["COMMAND", "COUNT", "extra"]]);
}

#[test]
fn command_docs_has_our_summary_and_the_oracle_s_since_and_group_for_every_row() {
    let mut p = Pair::start();
    for resp3 in [false, true] {
        if resp3 {
            p.hello3();
        }
        for row in all_rows() {
            let (s, r) = p.both(&["COMMAND", "DOCS", row.name]);
            let s = Resp::parse(&s);
            let doc = s.field(row.name).unwrap_or_else(|| panic!("no docs for {}", row.name));
            let summary = doc.field("summary").unwrap().text();
            assert!(!summary.is_empty(), "{} has no summary", row.name);
            assert_eq!(summary, row.summary);
            assert!(doc.field("complexity").is_none());
            if !row.subcommands.is_empty() {
                let subs = doc.field("subcommands").unwrap();
                let names: BTreeSet<String> = subs.items().chunks(2).map(|kv| kv[0].text()).collect();
                let want: BTreeSet<String> = row.subcommands.iter().map(|s| s.name.to_string()).collect();
                assert_eq!(names, want);
            }
            if NEWER_THAN_ORACLE.contains(&row.name) {
                continue;
            }
            let r = Resp::parse(&r);
            let oracle_doc = r
                .field(row.name)
                .unwrap_or_else(|| panic!("the oracle has no docs for {}", row.name));
            for key in ["since", "group"] {
                assert_eq!(
                    doc.field(key).map(Resp::text),
                    oracle_doc.field(key).map(Resp::text),
                    "{key} of {}",
                    row.name
                );
            }
        }
    }
}

#[test]
fn command_docs_skips_unknown_names_and_documents_everything_without_names() {
    let mut p = Pair::start();
    p.check(&[
        &["COMMAND", "DOCS", "nosuch"],
        &["COMMAND", "DOCS", "get|x", "nosuch|x"],
    ]);
    let reply = Resp::parse(&p.s.cmd(&["COMMAND", "DOCS", "nosuch", "GET", "client|list"]));
    let keys: Vec<String> = reply.items().chunks(2).map(|kv| kv[0].text()).collect();
    assert_eq!(keys, ["get", "client|list"]);
    let all = Resp::parse(&p.s.cmd(&["COMMAND", "DOCS"]));
    assert_eq!(all.items().len(), 2 * Lookup::get().all().len());
}

#[test]
fn command_getkeys_matches_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["COMMAND", "GETKEYS", "SET", "k", "v"],
        &["COMMAND", "GETKEYS", "set", "k", "v", "GET", "EX", "10"],
        &["COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2", "c", "3"],
        &["COMMAND", "GETKEYS", "MSET", "a", "1", "b"],
        &["COMMAND", "GETKEYS", "MGET", "a", "b", "c"],
        &["COMMAND", "GETKEYS", "COPY", "src", "dst", "DB", "1", "REPLACE"],
        &["COMMAND", "GETKEYS", "RENAME", "from", "to"],
        &["COMMAND", "GETKEYS", "GET", "k"],
        &[
            "COMMAND", "GETKEYS", "DEL", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
        ],
        &["COMMAND", "GETKEYS", "OBJECT", "ENCODING", "k"],
        &["COMMAND", "GETKEYS", "EXPIRE", "k", "10", "NX"],
        &["COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v", "GET"],
        &["COMMAND", "GETKEYSANDFLAGS", "COPY", "a", "b"],
        &["COMMAND", "GETKEYSANDFLAGS", "RENAME", "a", "b"],
        &["COMMAND", "GETKEYSANDFLAGS", "MSET", "a", "1", "b", "2"],
        &["COMMAND", "GETKEYSANDFLAGS", "GETDEL", "a"],
        &["COMMAND", "GETKEYSANDFLAGS", "LCS", "a", "b"],
    ]);
    p.hello3();
    p.check(&[
        &["COMMAND", "GETKEYS", "MGET", "a", "b"],
        &["COMMAND", "GETKEYSANDFLAGS", "RENAME", "a", "b"],
    ]);
}

#[test]
fn command_getkeys_errors_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["COMMAND", "GETKEYS", "nosuch", "a"],
        &["COMMAND", "GETKEYS", "client|list", "x"],
        &["COMMAND", "GETKEYS", "client", "nosuch"],
        &["COMMAND", "GETKEYS", "object", "nosuch", "k"],
        &["COMMAND", "GETKEYS", "PING", "x"],
        &["COMMAND", "GETKEYS", "client", "list"],
        &["COMMAND", "GETKEYS", "GET", "a", "b"],
        &["COMMAND", "GETKEYS", "MSET", "a"],
        &["COMMAND", "GETKEYS", "GET"],
        &["COMMAND", "GETKEYS"],
        &["COMMAND", "GETKEYSANDFLAGS", "nosuch", "a"],
        &["COMMAND", "GETKEYSANDFLAGS", "PING", "x"],
        &["COMMAND", "GETKEYSANDFLAGS", "GET", "a", "b"],
    ]);
}

#[test]
fn command_list_names_every_row_the_oracle_knows() {
    let mut p = Pair::start();
    let (s, r) = p.both(&["COMMAND", "LIST"]);
    let (ours, theirs) = (names_of(&s), names_of(&r));
    let rows: BTreeSet<String> = all_rows().iter().map(|r| r.name.to_string()).collect();
    assert_eq!(ours, rows);
    for name in &ours {
        assert!(
            theirs.contains(name) || NEWER_THAN_ORACLE.contains(&name.as_str()),
            "{name}"
        );
    }
}

#[test]
fn command_list_filterby_aclcat_agrees_with_the_oracle_on_our_rows() {
    let mut p = Pair::start();
    let rows: BTreeSet<String> = all_rows().iter().map(|r| r.name.to_string()).collect();
    let mut categories: Vec<&str> = ACL_NAMES.iter().map(|(_, n)| *n).collect();
    categories.extend(["READ", "nosuch"]);
    for cat in categories {
        let (s, r) = p.both(&["COMMAND", "LIST", "FILTERBY", "ACLCAT", cat]);
        let (ours, theirs) = (names_of(&s), names_of(&r));
        for name in &ours {
            assert!(
                theirs.contains(name) || NEWER_THAN_ORACLE.contains(&name.as_str()),
                "@{cat}: we list {name}, the oracle does not"
            );
        }
        let expected: BTreeSet<String> = theirs.intersection(&rows).cloned().collect();
        let ours_known: BTreeSet<String> = ours
            .iter()
            .filter(|n| !NEWER_THAN_ORACLE.contains(&n.as_str()))
            .cloned()
            .collect();
        assert_eq!(ours_known, expected, "@{cat}");
    }
}

#[test]
fn command_list_filterby_pattern_agrees_with_the_oracle_on_our_rows() {
    let mut p = Pair::start();
    let rows: BTreeSet<String> = all_rows().iter().map(|r| r.name.to_string()).collect();
    for pattern in [
        "*",
        "get*",
        "*GET*",
        "?et",
        "[gs]et",
        "[^g]et",
        "client|*",
        "CONFIG|?et",
        "*|help",
        "nosuch*",
        "x\\*",
    ] {
        let (s, r) = p.both(&["COMMAND", "LIST", "FILTERBY", "PATTERN", pattern]);
        let (ours, theirs) = (names_of(&s), names_of(&r));
        for name in &ours {
            assert!(
                theirs.contains(name) || NEWER_THAN_ORACLE.contains(&name.as_str()),
                "{pattern}: we list {name}, the oracle does not"
            );
        }
        let expected: BTreeSet<String> = theirs.intersection(&rows).cloned().collect();
        let ours_known: BTreeSet<String> = ours
            .iter()
            .filter(|n| !NEWER_THAN_ORACLE.contains(&n.as_str()))
            .cloned()
            .collect();
        assert_eq!(ours_known, expected, "pattern {pattern}");
    }
}

#[test]
fn command_list_syntax_and_module_filter_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["COMMAND", "LIST", "FILTERBY", "MODULE", "nosuch"],
        &["COMMAND", "LIST", "FILTERBY", "ACLCAT"],
        &["COMMAND", "LIST", "FILTERBY", "NOSUCH", "x"],
        &["COMMAND", "LIST", "FILTER", "ACLCAT", "read"],
        &["COMMAND", "LIST", "x"],
        &["COMMAND", "LIST", "FILTERBY", "PATTERN", "get", "extra"],
    ]);
}

#[test]
fn command_help_is_an_array_of_status_lines_and_bad_subcommands_match_the_oracle() {
    let mut p = Pair::start();
    let (s, r) = p.both(&["COMMAND", "HELP"]);
    let (s, r) = (Resp::parse(&s), Resp::parse(&r));
    assert!(s.items().len() > 4);
    assert_eq!(s.items()[0].bytes(), r.items()[0].bytes());
    for line in s.items() {
        assert!(line.bytes().starts_with(b"+"));
    }
    assert!(s.items().iter().any(|l| l.text() == "GETKEYSANDFLAGS <full-command>"));
    p.check(&[
        &["COMMAND", "HELP", "x"],
        &["COMMAND", "NOSUCH"],
        &["command", "help", "a", "b"],
    ]);
}
