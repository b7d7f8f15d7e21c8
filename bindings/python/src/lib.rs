//! `keyvet._keyvet`: the engine for Python. Every function returns JSON
//! records the command line prints (`keyvet::json_lines`): the very bytes of
//! `keyvet check --json`, `keyvet vet --json` and the cloud APIs' bodies of
//! `keyvet import`; the Python package (`python/keyvet/`) turns them into
//! objects. The engine runs with the GIL released.

#![forbid(unsafe_code)]

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};

use keyvet::policy::{self, Switches};
use keyvet::screening::Severity;
use keyvet::stream::{self, Batch, Event};
use keyvet::weak::{Blocklist, Check};
use keyvet::{Checker, Fingerprint, LineFormat, json_lines};
use keyvet_cloud::{MemoryStore, RandomIds};
use pyo3::exceptions::{PyAttributeError, PyKeyError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyIterator, PyString};
use serde_json::{Map, Value};

/// The policy and line format a call asks for: the preset by name and the
/// command line's switches, from the dict the Python layer passes.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Options {
    policy: String,
    format: String,
    enable: Vec<String>,
    disable: Vec<String>,
    no_builtin_blocklist: bool,
    min_rsa_bits: Option<u32>,
    allow: Vec<String>,
    deny: Vec<String>,
    /// The text of a blocklist file (`--blocklist`), if any.
    blocklist: Option<String>,
    /// Accept the paste mistakes keyvet repairs (`keyvet vet --repair`).
    repair: bool,
}

impl Options {
    /// The checker of the preset with the switches applied and the
    /// blocklist, as `keyvet check` and `keyvet vet` build it.
    fn checker(self) -> PyResult<Checker> {
        let preset = match self.policy.as_str() {
            "strict" => policy::STRICT,
            "openssh" => policy::OPENSSH,
            name => {
                return Err(PyValueError::new_err(format!(
                    "unknown policy {name:?}: \"strict\" or \"openssh\""
                )));
            }
        };
        let format = line_format(&self.format)?;
        let s = Switches {
            enable: self.enable,
            disable: self.disable,
            no_builtin_blocklist: self.no_builtin_blocklist,
            min_rsa_bits: self.min_rsa_bits,
            allow: self.allow,
            deny: self.deny,
        };
        let mut p: keyvet::Policy = s.apply(preset).map_err(|e| PyValueError::new_err(e.to_string()))?;
        p.repair_pastes |= self.repair;
        let checker = match self.blocklist {
            None => Checker::new(p),
            Some(text) => {
                let list = Blocklist::parse(&text).map_err(|e| PyValueError::new_err(format!("blocklist: {e}")))?;
                p.screening.checks = p.screening.checks.with(Check::Blocklist);
                Checker::new(p).with_blocklist(Arc::new(list))
            }
        };
        Ok(checker.with_line_format(format))
    }
}

fn line_format(name: &str) -> PyResult<LineFormat> {
    match name {
        "auto" => Ok(LineFormat::Auto),
        "authorized-keys" => Ok(LineFormat::AuthorizedKeys),
        "known-hosts" => Ok(LineFormat::KnownHosts),
        _ => Err(PyValueError::new_err(format!(
            "unknown format {name:?}: \"auto\", \"authorized-keys\" or \"known-hosts\""
        ))),
    }
}

/// Checks every line `input` yields as `keyvet check --json` checks a file
/// named `file` (blank and `#` lines skipped, PEM blocks and private keys
/// recognised), handing each verdict to `emit`; then the verdicts of the
/// lines that share a prime.
fn records<R: BufRead>(
    input: R,
    whole: Option<&Arc<[u8]>>,
    file: &str,
    checker: &mut Checker,
    mut emit: impl FnMut(Verdict) -> io::Result<()>,
) -> io::Result<()> {
    let severity = checker.policy().screening.severity;
    let template = Arc::new(checker.clone());
    let name: Arc<str> = Arc::from(file);
    let mut batch = Batch::new();
    let mut out = Vec::new();
    let mut lines = whole.map(|w| LineIndex::new(Arc::clone(w)));
    stream::check_into(input, checker, 0, &mut batch, |event| {
        let v = match event {
            Event::Key { line, checked, .. } => {
                let source = lines.as_mut().and_then(|l| l.line(line));
                Verdict::key(&mut out, &name, line, checked, &template, source)?
            }
            Event::Invalid { line, error, findings } => {
                json_lines::invalid(&mut out, file, line, &error, &findings)?;
                Verdict::other(&mut out, &name, line, false)
            }
            _ => return Ok(()),
        };
        emit(v)
    })?;
    for x in batch.shared() {
        json_lines::shared_prime(&mut out, file, x.line, file, x.other_line, severity)?;
        emit(Verdict::other(&mut out, &name, x.line, severity != Severity::Error))?;
    }
    Ok(())
}

