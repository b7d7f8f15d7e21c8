//! Vetting an upload: whatever a person pasted into an "add SSH key" form or
//! a cloud import API, in; one accepted key, owned, or one refusal that
//! names the mistake and says how to fix it, out.
//!
//! [`vet`] reads the text the way a careful server should:
//!
//! * the bytes first: UTF-16 (`upload.utf16`), a binary file
//!   (`upload.binary`), a UTF-8 byte-order mark (`line.bom`);
//! * a private key, in any format keyvet recognises, anywhere in the text,
//!   is refused (`upload.private_key`): it must be treated as exposed;
//! * a PEM or RFC 4716 public key block, with text around it, is converted
//!   to one OpenSSH key (with the `convert` feature);
//! * otherwise the text must hold one key line: several are
//!   `upload.several_keys`; a key broken over lines (`upload.wrapped`) or
//!   with blanks inside its base64 (`upload.space_in_key`) is recognised
//!   when the pieces join into one valid key; Unicode spaces between the
//!   fields are `line.unicode_space`; authorized_keys options or a
//!   known_hosts host field before the key are `upload.options` and
//!   `upload.known_hosts`;
//! * the key is then checked against the policy as any key line is.
//!
//! Whether a repairable mistake (a byte-order mark, a wrapped key, blanks
//! in the base64, Unicode spaces) is accepted after repair is the policy's
//! [`Policy::repair_pastes`]; the [`Vetted`] key says what was repaired.
//!
//! ```
//! use keyvet::{policy, vet};
//! let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy alice";
//! let ok = vet::vet(key.as_bytes(), &policy::STRICT).unwrap();
//! assert_eq!(ok.line, key);
//!
//! // The same key wrapped at 40 columns, as an e-mail client sends it.
//! let wrapped = format!("{}\n{}", &key[..40], &key[40..]);
//! let err = vet::vet(wrapped.as_bytes(), &policy::STRICT).unwrap_err();
//! assert_eq!(err.code(), "upload.wrapped");
//! let repaired = vet::vet(wrapped.as_bytes(), &keyvet::Policy { repair_pastes: true, ..policy::STRICT }).unwrap();
//! assert_eq!(repaired.line, key);
//! assert_eq!(repaired.repairs[0].code(), "upload.wrapped");
//!
//! let private = b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
//! assert_eq!(vet::vet(private, &policy::STRICT).unwrap_err().code(), "upload.private_key");
//! ```

use std::fmt;

use crate::algorithm;
use crate::checker::Checker;
use crate::error::{Error, ErrorKind, LineError, UploadError};
use crate::format::{Format, PrivateKeyKind};
use crate::line::{self, Line};
use crate::policy::Policy;
use crate::report::KeyReport;

/// The largest upload read, in bytes: far more than any key in any of its
/// forms (a 16384-bit RSA private key in PEM is under 13 KiB).
pub const MAX_UPLOAD: usize = 256 * 1024;

/// A paste mistake keyvet repaired ([`Policy::repair_pastes`]).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repair {
    /// A UTF-8 byte-order mark removed.
    ByteOrderMark,
    /// The lines of a wrapped key joined.
    Wrapped {
        /// Lines the key spanned.
        lines: u32,
    },
    /// Blanks inside the base64 key data removed.
    SpaceInKey {
        /// Blanks removed.
        blanks: u32,
    },
    /// Unicode spaces replaced by ASCII spaces.
    UnicodeSpace(char),
}

impl Repair {
    /// The code of the mistake repaired (`upload.bom`, `upload.wrapped`,
    /// `upload.space_in_key`, `upload.unicode_space`).
    pub const fn code(&self) -> &'static str {
        match self {
            Repair::ByteOrderMark => "line.bom",
            Repair::Wrapped { .. } => "upload.wrapped",
            Repair::SpaceInKey { .. } => "upload.space_in_key",
            Repair::UnicodeSpace(_) => "line.unicode_space",
        }
    }
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Repair::ByteOrderMark => f.write_str("removed a byte-order mark before the key"),
            Repair::Wrapped { lines } => write!(f, "joined the {lines} lines the key was broken over"),
            Repair::SpaceInKey { blanks } => write!(f, "removed {blanks} blank(s) from inside the key data"),
            Repair::UnicodeSpace(c) => write!(f, "replaced U+{:04X} with an ordinary space", u32::from(*c)),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Repair {
    /// `{"code": ..., "message": ...}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut o = s.serialize_struct("Repair", 2)?;
        o.serialize_field("code", self.code())?;
        o.serialize_field("message", &self.to_string())?;
        o.end()
    }
}

