//! The base64 key data of a line (`base64.*`, `blob.too_large`).

/// Why the base64 field of a line does not decode, as OpenSSH's `b64_pton`
/// decodes it.
///
/// Each variant has a stable machine code, see [`Base64Error::code`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Base64Error {
    /// A byte outside the base64 alphabet.
    #[error("invalid base64 symbol '{}'", char::from(*.0).escape_default())]
    Symbol(u8),
    /// Missing or misplaced `=` padding.
    #[error("invalid base64 padding: the key data is truncated or has stray '=' characters")]
    Padding,
    /// Non-zero bits after the last full byte.
    #[error("the last base64 symbol has non-zero trailing bits (a non-canonical or altered encoding)")]
    TrailingBits,
    /// The decoded blob is over the cap.
    #[error("the key data is {len} bytes, over the limit of {max}")]
    TooLarge {
        /// Decoded length (or an upper bound of it).
        len: usize,
        /// The cap.
        max: usize,
    },
}

impl Base64Error {
    /// The stable machine code. Codes never change meaning once published.
    pub const fn code(&self) -> &'static str {
        match self {
            Base64Error::Symbol(_) => "base64.symbol",
            Base64Error::Padding => "base64.padding",
            Base64Error::TrailingBits => "base64.trailing_bits",
            Base64Error::TooLarge { .. } => "blob.too_large",
        }
    }
}
