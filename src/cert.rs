//! OpenSSH certificates (PROTOCOL.certkeys): every field, borrowed.
//!
//! Parsing follows OpenSSH 9.2's `cert_parse`: all fields are read and their
//! lengths checked, the type must be user (1) or host (2), at most 256
//! principals, well-formed option lists, and a signature key that is a valid
//! plain key. Signature verification is separate ([`crate::signature`]).

use std::fmt;

use crate::algorithm::{Algorithm, BlobName, CertVersion, Curve};
use crate::error::{CertError, CertList, Error};
use crate::key::{self, Key, PlainKey, PublicKey};
use crate::wire::{self, Cursor, Mpint};

/// Most principals OpenSSH accepts in a certificate
/// (`SSHKEY_CERT_MAX_PRINCIPALS`).
pub const MAX_PRINCIPALS: usize = 256;

/// Whether a certificate identifies a user or a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertType {
    /// `SSH2_CERT_TYPE_USER` (1).
    User,
    /// `SSH2_CERT_TYPE_HOST` (2).
    Host,
}

impl CertType {
    /// The wire value.
    pub const fn value(self) -> u32 {
        match self {
            CertType::User => 1,
            CertType::Host => 2,
        }
    }
}

impl fmt::Display for CertType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CertType::User => "user",
            CertType::Host => "host",
        })
    }
}

/// The principals of a certificate: text strings packed in one string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principals<'b> {
    raw: &'b [u8],
    count: usize,
}

impl<'b> Principals<'b> {
    /// The packed encoding.
    pub const fn raw(&self) -> &'b [u8] {
        self.raw
    }

    /// Number of principals; zero means "any principal" to OpenSSH.
    pub const fn len(&self) -> usize {
        self.count
    }

    /// Whether the list is empty.
    pub const fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The principals, as written (a trailing NUL, if any, included).
    pub fn iter(&self) -> impl Iterator<Item = &'b [u8]> + 'b {
        StringIter { rest: self.raw }
    }
}

struct StringIter<'b> {
    rest: &'b [u8],
}

impl<'b> Iterator for StringIter<'b> {
    type Item = &'b [u8];
    fn next(&mut self) -> Option<&'b [u8]> {
        let (rest, s) = wire::string(self.rest).ok()?;
        self.rest = rest;
        Some(s)
    }
}

/// Critical options or extensions: `(name, data)` string pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertOptions<'b> {
    raw: &'b [u8],
}

/// One critical option or extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertOption<'b> {
    /// The name, such as `force-command` or `permit-pty`.
    pub name: &'b [u8],
    /// The data: empty for flags, else a string holding the value.
    pub data: &'b [u8],
}

impl<'b> CertOption<'b> {
    /// The value of an option whose data is one string (`force-command`,
    /// `source-address`); `None` if the data is not exactly one string.
    pub fn value(&self) -> Option<&'b [u8]> {
        let (rest, s) = wire::string(self.data).ok()?;
        rest.is_empty().then_some(s)
    }
}

impl<'b> CertOptions<'b> {
    /// The packed encoding.
    pub const fn raw(&self) -> &'b [u8] {
        self.raw
    }

    /// Whether there are none.
    pub const fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The options in order.
    pub fn iter(&self) -> impl Iterator<Item = CertOption<'b>> + 'b {
        let mut it = StringIter { rest: self.raw };
        std::iter::from_fn(move || {
            let name = it.next()?;
            let data = it.next()?;
            Some(CertOption { name, data })
        })
    }

    /// The option with this name, if present.
    pub fn get(&self, name: &str) -> Option<CertOption<'b>> {
        self.iter().find(|o| o.name == name.as_bytes())
    }
}

/// The hash an RSA signature uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaHash {
    /// `ssh-rsa`: SHA-1.
    Sha1,
    /// `rsa-sha2-256`.
    Sha256,
    /// `rsa-sha2-512`.
    Sha512,
}

/// The webauthn fields of a `webauthn-sk-ecdsa-sha2-nistp256@openssh.com`
/// signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Webauthn<'b> {
    /// The origin.
    pub origin: &'b [u8],
    /// The clientData JSON.
    pub client_data: &'b [u8],
    /// Authenticator extensions.
    pub extensions: &'b [u8],
}

