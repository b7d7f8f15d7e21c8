//! The cloud key-pair APIs keyvet serves: import (and create) endpoints with
//! their name rules, tag rules, accepted key types, error codes and
//! response bodies, exactly as documented.
//!
//! * [`tencent_cvm::IMPORT`]: Tencent Cloud CVM `ImportKeyPair`, API 3.0
//!   (2017-03-12): `KeyName`, `ProjectId`, `PublicKey`, `TagSpecification`.
//! * [`tencent_cvm::IMPORT_V2`]: the legacy v2 `ImportKeyPair` (`keyName`,
//!   `pubKey`), whose `CreateKeyPair` is [`Profile::create`].
//! * [`alibaba_ecs::IMPORT`]: Alibaba Cloud ECS `ImportKeyPair`
//!   (2014-05-26): `KeyPairName`, `PublicKeyBody`, `RegionId`,
//!   `Tag.N.Key`/`Tag.N.Value`, `ResourceGroupId`.
//!
//! A [`Profile`] is a value: start from a preset and change what your
//! deployment does differently (accepted types, RSA floor, quota).
//!
//! ```
//! use keyvet::profile::{self, ImportRequest, MemoryStore, RandomIds};
//! let store = MemoryStore::new();
//! let req = ImportRequest {
//!     name: Some("build_key".into()),
//!     public_key: Some(std::fs::read_to_string("corpus/valid/rsa-2048.pub").unwrap()),
//!     project_id: Some(0.into()),
//!     ..ImportRequest::default()
//! };
//! let ok = profile::tencent_cvm::IMPORT.import(&req, &store, &RandomIds).unwrap();
//! assert!(ok.key_id.starts_with("skey-"));
//! let again = profile::tencent_cvm::IMPORT.import(&req, &store, &RandomIds).unwrap_err();
//! assert_eq!(again.code, "InvalidKeyPairName.Duplicate");
//! ```

pub mod alibaba_ecs;
pub mod create;
mod store;
pub mod tencent_cvm;

use std::borrow::Cow;
use std::fmt::Write as _;

use rand_core::{OsRng, RngCore};
use serde_json::{Map, Value, json};

use crate::checker::Checker;
use crate::error::{Error, ErrorKind, LineError};
use crate::fingerprint::HashAlg;
use crate::policy::Policy;
use crate::{Algorithm, AlgorithmSet};

pub use store::{Conflict, FileStore, KeyStore, MemoryStore, StoredKey};

/// Which API a profile serves (its parameter names and response bodies).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// Tencent Cloud CVM API 3.0 (2017-03-12).
    TencentCvm,
    /// Tencent Cloud CVM legacy v2 API.
    TencentCvmV2,
    /// Alibaba Cloud ECS (2014-05-26).
    AlibabaEcs,
}

/// The characters a key-pair name may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameCharset {
    /// ASCII letters, digits and `_` (Tencent).
    AlnumUnderscore,
    /// ASCII letters, digits, `:`, `_` and `-` (Alibaba).
    AlnumColonUnderscoreHyphen,
}

impl NameCharset {
    fn allows(self, c: char) -> bool {
        c.is_ascii_alphanumeric()
            || c == '_'
            || (self == NameCharset::AlnumColonUnderscoreHyphen && matches!(c, ':' | '-'))
    }
}

/// Rules for key-pair names, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameRules {
    /// Shortest name.
    pub min_chars: usize,
    /// Longest name.
    pub max_chars: usize,
    /// Allowed characters.
    pub charset: NameCharset,
    /// The first character must be a letter.
    pub start_with_letter: bool,
    /// Prefixes a name must not start with.
    pub forbidden_prefixes: &'static [&'static str],
}

/// Rules for resource tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagRules {
    /// Most tags per key pair.
    pub max_tags: usize,
    /// Longest tag key, in characters.
    pub key_max_chars: usize,
    /// Longest tag value, in characters.
    pub value_max_chars: usize,
    /// Prefixes a tag key must not start with.
    pub key_forbidden_prefixes: &'static [&'static str],
    /// Prefixes a tag value must not start with.
    pub value_forbidden_prefixes: &'static [&'static str],
    /// Keys and values must not contain `http://` or `https://`.
    pub forbid_urls: bool,
}

