//! The validator: line, base64, blob, OpenSSH's rules and a policy, with a
//! reusable decode buffer so that checking a line allocates nothing once the
//! buffer has grown to the largest key seen.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::algorithm::{Algorithm, CertVersion, KeyType};
use crate::cert::{self, Certificate};
use crate::error::{
    Base64Error, CertError, CertList, Error, ErrorKind, KeyError, LineError, PolicyError, Snippet, WeakError, WireError,
};
use crate::fingerprint::{Fingerprint, HashAlg};
use crate::key::{Key, KeyData, PublicKey};
use crate::line::{self, Line};
use crate::policy::Policy;
use crate::weak::{self, Blocklist, Findings};
use crate::{ec, verify};
use std::sync::Arc;

/// base64 exactly as OpenSSH's `b64_pton` accepts it: standard alphabet,
/// `=` padding required, no bits after the last full byte.
const OPENSSH_B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(false),
);

/// Decodes base64 the way OpenSSH does into `out` (cleared first), with a
/// cap on the decoded size. Errors carry the byte offset in `b64`.
///
/// ```
/// let mut buf = Vec::new();
/// keyvet::decode_base64("AAAAC3Nz", &mut buf, 1024).unwrap();
/// assert_eq!(buf, b"\0\0\0\x0bss");
/// assert_eq!(keyvet::decode_base64("AAA", &mut buf, 1024).unwrap_err().code(), "base64.padding");
/// ```
///
/// # Errors
/// [`Base64Error::Symbol`], [`Base64Error::Padding`],
/// [`Base64Error::TrailingBits`] or [`Base64Error::TooLarge`].
pub fn decode_base64(b64: &str, out: &mut Vec<u8>, max: usize) -> Result<(), Error> {
    let bytes = b64.as_bytes();
    crate::meter::charge(bytes.len());
    let estimate = bytes.len() / 4 * 3 + 3;
    if estimate > max + 3 {
        return Err(Error::at_byte(
            Base64Error::TooLarge {
                len: bytes.len() / 4 * 3,
                max,
            },
            0,
        ));
    }
    // Resizing from the last blob's length zeroes only the difference.
    out.resize(estimate, 0);
    // base64-simd decodes several times faster and is exactly as strict
    // (canonical padding, zero trailing bits: `tests/props.rs` compares the
    // two); the `base64` crate runs only on failure, to say where and why.
    if let Ok(decoded) = base64_simd::STANDARD.decode(bytes, base64_simd::Out::from_slice(out)) {
        let n = decoded.len();
        out.truncate(n);
        if n > max {
            out.clear();
            return Err(Error::at_byte(Base64Error::TooLarge { len: n, max }, 0));
        }
        return Ok(());
    }
    // `out` still holds `estimate` bytes for the slow decoder.
    match OPENSSH_B64.decode_slice(bytes, out) {
        Ok(n) => {
            out.truncate(n);
            if n > max {
                return Err(Error::at_byte(Base64Error::TooLarge { len: n, max }, 0));
            }
            Ok(())
        }
        Err(e) => {
            out.clear();
            Err(base64_error(bytes, e))
        }
    }
}

fn base64_error(bytes: &[u8], e: base64::DecodeSliceError) -> Error {
    use base64::DecodeError as D;
    let d = match e {
        base64::DecodeSliceError::DecodeError(d) => d,
        base64::DecodeSliceError::OutputSliceTooSmall => {
            return Error::at_byte(Base64Error::Padding, bytes.len());
        }
    };
    match d {
        D::InvalidByte(i, b'=') => Error::at_byte(Base64Error::Padding, i),
        D::InvalidByte(i, b) => Error::at_byte(Base64Error::Symbol(b), i),
        D::InvalidLength(_) | D::InvalidPadding => Error::at_byte(Base64Error::Padding, bytes.len()),
        D::InvalidLastSymbol(i, _) => Error::at_byte(Base64Error::TrailingBits, i),
    }
}

/// A line that passed validation: the parsed line and the key, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Checked<'l, 'b> {
    line: Line<'l>,
    key: Key<'b>,
    /// The validator's findings (kept there, not copied with every line).
    findings: &'b Findings,
}