/// The decoded structure of a certificate signature.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureData<'b> {
    /// `ssh-rsa`, `rsa-sha2-256`, `rsa-sha2-512`: the RSA signature value.
    Rsa {
        /// The hash.
        hash: RsaHash,
        /// The signature, big-endian, at most the modulus length.
        blob: &'b [u8],
    },
    /// `ssh-dss`: `r || s`, 20 bytes each.
    Dsa {
        /// The 40-byte signature.
        blob: &'b [u8],
    },
    /// `ecdsa-sha2-*`.
    Ecdsa {
        /// The curve named by the algorithm.
        curve: Curve,
        /// r
        r: Mpint<'b>,
        /// s
        s: Mpint<'b>,
    },
    /// `ssh-ed25519`.
    Ed25519 {
        /// The 64-byte signature.
        sig: &'b [u8],
    },
    /// `sk-ecdsa-sha2-nistp256@openssh.com` (and its webauthn form).
    SkEcdsa {
        /// r
        r: Mpint<'b>,
        /// s
        s: Mpint<'b>,
        /// Authenticator flags (user presence is 0x01).
        flags: u8,
        /// Signature counter.
        counter: u32,
        /// Present for the webauthn form.
        webauthn: Option<Webauthn<'b>>,
    },
    /// `sk-ssh-ed25519@openssh.com`.
    SkEd25519 {
        /// The 64-byte signature.
        sig: &'b [u8],
        /// Authenticator flags.
        flags: u8,
        /// Signature counter.
        counter: u32,
    },
    /// An algorithm keyvet does not know; it never verifies.
    Unknown,
}

/// A certificate's signature: algorithm name and decoded structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature<'b> {
    raw: &'b [u8],
    algorithm: &'b [u8],
    data: SignatureData<'b>,
}

impl<'b> Signature<'b> {
    /// The encoded signature.
    pub const fn raw(&self) -> &'b [u8] {
        self.raw
    }

    /// The signature algorithm as written (a trailing NUL included).
    pub const fn algorithm_raw(&self) -> &'b [u8] {
        self.algorithm
    }

    /// The signature algorithm as OpenSSH reads it.
    pub fn algorithm(&self) -> &'b [u8] {
        wire::strip_trailing_nul(self.algorithm)
    }

    /// The decoded structure.
    pub const fn data(&self) -> &SignatureData<'b> {
        &self.data
    }

    /// Parses a signature blob.
    ///
    /// # Errors
    /// [`CertError::SignatureMalformed`] when the structure does not
    /// match the algorithm it names.
    pub fn parse(raw: &'b [u8]) -> Result<Signature<'b>, CertError> {
        parse_signature(raw).ok_or(CertError::SignatureMalformed)
    }
}

