//! Key types, certificate versions and the names OpenSSH gives them.
//!
//! OpenSSH knows a key by several names: the canonical wire name
//! (`ssh-rsa`), signature-algorithm aliases that `sshkey_read` lets through as
//! a line's type word (`rsa-sha2-256`), and case-insensitive short names that
//! `sshkey_type_from_name` accepts inside a blob (`RSA`). This module holds the
//! one table all of them are looked up in.

use std::fmt;

/// The family of a plain (non-certificate) public key, curve included.
///
/// ```
/// use keyvet::KeyType;
/// assert_eq!(KeyType::Ed25519.name(), "ssh-ed25519");
/// assert_eq!(KeyType::EcdsaP384.short_name(), "ECDSA");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyType {
    /// `ssh-rsa` (RFC 4253).
    Rsa,
    /// `ssh-dss` (RFC 4253), DSA.
    Dsa,
    /// `ecdsa-sha2-nistp256` (RFC 5656).
    EcdsaP256,
    /// `ecdsa-sha2-nistp384` (RFC 5656).
    EcdsaP384,
    /// `ecdsa-sha2-nistp521` (RFC 5656).
    EcdsaP521,
    /// `ssh-ed25519` (RFC 8709).
    Ed25519,
    /// `sk-ecdsa-sha2-nistp256@openssh.com`, a FIDO security key (PROTOCOL.u2f).
    SkEcdsaP256,
    /// `sk-ssh-ed25519@openssh.com`, a FIDO security key (PROTOCOL.u2f).
    SkEd25519,
    /// `ssh-mldsa44-ed25519@openssh.com`, the composite ML-DSA-44 + Ed25519
    /// post-quantum key of OpenSSH 10.4.
    MlDsa44Ed25519,
}

/// The NIST curve of an ECDSA key.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Curve {
    /// NIST P-256 (`nistp256`).
    P256,
    /// NIST P-384 (`nistp384`).
    P384,
    /// NIST P-521 (`nistp521`).
    P521,
}