impl<'l, 'b> Checked<'l, 'b> {
    /// The parsed line.
    pub const fn line(&self) -> &Line<'l> {
        &self.line
    }

    /// The parsed key or certificate.
    pub const fn key(&self) -> &Key<'b> {
        &self.key
    }

    /// The algorithm of the key (from the blob).
    pub fn algorithm(&self) -> Algorithm {
        self.key.algorithm()
    }

    /// Key size as ssh-keygen reports it.
    pub fn bits(&self) -> u32 {
        self.key.bits()
    }

    /// The SHA-256 fingerprint (of the certified key, for a certificate).
    pub fn sha256(&self) -> Fingerprint {
        self.key.fingerprint(HashAlg::Sha256)
    }

    /// The MD5 fingerprint.
    pub fn md5(&self) -> Fingerprint {
        self.key.fingerprint(HashAlg::Md5)
    }

    /// A fingerprint by algorithm.
    pub fn fingerprint(&self, alg: HashAlg) -> Fingerprint {
        self.key.fingerprint(alg)
    }

    /// The comment, if any and UTF-8.
    pub fn comment(&self) -> Option<&'l str> {
        self.line.comment()
    }

    /// What weak-key screening found that did not reject the key
    /// (warnings).
    pub const fn findings(&self) -> &'b Findings {
        self.findings
    }
}

/// Validates key lines and blobs against a [`Policy`], reusing one buffer.
///
/// ```
/// use keyvet::{Validator, policy};
/// let line = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy alice@example";
/// let mut v = Validator::new(policy::STRICT);
/// let ok = v.check_line(line).unwrap();
/// assert_eq!(ok.bits(), 256);
/// assert_eq!(ok.comment(), Some("alice@example"));
/// assert!(ok.sha256().to_string().starts_with("SHA256:"));
/// ```
#[derive(Debug, Clone)]
pub struct Validator {
    policy: Policy,
    buf: Vec<u8>,
    /// For base64 with embedded control whitespace, which OpenSSH skips.
    scratch: Vec<u8>,
    blocklist: Option<Arc<Blocklist>>,
    /// Weak-key findings of the last check, rejected or not.
    findings: Findings,
}

impl Validator {
    /// A validator for `policy`.
    pub fn new(policy: Policy) -> Validator {
        Validator {
            policy,
            buf: Vec::new(),
            scratch: Vec::new(),
            blocklist: None,
            findings: Findings::default(),
        }
    }

    /// The policy.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Screens keys against a list of known-compromised keys (when the
    /// policy runs [`crate::weak::Check::Blocklist`]).
    #[must_use]
    pub fn with_blocklist(mut self, blocklist: Arc<Blocklist>) -> Validator {
        self.blocklist = Some(blocklist);
        self
    }

    /// Everything weak-key screening found in the last checked line,
    /// including the finding that rejected it.
    pub const fn last_findings(&self) -> &Findings {
        &self.findings
    }

