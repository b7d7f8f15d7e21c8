//! `keyvet inspect`: certificates as `ssh-keygen -L` shows them, keys with
//! their sizes and fingerprints, and with `-v` the listing and randomart of
//! `ssh-keygen -lv`.
//!
//! Without `-v` the lines are read as `ssh-keygen -L` reads them
//! (`do_show_cert` in OpenSSH 9.2's ssh-keygen.c): leading blanks skipped,
//! `#` lines skipped, every other line one `type base64 [comment]` key (no
//! options, no host field). A certificate is printed byte for byte as
//! ssh-keygen prints it, after `FILE:` (its first line) or `FILE:LINE:`
//! (`(stdin):LINE:` on standard input); a plain key gets a block of the same
//! shape; any other line is reported on standard error.
//!
//! With `-v` (and without `--json`) the output is that of `ssh-keygen -lv
//! [-E md5] -f FILE`: for every key the `ssh-keygen -l` line, then the
//! randomart, read as ssh-keygen -l reads (options and host fields skipped,
//! private key files).
//!
//! Exit status, as ssh-keygen's: 0 when every input has a key or
//! certificate, 1 when one has none (ssh-keygen -L's "no certificate"; with
//! `-v`, 255 as ssh-keygen -l's fatal "is not a public key file"), 255 when
//! an input cannot be read or a certificate's options are corrupt (ssh-keygen
//! -L's `fatal`).
//!
//! Deliberate differences from ssh-keygen -L:
//! * several inputs in one run, and plain keys shown rather than refused
//!   ("is not a certificate" on standard error);
//! * a certificate whose options ssh-keygen -L cannot print (a known option
//!   with data where none belongs, a `force-command` or `source-address`
//!   value that is not one string without NUL, an option name with a NUL):
//!   ssh-keygen dies (exit 255) in the middle of printing it, and whatever
//!   stdio had not flushed is lost (all of it when the output is a pipe and
//!   short); keyvet prints nothing of that certificate, says why on standard
//!   error, prints the certificates before it and stops with 255;
//! * times past what glibc's `localtime` can represent (years beyond the C
//!   `int` range, from about 2^56 seconds; `valid_before` at 2^63 or more is
//!   clamped to 2^63 - 1 by ssh-keygen first): glibc fails and ssh-keygen
//!   prints the `struct tm` it half filled: the year wrapped to 32 bits, the
//!   hour, minute and second, and a month and day never written (stack
//!   contents, which print as `01-00` on Debian 12's ssh-keygen). keyvet
//!   prints the same year and time and `01-00`; the offset used is the one
//!   the zone has at the end of year 9999 (glibc uses the offset of the last
//!   transition stored in the zone file, which is that one for the zones
//!   tested).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::process::ExitCode;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use keyvet::cert::CertOptions;
use keyvet::listing::Escaped;
use keyvet::stream::{self, Event, Source};
use keyvet::{CertReport, Certificate, Checked, Checker, HashAlg, Key, policy, randomart};
use serde_json::{Map, Value, json};

/// The options of `keyvet inspect`.
#[derive(Debug)]
pub(crate) struct InspectArgs {
    pub(crate) json: bool,
    pub(crate) verbose: bool,
    pub(crate) hash: HashAlg,
    pub(crate) files: Vec<String>,
}

/// ssh-keygen's exit status for a fatal error.
const FATAL: u8 = 255;

/// What the inputs came to.
#[derive(Debug, Default)]
struct Status {
    /// An input without any key or certificate.
    empty: bool,
    /// An input that could not be read, or a fatal certificate.
    fatal: bool,
}

