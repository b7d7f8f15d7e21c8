//! The service's HTTP API: [`router`] builds the axum [`Router`] that
//! [`serve`](crate::serve()) serves.
//!
//! | endpoint | API |
//! |---|---|
//! | `POST /tencent-cvm/`, header `X-TC-Action: ImportKeyPair`, JSON body (`KeyName`, `ProjectId`, `PublicKey`, `TagSpecification`) | Tencent Cloud CVM API 3.0 |
//! | `GET` or `POST /tencent-cvm/v2/index.php?Action=ImportKeyPair` (`keyName`, `pubKey`) | Tencent CVM legacy v2 |
//! | `GET` or `POST /tencent-cvm/v2/index.php?Action=CreateKeyPair` (`keyName`): a new RSA key pair | Tencent CVM legacy v2 |
//! | `GET` or `POST /tencent-cvm/v2/index.php?Action=DescribeKeyPairs` (`keyIds.n`, `keyName`, `projectId`, `offset`, `limit`) and `Action=DeleteKeyPair` (`keyIds.n`) | Tencent CVM legacy v2 |
//! | `POST /tencent-cvm/`, `X-TC-Action: DescribeKeyPairs` (`KeyIds`, `Filters` `project-id`, `key-name`, `tag-key`, `tag-value`, `tag:KEY`, `Offset`, `Limit`) and `DeleteKeyPairs` (`KeyIds`) | Tencent Cloud CVM API 3.0 |
//! | `GET` or `POST /alibaba-ecs/?Action=ImportKeyPair` (`KeyPairName`, `PublicKeyBody`, `RegionId`, `Tag.N.Key`, `Tag.N.Value`, `ResourceGroupId`, `Format=XML\|JSON`) | Alibaba Cloud ECS |
//! | `GET` or `POST /alibaba-ecs/?Action=DescribeKeyPairs` (`RegionId`, `KeyPairName` with `*`, `KeyPairFingerPrint`, `PageNumber`, `PageSize`, `IncludePublicKey`, `ResourceGroupId`, `Tag.N.Key`, `Tag.N.Value`) and `DeleteKeyPairs` (`RegionId`, `KeyPairNames`: a JSON array) | Alibaba Cloud ECS |
//! | `GET /healthz` | the service: `{"status": "ok"}` while the database answers, else HTTP 503 |
//!
//! Each API is served under its own path prefix; take the prefix away and
//! the path is the provider's own. The v2 and ECS parameters may be in the
//! query string, in an `application/x-www-form-urlencoded` body, or both
//! (the body wins).
//!
//! Answers are the providers' bodies. Tencent answers HTTP 200 and puts
//! errors in the body (`Response.Error.Code` for 3.0, a non-zero `code` and
//! the error code in `codeDesc` for v2). ECS answers XML unless
//! `Format=JSON`, with the error's HTTP status (400, 403, 404, 500).
//! Unknown actions get `InvalidAction` (Tencent) or `InvalidAction.NotFound`
//! (ECS, 404); a missing one `MissingParameter`. Tencent's actions are
//! limited to 10 requests per second per client and action
//! (`RequestLimitExceeded`), as Tencent documents. Bodies over 64 KiB are
//! refused (`RequestSizeLimitExceeded` / the provider's code) before they
//! are read; a body not received within the body timeout is answered
//! HTTP 408 with code `RequestTimeout` (keyvet's, in the provider's error
//! body) and the connection is closed.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Extension, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use keyvet_cloud::generate::NewKey;
use keyvet_cloud::{
    Created, Deleted, IdSource, ImportRequest, Imported, KeyStore, ListPage, Provider, ProviderError, RandomIds,
    Rejection, alibaba_ecs, tencent_cvm,
};
use serde_json::{Map, Value, json};
use tokio::sync::Semaphore;

use crate::rate_limit::{Limiter, RateLimit};

/// The largest request body read (a 16384-bit RSA key, URL-encoded, is
/// under 3 KiB).
pub const BODY_LIMIT: usize = 64 * 1024;

