//! `keyvet import --store FILE` (SQLite) under concurrent processes and
//! `kill -9`: one winner for each name and each key, a quota never
//! exceeded, and every acknowledged import present afterwards.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use keyvet_cloud::generate::{NewKey, new_key};
use keyvet_server::SqliteStore;
use serde_json::{Value, json};

/// A fresh folder for one test's files, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("keyvet-cli-store-{name}-{}", std::process::id()));
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

/// A fresh key (ECDSA P-256: quick to make, and an ECS key type).
fn new_public_key() -> String {
    new_key(NewKey::EcdsaP256, "store-test").unwrap().public_line
}

fn request(name: &str, key: &str) -> String {
    format!(
        "{}\n",
        json!({"KeyPairName": name, "RegionId": "cn-hangzhou", "PublicKeyBody": key})
    )
}

/// Runs one `keyvet import` process per request file, all at once.
fn import_all(db: &Path, batches: &[String], quota: usize) -> Vec<Output> {
    let dir = db.parent().unwrap();
    let children: Vec<_> = batches
        .iter()
        .enumerate()
        .map(|(i, batch)| {
            let file = dir.join(format!("requests-{i}.jsonl"));
            std::fs::write(&file, batch).unwrap();
            Command::new(env!("CARGO_BIN_EXE_keyvet"))
                .args([
                    "import",
                    "--profile",
                    "alibaba-ecs",
                    "--quota",
                    &quota.to_string(),
                    "--store",
                ])
                .arg(db)
                .arg("--requests")
                .arg(&file)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children.into_iter().map(|c| c.wait_with_output().unwrap()).collect()
}

/// Each response of a run: the name of an imported key pair, or the error
/// code.
fn answers(out: &Output) -> Vec<Result<String, String>> {
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            match v["KeyPairName"].as_str() {
                Some(name) => Ok(name.to_string()),
                None => Err(v["Code"].as_str().unwrap().to_string()),
            }
        })
        .collect()
}

#[test]
fn twenty_racing_processes_give_one_winner_for_each_name_and_each_key() {
    let dir = TempDir::new("race");
    let db = dir.0.join("keys.db");
    let keys: Vec<String> = (0..10).map(|_| new_public_key()).collect();
    // Every process tries the 10 names and the 10 keys, paired differently.
    let pairs = |t: usize| (0..10).map(move |j| (format!("n{}", (t + j) % 10), (t * 7 + j * 3) % 10));
    let batches: Vec<String> = (0..20)
        .map(|t| pairs(t).map(|(n, k)| request(&n, &keys[k])).collect())
        .collect();
    let outs = import_all(&db, &batches, 500);
    let mut won = HashSet::new();
    for (t, out) in outs.iter().enumerate() {
        let a = answers(out);
        assert_eq!(a.len(), 10);
        for ((name, _), answer) in pairs(t).zip(a) {
            match answer {
                Ok(imported) => {
                    assert_eq!(imported, name);
                    assert!(won.insert(name), "two winners");
                }
                Err(code) => assert_eq!(code, "KeyPair.AlreadyExist"),
            }
        }
    }
    let stored = SqliteStore::open(&db).unwrap().key_pairs(SCOPE).unwrap();
    // Exactly what was acknowledged is stored: one winner for each name,
    // and each key stored once.
    let rows: HashSet<String> = stored.iter().map(|k| k.name.clone()).collect();
    assert_eq!(rows, won);
    let names: HashSet<&str> = stored.iter().map(|k| k.name.as_str()).collect();
    let fingerprints: HashSet<&str> = stored.iter().map(|k| k.fingerprint.as_str()).collect();
    assert_eq!((names.len(), fingerprints.len()), (stored.len(), stored.len()));
    assert!(stored.len() >= 2);
}

#[test]
fn twenty_racing_processes_never_exceed_the_quota() {
    let dir = TempDir::new("quota");
    let db = dir.0.join("keys.db");
    let batches: Vec<String> = (0..20).map(|t| request(&format!("n{t}"), &new_public_key())).collect();
    let outs = import_all(&db, &batches, 5);
    let all: Vec<_> = outs.iter().flat_map(answers).collect();
    let ok = all.iter().filter(|a| a.is_ok()).count();
    let over = all
        .iter()
        .filter(|a| a.as_ref().err().map(String::as_str) == Some("QuotaExceed.KeyPair"))
        .count();
    assert_eq!((ok, over), (5, 15), "{all:?}");
    assert_eq!(SqliteStore::open(&db).unwrap().key_pairs(SCOPE).unwrap().len(), 5);
}

