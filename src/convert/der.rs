//! DER keys (SubjectPublicKeyInfo, PKCS#1, SEC1, OpenSSL's DSA, PKCS#8)
//! read with RustCrypto's `der`, `spki`, `pkcs1` and `pkcs8` crates (SEC 1
//! `ECPrivateKey` with `der` alone, for its explicit curves), and turned
//! into SSH key blobs. Public halves of private keys are computed by
//! RustCrypto's curve crates, `ed25519-dalek` and `dsa`.

use ::der::asn1::{AnyRef, BitStringRef, ContextSpecific, ObjectIdentifier, OctetStringRef, UintRef};
use ::der::{Decode, Reader, SliceReader, TagNumber};
use p256::elliptic_curve::bigint::ArrayEncoding;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use zeroize::Zeroizing;

use super::curves::{self, UNSUPPORTED_CURVE};
use super::{Format, Reading};
use crate::algorithm::{Curve, KeyType};
use crate::error::ConvertError;
use crate::wire::Sink;

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
const EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

fn malformed(format: Format) -> ConvertError {
    ConvertError::Malformed {
        format,
        reason: "its DER structure is invalid: the key is truncated, altered, or not the kind its label says",
    }
}

const UNSUPPORTED_ALGORITHM: ConvertError = ConvertError::Unsupported(
    "the key's algorithm is not one SSH uses: keyvet converts RSA, DSA, ECDSA (P-256, P-384, P-521) and Ed25519 keys",
);

fn rsa_blob(e: &[u8], n: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(n.len() + e.len() + 24);
    b.put_string(KeyType::Rsa.name().as_bytes());
    b.put_mpint(e);
    b.put_mpint(n);
    b
}

fn dsa_blob(p: &[u8], q: &[u8], g: &[u8], y: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(p.len() * 3 + q.len() + 36);
    b.put_string(KeyType::Dsa.name().as_bytes());
    for m in [p, q, g, y] {
        b.put_mpint(m);
    }
    b
}

fn ecdsa_blob(curve: Curve, point: &[u8]) -> Vec<u8> {
    let kt = match curve {
        Curve::P256 => KeyType::EcdsaP256,
        Curve::P384 => KeyType::EcdsaP384,
        Curve::P521 => KeyType::EcdsaP521,
    };
    let mut b = Vec::with_capacity(point.len() + 48);
    b.put_string(kt.name().as_bytes());
    b.put_string(curve.name().as_bytes());
    b.put_string(point);
    b
}

fn ed25519_blob(key: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(51);
    b.put_string(KeyType::Ed25519.name().as_bytes());
    b.put_string(key);
    b
}

/// A SEQUENCE of `n` INTEGERs (non-negative), nothing after it.
fn uint_seq(der: &[u8], n: usize) -> ::der::Result<Vec<UintRef<'_>>> {
    let mut r = SliceReader::new(der)?;
    let v = r.sequence(|s| (0..n).map(|_| UintRef::decode(s)).collect::<::der::Result<Vec<_>>>())?;
    r.finish(v)
}

/// `n` INTEGERs (non-negative) filling the content of a SEQUENCE.
fn uints(content: &[u8], n: usize) -> ::der::Result<Vec<UintRef<'_>>> {
    let mut r = SliceReader::new(content)?;
    let v = (0..n)
        .map(|_| UintRef::decode(&mut r))
        .collect::<::der::Result<Vec<_>>>()?;
    r.finish(v)
}

/// An EC point as OpenSSH stores it: uncompressed. Compressed points are
/// decompressed by the curve crate (OpenSSL reads them too).
fn uncompressed(curve: Curve, point: &[u8], format: Format) -> Result<Vec<u8>, ConvertError> {
    let bad = ConvertError::Malformed {
        format,
        reason: "its EC public key is not a point of its curve",
    };
    match point.first() {
        Some(4) => Ok(point.to_vec()),
        Some(2 | 3) => match curve {
            Curve::P256 => {
                p256::PublicKey::from_sec1_bytes(point).map(|k| k.to_encoded_point(false).as_bytes().to_vec())
            }
            Curve::P384 => {
                p384::PublicKey::from_sec1_bytes(point).map(|k| k.to_encoded_point(false).as_bytes().to_vec())
            }
            Curve::P521 => {
                p521::PublicKey::from_sec1_bytes(point).map(|k| k.to_encoded_point(false).as_bytes().to_vec())
            }
        }
        .map_err(|_| bad),
        _ => Err(bad),
    }
}

