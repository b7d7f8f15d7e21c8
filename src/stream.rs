//! Whole inputs: every line of a file checked the way `keyvet check` does,
//! or read the way `ssh-keygen -l` does.
//!
//! Both stream: one line is in memory at a time, and a line over the
//! policy's cap is reported without being buffered. The one exception is a
//! file `ssh-keygen -l` reads as a private key file, which is kept whole
//! (up to [`convert::MAX_INPUT`] bytes, zeroed when dropped) to derive its
//! public key.

use std::cell::RefCell;
use std::io::{self, BufRead};

use zeroize::Zeroizing;

mod par;

pub use par::{Parallel, par_check, par_listing};

use crate::checker::{Checked, Checker};
use crate::convert;
use crate::error::{ConvertError, Error, ErrorKind, LineError};
use crate::key::KeyData;
use crate::line::{self, LineReader, RawLine};
use crate::listing::ShownComment;
use crate::weak::{Check, Findings, Severity, batch};

/// What one line of an input turned out to be.
// Events live on the stack for one callback; boxing the findings would put
// an allocation on the hot path.
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
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
        /// 1-based line number (0 for [`LineError::EmptyInput`], which is about
        /// the whole input).
        line: u64,
        /// Why.
        error: Error,
        /// Every weak-key finding on the line (the error may be one).
        findings: Findings,
    },
    /// After the whole input: a line whose RSA modulus shares a prime with
    /// another line's ([`Check::RsaSharedPrime`], by batch GCD). Reported
    /// once per line and partner; the line's own event came earlier.
    SharedPrime {
        /// 1-based line number.
        line: u64,
        /// The line it shares a prime with.
        other: u64,
        /// The finding's weight under the policy.
        severity: Severity,
    },
}

/// Counts over one input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Valid keys.
    pub valid: u64,
    /// Invalid key lines (an input without key lines counts as one).
    pub invalid: u64,
    /// [`listing`] read the input as a private key file (its first line
    /// mentions `PRIVATE KEY`) and found no key in it: no public key line,
    /// and no public half it could derive from the private key (the reason
    /// was reported as an invalid line). [`listing_file`] has also tried
    /// `FILE.pub` by then; after [`listing`], a caller with a file system may
    /// try it.
    pub private_key_file: bool,
}

/// Where an input comes from, for [`listing`].
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
/// or RFC 4716 block, or a PuTTY key file): its other lines are part of the
/// same mistake, and may be a private key.
fn block_end(begin: &[u8]) -> Option<&'static [u8]> {
    let t = trim_start(begin);
    if t.starts_with(b"-----BEGIN") {
        Some(b"-----END")
    } else if t.starts_with(b"---- BEGIN SSH2") {
        Some(b"---- END SSH2")
    } else if t.starts_with(PUTTY) {
        Some(b"Private-MAC:")
    } else {
        None
    }
}

/// The first line of a PuTTY key file.
const PUTTY: &[u8] = b"PuTTY-User-Key-File-";

/// Checks every key line of `input` (blank and `#` lines are skipped) and
/// calls `f` for each. A pasted PEM or RFC 4716 block is one invalid line:
/// its first line is reported and the rest of the block skipped. An input
/// without any key line is reported as [`LineError::EmptyInput`] at line 0.
///
/// ```
/// use keyvet::{Checker, policy, stream::{self, Event}};
/// let input = b"# keys\nssh-ed25519 AAAA!\n";
/// let mut v = Checker::new(policy::STRICT);
/// let mut codes = Vec::new();
/// let s = stream::check(&input[..], &mut v, |e| {
///     if let Event::Invalid { line, error, .. } = e { codes.push((line, error.code())); }
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
    v: &mut Checker,
    mut f: impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut batch = Batch::new();
    let mut s = check_into(input, v, 0, &mut batch, &mut f)?;
    let severity = v.policy().screening.severity;
    let shared = batch.shared();
    if severity == Severity::Error {
        let mut flagged: Vec<u64> = shared.iter().map(|x| x.line).collect();
        flagged.dedup();
        let n = u64::try_from(flagged.len()).unwrap_or(u64::MAX);
        s.valid = s.valid.saturating_sub(n);
        s.invalid += n;
    }
    for x in shared {
        f(Event::SharedPrime {
            line: x.line,
            other: x.other_line,
            severity,
        })?;
    }
    Ok(s)
}

