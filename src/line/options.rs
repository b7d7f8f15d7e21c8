//! authorized_keys options, as sshd(8) parses them (`sshauthopt_parse`).
//!
//! Grammar (sshd(8), AUTHORIZED_KEYS FILE FORMAT): a comma-separated list of
//! `name` or `name="value"`; names are case-insensitive; inside a value `\"`
//! is a literal quote and commas, spaces and `#` are plain characters. The
//! flags `agent-forwarding`, `port-forwarding`, `pty`, `user-rc`,
//! `x11-forwarding`, `touch-required` and `verify-required` also have a
//! `no-` form; `restrict` and `cert-authority` do not.
//!
//! Like sshd, keyvet rejects unknown options, a repeated `command`, `from` or
//! `principals`, malformed `environment`, `permitopen`, `permitlisten`,
//! `expiry-time` and `tunnel` values. Like sshd, it skips empty options
//! (`,restrict`, `a,,b`, and a trailing comma before the key); the strict
//! policy refuses them.

use std::fmt;
use std::net::IpAddr;

use crate::error::{Error, OptionError, Snippet};

/// An option sshd knows.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionName {
    /// `restrict`: turn off every forwarding, pty and user-rc.
    Restrict,
    /// `cert-authority`: the key is a CA for user certificates.
    CertAuthority,
    /// `[no-]port-forwarding`
    PortForwarding,
    /// `[no-]agent-forwarding`
    AgentForwarding,
    /// `[no-]x11-forwarding`
    X11Forwarding,
    /// `[no-]touch-required` (FIDO keys)
    TouchRequired,
    /// `[no-]verify-required` (FIDO keys)
    VerifyRequired,
    /// `[no-]pty`
    Pty,
    /// `[no-]user-rc`
    UserRc,
    /// `command="..."`
    Command,
    /// `principals="..."` (with `cert-authority`)
    Principals,
    /// `from="pattern-list"`
    From,
    /// `expiry-time="YYYYMMDD[HHMM[SS]][Z]"`
    ExpiryTime,
    /// `environment="NAME=value"`
    Environment,
    /// `permitopen="host:port"`
    PermitOpen,
    /// `permitlisten="[host:]port"`
    PermitListen,
    /// `tunnel="n"`
    Tunnel,
}

impl OptionName {
    const ALL: [OptionName; 17] = [
        OptionName::Restrict,
        OptionName::CertAuthority,
        OptionName::PortForwarding,
        OptionName::AgentForwarding,
        OptionName::X11Forwarding,
        OptionName::TouchRequired,
        OptionName::VerifyRequired,
        OptionName::Pty,
        OptionName::UserRc,
        OptionName::Command,
        OptionName::Principals,
        OptionName::From,
        OptionName::ExpiryTime,
        OptionName::Environment,
        OptionName::PermitOpen,
        OptionName::PermitListen,
        OptionName::Tunnel,
    ];

    /// The option's name.
    pub const fn name(self) -> &'static str {
        match self {
            OptionName::Restrict => "restrict",
            OptionName::CertAuthority => "cert-authority",
            OptionName::PortForwarding => "port-forwarding",
            OptionName::AgentForwarding => "agent-forwarding",
            OptionName::X11Forwarding => "x11-forwarding",
            OptionName::TouchRequired => "touch-required",
            OptionName::VerifyRequired => "verify-required",
            OptionName::Pty => "pty",
            OptionName::UserRc => "user-rc",
            OptionName::Command => "command",
            OptionName::Principals => "principals",
            OptionName::From => "from",
            OptionName::ExpiryTime => "expiry-time",
            OptionName::Environment => "environment",
            OptionName::PermitOpen => "permitopen",
            OptionName::PermitListen => "permitlisten",
            OptionName::Tunnel => "tunnel",
        }
    }

    /// Whether the option takes `="value"`.
    pub const fn takes_value(self) -> bool {
        matches!(
            self,
            OptionName::Command
                | OptionName::Principals
                | OptionName::From
                | OptionName::ExpiryTime
                | OptionName::Environment
                | OptionName::PermitOpen
                | OptionName::PermitListen
                | OptionName::Tunnel
        )
    }

    /// Whether a `no-` form exists.
    pub const fn negatable(self) -> bool {
        matches!(
            self,
            OptionName::PortForwarding
                | OptionName::AgentForwarding
                | OptionName::X11Forwarding
                | OptionName::TouchRequired
                | OptionName::VerifyRequired
                | OptionName::Pty
                | OptionName::UserRc
        )
    }

    fn lookup(token: &[u8]) -> Option<(OptionName, bool)> {
        let (negated, name) = match token.get(..3) {
            Some(p) if p.eq_ignore_ascii_case(b"no-") => (true, &token[3..]),
            _ => (false, token),
        };
        if negated
            && let Some(o) = Self::ALL
                .iter()
                .find(|o| o.negatable() && o.name().as_bytes().eq_ignore_ascii_case(name))
        {
            return Some((*o, true));
        }
        Self::ALL
            .iter()
            .find(|o| o.name().as_bytes().eq_ignore_ascii_case(token))
            .map(|o| (*o, false))
    }
}

