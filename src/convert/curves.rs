//! The curve of an EC key in DER: a named curve (an OID), or explicit
//! parameters (`SpecifiedECDomain`, RFC 3279 and SEC 1 C.2), which OpenSSL
//! writes with `-param_enc explicit` and which are read here as the named
//! curve they equal. Any other explicit curve is refused by name
//! (`convert.explicit_curve`): SSH has no key type for it.

use ::der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef, UintRef};
use ::der::{Decode, Reader, SliceReader, Tag, Tagged};

use crate::algorithm::Curve;
use crate::error::ConvertError;

const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const PRIME_FIELD: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.1.1");

pub(super) const UNSUPPORTED_CURVE: ConvertError = ConvertError::Unsupported(
    "the EC key is not on a named curve SSH uses: keyvet converts P-256, P-384 and P-521 keys given by name",
);

/// The domain parameters of a curve, as big-endian hex (SEC 2 sections
/// 2.4.2, 2.5.2 and 2.6.2; FIPS 186-4 D.1.2): field prime, a, b, the base
/// point's coordinates, and the order.
struct Domain {
    curve: Curve,
    p: &'static str,
    a: &'static str,
    b: &'static str,
    gx: &'static str,
    gy: &'static str,
    n: &'static str,
}

const DOMAINS: [Domain; 3] = [
    Domain {
        curve: Curve::P256,
        p: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        a: "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
        b: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        gx: "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        gy: "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        n: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    },
    Domain {
        curve: Curve::P384,
        p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        a: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc",
        b: "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
        gx: "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
        gy: "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
        n: "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
    },
    Domain {
        curve: Curve::P521,
        p: "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        a: "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc",
        b: "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
        gx: "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
        gy: "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
        n: "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    },
];

/// A named curve by its OID.
pub(super) fn by_oid(oid: ObjectIdentifier) -> Result<Curve, ConvertError> {
    match oid {
        SECP256R1 => Ok(Curve::P256),
        SECP384R1 => Ok(Curve::P384),
        SECP521R1 => Ok(Curve::P521),
        _ => Err(UNSUPPORTED_CURVE),
    }
}

/// The curve of `ECParameters`: a named curve, or explicit parameters
/// equal to one.
pub(super) fn of_parameters(params: AnyRef<'_>) -> Result<Curve, ConvertError> {
    match params.tag() {
        Tag::ObjectIdentifier => by_oid(params.decode_as::<ObjectIdentifier>().map_err(|_| UNSUPPORTED_CURVE)?),
        Tag::Sequence => explicit(params.value()),
        _ => Err(UNSUPPORTED_CURVE),
    }
}

/// Whether big-endian `value` equals the hex constant (leading zeros aside).
fn equals(value: &[u8], hex: &str) -> bool {
    let strip = |b: &[u8]| -> usize { b.iter().position(|&x| x != 0).unwrap_or(b.len()) };
    let digits = hex.as_bytes();
    let bytes: Vec<u8> = digits
        .chunks(2)
        .map(|d| {
            let nib = |c: u8| (c as char).to_digit(16).and_then(|v| u8::try_from(v).ok()).unwrap_or(0);
            nib(d[0]) << 4 | nib(d[1])
        })
        .collect();
    value[strip(value)..] == bytes[strip(&bytes)..]
}

/// `SpecifiedECDomain` (the content of its SEQUENCE): version, a prime
/// field, the curve's a and b (a seed may follow), the base point, the
/// order and an optional cofactor, compared with the named curves.
fn explicit(content: &[u8]) -> Result<Curve, ConvertError> {
    let malformed = || ConvertError::ExplicitCurve;
    let mut r = SliceReader::new(content).map_err(|_| malformed())?;
    let parsed = (|| -> ::der::Result<_> {
        let _version = UintRef::decode(&mut r)?;
        let (field_type, prime) = r.sequence(|s| Ok((ObjectIdentifier::decode(s)?, UintRef::decode(s)?)))?;
        let (a, b) = r.sequence(|s| {
            let a = OctetStringRef::decode(s)?;
            let b = OctetStringRef::decode(s)?;
            // The seed, when there is one.
            let _seed: Option<::der::asn1::BitStringRef<'_>> = Option::decode(s)?;
            Ok((a, b))
        })?;
        let base = OctetStringRef::decode(&mut r)?;
        let order = UintRef::decode(&mut r)?;
        let cofactor: Option<UintRef<'_>> = Option::decode(&mut r)?;
        Ok((field_type, prime, a, b, base, order, cofactor))
    })();
    let (field_type, prime, a, b, base, order, cofactor) = parsed.map_err(|_| malformed())?;
    r.finish(()).map_err(|_| malformed())?;
    if field_type != PRIME_FIELD || cofactor.is_some_and(|c| c.as_bytes() != [1]) {
        return Err(malformed());
    }
    DOMAINS
        .iter()
        .find(|d| {
            let fl = d.curve.field_len();
            let base = base.as_bytes();
            let base_ok = match base.first() {
                Some(4) if base.len() == 1 + 2 * fl => equals(&base[1..1 + fl], d.gx) && equals(&base[1 + fl..], d.gy),
                // Compressed: x, and the parity of y.
                Some(&tag @ (2 | 3)) if base.len() == 1 + fl => {
                    let y_odd =
                        d.gy.as_bytes()
                            .last()
                            .is_some_and(|&c| (c as char).to_digit(16).unwrap_or(0) % 2 == 1);
                    equals(&base[1..], d.gx) && ((tag == 3) == y_odd)
                }
                _ => false,
            };
            equals(prime.as_bytes(), d.p)
                && equals(a.as_bytes(), d.a)
                && equals(b.as_bytes(), d.b)
                && equals(order.as_bytes(), d.n)
                && base_ok
        })
        .map(|d| d.curve)
        .ok_or_else(malformed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::elliptic_curve::Curve as _;
    use p256::elliptic_curve::bigint::Encoding;
    use p256::elliptic_curve::sec1::ToEncodedPoint;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// The constants are the curve crates' own: orders and base points.
    #[test]
    fn domains_match_the_curve_crates() {
        let g256 = p256::AffinePoint::GENERATOR.to_encoded_point(false);
        let g384 = p384::AffinePoint::GENERATOR.to_encoded_point(false);
        let g521 = p521::AffinePoint::GENERATOR.to_encoded_point(false);
        let n521 = p521::NistP521::ORDER.to_be_bytes();
        for (d, n, g) in [
            (
                &DOMAINS[0],
                p256::NistP256::ORDER.to_be_bytes().to_vec(),
                g256.as_bytes().to_vec(),
            ),
            (
                &DOMAINS[1],
                p384::NistP384::ORDER.to_be_bytes().to_vec(),
                g384.as_bytes().to_vec(),
            ),
            (&DOMAINS[2], n521[n521.len() - 66..].to_vec(), g521.as_bytes().to_vec()),
        ] {
            let fl = d.curve.field_len();
            assert!(equals(&n, d.n), "{:?} order {}", d.curve, hex(&n));
            assert!(
                equals(&g[1..1 + fl], d.gx) && equals(&g[1 + fl..], d.gy),
                "{:?} base",
                d.curve
            );
            // a = p - 3 on every NIST curve.
            let mut p = hex_bytes(d.p);
            let last = p.len() - 1;
            p[last] -= 3;
            assert!(equals(&p, d.a), "{:?} a", d.curve);
        }
    }

    fn hex_bytes(s: &str) -> Vec<u8> {
        (0..s.len() / 2)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }
}
