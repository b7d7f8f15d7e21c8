//! `keyvet known-hosts find HOST [FILE]`: `ssh-keygen -F HOST -f FILE`,
//! byte for byte, with its exit status.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};

use keyvet::known_hosts::{Lookup, Marker, lookup};

use crate::output::{self, Reason};

/// Longest line read; longer lines are read in full but only this much is
/// kept (ssh-keygen's `getline` has no cap; known_hosts lines are short).
const MAX_LINE: u64 = 1 << 20;

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
    let mut input = BufReader::new(file);
    let mut buf = Vec::new();
    let mut number = 0u64;
    let mut found = false;
    loop {
        buf.clear();
        let n = match (&mut input).take(MAX_LINE).read_until(b'\n', &mut buf) {
            Ok(n) => n,
            Err(e) => {
                eprintln!("keyvet: {}", output::describe(path, &e));
                return Ok(Found::Unreadable);
            }
        };
        if n == 0 {
            break;
        }
        if buf.last() != Some(&b'\n') && n as u64 == MAX_LINE {
            // Over the cap: skip the rest of the line; it is not printed.
            let mut rest = Vec::new();
            while (&mut input).take(MAX_LINE).read_until(b'\n', &mut rest)? as u64 == MAX_LINE {
                if rest.last() == Some(&b'\n') {
                    break;
                }
                rest.clear();
            }
            number += 1;
            continue;
        }
        number += 1;
        if let Lookup::Found(marker) = lookup(&buf, host) {
            found = true;
            if !quiet {
                let tag = match marker {
                    Some(Marker::CertAuthority) => "CA",
                    Some(Marker::Revoked) => "REVOKED",
                    None => "",
                };
                writeln!(out, "# Host {host} found: line {number} {tag}")?;
            }
            // The line as C reads it: up to a NUL, without its newline.
            let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let line = &line[..memchr_nul(line)];
            out.write_all(line)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(if found { Found::Yes } else { Found::No })
}

fn memchr_nul(s: &[u8]) -> usize {
    s.iter().position(|&b| b == 0).unwrap_or(s.len())
}
