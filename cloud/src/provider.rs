//! A provider: one cloud key-pair API as a value. Its data (parameter
//! names, scope, name and tag rules, accepted key types, quota) and its
//! syntax (the [`Api`]: tag parameters, response and error bodies, error
//! codes) come from the vendor's own file; the generic steps here serve any
//! provider in the same order.

use std::borrow::Cow;

use keyvet::{Format, Policy};
use serde_json::{Map, Value};

use crate::api::{Api, Imported, ProviderError};
use crate::request::string_param;
use crate::store::{Conflict, DeleteError, KeyStore, StoredKey};
use crate::{DeleteRequest, Deleted, ListPage};
use crate::{IdSource, ImportRequest, NameRules, Rejection, TagRules};

/// The parameter names of a request, as the API spells them. A parameter
/// the API does not have is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// The key pair's name (`KeyName`, `keyName`, `KeyPairName`).
    pub name: &'static str,
    /// The public key (`PublicKey`, `pubKey`, `PublicKeyBody`).
    pub public_key: &'static str,
    /// A required project, which must exist in the store (Tencent 3.0
    /// `ProjectId`).
    pub project: Option<&'static str>,
    /// A required region, which scopes key pairs (Alibaba `RegionId`).
    pub region: Option<&'static str>,
    /// An optional resource group, which must exist in the store (Alibaba
    /// `ResourceGroupId`).
    pub resource_group: Option<&'static str>,
}

/// A cloud key-pair API: its rules and limits, and how it speaks.
///
/// A provider is a value: start from a vendor's and change what your
/// deployment does differently (accepted types, RSA floor, quota).
///
/// ```
/// use keyvet_cloud::{MemoryStore, RandomIds, Provider, tencent_cvm};
/// let p = Provider { quota: 1, ..tencent_cvm::IMPORT };
/// let store = MemoryStore::new();
/// let key = std::fs::read_to_string("../corpus/valid/rsa-2048.pub").unwrap();
/// let req = p.request_from_params([("KeyName", "build_key"), ("ProjectId", "0"), ("PublicKey", key.as_str())]);
/// assert!(p.import(&req, &store, &RandomIds).unwrap().key_id.starts_with("skey-"));
/// let again = p.import(&req, &store, &RandomIds).unwrap_err();
/// assert_eq!(again.code, "InvalidKeyPairName.Duplicate");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Provider {
    /// The provider's name on the command line (`tencent-cvm`, ...).
    pub id: &'static str,
    /// Key pairs live in `{scope}/{region}` when the API has a region
    /// parameter, else in `{scope}/default`; APIs of one account share it.
    pub scope: &'static str,
    /// The parameter names.
    pub params: Params,
    /// Key-pair name rules.
    pub key_name: NameRules,
    /// Tag rules.
    pub tags: TagRules,
    /// How uploaded keys are checked. Its `algorithms` are the key types
    /// the API documents; `min_rsa_bits` is the provider's RSA floor.
    pub policy: Policy,
    /// The key types as the API documentation lists them.
    pub documented_types: &'static [&'static str],
    /// Most key pairs per scope (account or region).
    pub quota: usize,
    /// Refuse a key already stored under another name.
    pub unique_keys: bool,
    /// The API's syntax.
    pub api: &'static dyn Api,
}

impl Provider {
    /// The provider as the bindings list it: its name, quota, parameter
    /// names (`null` for those its API lacks) and documented key types.
    ///
    /// ```
    /// let d = keyvet_cloud::alibaba_ecs::IMPORT.describe();
    /// assert_eq!((d["id"].as_str(), d["region"].as_str()), (Some("alibaba-ecs"), Some("RegionId")));
    /// assert!(d["project"].is_null());
    /// ```
    pub fn describe(&self) -> Value {
        serde_json::json!({
            "id": self.id,
            "quota": self.quota,
            "name": self.params.name,
            "public_key": self.params.public_key,
            "region": self.params.region,
            "project": self.params.project,
            "resource_group": self.params.resource_group,
            "documented_types": self.documented_types,
        })
    }

