//! Uploads as people paste them (`corpus/pasted`, made by its committed
//! generator): every input gets the verdict its manifest names from
//! `vet::vet`, under strict, strict with repairs, and openssh; an accepted
//! upload yields exactly the key it was made from.

mod common;

use common::{Tsv, corpus_root};
use keyvet::{Checker, HashAlg, Policy, policy, vet};

/// The SHA-256 fingerprint of a corpus key file's first key.
fn fingerprint(path: &str) -> String {
    let text = std::fs::read(corpus_root().join(path)).unwrap();
    let line = text.split(|&b| b == b'\n').next().unwrap();
    Checker::new(policy::OPENSSH)
        .check_key_line(line)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .fingerprint(HashAlg::Sha256)
        .to_string()
}

#[test]
fn every_pasted_input_gets_its_verdict() {
    let dir = corpus_root().join("pasted");
    let m = Tsv::read(&dir.join("MANIFEST.tsv"));
    let (c_name, c_key) = (m.col("name"), m.col("key"));
    let repairing = Policy {
        repair_pastes: true,
        ..policy::STRICT
    };
    let mut bad = Vec::new();
    let mut accepted = 0;
    for r in &m.rows {
        let input = std::fs::read(dir.join("inputs").join(&r[c_name])).unwrap();
        for (column, p) in [
            ("strict", policy::STRICT),
            ("repaired", repairing),
            ("openssh", policy::OPENSSH),
        ] {
            let want = &r[m.col(column)];
            match (vet::vet(&input, &p), want.as_str()) {
                (Ok(v), "ok") => {
                    accepted += 1;
                    let fp = fingerprint(&r[c_key]);
                    if v.report.sha256.to_string() != fp {
                        bad.push(format!("{} {column}: yields {} not {fp}", r[c_name], v.report.sha256));
                    }
                    // What is stored is a key line of its own, which checks
                    // alike.
                    let again = Checker::new(p)
                        .check_key_line(v.line.as_bytes())
                        .map(|c| c.sha256().to_string());
                    if again.as_deref() != Ok(fp.as_str()) {
                        bad.push(format!(
                            "{} {column}: stored line {:?} gives {again:?}",
                            r[c_name], v.line
                        ));
                    }
                    // Every repair made is one the policy allows.
                    if !v.repairs.is_empty() && !p.repair_pastes {
                        bad.push(format!("{} {column}: repaired without leave", r[c_name]));
                    }
                }
                (Ok(v), want) => bad.push(format!("{} {column}: accepted ({}), want {want}", r[c_name], v.line)),
                (Err(e), want) if e.code() == want => {
                    // The message never holds the input's private bytes.
                    if want == "upload.private_key" {
                        let text = e.to_string();
                        assert!(!text.contains("AAAA") && text.len() < 400, "{text}");
                    }
                }
                (Err(e), want) => bad.push(format!("{} {column}: {} ({e}), want {want}", r[c_name], e.code())),
            }
        }
    }
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
    assert!(accepted > 40, "{accepted}");
}
