//! The cloud key-pair APIs through the library: every documented error code,
//! the boundary values, the documented response shapes, and concurrent
//! duplicate imports.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use keyvet::wire::Sink;
use keyvet_cloud::{
    Conflict, IdSource, ImportRequest, KeyStore, MemoryStore, Provider, ProviderError, StoredKey, alibaba_ecs,
    tencent_cvm,
};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use serde_json::{Value, json};

/// Deterministic IDs.
#[derive(Default)]
struct SeqIds(AtomicU64);

impl IdSource for SeqIds {
    fn request_id(&self) -> String {
        format!("00000000-0000-4000-8000-{:012X}", self.0.fetch_add(1, Ordering::SeqCst))
    }
    fn key_id(&self) -> String {
        format!("skey-{:08}", self.0.fetch_add(1, Ordering::SeqCst))
    }
}

fn corpus(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../corpus/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The n-th distinct ECDSA P-256 key line (a real point).
fn ecdsa_line(n: u32) -> String {
    let mut scalar = [0u8; 32];
    scalar[28..].copy_from_slice(&(n + 1).to_be_bytes());
    scalar[0] = 0x11;
    let sk = p256::SecretKey::from_slice(&scalar).unwrap();
    let point = sk.public_key().to_encoded_point(false);
    let mut b = Vec::new();
    b.put_string(b"ecdsa-sha2-nistp256");
    b.put_string(b"nistp256");
    b.put_string(point.as_bytes());
    format!(
        "ecdsa-sha2-nistp256 {} key{n}",
        base64::engine::general_purpose::STANDARD.encode(b)
    )
}

fn tencent(name: &str, key: &str) -> ImportRequest {
    tencent_cvm::IMPORT.request_from_json(
        json!({"KeyName": name, "ProjectId": 0, "PublicKey": key})
            .as_object()
            .unwrap(),
    )
}

fn alibaba(extra: Value) -> ImportRequest {
    let mut obj =
        json!({"KeyPairName": "team-key", "RegionId": "cn-hangzhou", "PublicKeyBody": corpus("valid/rsa-2048.pub")});
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            obj.as_object_mut().unwrap().remove(k);
        } else {
            obj[k] = v.clone();
        }
    }
    alibaba_ecs::IMPORT.request_from_json(obj.as_object().unwrap())
}

fn err(p: &Provider, req: &ImportRequest) -> ProviderError {
    p.import(req, &MemoryStore::new(), &SeqIds::default()).unwrap_err()
}

fn code(p: &Provider, req: &ImportRequest) -> &'static str {
    err(p, req).code
}

#[test]
fn tencent_name_rules() {
    let key = corpus("valid/rsa-2048.pub");
    let p = &tencent_cvm::IMPORT;
    let ok = |n: &str| {
        p.import(&tencent(n, &key), &MemoryStore::new(), &SeqIds::default())
            .map(|_| ())
    };
    assert_eq!(ok(&"a".repeat(25)), Ok(()));
    assert_eq!(ok("Key_01"), Ok(()));
    assert_eq!(code(p, &tencent(&"a".repeat(26), &key)), "InvalidKeyPairNameTooLong");
    assert_eq!(code(p, &tencent("", &key)), "InvalidKeyPairNameEmpty");
    assert_eq!(code(p, &tencent("a-b", &key)), "InvalidKeyPairNameIncludeIllegalChar");
    assert_eq!(code(p, &tencent("clé", &key)), "InvalidKeyPairNameIncludeIllegalChar");
}

