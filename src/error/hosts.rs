//! known_hosts lines (`known_hosts.*`): the marker and the host field that
//! come before the key (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT).

use super::Snippet;

/// Why the marker or the host field of a known_hosts line is refused.
///
/// Each variant has a stable machine code, see [`HostsError::code`].
/// Errors OpenSSH also refuses (it skips the line) apply under every
/// policy; the others only under a strict policy, for entries OpenSSH
/// loads but that can never match a host.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HostsError {
    /// A marker other than `@cert-authority` or `@revoked`, a second
    /// marker, or a marker that is not followed by a blank.
    #[error("unknown marker {0:?}: a known_hosts line may start with @cert-authority or @revoked, once")]
    Marker(Snippet),
    /// The line has a marker and host patterns but no key after them.
    #[error("the line ends after the host field: a known_hosts line is `[marker] hosts keytype base64 [comment]`")]
    MissingKey,
    /// A hashed host (`|1|salt|hash`) whose salt or hash is not the
    /// base64 of 20 bytes, or whose magic is not `|1|`.
    #[error(
        "malformed hashed host {0:?}: a hashed host is |1|, the base64 of a 20-byte salt, |, and the base64 of a 20-byte HMAC-SHA1 (as `ssh-keygen -H` writes it)"
    )]
    Hash(Snippet),
    /// A hashed host inside a comma list: OpenSSH compares the whole field
    /// with the hash, so the entry never matches (strict).
    #[error(
        "a hashed host must be the whole host field: OpenSSH never matches {0:?} inside a list; put it on a line of its own"
    )]
    HashInList(Snippet),
    /// An empty pattern in the host list (`a,,b`, a trailing comma)
    /// (strict).
    #[error("an empty host pattern in the list (two commas, or a comma at an end); remove it")]
    EmptyPattern,
    /// A pattern of 1023 bytes or more: OpenSSH then matches nothing on
    /// the whole line (strict).
    #[error("a host pattern of {0} bytes: OpenSSH matches nothing on a line with a pattern of 1023 bytes or more")]
    PatternTooLong(usize),
    /// `[host]:port` that is not a bracketed host, a colon and a port of
    /// 1 to 65535 (or a wildcard), or port 22, which ssh looks up without
    /// brackets (strict).
    #[error(
        "malformed [host]:port pattern {0:?}: write [host]:PORT with PORT from 1 to 65535 (port 22 is written as the bare host)"
    )]
    Port(Snippet),
    /// Only negated patterns: the line matches no host (strict).
    #[error("the host list has only negated patterns (!host), so it matches no host; add the hosts it is for")]
    OnlyNegated,
    /// A byte that has no place in a host name or pattern: a control
    /// character, a quote, or non-ASCII text (strict).
    #[error("the host pattern {0:?} holds a character that is not part of a host name, address or pattern")]
    BadCharacter(Snippet),
}

impl HostsError {
    /// The stable machine code, such as `known_hosts.marker`.
    pub const fn code(&self) -> &'static str {
        match self {
            HostsError::Marker(_) => "known_hosts.marker",
            HostsError::MissingKey => "known_hosts.missing_key",
            HostsError::Hash(_) => "known_hosts.hash",
            HostsError::HashInList(_) => "known_hosts.hash_in_list",
            HostsError::EmptyPattern => "known_hosts.pattern.empty",
            HostsError::PatternTooLong(_) => "known_hosts.pattern.too_long",
            HostsError::Port(_) => "known_hosts.pattern.port",
            HostsError::OnlyNegated => "known_hosts.pattern.only_negated",
            HostsError::BadCharacter(_) => "known_hosts.pattern.character",
        }
    }
}
