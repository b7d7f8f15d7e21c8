//! A file `ssh-keygen -l` reads as a private key file (its first line
//! mentions `PRIVATE KEY`): the first public key line in it, then
//! `FILE.pub`, then the public half derived from the private key, which is
//! kept (bounded, zeroed when dropped) while the file is read.

use std::cell::RefCell;
use std::io::{self, BufRead};

#[cfg(feature = "convert")]
use zeroize::Zeroizing;

use super::machine::Block;
use super::{Event, Summary};
use crate::checker::Checker;
#[cfg(feature = "convert")]
use crate::convert;
use crate::error::Error;
use crate::line::{self, LineReader, RawLine};
use crate::listing::ShownComment;
use crate::screening::Findings;

/// The bytes of a private key file, kept from its second line on while it
/// is read (its first line is added by the caller), in a buffer that never
/// grows (so never leaves copies behind) and is zeroed when dropped.
/// Without the `convert` feature nothing is kept: the public half cannot be
/// derived anyway.
pub(super) struct Recording {
    on: bool,
    #[cfg(feature = "convert")]
    buf: Zeroizing<Vec<u8>>,
    /// Bytes seen, kept or not.
    len: usize,
}

/// The most of a private key file that is kept.
#[cfg(feature = "convert")]
const MAX_KEPT: usize = convert::MAX_INPUT;
#[cfg(not(feature = "convert"))]
const MAX_KEPT: usize = 0;

impl Recording {
    pub(super) fn off() -> Recording {
        Recording {
            on: false,
            #[cfg(feature = "convert")]
            buf: Zeroizing::new(Vec::new()),
            len: 0,
        }
    }

    pub(super) fn start(&mut self, first_line: &[u8]) {
        self.on = true;
        #[cfg(feature = "convert")]
        {
            self.buf = Zeroizing::new(Vec::with_capacity(MAX_KEPT));
        }
        self.push(first_line);
        self.push(b"\n");
    }

    fn push(&mut self, bytes: &[u8]) {
        if !self.on {
            return;
        }
        self.len = self.len.saturating_add(bytes.len());
        #[cfg(feature = "convert")]
        if self.len <= MAX_KEPT {
            self.buf.extend_from_slice(bytes);
        }
    }

    pub(super) fn overflowed(&self) -> bool {
        self.len > MAX_KEPT
    }

    /// The public key line of the private key kept, and its comment, as
    /// `ssh-keygen -l` reads them.
    #[cfg(feature = "convert")]
    fn public_line(&self) -> Result<(Vec<u8>, Option<Vec<u8>>), Error> {
        if self.overflowed() {
            return Err(Error::new(crate::error::ConvertError::TooLarge {
                len: self.len,
                max: MAX_KEPT,
            }));
        }
        let c = convert::listing_private(&self.buf)?;
        Ok((c.key_line(), c.comment().map(<[u8]>::to_vec)))
    }

    /// Without the `convert` feature, no public half is derived.
    #[cfg(not(feature = "convert"))]
    fn public_line(&self) -> Result<(Vec<u8>, Option<Vec<u8>>), Error> {
        Err(Error::new(crate::error::PolicyError::FeatureMissing {
            feature: "convert",
            what: "derive the public half of a private key file",
        }))
    }
}

/// A [`BufRead`] that hands every byte consumed to a [`Recording`].
pub(super) struct Tee<'r, R> {
    pub(super) inner: R,
    pub(super) rec: &'r RefCell<Recording>,
}

impl<R: BufRead> io::Read for Tee<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tee<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        let mut rec = self.rec.borrow_mut();
        if rec.on
            && amt > 0
            && let Ok(buf) = self.inner.fill_buf()
        {
            rec.push(&buf[..amt.min(buf.len())]);
        }
        drop(rec);
        self.inner.consume(amt);
    }
}

/// Whether `ssh-keygen -l -f FILE` reads a file whose first line is `first`
/// as a private key file: the line mentions `PRIVATE KEY`.
pub(super) fn reads_as_private_key_file(first: &[u8], p: &crate::Policy) -> bool {
    let visible = p.visible(first);
    !line::is_skipped(visible) && visible.windows(11).any(|w| w == b"PRIVATE KEY")
}

