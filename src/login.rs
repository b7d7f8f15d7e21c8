//! May this certificate log in here, now? The checks a server makes on a
//! certificate that is well formed and correctly signed (see
//! [`crate::Checker`]), as OpenSSH's `sshkey_cert_check_authority` and
//! sshd's certificate option handling (`cert_option_list` in
//! auth-options.c) make them.
//!
//! The clock, the expected principal and the trusted CAs are parameters:
//! nothing is read from the environment.
//!
//! ```
//! use keyvet::login::{self, Request, TrustedCa};
//! use keyvet::{CertType, Key, Checker, policy};
//! let root = env!("CARGO_MANIFEST_DIR");
//! let line = std::fs::read(format!("{root}/corpus/valid/certs/ed25519-user-by-ed25519.pub")).unwrap();
//! let mut v = Checker::new(policy::STRICT);
//! let checked = v.check_line(&line).unwrap();
//! let Key::Cert(cert) = checked.key() else { unreachable!() };
//! let ca = cert.signature_key().key().fingerprint(keyvet::HashAlg::Sha256);
//! let req = Request {
//!     now: cert.valid_after(),
//!     cert_type: CertType::User,
//!     principal: None,
//!     trusted: &[TrustedCa::Fingerprint(ca)],
//!     client_address: None,
//!     require_principals: false,
//! };
//! assert_eq!(login::check(cert, &req), Ok(()));
//! ```

use std::fmt;
use std::net::IpAddr;

use crate::cert::{CertType, Certificate};
use crate::fingerprint::{Fingerprint, HashAlg};

/// A certificate authority the server trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustedCa<'a> {
    /// By SHA-256 fingerprint (as `ssh-keygen -l` prints it).
    Fingerprint(Fingerprint),
    /// By its canonical public key blob.
    Key(&'a [u8]),
}

/// What the server checks the certificate against.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The time to check validity at, in seconds since the epoch.
    pub now: u64,
    /// The kind of certificate expected: a user logging in, or a host the
    /// client connects to.
    pub cert_type: CertType,
    /// The user name (user certificates) or host name (host certificates)
    /// that must be a listed principal; `None` skips the principal check.
    pub principal: Option<&'a str>,
    /// The CAs trusted for this kind of certificate.
    pub trusted: &'a [TrustedCa<'a>],
    /// The client's address, checked against a `source-address` critical
    /// option; `None` checks only the option's syntax.
    pub client_address: Option<IpAddr>,
    /// Refuse certificates without principals. sshd does for user
    /// certificates unless an AuthorizedPrincipalsFile or `principals="..."`
    /// names them; a certificate without principals is valid for any user.
    pub require_principals: bool,
}

/// Why a certificate may not be used.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `now` is before `valid_after`.
    NotYetValid,
    /// `now` is at or after `valid_before`.
    Expired,
    /// The principal is not listed.
    PrincipalNotListed,
    /// The certificate lists no principal and the request requires one.
    NoPrincipals,
    /// A user certificate where a host one is expected, or the reverse.
    WrongType,
    /// A critical option the server does not know (sshd refuses these).
    UnknownCriticalOption,
    /// A `force-command` whose data is not exactly one string (or appears
    /// twice).
    ForceCommandMalformed,
    /// A `source-address` that is not a list of addresses and CIDR blocks
    /// (or appears twice).
    SourceAddressMalformed,
    /// The client's address is not in `source-address`.
    SourceAddressDenied,
    /// A known extension or flag option carrying data (sshd: "corrupt").
    OptionCorrupt,
    /// The signing CA is not trusted.
    CaUntrusted,
}

