//! Known-compromised keys, from a file the user supplies.
//!
//! One entry per line (blank lines and `#` comments skipped):
//! * `SHA256:...`: an SSH fingerprint as `ssh-keygen -l` prints it;
//! * 30 hex digits: badkeys' truncated hash of an RSA modulus (the first 15
//!   bytes of SHA-256 over the modulus, big-endian, no leading zeros);
//! * 64 hex digits: the full SHA-256 of the modulus.

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use crate::fingerprint::HashAlg;
use crate::key::{KeyData, PublicKey};

/// A set of compromised keys.
///
/// ```
/// use keyvet::weak::Blocklist;
/// let bl = Blocklist::parse("# list\nSHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU\n").unwrap();
/// assert_eq!(bl.len(), 1);
/// assert!(Blocklist::parse("not an entry").is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Blocklist {
    fingerprints: HashSet<[u8; 32]>,
    modulus_prefixes: HashSet<[u8; 15]>,
}

/// A line of a blocklist that is not an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("blocklist line {line}: expected SHA256:<base64> or 30 or 64 hex digits")]
pub struct BlocklistError {
    /// 1-based line.
    pub line: usize,
}

fn hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

impl Blocklist {
    /// Parses a blocklist.
    ///
    /// # Errors
    /// The first line that is not an entry.
    pub fn parse(text: &str) -> Result<Blocklist, BlocklistError> {
        use base64::Engine;
        let mut bl = Blocklist::default();
        for (i, raw) in text.lines().enumerate() {
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let err = BlocklistError { line: i + 1 };
            if let Some(b64) = l.strip_prefix("SHA256:") {
                let d = base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(b64.trim_end_matches('='))
                    .map_err(|_| err.clone())?;
                bl.fingerprints
                    .insert(<[u8; 32]>::try_from(d.as_slice()).map_err(|_| err)?);
            } else {
                let h = hex(l).ok_or(err.clone())?;
                match h.len() {
                    15 | 32 => {
                        let mut p = [0u8; 15];
                        p.copy_from_slice(&h[..15]);
                        bl.modulus_prefixes.insert(p);
                    }
                    _ => return Err(err),
                }
            }
        }
        Ok(bl)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.fingerprints.len() + self.modulus_prefixes.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `key` is listed, by fingerprint or by RSA modulus.
    pub fn contains(&self, key: &PublicKey<'_>) -> bool {
        if self.fingerprints.is_empty() {
            return self.contains_fingerprint(key, &[]);
        }
        self.contains_fingerprint(key, key.fingerprint(HashAlg::Sha256).as_bytes())
    }

    /// [`Blocklist::contains`] with the key's SHA-256 fingerprint digest
    /// already computed (`sha256`, 32 bytes).
    pub(crate) fn contains_fingerprint(&self, key: &PublicKey<'_>, sha256: &[u8]) -> bool {
        if <[u8; 32]>::try_from(sha256).is_ok_and(|d| self.fingerprints.contains(&d)) {
            return true;
        }
        if let KeyData::Rsa(r) = key.data()
            && !self.modulus_prefixes.is_empty()
        {
            let d = Sha256::digest(r.n.magnitude());
            let mut p = [0u8; 15];
            p.copy_from_slice(&d[..15]);
            return self.modulus_prefixes.contains(&p);
        }
        false
    }
}
