//! One line read the way `ssh-keygen -l` reads it.
use keyvet::{Checker, HashAlg, policy};

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    if let Ok(c) = Checker::new(policy::OPENSSH).check_listing_line(data) {
        let _ = c.listing_line(HashAlg::Md5).to_string();
    }
}
