//! Why an API refuses a request, in keyvet's terms, before a provider names
//! it in its own.

use std::fmt;

/// Why an API refuses a request, independent of the provider; a
/// [`Provider`](crate::Provider) maps it to the provider's code, HTTP status
/// and message.
///
/// ```
/// use keyvet_cloud::Rejection;
/// assert_eq!(Rejection::MissingParameter("KeyName").to_string(), "missing parameter KeyName");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Rejection {
    /// A required parameter is absent.
    MissingParameter(&'static str),
    /// A parameter has the wrong type or form.
    InvalidParameter {
        /// The parameter.
        parameter: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The name is empty.
    NameEmpty,
    /// The name is too long.
    NameTooLong,
    /// The name has a character the API does not allow.
    NameIllegalChar,
    /// The name breaks another rule (length, first character, prefix).
    NameMalformed(&'static str),
    /// A tag key is invalid.
    TagKey {
        /// The tag's index.
        index: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A tag value is invalid.
    TagValue {
        /// The tag's index.
        index: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// More tags than allowed, or a tag index out of range.
    TooManyTags,
    /// The public key is refused: the keyvet error says why (a key type the
    /// API does not list is `policy.algorithm`).
    Key(keyvet::Error),
    /// The project does not exist.
    ProjectNotFound(i64),
    /// The resource group does not exist.
    ResourceGroupNotFound,
    /// The region is not one: longer than 64 characters, or with a
    /// character other than lowercase letters, digits and `-`.
    RegionNotFound,
    /// The name is taken.
    NameDuplicate,
    /// The same key is already stored.
    KeyDuplicate,
    /// The quota of key pairs is reached.
    Quota,
    /// The store failed.
    Internal,
    /// No key pair has this ID in the scope.
    KeyPairNotFound(String),
    /// An error the API's own reading of its parameters found, in its
    /// documented code, HTTP status and message (paging and filter
    /// parameters of describe and delete calls).
    Api {
        /// The provider's code.
        code: &'static str,
        /// The HTTP status.
        http_status: u16,
        /// The documented message.
        message: &'static str,
    },
    /// An error of the API's common codes that no keyvet rejection names
    /// (an unknown action, a rate limit, an oversized request): passed
    /// through as given. See [`Provider::common_error`](crate::Provider::common_error).
    Common {
        /// The provider's code, such as `RequestLimitExceeded`.
        code: &'static str,
        /// The HTTP status.
        http_status: u16,
    },
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::MissingParameter(p) => write!(f, "missing parameter {p}"),
            Rejection::InvalidParameter { parameter, reason } => write!(f, "invalid parameter {parameter}: {reason}"),
            Rejection::NameEmpty => f.write_str("the key pair name is empty"),
            Rejection::NameTooLong => f.write_str("the key pair name is too long"),
            Rejection::NameIllegalChar => f.write_str("the key pair name holds a character the API does not allow"),
            Rejection::NameMalformed(why) => write!(f, "the key pair name is malformed: {why}"),
            Rejection::TagKey { index, reason } => write!(f, "tag {index}: invalid key ({reason})"),
            Rejection::TagValue { index, reason } => write!(f, "tag {index}: invalid value ({reason})"),
            Rejection::TooManyTags => f.write_str("too many tags, or a tag index out of range"),
            Rejection::Key(e) => write!(f, "the public key is refused: {e} [{}]", e.code()),
            Rejection::ProjectNotFound(id) => write!(f, "project {id} does not exist"),
            Rejection::ResourceGroupNotFound => f.write_str("the resource group does not exist"),
            Rejection::RegionNotFound => {
                f.write_str("the region does not exist (at most 64 lowercase letters, digits and '-')")
            }
            Rejection::NameDuplicate => f.write_str("a key pair of this name exists"),
            Rejection::KeyDuplicate => f.write_str("this public key is already stored"),
            Rejection::Quota => f.write_str("the key pair quota is reached"),
            Rejection::Internal => f.write_str("the store failed"),
            Rejection::KeyPairNotFound(id) => write!(f, "no key pair has the ID {id}"),
            Rejection::Api { code, message, .. } => write!(f, "{message} [{code}]"),
            Rejection::Common { code, http_status } => write!(f, "{code} (HTTP {http_status})"),
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Rejection::Key(e) => Some(e),
            _ => None,
        }
    }
}