/// Runs `keyvet inspect`, writes to `out` (flushed) and returns the exit
/// status.
pub(crate) fn main<W: Write>(args: &InspectArgs, out: &mut W) -> ExitCode {
    let tz = TimeZone::system();
    let stdin_only = [String::from("-")];
    let files = if args.files.is_empty() {
        &stdin_only[..]
    } else {
        &args.files[..]
    };
    let mut status = Status::default();
    let result = (|| -> io::Result<()> {
        for name in files {
            let Some(input) = open(name) else {
                status.fatal = true;
                continue;
            };
            let shown = if args.verbose && !args.json {
                listing(name, input, args.hash, out)?
            } else {
                match show_file(name, input, args, &tz, out)? {
                    Shown::Some => true,
                    Shown::None => false,
                    Shown::Fatal => {
                        status.fatal = true;
                        return Ok(());
                    }
                }
            };
            status.empty |= !shown;
        }
        Ok(())
    })();
    let flushed = out.flush();
    match result.and(flushed) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keyvet: {e}");
            return ExitCode::from(FATAL);
        }
    }
    if status.fatal || (status.empty && args.verbose && !args.json) {
        ExitCode::from(FATAL)
    } else if status.empty {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// How an input went.
enum Shown {
    /// At least one key or certificate was shown.
    Some,
    /// None.
    None,
    /// A fatal error (reported): stop.
    Fatal,
}

/// The input, or `None` when it cannot be opened (said on standard error).
fn open(name: &str) -> Option<Box<dyn BufRead>> {
    if name == "-" {
        return Some(Box::new(BufReader::new(io::stdin())));
    }
    match File::open(name) {
        Ok(f) => Some(Box::new(BufReader::new(f))),
        Err(e) => {
            eprintln!("keyvet: {name}: {e}");
            None
        }
    }
}

/// `-v`: `ssh-keygen -lv [-E md5]` for one input. Whether a key was shown.
fn listing<W: Write>(name: &str, input: Box<dyn BufRead>, alg: HashAlg, out: &mut W) -> io::Result<bool> {
    let mut v = Checker::new(policy::OPENSSH);
    let mut emit = |event: Event<'_, '_, '_>| -> io::Result<()> {
        match event {
            Event::Key { checked, comment, .. } => {
                writeln!(out, "{}", checked.listing_line_with(alg, comment))?;
                writeln!(out, "{}", randomart::of_key(checked.key(), alg))
            }
            Event::Invalid { line, error, .. } if line > 0 => {
                eprintln!("{name}:{line}: {error} [{}]", error.code());
                Ok(())
            }
            _ => Ok(()),
        }
    };
    let summary = if name == "-" {
        stream::listing(input, Source::Stdin, &mut v, &mut emit)?
    } else {
        let pubname = format!("{name}.pub");
        let pub_file = || File::open(&pubname).ok().map(BufReader::new);
        stream::listing_file(input, name, pub_file, &mut v, &mut emit)?
    };
    if summary.valid == 0 {
        eprintln!("keyvet: {name} is not a public key file.");
    }
    Ok(summary.valid > 0)
}

/// `ssh-keygen -L` (or `--json`) for one input.
fn show_file<W: Write>(
    name: &str,
    mut input: Box<dyn BufRead>,
    args: &InspectArgs,
    tz: &TimeZone,
    out: &mut W,
) -> io::Result<Shown> {
    let stdin = name == "-";
    let path = if stdin { "(stdin)" } else { name };
    let mut v = Checker::new(policy::OPENSSH);
    let mut raw = Vec::new();
    let mut lnum = 0u64;
    let mut any = false;
    loop {
        raw.clear();
        if input.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        lnum += 1;
        let start = raw.iter().position(|&b| b != b' ' && b != b'\t').unwrap_or(raw.len());
        let cp = &raw[start..];
        if cp.is_empty() || cp[0] == b'#' {
            continue;
        }
        let line = cp.strip_suffix(b"\n").unwrap_or(cp);
        let header = if !stdin && lnum == 1 {
            format!("{path}:\n")
        } else {
            format!("{path}:{lnum}:\n")
        };
        let mut block = Vec::new();
        match v.check_key_line(line) {
            Err(e) => {
                if args.json {
                    let o = json!({"file": name, "line": lnum, "valid": false, "error": e});
                    writeln!(out, "{o}")?;
                }
                eprintln!("{path}:{lnum}: invalid key: {e} [{}]", e.code());
                continue;
            }
            Ok(checked) => {
                if args.json {
                    let o = json_object(name, lnum, &checked, args.verbose);
                    writeln!(out, "{o}")?;
                } else {
                    block.extend_from_slice(header.as_bytes());
                    let shown = match checked.key() {
                        Key::Cert(c) => print_cert(&mut block, c, args.hash, tz),
                        Key::Plain(_) => print_key(&mut block, &checked, args.hash),
                    };
                    if let Err(why) = shown {
                        eprintln!("{path}:{lnum}: {why}");
                        return Ok(Shown::Fatal);
                    }
                    out.write_all(&block)?;
                }
                any = true;
            }
        }
    }
    Ok(if any { Shown::Some } else { Shown::None })
}

