//! The one error type: what went wrong, where, and a stable machine code.
//!
//! Positions: `line` is 1-based, `byte` is a 0-based byte offset into the line,
//! `blob` is a 0-based byte offset into the decoded key blob together with the
//! name of the field being read. Messages are lowercase, location first, and
//! say what to do.

use std::fmt;

use crate::algorithm::{Algorithm, Curve, KeyType};

/// A short copy of offending input, kept inline so that errors never allocate.
/// Longer input is cut (the `Display` form ends with `...`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Snippet {
    buf: [u8; Snippet::CAP],
    len: u8,
    cut: bool,
}

impl Snippet {
    const CAP: usize = 40;

    /// Copies up to 40 bytes of `s`.
    pub fn new(s: &[u8]) -> Snippet {
        let n = s.len().min(Self::CAP);
        let mut buf = [0u8; Self::CAP];
        buf[..n].copy_from_slice(&s[..n]);
        Snippet {
            buf,
            len: u8::try_from(n).unwrap_or(u8::MAX),
            cut: s.len() > n,
        }
    }

    /// The kept bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len)]
    }
}

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.as_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                if c.is_control() {
                    write!(f, "\\x{:02x}", u32::from(c))?;
                } else {
                    write!(f, "{c}")?;
                }
            }
            for b in chunk.invalid() {
                write!(f, "\\x{b:02x}")?;
            }
        }
        if self.cut {
            f.write_str("...")?;
        }
        Ok(())
    }
}

/// What kind of private key was pasted.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivateKeyKind {
    /// `-----BEGIN OPENSSH PRIVATE KEY-----`
    OpenSsh,
    /// `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1)
    Rsa,
    /// `-----BEGIN DSA PRIVATE KEY-----`
    Dsa,
    /// `-----BEGIN EC PRIVATE KEY-----` (SEC1)
    Ec,
    /// `-----BEGIN PRIVATE KEY-----` or `ENCRYPTED PRIVATE KEY` (PKCS#8)
    Pkcs8,
    /// `PuTTY-User-Key-File-...` (.ppk)
    Putty,
    /// `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----` and other forms
    Other,
}

impl fmt::Display for PrivateKeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PrivateKeyKind::OpenSsh => "OpenSSH private key",
            PrivateKeyKind::Rsa => "PEM RSA private key",
            PrivateKeyKind::Dsa => "PEM DSA private key",
            PrivateKeyKind::Ec => "PEM EC private key",
            PrivateKeyKind::Pkcs8 => "PKCS#8 private key",
            PrivateKeyKind::Putty => "PuTTY private key file",
            PrivateKeyKind::Other => "private key",
        })
    }
}

/// Which signature-carrying structure or list an error is about.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertList {
    /// The critical options of a certificate.
    CriticalOptions,
    /// The extensions of a certificate.
    Extensions,
}

impl fmt::Display for CertList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CertList::CriticalOptions => "critical options",
            CertList::Extensions => "extensions",
        })
    }
}

