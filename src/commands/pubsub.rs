//! Publish/subscribe: `SUBSCRIBE`, `UNSUBSCRIBE`, `PSUBSCRIBE`,
//! `PUNSUBSCRIBE`, `PUBLISH`, their sharded forms `SSUBSCRIBE`,
//! `SUNSUBSCRIBE`, `SPUBLISH` (on a single node a namespace of their own)
//! and `PUBSUB`. The subscriptions live in the
//! node's registry (`node::pubsub`); a subscribed connection forwards the
//! messages queued for it while idle (`server/connection.rs`).
//!
//! Replies are Redis 7.0's: one `subscribe`/`unsubscribe` frame per
//! channel with the client's subscription count after it (channels plus
//! patterns; shard channels are counted apart), an array in RESP2 and a
//! push in RESP3. What a RESP2 client may
//! send while subscribed is decided by dispatch (the `SUBSCRIBED_OK` flag).

use std::sync::Arc;

use super::{Args, CmdError, Ctx};
use crate::node::pubsub::Kind;

/// `SUBSCRIBE channel [channel ...]`.
pub fn subscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    subscribe_to(ctx, args, Kind::Channel, b"subscribe");
    Ok(())
}

/// `PSUBSCRIBE pattern [pattern ...]`.
pub fn psubscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    subscribe_to(ctx, args, Kind::Pattern, b"psubscribe");
    Ok(())
}

/// `SSUBSCRIBE shardchannel [shardchannel ...]`.
pub fn ssubscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    // Redis 7.0 refuses it inside MULTI (unlike SUBSCRIBE), as a client
    // that may not block.
    if ctx.depth > 0 {
        return Err(CmdError::Other(
            "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client",
        ));
    }
    subscribe_to(ctx, args, Kind::Shard, b"ssubscribe");
    Ok(())
}

/// `SUNSUBSCRIBE [shardchannel ...]`: none named means all.
pub fn sunsubscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    unsubscribe_from(ctx, args, Kind::Shard, b"sunsubscribe");
    Ok(())
}

/// `UNSUBSCRIBE [channel ...]`: none named means all.
pub fn unsubscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    unsubscribe_from(ctx, args, Kind::Channel, b"unsubscribe");
    Ok(())
}

/// `PUNSUBSCRIBE [pattern ...]`: none named means all.
pub fn punsubscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    unsubscribe_from(ctx, args, Kind::Pattern, b"punsubscribe");
    Ok(())
}

fn subscribe_to(ctx: &mut Ctx<'_>, args: &Args<'_>, kind: Kind, verb: &[u8]) {
    for name in args.from(1) {
        let (count, feed) = ctx.inst.pubsub.subscribe(&ctx.session.info, kind, name);
        if let Some(feed) = feed {
            ctx.session.pubsub = Some(Arc::new(tokio::sync::Mutex::new(feed)));
        }
        ctx.out.push(3);
        ctx.out.bulk(verb);
        ctx.out.bulk(name);
        ctx.out.int(count as i64);
    }
}

fn unsubscribe_from(ctx: &mut Ctx<'_>, args: &Args<'_>, kind: Kind, verb: &[u8]) {
    let id = ctx.session.info.id;
    let names = if args.len() > 1 {
        args.from(1).to_vec()
    } else {
        ctx.inst.pubsub.subscriptions(id, kind)
    };
    if names.is_empty() {
        // Nothing to leave: one frame with a null name and the count that
        // remains.
        let (sub, psub, ssub) = subscription_counts(ctx);
        let count = if kind == Kind::Shard { ssub } else { sub + psub };
        ctx.out.push(3);
        ctx.out.bulk(verb);
        ctx.out.null();
        ctx.out.int(count as i64);
        return;
    }
    for name in &names {
        let count = ctx.inst.pubsub.unsubscribe(id, kind, name);
        ctx.out.push(3);
        ctx.out.bulk(verb);
        ctx.out.bulk(name);
        ctx.out.int(count as i64);
    }
}

