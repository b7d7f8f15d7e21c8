//! PuTTY private key files (`.ppk`, versions 2 and 3). Their public key and
//! comment are stored in clear, even when the private part is encrypted:
//!
//! ```text
//! PuTTY-User-Key-File-3: ssh-ed25519
//! Encryption: none
//! Comment: eddsa-key-20241227
//! Public-Lines: 2
//! AAAAC3NzaC1lZDI1NTE5AAAAIPrpYV8mQaYQzxg8n3yBFGakpjqLClqr78a1vfHB
//! 7nAE
//! Private-Lines: 1
//! ...
//! ```
//!
//! Only the header lines before the public key and the public lines are
//! read; the private lines are never decoded.

use super::text::{self, Body, TextLine};
use super::{Converted, Format};
use crate::error::{ConvertError, Error};

/// More public lines than any key needs (a 16384-bit RSA key has 44).
const MAX_PUBLIC_LINES: usize = 1024;

fn malformed(reason: &'static str, line: u64) -> Error {
    Error::new(ConvertError::Malformed {
        format: Format::PuttyPrivateKey,
        reason,
    })
    .with_line(line)
}

fn header<'a>(l: &TextLine<'a>, name: &[u8]) -> Option<&'a [u8]> {
    l.text.strip_prefix(name)?.strip_prefix(b":").map(text::trim)
}

/// [`super::to_openssh`] on an input whose first line starts with
/// `PuTTY-User-Key-File-`.
pub(super) fn convert(lines: &[TextLine<'_>]) -> Result<Converted, Error> {
    let first = lines[0];
    let alg = match header(&first, b"PuTTY-User-Key-File-2").or_else(|| header(&first, b"PuTTY-User-Key-File-3")) {
        Some(a) => a,
        None => {
            return Err(Error::new(ConvertError::Unsupported(
                "this PuTTY key file is of a version keyvet does not read (only 2 and 3): open it in PuTTYgen \
                 and copy the public key it shows",
            ))
            .with_line(first.number));
        }
    };
    let mut encrypted = None;
    let mut comment = None;
    let mut i = 1;
    let count = loop {
        let l = lines
            .get(i)
            .ok_or_else(|| malformed("it has no Public-Lines header", first.number))?;
        if let Some(v) = header(l, b"Encryption") {
            encrypted = Some(v != b"none");
        } else if let Some(v) = header(l, b"Comment") {
            comment = Some(v.to_vec());
        } else if let Some(v) = header(l, b"Public-Lines") {
            let n = std::str::from_utf8(v)
                .ok()
                .and_then(|s| s.parse::<usize>().ok())
                .filter(|n| (1..=MAX_PUBLIC_LINES).contains(n))
                .ok_or_else(|| malformed("its Public-Lines count is not a number from 1 to 1024", l.number))?;
            i += 1;
            break n;
        } else {
            return Err(malformed(
                "a line before its public key is not an Encryption or Comment header",
                l.number,
            ));
        }
        i += 1;
    };
    let encrypted = encrypted.ok_or_else(|| malformed("it has no Encryption header", first.number))?;
    let public = lines
        .get(i..i + count)
        .ok_or_else(|| malformed("it ends before its public key lines do", first.number))?;
    let mut body = Body::default();
    for l in public {
        body.push(l)?;
    }
    let blob = body.decode(&text::STRICT)?;
    let mut c =
        Converted::new(blob.to_vec(), comment, Format::PuttyPrivateKey).map_err(|e| e.with_line(first.number))?;
    if c.algorithm.name().as_bytes() != alg {
        return Err(malformed(
            "the key type on its first line is not the type of its public key",
            first.number,
        ));
    }
    c.encrypted = encrypted;
    Ok(c)
}
