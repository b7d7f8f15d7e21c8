//! The `keyvet` command.
//!
//! Exit status: 0 when every key line is valid, 1 when any is invalid (an
//! input without any key line counts as invalid), 2 on usage or I/O errors.
//! The ssh-keygen drop-ins (`fingerprint --policy openssh`, `inspect`,
//! `known-hosts find`) exit as ssh-keygen does: 255 where it fails.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use keyvet::listing::Escaped;
use keyvet::stream::{self, Batch, Event, Parallel, Source};
use keyvet::{Checker, HashAlg, Policy, policy};
use keyvet_cloud::Provider;

mod import;
mod inspect;
mod known_hosts;
mod output;
mod serve;

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
        /// The grammar of the lines: `auto` decides per line (a marker, a
        /// hashed host, or a host field before a key type make a
        /// known_hosts line; the rest are authorized_keys lines).
        #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
        format: FormatArg,
        /// Print only invalid lines and warnings, and no summary.
        #[arg(short, long)]
        quiet: bool,
        /// Print a summary to standard error at the end (printed anyway
        /// when standard error is a terminal, unless `-q`).
        #[arg(long)]
        summary: bool,
        #[command(flatten)]
        policy: PolicyOpts,
        #[command(flatten)]
        jobs: JobsOpt,
        /// Files to read; standard input when none or `-`.
        files: Vec<String>,
    },
    /// Print `ssh-keygen -l` lines for every valid key; invalid lines go to
    /// standard error. With `--policy openssh`, the drop-in for
    /// `ssh-keygen -l [-E md5] -f FILE`: the same standard output and exit
    /// status (0 when a key was printed, 255 when a file holds none).
    Fingerprint {
        /// Hash: sha256 (default) or md5.
        #[arg(short = 'E', value_enum, default_value_t = HashArg::Sha256)]
        hash: HashArg,
        /// A file to read, as ssh-keygen's `-f` (repeatable; read before
        /// the FILES).
        #[arg(short = 'f', value_name = "FILE")]
        file: Vec<String>,
        /// One JSON object per line (JSON Lines), the objects of `check
        /// --json`.
        #[arg(long)]
        json: bool,
        /// Say nothing on standard error about lines without a key.
        #[arg(short, long)]
        quiet: bool,
        #[command(flatten)]
        policy: PolicyOpts,
        #[command(flatten)]
        jobs: JobsOpt,
        /// Files to read; standard input when none or `-`.
        files: Vec<String>,
    },
    /// Show certificates as `ssh-keygen -L` does (byte for byte), and keys
    /// with their size and fingerprints; `-v`: the `ssh-keygen -lv` listing
    /// and randomart. Exit status as ssh-keygen's: 0, 1 when an input has no
    /// key or certificate, 255 when one cannot be read.
    Inspect {
        /// One JSON object per key or certificate line (JSON Lines).
        #[arg(long)]
        json: bool,
        /// `ssh-keygen -lv`: the listing line and the randomart of every key.
        #[arg(short = 'v', long)]
        verbose: bool,
        /// Hash of the fingerprints shown: sha256 (default) or md5.
        #[arg(short = 'E', value_enum, default_value_t = HashArg::Sha256)]
        hash: HashArg,
        /// Files to read; standard input when none or `-`.
        files: Vec<String>,
    },
    /// known_hosts files: find the lines for a host, as `ssh-keygen -F`.
    KnownHosts {
        #[command(subcommand)]
        command: KnownHostsCommand,
    },
    /// Print a shell completion script, e.g. `keyvet completions bash >
    /// /usr/share/bash-completion/completions/keyvet`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `keyvet man >
    /// /usr/local/share/man/man1/keyvet.1`.
    Man,
    /// Serve cloud ImportKeyPair requests: prints the API's response body
    /// for each, as one JSON line.
    #[command(group(clap::ArgGroup::new("mode").required(true).args(["requests", "name"])))]
    Import {
        /// The API.
        #[arg(long, value_parser = provider_arg(|_| true))]
        profile: &'static Provider,
        /// JSON Lines of requests with the API's parameter names (`-`:
        /// standard input), served in order against one store.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["tags", "file"])]
        requests: Option<String>,
        /// The key pair name of a single request.
        #[arg(long)]
        name: Option<String>,
        /// A tag of the single request (repeatable).
        #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
        tags: Vec<(String, String)>,
        /// `ProjectId` of a single tencent-cvm request.
        #[arg(long, default_value_t = 0)]
        project_id: i64,
        /// `RegionId` of a single alibaba-ecs request.
        #[arg(long, default_value = "cn-hangzhou")]
        region: String,
        /// `ResourceGroupId` of a single alibaba-ecs request.
        #[arg(long)]
        resource_group: Option<String>,
        /// A project that exists besides 0 (repeatable).
        #[arg(long = "known-project", value_name = "ID")]
        known_projects: Vec<i64>,
        /// A resource group that exists (repeatable).
        #[arg(long = "known-resource-group", value_name = "ID")]
        known_resource_groups: Vec<String>,
        /// XML response bodies (alibaba-ecs's Format=XML).
        #[arg(long)]
        xml: bool,
        /// Keep key pairs in this SQLite database across runs, created if
        /// missing; concurrent runs share it safely (default: in memory,
        /// for this run only).
        #[arg(long, value_name = "FILE")]
        store: Option<String>,
        /// Key pairs allowed per account or region (default: the profile's).
        #[arg(long)]
        quota: Option<usize>,
        /// The public key of the single request (standard input when absent or `-`).
        file: Option<String>,
    },
    /// Vet one upload, as an "add SSH key" form receives it: the whole
    /// input is one paste. Prints the key line to store, or why it is
    /// refused (private keys, paste mistakes, the policy).
    Vet {
        /// One JSON object: the accepted key, or the refusal.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        policy: PolicyOpts,
        /// Accept the paste mistakes keyvet repairs without guessing (a
        /// byte-order mark, a key broken over lines or with blanks in its
        /// base64, Unicode spaces), and say what was repaired.
        #[arg(long)]
        repair: bool,
        /// The upload (standard input when absent or `-`).
        file: Option<String>,
    },
    /// Print the OpenSSH public key line of a key in any form users paste:
    /// an OpenSSH line, an RFC 4716 / PuTTY block, a PEM public key, or a
    /// private key (whose public half is derived; the private key is never
    /// printed). What was converted is said on standard error.
    Convert {
        /// Rules the key must pass.
        #[arg(long, value_enum, default_value_t = PolicyArg::Strict)]
        policy: PolicyArg,
        /// The input (standard input when absent or `-`).
        file: Option<String>,
    },
    /// Serve a CreateKeyPair request: create a key pair and print the API's
    /// response body (the private key is printed, never stored).
    Create {
        /// The API (only tencent-cvm-v2 documents a create call).
        #[arg(long, value_parser = provider_arg(|p| p.api.creates()))]
        profile: &'static Provider,
        /// The key pair name.
        #[arg(long)]
        name: String,
        /// The key type: rsa (the documented output), ed25519, ecdsa-p256, ecdsa-p384.
        #[arg(long = "type", value_enum, default_value_t = KeyTypeArg::Rsa)]
        key_type: KeyTypeArg,
        /// RSA size in bits.
        #[arg(long, default_value_t = 2048)]
        bits: usize,
        /// Keep key pairs in this SQLite database across runs (created if
        /// missing; shared safely by concurrent runs).
        #[arg(long, value_name = "FILE")]
        store: Option<String>,
    },
    /// Serve the cloud key-pair APIs over HTTP (Tencent Cloud CVM 3.0 and
    /// v2, Alibaba Cloud ECS), key pairs kept in a database, until SIGTERM
    /// or Ctrl-C. One JSON log line per request on standard error.
    Serve(serve::ServeArgs),
}

