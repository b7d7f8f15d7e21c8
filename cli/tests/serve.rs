//! `keyvet serve` as a user runs it: a process on a loopback port, on a
//! SQLite file or a PostgreSQL database, driven over HTTP. Its log, its
//! exit, its database URLs, concurrent clients (one winner for each name
//! and each key; on PostgreSQL, spread over two services sharing the
//! database), and `kill -9` at random points (every acknowledged import
//! present after). The PostgreSQL tests need `KEYVET_PG_URL`
//! (server/tests/support/postgres.rs).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use keyvet_cloud::StoredKey;
use keyvet_cloud::generate::{NewKey, new_key};
use keyvet_server::{Database, SqliteStore};
use serde_json::Value;

#[path = "../../server/tests/support/postgres.rs"]
mod postgres;
use postgres::fresh_database;

/// A fresh folder for one test's files, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("keyvet-cli-serve-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const SCOPE: &str = "alibaba-ecs/cn-hangzhou";

/// A running `keyvet serve`, its log lines collected as they come.
struct Serve {
    child: Child,
    base: String,
    log: Arc<Mutex<Vec<String>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Serve {
    fn start(db: &Path) -> Serve {
        Serve::on(&format!("sqlite:{}", db.display()))
    }

    /// A service on the database at `url`.
    fn on(url: &str) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_keyvet"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", url])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (address, listening) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let reader = {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Ok(v) = serde_json::from_str::<Value>(&line)
                        && v["event"] == "listening"
                    {
                        let _ = address.send(v["address"].as_str().unwrap().to_string());
                    }
                    log.lock().unwrap().push(line);
                }
            })
        };
        let address = listening
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no listening line: {:?}", log.lock().unwrap()));
        Serve {
            child,
            base: format!("http://{address}"),
            log,
            reader: Some(reader),
        }
    }

    /// Stops the service as a service manager does (SIGTERM) and waits.
    fn terminate(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        let status = self.child.wait().unwrap();
        self.reader.take().unwrap().join().unwrap();
        let log = std::mem::take(&mut *self.log.lock().unwrap());
        (status, log)
    }

    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.reader.take().unwrap().join().unwrap();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// An ECS import over HTTP (JSON answers): `Ok(name)`, `Err(code)`, or
/// `None` when no answer came (the server is gone).
fn ecs_import(agent: &ureq::Agent, base: &str, name: &str, key: &str) -> Option<Result<String, String>> {
    ecs_import_in(agent, base, "cn-hangzhou", name, key)
}

fn ecs_import_in(
    agent: &ureq::Agent,
    base: &str,
    region: &str,
    name: &str,
    key: &str,
) -> Option<Result<String, String>> {
    let params = [
        ("Action", "ImportKeyPair"),
        ("RegionId", region),
        ("KeyPairName", name),
        ("PublicKeyBody", key),
        ("Format", "JSON"),
    ];
    let mut r = agent.post(format!("{base}/alibaba-ecs/")).send_form(params).ok()?;
    let status = r.status().as_u16();
    let v: Value = serde_json::from_str(&r.body_mut().read_to_string().ok()?).ok()?;
    Some(if status == 200 {
        Ok(v["KeyPairName"].as_str().unwrap().to_string())
    } else {
        Err(v["Code"].as_str().unwrap().to_string())
    })
}

/// A fresh key (ECDSA P-256: quick to make, and an ECS key type).
fn new_public_key() -> String {
    new_key(NewKey::EcdsaP256, "serve-test").unwrap().public_line
}

