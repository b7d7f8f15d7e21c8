//! The checker: line, base64, blob, the policy's rules, certificate
//! signatures and weak-key screening, with a reusable decode buffer so that
//! checking a line allocates nothing once the buffer has grown to the
//! largest key seen.

#[cfg(feature = "weak")]
use std::sync::Arc;

use crate::algorithm::Algorithm;
use crate::base64::decode_base64;
use crate::cert::Certificate;
#[cfg(not(all(feature = "weak", feature = "verify")))]
use crate::error::PolicyError;
use crate::error::{Error, LineError};
use crate::fingerprint::{Fingerprint, HashAlg};
use crate::format::LineFormat;
use crate::key::Key;
use crate::known_hosts::{HostLine, Marker};
use crate::line::{self, Line};
use crate::policy::Policy;
use crate::rules;
use crate::screening::{CheckSet, Findings};
#[cfg(feature = "weak")]
use crate::weak::{self, Blocklist};

/// A line that passed every check: the parsed line and the key, borrowed
/// (see [`Checked::report`] for an owned copy).
#[derive(Debug, Clone, Copy)]
pub struct Checked<'l, 'b> {
    line: Line<'l>,
    /// The marker and host field, for a known_hosts line.
    host: Option<HostLine<'l>>,
    key: Key<'b>,
    /// The checker's findings (kept there, not copied with every line).
    findings: &'b Findings,
}

impl<'l, 'b> Checked<'l, 'b> {
    /// The parsed line.
    pub const fn line(&self) -> &Line<'l> {
        &self.line
    }

    /// The known_hosts line (marker and hosts), when the line was read as
    /// one ([`Checker::check_host_line`], or [`LineFormat::Auto`]).
    pub const fn host_line(&self) -> Option<&HostLine<'l>> {
        self.host.as_ref()
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

/// Checks key lines and blobs against a [`Policy`], reusing one buffer.
///
/// ```
/// use keyvet::{Checker, policy};
/// let line = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy alice@example";
/// let mut v = Checker::new(policy::STRICT);
/// let ok = v.check_line(line).unwrap();
/// assert_eq!(ok.bits(), 256);
/// assert_eq!(ok.comment(), Some("alice@example"));
/// assert!(ok.sha256().to_string().starts_with("SHA256:"));
/// ```
#[derive(Debug, Clone)]
pub struct Checker {
    policy: Policy,
    buf: Vec<u8>,
    /// For base64 with embedded control whitespace, which OpenSSH skips.
    scratch: Vec<u8>,
    screener: Screener,
    /// Weak-key findings of the last check, rejected or not.
    findings: Findings,
    /// The grammar of [`Checker::check_file_line`].
    format: LineFormat,
}

impl Checker {
    /// A checker for `policy`.
    pub fn new(policy: Policy) -> Checker {
        Checker {
            policy,
            buf: Vec::new(),
            scratch: Vec::new(),
            screener: Screener::default(),
            findings: Findings::default(),
            format: LineFormat::AuthorizedKeys,
        }
    }

    /// The grammar [`Checker::check_file_line`] reads lines with (by
    /// default [`LineFormat::AuthorizedKeys`]).
    #[must_use]
    pub const fn with_line_format(mut self, format: LineFormat) -> Checker {
        self.format = format;
        self
    }

    /// The grammar of [`Checker::check_file_line`].
    pub const fn line_format(&self) -> LineFormat {
        self.format
    }

