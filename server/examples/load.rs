//! The service's load bench: concurrent clients importing fresh keys over
//! loopback HTTP/1.1 (one keep-alive connection each, hyper's client on
//! one thread, so the client takes one core and leaves the other to the
//! service), imports per second and latency percentiles.
//!
//! ```sh
//! # A running service (keyvet serve on any database):
//! cargo run --release -p keyvet-server --example load -- --url http://127.0.0.1:8080
//! # The service in this process, on a new SQLite file in a temporary folder:
//! cargo run --release -p keyvet-server --example load -- --clients 64 --seconds 10
//! ```
//!
//! Each import is an Alibaba ECS `ImportKeyPair` of a new ECDSA P-256 key
//! (made before the clock starts), 400 per region (the quota is 500).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use keyvet_cloud::generate::{NewKey, new_key};
use keyvet_server::{Config, Log, ServeOptions, SqliteStore};

struct Args {
    url: Option<String>,
    clients: usize,
    seconds: f64,
}

fn args() -> Args {
    let mut a = Args {
        url: None,
        clients: 64,
        seconds: 10.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => a.url = Some(value),
            "--clients" => a.clients = value.parse().expect("--clients N"),
            "--seconds" => a.seconds = value.parse().expect("--seconds S"),
            _ => panic!("unknown flag {flag} (--url URL, --clients N, --seconds S)"),
        }
    }
    a
}

/// A form body, URL-encoded.
fn form(params: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(params).unwrap()
}

fn main() {
    let args = args();
    let dir = std::env::temp_dir().join(format!("keyvet-load-{}", std::process::id()));
    let addr: SocketAddr = match &args.url {
        Some(url) => {
            let hostport = url.trim_start_matches("http://").trim_end_matches('/');
            hostport.parse().expect("--url http://IP:PORT")
        }
        None => {
            std::fs::create_dir_all(&dir).unwrap();
            let store = Arc::new(SqliteStore::open(dir.join("keys.db")).unwrap());
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            drop(listener);
            let options = ServeOptions {
                log: Log::Off,
                ..ServeOptions::default()
            };
            std::thread::spawn(move || keyvet_server::run(addr, store, "sqlite", Config::default(), options).unwrap());
            std::thread::sleep(Duration::from_millis(300));
            eprintln!("service in this process, SQLite file in {}", dir.display());
            addr
        }
    };
    // Enough keys for 10,000 imports a second.
    let per_client = (args.seconds * 10_000.0 / args.clients as f64).ceil() as usize + 10;
    eprintln!("making {} keys...", per_client * args.clients);
    let run = format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
    );
    let bodies: Vec<Vec<String>> = (0..args.clients)
        .map(|c| {
            (0..per_client)
                .map(|j| {
                    let key = new_key(NewKey::EcdsaP256, "load").unwrap().public_line;
                    form(&[
                        ("Action", "ImportKeyPair"),
                        ("RegionId", &format!("load-{run}-{c}-{}", j / 400)),
                        ("KeyPairName", &format!("l{c}n{j}")),
                        ("PublicKeyBody", &key),
                        ("Format", "JSON"),
                    ])
                })
                .collect()
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let seconds = Duration::from_secs_f64(args.seconds);
    let (mut latencies, failed, elapsed) = runtime.block_on(async move {
        let started = Instant::now();
        let deadline = started + seconds;
        let tasks: Vec<_> = bodies
            .into_iter()
            .map(|bodies| {
                tokio::spawn(async move {
                    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
                    stream.set_nodelay(true).unwrap();
                    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                        .await
                        .unwrap();
                    tokio::spawn(conn);
                    let (mut latencies, mut failed) = (Vec::new(), 0usize);
                    for body in bodies {
                        if Instant::now() >= deadline {
                            break;
                        }
                        let req = hyper::Request::post("/alibaba-ecs/")
                            .header("host", "load")
                            .header("content-type", "application/x-www-form-urlencoded")
                            .body(Full::new(Bytes::from(body)))
                            .unwrap();
                        let t = Instant::now();
                        let ok = match sender.send_request(req).await {
                            Ok(r) => {
                                let ok = r.status() == 200;
                                ok && r.into_body().collect().await.is_ok()
                            }
                            Err(_) => false,
                        };
                        latencies.push(t.elapsed());
                        failed += usize::from(!ok);
                    }
                    (latencies, failed)
                })
            })
            .collect();
        let mut all = Vec::new();
        let mut failed = 0;
        for t in tasks {
            let (l, f) = t.await.unwrap();
            all.extend(l);
            failed += f;
        }
        (all, failed, started.elapsed().as_secs_f64())
    });
    latencies.sort();
    let n = latencies.len();
    let pct = |p: f64| latencies[((n as f64 * p) as usize).min(n - 1)].as_secs_f64() * 1000.0;
    println!(
        "{} clients, {elapsed:.1} s: {n} imports ({failed} failed), {:.0} imports/s; latency ms p50 {:.2} p90 {:.2} p99 {:.2} max {:.2}",
        args.clients,
        (n - failed) as f64 / elapsed,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0),
    );
    let _ = std::fs::remove_dir_all(&dir);
}
