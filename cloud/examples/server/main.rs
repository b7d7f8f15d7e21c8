//! keyvet embedded in an HTTP server (axum on tokio): the cloud key-pair
//! import APIs and Tencent's v2 `CreateKeyPair`, over one in-memory store.
//!
//! ```sh
//! cargo run --example server                  # listens on 127.0.0.1:8080
//! cargo run --example server -- 0.0.0.0:9000
//! ```
//!
//! Each API is served under its own path prefix; take the prefix away and
//! the path is the provider's own.
//!
//! | endpoint | API |
//! |---|---|
//! | `POST /tencent-cvm/`, header `X-TC-Action: ImportKeyPair`, JSON body (`KeyName`, `ProjectId`, `PublicKey`, `TagSpecification`) | Tencent Cloud CVM API 3.0 |
//! | `GET` or `POST /tencent-cvm/v2/index.php?Action=ImportKeyPair` (`keyName`, `pubKey`) | Tencent CVM legacy v2 |
//! | `GET` or `POST /tencent-cvm/v2/index.php?Action=CreateKeyPair` (`keyName`): a new RSA key pair | Tencent CVM legacy v2 |
//! | `GET` or `POST /alibaba-ecs/?Action=ImportKeyPair` (`KeyPairName`, `PublicKeyBody`, `RegionId`, `Tag.N.Key`, `Tag.N.Value`, `ResourceGroupId`, `Format=XML\|JSON`) | Alibaba Cloud ECS |
//!
//! The v2 and ECS parameters may be in the query string, in an
//! `application/x-www-form-urlencoded` body, or both (the body wins).
//!
//! Answers are the providers' bodies. Tencent answers HTTP 200 and puts
//! errors in the body (`Response.Error.Code` for 3.0, a non-zero `code` and
//! the error code in `codeDesc` for v2). ECS answers XML unless
//! `Format=JSON`, with the error's HTTP status (400, 403, 404, 500).
//! Unknown actions get `InvalidAction` (Tencent) or `InvalidAction.NotFound`
//! (ECS, 404); a missing one `MissingParameter`. API 3.0 `ImportKeyPair` is
//! limited to 10 requests per second per client address
//! (`RequestLimitExceeded`), as Tencent documents. Bodies over 64 KiB are
//! refused. Try:
//!
//! ```sh
//! curl -s localhost:8080/tencent-cvm/ -H 'X-TC-Action: ImportKeyPair' \
//!   -d "{\"KeyName\": \"k1\", \"ProjectId\": 0, \"PublicKey\": \"$(cat ~/.ssh/id_rsa.pub)\"}"
//! curl -s localhost:8080/alibaba-ecs/ -d Action=ImportKeyPair -d RegionId=cn-hangzhou \
//!   -d KeyPairName=k1 --data-urlencode PublicKeyBody@$HOME/.ssh/id_rsa.pub
//! ```

mod app;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use keyvet_cloud::MemoryStore;

#[tokio::main]
async fn main() -> ExitCode {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8080".into());
    let Ok(addr) = addr.parse::<SocketAddr>() else {
        eprintln!("usage: server [ADDRESS:PORT]   (default 127.0.0.1:8080; got {addr:?})");
        return ExitCode::from(2);
    };
    match serve(addr).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server: {addr}: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    // Any KeyStore works: keyvet-server's SqliteStore keeps keys across runs.
    let store = Arc::new(MemoryStore::new());
    let router = app::router(store, app::Config::default());
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
