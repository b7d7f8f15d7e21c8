//! The SQLite store: one file, its rules enforced by the database.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use keyvet_cloud::{Conflict, DeleteError, KeyStore, StoredKey};
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

/// The schema version this build writes; [`SqliteStore::open`] migrates an
/// older store to it and refuses a newer one.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The schema, one step per version. A step never changes once released:
/// a new version is a new step.
const MIGRATIONS: &[&str] = &[
    // 1: accounts, and the key pairs that belong to them. A scope is the
    // provider's (a region, an API's single scope); names are unique in a
    // scope; key IDs everywhere. Whether a key may be stored twice is the
    // provider's rule, checked in the insert's transaction.
    "CREATE TABLE accounts (
         id INTEGER PRIMARY KEY,
         name TEXT NOT NULL UNIQUE,
         created_at INTEGER NOT NULL DEFAULT (unixepoch())
     );
     INSERT INTO accounts (id, name) VALUES (1, 'default');
     CREATE TABLE key_pairs (
         id INTEGER PRIMARY KEY,
         account_id INTEGER NOT NULL REFERENCES accounts (id),
         scope TEXT NOT NULL,
         name TEXT NOT NULL,
         fingerprint TEXT NOT NULL,
         key_id TEXT NOT NULL UNIQUE,
         created_at INTEGER NOT NULL DEFAULT (unixepoch()),
         UNIQUE (account_id, scope, name)
     );
     CREATE INDEX key_pairs_by_key ON key_pairs (account_id, scope, fingerprint);",
    // 2: the number of key pairs of each scope, kept with them: the quota
    // check reads one row instead of counting up to 500.
    "CREATE TABLE scopes (
         account_id INTEGER NOT NULL REFERENCES accounts (id),
         scope TEXT NOT NULL,
         key_pairs INTEGER NOT NULL CHECK (key_pairs >= 0),
         PRIMARY KEY (account_id, scope)
     ) WITHOUT ROWID;
     INSERT INTO scopes (account_id, scope, key_pairs)
         SELECT account_id, scope, count(*) FROM key_pairs GROUP BY account_id, scope;",
    // 3: what the describe calls list: the MD5 fingerprint, the public key
    // line, the project, the resource group and the tags (a JSON array of
    // [key, value]).
    "ALTER TABLE key_pairs ADD COLUMN md5 TEXT NOT NULL DEFAULT '';
     ALTER TABLE key_pairs ADD COLUMN public_key TEXT NOT NULL DEFAULT '';
     ALTER TABLE key_pairs ADD COLUMN project_id INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE key_pairs ADD COLUMN resource_group TEXT;
     ALTER TABLE key_pairs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';",
];

/// Whether a name is taken in a scope, and how many key pairs it holds.
const NAME_TAKEN: &str = "SELECT 1 FROM key_pairs WHERE account_id = ?1 AND scope = ?2 AND name = ?3";
const COUNT: &str = "SELECT coalesce((SELECT key_pairs FROM scopes WHERE account_id = ?1 AND scope = ?2), 0)";

/// The account of every key pair until accounts come with signed requests.
const DEFAULT_ACCOUNT: i64 = 1;

/// How long a writer waits for another process's transaction before the
/// insert fails with [`Conflict::Unavailable`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a store could not be opened.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not a SQLite database (an older keyvet kept `--store`
    /// files as JSON Lines; this one needs a new file).
    #[error("{path}: not a SQLite database (keyvet stores are SQLite files; give a new path)")]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// A SQLite database, but not a keyvet store.
    #[error("{path}: a SQLite database that is not a keyvet store (it has tables, but not keyvet's)")]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// A store written by a newer keyvet, whose schema this one does not know.
    #[error("{path}: store schema version {found}, newer than this keyvet's ({known}): upgrade keyvet")]
    Newer {
        /// The file.
        path: PathBuf,
        /// The store's version.
        found: i64,
        /// [`SCHEMA_VERSION`].
        known: i64,
    },
    /// SQLite failed (the file cannot be created or read, the disk is full...).
    #[error("{path}: {source}")]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// SQLite's error on `path`, "not a database" said as such.
    fn of(path: &Path, source: rusqlite::Error) -> StoreError {
        match source.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path: path.into() },
            _ => StoreError::Sqlite {
                path: path.into(),
                source,
            },
        }
    }
}

