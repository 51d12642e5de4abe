//! The COMMAND family: introspection of the command table.

use super::{Args, CmdError, Ctx};

/// TEMPSTUB
pub fn command(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn count(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn info(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn docs(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn list(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn getkeys(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn getkeysandflags(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}
