//! keyvet's arithmetic checks against the RustCrypto primitive each one
//! calls, side by side (the goal: within 1.2x).
//!
//! * `ec_point/{keyvet,direct}_<curve>`: `keyvet::check_ec_point` on an
//!   uncompressed point against `PublicKey::from_sec1_bytes` of the curve's
//!   crate (which is what checks the point: on the curve, not the
//!   identity).
//! * `cert_signature/{keyvet,direct}_<ca>`: `keyvet::signature::verify`
//!   on a parsed certificate from `corpus/valid/certs` against the same
//!   work done with the crates directly from bytes taken out of the
//!   certificate beforehand: the verifying key built from its bytes, the
//!   signed part hashed, the signature checked.
//!
//!   RSA-2048 and RSA-4096 CAs come from `benches/data/signatures.txt`
//!   (ssh-keygen-made; the corpus's RSA CA is 3072 bits).
//! * `cert_signature/aws_<ca>` (`--features verify-aws-lc`): the same
//!   signature verified by aws-lc-rs called directly (RSA and ECDSA), the
//!   backend keyvet then calls.
//!
//! Each signature line also prints OpenSSL's verify cost for the algorithm,
//! recorded from `openssl speed` ([`OPENSSL_US`]), and keyvet/OpenSSL.
//!
//! `cargo bench --bench primitives [--features verify-aws-lc]`; the medians
//! print per pair, with the ratio keyvet/direct.

use std::hint::black_box;
use std::path::Path;
use std::time::SystemTime;

use criterion::{Criterion, criterion_group, criterion_main};
use ecdsa::signature::hazmat::PrehashVerifier;
use ed25519_dalek::Verifier;
use keyvet::cert::{RsaHash, SignatureData};
use keyvet::{Certificate, Curve, Key, KeyData, Line};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

fn blob_of(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/valid/certs")
        .join(file);
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let line = Line::parse(&text).expect("corpus certificate line");
    let mut blob = Vec::new();
    keyvet::decode_base64(line.base64(), &mut blob, 1 << 20).expect("base64");
    blob
}

/// OpenSSL's verify cost, µs: `openssl speed -seconds 1 rsa2048 rsa3072
/// rsa4096 ecdsap256 ecdsap384 ecdsap521 ed25519` (1e6 / verify/s), OpenSSL
/// 3.0.19, 2026-12-07, this 2-core AMD EPYC (Zen 3) machine, in the same run
/// as docs/performance.md's table. Its key is parsed once; keyvet's and the
/// direct paths parse theirs on every call, as ssh-keygen does per
/// certificate.
const OPENSSL_US: &[(&str, f64)] = &[
    ("rsa2048", 17.9),
    ("rsa-sha", 32.6), // the corpus's RSA-3072 CA
    ("rsa4096", 57.5),
    ("ecdsa-256", 60.9),
    ("ecdsa-384", 580.9),
    ("ecdsa-521", 382.9),
    ("sk-ecdsa", 60.9),
    ("ed25519", 76.8),
    ("sk-ed25519", 76.8),
    ("dsa", DSA_US),
];

/// `openssl speed -seconds 1 dsa1024` (1e6 / 17,678.6 verify/s), a second run
/// the same day, under load: indicative only.
const DSA_US: f64 = 56.6;

fn openssl_us(ca: &str) -> Option<f64> {
    OPENSSL_US.iter().find(|(p, _)| ca.starts_with(p)).map(|&(_, us)| us)
}

/// A certificate from `benches/data/signatures.txt`, by the name its line
/// starts with.
fn blob_of_data(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/signatures.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rest = text
        .lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("{name}: not in {}", path.display()));
    let line = Line::parse(rest.as_bytes()).expect("certificate line");
    let mut blob = Vec::new();
    keyvet::decode_base64(line.base64(), &mut blob, 1 << 20).expect("base64");
    blob
}

/// aws-lc-rs called directly on bytes taken out of the certificate
/// beforehand, for the algorithms keyvet gives it; `None` for the others.
#[cfg(feature = "verify-aws-lc")]
fn aws(c: &Certificate<'_>) -> Option<Box<dyn Fn() -> bool>> {
    use aws_lc_rs::signature as a;
    let ca = c.signature_key();
    let sig = c.signature();
    let data = c.signed_data().to_vec();
    let pad = |m: &[u8], len: usize| {
        let mut v = vec![0u8; len - m.len()];
        v.extend_from_slice(m);
        v
    };
    match (ca.key().data(), sig.data()) {
        (KeyData::Rsa(k), SignatureData::Rsa { hash, blob }) => {
            let (n, e) = (k.n.magnitude().to_vec(), k.e.magnitude().to_vec());
            let s = pad(blob, n.len());
            let params = match hash {
                RsaHash::Sha1 => &a::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
                RsaHash::Sha256 => &a::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
                RsaHash::Sha512 => &a::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
            };
            Some(Box::new(move || {
                a::RsaPublicKeyComponents { n: &n, e: &e }
                    .verify(params, &data, &s)
                    .is_ok()
            }))
        }
        (KeyData::Ecdsa(k), SignatureData::Ecdsa { curve, r, s }) => {
            let n = curve.field_len();
            let mut rs = pad(r.magnitude(), n);
            rs.extend(pad(s.magnitude(), n));
            let point = k.point.to_vec();
            let alg = match curve {
                Curve::P256 => &a::ECDSA_P256_SHA256_FIXED,
                Curve::P384 => &a::ECDSA_P384_SHA384_FIXED,
                _ => &a::ECDSA_P521_SHA512_FIXED,
            };
            Some(Box::new(move || {
                a::UnparsedPublicKey::new(alg, &point).verify(&data, &rs).is_ok()
            }))
        }
        _ => None,
    }
}

