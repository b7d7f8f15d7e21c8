//! Tencent Cloud CVM key pairs: `ImportKeyPair` of API 3.0 (2017-03-12) and
//! of the legacy v2 API, and the v2 `CreateKeyPair`.
//!
//! From the API documentation:
//! * `KeyName`: letters, digits and underscores, at most 25 characters
//!   (empty: `InvalidKeyPairNameEmpty`; too long: `InvalidKeyPairNameTooLong`;
//!   other characters: `InvalidKeyPairNameIncludeIllegalChar`).
//! * `ProjectId`: an integer, 0 for the default project
//!   (`InvalidProjectId.NotFound`); the documented JSON example sends `"0"`.
//! * `PublicKey`: "OpenSSH RSA" format, so [`IMPORT`] accepts `ssh-rsa` keys
//!   only (`InvalidPublicKey.Malformed` otherwise); widen
//!   `policy.algorithms` if your deployment takes more.
//! * `TagSpecification.N`: `{"ResourceType": "keypair", "Tags": [{"Key",
//!   "Value"}]}`; more than 50 tags is `LimitExceeded.TagResourceQuota` (the
//!   tag service's per-resource limit; the page does not state it).
//! * Returns `KeyId` (`skey-` and 8 lowercase letters or digits) and
//!   `RequestId`; errors come back with HTTP 200 and an `Error` object.
//! * The page states no key-pair quota or RSA floor: [`IMPORT`] uses 500 key
//!   pairs and OpenSSH's 1024 bits (the documented `CreateKeyPair` example
//!   is a 1024-bit key).
//!
//! The v2 API answers `{"code": 0, "message": "", "codeDesc": "Success",
//! ...}`; on error `code` is non-zero and `codeDesc` holds the error code.
//! keyvet uses the v2 common codes: 4000 (invalid request parameter) for
//! every client error, 4400 (quota exceeded) for the key-pair limit and 6000
//! (internal error).

use std::borrow::Cow;

use serde_json::Value;

use super::{Api, NameCharset, NameRules, Profile, Rejection, Tag, TagRules, set_of};
use crate::policy::{self, Policy};
use crate::{Algorithm, KeyType};

const NAME: NameRules = NameRules {
    min_chars: 1,
    max_chars: 25,
    charset: NameCharset::AlnumUnderscore,
    start_with_letter: false,
    forbidden_prefixes: &[],
};

const TAGS: TagRules = TagRules {
    max_tags: 50,
    key_max_chars: 127,
    value_max_chars: 255,
    key_forbidden_prefixes: &[],
    value_forbidden_prefixes: &[],
    forbid_urls: false,
};

const POLICY: Policy = Policy {
    name: "tencent-cvm",
    algorithms: set_of(&[Algorithm::plain(KeyType::Rsa)]),
    min_rsa_bits: 1024,
    ..policy::STRICT
};

/// `ImportKeyPair`, API 3.0 (2017-03-12).
pub const IMPORT: Profile = Profile {
    id: "tencent-cvm",
    api: Api::TencentCvm,
    key_name: NAME,
    tags: TAGS,
    policy: POLICY,
    documented_types: &["OpenSSH RSA"],
    quota: 500,
    unique_keys: true,
};

/// `ImportKeyPair`, legacy v2 API (`keyName`, `pubKey`).
pub const IMPORT_V2: Profile = Profile {
    id: "tencent-cvm-v2",
    api: Api::TencentCvmV2,
    ..IMPORT
};

/// Reads `TagSpecification`: an array of `{"ResourceType": "keypair",
/// "Tags": [{"Key": ..., "Value": ...}]}`.
pub(crate) fn tags_from_spec(spec: &Value) -> Result<Vec<Tag>, Rejection> {
    let bad = Rejection::InvalidParameter {
        parameter: "TagSpecification",
        reason: "expected [{\"ResourceType\": \"keypair\", \"Tags\": [{\"Key\": ..., \"Value\": ...}]}]",
    };
    let specs = spec.as_array().ok_or(bad.clone())?;
    let mut tags = Vec::new();
    for s in specs {
        let rt = s.get("ResourceType").and_then(Value::as_str);
        if rt != Some("keypair") {
            return Err(bad);
        }
        for t in s.get("Tags").and_then(Value::as_array).ok_or(bad.clone())? {
            let field = |k: &str| match t.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(v)) => Ok(Some(v.clone())),
                Some(_) => Err(bad.clone()),
            };
            tags.push(Tag {
                index: tags.len() + 1,
                key: field("Key")?,
                value: field("Value")?,
            });
        }
    }
    Ok(tags)
}

/// Code, HTTP status and documented message.
pub(crate) fn error_of(r: &Rejection) -> (&'static str, u16, Cow<'static, str>) {
    let (code, msg) = match r {
        Rejection::MissingParameter(_) => (
            "MissingParameter",
            "Parameter is missing. A required parameter is missing in the request.",
        ),
        Rejection::InvalidParameter { .. }
        | Rejection::TagKey { .. }
        | Rejection::TagValue { .. }
        | Rejection::ResourceGroupNotFound => (
            "InvalidParameterValue",
            "Invalid parameter value. The parameter value is in an incorrect format or is not supported.",
        ),
        Rejection::NameEmpty => ("InvalidKeyPairNameEmpty", "Key name is empty."),
        Rejection::NameTooLong => ("InvalidKeyPairNameTooLong", "Key name length exceeded 25 characters"),
        Rejection::NameIllegalChar | Rejection::NameMalformed(_) => (
            "InvalidKeyPairNameIncludeIllegalChar",
            "Key name contains invalid characters. Key name can only contain letters, numbers and underscores.",
        ),
        Rejection::TooManyTags => (
            "LimitExceeded.TagResourceQuota",
            "Exceeded the upper limit of resources bound to the tag.",
        ),
        Rejection::Key(_) => (
            "InvalidPublicKey.Malformed",
            "Invalid public key. The specified public key is in an incorrect format and does not conform to the OpenSSH RSA format.",
        ),
        Rejection::ProjectNotFound(_) => (
            "InvalidProjectId.NotFound",
            "Invalid project ID: the specified project ID does not exist.",
        ),
        Rejection::NameDuplicate => ("InvalidKeyPairName.Duplicate", "Duplicate key pair name."),
        Rejection::KeyDuplicate => (
            "InvalidPublicKey.Duplicate",
            "Invalid public key. The specified public key already exists.",
        ),
        Rejection::Quota => ("InvalidKeyPair.LimitExceeded", "Number of key pairs exceeds the limit."),
        Rejection::Internal => ("InternalServerError", "Internal error."),
        Rejection::Common { code, http_status } => return (code, *http_status, Cow::Borrowed(code)),
    };
    (code, 200, Cow::Borrowed(msg))
}

/// The v2 API's numeric `code` for an error code string.
pub(crate) fn v2_code(code: &str) -> u32 {
    match code {
        "InternalServerError" => 6000,
        "InvalidKeyPair.LimitExceeded" => 4400,
        _ => 4000,
    }
}
