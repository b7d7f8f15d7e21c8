//! The example server's routes: [`router`] builds the axum [`Router`] that
//! `main.rs` serves (the endpoints are listed there). `tests/http.rs`
//! includes this file and serves the same router on a loopback socket.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FormRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Extension, Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use keyvet_cloud::generate::NewKey;
use keyvet_cloud::{
    Created, IdSource, ImportRequest, Imported, KeyStore, Provider, ProviderError, RandomIds, Rejection, alibaba_ecs,
    tencent_cvm,
};
use serde_json::{Map, Value};
use tokio::sync::Semaphore;

/// The largest request body read (a 16384-bit RSA key, URL-encoded, is
/// under 3 KiB).
pub const BODY_LIMIT: usize = 64 * 1024;

/// What the server serves; `Config::default()` is the documented behaviour.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Tencent Cloud CVM API 3.0 `ImportKeyPair`.
    pub tencent: Provider,
    /// Tencent Cloud CVM legacy v2 `ImportKeyPair` and `CreateKeyPair`.
    pub tencent_v2: Provider,
    /// Alibaba Cloud ECS `ImportKeyPair`.
    pub alibaba: Provider,
    /// The API 3.0 request limit, per client address (`None`: no limit).
    pub tencent_rate_limit: Option<RateLimit>,
    /// The size of the RSA keys `CreateKeyPair` makes.
    pub create_rsa_bits: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            tencent: tencent_cvm::IMPORT,
            tencent_v2: tencent_cvm::IMPORT_V2,
            alibaba: alibaba_ecs::IMPORT,
            // "A maximum of 10 requests can be initiated per second for this API."
            tencent_rate_limit: Some(RateLimit {
                requests: 10,
                per: Duration::from_secs(1),
            }),
            create_rsa_bits: 2048,
        }
    }
}

/// At most `requests` per `per` (a token bucket: bursts of up to
/// `requests`, refilled steadily).
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    /// Requests allowed per period.
    pub requests: u32,
    /// The period.
    pub per: Duration,
}

struct AppState {
    store: Arc<dyn KeyStore>,
    config: Config,
    limiter: Option<Limiter>,
    /// Key generations running at once (one per core).
    keygen: Semaphore,
}

/// The router. Serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()` so the API 3.0
/// rate limit is per client address (without it, all clients share one
/// limit).
pub fn router(store: Arc<dyn KeyStore>, config: Config) -> Router {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let state = AppState {
        store,
        config,
        limiter: config.tencent_rate_limit.map(Limiter::new),
        keygen: Semaphore::new(cores),
    };
    Router::new()
        .route("/tencent-cvm/", post(tencent_v3))
        .route("/tencent-cvm/v2/index.php", get(tencent_v2).post(tencent_v2))
        .route("/alibaba-ecs/", get(alibaba).post(alibaba))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(Arc::new(state))
}

/// Tencent Cloud API 3.0: `POST` a JSON body, the action in `X-TC-Action`;
/// every answer is HTTP 200, errors in `Response.Error`.
async fn tencent_v3(
    State(app): State<Arc<AppState>>,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let profile = app.config.tencent;
    let result = match headers.get("x-tc-action").map(|v| v.to_str().unwrap_or("")) {
        Some("ImportKeyPair") => {
            let ip = client.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |Extension(ConnectInfo(a))| a.ip());
            tencent_v3_import(&app, ip, body).await
        }
        None => Err(missing(&profile, "X-TC-Action")),
        Some(_) => Err(refusal(
            &profile,
            "InvalidAction",
            200,
            "The requested API does not exist: this endpoint serves ImportKeyPair.",
        )),
    };
    match result {
        Ok(body) => json(200, body),
        Err(e) => json(e.http_status, e.to_json()),
    }
}

/// API 3.0 `ImportKeyPair`: the rate limit, then the JSON body.
async fn tencent_v3_import(
    app: &AppState,
    client: IpAddr,
    body: Result<Bytes, BytesRejection>,
) -> Result<Value, ProviderError> {
    let profile = app.config.tencent;
    // Tencent counts per account; this server has no accounts, so it
    // counts per client address.
    if let Some(limiter) = &app.limiter
        && !limiter.allow(client)
    {
        let RateLimit { requests, per } = limiter.limit;
        let message = format!(
            "The number of requests exceeds the frequency limit: ImportKeyPair allows {requests} requests per {per:?}."
        );
        return Err(refusal(&profile, "RequestLimitExceeded", 200, message));
    }
    let body = body.map_err(|e| body_error(&profile, e.status()))?;
    let Ok(Value::Object(obj)) = serde_json::from_slice(&body) else {
        return Err(invalid(&profile, "request body", "not a JSON object"));
    };
    let req = profile.request_from_json(&obj);
    import(app, profile, req).await.map(|ok| ok.to_json())
}

/// Tencent's legacy v2 API: `Action` and parameters in the query string or
/// a form body; every answer is HTTP 200 with a `code` (0 on success).
async fn tencent_v2(
    State(app): State<Arc<AppState>>,
    Query(query): Query<Params>,
    form: Result<Form<Params>, FormRejection>,
) -> Response {
    let profile = app.config.tencent_v2;
    let result = match params(&profile, query, form) {
        Err(e) => Err(e),
        Ok(params) => match params.get("Action").and_then(Value::as_str) {
            Some("ImportKeyPair") => {
                let req = profile.request_from_json(&params);
                import(&app, profile, req).await.map(|ok| ok.to_json())
            }
            Some("CreateKeyPair") => {
                let name = params.get("keyName").and_then(Value::as_str).map(String::from);
                create(&app, profile, name).await.map(|c| c.to_json())
            }
            None => Err(missing(&profile, "Action")),
            Some(_) => Err(refusal(
                &profile,
                "InvalidAction",
                200,
                "The requested API does not exist: this endpoint serves ImportKeyPair and CreateKeyPair.",
            )),
        },
    };
    match result {
        Ok(body) => json(200, body),
        Err(e) => json(e.http_status, e.to_json()),
    }
}

