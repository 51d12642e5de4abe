//! Keyspace commands: deletion, existence, renaming, TTLs, SCAN, OBJECT, DUMP/RESTORE.

use super::{Args, CmdError, Ctx};

/// TEMPSTUB
pub fn del(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn unlink(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn exists(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn type_(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn keys(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn scan(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn randomkey(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn rename(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn renamenx(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn copy(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn move_(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn touch(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn object_encoding(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn object_refcount(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn object_idletime(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn object_freq(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn object_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn expire(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn pexpire(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn expireat(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn pexpireat(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn ttl(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn pttl(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn expiretime(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn pexpiretime(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn persist(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn dump(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}

/// TEMPSTUB
pub fn restore(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<(), CmdError> {
    Err(CmdError::Other("ERR TEMPSTUB"))
}