/// One record, without its line end; `r` is cleared for the next one
/// and keeps its capacity.
fn take_record(r: &mut Vec<u8>) -> String {
    let end = r.len() - usize::from(r.last() == Some(&b'\n'));
    let s = String::from_utf8_lossy(&r[..end]).into_owned();
    r.clear();
    s
}

/// One record, without its line end.
fn record_string(mut r: Vec<u8>) -> String {
    take_record(&mut r)
}

/// What a valid key line's verdict holds natively, so that reading it costs
/// no JSON parse.
struct KeyFields {
    algorithm: &'static str,
    bits: u32,
    sha256: Fingerprint,
    comment: Comment,
}

/// A valid line's comment: where it is in the line kept for the record, or
/// a copy (known_hosts lines, whose records are made at once).
enum Comment {
    None,
    At(usize, usize),
    Owned(String),
}

/// The JSON record and the MD5 fingerprint: made when the verdict is made,
/// or for a valid key line when first asked for.
struct Full {
    record: String,
    md5: Option<String>,
}

/// How to make a valid key line's [`Full`] record: check the line again
/// with the same checker (a check is a pure function of the line and the
/// policy). Most callers read the verdict and the SHA-256 fingerprint
/// only; the MD5 hash and the JSON text are then never made.
struct Lazy {
    line: Source,
    checker: Arc<Checker>,
}

/// The bytes of one line: a range of a whole text the verdicts share, or
/// a copy.
enum Source {
    Shared { text: Arc<[u8]>, start: usize, end: usize },
    Owned(Box<[u8]>),
}

impl Source {
    fn bytes(&self) -> &[u8] {
        match self {
            Source::Shared { text, start, end } => text.get(*start..*end).unwrap_or_default(),
            Source::Owned(b) => b,
        }
    }
}

/// Whether `given` is the line `parsed` was parsed from (the parser drops
/// a line end).
fn is_line(given: &[u8], parsed: &[u8]) -> bool {
    let given = given.strip_suffix(b"\n").unwrap_or(given);
    given.strip_suffix(b"\r").unwrap_or(given) == parsed
}

/// Finds the lines of a whole text by number, for lines asked in rising
/// order (as the stream reports them): one pass over the text in all.
struct LineIndex {
    text: Arc<[u8]>,
    /// The number of the line that starts at `at`.
    number: u64,
    at: usize,
}

impl LineIndex {
    fn new(text: Arc<[u8]>) -> LineIndex {
        LineIndex { text, number: 1, at: 0 }
    }

    /// Line `n` (1-based) without its line feed, if the text has it.
    fn line(&mut self, n: u64) -> Option<Source> {
        while self.number < n {
            let next = memchr::memchr(b'\n', self.text.get(self.at..)?)?;
            self.at += next + 1;
            self.number += 1;
        }
        if self.number != n {
            return None;
        }
        let rest = self.text.get(self.at..)?;
        let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        Some(Source::Shared {
            text: Arc::clone(&self.text),
            start: self.at,
            end: self.at + len,
        })
    }
}

/// keyvet's verdict on one line: the command line's JSON record. The
/// fields most read (`valid`, `file`, `line`, `algorithm`, `bits`, `sha256`,
/// `md5`, `comment`) are attributes read without parsing the record; every
/// other key of the record (`options`, `findings`, `marker`, `hosts`,
/// `hashed`, `shares_prime_with`) is an attribute too, and an absent key
/// reads as `None`. `error` is a `KeyvetError` for an invalid line, else
/// `None`; `to_dict()` gives the record exactly as `keyvet check --json`
/// prints it, `to_json()` its text.
#[pyclass(frozen, module = "keyvet", name = "Verdict")]
struct Verdict {
    file: Arc<str>,
    line: u64,
    valid: bool,
    key: Option<KeyFields>,
    full: OnceLock<Full>,
    lazy: Option<Lazy>,
    parsed: OnceLock<Py<PyAny>>,
}

