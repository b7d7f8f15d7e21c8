//! Every upload format: RFC 4716, PEM public and private keys, OpenSSH
//! private keys, PuTTY files.
#![no_main]
use keyvet::{Checker, convert, policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = convert::to_openssh(data) {
        let line = c.line();
        let _ = Checker::new(policy::STRICT).check_line(&line);
    }
});
