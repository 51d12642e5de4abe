//! Connection commands: PING, HELLO, AUTH, SELECT, RESET, QUIT and CLIENT.

use super::{Args, CmdError, Ctx};

/// `PING [message]`.
pub fn ping(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    if args.len() > 2 {
        return Err(CmdError::WrongArity("ping"));
    }
    if args.len() == 2 {
        ctx.out.bulk(args.get(1));
    } else {
        ctx.out.simple("PONG");
    }
    Ok(())
}

/// TEMPSTUB
pub fn echo(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn quit(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn hello(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn auth(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn select(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn reset(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_getname(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_id(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_info(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_kill(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_list(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_no_evict(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_no_touch(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_pause(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_reply(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_setinfo(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_setname(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn client_unpause(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}