impl Curve {
    /// The curve identifier used inside ECDSA key blobs (`nistp256`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Curve::P256 => "nistp256",
            Curve::P384 => "nistp384",
            Curve::P521 => "nistp521",
        }
    }

    /// Field size in bits; also the size ssh-keygen reports for the key.
    pub const fn bits(self) -> u32 {
        match self {
            Curve::P256 => 256,
            Curve::P384 => 384,
            Curve::P521 => 521,
        }
    }

    /// Bytes of one field element.
    pub const fn field_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// Length of an uncompressed SEC1 point: `0x04 || x || y`.
    pub const fn point_len(self) -> usize {
        1 + 2 * self.field_len()
    }

    pub(crate) fn from_name(name: &[u8]) -> Option<Curve> {
        match name {
            b"nistp256" => Some(Curve::P256),
            b"nistp384" => Some(Curve::P384),
            b"nistp521" => Some(Curve::P521),
            _ => None,
        }
    }
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl KeyType {
    /// Every key type keyvet knows, in a stable order.
    pub const ALL: [KeyType; 9] = [
        KeyType::Rsa,
        KeyType::Dsa,
        KeyType::EcdsaP256,
        KeyType::EcdsaP384,
        KeyType::EcdsaP521,
        KeyType::Ed25519,
        KeyType::SkEcdsaP256,
        KeyType::SkEd25519,
        KeyType::MlDsa44Ed25519,
    ];

    /// Canonical wire name of the plain key type.
    pub const fn name(self) -> &'static str {
        match self {
            KeyType::Rsa => "ssh-rsa",
            KeyType::Dsa => "ssh-dss",
            KeyType::EcdsaP256 => "ecdsa-sha2-nistp256",
            KeyType::EcdsaP384 => "ecdsa-sha2-nistp384",
            KeyType::EcdsaP521 => "ecdsa-sha2-nistp521",
            KeyType::Ed25519 => "ssh-ed25519",
            KeyType::SkEcdsaP256 => "sk-ecdsa-sha2-nistp256@openssh.com",
            KeyType::SkEd25519 => "sk-ssh-ed25519@openssh.com",
            KeyType::MlDsa44Ed25519 => "ssh-mldsa44-ed25519@openssh.com",
        }
    }

    /// The short name ssh-keygen prints in parentheses (`RSA`, `ECDSA-SK`, ...).
    pub const fn short_name(self) -> &'static str {
        match self {
            KeyType::Rsa => "RSA",
            KeyType::Dsa => "DSA",
            KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::EcdsaP521 => "ECDSA",
            KeyType::Ed25519 => "ED25519",
            KeyType::SkEcdsaP256 => "ECDSA-SK",
            KeyType::SkEd25519 => "ED25519-SK",
            KeyType::MlDsa44Ed25519 => "MLDSA44-ED25519",
        }
    }

    /// The curve, for ECDSA key types.
    pub const fn curve(self) -> Option<Curve> {
        match self {
            KeyType::EcdsaP256 | KeyType::SkEcdsaP256 => Some(Curve::P256),
            KeyType::EcdsaP384 => Some(Curve::P384),
            KeyType::EcdsaP521 => Some(Curve::P521),
            _ => None,
        }
    }

    /// Whether this is a FIDO security-key type (`sk-...`).
    pub const fn is_sk(self) -> bool {
        matches!(self, KeyType::SkEcdsaP256 | KeyType::SkEd25519)
    }

    /// The `-cert-v01@openssh.com` name of this type.
    pub const fn cert_v01_name(self) -> &'static str {
        match self {
            KeyType::Rsa => "ssh-rsa-cert-v01@openssh.com",
            KeyType::Dsa => "ssh-dss-cert-v01@openssh.com",
            KeyType::EcdsaP256 => "ecdsa-sha2-nistp256-cert-v01@openssh.com",
            KeyType::EcdsaP384 => "ecdsa-sha2-nistp384-cert-v01@openssh.com",
            KeyType::EcdsaP521 => "ecdsa-sha2-nistp521-cert-v01@openssh.com",
            KeyType::Ed25519 => "ssh-ed25519-cert-v01@openssh.com",
            KeyType::SkEcdsaP256 => "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
            KeyType::SkEd25519 => "sk-ssh-ed25519-cert-v01@openssh.com",
            KeyType::MlDsa44Ed25519 => "ssh-mldsa44-ed25519-cert-v01@openssh.com",
        }
    }

    const fn index(self) -> u32 {
        match self {
            KeyType::Rsa => 0,
            KeyType::Dsa => 1,
            KeyType::EcdsaP256 => 2,
            KeyType::EcdsaP384 => 3,
            KeyType::EcdsaP521 => 4,
            KeyType::Ed25519 => 5,
            KeyType::SkEcdsaP256 => 6,
            KeyType::SkEd25519 => 7,
            KeyType::MlDsa44Ed25519 => 8,
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The layout version of an OpenSSH certificate (PROTOCOL.certkeys).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertVersion {
    /// The legacy `-cert-v00@openssh.com` layout (OpenSSH 5.4 to 6.x): no
    /// serial, no extensions, nonce after the options. Only `ssh-rsa` and
    /// `ssh-dss` exist in this form. OpenSSH removed it in 7.x; cloud APIs
    /// still list it.
    V00,
    /// The `-cert-v01@openssh.com` layout of current OpenSSH.
    V01,
}

/// A key algorithm as it appears on an OpenSSH line: a key type, plain or
/// certified.
///
/// ```
/// use keyvet::{Algorithm, KeyType};
/// let a = Algorithm::from_name("ssh-ed25519-cert-v01@openssh.com").unwrap();
/// assert_eq!(a.key_type(), KeyType::Ed25519);
/// assert!(a.is_cert());
/// assert_eq!(a.short_name(), "ED25519-CERT");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Algorithm {
    key: KeyType,
    cert: Option<CertVersion>,
}

impl Algorithm {
    /// A plain key algorithm.
    pub const fn plain(key: KeyType) -> Algorithm {
        Algorithm { key, cert: None }
    }

    /// A certificate algorithm. `V00` exists only for RSA and DSA; for other
    /// key types this returns `None`.
    pub const fn cert(key: KeyType, version: CertVersion) -> Option<Algorithm> {
        match (version, key) {
            (CertVersion::V00, KeyType::Rsa | KeyType::Dsa) | (CertVersion::V01, _) => Some(Algorithm {
                key,
                cert: Some(version),
            }),
            (CertVersion::V00, _) => None,
        }
    }

    /// The key type (for certificates, the type of the certified key).
    pub const fn key_type(self) -> KeyType {
        self.key
    }

    /// The certificate version, if this is a certificate algorithm.
    pub const fn cert_version(self) -> Option<CertVersion> {
        self.cert
    }

    /// Whether this is a certificate algorithm.
    pub const fn is_cert(self) -> bool {
        self.cert.is_some()
    }

    /// Canonical name (`ssh-rsa`, `ssh-rsa-cert-v01@openssh.com`, ...).
    pub const fn name(self) -> &'static str {
        match self.cert {
            None => self.key.name(),
            Some(CertVersion::V01) => self.key.cert_v01_name(),
            Some(CertVersion::V00) => match self.key {
                KeyType::Dsa => "ssh-dss-cert-v00@openssh.com",
                _ => "ssh-rsa-cert-v00@openssh.com",
            },
        }
    }

    /// The type ssh-keygen prints in parentheses: `RSA`, `ED25519-CERT`, ...
    pub const fn short_name(self) -> &'static str {
        match (self.cert, self.key) {
            (None, k) => k.short_name(),
            (Some(CertVersion::V00), KeyType::Dsa) => "DSA-CERT-V00",
            (Some(CertVersion::V00), _) => "RSA-CERT-V00",
            (Some(CertVersion::V01), KeyType::Rsa) => "RSA-CERT",
            (Some(CertVersion::V01), KeyType::Dsa) => "DSA-CERT",
            (Some(CertVersion::V01), KeyType::EcdsaP256 | KeyType::EcdsaP384)
            | (Some(CertVersion::V01), KeyType::EcdsaP521) => "ECDSA-CERT",
            (Some(CertVersion::V01), KeyType::Ed25519) => "ED25519-CERT",
            (Some(CertVersion::V01), KeyType::SkEcdsaP256) => "ECDSA-SK-CERT",
            (Some(CertVersion::V01), KeyType::SkEd25519) => "ED25519-SK-CERT",
            (Some(CertVersion::V01), KeyType::MlDsa44Ed25519) => "MLDSA44-ED25519-CERT",
        }
    }

    /// Looks up a canonical name or an OpenSSH alias (`rsa-sha2-256`,
    /// `rsa-sha2-512-cert-v01@openssh.com`,
    /// `webauthn-sk-ecdsa-sha2-nistp256@openssh.com`).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        lookup(name.as_bytes()).map(|e| e.alg)
    }

    /// A dense index, for [`AlgorithmSet`].
    const fn bit(self) -> u64 {
        let base = self.key.index();
        let off = match self.cert {
            None => 0,
            Some(CertVersion::V01) => 16,
            Some(CertVersion::V00) => 32,
        };
        1u64 << (base + off)
    }
}

