//! Server commands: INFO, CONFIG, DBSIZE, FLUSHDB/FLUSHALL, SWAPDB, TIME, LASTSAVE, SHUTDOWN, DEBUG.

use super::{Args, CmdError, Ctx};

/// TEMPSTUB
pub fn info(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn config_get(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn config_set(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn config_resetstat(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn config_rewrite(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn config_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn dbsize(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn flushdb(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn flushall(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn swapdb(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn time(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn lastsave(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn shutdown(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn debug(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}