#[test]
fn tencent_parameters_and_keys() {
    let key = corpus("valid/rsa-2048.pub");
    let p = &tencent_cvm::IMPORT;
    let req = |v: Value| tencent_cvm::IMPORT.request_from_json(v.as_object().unwrap());
    assert_eq!(
        code(p, &req(json!({"KeyName": "k", "PublicKey": key}))),
        "MissingParameter"
    );
    assert_eq!(
        code(p, &req(json!({"ProjectId": 0, "PublicKey": key}))),
        "MissingParameter"
    );
    assert_eq!(
        code(p, &req(json!({"KeyName": "k", "ProjectId": 0}))),
        "MissingParameter"
    );
    assert_eq!(
        code(p, &req(json!({"KeyName": "k", "ProjectId": "abc", "PublicKey": key}))),
        "InvalidParameterValue"
    );
    assert_eq!(
        code(p, &req(json!({"KeyName": "k", "ProjectId": 42, "PublicKey": key}))),
        "InvalidProjectId.NotFound"
    );
    // The documented example request: a placeholder key.
    assert_eq!(
        code(
            p,
            &req(
                json!({"ProjectId": "0", "KeyName": "operation_key", "PublicKey": "ssh-rsa XXXXXXXXXXXX== skey_45071"})
            )
        ),
        "InvalidPublicKey.Malformed"
    );
    // "OpenSSH RSA": other key types are malformed for this API.
    assert_eq!(
        code(p, &tencent("k", &corpus("valid/ed25519.pub"))),
        "InvalidPublicKey.Malformed"
    );
    // A known project besides 0.
    let store = MemoryStore::new().with_projects([1001]);
    let r = req(json!({"KeyName": "k", "ProjectId": 1001, "PublicKey": key}));
    assert!(p.import(&r, &store, &SeqIds::default()).is_ok());
}

#[test]
fn tencent_tags() {
    let key = corpus("valid/rsa-2048.pub");
    let p = &tencent_cvm::IMPORT;
    let with_tags = |n: usize| {
        let tags: Vec<Value> = (0..n).map(|i| json!({"Key": format!("k{i}"), "Value": "v"})).collect();
        tencent_cvm::IMPORT.request_from_json(
            json!({"KeyName": "k", "ProjectId": 0, "PublicKey": key,
                   "TagSpecification": [{"ResourceType": "keypair", "Tags": tags}]})
            .as_object()
            .unwrap(),
        )
    };
    assert!(
        p.import(&with_tags(50), &MemoryStore::new(), &SeqIds::default())
            .is_ok()
    );
    assert_eq!(code(p, &with_tags(51)), "LimitExceeded.TagResourceQuota");
    let bad_spec = tencent_cvm::IMPORT.request_from_json(json!({"KeyName": "k", "ProjectId": 0, "PublicKey": key, "TagSpecification": [{"ResourceType": "instance", "Tags": []}]})
            .as_object()
            .unwrap(),
    );
    assert_eq!(code(p, &bad_spec), "InvalidParameterValue");
}

#[test]
fn tencent_duplicates_and_quota() {
    let key = corpus("valid/rsa-2048.pub");
    let p = Provider {
        quota: 2,
        ..tencent_cvm::IMPORT
    };
    let store = MemoryStore::new();
    let ids = SeqIds::default();
    let ok = p.import(&tencent("first", &key), &store, &ids).unwrap();
    assert!(ok.key_id.starts_with("skey-"));
    let e = p
        .import(&tencent("first", &corpus("valid/rsa-3072.pub")), &store, &ids)
        .unwrap_err();
    assert_eq!(e.code, "InvalidKeyPairName.Duplicate");
    // The same key under another comment is the same key.
    let other_comment = key.rsplit_once(' ').unwrap().0.to_string() + " another@comment";
    let e = p.import(&tencent("second", &other_comment), &store, &ids).unwrap_err();
    assert_eq!(e.code, "InvalidPublicKey.Duplicate");
    p.import(&tencent("second", &corpus("valid/rsa-3072.pub")), &store, &ids)
        .unwrap();
    let e = p
        .import(&tencent("third", &corpus("valid/rsa-4096.pub")), &store, &ids)
        .unwrap_err();
    assert_eq!(e.code, "InvalidKeyPair.LimitExceeded");
}

/// A store that cannot record anything.
struct BrokenStore;

