//! Lines of a pasted text, and base64 bodies spread over several lines with
//! the position of every byte kept for errors.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

use super::{MAX_DECODED, MAX_LINE};
use crate::error::{Base64Error, Error, LineError};

/// One line of the input: 1-based number, where it starts, its bytes
/// without the line end, and that line end.
///
/// This is where keyvet decides, once for every format it reads, what ends
/// a line: LF, CR LF, or the end of the input. Readers that are stricter
/// (OpenSSH's loader of its own private key format is) look at
/// [`TextLine::end`] and [`TextLine::offset`] to say so.
#[derive(Debug, Clone, Copy)]
pub(super) struct TextLine<'a> {
    pub(super) number: u64,
    /// Byte offset of the line's first byte in the input.
    pub(super) offset: usize,
    pub(super) text: &'a [u8],
    pub(super) end: LineEnd,
}

/// How a line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineEnd {
    Lf,
    CrLf,
    /// The input ended without a line end.
    Eof,
}

/// Splits `input` into lines, each at most [`MAX_LINE`] bytes.
pub(super) fn lines(input: &[u8]) -> Result<Vec<TextLine<'_>>, Error> {
    let mut out = Vec::new();
    let mut number = 0u64;
    let mut rest = input;
    while !rest.is_empty() {
        number += 1;
        let offset = input.len() - rest.len();
        let (line, next, end) = match rest.iter().position(|&b| b == b'\n') {
            Some(p) => (&rest[..p], &rest[p + 1..], LineEnd::Lf),
            None => (rest, &rest[rest.len()..], LineEnd::Eof),
        };
        let (line, end) = match (line.strip_suffix(b"\r"), end) {
            (Some(l), LineEnd::Lf) => (l, LineEnd::CrLf),
            (Some(l), e) => (l, e),
            (None, e) => (line, e),
        };
        if line.len() > MAX_LINE {
            return Err(Error::new(LineError::TooLong {
                len: line.len(),
                max: MAX_LINE,
            })
            .with_line(number));
        }
        out.push(TextLine {
            number,
            offset,
            text: line,
            end,
        });
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
    /// Adds a line's base64. Blanks (spaces, tabs) around and inside it
    /// are skipped, as OpenSSH's and OpenSSL's base64 readers skip them.
    /// Bytes outside the base64 alphabet are reported with their line and
    /// column.
    pub(super) fn push(&mut self, line: &TextLine<'_>) -> Result<(), Error> {
        let blank = |b: &u8| *b == b' ' || *b == b'\t';
        if let Some(i) = line
            .text
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' || blank(&b)))
        {
            return Err(Error::at_byte(Base64Error::Symbol(line.text[i]), i).with_line(line.number));
        }
        let symbols = line.text.iter().filter(|b| !blank(b)).count();
        if symbols == 0 {
            return Ok(());
        }
        if self.text.len() + symbols > MAX_DECODED / 3 * 4 + 4 {
            return Err(Error::new(Base64Error::TooLarge {
                len: (self.text.len() + symbols) / 4 * 3,
                max: MAX_DECODED,
            })
            .with_line(line.number));
        }
        if self.text.capacity() == 0 {
            // Sized once, so that growing never leaves copies behind.
            self.text.reserve_exact(MAX_DECODED / 3 * 4 + 4);
        }
        // One span per run of symbols, so that errors keep their column.
        let mut column = 0;
        for run in line.text.split(blank) {
            if !run.is_empty() {
                self.spans.push((line.number, self.text.len(), column));
                self.text.extend_from_slice(run);
            }
            column += run.len() + 1;
        }
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
