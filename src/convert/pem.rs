//! PEM blocks: `-----BEGIN LABEL-----`, optional RFC 1421 headers (OpenSSL's
//! `Proc-Type: 4,ENCRYPTED` / `DEK-Info:` for encrypted traditional keys),
//! base64, `-----END LABEL-----`.

use super::der::{self, Mode};
use super::text::{self, Body, TextLine};
use super::{Converted, Derived, Format, openssh};
use crate::error::{ConvertError, Error, Snippet};
use crate::format::PrivateKeyKind;
use crate::key::Key;

/// What a PEM label holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Key(Format),
    /// `ENCRYPTED PRIVATE KEY`: PKCS#8, encrypted.
    EncryptedPkcs8,
    /// `EC PARAMETERS`, which OpenSSL writes before an `EC PRIVATE KEY`.
    EcParameters,
}

fn label_kind(label: &[u8]) -> Option<Label> {
    Some(match label {
        b"PUBLIC KEY" => Label::Key(Format::PemPublicKey),
        b"RSA PUBLIC KEY" => Label::Key(Format::PemRsaPublicKey),
        b"OPENSSH PRIVATE KEY" => Label::Key(Format::OpenSshPrivateKey),
        b"RSA PRIVATE KEY" => Label::Key(Format::PemRsaPrivateKey),
        b"DSA PRIVATE KEY" => Label::Key(Format::PemDsaPrivateKey),
        b"EC PRIVATE KEY" => Label::Key(Format::PemEcPrivateKey),
        b"PRIVATE KEY" => Label::Key(Format::Pkcs8PrivateKey),
        b"ENCRYPTED PRIVATE KEY" => Label::EncryptedPkcs8,
        b"EC PARAMETERS" => Label::EcParameters,
        _ => return None,
    })
}

/// The label of a BEGIN line, if it is one.
fn begin_label(line: &[u8]) -> Option<&[u8]> {
    text::trim(line)
        .strip_prefix(b"-----BEGIN ")?
        .strip_suffix(b"-----")
        .filter(|l| !l.is_empty() && l.len() <= 64 && l.iter().all(|&b| (0x20..0x7f).contains(&b)))
}

/// One framed block.
struct Block {
    begin: u64,
    /// A `Proc-Type: 4,ENCRYPTED` header.
    encrypted: bool,
    body: Body,
}

