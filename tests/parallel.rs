//! The parallel runs (`stream::par_check`, `stream::par_listing`, what
//! `keyvet check` and `keyvet fingerprint` use) give exactly the events of
//! the line-by-line ones, in the same order, for any number of threads and
//! any chunk size: inputs mixing valid keys, invalid lines, pasted PEM and
//! RFC 4716 blocks (which carry state across lines, and so across chunks),
//! lines over the cap, CR LF, comments, and no final newline.

mod common;

use common::corpus_root;
use keyvet::stream::{self, Batch, Event, Parallel, Source};
use keyvet::{Checker, HashAlg, Policy, policy};
use proptest::prelude::*;

fn render(e: Event<'_, '_, '_>) -> String {
    match e {
        Event::Key { line, checked, comment } => {
            format!("{line} {}", checked.listing_line_with(HashAlg::Sha256, comment))
        }
        Event::Invalid { line, error, findings } => {
            let ids: Vec<&str> = findings.iter().map(|f| f.check.id()).collect();
            format!("{line} {} {error} {ids:?}", error.code())
        }
        Event::SharedPrime { line, other, .. } => format!("{line} shares with {other}"),
        _ => "?".to_owned(),
    }
}

/// Lines to build inputs from.
fn pool() -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for f in [
        "valid/authorized_keys-many.pub",
        "weak/rsa/shared-primes.pub",
        "weak/rsa/small-factor-3.pub",
        "weak/ed25519/small-order-identity.pub",
    ] {
        let text = std::fs::read(corpus_root().join(f)).unwrap();
        lines.extend(
            text.split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .map(<[u8]>::to_vec),
        );
    }
    for extra in [
        &b"-----BEGIN OPENSSH PRIVATE KEY-----"[..],
        b"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        b"-----END OPENSSH PRIVATE KEY-----",
        b"---- BEGIN SSH2 PUBLIC KEY ----",
        b"Comment: \"a comment\"",
        b"---- END SSH2 PUBLIC KEY ----",
        b"-----BEGIN PUBLIC KEY-----",
        b"-----END PUBLIC KEY-----",
        b"# a comment",
        b"",
        b"   ",
        b"ssh-ed25519 AAAA! broken",
        b"ssh-rsa",
        b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy crlf\r",
        b"web01.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy",
    ] {
        lines.push(extra.to_vec());
    }
    // Over the cap of `small_cap` (1000 bytes), and far over a chunk.
    lines.push(vec![b'x'; 1500]);
    lines.push([&b"ssh-ed25519 "[..], &vec![b'A'; 5000]].concat());
    lines
}

/// A policy whose line cap is small, so that chunks (at least one line of
/// the cap) are small and inputs cross many chunk boundaries.
fn small_cap(p: Policy) -> Policy {
    Policy {
        max_line_len: 1000,
        ..p
    }
}

fn sequential_check(input: &[u8], p: Policy) -> (Vec<String>, Vec<stream::SharedLine>, (u64, u64)) {
    let mut v = Checker::new(p);
    let mut out = Vec::new();
    let mut batch = Batch::new();
    let s = stream::check_into(input, &mut v, 0, &mut batch, |e| {
        out.push(render(e));
        Ok(())
    })
    .unwrap();
    (out, batch.shared(), (s.valid, s.invalid))
}

fn parallel_check(input: &[u8], p: Policy, par: Parallel) -> (Vec<String>, Vec<stream::SharedLine>, (u64, u64)) {
    let v = Checker::new(p);
    let mut out = Vec::new();
    let mut batch = Batch::new();
    let s = stream::par_check(
        input,
        &v,
        par,
        0,
        &mut batch,
        Vec::new,
        |acc: &mut Vec<String>, e| {
            acc.push(render(e));
            Ok(())
        },
        |acc| {
            out.extend(acc);
            Ok(())
        },
    )
    .unwrap();
    (out, batch.shared(), (s.valid, s.invalid))
}

fn sequential_listing(input: &[u8], p: Policy) -> (Vec<String>, (u64, u64)) {
    let mut v = Checker::new(p);
    let mut out = Vec::new();
    let s = stream::listing_file(
        input,
        "keys",
        || None::<&[u8]>,
        &mut v,
        |e| {
            out.push(render(e));
            Ok(())
        },
    )
    .unwrap();
    (out, (s.valid, s.invalid))
}

