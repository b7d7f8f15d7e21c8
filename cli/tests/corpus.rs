//! The `keyvet` binary over the whole corpus: weak keys reported with their
//! check's id, and the same bytes out for any number of threads.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Tsv, corpus_root};
use keyvet::weak::Check;

fn weak_root() -> PathBuf {
    corpus_root().join("weak")
}

/// A weak file and the check it was made for (`None` for controls).
struct Case {
    path: String,
    check: Option<Check>,
}

fn cases() -> Vec<Case> {
    let t = Tsv::read(&weak_root().join("MANIFEST.tsv"));
    let (p, c) = (t.col("path"), t.col("check"));
    t.rows
        .iter()
        .map(|r| Case {
            path: r[p].clone(),
            check: (r[c] != "-").then(|| Check::from_id(&r[c]).unwrap_or_else(|| panic!("unknown check {}", r[c]))),
        })
        .collect()
}

/// `keyvet check --json --policy strict` over every weak file at once: each
/// line of a weak file is `valid: false` with its check's id among the
/// findings (also where the strict policy refuses the key for another
/// reason first, e.g. DSA or an RSA exponent), and the exit code is 1.
#[test]
fn strict_cli_reports_every_weak_key_invalid_with_its_id() {
    let cases = cases();
    let files: Vec<&str> = cases
        .iter()
        .filter(|c| c.check.is_some() && c.path != "batch-2000.pub")
        .map(|c| c.path.as_str())
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .current_dir(weak_root())
        .args(["check", "--json", "--policy", "strict", "--enable", "weak.rsa.prime"])
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    // file -> line -> (valid, ids), the last record of a line winning (a
    // shared prime is reported after the line's own record).
    let mut seen: BTreeMap<String, BTreeMap<u64, (bool, BTreeSet<String>)>> = BTreeMap::new();
    for l in String::from_utf8(out.stdout).unwrap().lines() {
        let o: serde_json::Value = serde_json::from_str(l).unwrap();
        let file = o["file"].as_str().unwrap().to_owned();
        let line = o["line"].as_u64().unwrap();
        let mut ids: BTreeSet<String> = o["findings"]
            .as_array()
            .map(|a| a.iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect())
            .unwrap_or_default();
        if let Some(code) = o["error"]["code"].as_str() {
            ids.insert(code.to_owned());
        }
        let entry = seen.entry(file).or_default().entry(line).or_default();
        entry.0 = o["valid"].as_bool().unwrap();
        entry.1.extend(ids);
    }
    for case in &cases {
        let Some(check) = case.check else { continue };
        if case.path == "batch-2000.pub" {
            continue;
        }
        let lines = seen
            .get(&case.path)
            .unwrap_or_else(|| panic!("{}: no output", case.path));
        // A file of several keys where only some share a prime: those.
        let flagged: Vec<u64> = match case.path.as_str() {
            "rsa/shared-primes.pub" => vec![1, 3],
            _ => lines.keys().copied().collect(),
        };
        for n in flagged {
            let (valid, ids) = &lines[&n];
            assert!(!valid, "{}:{n} is valid under strict", case.path);
            assert!(
                ids.contains(check.id()),
                "{}:{n}: {} not in {ids:?}",
                case.path,
                check.id()
            );
        }
    }
    // The unflagged line of rsa/shared-primes.pub stays valid.
    assert!(seen["rsa/shared-primes.pub"][&2].0);
}

fn keyvet(args: &[&str], dir: &Path) -> (Vec<u8>, Vec<u8>, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (out.stdout, out.stderr, out.status.code())
}

/// `keyvet check` and `fingerprint` print the same bytes with 1 and with 3
/// worker threads, on every corpus file at once.
#[test]
fn cli_output_is_the_same_for_any_number_of_threads() {
    let root = corpus_root();
    let mut files = BTreeSet::new();
    let mut stack = vec![root.join("valid"), root.join("weak")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "pub") {
                files.insert(p.strip_prefix(&root).unwrap().to_str().unwrap().to_owned());
            }
        }
    }
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    for cmd in [
        &["check", "--json"][..],
        &["check", "--policy", "openssh"],
        &["fingerprint"],
        &["fingerprint", "-E", "md5", "--policy", "openssh"],
    ] {
        let run = |jobs: &str| {
            let mut args = cmd.to_vec();
            args.extend(["-j", jobs]);
            args.extend(&files);
            keyvet(&args, &root)
        };
        let one = run("1");
        assert!(!one.0.is_empty());
        assert_eq!(run("3"), one, "{cmd:?}");
    }
}