/// The end of ssh-keygen's `fingerprint_private` once the file itself held
/// no public key line: `FILE.pub`, then the key derived from the private
/// key file.
pub(super) fn private_key_file<P: BufRead>(
    name: &str,
    line: u64,
    rec: &RefCell<Recording>,
    pub_file: impl FnOnce() -> Option<P>,
    v: &mut Checker,
    f: &mut impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
    s: &mut Summary,
) -> io::Result<()> {
    if let Some(p) = pub_file() {
        let pubname = format!("{name}.pub");
        let found = listing_public_file(p, &pubname, v, &mut *f)?;
        if found.valid > 0 {
            s.valid += found.valid;
            s.private_key_file = false;
            return Ok(());
        }
    }
    let text = rec.borrow().public_line();
    let error = match text {
        Ok((text, comment)) => match v.check_key_line(&text) {
            Ok(c) => {
                s.valid += 1;
                s.private_key_file = false;
                return f(Event::Key {
                    line,
                    checked: &c,
                    comment: ShownComment::new(comment.as_deref()),
                });
            }
            // Positions in the line keyvet made up mean nothing to the user.
            Err(e) => match e.blob() {
                Some(b) if b.in_signature_key => Error::in_blob(*e.kind(), b.offset, b.field).in_signature_key(),
                Some(b) => Error::in_blob(*e.kind(), b.offset, b.field),
                None => Error::new(*e.kind()),
            },
        },
        Err(e) => e,
    };
    s.invalid += 1;
    s.private_key_file = true;
    let at = error.line().unwrap_or(line);
    f(Event::Invalid {
        line: at,
        error: error.with_line(at),
        findings: Findings::default(),
    })
}

/// Reads a public key file the way OpenSSH's `sshkey_load_public` does
/// (used by `ssh-keygen -l` for `FILE.pub` beside a private key file): the
/// first bare key line wins and is shown with its comment up to a CR, or
/// with `name` when it has none; reading stops at a `-----BEGIN` line.
///
/// # Errors
/// I/O errors of the input, and errors returned by `f`.
pub fn listing_public_file<R: BufRead>(
    input: R,
    name: &str,
    v: &mut Checker,
    mut f: impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<Summary> {
    let max = v.policy().max_line_len;
    let mut reader = LineReader::new(input, max);
    let mut s = Summary::default();
    let mut search = PublicSearch::new(name, true);
    while let Some(raw) = reader.next_line()? {
        let RawLine::Line { number, bytes } = raw else { continue };
        match public_key_line(number, bytes, &mut search, v, &mut f, &mut s)? {
            Flow::Found | Flow::Stop => return Ok(s),
            Flow::Next => {}
        }
    }
    Ok(s)
}

pub(super) enum Flow {
    Found,
    Stop,
    Next,
}

/// The state of one `sshkey_try_load_public` over a file.
pub(super) struct PublicSearch<'n> {
    /// The file name, shown when the key line has no comment.
    pub(super) name: &'n str,
    /// Report a `-----BEGIN` line as invalid (a `.pub` file), or not (the
    /// caller goes on to read the private key).
    report_begin: bool,
    /// Inside a block (RFC 4716, ssh.com, PuTTY): its lines are tried but
    /// not reported, as they may be a private key.
    block: Block,
}

impl PublicSearch<'_> {
    pub(super) fn new(name: &str, report_begin: bool) -> PublicSearch<'_> {
        PublicSearch {
            name,
            report_begin,
            block: Block::default(),
        }
    }
}

/// One line of `sshkey_try_load_public`: a `-----BEGIN` line stops the
/// search.
pub(super) fn public_key_line(
    number: u64,
    bytes: &[u8],
    search: &mut PublicSearch<'_>,
    v: &mut Checker,
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
            if search.report_begin
                && let Err(e) = v.check_line(bytes)
            {
                s.invalid += 1;
                f(Event::Invalid {
                    line: number,
                    error: e.with_line(number),
                    findings: Findings::default(),
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
            let comment = if comment.is_empty() {
                search.name.as_bytes()
            } else {
                comment
            };
            f(Event::Key {
                line: number,
                checked: &c,
                comment: ShownComment::new(Some(comment)),
            })?;
            Ok(Flow::Found)
        }
        Err(e) => {
            if !search.block.take(visible) {
                search.block = Block::opened_by(visible);
                s.invalid += 1;
                f(Event::Invalid {
                    line: number,
                    error: e.with_line(number),
                    findings: Findings::default(),
                })?;
            }
            Ok(Flow::Next)
        }
    }
}
