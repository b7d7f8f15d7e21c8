//! How a provider's API speaks: what it answers (an imported or created key
//! pair, or the provider's error) and the [`Api`] each vendor implements
//! to read its tag parameters and render those answers in its own bodies
//! and codes.

use std::borrow::Cow;
use std::fmt;

use keyvet::{Algorithm, Format};
use serde_json::{Map, Value};

use crate::{DeleteRequest, Deleted, ListPage, ListRequest, Rejection, Tag};

/// How a provider's API speaks: its tag parameters, its response and error
/// bodies and its error codes. Each vendor implements it in its own file.
pub trait Api: fmt::Debug + Send + Sync {
    /// Reads the API's tag parameters from a request's parameters.
    ///
    /// # Errors
    /// The rejection for tag parameters in a form the API refuses.
    fn read_tags(&self, params: &Map<String, Value>) -> Result<Vec<Tag>, Rejection>;

    /// Writes `(key, value)` tags as the API's parameters, as a client
    /// would send them.
    ///
    /// # Errors
    /// The rejection when the API takes no tags.
    fn write_tags(&self, tags: &[(String, String)], params: &mut Map<String, Value>) -> Result<(), Rejection>;

    /// The provider's code, HTTP status and documented message for a
    /// rejection.
    fn error(&self, rejection: &Rejection) -> (&'static str, u16, Cow<'static, str>);

    /// The code and HTTP status for a request body over the server's limit.
    fn oversized_request(&self) -> (&'static str, u16);

    /// The success body of an import.
    fn import_body(&self, ok: &Imported) -> Value;

    /// The error body.
    fn error_body(&self, e: &ProviderError) -> Value;

    /// Whether the API offers XML bodies ([`Api::import_xml`],
    /// [`Api::error_xml`]).
    fn speaks_xml(&self) -> bool {
        false
    }

    /// The XML success body, for APIs that offer XML.
    fn import_xml(&self, ok: &Imported) -> Option<String> {
        let _ = ok;
        None
    }

    /// The XML error body, for APIs that offer XML.
    fn error_xml(&self, e: &ProviderError) -> Option<String> {
        let _ = e;
        None
    }

    /// Reads a describe call's parameters; `None` when the API has no
    /// describe call.
    fn read_list(&self, params: &Map<String, Value>) -> Option<Result<ListRequest, Rejection>> {
        let _ = params;
        None
    }

    /// The describe call's success body; only called when
    /// [`Api::read_list`] is `Some`.
    fn list_body(&self, page: &ListPage) -> Value {
        let _ = page;
        Value::Null
    }

    /// The describe call's XML success body, for APIs that offer XML.
    fn list_xml(&self, page: &ListPage) -> Option<String> {
        let _ = page;
        None
    }

    /// Reads a delete call's parameters; `None` when the API has no delete
    /// call.
    fn read_delete(&self, params: &Map<String, Value>) -> Option<Result<DeleteRequest, Rejection>> {
        let _ = params;
        None
    }

    /// The delete call's success body.
    fn delete_body(&self, deleted: &Deleted) -> Value {
        let _ = deleted;
        Value::Null
    }

    /// The delete call's XML success body, for APIs that offer XML.
    fn delete_xml(&self, deleted: &Deleted) -> Option<String> {
        let _ = deleted;
        None
    }

    /// Whether the API creates key pairs ([`Provider::create`](crate::Provider::create)).
    fn creates(&self) -> bool {
        false
    }

    /// The create body; only called when [`Api::creates`] holds.
    fn create_body(&self, created: &Created) -> Value {
        let _ = created;
        Value::Null
    }
}

/// A successful import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The API that answers.
    pub api: &'static dyn Api,
    /// The key pair's ID (`skey-` and 8 lowercase letters or digits for
    /// Tencent).
    pub key_id: String,
    /// The key pair's name.
    pub key_name: String,
    /// MD5 fingerprint, bare colon hex (RFC 4716 section 4), as Alibaba
    /// returns it.
    pub md5_hex: String,
    /// SHA-256 fingerprint (`SHA256:...`).
    pub sha256: String,
    /// The key's algorithm.
    pub algorithm: Algorithm,
    /// Key size.
    pub bits: u32,
    /// The request ID.
    pub request_id: String,
    /// The form the upload was in, when it was not an OpenSSH line (the
    /// key was converted; the response body does not say so).
    pub converted_from: Option<Format>,
}

impl Imported {
    /// The API's JSON response body.
    pub fn to_json(&self) -> Value {
        self.api.import_body(self)
    }

    /// The API's XML response body, for APIs that have one (Alibaba's
    /// `Format=XML`).
    pub fn to_xml(&self) -> Option<String> {
        self.api.import_xml(self)
    }
}

/// A key pair made by a create API.
#[derive(Debug)]
pub struct Created {
    /// The API that answers.
    pub api: &'static dyn Api,
    /// The key pair's ID.
    pub key_id: String,
    /// The key pair's name.
    pub key_name: String,
    /// The OpenSSH public key line.
    pub public_line: String,
    /// The private key (never stored; zeroized on drop).
    pub private_pem: zeroize::Zeroizing<String>,
    /// The request ID.
    pub request_id: String,
}

impl Created {
    /// The API's JSON response body, private key included.
    pub fn to_json(&self) -> Value {
        self.api.create_body(self)
    }
}

/// The error an API returns.
#[derive(Debug, Clone)]
pub struct ProviderError {
    /// The API that answers.
    pub api: &'static dyn Api,
    /// The provider's error code, such as `InvalidPublicKey.Malformed`.
    pub code: &'static str,
    /// HTTP status (Tencent returns 200 with the error in the body).
    pub http_status: u16,
    /// The provider's documented message.
    pub message: Cow<'static, str>,
    /// The request ID.
    pub request_id: String,
    /// Why, in keyvet's terms (for logs; not part of the response body).
    pub rejection: Box<Rejection>,
}

/// Two errors are equal when they say the same: code, status, message,
/// request and rejection.
impl PartialEq for ProviderError {
    fn eq(&self, other: &ProviderError) -> bool {
        (
            self.code,
            self.http_status,
            &self.message,
            &self.request_id,
            &self.rejection,
        ) == (
            other.code,
            other.http_status,
            &other.message,
            &other.request_id,
            &other.rejection,
        )
    }
}

impl ProviderError {
    /// The API's JSON error body.
    pub fn to_json(&self) -> Value {
        self.api.error_body(self)
    }

    /// The API's XML error body, for APIs that have one.
    pub fn to_xml(&self) -> Option<String> {
        self.api.error_xml(self)
    }
}

impl fmt::Display for ProviderError {
    /// `CODE (HTTP status): message`, then why in keyvet's terms.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (HTTP {}): {} ({})",
            self.code, self.http_status, self.message, self.rejection
        )
    }
}

impl std::error::Error for ProviderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.rejection)
    }
}

/// Escapes text for an XML element.
pub(crate) fn xml_escape(s: &str) -> Cow<'_, str> {
    if !s.contains(['<', '>', '&', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}
