//! `keyvet serve`: the key-pair service (keyvet-server) on a socket.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use keyvet_server::{Config, Database, ServeOptions};

/// What `keyvet serve` takes.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Where key pairs are kept: sqlite:PATH (created when missing; the
    /// default is keyvet.db in the working directory) or
    /// postgres://USER[:PASSWORD]@HOST[:PORT]/DB (an existing database,
    /// which several services can share). Also read from KEYVET_DATABASE,
    /// which keeps a password out of the process list.
    // Read as text and parsed in `main`: clap's own error would echo the
    // value, password and all; and the environment's value is never shown
    // in --help.
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite:keyvet.db",
        env = "KEYVET_DATABASE",
        hide_env_values = true
    )]
    database: String,
    /// A project that exists besides 0 (repeatable).
    #[arg(long = "known-project", value_name = "ID")]
    known_projects: Vec<i64>,
    /// A resource group that exists (repeatable).
    #[arg(long = "known-resource-group", value_name = "ID")]
    known_resource_groups: Vec<String>,
    /// Seconds a client has to send a request's headers; a connection idle
    /// that long between requests is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds)]
    header_timeout: f64,
    /// Seconds a client has to send a request's body.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds)]
    body_timeout: f64,
}

fn seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x > 0.0 && x <= 3600.0 => Ok(x),
        _ => Err("a number of seconds over 0, at most 3600".into()),
    }
}

pub(crate) fn main(args: &ServeArgs) -> ExitCode {
    let database: Database = match args.database.parse() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("keyvet: --database: {e}");
            return ExitCode::from(2);
        }
    };
    let store = match database.open(&args.known_projects, &args.known_resource_groups) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("keyvet: --database: {e}");
            return ExitCode::from(2);
        }
    };
    let database = match &database {
        Database::Sqlite(path) => {
            let full = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            format!("sqlite:{}", full.display())
        }
        other => other.to_string(),
    };
    let config = Config {
        body_timeout: Duration::from_secs_f64(args.body_timeout),
        ..Config::default()
    };
    let options = ServeOptions {
        header_timeout: Duration::from_secs_f64(args.header_timeout),
        ..ServeOptions::default()
    };
    match keyvet_server::run(args.listen, store, &database, config, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keyvet: serve on {}: {e}", args.listen);
            ExitCode::FAILURE
        }
    }
}
