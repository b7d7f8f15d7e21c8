//! Certificate signature verification, as OpenSSH's `sshkey_verify` does it
//! for every CA key type and signature algorithm it accepts.
//!
//! The arithmetic is RustCrypto's (`rsa`, `dsa`, `p256`/`p384`/`p521`,
//! `ed25519-dalek`); this module only decodes, hashes and dispatches. With
//! the `verify-aws-lc` feature, AWS-LC (aws-lc-rs) does the arithmetic for
//! RSA moduli of 1024-8192 bits and every ECDSA curve, after RustCrypto has
//! taken the same inputs apart and checked them as without it (key, point,
//! exponent, r and s ranges, signature length), and on exactly the bytes
//! RustCrypto would verify (the left-padded RSA signature, the ECDSA digest,
//! r and s as field elements); DSA, Ed25519 and other RSA sizes stay
//! RustCrypto's. Both compute the same deterministic check on inputs that
//! both accept, so the verdicts are the same. Where
//! the RustCrypto crates are stricter than OpenSSL (RSA exponents outside
//! 3..2^33 or even, DSA public values outside the subgroup, Ed25519
//! signatures with a non-reduced S), keyvet rejects signatures that OpenSSH
//! would check; no valid signature made by ssh-keygen is affected.

use ed25519_dalek::Verifier;
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::algorithm::{Curve, KeyType};
use crate::cert::{Certificate, RsaHash, Signature, SignatureData, Webauthn};
use crate::error::{CertError, Snippet};
use crate::key::{DsaKey, EcdsaKey, KeyData, PlainKey, RsaKey};
use crate::wire::Mpint;

/// Verifies a certificate's CA signature over its signed part.
///
/// The signature algorithm must be one the signature key can make, as in
/// OpenSSH: `ssh-rsa`, `rsa-sha2-256` or `rsa-sha2-512` for an RSA key; the
/// key's own name for ECDSA; `ssh-ed25519`; `ssh-dss`; and the `sk-` forms,
/// which sign `SHA256(application) || flags || counter || SHA256(data)`.
///
/// # Errors
/// [`CertError::SignatureAlgorithm`] when the algorithm does not fit the
/// key, [`CertError::SignatureMalformed`] for a malformed signature
/// value, [`CertError::SignatureInvalid`] when it does not verify, and
/// [`CertError::CaUnsupported`] for CA key types keyvet cannot verify.
pub fn verify(cert: &Certificate<'_>) -> Result<(), CertError> {
    verify_with(cert, &cert.signature_key(), &cert.signature())
}

/// [`verify`] with the CA key and the signature already parsed (the
/// certificate keeps them as bytes).
pub(crate) fn verify_with(cert: &Certificate<'_>, ca_key: &PlainKey<'_>, sig: &Signature<'_>) -> Result<(), CertError> {
    let ca = ca_key.key();
    let data = cert.signed_data();
    let mismatch = || CertError::SignatureAlgorithm {
        sig: Snippet::new(sig.algorithm()),
        ca: ca.key_type(),
    };
    match (ca.data(), sig.data()) {
        (KeyData::Rsa(k), SignatureData::Rsa { hash, blob }) => rsa(k, *hash, blob, data),
        (KeyData::Dsa(k), SignatureData::Dsa { blob }) => dsa(k, blob, data),
        (KeyData::Ecdsa(k), SignatureData::Ecdsa { curve, r, s }) if *curve == k.curve => {
            let digest = ecdsa_digest(k.curve, data);
            ecdsa(k, r, s, &digest.bytes[..digest.len])
        }
        (KeyData::Ed25519(k), SignatureData::Ed25519 { sig }) => ed25519(k.key, sig, data),
        (
            KeyData::SkEcdsa(k),
            SignatureData::SkEcdsa {
                r,
                s,
                flags,
                counter,
                webauthn,
            },
        ) => {
            let msghash: [u8; 32] = match webauthn {
                None => Sha256::digest(data).into(),
                Some(w) => webauthn_hash(data, w, *flags)?,
            };
            let mut h = Sha256::new();
            h.update(Sha256::digest(k.application()));
            h.update([*flags]);
            h.update(counter.to_be_bytes());
            if let Some(w) = webauthn {
                h.update(w.extensions);
            }
            h.update(msghash);
            let sighash: [u8; 32] = h.finalize().into();
            ecdsa(&k.key, r, s, &sighash)
        }
        (KeyData::SkEd25519(k), SignatureData::SkEd25519 { sig, flags, counter }) => {
            let mut msg = [0u8; 32 + 1 + 4 + 32];
            msg[..32].copy_from_slice(&Sha256::digest(k.application()));
            msg[32] = *flags;
            msg[33..37].copy_from_slice(&counter.to_be_bytes());
            msg[37..].copy_from_slice(&Sha256::digest(data));
            ed25519(k.key.key, sig, &msg)
        }
        (KeyData::MlDsa44Ed25519(_), _) => Err(CertError::CaUnsupported(KeyType::MlDsa44Ed25519)),
        _ => Err(mismatch()),
    }
}