/// An upload keyvet accepted, owned.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Vetted {
    /// The key as one OpenSSH line, `type base64[ comment]`: what to
    /// store.
    pub line: String,
    /// Everything known about the key.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub report: KeyReport,
    /// The form the upload was in, when it was not an OpenSSH line.
    pub converted_from: Option<Format>,
    /// What was repaired ([`Policy::repair_pastes`]).
    pub repairs: Vec<Repair>,
}

/// Vets one upload against `policy`: see the [module documentation](self).
///
/// # Errors
/// The one mistake that refuses the upload, with the line (1-based) and
/// byte where it is: an [`UploadError`] for the upload as a whole, else the
/// error of the key line as [`Checker::check_key_line`] gives it.
pub fn vet(input: &[u8], policy: &Policy) -> Result<Vetted, Error> {
    vet_with(input, &Checker::new(*policy))
}

/// [`vet`] with a checker's policy and blocklist
/// ([`Checker::with_blocklist`](crate::Checker)).
///
/// # Errors
/// As [`vet`].
pub fn vet_with(input: &[u8], checker: &Checker) -> Result<Vetted, Error> {
    let policy = checker.policy();
    let mut repairs = Vec::new();
    let text = bytes(input, policy, &mut repairs)?;
    let lines = lines(text);
    // A private key anywhere is refused, whatever else the text holds.
    for (n, l) in &lines {
        if let Some(LineError::PrivateKey(kind)) = line::block_kind(trim(l)) {
            return Err(Error::new(UploadError::PrivateKey(kind)).with_line(*n));
        }
    }
    if let Some(block) = public_block(&lines) {
        return converted(&lines, block, checker, repairs);
    }
    let keyish: Vec<(u64, &[u8])> = lines.iter().copied().filter(|(_, l)| !line::is_skipped(l)).collect();
    let Some(&(first_n, first)) = keyish.first() else {
        return Err(Error::new(LineError::EmptyInput));
    };
    // Several lines: several keys, or one key broken over them.
    let starts = if keyish.len() > 1 {
        keyish.iter().filter(|(_, l)| starts_with_key(l)).count()
    } else {
        1
    };
    if starts > 1 {
        let count = u32::try_from(starts).unwrap_or(u32::MAX);
        return Err(Error::new(UploadError::SeveralKeys(count)).with_line(first_n));
    }
    // A whole key on its first line: the other lines are no pieces of it.
    if keyish.len() > 1 && is_one_key(&mut structure_checker(policy), first) {
        return Err(Error::new(UploadError::ExtraText).with_line(keyish[1].0));
    }
    let mut one = if keyish.len() > 1 {
        let joined = wrapped(&keyish, policy).ok_or_else(|| several_lines(&keyish, policy))?;
        let pieces = u32::try_from(keyish.len()).unwrap_or(u32::MAX);
        let mistake = UploadError::Wrapped {
            lines: pieces,
            width: wrap_width(&keyish),
        };
        repair(Repair::Wrapped { lines: pieces }, mistake, policy, &mut repairs).map_err(|e| e.with_line(first_n))?;
        joined
    } else {
        first.to_vec()
    };
    if let Some((at, c)) = unicode_space(&one) {
        if !policy.repair_pastes {
            return Err(Error::at_byte(LineError::UnicodeSpace(c), at).with_line(first_n));
        }
        one = String::from_utf8_lossy(&one)
            .replace(line::is_unicode_space, " ")
            .into_bytes();
        repairs.push(Repair::UnicodeSpace(c));
    }
    let mut checker = checker.clone();
    let report = match checker.check_key_line(&one) {
        Ok(c) => c.report(),
        // Over the policy's length, nothing more is read.
        Err(e) if matches!(e.kind(), ErrorKind::Line(LineError::TooLong { .. })) => return Err(e.with_line(first_n)),
        Err(e) => {
            // The mistakes of a line that holds one key, before its own
            // error.
            bare_key(&one).map_err(|e| e.with_line(first_n))?;
            let Some((blanks, line)) = space_in_key(&one, &e, policy) else {
                return Err(e.with_line(first_n));
            };
            let mistake = UploadError::SpaceInKey { blanks };
            repair(Repair::SpaceInKey { blanks }, mistake, policy, &mut repairs).map_err(|e| e.with_line(first_n))?;
            one = line;
            checker.check_key_line(&one).map_err(|e| e.with_line(first_n))?.report()
        }
    };
    Ok(Vetted {
        line: stored_line(&report),
        report,
        converted_from: None,
        repairs,
    })
}

