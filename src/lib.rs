//! keyvet validates and fingerprints SSH public keys: every key type and
//! certificate OpenSSH knows, byte-exact against OpenSSH, strict where
//! attackers probe, and fast.
//!
//! # Zero-copy contract
//! * [`Line`] borrows the text of a line: type word and base64 as `&str`,
//!   options and comment as the bytes they are (sshd treats them as bytes).
//! * base64 is decoded into a buffer the caller owns ([`decode_base64`]) or
//!   into the reusable buffer of a [`Checker`]; [`Key`], [`PublicKey`] and
//!   [`Certificate`] borrow that buffer and keep the raw slices of their
//!   fields.
//! * Fingerprints hash the blob's own bytes when they are canonical, and a
//!   streamed canonical re-encoding otherwise: never an allocation.
//!
//! Once a [`Checker`]'s buffer has grown to the largest key seen,
//! validating a line allocates nothing, except inside the `rsa` and `dsa`
//! crates when a certificate's RSA or DSA CA signature is verified.
//!
//! # Policies
//! [`policy::OPENSSH`] accepts what OpenSSH 9.2 accepts; [`policy::STRICT`]
//! (the default for uploads) adds canonical encodings, RSA >= 2048 bits, no
//! DSA, sorted certificate options and more: see [`Policy`].
//!
//! # Example
//! ```
//! use keyvet::{Checker, policy, HashAlg};
//! let mut v = Checker::new(policy::STRICT);
//! let line = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy alice";
//! let key = v.check_line(line).unwrap();
//! println!("{} {} {}", key.bits(), key.fingerprint(HashAlg::Sha256), key.algorithm());
//!
//! let err = v.check_line(b"-----BEGIN OPENSSH PRIVATE KEY-----").unwrap_err();
//! assert_eq!(err.code(), "line.private_key");
//! ```
//!
//! # Security notes
//! * Every length prefix is checked against the bytes left before anything
//!   is read; lines and blobs are capped by the policy; no input makes the
//!   parser panic, loop or allocate without bound.
//! * ECDSA points are checked on their curve, and certificate signatures
//!   verified, with RustCrypto's crates: keyvet has no arithmetic of its own.

//! # Features
//! The engine parses, checks and fingerprints with no optional feature; the
//! rest is chosen by the embedder (`default` is `ec`, `weak` and
//! `convert`):
//!
//! | feature | what it adds |
//! |---|---|
//! | `ec` | ECDSA points checked on their curve ([`check_ec_point`]) |
//! | `weak` | weak-key screening (`weak`), implies `ec` |
//! | `convert` | every pasted format converted to one OpenSSH key (`convert`), implies `ec` |
//! | `verify` | certificate CA signatures verified (`signature`), implies `ec` |
//! | `serde` | `Serialize` for reports and errors |
//! | `full` | all of the above |
//!
//! A policy is a promise: when it asks for a check this build lacks (EC
//! points without `ec`, screening without `weak`, signatures without
//! `verify`), the key is refused with [`PolicyError::FeatureMissing`]
//! (`policy.feature_missing`), never accepted unchecked.

#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

mod algorithm;
mod base64;
pub mod cert;
mod checker;
#[cfg(feature = "convert")]
pub mod convert;
#[cfg(feature = "ec")]
mod ec;
mod error;
pub mod fingerprint;
mod format;
#[cfg(feature = "serde")]
pub mod json_lines;
mod key;
pub mod known_hosts;
pub mod line;
pub mod listing;
pub mod login;
mod meter;
pub mod policy;
pub mod randomart;
mod report;
mod rules;
pub mod screening;
#[cfg(feature = "verify")]
pub mod signature;
pub mod stream;
pub mod vet;
#[cfg(feature = "weak")]
pub mod weak;
pub mod wire;

pub use algorithm::{Algorithm, AlgorithmSet, CertVersion, Curve, KeyType};
pub use base64::decode_base64;
pub use cert::{CertType, Certificate};
pub use checker::{Checked, Checker};
#[cfg(feature = "ec")]
pub use ec::check_point as check_ec_point;
pub use error::{
    Base64Error, BlobPosition, CertError, CertList, ConvertError, Error, ErrorKind, HostsError, KeyError, LineError,
    OptionError, PolicyError, Snippet, UploadError, WeakError, WireError,
};
pub use fingerprint::{Fingerprint, HashAlg};
pub use format::{Format, LineFormat, PrivateKeyKind};
pub use key::{
    DsaKey, ED25519_KEY_LEN, EcdsaKey, Ed25519Key, Key, KeyData, MLDSA44_ED25519_KEY_LEN, MlDsa44Ed25519Key,
    OPENSSH_MIN_RSA_BITS, PlainKey, PublicKey, RsaKey, SkKey,
};
pub use line::Line;
pub use policy::Policy;
pub use report::{CertReport, KeyReport};

/// The README's examples, run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
