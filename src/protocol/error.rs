//! Protocol errors: malformed requests. Each is replied with Redis's exact
//! text and then the connection is closed, as Redis does.

use thiserror::Error;

/// A request that cannot be parsed; the connection closes after the reply.
#[derive(Debug, Error, PartialEq, Eq, Clone)]
pub enum ProtocolError {
    /// `*` count that is not a number or is too large.
    #[error("Protocol error: invalid multibulk length")]
    InvalidMultibulkLength,
    /// `$` length that is negative, not a number or above `proto-max-bulk-len`.
    #[error("Protocol error: invalid bulk length")]
    InvalidBulkLength,
    /// Something other than `$` where a bulk header was expected.
    #[error("Protocol error: expected '$', got '{}'", char::from(*.0))]
    ExpectedDollar(u8),
    /// Inline request with an unterminated or badly closed quote.
    #[error("Protocol error: unbalanced quotes in request")]
    UnbalancedQuotes,
    /// Inline request longer than 64 KiB without a newline.
    #[error("Protocol error: too big inline request")]
    TooBigInline,
    /// Multibulk count line longer than 64 KiB.
    #[error("Protocol error: too big mbulk count string")]
    TooBigMultibulkCount,
    /// Bulk length line longer than 64 KiB.
    #[error("Protocol error: too big bulk count string")]
    TooBigBulkCount,
    /// More than 10 arguments before authenticating.
    #[error("Protocol error: unauthenticated multibulk length")]
    UnauthenticatedMultibulkLength,
    /// A bulk above 16 KiB before authenticating.
    #[error("Protocol error: unauthenticated bulk length")]
    UnauthenticatedBulkLength,
}
