//! The line and the input: length, bytes, and the forms a user may paste
//! where one public key line belongs (`line.*`, `input.no_key`,
//! `text.encoding`, `comment.control`, `key.type.unknown`).

use crate::algorithm::Algorithm;
use crate::format::PrivateKeyKind;

use super::Snippet;

/// Why a line (or a whole input) holds no key keyvet can read.
///
/// Each variant has a stable machine code, see [`LineError::code`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// The line is longer than the policy's cap.
    #[error("line is {len} bytes long, over the limit of {max} bytes; a public key line is rarely over 16 KiB")]
    TooLong {
        /// Length of the line (or the length read before giving up).
        len: usize,
        /// The cap.
        max: usize,
    },
    /// The line is blank or a `#` comment, so it holds no key.
    #[error("no key on this line: it is blank or a comment")]
    NoKey,
    /// A whole input held no key line at all.
    #[error("the input holds no key: it is empty or has only blank and comment lines")]
    EmptyInput,
    /// The line holds a NUL byte.
    #[error("the line holds a NUL byte; a public key line is plain text")]
    Nul,
    /// A line break before the end of the line: more than one line was
    /// given where one was expected.
    #[error("a line break inside the line: give one key line at a time")]
    Newline,
    /// The line is not valid UTF-8 where text is required.
    #[error("{0} is not valid UTF-8")]
    Encoding(&'static str),
    /// The text starts with a UTF-8 byte-order mark.
    #[error(
        "the text starts with a byte-order mark (U+FEFF), an invisible character some editors add; save the key without it"
    )]
    ByteOrderMark,
    /// A Unicode space where an ASCII space belongs (between the fields).
    #[error(
        "a Unicode space (U+{code:04X}) separates the fields, as word processors and web pages paste them; type an ordinary space instead",
        code = u32::from(*.0)
    )]
    UnicodeSpace(char),
    /// A comment holds a control character (strict policy).
    #[error("the comment holds the control character {0:#04x}; remove it")]
    CommentControl(u8),
    /// A comment holds an invisible or bidirectional control character
    /// (strict policy): what a reviewer reads is not what the key says.
    #[error(
        "the comment holds the invisible character U+{code:04X}, which can make it read as something else; remove it",
        code = u32::from(*.0)
    )]
    CommentInvisible(char),
    /// A private key was pasted instead of a public key.
    #[error(
        "this looks like a private key ({0}): never share it, and treat it as exposed if it left your machine; upload the public key instead (the .pub file, or what `keyvet convert KEYFILE` prints)"
    )]
    PrivateKey(PrivateKeyKind),
    /// An RFC 4716 (`---- BEGIN SSH2 PUBLIC KEY ----`) block, as PuTTYgen writes.
    #[error("this is an RFC 4716 / PuTTY public key block; convert it to one OpenSSH line with `keyvet convert FILE`")]
    Rfc4716,
    /// A PEM block that holds no key (`-----BEGIN CERTIFICATE-----`, ...),
    /// with its label.
    #[error("this is a PEM block labelled '{0}', which holds no SSH key; upload an OpenSSH public key (the .pub file)")]
    PemBlock(Snippet),
    /// A PEM public key (`-----BEGIN PUBLIC KEY-----`, `BEGIN RSA PUBLIC KEY`).
    #[error("this is a PEM public key; convert it to an OpenSSH line with `keyvet convert FILE`")]
    PemPublicKey,
    /// The line holds only base64: a key wrapped over several lines.
    #[error(
        "this line holds only base64 text: the key looks wrapped over several lines; put the whole key on one line"
    )]
    Wrapped,
    /// Key data without a key type word before it.
    #[error("the key data has no key type before it; the line should start with the type, such as ssh-ed25519")]
    MissingKeyType,
    /// A key type word with nothing after it.
    #[error("key type {0} is not followed by the base64 key data")]
    MissingKeyData(Algorithm),
    /// An unknown key type word.
    #[error("unknown key type '{0}'")]
    UnknownKeyType(Snippet),
    /// An SSH protocol 1 RSA key (`bits exponent modulus`).
    #[error(
        "this is an SSH-1 RSA key, which OpenSSH no longer supports; generate a new key with `ssh-keygen -t ed25519`"
    )]
    Ssh1Key,
}

impl LineError {
    /// The stable machine code. Codes never change meaning once published.
    pub const fn code(&self) -> &'static str {
        match self {
            LineError::TooLong { .. } => "line.too_long",
            LineError::NoKey => "line.no_key",
            LineError::EmptyInput => "input.no_key",
            LineError::Nul => "line.nul",
            LineError::Newline => "line.newline",
            LineError::Encoding(_) => "text.encoding",
            LineError::ByteOrderMark => "line.bom",
            LineError::UnicodeSpace(_) => "line.unicode_space",
            LineError::CommentControl(_) => "comment.control",
            LineError::CommentInvisible(_) => "comment.invisible",
            LineError::PrivateKey(_) => "line.private_key",
            LineError::Rfc4716 => "line.rfc4716",
            LineError::PemPublicKey => "line.pem",
            LineError::PemBlock(_) => "line.pem_block",
            LineError::Wrapped => "line.wrapped",
            LineError::MissingKeyType => "line.missing_type",
            LineError::MissingKeyData(_) => "line.missing_key",
            LineError::UnknownKeyType(_) => "key.type.unknown",
            LineError::Ssh1Key => "line.ssh1",
        }
    }
}
