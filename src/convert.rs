//! Conversion of every form a user may paste into one OpenSSH public key.
//!
//! [`to_openssh`] reads:
//!
//! * an OpenSSH public key line (`ssh-ed25519 AAAA... comment`), passed
//!   through so that callers can treat every input alike;
//! * an RFC 4716 block (`---- BEGIN SSH2 PUBLIC KEY ----`, as PuTTYgen and
//!   `ssh-keygen -e` write it), its `Comment:` header becoming the comment;
//! * PEM public keys: `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo:
//!   RSA, DSA, ECDSA P-256/384/521, Ed25519) and `-----BEGIN RSA PUBLIC
//!   KEY-----` (PKCS#1), what `ssh-keygen -e -m PKCS8|PEM` and OpenSSL write;
//! * private keys, whose public half is derived: OpenSSH's own format
//!   (`-----BEGIN OPENSSH PRIVATE KEY-----`, whose public key is in clear even
//!   when the key is encrypted), PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE
//!   KEY`, OpenSSL's `DSA PRIVATE KEY`, PKCS#8 `PRIVATE KEY` (RSA, ECDSA,
//!   Ed25519, DSA) and PuTTY `.ppk` files (v2 and v3, whose public key is in
//!   clear too).
//!
//! The result, a [`Converted`], holds the SSH key blob (what [`Key::parse`]
//! accepts; it has been parsed once already), the comment when the input
//! carries one, and the [`Format`] it came from. It is *not* checked against
//! a policy: run [`crate::Checker::check_blob`] (or `check_line` on
//! [`Converted::line`]) as for any other key.
//!
//! ```
//! use keyvet::convert::{self, Format};
//! use keyvet::{Checker, policy};
//! let block = b"---- BEGIN SSH2 PUBLIC KEY ----\n\
//! Comment: \"alice@example\"\n\
//! AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy\n\
//! ---- END SSH2 PUBLIC KEY ----\n";
//! let c = convert::to_openssh(block).unwrap();
//! assert_eq!(c.format(), Format::Rfc4716);
//! assert_eq!(c.comment(), Some(&b"alice@example"[..]));
//! assert_eq!(
//!     c.line(),
//!     b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy alice@example"
//! );
//! let v = Checker::new(policy::STRICT);
//! assert!(v.check_blob(c.blob()).is_ok());
//!
//! let err = convert::to_openssh(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n")
//!     .unwrap_err();
//! assert_eq!(err.code(), "convert.encrypted");
//! ```
//!
//! # Private keys
//! Private key material is only ever held in buffers that are zeroed when
//! dropped (the decoded DER or openssh-key-v1 data, the seed of an Ed25519
//! key, the secret scalars the curve crates hold), it never appears in an
//! error (errors carry static reasons, PEM labels and key type names only),
//! and it is never returned. Encrypted keys are not decrypted: keyvet never
//! asks for a passphrase.
//!
//! # Bounds
//! Inputs are capped at [`MAX_INPUT`] bytes, lines at [`MAX_LINE`] bytes,
//! decoded key data at [`MAX_DECODED`] bytes and RFC 4716 headers at the
//! sizes RFC 4716 sets; DER is read by RustCrypto's `der` crate, which
//! bounds nesting and checks every length.

mod curves;
mod der;
mod openssh;
mod pem;
mod putty;
mod rfc4716;
mod text;

use std::fmt;

use base64::Engine;

use crate::algorithm::Algorithm;
use crate::error::{ConvertError, Error, KeyError, LineError};
pub use crate::format::Format;
use crate::key::Key;
use crate::line::Line;

/// Largest input [`to_openssh`] reads, in bytes: far more than any key in
/// any of its forms (a 16384-bit RSA private key in PEM is under 13 KiB).
pub const MAX_INPUT: usize = 256 * 1024;

/// Longest line of a text input, in bytes.
pub const MAX_LINE: usize = 64 * 1024;

/// Largest decoded key data (DER, openssh-key-v1 or SSH blob), in bytes.
pub const MAX_DECODED: usize = 64 * 1024;

/// A public key converted from another form: the SSH key blob, the comment
/// and where it came from.
#[derive(Clone, PartialEq, Eq)]
pub struct Converted {
    blob: Vec<u8>,
    algorithm: Algorithm,
    comment: Option<Vec<u8>>,
    format: Format,
    encrypted: bool,
    openssh_cannot_load: Option<&'static str>,
}

