//! What a policy refuses in a key that is otherwise well formed
//! (`policy.*`).

use crate::algorithm::{Algorithm, CertVersion, KeyType};

fn algorithm_advice(a: Algorithm) -> &'static str {
    match (a.key_type(), a.cert_version()) {
        (_, Some(CertVersion::V00)) => " (v00 certificates were removed from OpenSSH in 7.x; re-issue as v01)",
        (KeyType::Dsa, _) => {
            " (DSA is limited to 1024-bit keys and disabled in OpenSSH since 7.0; generate an Ed25519 key)"
        }
        _ => "",
    }
}

/// Why a policy refuses a well-formed key.
///
/// Each variant has a stable machine code, see [`PolicyError::code`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The algorithm is not allowed by the policy.
    #[error("{alg} keys are not accepted by this policy{advice}", alg = .0, advice = algorithm_advice(*.0))]
    AlgorithmNotAllowed(Algorithm),
    /// The policy asks for a check this build of keyvet was compiled
    /// without (a cargo feature of the `keyvet` crate).
    #[error(
        "this build of keyvet cannot {what}, which the policy requires: it was compiled without the `{feature}` feature"
    )]
    FeatureMissing {
        /// The cargo feature.
        feature: &'static str,
        /// What it would do.
        what: &'static str,
    },
}

impl PolicyError {
    /// The stable machine code. Codes never change meaning once published.
    pub const fn code(&self) -> &'static str {
        match self {
            PolicyError::AlgorithmNotAllowed(_) => "policy.algorithm",
            PolicyError::FeatureMissing { .. } => "policy.feature_missing",
        }
    }
}
