//! Connection commands: PING, ECHO, QUIT, HELLO, AUTH, SELECT, RESET and
//! the CLIENT family.
//!
//! Only the `default` user exists: it needs no password unless
//! `requirepass` is set. Per-connection state lives in the [`Session`]
//! (private to the connection task) and in its shared [`ClientInfo`]
//! (what `CLIENT LIST` and `CLIENT KILL` see).
//!
//! [`Session`]: crate::node::clients::Session

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Action, Args, CmdError, Ctx};
use crate::node::clients::{ClientInfo, ReplyMode};
use crate::node::instance::PauseMode;

/// The version we report to clients (`HELLO`, `INFO`); clients gate
/// features on it.
pub const REDIS_VERSION: &str = "7.2.4";

const NAME_ERROR: &str = "ERR Client names cannot contain spaces, newlines or special characters.";
const AUTH_WITHOUT_PASSWORD: &str = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?";
const HELLO_NOAUTH: &str = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time";

/// `PING [message]`.
pub fn ping(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if args.len() > 2 {
        return Err(CmdError::WrongArity("ping"));
    }
    // A subscribed RESP2 client can only read arrays: Redis answers
    // `pong` and the argument (empty without one) as a two-item array.
    if ctx.session.info.is_pubsub() && !ctx.out.is_resp3() {
        ctx.out.array(2);
        ctx.out.bulk(b"pong");
        ctx.out.bulk(if args.len() == 2 { args.get(1) } else { b"" });
        return Ok(());
    }
    if args.len() == 2 {
        ctx.out.bulk(args.get(1));
    } else {
        ctx.out.simple("PONG");
    }
    Ok(())
}

/// `ECHO message`.
pub fn echo(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.bulk(args.get(1));
    Ok(())
}

/// `QUIT`: replies OK, then the connection closes.
pub fn quit(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.ok();
    ctx.action = Some(Action::Close);
    Ok(())
}

