//! keyvet against the public conformance corpus (`corpus/external`),
//! driven by its MANIFEST.tsv, with OpenSSH 9.2's `ssh-keygen -l` as the
//! oracle.
//!
//! Every row ends in one of: pass, known divergence (listed below with its
//! reason), unexpected failure, unexpected success. The unexpected lists
//! must be empty, and every listed divergence must still occur (a fixed
//! divergence is removed from the list).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Tsv, check_codes, conformance_root, corpus_root, keygen_output, nth_line};
use keyvet::convert;
use keyvet::line::Options;
use keyvet::listing::ShownComment;
use keyvet::stream::{self, Event, Source};
use keyvet::{Checker, HashAlg, policy};

/// Rows where keyvet's openssh policy differs from ssh-keygen 9.2, by
/// (path, line).
const KEYVET_DIVERGES: &[(&str, &str, &str)] = &[
    (
        "openssh-portable/sshkey/mldsa44_ed25519_1.pub",
        "",
        "ssh-mldsa44-ed25519@openssh.com is an OpenSSH 10.4 key type: keyvet accepts it, 9.2 does not; the fingerprint is checked against the upstream .fp file",
    ),
    (
        "openssh-portable/sshkey/mldsa44_ed25519_2.pub",
        "",
        "OpenSSH 10.4 key type (see above)",
    ),
    (
        "openssh-portable/sshkey/mldsa44_ed25519_1-cert.pub",
        "",
        "OpenSSH 10.4 key type (see above)",
    ),
    (
        "openssh-portable/sshsig/mldsa44-ed25519.pub",
        "",
        "OpenSSH 10.4 key type (see above)",
    ),
];

/// Rows where the MANIFEST's recorded ssh-keygen columns are not what
/// ssh-keygen 9.2 does; corpus/conformance-keygen.tsv holds the re-run.
const MANIFEST_WRONG: &[(&str, &str, &str)] = &[
    (
        "openssh-portable/hostkeys/known_hosts",
        "33",
        "@revoked marker line: `ssh-keygen -l` on the one-line file prints 'is not a public key file'",
    ),
    (
        "openssh-portable/hostkeys/known_hosts",
        "34",
        "@cert-authority marker line (as above)",
    ),
    (
        "openssh-portable/hostkeys-dsa/known_hosts",
        "40",
        "@revoked marker line (as above)",
    ),
    (
        "openssh-portable/hostkeys-dsa/known_hosts",
        "41",
        "@cert-authority marker line (as above)",
    ),
    (
        "openssh-portable/hostkeys-dsa/known_hosts",
        "42",
        "@cert-authority marker line (as above)",
    ),
    (
        "rustcrypto-ssh-key/known_hosts",
        "31",
        "@revoked marker line (as above)",
    ),
    (
        "rustcrypto-ssh-key/known_hosts",
        "34",
        "@cert-authority marker line (as above)",
    ),
];

const KINDS: &[&str] = &[
    "pubkey",
    "cert",
    "authorized_keys_line",
    "authorized_keys_file",
    "known_hosts_line",
    "known_hosts_file",
    "pubkey_ssh1",
];

#[derive(Default)]
struct Outcome {
    pass: usize,
    known: BTreeSet<(String, String)>,
    unexpected: Vec<String>,
}

/// The oracle: ssh-keygen 9.2 re-run on every row by corpus/generate.py.
fn oracle() -> BTreeMap<(String, String), (String, String, String)> {
    let t = Tsv::read(&corpus_root().join("conformance-keygen.tsv"));
    let (p, l, s, h, m) = (
        t.col("path"),
        t.col("line"),
        t.col("status"),
        t.col("sha256"),
        t.col("md5"),
    );
    t.rows
        .iter()
        .map(|r| ((r[p].clone(), r[l].clone()), (r[s].clone(), r[h].clone(), r[m].clone())))
        .collect()
}

