//! Borrowed views of public keys and the parser of key blobs.
//!
//! [`Key::parse`] applies OpenSSH 9.2's parsing rules (`sshkey_from_blob`):
//! what it accepts, OpenSSH's parser accepts too, except the checks that need
//! curve arithmetic or signature verification, which [`crate::Checker`]
//! runs according to its policy. Every value borrows from the blob.

use std::fmt;

use crate::algorithm::{self, Algorithm, BlobName, Curve, KeyType};
use crate::cert::Certificate;
use crate::error::{CertError, Error, KeyError, Snippet};
use crate::fingerprint::{self, Fingerprint, HashAlg};
use crate::wire::{self, Cursor, Mpint, Sink};

/// Smallest RSA modulus OpenSSH parses (`SSH_RSA_MINIMUM_MODULUS_SIZE`).
pub const OPENSSH_MIN_RSA_BITS: u32 = 1024;

/// Length of an Ed25519 public key.
pub const ED25519_KEY_LEN: usize = 32;

/// Length of an ML-DSA-44 + Ed25519 composite public key (1312 + 32).
pub const MLDSA44_ED25519_KEY_LEN: usize = 1344;

/// An RSA public key: exponent `e` and modulus `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RsaKey<'b> {
    /// Public exponent.
    pub e: Mpint<'b>,
    /// Modulus.
    pub n: Mpint<'b>,
}

/// A DSA public key: domain parameters `p`, `q`, `g` and public value `y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DsaKey<'b> {
    /// Prime modulus.
    pub p: Mpint<'b>,
    /// Subgroup order.
    pub q: Mpint<'b>,
    /// Generator.
    pub g: Mpint<'b>,
    /// Public value.
    pub y: Mpint<'b>,
}

/// An ECDSA public key: a curve and an uncompressed SEC1 point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EcdsaKey<'b> {
    /// The curve.
    pub curve: Curve,
    /// The curve name as written in the blob (a trailing NUL included).
    pub curve_name: &'b [u8],
    /// `0x04 || x || y`, exactly [`Curve::point_len`] bytes.
    pub point: &'b [u8],
}

/// An Ed25519 public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ed25519Key<'b> {
    /// The 32-byte compressed point.
    pub key: &'b [u8; ED25519_KEY_LEN],
}

/// A FIDO security key: the underlying key and its application string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkKey<'b, K> {
    /// The underlying ECDSA or Ed25519 key.
    pub key: K,
    /// The application (relying party) string, as written (a trailing NUL
    /// included); usually `ssh:`.
    pub application: &'b [u8],
}

impl<K> SkKey<'_, K> {
    /// The application as OpenSSH sees it (without a trailing NUL).
    pub fn application(&self) -> &[u8] {
        wire::strip_trailing_nul(self.application)
    }
}

/// An ML-DSA-44 + Ed25519 composite public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MlDsa44Ed25519Key<'b> {
    /// ML-DSA-44 public key (1312 bytes) followed by the Ed25519 key (32).
    pub key: &'b [u8; MLDSA44_ED25519_KEY_LEN],
}