/// A cloud key-pair API: its rules and limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// The profile's name on the command line (`tencent-cvm`, ...).
    pub id: &'static str,
    /// The API served.
    pub api: Api,
    /// Key-pair name rules.
    pub key_name: NameRules,
    /// Tag rules.
    pub tags: TagRules,
    /// How uploaded keys are validated. Its `algorithms` are the key types
    /// the API documents; `min_rsa_bits` is the profile's RSA floor.
    pub policy: Policy,
    /// The key types as the API documentation lists them.
    pub documented_types: &'static [&'static str],
    /// Most key pairs per scope (account or region).
    pub quota: usize,
    /// Refuse a key already stored under another name.
    pub unique_keys: bool,
}

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

/// An import request with the fields every API shares; [`ImportRequest::from_json`]
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
    /// A parameter the request holds in a form the API refuses
    /// (found by [`ImportRequest::from_json`]).
    pub malformed: Option<Rejection>,
}

/// Why an API refuses a request, independent of the provider; a profile
/// maps it to the provider's code, HTTP status and message.
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
    Key(Error),
    /// The project does not exist.
    ProjectNotFound(i64),
    /// The resource group does not exist.
    ResourceGroupNotFound,
    /// The name is taken.
    NameDuplicate,
    /// The same key is already stored.
    KeyDuplicate,
    /// The quota of key pairs is reached.
    Quota,
    /// The store failed.
    Internal,
    /// An error of the API's common codes that no keyvet rejection names
    /// (an unknown action, a rate limit, an oversized request): passed
    /// through as given. See [`Profile::common_error`].
    Common {
        /// The provider's code, such as `RequestLimitExceeded`.
        code: &'static str,
        /// The HTTP status.
        http_status: u16,
    },
}

/// The error body an API returns.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderError {
    /// The API.
    pub api: Api,
    /// The provider's error code, such as `InvalidPublicKey.Malformed`.
    pub code: &'static str,
    /// HTTP status (Tencent returns 200 with the error in the body).
    pub http_status: u16,
    /// The provider's documented message.
    pub message: Cow<'static, str>,
    /// The request ID.
    pub request_id: String,
    /// Why, in keyvet's terms (for logs; not part of the response body).
    pub rejection: Box<Rejection>,
}

/// A successful import.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The API.
    pub api: Api,
    /// The key pair's ID (`skey-` and 8 lowercase letters or digits for
    /// Tencent).
    pub key_id: String,
    /// The key pair's name.
    pub key_name: String,
    /// MD5 fingerprint, bare colon hex (RFC 4716 section 4), as Alibaba
    /// returns it.
    pub md5_hex: String,
    /// SHA-256 fingerprint (`SHA256:...`).
    pub sha256: String,
    /// The key's algorithm.
    pub algorithm: Algorithm,
    /// Key size.
    pub bits: u32,
    /// The request ID.
    pub request_id: String,
    /// The form the upload was in, when it was not an OpenSSH line (the
    /// key was converted; the response body does not say so).
    pub converted_from: Option<crate::convert::Format>,
}

/// Makes request and key IDs.
pub trait IdSource: Send + Sync {
    /// A request ID such as `6EF60BEC-0242-43AF-BB20-270359FB54A7`.
    fn request_id(&self) -> String;
    /// A key ID such as `skey-4e5ty7i8`.
    fn key_id(&self) -> String;
}

/// IDs from the operating system's random generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn request_id(&self) -> String {
        let mut b = [0u8; 16];
        OsRng.fill_bytes(&mut b);
        // A version 4 UUID, upper case as the documented examples.
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let mut s = String::with_capacity(36);
        for (i, x) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                s.push('-');
            }
            let _ = write!(s, "{x:02X}");
        }
        s
    }

    fn key_id(&self) -> String {
        const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let mut s = String::from("skey-");
        while s.len() < 13 {
            let mut b = [0u8; 1];
            OsRng.fill_bytes(&mut b);
            // Rejection sampling: 252 = 7 * 36 keeps the choice uniform.
            if b[0] < 252 {
                s.push(char::from(ALPHABET[usize::from(b[0] % 36)]));
            }
        }
        s
    }
}

