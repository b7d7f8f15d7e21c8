//! `keyvet vet` on every pasted upload of `corpus/pasted`: the verdict its
//! manifest names, under strict, strict with `--repair`, and openssh, and
//! the exit status that goes with it.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::process::Command;

use common::{Tsv, corpus_root};

#[test]
fn vet_gives_every_pasted_input_its_verdict() {
    let dir = corpus_root().join("pasted");
    let m = Tsv::read(&dir.join("MANIFEST.tsv"));
    let c_name = m.col("name");
    let mut bad = Vec::new();
    for r in &m.rows {
        let path = dir.join("inputs").join(&r[c_name]);
        for (column, args) in [
            ("strict", &["--policy", "strict"][..]),
            ("repaired", &["--policy", "strict", "--repair"]),
            ("openssh", &["--policy", "openssh"]),
        ] {
            let out = Command::new(env!("CARGO_BIN_EXE_keyvet"))
                .arg("vet")
                .arg("--json")
                .args(args)
                .arg(&path)
                .output()
                .unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{}: {e}: {}", r[c_name], String::from_utf8_lossy(&out.stdout)));
            let got = if v["valid"] == true {
                "ok"
            } else {
                v["error"]["code"].as_str().unwrap_or("?")
            };
            let want = &r[m.col(column)];
            let status = if want == "ok" { 0 } else { 1 };
            if got != want || out.status.code() != Some(status) {
                bad.push(format!(
                    "{} {column}: {got} (exit {:?}), want {want}",
                    r[c_name],
                    out.status.code()
                ));
            }
            // A private key's bytes are never echoed.
            if want == "upload.private_key" {
                let echoed = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
                assert!(!echoed.contains("AAAA"), "{echoed}");
            }
        }
    }
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}
