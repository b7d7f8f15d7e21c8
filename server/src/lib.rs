//! keyvet's key-pair service: the cloud key-pair APIs of
//! [`keyvet_cloud`] on a real database, over HTTP (`keyvet serve`).
//!
//! [`router`] serves the APIs (its page lists the endpoints),
//! [`serve`](crate::serve()) runs it on a socket with bounded
//! connections, request IDs, a JSON request log and a graceful shutdown,
//! and [`run`] is the whole service as `keyvet serve` starts it.
//!
//! [`SqliteStore`] is a [`KeyStore`](keyvet_cloud::KeyStore) in one SQLite
//! file (embedded: nothing to install). Its rules hold across threads and
//! processes because the database enforces them: inserts are written by
//! the store's own thread in `BEGIN IMMEDIATE` transactions (one writer at
//! a time across processes), each insert checking the name, the key and
//! the scope's key-pair count and writing its rows in its own savepoint,
//! under `UNIQUE` constraints; the inserts waiting together share one
//! transaction (group commit: one sync to disk for all). A commit is durable before it is acknowledged
//! (write-ahead log, `synchronous=FULL`), so a crash or `kill -9` loses no
//! acknowledged key pair and leaves no partial one. The schema is created
//! and migrated when a store opens, with its version in a table; every key
//! pair belongs to an account.
//!
//! [`PostgresStore`] keeps them in a PostgreSQL database that several
//! services, on several hosts, can share (`keyvet serve --database
//! postgres://...`). There too the database enforces every rule: an insert
//! is one call of a PL/pgSQL function, one transaction, that locks the
//! scope's count row (the inserts of a scope take turns, whichever service
//! sends them), checks name, key and quota and writes; `UNIQUE` constraints
//! back the checks up; the schema is migrated at start under an advisory
//! lock. [`Database`] opens either from a URL.
//!
//! ```
//! use keyvet_cloud::{RandomIds, alibaba_ecs};
//! use keyvet_server::SqliteStore;
//!
//! let dir = std::env::temp_dir().join(format!("keyvet-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("keys.db");
//! let body = std::fs::read_to_string("../corpus/valid/rsa-2048.pub").unwrap();
//! let req = alibaba_ecs::IMPORT.request_from_params(
//!     [("KeyPairName", "team-key"), ("RegionId", "cn-hangzhou"), ("PublicKeyBody", body.as_str())],
//! );
//! let store = SqliteStore::open(&path).unwrap();
//! alibaba_ecs::IMPORT.import(&req, &store, &RandomIds).unwrap();
//! drop(store);
//!
//! // Another process, or a later run: the key pair is there.
//! let store = SqliteStore::open(&path).unwrap();
//! let dup = alibaba_ecs::IMPORT.import(&req, &store, &RandomIds).unwrap_err();
//! assert_eq!(dup.code, "KeyPair.AlreadyExist");
//! assert_eq!(store.key_pairs("alibaba-ecs/cn-hangzhou").unwrap()[0].name, "team-key");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

mod database;
mod log;
mod postgres;
mod rate_limit;
mod routes;
mod serve;
mod sqlite;

pub use database::Database;
pub use log::Log;
pub use postgres::{DEFAULT_POOL_SIZE, POSTGRES_SCHEMA_VERSION, PostgresError, PostgresStore};
pub use rate_limit::RateLimit;
pub use routes::{BODY_LIMIT, Config, Outcome, RequestId, router};
pub use serve::{ServeOptions, run, serve};
pub use sqlite::{SCHEMA_VERSION, SqliteStore, StoreError};

/// The README's examples, run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
