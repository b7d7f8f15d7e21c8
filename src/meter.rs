//! A work meter for the complexity tests.
//!
//! Every loop whose trip count the input controls, and every scan over
//! input bytes, charges its work here: a byte scanned counts one, a field,
//! list entry or option read counts one, an iteration of a bignum loop
//! counts one. In the library as built for users [`charge`] is an empty
//! inline function; only the crate's own unit tests (`cfg(test)`) count, in
//! a thread-local, so that the tests below can assert that inputs built to
//! be slow cost work linear in their size, with counts rather than clocks.
//!
//! The rule for new code: a loop over something the input sizes (bytes,
//! options, list entries, fields, principals, continued-fraction terms)
//! calls [`charge`] with what it did.

#[cfg(test)]
thread_local! {
    static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `n` units of work (nothing outside the crate's tests).
#[inline(always)]
pub(crate) fn charge(n: usize) {
    #[cfg(test)]
    STEPS.with(|s| s.set(s.get() + n as u64));
    #[cfg(not(test))]
    let _ = n;
}

/// The work `f` did on this thread.
#[cfg(test)]
pub(crate) fn measure<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = STEPS.with(std::cell::Cell::get);
    let out = f();
    (out, STEPS.with(std::cell::Cell::get) - before)
}

/// Inputs built to be slow, at two sizes eight times apart: the work counted
/// grows at most linearly (8x, with 10% for constant costs) and stays
/// within a small multiple of the input's size.
#[cfg(test)]
mod tests {
    use super::measure;
    use crate::line::Options;
    use crate::{Checker, Key, Line, Policy, convert, policy};
    use base64::Engine;

    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy me";

    /// Every line-level entry point, under both policies with a line cap
    /// that lets the input through (the cap itself is a check too).
    fn every_line_entry(input: &[u8]) {
        let _ = Line::parse(input);
        let _ = Line::parse_key(input);
        let _ = Line::parse_listing_candidates(input);
        for p in [policy::OPENSSH, policy::STRICT] {
            let p = Policy {
                max_line_len: usize::MAX,
                ..p
            };
            let mut v = Checker::new(p);
            let _ = v.check_line(input).map(|c| c.bits());
            let _ = v.check_key_line(input).map(|c| c.bits());
            let _ = v.check_listing_line(input).map(|c| c.bits());
        }
        let _ = convert::to_openssh(input);
        vet_both(input);
    }

    /// `vet` under openssh, and under strict with repairs, with a line cap
    /// that lets the input through.
    fn vet_both(input: &[u8]) {
        let repairing = Policy {
            repair_pastes: true,
            ..policy::STRICT
        };
        for p in [policy::OPENSSH, repairing] {
            let p = Policy {
                max_line_len: usize::MAX,
                ..p
            };
            let _ = crate::vet::vet(input, &p);
        }
    }

    /// Entry points `every_line_entry` and `every_blob_entry` call: a
    /// vetting reads a line as a key, then with options or hosts before
    /// the key, and counts for four.
    const LINE_ENTRIES: u64 = 18;
    const BLOB_ENTRIES: u64 = LINE_ENTRIES + 3;

    /// Asserts linear work for `make(n)` against `make(8 n)` through `run`,
    /// which calls `entries` entry points; returns the work at the larger
    /// size.
    fn linear(what: &str, n: usize, make: impl Fn(usize) -> Vec<u8>, (run, entries): (impl Fn(&[u8]), u64)) -> u64 {
        let (small, large) = (make(n), make(8 * n));
        let ((), w1) = measure(|| run(&small));
        let ((), w8) = measure(|| run(&large));
        eprintln!(
            "{what}: {} bytes -> {w1} steps, {} bytes -> {w8} steps",
            small.len(),
            large.len()
        );
        assert!(w1 > 0, "{what}: no work counted");
        assert!(
            w8 as f64 <= 8.0 * 1.1 * w1 as f64,
            "{what}: {w1} steps for {} bytes but {w8} for {}: not linear",
            small.len(),
            large.len()
        );
        // A few passes over the input per entry point: 8 steps a byte.
        assert!(
            w8 <= 8 * entries * large.len() as u64 + 10_000,
            "{what}: {w8} steps for {} bytes",
            large.len()
        );
        w8
    }

    fn line_with_options(options: &str) -> Vec<u8> {
        format!("{options} {ED25519}").into_bytes()
    }

    #[test]
    fn sixty_thousand_commas() {
        let w = linear(
            "commas",
            7_500,
            |n| line_with_options(&",".repeat(n)),
            (every_line_entry, LINE_ENTRIES),
        );
        // The meter saw the whole line.
        assert!(w >= 60_000);
        linear(
            "commas between options",
            7_500,
            |n| line_with_options(&"no-pty,".repeat(n)),
            (every_line_entry, LINE_ENTRIES),
        );
        linear(
            "options string",
            7_500,
            |n| ",".repeat(n).into_bytes(),
            (
                |s: &[u8]| {
                    let _ = Options::parse(s, true);
                    let _ = Options::parse(s, false);
                },
                2,
            ),
        );
    }

    #[test]
    fn repeated_quotes() {
        // Escaped quotes inside one value.
        linear(
            "escaped quotes",
            5_000,
            |n| line_with_options(&format!("command=\"{}\"", "\\\"".repeat(n))),
            (every_line_entry, LINE_ENTRIES),
        );
        // Quotes opening and closing all along the options field.
        linear(
            "balanced quotes",
            5_000,
            |n| line_with_options(&format!("command=\"{}\"", "\" \"".repeat(n))),
            (every_line_entry, LINE_ENTRIES),
        );
        // An odd number: the field never ends.
        linear(
            "unterminated quotes",
            5_000,
            |n| line_with_options(&"\"".repeat(2 * n + 1)),
            (every_line_entry, LINE_ENTRIES),
        );
        // Typographic quotes in an unknown option name.
        linear(
            "smart quotes",
            5_000,
            |n| line_with_options(&"\u{201c}".repeat(n)),
            (every_line_entry, LINE_ENTRIES),
        );
    }

    #[test]
    fn long_option_values_and_lists() {
        linear(
            "from list",
            2_000,
            |n| line_with_options(&format!("from=\"{}10.0.0.1\"", "!192.168.0.0/16,".repeat(n))),
            (every_line_entry, LINE_ENTRIES),
        );
        linear(
            "principals list",
            2_000,
            |n| line_with_options(&format!("cert-authority,principals=\"{}a\"", "user,".repeat(n))),
            (every_line_entry, LINE_ENTRIES),
        );
        linear(
            "environment, past sshd's limit",
            500,
            |n| line_with_options(&"environment=\"A=B\",".repeat(n)),
            (every_line_entry, LINE_ENTRIES),
        );
        linear(
            "permitopen, past sshd's limit",
            1_000,
            |n| line_with_options(&"permitopen=\"host:22\",".repeat(n)),
            (every_line_entry, LINE_ENTRIES),
        );
        linear(
            "long command",
            10_000,
            |n| line_with_options(&format!("command=\"{}\"", "x".repeat(n))),
            (every_line_entry, LINE_ENTRIES),
        );
    }

    #[test]
    fn mistaken_uploads() {
        linear(
            "a private key header",
            5_000,
            |n| format!("-----BEGIN {}", "PRIVATE ".repeat(n)).into_bytes(),
            (every_line_entry, LINE_ENTRIES),
        );
        linear(
            "wrapped base64",
            10_000,
            |n| "AAAA".repeat(n).into_bytes(),
            (every_line_entry, LINE_ENTRIES),
        );
        linear(
            "numbers, blanks",
            5_000,
            |n| format!("1 2 {}", "3 ".repeat(n)).into_bytes(),
            (every_line_entry, LINE_ENTRIES),
        );
        linear(
            "long comment",
            10_000,
            |n| format!("{ED25519} {}", "c ".repeat(n)).into_bytes(),
            (every_line_entry, LINE_ENTRIES),
        );
    }

    /// Uploads of many lines: a key wrapped at every byte, and many keys.
    #[test]
    fn pasted_uploads() {
        linear(
            "a key wrapped into lines of 4",
            2_000,
            |n| {
                let mut s = String::from("ssh-rsa\n");
                s.push_str(&"AAAA\n".repeat(n));
                s.into_bytes()
            },
            (vet_both, 8),
        );
        linear(
            "many key lines",
            200,
            |n| format!("{ED25519}\n").repeat(n).into_bytes(),
            (vet_both, 8),
        );
        linear(
            "blanks inside the base64",
            2_000,
            |n| format!("ssh-rsa {}", "AAAA ".repeat(n)).into_bytes(),
            (vet_both, 8),
        );
    }

    fn string(out: &mut Vec<u8>, s: &[u8]) {
        out.extend_from_slice(&u32::try_from(s.len()).unwrap().to_be_bytes());
        out.extend_from_slice(s);
    }

    /// An Ed25519 user certificate whose principals, critical options and
    /// extensions are as given (lists already encoded), signed by nobody.
    fn cert(principals: &[u8], critical: &[u8], extensions: &[u8]) -> Vec<u8> {
        let mut c = Vec::new();
        string(&mut c, b"ssh-ed25519-cert-v01@openssh.com");
        string(&mut c, &[7; 32]);
        string(&mut c, &[9; 32]);
        c.extend_from_slice(&1u64.to_be_bytes());
        c.extend_from_slice(&1u32.to_be_bytes());
        string(&mut c, b"id");
        string(&mut c, principals);
        c.extend_from_slice(&0u64.to_be_bytes());
        c.extend_from_slice(&u64::MAX.to_be_bytes());
        string(&mut c, critical);
        string(&mut c, extensions);
        string(&mut c, b"");
        let mut ca = Vec::new();
        string(&mut ca, b"ssh-ed25519");
        string(&mut ca, &[3; 32]);
        string(&mut c, &ca);
        let mut sig = Vec::new();
        string(&mut sig, b"ssh-ed25519");
        string(&mut sig, &[0; 64]);
        string(&mut c, &sig);
        c
    }

    /// Every blob-level entry point on `blob`, and the blob as a line.
    fn every_blob_entry(blob: &[u8]) {
        let _ = Key::parse(blob);
        for p in [policy::OPENSSH, policy::STRICT] {
            let _ = Checker::new(p).check_blob(blob);
        }
        let line = format!(
            "ssh-ed25519-cert-v01@openssh.com {}",
            base64::engine::general_purpose::STANDARD.encode(blob)
        );
        every_line_entry(line.as_bytes());
    }

    #[test]
    fn ten_thousand_principals() {
        let list = |n: usize| {
            let mut l = Vec::new();
            for i in 0..n {
                string(&mut l, format!("user{i}").as_bytes());
            }
            l
        };
        // Refused at the 257th: beyond that, only reading the line grows.
        linear(
            "principals",
            1_250,
            |n| cert(&list(n), b"", b""),
            (every_blob_entry, BLOB_ENTRIES),
        );
        let pairs = |n: usize, name: &str| {
            let mut out = Vec::new();
            // Descending names: unsorted for the strict policy, to the end.
            for i in (0..n).rev() {
                string(&mut out, format!("{name}{i:08}").as_bytes());
                string(&mut out, b"");
            }
            out
        };
        linear(
            "extensions",
            1_250,
            |n| cert(b"", b"", &pairs(n, "permit-x")),
            (every_blob_entry, BLOB_ENTRIES),
        );
        linear(
            "critical options",
            1_250,
            |n| cert(b"", &pairs(n, "opt"), b""),
            (every_blob_entry, BLOB_ENTRIES),
        );
        // And the same name over and over.
        linear(
            "duplicate extensions",
            1_250,
            |n| {
                let mut l = Vec::new();
                for _ in 0..n {
                    string(&mut l, b"permit-pty");
                    string(&mut l, b"");
                }
                cert(b"", b"", &l)
            },
            (every_blob_entry, BLOB_ENTRIES),
        );
    }

    /// An RSA key line of `bits` bits, from a fixed pseudo-random sequence,
    /// with a public exponent almost as large (Wiener's check runs) or
    /// 65537 (it does not).
    fn big_rsa(bits: usize, large_e: bool) -> Vec<u8> {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut n: Vec<u8> = (0..bits / 8).map(|_| next() as u8).collect();
        n[0] |= 0x80;
        *n.last_mut().unwrap() |= 1;
        let e = if large_e {
            let mut e: Vec<u8> = (0..bits / 8).map(|_| next() as u8).collect();
            e[0] = 0x7f;
            *e.last_mut().unwrap() |= 1;
            e
        } else {
            vec![1, 0, 1]
        };
        let mut blob = Vec::new();
        string(&mut blob, b"ssh-rsa");
        string(&mut blob, &e);
        let mut m = vec![0];
        m.extend_from_slice(&n);
        string(&mut blob, &m);
        format!("ssh-rsa {}", base64::engine::general_purpose::STANDARD.encode(&blob)).into_bytes()
    }

    #[test]
    fn maximal_rsa() {
        // Screening is bignum arithmetic on numbers of the key's size; what
        // the input controls is the number of steps. Fermat's are fixed;
        // Wiener's continued fraction, which only a large e starts, stops
        // once its denominators pass a quarter of the bits (about bits / 7
        // terms; run to the end it would take about bits / 2).
        let run = |p: Policy, line: &[u8]| {
            measure(|| {
                let _ = Checker::new(p).check_line(line);
            })
            .1
        };
        let mut no_wiener = policy::STRICT;
        no_wiener.screening.checks = no_wiener.screening.checks.without(crate::weak::Check::RsaWiener);
        for bits in [2048, 16384] {
            let line = big_rsa(bits, true);
            let (w, base) = (run(policy::STRICT, &line), run(no_wiener, &line));
            let wiener = w - base;
            eprintln!(
                "RSA-{bits}, e of {} bits: {w} steps, {wiener} of them Wiener's",
                bits - 1
            );
            assert!(wiener > 0, "RSA-{bits}: Wiener's check did not run");
            assert!(
                wiener <= bits as u64 / 4,
                "RSA-{bits}: {wiener} steps for Wiener's check"
            );
            // With e = 65537 it does not run at all.
            let small_e = big_rsa(bits, false);
            assert_eq!(run(policy::STRICT, &small_e), run(no_wiener, &small_e));
        }
    }
}