#[test]
fn fingerprints_and_verdicts_match_ssh_keygen() {
    let root = conformance_root();
    let m = Tsv::read(&root.join("MANIFEST.tsv"));
    let oracle = oracle();
    let (c_path, c_line, c_kind) = (m.col("path"), m.col("line"), m.col("kind"));
    let (c_status, c_sha, c_md5) = (m.col("keygen_status"), m.col("keygen_sha256"), m.col("keygen_md5"));
    let mut o = Outcome::default();
    let mut checked = 0;
    for r in &m.rows {
        if !KINDS.contains(&r[c_kind].as_str()) || !matches!(r[c_status].as_str(), "ok" | "rejected") {
            continue;
        }
        let key = (r[c_path].clone(), r[c_line].clone());
        let (status, want_sha, want_md5) = oracle
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?} missing from conformance-keygen.tsv"))
            .clone();
        // The MANIFEST must agree with the oracle except where listed.
        let manifest_agrees = r[c_status] == status && r[c_sha] == want_sha && r[c_md5] == want_md5;
        let listed_wrong = MANIFEST_WRONG
            .iter()
            .any(|(p, l, _)| key == (p.to_string(), l.to_string()));
        assert_eq!(
            manifest_agrees, !listed_wrong,
            "{key:?}: MANIFEST_WRONG is out of date (MANIFEST agrees with ssh-keygen: {manifest_agrees})"
        );

        let bytes = std::fs::read(root.join(&r[c_path])).unwrap();
        let input = if r[c_line].is_empty() {
            bytes
        } else {
            nth_line(&bytes, r[c_line].parse().unwrap())
        };
        checked += 1;
        let (ok, sha) = keygen_output(&input, Source::File(&r[c_path]), policy::OPENSSH, HashAlg::Sha256);
        let (_, md5) = keygen_output(&input, Source::File(&r[c_path]), policy::OPENSSH, HashAlg::Md5);
        let matches = if status == "ok" {
            ok && sha.join(" | ") == want_sha && md5.join(" | ") == want_md5
        } else {
            !ok
        };
        let listed = KEYVET_DIVERGES
            .iter()
            .any(|(p, l, _)| key == (p.to_string(), l.to_string()));
        match (matches, listed) {
            (true, false) => o.pass += 1,
            (false, true) => {
                o.known.insert(key.clone());
            }
            (true, true) => o
                .unexpected
                .push(format!("{key:?}: listed divergence no longer diverges")),
            (false, false) => o.unexpected.push(format!(
                "{key:?}: ssh-keygen {status} [{want_sha}] / keyvet ok={ok} [{}]",
                sha.join(" | ")
            )),
        }

        // Nothing ssh-keygen rejects is accepted by the strict policy.
        if status == "rejected" && !listed {
            let (strict_ok, _) = keygen_output(&input, Source::File(&r[c_path]), policy::STRICT, HashAlg::Sha256);
            if strict_ok {
                o.unexpected
                    .push(format!("{key:?}: strict accepts what ssh-keygen rejects"));
            }
        }
        // A single key line: `check` agrees with ssh-keygen's verdict.
        if matches!(r[c_kind].as_str(), "pubkey" | "cert" | "authorized_keys_line") && !listed {
            let codes = check_codes(&input, policy::OPENSSH);
            let valid = codes.iter().all(Result::is_ok) && !codes.is_empty();
            if valid != (status == "ok") {
                o.unexpected.push(format!(
                    "{key:?}: check --policy openssh says {codes:?}, ssh-keygen {status}"
                ));
            }
        }
    }
    assert!(checked > 250, "only {checked} rows checked");
    assert!(
        o.unexpected.is_empty(),
        "unexpected results:\n{}",
        o.unexpected.join("\n")
    );
    let listed: BTreeSet<_> = KEYVET_DIVERGES
        .iter()
        .map(|(p, l, _)| (p.to_string(), l.to_string()))
        .collect();
    assert_eq!(o.known, listed, "every listed divergence must occur");
    eprintln!("{} rows pass, {} known divergences", o.pass, o.known.len());
}