impl Verdict {
    /// The verdict of a valid key line. `source` is the line as given to
    /// `check_file_line` when the caller has it; else the line is rebuilt
    /// from what was parsed (a known_hosts line's record is made now).
    fn key(
        out: &mut Vec<u8>,
        file: &Arc<str>,
        line: u64,
        c: &keyvet::Checked<'_, '_>,
        checker: &Arc<Checker>,
        source: Option<Source>,
    ) -> io::Result<Verdict> {
        let sha256 = c.sha256();
        let l = c.line();
        // The line as given, when it is the line parsed (a known_hosts
        // line's parsed part is not: its record is made now).
        let source = match source {
            Some(s) if c.host_line().is_none() && is_line(s.bytes(), l.raw()) => Some(s),
            _ if c.host_line().is_none() => {
                let mut b = l.raw().to_vec();
                if l.ended_with_cr() {
                    b.push(b'\r');
                }
                Some(Source::Owned(b.into_boxed_slice()))
            }
            _ => None,
        };
        let comment = match (l.comment_bytes(), &source) {
            (None, _) => Comment::None,
            (Some(t), Some(src)) => {
                // The comment's place in the line as given: the parsed
                // line is that line without its line end.
                let at = l.comment_offset();
                match src.bytes().get(at..at + t.len()) {
                    Some(b) if b == t => Comment::At(at, at + t.len()),
                    _ => Comment::Owned(String::from_utf8_lossy(t).into_owned()),
                }
            }
            (Some(t), None) => Comment::Owned(String::from_utf8_lossy(t).into_owned()),
        };
        let mut v = Verdict {
            file: Arc::clone(file),
            line,
            valid: true,
            key: Some(KeyFields {
                algorithm: c.algorithm().name(),
                bits: c.bits(),
                sha256,
                comment,
            }),
            full: OnceLock::new(),
            lazy: None,
            parsed: OnceLock::new(),
        };
        match source {
            Some(line) => {
                v.lazy = Some(Lazy {
                    line,
                    checker: Arc::clone(checker),
                });
            }
            None => {
                let md5 = c.md5();
                json_lines::valid_with(out, file, line, c, &sha256, &md5)?;
                let _ = v.full.set(Full {
                    record: take_record(out),
                    md5: Some(md5.to_string()),
                });
            }
        }
        Ok(v)
    }

    /// The verdict of any other record (in `out`).
    fn other(out: &mut Vec<u8>, file: &Arc<str>, line: u64, valid: bool) -> Verdict {
        let full = OnceLock::new();
        let _ = full.set(Full {
            record: take_record(out),
            md5: None,
        });
        Verdict {
            file: Arc::clone(file),
            line,
            valid,
            key: None,
            full,
            lazy: None,
            parsed: OnceLock::new(),
        }
    }

    /// The record and MD5 fingerprint, made on first use.
    fn full(&self) -> PyResult<&Full> {
        if let Some(f) = self.full.get() {
            return Ok(f);
        }
        let Some(lazy) = &self.lazy else {
            return Err(PyValueError::new_err("a verdict without its record"));
        };
        let mut checker = Checker::clone(&lazy.checker);
        let c = checker
            .check_file_line(lazy.line.bytes())
            .map_err(|e| PyValueError::new_err(format!("line {} no longer checks the same: {e}", self.line)))?;
        let (sha256, md5) = (c.sha256(), c.md5());
        let mut out = Vec::new();
        json_lines::valid_with(&mut out, &self.file, self.line, &c, &sha256, &md5)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let _ = self.full.set(Full {
            record: take_record(&mut out),
            md5: Some(md5.to_string()),
        });
        self.full
            .get()
            .ok_or_else(|| PyValueError::new_err("a verdict without its record"))
    }

    fn record(&self) -> PyResult<&str> {
        self.full().map(|f| f.record.as_str())
    }

    /// The record as a dict, parsed once.
    fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(d) = self.parsed.get() {
            return Ok(d.bind(py).clone());
        }
        let d = loads(py, self.record()?)?;
        let _ = self.parsed.set(d.clone().unbind());
        Ok(d)
    }

    fn get<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.dict(py)?.get_item(name) {
            Ok(v) => Ok(v),
            Err(e) if e.is_instance_of::<PyKeyError>(py) => Ok(py.None().into_bound(py)),
            Err(e) => Err(e),
        }
    }
}

