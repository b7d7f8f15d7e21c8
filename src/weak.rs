//! Weak-key screening: keys that are well formed but known to be breakable.
//!
//! One check per module, each with a stable id, a message that says what the
//! weakness means for the user, and a reference:
//!
//! | id | what | reference |
//! |---|---|---|
//! | `weak.rsa.small_factor` | the modulus has a prime factor below 2^16 | Lenstra et al., "Ron was wrong, Whit is right" (2012) |
//! | `weak.rsa.fermat` | the two primes are close: Fermat's method factors the modulus | de Weger (2002); CVE-2022-26320 |
//! | `weak.rsa.square` | the modulus is a perfect square (p = q) | Fermat's factorization |
//! | `weak.rsa.roca` | Infineon's prime structure (the published detector's discrete-log test, every key size) | CVE-2017-15361, Nemec et al. (CCS 2017) |
//! | `weak.rsa.exponent` | e = 1, e < 3, e even or e >= n | RFC 8017 section 3.1 |
//! | `weak.rsa.wiener` | a small private exponent recoverable from a large e | Wiener (1990) |
//! | `weak.rsa.size` | under 2048 bits or not a multiple of 8 (a warning) | NIST SP 800-131A |
//! | `weak.rsa.shared_prime` | shares a prime with another key of the batch | Heninger et al. (USENIX Security 2012) |
//! | `weak.ecdsa.point` | the public point fails full public-key validation | SEC 1 v2 section 3.2.2.1; NIST SP 800-56A 5.6.2.3.3 |
//! | `weak.ed25519.point` | the 32 bytes are not a curve point | RFC 8032 section 5.1.3 |
//! | `weak.ed25519.small_order` | the point has small order: signatures prove nothing | RFC 8032; Chalkias et al. (2020) |
//! | `weak.dsa.params` | p, q, g are not valid DSA domain parameters | FIPS 186-4 section 4 and A.2.2 |
//! | `weak.dsa.public` | y is not in the subgroup of order q | FIPS 186-4; NIST SP 800-89 |
//! | `weak.blocklist` | the key is on a user-supplied list of compromised keys | badkeys.info |
//! | `weak.rsa.prime` | the modulus is a prime (Baillie-PSW, up to 4096 bits) | RFC 8017 section 3.1 |
//! | `weak.rsa.pattern` | 16 equal bytes in a row in the modulus | badkeys.info (`pattern`) |
//! | `weak.rsa.poly` | a sparse modulus, factorable with polynomial methods | badkeys.info (`rsapoly`) |
//! | `weak.rsa.xz_backdoor` | the xz backdoor's payload marker in the modulus | CVE-2024-3094; badkeys.info (`xzbackdoor`) |
//! | `weak.rsa.bias` | far more 0 or 1 bits than chance (a warning) | badkeys.info (`rsabias`) |
//! | `weak.dsa.sparse` | a sparse DSA prime p | badkeys.info (`dsasparse`) |
//!
//! The checks work on the borrowed key views; the RSA and DSA arithmetic is
//! malachite's, whose subquadratic division and gcd matter where the numbers
//! are large: the small-factor check (a 94,027-bit primorial) and batch GCD's
//! remainder tree. Curve checks use RustCrypto's crates.
//! Unlike the structural path, the RSA and DSA checks allocate (bounded by
//! the key size).

pub mod batch;
pub mod blocklist;
mod curves;
mod dsa;
pub mod published;
pub(crate) mod rsa;

use crate::key::{KeyData, PublicKey};

pub use crate::screening::{Check, CheckSet, Finding, Findings, Screening, Severity};
pub use blocklist::Blocklist;
pub use published::published;

/// Runs the per-key checks of `s` on `key` (and the blocklist, when given)
/// and appends what they find.
///
/// ```
/// use keyvet::weak::{self, Screening, Findings};
/// use keyvet::{Checker, policy};
/// let mut v = Checker::new(policy::OPENSSH);
/// let line = std::fs::read("corpus/valid/rsa-1024.pub").unwrap();
/// let c = v.check_line(&line).unwrap();
/// let mut f = Findings::default();
/// weak::screen(c.key().public_key(), &Screening::STRICT, None, &mut f);
/// assert_eq!(f.iter().map(|x| x.check.id()).collect::<Vec<_>>(), ["weak.rsa.size"]);
/// ```
pub fn screen(key: &PublicKey<'_>, s: &Screening, blocklist: Option<&Blocklist>, out: &mut Findings) {
    let mut add = |check: Check, detail: Option<u64>| {
        if s.checks.contains(check) {
            out.push(Finding {
                check,
                severity: s.weigh(check),
                detail,
            });
        }
    };
    match key.data() {
        KeyData::Rsa(k) => rsa::screen(k, s, &mut add),
        KeyData::Ecdsa(k) => curves::ecdsa(k, &mut add),
        KeyData::SkEcdsa(k) => curves::ecdsa(&k.key, &mut add),
        KeyData::Ed25519(k) => curves::ed25519(k.key, &mut add),
        KeyData::SkEd25519(k) => curves::ed25519(k.key.key, &mut add),
        KeyData::MlDsa44Ed25519(k) => {
            let mut ed = [0u8; 32];
            ed.copy_from_slice(&k.key[1312..]);
            curves::ed25519(&ed, &mut add);
        }
        KeyData::Dsa(k) => dsa::screen(k, &mut add),
    }
    // One fingerprint for both lists.
    let builtin = s.checks.contains(Check::Published);
    if builtin || blocklist.is_some() {
        let fp = key.fingerprint(crate::fingerprint::HashAlg::Sha256);
        if builtin && published().contains_fingerprint(key, fp.as_bytes()) {
            add(Check::Published, None);
        }
        if let Some(bl) = blocklist
            && bl.contains_fingerprint(key, fp.as_bytes())
        {
            add(Check::Blocklist, None);
        }
    }
}