impl Refusal {
    /// The stable id, such as `cert.expired`.
    pub const fn id(self) -> &'static str {
        match self {
            Refusal::NotYetValid => "cert.not_yet_valid",
            Refusal::Expired => "cert.expired",
            Refusal::PrincipalNotListed => "cert.principal",
            Refusal::NoPrincipals => "cert.principal.none",
            Refusal::WrongType => "cert.type",
            Refusal::UnknownCriticalOption => "cert.critical_option.unknown",
            Refusal::ForceCommandMalformed => "cert.force_command",
            Refusal::SourceAddressMalformed => "cert.source_address",
            Refusal::SourceAddressDenied => "cert.source_address.denied",
            Refusal::OptionCorrupt => "cert.option.corrupt",
            Refusal::CaUntrusted => "cert.ca.untrusted",
        }
    }

    /// What it means, and what to do.
    pub const fn message(self) -> &'static str {
        match self {
            Refusal::NotYetValid => {
                "the certificate is not valid yet; check the clock or the certificate's validity period"
            }
            Refusal::Expired => "the certificate has expired; ask the CA for a new one",
            Refusal::PrincipalNotListed => "the certificate does not list this user or host as a principal",
            Refusal::NoPrincipals => {
                "the certificate lists no principal; the CA should name the users or hosts it is for"
            }
            Refusal::WrongType => {
                "the certificate is of the wrong type (a user certificate where a host one is needed, or the reverse)"
            }
            Refusal::UnknownCriticalOption => {
                "the certificate has a critical option this server does not support, so it must refuse it"
            }
            Refusal::ForceCommandMalformed => "the certificate's force-command option is malformed",
            Refusal::SourceAddressMalformed => {
                "the certificate's source-address option is not a list of addresses and CIDR blocks"
            }
            Refusal::SourceAddressDenied => "the certificate may not be used from this address (source-address)",
            Refusal::OptionCorrupt => "a certificate option or extension carries data it must not have",
            Refusal::CaUntrusted => "the certificate is signed by a CA this server does not trust",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.message(), self.id())
    }
}

impl std::error::Error for Refusal {}

/// Every reason, in the order OpenSSH checks them, at most one of each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refusals {
    items: [Option<Refusal>; 11],
    len: usize,
}

impl Refusals {
    fn push(&mut self, r: Refusal) {
        if self.len < self.items.len() && !self.iter().any(|x| x == r) {
            self.items[self.len] = Some(r);
            self.len += 1;
        }
    }

    /// The reasons.
    pub fn iter(&self) -> impl Iterator<Item = Refusal> + '_ {
        self.items[..self.len].iter().flatten().copied()
    }

    /// Whether there is none.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Display for Refusals {
    /// Every reason, separated by `; `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refusals {}

const KNOWN_EXTENSIONS: [&[u8]; 6] = [
    b"no-touch-required",
    b"permit-X11-forwarding",
    b"permit-agent-forwarding",
    b"permit-port-forwarding",
    b"permit-pty",
    b"permit-user-rc",
];

/// Checks `cert` against `req`; returns every reason to refuse it.
///
/// # Errors
/// The reasons, in the order sshd and ssh check them: CA trust
/// (`user_cert_trusted_ca`, known_hosts `@cert-authority`), then type,
/// validity and principals (`sshkey_cert_check_authority`), then options
/// (`sshauthopt_from_cert` for user certificates; a host certificate may
/// carry no critical option at all, `sshkey_cert_check_host`).
pub fn check(cert: &Certificate<'_>, req: &Request<'_>) -> Result<(), Refusals> {
    let mut r = Refusals::default();
    if !trusted(cert, req.trusted) {
        r.push(Refusal::CaUntrusted);
    }
    if cert.cert_type() != req.cert_type {
        r.push(Refusal::WrongType);
    }
    if req.now < cert.valid_after() {
        r.push(Refusal::NotYetValid);
    }
    if req.now >= cert.valid_before() {
        r.push(Refusal::Expired);
    }
    if cert.principals().is_empty() {
        if req.require_principals {
            r.push(Refusal::NoPrincipals);
        }
    } else if let Some(name) = req.principal {
        // Compared byte for byte, for hosts too: OpenSSH 9.2's sshd and ssh
        // both pass wildcard_pattern = 0, so a principal `*.example.com`
        // names only the literal host `*.example.com`.
        let listed = cert
            .principals()
            .iter()
            .any(|p| crate::wire::strip_trailing_nul(p) == name.as_bytes());
        if !listed {
            r.push(Refusal::PrincipalNotListed);
        }
    }
    if cert.cert_type() == CertType::Host {
        // sshkey_cert_check_host: "Certificate contains unsupported
        // critical options"; none is defined for hosts.
        if !cert.critical_options().is_empty() {
            r.push(Refusal::UnknownCriticalOption);
        }
    } else {
        let mut force_command = false;
        let mut source_address = false;
        for o in cert.critical_options().iter() {
            match o.name {
                b"verify-required" => {
                    if !o.data.is_empty() {
                        r.push(Refusal::OptionCorrupt);
                    }
                }
                b"force-command" => {
                    let ok = o.value().is_some_and(|v| !v[..v.len().saturating_sub(1)].contains(&0));
                    if !ok || std::mem::replace(&mut force_command, true) {
                        r.push(Refusal::ForceCommandMalformed);
                    }
                }
                b"source-address" => match o
                    .value()
                    .and_then(|v| std::str::from_utf8(crate::wire::strip_trailing_nul(v)).ok())
                {
                    Some(list) if !std::mem::replace(&mut source_address, true) => match cidr_list(list) {
                        None => r.push(Refusal::SourceAddressMalformed),
                        Some(nets) => {
                            if let Some(ip) = req.client_address
                                && !nets.iter().any(|n| n.contains(ip))
                            {
                                r.push(Refusal::SourceAddressDenied);
                            }
                        }
                    },
                    _ => r.push(Refusal::SourceAddressMalformed),
                },
                _ => r.push(Refusal::UnknownCriticalOption),
            }
        }
        for o in cert.extensions().iter() {
            if KNOWN_EXTENSIONS.contains(&o.name) && !o.data.is_empty() {
                r.push(Refusal::OptionCorrupt);
            }
        }
    }
    if r.is_empty() { Ok(()) } else { Err(r) }
}