/// A [`KeyStore`] in a SQLite file, shared safely by threads and
/// processes (see the crate's documentation).
///
/// ```
/// use keyvet_cloud::{Conflict, KeyStore, StoredKey};
/// use keyvet_server::SqliteStore;
///
/// let s = SqliteStore::open_in_memory().unwrap();
/// let k = |name: &str, fp: &str, id: &str| StoredKey { name: name.into(), fingerprint: fp.into(), key_id: id.into(), ..StoredKey::default() };
/// assert_eq!(s.insert("r", k("a", "SHA256:x", "skey-1"), 2, true), Ok(()));
/// assert_eq!(s.insert("r", k("a", "SHA256:y", "skey-2"), 2, true), Err(Conflict::Name));
/// assert_eq!(s.insert("r", k("b", "SHA256:x", "skey-3"), 2, true), Err(Conflict::Key));
/// assert_eq!(s.insert("r", k("b", "SHA256:y", "skey-4"), 2, true), Ok(()));
/// assert_eq!(s.insert("r", k("c", "SHA256:z", "skey-5"), 2, true), Err(Conflict::Quota));
/// assert_eq!(s.count("r"), 2);
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    /// The store's thread, which owns the connection: every read and
    /// write is a job sent to it.
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
    projects: HashSet<i64>,
    resource_groups: HashSet<String>,
}

