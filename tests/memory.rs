//! Checking streams: the heap a run of `keyvet check`'s engine needs does
//! not grow with the input (a 250,000-line input needs at most twice the
//! peak of a 10,000-line one), and a 100 MB line is reported at the cap
//! without being buffered.
//!
//! A global allocator tracks the bytes in use and their peak; the inputs are
//! generated on the fly by a reader, so that the test itself holds none of
//! them. This file holds the tests that measure, one at a time (a lock), so
//! that no other test allocates meanwhile.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{self, Read, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use keyvet::stream::{self, Batch, Event, Parallel};
use keyvet::weak::Check;
use keyvet::{Checker, HashAlg, Policy, policy};

struct Tracking;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = IN_USE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: forwarding the caller's contract to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarding the caller's contract to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        // SAFETY: forwarding the caller's contract to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Tracking = Tracking;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The peak of heap bytes in use while `f` runs, above what was in use
/// when it started.
fn peak_during(f: impl FnOnce()) -> usize {
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed) - base
}

/// An input of `n` lines cycling through `pool`, made as it is read.
struct Lines<'p> {
    pool: &'p [Vec<u8>],
    left: usize,
    next: usize,
    pending: &'p [u8],
}

impl Read for Lines<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pending.is_empty() {
            if self.left == 0 {
                return Ok(0);
            }
            self.left -= 1;
            self.pending = &self.pool[self.next % self.pool.len()];
            self.next += 1;
        }
        let n = self.pending.len().min(out.len());
        out[..n].copy_from_slice(&self.pending[..n]);
        self.pending = &self.pending[n..];
        Ok(n)
    }
}

/// Key lines of every kind from `corpus/valid`, each ending in a newline.
fn pool() -> Vec<Vec<u8>> {
    let mut pool = Vec::new();
    for f in [
        "valid/authorized_keys-many.pub",
        "valid/certs/ed25519-user-by-ed25519.pub",
        "valid/rsa-4096.pub",
    ] {
        let text = std::fs::read(common::corpus_root().join(f)).unwrap();
        for l in text.split(|&b| b == b'\n').filter(|l| !keyvet::line::is_skipped(l)) {
            let mut l = l.to_vec();
            l.push(b'\n');
            pool.push(l);
        }
    }
    pool
}

/// What `keyvet check --json` does with an input, minus the writing: every
/// event formatted into the chunk's buffer, the buffers handed over in
/// order and dropped. Returns the lines seen.
fn check(input: impl Read, p: Policy, threads: usize) -> u64 {
    let v = Checker::new(p);
    let mut batch = Batch::new();
    let mut written = 0usize;
    let s = stream::par_check(
        input,
        &v,
        Parallel {
            threads,
            chunk_bytes: 256 * 1024,
        },
        0,
        &mut batch,
        Vec::new,
        |out: &mut Vec<u8>, e| match e {
            Event::Key { line, checked, .. } => writeln!(
                out,
                "{line} {} {} {}",
                checked.bits(),
                checked.fingerprint(HashAlg::Sha256),
                checked.fingerprint(HashAlg::Md5)
            ),
            Event::Invalid { line, error, .. } => writeln!(out, "{line} {}", error.code()),
            _ => Ok(()),
        },
        |out| {
            written += out.len();
            Ok(())
        },
    )
    .unwrap();
    assert!(written > 0);
    s.valid + s.invalid
}

/// The strict policy without its one batch check (which keeps every RSA
/// modulus to the end, by nature), and the openssh policy.
///
/// Strict also goes without the RSA small-factor check here, for time
/// only: it costs about 0.27 ms per RSA-4096 key (the primorial of the
/// primes below 2^16, 88,000 bits, reduced modulo n, then a gcd), which
/// makes a million lines take minutes in a debug build. What it allocates
/// is freed with the key, like every other check's (the Fermat, ROCA,
/// Wiener and square checks that stay on allocate the same way).
fn streaming_policies() -> [Policy; 2] {
    let mut strict = policy::STRICT;
    strict.screening.checks = strict
        .screening
        .checks
        .without(Check::RsaSharedPrime)
        .without(Check::RsaSmallFactor);
    [strict, policy::OPENSSH]
}

