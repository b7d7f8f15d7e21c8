//! Every upload format: RFC 4716, PEM public and private keys, OpenSSH
//! private keys, PuTTY files.
use keyvet::{Checker, convert, policy};

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    if let Ok(c) = convert::to_openssh(data) {
        let line = c.line();
        let _ = Checker::new(policy::STRICT).check_line(&line);
    }
}
