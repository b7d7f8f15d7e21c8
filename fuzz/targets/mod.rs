//! The fuzz targets' bodies, one module each: `run` takes one input and
//! panics on a failure. fuzz_targets/ wraps each for libFuzzer
//! (`cargo +nightly fuzz run NAME`, `bash .ci/fuzz-smoke`); the main test
//! suite runs them all over seeds made from corpus/ and their mutations
//! (tests/fuzz_targets.rs), so that they build and hold with every change.

pub mod blob;
pub mod cert;
mod common;
pub mod convert;
pub mod differential;
pub mod file;
pub mod known_hosts;
pub mod line;
pub mod listing_line;
pub mod options;
pub mod parallel;
pub mod roundtrip;
pub mod structured;
