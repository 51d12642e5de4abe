//! Command errors: replied to the client, the connection goes on. Each
//! variant's `Display` is Redis's exact text (code included).

use thiserror::Error;

/// An error a command replies with.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum CmdError {
    /// Unknown command.
    #[error("ERR unknown command '{name}', with args beginning with: {args}")]
    UnknownCommand { name: String, args: String },
    /// Unknown subcommand of a container command.
    #[error("ERR unknown subcommand '{sub}'. Try {parent} HELP.")]
    UnknownSubcommand { sub: String, parent: String },
    /// Wrong number of arguments.
    #[error("ERR wrong number of arguments for '{0}' command")]
    WrongArity(&'static str),
    /// Operation on a value of another type.
    #[error("WRONGTYPE Operation against a key holding the wrong kind of value")]
    WrongType,
    /// Not an integer, or out of range.
    #[error("ERR value is not an integer or out of range")]
    NotInteger,
    /// Not a valid float.
    #[error("ERR value is not a valid float")]
    NotFloat,
    /// Generic syntax error.
    #[error("ERR syntax error")]
    Syntax,
    /// The key does not exist.
    #[error("ERR no such key")]
    NoSuchKey,
    /// Integer overflow in INCR and friends.
    #[error("ERR increment or decrement would overflow")]
    Overflow,
    /// Bad or overflowing expire time.
    #[error("ERR invalid expire time in '{0}' command")]
    InvalidExpireTime(&'static str),
    /// SELECT/MOVE/COPY/SWAPDB with a bad index.
    #[error("ERR DB index is out of range")]
    DbIndexOutOfRange,
    /// Authentication needed first.
    #[error("NOAUTH Authentication required.")]
    NoAuth,
    /// Bad credentials.
    #[error("WRONGPASS invalid username-password pair or user is disabled.")]
    WrongPass,
    /// Keynum argument of a movable-keys command is bad.
    #[error("ERR Invalid number of keys")]
    InvalidKeyCount,
    /// A string would exceed `proto-max-bulk-len`.
    #[error("ERR string exceeds maximum allowed size (proto-max-bulk-len)")]
    StringTooLong,
    /// Source and destination are the same.
    #[error("ERR source and destination objects are the same")]
    SameObject,
    /// A value must be positive.
    #[error("ERR {0} is out of range, must be positive")]
    MustBePositive(&'static str),
    /// A RESP2 client in subscribed mode sent another command (its full name).
    #[error(
        "ERR Can't execute '{0}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
    )]
    NotInSubscribedContext(&'static str),
    /// A container's subcommand given the wrong number of arguments, when
    /// its handler checks them (`PUBSUB CHANNELS a b`): the name as typed.
    #[error("ERR unknown subcommand or wrong number of arguments for '{sub}'. Try {parent} HELP.")]
    SubcommandSyntax { sub: String, parent: &'static str },
    /// Any other one-off error; the text includes its code.
    #[error("{0}")]
    Other(&'static str),
    /// A formatted one-off error; the text includes its code.
    #[error("{0}")]
    Owned(String),
    /// An integer argument outside the 32-bit range (`getIntFromObjectOrReply`).
    #[error("ERR value is out of range, value must between -2147483648 and 2147483647")]
    NotInt32,
}
