//! What a validator accepts: the two built-in policies and their knobs.
//!
//! * [`OPENSSH`] accepts exactly what OpenSSH 9.2 accepts when it reads a
//!   public key line (`sshkey_read` and `sshkey_from_blob`, certificate CA
//!   signatures included) and an authorized_keys option string
//!   (`sshauthopt_parse`), so keyvet can be compared with it verdict for
//!   verdict. The exceptions are listed in the README.
//! * [`STRICT`], the default for uploads, adds the rules a careful server
//!   wants: see [`Policy`]'s fields for each rule and why.
//!
//! Policies are plain values: start from a preset and change fields.
//!
//! ```
//! use keyvet::policy::{self, Policy};
//! let p = Policy { min_rsa_bits: 3072, ..policy::STRICT };
//! assert!(p.verify_signatures);
//! ```

use crate::algorithm::{Algorithm, AlgorithmSet, CertVersion, KeyType};
use crate::screening::Screening;

mod switches;

pub use switches::{SwitchError, Switches};

/// A validation policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Name, for reports (`openssh`, `strict`).
    pub name: &'static str,
    /// Algorithms accepted for the key (for a certificate, its certificate
    /// algorithm).
    pub algorithms: AlgorithmSet,
    /// Key types accepted as a certificate's signature (CA) key; only the
    /// plain algorithms of the set matter.
    pub ca_algorithms: AlgorithmSet,
    /// Accept signature-algorithm aliases as type words (`rsa-sha2-256`,
    /// `webauthn-sk-ecdsa-sha2-nistp256@openssh.com`), as OpenSSH does.
    /// Strict refuses them: they are not key types, and other parsers reject
    /// them.
    pub allow_type_aliases: bool,
    /// Require canonical encodings: minimal mpints, the canonical type name
    /// inside the blob (OpenSSH also takes `RSA`, `ed25519` and names with a
    /// trailing NUL), and no trailing NUL in text strings. A non-canonical
    /// blob has several encodings for one key, so duplicate detection by
    /// blob bytes fails and other parsers disagree about it.
    pub canonical_encoding: bool,
    /// Smallest RSA modulus, in bits (OpenSSH: 1024). Also applies to a
    /// certificate's RSA signature key.
    pub min_rsa_bits: u32,
    /// Largest RSA modulus, in bits (OpenSSH: 16384).
    pub max_rsa_bits: u32,
    /// RSA structure: modulus odd, exponent odd, `3 <= e < n`. OpenSSH checks
    /// none of these; a key failing them is not an RSA key.
    pub rsa_structure: bool,
    /// Check that ECDSA points lie on their curve and pass OpenSSH's range
    /// checks (OpenSSH always does). Turning this off is only for
    /// fingerprinting input already known to be valid.
    pub check_ec_points: bool,
    /// Verify certificate CA signatures (OpenSSH always does when it parses
    /// a certificate). Turning this off is only for fingerprinting.
    pub verify_signatures: bool,
    /// Certificate hygiene: critical options and extensions sorted and
    /// unique (PROTOCOL.certkeys requires it), `valid_after <= valid_before`
    /// (else the certificate can never be used), an empty reserved field,
    /// no empty principal names.
    pub cert_rules: bool,
    /// Refuse certificates signed with `ssh-rsa` (SHA-1): OpenSSH refuses
    /// them at authentication by default since 8.2.
    pub refuse_sha1_cert_signatures: bool,
    /// FIDO application strings must start with `ssh:`, as every OpenSSH
    /// security key does; other values are web origins an attacker could
    /// reuse.
    pub sk_application_ssh: bool,
    /// authorized_keys options: refuse the empty options OpenSSH skips
    /// (`,restrict`, `a,,b`, a trailing comma), `from` lists with empty
    /// entries or malformed CIDR masks (sshd denies every login for them),
    /// empty `principals` entries, and `principals` without
    /// `cert-authority` (sshd ignores it there).
    pub strict_options: bool,
    /// Comments must be UTF-8 without control characters.
    pub strict_comment: bool,
    /// Read lines as OpenSSH does, as C strings: a NUL byte ends the line
    /// and what follows is ignored. Off, a NUL is an error (`line.nul`):
    /// hidden text after a NUL is a way to smuggle content past a reviewer.
    pub nul_ends_line: bool,
    /// Weak-key screening ([`crate::weak`]): which checks run, and whether
    /// their findings reject the key or only warn.
    pub screening: Screening,
    /// Uploads ([`crate::vet`]): accept a paste mistake keyvet can repair
    /// without guessing (a byte-order mark, a key broken over lines or with
    /// blanks inside its base64, Unicode spaces between the fields), and
    /// say what was repaired. Off (both presets, and the cloud providers,
    /// as the providers refuse them), such an upload is refused with the
    /// mistake's code and a message that says how to fix it.
    pub repair_pastes: bool,
    /// Longest line accepted, in bytes.
    pub max_line_len: usize,
    /// Largest decoded key blob, in bytes.
    pub max_blob_len: usize,
}

