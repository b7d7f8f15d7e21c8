//! Conversion of pasted formats (`convert.*`).

use crate::format::{Format, PrivateKeyKind};

use super::Snippet;

/// Why a pasted key in another format cannot be converted.
///
/// Each variant has a stable machine code, see [`ConvertError::code`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    /// A private key whose public half cannot be read without its passphrase.
    #[error(
        "this {0} is encrypted, and keyvet never asks for passphrases: upload the matching .pub file, or print the public key with `ssh-keygen -y -f KEYFILE` and upload that"
    )]
    Encrypted(PrivateKeyKind),
    /// A key block or key file that breaks its format.
    #[error("malformed {format}: {reason}")]
    Malformed {
        /// The form the input claims to be.
        format: Format,
        /// What is wrong.
        reason: &'static str,
    },
    /// A PEM block whose label names no SSH key (a certificate, a PGP key...).
    #[error(
        "a PEM block labelled '{0}' holds no SSH key; paste an OpenSSH public key, or a PEM PUBLIC KEY or PRIVATE KEY block"
    )]
    PemLabel(Snippet),
    /// A key in a form or of an algorithm that cannot be converted.
    #[error("{0}")]
    Unsupported(&'static str),
    /// An EC key whose curve is given by explicit parameters that are not
    /// one of the curves SSH uses.
    #[error(
        "the EC key's curve is given by explicit parameters that are none of the curves SSH uses (P-256, P-384, P-521): generate a key on a named curve"
    )]
    ExplicitCurve,
    /// An input over the conversion cap.
    #[error("the input is {len} bytes, over the limit of {max} bytes for one key")]
    TooLarge {
        /// Its length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// A private key file from which no key can be read (ssh-keygen: "is
    /// not a key file").
    #[error(
        "no key can be read from this file: it is neither an OpenSSH private key nor a PEM private key ssh-keygen reads; upload the public key (the .pub file) instead"
    )]
    NoKey,
}

impl ConvertError {
    /// The stable machine code. Codes never change meaning once published.
    pub const fn code(&self) -> &'static str {
        match self {
            ConvertError::Encrypted(_) => "convert.encrypted",
            ConvertError::Malformed { .. } => "convert.malformed",
            ConvertError::PemLabel(_) => "convert.pem_label",
            ConvertError::Unsupported(_) => "convert.unsupported",
            ConvertError::TooLarge { .. } => "convert.too_large",
            ConvertError::NoKey => "convert.no_key",
            ConvertError::ExplicitCurve => "convert.explicit_curve",
        }
    }
}
