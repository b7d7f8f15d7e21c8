//! Which database a service keeps its key pairs in, from a URL.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use keyvet_cloud::KeyStore;

use crate::postgres::redacted;
use crate::{PostgresStore, SqliteStore};

/// A database URL as `keyvet serve --database` takes it: `sqlite:PATH`
/// (`sqlite://PATH` too) or `postgres://...` (`postgresql://...`).
///
/// ```
/// use keyvet_server::Database;
/// let d: Database = "sqlite:/var/lib/keyvet/keys.db".parse().unwrap();
/// assert_eq!(d, Database::Sqlite("/var/lib/keyvet/keys.db".into()));
/// assert_eq!(Database::default(), Database::Sqlite("keyvet.db".into()));
/// assert!("mysql://db/keys".parse::<Database>().is_err());
/// assert!("sqlite:".parse::<Database>().is_err());
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL server.
    Postgres(String),
}

impl Default for Database {
    /// `sqlite:keyvet.db`: a file in the working directory.
    fn default() -> Database {
        Database::Sqlite("keyvet.db".into())
    }
}

impl FromStr for Database {
    type Err = String;

    fn from_str(url: &str) -> Result<Database, String> {
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err("sqlite: needs a file path (sqlite:keyvet.db, sqlite:/var/lib/keyvet/keys.db)".into());
            }
            return Ok(Database::Sqlite(path.into()));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Database::Postgres(url.into()));
        }
        // Named by its scheme only: a mistyped scheme may come with a password.
        let scheme = url.split_once(':').map_or("", |(s, _)| s);
        let shown: String = scheme.chars().take(40).collect();
        Err(format!(
            "{shown:?}: not a database URL this service knows (sqlite:PATH or postgres://USER@HOST/DB)"
        ))
    }
}

impl fmt::Display for Database {
    /// The database as a log line names it: never a PostgreSQL password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Database::Postgres(url) => f.write_str(&redacted(url)),
        }
    }
}

impl Database {
    /// Opens the store, creating or migrating its schema.
    ///
    /// # Errors
    /// Why the database cannot serve, said for a user.
    pub fn open(&self, projects: &[i64], resource_groups: &[String]) -> Result<Arc<dyn KeyStore>, String> {
        match self {
            Database::Sqlite(path) => {
                let store = SqliteStore::open(path)
                    .map_err(|e| e.to_string())?
                    .with_projects(projects.iter().copied())
                    .with_resource_groups(resource_groups.iter().cloned());
                Ok(Arc::new(store))
            }
            Database::Postgres(url) => {
                let store = PostgresStore::connect(url)
                    .map_err(|e| e.to_string())?
                    .with_projects(projects.iter().copied())
                    .with_resource_groups(resource_groups.iter().cloned());
                Ok(Arc::new(store))
            }
        }
    }
}
