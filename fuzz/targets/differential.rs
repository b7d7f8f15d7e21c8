//! keyvet against the `ssh-key` crate: where both accept a plain public key
//! (keyvet under the openssh policy), they must name the same algorithm and
//! give the same SHA-256 fingerprint. The input is tried as a key blob and,
//! when it is UTF-8, as a public key line (`type base64 comment`; ssh-key
//! reads no authorized_keys options, so keyvet reads it with
//! `check_key_line`).
//!
//! Known deviations, not compared: ssh-key refuses what it does not know
//! (options, aliases, short names in blobs, some key types without its
//! crypto features) and accepts some keys OpenSSH refuses; only keys both
//! accept are compared, and certificates are left out. ssh-key fingerprints
//! a key as its blob encodes it, while keyvet (like ssh-keygen) hashes the
//! canonical re-encoding: they differ on the non-canonical encodings
//! OpenSSH tolerates (a trailing NUL in an sk application or curve name,
//! found by this target at once), so only canonical blobs are compared.

use keyvet::{Checker, HashAlg, Key, policy};

fn compare(k: &Key<'_>, s: &ssh_key::PublicKey, what: &str) {
    let Key::Plain(p) = k else { return };
    if !p.type_name_is_canonical() || !p.key().is_canonical() {
        return;
    }
    assert_eq!(
        k.algorithm().name(),
        s.algorithm().as_str(),
        "{what}: algorithms differ"
    );
    assert_eq!(
        k.public_key().fingerprint(HashAlg::Sha256).to_string(),
        s.fingerprint(ssh_key::HashAlg::Sha256).to_string(),
        "{what}: SHA-256 fingerprints differ for {}",
        k.algorithm()
    );
}

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    let v = Checker::new(policy::OPENSSH);
    if let (Ok(k), Ok(s)) = (v.check_blob(data), ssh_key::PublicKey::from_bytes(data)) {
        compare(&k, &s, "blob");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let mut v = Checker::new(policy::OPENSSH);
        if let (Ok(c), Ok(s)) = (v.check_key_line(data), ssh_key::PublicKey::from_openssh(text)) {
            compare(c.key(), &s, "line");
        }
    }
}
