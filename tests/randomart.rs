//! `randomart` against the pictures OpenSSH 9.2's `ssh-keygen -lv [-E md5]`
//! drew for the corpus (recorded in corpus/inspect/out by
//! corpus/inspect/record.py; ssh-keygen is never run here).

use std::path::PathBuf;

use keyvet::{Checker, HashAlg, policy, randomart};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The art of the one key of `path`, as recorded for `mode` (`lv` or
/// `lv-md5`): the lines after the listing line.
fn recorded(mode: &str, path: &str) -> String {
    let file = corpus()
        .join("inspect/out")
        .join(mode)
        .join("UTC")
        .join(format!("{}.out", path.replace('/', "__")));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 12, "{path}: one key expected");
    lines[1..].join("\n")
}

fn drawn(path: &str, alg: HashAlg) -> String {
    let text = std::fs::read(corpus().join(path)).unwrap();
    let line = text.split(|&b| b == b'\n').next().unwrap();
    let mut v = Checker::new(policy::OPENSSH);
    let key = v.check_line(line).unwrap_or_else(|e| panic!("{path}: {e}"));
    randomart::of_key(key.key(), alg).to_string()
}

#[test]
fn every_key_type_as_ssh_keygen_draws_it() {
    let paths = [
        "valid/rsa-2048.pub",
        "valid/rsa-8192.pub",
        "valid/dsa-1024.pub",
        "valid/ecdsa-256.pub",
        "valid/ecdsa-384.pub",
        "valid/ecdsa-521.pub",
        "valid/ed25519.pub",
        "valid/sk-ecdsa.pub",
        "valid/sk-ed25519.pub",
        "valid/certs/rsa-2048-user-by-ed25519.pub",
        "valid/certs/ecdsa-521-user-by-ed25519.pub",
        "valid/certs/sk-ecdsa-user-by-ed25519.pub",
        "valid/certs/sk-ed25519-user-by-ed25519.pub",
        // A square visited more than 14 times: `^`.
        "inspect/keys/saturated-sha256.pub",
        "inspect/keys/saturated-md5.pub",
    ];
    for path in paths {
        assert_eq!(drawn(path, HashAlg::Sha256), recorded("lv", path), "{path}");
        assert_eq!(drawn(path, HashAlg::Md5), recorded("lv-md5", path), "{path} (md5)");
    }
}

#[test]
fn from_the_fingerprint_alone() {
    let path = "valid/ed25519.pub";
    let text = std::fs::read(corpus().join(path)).unwrap();
    let mut v = Checker::new(policy::OPENSSH);
    let key = v.check_line(text.split(|&b| b == b'\n').next().unwrap()).unwrap();
    let fp = key.fingerprint(HashAlg::Sha256);
    let art = randomart::of_fingerprint(&fp, "ED25519", 256);
    assert_eq!(art.to_string(), recorded("lv", path));
    let raw = randomart::of_digest("SHA256", fp.as_bytes(), "ED25519", 256);
    assert_eq!(raw, art);
}
