//! The SQLite store under concurrent writers, across reopening, and against
//! files that are not its own.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Barrier};

use keyvet_cloud::{Conflict, KeyStore, StoredKey};
use keyvet_server::{SCHEMA_VERSION, SqliteStore, StoreError};

/// A fresh folder for one test's files, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("keyvet-server-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn key(name: &str, fingerprint: &str, id: &str) -> StoredKey {
    StoredKey {
        name: name.into(),
        fingerprint: fingerprint.into(),
        key_id: id.into(),
        ..StoredKey::default()
    }
}

/// Runs `attempts(t)` for 20 threads at once, each on its own connection
/// to `path`; returns what each insert answered.
fn race(
    path: &std::path::Path,
    quota: usize,
    attempts: impl Fn(usize) -> Vec<StoredKey> + Send + Sync + 'static,
) -> Vec<(StoredKey, Result<(), Conflict>)> {
    const THREADS: usize = 20;
    let attempts = Arc::new(attempts);
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (path, attempts, barrier) = (path.to_path_buf(), Arc::clone(&attempts), Arc::clone(&barrier));
            std::thread::spawn(move || {
                // Twenty connections opening one new file at once; a thread
                // whose open failed still meets the others at the barrier.
                let store = SqliteStore::open(&path);
                barrier.wait();
                let store = store.unwrap();
                attempts(t)
                    .into_iter()
                    .map(|k| {
                        let r = store.insert("r", k.clone(), quota, true);
                        (k, r)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
}

#[test]
fn racing_writers_give_one_winner_for_each_name_and_each_key() {
    let dir = TempDir::new("race");
    let path = dir.file("keys.db");
    // Every thread tries the 10 names and the 10 keys, paired differently:
    // names and keys collide across threads in every combination.
    let results = race(&path, 500, |t| {
        (0..10)
            .map(|j| {
                let (n, k) = ((t + j) % 10, (t * 7 + j * 3) % 10);
                key(&format!("n{n}"), &format!("SHA256:k{k}"), &format!("skey-{t}-{j}"))
            })
            .collect()
    });
    let won: Vec<&StoredKey> = results.iter().filter(|(_, r)| r.is_ok()).map(|(k, _)| k).collect();
    assert!(
        results
            .iter()
            .all(|(_, r)| matches!(r, Ok(()) | Err(Conflict::Name | Conflict::Key))),
        "{results:?}"
    );
    let stored = SqliteStore::open(&path).unwrap().key_pairs("r").unwrap();
    // What was acknowledged is exactly what is stored.
    let acknowledged: HashSet<&StoredKey> = won.iter().copied().collect();
    assert_eq!(acknowledged, stored.iter().collect::<HashSet<_>>());
    assert_eq!(won.len(), stored.len());
    // One winner for each name and each key.
    let names: HashSet<&str> = stored.iter().map(|k| k.name.as_str()).collect();
    let keys: HashSet<&str> = stored.iter().map(|k| k.fingerprint.as_str()).collect();
    assert_eq!((names.len(), keys.len()), (stored.len(), stored.len()));
    // The pairings leave room for several winners, not only the first.
    assert!(stored.len() >= 2, "{stored:?}");
}

#[test]
fn racing_writers_never_exceed_the_quota() {
    let dir = TempDir::new("quota");
    let path = dir.file("keys.db");
    let results = race(&path, 5, |t| {
        vec![key(&format!("n{t}"), &format!("SHA256:k{t}"), &format!("skey-{t}"))]
    });
    let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
    let quota = results.iter().filter(|(_, r)| *r == Err(Conflict::Quota)).count();
    assert_eq!((ok, quota), (5, 15), "{results:?}");
    assert_eq!(SqliteStore::open(&path).unwrap().count("r"), 5);
}

#[test]
fn a_store_keeps_its_key_pairs_and_schema_across_opening() {
    let dir = TempDir::new("reopen");
    let path = dir.file("keys.db");
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    s.insert("r", key("a", "SHA256:a", "skey-a"), 500, true).unwrap();
    drop(s);
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.key_pairs("r").unwrap(), [key("a", "SHA256:a", "skey-a")]);
    assert!(s.contains_name("r", "a") && !s.contains_name("r", "b") && !s.contains_name("other", "a"));
    assert_eq!(
        s.insert("r", key("a", "SHA256:b", "skey-b"), 500, true),
        Err(Conflict::Name)
    );
    // Keys may repeat where the API allows it; scopes are apart.
    assert_eq!(s.insert("r", key("b", "SHA256:a", "skey-c"), 500, false), Ok(()));
    assert_eq!(s.insert("other", key("a", "SHA256:a", "skey-d"), 500, true), Ok(()));
    assert_eq!((s.count("r"), s.count("other"), s.count("none")), (2, 1, 0));
}

/// A store written by the first release (schema 1, made here with its
/// SQL) opens migrated: its key pairs kept, the scope counts right, and the
/// quota enforced from them.
#[test]
fn a_version_1_store_is_migrated() {
    let dir = TempDir::new("migrate");
    let path = dir.file("v1.db");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "CREATE TABLE keyvet_schema (version INTEGER NOT NULL); INSERT INTO keyvet_schema VALUES (1);
         CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
             created_at INTEGER NOT NULL DEFAULT (unixepoch()));
         INSERT INTO accounts (id, name) VALUES (1, 'default');
         CREATE TABLE key_pairs (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id),
             scope TEXT NOT NULL, name TEXT NOT NULL, fingerprint TEXT NOT NULL, key_id TEXT NOT NULL UNIQUE,
             created_at INTEGER NOT NULL DEFAULT (unixepoch()), UNIQUE (account_id, scope, name));
         CREATE INDEX key_pairs_by_key ON key_pairs (account_id, scope, fingerprint);
         INSERT INTO key_pairs (account_id, scope, name, fingerprint, key_id) VALUES
             (1, 'r', 'a', 'SHA256:a', 'skey-a'), (1, 'r', 'b', 'SHA256:b', 'skey-b'),
             (1, 'other', 'a', 'SHA256:a', 'skey-c');",
    )
    .unwrap();
    drop(c);
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!((s.count("r"), s.count("other"), s.count("none")), (2, 1, 0));
    assert_eq!(s.key_pairs("r").unwrap().len(), 2);
    assert_eq!(s.insert("r", key("c", "SHA256:c", "skey-d"), 3, true), Ok(()));
    assert_eq!(
        s.insert("r", key("d", "SHA256:d", "skey-e"), 3, true),
        Err(Conflict::Quota)
    );
    assert_eq!(s.count("r"), 3);
}

