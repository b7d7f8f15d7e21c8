//! keyvet against the floor and its peers, side by side on the same lines.
//!
//! One criterion group per corpus (`benches/support/corpus.rs`, built from
//! the ssh-keygen-made pool in `benches/data/pool.txt`), each with
//! `Throughput::Bytes` of the whole file:
//!
//! * `keyvet_full`: `Checker::check_line` with `policy::OPENSSH` (EC
//!   points checked, certificate signatures verified), then the SHA-256
//!   and MD5 fingerprints: the OpenSSH-parity path.
//! * `keyvet_structural`: the same without EC point checks, signature
//!   verification and screening: parsing and structural validation.
//! * `keyvet_ec`: the structural path with EC point checks on (every
//!   ECDSA point on its curve, by RustCrypto), no signature verification.
//! * `keyvet_line_parse`, `keyvet_base64`, `keyvet_blob_parse`,
//!   `keyvet_sha256`, `keyvet_md5`: each stage alone, on the previous
//!   stage's output prepared outside the timing.
//! * `floor`: split the fields (skipping options), decode the base64 with
//!   the `base64` crate into a reused buffer, SHA-256 and MD5 of the blob;
//!   nothing else (for a certificate it hashes the whole blob, not the key
//!   inside as a fingerprint does).
//! * `ssh-key`: options stripped as the floor does (it cannot read them),
//!   `PublicKey::from_openssh` or, for a certificate type word,
//!   `Certificate::from_openssh` (no signature verification), then its
//!   SHA-256 fingerprint and an MD5 of the key's encoding.
//! * `openssh-keys`: `PublicKey::parse` (reads options itself), then
//!   `fingerprint()` and `fingerprint_md5()`. It rejects certificates.
//!
//! Before each group, outside the timing, the bench checks that every
//! contender's fingerprints equal keyvet's on the lines it accepts, counts
//! the lines each rejects and writes them with the line and byte counts to
//! `target/criterion/keyvet-compare.json`; after it the per-line medians
//! and the ratios keyvet/floor and peer/keyvet are printed.
//! `python3 benches/table.py` turns a run into the README's table.
//!
//! Corpora of 10,000 lines by default; `KEYVET_BENCH_LINES=100000` (or
//! `10000,100000`) selects other sizes, `KEYVET_BENCH_CORPORA=mixed,certs`
//! a subset of corpora, `KEYVET_BENCH_SAMPLES` the most samples a bench
//! takes (50; fewer for slow passes, see `bench`),
//! `KEYVET_BENCH_DUMP=DIR` writes each corpus to `DIR/NAME.pub` (to run the
//! command-line tool on it), and `KEYVET_BENCH_PLOTS=1` has criterion draw
//! its plots and HTML report (off by default, to keep the run short).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use base64::Engine;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime};
use keyvet::{Checker, HashAlg, Key, Line, Policy, policy};
use md5::Md5;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

#[path = "support/corpus.rs"]
mod corpus;

/// The structural path: parse and validate, no arithmetic.
const STRUCTURAL: Policy = Policy {
    check_ec_points: false,
    verify_signatures: false,
    screening: keyvet::weak::Screening::OFF,
    ..policy::OPENSSH
};

/// The structural path with EC points checked.
const EC_POINTS: Policy = Policy {
    check_ec_points: true,
    ..STRUCTURAL
};

/// Largest blob keyvet's stage benches decode (the openssh policy's cap).
const MAX_BLOB: usize = policy::OPENSSH.max_blob_len;

/// Where the options of an authorized_keys line end, the simple way: a
/// line starts with its key type (`ssh-`, `ecdsa-`, `sk-`) or with options,
/// which run to the first blank outside double quotes (a backslash escapes
/// the next byte inside quotes). Returns the offset of the key type.
fn key_start(line: &[u8]) -> usize {
    if line.starts_with(b"ssh-") || line.starts_with(b"ecdsa-") || line.starts_with(b"sk-") {
        return 0;
    }
    let mut quoted = false;
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b' ' | b'\t' if !quoted => {
                // Skip the run of blanks before the key type.
                while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
                    i += 1;
                }
                return i;
            }
            _ => {}
        }
        i += 1;
    }
    line.len()
}