/// What the service serves; `Config::default()` is the documented
/// behaviour.
///
/// ```
/// let c = keyvet_server::Config::default();
/// assert_eq!(c.create_rsa_bits, 2048);
/// assert_eq!(c.tencent_rate_limit, Some(keyvet_server::RateLimit::TENCENT));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Tencent Cloud CVM API 3.0 `ImportKeyPair`.
    pub tencent: Provider,
    /// Tencent Cloud CVM legacy v2 `ImportKeyPair`, `CreateKeyPair`,
    /// `DescribeKeyPairs` and `DeleteKeyPair`.
    pub tencent_v2: Provider,
    /// Alibaba Cloud ECS `ImportKeyPair`.
    pub alibaba: Provider,
    /// The limit of each Tencent action (API 3.0 and v2), per client
    /// address and action (`None`: no limit).
    pub tencent_rate_limit: Option<RateLimit>,
    /// The size of the RSA keys `CreateKeyPair` makes.
    pub create_rsa_bits: usize,
    /// How long a client has to send a request body once its headers are
    /// in.
    pub body_timeout: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            tencent: tencent_cvm::IMPORT,
            tencent_v2: tencent_cvm::IMPORT_V2,
            alibaba: alibaba_ecs::IMPORT,
            tencent_rate_limit: Some(RateLimit::TENCENT),
            create_rsa_bits: 2048,
            body_timeout: Duration::from_secs(10),
        }
    }
}

/// A request's ID: the one its answer body carries (`RequestId`) and its
/// log line. [`serve`](crate::serve()) sets one on every request before
/// routing; a request without one gets a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// What a request came to, attached to its response for the request log:
/// the API, the action (when it is one the API serves) and the error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The API (`tencent-cvm`, `tencent-cvm-v2`, `alibaba-ecs`, `service`).
    pub api: &'static str,
    /// The action, when the API serves it.
    pub action: Option<&'static str>,
    /// The error code, or `None` on success.
    pub code: Option<&'static str>,
}

struct AppState {
    store: Arc<dyn KeyStore>,
    config: Config,
    limiter: Option<Limiter>,
    /// Key generations running at once (one per core).
    keygen: Semaphore,
}

/// The router. [`serve`](crate::serve()) serves it with the client's
/// address and a request ID in each request's extensions; served another
/// way, all clients share one rate limit.
///
/// ```
/// use std::sync::Arc;
/// let store = Arc::new(keyvet_cloud::MemoryStore::new());
/// let _router = keyvet_server::router(store, keyvet_server::Config::default());
/// ```
pub fn router(store: Arc<dyn KeyStore>, config: Config) -> Router {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let state = AppState {
        store,
        config,
        limiter: config.tencent_rate_limit.map(Limiter::new),
        keygen: Semaphore::new(cores),
    };
    Router::new()
        .route("/tencent-cvm/", axum::routing::post(tencent_v3))
        .route("/tencent-cvm/v2/index.php", get(tencent_v2).post(tencent_v2))
        .route("/alibaba-ecs/", get(alibaba).post(alibaba))
        .route("/healthz", get(health))
        .with_state(Arc::new(state))
}

/// The IDs of one request: its request ID, and new key IDs.
struct Ids(String);

impl IdSource for Ids {
    fn request_id(&self) -> String {
        self.0.clone()
    }

    fn key_id(&self) -> String {
        RandomIds.key_id()
    }
}

fn request_id(id: Option<Extension<RequestId>>) -> String {
    id.map_or_else(|| RandomIds.request_id(), |Extension(RequestId(id))| id)
}

fn client_ip(client: Option<Extension<ConnectInfo<SocketAddr>>>) -> IpAddr {
    client.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |Extension(ConnectInfo(a))| a.ip())
}

/// `GET /healthz`: whether the database answers.
async fn health(State(app): State<Arc<AppState>>) -> Response {
    let store = Arc::clone(&app.store);
    let healthy = tokio::task::spawn_blocking(move || store.healthy())
        .await
        .unwrap_or(false);
    let (status, body) = if healthy {
        (StatusCode::OK, json!({"status": "ok"}))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, json!({"status": "unavailable"}))
    };
    with_outcome(
        (status, axum::Json(body)).into_response(),
        "service",
        Some("Health"),
        (!healthy).then_some("Unavailable"),
    )
}

