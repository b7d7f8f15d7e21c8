//! The `keyvet` command: `check` and `fingerprint`.
//!
//! Exit status: 0 when every key line is valid, 1 when any is invalid (an
//! input without any key line counts as invalid), 2 on usage or I/O errors.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use keyvet::line::{LineReader, RawLine};
use keyvet::{Error, ErrorKind, HashAlg, Policy, Validator, policy};

mod json;

/// Validate and fingerprint SSH public keys.
#[derive(Debug, Parser)]
#[command(name = "keyvet", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate every key line (blank and # lines are skipped).
    Check {
        /// One JSON object per key line (JSON Lines).
        #[arg(long)]
        json: bool,
        /// Rules to apply.
        #[arg(long, value_enum, default_value_t = PolicyArg::Strict)]
        policy: PolicyArg,
        /// Files to read; standard input when none or `-`.
        files: Vec<String>,
    },
    /// Print `ssh-keygen -l` lines for every valid key; invalid lines go to
    /// standard error.
    Fingerprint {
        /// Hash: sha256 (default) or md5.
        #[arg(short = 'E', value_enum, default_value_t = HashArg::Sha256)]
        hash: HashArg,
        /// Rules to apply (`openssh` is the exact ssh-keygen drop-in).
        #[arg(long, value_enum, default_value_t = PolicyArg::Strict)]
        policy: PolicyArg,
        /// Files to read; standard input when none or `-`.
        files: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PolicyArg {
    Openssh,
    Strict,
}

impl PolicyArg {
    fn policy(self) -> Policy {
        match self {
            PolicyArg::Openssh => policy::OPENSSH,
            PolicyArg::Strict => policy::STRICT,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum HashArg {
    Sha256,
    Md5,
}

/// What happened over all inputs.
#[derive(Debug, Default)]
struct Outcome {
    invalid: bool,
    io_error: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match cli.command {
        Command::Check { json, policy, files } => run(
            &files,
            |name, input, out, o| check(name, input, out, o, policy.policy(), json),
            &mut out,
        ),
        Command::Fingerprint { hash, policy, files } => {
            let alg = match hash {
                HashArg::Sha256 => HashAlg::Sha256,
                HashArg::Md5 => HashAlg::Md5,
            };
            run(
                &files,
                |name, input, out, o| fingerprint(name, input, out, o, policy.policy(), alg),
                &mut out,
            )
        }
    };
    let flushed = out.flush();
    match (result, flushed) {
        (Err(e), _) | (Ok(_), Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        (Err(e), _) | (Ok(_), Err(e)) => {
            eprintln!("keyvet: {e}");
            ExitCode::from(2)
        }
        (Ok(o), Ok(())) if o.io_error => ExitCode::from(2),
        (Ok(o), Ok(())) if o.invalid => ExitCode::from(1),
        (Ok(_), Ok(())) => ExitCode::SUCCESS,
    }
}

fn run<W: Write>(
    files: &[String],
    mut handle: impl FnMut(&str, &mut dyn BufRead, &mut W, &mut Outcome) -> io::Result<()>,
    out: &mut W,
) -> io::Result<Outcome> {
    let mut o = Outcome::default();
    let stdin_only = [String::from("-")];
    let files = if files.is_empty() { &stdin_only[..] } else { files };
    for name in files {
        if name == "-" {
            let stdin = io::stdin();
            let mut lock = stdin.lock();
            handle("-", &mut lock, out, &mut o)?;
            continue;
        }
        match File::open(name) {
            Ok(f) => {
                let mut r = BufReader::with_capacity(64 * 1024, f);
                if let Err(e) = handle(name, &mut r, out, &mut o) {
                    if e.kind() == io::ErrorKind::BrokenPipe {
                        return Err(e);
                    }
                    eprintln!("keyvet: {name}: {e}");
                    o.io_error = true;
                }
            }
            Err(e) => {
                eprintln!("keyvet: {name}: {e}");
                o.io_error = true;
            }
        }
    }
    Ok(o)
}

fn trim_start(s: &[u8]) -> &[u8] {
    let i = s.iter().position(|&b| b != b' ' && b != b'\t').unwrap_or(s.len());
    &s[i..]
}

/// The line that ends a block started by `begin` (PEM or RFC 4716).
fn block_end(begin: &[u8]) -> Option<&'static [u8]> {
    let t = trim_start(begin);
    if t.starts_with(b"-----BEGIN") {
        Some(b"-----END")
    } else if t.starts_with(b"---- BEGIN SSH2") {
        Some(b"---- END SSH2")
    } else {
        None
    }
}

fn check<W: Write>(
    name: &str,
    input: &mut dyn BufRead,
    out: &mut W,
    o: &mut Outcome,
    policy: Policy,
    json: bool,
) -> io::Result<()> {
    let mut v = Validator::new(policy);
    let mut reader = LineReader::new(input, policy.max_line_len);
    let mut key_lines = 0u64;
    let mut skip_until: Option<&'static [u8]> = None;
    while let Some(raw) = reader.next_line()? {
        let (number, bytes) = match raw {
            RawLine::TooLong { number, len } => {
                key_lines += 1;
                o.invalid = true;
                let e = Error::new(ErrorKind::LineTooLong {
                    len,
                    max: policy.max_line_len,
                });
                report_check_error(out, name, number, &e, json)?;
                continue;
            }
            RawLine::Line { number, bytes } => (number, bytes),
        };
        if let Some(end) = skip_until {
            if trim_start(bytes).starts_with(end) {
                skip_until = None;
            }
            continue;
        }
        if keyvet::line::is_skipped(bytes) {
            continue;
        }
        key_lines += 1;
        match v.check_line(bytes) {
            Ok(c) => {
                if json {
                    json::valid(out, name, number, &c)?;
                } else {
                    writeln!(
                        out,
                        "{name}:{number}: ok {} {} {} {}",
                        c.algorithm(),
                        c.bits(),
                        c.sha256(),
                        keyvet::keygen::Escaped(c.line().comment_bytes().unwrap_or(b"")),
                    )?;
                }
            }
            Err(e) => {
                if matches!(
                    e.kind(),
                    ErrorKind::PrivateKey(_) | ErrorKind::Rfc4716 | ErrorKind::PemPublicKey
                ) {
                    skip_until = block_end(bytes);
                }
                o.invalid = true;
                report_check_error(out, name, number, &e, json)?;
            }
        }
    }
    if key_lines == 0 {
        o.invalid = true;
        let e = Error::new(ErrorKind::EmptyInput);
        if json {
            json::invalid(out, name, 0, &e)?;
        } else {
            writeln!(out, "{name}: error [{}]: {}", e.code(), e)?;
        }
    }
    Ok(())
}

fn report_check_error<W: Write>(out: &mut W, name: &str, number: u64, e: &Error, json: bool) -> io::Result<()> {
    if json {
        json::invalid(out, name, number, e)
    } else {
        writeln!(out, "{name}:{number}: error [{}]: {}", e.code(), e.with_line(number))
    }
}

fn fingerprint<W: Write>(
    name: &str,
    input: &mut dyn BufRead,
    out: &mut W,
    o: &mut Outcome,
    policy: Policy,
    alg: HashAlg,
) -> io::Result<()> {
    let mut v = Validator::new(policy);
    let mut reader = LineReader::new(input, policy.max_line_len);
    let mut good = 0u64;
    while let Some(raw) = reader.next_line()? {
        match raw {
            RawLine::TooLong { number, len } => {
                o.invalid = true;
                let e = Error::new(ErrorKind::LineTooLong {
                    len,
                    max: policy.max_line_len,
                });
                eprintln!("{name}:{number}: {} [{}]", e, e.code());
            }
            RawLine::Line { number, bytes } => {
                if keyvet::line::is_skipped(bytes) {
                    continue;
                }
                // ssh-keygen reads a whole file as a private key when its
                // first line mentions one (not on standard input).
                if number == 1 && name != "-" && bytes.windows(11).any(|w| w == b"PRIVATE KEY") {
                    let e = v
                        .check_line(bytes)
                        .err()
                        .unwrap_or(Error::new(ErrorKind::PrivateKey(keyvet::PrivateKeyKind::Other)));
                    eprintln!("{name}:{number}: {} [{}]", e, e.code());
                    o.invalid = true;
                    return Ok(());
                }
                match v.check_keygen_line(bytes) {
                    Ok(c) => {
                        good += 1;
                        writeln!(out, "{}", c.keygen_line(alg))?;
                    }
                    Err(e) => {
                        o.invalid = true;
                        eprintln!("{name}:{number}: {} [{}]", e, e.code());
                    }
                }
            }
        }
    }
    if good == 0 {
        o.invalid = true;
        let e = Error::new(ErrorKind::EmptyInput);
        eprintln!("{name}: {} [{}]", e, e.code());
    }
    Ok(())
}
