//! An owned report of an accepted key: what a request handler returns,
//! stores or serializes after the borrowed [`Checked`] is gone.
//!
//! With the `serde` feature, a report serializes to the fields of the
//! `keyvet check --json` object for a valid line (`algorithm`, `bits`,
//! `sha256`, `md5`, `comment`, `options`, `findings`), plus `openssh` (the
//! key as `type base64`) and, for a certificate, `certificate`.

use base64::Engine;

use crate::algorithm::Algorithm;
use crate::cert::{CertOptions, CertType, Certificate};
use crate::checker::Checked;
use crate::fingerprint::{Fingerprint, HashAlg};
use crate::key::Key;
use crate::screening::Finding;

/// Everything keyvet knows about an accepted key, owned.
///
/// ```
/// use keyvet::{Checker, KeyReport, policy};
/// let line = b"no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy alice";
/// let report: KeyReport = Checker::new(policy::STRICT).check_line(line).unwrap().report();
/// assert_eq!(report.algorithm.name(), "ssh-ed25519");
/// assert_eq!(report.options, ["no-pty"]);
/// assert_eq!(report.comment.as_deref(), Some("alice"));
/// assert!(report.openssh.starts_with("ssh-ed25519 AAAAC3Nz"));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct KeyReport {
    /// The key's algorithm (for a certificate, its certificate algorithm).
    pub algorithm: Algorithm,
    /// The size `ssh-keygen -l` reports.
    pub bits: u32,
    /// The SHA-256 fingerprint (of the certified key, for a certificate).
    pub sha256: Fingerprint,
    /// The MD5 fingerprint.
    pub md5: Fingerprint,
    /// The comment, as text (invalid UTF-8 replaced by U+FFFD).
    pub comment: Option<String>,
    /// The authorized_keys options, as written (invalid UTF-8 replaced).
    pub options: Vec<String>,
    /// What weak-key screening found that did not reject the key.
    pub findings: Vec<Finding>,
    /// The key alone, as OpenSSH writes it: `type base64`.
    pub openssh: String,
    /// A certificate's fields, when the key is one.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub certificate: Option<CertReport>,
}

/// A certificate's fields, owned.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CertReport {
    /// `user` or `host`.
    #[cfg_attr(feature = "serde", serde(serialize_with = "display"))]
    pub cert_type: CertType,
    /// The key ID.
    pub key_id: String,
    /// The serial (absent in v00 certificates).
    pub serial: Option<u64>,
    /// The principals (empty: any principal).
    pub principals: Vec<String>,
    /// Valid from, in seconds since the epoch.
    pub valid_after: u64,
    /// Valid until, in seconds since the epoch (`u64::MAX`: forever).
    pub valid_before: u64,
    /// Critical options: name and value (`None` for a flag).
    pub critical_options: Vec<(String, Option<String>)>,
    /// Extensions: name and value (`None` for a flag).
    pub extensions: Vec<(String, Option<String>)>,
    /// The signing CA key's algorithm.
    pub ca_algorithm: Algorithm,
    /// The signing CA key's SHA-256 fingerprint.
    pub ca_sha256: Fingerprint,
    /// The signature algorithm (`rsa-sha2-512`, `ssh-ed25519`, ...).
    pub signature_algorithm: String,
}

#[cfg(feature = "serde")]
fn display<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn options(o: &CertOptions<'_>) -> Vec<(String, Option<String>)> {
    o.iter()
        .map(|x| {
            let value = if x.data.is_empty() {
                None
            } else {
                Some(text(x.value().unwrap_or(x.data)))
            };
            (text(x.name), value)
        })
        .collect()
}

impl CertReport {
    /// The fields of `c`.
    pub fn of(c: &Certificate<'_>) -> CertReport {
        let ca = c.signature_key();
        CertReport {
            cert_type: c.cert_type(),
            key_id: text(c.key_id()),
            serial: c.serial(),
            principals: c.principals().iter().map(text).collect(),
            valid_after: c.valid_after(),
            valid_before: c.valid_before(),
            critical_options: options(c.critical_options()),
            extensions: options(c.extensions()),
            ca_algorithm: Algorithm::plain(ca.key().key_type()),
            ca_sha256: ca.key().fingerprint(HashAlg::Sha256),
            signature_algorithm: text(c.signature().algorithm()),
        }
    }
}

impl Checked<'_, '_> {
    /// An owned report of this key.
    pub fn report(&self) -> KeyReport {
        let key = self.key();
        let algorithm = key.algorithm();
        let b64 = base64::engine::general_purpose::STANDARD.encode(key.raw());
        KeyReport {
            algorithm,
            bits: self.bits(),
            sha256: self.sha256(),
            md5: self.md5(),
            comment: self.line().comment_bytes().map(text),
            options: self
                .line()
                .options()
                .map(|o| o.iter().map(|x| text(x.raw)).collect())
                .unwrap_or_default(),
            findings: self.findings().iter().copied().collect(),
            openssh: format!("{} {b64}", algorithm.name()),
            certificate: match key {
                Key::Cert(c) => Some(CertReport::of(c)),
                Key::Plain(_) => None,
            },
        }
    }
}