fn parse_signature(raw: &[u8]) -> Option<Signature<'_>> {
    let (rest, algorithm) = wire::text(raw).ok()?;
    let name = wire::strip_trailing_nul(algorithm);
    let (rest, data) = match name {
        b"ssh-rsa" | b"rsa-sha2-256" | b"rsa-sha2-512" => {
            let hash = match name {
                b"ssh-rsa" => RsaHash::Sha1,
                b"rsa-sha2-256" => RsaHash::Sha256,
                _ => RsaHash::Sha512,
            };
            let (rest, blob) = wire::string(rest).ok()?;
            (rest, SignatureData::Rsa { hash, blob })
        }
        b"ssh-dss" => {
            let (rest, blob) = wire::string(rest).ok()?;
            (rest, SignatureData::Dsa { blob })
        }
        b"ecdsa-sha2-nistp256" | b"ecdsa-sha2-nistp384" | b"ecdsa-sha2-nistp521" => {
            let curve = match name {
                b"ecdsa-sha2-nistp256" => Curve::P256,
                b"ecdsa-sha2-nistp384" => Curve::P384,
                _ => Curve::P521,
            };
            let (rest, inner) = wire::string(rest).ok()?;
            let (r, s) = parse_rs(inner)?;
            (rest, SignatureData::Ecdsa { curve, r, s })
        }
        b"ssh-ed25519" => {
            let (rest, sig) = wire::string(rest).ok()?;
            (rest, SignatureData::Ed25519 { sig })
        }
        b"sk-ecdsa-sha2-nistp256@openssh.com" | b"webauthn-sk-ecdsa-sha2-nistp256@openssh.com" => {
            let (rest, inner) = wire::string(rest).ok()?;
            let (r, s) = parse_rs(inner)?;
            let (rest, flags) = wire::u8(rest).ok()?;
            let (mut rest, counter) = wire::u32(rest).ok()?;
            let mut webauthn = None;
            if name.starts_with(b"webauthn") {
                let (r1, origin) = wire::text(rest).ok()?;
                let (r2, client_data) = wire::string(r1).ok()?;
                let (r3, extensions) = wire::string(r2).ok()?;
                rest = r3;
                webauthn = Some(Webauthn {
                    origin: wire::strip_trailing_nul(origin),
                    client_data,
                    extensions,
                });
            }
            (
                rest,
                SignatureData::SkEcdsa {
                    r,
                    s,
                    flags,
                    counter,
                    webauthn,
                },
            )
        }
        b"sk-ssh-ed25519@openssh.com" => {
            let (rest, sig) = wire::string(rest).ok()?;
            let (rest, flags) = wire::u8(rest).ok()?;
            let (rest, counter) = wire::u32(rest).ok()?;
            (rest, SignatureData::SkEd25519 { sig, flags, counter })
        }
        _ => (&raw[raw.len()..], SignatureData::Unknown),
    };
    if !rest.is_empty() {
        return None;
    }
    Some(Signature { raw, algorithm, data })
}

fn parse_rs(inner: &[u8]) -> Option<(Mpint<'_>, Mpint<'_>)> {
    let (rest, r) = wire::mpint(inner).ok()?;
    let (rest, s) = wire::mpint(rest).ok()?;
    rest.is_empty().then_some((r, s))
}

/// An OpenSSH certificate, borrowed from its blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Certificate<'b> {
    raw: &'b [u8],
    algorithm: Algorithm,
    type_name: &'b [u8],
    name_canonical: bool,
    nonce: &'b [u8],
    key: PublicKey<'b>,
    serial: Option<u64>,
    cert_type: CertType,
    key_id: &'b [u8],
    principals: Principals<'b>,
    valid_after: u64,
    valid_before: u64,
    critical_options: CertOptions<'b>,
    extensions: CertOptions<'b>,
    reserved: &'b [u8],
    /// The CA key and the signature, parsed and checked with the rest and
    /// parsed again on access: kept as bytes, they make a certificate (and
    /// every [`Key`], which may hold one) less than half the size to move.
    signature_key: &'b [u8],
    signature: &'b [u8],
    signed_len: usize,
    offsets: Offsets,
}

/// Where the fields start, for error positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Offsets {
    pub(crate) key_id: usize,
    pub(crate) principals: usize,
    pub(crate) valid_after: usize,
    pub(crate) critical: usize,
    pub(crate) extensions: usize,
    pub(crate) reserved: usize,
    pub(crate) signature_key: usize,
    pub(crate) signature: usize,
}