/// The key material of a public key, by family.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyData<'b> {
    /// `ssh-rsa`
    Rsa(RsaKey<'b>),
    /// `ssh-dss`
    Dsa(DsaKey<'b>),
    /// `ecdsa-sha2-*`
    Ecdsa(EcdsaKey<'b>),
    /// `ssh-ed25519`
    Ed25519(Ed25519Key<'b>),
    /// `sk-ecdsa-sha2-nistp256@openssh.com`
    SkEcdsa(SkKey<'b, EcdsaKey<'b>>),
    /// `sk-ssh-ed25519@openssh.com`
    SkEd25519(SkKey<'b, Ed25519Key<'b>>),
    /// `ssh-mldsa44-ed25519@openssh.com`
    MlDsa44Ed25519(MlDsa44Ed25519Key<'b>),
}

/// A public key (plain, or the key inside a certificate), borrowed from its
/// blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey<'b> {
    key_type: KeyType,
    data: KeyData<'b>,
    /// The encoded key fields, after the type string (and, in a
    /// certificate, after the nonce).
    fields: &'b [u8],
    /// Offset of `fields` in the blob.
    fields_at: usize,
    /// Whether `fields` is already the canonical encoding.
    fields_canonical: bool,
}

impl<'b> PublicKey<'b> {
    /// The key type.
    pub const fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The key material.
    pub const fn data(&self) -> &KeyData<'b> {
        &self.data
    }

    /// The encoded key fields as they appear in the blob (everything after
    /// the type string, or after the nonce in a certificate).
    pub const fn fields(&self) -> &'b [u8] {
        self.fields
    }

    /// Offset of [`PublicKey::fields`] in the blob.
    pub const fn fields_offset(&self) -> usize {
        self.fields_at
    }

    /// Whether the fields are encoded canonically (minimal mpints, no
    /// trailing NUL in strings). OpenSSH accepts some non-canonical forms and
    /// fingerprints their canonical re-encoding; so does keyvet.
    pub const fn is_canonical(&self) -> bool {
        self.fields_canonical
    }

    /// The key size ssh-keygen reports: modulus bits for RSA, `p` bits for
    /// DSA, the curve size for ECDSA, 256 for Ed25519 and the composite key.
    pub fn bits(&self) -> u32 {
        match &self.data {
            KeyData::Rsa(k) => k.n.bits(),
            KeyData::Dsa(k) => k.p.bits(),
            KeyData::Ecdsa(k) => k.curve.bits(),
            KeyData::SkEcdsa(k) => k.key.curve.bits(),
            KeyData::Ed25519(_) | KeyData::SkEd25519(_) | KeyData::MlDsa44Ed25519(_) => 256,
        }
    }

    /// Writes the canonical plain encoding of this key, the bytes OpenSSH
    /// hashes for a fingerprint (`sshkey_putb_plain`).
    pub fn write_canonical<S: Sink + ?Sized>(&self, out: &mut S) {
        out.put_string(self.key_type.name().as_bytes());
        if self.fields_canonical {
            out.put(self.fields);
            return;
        }
        match &self.data {
            KeyData::Rsa(k) => {
                out.put_mpint(k.e.raw());
                out.put_mpint(k.n.raw());
            }
            KeyData::Dsa(k) => {
                for m in [k.p, k.q, k.g, k.y] {
                    out.put_mpint(m.raw());
                }
            }
            KeyData::Ecdsa(k) => {
                out.put_string(k.curve.name().as_bytes());
                out.put_string(k.point);
            }
            KeyData::SkEcdsa(k) => {
                out.put_string(k.key.curve.name().as_bytes());
                out.put_string(k.key.point);
                out.put_string(k.application());
            }
            KeyData::Ed25519(k) => out.put_string(k.key),
            KeyData::SkEd25519(k) => {
                out.put_string(k.key.key);
                out.put_string(k.application());
            }
            KeyData::MlDsa44Ed25519(k) => out.put_string(k.key),
        }
    }

    /// The fingerprint ssh-keygen prints for this key.
    ///
    /// ```
    /// use keyvet::{Key, HashAlg};
    /// # use base64::Engine;
    /// let b64 = "AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy";
    /// let blob = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
    /// let key = Key::parse(&blob).unwrap();
    /// let fp = key.public_key().fingerprint(HashAlg::Sha256);
    /// assert!(fp.to_string().starts_with("SHA256:"));
    /// ```
    pub fn fingerprint(&self, alg: HashAlg) -> Fingerprint {
        fingerprint::of_key(self, alg)
    }
}

/// A parsed key blob: a plain public key or a certificate.
// A certificate view is larger than a plain key view; boxing it would put an
// allocation on the hot path, and both live on the stack.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'b> {
    /// A plain public key.
    Plain(PlainKey<'b>),
    /// An OpenSSH certificate.
    Cert(Certificate<'b>),
}

/// A plain public key blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlainKey<'b> {
    raw: &'b [u8],
    type_name: &'b [u8],
    name_canonical: bool,
    key: PublicKey<'b>,
}

impl<'b> PlainKey<'b> {
    /// The whole blob.
    pub const fn raw(&self) -> &'b [u8] {
        self.raw
    }

    /// The type string as written in the blob.
    pub const fn type_name(&self) -> &'b [u8] {
        self.type_name
    }

    /// Whether the type string is the canonical name.
    pub const fn type_name_is_canonical(&self) -> bool {
        self.name_canonical
    }

    /// The key.
    pub const fn key(&self) -> &PublicKey<'b> {
        &self.key
    }
}

