//! A decoded key or certificate blob: parse, policy checks, signatures.
#![no_main]
use keyvet::{HashAlg, Key, Checker, policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(k) = Key::parse(data) {
        let _ = k.public_key().fingerprint(HashAlg::Sha256);
    }
    let _ = Checker::new(policy::OPENSSH).check_blob(data);
    let _ = Checker::new(policy::STRICT).check_blob(data);
});