impl KeyStore for BrokenStore {
    fn insert(&self, _: &str, _: StoredKey, _: usize, _: bool) -> Result<(), Conflict> {
        Err(Conflict::Unavailable)
    }
    fn count(&self, _: &str) -> usize {
        0
    }
    fn list(&self, _: &str) -> Result<Vec<StoredKey>, Conflict> {
        Err(Conflict::Unavailable)
    }
    fn delete(&self, _: &str, _: &[String], _: bool) -> Result<usize, keyvet_cloud::DeleteError> {
        Err(keyvet_cloud::DeleteError::Unavailable)
    }
    fn project_exists(&self, id: i64) -> bool {
        id == 0
    }
    fn resource_group_exists(&self, _: &str) -> bool {
        false
    }
}

#[test]
fn internal_errors() {
    let key = corpus("valid/rsa-2048.pub");
    let e = tencent_cvm::IMPORT
        .import(&tencent("k", &key), &BrokenStore, &SeqIds::default())
        .unwrap_err();
    assert_eq!((e.code, e.http_status), ("InternalServerError", 200));
    let e = alibaba_ecs::IMPORT
        .import(&alibaba(json!({})), &BrokenStore, &SeqIds::default())
        .unwrap_err();
    assert_eq!((e.code, e.http_status), ("InternalError", 500));
    assert_eq!(
        e.message,
        "The request processing has failed due to some unknown error."
    );
}

#[test]
fn tencent_response_bodies() {
    let key = corpus("valid/rsa-2048.pub");
    let store = MemoryStore::new();
    let ok = tencent_cvm::IMPORT
        .import(&tencent("operation_key", &key), &store, &keyvet_cloud::RandomIds)
        .unwrap();
    let body = ok.to_json();
    let keys: Vec<&String> = body["Response"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["KeyId", "RequestId"]);
    let id = body["Response"]["KeyId"].as_str().unwrap();
    assert!(
        id.len() == 13
            && id.starts_with("skey-")
            && id[5..].bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
        "{id}"
    );
    let rid = body["Response"]["RequestId"].as_str().unwrap();
    assert!(
        rid.len() == 36
            && rid
                .bytes()
                .all(|b| b == b'-' || b.is_ascii_digit() || b.is_ascii_uppercase()),
        "{rid}"
    );
    let e = tencent_cvm::IMPORT
        .import(&tencent("", &key), &store, &keyvet_cloud::RandomIds)
        .unwrap_err();
    let body = e.to_json();
    assert_eq!(body["Response"]["Error"]["Code"], "InvalidKeyPairNameEmpty");
    assert_eq!(body["Response"]["Error"]["Message"], "Key name is empty.");
    let keys: Vec<&String> = body["Response"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["Error", "RequestId"]);

    // v2: code 0 / codeDesc.
    let req = tencent_cvm::IMPORT_V2
        .request_from_json(json!({"keyName": "operation_key", "pubKey": key}).as_object().unwrap());
    let ok = tencent_cvm::IMPORT_V2
        .import(&req, &MemoryStore::new(), &SeqIds::default())
        .unwrap();
    let body = ok.to_json();
    assert_eq!(
        body,
        json!({"code": 0, "message": "", "codeDesc": "Success", "keyId": ok.key_id})
    );
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["code", "message", "codeDesc", "keyId"]);
    let bad = tencent_cvm::IMPORT_V2.request_from_json(json!({"keyName": "a b", "pubKey": key}).as_object().unwrap());
    let body = tencent_cvm::IMPORT_V2
        .import(&bad, &MemoryStore::new(), &SeqIds::default())
        .unwrap_err()
        .to_json();
    assert_eq!(body["code"], 4000);
    assert_eq!(body["codeDesc"], "InvalidKeyPairNameIncludeIllegalChar");
}