/// Checks credentials for `user`; only `default` exists, and it accepts any
/// password while `requirepass` is empty.
fn check_credentials(ctx: &Ctx<'_>, user: &[u8], pass: &[u8]) -> bool {
    if user != b"default" {
        return false;
    }
    let required = ctx.inst.config.get("requirepass");
    required.is_empty() || constant_time_eq(required.as_bytes(), pass)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn mark_authenticated(ctx: &mut Ctx<'_>) {
    ctx.session.authenticated = true;
    *ctx.session.info.user.lock() = "default".into();
}

/// Whether the connection may run commands: it authenticated, or no
/// password is required.
fn is_authenticated(ctx: &Ctx<'_>) -> bool {
    ctx.session.authenticated || !ctx.inst.auth_required()
}

/// `AUTH [username] password`.
pub fn auth(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if args.len() > 3 {
        return Err(CmdError::Syntax);
    }
    let (user, pass): (&[u8], &[u8]) = if args.len() == 2 {
        if !ctx.inst.auth_required() {
            return Err(CmdError::Other(AUTH_WITHOUT_PASSWORD));
        }
        (b"default", args.get(1))
    } else {
        (args.get(1), args.get(2))
    };
    if !check_credentials(ctx, user, pass) {
        return Err(CmdError::WrongPass);
    }
    mark_authenticated(ctx);
    ctx.out.ok();
    Ok(())
}

/// Whether a client name (or library attribute) is made only of printable
/// ASCII without spaces, so `CLIENT LIST` stays splittable on spaces.
fn valid_client_attr(name: &[u8]) -> bool {
    name.iter().all(|&c| (b'!'..=b'~').contains(&c))
}

fn set_name(info: &ClientInfo, name: &[u8]) {
    let mut n = info.name.lock();
    n.clear();
    n.extend_from_slice(name);
}

/// `HELLO [protover [AUTH username password] [SETNAME name]]`.
pub fn hello(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let mut proto = None;
    if args.len() >= 2 {
        let v = args
            .int(1)
            .map_err(|_| CmdError::Other("ERR Protocol version is not an integer or out of range"))?;
        if !(2..=3).contains(&v) {
            return Err(CmdError::Other("NOPROTO unsupported protocol version"));
        }
        proto = Some(v as u8);
    }
    let mut credentials = None;
    let mut name = None;
    let mut i = 2;
    while i < args.len() {
        let more = args.len() - 1 - i;
        if args.is(i, "AUTH") && more >= 2 {
            credentials = Some((args.get(i + 1), args.get(i + 2)));
            i += 3;
        } else if args.is(i, "SETNAME") && more >= 1 {
            let n = args.get(i + 1);
            if !valid_client_attr(n) {
                return Err(CmdError::Other(NAME_ERROR));
            }
            name = Some(n);
            i += 2;
        } else {
            return Err(CmdError::Owned(format!(
                "ERR Syntax error in HELLO option '{}'",
                String::from_utf8_lossy(args.get(i))
            )));
        }
    }
    if let Some((user, pass)) = credentials {
        if !check_credentials(ctx, user, pass) {
            return Err(CmdError::WrongPass);
        }
        mark_authenticated(ctx);
    }
    if !is_authenticated(ctx) {
        return Err(CmdError::Other(HELLO_NOAUTH));
    }
    if let Some(n) = name {
        set_name(&ctx.session.info, n);
    }
    if let Some(p) = proto {
        ctx.out.resp = p;
        ctx.session.info.resp.store(p, Ordering::Relaxed);
    }
    let out = &mut *ctx.out;
    out.map(7);
    out.bulk(b"server");
    out.bulk(b"redis");
    out.bulk(b"version");
    out.bulk(REDIS_VERSION.as_bytes());
    out.bulk(b"proto");
    out.int(i64::from(out.resp));
    out.bulk(b"id");
    out.int(ctx.session.info.id as i64);
    out.bulk(b"mode");
    out.bulk(b"standalone");
    out.bulk(b"role");
    out.bulk(b"master");
    out.bulk(b"modules");
    out.array(0);
    Ok(())
}

/// Parses a database index as `getIntFromObjectOrReply` does.
pub fn parse_db_index(arg: &[u8]) -> Option<i64> {
    crate::num::parse_ll(arg).filter(|v| i32::try_from(*v).is_ok())
}

/// `SELECT index`.
pub fn select(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let id = args.int(1)?;
    if i32::try_from(id).is_err() {
        return Err(CmdError::Other(
            "ERR value is out of range, value must between -2147483648 and 2147483647",
        ));
    }
    if id < 0 || id as usize >= ctx.inst.store.databases() {
        return Err(CmdError::DbIndexOutOfRange);
    }
    ctx.session.select(id as usize);
    ctx.out.ok();
    Ok(())
}

/// `RESET`: back to the state of a new connection.
pub fn reset(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let authenticated = !ctx.inst.auth_required();
    ctx.inst.watches.unwatch_all(ctx.session);
    ctx.inst.pubsub.remove_client(ctx.session.info.id);
    ctx.session.reset(authenticated);
    ctx.out.resp = 2;
    ctx.out.simple("RESET");
    Ok(())
}

/// `CLIENT ID`.
pub fn client_id(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.int(ctx.session.info.id as i64);
    Ok(())
}

/// `CLIENT SETNAME name`; an empty name removes it.
pub fn client_setname(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let name = args.get(2);
    if !valid_client_attr(name) {
        return Err(CmdError::Other(NAME_ERROR));
    }
    set_name(&ctx.session.info, name);
    ctx.out.ok();
    Ok(())
}

/// `CLIENT GETNAME`.
pub fn client_getname(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let name = ctx.session.info.name.lock().clone();
    if name.is_empty() {
        ctx.out.null();
    } else {
        ctx.out.bulk(&name);
    }
    Ok(())
}

/// `CLIENT GETREDIR`: the client that receives this connection's tracking
/// invalidations. Shoal has no client-side caching (`CLIENT TRACKING`) yet,
/// so tracking is always off, which Redis answers with -1.
pub fn client_getredir(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    ctx.out.int(-1);
    Ok(())
}

/// `CLIENT TRACKINGINFO`: this connection's client-side caching state, as
/// Redis describes a connection with tracking off (the only state Shoal has
/// until `CLIENT TRACKING` exists): flags `off`, no redirect, no prefixes.
pub fn client_trackinginfo(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let out = &mut *ctx.out;
    out.map(3);
    out.bulk(b"flags");
    out.set(1);
    out.bulk(b"off");
    out.bulk(b"redirect");
    out.int(-1);
    out.bulk(b"prefixes");
    out.array(0);
    Ok(())
}

/// `CLIENT SETINFO LIB-NAME|LIB-VER value`.
pub fn client_setinfo(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let attr = args.get(2);
    let value = args.get(3);
    let target = if args.is(2, "lib-name") {
        &ctx.session.info.lib_name
    } else if args.is(2, "lib-ver") {
        &ctx.session.info.lib_ver
    } else {
        return Err(CmdError::Owned(format!(
            "ERR Unrecognized option '{}'",
            String::from_utf8_lossy(attr)
        )));
    };
    if !valid_client_attr(value) {
        return Err(CmdError::Owned(format!(
            "ERR {} cannot contain spaces, newlines or special characters.",
            String::from_utf8_lossy(attr)
        )));
    }
    let mut t = target.lock();
    t.clear();
    t.extend_from_slice(value);
    drop(t);
    ctx.out.ok();
    Ok(())
}

/// Parses `ON`/`OFF`.
fn on_off(args: &Args<'_>, i: usize) -> Result<bool, CmdError> {
    if args.is(i, "on") {
        Ok(true)
    } else if args.is(i, "off") {
        Ok(false)
    } else {
        Err(CmdError::Syntax)
    }
}

/// `CLIENT NO-EVICT ON|OFF`.
pub fn client_no_evict(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let on = on_off(args, 2)?;
    ctx.session.info.no_evict.store(on, Ordering::Relaxed);
    ctx.out.ok();
    Ok(())
}

/// `CLIENT NO-TOUCH ON|OFF`: reads stop updating key access times.
pub fn client_no_touch(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let on = on_off(args, 2)?;
    ctx.session.no_touch = on;
    ctx.session.info.no_touch.store(on, Ordering::Relaxed);
    ctx.out.ok();
    Ok(())
}

/// `CLIENT REPLY ON|OFF|SKIP`. Dispatch drops the replies while the mode
/// says so; only `ON` answers.
pub fn client_reply(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if args.is(2, "on") {
        ctx.session.reply_mode = ReplyMode::On;
        ctx.out.ok();
    } else if args.is(2, "off") {
        ctx.session.reply_mode = ReplyMode::Off;
    } else if args.is(2, "skip") {
        // SKIP while OFF changes nothing: replies stay off.
        if ctx.session.reply_mode != ReplyMode::Off {
            ctx.session.reply_mode = ReplyMode::SkipNext;
        }
    } else {
        return Err(CmdError::Syntax);
    }
    Ok(())
}

/// Redis's error for a subcommand it knows but got the wrong arguments
/// for, or one it does not know (containers that parse their own subcommands).
pub fn subcommand_syntax_error(args: &Args<'_>) -> CmdError {
    CmdError::Owned(format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
        String::from_utf8_lossy(args.get(1)),
        String::from_utf8_lossy(args.get(0)).to_uppercase()
    ))
}