/// The floor's fields: the type word and the base64 field.
fn floor_fields(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = &line[key_start(line)..];
    let sp = rest.iter().position(|&b| b == b' ')?;
    let (ty, rest) = (&rest[..sp], &rest[sp + 1..]);
    let end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
    Some((ty, &rest[..end]))
}

/// The floor: fields, base64 into a reused buffer, SHA-256 and MD5 of the
/// blob. Nothing else.
fn floor(line: &[u8], buf: &mut Vec<u8>) -> Option<([u8; 32], [u8; 16])> {
    let (_ty, b64) = floor_fields(line)?;
    buf.resize(b64.len() / 4 * 3 + 3, 0);
    let n = base64::engine::general_purpose::STANDARD.decode_slice(b64, buf).ok()?;
    let blob = &buf[..n];
    Some((Sha256::digest(blob).into(), Md5::digest(blob).into()))
}

/// ssh-key: options stripped as the floor does, then the key or
/// certificate, its SHA-256 fingerprint and an MD5 of the key's encoding
/// (of the certified key, for a certificate, as OpenSSH fingerprints it).
fn ssh_key(line: &str, buf: &mut Vec<u8>) -> Option<(ssh_key::Fingerprint, [u8; 16])> {
    ssh_key_unstripped(&line[key_start(line.as_bytes())..], buf)
}

/// ssh-key on the line as it is.
fn ssh_key_unstripped(line: &str, buf: &mut Vec<u8>) -> Option<(ssh_key::Fingerprint, [u8; 16])> {
    use ssh_encoding::Encode;
    let is_cert = line
        .split(' ')
        .next()
        .is_some_and(|t| t.ends_with("-cert-v01@openssh.com"));
    let fps = |k: &ssh_key::public::KeyData, buf: &mut Vec<u8>| {
        let sha = k.fingerprint(ssh_key::HashAlg::Sha256);
        buf.clear();
        k.encode(buf).ok()?;
        Some((sha, Md5::digest(&buf[..]).into()))
    };
    if is_cert {
        let c = ssh_key::Certificate::from_openssh(line).ok()?;
        fps(c.public_key(), buf)
    } else {
        let k = ssh_key::PublicKey::from_openssh(line).ok()?;
        fps(k.key_data(), buf)
    }
}

/// openssh-keys: its parse (options included) and both fingerprints.
fn openssh_keys(line: &str) -> Option<(String, String)> {
    let k = openssh_keys::PublicKey::parse(line).ok()?;
    Some((k.fingerprint(), k.fingerprint_md5()))
}

/// keyvet: check, then both fingerprints.
fn keyvet_check(v: &mut Checker, line: &[u8]) -> Option<(keyvet::Fingerprint, keyvet::Fingerprint)> {
    let c = v.check_line(line).ok()?;
    Some((c.sha256(), c.md5()))
}

/// Checks, outside the timing, that the contenders compute the same
/// fingerprints as keyvet on every line they accept (the floor on plain
/// keys only: for a certificate it hashes the whole blob).
fn agree(v: &mut Checker, lines: &[&str], buf: &mut Vec<u8>) {
    for l in lines {
        let (sha, md5) = keyvet_check(v, l.as_bytes()).unwrap_or_else(|| panic!("keyvet rejects {l}"));
        let is_cert = l.contains("-cert-v01@openssh.com ");
        if let Some((s, m)) = floor(l.as_bytes(), buf).filter(|_| !is_cert) {
            assert_eq!((&s[..], &m[..]), (sha.as_bytes(), md5.as_bytes()), "floor: {l}");
        }
        if let Some((s, m)) = ssh_key(l, buf) {
            assert_eq!((s.as_bytes(), &m[..]), (sha.as_bytes(), md5.as_bytes()), "ssh-key: {l}");
        }
        if let Some((s, m)) = openssh_keys(l) {
            let want = (sha.to_string(), md5.hex().to_string());
            assert_eq!((format!("SHA256:{s}"), m), want, "openssh-keys: {l}");
        }
    }
}

