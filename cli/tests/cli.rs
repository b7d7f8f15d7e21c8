//! The `keyvet` binary: its contract (`check`, `fingerprint`, `--policy`,
//! `--json`, exit codes) as scripts use it.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn keyvet(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// The public conformance corpus, at the top of the workspace.
fn conformance_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus/external")
}

const ED: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy";

#[test]
fn check_json_valid_line() {
    let input = format!("# a comment\n\nrestrict,command=\"echo hi\" {ED} alice@example\n");
    let out = keyvet(&["check", "--json"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_lines(&out);
    assert_eq!(v.len(), 1);
    let o = &v[0];
    assert_eq!(o["line"], 3);
    assert_eq!(o["valid"], true);
    assert_eq!(o["algorithm"], "ssh-ed25519");
    assert_eq!(o["bits"], 256);
    assert!(o["sha256"].as_str().unwrap().starts_with("SHA256:"));
    assert!(o["md5"].as_str().unwrap().starts_with("MD5:"));
    assert_eq!(o["comment"], "alice@example");
    assert_eq!(o["options"], serde_json::json!(["restrict", "command=\"echo hi\""]));
}

#[test]
fn check_json_invalid_line_exits_1() {
    let input = format!("{ED} ok\nssh-ed25519 AAAA!AAA bad\n");
    let out = keyvet(&["check", "--json", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let v = json_lines(&out);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["valid"], true);
    assert_eq!(v[1]["line"], 2);
    assert_eq!(v[1]["valid"], false);
    assert_eq!(v[1]["error"]["code"], "base64.symbol");
    assert!(v[1]["error"]["message"].as_str().unwrap().contains("byte 16"));
}

#[test]
fn no_key_line_is_invalid() {
    let out = keyvet(&["check", "--json"], b"# nothing here\n\n");
    assert_eq!(out.status.code(), Some(1));
    let v = json_lines(&out);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["error"]["code"], "input.no_key");
    let out = keyvet(&["fingerprint"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("input.no_key"));
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(keyvet(&["check", "/nonexistent/keys"], b"").status.code(), Some(2));
    assert_eq!(keyvet(&["bogus"], b"").status.code(), Some(2));
    assert_eq!(keyvet(&["check", "--policy", "lax"], b"").status.code(), Some(2));
    assert_eq!(keyvet(&["fingerprint", "-E", "sha1"], b"").status.code(), Some(2));
}

#[test]
fn private_key_is_named_and_its_block_is_one_error() {
    let input = b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
    let out = keyvet(&["check", "--json"], input);
    assert_eq!(out.status.code(), Some(1));
    let v = json_lines(&out);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0]["error"]["code"], "line.private_key");
    assert!(v[0]["error"]["message"].as_str().unwrap().contains("private key"));
}

#[test]
fn policies_differ() {
    // An alias type word: OpenSSH takes it, strict does not.
    let rsa = std::fs::read_to_string(conformance_root().join("openssh-portable/sshkey/rsa_1.pub")).unwrap();
    let alias = rsa.replacen("ssh-rsa", "rsa-sha2-256", 1);
    let out = keyvet(&["check", "--json", "--policy", "openssh"], alias.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{:?}", json_lines(&out));
    let out = keyvet(&["check", "--json", "--policy", "strict"], alias.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out)[0]["error"]["code"], "key.type.alias");
}

#[test]
fn fingerprint_prints_ssh_keygen_lines() {
    let root = conformance_root();
    let path = root.join("openssh-portable/sshkey/ecdsa_1-cert.pub");
    let out = keyvet(&["fingerprint", "--policy", "openssh", path.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "256 SHA256:8ty77fOpABat1y88aNdclQTfU+lVvWe7jYZGw8VYtfg ECDSA test key #1 (ECDSA-CERT)\n"
    );
    let out = keyvet(
        &[
            "fingerprint",
            "-E",
            "md5",
            "--policy",
            "openssh",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "256 MD5:2c:94:bb:77:00:8f:4f:8d:ed:bf:75:e1:61:db:df:66 ECDSA test key #1 (ECDSA-CERT)\n"
    );
}

#[test]
fn fingerprint_reports_bad_lines_on_stderr() {
    let input = format!("{ED} good\nssh-rsa AAAA bad\n");
    // The ssh-keygen drop-in: a key was printed, so success.
    let out = keyvet(&["fingerprint", "--policy", "openssh"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout.clone()).unwrap().lines().count(), 1);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("line 2"), "{err}");
    // -q: nothing said about the skipped line.
    let quiet = keyvet(&["fingerprint", "-q", "--policy", "openssh"], input.as_bytes());
    assert!(quiet.stderr.is_empty(), "{}", String::from_utf8_lossy(&quiet.stderr));
    assert_eq!(quiet.stdout, out.stdout);
    // strict keeps check's rule: any invalid line fails.
    let strict = keyvet(&["fingerprint"], input.as_bytes());
    assert_eq!(strict.status.code(), Some(1));
    // No key at all: ssh-keygen's fatal error, its words and status.
    let none = keyvet(&["fingerprint", "--policy", "openssh"], b"ssh-rsa AAAA bad\n");
    assert_eq!(none.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&none.stderr).contains("(stdin) is not a public key file."));
}

#[test]
fn fingerprint_json_has_checks_objects() {
    let input = format!("{ED} good\nssh-rsa AAAA bad\n");
    let out = keyvet(&["fingerprint", "--json", "--policy", "openssh"], input.as_bytes());
    let v = json_lines(&out);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["valid"], true);
    assert_eq!(v[0]["comment"], "good");
    assert!(v[0]["sha256"].as_str().unwrap().starts_with("SHA256:"));
    assert_eq!(v[1]["valid"], false);
    assert_eq!(v[1]["line"], 2);
    assert!(v[1]["error"]["code"].as_str().is_some());
    let check = keyvet(&["check", "--json", "--policy", "openssh"], input.as_bytes());
    let c = json_lines(&check);
    let keys = |o: &serde_json::Value| o.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v[0]), keys(&c[0]), "the same object shape as check");
}

