//! The COMMAND family: introspection of the command table.
//!
//! Every reply here is derived from [`super::table::COMMANDS`] through
//! [`Lookup`]; nothing in this file names a command. `COMMAND INFO` replies
//! are shaped exactly as Redis 7.0 shapes them (field order, sets versus
//! arrays, status versus bulk strings) so clients that parse them work
//! unchanged.

use super::spec::{
    Begin, CommandSpec, Find, KeySpec, Lookup, ACL_NAMES, FLAG_NAMES, KS_NAMES, KS_NOT_KEY, KS_VARIABLE_FLAGS,
    NO_MANDATORY_KEYS,
};
use super::{Args, CmdError, Ctx};
use crate::protocol::Reply;

const INVALID_COMMAND: &str = "ERR Invalid command specified";
const INVALID_ARG_COUNT: &str = "ERR Invalid number of arguments specified for command";
const NO_KEY_ARGUMENTS: &str = "ERR The command has no key arguments";
const INVALID_ARGUMENTS: &str = "ERR Invalid arguments specified for command";

/// `COMMAND`: the description of every top-level command.
pub fn command(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    // Dispatch routes any argument to a subcommand (or rejects it), so only
    // the bare form reaches this handler.
    if args.len() > 1 {
        return Err(CmdError::WrongArity(ctx.spec.name));
    }
    write_all_info(ctx.out);
    Ok(())
}

/// `COMMAND COUNT`: the number of top-level commands.
pub fn count(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.int(Lookup::get().all().len() as i64);
    Ok(())
}

/// `COMMAND INFO [name ...]`: descriptions of the named commands (nil for
/// unknown names), or of every command when none is named.
pub fn info(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if args.len() == 2 {
        write_all_info(ctx.out);
        return Ok(());
    }
    let lookup = Lookup::get();
    let names = args.from(2);
    ctx.out.array(names.len());
    for name in names {
        match lookup.command(name) {
            Some(spec) => write_info(ctx.out, spec),
            None => ctx.out.null(),
        }
    }
    Ok(())
}

/// `COMMAND DOCS [name ...]`: documentation of the named commands (unknown
/// names are left out), or of every command when none is named.
pub fn docs(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let lookup = Lookup::get();
    let specs: Vec<&'static CommandSpec> = if args.len() == 2 {
        lookup.all().iter().collect()
    } else {
        args.from(2).iter().filter_map(|name| lookup.command(name)).collect()
    };
    ctx.out.map(specs.len());
    for spec in specs {
        ctx.out.bulk(spec.name.as_bytes());
        write_docs(ctx.out, spec);
    }
    Ok(())
}

/// How `COMMAND LIST` filters names.
enum ListFilter<'a> {
    All,
    /// Only module commands; Shoal loads no modules.
    Module,
    /// Commands in this ACL category (0: an unknown category, nothing matches).
    AclCategory(u32),
    /// Names matching a glob pattern, without case.
    Pattern(&'a [u8]),
}

impl ListFilter<'_> {
    fn admits(&self, spec: &CommandSpec) -> bool {
        match self {
            ListFilter::All => true,
            ListFilter::Module => false,
            ListFilter::AclCategory(cat) => spec.acl_categories() & cat != 0,
            ListFilter::Pattern(p) => crate::glob::glob_match(p, spec.name.as_bytes(), true),
        }
    }
}

/// `COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN glob]`:
/// command and subcommand names.
pub fn list(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let filter = match args.len() {
        2 => ListFilter::All,
        5 if args.is(2, "filterby") => {
            let value = args.get(4);
            if args.is(3, "module") {
                ListFilter::Module
            } else if args.is(3, "aclcat") {
                let cat = ACL_NAMES
                    .iter()
                    .find(|(_, name)| value.eq_ignore_ascii_case(name.as_bytes()))
                    .map_or(0, |(bit, _)| *bit);
                ListFilter::AclCategory(cat)
            } else if args.is(3, "pattern") {
                ListFilter::Pattern(value)
            } else {
                return Err(CmdError::Syntax);
            }
        }
        _ => return Err(CmdError::Syntax),
    };
    let mut names = Vec::new();
    for spec in Lookup::get().all() {
        for row in std::iter::once(spec).chain(spec.subcommands) {
            if filter.admits(row) {
                names.push(row.name);
            }
        }
    }
    ctx.out.array(names.len());
    for name in names {
        ctx.out.bulk(name.as_bytes());
    }
    Ok(())
}