/// `json.loads(text)`.
fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

#[pymethods]
impl Verdict {
    #[getter]
    fn valid(&self) -> bool {
        self.valid
    }

    #[getter]
    fn file(&self) -> &str {
        &self.file
    }

    #[getter]
    fn line(&self) -> u64 {
        self.line
    }

    #[getter]
    fn algorithm(&self) -> Option<&'static str> {
        self.key.as_ref().map(|k| k.algorithm)
    }

    #[getter]
    fn bits(&self) -> Option<u32> {
        self.key.as_ref().map(|k| k.bits)
    }

    #[getter]
    fn sha256(&self) -> Option<String> {
        self.key.as_ref().map(|k| k.sha256.to_string())
    }

    #[getter]
    fn md5(&self) -> PyResult<Option<&str>> {
        if self.key.is_none() {
            return Ok(None);
        }
        Ok(self.full()?.md5.as_deref())
    }

    #[getter]
    fn comment(&self) -> Option<Cow<'_, str>> {
        let k = self.key.as_ref()?;
        match &k.comment {
            Comment::None => None,
            Comment::Owned(s) => Some(Cow::Borrowed(s.as_str())),
            Comment::At(a, b) => {
                let line = self.lazy.as_ref()?.line.bytes();
                Some(String::from_utf8_lossy(line.get(*a..*b)?))
            }
        }
    }

    /// The error of an invalid line (a `KeyvetError`), else `None`.
    #[getter]
    fn error<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if self.key.is_some() {
            return Ok(py.None().into_bound(py));
        }
        let d = self.dict(py)?;
        if d.get_item("error").is_err() {
            return Ok(py.None().into_bound(py));
        }
        py.import("keyvet")?
            .getattr("KeyvetError")?
            .call1((loads(py, self.record()?)?,))
    }

    /// The record as `keyvet check --json` prints it (a fresh dict).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, self.record()?)
    }

    /// The record as `keyvet check --json` prints it: one line of JSON.
    fn to_json(&self) -> PyResult<&str> {
        self.record()
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        if name.starts_with('_') {
            return Err(PyAttributeError::new_err(name.to_owned()));
        }
        self.get(py, name)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<Verdict>() {
            Ok(o) => Ok(o.get().record()? == self.record()?),
            Err(_) => Ok(false),
        }
    }

    fn __hash__(&self) -> PyResult<u64> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.record()?.hash(&mut h);
        Ok(h.finish())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        if let Some(k) = &self.key {
            return Ok(format!(
                "Verdict(valid, {} {} {}, line {})",
                k.algorithm, k.bits, k.sha256, self.line
            ));
        }
        let code = match self.dict(py)?.get_item("error") {
            Ok(e) => e.get_item("code")?.str()?.to_string(),
            Err(_) => "None".to_owned(),
        };
        let state = if self.valid { "valid" } else { "invalid" };
        Ok(format!("Verdict({state}, {code}, line {})", self.line))
    }
}

/// A policy, its switches and blocklist, ready to check: what
/// `keyvet.check` and friends build once per set of options and reuse.
#[pyclass(frozen, module = "keyvet._keyvet")]
struct Policy {
    checker: Mutex<Checker>,
    template: Arc<Checker>,
}

impl Policy {
    /// The checker, or a fresh copy when another thread is using it.
    fn with<T>(&self, f: impl FnOnce(&mut Checker) -> T) -> T {
        match self.checker.try_lock() {
            Ok(mut c) => f(&mut c),
            Err(_) => f(&mut Checker::clone(&self.template)),
        }
    }
}

#[pymethods]
impl Policy {
    #[new]
    fn new(options: Options) -> PyResult<Policy> {
        let template = options.checker()?;
        Ok(Policy {
            checker: Mutex::new(template.clone()),
            template: Arc::new(template),
        })
    }