/// Serialized as its canonical name.
#[cfg(feature = "serde")]
impl serde::Serialize for Algorithm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One row of the name table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NameEntry {
    pub(crate) name: &'static str,
    pub(crate) alg: Algorithm,
    /// The name is an alias OpenSSH accepts in place of the canonical name.
    pub(crate) alias: bool,
    /// OpenSSH 9.2 knows the name.
    pub(crate) openssh92: bool,
}

const fn row(name: &'static str, key: KeyType, cert: Option<CertVersion>, alias: bool) -> NameEntry {
    NameEntry {
        name,
        alg: Algorithm { key, cert },
        alias,
        openssh92: !matches!(cert, Some(CertVersion::V00)) && !matches!(key, KeyType::MlDsa44Ed25519),
    }
}

const V01: Option<CertVersion> = Some(CertVersion::V01);
const V00: Option<CertVersion> = Some(CertVersion::V00);

/// Every name keyvet accepts as a type word, most common first.
pub(crate) const NAMES: [NameEntry; 25] = [
    row("ssh-ed25519", KeyType::Ed25519, None, false),
    row("ssh-rsa", KeyType::Rsa, None, false),
    row("ecdsa-sha2-nistp256", KeyType::EcdsaP256, None, false),
    row("ecdsa-sha2-nistp384", KeyType::EcdsaP384, None, false),
    row("ecdsa-sha2-nistp521", KeyType::EcdsaP521, None, false),
    row("sk-ssh-ed25519@openssh.com", KeyType::SkEd25519, None, false),
    row("sk-ecdsa-sha2-nistp256@openssh.com", KeyType::SkEcdsaP256, None, false),
    row("ssh-dss", KeyType::Dsa, None, false),
    row("ssh-ed25519-cert-v01@openssh.com", KeyType::Ed25519, V01, false),
    row("ssh-rsa-cert-v01@openssh.com", KeyType::Rsa, V01, false),
    row(
        "ecdsa-sha2-nistp256-cert-v01@openssh.com",
        KeyType::EcdsaP256,
        V01,
        false,
    ),
    row(
        "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        KeyType::EcdsaP384,
        V01,
        false,
    ),
    row(
        "ecdsa-sha2-nistp521-cert-v01@openssh.com",
        KeyType::EcdsaP521,
        V01,
        false,
    ),
    row("sk-ssh-ed25519-cert-v01@openssh.com", KeyType::SkEd25519, V01, false),
    row(
        "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
        KeyType::SkEcdsaP256,
        V01,
        false,
    ),
    row("ssh-dss-cert-v01@openssh.com", KeyType::Dsa, V01, false),
    row("ssh-mldsa44-ed25519@openssh.com", KeyType::MlDsa44Ed25519, None, false),
    row(
        "ssh-mldsa44-ed25519-cert-v01@openssh.com",
        KeyType::MlDsa44Ed25519,
        V01,
        false,
    ),
    row("ssh-rsa-cert-v00@openssh.com", KeyType::Rsa, V00, false),
    row("ssh-dss-cert-v00@openssh.com", KeyType::Dsa, V00, false),
    row("rsa-sha2-256", KeyType::Rsa, None, true),
    row("rsa-sha2-512", KeyType::Rsa, None, true),
    row("rsa-sha2-256-cert-v01@openssh.com", KeyType::Rsa, V01, true),
    row("rsa-sha2-512-cert-v01@openssh.com", KeyType::Rsa, V01, true),
    row(
        "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
        KeyType::SkEcdsaP256,
        None,
        true,
    ),
];

