//! The SSH wire format of RFC 4251 section 5: parsers over `&[u8]`.
//!
//! Every parser takes the whole input and returns the rest with the value:
//! a short buffer is a [`WireError::Truncated`], and every length prefix is
//! checked against what remains before anything is read.
//!
//! These parsers are the building blocks of key and certificate parsing; most
//! users want [`crate::Key::parse`] instead. They are public so that callers
//! can walk other SSH structures the same way.
//!
//! ```
//! use keyvet::wire;
//! let buf = b"\x00\x00\x00\x03abc\x00\x00\x00\x01\x7f";
//! let (rest, s) = wire::string(buf).unwrap();
//! assert_eq!(s, b"abc");
//! let (rest, m) = wire::mpint(rest).unwrap();
//! assert_eq!(m.magnitude(), &[0x7f]);
//! assert!(rest.is_empty());
//! ```

use crate::error::Error;
pub use crate::error::WireError;

/// Result of a wire parser: the rest of the input and the value.
pub type WResult<'a, T> = Result<(&'a [u8], T), WireError>;

#[inline]
fn take(input: &[u8], n: usize) -> WResult<'_, &[u8]> {
    crate::meter::charge(1);
    if input.len() < n {
        return Err(WireError::Truncated {
            needed: n,
            remaining: input.len(),
        });
    }
    let (a, b) = input.split_at(n);
    Ok((b, a))
}

/// `byte`.
#[inline]
pub fn u8(input: &[u8]) -> WResult<'_, u8> {
    let (rest, b) = take(input, 1)?;
    Ok((rest, b[0]))
}

/// `uint32`, big-endian.
#[inline]
pub fn u32(input: &[u8]) -> WResult<'_, u32> {
    let (rest, b) = take(input, 4)?;
    Ok((rest, u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
}

/// `uint64`, big-endian.
#[inline]
pub fn u64(input: &[u8]) -> WResult<'_, u64> {
    let (rest, b) = take(input, 8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Ok((rest, u64::from_be_bytes(a)))
}

/// `string`: a uint32 length, then that many bytes. The length is checked
/// against the remaining input before anything is taken.
#[inline]
pub fn string(input: &[u8]) -> WResult<'_, &[u8]> {
    let (rest, len) = u32(input)?;
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if rest.len() < len {
        return Err(WireError::Truncated {
            needed: len,
            remaining: rest.len(),
        });
    }
    let (s, rest) = rest.split_at(len);
    Ok((rest, s))
}

/// A `string` meant as text, the way OpenSSH's `sshbuf_get_cstring` reads it:
/// no NUL except, tolerated, as the very last byte. The returned slice is the
/// raw content (a trailing NUL, if any, included): see
/// [`strip_trailing_nul`].
#[inline]
pub fn text(input: &[u8]) -> WResult<'_, &[u8]> {
    let (rest, s) = string(input)?;
    if let Some(pos) = s.iter().position(|&b| b == 0)
        && pos + 1 != s.len()
    {
        return Err(WireError::StringNul);
    }
    Ok((rest, s))
}

/// The text of a [`text`] string as OpenSSH sees it (without a trailing NUL).
pub fn strip_trailing_nul(s: &[u8]) -> &[u8] {
    match s.split_last() {
        Some((0, rest)) => rest,
        _ => s,
    }
}

/// Largest mpint OpenSSH reads: 16384 bits (`SSHBUF_MAX_BIGNUM`).
pub const MAX_MPINT_BYTES: usize = 16384 / 8;

/// A non-negative multiple-precision integer, borrowed as encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mpint<'b> {
    raw: &'b [u8],
}

impl<'b> Mpint<'b> {
    /// Wraps encoded mpint content. `raw` must not have its top bit set.
    pub(crate) const fn from_raw(raw: &'b [u8]) -> Mpint<'b> {
        Mpint { raw }
    }

    /// The bytes as encoded, leading zeros included.
    pub const fn raw(&self) -> &'b [u8] {
        self.raw
    }

