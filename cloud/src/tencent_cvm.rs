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
//!
//! API 3.0 `DescribeKeyPairs` and `DeleteKeyPairs` (docs/research has the
//! sources) are served as documented, with these choices where the pages
//! are silent: `key-name` matches exactly; the Chinese page's `tag-key`,
//! `tag-value` and `tag:KEY` filters are served; at most 100 `KeyIds`, 10
//! filters and 100 values a filter (`InvalidParameterValue.LimitExceeded`,
//! `InvalidFilterValue.LimitExceeded`); `KeyIds` with `Filters`, or a
//! parameter of the wrong JSON type, is `InvalidParameter`; a bad `Limit`
//! (1 to 100) `InvalidParameterValueLimit`, a bad `Offset`
//! `InvalidParameterValueOffset`; key pairs are listed in the order
//! imported, `Description` empty, `AssociatedInstanceIds` empty (keyvet
//! has no instances, so no key is ever bound and
//! `InvalidParameterValue.KeyPairNotSupported` never arises). A delete is
//! all or nothing: one unknown ID is `InvalidKeyPairId.NotFound` and
//! deletes nothing; repeated IDs count once.
//!
//! The legacy v2 `DescribeKeyPairs` and `DeleteKeyPair` (singular) are
//! served too, following the pages' examples where their tables disagree
//! with them: `keyIds.n` (at most 100, as API 3.0), `keyName` (exact),
//! `projectId`, `offset` and `limit` (1 to 100, 20 by default) list
//! `data.totalCount` and `data.sshSet` (`keyId`, `keyName`, `pubkey`,
//! `status` 0, empty `bindIps` and `bindUnInstanceIds`, `createTime` as
//! `YYYY-MM-DD hh:mm:ss` in Beijing time, UTC+8: the page gives no zone).
//! An empty `keyName` is no filter; API 3.0's `KeyIds.N`, `Filters.N`,
//! `Offset` and `Limit` (which the 2019 "hybrid" pages send to the v2
//! host) are refused (`InvalidParameterValue`) rather than ignored.
//! A v2 delete takes each key on its own, as its page says: the known ones
//! are deleted, and `detail.deleteKeySet` says for each key ID `code` 0
//! (deleted) or 5000 (no such key pair); the call's `code` is 0 when all
//! were deleted, 5000 when none was, and 5400 (the common code for a batch
//! that partly succeeded) otherwise. Its errors are 4000 with the API 3.0
//! code in `codeDesc` (a malformed or missing `keyIds.n`, more than 100).

use std::borrow::Cow;

use keyvet::policy::{self, Policy};
use keyvet::{Algorithm, AlgorithmSet, KeyType};
use serde_json::{Map, Value, json};

use crate::{
    Api, Created, DeleteRequest, Deleted, Imported, ListPage, ListRequest, NameCharset, NamePattern, NameRules, Params,
    Provider, ProviderError, Rejection, Tag, TagRules,
};

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
    algorithms: AlgorithmSet::EMPTY.with(Algorithm::plain(KeyType::Rsa)),
    min_rsa_bits: 1024,
    ..policy::STRICT
};

/// `ImportKeyPair`, API 3.0 (2017-03-12).
pub const IMPORT: Provider = Provider {
    id: "tencent-cvm",
    scope: "tencent-cvm",
    params: Params {
        name: "KeyName",
        public_key: "PublicKey",
        project: Some("ProjectId"),
        region: None,
        resource_group: None,
    },
    key_name: NAME,
    tags: TAGS,
    policy: POLICY,
    documented_types: &["OpenSSH RSA"],
    quota: 500,
    unique_keys: true,
    api: &Api3,
};

/// `ImportKeyPair` and `CreateKeyPair`, legacy v2 API (`keyName`,
/// `pubKey`); one account with API 3.0, so one store scope.
pub const IMPORT_V2: Provider = Provider {
    id: "tencent-cvm-v2",
    params: Params {
        name: "keyName",
        public_key: "pubKey",
        project: None,
        region: None,
        resource_group: None,
    },
    api: &ApiV2,
    ..IMPORT
};

