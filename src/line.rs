//! One line of an authorized_keys or public key file:
//! `[options] type base64 [comment]`.
//!
//! The grammar is sshd(8)'s AUTHORIZED_KEYS FILE FORMAT: fields are separated
//! by spaces or tabs; a line whose first non-blank byte is `#` is a comment;
//! options, when present, come first and may hold spaces, commas and `#`
//! inside double quotes; the comment is the rest of the line, spaces
//! included. A line that starts with a key type word has no options, as in
//! sshd, which first tries to read a key at the start of the line.
//!
//! [`Line`] borrows every field from the input. Type word and base64 are
//! ASCII by construction and exposed as `&str`; the comment and option values
//! are bytes, as sshd treats them (use [`Line::comment`] for the UTF-8 view).

mod file;
mod options;

use std::fmt;

use nom::IResult;
use nom::bytes::complete::take_while;

pub use file::{LineReader, RawLine};
pub use options::{KeyOption, OptionName, OptionValue, Options};

use crate::algorithm::{self, Algorithm, NameEntry};
use crate::error::{Base64Error, Error, LineError, OptionError, Snippet};
use crate::format::PrivateKeyKind;

/// The two readings `ssh-keygen -l` tries for a line.
#[derive(Debug)]
pub(crate) struct ListingCandidates<'a> {
    /// A key at the start of the line.
    pub(crate) direct: Result<Line<'a>, Error>,
    /// A key after the leading field, when there is one.
    pub(crate) after_prefix: Option<Result<Line<'a>, Error>>,
    /// The line starts with a key type word.
    pub(crate) starts_with_type: bool,
}