/// Bytes up to a trailing NUL: what C's `%s` prints of a string OpenSSH read
/// with `sshbuf_get_cstring` (which refuses any other NUL).
fn cstr(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\0").unwrap_or(b)
}

/// The block `ssh-keygen -L` prints for a certificate (`print_cert`),
/// without the `FILE:` line; the error is the fatal one of ssh-keygen.
fn print_cert(o: &mut Vec<u8>, c: &Certificate<'_>, alg: HashAlg, tz: &TimeZone) -> Result<(), &'static str> {
    let ca = c.signature_key();
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        s,
        "        Type: {} {} certificate",
        c.algorithm().name(),
        c.cert_type()
    );
    let _ = writeln!(
        s,
        "        Public key: {} {}",
        c.algorithm().short_name(),
        c.key().fingerprint(alg)
    );
    o.extend_from_slice(s.as_bytes());
    s.clear();
    let _ = write!(
        s,
        "        Signing CA: {} {} (using ",
        keyvet::Algorithm::plain(ca.key().key_type()).short_name(),
        ca.key().fingerprint(alg)
    );
    o.extend_from_slice(s.as_bytes());
    o.extend_from_slice(c.signature().algorithm());
    o.extend_from_slice(b")\n        Key ID: \"");
    o.extend_from_slice(cstr(c.key_id()));
    o.extend_from_slice(b"\"\n");
    s.clear();
    let _ = writeln!(s, "        Serial: {}", c.serial().unwrap_or(0));
    let _ = writeln!(s, "        Valid: {}", validity(c.valid_after(), c.valid_before(), tz));
    s.push_str("        Principals: ");
    o.extend_from_slice(s.as_bytes());
    if c.principals().is_empty() {
        o.extend_from_slice(b"(none)\n");
    } else {
        for p in c.principals().iter() {
            o.extend_from_slice(b"\n                ");
            o.extend_from_slice(cstr(p));
        }
        o.extend_from_slice(b"\n");
    }
    o.extend_from_slice(b"        Critical Options: ");
    show_options(o, c.critical_options(), true)?;
    o.extend_from_slice(b"        Extensions: ");
    show_options(o, c.extensions(), false)
}

/// The extensions ssh-keygen -L prints as bare flags.
const FLAG_EXTENSIONS: [&[u8]; 6] = [
    b"permit-X11-forwarding",
    b"permit-agent-forwarding",
    b"permit-port-forwarding",
    b"permit-pty",
    b"permit-user-rc",
    b"no-touch-required",
];

/// ssh-keygen.c's `show_options`, after the list's title.
fn show_options(o: &mut Vec<u8>, opts: &CertOptions<'_>, critical: bool) -> Result<(), &'static str> {
    const CORRUPT: &str = "Option corrupt: extra data at end";
    if opts.is_empty() {
        o.extend_from_slice(b"(none)\n");
        return Ok(());
    }
    o.extend_from_slice(b"\n");
    for opt in opts.iter() {
        if opt
            .name
            .iter()
            .position(|&b| b == 0)
            .is_some_and(|i| i + 1 < opt.name.len())
        {
            return Err("parse option: invalid format");
        }
        let name = cstr(opt.name);
        o.extend_from_slice(b"                ");
        o.extend_from_slice(name);
        let flag = if critical {
            name == b"verify-required"
        } else {
            FLAG_EXTENSIONS.contains(&name)
        };
        if flag {
            o.extend_from_slice(b"\n");
            if !opt.data.is_empty() {
                return Err(CORRUPT);
            }
        } else if critical && (name == b"force-command" || name == b"source-address") {
            let (value, rest) = match keyvet::wire::string(opt.data) {
                Ok((rest, value)) => (value, rest),
                Err(_) => return Err("parse critical: incomplete message"),
            };
            if value.iter().position(|&b| b == 0).is_some_and(|i| i + 1 < value.len()) {
                return Err("parse critical: invalid format");
            }
            o.extend_from_slice(b" ");
            o.extend_from_slice(cstr(value));
            o.extend_from_slice(b"\n");
            if !rest.is_empty() {
                return Err(CORRUPT);
            }
        } else if !opt.data.is_empty() {
            let mut s = String::from(" UNKNOWN OPTION: ");
            for b in opt.data {
                let _ = write!(s, "{b:02x}");
            }
            let _ = writeln!(s, " (len {})", opt.data.len());
            o.extend_from_slice(s.as_bytes());
        } else {
            o.extend_from_slice(b" UNKNOWN FLAG OPTION\n");
        }
    }
    Ok(())
}

/// A plain key, in the shape of a certificate's block.
fn print_key(o: &mut Vec<u8>, k: &Checked<'_, '_>, alg: HashAlg) -> Result<(), &'static str> {
    let a = k.algorithm();
    let mut s = String::new();
    let _ = writeln!(s, "        Type: {} public key", a.name());
    let _ = writeln!(s, "        Public key: {} {}", a.short_name(), k.fingerprint(alg));
    let _ = writeln!(s, "        Size: {} bits", k.bits());
    let _ = writeln!(s, "        Fingerprints: {} {}", k.sha256(), k.md5());
    match k.line().comment_bytes() {
        Some(c) => {
            let _ = writeln!(s, "        Comment: \"{}\"", Escaped(c));
        }
        None => s.push_str("        Comment: (none)\n"),
    }
    o.extend_from_slice(s.as_bytes());
    Ok(())
}