    /// Checks a line of a key file in the checker's [`LineFormat`]: an
    /// authorized_keys line ([`Checker::check_line`]) or a known_hosts line
    /// ([`Checker::check_host_line`]), or either, decided by content.
    ///
    /// # Errors
    /// The first rule the line breaks, in the grammar it was read with.
    pub fn check_file_line<'l>(&mut self, line: &'l [u8]) -> Result<Checked<'l, '_>, Error> {
        let known_hosts = match self.format {
            LineFormat::AuthorizedKeys => false,
            LineFormat::KnownHosts => true,
            LineFormat::Auto => looks_like_known_hosts(line),
        };
        if known_hosts {
            self.check_host_line(line)
        } else {
            self.check_line(line)
        }
    }

    /// Parses and checks one known_hosts line: the marker and the host
    /// field (with [`HostLine::lint`]'s rules when the policy has
    /// `strict_options`), then the key as in a public key file. A
    /// `@revoked` key is only checked to be a well-formed key OpenSSH reads
    /// (revoking a weak or short key is right, not a mistake).
    ///
    /// ```
    /// use keyvet::{Checker, policy};
    /// use keyvet::known_hosts::Marker;
    /// let mut v = Checker::new(policy::STRICT);
    /// let line = b"@revoked old.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy";
    /// let c = v.check_host_line(line).unwrap();
    /// assert_eq!(c.host_line().unwrap().marker(), Some(Marker::Revoked));
    /// assert_eq!(v.check_host_line(b"old.example.com,").unwrap_err().code(), "known_hosts.missing_key");
    /// ```
    ///
    /// # Errors
    /// The first rule the line breaks, with its position.
    pub fn check_host_line<'l>(&mut self, line: &'l [u8]) -> Result<Checked<'l, '_>, Error> {
        let line = self.start(line)?;
        let parsed = HostLine::parse(line)?;
        if self.policy.strict_options {
            parsed.lint()?;
        }
        let key_line = *parsed.key();
        let revoked = parsed.marker() == Some(Marker::Revoked);
        let keep = self.policy;
        if revoked {
            self.policy = revocation_policy(&keep);
        }
        let checked = rules::line(&key_line, &self.policy).and_then(|()| self.key_of(&key_line).map(|_| ()));
        self.policy = keep;
        checked?;
        let mut c = self.finish(key_line)?;
        c.host = Some(parsed);
        Ok(c)
    }

    /// The policy.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Screens keys against a list of known-compromised keys (when the
    /// policy runs [`crate::weak::Check::Blocklist`]).
    #[cfg(feature = "weak")]
    #[must_use]
    pub fn with_blocklist(mut self, blocklist: Arc<Blocklist>) -> Checker {
        self.screener.blocklist = Some(blocklist);
        self
    }

    /// Everything weak-key screening found in the last checked line,
    /// including the finding that rejected it.
    pub const fn last_findings(&self) -> &Findings {
        &self.findings
    }

    /// Starts a check: forgets the last findings, and returns the part of
    /// the line the policy reads, if it is within the policy's length.
    fn start<'l>(&mut self, line: &'l [u8]) -> Result<&'l [u8], Error> {
        self.findings.clear();
        let line = self.policy.visible(line);
        let len = line::trim_eol(line).len();
        if len > self.policy.max_line_len {
            return Err(Error::new(LineError::TooLong {
                len,
                max: self.policy.max_line_len,
            }));
        }
        Ok(line)
    }

    /// Parses and checks one authorized_keys / public key line.
    ///
    /// # Errors
    /// The first rule the line breaks, with its position.
    pub fn check_line<'l>(&mut self, line: &'l [u8]) -> Result<Checked<'l, '_>, Error> {
        let line = self.start(line)?;
        let parsed = Line::parse(line)?;
        rules::line(&parsed, &self.policy)?;
        let (key, findings) = self.key_of(&parsed)?;
        Ok(Checked {
            line: parsed,
            host: None,
            key,
            findings,
        })
    }

    /// Reads a line the way `ssh-keygen -l` does (a bare key, or a key after
    /// a known_hosts host field or authorized_keys options, which are not
    /// checked) and checks the key.
    ///
    /// # Errors
    /// Why no key could be read: the error of the key at the start of the
    /// line when it starts with a key type, else that of the key after the
    /// leading field.
    pub fn check_listing_line<'l>(&mut self, line: &'l [u8]) -> Result<Checked<'l, '_>, Error> {
        let line = self.start(line)?;
        let c = Line::parse_listing_candidates(line);
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
    /// OpenSSH's `sshkey_read` reads, e.g. in a `.pub` file), and checks
    /// the key.
    ///
    /// # Errors
    /// The first rule the line breaks.
    pub fn check_key_line<'l>(&mut self, line: &'l [u8]) -> Result<Checked<'l, '_>, Error> {
        let line = self.start(line)?;
        let parsed = Line::parse_key(line)?;
        self.try_line(&parsed)?;
        self.finish(parsed)
    }

    fn try_line(&mut self, l: &Line<'_>) -> Result<(), Error> {
        self.findings.clear();
        rules::listing_line(l, &self.policy)?;
        self.key_of(l).map(|_| ())
    }

    /// The line's key, decoded, through the policy's rules and its
    /// signature, and screened (a key the rules refuse is screened too, for
    /// the findings). Errors point into the base64 field.
    fn key_of(&mut self, l: &Line<'_>) -> Result<(Key<'_>, &Findings), Error> {
        self.decode(l)?;
        let at = l.base64_offset();
        self.findings.clear();
        let key = match accept(&self.buf, &self.policy, Some(l.algorithm()), &mut self.findings) {
            Ok(key) => key,
            Err(e) => {
                self.findings = self.screener.rejected(&self.buf, &self.policy);
                return Err(e.or_byte(at));
            }
        };
        self.screener
            .accepted(&key, &self.policy, &mut self.findings)
            .map_err(|e| e.or_byte(at))?;
        Ok((key, &self.findings))
    }

    fn finish<'l>(&mut self, l: Line<'l>) -> Result<Checked<'l, '_>, Error> {
        // The buffer holds the blob `try_line` accepted; parse it again to
        // borrow it for the caller (cheap: no checks that need arithmetic).
        let key = Key::parse(&self.buf)?;
        Ok(Checked {
            line: l,
            host: None,
            key,
            findings: &self.findings,
        })
    }

    /// Checks a decoded key blob.
    ///
    /// # Errors
    /// The first rule the blob breaks.
    pub fn check_blob<'b>(&self, blob: &'b [u8]) -> Result<Key<'b>, Error> {
        let mut findings = Findings::default();
        let key = accept(blob, &self.policy, None, &mut findings)?;
        self.screener.accepted(&key, &self.policy, &mut findings)?;
        Ok(key)
    }
}