/// API 3.0: JSON in `{"Response": ...}`, errors with HTTP 200.
#[derive(Debug)]
struct Api3;

impl Api for Api3 {
    fn read_tags(&self, params: &Map<String, Value>) -> Result<Vec<Tag>, Rejection> {
        params.get("TagSpecification").map_or(Ok(Vec::new()), tags_from_spec)
    }

    fn write_tags(&self, tags: &[(String, String)], params: &mut Map<String, Value>) -> Result<(), Rejection> {
        let tags: Vec<Value> = tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
        params.insert(
            "TagSpecification".into(),
            json!([{"ResourceType": "keypair", "Tags": tags}]),
        );
        Ok(())
    }

    fn error(&self, r: &Rejection) -> (&'static str, u16, Cow<'static, str>) {
        error_of(r)
    }

    fn oversized_request(&self) -> (&'static str, u16) {
        ("RequestSizeLimitExceeded", 200)
    }

    fn import_body(&self, ok: &Imported) -> Value {
        json!({"Response": {"KeyId": ok.key_id, "RequestId": ok.request_id}})
    }

    fn error_body(&self, e: &ProviderError) -> Value {
        json!({"Response": {
            "Error": {"Code": e.code, "Message": e.message},
            "RequestId": e.request_id,
        }})
    }

    fn read_list(&self, params: &Map<String, Value>) -> Option<Result<ListRequest, Rejection>> {
        Some(describe_request(params))
    }

    fn list_body(&self, page: &ListPage) -> Value {
        let set: Vec<Value> = page
            .items
            .iter()
            .map(|k| {
                let tags: Vec<Value> = k.tags.iter().map(|(key, v)| json!({"Key": key, "Value": v})).collect();
                json!({
                    "KeyId": k.key_id,
                    "KeyName": k.name,
                    "ProjectId": k.project_id,
                    "Description": "",
                    "PublicKey": k.public_key,
                    "AssociatedInstanceIds": [],
                    "CreatedTime": crate::utc_timestamp(k.created_at),
                    "Tags": tags,
                })
            })
            .collect();
        json!({"Response": {"TotalCount": page.total, "KeyPairSet": set, "RequestId": page.request_id}})
    }

    fn read_delete(&self, params: &Map<String, Value>) -> Option<Result<DeleteRequest, Rejection>> {
        Some(delete_request(params))
    }

    fn delete_body(&self, deleted: &Deleted) -> Value {
        json!({"Response": {"RequestId": deleted.request_id}})
    }
}

/// Most key IDs in one call (DeleteKeyPairs documents 100; keyvet applies
/// it to DescribeKeyPairs too), most filters, and most values of a filter
/// (undocumented for CVM: keyvet's bounds).
const MAX_KEY_IDS: usize = 100;
const MAX_FILTERS: usize = 10;
const MAX_FILTER_VALUES: usize = 100;

/// An API 3.0 error of a describe or delete call: its code and documented
/// message (HTTP 200, as every API 3.0 answer).
fn api_error(code: &'static str, message: &'static str) -> Rejection {
    Rejection::Api {
        code,
        http_status: 200,
        message,
    }
}

fn invalid_parameter() -> Rejection {
    api_error("InvalidParameter", "A parameter error occurred.")
}

/// A JSON array of strings (`KeyIds`, a filter's `Values`).
fn strings(v: &Value) -> Result<Vec<String>, Rejection> {
    let Value::Array(items) = v else {
        return Err(invalid_parameter());
    };
    items
        .iter()
        .map(|x| x.as_str().map(String::from).ok_or_else(invalid_parameter))
        .collect()
}

/// `skey-` and 8 lowercase letters or digits.
fn key_ids(v: &Value) -> Result<Vec<String>, Rejection> {
    checked_key_ids(strings(v)?)
}

