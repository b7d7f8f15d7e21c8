//! The state the key-pair APIs need: names, keys and quotas.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// A key pair as a store keeps it (never a private key).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StoredKey {
    /// The key pair's name.
    pub name: String,
    /// The key's SHA-256 fingerprint (`SHA256:...`), which identifies the
    /// key bytes whatever the comment or options.
    pub fingerprint: String,
    /// The ID the API returned for it.
    pub key_id: String,
    /// The MD5 fingerprint, bare colon hex (as Alibaba lists it).
    pub md5: String,
    /// The public key, as the OpenSSH line keyvet accepted (converted when
    /// it was uploaded in another format).
    pub public_key: String,
    /// When it was stored, in seconds since the Unix epoch.
    pub created_at: i64,
    /// Its project (Tencent `ProjectId`; 0 is the default project).
    pub project_id: i64,
    /// Its resource group (Alibaba `ResourceGroupId`).
    pub resource_group: Option<String>,
    /// Its tags, `(key, value)`.
    pub tags: Vec<(String, String)>,
}

/// Why a deletion was refused.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteError {
    /// This key ID is not in the scope (nothing was deleted).
    NotFound(String),
    /// The store could not delete (an I/O error; nothing was deleted).
    Unavailable,
}

/// Why an insertion was refused.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// The name is taken in this scope.
    Name,
    /// The same key is already stored in this scope.
    Key,
    /// The scope holds its quota of keys.
    Quota,
    /// The store could not record the key (an I/O error).
    Unavailable,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Conflict::Name => "the name is taken in this scope",
            Conflict::Key => "the key is already stored in this scope",
            Conflict::Quota => "the scope holds its quota of keys",
            Conflict::Unavailable => "the store could not record the key",
        })
    }
}

impl std::error::Error for Conflict {}

/// What a key-pair API stores. `insert` must be atomic: of two concurrent
/// inserts of one name or one key, exactly one succeeds.
pub trait KeyStore: Send + Sync {
    /// Stores `key` in `scope` (an account, a region) unless its name is
    /// taken, its fingerprint is present (when `unique_keys`), or the scope
    /// already holds `quota` keys. Checks in that order.
    ///
    /// # Errors
    /// The first [`Conflict`] found; nothing is stored then.
    fn insert(&self, scope: &str, key: StoredKey, quota: usize, unique_keys: bool) -> Result<(), Conflict>;

    /// Number of keys in `scope`.
    fn count(&self, scope: &str) -> usize;

    /// The key pairs of `scope` (at most its quota), in the order stored.
    ///
    /// # Errors
    /// [`Conflict::Unavailable`] when the store cannot be read.
    fn list(&self, scope: &str) -> Result<Vec<StoredKey>, Conflict>;

    /// Deletes the key pairs of `scope` with these key IDs, all at once:
    /// when `all_must_exist` and one is not there, nothing is deleted.
    /// Returns how many were deleted.
    ///
    /// # Errors
    /// The first missing ID (when `all_must_exist`), or
    /// [`DeleteError::Unavailable`].
    fn delete(&self, scope: &str, key_ids: &[String], all_must_exist: bool) -> Result<usize, DeleteError>;

    /// Whether `name` is taken in `scope`: a hint to skip costly work (key
    /// generation) before an insert that would fail; `insert` decides.
    fn contains_name(&self, scope: &str, name: &str) -> bool {
        let _ = (scope, name);
        false
    }

    /// Whether the store answers (a service's health check); a store in
    /// memory always does.
    fn healthy(&self) -> bool {
        true
    }

    /// Whether a project exists (Tencent `ProjectId`; 0 is the default project).
    fn project_exists(&self, id: i64) -> bool;

    /// Whether a resource group exists (Alibaba `ResourceGroupId`).
    fn resource_group_exists(&self, id: &str) -> bool;
}

#[derive(Debug, Default)]
struct Scope {
    /// In the order stored.
    keys: Vec<StoredKey>,
    names: HashSet<String>,
    fingerprints: HashSet<String>,
}

/// An in-memory [`KeyStore`], safe under concurrent use (one mutex; every
/// operation is short).
///
/// ```
/// use keyvet_cloud::{Conflict, KeyStore, MemoryStore, StoredKey};
/// let s = MemoryStore::new();
/// let k = |name: &str, fp: &str| StoredKey { name: name.into(), fingerprint: fp.into(), key_id: "skey-1".into(), ..StoredKey::default() };
/// assert_eq!(s.insert("r", k("a", "SHA256:x"), 2, true), Ok(()));
/// assert_eq!(s.insert("r", k("a", "SHA256:y"), 2, true), Err(Conflict::Name));
/// assert_eq!(s.insert("r", k("b", "SHA256:x"), 2, true), Err(Conflict::Key));
/// assert_eq!(s.insert("r", k("b", "SHA256:y"), 2, true), Ok(()));
/// assert_eq!(s.insert("r", k("c", "SHA256:z"), 2, true), Err(Conflict::Quota));
/// assert_eq!(s.count("r"), 2);
/// // Deleting by key ID: all or nothing, when asked.
/// use keyvet_cloud::DeleteError;
/// let id = |n: &str| s.list("r").unwrap().into_iter().find(|k| k.name == n).unwrap().key_id;
/// assert_eq!(s.insert("r", StoredKey { key_id: "skey-2".into(), ..k("c", "SHA256:z") }, 3, true), Ok(()));
/// assert_eq!(s.delete("r", &[id("c"), "skey-9".into()], true), Err(DeleteError::NotFound("skey-9".into())));
/// assert_eq!(s.delete("r", &[id("c"), "skey-9".into()], false), Ok(1));
/// assert_eq!(s.list("r").unwrap().iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
/// ```
#[derive(Debug)]
pub struct MemoryStore {
    scopes: Mutex<HashMap<String, Scope>>,
    projects: HashSet<i64>,
    resource_groups: HashSet<String>,
}

