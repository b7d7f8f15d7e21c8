//! `keyvet known-hosts find HOST [FILE]`: `ssh-keygen -F HOST -f FILE`,
//! byte for byte, with its exit status.

use std::fs::File;
use std::io::{self, BufReader, Write};

use keyvet::known_hosts::{Lookup, Marker, lookup};
use keyvet::line::{LineReader, RawLine};

use crate::output::{self, Reason};

/// Longest line kept; a longer one is skipped.
const MAX_LINE: usize = 1 << 20;

/// The default file: `~/.ssh/known_hosts`, as ssh-keygen's.
pub(crate) fn default_file() -> Option<String> {
    std::env::var_os("HOME").map(|h| format!("{}/.ssh/known_hosts", h.to_string_lossy()))
}

/// What `find` ended with: ssh-keygen exits 0 when a line was found, 1
/// when none was, 255 when the file cannot be read.
pub(crate) enum Found {
    Yes,
    No,
    Unreadable,
}

/// Prints every line of `path` that is for `host`, each after a `# Host
/// HOST found: line N [CA|REVOKED]` header unless `quiet`.
pub(crate) fn find<W: Write>(host: &str, path: &str, quiet: bool, out: &mut W) -> io::Result<Found> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("keyvet: {path}: {}", Reason(&e));
            return Ok(Found::Unreadable);
        }
    };
    // The engine's capped reader: a line over the cap is skipped, never
    // buffered (ssh-keygen's getline has no cap; known_hosts lines are short).
    let mut lines = LineReader::new(BufReader::new(file), MAX_LINE);
    let mut found = false;
    loop {
        let (number, bytes) = match lines.next_line() {
            Ok(Some(RawLine::Line { number, bytes })) => (number, bytes),
            Ok(Some(RawLine::TooLong { .. })) => continue,
            Ok(None) => break,
            Err(e) => {
                eprintln!("keyvet: {}", output::describe(path, &e));
                return Ok(Found::Unreadable);
            }
        };
        if let Lookup::Found(marker) = lookup(bytes, host) {
            found = true;
            if !quiet {
                let tag = match marker {
                    Some(Marker::CertAuthority) => "CA",
                    Some(Marker::Revoked) => "REVOKED",
                    None => "",
                };
                writeln!(out, "# Host {host} found: line {number} {tag}")?;
            }
            // The line as C reads it: up to a NUL.
            out.write_all(&bytes[..bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len())])?;
            out.write_all(b"\n")?;
        }
    }
    Ok(if found { Found::Yes } else { Found::No })
}
