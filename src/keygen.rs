//! `ssh-keygen -l` output, byte for byte.
//!
//! ssh-keygen prints `BITS FINGERPRINT COMMENT (TYPE)` through `mprintf`,
//! which, in a UTF-8 locale, keeps printable UTF-8 (and tab, CR, LF) and
//! writes every other byte as a `\ooo` octal escape. For a line read after a
//! leading host or options field, ssh-keygen shows that field when there is
//! no trailing comment; a trailing comment that starts with `#` is not shown.

use std::fmt;

use crate::fingerprint::HashAlg;
use crate::validate::Checked;

/// Bytes escaped the way ssh-keygen's `mprintf` prints them in a UTF-8
/// locale.
///
/// ```
/// use keyvet::keygen::Escaped;
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

/// The comment ssh-keygen shows for a line.
pub(crate) fn shown_comment<'a>(c: &Checked<'a, '_>) -> Option<&'a [u8]> {
    let line = c.line();
    match line.comment_bytes() {
        Some(t) if !t.starts_with(b"#") => Some(t),
        _ => line.prefix(),
    }
}

/// The line `ssh-keygen -l [-E md5]` prints for a key, without the newline.
#[derive(Debug, Clone, Copy)]
pub struct KeygenLine<'c, 'l, 'b> {
    pub(crate) checked: &'c Checked<'l, 'b>,
    pub(crate) alg: HashAlg,
}

impl fmt::Display for KeygenLine<'_, '_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.checked;
        write!(f, "{} {} ", c.bits(), c.fingerprint(self.alg))?;
        match shown_comment(c) {
            Some(t) => write!(f, "{}", Escaped(t))?,
            None => f.write_str("no comment")?,
        }
        write!(f, " ({})", c.algorithm().short_name())
    }
}

impl<'l, 'b> Checked<'l, 'b> {
    /// The line `ssh-keygen -l` prints for this key (`-E md5` with
    /// [`HashAlg::Md5`]), without the newline.
    ///
    /// ```
    /// use keyvet::{Validator, policy, HashAlg};
    /// let mut v = Validator::new(policy::OPENSSH);
    /// let line = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE+1Cw1nt0FUh/xsNqvXW/dfyY9+nfzBBsLw9RsTPYn0 me";
    /// let out = v.check_keygen_line(line).unwrap().keygen_line(HashAlg::Sha256).to_string();
    /// assert!(out.starts_with("256 SHA256:") && out.ends_with(" me (ED25519)"));
    /// ```
    pub fn keygen_line(&self, alg: HashAlg) -> KeygenLine<'_, 'l, 'b> {
        KeygenLine { checked: self, alg }
    }
}
