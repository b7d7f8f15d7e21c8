//! The service's router over a real loopback socket: served by
//! [`keyvet_server::serve`] on 127.0.0.1, driven by a real HTTP client
//! (ureq), with the API documents' request formats.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use keyvet_cloud::{KeyStore, MemoryStore, Provider, alibaba_ecs};
use keyvet_server::{BODY_LIMIT, Config, Log, PostgresStore, RateLimit, ServeOptions};
use serde_json::{Value, json};

/// The example's router on an ephemeral loopback port, in its own runtime
/// (dropped with the server at the end of a test).
struct Server<S = MemoryStore> {
    base: String,
    store: Arc<S>,
    agent: ureq::Agent,
    _runtime: tokio::runtime::Runtime,
}

/// What a response held.
#[derive(Debug)]
struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        assert!(self.content_type.starts_with("application/json"), "{self:?}");
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }

    /// `Response.Error.Code` of a Tencent API 3.0 error (always HTTP 200).
    fn tc3_error(&self) -> String {
        assert_eq!(self.status, 200, "{self:?}");
        let v = self.json();
        let r = v["Response"].as_object().unwrap();
        assert_eq!(keys(&v["Response"]), ["Error", "RequestId"], "{self:?}");
        assert!(is_request_id(&r["RequestId"]), "{self:?}");
        assert!(
            r["Error"]["Message"].as_str().is_some_and(|m| !m.is_empty()),
            "{self:?}"
        );
        r["Error"]["Code"].as_str().unwrap().to_string()
    }

    /// `(code, codeDesc)` of a Tencent v2 answer (always HTTP 200).
    fn v2_code(&self) -> (u64, String) {
        assert_eq!(self.status, 200, "{self:?}");
        let v = self.json();
        (v["code"].as_u64().unwrap(), v["codeDesc"].as_str().unwrap().to_string())
    }

    /// `(HTTP status, Code)` of an Alibaba error, JSON or XML.
    fn ecs_error(&self) -> (u16, String) {
        let code = if self.content_type.starts_with("text/xml") {
            assert!(self.body.starts_with("<Error>\n      <RequestId>"), "{self:?}");
            let start = self.body.find("<Code>").unwrap() + 6;
            let end = self.body.find("</Code>").unwrap();
            self.body[start..end].to_string()
        } else {
            let v = self.json();
            assert_eq!(keys(&v), ["RequestId", "Code", "Message", "HttpStatus"], "{self:?}");
            assert_eq!(v["HttpStatus"], self.status, "{self:?}");
            v["Code"].as_str().unwrap().to_string()
        };
        (self.status, code)
    }
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// `skey-` and 8 lowercase letters or digits.
fn is_key_id(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 13 && s.starts_with("skey-") && s[5..].bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// An upper-case UUID such as `6EF60BEC-0242-43AF-BB20-270359FB54A7`.
fn is_request_id(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 36
            && s.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_digit() || (c.is_ascii_uppercase() && c.is_ascii_hexdigit()),
            })
    })
}

fn corpus(name: &str) -> String {
    let path = format!("{}/../corpus/valid/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The bare colon-hex MD5 fingerprint recorded for a corpus key.
fn md5_of(name: &str) -> String {
    let line = corpus(&format!("{name}.md5"));
    let fp = line.split_whitespace().nth(1).unwrap();
    fp.strip_prefix("MD5:").unwrap().to_string()
}

/// The documented behaviour without the rate limit, so tests that are not
/// about it do not depend on timing.
fn unlimited() -> Config {
    Config {
        tencent_rate_limit: None,
        ..Config::default()
    }
}

impl Server {
    fn start(config: Config) -> Server {
        Server::with_store(MemoryStore::new(), config)
    }
}

impl<S: KeyStore + 'static> Server<S> {
    fn with_store(store: S, config: Config) -> Server<S> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let store = Arc::new(store);
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let router = keyvet_server::router(store.clone(), config);
        let options = ServeOptions {
            log: Log::Off,
            ..ServeOptions::default()
        };
        runtime.spawn(keyvet_server::serve(listener, router, options, std::future::pending()));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Server {
            base: format!("http://{addr}"),
            store,
            agent,
            _runtime: runtime,
        }
    }

    fn reply(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut r = r.expect("HTTP exchange");
        let content_type = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        Reply {
            status: r.status().as_u16(),
            content_type,
            body: r.body_mut().read_to_string().unwrap(),
        }
    }

    /// Tencent API 3.0: `POST /tencent-cvm/` with `X-TC-Action`.
    fn tc3(&self, action: Option<&str>, body: &str) -> Reply {
        let mut req = self
            .agent
            .post(format!("{}/tencent-cvm/", self.base))
            .content_type("application/json");
        if let Some(a) = action {
            req = req.header("X-TC-Action", a);
        }
        Self::reply(req.send(body))
    }

    fn tc3_import(&self, name: &str, key: &str) -> Reply {
        let body = json!({"ProjectId": 0, "KeyName": name, "PublicKey": key});
        self.tc3(Some("ImportKeyPair"), &body.to_string())
    }

    /// `GET path?params`.
    fn get(&self, path: &str, params: &[(&str, &str)]) -> Reply {
        let url = format!("{}{path}", self.base);
        Self::reply(self.agent.get(url).query_pairs(params.iter().copied()).call())
    }

    /// `POST path` with a form body.
    fn form(&self, path: &str, params: &[(&str, &str)]) -> Reply {
        let url = format!("{}{path}", self.base);
        Self::reply(self.agent.post(url).send_form(params.iter().copied()))
    }
}

mod support;
use support::postgres::fresh_database;

const V2: &str = "/tencent-cvm/v2/index.php";
const ECS: &str = "/alibaba-ecs/";

