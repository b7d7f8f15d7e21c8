//! Round trips. The input is tried as a key blob, as an authorized_keys
//! line and as any upload format:
//! * a key that parses is re-encoded canonically (`write_canonical`) and
//!   parsed again: same key type, bits and fingerprints, a canonical plain
//!   key, and the re-encoding of the re-encoding is byte-identical; a key a
//!   policy accepted is still accepted in its canonical encoding;
//! * an accepted line, written back as `type base64 comment`, is accepted
//!   again with the same key, fingerprint and comment;
//! * a converted input's OpenSSH line converts to itself.

use base64::Engine;
use keyvet::{Algorithm, Checker, HashAlg, Key, Policy, convert, policy};

fn canonical(k: &Key<'_>, accepted: &[Policy]) {
    let pk = k.public_key();
    let mut c1 = Vec::new();
    pk.write_canonical(&mut c1);
    let k1 = Key::parse(&c1).unwrap_or_else(|e| panic!("the canonical re-encoding does not parse: {e}"));
    let Key::Plain(p1) = k1 else {
        panic!("the canonical re-encoding is a certificate")
    };
    assert_eq!(p1.key().key_type(), pk.key_type());
    assert_eq!(k1.algorithm(), Algorithm::plain(pk.key_type()));
    assert!(p1.type_name_is_canonical(), "re-encoded type name not canonical");
    assert!(p1.key().is_canonical(), "re-encoded fields not canonical");
    assert_eq!(p1.key().bits(), pk.bits());
    for alg in [HashAlg::Sha256, HashAlg::Md5] {
        assert_eq!(p1.key().fingerprint(alg), pk.fingerprint(alg));
    }
    let mut c2 = Vec::new();
    p1.key().write_canonical(&mut c2);
    assert_eq!(c1, c2, "re-encoding the re-encoding changed it");
    if let Key::Plain(p) = k
        && p.type_name_is_canonical()
        && p.key().is_canonical()
    {
        assert_eq!(c1, p.raw(), "a canonical blob re-encodes to other bytes");
    }
    for p in accepted {
        if let Err(e) = Checker::new(*p).check_blob(&c1) {
            panic!(
                "{} accepted the key but refuses its canonical encoding: {e} [{}]",
                p.name,
                e.code()
            );
        }
    }
}

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    // A blob.
    if let Ok(k) = Key::parse(data) {
        let accepted: Vec<Policy> = [policy::OPENSSH, policy::STRICT]
            .into_iter()
            .filter(|p| Checker::new(*p).check_blob(data).is_ok())
            .collect();
        canonical(&k, &accepted);
    }

    // A line.
    for p in [policy::OPENSSH, policy::STRICT] {
        let mut v = Checker::new(p);
        let Ok(c) = v.check_line(data) else { continue };
        let key = *c.key();
        let mut accepted = vec![p];
        if p.name == "strict" {
            accepted.push(policy::OPENSSH);
        }
        canonical(&key, &accepted);
        let comment = c.line().comment_bytes().map(<[u8]>::to_vec);
        let fp = c.sha256();
        let mut line = key.algorithm().name().as_bytes().to_vec();
        line.push(b' ');
        line.extend_from_slice(base64::engine::general_purpose::STANDARD.encode(key.raw()).as_bytes());
        if let Some(t) = &comment {
            line.push(b' ');
            line.extend_from_slice(t);
        }
        let mut v2 = Checker::new(p);
        match v2.check_line(&line) {
            Ok(c2) => {
                assert_eq!(c2.sha256(), fp);
                assert_eq!(c2.key().raw(), key.raw());
                assert_eq!(c2.line().comment_bytes(), comment.as_deref(), "comment changed");
            }
            Err(e) => panic!(
                "{}: the line written back is refused: {e} [{}]: {:?}",
                p.name,
                e.code(),
                String::from_utf8_lossy(&line)
            ),
        }
    }

    // Any upload format.
    if let Ok(c) = convert::to_openssh(data) {
        let line = c.line();
        let c2 = convert::to_openssh(&line).unwrap_or_else(|e| {
            panic!(
                "the converted line does not convert: {e} [{}]: {:?}",
                e.code(),
                String::from_utf8_lossy(&line)
            )
        });
        assert_eq!(c2.format(), convert::Format::OpenSsh);
        assert_eq!(c2.blob(), c.blob());
        assert_eq!(c2.algorithm(), c.algorithm());
        assert_eq!(c2.line(), line, "the converted line changes when converted again");
        if let Ok(k) = c.key() {
            canonical(&k, &[]);
        }
    }
}