/// `type base64[ comment]`.
fn stored_line(report: &KeyReport) -> String {
    match &report.comment {
        Some(c) => format!("{} {c}", report.openssh),
        None => report.openssh.clone(),
    }
}

/// The lines of the first PEM or RFC 4716 public key block: from its BEGIN
/// line to its END line (or the end of the text when it has none).
fn public_block(lines: &[(u64, &[u8])]) -> Option<(usize, usize)> {
    let start = lines.iter().position(|(_, l)| {
        let t = trim(l);
        t.starts_with(b"-----BEGIN") || t.starts_with(b"---- BEGIN SSH2")
    })?;
    let end_mark: &[u8] = if trim(lines[start].1).starts_with(b"-----") {
        b"-----END"
    } else {
        b"---- END SSH2"
    };
    let end = lines[start..]
        .iter()
        .position(|(_, l)| trim(l).starts_with(end_mark))
        .map_or(lines.len() - 1, |e| start + e);
    Some((start, end))
}

/// Accepts a repair when the policy does, else refuses with the mistake.
fn repair(r: Repair, mistake: impl Into<ErrorKind>, policy: &Policy, repairs: &mut Vec<Repair>) -> Result<(), Error> {
    let mistake = mistake.into();
    debug_assert_eq!(r.code(), mistake.code());
    if policy.repair_pastes {
        repairs.push(r);
        Ok(())
    } else {
        Err(Error::new(mistake))
    }
}

/// The text of an upload: not too large, not UTF-16 or binary, without a
/// byte-order mark.
fn bytes<'a>(input: &'a [u8], policy: &Policy, repairs: &mut Vec<Repair>) -> Result<&'a [u8], Error> {
    if input.len() > MAX_UPLOAD {
        return Err(Error::new(UploadError::TooLarge {
            len: input.len(),
            max: MAX_UPLOAD,
        }));
    }
    let (text, bom) = match input.strip_prefix(b"\xef\xbb\xbf") {
        Some(t) => (t, true),
        None => (input, false),
    };
    if let Some(kind) = not_text(input) {
        // A private key is refused as one however it was saved: that it is
        // exposed matters more than its encoding.
        if let Some((n, k)) = private_key_in(input, kind) {
            return Err(Error::new(UploadError::PrivateKey(k)).with_line(n));
        }
        return Err(Error::new(kind));
    }
    if bom {
        repair(Repair::ByteOrderMark, LineError::ByteOrderMark, policy, repairs)?;
    }
    Ok(text)
}

/// Bytes that are not UTF-8 text: UTF-16 (`upload.utf16`) or a binary file
/// (`upload.binary`). A UTF-8 byte-order mark is text.
pub(crate) fn not_text(bytes: &[u8]) -> Option<UploadError> {
    if let Some(big_endian) = utf16(bytes) {
        return Some(UploadError::Utf16 { big_endian });
    }
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    is_binary(text).then_some(UploadError::Binary)
}

