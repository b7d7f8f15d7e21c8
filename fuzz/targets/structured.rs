//! Structure-aware: a valid key or certificate from `corpus/` (read once at
//! start-up) is taken apart into its fields, exactly one field is mutated
//! (a length prefix, an mpint byte, a name, a list, the signature, an
//! integer, trailing bytes), the blob is put back together (enclosing
//! lengths recomputed) and checked under both policies.
//!
//! Besides "no panic":
//! * a no-op mutation gives the same verdicts;
//! * strict never accepts what openssh refuses;
//! * a plain key whose canonical encoding is unchanged (an alias type name,
//!   a leading zero in an mpint, a trailing NUL) keeps its openssh verdict
//!   and fingerprint, and strict refuses it at most for the encoding;
//! * a certificate changed anywhere is refused under openssh (its signature
//!   no longer verifies), except for the signature re-encodings OpenSSH
//!   accepts (a leading zero in an ECDSA `r`/`s`, a trailing NUL in the
//!   signature algorithm name), which keep the verdict.
//!
//! The input is read with `arbitrary::Unstructured`: which template, which
//! field, which mutation and its values.

use std::sync::OnceLock;

use arbitrary::Unstructured;
use keyvet::{AlgorithmSet, Checker, HashAlg, Key, KeyType, Policy, policy};

use super::common::{NONCANONICAL_CODES, verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The blob itself (no length prefix).
    Top,
    /// A type name, curve name, signature algorithm, option name,
    /// principal, application, key id: text.
    Name,
    Mpint,
    /// Opaque strings: points, raw keys, nonce, reserved, option data.
    Bytes,
    /// The value of an RSA, DSA or Ed25519 signature.
    SigValue,
    Int,
    /// Principals, critical options, extensions.
    List,
    /// The signature key (a nested plain key blob).
    CaKey,
    /// The signature (a nested blob).
    Signature,
    /// The `(r, s)` string of an ECDSA signature.
    EcdsaSig,
}

#[derive(Debug, Clone)]
enum Val {
    U8(u8),
    U32(u32),
    U64(u64),
    Str(Vec<u8>),
    Seq(Vec<Node>),
}

#[derive(Debug, Clone)]
struct Node {
    kind: Kind,
    val: Val,
    /// A length prefix that lies.
    len_override: Option<u32>,
    /// Bytes appended inside the string, after its content.
    trailing: Vec<u8>,
}

impl Node {
    fn new(kind: Kind, val: Val) -> Node {
        Node {
            kind,
            val,
            len_override: None,
            trailing: Vec::new(),
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        match &self.val {
            Val::U8(v) => out.push(*v),
            Val::U32(v) => out.extend_from_slice(&v.to_be_bytes()),
            Val::U64(v) => out.extend_from_slice(&v.to_be_bytes()),
            Val::Str(_) | Val::Seq(_) => {
                let mut content = Vec::new();
                match &self.val {
                    Val::Str(b) => content.extend_from_slice(b),
                    Val::Seq(children) => children.iter().for_each(|c| c.write(&mut content)),
                    _ => unreachable!(),
                }
                content.extend_from_slice(&self.trailing);
                if self.kind != Kind::Top {
                    let len = self.len_override.unwrap_or(content.len() as u32);
                    out.extend_from_slice(&len.to_be_bytes());
                }
                out.extend_from_slice(&content);
            }
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.write(&mut v);
        v
    }
}

/// Reads a template according to its type.
struct Cur<'a> {
    rest: &'a [u8],
}

impl<'a> Cur<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.rest.len() < n {
            return None;
        }
        let (a, b) = self.rest.split_at(n);
        self.rest = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<Node> {
        Some(Node::new(Kind::Int, Val::U8(self.take(1)?[0])))
    }
    fn u32(&mut self) -> Option<Node> {
        Some(Node::new(
            Kind::Int,
            Val::U32(u32::from_be_bytes(self.take(4)?.try_into().ok()?)),
        ))
    }
    fn u64(&mut self) -> Option<Node> {
        Some(Node::new(
            Kind::Int,
            Val::U64(u64::from_be_bytes(self.take(8)?.try_into().ok()?)),
        ))
    }
    fn raw_string(&mut self) -> Option<&'a [u8]> {
        let len = u32::from_be_bytes(self.take(4)?.try_into().ok()?) as usize;
        self.take(len)
    }
    fn string(&mut self, kind: Kind) -> Option<Node> {
        Some(Node::new(kind, Val::Str(self.raw_string()?.to_vec())))
    }
    /// A string whose content is parsed by `f`, which must consume it all.
    fn nested(&mut self, kind: Kind, f: impl FnOnce(&mut Cur<'a>) -> Option<Vec<Node>>) -> Option<Node> {
        let mut inner = Cur {
            rest: self.raw_string()?,
        };
        let children = f(&mut inner)?;
        inner.rest.is_empty().then(|| Node::new(kind, Val::Seq(children)))
    }
}

