//! A decoded key or certificate blob: parse, policy checks, signatures.
use keyvet::{Checker, HashAlg, Key, policy};

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    if let Ok(k) = Key::parse(data) {
        let _ = k.public_key().fingerprint(HashAlg::Sha256);
    }
    let _ = Checker::new(policy::OPENSSH).check_blob(data);
    let _ = Checker::new(policy::STRICT).check_blob(data);
}
