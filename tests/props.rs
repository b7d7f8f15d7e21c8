//! Property tests: encode random well-formed keys and certificates, parse
//! them back; non-canonical encodings get the canonical fingerprint;
//! arbitrary input never panics; base64 decoding agrees with a naive port of
//! OpenSSH's `b64_pton`.

use base64::Engine;
use ed25519_dalek::Signer;
use keyvet::wire::Sink;
use keyvet::{Checker, Curve, HashAlg, Key, KeyData, KeyType, Policy, fingerprint, policy};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use proptest::prelude::*;

fn b64(blob: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(blob)
}

fn string(out: &mut Vec<u8>, s: &[u8]) {
    out.put_string(s);
}

/// A random odd RSA modulus of `bits` bits and exponent 65537.
fn rsa_blob(n: &[u8], e: &[u8], zeros_e: usize, zeros_n: usize) -> Vec<u8> {
    let mut b = Vec::new();
    string(&mut b, b"ssh-rsa");
    for (m, z) in [(e, zeros_e), (n, zeros_n)] {
        let mut v = vec![0u8; z];
        if m[0] & 0x80 != 0 {
            v.push(0);
        }
        v.extend_from_slice(m);
        string(&mut b, &v);
    }
    b
}

fn ec_point(curve: Curve, scalar: &[u8; 32]) -> Option<Vec<u8>> {
    Some(match curve {
        Curve::P256 => {
            let sk = p256::SecretKey::from_slice(scalar).ok()?;
            sk.public_key().to_encoded_point(false).as_bytes().to_vec()
        }
        Curve::P384 => {
            let mut s = [1u8; 48];
            s[16..].copy_from_slice(scalar);
            let sk = p384::SecretKey::from_slice(&s).ok()?;
            sk.public_key().to_encoded_point(false).as_bytes().to_vec()
        }
        _ => {
            let mut s = [0u8; 66];
            s[34..].copy_from_slice(scalar);
            let sk = p521::SecretKey::from_slice(&s).ok()?;
            sk.public_key().to_encoded_point(false).as_bytes().to_vec()
        }
    })
}

#[derive(Debug, Clone)]
enum Spec {
    Ed25519([u8; 32]),
    Rsa { n: Vec<u8>, zeros: (usize, usize) },
    Ecdsa(Curve, [u8; 32]),
    SkEd25519([u8; 32], Vec<u8>),
    SkEcdsa([u8; 32], Vec<u8>),
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        any::<[u8; 32]>().prop_map(Spec::Ed25519),
        (proptest::collection::vec(any::<u8>(), 128..=512), 0usize..3, 0usize..3).prop_map(|(mut n, a, b)| {
            n[0] |= 0x80;
            let last = n.len() - 1;
            n[last] |= 1;
            Spec::Rsa { n, zeros: (a, b) }
        }),
        (
            prop_oneof![Just(Curve::P256), Just(Curve::P384), Just(Curve::P521)],
            any::<[u8; 32]>()
        )
            .prop_map(|(c, s)| Spec::Ecdsa(c, s)),
        (any::<[u8; 32]>(), "ssh:[a-z]{0,12}").prop_map(|(k, a)| Spec::SkEd25519(k, a.into_bytes())),
        (any::<[u8; 32]>(), "ssh:[a-z]{0,12}").prop_map(|(k, a)| Spec::SkEcdsa(k, a.into_bytes())),
    ]
}

