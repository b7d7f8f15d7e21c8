//! The vocabulary of findings: which checks exist (stable ids, messages,
//! references), which run under a policy ([`Screening`]), and what they
//! found ([`Finding`], [`Findings`]). Most are weak-key checks, run by
//! `weak` (the `weak` feature); two note certificate lists out of order,
//! which OpenSSH and its peers accept. Policies, errors and reports only
//! need these names.

use std::fmt;

/// A weak-key check.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// A prime factor below 2^16.
    RsaSmallFactor,
    /// Close primes (Fermat factorization).
    RsaFermat,
    /// A perfect-square modulus.
    RsaSquare,
    /// ROCA (CVE-2017-15361).
    RsaRoca,
    /// Exponent problems.
    RsaExponent,
    /// Small private exponent (Wiener).
    RsaWiener,
    /// Unusual size (a warning).
    RsaSize,
    /// A prime shared with another key (batch GCD).
    RsaSharedPrime,
    /// ECDSA public-key validation.
    EcdsaPoint,
    /// Ed25519 bytes that are not a point.
    Ed25519Point,
    /// Ed25519 point of small order.
    Ed25519SmallOrder,
    /// DSA domain parameters.
    DsaParams,
    /// DSA public value.
    DsaPublic,
    /// A blocklisted key.
    Blocklist,
    /// A published key (RFC example, insecure default key of a tool or an
    /// image, test key of an SSH project): keyvet's built-in list.
    Published,
    /// A prime modulus (BPSW probable prime): no secret at all.
    RsaPrime,
    /// 16 equal bytes in a row in the modulus (badkeys' `pattern`).
    RsaPattern,
    /// Sparse modulus whose zero bits allow polynomial factoring (badkeys'
    /// `rsapoly`).
    RsaPoly,
    /// The xz backdoor's payload marker in the modulus (CVE-2024-3094).
    RsaXzBackdoor,
    /// A modulus with a strong bias of 0 or 1 bits (a warning; badkeys'
    /// `rsabias`).
    RsaBias,
    /// A sparse DSA prime p (badkeys' `dsasparse`).
    DsaSparse,
    /// A certificate's critical options out of order (a warning).
    CertCriticalOptionsUnsorted,
    /// A certificate's extensions out of order (a warning).
    CertExtensionsUnsorted,
}

impl Check {
    /// Every check.
    pub const ALL: [Check; 23] = [
        Check::RsaSmallFactor,
        Check::RsaFermat,
        Check::RsaSquare,
        Check::RsaRoca,
        Check::RsaExponent,
        Check::RsaWiener,
        Check::RsaSize,
        Check::RsaSharedPrime,
        Check::EcdsaPoint,
        Check::Ed25519Point,
        Check::Ed25519SmallOrder,
        Check::DsaParams,
        Check::DsaPublic,
        Check::Blocklist,
        Check::Published,
        Check::RsaPrime,
        Check::RsaPattern,
        Check::RsaPoly,
        Check::RsaXzBackdoor,
        Check::RsaBias,
        Check::DsaSparse,
        Check::CertCriticalOptionsUnsorted,
        Check::CertExtensionsUnsorted,
    ];

