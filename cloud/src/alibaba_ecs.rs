//! Alibaba Cloud ECS `ImportKeyPair` (2014-05-26).
//!
//! From the API documentation:
//! * `KeyPairName`: 2 to 128 characters, starts with a letter, not with
//!   `http://` or `https://`; letters, digits, `:`, `_` and `-`
//!   (`InvalidKeyPairName.Malformed`, 400).
//! * `PublicKeyBody`, `RegionId`: required (`MissingParameter`, 400, naming the
//!   parameter).
//! * `Tag.N.Key` / `Tag.N.Value`, N = 1..20: the key non-empty, at most 128
//!   characters, not starting with `acs:` or `aliyun`, without `http://` or
//!   `https://`; the value may be empty, at most 128 characters, not starting
//!   with `acs:`, without `http://` or `https://`.
//! * `ResourceGroupId`: must exist (`InvalidResourceGroup.NotFound`, 404).
//! * At most 500 key pairs per region (`QuotaExceed.KeyPair`, 403); a name
//!   is unique per region (`KeyPair.AlreadyExist`, 400).
//! * Accepted key types: `rsa`, `dsa`, `ssh-rsa`, `ssh-dss`, `ecdsa`,
//!   `ssh-rsa-cert-v00@openssh.com`, `ssh-dss-cert-v00@openssh.com`,
//!   `ssh-rsa-cert-v01@openssh.com`, `ssh-dss-cert-v01@openssh.com` and the
//!   three `ecdsa-sha2-nistp*-cert-v01@openssh.com`; anything else is
//!   `InvalidPublicKeyBody.Malformed`. keyvet reads the bare `rsa`, `dsa` and
//!   `ecdsa` entries as key families, not type words: `rsa` admits `ssh-rsa`
//!   keys, `dsa` `ssh-dss` keys and `ecdsa` the three
//!   `ecdsa-sha2-nistp256/384/521` keys (no OpenSSH line starts with the bare
//!   words). Ed25519 and FIDO keys are not listed, so they are refused.
//! * Returns `KeyPairName`, `KeyPairFingerPrint` and `RequestId`. The
//!   fingerprint is the MD5 of the public key in colon hex, as the text says
//!   (RFC 4716 section 4); the page's example shows 20 octets, SHA-1's
//!   length, which keyvet takes for a documentation slip.
//!
//! Choices where the page is silent: the page lists no code for tag
//! violations, so keyvet uses the codes ECS returns for the same parameters
//! in its other APIs (`InvalidTagKey.Malformed`, `InvalidTagValue.Malformed`,
//! `InvalidTagCount`, 400); a public key already stored under another name is
//! refused with `KeyPair.AlreadyExist`; the RSA floor is OpenSSH's 1024 bits;
//! certificates signed with `ssh-rsa` (SHA-1) are accepted, since every v00
//! certificate is.
//!
//! `DescribeKeyPairs` and `DeleteKeyPairs` are served as documented, with
//! these choices: `KeyPairName` takes the documented `*` forms (prefix,
//! suffix, both; a `*` elsewhere is a character) and is case-sensitive;
//! `KeyPairFingerPrint` compares case-insensitively; a bad `PageNumber`,
//! `PageSize` (1 to 50) or `IncludePublicKey` is `InvalidParameter` naming
//! it, as the older page's table does; `CreationTime` is UTC to the minute,
//! as the documented example; key pairs are listed in the order imported. A
//! delete takes `KeyPairNames` as a JSON array of 1 to 100 names
//! (`InvalidKeyPairNames.ValueNotSupported` otherwise, an empty array and a
//! bare name included; more than 100 `InstanceKeyPairLimitExceeded`, 403);
//! names not in the region are skipped, as deleting what is gone succeeds
//! (keyvet has no instances, so
//! `InvalidParameter.KeypairAlreadyAttachedInstance` never arises). A
//! `RegionId` that cannot be a region (over 64 characters, or other than
//! lowercase letters, digits and `-`) is `InvalidRegionId.NotFound` (404)
//! for every action.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use keyvet::policy::{self, Policy};
use keyvet::{Algorithm, AlgorithmSet, CertVersion, KeyType};
use serde_json::{Map, Value, json};