/// `CLIENT PAUSE timeout [WRITE|ALL]`.
pub fn client_pause(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if args.len() > 4 {
        return Err(subcommand_syntax_error(args));
    }
    let mut mode = PauseMode::All;
    if args.len() == 4 {
        if args.is(3, "write") {
            mode = PauseMode::Write;
        } else if !args.is(3, "all") {
            return Err(CmdError::Other("ERR CLIENT PAUSE mode must be WRITE or ALL"));
        }
    }
    let ms =
        crate::num::parse_ll(args.get(2)).ok_or(CmdError::Other("ERR timeout is not an integer or out of range"))?;
    if ms < 0 {
        return Err(CmdError::Other("ERR timeout is negative"));
    }
    let now = Instant::now();
    // Absurd timeouts mean "until UNPAUSE"; a century stands in for forever.
    let until = now
        .checked_add(Duration::from_millis(ms as u64))
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 86_400)))
        .unwrap_or(now);
    let mut pause = ctx.inst.pause.lock();
    // A new pause never shortens or weakens one in force.
    *pause = Some(match *pause {
        Some((old_until, old_mode)) if old_until > now => {
            let mode = if old_mode == PauseMode::All {
                PauseMode::All
            } else {
                mode
            };
            (old_until.max(until), mode)
        }
        _ => (until, mode),
    });
    ctx.inst.pause_set.store(true, Ordering::SeqCst);
    drop(pause);
    ctx.out.ok();
    Ok(())
}