impl fmt::Debug for Converted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Converted")
            .field("algorithm", &self.algorithm)
            .field("format", &self.format)
            .field("encrypted", &self.encrypted)
            .field("comment", &self.comment.as_deref().map(String::from_utf8_lossy))
            .field("blob_len", &self.blob.len())
            .finish()
    }
}

impl Converted {
    fn new(blob: Vec<u8>, comment: Option<Vec<u8>>, format: Format) -> Result<Converted, Error> {
        let algorithm = Key::parse(&blob)?.algorithm();
        Ok(Converted {
            blob,
            algorithm,
            comment,
            format,
            encrypted: false,
            openssh_cannot_load: None,
        })
    }

    /// The SSH key blob (the base64-decoded second field of an OpenSSH
    /// line). For OpenSSH lines, RFC 4716 blocks, OpenSSH and PuTTY private
    /// keys it is the blob as the input holds it; for PEM keys it is built in
    /// the canonical encoding.
    pub fn blob(&self) -> &[u8] {
        &self.blob
    }

    /// The blob parsed (it parsed when it was converted).
    ///
    /// # Errors
    /// None in practice: the blob was parsed by [`to_openssh`].
    pub fn key(&self) -> Result<Key<'_>, Error> {
        Key::parse(&self.blob)
    }

    /// The algorithm named in the blob.
    pub const fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The comment: an OpenSSH line's comment, an RFC 4716 `Comment:`
    /// header (without its quotes), a PuTTY file's `Comment:`, or the comment
    /// stored in an unencrypted OpenSSH private key (possibly empty). PEM
    /// keys have none, nor have encrypted OpenSSH private keys (the comment
    /// is encrypted with the key).
    pub fn comment(&self) -> Option<&[u8]> {
        self.comment.as_deref()
    }

    /// The form the key came in.
    pub const fn format(&self) -> Format {
        self.format
    }

    /// Whether the input was an encrypted private key whose public half is
    /// stored in clear (OpenSSH and PuTTY formats).
    pub const fn was_encrypted(&self) -> bool {
        self.encrypted
    }

    /// For a private key file in OpenSSH's format or a PEM format: why ssh,
    /// ssh-add and ssh-keygen (OpenSSH 9.2, with OpenSSL 3 for PEM) cannot
    /// load the file as it is, although keyvet read its public half. keyvet
    /// reads every key file with the same line rules (LF or CR LF line ends,
    /// blanks and text around a block, no final newline needed); OpenSSH's
    /// loader of its own format is stricter (the file must start with the
    /// BEGIN line, and LF must end the BEGIN and END lines), and so is
    /// OpenSSL's (BEGIN and END lines in the first column, no blank line in
    /// the block but right after BEGIN). A user whose key file breaks them
    /// should hear it: `keyvet convert` says it, and `keyvet fingerprint`
    /// refuses such a file as `ssh-keygen -l` does, with this reason.
    ///
    /// `None` for every other input, and for a file OpenSSH loads.
    ///
    /// ```
    /// use keyvet::convert;
    /// let key = "-----BEGIN OPENSSH PRIVATE KEY-----
    /// b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
    /// QyNTUxOQAAACAYAc0EoU7GfqRr14hEtpdzur/NNQhqRmmvWfhb8Q9JbgAAAKjDn/+2w5//
    /// tgAAAAtzc2gtZWQyNTUxOQAAACAYAc0EoU7GfqRr14hEtpdzur/NNQhqRmmvWfhb8Q9Jbg
    /// AAAEArnQD/hj/2PM60q2N8XToCNZ+5hzLHgIda4XE/7Q1u0BgBzQShTsZ+pGvXiES2l3O6
    /// v801CGpGaa9Z+FvxD0luAAAAI2tleXZldC10ZXN0LWVkMjU1MTlAZXhhbXBsZS5pbnZhbG
    /// lkAQI=
    /// -----END OPENSSH PRIVATE KEY-----
    /// ";
    /// let as_written = convert::to_openssh(key.as_bytes()).unwrap();
    /// assert_eq!(as_written.openssh_cannot_load(), None);
    ///
    /// let windows = key.replace('\n', "\r\n");
    /// let c = convert::to_openssh(windows.as_bytes()).unwrap();
    /// assert_eq!(c.blob(), as_written.blob());
    /// assert!(c.openssh_cannot_load().unwrap().contains("CR LF"));
    /// ```
    pub const fn openssh_cannot_load(&self) -> Option<&'static str> {
        self.openssh_cannot_load
    }

    /// The OpenSSH public key line, `type base64[ comment]`, without a line
    /// end. The comment is left out when it is empty or holds a CR, LF or
    /// NUL, which would break the line.
    pub fn line(&self) -> Vec<u8> {
        let mut out = self.key_line();
        if let Some(c) = &self.comment
            && !c.is_empty()
            && !c.iter().any(|&b| matches!(b, b'\r' | b'\n' | 0))
        {
            out.push(b' ');
            out.extend_from_slice(c);
        }
        out
    }
}

