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
    match ed25519_dalek::VerifyingKey::from_bytes(key) {
        Err(_) => add(Check::Ed25519Point, None),
        Ok(vk) if vk.is_weak() => add(Check::Ed25519SmallOrder, None),
        Ok(_) => {}
    }
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
}
