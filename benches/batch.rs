//! The cost per key of the shared-prime check (batch GCD over every RSA
//! modulus of an input), as the input grows: near-linear means the cost per
//! key grows only with log^2 of the count.
//!
//! - `real/N`: the first N keys of `corpus/weak/batch-2000.pub` (RSA-2048
//!   from real primes, 8 planted pairs);
//! - `synthetic/N`: N moduli that are products of two random odd 1024-bit
//!   numbers (the cost does not depend on primality);
//! - `file/N`: every key of the file named by `KEYVET_BENCH_BATCH` (e.g. the
//!   100,000-key batch of `corpus/weak/make_batch.py`), 10 samples.
//!
//! Throughput is in keys: criterion's "elem/s" is keys per second.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use keyvet::weak::batch::shared_primes;
use keyvet::{Checker, KeyData, policy};
use num_bigint::BigUint;

fn moduli_of(text: &[u8]) -> Vec<Vec<u8>> {
    let mut v = Checker::new(policy::OPENSSH);
    text.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| match v.check_line(l).ok()?.key().public_key().data() {
            KeyData::Rsa(r) => Some(r.n.magnitude().to_vec()),
            _ => None,
        })
        .collect()
}

fn synthetic(n: usize) -> Vec<Vec<u8>> {
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut half = move || {
        let mut b: Vec<u8> = (0..16).flat_map(|_| next().to_be_bytes()).collect();
        b[0] |= 0x80;
        b[127] |= 1;
        BigUint::from_bytes_be(&b)
    };
    (0..n).map(|_| (half() * half()).to_bytes_be()).collect()
}

fn run(c: &mut Criterion, group: &str, moduli: &[Vec<u8>], samples: usize) {
    let refs: Vec<&[u8]> = moduli.iter().map(Vec::as_slice).collect();
    let mut g = c.benchmark_group(group);
    g.sample_size(samples);
    g.throughput(Throughput::Elements(refs.len() as u64));
    g.bench_with_input(BenchmarkId::from_parameter(refs.len()), &refs, |b, refs| {
        b.iter(|| black_box(shared_primes(refs)));
    });
    g.finish();
}

fn batch_gcd(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let real = moduli_of(&std::fs::read(root.join("corpus/weak/batch-2000.pub")).unwrap());
    assert_eq!(real.len(), 2000);
    for n in [250, 1000, 2000] {
        run(c, "batch_gcd/real", &real[..n], 10);
    }
    for n in [1000, 10_000] {
        run(c, "batch_gcd/synthetic", &synthetic(n), 10);
    }
    if let Ok(path) = std::env::var("KEYVET_BENCH_BATCH") {
        let file = moduli_of(&std::fs::read(&path).unwrap());
        run(c, "batch_gcd/file", &file, 10);
    }
}

criterion_group!(benches, batch_gcd);
criterion_main!(benches);
