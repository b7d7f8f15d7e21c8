//! DSA domain parameter and public value checks (FIPS 186-4).

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::One;

use super::Check;
use crate::key::DsaKey;

/// The (L, N) pairs FIPS 186-4 allows, and OpenSSH's 1024/160.
const SIZES: [(u64, u64); 4] = [(1024, 160), (2048, 224), (2048, 256), (3072, 256)];

pub(super) fn screen(k: &DsaKey<'_>, add: &mut impl FnMut(Check, Option<u64>)) {
    let big = |m: &crate::wire::Mpint<'_>| BigUint::from_bytes_be(m.magnitude());
    let (p, q, g, y) = (big(&k.p), big(&k.q), big(&k.g), big(&k.y));
    let one = BigUint::one();
    // Sizes first: the modular arithmetic below is bounded by them.
    let sizes_ok = SIZES.contains(&(p.bits(), q.bits()));
    let params_ok = sizes_ok
        && p.is_odd()
        && q.is_odd()
        && ((&p - 1u32) % &q) == BigUint::ZERO
        && g > one
        && g < p
        && g.modpow(&q, &p) == one;
    if !params_ok {
        add(Check::DsaParams, Some(p.bits()));
        return;
    }
    if !(y > one && y < &p - 1u32 && y.modpow(&q, &p) == one) {
        add(Check::DsaPublic, None);
    }
}