use crate::api::xml_escape;
use crate::{
    Api, DeleteRequest, Deleted, Imported, ListPage, ListRequest, NameCharset, NamePattern, NameRules, Params,
    Provider, ProviderError, Rejection, Tag, TagRules,
};

const fn cert(k: KeyType, v: CertVersion) -> Algorithm {
    match Algorithm::cert(k, v) {
        Some(a) => a,
        None => Algorithm::plain(k),
    }
}

const POLICY: Policy = Policy {
    name: "alibaba-ecs",
    algorithms: set_of(&[
        Algorithm::plain(KeyType::Rsa),
        Algorithm::plain(KeyType::Dsa),
        Algorithm::plain(KeyType::EcdsaP256),
        Algorithm::plain(KeyType::EcdsaP384),
        Algorithm::plain(KeyType::EcdsaP521),
        cert(KeyType::Rsa, CertVersion::V00),
        cert(KeyType::Dsa, CertVersion::V00),
        cert(KeyType::Rsa, CertVersion::V01),
        cert(KeyType::Dsa, CertVersion::V01),
        cert(KeyType::EcdsaP256, CertVersion::V01),
        cert(KeyType::EcdsaP384, CertVersion::V01),
        cert(KeyType::EcdsaP521, CertVersion::V01),
    ]),
    ca_algorithms: AlgorithmSet::ALL,
    min_rsa_bits: 1024,
    refuse_sha1_cert_signatures: false,
    ..policy::STRICT
};

/// The algorithm set of a documented key-type list.
const fn set_of(algs: &[Algorithm]) -> AlgorithmSet {
    let mut s = AlgorithmSet::EMPTY;
    let mut i = 0;
    while i < algs.len() {
        s = s.with(algs[i]);
        i += 1;
    }
    s
}

/// `ImportKeyPair` of ECS 2014-05-26.
pub const IMPORT: Provider = Provider {
    id: "alibaba-ecs",
    scope: "alibaba-ecs",
    params: Params {
        name: "KeyPairName",
        public_key: "PublicKeyBody",
        project: None,
        region: Some("RegionId"),
        resource_group: Some("ResourceGroupId"),
    },
    key_name: NameRules {
        min_chars: 2,
        max_chars: 128,
        charset: NameCharset::AlnumColonUnderscoreHyphen,
        start_with_letter: true,
        forbidden_prefixes: &["http://", "https://"],
    },
    tags: TagRules {
        max_tags: 20,
        key_max_chars: 128,
        value_max_chars: 128,
        key_forbidden_prefixes: &["acs:", "aliyun"],
        value_forbidden_prefixes: &["acs:"],
        forbid_urls: true,
    },
    policy: POLICY,
    documented_types: &[
        "rsa",
        "dsa",
        "ssh-rsa",
        "ssh-dss",
        "ecdsa",
        "ssh-rsa-cert-v00@openssh.com",
        "ssh-dss-cert-v00@openssh.com",
        "ssh-rsa-cert-v01@openssh.com",
        "ssh-dss-cert-v01@openssh.com",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521-cert-v01@openssh.com",
    ],
    quota: 500,
    unique_keys: true,
    api: &Ecs,
};

/// ECS RPC style: JSON or XML, with the error's HTTP status.
#[derive(Debug)]
struct Ecs;

impl Api for Ecs {
    fn read_tags(&self, params: &Map<String, Value>) -> Result<Vec<Tag>, Rejection> {
        tags_from_params(params)
    }

    fn write_tags(&self, tags: &[(String, String)], params: &mut Map<String, Value>) -> Result<(), Rejection> {
        for (i, (k, v)) in tags.iter().enumerate() {
            params.insert(format!("Tag.{}.Key", i + 1), k.clone().into());
            params.insert(format!("Tag.{}.Value", i + 1), v.clone().into());
        }
        Ok(())
    }

    fn error(&self, r: &Rejection) -> (&'static str, u16, Cow<'static, str>) {
        error_of(r)
    }

    fn oversized_request(&self) -> (&'static str, u16) {
        ("InvalidParameter", 413)
    }

    fn import_body(&self, ok: &Imported) -> Value {
        json!({
            "RequestId": ok.request_id,
            "KeyPairName": ok.key_name,
            "KeyPairFingerPrint": ok.md5_hex,
        })
    }