/// At most [`MAX_KEY_IDS`], each well formed; repeated ones once.
fn checked_key_ids(mut ids: Vec<String>) -> Result<Vec<String>, Rejection> {
    if ids.len() > MAX_KEY_IDS {
        return Err(api_error(
            "InvalidParameterValue.LimitExceeded",
            "The number of parameter values exceeds the limit.",
        ));
    }
    let well_formed = |id: &String| {
        id.strip_prefix("skey-")
            .is_some_and(|r| r.len() == 8 && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    };
    if !ids.iter().all(well_formed) {
        return Err(api_error(
            "InvalidKeyPairId.Malformed",
            "Invalid key pair ID. The specified key pair ID has an invalid format. For example, `skey-1122` has an invalid `ID` length.",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    Ok(ids)
}

/// A non-negative integer, as a JSON number or a string of digits.
fn integer(v: &Value) -> Option<usize> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(s) if !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    }
}

/// `DescribeKeyPairs`: `KeyIds` or `Filters` (not both), `Offset`, `Limit`.
fn describe_request(p: &Map<String, Value>) -> Result<ListRequest, Rejection> {
    let mut req = ListRequest {
        limit: 20,
        include_public_key: true,
        ..ListRequest::default()
    };
    if let Some(v) = p.get("KeyIds") {
        req.key_ids = key_ids(v)?;
    }
    if let Some(filters) = p.get("Filters") {
        let Value::Array(filters) = filters else {
            return Err(invalid_parameter());
        };
        if p.contains_key("KeyIds") && !filters.is_empty() {
            return Err(invalid_parameter());
        }
        if filters.len() > MAX_FILTERS {
            return Err(api_error(
                "InvalidFilterValue.LimitExceeded",
                "The value of `Filter` exceeds the limit.",
            ));
        }
        for f in filters {
            let (Some(name), Some(values)) = (f.get("Name").and_then(Value::as_str), f.get("Values")) else {
                return Err(invalid_parameter());
            };
            let values = strings(values)?;
            if values.len() > MAX_FILTER_VALUES {
                return Err(api_error(
                    "InvalidFilterValue.LimitExceeded",
                    "The value of `Filter` exceeds the limit.",
                ));
            }
            match name {
                "project-id" => {
                    for v in &values {
                        let id = v
                            .parse::<i64>()
                            .map_err(|_| api_error("InvalidParameterValue", "Incorrect parameter value."))?;
                        req.project_ids.push(id);
                    }
                }
                "key-name" => req.names.extend(values.iter().map(|n| NamePattern::exact(n))),
                "tag-key" => req.tag_keys.extend(values),
                "tag-value" => req.tag_values.extend(values),
                _ => match name.strip_prefix("tag:") {
                    Some(key) if !key.is_empty() => req.tags.push((key.to_string(), values)),
                    _ => return Err(api_error("InvalidFilter", "Invalid filter.")),
                },
            }
        }
    }
    read_paging(p, ("Offset", "Limit"), &mut req)?;
    Ok(req)
}

/// The paging parameters (`Offset` and `Limit`, v2's `offset` and
/// `limit`): an offset from 0, a limit of 1 to 100.
fn read_paging(p: &Map<String, Value>, (offset, limit): (&str, &str), req: &mut ListRequest) -> Result<(), Rejection> {
    if let Some(v) = p.get(offset) {
        req.offset = integer(v).ok_or_else(|| {
            api_error(
                "InvalidParameterValueOffset",
                "Invalid parameter value: invalid `Offset`.",
            )
        })?;
    }
    if let Some(v) = p.get(limit) {
        req.limit = integer(v).filter(|n| (1..=100).contains(n)).ok_or_else(|| {
            api_error(
                "InvalidParameterValueLimit",
                "The number of parameter values exceeds the limit.",
            )
        })?;
    }
    Ok(())
}

/// `DeleteKeyPairs`: `KeyIds`, 1 to 100 of them.
fn delete_request(p: &Map<String, Value>) -> Result<DeleteRequest, Rejection> {
    let ids = match p.get("KeyIds") {
        None => Vec::new(),
        Some(v) => key_ids(v)?,
    };
    if ids.is_empty() {
        return Err(Rejection::MissingParameter("KeyIds"));
    }
    Ok(DeleteRequest::KeyIds(ids))
}

/// The legacy v2 API: `{"code": 0, "message": "", "codeDesc": "Success",
/// ...}`, errors with a non-zero `code` and the error code in `codeDesc`.
#[derive(Debug)]
struct ApiV2;

impl Api for ApiV2 {
    fn read_tags(&self, _: &Map<String, Value>) -> Result<Vec<Tag>, Rejection> {
        Ok(Vec::new())
    }

    fn write_tags(&self, _: &[(String, String)], _: &mut Map<String, Value>) -> Result<(), Rejection> {
        // Say so rather than drop them.
        Err(Rejection::InvalidParameter {
            parameter: "tag",
            reason: "the v2 API takes no tags",
        })
    }

    fn error(&self, r: &Rejection) -> (&'static str, u16, Cow<'static, str>) {
        error_of(r)
    }

    fn oversized_request(&self) -> (&'static str, u16) {
        ("RequestSizeLimitExceeded", 200)
    }

    fn import_body(&self, ok: &Imported) -> Value {
        json!({"code": 0, "message": "", "codeDesc": "Success", "keyId": ok.key_id})
    }

    fn error_body(&self, e: &ProviderError) -> Value {
        json!({
            "code": v2_code(e.code),
            "message": e.message,
            "codeDesc": e.code,
        })
    }

    fn read_list(&self, params: &Map<String, Value>) -> Option<Result<ListRequest, Rejection>> {
        Some(describe_request_v2(params))
    }

    /// The page's example: the list in `data`, no `codeDesc` there (keyvet
    /// adds it, as to every v2 answer).
    fn list_body(&self, page: &ListPage) -> Value {
        let set: Vec<Value> = page
            .items
            .iter()
            .map(|k| {
                json!({
                    "keyId": k.key_id,
                    "keyName": k.name,
                    "pubkey": k.public_key,
                    "status": 0,
                    "bindIps": [],
                    "createTime": beijing_time(k.created_at),
                    "bindUnInstanceIds": [],
                })
            })
            .collect();
        json!({
            "code": 0,
            "message": "",
            "codeDesc": "Success",
            "data": {"totalCount": page.total, "sshSet": set},
        })
    }

    fn read_delete(&self, params: &Map<String, Value>) -> Option<Result<DeleteRequest, Rejection>> {
        Some(
            no_api3_params(params)
                .and_then(|()| v2_key_ids(params))
                .and_then(|ids| {
                    if ids.is_empty() {
                        Err(Rejection::MissingParameter("keyIds.n"))
                    } else {
                        Ok(DeleteRequest::EachKeyId(ids))
                    }
                }),
        )
    }

    /// The page's example: `detail.deleteKeySet`, one entry per key ID.
    fn delete_body(&self, deleted: &Deleted) -> Value {
        let done = deleted
            .key_ids
            .iter()
            .map(|id| json!({"code": 0, "message": "success", "keyId": id}));
        let missing = deleted
            .missing
            .iter()
            .map(|id| json!({"code": 5000, "message": "The key pair does not exist.", "keyId": id}));
        let (code, code_desc, message) = match (deleted.key_ids.len(), deleted.missing.len()) {
            (_, 0) => (0, "Success", ""),
            (0, _) => (
                5000,
                "InvalidKeyPairId.NotFound",
                "No key pair was deleted: none of them exists.",
            ),
            _ => (
                5400,
                "PartialSuccess",
                "Some key pairs were not deleted: see detail.deleteKeySet.",
            ),
        };
        json!({
            "codeDesc": code_desc,
            "message": message,
            "code": code,
            "detail": {"deleteKeySet": done.chain(missing).collect::<Vec<_>>()},
        })
    }

    fn creates(&self) -> bool {
        true
    }

    /// The documented field order.
    fn create_body(&self, c: &Created) -> Value {
        json!({
            "codeDesc": "Success",
            "message": "",
            "code": 0,
            "data": {
                "secretkey": c.private_pem.as_str(),
                "pubkey": c.public_line,
                "keyId": c.key_id,
                "keyName": c.key_name,
            }
        })
    }
}

/// The v2 `keyIds.n` parameters (n from 0), in their order (the request's
/// size bounds their number).
fn v2_key_ids(p: &Map<String, Value>) -> Result<Vec<String>, Rejection> {
    let mut indexed: Vec<(u32, String)> = Vec::new();
    for (k, v) in p {
        let Some(n) = k.strip_prefix("keyIds.") else { continue };
        let n = Some(n)
            .filter(|n| !n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<u32>().ok())
            .ok_or_else(invalid_parameter)?;
        indexed.push((n, v.as_str().ok_or_else(invalid_parameter)?.to_string()));
    }
    indexed.sort_by_key(|(n, _)| *n);
    checked_key_ids(indexed.into_iter().map(|(_, id)| id).collect())
}

/// API 3.0's parameters sent to v2 (the 2019 "hybrid" pages do): refused
/// rather than ignored, which would list or delete more than asked.
fn no_api3_params(p: &Map<String, Value>) -> Result<(), Rejection> {
    let api3 = |k: &String| k.starts_with("KeyIds.") || k.starts_with("Filters.") || k == "Offset" || k == "Limit";
    if p.keys().any(api3) {
        return Err(Rejection::InvalidParameter {
            parameter: "KeyIds",
            reason: "API 3.0 parameters: the v2 API takes keyIds.n, keyName, projectId, offset and limit",
        });
    }
    Ok(())
}

/// v2 `DescribeKeyPairs`: `keyIds.n`, `keyName` (empty: no filter),
/// `projectId`, `offset`, `limit`.
fn describe_request_v2(p: &Map<String, Value>) -> Result<ListRequest, Rejection> {
    no_api3_params(p)?;
    let mut req = ListRequest {
        limit: 20,
        include_public_key: true,
        key_ids: v2_key_ids(p)?,
        ..ListRequest::default()
    };
    if let Some(name) = p.get("keyName") {
        let name = name.as_str().ok_or_else(invalid_parameter)?;
        if !name.is_empty() {
            req.names.push(NamePattern::exact(name));
        }
    }
    if let Some(v) = p.get("projectId") {
        let id = v
            .as_str()
            .filter(|s| !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| api_error("InvalidParameterValue", "Incorrect parameter value."))?;
        req.project_ids.push(id);
    }
    read_paging(p, ("offset", "limit"), &mut req)?;
    Ok(req)
}

/// `YYYY-MM-DD hh:mm:ss` in Beijing time (UTC+8), as v2 lists times.
fn beijing_time(unix: i64) -> String {
    let t = crate::utc_timestamp(unix.saturating_add(8 * 3600));
    t.trim_end_matches('Z').replacen('T', " ", 1)
}

/// Reads `TagSpecification`: an array of `{"ResourceType": "keypair",
/// "Tags": [{"Key": ..., "Value": ...}]}`.
fn tags_from_spec(spec: &Value) -> Result<Vec<Tag>, Rejection> {
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
fn error_of(r: &Rejection) -> (&'static str, u16, Cow<'static, str>) {
    let (code, msg) = match r {
        Rejection::MissingParameter(_) => (
            "MissingParameter",
            "Parameter is missing. A required parameter is missing in the request.",
        ),
        Rejection::InvalidParameter { .. }
        | Rejection::TagKey { .. }
        | Rejection::TagValue { .. }
        | Rejection::ResourceGroupNotFound
        | Rejection::RegionNotFound => (
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
        Rejection::KeyPairNotFound(_) => (
            "InvalidKeyPairId.NotFound",
            "Invalid key pair ID. The specified key pair ID does not exist.",
        ),
        Rejection::Api { code, message, .. } => (*code, *message),
        Rejection::Common { code, http_status } => return (code, *http_status, Cow::Borrowed(code)),
    };
    (code, 200, Cow::Borrowed(msg))
}

/// The v2 API's numeric `code` for an error code string.
fn v2_code(code: &str) -> u32 {
    match code {
        "InternalServerError" => 6000,
        "InvalidKeyPair.LimitExceeded" => 4400,
        "InvalidKeyPairId.NotFound" => 5000,
        _ => 4000,
    }
}
