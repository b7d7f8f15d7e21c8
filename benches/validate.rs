//! Throughput of the hot path, stage by stage, over real keys from the
//! public conformance corpus, and the EC point check with RustCrypto versus
//! a num-bigint implementation (the measurement behind using RustCrypto).

use std::hint::black_box;
use std::path::Path;

use base64::Engine;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use keyvet::{Checker, Curve, HashAlg, Key, Line, Policy, policy};
use num_bigint::BigUint;

fn lines() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/external");
    let mut out = Vec::new();
    for dir in [
        "openssh-portable/sshkey",
        "openssh-portable/hostkeys",
        "openssh-portable/fuzz-harness",
        "dnaeon-rust-sshkeys",
    ] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "pub") {
                let bytes = std::fs::read(&p).unwrap_or_default();
                for l in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                    if Checker::new(policy::OPENSSH).check_line(l).is_ok() {
                        out.push(l.to_vec());
                    }
                }
            }
        }
    }
    assert!(!out.is_empty(), "no input: the conformance corpus is missing");
    out
}

fn stages(c: &mut Criterion) {
    let lines = lines();
    let bytes: u64 = lines.iter().map(|l| l.len() as u64).sum();
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("line_parse", |b| {
        b.iter(|| {
            for l in &lines {
                black_box(Line::parse(l).ok());
            }
        })
    });
    let parsed: Vec<Line<'_>> = lines.iter().map(|l| Line::parse(l).unwrap()).collect();
    let mut buf = Vec::new();
    g.bench_function("base64", |b| {
        b.iter(|| {
            for l in &parsed {
                keyvet::decode_base64(l.base64(), &mut buf, 1 << 20).unwrap();
                black_box(&buf);
            }
        })
    });
    let blobs: Vec<Vec<u8>> = parsed
        .iter()
        .map(|l| base64::engine::general_purpose::STANDARD.decode(l.base64()).unwrap())
        .collect();
    g.bench_function("blob_parse", |b| {
        b.iter(|| {
            for blob in &blobs {
                black_box(Key::parse(blob).ok());
            }
        })
    });
    let keys: Vec<Key<'_>> = blobs.iter().map(|b| Key::parse(b).unwrap()).collect();
    g.bench_function("sha256", |b| {
        b.iter(|| {
            for k in &keys {
                black_box(k.public_key().fingerprint(HashAlg::Sha256));
            }
        })
    });
    g.bench_function("md5", |b| {
        b.iter(|| {
            for k in &keys {
                black_box(k.public_key().fingerprint(HashAlg::Md5));
            }
        })
    });
    for (name, p) in [
        (
            "check_structural",
            Policy {
                check_ec_points: false,
                verify_signatures: false,
                ..policy::STRICT
            },
        ),
        (
            "check_ec_points",
            Policy {
                verify_signatures: false,
                ..policy::OPENSSH
            },
        ),
        ("check_openssh_full", policy::OPENSSH),
    ] {
        let mut v = Checker::new(p);
        g.bench_function(format!("{name}+fingerprints"), |b| {
            b.iter(|| {
                for l in &lines {
                    if let Ok(c) = v.check_line(l) {
                        black_box((c.sha256(), c.md5()));
                    }
                }
            })
        });
    }
    g.finish();
}

/// y^2 == x^3 - 3x + b (mod p) with num-bigint, as a hand-written check
/// would do it.
fn on_curve_bigint(p: &BigUint, b: &BigUint, point: &[u8], fl: usize) -> bool {
    let x = BigUint::from_bytes_be(&point[1..1 + fl]);
    let y = BigUint::from_bytes_be(&point[1 + fl..]);
    if &x >= p || &y >= p {
        return false;
    }
    let lhs = (&y * &y) % p;
    let rhs = ((&x * &x % p) * &x + b + p * 3u32 - (&x * 3u32) % p) % p;
    lhs == rhs
}

fn ec_points(c: &mut Criterion) {
    let hex = |s: &str| BigUint::parse_bytes(s.as_bytes(), 16).unwrap();
    let curves = [
        (
            Curve::P256,
            hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
            hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
            "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        ),
        (
            Curve::P384,
            hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
            hex("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"),
            "04aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab73617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
        ),
    ];
    let mut g = c.benchmark_group("ec_point_check");
    for (curve, p, b, g_hex) in curves {
        let point: Vec<u8> = (0..g_hex.len() / 2)
            .map(|i| u8::from_str_radix(&g_hex[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        assert!(on_curve_bigint(&p, &b, &point, curve.field_len()));
        assert_eq!(keyvet::check_ec_point(curve, &point), Ok(()));
        g.bench_function(format!("rustcrypto_{curve}"), |bn| {
            bn.iter(|| black_box(keyvet::check_ec_point(curve, black_box(&point))))
        });
        g.bench_function(format!("num_bigint_{curve}"), |bn| {
            bn.iter(|| black_box(on_curve_bigint(&p, &b, black_box(&point), curve.field_len())))
        });
    }
    g.finish();
}

criterion_group!(benches, stages, ec_points);
criterion_main!(benches);
