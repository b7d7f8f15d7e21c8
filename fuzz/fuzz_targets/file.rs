//! A whole input, as `keyvet check` and `keyvet fingerprint` read it.
#![no_main]
use keyvet::stream::{self, Source};
use keyvet::{Validator, policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut v = Validator::new(policy::STRICT);
    let _ = stream::check(data, &mut v, |_| Ok(()));
    let mut v = Validator::new(policy::OPENSSH);
    let _ = stream::keygen(data, Source::File("fuzz-input"), &mut v, |_| Ok(()));
});