/// The public point of a private scalar, computed by the curve crate (its
/// secret key type zeroes the scalar when dropped).
fn point_of_scalar(curve: Curve, scalar: &[u8], format: Format) -> Result<Vec<u8>, ConvertError> {
    match curve {
        Curve::P256 => {
            p256::SecretKey::from_slice(scalar).map(|k| k.public_key().to_encoded_point(false).as_bytes().to_vec())
        }
        Curve::P384 => {
            p384::SecretKey::from_slice(scalar).map(|k| k.public_key().to_encoded_point(false).as_bytes().to_vec())
        }
        Curve::P521 => {
            p521::SecretKey::from_slice(scalar).map(|k| k.public_key().to_encoded_point(false).as_bytes().to_vec())
        }
    }
    .map_err(|_| ConvertError::Malformed {
        format,
        reason: "its EC private key is out of range for its curve",
    })
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    &b[b.iter().position(|&x| x != 0).unwrap_or(b.len())..]
}

fn bit_len(b: &[u8]) -> usize {
    let b = strip_zeros(b);
    b.first()
        .map_or(0, |&top| (b.len() - 1) * 8 + (8 - top.leading_zeros() as usize))
}

/// OpenSSH's `sshkey_ec_validate_private`: the scalar has more bits than
/// half the group order's, and is below the order minus one.
pub(super) fn ec_private_in_range(curve: Curve, scalar: &[u8]) -> bool {
    use p256::elliptic_curve::Curve as _;
    let order = match curve {
        Curve::P256 => p256::NistP256::ORDER.to_be_byte_array().to_vec(),
        Curve::P384 => p384::NistP384::ORDER.to_be_byte_array().to_vec(),
        Curve::P521 => p521::NistP521::ORDER.to_be_byte_array().to_vec(),
    };
    let mut order_minus_one = strip_zeros(&order).to_vec();
    // The group orders are odd: minus one clears the lowest bit.
    if let Some(last) = order_minus_one.last_mut() {
        *last &= !1;
    }
    let x = strip_zeros(scalar);
    if bit_len(x) <= bit_len(&order_minus_one) / 2 {
        return false;
    }
    x.len()
        .cmp(&order_minus_one.len())
        .then_with(|| x.cmp(&order_minus_one[..]))
        .is_lt()
}

/// `-----BEGIN PUBLIC KEY-----`: a SubjectPublicKeyInfo.
pub(super) fn spki(der: &[u8]) -> Result<Vec<u8>, ConvertError> {
    let f = Format::PemPublicKey;
    let info = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|_| malformed(f))?;
    let key = info.subject_public_key.as_bytes().ok_or_else(|| malformed(f))?;
    match info.algorithm.oid {
        RSA => rsa_public(key, f),
        EC => {
            let curve = curves::of_parameters(info.algorithm.parameters.ok_or(UNSUPPORTED_CURVE)?)?;
            Ok(ecdsa_blob(curve, &uncompressed(curve, key, f)?))
        }
        ED25519 => {
            if key.len() != 32 || info.algorithm.parameters.is_some() {
                return Err(malformed(f));
            }
            Ok(ed25519_blob(key))
        }
        DSA => {
            let params = info.algorithm.parameters.ok_or_else(|| malformed(f))?;
            if ::der::Tagged::tag(&params) != ::der::Tag::Sequence {
                return Err(malformed(f));
            }
            let pqg = uints(params.value(), 3).map_err(|_| malformed(f))?;
            let y = UintRef::from_der(key).map_err(|_| malformed(f))?;
            Ok(dsa_blob(
                pqg[0].as_bytes(),
                pqg[1].as_bytes(),
                pqg[2].as_bytes(),
                y.as_bytes(),
            ))
        }
        _ => Err(UNSUPPORTED_ALGORITHM),
    }
}

fn rsa_public(der: &[u8], f: Format) -> Result<Vec<u8>, ConvertError> {
    let k = pkcs1::RsaPublicKey::from_der(der).map_err(|_| malformed(f))?;
    Ok(rsa_blob(k.public_exponent.as_bytes(), k.modulus.as_bytes()))
}

/// `-----BEGIN RSA PUBLIC KEY-----`: PKCS#1.
pub(super) fn pkcs1_public(der: &[u8]) -> Result<Vec<u8>, ConvertError> {
    rsa_public(der, Format::PemRsaPublicKey)
}

/// `-----BEGIN RSA PRIVATE KEY-----`: PKCS#1.
pub(super) fn pkcs1_private(der: &[u8], f: Format) -> Result<Vec<u8>, ConvertError> {
    let k = pkcs1::RsaPrivateKey::from_der(der).map_err(|_| malformed(f))?;
    Ok(rsa_blob(k.public_exponent.as_bytes(), k.modulus.as_bytes()))
}

/// `-----BEGIN DSA PRIVATE KEY-----`: OpenSSL's
/// `SEQUENCE { 0, p, q, g, y, x }`.
pub(super) fn dsa_private(der: &[u8]) -> Result<Vec<u8>, ConvertError> {
    let f = Format::PemDsaPrivateKey;
    let v = uint_seq(der, 6).map_err(|_| malformed(f))?;
    if v[0].as_bytes() != [0] {
        return Err(malformed(f));
    }
    Ok(dsa_blob(
        v[1].as_bytes(),
        v[2].as_bytes(),
        v[3].as_bytes(),
        v[4].as_bytes(),
    ))
}

