//! `keyvet inspect` against what OpenSSH 9.2's ssh-keygen printed, recorded
//! by `corpus/inspect/record.py` in `corpus/inspect/MANIFEST.tsv`:
//! `ssh-keygen -L` under two time zones, `ssh-keygen -lv [-E md5]`. The
//! tests never run ssh-keygen.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus")
}

/// Runs `keyvet ARGS` in `corpus/` under `TZ=tz`, with `stdin`.
fn keyvet(args: &[&str], tz: &str, stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .args(args)
        .current_dir(corpus())
        .env("TZ", tz)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// A row of the manifest.
struct Row {
    mode: String,
    path: String,
    tz: String,
    status: i32,
    /// The recorded standard output (empty when none).
    stdout: Vec<u8>,
}

fn manifest() -> Vec<Row> {
    let dir = corpus().join("inspect");
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 5, "{l}");
            let stdout = match f[4] {
                "-" => Vec::new(),
                out => std::fs::read(dir.join(out)).unwrap(),
            };
            Row {
                mode: f[0].into(),
                path: f[1].into(),
                tz: f[2].into(),
                status: f[3].parse().unwrap(),
                stdout,
            }
        })
        .collect()
}

/// keyvet's blocks for plain keys taken out (ssh-keygen -L refuses those
/// lines on standard error): a block starts at a line that is not indented.
fn without_plain_keys(out: &[u8]) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut block: Vec<&[u8]> = Vec::new();
    let flush = |block: &mut Vec<&[u8]>, kept: &mut Vec<u8>| {
        let plain = block
            .get(1)
            .is_some_and(|l| l.starts_with(b"        Type: ") && l.ends_with(b" public key\n"));
        if !plain {
            for l in block.iter() {
                kept.extend_from_slice(l);
            }
        }
        block.clear();
    };
    for line in out.split_inclusive(|&b| b == b'\n') {
        if !line.starts_with(b" ") {
            flush(&mut block, &mut kept);
        }
        block.push(line);
    }
    flush(&mut block, &mut kept);
    kept
}

