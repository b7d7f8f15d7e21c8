//! `keyvet import`: the cloud import APIs, one request or a JSON Lines file
//! of them, against one in-memory store.

use std::io::{self, BufRead, Read, Write};

use keyvet_cloud::{FileStore, ImportRequest, KeyStore, MemoryStore, Provider, RandomIds, Rejection};
use serde_json::{Map, Value};

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

/// Runs the command; returns whether every request succeeded.
pub(crate) fn run<W: Write>(a: &ImportArgs, out: &mut W) -> io::Result<bool> {
    let mem = MemoryStore::new()
        .with_projects(a.known_projects.iter().copied())
        .with_resource_groups(a.known_resource_groups.iter().cloned());
    let store: Box<dyn KeyStore> = match &a.store {
        Some(path) => Box::new(FileStore::open(path, mem)?),
        None => Box::new(mem),
    };
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
        writeln!(out, "{body}")
    };
    if let Some(path) = &a.requests {
        let mut input = open(path)?;
        let mut line = String::new();
        loop {
            line.clear();
            if input.read_line(&mut line)? == 0 {
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            let req = match serde_json::from_str::<Value>(&line) {
                Ok(Value::Object(obj)) => a.profile.request_from_json(&obj),
                _ => ImportRequest {
                    malformed: Some(Rejection::InvalidParameter {
                        parameter: "request",
                        reason: "not a JSON object",
                    }),
                    ..ImportRequest::default()
                },
            };
            serve(&req, out)?;
        }
    } else {
        let mut key = String::new();
        open(a.file.as_deref().unwrap_or("-"))?.read_to_string(&mut key)?;
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