fn key_fields(kt: KeyType, c: &mut Cur<'_>) -> Option<Vec<Node>> {
    Some(match kt {
        KeyType::Rsa => vec![c.string(Kind::Mpint)?, c.string(Kind::Mpint)?],
        KeyType::Dsa => vec![
            c.string(Kind::Mpint)?,
            c.string(Kind::Mpint)?,
            c.string(Kind::Mpint)?,
            c.string(Kind::Mpint)?,
        ],
        KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::EcdsaP521 => {
            vec![c.string(Kind::Name)?, c.string(Kind::Bytes)?]
        }
        KeyType::SkEcdsaP256 => vec![c.string(Kind::Name)?, c.string(Kind::Bytes)?, c.string(Kind::Name)?],
        KeyType::Ed25519 | KeyType::MlDsa44Ed25519 => vec![c.string(Kind::Bytes)?],
        KeyType::SkEd25519 => vec![c.string(Kind::Bytes)?, c.string(Kind::Name)?],
        _ => return None,
    })
}

/// A string of strings, each of kind `kinds[i % kinds.len()]`.
fn list(c: &mut Cur<'_>, kinds: &'static [Kind]) -> Option<Node> {
    c.nested(Kind::List, |inner| {
        let mut out = Vec::new();
        while !inner.rest.is_empty() {
            out.push(inner.string(kinds[out.len() % kinds.len()])?);
        }
        Some(out)
    })
}

fn plain_key(c: &mut Cur<'_>) -> Option<Vec<Node>> {
    let name = c.raw_string()?;
    let kt = keytype_of_name(name)?;
    let mut out = vec![Node::new(Kind::Name, Val::Str(name.to_vec()))];
    out.extend(key_fields(kt, c)?);
    Some(out)
}

fn keytype_of_name(name: &[u8]) -> Option<KeyType> {
    let name = std::str::from_utf8(name).ok()?;
    keyvet::Algorithm::from_name(name).map(|a| a.key_type())
}

fn signature(c: &mut Cur<'_>) -> Option<Vec<Node>> {
    let alg = c.raw_string()?;
    let mut out = vec![Node::new(Kind::Name, Val::Str(alg.to_vec()))];
    match alg {
        b"ssh-rsa" | b"rsa-sha2-256" | b"rsa-sha2-512" | b"ssh-dss" | b"ssh-ed25519" => {
            out.push(c.string(Kind::SigValue)?);
        }
        b"ecdsa-sha2-nistp256" | b"ecdsa-sha2-nistp384" | b"ecdsa-sha2-nistp521" => {
            out.push(c.nested(Kind::EcdsaSig, |i| {
                Some(vec![i.string(Kind::Mpint)?, i.string(Kind::Mpint)?])
            })?);
        }
        b"sk-ecdsa-sha2-nistp256@openssh.com" | b"webauthn-sk-ecdsa-sha2-nistp256@openssh.com" => {
            out.push(c.nested(Kind::EcdsaSig, |i| {
                Some(vec![i.string(Kind::Mpint)?, i.string(Kind::Mpint)?])
            })?);
            out.push(c.u8()?);
            out.push(c.u32()?);
            if alg.starts_with(b"webauthn") {
                out.push(c.string(Kind::Name)?);
                out.push(c.string(Kind::Bytes)?);
                out.push(c.string(Kind::Bytes)?);
            }
        }
        b"sk-ssh-ed25519@openssh.com" => {
            out.push(c.string(Kind::SigValue)?);
            out.push(c.u8()?);
            out.push(c.u32()?);
        }
        _ => return None,
    }
    Some(out)
}