#[test]
fn files_that_are_not_keyvet_stores_are_refused_untouched() {
    let dir = TempDir::new("foreign");
    // A JSON Lines store of an older keyvet.
    let jsonl = dir.file("old.jsonl");
    let text = "{\"scope\":\"r\",\"name\":\"a\",\"fingerprint\":\"SHA256:a\",\"key_id\":\"skey-a\"}\n";
    std::fs::write(&jsonl, text).unwrap();
    let e = SqliteStore::open(&jsonl).unwrap_err();
    assert!(matches!(e, StoreError::NotADatabase { .. }), "{e}");
    assert!(e.to_string().contains("not a SQLite database"), "{e}");
    assert_eq!(std::fs::read_to_string(&jsonl).unwrap(), text);

    // Another program's SQLite database.
    let other = dir.file("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    let e = SqliteStore::open(&other).unwrap_err();
    assert!(matches!(e, StoreError::Foreign { .. }), "{e}");
    let c = rusqlite::Connection::open(&other).unwrap();
    let tables: i64 = c
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(tables, 1);

    // A store from a newer keyvet.
    let newer = dir.file("newer.db");
    drop(SqliteStore::open(&newer).unwrap());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute("UPDATE keyvet_schema SET version = ?1", [SCHEMA_VERSION + 1])
        .unwrap();
    let e = SqliteStore::open(&newer).unwrap_err();
    assert!(
        matches!(e, StoreError::Newer { found, known, .. } if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION)
    );
    assert!(e.to_string().contains("upgrade keyvet"), "{e}");

    // A folder.
    assert!(SqliteStore::open(&dir.0).is_err());
}

#[test]
fn a_damaged_store_fails_inserts_as_unavailable() {
    let dir = TempDir::new("damaged");
    let path = dir.file("keys.db");
    drop(SqliteStore::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("ALTER TABLE key_pairs RENAME TO lost")
        .unwrap();
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(
        s.insert("r", key("a", "SHA256:a", "skey-a"), 500, true),
        Err(Conflict::Unavailable)
    );
}
