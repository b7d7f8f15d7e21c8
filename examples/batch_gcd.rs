//! Batch GCD (the shared-prime check) on N synthetic RSA-sized moduli: the
//! time and the peak memory of `keyvet::weak::batch::shared_primes` at a
//! scale no test or bench reaches (docs/batch-gcd.md has the figures).
//!
//! ```text
//! cargo run --release --example batch_gcd -- 1000000 [BITS] [PLANTED]
//! ```
//!
//! The moduli are `examples/support/moduli.rs`'s (2048 bits and 8 planted
//! pairs by default); the run checks that exactly the planted pairs are
//! found. Peak memory is the process's high-water mark (`VmHWM`), inputs
//! included; it is printed before the batch too.

use std::time::Instant;

use keyvet::weak::batch::{SharedPrime, shared_primes};

#[path = "support/moduli.rs"]
mod moduli;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let bits: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2048);
    let planted: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);

    let t = Instant::now();
    let (moduli, pairs) = moduli::moduli(n, bits, planted);
    let made = t.elapsed();
    let before = moduli::peak_rss_mib();

    let refs: Vec<&[u8]> = moduli.iter().map(Vec::as_slice).collect();
    let t = Instant::now();
    let got = shared_primes(&refs);
    let took = t.elapsed();

    println!("moduli: {n} of {bits} bits, made in {:.1} s", made.as_secs_f64());
    println!(
        "batch GCD (malachite): {:.1} s, {:.0} us a key",
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / n as f64
    );
    if let (Some(b), Some(a)) = (before, moduli::peak_rss_mib()) {
        println!("peak memory: {a:.0} MiB (before the batch: {b:.0} MiB)");
    }
    let want: Vec<SharedPrime> = pairs
        .into_iter()
        .map(|(first, second)| SharedPrime { first, second })
        .collect();
    println!("pairs found: {} (planted {planted})", got.len());
    assert_eq!(got, want, "the pairs found are not the planted ones");
}
