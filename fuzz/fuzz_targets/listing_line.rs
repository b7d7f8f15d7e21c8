//! One line read the way `ssh-keygen -l` reads it.
#![no_main]
use keyvet::{HashAlg, Checker, policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Checker::new(policy::OPENSSH).check_listing_line(data) {
        let _ = c.listing_line(HashAlg::Md5).to_string();
    }
});
