//! keyvet's key-pair APIs embedded in a program: the service's router over
//! a store of your own (here one in memory, lost at exit), served on a
//! socket. `keyvet serve` is the same service on a database.
//!
//! ```sh
//! cargo run -p keyvet-server --example server                  # 127.0.0.1:8080
//! cargo run -p keyvet-server --example server -- 0.0.0.0:9000
//! curl -s localhost:8080/alibaba-ecs/ -d Action=ImportKeyPair -d RegionId=cn-hangzhou \
//!   -d KeyPairName=k1 --data-urlencode PublicKeyBody@$HOME/.ssh/id_rsa.pub
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use keyvet_cloud::MemoryStore;
use keyvet_server::{Config, ServeOptions};

fn main() -> ExitCode {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8080".into());
    let Ok(addr) = addr.parse::<SocketAddr>() else {
        eprintln!("usage: server [ADDRESS:PORT]   (default 127.0.0.1:8080; got {addr:?})");
        return ExitCode::from(2);
    };
    // Any KeyStore works: keyvet_server::SqliteStore keeps keys across runs.
    let store = Arc::new(MemoryStore::new());
    match keyvet_server::run(addr, store, "memory", Config::default(), ServeOptions::default()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server: {addr}: {e}");
            ExitCode::FAILURE
        }
    }
}