/// `sshkey_format_cert_validity`.
fn validity(after: u64, before: u64, tz: &TimeZone) -> String {
    match (after, before) {
        (0, u64::MAX) => "forever".to_owned(),
        (0, b) => format!("before {}", local_time(b, tz)),
        (a, u64::MAX) => format!("after {}", local_time(a, tz)),
        (a, b) => format!("from {} to {}", local_time(a, tz), local_time(b, tz)),
    }
}

const DAY: i128 = 86_400;
/// Seconds in 400 Gregorian years (a whole number of weeks too).
const CYCLE: i64 = 146_097 * 86_400;

/// Year, month, day of a day number since 1970-01-01 (proleptic
/// Gregorian, any range).
fn civil(days: i128) -> (i128, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i128::from(m <= 2);
    (y, m, d)
}

/// Whether glibc's `struct tm` holds this year (`tm_year` is an `int`).
fn tm_holds(year: i128) -> bool {
    i32::try_from(year - 1900).is_ok()
}

/// The zone's UTC offset at `t` (seconds, 0 <= t <= 2^63 - 1). Past jiff's
/// range (year 9999), the instant 400 years back, repeatedly: the Gregorian
/// calendar, the weekdays and so a POSIX zone rule repeat every 400 years.
fn offset_at(tz: &TimeZone, t: i64) -> i64 {
    let max = Timestamp::MAX.as_second();
    let mut s = t;
    if s > max {
        s -= ((s - max) / CYCLE + 1) * CYCLE;
    }
    Timestamp::from_second(s).map_or(0, |ts| i64::from(tz.to_offset(ts).seconds()))
}

/// misc.c's `format_absolute_time`: glibc `localtime_r` and `strftime`
/// `%Y-%m-%dT%H:%M:%S` of `t` clamped to 2^63 - 1, in the zone of TZ (see
/// the module documentation for years glibc cannot hold).
fn local_time(t: u64, tz: &TimeZone) -> String {
    let tt = i64::try_from(t).unwrap_or(i64::MAX);
    let (utc_year, _, _) = civil(i128::from(tt).div_euclid(DAY));
    let offset = if tm_holds(utc_year) {
        offset_at(tz, tt)
    } else {
        i64::from(tz.to_offset(Timestamp::MAX).seconds())
    };
    let local = i128::from(tt) + i128::from(offset);
    let (y, m, d) = civil(local.div_euclid(DAY));
    let secs = local.rem_euclid(DAY);
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    if tm_holds(y) {
        format!("{}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}", year(y))
    } else {
        // tm_year wrapped to an int; month and day never written.
        let wrapped = i128::from((y - 1900) as i32) + 1900;
        format!("{}-01-00T{hh:02}:{mm:02}:{ss:02}", year(wrapped))
    }
}

/// glibc's `%Y`: at least four digits, a sign when negative.
fn year(y: i128) -> String {
    if y < 0 {
        format!("-{:04}", -y)
    } else {
        format!("{y:04}")
    }
}

/// RFC 3339 in UTC, or null at the open ends (0, `u64::MAX`) and past year
/// 9999 (which RFC 3339 cannot write).
fn rfc3339(t: u64, open: u64) -> Value {
    if t == open {
        return Value::Null;
    }
    i64::try_from(t)
        .ok()
        .and_then(|s| Timestamp::from_second(s).ok())
        .map_or(Value::Null, |ts| Value::String(ts.to_string()))
}

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Bytes as JSON text (invalid UTF-8 replaced by U+FFFD).
fn text(b: &[u8]) -> Value {
    Value::String(String::from_utf8_lossy(b).into_owned())
}