    /// Parses and validates one authorized_keys / public key line.
    ///
    /// # Errors
    /// The first rule the line breaks, with its position.
    pub fn check_line<'l>(&mut self, line: &'l [u8]) -> Result<Checked<'l, '_>, Error> {
        self.findings.clear();
        let line = self.policy.visible(line);
        let trimmed = line::trim_eol(line);
        if trimmed.len() > self.policy.max_line_len {
            return Err(Error::new(LineError::TooLong {
                len: trimmed.len(),
                max: self.policy.max_line_len,
            }));
        }
        let parsed = Line::parse(line)?;
        check_line_policy(&parsed, &self.policy)?;
        self.decode(&parsed)?;
        let key = match check_blob_inner(&self.buf, &self.policy, Some(parsed.algorithm())) {
            Ok(key) => key,
            Err(e) => {
                self.findings = screen_rejected(&self.buf, &self.policy, self.blocklist.as_deref());
                return Err(e.or_byte(parsed.base64_offset()));
            }
        };
        if self.policy.screening.checks != crate::weak::CheckSet::NONE {
            self.findings = screen_key(&key, &self.policy, self.blocklist.as_deref());
        }
        if let Some(e) = weak_error(&self.findings) {
            return Err(e.or_byte(parsed.base64_offset()));
        }
        Ok(Checked {
            line: parsed,
            key,
            findings: &self.findings,
        })
    }

    /// Reads a line the way `ssh-keygen -l` does (a bare key, or a key after
    /// a known_hosts host field or authorized_keys options, which are not
    /// checked) and validates the key.
    ///
    /// # Errors
    /// Why no key could be read: the error of the key at the start of the
    /// line when it starts with a key type, else that of the key after the
    /// leading field.
    pub fn check_keygen_line<'l>(&mut self, line: &'l [u8]) -> Result<Checked<'l, '_>, Error> {
        self.findings.clear();
        let line = self.policy.visible(line);
        let trimmed = line::trim_eol(line);
        if trimmed.len() > self.policy.max_line_len {
            return Err(Error::new(LineError::TooLong {
                len: trimmed.len(),
                max: self.policy.max_line_len,
            }));
        }
        let c = Line::parse_keygen_candidates(line);
        let direct_err = match c.direct {
            Ok(l) => match self.try_line(&l) {
                Ok(()) => return self.finish(l),
                Err(e) => e,
            },
            Err(e) => e,
        };
        let after_err = match c.after_prefix {
            Some(Ok(l)) => match self.try_line(&l) {
                Ok(()) => return self.finish(l),
                Err(e) => Some(e),
            },
            Some(Err(e)) => Some(e),
            None => None,
        };
        match after_err {
            Some(e) if !c.starts_with_type => Err(e),
            _ => Err(direct_err),
        }
    }

    /// Decodes the line's base64 into the buffer. OpenSSH's `b64_pton`
    /// skips whitespace anywhere; the only whitespace a base64 field can
    /// hold is CR, LF, VT or FF, which the openssh policy skips too and the
    /// strict one (canonical encodings) refuses.
    fn decode(&mut self, l: &Line<'_>) -> Result<(), Error> {
        let max = self.policy.max_blob_len;
        let b64 = l.base64();
        match decode_base64(b64, &mut self.buf, max) {
            Ok(()) => Ok(()),
            Err(e) if !self.policy.canonical_encoding && b64.bytes().any(|b| b.is_ascii_whitespace() || b == 0x0b) => {
                self.scratch.clear();
                self.scratch
                    .extend(b64.bytes().filter(|b| !(b.is_ascii_whitespace() || *b == 0x0b)));
                let stripped = std::str::from_utf8(&self.scratch).map_err(|_| shift(e, l.base64_offset()))?;
                decode_base64(stripped, &mut self.buf, max).map_err(|_| shift(e, l.base64_offset()))
            }
            Err(e) => Err(shift(e, l.base64_offset())),
        }
    }

    /// Reads a bare `type base64 [comment]` line, without options (what
    /// OpenSSH's `sshkey_read` reads, e.g. in a `.pub` file), and validates
    /// the key.
    ///
    /// # Errors
    /// The first rule the line breaks.
    pub fn check_key_line<'l>(&mut self, line: &'l [u8]) -> Result<Checked<'l, '_>, Error> {
        self.findings.clear();
        let line = self.policy.visible(line);
        let trimmed = line::trim_eol(line);
        if trimmed.len() > self.policy.max_line_len {
            return Err(Error::new(LineError::TooLong {
                len: trimmed.len(),
                max: self.policy.max_line_len,
            }));
        }
        let parsed = Line::parse_key(line)?;
        self.try_line(&parsed)?;
        self.finish(parsed)
    }

    fn try_line(&mut self, l: &Line<'_>) -> Result<(), Error> {
        self.findings.clear();
        check_line_policy_keygen(l, &self.policy)?;
        self.decode(l)?;
        let key = match check_blob_inner(&self.buf, &self.policy, Some(l.algorithm())) {
            Ok(key) => key,
            Err(e) => {
                self.findings = screen_rejected(&self.buf, &self.policy, self.blocklist.as_deref());
                return Err(e.or_byte(l.base64_offset()));
            }
        };
        if self.policy.screening.checks != crate::weak::CheckSet::NONE {
            self.findings = screen_key(&key, &self.policy, self.blocklist.as_deref());
        }
        match weak_error(&self.findings) {
            Some(e) => Err(e.or_byte(l.base64_offset())),
            None => Ok(()),
        }
    }

    fn finish<'l>(&mut self, l: Line<'l>) -> Result<Checked<'l, '_>, Error> {
        // The buffer holds the blob `try_line` accepted; parse it again to
        // borrow it for the caller (cheap: no checks that need arithmetic).
        let key = Key::parse(&self.buf)?;
        Ok(Checked {
            line: l,
            key,
            findings: &self.findings,
        })
    }

    /// Validates a decoded key blob.
    ///
    /// # Errors
    /// The first rule the blob breaks.
    pub fn check_blob<'b>(&self, blob: &'b [u8]) -> Result<Key<'b>, Error> {
        let key = check_blob_inner(blob, &self.policy, None)?;
        match weak_error(&screen_key(&key, &self.policy, self.blocklist.as_deref())) {
            Some(e) => Err(e),
            None => Ok(key),
        }
    }
}