/// Exact lookup of a type word (what `sshkey_read` accepts on a line).
pub(crate) fn lookup(name: &[u8]) -> Option<&'static NameEntry> {
    // The first byte and the length discriminate almost all rows, so this
    // linear scan compares few bytes in practice.
    NAMES
        .iter()
        .find(|e| e.name.len() == name.len() && e.name.as_bytes() == name)
}

/// Whether OpenSSH 9.2's `sshkey_type_from_name` knows a word: a type or
/// signature name, or a plain type's short name in any case (`RSA`,
/// `ecdsa`), as the known_hosts lookup of `ssh-keygen -F` reads it.
pub(crate) fn is_openssh_type_name(name: &[u8]) -> bool {
    const SHORT: [&str; 6] = ["RSA", "DSA", "ECDSA", "ED25519", "ECDSA-SK", "ED25519-SK"];
    lookup(name).is_some_and(|e| e.openssh92) || SHORT.iter().any(|s| s.as_bytes().eq_ignore_ascii_case(name))
}

/// How a type string inside a key blob was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlobName {
    /// The canonical name, byte for byte.
    Canonical,
    /// An alias, a case-insensitive short name (`RSA`), or a name with one
    /// trailing NUL: OpenSSH accepts these inside a blob and re-encodes them.
    NonCanonical,
}