/// `CLIENT UNPAUSE`.
pub fn client_unpause(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let mut pause = ctx.inst.pause.lock();
    *pause = None;
    ctx.inst.pause_set.store(false, Ordering::SeqCst);
    drop(pause);
    ctx.inst.unpause.notify_waiters();
    ctx.out.ok();
    Ok(())
}

/// Client types of `CLIENT LIST TYPE` and `CLIENT KILL TYPE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientType {
    Normal,
    Replica,
    PubSub,
    Master,
}

fn parse_client_type(name: &[u8]) -> Result<ClientType, CmdError> {
    let t = match name.to_ascii_lowercase().as_slice() {
        b"normal" => ClientType::Normal,
        b"slave" | b"replica" => ClientType::Replica,
        b"pubsub" => ClientType::PubSub,
        b"master" => ClientType::Master,
        _ => {
            return Err(CmdError::Owned(format!(
                "ERR Unknown client type '{}'",
                String::from_utf8_lossy(name)
            )))
        }
    };
    Ok(t)
}

fn client_type(c: &ClientInfo) -> ClientType {
    if c.is_pubsub() {
        ClientType::PubSub
    } else {
        ClientType::Normal
    }
}

/// One `CLIENT LIST` line (without the trailing newline), with Redis 7.2's
/// fields in its order. Buffers we do not track report plausible constants.
pub fn client_line(c: &ClientInfo) -> String {
    let mut flags = String::new();
    if c.monitor.load(Ordering::Relaxed) {
        flags.push('O');
    }
    if c.is_pubsub() {
        flags.push('P');
    }
    if c.replica.load(Ordering::Relaxed) {
        flags.push('S');
    }
    let multi = c.multi.load(Ordering::Relaxed);
    if multi >= 0 {
        flags.push('x');
    }
    if c.blocked.load(Ordering::Relaxed) {
        flags.push('b');
    }
    if c.killed.load(Ordering::Relaxed) {
        flags.push('A');
    }
    if c.no_evict.load(Ordering::Relaxed) {
        flags.push('e');
    }
    if c.no_touch.load(Ordering::Relaxed) {
        flags.push('T');
    }

    if flags.is_empty() {
        flags.push('N');
    }
    let qbuf = c.qbuf.load(Ordering::Relaxed);
    let qbuf_free = if qbuf > 0 {
        (16 * 1024usize).saturating_sub(qbuf)
    } else {
        0
    };
    let name = String::from_utf8_lossy(&c.name.lock()).into_owned();
    let lib_name = String::from_utf8_lossy(&c.lib_name.lock()).into_owned();
    let lib_ver = String::from_utf8_lossy(&c.lib_ver.lock()).into_owned();
    let cmd = c.last_cmd();
    let user = c.user.lock().clone();
    format!(
        "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} multi={} \
         qbuf={} qbuf-free={} argv-mem={} multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem={} events=r \
         cmd={} user={} redir=-1 resp={} lib-name={} lib-ver={}",
        c.id,
        c.addr,
        c.laddr,
        client_fd(c),
        name,
        c.created.elapsed().as_secs(),
        c.idle_secs(),
        flags,
        c.db.load(Ordering::Relaxed),
        c.sub.load(Ordering::Relaxed),
        c.psub.load(Ordering::Relaxed),
        c.ssub.load(Ordering::Relaxed),
        multi,
        qbuf,
        qbuf_free,
        if cmd == "NULL" { 0 } else { 10 },
        CLIENT_MEMORY + qbuf + qbuf_free,
        cmd,
        user,
        c.resp.load(Ordering::Relaxed),
        lib_name,
        lib_ver,
    )
}

/// Approximate fixed memory per connection (buffers and state), as
/// `tot-mem` and `INFO memory` report it.
pub const CLIENT_MEMORY: usize = 20_480;

// We do not expose socket descriptors; a stable plausible number per client.
fn client_fd(c: &ClientInfo) -> u64 {
    8 + c.id % 10_000
}