/// Compares every row of `mode` with keyvet's run; returns how many
/// matched, and fails listing every mismatch.
fn compare(mode: &str, args: impl Fn(&str) -> Vec<String>, filter: impl Fn(&[u8]) -> Vec<u8>) -> usize {
    let mut failures = Vec::new();
    let mut n = 0;
    // OpenSSH 10.4's ML-DSA hybrid keys: 9.2 does not know them, keyvet's
    // openssh reading follows 10.4 (policy::OPENSSH).
    for row in manifest()
        .iter()
        .filter(|r| r.mode == mode && !r.path.contains("mldsa44"))
    {
        let a = args(&row.path);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = keyvet(&a, &row.tz, b"");
        let got = filter(&out.stdout);
        n += 1;
        if got != row.stdout || out.status.code() != Some(row.status) {
            failures.push(format!(
                "{} TZ={}: status {:?} (ssh-keygen {})\n--- keyvet\n{}--- ssh-keygen\n{}--- stderr\n{}",
                row.path,
                row.tz,
                out.status.code(),
                row.status,
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&row.stdout),
                String::from_utf8_lossy(&out.stderr),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} differ from ssh-keygen:\n{}",
        failures.len(),
        failures.join("\n")
    );
    n
}

#[test]
fn certificates_as_ssh_keygen_shows_them() {
    let n = compare("L", |p| vec!["inspect".into(), p.into()], without_plain_keys);
    assert!(n >= 400, "only {n} recordings");
}

#[test]
fn certificates_with_md5_as_ssh_keygen_shows_them() {
    let n = compare(
        "L-md5",
        |p| vec!["inspect".into(), "-E".into(), "md5".into(), p.into()],
        without_plain_keys,
    );
    assert!(n >= 20, "only {n} recordings");
}

#[test]
fn listing_and_randomart_as_ssh_keygen_lv() {
    let n = compare("lv", |p| vec!["inspect".into(), "-v".into(), p.into()], <[u8]>::to_vec);
    assert!(n >= 38, "only {n} recordings");
    let n = compare(
        "lv-md5",
        |p| vec!["inspect".into(), "-v".into(), "-E".into(), "md5".into(), p.into()],
        <[u8]>::to_vec,
    );
    assert!(n >= 38, "only {n} recordings");
}

#[test]
fn randomart_for_every_key_type() {
    let rows = manifest();
    let mut titles: Vec<String> = rows
        .iter()
        .filter(|r| r.mode == "lv")
        .flat_map(|r| {
            String::from_utf8_lossy(&r.stdout)
                .lines()
                .filter(|l| l.starts_with("+-") || l.starts_with("+["))
                .filter(|l| !l.contains("[SHA256]"))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    titles.sort();
    titles.dedup();
    for t in [
        "+---[RSA 2048]----+",
        "+---[DSA 1024]----+",
        "+---[ECDSA 256]---+",
        "+---[ECDSA 384]---+",
        "+---[ECDSA 521]---+",
        "+--[ED25519 256]--+",
        "+-[ECDSA-SK 256]--+",
        "+[ED25519-SK 256]-+",
        "+-[RSA-CERT 2048]-+",
        "+-[DSA-CERT 1024]-+",
        "+[ECDSA-CERT 256]-+",
        "+[ECDSA-CERT 384]-+",
        "+[ECDSA-CERT 521]-+",
        "+-[ED25519-CERT]--+",
        "+-[ECDSA-SK-CERT]-+",
        "+[ED25519-SK-CERT-+",
    ] {
        assert!(titles.iter().any(|x| x == t), "no recorded {t}: {titles:?}");
    }
}

/// The recorded output of `ssh-keygen -L -f PATH` under TZ.
fn recorded(path: &str, tz: &str) -> Row {
    manifest()
        .into_iter()
        .find(|r| r.mode == "L" && r.path == path && r.tz == tz)
        .unwrap_or_else(|| panic!("{path} under {tz} not recorded"))
}

#[test]
fn standard_input_names_every_line() {
    let path = "inspect/certs/mixed-cert.pub";
    let input = std::fs::read(corpus().join(path)).unwrap();
    let want = recorded(path, "America/St_Johns");
    let text = String::from_utf8(want.stdout).unwrap();
    let want = text
        .replace(&format!("{path}:\n"), "(stdin):1:\n")
        .replace(&format!("{path}:"), "(stdin):");
    let out = keyvet(&["inspect"], "America/St_Johns", &input);
    assert_eq!(String::from_utf8_lossy(&without_plain_keys(&out.stdout)), want);
    assert_eq!(out.status.code(), Some(0));
    // The plain key of line 4 is shown too.
    let all = String::from_utf8(out.stdout).unwrap();
    assert!(
        all.contains("(stdin):4:\n        Type: ssh-ed25519 public key\n"),
        "{all}"
    );
}

#[test]
fn time_zones_change_the_times() {
    // The recordings differ between the zones, and keyvet follows TZ.
    let path = "certcheck/user-alice-cert.pub";
    let utc = recorded(path, "UTC").stdout;
    let nst = recorded(path, "America/St_Johns").stdout;
    assert_ne!(utc, nst);
    assert_eq!(keyvet(&["inspect", path], "UTC", b"").stdout, utc);
    assert_eq!(keyvet(&["inspect", path], "America/St_Johns", b"").stdout, nst);
    assert_eq!(keyvet(&["inspect", path], "", b"").stdout, utc, "TZ= is UTC");
}

#[test]
fn exit_status_as_ssh_keygen() {
    // Unreadable: ssh-keygen's fatal.
    let out = keyvet(&["inspect", "no/such/file"], "UTC", b"");
    assert_eq!(out.status.code(), Some(255));
    assert!(out.stdout.is_empty());
    // No key or certificate at all.
    let out = keyvet(&["inspect"], "UTC", b"# nothing\nnot a key\n");
    assert_eq!(out.status.code(), Some(1));
    let out = keyvet(&["inspect", "-v"], "UTC", b"not a key\n");
    assert_eq!(out.status.code(), Some(255));
    // A plain key is shown (ssh-keygen -L refuses it).
    let out = keyvet(&["inspect", "valid/ed25519.pub"], "UTC", b"");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("valid/ed25519.pub:\n        Type: ssh-ed25519 public key\n"),
        "{text}"
    );
    assert!(text.contains("        Size: 256 bits\n"), "{text}");
    // Corrupt options: nothing of that certificate, then stop with 255.
    let out = keyvet(
        &[
            "inspect",
            "certcheck/user-alice-cert.pub",
            "cases/cert-extension-flag-with-data.pub",
        ],
        "UTC",
        b"",
    );
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(out.stdout, recorded("certcheck/user-alice-cert.pub", "UTC").stdout);
}

fn json(args: &[&str]) -> Vec<serde_json::Value> {
    let out = keyvet(args, "America/St_Johns", b"");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

#[test]
fn json_fields_of_a_known_certificate() {
    // Every value as `ssh-keygen -L [-E md5] -f certcheck/user-alice-cert.pub`
    // shows it (TZ=UTC for the times).
    let v = json(&["inspect", "--json", "certcheck/user-alice-cert.pub"]);
    assert_eq!(v.len(), 1);
    let o = &v[0];
    assert_eq!(o["file"], "certcheck/user-alice-cert.pub");
    assert_eq!(o["line"], 1);
    assert_eq!(o["valid"], true);
    assert_eq!(o["kind"], "certificate");
    assert_eq!(o["algorithm"], "ssh-ed25519-cert-v01@openssh.com");
    assert_eq!(o["bits"], 256);
    assert_eq!(o["sha256"], "SHA256:HCWeMnJ/ltPsi6rF8OIoZpCNxySMUk1f9X5m22MlY4U");
    assert_eq!(o["md5"], "MD5:e8:30:3a:d1:37:ec:86:0f:4b:5c:7a:46:46:34:49:10");
    let c = &o["certificate"];
    assert_eq!(c["type"], "user");
    assert_eq!(c["key_id"], "user-alice@example.com");
    assert_eq!(c["serial"], 1);
    assert_eq!(c["principals"], serde_json::json!(["alice"]));
    assert_eq!(c["valid_after"], 1_577_836_800u64);
    assert_eq!(c["valid_before"], 2_208_988_800u64);
    assert_eq!(c["valid_after_utc"], "2020-01-01T00:00:00Z");
    assert_eq!(c["valid_before_utc"], "2040-01-01T00:00:00Z");
    assert_eq!(c["critical_options"], serde_json::json!([]));
    let flags: Vec<_> = [
        "permit-X11-forwarding",
        "permit-agent-forwarding",
        "permit-port-forwarding",
        "permit-pty",
        "permit-user-rc",
    ]
    .iter()
    .map(|n| serde_json::json!({"name": n, "value": null}))
    .collect();
    assert_eq!(c["extensions"], serde_json::Value::Array(flags));
    assert_eq!(c["key"]["algorithm"], "ssh-ed25519");
    assert_eq!(c["key"]["bits"], 256);
    assert_eq!(c["key"]["sha256"], o["sha256"]);
    assert_eq!(c["key"]["md5"], o["md5"]);
    assert_eq!(c["signing_ca"]["algorithm"], "ssh-ed25519");
    assert_eq!(
        c["signing_ca"]["sha256"],
        "SHA256:INePELp8MZQkTMSc3aIMl8QEXSozojAMVItlV7PiZFI"
    );
    assert_eq!(
        c["signing_ca"]["md5"],
        "MD5:4e:67:a0:f0:50:2b:92:f6:09:05:52:83:50:03:3d:91"
    );
    assert_eq!(c["signature_algorithm"], "ssh-ed25519");
    assert!(o.get("randomart_sha256").is_none());
}

#[test]
fn json_options_open_ends_and_randomart() {
    let v = json(&[
        "inspect",
        "--json",
        "-v",
        "inspect/certs/options-all-cert.pub",
        "inspect/certs/forever-cert.pub",
    ]);
    assert_eq!(v.len(), 2);
    let c = &v[0]["certificate"];
    assert_eq!(c["principals"], serde_json::json!(["alice", "bob", "*"]));
    assert_eq!(
        c["critical_options"],
        serde_json::json!([
            {"name": "crit@example.com", "value": "value"},
            {"name": "critflag@example.com", "value": null},
            {"name": "force-command", "value": "/bin/echo hi"},
            {"name": "source-address", "value": "10.0.0.0/8,192.168.1.1"},
            {"name": "verify-required", "value": null},
        ])
    );
    assert_eq!(
        c["extensions"][0],
        serde_json::json!({"name": "ext@example.com", "value": "v a l"})
    );
    let art = v[0]["randomart_sha256"].as_str().unwrap();
    assert!(art.starts_with("+-[ED25519-CERT]--+\n") && art.ends_with("+----[SHA256]-----+"));
    assert!(v[0]["randomart_md5"].as_str().unwrap().ends_with("+------[MD5]------+"));
    let f = &v[1]["certificate"];
    assert_eq!(f["valid_after"], 0);
    assert_eq!(f["valid_before"], u64::MAX);
    assert_eq!(f["valid_after_utc"], serde_json::Value::Null);
    assert_eq!(f["valid_before_utc"], serde_json::Value::Null);
    // Raw bytes: text where UTF-8.
    let v = json(&["inspect", "--json", "inspect/certs/raw-bytes-cert.pub"]);
    assert_eq!(v[0]["certificate"]["principals"][1], "\u{e9}t\u{e9}");
}

#[test]
fn json_invalid_lines_and_plain_keys() {
    let v = json(&["inspect", "--json", "inspect/certs/mixed-cert.pub"]);
    let lines: Vec<(u64, bool)> = v
        .iter()
        .map(|o| (o["line"].as_u64().unwrap(), o["valid"].as_bool().unwrap()))
        .collect();
    // Line 2 is empty but for its newline: ssh-keygen -L reads it as a key.
    assert_eq!(
        lines,
        [(1, true), (2, false), (4, true), (5, false), (6, false), (7, true)]
    );
    assert_eq!(v[2]["kind"], "key");
    assert!(v[2].get("certificate").is_none());
    assert!(v[1]["error"]["code"].is_string());
}

#[test]
fn recordings_are_there() {
    let rows = manifest();
    assert!(Path::new(&corpus().join("inspect/record.py")).exists());
    for tz in ["UTC", "America/St_Johns"] {
        assert!(rows.iter().filter(|r| r.mode == "L" && r.tz == tz).count() >= 200);
    }
}
