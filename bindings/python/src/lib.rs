//! `keyvet._keyvet`: the engine for Python. Every function returns JSON
//! records the command line prints (`keyvet::json_lines`): the very bytes of
//! `keyvet check --json`, `keyvet vet --json` and the cloud APIs' bodies of
//! `keyvet import`; the Python package (`python/keyvet/`) turns them into
//! objects. The engine runs with the GIL released.

#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use keyvet::policy::{self, Policy, Switches};
use keyvet::stream::{self, Batch, Event};
use keyvet::weak::{Blocklist, Check};
use keyvet::{Checker, LineFormat, json_lines};
use keyvet_cloud::{MemoryStore, RandomIds};
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
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
        let mut p: Policy = s.apply(preset).map_err(|e| PyValueError::new_err(e.to_string()))?;
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
/// recognised), handing each record to `emit`; then the records of the
/// lines that share a prime.
fn records<R: BufRead>(
    input: R,
    file: &str,
    mut checker: Checker,
    mut emit: impl FnMut(Vec<u8>) -> io::Result<()>,
) -> io::Result<()> {
    let severity = checker.policy().screening.severity;
    let mut batch = Batch::new();
    let mut out = Vec::new();
    stream::check_into(input, &mut checker, 0, &mut batch, |event| {
        match event {
            Event::Key { line, checked, .. } => json_lines::valid(&mut out, file, line, checked)?,
            Event::Invalid { line, error, findings } => json_lines::invalid(&mut out, file, line, &error, &findings)?,
            _ => return Ok(()),
        }
        emit(std::mem::take(&mut out))
    })?;
    for x in batch.shared() {
        json_lines::shared_prime(&mut out, file, x.line, file, x.other_line, severity)?;
        emit(std::mem::take(&mut out))?;
    }
    Ok(())
}

/// One record, without its line end.
fn record_string(mut r: Vec<u8>) -> String {
    if r.last() == Some(&b'\n') {
        r.pop();
    }
    String::from_utf8_lossy(&r).into_owned()
}