/// [`check`] for one of several inputs checked together: the RSA moduli of
/// its valid lines go into `batch`, tagged with `source`, instead of being
/// compared at the end of this input, so that [`Batch::shared`] finds the
/// primes shared across all of them (with every key in one batch). The
/// summary does not count those findings.
///
/// ```
/// use keyvet::{Checker, policy, stream::{self, Batch}};
/// let mut v = Checker::new(policy::STRICT);
/// let mut batch = Batch::new();
/// for (source, name) in ["shared-prime-a.pub", "shared-prime-b.pub"].iter().enumerate() {
///     let input = std::fs::read(format!("corpus/weak/rsa/{name}")).unwrap();
///     stream::check_into(&input[..], &mut v, source as u32, &mut batch, |_| Ok(())).unwrap();
/// }
/// let shared = batch.shared();
/// assert_eq!((shared[0].source, shared[0].line, shared[0].other_source, shared[0].other_line), (0, 1, 1, 1));
/// ```
///
/// # Errors
/// I/O errors of the input, and errors returned by `f`.
pub fn check_into<R: BufRead>(
    input: R,
    v: &mut Checker,
    source: u32,
    batch: &mut Batch,
    mut f: impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<Summary> {
    let max = v.policy().max_line_len;
    let mut reader = LineReader::new(input, max);
    let mut s = Summary::default();
    let mut state = CheckState::default();
    while let Some(raw) = reader.next_line()? {
        check_one(raw, max, v, &mut state, source, batch, &mut s, &mut f)?;
    }
    check_end(&mut s, &mut f)?;
    Ok(s)
}

/// What [`check`] carries from one line to the next: inside a pasted PEM
/// or RFC 4716 block, the line that ends it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CheckState {
    skip_until: Option<&'static [u8]>,
}

/// A line over the cap, counted and reported (check and keygen alike).
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