/// Largest RSA modulus OpenSSH verifies with (`SSHBUF_MAX_BIGNUM`).
const RSA_MAX_BITS: usize = 16384;

fn rsa(k: &RsaKey<'_>, hash: RsaHash, blob: &[u8], data: &[u8]) -> Result<(), CertError> {
    let n = k.n.magnitude();
    // OpenSSH: a signature longer than the modulus is refused, a shorter one
    // is left-padded with zeros.
    if blob.len() > n.len() || blob.is_empty() {
        return Err(CertError::SignatureInvalid);
    }
    let key = rsa::RsaPublicKey::new_with_max_size(
        rsa::BigUint::from_bytes_be(n),
        rsa::BigUint::from_bytes_be(k.e.magnitude()),
        RSA_MAX_BITS,
    )
    .map_err(|_| CertError::SignatureInvalid)?;
    let mut padded = vec![0u8; n.len()];
    padded[n.len() - blob.len()..].copy_from_slice(blob);
    #[cfg(feature = "verify-aws-lc")]
    if let Some(r) = aws::rsa(&key, hash, n, k.e.magnitude(), &padded, data) {
        return r;
    }
    let r = match hash {
        RsaHash::Sha1 => key.verify(rsa::Pkcs1v15Sign::new::<Sha1>(), &Sha1::digest(data), &padded),
        RsaHash::Sha256 => key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(data), &padded),
        RsaHash::Sha512 => key.verify(rsa::Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(data), &padded),
    };
    r.map_err(|_| CertError::SignatureInvalid)
}

fn dsa(k: &DsaKey<'_>, blob: &[u8], data: &[u8]) -> Result<(), CertError> {
    // OpenSSH: exactly 20 + 20 bytes. OpenSSL: q of 160, 224 or 256 bits and
    // p of at most 10000 bits, or it refuses to verify.
    if blob.len() != 40 {
        return Err(CertError::SignatureMalformed);
    }
    if !matches!(k.q.bits(), 160 | 224 | 256) || k.p.bits() > 10000 {
        return Err(CertError::SignatureInvalid);
    }
    let big = |m: &Mpint<'_>| dsa::BigUint::from_bytes_be(m.magnitude());
    let comps =
        dsa::Components::from_components(big(&k.p), big(&k.q), big(&k.g)).map_err(|_| CertError::SignatureInvalid)?;
    let vk = dsa::VerifyingKey::from_components(comps, big(&k.y)).map_err(|_| CertError::SignatureInvalid)?;
    let sig = dsa::Signature::from_components(
        dsa::BigUint::from_bytes_be(&blob[..20]),
        dsa::BigUint::from_bytes_be(&blob[20..]),
    )
    .map_err(|_| CertError::SignatureInvalid)?;
    vk.verify_prehash(&Sha1::digest(data), &sig)
        .map_err(|_| CertError::SignatureInvalid)
}

