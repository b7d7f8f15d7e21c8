//! One authorized_keys line through the validator, both policies.
use keyvet::{Checker, HashAlg, policy};

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    for p in [policy::OPENSSH, policy::STRICT] {
        if let Ok(c) = Checker::new(p).check_line(data) {
            let _ = (c.fingerprint(HashAlg::Sha256), c.fingerprint(HashAlg::Md5), c.bits());
        }
    }
}