/// The field tree of a valid blob, or `None` if its layout is not one this
/// target knows.
fn tree(blob: &[u8]) -> Option<Node> {
    let key = Key::parse(blob).ok()?;
    let mut c = Cur { rest: blob };
    let children = match key {
        Key::Plain(_) => plain_key(&mut c)?,
        Key::Cert(cert) => {
            let kt = cert.key().key_type();
            let v00 = cert.serial().is_none();
            let mut out = vec![c.string(Kind::Name)?];
            if !v00 {
                out.push(c.string(Kind::Bytes)?);
            }
            out.extend(key_fields(kt, &mut c)?);
            if !v00 {
                out.push(c.u64()?);
            }
            out.push(c.u32()?);
            out.push(c.string(Kind::Name)?);
            out.push(list(&mut c, &[Kind::Name])?);
            out.push(c.u64()?);
            out.push(c.u64()?);
            out.push(list(&mut c, &[Kind::Name, Kind::Bytes])?);
            if v00 {
                out.push(c.string(Kind::Bytes)?);
            } else {
                out.push(list(&mut c, &[Kind::Name, Kind::Bytes])?);
            }
            out.push(c.string(Kind::Bytes)?);
            out.push(c.nested(Kind::CaKey, plain_key)?);
            out.push(c.nested(Kind::Signature, signature)?);
            out
        }
    };
    if !c.rest.is_empty() {
        return None;
    }
    let t = Node::new(Kind::Top, Val::Seq(children));
    (t.bytes() == blob).then_some(t)
}

#[derive(Debug)]
struct Tpl {
    path: String,
    blob: Vec<u8>,
    tree: Node,
    cert: bool,
    openssh: &'static str,
    strict: &'static str,
    canonical: Vec<u8>,
    sha256: String,
}

/// Policies with weak-key screening as the presets have it; certificates
/// signed by RSA keys are verified (slow but the point).
const OPENSSH: Policy = policy::OPENSSH;
const STRICT: Policy = policy::STRICT;

fn tpls() -> &'static [Tpl] {
    static T: OnceLock<Vec<Tpl>> = OnceLock::new();
    T.get_or_init(|| {
        let mut out = Vec::new();
        for t in super::common::templates() {
            let Some(tree) = tree(&t.blob) else {
                panic!("structured: no field tree for {}", t.path);
            };
            let key = Key::parse(&t.blob).expect("templates parse");
            let mut canonical = Vec::new();
            key.public_key().write_canonical(&mut canonical);
            out.push(Tpl {
                path: t.path.clone(),
                blob: t.blob.clone(),
                tree,
                cert: key.as_cert().is_some(),
                openssh: verdict(&Checker::new(OPENSSH).check_blob(&t.blob)),
                strict: verdict(&Checker::new(STRICT).check_blob(&t.blob)),
                canonical,
                sha256: key.public_key().fingerprint(HashAlg::Sha256).to_string(),
            });
        }
        out
    })
}

/// Paths to every node, with whether it lies inside the signature.
fn paths(n: &Node, at: &mut Vec<usize>, in_sig: bool, out: &mut Vec<(Vec<usize>, bool)>) {
    out.push((at.clone(), in_sig));
    if let Val::Seq(children) = &n.val {
        for (i, c) in children.iter().enumerate() {
            at.push(i);
            paths(c, at, in_sig || c.kind == Kind::Signature, out);
            at.pop();
        }
    }
}

fn get_mut<'n>(mut n: &'n mut Node, path: &[usize]) -> &'n mut Node {
    for &i in path {
        let Val::Seq(children) = &mut n.val else { unreachable!() };
        n = &mut children[i];
    }
    n
}

fn names() -> &'static [Vec<u8>] {
    static N: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    N.get_or_init(|| {
        let mut v: Vec<Vec<u8>> = AlgorithmSet::ALL.iter().map(|a| a.name().as_bytes().to_vec()).collect();
        for s in [
            "rsa-sha2-256",
            "rsa-sha2-512",
            "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
            "RSA",
            "rsa",
            "DSA",
            "ED25519",
            "Ed25519",
            "ED25519-SK",
            "ecdsa",
            "nistp256",
            "nistp384",
            "nistp521",
            "force-command",
            "source-address",
            "verify-required",
            "permit-pty",
            "permit-X11-forwarding",
            "permit-agent-forwarding",
            "permit-port-forwarding",
            "permit-user-rc",
            "no-touch-required",
            "ssh:",
            "ssh:fuzz",
            "https://example.com",
            "root",
            "*",
            "",
        ] {
            v.push(s.as_bytes().to_vec());
        }
        v
    })
}

/// What was done, for the checks and the crash report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Length,
    Trailing,
    Int,
    MpintByte,
    MpintLeadingZero,
    MpintStripZero,
    MpintNegative,
    NameReplace,
    NameNul,
    NameUpper,
    BytesFlip,
    BytesTruncate,
    BytesExtend,
    BytesReplace,
    ListInsert,
    ListRemove,
    ListSwap,
    ListEmptyEntry,
    ListMany,
    SwapFromOther,
    Empty,
}