/// Weak-key screening of a key (and of a certificate's CA key).
fn screen_key(key: &Key<'_>, p: &Policy, blocklist: Option<&Blocklist>) -> Findings {
    let mut f = Findings::default();
    if p.screening.checks != crate::weak::CheckSet::NONE {
        weak::screen(key.public_key(), &p.screening, blocklist, &mut f);
        if let Key::Cert(c) = key {
            weak::screen(c.signature_key().key(), &p.screening, blocklist, &mut f);
        }
    }
    f
}

/// Weak-key screening of a blob the policy refused (an algorithm it does not
/// accept, a size under its floor, a point off the curve): the findings say
/// what else is wrong with the key, next to the error that refused it. Only
/// blobs that parse, and keys within OpenSSH's largest size (16384 bits), so
/// that the cost stays bounded as for accepted keys.
fn screen_rejected(blob: &[u8], p: &Policy, blocklist: Option<&Blocklist>) -> Findings {
    if p.screening.checks == crate::weak::CheckSet::NONE {
        return Findings::default();
    }
    match Key::parse(blob) {
        Ok(key)
            if key.public_key().bits() <= MAX_SCREENED_BITS
                && match &key {
                    Key::Cert(c) => c.signature_key().key().bits() <= MAX_SCREENED_BITS,
                    Key::Plain(_) => true,
                } =>
        {
            screen_key(&key, p, blocklist)
        }
        _ => Findings::default(),
    }
}

/// The largest key [`screen_rejected`] screens: OpenSSH's RSA maximum.
const MAX_SCREENED_BITS: u32 = 16384;

/// The error for the first error-severity finding, if any.
fn weak_error(f: &Findings) -> Option<Error> {
    f.first_error().map(|first| {
        Error::new(WeakError {
            check: first.check,
            detail: first.detail,
        })
    })
}

fn shift(e: Error, by: usize) -> Error {
    match e.byte() {
        Some(b) => Error::at_byte(*e.kind(), b + by),
        None => e.or_byte(by),
    }
}

fn check_line_policy(l: &Line<'_>, p: &Policy) -> Result<(), Error> {
    check_line_policy_keygen(l, p)?;
    if p.strict_options
        && let Some(o) = l.options()
    {
        o.check_strict()?;
    }
    Ok(())
}

fn check_line_policy_keygen(l: &Line<'_>, p: &Policy) -> Result<(), Error> {
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

fn check_blob_inner<'b>(blob: &'b [u8], p: &Policy, word: Option<Algorithm>) -> Result<Key<'b>, Error> {
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
        Key::Cert(c) => check_cert(c, p)?,
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
                ec::check_point(e.curve, e.point).map_err(|kind| err(kind.into(), "ecdsa.point"))?;
            }
        }
        KeyData::SkEcdsa(s) => {
            if p.check_ec_points {
                ec::check_point(s.key.curve, s.key.point).map_err(|kind| err(kind.into(), "ecdsa.point"))?;
            }
            check_sk_app(s.application(), p, at)?;
        }
        KeyData::SkEd25519(s) => check_sk_app(s.application(), p, at)?,
        KeyData::Dsa(_) | KeyData::Ed25519(_) | KeyData::MlDsa44Ed25519(_) => {}
    }
    Ok(())
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

fn check_cert(c: &Certificate<'_>, p: &Policy) -> Result<(), Error> {
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
        cert::check_sorted(c.critical_options(), o.critical, CertList::CriticalOptions)?;
        cert::check_sorted(c.extensions(), o.extensions, CertList::Extensions)?;
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
    if p.verify_signatures {
        verify::certificate_with(c, &ca_key, &sig).map_err(|k| Error::in_blob(k, o.signature, "cert.signature"))?;
    }
    // v00 certificates only carry RSA and DSA keys.
    debug_assert!(c.version() == CertVersion::V01 || matches!(c.key().key_type(), KeyType::Rsa | KeyType::Dsa));
    Ok(())
}
