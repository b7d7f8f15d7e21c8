//! Fingerprints exactly as `ssh-keygen -l` prints them.
//!
//! OpenSSH hashes the canonical plain encoding of the key
//! (`sshkey_fingerprint_raw` with `force_plain`), so a certificate's
//! fingerprint is that of the key inside it, and a key written in a
//! non-canonical form OpenSSH tolerates gets the fingerprint of its canonical
//! form. keyvet hashes the blob's own bytes when they are canonical (the
//! common case) and streams the re-encoding into the hash otherwise, never
//! allocating.

use std::fmt;

use base64::Engine;
use md5::{Digest, Md5};
use sha2::Sha256;

use crate::key::PublicKey;
use crate::wire::Sink;

/// A fingerprint hash.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashAlg {
    /// SHA-256, printed as `SHA256:` and unpadded base64 (ssh-keygen's default).
    Sha256,
    /// MD5, printed as `MD5:` and colon-separated hex (`ssh-keygen -E md5`).
    Md5,
}

impl HashAlg {
    /// The prefix ssh-keygen prints (`SHA256`, `MD5`).
    pub const fn name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "SHA256",
            HashAlg::Md5 => "MD5",
        }
    }

    /// Digest length in bytes.
    pub const fn digest_len(self) -> usize {
        match self {
            HashAlg::Sha256 => 32,
            HashAlg::Md5 => 16,
        }
    }
}

/// A key fingerprint.
///
/// `Display` gives ssh-keygen's form (`SHA256:...` or `MD5:aa:bb:...`);
/// [`Fingerprint::hex`] gives the bare colon-hex form cloud APIs return
/// (RFC 4716 section 4).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    alg: HashAlg,
    digest: [u8; 32],
}

impl Fingerprint {
    /// The hash algorithm.
    pub const fn alg(&self) -> HashAlg {
        self.alg
    }

    /// The raw digest.
    pub fn as_bytes(&self) -> &[u8] {
        &self.digest[..self.alg.digest_len()]
    }

    /// Colon-separated lowercase hex without a prefix, such as
    /// `d4:1d:8c:...`: the MD5 form of RFC 4716 section 4 that cloud key-pair
    /// APIs return.
    pub fn hex(&self) -> impl fmt::Display + '_ {
        Hex(self.as_bytes())
    }
}

struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut buf = [0u8; 32 * 3];
        let mut n = 0;
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                buf[n] = b':';
                n += 1;
            }
            buf[n] = DIGITS[usize::from(b >> 4)];
            buf[n + 1] = DIGITS[usize::from(b & 15)];
            n += 2;
        }
        f.write_str(std::str::from_utf8(&buf[..n]).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.alg.name())?;
        f.write_str(":")?;
        match self.alg {
            HashAlg::Md5 => write!(f, "{}", self.hex()),
            HashAlg::Sha256 => {
                let mut buf = [0u8; 44];
                let n = base64::engine::general_purpose::STANDARD_NO_PAD
                    .encode_slice(self.as_bytes(), &mut buf)
                    .map_err(|_| fmt::Error)?;
                f.write_str(std::str::from_utf8(&buf[..n]).map_err(|_| fmt::Error)?)
            }
        }
    }
}

/// Serialized as `ssh-keygen` prints it (`SHA256:...`, `MD5:aa:bb:...`).
#[cfg(feature = "serde")]
impl serde::Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

struct DigestSink<D>(D);

impl<D: Digest> Sink for DigestSink<D> {
    fn put(&mut self, bytes: &[u8]) {
        crate::meter::charge(bytes.len());
        self.0.update(bytes);
    }
}

fn digest<D: Digest>(key: &PublicKey<'_>) -> D {
    let mut s = DigestSink(D::new());
    key.write_canonical(&mut s);
    s.0
}

pub(crate) fn of_key(key: &PublicKey<'_>, alg: HashAlg) -> Fingerprint {
    let mut out = [0u8; 32];
    match alg {
        HashAlg::Sha256 => out.copy_from_slice(&digest::<Sha256>(key).finalize()),
        HashAlg::Md5 => out[..16].copy_from_slice(&digest::<Md5>(key).finalize()),
    }
    Fingerprint { alg, digest: out }
}

/// The fingerprint of raw bytes (for callers that hold a canonical blob).
///
/// ```
/// use keyvet::{fingerprint, HashAlg};
/// let fp = fingerprint::of_bytes(b"", HashAlg::Md5);
/// assert_eq!(fp.to_string(), "MD5:d4:1d:8c:d9:8f:00:b2:04:e9:80:09:98:ec:f8:42:7e");
/// ```
pub fn of_bytes(bytes: &[u8], alg: HashAlg) -> Fingerprint {
    let mut out = [0u8; 32];
    match alg {
        HashAlg::Sha256 => out.copy_from_slice(&Sha256::digest(bytes)),
        HashAlg::Md5 => out[..16].copy_from_slice(&Md5::digest(bytes)),
    }
    Fingerprint { alg, digest: out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_empty_is_unpadded() {
        assert_eq!(
            of_bytes(b"", HashAlg::Sha256).to_string(),
            "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
        );
    }

    #[test]
    fn md5_hex_has_no_prefix() {
        assert_eq!(
            of_bytes(b"", HashAlg::Md5).hex().to_string(),
            "d4:1d:8c:d9:8f:00:b2:04:e9:80:09:98:ec:f8:42:7e"
        );
    }
}
