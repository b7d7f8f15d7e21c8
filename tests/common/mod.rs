//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

use keyvet::stream::{self, Event, Source};
use keyvet::{Checker, HashAlg, Policy};

/// The public conformance corpus (`corpus/external`). Tests fail loudly if
/// it is missing.
pub fn conformance_root() -> PathBuf {
    let p = repo_root().join("corpus/external");
    assert!(
        p.join("MANIFEST.tsv").is_file(),
        "the conformance corpus is missing at {}",
        p.display()
    );
    p
}

/// The top of the workspace (this file serves the engine's tests and the
/// CLI's, one folder down).
pub fn repo_root() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    if dir.join("corpus").is_dir() {
        dir.to_path_buf()
    } else {
        dir.join("..")
    }
}

pub fn corpus_root() -> PathBuf {
    repo_root().join("corpus")
}

/// A tab-separated file with a header line.
pub struct Tsv {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Tsv {
    pub fn read(path: &Path) -> Tsv {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut lines = text.lines();
        let header: Vec<String> = lines.next().unwrap().split('\t').map(String::from).collect();
        let rows = lines
            .filter(|l| !l.is_empty())
            .map(|l| {
                let mut r: Vec<String> = l.split('\t').map(String::from).collect();
                r.resize(header.len(), String::new());
                r
            })
            .collect();
        Tsv { header, rows }
    }

    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }
}

/// What `ssh-keygen -l [-E md5]` would print for an input, per keyvet, and
/// whether it would succeed (print at least one key).
pub fn keygen_output(input: &[u8], source: Source<'_>, policy: Policy, alg: HashAlg) -> (bool, Vec<String>) {
    let mut v = Checker::new(policy);
    let mut lines = Vec::new();
    let s = stream::listing(input, source, &mut v, |e| {
        if let Event::Key { checked, comment, .. } = e {
            lines.push(checked.listing_line_with(alg, comment).to_string());
        }
        Ok(())
    })
    .unwrap();
    (s.valid > 0, lines)
}

/// Verdict and first error code of `keyvet check` over an input.
pub fn check_codes(input: &[u8], policy: Policy) -> Vec<Result<(), &'static str>> {
    let mut v = Checker::new(policy);
    let mut out = Vec::new();
    stream::check(input, &mut v, |e| {
        match e {
            Event::Key { .. } => out.push(Ok(())),
            Event::Invalid { error, .. } => out.push(Err(error.code())),
            Event::SharedPrime { .. } => out.push(Err("weak.rsa.shared_prime")),
            _ => {}
        }
        Ok(())
    })
    .unwrap();
    out
}

/// The `n`th (1-based) line of a file, with its newline.
pub fn nth_line(bytes: &[u8], n: usize) -> Vec<u8> {
    let mut l = bytes.split(|&b| b == b'\n').nth(n - 1).unwrap().to_vec();
    l.push(b'\n');
    l
}