/// What the checker screens keys with: the weak-key checks of the policy,
/// and a blocklist when there is one.
#[derive(Debug, Clone, Default)]
struct Screener {
    #[cfg(feature = "weak")]
    blocklist: Option<Arc<Blocklist>>,
}

impl Screener {
    /// Screens an accepted key (and a certificate's CA key), adding to
    /// `out`; the first finding that rejects the key is the error.
    fn accepted(&self, key: &Key<'_>, p: &Policy, out: &mut Findings) -> Result<(), Error> {
        if p.screening.checks.intersection(CheckSet::WEAK) == CheckSet::NONE {
            return Ok(());
        }
        #[cfg(feature = "weak")]
        {
            for f in self.key(key, p).iter() {
                out.push(*f);
            }
            match out.first_error() {
                Some(first) => Err(Error::new(crate::error::WeakError::new(first.check, first.detail))),
                None => Ok(()),
            }
        }
        #[cfg(not(feature = "weak"))]
        {
            let _ = (key, out);
            Err(Error::new(PolicyError::FeatureMissing {
                feature: "weak",
                what: "screen keys for known weaknesses",
            }))
        }
    }

    /// Screens a blob the policy refused (an algorithm it does not accept, a
    /// size under its floor, a point off the curve): the findings say what
    /// else is wrong with the key, next to the error that refused it. Only
    /// blobs that parse, and keys within OpenSSH's largest size (16384
    /// bits), so that the cost stays bounded as for accepted keys.
    fn rejected(&self, blob: &[u8], p: &Policy) -> Findings {
        if p.screening.checks.intersection(CheckSet::WEAK) == CheckSet::NONE {
            return Findings::default();
        }
        #[cfg(feature = "weak")]
        if let Ok(key) = Key::parse(blob)
            && key.public_key().bits() <= MAX_SCREENED_BITS
            && match &key {
                Key::Cert(c) => c.signature_key().key().bits() <= MAX_SCREENED_BITS,
                Key::Plain(_) => true,
            }
        {
            return self.key(&key, p);
        }
        #[cfg(not(feature = "weak"))]
        let _ = blob;
        Findings::default()
    }

