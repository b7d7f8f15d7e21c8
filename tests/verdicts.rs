//! Every line a verdict: `stream::check` (what `keyvet check` runs) gives
//! every key line, every line of junk and every block header its own
//! verdict, on one thread and on many, whatever surrounds them; a pasted
//! block that closes is one verdict, at its first line, and one that never
//! closes takes nothing after it but block content.

use std::collections::BTreeSet;

use keyvet::stream::{self, Batch, Event, Parallel};
use keyvet::{Checker, policy};
use proptest::prelude::*;

const KEYS: [&str; 3] = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy alice",
    "no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy bob",
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCNQ9bt2RPZeV6cKMRXuDtqQTPfRnlEBxWsW87yaA57HhyCpVZvuLqFQh/nqtZWRroJBSjRwG/MHR8XBHNiZueg= carol",
];

const HEADERS: [(&str, &str); 4] = [
    (
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "-----END OPENSSH PRIVATE KEY-----",
    ),
    ("-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"),
    ("---- BEGIN SSH2 PUBLIC KEY ----", "---- END SSH2 PUBLIC KEY ----"),
    ("-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----"),
];

/// One piece of a file, and whether each of its lines must get a verdict.
#[derive(Debug, Clone)]
enum Piece {
    /// A key line: a verdict (valid).
    Key(usize),
    /// Text that is no key: a verdict (invalid).
    Junk(String),
    /// Blank and comment lines: none.
    Skipped(bool),
    /// A block that closes: one verdict, at its first line.
    Closed(usize, Vec<String>, Vec<String>),
    /// A header that never closes, with block content after it: one
    /// verdict, at the header.
    Unclosed(usize, Vec<String>),
}

fn base64_line() -> impl Strategy<Value = String> {
    "[A-Za-z0-9+/]{1,70}={0,2}"
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        (0..KEYS.len()).prop_map(Piece::Key),
        // Text with a blank in it: never block content.
        "[a-z]{1,8} [a-z0-9]{1,10}[a-z0-9 ]{0,10}".prop_map(Piece::Junk),
        any::<bool>().prop_map(Piece::Skipped),
        (
            0..HEADERS.len(),
            proptest::collection::vec("[A-Z][a-z]{1,8}: [a-z ]{0,10}", 0..2),
            proptest::collection::vec(base64_line(), 0..4)
        )
            .prop_map(|(h, heads, body)| Piece::Closed(h, heads, body)),
        (0..HEADERS.len(), proptest::collection::vec(base64_line(), 0..4))
            .prop_map(|(h, body)| Piece::Unclosed(h, body)),
    ]
}

/// The file, and the lines that must get a verdict.
fn render(pieces: &[Piece]) -> (String, BTreeSet<u64>) {
    let mut text = String::new();
    let mut want = BTreeSet::new();
    let mut n = 0u64;
    let mut line = |s: &str, verdict: bool, text: &mut String| {
        n += 1;
        text.push_str(s);
        text.push('\n');
        if verdict {
            want.insert(n);
        }
    };
    for p in pieces {
        match p {
            Piece::Key(k) => line(KEYS[*k], true, &mut text),
            Piece::Junk(j) => line(j, true, &mut text),
            Piece::Skipped(blank) => line(if *blank { "" } else { "# a comment" }, false, &mut text),
            Piece::Closed(h, heads, body) => {
                line(HEADERS[*h].0, true, &mut text);
                for l in heads.iter().chain(body) {
                    line(l, false, &mut text);
                }
                line(HEADERS[*h].1, false, &mut text);
            }
            Piece::Unclosed(h, body) => {
                line(HEADERS[*h].0, true, &mut text);
                for l in body {
                    line(l, false, &mut text);
                }
            }
        }
    }
    (text, want)
}

