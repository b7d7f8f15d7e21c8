//! Whole inputs on two threads in small chunks: `stream::par_check` must
//! give `stream::check_into`'s events, summary and shared-prime batch, and
//! `stream::par_listing` must give `stream::listing_file`'s (or `keygen`'s for
//! standard input), whatever the chunk size.
//!
//! Input: two header bytes, then the text. Byte 0: bit 0 policy (strict or
//! openssh), bit 1 standard input instead of a file for keygen, bit 2 a
//! `FILE.pub` (the input itself) beside the file, bits 3..8 the line cap
//! (64 bytes and up, so that chunks stay small). Byte 1: the chunk size.

use keyvet::stream::{self, Batch, Event, Parallel, Source};
use keyvet::{Checker, HashAlg, Policy, policy};

/// Everything an event says, as text.
fn describe(e: &Event<'_, '_, '_>) -> String {
    match e {
        Event::Key { line, checked, comment } => format!(
            "key {line} {} | {:?}",
            checked.listing_line_with(HashAlg::Sha256, *comment),
            checked.findings()
        ),
        Event::Invalid { line, error, findings } => {
            format!("invalid {line} {} {error} | {findings:?}", error.code())
        }
        Event::SharedPrime { line, other, severity } => format!("shared {line} {other} {severity:?}"),
        other => format!("other {other:?}"),
    }
}

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let (sel, chunk) = (data[0], usize::from(data[1]));
    let input = &data[2..];
    let base = if sel & 1 == 0 { policy::STRICT } else { policy::OPENSSH };
    let p = Policy {
        max_line_len: 64 + usize::from(sel >> 3) * 64,
        ..base
    };
    let par = Parallel {
        threads: 2,
        chunk_bytes: chunk,
    };
    let v = Checker::new(p);

    // check
    let mut seq = Vec::new();
    let mut seq_batch = Batch::new();
    let s1 = stream::check_into(input, &mut v.clone(), 0, &mut seq_batch, |e| {
        seq.push(describe(&e));
        Ok(())
    })
    .expect("check_into on a slice");
    let mut par_events = Vec::new();
    let mut par_batch = Batch::new();
    let s2 = stream::par_check(
        input,
        &v,
        par,
        0,
        &mut par_batch,
        Vec::new,
        |acc: &mut Vec<String>, e| {
            acc.push(describe(&e));
            Ok(())
        },
        |acc| {
            par_events.extend(acc);
            Ok(())
        },
    )
    .expect("par_check on a slice");
    assert_eq!(seq, par_events);
    assert_eq!(s1, s2);
    assert_eq!(seq_batch.len(), par_batch.len());
    if seq_batch.len() > 1 {
        assert_eq!(seq_batch.shared(), par_batch.shared());
    }

    // keygen
    let with_pub = sel & 4 != 0;
    let pub_file = || with_pub.then_some(input);
    let mut seq = Vec::new();
    let mut each_seq = |e: Event<'_, '_, '_>| {
        seq.push(describe(&e));
        Ok(())
    };
    let (source, s1) = if sel & 2 != 0 {
        let s = stream::listing(input, Source::Stdin, &mut v.clone(), &mut each_seq);
        (Source::Stdin, s)
    } else {
        let s = stream::listing_file(input, "fuzz-input", pub_file, &mut v.clone(), &mut each_seq);
        (Source::File("fuzz-input"), s)
    };
    let s1 = s1.expect("keygen on a slice");
    let mut par_events = Vec::new();
    let s2 = stream::par_listing(
        input,
        source,
        pub_file,
        &v,
        par,
        Vec::new,
        |acc: &mut Vec<String>, e| {
            acc.push(describe(&e));
            Ok(())
        },
        |acc| {
            par_events.extend(acc);
            Ok(())
        },
    )
    .expect("par_listing on a slice");
    assert_eq!(seq, par_events);
    assert_eq!(s1, s2);
}