#[test]
fn alibaba_name_rules() {
    let p = &alibaba_ecs::IMPORT;
    let ok = |n: &str| {
        p.import(
            &alibaba(json!({"KeyPairName": n})),
            &MemoryStore::new(),
            &SeqIds::default(),
        )
        .map(|_| ())
        .map_err(|e| e.code)
    };
    assert_eq!(ok("a"), Err("InvalidKeyPairName.Malformed"));
    assert_eq!(ok("ab"), Ok(()));
    assert_eq!(ok(&format!("a{}", "b".repeat(127))), Ok(()));
    assert_eq!(
        ok(&format!("a{}", "b".repeat(128))),
        Err("InvalidKeyPairName.Malformed")
    );
    assert_eq!(ok("1abc"), Err("InvalidKeyPairName.Malformed"));
    assert_eq!(ok("a:b_c-d"), Ok(()));
    assert_eq!(ok("a.b"), Err("InvalidKeyPairName.Malformed"));
    assert_eq!(ok("http://x"), Err("InvalidKeyPairName.Malformed"));
    assert_eq!(ok("https://x"), Err("InvalidKeyPairName.Malformed"));
    assert_eq!(ok("http:x"), Ok(()));
    let e = err(p, &alibaba(json!({"KeyPairName": "a"})));
    assert_eq!(
        (e.http_status, e.message.as_ref()),
        (400, "Specified Key Pair name is not valid.")
    );
}

#[test]
fn alibaba_tags() {
    let p = &alibaba_ecs::IMPORT;
    let tags = |n: usize, key: &str, value: &str| {
        let mut v = json!({});
        for i in 1..=n {
            v[format!("Tag.{i}.Key")] = json!(format!("{key}{i}"));
            v[format!("Tag.{i}.Value")] = json!(value);
        }
        alibaba(v)
    };
    let ok = |r: &ImportRequest| {
        p.import(r, &MemoryStore::new(), &SeqIds::default())
            .map(|_| ())
            .map_err(|e| e.code)
    };
    assert_eq!(ok(&tags(20, "env", "prod")), Ok(()));
    assert_eq!(ok(&tags(21, "env", "prod")), Err("InvalidTagCount"));
    assert_eq!(ok(&tags(1, "env", "")), Ok(()));
    assert_eq!(ok(&tags(1, "acs:x", "v")), Err("InvalidTagKey.Malformed"));
    assert_eq!(ok(&tags(1, "aliyun", "v")), Err("InvalidTagKey.Malformed"));
    assert_eq!(ok(&tags(1, "a-http://b", "v")), Err("InvalidTagKey.Malformed"));
    assert_eq!(ok(&tags(1, &"k".repeat(127), "v")), Ok(()));
    assert_eq!(ok(&tags(1, &"k".repeat(128), "v")), Err("InvalidTagKey.Malformed"));
    assert_eq!(
        ok(&alibaba(json!({"Tag.1.Key": "", "Tag.1.Value": "v"}))),
        Err("InvalidTagKey.Malformed")
    );
    assert_eq!(
        ok(&alibaba(json!({"Tag.1.Value": "v"}))),
        Err("InvalidTagKey.Malformed")
    );
    assert_eq!(ok(&tags(1, "k", "acs:v")), Err("InvalidTagValue.Malformed"));
    assert_eq!(ok(&tags(1, "k", "see https://x")), Err("InvalidTagValue.Malformed"));
    assert_eq!(ok(&tags(1, "k", &"v".repeat(128))), Ok(()));
    assert_eq!(ok(&tags(1, "k", &"v".repeat(129))), Err("InvalidTagValue.Malformed"));
    assert_eq!(ok(&alibaba(json!({"Tag.0.Key": "k"}))), Err("InvalidTagCount"));
}

