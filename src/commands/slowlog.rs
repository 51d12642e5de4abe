//! `SLOWLOG GET/LEN/RESET/HELP`: reads the instance's slow log
//! (`crate::node::slowlog`), which dispatch feeds after every command.

use super::connection::{subcommand_syntax_error, write_help};
use super::{Args, CmdError, Ctx};

/// `SLOWLOG GET [count]`: the newest entries (10 by default, -1 for all).
pub fn get(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if args.len() > 3 {
        return Err(subcommand_syntax_error(args));
    }
    let count = if args.len() == 3 {
        match args.int(2) {
            Ok(-1) => None,
            Ok(n) if n >= 0 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            _ => return Err(CmdError::Other("ERR count should be greater than or equal to -1")),
        }
    } else {
        Some(10)
    };
    // As in Redis, a lowered `slowlog-max-len` trims the log only when the
    // next entry is recorded.
    let entries = ctx.inst.slowlog.newest(count);
    let out = &mut *ctx.out;
    out.array(entries.len());
    for e in entries {
        out.array(6);
        out.int(i64::try_from(e.id).unwrap_or(i64::MAX));
        out.int(i64::try_from(e.at).unwrap_or(i64::MAX));
        out.int(i64::try_from(e.micros).unwrap_or(i64::MAX));
        out.array(e.argv.len());
        for a in &e.argv {
            out.bulk(a);
        }
        out.bulk(e.addr.as_bytes());
        out.bulk(&e.name);
    }
    Ok(())
}

/// `SLOWLOG LEN`.
pub fn len(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.int(i64::try_from(ctx.inst.slowlog.len()).unwrap_or(i64::MAX));
    Ok(())
}

/// `SLOWLOG RESET`.
pub fn reset(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.inst.slowlog.reset();
    ctx.out.ok();
    Ok(())
}

/// `SLOWLOG HELP`.
pub fn help(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    write_help(
        ctx,
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        &[
            "GET [<count>]",
            "    The newest <count> entries (10 by default, -1 for all). Each entry is:",
            "    id, Unix time, duration in microseconds, arguments, client address,",
            "    client name.",
            "LEN",
            "    Number of entries.",
            "RESET",
            "    Forget every entry.",
        ],
    );
    Ok(())
}