struct EcDigest {
    bytes: [u8; 64],
    len: usize,
}

fn ecdsa_digest(curve: Curve, data: &[u8]) -> EcDigest {
    let mut bytes = [0u8; 64];
    let len = match curve {
        Curve::P256 => {
            bytes[..32].copy_from_slice(&Sha256::digest(data));
            32
        }
        Curve::P384 => {
            bytes[..48].copy_from_slice(&Sha384::digest(data));
            48
        }
        Curve::P521 => {
            bytes.copy_from_slice(&Sha512::digest(data));
            64
        }
    };
    EcDigest { bytes, len }
}

/// Left-pads an mpint magnitude to a field element; `None` if it is longer.
fn field_bytes<const N: usize>(m: &Mpint<'_>) -> Option<[u8; N]> {
    let mag = m.magnitude();
    if mag.len() > N {
        return None;
    }
    let mut out = [0u8; N];
    out[N - mag.len()..].copy_from_slice(mag);
    Some(out)
}

macro_rules! ecdsa_verify {
    ($krate:ident, $n:expr, $point:expr, $r:expr, $s:expr, $prehash:expr) => {{
        let vk = $krate::ecdsa::VerifyingKey::from_sec1_bytes($point).map_err(|_| CertError::SignatureInvalid)?;
        let r = field_bytes::<$n>($r).ok_or(CertError::SignatureInvalid)?;
        let s = field_bytes::<$n>($s).ok_or(CertError::SignatureInvalid)?;
        let mut rs = [0u8; $n * 2];
        rs[..$n].copy_from_slice(&r);
        rs[$n..].copy_from_slice(&s);
        // Refuses r or s of zero or not below the group order.
        let sig = $krate::ecdsa::Signature::from_slice(&rs).map_err(|_| CertError::SignatureInvalid)?;
        ecdsa_arith!(vk, sig, $point, &rs, $prehash)
    }};
}

/// The ECDSA arithmetic on inputs RustCrypto has parsed and range-checked.
#[cfg(not(feature = "verify-aws-lc"))]
macro_rules! ecdsa_arith {
    ($vk:ident, $sig:ident, $point:expr, $rs:expr, $prehash:expr) => {
        $vk.verify_prehash($prehash, &$sig)
            .map_err(|_| CertError::SignatureInvalid)
    };
}

/// The ECDSA arithmetic on inputs RustCrypto has parsed and range-checked:
/// AWS-LC's, on the same point, r || s and digest.
#[cfg(feature = "verify-aws-lc")]
macro_rules! ecdsa_arith {
    ($vk:ident, $sig:ident, $point:expr, $rs:expr, $prehash:expr) => {{
        let _checked = (&$vk, &$sig);
        aws::ecdsa($point, $rs, $prehash)
    }};
}

fn ecdsa(k: &EcdsaKey<'_>, r: &Mpint<'_>, s: &Mpint<'_>, prehash: &[u8]) -> Result<(), CertError> {
    match k.curve {
        Curve::P256 => ecdsa_verify!(p256, 32, k.point, r, s, prehash),
        Curve::P384 => ecdsa_verify!(p384, 48, k.point, r, s, prehash),
        Curve::P521 => ecdsa_verify!(p521, 66, k.point, r, s, prehash),
    }
}

/// AWS-LC's RSA and ECDSA arithmetic (`verify-aws-lc`), called only after
/// RustCrypto's checks of the same inputs have passed.
#[cfg(feature = "verify-aws-lc")]
mod aws {
    use aws_lc_rs::digest::{self, Digest};
    use aws_lc_rs::signature::{self as sig, RsaPublicKeyComponents, UnparsedPublicKey};
    use rsa::traits::PublicKeyParts;

    use crate::cert::RsaHash;
    use crate::error::CertError;