/// The blob for a spec, and the canonical blob (equal unless the spec asks
/// for non-canonical mpints).
fn encode(s: &Spec) -> Option<(KeyType, Vec<u8>, Vec<u8>)> {
    Some(match s {
        Spec::Ed25519(seed) => {
            let k = ed25519_dalek::SigningKey::from_bytes(seed).verifying_key().to_bytes();
            let mut b = Vec::new();
            string(&mut b, b"ssh-ed25519");
            string(&mut b, &k);
            (KeyType::Ed25519, b.clone(), b)
        }
        Spec::Rsa { n, zeros } => (
            KeyType::Rsa,
            rsa_blob(n, &[1, 0, 1], zeros.0, zeros.1),
            rsa_blob(n, &[1, 0, 1], 0, 0),
        ),
        Spec::Ecdsa(curve, scalar) => {
            let point = ec_point(*curve, scalar)?;
            let kt = match curve {
                Curve::P256 => KeyType::EcdsaP256,
                Curve::P384 => KeyType::EcdsaP384,
                _ => KeyType::EcdsaP521,
            };
            let mut b = Vec::new();
            string(&mut b, kt.name().as_bytes());
            string(&mut b, curve.name().as_bytes());
            string(&mut b, &point);
            (kt, b.clone(), b)
        }
        Spec::SkEd25519(seed, app) => {
            let k = ed25519_dalek::SigningKey::from_bytes(seed).verifying_key().to_bytes();
            let mut b = Vec::new();
            string(&mut b, KeyType::SkEd25519.name().as_bytes());
            string(&mut b, &k);
            string(&mut b, app);
            (KeyType::SkEd25519, b.clone(), b)
        }
        Spec::SkEcdsa(scalar, app) => {
            let point = ec_point(Curve::P256, scalar)?;
            let mut b = Vec::new();
            string(&mut b, KeyType::SkEcdsaP256.name().as_bytes());
            string(&mut b, b"nistp256");
            string(&mut b, &point);
            string(&mut b, app);
            (KeyType::SkEcdsaP256, b.clone(), b)
        }
    })
}

