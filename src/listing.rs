//! `ssh-keygen -l` output, byte for byte.
//!
//! ssh-keygen prints `BITS FINGERPRINT COMMENT (TYPE)` through `mprintf`,
//! which, in a UTF-8 locale, keeps printable UTF-8 (and tab, CR, LF) and
//! writes every other byte as a `\ooo` octal escape. For a line read after a
//! leading host or options field, ssh-keygen shows that field when there is
//! no trailing comment; a trailing comment that starts with `#` is not shown.

use std::fmt;

use crate::checker::Checked;
use crate::fingerprint::HashAlg;
use crate::line::Line;

/// Bytes escaped the way ssh-keygen's `mprintf` prints them in a UTF-8
/// locale.
///
/// ```
/// use keyvet::listing::Escaped;
/// assert_eq!(Escaped(b"caf\xc3\xa9 \x01").to_string(), "caf\u{e9} \\001");
/// assert_eq!(Escaped(b"\xff").to_string(), "\\377");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(pub &'a [u8]);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            let valid = chunk.valid();
            let mut start = 0;
            for (i, c) in valid.char_indices() {
                if c.is_control() && !matches!(c, '\t' | '\r' | '\n') {
                    f.write_str(&valid[start..i])?;
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        write!(f, "\\{b:03o}")?;
                    }
                    start = i + c.len_utf8();
                }
            }
            f.write_str(&valid[start..])?;
            for b in chunk.invalid() {
                write!(f, "\\{b:03o}")?;
            }
        }
        Ok(())
    }
}

/// The comment ssh-keygen shows after a fingerprint: `no comment` when
/// there is none, else the escaped text, with the CR of a CR LF line when
/// ssh-keygen keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownComment<'a> {
    text: Option<&'a [u8]>,
    cr: bool,
}

impl<'a> ShownComment<'a> {
    /// A comment shown as given (`None`: `no comment`).
    pub const fn new(text: Option<&'a [u8]>) -> ShownComment<'a> {
        ShownComment { text, cr: false }
    }

    /// What `ssh-keygen -l` shows for a line it read: the trailing comment
    /// unless it starts with `#`, else the skipped host or options field,
    /// else nothing. ssh-keygen does not strip a CR before the newline, so
    /// a trailing comment of a CR LF line is shown with its CR (and a CR LF
    /// line with blanks after the key shows a bare CR).
    pub fn of_line(line: &'a Line<'_>) -> ShownComment<'a> {
        let trailing = match line.comment_bytes() {
            Some(t) => Some(t),
            None if line.ended_with_cr() && line.blank_after_key() => Some(&b""[..]),
            None => None,
        };
        match trailing {
            Some(t) if !t.starts_with(b"#") => ShownComment {
                text: Some(t),
                cr: line.ended_with_cr(),
            },
            _ => ShownComment::new(line.prefix()),
        }
    }

    /// The text shown, if any (without the CR).
    pub const fn text(&self) -> Option<&'a [u8]> {
        self.text
    }
}

impl fmt::Display for ShownComment<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text {
            Some(t) => {
                write!(f, "{}", Escaped(t))?;
                if self.cr {
                    f.write_str("\r")?;
                }
                Ok(())
            }
            None => f.write_str("no comment"),
        }
    }
}

/// The line `ssh-keygen -l [-E md5]` prints for a key, without the newline.
#[derive(Debug, Clone, Copy)]
pub struct ListingLine<'c, 'l, 'b> {
    checked: &'c Checked<'l, 'b>,
    alg: HashAlg,
    comment: ShownComment<'c>,
}

impl fmt::Display for ListingLine<'_, '_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.checked;
        write!(
            f,
            "{} {} {} ({})",
            c.bits(),
            c.fingerprint(self.alg),
            self.comment,
            c.algorithm().short_name()
        )
    }
}

impl<'l, 'b> Checked<'l, 'b> {
    /// The line `ssh-keygen -l` prints for this key (`-E md5` with
    /// [`HashAlg::Md5`]), without the newline.
    ///
    /// ```
    /// use keyvet::{Checker, policy, HashAlg};
    /// let mut v = Checker::new(policy::OPENSSH);
    /// let line = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy me";
    /// let out = v.check_listing_line(line).unwrap().listing_line(HashAlg::Sha256).to_string();
    /// assert!(out.starts_with("256 SHA256:") && out.ends_with(" me (ED25519)"));
    /// ```
    pub fn listing_line(&self, alg: HashAlg) -> ListingLine<'_, 'l, 'b> {
        ListingLine {
            checked: self,
            alg,
            comment: ShownComment::of_line(self.line()),
        }
    }

    /// The ssh-keygen line with a given comment (see [`crate::stream::Event`]).
    pub fn listing_line_with<'c>(&'c self, alg: HashAlg, comment: ShownComment<'c>) -> ListingLine<'c, 'l, 'b> {
        ListingLine {
            checked: self,
            alg,
            comment,
        }
    }
}
