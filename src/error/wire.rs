//! The SSH wire format of RFC 4251 (`blob.truncated`, `blob.trailing_data`,
//! `string.*`, `mpint.*`).

/// Why a field of the SSH wire format cannot be read.
///
/// Each variant has a stable machine code, see [`WireError::code`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// A length prefix or fixed field runs past the end of its buffer.
    #[error("truncated: {needed} bytes needed, {remaining} left")]
    Truncated {
        /// Bytes the field needs.
        needed: usize,
        /// Bytes left in the buffer.
        remaining: usize,
    },
    /// Bytes left after the last field.
    #[error("{0} unexpected bytes after the end of the data")]
    TrailingData(usize),
    /// A NUL inside a text string.
    #[error("a text string holds a NUL byte")]
    StringNul,
    /// A text string ends with a NUL byte (OpenSSH strips it; strict policy).
    #[error("a text string ends with a NUL byte")]
    StringTrailingNul,
    /// An mpint with the sign bit set.
    #[error("negative integer (mpint with its top bit set)")]
    MpintNegative,
    /// An mpint longer than OpenSSH's 16384-bit cap.
    #[error("integer of {0} bytes is over the 16384-bit limit")]
    MpintTooLarge(usize),
    /// An mpint with needless leading zero bytes (strict policy).
    #[error("integer is not minimally encoded (needless leading zero bytes)")]
    MpintNonCanonical,
    /// A `name-list` with an empty name or a byte outside printable ASCII
    /// (RFC 4251 section 5).
    #[error("malformed name-list: a name is empty or holds a byte outside printable ASCII")]
    NameList,
}

impl WireError {
    /// The stable machine code. Codes never change meaning once published.
    pub const fn code(&self) -> &'static str {
        match self {
            WireError::Truncated { .. } => "blob.truncated",
            WireError::TrailingData(_) => "blob.trailing_data",
            WireError::StringNul => "string.nul",
            WireError::StringTrailingNul => "string.trailing_nul",
            WireError::MpintNegative => "mpint.negative",
            WireError::MpintTooLarge(_) => "mpint.too_large",
            WireError::MpintNonCanonical => "mpint.noncanonical",
            WireError::NameList => "blob.name_list",
        }
    }
}
