//! Whole inputs: every line of a file checked the way `keyvet check` does,
//! or read the way `ssh-keygen -l` does.
//!
//! Both stream: one line is in memory at a time, and a line over the
//! policy's cap is reported without being buffered.

use std::io::{self, BufRead};

use crate::error::{Error, ErrorKind, PrivateKeyKind};
use crate::line::{self, LineReader, RawLine};
use crate::validate::{Checked, Validator};

/// What one line of an input turned out to be.
#[derive(Debug)]
pub enum Event<'c, 'l, 'b> {
    /// A valid key.
    Key {
        /// 1-based line number.
        line: u64,
        /// The key.
        checked: &'c Checked<'l, 'b>,
    },
    /// An invalid line.
    Invalid {
        /// 1-based line number (0 for [`ErrorKind::EmptyInput`], which is about
        /// the whole input).
        line: u64,
        /// Why.
        error: Error,
    },
}

/// Counts over one input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Valid keys.
    pub valid: u64,
    /// Invalid key lines (an input without key lines counts as one).
    pub invalid: u64,
}

fn trim_start(s: &[u8]) -> &[u8] {
    &s[line::first_nonblank(s)..]
}

/// The line that closes a block whose first line is `begin` (a pasted PEM
/// or RFC 4716 block): its other lines are part of the same mistake.
fn block_end(begin: &[u8]) -> Option<&'static [u8]> {
    let t = trim_start(begin);
    if t.starts_with(b"-----BEGIN") {
        Some(b"-----END")
    } else if t.starts_with(b"---- BEGIN SSH2") {
        Some(b"---- END SSH2")
    } else {
        None
    }
}

/// Checks every key line of `input` (blank and `#` lines are skipped) and
/// calls `f` for each. A pasted PEM or RFC 4716 block is one invalid line:
/// its first line is reported and the rest of the block skipped. An input
/// without any key line is reported as [`ErrorKind::EmptyInput`] at line 0.
///
/// ```
/// use keyvet::{Validator, policy, stream::{self, Event}};
/// let input = b"# keys\nssh-ed25519 AAAA!\n";
/// let mut v = Validator::new(policy::STRICT);
/// let mut codes = Vec::new();
/// let s = stream::check(&input[..], &mut v, |e| {
///     if let Event::Invalid { line, error } = e { codes.push((line, error.code())); }
///     Ok(())
/// }).unwrap();
/// assert_eq!(codes, [(2, "base64.symbol")]);
/// assert_eq!(s.invalid, 1);
/// ```
///
/// # Errors
/// I/O errors of the input, and errors returned by `f`.
pub fn check<R: BufRead>(
    input: R,
    v: &mut Validator,
    mut f: impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<Summary> {
    let max = v.policy().max_line_len;
    let mut reader = LineReader::new(input, max);
    let mut s = Summary::default();
    let mut skip_until: Option<&'static [u8]> = None;
    while let Some(raw) = reader.next_line()? {
        let (number, bytes) = match raw {
            RawLine::TooLong { number, len } => {
                s.invalid += 1;
                f(Event::Invalid {
                    line: number,
                    error: Error::new(ErrorKind::LineTooLong { len, max }).with_line(number),
                })?;
                continue;
            }
            RawLine::Line { number, bytes } => (number, bytes),
        };
        if let Some(end) = skip_until {
            if trim_start(bytes).starts_with(end) {
                skip_until = None;
            }
            continue;
        }
        if line::is_skipped(bytes) {
            continue;
        }
        match v.check_line(bytes) {
            Ok(c) => {
                s.valid += 1;
                f(Event::Key {
                    line: number,
                    checked: &c,
                })?;
            }
            Err(e) => {
                if matches!(
                    e.kind(),
                    ErrorKind::PrivateKey(_) | ErrorKind::Rfc4716 | ErrorKind::PemPublicKey
                ) {
                    skip_until = block_end(bytes);
                }
                s.invalid += 1;
                f(Event::Invalid {
                    line: number,
                    error: e.with_line(number),
                })?;
            }
        }
    }
    if s.valid + s.invalid == 0 {
        s.invalid = 1;
        f(Event::Invalid {
            line: 0,
            error: Error::new(ErrorKind::EmptyInput),
        })?;
    }
    Ok(s)
}

/// Reads `input` the way `ssh-keygen -l -f FILE` does and calls `f` for
/// every key it would print and every line it would skip (ssh-keygen skips
/// them silently; keyvet says why). A file whose first line mentions
/// `PRIVATE KEY` is a private key to ssh-keygen (not on standard input): it
/// is reported as such and reading stops. An input with no valid key is
/// reported as [`ErrorKind::EmptyInput`] at line 0, as ssh-keygen fails with
/// "is not a public key file".
///
/// # Errors
/// I/O errors of the input, and errors returned by `f`.
pub fn keygen<R: BufRead>(
    input: R,
    from_stdin: bool,
    v: &mut Validator,
    mut f: impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<Summary> {
    let max = v.policy().max_line_len;
    let mut reader = LineReader::new(input, max);
    let mut s = Summary::default();
    while let Some(raw) = reader.next_line()? {
        let (number, bytes) = match raw {
            RawLine::TooLong { number, len } => {
                s.invalid += 1;
                f(Event::Invalid {
                    line: number,
                    error: Error::new(ErrorKind::LineTooLong { len, max }).with_line(number),
                })?;
                continue;
            }
            RawLine::Line { number, bytes } => (number, bytes),
        };
        if line::is_skipped(bytes) {
            continue;
        }
        if number == 1 && !from_stdin && bytes.windows(11).any(|w| w == b"PRIVATE KEY") {
            let error = match v.check_line(bytes) {
                Err(e) => e,
                Ok(_) => Error::new(ErrorKind::PrivateKey(PrivateKeyKind::Other)),
            };
            s.invalid += 1;
            f(Event::Invalid {
                line: number,
                error: error.with_line(number),
            })?;
            return Ok(s);
        }
        match v.check_keygen_line(bytes) {
            Ok(c) => {
                s.valid += 1;
                f(Event::Key {
                    line: number,
                    checked: &c,
                })?;
            }
            Err(e) => {
                s.invalid += 1;
                f(Event::Invalid {
                    line: number,
                    error: e.with_line(number),
                })?;
            }
        }
    }
    if s.valid == 0 {
        s.invalid += 1;
        f(Event::Invalid {
            line: 0,
            error: Error::new(ErrorKind::EmptyInput),
        })?;
    }
    Ok(s)
}