/// Lookup of the type string inside a blob, the way OpenSSH 9.2's
/// `sshkey_type_from_name` (after `sshbuf_get_cstring`) matches it: an exact
/// name, or a case-insensitive short name of a plain type. ECDSA short names
/// match the family but then fail the curve lookup in OpenSSH, so they are not
/// accepted here either.
pub(crate) fn lookup_blob_type(raw: &[u8]) -> Option<(Algorithm, BlobName)> {
    let (name, nul) = match raw.split_last() {
        Some((0, rest)) => (rest, true),
        _ => (raw, false),
    };
    if let Some(e) = lookup(name) {
        let canonical = !nul && !e.alias;
        return Some((
            e.alg,
            if canonical {
                BlobName::Canonical
            } else {
                BlobName::NonCanonical
            },
        ));
    }
    let short = [
        ("RSA", KeyType::Rsa),
        ("DSA", KeyType::Dsa),
        ("ED25519", KeyType::Ed25519),
        ("ED25519-SK", KeyType::SkEd25519),
    ];
    short
        .iter()
        .find(|(s, _)| s.as_bytes().eq_ignore_ascii_case(name))
        .map(|(_, k)| (Algorithm::plain(*k), BlobName::NonCanonical))
}

/// A set of algorithms, for policies.
///
/// ```
/// use keyvet::{Algorithm, AlgorithmSet, KeyType};
/// let set = AlgorithmSet::EMPTY.with(Algorithm::plain(KeyType::Ed25519));
/// assert!(set.contains(Algorithm::plain(KeyType::Ed25519)));
/// assert!(!set.contains(Algorithm::plain(KeyType::Rsa)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AlgorithmSet(u64);

impl AlgorithmSet {
    /// No algorithm.
    pub const EMPTY: AlgorithmSet = AlgorithmSet(0);

    /// Every algorithm keyvet decodes, v00 certificates included.
    pub const ALL: AlgorithmSet = {
        let mut s = 0u64;
        let mut i = 0;
        while i < NAMES.len() {
            s |= NAMES[i].alg.bit();
            i += 1;
        }
        AlgorithmSet(s)
    };

    /// Adds an algorithm.
    pub const fn with(self, a: Algorithm) -> AlgorithmSet {
        AlgorithmSet(self.0 | a.bit())
    }

    /// Removes an algorithm.
    pub const fn without(self, a: Algorithm) -> AlgorithmSet {
        AlgorithmSet(self.0 & !a.bit())
    }

    /// Removes a key type in every form (plain, v01 and v00 certificates).
    pub const fn without_key_type(self, k: KeyType) -> AlgorithmSet {
        let mut s = self.without(Algorithm::plain(k)).without(Algorithm {
            key: k,
            cert: Some(CertVersion::V01),
        });
        s = s.without(Algorithm {
            key: k,
            cert: Some(CertVersion::V00),
        });
        s
    }

    /// Whether the set holds `a`.
    pub const fn contains(self, a: Algorithm) -> bool {
        self.0 & a.bit() != 0
    }

    /// Iterates over the algorithms in the set, in name-table order.
    pub fn iter(self) -> impl Iterator<Item = Algorithm> {
        NAMES
            .iter()
            .filter(|e| !e.alias)
            .map(|e| e.alg)
            .filter(move |a| self.contains(*a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for e in NAMES.iter().filter(|e| !e.alias) {
            assert_eq!(e.alg.name(), e.name);
            assert_eq!(Algorithm::from_name(e.name), Some(e.alg));
        }
    }

    #[test]
    fn blob_short_names() {
        assert_eq!(
            lookup_blob_type(b"rsa"),
            Some((Algorithm::plain(KeyType::Rsa), BlobName::NonCanonical))
        );
        assert_eq!(
            lookup_blob_type(b"ssh-ed25519\0"),
            Some((Algorithm::plain(KeyType::Ed25519), BlobName::NonCanonical))
        );
        assert_eq!(lookup_blob_type(b"ECDSA"), None);
        assert_eq!(lookup_blob_type(b"ssh-ed25519\0\0"), None);
        assert_eq!(
            lookup_blob_type(b"ssh-ed25519"),
            Some((Algorithm::plain(KeyType::Ed25519), BlobName::Canonical))
        );
    }

    #[test]
    fn set_bits_are_distinct() {
        let mut seen = 0u64;
        for e in NAMES.iter().filter(|e| !e.alias) {
            assert_eq!(seen & e.alg.bit(), 0, "{}", e.name);
            seen |= e.alg.bit();
        }
        assert_eq!(AlgorithmSet::ALL.iter().count(), 20);
    }
}
