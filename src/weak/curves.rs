//! Curve checks: ECDSA full public-key validation and Ed25519 point decoding
//! and order, by RustCrypto's and dalek's curve crates.

use super::Check;
use crate::key::EcdsaKey;

/// ECDSA public-key validation (SEC 1 section 3.2.2.1): the point is not the
/// identity, its coordinates are field elements, it is on the curve, and
/// `n * Q` is the identity. The NIST curves have cofactor 1, so the last
/// step holds for every point on the curve; `check_ec_point` also applies
/// OpenSSH's extra range checks.
pub(super) fn ecdsa(k: &EcdsaKey<'_>, add: &mut impl FnMut(Check, Option<u64>)) {
    if crate::ec::check_point(k.curve, k.point).is_err() {
        add(Check::EcdsaPoint, None);
    }
}

/// Ed25519: the 32 bytes must decode to a curve point, and the point must
/// not be of small order (a torsion point makes every signature trivial to
/// forge for some messages and proves nothing about a private key).
pub(super) fn ed25519(key: &[u8; 32], add: &mut impl FnMut(Check, Option<u64>)) {
    // RFC 8032 section 5.1.3 refuses two encodings that lenient decoders
    // (dalek's among them) accept: y >= p (step 1: reduced mod p, a second
    // encoding of another point) and x = 0 with the sign bit set (step 4:
    // "negative zero", read as the identity or (0, -1)).
    if !ed25519_canonical(key) {
        add(Check::Ed25519Point, None);
        return;
    }
    match ed25519_dalek::VerifyingKey::from_bytes(key) {
        Err(_) => add(Check::Ed25519Point, None),
        Ok(vk) if vk.is_weak() => add(Check::Ed25519SmallOrder, None),
        Ok(_) => {}
    }
}

/// Whether `key` is the canonical encoding of its y and x sign: y < p =
/// 2^255 - 19, and the sign bit clear where x = 0 (exactly y = 1 and
/// y = p - 1, since x = 0 means y^2 = 1).
fn ed25519_canonical(key: &[u8; 32]) -> bool {
    let sign = key[31] & 0x80 != 0;
    let mut y = *key;
    y[31] &= 0x7f;
    // p - 1 = 0x7fff..ffec, little-endian; y >= p iff y > p - 1.
    let mut p_minus_1 = [0xffu8; 32];
    p_minus_1[0] = 0xec;
    p_minus_1[31] = 0x7f;
    let ge_p = y.iter().rev().cmp(p_minus_1.iter().rev()) == std::cmp::Ordering::Greater;
    let mut one = [0u8; 32];
    one[0] = 1;
    let x_zero = y == one || y == p_minus_1;
    !(ge_p || (sign && x_zero))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(key: &[u8; 32]) -> Vec<Check> {
        let mut v = Vec::new();
        ed25519(key, &mut |c, _| v.push(c));
        v
    }

    #[test]
    fn small_order_points() {
        // The identity (y = 1) and y = -1 have small order.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(found(&identity), [Check::Ed25519SmallOrder]);
        let mut minus_one = [0xffu8; 32];
        minus_one[0] = 0xec;
        minus_one[31] = 0x7f;
        assert_eq!(found(&minus_one), [Check::Ed25519SmallOrder]);
        // The base point is fine.
        let base: [u8; 32] = [
            0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
            0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        ];
        assert!(found(&base).is_empty());
    }

    #[test]
    fn not_a_point() {
        // y = 2 has no x on the curve.
        let mut y2 = [0u8; 32];
        y2[0] = 2;
        assert_eq!(found(&y2), [Check::Ed25519Point]);
    }

    #[test]
    fn non_canonical_encodings() {
        // y = p + 3 (reduces to 3 mod p): refused, while y = 3 itself is
        // judged on its merits.
        let mut y = [0xffu8; 32];
        y[0] = 0xf0;
        y[31] = 0x7f;
        assert_eq!(found(&y), [Check::Ed25519Point]);
        // y = p exactly (0 mod p) and y = 2^255 - 1.
        y[0] = 0xed;
        assert_eq!(found(&y), [Check::Ed25519Point]);
        y[0] = 0xff;
        assert_eq!(found(&y), [Check::Ed25519Point]);
        // "Negative zero": y = 1 or y = p - 1 with the sign bit set.
        let mut neg_identity = [0u8; 32];
        neg_identity[0] = 1;
        neg_identity[31] = 0x80;
        assert_eq!(found(&neg_identity), [Check::Ed25519Point]);
        let mut neg_minus_one = [0xffu8; 32];
        neg_minus_one[0] = 0xec;
        assert_eq!(found(&neg_minus_one), [Check::Ed25519Point]);
        // y = p - 1 with the sign bit clear is canonical, (0, -1): small order.
        neg_minus_one[31] = 0x7f;
        assert_eq!(found(&neg_minus_one), [Check::Ed25519SmallOrder]);
    }
}
