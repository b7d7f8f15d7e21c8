//! The state the key-pair APIs need: names, keys and quotas.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// A key pair as a store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoredKey {
    /// The key pair's name.
    pub name: String,
    /// The key's SHA-256 fingerprint (`SHA256:...`), which identifies the
    /// key bytes whatever the comment or options.
    pub fingerprint: String,
    /// The ID the API returned for it.
    pub key_id: String,
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
    names: HashMap<String, String>,
    fingerprints: HashSet<String>,
}

/// An in-memory [`KeyStore`], safe under concurrent use (one mutex; every
/// operation is short).
///
/// ```
/// use keyvet_cloud::{Conflict, KeyStore, MemoryStore, StoredKey};
/// let s = MemoryStore::new();
/// let k = |name: &str, fp: &str| StoredKey { name: name.into(), fingerprint: fp.into(), key_id: "skey-1".into() };
/// assert_eq!(s.insert("r", k("a", "SHA256:x"), 2, true), Ok(()));
/// assert_eq!(s.insert("r", k("a", "SHA256:y"), 2, true), Err(Conflict::Name));
/// assert_eq!(s.insert("r", k("b", "SHA256:x"), 2, true), Err(Conflict::Key));
/// assert_eq!(s.insert("r", k("b", "SHA256:y"), 2, true), Ok(()));
/// assert_eq!(s.insert("r", k("c", "SHA256:z"), 2, true), Err(Conflict::Quota));
/// assert_eq!(s.count("r"), 2);
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
            .map(|s| s.names.iter().map(|(n, id)| (n.clone(), id.clone())).collect())
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
        if s.names.contains_key(&key.name) {
            return Err(Conflict::Name);
        }
        if unique_keys && s.fingerprints.contains(&key.fingerprint) {
            return Err(Conflict::Key);
        }
        if s.names.len() >= quota {
            return Err(Conflict::Quota);
        }
        commit(scope, &key)?;
        s.fingerprints.insert(key.fingerprint);
        s.names.insert(key.name, key.key_id);
        Ok(())
    }
}

impl KeyStore for MemoryStore {
    fn insert(&self, scope: &str, key: StoredKey, quota: usize, unique_keys: bool) -> Result<(), Conflict> {
        self.insert_then(scope, key, quota, unique_keys, |_, _| Ok(()))
    }

    fn count(&self, scope: &str) -> usize {
        let scopes = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        scopes.get(scope).map_or(0, |s| s.names.len())
    }

    fn contains_name(&self, scope: &str, name: &str) -> bool {
        let scopes = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        scopes.get(scope).is_some_and(|s| s.names.contains_key(name))
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