    /// PKCS#1 v1.5 over `data` hashed with `hash`; `None` (RustCrypto
    /// verifies) for moduli outside AWS-LC's 1024-8192 bits. `key` is
    /// RustCrypto's key for the same `n` and `e`: it has checked n odd,
    /// e odd, 2 < e < 2^33 and e < n, which AWS-LC requires too; `padded`
    /// is the signature left-padded to the modulus' length.
    pub(super) fn rsa(
        key: &rsa::RsaPublicKey,
        hash: RsaHash,
        n: &[u8],
        e: &[u8],
        padded: &[u8],
        data: &[u8],
    ) -> Option<Result<(), CertError>> {
        if !(1024..=8192).contains(&key.n().bits()) {
            return None;
        }
        let params = match hash {
            RsaHash::Sha1 => &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
            RsaHash::Sha256 => &sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            RsaHash::Sha512 => &sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
        };
        Some(
            RsaPublicKeyComponents { n, e }
                .verify(params, data, padded)
                .map_err(|_| CertError::SignatureInvalid),
        )
    }

    /// ECDSA on an uncompressed `point`, `rs` = r || s as field elements and
    /// the digest RustCrypto would verify (its length names the hash:
    /// SHA-256 for P-256 and the sk- forms, SHA-384, SHA-512).
    pub(super) fn ecdsa(point: &[u8], rs: &[u8], prehash: &[u8]) -> Result<(), CertError> {
        let (alg, hash) = match rs.len() {
            64 => (&sig::ECDSA_P256_SHA256_FIXED, &digest::SHA256),
            96 => (&sig::ECDSA_P384_SHA384_FIXED, &digest::SHA384),
            _ => (&sig::ECDSA_P521_SHA512_FIXED, &digest::SHA512),
        };
        let digest = Digest::import_less_safe(prehash, hash).map_err(|_| CertError::SignatureInvalid)?;
        UnparsedPublicKey::new(alg, point)
            .verify_digest(&digest, rs)
            .map_err(|_| CertError::SignatureInvalid)
    }
}

fn ed25519(key: &[u8; 32], sig: &[u8], msg: &[u8]) -> Result<(), CertError> {
    let sig = ed25519_dalek::Signature::from_slice(sig).map_err(|_| CertError::SignatureMalformed)?;
    let vk = ed25519_dalek::VerifyingKey::from_bytes(key).map_err(|_| CertError::SignatureInvalid)?;
    vk.verify(msg, &sig).map_err(|_| CertError::SignatureInvalid)
}

/// OpenSSH's `webauthn_check_prepare_hash`: the clientData must start with
/// the expected preamble holding the base64url challenge (the signed data)
/// and the origin; the flags must agree with the extensions. Returns
/// SHA-256 of the clientData.
fn webauthn_hash(data: &[u8], w: &Webauthn<'_>, flags: u8) -> Result<[u8; 32], CertError> {
    if w.origin.contains(&b'"') || flags & 0x40 != 0 || ((flags & 0x80) == 0) != w.extensions.is_empty() {
        return Err(CertError::SignatureInvalid);
    }
    let mut rest = w.client_data;
    let mut expect = |s: &[u8]| -> bool {
        if rest.len() >= s.len() && &rest[..s.len()] == s {
            rest = &rest[s.len()..];
            true
        } else {
            false
        }
    };
    let mut ok = expect(b"{\"type\":\"webauthn.get\",\"challenge\":\"");
    const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for chunk in data.chunks(3) {
        if !ok {
            break;
        }
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sym = [
            URL[(n >> 18) as usize & 63],
            URL[(n >> 12) as usize & 63],
            URL[(n >> 6) as usize & 63],
            URL[n as usize & 63],
        ];
        ok = expect(&sym[..chunk.len() + 1]);
    }
    ok = ok && expect(b"\",\"origin\":\"") && expect(w.origin) && expect(b"\"");
    if !ok {
        return Err(CertError::SignatureInvalid);
    }
    Ok(Sha256::digest(w.client_data).into())
}
