//! The built-in list of published keys: keys whose private halves are
//! public, so that nobody may log in with them. RFC and standards examples
//! (RFC 6979, 7517, 8032, 8410, 9500), the insecure default keys of tools and images
//! (Vagrant, phusion/baseimage-docker, appliance and firmware keys
//! collected by rapid7/ssh-badkeys) and the test keys of SSH projects'
//! suites (OpenSSH, libssh, libssh2, paramiko, Twisted, Go, RustCrypto and
//! others). `published.txt` is made by `corpus/published/make_list.py`
//! from the keys in `corpus/published/keys/`, each with its source in
//! `corpus/published/SOURCES.tsv`.
//!
//! Strict screening checks it ([`Check::Published`](crate::weak::Check),
//! `weak.published`); turn it off with `--no-builtin-blocklist` or by
//! removing the check from the policy's screening. A list of one's own is
//! [`Blocklist::parse`] and [`crate::Checker::with_blocklist`].

use std::sync::OnceLock;

use super::Blocklist;

/// The list, as shipped: `SHA256:` fingerprints, each after a `#` line
/// naming its source.
pub const TEXT: &str = include_str!("published.txt");

/// The built-in list of published keys, parsed once.
///
/// ```
/// use keyvet::{Checker, policy};
/// let published = keyvet::weak::published();
/// assert!(published.len() > 250);
/// // Vagrant's insecure key is on it.
/// let line = std::fs::read("corpus/published/keys/vagrant--insecure-rsa.pub").unwrap();
/// let mut v = Checker::new(policy::OPENSSH);
/// let c = v.check_line(&line).unwrap();
/// assert!(published.contains(c.key().public_key()));
/// ```
pub fn published() -> &'static Blocklist {
    static LIST: OnceLock<Blocklist> = OnceLock::new();
    // The file is checked by the tests; a broken line would make the list
    // empty there, not here.
    LIST.get_or_init(|| Blocklist::parse(TEXT).unwrap_or_default())
}