impl<'a> ListingCandidates<'a> {
    fn only(direct: Result<Line<'a>, Error>) -> ListingCandidates<'a> {
        ListingCandidates {
            direct,
            after_prefix: None,
            starts_with_type: false,
        }
    }
}

/// A parsed key line, borrowing from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    raw: &'a [u8],
    options: Option<Options<'a>>,
    prefix: Option<&'a [u8]>,
    entry: &'static NameEntry,
    type_at: usize,
    base64: &'a str,
    base64_at: usize,
    comment: Option<&'a [u8]>,
    comment_at: usize,
    /// Blanks follow the base64 field (even if nothing else does).
    blank_after_key: bool,
    /// The line ended with CR LF (or a lone CR).
    cr: bool,
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The error for a NUL or a line feed inside a line (the only line feed a
/// line may hold is its last byte, stripped before parsing).
fn nul_or_newline(b: u8) -> LineError {
    if b == 0 { LineError::Nul } else { LineError::Newline }
}

fn token(i: &[u8]) -> IResult<&[u8], &[u8]> {
    // memchr2 scans a word at a time: the base64 field is most of a line.
    let end = memchr::memchr2(b' ', b'\t', i).unwrap_or(i.len());
    crate::meter::charge(end + 1);
    Ok((&i[end..], &i[..end]))
}

fn blanks(i: &[u8]) -> IResult<&[u8], &[u8]> {
    let r = take_while(is_blank)(i);
    if let Ok((_, gap)) = &r {
        crate::meter::charge(gap.len() + 1);
    }
    r
}

/// Strips one line terminator (`\n`, `\r\n` or a lone `\r`).
pub(crate) fn trim_eol(s: &[u8]) -> &[u8] {
    trim_eol_cr(s).0
}

/// Strips one line terminator and says whether it held a CR.
pub(crate) fn trim_eol_cr(s: &[u8]) -> (&[u8], bool) {
    let s = s.strip_suffix(b"\n").unwrap_or(s);
    match s.strip_suffix(b"\r") {
        Some(t) => (t, true),
        None => (s, false),
    }
}

/// Offset of the first non-blank byte.
pub(crate) fn first_nonblank(s: &[u8]) -> usize {
    let i = s.iter().position(|&b| !is_blank(b)).unwrap_or(s.len());
    crate::meter::charge(i + 1);
    i
}

/// Whether the line holds no key by sshd's rules: blank, or `#` first.
///
/// ```
/// assert!(keyvet::line::is_skipped(b"   # a comment"));
/// assert!(keyvet::line::is_skipped(b"\t\r\n"));
/// assert!(!keyvet::line::is_skipped(b"ssh-ed25519 AAAA"));
/// ```
pub fn is_skipped(line: &[u8]) -> bool {
    let s = trim_eol(line);
    let i = first_nonblank(s);
    i == s.len() || s[i] == b'#'
}

impl<'a> Line<'a> {
    /// Parses an authorized_keys line (a public key file line is the same
    /// without options). A trailing `\n` or `\r\n` is ignored.
    ///
    /// ```
    /// use keyvet::Line;
    /// let l = Line::parse(b"no-pty,command=\"echo # hi\" ssh-ed25519 AAAAC3Nz me@host").unwrap();
    /// assert_eq!(l.key_type(), "ssh-ed25519");
    /// assert_eq!(l.base64(), "AAAAC3Nz");
    /// assert_eq!(l.comment(), Some("me@host"));
    /// assert_eq!(l.options().unwrap().iter().count(), 2);
    /// ```
    ///
    /// # Errors
    /// The first problem found, with its byte offset; the common upload
    /// mistakes (a private key, an RFC 4716 block, a wrapped key, a missing
    /// type word, typographic quotes) are named.
    pub fn parse(input: &'a [u8]) -> Result<Line<'a>, Error> {
        let (s, cr) = trim_eol_cr(input);
        crate::meter::charge(s.len());
        if let Some(at) = memchr::memchr2(0, b'\n', s) {
            return Err(Error::at_byte(nul_or_newline(s[at]), at));
        }
        let i = first_nonblank(s);
        if i == s.len() || s[i] == b'#' {
            return Err(Error::at_byte(LineError::NoKey, i));
        }
        let first = token(&s[i..]).map(|(_, t)| t).unwrap_or(&[]);
        if algorithm::lookup(first).is_some() {
            return parse_key_part(s, i, None, None).map(|l| l.with_cr(cr));
        }
        if let Some((kind, at)) = diagnose(s, i, first) {
            return Err(Error::at_byte(kind, at));
        }
        // Options: up to the first blank outside double quotes.
        let end = options_end(s, i).map_err(|k| Error::at_byte(k, i))?;
        let opts = options::parse_at(&s[i..end], i, true)?;
        let k = end + first_nonblank(&s[end..]);
        if k == s.len() {
            return Err(Error::at_byte(LineError::MissingKeyType, k));
        }
        let word = token(&s[k..]).map(|(_, t)| t).unwrap_or(&[]);
        if algorithm::lookup(word).is_none()
            && let Some((kind, at)) = diagnose(s, k, word)
        {
            return Err(Error::at_byte(kind, at));
        }
        parse_key_part(s, k, Some(opts), None).map(|l| l.with_cr(cr))
    }

    const fn with_cr(mut self, cr: bool) -> Line<'a> {
        self.cr = cr;
        self
    }

    /// Parses `type base64 [comment]` at the start of `input` (after
    /// blanks), without options: what OpenSSH's `sshkey_read` reads.
    ///
    /// # Errors
    /// As [`Line::parse`].
    pub fn parse_key(input: &'a [u8]) -> Result<Line<'a>, Error> {
        let (s, cr) = trim_eol_cr(input);
        crate::meter::charge(s.len());
        if let Some(at) = memchr::memchr(b'\n', s) {
            return Err(Error::at_byte(LineError::Newline, at));
        }
        let i = first_nonblank(s);
        if i == s.len() || s[i] == b'#' {
            return Err(Error::at_byte(LineError::NoKey, i));
        }
        let first = token(&s[i..]).map(|(_, t)| t).unwrap_or(&[]);
        if algorithm::lookup(first).is_none()
            && let Some((kind, at)) = diagnose(s, i, first)
        {
            return Err(Error::at_byte(kind, at));
        }
        parse_key_part(s, i, None, None).map(|l| l.with_cr(cr))
    }

    /// The key part of a line whose leading field (a known_hosts host
    /// field, `prefix`) has been read: `type base64 [comment]` at `at` of
    /// the line `s` (already without its line end; `cr`: it had a CR).
    pub(crate) fn parse_key_after(s: &'a [u8], at: usize, prefix: &'a [u8], cr: bool) -> Result<Line<'a>, Error> {
        let first = token(&s[at..]).map(|(_, t)| t).unwrap_or(&[]);
        if algorithm::lookup(first).is_none()
            && let Some((kind, err_at)) = diagnose(s, at, first)
        {
            return Err(Error::at_byte(kind, err_at));
        }
        parse_key_part(s, at, None, Some(prefix)).map(|l| l.with_cr(cr))
    }

    /// Parses a line the way `ssh-keygen -l` reads it: a key at the start of
    /// the line, or else after one leading field (a known_hosts host list or
    /// authorized_keys options, not checked), separated by one blank.
    /// Returns the key-at-start parse first when the first field is a key
    /// type, else the parse after the leading field.
    pub(crate) fn parse_listing_candidates(input: &'a [u8]) -> ListingCandidates<'a> {
        let (s, cr) = trim_eol_cr(input);
        crate::meter::charge(s.len());
        if let Some(at) = memchr::memchr2(0, b'\n', s) {
            return ListingCandidates::only(Err(Error::at_byte(nul_or_newline(s[at]), at)));
        }
        let i = first_nonblank(s);
        if i == s.len() || s[i] == b'#' {
            return ListingCandidates::only(Err(Error::at_byte(LineError::NoKey, i)));
        }
        let first = token(&s[i..]).map(|(_, t)| t).unwrap_or(&[]);
        let starts_with_type = algorithm::lookup(first).is_some();
        let direct = if starts_with_type {
            parse_key_part(s, i, None, None).map(|l| l.with_cr(cr))
        } else {
            let (kind, at) = diagnose(s, i, first).unwrap_or((LineError::UnknownKeyType(Snippet::new(first)), i));
            Err(Error::at_byte(kind, at))
        };
        // ssh-keygen skips the leading field unless the line starts with a
        // non-zero number followed by a blank (an SSH-1 key).
        let mut out = ListingCandidates {
            direct,
            after_prefix: None,
            starts_with_type,
        };
        if strtol_nonzero_then_blank(&s[i..]) {
            return out;
        }
        let mut j = i;
        let mut quoted = false;
        while j < s.len() && (quoted || !is_blank(s[j])) {
            if s[j] == b'\\' && s.get(j + 1) == Some(&b'"') {
                j += 1;
            } else if s[j] == b'"' {
                quoted = !quoted;
            }
            j += 1;
        }
        crate::meter::charge(j - i);
        if j >= s.len() {
            return out;
        }
        let prefix = &s[i..j];
        out.after_prefix = Some(parse_key_part(s, j + 1, None, Some(prefix)).map(|l| l.with_cr(cr)));
        out
    }

    /// The line as parsed (without its line terminator).
    pub const fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The options, if the line has any.
    pub const fn options(&self) -> Option<&Options<'a>> {
        self.options.as_ref()
    }

    /// The type word (`ssh-ed25519`, or an alias such as `rsa-sha2-256`).
    pub const fn key_type(&self) -> &'static str {
        self.entry.name
    }

    /// The algorithm the type word names.
    pub const fn algorithm(&self) -> Algorithm {
        self.entry.alg
    }

    /// Whether the type word is an alias rather than the canonical name.
    pub const fn is_alias(&self) -> bool {
        self.entry.alias
    }

    /// Offset of the type word in the line.
    pub const fn key_type_offset(&self) -> usize {
        self.type_at
    }

    /// The base64 key data as written.
    pub const fn base64(&self) -> &'a str {
        self.base64
    }

