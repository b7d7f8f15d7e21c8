//! The "visual host key" of `ssh-keygen -lv`: the drunken bishop's walk
//! over a fingerprint, drawn as OpenSSH 9.2 draws it (`sshkey.c`,
//! `fingerprint_randomart`).
//!
//! A bishop starts in the middle of a 17 x 9 board. Every byte of the
//! fingerprint digest gives four moves, low bits first: bit 0 picks left or
//! right, bit 1 up or down; the bishop slides along a wall it would cross.
//! Each square counts its visits (up to 14) and shows a symbol of
//! `" .o+=*BOX@%&#/^"` for its count; the start is `S`, the end `E`. The
//! frame's top names the key (`[ED25519 256]`) and its bottom the hash
//! (`[SHA256]`).
//!
//! ```
//! use keyvet::{Checker, HashAlg, policy, randomart};
//! let line = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy";
//! let mut v = Checker::new(policy::OPENSSH);
//! let key = v.check_line(line).unwrap();
//! let art = randomart::of_key(key.key(), HashAlg::Sha256).to_string();
//! let rows: Vec<&str> = art.lines().collect();
//! assert_eq!(rows.len(), 11);
//! assert_eq!(rows[0], "+--[ED25519 256]--+");
//! assert_eq!(rows[10], "+----[SHA256]-----+");
//! assert!(rows[1..10].iter().all(|r| r.len() == 19 && r.starts_with('|') && r.ends_with('|')));
//! ```

use std::fmt;

use crate::fingerprint::{Fingerprint, HashAlg};
use crate::key::Key;

/// Width of the board (`FLDSIZE_X`).
pub const WIDTH: usize = 17;
/// Height of the board (`FLDSIZE_Y`).
pub const HEIGHT: usize = 9;

/// The symbols by visit count; the last two mark the start and the end.
const SYMBOLS: &[u8; 17] = b" .o+=*BOX@%&#/^SE";
/// The start's symbol index (`S`); the end is one more (`E`).
const START: u8 = 15;
/// Most visits a square counts.
const MAX_VISITS: u8 = START - 1;

/// A drawn randomart picture: 11 lines of 19 ASCII characters (frame
/// included). `Display` writes them separated by `\n`, without a final
/// newline, as `ssh-keygen -lv` prints it before its own newline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Randomart {
    rows: [[u8; WIDTH + 2]; HEIGHT + 2],
}

impl Randomart {
    /// The picture's lines, frame included (each 19 ASCII bytes).
    pub fn rows(&self) -> impl Iterator<Item = &str> + '_ {
        self.rows.iter().map(|r| std::str::from_utf8(r).unwrap_or_default())
    }
}

impl fmt::Display for Randomart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, row) in self.rows().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(row)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Randomart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Randomart(")?;
        fmt::Display::fmt(self, f)?;
        write!(f, ")")
    }
}