    /// Big-endian magnitude without leading zero bytes (empty for zero).
    pub fn magnitude(&self) -> &'b [u8] {
        let start = self.raw.iter().position(|&b| b != 0).unwrap_or(self.raw.len());
        &self.raw[start..]
    }

    /// Number of significant bits, as OpenSSL's `BN_num_bits` counts them.
    pub fn bits(&self) -> u32 {
        let m = self.magnitude();
        match m.first() {
            None => 0,
            Some(&top) => {
                let len = u32::try_from(m.len()).unwrap_or(u32::MAX);
                (len - 1).saturating_mul(8) + (8 - top.leading_zeros())
            }
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.raw.iter().all(|&b| b == 0)
    }

    /// Whether the value is odd.
    pub fn is_odd(&self) -> bool {
        self.raw.last().is_some_and(|b| b & 1 == 1)
    }

    /// Whether the encoding is the minimal one RFC 4251 asks for: no leading
    /// zero byte unless the next byte has its top bit set; zero is empty.
    pub fn is_canonical(&self) -> bool {
        match self.raw {
            [] => true,
            [0] => false,
            [0, next, ..] => next & 0x80 != 0,
            _ => true,
        }
    }

    /// Length of the canonical encoding's content.
    pub fn canonical_len(&self) -> usize {
        let m = self.magnitude();
        match m.first() {
            None => 0,
            Some(&top) if top & 0x80 != 0 => m.len() + 1,
            Some(_) => m.len(),
        }
    }

    /// Compares two values numerically.
    pub fn cmp_value(&self, other: &Mpint<'_>) -> std::cmp::Ordering {
        let (a, b) = (self.magnitude(), other.magnitude());
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    }
}

/// `mpint` as OpenSSH reads it (`sshbuf_get_bignum2_bytes_direct`): negative
/// values are refused, leading zeros are tolerated, and values longer than
/// 2049 bytes (or 2049 bytes without a leading zero) are refused.
#[inline]
pub fn mpint(input: &[u8]) -> WResult<'_, Mpint<'_>> {
    let (rest, s) = string(input)?;
    if s.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(WireError::MpintNegative);
    }
    if s.len() > MAX_MPINT_BYTES + 1 || (s.len() == MAX_MPINT_BYTES + 1 && s[0] != 0) {
        return Err(WireError::MpintTooLarge(s.len()));
    }
    Ok((rest, Mpint::from_raw(s)))
}

/// An RFC 4251 `name-list`: comma-separated ASCII names, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameList<'b> {
    raw: &'b [u8],
}

impl<'b> NameList<'b> {
    /// The raw content.
    pub const fn raw(&self) -> &'b [u8] {
        self.raw
    }

    /// The names (an empty list yields nothing).
    pub fn iter(&self) -> impl Iterator<Item = &'b [u8]> + 'b {
        let raw = self.raw;
        raw.split(|&b| b == b',').filter(move |_| !raw.is_empty())
    }
}

/// `name-list`: a string of comma-separated names. RFC 4251 requires every
/// name to be non-empty printable ASCII without commas; violations are
/// reported as [`WireError::NameList`].
pub fn name_list(input: &[u8]) -> WResult<'_, NameList<'_>> {
    let (rest, s) = string(input)?;
    if !s.is_empty()
        && s.split(|&b| b == b',')
            .any(|n| n.is_empty() || n.iter().any(|&b| !(0x21..=0x7e).contains(&b)))
    {
        return Err(WireError::NameList);
    }
    Ok((rest, NameList { raw: s }))
}

/// Reads a sequence of fields with positions: wraps the parsers above and
/// turns their failures into [`Error`]s that name the field and the
/// offset where it started.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cursor<'b> {
    start_len: usize,
    base_offset: usize,
    rest: &'b [u8],
}

impl<'b> Cursor<'b> {
    pub(crate) fn new(buf: &'b [u8]) -> Cursor<'b> {
        Cursor {
            start_len: buf.len(),
            base_offset: 0,
            rest: buf,
        }
    }

    /// A cursor over a sub-buffer that starts at `offset` of the outer one.
    pub(crate) fn nested(buf: &'b [u8], offset: usize) -> Cursor<'b> {
        Cursor {
            start_len: buf.len(),
            base_offset: offset,
            rest: buf,
        }
    }

    /// Offset of the next byte, relative to the outermost buffer.
    pub(crate) fn offset(&self) -> usize {
        self.base_offset + (self.start_len - self.rest.len())
    }

    pub(crate) fn rest(&self) -> &'b [u8] {
        self.rest
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    #[inline]
    pub(crate) fn read<T>(
        &mut self,
        field: &'static str,
        p: impl FnOnce(&'b [u8]) -> WResult<'b, T>,
    ) -> Result<T, Error> {
        match p(self.rest) {
            Ok((rest, v)) => {
                self.rest = rest;
                Ok(v)
            }
            Err(e) => Err(Error::in_blob(e, self.offset(), field)),
        }
    }

    /// Fails unless every byte was consumed.
    pub(crate) fn finish(&self, field: &'static str) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::in_blob(
                WireError::TrailingData(self.rest.len()),
                self.offset(),
                field,
            ))
        }
    }
}