impl<'b> Certificate<'b> {
    /// The whole certificate blob.
    pub const fn raw(&self) -> &'b [u8] {
        self.raw
    }

    /// The certificate algorithm (from the type string in the blob).
    pub const fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The type string as written in the blob.
    pub const fn type_name(&self) -> &'b [u8] {
        self.type_name
    }

    /// Whether the type string is the canonical name.
    pub const fn type_name_is_canonical(&self) -> bool {
        self.name_canonical
    }

    /// The layout version.
    pub fn version(&self) -> CertVersion {
        self.algorithm.cert_version().unwrap_or(CertVersion::V01)
    }

    /// The CA-chosen nonce.
    pub const fn nonce(&self) -> &'b [u8] {
        self.nonce
    }

    /// The certified public key. A certificate's fingerprint is this key's.
    pub const fn key(&self) -> &PublicKey<'b> {
        &self.key
    }

    /// The serial (v01 only).
    pub const fn serial(&self) -> Option<u64> {
        self.serial
    }

    /// User or host.
    pub const fn cert_type(&self) -> CertType {
        self.cert_type
    }

    /// The key id, as written.
    pub const fn key_id(&self) -> &'b [u8] {
        self.key_id
    }

    /// The principals.
    pub const fn principals(&self) -> &Principals<'b> {
        &self.principals
    }

    /// Start of validity, seconds since the epoch.
    pub const fn valid_after(&self) -> u64 {
        self.valid_after
    }

    /// End of validity (exclusive), seconds since the epoch;
    /// `u64::MAX` means forever.
    pub const fn valid_before(&self) -> u64 {
        self.valid_before
    }

    /// Critical options (v00: the "constraints" field).
    pub const fn critical_options(&self) -> &CertOptions<'b> {
        &self.critical_options
    }

    /// Extensions (always empty for v00).
    pub const fn extensions(&self) -> &CertOptions<'b> {
        &self.extensions
    }

    /// The reserved field.
    pub const fn reserved(&self) -> &'b [u8] {
        self.reserved
    }

    /// The CA key that signed the certificate.
    pub fn signature_key(&self) -> PlainKey<'b> {
        match key::parse_blob(self.signature_key, false) {
            Ok(Key::Plain(k)) => k,
            // Parsed the same way when the certificate was.
            _ => unreachable!("a certificate's CA key parses"),
        }
    }

    /// The signature.
    pub fn signature(&self) -> Signature<'b> {
        match Signature::parse(self.signature) {
            Ok(s) => s,
            // Parsed the same way when the certificate was.
            Err(_) => unreachable!("a certificate's signature parses"),
        }
    }

    /// The bytes the signature covers: everything before the signature.
    pub fn signed_data(&self) -> &'b [u8] {
        &self.raw[..self.signed_len]
    }

    pub(crate) const fn offsets(&self) -> &Offsets {
        &self.offsets
    }
}

pub(crate) fn parse_cert<'b>(
    blob: &'b [u8],
    mut cur: Cursor<'b>,
    algorithm: Algorithm,
    type_name: &'b [u8],
    form: BlobName,
) -> Result<Certificate<'b>, Error> {
    let kt = algorithm.key_type();
    let v01 = algorithm.cert_version() != Some(CertVersion::V00);
    let mut o = Offsets::default();

    let mut nonce: &[u8] = &[];
    if v01 {
        nonce = cur.read("cert.nonce", wire::string)?;
    }
    let key = key::parse_fields(kt, &mut cur)?;
    let serial = if v01 {
        Some(cur.read("cert.serial", wire::u64)?)
    } else {
        None
    };
    let type_at = cur.offset();
    let type_value = cur.read("cert.type", wire::u32)?;
    o.key_id = cur.offset();
    let key_id = cur.read("cert.key_id", wire::text)?;
    o.principals = cur.offset();
    let principals_raw = cur.read("cert.principals", wire::string)?;
    o.valid_after = cur.offset();
    let valid_after = cur.read("cert.valid_after", wire::u64)?;
    let valid_before = cur.read("cert.valid_before", wire::u64)?;
    o.critical = cur.offset();
    let critical = cur.read("cert.critical_options", wire::string)?;
    o.extensions = cur.offset();
    let extensions: &[u8] = if v01 {
        cur.read("cert.extensions", wire::string)?
    } else {
        &[]
    };
    if !v01 {
        nonce = cur.read("cert.nonce", wire::string)?;
    }
    o.reserved = cur.offset();
    let reserved = cur.read("cert.reserved", wire::string)?;
    o.signature_key = cur.offset() + 4;
    let ca_raw = cur.read("cert.signature_key", wire::string)?;
    let signed_len = cur.offset();
    o.signature = cur.offset() + 4;
    let sig_raw = cur.read("cert.signature", wire::string)?;

    let cert_type = match type_value {
        1 => CertType::User,
        2 => CertType::Host,
        t => return Err(Error::in_blob(CertError::Type(t), type_at, "cert.type")),
    };

    // Principals: text strings, at most 256.
    let mut pc = Cursor::nested(principals_raw, o.principals + 4);
    let mut count = 0usize;
    while !pc.is_empty() {
        crate::meter::charge(1);
        if count >= MAX_PRINCIPALS {
            return Err(Error::in_blob(
                CertError::TooManyPrincipals(MAX_PRINCIPALS),
                pc.offset(),
                "cert.principals",
            ));
        }
        pc.read("cert.principals", wire::text)?;
        count += 1;
    }

    check_pairs(critical, o.critical + 4, CertList::CriticalOptions)?;
    check_pairs(extensions, o.extensions + 4, CertList::Extensions)?;

    match key::parse_blob(ca_raw, false) {
        Ok(Key::Plain(_)) => {}
        Ok(Key::Cert(_)) => {
            return Err(Error::in_blob(
                CertError::CaIsCertificate,
                o.signature_key,
                "cert.signature_key",
            ));
        }
        Err(e) => return Err(e.in_signature_key()),
    }
    Signature::parse(sig_raw).map_err(|k| Error::in_blob(k, o.signature, "cert.signature"))?;
    cur.finish("end")?;

    Ok(Certificate {
        raw: blob,
        algorithm,
        type_name,
        name_canonical: form == BlobName::Canonical,
        nonce,
        key,
        serial,
        cert_type,
        key_id,
        principals: Principals {
            raw: principals_raw,
            count,
        },
        valid_after,
        valid_before,
        critical_options: CertOptions { raw: critical },
        extensions: CertOptions { raw: extensions },
        reserved,
        signature_key: ca_raw,
        signature: sig_raw,
        signed_len,
        offsets: o,
    })
}

