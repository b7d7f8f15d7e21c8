//! The library's owned report and error, serialized, say exactly what
//! `keyvet check --json` says about the same lines: one shape for every
//! consumer (handlers, bindings, the CLI).

use std::path::PathBuf;
use std::process::Command;

use keyvet::{Checker, policy};
use serde_json::Value;

fn corpus(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus").join(path)
}

/// The CLI's JSON objects for a file.
fn cli(path: &str, policy_name: &str) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_keyvet"))
        .args(["check", "--json", "--policy", policy_name, "-j", "1"])
        .arg(corpus(path))
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn reports_and_errors_serialize_as_the_cli_prints_them() {
    // Every key file of the corpus's valid keys, certificates, hand-made
    // cases and weak RSA keys.
    let mut files = Vec::new();
    for dir in ["valid", "valid/certs", "cases", "weak/rsa"] {
        for e in std::fs::read_dir(corpus(dir)).unwrap() {
            let name = e.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".pub") && name != "batch-2000.pub" {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    let mut compared = 0;
    for (name, p) in [("openssh", policy::OPENSSH), ("strict", policy::STRICT)] {
        for path in &files {
            let Ok(text) = std::fs::read(corpus(path)) else {
                panic!("{path} is missing");
            };
            // The CLI's first object for each line (a pasted block is
            // reported once, at its first line; a shared prime is reported
            // again after the last input).
            let mut want = std::collections::BTreeMap::new();
            for o in cli(path, name) {
                want.entry(o["line"].as_u64().unwrap()).or_insert(o);
            }
            let mut v = Checker::new(p);
            for (n, line) in (1u64..).zip(text.split(|&b| b == b'\n')) {
                if keyvet::line::is_skipped(line) {
                    continue;
                }
                let Some(cli) = want.remove(&n) else { continue };
                let got = match v.check_line(line) {
                    Ok(c) => {
                        let mut r = serde_json::to_value(c.report()).unwrap();
                        let o = r.as_object_mut().unwrap();
                        let openssh = o.remove("openssh").unwrap();
                        let alg = o["algorithm"].as_str().unwrap().to_owned();
                        assert!(
                            openssh.as_str().unwrap().starts_with(&format!("{alg} AAAA")),
                            "{openssh}"
                        );
                        let cert = o.remove("certificate");
                        assert_eq!(cert.is_some(), alg.contains("-cert-"), "{path}");
                        r
                    }
                    Err(e) => {
                        // The CLI reads a file: its errors carry the line.
                        let e = serde_json::to_value(e.with_line(n)).unwrap();
                        serde_json::json!({"error": e, "findings": v.last_findings().iter().collect::<Vec<_>>()})
                    }
                };
                let mut cli = cli;
                let o = cli.as_object_mut().unwrap();
                for k in ["file", "line", "valid"] {
                    o.remove(k);
                }
                assert_eq!(got, cli, "{path} under {name}");
                compared += 1;
            }
            // Every line the CLI spoke of was compared (line 0 is about the
            // whole input).
            want.remove(&0);
            assert!(want.is_empty(), "{path}: {want:?}");
        }
    }
    assert!(compared > 500, "{compared}");
}
