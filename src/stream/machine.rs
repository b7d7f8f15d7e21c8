//! The per-line state machine of a whole input, written once for one thread
//! and for many: what a line is, given the lines before it.
//!
//! Lines carry one piece of state: inside a pasted PEM or RFC 4716 block (or
//! a PuTTY key file), the line that ends it ([`Block`]). The two modes,
//! [`CheckMode`] (`keyvet check`) and [`ListingMode`] (`ssh-keygen -l`),
//! decide each line from the line and that state; [`drive`] runs a mode over
//! a reader on the calling thread, and `par` runs the very same modes on
//! every core.

use std::io::{self, BufRead};

use super::{Batch, Event, Summary};
use crate::checker::Checker;
use crate::error::{Error, ErrorKind, LineError, UploadError};
use crate::key::KeyData;
use crate::line::{self, LineReader, RawLine};
use crate::listing::ShownComment;
use crate::screening::{Check, Findings};

/// Inside a pasted block or not: when inside, the start of the line that
/// ends it, and whether the last line was a header continued on the next
/// (RFC 4716 headers end in `\\` when they go on).
///
/// A block holds only the lines a block is made of: base64, `Name: value`
/// headers and their continuations. Any other line means the block was
/// never closed: the block is over, and that line is read on its own. So no
/// line after a header that never closes goes without a verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Block {
    end: Option<&'static [u8]>,
    continued: bool,
    /// The input is not text (UTF-16, binary): reported once, at line 1,
    /// and every later line is part of the same mistake.
    not_text: bool,
}

impl Block {
    /// The block that `begin` opens, if it is the first line of one.
    pub(super) fn opened_by(begin: &[u8]) -> Block {
        let t = trim_start(begin);
        let end: Option<&'static [u8]> = if t.starts_with(b"-----BEGIN") {
            Some(b"-----END")
        } else if t.starts_with(b"---- BEGIN SSH2") {
            Some(b"---- END SSH2")
        } else if t.starts_with(PUTTY) {
            Some(b"Private-MAC:")
        } else {
            None
        };
        Block {
            end,
            continued: false,
            not_text: false,
        }
    }

    /// The rest of an input that is not text.
    const fn not_text() -> Block {
        Block {
            end: None,
            continued: false,
            not_text: true,
        }
    }

    /// Whether this is inside a block.
    pub(super) const fn is_open(self) -> bool {
        self.end.is_some() || self.not_text
    }

    /// Reads `line` inside the block: whether it belongs to it (its END
    /// line, which closes it, or block content). A line that does not
    /// belong closes the block, unterminated.
    pub(super) fn take(&mut self, line: &[u8]) -> bool {
        if self.not_text {
            return true;
        }
        let Some(end) = self.end else { return false };
        let t = trim_start(line);
        crate::meter::charge(t.len());
        if t.starts_with(end) {
            *self = Block::default();
            return true;
        }
        let t = t.strip_suffix(b"\r").unwrap_or(t);
        if self.continued || is_block_content(t) {
            self.continued = t.ends_with(b"\\");
            return true;
        }
        *self = Block::default();
        false
    }
}

