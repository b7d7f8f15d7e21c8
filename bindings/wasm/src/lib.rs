//! keyvet for the browser and Node (wasm-bindgen): `check`, `checkLine`,
//! `vet`, `fingerprint` and `convert`, returning plain JavaScript objects
//! shaped exactly like the command line's `--json` objects. The records are
//! written by the engine's `keyvet::json_lines`, as the CLI's are.
//!
//! Inputs are strings or `Uint8Array`s (bytes: a file read as it is);
//! options are a plain object: `policy` (`"strict"`, the default, or
//! `"openssh"`), `format` (`"auto"`, `"authorized-keys"`, `"known-hosts"`),
//! `enable`, `disable`, `allow`, `deny` (a string or an array of them),
//! `noBuiltinBlocklist`, `minRsaBits`, `blocklist` (the text of a blocklist
//! file) and, for `vet`, `repair`.
//!
//! With the `cloud` feature (a default): `importKeyPair`, `Store` and
//! `profiles`, the cloud providers' ImportKeyPair as `keyvet import`
//! answers it.

#![forbid(unsafe_code)]

use keyvet::policy::{self, Switches};
use keyvet::stream::{self, Batch, Event};
use keyvet::{Checker, LineFormat, json_lines};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "cloud")]
mod profiles;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A string, or bytes read as they are (a file's contents). */
export type Input = string | Uint8Array;

/** The command line's switches. */
export interface Options {
  /** "strict" (uploads, the default) or "openssh" (OpenSSH 9.2's verdicts). */
  policy?: "strict" | "openssh";
  format?: "auto" | "authorized-keys" | "known-hosts";
  /** Weak-key check ids (weak.rsa.roca, ...) or "all". */
  enable?: string | string[];
  disable?: string | string[];
  noBuiltinBlocklist?: boolean;
  minRsaBits?: number;
  /** Algorithm names. */
  allow?: string | string[];
  deny?: string | string[];
  /** The text of a blocklist file: SHA256 fingerprints or badkeys hashes. */
  blocklist?: string;
  /** vet: accept the paste mistakes keyvet repairs without guessing. */
  repair?: boolean;
}

/** What weak-key screening found. */
export interface Finding {
  id: string;
  severity: "error" | "warning";
  message: string;
  reference: string;
  detail?: number;
}

/** Why a line or an upload is refused: a stable code, what to fix, where. */
export interface KeyvetError {
  code: string;
  message: string;
  line?: number;
  byte?: number;
  field?: string;
  offset?: number;
  in_signature_key?: boolean;
}

/** A record of `keyvet check --json`. */
export interface CheckRecord {
  file: string;
  line: number;
  valid: boolean;
  algorithm?: string;
  bits?: number;
  sha256?: string;
  md5?: string;
  comment?: string | null;
  options?: string[];
  marker?: string | null;
  hosts?: string[] | null;
  hashed?: boolean;
  error?: KeyvetError;
  findings: Finding[];
  shares_prime_with?: { file: string; line: number };
}

/** The record of `keyvet vet --json`. */
export type VetRecord =
  | {
      valid: true;
      line: string;
      openssh: string;
      algorithm: string;
      bits: number;
      sha256: string;
      md5: string;
      comment: string | null;
      options: string[];
      findings: Finding[];
      converted_from: string | null;
      repairs: { code: string; message: string }[];
    }
  | { valid: false; error: KeyvetError };

/** What `convert` gives. */
export type Conversion =
  | {
      valid: true;
      line: string;
      format: string;
      format_name: string;
      encrypted: boolean;
      openssh_cannot_load: string | null;
    }
  | { valid: false; error: KeyvetError };
"#;

/// One string or several: what `enable`, `disable`, `allow` and `deny`
/// take.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn list(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// The options object, as JavaScript passes it.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    policy: Option<String>,
    format: Option<String>,
    enable: OneOrMany,
    disable: OneOrMany,
    no_builtin_blocklist: bool,
    min_rsa_bits: Option<u32>,
    allow: OneOrMany,
    deny: OneOrMany,
    blocklist: Option<String>,
    repair: bool,
}

fn options(value: &JsValue) -> Result<Options, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::default());
    }
    let text: String = js_sys::JSON::stringify(value)
        .map_err(|_| JsError::new("options: not a plain object"))?
        .into();
    serde_json::from_str(&text).map_err(|e| JsError::new(&format!("options: {e}")))
}

