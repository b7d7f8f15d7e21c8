//! Serving the router on a socket: HTTP/1.1 connections with bounded time
//! and count, a request ID and a log line per request, and a graceful
//! shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use keyvet_cloud::{IdSource, RandomIds};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

use crate::log::Log;
use crate::routes::{Outcome, RequestId};

/// How connections are bounded. `ServeOptions::default()` is what
/// `keyvet serve` uses.
///
/// ```
/// let o = keyvet_server::ServeOptions::default();
/// assert_eq!(o.header_timeout.as_secs(), 10);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// How long a client has to send a request's headers, counted from
    /// when the connection waits for a request: a connection idle that
    /// long between requests is closed too, and a client that sends its
    /// headers a byte at a time (slowloris) is dropped.
    pub header_timeout: Duration,
    /// Most connections open at once; more wait in the kernel's backlog.
    pub max_connections: usize,
    /// How long a shutdown waits for requests in flight before it drops
    /// them.
    pub drain_timeout: Duration,
    /// The request log.
    pub log: Log,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            header_timeout: Duration::from_secs(10),
            max_connections: 4096,
            drain_timeout: Duration::from_secs(30),
            log: Log::Stderr,
        }
    }
}

/// The largest request head (request line and headers) read: a GET with a
/// 16384-bit RSA key in its query string fits.
const MAX_HEAD: usize = 64 * 1024;

/// Serves `router` on `listener` until `shutdown` completes, then stops
/// accepting, lets the requests in flight finish (at most
/// [`ServeOptions::drain_timeout`]) and returns.
///
/// Each request gets a [`RequestId`] and the client's address
/// ([`ConnectInfo`]) in its extensions before routing, and a log line
/// after it.
///
/// # Errors
/// When the listener fails for good (not for one refused connection).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.map_err(std::io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors, a connection reset before it was
                // accepted...: the next one may do.
                Err(e) => {
                    options.log.event("accept_failed", [("error", e.to_string().into())]);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let log = options.log;
        let service =
            hyper::service::service_fn(move |req: hyper::Request<Incoming>| handle(router.clone(), peer, log, req));
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(options.header_timeout)
            .max_buf_size(MAX_HEAD)
            .keep_alive(true);
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that vanished or sent garbage: its connection ends.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    let in_flight = graceful.count();
    options.log.event("shutting_down", [("connections", in_flight.into())]);
    if tokio::time::timeout(options.drain_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        options
            .log
            .event("drain_timeout", [("seconds", options.drain_timeout.as_secs().into())]);
    }
    Ok(())
}

/// One request: its ID and the client's address in, a log line out.
async fn handle(
    router: Router,
    peer: SocketAddr,
    log: Log,
    req: hyper::Request<Incoming>,
) -> Result<axum::response::Response, Infallible> {
    let started = Instant::now();
    let id = RandomIds.request_id();
    let method = req.method().to_string();
    // The path only: a query string may hold a key.
    let path: String = req.uri().path().chars().take(256).collect();
    let mut req = req.map(Body::new);
    req.extensions_mut().insert(ConnectInfo(peer));
    req.extensions_mut().insert(RequestId(id.clone()));
    let response = match router.oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    let outcome = response.extensions().get::<Outcome>().copied();
    log.event(
        "request",
        [
            ("request_id", id.into()),
            ("client", peer.to_string().into()),
            ("method", method.into()),
            ("path", path.into()),
            ("api", outcome.map(|o| o.api).into()),
            ("action", outcome.and_then(|o| o.action).into()),
            ("status", response.status().as_u16().into()),
            ("code", outcome.and_then(|o| o.code).map_or(Value::Null, Value::from)),
            ("ms", ((started.elapsed().as_secs_f64() * 1e6).round() / 1e3).into()),
        ],
    );
    Ok(response)
}

/// Serves the key-pair APIs on `listen` over `store` until SIGTERM or
/// SIGINT (Ctrl-C), then shuts down gracefully: what `keyvet serve` runs.
/// `database` names the store in the log.
///
/// # Errors
/// When the address cannot be bound, or the runtime cannot start.
pub fn run(
    listen: SocketAddr,
    store: Arc<dyn keyvet_cloud::KeyStore>,
    database: &str,
    config: crate::Config,
    options: ServeOptions,
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Imports wait for the database on blocking threads: enough to keep
        // it busy, not one per request of a flood.
        .max_blocking_threads(64)
        .build()?;
    runtime.block_on(async {
        let listener = TcpListener::bind(listen).await?;
        let address = listener.local_addr()?;
        options.log.event(
            "listening",
            [
                ("address", address.to_string().into()),
                ("database", database.into()),
                ("version", env!("CARGO_PKG_VERSION").into()),
            ],
        );
        serve(listener, crate::router(store, config), options, stop_signal()).await?;
        options.log.event("stopped", []);
        Ok(())
    })
}

/// SIGTERM (a service manager's stop) or SIGINT (Ctrl-C).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