#[test]
fn peak_heap_does_not_grow_with_the_input() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    let pool = pool();
    for p in streaming_policies() {
        for threads in [1, 2] {
            let run = |n: usize| {
                let mut lines = 0;
                let peak = peak_during(|| {
                    let input = Lines {
                        pool: &pool,
                        left: n,
                        next: 0,
                        pending: &[],
                    };
                    lines = check(input, p, threads);
                });
                assert_eq!(lines, n as u64);
                peak
            };
            // The peak depends on how the threads interleave: the small
            // input's is the highest of three runs (the large one sees a
            // hundred times more interleavings in one).
            let small = (0..3).map(|_| run(10_000)).max().unwrap_or(0);
            let large = run(250_000);
            eprintln!(
                "{} policy, {threads} thread(s): peak heap {small} bytes for 10,000 lines, {large} for 250,000",
                p.name
            );
            assert!(
                large <= 2 * small,
                "{}: {large} bytes for 250,000 lines against {small} for 10,000",
                p.name
            );
        }
    }
}

/// An input whose first line is 100 MB: reported as too long, with its
/// length, without being held; the line after it is checked.
struct HugeLine {
    left: usize,
    tail: &'static [u8],
}

impl Read for HugeLine {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.left > 0 {
            let n = self.left.min(out.len());
            out[..n].fill(b'A');
            self.left -= n;
            return Ok(n);
        }
        let n = self.tail.len().min(out.len());
        out[..n].copy_from_slice(&self.tail[..n]);
        self.tail = &self.tail[n..];
        Ok(n)
    }
}

const ED: &[u8] = b"\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy after\n";
const HUNDRED_MB: usize = 100 * 1024 * 1024;

#[test]
fn a_100_mb_line_is_rejected_at_the_cap_without_being_buffered() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    for threads in [1, 2] {
        let mut events = Vec::new();
        let peak = peak_during(|| {
            let v = Checker::new(policy::STRICT);
            stream::par_check(
                HugeLine {
                    left: HUNDRED_MB,
                    tail: ED,
                },
                &v,
                Parallel {
                    threads,
                    chunk_bytes: 256 * 1024,
                },
                0,
                &mut Batch::new(),
                Vec::new,
                |acc: &mut Vec<String>, e| {
                    acc.push(match e {
                        Event::Key { line, .. } => format!("{line} ok"),
                        Event::Invalid { line, error, .. } => format!("{line} {} {error}", error.code()),
                        _ => String::new(),
                    });
                    Ok(())
                },
                |acc| {
                    events.extend(acc);
                    Ok(())
                },
            )
            .unwrap();
        });
        assert_eq!(events.len(), 2, "{events:?}");
        assert!(events[0].starts_with("1 line.too_long"), "{events:?}");
        assert!(events[0].contains(&HUNDRED_MB.to_string()), "{events:?}");
        assert_eq!(events[1], "2 ok");
        eprintln!("a 100 MB line, {threads} thread(s): peak heap {peak} bytes");
        assert!(peak < 4 * 1024 * 1024, "{peak} bytes in use for a 100 MB line");
    }
    // And line by line, as `keyvet check` reads a terminal.
    let mut codes = Vec::new();
    let peak = peak_during(|| {
        let mut v = Checker::new(policy::STRICT);
        let input = io::BufReader::new(HugeLine {
            left: HUNDRED_MB,
            tail: ED,
        });
        stream::check(input, &mut v, |e| {
            if let Event::Invalid { error, .. } = e {
                codes.push(error.code());
            }
            Ok(())
        })
        .unwrap();
    });
    assert_eq!(codes, ["line.too_long"]);
    assert!(peak < 4 * 1024 * 1024, "{peak} bytes in use for a 100 MB line");
}
