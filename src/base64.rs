//! base64 as OpenSSH's `b64_pton` decodes it, into a buffer the caller
//! owns.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::error::{Base64Error, Error};

/// base64 exactly as OpenSSH's `b64_pton` accepts it: standard alphabet,
/// `=` padding required, no bits after the last full byte.
const OPENSSH_B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(false),
);

/// Decodes base64 the way OpenSSH does into `out` (cleared first), with a
/// cap on the decoded size. Errors carry the byte offset in `b64`.
///
/// ```
/// let mut buf = Vec::new();
/// keyvet::decode_base64("AAAAC3Nz", &mut buf, 1024).unwrap();
/// assert_eq!(buf, b"\0\0\0\x0bss");
/// assert_eq!(keyvet::decode_base64("AAA", &mut buf, 1024).unwrap_err().code(), "base64.padding");
/// ```
///
/// # Errors
/// [`Base64Error::Symbol`], [`Base64Error::Padding`],
/// [`Base64Error::TrailingBits`] or [`Base64Error::TooLarge`].
pub fn decode_base64(b64: &str, out: &mut Vec<u8>, max: usize) -> Result<(), Error> {
    let bytes = b64.as_bytes();
    crate::meter::charge(bytes.len());
    let estimate = bytes.len() / 4 * 3 + 3;
    if estimate > max + 3 {
        return Err(Error::at_byte(
            Base64Error::TooLarge {
                len: bytes.len() / 4 * 3,
                max,
            },
            0,
        ));
    }
    // Resizing from the last blob's length zeroes only the difference.
    out.resize(estimate, 0);
    // base64-simd decodes several times faster and is exactly as strict
    // (canonical padding, zero trailing bits: `tests/props.rs` compares the
    // two); the `base64` crate runs only on failure, to say where and why.
    if let Ok(decoded) = base64_simd::STANDARD.decode(bytes, base64_simd::Out::from_slice(out)) {
        let n = decoded.len();
        out.truncate(n);
        if n > max {
            out.clear();
            return Err(Error::at_byte(Base64Error::TooLarge { len: n, max }, 0));
        }
        return Ok(());
    }
    // `out` still holds `estimate` bytes for the slow decoder.
    match OPENSSH_B64.decode_slice(bytes, out) {
        Ok(n) => {
            out.truncate(n);
            if n > max {
                return Err(Error::at_byte(Base64Error::TooLarge { len: n, max }, 0));
            }
            Ok(())
        }
        Err(e) => {
            out.clear();
            Err(base64_error(bytes, e))
        }
    }
}

fn base64_error(bytes: &[u8], e: base64::DecodeSliceError) -> Error {
    use base64::DecodeError as D;
    let d = match e {
        base64::DecodeSliceError::DecodeError(d) => d,
        base64::DecodeSliceError::OutputSliceTooSmall => {
            return Error::at_byte(Base64Error::Padding, bytes.len());
        }
    };
    match d {
        D::InvalidByte(i, b'=') => Error::at_byte(Base64Error::Padding, i),
        D::InvalidByte(i, b) => Error::at_byte(Base64Error::Symbol(b), i),
        D::InvalidLength(_) | D::InvalidPadding => Error::at_byte(Base64Error::Padding, bytes.len()),
        D::InvalidLastSymbol(i, _) => Error::at_byte(Base64Error::TrailingBits, i),
    }
}