impl SqliteStore {
    /// Opens the store in `path`, creating the file and its schema when
    /// missing and migrating an older schema.
    ///
    /// # Errors
    /// When the file cannot be created or read, is not a keyvet store, or
    /// was written by a newer keyvet.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref();
        let fail = |source| StoreError::of(path, source);
        let conn = Connection::open(path).map_err(fail)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        // The write-ahead log: readers never block the writer; with
        // synchronous=FULL each commit is on disk before it returns.
        // Switching a new file to WAL takes an exclusive lock, and SQLite
        // answers "busy" at once (no busy handler) while another process
        // opens the same new store: retry within the busy timeout.
        let started = std::time::Instant::now();
        let mode: String = loop {
            match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)) {
                Err(e)
                    if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                r => break r.map_err(fail)?,
            }
        };
        if !mode.eq_ignore_ascii_case("wal") {
            // A file system without shared memory: the rollback journal is
            // as safe, only slower.
            conn.pragma_update(None, "journal_mode", "DELETE").map_err(fail)?;
        }
        conn.pragma_update(None, "synchronous", "FULL").map_err(fail)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(fail)?;
        // 64 MiB of page cache (the default is 2 MiB): the indexes of a
        // large store stay in memory.
        conn.pragma_update(None, "cache_size", -65536).map_err(fail)?;
        // Savepoints' journals (one per insert of a batch) in memory, not
        // in temporary files.
        conn.pragma_update(None, "temp_store", "MEMORY").map_err(fail)?;
        // Checkpoint the log every 16,384 pages (64 MiB; the default is
        // 1,000): a page written by many commits is copied back once.
        conn.pragma_update(None, "wal_autocheckpoint", 16384).map_err(fail)?;
        Self::migrate(conn, path)
    }

    /// A store in memory, for tests and examples: the same SQL, kept for
    /// the life of the value.
    ///
    /// # Errors
    /// When SQLite fails (out of memory).
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: ":memory:".into(),
            source,
        })?;
        Self::migrate(conn, Path::new(":memory:"))
    }

    /// Creates or upgrades the schema in one transaction: of two processes
    /// opening a new store at once, one creates it and the other sees it.
    fn migrate(mut conn: Connection, path: &Path) -> Result<SqliteStore, StoreError> {
        let fail = |source| StoreError::of(path, source);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let has_version: bool = tx
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'keyvet_schema'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(fail)?
            > 0;
        let version = if has_version {
            tx.query_row("SELECT version FROM keyvet_schema", [], |r| r.get(0))
                .optional()
                .map_err(fail)?
                .unwrap_or(0)
        } else {
            let tables: i64 = tx
                .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |r| {
                    r.get(0)
                })
                .map_err(fail)?;
            if tables > 0 {
                return Err(StoreError::Foreign { path: path.into() });
            }
            tx.execute_batch(
                "CREATE TABLE keyvet_schema (version INTEGER NOT NULL); INSERT INTO keyvet_schema VALUES (0);",
            )
            .map_err(fail)?;
            0
        };
        if version > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                path: path.into(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        for step in &MIGRATIONS[usize::try_from(version).unwrap_or(0)..] {
            tx.execute_batch(step).map_err(fail)?;
        }
        tx.execute("UPDATE keyvet_schema SET version = ?1", [SCHEMA_VERSION])
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        let (jobs, queue) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("keyvet-sqlite".into())
            .spawn(move || run_jobs(conn, &queue, DEFAULT_ACCOUNT))
            .map_err(|e| StoreError::Sqlite {
                path: path.into(),
                source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
            })?;
        Ok(SqliteStore {
            jobs: Some(jobs),
            thread: Some(thread),
            projects: HashSet::from([0]),
            resource_groups: HashSet::new(),
        })
    }

    /// Adds known projects (Tencent `ProjectId`; 0 is always known).
    #[must_use]
    pub fn with_projects(mut self, ids: impl IntoIterator<Item = i64>) -> SqliteStore {
        self.projects.extend(ids);
        self
    }

    /// Adds known resource groups (Alibaba `ResourceGroupId`).
    #[must_use]
    pub fn with_resource_groups<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> SqliteStore {
        self.resource_groups.extend(ids.into_iter().map(Into::into));
        self
    }

    /// The schema version of the open store.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn schema_version(&self) -> rusqlite::Result<i64> {
        self.run(|conn, _| conn.query_row("SELECT version FROM keyvet_schema", [], |r| r.get(0)))
    }

    /// The key pairs of a scope, in the order they were stored.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn key_pairs(&self, scope: &str) -> rusqlite::Result<Vec<StoredKey>> {
        let scope = scope.to_string();
        self.run(move |conn, account| {
            let mut st = conn.prepare_cached(
                "SELECT name, fingerprint, key_id, md5, public_key, created_at, project_id, resource_group, tags
                 FROM key_pairs WHERE account_id = ?1 AND scope = ?2 ORDER BY id",
            )?;
            st.query_map(params![account, scope], |r| {
                let tags: String = r.get(8)?;
                Ok(StoredKey {
                    name: r.get(0)?,
                    fingerprint: r.get(1)?,
                    key_id: r.get(2)?,
                    md5: r.get(3)?,
                    public_key: r.get(4)?,
                    created_at: r.get(5)?,
                    project_id: r.get(6)?,
                    resource_group: r.get(7)?,
                    tags: serde_json::from_str(&tags).unwrap_or_default(),
                })
            })?
            .collect()
        })
    }

    /// Runs `f` on the store's thread and waits for its result.
    fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection, i64) -> rusqlite::Result<T> + Send + 'static,
    ) -> rusqlite::Result<T> {
        let (reply, answer) = mpsc::sync_channel(1);
        let job = Job::Run(Box::new(move |conn, account| {
            let _ = reply.send(f(conn, account));
        }));
        let gone = || rusqlite::Error::InvalidQuery;
        self.jobs.as_ref().ok_or_else(gone)?.send(job).map_err(|_| gone())?;
        answer.recv().map_err(|_| gone())?
    }
}

/// Work run on the store's thread, given the connection and the account.
type ConnJob = Box<dyn FnOnce(&mut Connection, i64) + Send>;