const DSA: KeyType = KeyType::Dsa;

/// The v00 certificate algorithms.
const V00_RSA: Algorithm = match Algorithm::cert(KeyType::Rsa, CertVersion::V00) {
    Some(a) => a,
    None => Algorithm::plain(KeyType::Rsa),
};
const V00_DSA: Algorithm = match Algorithm::cert(KeyType::Dsa, CertVersion::V00) {
    Some(a) => a,
    None => Algorithm::plain(KeyType::Dsa),
};

/// OpenSSH 9.2's verdicts. Weak-key screening is off (turn checks on in
/// [`Policy::screening`]: they then only warn, as OpenSSH accepts those
/// keys). Also accepts `ssh-mldsa44-ed25519@openssh.com`
/// keys and certificates, which OpenSSH accepts since 10.4.
pub const OPENSSH: Policy = Policy {
    name: "openssh",
    algorithms: AlgorithmSet::ALL.without(V00_RSA).without(V00_DSA),
    ca_algorithms: AlgorithmSet::ALL,
    allow_type_aliases: true,
    canonical_encoding: false,
    min_rsa_bits: 1024,
    max_rsa_bits: 16384,
    rsa_structure: false,
    check_ec_points: true,
    verify_signatures: true,
    cert_rules: false,
    refuse_sha1_cert_signatures: false,
    sk_application_ssh: false,
    strict_options: false,
    strict_comment: false,
    nul_ends_line: true,
    screening: Screening::OFF,
    repair_pastes: false,
    max_line_len: 1 << 20,
    max_blob_len: 3 << 18,
};

/// The default for uploads: OpenSSH's rules, and every rule of [`Policy`]
/// on, with RSA of at least 2048 bits, no DSA or v00 certificates, and
/// every weak-key check rejecting.
pub const STRICT: Policy = Policy {
    name: "strict",
    algorithms: AlgorithmSet::ALL
        .without_key_type(DSA)
        .without(V00_RSA)
        .without(V00_DSA),
    ca_algorithms: AlgorithmSet::ALL.without_key_type(DSA),
    allow_type_aliases: false,
    canonical_encoding: true,
    min_rsa_bits: 2048,
    max_rsa_bits: 16384,
    rsa_structure: true,
    check_ec_points: true,
    verify_signatures: true,
    cert_rules: true,
    refuse_sha1_cert_signatures: true,
    sk_application_ssh: true,
    strict_options: true,
    strict_comment: true,
    nul_ends_line: false,
    screening: Screening::STRICT,
    repair_pastes: false,
    max_line_len: 1 << 16,
    max_blob_len: 3 << 14,
};

impl Policy {
    /// The part of a raw line the policy reads: up to a NUL when
    /// [`Policy::nul_ends_line`] is set, else all of it.
    pub fn visible<'a>(&self, line: &'a [u8]) -> &'a [u8] {
        if !self.nul_ends_line {
            return line;
        }
        match memchr::memchr(0, line) {
            Some(i) => &line[..i],
            None => line,
        }
    }

    /// A preset by name (`openssh`, `strict`).
    pub fn by_name(name: &str) -> Option<Policy> {
        match name {
            "openssh" => Some(OPENSSH),
            "strict" => Some(STRICT),
            _ => None,
        }
    }
}

impl Default for Policy {
    fn default() -> Policy {
        STRICT
    }
}
