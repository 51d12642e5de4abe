//! `LATENCY LATEST/HISTORY/RESET/HELP`: reads the instance's latency
//! monitor (`crate::node::latency`), which dispatch feeds after every command.
//! `DOCTOR`, `GRAPH` and `HISTOGRAM` are not implemented (no rows).

use super::connection::write_help;
use super::{Args, CmdError, Ctx};

/// `LATENCY LATEST`: per event, its latest sample and all-time maximum.
pub fn latest(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let events = ctx.inst.latency.latest();
    let out = &mut *ctx.out;
    out.array(events.len());
    for e in events {
        out.array(4);
        out.bulk(e.event.as_bytes());
        out.int(e.last.time);
        out.int(i64::try_from(e.last.latency).unwrap_or(i64::MAX));
        out.int(i64::try_from(e.max).unwrap_or(i64::MAX));
    }
    Ok(())
}

/// `LATENCY HISTORY event`: the event's samples, oldest first.
pub fn history(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let samples = ctx.inst.latency.history(args.get(2));
    let out = &mut *ctx.out;
    out.array(samples.len());
    for s in samples {
        out.array(2);
        out.int(s.time);
        out.int(i64::try_from(s.latency).unwrap_or(i64::MAX));
    }
    Ok(())
}

/// `LATENCY RESET [event ...]`: forgets the events (all without names) and
/// answers how many existed.
pub fn reset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let names: Vec<&[u8]> = (2..args.len()).map(|i| args.get(i)).collect();
    let n = ctx
        .inst
        .latency
        .reset(if names.is_empty() { None } else { Some(&names) });
    ctx.out.int(i64::try_from(n).unwrap_or(i64::MAX));
    Ok(())
}

/// `LATENCY HELP`.
pub fn help(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    write_help(
        ctx,
        "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        &[
            "HISTORY <event>",
            "    Samples of <event>, oldest first: Unix time and latency in milliseconds.",
            "LATEST",
            "    Per event: its latest sample's time and latency, and its highest latency.",
            "RESET [<event> ...]",
            "    Forget the samples of these events (of every event without names).",
            "Events are recorded when latency-monitor-threshold (milliseconds) is above 0.",
        ],
    );
    Ok(())
}
