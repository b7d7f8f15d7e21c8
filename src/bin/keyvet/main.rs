//! The `keyvet` command: `check` and `fingerprint`.
//!
//! Exit status: 0 when every key line is valid, 1 when any is invalid (an
//! input without any key line counts as invalid), 2 on usage or I/O errors.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use keyvet::keygen::Escaped;
use keyvet::stream::{self, Event, Source};
use keyvet::{HashAlg, Policy, Validator, policy};

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

fn check<W: Write>(
    name: &str,
    input: &mut dyn BufRead,
    out: &mut W,
    o: &mut Outcome,
    policy: Policy,
    json: bool,
) -> io::Result<()> {
    let mut v = Validator::new(policy);
    let summary = stream::check(input, &mut v, |event| match event {
        Event::Key { line, checked, .. } => {
            if json {
                json::valid(out, name, line, checked)
            } else {
                writeln!(
                    out,
                    "{name}:{line}: ok {} {} {} {}",
                    checked.algorithm(),
                    checked.bits(),
                    checked.sha256(),
                    Escaped(checked.line().comment_bytes().unwrap_or(b"")),
                )
            }
        }
        Event::Invalid { line, error } => {
            if json {
                json::invalid(out, name, line, &error)
            } else {
                writeln!(out, "{name}: {error} [{}]", error.code())
            }
        }
    })?;
    o.invalid |= summary.invalid > 0;
    Ok(())
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
    let source = if name == "-" { Source::Stdin } else { Source::File(name) };
    let mut on_event = |event: Event<'_, '_, '_>| match event {
        Event::Key { checked, comment, .. } => writeln!(out, "{}", checked.keygen_line_with(alg, comment)),
        Event::Invalid { error, .. } => {
            eprintln!("{name}: {error} [{}]", error.code());
            Ok(())
        }
    };
    let mut summary = stream::keygen(input, source, &mut v, &mut on_event)?;
    if summary.private_key_file {
        // As ssh-keygen: a private key file's public half may be beside it.
        let pubname = format!("{name}.pub");
        if let Ok(f) = File::open(&pubname) {
            let s = stream::keygen_public_file(BufReader::new(f), &pubname, &mut v, &mut on_event)?;
            summary.valid += s.valid;
        }
        if summary.valid == 0 {
            eprintln!(
                "{name}: no public key found; reading a private key is not supported yet [{}]",
                keyvet::ErrorKind::EmptyInput.code()
            );
            summary.invalid += 1;
        }
    }
    o.invalid |= summary.invalid > 0;
    Ok(())
}