/// The parts of a SEC1 private key keyvet reads.
struct Sec1Key<'a> {
    private_key: &'a [u8],
    public_key: Option<&'a [u8]>,
}

/// `-----BEGIN EC PRIVATE KEY-----`: SEC1, with the curve of the enclosing
/// PKCS#8 structure when there is one. The embedded public key is used when
/// present, else the public key is computed from the scalar.
pub(super) fn sec1_private(der: &[u8], outer: Option<Curve>, f: Format) -> Result<Vec<u8>, ConvertError> {
    // SEC 1 C.4 `ECPrivateKey`, read here rather than by the sec1 crate,
    // whose parameters are named curves only: OpenSSL writes explicit ones
    // with `-param_enc explicit`.
    let mut r = SliceReader::new(der).map_err(|_| malformed(f))?;
    let k = r
        .sequence(|s| {
            let version = UintRef::decode(s)?;
            let private_key = OctetStringRef::decode(s)?.as_bytes();
            let parameters = ContextSpecific::<AnyRef<'_>>::decode_explicit(s, TagNumber::N0)?.map(|c| c.value);
            let public_key = ContextSpecific::<BitStringRef<'_>>::decode_explicit(s, TagNumber::N1)?.map(|c| c.value);
            Ok((version, private_key, parameters, public_key))
        })
        .and_then(|k| r.finish(k))
        .map_err(|_| malformed(f))?;
    let (version, private_key, parameters, public_key) = k;
    if version.as_bytes() != [1] {
        return Err(malformed(f));
    }
    let public_key = match public_key {
        Some(b) => Some(b.as_bytes().ok_or_else(|| malformed(f))?),
        None => None,
    };
    let k = Sec1Key {
        private_key,
        public_key,
    };
    let inner = match parameters {
        Some(p) => Some(curves::of_parameters(p)?),
        None => None,
    };
    let curve = match (outer, inner) {
        (Some(a), Some(b)) if a != b => return Err(malformed(f)),
        (Some(c), _) | (None, Some(c)) => c,
        (None, None) => return Err(UNSUPPORTED_CURVE),
    };
    // OpenSSH refuses such keys (`sshkey_ec_validate_private`): a scalar
    // this small is guessable, whatever the public point looks like.
    if !ec_private_in_range(curve, k.private_key) {
        return Err(ConvertError::Malformed {
            format: f,
            reason: "its EC private key is outside the range OpenSSH accepts (too small or too large): the key \
                     is weak or damaged; generate a new one",
        });
    }
    let point = match k.public_key {
        Some(p) => uncompressed(curve, p, f)?,
        None => point_of_scalar(curve, k.private_key, f)?,
    };
    Ok(ecdsa_blob(curve, &point))
}

/// `-----BEGIN PRIVATE KEY-----`: PKCS#8 (RSA, ECDSA, Ed25519, DSA).
pub(super) fn pkcs8_private(der: &[u8], reading: Reading) -> Result<Vec<u8>, ConvertError> {
    let f = Format::Pkcs8PrivateKey;
    let info = pkcs8::PrivateKeyInfo::from_der(der).map_err(|_| malformed(f))?;
    match info.algorithm.oid {
        RSA => pkcs1_private(info.private_key, f),
        EC => {
            let curve = curves::of_parameters(info.algorithm.parameters.ok_or(UNSUPPORTED_CURVE)?)?;
            sec1_private(info.private_key, Some(curve), f)
        }
        ED25519 => {
            // ssh-keygen 9.2 refuses Ed25519 PKCS#8 keys.
            if reading == Reading::Listing {
                return Err(ConvertError::Unsupported(
                    "ssh-keygen (OpenSSH 9.2) does not read Ed25519 keys in PKCS#8 form; convert the key to \
                     OpenSSH's format, or upload its public key",
                ));
            }
            let seed = OctetStringRef::from_der(info.private_key).map_err(|_| malformed(f))?;
            let seed: Zeroizing<[u8; 32]> = Zeroizing::new(seed.as_bytes().try_into().map_err(|_| malformed(f))?);
            let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
            Ok(ed25519_blob(sk.verifying_key().as_bytes()))
        }
        #[cfg(feature = "verify")]
        DSA => {
            let sk = dsa::SigningKey::try_from(info).map_err(|_| malformed(f))?;
            let vk = sk.verifying_key();
            let c = vk.components();
            Ok(dsa_blob(
                &c.p().to_bytes_be(),
                &c.q().to_bytes_be(),
                &c.g().to_bytes_be(),
                &vk.y().to_bytes_be(),
            ))
        }
        // y = g^x mod p: the dsa crate computes it, and comes with `verify`.
        #[cfg(not(feature = "verify"))]
        DSA => Err(ConvertError::Unsupported(
            "this build of keyvet cannot derive the public half of a PKCS#8 DSA private key (it was compiled \
             without the `verify` feature); upload the public key instead",
        )),
        _ => Err(UNSUPPORTED_ALGORITHM),
    }
}
