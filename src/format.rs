//! The forms a key arrives in: the formats keyvet reads and converts, and
//! the kinds of private key it recognises when one is pasted where a public
//! key belongs. Vocabulary shared by the line grammar, the errors and the
//! converters.

use std::fmt;

/// What kind of private key was pasted.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivateKeyKind {
    /// `-----BEGIN OPENSSH PRIVATE KEY-----`
    OpenSsh,
    /// `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1)
    Rsa,
    /// `-----BEGIN DSA PRIVATE KEY-----`
    Dsa,
    /// `-----BEGIN EC PRIVATE KEY-----` (SEC1)
    Ec,
    /// `-----BEGIN PRIVATE KEY-----` or `ENCRYPTED PRIVATE KEY` (PKCS#8)
    Pkcs8,
    /// `PuTTY-User-Key-File-...` (.ppk)
    Putty,
    /// `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----` (ssh.com, Tectia)
    SshCom,
    /// `SSH PRIVATE KEY FILE FORMAT 1.1` (SSH-1's binary key file)
    Ssh1,
    /// A private key of another form (`convert`'s formats map to the
    /// kinds above; this is the rest).
    Other,
}

impl fmt::Display for PrivateKeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PrivateKeyKind::OpenSsh => "OpenSSH private key",
            PrivateKeyKind::Rsa => "PEM RSA private key",
            PrivateKeyKind::Dsa => "PEM DSA private key",
            PrivateKeyKind::Ec => "PEM EC private key",
            PrivateKeyKind::Pkcs8 => "PKCS#8 private key",
            PrivateKeyKind::Putty => "PuTTY private key file",
            PrivateKeyKind::SshCom => "ssh.com (SSH2) private key",
            PrivateKeyKind::Ssh1 => "SSH-1 private key file",
            PrivateKeyKind::Other => "private key",
        })
    }
}

/// The form a converted key came in.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// An OpenSSH public key line (`ssh-ed25519 AAAA... comment`).
    OpenSsh,
    /// An RFC 4716 block (`---- BEGIN SSH2 PUBLIC KEY ----`).
    Rfc4716,
    /// A PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`).
    PemPublicKey,
    /// A PEM PKCS#1 RSA public key (`-----BEGIN RSA PUBLIC KEY-----`).
    PemRsaPublicKey,
    /// An OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`).
    OpenSshPrivateKey,
    /// A PEM PKCS#1 RSA private key (`-----BEGIN RSA PRIVATE KEY-----`).
    PemRsaPrivateKey,
    /// An OpenSSL DSA private key (`-----BEGIN DSA PRIVATE KEY-----`).
    PemDsaPrivateKey,
    /// A PEM SEC1 EC private key (`-----BEGIN EC PRIVATE KEY-----`).
    PemEcPrivateKey,
    /// A PEM PKCS#8 private key (`-----BEGIN PRIVATE KEY-----`).
    Pkcs8PrivateKey,
    /// A PuTTY private key file (`PuTTY-User-Key-File-2:` or `-3:`).
    PuttyPrivateKey,
}

impl Format {
    /// Whether the input held a private key (whose public half was derived).
    pub const fn is_private(self) -> bool {
        !matches!(
            self,
            Format::OpenSsh | Format::Rfc4716 | Format::PemPublicKey | Format::PemRsaPublicKey
        )
    }

    /// A stable short name: `openssh`, `rfc4716`, `pem-spki`, `pem-pkcs1`,
    /// `openssh-private`, `pem-rsa-private`, `pem-dsa-private`,
    /// `pem-ec-private`, `pkcs8-private`, `putty-private`.
    pub const fn name(self) -> &'static str {
        match self {
            Format::OpenSsh => "openssh",
            Format::Rfc4716 => "rfc4716",
            Format::PemPublicKey => "pem-spki",
            Format::PemRsaPublicKey => "pem-pkcs1",
            Format::OpenSshPrivateKey => "openssh-private",
            Format::PemRsaPrivateKey => "pem-rsa-private",
            Format::PemDsaPrivateKey => "pem-dsa-private",
            Format::PemEcPrivateKey => "pem-ec-private",
            Format::Pkcs8PrivateKey => "pkcs8-private",
            Format::PuttyPrivateKey => "putty-private",
        }
    }

    /// The kind of private key this format holds ([`PrivateKeyKind::Other`]
    /// for the public formats).
    pub const fn private_kind(self) -> PrivateKeyKind {
        match self {
            Format::OpenSshPrivateKey => PrivateKeyKind::OpenSsh,
            Format::PemRsaPrivateKey => PrivateKeyKind::Rsa,
            Format::PemDsaPrivateKey => PrivateKeyKind::Dsa,
            Format::PemEcPrivateKey => PrivateKeyKind::Ec,
            Format::Pkcs8PrivateKey => PrivateKeyKind::Pkcs8,
            Format::PuttyPrivateKey => PrivateKeyKind::Putty,
            _ => PrivateKeyKind::Other,
        }
    }
}

/// Serialized as its stable short name ([`Format::name`]).
#[cfg(feature = "serde")]
impl serde::Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl fmt::Display for Format {
    /// Human words: "RFC 4716 public key block", "PKCS#8 private key", ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::OpenSsh => "OpenSSH public key line",
            Format::Rfc4716 => "RFC 4716 public key block",
            Format::PemPublicKey => "PEM public key (SubjectPublicKeyInfo)",
            Format::PemRsaPublicKey => "PEM RSA public key (PKCS#1)",
            Format::OpenSshPrivateKey => "OpenSSH private key",
            Format::PemRsaPrivateKey => "PEM RSA private key (PKCS#1)",
            Format::PemDsaPrivateKey => "PEM DSA private key",
            Format::PemEcPrivateKey => "PEM EC private key (SEC1)",
            Format::Pkcs8PrivateKey => "PKCS#8 private key",
            Format::PuttyPrivateKey => "PuTTY private key file",
        })
    }
}

/// Which grammar the lines of a key file follow, for
/// [`crate::Checker::check_file_line`].
///
/// ```
/// use keyvet::{Checker, LineFormat, policy};
/// let mut v = Checker::new(policy::STRICT).with_line_format(LineFormat::Auto);
/// let line = b"github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy";
/// assert!(v.check_file_line(line).unwrap().host_line().is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineFormat {
    /// Decided per line, by content: a line that starts with a marker
    /// (`@`) or a hashed host (`|`) is a known_hosts line; so is a line that
    /// is not an authorized_keys line and whose first field names a host
    /// (a pattern with a dot, colon, bracket or wildcard, or `localhost`:
    /// `github.com ssh-ed25519 ...`). Every other line is an
    /// authorized_keys line: valid ones keep their meaning, and a mistyped
    /// option (`no-ptty`) is reported as one. A host named by a single
    /// word such as `myserver` needs [`LineFormat::KnownHosts`].
    Auto,
    /// authorized_keys lines (and public key files): `[options] type base64
    /// [comment]`. The default: a server that manages authorized_keys never
    /// takes a known_hosts line for a valid key.
    #[default]
    AuthorizedKeys,
    /// known_hosts lines: `[marker] hosts type base64 [comment]`.
    KnownHosts,
}