    /// The stable id, such as `weak.rsa.roca`.
    pub const fn id(self) -> &'static str {
        match self {
            Check::RsaSmallFactor => "weak.rsa.small_factor",
            Check::RsaFermat => "weak.rsa.fermat",
            Check::RsaSquare => "weak.rsa.square",
            Check::RsaRoca => "weak.rsa.roca",
            Check::RsaExponent => "weak.rsa.exponent",
            Check::RsaWiener => "weak.rsa.wiener",
            Check::RsaSize => "weak.rsa.size",
            Check::RsaSharedPrime => "weak.rsa.shared_prime",
            Check::EcdsaPoint => "weak.ecdsa.point",
            Check::Ed25519Point => "weak.ed25519.point",
            Check::Ed25519SmallOrder => "weak.ed25519.small_order",
            Check::DsaParams => "weak.dsa.params",
            Check::DsaPublic => "weak.dsa.public",
            Check::Blocklist => "weak.blocklist",
            Check::Published => "weak.published",
            Check::RsaPrime => "weak.rsa.prime",
            Check::RsaPattern => "weak.rsa.pattern",
            Check::RsaPoly => "weak.rsa.poly",
            Check::RsaXzBackdoor => "weak.rsa.xz_backdoor",
            Check::RsaBias => "weak.rsa.bias",
            Check::DsaSparse => "weak.dsa.sparse",
            Check::CertCriticalOptionsUnsorted => "cert.critical_options.unsorted",
            Check::CertExtensionsUnsorted => "cert.extensions.unsorted",
        }
    }

    /// A check by id.
    pub fn from_id(id: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.id() == id)
    }

    /// What the weakness means for the user, and what to do.
    pub const fn message(self) -> &'static str {
        match self {
            Check::RsaSmallFactor => {
                "this RSA key can be factored: its modulus has a small prime factor; generate a new key"
            }
            Check::RsaFermat => {
                "this RSA key can be factored: its two primes are too close together (Fermat's method); generate a new key with a standard tool"
            }
            Check::RsaSquare => {
                "this RSA key can be factored: its modulus is a perfect square (both primes are equal); generate a new key"
            }
            Check::RsaRoca => {
                "this RSA key was made by a vulnerable Infineon chip (ROCA, CVE-2017-15361) and can be factored; update the token's firmware and generate a new key"
            }
            Check::RsaExponent => {
                "this RSA key's public exponent is unusable (1, below 3, even, or not below the modulus); generate a new key"
            }
            Check::RsaWiener => {
                "this RSA key's private exponent is small enough to recover from the public key (Wiener's attack); generate a new key"
            }
            Check::RsaSize => {
                "this RSA key has an unusual size (under 2048 bits or not a multiple of 8); prefer a standard 3072-bit RSA or an Ed25519 key"
            }
            Check::RsaSharedPrime => {
                "this RSA key shares a prime with another key checked with it: both can be factored; generate new keys with a properly seeded generator"
            }
            Check::EcdsaPoint => "this ECDSA public key is not a valid point of its group; generate a new key",
            Check::Ed25519Point => {
                "these 32 bytes are not an Ed25519 public key (not a curve point, or not its one canonical encoding); generate a new key"
            }
            Check::Ed25519SmallOrder => {
                "this Ed25519 public key is a point of small order: signatures made with it prove nothing; generate a new key"
            }
            Check::DsaParams => {
                "this DSA key's domain parameters are invalid (sizes, q not dividing p-1, or g not of order q); generate an Ed25519 key"
            }
            Check::DsaPublic => "this DSA key's public value is not in the group of order q; generate an Ed25519 key",
            Check::Blocklist => "this key is on the list of known compromised keys; generate a new key",
            Check::Published => {
                "this key was published (an RFC or standard's example, the insecure default key of a tool or an image, or a test key of an SSH project): anyone has its private key; generate a new key"
            }
            Check::RsaPrime => {
                "this RSA key's modulus is a prime number, not a product of two primes: its private key follows from the public key at once; generate a new key with a standard tool"
            }
            Check::RsaPattern => {
                "this RSA key's modulus holds 16 equal bytes in a row, which a properly generated key practically never does: it is corrupt, hand-made or from a broken generator; generate a new key with a standard tool"
            }
            Check::RsaPoly => {
                "this RSA key's modulus is mostly zero bits, the mark of primes built from a sparse pattern: it can be factored with polynomial methods; generate a new key with a standard tool"
            }
            Check::RsaXzBackdoor => {
                "this RSA key's modulus carries the xz backdoor's payload marker (CVE-2024-3094): it is an exploit for liblzma 5.6.0/5.6.1, not a user's key; do not trust it, and check the systems it came from for the backdoored xz"
            }
            Check::RsaBias => {
                "this RSA key's modulus has far more 0 or 1 bits than a random number (a \"vanity\" key or a biased generator); it may be weak: prefer a key generated by a standard tool"
            }
            Check::DsaSparse => {
                "this DSA key's prime p is sparse (almost all of its bits zero), the mark of a broken parameter generator known to produce breakable keys; generate an Ed25519 key"
            }
            Check::CertCriticalOptionsUnsorted => {
                "the certificate's critical options are not sorted by name, as PROTOCOL.certkeys requires; OpenSSH accepts them, but re-issue it with a current ssh-keygen"
            }
            Check::CertExtensionsUnsorted => {
                "the certificate's extensions are not sorted by name, as PROTOCOL.certkeys requires; OpenSSH accepts them, but re-issue it with a current ssh-keygen"
            }
        }
    }

    /// The published reference for the weakness.
    pub const fn reference(self) -> &'static str {
        match self {
            Check::RsaSmallFactor => "Lenstra et al., Ron was wrong, Whit is right (2012)",
            Check::RsaFermat => "de Weger, Cryptanalysis of RSA with small prime difference (2002); CVE-2022-26320",
            Check::RsaSquare => "Fermat factorization",
            Check::RsaRoca => "CVE-2017-15361; Nemec et al., The Return of Coppersmith's Attack (CCS 2017)",
            Check::RsaExponent => "RFC 8017 section 3.1",
            Check::RsaWiener => "Wiener, Cryptanalysis of short RSA secret exponents (1990)",
            Check::RsaSize => "NIST SP 800-131A",
            Check::RsaSharedPrime => "Heninger et al., Mining Your Ps and Qs (USENIX Security 2012)",
            Check::EcdsaPoint => "SEC 1 v2 section 3.2.2.1; NIST SP 800-56A section 5.6.2.3.3",
            Check::Ed25519Point => "RFC 8032 section 5.1.3",
            Check::Ed25519SmallOrder => "RFC 8032; Chalkias et al., Taming the many EdDSAs (2020)",
            Check::DsaParams => "FIPS 186-4 section 4 and appendix A.2.2",
            Check::DsaPublic => "FIPS 186-4; NIST SP 800-89 section 5.3.1",
            Check::Blocklist => "badkeys.info blocklists",
            Check::Published => "keyvet's built-in list of published keys (corpus/published/SOURCES.tsv)",
            Check::RsaPrime => "RFC 8017 section 3.1 (n is a product of primes); Baillie-PSW primality test",
            Check::RsaPattern => "badkeys.info (pattern check)",
            Check::RsaPoly => {
                "badkeys.info (rsapoly check: a 0-byte pattern in the modulus allowing polynomial factoring)"
            }
            Check::RsaXzBackdoor => "CVE-2024-3094; badkeys.info (xzbackdoor check)",
            Check::RsaBias => "badkeys.info (rsabias check)",
            Check::DsaSparse => "badkeys.info (dsasparse check)",
            Check::CertCriticalOptionsUnsorted | Check::CertExtensionsUnsorted => "OpenSSH PROTOCOL.certkeys",
        }
    }

    /// Whether the check only ever warns.
    pub const fn is_advisory(self) -> bool {
        matches!(
            self,
            Check::RsaSize | Check::RsaBias | Check::CertCriticalOptionsUnsorted | Check::CertExtensionsUnsorted
        )
    }

    /// Whether this is a weak-key check, run by weak-key screening (the
    /// `weak` feature); the others are certificate checks the policy's
    /// rules run.
    pub const fn is_weak_key(self) -> bool {
        !matches!(self, Check::CertCriticalOptionsUnsorted | Check::CertExtensionsUnsorted)
    }

    const fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A set of checks.