fn subscription_counts(ctx: &Ctx<'_>) -> (usize, usize, usize) {
    use std::sync::atomic::Ordering::Relaxed;
    let info = &ctx.session.info;
    (info.sub.load(Relaxed), info.psub.load(Relaxed), info.ssub.load(Relaxed))
}

/// `PUBLISH channel message`: replies how many subscriptions (channel and
/// pattern) received it.
pub fn publish(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let receivers = ctx.inst.pubsub.publish(args.get(1), args.get(2));
    // PUBLISH changes no key, yet replicas (and their subscribers) must see
    // it: it propagates as itself, inside MULTI/EXEC too.
    ctx.propagate(args.all().to_vec());
    if ctx.depth == 0 {
        // A RESP3 client publishing to itself reads the message before the
        // count, as Redis writes the message first.
        forward_own_messages(ctx);
    }
    ctx.out.int(receivers as i64);
    Ok(())
}

/// `SPUBLISH shardchannel message`: replies how many shard subscribers
/// received it.
pub fn spublish(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let receivers = ctx.inst.pubsub.publish_shard(args.get(1), args.get(2));
    ctx.propagate(args.all().to_vec());
    if ctx.depth == 0 {
        forward_own_messages(ctx);
    }
    ctx.out.int(receivers as i64);
    Ok(())
}

/// Moves the messages already queued for this client into its reply, so
/// they keep their place before what the command replies.
fn forward_own_messages(ctx: &mut Ctx<'_>) {
    let Some(feed) = &ctx.session.pubsub else {
        return;
    };
    // The connection task waits on the feed only between commands.
    if let Ok(mut feed) = feed.try_lock() {
        while let Ok(msg) = feed.try_recv() {
            ctx.out.buf.extend_from_slice(&msg);
        }
    }
}

/// `PUBSUB CHANNELS [pattern]`.
pub fn channels(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    list_channels(ctx, args, Kind::Channel)
}

/// `PUBSUB SHARDCHANNELS [pattern]`.
pub fn shardchannels(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    list_channels(ctx, args, Kind::Shard)
}

fn list_channels(ctx: &mut Ctx<'_>, args: &Args<'_>, kind: Kind) -> Result<(), CmdError> {
    if args.len() > 3 {
        return Err(CmdError::SubcommandSyntax {
            sub: String::from_utf8_lossy(&args.get(1)[..args.get(1).len().min(128)]).into_owned(),
            parent: "PUBSUB",
        });
    }
    let pattern = (args.len() == 3).then(|| args.get(2));
    let list = ctx.inst.pubsub.channels(kind, pattern);
    ctx.out.array(list.len());
    for ch in &list {
        ctx.out.bulk(ch);
    }
    Ok(())
}

/// `PUBSUB NUMSUB [channel ...]`: channel, count pairs (an array, not a
/// map, in RESP3 too, as Redis).
pub fn numsub(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    count_subscribers(ctx, args, Kind::Channel);
    Ok(())
}

/// `PUBSUB SHARDNUMSUB [shardchannel ...]`: as `NUMSUB`.
pub fn shardnumsub(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    count_subscribers(ctx, args, Kind::Shard);
    Ok(())
}

fn count_subscribers(ctx: &mut Ctx<'_>, args: &Args<'_>, kind: Kind) {
    let names = args.from(2);
    ctx.out.array(names.len() * 2);
    for ch in names {
        ctx.out.bulk(ch);
        ctx.out.int(ctx.inst.pubsub.numsub(kind, ch) as i64);
    }
}

/// `PUBSUB NUMPAT`: distinct patterns with subscribers.
pub fn numpat(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.int(ctx.inst.pubsub.count(Kind::Pattern) as i64);
    Ok(())
}

const PUBSUB_HELP: &[&str] = &[
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Prints this help.",
];

/// `PUBSUB HELP`.
pub fn help(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.array(PUBSUB_HELP.len());
    for line in PUBSUB_HELP {
        ctx.out.simple(line);
    }
    Ok(())
}