/// The JSON records (one string each) of every key line of `data`, as
/// `keyvet check --json` prints them for a file named `file`.
#[pyfunction]
fn check_text(py: Python<'_>, data: &[u8], file: &str, options: Options) -> PyResult<Vec<String>> {
    let checker = options.checker()?;
    py.detach(|| {
        let mut all = Vec::new();
        records(data, file, checker, |r| {
            all.push(record_string(r));
            Ok(())
        })
        .map(|()| all)
    })
    .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The JSON record of one key line (file `-`, line 1), valid or not: what
/// `Checker::check_file_line` says of it, blank and comment lines included.
#[pyfunction]
fn check_line(py: Python<'_>, line: &[u8], options: Options) -> PyResult<String> {
    let mut v = options.checker()?;
    let out = py
        .detach(|| -> io::Result<Vec<u8>> {
            let mut out = Vec::new();
            match v.check_file_line(line) {
                Ok(c) => json_lines::valid(&mut out, "-", 1, &c)?,
                Err(e) => {
                    let findings = *v.last_findings();
                    json_lines::invalid(&mut out, "-", 1, &e, &findings)?;
                }
            }
            Ok(out)
        })
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(record_string(out))
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

/// What the worker of a [`Records`] stream sends: a record, or the error
/// that ended the stream.
type Item = Result<String, PyErr>;

/// The records of a file or of a Python iterable of lines, checked on a
/// worker thread while Python consumes them: one line (or block) is in
/// memory at a time, and a consumer that stops early stops the worker.
#[pyclass(module = "keyvet._keyvet")]
struct Records {
    rx: Mutex<Receiver<Item>>,
    ready: Mutex<VecDeque<Item>>,
}

/// Records a worker has made but Python has not taken, at most.
const IN_FLIGHT: usize = 1024;

#[pymethods]
impl Records {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<String>> {
        let poisoned = |_| PyValueError::new_err("the stream's worker failed");
        if let Some(item) = self.ready.lock().map_err(poisoned)?.pop_front() {
            return item.map(Some);
        }
        // Wait for one with the GIL released (the worker may need it to
        // pull lines from a Python iterable), then take what is there. No
        // lock is held across the wait but the receiver's.
        let rx = &self.rx;
        let got = py.detach(|| -> Option<Vec<Item>> {
            let rx = rx.lock().ok()?;
            let first = rx.recv().ok()?;
            Some(std::iter::once(first).chain(rx.try_iter().take(IN_FLIGHT)).collect())
        });
        let mut ready = self.ready.lock().map_err(poisoned)?;
        ready.extend(got.into_iter().flatten());
        ready.pop_front().transpose()
    }
}

/// Starts the worker over `input`; its error (an I/O error, or the Python
/// iterable's exception) ends the stream.
fn spawn<R: BufRead + Send + 'static>(
    input: impl FnOnce() -> io::Result<R> + Send + 'static,
    file: String,
    checker: Checker,
) -> Records {
    let (tx, rx) = sync_channel::<Item>(IN_FLIGHT);
    std::thread::spawn(move || {
        let send = |tx: &SyncSender<Item>, r: Vec<u8>| {
            tx.send(Ok(record_string(r)))
                .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the consumer went away"))
        };
        let result = input().and_then(|i| records(i, &file, checker, |r| send(&tx, r)));
        if let Err(e) = result
            && e.kind() != io::ErrorKind::BrokenPipe
        {
            let err = match e.downcast::<PyErr>() {
                Ok(py_err) => py_err,
                Err(e) => PyOSError::new_err(format!("{file}: {e}")),
            };
            let _ = tx.send(Err(err));
        }
    });
    Records {
        rx: Mutex::new(rx),
        ready: Mutex::new(VecDeque::new()),
    }
}

/// The records of the file at `path`, streamed (`keyvet check --json PATH`).
#[pyfunction]
fn stream_file(path: String, options: Options) -> PyResult<Records> {
    let checker = options.checker()?;
    let open_path = path.clone();
    Ok(spawn(
        move || Ok(BufReader::with_capacity(64 * 1024, File::open(&open_path)?)),
        path,
        checker,
    ))
}

/// The records of the lines a Python iterable yields (str or bytes, with or
/// without their line ends), streamed, as a file named `file`.
#[pyfunction]
fn stream_lines(lines: &Bound<'_, PyAny>, file: String, options: Options) -> PyResult<Records> {
    let checker = options.checker()?;
    let iter: Py<PyIterator> = lines.try_iter()?.unbind();
    Ok(spawn(move || Ok(PyLines::new(iter)), file, checker))
}

/// A Python iterable of lines as a [`BufRead`]: items are pulled (with the
/// GIL) a buffer at a time; an item without a line end gets one.
struct PyLines {
    iter: Py<PyIterator>,
    buf: Vec<u8>,
    pos: usize,
    done: bool,
}

/// Bytes pulled from the iterable before the engine reads them.
const PULL: usize = 64 * 1024;

impl PyLines {
    fn new(iter: Py<PyIterator>) -> PyLines {
        PyLines {
            iter,
            buf: Vec::new(),
            pos: 0,
            done: false,
        }
    }

    fn pull(&mut self) -> io::Result<()> {
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
    let all: Vec<Value> = keyvet_cloud::ALL
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id,
                "quota": p.quota,
                "name": p.params.name,
                "public_key": p.params.public_key,
                "region": p.params.region,
                "project": p.params.project,
                "resource_group": p.params.resource_group,
                "documented_types": p.documented_types,
            })
        })
        .collect();
    Value::Array(all).to_string()
}

/// The engine's version.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _keyvet(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check_text, m)?)?;
    m.add_function(wrap_pyfunction!(check_line, m)?)?;
    m.add_function(wrap_pyfunction!(vet, m)?)?;
    m.add_function(wrap_pyfunction!(convert, m)?)?;
    m.add_function(wrap_pyfunction!(stream_file, m)?)?;
    m.add_function(wrap_pyfunction!(stream_lines, m)?)?;
    m.add_function(wrap_pyfunction!(import_key_pair, m)?)?;
    m.add_function(wrap_pyfunction!(profiles, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_class::<Records>()?;
    m.add_class::<Store>()?;
    Ok(())
}
