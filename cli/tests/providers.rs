//! `keyvet import` and `keyvet create`: every documented error code through
//! the command line, the response bodies, and the exit status.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn keyvet(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A usage error exits before reading its input.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn corpus(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../corpus/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .trim_end()
        .to_string()
}

fn jsonl(reqs: &[Value]) -> Vec<u8> {
    reqs.iter().map(|r| format!("{r}\n")).collect::<String>().into_bytes()
}

fn bodies(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn tencent_cvm_every_error_code() {
    let rsa = corpus("valid/rsa-2048.pub");
    let rsa2 = corpus("valid/rsa-3072.pub");
    let tags: Vec<Value> = (0..51).map(|i| json!({"Key": format!("k{i}"), "Value": "v"})).collect();
    let reqs = [
        json!({"KeyName": "ok_key", "ProjectId": "0", "PublicKey": rsa}),
        json!({"KeyName": "", "ProjectId": 0, "PublicKey": rsa2}),
        json!({"KeyName": "a-b", "ProjectId": 0, "PublicKey": rsa2}),
        json!({"KeyName": "a".repeat(26), "ProjectId": 0, "PublicKey": rsa2}),
        json!({"KeyName": "ok_key", "ProjectId": 0, "PublicKey": rsa2}),
        json!({"KeyName": "other", "ProjectId": 0, "PublicKey": "ssh-rsa XXXXXXXXXXXX== skey_45071"}),
        json!({"KeyName": "other", "ProjectId": 0, "PublicKey": rsa.replace("deploy", "someone")}),
        json!({"KeyName": "other", "ProjectId": "zero", "PublicKey": rsa2}),
        json!({"KeyName": "other", "ProjectId": 7, "PublicKey": rsa2}),
        json!({"ProjectId": 0, "PublicKey": rsa2}),
        json!({"KeyName": "other", "ProjectId": 0, "PublicKey": rsa2,
               "TagSpecification": [{"ResourceType": "keypair", "Tags": tags}]}),
        json!({"KeyName": "second", "ProjectId": 0, "PublicKey": rsa2}),
        json!({"KeyName": "third", "ProjectId": 0, "PublicKey": corpus("valid/rsa-4096.pub")}),
    ];
    let out = keyvet(
        &["import", "--profile", "tencent-cvm", "--quota", "2", "--requests", "-"],
        &jsonl(&reqs),
    );
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let b = bodies(&out);
    assert_eq!(b.len(), reqs.len());
    assert!(b[0]["Response"]["KeyId"].as_str().unwrap().starts_with("skey-"));
    let codes: Vec<&str> = b[1..]
        .iter()
        .map(|r| r["Response"]["Error"]["Code"].as_str().unwrap_or("ok"))
        .collect();
    assert_eq!(
        codes,
        [
            "InvalidKeyPairNameEmpty",
            "InvalidKeyPairNameIncludeIllegalChar",
            "InvalidKeyPairNameTooLong",
            "InvalidKeyPairName.Duplicate",
            "InvalidPublicKey.Malformed",
            "InvalidPublicKey.Duplicate",
            "InvalidParameterValue",
            "InvalidProjectId.NotFound",
            "MissingParameter",
            "LimitExceeded.TagResourceQuota",
            "ok",
            "InvalidKeyPair.LimitExceeded",
        ]
    );
    for r in &b[1..] {
        assert!(r["Response"]["RequestId"].is_string());
    }
}

#[test]
fn internal_errors_through_the_cli() {
    // A damaged store (its table of key pairs gone): it opens, and every
    // insert fails inside.
    let dir = std::env::temp_dir().join(format!("keyvet-cli-internal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("keys.db");
    drop(keyvet_server::SqliteStore::open(&db).unwrap());
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("ALTER TABLE key_pairs RENAME TO lost")
        .unwrap();
    let db = db.to_str().unwrap();
    let out = keyvet(
        &["import", "--profile", "tencent-cvm", "--name", "k", "--store", db],
        corpus("valid/rsa-2048.pub").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(bodies(&out)[0]["Response"]["Error"]["Code"], "InternalServerError");
    let out = keyvet(
        &["import", "--profile", "alibaba-ecs", "--name", "k1", "--store", db],
        corpus("valid/rsa-2048.pub").as_bytes(),
    );
    let b = &bodies(&out)[0];
    assert_eq!(
        (b["Code"].as_str(), b["HttpStatus"].as_u64()),
        (Some("InternalError"), Some(500))
    );
    // A store that cannot be opened at all (a folder) is a usage error,
    // said before any request is served.
    let out = keyvet(
        &[
            "import",
            "--profile",
            "tencent-cvm",
            "--name",
            "k",
            "--store",
            dir.to_str().unwrap(),
        ],
        corpus("valid/rsa-2048.pub").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("keyvet: "));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn tencent_cvm_v2_bodies() {
    let rsa = corpus("valid/rsa-2048.pub");
    let reqs = [
        json!({"keyName": "operation_key", "pubKey": rsa}),
        json!({"keyName": "operation_key", "pubKey": corpus("valid/rsa-3072.pub")}),
        json!({"pubKey": rsa}),
    ];
    let out = keyvet(
        &["import", "--profile", "tencent-cvm-v2", "--requests", "-"],
        &jsonl(&reqs),
    );
    assert_eq!(out.status.code(), Some(1));
    let b = bodies(&out);
    assert_eq!(
        (b[0]["code"].as_u64(), b[0]["codeDesc"].as_str()),
        (Some(0), Some("Success"))
    );
    assert!(b[0]["keyId"].as_str().unwrap().starts_with("skey-"));
    assert_eq!(b[1]["codeDesc"], "InvalidKeyPairName.Duplicate");
    assert_eq!(b[1]["code"], 4000);
    assert_eq!(b[2]["codeDesc"], "MissingParameter");
}

#[test]
fn alibaba_ecs_every_error_code() {
    let rsa = corpus("valid/rsa-2048.pub");
    let reqs = [
        json!({"KeyPairName": "team-key", "RegionId": "cn-hangzhou", "PublicKeyBody": rsa, "Tag.1.Key": "env", "Tag.1.Value": "prod"}),
        json!({"KeyPairName": "a", "RegionId": "cn-hangzhou", "PublicKeyBody": corpus("valid/rsa-3072.pub")}),
        json!({"KeyPairName": "other", "RegionId": "cn-hangzhou", "PublicKeyBody": corpus("valid/ed25519.pub")}),
        json!({"KeyPairName": "other", "RegionId": "cn-hangzhou"}),
        json!({"KeyPairName": "team-key", "RegionId": "cn-hangzhou", "PublicKeyBody": corpus("valid/rsa-3072.pub")}),
        json!({"KeyPairName": "other", "RegionId": "cn-hangzhou", "PublicKeyBody": corpus("valid/rsa-3072.pub"), "ResourceGroupId": "rg-nope"}),
        json!({"KeyPairName": "other", "RegionId": "cn-hangzhou", "PublicKeyBody": corpus("valid/rsa-3072.pub")}),
        json!({"KeyPairName": "third", "RegionId": "cn-hangzhou", "PublicKeyBody": corpus("valid/rsa-4096.pub")}),
    ];
    let out = keyvet(
        &["import", "--profile", "alibaba-ecs", "--quota", "2", "--requests", "-"],
        &jsonl(&reqs),
    );
    assert_eq!(out.status.code(), Some(1));
    let b = bodies(&out);
    let keys: Vec<&String> = b[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["RequestId", "KeyPairName", "KeyPairFingerPrint"]);
    let got: Vec<(&str, u64)> = b[1..]
        .iter()
        .map(|r| {
            (
                r["Code"].as_str().unwrap_or("ok"),
                r["HttpStatus"].as_u64().unwrap_or(200),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("InvalidKeyPairName.Malformed", 400),
            ("InvalidPublicKeyBody.Malformed", 400),
            ("MissingParameter", 400),
            ("KeyPair.AlreadyExist", 400),
            ("InvalidResourceGroup.NotFound", 404),
            ("ok", 200),
            ("QuotaExceed.KeyPair", 403),
        ]
    );
    // Single-request form, XML.
    let out = keyvet(
        &[
            "import",
            "--profile",
            "alibaba-ecs",
            "--name",
            "team-key",
            "--tag",
            "env=prod",
            "--xml",
            "-",
        ],
        rsa.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.starts_with("<ImportKeyPairResponse>") && xml.contains("<KeyPairName>team-key</KeyPairName>"));
    // An API that answers in JSON only has no XML to give: a usage error,
    // not another provider's XML.
    for api in ["tencent-cvm", "tencent-cvm-v2"] {
        let out = keyvet(
            &["import", "--profile", api, "--name", "k", "--xml", "-"],
            rsa.as_bytes(),
        );
        assert_eq!(out.status.code(), Some(2), "{api}");
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).contains("JSON only"), "{api}");
    }
}

#[test]
fn every_request_ok_exits_0() {
    let reqs = [json!({"KeyName": "a", "ProjectId": 0, "PublicKey": corpus("valid/rsa-2048.pub")})];
    let out = keyvet(
        &["import", "--profile", "tencent-cvm", "--requests", "-"],
        &jsonl(&reqs),
    );
    assert_eq!(out.status.code(), Some(0));
    // Usage errors exit 2.
    assert_eq!(keyvet(&["import", "--profile", "aws"], b"").status.code(), Some(2));
    assert_eq!(
        keyvet(&["import", "--profile", "tencent-cvm"], b"").status.code(),
        Some(2)
    );
}

#[test]
fn create_prints_the_documented_body() {
    let out = keyvet(&["create", "--profile", "tencent-cvm-v2", "--name", "Tencent"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let b = &bodies(&out)[0];
    let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["codeDesc", "message", "code", "data"]);
    let pubkey = b["data"]["pubkey"].as_str().unwrap();
    assert!(pubkey.starts_with("ssh-rsa AAAA"));
    assert!(
        b["data"]["secretkey"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN RSA PRIVATE KEY-----")
    );
    assert_eq!(b["data"]["keyName"], "Tencent");
    // The public line passes keyvet's own check.
    let out = keyvet(&["check", "--policy", "strict"], pubkey.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let out = keyvet(&["create", "--profile", "tencent-cvm-v2", "--name", "bad name"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(bodies(&out)[0]["codeDesc"], "InvalidKeyPairNameIncludeIllegalChar");
}

#[test]
fn a_bad_request_line_is_answered_and_the_batch_goes_on() {
    let rsa = corpus("valid/rsa-2048.pub");
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"KeyName\": \"first\", \"ProjectId\": 0, \"PublicKey\": \"");
    input.extend_from_slice(rsa.as_bytes());
    input.extend_from_slice(b"\"}\n");
    input.extend_from_slice(b"{\"KeyName\": \"caf\xe9\"}\n"); // Latin-1, not UTF-8
    input.extend_from_slice(&vec![b'x'; 70_000]); // over 64 KiB
    input.extend_from_slice(b"\n[1, 2]\n");
    input.extend_from_slice(
        format!(
            "{}\n",
            json!({"KeyName": "last", "ProjectId": 0, "PublicKey": corpus("valid/rsa-3072.pub")})
        )
        .as_bytes(),
    );
    let out = keyvet(&["import", "--profile", "tencent-cvm", "--requests", "-"], &input);
    assert_eq!(out.status.code(), Some(1));
    let b = bodies(&out);
    let codes: Vec<&str> = b
        .iter()
        .map(|r| r["Response"]["Error"]["Code"].as_str().unwrap_or("ok"))
        .collect();
    assert_eq!(
        codes,
        [
            "ok",
            "InvalidParameterValue",
            "InvalidParameterValue",
            "InvalidParameterValue",
            "ok"
        ]
    );
    let err = String::from_utf8_lossy(&out.stderr);
    for said in ["-:2: not UTF-8", "-:3: longer than 64 KiB", "-:4: not a JSON object"] {
        assert!(err.contains(said), "{said} not in {err}");
    }
}

#[test]
fn an_endless_key_file_is_refused_by_its_size() {
    // /dev/zero never ends: the import reads one byte past the largest
    // upload and refuses it, in bounded memory.
    let out = keyvet(&["import", "--profile", "tencent-cvm", "--name", "k", "/dev/zero"], b"");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        bodies(&out)[0]["Response"]["Error"]["Code"],
        "InvalidPublicKey.Malformed"
    );
}

#[test]
fn an_endless_requests_file_ends_the_batch() {
    // A request line over 64 KiB is reported and the batch goes on (tested
    // above); one that never ends is abandoned after 1 MiB.
    let out = keyvet(&["import", "--profile", "alibaba-ecs", "--requests", "/dev/zero"], b"");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/dev/zero: line 1: over 1048576 bytes without a newline"),
        "{err}"
    );
}

#[test]
fn an_endless_blocklist_is_refused() {
    let out = keyvet(&["check", "--blocklist", "/dev/zero", "-"], b"");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/dev/zero: line 1: over 4096 bytes without a newline"),
        "{err}"
    );
}