    /// Reads a request from a JSON object with the API's own parameter
    /// names. Parameters in a form the API refuses are recorded in
    /// [`ImportRequest::malformed`].
    pub fn request_from_json(&self, params: &Map<String, Value>) -> ImportRequest {
        let get = |k: &str| params.get(k).and_then(string_param);
        let mut r = ImportRequest {
            name: get(self.params.name),
            public_key: get(self.params.public_key),
            project_id: self.params.project.and_then(|p| params.get(p).cloned()),
            region: self.params.region.and_then(get),
            resource_group: self.params.resource_group.and_then(get),
            ..ImportRequest::default()
        };
        match self.api.read_tags(params) {
            Ok(t) => r.tags = t,
            Err(rej) => r.malformed = Some(rej),
        }
        r
    }

    /// Reads a request from name-value parameters, as a query string or a
    /// form body carries them (`Tag.1.Key=env`, ...).
    pub fn request_from_params<K: Into<String>, V: Into<String>>(
        &self,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> ImportRequest {
        let obj: Map<String, Value> = params
            .into_iter()
            .map(|(k, v)| (k.into(), Value::String(v.into())))
            .collect();
        self.request_from_json(&obj)
    }

    /// An error of the API's common codes (`InvalidAction`,
    /// `RequestLimitExceeded`, ...) in the API's error body, for servers
    /// that embed a provider.
    ///
    /// ```
    /// use keyvet_cloud::tencent_cvm;
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

    /// The provider's error for a request body over `limit` bytes.
    pub fn oversized_request(&self, limit: usize, request_id: String) -> ProviderError {
        let (code, status) = self.api.oversized_request();
        let message = format!("The request body is larger than {} KiB.", limit / 1024);
        self.common_error(code, status, message, request_id)
    }

    /// The provider error for a rejection.
    pub fn error(&self, rejection: Rejection, request_id: String) -> ProviderError {
        if let Rejection::Common { code, http_status } = rejection {
            return self.common_error(code, http_status, code, request_id);
        }
        let (code, http_status, message) = self.api.error(&rejection);
        ProviderError {
            api: self.api,
            code,
            http_status,
            message,
            request_id,
            rejection: Box::new(rejection),
        }
    }

    /// The store scope of a request.
    fn scope(&self, req: &ImportRequest) -> Result<String, Rejection> {
        self.scope_of(req.region.as_deref())
    }

    /// The store scope of a region parameter's value.
    fn scope_of(&self, region: Option<&str>) -> Result<String, Rejection> {
        match self.params.region {
            None => Ok(format!("{}/default", self.scope)),
            Some(param) => match region {
                Some("") | None => Err(Rejection::MissingParameter(param)),
                // A region is a short lowercase word (`cn-hangzhou`): never
                // a store scope of any length or with any byte.
                Some(r)
                    if r.len() <= 64
                        && r.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
                {
                    Ok(format!("{}/{r}", self.scope))
                }
                Some(_) => Err(Rejection::RegionNotFound),
            },
        }
    }

    /// Vets the uploaded key with the provider's policy ([`keyvet::vet`]):
    /// private keys, paste mistakes and keys the policy refuses are the
    /// provider's malformed-key error; an RFC 4716 or PEM public key is
    /// converted.
    fn check_key(&self, text: &str) -> Result<KeyFacts, Rejection> {
        let v = keyvet::vet::vet(text.as_bytes(), &self.policy).map_err(Rejection::Key)?;
        Ok(KeyFacts {
            line: v.line,
            sha256: v.report.sha256.to_string(),
            md5_hex: v.report.md5.hex().to_string(),
            algorithm: v.report.algorithm,
            bits: v.report.bits,
            converted_from: v.converted_from,
        })
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
        // A request the API cannot read at all, then required parameters.
        if let Some(m) = &req.malformed {
            return Err(m.clone());
        }
        let name = req
            .name
            .as_deref()
            .ok_or(Rejection::MissingParameter(self.params.name))?;
        let key = match req.public_key.as_deref() {
            Some(k) if !k.trim().is_empty() => k,
            _ => return Err(Rejection::MissingParameter(self.params.public_key)),
        };
        let scope = self.scope(req)?;
        if let Some(param) = self.params.project
            && req.project_id.is_none()
        {
            return Err(Rejection::MissingParameter(param));
        }
        self.key_name.check(name)?;
        let mut project_id = 0;
        if let (Some(param), Some(p)) = (self.params.project, &req.project_id) {
            let id = match p {
                Value::Number(n) => n.as_i64(),
                Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
                _ => None,
            }
            .ok_or(Rejection::InvalidParameter {
                parameter: param,
                reason: "not an integer",
            })?;
            if !store.project_exists(id) {
                return Err(Rejection::ProjectNotFound(id));
            }
            project_id = id;
        }
        self.tags.check(&req.tags)?;
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
                    md5: facts.md5_hex.clone(),
                    public_key: facts.line,
                    created_at: now(),
                    project_id,
                    resource_group: req.resource_group.clone().filter(|g| !g.is_empty()),
                    tags: req
                        .tags
                        .iter()
                        .filter_map(|t| Some((t.key.clone()?, t.value.clone().unwrap_or_default())))
                        .collect(),
                },
                self.quota,
                self.unique_keys,
            )
            .map_err(rejection_of)?;
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

