//! Certificates: layout, lists and CA signatures (`cert.*`).

use std::fmt;

use crate::algorithm::KeyType;

use super::Snippet;

/// Which signature-carrying structure or list an error is about.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertList {
    /// The critical options of a certificate.
    CriticalOptions,
    /// The extensions of a certificate.
    Extensions,
}

impl fmt::Display for CertList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CertList::CriticalOptions => "critical options",
            CertList::Extensions => "extensions",
        })
    }
}

/// Why a certificate is refused.
///
/// Each variant has a stable machine code, see [`CertError::code`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    /// Certificate type other than 1 (user) or 2 (host).
    #[error("certificate type {0} is neither 1 (user) nor 2 (host)")]
    Type(u32),
    /// More than 256 principals.
    #[error("certificate lists more than {0} principals")]
    TooManyPrincipals(usize),
    /// An empty principal name (strict policy).
    #[error("certificate lists an empty principal name")]
    EmptyPrincipal,
    /// A malformed critical-option or extension list.
    #[error("certificate {0} are malformed")]
    ListMalformed(CertList),
    /// Critical options or extensions out of order. No longer a refusal:
    /// lists out of order are a warning, the finding
    /// [`Check::CertExtensionsUnsorted`](crate::screening::Check::CertExtensionsUnsorted)
    /// (or its critical-options twin), with this code as its id.
    #[error("certificate {0} are not sorted by name, as PROTOCOL.certkeys requires")]
    ListUnsorted(CertList),
    /// A repeated critical option or extension (strict policy).
    #[error("certificate {0} repeat a name")]
    ListDuplicate(CertList),
    /// valid_after is later than valid_before (strict policy).
    #[error("certificate is never valid: valid_after is later than valid_before")]
    ValidityInverted,
    /// The reserved field is not empty (strict policy).
    #[error("certificate reserved field is not empty")]
    Reserved,
    /// The signature key is itself a certificate.
    #[error("the certificate's signature key is itself a certificate; chained certificates are not supported")]
    CaIsCertificate,
    /// The signature key is a type keyvet cannot verify.
    #[error("the certificate's signature key type {0} cannot sign certificates here")]
    CaUnsupported(KeyType),
    /// The signature blob is malformed.
    #[error("the certificate signature is malformed")]
    SignatureMalformed,
    /// The signature algorithm does not fit the signature key.
    #[error("the certificate is signed with '{sig}', which a {ca} signature key cannot make")]
    SignatureAlgorithm {
        /// Algorithm named in the signature.
        sig: Snippet,
        /// Type of the signature key.
        ca: KeyType,
    },
    /// The CA signature does not verify.
    #[error(
        "the certificate signature does not verify: the certificate was altered or not signed by its signature key"
    )]
    SignatureInvalid,
    /// A `ssh-rsa` (SHA-1) CA signature (strict policy).
    #[error(
        "the certificate is signed with ssh-rsa (SHA-1), which OpenSSH refuses by default since 8.2; re-sign it with rsa-sha2-512"
    )]
    SignatureSha1,
}

impl CertError {
    /// The stable machine code. Codes never change meaning once published.
    pub const fn code(&self) -> &'static str {
        match self {
            CertError::Type(_) => "cert.type",
            CertError::TooManyPrincipals(_) => "cert.principals.too_many",
            CertError::EmptyPrincipal => "cert.principals.empty",
            CertError::ListMalformed(CertList::CriticalOptions) => "cert.critical_options.malformed",
            CertError::ListMalformed(CertList::Extensions) => "cert.extensions.malformed",
            CertError::ListUnsorted(CertList::CriticalOptions) => "cert.critical_options.unsorted",
            CertError::ListUnsorted(CertList::Extensions) => "cert.extensions.unsorted",
            CertError::ListDuplicate(CertList::CriticalOptions) => "cert.critical_options.duplicate",
            CertError::ListDuplicate(CertList::Extensions) => "cert.extensions.duplicate",
            CertError::ValidityInverted => "cert.validity.inverted",
            CertError::Reserved => "cert.reserved",
            CertError::CaIsCertificate => "cert.ca.certificate",
            CertError::CaUnsupported(_) => "cert.ca.unsupported",
            CertError::SignatureMalformed => "cert.signature.malformed",
            CertError::SignatureAlgorithm { .. } => "cert.signature.algorithm",
            CertError::SignatureInvalid => "cert.signature.invalid",
            CertError::SignatureSha1 => "cert.signature.sha1",
        }
    }
}