fn string_param(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl ImportRequest {
    /// Reads a request from name-value parameters, as a query string or a
    /// form body carries them (`Tag.1.Key=env`, ...). For the APIs that take
    /// JSON, use [`ImportRequest::from_json`].
    pub fn from_params<K: Into<String>, V: Into<String>>(
        api: Api,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> ImportRequest {
        let obj: Map<String, Value> = params
            .into_iter()
            .map(|(k, v)| (k.into(), Value::String(v.into())))
            .collect();
        ImportRequest::from_json(api, &obj)
    }

    /// Reads a request from a JSON object with the API's own parameter
    /// names (`KeyName`, `ProjectId`, `PublicKey`, `TagSpecification` for
    /// Tencent 3.0; `keyName`, `pubKey` for Tencent v2; `KeyPairName`,
    /// `PublicKeyBody`, `RegionId`, `ResourceGroupId` and flat
    /// `"Tag.N.Key"` / `"Tag.N.Value"` for Alibaba). Parameters in a form the
    /// API refuses are recorded in [`ImportRequest::malformed`].
    pub fn from_json(api: Api, obj: &Map<String, Value>) -> ImportRequest {
        let get = |k: &str| obj.get(k).and_then(string_param);
        let mut r = ImportRequest::default();
        match api {
            Api::TencentCvm => {
                r.name = get("KeyName");
                r.public_key = get("PublicKey");
                r.project_id = obj.get("ProjectId").cloned();
                if let Some(spec) = obj.get("TagSpecification") {
                    match tencent_cvm::tags_from_spec(spec) {
                        Ok(t) => r.tags = t,
                        Err(rej) => r.malformed = Some(rej),
                    }
                }
            }
            Api::TencentCvmV2 => {
                r.name = get("keyName");
                r.public_key = get("pubKey");
            }
            Api::AlibabaEcs => {
                r.name = get("KeyPairName");
                r.public_key = get("PublicKeyBody");
                r.region = get("RegionId");
                r.resource_group = get("ResourceGroupId");
                match alibaba_ecs::tags_from_params(obj) {
                    Ok(t) => r.tags = t,
                    Err(rej) => r.malformed = Some(rej),
                }
            }
        }
        r
    }
}

impl Profile {
    /// An error of the API's common codes (`InvalidAction`,
    /// `RequestLimitExceeded`, ...) in the API's error body, for servers
    /// that embed a profile.
    ///
    /// ```
    /// use keyvet::profile::tencent_cvm;
    /// let e = tencent_cvm::IMPORT.common_error("RequestLimitExceeded", 200, "Too many requests.", "id".into());
    /// assert_eq!(e.to_json()["Response"]["Error"]["Code"], "RequestLimitExceeded");
    /// ```
    pub fn common_error(
        &self,
        code: &'static str,
        http_status: u16,
        message: impl Into<Cow<'static, str>>,
        request_id: String,
    ) -> ProviderError {
        ProviderError {
            api: self.api,
            code,
            http_status,
            message: message.into(),
            request_id,
            rejection: Box::new(Rejection::Common { code, http_status }),
        }
    }

    /// The store scope of a request: one account per provider (Tencent's two
    /// APIs share it), one per region for Alibaba.
    fn scope(&self, region: &str) -> String {
        match self.api {
            Api::AlibabaEcs => format!("alibaba-ecs/{region}"),
            Api::TencentCvm | Api::TencentCvmV2 => String::from("tencent-cvm/default"),
        }
    }

    /// The provider error for a rejection.
    pub fn error(&self, rejection: Rejection, request_id: String) -> ProviderError {
        if let Rejection::Common { code, http_status } = rejection {
            return self.common_error(code, http_status, code, request_id);
        }
        let (code, http_status, message) = match self.api {
            Api::TencentCvm | Api::TencentCvmV2 => tencent_cvm::error_of(&rejection),
            Api::AlibabaEcs => alibaba_ecs::error_of(&rejection),
        };
        ProviderError {
            api: self.api,
            code,
            http_status,
            message,
            request_id,
            rejection: Box::new(rejection),
        }
    }

    fn check_name(&self, name: &str) -> Result<(), Rejection> {
        let r = &self.key_name;
        let chars = name.chars().count();
        if chars == 0 {
            return Err(match self.api {
                Api::AlibabaEcs => Rejection::MissingParameter("KeyPairName"),
                _ => Rejection::NameEmpty,
            });
        }
        if chars > r.max_chars {
            return Err(Rejection::NameTooLong);
        }
        if chars < r.min_chars {
            return Err(Rejection::NameMalformed("too short"));
        }
        if !name.chars().all(|c| r.charset.allows(c)) {
            return Err(Rejection::NameIllegalChar);
        }
        if r.start_with_letter && !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(Rejection::NameMalformed("must start with a letter"));
        }
        if r.forbidden_prefixes.iter().any(|p| name.starts_with(p)) {
            return Err(Rejection::NameMalformed("forbidden prefix"));
        }
        Ok(())
    }

    fn check_tags(&self, tags: &[Tag]) -> Result<(), Rejection> {
        let r = &self.tags;
        if tags.len() > r.max_tags || tags.iter().any(|t| t.index == 0 || t.index > r.max_tags) {
            return Err(Rejection::TooManyTags);
        }
        let url = |s: &str| r.forbid_urls && (s.contains("http://") || s.contains("https://"));
        for t in tags {
            let index = t.index;
            let key = t.key.as_deref().unwrap_or("");
            if key.is_empty() {
                return Err(Rejection::TagKey { index, reason: "empty" });
            }
            if key.chars().count() > r.key_max_chars {
                return Err(Rejection::TagKey {
                    index,
                    reason: "too long",
                });
            }
            if r.key_forbidden_prefixes.iter().any(|p| key.starts_with(p)) {
                return Err(Rejection::TagKey {
                    index,
                    reason: "reserved prefix",
                });
            }
            if url(key) {
                return Err(Rejection::TagKey {
                    index,
                    reason: "contains a URL",
                });
            }
            let value = t.value.as_deref().unwrap_or("");
            if value.chars().count() > r.value_max_chars {
                return Err(Rejection::TagValue {
                    index,
                    reason: "too long",
                });
            }
            if r.value_forbidden_prefixes.iter().any(|p| value.starts_with(p)) {
                return Err(Rejection::TagValue {
                    index,
                    reason: "reserved prefix",
                });
            }
            if url(value) {
                return Err(Rejection::TagValue {
                    index,
                    reason: "contains a URL",
                });
            }
        }
        Ok(())
    }

    /// Validates the uploaded key with the profile's policy. An upload that
    /// is not one OpenSSH line (an RFC 4716 or PuTTY block, a PEM public
    /// key, a private key whose public half is derived) is converted first.
    fn check_key(&self, text: &str) -> Result<KeyFacts, Rejection> {
        let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let mut lines = trimmed.lines().filter(|l| !crate::line::is_skipped(l.as_bytes()));
        let first = lines.next().unwrap_or("");
        let single = lines.next().is_none();
        let mut v = Checker::new(self.policy);
        if single {
            match v.check_line(first.as_bytes()) {
                Ok(c) => return Ok(KeyFacts::of(&c, None)),
                Err(e)
                    if !matches!(
                        e.kind(),
                        ErrorKind::Line(
                            LineError::PrivateKey(_)
                                | LineError::Rfc4716
                                | LineError::PemPublicKey
                                | LineError::Wrapped
                        )
                    ) =>
                {
                    return Err(Rejection::Key(e));
                }
                Err(_) => {}
            }
        }
        let converted = crate::convert::to_openssh(trimmed.as_bytes()).map_err(Rejection::Key)?;
        let line = converted.line();
        let c = v.check_line(&line).map_err(Rejection::Key)?;
        Ok(KeyFacts::of(&c, Some(converted.format())))
    }

    /// Serves one import request against `store`: the API's checks in the
    /// API's order, then an atomic insert.
    ///
    /// # Errors
    /// The provider's error body.
    pub fn import(
        &self,
        req: &ImportRequest,
        store: &dyn KeyStore,
        ids: &dyn IdSource,
    ) -> Result<Imported, ProviderError> {
        let request_id = ids.request_id();
        match self.import_inner(req, store, ids, &request_id) {
            Ok(i) => Ok(i),
            Err(rej) => Err(self.error(rej, request_id)),
        }
    }

    fn import_inner(
        &self,
        req: &ImportRequest,
        store: &dyn KeyStore,
        ids: &dyn IdSource,
        request_id: &str,
    ) -> Result<Imported, Rejection> {
        let (name_param, key_param) = match self.api {
            Api::TencentCvm => ("KeyName", "PublicKey"),
            Api::TencentCvmV2 => ("keyName", "pubKey"),
            Api::AlibabaEcs => ("KeyPairName", "PublicKeyBody"),
        };
        // A request the API cannot read at all, then required parameters.
        if let Some(m) = &req.malformed {
            return Err(m.clone());
        }
        let name = req.name.as_deref().ok_or(Rejection::MissingParameter(name_param))?;
        let key = match req.public_key.as_deref() {
            Some(k) if !k.trim().is_empty() => k,
            _ => return Err(Rejection::MissingParameter(key_param)),
        };
        let scope = match self.api {
            Api::AlibabaEcs => match req.region.as_deref() {
                Some(r) if !r.is_empty() => self.scope(r),
                _ => return Err(Rejection::MissingParameter("RegionId")),
            },
            _ => self.scope(""),
        };
        if self.api == Api::TencentCvm && req.project_id.is_none() {
            return Err(Rejection::MissingParameter("ProjectId"));
        }
        self.check_name(name)?;
        if let Some(p) = &req.project_id {
            let id = match p {
                Value::Number(n) => n.as_i64(),
                Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
                _ => None,
            }
            .ok_or(Rejection::InvalidParameter {
                parameter: "ProjectId",
                reason: "not an integer",
            })?;
            if !store.project_exists(id) {
                return Err(Rejection::ProjectNotFound(id));
            }
        }
        self.check_tags(&req.tags)?;
        if let Some(rg) = req.resource_group.as_deref()
            && !rg.is_empty()
            && !store.resource_group_exists(rg)
        {
            return Err(Rejection::ResourceGroupNotFound);
        }
        let facts = self.check_key(key)?;
        let key_id = ids.key_id();
        store
            .insert(
                &scope,
                StoredKey {
                    name: name.to_string(),
                    fingerprint: facts.sha256.clone(),
                    key_id: key_id.clone(),
                },
                self.quota,
                self.unique_keys,
            )
            .map_err(|c| match c {
                Conflict::Name => Rejection::NameDuplicate,
                Conflict::Key => Rejection::KeyDuplicate,
                Conflict::Quota => Rejection::Quota,
                Conflict::Unavailable => Rejection::Internal,
            })?;
        Ok(Imported {
            api: self.api,
            key_id,
            key_name: name.to_string(),
            md5_hex: facts.md5_hex,
            sha256: facts.sha256,
            algorithm: facts.algorithm,
            bits: facts.bits,
            request_id: request_id.to_string(),
            converted_from: facts.converted_from,
        })
    }
}

/// A key pair made by a create API.
#[derive(Debug)]
pub struct Created {
    /// The API.
    pub api: Api,
    /// The key pair's ID.
    pub key_id: String,
    /// The key pair's name.
    pub key_name: String,
    /// The OpenSSH public key line.
    pub public_line: String,
    /// The private key (never stored; zeroized on drop).
    pub private_pem: zeroize::Zeroizing<String>,
    /// The request ID.
    pub request_id: String,
}

impl Created {
    /// The API's JSON response body, in the documented field order.
    pub fn to_json(&self) -> Value {
        json!({
            "codeDesc": "Success",
            "message": "",
            "code": 0,
            "data": {
                "secretkey": self.private_pem.as_str(),
                "pubkey": self.public_line,
                "keyId": self.key_id,
                "keyName": self.key_name,
            }
        })
    }
}

impl Profile {
    /// Serves a create-key-pair request: checks the name, creates the key
    /// with [`create::create_key`], checks that keyvet accepts its public
    /// half, and stores it (the private key is not stored).
    ///
    /// # Errors
    /// The provider's error body.
    pub fn create(
        &self,
        name: Option<&str>,
        kind: create::NewKey,
        store: &dyn KeyStore,
        ids: &dyn IdSource,
    ) -> Result<Created, ProviderError> {
        let request_id = ids.request_id();
        let name_param = match self.api {
            Api::TencentCvmV2 => "keyName",
            Api::TencentCvm => "KeyName",
            Api::AlibabaEcs => "KeyPairName",
        };
        let fail = |rej| Err(self.error(rej, request_id.clone()));
        let Some(name) = name else {
            return fail(Rejection::MissingParameter(name_param));
        };
        if let Err(rej) = self.check_name(name) {
            return fail(rej);
        }
        let scope = self.scope("");
        // Key generation is costly: refuse a taken name before it (the
        // insert below still decides, atomically).
        if store.contains_name(&scope, name) {
            return fail(Rejection::NameDuplicate);
        }
        let Ok(key) = create::create_key(kind, &create::generated_comment()) else {
            return fail(Rejection::Internal);
        };
        let mut v = Checker::new(crate::policy::STRICT);
        let sha256 = match v.check_line(key.public_line.as_bytes()) {
            Ok(c) => c.fingerprint(HashAlg::Sha256).to_string(),
            Err(_) => return fail(Rejection::Internal),
        };
        let key_id = ids.key_id();
        let stored = StoredKey {
            name: name.to_string(),
            fingerprint: sha256,
            key_id: key_id.clone(),
        };
        if let Err(c) = store.insert(&scope, stored, self.quota, self.unique_keys) {
            return fail(match c {
                Conflict::Name => Rejection::NameDuplicate,
                Conflict::Key => Rejection::KeyDuplicate,
                Conflict::Quota => Rejection::Quota,
                Conflict::Unavailable => Rejection::Internal,
            });
        }
        Ok(Created {
            api: self.api,
            key_id,
            key_name: name.to_string(),
            public_line: key.public_line,
            private_pem: key.private_pem,
            request_id,
        })
    }
}

struct KeyFacts {
    sha256: String,
    md5_hex: String,
    algorithm: Algorithm,
    bits: u32,
    converted_from: Option<crate::convert::Format>,
}

impl KeyFacts {
    fn of(c: &crate::Checked<'_, '_>, converted_from: Option<crate::convert::Format>) -> KeyFacts {
        KeyFacts {
            sha256: c.fingerprint(HashAlg::Sha256).to_string(),
            md5_hex: c.fingerprint(HashAlg::Md5).hex().to_string(),
            algorithm: c.algorithm(),
            bits: c.bits(),
            converted_from: converted_from.filter(|f| *f != crate::convert::Format::OpenSsh),
        }
    }
}

impl Imported {
    /// The API's JSON response body.
    pub fn to_json(&self) -> Value {
        match self.api {
            Api::TencentCvm => json!({"Response": {"KeyId": self.key_id, "RequestId": self.request_id}}),
            Api::TencentCvmV2 => json!({"code": 0, "message": "", "codeDesc": "Success", "keyId": self.key_id}),
            Api::AlibabaEcs => json!({
                "RequestId": self.request_id,
                "KeyPairName": self.key_name,
                "KeyPairFingerPrint": self.md5_hex,
            }),
        }
    }

    /// The XML response body (Alibaba's `Format=XML`).
    pub fn to_xml(&self) -> String {
        format!(
            "<ImportKeyPairResponse>\n      <RequestId>{}</RequestId>\n      <KeyPairName>{}</KeyPairName>\n      <KeyPairFingerPrint>{}</KeyPairFingerPrint>\n</ImportKeyPairResponse>",
            xml_escape(&self.request_id),
            xml_escape(&self.key_name),
            xml_escape(&self.md5_hex)
        )
    }
}

impl ProviderError {
    /// The API's JSON error body.
    pub fn to_json(&self) -> Value {
        match self.api {
            Api::TencentCvm => json!({"Response": {
                "Error": {"Code": self.code, "Message": self.message},
                "RequestId": self.request_id,
            }}),
            Api::TencentCvmV2 => json!({
                "code": tencent_cvm::v2_code(self.code),
                "message": self.message,
                "codeDesc": self.code,
            }),
            Api::AlibabaEcs => json!({
                "RequestId": self.request_id,
                "Code": self.code,
                "Message": self.message,
                "HttpStatus": self.http_status,
            }),
        }
    }

    /// The XML error body (Alibaba's `Format=XML`).
    pub fn to_xml(&self) -> String {
        format!(
            "<Error>\n      <RequestId>{}</RequestId>\n      <Code>{}</Code>\n      <Message>{}</Message>\n</Error>",
            xml_escape(&self.request_id),
            xml_escape(self.code),
            xml_escape(&self.message)
        )
    }
}

fn xml_escape(s: &str) -> Cow<'_, str> {
    if !s.contains(['<', '>', '&', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The algorithm set of a documented key-type list.
pub(crate) const fn set_of(algs: &[Algorithm]) -> AlgorithmSet {
    let mut s = AlgorithmSet::EMPTY;
    let mut i = 0;
    while i < algs.len() {
        s = s.with(algs[i]);
        i += 1;
    }
    s
}

/// The profiles by command-line name.
pub const ALL: [&Profile; 3] = [&tencent_cvm::IMPORT, &tencent_cvm::IMPORT_V2, &alibaba_ecs::IMPORT];

/// A profile by its command-line name (`tencent-cvm`, `tencent-cvm-v2`,
/// `alibaba-ecs`).
pub fn by_id(id: &str) -> Option<&'static Profile> {
    ALL.iter().copied().find(|p| p.id == id)
}
