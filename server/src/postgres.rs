//! The PostgreSQL store: one database shared by many services, its rules
//! enforced by the database.

use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use keyvet_cloud::{Conflict, DeleteError, KeyStore, StoredKey};
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

/// The schema version this build writes; [`PostgresStore::connect`]
/// migrates an older store to it and refuses a newer one.
pub const POSTGRES_SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// The schema, one step per version. A step never changes once released:
/// a new version is a new step.
const MIGRATIONS: &[&str] = &[
    // 1: accounts, the key pairs that belong to them (names unique in an
    // account's scope, key IDs everywhere), each scope's key-pair count,
    // and the insert: one call, one transaction. It locks the scope's
    // count row first, so the inserts of one scope take turns whichever
    // service sends them, and each sees the rows of those before it (READ
    // COMMITTED: every statement reads what was committed when it began).
    // Then the checks in the providers' order (name, key, quota), then the
    // rows. The UNIQUE constraints back the checks up.
    r"CREATE TABLE accounts (
          id bigint PRIMARY KEY,
          name text NOT NULL UNIQUE,
          created_at bigint NOT NULL DEFAULT extract(epoch FROM now())::bigint
      );
      INSERT INTO accounts (id, name) VALUES (1, 'default');
      CREATE TABLE key_pairs (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          account_id bigint NOT NULL REFERENCES accounts (id),
          scope text NOT NULL,
          name text NOT NULL,
          fingerprint text NOT NULL,
          key_id text NOT NULL UNIQUE,
          md5 text NOT NULL DEFAULT '',
          public_key text NOT NULL DEFAULT '',
          created_at bigint NOT NULL,
          project_id bigint NOT NULL DEFAULT 0,
          resource_group text,
          tags text NOT NULL DEFAULT '[]',
          UNIQUE (account_id, scope, name)
      );
      CREATE INDEX key_pairs_by_key ON key_pairs (account_id, scope, fingerprint);
      CREATE TABLE scopes (
          account_id bigint NOT NULL REFERENCES accounts (id),
          scope text NOT NULL,
          key_pairs bigint NOT NULL CHECK (key_pairs >= 0),
          PRIMARY KEY (account_id, scope)
      );
      CREATE FUNCTION keyvet_insert_key_pair(
          p_account bigint, p_scope text, p_name text, p_fingerprint text, p_key_id text,
          p_md5 text, p_public_key text, p_created_at bigint, p_project_id bigint,
          p_resource_group text, p_tags text, p_quota bigint, p_unique_keys boolean
      ) RETURNS text LANGUAGE plpgsql AS $$
      DECLARE
          held bigint;
      BEGIN
          INSERT INTO scopes (account_id, scope, key_pairs) VALUES (p_account, p_scope, 0)
              ON CONFLICT (account_id, scope) DO NOTHING;
          SELECT key_pairs INTO held FROM scopes
              WHERE account_id = p_account AND scope = p_scope FOR UPDATE;
          IF EXISTS (SELECT 1 FROM key_pairs
                     WHERE account_id = p_account AND scope = p_scope AND name = p_name) THEN
              RETURN 'name';
          END IF;
          IF p_unique_keys AND EXISTS (SELECT 1 FROM key_pairs
                     WHERE account_id = p_account AND scope = p_scope AND fingerprint = p_fingerprint) THEN
              RETURN 'key';
          END IF;
          IF held >= p_quota THEN
              RETURN 'quota';
          END IF;
          INSERT INTO key_pairs (account_id, scope, name, fingerprint, key_id, md5, public_key,
                                 created_at, project_id, resource_group, tags)
              VALUES (p_account, p_scope, p_name, p_fingerprint, p_key_id, p_md5, p_public_key,
                      p_created_at, p_project_id, p_resource_group, p_tags);
          UPDATE scopes SET key_pairs = held + 1 WHERE account_id = p_account AND scope = p_scope;
          RETURN 'stored';
      END
      $$;",
];

/// One key for PostgreSQL's advisory lock that makes the services
/// starting together on a new database migrate it one at a time.
const MIGRATION_LOCK: i64 = 0x6b65_7976_6574; // "keyvet"