/// `private` and `pubkey_rfc4716` rows where keyvet deliberately differs
/// from ssh-keygen 9.2, by path.
const PRIVATE_DIVERGES: &[(&str, &str)] = &[
    (
        "openssh-portable/sshkey/private/mldsa44_ed25519_1",
        "ssh-mldsa44-ed25519@openssh.com is an OpenSSH 10.4 key type: keyvet reads the clear public key of \
         the private key file (shown with `no comment`: keyvet does not read that type's private section), \
         9.2 does not know the type",
    ),
    (
        "openssh-portable/sshkey/private/mldsa44_ed25519_1_pw",
        "OpenSSH 10.4 key type (see above)",
    ),
    (
        "openssh-portable/sshkey/private/mldsa44_ed25519_2",
        "OpenSSH 10.4 key type (see above)",
    ),
];

/// `private` and `pubkey_rfc4716` rows whose MANIFEST keygen columns are not
/// what ssh-keygen 9.2 does; corpus/conformance-private.tsv holds the re-run
/// (0600 copies of the files, no FILE.pub beside them).
const PRIVATE_MANIFEST_WRONG: &[(&str, &str)] = &[];

/// The oracle for private keys and RFC 4716 blocks, re-run by
/// corpus/convert/generate.py: (status, sha256, md5, import) by path.
fn private_oracle() -> BTreeMap<String, (String, String, String, String)> {
    let t = Tsv::read(&corpus_root().join("conformance-private.tsv"));
    let (p, s, h, m, i) = (
        t.col("path"),
        t.col("status"),
        t.col("sha256"),
        t.col("md5"),
        t.col("import"),
    );
    t.rows
        .iter()
        .map(|r| (r[p].clone(), (r[s].clone(), r[h].clone(), r[m].clone(), r[i].clone())))
        .collect()
}

/// The codes of the lines keyvet's `ssh-keygen -l` emulation reports.
fn keygen_codes(input: &[u8], name: &str) -> Vec<&'static str> {
    let mut v = Checker::new(policy::OPENSSH);
    let mut codes = Vec::new();
    stream::listing(input, Source::File(name), &mut v, |e| {
        if let Event::Invalid { error, .. } = e {
            codes.push(error.code());
        }
        Ok(())
    })
    .unwrap();
    codes
}

/// The blob of an OpenSSH line (`type base64 [comment]`).
fn line_blob(line: &str) -> Vec<u8> {
    use base64::Engine;
    let b64 = line.split(' ').nth(1).unwrap_or("");
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap_or_default()
}

