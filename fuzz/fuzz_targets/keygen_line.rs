//! One line read the way `ssh-keygen -l` reads it.
#![no_main]
use keyvet::{HashAlg, Validator, policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Validator::new(policy::OPENSSH).check_keygen_line(data) {
        let _ = c.keygen_line(HashAlg::Md5).to_string();
    }
});