/// Every way a line, a blob or a key can be rejected.
///
/// Each variant has a stable machine code, see [`ErrorKind::code`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    // ----- the line -------------------------------------------------------
    /// The line is longer than the policy's cap.
    #[error("line is {len} bytes long, over the limit of {max} bytes; a public key line is rarely over 16 KiB")]
    LineTooLong {
        /// Length of the line (or the length read before giving up).
        len: usize,
        /// The cap.
        max: usize,
    },
    /// The line is blank or a `#` comment, so it holds no key.
    #[error("no key on this line: it is blank or a comment")]
    NoKey,
    /// A whole input held no key line at all.
    #[error("the input holds no key: it is empty or has only blank and comment lines")]
    EmptyInput,
    /// The line holds a NUL byte.
    #[error("the line holds a NUL byte; a public key line is plain text")]
    NulByte,
    /// A line break before the end of the line: more than one line was
    /// given where one was expected.
    #[error("a line break inside the line: give one key line at a time")]
    EmbeddedNewline,
    /// The line is not valid UTF-8 where text is required.
    #[error("{0} is not valid UTF-8")]
    Encoding(&'static str),
    /// A comment holds a control character (strict policy).
    #[error("the comment holds the control character {0:#04x}; remove it")]
    CommentControl(u8),
    /// A private key was pasted instead of a public key.
    #[error(
        "this looks like a private key ({0}), never share it: upload the public key (the .pub file, or the output of `ssh-keygen -y -f KEYFILE`)"
    )]
    PrivateKey(PrivateKeyKind),
    /// An RFC 4716 (`---- BEGIN SSH2 PUBLIC KEY ----`) block, as PuTTYgen writes.
    #[error(
        "this is an RFC 4716 / PuTTY public key block; convert it to one OpenSSH line with `ssh-keygen -i -f FILE`"
    )]
    Rfc4716,
    /// A PEM public key (`-----BEGIN PUBLIC KEY-----`, `BEGIN RSA PUBLIC KEY`).
    #[error("this is a PEM public key; convert it to an OpenSSH line with `ssh-keygen -i -m PKCS8 -f FILE`")]
    PemPublicKey,
    /// The line holds only base64: a key wrapped over several lines.
    #[error(
        "this line holds only base64 text: the key looks wrapped over several lines; put the whole key on one line"
    )]
    Wrapped,
    /// Key data without a key type word before it.
    #[error("the key data has no key type before it; the line should start with the type, such as ssh-ed25519")]
    MissingKeyType,
    /// A key type word with nothing after it.
    #[error("key type {0} is not followed by the base64 key data")]
    MissingKeyData(Algorithm),
    /// An unknown key type word.
    #[error("unknown key type '{0}'")]
    UnknownKeyType(Snippet),
    /// An SSH protocol 1 RSA key (`bits exponent modulus`).
    #[error(
        "this is an SSH-1 RSA key, which OpenSSH no longer supports; generate a new key with `ssh-keygen -t ed25519`"
    )]
    Ssh1Key,

    // ----- options ----------------------------------------------------------
    /// Options with a quote that is never closed.
    #[error("the options have an unterminated double quote")]
    OptionsUnterminatedQuote,
    /// Typographic quotes where sshd needs `"`.
    #[error("the options use a typographic quote ({0}); sshd needs a plain ASCII double quote (\")")]
    OptionsSmartQuote(char),
    /// An empty option: a leading, doubled or trailing comma.
    #[error("empty option: remove the leading, doubled or trailing comma")]
    OptionEmpty,
    /// An option sshd does not know.
    #[error("unknown option '{0}'")]
    OptionUnknown(Snippet),
    /// An option that needs `="value"` has none.
    #[error("option {0} needs a value: {0}=\"...\"")]
    OptionMissingValue(&'static str),
    /// An option value without double quotes.
    #[error("the value of option {0} must be in double quotes: {0}=\"...\"")]
    OptionUnquoted(&'static str),
    /// A flag option given a value.
    #[error("option {0} takes no value")]
    OptionUnexpectedValue(&'static str),
    /// Something other than `,` after an option.
    #[error("expected ',' or the end of the options after option {0}")]
    OptionsSyntax(&'static str),
    /// An option that may appear once appears twice.
    #[error("option {0} appears more than once")]
    OptionDuplicate(&'static str),
    /// More `environment` or `permitopen`/`permitlisten` options than sshd takes.
    #[error("too many {0} options")]
    OptionsTooMany(&'static str),
    /// An option value sshd rejects or that can never match.
    #[error("invalid value for option {option}: {reason}")]
    OptionValue {
        /// The option.
        option: &'static str,
        /// What is wrong.
        reason: &'static str,
    },

    // ----- base64 -----------------------------------------------------------
    /// A byte outside the base64 alphabet.
    #[error("invalid base64 symbol '{}'", char::from(*.0).escape_default())]
    Base64Symbol(u8),
    /// Missing or misplaced `=` padding.
    #[error("invalid base64 padding: the key data is truncated or has stray '=' characters")]
    Base64Padding,
    /// Non-zero bits after the last full byte.
    #[error("the last base64 symbol has non-zero trailing bits (a non-canonical or altered encoding)")]
    Base64TrailingBits,
    /// The decoded blob is over the cap.
    #[error("the key data is {len} bytes, over the limit of {max}")]
    BlobTooLarge {
        /// Decoded length (or an upper bound of it).
        len: usize,
        /// The cap.
        max: usize,
    },

    // ----- wire format ------------------------------------------------------
    /// A length prefix or fixed field runs past the end of its buffer.
    #[error("truncated: {needed} bytes needed, {remaining} left")]
    Truncated {
        /// Bytes the field needs.
        needed: usize,
        /// Bytes left in the buffer.
        remaining: usize,
    },
    /// Bytes left after the last field.
    #[error("{0} unexpected bytes after the end of the data")]
    TrailingData(usize),
    /// A NUL inside a text string.
    #[error("a text string holds a NUL byte")]
    StringNul,
    /// A text string ends with a NUL byte (OpenSSH strips it; strict policy).
    #[error("a text string ends with a NUL byte")]
    StringTrailingNul,

    // ----- key type -----------------------------------------------------------
    /// The type string inside the blob is unknown.
    #[error("the key data holds an unknown key type '{0}'")]
    BlobTypeUnknown(Snippet),
    /// The type word on the line and the key inside disagree.
    #[error("key type says {line} but the key inside is {blob}")]
    TypeMismatch {
        /// The type word of the line.
        line: Algorithm,
        /// The type inside the blob.
        blob: Algorithm,
    },
    /// A signature-algorithm alias used as a type word (strict policy).
    #[error("type word '{word}' is a signature algorithm, not a key type; write {canonical}")]
    TypeAlias {
        /// The alias.
        word: &'static str,
        /// The canonical name.
        canonical: Algorithm,
    },
    /// The type string inside the blob is not the canonical name (strict policy).
    #[error("the key data names its type '{0}' instead of the canonical name")]
    BlobTypeNonCanonical(Snippet),

    // ----- numbers ------------------------------------------------------------
    /// An mpint with the sign bit set.
    #[error("negative integer (mpint with its top bit set)")]
    MpintNegative,
    /// An mpint longer than OpenSSH's 16384-bit cap.
    #[error("integer of {0} bytes is over the 16384-bit limit")]
    MpintTooLarge(usize),
    /// An mpint with needless leading zero bytes (strict policy).
    #[error("integer is not minimally encoded (needless leading zero bytes)")]
    MpintNonCanonical,

    // ----- RSA ----------------------------------------------------------------
    /// RSA modulus below the minimum.
    #[error(
        "RSA key has {bits} bits, under the minimum of {min}; generate a new key with `ssh-keygen -t ed25519` or `-t rsa -b 3072`"
    )]
    RsaTooSmall {
        /// Modulus bits.
        bits: u32,
        /// The minimum.
        min: u32,
    },
    /// RSA modulus above the maximum.
    #[error("RSA key has {bits} bits, over the maximum of {max}")]
    RsaTooLarge {
        /// Modulus bits.
        bits: u32,
        /// The maximum.
        max: u32,
    },
    /// Even RSA modulus: it is not a product of two odd primes.
    #[error("RSA modulus is even, so it is not a valid RSA key")]
    RsaModulusEven,
    /// Even RSA public exponent.
    #[error("RSA public exponent is even, so it is not a valid RSA key")]
    RsaExponentEven,
    /// RSA public exponent below 3.
    #[error("RSA public exponent is below 3")]
    RsaExponentTooSmall,
    /// RSA public exponent not below the modulus.
    #[error("RSA public exponent is not smaller than the modulus")]
    RsaExponentTooLarge,

    // ----- ECDSA, EdDSA, FIDO, ML-DSA ----------------------------------------
    /// The curve named in the blob does not match the key type.
    #[error("the key data names curve '{found}' but the key type needs {expected}")]
    EcCurveMismatch {
        /// The curve the type needs.
        expected: Curve,
        /// What the blob says.
        found: Snippet,
    },
    /// The EC point is not an uncompressed SEC1 point.
    #[error("the EC public point is not in uncompressed form (first byte {0:#04x}, OpenSSH needs 0x04)")]
    EcPointEncoding(u8),
    /// The EC point has the wrong length.
    #[error("the EC public point is {len} bytes; {curve} needs {expected}")]
    EcPointLength {
        /// Its length.
        len: usize,
        /// The length the curve needs.
        expected: usize,
        /// The curve.
        curve: Curve,
    },
    /// The EC point is not on the curve (or a coordinate is not below p).
    #[error("the EC public point is not on curve {0}")]
    EcPointNotOnCurve(Curve),
    /// The EC point fails OpenSSH's range checks (`sshkey_ec_validate_public`).
    #[error(
        "the EC public point fails OpenSSH's public-key checks (a coordinate is too small or not below the group order minus one)"
    )]
    EcPointRange,
    /// An Ed25519 key that is not 32 bytes.
    #[error("the Ed25519 public key is {0} bytes; it must be 32")]
    Ed25519Length(usize),
    /// An ML-DSA-44 + Ed25519 key of the wrong size.
    #[error("the ML-DSA-44+Ed25519 public key is {0} bytes; it must be 1344")]
    MlDsaLength(usize),
    /// A FIDO application string that does not start with `ssh:` (strict policy).
    #[error("the security-key application '{0}' does not start with \"ssh:\"")]
    SkApplication(Snippet),

    // ----- certificates -------------------------------------------------------
    /// Certificate type other than 1 (user) or 2 (host).
    #[error("certificate type {0} is neither 1 (user) nor 2 (host)")]
    CertType(u32),
    /// More than 256 principals.
    #[error("certificate lists more than {0} principals")]
    CertTooManyPrincipals(usize),
    /// An empty principal name (strict policy).
    #[error("certificate lists an empty principal name")]
    CertEmptyPrincipal,
    /// A malformed critical-option or extension list.
    #[error("certificate {0} are malformed")]
    CertListMalformed(CertList),
    /// Critical options or extensions out of order (strict policy).
    #[error("certificate {0} are not sorted by name, as PROTOCOL.certkeys requires")]
    CertListUnsorted(CertList),
    /// A repeated critical option or extension (strict policy).
    #[error("certificate {0} repeat a name")]
    CertListDuplicate(CertList),
    /// valid_after is later than valid_before (strict policy).
    #[error("certificate is never valid: valid_after is later than valid_before")]
    CertValidityInverted,
    /// The reserved field is not empty (strict policy).
    #[error("certificate reserved field is not empty")]
    CertReserved,
    /// The signature key is itself a certificate.
    #[error("the certificate's signature key is itself a certificate; chained certificates are not supported")]
    CertCaIsCertificate,
    /// The signature key is a type keyvet cannot verify.
    #[error("the certificate's signature key type {0} cannot sign certificates here")]
    CertCaUnsupported(KeyType),
    /// The signature blob is malformed.
    #[error("the certificate signature is malformed")]
    CertSignatureMalformed,
    /// The signature algorithm does not fit the signature key.
    #[error("the certificate is signed with '{sig}', which a {ca} signature key cannot make")]
    CertSignatureAlgorithm {
        /// Algorithm named in the signature.
        sig: Snippet,
        /// Type of the signature key.
        ca: KeyType,
    },
    /// The CA signature does not verify.
    #[error(
        "the certificate signature does not verify: the certificate was altered or not signed by its signature key"
    )]
    CertSignatureInvalid,
    /// A `ssh-rsa` (SHA-1) CA signature (strict policy).
    #[error(
        "the certificate is signed with ssh-rsa (SHA-1), which OpenSSH refuses by default since 8.2; re-sign it with rsa-sha2-512"
    )]
    CertSignatureSha1,

    // ----- policy -------------------------------------------------------------
    /// The algorithm is not allowed by the policy.
    #[error("{alg} keys are not accepted by this policy{advice}", alg = .0, advice = algorithm_advice(*.0))]
    AlgorithmNotAllowed(Algorithm),

    // ----- conversion (crate::convert) ----------------------------------------
    /// A private key whose public half cannot be read without its passphrase.
    #[error(
        "this {0} is encrypted, and keyvet never asks for passphrases: upload the matching .pub file, or print the public key with `ssh-keygen -y -f KEYFILE` and upload that"
    )]
    ConvertEncrypted(PrivateKeyKind),
    /// A key block or key file that breaks its format.
    #[error("malformed {format}: {reason}")]
    ConvertMalformed {
        /// The form the input claims to be.
        format: crate::convert::Format,
        /// What is wrong.
        reason: &'static str,
    },
    /// A PEM block whose label names no SSH key (a certificate, a PGP key...).
    #[error(
        "a PEM block labelled '{0}' holds no SSH key; paste an OpenSSH public key, or a PEM PUBLIC KEY or PRIVATE KEY block"
    )]
    ConvertPemLabel(Snippet),
    /// A key in a form or of an algorithm that cannot be converted.
    #[error("{0}")]
    ConvertUnsupported(&'static str),
    /// An input over the conversion cap.
    #[error("the input is {len} bytes, over the limit of {max} bytes for one key")]
    ConvertTooLarge {
        /// Its length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// A private key file from which no key can be read (ssh-keygen: "is
    /// not a key file").
    #[error(
        "no key can be read from this file: it is neither an OpenSSH private key nor a PEM private key ssh-keygen reads; upload the public key (the .pub file) instead"
    )]
    ConvertNoKey,

    // ----- weak keys (crate::weak) ----------------------------------------------
    /// A well-formed key that is known to be breakable; the code is the
    /// check's id (`weak.rsa.roca`, ...).
    #[error("{} ({})", .check.message(), .check.reference())]
    WeakKey {
        /// The check that found it.
        check: crate::weak::Check,
        /// A number backing the finding (the small factor, ...).
        detail: Option<u64>,
    },
}