/// Tencent Cloud API 3.0: `POST` a JSON body, the action in `X-TC-Action`;
/// every answer is HTTP 200, errors in `Response.Error`.
async fn tencent_v3(
    State(app): State<Arc<AppState>>,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
    id: Option<Extension<RequestId>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let rid = request_id(id);
    let profile = app.config.tencent;
    let action = match headers.get("x-tc-action").map(|v| v.to_str().unwrap_or("")) {
        Some("ImportKeyPair") => Some("ImportKeyPair"),
        Some("DescribeKeyPairs") => Some("DescribeKeyPairs"),
        Some("DeleteKeyPairs") => Some("DeleteKeyPairs"),
        _ => None,
    };
    let (action, result) = match (action, headers.get("x-tc-action")) {
        (Some(action), _) => {
            let result = async {
                // The body first (bounded): a connection whose request body
                // is left unread cannot carry the client's next request.
                let body = read_body(&app, &profile, &headers, body, &rid).await?;
                limit(&app, &profile, client_ip(client), action, &rid)?;
                let Ok(Value::Object(obj)) = serde_json::from_slice(&body) else {
                    return Err(invalid(&profile, "request body", "not a JSON object", &rid));
                };
                match action {
                    "ImportKeyPair" => {
                        let req = profile.request_from_json(&obj);
                        import(&app, profile, req, rid.clone()).await.map(|ok| ok.to_json())
                    }
                    "DescribeKeyPairs" => describe(&app, profile, obj, rid.clone())
                        .await
                        .map(|page| profile.api.list_body(&page)),
                    _ => delete(&app, profile, obj, rid.clone())
                        .await
                        .map(|d| profile.api.delete_body(&d)),
                }
            }
            .await;
            (Some(action), result)
        }
        (None, None) => (None, Err(missing(&profile, "X-TC-Action", &rid))),
        (None, Some(_)) => (
            None,
            Err(refusal(
                &profile,
                "InvalidAction",
                200,
                "The requested API does not exist: this endpoint serves ImportKeyPair, DescribeKeyPairs and DeleteKeyPairs.",
                &rid,
            )),
        ),
    };
    json_answer(profile.id, action, result)
}

/// Tencent's legacy v2 API: `Action` and parameters in the query string or
/// a form body; every answer is HTTP 200 with a `code` (0 on success).
async fn tencent_v2(
    State(app): State<Arc<AppState>>,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
    id: Option<Extension<RequestId>>,
    Query(query): Query<Params>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let rid = request_id(id);
    let profile = app.config.tencent_v2;
    let params = params(&app, &profile, query, &headers, body, &rid).await;
    let (action, result) = match params {
        Err(e) => (None, Err(e)),
        Ok(params) => match params.get("Action").and_then(Value::as_str) {
            Some("ImportKeyPair") => {
                let action = "ImportKeyPair";
                let result = match limit(&app, &profile, client_ip(client), action, &rid) {
                    Err(e) => Err(e),
                    Ok(()) => {
                        let req = profile.request_from_json(&params);
                        import(&app, profile, req, rid).await.map(|ok| ok.to_json())
                    }
                };
                (Some(action), result)
            }
            Some("CreateKeyPair") => {
                let action = "CreateKeyPair";
                let result = match limit(&app, &profile, client_ip(client), action, &rid) {
                    Err(e) => Err(e),
                    Ok(()) => {
                        let name = params.get("keyName").and_then(Value::as_str).map(String::from);
                        create(&app, profile, name, rid).await.map(|c| c.to_json())
                    }
                };
                (Some(action), result)
            }
            Some(name @ ("DescribeKeyPairs" | "DeleteKeyPair")) => {
                let action = if name == "DeleteKeyPair" {
                    "DeleteKeyPair"
                } else {
                    "DescribeKeyPairs"
                };
                let result = match limit(&app, &profile, client_ip(client), action, &rid) {
                    Err(e) => Err(e),
                    Ok(()) if action == "DescribeKeyPairs" => describe(&app, profile, params, rid)
                        .await
                        .map(|page| profile.api.list_body(&page)),
                    Ok(()) => delete(&app, profile, params, rid)
                        .await
                        .map(|d| profile.api.delete_body(&d)),
                };
                (Some(action), result)
            }
            None => (None, Err(missing(&profile, "Action", &rid))),
            Some(_) => (
                None,
                Err(refusal(
                    &profile,
                    "InvalidAction",
                    200,
                    "The requested API does not exist: this endpoint serves ImportKeyPair, CreateKeyPair, DescribeKeyPairs and DeleteKeyPair.",
                    &rid,
                )),
            ),
        },
    };
    json_answer(profile.id, action, result)
}