/// Mutates `n` once; returns what was done.
fn mutate(n: &mut Node, u: &mut Unstructured<'_>, others: &[Tpl]) -> Op {
    let choice: u8 = u.arbitrary().unwrap_or(0);
    // Every string can lie about its length or carry trailing bytes.
    if n.kind != Kind::Top && matches!(n.val, Val::Str(_) | Val::Seq(_)) && choice.is_multiple_of(8) {
        let len = {
            let mut b = Vec::new();
            n.write(&mut b);
            (b.len() - 4) as u32
        };
        let delta: i8 = u.arbitrary().unwrap_or(1);
        n.len_override = Some(match u.int_in_range(0..=4u8).unwrap_or(0) {
            0 => len.wrapping_add_signed(i32::from(delta)),
            1 => 0,
            2 => u32::MAX,
            3 => 0x8000_0000 | len,
            _ => u.arbitrary().unwrap_or(len ^ 1),
        });
        return Op::Length;
    }
    if matches!(n.val, Val::Str(_) | Val::Seq(_)) && choice % 8 == 1 {
        let k = u.int_in_range(1..=4usize).unwrap_or(1);
        for _ in 0..k {
            n.trailing.push(u.arbitrary().unwrap_or(0));
        }
        return Op::Trailing;
    }
    let sel = choice / 8;
    match (&mut n.val, n.kind) {
        (Val::U8(v), _) => {
            *v = match sel % 3 {
                0 => v.wrapping_add(1),
                1 => v.wrapping_sub(1),
                _ => u.arbitrary().unwrap_or(0),
            };
            Op::Int
        }
        (Val::U32(v), _) => {
            *v = match sel % 5 {
                0 => v.wrapping_add(1),
                1 => v.wrapping_sub(1),
                2 => 0,
                3 => u32::MAX,
                _ => u.arbitrary().unwrap_or(0),
            };
            Op::Int
        }
        (Val::U64(v), _) => {
            *v = match sel % 5 {
                0 => v.wrapping_add(1),
                1 => v.wrapping_sub(1),
                2 => 0,
                3 => u64::MAX,
                _ => u.arbitrary().unwrap_or(0),
            };
            Op::Int
        }
        (Val::Str(b), Kind::Mpint) => match sel % 5 {
            0 if !b.is_empty() => {
                let i = u.choose_index(b.len()).unwrap_or(0);
                b[i] = u.arbitrary().unwrap_or(b[i] ^ 1);
                Op::MpintByte
            }
            1 => {
                let k = u.int_in_range(1..=2usize).unwrap_or(1);
                for _ in 0..k {
                    b.insert(0, 0);
                }
                Op::MpintLeadingZero
            }
            2 if b.first() == Some(&0) => {
                b.remove(0);
                Op::MpintStripZero
            }
            3 => {
                if b.is_empty() {
                    b.push(0x80);
                } else {
                    b[0] |= 0x80;
                }
                Op::MpintNegative
            }
            _ => {
                b.clear();
                Op::Empty
            }
        },
        (Val::Str(b), Kind::Name) => match sel % 4 {
            0 => {
                let all = names();
                *b = all[u.choose_index(all.len()).unwrap_or(0)].clone();
                Op::NameReplace
            }
            1 => {
                b.push(0);
                Op::NameNul
            }
            2 => {
                b.make_ascii_uppercase();
                Op::NameUpper
            }
            _ if !b.is_empty() => {
                let i = u.choose_index(b.len()).unwrap_or(0);
                b[i] = u.arbitrary().unwrap_or(0);
                Op::BytesFlip
            }
            _ => {
                b.push(u.arbitrary().unwrap_or(b'a'));
                Op::BytesExtend
            }
        },
        (Val::Str(b), _) => match sel % 5 {
            0 if !b.is_empty() => {
                let i = u.choose_index(b.len()).unwrap_or(0);
                let x: u8 = u.arbitrary().unwrap_or(0);
                b[i] ^= x.max(1);
                Op::BytesFlip
            }
            1 if !b.is_empty() => {
                b.pop();
                Op::BytesTruncate
            }
            2 => {
                b.push(u.arbitrary().unwrap_or(0));
                Op::BytesExtend
            }
            3 => {
                let len = u.int_in_range(0..=80usize).unwrap_or(0);
                *b = (0..len).map(|_| u.arbitrary().unwrap_or(0)).collect();
                Op::BytesReplace
            }
            _ => {
                b.clear();
                Op::Empty
            }
        },
        (Val::Seq(children), Kind::List) => match sel % 5 {
            0 if !children.is_empty() => {
                let i = u.choose_index(children.len()).unwrap_or(0);
                let j = u.int_in_range(0..=children.len()).unwrap_or(0);
                let c = children[i].clone();
                children.insert(j, c);
                Op::ListInsert
            }
            1 if !children.is_empty() => {
                let i = u.choose_index(children.len()).unwrap_or(0);
                children.remove(i);
                Op::ListRemove
            }
            2 if children.len() >= 2 => {
                let i = u.choose_index(children.len()).unwrap_or(0);
                let j = u.choose_index(children.len()).unwrap_or(1);
                children.swap(i, j);
                Op::ListSwap
            }
            3 if !children.is_empty() => {
                let target = 255 + u.int_in_range(0..=3usize).unwrap_or(2);
                let first = children[0].clone();
                while children.len() < target {
                    children.push(first.clone());
                }
                Op::ListMany
            }
            _ => {
                let i = u.int_in_range(0..=children.len()).unwrap_or(0);
                children.insert(i, Node::new(Kind::Name, Val::Str(Vec::new())));
                Op::ListEmptyEntry
            }
        },
        (Val::Seq(_), Kind::CaKey | Kind::Signature) => {
            // The same field from another certificate.
            let certs: Vec<&Tpl> = others.iter().filter(|t| t.cert).collect();
            let other = certs[u.choose_index(certs.len()).unwrap_or(0)];
            let Val::Seq(top) = &other.tree.val else { unreachable!() };
            let want = n.kind;
            if let Some(f) = top.iter().find(|c| c.kind == want) {
                *n = f.clone();
            }
            Op::SwapFromOther
        }
        (Val::Seq(children), _) => {
            // Top or the ECDSA (r, s) string: drop the last field.
            children.pop();
            Op::ListRemove
        }
    }
}

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    let all = tpls();
    let mut u = Unstructured::new(data);
    let t = &all[u.choose_index(all.len()).unwrap_or(0)];
    let mut tree = t.tree.clone();
    let mut ps = Vec::new();
    paths(&tree, &mut Vec::new(), false, &mut ps);
    let (path, in_sig) = ps[u.choose_index(ps.len()).unwrap_or(0)].clone();
    let node = get_mut(&mut tree, &path);
    let before = node.clone();
    let op = mutate(node, &mut u, all);
    let kind = node.kind;
    // A name whose text is unchanged but for a trailing NUL (added as a
    // replacement, a NUL or trailing bytes).
    let renamed_same = match (&before.val, &node.val) {
        (Val::Str(a), Val::Str(b)) if kind == Kind::Name && node.len_override.is_none() => {
            let b: Vec<u8> = b.iter().chain(&node.trailing).copied().collect();
            keyvet::wire::strip_trailing_nul(a) == keyvet::wire::strip_trailing_nul(&b)
        }
        _ => false,
    };
    let m = tree.bytes();

    let openssh = Checker::new(OPENSSH).check_blob(&m);
    let strict = Checker::new(STRICT).check_blob(&m);
    let (vo, vs) = (verdict(&openssh), verdict(&strict));
    let ctx = || {
        format!(
            "template {} field {path:?} ({kind:?}) {op:?}: openssh {vo} (was {}), strict {vs} (was {})",
            t.path, t.openssh, t.strict
        )
    };
    if strict.is_ok() {
        assert!(openssh.is_ok(), "strict accepts what openssh refuses: {}", ctx());
    }
    if m == t.blob {
        assert_eq!(
            (vo, vs),
            (t.openssh, t.strict),
            "no-op mutation changed the verdict: {}",
            ctx()
        );
        return;
    }
    if !t.cert {
        let Ok(Key::Plain(k)) = Key::parse(&m) else { return };
        let mut canonical = Vec::new();
        k.key().write_canonical(&mut canonical);
        if canonical == t.canonical {
            assert_eq!(vo, t.openssh, "same canonical key, other openssh verdict: {}", ctx());
            assert!(
                vs == t.strict || NONCANONICAL_CODES.contains(&vs),
                "same canonical key, strict refuses for more than the encoding: {}",
                ctx()
            );
            assert_eq!(k.key().fingerprint(HashAlg::Sha256).to_string(), t.sha256, "{}", ctx());
        }
        return;
    }
    // A certificate.
    let benign = in_sig && ((kind == Kind::Mpint && op == Op::MpintLeadingZero && path.len() == 3) || renamed_same);
    if benign {
        assert_eq!(
            vo,
            t.openssh,
            "signature re-encoding changed the openssh verdict: {}",
            ctx()
        );
        assert!(
            vs == t.strict || NONCANONICAL_CODES.contains(&vs),
            "signature re-encoding: strict refuses for more than the encoding: {}",
            ctx()
        );
    } else {
        assert!(openssh.is_err(), "a mutated certificate still verifies: {}", ctx());
    }
}
