//! Synthetic RSA-sized moduli for batch GCD at scale, and the peak-memory
//! reading, without dependencies (shared by `examples/batch_gcd.rs` and
//! `benches/gmp/`, so that both libraries are timed on the same numbers and
//! measured the same way).
//!
//! Each modulus is the product of two BITS/2-bit halves, and each half the
//! product of BITS/64 distinct primes between 2^31 and 2^32: the cost of
//! batch GCD depends only on the sizes, not on the halves being prime, and
//! no prime is used twice, so the moduli share nothing by chance (random
//! halves would: a million of them share factors above 2^16 by the hundred
//! thousand). The first PLANTED moduli each share a half with one of the
//! last PLANTED, on purpose.

/// The primes from 2^31 up, in order (a segmented sieve of Eratosthenes):
/// 98 million of them below 2^32, more than the 64 million that a million
/// 2048-bit moduli need.
struct Primes {
    base: Vec<u64>,
    lo: u64,
    found: Vec<u32>,
    next: usize,
}

impl Primes {
    const WINDOW: u64 = 1 << 20;

    fn new() -> Primes {
        let limit = 1usize << 16;
        let mut composite = vec![false; limit];
        let mut base = Vec::new();
        for i in 2..limit {
            if !composite[i] {
                base.push(i as u64);
                (i * i..limit).step_by(i).for_each(|j| composite[j] = true);
            }
        }
        Primes {
            base,
            lo: 1 << 31,
            found: Vec::new(),
            next: 0,
        }
    }

    fn next(&mut self) -> u32 {
        while self.next == self.found.len() {
            assert!(self.lo < 1 << 32, "out of 32-bit primes");
            let mut composite = vec![false; Self::WINDOW as usize];
            for &p in &self.base {
                let first = self.lo.div_ceil(p) * p;
                (first..self.lo + Self::WINDOW)
                    .step_by(p as usize)
                    .for_each(|m| composite[(m - self.lo) as usize] = true);
            }
            self.found.clear();
            self.found.extend(
                (0..Self::WINDOW)
                    .filter(|&i| !composite[i as usize])
                    .map(|i| (self.lo + i) as u32),
            );
            self.lo += Self::WINDOW;
            self.next = 0;
        }
        self.next += 1;
        self.found[self.next - 1]
    }

    /// The product of the next `bits / 32` primes, as little-endian limbs.
    fn half(&mut self, bits: usize) -> Vec<u64> {
        let mut limbs = vec![1u64];
        for _ in 0..bits / 32 {
            mul_small(&mut limbs, u64::from(self.next()));
        }
        limbs
    }
}

/// `limbs *= m` (little-endian limbs).
fn mul_small(limbs: &mut Vec<u64>, m: u64) {
    let mut carry = 0u128;
    for l in limbs.iter_mut() {
        let x = u128::from(*l) * u128::from(m) + carry;
        *l = x as u64;
        carry = x >> 64;
    }
    if carry != 0 {
        limbs.push(carry as u64);
    }
}

/// The product of two little-endian numbers, big-endian bytes without
/// leading zeros.
fn product_be(a: &[u64], b: &[u64]) -> Vec<u8> {
    let mut out = vec![0u64; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &y) in b.iter().enumerate() {
            let t = u128::from(x) * u128::from(y) + u128::from(out[i + j]) + carry;
            out[i + j] = t as u64;
            carry = t >> 64;
        }
        out[i + b.len()] = carry as u64;
    }
    let mut bytes: Vec<u8> = out.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.drain(..zeros);
    bytes
}

/// `n` moduli of about `bits` bits (big-endian), and the planted pairs
/// `(k, n - 1 - k)` for `k < planted`, which share a half.
pub fn moduli(n: usize, bits: usize, planted: usize) -> (Vec<Vec<u8>>, Vec<(usize, usize)>) {
    assert!(n >= 2 * planted && bits >= 64, "need N >= 2 * PLANTED and BITS >= 64");
    let mut primes = Primes::new();
    let mut out = Vec::with_capacity(n);
    let mut shared = Vec::with_capacity(planted);
    for i in 0..n {
        let a = primes.half(bits / 2);
        let b = primes.half(bits - bits / 2);
        out.push(product_be(&a, &b));
        if i < planted {
            shared.push(a);
        }
    }
    let mut pairs = Vec::new();
    for (k, a) in shared.iter().enumerate() {
        let j = n - 1 - k;
        out[j] = product_be(a, &primes.half(bits - bits / 2));
        pairs.push((k, j));
    }
    pairs.sort_unstable();
    (out, pairs)
}

/// The process's peak resident memory so far (`VmHWM`), in MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}