#[test]
fn tencent_v3_import_and_errors() {
    let s = Server::start(unlimited());
    let rsa = corpus("rsa-2048.pub");
    // The documented example request: ProjectId as the string "0".
    let body = json!({"ProjectId": "0", "KeyName": "operation_key", "PublicKey": rsa});
    let r = s.tc3(Some("ImportKeyPair"), &body.to_string());
    assert_eq!(r.status, 200, "{r:?}");
    let v = r.json();
    assert_eq!(keys(&v), ["Response"]);
    assert_eq!(keys(&v["Response"]), ["KeyId", "RequestId"]);
    assert!(is_key_id(&v["Response"]["KeyId"]), "{r:?}");
    assert!(is_request_id(&v["Response"]["RequestId"]), "{r:?}");
    let key_id = v["Response"]["KeyId"].as_str().unwrap();
    assert_eq!(
        s.store.key_ids("tencent-cvm/default"),
        [("operation_key".to_string(), key_id.to_string())]
    );

    // Errors come back with HTTP 200 and Response.Error.
    let code = |name: &str, key: &str| s.tc3_import(name, key).tc3_error();
    assert_eq!(
        code("operation_key", &corpus("rsa-3072.pub")),
        "InvalidKeyPairName.Duplicate"
    );
    assert_eq!(code("other_key", &rsa), "InvalidPublicKey.Duplicate");
    assert_eq!(code("ed_key", &corpus("ed25519.pub")), "InvalidPublicKey.Malformed");
    assert_eq!(code("bad-name", &rsa), "InvalidKeyPairNameIncludeIllegalChar");
    assert_eq!(code("", &rsa), "InvalidKeyPairNameEmpty");
    assert_eq!(code(&"k".repeat(26), &rsa), "InvalidKeyPairNameTooLong");
    let body = json!({"ProjectId": 7, "KeyName": "k7", "PublicKey": corpus("rsa-3072.pub")});
    let r = s.tc3(Some("ImportKeyPair"), &body.to_string());
    assert_eq!(r.tc3_error(), "InvalidProjectId.NotFound");
    let r = s.tc3(Some("ImportKeyPair"), r#"{"ProjectId": 0, "KeyName": "k"}"#);
    assert_eq!(r.tc3_error(), "MissingParameter");
    let r = s.tc3(Some("ImportKeyPair"), "KeyName=k");
    assert_eq!(r.tc3_error(), "InvalidParameterValue");
    // The action: missing, or one this server does not serve.
    let body = json!({"ProjectId": 0, "KeyName": "k", "PublicKey": corpus("rsa-3072.pub")}).to_string();
    assert_eq!(s.tc3(None, &body).tc3_error(), "MissingParameter");
    assert_eq!(s.tc3(Some("RunInstances"), &body).tc3_error(), "InvalidAction");
    // API 3.0 with a JSON body is POST only.
    assert_eq!(s.get("/tencent-cvm/", &[]).status, 405);
    assert_eq!(s.store.count("tencent-cvm/default"), 1);
}

#[test]
fn tencent_v2_import_by_query_and_form() {
    let s = Server::start(unlimited());
    let rsa = corpus("rsa-2048.pub");
    // The documented example: everything in the query string.
    let r = s.get(
        V2,
        &[
            ("Action", "ImportKeyPair"),
            ("keyName", "operation_key"),
            ("pubKey", &rsa),
        ],
    );
    assert_eq!(r.status, 200, "{r:?}");
    let v = r.json();
    assert_eq!(keys(&v), ["code", "message", "codeDesc", "keyId"]);
    assert_eq!(
        (&v["code"], &v["message"], &v["codeDesc"]),
        (&json!(0), &json!(""), &json!("Success"))
    );
    assert!(is_key_id(&v["keyId"]), "{r:?}");
    // Action in the query string, the parameters in a form body.
    let url = format!("{V2}?Action=ImportKeyPair");
    let r = s.form(&url, &[("keyName", "second_key"), ("pubKey", &corpus("rsa-3072.pub"))]);
    assert_eq!(r.v2_code().0, 0, "{r:?}");
    // All in the form body.
    let r = s.form(
        V2,
        &[("Action", "ImportKeyPair"), ("keyName", "third_key"), ("pubKey", &rsa)],
    );
    assert_eq!(r.v2_code(), (4000, "InvalidPublicKey.Duplicate".into()));
    let r = s.form(V2, &[("Action", "ImportKeyPair"), ("keyName", "third_key")]);
    assert_eq!(r.v2_code(), (4000, "MissingParameter".into()));
    // v2 and API 3.0 are one account: the names and keys are shared.
    let r = s.tc3_import("second_key", &corpus("rsa-4096.pub"));
    assert_eq!(r.tc3_error(), "InvalidKeyPairName.Duplicate");
    assert_eq!(s.store.count("tencent-cvm/default"), 2);
    // The action: missing, or one this server does not serve.
    let r = s.form(V2, &[("keyName", "k"), ("pubKey", &rsa)]);
    assert_eq!(r.v2_code(), (4000, "MissingParameter".into()));
    let r = s.get(V2, &[("Action", "DeleteKeyPairs"), ("keyIds.0", "skey-00000000")]);
    assert_eq!(r.v2_code(), (4000, "InvalidAction".into()));
}

#[test]
fn tencent_v2_create_key_pair() {
    let s = Server::start(unlimited());
    let r = s.get(V2, &[("Action", "CreateKeyPair"), ("keyName", "Tencent")]);
    assert_eq!(r.status, 200, "{r:?}");
    let v = r.json();
    assert_eq!(keys(&v), ["codeDesc", "message", "code", "data"]);
    assert_eq!(keys(&v["data"]), ["secretkey", "pubkey", "keyId", "keyName"]);
    assert_eq!((&v["code"], &v["codeDesc"]), (&json!(0), &json!("Success")));
    assert_eq!(v["data"]["keyName"], "Tencent");
    assert!(is_key_id(&v["data"]["keyId"]), "{r:?}");
    let secret = v["data"]["secretkey"].as_str().unwrap();
    assert!(secret.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"), "{secret}");
    assert!(secret.ends_with("-----END RSA PRIVATE KEY-----\n"), "{secret}");
    let pubkey = v["data"]["pubkey"].as_str().unwrap();
    let mut validator = keyvet::Checker::new(keyvet::policy::STRICT);
    let checked = validator.check_line(pubkey.as_bytes()).unwrap();
    assert_eq!((pubkey.split(' ').next(), checked.bits()), (Some("ssh-rsa"), 2048));
    // The public half is stored (the private one never is): importing it
    // again is a duplicate.
    let r = s.form(
        V2,
        &[("Action", "ImportKeyPair"), ("keyName", "again"), ("pubKey", pubkey)],
    );
    assert_eq!(r.v2_code(), (4000, "InvalidPublicKey.Duplicate".into()));
    let r = s.form(V2, &[("Action", "CreateKeyPair"), ("keyName", "Tencent")]);
    assert_eq!(r.v2_code(), (4000, "InvalidKeyPairName.Duplicate".into()));
    let r = s.form(V2, &[("Action", "CreateKeyPair"), ("keyName", "no spaces")]);
    assert_eq!(r.v2_code(), (4000, "InvalidKeyPairNameIncludeIllegalChar".into()));
    let r = s.form(V2, &[("Action", "CreateKeyPair")]);
    assert_eq!(r.v2_code(), (4000, "MissingParameter".into()));
    assert_eq!(s.store.count("tencent-cvm/default"), 1);
}

#[test]
fn alibaba_import_json_xml_and_statuses() {
    let store = MemoryStore::new().with_resource_groups(["rg-bp67acfmxazb4p"]);
    let config = Config {
        alibaba: Provider {
            quota: 2,
            ..alibaba_ecs::IMPORT
        },
        ..unlimited()
    };
    let s = Server::with_store(store, config);
    let rsa = corpus("rsa-2048.pub");
    // The documented sample request, in the query string, as JSON.
    let r = s.get(
        ECS,
        &[
            ("Action", "ImportKeyPair"),
            ("RegionId", "cn-qingdao"),
            ("PublicKeyBody", &rsa),
            ("KeyPairName", "testKeyPairName"),
            ("Format", "JSON"),
        ],
    );
    assert_eq!(r.status, 200, "{r:?}");
    let v = r.json();
    assert_eq!(keys(&v), ["RequestId", "KeyPairName", "KeyPairFingerPrint"]);
    assert!(is_request_id(&v["RequestId"]), "{r:?}");
    assert_eq!(v["KeyPairName"], "testKeyPairName");
    assert_eq!(v["KeyPairFingerPrint"], md5_of("rsa-2048.pub"));

    // XML is the API's default format; a form body, with tags and a
    // resource group.
    let r = s.form(
        ECS,
        &[
            ("Action", "ImportKeyPair"),
            ("RegionId", "cn-qingdao"),
            ("KeyPairName", "ecdsa-key"),
            ("PublicKeyBody", &corpus("ecdsa-256.pub")),
            ("ResourceGroupId", "rg-bp67acfmxazb4p"),
            ("Tag.1.Key", "team"),
            ("Tag.1.Value", "infra"),
        ],
    );
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (200, "text/xml; charset=utf-8"),
        "{r:?}"
    );
    assert!(
        r.body.starts_with("<ImportKeyPairResponse>\n      <RequestId>"),
        "{r:?}"
    );
    let tail = format!(
        "</RequestId>\n      <KeyPairName>ecdsa-key</KeyPairName>\n      <KeyPairFingerPrint>{}</KeyPairFingerPrint>\n</ImportKeyPairResponse>",
        md5_of("ecdsa-256.pub")
    );
    assert!(r.body.ends_with(&tail), "{r:?}");

    let import = |name: &str, region: &str, key: &str, extra: &[(&str, &str)]| {
        let mut params = vec![
            ("Action", "ImportKeyPair"),
            ("RegionId", region),
            ("KeyPairName", name),
            ("PublicKeyBody", key),
        ];
        params.extend_from_slice(extra);
        s.form(ECS, &params).ecs_error()
    };
    let json = [("Format", "json")];
    let rsa3072 = corpus("rsa-3072.pub");
    // 403: the region holds its quota (2 here); another region does not.
    assert_eq!(
        import("third", "cn-qingdao", &rsa3072, &[]),
        (403, "QuotaExceed.KeyPair".into())
    );
    assert_eq!(
        import("third", "cn-qingdao", &rsa3072, &json),
        (403, "QuotaExceed.KeyPair".into())
    );
    assert_eq!(
        s.form(
            ECS,
            &[
                ("Action", "ImportKeyPair"),
                ("RegionId", "cn-hangzhou"),
                ("KeyPairName", "third"),
                ("PublicKeyBody", &rsa3072)
            ]
        )
        .status,
        200
    );
    // 400s.
    assert_eq!(
        import("3rd", "cn-beijing", &rsa3072, &json),
        (400, "InvalidKeyPairName.Malformed".into())
    );
    assert_eq!(
        import("third", "cn-hangzhou", &rsa, &json),
        (400, "KeyPair.AlreadyExist".into())
    );
    assert_eq!(
        import("fourth", "cn-hangzhou", &rsa3072, &[]),
        (400, "KeyPair.AlreadyExist".into())
    );
    let ed = corpus("ed25519.pub");
    assert_eq!(
        import("ed", "cn-beijing", &ed, &json),
        (400, "InvalidPublicKeyBody.Malformed".into())
    );
    let bad_tag = [("Tag.1.Key", "acs:team"), ("Tag.1.Value", "x")];
    assert_eq!(
        import("tagged", "cn-beijing", &rsa, &bad_tag),
        (400, "InvalidTagKey.Malformed".into())
    );
    let r = s.get(
        ECS,
        &[
            ("Action", "ImportKeyPair"),
            ("RegionId", "cn-beijing"),
            ("KeyPairName", "k1"),
            ("Format", "JSON"),
        ],
    );
    assert_eq!(r.ecs_error(), (400, "MissingParameter".into()));
    assert!(
        r.json()["Message"].as_str().unwrap().contains("\"PublicKeyBody\""),
        "{r:?}"
    );
    // 404s: an unknown resource group, an action this server does not serve.
    let rg = [("ResourceGroupId", "rg-unknown")];
    assert_eq!(
        import("k1", "cn-beijing", &rsa, &rg),
        (404, "InvalidResourceGroup.NotFound".into())
    );
    let r = s.get(
        ECS,
        &[
            ("Action", "CreateKeyPair"),
            ("RegionId", "cn-beijing"),
            ("KeyPairName", "k1"),
        ],
    );
    assert_eq!(r.ecs_error(), (404, "InvalidAction.NotFound".into()));
    assert_eq!(
        s.get(ECS, &[("Format", "JSON")]).ecs_error(),
        (400, "MissingParameter".into())
    );

    assert_eq!(s.store.count("alibaba-ecs/cn-qingdao"), 2);
    assert_eq!(s.store.count("alibaba-ecs/cn-hangzhou"), 1);
    assert_eq!(s.store.count("alibaba-ecs/cn-beijing"), 0);
    // The provider's scopes are its own: a region named "default" is not
    // the Tencent account.
    let r = s.form(
        ECS,
        &[
            ("Action", "ImportKeyPair"),
            ("RegionId", "default"),
            ("KeyPairName", "k1"),
            ("PublicKeyBody", &rsa),
        ],
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(s.store.count("tencent-cvm/default"), 0);
}

#[test]
fn tencent_v3_rate_limit() {
    // A limit that does not refill during the test: exactly 3 pass.
    let limit = RateLimit {
        requests: 3,
        per: Duration::from_secs(3600),
    };
    let s = Server::start(Config {
        tencent_rate_limit: Some(limit),
        ..Config::default()
    });
    let keys = [
        "rsa-2048.pub",
        "rsa-3072.pub",
        "rsa-4096.pub",
        "rsa-1024.pub",
        "rsa-8192.pub",
    ];
    let mut codes = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let r = s.tc3_import(&format!("k{i}"), &corpus(k));
        codes.push(if r.json()["Response"]["Error"].is_null() {
            "ok".to_string()
        } else {
            r.tc3_error()
        });
        if i == 3 {
            assert!(r.body.contains("exceeds the frequency limit"), "{r:?}");
        }
    }
    assert_eq!(
        codes,
        ["ok", "ok", "ok", "RequestLimitExceeded", "RequestLimitExceeded"]
    );
    assert_eq!(s.store.count("tencent-cvm/default"), 3);
    // The limit is per action, whichever Tencent API asks: the v2
    // ImportKeyPair is the same action, its bucket spent; another action
    // has its own; Alibaba's APIs are not limited.
    let r = s.get(
        V2,
        &[
            ("Action", "ImportKeyPair"),
            ("keyName", "v2"),
            ("pubKey", &corpus("rsa-8192.pub")),
        ],
    );
    assert_eq!(r.v2_code(), (4000, "RequestLimitExceeded".into()), "{r:?}");
    let r = s.get(V2, &[("Action", "CreateKeyPair"), ("keyName", "bad name")]);
    assert_eq!(
        r.v2_code(),
        (4000, "InvalidKeyPairNameIncludeIllegalChar".into()),
        "{r:?}"
    );
    for i in 0..5 {
        let name = format!("ecs{i}");
        let r = s.get(
            ECS,
            &[
                ("Action", "ImportKeyPair"),
                ("RegionId", "cn-hangzhou"),
                ("KeyPairName", &name),
            ],
        );
        assert_eq!(r.ecs_error(), (400, "MissingParameter".into()), "{r:?}");
    }

    // The documented default, 10 per second: a burst of 10 passes, and the
    // bucket refills at 10 per second.
    let s = Server::start(Config::default());
    let started = Instant::now();
    let passed: Vec<bool> = (0..25)
        .map(|_| s.tc3(Some("ImportKeyPair"), "{}").tc3_error() != "RequestLimitExceeded")
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    assert!(passed[..10].iter().all(|&p| p), "{passed:?}");
    let n = passed.iter().filter(|&&p| p).count();
    assert!(n as f64 <= 10.0 + (elapsed * 10.0).ceil(), "{n} passed in {elapsed} s");
    if elapsed < 1.0 {
        assert!(n < 25, "{passed:?}");
    }

    // A spent bucket refills.
    let s = Server::start(Config {
        tencent_rate_limit: Some(RateLimit {
            requests: 1,
            per: Duration::from_millis(300),
        }),
        ..Config::default()
    });
    assert_eq!(s.tc3(Some("ImportKeyPair"), "{}").tc3_error(), "MissingParameter");
    let started = Instant::now();
    let second = s.tc3(Some("ImportKeyPair"), "{}").tc3_error();
    if started.elapsed() < Duration::from_millis(200) {
        assert_eq!(second, "RequestLimitExceeded");
    }
    std::thread::sleep(Duration::from_millis(350));
    assert_eq!(s.tc3(Some("ImportKeyPair"), "{}").tc3_error(), "MissingParameter");
}

/// Sends `n` requests at once, each from its own thread and connection.
fn concurrently(n: usize, request: impl Fn(usize) -> Reply + Sync) -> Vec<Reply> {
    let barrier = Barrier::new(n);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, request) = (&barrier, &request);
                scope.spawn(move || {
                    barrier.wait();
                    request(i)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn concurrent_duplicate_imports_exactly_one_wins() {
    const N: usize = 16;
    let s = Server::start(unlimited());
    let (rsa2048, rsa3072) = (corpus("rsa-2048.pub"), corpus("rsa-3072.pub"));

    let replies = concurrently(N, |i| s.tc3_import(&format!("k{i}"), &rsa2048));
    let codes: Vec<String> = replies
        .iter()
        .map(|r| {
            let v = r.json();
            if v["Response"]["Error"].is_null() {
                assert!(is_key_id(&v["Response"]["KeyId"]), "{r:?}");
                "ok".into()
            } else {
                r.tc3_error()
            }
        })
        .collect();
    assert_eq!(codes.iter().filter(|c| *c == "ok").count(), 1, "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| *c == "InvalidPublicKey.Duplicate").count(),
        N - 1,
        "{codes:?}"
    );

    let replies = concurrently(N, |i| {
        let name = format!("v{i}");
        s.form(
            V2,
            &[("Action", "ImportKeyPair"), ("keyName", &name), ("pubKey", &rsa3072)],
        )
    });
    let codes: Vec<_> = replies.iter().map(Reply::v2_code).collect();
    assert_eq!(codes.iter().filter(|c| c.0 == 0).count(), 1, "{codes:?}");
    let dup = (4000, "InvalidPublicKey.Duplicate".to_string());
    assert_eq!(codes.iter().filter(|c| **c == dup).count(), N - 1, "{codes:?}");
    assert_eq!(s.store.count("tencent-cvm/default"), 2);

    // Alibaba, in one region, the same key as Tencent's (another scope).
    let replies = concurrently(N, |i| {
        let name = format!("k{i}");
        let params = [
            ("Action", "ImportKeyPair"),
            ("RegionId", "cn-hangzhou"),
            ("KeyPairName", &name),
            ("PublicKeyBody", &rsa2048),
            ("Format", "JSON"),
        ];
        s.form(ECS, &params)
    });
    let ok = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!(ok, 1, "{replies:?}");
    let dups = replies
        .iter()
        .filter(|r| r.status != 200 && r.ecs_error() == (400, "KeyPair.AlreadyExist".into()))
        .count();
    assert_eq!(dups, N - 1, "{replies:?}");
    assert_eq!(s.store.count("alibaba-ecs/cn-hangzhou"), 1);
}

#[test]
fn request_bodies_are_bounded() {
    let s = Server::start(unlimited());
    let big = "a".repeat(BODY_LIMIT + 1024);
    let body = json!({"ProjectId": 0, "KeyName": "k", "PublicKey": big}).to_string();
    let r = s.tc3(Some("ImportKeyPair"), &body);
    assert_eq!(r.tc3_error(), "RequestSizeLimitExceeded");
    let r = s.form(V2, &[("Action", "ImportKeyPair"), ("keyName", "k"), ("pubKey", &big)]);
    assert_eq!(r.v2_code(), (4000, "RequestSizeLimitExceeded".into()));
    let r = s.form(
        ECS,
        &[("Action", "ImportKeyPair"), ("PublicKeyBody", &big), ("Format", "JSON")],
    );
    assert_eq!(r.status, 413, "{r:?}");
    // Just under the limit is read (and refused for what it holds).
    let key = "a".repeat(BODY_LIMIT - 200);
    let body = json!({"ProjectId": 0, "KeyName": "k", "PublicKey": key}).to_string();
    let r = s.tc3(Some("ImportKeyPair"), &body);
    assert_eq!(r.tc3_error(), "InvalidPublicKey.Malformed");
}

/// Tencent API 3.0 DescribeKeyPairs and DeleteKeyPairs over a SQLite
/// store: what was imported is listed with its fields, filtered and paged
/// as documented, deleted all or nothing, and every code of both calls.
#[test]
fn tencent_v3_describe_and_delete() {
    tencent_v3_describe_and_delete_on(keyvet_server::SqliteStore::open_in_memory().unwrap().with_projects([7]));
}

#[test]
fn tencent_v3_describe_and_delete_on_postgres() {
    let Some(db) = fresh_database("tc3_list") else { return };
    tencent_v3_describe_and_delete_on(PostgresStore::connect(&db.url).unwrap().with_projects([7]));
}

fn tencent_v3_describe_and_delete_on<S: KeyStore + 'static>(store: S) {
    let s = Server::with_store(store, unlimited());
    let keys = ["rsa-2048.pub", "rsa-3072.pub", "rsa-4096.pub"];
    let mut ids = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let body = json!({
            "KeyName": format!("k{i}"),
            "ProjectId": if i == 2 { 7 } else { 0 },
            "PublicKey": corpus(k),
            "TagSpecification": [{"ResourceType": "keypair", "Tags": [{"Key": "env", "Value": format!("e{i}")}]}],
        });
        let v = s.tc3(Some("ImportKeyPair"), &body.to_string()).json();
        ids.push(v["Response"]["KeyId"].as_str().unwrap().to_string());
    }
    let describe = |body: Value| s.tc3(Some("DescribeKeyPairs"), &body.to_string());
    let listed = |body: Value| -> (u64, Vec<String>) {
        let v = describe(body).json();
        let r = &v["Response"];
        assert!(r["Error"].is_null(), "{v}");
        let names = r["KeyPairSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["KeyName"].as_str().unwrap().to_string())
            .collect();
        (r["TotalCount"].as_u64().unwrap(), names)
    };
    // Everything, in the order imported, with the documented fields.
    let v = describe(json!({})).json();
    let set = v["Response"]["KeyPairSet"].as_array().unwrap();
    assert_eq!(set.len(), 3);
    let first = &set[0];
    assert_eq!(
        keys_of(first),
        [
            "KeyId",
            "KeyName",
            "ProjectId",
            "Description",
            "PublicKey",
            "AssociatedInstanceIds",
            "CreatedTime",
            "Tags"
        ]
    );
    assert_eq!(first["KeyId"], ids[0].as_str());
    assert_eq!(first["PublicKey"], corpus("rsa-2048.pub").trim());
    assert_eq!(first["Tags"], json!([{"Key": "env", "Value": "e0"}]));
    let created = first["CreatedTime"].as_str().unwrap();
    assert!(
        created.len() == 20 && created.ends_with('Z') && &created[10..11] == "T",
        "{created}"
    );
    assert_eq!(set[2]["ProjectId"], 7);
    // Filters: AND between them, OR between the values of one.
    let f = |name: &str, values: &[&str]| json!({"Filters": [{"Name": name, "Values": values}]});
    assert_eq!(
        listed(f("key-name", &["k1", "k2"])),
        (2, vec!["k1".into(), "k2".into()])
    );
    assert_eq!(listed(f("key-name", &["k"])).0, 0);
    assert_eq!(listed(f("project-id", &["7"])), (1, vec!["k2".into()]));
    assert_eq!(listed(f("tag:env", &["e0", "e2"])).0, 2);
    assert_eq!(listed(f("tag-key", &["env"])).0, 3);
    assert_eq!(listed(f("tag-value", &["e1"])), (1, vec!["k1".into()]));
    let both = json!({"Filters": [
        {"Name": "project-id", "Values": ["0"]},
        {"Name": "key-name", "Values": ["k0", "k2"]},
    ]});
    assert_eq!(listed(both), (1, vec!["k0".into()]));
    assert_eq!(listed(json!({"KeyIds": [ids[1]]})), (1, vec!["k1".into()]));
    // Paging: TotalCount counts every match.
    assert_eq!(listed(json!({"Offset": 1, "Limit": 1})), (3, vec!["k1".into()]));
    assert_eq!(listed(json!({"Offset": "2", "Limit": "100"})), (3, vec!["k2".into()]));
    assert_eq!(listed(json!({"Offset": 9})), (3, vec![]));
    // Every error of DescribeKeyPairs.
    let code = |body: Value| describe(body).tc3_error();
    assert_eq!(code(json!({"KeyIds": ["skey-1122"]})), "InvalidKeyPairId.Malformed");
    assert_eq!(code(json!({"KeyIds": "skey-11112222"})), "InvalidParameter");
    assert_eq!(
        code(json!({"KeyIds": [ids[0]], "Filters": [{"Name": "key-name", "Values": ["k0"]}]})),
        "InvalidParameter"
    );
    let many: Vec<String> = (0..101).map(|i| format!("skey-{i:08}")).collect();
    assert_eq!(code(json!({ "KeyIds": many })), "InvalidParameterValue.LimitExceeded");
    assert_eq!(code(f("fingerprint", &["x"])), "InvalidFilter");
    let filters: Vec<Value> = (0..11).map(|_| json!({"Name": "key-name", "Values": ["k0"]})).collect();
    assert_eq!(code(json!({ "Filters": filters })), "InvalidFilterValue.LimitExceeded");
    let values: Vec<String> = (0..101).map(|i| format!("k{i}")).collect();
    assert_eq!(
        code(json!({"Filters": [{"Name": "key-name", "Values": values}]})),
        "InvalidFilterValue.LimitExceeded"
    );
    assert_eq!(code(f("project-id", &["zero"])), "InvalidParameterValue");
    assert_eq!(code(json!({"Limit": 101})), "InvalidParameterValueLimit");
    assert_eq!(code(json!({"Limit": 0})), "InvalidParameterValueLimit");
    assert_eq!(code(json!({"Offset": -1})), "InvalidParameterValueOffset");
    assert_eq!(code(json!({"Offset": "x"})), "InvalidParameterValueOffset");

    // DeleteKeyPairs: all or nothing.
    let delete = |body: Value| s.tc3(Some("DeleteKeyPairs"), &body.to_string());
    let code = |body: Value| delete(body).tc3_error();
    assert_eq!(code(json!({})), "MissingParameter");
    assert_eq!(code(json!({"KeyIds": []})), "MissingParameter");
    assert_eq!(code(json!({"KeyIds": ["skey-1122"]})), "InvalidKeyPairId.Malformed");
    assert_eq!(code(json!({ "KeyIds": many })), "InvalidParameterValue.LimitExceeded");
    assert_eq!(
        code(json!({"KeyIds": [ids[0], "skey-00000000"]})),
        "InvalidKeyPairId.NotFound"
    );
    assert_eq!(listed(json!({})).0, 3, "a refused delete deleted something");
    let v = delete(json!({"KeyIds": [ids[0], ids[2]]})).json();
    assert_eq!(keys_of(&v["Response"]), ["RequestId"], "{v}");
    assert_eq!(listed(json!({})), (1, vec!["k1".into()]));
    assert_eq!(s.store.count("tencent-cvm/default"), 1);
    assert_eq!(code(json!({"KeyIds": [ids[0]]})), "InvalidKeyPairId.NotFound");
    // The name and the key are free again.
    let body = json!({"KeyName": "k0", "ProjectId": 0, "PublicKey": corpus("rsa-2048.pub")});
    assert!(s.tc3(Some("ImportKeyPair"), &body.to_string()).json()["Response"]["Error"].is_null());
}

fn keys_of(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// Alibaba ECS DescribeKeyPairs and DeleteKeyPairs over a SQLite store,
/// JSON and XML: wildcards, fingerprint, tag and resource-group filters,
/// pages, public keys on request, deletion by names, and every code.
#[test]
fn alibaba_describe_and_delete() {
    let store = keyvet_server::SqliteStore::open_in_memory()
        .unwrap()
        .with_resource_groups(["rg-1"]);
    alibaba_describe_and_delete_on(store);
}

#[test]
fn alibaba_describe_and_delete_on_postgres() {
    let Some(db) = fresh_database("ecs_list") else { return };
    alibaba_describe_and_delete_on(PostgresStore::connect(&db.url).unwrap().with_resource_groups(["rg-1"]));
}

fn alibaba_describe_and_delete_on<S: KeyStore + 'static>(store: S) {
    let s = Server::with_store(store, unlimited());
    let names = ["deploy-a", "deploy-b", "ci-key"];
    for (i, name) in names.iter().enumerate() {
        let key = corpus(["rsa-2048.pub", "rsa-3072.pub", "ecdsa-256.pub"][i]);
        let tag = format!("t{i}");
        let mut params = vec![
            ("Action", "ImportKeyPair"),
            ("RegionId", "cn-hangzhou"),
            ("KeyPairName", *name),
            ("PublicKeyBody", key.as_str()),
            ("Tag.1.Key", "team"),
            ("Tag.1.Value", tag.as_str()),
            ("Format", "JSON"),
        ];
        if i == 2 {
            params.push(("ResourceGroupId", "rg-1"));
        }
        assert_eq!(s.form(ECS, &params).status, 200);
    }
    let describe = |extra: &[(&str, &str)]| {
        let mut params = vec![
            ("Action", "DescribeKeyPairs"),
            ("RegionId", "cn-hangzhou"),
            ("Format", "JSON"),
        ];
        params.extend_from_slice(extra);
        s.get(ECS, &params)
    };
    let listed = |extra: &[(&str, &str)]| -> (u64, Vec<String>) {
        let r = describe(extra);
        assert_eq!(r.status, 200, "{r:?}");
        let v = r.json();
        let names = v["KeyPairs"]["KeyPair"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["KeyPairName"].as_str().unwrap().to_string())
            .collect();
        (v["TotalCount"].as_u64().unwrap(), names)
    };
    let v = describe(&[]).json();
    assert_eq!(
        keys_of(&v),
        ["PageSize", "RequestId", "PageNumber", "TotalCount", "KeyPairs"]
    );
    assert_eq!((v["PageSize"].as_u64(), v["PageNumber"].as_u64()), (Some(10), Some(1)));
    let first = &v["KeyPairs"]["KeyPair"][0];
    assert_eq!(
        keys_of(first),
        [
            "CreationTime",
            "KeyPairName",
            "KeyPairFingerPrint",
            "ResourceGroupId",
            "Tags"
        ]
    );
    assert_eq!(first["KeyPairFingerPrint"], md5_of("rsa-2048.pub"));
    assert_eq!(first["Tags"], json!({"Tag": [{"TagKey": "team", "TagValue": "t0"}]}));
    let created = first["CreationTime"].as_str().unwrap();
    assert!(created.len() == 17 && created.ends_with('Z'), "{created}");
    // Name wildcards, as documented.
    assert_eq!(listed(&[("KeyPairName", "deploy*")]).0, 2);
    assert_eq!(listed(&[("KeyPairName", "*-key")]).1, ["ci-key"]);
    assert_eq!(listed(&[("KeyPairName", "*ploy*")]).0, 2);
    assert_eq!(listed(&[("KeyPairName", "deploy")]).0, 0);
    assert_eq!(listed(&[("KeyPairName", "deploy-b")]).1, ["deploy-b"]);
    let md5 = md5_of("rsa-3072.pub").to_uppercase();
    assert_eq!(listed(&[("KeyPairFingerPrint", md5.as_str())]).1, ["deploy-b"]);
    assert_eq!(listed(&[("Tag.1.Key", "team"), ("Tag.1.Value", "t2")]).1, ["ci-key"]);
    assert_eq!(listed(&[("Tag.1.Key", "team")]).0, 3);
    assert_eq!(listed(&[("ResourceGroupId", "rg-1")]).1, ["ci-key"]);
    assert_eq!(
        listed(&[("PageSize", "2"), ("PageNumber", "2")]),
        (3, vec!["ci-key".into()])
    );
    assert_eq!(listed(&[("RegionId", "cn-beijing")]).0, 0);
    let v = describe(&[("IncludePublicKey", "true"), ("KeyPairName", "ci-key")]).json();
    assert_eq!(v["KeyPairs"]["KeyPair"][0]["PublicKey"], corpus("ecdsa-256.pub").trim());
    // XML, the API's default.
    let r = s.get(ECS, &[("Action", "DescribeKeyPairs"), ("RegionId", "cn-hangzhou")]);
    assert!(r.content_type.starts_with("text/xml"), "{r:?}");
    assert!(r.body.starts_with("<DescribeKeyPairsResponse>\n"), "{r:?}");
    assert!(r.body.contains("<TotalCount>3</TotalCount>") && r.body.contains("<TagKey>team</TagKey>"));
    // Every error of DescribeKeyPairs.
    let e = |extra: &[(&str, &str)]| describe(extra).ecs_error();
    assert_eq!(e(&[("PageSize", "51")]), (400, "InvalidParameter".into()));
    assert_eq!(e(&[("PageSize", "0")]), (400, "InvalidParameter".into()));
    assert_eq!(e(&[("PageNumber", "0")]), (400, "InvalidParameter".into()));
    assert!(
        describe(&[("PageNumber", "x")]).json()["Message"]
            .as_str()
            .unwrap()
            .contains("PageNumber")
    );
    assert_eq!(e(&[("IncludePublicKey", "yes")]), (400, "InvalidParameter".into()));
    assert_eq!(
        e(&[("RegionId", "CN HANGZHOU")]),
        (404, "InvalidRegionId.NotFound".into())
    );
    let r = s.get(ECS, &[("Action", "DescribeKeyPairs"), ("Format", "JSON")]);
    assert_eq!(r.ecs_error(), (400, "MissingParameter".into()));

    // DeleteKeyPairs by names: unknown names are skipped.
    let delete = |names: Option<&str>| {
        let mut params = vec![
            ("Action", "DeleteKeyPairs"),
            ("RegionId", "cn-hangzhou"),
            ("Format", "JSON"),
        ];
        if let Some(n) = names {
            params.push(("KeyPairNames", n));
        }
        s.form(ECS, &params)
    };
    assert_eq!(delete(None).ecs_error(), (400, "MissingParameter".into()));
    for bad in ["deploy-a", "[]", "[1]", "[\"\"]", "{\"a\": 1}"] {
        assert_eq!(
            delete(Some(bad)).ecs_error(),
            (400, "InvalidKeyPairNames.ValueNotSupported".into()),
            "{bad}"
        );
    }
    let many = serde_json::to_string(&(0..101).map(|i| format!("k{i}")).collect::<Vec<_>>()).unwrap();
    assert_eq!(
        delete(Some(&many)).ecs_error(),
        (403, "InstanceKeyPairLimitExceeded".into())
    );
    assert_eq!(listed(&[]).0, 3);
    let r = delete(Some("[\"deploy-a\", \"no-such-key\", \"ci-key\"]"));
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(keys_of(&r.json()), ["RequestId"]);
    assert_eq!(listed(&[]), (1, vec!["deploy-b".into()]));
    assert_eq!(s.store.count("alibaba-ecs/cn-hangzhou"), 1);
    let r = s.form(
        ECS,
        &[
            ("Action", "DeleteKeyPairs"),
            ("RegionId", "cn-hangzhou"),
            ("KeyPairNames", "[\"deploy-b\"]"),
        ],
    );
    let id = r.body.split("<RequestId>").nth(1).unwrap().split('<').next().unwrap();
    assert!(is_request_id(&Value::from(id)), "{r:?}");
    assert_eq!(
        r.body,
        format!("<DeleteKeyPairsResponse>\n      <RequestId>{id}</RequestId>\n</DeleteKeyPairsResponse>")
    );
    assert_eq!(listed(&[]).0, 0);
}

#[test]
fn tencent_v2_describe_and_delete() {
    tencent_v2_describe_and_delete_on(keyvet_server::SqliteStore::open_in_memory().unwrap());
}

#[test]
fn tencent_v2_describe_and_delete_on_postgres() {
    let Some(db) = fresh_database("v2_list") else { return };
    tencent_v2_describe_and_delete_on(PostgresStore::connect(&db.url).unwrap());
}

/// `YYYY-MM-DD hh:mm:ss`, Beijing time, now.
fn beijing_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let t = keyvet_cloud::utc_timestamp(i64::try_from(now).unwrap() + 8 * 3600);
    t.trim_end_matches('Z').replacen('T', " ", 1)
}

fn tencent_v2_describe_and_delete_on<S: KeyStore + 'static>(store: S) {
    let s = Server::with_store(store, unlimited());
    let before = beijing_now();
    let mut ids = Vec::new();
    for (i, k) in ["rsa-2048.pub", "rsa-3072.pub", "rsa-4096.pub"].iter().enumerate() {
        let name = format!("v2_key_{i}");
        let v = s
            .get(
                V2,
                &[("Action", "ImportKeyPair"), ("keyName", &name), ("pubKey", &corpus(k))],
            )
            .json();
        ids.push(v["keyId"].as_str().unwrap().to_string());
    }
    // An API 3.0 import lands in the same account.
    let key = corpus("rsa-1024.pub");
    let body = json!({"KeyName": "from_api_3", "ProjectId": 0, "PublicKey": key});
    ids.push(
        s.tc3(Some("ImportKeyPair"), &body.to_string()).json()["Response"]["KeyId"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let describe = |params: &[(&str, &str)]| -> Value {
        let mut all = vec![("Action", "DescribeKeyPairs")];
        all.extend_from_slice(params);
        s.get(V2, &all).json()
    };
    let names = |v: &Value| -> (u64, Vec<String>) {
        assert_eq!(v["code"], 0, "{v}");
        let set = v["data"]["sshSet"].as_array().unwrap();
        (
            v["data"]["totalCount"].as_u64().unwrap(),
            set.iter().map(|k| k["keyName"].as_str().unwrap().to_string()).collect(),
        )
    };
    // The page's example: everything in data, the documented fields.
    let v = describe(&[]);
    assert_eq!(keys(&v), ["code", "message", "codeDesc", "data"]);
    assert_eq!(keys(&v["data"]), ["totalCount", "sshSet"]);
    let first = &v["data"]["sshSet"][0];
    assert_eq!(
        keys(first),
        [
            "keyId",
            "keyName",
            "pubkey",
            "status",
            "bindIps",
            "createTime",
            "bindUnInstanceIds"
        ]
    );
    assert_eq!((&first["keyId"], &first["status"]), (&json!(ids[0]), &json!(0)));
    assert_eq!(first["pubkey"], corpus("rsa-2048.pub").trim());
    assert_eq!(
        (&first["bindIps"], &first["bindUnInstanceIds"]),
        (&json!([]), &json!([]))
    );
    // Beijing time, no zone: between the clock before the imports and now.
    let created = first["createTime"].as_str().unwrap();
    let after = beijing_now();
    assert!(created.len() == 19 && &created[10..11] == " ", "{created}");
    assert!(
        before.as_str() <= created && created <= after.as_str(),
        "{before} {created} {after}"
    );
    assert_eq!(names(&v).0, 4);
    // keyIds.n (sent out of order; listed in the order stored), keyName,
    // projectId, offset, limit.
    assert_eq!(
        names(&describe(&[("keyIds.1", &ids[2]), ("keyIds.0", &ids[0])])),
        (2, vec!["v2_key_0".into(), "v2_key_2".into()])
    );
    assert_eq!(
        names(&describe(&[("keyName", "v2_key_1")])),
        (1, vec!["v2_key_1".into()])
    );
    assert_eq!(names(&describe(&[("keyName", "v2_key")])).0, 0);
    assert_eq!(names(&describe(&[("keyName", "")])).0, 4);
    assert_eq!(names(&describe(&[("projectId", "0")])).0, 4);
    assert_eq!(names(&describe(&[("projectId", "7")])).0, 0);
    assert_eq!(
        names(&describe(&[("offset", "1"), ("limit", "2")])),
        (4, vec!["v2_key_1".into(), "v2_key_2".into()])
    );
    // Its errors: 4000 with the code in codeDesc.
    let code = |params: &[(&str, &str)]| {
        let mut all = vec![("Action", "DescribeKeyPairs")];
        all.extend_from_slice(params);
        s.get(V2, &all).v2_code()
    };
    assert_eq!(
        code(&[("keyIds.0", "skey-1122")]),
        (4000, "InvalidKeyPairId.Malformed".into())
    );
    assert_eq!(code(&[("keyIds.x", &ids[0])]), (4000, "InvalidParameter".into()));
    assert_eq!(code(&[("limit", "0")]), (4000, "InvalidParameterValueLimit".into()));
    assert_eq!(code(&[("limit", "101")]), (4000, "InvalidParameterValueLimit".into()));
    assert_eq!(code(&[("offset", "-1")]), (4000, "InvalidParameterValueOffset".into()));
    assert_eq!(code(&[("projectId", "x")]), (4000, "InvalidParameterValue".into()));
    assert_eq!(code(&[("projectId", "-1")]), (4000, "InvalidParameterValue".into()));
    assert_eq!(code(&[("keyIds.+1", &ids[0])]), (4000, "InvalidParameter".into()));
    // API 3.0's parameters are refused, not ignored (which would list all).
    assert_eq!(code(&[("KeyIds.0", &ids[0])]), (4000, "InvalidParameterValue".into()));
    assert_eq!(code(&[("Limit", "1")]), (4000, "InvalidParameterValue".into()));
    let many: Vec<String> = (0..101).map(|i| format!("keyIds.{i}")).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|k| (k.as_str(), ids[0].as_str())).collect();
    assert_eq!(code(&many), (4000, "InvalidParameterValue.LimitExceeded".into()));

    // DeleteKeyPair (singular): each key on its own.
    let delete = |params: &[(&str, &str)]| -> Value {
        let mut all = vec![("Action", "DeleteKeyPair")];
        all.extend_from_slice(params);
        s.form(V2, &all).json()
    };
    let unknown = "skey-00000000";
    let v = delete(&[("keyIds.0", &ids[1]), ("keyIds.1", unknown)]);
    assert_eq!(keys(&v), ["codeDesc", "message", "code", "detail"]);
    assert_eq!((&v["code"], &v["codeDesc"]), (&json!(5400), &json!("PartialSuccess")));
    assert_eq!(
        v["detail"]["deleteKeySet"],
        json!([
            {"code": 0, "message": "success", "keyId": ids[1]},
            {"code": 5000, "message": "The key pair does not exist.", "keyId": unknown},
        ])
    );
    assert_eq!(names(&describe(&[])).1, ["v2_key_0", "v2_key_2", "from_api_3"]);
    let v = delete(&[("keyIds.0", unknown)]);
    assert_eq!(
        (&v["code"], &v["codeDesc"]),
        (&json!(5000), &json!("InvalidKeyPairId.NotFound"))
    );
    let v = delete(&[("keyIds.0", &ids[0]), ("keyIds.1", &ids[3])]);
    assert_eq!(
        (&v["code"], &v["codeDesc"], &v["message"]),
        (&json!(0), &json!("Success"), &json!(""))
    );
    assert_eq!(v["detail"]["deleteKeySet"].as_array().unwrap().len(), 2);
    assert_eq!(names(&describe(&[])), (1, vec!["v2_key_2".into()]));
    assert_eq!(s.store.count("tencent-cvm/default"), 1);
    let code = |params: &[(&str, &str)]| {
        let mut all = vec![("Action", "DeleteKeyPair")];
        all.extend_from_slice(params);
        s.form(V2, &all).v2_code()
    };
    assert_eq!(code(&[]), (4000, "MissingParameter".into()));
    assert_eq!(code(&[("KeyIds.0", &ids[2])]), (4000, "InvalidParameterValue".into()));
    assert_eq!(
        code(&[("keyIds.0", "skey-1122")]),
        (4000, "InvalidKeyPairId.Malformed".into())
    );
    assert_eq!(code(&many), (4000, "InvalidParameterValue.LimitExceeded".into()));
    assert_eq!(s.store.count("tencent-cvm/default"), 1);
}