/// A line a pasted block is made of: base64 (a line of a PEM, RFC 4716 or
/// PuTTY body, damaged ones too: one word, three quarters base64), or a
/// header such as `Comment: "..."`, `Proc-Type: 4,ENCRYPTED` or
/// `Public-Lines: 6`. A key line has blanks between its fields, and so does
/// text: they are not.
fn is_block_content(t: &[u8]) -> bool {
    let t = &t[..t.iter().rposition(|&b| b != b' ' && b != b'\t').map_or(0, |e| e + 1)];
    let b64 = t
        .iter()
        .filter(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        .count();
    if !t.iter().any(|&b| b == b' ' || b == b'\t') && b64 * 4 >= t.len() * 3 {
        return true;
    }
    let name_end = t
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
        .unwrap_or(t.len());
    name_end > 0 && t[0].is_ascii_alphabetic() && t[name_end..].starts_with(b":")
}

/// The first line of a PuTTY key file.
const PUTTY: &[u8] = b"PuTTY-User-Key-File-";

pub(super) fn trim_start(s: &[u8]) -> &[u8] {
    &s[line::first_nonblank(s)..]
}

/// What one kind of run does with each line, and at the end.
pub(super) trait Mode: Sync {
    /// Decides one line, counts it in `s` and reports it to `f`.
    #[allow(clippy::too_many_arguments)]
    fn line<F: FnMut(Event<'_, '_, '_>) -> io::Result<()>>(
        &self,
        raw: RawLine<'_>,
        max: usize,
        v: &mut Checker,
        block: &mut Block,
        batch: &mut Batch,
        s: &mut Summary,
        f: &mut F,
    ) -> io::Result<()>;

    /// The end of the input.
    fn end<F: FnMut(Event<'_, '_, '_>) -> io::Result<()>>(&self, s: &mut Summary, f: &mut F) -> io::Result<()>;
}

/// Runs `mode` over every line of `input` on the calling thread.
pub(super) fn drive<M: Mode, R: BufRead, F: FnMut(Event<'_, '_, '_>) -> io::Result<()>>(
    mode: &M,
    input: R,
    v: &mut Checker,
    batch: &mut Batch,
    f: &mut F,
) -> io::Result<Summary> {
    let max = v.policy().max_line_len;
    let mut reader = LineReader::new(input, max);
    let mut s = Summary::default();
    let mut block = Block::default();
    while let Some(raw) = reader.next_line()? {
        mode.line(raw, max, v, &mut block, batch, &mut s, f)?;
    }
    mode.end(&mut s, f)?;
    Ok(s)
}

/// The first line of an input that is not text (UTF-16, as PowerShell's `>`
/// writes it, or a binary file): reported once, as the whole input's
/// mistake, instead of a mistake on every line.
fn not_text(
    number: u64,
    bytes: &[u8],
    block: &mut Block,
    s: &mut Summary,
    f: &mut impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> Option<io::Result<()>> {
    if number != 1 {
        return None;
    }
    // A line of a few odd bytes is a bad line, not a binary file.
    let kind = crate::vet::not_text(bytes).filter(|k| !matches!(k, UploadError::Binary) || bytes.len() >= 32)?;
    *block = Block::not_text();
    s.invalid += 1;
    // A private key saved as UTF-16 is reported as a private key.
    let error = match crate::vet::private_key_in(bytes, kind) {
        Some((_, k)) => Error::new(LineError::PrivateKey(k)),
        None => Error::new(kind),
    };
    Some(f(Event::Invalid {
        line: number,
        error: error.with_line(number),
        findings: Findings::default(),
    }))
}

/// A line over the cap, counted and reported (both modes alike).
fn too_long(
    number: u64,
    len: usize,
    max: usize,
    s: &mut Summary,
    f: &mut impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<()> {
    s.invalid += 1;
    f(Event::Invalid {
        line: number,
        error: Error::new(LineError::TooLong { len, max }).with_line(number),
        findings: Findings::default(),
    })
}

/// `keyvet check`: every key line checked as an authorized_keys line; a
/// pasted block is one invalid line, reported at its first line. The RSA
/// moduli of valid lines go into the batch, tagged with `source`.
pub(super) struct CheckMode {
    pub(super) source: u32,
}

impl Mode for CheckMode {
    fn line<F: FnMut(Event<'_, '_, '_>) -> io::Result<()>>(
        &self,
        raw: RawLine<'_>,
        max: usize,
        v: &mut Checker,
        block: &mut Block,
        batch: &mut Batch,
        s: &mut Summary,
        f: &mut F,
    ) -> io::Result<()> {
        let (number, bytes) = match raw {
            RawLine::TooLong { number, len } => return too_long(number, len, max, s, f),
            RawLine::Line { number, bytes } => (number, bytes),
        };
        if block.take(bytes) {
            return Ok(());
        }
        if let Some(done) = not_text(number, bytes, block, s, f) {
            return done;
        }
        if line::is_skipped(bytes) {
            return Ok(());
        }
        let collect = v.policy().screening.checks.contains(Check::RsaSharedPrime);
        match v.check_file_line(bytes) {
            Ok(c) => {
                s.valid += 1;
                if collect && let KeyData::Rsa(r) = c.key().public_key().data() {
                    batch.push(self.source, number, r.n.magnitude());
                }
                f(Event::Key {
                    line: number,
                    checked: &c,
                    comment: ShownComment::of_line(c.line()),
                })
            }
            Err(e) => {
                if matches!(
                    e.kind(),
                    ErrorKind::Line(
                        LineError::PrivateKey(_)
                            | LineError::Rfc4716
                            | LineError::PemPublicKey
                            | LineError::PemBlock(_)
                    )
                ) {
                    *block = Block::opened_by(bytes);
                }
                s.invalid += 1;
                f(Event::Invalid {
                    line: number,
                    error: e.with_line(number),
                    findings: *v.last_findings(),
                })
            }
        }
    }

    /// An input without any key line is invalid.
    fn end<F: FnMut(Event<'_, '_, '_>) -> io::Result<()>>(&self, s: &mut Summary, f: &mut F) -> io::Result<()> {
        if s.valid + s.invalid == 0 {
            s.invalid = 1;
            f(Event::Invalid {
                line: 0,
                error: Error::new(LineError::EmptyInput),
                findings: Findings::default(),
            })?;
        }
        Ok(())
    }
}

/// `ssh-keygen -l`: every line read as ssh-keygen reads it (after the
/// private key file question, which the caller settles).
pub(super) struct ListingMode;

impl Mode for ListingMode {
    fn line<F: FnMut(Event<'_, '_, '_>) -> io::Result<()>>(
        &self,
        raw: RawLine<'_>,
        max: usize,
        v: &mut Checker,
        block: &mut Block,
        _batch: &mut Batch,
        s: &mut Summary,
        f: &mut F,
    ) -> io::Result<()> {
        let (number, bytes) = match raw {
            RawLine::TooLong { number, len } => return too_long(number, len, max, s, f),
            RawLine::Line { number, bytes } => (number, bytes),
        };
        if block.not_text {
            return Ok(());
        }
        if let Some(done) = not_text(number, bytes, block, s, f) {
            return done;
        }
        let visible = v.policy().visible(bytes);
        if line::is_skipped(visible) {
            return Ok(());
        }
        // Inside a pasted block (reported at its first line), lines are
        // tried as ssh-keygen tries them but not reported: their text may be
        // a private key.
        let in_block = block.take(bytes);
        match v.check_listing_line(bytes) {
            Ok(c) => {
                s.valid += 1;
                f(Event::Key {
                    line: number,
                    checked: &c,
                    comment: ShownComment::of_line(c.line()),
                })?;
            }
            Err(_) if in_block => {}
            Err(e) => {
                // The first line of a block: ssh-keygen reads it as a host
                // name and more; say what it is instead (`line.private_key`,
                // `line.rfc4716`, `line.pem`, `line.pem_block`).
                let starts = Block::opened_by(visible);
                let e = if starts.is_open() {
                    v.check_line(bytes).err().unwrap_or(e)
                } else {
                    e
                };
                *block = starts;
                s.invalid += 1;
                f(Event::Invalid {
                    line: number,
                    error: e.with_line(number),
                    findings: Findings::default(),
                })?;
            }
        }
        Ok(())
    }

    /// An input without any valid key fails.
    fn end<F: FnMut(Event<'_, '_, '_>) -> io::Result<()>>(&self, s: &mut Summary, f: &mut F) -> io::Result<()> {
        if s.valid == 0 {
            s.invalid += 1;
            f(Event::Invalid {
                line: 0,
                error: Error::new(LineError::EmptyInput),
                findings: Findings::default(),
            })?;
        }
        Ok(())
    }
}