    /// Serves a create-key-pair request: checks the name, creates the key
    /// with [`crate::generate::new_key`], checks that keyvet accepts its
    /// public half, and stores it (the private key is not stored). Needs the
    /// `generate` feature (a default).
    ///
    /// # Errors
    /// The provider's error body (`InvalidAction` for an API without a
    /// create call).
    #[cfg(feature = "generate")]
    pub fn create(
        &self,
        name: Option<&str>,
        kind: crate::generate::NewKey,
        store: &dyn KeyStore,
        ids: &dyn IdSource,
    ) -> Result<crate::Created, ProviderError> {
        let request_id = ids.request_id();
        let fail = |rej| Err(self.error(rej, request_id.clone()));
        if !self.api.creates() {
            return fail(Rejection::Common {
                code: "InvalidAction",
                http_status: 400,
            });
        }
        let Some(name) = name else {
            return fail(Rejection::MissingParameter(self.params.name));
        };
        if let Err(rej) = self.key_name.check(name) {
            return fail(rej);
        }
        if let crate::generate::NewKey::Rsa(bits) = kind
            && !crate::generate::RSA_BITS.contains(&bits)
        {
            return fail(Rejection::InvalidParameter {
                parameter: "bits",
                reason: "RSA keys are made with 2048 to 16384 bits",
            });
        }
        let scope = format!("{}/default", self.scope);
        // Key generation is costly: refuse a taken name or a full scope
        // before it (the insert below still decides, atomically).
        if store.contains_name(&scope, name) {
            return fail(Rejection::NameDuplicate);
        }
        if store.count(&scope) >= self.quota {
            return fail(Rejection::Quota);
        }
        let Ok(key) = crate::generate::new_key(kind, &crate::generate::generated_comment()) else {
            return fail(Rejection::Internal);
        };
        let Ok(v) = keyvet::vet::vet(key.public_line.as_bytes(), &keyvet::policy::STRICT) else {
            return fail(Rejection::Internal);
        };
        let key_id = ids.key_id();
        let stored = StoredKey {
            name: name.to_string(),
            fingerprint: v.report.sha256.to_string(),
            key_id: key_id.clone(),
            md5: v.report.md5.hex().to_string(),
            public_key: v.line,
            created_at: now(),
            ..StoredKey::default()
        };
        if let Err(c) = store.insert(&scope, stored, self.quota, self.unique_keys) {
            return fail(rejection_of(c));
        }
        Ok(crate::Created {
            api: self.api,
            key_id,
            key_name: name.to_string(),
            public_line: key.public_line,
            private_pem: key.private_pem,
            request_id,
        })
    }