#[derive(Debug, Subcommand)]
enum KnownHostsCommand {
    /// Print the lines of a known_hosts file that are for HOST, each after
    /// a `# Host HOST found: line N` header, exactly as `ssh-keygen -F HOST
    /// -f FILE` (hashed hosts, patterns, negation, `[host]:port` and
    /// markers included). Exit status 0 when a line was found, 1 when none
    /// was, 255 when the file cannot be read.
    Find {
        /// No `# Host ... found` headers.
        #[arg(short, long)]
        quiet: bool,
        /// The known_hosts file, as ssh-keygen's `-f`.
        #[arg(short = 'f', value_name = "FILE", conflicts_with = "file")]
        file_opt: Option<String>,
        /// The host as ssh looks it up: `name`, or `[name]:port` for a port
        /// other than 22.
        host: String,
        /// The known_hosts file (default: ~/.ssh/known_hosts).
        file: Option<String>,
    },
}

/// The grammar of `check`'s lines.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    AuthorizedKeys,
    KnownHosts,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KeyTypeArg {
    Rsa,
    Ed25519,
    EcdsaP256,
    EcdsaP384,
}

/// The providers of `keyvet_cloud` that `keep` selects, by name.
fn provider_arg(keep: fn(&Provider) -> bool) -> impl clap::builder::TypedValueParser<Value = &'static Provider> {
    use clap::builder::TypedValueParser;
    let names: Vec<&'static str> = keyvet_cloud::ALL.iter().filter(|p| keep(p)).map(|p| p.id).collect();
    clap::builder::PossibleValuesParser::new(names)
        .try_map(|id| keyvet_cloud::by_id(&id).ok_or_else(|| format!("unknown API {id}")))
}

