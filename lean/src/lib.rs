//! Nothing but tests: see `tests/lean.rs`.
