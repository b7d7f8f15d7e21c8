//! "May this certificate log in here, now?" against `corpus/certcheck`:
//! certificates made with `ssh-keygen -s` (`-V`, `-n`, `-O`, `-h`) and a few
//! crafted ones, with OpenSSH 9.2's answer for each question (replayed
//! against a real sshd and ssh by `corpus/certcheck/check-sshd.py`).

mod common;

use std::collections::BTreeSet;

use common::{Tsv, corpus_root};
use keyvet::login::{self, Refusal, Request, TrustedCa};
use keyvet::{CertType, Checker, Key, policy};

fn read_key(file: &str, v: &mut Checker) -> Result<Vec<u8>, keyvet::Error> {
    let text = std::fs::read(corpus_root().join("certcheck").join(file)).unwrap();
    v.check_line(&text).map(|c| c.key().raw().to_vec())
}

#[test]
fn every_question_gets_openssh_answer() {
    let t = Tsv::read(&corpus_root().join("certcheck/MANIFEST.tsv"));
    let col = |n: &str| t.col(n);
    let (path, ty, principal, now, ca, expected) = (
        col("path"),
        col("type_checked"),
        col("principal"),
        col("now"),
        col("ca"),
        col("expected"),
    );
    let mut reasons_seen = BTreeSet::new();
    let mut strict = Checker::new(policy::STRICT);
    // The openssh policy parses like OpenSSH (verifying the CA signature);
    // the strict one also refuses a certificate whose options repeat.
    let mut openssh = Checker::new(policy::OPENSSH);
    for r in &t.rows {
        let blob = read_key(&r[path], &mut openssh).unwrap_or_else(|e| panic!("{}: {e}", r[path]));
        match read_key(&r[path], &mut strict) {
            Ok(_) => assert_ne!(r[path], "fc-twice-cert.pub"),
            Err(e) => {
                assert_eq!(r[path], "fc-twice-cert.pub", "strict refuses {}: {e}", r[path]);
                assert_eq!(e.code(), "cert.critical_options.duplicate");
            }
        }
        let ca_blob = read_key(&r[ca], &mut openssh).unwrap();
        let Key::Cert(cert) = Key::parse(&blob).unwrap() else {
            panic!("{} is not a certificate", r[path])
        };
        let cert_type = match r[ty].as_str() {
            "user" => CertType::User,
            "host" => CertType::Host,
            other => panic!("type {other}"),
        };
        // Trust by key and by fingerprint: the same answer.
        let ca_fp = Key::parse(&ca_blob)
            .unwrap()
            .public_key()
            .fingerprint(keyvet::HashAlg::Sha256);
        for trusted in [[TrustedCa::Key(&ca_blob)], [TrustedCa::Fingerprint(ca_fp)]] {
            let req = Request {
                now: r[now].parse().unwrap(),
                cert_type,
                principal: Some(&r[principal]),
                trusted: &trusted,
                client_address: None,
                // sshd's TrustedUserCAKeys path requires principals; ssh's
                // host check does not.
                require_principals: cert_type == CertType::User,
            };
            let got = match login::check(&cert, &req) {
                Ok(()) => "ok".to_owned(),
                Err(refusals) => {
                    let first = refusals.iter().next().unwrap();
                    reasons_seen.insert(first.id());
                    first.id().to_owned()
                }
            };
            assert_eq!(
                got, r[expected],
                "{} as {} {} at {}",
                r[path], r[ty], r[principal], r[now]
            );
        }
    }
    // Every reason of the issue is exercised by a real certificate.
    for reason in [
        Refusal::NotYetValid,
        Refusal::Expired,
        Refusal::PrincipalNotListed,
        Refusal::NoPrincipals,
        Refusal::WrongType,
        Refusal::UnknownCriticalOption,
        Refusal::ForceCommandMalformed,
        Refusal::SourceAddressMalformed,
        Refusal::CaUntrusted,
    ] {
        assert!(reasons_seen.contains(reason.id()), "no row answers {}", reason.id());
    }
}

