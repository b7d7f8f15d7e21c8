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

use std::borrow::Cow;
use std::collections::BTreeMap;

use keyvet::policy::{self, Policy};
use keyvet::{Algorithm, AlgorithmSet, CertVersion, KeyType};
use serde_json::{Map, Value, json};

use crate::api::xml_escape;
use crate::{Api, Imported, NameCharset, NameRules, Params, Provider, ProviderError, Rejection, Tag, TagRules};

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
        Rejection::Common { code, http_status } => (code, *http_status, Cow::Borrowed(code)),
    }
}
