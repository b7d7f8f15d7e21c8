//! Every provider on every pasted upload of `corpus/pasted`: what keyvet
//! refuses under strict (private keys, paste mistakes) is the provider's
//! malformed-key error; the providers repair nothing, as the real ones do.

use std::path::PathBuf;

use keyvet_cloud::{ALL, MemoryStore, RandomIds};

fn pasted() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus/pasted")
}

#[test]
fn every_provider_refuses_what_vetting_refuses_with_its_malformed_key_code() {
    let manifest = std::fs::read_to_string(pasted().join("MANIFEST.tsv")).unwrap();
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (c_name, c_strict) = (col("name"), col("strict"));
    let mut private = 0;
    for p in ALL {
        let malformed = p
            .error(
                keyvet_cloud::Rejection::Key(keyvet::Error::new(keyvet::LineError::NoKey)),
                String::new(),
            )
            .code;
        for row in lines.clone() {
            let r: Vec<&str> = row.split('\t').collect();
            let want = r[c_strict];
            // Accepted uploads depend on the provider's key types; the
            // refusals of the upload itself do not.
            if want == "ok" || !(want.starts_with("upload.") || want.starts_with("line.") || want == "input.no_key") {
                continue;
            }
            let input = std::fs::read(pasted().join("inputs").join(r[c_name])).unwrap();
            // The APIs take text: bytes that are not UTF-8 cannot be sent.
            let Ok(text) = String::from_utf8(input) else { continue };
            let mut params = serde_json::Map::new();
            params.insert(p.params.name.into(), "k1".into());
            params.insert(p.params.public_key.into(), text.into());
            if let Some(region) = p.params.region {
                params.insert(region.into(), "cn-hangzhou".into());
            }
            if let Some(project) = p.params.project {
                params.insert(project.into(), 0.into());
            }
            let req = p.request_from_json(&params);
            let e = p.import(&req, &MemoryStore::new(), &RandomIds).unwrap_err();
            let why = e.rejection.to_string();
            let expected_code = if want == "input.no_key" { None } else { Some(malformed) };
            if let Some(code) = expected_code {
                assert_eq!(e.code, code, "{} {}: {why}", p.id, r[c_name]);
                assert!(why.contains(want), "{} {}: {why}", p.id, r[c_name]);
            }
            if want == "upload.private_key" {
                private += 1;
            }
        }
    }
    assert!(private >= 3 * 60, "{private}");
}