    /// The verdicts of every key line of `data`, as `keyvet check --json`
    /// gives them for a file named `file`.
    fn check_text(&self, py: Python<'_>, data: &[u8], file: &str) -> PyResult<Vec<Verdict>> {
        py.detach(|| {
            // One copy of the text, which the verdicts share: a verdict
            // finds its line there when its record is asked for.
            let whole: Arc<[u8]> = Arc::from(data);
            self.with(|checker| {
                let mut all = Vec::new();
                records(&whole[..], Some(&whole), file, checker, |v| {
                    all.push(v);
                    Ok(())
                })
                .map(|()| all)
            })
        })
        .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The verdict of one key line (file `-`, line 1), valid or not: what
    /// `Checker::check_file_line` says of it, blank and comment lines
    /// included.
    fn check_line(&self, py: Python<'_>, line: &[u8]) -> PyResult<Verdict> {
        let name: Arc<str> = Arc::from("-");
        py.detach(|| {
            self.with(|v| -> io::Result<Verdict> {
                let mut out = Vec::new();
                match v.check_file_line(line) {
                    Ok(c) => Verdict::key(&mut out, &name, 1, &c, &self.template, Some(Source::Owned(line.into()))),
                    Err(e) => {
                        // Line 1 of a one-line text, as check_text says it.
                        let e = e.with_line(1);
                        let findings = *v.last_findings();
                        json_lines::invalid(&mut out, "-", 1, &e, &findings)?;
                        Ok(Verdict::other(&mut out, &name, 1, false))
                    }
                }
            })
        })
        .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The verdicts of the file at `path`, streamed (`keyvet check --json
    /// PATH`).
    fn stream_file(&self, path: String) -> Records {
        let open_path = path.clone();
        spawn(
            move |_| Ok(BufReader::with_capacity(64 * 1024, File::open(&open_path)?)),
            path,
            Checker::clone(&self.template),
        )
    }

    /// The verdicts of the lines a Python iterable yields (str or bytes,
    /// with or without their line ends), streamed, as a file named `file`.
    fn stream_lines(&self, lines: &Bound<'_, PyAny>, file: String) -> PyResult<Records> {
        let iter: Py<PyIterator> = lines.try_iter()?.unbind();
        Ok(spawn(
            move |outbox| Ok(PyLines::new(iter, outbox)),
            file,
            Checker::clone(&self.template),
        ))
    }
}

/// The record of `keyvet vet --json` for one upload. Only the first
/// `MAX_UPLOAD + 1` bytes are read, as the command line reads them: the
/// engine refuses a longer upload as `upload.too_large`.
#[pyfunction]
fn vet(py: Python<'_>, data: &[u8], options: Options) -> PyResult<String> {
    let checker = options.checker()?;
    let data = &data[..data.len().min(keyvet::vet::MAX_UPLOAD + 1)];
    let out = py
        .detach(|| {
            let mut out = Vec::new();
            json_lines::vetted(&mut out, &keyvet::vet::vet_with(data, &checker)).map(|()| out)
        })
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(record_string(out))
}

/// `keyvet convert` as one JSON object: `{"valid":true,"line":...,
/// "format":..., "format_name":..., "encrypted":..., "openssh_cannot_load":...}`,
/// or `{"valid":false,"error":...}`. The line is checked against the policy
/// as the command line checks it.
#[pyfunction]
fn convert(py: Python<'_>, data: &[u8], options: Options) -> PyResult<String> {
    let mut checker = options.checker()?;
    let data = &data[..data.len().min(keyvet::convert::MAX_INPUT + 1)];
    let value = py.detach(|| {
        let c = match keyvet::convert::to_openssh(data) {
            Ok(c) => c,
            Err(e) => return serde_json::json!({"valid": false, "error": e}),
        };
        let line = c.line();
        if let Err(e) = checker.check_line(&line) {
            return serde_json::json!({"valid": false, "error": e});
        }
        serde_json::json!({
            "valid": true,
            "line": String::from_utf8_lossy(&line),
            "format": c.format().name(),
            "format_name": c.format().to_string(),
            "encrypted": c.was_encrypted(),
            "openssh_cannot_load": c.openssh_cannot_load(),
        })
    });
    Ok(value.to_string())
}

/// What the worker of a [`Records`] stream sends: verdicts, or the error
/// that ended the stream.
type Item = Result<Vec<Verdict>, PyErr>;

/// The verdicts of a file or of a Python iterable of lines, checked on a
/// worker thread while Python consumes them: one line (or block) is in
/// memory at a time besides the verdicts in flight, and a consumer that
/// stops early stops the worker.
#[pyclass(module = "keyvet._keyvet")]
struct Records {
    rx: Mutex<Receiver<Item>>,
    ready: Mutex<(VecDeque<Verdict>, Option<PyErr>)>,
}

/// Verdicts handed over at once, and batches in flight at most: at most
/// `BATCH * (IN_FLIGHT + 2)` verdicts are held beyond what Python took.
const BATCH: usize = 128;
const IN_FLIGHT: usize = 8;

#[pymethods]
impl Records {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Verdict>> {
        let poisoned = |_| PyValueError::new_err("the stream's worker failed");
        {
            let mut ready = self.ready.lock().map_err(poisoned)?;
            if let Some(v) = ready.0.pop_front() {
                return Ok(Some(v));
            }
            if let Some(e) = ready.1.take() {
                return Err(e);
            }
        }
        // Wait with the GIL released (the worker may need it to pull lines
        // from a Python iterable), then take what is there. No lock is held
        // across the wait but the receiver's.
        let rx = &self.rx;
        let got = py.detach(|| -> Vec<Item> {
            let Ok(rx) = rx.lock() else { return Vec::new() };
            match rx.recv() {
                Ok(first) => std::iter::once(first).chain(rx.try_iter()).collect(),
                Err(_) => Vec::new(),
            }
        });
        let mut ready = self.ready.lock().map_err(poisoned)?;
        for item in got {
            match item {
                Ok(vs) => ready.0.extend(vs),
                Err(e) => ready.1 = Some(e),
            }
        }
        match ready.0.pop_front() {
            Some(v) => Ok(Some(v)),
            None => ready.1.take().map_or(Ok(None), Err),
        }
    }
}

/// The worker's side of a [`Records`] stream: verdicts gathered into
/// batches. The reader of a Python iterable flushes it before it waits for
/// more lines, so that a consumer never waits for verdicts already made.
struct Outbox {
    batch: RefCell<Vec<Verdict>>,
    tx: SyncSender<Item>,
}

impl Outbox {
    fn push(&self, v: Verdict) -> io::Result<()> {
        let full = {
            let mut b = self.batch.borrow_mut();
            b.push(v);
            if b.len() < BATCH {
                return Ok(());
            }
            std::mem::take(&mut *b)
        };
        self.send(full)
    }

    fn flush(&self) -> io::Result<()> {
        let b = std::mem::take(&mut *self.batch.borrow_mut());
        if b.is_empty() { Ok(()) } else { self.send(b) }
    }

    fn send(&self, b: Vec<Verdict>) -> io::Result<()> {
        self.tx
            .send(Ok(b))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the consumer went away"))
    }
}

/// Starts the worker over the input `open` gives (with the outbox, for
/// readers that must flush it); its error (an I/O error, or the Python
/// iterable's exception) ends the stream after the verdicts made before.
fn spawn<R: BufRead + 'static>(
    open: impl FnOnce(Rc<Outbox>) -> io::Result<R> + Send + 'static,
    file: String,
    mut checker: Checker,
) -> Records {
    let (tx, rx) = sync_channel::<Item>(IN_FLIGHT);
    std::thread::spawn(move || {
        let outbox = Rc::new(Outbox {
            batch: RefCell::new(Vec::with_capacity(BATCH)),
            tx: tx.clone(),
        });
        let result = open(Rc::clone(&outbox))
            .and_then(|i| records(i, None, &file, &mut checker, |v| outbox.push(v)))
            .and_then(|()| outbox.flush());
        if let Err(e) = result
            && e.kind() != io::ErrorKind::BrokenPipe
        {
            let err = match e.downcast::<PyErr>() {
                Ok(py_err) => py_err,
                Err(e) => PyOSError::new_err(format!("{file}: {e}")),
            };
            if outbox.flush().is_ok() {
                let _ = tx.send(Err(err));
            }
        }
    });
    Records {
        rx: Mutex::new(rx),
        ready: Mutex::new((VecDeque::new(), None)),
    }
}

/// A Python iterable of lines as a [`BufRead`]: items are pulled (with the
/// GIL) a buffer at a time; an item without a line end gets one.
struct PyLines {
    iter: Py<PyIterator>,
    outbox: Rc<Outbox>,
    buf: Vec<u8>,
    pos: usize,
    done: bool,
}

/// Bytes pulled from the iterable before the engine reads them.
const PULL: usize = 64 * 1024;

impl PyLines {
    fn new(iter: Py<PyIterator>, outbox: Rc<Outbox>) -> PyLines {
        PyLines {
            iter,
            outbox,
            buf: Vec::new(),
            pos: 0,
            done: false,
        }
    }

