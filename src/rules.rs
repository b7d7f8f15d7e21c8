//! The policy's rules on a parsed line and key blob: everything a
//! [`Policy`] decides about a key's structure (accepted algorithms, type
//! words, canonical encodings, sizes, EC points, sk applications,
//! certificate hygiene). Signature verification and weak-key screening come
//! after these, in the checker.

use crate::algorithm::{Algorithm, CertVersion, KeyType};
use crate::cert::{self, Certificate};
#[cfg(feature = "ec")]
use crate::ec;
use crate::error::{CertError, CertList, Error, ErrorKind, KeyError, PolicyError, Snippet, WireError};
use crate::key::{Key, KeyData, PublicKey};
use crate::line::{self, Line};
use crate::policy::Policy;
use crate::screening::{Check, Finding, Findings};

/// The policy's rules on an authorized_keys line: those of [`listing_line`],
/// and strict options.
pub(crate) fn line(l: &Line<'_>, p: &Policy) -> Result<(), Error> {
    listing_line(l, p)?;
    if p.strict_options
        && let Some(o) = l.options()
    {
        o.check_strict()?;
    }
    Ok(())
}

/// The policy's rules on the text of a key line (without its options): type
/// word aliases and the comment.
pub(crate) fn listing_line(l: &Line<'_>, p: &Policy) -> Result<(), Error> {
    if l.is_alias() && !p.allow_type_aliases {
        return Err(Error::at_byte(
            KeyError::TypeAlias {
                word: l.key_type(),
                canonical: l.algorithm(),
            },
            l.key_type_offset(),
        ));
    }
    if p.strict_comment
        && let Some(c) = l.comment_bytes()
    {
        line::check_comment(c, l.comment_offset())?;
    }
    Ok(())
}

/// Parses a blob with OpenSSH's rules and applies the policy's structural
/// rules: the type word of the line (`word`), the accepted algorithms,
/// canonical encodings, sizes, EC points, sk applications and certificate
/// hygiene. Certificate signatures are verified by the caller, after every
/// rule here ([`crate::signature`]).
pub(crate) fn blob<'b>(
    blob: &'b [u8],
    p: &Policy,
    word: Option<Algorithm>,
    findings: &mut Findings,
) -> Result<Key<'b>, Error> {
    let key = Key::parse(blob)?;
    let alg = key.algorithm();
    if let Some(w) = word
        && w != alg
    {
        return Err(Error::in_blob(KeyError::TypeMismatch { line: w, blob: alg }, 0, "type"));
    }
    if !p.algorithms.contains(alg) {
        return Err(Error::in_blob(PolicyError::AlgorithmNotAllowed(alg), 0, "type"));
    }
    match &key {
        Key::Plain(k) => {
            if p.canonical_encoding && !k.type_name_is_canonical() {
                return Err(Error::in_blob(
                    KeyError::TypeNonCanonical(Snippet::new(k.type_name())),
                    0,
                    "type",
                ));
            }
            check_public(k.key(), p)?;
        }
        Key::Cert(c) => check_cert(c, p, findings)?,
    }
    Ok(key)
}

/// Policy checks on a public key (plain, certified, or a CA key).
fn check_public(k: &PublicKey<'_>, p: &Policy) -> Result<(), Error> {
    let at = k.fields_offset();
    let err = |kind: ErrorKind, field| Error::in_blob(kind, at, field);
    if p.canonical_encoding && !k.is_canonical() {
        let kind = match k.data() {
            KeyData::Rsa(_) | KeyData::Dsa(_) => WireError::MpintNonCanonical,
            _ => WireError::StringTrailingNul,
        };
        return Err(err(kind.into(), "key"));
    }
    match k.data() {
        KeyData::Rsa(r) => {
            let bits = r.n.bits();
            if bits < p.min_rsa_bits {
                return Err(err(
                    KeyError::RsaTooSmall {
                        bits,
                        min: p.min_rsa_bits,
                    }
                    .into(),
                    "rsa.n",
                ));
            }
            if bits > p.max_rsa_bits {
                return Err(err(
                    KeyError::RsaTooLarge {
                        bits,
                        max: p.max_rsa_bits,
                    }
                    .into(),
                    "rsa.n",
                ));
            }
            if p.rsa_structure {
                if !r.n.is_odd() {
                    return Err(err(KeyError::RsaModulusEven.into(), "rsa.n"));
                }
                if r.e.bits() < 2 || (r.e.bits() == 2 && r.e.magnitude() == [2]) {
                    return Err(err(KeyError::RsaExponentTooSmall.into(), "rsa.e"));
                }
                if !r.e.is_odd() {
                    return Err(err(KeyError::RsaExponentEven.into(), "rsa.e"));
                }
                if r.e.cmp_value(&r.n) != std::cmp::Ordering::Less {
                    return Err(err(KeyError::RsaExponentTooLarge.into(), "rsa.e"));
                }
            }
        }
        KeyData::Ecdsa(e) => {
            if p.check_ec_points {
                check_point(e.curve, e.point).map_err(|kind| err(kind, "ecdsa.point"))?;
            }
        }
        KeyData::SkEcdsa(s) => {
            if p.check_ec_points {
                check_point(s.key.curve, s.key.point).map_err(|kind| err(kind, "ecdsa.point"))?;
            }
            check_sk_app(s.application(), p, at)?;
        }
        KeyData::SkEd25519(s) => check_sk_app(s.application(), p, at)?,
        KeyData::Dsa(_) | KeyData::Ed25519(_) | KeyData::MlDsa44Ed25519(_) => {}
    }
    Ok(())
}