/// One line of [`check`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_one(
    raw: RawLine<'_>,
    max: usize,
    v: &mut Checker,
    state: &mut CheckState,
    source: u32,
    batch: &mut Batch,
    s: &mut Summary,
    f: &mut impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<()> {
    let (number, bytes) = match raw {
        RawLine::TooLong { number, len } => return too_long(number, len, max, s, f),
        RawLine::Line { number, bytes } => (number, bytes),
    };
    if let Some(end) = state.skip_until {
        if trim_start(bytes).starts_with(end) {
            state.skip_until = None;
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
                batch.push(source, number, r.n.magnitude());
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
                state.skip_until = block_end(bytes);
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

/// The end of a [`check`] input: one without any key line is invalid.
pub(crate) fn check_end(s: &mut Summary, f: &mut impl FnMut(Event<'_, '_, '_>) -> io::Result<()>) -> io::Result<()> {
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

/// The RSA moduli of many lines, possibly of many inputs, for the
/// shared-prime check ([`Check::RsaSharedPrime`]): kept in one buffer (no
/// allocation per key once it has grown), compared all at once by batch GCD
/// ([`batch::shared_primes`]). It holds every modulus until
/// [`Batch::shared`]: about 256 bytes per RSA-2048 key.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    source: u32,
    line: u64,
    start: usize,
    len: usize,
}

/// A line whose modulus shares a prime with another line's, as
/// [`Batch::shared`] reports it (once per line and partner).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedLine {
    /// The input the line is in (the `source` given to [`Batch::push`]).
    pub source: u32,
    /// Its 1-based line number.
    pub line: u64,
    /// The partner's input.
    pub other_source: u32,
    /// The partner's line.
    pub other_line: u64,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds the modulus (big-endian magnitude) of line `line` of input
    /// `source`.
    pub fn push(&mut self, source: u32, line: u64, modulus: &[u8]) {
        self.entries.push(Entry {
            source,
            line,
            start: self.bytes.len(),
            len: modulus.len(),
        });
        self.bytes.extend_from_slice(modulus);
    }

    /// Moves every modulus of `other` to the end of this batch, leaving
    /// `other` empty.
    pub fn append(&mut self, other: &mut Batch) {
        let base = self.bytes.len();
        self.bytes.extend_from_slice(&other.bytes);
        self.entries.extend(other.entries.iter().map(|e| Entry {
            start: e.start + base,
            ..*e
        }));
        other.clear();
    }

    /// Forgets every modulus (keeping the memory for reuse).
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.entries.clear();
    }

    /// The number of moduli.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every line that shares a prime with another, once per partner, in
    /// order of input, line, partner input and partner line.
    pub fn shared(&self) -> Vec<SharedLine> {
        if self.entries.len() < 2 {
            return Vec::new();
        }
        let refs: Vec<&[u8]> = self
            .entries
            .iter()
            .map(|e| &self.bytes[e.start..e.start + e.len])
            .collect();
        let mut out = Vec::new();
        for p in batch::shared_primes(&refs) {
            let (a, b) = (self.entries[p.first], self.entries[p.second]);
            out.push(SharedLine {
                source: a.source,
                line: a.line,
                other_source: b.source,
                other_line: b.line,
            });
            out.push(SharedLine {
                source: b.source,
                line: b.line,
                other_source: a.source,
                other_line: a.line,
            });
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Reads `input` the way `ssh-keygen -l -f FILE` does when `FILE.pub`
/// does not exist, and calls `f` for every key it would print and every
/// line it would skip (ssh-keygen skips them silently; keyvet says why).
///
/// When the first line of a file mentions `PRIVATE KEY`, ssh-keygen reads
/// the file as a private key file (`fingerprint_private`): it shows the
/// first bare public key line in it (with its comment up to a CR, or the file
/// name when it has none); failing that, `FILE.pub` (see [`listing_file`],
/// which takes it); failing that, the public half of the private key itself,
/// read from the rest of the input:
///
/// * an OpenSSH-format key (`-----BEGIN OPENSSH PRIVATE KEY-----` as the
///   file's first bytes, LF line ends) gives its clear public key, shown with
///   its stored comment when the key is not encrypted (an empty stored
///   comment is shown as an empty string), else `no comment`;
/// * a PEM RSA, DSA or ECDSA private key (PKCS#1, SEC1, OpenSSL's DSA form or
///   PKCS#8) gives the public half of the key, shown with `no comment`;
/// * an encrypted PEM key ([`ConvertError::Encrypted`]) and anything
///   else ssh-keygen cannot read ("is not a key file") are reported as
///   invalid at the file's BEGIN line (or line 1).
///
/// The derived key is validated like any other key: the policy applies. It
/// is reported at the BEGIN line's number. [`Summary::private_key_file`]
/// tells a caller that the input was read as a private key file and no key
/// was found in it.
///
/// An input with no valid key is reported as [`LineError::EmptyInput`] at
/// line 0, as ssh-keygen fails with "is not a public key file".
///
/// The private key file is kept in memory (at most
/// [`convert::MAX_INPUT`] bytes, in a buffer zeroed
/// when dropped) only when its first line mentions `PRIVATE KEY`.
///
/// # Errors
/// I/O errors of the input, and errors returned by `f`.
pub fn listing<R: BufRead>(
    input: R,
    source: Source<'_>,
    v: &mut Checker,
    f: impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<Summary> {
    listing_inner(input, source, || None::<io::Empty>, v, f)
}

/// [`listing`] for a file, with ssh-keygen's full order when the file is a
/// private key file: a public key line in the file, then `FILE.pub` (read
/// with [`listing_public_file`], shown with its comment or the name
/// `FILE.pub`), then the public half of the private key. `pub_file` is
/// called only when `FILE.pub` is needed; it returns `None` when there is no
/// such file (or it cannot be opened, which ssh-keygen treats alike).
///
/// ```
/// use keyvet::{Checker, policy, stream::{self, Event}, HashAlg};
/// // A throw-away test key.
/// let key = b"-----BEGIN OPENSSH PRIVATE KEY-----
/// b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
/// QyNTUxOQAAACBG8WqLTkPaF3OMtql0rIuBmxC39+TdrOoK+AJCRbTzhAAAAJhJUa9sSVGv
/// bAAAAAtzc2gtZWQyNTUxOQAAACBG8WqLTkPaF3OMtql0rIuBmxC39+TdrOoK+AJCRbTzhA
/// AAAECmxsGEX32V9knTpTcaw3b5V1p56i0NhN8C7qmnlQmETEbxaotOQ9oXc4y2qXSsi4Gb
/// ELf35N2s6gr4AkJFtPOEAAAAEHRlc3RAZXhhbXBsZS5jb20BAgMEBQ==
/// -----END OPENSSH PRIVATE KEY-----
/// ";
/// let mut v = Checker::new(policy::OPENSSH);
/// let mut shown = Vec::new();
/// // No FILE.pub beside it: the public half comes from the key itself.
/// stream::listing_file(&key[..], "id_ed25519", || None::<&[u8]>, &mut v, |e| {
///     if let Event::Key { checked, comment, .. } = e {
///         shown.push(checked.listing_line_with(HashAlg::Sha256, comment).to_string());
///     }
///     Ok(())
/// })
/// .unwrap();
/// assert!(shown[0].ends_with(" test@example.com (ED25519)"));
/// ```
///
/// # Errors
/// I/O errors of the input and of `FILE.pub`, and errors returned by `f`.
pub fn listing_file<R: BufRead, P: BufRead>(
    input: R,
    name: &str,
    pub_file: impl FnOnce() -> Option<P>,
    v: &mut Checker,
    f: impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<Summary> {
    listing_inner(input, Source::File(name), pub_file, v, f)
}

/// The bytes of a private key file, kept from its second line on while it
/// is read (its first line is added by the caller), in a buffer that never
/// grows (so never leaves copies behind) and is zeroed when dropped.
struct Recording {
    on: bool,
    buf: Zeroizing<Vec<u8>>,
    /// Bytes seen, kept or not.
    len: usize,
}

impl Recording {
    fn off() -> Recording {
        Recording {
            on: false,
            buf: Zeroizing::new(Vec::new()),
            len: 0,
        }
    }

    fn start(&mut self, first_line: &[u8]) {
        self.on = true;
        self.buf = Zeroizing::new(Vec::with_capacity(convert::MAX_INPUT));
        self.push(first_line);
        self.push(b"\n");
    }

    fn push(&mut self, bytes: &[u8]) {
        if !self.on {
            return;
        }
        self.len = self.len.saturating_add(bytes.len());
        if self.len <= convert::MAX_INPUT {
            self.buf.extend_from_slice(bytes);
        }
    }

    fn overflowed(&self) -> bool {
        self.len > convert::MAX_INPUT
    }
}

/// A [`BufRead`] that hands every byte consumed to a [`Recording`].
struct Tee<'r, R> {
    inner: R,
    rec: &'r RefCell<Recording>,
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

fn listing_inner<R: BufRead, P: BufRead>(
    input: R,
    source: Source<'_>,
    pub_file: impl FnOnce() -> Option<P>,
    v: &mut Checker,
    mut f: impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<Summary> {
    let max = v.policy().max_line_len;
    let rec = RefCell::new(Recording::off());
    let mut tee = Tee {
        inner: input,
        rec: &rec,
    };
    let mut s = Summary::default();
    let mut private = None;
    let mut begin = None;
    let mut block: Option<&'static [u8]> = None;
    let mut reader = LineReader::new(&mut tee, max);
    while let Some(raw) = reader.next_line()? {
        let RawLine::Line { number, bytes } = raw else {
            listing_one(raw, max, v, &mut block, &mut s, &mut f)?;
            continue;
        };
        if let (1, Source::File(name)) = (number, source)
            && reads_as_private_key_file(bytes, v.policy())
        {
            private = Some(PublicSearch::new(name, false));
            rec.borrow_mut().start(bytes);
        }
        if let Some(search) = &mut private {
            match public_key_line(number, bytes, search, v, &mut f, &mut s)? {
                Flow::Found => return Ok(s),
                Flow::Stop => {
                    begin = Some(number);
                    break;
                }
                Flow::Next => continue,
            }
        }
        listing_one(RawLine::Line { number, bytes }, max, v, &mut block, &mut s, &mut f)?;
    }
    drop(reader);
    if let Some(PublicSearch { name, .. }) = private {
        // The rest of the file, for the private key.
        while !rec.borrow().overflowed() {
            let n = tee.fill_buf()?.len();
            if n == 0 {
                break;
            }
            tee.consume(n);
        }
        private_key_file(name, begin.unwrap_or(1), &rec, pub_file, v, &mut f, &mut s)?;
        return Ok(s);
    }
    listing_end(&mut s, &mut f)?;
    Ok(s)
}

/// Whether `ssh-keygen -l -f FILE` reads a file whose first line is `first`
/// as a private key file: the line mentions `PRIVATE KEY`.
pub(crate) fn reads_as_private_key_file(first: &[u8], p: &crate::Policy) -> bool {
    let visible = p.visible(first);
    !line::is_skipped(visible) && visible.windows(11).any(|w| w == b"PRIVATE KEY")
}

/// What [`listing`] carries from one line to the next: inside a pasted
/// block, the line that ends it.
pub(crate) type ListingState = Option<&'static [u8]>;

/// One line of [`listing`] (after the private key file question).
pub(crate) fn listing_one(
    raw: RawLine<'_>,
    max: usize,
    v: &mut Checker,
    block: &mut ListingState,
    s: &mut Summary,
    f: &mut impl FnMut(Event<'_, '_, '_>) -> io::Result<()>,
) -> io::Result<()> {
    let (number, bytes) = match raw {
        RawLine::TooLong { number, len } => return too_long(number, len, max, s, f),
        RawLine::Line { number, bytes } => (number, bytes),
    };
    let visible = v.policy().visible(bytes);
    if line::is_skipped(visible) {
        return Ok(());
    }
    let block_ends = block.is_some_and(|end| trim_start(bytes).starts_with(end));
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
        Err(_) if block.is_some() => {}
        Err(e) => {
            // The first line of a block: ssh-keygen reads it as a host
            // name and more; say what it is instead (`line.private_key`,
            // `line.rfc4716`, `line.pem`).
            let starts = block_end(visible);
            let e = match starts {
                Some(_) => v.check_line(bytes).err().unwrap_or(e),
                None => e,
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
        *block = None;
    }
    Ok(())
}

/// The end of a [`listing`] input: one without any valid key fails.
pub(crate) fn listing_end(s: &mut Summary, f: &mut impl FnMut(Event<'_, '_, '_>) -> io::Result<()>) -> io::Result<()> {
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

/// The end of ssh-keygen's `fingerprint_private` once the file itself held
/// no public key line: `FILE.pub`, then the key derived from the private
/// key file.
fn private_key_file<P: BufRead>(
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
    let rec = rec.borrow();
    let derived = if rec.overflowed() {
        Err(Error::new(ConvertError::TooLarge {
            len: rec.len,
            max: convert::MAX_INPUT,
        }))
    } else {
        convert::listing_private(&rec.buf)
    };
    let text = derived.and_then(|d| d.key_line().map(|t| (t, d.comment)));
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

enum Flow {
    Found,
    Stop,
    Next,
}

/// The state of one `sshkey_try_load_public` over a file.
struct PublicSearch<'n> {
    /// The file name, shown when the key line has no comment.
    name: &'n str,
    /// Report a `-----BEGIN` line as invalid (a `.pub` file), or not (the
    /// caller goes on to read the private key).
    report_begin: bool,
    /// Inside a block (RFC 4716, ssh.com, PuTTY): its lines are tried but
    /// not reported, as they may be a private key.
    block: Option<&'static [u8]>,
}

impl PublicSearch<'_> {
    fn new(name: &str, report_begin: bool) -> PublicSearch<'_> {
        PublicSearch {
            name,
            report_begin,
            block: None,
        }
    }
}

/// One line of `sshkey_try_load_public`: a `-----BEGIN` line stops the
/// search.
fn public_key_line(
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
            match search.block {
                Some(end) => {
                    if trim_start(visible).starts_with(end) {
                        search.block = None;
                    }
                }
                None => {
                    search.block = block_end(visible);
                    s.invalid += 1;
                    f(Event::Invalid {
                        line: number,
                        error: e.with_line(number),
                        findings: Findings::default(),
                    })?;
                }
            }
            Ok(Flow::Next)
        }
    }
}
