//! Writes one of the bench corpora (`benches/support/corpus.rs`) to standard
//! output, for whole-process runs of the command-line tool and ssh-keygen on
//! the same bytes the benches use (`benches/whole.py`).
//!
//! ```text
//! cargo run --release --example bench_corpus -- plain 10000 > plain.pub
//! ```

use std::io::Write;

#[path = "../benches/support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "mixed".into());
    let lines: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    if !corpus::KINDS.contains(&kind.as_str()) && !corpus::EXTRA_KINDS.contains(&kind.as_str()) {
        eprintln!(
            "unknown corpus {kind}: one of {}",
            [&corpus::KINDS[..], &corpus::EXTRA_KINDS[..]].concat().join(", ")
        );
        std::process::exit(2);
    }
    let c = corpus::build(&corpus::pool(), &kind, lines);
    std::io::stdout()
        .lock()
        .write_all(c.text.as_bytes())
        .expect("writing the corpus");
}