/// `keyvet fingerprint --policy openssh` exits as `ssh-keygen -l -f FILE`
/// did (0 when it printed a key, 255 when it found none) on every file of
/// `corpus/MANIFEST.tsv` and every row of `corpus/conformance-keygen.tsv`
/// (a row with a line number was run by ssh-keygen on that line alone),
/// and prints the same standard output where ssh-keygen printed keys.
#[test]
fn fingerprint_exits_as_ssh_keygen_on_every_corpus_and_conformance_file() {
    let root = corpus_root();
    let tmp = std::env::temp_dir().join(format!("keyvet-exit-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut runs: Vec<(String, PathBuf, bool, Option<String>)> = Vec::new();
    let m = Tsv::read(&root.join("MANIFEST.tsv"));
    let (p, k) = (m.col("path"), m.col("keygen"));
    for r in &m.rows {
        let sha = root.join(format!("{}.sha256", r[p]));
        let want = std::fs::read_to_string(&sha).ok();
        runs.push((r[p].clone(), root.join(&r[p]), r[k] == "ok", want));
    }
    let c = Tsv::read(&root.join("conformance-keygen.tsv"));
    let (cp, cl, cs, csha) = (c.col("path"), c.col("line"), c.col("status"), c.col("sha256"));
    for (i, r) in c.rows.iter().enumerate() {
        let src = root.join("external").join(&r[cp]);
        let file = if r[cl].is_empty() {
            src
        } else {
            // That line alone, plus a newline, as ssh-keygen was run.
            let text = std::fs::read(&src).unwrap();
            let n: usize = r[cl].parse().unwrap();
            let line = text.split(|&b| b == b'\n').nth(n - 1).unwrap();
            let f = tmp.join(format!("line-{i}"));
            std::fs::write(&f, [line, b"\n"].concat()).unwrap();
            f
        };
        let want = (r[cs] == "ok").then(|| r[csha].split(" | ").map(|l| format!("{l}\n")).collect::<String>());
        runs.push((format!("{} {}", r[cp], r[cl]), file, r[cs] == "ok", want));
    }
    let mut bad = Vec::new();
    let (mut ok, mut rejected) = (0, 0);
    for (name, file, keygen_ok, want) in &runs {
        let out = Command::new(env!("CARGO_BIN_EXE_keyvet"))
            .args(["fingerprint", "--policy", "openssh", "-f"])
            .arg(file)
            .output()
            .unwrap();
        let code = out.status.code();
        let expected = if *keygen_ok { 0 } else { 255 };
        let newer = name.contains("mldsa44");
        if newer {
            // OpenSSH 10.4's ML-DSA hybrid keys: 9.2 does not know them,
            // keyvet's openssh policy follows 10.4 (policy::OPENSSH).
            assert_eq!(code, Some(0), "{name}");
            continue;
        }
        if code != Some(expected) {
            bad.push(format!("{name}: ssh-keygen exited {expected}, keyvet {code:?}"));
        }
        if let (true, Some(w)) = (keygen_ok, want)
            && String::from_utf8_lossy(&out.stdout) != *w
            && !KEYGEN_QUIRKS.contains(&name.as_str())
        {
            bad.push(format!(
                "{name}: stdout {:?}, ssh-keygen {w:?}",
                String::from_utf8_lossy(&out.stdout)
            ));
        }
        if *keygen_ok { ok += 1 } else { rejected += 1 }
    }
    std::fs::remove_dir_all(&tmp).unwrap();
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        runs.len(),
        bad.join("\n")
    );
    assert!(ok >= 300 && rejected >= 100, "{ok} ok, {rejected} rejected");
}

/// The one file whose ssh-keygen output keyvet deliberately does not copy
/// (stale comment text: see tests/corpus.rs).
const KEYGEN_QUIRKS: &[&str] = &["cases/keygen-comment-carryover.pub"];

/// `keyvet fingerprint --policy openssh -f FILE` exits as `ssh-keygen -l -f
/// FILE` did on every file of `corpus/` (`corpus/keygen-exit.tsv`, recorded
/// by `corpus/keygen_exit.py`: keys, certificates, authorized_keys and
/// known_hosts files, private keys of every format, pasted uploads, junk),
/// and prints the same bytes on standard output.
#[test]
fn fingerprint_exits_as_ssh_keygen_on_every_file_of_the_corpus() {
    let root = corpus_root();
    let t = Tsv::read(&root.join("keygen-exit.tsv"));
    let (p, s, h) = (t.col("path"), t.col("status"), t.col("stdout_sha256"));
    let mut bad = Vec::new();
    let mut same_output = 0;
    for r in &t.rows {
        let out = Command::new(env!("CARGO_BIN_EXE_keyvet"))
            .current_dir(&root)
            .args(["fingerprint", "--policy", "openssh", "-f", &r[p]])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let code = out.status.code().map(|c| c.to_string()).unwrap_or_default();
        if r[p].contains("mldsa44") {
            // OpenSSH 10.4's ML-DSA hybrid keys: 9.2 does not know them,
            // keyvet's openssh policy follows 10.4 (policy::OPENSSH).
            continue;
        }
        if code != r[s] {
            bad.push(format!("{}: ssh-keygen exited {}, keyvet {code}", r[p], r[s]));
        }
        let digest = keyvet::fingerprint::of_bytes(&out.stdout, keyvet::HashAlg::Sha256).to_string();
        if digest.strip_prefix("SHA256:") == Some(r[h].as_str()) {
            same_output += 1;
        } else if !OUTPUT_DIFFERS.iter().any(|(f, _)| *f == r[p]) {
            bad.push(format!(
                "{}: standard output differs: {:?}",
                r[p],
                String::from_utf8_lossy(&out.stdout)
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        t.rows.len(),
        bad.join("\n")
    );
    assert!(
        t.rows.len() >= 1200 && same_output >= 1190,
        "{same_output} of {}",
        t.rows.len()
    );
}

/// Files whose ssh-keygen output keyvet deliberately does not copy, and why.
const OUTPUT_DIFFERS: &[(&str, &str)] = &[(
    "cases/keygen-comment-carryover.pub",
    "ssh-keygen prints stale comment text left over from the previous line",
)];
