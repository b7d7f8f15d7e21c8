//! A fresh PostgreSQL database for one test, on the server `KEYVET_PG_URL`
//! names (`bash .ci/postgres start` starts a throwaway one and prints it).
//! Outside CI, a test without it says it skipped; in CI (`CI` set) it
//! fails: CI starts PostgreSQL, so a missing URL is a broken CI.

/// A database created for one test, dropped with it.
pub struct FreshDatabase {
    admin: String,
    name: String,
    /// The database's URL, for the store or `keyvet serve --database`.
    pub url: String,
}

/// `KEYVET_PG_URL` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let base = url.split('?').next().unwrap_or(url);
    let (scheme, rest) = base.split_once("://").expect("KEYVET_PG_URL is a postgres:// URL");
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}/{name}")
}

/// A new empty database for the test `tag`, or `None` (said on stderr)
/// when no PostgreSQL is given outside CI.
pub fn fresh_database(tag: &str) -> Option<FreshDatabase> {
    let admin = match std::env::var("KEYVET_PG_URL") {
        Ok(url) if !url.is_empty() => url,
        _ if std::env::var_os("CI").is_some() => {
            panic!("{tag}: KEYVET_PG_URL is unset in CI (.ci/run starts PostgreSQL and sets it)")
        }
        _ => {
            // Straight to stderr: the test harness hides what passing
            // tests print with eprintln!.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "{tag}: SKIPPED, no PostgreSQL: set KEYVET_PG_URL (eval \"$(bash .ci/postgres start)\")"
            );
            return None;
        }
    };
    let name = format!("keyvet_{tag}_{}", std::process::id());
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("KEYVET_PG_URL answers");
    // One statement each: several in one message share a transaction,
    // which these refuse.
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
    client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let url = with_database(&admin, &name);
    Some(FreshDatabase { admin, name, url })
}

impl FreshDatabase {
    /// Runs SQL in the test's database (to look at or damage it).
    #[allow(dead_code)]
    pub fn execute(&self, sql: &str) {
        let mut client = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
        client.batch_execute(sql).unwrap();
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}