/// Frames the block whose BEGIN line is `lines[0]`; returns it and the
/// number of lines it spans.
fn frame(lines: &[TextLine<'_>], format: Format) -> Result<(Block, usize), Error> {
    let begin = lines[0];
    let label = begin_label(begin.text).unwrap_or_default();
    let malformed = |reason, at: u64| Error::new(ConvertError::Malformed { format, reason }).with_line(at);
    let mut encrypted = false;
    let mut body = Body::default();
    let mut i = 1;
    // RFC 1421 headers: lines with a colon, up to a blank line; a header
    // continues on lines that start with a blank.
    if lines.get(1).is_some_and(|l| l.text.contains(&b':')) {
        let mut headers = 0;
        while let Some(l) = lines.get(i) {
            if text::is_blank(l.text) {
                i += 1;
                break;
            }
            let continuation = l.text.starts_with(b" ") || l.text.starts_with(b"\t");
            if !continuation && !l.text.contains(&b':') {
                break;
            }
            headers += 1;
            if headers > 32 || l.text.len() > 1024 {
                return Err(malformed("its headers are too long", l.number));
            }
            if l.text.starts_with(b"Proc-Type:") && l.text.windows(9).any(|w| w == b"ENCRYPTED") {
                encrypted = true;
            }
            i += 1;
        }
    }
    while let Some(l) = lines.get(i) {
        let t = text::trim(l.text);
        if let Some(rest) = t.strip_prefix(b"-----END ") {
            if rest.strip_suffix(b"-----") != Some(label) {
                return Err(malformed(
                    "its END line names another label than its BEGIN line",
                    l.number,
                ));
            }
            return Ok((
                Block {
                    begin: begin.number,
                    encrypted,
                    body,
                },
                i + 1,
            ));
        }
        if begin_label(l.text).is_some() {
            return Err(malformed(
                "a BEGIN line comes before its END line: copy the whole block, from BEGIN to END",
                l.number,
            ));
        }
        if !encrypted {
            body.push(l)?;
        }
        i += 1;
    }
    Err(malformed(
        "it has no END line: copy the whole block, from its BEGIN line to its END line",
        begin.number,
    ))
}

/// [`super::to_openssh`] on an input whose first line is a BEGIN line.
pub(super) fn convert(lines: &[TextLine<'_>]) -> Result<Converted, Error> {
    let mut i = 0;
    let mut found: Option<(Format, Block)> = None;
    while i < lines.len() {
        let l = &lines[i];
        if text::is_blank(l.text) {
            i += 1;
            continue;
        }
        let Some(label) = begin_label(l.text) else {
            if let Some(rest) = text::trim(l.text).strip_prefix(b"-----BEGIN ") {
                // A damaged BEGIN line: name the block if its label is known.
                let end = rest.iter().rposition(|&b| b != b'-').map_or(0, |e| e + 1);
                let label = text::trim(&rest[..end]);
                return Err(match label_kind(label) {
                    Some(Label::Key(format)) => Error::new(ConvertError::Malformed {
                        format,
                        reason: "its BEGIN line must read -----BEGIN LABEL----- with five dashes on each side",
                    }),
                    _ => Error::new(ConvertError::PemLabel(Snippet::new(label))),
                }
                .with_line(l.number));
            }
            // Text around the blocks (as `openssl ... -text` writes it, and
            // as people copy it) is left alone, as OpenSSL's PEM reader
            // leaves it, unless it holds another key.
            if super::holds_key(l.text) {
                let format = found.as_ref().map_or(Format::PemPublicKey, |(f, _)| *f);
                return Err(Error::new(ConvertError::Malformed {
                    format,
                    reason: "the input holds more than one key; convert them one at a time",
                })
                .with_line(l.number));
            }
            i += 1;
            continue;
        };
        let kind = label_kind(label)
            .ok_or_else(|| Error::new(ConvertError::PemLabel(Snippet::new(label))).with_line(l.number))?;
        let format = match kind {
            Label::Key(f) => f,
            Label::EncryptedPkcs8 => {
                return Err(Error::new(ConvertError::Encrypted(PrivateKeyKind::Pkcs8)).with_line(l.number));
            }
            Label::EcParameters => Format::PemEcPrivateKey,
        };
        let (block, used) = frame(&lines[i..], format)?;
        i += used;
        if kind == Label::EcParameters {
            continue;
        }
        if block.encrypted {
            return Err(Error::new(ConvertError::Encrypted(format.private_kind())).with_line(block.begin));
        }
        if found.is_some() {
            return Err(Error::new(ConvertError::Malformed {
                format,
                reason: "the input holds more than one key; convert them one at a time",
            })
            .with_line(block.begin));
        }
        found = Some((format, block));
    }
    let Some((format, block)) = found else {
        return Err(Error::new(ConvertError::Malformed {
            format: Format::PemEcPrivateKey,
            reason: "it holds EC parameters but no key",
        })
        .with_line(lines[0].number));
    };
    if block.body.is_empty() {
        return Err(Error::new(ConvertError::Malformed {
            format,
            reason: "it holds no key data between its BEGIN and END lines",
        })
        .with_line(block.begin));
    }
    let at = block.begin;
    if format == Format::OpenSshPrivateKey {
        let decoded = block.body.decode(&text::STRICT)?;
        return openssh::convert(&decoded).map_err(|e| e.with_line(at));
    }
    let der = block.body.decode(&text::PEM)?;
    let blob = match format {
        Format::PemPublicKey => der::spki(&der),
        Format::PemRsaPublicKey => der::pkcs1_public(&der),
        Format::PemRsaPrivateKey => der::pkcs1_private(&der, format),
        Format::PemDsaPrivateKey => der::dsa_private(&der),
        Format::PemEcPrivateKey => der::sec1_private(&der, None, format),
        _ => der::pkcs8_private(&der, Mode::Convert),
    }
    .map_err(|k| Error::new(k).with_line(at))?;
    Converted::new(blob, None, format).map_err(|e| e.with_line(at))
}

/// The PEM labels OpenSSL's `PEM_read_bio_PrivateKey` reads as private keys
/// (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, and `RSA`/`DSA`/`EC` `PRIVATE
/// KEY`, whose methods have a legacy decoder).
fn openssl_private_label(label: &[u8]) -> bool {
    matches!(
        label,
        b"PRIVATE KEY" | b"ENCRYPTED PRIVATE KEY" | b"RSA PRIVATE KEY" | b"DSA PRIVATE KEY" | b"EC PRIVATE KEY"
    )
}

/// ssh-keygen's PEM path (`sshkey_parse_private_pem_fileblob` without a
/// passphrase): the first block OpenSSL reads as a private key, anything
/// else in the file skipped. `Ok(None)` when there is no such block.
pub(super) fn listing(file: &[u8]) -> Result<Option<Derived>, Error> {
    let lines = text::lines(file)?;
    let Some(i) = lines
        .iter()
        .position(|l| begin_label(l.text).is_some_and(openssl_private_label))
    else {
        return Ok(None);
    };
    let label = begin_label(lines[i].text).unwrap_or_default();
    let format = match label_kind(label) {
        Some(Label::Key(f)) => f,
        _ => Format::Pkcs8PrivateKey,
    };
    if label == b"ENCRYPTED PRIVATE KEY" {
        return Err(Error::new(ConvertError::Encrypted(PrivateKeyKind::Pkcs8)).with_line(lines[i].number));
    }
    let (block, _) = frame(&lines[i..], format)?;
    let at = block.begin;
    if block.encrypted {
        return Err(Error::new(ConvertError::Encrypted(format.private_kind())).with_line(at));
    }
    let der = block.body.decode(&text::PEM)?;
    let blob = match format {
        Format::PemRsaPrivateKey => der::pkcs1_private(&der, format),
        Format::PemDsaPrivateKey => der::dsa_private(&der),
        Format::PemEcPrivateKey => der::sec1_private(&der, None, format),
        _ => der::pkcs8_private(&der, Mode::Listing),
    }
    .map_err(|k| Error::new(k).with_line(at))?;
    Key::parse(&blob).map_err(|e| e.with_line(at))?;
    Ok(Some(Derived { blob, comment: None }))
}
