//! The cloud key-pair APIs keyvet was specified from, served with keyvet's
//! checks: import (and create) endpoints with their name rules, tag rules,
//! accepted key types, error codes and response bodies, exactly as
//! documented.
//!
//! Each API is a [`Provider`] value in its vendor's own file:
//!
//! * [`tencent_cvm::IMPORT`]: Tencent Cloud CVM `ImportKeyPair`, API 3.0
//!   (2017-03-12): `KeyName`, `ProjectId`, `PublicKey`, `TagSpecification`.
//! * [`tencent_cvm::IMPORT_V2`]: the legacy v2 `ImportKeyPair` (`keyName`,
//!   `pubKey`) and `CreateKeyPair` ([`Provider::create`]).
//! * [`alibaba_ecs::IMPORT`]: Alibaba Cloud ECS `ImportKeyPair`
//!   (2014-05-26): `KeyPairName`, `PublicKeyBody`, `RegionId`,
//!   `Tag.N.Key`/`Tag.N.Value`, `ResourceGroupId`.
//!
//! A provider holds its data (parameter names, store scope, name and tag
//! rules, the keyvet [`Policy`](keyvet::Policy) its uploads are checked
//! with, quota) and its [`Api`]: tag syntax, response and error bodies,
//! error codes. The steps of an import are generic and in the API's order
//! ([`Provider::import`]); nothing outside a vendor's file knows the
//! vendor. Adding a provider is adding a file (and a line to [`ALL`]).
//!
//! ```
//! use keyvet_cloud::{MemoryStore, RandomIds, alibaba_ecs};
//!
//! let store = MemoryStore::new();
//! let body = std::fs::read_to_string("../corpus/valid/rsa-2048.pub").unwrap();
//! let p = &alibaba_ecs::IMPORT;
//! let req = p.request_from_params([
//!     ("KeyPairName", "team-key"),
//!     ("RegionId", "cn-hangzhou"),
//!     ("PublicKeyBody", body.as_str()),
//! ]);
//! let ok = p.import(&req, &store, &RandomIds).unwrap();
//! assert_eq!(ok.md5_hex.split(':').count(), 16); // KeyPairFingerPrint
//! let dup = p.import(&req, &store, &RandomIds).unwrap_err();
//! assert_eq!((dup.code, dup.http_status), ("KeyPair.AlreadyExist", 400));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

pub mod alibaba_ecs;
mod api;
#[cfg(feature = "generate")]
pub mod generate;
mod ids;
mod key_pairs;
mod provider;
mod rejection;
mod request;
mod rules;
mod store;
pub mod tencent_cvm;

pub use api::{Api, Created, Imported, ProviderError};
pub use ids::{IdSource, RandomIds};
pub use key_pairs::{DeleteRequest, Deleted, ListPage, ListRequest, NamePattern, utc_timestamp};
pub use provider::{Params, Provider};
pub use rejection::Rejection;
pub use request::{ImportRequest, Tag};
pub use rules::{NameCharset, NameRules, TagRules};
pub use store::{Conflict, DeleteError, KeyStore, MemoryStore, StoredKey};

/// The README's examples, run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Every provider, by command-line name.
pub const ALL: [&Provider; 3] = [&tencent_cvm::IMPORT, &tencent_cvm::IMPORT_V2, &alibaba_ecs::IMPORT];

/// A provider by its command-line name (`tencent-cvm`, `tencent-cvm-v2`,
/// `alibaba-ecs`).
///
/// ```
/// assert_eq!(keyvet_cloud::by_id("alibaba-ecs").unwrap().params.region, Some("RegionId"));
/// assert!(keyvet_cloud::by_id("aws").is_none());
/// ```
pub fn by_id(id: &str) -> Option<&'static Provider> {
    ALL.iter().copied().find(|p| p.id == id)
}
