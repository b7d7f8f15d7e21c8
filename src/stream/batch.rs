//! The shared-prime batch: RSA moduli gathered across lines and inputs,
//! compared all at once at the end.

#[cfg(feature = "weak")]
use crate::weak::batch;

/// The RSA moduli of many lines, possibly of many inputs, for the
/// shared-prime check ([`Check::RsaSharedPrime`](crate::screening::Check::RsaSharedPrime)): kept in one buffer (no
/// allocation per key once it has grown), compared all at once by batch GCD
/// ([`batch::shared_primes`]). It holds every modulus until
/// [`Batch::shared`]: about 256 bytes per RSA-2048 key.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "weak"), allow(dead_code))]
struct Entry {
    source: u32,
    line: u64,
    start: usize,
    len: usize,
}

/// A line whose modulus shares a prime with another line's, as
/// [`Batch::shared`] reports it (once per line and partner).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedLine {
    /// The input the line is in (the `source` given to [`Batch::push`]).
    pub source: u32,
    /// Its 1-based line number.
    pub line: u64,
    /// The partner's input.
    pub other_source: u32,
    /// The partner's line.
    pub other_line: u64,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds the modulus (big-endian magnitude) of line `line` of input
    /// `source`.
    /// Without the `weak` feature there is no shared-prime check: the batch
    /// keeps nothing and [`Batch::shared`] finds nothing.
    pub fn push(&mut self, source: u32, line: u64, modulus: &[u8]) {
        if cfg!(not(feature = "weak")) {
            return;
        }
        self.entries.push(Entry {
            source,
            line,
            start: self.bytes.len(),
            len: modulus.len(),
        });
        self.bytes.extend_from_slice(modulus);
    }

    /// Moves every modulus of `other` to the end of this batch, leaving
    /// `other` empty.
    pub fn append(&mut self, other: &mut Batch) {
        let base = self.bytes.len();
        self.bytes.extend_from_slice(&other.bytes);
        self.entries.extend(other.entries.iter().map(|e| Entry {
            start: e.start + base,
            ..*e
        }));
        other.clear();
    }

    /// Forgets every modulus (keeping the memory for reuse).
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.entries.clear();
    }

    /// The number of moduli.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every line that shares a prime with another, once per partner, in
    /// order of input, line, partner input and partner line.
    #[cfg(feature = "weak")]
    pub fn shared(&self) -> Vec<SharedLine> {
        if self.entries.len() < 2 {
            return Vec::new();
        }
        let refs: Vec<&[u8]> = self
            .entries
            .iter()
            .map(|e| &self.bytes[e.start..e.start + e.len])
            .collect();
        let mut out = Vec::new();
        for p in batch::shared_primes(&refs) {
            let (a, b) = (self.entries[p.first], self.entries[p.second]);
            out.push(SharedLine {
                source: a.source,
                line: a.line,
                other_source: b.source,
                other_line: b.line,
            });
            out.push(SharedLine {
                source: b.source,
                line: b.line,
                other_source: a.source,
                other_line: a.line,
            });
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Without the `weak` feature there is no shared-prime check.
    #[cfg(not(feature = "weak"))]
    pub fn shared(&self) -> Vec<SharedLine> {
        Vec::new()
    }
}
