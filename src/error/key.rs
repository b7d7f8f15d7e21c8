//! Public keys: type names, sizes, curves and points (`blob.type.*`,
//! `key.type.*`, `rsa.*`, `ecdsa.*`, `ed25519.*`, `mldsa.*`, `sk.*`).

use crate::algorithm::{Algorithm, Curve};

use super::Snippet;

/// Why a public key (plain, certified, or a certificate's CA key) is refused.
///
/// Each variant has a stable machine code, see [`KeyError::code`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The type string inside the blob is unknown.
    #[error("the key data holds an unknown key type '{0}'")]
    TypeUnknown(Snippet),
    /// The type word on the line and the key inside disagree.
    #[error("key type says {line} but the key inside is {blob}")]
    TypeMismatch {
        /// The type word of the line.
        line: Algorithm,
        /// The type inside the blob.
        blob: Algorithm,
    },
    /// A signature-algorithm alias used as a type word (strict policy).
    #[error("type word '{word}' is a signature algorithm, not a key type; write {canonical}")]
    TypeAlias {
        /// The alias.
        word: &'static str,
        /// The canonical name.
        canonical: Algorithm,
    },
    /// The type string inside the blob is not the canonical name (strict policy).
    #[error("the key data names its type '{0}' instead of the canonical name")]
    TypeNonCanonical(Snippet),
    /// RSA modulus below the minimum.
    #[error(
        "RSA key has {bits} bits, under the minimum of {min}; generate a new key with `ssh-keygen -t ed25519` or `-t rsa -b 3072`"
    )]
    RsaTooSmall {
        /// Modulus bits.
        bits: u32,
        /// The minimum.
        min: u32,
    },
    /// RSA modulus above the maximum.
    #[error("RSA key has {bits} bits, over the maximum of {max}")]
    RsaTooLarge {
        /// Modulus bits.
        bits: u32,
        /// The maximum.
        max: u32,
    },
    /// Even RSA modulus: it is not a product of two odd primes.
    #[error("RSA modulus is even, so it is not a valid RSA key")]
    RsaModulusEven,
    /// Even RSA public exponent.
    #[error("RSA public exponent is even, so it is not a valid RSA key")]
    RsaExponentEven,
    /// RSA public exponent below 3.
    #[error("RSA public exponent is below 3")]
    RsaExponentTooSmall,
    /// RSA public exponent not below the modulus.
    #[error("RSA public exponent is not smaller than the modulus")]
    RsaExponentTooLarge,
    /// The curve named in the blob does not match the key type.
    #[error("the key data names curve '{found}' but the key type needs {expected}")]
    EcCurveMismatch {
        /// The curve the type needs.
        expected: Curve,
        /// What the blob says.
        found: Snippet,
    },
    /// The EC point is not an uncompressed SEC1 point.
    #[error("the EC public point is not in uncompressed form (first byte {0:#04x}, OpenSSH needs 0x04)")]
    EcPointEncoding(u8),
    /// The EC point has the wrong length.
    #[error("the EC public point is {len} bytes; {curve} needs {expected}")]
    EcPointLength {
        /// Its length.
        len: usize,
        /// The length the curve needs.
        expected: usize,
        /// The curve.
        curve: Curve,
    },
    /// The EC point is not on the curve (or a coordinate is not below p).
    #[error("the EC public point is not on curve {0}")]
    EcPointNotOnCurve(Curve),
    /// The EC point fails OpenSSH's range checks (`sshkey_ec_validate_public`).
    #[error(
        "the EC public point fails OpenSSH's public-key checks (a coordinate is too small or not below the group order minus one)"
    )]
    EcPointRange,
    /// An Ed25519 key that is not 32 bytes.
    #[error("the Ed25519 public key is {0} bytes; it must be 32")]
    Ed25519Length(usize),
    /// An ML-DSA-44 + Ed25519 key of the wrong size.
    #[error("the ML-DSA-44+Ed25519 public key is {0} bytes; it must be 1344")]
    MlDsaLength(usize),
    /// A FIDO application string that does not start with `ssh:` (strict policy).
    #[error("the security-key application '{0}' does not start with \"ssh:\"")]
    SkApplication(Snippet),
}

impl KeyError {
    /// The stable machine code. Codes never change meaning once published.
    pub const fn code(&self) -> &'static str {
        match self {
            KeyError::TypeUnknown(_) => "blob.type.unknown",
            KeyError::TypeMismatch { .. } => "key.type.mismatch",
            KeyError::TypeAlias { .. } => "key.type.alias",
            KeyError::TypeNonCanonical(_) => "blob.type.noncanonical",
            KeyError::RsaTooSmall { .. } => "rsa.too_small",
            KeyError::RsaTooLarge { .. } => "rsa.too_large",
            KeyError::RsaModulusEven => "rsa.modulus.even",
            KeyError::RsaExponentEven => "rsa.exponent.even",
            KeyError::RsaExponentTooSmall => "rsa.exponent.too_small",
            KeyError::RsaExponentTooLarge => "rsa.exponent.too_large",
            KeyError::EcCurveMismatch { .. } => "ecdsa.curve.mismatch",
            KeyError::EcPointEncoding(_) => "ecdsa.point.encoding",
            KeyError::EcPointLength { .. } => "ecdsa.point.length",
            KeyError::EcPointNotOnCurve(_) => "ecdsa.point.not_on_curve",
            KeyError::EcPointRange => "ecdsa.point.range",
            KeyError::Ed25519Length(_) => "ed25519.length",
            KeyError::MlDsaLength(_) => "mldsa.length",
            KeyError::SkApplication(_) => "sk.application",
        }
    }
}
