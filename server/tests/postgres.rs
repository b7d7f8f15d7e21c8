//! The PostgreSQL store: its rules under writers on many connections (as
//! several services share one database), across reconnecting, against
//! databases that are not its own, and all-or-nothing deletes. Needs
//! `KEYVET_PG_URL` (see tests/support/postgres.rs).

use std::collections::HashSet;
use std::sync::{Arc, Barrier};

use keyvet_cloud::{Conflict, DeleteError, KeyStore, StoredKey};
use keyvet_server::{POSTGRES_SCHEMA_VERSION, PostgresError, PostgresStore};

mod support;
use support::postgres::fresh_database;

fn key(name: &str, fingerprint: &str, id: &str) -> StoredKey {
    StoredKey {
        name: name.into(),
        fingerprint: fingerprint.into(),
        key_id: id.into(),
        ..StoredKey::default()
    }
}

/// Runs `attempts(t)` for 20 threads at once, each with its own store (its
/// own pool, as 20 services would) connecting to one new database at once;
/// returns what each insert answered.
fn race(
    url: &str,
    quota: usize,
    attempts: impl Fn(usize) -> Vec<StoredKey> + Send + Sync + 'static,
) -> Vec<(StoredKey, Result<(), Conflict>)> {
    const THREADS: usize = 20;
    let attempts = Arc::new(attempts);
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (url, attempts, barrier) = (url.to_string(), Arc::clone(&attempts), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let store = PostgresStore::connect_with(&url, 2);
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
    let Some(db) = fresh_database("race") else { return };
    let results = race(&db.url, 500, |t| {
        (0..10)
            .map(|j| {
                let (n, k) = ((t + j) % 10, (t * 7 + j * 3) % 10);
                key(&format!("n{n}"), &format!("SHA256:k{k}"), &format!("skey-{t}-{j}"))
            })
            .collect()
    });
    assert!(
        results
            .iter()
            .all(|(_, r)| matches!(r, Ok(()) | Err(Conflict::Name | Conflict::Key))),
        "{results:?}"
    );
    let won: HashSet<&StoredKey> = results.iter().filter(|(_, r)| r.is_ok()).map(|(k, _)| k).collect();
    let stored = PostgresStore::connect(&db.url).unwrap().key_pairs("r").unwrap();
    assert_eq!(won, stored.iter().collect::<HashSet<_>>());
    assert_eq!(won.len(), stored.len());
    let names: HashSet<&str> = stored.iter().map(|k| k.name.as_str()).collect();
    let keys: HashSet<&str> = stored.iter().map(|k| k.fingerprint.as_str()).collect();
    assert_eq!((names.len(), keys.len()), (stored.len(), stored.len()));
    assert!(stored.len() >= 2, "{stored:?}");
}

#[test]
fn racing_writers_never_exceed_the_quota() {
    let Some(db) = fresh_database("quota") else { return };
    let results = race(&db.url, 5, |t| {
        vec![key(&format!("n{t}"), &format!("SHA256:k{t}"), &format!("skey-{t}"))]
    });
    let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
    let quota = results.iter().filter(|(_, r)| *r == Err(Conflict::Quota)).count();
    assert_eq!((ok, quota), (5, 15), "{results:?}");
    let s = PostgresStore::connect(&db.url).unwrap();
    assert_eq!(s.count("r"), 5);
    assert_eq!(s.key_pairs("r").unwrap().len(), 5);
}

#[test]
fn a_store_keeps_its_key_pairs_and_rules_across_connecting() {
    let Some(db) = fresh_database("reopen") else { return };
    let s = PostgresStore::connect(&db.url).unwrap();
    assert_eq!(s.schema_version(), Ok(POSTGRES_SCHEMA_VERSION));
    assert!(s.healthy());
    let full = StoredKey {
        md5: "aa:bb".into(),
        public_key: "ssh-ed25519 AAAA x".into(),
        created_at: 1_700_000_000,
        project_id: 7,
        resource_group: Some("rg-1".into()),
        tags: vec![("team".into(), "db".into()), ("env".into(), String::new())],
        ..key("a", "SHA256:x", "skey-1")
    };
    assert_eq!(s.insert("r", full.clone(), 3, true), Ok(()));
    assert_eq!(
        s.insert("r", key("a", "SHA256:y", "skey-2"), 3, true),
        Err(Conflict::Name)
    );
    assert_eq!(
        s.insert("r", key("b", "SHA256:x", "skey-3"), 3, true),
        Err(Conflict::Key)
    );
    // Keys twice are the provider's choice.
    assert_eq!(s.insert("r", key("b", "SHA256:x", "skey-4"), 3, false), Ok(()));
    assert_eq!(s.insert("other", key("a", "SHA256:x", "skey-5"), 3, true), Ok(()));
    assert_eq!(s.insert("r", key("c", "SHA256:z", "skey-6"), 3, true), Ok(()));
    assert_eq!(
        s.insert("r", key("d", "SHA256:w", "skey-7"), 3, true),
        Err(Conflict::Quota)
    );
    // A key ID drawn twice is not the user's conflict.
    assert_eq!(
        s.insert("x", key("e", "SHA256:v", "skey-1"), 3, true),
        Err(Conflict::Unavailable)
    );
    assert!(s.contains_name("r", "a") && !s.contains_name("r", "d") && !s.contains_name("x", "e"));
    drop(s);
    let s = PostgresStore::connect(&db.url).unwrap();
    let names = |s: &PostgresStore, scope: &str| -> Vec<String> {
        s.list(scope).unwrap().into_iter().map(|k| k.name).collect()
    };
    assert_eq!(names(&s, "r"), ["a", "b", "c"]);
    assert_eq!(s.key_pairs("r").unwrap()[0], full);
    assert_eq!((s.count("r"), s.count("other"), s.count("x")), (3, 1, 0));
    // Deleting: all or nothing, when asked; counts follow.
    let missing = vec!["skey-6".to_string(), "skey-99".into()];
    assert_eq!(
        s.delete("r", &missing, true),
        Err(DeleteError::NotFound("skey-99".into()))
    );
    assert_eq!(names(&s, "r"), ["a", "b", "c"]);
    assert_eq!(s.delete("r", &missing, false), Ok(1));
    assert_eq!(
        s.delete("other", &["skey-1".into()], true),
        Err(DeleteError::NotFound("skey-1".into()))
    );
    assert_eq!(names(&s, "r"), ["a", "b"]);
    assert_eq!(s.count("r"), 2);
    // The freed room and name are usable again.
    assert_eq!(s.insert("r", key("c", "SHA256:z", "skey-8"), 3, true), Ok(()));
    assert_eq!(s.count("r"), 3);
}

#[test]
fn databases_that_are_not_keyvet_stores_are_refused_untouched() {
    let Some(db) = fresh_database("foreign") else { return };
    db.execute("CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (1);");
    let e = PostgresStore::connect(&db.url).unwrap_err();
    assert!(matches!(e, PostgresError::Foreign { .. }), "{e:?}");
    assert!(e.to_string().contains("not a keyvet store"), "{e}");
    // Nothing was created in it.
    db.execute("DO $$ BEGIN IF to_regclass('keyvet_schema') IS NOT NULL THEN RAISE 'touched'; END IF; END $$;");

    let Some(db) = fresh_database("newer") else { return };
    drop(PostgresStore::connect(&db.url).unwrap());
    db.execute("UPDATE keyvet_schema SET version = 99");
    let e = PostgresStore::connect(&db.url).unwrap_err();
    assert!(
        matches!(
            e,
            PostgresError::Newer {
                found: 99,
                known: POSTGRES_SCHEMA_VERSION,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_store_whose_database_goes_away_is_unavailable_not_stuck() {
    let Some(db) = fresh_database("gone") else { return };
    let s = PostgresStore::connect(&db.url).unwrap();
    assert_eq!(s.insert("r", key("a", "SHA256:x", "skey-1"), 5, true), Ok(()));
    let url = db.url.clone();
    drop(db); // DROP DATABASE ... WITH (FORCE): the store's connections end.
    assert!(!s.healthy());
    assert_eq!(
        s.insert("r", key("b", "SHA256:y", "skey-2"), 5, true),
        Err(Conflict::Unavailable)
    );
    assert_eq!(s.list("r"), Err(Conflict::Unavailable));
    assert_eq!(s.delete("r", &["skey-1".into()], true), Err(DeleteError::Unavailable));
    assert!(PostgresStore::connect(&url).is_err());
}

#[test]
fn a_store_reconnects_after_its_connections_are_cut() {
    let Some(db) = fresh_database("reconnect") else { return };
    let s = PostgresStore::connect_with(&db.url, 2).unwrap();
    assert_eq!(s.insert("r", key("a", "SHA256:a", "skey-a"), 500, true), Ok(()));
    // As a database restart or a failover would: every connection of the
    // store ends under it.
    db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    // The pool drops the closed connections and opens new ones: a call
    // caught on a dying connection may fail, the next ones succeed.
    let results: Vec<_> = (0..5)
        .map(|i| {
            s.insert(
                "r",
                key(&format!("n{i}"), &format!("SHA256:{i}"), &format!("skey-{i}")),
                500,
                true,
            )
        })
        .collect();
    assert!(results[1..].iter().all(Result::is_ok), "{results:?}");
    assert!(s.healthy());
    let stored = s.count("r");
    assert_eq!(stored, 1 + results.iter().filter(|r| r.is_ok()).count());
}