/// Writes the SSH encoding of values into any byte sink. Used to build the
/// canonical encoding a fingerprint hashes, and by tests and tools to build
/// blobs.
pub trait Sink {
    /// Appends bytes.
    fn put(&mut self, bytes: &[u8]);

    /// Appends a `uint32`.
    fn put_u32(&mut self, v: u32) {
        self.put(&v.to_be_bytes());
    }

    /// Appends a `uint64`.
    fn put_u64(&mut self, v: u64) {
        self.put(&v.to_be_bytes());
    }

    /// Appends a `string`.
    fn put_string(&mut self, s: &[u8]) {
        self.put_u32(u32::try_from(s.len()).unwrap_or(u32::MAX));
        self.put(s);
    }

    /// Appends the canonical `mpint` encoding of a big-endian magnitude.
    fn put_mpint(&mut self, magnitude: &[u8]) {
        let start = magnitude.iter().position(|&b| b != 0).unwrap_or(magnitude.len());
        let m = &magnitude[start..];
        if m.first().is_some_and(|b| b & 0x80 != 0) {
            self.put_u32(u32::try_from(m.len() + 1).unwrap_or(u32::MAX));
            self.put(&[0]);
        } else {
            self.put_u32(u32::try_from(m.len()).unwrap_or(u32::MAX));
        }
        self.put(m);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_checks_length_before_reading() {
        assert_eq!(
            string(b"\x00\x00\x00\x05ab"),
            Err(WireError::Truncated {
                needed: 5,
                remaining: 2
            })
        );
        assert_eq!(
            string(b"\xff\xff\xff\xff"),
            Err(WireError::Truncated {
                needed: 0xffff_ffff,
                remaining: 0
            })
        );
        assert!(matches!(string(b"\x00\x00"), Err(WireError::Truncated { .. })));
    }

    #[test]
    fn text_nul_rules() {
        assert!(text(b"\x00\x00\x00\x03ab\x00").is_ok());
        assert_eq!(text(b"\x00\x00\x00\x03a\x00b"), Err(WireError::StringNul));
        assert_eq!(strip_trailing_nul(b"ab\0"), b"ab");
    }

    #[test]
    fn mpint_rules() {
        assert_eq!(mpint(b"\x00\x00\x00\x01\x80"), Err(WireError::MpintNegative));
        let (_, m) = mpint(b"\x00\x00\x00\x03\x00\x00\x01").unwrap();
        assert_eq!(m.magnitude(), &[1]);
        assert!(!m.is_canonical());
        assert_eq!(m.bits(), 1);
        let (_, z) = mpint(b"\x00\x00\x00\x00").unwrap();
        assert!(z.is_zero() && z.is_canonical() && z.bits() == 0);
        let (_, p) = mpint(b"\x00\x00\x00\x02\x00\x80").unwrap();
        assert!(p.is_canonical());
        assert_eq!(p.bits(), 8);
        let mut big = vec![0u8, 0, 0x08, 0x01, 0x01];
        big.extend(std::iter::repeat_n(0u8, 0x800));
        assert_eq!(mpint(&big), Err(WireError::MpintTooLarge(2049)));
        big[4] = 0;
        assert!(mpint(&big).is_ok());
    }

    #[test]
    fn name_lists() {
        let (_, l) = name_list(b"\x00\x00\x00\x07a,bc,de").unwrap();
        assert_eq!(l.iter().collect::<Vec<_>>(), vec![&b"a"[..], b"bc", b"de"]);
        let (_, e) = name_list(b"\x00\x00\x00\x00").unwrap();
        assert_eq!(e.iter().count(), 0);
        assert!(name_list(b"\x00\x00\x00\x02a,").is_err());
    }

    #[test]
    fn sink_mpint_is_canonical() {
        let mut v = Vec::new();
        v.put_mpint(&[0, 0, 0x80, 1]);
        assert_eq!(v, b"\x00\x00\x00\x03\x00\x80\x01");
        v.clear();
        v.put_mpint(&[0, 0]);
        assert_eq!(v, b"\x00\x00\x00\x00");
    }
}