/// `COMMAND GETKEYS command [arg ...]`: the keys of a full command line.
pub fn getkeys(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    keys_of(ctx, args, false)
}

/// `COMMAND GETKEYSANDFLAGS command [arg ...]`: the keys of a full command
/// line, each with its key-spec flags.
pub fn getkeysandflags(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    keys_of(ctx, args, true)
}

/// `COMMAND HELP`.
pub fn help(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    const LINES: &[&str] = &[
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Describe every command the server knows.",
        "COUNT",
        "    Reply with how many commands the server knows.",
        "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
        "    List command and subcommand names, optionally only those matching a filter.",
        "INFO [<command-name> ...]",
        "    Describe the given commands (arity, flags, key positions, ACL categories,",
        "    key specifications, subcommands). Without names, describe them all.",
        "DOCS [<command-name> ...]",
        "    Give a short documentation entry for the given commands.",
        "    Without names, document them all.",
        "GETKEYS <full-command>",
        "    Reply with the key names found in a complete command line.",
        "GETKEYSANDFLAGS <full-command>",
        "    Like GETKEYS, with the access flags of each key.",
        "HELP",
        "    Print this help.",
    ];
    ctx.out.array(LINES.len());
    for line in LINES {
        ctx.out.simple(line);
    }
    Ok(())
}

fn keys_of(ctx: &mut Ctx<'_>, args: &mut Args<'_>, with_flags: bool) -> Result<(), CmdError> {
    let line = args.from(2);
    let target = target_command(line).ok_or(CmdError::Other(INVALID_COMMAND))?;
    if !target.key_specs.iter().any(|ks| ks.flags & KS_NOT_KEY == 0) {
        return Err(CmdError::Other(NO_KEY_ARGUMENTS));
    }
    if !target.arity_ok(line.len()) {
        return Err(CmdError::Other(INVALID_ARG_COUNT));
    }
    let keys = target
        .key_positions(line.len(), |i| line.get(i).map_or_else(Vec::new, |a| a.to_vec()))
        .unwrap_or_default();
    if keys.is_empty() && !target.has(NO_MANDATORY_KEYS) {
        return Err(CmdError::Other(INVALID_ARGUMENTS));
    }
    ctx.out.array(keys.len());
    for (pos, flags) in keys {
        let key = line.get(pos).map_or(&[][..], |a| &a[..]);
        if with_flags {
            ctx.out.array(2);
            ctx.out.bulk(key);
            // Redis resolves a variable-flags spec per call and never reports
            // `variable_flags` itself; the declared flags are the widest case.
            write_flag_set(ctx.out, flags & !KS_VARIABLE_FLAGS, KS_NAMES, "");
        } else {
            ctx.out.bulk(key);
        }
    }
    Ok(())
}

/// The command a GETKEYS line names, found as dispatch would find it: a
/// top-level name, then its subcommand when it is a container.
fn target_command(line: &[bytes::Bytes]) -> Option<&'static CommandSpec> {
    let lookup = Lookup::get();
    let spec = lookup.command(line.first()?)?;
    // `parent|sub` is a name for introspection only, never a command line.
    if spec.name.contains('|') {
        return None;
    }
    match line.get(1) {
        Some(sub) if !spec.subcommands.is_empty() => lookup.subcommand(spec, sub),
        _ => Some(spec),
    }
}

fn write_all_info(out: &mut Reply) {
    let all = Lookup::get().all();
    out.array(all.len());
    for spec in all {
        write_info(out, spec);
    }
}

/// One command's `COMMAND INFO` entry.
fn write_info(out: &mut Reply, spec: &CommandSpec) {
    out.array(10);
    out.bulk(spec.name.as_bytes());
    out.int(i64::from(spec.arity));
    write_flag_set(out, spec.flags, FLAG_NAMES, "");
    out.int(i64::from(spec.first));
    out.int(i64::from(spec.last));
    out.int(i64::from(spec.step));
    write_flag_set(out, spec.acl_categories(), ACL_NAMES, "@");
    out.set(spec.tips.len());
    for tip in spec.tips {
        out.bulk(tip.as_bytes());
    }
    out.set(spec.key_specs.len());
    for ks in spec.key_specs {
        write_key_spec(out, ks);
    }
    write_subcommands(out, spec, write_info, false);
}

