//! A whole input, as `keyvet check` and `keyvet fingerprint` read it.
use keyvet::stream::{self, Source};
use keyvet::{Checker, policy};

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    let mut v = Checker::new(policy::STRICT);
    let _ = stream::check(data, &mut v, |_| Ok(()));
    let mut v = Checker::new(policy::OPENSSH);
    let _ = stream::listing(data, Source::File("fuzz-input"), &mut v, |_| Ok(()));
}