fn algorithm_advice(a: Algorithm) -> &'static str {
    match (a.key_type(), a.cert_version()) {
        (_, Some(crate::algorithm::CertVersion::V00)) => {
            " (v00 certificates were removed from OpenSSH in 7.x; re-issue as v01)"
        }
        (KeyType::Dsa, _) => {
            " (DSA is limited to 1024-bit keys and disabled in OpenSSH since 7.0; generate an Ed25519 key)"
        }
        _ => "",
    }
}

impl ErrorKind {
    /// The stable machine code of this error, such as `base64.symbol` or
    /// `rsa.exponent.even`. Codes never change meaning once published.
    ///
    /// ```
    /// use keyvet::ErrorKind;
    /// assert_eq!(ErrorKind::RsaExponentEven.code(), "rsa.exponent.even");
    /// ```
    pub const fn code(&self) -> &'static str {
        use ErrorKind as E;
        match self {
            E::LineTooLong { .. } => "line.too_long",
            E::NoKey => "line.no_key",
            E::EmptyInput => "input.no_key",
            E::NulByte => "line.nul",
            E::EmbeddedNewline => "line.newline",
            E::Encoding(_) => "text.encoding",
            E::CommentControl(_) => "comment.control",
            E::PrivateKey(_) => "line.private_key",
            E::Rfc4716 => "line.rfc4716",
            E::PemPublicKey => "line.pem",
            E::Wrapped => "line.wrapped",
            E::MissingKeyType => "line.missing_type",
            E::MissingKeyData(_) => "line.missing_key",
            E::UnknownKeyType(_) => "key.type.unknown",
            E::Ssh1Key => "line.ssh1",
            E::OptionsUnterminatedQuote => "options.quote.unterminated",
            E::OptionsSmartQuote(_) => "options.quote.typographic",
            E::OptionEmpty => "options.empty",
            E::OptionUnknown(_) => "options.unknown",
            E::OptionMissingValue(_) => "options.value.missing",
            E::OptionUnquoted(_) => "options.value.unquoted",
            E::OptionUnexpectedValue(_) => "options.value.unexpected",
            E::OptionsSyntax(_) => "options.syntax",
            E::OptionDuplicate(_) => "options.duplicate",
            E::OptionsTooMany(_) => "options.too_many",
            E::OptionValue { option, .. } => option_value_code(option),
            E::Base64Symbol(_) => "base64.symbol",
            E::Base64Padding => "base64.padding",
            E::Base64TrailingBits => "base64.trailing_bits",
            E::BlobTooLarge { .. } => "blob.too_large",
            E::Truncated { .. } => "blob.truncated",
            E::TrailingData(_) => "blob.trailing_data",
            E::StringNul => "string.nul",
            E::StringTrailingNul => "string.trailing_nul",
            E::BlobTypeUnknown(_) => "blob.type.unknown",
            E::TypeMismatch { .. } => "key.type.mismatch",
            E::TypeAlias { .. } => "key.type.alias",
            E::BlobTypeNonCanonical(_) => "blob.type.noncanonical",
            E::MpintNegative => "mpint.negative",
            E::MpintTooLarge(_) => "mpint.too_large",
            E::MpintNonCanonical => "mpint.noncanonical",
            E::RsaTooSmall { .. } => "rsa.too_small",
            E::RsaTooLarge { .. } => "rsa.too_large",
            E::RsaModulusEven => "rsa.modulus.even",
            E::RsaExponentEven => "rsa.exponent.even",
            E::RsaExponentTooSmall => "rsa.exponent.too_small",
            E::RsaExponentTooLarge => "rsa.exponent.too_large",
            E::EcCurveMismatch { .. } => "ecdsa.curve.mismatch",
            E::EcPointEncoding(_) => "ecdsa.point.encoding",
            E::EcPointLength { .. } => "ecdsa.point.length",
            E::EcPointNotOnCurve(_) => "ecdsa.point.not_on_curve",
            E::EcPointRange => "ecdsa.point.range",
            E::Ed25519Length(_) => "ed25519.length",
            E::MlDsaLength(_) => "mldsa.length",
            E::SkApplication(_) => "sk.application",
            E::CertType(_) => "cert.type",
            E::CertTooManyPrincipals(_) => "cert.principals.too_many",
            E::CertEmptyPrincipal => "cert.principals.empty",
            E::CertListMalformed(CertList::CriticalOptions) => "cert.critical_options.malformed",
            E::CertListMalformed(CertList::Extensions) => "cert.extensions.malformed",
            E::CertListUnsorted(CertList::CriticalOptions) => "cert.critical_options.unsorted",
            E::CertListUnsorted(CertList::Extensions) => "cert.extensions.unsorted",
            E::CertListDuplicate(CertList::CriticalOptions) => "cert.critical_options.duplicate",
            E::CertListDuplicate(CertList::Extensions) => "cert.extensions.duplicate",
            E::CertValidityInverted => "cert.validity.inverted",
            E::CertReserved => "cert.reserved",
            E::CertCaIsCertificate => "cert.ca.certificate",
            E::CertCaUnsupported(_) => "cert.ca.unsupported",
            E::CertSignatureMalformed => "cert.signature.malformed",
            E::CertSignatureAlgorithm { .. } => "cert.signature.algorithm",
            E::CertSignatureInvalid => "cert.signature.invalid",
            E::CertSignatureSha1 => "cert.signature.sha1",
            E::AlgorithmNotAllowed(_) => "policy.algorithm",
            E::ConvertEncrypted(_) => "convert.encrypted",
            E::ConvertMalformed { .. } => "convert.malformed",
            E::ConvertPemLabel(_) => "convert.pem_label",
            E::ConvertUnsupported(_) => "convert.unsupported",
            E::ConvertTooLarge { .. } => "convert.too_large",
            E::ConvertNoKey => "convert.no_key",
            E::WeakKey { check, .. } => check.id(),
        }
    }
}

