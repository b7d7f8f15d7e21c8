//! ECDSA public point checks: the point is on its curve (RustCrypto's curve
//! crates decide, no arithmetic of ours), and it passes the extra range
//! checks of OpenSSH's `sshkey_ec_validate_public`.
//!
//! OpenSSH also checks `n * Q == O`; the NIST curves have cofactor 1, so
//! every point on the curve passes it and it is not repeated here.

use p256::elliptic_curve::sec1::FromEncodedPoint;

use crate::algorithm::Curve;
use crate::error::KeyError;

/// Group orders, big-endian, at field length.
const P256_N: [u8; 32] = hex32(b"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
const P384_N: [u8; 48] =
    hex48(b"ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973");
const P521_N: [u8; 66] = hex66(
    b"01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
);

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("bad hex"),
    }
}

macro_rules! hex_fn {
    ($name:ident, $n:expr) => {
        const fn $name(s: &[u8]) -> [u8; $n] {
            let mut out = [0u8; $n];
            let mut i = 0;
            while i < $n {
                out[i] = nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]);
                i += 1;
            }
            out
        }
    };
}
hex_fn!(hex32, 32);
hex_fn!(hex48, 48);
hex_fn!(hex66, 66);

fn order(curve: Curve) -> &'static [u8] {
    match curve {
        Curve::P256 => &P256_N,
        Curve::P384 => &P384_N,
        Curve::P521 => &P521_N,
    }
}

fn bits(be: &[u8]) -> u32 {
    match be.iter().position(|&b| b != 0) {
        None => 0,
        Some(i) => {
            let len = u32::try_from(be.len() - i).unwrap_or(u32::MAX);
            (len - 1) * 8 + (8 - be[i].leading_zeros())
        }
    }
}

/// `a < b - 1` for equal-length big-endian numbers, with `b` odd (a group
/// order), so `b - 1` only clears the lowest bit.
fn below_order_minus_one(a: &[u8], order: &[u8]) -> bool {
    let last = order.len() - 1;
    match a[..last].cmp(&order[..last]) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => a[last] < (order[last] & !1),
    }
}

/// OpenSSH's range checks on the affine coordinates.
fn openssh_range_checks(curve: Curve, point: &[u8]) -> Result<(), KeyError> {
    let fl = curve.field_len();
    let (x, y) = (&point[1..1 + fl], &point[1 + fl..]);
    let n = order(curve);
    // The order has as many bytes as a field element for all three curves.
    let half = bits(n) / 2;
    if bits(x) <= half || bits(y) <= half {
        return Err(KeyError::EcPointRange);
    }
    if !below_order_minus_one(x, n) || !below_order_minus_one(y, n) {
        return Err(KeyError::EcPointRange);
    }
    Ok(())
}

fn on_curve(curve: Curve, point: &[u8]) -> bool {
    match curve {
        Curve::P256 => p256::EncodedPoint::from_bytes(point)
            .ok()
            .is_some_and(|ep| bool::from(p256::AffinePoint::from_encoded_point(&ep).is_some())),
        Curve::P384 => p384::EncodedPoint::from_bytes(point)
            .ok()
            .is_some_and(|ep| bool::from(p384::AffinePoint::from_encoded_point(&ep).is_some())),
        Curve::P521 => p521::EncodedPoint::from_bytes(point)
            .ok()
            .is_some_and(|ep| bool::from(p521::AffinePoint::from_encoded_point(&ep).is_some())),
    }
}

/// Checks an uncompressed point of the right length (as [`crate::Key::parse`]
/// guarantees): on the curve, and within OpenSSH's ranges.
///
/// # Errors
/// [`KeyError::EcPointNotOnCurve`] or [`KeyError::EcPointRange`].
pub fn check_point(curve: Curve, point: &[u8]) -> Result<(), KeyError> {
    if point.len() != curve.point_len() || point.first() != Some(&0x04) {
        return Err(KeyError::EcPointEncoding(point.first().copied().unwrap_or(0)));
    }
    if !on_curve(curve, point) {
        return Err(KeyError::EcPointNotOnCurve(curve));
    }
    openssh_range_checks(curve, point)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The P-256 generator is a valid public point.
    const G256: &str = "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len() / 2)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn generator_is_valid() {
        assert_eq!(check_point(Curve::P256, &unhex(G256)), Ok(()));
    }

    #[test]
    fn off_curve_is_rejected() {
        let mut p = unhex(G256);
        p[64] ^= 1;
        assert_eq!(
            check_point(Curve::P256, &p),
            Err(KeyError::EcPointNotOnCurve(Curve::P256))
        );
    }

    #[test]
    fn order_constants_match_the_curve_crates() {
        use p256::elliptic_curve::Curve as _;
        use p256::elliptic_curve::bigint::Encoding;
        assert_eq!(p256::NistP256::ORDER.to_be_bytes().as_slice(), &P256_N);
        assert_eq!(p384::NistP384::ORDER.to_be_bytes().as_slice(), &P384_N);
        let n521 = p521::NistP521::ORDER.to_be_bytes();
        assert_eq!(&n521[n521.len() - 66..], &P521_N);
    }

    #[test]
    fn order_comparison() {
        let n = [0x10, 0x03];
        assert!(below_order_minus_one(&[0x10, 0x01], &n));
        assert!(!below_order_minus_one(&[0x10, 0x02], &n));
        assert!(!below_order_minus_one(&[0x11, 0x00], &n));
    }
}
