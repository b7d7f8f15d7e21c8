//! JSON Lines output of `keyvet check --json`, written without allocating
//! for the common case.

use std::io::{self, Write};

use keyvet::{Checked, Error};

/// Writes `s` as a JSON string (invalid UTF-8 becomes U+FFFD).
pub(crate) fn string<W: Write>(out: &mut W, s: &[u8]) -> io::Result<()> {
    out.write_all(b"\"")?;
    for chunk in s.utf8_chunks() {
        let valid = chunk.valid();
        let mut start = 0;
        for (i, c) in valid.char_indices() {
            let esc: Option<&[u8]> = match c {
                '"' => Some(b"\\\""),
                '\\' => Some(b"\\\\"),
                '\n' => Some(b"\\n"),
                '\r' => Some(b"\\r"),
                '\t' => Some(b"\\t"),
                _ => None,
            };
            if esc.is_some() || (c as u32) < 0x20 || c == '\u{7f}' {
                out.write_all(&valid.as_bytes()[start..i])?;
                match esc {
                    Some(e) => out.write_all(e)?,
                    None => write!(out, "\\u{:04x}", c as u32)?,
                }
                start = i + c.len_utf8();
            }
        }
        out.write_all(&valid.as_bytes()[start..])?;
        if !chunk.invalid().is_empty() {
            out.write_all("\u{fffd}".as_bytes())?;
        }
    }
    out.write_all(b"\"")
}

pub(crate) fn valid<W: Write>(out: &mut W, file: &str, line: u64, c: &Checked<'_, '_>) -> io::Result<()> {
    out.write_all(b"{\"file\":")?;
    string(out, file.as_bytes())?;
    write!(
        out,
        ",\"line\":{line},\"valid\":true,\"algorithm\":\"{}\",\"bits\":{},\"sha256\":\"{}\",\"md5\":\"{}\",\"comment\":",
        c.algorithm(),
        c.bits(),
        c.sha256(),
        c.md5()
    )?;
    match c.line().comment_bytes() {
        Some(t) => string(out, t)?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"options\":")?;
    match c.line().options() {
        None => out.write_all(b"[]")?,
        Some(opts) => {
            out.write_all(b"[")?;
            for (i, o) in opts.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                string(out, o.raw)?;
            }
            out.write_all(b"]")?;
        }
    }
    out.write_all(b"}\n")
}

pub(crate) fn invalid<W: Write>(out: &mut W, file: &str, line: u64, e: &Error) -> io::Result<()> {
    out.write_all(b"{\"file\":")?;
    string(out, file.as_bytes())?;
    write!(
        out,
        ",\"line\":{line},\"valid\":false,\"error\":{{\"code\":\"{}\",\"message\":",
        e.code()
    )?;
    let msg = e.to_string();
    string(out, msg.as_bytes())?;
    out.write_all(b"}}\n")
}