/// A small generator of pause lengths (xorshift): the kill points differ
/// from one round to the next, and from one run to the next by timing.
struct Pauses(u64);

impl Pauses {
    fn next_ms(&mut self, max: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % (max + 1)
    }
}

#[test]
fn kill_9_at_random_points_loses_no_acknowledged_import() {
    const ROUNDS: usize = 200;
    let dir = TempDir::new("kill");
    let db = dir.0.join("keys.db");
    let mut pauses = Pauses(0x9e37_79b9_7f4a_7c15);
    // Every acknowledged import so far: its name, and its MD5 fingerprint.
    let mut acknowledged: HashMap<String, String> = HashMap::new();
    let mut cut_short = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_keyvet"))
            .args(["import", "--profile", "alibaba-ecs", "--quota", "1000000", "--store"])
            .arg(&db)
            .args(["--requests", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            for j in 0..300 {
                if stdin
                    .write_all(request(&format!("r{round}_{j}"), &new_public_key()).as_bytes())
                    .is_err()
                {
                    break;
                }
            }
        });
        // An answer counts once its whole line is read: that is what a
        // client would have seen.
        let seen = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let seen = Arc::clone(&seen);
            let stdout = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                let mut r = BufReader::new(stdout);
                let mut line = String::new();
                while r.read_line(&mut line).unwrap_or(0) > 0 && line.ends_with('\n') {
                    let v: Value = serde_json::from_str(&line).unwrap();
                    let imported = v["KeyPairName"].as_str().zip(v["KeyPairFingerPrint"].as_str());
                    seen.lock()
                        .unwrap()
                        .push(imported.map(|(n, f)| (n.to_string(), f.to_string())));
                    line.clear();
                }
            })
        };
        // Even rounds: a pause from the start (the kill may fall while the
        // store opens). Odd rounds: a pause after the first answer, so that
        // the kill falls among imports however slow the machine is.
        if round % 2 == 1 {
            let waited = std::time::Instant::now();
            while seen.lock().unwrap().is_empty() && waited.elapsed() < Duration::from_secs(10) {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        std::thread::sleep(Duration::from_millis(pauses.next_ms(40)));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        writer.join().unwrap();
        reader.join().unwrap();
        let seen = seen.lock().unwrap();
        if !status.success() && seen.len() < 300 {
            cut_short += 1;
        }
        for (j, imported) in seen.iter().enumerate() {
            let (name, md5) = imported
                .as_ref()
                .unwrap_or_else(|| panic!("round {round}: request {j} refused"));
            assert_eq!(name, &format!("r{round}_{j}"));
            acknowledged.insert(name.clone(), md5.clone());
        }
        // After every kill the store opens, and holds every acknowledged
        // import, whole.
        let store = SqliteStore::open(&db).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let rows: HashMap<String, (String, String)> = store
            .key_pairs(SCOPE)
            .unwrap()
            .into_iter()
            .map(|k| (k.name, (k.key_id, k.fingerprint)))
            .collect();
        for name in acknowledged.keys() {
            let (key_id, fingerprint) = rows
                .get(name)
                .unwrap_or_else(|| panic!("round {round}: acknowledged {name} is lost"));
            assert!(key_id.starts_with("skey-"), "{key_id}");
            assert!(
                fingerprint.starts_with("SHA256:") && fingerprint.len() == 50,
                "{fingerprint}"
            );
        }
        // Every row is a request that was sent (some committed before
        // their answer was read): nothing else, nothing twice.
        for name in rows.keys() {
            let (r, j) = name[1..].split_once('_').unwrap();
            let (r, j): (usize, usize) = (r.parse().unwrap(), j.parse().unwrap());
            assert!(r <= round && j < 300, "round {round}: a row nobody asked for: {name}");
        }
    }
    let check: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    eprintln!(
        "{ROUNDS} runs killed, {cut_short} of them mid-batch: {} imports acknowledged, all present",
        acknowledged.len()
    );
    // Not vacuous: imports were acknowledged, and most runs were killed in
    // the middle of their batch.
    assert!(acknowledged.len() > ROUNDS / 2, "{} acknowledged", acknowledged.len());
    assert!(cut_short > ROUNDS / 2, "{cut_short} of {ROUNDS} runs killed mid-batch");
}