/// What OpenSSH's `snprintf` into a `FLDSIZE_X`-byte buffer keeps of a
/// label: at most 16 bytes (cut on a character boundary here; OpenSSH's
/// labels are ASCII).
fn clip(s: &str) -> &str {
    let mut end = s.len().min(WIDTH - 1);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The frame's top label: `[TYPE BITS]`, or `[TYPE]` when that does not
/// fit OpenSSH's 17-byte buffer (so `[ED25519-CERT]`), clipped as
/// `snprintf` clips it.
fn title(key_type: &str, bits: u32) -> String {
    let full = format!("[{key_type} {bits}]");
    // snprintf returns the untruncated length; OpenSSH retries without
    // the size only when that length exceeds the buffer size itself.
    let t = if full.len() > WIDTH {
        format!("[{key_type}]")
    } else {
        full
    };
    clip(&t).to_owned()
}

/// Writes `+`, the label centred in dashes, `+` into `row`.
fn border(row: &mut [u8; WIDTH + 2], label: &str) {
    row.fill(b'-');
    row[0] = b'+';
    row[WIDTH + 1] = b'+';
    let label = &label.as_bytes()[..label.len().min(WIDTH)];
    let left = (WIDTH - label.len()) / 2;
    // Labels are ASCII in practice; any other byte is drawn as `?` so that
    // every row stays valid UTF-8 of exactly 19 bytes.
    for (dst, &b) in row[1 + left..].iter_mut().zip(label) {
        *dst = if b.is_ascii_graphic() || b == b' ' { b } else { b'?' };
    }
}

/// Draws the picture of a raw digest: `hash_name` is the bottom label
/// (`SHA256`, `MD5`), `key_type` and `bits` the top one (`ED25519`, 256).
/// Any digest length works (OpenSSH draws every byte).
///
/// ```
/// use keyvet::randomart;
/// let art = randomart::of_digest("MD5", &[0u8; 16], "RSA", 2048).to_string();
/// // Every move is up-left: the bishop walks into the top-left corner.
/// assert_eq!(art.lines().nth(1), Some("|E....            |"));
/// assert_eq!(art.lines().nth(5), Some("|        S        |"));
/// assert_eq!(art.lines().last(), Some("+------[MD5]------+"));
/// ```
pub fn of_digest(hash_name: &str, digest: &[u8], key_type: &str, bits: u32) -> Randomart {
    let mut field = [[0u8; HEIGHT]; WIDTH];
    let (mut x, mut y) = (WIDTH / 2, HEIGHT / 2);
    for &byte in digest {
        let mut input = byte;
        for _ in 0..4 {
            x = if input & 1 != 0 {
                (x + 1).min(WIDTH - 1)
            } else {
                x.saturating_sub(1)
            };
            y = if input & 2 != 0 {
                (y + 1).min(HEIGHT - 1)
            } else {
                y.saturating_sub(1)
            };
            let cell = &mut field[x][y];
            if *cell < MAX_VISITS {
                *cell += 1;
            }
            input >>= 2;
        }
    }
    field[WIDTH / 2][HEIGHT / 2] = START;
    field[x][y] = START + 1;

    let mut rows = [[b' '; WIDTH + 2]; HEIGHT + 2];
    border(&mut rows[0], &title(key_type, bits));
    for (yy, row) in rows[1..=HEIGHT].iter_mut().enumerate() {
        row[0] = b'|';
        row[WIDTH + 1] = b'|';
        for (xx, column) in field.iter().enumerate() {
            row[xx + 1] = SYMBOLS[usize::from(column[yy].min(START + 1))];
        }
    }
    border(&mut rows[HEIGHT + 1], clip(&format!("[{}]", clip(hash_name))));
    Randomart { rows }
}

/// Draws the picture of a fingerprint for a key of type `key_type` (the
/// name ssh-keygen shows, such as `ED25519` or `RSA-CERT`) and size `bits`.
///
/// ```
/// use keyvet::{fingerprint, randomart, HashAlg};
/// let fp = fingerprint::of_bytes(b"", HashAlg::Sha256);
/// let art = randomart::of_fingerprint(&fp, "ECDSA", 256);
/// assert_eq!(art.rows().next(), Some("+---[ECDSA 256]---+"));
/// ```
pub fn of_fingerprint(fp: &Fingerprint, key_type: &str, bits: u32) -> Randomart {
    of_digest(fp.alg().name(), fp.as_bytes(), key_type, bits)
}

/// The picture `ssh-keygen -lv [-E md5]` draws for a key or certificate:
/// the fingerprint of the (certified) key, titled with the key's type and
/// size (a certificate's `[TYPE-CERT BITS]` is too long for the frame, so
/// it reads `[ED25519-CERT]`).
///
/// ```
/// use keyvet::{Checker, HashAlg, policy, randomart};
/// let line = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy";
/// let mut v = Checker::new(policy::OPENSSH);
/// let key = v.check_line(line).unwrap();
/// let art = randomart::of_key(key.key(), HashAlg::Md5);
/// assert_eq!(art.rows().last(), Some("+------[MD5]------+"));
/// ```
pub fn of_key(key: &Key<'_>, alg: HashAlg) -> Randomart {
    of_fingerprint(&key.fingerprint(alg), key.algorithm().short_name(), key.bits())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_fit_the_frame_as_openssh_cuts_them() {
        assert_eq!(title("ED25519", 256), "[ED25519 256]");
        assert_eq!(title("RSA-CERT", 16384), "[RSA-CERT 16384]");
        assert_eq!(title("ED25519-CERT", 256), "[ED25519-CERT]");
        assert_eq!(title("ECDSA-SK-CERT", 256), "[ECDSA-SK-CERT]");
        // 17 bytes: snprintf keeps 16 and drops the bracket.
        assert_eq!(title("ED25519-SK-CERT", 256), "[ED25519-SK-CERT");
        // Exactly 17 with the size: not retried, clipped.
        assert_eq!(title("ECDSA-CERT", 5210), "[ECDSA-CERT 5210");
    }

    #[test]
    fn any_input_draws_a_full_frame() {
        for len in [0usize, 1, 16, 32, 64, 1000] {
            let digest: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            for ty in ["", "X", "ÄÖÜ-ÄÖÜ-ÄÖÜ-ÄÖÜ", "a-very-long-type-name-indeed"] {
                let art = of_digest("SHA256", &digest, ty, u32::MAX);
                assert_eq!(art.rows().count(), 11);
                assert!(art.rows().all(|r| r.len() == 19));
            }
        }
    }

    #[test]
    fn visits_saturate() {
        // 0x00 then 0xff repeatedly: back and forth between two squares.
        let digest: Vec<u8> = std::iter::repeat_n([0x00u8, 0xff], 20).flatten().collect();
        let art = of_digest("MD5", &digest, "DSA", 1024).to_string();
        assert!(art.contains('^'), "{art}");
    }
}
