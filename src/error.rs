//! The one error type: what went wrong, where, and a stable machine code.
//!
//! Positions: `line` is 1-based, `byte` is a 0-based byte offset into the line,
//! `blob` is a 0-based byte offset into the decoded key blob together with the
//! name of the field being read. Messages are lowercase, location first, and
//! say what to do.

use std::fmt;

mod base64;
mod cert;
mod convert;
mod hosts;
mod key;
mod line;
mod options;
mod policy;
mod upload;
mod weak;
mod wire;

pub use base64::Base64Error;
pub use cert::{CertError, CertList};
pub use convert::ConvertError;
pub use hosts::HostsError;
pub use key::KeyError;
pub use line::LineError;
pub use options::OptionError;
pub use policy::PolicyError;
pub use upload::UploadError;
pub use weak::WeakError;
pub use wire::WireError;

/// A short copy of offending input, kept inline so that errors never allocate.
/// Longer input is cut (the `Display` form ends with `...`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Snippet {
    buf: [u8; Snippet::CAP],
    len: u8,
    cut: bool,
}

impl Snippet {
    const CAP: usize = 40;

    /// Copies up to 40 bytes of `s`.
    pub fn new(s: &[u8]) -> Snippet {
        let n = s.len().min(Self::CAP);
        let mut buf = [0u8; Self::CAP];
        buf[..n].copy_from_slice(&s[..n]);
        Snippet {
            buf,
            len: u8::try_from(n).unwrap_or(u8::MAX),
            cut: s.len() > n,
        }
    }

    /// The kept bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len)]
    }
}

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.as_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                if c.is_control() {
                    write!(f, "\\x{:02x}", u32::from(c))?;
                } else {
                    write!(f, "{c}")?;
                }
            }
            for b in chunk.invalid() {
                write!(f, "\\x{b:02x}")?;
            }
        }
        if self.cut {
            f.write_str("...")?;
        }
        Ok(())
    }
}

