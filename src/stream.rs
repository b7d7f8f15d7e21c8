//! Whole inputs: every line of a file checked the way `keyvet check` does,
//! or read the way `ssh-keygen -l` does.
//!
//! Both stream: one line is in memory at a time, and a line over the
//! policy's cap is reported without being buffered. The one exception is a
//! file `ssh-keygen -l` reads as a private key file, which is kept whole
//! (up to [`convert::MAX_INPUT`](crate::convert::MAX_INPUT) bytes, zeroed when dropped) to derive its
//! public key.

//! The module is split by job: `machine` (the per-line state machine, one
//! for both modes and every thread count), `batch` (the shared-prime
//! batch), `private_file` (ssh-keygen's private key file fallback) and
//! `par` (every core, in order).

use std::cell::RefCell;
use std::io::{self, BufRead};

mod batch;
mod machine;
mod par;
mod private_file;

pub use batch::{Batch, SharedLine};
pub use par::{Parallel, par_check, par_listing};
pub use private_file::listing_public_file;

use crate::checker::{Checked, Checker};
use crate::error::Error;
use crate::line::{LineReader, RawLine};
use crate::listing::ShownComment;
use crate::screening::{Findings, Severity};
use machine::{Block, CheckMode, ListingMode, Mode};
use private_file::{Flow, PublicSearch, Recording, Tee};

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
        /// 1-based line number (0 for [`LineError::EmptyInput`](crate::LineError::EmptyInput), which is about
        /// the whole input).
        line: u64,
        /// Why.
        error: Error,
        /// Every weak-key finding on the line (the error may be one).
        findings: Findings,
    },
    /// After the whole input: a line whose RSA modulus shares a prime with
    /// another line's ([`Check::RsaSharedPrime`](crate::screening::Check::RsaSharedPrime), by batch GCD). Reported
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

/// Checks every key line of `input` (blank and `#` lines are skipped) and
/// calls `f` for each, in the checker's [`crate::LineFormat`]
/// (authorized_keys lines unless it was set). A pasted PEM or RFC 4716 block is one invalid line:
/// its first line is reported and the rest of the block skipped. An input
/// without any key line is reported as [`LineError::EmptyInput`](crate::LineError::EmptyInput) at line 0.
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
    machine::drive(&CheckMode { source }, input, v, batch, &mut f)
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
/// * an encrypted PEM key ([`ConvertError::Encrypted`](crate::ConvertError::Encrypted)) and anything
///   else ssh-keygen cannot read ("is not a key file") are reported as
///   invalid at the file's BEGIN line (or line 1).
///
/// The derived key is validated like any other key: the policy applies. It
/// is reported at the BEGIN line's number. [`Summary::private_key_file`]
/// tells a caller that the input was read as a private key file and no key
/// was found in it.
///
/// An input with no valid key is reported as [`LineError::EmptyInput`](crate::LineError::EmptyInput) at
/// line 0, as ssh-keygen fails with "is not a public key file".
///
/// The private key file is kept in memory (at most
/// [`convert::MAX_INPUT`](crate::convert::MAX_INPUT) bytes, in a buffer zeroed
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
    let mut block = Block::default();
    let mut reader = LineReader::new(&mut tee, max);
    while let Some(raw) = reader.next_line()? {
        let RawLine::Line { number, bytes } = raw else {
            ListingMode.line(raw, max, v, &mut block, &mut Batch::new(), &mut s, &mut f)?;
            continue;
        };
        if let (1, Source::File(name)) = (number, source)
            && private_file::reads_as_private_key_file(bytes, v.policy())
        {
            private = Some(PublicSearch::new(name, false));
            rec.borrow_mut().start(bytes);
        }
        if let Some(search) = &mut private {
            match private_file::public_key_line(number, bytes, search, v, &mut f, &mut s)? {
                Flow::Found => return Ok(s),
                Flow::Stop => {
                    begin = Some(number);
                    break;
                }
                Flow::Next => continue,
            }
        }
        ListingMode.line(
            RawLine::Line { number, bytes },
            max,
            v,
            &mut block,
            &mut Batch::new(),
            &mut s,
            &mut f,
        )?;
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
        private_file::private_key_file(name, begin.unwrap_or(1), &rec, pub_file, v, &mut f, &mut s)?;
        return Ok(s);
    }
    ListingMode.end(&mut s, &mut f)?;
    Ok(s)
}