/// A thread count from 1 to 256 (more threads than that only cost memory).
fn parse_jobs(s: &str) -> Result<u16, String> {
    match s.parse::<u64>() {
        Ok(n @ 1..=256) => Ok(u16::try_from(n).unwrap_or(256)),
        _ => Err(format!("{s} is not a thread count in 1..=256")),
    }
}

fn parse_tag(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) => Ok((k.to_string(), v.to_string())),
        None => Err(format!("expected KEY=VALUE, got {s:?}")),
    }
}

/// How many threads check lines.
#[derive(Debug, clap::Args)]
struct JobsOpt {
    /// Worker threads, 1 to 256 (default: one per core). The output is the
    /// same, in the same order, for any number.
    #[arg(long, short = 'j', value_name = "N", value_parser = parse_jobs)]
    jobs: Option<u16>,
}

impl JobsOpt {
    fn parallel(&self) -> Parallel {
        let mut p = Parallel::all_cores();
        if let Some(n) = self.jobs {
            p.threads = usize::from(n.max(1));
        }
        p
    }
}

/// A policy: a preset, changed by flags.
#[derive(Debug, clap::Args)]
struct PolicyOpts {
    /// The preset: `strict` (uploads) or `openssh` (OpenSSH 9.2's verdicts;
    /// with `fingerprint`, the exact ssh-keygen drop-in).
    #[arg(long, value_enum, default_value_t = PolicyArg::Strict)]
    policy: PolicyArg,
    /// Turn a weak-key check on, by id (`weak.rsa.roca`, ...) or `all`
    /// (repeatable). Under `openssh` they only warn.
    #[arg(long = "enable", value_name = "CHECK")]
    enable: Vec<String>,
    /// Turn a weak-key check off, by id or `all` (repeatable).
    #[arg(long = "disable", value_name = "CHECK")]
    disable: Vec<String>,
    /// Smallest RSA modulus accepted, in bits.
    #[arg(long, value_name = "BITS")]
    min_rsa_bits: Option<u32>,
    /// Accept an algorithm the preset refuses (repeatable), e.g. `ssh-dss`.
    #[arg(long = "allow", value_name = "ALGORITHM")]
    allow: Vec<String>,
    /// Refuse an algorithm (repeatable), e.g. `ssh-rsa`.
    #[arg(long = "deny", value_name = "ALGORITHM")]
    deny: Vec<String>,
    /// Known-compromised keys: lines of `SHA256:...` fingerprints or badkeys
    /// modulus hashes (turns `weak.blocklist` on).
    #[arg(long, value_name = "FILE")]
    blocklist: Option<String>,
    /// Do not check keys against keyvet's built-in list of published keys
    /// (`weak.published`: RFC examples, insecure default keys of tools and
    /// images, SSH projects' test keys), which strict checks by default.
    #[arg(long)]
    no_builtin_blocklist: bool,
}

