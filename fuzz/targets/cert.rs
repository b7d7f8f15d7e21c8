//! The certificate entry point: a blob decoded as a certificate under both
//! policies, then "may this certificate log in here, now"
//! (`login::check`) with request fields taken from the input.
//!
//! Input: an 8-byte header choosing the request, then the blob (the seeds
//! are corpus certificates behind a header; see fuzz/seed.sh).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use keyvet::login::{self, Refusal, Request, TrustedCa};
use keyvet::{CertType, Checker, HashAlg, Key, policy};

const HEADER: usize = 8;

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    if data.len() < HEADER {
        return;
    }
    let (h, blob) = data.split_at(HEADER);
    let parsed = Key::parse(blob);
    let openssh = Checker::new(policy::OPENSSH).check_blob(blob);
    let strict = Checker::new(policy::STRICT).check_blob(blob);
    // strict only adds rules to openssh's (README, "Policies").
    if strict.is_ok() {
        assert!(
            openssh.is_ok(),
            "strict accepts what openssh refuses: {:?}",
            openssh.err()
        );
    }
    if openssh.is_ok() {
        assert!(parsed.is_ok());
    }
    if let Ok(k) = &openssh {
        let _ = (k.public_key().fingerprint(HashAlg::Sha256), k.bits());
    }
    let Ok(Key::Cert(cert)) = parsed else { return };

    // Everything a certificate shows, read once.
    let _ = (
        cert.principals().iter().count(),
        cert.serial(),
        cert.key_id(),
        cert.signature().data(),
    );
    for o in cert.critical_options().iter().chain(cert.extensions().iter()) {
        let _ = o.value();
    }

    let ca_key = cert.signature_key();
    let ca = ca_key.key();
    let ca_fp = ca.fingerprint(HashAlg::Sha256);
    let mut ca_blob = Vec::new();
    ca.write_canonical(&mut ca_blob);
    let other_fp = cert.key().fingerprint(HashAlg::Sha256);

    let bits = h[0];
    let cert_type = if bits & 1 == 0 { CertType::User } else { CertType::Host };
    let first_principal = cert
        .principals()
        .iter()
        .next()
        .and_then(|p| std::str::from_utf8(keyvet::wire::strip_trailing_nul(p)).ok());
    let principal = match (bits >> 1) & 3 {
        0 => None,
        1 => first_principal,
        2 => Some("root"),
        _ => std::str::from_utf8(&h[2..]).ok(),
    };
    let trusted_fp = [TrustedCa::Fingerprint(ca_fp)];
    let trusted_key = [TrustedCa::Key(&ca_blob)];
    let trusted_other = [TrustedCa::Fingerprint(other_fp)];
    let trusted: &[TrustedCa<'_>] = match (bits >> 3) & 3 {
        0 => &[],
        1 => &trusted_fp,
        2 => &trusted_key,
        _ => &trusted_other,
    };
    let client_address = match (bits >> 5) & 3 {
        0 => None,
        1 => Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        2 => Some(IpAddr::V4(Ipv4Addr::new(h[2], h[3], h[4], h[5]))),
        _ => Some(IpAddr::V6(Ipv6Addr::new(
            0x2001,
            0xdb8,
            0,
            0,
            0,
            0,
            u16::from_be_bytes([h[2], h[3]]),
            u16::from_be_bytes([h[4], h[5]]),
        ))),
    };
    let arbitrary = u64::from_be_bytes([0, 0, h[2], h[3], h[4], h[5], h[6], h[7]]);
    let now = match h[1] % 6 {
        0 => cert.valid_after().wrapping_sub(1),
        1 => cert.valid_after(),
        2 => cert.valid_before().wrapping_sub(1),
        3 => cert.valid_before(),
        4 => arbitrary,
        _ => u64::MAX - u64::from(h[7]),
    };
    let req = Request {
        now,
        cert_type,
        principal,
        trusted,
        client_address,
        require_principals: bits & 0x80 != 0,
    };
    let refusals: Vec<Refusal> = match login::check(&cert, &req) {
        Ok(()) => Vec::new(),
        Err(r) => {
            assert!(!r.is_empty());
            r.iter().collect()
        }
    };
    for r in &refusals {
        let _ = (r.id(), r.message(), r.to_string());
    }
    let has = |x: Refusal| refusals.contains(&x);
    // The reasons that follow from the request alone.
    assert_eq!(has(Refusal::NotYetValid), now < cert.valid_after(), "{refusals:?}");
    assert_eq!(has(Refusal::Expired), now >= cert.valid_before(), "{refusals:?}");
    assert_eq!(has(Refusal::WrongType), cert.cert_type() != cert_type, "{refusals:?}");
    let is_trusted = match (bits >> 3) & 3 {
        1 | 2 => true,
        0 => false,
        // The certified key may be its own CA.
        _ => other_fp == ca_fp,
    };
    assert_eq!(has(Refusal::CaUntrusted), !is_trusted, "{refusals:?}");
    assert_eq!(
        has(Refusal::NoPrincipals),
        req.require_principals && cert.principals().is_empty(),
        "{refusals:?}"
    );
    if principal.is_none() || cert.principals().is_empty() {
        assert!(!has(Refusal::PrincipalNotListed), "{refusals:?}");
    }
    if principal.is_some() && principal == first_principal {
        assert!(!has(Refusal::PrincipalNotListed), "{refusals:?}");
    }
    // No duplicates; at most one of each.
    let mut sorted: Vec<&str> = refusals.iter().map(|r| r.id()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), refusals.len(), "{refusals:?}");
    // Host certificates: any critical option is refused, and no
    // user-certificate option reason is given.
    if cert.cert_type() == CertType::Host {
        assert_eq!(
            has(Refusal::UnknownCriticalOption),
            !cert.critical_options().is_empty(),
            "{refusals:?}"
        );
        assert!(!has(Refusal::ForceCommandMalformed) && !has(Refusal::SourceAddressMalformed));
    }
    if client_address.is_none() {
        assert!(!has(Refusal::SourceAddressDenied));
    }
}