impl Converted {
    /// `type base64`, without the comment.
    pub(crate) fn key_line(&self) -> Vec<u8> {
        let b64 = base64::engine::general_purpose::STANDARD.encode(&self.blob);
        let name = self.algorithm.name();
        let mut out = Vec::with_capacity(name.len() + 1 + b64.len() + 64);
        out.extend_from_slice(name.as_bytes());
        out.push(b' ');
        out.extend_from_slice(b64.as_bytes());
        out
    }
}

/// Converts the key in `input` (any form listed in the [module
/// documentation](self)) to an OpenSSH public key.
///
/// The input must hold one key; blank lines (and `#` lines before an
/// OpenSSH line) around it are allowed.
///
/// # Errors
/// A typed [`Error`] with the line where the problem is:
/// [`ConvertError::Encrypted`] for a private key that needs its
/// passphrase, [`ConvertError::Malformed`] for a block that breaks its
/// format, [`ConvertError::Unsupported`] and
/// [`ConvertError::PemLabel`] for forms that hold no usable SSH key,
/// [`ConvertError::TooLarge`], [`LineError::EmptyInput`], base64 errors
/// with line and byte, and the errors of [`Line::parse`] and [`Key::parse`]
/// for the key itself.
pub fn to_openssh(input: &[u8]) -> Result<Converted, Error> {
    read(input, Reading::Convert)
}

/// Who reads a key file. The reading is the same (lines as [`text::lines`]
/// splits them, blocks framed by one framer, one decoder per format); what
/// differs is which key of the file is taken, and which key kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// [`to_openssh`]: exactly one key, in any form keyvet reads, text
    /// around it allowed.
    Convert,
    /// `ssh-keygen -l` on a private key file (OpenSSH 9.2's
    /// `sshkey_load_private` without passphrase): the OpenSSH-format block
    /// when the file starts with it, else the first block OpenSSL reads as
    /// a private key; no Ed25519 PKCS#8; refused with
    /// [`Converted::openssh_cannot_load`]'s reason where OpenSSH's or
    /// OpenSSL's loader would not take the file as it is.
    Listing,
}

/// The one reader of key files (see [`Reading`]).
fn read(input: &[u8], reading: Reading) -> Result<Converted, Error> {
    if input.len() > MAX_INPUT {
        return Err(Error::new(ConvertError::TooLarge {
            len: input.len(),
            max: MAX_INPUT,
        }));
    }
    let bom = input.starts_with(b"\xef\xbb\xbf");
    let mut lines = text::lines(&input[if bom { 3 } else { 0 }..])?;
    if bom {
        // Offsets count from the start of the file.
        lines.iter_mut().for_each(|l| l.offset += 3);
    }
    if reading == Reading::Listing {
        return pem::read(&lines, reading);
    }
    let Some(first) = lines
        .iter()
        .position(|l| !text::is_blank(l.text) && !is_comment(l.text))
    else {
        return Err(Error::new(LineError::EmptyInput));
    };
    // Text before a key block (a note, OpenSSL's `-text` dump) is left
    // alone, as OpenSSL's PEM reader leaves it, unless it holds a key.
    let first = match lines[first..].iter().position(|l| opens_block(text::trim(l.text))) {
        Some(b) if !opens_block(text::trim(lines[first].text)) && !holds_key(lines[first].text) => {
            if let Some(extra) = lines[first..first + b].iter().find(|l| holds_key(l.text)) {
                return Err(Error::new(ConvertError::Malformed {
                    format: Format::OpenSsh,
                    reason: "the input holds more than one key; convert them one at a time",
                })
                .with_line(extra.number));
            }
            first + b
        }
        _ => first,
    };
    let rest = &lines[first..];
    let head = text::trim(rest[0].text);
    if head.starts_with(b"-----BEGIN ") {
        pem::read(rest, reading)
    } else if head.starts_with(b"---- BEGIN SSH2 PUBLIC KEY") {
        rfc4716::convert(rest)
    } else if head.starts_with(b"---- BEGIN SSH2 ") {
        // `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----` and the like.
        Err(Error::new(ConvertError::Unsupported(
            "this is an ssh.com (SSH2) private key: open it in PuTTYgen or the ssh.com tools and export its public key",
        ))
        .with_line(rest[0].number))
    } else if head.starts_with(b"PuTTY-User-Key-File-") {
        putty::convert(rest)
    } else if head.starts_with(b"SSH PRIVATE KEY FILE FORMAT 1.1") {
        Err(Error::new(ConvertError::Unsupported(
            "this is an SSH-1 private key file, which OpenSSH no longer supports: generate a new key with `ssh-keygen -t ed25519`",
        ))
        .with_line(rest[0].number))
    } else {
        openssh_line(rest)
    }
}