impl fmt::Display for OptionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The quoted value of an option, borrowed with its escapes (`\"`) intact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionValue<'a> {
    raw: &'a [u8],
}

impl<'a> OptionValue<'a> {
    /// The text between the quotes, escapes intact.
    pub const fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The value as sshd sees it: `\"` becomes `"`, every other byte is
    /// kept.
    pub fn bytes(&self) -> impl Iterator<Item = u8> + 'a {
        let raw = self.raw;
        let mut i = 0;
        std::iter::from_fn(move || {
            let b = *raw.get(i)?;
            if b == b'\\' && raw.get(i + 1) == Some(&b'"') {
                i += 2;
                return Some(b'"');
            }
            i += 1;
            Some(b)
        })
    }

    /// The value without escapes, when it has none and is UTF-8: no copy.
    pub fn as_str(&self) -> Option<&'a str> {
        if self.raw.windows(2).any(|w| w == b"\\\"") {
            return None;
        }
        std::str::from_utf8(self.raw).ok()
    }

    /// The unescaped value as a `String` (lossy for non-UTF-8 bytes).
    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(&self.bytes().collect::<Vec<u8>>()).into_owned()
    }
}

/// One option of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyOption<'a> {
    /// Which option.
    pub name: OptionName,
    /// `no-` form.
    pub negated: bool,
    /// The value, for options that take one.
    pub value: Option<OptionValue<'a>>,
    /// The option as written, such as `command="ls"`.
    pub raw: &'a [u8],
}

/// The options field of a line, validated, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options<'a> {
    raw: &'a [u8],
    at: usize,
    has_empty: bool,
}

impl<'a> Options<'a> {
    /// The options field as written.
    pub const fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Offset of the field in its line.
    pub const fn offset(&self) -> usize {
        self.at
    }

    /// The options in order (empty options are skipped, as sshd does).
    pub fn iter(&self) -> impl Iterator<Item = KeyOption<'a>> + 'a {
        let raw = self.raw;
        let mut i = 0;
        std::iter::from_fn(move || {
            loop {
                crate::meter::charge(1);
                if i >= raw.len() || is_blank(raw[i]) {
                    return None;
                }
                if raw[i] == b',' {
                    i += 1;
                    continue;
                }
                let start = i;
                let (opt, end) = scan_option(raw, i, 0).ok()?;
                i = end + 1;
                return Some(KeyOption {
                    name: opt.0,
                    negated: opt.1,
                    value: opt.2,
                    raw: &raw[start..end],
                });
            }
        })
    }

    /// Whether the field holds an empty option (leading, doubled or trailing
    /// comma). sshd skips them; the strict policy refuses them.
    pub const fn has_empty(&self) -> bool {
        self.has_empty
    }

