//! Key generation for the create-key-pair APIs.
//!
//! Keys are made by RustCrypto's crates (`rsa`, and `ssh-key` with
//! `ed25519-dalek` and `p256`/`p384`), never by keyvet; private keys are
//! encoded by those crates too: PKCS#1 PEM for RSA, as Tencent's
//! `CreateKeyPair` returns it, and the OpenSSH format for the others. The
//! private key is returned to the caller and never kept.

use base64::Engine;
use rand_core::{OsRng, RngCore};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

use keyvet::wire::Sink;

/// The RSA sizes keys are made with: keyvet's strict floor to
/// ssh-keygen's ceiling.
///
/// ```
/// assert!(keyvet_cloud::generate::RSA_BITS.contains(&2048));
/// assert!(!keyvet_cloud::generate::RSA_BITS.contains(&1024));
/// ```
pub const RSA_BITS: std::ops::RangeInclusive<usize> = 2048..=16384;

/// The kind of key to create.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKey {
    /// RSA with this many bits (Tencent's documented output; 2048 by
    /// default).
    Rsa(usize),
    /// Ed25519.
    Ed25519,
    /// ECDSA on NIST P-256.
    EcdsaP256,
    /// ECDSA on NIST P-384.
    EcdsaP384,
}

/// A created key pair.
#[derive(Debug)]
pub struct CreatedKey {
    /// The OpenSSH public key line, with its comment.
    pub public_line: String,
    /// The private key: PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`) for
    /// RSA, OpenSSH format otherwise. Zeroized on drop.
    pub private_pem: Zeroizing<String>,
}

/// Why a key could not be created.
#[derive(Debug, thiserror::Error)]
#[error("key generation failed: {0}")]
pub struct CreateError(String);

/// A comment in the style of the documented example (`skey_112168`).
pub fn generated_comment() -> String {
    format!("skey_{:06}", OsRng.next_u32() % 1_000_000)
}

/// Creates a key pair with the operating system's random generator.
///
/// ```
/// use keyvet_cloud::generate::{new_key, NewKey};
/// let k = new_key(NewKey::Ed25519, "skey_000001").unwrap();
/// assert!(k.public_line.starts_with("ssh-ed25519 AAAA"));
/// assert!(k.private_pem.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
/// assert!(keyvet::Checker::new(keyvet::policy::STRICT).check_line(k.public_line.as_bytes()).is_ok());
/// ```
///
/// # Errors
/// When the underlying crate fails (an RSA size it refuses, for example).
pub fn new_key(kind: NewKey, comment: &str) -> Result<CreatedKey, CreateError> {
    match kind {
        NewKey::Rsa(bits) => {
            let key = rsa::RsaPrivateKey::new(&mut OsRng, bits).map_err(|e| CreateError(e.to_string()))?;
            let pem = key
                .to_pkcs1_pem(rsa::pkcs1::LineEnding::LF)
                .map_err(|e| CreateError(e.to_string()))?;
            let mut blob = Vec::new();
            blob.put_string(b"ssh-rsa");
            blob.put_mpint(&key.e().to_bytes_be());
            blob.put_mpint(&key.n().to_bytes_be());
            let b64 = base64::engine::general_purpose::STANDARD.encode(&blob);
            Ok(CreatedKey {
                public_line: format!("ssh-rsa {b64} {comment}"),
                private_pem: Zeroizing::new(pem.to_string()),
            })
        }
        NewKey::Ed25519 | NewKey::EcdsaP256 | NewKey::EcdsaP384 => {
            let alg = match kind {
                NewKey::Ed25519 => ssh_key::Algorithm::Ed25519,
                NewKey::EcdsaP256 => ssh_key::Algorithm::Ecdsa {
                    curve: ssh_key::EcdsaCurve::NistP256,
                },
                _ => ssh_key::Algorithm::Ecdsa {
                    curve: ssh_key::EcdsaCurve::NistP384,
                },
            };
            let mut key = ssh_key::PrivateKey::random(&mut OsRng, alg).map_err(|e| CreateError(e.to_string()))?;
            key.set_comment(comment);
            let private_pem = key
                .to_openssh(ssh_key::LineEnding::LF)
                .map_err(|e| CreateError(e.to_string()))?;
            let public_line = key.public_key().to_openssh().map_err(|e| CreateError(e.to_string()))?;
            Ok(CreatedKey {
                public_line,
                private_pem,
            })
        }
    }
}