/// Critical options or extensions: `{"name", "value"}` with `value` null
/// for a flag (no data) and the text of the value when the data is one
/// UTF-8 string; otherwise `{"name", "value_hex"}`, the hex of the string's
/// bytes (or of the whole data when it is not one string).
fn options_json(opts: &CertOptions<'_>) -> Value {
    opts.iter()
        .map(|o| {
            let mut m = Map::new();
            m.insert("name".into(), text(cstr(o.name)));
            if o.data.is_empty() {
                m.insert("value".into(), Value::Null);
            } else {
                let v = o.value().unwrap_or(o.data);
                match (o.value(), std::str::from_utf8(v)) {
                    (Some(_), Ok(t)) => m.insert("value".into(), Value::String(t.to_owned())),
                    _ => m.insert("value_hex".into(), Value::String(hex(v))),
                };
            }
            Value::Object(m)
        })
        .collect()
}

/// The `--json` object of a key or certificate line.
fn json_object(file: &str, line: u64, k: &Checked<'_, '_>, verbose: bool) -> Value {
    let mut o = Map::new();
    o.insert("file".into(), file.into());
    o.insert("line".into(), line.into());
    o.insert("valid".into(), true.into());
    o.insert(
        "kind".into(),
        if k.algorithm().is_cert() { "certificate" } else { "key" }.into(),
    );
    o.insert("algorithm".into(), k.algorithm().name().into());
    o.insert("bits".into(), k.bits().into());
    o.insert("sha256".into(), k.sha256().to_string().into());
    o.insert("md5".into(), k.md5().to_string().into());
    o.insert("comment".into(), k.line().comment_bytes().map_or(Value::Null, text));
    if let Key::Cert(c) = k.key() {
        let r = CertReport::of(c);
        let ca = c.signature_key();
        o.insert(
            "certificate".into(),
            json!({
                "type": r.cert_type.to_string(),
                "key_id": text(cstr(c.key_id())),
                "serial": r.serial,
                "principals": c.principals().iter().map(|p| text(cstr(p))).collect::<Vec<_>>(),
                "valid_after": r.valid_after,
                "valid_before": r.valid_before,
                "valid_after_utc": rfc3339(r.valid_after, 0),
                "valid_before_utc": rfc3339(r.valid_before, u64::MAX),
                "critical_options": options_json(c.critical_options()),
                "extensions": options_json(c.extensions()),
                "key": {
                    "algorithm": keyvet::Algorithm::plain(c.key().key_type()).name(),
                    "bits": k.bits(),
                    "sha256": k.sha256().to_string(),
                    "md5": k.md5().to_string(),
                },
                "signing_ca": {
                    "algorithm": r.ca_algorithm.name(),
                    "bits": ca.key().bits(),
                    "sha256": r.ca_sha256.to_string(),
                    "md5": ca.key().fingerprint(HashAlg::Md5).to_string(),
                },
                "signature_algorithm": r.signature_algorithm,
            }),
        );
    }
    if verbose {
        o.insert(
            "randomart_sha256".into(),
            randomart::of_key(k.key(), HashAlg::Sha256).to_string().into(),
        );
        o.insert(
            "randomart_md5".into(),
            randomart::of_key(k.key(), HashAlg::Md5).to_string().into(),
        );
    }
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(t: u64) -> String {
        local_time(t, &TimeZone::UTC)
    }

    #[test]
    fn times_as_glibc_prints_them() {
        assert_eq!(utc(0), "1970-01-01T00:00:00");
        assert_eq!(utc(1), "1970-01-01T00:00:01");
        assert_eq!(utc(4_294_967_296), "2106-02-07T06:28:16");
        assert_eq!(utc(0x100_0000_0000), "36812-02-20T00:36:16");
        // Past tm_year: the wrapped year, month and day unwritten.
        assert_eq!(utc(u64::MAX - 1), "219250468-01-00T15:30:07");
        assert_eq!(utc(1 << 63), "219250468-01-00T15:30:07");
        assert_eq!(utc((1 << 63) - 2), "219250468-01-00T15:30:06");
        assert_eq!(utc(0xff_ffff_ffff_ffff), "-2011551072-01-00T12:52:15");
    }

    #[test]
    fn civil_round_trip() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(-1), (1969, 12, 31));
        assert_eq!(civil(11_016), (2000, 2, 29));
    }
}
