//! libFuzzer's entry to the `options` target; its body, and what it checks,
//! are in targets/options.rs (which the main test suite also runs).
#![no_main]

#[allow(dead_code)]
#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::options::run(data));
