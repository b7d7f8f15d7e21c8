//! Whole inputs: every line of a file checked the way `keyvet check` does,
//! or read the way `ssh-keygen -l` does.
//!
//! Both stream: one line is in memory at a time, and a line over the
//! policy's cap is reported without being buffered.

use std::io::{self, BufRead};

use crate::error::{Error, ErrorKind};
use crate::keygen::ShownComment;
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
        /// The comment `ssh-keygen -l` shows for it: usually
        /// [`ShownComment::of_line`], but a file read as a private key file
        /// shows its first key's comment up to a CR, or the file name.
        comment: ShownComment<'c>,
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
    /// [`keygen`] read the input as a private key file (its first line
    /// mentions `PRIVATE KEY`) and found no public key line in it: like
    /// ssh-keygen, a caller with a file system may try `FILE.pub` next.
    pub private_key_file: bool,
}

/// Where an input comes from, for [`keygen`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// Standard input.
    Stdin,
    /// A file with this name.
    File(&'a str),
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
                    comment: ShownComment::of_line(c.line()),
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
/// them silently; keyvet says why).
///
/// When the first line of a file mentions `PRIVATE KEY`, ssh-keygen reads
/// the file as a private key file: it shows the first bare public key line in
/// it (with its comment up to a CR, or the file name when it has none) and
/// stops; [`Summary::private_key_file`] tells a caller that nothing was
/// found that way. An input with no valid key is reported as
/// [`ErrorKind::EmptyInput`] at line 0, as ssh-keygen fails with "is not a
/// public key file".
///
/// # Errors
/// I/O errors of the input, and errors returned by `f`.
pub fn keygen<R: BufRead>(
    input: R,
    source: Source<'_>,
    v: &mut Validator,
    mut f: impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<Summary> {
    let max = v.policy().max_line_len;
    let mut reader = LineReader::new(input, max);
    let mut s = Summary::default();
    let mut private = None;
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
        let visible = v.policy().visible(bytes);
        if let (1, Source::File(name)) = (number, source)
            && !line::is_skipped(visible)
            && visible.windows(11).any(|w| w == b"PRIVATE KEY")
        {
            private = Some(name);
        }
        if let Some(name) = private {
            match public_key_line(number, bytes, name, v, &mut f, &mut s)? {
                Flow::Found | Flow::Stop => return Ok(s),
                Flow::Next => continue,
            }
        }
        if line::is_skipped(visible) {
            continue;
        }
        match v.check_keygen_line(bytes) {
            Ok(c) => {
                s.valid += 1;
                f(Event::Key {
                    line: number,
                    checked: &c,
                    comment: ShownComment::of_line(c.line()),
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
    if private.is_some() {
        s.private_key_file = true;
        return Ok(s);
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

/// Reads a public key file the way OpenSSH's `sshkey_load_public` does
/// (used by `ssh-keygen -l` for `FILE.pub` beside a private key file): the
/// first bare key line wins and is shown with its comment up to a CR, or
/// with `name` when it has none; reading stops at a `-----BEGIN` line.
///
/// # Errors
/// I/O errors of the input, and errors returned by `f`.
pub fn keygen_public_file<R: BufRead>(
    input: R,
    name: &str,
    v: &mut Validator,
    mut f: impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<Summary> {
    let max = v.policy().max_line_len;
    let mut reader = LineReader::new(input, max);
    let mut s = Summary::default();
    while let Some(raw) = reader.next_line()? {
        let RawLine::Line { number, bytes } = raw else { continue };
        match public_key_line(number, bytes, name, v, &mut f, &mut s)? {
            Flow::Found | Flow::Stop => return Ok(s),
            Flow::Next => {}
        }
    }
    Ok(s)
}

enum Flow {
    Found,
    Stop,
    Next,
}

/// One line of `sshkey_try_load_public`.
fn public_key_line(
    number: u64,
    bytes: &[u8],
    name: &str,
    v: &mut Validator,
    f: &mut impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
    s: &mut Summary,
) -> io::Result<Flow> {
    let visible = v.policy().visible(bytes);
    // Lines starting with '#' or empty are skipped; a PEM block ends the
    // search (it is a private key).
    match visible.first() {
        None | Some(b'#') => return Ok(Flow::Next),
        Some(_) if visible.starts_with(b"-----BEGIN") => {
            s.private_key_file = true;
            if let Err(e) = v.check_line(bytes) {
                s.invalid += 1;
                f(Event::Invalid {
                    line: number,
                    error: e.with_line(number),
                })?;
            }
            return Ok(Flow::Stop);
        }
        Some(_) => {}
    }
    if line::is_skipped(visible) {
        return Ok(Flow::Next);
    }
    match v.check_key_line(bytes) {
        Ok(c) => {
            s.valid += 1;
            s.private_key_file = false;
            let comment = match c.line().comment_bytes() {
                Some(t) => {
                    let end = t.iter().position(|&b| b == b'\r').unwrap_or(t.len());
                    &t[..end]
                }
                None => &[][..],
            };
            let comment = if comment.is_empty() { name.as_bytes() } else { comment };
            f(Event::Key {
                line: number,
                checked: &c,
                comment: ShownComment::new(Some(comment)),
            })?;
            Ok(Flow::Found)
        }
        Err(e) => {
            s.invalid += 1;
            f(Event::Invalid {
                line: number,
                error: e.with_line(number),
            })?;
            Ok(Flow::Next)
        }
    }
}
