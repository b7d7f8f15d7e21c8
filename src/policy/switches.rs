//! The command line's adjustments of a preset (`--enable`, `--disable`,
//! `--no-builtin-blocklist`, `--min-rsa-bits`, `--allow`, `--deny`), in one
//! place for every front end: the CLI, and the bindings that promise its
//! verdicts.

use std::fmt;

use crate::algorithm::Algorithm;
use crate::screening::{Check, CheckSet};

use super::Policy;

/// Adjustments of a preset, by name, as a user gives them.
///
/// ```
/// use keyvet::policy::{self, Switches};
/// let s = Switches {
///     enable: vec!["weak.rsa.prime".into()],
///     deny: vec!["ssh-rsa".into()],
///     min_rsa_bits: Some(3072),
///     ..Switches::default()
/// };
/// let p = s.apply(policy::STRICT).unwrap();
/// assert_eq!(p.min_rsa_bits, 3072);
/// assert!(p.screening.checks.contains(keyvet::weak::Check::RsaPrime));
/// assert!(!p.algorithms.contains(keyvet::Algorithm::from_name("ssh-rsa").unwrap()));
///
/// let bad = Switches { enable: vec!["weak.nope".into()], ..Switches::default() };
/// assert!(bad.apply(policy::STRICT).unwrap_err().to_string().starts_with("unknown check \"weak.nope\""));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Switches {
    /// Weak-key checks to turn on, by id (`weak.rsa.roca`) or `all`. Turning
    /// any on also gives Fermat's method its 100 steps if the preset had none.
    pub enable: Vec<String>,
    /// Weak-key checks to turn off, by id or `all` (after `enable`).
    pub disable: Vec<String>,
    /// Do not check keys against the built-in list of published keys.
    pub no_builtin_blocklist: bool,
    /// The smallest RSA modulus accepted, in bits.
    pub min_rsa_bits: Option<u32>,
    /// Algorithms to accept that the preset refuses (as keys and as CAs).
    pub allow: Vec<String>,
    /// Algorithms to refuse.
    pub deny: Vec<String>,
}

/// A switch naming something keyvet does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwitchError {
    /// Not the id of a check, nor `all`.
    UnknownCheck(String),
    /// Not the name of an algorithm.
    UnknownAlgorithm(String),
}

impl fmt::Display for SwitchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SwitchError::UnknownCheck(id) => write!(
                f,
                "unknown check {id:?}; the checks are: {}",
                Check::ALL.map(Check::id).join(", ")
            ),
            SwitchError::UnknownAlgorithm(name) => write!(f, "unknown algorithm {name:?}"),
        }
    }
}

impl std::error::Error for SwitchError {}

impl Switches {
    /// The preset with these switches applied, in the command line's order:
    /// enable, disable, the built-in list, the RSA floor, allow, deny.
    pub fn apply(&self, preset: Policy) -> Result<Policy, SwitchError> {
        let mut p = preset;
        let checks = |id: &str| -> Result<CheckSet, SwitchError> {
            if id == "all" {
                return Ok(CheckSet::ALL);
            }
            Check::from_id(id)
                .map(|c| CheckSet::NONE.with(c))
                .ok_or_else(|| SwitchError::UnknownCheck(id.to_owned()))
        };
        for id in &self.enable {
            for c in checks(id)?.iter() {
                p.screening.checks = p.screening.checks.with(c);
            }
            if p.screening.fermat_steps == 0 {
                p.screening.fermat_steps = 100;
            }
        }
        for id in &self.disable {
            for c in checks(id)?.iter() {
                p.screening.checks = p.screening.checks.without(c);
            }
        }
        if self.no_builtin_blocklist {
            p.screening.checks = p.screening.checks.without(Check::Published);
        }
        if let Some(b) = self.min_rsa_bits {
            p.min_rsa_bits = b;
        }
        let alg = |name: &str| Algorithm::from_name(name).ok_or_else(|| SwitchError::UnknownAlgorithm(name.to_owned()));
        for a in &self.allow {
            let a = alg(a)?;
            p.algorithms = p.algorithms.with(a);
            p.ca_algorithms = p.ca_algorithms.with(Algorithm::plain(a.key_type()));
        }
        for a in &self.deny {
            p.algorithms = p.algorithms.without(alg(a)?);
        }
        Ok(p)
    }
}