    /// Offset of the base64 key data in the line.
    pub const fn base64_offset(&self) -> usize {
        self.base64_at
    }

    /// The comment, if it is valid UTF-8.
    pub fn comment(&self) -> Option<&'a str> {
        self.comment.and_then(|c| std::str::from_utf8(c).ok())
    }

    /// The comment as bytes: the rest of the line after the key data and
    /// its blanks (sshd and ssh-keygen treat it as bytes).
    pub const fn comment_bytes(&self) -> Option<&'a [u8]> {
        self.comment
    }

    /// Offset of the comment in the line.
    pub const fn comment_offset(&self) -> usize {
        self.comment_at
    }

    /// Whether the line ended with CR LF.
    pub const fn ended_with_cr(&self) -> bool {
        self.cr
    }

    /// Whether blanks follow the base64 field.
    pub(crate) const fn blank_after_key(&self) -> bool {
        self.blank_after_key
    }

    /// For lines read the `ssh-keygen -l` way: the leading field that was
    /// skipped (a known_hosts host list, or options).
    pub const fn prefix(&self) -> Option<&'a [u8]> {
        self.prefix
    }
}

/// Strict-policy checks on the comment.
pub(crate) fn check_comment(c: &[u8], at: usize) -> Result<(), Error> {
    crate::meter::charge(c.len());
    let s =
        std::str::from_utf8(c).map_err(|e| Error::at_byte(LineError::Encoding("the comment"), at + e.valid_up_to()))?;
    if let Some((i, ch)) = s.char_indices().find(|(_, ch)| ch.is_control() && *ch != '\t') {
        let b = u8::try_from(u32::from(ch)).unwrap_or(0x7f);
        return Err(Error::at_byte(LineError::CommentControl(b), at + i));
    }
    if let Some((i, ch)) = s.char_indices().find(|(_, ch)| is_invisible(*ch)) {
        return Err(Error::at_byte(LineError::CommentInvisible(ch), at + i));
    }
    Ok(())
}

