//! Clients that lie or dawdle, over raw loopback sockets: every connection
//! ends in bounded time, a declared or real oversized body is refused, a
//! body that never comes is answered and the connection closed, and a
//! shutdown lets the requests in flight finish.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use keyvet_cloud::MemoryStore;
use keyvet_server::{Config, Log, ServeOptions};
use serde_json::Value;

const HEADER_TIMEOUT: Duration = Duration::from_millis(500);
const BODY_TIMEOUT: Duration = Duration::from_millis(500);
/// What "bounded" means here: far above the timeouts, far below "for ever".
const BOUND: Duration = Duration::from_secs(20);

struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: std::sync::mpsc::Receiver<()>,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start() -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let config = Config {
            body_timeout: BODY_TIMEOUT,
            tencent_rate_limit: None,
            ..Config::default()
        };
        let router = keyvet_server::router(Arc::new(MemoryStore::new()), config);
        let options = ServeOptions {
            header_timeout: HEADER_TIMEOUT,
            log: Log::Off,
            ..ServeOptions::default()
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (done_tx, done) = std::sync::mpsc::channel();
        runtime.spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            keyvet_server::serve(listener, router, options, shutdown).await.unwrap();
            let _ = done_tx.send(());
        });
        Server {
            addr,
            stop: Some(stop),
            done,
            _runtime: runtime,
        }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(BOUND)).unwrap();
        s
    }
}

/// Reads until the server closes the connection; returns what came and
/// how long it took. Panics if the server keeps it open past [`BOUND`].
fn read_to_close(s: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("connection still open after {:?}: {e}", started.elapsed()),
        }
    }
    (String::from_utf8_lossy(&got).into_owned(), started.elapsed())
}

fn body_of(response: &str) -> Value {
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
}

#[test]
fn a_client_that_sends_its_headers_a_byte_at_a_time_is_dropped() {
    let server = Server::start();
    let mut s = server.connect();
    let head = b"POST /tencent-cvm/ HTTP/1.1\r\nHost: x\r\nX-TC-Action: ImportKeyPair\r\nX-Padding: ";
    s.write_all(head).unwrap();
    // Slowloris: a byte every 50 ms, the headers never end.
    let started = Instant::now();
    let mut closed = false;
    while started.elapsed() < BOUND {
        std::thread::sleep(Duration::from_millis(50));
        if s.write_all(b"a").is_err() {
            closed = true;
            break;
        }
        s.set_nonblocking(true).unwrap();
        let mut b = [0u8; 1024];
        let r = s.read(&mut b);
        s.set_nonblocking(false).unwrap();
        if matches!(r, Ok(0)) || r.as_ref().is_err_and(|e| e.kind() != std::io::ErrorKind::WouldBlock) {
            closed = true;
            break;
        }
    }
    assert!(closed, "the connection was still open after {BOUND:?}");
    assert!(started.elapsed() >= HEADER_TIMEOUT.mul_f32(0.9));
}

#[test]
fn an_idle_connection_is_closed() {
    let server = Server::start();
    // Never a byte.
    let (got, took) = read_to_close(&mut server.connect());
    assert!(took >= HEADER_TIMEOUT.mul_f32(0.9), "{took:?}");
    // hyper answers a header timeout with nothing, or with 408.
    assert!(got.is_empty() || got.starts_with("HTTP/1.1 408"), "{got:?}");

    // Idle after a request on a kept-alive connection.
    let mut s = server.connect();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let (got, _) = read_to_close(&mut s);
    assert!(got.starts_with("HTTP/1.1 200 OK"), "{got:?}");
    assert_eq!(body_of(&got)["status"], "ok");
}

#[test]
fn a_body_that_never_comes_is_answered_and_the_connection_closed() {
    let server = Server::start();
    let mut s = server.connect();
    // Declares 60,000 bytes (under the limit), sends 1,000.
    let head = "POST /tencent-cvm/ HTTP/1.1\r\nHost: x\r\nX-TC-Action: ImportKeyPair\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n";
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&[b' '; 1000]).unwrap();
    let (got, took) = read_to_close(&mut s);
    assert!(took >= BODY_TIMEOUT.mul_f32(0.9), "{took:?}");
    assert!(got.starts_with("HTTP/1.1 408"), "{got:?}");
    assert!(got.to_ascii_lowercase().contains("connection: close"), "{got:?}");
    let v = body_of(&got);
    assert_eq!(v["Response"]["Error"]["Code"], "RequestTimeout", "{got}");
    assert!(v["Response"]["RequestId"].as_str().is_some_and(|id| id.len() == 36));
}

#[test]
fn a_declared_gigabyte_is_refused_before_it_is_read() {
    let server = Server::start();
    for (path, expect) in [
        ("/tencent-cvm/", "RequestSizeLimitExceeded"),
        ("/alibaba-ecs/?Action=ImportKeyPair&Format=JSON", "InvalidParameter"),
        (
            "/tencent-cvm/v2/index.php?Action=ImportKeyPair",
            "RequestSizeLimitExceeded",
        ),
    ] {
        let mut s = server.connect();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nX-TC-Action: ImportKeyPair\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000000\r\nConnection: close\r\n\r\n"
        );
        s.write_all(head.as_bytes()).unwrap();
        let (got, took) = read_to_close(&mut s);
        assert!(took < BOUND, "{took:?}");
        let v = body_of(&got);
        let code = v["Response"]["Error"]["Code"]
            .as_str()
            .or(v["codeDesc"].as_str())
            .or(v["Code"].as_str());
        assert_eq!(code, Some(expect), "{path}: {got}");
    }
}

#[test]
fn a_head_over_the_limit_is_refused() {
    let server = Server::start();
    let mut s = server.connect();
    let long = "a".repeat(100 * 1024);
    let head = format!("GET /alibaba-ecs/?Action=ImportKeyPair&x={long} HTTP/1.1\r\nHost: x\r\n\r\n");
    // The server may close before it has read everything.
    let _ = s.write_all(head.as_bytes());
    let (got, took) = read_to_close(&mut s);
    assert!(took < BOUND);
    assert!(
        got.is_empty() || got.starts_with("HTTP/1.1 414") || got.starts_with("HTTP/1.1 431"),
        "{got:?}"
    );
}

#[test]
fn shutdown_finishes_the_requests_in_flight() {
    let mut server = Server::start();
    // CreateKeyPair generates a 2048-bit RSA key: tens to hundreds of
    // milliseconds in flight.
    let mut s = server.connect();
    s.write_all(b"GET /tencent-cvm/v2/index.php?Action=CreateKeyPair&keyName=drain HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(20));
    server.stop.take().unwrap().send(()).unwrap();
    let (got, _) = read_to_close(&mut s);
    assert!(got.starts_with("HTTP/1.1 200 OK"), "{got:?}");
    let v = body_of(&got);
    assert_eq!(v["code"], 0, "{got}");
    assert!(
        v["data"]["secretkey"]
            .as_str()
            .is_some_and(|k| k.contains("PRIVATE KEY"))
    );
    // The server returns once its connections are done, and accepts no more.
    server.done.recv_timeout(BOUND).unwrap();
    assert!(TcpStream::connect(server.addr).is_err());
}
