//! `keyvet._keyvet`: the engine for Python. Every function returns the
//! JSON Lines records of `keyvet check --json` (`keyvet::json_lines`), the
//! very bytes the command line prints, and the Python package
//! (`python/keyvet/__init__.py`) turns them into objects. The engine runs
//! with the GIL released.

#![forbid(unsafe_code)]

use std::io;

use keyvet::policy::{self, Policy, Switches};
use keyvet::stream::{self, Batch, Event};
use keyvet::{Checker, LineFormat, json_lines};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

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
}

impl Options {
    /// The preset with the switches applied, and the line format.
    fn build(self) -> PyResult<(Policy, LineFormat)> {
        let preset = match self.policy.as_str() {
            "strict" => policy::STRICT,
            "openssh" => policy::OPENSSH,
            name => {
                return Err(PyValueError::new_err(format!(
                    "unknown policy {name:?}: \"strict\" or \"openssh\""
                )));
            }
        };
        let s = Switches {
            enable: self.enable,
            disable: self.disable,
            no_builtin_blocklist: self.no_builtin_blocklist,
            min_rsa_bits: self.min_rsa_bits,
            allow: self.allow,
            deny: self.deny,
        };
        let p = s.apply(preset).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok((p, line_format(&self.format)?))
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

/// The records of every key line of `data` (as the command line reads a
/// file: blank and `#` lines skipped, PEM blocks and private keys
/// recognised), then those of the lines that share a prime.
fn records(data: &[u8], file: &str, p: Policy, format: LineFormat) -> io::Result<Vec<u8>> {
    let mut v = Checker::new(p).with_line_format(format);
    let mut batch = Batch::new();
    let mut out = Vec::new();
    stream::check_into(data, &mut v, 0, &mut batch, |event| match event {
        Event::Key { line, checked, .. } => json_lines::valid(&mut out, file, line, checked),
        Event::Invalid { line, error, findings } => json_lines::invalid(&mut out, file, line, &error, &findings),
        _ => Ok(()),
    })?;
    for x in batch.shared() {
        json_lines::shared_prime(&mut out, file, x.line, file, x.other_line, p.screening.severity)?;
    }
    Ok(out)
}

/// The JSON records (one string each) of every key line of `data`, as
/// `keyvet check --json` prints them for a file named `file`.
#[pyfunction]
fn check_text(py: Python<'_>, data: &[u8], file: &str, options: Options) -> PyResult<Vec<String>> {
    let (p, format) = options.build()?;
    let out = py
        .detach(|| records(data, file, p, format))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(String::from_utf8_lossy(&out).lines().map(str::to_owned).collect())
}

/// The JSON record of one key line (file `-`, line 1), valid or not: what
/// `Checker::check_file_line` says of it, blank and comment lines included.
#[pyfunction]
fn check_line(py: Python<'_>, line: &[u8], options: Options) -> PyResult<String> {
    let (p, format) = options.build()?;
    let out = py
        .detach(|| -> io::Result<Vec<u8>> {
            let mut v = Checker::new(p).with_line_format(format);
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
    Ok(String::from_utf8_lossy(&out).trim_end().to_owned())
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
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
