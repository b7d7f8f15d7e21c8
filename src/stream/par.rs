//! Whole inputs on every core, in order.
//!
//! The input is read in chunks of whole lines (256 KiB by default) by the
//! calling thread, which hands them to worker threads; each worker checks
//! its chunks with its own [`Checker`] and records what it finds in an
//! accumulator of the caller's choosing (for the `keyvet` binary, the
//! output bytes), and the calling thread passes the accumulators to `sink`
//! in input order. The per-line work is the very code of [`check`] and
//! [`listing`], so the events are the same, in the same order, whatever the
//! number of threads.
//!
//! Lines carry state in two places, both rare: a pasted PEM or RFC 4716
//! block makes the lines up to its end part of one mistake, and a file
//! whose first line mentions `PRIVATE KEY` is read the way `ssh-keygen -l`
//! reads a private key file. A worker assumes its chunk starts outside a
//! block; when the previous chunk ended inside one, the chunk is checked
//! again, in order, from the right state. A private key file is read by
//! [`listing_file`] on the calling thread.
//!
//! Memory stays bounded whatever the input: at most two chunks per thread
//! (and one) are in flight, and a line over the policy's cap is counted, not kept.
//!
//! [`check`]: super::check
//! [`listing`]: super::listing
//! [`listing_file`]: super::listing_file

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read};
use std::sync::{Mutex, mpsc};

use super::machine::{Block, CheckMode, ListingMode, Mode};
use super::{Batch, Event, Source, Summary};
use crate::checker::Checker;
use crate::line::RawLine;

/// How a parallel run splits its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parallel {
    /// Worker threads; 0 or 1 checks every chunk on the calling thread.
    pub threads: usize,
    /// Bytes per chunk (raised to hold at least one line of the policy's
    /// maximum length).
    pub chunk_bytes: usize,
}

impl Parallel {
    /// One worker per available core, 256 KiB chunks.
    pub fn all_cores() -> Parallel {
        Parallel {
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            chunk_bytes: 256 * 1024,
        }
    }

    /// Everything on the calling thread.
    pub const fn single() -> Parallel {
        Parallel {
            threads: 1,
            chunk_bytes: 256 * 1024,
        }
    }
}