/// Characters that change how text around them is shown without being
/// seen: bidirectional controls (a right-to-left override makes
/// `evil\u{202e}moc.elpmaxe` read as `evil` + `example.com` backwards),
/// zero-width characters and the byte-order mark.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}'
            | '\u{061c}' | '\u{feff}'
    )
}

/// `type blanks base64 [blanks comment]` starting at `at`.
fn parse_key_part<'a>(
    s: &'a [u8],
    at: usize,
    options: Option<Options<'a>>,
    prefix: Option<&'a [u8]>,
) -> Result<Line<'a>, Error> {
    let (rest, word) = token(&s[at..]).map_err(|_| Error::at_byte(LineError::MissingKeyType, at))?;
    let entry =
        algorithm::lookup(word).ok_or_else(|| Error::at_byte(LineError::UnknownKeyType(Snippet::new(word)), at))?;
    let (rest, gap) = blanks(rest).map_err(|_| Error::at_byte(LineError::MissingKeyData(entry.alg), at))?;
    if gap.is_empty() || rest.is_empty() {
        return Err(Error::at_byte(LineError::MissingKeyData(entry.alg), at));
    }
    let b64_at = s.len() - rest.len();
    let (rest, b64) = token(rest).map_err(|_| Error::at_byte(LineError::MissingKeyData(entry.alg), b64_at))?;
    // Every byte of the token is ASCII or it fails decoding; the &str view
    // is for ASCII tokens only.
    crate::meter::charge(b64.len());
    let base64 = match std::str::from_utf8(b64) {
        Ok(t) if t.is_ascii() => t,
        _ => {
            let bad = b64.iter().position(|b| !b.is_ascii()).unwrap_or(0);
            // A Unicode space between the base64 and the comment.
            if let Some(c) = unicode_space_at(&b64[bad..]) {
                return Err(Error::at_byte(LineError::UnicodeSpace(c), b64_at + bad));
            }
            return Err(Error::at_byte(Base64Error::Symbol(b64[bad]), b64_at + bad));
        }
    };
    let (rest, gap) = blanks(rest).unwrap_or((rest, &[]));
    let comment_at = s.len() - rest.len();
    Ok(Line {
        raw: s,
        options,
        prefix,
        entry,
        type_at: at,
        base64,
        base64_at: b64_at,
        comment: (!rest.is_empty()).then_some(rest),
        comment_at,
        blank_after_key: !gap.is_empty(),
        cr: false,
    })
}

/// End of the options field: the first blank outside double quotes
/// (`sshkey_advance_past_options`).
fn options_end(s: &[u8], from: usize) -> Result<usize, OptionError> {
    let mut quoted = false;
    let mut j = from;
    while j < s.len() && (quoted || !is_blank(s[j])) {
        if s[j] == b'\\' && s.get(j + 1) == Some(&b'"') {
            j += 1;
        } else if s[j] == b'"' {
            quoted = !quoted;
        }
        j += 1;
    }
    crate::meter::charge(j - from);
    if quoted {
        return Err(OptionError::UnterminatedQuote);
    }
    Ok(j.min(s.len()))
}

