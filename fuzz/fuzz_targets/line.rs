//! One authorized_keys line through the validator, both policies.
#![no_main]
use keyvet::{HashAlg, Checker, policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for p in [policy::OPENSSH, policy::STRICT] {
        if let Ok(c) = Checker::new(p).check_line(data) {
            let _ = (c.fingerprint(HashAlg::Sha256), c.fingerprint(HashAlg::Md5), c.bits());
        }
    }
});
