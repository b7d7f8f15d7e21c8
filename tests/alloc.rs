//! Validating a line allocates nothing once the validator's buffer is warm.
//!
//! A counting global allocator counts every allocation made while a flag is
//! set. This file holds a single test so no other test allocates meanwhile.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use keyvet::weak::Screening;
use keyvet::{Checker, HashAlg, Key, KeyData, Policy, policy};

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: forwarding the caller's contract to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarding the caller's contract to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: forwarding the caller's contract to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Does checking this line verify an RSA or DSA CA signature? Those run in
/// the `rsa` and `dsa` crates, which allocate big integers.
fn rsa_or_dsa_signed(v: &mut Checker, line: &[u8]) -> bool {
    match v.check_line(line).map(|c| *c.key()) {
        Ok(Key::Cert(c)) => matches!(c.signature_key().key().data(), KeyData::Rsa(_) | KeyData::Dsa(_)),
        _ => false,
    }
}

fn count(v: &mut Checker, lines: &[Vec<u8>]) -> (usize, usize) {
    let mut valid = 0;
    ALLOCS.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    for l in lines {
        if let Ok(c) = v.check_line(l) {
            // Fingerprints and bits are part of the work.
            let (a, b) = (c.fingerprint(HashAlg::Sha256), c.fingerprint(HashAlg::Md5));
            std::hint::black_box((a, b, c.bits()));
            valid += 1;
        }
    }
    COUNTING.store(false, Ordering::SeqCst);
    (ALLOCS.load(Ordering::SeqCst), valid)
}

#[test]
fn no_allocation_after_warm_up() {
    let root = common::conformance_root();
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for dir in [
        "openssh-portable/sshkey",
        "openssh-portable/fuzz-harness",
        "dnaeon-rust-sshkeys",
        "golang-crypto/SSHCertificates",
        "golang-crypto/SKData",
    ] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "pub") {
                let bytes = std::fs::read(&p).unwrap();
                lines.extend(
                    bytes
                        .split(|&b| b == b'\n')
                        .filter(|l| !l.is_empty())
                        .map(<[u8]>::to_vec),
                );
            }
        }
    }
    // Invalid lines too: errors are plain values.
    lines.push(b"ssh-ed25519 AAAA!AAA".to_vec());
    lines.push(b"-----BEGIN OPENSSH PRIVATE KEY-----".to_vec());
    lines.push(b"ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy".to_vec());
    lines.push(b"from=\"x\",bogus ssh-ed25519 AAAA".to_vec());

    // The structural path and fingerprints, under both presets, with
    // weak-key screening off.
    for p in [
        policy::OPENSSH,
        Policy {
            screening: Screening::OFF,
            ..policy::STRICT
        },
    ] {
        let mut v = Checker::new(p);
        let (plain, rsa_signed): (Vec<_>, Vec<_>) = lines.iter().cloned().partition(|l| !rsa_or_dsa_signed(&mut v, l));
        // Warm up, then count.
        count(&mut v, &plain);
        let (allocs, valid) = count(&mut v, &plain);
        assert!(valid >= 20, "{}: only {valid} valid lines", p.name);
        assert_eq!(allocs, 0, "{}: {allocs} allocations over {} lines", p.name, plain.len());

        // RSA/DSA-signed certificates: everything but the signature check in
        // the rsa/dsa crates is allocation-free too.
        let mut nosig = Checker::new(Policy {
            verify_signatures: false,
            ..p
        });
        count(&mut nosig, &rsa_signed);
        let (allocs, _) = count(&mut nosig, &rsa_signed);
        assert_eq!(
            allocs, 0,
            "{}: RSA/DSA-signed certificates without the signature check",
            p.name
        );
    }

    // The strict preset with its weak-key screening: allocation-free for
    // every key but RSA and DSA ones (and certificates signed by them),
    // whose checks use num-bigint; those allocate a bounded amount.
    // These are published test keys, which strict refuses (weak.published):
    // the counts of valid lines are taken without that check, and the
    // lookup in the built-in list is counted on its own after.
    let mut own = policy::STRICT;
    own.screening.checks = own.screening.checks.without(keyvet::screening::Check::Published);
    let mut v = Checker::new(own);
    let (curves, bignum): (Vec<_>, Vec<_>) = lines.iter().cloned().partition(|l| !uses_bignum(&mut v, l));
    count(&mut v, &curves);
    let (allocs, valid) = count(&mut v, &curves);
    assert!(valid >= 10, "strict: only {valid} valid non-RSA lines");
    assert_eq!(allocs, 0, "strict with screening, non-RSA keys: {allocs} allocations");
    let mut full = Checker::new(policy::STRICT);
    count(&mut full, &curves);
    let (allocs, valid_full) = count(&mut full, &curves);
    assert!(valid_full < valid, "the built-in list refuses some of these test keys");
    assert_eq!(allocs, 0, "strict with the built-in list: {allocs} allocations");
    count(&mut v, &bignum);
    let (allocs, _) = count(&mut v, &bignum);
    let per_key = allocs / bignum.len().max(1);
    eprintln!(
        "strict RSA/DSA screening: {allocs} allocations over {} lines ({per_key} per line)",
        bignum.len()
    );
    assert!(per_key < 2000, "{per_key} allocations per RSA key");
}

/// Does checking this line under strict screen an RSA or DSA key (or verify
/// an RSA/DSA signature)?
/// Whether screening the line's key (accepted or not: a refused key that
/// parses is screened too) needs num-bigint.
fn uses_bignum(v: &mut Checker, line: &[u8]) -> bool {
    if let Ok(c) = v.check_line(line) {
        return has_bignum(*c.key());
    }
    let Ok(l) = keyvet::Line::parse(line) else { return false };
    let mut blob = Vec::new();
    if keyvet::decode_base64(l.base64(), &mut blob, 1 << 20).is_err() {
        return false;
    }
    Key::parse(&blob).is_ok_and(has_bignum)
}

fn has_bignum(key: Key<'_>) -> bool {
    let big = |d: &KeyData<'_>| matches!(d, KeyData::Rsa(_) | KeyData::Dsa(_));
    match key {
        Key::Plain(p) => big(p.key().data()),
        Key::Cert(c) => big(c.key().data()) || big(c.signature_key().key().data()),
    }
}