///
/// ```
/// use keyvet::screening::{Check, CheckSet};
/// let s = CheckSet::ALL.without(Check::RsaFermat);
/// assert!(s.contains(Check::RsaRoca) && !s.contains(Check::RsaFermat));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckSet(u32);

impl CheckSet {
    /// No check.
    pub const NONE: CheckSet = CheckSet(0);
    /// Every check.
    pub const ALL: CheckSet = {
        let mut s = 0;
        let mut i = 0;
        while i < Check::ALL.len() {
            s |= Check::ALL[i].bit();
            i += 1;
        }
        CheckSet(s)
    };

    /// The weak-key checks.
    pub const WEAK: CheckSet = {
        let mut s = CheckSet::NONE;
        let mut i = 0;
        while i < Check::ALL.len() {
            if Check::ALL[i].is_weak_key() {
                s = s.with(Check::ALL[i]);
            }
            i += 1;
        }
        s
    };

    /// The checks of both sets.
    #[must_use]
    pub const fn intersection(self, other: CheckSet) -> CheckSet {
        CheckSet(self.0 & other.0)
    }

    /// Adds a check.
    #[must_use]
    pub const fn with(self, c: Check) -> CheckSet {
        CheckSet(self.0 | c.bit())
    }

    /// Removes a check.
    #[must_use]
    pub const fn without(self, c: Check) -> CheckSet {
        CheckSet(self.0 & !c.bit())
    }

