//! The JSON Lines records of `keyvet check --json`: one object per key line
//! (`valid`, `invalid`) and per line that shares a prime with another
//! (`shared_prime`), written without allocating for the common case. The
//! command line and the bindings (Python, WebAssembly) write their records
//! here, so that they are the same bytes.
//!
//! ```
//! use keyvet::{Checker, json_lines, policy};
//! let mut v = Checker::new(policy::OPENSSH);
//! let line = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@example";
//! let mut out = Vec::new();
//! json_lines::valid(&mut out, "keys.pub", 1, &v.check_line(line).unwrap()).unwrap();
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.starts_with(r#"{"file":"keys.pub","line":1,"valid":true,"algorithm":"ssh-ed25519","bits":256,"#));
//! assert!(text.ends_with("\"comment\":\"alice@example\",\"options\":[],\"findings\":[]}\n"));
//! ```

use std::io::{self, Write};

use crate::screening::{Check, Findings, Severity};
use crate::{Checked, Error, Fingerprint};

/// Writes `s` as a JSON string (invalid UTF-8 becomes U+FFFD).
///
/// ```
/// let mut out = Vec::new();
/// keyvet::json_lines::string(&mut out, b"a\"b\n\xff").unwrap();
/// assert_eq!(out, "\"a\\\"b\\n\u{fffd}\"".as_bytes());
/// ```
pub fn string<W: Write>(out: &mut W, s: &[u8]) -> io::Result<()> {
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

/// The record of a valid key line: algorithm, bits, both fingerprints,
/// comment, options, known_hosts fields when it is a host line, and what
/// weak-key screening found (module example above).
pub fn valid<W: Write>(out: &mut W, file: &str, line: u64, c: &Checked<'_, '_>) -> io::Result<()> {
    valid_with(out, file, line, c, &c.sha256(), &c.md5())
}

/// [`valid`] with the key's fingerprints computed by the caller, who needs
/// them too (a binding that keeps them beside the record): each hash is
/// computed once.
///
/// ```
/// use keyvet::{Checker, json_lines, policy};
/// let mut v = Checker::new(policy::OPENSSH);
/// let c = v.check_line(b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl").unwrap();
/// let (mut a, mut b) = (Vec::new(), Vec::new());
/// json_lines::valid(&mut a, "-", 1, &c).unwrap();
/// json_lines::valid_with(&mut b, "-", 1, &c, &c.sha256(), &c.md5()).unwrap();
/// assert_eq!(a, b);
/// ```
pub fn valid_with<W: Write>(
    out: &mut W,
    file: &str,
    line: u64,
    c: &Checked<'_, '_>,
    sha256: &Fingerprint,
    md5: &Fingerprint,
) -> io::Result<()> {
    out.write_all(b"{\"file\":")?;
    string(out, file.as_bytes())?;
    write!(
        out,
        ",\"line\":{line},\"valid\":true,\"algorithm\":\"{}\",\"bits\":{},\"sha256\":\"{}\",\"md5\":\"{}\",\"comment\":",
        c.algorithm(),
        c.bits(),
        sha256,
        md5
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
        let hashed = matches!(h.hosts(), crate::known_hosts::Hosts::Hashed(_));
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

/// The record of a line that shares a prime with another (reported after
/// every input): invalid when the policy's screening makes the check an
/// error, with the other line named.
///
/// ```
/// use keyvet::weak::Severity;
/// let mut out = Vec::new();
/// keyvet::json_lines::shared_prime(&mut out, "a.pub", 3, "b.pub", 7, Severity::Error).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with(r#"{"file":"a.pub","line":3,"valid":false,"error":{"code":"weak.rsa.shared_prime""#));
/// assert!(text.ends_with("\"shares_prime_with\":{\"file\":\"b.pub\",\"line\":7}}\n"));
/// ```
pub fn shared_prime<W: Write>(
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

/// The record of an invalid line: the error (code, message, position) and
/// what screening found.
///
/// ```
/// use keyvet::{Checker, policy};
/// let mut v = Checker::new(policy::STRICT);
/// let e = v.check_line(b"ssh-ed25519 AAAA").unwrap_err();
/// let mut out = Vec::new();
/// keyvet::json_lines::invalid(&mut out, "-", 2, &e, &Default::default()).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with(r#"{"file":"-","line":2,"valid":false,"error":{"code":""#));
/// ```
pub fn invalid<W: Write>(out: &mut W, file: &str, line: u64, e: &Error, f: &Findings) -> io::Result<()> {
    out.write_all(b"{\"file\":")?;
    string(out, file.as_bytes())?;
    write!(out, ",\"line\":{line},\"valid\":false,\"error\":")?;
    serde_json::to_writer(&mut *out, e).map_err(io::Error::other)?;
    out.write_all(b",\"findings\":")?;
    findings(out, f)?;
    out.write_all(b"}\n")
}

/// The record of a vetted upload ([`crate::vet`]), as `keyvet vet --json`
/// prints it: `{"valid":true,"line":...,` the key's report, `converted_from`
/// and `repairs` `}`, or `{"valid":false,"error":...}`.
///
/// ```
/// use keyvet::{policy, vet};
/// let upload = b"ssh-ed25519 AAAA";
/// let mut out = Vec::new();
/// keyvet::json_lines::vetted(&mut out, &vet::vet(upload, &policy::STRICT)).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with(r#"{"valid":false,"error":{"code":"blob.truncated""#));
/// ```
pub fn vetted<W: Write>(out: &mut W, verdict: &Result<crate::vet::Vetted, Error>) -> io::Result<()> {
    // Written field by field, in the order the types serialize in: not
    // through a serde_json map, whose order depends on a feature of
    // serde_json that another crate of a build may or may not turn on.
    match verdict {
        Ok(v) => {
            let report = serde_json::to_vec(v).map_err(io::Error::other)?;
            out.write_all(b"{\"valid\":true")?;
            match report.strip_prefix(b"{") {
                Some(b"}") | None => out.write_all(b"}")?,
                Some(fields) => {
                    out.write_all(b",")?;
                    out.write_all(fields)?;
                }
            }
        }
        Err(e) => {
            out.write_all(b"{\"valid\":false,\"error\":")?;
            serde_json::to_writer(&mut *out, e).map_err(io::Error::other)?;
            out.write_all(b"}")?;
        }
    }
    out.write_all(b"\n")
}
