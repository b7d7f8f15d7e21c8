//! A whole upload, as a person pastes it into an "add SSH key" form or an
//! import API (`upload.*`): the mistakes keyvet names before it reads a key.

use crate::format::PrivateKeyKind;

/// Why an upload is refused before (or instead of) a key is read from it.
///
/// Each variant has a stable machine code, see [`UploadError::code`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    /// A private key, in any format keyvet recognises.
    #[error(
        "this is a private key ({0}), not a public key: treat it as exposed, since whoever saw this text can log in \
         with it; make a new key pair with `ssh-keygen -t ed25519` and upload the .pub file (the public half of a key \
         you keep is printed by `ssh-keygen -y -f KEYFILE`)"
    )]
    PrivateKey(PrivateKeyKind),
    /// UTF-16 text (as PowerShell's `>` writes it).
    #[error(
        "the text is UTF-16 ({}), as PowerShell's `>` writes it; save the key as UTF-8 or ASCII (`Get-Content key.pub | Set-Content -Encoding ascii key.txt`) or paste the .pub file's text",
        if *.big_endian { "big-endian" } else { "little-endian" }
    )]
    Utf16 {
        /// Big-endian (`FE FF`) rather than little-endian.
        big_endian: bool,
    },
    /// Bytes that are not text.
    #[error("this is a binary file, not a public key: upload the text of the .pub file")]
    Binary,
    /// A key broken over several lines.
    #[error(
        "the key is broken over {lines} lines{wrap}; join them into one line (remove the line breaks inside the key): the pieces make one valid key",
        wrap = WrapWidth(*.width)
    )]
    Wrapped {
        /// Lines the key spans.
        lines: u32,
        /// The width its lines were cut at, when they all were.
        width: Option<u32>,
    },
    /// Blanks inside the base64 key data.
    #[error("the key data holds {blanks} blank(s) inside it; remove them: without them the pieces make one valid key")]
    SpaceInKey {
        /// The blanks removed.
        blanks: u32,
    },
    /// More than one key where the API takes one.
    #[error("{0} keys found, one expected: upload one key at a time")]
    SeveralKeys(u32),
    /// A whole key, then text that is no key: not a wrapped key, and not to
    /// be glued onto the key's comment.
    #[error(
        "the upload holds text besides the key; upload the key alone (if the text is the key's comment, put it on the key's line, after a space)"
    )]
    ExtraText,
    /// An authorized_keys line with options where a bare key belongs.
    #[error(
        "this authorized_keys line starts with options; upload the key alone, from its type (such as ssh-ed25519) to its comment"
    )]
    Options,
    /// A known_hosts line where a bare key belongs.
    #[error(
        "this is a known_hosts line (host names before the key); upload the key alone, from its type (such as ssh-ed25519) to its comment"
    )]
    KnownHosts,
    /// An upload over the size cap.
    #[error("the upload is {len} bytes, over the limit of {max} bytes for one key")]
    TooLarge {
        /// Its length (or what was read before giving up).
        len: usize,
        /// The cap.
        max: usize,
    },
}

/// ` (wrapped at N columns)`, when the width is known.
struct WrapWidth(Option<u32>);

impl std::fmt::Display for WrapWidth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(w) => write!(f, " (wrapped at {w} columns)"),
            None => Ok(()),
        }
    }
}

impl UploadError {
    /// The stable machine code. Codes never change meaning once published.
    pub const fn code(&self) -> &'static str {
        match self {
            UploadError::PrivateKey(_) => "upload.private_key",
            UploadError::Utf16 { .. } => "upload.utf16",
            UploadError::Binary => "upload.binary",
            UploadError::Wrapped { .. } => "upload.wrapped",
            UploadError::SpaceInKey { .. } => "upload.space_in_key",
            UploadError::SeveralKeys(_) => "upload.several_keys",
            UploadError::ExtraText => "upload.extra_text",
            UploadError::Options => "upload.options",
            UploadError::KnownHosts => "upload.known_hosts",
            UploadError::TooLarge { .. } => "upload.too_large",
        }
    }
}
