//! `convert::to_openssh` and the private-key step of `stream::keygen`
//! against `corpus/convert/` (every key type in every form, with
//! ssh-keygen's recorded output), plus malformed inputs that must give typed
//! errors, and arbitrary inputs that must not panic.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use base64::Engine;
use common::{Tsv, corpus_root};
use keyvet::convert::{self, Format};
use keyvet::stream::{self, Event, Source};
use keyvet::{Checker, HashAlg, policy};
use proptest::prelude::*;

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn unb64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(text).unwrap()
}

/// What keyvet's `ssh-keygen -l` emulation prints for a file (joined with
/// ` | `, as the MANIFEST records it), and the codes of the lines it
/// reports as invalid.
fn keygen(bytes: &[u8], name: &str) -> (Option<String>, Vec<&'static str>) {
    let mut v = Checker::new(policy::OPENSSH);
    let mut lines = Vec::new();
    let mut codes = Vec::new();
    let s = stream::listing(bytes, Source::File(name), &mut v, |e| {
        match e {
            Event::Key { checked, comment, .. } => {
                lines.push(checked.listing_line_with(HashAlg::Sha256, comment).to_string());
            }
            Event::Invalid { error, .. } => codes.push(error.code()),
            _ => {}
        }
        Ok(())
    })
    .unwrap();
    ((s.valid > 0).then(|| lines.join(" | ")), codes)
}

fn format_by_name(name: &str) -> Format {
    [
        Format::OpenSsh,
        Format::Rfc4716,
        Format::PemPublicKey,
        Format::PemRsaPublicKey,
        Format::OpenSshPrivateKey,
        Format::PemRsaPrivateKey,
        Format::PemDsaPrivateKey,
        Format::PemEcPrivateKey,
        Format::Pkcs8PrivateKey,
        Format::PuttyPrivateKey,
    ]
    .into_iter()
    .find(|f| f.name() == name)
    .unwrap_or_else(|| panic!("unknown format {name}"))
}

