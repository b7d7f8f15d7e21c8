//! RFC 4716 section 3, "The Secure Shell (SSH) Public Key File Format":
//!
//! ```text
//! ---- BEGIN SSH2 PUBLIC KEY ----
//! Comment: "1024-bit rsa, converted from OpenSSH by me@example.com"
//! x-command: /home/me/bin/lock-in-guest.sh
//! AAAAB3NzaC1yc2EAAAABIwAAAIEA1on8gxCGJJWSRT4uOrR13mUaUk0hRf4RzxSZ1zRb
//! ...
//! ---- END SSH2 PUBLIC KEY ----
//! ```
//!
//! Headers are `Tag: value` (tags of 1 to 64 printable characters, compared
//! without case; values of at most 1024 bytes); a header line ending in `\`
//! continues on the next line. The `Comment` value, without its surrounding
//! double quotes when it has them, becomes the comment; the other headers
//! (`Subject`, `x-...`) are ignored. The body is base64 read with OpenSSH's
//! rules.

use super::text::{self, Body, TextLine};
use super::{Converted, Format};
use crate::error::{ConvertError, Error};

const BEGIN: &[u8] = b"---- BEGIN SSH2 PUBLIC KEY ----";
const END: &[u8] = b"---- END SSH2 PUBLIC KEY ----";
/// RFC 4716 3.3: header tags are at most 64 bytes, values 1024.
const MAX_TAG: usize = 64;
const MAX_VALUE: usize = 1024;
/// More headers than any tool writes.
const MAX_HEADERS: usize = 64;

fn malformed(reason: &'static str, line: u64) -> Error {
    Error::new(ConvertError::Malformed {
        format: Format::Rfc4716,
        reason,
    })
    .with_line(line)
}

/// [`super::to_openssh`] on an input whose first line is an RFC 4716 BEGIN
/// line.
pub(super) fn convert(lines: &[TextLine<'_>]) -> Result<Converted, Error> {
    let begin = lines[0].number;
    if text::trim(lines[0].text) != BEGIN {
        return Err(malformed(
            "its BEGIN line must read exactly \"---- BEGIN SSH2 PUBLIC KEY ----\"",
            begin,
        ));
    }
    let mut comment: Option<Vec<u8>> = None;
    let mut body = Body::default();
    let mut headers = 0;
    let mut end = None;
    let mut i = 1;
    while i < lines.len() {
        let l = lines[i];
        let t = text::trim(l.text);
        if t.starts_with(b"---- END") {
            if t != END {
                return Err(malformed(
                    "its END line must read exactly \"---- END SSH2 PUBLIC KEY ----\"",
                    l.number,
                ));
            }
            end = Some(i);
            break;
        }
        if t.starts_with(b"----") {
            return Err(malformed(
                "a BEGIN line comes before its END line: copy the whole block, from BEGIN to END",
                l.number,
            ));
        }
        if body.is_empty()
            && let Some(colon) = l.text.iter().position(|&b| b == b':')
        {
            let tag = &l.text[..colon];
            if tag.is_empty() || tag.len() > MAX_TAG || !tag.iter().all(|b| (0x21..0x7f).contains(b)) {
                return Err(malformed(
                    "a header tag is empty, longer than 64 bytes, or holds blanks or control characters",
                    l.number,
                ));
            }
            headers += 1;
            if headers > MAX_HEADERS {
                return Err(malformed("it has too many headers", l.number));
            }
            let mut value = text::trim(&l.text[colon + 1..]).to_vec();
            // A header line ending in a backslash continues on the next.
            while value.last() == Some(&b'\\') {
                value.pop();
                i += 1;
                let next = lines
                    .get(i)
                    .ok_or_else(|| malformed("its last header is continued but no line follows", l.number))?;
                value.extend_from_slice(next.text);
                if value.len() > MAX_VALUE {
                    break;
                }
            }
            if value.len() > MAX_VALUE {
                return Err(malformed("a header value is longer than 1024 bytes", l.number));
            }
            if comment.is_none() && tag.eq_ignore_ascii_case(b"Comment") {
                let unquoted = match value.as_slice() {
                    [b'"', inner @ .., b'"'] => inner.to_vec(),
                    v => v.to_vec(),
                };
                comment = Some(unquoted);
            }
            i += 1;
            continue;
        }
        body.push(&l)?;
        i += 1;
    }
    let Some(end) = end else {
        return Err(malformed(
            "it has no END line: copy the whole block, from its BEGIN line to its END line",
            begin,
        ));
    };
    // Text after the block (a signature, a note) is left alone, as
    // ssh-keygen -i leaves it, unless it holds another key.
    if let Some(extra) = lines[end + 1..].iter().find(|l| super::holds_key(l.text)) {
        return Err(malformed(
            "the input holds more than one key; convert them one at a time",
            extra.number,
        ));
    }
    if body.is_empty() {
        return Err(malformed("it holds no key data", begin));
    }
    let blob = body.decode(&text::STRICT)?;
    Converted::new(blob.to_vec(), comment, Format::Rfc4716).map_err(|e| e.with_line(begin))
}
