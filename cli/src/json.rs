//! JSON Lines output of `keyvet check --json`, written without allocating
//! for the common case.

use std::io::{self, Write};

use keyvet::weak::{Check, Findings, Severity};
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
    if let Some(h) = c.host_line() {
        // A known_hosts line: its marker, and its hosts unless hashed.
        out.write_all(b",\"marker\":")?;
        match h.marker() {
            Some(m) => write!(out, "\"{}\"", m.name())?,
            None => out.write_all(b"null")?,
        }
        let hashed = matches!(h.hosts(), keyvet::known_hosts::Hosts::Hashed(_));
        out.write_all(b",\"hosts\":")?;
        if hashed {
            out.write_all(b"null")?;
        } else {
            out.write_all(b"[")?;
            for (i, p) in h.patterns().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                string(out, p)?;
            }
            out.write_all(b"]")?;
        }
        write!(out, ",\"hashed\":{hashed}")?;
    }
    out.write_all(b",\"findings\":")?;
    findings(out, c.findings())?;
    out.write_all(b"}\n")
}

fn finding<W: Write>(out: &mut W, check: Check, severity: Severity, detail: Option<u64>) -> io::Result<()> {
    write!(
        out,
        "{{\"id\":\"{}\",\"severity\":\"{}\",\"message\":",
        check.id(),
        severity.name()
    )?;
    string(out, check.message().as_bytes())?;
    out.write_all(b",\"reference\":")?;
    string(out, check.reference().as_bytes())?;
    if let Some(d) = detail {
        write!(out, ",\"detail\":{d}")?;
    }
    out.write_all(b"}")
}

fn findings<W: Write>(out: &mut W, f: &Findings) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, x) in f.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        finding(out, x.check, x.severity, x.detail)?;
    }
    out.write_all(b"]")
}

/// A line that shares a prime with another (reported after every input).
pub(crate) fn shared_prime<W: Write>(
    out: &mut W,
    file: &str,
    line: u64,
    other_file: &str,
    other_line: u64,
    severity: Severity,
) -> io::Result<()> {
    let c = Check::RsaSharedPrime;
    out.write_all(b"{\"file\":")?;
    string(out, file.as_bytes())?;
    write!(out, ",\"line\":{line},\"valid\":{}", severity != Severity::Error)?;
    if severity == Severity::Error {
        write!(out, ",\"error\":{{\"code\":\"{}\",\"message\":", c.id())?;
        let msg = format!(
            "line {line}: shares a prime with {other_file}:{other_line}: {} ({})",
            c.message(),
            c.reference()
        );
        string(out, msg.as_bytes())?;
        out.write_all(b"}")?;
    }
    out.write_all(b",\"findings\":[")?;
    finding(out, c, severity, Some(other_line))?;
    out.write_all(b"],\"shares_prime_with\":{\"file\":")?;
    string(out, other_file.as_bytes())?;
    writeln!(out, ",\"line\":{other_line}}}}}")
}

pub(crate) fn invalid<W: Write>(out: &mut W, file: &str, line: u64, e: &Error, f: &Findings) -> io::Result<()> {
    out.write_all(b"{\"file\":")?;
    string(out, file.as_bytes())?;
    write!(out, ",\"line\":{line},\"valid\":false,\"error\":")?;
    serde_json::to_writer(&mut *out, e).map_err(io::Error::other)?;
    out.write_all(b",\"findings\":")?;
    findings(out, f)?;
    out.write_all(b"}\n")
}
