//! Helpers shared by the fuzz targets (each target uses some of them).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use keyvet::{Error, Line, decode_base64};

/// The repository's `corpus/`, found from this crate's directory at build
/// time: the fuzz crate lives in `fuzz/` of the checkout, and the main
/// test suite that also runs these bodies at its top.
pub fn corpus_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    if here.join("corpus").is_dir() {
        here.join("corpus")
    } else {
        here.join("../corpus")
    }
}

/// `ok` or the error code: a verdict that can be compared.
pub fn verdict<T>(r: &Result<T, Error>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

/// Codes that only say "this encoding is not the canonical one".
pub const NONCANONICAL_CODES: [&str; 3] = ["mpint.noncanonical", "blob.type.noncanonical", "string.trailing_nul"];

/// A key blob from the corpus, with where it came from.
#[derive(Debug)]
pub struct Template {
    pub path: String,
    pub blob: Vec<u8>,
}

/// Decodes the key blob of every key line of `dir/*.pub`.
fn read_blobs(dir: &Path, out: &mut Vec<Template>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("fuzz templates: cannot read {}", dir.display());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pub"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read(&p).unwrap_or_default();
        for line in text.split(|&b| b == b'\n') {
            let Ok(l) = Line::parse(line) else { continue };
            let mut blob = Vec::new();
            if decode_base64(l.base64(), &mut blob, 1 << 20).is_ok() {
                out.push(Template {
                    path: p.display().to_string(),
                    blob,
                });
            }
        }
    }
}

/// Valid plain keys (`corpus/valid/*.pub`) and certificates
/// (`corpus/valid/certs/*.pub`, `corpus/certcheck/*.pub`), decoded once.
/// Every template parses with [`keyvet::Key::parse`].
pub fn templates() -> &'static [Template] {
    static T: OnceLock<Vec<Template>> = OnceLock::new();
    T.get_or_init(|| {
        let root = corpus_root();
        let mut out = Vec::new();
        read_blobs(&root.join("valid"), &mut out);
        read_blobs(&root.join("valid/certs"), &mut out);
        read_blobs(&root.join("certcheck"), &mut out);
        out.retain(|t| keyvet::Key::parse(&t.blob).is_ok());
        // Several valid files hold the same key; keep one of each.
        out.sort_by(|a, b| a.blob.cmp(&b.blob));
        out.dedup_by(|a, b| a.blob == b.blob);
        assert!(
            out.len() > 50,
            "fuzz templates: only {} keys found under {}",
            out.len(),
            root.display()
        );
        out
    })
}