/// The pass-through case: one OpenSSH public key line.
fn openssh_line(lines: &[text::TextLine<'_>]) -> Result<Converted, Error> {
    let l = &lines[0];
    if let Some(extra) = lines[1..]
        .iter()
        .find(|x| !text::is_blank(x.text) && !is_comment(x.text))
    {
        return Err(Error::new(ConvertError::Malformed {
            format: Format::OpenSsh,
            reason: "the input holds more than one line of text; paste one public key, on one line",
        })
        .with_line(extra.number));
    }
    let parsed = Line::parse(l.text).map_err(|e| e.with_line(l.number))?;
    if parsed.options().is_some() {
        return Err(Error::new(ConvertError::Unsupported(
            "this authorized_keys line starts with options, which an OpenSSH public key does not have: remove them",
        ))
        .with_line(l.number));
    }
    let mut blob = Vec::new();
    crate::base64::decode_base64(parsed.base64(), &mut blob, MAX_DECODED)
        .map_err(|e| shift(e, parsed.base64_offset()).with_line(l.number))?;
    let key = Key::parse(&blob).map_err(|e| e.or_byte(parsed.base64_offset()).with_line(l.number))?;
    if key.algorithm() != parsed.algorithm() {
        return Err(Error::in_blob(
            KeyError::TypeMismatch {
                line: parsed.algorithm(),
                blob: key.algorithm(),
            },
            0,
            "type",
        )
        .or_byte(parsed.base64_offset())
        .with_line(l.number));
    }
    let comment = parsed.comment_bytes().map(<[u8]>::to_vec);
    Converted::new(blob, comment, Format::OpenSsh)
}

/// Whether a line opens a key block: PEM, RFC 4716 (or ssh.com), PuTTY,
/// SSH-1.
fn opens_block(t: &[u8]) -> bool {
    t.starts_with(b"-----BEGIN ")
        || t.starts_with(b"---- BEGIN SSH2 ")
        || t.starts_with(b"PuTTY-User-Key-File-")
        || t.starts_with(b"SSH PRIVATE KEY FILE FORMAT 1.1")
}

/// Whether a line of text around a block holds a key of its own: a key
/// line, or another block.
fn holds_key(l: &[u8]) -> bool {
    let t = text::trim(l);
    let word = &t[..t.iter().position(|&b| b == b' ' || b == b'\t').unwrap_or(t.len())];
    opens_block(t) || crate::algorithm::lookup(word).is_some()
}

/// A `#` line, as in authorized_keys files.
fn is_comment(line: &[u8]) -> bool {
    text::trim(line).starts_with(b"#")
}

/// Moves a byte offset by `by` (errors of a field decoded on its own).
fn shift(e: Error, by: usize) -> Error {
    match e.byte() {
        Some(b) => Error::at_byte(*e.kind(), b + by),
        None => e.or_byte(by),
    }
}

/// What `ssh-keygen -l` (OpenSSH 9.2) finds in a private key file when
/// neither the file nor `FILE.pub` holds a public key line: the public key
/// of `sshkey_load_pubkey_from_private` (an OpenSSH-format key's clear
/// public key) or of `sshkey_load_private` without passphrase (PEM keys),
/// and the comment `sshkey_load_private` reads (an unencrypted OpenSSH key's
/// stored comment; none otherwise). Read by the reader of [`to_openssh`],
/// with [`Reading::Listing`]'s choice of key.
pub(crate) fn listing_private(file: &[u8]) -> Result<Converted, Error> {
    read(file, Reading::Listing)
}
