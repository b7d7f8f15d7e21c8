//! Standard output, and I/O errors said the way a user reads them: the path
//! (or "standard output") and the reason, without Rust's "(os error N)".

use std::fmt;
use std::io::{self, Write};

/// An error of standard output, told apart from errors of the inputs.
#[derive(Debug)]
struct OutputFailed(io::Error);

impl fmt::Display for OutputFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "standard output: {}", Reason(&self.0))
    }
}

impl std::error::Error for OutputFailed {}

/// Standard output (or any writer standing for it): its errors are marked,
/// so that a full disk is blamed on standard output, not on the input
/// being read at the time.
#[derive(Debug)]
pub(crate) struct Stdout<W>(pub(crate) W);

fn mark(e: io::Error) -> io::Error {
    if is_output(&e) {
        return e;
    }
    io::Error::new(e.kind(), OutputFailed(e))
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(mark)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf).map_err(mark)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(mark)
    }
}

/// Whether `e` is an error of standard output.
pub(crate) fn is_output(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|r| r.is::<OutputFailed>())
}

/// The reason of an I/O error as the C library words it ("No such file or
/// directory"), without "(os error 2)".
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reason<'a>(pub(crate) &'a io::Error);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(inner) = self.0.get_ref() {
            return write!(f, "{inner}");
        }
        let text = self.0.to_string();
        let text = match text.rfind(" (os error ") {
            Some(at) if text.ends_with(')') => &text[..at],
            _ => &text,
        };
        f.write_str(text)
    }
}

/// `path: reason`, or `standard output: reason` when standard output
/// failed.
pub(crate) fn describe(path: &str, e: &io::Error) -> String {
    if is_output(e) {
        Reason(e).to_string()
    } else {
        format!("{path}: {}", Reason(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_lose_the_os_error_number() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(describe("k.pub", &e), "k.pub: No such file or directory");
        let out = mark(io::Error::from_raw_os_error(28));
        assert_eq!(describe("k.pub", &out), "standard output: No space left on device");
    }
}