/// Work for the store's thread.
enum Job {
    Run(ConnJob),
    Insert(Box<Pending>),
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Run(_) => f.write_str("Run"),
            Job::Insert(p) => f.debug_tuple("Insert").field(p).finish(),
        }
    }
}

impl Drop for SqliteStore {
    /// Closes the connection on the store's thread, after the jobs sent.
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The store's thread: jobs in order; the inserts waiting together are
/// written in one transaction (group commit: one sync to disk for all of
/// them), after the reads that came before them.
fn run_jobs(mut conn: Connection, queue: &mpsc::Receiver<Job>, account: i64) {
    while let Ok(first) = queue.recv() {
        let mut batch = Vec::new();
        let mut next = Some(first);
        while let Some(job) = next.take() {
            match job {
                Job::Run(f) => {
                    // It sees what was acknowledged before it.
                    write_batch(&mut conn, account, std::mem::take(&mut batch));
                    f(&mut conn, account);
                }
                Job::Insert(p) => batch.push(*p),
            }
            if batch.len() < MAX_BATCH {
                next = queue.try_recv().ok();
            }
        }
        write_batch(&mut conn, account, batch);
    }
}

/// Checks and inserts one key pair in the open transaction `tx`.
fn insert_in(
    account: i64,
    tx: &mut rusqlite::Transaction<'_>,
    scope: &str,
    key: &StoredKey,
    quota: usize,
    unique_keys: bool,
) -> Result<(), Conflict> {
    let mut checked = || -> rusqlite::Result<Result<(), Conflict>> {
        // Each insert in its own savepoint: one that fails halfway leaves
        // nothing of itself in the batch.
        let tx = tx.savepoint()?;
        let taken = |sql: &str, value: &str| -> rusqlite::Result<bool> {
            tx.prepare_cached(sql)?.exists(params![account, scope, value])
        };
        if taken(NAME_TAKEN, &key.name)? {
            return Ok(Err(Conflict::Name));
        }
        if unique_keys
            && taken(
                "SELECT 1 FROM key_pairs WHERE account_id = ?1 AND scope = ?2 AND fingerprint = ?3",
                &key.fingerprint,
            )?
        {
            return Ok(Err(Conflict::Key));
        }
        let count: i64 = tx
            .prepare_cached(COUNT)?
            .query_row(params![account, scope], |r| r.get(0))?;
        if usize::try_from(count).unwrap_or(usize::MAX) >= quota {
            return Ok(Err(Conflict::Quota));
        }
        let tags = serde_json::to_string(&key.tags).unwrap_or_else(|_| "[]".into());
        tx.prepare_cached(
            "INSERT INTO key_pairs (account_id, scope, name, fingerprint, key_id, md5, public_key, created_at,
                 project_id, resource_group, tags)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            account,
            scope,
            key.name,
            key.fingerprint,
            key.key_id,
            key.md5,
            key.public_key,
            key.created_at,
            key.project_id,
            key.resource_group,
            tags
        ])?;
        tx.prepare_cached(
            "INSERT INTO scopes (account_id, scope, key_pairs) VALUES (?1, ?2, 1)
             ON CONFLICT (account_id, scope) DO UPDATE SET key_pairs = key_pairs + 1",
        )?
        .execute(params![account, scope])?;
        tx.commit()?;
        Ok(Ok(()))
    };
    match checked() {
        Ok(result) => result,
        // The constraints back the checks up: the name's cannot fire
        // unless the checks above are wrong. A key ID drawn twice (one
        // of 36^8) is not the user's conflict: unavailable, and the
        // client's retry draws another.
        Err(e)
            if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
                && e.to_string().contains("key_pairs.name") =>
        {
            Err(Conflict::Name)
        }
        Err(_) => Err(Conflict::Unavailable),
    }
}