impl PolicyOpts {
    /// The policy and the blocklist, or a usage error.
    fn build(&self) -> Result<(Policy, Option<std::sync::Arc<keyvet::weak::Blocklist>>), String> {
        let switches = keyvet::policy::Switches {
            enable: self.enable.clone(),
            disable: self.disable.clone(),
            no_builtin_blocklist: self.no_builtin_blocklist,
            min_rsa_bits: self.min_rsa_bits,
            allow: self.allow.clone(),
            deny: self.deny.clone(),
        };
        let mut p = switches.apply(self.policy.policy()).map_err(|e| e.to_string())?;
        let blocklist = match &self.blocklist {
            None => None,
            Some(path) => {
                let text = read_blocklist(path)?;
                let bl = keyvet::weak::Blocklist::parse(&text).map_err(|e| format!("{path}: {e}"))?;
                p.screening.checks = p.screening.checks.with(keyvet::weak::Check::Blocklist);
                Some(std::sync::Arc::new(bl))
            }
        };
        Ok((p, blocklist))
    }
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
    /// ssh-keygen would have failed (`fatal()`): exit 255.
    fatal: bool,
    /// Lines with a key, and lines without one, over all inputs.
    valid_lines: u64,
    invalid_lines: u64,
    inputs: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::new(output::Stdout(stdout.lock()));
    let build = |opts: &PolicyOpts| match opts.build() {
        Ok(x) => Some(x),
        Err(e) => {
            eprintln!("keyvet: {e}");
            None
        }
    };
    let result = match cli.command {
        Command::Check {
            json,
            format,
            quiet,
            summary,
            policy,
            jobs,
            files,
        } => {
            let Some((policy, blocklist)) = build(&policy) else {
                return ExitCode::from(2);
            };
            let format = match format {
                FormatArg::Auto => keyvet::LineFormat::Auto,
                FormatArg::AuthorizedKeys => keyvet::LineFormat::AuthorizedKeys,
                FormatArg::KnownHosts => keyvet::LineFormat::KnownHosts,
            };
            let v = validator(policy, &blocklist).with_line_format(format);
            let show = Show { json, quiet };
            let par = jobs.parallel();
            let mut batch = Batch::new();
            let mut names = Vec::new();
            run(
                &files,
                |name, input, out, o| {
                    let source = u32::try_from(names.len()).unwrap_or(u32::MAX);
                    names.push(name.to_owned());
                    check(name, input, out, o, &v, par, source, &mut batch, show)
                },
                &mut out,
            )
            .and_then(|mut o| {
                shared_primes(&batch, &names, policy.screening.severity, json, &mut out, &mut o)?;
                use std::io::IsTerminal;
                if summary || (!quiet && !json && io::stderr().is_terminal()) {
                    out.flush()?;
                    eprintln!(
                        "keyvet: {} valid, {} invalid in {} input{}",
                        o.valid_lines,
                        o.invalid_lines,
                        o.inputs,
                        if o.inputs == 1 { "" } else { "s" }
                    );
                }
                Ok(o)
            })
        }
        Command::Fingerprint {
            hash,
            file,
            json,
            quiet,
            policy,
            jobs,
            files,
        } => {
            let dropin = matches!(policy.policy, PolicyArg::Openssh);
            let Some((policy, blocklist)) = build(&policy) else {
                return ExitCode::from(2);
            };
            let files: Vec<String> = file.into_iter().chain(files).collect();
            let show = Show { json, quiet };
            let alg = match hash {
                HashArg::Sha256 => HashAlg::Sha256,
                HashArg::Md5 => HashAlg::Md5,
            };
            let v = validator(policy, &blocklist);
            let par = jobs.parallel();
            run(
                &files,
                |name, input, out, o| fingerprint(name, input, out, o, &v, par, alg, show, dropin),
                &mut out,
            )
            .map(|mut o| {
                if dropin {
                    // ssh-keygen -l: success when a key was printed.
                    o.fatal |= o.io_error;
                    o.invalid = false;
                    o.io_error = false;
                }
                o
            })
        }
        Command::KnownHosts {
            command:
                KnownHostsCommand::Find {
                    quiet,
                    file_opt,
                    host,
                    file,
                },
        } => {
            let Some(path) = file_opt.or(file).or_else(known_hosts::default_file) else {
                eprintln!("keyvet: no known_hosts file given, and HOME is not set");
                return ExitCode::from(255);
            };
            let found = known_hosts::find(&host, &path, quiet, &mut out);
            let flushed = out.flush();
            return match (found, flushed) {
                (Err(e), _) | (Ok(_), Err(e)) => {
                    eprintln!("keyvet: {}", output::describe(&path, &e));
                    ExitCode::from(255)
                }
                (Ok(known_hosts::Found::Yes), Ok(())) => ExitCode::SUCCESS,
                (Ok(known_hosts::Found::No), Ok(())) => ExitCode::from(1),
                (Ok(known_hosts::Found::Unreadable), Ok(())) => ExitCode::from(255),
            };
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "keyvet", &mut out);
            Ok(Outcome::default())
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut out).map(|()| Outcome::default())
        }
        Command::Inspect {
            json,
            verbose,
            hash,
            files,
        } => {
            let hash = match hash {
                HashArg::Sha256 => HashAlg::Sha256,
                HashArg::Md5 => HashAlg::Md5,
            };
            let args = inspect::InspectArgs {
                json,
                verbose,
                hash,
                files,
            };
            return inspect::main(&args, &mut out);
        }
        Command::Import {
            profile,
            requests,
            name,
            tags,
            project_id,
            region,
            resource_group,
            known_projects,
            known_resource_groups,
            xml,
            store,
            quota,
            file,
        } => {
            if xml && !profile.api.speaks_xml() {
                eprintln!("keyvet: --xml: the {} API answers in JSON only", profile.id);
                return ExitCode::from(2);
            }
            let mut profile = *profile;
            if let Some(q) = quota {
                profile.quota = q;
            }
            let args = import::ImportArgs {
                profile,
                requests,
                name,
                tags,
                project_id,
                region,
                resource_group,
                known_projects,
                known_resource_groups,
                xml,
                store,
                file,
            };
            import::run(&args, &mut out).map(|all_ok| Outcome {
                invalid: !all_ok,
                io_error: false,
                ..Outcome::default()
            })
        }
        Command::Convert { policy, file } => convert(file.as_deref().unwrap_or("-"), policy.policy(), &mut out),
        Command::Vet {
            json,
            policy,
            repair,
            file,
        } => {
            let Some((mut p, blocklist)) = build(&policy) else {
                return ExitCode::from(2);
            };
            p.repair_pastes |= repair;
            let mut checker = Checker::new(p);
            if let Some(b) = blocklist {
                checker = checker.with_blocklist(b);
            }
            vet(file.as_deref().unwrap_or("-"), &checker, json, &mut out)
        }
        Command::Serve(args) => return serve::main(&args),
        Command::Create {
            profile,
            name,
            key_type,
            bits,
            store,
        } => {
            use keyvet_cloud::generate::NewKey;
            let kind = match key_type {
                KeyTypeArg::Rsa => NewKey::Rsa(bits),
                KeyTypeArg::Ed25519 => NewKey::Ed25519,
                KeyTypeArg::EcdsaP256 => NewKey::EcdsaP256,
                KeyTypeArg::EcdsaP384 => NewKey::EcdsaP384,
            };
            let store = match import::open_store(store.as_deref(), &[], &[]) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("keyvet: {e}");
                    return ExitCode::from(2);
                }
            };
            let (body, ok) = match profile.create(Some(&name), kind, store.as_ref(), &keyvet_cloud::RandomIds) {
                Ok(c) => (c.to_json(), true),
                Err(e) => (e.to_json(), false),
            };
            writeln!(out, "{body}").map(|()| Outcome {
                invalid: !ok,
                io_error: false,
                ..Outcome::default()
            })
        }
    };
    let flushed = out.flush();
    match (result, flushed) {
        (Err(e), _) | (Ok(_), Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        (Err(e), _) | (Ok(_), Err(e)) => {
            eprintln!("keyvet: {}", output::Reason(&e));
            ExitCode::from(2)
        }
        (Ok(o), Ok(())) if o.fatal => ExitCode::from(255),
        (Ok(o), Ok(())) if o.io_error => ExitCode::from(2),
        (Ok(o), Ok(())) if o.invalid => ExitCode::from(1),
        (Ok(_), Ok(())) => ExitCode::SUCCESS,
    }
}