/// The lines `stream::check` gave a verdict, on `threads` threads.
fn verdicts(text: &str, threads: usize) -> Vec<u64> {
    let v = Checker::new(policy::OPENSSH);
    let mut lines = Vec::new();
    let par = Parallel {
        threads,
        chunk_bytes: 64,
    };
    stream::par_check(
        text.as_bytes(),
        &v,
        par,
        0,
        &mut Batch::new(),
        Vec::new,
        |acc: &mut Vec<u64>, e| {
            match e {
                Event::Key { line, .. } | Event::Invalid { line, .. } => acc.push(line),
                _ => {}
            }
            Ok(())
        },
        |acc| {
            lines.extend(acc);
            Ok(())
        },
    )
    .unwrap();
    lines
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_line_that_is_not_block_content_gets_one_verdict(pieces in proptest::collection::vec(piece(), 0..24)) {
        let (text, want) = render(&pieces);
        for threads in [1, 2] {
            let got = verdicts(&text, threads);
            let unique: BTreeSet<u64> = got.iter().copied().collect();
            prop_assert_eq!(unique.len(), got.len(), "a line with two verdicts: {:?}", got);
            // Line 0 is the whole input's verdict (no key line at all).
            let got: BTreeSet<u64> = unique.into_iter().filter(|&l| l != 0).collect();
            prop_assert_eq!(&got, &want, "{}", text);
        }
    }
}

/// A private key header that never closes, then ten keys: eleven verdicts,
/// the keys all valid.
#[test]
fn an_unterminated_header_does_not_swallow_the_keys_after_it() {
    let mut text = String::from("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    for i in 0..10 {
        text.push_str(KEYS[i % 3]);
        text.push('\n');
    }
    let mut v = Checker::new(policy::STRICT);
    let mut events = Vec::new();
    let s = stream::check(text.as_bytes(), &mut v, |e| {
        match e {
            Event::Key { line, .. } => events.push((line, "valid")),
            Event::Invalid { line, error, .. } => events.push((line, error.code())),
            _ => {}
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(events.len(), 11, "{events:?}");
    assert_eq!(events[0], (1, "line.private_key"));
    assert_eq!((s.valid, s.invalid), (10, 1));
}

/// A UTF-16 file (PowerShell's `>`) and a binary file are one mistake each,
/// reported once at line 1, not a mistake on every line.
#[test]
fn a_file_that_is_not_text_is_one_verdict() {
    let keys = format!("{}\r\n{}\r\n", KEYS[0], KEYS[2]);
    let mut utf16 = vec![0xff, 0xfe];
    for u in keys.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut state = 0x2545_f491_u32;
    let binary: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect();
    // A private key saved as UTF-16 is a private key first.
    let private = "-----BEGIN OPENSSH PRIVATE KEY-----\r\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\r\n";
    let mut private16 = vec![0xfe, 0xff];
    for u in private.encode_utf16() {
        private16.extend_from_slice(&u.to_be_bytes());
    }
    for (input, code) in [
        (utf16, "upload.utf16"),
        (binary, "upload.binary"),
        (private16, "line.private_key"),
    ] {
        let mut v = Checker::new(policy::STRICT);
        let mut events = Vec::new();
        let s = stream::check(&input[..], &mut v, |e| {
            if let Event::Invalid { line, error, .. } = e {
                events.push((line, error.code()));
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(events, [(1, code)]);
        assert_eq!((s.valid, s.invalid), (0, 1));
    }
}

/// A PEM block without a key (an X.509 certificate) is named for what it
/// is, once, not taken for a private key, and the lines after it are read.
#[test]
fn a_certificate_block_is_not_a_private_key() {
    let input = format!(
        "-----BEGIN CERTIFICATE-----\nMIIBLDCB36ADAgECAhQYWOsAZ9vtte/pCEwhnCzAq+pmgTAFBgMrZXAwDDEKMAgG\n-----END CERTIFICATE-----\n{}\n",
        KEYS[0]
    );
    let mut v = Checker::new(policy::STRICT);
    let mut events = Vec::new();
    let s = stream::check(input.as_bytes(), &mut v, |e| {
        if let Event::Invalid { line, error, .. } = e {
            events.push((line, error.code(), error.to_string()));
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!((events[0].0, events[0].1), (1, "line.pem_block"));
    assert!(events[0].2.contains("'CERTIFICATE'"), "{}", events[0].2);
    assert_eq!((s.valid, s.invalid), (1, 1));
}
