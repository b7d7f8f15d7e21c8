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
use crate::error::{Error, ErrorKind, LineError};
use crate::key::KeyData;
use crate::line::{self, LineReader, RawLine};
use crate::listing::ShownComment;
use crate::screening::{Check, Findings};

/// Inside a pasted block or not: when inside, the start of the line that
/// ends it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Block(Option<&'static [u8]>);

impl Block {
    /// The block that `begin` opens, if it is the first line of one.
    pub(super) fn opened_by(begin: &[u8]) -> Block {
        let t = trim_start(begin);
        Block(if t.starts_with(b"-----BEGIN") {
            Some(b"-----END")
        } else if t.starts_with(b"---- BEGIN SSH2") {
            Some(b"---- END SSH2")
        } else if t.starts_with(PUTTY) {
            Some(b"Private-MAC:")
        } else {
            None
        })
    }

    /// Whether this is inside a block.
    pub(super) const fn is_open(self) -> bool {
        self.0.is_some()
    }

    /// Whether `line` closes this block.
    pub(super) fn closed_by(self, line: &[u8]) -> bool {
        self.0.is_some_and(|end| trim_start(line).starts_with(end))
    }
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
        if block.is_open() {
            if block.closed_by(bytes) {
                *block = Block::default();
            }
            return Ok(());
        }
        if line::is_skipped(bytes) {
            return Ok(());
        }
        let collect = v.policy().screening.checks.contains(Check::RsaSharedPrime);
        match v.check_line(bytes) {
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
                    ErrorKind::Line(LineError::PrivateKey(_) | LineError::Rfc4716 | LineError::PemPublicKey)
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
        let visible = v.policy().visible(bytes);
        if line::is_skipped(visible) {
            return Ok(());
        }
        let block_ends = block.closed_by(bytes);
        match v.check_listing_line(bytes) {
            Ok(c) => {
                s.valid += 1;
                f(Event::Key {
                    line: number,
                    checked: &c,
                    comment: ShownComment::of_line(c.line()),
                })?;
            }
            // Inside a pasted PEM or RFC 4716 block (reported at its first
            // line), lines are tried as ssh-keygen tries them but not
            // reported: their text may be a private key.
            Err(_) if block.is_open() => {}
            Err(e) => {
                // The first line of a block: ssh-keygen reads it as a host
                // name and more; say what it is instead (`line.private_key`,
                // `line.rfc4716`, `line.pem`).
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
        if block_ends {
            *block = Block::default();
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