    fn error_body(&self, e: &ProviderError) -> Value {
        json!({
            "RequestId": e.request_id,
            "Code": e.code,
            "Message": e.message,
            "HttpStatus": e.http_status,
        })
    }

    fn speaks_xml(&self) -> bool {
        true
    }

    fn import_xml(&self, ok: &Imported) -> Option<String> {
        Some(format!(
            "<ImportKeyPairResponse>\n      <RequestId>{}</RequestId>\n      <KeyPairName>{}</KeyPairName>\n      <KeyPairFingerPrint>{}</KeyPairFingerPrint>\n</ImportKeyPairResponse>",
            xml_escape(&ok.request_id),
            xml_escape(&ok.key_name),
            xml_escape(&ok.md5_hex)
        ))
    }

    fn error_xml(&self, e: &ProviderError) -> Option<String> {
        Some(format!(
            "<Error>\n      <RequestId>{}</RequestId>\n      <Code>{}</Code>\n      <Message>{}</Message>\n</Error>",
            xml_escape(&e.request_id),
            xml_escape(e.code),
            xml_escape(&e.message)
        ))
    }
    fn read_list(&self, params: &Map<String, Value>) -> Option<Result<ListRequest, Rejection>> {
        Some(describe_request(params))
    }

    fn list_body(&self, page: &ListPage) -> Value {
        let items: Vec<Value> = page
            .items
            .iter()
            .map(|k| {
                let tags: Vec<Value> = k
                    .tags
                    .iter()
                    .map(|(key, v)| json!({"TagKey": key, "TagValue": v}))
                    .collect();
                let mut item = json!({
                    "CreationTime": creation_time(k.created_at),
                    "KeyPairName": k.name,
                    "KeyPairFingerPrint": k.md5,
                    "ResourceGroupId": k.resource_group.as_deref().unwrap_or(""),
                    "Tags": {"Tag": tags},
                });
                if page.include_public_key {
                    item["PublicKey"] = k.public_key.clone().into();
                }
                item
            })
            .collect();
        json!({
            "PageSize": page.limit,
            "RequestId": page.request_id,
            "PageNumber": page.offset / page.limit.max(1) + 1,
            "TotalCount": page.total,
            "KeyPairs": {"KeyPair": items},
        })
    }

    fn list_xml(&self, page: &ListPage) -> Option<String> {
        let mut x = String::from("<DescribeKeyPairsResponse>\n");
        let _ = write!(
            x,
            "      <RequestId>{}</RequestId>\n      <PageNumber>{}</PageNumber>\n      <PageSize>{}</PageSize>\n      <TotalCount>{}</TotalCount>\n      <KeyPairs>\n",
            xml_escape(&page.request_id),
            page.offset / page.limit.max(1) + 1,
            page.limit,
            page.total
        );
        for k in &page.items {
            let _ = write!(
                x,
                "            <KeyPair>\n                  <CreationTime>{}</CreationTime>\n                  <KeyPairName>{}</KeyPairName>\n                  <KeyPairFingerPrint>{}</KeyPairFingerPrint>\n                  <ResourceGroupId>{}</ResourceGroupId>\n",
                creation_time(k.created_at),
                xml_escape(&k.name),
                xml_escape(&k.md5),
                xml_escape(k.resource_group.as_deref().unwrap_or(""))
            );
            if page.include_public_key {
                let _ = writeln!(
                    x,
                    "                  <PublicKey>{}</PublicKey>",
                    xml_escape(&k.public_key)
                );
            }
            x.push_str("                  <Tags>\n");
            for (key, v) in &k.tags {
                let _ = writeln!(
                    x,
                    "                        <Tag>\n                              <TagKey>{}</TagKey>\n                              <TagValue>{}</TagValue>\n                        </Tag>",
                    xml_escape(key),
                    xml_escape(v)
                );
            }
            x.push_str("                  </Tags>\n            </KeyPair>\n");
        }
        x.push_str("      </KeyPairs>\n</DescribeKeyPairsResponse>");
        Some(x)
    }