    /// Parses an options field. `in_line` says the field is followed by a
    /// key on the same line: sshd then accepts a trailing comma, which it
    /// refuses at the very end of an option string.
    ///
    /// ```
    /// use keyvet::line::Options;
    /// let o = Options::parse(br#"restrict,command="echo \"hi\", bye""#, false).unwrap();
    /// let names: Vec<_> = o.iter().map(|o| o.name.name()).collect();
    /// assert_eq!(names, ["restrict", "command"]);
    /// assert!(Options::parse(b"restrict,", false).is_err());
    /// assert_eq!(Options::parse(b"BLAH", false).unwrap_err().code(), "options.unknown");
    /// ```
    ///
    /// # Errors
    /// The first option error, with its byte offset in `raw`.
    pub fn parse(raw: &'a [u8], in_line: bool) -> Result<Options<'a>, Error> {
        parse_at(raw, 0, in_line)
    }
}

pub(crate) fn parse_at(raw: &[u8], at: usize, in_line: bool) -> Result<Options<'_>, Error> {
    let mut st = State::default();
    let mut i = 0;
    let mut has_empty = false;
    while i < raw.len() && !is_blank(raw[i]) {
        crate::meter::charge(1);
        if raw[i] == b',' {
            // sshd matches no option here and skips the comma.
            has_empty = true;
            i += 1;
            if i == raw.len() && !in_line {
                return Err(Error::at_byte(OptionError::Empty, at + i));
            }
            continue;
        }
        let ((name, _, value), end) = scan_option(raw, i, at)?;
        if let Some(v) = value {
            st.check_value(name, v).map_err(|k| Error::at_byte(k, at + i))?;
        }
        i = end;
        if i == raw.len() || is_blank(raw[i]) {
            break;
        }
        if raw[i] != b',' {
            return Err(Error::at_byte(OptionError::Syntax(name.name()), at + i));
        }
        i += 1;
        if i == raw.len() && !in_line {
            return Err(Error::at_byte(OptionError::Empty, at + i));
        }
        if i == raw.len() || is_blank(raw[i]) {
            has_empty = true;
        }
    }
    Ok(Options { raw, at, has_empty })
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

type Scanned<'a> = (OptionName, bool, Option<OptionValue<'a>>);

const SMART_QUOTES: [char; 8] = [
    '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '\u{201e}', '\u{00ab}', '\u{00bb}', '\u{2033}',
];

fn smart_quote_at(raw: &[u8], i: usize) -> Option<char> {
    let rest = raw.get(i..)?;
    let head = &rest[..rest.len().min(4)];
    let s = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
    };
    s.chars().next().filter(|c| SMART_QUOTES.contains(c))
}

/// Scans one option starting at `i`; returns it and the index after it.
fn scan_option(raw: &[u8], i: usize, at: usize) -> Result<(Scanned<'_>, usize), Error> {
    let tok_end = raw[i..]
        .iter()
        .position(|&b| b == b',' || b == b'=' || is_blank(b))
        .map_or(raw.len(), |p| i + p);
    crate::meter::charge(tok_end - i + 1);
    let token = &raw[i..tok_end];
    let Some((name, negated)) = OptionName::lookup(token) else {
        crate::meter::charge(4 * (tok_end - i));
        if let Some(c) = (i..tok_end).find_map(|j| smart_quote_at(raw, j)) {
            return Err(Error::at_byte(OptionError::TypographicQuote(c), at + i));
        }
        return Err(Error::at_byte(OptionError::Unknown(Snippet::new(token)), at + i));
    };
    let has_eq = raw.get(tok_end) == Some(&b'=');
    if !name.takes_value() {
        if has_eq {
            return Err(Error::at_byte(OptionError::UnexpectedValue(name.name()), at + i));
        }
        return Ok(((name, negated, None), tok_end));
    }
    if !has_eq {
        return Err(Error::at_byte(OptionError::MissingValue(name.name()), at + i));
    }
    let q = tok_end + 1;
    if raw.get(q) != Some(&b'"') {
        if let Some(c) = smart_quote_at(raw, q) {
            return Err(Error::at_byte(OptionError::TypographicQuote(c), at + q));
        }
        return Err(Error::at_byte(OptionError::Unquoted(name.name()), at + q));
    }
    let mut j = q + 1;
    loop {
        match raw.get(j) {
            None => return Err(Error::at_byte(OptionError::UnterminatedQuote, at + q)),
            Some(b'\\') if raw.get(j + 1) == Some(&b'"') => j += 2,
            Some(b'"') => break,
            Some(_) => j += 1,
        }
    }
    crate::meter::charge(j - q);
    let value = OptionValue { raw: &raw[q + 1..j] };
    Ok(((name, false, Some(value)), j + 1))
}

/// sshd's limits (`SSH_AUTHOPT_ENV_MAX`, `SSH_AUTHOPT_PERMIT_MAX`).
const ENV_MAX: usize = 1024;
const PERMIT_MAX: usize = 4096;
/// `SSH_TUNID_MAX`.
const TUNID_MAX: u64 = 0x7fff_fffd;

#[derive(Default)]
struct State {
    command: bool,
    principals: bool,
    from: bool,
    env: usize,
    permitopen: usize,
    permitlisten: usize,
}