/// [`check_into`](super::check_into) on every core: checks every line of
/// `input` with a copy of `v` per thread, calls `each` (on any thread) for
/// every event of a chunk with that chunk's accumulator, made by `new`, and
/// `sink` (on the calling thread) with the accumulators in input order. The
/// RSA moduli go into `batch` in input order.
///
/// ```
/// use keyvet::{Checker, policy, stream::{self, Batch, Event, Parallel}};
/// let input = std::fs::read("corpus/valid/authorized_keys-many.pub").unwrap();
/// let v = Checker::new(policy::STRICT);
/// let mut lines = Vec::new();
/// let mut batch = Batch::new();
/// let par = Parallel { threads: 2, chunk_bytes: 1024 };
/// let s = stream::par_check(&input[..], &v, par, 0, &mut batch, Vec::new, |acc: &mut Vec<u64>, e| {
///     if let Event::Key { line, .. } = e { acc.push(line); }
///     Ok(())
/// }, |acc| { lines.extend(acc); Ok(()) }).unwrap();
/// assert_eq!(lines.len() as u64, s.valid);
/// assert!(lines.windows(2).all(|w| w[0] < w[1]));
/// ```
///
/// # Errors
/// I/O errors of the input, and errors returned by `each` or `sink`.
#[allow(clippy::too_many_arguments)]
pub fn par_check<R: Read, A: Send>(
    input: R,
    v: &Checker,
    par: Parallel,
    source: u32,
    batch: &mut Batch,
    new: impl Fn() -> A + Sync,
    each: impl Fn(&mut A, Event<'_, '_, '_>) -> io::Result<()> + Sync,
    sink: impl FnMut(A) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut chunks = Chunker::new(input, par.chunk_bytes, v.policy().max_line_len);
    run(&CheckMode { source }, &mut chunks, v, par, batch, &new, &each, sink)
}

/// [`listing_file`](super::listing_file) (or [`listing`](super::listing) for
/// [`Source::Stdin`]) on every core, with the accumulators of
/// [`par_check`]. A file read as a private key file is read on the calling
/// thread, as [`listing_file`](super::listing_file) reads it.
///
/// # Errors
/// I/O errors of the input and of `FILE.pub`, and errors returned by
/// `each` or `sink`.
#[allow(clippy::too_many_arguments)]
pub fn par_listing<R: Read, P: BufRead, A: Send>(
    input: R,
    source: Source<'_>,
    pub_file: impl FnOnce() -> Option<P>,
    v: &Checker,
    par: Parallel,
    new: impl Fn() -> A + Sync,
    each: impl Fn(&mut A, Event<'_, '_, '_>) -> io::Result<()> + Sync,
    mut sink: impl FnMut(A) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut chunks = Chunker::new(input, par.chunk_bytes, v.policy().max_line_len);
    if let Source::File(name) = source {
        chunks.fill_first()?;
        let first = chunks.first_line();
        if first.is_some_and(|l| super::private_file::reads_as_private_key_file(l, v.policy())) {
            let (buffered, rest) = chunks.into_parts();
            let input = io::BufReader::new(io::Cursor::new(buffered).chain(rest));
            let mut v = v.clone();
            let mut acc = new();
            let s = super::listing_file(input, name, pub_file, &mut v, |e| each(&mut acc, e))?;
            sink(acc)?;
            return Ok(s);
        }
    }
    run(&ListingMode, &mut chunks, v, par, &mut Batch::new(), &new, &each, sink)
}

/// A piece of the input, in order.
enum Piece {
    /// Whole lines (the last one may lack its newline at the end of the
    /// input), the first numbered `first`.
    Lines { bytes: Vec<u8>, first: u64 },
    /// A line over the cap, not kept.
    TooLong { number: u64, len: usize },
}

/// Cuts an input into [`Piece`]s.
struct Chunker<R> {
    input: R,
    /// The start of the next piece: a partial line, or the first chunk
    /// read ahead by `fill_first`.
    carry: Vec<u8>,
    carry_full: bool,
    next_line: u64,
    target: usize,
    eof: bool,
    /// Buffers handed back after use.
    pool: Vec<Vec<u8>>,
}

impl<R: Read> Chunker<R> {
    fn new(input: R, chunk_bytes: usize, max_line: usize) -> Chunker<R> {
        Chunker {
            input,
            carry: Vec::new(),
            carry_full: false,
            next_line: 1,
            target: chunk_bytes.max(max_line.saturating_add(2)).max(2),
            eof: false,
            pool: Vec::new(),
        }
    }

    /// Reads into `buf` until it holds `target` bytes or the input ends.
    fn fill(&mut self, buf: &mut Vec<u8>) -> io::Result<()> {
        while buf.len() < self.target && !self.eof {
            let want = (self.target - buf.len()) as u64;
            let n = (&mut self.input).take(want).read_to_end(buf)?;
            if (n as u64) < want {
                self.eof = true;
            }
        }
        Ok(())
    }

    /// Reads the first chunk ahead, so that its first line can be looked
    /// at.
    fn fill_first(&mut self) -> io::Result<()> {
        let mut buf = std::mem::take(&mut self.carry);
        self.fill(&mut buf)?;
        self.carry = buf;
        self.carry_full = true;
        Ok(())
    }

    fn first_line(&self) -> Option<&[u8]> {
        if self.carry.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', &self.carry).unwrap_or(self.carry.len());
        Some(&self.carry[..end])
    }

    /// What was read ahead, and the rest of the input.
    fn into_parts(self) -> (Vec<u8>, R) {
        (self.carry, self.input)
    }

    fn recycle(&mut self, mut buf: Vec<u8>) {
        if self.pool.len() < 4 {
            buf.clear();
            self.pool.push(buf);
        }
    }

    fn next_piece(&mut self) -> io::Result<Option<Piece>> {
        let mut buf = self.pool.pop().unwrap_or_default();
        buf.clear();
        // Exactly a chunk: reading must not double the buffer.
        buf.reserve_exact(self.target);
        if self.carry_full {
            std::mem::swap(&mut buf, &mut self.carry);
            self.carry_full = false;
        } else {
            buf.extend_from_slice(&self.carry);
            self.carry.clear();
        }
        self.fill(&mut buf)?;
        if buf.is_empty() {
            return Ok(None);
        }
        let first = self.next_line;
        if self.eof && buf.len() < self.target {
            self.next_line += count_lines(&buf);
            return Ok(Some(Piece::Lines { bytes: buf, first }));
        }
        match memchr::memrchr(b'\n', &buf) {
            Some(p) => {
                self.carry.extend_from_slice(&buf[p + 1..]);
                buf.truncate(p + 1);
                self.next_line += count_lines(&buf);
                Ok(Some(Piece::Lines { bytes: buf, first }))
            }
            None => {
                // A line longer than a chunk, so over the cap: count it and
                // drop it.
                let mut len = buf.len();
                loop {
                    buf.clear();
                    let n = (&mut self.input).take(self.target as u64).read_to_end(&mut buf)?;
                    if n == 0 {
                        self.eof = true;
                        break;
                    }
                    if let Some(p) = memchr::memchr(b'\n', &buf) {
                        len += p;
                        self.carry.extend_from_slice(&buf[p + 1..]);
                        break;
                    }
                    len += n;
                }
                self.recycle(buf);
                self.next_line += 1;
                Ok(Some(Piece::TooLong { number: first, len }))
            }
        }
    }
}

/// Lines in a chunk: its newlines, plus a last line without one.
fn count_lines(b: &[u8]) -> u64 {
    let n = memchr::memchr_iter(b'\n', b).count() as u64;
    n + u64::from(b.last().is_some_and(|&c| c != b'\n'))
}

/// A checked piece, waiting for its turn.
struct Done<A> {
    seq: u64,
    piece: Piece,
    start: Block,
    end: Block,
    acc: A,
    summary: Summary,
    batch: Batch,
}

/// Checks one piece from `start`.
#[allow(clippy::too_many_arguments)]
fn work<M: Mode, A>(
    mode: &M,
    seq: u64,
    piece: Piece,
    start: Block,
    v: &mut Checker,
    new: &(impl Fn() -> A + Sync),
    each: &(impl Fn(&mut A, Event<'_, '_, '_>) -> io::Result<()> + Sync),
) -> io::Result<Done<A>> {
    let max = v.policy().max_line_len;
    let mut acc = new();
    let mut summary = Summary::default();
    let mut batch = Batch::new();
    let mut state = start;
    match &piece {
        Piece::TooLong { number, len } => {
            let raw = RawLine::TooLong {
                number: *number,
                len: *len,
            };
            mode.line(raw, max, v, &mut state, &mut batch, &mut summary, &mut |e| {
                each(&mut acc, e)
            })?;
        }
        Piece::Lines { bytes, first } => {
            let mut number = *first;
            let mut rest = &bytes[..];
            while !rest.is_empty() {
                let (line, next) = match memchr::memchr(b'\n', rest) {
                    Some(p) => (&rest[..p], &rest[p + 1..]),
                    None => (rest, &rest[rest.len()..]),
                };
                let raw = if line.len() > max {
                    RawLine::TooLong {
                        number,
                        len: line.len(),
                    }
                } else {
                    RawLine::Line { number, bytes: line }
                };
                mode.line(raw, max, v, &mut state, &mut batch, &mut summary, &mut |e| {
                    each(&mut acc, e)
                })?;
                number += 1;
                rest = next;
            }
        }
    }
    Ok(Done {
        seq,
        piece,
        start,
        end: state,
        acc,
        summary,
        batch,
    })
}

fn add(total: &mut Summary, s: &Summary) {
    total.valid += s.valid;
    total.invalid += s.invalid;
}

#[allow(clippy::too_many_arguments)]
fn run<M: Mode, R: Read, A: Send>(
    mode: &M,
    chunks: &mut Chunker<R>,
    v: &Checker,
    par: Parallel,
    batch: &mut Batch,
    new: &(impl Fn() -> A + Sync),
    each: &(impl Fn(&mut A, Event<'_, '_, '_>) -> io::Result<()> + Sync),
    mut sink: impl FnMut(A) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut mine = v.clone();
    let mut total = Summary::default();
    let mut state = Block::default();
    if par.threads <= 1 {
        let mut seq = 0;
        while let Some(piece) = chunks.next_piece()? {
            let done = work(mode, seq, piece, state, &mut mine, new, each)?;
            seq += 1;
            state = done.end;
            add(&mut total, &done.summary);
            let mut b = done.batch;
            batch.append(&mut b);
            sink(done.acc)?;
            if let Piece::Lines { bytes, .. } = done.piece {
                chunks.recycle(bytes);
            }
        }
    } else {
        let (job_tx, job_rx) = mpsc::channel::<(u64, Piece)>();
        let job_rx = Mutex::new(job_rx);
        let (done_tx, done_rx) = mpsc::channel::<std::thread::Result<io::Result<Done<A>>>>();
        std::thread::scope(|scope| -> io::Result<()> {
            let mut workers = Vec::with_capacity(par.threads);
            for _ in 0..par.threads {
                let (job_rx, done_tx) = (&job_rx, done_tx.clone());
                let mut v = v.clone();
                workers.push(scope.spawn(move || {
                    loop {
                        // Take the lock only to receive.
                        let job = job_rx.lock().map_err(|_| ()).and_then(|rx| rx.recv().map_err(|_| ()));
                        let Ok((seq, piece)) = job else { break };
                        // A panic (a bug: untrusted input must never cause
                        // one) is handed to the calling thread, which would
                        // otherwise wait for this chunk forever.
                        let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            work(mode, seq, piece, Block::default(), &mut v, new, each)
                        }));
                        let stop = done.is_err();
                        if done_tx.send(done).is_err() || stop {
                            break;
                        }
                    }
                }));
            }
            drop(done_tx);
            let result = (|| {
                // Enough to keep every worker busy while the calling
                // thread writes; each chunk in flight holds its input and
                // its output.
                let limit = par.threads * 2 + 1;
                let (mut seq, mut next, mut in_flight) = (0u64, 0u64, 0usize);
                let mut pending: BTreeMap<u64, Done<A>> = BTreeMap::new();
                let mut reading = true;
                loop {
                    while let Some(mut done) = pending.remove(&next) {
                        if done.start != state {
                            // The previous chunk ended inside a block:
                            // this one again, from there.
                            done = work(mode, done.seq, done.piece, state, &mut mine, new, each)?;
                        }
                        state = done.end;
                        add(&mut total, &done.summary);
                        batch.append(&mut done.batch);
                        sink(done.acc)?;
                        if let Piece::Lines { bytes, .. } = done.piece {
                            chunks.recycle(bytes);
                        }
                        next += 1;
                        in_flight -= 1;
                    }
                    while reading && in_flight < limit {
                        match chunks.next_piece()? {
                            None => reading = false,
                            Some(piece) => {
                                job_tx
                                    .send((seq, piece))
                                    .map_err(|_| io::Error::other("a worker thread stopped"))?;
                                seq += 1;
                                in_flight += 1;
                            }
                        }
                    }
                    if !reading && in_flight == 0 {
                        return Ok(());
                    }
                    let done = match done_rx.recv() {
                        Ok(Ok(done)) => done?,
                        Ok(Err(panic)) => std::panic::resume_unwind(panic),
                        Err(_) => return Err(io::Error::other("a worker thread stopped")),
                    };
                    pending.insert(done.seq, done);
                }
            })();
            drop(job_tx);
            // Joined by hand: the scope's own wait ends when each worker's
            // closure has returned, before its thread has exited (run its
            // thread-local destructors, freed its handle); a join waits for
            // the thread itself, so no worker outlives this call.
            // (LeakSanitizer, in the parallel fuzz target, once caught a
            // worker's thread bookkeeping still allocated just after return.)
            for w in workers {
                if let Err(panic) = w.join() {
                    std::panic::resume_unwind(panic);
                }
            }
            result
        })?;
    }
    let mut acc = new();
    mode.end(&mut total, &mut |e| each(&mut acc, e))?;
    sink(acc)?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(input: &[u8], chunk: usize, max: usize) -> Vec<(u64, Result<Vec<u8>, usize>)> {
        let mut c = Chunker::new(input, chunk, max);
        let mut out = Vec::new();
        while let Some(p) = c.next_piece().unwrap() {
            out.push(match p {
                Piece::Lines { bytes, first } => (first, Ok(bytes)),
                Piece::TooLong { number, len } => (number, Err(len)),
            });
        }
        out
    }

    #[test]
    fn chunks_are_whole_lines_numbered_in_order() {
        let input = b"aa\nbb\ncc\ndd\nee";
        let p = pieces(input, 4, 2);
        let joined: Vec<u8> = p.iter().flat_map(|(_, b)| b.clone().unwrap()).collect();
        assert_eq!(joined, input);
        let mut next = 1;
        for (first, b) in &p {
            let b = b.as_ref().unwrap();
            assert_eq!(*first, next);
            assert!(b.ends_with(b"\n") || first + count_lines(b) - 1 == 5);
            next += count_lines(b);
        }
        assert_eq!(next, 6);
    }

    #[test]
    fn a_line_longer_than_a_chunk_is_counted_not_kept() {
        let mut input = b"ok\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 100_000));
        input.extend_from_slice(b"\nlast\n");
        let p = pieces(&input, 16, 8);
        assert_eq!(p[0], (1, Ok(b"ok\n".to_vec())));
        assert_eq!(p[1], (2, Err(100_000)));
        assert_eq!(p[2], (3, Ok(b"last\n".to_vec())));
        // And at the end of the input, without a newline.
        let p = pieces(&input[..input.len() - 6], 16, 8);
        assert_eq!(p[1], (2, Err(100_000)));
        assert_eq!(p.len(), 2);
    }
}