    fn read_delete(&self, params: &Map<String, Value>) -> Option<Result<DeleteRequest, Rejection>> {
        Some(delete_request(params))
    }

    fn delete_body(&self, deleted: &Deleted) -> Value {
        json!({"RequestId": deleted.request_id})
    }

    fn delete_xml(&self, deleted: &Deleted) -> Option<String> {
        Some(format!(
            "<DeleteKeyPairsResponse>\n      <RequestId>{}</RequestId>\n</DeleteKeyPairsResponse>",
            xml_escape(&deleted.request_id)
        ))
    }
}

/// `CreationTime` as the documented example writes it: UTC to the minute
/// (`2023-09-04T08:33Z`).
fn creation_time(unix: i64) -> String {
    let full = crate::utc_timestamp(unix);
    format!("{}Z", &full[..16])
}

/// A parameter's value as text.
fn text<'a>(p: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    p.get(name).and_then(Value::as_str)
}

/// `InvalidParameter` naming the parameter, as the page's error table
/// writes it.
fn invalid(message: &'static str) -> Rejection {
    Rejection::Api {
        code: "InvalidParameter",
        http_status: 400,
        message,
    }
}

/// `DescribeKeyPairs`: `KeyPairName` (with `*` wildcards),
/// `KeyPairFingerPrint`, `PageNumber` (from 1), `PageSize` (1 to 50, 10 by
/// default), `IncludePublicKey`, `ResourceGroupId`, `Tag.N.Key` and
/// `Tag.N.Value` (all of them).
fn describe_request(p: &Map<String, Value>) -> Result<ListRequest, Rejection> {
    let number = |name: &str| -> Option<Result<usize, ()>> {
        text(p, name).map(|v| match v.parse::<usize>() {
            Ok(n) if v.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
            _ => Err(()),
        })
    };
    let page_number = match number("PageNumber") {
        None => 1,
        Some(Ok(n)) if n >= 1 => n,
        Some(_) => {
            return Err(invalid(
                "The specified parameter \u{201c}PageNumber\u{201d} is not valid.",
            ));
        }
    };
    let page_size = match number("PageSize") {
        None => 10,
        Some(Ok(n)) if (1..=50).contains(&n) => n,
        Some(_) => {
            return Err(invalid(
                "The specified parameter \u{201c}PageSize\u{201d} is not valid.",
            ));
        }
    };
    let include_public_key = match text(p, "IncludePublicKey") {
        None => false,
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        Some(_) => {
            return Err(invalid(
                "The specified parameter \u{201c}IncludePublicKey\u{201d} is not valid.",
            ));
        }
    };
    let mut req = ListRequest {
        offset: (page_number - 1).saturating_mul(page_size),
        limit: page_size,
        include_public_key,
        md5: text(p, "KeyPairFingerPrint")
            .filter(|f| !f.is_empty())
            .map(String::from),
        resource_group: text(p, "ResourceGroupId").filter(|g| !g.is_empty()).map(String::from),
        ..ListRequest::default()
    };
    if let Some(name) = text(p, "KeyPairName").filter(|n| !n.is_empty()) {
        req.names.push(NamePattern::parse(name));
    }
    for tag in tags_from_params(p)? {
        if tag.index == 0 || tag.index > IMPORT.tags.max_tags {
            return Err(Rejection::TooManyTags);
        }
        if let Some(key) = tag.key {
            req.tags.push((key, tag.value.into_iter().collect()));
        }
    }
    Ok(req)
}

/// Most names in one `DeleteKeyPairs` call.
const MAX_DELETE: usize = 100;

/// `DeleteKeyPairs`: `KeyPairNames`, a JSON array of 1 to 100 names.
fn delete_request(p: &Map<String, Value>) -> Result<DeleteRequest, Rejection> {
    let Some(names) = text(p, "KeyPairNames") else {
        return Err(Rejection::MissingParameter("KeyPairNames"));
    };
    let not_valid = Rejection::Api {
        code: "InvalidKeyPairNames.ValueNotSupported",
        http_status: 400,
        message: "The specified parameter \"KeyPairNames\" is not valid.",
    };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(names) else {
        return Err(not_valid);
    };
    if items.len() > MAX_DELETE {
        return Err(Rejection::Api {
            code: "InstanceKeyPairLimitExceeded",
            http_status: 403,
            message: "Exceeding the allowed amount of instance which will be deleted.",
        });
    }
    let names: Option<Vec<String>> = items.iter().map(|v| v.as_str().map(String::from)).collect();
    match names {
        Some(names) if !names.is_empty() && names.iter().all(|n| !n.is_empty()) => Ok(DeleteRequest::Names(names)),
        _ => Err(not_valid),
    }
}

