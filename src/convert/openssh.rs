//! OpenSSH's private key format (PROTOCOL.key, "openssh-key-v1"): the
//! public key sits in clear before the (possibly encrypted) private section,
//! which holds the private key, then the comment, then padding.
//!
//! The private section is only read when it is not encrypted, and only to
//! find the comment, with the checks OpenSSH 9.2's `sshkey_parse_private2`
//! makes before it trusts that comment; no private value leaves this
//! module.

use super::text::{LineEnd, TextLine};
use super::{Converted, Format, der};
use crate::algorithm;
use crate::error::{ConvertError, Error};
use crate::key::{Key, KeyData};
use crate::wire::{self, Cursor, Mpint};

/// `MARK_BEGIN` and `MARK_END` of sshkey.c, their newline included.
const MARK_BEGIN: &[u8] = b"-----BEGIN OPENSSH PRIVATE KEY-----\n";
const MARK_END: &[u8] = b"-----END OPENSSH PRIVATE KEY-----\n";
const MAGIC: &[u8] = b"openssh-key-v1\0";

fn malformed(reason: &'static str) -> ConvertError {
    ConvertError::Malformed {
        format: Format::OpenSshPrivateKey,
        reason,
    }
}

/// The parts before the private section.
struct Envelope<'a> {
    cipher: &'a [u8],
    kdf: &'a [u8],
    public: &'a [u8],
    /// Everything after the public key: the private section's length, the
    /// section, and an authentication tag for AEAD ciphers.
    rest: &'a [u8],
}

impl Envelope<'_> {
    /// Whether the private section is encrypted (any cipher or KDF but
    /// `none`).
    fn encrypted(&self) -> bool {
        wire::strip_trailing_nul(self.cipher) != b"none" || wire::strip_trailing_nul(self.kdf) != b"none"
    }
}

/// `sshkey_parse_private2_pubkey`: magic, cipher, KDF, KDF options, one key.
fn envelope(decoded: &[u8]) -> Result<Envelope<'_>, Error> {
    let body = decoded
        .strip_prefix(MAGIC)
        .ok_or_else(|| Error::new(malformed("its data does not start with \"openssh-key-v1\"")))?;
    let mut cur = Cursor::new(body);
    let trunc = |_| Error::new(malformed("its header (cipher, KDF, key count) is truncated"));
    let cipher = cur.read("cipher", wire::string).map_err(trunc)?;
    let kdf = cur.read("kdf", wire::string).map_err(trunc)?;
    cur.read("kdf_options", wire::string).map_err(trunc)?;
    let nkeys = cur.read("nkeys", wire::u32).map_err(trunc)?;
    if nkeys != 1 {
        return Err(Error::new(malformed(
            "it holds several keys (or none); OpenSSH stores one key per file",
        )));
    }
    let public = cur
        .read("public_key", wire::string)
        .map_err(|_| Error::new(malformed("its public key is truncated")))?;
    Ok(Envelope {
        cipher,
        kdf,
        public,
        rest: cur.rest(),
    })
}

/// [`super::to_openssh`] on the decoded body of an `OPENSSH PRIVATE KEY`
/// block.
pub(super) fn convert(decoded: &[u8]) -> Result<Converted, Error> {
    let env = envelope(decoded)?;
    let key = Key::parse(env.public)?;
    let comment = if env.encrypted() {
        None
    } else {
        private_comment(&env, &key)
    };
    let mut c = Converted::new(env.public.to_vec(), comment, Format::OpenSshPrivateKey)?;
    c.encrypted = env.encrypted();
    Ok(c)
}

/// Why OpenSSH's loader (`private2_uudecode` of OpenSSH 9.2, used by ssh,
/// ssh-add and ssh-keygen) cannot load a private key file whose block
/// keyvet read, given the block's BEGIN and END lines; `None` when it can.
/// The loader needs the file to start with the BEGIN line and a LF, and
/// finds the END line only right after a LF and followed by one; between
/// them it drops CRs and blanks, as keyvet does.
pub(super) fn load_problem(begin: &TextLine<'_>, end: &TextLine<'_>) -> Option<&'static str> {
    let (begin_text, end_text) = (&MARK_BEGIN[..MARK_BEGIN.len() - 1], &MARK_END[..MARK_END.len() - 1]);
    if begin.offset != 0 {
        Some(NOT_FIRST)
    } else if begin.text != begin_text || end.text != end_text {
        Some(
            "ssh and ssh-keygen cannot load this private key file: its BEGIN or END line has blanks around it; \
             remove them",
        )
    } else if begin.end == LineEnd::CrLf || end.end == LineEnd::CrLf {
        Some(
            "ssh and ssh-keygen cannot load this private key file: it has CR LF (Windows) line ends; convert \
             them to LF, for example with `dos2unix FILE`",
        )
    } else if end.end == LineEnd::Eof {
        Some("ssh and ssh-keygen cannot load this private key file: its END line is not followed by a newline; add one")
    } else {
        None
    }
}

/// [`load_problem`] when the block does not start the file.
pub(super) const NOT_FIRST: &str = "ssh and ssh-keygen cannot load this private key file: it must start with \
                                    its BEGIN line; remove what comes before it (text, blank lines, a byte-order mark)";