    fn pull(&mut self) -> io::Result<()> {
        self.outbox.flush()?;
        self.buf.clear();
        self.pos = 0;
        let (buf, iter) = (&mut self.buf, &self.iter);
        let done = Python::attach(|py| -> PyResult<bool> {
            let mut it = iter.bind(py).clone();
            while buf.len() < PULL {
                let Some(item) = it.next() else { return Ok(true) };
                let item = item?;
                let start = buf.len();
                if let Ok(s) = item.cast::<PyString>() {
                    buf.extend_from_slice(s.to_cow()?.as_bytes());
                } else if let Ok(b) = item.cast::<PyBytes>() {
                    buf.extend_from_slice(b.as_bytes());
                } else {
                    return Err(PyTypeError::new_err(format!(
                        "lines must be str or bytes, not {}",
                        item.get_type().name()?
                    )));
                }
                if buf.len() == start || buf.last() != Some(&b'\n') {
                    buf.push(b'\n');
                }
            }
            Ok(false)
        })
        .map_err(io::Error::other)?;
        self.done = done;
        Ok(())
    }
}

impl Read for PyLines {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let b = self.fill_buf()?;
            let n = b.len().min(out.len());
            out[..n].copy_from_slice(&b[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for PyLines {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.buf.len() && !self.done {
            self.pull()?;
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }
}

/// Key pairs of one account, in memory (what `keyvet import` serves a run
/// of requests against): names unique per scope, no key twice, the quota.
/// `projects` are the Tencent project IDs that exist besides 0;
/// `resource_groups` the Alibaba resource groups that exist.
#[pyclass(module = "keyvet._keyvet", frozen)]
struct Store {
    inner: MemoryStore,
}

#[pymethods]
impl Store {
    #[new]
    #[pyo3(signature = (projects = Vec::new(), resource_groups = Vec::new()))]
    fn new(projects: Vec<i64>, resource_groups: Vec<String>) -> Store {
        Store {
            inner: MemoryStore::new()
                .with_projects(projects)
                .with_resource_groups(resource_groups),
        }
    }
}

/// One import request of `profile` (its own parameter names, as a JSON
/// object), served against `store`: `(ok, HTTP status, JSON body, XML body
/// or None)`, the bodies as `keyvet import` prints them.
#[pyfunction]
#[pyo3(signature = (profile, request, store, quota = None))]
fn import_key_pair(
    py: Python<'_>,
    profile: &str,
    request: &str,
    store: &Store,
    quota: Option<usize>,
) -> PyResult<(bool, u16, String, Option<String>)> {
    let mut p = *keyvet_cloud::by_id(profile).ok_or_else(|| {
        let names: Vec<&str> = keyvet_cloud::ALL.iter().map(|p| p.id).collect();
        PyValueError::new_err(format!("unknown profile {profile:?}: one of {}", names.join(", ")))
    })?;
    if let Some(q) = quota {
        p.quota = q;
    }
    let params: Map<String, Value> = match serde_json::from_str(request) {
        Ok(Value::Object(o)) => o,
        _ => return Err(PyTypeError::new_err("the request must be a JSON object")),
    };
    Ok(py.detach(|| {
        let req = p.request_from_json(&params);
        match p.import(&req, &store.inner, &RandomIds) {
            Ok(ok) => (true, 200, ok.to_json().to_string(), ok.to_xml()),
            Err(e) => (false, e.http_status, e.to_json().to_string(), e.to_xml()),
        }
    }))
}

/// The profiles' names and the parameters each takes, as JSON: for the
/// Python layer's documentation and checks.
#[pyfunction]
fn profiles() -> String {
    let all: Vec<Value> = keyvet_cloud::ALL.iter().map(|p| p.describe()).collect();
    Value::Array(all).to_string()
}

/// The engine's version.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _keyvet(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(vet, m)?)?;
    m.add_function(wrap_pyfunction!(convert, m)?)?;
    m.add_function(wrap_pyfunction!(import_key_pair, m)?)?;
    m.add_function(wrap_pyfunction!(profiles, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_class::<Policy>()?;
    m.add_class::<Verdict>()?;
    m.add_class::<Records>()?;
    m.add_class::<Store>()?;
    Ok(())
}