/// OpenSSH checks that option lists are `(string, string)` pairs.
fn check_pairs(raw: &[u8], at: usize, which: CertList) -> Result<(), Error> {
    let field = match which {
        CertList::CriticalOptions => "cert.critical_options",
        CertList::Extensions => "cert.extensions",
    };
    let mut c = Cursor::nested(raw, at);
    while !c.is_empty() {
        let pos = c.offset();
        let ok = c.read(field, wire::string).and_then(|_| c.read(field, wire::string));
        if ok.is_err() {
            return Err(Error::in_blob(CertError::ListMalformed(which), pos, field));
        }
    }
    Ok(())
}

/// Checks a critical-option or extension list for repeated names (whatever
/// their order); returns whether the names are sorted, as PROTOCOL.certkeys
/// requires (OpenSSH and its peers accept them unsorted).
pub(crate) fn check_list(opts: &CertOptions<'_>, at: usize, which: CertList) -> Result<bool, Error> {
    let field = match which {
        CertList::CriticalOptions => "cert.critical_options",
        CertList::Extensions => "cert.extensions",
    };
    let duplicate = || Err(Error::in_blob(CertError::ListDuplicate(which), at, field));
    let mut prev: Option<&[u8]> = None;
    let mut sorted = true;
    for o in opts.iter() {
        crate::meter::charge(1 + o.name.len());
        if let Some(p) = prev {
            match p.cmp(o.name) {
                std::cmp::Ordering::Less => {}
                std::cmp::Ordering::Equal => return duplicate(),
                std::cmp::Ordering::Greater => sorted = false,
            }
        }
        prev = Some(o.name);
    }
    if !sorted {
        // Out of order: repeats need not be neighbours. The names, sorted
        // (n log n, bounded by the blob).
        let mut names: Vec<&[u8]> = opts.iter().map(|o| o.name).collect();
        crate::meter::charge(names.len() * (1 + names.len().max(1).ilog2() as usize));
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return duplicate();
        }
    }
    Ok(sorted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Sink;

    fn list(names: &[&str]) -> Vec<u8> {
        let mut raw = Vec::new();
        for n in names {
            raw.put_string(n.as_bytes());
            raw.put_string(b"");
        }
        raw
    }

    #[test]
    fn lists_repeat_in_any_order_and_sort_or_not() {
        let check = |names: &[&str]| {
            let raw = list(names);
            check_list(&CertOptions { raw: &raw }, 0, CertList::Extensions).map_err(|e| e.code())
        };
        assert_eq!(check(&["a", "b", "c"]), Ok(true));
        assert_eq!(check(&["b", "a", "c"]), Ok(false));
        assert_eq!(check(&["a", "a"]), Err("cert.extensions.duplicate"));
        // Apart, out of order: found all the same.
        assert_eq!(check(&["b", "a", "b"]), Err("cert.extensions.duplicate"));
        assert_eq!(check(&[]), Ok(true));
    }
}