fn parallel_listing(input: &[u8], p: Policy, par: Parallel) -> (Vec<String>, (u64, u64)) {
    let v = Checker::new(p);
    let mut out = Vec::new();
    let s = stream::par_listing(
        input,
        Source::File("keys"),
        || None::<&[u8]>,
        &v,
        par,
        Vec::new,
        |acc: &mut Vec<String>, e| {
            acc.push(render(e));
            Ok(())
        },
        |acc| {
            out.extend(acc);
            Ok(())
        },
    )
    .unwrap();
    (out, (s.valid, s.invalid))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn parallel_runs_match_line_by_line(
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..120),
        final_newline in any::<bool>(),
        threads in 1usize..4,
        chunk in 1usize..4000,
    ) {
        let pool = pool();
        let mut input = Vec::new();
        for (i, pick) in picks.iter().enumerate() {
            if i > 0 {
                input.push(b'\n');
            }
            let line: &Vec<u8> = pick.get(&pool);
            input.extend_from_slice(line);
        }
        if final_newline && !input.is_empty() {
            input.push(b'\n');
        }
        let par = Parallel { threads, chunk_bytes: chunk };
        for p in [small_cap(policy::STRICT), small_cap(policy::OPENSSH)] {
            prop_assert_eq!(parallel_check(&input, p, par), sequential_check(&input, p));
            prop_assert_eq!(parallel_listing(&input, p, par), sequential_listing(&input, p));
        }
    }
}

/// A file whose first line mentions PRIVATE KEY is read as ssh-keygen reads
/// a private key file, by the parallel run too.
#[test]
fn private_key_file_is_read_whole() {
    let pool = pool();
    let mut input = b"-----BEGIN OPENSSH PRIVATE KEY-----\nnot base64\n-----END OPENSSH PRIVATE KEY-----\n".to_vec();
    input.extend_from_slice(&pool[0]);
    input.push(b'\n');
    let par = Parallel {
        threads: 2,
        chunk_bytes: 1,
    };
    let p = small_cap(policy::OPENSSH);
    let seq = sequential_listing(&input, p);
    assert_eq!(parallel_listing(&input, p, par), seq);
    // Read as a private key file: its (broken) private key is what is
    // reported, once, at the line inside the block where it breaks, not
    // the key line after it.
    assert_eq!(seq.1, (0, 1), "{seq:?}");
    assert!(seq.0[0].starts_with("2 base64.padding"), "{seq:?}");
}

/// No worker thread outlives a parallel run: when `par_check` returns, every
/// worker has exited, its thread-local destructors included (a scope alone
/// waits only for the workers' closures; the fuzz target's LeakSanitizer once
/// saw a worker's thread bookkeeping still allocated just after the return).
#[test]
fn workers_have_exited_when_a_parallel_run_returns() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static STARTED: AtomicUsize = AtomicUsize::new(0);
    static EXITED: AtomicUsize = AtomicUsize::new(0);
    struct OnExit;
    impl Drop for OnExit {
        fn drop(&mut self) {
            // Slow, so that a thread still exiting is caught.
            std::thread::sleep(std::time::Duration::from_millis(50));
            EXITED.fetch_add(1, Ordering::SeqCst);
        }
    }
    thread_local! {
        static MARK: OnExit = {
            STARTED.fetch_add(1, Ordering::SeqCst);
            OnExit
        };
    }
    let input = std::fs::read(corpus_root().join("valid/authorized_keys-many.pub")).unwrap();
    let v = Checker::new(policy::OPENSSH);
    let main = std::thread::current().id();
    for round in 1..=3 {
        let par = Parallel {
            threads: 2,
            chunk_bytes: 256,
        };
        let mut batch = Batch::new();
        stream::par_check(
            &input[..],
            &v,
            par,
            0,
            &mut batch,
            Vec::new,
            |_: &mut Vec<()>, _| {
                if std::thread::current().id() != main {
                    MARK.with(|_| ());
                }
                Ok(())
            },
            |_| Ok(()),
        )
        .unwrap();
        let (started, exited) = (STARTED.load(Ordering::SeqCst), EXITED.load(Ordering::SeqCst));
        assert!(started > 0, "round {round}: no event ran on a worker");
        assert_eq!(exited, started, "round {round}: a worker had not exited");
    }
}