/// The checker the options describe, as the command line builds it.
fn checker(o: Options) -> Result<Checker, JsError> {
    let preset = match o.policy.as_deref().unwrap_or("strict") {
        "strict" => policy::STRICT,
        "openssh" => policy::OPENSSH,
        other => {
            return Err(JsError::new(&format!(
                "unknown policy {other:?}: \"strict\" or \"openssh\""
            )));
        }
    };
    let format = match o.format.as_deref().unwrap_or("auto") {
        "auto" => LineFormat::Auto,
        "authorized-keys" => LineFormat::AuthorizedKeys,
        "known-hosts" => LineFormat::KnownHosts,
        other => {
            return Err(JsError::new(&format!(
                "unknown format {other:?}: \"auto\", \"authorized-keys\" or \"known-hosts\""
            )));
        }
    };
    let switches = Switches {
        enable: o.enable.list(),
        disable: o.disable.list(),
        no_builtin_blocklist: o.no_builtin_blocklist,
        min_rsa_bits: o.min_rsa_bits,
        allow: o.allow.list(),
        deny: o.deny.list(),
    };
    let mut p = switches.apply(preset).map_err(|e| JsError::new(&e.to_string()))?;
    p.repair_pastes |= o.repair;
    let c = match o.blocklist {
        None => Checker::new(p),
        Some(text) => with_blocklist(p, &text)?,
    };
    Ok(c.with_line_format(format))
}

/// A checker that also refuses the keys of a blocklist file's text.
#[cfg(feature = "weak")]
fn with_blocklist(mut p: policy::Policy, text: &str) -> Result<Checker, JsError> {
    use keyvet::weak::{Blocklist, Check};
    let list = Blocklist::parse(text).map_err(|e| JsError::new(&format!("blocklist: {e}")))?;
    p.screening.checks = p.screening.checks.with(Check::Blocklist);
    Ok(Checker::new(p).with_blocklist(std::sync::Arc::new(list)))
}

/// Blocklists are weak-key screening, which this build leaves out.
#[cfg(not(feature = "weak"))]
fn with_blocklist(_: policy::Policy, _: &str) -> Result<Checker, JsError> {
    Err(JsError::new(
        "blocklist: this build of keyvet-wasm has no weak-key screening (the `weak` feature)",
    ))
}

/// The bytes of a string (UTF-8) or of a `Uint8Array`.
fn bytes(input: &JsValue) -> Result<Vec<u8>, JsError> {
    bytes_at_most(input, usize::MAX)
}

/// The first `max` bytes of a string (UTF-8) or of a `Uint8Array`, copying
/// no more than that into the module's memory: `vet` and `convert` refuse
/// an input over their limit by its length alone. A UTF-16 code unit is at
/// least one UTF-8 byte, so a string's first `max` code units hold its
/// first `max` bytes.
fn bytes_at_most(input: &JsValue, max: usize) -> Result<Vec<u8>, JsError> {
    let max32 = u32::try_from(max).unwrap_or(u32::MAX);
    if let Some(s) = input.dyn_ref::<js_sys::JsString>() {
        let head = if s.length() > max32 {
            s.slice(0, max32)
        } else {
            s.clone()
        };
        let mut b = String::from(head).into_bytes();
        b.truncate(max);
        return Ok(b);
    }
    if let Some(a) = input.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(a.subarray(0, a.length().min(max32)).to_vec());
    }
    Err(JsError::new("the input must be a string or a Uint8Array"))
}

/// JSON text to a JavaScript value.
pub(crate) fn parse(json: &[u8]) -> Result<JsValue, JsError> {
    let text = String::from_utf8_lossy(json);
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("internal error: a record is not JSON"))
}

fn io(e: std::io::Error) -> JsError {
    JsError::new(&e.to_string())
}

/// The records of every key line of `input`, as `keyvet check --json`
/// prints them for a file named `file` (default `-`): blank and `#` lines
/// skipped, PEM blocks and private keys recognised, then the lines that
/// share an RSA prime.
#[wasm_bindgen(unchecked_return_type = "CheckRecord[]")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "Input")] input: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options_: &JsValue,
    file: Option<String>,
) -> Result<JsValue, JsError> {
    let data = bytes(input)?;
    let mut v = checker(options(options_)?)?;
    let file = file.unwrap_or_else(|| "-".to_owned());
    let severity = v.policy().screening.severity;
    let mut batch = Batch::new();
    let mut out = b"[".to_vec();
    let mut first = true;
    let mut sep = |out: &mut Vec<u8>| {
        if !std::mem::take(&mut first) {
            out.push(b',');
        }
    };
    stream::check_into(&data[..], &mut v, 0, &mut batch, |event| match event {
        Event::Key { line, checked, .. } => {
            sep(&mut out);
            json_lines::valid(&mut out, &file, line, checked)
        }
        Event::Invalid { line, error, findings } => {
            sep(&mut out);
            json_lines::invalid(&mut out, &file, line, &error, &findings)
        }
        _ => Ok(()),
    })
    .map_err(io)?;
    for x in batch.shared() {
        sep(&mut out);
        json_lines::shared_prime(&mut out, &file, x.line, &file, x.other_line, severity).map_err(io)?;
    }
    out.push(b']');
    parse(&out)
}

