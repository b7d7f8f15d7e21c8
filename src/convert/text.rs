//! Lines of a pasted text, and base64 bodies spread over several lines with
//! the position of every byte kept for errors.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

use super::{MAX_DECODED, MAX_LINE};
use crate::error::{Base64Error, Error, LineError};

/// One line of the input: 1-based number and bytes without the line end
/// (`\n` or `\r\n`).
#[derive(Debug, Clone, Copy)]
pub(super) struct TextLine<'a> {
    pub(super) number: u64,
    pub(super) text: &'a [u8],
}

/// Splits `input` into lines, each at most [`MAX_LINE`] bytes.
pub(super) fn lines(input: &[u8]) -> Result<Vec<TextLine<'_>>, Error> {
    let mut out = Vec::new();
    let mut number = 0u64;
    let mut rest = input;
    while !rest.is_empty() {
        number += 1;
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(p) => (&rest[..p], &rest[p + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() > MAX_LINE {
            return Err(Error::new(LineError::TooLong {
                len: line.len(),
                max: MAX_LINE,
            })
            .with_line(number));
        }
        out.push(TextLine { number, text: line });
        rest = next;
    }
    Ok(out)
}

/// Whether a line holds only blanks.
pub(super) fn is_blank(s: &[u8]) -> bool {
    s.iter().all(|&b| b == b' ' || b == b'\t')
}

/// The line without leading and trailing blanks.
pub(super) fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| b != b' ' && b != b'\t').unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

/// base64 as OpenSSH reads it: padding required, no bits after the last
/// byte.
pub(super) const STRICT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(false),
);

/// base64 of PEM bodies: padding optional (OpenSSL does not insist).
pub(super) const PEM: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(false),
);

/// A base64 text spread over lines. The text itself is kept in a buffer
/// that is zeroed when dropped: for a private key it encodes the key.
#[derive(Default)]
pub(super) struct Body {
    text: Zeroizing<Vec<u8>>,
    /// (line number, offset in `text`, column of that offset in the line)
    spans: Vec<(u64, usize, usize)>,
}

impl Body {
    /// Adds a line's base64 (blanks around it are ignored). Bytes outside
    /// the base64 alphabet are reported with their line and column.
    pub(super) fn push(&mut self, line: &TextLine<'_>) -> Result<(), Error> {
        let start = line
            .text
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .unwrap_or(line.text.len());
        let t = trim(line.text);
        if t.is_empty() {
            return Ok(());
        }
        if let Some(i) = t
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='))
        {
            return Err(Error::at_byte(Base64Error::Symbol(t[i]), start + i).with_line(line.number));
        }
        if self.text.len() + t.len() > MAX_DECODED / 3 * 4 + 4 {
            return Err(Error::new(Base64Error::TooLarge {
                len: (self.text.len() + t.len()) / 4 * 3,
                max: MAX_DECODED,
            })
            .with_line(line.number));
        }
        if self.text.capacity() == 0 {
            // Sized once, so that growing never leaves copies behind.
            self.text.reserve_exact(MAX_DECODED / 3 * 4 + 4);
        }
        self.spans.push((line.number, self.text.len(), start));
        self.text.extend_from_slice(t);
        Ok(())
    }

    /// Whether no base64 was added.
    pub(super) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Decodes the whole body into a buffer zeroed on drop.
    pub(super) fn decode(&self, engine: &GeneralPurpose) -> Result<Zeroizing<Vec<u8>>, Error> {
        let mut out = Zeroizing::new(vec![0u8; self.text.len() / 4 * 3 + 3]);
        match base64::Engine::decode_slice(engine, &self.text[..], &mut out[..]) {
            Ok(n) => {
                out.truncate(n);
                Ok(out)
            }
            Err(e) => Err(self.locate(e)),
        }
    }

    /// Turns a decoding error at an offset of the text into one at a line
    /// and column.
    fn locate(&self, e: base64::DecodeSliceError) -> Error {
        use base64::DecodeError as D;
        let (kind, at) = match e {
            base64::DecodeSliceError::DecodeError(D::InvalidByte(i, b'=')) => (Base64Error::Padding, Some(i)),
            base64::DecodeSliceError::DecodeError(D::InvalidByte(i, b)) => (Base64Error::Symbol(b), Some(i)),
            base64::DecodeSliceError::DecodeError(D::InvalidLastSymbol(i, _)) => (Base64Error::TrailingBits, Some(i)),
            _ => (Base64Error::Padding, None),
        };
        let at = at.unwrap_or(self.text.len().saturating_sub(1));
        match self.spans.iter().rev().find(|(_, off, _)| *off <= at) {
            Some(&(line, off, col)) => Error::at_byte(kind, col + at - off).with_line(line),
            None => Error::new(kind),
        }
    }
}