/// The account of every key pair until accounts come with signed requests.
const DEFAULT_ACCOUNT: i64 = 1;

/// How long one store call may take, waiting for a connection included,
/// before it fails with [`Conflict::Unavailable`].
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// How long the server lets one statement run, wait for a lock, or a
/// transaction sit idle, for a store's connections: under
/// [`CALL_TIMEOUT`], so the server has ended a call's work when the store
/// gives up on it.
const SERVER_TIMEOUT: Duration = Duration::from_secs(25);

/// How long the health check waits.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// Connections a store keeps to the database (each service process).
pub const DEFAULT_POOL_SIZE: usize = 16;

const COLUMNS: &str = "name, fingerprint, key_id, md5, public_key, created_at, project_id, resource_group, tags";

/// Why a PostgreSQL store could not be opened. Its messages name the
/// database without its password.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum PostgresError {
    /// The URL is not one PostgreSQL's client understands.
    #[error("{database}: not a PostgreSQL URL this client understands: {message}")]
    Url {
        /// The database, without a password.
        database: String,
        /// What is wrong with it.
        message: String,
    },
    /// The URL asks for TLS (`sslmode=require`), which this build does not
    /// have yet.
    #[error(
        "{database}: sslmode=require asks for TLS, which this build does not have yet: reach the database over \
         loopback or a private network (sslmode=disable or prefer)"
    )]
    TlsRequired {
        /// The database, without a password.
        database: String,
    },
    /// The database has tables, but no keyvet schema.
    #[error("{database}: a database that is not a keyvet store (it has tables, but not keyvet's)")]
    Foreign {
        /// The database, without a password.
        database: String,
    },
    /// A store written by a newer keyvet.
    #[error("{database}: store schema version {found}, newer than this keyvet's ({known}): upgrade keyvet")]
    Newer {
        /// The database, without a password.
        database: String,
        /// The store's version.
        found: i32,
        /// [`POSTGRES_SCHEMA_VERSION`].
        known: i32,
    },
    /// The server cannot be reached, refused the login, or failed.
    #[error("{database}: {message}")]
    Failed {
        /// The database, without a password.
        database: String,
        /// PostgreSQL's or the network's error.
        message: String,
    },
}

/// A store call's failure (the trait's callers see [`Conflict::Unavailable`]).
#[derive(Debug)]
enum CallError {
    Pool(deadpool_postgres::PoolError),
    Sql(tokio_postgres::Error),
    TimedOut,
}

impl From<deadpool_postgres::PoolError> for CallError {
    fn from(e: deadpool_postgres::PoolError) -> CallError {
        CallError::Pool(e)
    }
}

impl From<tokio_postgres::Error> for CallError {
    fn from(e: tokio_postgres::Error) -> CallError {
        CallError::Sql(e)
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The driver's own error, without the pool's preamble.
            CallError::Pool(deadpool_postgres::PoolError::Backend(e)) => f.write_str(&sql_message(e)),
            CallError::Pool(deadpool_postgres::PoolError::Timeout(_)) => {
                f.write_str("no connection to the database within the time allowed")
            }
            CallError::Pool(e) => write!(f, "{e}"),
            CallError::Sql(e) => f.write_str(&sql_message(e)),
            CallError::TimedOut => f.write_str("timed out"),
        }
    }
}

/// PostgreSQL's error (its SQLSTATE and message), or the driver's with its
/// causes.
fn sql_message(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{}: {}", db.code().code(), db.message());
    }
    let mut message = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let text = c.to_string();
        if !message.contains(&text) {
            message = format!("{message}: {text}");
        }
        cause = c.source();
    }
    message
}