impl<'b> Key<'b> {
    /// The fingerprint `ssh-keygen -l` shows: of the key's canonical
    /// encoding (for a certificate, of the certified key). A plain key
    /// whose blob is already canonical is hashed in one pass over the blob.
    pub fn fingerprint(&self, alg: HashAlg) -> Fingerprint {
        match self {
            Key::Plain(p) if p.name_canonical && p.key.fields_canonical => crate::fingerprint::of_bytes(p.raw, alg),
            _ => self.public_key().fingerprint(alg),
        }
    }

    /// Parses a key blob (the base64-decoded second field of a public key
    /// line) with OpenSSH's parsing rules.
    ///
    /// ```
    /// use keyvet::{Key, KeyType};
    /// let mut blob = Vec::new();
    /// blob.extend_from_slice(b"\0\0\0\x0bssh-ed25519\0\0\0\x20");
    /// blob.extend_from_slice(&[7u8; 32]);
    /// let key = Key::parse(&blob).unwrap();
    /// assert_eq!(key.algorithm().key_type(), KeyType::Ed25519);
    /// assert_eq!(key.bits(), 256);
    /// blob.push(0);
    /// assert_eq!(Key::parse(&blob).unwrap_err().code(), "blob.trailing_data");
    /// ```
    ///
    /// # Errors
    /// Any violation of the wire format or of OpenSSH's key rules, with the
    /// field and blob offset where it was found.
    pub fn parse(blob: &'b [u8]) -> Result<Key<'b>, Error> {
        parse_blob(blob, true)
    }

    /// The algorithm named inside the blob.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            Key::Plain(p) => Algorithm::plain(p.key.key_type),
            Key::Cert(c) => c.algorithm(),
        }
    }

    /// The public key (for a certificate, the certified key).
    pub fn public_key(&self) -> &PublicKey<'b> {
        match self {
            Key::Plain(p) => &p.key,
            Key::Cert(c) => c.key(),
        }
    }

    /// The whole blob.
    pub fn raw(&self) -> &'b [u8] {
        match self {
            Key::Plain(p) => p.raw,
            Key::Cert(c) => c.raw(),
        }
    }

    /// Key size as ssh-keygen reports it.
    pub fn bits(&self) -> u32 {
        self.public_key().bits()
    }

    /// The certificate, if this is one.
    pub fn as_cert(&self) -> Option<&Certificate<'b>> {
        match self {
            Key::Cert(c) => Some(c),
            Key::Plain(_) => None,
        }
    }
}

pub(crate) fn parse_blob(blob: &[u8], allow_cert: bool) -> Result<Key<'_>, Error> {
    let mut cur = Cursor::new(blob);
    let type_name = cur.read("type", wire::text)?;
    let (alg, form) = algorithm::lookup_blob_type(type_name).ok_or_else(|| {
        Error::in_blob(
            KeyError::TypeUnknown(Snippet::new(wire::strip_trailing_nul(type_name))),
            0,
            "type",
        )
    })?;
    if alg.is_cert() {
        if !allow_cert {
            return Err(Error::in_blob(CertError::CaIsCertificate, 0, "type"));
        }
        return crate::cert::parse_cert(blob, cur, alg, type_name, form).map(Key::Cert);
    }
    let key = parse_fields(alg.key_type(), &mut cur)?;
    cur.finish("end")?;
    Ok(Key::Plain(PlainKey {
        raw: blob,
        type_name,
        name_canonical: form == BlobName::Canonical,
        key,
    }))
}