/// The criterion output directory, found as criterion finds it (without
/// asking `cargo metadata`).
fn criterion_home() -> PathBuf {
    if let Some(h) = std::env::var_os("CRITERION_HOME") {
        return h.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("criterion")
}

/// Sizes and corpora selected by the environment.
fn selection() -> (Vec<usize>, Vec<String>) {
    let sizes = std::env::var("KEYVET_BENCH_LINES").unwrap_or_else(|_| "10000".into());
    let sizes = sizes
        .split(',')
        .map(|s| {
            s.trim()
                .replace('_', "")
                .parse()
                .expect("KEYVET_BENCH_LINES: line counts, comma-separated")
        })
        .collect();
    let kinds: Vec<String> = match std::env::var("KEYVET_BENCH_CORPORA") {
        Ok(k) => k.split(',').map(|s| s.trim().to_owned()).collect(),
        Err(_) => corpus::KINDS.iter().map(|s| (*s).to_owned()).collect(),
    };
    for k in &kinds {
        assert!(
            corpus::KINDS.contains(&k.as_str()) || corpus::EXTRA_KINDS.contains(&k.as_str()),
            "KEYVET_BENCH_CORPORA: unknown corpus {k}"
        );
    }
    (sizes, kinds)
}

/// Counts the lines `f` rejects, and how long one pass took.
fn count(lines: usize, mut f: impl FnMut(usize) -> bool) -> (usize, Duration) {
    let t = Instant::now();
    let rejected = (0..lines).filter(|&i| !f(i)).count();
    (rejected, t.elapsed())
}

/// Benches one contender. Criterion needs at least one pass a sample, so a
/// contender whose one pass is long (signature verification over 10,000
/// certificates takes seconds) gets fewer samples, down to criterion's
/// minimum of 10, for the run to stay within minutes: as many as fit in
/// 3 seconds, at most `samples`.
fn bench(g: &mut BenchmarkGroup<'_, WallTime>, name: &str, pass: Duration, samples: usize, mut f: impl FnMut()) {
    let fit = (3.0 / pass.as_secs_f64().max(1e-9)) as usize;
    g.sample_size(fit.clamp(10, samples.max(10)));
    g.bench_function(name, |b| b.iter(&mut f));
}

const CONTENDERS: [&str; 11] = [
    "keyvet_full",
    "keyvet_structural",
    "keyvet_ec",
    "keyvet_line_parse",
    "keyvet_base64",
    "keyvet_blob_parse",
    "keyvet_sha256",
    "keyvet_md5",
    "floor",
    "ssh-key",
    "openssh-keys",
];

fn group(c: &mut Criterion, corpus: &corpus::Corpus, samples: usize, started: SystemTime) {
    let lines_b: Vec<&[u8]> = corpus
        .spans
        .iter()
        .map(|r| &corpus.text.as_bytes()[r.clone()])
        .collect();
    let lines_s: Vec<&str> = corpus.lines();
    let n = lines_b.len();

    // The stages' inputs, prepared outside the timing.
    let parsed: Vec<Line<'_>> = lines_b
        .iter()
        .map(|l| Line::parse(l).expect("corpus line parses"))
        .collect();
    let blobs: Vec<Vec<u8>> = parsed
        .iter()
        .map(|l| {
            let mut b = Vec::new();
            keyvet::decode_base64(l.base64(), &mut b, MAX_BLOB).expect("corpus base64 decodes");
            b
        })
        .collect();
    let keys: Vec<Key<'_>> = blobs
        .iter()
        .map(|b| Key::parse(b).expect("corpus blob parses"))
        .collect();

    // Rejections, counted once, and one timed pass of each contender.
    let mut full = Checker::new(policy::OPENSSH);
    let mut structural = Checker::new(STRUCTURAL);
    let mut ec = Checker::new(EC_POINTS);
    let mut buf = Vec::new();
    agree(&mut structural, &lines_s, &mut buf);
    let mut rejected = BTreeMap::new();
    let mut pass = BTreeMap::new();
    for (name, (r, t)) in [
        (
            "keyvet_full",
            count(n, |i| keyvet_check(&mut full, lines_b[i]).is_some()),
        ),
        (
            "keyvet_structural",
            count(n, |i| keyvet_check(&mut structural, lines_b[i]).is_some()),
        ),
        ("keyvet_ec", count(n, |i| keyvet_check(&mut ec, lines_b[i]).is_some())),
        ("floor", count(n, |i| floor(lines_b[i], &mut buf).is_some())),
        ("ssh-key", count(n, |i| ssh_key(lines_s[i], &mut buf).is_some())),
        (
            "ssh-key_unstripped",
            count(n, |i| ssh_key_unstripped(lines_s[i], &mut buf).is_some()),
        ),
        (
            "ssh-key_authorized_keys_entry",
            count(n, |i| lines_s[i].parse::<ssh_key::authorized_keys::Entry>().is_ok()),
        ),
        ("openssh-keys", count(n, |i| openssh_keys(lines_s[i]).is_some())),
    ] {
        rejected.insert(name, r);
        pass.insert(name, t);
    }
    let avg = corpus.bytes() as f64 / n as f64;
    println!(
        "\n{}: {n} lines, {} bytes ({avg:.0} a line); rejected: keyvet full {}, structural {}, floor {}, \
         ssh-key {} (on unstripped lines {}, as authorized_keys::Entry {}), openssh-keys {}",
        corpus.name,
        corpus.bytes(),
        rejected["keyvet_full"],
        rejected["keyvet_structural"],
        rejected["floor"],
        rejected["ssh-key"],
        rejected["ssh-key_unstripped"],
        rejected["ssh-key_authorized_keys_entry"],
        rejected["openssh-keys"],
    );
    record(corpus, &rejected);

    let short = Duration::ZERO;
    let mut g = c.benchmark_group(&corpus.name);
    g.throughput(Throughput::Bytes(corpus.bytes()));
    bench(&mut g, "keyvet_full", pass["keyvet_full"], samples, || {
        for l in &lines_b {
            black_box(keyvet_check(&mut full, black_box(l)));
        }
    });
    bench(&mut g, "keyvet_structural", pass["keyvet_structural"], samples, || {
        for l in &lines_b {
            black_box(keyvet_check(&mut structural, black_box(l)));
        }
    });
    bench(&mut g, "keyvet_ec", pass["keyvet_ec"], samples, || {
        for l in &lines_b {
            black_box(keyvet_check(&mut ec, black_box(l)));
        }
    });
    bench(&mut g, "keyvet_line_parse", short, samples, || {
        for l in &lines_b {
            black_box(Line::parse(black_box(l)).ok());
        }
    });
    let mut b64buf = Vec::new();
    bench(&mut g, "keyvet_base64", short, samples, || {
        for l in &parsed {
            black_box(keyvet::decode_base64(black_box(l.base64()), &mut b64buf, MAX_BLOB).ok());
            black_box(&b64buf);
        }
    });
    bench(&mut g, "keyvet_blob_parse", short, samples, || {
        for b in &blobs {
            black_box(Key::parse(black_box(b)).ok());
        }
    });
    bench(&mut g, "keyvet_sha256", short, samples, || {
        for k in &keys {
            black_box(black_box(k).public_key().fingerprint(HashAlg::Sha256));
        }
    });
    bench(&mut g, "keyvet_md5", short, samples, || {
        for k in &keys {
            black_box(black_box(k).public_key().fingerprint(HashAlg::Md5));
        }
    });
    bench(&mut g, "floor", pass["floor"], samples, || {
        for l in &lines_b {
            black_box(floor(black_box(l), &mut buf));
        }
    });
    bench(&mut g, "ssh-key", pass["ssh-key"], samples, || {
        for l in &lines_s {
            black_box(ssh_key(black_box(l), &mut buf));
        }
    });
    bench(&mut g, "openssh-keys", pass["openssh-keys"], samples, || {
        for l in &lines_s {
            black_box(openssh_keys(black_box(l)));
        }
    });
    g.finish();
    report(&corpus.name, n, started);
}

/// The median of a bench run by this process, in nanoseconds per
/// iteration (one pass over the corpus).
fn median(group: &str, bench: &str, started: SystemTime) -> Option<f64> {
    let path = criterion_home().join(group).join(bench).join("new/estimates.json");
    let fresh = std::fs::metadata(&path).ok()?.modified().ok()? >= started;
    if !fresh {
        return None;
    }
    let v: Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

/// Prints the per-line medians and the ratios of a group just run.
fn report(group: &str, lines: usize, started: SystemTime) {
    let us: BTreeMap<&str, f64> = CONTENDERS
        .iter()
        .filter_map(|b| Some((*b, median(group, b, started)? / lines as f64 / 1000.0)))
        .collect();
    if us.is_empty() {
        return;
    }
    let list: Vec<String> = CONTENDERS
        .iter()
        .filter_map(|b| Some(format!("{b} {:.3}", us.get(b)?)))
        .collect();
    println!("{group}: median µs a line: {}", list.join(", "));
    let ratio = |a: &str, b: &str| Some(format!("{a}/{b} {:.2}", us.get(a)? / us.get(b)?));
    let ratios: Vec<String> = [
        ratio("keyvet_full", "floor"),
        ratio("keyvet_structural", "floor"),
        ratio("keyvet_ec", "floor"),
        ratio("ssh-key", "keyvet_structural"),
        ratio("openssh-keys", "keyvet_structural"),
        ratio("ssh-key", "keyvet_full"),
        ratio("openssh-keys", "keyvet_full"),
    ]
    .into_iter()
    .flatten()
    .collect();
    println!("{group}: ratios: {}\n", ratios.join(", "));
}

/// Adds a corpus's line count, size and rejections to
/// `keyvet-compare.json` in the criterion directory, for `table.py`.
fn record(corpus: &corpus::Corpus, rejected: &BTreeMap<&str, usize>) {
    let dir = criterion_home();
    let path = dir.join("keyvet-compare.json");
    let mut all: Value = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| json!({}));
    if !all.is_object() {
        all = json!({});
    }
    all[&corpus.name] = json!({
        "lines": corpus.spans.len(),
        "bytes": corpus.bytes(),
        "with_options": corpus.lines().iter().filter(|l| key_start(l.as_bytes()) > 0).count(),
        "rejected": rejected,
    });
    let _ = std::fs::create_dir_all(&dir);
    if let Err(e) = std::fs::write(&path, serde_json::to_vec_pretty(&all).unwrap_or_default()) {
        eprintln!("{}: {e}", path.display());
    }
}

fn compare(c: &mut Criterion) {
    let started = SystemTime::now();
    let (sizes, kinds) = selection();
    let pool = corpus::pool();
    // Criterion's --sample-size is overridden per bench (see `bench`);
    // this is the most samples a bench gets.
    let samples = std::env::var("KEYVET_BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    for &n in &sizes {
        for kind in &kinds {
            let corpus = corpus::build(&pool, kind, n);
            if let Some(dir) = std::env::var_os("KEYVET_BENCH_DUMP") {
                let path = PathBuf::from(dir).join(format!("{}.pub", corpus.name));
                std::fs::write(&path, &corpus.text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
            group(c, &corpus, samples, started);
        }
    }
}

criterion_group! {
    name = benches;
    // Short defaults so that the 10,000-line run takes minutes; the
    // command line overrides them (`-- --measurement-time 10`).
    // No plots unless KEYVET_BENCH_PLOTS is set: drawing them for 50
    // benches adds to the run, and table.py only needs the estimates.
    config = {
        let c = Criterion::default()
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        if std::env::var_os("KEYVET_BENCH_PLOTS").is_some() { c } else { c.without_plots() }
    };
    targets = compare
}
criterion_main!(benches);