/// Alibaba Cloud ECS (RPC style): `Action` and parameters in the query
/// string or a form body; XML unless `Format=JSON`; the HTTP status is the
/// error's.
async fn alibaba(
    State(app): State<Arc<AppState>>,
    id: Option<Extension<RequestId>>,
    Query(query): Query<Params>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let rid = request_id(id);
    let profile = app.config.alibaba;
    let is_json = |f: &str| f.eq_ignore_ascii_case("json");
    // The query string's format answers a body that could not be read.
    let query_json = query.iter().any(|(k, v)| k == "Format" && is_json(v));
    let params = params(&app, &profile, query, &headers, body, &rid).await;
    // XML is the ECS API's default format.
    let xml = match &params {
        Ok(p) => !p.get("Format").and_then(Value::as_str).is_some_and(is_json),
        Err(_) => !query_json,
    };
    let (action, result) = match params {
        Err(e) => (None, Err(e)),
        Ok(params) => match params.get("Action").and_then(Value::as_str) {
            Some("ImportKeyPair") => {
                let req = profile.request_from_json(&params);
                let result = import(&app, profile, req, rid).await;
                (
                    Some("ImportKeyPair"),
                    ecs_answer(result, xml, Imported::to_xml, Imported::to_json),
                )
            }
            Some("DescribeKeyPairs") => {
                let result = describe(&app, profile, params, rid).await;
                let answer = ecs_answer(result, xml, |p| profile.api.list_xml(p), |p| profile.api.list_body(p));
                (Some("DescribeKeyPairs"), answer)
            }
            Some("DeleteKeyPairs") => {
                let result = delete(&app, profile, params, rid).await;
                let answer = ecs_answer(
                    result,
                    xml,
                    |d| profile.api.delete_xml(d),
                    |d| profile.api.delete_body(d),
                );
                (Some("DeleteKeyPairs"), answer)
            }
            None => (None, Err(missing(&profile, "Action", &rid))),
            Some(_) => (
                None,
                Err(refusal(
                    &profile,
                    "InvalidAction.NotFound",
                    404,
                    "Specified api is not found, please check your url and method.",
                    &rid,
                )),
            ),
        },
    };
    let code = result.as_ref().err().map(|e| e.code);
    let response = match (result, xml) {
        (Ok(response), _) => response,
        (Err(e), true) => error_response(&e, xml_body(e.http_status, e.to_xml().unwrap_or_default())),
        (Err(e), false) => error_response(&e, json(e.http_status, e.to_json())),
    };
    with_outcome(response, profile.id, action, code)
}

/// An ECS call's success in the format asked for (XML or JSON); an error
/// is passed on.
fn ecs_answer<T>(
    result: Result<T, ProviderError>,
    xml: bool,
    to_xml: impl FnOnce(&T) -> Option<String>,
    to_json: impl FnOnce(&T) -> Value,
) -> Result<Response, ProviderError> {
    let ok = result?;
    Ok(if xml {
        xml_body(200, to_xml(&ok).unwrap_or_default())
    } else {
        json(200, to_json(&ok))
    })
}

/// Runs one call against the store on the blocking pool, with the
/// request's IDs: the store may block (SQLite writes and syncs before it
/// answers).
async fn on_store<T: Send + 'static>(
    app: &AppState,
    profile: Provider,
    rid: String,
    call: impl FnOnce(&dyn KeyStore, &Ids) -> Result<T, ProviderError> + Send + 'static,
) -> Result<T, ProviderError> {
    let store = Arc::clone(&app.store);
    let ids = Ids(rid.clone());
    tokio::task::spawn_blocking(move || call(&*store, &ids))
        .await
        .unwrap_or_else(|_| Err(profile.error(Rejection::Internal, rid)))
}

async fn import(app: &AppState, profile: Provider, req: ImportRequest, rid: String) -> Result<Imported, ProviderError> {
    on_store(app, profile, rid, move |store, ids| profile.import(&req, store, ids)).await
}

async fn describe(
    app: &AppState,
    profile: Provider,
    params: Map<String, Value>,
    rid: String,
) -> Result<ListPage, ProviderError> {
    on_store(app, profile, rid, move |store, ids| {
        profile.describe_key_pairs(&params, store, ids)
    })
    .await
}

async fn delete(
    app: &AppState,
    profile: Provider,
    params: Map<String, Value>,
    rid: String,
) -> Result<Deleted, ProviderError> {
    on_store(app, profile, rid, move |store, ids| {
        profile.delete_key_pairs(&params, store, ids)
    })
    .await
}

/// Serves a create: RSA key generation takes tens of milliseconds of CPU,
/// so it runs on the blocking pool, at most one per core at a time.
async fn create(
    app: &AppState,
    profile: Provider,
    name: Option<String>,
    rid: String,
) -> Result<Created, ProviderError> {
    let _permit = app.keygen.acquire().await;
    let kind = NewKey::Rsa(app.config.create_rsa_bits);
    on_store(app, profile, rid, move |store, ids| {
        profile.create(name.as_deref(), kind, store, ids)
    })
    .await
}