const fn option_value_code(option: &str) -> &'static str {
    // Option names are the &'static names of the option table.
    match option.as_bytes() {
        b"environment" => "options.environment.invalid",
        b"from" => "options.from.invalid",
        b"permitopen" => "options.permitopen.invalid",
        b"permitlisten" => "options.permitlisten.invalid",
        b"principals" => "options.principals.invalid",
        b"expiry-time" => "options.expiry_time.invalid",
        b"tunnel" => "options.tunnel.invalid",
        b"command" => "options.command.invalid",
        _ => "options.invalid",
    }
}

/// Which part of a key blob an error points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobPosition {
    /// 0-based offset into the decoded blob (for errors inside a
    /// certificate's signature key, into that key's own blob).
    pub offset: usize,
    /// The field being read, such as `rsa.n` or `cert.principals`.
    pub field: &'static str,
    /// The error is inside the certificate's signature (CA) key.
    pub in_signature_key: bool,
}

/// A rejection: its kind, and where in the input it happened.
///
/// ```
/// use keyvet::{Validator, policy};
/// let mut v = Validator::new(policy::STRICT);
/// let err = v.check_line(b"ssh-ed25519 AAAA!AAA").unwrap_err();
/// assert_eq!(err.code(), "base64.symbol");
/// assert_eq!(err.byte(), Some(16));
/// assert_eq!(err.to_string(), "byte 16: invalid base64 symbol '!'");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    line: Option<u64>,
    byte: Option<usize>,
    blob: Option<BlobPosition>,
}