/// Alibaba Cloud ECS (RPC style): `Action` and parameters in the query
/// string or a form body; XML unless `Format=JSON`; the HTTP status is the
/// error's.
async fn alibaba(
    State(app): State<Arc<AppState>>,
    Query(query): Query<Params>,
    form: Result<Form<Params>, FormRejection>,
) -> Response {
    let profile = app.config.alibaba;
    let params = params(&profile, query, form);
    // XML is the ECS API's default format.
    let xml = !params.as_ref().is_ok_and(|p| {
        p.get("Format")
            .and_then(Value::as_str)
            .is_some_and(|f| f.eq_ignore_ascii_case("json"))
    });
    let result = match params {
        Err(e) => Err(e),
        Ok(params) => match params.get("Action").and_then(Value::as_str) {
            Some("ImportKeyPair") => {
                let req = profile.request_from_json(&params);
                import(&app, profile, req).await
            }
            None => Err(missing(&profile, "Action")),
            Some(_) => Err(refusal(
                &profile,
                "InvalidAction.NotFound",
                404,
                "Specified api is not found, please check your url and method.",
            )),
        },
    };
    match (result, xml) {
        (Ok(ok), true) => xml_body(200, ok.to_xml().unwrap_or_default()),
        (Ok(ok), false) => json(200, ok.to_json()),
        (Err(e), true) => xml_body(e.http_status, e.to_xml().unwrap_or_default()),
        (Err(e), false) => json(e.http_status, e.to_json()),
    }
}

/// Serves an import off the async workers: a [`KeyStore`] may block (the
/// file store writes and flushes before it answers).
async fn import(app: &AppState, profile: Provider, req: ImportRequest) -> Result<Imported, ProviderError> {
    let store = Arc::clone(&app.store);
    tokio::task::spawn_blocking(move || profile.import(&req, &*store, &RandomIds))
        .await
        .unwrap_or_else(|_| Err(profile.error(Rejection::Internal, RandomIds.request_id())))
}

/// Serves a create: RSA key generation takes tens of milliseconds of CPU,
/// so it runs on the blocking pool, at most one per core at a time.
async fn create(app: &AppState, profile: Provider, name: Option<String>) -> Result<Created, ProviderError> {
    let _permit = app.keygen.acquire().await;
    let store = Arc::clone(&app.store);
    let kind = NewKey::Rsa(app.config.create_rsa_bits);
    tokio::task::spawn_blocking(move || profile.create(name.as_deref(), kind, &*store, &RandomIds))
        .await
        .unwrap_or_else(|_| Err(profile.error(Rejection::Internal, RandomIds.request_id())))
}

type Params = Vec<(String, String)>;

/// The query string's parameters and a form body's (which win), as the
/// JSON object [`ImportRequest::from_json`] reads. A body that is not a
/// form is ignored.
fn params(
    profile: &Provider,
    query: Params,
    form: Result<Form<Params>, FormRejection>,
) -> Result<Map<String, Value>, ProviderError> {
    let body = match form {
        Ok(Form(body)) => body,
        Err(FormRejection::InvalidFormContentType(_)) => Vec::new(),
        Err(e) => return Err(body_error(profile, e.status())),
    };
    Ok(query
        .into_iter()
        .chain(body)
        .map(|(k, v)| (k, Value::String(v)))
        .collect())
}

fn missing(profile: &Provider, parameter: &'static str) -> ProviderError {
    profile.error(Rejection::MissingParameter(parameter), RandomIds.request_id())
}

/// An error of the API's common codes, which no keyvet rejection names.
fn refusal(
    profile: &Provider,
    code: &'static str,
    http_status: u16,
    message: impl Into<Cow<'static, str>>,
) -> ProviderError {
    profile.common_error(code, http_status, message, RandomIds.request_id())
}

fn invalid(profile: &Provider, parameter: &'static str, reason: &'static str) -> ProviderError {
    profile.error(
        Rejection::InvalidParameter { parameter, reason },
        RandomIds.request_id(),
    )
}

/// A body that could not be read: too large (axum's [`DefaultBodyLimit`]),
/// or cut off.
fn body_error(profile: &Provider, status: StatusCode) -> ProviderError {
    if status != StatusCode::PAYLOAD_TOO_LARGE {
        return invalid(profile, "request body", "unreadable");
    }
    profile.oversized_request(BODY_LIMIT, RandomIds.request_id())
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

/// A token bucket per client address.
struct Limiter {
    limit: RateLimit,
    buckets: Mutex<Buckets>,
}

struct Buckets {
    by_client: HashMap<IpAddr, Bucket>,
    swept: Instant,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Limiter {
    fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit,
            buckets: Mutex::new(Buckets {
                by_client: HashMap::new(),
                swept: Instant::now(),
            }),
        }
    }

    /// Takes a token from the client's bucket, if it has one.
    fn allow(&self, client: IpAddr) -> bool {
        let RateLimit { requests, per } = self.limit;
        let capacity = f64::from(requests);
        let now = Instant::now();
        let mut b = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if now.duration_since(b.swept) >= per {
            // A bucket idle for a whole period is full: forget it, so the
            // map holds recent clients only.
            b.by_client.retain(|_, bucket| now.duration_since(bucket.at) < per);
            b.swept = now;
        }
        let bucket = b.by_client.entry(client).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() / per.as_secs_f64() * capacity;
        bucket.tokens = (bucket.tokens + refill).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}