#[test]
fn check_quiet_and_summary() {
    let input = format!("{ED} good\nssh-rsa AAAA bad\n{ED} again\n");
    let out = keyvet(&["check", "-q", "--policy", "openssh"], input.as_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("line 2"), "{text}");
    assert!(out.stderr.is_empty());
    let out = keyvet(&["check", "--summary", "--policy", "openssh"], input.as_bytes());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "keyvet: 2 valid, 1 invalid in 1 input\n"
    );
}

#[test]
fn io_errors_name_the_path_or_standard_output() {
    let out = keyvet(&["check", "/nonexistent/keys.pub"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "keyvet: /nonexistent/keys.pub: No such file or directory\n"
    );
    // A full disk on standard output is blamed on standard output.
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .args(["check", "--policy", "openssh", "-"])
        .stdin(Stdio::piped())
        .stdout(full)
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(format!("{ED} me\n").as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "keyvet: standard output: No space left on device\n"
    );
}

#[test]
fn jobs_are_bounded() {
    for n in ["0", "257", "100000", "18446744073709551615"] {
        let out = keyvet(&["check", "-j", n], b"");
        assert_eq!(out.status.code(), Some(2), "-j {n}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("1..=256"), "-j {n}");
    }
    let out = keyvet(
        &["check", "-j", "256", "--policy", "openssh"],
        format!("{ED} me\n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn completions_and_man_page_come_from_the_clap_definitions() {
    for shell in ["bash", "zsh", "fish"] {
        let out = keyvet(&["completions", shell], b"");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        for word in ["known-hosts", "fingerprint", "--policy"] {
            assert!(text.contains(word), "{shell} lacks {word}");
        }
    }
    let man = keyvet(&["man"], b"");
    let text = String::from_utf8(man.stdout).unwrap();
    assert!(
        text.starts_with(".ie") || text.contains(".TH keyvet"),
        "{}",
        &text[..80.min(text.len())]
    );
    assert!(text.contains("known\\-hosts"), "the subcommands are listed");
}

#[test]
fn text_report_is_readable() {
    let input = format!("{ED} me\nssh-ed25519\n");
    let out = keyvet(&["check"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("-:1: ok ssh-ed25519 256 SHA256:"), "{text}");
    assert!(lines[1].contains("line.missing_key"), "{text}");
}

#[test]
fn broken_pipe_is_not_an_error() {
    let mut input = String::new();
    for _ in 0..20000 {
        input.push_str(ED);
        input.push('\n');
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .args(["check", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A private key file with CR LF line ends: `convert` gives its public key
/// and says that ssh cannot load the file; `fingerprint`, as ssh-keygen -l,
/// refuses it, for that reason.
#[test]
fn convert_and_fingerprint_read_a_crlf_private_key_alike() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus/convert/line-ends/ed25519.crlf");
    let file = file.to_str().unwrap();
    let out = keyvet(&["convert", file], b"");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBgBzQShTsZ+pGvXiES2l3O6v801CGpGaa9Z+FvxD0lu"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("note: ssh and ssh-keygen cannot load this private key file: it has CR LF"),
        "{stderr}"
    );
    assert!(stderr.contains("dos2unix"), "{stderr}");

    let out = keyvet(&["fingerprint", file], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("it has CR LF") && stderr.contains("[convert.malformed]"),
        "{stderr}"
    );
}

#[test]
fn published_keys_are_refused_unless_the_built_in_list_is_off() {
    let key = std::fs::read(conformance_root().join("../published/keys/vagrant--insecure-ed25519.pub")).unwrap();
    let out = keyvet(&["check", "--json"], &key);
    assert_eq!(out.status.code(), Some(1));
    let v = json_lines(&out);
    assert_eq!(v[0]["error"]["code"], "weak.published", "{v:?}");
    assert!(
        v[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("anyone has its private key")
    );
    let off = keyvet(&["check", "--no-builtin-blocklist"], &key);
    assert_eq!(off.status.code(), Some(0), "{}", String::from_utf8_lossy(&off.stdout));
    // OpenSSH's verdict does not screen; asked to, the list only warns.
    let openssh = keyvet(&["check", "--policy", "openssh", "--enable", "weak.published"], &key);
    assert_eq!(openssh.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&openssh.stdout).contains("weak.published"));
}
