//! The name and tag rules a provider documents, checked in the API's order.

use crate::Rejection;

/// The characters a key-pair name may hold.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameCharset {
    /// ASCII letters, digits and `_` (Tencent).
    AlnumUnderscore,
    /// ASCII letters, digits, `:`, `_` and `-` (Alibaba).
    AlnumColonUnderscoreHyphen,
}

impl NameCharset {
    fn allows(self, c: char) -> bool {
        c.is_ascii_alphanumeric()
            || c == '_'
            || (self == NameCharset::AlnumColonUnderscoreHyphen && matches!(c, ':' | '-'))
    }
}

/// Rules for key-pair names, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameRules {
    /// Shortest name.
    pub min_chars: usize,
    /// Longest name.
    pub max_chars: usize,
    /// Allowed characters.
    pub charset: NameCharset,
    /// The first character must be a letter.
    pub start_with_letter: bool,
    /// Prefixes a name must not start with.
    pub forbidden_prefixes: &'static [&'static str],
}

impl NameRules {
    /// Checks a name: empty, too long, too short, a character outside the
    /// charset, the first character, a forbidden prefix, in that order.
    ///
    /// ```
    /// use keyvet_cloud::{Rejection, tencent_cvm};
    /// let rules = tencent_cvm::IMPORT.key_name;
    /// assert_eq!(rules.check("build_key"), Ok(()));
    /// assert_eq!(rules.check("build key"), Err(Rejection::NameIllegalChar));
    /// ```
    ///
    /// # Errors
    /// The first rule the name breaks.
    pub fn check(&self, name: &str) -> Result<(), Rejection> {
        let chars = name.chars().count();
        if chars == 0 {
            return Err(Rejection::NameEmpty);
        }
        if chars > self.max_chars {
            return Err(Rejection::NameTooLong);
        }
        if chars < self.min_chars {
            return Err(Rejection::NameMalformed("too short"));
        }
        if !name.chars().all(|c| self.charset.allows(c)) {
            return Err(Rejection::NameIllegalChar);
        }
        if self.start_with_letter && !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(Rejection::NameMalformed("must start with a letter"));
        }
        if self.forbidden_prefixes.iter().any(|p| name.starts_with(p)) {
            return Err(Rejection::NameMalformed("forbidden prefix"));
        }
        Ok(())
    }
}

/// Rules for resource tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagRules {
    /// Most tags per key pair.
    pub max_tags: usize,
    /// Longest tag key, in characters.
    pub key_max_chars: usize,
    /// Longest tag value, in characters.
    pub value_max_chars: usize,
    /// Prefixes a tag key must not start with.
    pub key_forbidden_prefixes: &'static [&'static str],
    /// Prefixes a tag value must not start with.
    pub value_forbidden_prefixes: &'static [&'static str],
    /// Keys and values must not contain `http://` or `https://`.
    pub forbid_urls: bool,
}

impl TagRules {
    /// Checks the tags of a request: their number and indexes, then each
    /// tag's key and value.
    ///
    /// # Errors
    /// The first rule a tag breaks.
    pub fn check(&self, tags: &[crate::Tag]) -> Result<(), Rejection> {
        if tags.len() > self.max_tags || tags.iter().any(|t| t.index == 0 || t.index > self.max_tags) {
            return Err(Rejection::TooManyTags);
        }
        let url = |s: &str| self.forbid_urls && (s.contains("http://") || s.contains("https://"));
        for t in tags {
            let index = t.index;
            let key = t.key.as_deref().unwrap_or("");
            let key_err = |reason| Err(Rejection::TagKey { index, reason });
            if key.is_empty() {
                return key_err("empty");
            }
            if key.chars().count() > self.key_max_chars {
                return key_err("too long");
            }
            if self.key_forbidden_prefixes.iter().any(|p| key.starts_with(p)) {
                return key_err("reserved prefix");
            }
            if url(key) {
                return key_err("contains a URL");
            }
            let value = t.value.as_deref().unwrap_or("");
            let value_err = |reason| Err(Rejection::TagValue { index, reason });
            if value.chars().count() > self.value_max_chars {
                return value_err("too long");
            }
            if self.value_forbidden_prefixes.iter().any(|p| value.starts_with(p)) {
                return value_err("reserved prefix");
            }
            if url(value) {
                return value_err("contains a URL");
            }
        }
        Ok(())
    }
}
