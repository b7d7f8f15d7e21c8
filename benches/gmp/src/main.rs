//! Batch GCD with GMP: the product tree, the scaled remainder tree, then
//! gcd(n, (P mod n^2) / n), as keyvet's src/weak/batch.rs does with
//! malachite; on examples/support/moduli.rs's moduli. `CLASSIC=1` takes the
//! classic remainder tree (P mod node^2 at every node) instead.

use std::time::Instant;

use rug::{Integer, integer::Order};

#[path = "../../../examples/support/moduli.rs"]
mod moduli;

fn product_tree(leaves: &[Integer]) -> Vec<Vec<Integer>> {
    let mut levels: Vec<Vec<Integer>> = vec![leaves.to_vec()];
    while levels.last().is_some_and(|l| l.len() > 1) {
        let prev = levels.last().map(Vec::as_slice).unwrap_or(&[]);
        let next: Vec<Integer> = prev
            .chunks(2)
            .map(|c| match c {
                [a, b] => Integer::from(a * b),
                [a] => a.clone(),
                _ => Integer::from(1),
            })
            .collect();
        levels.push(next);
    }
    levels
}

/// The scaled remainder tree, as src/weak/batch.rs computes it.
fn shared_factors_scaled(leaves: &[Integer]) -> Vec<Integer> {
    let mut levels = product_tree(leaves);
    let guard = 2 * levels.len() as u32 + 64;
    let bits = |x: &Integer| 2 * x.significant_bits() + guard;
    drop(levels.pop());
    let mut ys: Vec<(Integer, u32)> = match levels.pop().as_deref() {
        Some([a, b]) => {
            let (ka, kb) = (bits(a), bits(b));
            let ya = (Integer::from(b << ka) / a).keep_bits(ka);
            let yb = (Integer::from(a << kb) / b).keep_bits(kb);
            vec![(ya, ka), (yb, kb)]
        }
        _ => return leaves.iter().map(|_| Integer::from(1)).collect(),
    };
    while let Some(level) = levels.pop() {
        let mut next = Vec::with_capacity(level.len());
        for (pair, (y, k)) in level.chunks(2).zip(ys) {
            match pair {
                [a, b] => {
                    let (ka, kb) = (bits(a), bits(b));
                    let ya = ((&y * Integer::from(b.square_ref())) >> (k - ka)).keep_bits(ka);
                    let yb = ((&y * Integer::from(a.square_ref())) >> (k - kb)).keep_bits(kb);
                    next.push((ya, ka));
                    next.push((yb, kb));
                }
                _ => next.push((y, k)),
            }
        }
        ys = next;
    }
    leaves
        .iter()
        .zip(ys)
        .map(|(n, (y, k))| {
            let n2 = Integer::from(n.square_ref());
            let mut r: Integer = (Integer::from(&y * &n2) + (Integer::from(1) << (k - 1))) >> k;
            if r >= n2 {
                r -= &n2;
            }
            Integer::from(&r / n).gcd(n)
        })
        .collect()
}

/// The classic remainder tree (keyvet's until the scaled one).
fn shared_factors(leaves: &[Integer]) -> Vec<Integer> {
    let mut levels = product_tree(leaves);
    let mut rems = levels.pop().unwrap_or_default();
    while let Some(level) = levels.pop() {
        rems = level
            .iter()
            .enumerate()
            .map(|(i, x)| &rems[i / 2] % Integer::from(x.square_ref()))
            .collect();
    }
    rems.iter()
        .zip(leaves)
        .map(|(r, n)| Integer::from(r.div_exact_ref(n)).gcd(n))
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let bits: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2048);
    let planted: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);

    let t = Instant::now();
    let (moduli, pairs) = moduli::moduli(n, bits, planted);
    let made = t.elapsed();
    let before = moduli::peak_rss_mib();

    let scaled = std::env::var_os("CLASSIC").is_none();
    let t = Instant::now();
    let leaves: Vec<Integer> = moduli.iter().map(|m| Integer::from_digits(m, Order::Msf)).collect();
    let shared = if scaled {
        shared_factors_scaled(&leaves)
    } else {
        shared_factors(&leaves)
    };
    let got: Vec<usize> = (0..n).filter(|&i| shared[i] != 1).collect();
    let took = t.elapsed();

    println!("moduli: {n} of {bits} bits, made in {:.1} s", made.as_secs_f64());
    println!(
        "batch GCD (GMP {}.{}.{}, {} remainder tree): {:.1} s, {:.0} us a key",
        gmp_mpfr_sys::gmp::VERSION,
        gmp_mpfr_sys::gmp::VERSION_MINOR,
        gmp_mpfr_sys::gmp::VERSION_PATCHLEVEL,
        if scaled { "scaled" } else { "classic" },
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / n as f64
    );
    if let (Some(b), Some(a)) = (before, moduli::peak_rss_mib()) {
        println!("peak memory: {a:.0} MiB (before the batch: {b:.0} MiB)");
    }
    let mut want: Vec<usize> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    want.sort_unstable();
    println!("moduli sharing a prime: {} (planted pairs {planted})", got.len());
    assert_eq!(got, want, "the moduli found are not the planted ones");
}