#[test]
fn alibaba_parameters_keys_and_bodies() {
    let p = &alibaba_ecs::IMPORT;
    let e = err(p, &alibaba(json!({"PublicKeyBody": null})));
    assert_eq!((e.code, e.http_status), ("MissingParameter", 400));
    assert_eq!(
        e.message,
        "The input parameter \"PublicKeyBody\" that is mandatory for processing this request is not supplied."
    );
    assert!(
        err(p, &alibaba(json!({"RegionId": null})))
            .message
            .contains("\"RegionId\"")
    );
    assert!(
        err(p, &alibaba(json!({"KeyPairName": null})))
            .message
            .contains("\"KeyPairName\"")
    );
    // A region is a short lowercase word, never a store scope of any size
    // or byte.
    for region in [
        "x".repeat(100_000),
        "cn-hang\nzhou".into(),
        "CN-HANGZHOU".into(),
        "cn/../x".into(),
    ] {
        let e = err(p, &alibaba(json!({ "RegionId": region })));
        assert_eq!((e.code, e.http_status), ("InvalidRegionId.NotFound", 404), "{region:?}");
    }
    let e = err(p, &alibaba(json!({"ResourceGroupId": "rg-missing"})));
    assert_eq!((e.code, e.http_status), ("InvalidResourceGroup.NotFound", 404));
    let store = MemoryStore::new().with_resource_groups(["rg-aek2"]);
    assert!(
        p.import(
            &alibaba(json!({"ResourceGroupId": "rg-aek2"})),
            &store,
            &SeqIds::default()
        )
        .is_ok()
    );

    // The documented key types, and refusal of the others.
    for (file, ok) in [
        ("valid/rsa-2048.pub", true),
        ("valid/dsa-1024.pub", true),
        ("valid/ecdsa-256.pub", true),
        ("valid/ecdsa-384.pub", true),
        ("valid/ecdsa-521.pub", true),
        ("v00/rsa-cert-v00.pub", true),
        ("v00/dsa-cert-v00.pub", true),
        ("valid/ed25519.pub", false),
        ("valid/sk-ed25519.pub", false),
    ] {
        let r = p.import(
            &alibaba(json!({"PublicKeyBody": corpus(file)})),
            &MemoryStore::new(),
            &SeqIds::default(),
        );
        assert_eq!(r.is_ok(), ok, "{file}: {r:?}");
        if let Err(e) = r {
            assert_eq!((e.code, e.http_status), ("InvalidPublicKeyBody.Malformed", 400));
        }
    }

    // Response bodies, JSON in the documented order, and XML.
    let ok = p
        .import(&alibaba(json!({})), &MemoryStore::new(), &SeqIds::default())
        .unwrap();
    let body = ok.to_json();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["RequestId", "KeyPairName", "KeyPairFingerPrint"]);
    let fp = body["KeyPairFingerPrint"].as_str().unwrap();
    assert_eq!(fp.split(':').count(), 16);
    // The MD5 of the key, as `ssh-keygen -l -E md5` prints it.
    let recorded = corpus("valid/rsa-2048.pub.md5");
    assert!(recorded.contains(&format!("MD5:{fp} ")), "{recorded} / {fp}");
    assert!(
        ok.to_xml()
            .unwrap()
            .contains(&format!("<KeyPairFingerPrint>{fp}</KeyPairFingerPrint>"))
    );
    let e = err(p, &alibaba(json!({"KeyPairName": "a"})));
    assert_eq!(e.to_json()["HttpStatus"], 400);
    assert!(
        e.to_xml()
            .unwrap()
            .contains("<Code>InvalidKeyPairName.Malformed</Code>")
    );
}

#[test]
fn alibaba_duplicates_and_the_501st_key() {
    let p = &alibaba_ecs::IMPORT;
    let store = MemoryStore::new();
    let ids = SeqIds::default();
    let req = |name: String, key: String| alibaba(json!({"KeyPairName": name, "PublicKeyBody": key}));
    for i in 0..500 {
        p.import(&req(format!("k{i}"), ecdsa_line(i)), &store, &ids).unwrap();
    }
    let e = p
        .import(&req("k500".into(), ecdsa_line(500)), &store, &ids)
        .unwrap_err();
    assert_eq!((e.code, e.http_status), ("QuotaExceed.KeyPair", 403));
    assert_eq!(e.message, "The key pair quota exceeds.");
    // Another region has its own quota.
    let other = alibaba(json!({"KeyPairName": "k0", "RegionId": "cn-beijing", "PublicKeyBody": ecdsa_line(0)}));
    p.import(&other, &store, &ids).unwrap();
    let e = p.import(&other, &store, &ids).unwrap_err();
    assert_eq!((e.code, e.http_status), ("KeyPair.AlreadyExist", 400));
    // The same key, another comment and name.
    let same = ecdsa_line(0).replace("key0", "someone@else");
    let e = p
        .import(
            &alibaba(json!({"KeyPairName": "k1", "RegionId": "cn-beijing", "PublicKeyBody": same})),
            &store,
            &ids,
        )
        .unwrap_err();
    assert_eq!(e.code, "KeyPair.AlreadyExist");
}