/// OpenSSH's policy without the RSA size floor our random moduli may miss
/// (they are random odd numbers, not real RSA keys, and >= 1024 bits).
const LOOSE: Policy = policy::OPENSSH;

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn keys_round_trip(s in spec()) {
        let Some((kt, blob, canonical)) = encode(&s) else { return Ok(()) };
        let line = format!("{} {} c", kt.name(), b64(&blob));
        let mut v = Checker::new(LOOSE);
        let c = v.check_line(line.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(c.algorithm().key_type(), kt);
        prop_assert_eq!(c.comment(), Some("c"));
        // The fingerprint is that of the canonical encoding.
        prop_assert_eq!(c.sha256(), fingerprint::of_bytes(&canonical, HashAlg::Sha256));
        prop_assert_eq!(c.md5(), fingerprint::of_bytes(&canonical, HashAlg::Md5));
        // Re-encoding the parsed key gives the canonical blob.
        let mut re = Vec::new();
        c.key().public_key().write_canonical(&mut re);
        prop_assert_eq!(&re, &canonical);
        match (c.key().public_key().data(), &s) {
            (KeyData::Rsa(r), Spec::Rsa { n, .. }) => {
                prop_assert_eq!(r.n.magnitude(), &n[..]);
                prop_assert_eq!(c.bits(), u32::try_from(n.len() * 8).unwrap());
            }
            (KeyData::Ed25519(k), Spec::Ed25519(seed)) => {
                prop_assert_eq!(*k.key, ed25519_dalek::SigningKey::from_bytes(seed).verifying_key().to_bytes())
            }
            (KeyData::SkEd25519(k), Spec::SkEd25519(_, app)) => prop_assert_eq!(k.application(), &app[..]),
            (KeyData::Ecdsa(_) | KeyData::SkEcdsa(_), _) => {}
            (d, s) => prop_assert!(false, "{d:?} for {s:?}"),
        }
        // Strict refuses exactly the non-canonical ones (the random RSA
        // moduli are odd and over 1024 bits; strict wants 2048). Weak-key
        // screening is off: random moduli have small factors.
        let structural = Policy { screening: keyvet::weak::Screening::OFF, ..policy::STRICT };
        let strict = Checker::new(structural).check_blob(&blob).map(|_| ()).map_err(|e| e.code());
        if blob != canonical {
            prop_assert_eq!(strict, Err("mpint.noncanonical"));
        } else if matches!(s, Spec::Rsa { ref n, .. } if n.len() * 8 < 2048) {
            prop_assert_eq!(strict, Err("rsa.too_small"));
        } else {
            prop_assert_eq!(strict, Ok(()));
        }
    }

    /// Certificates with random fields, signed by a random Ed25519 CA,
    /// decode field for field and verify.
    #[test]
    fn certificates_round_trip(
        ca_seed in any::<[u8; 32]>(),
        key in any::<[u8; 32]>(),
        serial in any::<u64>(),
        host in any::<bool>(),
        principals in proptest::collection::vec("[a-z0-9._-]{1,16}", 0..20),
        after in any::<u32>(),
        span in 1u32..u32::MAX,
        id in "[ -~]{0,40}",
    ) {
        let ca = ed25519_dalek::SigningKey::from_bytes(&ca_seed);
        let mut b = Vec::new();
        string(&mut b, b"ssh-ed25519-cert-v01@openssh.com");
        string(&mut b, &[7u8; 32]);
        let key = ed25519_dalek::SigningKey::from_bytes(&key).verifying_key().to_bytes();
        string(&mut b, &key);
        b.put_u64(serial);
        b.put_u32(if host { 2 } else { 1 });
        string(&mut b, id.as_bytes());
        let mut p = Vec::new();
        for s in &principals {
            string(&mut p, s.as_bytes());
        }
        string(&mut b, &p);
        b.put_u64(u64::from(after));
        b.put_u64(u64::from(after) + u64::from(span));
        string(&mut b, b"");
        let mut ext = Vec::new();
        for name in ["permit-pty", "permit-user-rc"] {
            string(&mut ext, name.as_bytes());
            string(&mut ext, b"");
        }
        string(&mut b, &ext);
        string(&mut b, b"");
        let mut cab = Vec::new();
        string(&mut cab, b"ssh-ed25519");
        string(&mut cab, ca.verifying_key().as_bytes());
        string(&mut b, &cab);
        let sig = ca.sign(&b);
        let mut sb = Vec::new();
        string(&mut sb, b"ssh-ed25519");
        string(&mut sb, &sig.to_bytes());
        string(&mut b, &sb);

        let line = format!("ssh-ed25519-cert-v01@openssh.com {}", b64(&b));
        let mut v = Checker::new(policy::STRICT);
        let c = v.check_line(line.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let Key::Cert(cert) = c.key() else { return Err(TestCaseError::fail("not a cert")) };
        prop_assert_eq!(cert.serial(), Some(serial));
        prop_assert_eq!(cert.cert_type().value(), if host { 2 } else { 1 });
        prop_assert_eq!(cert.key_id(), id.as_bytes());
        let got: Vec<&[u8]> = cert.principals().iter().collect();
        let want: Vec<&[u8]> = principals.iter().map(|s| s.as_bytes()).collect();
        prop_assert_eq!(got, want);
        prop_assert_eq!(cert.valid_after(), u64::from(after));
        prop_assert_eq!(cert.extensions().iter().count(), 2);
        // A certificate's fingerprint is its key's.
        let mut plain = Vec::new();
        string(&mut plain, b"ssh-ed25519");
        string(&mut plain, &key);
        prop_assert_eq!(c.sha256(), fingerprint::of_bytes(&plain, HashAlg::Sha256));

        // Any single flipped byte in the signed part breaks the signature
        // (or the structure).
        let signed_len = cert.signed_data().len();
        let mut bad = b.clone();
        let i = usize::try_from(serial % u64::try_from(signed_len).unwrap()).unwrap();
        bad[i] ^= 1;
        let bad_line = format!("ssh-ed25519-cert-v01@openssh.com {}", b64(&bad));
        prop_assert!(Checker::new(policy::OPENSSH).check_line(bad_line.as_bytes()).is_err());
    }

    #[test]
    fn arbitrary_lines_never_panic(line in proptest::collection::vec(any::<u8>(), 0..600)) {
        for p in [policy::OPENSSH, policy::STRICT] {
            let mut v = Checker::new(p);
            let _ = v.check_line(&line).map(|c| (c.sha256(), c.bits()));
            let _ = v.check_listing_line(&line).map(|c| c.listing_line(HashAlg::Md5).to_string());
        }
    }

    #[test]
    fn arbitrary_blobs_never_panic(blob in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Key::parse(&blob).map(|k| k.public_key().fingerprint(HashAlg::Sha256));
        let _ = Checker::new(policy::OPENSSH).check_blob(&blob);
    }

    /// Mutating one byte of a valid blob never panics, whatever it hits.
    #[test]
    fn mutated_blobs_never_panic(s in spec(), at in any::<usize>(), to in any::<u8>()) {
        let Some((_, mut blob, _)) = encode(&s) else { return Ok(()) };
        let i = at % blob.len();
        blob[i] = to;
        let _ = Checker::new(policy::OPENSSH).check_blob(&blob);
        let _ = Checker::new(policy::STRICT).check_blob(&blob);
    }

    #[test]
    fn arbitrary_options_never_panic(o in "[a-z=\",\\\\ -]{0,60}") {
        let _ = keyvet::line::Options::parse(o.as_bytes(), false).map(|o| o.iter().count());
    }

    /// keyvet's base64 decoder accepts exactly what OpenSSH's b64_pton
    /// accepts (on whitespace-free input) and decodes it the same.
    #[test]
    fn base64_matches_b64_pton(s in "[A-Za-z0-9+/=!]{0,24}") {
        let mut out = Vec::new();
        let ours = keyvet::decode_base64(&s, &mut out, 1 << 20).map(|()| out.clone()).ok();
        prop_assert_eq!(ours, b64_pton(s.as_bytes()), "{}", s);
    }

    /// The same on long inputs, where the SIMD decoder's vector paths run:
    /// a valid encoding of up to 1,200 bytes with one byte replaced (or
    /// none), decoded with a reused buffer.
    #[test]
    fn long_base64_matches_b64_pton(
        raw in prop::collection::vec(any::<u8>(), 0..1200),
        at in any::<prop::sample::Index>(),
        with in prop::sample::select(b"A/+=!\x80a\n".to_vec()),
        mutate in any::<bool>(),
        prefill in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut s = b64(&raw).into_bytes();
        if mutate && !s.is_empty() {
            let i = at.index(s.len());
            s[i] = with;
        }
        let s = String::from_utf8_lossy(&s).into_owned();
        let mut out = prefill;
        let ours = keyvet::decode_base64(&s, &mut out, 1 << 20).map(|()| out.clone()).ok();
        prop_assert_eq!(&ours, &b64_pton(s.as_bytes()));
        if !mutate {
            prop_assert_eq!(ours, Some(raw));
        }
    }
}

/// A naive port of the semantics of OpenBSD's `b64_pton` (no whitespace in
/// the input).
fn b64_pton(src: &[u8]) -> Option<Vec<u8>> {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out: Vec<u8> = Vec::new();
    let mut state = 0;
    let mut i = 0;
    while i < src.len() && src[i] != b'=' {
        let v = u8::try_from(ALPHA.iter().position(|&a| a == src[i])?).ok()?;
        match state {
            0 => out.push(v << 2),
            1 => {
                *out.last_mut()? |= v >> 4;
                out.push((v & 0x0f) << 4);
            }
            2 => {
                *out.last_mut()? |= v >> 2;
                out.push((v & 0x03) << 6);
            }
            _ => *out.last_mut()? |= v,
        }
        state = (state + 1) % 4;
        i += 1;
    }
    if i < src.len() {
        // A pad character.
        match state {
            0 | 1 => return None,
            2 => {
                if src.get(i + 1) != Some(&b'=') {
                    return None;
                }
                i += 2;
            }
            _ => i += 1,
        }
        if i != src.len() {
            return None;
        }
        // The slop bits after the last full byte must be zero.
        if out.pop()? != 0 {
            return None;
        }
        return Some(out);
    }
    if state != 0 {
        return None;
    }
    Some(out)
}

#[test]
fn b64_pton_port_sanity() {
    assert_eq!(b64_pton(b"AAAA"), Some(vec![0, 0, 0]));
    assert_eq!(b64_pton(b"AA=="), Some(vec![0]));
    assert_eq!(b64_pton(b"AB=="), None);
    assert_eq!(b64_pton(b"AAA"), None);
    assert_eq!(b64_pton(b"AAAA="), None);
    assert_eq!(b64_pton(b""), Some(vec![]));
}