/// Reads the flat `Tag.N.Key` / `Tag.N.Value` parameters.
fn tags_from_params(obj: &Map<String, Value>) -> Result<Vec<Tag>, Rejection> {
    let mut tags: BTreeMap<usize, Tag> = BTreeMap::new();
    for (k, v) in obj {
        let Some(rest) = k.strip_prefix("Tag.") else { continue };
        let Some((n, field)) = rest.split_once('.') else {
            continue;
        };
        let n: usize = match n.parse() {
            Ok(x) if n.bytes().all(|b| b.is_ascii_digit()) => x,
            _ => return Err(Rejection::TooManyTags),
        };
        let value = match v {
            Value::String(s) => s.clone(),
            Value::Number(x) => x.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                return Err(Rejection::TagKey {
                    index: n,
                    reason: "not a string",
                });
            }
        };
        let t = tags.entry(n).or_insert(Tag {
            index: n,
            key: None,
            value: None,
        });
        match field {
            "Key" => t.key = Some(value),
            "Value" => t.value = Some(value),
            _ => {}
        }
    }
    Ok(tags.into_values().collect())
}

/// Code, HTTP status and documented message.
fn error_of(r: &Rejection) -> (&'static str, u16, Cow<'static, str>) {
    let fixed = |code, status, msg: &'static str| (code, status, Cow::Borrowed(msg));
    match r {
        Rejection::MissingParameter(p) => (
            "MissingParameter",
            400,
            Cow::Owned(format!(
                "The input parameter \"{p}\" that is mandatory for processing this request is not supplied."
            )),
        ),
        Rejection::InvalidParameter { .. } | Rejection::ProjectNotFound(_) => {
            fixed("InvalidParameter", 400, "The specified parameter is not valid.")
        }
        // An empty name is a missing one here.
        Rejection::NameEmpty => error_of(&Rejection::MissingParameter("KeyPairName")),
        Rejection::NameTooLong | Rejection::NameIllegalChar | Rejection::NameMalformed(_) => fixed(
            "InvalidKeyPairName.Malformed",
            400,
            "Specified Key Pair name is not valid.",
        ),
        Rejection::TagKey { .. } => fixed("InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid."),
        Rejection::TagValue { .. } => fixed(
            "InvalidTagValue.Malformed",
            400,
            "The specified Tag.n.Value is not valid.",
        ),
        Rejection::TooManyTags => fixed(
            "InvalidTagCount",
            400,
            "The specified tags are beyond the permitted range.",
        ),
        Rejection::Key(_) => fixed(
            "InvalidPublicKeyBody.Malformed",
            400,
            "The PublicKeyBody format is not supported.",
        ),
        Rejection::RegionNotFound => fixed(
            "InvalidRegionId.NotFound",
            404,
            "The specified RegionId does not exist.",
        ),
        Rejection::ResourceGroupNotFound => fixed(
            "InvalidResourceGroup.NotFound",
            404,
            "The ResourceGroup provided does not exist in our records.",
        ),
        Rejection::NameDuplicate | Rejection::KeyDuplicate => {
            fixed("KeyPair.AlreadyExist", 400, "The key pair already exist.")
        }
        Rejection::Quota => fixed("QuotaExceed.KeyPair", 403, "The key pair quota exceeds."),
        Rejection::Internal => fixed(
            "InternalError",
            500,
            "The request processing has failed due to some unknown error.",
        ),
        Rejection::KeyPairNotFound(_) => fixed("InvalidKeyPair.NotFound", 404, "The specified KeyPair does not exist."),
        Rejection::Api {
            code,
            http_status,
            message,
        } => (code, *http_status, Cow::Borrowed(message)),
        Rejection::Common { code, http_status } => (code, *http_status, Cow::Borrowed(code)),
    }
}