    /// Serves a describe call (`DescribeKeyPairs`): the API reads its
    /// filters and paging, and the scope's key pairs are filtered and paged.
    ///
    /// # Errors
    /// The provider's error body (`InvalidAction` for an API without one).
    pub fn describe_key_pairs(
        &self,
        params: &Map<String, Value>,
        store: &dyn KeyStore,
        ids: &dyn IdSource,
    ) -> Result<ListPage, ProviderError> {
        let request_id = ids.request_id();
        let fail = |rej| self.error(rej, request_id.clone());
        let (req, scope) = self.read_call(self.api.read_list(params), params).map_err(fail)?;
        let keys = store.list(&scope).map_err(|_| fail(Rejection::Internal))?;
        let mut page = req.page(keys);
        page.request_id.clone_from(&request_id);
        Ok(page)
    }

    /// Serves a delete call (`DeleteKeyPairs`): by key ID, all or nothing;
    /// by name, the names in the scope.
    ///
    /// # Errors
    /// The provider's error body (`InvalidAction` for an API without one).
    pub fn delete_key_pairs(
        &self,
        params: &Map<String, Value>,
        store: &dyn KeyStore,
        ids: &dyn IdSource,
    ) -> Result<Deleted, ProviderError> {
        let request_id = ids.request_id();
        let fail = |rej| self.error(rej, request_id.clone());
        let (req, scope) = self.read_call(self.api.read_delete(params), params).map_err(fail)?;
        let (key_ids, all_must_exist) = match req {
            DeleteRequest::KeyIds(ids) => (ids, true),
            DeleteRequest::Names(names) => {
                let keys = store.list(&scope).map_err(|_| fail(Rejection::Internal))?;
                let ids = keys
                    .into_iter()
                    .filter(|k| names.contains(&k.name))
                    .map(|k| k.key_id)
                    .collect();
                (ids, false)
            }
            DeleteRequest::EachKeyId(ids) => {
                // One deletion each, so that what is reported deleted is
                // what this call deleted (of two services deleting one key
                // at once, one finds it gone).
                let (mut deleted, mut missing) = (Vec::new(), Vec::new());
                for id in ids {
                    match store.delete(&scope, std::slice::from_ref(&id), true) {
                        Ok(_) => deleted.push(id),
                        Err(DeleteError::NotFound(_)) => missing.push(id),
                        Err(_) => return Err(fail(Rejection::Internal)),
                    }
                }
                return Ok(Deleted {
                    key_ids: deleted,
                    missing,
                    request_id,
                });
            }
        };
        match store.delete(&scope, &key_ids, all_must_exist) {
            Ok(_) => Ok(Deleted {
                key_ids,
                missing: Vec::new(),
                request_id,
            }),
            Err(DeleteError::NotFound(id)) => Err(fail(Rejection::KeyPairNotFound(id))),
            Err(_) => Err(fail(Rejection::Internal)),
        }
    }

    /// A describe or delete call's checks, in the API's order: the API has
    /// the call (`read` is `Some`, else `InvalidAction`), the region is
    /// one, and the call's own parameters read. Returns them and the scope.
    fn read_call<R>(
        &self,
        read: Option<Result<R, Rejection>>,
        params: &Map<String, Value>,
    ) -> Result<(R, String), Rejection> {
        let read = read.ok_or(Rejection::Common {
            code: "InvalidAction",
            http_status: 400,
        })?;
        let region = self.params.region.and_then(|p| params.get(p)).and_then(string_param);
        let scope = self.scope_of(region.as_deref())?;
        Ok((read?, scope))
    }
}

/// Now, in seconds since the Unix epoch.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The WebAssembly package (browsers, Node) has no system clock here
/// (`SystemTime::now` panics on wasm32-unknown-unknown): its key pairs,
/// kept in memory for one page, carry no creation time.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn now() -> i64 {
    0
}

fn rejection_of(c: Conflict) -> Rejection {
    match c {
        Conflict::Name => Rejection::NameDuplicate,
        Conflict::Key => Rejection::KeyDuplicate,
        Conflict::Quota => Rejection::Quota,
        Conflict::Unavailable => Rejection::Internal,
    }
}

struct KeyFacts {
    line: String,
    sha256: String,
    md5_hex: String,
    algorithm: keyvet::Algorithm,
    bits: u32,
    converted_from: Option<Format>,
}