/// A set of status strings naming the bits of `bits`, in the table's order.
fn write_flag_set(out: &mut Reply, bits: u32, names: &[(u32, &str)], prefix: &str) {
    let set: Vec<&str> = names
        .iter()
        .filter(|(bit, _)| bits & bit != 0)
        .map(|(_, name)| *name)
        .collect();
    out.set(set.len());
    let mut text = String::new();
    for name in set {
        text.clear();
        text.push_str(prefix);
        text.push_str(name);
        out.simple(&text);
    }
}

fn write_key_spec(out: &mut Reply, ks: &KeySpec) {
    out.map(if ks.notes.is_some() { 4 } else { 3 });
    if let Some(notes) = ks.notes {
        out.bulk(b"notes");
        out.bulk(notes.as_bytes());
    }
    out.bulk(b"flags");
    write_flag_set(out, ks.flags, KS_NAMES, "");

    out.bulk(b"begin_search");
    out.map(2);
    out.bulk(b"type");
    match ks.begin {
        Begin::Index(index) => {
            out.bulk(b"index");
            out.bulk(b"spec");
            out.map(1);
            out.bulk(b"index");
            out.int(i64::from(index));
        }
        Begin::Keyword { keyword, startfrom } => {
            out.bulk(b"keyword");
            out.bulk(b"spec");
            out.map(2);
            out.bulk(b"keyword");
            out.bulk(keyword.as_bytes());
            out.bulk(b"startfrom");
            out.int(i64::from(startfrom));
        }
        Begin::Unknown => {
            out.bulk(b"unknown");
            out.bulk(b"spec");
            out.map(0);
        }
    }

    out.bulk(b"find_keys");
    out.map(2);
    out.bulk(b"type");
    match ks.find {
        Find::Range { lastkey, step, limit } => {
            out.bulk(b"range");
            out.bulk(b"spec");
            out.map(3);
            out.bulk(b"lastkey");
            out.int(i64::from(lastkey));
            out.bulk(b"keystep");
            out.int(i64::from(step));
            out.bulk(b"limit");
            out.int(i64::from(limit));
        }
        Find::Keynum {
            keynumidx,
            firstkey,
            step,
        } => {
            out.bulk(b"keynum");
            out.bulk(b"spec");
            out.map(3);
            out.bulk(b"keynumidx");
            out.int(i64::from(keynumidx));
            out.bulk(b"firstkey");
            out.int(i64::from(firstkey));
            out.bulk(b"keystep");
            out.int(i64::from(step));
        }
        Find::Unknown => {
            out.bulk(b"unknown");
            out.bulk(b"spec");
            out.map(0);
        }
    }
}

/// Subcommands as Redis nests them: an empty set when there are none,
/// otherwise an array (INFO) or a name → entry map (DOCS).
fn write_subcommands(out: &mut Reply, spec: &CommandSpec, entry: fn(&mut Reply, &CommandSpec), as_map: bool) {
    if spec.subcommands.is_empty() {
        out.set(0);
        return;
    }
    if as_map {
        out.map(spec.subcommands.len());
    } else {
        out.array(spec.subcommands.len());
    }
    for sub in spec.subcommands {
        if as_map {
            out.bulk(sub.name.as_bytes());
        }
        entry(out, sub);
    }
}

/// One command's `COMMAND DOCS` entry: our summary, the version that
/// introduced it, its group and, for containers, its subcommands.
fn write_docs(out: &mut Reply, spec: &CommandSpec) {
    let has_subs = !spec.subcommands.is_empty();
    out.map(if has_subs { 4 } else { 3 });
    out.bulk(b"summary");
    out.bulk(spec.summary.as_bytes());
    out.bulk(b"since");
    out.bulk(spec.since.as_bytes());
    out.bulk(b"group");
    out.bulk(spec.group.as_bytes());
    if has_subs {
        out.bulk(b"subcommands");
        write_subcommands(out, spec, write_docs, true);
    }
}
