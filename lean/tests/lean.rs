//! The engine built with `default-features = false`: it parses, checks and
//! fingerprints every key it can check in full, byte for byte as
//! `ssh-keygen -l` printed them (the recorded `.sha256` files of
//! `corpus/valid`), and every policy that asks for a check this build lacks
//! refuses the key with `policy.feature_missing` instead of accepting it
//! unchecked.

use std::path::PathBuf;

use keyvet::screening::Screening;
use keyvet::stream::{self, Event, Source};
use keyvet::{Checker, HashAlg, Policy, policy};

fn corpus(path: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus").join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// What ssh-keygen -l printed for a corpus file (recorded by
/// corpus/generate.py).
fn recorded(path: &str) -> String {
    String::from_utf8(corpus(&format!("{path}.sha256")))
        .unwrap()
        .trim_end()
        .to_owned()
}

fn listing(v: &mut Checker, path: &str) -> Result<String, &'static str> {
    let line = corpus(path);
    v.check_listing_line(&line)
        .map(|c| c.listing_line(HashAlg::Sha256).to_string())
        .map_err(|e| e.code())
}

#[test]
fn keys_that_need_no_arithmetic_are_checked_and_fingerprinted_as_ssh_keygen_does() {
    let mut v = Checker::new(policy::OPENSSH);
    for path in [
        "valid/ed25519.pub",
        "valid/ed25519-no-comment.pub",
        "valid/rsa-2048.pub",
        "valid/rsa-8192.pub",
        "valid/sk-ed25519.pub",
        "valid/dsa-1024.pub",
    ] {
        assert_eq!(listing(&mut v, path), Ok(recorded(path)), "{path}");
    }
    // The structural rules are all here: a flipped base64 bit still fails.
    let mut bad = corpus("valid/ed25519.pub");
    bad[20] ^= 1;
    assert!(v.check_line(&bad).is_err());
}

#[test]
fn ecdsa_points_need_the_ec_feature() {
    let path = "valid/ecdsa-256.pub";
    let mut v = Checker::new(policy::OPENSSH);
    assert_eq!(listing(&mut v, path), Err("policy.feature_missing"));
    let err = v.check_line(&corpus(path)).unwrap_err();
    assert_eq!(err.blob().map(|b| b.field), Some("ecdsa.point"));
    assert!(err.to_string().contains("compiled without the `ec` feature"), "{err}");
    // Fingerprinting keys already known to be valid: turn the check off.
    let mut v = Checker::new(Policy {
        check_ec_points: false,
        ..policy::OPENSSH
    });
    assert_eq!(listing(&mut v, path), Ok(recorded(path)));
}

#[test]
fn certificate_signatures_need_the_verify_feature() {
    let path = "valid/certs/ed25519-user-by-ed25519.pub";
    let mut v = Checker::new(policy::OPENSSH);
    assert_eq!(listing(&mut v, path), Err("policy.feature_missing"));
    let mut v = Checker::new(Policy {
        verify_signatures: false,
        ..policy::OPENSSH
    });
    assert_eq!(listing(&mut v, path), Ok(recorded(path)));
}

#[test]
fn screening_needs_the_weak_feature() {
    // Strict screens every key: without `weak`, nothing passes it...
    let mut v = Checker::new(policy::STRICT);
    assert_eq!(listing(&mut v, "valid/ed25519.pub"), Err("policy.feature_missing"));
    // ...and strict without screening is every other strict rule.
    let mut v = Checker::new(Policy {
        screening: Screening::OFF,
        ..policy::STRICT
    });
    assert_eq!(listing(&mut v, "valid/ed25519.pub"), Ok(recorded("valid/ed25519.pub")));
    assert_eq!(listing(&mut v, "valid/rsa-1024.pub"), Err("rsa.too_small"));
}

#[test]
fn private_key_files_need_the_convert_feature() {
    let key = corpus("convert/private-test-keys/ed25519");
    let mut v = Checker::new(policy::OPENSSH);
    let mut codes = Vec::new();
    stream::listing(&key[..], Source::File("ed25519"), &mut v, |e| {
        if let Event::Invalid { error, .. } = e {
            codes.push(error.code());
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(codes, ["policy.feature_missing"]);
}

#[test]
fn uploads_are_vetted_and_other_formats_need_the_convert_feature() {
    let ed = corpus("valid/ed25519.pub");
    let ok = keyvet::vet::vet(&ed, &policy::OPENSSH).unwrap();
    assert_eq!(ok.line.as_bytes(), ed.trim_ascii_end());
    let private = corpus("convert/private-test-keys/ed25519");
    assert_eq!(
        keyvet::vet::vet(&private, &policy::OPENSSH).unwrap_err().code(),
        "upload.private_key"
    );
    let pem = corpus("convert/public/ecdsa256.spki.pem");
    assert_eq!(
        keyvet::vet::vet(&pem, &policy::OPENSSH).unwrap_err().code(),
        "policy.feature_missing"
    );
}