/// Every way a line, a blob or a key can be rejected, by layer: each layer
/// of keyvet has its own kind, with its own stable codes.
///
/// ```
/// use keyvet::{ErrorKind, KeyError};
/// assert_eq!(ErrorKind::from(KeyError::RsaExponentEven).code(), "rsa.exponent.even");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// The line or the input as text (`line.*`, `input.no_key`, ...).
    #[error(transparent)]
    Line(#[from] LineError),
    /// authorized_keys options (`options.*`).
    #[error(transparent)]
    Options(#[from] OptionError),
    /// The marker and host field of a known_hosts line (`known_hosts.*`).
    #[error(transparent)]
    Hosts(#[from] HostsError),
    /// The base64 key data (`base64.*`, `blob.too_large`).
    #[error(transparent)]
    Base64(#[from] Base64Error),
    /// The SSH wire format (`blob.truncated`, `string.*`, `mpint.*`, ...).
    #[error(transparent)]
    Wire(#[from] WireError),
    /// A public key (`key.type.*`, `rsa.*`, `ecdsa.*`, ...).
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A certificate (`cert.*`).
    #[error(transparent)]
    Cert(#[from] CertError),
    /// What a policy refuses (`policy.*`).
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// Conversion of pasted formats (`convert.*`).
    #[error(transparent)]
    Convert(#[from] ConvertError),
    /// A weak key (`weak.*`).
    #[error(transparent)]
    Weak(#[from] WeakError),
    /// A whole upload (`upload.*`).
    #[error(transparent)]
    Upload(#[from] UploadError),
}

impl ErrorKind {
    /// The stable machine code of this error, such as `base64.symbol` or
    /// `rsa.exponent.even`. Codes never change meaning once published.
    pub const fn code(&self) -> &'static str {
        match self {
            ErrorKind::Line(e) => e.code(),
            ErrorKind::Options(e) => e.code(),
            ErrorKind::Hosts(e) => e.code(),
            ErrorKind::Base64(e) => e.code(),
            ErrorKind::Wire(e) => e.code(),
            ErrorKind::Key(e) => e.code(),
            ErrorKind::Cert(e) => e.code(),
            ErrorKind::Policy(e) => e.code(),
            ErrorKind::Convert(e) => e.code(),
            ErrorKind::Weak(e) => e.code(),
            ErrorKind::Upload(e) => e.code(),
        }
    }
}

/// Which part of a key blob an error points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobPosition {
    /// 0-based offset into the decoded blob (for errors inside a
    /// certificate's signature key, into that key's own blob).
    pub offset: usize,
    /// The field being read, such as `rsa.n` or `cert.principals`.
    pub field: &'static str,
    /// The error is inside the certificate's signature (CA) key.
    pub in_signature_key: bool,
}

/// A rejection: its kind, and where in the input it happened.
///
/// ```
/// use keyvet::{Checker, policy};
/// let mut v = Checker::new(policy::STRICT);
/// let err = v.check_line(b"ssh-ed25519 AAAA!AAA").unwrap_err();
/// assert_eq!(err.code(), "base64.symbol");
/// assert_eq!(err.byte(), Some(16));
/// assert_eq!(err.to_string(), "byte 16: invalid base64 symbol '!'");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    line: Option<u64>,
    byte: Option<usize>,
    blob: Option<BlobPosition>,
}

impl Error {
    /// An error with no position yet.
    pub fn new(kind: impl Into<ErrorKind>) -> Error {
        Error {
            kind: kind.into(),
            line: None,
            byte: None,
            blob: None,
        }
    }

    pub(crate) fn at_byte(kind: impl Into<ErrorKind>, byte: usize) -> Error {
        Error {
            kind: kind.into(),
            line: None,
            byte: Some(byte),
            blob: None,
        }
    }

    pub(crate) fn in_blob(kind: impl Into<ErrorKind>, offset: usize, field: &'static str) -> Error {
        Error {
            kind: kind.into(),
            line: None,
            byte: None,
            blob: Some(BlobPosition {
                offset,
                field,
                in_signature_key: false,
            }),
        }
    }

    /// What went wrong.
    pub const fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The stable machine code, see [`ErrorKind::code`].
    pub const fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// 1-based line number, when the error came from a file or stream.
    pub const fn line(&self) -> Option<u64> {
        self.line
    }

    /// 0-based byte offset into the line.
    pub const fn byte(&self) -> Option<usize> {
        self.byte
    }

    /// Position inside the decoded key blob.
    pub const fn blob(&self) -> Option<BlobPosition> {
        self.blob
    }

    /// Sets the line number.
    #[must_use]
    pub const fn with_line(mut self, line: u64) -> Error {
        self.line = Some(line);
        self
    }

    /// Sets the byte offset in the line, unless one is already set.
    #[must_use]
    pub(crate) const fn or_byte(mut self, byte: usize) -> Error {
        if self.byte.is_none() {
            self.byte = Some(byte);
        }
        self
    }

    /// Marks a blob error as coming from a certificate's signature key.
    #[must_use]
    pub(crate) fn in_signature_key(mut self) -> Error {
        match &mut self.blob {
            Some(b) => b.in_signature_key = true,
            None => {
                self.blob = Some(BlobPosition {
                    offset: 0,
                    field: "cert.signature_key",
                    in_signature_key: true,
                })
            }
        }
        self
    }

    /// The message without the position prefix.
    pub fn message(&self) -> impl fmt::Display + '_ {
        &self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(l) = self.line {
            write!(f, "line {l}")?;
            sep = ", ";
        }
        if let Some(b) = self.byte {
            write!(f, "{sep}byte {b}")?;
            sep = ", ";
        }
        if let Some(p) = self.blob {
            if p.in_signature_key {
                write!(
                    f,
                    "{sep}certificate signature key, key data byte {} ({})",
                    p.offset, p.field
                )?;
            } else {
                write!(f, "{sep}key data byte {} ({})", p.offset, p.field)?;
            }
            sep = ", ";
        }
        if !sep.is_empty() {
            f.write_str(": ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.kind)
    }
}

/// Serialized as `keyvet check --json` writes an error: `code`, `message`
/// (the position first), and the position as fields when it is known:
/// `line` (1-based), `byte` (0-based, in the line), `field` and `offset`
/// (the field of the key data and its 0-based offset there), and
/// `in_signature_key` when the field is in a certificate's CA key.
#[cfg(feature = "serde")]
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut o = s.serialize_struct("Error", 7)?;
        o.serialize_field("code", self.code())?;
        o.serialize_field("message", &self.to_string())?;
        match self.line {
            Some(l) => o.serialize_field("line", &l)?,
            None => o.skip_field("line")?,
        }
        match self.byte {
            Some(b) => o.serialize_field("byte", &b)?,
            None => o.skip_field("byte")?,
        }
        match self.blob {
            Some(b) => {
                o.serialize_field("field", b.field)?;
                o.serialize_field("offset", &b.offset)?;
                if b.in_signature_key {
                    o.serialize_field("in_signature_key", &true)?;
                } else {
                    o.skip_field("in_signature_key")?;
                }
            }
            None => {
                o.skip_field("field")?;
                o.skip_field("offset")?;
                o.skip_field("in_signature_key")?;
            }
        }
        o.end()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error::new(kind)
    }
}

macro_rules! from_layer {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(kind: $t) -> Error {
                Error::new(kind)
            }
        }
    )*};
}
from_layer!(
    LineError,
    OptionError,
    Base64Error,
    WireError,
    KeyError,
    CertError,
    PolicyError,
    ConvertError,
    WeakError,
    UploadError
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_escapes_and_cuts() {
        let s = Snippet::new(b"a\x01\xffb");
        assert_eq!(s.to_string(), "a\\x01\\xffb");
        let long = Snippet::new(&[b'x'; 50]);
        assert!(long.to_string().ends_with("..."));
        assert_eq!(long.as_bytes().len(), 40);
    }

    #[test]
    fn display_has_position_first() {
        let e = Error::in_blob(WireError::MpintNegative, 20, "rsa.e").with_line(3);
        assert_eq!(
            e.to_string(),
            "line 3, key data byte 20 (rsa.e): negative integer (mpint with its top bit set)"
        );
        assert_eq!(e.code(), "mpint.negative");
    }
}