/// The first private key header among the lines of an input that is not
/// UTF-8 text (its first 64 KiB): UTF-16 read as the ASCII it encodes, a
/// binary file line by line (SSH-1's private key file starts with a line of
/// text). The line number and the kind.
pub(crate) fn private_key_in(input: &[u8], kind: UploadError) -> Option<(u64, PrivateKeyKind)> {
    let head = &input[..input.len().min(64 * 1024)];
    let decoded: Vec<u8>;
    let text = match kind {
        UploadError::Utf16 { big_endian } => {
            let mark: &[u8] = if big_endian { b"\xfe\xff" } else { b"\xff\xfe" };
            let body = head.strip_prefix(mark).unwrap_or(head);
            // Anything but ASCII becomes a byte no header holds.
            decoded = body
                .chunks_exact(2)
                .map(|p| {
                    let (high, low) = if big_endian { (p[0], p[1]) } else { (p[1], p[0]) };
                    if high == 0 && low.is_ascii() { low } else { 0xff }
                })
                .collect();
            &decoded[..]
        }
        _ => head,
    };
    lines(text)
        .into_iter()
        .find_map(|(n, l)| match line::block_kind(trim(l)) {
            Some(LineError::PrivateKey(k)) => Some((n, k)),
            _ => None,
        })
}

/// UTF-16 text: a byte-order mark (`FF FE`, `FE FF`), or ASCII text whose
/// every other byte is NUL. `Some(big_endian)`.
fn utf16(input: &[u8]) -> Option<bool> {
    if input.starts_with(b"\xff\xfe") {
        return Some(false);
    }
    if input.starts_with(b"\xfe\xff") {
        return Some(true);
    }
    let head = &input[..input.len().min(512) & !1];
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let (mut le, mut be) = (0, 0);
    for p in head.chunks_exact(2) {
        match (p[0], p[1]) {
            (a, 0) if a != 0 && a < 0x80 => le += 1,
            (0, b) if b != 0 && b < 0x80 => be += 1,
            _ => {}
        }
    }
    if le * 10 >= pairs * 9 {
        Some(false)
    } else if be * 10 >= pairs * 9 {
        Some(true)
    } else {
        None
    }
}