/// Writes a batch of inserts in one transaction: the checks of each see
/// the rows of those before it, and one commit (one sync to disk) makes
/// them all durable. Nothing is acknowledged unless the commit succeeds.
fn write_batch(conn: &mut Connection, account: i64, batch: Vec<Pending>) {
    if batch.is_empty() {
        return;
    }
    let Ok(mut tx) = conn.transaction_with_behavior(TransactionBehavior::Immediate) else {
        for p in batch {
            let _ = p.reply.send(Err(Conflict::Unavailable));
        }
        return;
    };
    let results: Vec<Result<(), Conflict>> = batch
        .iter()
        .map(|p| insert_in(account, &mut tx, &p.scope, &p.key, p.quota, p.unique_keys))
        .collect();
    let committed = tx.commit().is_ok();
    for (p, r) in batch.into_iter().zip(results) {
        let r = match r {
            Ok(()) if !committed => Err(Conflict::Unavailable),
            r => r,
        };
        let _ = p.reply.send(r);
    }
}

/// An insert waiting for its batch.
#[derive(Debug)]
struct Pending {
    scope: String,
    key: StoredKey,
    quota: usize,
    unique_keys: bool,
    reply: mpsc::SyncSender<Result<(), Conflict>>,
}

/// Most inserts committed together.
const MAX_BATCH: usize = 1024;

impl KeyStore for SqliteStore {
    /// Group commit: the insert is a job for the store's thread, which
    /// writes the inserts waiting together in one transaction.
    fn insert(&self, scope: &str, key: StoredKey, quota: usize, unique_keys: bool) -> Result<(), Conflict> {
        let (reply, answer) = mpsc::sync_channel(1);
        let job = Job::Insert(Box::new(Pending {
            scope: scope.to_string(),
            key,
            quota,
            unique_keys,
            reply,
        }));
        let sent = self.jobs.as_ref().is_some_and(|jobs| jobs.send(job).is_ok());
        if !sent {
            return Err(Conflict::Unavailable);
        }
        answer.recv().unwrap_or(Err(Conflict::Unavailable))
    }

    fn count(&self, scope: &str) -> usize {
        let scope = scope.to_string();
        let n = self.run(move |conn, account| {
            conn.prepare_cached(COUNT)?
                .query_row(params![account, scope], |r| r.get::<_, i64>(0))
        });
        n.map_or(0, |n| usize::try_from(n).unwrap_or(0))
    }

    fn contains_name(&self, scope: &str, name: &str) -> bool {
        let (scope, name) = (scope.to_string(), name.to_string());
        self.run(move |conn, account| conn.prepare_cached(NAME_TAKEN)?.exists(params![account, scope, name]))
            .unwrap_or(false)
    }

    fn list(&self, scope: &str) -> Result<Vec<StoredKey>, Conflict> {
        self.key_pairs(scope).map_err(|_| Conflict::Unavailable)
    }

    fn delete(&self, scope: &str, key_ids: &[String], all_must_exist: bool) -> Result<usize, DeleteError> {
        let (scope, key_ids) = (scope.to_string(), key_ids.to_vec());
        let result = self.run(move |conn, account| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut deleted = 0;
            for id in &key_ids {
                let n = tx
                    .prepare_cached("DELETE FROM key_pairs WHERE account_id = ?1 AND scope = ?2 AND key_id = ?3")?
                    .execute(params![account, scope, id])?;
                if n == 0 && all_must_exist {
                    // Dropped uncommitted: nothing is deleted.
                    return Ok(Err(DeleteError::NotFound(id.clone())));
                }
                deleted += n;
            }
            tx.prepare_cached("UPDATE scopes SET key_pairs = key_pairs - ?3 WHERE account_id = ?1 AND scope = ?2")?
                .execute(params![account, scope, i64::try_from(deleted).unwrap_or(i64::MAX)])?;
            tx.commit()?;
            Ok(Ok(deleted))
        });
        result.unwrap_or(Err(DeleteError::Unavailable))
    }

    fn healthy(&self) -> bool {
        self.schema_version().is_ok()
    }

    fn project_exists(&self, id: i64) -> bool {
        self.projects.contains(&id)
    }

    fn resource_group_exists(&self, id: &str) -> bool {
        self.resource_groups.contains(id)
    }
}