    /// Whether the set holds `c`.
    pub const fn contains(self, c: Check) -> bool {
        self.0 & c.bit() != 0
    }

    /// The checks in the set.
    pub fn iter(self) -> impl Iterator<Item = Check> {
        Check::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

/// How much a finding weighs.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Reported; the key is still accepted.
    Warning,
    /// The key is rejected.
    Error,
}

impl Severity {
    /// `warning` or `error`.
    pub const fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What a weak-key check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// The check.
    pub check: Check,
    /// Its weight under the policy.
    pub severity: Severity,
    /// A number that backs the finding up when there is one: the small
    /// factor, the Fermat step count, the other key's line for a shared
    /// prime.
    pub detail: Option<u64>,
}

/// Serialized as `keyvet check --json` writes a finding: `id`, `severity`,
/// `message`, `reference`, and `detail` when there is one.
#[cfg(feature = "serde")]
impl serde::Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut o = s.serialize_struct("Finding", 5)?;
        o.serialize_field("id", self.check.id())?;
        o.serialize_field("severity", self.severity.name())?;
        o.serialize_field("message", self.check.message())?;
        o.serialize_field("reference", self.check.reference())?;
        match self.detail {
            Some(d) => o.serialize_field("detail", &d)?,
            None => o.skip_field("detail")?,
        }
        o.end()
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}]: {} ({})",
            self.severity.name(),
            self.check.id(),
            self.check.message(),
            self.check.reference()
        )
    }
}

/// Up to 8 findings, kept inline.
///
/// Compared and printed by the findings it holds, never by its storage
/// (slots past the end keep whatever an earlier check left there):
///
/// ```
/// use keyvet::{Checker, policy};
/// let mut v = Checker::new(policy::STRICT);
/// let weak = std::fs::read("corpus/weak/rsa/small-factor-3.pub").unwrap();
/// assert!(v.check_line(&weak).is_err());
/// assert!(!v.last_findings().is_empty());
/// assert!(v.check_line(b"not a key").is_err());
/// assert_eq!(format!("{:?}", v.last_findings()), "[]");
/// ```
#[derive(Clone, Copy, Default)]
pub struct Findings {
    items: [Option<Finding>; 8],
    len: usize,
}

impl std::fmt::Debug for Findings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Findings {
    fn eq(&self, other: &Findings) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Findings {}

impl Findings {
    /// Forgets every finding (without touching the storage).
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Adds a finding (beyond 8, the rest are dropped: no key has more).
    pub fn push(&mut self, f: Finding) {
        if self.len < self.items.len() {
            self.items[self.len] = Some(f);
            self.len += 1;
        }
    }

    /// The findings.
    pub fn iter(&self) -> impl Iterator<Item = &Finding> {
        self.items[..self.len].iter().flatten()
    }

    /// Whether there are none.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first error-severity finding.
    pub fn first_error(&self) -> Option<&Finding> {
        self.iter().find(|f| f.severity == Severity::Error)
    }
}

/// What to screen for, and how much each finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screening {
    /// The checks that run.
    pub checks: CheckSet,
    /// The weight of findings of non-advisory checks (advisory ones always
    /// warn).
    pub severity: Severity,
    /// Fermat steps tried beyond the square root (badkeys uses 100).
    pub fermat_steps: u32,
}

impl Screening {
    /// Nothing runs.
    pub const OFF: Screening = Screening {
        checks: CheckSet::NONE,
        severity: Severity::Warning,
        fermat_steps: 0,
    };

    /// Every per-key check, as errors, but `weak.rsa.prime`: proving a
    /// modulus composite costs a modular exponentiation per RSA key (about
    /// 10 ms at 2048 bits with malachite, 50 times the rest of RSA
    /// screening), so it is asked for by name (`--enable weak.rsa.prime`)
    /// until it is cheap.
    pub const STRICT: Screening = Screening {
        checks: CheckSet::ALL.without(Check::RsaPrime),
        severity: Severity::Error,
        fermat_steps: 100,
    };

    /// The weight of a finding of `check`: the screening's severity, or a
    /// warning for advisory checks.
    pub const fn weigh(&self, check: Check) -> Severity {
        if check.is_advisory() {
            Severity::Warning
        } else {
            self.severity
        }
    }
}