/// The direct path for one certificate: RustCrypto called on bytes taken
/// out of it beforehand. Returns whether the signature verified.
fn direct(c: &Certificate<'_>) -> impl Fn() -> bool {
    let ca = c.signature_key();
    let sig = c.signature();
    let data = c.signed_data().to_vec();
    enum Job {
        Ed25519([u8; 32], [u8; 64]),
        Ecdsa(Curve, Vec<u8>, Vec<u8>, Vec<u8>),
        Rsa(RsaHash, Vec<u8>, Vec<u8>, Vec<u8>),
        Dsa([Vec<u8>; 4], Vec<u8>),
    }
    let pad = |m: &[u8], len: usize| {
        let mut v = vec![0u8; len - m.len()];
        v.extend_from_slice(m);
        v
    };
    let job = match (ca.key().data(), sig.data()) {
        (KeyData::Ed25519(k), SignatureData::Ed25519 { sig }) => {
            Job::Ed25519(*k.key, (*sig).try_into().expect("64-byte signature"))
        }
        (KeyData::Ecdsa(k), SignatureData::Ecdsa { curve, r, s }) => {
            let n = curve.field_len();
            Job::Ecdsa(*curve, k.point.to_vec(), pad(r.magnitude(), n), pad(s.magnitude(), n))
        }
        (KeyData::Rsa(k), SignatureData::Rsa { hash, blob }) => Job::Rsa(
            *hash,
            k.n.magnitude().to_vec(),
            k.e.magnitude().to_vec(),
            pad(blob, k.n.magnitude().len()),
        ),
        (KeyData::Dsa(k), SignatureData::Dsa { blob }) => {
            Job::Dsa([&k.p, &k.q, &k.g, &k.y].map(|m| m.magnitude().to_vec()), blob.to_vec())
        }
        other => panic!("no direct path for {other:?}"),
    };
    move || match &job {
        Job::Ed25519(k, s) => {
            let sig = ed25519_dalek::Signature::from_bytes(s);
            ed25519_dalek::VerifyingKey::from_bytes(k).is_ok_and(|vk| vk.verify(&data, &sig).is_ok())
        }
        Job::Ecdsa(curve, point, r, s) => match curve {
            Curve::P256 => {
                let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(point);
                let sig = p256::ecdsa::Signature::from_scalars(
                    *p256::FieldBytes::from_slice(r),
                    *p256::FieldBytes::from_slice(s),
                );
                matches!((vk, sig), (Ok(vk), Ok(sig)) if vk.verify_prehash(&Sha256::digest(&data), &sig).is_ok())
            }
            Curve::P384 => {
                let vk = p384::ecdsa::VerifyingKey::from_sec1_bytes(point);
                let sig = p384::ecdsa::Signature::from_scalars(
                    *p384::FieldBytes::from_slice(r),
                    *p384::FieldBytes::from_slice(s),
                );
                matches!((vk, sig), (Ok(vk), Ok(sig)) if vk.verify_prehash(&Sha384::digest(&data), &sig).is_ok())
            }
            Curve::P521 => {
                let vk = p521::ecdsa::VerifyingKey::from_sec1_bytes(point);
                let sig = p521::ecdsa::Signature::from_scalars(
                    *p521::FieldBytes::from_slice(r),
                    *p521::FieldBytes::from_slice(s),
                );
                matches!((vk, sig), (Ok(vk), Ok(sig)) if vk.verify_prehash(&Sha512::digest(&data), &sig).is_ok())
            }
            _ => false,
        },
        Job::Rsa(hash, n, e, s) => {
            let Ok(key) = rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(n), rsa::BigUint::from_bytes_be(e)) else {
                return false;
            };
            match hash {
                RsaHash::Sha1 => key.verify(rsa::Pkcs1v15Sign::new::<Sha1>(), &Sha1::digest(&data), s),
                RsaHash::Sha256 => key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(&data), s),
                RsaHash::Sha512 => key.verify(rsa::Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(&data), s),
            }
            .is_ok()
        }
        Job::Dsa([p, q, g, y], s) => {
            let big = |b: &[u8]| dsa::BigUint::from_bytes_be(b);
            let Ok(comps) = dsa::Components::from_components(big(p), big(q), big(g)) else {
                return false;
            };
            let Ok(vk) = dsa::VerifyingKey::from_components(comps, big(y)) else {
                return false;
            };
            let Ok(sig) = dsa::Signature::from_components(big(&s[..20]), big(&s[20..])) else {
                return false;
            };
            vk.verify_prehash(&Sha1::digest(&data), &sig).is_ok()
        }
    }
}