/// `CLIENT INFO`: this connection's line.
pub fn client_info(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    let mut line = client_line(&ctx.session.info);
    line.push('\n');
    ctx.out.verbatim("txt", line.as_bytes());
    Ok(())
}

/// `CLIENT LIST [TYPE type] [ID id ...]`.
pub fn client_list(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let clients: Vec<Arc<ClientInfo>> = if args.len() == 4 && args.is(2, "type") {
        let t = parse_client_type(args.get(3))?;
        ctx.inst
            .clients
            .snapshot()
            .into_iter()
            .filter(|c| client_type(c) == t)
            .collect()
    } else if args.len() > 3 && args.is(2, "id") {
        let mut ids = Vec::with_capacity(args.len() - 3);
        for a in args.from(3) {
            ids.push(crate::num::parse_ll(a).ok_or(CmdError::Other("ERR Invalid client ID"))?);
        }
        ids.into_iter()
            .filter_map(|id| u64::try_from(id).ok().and_then(|id| ctx.inst.clients.get(id)))
            .collect()
    } else if args.len() != 2 {
        return Err(CmdError::Syntax);
    } else {
        ctx.inst.clients.snapshot()
    };
    let mut text = String::new();
    for c in &clients {
        text.push_str(&client_line(c));
        text.push('\n');
    }
    ctx.out.verbatim("txt", text.as_bytes());
    Ok(())
}

/// The filters of `CLIENT KILL`'s new form.
#[derive(Default)]
struct KillFilter {
    id: Option<u64>,
    kind: Option<ClientType>,
    addr: Option<Vec<u8>>,
    laddr: Option<Vec<u8>>,
    user: Option<Vec<u8>>,
    max_age: Option<u64>,
    skip_me: bool,
}

impl KillFilter {
    fn matches(&self, c: &ClientInfo) -> bool {
        self.id.is_none_or(|id| c.id == id)
            && self.kind.is_none_or(|t| client_type(c) == t)
            && self
                .addr
                .as_ref()
                .is_none_or(|a| c.addr.to_string().as_bytes() == a.as_slice())
            && self
                .laddr
                .as_ref()
                .is_none_or(|a| c.laddr.to_string().as_bytes() == a.as_slice())
            && self
                .user
                .as_ref()
                .is_none_or(|u| c.user.lock().as_bytes() == u.as_slice())
            && self.max_age.is_none_or(|age| c.created.elapsed().as_secs() > age)
    }
}

/// `CLIENT KILL addr:port` or `CLIENT KILL <filter value> ...`.
pub fn client_kill(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let old_form = args.len() == 3;
    let filter = if old_form {
        // The old form may kill the caller itself.
        KillFilter {
            addr: Some(args.get(2).to_vec()),
            skip_me: false,
            ..KillFilter::default()
        }
    } else {
        parse_kill_filter(args)?
    };
    let me = ctx.session.info.id;
    let mut killed = 0;
    for c in ctx.inst.clients.snapshot() {
        if !filter.matches(&c) || (c.id == me && filter.skip_me) {
            continue;
        }
        if c.id == me {
            ctx.action = Some(Action::Close);
        } else {
            // Gone at once, as Redis frees it synchronously: a second KILL or
            // CLIENT LIST must not see it while its task winds down.
            c.kill();
            ctx.inst.clients.unregister(c.id);
        }
        killed += 1;
    }
    if old_form {
        if killed == 0 {
            return Err(CmdError::Other("ERR No such client"));
        }
        ctx.out.ok();
    } else {
        ctx.out.int(killed);
    }
    Ok(())
}