#[test]
fn concurrent_duplicate_imports_exactly_one_succeeds() {
    let key = corpus("valid/rsa-2048.pub");
    for p in [&tencent_cvm::IMPORT, &alibaba_ecs::IMPORT] {
        let store = Arc::new(MemoryStore::new());
        let ids = Arc::new(SeqIds::default());
        let handles: Vec<_> = (0..16)
            .map(|i| {
                let (store, ids, key) = (Arc::clone(&store), Arc::clone(&ids), key.clone());
                std::thread::spawn(move || {
                    let req = if p.id == "alibaba-ecs" {
                        alibaba(json!({"KeyPairName": format!("k{i}"), "PublicKeyBody": key}))
                    } else {
                        tencent(&format!("k{i}"), &key)
                    };
                    p.import(&req, store.as_ref(), ids.as_ref())
                        .map(|_| ())
                        .map_err(|e| e.code)
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
        let dup = if p.id == "alibaba-ecs" {
            "KeyPair.AlreadyExist"
        } else {
            "InvalidPublicKey.Duplicate"
        };
        assert!(results.iter().all(|r| *r == Ok(()) || *r == Err(dup)), "{results:?}");
    }
}

#[test]
fn create_returns_a_matching_pair_that_keyvet_accepts() {
    use keyvet_cloud::generate::NewKey;
    let store = MemoryStore::new();
    let ids = SeqIds::default();
    let p = &tencent_cvm::IMPORT_V2;
    for (i, kind) in [NewKey::Rsa(2048), NewKey::Ed25519, NewKey::EcdsaP256, NewKey::EcdsaP384]
        .into_iter()
        .enumerate()
    {
        let name = format!("k{i}");
        let c = p.create(Some(&name), kind, &store, &ids).unwrap();
        let mut v = keyvet::Checker::new(keyvet::policy::STRICT);
        v.check_line(c.public_line.as_bytes()).unwrap();
        let body = c.to_json();
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["codeDesc", "message", "code", "data"]);
        let keys: Vec<&String> = body["data"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["secretkey", "pubkey", "keyId", "keyName"]);
        let secret = body["data"]["secretkey"].as_str().unwrap();
        match kind {
            NewKey::Rsa(_) => assert!(secret.starts_with("-----BEGIN RSA PRIVATE KEY-----\n")),
            _ => assert!(secret.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----\n")),
        }
        let comment = c.public_line.rsplit(' ').next().unwrap();
        assert!(comment.starts_with("skey_") && comment.len() == 11, "{comment}");
    }
    let e = p.create(Some("k1"), NewKey::Ed25519, &store, &ids).unwrap_err();
    assert_eq!(e.code, "InvalidKeyPairName.Duplicate");
    assert_eq!(
        p.create(Some("bad name"), NewKey::Ed25519, &store, &ids)
            .unwrap_err()
            .code,
        "InvalidKeyPairNameIncludeIllegalChar"
    );
    assert_eq!(
        p.create(None, NewKey::Ed25519, &store, &ids).unwrap_err().code,
        "MissingParameter"
    );
    // An RSA size out of range is the caller's parameter error, before any
    // work.
    for bits in [0, 1024, 2047, 16385, usize::MAX] {
        let e = p.create(Some("rsa_odd"), NewKey::Rsa(bits), &store, &ids).unwrap_err();
        assert_eq!((e.code, e.http_status), ("InvalidParameterValue", 200), "{bits}: {e}");
        assert!(e.to_string().contains("2048 to 16384 bits"), "{e}");
    }
}

/// A full scope refuses a create before the key is generated: a
/// 16384-bit RSA key would take minutes, so this test would not end.
#[test]
fn create_checks_the_quota_before_generating() {
    use keyvet_cloud::generate::NewKey;
    let store = MemoryStore::new();
    let ids = SeqIds::default();
    let p = Provider {
        quota: 1,
        ..tencent_cvm::IMPORT_V2
    };
    p.create(Some("first"), NewKey::Ed25519, &store, &ids).unwrap();
    let e = p.create(Some("second"), NewKey::Rsa(16384), &store, &ids).unwrap_err();
    assert_eq!(e.code, "InvalidKeyPair.LimitExceeded");
    let e = p.create(Some("first"), NewKey::Rsa(16384), &store, &ids).unwrap_err();
    assert_eq!(e.code, "InvalidKeyPairName.Duplicate");
}

/// The documented CreateKeyPair example (Tencent's v2 CreateKeyPair page,
/// kept as `tests/fixtures/tencent-v2-create-example.json`): its `secretkey`
/// (PKCS#1 PEM) and `pubkey` are one key pair, the response has our field
/// order, and the public key imports.
#[test]
fn documented_create_example_is_a_matching_pair() {
    let doc = std::fs::read_to_string(format!(
        "{}/tests/fixtures/tencent-v2-create-example.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let example: Value = serde_json::from_str(&doc).unwrap();
    let keys: Vec<&String> = example.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["codeDesc", "message", "code", "data"]);
    let data = &example["data"];
    let keys: Vec<&String> = data.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["secretkey", "pubkey", "keyId", "keyName"]);
    let secret = data["secretkey"].as_str().unwrap();
    assert!(secret.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let derived = keyvet::convert::to_openssh(secret.as_bytes()).unwrap();
    let pubkey = data["pubkey"].as_str().unwrap();
    let mut v = keyvet::Checker::new(keyvet::policy::OPENSSH);
    let documented = v.check_line(pubkey.as_bytes()).unwrap();
    assert_eq!(
        derived.blob(),
        documented.key().raw(),
        "secretkey and pubkey are not one pair"
    );
    assert_eq!(documented.bits(), 1024);
    assert_eq!(documented.comment(), Some("skey_112168"));
    // It imports under the documented API (1024-bit RSA is its own output).
    let req =
        tencent_cvm::IMPORT_V2.request_from_json(json!({"keyName": "Tencent", "pubKey": pubkey}).as_object().unwrap());
    tencent_cvm::IMPORT_V2
        .import(&req, &MemoryStore::new(), &SeqIds::default())
        .unwrap();
    // And the private key itself, pasted: refused (the key is exposed), as
    // the provider's malformed-key error.
    let req =
        tencent_cvm::IMPORT_V2.request_from_json(json!({"keyName": "Tencent", "pubKey": secret}).as_object().unwrap());
    let e = tencent_cvm::IMPORT_V2
        .import(&req, &MemoryStore::new(), &SeqIds::default())
        .unwrap_err();
    assert_eq!(e.code, "InvalidPublicKey.Malformed");
    assert!(e.rejection.to_string().contains("upload.private_key"), "{e}");
}

/// Every upload format is normalised to the same key.
#[test]
fn uploads_in_other_formats_are_converted() {
    let dir = format!("{}/../corpus/convert/public", env!("CARGO_MANIFEST_DIR"));
    let p = Provider {
        policy: keyvet::Policy {
            algorithms: keyvet::policy::STRICT.algorithms,
            ..alibaba_ecs::IMPORT.policy
        },
        ..alibaba_ecs::IMPORT
    };
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let Some(stem) = name.strip_suffix(".rfc4716").or(name.strip_suffix(".spki.pem")) else {
            continue;
        };
        let Ok(plain) = std::fs::read_to_string(format!("{dir}/{}.pub", stem.trim_end_matches(".putty"))) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let store = MemoryStore::new();
        let ids = SeqIds::default();
        let ok = p.import(
            &alibaba(json!({"KeyPairName": "converted", "PublicKeyBody": text})),
            &store,
            &ids,
        );
        let Ok(ok) = ok else { continue };
        assert!(ok.converted_from.is_some(), "{name}");
        // The same key, as an OpenSSH line, is a duplicate.
        let e = p
            .import(
                &alibaba(json!({"KeyPairName": "plain", "PublicKeyBody": plain})),
                &store,
                &ids,
            )
            .unwrap_err();
        assert_eq!(e.code, "KeyPair.AlreadyExist", "{name}");
        n += 1;
    }
    assert!(n >= 8, "only {n} converted uploads");
}
