//! Every fuzz target (fuzz/targets/, the bodies libFuzzer runs) over seeds
//! made from corpus/ and deterministic mutations of them: each must hold
//! its properties (no panic, the verdicts it compares). This keeps the
//! targets building and true with every change of the engine, in the test
//! build, at no extra compile (a libFuzzer build took ten minutes of a
//! core in CI); `bash .ci/fuzz-smoke` and `cargo +nightly fuzz run` fuzz
//! for real.

#[allow(dead_code)]
#[path = "../fuzz/targets/mod.rs"]
mod targets;

mod common;

use keyvet::decode_base64;

/// Seeds per target, and mutated inputs per target (bounded: a debug
/// build runs the strict policy's weak-key checks on every RSA key).
const SEEDS: usize = 2000;
const MUTATIONS: usize = 3000;

/// Whole files (up to 32 KiB, as fuzz/seed.sh takes them), their lines,
/// and the key blobs of those lines: every form a target reads.
fn all_seeds() -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    let mut stack = vec![common::corpus_root()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut seeds = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        if bytes.len() > 32 * 1024 {
            continue;
        }
        for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            if let Some(blob) = line
                .split(|b| b.is_ascii_whitespace())
                .filter(|f| f.len() > 16)
                .find_map(|f| {
                    let mut blob = Vec::new();
                    let text = std::str::from_utf8(f).ok()?;
                    decode_base64(text, &mut blob, 64 * 1024).ok().map(|()| blob)
                })
            {
                seeds.push(blob);
            }
            seeds.push(line.to_vec());
        }
        seeds.push(bytes);
    }
    seeds
}

/// A fixed sample of the seeds: every k-th, starting at `offset` (each
/// target sees a different sample).
fn sample(seeds: &[Vec<u8>], offset: usize) -> Vec<&[u8]> {
    let step = (seeds.len() / SEEDS).max(1);
    seeds
        .iter()
        .skip(offset % step)
        .step_by(step)
        .map(Vec::as_slice)
        .collect()
}

/// xorshift64: repeatable mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}

/// One to four of libFuzzer's simplest mutations: flip a bit, set a byte
/// to an interesting value, insert, delete, truncate, or splice another seed in.
fn mutate(seed: &[u8], other: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] ^= 1 << rng.below(8);
            }
            1 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] = [0, 0xff, 0x7f, 0x80, b'\n', b' ', b'=', b'"'][rng.below(8)];
            }
            2 => v.insert(at, u8::try_from(rng.below(256)).unwrap_or(0)),
            3 if at < v.len() => {
                v.remove(at);
            }
            4 => v.truncate(at),
            _ => {
                let from = rng.below(other.len() + 1);
                let len = rng.below(other.len() - from + 1).min(64);
                v.splice(at..at, other[from..from + len].iter().copied());
            }
        }
    }
    v
}

fn fuzz(target: fn(&[u8]), offset: usize) {
    let seeds = all_seeds();
    let sampled = sample(&seeds, offset);
    assert!(sampled.len() >= SEEDS / 2, "only {} seeds", sampled.len());
    for s in &sampled {
        target(s);
    }
    let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ offset as u64);
    for _ in 0..MUTATIONS {
        let seed = sampled[rng.below(sampled.len())];
        let other = sampled[rng.below(sampled.len())];
        target(&mutate(seed, other, &mut rng));
    }
}

macro_rules! targets {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                fuzz(targets::$name::run, stringify!($name).bytes().map(usize::from).sum());
            }
        )*
    };
}

targets!(
    blob,
    cert,
    convert,
    differential,
    file,
    known_hosts,
    line,
    listing_line,
    options,
    parallel,
    roundtrip,
    structured,
);