fn median_ns(group: &str, bench: &str, started: SystemTime) -> Option<f64> {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let path = dir.join("criterion").join(group).join(bench).join("new/estimates.json");
    if std::fs::metadata(&path).ok()?.modified().ok()? < started {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn report(group: &str, names: &[String], started: SystemTime) {
    for name in names {
        let k = median_ns(group, &format!("keyvet_{name}"), started);
        let d = median_ns(group, &format!("direct_{name}"), started);
        if let Some(k) = k {
            let mut line = format!("{group} {name}: keyvet {:.2} µs", k / 1000.0);
            if let Some(d) = d {
                line += &format!(", direct {:.2} µs, keyvet/direct {:.2}", d / 1000.0, k / d);
            }
            if let Some(a) = median_ns(group, &format!("aws_{name}"), started) {
                line += &format!(", aws-lc-rs direct {:.2} µs, keyvet/aws-lc-rs {:.2}", a / 1000.0, k / a);
            }
            if group == "cert_signature"
                && let Some(o) = openssl_us(name)
            {
                line += &format!(", OpenSSL (recorded) {o:.1} µs, keyvet/OpenSSL {:.2}", k / 1000.0 / o);
            }
            println!("{line}");
        }
    }
}

fn ec_points(c: &mut Criterion) {
    let started = SystemTime::now();
    let mut names = Vec::new();
    let mut g = c.benchmark_group("ec_point");
    for (curve, file) in [
        (Curve::P256, "ed25519-user-by-ecdsa-256.pub"),
        (Curve::P384, "ed25519-user-by-ecdsa-384.pub"),
        (Curve::P521, "ed25519-user-by-ecdsa-521.pub"),
    ] {
        let blob = blob_of(file);
        let Ok(Key::Cert(cert)) = Key::parse(&blob) else {
            panic!("{file}: not a certificate")
        };
        let ca = cert.signature_key();
        let KeyData::Ecdsa(k) = ca.key().data() else {
            panic!("{file}: not an ECDSA CA")
        };
        let point = k.point.to_vec();
        assert_eq!(keyvet::check_ec_point(curve, &point), Ok(()));
        let name = format!("{curve}");
        g.bench_function(format!("keyvet_{name}"), |b| {
            b.iter(|| black_box(keyvet::check_ec_point(curve, black_box(&point))))
        });
        g.bench_function(format!("direct_{name}"), |b| {
            b.iter(|| match curve {
                Curve::P256 => black_box(p256::PublicKey::from_sec1_bytes(black_box(&point)).is_ok()),
                Curve::P384 => black_box(p384::PublicKey::from_sec1_bytes(black_box(&point)).is_ok()),
                Curve::P521 => black_box(p521::PublicKey::from_sec1_bytes(black_box(&point)).is_ok()),
                _ => unreachable!("three curves"),
            })
        });
        names.push(name);
    }
    g.finish();
    report("ec_point", &names, started);
}

fn cert_signatures(c: &mut Criterion) {
    let started = SystemTime::now();
    let mut names = Vec::new();
    let mut g = c.benchmark_group("cert_signature");
    for ca in [
        "ed25519",
        "sk-ed25519",
        "ecdsa-256",
        "sk-ecdsa",
        "ecdsa-384",
        "ecdsa-521",
        "rsa2048-sha1",
        "rsa2048-sha256",
        "rsa2048-sha512",
        "rsa-sha1",
        "rsa-sha256",
        "rsa-sha512",
        "rsa4096-sha1",
        "rsa4096-sha256",
        "rsa4096-sha512",
        "dsa",
    ] {
        let file = format!("ed25519-user-by-{ca}.pub");
        let blob = if ca.starts_with("rsa2048") || ca.starts_with("rsa4096") {
            blob_of_data(ca)
        } else {
            blob_of(&file)
        };
        let Ok(Key::Cert(cert)) = Key::parse(&blob) else {
            panic!("{file}: not a certificate")
        };
        assert_eq!(keyvet::signature::verify(&cert), Ok(()), "{file}");
        g.bench_function(format!("keyvet_{ca}"), |b| {
            b.iter(|| black_box(keyvet::signature::verify(black_box(&cert))))
        });
        // The sk- forms have no direct path: the same curves as ecdsa-256
        // and ed25519 on a 69-byte message.
        if !ca.starts_with("sk-") {
            let direct = direct(&cert);
            assert!(direct(), "{file}: the direct path does not verify");
            g.bench_function(format!("direct_{ca}"), |b| b.iter(|| black_box(direct())));
        }
        #[cfg(feature = "verify-aws-lc")]
        if let Some(aws) = aws(&cert) {
            assert!(aws(), "{file}: aws-lc-rs does not verify");
            g.bench_function(format!("aws_{ca}"), |b| b.iter(|| black_box(aws())));
        }
        names.push(ca.to_string());
    }
    g.finish();
    report("cert_signature", &names, started);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
        .without_plots();
    targets = ec_points, cert_signatures
}
criterion_main!(benches);
