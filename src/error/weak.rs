//! Weak keys (`weak.*`): well-formed keys known to be breakable.

use crate::screening::Check;

/// A well-formed key that is known to be breakable; its code is the id of
/// the check that found it (`weak.rsa.roca`, ...).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{} ({})", .check.message(), .check.reference())]
pub struct WeakError {
    /// The check that found it.
    pub check: Check,
    /// A number backing the finding (the small factor, ...).
    pub detail: Option<u64>,
}

impl WeakError {
    /// The finding of `check`, with its number when there is one.
    pub const fn new(check: Check, detail: Option<u64>) -> WeakError {
        WeakError { check, detail }
    }

    /// The stable machine code: the check's id.
    pub const fn code(&self) -> &'static str {
        self.check.id()
    }
}
