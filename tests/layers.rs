//! The layers the compiler cannot see: each top-level module of the engine
//! (and of keyvet-cloud) has a layer, imports only modules of its own layer
//! or below, and no module imports one that imports it back, except the
//! loop the format itself implies (a key may be a certificate, a
//! certificate holds keys, a key has a fingerprint). A new module must be
//! given a layer here. Unit tests (`#[cfg(test)] mod tests`, at the end of
//! a file) may reach any layer; comments are not imports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The engine, bottom up: vocabulary; the wire format; keys and
/// certificates; line grammars; policy and validation; screening and
/// verification; conversion and vetting.
const ENGINE: &[(&str, u8)] = &[
    ("algorithm", 0),
    ("error", 0),
    ("format", 0),
    ("meter", 0),
    ("screening", 0),
    ("base64", 1),
    ("wire", 1),
    ("cert", 2),
    ("ec", 2),
    ("fingerprint", 2),
    ("key", 2),
    ("randomart", 2),
    ("known_hosts", 3),
    ("line", 3),
    ("policy", 4),
    ("rules", 4),
    ("login", 5),
    ("signature", 5),
    ("weak", 5),
    ("checker", 6),
    ("convert", 6),
    ("json_lines", 6),
    ("listing", 6),
    ("report", 6),
    ("stream", 6),
    ("vet", 6),
];

/// The one loop allowed: a key may be a certificate, a certificate holds
/// keys, and a key has a fingerprint.
const FORMAT_LOOP: &[&str] = &["cert", "fingerprint", "key"];

/// keyvet-cloud, bottom up: vocabulary and stores; requests and rules; an
/// API's answers; the generic provider; the vendors.
const CLOUD: &[(&str, u8)] = &[
    ("generate", 0),
    ("ids", 0),
    ("rejection", 0),
    ("store", 0),
    ("key_pairs", 1),
    ("request", 1),
    ("rules", 1),
    ("api", 2),
    ("provider", 3),
    ("alibaba_ecs", 4),
    ("tencent_cvm", 4),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file's code: without its unit tests and its comments.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segments of every `crate::` path in `code`, grouped imports
/// (`crate::{a, b::c}`) included.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        // `keyvet_crate::` and the like are not `crate::`.
        let before = rest[..i].chars().next_back();
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 1 => break,
                    '}' => depth -= 1,
                    ',' if depth == 1 => items.push(std::mem::take(&mut item)),
                    _ if depth == 1 => item.push(c),
                    _ => {}
                }
            }
            items.push(item);
            for it in items {
                let first: String = it
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !first.is_empty() {
                    out.insert(first);
                }
            }
        } else {
            let first: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.insert(first);
        }
    }
    out
}

/// The module each name the crate root re-exports comes from.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(i) = stmt.find("pub use ") else { continue };
        let path = stmt[i + "pub use ".len()..].trim();
        let Some((module, items)) = path.split_once("::") else {
            continue;
        };
        for it in items.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = it
                .rsplit(" as ")
                .next()
                .unwrap_or(it)
                .rsplit("::")
                .next()
                .unwrap_or(it)
                .trim();
            if !name.is_empty() {
                out.insert(name.to_owned(), module.to_owned());
            }
        }
    }
    out
}

/// Module -> the modules it imports, for every top-level module of a crate
/// (`src/m.rs` with everything under `src/m/`).
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let names = reexports(&lib);
    let mut modules = BTreeMap::new();
    for e in std::fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "rs") {
            let m = p.file_stem().unwrap().to_str().unwrap().to_owned();
            if m != "lib" {
                modules.insert(m, BTreeSet::new());
            }
        }
    }
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    for (m, deps) in &mut modules {
        let mut files = vec![src.join(format!("{m}.rs"))];
        let mut dirs = vec![src.join(m.as_str())];
        while let Some(d) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else { continue };
            for e in entries {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    files.push(p);
                }
            }
        }
        for f in files {
            for first in crate_paths(&code(&std::fs::read_to_string(&f).unwrap())) {
                let target = if known.contains(&first) {
                    Some(first)
                } else {
                    names.get(&first).cloned()
                };
                if let Some(t) = target.filter(|t| t != m) {
                    deps.insert(t);
                }
            }
        }
    }
    modules
}

/// Every module that `from` reaches.
fn reach(g: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(m) = stack.pop() {
        for d in &g[&m] {
            if seen.insert(d.clone()) {
                stack.push(d.clone());
            }
        }
    }
    seen
}

/// The violations of a crate's layering: unplaced modules, upward imports,
/// and loops other than `allowed`.
fn violations(src: &Path, layers: &[(&str, u8)], allowed: &[&str]) -> Vec<String> {
    let g = graph(src);
    let layer: BTreeMap<&str, u8> = layers.iter().copied().collect();
    let mut bad = Vec::new();
    for (m, deps) in &g {
        let Some(&lm) = layer.get(m.as_str()) else {
            bad.push(format!("module {m} has no layer"));
            continue;
        };
        for d in deps {
            match layer.get(d.as_str()) {
                Some(&ld) if ld > lm => bad.push(format!("{m} (layer {lm}) imports {d} (layer {ld})")),
                _ => {}
            }
        }
        for d in deps {
            let back = reach(&g, d).contains(m);
            let both_allowed = allowed.contains(&m.as_str()) && allowed.contains(&d.as_str());
            if back && !both_allowed {
                bad.push(format!("{m} imports {d}, which imports {m} back"));
            }
        }
    }
    for (m, _) in layers {
        if !g.contains_key(*m) {
            bad.push(format!("layer table names {m}, which is gone"));
        }
    }
    bad
}

#[test]
fn the_engine_imports_downward_only() {
    assert_eq!(
        violations(&root().join("src"), ENGINE, FORMAT_LOOP),
        Vec::<String>::new()
    );
}

#[test]
fn the_cloud_providers_import_downward_only() {
    assert_eq!(violations(&root().join("cloud/src"), CLOUD, &[]), Vec::<String>::new());
}

#[test]
fn the_check_sees_imports() {
    let code = code(
        "use crate::wire::{self, Cursor};\nuse crate::{Algorithm, checker::Checked};\n// use crate::weak;\n\
         fn f() { crate::meter::charge(1); keyvet_crate::x(); }\n#[cfg(test)]\nmod tests {\n    use crate::stream;\n}\n",
    );
    let got: Vec<String> = crate_paths(&code).into_iter().collect();
    assert_eq!(got, ["Algorithm", "checker", "meter", "wire"]);
    let names = reexports("pub use checker::{Checked, Checker};\npub use ec::check_point as check_ec_point;");
    assert_eq!(names["Checker"], "checker");
    assert_eq!(names["check_ec_point"], "ec");
}