/// A certificate with several faults lists them all, in OpenSSH's order.
#[test]
fn every_reason_is_listed_in_order() {
    let mut v = Checker::new(policy::OPENSSH);
    let blob = read_key("user-other-ca-expired-cert.pub", &mut v).unwrap();
    let ca = read_key("user-ca.pub", &mut v).unwrap();
    let Key::Cert(cert) = Key::parse(&blob).unwrap() else {
        unreachable!()
    };
    let req = Request {
        now: 1_767_225_600,
        cert_type: CertType::Host,
        principal: Some("mallory"),
        trusted: &[TrustedCa::Key(&ca)],
        client_address: None,
        require_principals: true,
    };
    let ids: Vec<&str> = login::check(&cert, &req).unwrap_err().iter().map(Refusal::id).collect();
    assert_eq!(
        ids,
        ["cert.ca.untrusted", "cert.type", "cert.expired", "cert.principal"]
    );
}

/// `source-address` with a client address: inside the list is fine, outside
/// is refused; without an address only the syntax is checked.
#[test]
fn source_address_against_the_client() {
    let mut v = Checker::new(policy::OPENSSH);
    let blob = read_key("user-source-address-cert.pub", &mut v).unwrap();
    let ca = read_key("user-ca.pub", &mut v).unwrap();
    let Key::Cert(cert) = Key::parse(&blob).unwrap() else {
        unreachable!()
    };
    let trusted = [TrustedCa::Key(&ca)];
    let req = |addr: &str| Request {
        now: 1_767_225_600,
        cert_type: CertType::User,
        principal: Some("alice"),
        trusted: &trusted,
        client_address: Some(addr.parse().unwrap()),
        require_principals: true,
    };
    for inside in ["10.1.2.3", "127.0.0.1", "::1"] {
        assert_eq!(login::check(&cert, &req(inside)), Ok(()), "{inside}");
    }
    for outside in ["11.0.0.1", "192.168.1.1", "::2"] {
        let ids: Vec<&str> = login::check(&cert, &req(outside))
            .unwrap_err()
            .iter()
            .map(Refusal::id)
            .collect();
        assert_eq!(ids, ["cert.source_address.denied"], "{outside}");
    }
}

/// Certificate lists out of order, which OpenSSH and its peers accept and
/// real signers made: a warning under strict, with the check's id; a list
/// that repeats a name, in order or not, is still refused.
#[test]
fn unsorted_lists_warn_and_repeats_refuse() {
    use keyvet::screening::{Check, Severity};
    let root = corpus_root().join("cases");
    for (file, check) in [
        ("cert-extensions-unsorted.pub", Check::CertExtensionsUnsorted),
        ("cert-critical-unsorted.pub", Check::CertCriticalOptionsUnsorted),
    ] {
        let line = std::fs::read(root.join(file)).unwrap();
        let mut v = keyvet::Checker::new(keyvet::policy::STRICT);
        let c = v.check_line(&line).unwrap_or_else(|e| panic!("{file}: {e}"));
        let found: Vec<_> = c.findings().iter().map(|f| (f.check, f.severity)).collect();
        assert_eq!(found, [(check, Severity::Warning)], "{file}");
        // OpenSSH's verdict has no such finding.
        let mut o = keyvet::Checker::new(keyvet::policy::OPENSSH);
        assert!(o.check_line(&line).unwrap().findings().is_empty());
    }
    for file in ["cert-extensions-duplicate.pub", "cert-critical-duplicate.pub"] {
        let line = std::fs::read(root.join(file)).unwrap();
        let mut v = keyvet::Checker::new(keyvet::policy::STRICT);
        assert!(
            v.check_line(&line).unwrap_err().code().ends_with(".duplicate"),
            "{file}"
        );
    }
}