/// An EC point on its curve and within OpenSSH's ranges ([`ec::check_point`]).
#[cfg(feature = "ec")]
fn check_point(curve: crate::Curve, point: &[u8]) -> Result<(), ErrorKind> {
    ec::check_point(curve, point).map_err(ErrorKind::from)
}

/// Without the `ec` feature, a policy that checks EC points refuses them.
#[cfg(not(feature = "ec"))]
fn check_point(_: crate::Curve, _: &[u8]) -> Result<(), ErrorKind> {
    Err(PolicyError::FeatureMissing {
        feature: "ec",
        what: "check ECDSA public points",
    }
    .into())
}

fn check_sk_app(app: &[u8], p: &Policy, at: usize) -> Result<(), Error> {
    if p.sk_application_ssh && !app.starts_with(b"ssh:") {
        return Err(Error::in_blob(
            KeyError::SkApplication(Snippet::new(app)),
            at,
            "sk.application",
        ));
    }
    Ok(())
}

fn check_cert(c: &Certificate<'_>, p: &Policy, findings: &mut Findings) -> Result<(), Error> {
    let o = c.offsets();
    // Kept as bytes in the certificate: parsed once here for every check.
    let ca_key = c.signature_key();
    let sig = c.signature();
    if p.canonical_encoding {
        if !c.type_name_is_canonical() {
            return Err(Error::in_blob(
                KeyError::TypeNonCanonical(Snippet::new(c.type_name())),
                0,
                "type",
            ));
        }
        if c.key_id().ends_with(&[0]) || c.principals().iter().any(|s| s.ends_with(&[0])) {
            return Err(Error::in_blob(WireError::StringTrailingNul, o.key_id, "cert.key_id"));
        }
        if sig.algorithm_raw().ends_with(&[0]) {
            return Err(Error::in_blob(
                WireError::StringTrailingNul,
                o.signature,
                "cert.signature",
            ));
        }
        if !ca_key.type_name_is_canonical() {
            return Err(
                Error::in_blob(KeyError::TypeNonCanonical(Snippet::new(ca_key.type_name())), 0, "type")
                    .in_signature_key(),
            );
        }
    }
    check_public(c.key(), p)?;
    let ca = ca_key.key();
    let ca_alg = Algorithm::plain(ca.key_type());
    if !p.ca_algorithms.contains(ca_alg) {
        return Err(Error::in_blob(PolicyError::AlgorithmNotAllowed(ca_alg), 0, "type").in_signature_key());
    }
    check_public(ca, p).map_err(Error::in_signature_key)?;
    if p.cert_rules {
        if c.principals().iter().any(<[u8]>::is_empty) {
            return Err(Error::in_blob(
                CertError::EmptyPrincipal,
                o.principals,
                "cert.principals",
            ));
        }
        if c.valid_after() > c.valid_before() {
            return Err(Error::in_blob(
                CertError::ValidityInverted,
                o.valid_after,
                "cert.valid_after",
            ));
        }
        // Repeats are refused; lists out of order (which OpenSSH and its
        // peers accept, and real signers made) are a warning.
        for (list, at, which, check) in [
            (
                c.critical_options(),
                o.critical,
                CertList::CriticalOptions,
                Check::CertCriticalOptionsUnsorted,
            ),
            (
                c.extensions(),
                o.extensions,
                CertList::Extensions,
                Check::CertExtensionsUnsorted,
            ),
        ] {
            if !cert::check_list(list, at, which)? && p.screening.checks.contains(check) {
                findings.push(Finding {
                    check,
                    severity: p.screening.weigh(check),
                    detail: None,
                });
            }
        }
        if !c.reserved().is_empty() {
            return Err(Error::in_blob(CertError::Reserved, o.reserved, "cert.reserved"));
        }
    }
    if p.refuse_sha1_cert_signatures && sig.algorithm() == b"ssh-rsa" {
        return Err(Error::in_blob(CertError::SignatureSha1, o.signature, "cert.signature"));
    }
    if p.canonical_encoding {
        let canonical_sig = match sig.data() {
            crate::cert::SignatureData::Ecdsa { r, s, .. } | crate::cert::SignatureData::SkEcdsa { r, s, .. } => {
                r.is_canonical() && s.is_canonical()
            }
            _ => true,
        };
        if !canonical_sig {
            return Err(Error::in_blob(
                WireError::MpintNonCanonical,
                o.signature,
                "cert.signature",
            ));
        }
    }
    // v00 certificates only carry RSA and DSA keys.
    debug_assert!(c.version() == CertVersion::V01 || matches!(c.key().key_type(), KeyType::Rsa | KeyType::Dsa));
    Ok(())
}