impl Default for MemoryStore {
    fn default() -> MemoryStore {
        MemoryStore::new()
    }
}

impl MemoryStore {
    /// An empty store that knows the default project 0 and no resource
    /// group.
    pub fn new() -> MemoryStore {
        MemoryStore {
            scopes: Mutex::new(HashMap::new()),
            projects: HashSet::from([0]),
            resource_groups: HashSet::new(),
        }
    }

    /// Adds known projects.
    #[must_use]
    pub fn with_projects(mut self, ids: impl IntoIterator<Item = i64>) -> MemoryStore {
        self.projects.extend(ids);
        self
    }

    /// Adds known resource groups.
    #[must_use]
    pub fn with_resource_groups<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> MemoryStore {
        self.resource_groups.extend(ids.into_iter().map(Into::into));
        self
    }

    /// The key IDs stored in a scope, by name.
    pub fn key_ids(&self, scope: &str) -> Vec<(String, String)> {
        let scopes = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut v: Vec<_> = scopes
            .get(scope)
            .map(|s| s.keys.iter().map(|k| (k.name.clone(), k.key_id.clone())).collect())
            .unwrap_or_default();
        v.sort();
        v
    }
}

impl MemoryStore {
    /// Inserts after every check passed and `commit` succeeded, all under
    /// the store's lock.
    pub(crate) fn insert_then(
        &self,
        scope: &str,
        key: StoredKey,
        quota: usize,
        unique_keys: bool,
        commit: impl FnOnce(&str, &StoredKey) -> Result<(), Conflict>,
    ) -> Result<(), Conflict> {
        // A panic elsewhere cannot leave a scope half-written: every update
        // below is a single insert after all checks.
        let mut scopes = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let s = scopes.entry(scope.to_string()).or_default();
        if s.names.contains(&key.name) {
            return Err(Conflict::Name);
        }
        if unique_keys && s.fingerprints.contains(&key.fingerprint) {
            return Err(Conflict::Key);
        }
        if s.names.len() >= quota {
            return Err(Conflict::Quota);
        }
        commit(scope, &key)?;
        s.fingerprints.insert(key.fingerprint.clone());
        s.names.insert(key.name.clone());
        s.keys.push(key);
        Ok(())
    }
}

impl KeyStore for MemoryStore {
    fn insert(&self, scope: &str, key: StoredKey, quota: usize, unique_keys: bool) -> Result<(), Conflict> {
        self.insert_then(scope, key, quota, unique_keys, |_, _| Ok(()))
    }

    fn count(&self, scope: &str) -> usize {
        let scopes = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        scopes.get(scope).map_or(0, |s| s.keys.len())
    }

    fn contains_name(&self, scope: &str, name: &str) -> bool {
        let scopes = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        scopes.get(scope).is_some_and(|s| s.names.contains(name))
    }

    fn list(&self, scope: &str) -> Result<Vec<StoredKey>, Conflict> {
        let scopes = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok(scopes.get(scope).map(|s| s.keys.clone()).unwrap_or_default())
    }

    fn delete(&self, scope: &str, key_ids: &[String], all_must_exist: bool) -> Result<usize, DeleteError> {
        let mut scopes = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(s) = scopes.get_mut(scope) else {
            return match key_ids.first() {
                Some(id) if all_must_exist => Err(DeleteError::NotFound(id.clone())),
                _ => Ok(0),
            };
        };
        if all_must_exist && let Some(id) = key_ids.iter().find(|id| !s.keys.iter().any(|k| &k.key_id == *id)) {
            return Err(DeleteError::NotFound(id.clone()));
        }
        let before = s.keys.len();
        let (gone, kept): (Vec<StoredKey>, Vec<StoredKey>) = std::mem::take(&mut s.keys)
            .into_iter()
            .partition(|k| key_ids.contains(&k.key_id));
        s.keys = kept;
        for k in &gone {
            s.names.remove(&k.name);
            s.fingerprints.remove(&k.fingerprint);
        }
        Ok(before - s.keys.len())
    }

    fn project_exists(&self, id: i64) -> bool {
        self.projects.contains(&id)
    }

    fn resource_group_exists(&self, id: &str) -> bool {
        self.resource_groups.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn concurrent_duplicate_inserts_exactly_one_wins() {
        for _ in 0..50 {
            let s = Arc::new(MemoryStore::new());
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let s = Arc::clone(&s);
                    std::thread::spawn(move || {
                        s.insert(
                            "r",
                            StoredKey {
                                name: format!("n{i}"),
                                fingerprint: "SHA256:same".into(),
                                key_id: format!("skey-{i}"),
                                ..StoredKey::default()
                            },
                            500,
                            true,
                        )
                    })
                })
                .collect();
            let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
            assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
            assert!(results.iter().all(|r| matches!(r, Ok(()) | Err(Conflict::Key))));
            assert_eq!(s.count("r"), 1);
        }
    }
}