/// Private key files (`ssh-keygen -l`, whose last resort is the key itself,
/// and `ssh-keygen -y`) and RFC 4716 blocks (`ssh-keygen -i`).
#[test]
fn private_keys_and_rfc4716_blocks_match_ssh_keygen() {
    let root = conformance_root();
    let m = Tsv::read(&root.join("MANIFEST.tsv"));
    let oracle = private_oracle();
    let (c_path, c_line, c_kind) = (m.col("path"), m.col("line"), m.col("kind"));
    let (c_status, c_sha, c_md5) = (m.col("keygen_status"), m.col("keygen_sha256"), m.col("keygen_md5"));
    let mut o = Outcome::default();
    let (mut private_ok, mut imported) = (0, 0);
    for r in &m.rows {
        let kind = r[c_kind].as_str();
        if !matches!(kind, "private" | "pubkey_rfc4716") || !r[c_line].is_empty() || r[c_status] == "n/a" {
            continue;
        }
        let path = r[c_path].clone();
        let (status, want_sha, want_md5, import) = oracle
            .get(&path)
            .unwrap_or_else(|| panic!("{path} missing from conformance-private.tsv"))
            .clone();
        // The MANIFEST agrees with the re-run, except where listed. Its
        // ok-via-private rows are keys `-l` rejects; their fingerprints are
        // those of `ssh-keygen -y` with the passphrase.
        let manifest_agrees = match r[c_status].as_str() {
            "ok-via-private" => status == "rejected",
            s => s == status && r[c_sha] == want_sha && r[c_md5] == want_md5,
        };
        let listed_wrong = PRIVATE_MANIFEST_WRONG.iter().any(|(p, _)| *p == path);
        assert_eq!(
            manifest_agrees, !listed_wrong,
            "{path}: PRIVATE_MANIFEST_WRONG is out of date (MANIFEST agrees with ssh-keygen: {manifest_agrees})"
        );

        let bytes = std::fs::read(root.join(&path)).unwrap();
        let key = (path.clone(), String::new());
        let mut fails = Vec::new();
        if kind == "private" {
            // ssh-keygen -l, byte for byte, or rejected.
            let (ok, sha) = keygen_output(&bytes, Source::File(&path), policy::OPENSSH, HashAlg::Sha256);
            let (_, md5) = keygen_output(&bytes, Source::File(&path), policy::OPENSSH, HashAlg::Md5);
            if status == "ok" {
                private_ok += 1;
                if !ok || sha.join(" | ") != want_sha || md5.join(" | ") != want_md5 {
                    fails.push(format!(
                        "ssh-keygen -l [{want_sha}] / keyvet ok={ok} [{}]",
                        sha.join(" | ")
                    ));
                }
            } else if ok {
                fails.push(format!("ssh-keygen -l rejects it, keyvet shows [{}]", sha.join(" | ")));
            }
            // Encrypted PEM keys: the encrypted-key error, from both paths.
            if r[c_status] == "ok-via-private" {
                let codes = keygen_codes(&bytes, &path);
                let conv = convert::to_openssh(&bytes).map_err(|e| e.code());
                if !codes.contains(&"convert.encrypted") || conv != Err("convert.encrypted") {
                    fails.push(format!(
                        "encrypted PEM: keygen reported {codes:?}, convert gave {:?}",
                        conv.err()
                    ));
                }
            } else if !import.is_empty() {
                // ssh-keygen -y: the converter finds the same public key.
                match convert::to_openssh(&bytes) {
                    Ok(c) if c.blob() == line_blob(&import) => {}
                    Ok(_) => fails.push("to_openssh: another key than ssh-keygen -y".to_string()),
                    Err(e) => fails.push(format!("to_openssh: {e} [{}]", e.code())),
                }
            }
            if status != "ok" {
                let (strict_ok, _) = keygen_output(&bytes, Source::File(&path), policy::STRICT, HashAlg::Sha256);
                if strict_ok && !PRIVATE_DIVERGES.iter().any(|(p, _)| *p == path) {
                    fails.push("strict accepts what ssh-keygen rejects".to_string());
                }
            }
        } else {
            // RFC 4716: what ssh-keygen -i prints, and its fingerprint.
            let conv = convert::to_openssh(&bytes);
            let mut v = Checker::new(policy::OPENSSH);
            match (status.as_str(), conv) {
                ("ok-via-import", Ok(c)) => {
                    imported += 1;
                    if c.blob() != line_blob(&import) {
                        fails.push("to_openssh: another key than ssh-keygen -i".to_string());
                    }
                    let line = c.line();
                    match v.check_key_line(&line) {
                        Ok(k) => {
                            let sha = k
                                .listing_line_with(HashAlg::Sha256, ShownComment::new(None))
                                .to_string();
                            let md5 = k.listing_line_with(HashAlg::Md5, ShownComment::new(None)).to_string();
                            if sha != want_sha || md5 != want_md5 {
                                fails.push(format!("ssh-keygen -l of -i [{want_sha}] / keyvet [{sha}]"));
                            }
                        }
                        Err(e) => fails.push(format!("converted key invalid: {e}")),
                    }
                }
                ("ok-via-import", Err(e)) => fails.push(format!("ssh-keygen -i reads it, keyvet: {e}")),
                (_, Ok(c)) => {
                    if v.check_blob(c.blob()).is_ok() {
                        fails.push("ssh-keygen -i rejects it, keyvet converts a valid key".to_string());
                    }
                }
                (_, Err(_)) => {}
            }
        }
        let listed = PRIVATE_DIVERGES.iter().any(|(p, _)| *p == path);
        match (fails.is_empty(), listed) {
            (true, false) => o.pass += 1,
            (false, true) => {
                o.known.insert(key);
            }
            (true, true) => o
                .unexpected
                .push(format!("{path}: listed divergence no longer diverges")),
            (false, false) => o.unexpected.push(format!("{path}: {}", fails.join("; "))),
        }
    }
    assert!(private_ok >= 60, "only {private_ok} private key files shown");
    assert!(imported >= 25, "only {imported} RFC 4716 blocks imported");
    assert!(
        o.unexpected.is_empty(),
        "unexpected results:\n{}",
        o.unexpected.join("\n")
    );
    let listed: BTreeSet<_> = PRIVATE_DIVERGES
        .iter()
        .map(|(p, _)| (p.to_string(), String::new()))
        .collect();
    assert_eq!(o.known, listed, "every listed divergence must occur");
    eprintln!("{} rows pass, {} known divergences", o.pass, o.known.len());
}