impl Error {
    /// An error with no position yet.
    pub const fn new(kind: ErrorKind) -> Error {
        Error {
            kind,
            line: None,
            byte: None,
            blob: None,
        }
    }

    pub(crate) const fn at_byte(kind: ErrorKind, byte: usize) -> Error {
        Error {
            kind,
            line: None,
            byte: Some(byte),
            blob: None,
        }
    }

    pub(crate) const fn in_blob(kind: ErrorKind, offset: usize, field: &'static str) -> Error {
        Error {
            kind,
            line: None,
            byte: None,
            blob: Some(BlobPosition {
                offset,
                field,
                in_signature_key: false,
            }),
        }
    }

    /// What went wrong.
    pub const fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The stable machine code, see [`ErrorKind::code`].
    pub const fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// 1-based line number, when the error came from a file or stream.
    pub const fn line(&self) -> Option<u64> {
        self.line
    }

    /// 0-based byte offset into the line.
    pub const fn byte(&self) -> Option<usize> {
        self.byte
    }

    /// Position inside the decoded key blob.
    pub const fn blob(&self) -> Option<BlobPosition> {
        self.blob
    }

    /// Sets the line number.
    #[must_use]
    pub const fn with_line(mut self, line: u64) -> Error {
        self.line = Some(line);
        self
    }