/// C `strtol` on the line start: a non-zero number (as `int`) followed by a
/// blank.
fn strtol_nonzero_then_blank(s: &[u8]) -> bool {
    let mut i = 0;
    let neg = match s.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let digits = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    let mut v: i64 = 0;
    for &b in &s[i..i + digits] {
        v = v.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    if neg {
        v = -v;
    }
    // (int) of the long strtol returned.
    let as_int = v as i32;
    as_int != 0 && s.get(i + digits).is_some_and(|&b| is_blank(b))
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

/// What a line that opens (or closes) a pasted block is: a private key of
/// some kind, a PEM public key, or an RFC 4716 public key. `line` starts at
/// its first non-blank byte.
pub(crate) fn block_kind(line: &[u8]) -> Option<LineError> {
    // memmem: linear whatever the line holds (a naive window compare
    // costs up to the needle's length per byte).
    let has = |needle: &[u8]| {
        crate::meter::charge(line.len());
        memchr::memmem::find(line, needle).is_some()
    };
    if line.starts_with(b"-----BEGIN") || line.starts_with(b"-----END") {
        let kind = if has(b"OPENSSH PRIVATE KEY") {
            PrivateKeyKind::OpenSsh
        } else if has(b"RSA PRIVATE KEY") {
            PrivateKeyKind::Rsa
        } else if has(b"DSA PRIVATE KEY") {
            PrivateKeyKind::Dsa
        } else if has(b"EC PRIVATE KEY") {
            PrivateKeyKind::Ec
        } else if has(b"PRIVATE KEY") {
            PrivateKeyKind::Pkcs8
        } else if has(b"PUBLIC KEY") {
            return Some(LineError::PemPublicKey);
        } else {
            // A certificate, parameters, a CSR: no key, and nothing secret.
            let word = |b: &u8| *b != b'-';
            let t = line.trim_ascii_end();
            let (start, end) = (t.iter().position(word), t.iter().rposition(word));
            let t = start.zip(end).map_or(&t[..0], |(a, b)| &t[a..=b]);
            let label = t
                .strip_prefix(b"BEGIN ")
                .or_else(|| t.strip_prefix(b"END "))
                .unwrap_or(t);
            return Some(LineError::PemBlock(crate::error::Snippet::new(label)));
        };
        return Some(LineError::PrivateKey(kind));
    }
    if line.starts_with(b"---- BEGIN SSH2") || line.starts_with(b"---- END SSH2") {
        if has(b"PRIVATE KEY") {
            return Some(LineError::PrivateKey(PrivateKeyKind::SshCom));
        }
        return Some(LineError::Rfc4716);
    }
    if line.starts_with(b"PuTTY-User-Key-File-") || line.starts_with(b"SSH PRIVATE KEY FILE FORMAT 1.1") {
        let kind = if line.starts_with(b"PuTTY") {
            PrivateKeyKind::Putty
        } else {
            PrivateKeyKind::Ssh1
        };
        return Some(LineError::PrivateKey(kind));
    }
    None
}

/// Names the common upload mistakes, from the start of a line that does not
/// begin with a key type.
fn diagnose(s: &[u8], i: usize, first: &[u8]) -> Option<(LineError, usize)> {
    let line = &s[i..];
    if let Some(kind) = block_kind(line) {
        return Some((kind, i));
    }
    if line.starts_with(b"\xef\xbb\xbf") {
        return Some((LineError::ByteOrderMark, i));
    }
    // "ssh-ed25519\u{a0}AAAA...": a Unicode space inside the first word.
    if let Some(at) = first.iter().position(|&b| !b.is_ascii())
        && let Some(c) = unicode_space_at(&first[at..])
    {
        return Some((LineError::UnicodeSpace(c), i + at));
    }
    diagnose_words(line, first).map(|k| (k, i))
}

/// The Unicode space `s` starts with, if it starts with one: the spaces
/// word processors, web pages and chat programs put where an ASCII space
/// belongs.
pub(crate) fn unicode_space_at(s: &[u8]) -> Option<char> {
    let c = std::str::from_utf8(&s[..s.len().min(4)])
        .ok()
        .or_else(|| s.utf8_chunks().next().map(|c| c.valid()))?
        .chars()
        .next()?;
    is_unicode_space(c).then_some(c)
}

/// A Unicode space (not an ASCII blank).
pub(crate) fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// The mistakes `diagnose` names from the words of the line.
fn diagnose_words(line: &[u8], first: &[u8]) -> Option<LineError> {
    let all_b64 = |t: &[u8]| {
        crate::meter::charge(t.len());
        !t.is_empty() && t.iter().all(|&b| is_b64(b))
    };
    if all_b64(first) && first.len() >= 16 && first.starts_with(b"AAAA") {
        return Some(LineError::MissingKeyType);
    }
    if first.len() == line.len() && all_b64(first) && first.len() >= 16 {
        return Some(LineError::Wrapped);
    }
    // SSH-1 RSA: "bits exponent modulus [comment]". (These two scans and
    // the one below each read the line once at most.)
    crate::meter::charge(2 * line.len());
    let mut fields = line.split(|&b| is_blank(b)).filter(|f| !f.is_empty());
    let num = |f: Option<&[u8]>| f.is_some_and(|f| !f.is_empty() && f.iter().all(u8::is_ascii_digit));
    if num(fields.next()) && num(fields.next()) && num(fields.next()) {
        return Some(LineError::Ssh1Key);
    }
    // "ssh-foo AAAA...": an unknown key type rather than options.
    let second = line[first.len()..].split(|&b| is_blank(b)).find(|f| !f.is_empty());
    if second.is_some_and(|t| t.starts_with(b"AAAA") && all_b64(t)) {
        // Valid options followed by key data: the type word is missing.
        if options::parse_at(first, 0, true).is_ok() {
            return Some(LineError::MissingKeyType);
        }
        if !first.iter().any(|&b| b == b'=' || b == b',' || b == b'"') {
            return Some(LineError::UnknownKeyType(Snippet::new(first)));
        }
    }
    None
}

impl fmt::Display for Line<'_> {
    /// The line as parsed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(self.raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> &'static str {
        Line::parse(s.as_bytes()).unwrap_err().code()
    }

    #[test]
    fn fields() {
        let l = Line::parse(b"  ssh-rsa\tAAAAB3NzaC1yc2E  a  comment \r\n").unwrap();
        assert_eq!(l.key_type(), "ssh-rsa");
        assert_eq!(l.base64(), "AAAAB3NzaC1yc2E");
        assert_eq!(l.base64_offset(), 10);
        assert_eq!(l.comment(), Some("a  comment "));
        assert!(l.options().is_none());
        let l = Line::parse(b"ssh-ed25519 AAAA").unwrap();
        assert_eq!(l.comment(), None);
    }

    #[test]
    fn options_with_quotes_and_hashes() {
        let l = Line::parse(br#"command="echo \"a b\" #x",no-pty ssh-ed25519 AAAA c"#).unwrap();
        assert_eq!(l.options().unwrap().iter().count(), 2);
        assert_eq!(l.comment(), Some("c"));
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(code("-----BEGIN OPENSSH PRIVATE KEY-----"), "line.private_key");
        assert_eq!(code("-----BEGIN RSA PRIVATE KEY-----"), "line.private_key");
        assert_eq!(code("---- BEGIN SSH2 PUBLIC KEY ----"), "line.rfc4716");
        assert_eq!(code("-----BEGIN PUBLIC KEY-----"), "line.pem");
        assert_eq!(code("AAAAC3NzaC1lZDI1NTE5AAAAIGxl me@host"), "line.missing_type");
        assert_eq!(code("Nt6ICKRzQ3Jw8SzcBR1l1Yw9KoUZB2wWjzJFv5v0cPhZ3eJd"), "line.wrapped");
        assert_eq!(code("2048 65537 12345678901234567890 me"), "line.ssh1");
        assert_eq!(code("ssh-foo AAAAB3NzaC1yc2E me"), "key.type.unknown");
        assert_eq!(code("ssh-rsa"), "line.missing_key");
        assert_eq!(code("ssh-rsa   "), "line.missing_key");
        assert_eq!(code("restrict"), "line.missing_type");
        assert_eq!(
            code("command=\u{201c}ls -l\u{201d} ssh-ed25519 AAAA"),
            "options.quote.typographic"
        );
        assert_eq!(code("   "), "line.no_key");
        assert_eq!(code("# ssh-ed25519 AAAA"), "line.no_key");
        assert_eq!(code("command=\"ls ssh-ed25519 AAAA"), "options.quote.unterminated");
    }

    #[test]
    fn keygen_candidates() {
        let c = Line::parse_listing_candidates(b"host1,host2 ssh-ed25519 AAAA");
        assert!(c.direct.is_err());
        let b = c.after_prefix.unwrap().unwrap();
        assert_eq!(b.prefix(), Some(&b"host1,host2"[..]));
        let c = Line::parse_listing_candidates(b"2048 35 1234");
        assert!(c.after_prefix.is_none());
        assert!(strtol_nonzero_then_blank(b"-5 x"));
        assert!(!strtol_nonzero_then_blank(b"0 x"));
        assert!(!strtol_nonzero_then_blank(b"4294967296 x"));
    }
}