/// The newer key types have no ssh-keygen 9.2 result; their upstream `.fp`
/// files hold the SHA256 fingerprint.
#[test]
fn upstream_fp_files_agree() {
    let dir = conformance_root().join("openssh-portable/sshkey");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        let Some(stem) = name.strip_suffix(".fp") else { continue };
        let pubfile = dir.join(format!("{stem}.pub"));
        let want = std::fs::read_to_string(&p).unwrap().trim().to_string();
        let bytes = std::fs::read(&pubfile).unwrap();
        let mut v = Checker::new(policy::OPENSSH);
        let got = v.check_line(&bytes).map(|c| c.sha256().to_string());
        assert_eq!(got.as_deref(), Ok(want.as_str()), "{}", pubfile.display());
        n += 1;
    }
    assert!(n >= 15, "only {n} .fp files");
}

fn json_string(s: &str) -> String {
    serde_json::from_str::<String>(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// OpenSSH's own authorized_keys option cases (regress/unittests/authopt).
#[test]
fn openssh_option_strings() {
    let t = Tsv::read(&conformance_root().join("openssh-portable/authopt/authkeys_options.tsv"));
    let (c_opt, c_exp, c_label) = (t.col("options_json"), t.col("expected"), t.col("label"));
    assert!(t.rows.len() >= 50);
    let mut bad = Vec::new();
    for r in &t.rows {
        let opts = json_string(&r[c_opt]);
        let got = Options::parse(opts.as_bytes(), false);
        if got.is_ok() != (r[c_exp] == "valid") {
            bad.push(format!(
                "{} {:?}: expected {}, got {:?}",
                r[c_label],
                opts,
                r[c_exp],
                got.err()
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// python-sshpubkeys' option tables. Where they disagree with sshd, sshd's
/// rules win and the case is listed here.
const PYTHON_OPTION_DIVERGES: &[(&str, &str)] = &[
    (
        "multiple_options_combined",
        "permitopen=\"host:port\": sshd refuses a port that is neither a number nor a service name",
    ),
    (
        "includes_space",
        "sshd ends the option string at a blank, so \"no-user-rc \" is valid",
    ),
    (
        "includes_space_multiple",
        "sshd ends the option string at the blank: \"no-user-rc,\" then the rest of the line",
    ),
    (
        "includes_space_before_comma",
        "sshd ends the option string at the blank: \"no-user-rc\" then the rest",
    ),
    (
        "empty_option_beginning",
        "sshd skips a leading comma (the strict policy refuses it)",
    ),
    (
        "empty_option_middle",
        "sshd skips a doubled comma (the strict policy refuses it)",
    ),
];

#[test]
fn python_sshpubkeys_option_strings() {
    let t = Tsv::read(&conformance_root().join("python-sshpubkeys/cases.tsv"));
    let (c_kind, c_name, c_in, c_exp) = (t.col("kind"), t.col("name"), t.col("input_json"), t.col("expected"));
    let mut bad = Vec::new();
    let mut diverged = BTreeSet::new();
    let mut n = 0;
    for r in t.rows.iter().filter(|r| r[c_kind] == "options") {
        n += 1;
        let opts = json_string(&r[c_in]);
        let ok = Options::parse(opts.as_bytes(), false).is_ok();
        let want = r[c_exp] == "valid";
        let listed = PYTHON_OPTION_DIVERGES.iter().any(|(name, _)| *name == r[c_name]);
        if ok != want {
            if listed {
                diverged.insert(r[c_name].clone());
            } else {
                bad.push(format!("{} {opts:?}: python says {}, keyvet {ok}", r[c_name], r[c_exp]));
            }
        }
    }
    assert_eq!(n, 19);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    let listed: BTreeSet<String> = PYTHON_OPTION_DIVERGES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(diverged, listed, "every listed divergence must occur");
}
