//! The cloud profiles (keyvet-cloud without key generation): ImportKeyPair of
//! Tencent Cloud CVM (API 3.0 and v2) and Alibaba Cloud ECS, answered as
//! `keyvet import` answers, against a store kept in memory.

use keyvet_cloud::{MemoryStore, Provider, RandomIds};
use serde::Deserialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** What a provider answers: its HTTP status, error code (null when the
 *  key pair is imported), JSON body (as `keyvet import` prints it), XML
 *  body (Alibaba's Format=XML) and, for a refusal, keyvet's reason. */
export interface ProviderResponse {
  ok: boolean;
  status: number;
  code: string | null;
  message: string | null;
  reason: string | null;
  body: Record<string, unknown>;
  xml: string | null;
}

/** A profile: its name and the parameter names its API takes. */
export interface ProfileInfo {
  id: string;
  quota: number;
  name: string;
  public_key: string;
  region: string | null;
  project: string | null;
  resource_group: string | null;
  documented_types: string[];
}

/** The projects (Tencent ProjectId) and resource groups (Alibaba
 *  ResourceGroupId) that exist; project 0 always does. */
export interface StoreOptions {
  projects?: number[];
  resourceGroups?: string[];
}
"#;

fn profile(id: &str, quota: Option<u32>) -> Result<Provider, JsError> {
    let mut p = *keyvet_cloud::by_id(id).ok_or_else(|| {
        let names: Vec<&str> = keyvet_cloud::ALL.iter().map(|p| p.id).collect();
        JsError::new(&format!("unknown profile {id:?}: one of {}", names.join(", ")))
    })?;
    if let Some(q) = quota {
        p.quota = q as usize;
    }
    Ok(p)
}

/// A request object (the API's own parameter names) as JSON.
fn request(value: &JsValue) -> Result<Map<String, Value>, JsError> {
    let text: Option<String> = js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string());
    match text.map(|t| serde_json::from_str(&t)) {
        Some(Ok(Value::Object(o))) => Ok(o),
        _ => Err(JsError::new(
            "the request must be a plain object of the API's parameters",
        )),
    }
}

fn answer(p: &Provider, params: &Map<String, Value>, store: &MemoryStore) -> Result<JsValue, JsError> {
    let req = p.request_from_json(params);
    let value = match p.import(&req, store, &RandomIds) {
        Ok(ok) => serde_json::json!({
            "ok": true,
            "status": 200,
            "code": null,
            "message": null,
            "reason": null,
            "body": ok.to_json(),
            "xml": ok.to_xml(),
        }),
        Err(e) => serde_json::json!({
            "ok": false,
            "status": e.http_status,
            "code": e.code,
            "message": e.message,
            "reason": e.rejection.to_string(),
            "body": e.to_json(),
            "xml": e.to_xml(),
        }),
    };
    crate::parse(value.to_string().as_bytes())
}

/// Key pairs imported so far, per scope (account and region), with the
/// providers' uniqueness rules and quotas: what `keyvet import` keeps in
/// memory for a run of requests.
#[wasm_bindgen]
pub struct Store {
    inner: MemoryStore,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct StoreOptions {
    projects: Vec<i64>,
    resource_groups: Vec<String>,
}

#[wasm_bindgen]
impl Store {
    /// An empty store; `options` names the projects and resource groups
    /// that exist.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "StoreOptions | undefined")] options: &JsValue,
    ) -> Result<Store, JsError> {
        let o: StoreOptions = if options.is_undefined() || options.is_null() {
            StoreOptions::default()
        } else {
            let text: String = js_sys::JSON::stringify(options)
                .map_err(|_| JsError::new("store options: not a plain object"))?
                .into();
            serde_json::from_str(&text).map_err(|e| JsError::new(&format!("store options: {e}")))?
        };
        Ok(Store {
            inner: MemoryStore::new()
                .with_projects(o.projects)
                .with_resource_groups(o.resource_groups),
        })
    }

    /// One ImportKeyPair request of `profile` served against this store
    /// (`quota` overrides the provider's).
    #[wasm_bindgen(js_name = importKeyPair, unchecked_return_type = "ProviderResponse")]
    pub fn import_key_pair(
        &self,
        profile: &str,
        #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] request: &JsValue,
        quota: Option<u32>,
    ) -> Result<JsValue, JsError> {
        answer(&self::profile(profile, quota)?, &self::request(request)?, &self.inner)
    }
}

/// What the provider of `profile` answers to one ImportKeyPair request
/// against an empty store: its parameter, name, tag and key rules, codes
/// and bodies (a name taken or the quota are a store's matter: see
/// `Store`).
#[wasm_bindgen(js_name = importKeyPair, unchecked_return_type = "ProviderResponse")]
pub fn import_key_pair(
    profile: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] request: &JsValue,
) -> Result<JsValue, JsError> {
    answer(
        &self::profile(profile, None)?,
        &self::request(request)?,
        &MemoryStore::new(),
    )
}

/// Every profile, with the parameter names its API takes.
#[wasm_bindgen(unchecked_return_type = "ProfileInfo[]")]
pub fn profiles() -> Result<JsValue, JsError> {
    let all: Vec<Value> = keyvet_cloud::ALL.iter().map(|p| p.describe()).collect();
    crate::parse(Value::Array(all).to_string().as_bytes())
}