#[test]
fn serve_logs_each_request_and_keeps_key_pairs_across_restarts() {
    let dir = TempDir::new("restart");
    let db = dir.0.join("keys.db");
    let key = new_public_key();
    let blob = key.split(' ').nth(1).unwrap().to_string();
    let s = Serve::start(&db);
    let agent = agent();
    assert_eq!(ecs_import(&agent, &s.base, "team", &key), Some(Ok("team".into())));
    let mut r = agent
        .post(format!("{}/tencent-cvm/", s.base))
        .header("X-TC-Action", "ImportKeyPair")
        .send(format!(r#"{{"KeyName": "k", "ProjectId": 0, "PublicKey": "{key}"}}"#))
        .unwrap();
    let tc: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    // Tencent takes RSA keys only.
    assert_eq!(tc["Response"]["Error"]["Code"], "InvalidPublicKey.Malformed");
    let health = agent.get(format!("{}/healthz", s.base)).call().unwrap().status();
    assert_eq!(health.as_u16(), 200);
    let (status, log) = s.terminate();
    assert!(status.success(), "{status:?}: {log:?}");

    // Every log line is a JSON object; one per request, with the request
    // ID its answer carried; no key material anywhere.
    let lines: Vec<Value> = log.iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    let events: Vec<&str> = lines.iter().map(|v| v["event"].as_str().unwrap()).collect();
    assert_eq!(
        events,
        ["listening", "request", "request", "request", "shutting_down", "stopped"]
    );
    assert_eq!(lines[0]["database"], format!("sqlite:{}", db.display()));
    let requests = &lines[1..4];
    assert_eq!(requests[0]["action"], "ImportKeyPair");
    assert_eq!(requests[0]["status"], 200);
    assert!(requests[0]["code"].is_null());
    assert_eq!(requests[1]["code"], "InvalidPublicKey.Malformed");
    assert_eq!(requests[1]["request_id"], tc["Response"]["RequestId"]);
    assert_eq!(requests[2]["path"], "/healthz");
    let ids: HashSet<&str> = requests.iter().map(|v| v["request_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    assert!(!log.iter().any(|l| l.contains(&blob[..40])), "{log:?}");

    // The key pair is in the file: a new process refuses the name.
    let s = Serve::start(&db);
    let again = ecs_import(&agent, &s.base, "team", &new_public_key());
    assert_eq!(again, Some(Err("KeyPair.AlreadyExist".into())));
    s.terminate();
    let stored = SqliteStore::open(&db).unwrap().key_pairs(SCOPE).unwrap();
    assert_eq!(stored.len(), 1);
}

#[test]
fn a_database_that_cannot_serve_is_a_usage_error() {
    let dir = TempDir::new("urls");
    let not_a_store = dir.0.join("keys.jsonl");
    std::fs::write(&not_a_store, "{\"name\": \"k\"}\n").unwrap();
    for (url, says) in [
        // Nothing listens on port 1: refused at once.
        (
            "postgres://keyvet:s3cret@127.0.0.1:1/keys".to_string(),
            "postgres://127.0.0.1:1/keys: ",
        ),
        ("postgres://h/keys?sslmode=sometimes".into(), "not a PostgreSQL URL"),
        (
            "postgres://keyvet:s3cret@127.0.0.1:1/keys?sslmode=require".into(),
            "sslmode=require asks for TLS",
        ),
        ("mysql://db/keys".into(), "not a database URL"),
        // A mistyped scheme with a password: named by its scheme only.
        (
            "POSTGRES://keyvet:s3cret@db/keys".into(),
            "\"POSTGRES\": not a database URL",
        ),
        ("sqlite:".into(), "needs a file path"),
        (format!("sqlite:{}", not_a_store.display()), "not a SQLite database"),
        (format!("sqlite:{}", dir.0.display()), "keyvet"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_keyvet"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", &url])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert!(err.contains(says), "{url}: {err}");
        assert!(!err.contains("s3cret"), "{err}");
    }
    // From the environment: the same checks, and --help never shows it.
    let out = Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("KEYVET_DATABASE", "postgres://keyvet:s3cret@127.0.0.1:1/keys")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("postgres://127.0.0.1:1/keys: ") && !err.contains("s3cret"),
        "{err}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .args(["serve", "--help"])
        .env("KEYVET_DATABASE", "postgres://keyvet:s3cret@127.0.0.1:1/keys")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("KEYVET_DATABASE") && !help.contains("s3cret"), "{help}");
    // The JSON Lines file is untouched.
    assert_eq!(std::fs::read(&not_a_store).unwrap(), b"{\"name\": \"k\"}\n");
}

/// The key pairs of `scope` in the database at `url`, as a new service
/// would find them.
fn stored(url: &str, scope: &str) -> Vec<StoredKey> {
    let store = url.parse::<Database>().unwrap().open(&[], &[]).unwrap();
    store.list(scope).unwrap()
}

/// 20 clients try 10 names and 10 keys each, paired differently, spread
/// over the services: exactly one winner for each name and each key, and
/// exactly the acknowledged imports stored.
fn twenty_clients_race(url: &str, services: usize) {
    let servers: Vec<Serve> = (0..services).map(|_| Serve::on(url)).collect();
    let keys: Vec<String> = (0..10).map(|_| new_public_key()).collect();
    let pairs = |t: usize| (0..10).map(move |j| (format!("n{}", (t + j) % 10), (t * 7 + j * 3) % 10));
    let barrier = Barrier::new(20);
    let won: Vec<Vec<(String, usize)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..20)
            .map(|t| {
                let (barrier, keys, base) = (&barrier, &keys, &servers[t % services].base);
                scope.spawn(move || {
                    let agent = agent();
                    barrier.wait();
                    let mut won = Vec::new();
                    for (name, k) in pairs(t) {
                        match ecs_import(&agent, base, &name, &keys[k]).expect("an answer") {
                            Ok(imported) => {
                                assert_eq!(imported, name);
                                won.push((name, k));
                            }
                            Err(code) => assert_eq!(code, "KeyPair.AlreadyExist"),
                        }
                    }
                    won
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for s in servers {
        let (status, log) = s.terminate();
        assert!(status.success(), "{status:?}: {log:?}");
    }
    let won: Vec<(String, usize)> = won.into_iter().flatten().collect();
    let names: HashSet<&str> = won.iter().map(|(n, _)| n.as_str()).collect();
    let key_set: HashSet<usize> = won.iter().map(|(_, k)| *k).collect();
    assert_eq!(
        (names.len(), key_set.len()),
        (won.len(), won.len()),
        "two winners: {won:?}"
    );
    assert!(won.len() >= 2);
    // Exactly what was acknowledged is stored.
    let stored = stored(url, SCOPE);
    let rows: HashSet<&str> = stored.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(rows, names);
    assert_eq!(stored.len(), names.len());
}

#[test]
fn twenty_concurrent_clients_give_one_winner_for_each_name_and_each_key() {
    let dir = TempDir::new("race");
    twenty_clients_race(&format!("sqlite:{}", dir.0.join("keys.db").display()), 1);
}

#[test]
fn twenty_clients_of_two_services_on_one_postgres_give_one_winner_each() {
    let Some(db) = fresh_database("serve_race") else { return };
    twenty_clients_race(&db.url, 2);
}

/// A small generator of pause lengths (xorshift).
struct Pauses(u64);

impl Pauses {
    fn next_ms(&mut self, max: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % (max + 1)
    }
}

/// `kill -9` of a service on `url` at random points, 200 times, 4 clients
/// importing each time: after every kill the store opens and holds every
/// acknowledged import, and only what was sent.
fn kill_9_rounds(url: &str) {
    const ROUNDS: usize = 200;
    const CLIENTS: usize = 4;
    let mut pauses = Pauses(0x2545_f491_4f6c_dd1d);
    // Every acknowledged import so far, by round.
    let mut acknowledged: Vec<Vec<String>> = Vec::new();
    let mut sent: HashSet<String> = HashSet::new();
    let mut killed_among_imports = 0;
    for round in 0..ROUNDS {
        let s = Serve::on(url);
        let (first_tx, first) = mpsc::channel::<()>();
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let base = s.base.clone();
                let first = first_tx.clone();
                std::thread::spawn(move || {
                    let agent = agent();
                    let (mut acked, mut tried) = (Vec::new(), Vec::new());
                    for j in 0.. {
                        let name = format!("r{round}c{c}n{j}");
                        tried.push(name.clone());
                        // A region a round: 500 key pairs a region.
                        let region = format!("kill-{round}");
                        match ecs_import_in(&agent, &base, &region, &name, &new_public_key()) {
                            Some(Ok(imported)) => {
                                assert_eq!(imported, name);
                                acked.push(name);
                                let _ = first.send(());
                            }
                            Some(Err(code)) => panic!("{name}: {code}"),
                            None => break,
                        }
                    }
                    (acked, tried)
                })
            })
            .collect();
        // Odd rounds: the kill falls among imports, after the first answer.
        // Even rounds: from the start (it may fall while the server opens
        // the store, or before any request).
        if round % 2 == 1 {
            first.recv_timeout(Duration::from_secs(60)).expect("a first answer");
        }
        std::thread::sleep(Duration::from_millis(pauses.next_ms(30)));
        s.kill_9();
        let mut acked_this_round = Vec::new();
        for c in clients {
            let (acked, tried) = c.join().unwrap();
            acked_this_round.extend(acked);
            sent.extend(tried);
        }
        if !acked_this_round.is_empty() {
            killed_among_imports += 1;
        }
        acknowledged.push(acked_this_round);
        // After every kill the store opens, and holds every acknowledged
        // import; every row is a request that was sent, whole.
        let store = url
            .parse::<Database>()
            .unwrap()
            .open(&[], &[])
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let rows: HashMap<String, StoredKey> = (0..=round)
            .flat_map(|r| store.list(&format!("alibaba-ecs/kill-{r}")).unwrap())
            .map(|k| (k.name.clone(), k))
            .collect();
        for name in acknowledged.iter().flatten() {
            let k = rows
                .get(name)
                .unwrap_or_else(|| panic!("round {round}: acknowledged {name} is lost"));
            assert!(
                k.fingerprint.starts_with("SHA256:") && k.fingerprint.len() == 50,
                "{k:?}"
            );
            assert!(k.public_key.starts_with("ecdsa-sha2-nistp256 AAAA"), "{k:?}");
        }
        for name in rows.keys() {
            assert!(sent.contains(name), "round {round}: {name} was never sent");
        }
        // The scope's count moved with its rows: no half-written insert.
        // (PostgreSQL may still commit an insert the killed service sent,
        // between the two reads: they agree once it has.)
        let scope = format!("alibaba-ecs/kill-{round}");
        let agree = || store.count(&scope) == store.list(&scope).unwrap().len();
        let settled = (0..50).any(|_| {
            agree() || {
                std::thread::sleep(Duration::from_millis(100));
                false
            }
        });
        assert!(settled, "round {round}: count and rows differ");
    }
    assert!(killed_among_imports >= ROUNDS / 2, "{killed_among_imports}");
}

#[test]
fn kill_9_of_the_server_at_random_points_loses_no_acknowledged_import() {
    let dir = TempDir::new("kill");
    kill_9_rounds(&format!("sqlite:{}", dir.0.join("keys.db").display()));
}

#[test]
fn kill_9_of_a_server_on_postgres_loses_no_acknowledged_import() {
    let Some(db) = fresh_database("serve_kill") else { return };
    kill_9_rounds(&db.url);
}
