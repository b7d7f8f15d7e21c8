//! keyvet against `corpus/`: keys made with ssh-keygen and hand-made cases,
//! each with its expected verdict under both policies (corpus/MANIFEST.tsv)
//! and ssh-keygen's recorded output (`FILE.sha256`, `FILE.md5`).

mod common;

use std::collections::BTreeSet;

use common::{Tsv, check_codes, corpus_root, keygen_output};
use keyvet::stream::Source;
use keyvet::{HashAlg, Policy, policy};

/// Files whose recorded ssh-keygen output keyvet deliberately does not
/// reproduce, with the reason.
const KEYGEN_OUTPUT_DIVERGES: &[(&str, &str)] = &[(
    "cases/keygen-comment-carryover.pub",
    "ssh-keygen 9.2's do_fingerprint never resets its comment pointer between lines: a key without a comment \
     after a line whose host/options field was shown as its comment prints stale text from ssh-keygen's \
     reused line buffer (freed memory once the buffer grows); keyvet prints `no comment`",
)];

/// Files ssh-keygen rejects for reasons that are not about the key: sshd
/// accepts these lines in an authorized_keys file.
const KEYGEN_REJECTS_FILE: &[(&str, &str)] = &[(
    "cases/keygen-private-key-in-options.pub",
    "\"PRIVATE KEY\" on the first line makes ssh-keygen -l read the file as a private key file, where \
     option lines are not keys; as an authorized_keys line it is valid",
)];

fn verdict(input: &[u8], p: Policy) -> String {
    let codes = check_codes(input, p);
    match codes.iter().find_map(|r| r.err()) {
        Some(code) => code.to_string(),
        None => "valid".to_string(),
    }
}

#[test]
fn manifest_verdicts_and_fingerprints() {
    let root = corpus_root();
    let m = Tsv::read(&root.join("MANIFEST.tsv"));
    let (c_path, c_openssh, c_strict, c_keygen) = (m.col("path"), m.col("openssh"), m.col("strict"), m.col("keygen"));
    let mut bad = Vec::new();
    let mut codes_seen = BTreeSet::new();
    let mut keygen_ok = 0;
    let mut diverged = BTreeSet::new();
    for r in &m.rows {
        let path = root.join(&r[c_path]);
        let input = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (p, want) in [(policy::OPENSSH, &r[c_openssh]), (policy::STRICT, &r[c_strict])] {
            let got = verdict(&input, p);
            if &got != want {
                bad.push(format!("{} --policy {}: want {want}, got {got}", r[c_path], p.name));
            }
            codes_seen.insert(want.clone());
        }
        // OpenSSH's verdict and the openssh policy's agree (options and
        // comments are not ssh-keygen's business; the notes column says so).
        let (ok, sha) = keygen_output(&input, Source::File(&r[c_path]), policy::OPENSSH, HashAlg::Sha256);
        match r[c_keygen].as_str() {
            "ok" => {
                keygen_ok += 1;
                let (_, md5) = keygen_output(&input, Source::File(&r[c_path]), policy::OPENSSH, HashAlg::Md5);
                for (alg, lines) in [("sha256", sha), ("md5", md5)] {
                    let want = std::fs::read_to_string(root.join(format!("{}.{alg}", r[c_path])))
                        .unwrap_or_else(|e| panic!("{}.{alg}: {e}", r[c_path]));
                    let got: String = lines.iter().map(|l| format!("{l}\n")).collect();
                    if got == want {
                        continue;
                    }
                    if KEYGEN_OUTPUT_DIVERGES.iter().any(|(p, _)| *p == r[c_path]) {
                        diverged.insert(r[c_path].clone());
                    } else {
                        bad.push(format!(
                            "{} -E {alg}:\n  ssh-keygen: {want:?}\n  keyvet:     {got:?}",
                            r[c_path]
                        ));
                    }
                }
            }
            "rejected" => {
                if ok {
                    bad.push(format!("{}: ssh-keygen rejects it, keyvet fingerprints it", r[c_path]));
                }
                // Nothing OpenSSH rejects is accepted by either policy.
                let file_quirk = KEYGEN_REJECTS_FILE.iter().any(|(p, _)| *p == r[c_path]);
                for p in [policy::OPENSSH, policy::STRICT].into_iter().filter(|_| !file_quirk) {
                    if verdict(&input, p) == "valid" {
                        bad.push(format!(
                            "{}: ssh-keygen rejects it, --policy {} accepts it",
                            r[c_path], p.name
                        ));
                    }
                }
            }
            other => bad.push(format!("{}: bad keygen column {other:?}", r[c_path])),
        }
    }
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
    let listed: BTreeSet<String> = KEYGEN_OUTPUT_DIVERGES.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(diverged, listed, "every listed divergence must occur");
    assert!(keygen_ok >= 40, "only {keygen_ok} files with ssh-keygen output");
    assert!(
        codes_seen.len() >= 60,
        "only {} distinct expected codes: {codes_seen:?}",
        codes_seen.len()
    );
}

/// Legacy v00 certificates decode, verify and fingerprint as their key
/// under a policy that allows them (the cloud APIs still list them).
#[test]
fn v00_certificates_under_a_policy_that_allows_them() {
    use keyvet::{AlgorithmSet, Checker, Key};
    let root = corpus_root().join("v00");
    let allow_all = keyvet::Policy {
        algorithms: AlgorithmSet::ALL,
        ..policy::OPENSSH
    };
    for (cert, plain) in [("rsa-cert-v00.pub", "rsa.pub"), ("dsa-cert-v00.pub", "dsa.pub")] {
        let line = std::fs::read(root.join(cert)).unwrap();
        let mut v = Checker::new(allow_all);
        let c = v.check_line(&line).unwrap_or_else(|e| panic!("{cert}: {e}"));
        let Key::Cert(k) = c.key() else {
            panic!("{cert}: not a certificate")
        };
        assert_eq!(k.version(), keyvet::CertVersion::V00);
        assert_eq!(k.serial(), None);
        assert!(k.extensions().is_empty());
        for (alg, ext) in [(HashAlg::Sha256, "sha256"), (HashAlg::Md5, "md5")] {
            let want = std::fs::read_to_string(root.join(format!("{plain}.{ext}"))).unwrap();
            let got = c.listing_line(alg).to_string();
            // The plain key's ssh-keygen line, with the certificate's type.
            let want = want
                .trim_end()
                .replace(" (RSA)", " (RSA-CERT-V00)")
                .replace(" (DSA)", " (DSA-CERT-V00)");
            assert_eq!(got, want, "{cert}");
        }
        // A flipped bit in the signed part breaks the signature.
        let mut blob = Vec::new();
        keyvet::decode_base64(c.line().base64(), &mut blob, 1 << 20).unwrap();
        let last_signed = k.signed_data().len() - 1;
        blob[last_signed - 8] ^= 1;
        assert!(v.check_blob(&blob).is_err(), "{cert}: altered certificate accepted");
    }
}