fn parse_kill_filter(args: &Args<'_>) -> Result<KillFilter, CmdError> {
    let mut f = KillFilter {
        skip_me: true,
        ..KillFilter::default()
    };
    let mut i = 2;
    while i < args.len() {
        if i + 1 >= args.len() {
            return Err(CmdError::Syntax);
        }
        let value = args.get(i + 1);
        if args.is(i, "id") {
            let id = crate::num::parse_ll(value)
                .filter(|v| *v >= 1)
                .ok_or(CmdError::Other("ERR client-id should be greater than 0"))?;
            f.id = Some(id as u64);
        } else if args.is(i, "type") {
            f.kind = Some(parse_client_type(value)?);
        } else if args.is(i, "addr") {
            f.addr = Some(value.to_vec());
        } else if args.is(i, "laddr") {
            f.laddr = Some(value.to_vec());
        } else if args.is(i, "user") {
            if value != b"default" {
                return Err(CmdError::Owned(format!(
                    "ERR No such user '{}'",
                    String::from_utf8_lossy(value)
                )));
            }
            f.user = Some(value.to_vec());
        } else if args.is(i, "skipme") {
            f.skip_me = if value.eq_ignore_ascii_case(b"yes") {
                true
            } else if value.eq_ignore_ascii_case(b"no") {
                false
            } else {
                return Err(CmdError::Syntax);
            };
        } else if args.is(i, "maxage") {
            let age =
                crate::num::parse_ll(value).ok_or(CmdError::Other("ERR maxage is not an integer or out of range"))?;
            if age <= 0 {
                return Err(CmdError::Other("ERR maxage should be greater than 0"));
            }
            f.max_age = Some(age as u64);
        } else {
            return Err(CmdError::Syntax);
        }
        i += 2;
    }
    Ok(f)
}

/// Writes a `HELP` reply: a title line, then alternating entries and their
/// indented explanations, then `HELP` itself.
pub fn write_help(ctx: &mut Ctx<'_>, title: &str, lines: &[&str]) {
    ctx.out.array(lines.len() + 3);
    ctx.out.simple(title);
    for l in lines {
        ctx.out.simple(l);
    }
    ctx.out.simple("HELP");
    ctx.out.simple("    Print this help.");
}

/// `CLIENT HELP`.
pub fn client_help(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    write_help(
        ctx,
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        &[
            "GETNAME",
            "    Reply with this connection's name.",
            "ID",
            "    Reply with this connection's unique id.",
            "INFO",
            "    Describe this connection in CLIENT LIST format.",
            "KILL <ip:port>",
            "    Close the connection coming from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Close every connection matching all the filters:",
            "    * ID <client-id>",
            "      The connection with this id.",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Connections from this address.",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Connections to this local address.",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Connections of this type.",
            "    * USER <username>",
            "      Connections authenticated as this user.",
            "    * SKIPME (YES|NO)",
            "      Whether to spare the calling connection (default: yes).",
            "    * MAXAGE <maxage>",
            "      Connections older than this many seconds.",
            "LIST [options ...]",
            "    Describe the connected clients, one per line. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Only clients of this type.",
            "    * ID <client-id> [<client-id> ...]",
            "      Only the clients with these ids.",
            "UNPAUSE",
            "    End a pause started by CLIENT PAUSE.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Hold back commands of every client (or only writes) for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Turn replies to this connection on, off, or off for the next command.",
            "SETNAME <name>",
            "    Name this connection <name>.",
            "SETINFO <option> <value>",
            "    Record the client library's LIB-NAME or LIB-VER.",
            "NO-EVICT (ON|OFF)",
            "    Exempt this connection from client eviction, or not.",
            "NO-TOUCH (ON|OFF)",
            "    Stop, or resume, updating key access times for this connection's reads.",
            "GETREDIR",
            "    The id of the client receiving this connection's tracking invalidations",
            "    (-1: tracking is off).",
            "TRACKINGINFO",
            "    This connection's client-side caching state: flags, redirect, prefixes.",
        ],
    );
    Ok(())
}

/// `CLIENT UNBLOCK id [TIMEOUT|ERROR]`: ends another client's blocking
/// command as if its timeout passed, or with an `UNBLOCKED` error.
pub fn client_unblock(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let id = crate::num::parse_ll(args.get(2)).ok_or(CmdError::Other("ERR value is not an integer or out of range"))?;
    let error = if args.len() == 4 {
        if args.is(3, "timeout") {
            false
        } else if args.is(3, "error") {
            true
        } else {
            return Err(CmdError::Other("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
        }
    } else if args.len() > 4 {
        return Err(CmdError::Other(
            "ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.",
        ));
    } else {
        false
    };
    let done = u64::try_from(id).is_ok_and(|id| ctx.inst.blocking.unblock(id, error));
    ctx.out.int(i64::from(done));
    Ok(())
}