fn trusted(cert: &Certificate<'_>, cas: &[TrustedCa<'_>]) -> bool {
    let ca_key = cert.signature_key();
    let ca = ca_key.key();
    let fp = ca.fingerprint(HashAlg::Sha256);
    cas.iter().any(|t| match t {
        TrustedCa::Fingerprint(f) => *f == fp,
        TrustedCa::Key(blob) => {
            let mut canon = Vec::with_capacity(blob.len());
            ca.write_canonical(&mut canon);
            canon == *blob
        }
    })
}

/// One network of a `source-address` list.
#[derive(Debug, Clone, Copy)]
struct Net {
    addr: IpAddr,
    len: u32,
}

impl Net {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if self.len == 0 { 0 } else { u32::MAX << (32 - self.len) };
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if self.len == 0 {
                    0
                } else {
                    u128::MAX << (128 - self.len)
                };
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// OpenSSH's `addr_match_cidr_list(NULL, list)`: comma-separated addresses
/// or CIDR blocks, no empty entries, host bits clear, at most 64 networks.
fn cidr_list(list: &str) -> Option<Vec<Net>> {
    let mut out = Vec::new();
    for entry in list.split(',') {
        crate::meter::charge(entry.len() + 1);
        if entry.is_empty()
            || entry.len() > 46 + 3
            || !entry
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':' || b == b'/')
            || out.len() >= 64
        {
            return None;
        }
        let (a, len) = match entry.split_once('/') {
            Some((a, m)) => (a, Some(m.parse::<u32>().ok()?)),
            None => (entry, None),
        };
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let len = len.unwrap_or(max);
        if len > max {
            return None;
        }
        if host_bits_set(addr, len) {
            return None;
        }
        let net = Net { addr, len };
        out.push(net);
    }
    Some(out)
}

fn host_bits_set(addr: IpAddr, len: u32) -> bool {
    match addr {
        IpAddr::V4(a) => len < 32 && u32::from(a) & (u32::MAX >> len) != 0,
        IpAddr::V6(a) => len < 128 && u128::from(a) & (u128::MAX >> len) != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_lists() {
        assert!(cidr_list("10.0.0.0/8,192.168.1.1,::1").is_some());
        assert!(cidr_list("10.0.0.1/8").is_none());
        assert!(cidr_list("not-an-address").is_none());
        assert!(cidr_list("10.0.0.0/8,").is_none());
        let nets = cidr_list("10.0.0.0/8").unwrap();
        assert!(nets[0].contains("10.1.2.3".parse().unwrap()));
        assert!(!nets[0].contains("11.1.2.3".parse().unwrap()));
    }
}
