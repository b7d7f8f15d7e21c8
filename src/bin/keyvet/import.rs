//! `keyvet import`: the cloud import APIs, one request or a JSON Lines file
//! of them, against one in-memory store.

use std::io::{self, BufRead, Read, Write};

use keyvet::profile::{Api, FileStore, ImportRequest, KeyStore, MemoryStore, Profile, RandomIds, Rejection, Tag};
use serde_json::{Map, Value};

/// What `keyvet import` was asked to do.
#[derive(Debug)]
pub(crate) struct ImportArgs {
    pub(crate) profile: Profile,
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
                if a.xml { ok.to_xml() } else { ok.to_json().to_string() }
            }
            Err(e) => {
                all_ok = false;
                if a.xml { e.to_xml() } else { e.to_json().to_string() }
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
                Ok(Value::Object(obj)) => ImportRequest::from_json(a.profile.api, &obj),
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

/// The request of `--name NAME [--tag K=V]... [FILE]`, in the API's terms.
fn single_request(a: &ImportArgs, key: String) -> ImportRequest {
    let mut obj = Map::new();
    let (name, pubkey) = match a.profile.api {
        Api::TencentCvmV2 => ("keyName", "pubKey"),
        Api::AlibabaEcs => ("KeyPairName", "PublicKeyBody"),
        _ => ("KeyName", "PublicKey"),
    };
    if let Some(n) = &a.name {
        obj.insert(name.into(), n.clone().into());
    }
    obj.insert(pubkey.into(), key.into());
    match a.profile.api {
        Api::AlibabaEcs => {
            obj.insert("RegionId".into(), a.region.clone().into());
            if let Some(rg) = &a.resource_group {
                obj.insert("ResourceGroupId".into(), rg.clone().into());
            }
            for (i, (k, v)) in a.tags.iter().enumerate() {
                obj.insert(format!("Tag.{}.Key", i + 1), k.clone().into());
                obj.insert(format!("Tag.{}.Value", i + 1), v.clone().into());
            }
        }
        Api::TencentCvm => {
            obj.insert("ProjectId".into(), a.project_id.into());
            if !a.tags.is_empty() {
                let tags: Vec<Value> = a
                    .tags
                    .iter()
                    .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
                    .collect();
                obj.insert(
                    "TagSpecification".into(),
                    serde_json::json!([{"ResourceType": "keypair", "Tags": tags}]),
                );
            }
        }
        _ => {}
    }
    let mut req = ImportRequest::from_json(a.profile.api, &obj);
    if a.profile.api == Api::TencentCvmV2 && !a.tags.is_empty() {
        // The v2 API has no tags; say so rather than drop them.
        req.tags = a
            .tags
            .iter()
            .enumerate()
            .map(|(i, (k, v))| Tag {
                index: i + 1,
                key: Some(k.clone()),
                value: Some(v.clone()),
            })
            .collect();
        req.malformed = Some(Rejection::InvalidParameter {
            parameter: "tag",
            reason: "the v2 API takes no tags",
        });
    }
    req
}
