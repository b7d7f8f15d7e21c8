//! Shared primes across many RSA moduli, by batch GCD (Bernstein; Heninger
//! et al., "Mining Your Ps and Qs", 2012).
//!
//! The product tree multiplies the moduli pairwise up to their product P;
//! the remainder tree reduces P modulo the square of every node down to
//! `P mod n_i^2`; then `gcd(n_i, (P mod n_i^2) / n_i)` is the product of the
//! primes `n_i` shares with the others. With malachite's subquadratic
//! multiplication and division this is near-linear (n log^2 n); num-bigint's
//! schoolbook division made the remainder tree quadratic (1,000 moduli in
//! 0.87 s, 4,000 in 8.2 s, against 0.33 s and about 2 s here).

use std::collections::HashMap;

use malachite_base::num::arithmetic::traits::{DivExact, Gcd, ModPowerOf2, Square};
use malachite_base::num::basic::traits::One as _;
use malachite_base::num::logic::traits::SignificantBits;
use malachite_nz::natural::Natural;

use super::rsa::{natural, small_primorial};

/// Two inputs whose moduli share a prime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SharedPrime {
    /// Index of the first modulus in the input.
    pub first: usize,
    /// Index of the second (greater than `first`).
    pub second: usize,
}

/// The moduli (big-endian magnitudes) that share a prime of at least 17
/// bits with another, as pairs of input indices: moduli with the same shared
/// primes are each paired with the first of them. Equal moduli are the same
/// key, not a weakness, and are not reported against each other. Smaller
/// shared primes are left to the small-factor check.
///
/// ```
/// use keyvet::weak::batch::{shared_primes, SharedPrime};
/// // 65537 * 65539 and 65537 * 65543 share 65537; 131071 * 524287 shares nothing.
/// let m = |x: u64| x.to_be_bytes().to_vec();
/// let moduli = [m(65537 * 65539), m(65537 * 65543), m(131071 * 524287), m(65537 * 65539)];
/// let refs: Vec<&[u8]> = moduli.iter().map(Vec::as_slice).collect();
/// let got = shared_primes(&refs);
/// assert_eq!(got, [SharedPrime { first: 0, second: 1 }, SharedPrime { first: 1, second: 3 }]);
/// ```
pub fn shared_primes(moduli: &[&[u8]]) -> Vec<SharedPrime> {
    // Distinct moduli only; remember where each came from.
    let mut index: HashMap<&[u8], Vec<usize>> = HashMap::new();
    let mut distinct: Vec<&[u8]> = Vec::new();
    for (i, m) in moduli.iter().enumerate() {
        let m = &m[m.iter().position(|&b| b != 0).unwrap_or(m.len())..];
        if m.is_empty() {
            continue;
        }
        index
            .entry(m)
            .or_insert_with(|| {
                distinct.push(m);
                Vec::new()
            })
            .push(i);
    }
    if distinct.len() < 2 {
        return Vec::new();
    }
    let leaves: Vec<Natural> = distinct.iter().map(|m| natural(m)).collect();
    let shared = shared_factors(&leaves);

    // Primes below 2^16 are the small-factor check's business; without them
    // a batch of moduli with small factors would all "share" primes.
    let small = small_primorial();
    let mut groups: HashMap<Natural, Vec<usize>> = HashMap::new();
    for (i, mut g) in shared.into_iter().enumerate() {
        loop {
            let s = (&g).gcd(small);
            if s == 1u32 {
                break;
            }
            g = g.div_exact(s);
        }
        if g != 1u32 {
            groups.entry(g).or_default().push(i);
        }
    }
    // Moduli with the same shared part share it with each other: each is
    // paired with the group's first member. Groups with different shared
    // parts are compared pairwise, up to a bound.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut reps: Vec<(&Natural, usize)> = Vec::new();
    for (g, members) in &groups {
        for &j in &members[1..] {
            pairs.push((members[0], j));
        }
        reps.push((g, members[0]));
    }
    reps.sort_by_key(|(_, i)| *i);
    const MAX_GROUPS: usize = 4096;
    if reps.len() <= MAX_GROUPS {
        for (a, (ga, i)) in reps.iter().enumerate() {
            for (gb, j) in &reps[a + 1..] {
                if (*ga).gcd(*gb) != 1u32 {
                    pairs.push((*i, *j));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (i, j) in pairs {
        for &x in &index[distinct[i]] {
            for &y in &index[distinct[j]] {
                out.push(SharedPrime {
                    first: x.min(y),
                    second: x.max(y),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// For every leaf, the product of the primes it shares with the others.
///
/// A scaled remainder tree (Bernstein, "Scaled remainder trees", 2004):
/// instead of the remainders `P mod N^2` of the classic tree, each node v
/// keeps the fraction `y_v = frac(P / N_v^2)` to `2 bits(N_v) + guard` bits.
/// A child u with sibling w gets `y_u = frac(y_v * N_w^2)`, a product and a
/// shift where the classic tree divides: malachite divides a 2s-limb number
/// by an s-limb one in about five times the time of an s-limb product, so
/// the remainder phase costs about half as much (docs/batch-gcd.md has the
/// figures). At a leaf, `P mod n^2 = round(y_n * n^2)`.
///
/// Precision: the root's children, `floor(2^k b / a)`, are off by less than
/// one unit in the last place; each level at most multiplies the error by 4 and adds one
/// unit (the sibling's square is below `2^(k_v - k_u + 2)`), so after d
/// levels it is below `4^(d+1)` units, and at a leaf below
/// `4^(d+1) * 2^-guard` of one: with `guard = 2d + 64` bits the rounding is
/// exact. `tests::scaled_tree_equals_classic` checks it against the classic
/// tree.
fn shared_factors(leaves: &[Natural]) -> Vec<Natural> {
    // Product tree, leaves first.
    let mut levels: Vec<Vec<Natural>> = vec![leaves.to_vec()];
    while levels.last().is_some_and(|l| l.len() > 1) {
        let prev = levels.last().map(Vec::as_slice).unwrap_or(&[]);
        let next: Vec<Natural> = prev
            .chunks(2)
            .map(|c| match c {
                [a, b] => a * b,
                [a] => a.clone(),
                _ => Natural::from(1u32),
            })
            .collect();
        levels.push(next);
    }
    let guard = 2 * levels.len() as u64 + 64;
    let bits = |x: &Natural| 2 * x.significant_bits() + guard;
    // The root's two children a and b start the descent, from
    // y_a = frac(P / a^2) = frac(b / a): a division of a 3s-bit number by
    // an s-bit one, cheaper than the root's own y = 1 / P, which would need
    // 2 bits(P) bits and then two products of that size.
    drop(levels.pop());
    let mut ys: Vec<(Natural, u64)> = match levels.pop().as_deref() {
        Some([a, b]) if *a != 0u32 && *b != 0u32 => {
            let (ka, kb) = (bits(a), bits(b));
            vec![((b << ka) / a).mod_power_of_2(ka), ((a << kb) / b).mod_power_of_2(kb)]
                .into_iter()
                .zip([ka, kb])
                .collect()
        }
        // One leaf shares nothing; a zero leaf (never passed in) neither.
        _ => return leaves.iter().map(|_| Natural::from(1u32)).collect(),
    };
    // Levels are dropped as soon as they are used.
    while let Some(level) = levels.pop() {
        let mut next = Vec::with_capacity(level.len());
        for (pair, (y, k)) in level.chunks(2).zip(ys) {
            match pair {
                [a, b] => {
                    let (ka, kb) = (bits(a), bits(b));
                    // y_a = frac(y * b^2), y_b = frac(y * a^2).
                    let ya = ((&y * b.square()) >> (k - ka)).mod_power_of_2(ka);
                    let yb = ((&y * a.square()) >> (k - kb)).mod_power_of_2(kb);
                    next.push((ya, ka));
                    next.push((yb, kb));
                }
                // An only child is its parent.
                _ => next.push((y, k)),
            }
        }
        ys = next;
    }
    leaves
        .iter()
        .zip(ys)
        .map(|(n, (y, k))| {
            let n2 = n.square();
            // P mod n^2, rounded; a fraction just under 1 (for a remainder
            // of 0) rounds to n^2.
            let mut r = (&y * &n2 + (Natural::ONE << (k - 1))) >> k;
            if r >= n2 {
                r -= &n2;
            }
            // n divides P mod n^2 (it divides both); floor division keeps an
            // impossible remainder from becoming anything but a wrong gcd.
            (r / n).gcd(n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classic remainder tree: P mod node^2 at every node.
    fn classic(leaves: &[Natural]) -> Vec<Natural> {
        let mut levels: Vec<Vec<Natural>> = vec![leaves.to_vec()];
        while levels.last().is_some_and(|l| l.len() > 1) {
            let prev = levels.last().map(Vec::as_slice).unwrap_or(&[]);
            let next = prev.chunks(2).map(|c| c.iter().product()).collect();
            levels.push(next);
        }
        let mut rems = levels.pop().unwrap_or_default();
        while let Some(level) = levels.pop() {
            rems = level
                .iter()
                .enumerate()
                .map(|(i, x)| &rems[i / 2] % x.square())
                .collect();
        }
        rems.iter().zip(leaves).map(|(r, n)| r.div_exact(n).gcd(n)).collect()
    }

    #[test]
    fn scaled_tree_equals_classic() {
        let mut s = 0x243f_6a88_85a3_08d3u64;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        // Random sizes from 1 to 40 limbs, counts that are and are not
        // powers of two, many shared factors (random numbers share small
        // ones), and the extremes 1 and 2^64k - 1.
        for count in [2usize, 3, 5, 8, 13, 64, 100] {
            let leaves: Vec<Natural> = (0..count)
                .map(|i| match i % 17 {
                    0 => Natural::from(1u32),
                    1 => Natural::from_owned_limbs_asc(vec![u64::MAX; 9]),
                    _ => {
                        let len = 1 + (next() % 40) as usize;
                        let mut limbs: Vec<u64> = (0..len).map(|_| next()).collect();
                        limbs[len - 1] |= 1;
                        Natural::from_owned_limbs_asc(limbs)
                    }
                })
                .collect();
            assert_eq!(shared_factors(&leaves), classic(&leaves), "{count} leaves");
        }
    }

    #[test]
    fn finds_planted_pairs_among_many() {
        // Products of distinct 31-bit primes; 4 and 9 share 2147483647.
        let primes: [u64; 12] = [
            2147483647, 2147483629, 2147483587, 2147483579, 2147483563, 2147483549, 2147483543, 2147483497, 2147483489,
            2147483477, 2147483423, 2147483399,
        ];
        let mut moduli: Vec<Vec<u8>> = (0..6)
            .map(|i| {
                (u128::from(primes[2 * i]) * u128::from(primes[2 * i + 1]))
                    .to_be_bytes()
                    .to_vec()
            })
            .collect();
        moduli.push((u128::from(primes[0]) * 1_000_000_007u128).to_be_bytes().to_vec());
        let refs: Vec<&[u8]> = moduli.iter().map(Vec::as_slice).collect();
        assert_eq!(shared_primes(&refs), [SharedPrime { first: 0, second: 6 }]);
    }
}