    /// Sets the byte offset in the line, unless one is already set.
    #[must_use]
    pub(crate) const fn or_byte(mut self, byte: usize) -> Error {
        if self.byte.is_none() {
            self.byte = Some(byte);
        }
        self
    }

    /// Marks a blob error as coming from a certificate's signature key.
    #[must_use]
    pub(crate) fn in_signature_key(mut self) -> Error {
        match &mut self.blob {
            Some(b) => b.in_signature_key = true,
            None => {
                self.blob = Some(BlobPosition {
                    offset: 0,
                    field: "cert.signature_key",
                    in_signature_key: true,
                })
            }
        }
        self
    }

    /// The message without the position prefix.
    pub fn message(&self) -> impl fmt::Display + '_ {
        &self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(l) = self.line {
            write!(f, "line {l}")?;
            sep = ", ";
        }
        if let Some(b) = self.byte {
            write!(f, "{sep}byte {b}")?;
            sep = ", ";
        }
        if let Some(p) = self.blob {
            if p.in_signature_key {
                write!(
                    f,
                    "{sep}certificate signature key, key data byte {} ({})",
                    p.offset, p.field
                )?;
            } else {
                write!(f, "{sep}key data byte {} ({})", p.offset, p.field)?;
            }
            sep = ", ";
        }
        if !sep.is_empty() {
            f.write_str(": ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for Error {}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error::new(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_escapes_and_cuts() {
        let s = Snippet::new(b"a\x01\xffb");
        assert_eq!(s.to_string(), "a\\x01\\xffb");
        let long = Snippet::new(&[b'x'; 50]);
        assert!(long.to_string().ends_with("..."));
        assert_eq!(long.as_bytes().len(), 40);
    }

    #[test]
    fn display_has_position_first() {
        let e = Error::in_blob(ErrorKind::MpintNegative, 20, "rsa.e").with_line(3);
        assert_eq!(
            e.to_string(),
            "line 3, key data byte 20 (rsa.e): negative integer (mpint with its top bit set)"
        );
        assert_eq!(e.code(), "mpint.negative");
    }
}
