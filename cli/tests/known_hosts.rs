//! known_hosts as ssh-keygen 9.2 reads it: `keyvet fingerprint --policy
//! openssh` against `ssh-keygen -l [-E md5]`, `keyvet known-hosts find`
//! against `ssh-keygen -F [-q]`, on files ssh-keygen wrote (plain and `-H`
//! hashed: markers, patterns, ports, negation, comments, bad lines), with
//! the outputs and exit statuses recorded by `corpus/known_hosts/generate.py`.
//! Also `check`'s reading of known_hosts lines, and its JSON.

use std::path::PathBuf;
use std::process::{Command, Output};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus/known_hosts")
}

fn keyvet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .args(args)
        .current_dir(dir())
        .output()
        .unwrap()
}

/// The keyvet command standing for a recorded ssh-keygen command line.
fn translate(args: &str) -> Vec<String> {
    let a: Vec<&str> = args.split(' ').collect();
    let file = a[a.iter().position(|x| *x == "-f").unwrap() + 1].to_string();
    if let Some(i) = a.iter().position(|x| *x == "-F") {
        let mut v = vec!["known-hosts".to_string(), "find".into()];
        if a.contains(&"-q") {
            v.push("-q".into());
        }
        v.extend([a[i + 1].to_string(), "-f".into(), file]);
        return v;
    }
    let mut v = vec!["fingerprint".to_string(), "--policy".into(), "openssh".into()];
    if a.contains(&"md5") {
        v.extend(["-E".into(), "md5".into()]);
    }
    v.extend(["-f".into(), file]);
    v
}

#[test]
fn fingerprint_and_find_are_ssh_keygen_byte_for_byte() {
    let manifest = std::fs::read_to_string(dir().join("MANIFEST.tsv")).unwrap();
    let mut rows = 0;
    let mut found = 0;
    let mut bad = Vec::new();
    for row in manifest.lines().skip(1) {
        let c: Vec<&str> = row.split('\t').collect();
        let (args, status, stdout) = (c[2], c[4], c[5]);
        let want = std::fs::read(dir().join(stdout)).unwrap();
        let ours = translate(args);
        let refs: Vec<&str> = ours.iter().map(String::as_str).collect();
        let out = keyvet(&refs);
        let code = out.status.code().unwrap_or(-1).to_string();
        if code != status || out.stdout != want {
            bad.push(format!(
                "ssh-keygen {args}: status {status}, keyvet {}: {code}\n  want {:?}\n  got  {:?}\n  stderr {}",
                ours.join(" "),
                String::from_utf8_lossy(&want),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        rows += 1;
        found += usize::from(status == "0" && args.contains("-F"));
    }
    assert!(bad.is_empty(), "{} of {rows} differ:\n{}", bad.len(), bad.join("\n"));
    // Two files x (2 listings + 20 hosts x 2): the lookups that find a line
    // and those that do not are both there.
    assert_eq!(rows, 84);
    assert!(found >= 40 && rows - 4 - found >= 20, "{found} found");
}

#[test]
fn check_reads_known_hosts_lines_and_names_their_hosts() {
    let out = keyvet(&["check", "--json", "--policy", "openssh", "hashed"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let v: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let at = |line: u64| {
        v.iter()
            .find(|o| o["line"] == line)
            .unwrap_or_else(|| panic!("line {line}"))
    };
    // Hashed: no hosts, said to be hashed.
    assert_eq!(at(3)["valid"], true);
    assert_eq!(at(3)["hashed"], true);
    assert_eq!(at(3)["hosts"], serde_json::Value::Null);
    assert_eq!(at(3)["marker"], serde_json::Value::Null);
    // A marker line (never hashed by ssh-keygen -H).
    let ca = v.iter().find(|o| o["marker"] == "cert-authority").unwrap();
    assert_eq!(ca["hosts"], serde_json::json!(["*.example.com", "!old.example.com"]));
    assert_eq!(ca["hashed"], false);
    let revoked = v.iter().find(|o| o["marker"] == "revoked").unwrap();
    assert_eq!(revoked["valid"], true, "a revoked 1024-bit key is a valid revocation");
    // The bad lines, each with its own code.
    let codes: Vec<&str> = v
        .iter()
        .filter(|o| o["valid"] == false)
        .map(|o| o["error"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "blob.truncated",   // base64 cut short (ssh-keygen -F does not read keys)
            "key.type.unknown", // `RSA`: sshkey_read does not take short names
            "known_hosts.marker",
            "line.missing_key",
            "known_hosts.missing_key",
            "key.type.unknown",
        ],
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn strict_refuses_host_patterns_that_never_match() {
    let input = "a.example,,b.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy\n\
                 [a.example]:22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy\n\
                 !a.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy\n";
    let path = std::env::temp_dir().join(format!("keyvet-kh-{}", std::process::id()));
    std::fs::write(&path, input).unwrap();
    let p = path.to_str().unwrap();
    let strict = keyvet(&["check", "--format", "known-hosts", p]);
    let openssh = keyvet(&["check", "--format", "known-hosts", "--policy", "openssh", p]);
    std::fs::remove_file(&path).unwrap();
    let text = String::from_utf8(strict.stdout).unwrap();
    for code in [
        "known_hosts.pattern.empty",
        "known_hosts.pattern.port",
        "known_hosts.pattern.only_negated",
    ] {
        assert!(text.contains(code), "{code}: {text}");
    }
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(openssh.status.code(), Some(0), "OpenSSH loads them");
}