/// Takes a token for `action` from the client's bucket.
fn limit(
    app: &AppState,
    profile: &Provider,
    client: IpAddr,
    action: &'static str,
    rid: &str,
) -> Result<(), ProviderError> {
    let Some(limiter) = &app.limiter else {
        return Ok(());
    };
    if limiter.allow(client, action) {
        return Ok(());
    }
    let RateLimit { requests, per } = limiter.limit();
    let message =
        format!("The number of requests exceeds the frequency limit: {action} allows {requests} requests per {per:?}.");
    Err(refusal(profile, "RequestLimitExceeded", 200, message, rid))
}

/// Reads a request body: at most [`BODY_LIMIT`] bytes (a larger declared
/// length is refused before reading), within the body timeout.
async fn read_body(
    app: &AppState,
    profile: &Provider,
    headers: &HeaderMap,
    body: Body,
    rid: &str,
) -> Result<Bytes, ProviderError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return Err(profile.oversized_request(BODY_LIMIT, rid.to_string()));
    }
    let read = Limited::new(body, BODY_LIMIT).collect();
    match tokio::time::timeout(app.config.body_timeout, read).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(profile.oversized_request(BODY_LIMIT, rid.to_string()))
        }
        Ok(Err(_)) => Err(invalid(profile, "request body", "unreadable", rid)),
        Err(_) => {
            let message = format!(
                "The request body was not received within {} s.",
                app.config.body_timeout.as_secs_f64()
            );
            Err(refusal(profile, "RequestTimeout", 408, message, rid))
        }
    }
}

type Params = Vec<(String, String)>;

/// The query string's parameters and a form body's (which win), as the
/// JSON object [`ImportRequest`]s are read from. A body that is not a form
/// is read (bounded) and ignored.
async fn params(
    app: &AppState,
    profile: &Provider,
    query: Params,
    headers: &HeaderMap,
    body: Body,
    rid: &str,
) -> Result<Map<String, Value>, ProviderError> {
    let body = read_body(app, profile, headers, body, rid).await?;
    let form = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/x-www-form-urlencoded"));
    let body: Params = if form {
        serde_urlencoded::from_bytes(&body).map_err(|_| invalid(profile, "request body", "not a form", rid))?
    } else {
        Vec::new()
    };
    Ok(query
        .into_iter()
        .chain(body)
        .map(|(k, v)| (k, Value::String(v)))
        .collect())
}

fn missing(profile: &Provider, parameter: &'static str, rid: &str) -> ProviderError {
    profile.error(Rejection::MissingParameter(parameter), rid.to_string())
}

/// An error of the API's common codes, which no keyvet rejection names.
fn refusal(
    profile: &Provider,
    code: &'static str,
    http_status: u16,
    message: impl Into<Cow<'static, str>>,
    rid: &str,
) -> ProviderError {
    profile.common_error(code, http_status, message, rid.to_string())
}

fn invalid(profile: &Provider, parameter: &'static str, reason: &'static str, rid: &str) -> ProviderError {
    profile.error(Rejection::InvalidParameter { parameter, reason }, rid.to_string())
}

/// A JSON answer (Tencent's APIs).
fn json_answer(api: &'static str, action: Option<&'static str>, result: Result<Value, ProviderError>) -> Response {
    match result {
        Ok(body) => with_outcome(json(200, body), api, action, None),
        Err(e) => with_outcome(
            error_response(&e, json(e.http_status, e.to_json())),
            api,
            action,
            Some(e.code),
        ),
    }
}

/// An error's response; the connection closes after a timed-out body (the
/// rest of it may still come).
fn error_response(e: &ProviderError, mut response: Response) -> Response {
    if e.code == "RequestTimeout" {
        response
            .headers_mut()
            .insert(header::CONNECTION, header::HeaderValue::from_static("close"));
    }
    response
}

fn with_outcome(
    mut response: Response,
    api: &'static str,
    action: Option<&'static str>,
    code: Option<&'static str>,
) -> Response {
    response.extensions_mut().insert(Outcome { api, action, code });
    response
}

fn json(status: u16, body: Value) -> Response {
    (status_code(status), axum::Json(body)).into_response()
}

fn xml_body(status: u16, body: String) -> Response {
    (
        status_code(status),
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