/// An input of `check` or `fingerprint`.
enum Input<'a> {
    /// Standard input from a terminal: read line by line, so that each
    /// line is answered as it is typed.
    Terminal(io::StdinLock<'a>),
    /// A file or a pipe: read in chunks, checked on every core.
    Stream(&'a mut dyn Read),
}

fn run<W: Write>(
    files: &[String],
    mut handle: impl FnMut(&str, Input<'_>, &mut W, &mut Outcome) -> io::Result<()>,
    out: &mut W,
) -> io::Result<Outcome> {
    use std::io::IsTerminal;
    let mut o = Outcome::default();
    let stdin_only = [String::from("-")];
    let files = if files.is_empty() { &stdin_only[..] } else { files };
    for name in files {
        o.inputs += 1;
        if name == "-" {
            let stdin = io::stdin();
            let mut lock = stdin.lock();
            let input = if lock.is_terminal() {
                Input::Terminal(lock)
            } else {
                Input::Stream(&mut lock)
            };
            handle("-", input, out, &mut o)?;
            continue;
        }
        match File::open(name) {
            Ok(mut f) => {
                if let Err(e) = handle(name, Input::Stream(&mut f), out, &mut o) {
                    if e.kind() == io::ErrorKind::BrokenPipe || output::is_output(&e) {
                        return Err(e);
                    }
                    eprintln!("keyvet: {}", output::describe(name, &e));
                    o.io_error = true;
                }
            }
            Err(e) => {
                eprintln!("keyvet: {}", output::describe(name, &e));
                o.io_error = true;
            }
        }
    }
    Ok(o)
}

fn validator(policy: Policy, blocklist: &Option<std::sync::Arc<keyvet::weak::Blocklist>>) -> Checker {
    let v = Checker::new(policy);
    match blocklist {
        Some(bl) => v.with_blocklist(std::sync::Arc::clone(bl)),
        None => v,
    }
}

/// How `check` and `fingerprint` print.
#[derive(Debug, Clone, Copy)]
struct Show {
    json: bool,
    quiet: bool,
}

/// Writes one event of `check` (on a worker thread).
fn check_event(name: &str, show: Show, out: &mut Vec<u8>, event: Event<'_, '_, '_>) -> io::Result<()> {
    let json = show.json;
    match event {
        Event::Key { line, checked, .. } => {
            if json {
                keyvet::json_lines::valid(out, name, line, checked)
            } else {
                if show.quiet {
                    for f in checked.findings().iter() {
                        writeln!(out, "{name}:{line}:   {f}")?;
                    }
                    return Ok(());
                }
                write!(
                    out,
                    "{name}:{line}: ok {} {} {} {}",
                    checked.algorithm(),
                    checked.bits(),
                    checked.sha256(),
                    Escaped(checked.line().comment_bytes().unwrap_or(b"")),
                )?;
                if let Some(h) = checked.host_line() {
                    // A known_hosts line: say so, with its marker and hosts.
                    out.write_all(b" [known_hosts")?;
                    if let Some(m) = h.marker() {
                        write!(out, " {m}")?;
                    }
                    match h.hosts() {
                        keyvet::known_hosts::Hosts::Hashed(_) => out.write_all(b" hashed host]")?,
                        keyvet::known_hosts::Hosts::Patterns(p) => write!(out, " {}]", Escaped(p))?,
                    }
                }
                out.write_all(b"\n")?;
                for f in checked.findings().iter() {
                    writeln!(out, "{name}:{line}:   {f}")?;
                }
                Ok(())
            }
        }
        Event::Invalid { line, error, findings } => {
            if json {
                keyvet::json_lines::invalid(out, name, line, &error, &findings)
            } else {
                writeln!(out, "{name}: {error} [{}]", error.code())?;
                // The error may be the first finding itself.
                let shown = match error.kind() {
                    keyvet::ErrorKind::Weak(w) => Some(w.check),
                    _ => None,
                };
                for f in findings
                    .iter()
                    .filter(|f| Some(f.check) != shown || f.severity != keyvet::weak::Severity::Error)
                {
                    writeln!(out, "{name}:{line}:   {f}")?;
                }
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn check<W: Write>(
    name: &str,
    input: Input<'_>,
    out: &mut W,
    o: &mut Outcome,
    v: &Checker,
    par: Parallel,
    source: u32,
    batch: &mut Batch,
    show: Show,
) -> io::Result<()> {
    let summary = match input {
        Input::Terminal(lock) => {
            let mut v = v.clone();
            let mut line = Vec::new();
            stream::check_into(lock, &mut v, source, batch, |event| {
                line.clear();
                check_event(name, show, &mut line, event)?;
                out.write_all(&line)?;
                out.flush()
            })?
        }
        Input::Stream(r) => stream::par_check(
            r,
            v,
            par,
            source,
            batch,
            Vec::new,
            |acc, event| check_event(name, show, acc, event),
            |acc| out.write_all(&acc),
        )?,
    };
    o.invalid |= summary.invalid > 0;
    o.valid_lines += summary.valid;
    o.invalid_lines += summary.invalid;
    Ok(())
}

/// After every input: the lines whose RSA modulus shares a prime with
/// another's, in any of the inputs.
fn shared_primes<W: Write>(
    batch: &Batch,
    names: &[String],
    severity: keyvet::weak::Severity,
    json: bool,
    out: &mut W,
    o: &mut Outcome,
) -> io::Result<()> {
    let name = |i: u32| names.get(i as usize).map_or("-", String::as_str);
    for x in batch.shared() {
        o.invalid |= severity == keyvet::weak::Severity::Error;
        let (file, other_file) = (name(x.source), name(x.other_source));
        if json {
            keyvet::json_lines::shared_prime(out, file, x.line, other_file, x.other_line, severity)?;
        } else {
            let c = keyvet::weak::Check::RsaSharedPrime;
            writeln!(
                out,
                "{file}:{}: {} [{}]: shares a prime with {other_file}:{}: {} ({})",
                x.line,
                severity.name(),
                c.id(),
                x.other_line,
                c.message(),
                c.reference()
            )?;
        }
    }
    Ok(())
}

/// Standard output and standard error of a chunk of `fingerprint`.
#[derive(Default)]
struct Printed {
    out: Vec<u8>,
    err: Vec<u8>,
}

fn fingerprint_event(
    name: &str,
    alg: HashAlg,
    show: Show,
    p: &mut Printed,
    event: Event<'_, '_, '_>,
) -> io::Result<()> {
    match event {
        Event::Key { line, checked, .. } if show.json => keyvet::json_lines::valid(&mut p.out, name, line, checked),
        Event::Invalid { line, error, findings } if show.json => {
            keyvet::json_lines::invalid(&mut p.out, name, line, &error, &findings)
        }
        Event::Key { checked, comment, .. } => writeln!(p.out, "{}", checked.listing_line_with(alg, comment)),
        Event::Invalid { .. } if show.quiet => Ok(()),
        Event::Invalid { error, .. } => writeln!(p.err, "{name}: {error} [{}]", error.code()),
        _ => Ok(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn fingerprint<W: Write>(
    name: &str,
    input: Input<'_>,
    out: &mut W,
    o: &mut Outcome,
    v: &Checker,
    par: Parallel,
    alg: HashAlg,
    show: Show,
    dropin: bool,
) -> io::Result<()> {
    let mut emit = |p: Printed| -> io::Result<()> {
        out.write_all(&p.out)?;
        if !p.err.is_empty() {
            out.flush()?;
            io::stderr().write_all(&p.err)?;
        }
        out.flush()
    };
    // As ssh-keygen: a private key file's public half may be in FILE.pub,
    // read only if the file itself holds no public key line.
    let pubname = format!("{name}.pub");
    let pub_file = || File::open(&pubname).ok().map(BufReader::new);
    let summary = match input {
        Input::Terminal(lock) => {
            let mut v = v.clone();
            stream::listing(lock, Source::Stdin, &mut v, |event| {
                let mut p = Printed::default();
                fingerprint_event(name, alg, show, &mut p, event)?;
                emit(p)
            })?
        }
        Input::Stream(r) => {
            let source = if name == "-" { Source::Stdin } else { Source::File(name) };
            stream::par_listing(
                r,
                source,
                pub_file,
                v,
                par,
                Printed::default,
                |p, event| fingerprint_event(name, alg, show, p, event),
                emit,
            )?
        }
    };
    o.invalid |= summary.invalid > 0;
    o.valid_lines += summary.valid;
    o.invalid_lines += summary.invalid;
    if dropin && summary.valid == 0 {
        // ssh-keygen -l's fatal error, in its words.
        let path = if name == "-" { "(stdin)" } else { name };
        out.flush()?;
        eprintln!("{path} is not a public key file.");
        o.fatal = true;
    }
    Ok(())
}

/// The longest blocklist line, and the largest blocklist, read: an entry
/// is a hash of under 100 characters; 256 MiB holds millions of them.
const BLOCKLIST_LINE: usize = 4096;
const BLOCKLIST_MAX: usize = 256 << 20;

/// Reads a `--blocklist` file, bounded: a line over 4 KiB or a file over
/// 256 MiB is refused (a wrong path such as `/dev/zero` ends at once).
fn read_blocklist(path: &str) -> Result<String, String> {
    let file = File::open(path).map_err(|e| output::describe(path, &e))?;
    // A line is read to its end before it is found too long: an endless one
    // (`/dev/zero`) ends the read instead.
    let mut lines = keyvet::line::LineReader::new(BufReader::new(file), BLOCKLIST_LINE).with_give_up(BLOCKLIST_LINE);
    let mut text = String::new();
    while let Some(raw) = lines.next_line().map_err(|e| format!("{path}: {e}: not a blocklist"))? {
        match raw {
            keyvet::line::RawLine::TooLong { number, .. } => {
                return Err(format!("{path}:{number}: longer than 4 KiB: not a blocklist line"));
            }
            keyvet::line::RawLine::Line { number, bytes } => {
                let Ok(line) = std::str::from_utf8(bytes) else {
                    return Err(format!("{path}:{number}: not UTF-8: not a blocklist line"));
                };
                if text.len() + line.len() + 1 > BLOCKLIST_MAX {
                    return Err(format!("{path}: larger than 256 MiB"));
                }
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    Ok(text)
}

/// `keyvet convert`: reads at most `convert::MAX_INPUT` bytes into a buffer
/// that is zeroed on drop (it may hold a private key).
/// Reads a whole input of at most `max` bytes (one more tells that it is
/// over), into a buffer zeroed when dropped: it may be a private key.
fn read_upload(name: &str, max: usize) -> io::Result<zeroize::Zeroizing<Vec<u8>>> {
    let mut buf = zeroize::Zeroizing::new(Vec::new());
    let limit = u64::try_from(max + 1).unwrap_or(u64::MAX);
    if name == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut buf)?;
    } else {
        File::open(name)
            .map_err(|e| io::Error::new(e.kind(), output::describe(name, &e)))?
            .take(limit)
            .read_to_end(&mut buf)?;
    }
    Ok(buf)
}

/// [`read_upload`], with an I/O error said on standard error.
fn upload(name: &str, max: usize) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    read_upload(name, max)
        .map_err(|e| eprintln!("keyvet: {}", output::Reason(&e)))
        .ok()
}

/// `keyvet vet`: one upload, one verdict.
fn vet<W: Write>(name: &str, checker: &Checker, json: bool, out: &mut W) -> io::Result<Outcome> {
    let Some(buf) = upload(name, keyvet::vet::MAX_UPLOAD) else {
        return Ok(Outcome {
            invalid: false,
            io_error: true,
            ..Outcome::default()
        });
    };
    let verdict = keyvet::vet::vet_with(&buf, checker);
    let invalid = verdict.is_err();
    if json {
        keyvet::json_lines::vetted(out, &verdict)?;
    } else {
        match &verdict {
            Ok(v) => {
                writeln!(out, "{}", v.line)?;
                if let Some(f) = v.converted_from {
                    eprintln!("{name}: converted from {f}");
                }
                for r in &v.repairs {
                    eprintln!("{name}: {r} [{}]", r.code());
                }
                for f in &v.report.findings {
                    eprintln!("{name}: {f}");
                }
            }
            Err(e) => writeln!(out, "{name}: {e} [{}]", e.code())?,
        }
    }
    Ok(Outcome {
        invalid,
        ..Outcome::default()
    })
}

fn convert<W: Write>(name: &str, policy: Policy, out: &mut W) -> io::Result<Outcome> {
    let Some(buf) = upload(name, keyvet::convert::MAX_INPUT) else {
        return Ok(Outcome {
            invalid: false,
            io_error: true,
            ..Outcome::default()
        });
    };
    let invalid = |e: keyvet::Error| {
        eprintln!("{name}: {e} [{}]", e.code());
        Ok(Outcome {
            invalid: true,
            io_error: false,
            ..Outcome::default()
        })
    };
    let c = match keyvet::convert::to_openssh(&buf) {
        Ok(c) => c,
        Err(e) => return invalid(e),
    };
    let line = c.line();
    let mut v = Checker::new(policy);
    if let Err(e) = v.check_line(&line) {
        return invalid(e);
    }
    out.write_all(&line)?;
    out.write_all(b"\n")?;
    if c.format() != keyvet::convert::Format::OpenSsh {
        eprintln!("{name}: converted from {}", c.format());
    }
    if let Some(why) = c.openssh_cannot_load() {
        eprintln!("{name}: note: {why}");
    }
    Ok(Outcome::default())
}