/// Parses the fields of a key of type `kt` at the cursor.
pub(crate) fn parse_fields<'b>(kt: KeyType, cur: &mut Cursor<'b>) -> Result<PublicKey<'b>, Error> {
    let start = cur.rest();
    let fields_at = cur.offset();
    let (data, canonical) = match kt {
        KeyType::Rsa => {
            let e = cur.read("rsa.e", wire::mpint)?;
            let n_at = cur.offset();
            let n = cur.read("rsa.n", wire::mpint)?;
            let bits = n.bits();
            if bits < OPENSSH_MIN_RSA_BITS {
                return Err(Error::in_blob(
                    KeyError::RsaTooSmall {
                        bits,
                        min: OPENSSH_MIN_RSA_BITS,
                    },
                    n_at,
                    "rsa.n",
                ));
            }
            (KeyData::Rsa(RsaKey { e, n }), e.is_canonical() && n.is_canonical())
        }
        KeyType::Dsa => {
            let p = cur.read("dsa.p", wire::mpint)?;
            let q = cur.read("dsa.q", wire::mpint)?;
            let g = cur.read("dsa.g", wire::mpint)?;
            let y = cur.read("dsa.y", wire::mpint)?;
            let c = [p, q, g, y].iter().all(Mpint::is_canonical);
            (KeyData::Dsa(DsaKey { p, q, g, y }), c)
        }
        KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::EcdsaP521 => {
            let k = parse_ecdsa(kt, cur)?;
            (KeyData::Ecdsa(k), k.curve_name.len() == k.curve.name().len())
        }
        KeyType::SkEcdsaP256 => {
            let k = parse_ecdsa(kt, cur)?;
            let application = cur.read("sk.application", wire::text)?;
            let c = k.curve_name.len() == k.curve.name().len() && !application.ends_with(&[0]);
            (KeyData::SkEcdsa(SkKey { key: k, application }), c)
        }
        KeyType::Ed25519 => (KeyData::Ed25519(parse_ed25519(cur)?), true),
        KeyType::SkEd25519 => {
            let key = parse_ed25519(cur)?;
            let application = cur.read("sk.application", wire::text)?;
            let c = !application.ends_with(&[0]);
            (KeyData::SkEd25519(SkKey { key, application }), c)
        }
        KeyType::MlDsa44Ed25519 => {
            let at = cur.offset();
            let k = cur.read("mldsa.key", wire::string)?;
            let key = <&[u8; MLDSA44_ED25519_KEY_LEN]>::try_from(k)
                .map_err(|_| Error::in_blob(KeyError::MlDsaLength(k.len()), at, "mldsa.key"))?;
            (KeyData::MlDsa44Ed25519(MlDsa44Ed25519Key { key }), true)
        }
    };
    let used = start.len() - cur.rest().len();
    Ok(PublicKey {
        key_type: kt,
        data,
        fields: &start[..used],
        fields_at,
        fields_canonical: canonical,
    })
}

fn parse_ecdsa<'b>(kt: KeyType, cur: &mut Cursor<'b>) -> Result<EcdsaKey<'b>, Error> {
    let curve = kt.curve().unwrap_or(Curve::P256);
    let name_at = cur.offset();
    let curve_name = cur.read("ecdsa.curve", wire::text)?;
    if Curve::from_name(wire::strip_trailing_nul(curve_name)) != Some(curve) {
        return Err(Error::in_blob(
            KeyError::EcCurveMismatch {
                expected: curve,
                found: Snippet::new(wire::strip_trailing_nul(curve_name)),
            },
            name_at,
            "ecdsa.curve",
        ));
    }
    let at = cur.offset();
    let point = cur.read("ecdsa.point", wire::string)?;
    match point.first() {
        None => {
            return Err(Error::in_blob(
                KeyError::EcPointLength {
                    len: 0,
                    expected: curve.point_len(),
                    curve,
                },
                at,
                "ecdsa.point",
            ));
        }
        Some(&b) if b != 0x04 => {
            return Err(Error::in_blob(KeyError::EcPointEncoding(b), at, "ecdsa.point"));
        }
        Some(_) => {}
    }
    if point.len() != curve.point_len() {
        return Err(Error::in_blob(
            KeyError::EcPointLength {
                len: point.len(),
                expected: curve.point_len(),
                curve,
            },
            at,
            "ecdsa.point",
        ));
    }
    Ok(EcdsaKey {
        curve,
        curve_name,
        point,
    })
}

fn parse_ed25519<'b>(cur: &mut Cursor<'b>) -> Result<Ed25519Key<'b>, Error> {
    let at = cur.offset();
    let k = cur.read("ed25519.key", wire::string)?;
    let key = <&[u8; ED25519_KEY_LEN]>::try_from(k)
        .map_err(|_| Error::in_blob(KeyError::Ed25519Length(k.len()), at, "ed25519.key"))?;
    Ok(Ed25519Key { key })
}

impl fmt::Display for PublicKey<'_> {
    /// `BITS TYPE`, e.g. `256 ED25519`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.bits(), self.key_type.short_name())
    }
}
