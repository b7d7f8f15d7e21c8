//! Listing and deleting the key pairs of a scope, independent of the
//! provider: the requests a vendor's [`Api`](crate::Api) reads from its
//! parameters, the filters, and the answers it renders.

use crate::StoredKey;

/// A name filter: exact, or with a leading and/or trailing `*` (Alibaba's
/// documented wildcard forms).
///
/// ```
/// use keyvet_cloud::NamePattern;
/// let p = NamePattern::parse("*SshKey");
/// assert!(p.matches("mySshKey") && p.matches("SshKey") && !p.matches("SshKey2"));
/// assert!(NamePattern::parse("ssh*").matches("ssh-deploy"));
/// assert!(NamePattern::parse("*deploy*").matches("a-deploy-b"));
/// assert!(!NamePattern::parse("deploy").matches("deploy2"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePattern {
    text: String,
    prefix_any: bool,
    suffix_any: bool,
}

impl NamePattern {
    /// An exact name.
    pub fn exact(name: &str) -> NamePattern {
        NamePattern {
            text: name.to_string(),
            prefix_any: false,
            suffix_any: false,
        }
    }

    /// A name with `*` at its start, its end, or both, as wildcards; any
    /// other `*` is a character.
    pub fn parse(pattern: &str) -> NamePattern {
        let (prefix_any, rest) = match pattern.strip_prefix('*') {
            Some(r) => (true, r),
            None => (false, pattern),
        };
        let (suffix_any, text) = match rest.strip_suffix('*') {
            Some(t) => (true, t),
            None => (false, rest),
        };
        NamePattern {
            text: text.to_string(),
            prefix_any,
            suffix_any,
        }
    }

    /// Whether `name` matches.
    pub fn matches(&self, name: &str) -> bool {
        match (self.prefix_any, self.suffix_any) {
            (false, false) => name == self.text,
            (true, false) => name.ends_with(&self.text),
            (false, true) => name.starts_with(&self.text),
            (true, true) => name.contains(&self.text),
        }
    }
}

/// Which key pairs a describe call asks for, and which page. Every filter
/// given narrows the result (AND); the values of one filter are
/// alternatives (OR).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListRequest {
    /// Key IDs (Tencent `KeyIds`).
    pub key_ids: Vec<String>,
    /// Names (Tencent `key-name`, Alibaba `KeyPairName`).
    pub names: Vec<NamePattern>,
    /// MD5 fingerprint, bare colon hex, any case (Alibaba
    /// `KeyPairFingerPrint`).
    pub md5: Option<String>,
    /// Projects (Tencent `project-id`).
    pub project_ids: Vec<i64>,
    /// Resource group (Alibaba `ResourceGroupId`).
    pub resource_group: Option<String>,
    /// Tags the key pair must all carry: a key, and one of these values
    /// (any value when there are none).
    pub tags: Vec<(String, Vec<String>)>,
    /// Tag keys of which the key pair must carry one (Tencent `tag-key`).
    pub tag_keys: Vec<String>,
    /// Tag values of which the key pair must carry one (Tencent `tag-value`).
    pub tag_values: Vec<String>,
    /// The first entry returned, from 0.
    pub offset: usize,
    /// Most entries returned.
    pub limit: usize,
    /// Whether entries carry their public key (Alibaba `IncludePublicKey`;
    /// Tencent always).
    pub include_public_key: bool,
}

impl ListRequest {
    /// Whether a key pair passes every filter.
    pub fn matches(&self, k: &StoredKey) -> bool {
        (self.key_ids.is_empty() || self.key_ids.contains(&k.key_id))
            && (self.names.is_empty() || self.names.iter().any(|p| p.matches(&k.name)))
            && self.md5.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(&k.md5))
            && (self.project_ids.is_empty() || self.project_ids.contains(&k.project_id))
            && self
                .resource_group
                .as_ref()
                .is_none_or(|g| k.resource_group.as_ref() == Some(g))
            && self.tags.iter().all(|(key, values)| {
                k.tags
                    .iter()
                    .any(|(tk, tv)| tk == key && (values.is_empty() || values.contains(tv)))
            })
            && (self.tag_keys.is_empty() || k.tags.iter().any(|(tk, _)| self.tag_keys.contains(tk)))
            && (self.tag_values.is_empty() || k.tags.iter().any(|(_, tv)| self.tag_values.contains(tv)))
    }

    /// The page of `keys` (in the order stored) this request asks for.
    pub fn page(&self, keys: Vec<StoredKey>) -> ListPage {
        let matching: Vec<StoredKey> = keys.into_iter().filter(|k| self.matches(k)).collect();
        let total = matching.len();
        let items = matching.into_iter().skip(self.offset).take(self.limit).collect();
        ListPage {
            total,
            offset: self.offset,
            limit: self.limit,
            include_public_key: self.include_public_key,
            items,
            request_id: String::new(),
        }
    }
}

/// A page of key pairs, as a describe call answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    /// How many key pairs match (all pages).
    pub total: usize,
    /// The first entry's index, from 0.
    pub offset: usize,
    /// The page size asked for.
    pub limit: usize,
    /// Whether entries show their public key.
    pub include_public_key: bool,
    /// This page's key pairs.
    pub items: Vec<StoredKey>,
    /// The request ID.
    pub request_id: String,
}

/// Which key pairs a delete call names.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteRequest {
    /// By key ID, every one of which must exist (Tencent).
    KeyIds(Vec<String>),
    /// By name; names not in the scope are skipped (Alibaba).
    Names(Vec<String>),
    /// By key ID, each on its own (one deletion each): those in the scope
    /// are deleted, the others reported in [`Deleted::missing`] (Tencent
    /// v2).
    EachKeyId(Vec<String>),
}

/// A delete call's result.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    /// The key IDs deleted.
    pub key_ids: Vec<String>,
    /// The key IDs asked for that were not in the scope (only for
    /// [`DeleteRequest::EachKeyId`]).
    pub missing: Vec<String>,
    /// The request ID.
    pub request_id: String,
}

/// `YYYY-MM-DDThh:mm:ssZ` for seconds since the Unix epoch (UTC).
///
/// ```
/// assert_eq!(keyvet_cloud::utc_timestamp(0), "1970-01-01T00:00:00Z");
/// assert_eq!(keyvet_cloud::utc_timestamp(1_796_668_948), "2026-12-07T18:42:28Z");
/// assert_eq!(keyvet_cloud::utc_timestamp(951_782_400), "2000-02-29T00:00:00Z");
/// ```
pub fn utc_timestamp(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    // Days to a civil date (proleptic Gregorian), in 400-year eras.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}