/// [`load_problem`] when the BEGIN line is followed by PEM headers.
pub(super) const HEADERS: &str = "ssh and ssh-keygen cannot load this private key file: its BEGIN line is followed \
                                  by header lines, which OpenSSH's format does not have; remove them";

/// `sshbuf_get_cstring`'s rule: no NUL but a last one, which is dropped.
fn cstring(s: &[u8]) -> Option<&[u8]> {
    match s.iter().position(|&b| b == 0) {
        Some(p) if p + 1 != s.len() => None,
        _ => Some(wire::strip_trailing_nul(s)),
    }
}

fn same(a: &Mpint<'_>, b: &Mpint<'_>) -> bool {
    a.cmp_value(b).is_eq()
}

/// The comment of an unencrypted key, read the way `sshkey_parse_private2`
/// reads it without a passphrase: `None` wherever OpenSSH 9.2 would fail
/// (then ssh-keygen shows `no comment`). Certificate private keys are not
/// read (`None`).
fn private_comment(env: &Envelope<'_>, key: &Key<'_>) -> Option<Vec<u8>> {
    if cstring(env.cipher)? != b"none" || cstring(env.kdf)? != b"none" {
        return None;
    }
    let mut cur = Cursor::new(env.rest);
    let len = usize::try_from(cur.read("length", wire::u32).ok()?).ok()?;
    // Cipher "none" has 8-byte blocks and no tag; nothing may follow.
    if len < 8 || len % 8 != 0 || cur.rest().len() != len {
        return None;
    }
    let mut p = Cursor::new(cur.rest());
    if p.read("check1", wire::u32).ok()? != p.read("check2", wire::u32).ok()? {
        return None;
    }
    let tname = cstring(p.read("type", wire::text).ok()?)?;
    let (alg, _) = algorithm::lookup_blob_type(tname)?;
    let Key::Plain(plain) = key else { return None };
    let public = plain.key();
    if alg.is_cert() || alg.key_type() != public.key_type() {
        return None;
    }
    match public.data() {
        KeyData::Rsa(r) => {
            let n = p.read("n", wire::mpint).ok()?;
            let e = p.read("e", wire::mpint).ok()?;
            p.read("d", wire::mpint).ok()?;
            p.read("iqmp", wire::mpint).ok()?;
            let pp = p.read("p", wire::mpint).ok()?;
            let q = p.read("q", wire::mpint).ok()?;
            // sshkey_check_rsa_length, and ssh_rsa_complete_crt_parameters'
            // d mod (p - 1), which fails when p or q is 1.
            let one = |m: &Mpint<'_>| m.magnitude() == [1];
            if !(1024..=16384).contains(&n.bits()) || one(&pp) || one(&q) || !same(&n, &r.n) || !same(&e, &r.e) {
                return None;
            }
        }
        KeyData::Dsa(k) => {
            for want in [k.p, k.q, k.g, k.y] {
                if !same(&p.read("dsa", wire::mpint).ok()?, &want) {
                    return None;
                }
            }
            p.read("x", wire::mpint).ok()?;
        }
        KeyData::Ecdsa(k) => {
            ec_public(&mut p, k.curve, k.point)?;
            let x = p.read("exponent", wire::mpint).ok()?;
            if !der::ec_private_in_range(k.curve, x.magnitude()) {
                return None;
            }
        }
        KeyData::SkEcdsa(s) => {
            ec_public(&mut p, s.key.curve, s.key.point)?;
            sk_fields(&mut p, s.application())?;
        }
        KeyData::Ed25519(k) => {
            if p.read("pk", wire::string).ok()? != k.key.as_slice() || p.read("sk", wire::string).ok()?.len() != 64 {
                return None;
            }
        }
        KeyData::SkEd25519(s) => {
            if p.read("pk", wire::string).ok()? != s.key.key.as_slice() {
                return None;
            }
            sk_fields(&mut p, s.application())?;
        }
        _ => return None,
    }
    let comment = cstring(p.read("comment", wire::text).ok()?)?;
    // Deterministic padding: 1, 2, 3, ...
    if p.rest()
        .iter()
        .enumerate()
        .any(|(i, &b)| usize::from(b) != (i + 1) & 0xff)
    {
        return None;
    }
    Some(comment.to_vec())
}

/// The curve name and point of an ECDSA private key, which must be the
/// envelope's.
fn ec_public(p: &mut Cursor<'_>, curve: crate::Curve, point: &[u8]) -> Option<()> {
    let name = cstring(p.read("curve", wire::text).ok()?)?;
    let q = p.read("point", wire::string).ok()?;
    (name == curve.name().as_bytes() && q == point).then_some(())
}

/// The security-key fields: application (the envelope's), flags, key
/// handle, reserved.
fn sk_fields(p: &mut Cursor<'_>, application: &[u8]) -> Option<()> {
    let app = cstring(p.read("application", wire::text).ok()?)?;
    p.read("flags", wire::u8).ok()?;
    p.read("key_handle", wire::string).ok()?;
    p.read("reserved", wire::string).ok()?;
    (app == application).then_some(())
}