impl State {
    fn check_value(&mut self, name: OptionName, v: OptionValue<'_>) -> Result<(), OptionError> {
        // Each check reads the value a few times at most.
        crate::meter::charge(v.raw().len());
        let invalid = |reason| OptionError::Value {
            option: name.name(),
            reason,
        };
        match name {
            OptionName::Command | OptionName::Principals | OptionName::From => {
                let seen = match name {
                    OptionName::Command => &mut self.command,
                    OptionName::Principals => &mut self.principals,
                    _ => &mut self.from,
                };
                if std::mem::replace(seen, true) {
                    return Err(OptionError::Duplicate(name.name()));
                }
            }
            OptionName::ExpiryTime => match parse_absolute_time(v) {
                Some(t) if t > 0 => {}
                _ => {
                    return Err(invalid(
                        "expected YYYYMMDD[HHMM[SS]] with an optional Z or UTC suffix, after 1970",
                    ));
                }
            },
            OptionName::Environment => {
                if self.env > ENV_MAX {
                    return Err(OptionError::TooMany("environment"));
                }
                self.env += 1;
                let mut name_len = 0usize;
                let mut found = false;
                for b in v.bytes() {
                    if b == b'=' {
                        found = true;
                        break;
                    }
                    if !(b.is_ascii_alphanumeric() || b == b'_') {
                        return Err(invalid("expected NAME=value with a NAME of letters, digits and _"));
                    }
                    name_len += 1;
                }
                if !found || name_len == 0 {
                    return Err(invalid("expected NAME=value with a NAME of letters, digits and _"));
                }
            }
            OptionName::PermitOpen | OptionName::PermitListen => {
                let n = if name == OptionName::PermitOpen {
                    &mut self.permitopen
                } else {
                    &mut self.permitlisten
                };
                if *n > PERMIT_MAX {
                    return Err(OptionError::TooMany(name.name()));
                }
                *n += 1;
                check_permit(v, name == OptionName::PermitListen).map_err(invalid)?;
            }
            OptionName::Tunnel => {
                let ok = match v.as_str() {
                    Some(s) if s.eq_ignore_ascii_case("any") => true,
                    Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                        s.parse::<u64>().is_ok_and(|n| n <= TUNID_MAX)
                    }
                    _ => false,
                };
                if !ok {
                    return Err(invalid("expected a tunnel device number or \"any\""));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// `permitopen`/`permitlisten`: `host:port`, `[v6]:port`, `host/port`, a port
/// of `*` or 1..65535 (and, for permitlisten, a bare port). sshd also takes
/// service names from /etc/services; keyvet does not read that file and
/// refuses them.
fn check_permit(v: OptionValue<'_>, allow_bare_port: bool) -> Result<(), &'static str> {
    let s = v.raw();
    crate::meter::charge(3 * s.len());
    if s.windows(2).any(|w| w == b"\\\"") {
        return Err("unexpected quote");
    }
    let (host, port): (&[u8], &[u8]) = if allow_bare_port && !s.contains(&b':') {
        (b"*", s)
    } else if s.first() == Some(&b'[') {
        let close = s
            .iter()
            .position(|&b| b == b']')
            .ok_or("missing ']' after an IPv6 address")?;
        match s.get(close + 1) {
            Some(b':' | b'/') => (&s[..=close], &s[close + 2..]),
            None => return Err("missing port"),
            Some(_) => return Err("invalid host"),
        }
    } else {
        match s.iter().position(|&b| b == b':' || b == b'/') {
            Some(p) => (&s[..p], &s[p + 1..]),
            None => return Err("missing port"),
        }
    };
    if host.len() >= 1025 {
        return Err("host name too long");
    }
    if port == b"*" {
        return Ok(());
    }
    let ok = !port.is_empty()
        && port.len() <= 5
        && port.iter().all(u8::is_ascii_digit)
        && std::str::from_utf8(port)
            .ok()
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|p| (1..=65535).contains(&p));
    if ok {
        Ok(())
    } else {
        Err("invalid port: expected 1-65535 or *")
    }
}

/// OpenSSH's `parse_absolute_time`: `YYYYMMDD`, `YYYYMMDDHHMM` or
/// `YYYYMMDDHHMMSS`, with an optional `Z` or `UTC` suffix. Returns seconds
/// since the epoch. keyvet reads times without a suffix as UTC (sshd uses the
/// server's time zone); that only matters for the sign check near 1970.
pub(crate) fn parse_absolute_time(v: OptionValue<'_>) -> Option<i64> {
    // On bytes: the value may end inside a multi-byte character, where a
    // `str` slice would panic.
    let s = v.as_str()?.as_bytes();
    let ends_with = |suffix: &[u8]| s.len() > suffix.len() && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix);
    let core = if ends_with(b"z") {
        &s[..s.len() - 1]
    } else if ends_with(b"utc") {
        &s[..s.len() - 3]
    } else {
        s
    };
    if !matches!(core.len(), 8 | 12 | 14) || !core.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |a: usize, b: usize| {
        core.get(a..b)
            .map(|x| x.iter().fold(0i64, |n, &d| n * 10 + i64::from(d - b'0')))
    };
    let (y, m, d) = (num(0, 4)?, num(4, 6)?, num(6, 8)?);
    let (hh, mm, ss) = match core.len() {
        8 => (0, 0, 0),
        12 => (num(8, 10)?, num(10, 12)?, 0),
        _ => (num(8, 10)?, num(10, 12)?, num(12, 14)?),
    };
    // glibc strptime's ranges; mktime/timegm then normalise (Feb 31 is Mar 3).
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 61 {
        return None;
    }
    let days = days_from_civil(y, m, 1) + d - 1;
    Some(days * 86400 + hh * 3600 + mm * 60 + ss)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The offset of the first byte of an option that is a control character
/// (tab aside) or not UTF-8: sshd hands values to the shell and the
/// environment as they are.
fn bad_text(raw: &[u8]) -> Option<usize> {
    crate::meter::charge(raw.len());
    let mut at = 0;
    for chunk in raw.utf8_chunks() {
        if let Some((i, _)) = chunk.valid().char_indices().find(|&(_, c)| c.is_control() && c != '\t') {
            return Some(at + i);
        }
        if !chunk.invalid().is_empty() {
            return Some(at + chunk.valid().len());
        }
        at += chunk.valid().len();
    }
    None
}

impl<'a> Options<'a> {
    /// The strict policy's extra checks.
    pub(crate) fn check_strict(&self) -> Result<(), Error> {
        if self.has_empty {
            return Err(Error::at_byte(OptionError::Empty, self.at));
        }
        let mut cert_authority = false;
        let mut principals_at = None;
        let mut pos = self.at;
        for o in self.iter() {
            let invalid = |reason| {
                Error::at_byte(
                    OptionError::Value {
                        option: o.name.name(),
                        reason,
                    },
                    pos,
                )
            };
            if o.value.is_some()
                && let Some(at) = bad_text(o.raw)
            {
                return Err(Error::at_byte(OptionError::ValueText(o.name.name()), pos + at));
            }
            match (o.name, o.value) {
                (OptionName::CertAuthority, _) => cert_authority = true,
                (OptionName::From, Some(v)) => check_from(v).map_err(invalid)?,
                (OptionName::Principals, Some(v)) => {
                    principals_at = Some(pos);
                    crate::meter::charge(v.raw().len());
                    if v.raw().is_empty() || v.raw().split(|&b| b == b',').any(<[u8]>::is_empty) {
                        return Err(invalid("empty principal name"));
                    }
                }
                _ => {}
            }
            pos += o.raw.len() + 1;
        }
        if let (Some(p), false) = (principals_at, cert_authority) {
            return Err(Error::at_byte(
                OptionError::Value {
                    option: "principals",
                    reason: "principals only applies to a cert-authority key",
                },
                p,
            ));
        }
        Ok(())
    }
}

/// A `from` pattern list: sshd's `addr_match_list` treats empty entries and
/// CIDR entries with a bad mask length or host bits set as errors, and then
/// denies every login with this key.
fn check_from(v: OptionValue<'_>) -> Result<(), &'static str> {
    let raw = v.raw();
    if raw.is_empty() {
        return Err("empty pattern list");
    }
    for entry in raw.split(|&b| b == b',') {
        crate::meter::charge(entry.len() + 1);
        let e = entry.strip_prefix(b"!").unwrap_or(entry);
        if e.is_empty() {
            return Err("empty pattern in the list");
        }
        if e.len() >= 64 {
            continue;
        }
        let Ok(s) = std::str::from_utf8(e) else { continue };
        let (addr, mask) = match s.split_once('/') {
            Some((a, m)) => {
                if !m.bytes().next().is_some_and(|b| b.is_ascii_digit()) || !m.bytes().all(|b| b.is_ascii_digit()) {
                    continue;
                }
                match m.parse::<u32>() {
                    Ok(n) if n <= 128 => (a, Some(n)),
                    _ => continue,
                }
            }
            None => (s, None),
        };
        let Ok(ip) = addr.parse::<IpAddr>() else { continue };
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let len = mask.unwrap_or(max);
        if len > max {
            return Err("CIDR mask length too long for the address family");
        }
        let host_bits_set = match ip {
            IpAddr::V4(a) => {
                let v = u32::from(a);
                len < 32 && v & (u32::MAX >> len) != 0
            }
            IpAddr::V6(a) => {
                let v = u128::from(a);
                len < 128 && v & (u128::MAX >> len) != 0
            }
        };
        if host_bits_set {
            return Err("CIDR address has bits set beyond its mask length");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> bool {
        Options::parse(s.as_bytes(), false).is_ok()
    }

    fn code(s: &str) -> &'static str {
        Options::parse(s.as_bytes(), false).unwrap_err().code()
    }

    #[test]
    fn sshd_cases() {
        assert!(ok(""));
        assert!(ok("restrict"));
        assert!(ok("RESTRICT,No-Pty"));
        assert_eq!(code("restrict,"), "options.empty");
        assert_eq!(code(","), "options.empty");
        assert!(ok(",no-pty"));
        assert!(ok("no-pty,,pty"));
        assert_eq!(code("no-cert-authority"), "options.unknown");
        assert_eq!(code("no-restrict"), "options.unknown");
        assert_eq!(code("command=oops"), "options.value.unquoted");
        assert_eq!(code("command"), "options.value.missing");
        assert_eq!(code("pty=\"1\""), "options.value.unexpected");
        assert_eq!(code("command=\"a\",command=\"b\""), "options.duplicate");
        assert!(ok("tunnel=\"1\""));
        assert!(ok("tunnel=\"ANY\""));
        assert_eq!(code("tunnel=\"blah\""), "options.tunnel.invalid");
        assert!(ok("environment=\"foo=1\",environment=\"foo=2\""));
        assert_eq!(code("environment=\",=bah\""), "options.environment.invalid");
        assert!(ok("permitopen=\"foo:123\",permitopen=\"bar:*\""));
        assert!(ok("permitopen=\"[::1]:22\""));
        assert_eq!(code("permitopen=\"foo\""), "options.permitopen.invalid");
        assert_eq!(code("permitopen=\"foo:0\""), "options.permitopen.invalid");
        assert!(ok("permitlisten=\"8080\""));
        assert!(ok("expiry-time=\"20300101\""));
        assert!(ok("expiry-time=\"203001011200Z\""));
        assert_eq!(code("expiry-time=\"2030\""), "options.expiry_time.invalid");
        assert_eq!(code("command=\"abc"), "options.quote.unterminated");
        assert_eq!(code("command=\"a\"b"), "options.syntax");
        assert_eq!(code("command=\u{201c}ls\u{201d}"), "options.quote.typographic");
    }

    #[test]
    fn trailing_comma_in_a_line_is_what_sshd_accepts() {
        let o = Options::parse(b"restrict,", true).unwrap();
        assert!(o.has_empty());
        assert_eq!(o.check_strict().unwrap_err().code(), "options.empty");
    }

    #[test]
    fn values_unescape() {
        let o = Options::parse(br#"command="echo \"a,b\" # x""#, false).unwrap();
        let v = o.iter().next().unwrap().value.unwrap();
        assert_eq!(v.to_string_lossy(), "echo \"a,b\" # x");
        assert_eq!(v.as_str(), None);
    }

    #[test]
    fn strict_from() {
        let s = |x: &str| {
            Options::parse(x.as_bytes(), false)
                .unwrap()
                .check_strict()
                .map_err(|e| e.code())
        };
        assert_eq!(s("from=\"10.0.0.0/8,!10.1.0.0/16,*.example.com\""), Ok(()));
        assert_eq!(s("from=\"10.0.0.1/8\""), Err("options.from.invalid"));
        assert_eq!(s("from=\"10.0.0.0/33\""), Err("options.from.invalid"));
        assert_eq!(s("from=\"a,,b\""), Err("options.from.invalid"));
        assert_eq!(s("principals=\"a\""), Err("options.principals.invalid"));
        assert_eq!(s("cert-authority,principals=\"a,b\""), Ok(()));
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11017);
    }
}