/// The record of one key line (file `-`, line 1), valid or not.
#[wasm_bindgen(js_name = checkLine, unchecked_return_type = "CheckRecord")]
pub fn check_line(
    #[wasm_bindgen(unchecked_param_type = "Input")] line: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options_: &JsValue,
) -> Result<JsValue, JsError> {
    let data = bytes(line)?;
    let mut v = checker(options(options_)?)?;
    let mut out = Vec::new();
    match v.check_file_line(&data) {
        Ok(c) => json_lines::valid(&mut out, "-", 1, &c).map_err(io)?,
        Err(e) => {
            let findings = *v.last_findings();
            json_lines::invalid(&mut out, "-", 1, &e.with_line(1), &findings).map_err(io)?;
        }
    }
    parse(&out)
}

/// One upload, as an "add SSH key" form receives it: the record of
/// `keyvet vet --json` (private keys refused, paste mistakes named; with
/// `repair: true` the repairable ones repaired).
#[wasm_bindgen(unchecked_return_type = "VetRecord")]
pub fn vet(
    #[wasm_bindgen(unchecked_param_type = "Input")] upload: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options_: &JsValue,
) -> Result<JsValue, JsError> {
    let data = bytes_at_most(upload, keyvet::vet::MAX_UPLOAD + 1)?;
    let v = checker(options(options_)?)?;
    let mut out = Vec::new();
    json_lines::vetted(&mut out, &keyvet::vet::vet_with(&data, &v)).map_err(io)?;
    parse(&out)
}

/// The fingerprint of one key line as `ssh-keygen -l` prints it:
/// `hash` is `"sha256"` (the default) or `"md5"`. Throws for a line the
/// policy (default `openssh`) refuses, with the error's code.
#[wasm_bindgen]
pub fn fingerprint(
    #[wasm_bindgen(unchecked_param_type = "Input")] line: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "\"sha256\" | \"md5\" | undefined")] hash: Option<String>,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options_: &JsValue,
) -> Result<String, JsError> {
    let data = bytes(line)?;
    let mut o = options(options_)?;
    o.policy.get_or_insert_with(|| "openssh".to_owned());
    let mut v = checker(o)?;
    let c = v
        .check_file_line(&data)
        .map_err(|e| JsError::new(&format!("{e} [{}]", e.code())))?;
    match hash.as_deref().unwrap_or("sha256") {
        "sha256" => Ok(c.sha256().to_string()),
        "md5" => Ok(c.md5().to_string()),
        other => Err(JsError::new(&format!("unknown hash {other:?}: \"sha256\" or \"md5\""))),
    }
}

/// `keyvet convert` as one object: `{valid: true, line, format,
/// format_name, encrypted, openssh_cannot_load}` or `{valid: false,
/// error}`; the line is checked against the policy.
#[wasm_bindgen(unchecked_return_type = "Conversion")]
pub fn convert(
    #[wasm_bindgen(unchecked_param_type = "Input")] input: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options_: &JsValue,
) -> Result<JsValue, JsError> {
    let data = bytes_at_most(input, keyvet::convert::MAX_INPUT + 1)?;
    let mut v = checker(options(options_)?)?;
    let value = match keyvet::convert::to_openssh(&data) {
        Err(e) => Conversion::Refused { valid: false, error: e },
        Ok(c) => {
            let line = c.line();
            match v.check_line(&line) {
                Err(e) => Conversion::Refused { valid: false, error: e },
                Ok(_) => Conversion::Converted {
                    valid: true,
                    line: String::from_utf8_lossy(&line).into_owned(),
                    format: c.format().name(),
                    format_name: c.format().to_string(),
                    encrypted: c.was_encrypted(),
                    openssh_cannot_load: c.openssh_cannot_load(),
                },
            }
        }
    };
    let json = serde_json::to_vec(&value).map_err(|e| JsError::new(&e.to_string()))?;
    parse(&json)
}

/// What `convert` returns, its fields in the order of the TypeScript
/// declaration.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Conversion {
    Converted {
        valid: bool,
        line: String,
        format: &'static str,
        format_name: String,
        encrypted: bool,
        openssh_cannot_load: Option<&'static str>,
    },
    Refused {
        valid: bool,
        error: keyvet::Error,
    },
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
