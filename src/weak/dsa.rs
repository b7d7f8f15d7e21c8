//! DSA domain parameter and public value checks (FIPS 186-4).

use malachite_base::num::arithmetic::traits::{DivisibleBy, ModPow, Parity};
use malachite_base::num::basic::traits::One;
use malachite_base::num::logic::traits::SignificantBits;
use malachite_nz::natural::Natural;

use super::Check;
use super::rsa::natural;
use crate::key::DsaKey;

/// The (L, N) pairs FIPS 186-4 allows, and OpenSSH's 1024/160.
const SIZES: [(u64, u64); 4] = [(1024, 160), (2048, 224), (2048, 256), (3072, 256)];

pub(super) fn screen(k: &DsaKey<'_>, add: &mut impl FnMut(Check, Option<u64>)) {
    let big = |m: &crate::wire::Mpint<'_>| natural(m.magnitude());
    let (p, q, g, y) = (big(&k.p), big(&k.q), big(&k.g), big(&k.y));
    // badkeys' sparse-prime check looks at p alone, whatever the rest.
    if super::rsa::dsa_sparse(&p) {
        add(Check::DsaSparse, None);
    }
    // Sizes first: the modular arithmetic below is bounded by them, and they
    // make p and q non-zero. Each mod_pow's base is checked below p first
    // (malachite requires a reduced base).
    let sizes_ok = SIZES.contains(&(p.significant_bits(), q.significant_bits()));
    let params_ok = sizes_ok
        && p.odd()
        && q.odd()
        && (&p - Natural::ONE).divisible_by(&q)
        && g > 1u32
        && g < p
        && (&g).mod_pow(&q, &p) == 1u32;
    if !params_ok {
        add(Check::DsaParams, Some(p.significant_bits()));
        return;
    }
    if !(y > 1u32 && y < &p - Natural::ONE && (&y).mod_pow(&q, &p) == 1u32) {
        add(Check::DsaPublic, None);
    }
}
