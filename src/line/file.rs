//! Reading a file or stream line by line, with a cap on line length.
//!
//! A line over the cap is reported, not buffered: the reader keeps reading
//! and discarding until the next newline, so memory stays bounded by the cap
//! whatever the input.

use std::io::{self, BufRead};

/// One line read by a [`LineReader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawLine<'a> {
    /// A line within the cap, without its `\n` (a `\r` before it is kept;
    /// the line parsers strip it).
    Line {
        /// 1-based line number.
        number: u64,
        /// The bytes.
        bytes: &'a [u8],
    },
    /// A line over the cap: only its length is known.
    TooLong {
        /// 1-based line number.
        number: u64,
        /// Its length in bytes, without the newline.
        len: usize,
    },
}

/// Reads lines from a [`BufRead`] into a reused buffer.
///
/// ```
/// use keyvet::line::{LineReader, RawLine};
/// let mut r = LineReader::new(&b"a\nbbbbbb\nc"[..], 4);
/// assert_eq!(r.next_line().unwrap(), Some(RawLine::Line { number: 1, bytes: b"a" }));
/// assert_eq!(r.next_line().unwrap(), Some(RawLine::TooLong { number: 2, len: 6 }));
/// assert_eq!(r.next_line().unwrap(), Some(RawLine::Line { number: 3, bytes: b"c" }));
/// assert_eq!(r.next_line().unwrap(), None);
/// ```
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    number: u64,
    max: usize,
    give_up: Option<usize>,
}

impl<R: BufRead> LineReader<R> {
    /// A reader that accepts lines of up to `max` bytes.
    pub fn new(inner: R, max: usize) -> LineReader<R> {
        LineReader {
            inner,
            buf: Vec::new(),
            number: 0,
            max,
            give_up: None,
        }
    }

    /// A reader that stops with an error (`InvalidData`) at a line of over
    /// `bytes` bytes, instead of reading on to its end: for inputs where an
    /// endless line (`/dev/zero`, a stream that never sends a newline) must
    /// end the read, not only be reported once it ends.
    ///
    /// ```
    /// use keyvet::line::{LineReader, RawLine};
    /// let input = vec![b'x'; 10_000];
    /// let mut r = LineReader::new(&input[..], 10).with_give_up(100);
    /// let e = r.next_line().unwrap_err();
    /// assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
    /// assert_eq!(e.to_string(), "line 1: over 100 bytes without a newline");
    /// ```
    #[must_use]
    pub fn with_give_up(mut self, bytes: usize) -> LineReader<R> {
        self.give_up = Some(bytes);
        self
    }

    /// The next line, or `None` at the end of the input.
    ///
    /// # Errors
    /// I/O errors of the underlying reader.
    pub fn next_line(&mut self) -> io::Result<Option<RawLine<'_>>> {
        self.buf.clear();
        let mut len = 0usize;
        let mut saw_any = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            saw_any = true;
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(p) => (p, true),
                None => (chunk.len(), false),
            };
            if len + take <= self.max {
                self.buf.extend_from_slice(&chunk[..take]);
            }
            len += take;
            self.inner.consume(take + usize::from(done));
            if done {
                break;
            }
            if let Some(limit) = self.give_up
                && len > limit
            {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("line {}: over {limit} bytes without a newline", self.number + 1),
                ));
            }
        }
        if !saw_any {
            return Ok(None);
        }
        self.number += 1;
        if len > self.max {
            return Ok(Some(RawLine::TooLong {
                number: self.number,
                len,
            }));
        }
        Ok(Some(RawLine::Line {
            number: self.number,
            bytes: &self.buf,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_line_is_not_buffered() {
        let mut input = vec![b'x'; 100_000];
        input.extend_from_slice(b"\nok\n");
        let mut r = LineReader::new(io::BufReader::with_capacity(64, &input[..]), 10);
        assert_eq!(
            r.next_line().unwrap(),
            Some(RawLine::TooLong {
                number: 1,
                len: 100_000
            })
        );
        assert!(r.buf.capacity() <= 64);
        assert_eq!(
            r.next_line().unwrap(),
            Some(RawLine::Line {
                number: 2,
                bytes: b"ok"
            })
        );
        assert_eq!(r.next_line().unwrap(), None);
    }

    #[test]
    fn empty_last_line_is_not_a_line() {
        let mut r = LineReader::new(&b"a\n"[..], 10);
        assert!(r.next_line().unwrap().is_some());
        assert_eq!(r.next_line().unwrap(), None);
    }
}
