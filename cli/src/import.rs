//! `keyvet import`: the cloud import APIs, one request or a JSON Lines file
//! of them, against one store: in memory, or a SQLite file (`--store`).

use std::io::{self, BufRead, Read, Write};

use keyvet::line::{LineReader, RawLine};
use keyvet_cloud::{ImportRequest, KeyStore, MemoryStore, Provider, RandomIds, Rejection};
use keyvet_server::SqliteStore;
use serde_json::{Map, Value};

/// The longest line of `--requests`: a request body of the service.
const MAX_REQUEST: usize = 64 * 1024;

/// A `--requests` line this long is not a request that ran over: the
/// input is abandoned.
const GIVE_UP: usize = 1 << 20;

/// What `keyvet import` was asked to do.
#[derive(Debug)]
pub(crate) struct ImportArgs {
    pub(crate) profile: Provider,
    pub(crate) requests: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) project_id: i64,
    pub(crate) region: String,
    pub(crate) resource_group: Option<String>,
    pub(crate) known_projects: Vec<i64>,
    pub(crate) known_resource_groups: Vec<String>,
    pub(crate) xml: bool,
    pub(crate) store: Option<String>,
    pub(crate) file: Option<String>,
}

fn open(path: &str) -> io::Result<Box<dyn BufRead>> {
    if path == "-" {
        Ok(Box::new(io::BufReader::new(io::stdin())))
    } else {
        Ok(Box::new(io::BufReader::new(std::fs::File::open(path)?)))
    }
}

/// The store of `--store FILE` (SQLite), or one in memory for this run.
pub(crate) fn open_store(
    path: Option<&str>,
    projects: &[i64],
    resource_groups: &[String],
) -> io::Result<Box<dyn KeyStore>> {
    Ok(match path {
        Some(path) => Box::new(
            SqliteStore::open(path)
                .map_err(|e| io::Error::other(e.to_string()))?
                .with_projects(projects.iter().copied())
                .with_resource_groups(resource_groups.iter().cloned()),
        ),
        None => Box::new(
            MemoryStore::new()
                .with_projects(projects.iter().copied())
                .with_resource_groups(resource_groups.iter().cloned()),
        ),
    })
}

/// Runs the command; returns whether every request succeeded.
pub(crate) fn run<W: Write>(a: &ImportArgs, out: &mut W) -> io::Result<bool> {
    let store = open_store(a.store.as_deref(), &a.known_projects, &a.known_resource_groups)?;
    let store = store.as_ref();
    let mut all_ok = true;
    let mut serve = |req: &ImportRequest, out: &mut W| -> io::Result<()> {
        let body = match a.profile.import(req, store, &RandomIds) {
            Ok(ok) => {
                if let Some(f) = ok.converted_from {
                    eprintln!("keyvet: {}: converted from {f}", ok.key_name);
                }
                body(a.xml, ok.to_xml(), ok.to_json())
            }
            Err(e) => {
                all_ok = false;
                body(a.xml, e.to_xml(), e.to_json())
            }
        };
        // Each answer as soon as it is stored: a program that feeds
        // `--requests -` one request at a time reads it before the next.
        writeln!(out, "{body}")?;
        out.flush()
    };
    if let Some(path) = &a.requests {
        // A bad line is answered with the API's error body, said on
        // standard error with its number, and the batch goes on.
        // A request line over the limit is reported and the batch goes on;
        // one that never ends (1 MiB without a newline) ends the batch.
        let mut lines = LineReader::new(open(path)?, MAX_REQUEST).with_give_up(GIVE_UP);
        let named = |e: io::Error| io::Error::new(e.kind(), format!("{path}: {e}"));
        while let Some(raw) = lines.next_line().map_err(named)? {
            let (number, parsed) = match raw {
                RawLine::TooLong { number, .. } => (number, Err("longer than 64 KiB")),
                RawLine::Line { bytes, .. } if bytes.trim_ascii().is_empty() => continue,
                RawLine::Line { number, bytes } => (
                    number,
                    match std::str::from_utf8(bytes).map(serde_json::from_str::<Value>) {
                        Err(_) => Err("not UTF-8"),
                        Ok(Ok(Value::Object(obj))) => Ok(a.profile.request_from_json(&obj)),
                        Ok(_) => Err("not a JSON object"),
                    },
                ),
            };
            let req = parsed.unwrap_or_else(|reason| {
                eprintln!("keyvet: {path}:{number}: {reason}: not a request");
                ImportRequest {
                    malformed: Some(Rejection::InvalidParameter {
                        parameter: "request",
                        reason,
                    }),
                    ..ImportRequest::default()
                }
            });
            serve(&req, out)?;
        }
    } else {
        // At most one byte over the largest upload: vetting refuses it by
        // its size.
        let mut key = Vec::new();
        let limit = u64::try_from(keyvet::vet::MAX_UPLOAD + 1).unwrap_or(u64::MAX);
        open(a.file.as_deref().unwrap_or("-"))?
            .take(limit)
            .read_to_end(&mut key)?;
        let key = String::from_utf8_lossy(&key).into_owned();
        serve(&single_request(a, key), out)?;
    }
    Ok(all_ok)
}

/// The XML body when asked for and the API has one, else the JSON body.
fn body(xml: bool, as_xml: Option<String>, json: Value) -> String {
    match as_xml {
        Some(x) if xml => x,
        _ => json.to_string(),
    }
}

/// The request of `--name NAME [--tag K=V]... [FILE]`, in the API's terms:
/// the parameters a client of the API would send.
fn single_request(a: &ImportArgs, key: String) -> ImportRequest {
    let names = a.profile.params;
    let mut obj = Map::new();
    if let Some(n) = &a.name {
        obj.insert(names.name.into(), n.clone().into());
    }
    obj.insert(names.public_key.into(), key.into());
    if let Some(p) = names.region {
        obj.insert(p.into(), a.region.clone().into());
    }
    if let (Some(p), Some(rg)) = (names.resource_group, &a.resource_group) {
        obj.insert(p.into(), rg.clone().into());
    }
    if let Some(p) = names.project {
        obj.insert(p.into(), a.project_id.into());
    }
    let tags = match a.tags.as_slice() {
        [] => Ok(()),
        tags => a.profile.api.write_tags(tags, &mut obj),
    };
    let mut req = a.profile.request_from_json(&obj);
    if let Err(rej) = tags {
        req.malformed = Some(rej);
    }
    req
}