/// Bytes that are not text: many control bytes (a NUL, or any byte below
/// 0x20 but tab, line feed, vertical tab, form feed and carriage return)
/// or invalid UTF-8 sequences, over an eighth of the input.
fn is_binary(text: &[u8]) -> bool {
    let mut odd = 0usize;
    for chunk in text.utf8_chunks() {
        odd += chunk
            .valid()
            .bytes()
            .filter(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
            .count();
        odd += chunk.invalid().len();
    }
    crate::meter::charge(text.len());
    odd > 0 && odd * 8 > text.len()
}

/// The lines of the text, numbered from 1, without their line ends.
fn lines(text: &[u8]) -> Vec<(u64, &[u8])> {
    crate::meter::charge(text.len());
    (1u64..)
        .zip(text.split(|&b| b == b'\n'))
        .map(|(n, l)| (n, l.strip_suffix(b"\r").unwrap_or(l)))
        .collect()
}

fn trim(s: &[u8]) -> &[u8] {
    &s[line::first_nonblank(s)..]
}

/// Whether a line starts with a key type word (after blanks and, for an
/// authorized_keys line, its options): a key of its own.
fn starts_with_key(l: &[u8]) -> bool {
    let t = trim(l);
    let first = first_word(t);
    if algorithm::lookup(first).is_some() {
        return true;
    }
    // One word (a piece of a wrapped key) is no key of its own.
    if first.len() == t.len() {
        return false;
    }
    // Options or a host field, then a key.
    Line::parse(l).is_ok()
        || Line::parse_listing_candidates(l)
            .after_prefix
            .is_some_and(|r| r.is_ok())
}

fn first_word(s: &[u8]) -> &[u8] {
    let end = s.iter().position(|&b| b == b' ' || b == b'\t').unwrap_or(s.len());
    &s[..end]
}

/// The lines of a key broken over several lines, joined, when they make
/// one valid key: the first line starts with the key type and the others
/// are base64, the last possibly followed by the comment; or the break was
/// between the base64 and the comment.
fn wrapped(lines: &[(u64, &[u8])], policy: &Policy) -> Option<Vec<u8>> {
    let (_, first) = lines[0];
    // The first line starts with the key type.
    algorithm::lookup(first_word(trim(first)))?;
    let strip = |s: &[u8]| -> Vec<u8> {
        let t = trim(s);
        let end = t.iter().rposition(|&b| b != b' ' && b != b'\t').map_or(0, |e| e + 1);
        t[..end].to_vec()
    };
    let mut checker = structure_checker(policy);
    // As cut: every blank kept where the line was broken.
    let raw: Vec<u8> = lines.iter().flat_map(|(_, l)| l.iter().copied()).collect();
    if is_one_key(&mut checker, &raw) {
        return Some(raw);
    }
    // Glued: the breaks were inside the base64 (or the comment), with the
    // blanks around them lost or added.
    let mut glued = strip(first);
    for (_, l) in &lines[1..] {
        glued.extend_from_slice(&strip(l));
    }
    if is_one_key(&mut checker, &glued) {
        return Some(glued);
    }
    // The last break was between the base64 and the comment.
    let mut spaced = strip(first);
    for (_, l) in &lines[1..lines.len() - 1] {
        spaced.extend_from_slice(&strip(l));
    }
    spaced.push(b' ');
    spaced.extend_from_slice(&strip(lines[lines.len() - 1].1));
    if is_one_key(&mut checker, &spaced) {
        return Some(spaced);
    }
    None
}

/// A checker of a key's structure alone (OpenSSH's rules, within the
/// policy's sizes), to tell whether pieces make one key before the policy
/// judges it.
fn structure_checker(policy: &Policy) -> Checker {
    Checker::new(Policy {
        max_line_len: policy.max_line_len,
        max_blob_len: policy.max_blob_len,
        ..crate::policy::OPENSSH
    })
}

/// Whether a line holds one key that decodes and parses, whatever the
/// policy says of it: the pieces made one key, which the policy then
/// judges.
fn is_one_key(checker: &mut Checker, l: &[u8]) -> bool {
    match checker.check_key_line(l) {
        Ok(_) => true,
        Err(e) => !matches!(e.kind(), ErrorKind::Base64(_) | ErrorKind::Wire(_) | ErrorKind::Line(_)),
    }
}

/// The width a key was wrapped at: the length of its lines but the last,
/// when they are all the same.
fn wrap_width(lines: &[(u64, &[u8])]) -> Option<u32> {
    let (_, body) = lines.split_last()?;
    let w = body.first()?.1.len();
    if body.len() > 1 && body.iter().all(|(_, l)| l.len() == w) {
        u32::try_from(w).ok()
    } else {
        None
    }
}

/// Several lines that are not one wrapped key: the first line's own error.
fn several_lines(lines: &[(u64, &[u8])], policy: &Policy) -> Error {
    let (n, l) = lines[0];
    match Checker::new(*policy).check_key_line(l) {
        Err(e) => match bare_key(l) {
            Err(prefix) => prefix.with_line(n),
            Ok(()) => e.with_line(n),
        },
        // One key and more text.
        Ok(_) => Error::new(UploadError::SeveralKeys(2)).with_line(n),
    }
}

/// A line with options or a host field before its key.
fn bare_key(l: &[u8]) -> Result<(), Error> {
    let t = trim(l);
    let field = first_word(t);
    if algorithm::lookup(field).is_some() {
        return Ok(());
    }
    let at = line::first_nonblank(l);
    if Line::parse(l).is_ok_and(|p| p.options().is_some()) {
        return Err(Error::at_byte(UploadError::Options, at));
    }
    // A field before a key: options when it has the shape of options
    // (`name=value`, quotes, typographic quotes included), else hosts.
    if Line::parse_listing_candidates(l)
        .after_prefix
        .is_some_and(|r| r.is_ok())
    {
        // A hashed host (`|1|salt|hash`) holds base64, `=` included.
        let optionish = !field.starts_with(b"|1|") && field.iter().any(|&b| b == b'=' || b == b'"')
            || memchr::memmem::find(field, "\u{201c}".as_bytes()).is_some()
            || memchr::memmem::find(field, "\u{201d}".as_bytes()).is_some();
        let kind = if optionish {
            UploadError::Options
        } else {
            UploadError::KnownHosts
        };
        return Err(Error::at_byte(kind, at));
    }
    Ok(())
}

/// A key line whose base64 was split by blanks: the pieces joined, when
/// they make one key. Only a line whose base64 did not decode to a whole
/// key (`error`) is tried, within the policy's line length.
fn space_in_key(l: &[u8], error: &Error, policy: &Policy) -> Option<(u32, Vec<u8>)> {
    if !matches!(error.kind(), ErrorKind::Base64(_) | ErrorKind::Wire(_)) || l.len() > policy.max_line_len {
        return None;
    }
    let t = trim(l);
    let words: Vec<&[u8]> = t
        .split(|&b| b == b' ' || b == b'\t')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 3 || algorithm::lookup(words[0]).is_none() {
        return None;
    }
    let mut checker = structure_checker(policy);
    // The base64 runs over words 1..k; at most 8 pieces are tried.
    for k in 3..=words.len().min(9) {
        if !words[1..k].iter().all(|w| w.iter().all(|&b| is_b64(b))) {
            break;
        }
        let mut line = words[0].to_vec();
        line.push(b' ');
        for w in &words[1..k] {
            line.extend_from_slice(w);
        }
        for w in &words[k..] {
            line.push(b' ');
            line.extend_from_slice(w);
        }
        if is_one_key(&mut checker, &line) {
            let blanks = u32::try_from(k - 2).unwrap_or(u32::MAX);
            return Some((blanks, line));
        }
    }
    None
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

/// The first Unicode space of a line, and its byte offset.
fn unicode_space(l: &[u8]) -> Option<(usize, char)> {
    crate::meter::charge(l.len());
    let mut at = 0;
    for chunk in l.utf8_chunks() {
        if let Some((i, c)) = chunk.valid().char_indices().find(|&(_, c)| line::is_unicode_space(c)) {
            return Some((at + i, c));
        }
        at += chunk.valid().len() + chunk.invalid().len();
    }
    None
}

/// A PEM or RFC 4716 public key block converted. Text before and after
/// it (as `openssl` writes, and people copy) is left alone, unless it holds
/// another key.
#[cfg(feature = "convert")]
fn converted(
    lines: &[(u64, &[u8])],
    (start, end): (usize, usize),
    checker: &Checker,
    repairs: Vec<Repair>,
) -> Result<Vetted, Error> {
    let outside = lines[..start]
        .iter()
        .chain(&lines[end + 1..])
        .filter(|(_, l)| !line::is_skipped(l) && starts_with_key(l))
        .count();
    if outside > 0 {
        let count = u32::try_from(outside + 1).unwrap_or(u32::MAX);
        return Err(Error::new(UploadError::SeveralKeys(count)).with_line(lines[0].0));
    }
    let mut block = Vec::new();
    for (_, l) in &lines[start..=end] {
        block.extend_from_slice(l);
        block.push(b'\n');
    }
    // Errors count lines from the block's first.
    let base = lines[start].0 - 1;
    let relocate = |e: Error| match e.line() {
        Some(n) => e.with_line(n + base),
        None => e,
    };
    let c = crate::convert::to_openssh(&block).map_err(relocate)?;
    let line = c.line();
    let mut checker = checker.clone();
    let checked = checker.check_key_line(&line).map_err(|e| {
        // Positions in the line keyvet made up mean nothing to the user.
        match e.blob() {
            Some(b) => Error::in_blob(*e.kind(), b.offset, b.field),
            None => Error::new(*e.kind()),
        }
        .with_line(lines[start].0)
    })?;
    let report = checked.report();
    Ok(Vetted {
        line: stored_line(&report),
        report,
        converted_from: Some(c.format()),
        repairs,
    })
}

/// Without the `convert` feature, a block cannot be converted.
#[cfg(not(feature = "convert"))]
fn converted(_: &[(u64, &[u8])], _: (usize, usize), _: &Checker, _: Vec<Repair>) -> Result<Vetted, Error> {
    Err(Error::new(crate::error::PolicyError::FeatureMissing {
        feature: "convert",
        what: "convert a PEM or RFC 4716 public key",
    }))
}
