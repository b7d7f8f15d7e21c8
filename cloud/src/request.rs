//! An import request, read from the API's own parameters.

use serde_json::Value;

use crate::Rejection;

/// One resource tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Its index (`Tag.N`) for APIs that number tags, else its position.
    pub index: usize,
    /// The key (`None` when only a value was given).
    pub key: Option<String>,
    /// The value.
    pub value: Option<String>,
}

/// An import request with the fields every API shares;
/// [`Provider::request_from_json`](crate::Provider::request_from_json)
/// reads one from the API's own parameter names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportRequest {
    /// `KeyName` / `keyName` / `KeyPairName`.
    pub name: Option<String>,
    /// `PublicKey` / `pubKey` / `PublicKeyBody`.
    pub public_key: Option<String>,
    /// Tencent 3.0 `ProjectId` (an integer; the documented example sends
    /// the string `"0"`, which is accepted too).
    pub project_id: Option<Value>,
    /// Alibaba `RegionId`.
    pub region: Option<String>,
    /// Alibaba `ResourceGroupId`.
    pub resource_group: Option<String>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// A parameter the request holds in a form the API refuses.
    pub malformed: Option<Rejection>,
}

/// A parameter as text: strings as they are, numbers and booleans as JSON
/// writes them.
pub(crate) fn string_param(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