#[test]
fn corpus_files_convert_as_the_oracle_says() {
    let root = corpus_root().join("convert");
    let m = Tsv::read(&root.join("MANIFEST.tsv"));
    let (c_path, c_format, c_expect, c_line, c_comment) = (
        m.col("path"),
        m.col("format"),
        m.col("expect"),
        m.col("line"),
        m.col("comment"),
    );
    let (c_keygen, c_kerr) = (m.col("keygen"), m.col("keygen_error"));
    let mut bad = Vec::new();
    let mut formats = BTreeSet::new();
    let mut keygen_ok = 0;
    for r in &m.rows {
        let path = root.join(&r[c_path]);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got = convert::to_openssh(&bytes);
        if r[c_expect] == "ok" {
            let c = match got {
                Ok(c) => c,
                Err(e) => {
                    bad.push(format!("{}: expected a key, got {e} [{}]", r[c_path], e.code()));
                    continue;
                }
            };
            let want_format = format_by_name(&r[c_format]);
            formats.insert(want_format.name());
            let want_blob = unb64(r[c_line].split(' ').nth(1).unwrap());
            let want_comment =
                (r[c_comment] != "-").then(|| serde_json::from_str::<String>(&r[c_comment]).unwrap().into_bytes());
            if c.format() != want_format {
                bad.push(format!(
                    "{}: format {:?}, expected {want_format:?}",
                    r[c_path],
                    c.format()
                ));
            }
            if c.blob() != want_blob {
                bad.push(format!("{}: blob differs from the oracle's", r[c_path]));
            }
            if c.comment() != want_comment.as_deref() {
                bad.push(format!(
                    "{}: comment {:?}, expected {:?}",
                    r[c_path],
                    c.comment().map(String::from_utf8_lossy),
                    want_comment.as_deref().map(String::from_utf8_lossy)
                ));
            }
            if c.algorithm().name() != r[c_line].split(' ').next().unwrap() {
                bad.push(format!("{}: algorithm {}", r[c_path], c.algorithm()));
            }
            let encrypted = r[c_path].contains(".enc");
            if c.was_encrypted() != encrypted {
                bad.push(format!("{}: was_encrypted() is {}", r[c_path], c.was_encrypted()));
            }
            assert_eq!(c.format().is_private(), r[c_path].starts_with("private-test-keys/"));
            // The result is a key like any other: it validates, and its line
            // converts to itself.
            let v = Checker::new(policy::OPENSSH);
            if let Err(e) = v.check_blob(c.blob()) {
                bad.push(format!("{}: converted blob invalid: {e}", r[c_path]));
            }
            let again = convert::to_openssh(&c.line()).unwrap();
            assert_eq!(again.blob(), c.blob(), "{}", r[c_path]);
            assert_eq!(again.format(), Format::OpenSsh);
            assert_eq!(again.comment(), c.comment().filter(|c| !c.is_empty()), "{}", r[c_path]);
            let mut v = Checker::new(policy::OPENSSH);
            let line = c.line();
            let checked = v.check_line(&line).unwrap();
            assert_eq!(checked.key().raw(), c.blob());
        } else {
            match got {
                Ok(c) => bad.push(format!("{}: expected {}, got a key {c:?}", r[c_path], r[c_expect])),
                Err(e) if e.code() != r[c_expect] => bad.push(format!(
                    "{}: expected {}, got {e} [{}]",
                    r[c_path],
                    r[c_expect],
                    e.code()
                )),
                Err(_) => {}
            }
        }

        // ssh-keygen -l on the file, byte for byte.
        let name = Path::new(&r[c_path]).file_name().unwrap().to_str().unwrap();
        let (shown, codes) = keygen(&bytes, name);
        match (r[c_keygen].as_str(), shown) {
            ("rejected", None) => {}
            ("rejected", Some(s)) => bad.push(format!("{}: ssh-keygen -l rejects it, keyvet shows {s}", r[c_path])),
            (want, Some(s)) if want == s => keygen_ok += 1,
            (want, s) => bad.push(format!("{}: ssh-keygen -l shows {want:?}, keyvet {s:?}", r[c_path])),
        }
        if !r[c_kerr].is_empty() && !codes.contains(&r[c_kerr].as_str()) {
            bad.push(format!(
                "{}: keygen should report {}, reported {codes:?}",
                r[c_path], r[c_kerr]
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(m.rows.len() >= 100, "only {} rows", m.rows.len());
    assert!(keygen_ok >= 35, "only {keygen_ok} ssh-keygen -l lines compared");
    assert_eq!(formats.len(), 10, "every format has a file: {formats:?}");
}

/// The order of ssh-keygen's `fingerprint_private`: a key line in the file,
/// then FILE.pub, then the private key itself.
#[test]
fn listing_file_prefers_file_pub_to_the_private_key() {
    let root = corpus_root().join("convert");
    let key = std::fs::read(root.join("private-test-keys/ed25519")).unwrap();
    let public = std::fs::read(root.join("public/ed25519.pub")).unwrap();
    let blob_b64 = String::from_utf8(public.clone()).unwrap();
    let blob_b64 = blob_b64.split(' ').nth(1).unwrap();
    let run = |pub_file: Option<Vec<u8>>| {
        let mut v = Checker::new(policy::OPENSSH);
        let mut shown = Vec::new();
        let mut asked = false;
        let s = stream::listing_file(
            &key[..],
            "id_test",
            || {
                asked = true;
                pub_file.map(std::io::Cursor::new)
            },
            &mut v,
            |e| {
                if let Event::Key { checked, comment, .. } = e {
                    shown.push(checked.listing_line_with(HashAlg::Sha256, comment).to_string());
                }
                Ok(())
            },
        )
        .unwrap();
        (s, shown, asked)
    };
    // No FILE.pub: the key's own comment.
    let (s, shown, asked) = run(None);
    assert!(asked);
    assert_eq!(s.valid, 1);
    assert!(!s.private_key_file);
    assert!(
        shown[0].ends_with(" keyvet-test-ed25519@example.invalid (ED25519)"),
        "{shown:?}"
    );
    // FILE.pub with another comment wins.
    let (_, shown, _) = run(Some(format!("ssh-ed25519 {blob_b64} from the pub file\n").into_bytes()));
    assert!(shown[0].ends_with(" from the pub file (ED25519)"), "{shown:?}");
    // FILE.pub without a comment: its name.
    let (_, shown, _) = run(Some(format!("ssh-ed25519 {blob_b64}\n").into_bytes()));
    assert!(shown[0].ends_with(" id_test.pub (ED25519)"), "{shown:?}");
    // A FILE.pub with no key: the private key.
    let (_, shown, _) = run(Some(b"# nothing\n".to_vec()));
    assert!(
        shown[0].ends_with(" keyvet-test-ed25519@example.invalid (ED25519)"),
        "{shown:?}"
    );
    // The file's own key line comes first, and FILE.pub is not opened.
    let mut with_line = format!("ssh-ed25519 {blob_b64} my PRIVATE KEY\n").into_bytes();
    with_line.extend_from_slice(&key);
    let mut v = Checker::new(policy::OPENSSH);
    let mut asked = false;
    let mut shown = Vec::new();
    let s = stream::listing_file(
        &with_line[..],
        "x",
        || {
            asked = true;
            None::<&[u8]>
        },
        &mut v,
        |e| {
            if let Event::Key { checked, comment, .. } = e {
                shown.push(checked.listing_line_with(HashAlg::Sha256, comment).to_string());
            }
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(s.valid, 1);
    assert!(shown[0].ends_with(" my PRIVATE KEY (ED25519)"), "{shown:?}");
    assert!(!asked);
}

/// The derived key is validated like any other: the strict policy refuses
/// a DSA key that the openssh policy shows.
#[test]
fn derived_keys_meet_the_policy() {
    let key = std::fs::read(corpus_root().join("convert/private-test-keys/dsa.pem")).unwrap();
    let mut strict = Checker::new(policy::STRICT);
    let mut codes = Vec::new();
    let s = stream::listing(&key[..], Source::File("dsa.pem"), &mut strict, |e| {
        if let Event::Invalid { error, line, .. } = e {
            assert_eq!(line, 1);
            assert_eq!(error.line(), Some(1));
            assert_eq!(error.byte(), None, "no position in a line keyvet made up");
            codes.push(error.code());
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(codes, ["policy.algorithm"]);
    assert!(s.private_key_file);
    assert_eq!(s.invalid, 1);
}

/// A private key file is kept whole, up to a cap.
#[test]
fn oversized_private_key_files_are_refused() {
    let mut big = b"-----BEGIN OPENSSH PRIVATE KEY-----\n".to_vec();
    for _ in 0..5000 {
        big.extend_from_slice(&[b'A'; 70]);
        big.push(b'\n');
    }
    big.extend_from_slice(b"-----END OPENSSH PRIVATE KEY-----\n");
    let mut v = Checker::new(policy::OPENSSH);
    let mut codes = Vec::new();
    let s = stream::listing(&big[..], Source::File("big"), &mut v, |e| {
        if let Event::Invalid { error, .. } = e {
            codes.push(error.code());
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(codes, ["convert.too_large"]);
    assert!(s.private_key_file);
    assert_eq!(code(&big), "convert.too_large");
}

/// Standard input is never read as a private key file (ssh-keygen reads
/// `-l -f -` as public keys only).
#[test]
fn stdin_is_not_a_private_key_file() {
    let key = std::fs::read(corpus_root().join("convert/private-test-keys/ed25519")).unwrap();
    let mut v = Checker::new(policy::OPENSSH);
    let s = stream::listing(&key[..], Source::Stdin, &mut v, |_| Ok(())).unwrap();
    assert_eq!(s.valid, 0);
    assert!(!s.private_key_file);
}

// ---------------------------------------------------------------------------
// Malformed inputs: typed errors, positions, no private bytes in messages.
// ---------------------------------------------------------------------------

fn code(input: &[u8]) -> &'static str {
    match convert::to_openssh(input) {
        Ok(c) => panic!("converted {:?} from {:?}", c, String::from_utf8_lossy(input)),
        Err(e) => e.code(),
    }
}

fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    let body = b64(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out.into_bytes()
}

fn der_of(path: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(corpus_root().join("convert").join(path)).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    unb64(&body)
}

const ED25519_B64: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy";

fn rfc4716(headers: &[&str], body: &str) -> Vec<u8> {
    let mut s = String::from("---- BEGIN SSH2 PUBLIC KEY ----\n");
    for h in headers {
        s.push_str(h);
        s.push('\n');
    }
    s.push_str(body);
    s.push_str("\n---- END SSH2 PUBLIC KEY ----\n");
    s.into_bytes()
}

#[test]
fn truncated_der_is_malformed() {
    for (label, path) in [
        ("PUBLIC KEY", "public/rsa2048.spki.pem"),
        ("RSA PUBLIC KEY", "public/rsa2048.pkcs1.pem"),
        ("RSA PRIVATE KEY", "private-test-keys/rsa2048.pem"),
        ("EC PRIVATE KEY", "private-test-keys/ecdsa384.pem"),
        ("DSA PRIVATE KEY", "private-test-keys/dsa.pem"),
        ("PRIVATE KEY", "private-test-keys/ecdsa521.pkcs8"),
        ("PRIVATE KEY", "private-test-keys/openssl-ed25519.pkcs8"),
    ] {
        let der = der_of(path);
        for cut in [1, 2, der.len() / 2, der.len() - 1] {
            let e = convert::to_openssh(&pem(label, &der[..cut])).unwrap_err();
            assert_eq!(e.code(), "convert.malformed", "{path} cut at {cut}: {e}");
            assert_eq!(e.line(), Some(1));
        }
        // One byte more after the structure.
        let mut longer = der.clone();
        longer.push(0);
        assert_eq!(code(&pem(label, &longer)), "convert.malformed", "{path}");
    }
}

#[test]
fn wrong_pem_labels() {
    let spki = der_of("public/rsa2048.spki.pem");
    // An SPKI under the PKCS#1 label, and a PKCS#1 key under the SPKI one.
    assert_eq!(code(&pem("RSA PUBLIC KEY", &spki)), "convert.malformed");
    assert_eq!(
        code(&pem("PUBLIC KEY", &der_of("public/rsa2048.pkcs1.pem"))),
        "convert.malformed"
    );
    assert_eq!(
        code(&pem("EC PRIVATE KEY", &der_of("private-test-keys/rsa2048.pem"))),
        "convert.malformed"
    );
    // Labels that hold no SSH key.
    for label in ["CERTIFICATE", "PGP PUBLIC KEY BLOCK", "X509 CRL", "SSH SIGNATURE"] {
        let e = convert::to_openssh(&pem(label, &spki)).unwrap_err();
        assert_eq!(e.code(), "convert.pem_label");
        assert!(e.to_string().contains(label), "{e}");
    }
    // END names another label.
    let mut p = pem("PUBLIC KEY", &spki);
    let text = String::from_utf8(p.clone())
        .unwrap()
        .replace("END PUBLIC KEY", "END RSA PUBLIC KEY");
    p = text.into_bytes();
    assert_eq!(code(&p), "convert.malformed");
    // No END line; a second BEGIN before the END.
    let p = pem("PUBLIC KEY", &spki);
    let cut = p.len() - "-----END PUBLIC KEY-----\n".len();
    assert_eq!(code(&p[..cut]), "convert.malformed");
    let mut two = p[..cut].to_vec();
    two.extend_from_slice(&p);
    assert_eq!(code(&two), "convert.malformed");
    // Two keys, text after the block, an empty block.
    let mut twice = p.clone();
    twice.extend_from_slice(&p);
    assert_eq!(code(&twice), "convert.malformed");
    // Text after the block is left alone, as OpenSSL leaves it.
    let mut trailing = p.clone();
    trailing.extend_from_slice(b"and more\n");
    assert_eq!(
        convert::to_openssh(&trailing).unwrap().blob(),
        convert::to_openssh(&p).unwrap().blob()
    );
    assert_eq!(
        code(b"-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"),
        "convert.malformed"
    );
    // A BEGIN line with four dashes, of a known and an unknown label.
    let mut four = b"-----BEGIN PUBLIC KEY----".to_vec();
    four.extend_from_slice(&p[p.iter().position(|&b| b == b'\n').unwrap()..]);
    assert_eq!(code(&four), "convert.malformed");
    assert_eq!(
        code(b"-----BEGIN STUFF\nAAAA\n-----END STUFF-----\n"),
        "convert.pem_label"
    );
    // EC PARAMETERS alone.
    assert_eq!(
        code(b"-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"),
        "convert.malformed"
    );
}

#[test]
fn unsupported_algorithms_and_curves() {
    // X25519 SubjectPublicKeyInfo.
    let mut x25519 = vec![0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00];
    x25519.extend_from_slice(&[9u8; 32]);
    assert_eq!(code(&pem("PUBLIC KEY", &x25519)), "convert.unsupported");
    // secp256k1: the P-256 point under another curve's OID.
    let spki = der_of("public/ecdsa256.spki.pem");
    let p256_oid = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    let at = spki.windows(p256_oid.len()).position(|w| w == p256_oid).unwrap();
    let mut k1 = spki[..at].to_vec();
    k1.extend_from_slice(&[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a]);
    k1.extend_from_slice(&spki[at + p256_oid.len()..]);
    k1[1] -= 3;
    k1[3] -= 3;
    assert_eq!(code(&pem("PUBLIC KEY", &k1)), "convert.unsupported");
    // ssh.com private keys and SSH-1 key files.
    assert_eq!(
        code(b"---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nx\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n"),
        "convert.unsupported"
    );
    assert_eq!(code(b"SSH PRIVATE KEY FILE FORMAT 1.1\n\0\0"), "convert.unsupported");
    // PuTTY v1 files.
    assert_eq!(code(b"PuTTY-User-Key-File-1: ssh-rsa\n"), "convert.unsupported");
    // authorized_keys options.
    let line = format!("no-pty ssh-ed25519 {ED25519_B64} me");
    assert_eq!(code(line.as_bytes()), "convert.unsupported");
}

#[test]
fn encrypted_keys_name_their_kind() {
    for (path, kind) in [
        ("private-test-keys/rsa2048.pem.enc", "PEM RSA private key"),
        ("private-test-keys/ecdsa256.pem.enc", "PEM EC private key"),
        ("private-test-keys/dsa.pem.enc", "PEM DSA private key"),
        ("private-test-keys/rsa2048.pkcs8.enc", "PKCS#8 private key"),
    ] {
        let bytes = std::fs::read(corpus_root().join("convert").join(path)).unwrap();
        let e = convert::to_openssh(&bytes).unwrap_err();
        assert_eq!(e.code(), "convert.encrypted");
        let msg = e.to_string();
        assert!(msg.contains(kind) && msg.contains("ssh-keygen -y -f KEYFILE"), "{msg}");
    }
}

#[test]
fn rfc4716_header_and_body_errors() {
    let ok = rfc4716(&["Comment: \"x\""], ED25519_B64);
    assert!(convert::to_openssh(&ok).is_ok());
    // No blank after the colon (ssh-keygen -i takes such a line for base64).
    let tight = convert::to_openssh(&rfc4716(&["Comment:x"], ED25519_B64)).unwrap();
    assert_eq!(tight.comment(), Some(&b"x"[..]));
    // A lone quote is not a quoted value.
    let quote = convert::to_openssh(&rfc4716(&["Comment: \""], ED25519_B64)).unwrap();
    assert_eq!(quote.comment(), Some(&b"\""[..]));
    let long_tag = format!("{}: v", "t".repeat(65));
    let long_value = format!("Comment: {}", "v".repeat(1025));
    for headers in [
        vec![long_tag.as_str()],
        vec![long_value.as_str()],
        vec!["Bad Tag: v"],
        vec![": no tag"],
    ] {
        assert_eq!(
            code(&rfc4716(&headers, ED25519_B64)),
            "convert.malformed",
            "{headers:?}"
        );
    }
    // A value over 1024 bytes through continuation lines.
    let part = format!("{}\\", "v".repeat(600));
    assert_eq!(
        code(&rfc4716(&["Comment: a\\", &part, &part, "end"], ED25519_B64)),
        "convert.malformed"
    );
    // A continued last header with nothing after it.
    assert_eq!(
        code(b"---- BEGIN SSH2 PUBLIC KEY ----\nComment: a\\"),
        "convert.malformed"
    );
    // Too many headers.
    let many: Vec<String> = (0..65).map(|i| format!("x-h{i}: v")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(code(&rfc4716(&many, ED25519_B64)), "convert.malformed");
    // Non-base64 body, with its line and column.
    let e = convert::to_openssh(&rfc4716(&["Comment: x"], "AAAA!AAA")).unwrap_err();
    assert_eq!((e.code(), e.line(), e.byte()), ("base64.symbol", Some(3), Some(4)));
    let e = convert::to_openssh(&rfc4716(&[], "AAAAC3NzaC1lZDI1NTE5\nAAAAIE+1Cw1nt0FUh/x:sNqvXW")).unwrap_err();
    assert_eq!((e.code(), e.line(), e.byte()), ("base64.symbol", Some(3), Some(19)));
    // Bad padding, a header after the body started, no body.
    assert_eq!(code(&rfc4716(&[], "AAA")), "base64.padding");
    assert_eq!(code(&rfc4716(&[], "AAAA\nComment: late")), "base64.symbol");
    assert_eq!(code(&rfc4716(&["Comment: x"], "")), "convert.malformed");
    // Markers.
    assert_eq!(
        code(b"---- BEGIN SSH2 PUBLIC KEY ---\nAAAA\n---- END SSH2 PUBLIC KEY ----\n"),
        "convert.malformed"
    );
    let no_end = format!("---- BEGIN SSH2 PUBLIC KEY ----\n{ED25519_B64}\n");
    let e = convert::to_openssh(no_end.as_bytes()).unwrap_err();
    assert_eq!((e.code(), e.line()), ("convert.malformed", Some(1)));
    let mut after = rfc4716(&[], ED25519_B64);
    after.extend_from_slice(b"\nssh-ed25519 AAAA\n");
    assert_eq!(code(&after), "convert.malformed");
    // The blob itself is checked: a truncated key.
    assert_eq!(code(&rfc4716(&[], "AAAAC3NzaC1lZDI1NTE5AAAAIE+1")), "blob.truncated");
}

#[test]
fn openssh_lines_and_sizes() {
    let line = format!("ssh-ed25519 {ED25519_B64} alice\n");
    let c = convert::to_openssh(line.as_bytes()).unwrap();
    assert_eq!((c.format(), c.comment()), (Format::OpenSsh, Some(&b"alice"[..])));
    // Blank and # lines around it, a BOM, CR LF.
    let padded = format!("\u{feff}\n  # my key\r\n  \nssh-ed25519 {ED25519_B64} alice\r\n\n# end\n");
    assert_eq!(
        convert::to_openssh(padded.as_bytes()).unwrap().comment(),
        Some(&b"alice"[..])
    );
    // Two lines, the wrong type word, bad base64.
    assert_eq!(code(format!("{line}{line}").as_bytes()), "convert.malformed");
    assert_eq!(code(format!("ssh-rsa {ED25519_B64}").as_bytes()), "key.type.mismatch");
    let e = convert::to_openssh(b"\nssh-ed25519 AAAA!AAA").unwrap_err();
    assert_eq!((e.code(), e.line(), e.byte()), ("base64.symbol", Some(2), Some(16)));
    // Sizes.
    assert_eq!(code(b""), "input.no_key");
    assert_eq!(code(b"\n  \n# only a comment\n"), "input.no_key");
    assert_eq!(code(&vec![b'A'; convert::MAX_INPUT + 1]), "convert.too_large");
    assert_eq!(code(&vec![b'A'; convert::MAX_LINE + 1]), "line.too_long");
    let mut huge = b"-----BEGIN PUBLIC KEY-----\n".to_vec();
    for _ in 0..1500 {
        huge.extend_from_slice(&[b'A'; 64]);
        huge.push(b'\n');
    }
    huge.extend_from_slice(b"-----END PUBLIC KEY-----\n");
    assert_eq!(code(&huge), "blob.too_large");
    // A comment with a newline is left out of the line.
    let block = rfc4716(&["Comment: a\\", "b"], ED25519_B64);
    let c = convert::to_openssh(&block).unwrap();
    assert_eq!(c.comment(), Some(&b"ab"[..]));
    assert!(c.line().ends_with(b" ab"));
}

#[test]
fn putty_errors() {
    let text = std::fs::read_to_string(corpus_root().join("convert/private-test-keys/ed25519.v3.ppk")).unwrap();
    assert!(convert::to_openssh(text.as_bytes()).is_ok());
    let cases = [
        text.replace("PuTTY-User-Key-File-3: ssh-ed25519", "PuTTY-User-Key-File-3: ssh-rsa"),
        text.replace("Public-Lines: 2", "Public-Lines: 2000"),
        text.replace("Public-Lines: 2", "Public-Lines: x"),
        text.replace("Encryption: none\n", ""),
        text.replace("Comment:", "Remark:"),
        text.lines().take(4).collect::<Vec<_>>().join("\n"),
        text.lines().take(2).collect::<Vec<_>>().join("\n"),
    ];
    for (i, t) in cases.iter().enumerate() {
        assert_eq!(code(t.as_bytes()), "convert.malformed", "case {i}");
    }
}

/// Errors about a private key never quote it: damage every private key of
/// the corpus and look for any 8 bytes of its base64 in the message.
#[test]
fn errors_do_not_leak_private_key_text() {
    let dir = corpus_root().join("convert/private-test-keys");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // The private text: a PEM or OpenSSH body, or a PuTTY file's
        // private lines (its public lines are public).
        let body: Vec<&str> = if text.starts_with("PuTTY") {
            text.lines()
                .skip_while(|l| !l.starts_with("Private-Lines:"))
                .filter(|l| !l.contains(':'))
                .collect()
        } else {
            text.lines()
                .filter(|l| !l.starts_with('-') && !l.contains(':') && l.len() > 20)
                .collect()
        };
        if body.is_empty() {
            continue;
        }
        let mut variants = vec![text.replacen(body[body.len() / 2], "", 1)];
        variants.push(text.replacen(body[0], &body[0][..body[0].len() - 3], 1));
        variants.push(text.replacen(body[0], &format!("{}*", &body[0][1..]), 1));
        for v in variants {
            let mut msgs = Vec::new();
            if let Err(e) = convert::to_openssh(v.as_bytes()) {
                msgs.push(e.to_string());
            }
            let name = path.file_name().unwrap().to_str().unwrap();
            let mut val = Checker::new(policy::OPENSSH);
            stream::listing(v.as_bytes(), Source::File(name), &mut val, |e| {
                if let Event::Invalid { error, .. } = e {
                    msgs.push(error.to_string());
                }
                Ok(())
            })
            .unwrap();
            for m in msgs {
                n += 1;
                for l in &body {
                    for w in l.as_bytes().windows(8) {
                        let w = std::str::from_utf8(w).unwrap();
                        assert!(!m.contains(w), "{}: {m:?} quotes {w:?}", path.display());
                    }
                }
            }
        }
    }
    assert!(n > 50, "only {n} messages");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Arbitrary bytes never panic, in the converter or in ssh-keygen's
    /// private key path.
    #[test]
    fn arbitrary_input_never_panics(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = convert::to_openssh(&data);
        let mut with_marker = b"-----BEGIN OPENSSH PRIVATE KEY-----\n".to_vec();
        with_marker.extend_from_slice(&data);
        let _ = convert::to_openssh(&with_marker);
        let mut v = Checker::new(policy::OPENSSH);
        let _ = stream::listing(&with_marker[..], Source::File("k"), &mut v, |_| Ok(()));
    }

    /// Damaged copies of real key files (bytes changed, cut, duplicated)
    /// never panic and, when they convert, give a blob that parses.
    #[test]
    fn damaged_key_files_never_panic(
        pick in 0usize..1000,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let root = corpus_root().join("convert");
        let m = Tsv::read(&root.join("MANIFEST.tsv"));
        let row = &m.rows[pick % m.rows.len()];
        let mut data = std::fs::read(root.join(&row[0])).unwrap();
        for (at, byte, op) in edits {
            if data.is_empty() {
                break;
            }
            let at = at % data.len();
            match op {
                0 => data[at] = byte,
                1 => data.truncate(at),
                _ => {
                    let tail = data[at..].to_vec();
                    data.extend_from_slice(&tail);
                }
            }
        }
        if let Ok(c) = convert::to_openssh(&data) {
            prop_assert!(c.key().is_ok());
        }
        let mut v = Checker::new(policy::OPENSSH);
        let _ = stream::listing(&data[..], Source::File("k"), &mut v, |_| Ok(()));
    }

    /// Random base64 inside every kind of PEM block never panics (DER
    /// parsers on arbitrary bytes).
    #[test]
    fn random_der_never_panics(der in proptest::collection::vec(any::<u8>(), 0..600), label in 0usize..9) {
        let labels = ["PUBLIC KEY", "RSA PUBLIC KEY", "RSA PRIVATE KEY", "DSA PRIVATE KEY", "EC PRIVATE KEY",
                      "PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PARAMETERS"];
        let p = pem(labels[label], &der);
        let _ = convert::to_openssh(&p);
        let mut v = Checker::new(policy::OPENSSH);
        let _ = stream::listing(&p[..], Source::File("k"), &mut v, |_| Ok(()));
    }
}

/// EC keys whose curve is written out as explicit parameters (OpenSSL's
/// `-param_enc explicit`, base point plain or compressed; SEC1, PKCS#8 and
/// SubjectPublicKeyInfo) read as the named curve they equal, the same key
/// as the named form; explicit parameters of another curve are refused by
/// name.
#[test]
fn explicit_curve_parameters_read_as_their_named_curve() {
    let dir = corpus_root().join("convert/explicit");
    let mut n = 0;
    for c in ["256", "384", "521"] {
        let want = std::fs::read(corpus_root().join(format!("convert/public/ecdsa{c}.pub"))).unwrap();
        let want = Checker::new(policy::OPENSSH)
            .check_line(&want)
            .unwrap()
            .sha256()
            .to_string();
        for form in [
            "explicit.pem",
            "explicit.pkcs8",
            "explicit.spki.pem",
            "explicit-compressed.pem",
        ] {
            let bytes = std::fs::read(dir.join(format!("ecdsa{c}.{form}"))).unwrap();
            let got = convert::to_openssh(&bytes).unwrap_or_else(|e| panic!("ecdsa{c}.{form}: {e}"));
            let line = got.line();
            let fp = Checker::new(policy::OPENSSH)
                .check_line(&line)
                .unwrap()
                .sha256()
                .to_string();
            assert_eq!(fp, want, "ecdsa{c}.{form}");
            n += 1;
        }
    }
    assert_eq!(n, 12);
    for curve in ["secp256k1", "brainpoolP256r1"] {
        for form in ["explicit.pem", "explicit.spki.pem"] {
            let bytes = std::fs::read(dir.join(format!("{curve}.{form}"))).unwrap();
            let e = convert::to_openssh(&bytes).unwrap_err();
            assert_eq!(e.code(), "convert.explicit_curve", "{curve}.{form}: {e}");
        }
    }
}

/// Text around a key block (a note, a signature, OpenSSL's `-text` dump) is
/// left alone, as OpenSSL's PEM reader and `ssh-keygen -i` leave it; text
/// that holds another key is not.
#[test]
fn text_around_a_block_is_left_alone() {
    let dir = corpus_root().join("convert/public");
    for (block, plain) in [
        ("ecdsa256.spki.pem", "ecdsa256.pub"),
        ("ed25519.rfc4716", "ed25519.pub"),
    ] {
        let text = std::fs::read_to_string(dir.join(block)).unwrap();
        let want = std::fs::read(dir.join(plain)).unwrap();
        let want = Checker::new(policy::OPENSSH)
            .check_line(&want)
            .unwrap()
            .sha256()
            .to_string();
        for wrapped in [
            format!("Here is my key:\n\n{text}"),
            format!("{text}\n-- \nsent from my phone\n"),
            format!("read EC key\nwriting EC key\n{text}Thanks!\n"),
        ] {
            let c = convert::to_openssh(wrapped.as_bytes()).unwrap_or_else(|e| panic!("{block}: {e}\n{wrapped}"));
            let fp = Checker::new(policy::OPENSSH)
                .check_line(&c.line())
                .unwrap()
                .sha256()
                .to_string();
            assert_eq!(fp, want, "{block}");
        }
        let two = format!("{text}ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy\n");
        assert_eq!(
            convert::to_openssh(two.as_bytes()).unwrap_err().code(),
            "convert.malformed",
            "{block}"
        );
    }
}

/// One reader for `convert` and `fingerprint`: line ends, blanks and text
/// around a private key block (corpus/convert/line-ends, with ssh-keygen's
/// recorded answers). `to_openssh` reads every variant but CR-only line
/// ends, says exactly when OpenSSH's loader would not take the file as it
/// is (`ssh-keygen -y`), and the `ssh-keygen -l` emulation shows exactly
/// what ssh-keygen showed.
#[test]
fn line_ends_are_decided_once() {
    let root = corpus_root().join("convert/line-ends");
    let m = Tsv::read(&root.join("MANIFEST.tsv"));
    let (c_path, c_keygen, c_convert, c_loads) =
        (m.col("path"), m.col("keygen"), m.col("convert"), m.col("openssh_loads"));
    let mut bad = Vec::new();
    let (mut shown_by_both, mut refused_with_reason) = (0, 0);
    for r in &m.rows {
        let path = &r[c_path];
        let bytes = std::fs::read(root.join(path)).unwrap();
        let source = &path[..path.rfind('.').unwrap()];
        let original = convert::to_openssh(&std::fs::read(root.join(format!("{source}.lf"))).unwrap()).unwrap();
        match (convert::to_openssh(&bytes), r[c_convert].as_str()) {
            (Ok(c), "ok") => {
                if c.blob() != original.blob() || c.comment() != original.comment() {
                    bad.push(format!("{path}: converted to another key or comment"));
                }
                let loads = r[c_loads] == "yes";
                if c.openssh_cannot_load().is_none() != loads {
                    bad.push(format!(
                        "{path}: OpenSSH loads it: {loads}, keyvet says {:?}",
                        c.openssh_cannot_load()
                    ));
                }
                if let Some(why) = c.openssh_cannot_load() {
                    assert!(why.starts_with("ssh and ssh-keygen cannot load"), "{why}");
                }
            }
            (Ok(_), want) => bad.push(format!("{path}: converted, expected {want}")),
            (Err(e), want) if e.code() != want => bad.push(format!("{path}: {e} [{}], expected {want}", e.code())),
            (Err(_), _) => {}
        }
        let (shown, codes) = keygen(&bytes, "key");
        match (r[c_keygen].as_str(), shown) {
            ("rejected", None) => {
                // Refused as ssh-keygen refuses it, and for a reason: the
                // loader's when the file was read as a private key file.
                if r[c_loads] == "no" && codes.contains(&"convert.malformed") {
                    refused_with_reason += 1;
                }
            }
            (want, Some(s)) if want == s => shown_by_both += 1,
            (want, s) => bad.push(format!("{path}: ssh-keygen -l shows {want:?}, keyvet {s:?}")),
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(m.rows.len() >= 60, "only {} rows", m.rows.len());
    assert!(shown_by_both >= 30, "only {shown_by_both} files shown by both");
    assert!(
        refused_with_reason >= 20,
        "only {refused_with_reason} refusals with the loader's reason"
    );
}
