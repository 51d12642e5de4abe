//! String commands: GET/SET and friends, counters, ranges, LCS.

use super::{Args, CmdError, Ctx};
use crate::store::{Str, Value};

/// `GET key`.
pub fn get(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let key = args.get(1);
    let now = ctx.now_ms;
    let out = &mut *ctx.out;
    let found = ctx.inst.store.db(ctx.session.db).map(|db| {
        db.read(key, now, ctx.fx, |e| match e {
            None => {
                out.null();
                Ok(false)
            }
            Some(e) => match &e.value {
                Value::Str(s) => {
                    s.with_bytes(|b| out.bulk(b));
                    Ok(true)
                }
            },
        })
    });
    let hit = found.unwrap_or(Ok(false))?;
    ctx.lookup(hit);
    Ok(())
}

/// `SET key value` (options arrive with the strings family).
pub fn set(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (key, value) = (args.get(1), args.get(2));
    let now = ctx.now_ms;
    let dbi = ctx.session.db;
    ctx.db().write(key, now, ctx.fx, |slot| {
        slot.insert(Value::Str(Str::from_slice(value)), 0, now);
    });
    ctx.fx.written(dbi, key, "set");
    ctx.out.ok();
    Ok(())
}

/// TEMPSTUB
pub fn setnx(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn setex(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn psetex(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn getset(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn getdel(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn getex(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn mget(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn mset(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn msetnx(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn append(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn strlen(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn getrange(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn setrange(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn incr(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn decr(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn incrby(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn decrby(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn incrbyfloat(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn lcs(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn substr(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}