    /// Weak-key screening of a key (and of a certificate's CA key).
    #[cfg(feature = "weak")]
    fn key(&self, key: &Key<'_>, p: &Policy) -> Findings {
        let mut f = Findings::default();
        let blocklist = self.blocklist.as_deref();
        weak::screen(key.public_key(), &p.screening, blocklist, &mut f);
        if let Key::Cert(c) = key {
            weak::screen(c.signature_key().key(), &p.screening, blocklist, &mut f);
        }
        f
    }
}

/// The largest key [`Screener::rejected`] screens: OpenSSH's RSA maximum.
#[cfg(feature = "weak")]
const MAX_SCREENED_BITS: u32 = 16384;

fn shift(e: Error, by: usize) -> Error {
    match e.byte() {
        Some(b) => Error::at_byte(*e.kind(), b + by),
        None => e.or_byte(by),
    }
}

/// The policy's structural rules ([`rules::blob`]), then a certificate's CA
/// signature: the last rule, as in OpenSSH.
fn accept<'b>(blob: &'b [u8], p: &Policy, word: Option<Algorithm>, findings: &mut Findings) -> Result<Key<'b>, Error> {
    let key = rules::blob(blob, p, word, findings)?;
    if p.verify_signatures
        && let Key::Cert(c) = &key
    {
        verify_signature(c)?;
    }
    Ok(key)
}

fn verify_signature(c: &Certificate<'_>) -> Result<(), Error> {
    let at = c.offsets().signature;
    #[cfg(feature = "verify")]
    let verified = crate::signature::verify(c).map_err(crate::ErrorKind::from);
    #[cfg(not(feature = "verify"))]
    let verified = Err(crate::ErrorKind::from(PolicyError::FeatureMissing {
        feature: "verify",
        what: "verify certificate signatures",
    }));
    verified.map_err(|k| Error::in_blob(k, at, "cert.signature"))
}

/// What a `@revoked` key is checked against: OpenSSH's rules (a key OpenSSH
/// reads), with the policy's limits on sizes and its line reading.
fn revocation_policy(p: &Policy) -> Policy {
    Policy {
        max_line_len: p.max_line_len,
        max_blob_len: p.max_blob_len,
        nul_ends_line: p.nul_ends_line,
        strict_comment: p.strict_comment,
        ..crate::policy::OPENSSH
    }
}

/// [`LineFormat::Auto`]'s rule: a marker or hashed host first; or a line
/// that is not an authorized_keys line (so every valid one keeps its
/// meaning) whose first field is printable ASCII without `=` or `"` (as
/// options have) and names a host: one of its comma-separated patterns
/// holds a dot, a colon, a bracket or a wildcard, or is `localhost`. A
/// mistyped option (`no-ptty`) stays an authorized_keys error.
fn looks_like_known_hosts(line: &[u8]) -> bool {
    let s = &line[line::first_nonblank(line)..];
    match s.first() {
        Some(b'@' | b'|') => return true,
        None | Some(b'#') => return false,
        _ => {}
    }
    let first = &s[..s.iter().position(|b| *b == b' ' || *b == b'\t').unwrap_or(s.len())];
    if crate::algorithm::lookup(first).is_some()
        || !first.iter().all(u8::is_ascii_graphic)
        || first.iter().any(|b| matches!(b, b'=' | b'"'))
    {
        return false;
    }
    let names_a_host = first.split(|b| *b == b',').any(|p| {
        let p = p.strip_prefix(b"!").unwrap_or(p);
        p == b"localhost" || p.iter().any(|b| matches!(b, b'.' | b':' | b'[' | b'*' | b'?'))
    });
    names_a_host && Line::parse(line).is_err()
}