/// A [`KeyStore`] in a PostgreSQL database, which several services (on
/// several hosts) can share: every rule is enforced by the database in
/// the insert's own transaction (see the crate's documentation).
///
/// The store's calls are synchronous, as [`KeyStore`]'s are: it runs its
/// pool of connections on a small runtime of its own, so call it from
/// plain threads or tokio's blocking pool (`spawn_blocking`), never from
/// inside an async task.
///
/// ```no_run
/// use keyvet_cloud::{KeyStore, StoredKey};
/// use keyvet_server::PostgresStore;
///
/// let s = PostgresStore::connect("postgres://keyvet@127.0.0.1/keyvet").unwrap();
/// let key = StoredKey { name: "a".into(), fingerprint: "SHA256:x".into(), key_id: "skey-1".into(), ..StoredKey::default() };
/// s.insert("r", key, 500, true).unwrap();
/// assert_eq!(s.count("r"), 1);
/// ```
pub struct PostgresStore {
    /// Drives the pool's connections; `None` only while dropping.
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    projects: HashSet<i64>,
    resource_groups: HashSet<String>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("pool", &self.pool.status())
            .finish_non_exhaustive()
    }
}

/// `url` as a log line may show it: scheme, host, port and database, no
/// user or password.
pub(crate) fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        // libpq's key=value form: nothing of it is shown.
        return "postgres (a key=value connection string)".into();
    };
    // The authority ends at the first '/' or '?'; the user and password
    // are before its last '@'; the query (which may hold a password) goes.
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let path = tail.split('?').next().unwrap_or("");
    format!("{scheme}://{host}{path}")
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?...]`,
    /// as libpq takes it) with [`DEFAULT_POOL_SIZE`] connections, and
    /// creates or migrates its schema.
    ///
    /// # Errors
    /// When the URL is not PostgreSQL's, the server cannot be reached or
    /// refuses the login, the database holds other tables than keyvet's,
    /// or its schema is newer than this build's.
    pub fn connect(url: &str) -> Result<PostgresStore, PostgresError> {
        Self::connect_with(url, DEFAULT_POOL_SIZE)
    }

    /// [`connect`](Self::connect) with `pool_size` connections.
    ///
    /// # Errors
    /// As [`connect`](Self::connect).
    pub fn connect_with(url: &str, pool_size: usize) -> Result<PostgresStore, PostgresError> {
        let database = redacted(url);
        let mut config = tokio_postgres::Config::from_str(url).map_err(|e| PostgresError::Url {
            database: database.clone(),
            message: e.to_string(),
        })?;
        if config.get_ssl_mode() == tokio_postgres::config::SslMode::Require {
            return Err(PostgresError::TlsRequired { database });
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("keyvet");
        }
        // The server ends what a stalled or vanished service leaves behind
        // before the store's own call timeout: a statement (the insert is
        // one), a wait for a lock, a transaction left open (a delete holds
        // its scope's lock); and TCP keepalives give up on a silent peer
        // after about a minute (the system default is two hours).
        let limits = format!(
            "-c statement_timeout={ms} -c lock_timeout={ms} -c idle_in_transaction_session_timeout={ms}",
            ms = SERVER_TIMEOUT.as_millis()
        );
        let options = match config.get_options() {
            Some(theirs) => format!("{limits} {theirs}"),
            None => limits,
        };
        config.options(options);
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(30));
        config.keepalives_interval(Duration::from_secs(10));
        config.keepalives_retries(3);
        let failed = |message: String| PostgresError::Failed {
            database: database.clone(),
            message,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("keyvet-postgres")
            .enable_all()
            .build()
            .map_err(|e| failed(e.to_string()))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(CALL_TIMEOUT))
            .create_timeout(Some(Duration::from_secs(10)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(|e| failed(e.to_string()))?;
        let store = PostgresStore {
            runtime: Some(runtime),
            pool,
            projects: HashSet::from([0]),
            resource_groups: HashSet::new(),
        };
        store.migrate(&database)?;
        Ok(store)
    }

    /// Creates or upgrades the schema in one transaction, under an
    /// advisory lock: of two services starting on a new database, one
    /// creates the schema and the other finds it.
    fn migrate(&self, database: &str) -> Result<(), PostgresError> {
        let failed = |e: CallError| PostgresError::Failed {
            database: database.into(),
            message: e.to_string(),
        };
        self.call(CALL_TIMEOUT, async |client| {
            let tx = client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
                .await?;
            let has_version: bool = tx
                .query_one("SELECT to_regclass('keyvet_schema') IS NOT NULL", &[])
                .await?
                .get(0);
            let version: i32 = if has_version {
                tx.query_opt("SELECT version FROM keyvet_schema", &[])
                    .await?
                    .map_or(0, |r| r.get(0))
            } else {
                let tables: i64 = tx
                    .query_one(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
                        &[],
                    )
                    .await?
                    .get(0);
                if tables > 0 {
                    return Ok(Err(PostgresError::Foreign {
                        database: database.into(),
                    }));
                }
                tx.batch_execute(
                    "CREATE TABLE keyvet_schema (version integer NOT NULL);
                         INSERT INTO keyvet_schema VALUES (0);",
                )
                .await?;
                0
            };
            if version > POSTGRES_SCHEMA_VERSION {
                return Ok(Err(PostgresError::Newer {
                    database: database.into(),
                    found: version,
                    known: POSTGRES_SCHEMA_VERSION,
                }));
            }
            for step in &MIGRATIONS[usize::try_from(version).unwrap_or(0)..] {
                tx.batch_execute(step).await?;
            }
            tx.execute("UPDATE keyvet_schema SET version = $1", &[&POSTGRES_SCHEMA_VERSION])
                .await?;
            tx.commit().await?;
            Ok(Ok(()))
        })
        .map_err(failed)?
    }

    /// Adds known projects (Tencent `ProjectId`; 0 is always known).
    #[must_use]
    pub fn with_projects(mut self, ids: impl IntoIterator<Item = i64>) -> PostgresStore {
        self.projects.extend(ids);
        self
    }

    /// Adds known resource groups (Alibaba `ResourceGroupId`).
    #[must_use]
    pub fn with_resource_groups<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> PostgresStore {
        self.resource_groups.extend(ids.into_iter().map(Into::into));
        self
    }

    /// The schema version of the store.
    ///
    /// # Errors
    /// When the database does not answer, said for a log.
    pub fn schema_version(&self) -> Result<i32, String> {
        self.call(CALL_TIMEOUT, async |client| {
            Ok(client.query_one("SELECT version FROM keyvet_schema", &[]).await?.get(0))
        })
        .map_err(|e| e.to_string())
    }

    /// The key pairs of a scope, in the order they were stored.
    ///
    /// # Errors
    /// When the database does not answer, said for a log.
    pub fn key_pairs(&self, scope: &str) -> Result<Vec<StoredKey>, String> {
        self.call(CALL_TIMEOUT, async |client| {
            let st = client
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM key_pairs WHERE account_id = $1 AND scope = $2 ORDER BY id"
                ))
                .await?;
            let rows = client.query(&st, &[&DEFAULT_ACCOUNT, &scope]).await?;
            Ok(rows
                .iter()
                .map(|r| StoredKey {
                    name: r.get(0),
                    fingerprint: r.get(1),
                    key_id: r.get(2),
                    md5: r.get(3),
                    public_key: r.get(4),
                    created_at: r.get(5),
                    project_id: r.get(6),
                    resource_group: r.get(7),
                    tags: serde_json::from_str(r.get(8)).unwrap_or_default(),
                })
                .collect())
        })
        .map_err(|e| e.to_string())
    }

    /// Runs `f` with a pooled connection on the store's runtime, within
    /// `timeout` (waiting for the connection included).
    fn call<T>(
        &self,
        timeout: Duration,
        f: impl AsyncFnOnce(&mut deadpool_postgres::Client) -> Result<T, CallError>,
    ) -> Result<T, CallError> {
        let Some(runtime) = &self.runtime else {
            return Err(CallError::TimedOut);
        };
        runtime.block_on(async {
            let deadline = tokio::time::Instant::now() + timeout;
            let mut client = tokio::time::timeout_at(deadline, self.pool.get()).await.unwrap_or(Err(
                deadpool_postgres::PoolError::Timeout(deadpool_postgres::TimeoutType::Wait),
            ))?;
            match tokio::time::timeout_at(deadline, f(&mut client)).await {
                Ok(result) => result,
                Err(_) => {
                    // Its query may still be running: closed, not pooled,
                    // so that no later call waits behind it.
                    drop(deadpool_postgres::Object::take(client));
                    Err(CallError::TimedOut)
                }
            }
        })
    }

    /// Waits for a future on the store's runtime (for tests of the pool).
    #[cfg(test)]
    fn block_on<F: std::future::Future>(&self, f: F) -> Option<F::Output> {
        self.runtime.as_ref().map(|r| r.block_on(f))
    }
}

impl Drop for PostgresStore {
    /// Stops the store's runtime without waiting for it, which is allowed
    /// anywhere (dropping a runtime inside another one's task is not).
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl KeyStore for PostgresStore {
    /// One call of the schema's insert function: one round trip, one
    /// transaction, committed (on disk, with PostgreSQL's default
    /// `synchronous_commit`) before it returns.
    fn insert(&self, scope: &str, key: StoredKey, quota: usize, unique_keys: bool) -> Result<(), Conflict> {
        let tags = serde_json::to_string(&key.tags).unwrap_or_else(|_| "[]".into());
        let quota = i64::try_from(quota).unwrap_or(i64::MAX);
        let result = self.call(CALL_TIMEOUT, async |client| {
            let st = client
                .prepare_cached("SELECT keyvet_insert_key_pair($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
                .await?;
            let row = client
                .query_one(
                    &st,
                    &[
                        &DEFAULT_ACCOUNT,
                        &scope,
                        &key.name,
                        &key.fingerprint,
                        &key.key_id,
                        &key.md5,
                        &key.public_key,
                        &key.created_at,
                        &key.project_id,
                        &key.resource_group,
                        &tags,
                        &quota,
                        &unique_keys,
                    ],
                )
                .await?;
            Ok(row.get::<_, String>(0))
        });
        match result.as_deref() {
            Ok("stored") => Ok(()),
            Ok("name") => Err(Conflict::Name),
            Ok("key") => Err(Conflict::Key),
            Ok("quota") => Err(Conflict::Quota),
            // The name's constraint cannot fire unless the function's
            // checks are wrong. A key ID drawn twice is not the user's
            // conflict: unavailable, and the client's retry draws another.
            Err(CallError::Sql(e))
                if e.code() == Some(&SqlState::UNIQUE_VIOLATION)
                    && e.as_db_error().and_then(|d| d.constraint()) == Some("key_pairs_account_id_scope_name_key") =>
            {
                Err(Conflict::Name)
            }
            _ => Err(Conflict::Unavailable),
        }
    }

    fn count(&self, scope: &str) -> usize {
        let n = self.call(CALL_TIMEOUT, async |client| {
            let st = client
                .prepare_cached(
                    "SELECT coalesce((SELECT key_pairs FROM scopes WHERE account_id = $1 AND scope = $2), 0)",
                )
                .await?;
            Ok(client
                .query_one(&st, &[&DEFAULT_ACCOUNT, &scope])
                .await?
                .get::<_, i64>(0))
        });
        n.map_or(0, |n| usize::try_from(n).unwrap_or(0))
    }

    fn contains_name(&self, scope: &str, name: &str) -> bool {
        self.call(CALL_TIMEOUT, async |client| {
            let st = client
                .prepare_cached("SELECT 1 FROM key_pairs WHERE account_id = $1 AND scope = $2 AND name = $3")
                .await?;
            Ok(client
                .query_opt(&st, &[&DEFAULT_ACCOUNT, &scope, &name])
                .await?
                .is_some())
        })
        .unwrap_or(false)
    }

    fn list(&self, scope: &str) -> Result<Vec<StoredKey>, Conflict> {
        self.key_pairs(scope).map_err(|_| Conflict::Unavailable)
    }

    /// One transaction that locks the scope's count row first, as inserts
    /// do: all or nothing.
    fn delete(&self, scope: &str, key_ids: &[String], all_must_exist: bool) -> Result<usize, DeleteError> {
        let result = self.call(CALL_TIMEOUT, async |client| {
            let tx = client.transaction().await?;
            tx.query_opt(
                "SELECT key_pairs FROM scopes WHERE account_id = $1 AND scope = $2 FOR UPDATE",
                &[&DEFAULT_ACCOUNT, &scope],
            )
            .await?;
            let delete = tx
                .prepare_cached("DELETE FROM key_pairs WHERE account_id = $1 AND scope = $2 AND key_id = $3")
                .await?;
            let mut deleted: u64 = 0;
            for id in key_ids {
                let n = tx.execute(&delete, &[&DEFAULT_ACCOUNT, &scope, id]).await?;
                if n == 0 && all_must_exist {
                    // Rolled back when `tx` drops: nothing is deleted.
                    return Ok(Err(DeleteError::NotFound(id.clone())));
                }
                deleted += n;
            }
            let gone = i64::try_from(deleted).unwrap_or(i64::MAX);
            tx.execute(
                "UPDATE scopes SET key_pairs = key_pairs - $3 WHERE account_id = $1 AND scope = $2",
                &[&DEFAULT_ACCOUNT, &scope, &gone],
            )
            .await?;
            tx.commit().await?;
            Ok(Ok(usize::try_from(deleted).unwrap_or(usize::MAX)))
        });
        result.unwrap_or(Err(DeleteError::Unavailable))
    }

    fn healthy(&self) -> bool {
        self.call(HEALTH_TIMEOUT, async |client| {
            Ok(client
                .query_one("SELECT version FROM keyvet_schema", &[])
                .await?
                .get::<_, i32>(0))
        })
        .is_ok()
    }

    fn project_exists(&self, id: i64) -> bool {
        self.projects.contains(&id)
    }

    fn resource_group_exists(&self, id: &str) -> bool {
        self.resource_groups.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_urls_hide_users_and_passwords() {
        assert_eq!(
            redacted("postgres://u:secret@db.example:5433/keys"),
            "postgres://db.example:5433/keys"
        );
        assert_eq!(redacted("postgresql://h/d?password=secret"), "postgresql://h/d");
        assert_eq!(redacted("postgres://a:b@c@h/d"), "postgres://h/d");
        assert_eq!(redacted("postgres://keyvet@db/k?password=p@ss"), "postgres://db/k");
        assert_eq!(redacted("postgres://u:p@db?password=x"), "postgres://db");
        assert_eq!(
            redacted("host=db password=hunter2"),
            "postgres (a key=value connection string)"
        );
    }

    #[test]
    fn an_unreachable_server_is_an_error_not_a_hang() {
        // Port 1 on loopback: nothing listens; the connection is refused.
        let e = PostgresStore::connect_with("postgres://keyvet:secret@127.0.0.1:1/keys", 1).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("postgres://127.0.0.1:1/keys: "), "{msg}");
        assert!(!msg.contains("secret"), "{msg}");
        let e = PostgresStore::connect("postgres://h/d?sslmode=sometimes").unwrap_err();
        assert!(matches!(e, PostgresError::Url { .. }), "{e:?}");
        // Asking for TLS is refused up front, not at the handshake.
        let e = PostgresStore::connect("postgres://u:secret@h/d?sslmode=require").unwrap_err();
        assert!(matches!(e, PostgresError::TlsRequired { .. }), "{e:?}");
        assert!(
            e.to_string()
                .starts_with("postgres://h/d: sslmode=require asks for TLS"),
            "{e}"
        );
    }

    #[test]
    fn dropping_inside_a_runtime_does_not_panic() {
        let Err(PostgresError::Failed { .. }) = PostgresStore::connect_with("postgres://127.0.0.1:1/k", 1) else {
            panic!("connected to port 1");
        };
        // A store built outside, dropped inside another runtime's task.
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let store = PostgresStore {
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .ok(),
            pool: Pool::builder(Manager::from_config(
                tokio_postgres::Config::from_str("postgres://127.0.0.1:1/k").unwrap(),
                NoTls,
                ManagerConfig {
                    recycling_method: RecyclingMethod::Fast,
                },
            ))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .unwrap(),
            projects: HashSet::new(),
            resource_groups: HashSet::new(),
        };
        assert_eq!(store.block_on(async { 7 }), Some(7));
        assert!(!store.healthy());
        runtime.block_on(async move { drop(store) });
    }
}
