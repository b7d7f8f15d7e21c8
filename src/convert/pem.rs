//! PEM blocks: `-----BEGIN LABEL-----`, optional RFC 1421 headers (OpenSSL's
//! `Proc-Type: 4,ENCRYPTED` / `DEK-Info:` for encrypted traditional keys),
//! base64, `-----END LABEL-----`.

use super::der;
use super::text::{self, Body, TextLine};
use super::{Converted, Format, Reading, openssh};
use crate::error::{ConvertError, Error, Snippet};
use crate::format::PrivateKeyKind;

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
struct Block<'a> {
    begin: TextLine<'a>,
    end: TextLine<'a>,
    /// RFC 1421 headers after the BEGIN line.
    headers: bool,
    /// A `Proc-Type: 4,ENCRYPTED` header.
    encrypted: bool,
    body: Body,
    /// Why OpenSSL's PEM reader (which ssh and ssh-keygen read PEM keys
    /// with) would not read the block, which keyvet read.
    openssl_problem: Option<&'static str>,
}

/// Frames the block whose BEGIN line is `lines[0]`; returns it and the
/// number of lines it spans.
fn frame<'a>(lines: &[TextLine<'a>], format: Format) -> Result<(Block<'a>, usize), Error> {
    let begin = lines[0];
    let label = begin_label(begin.text).unwrap_or_default();
    let malformed = |reason, at: u64| Error::new(ConvertError::Malformed { format, reason }).with_line(at);
    let mut encrypted = false;
    let mut body = Body::default();
    let mut i = 1;
    // RFC 1421 headers: lines with a colon, up to a blank line; a header
    // continues on lines that start with a blank.
    let headers = lines.get(1).is_some_and(|l| l.text.contains(&b':'));
    if headers {
        let mut count = 0;
        while let Some(l) = lines.get(i) {
            if text::is_blank(l.text) {
                i += 1;
                break;
            }
            let continuation = l.text.starts_with(b" ") || l.text.starts_with(b"\t");
            if !continuation && !l.text.contains(&b':') {
                break;
            }
            count += 1;
            if count > 32 || l.text.len() > 1024 {
                return Err(malformed("its headers are too long", l.number));
            }
            if l.text.starts_with(b"Proc-Type:") && l.text.windows(9).any(|w| w == b"ENCRYPTED") {
                encrypted = true;
            }
            i += 1;
        }
    }
    // OpenSSL 3's PEM reader takes one blank line right after the BEGIN
    // line (as the end of no headers) and no other; it reads BEGIN and END
    // lines only from their first column.
    let indented = |l: &TextLine<'_>| l.text.first().is_some_and(|&b| b == b' ' || b == b'\t');
    let mut openssl_problem = indented(&begin).then_some(BEGIN_INDENTED);
    let mut blank_allowed = !headers;
    while let Some(l) = lines.get(i) {
        let t = text::trim(l.text);
        if t.is_empty() {
            if !blank_allowed {
                openssl_problem = openssl_problem.or(Some(BLANK_LINE));
            }
            blank_allowed = false;
        } else if !t.starts_with(b"-----END ") {
            blank_allowed = false;
        }
        if let Some(rest) = t.strip_prefix(b"-----END ") {
            if indented(l) {
                openssl_problem = openssl_problem.or(Some(END_INDENTED));
            }
            if rest.strip_suffix(b"-----") != Some(label) {
                return Err(malformed(
                    "its END line names another label than its BEGIN line",
                    l.number,
                ));
            }
            let block = Block {
                begin,
                end: *l,
                headers,
                encrypted,
                body,
                openssl_problem,
            };
            return Ok((block, i + 1));
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

/// The key of a framed, unencrypted block: the one decoder of every block
/// format, whoever reads it.
fn key_of(format: Format, block: &Block<'_>, reading: Reading) -> Result<Converted, Error> {
    let at = block.begin.number;
    if block.body.is_empty() {
        return Err(Error::new(ConvertError::Malformed {
            format,
            reason: "it holds no key data between its BEGIN and END lines",
        })
        .with_line(at));
    }
    if format == Format::OpenSshPrivateKey {
        let decoded = block.body.decode(&text::STRICT)?;
        let mut c = openssh::convert(&decoded).map_err(|e| e.with_line(at))?;
        c.openssh_cannot_load = match block.headers {
            true => Some(openssh::HEADERS),
            false => openssh::load_problem(&block.begin, &block.end),
        };
        return Ok(c);
    }
    let der = block.body.decode(&text::PEM)?;
    let openssh_cannot_load = if format.is_private() {
        block.openssl_problem
    } else {
        None
    };
    let blob = match format {
        Format::PemPublicKey => der::spki(&der),
        Format::PemRsaPublicKey => der::pkcs1_public(&der),
        Format::PemRsaPrivateKey => der::pkcs1_private(&der, format),
        Format::PemDsaPrivateKey => der::dsa_private(&der),
        Format::PemEcPrivateKey => der::sec1_private(&der, None, format),
        _ => der::pkcs8_private(&der, reading),
    }
    .map_err(|k| Error::new(k).with_line(at))?;
    let mut c = Converted::new(blob, None, format).map_err(|e| e.with_line(at))?;
    c.openssh_cannot_load = openssh_cannot_load;
    Ok(c)
}

const BEGIN_INDENTED: &str = "ssh and ssh-keygen cannot load this private key file: OpenSSL, which they read PEM \
                              keys with, needs its BEGIN line to start in the first column; remove the blanks before it";
const END_INDENTED: &str = "ssh and ssh-keygen cannot load this private key file: OpenSSL, which they read PEM keys \
                            with, needs its END line to start in the first column; remove the blanks before it";
const BLANK_LINE: &str = "ssh and ssh-keygen cannot load this private key file: OpenSSL, which they read PEM keys \
                          with, allows no blank line inside the block but right after its BEGIN line; remove it";

/// Reads the key of an input that holds PEM blocks, the way `reading`
/// selects it (see [`Reading`]).
pub(super) fn read(lines: &[TextLine<'_>], reading: Reading) -> Result<Converted, Error> {
    match reading {
        Reading::Convert => one_key(lines),
        Reading::Listing => listing(lines),
    }
}

/// [`super::to_openssh`]: the one key block of the input, text around it
/// allowed.
fn one_key(lines: &[TextLine<'_>]) -> Result<Converted, Error> {
    let mut i = 0;
    let mut found: Option<(Format, Block<'_>)> = None;
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
            return Err(Error::new(ConvertError::Encrypted(format.private_kind())).with_line(block.begin.number));
        }
        if found.is_some() {
            return Err(Error::new(ConvertError::Malformed {
                format,
                reason: "the input holds more than one key; convert them one at a time",
            })
            .with_line(block.begin.number));
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
    key_of(format, &block, Reading::Convert)
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

/// ssh-keygen 9.2's reading of a private key file without a passphrase
/// (`sshkey_load_private`): the OpenSSH-format block when OpenSSH's loader
/// takes the file as it is (it starts with the block; see
/// [`openssh::load_problem`]); else, or when that block fails, the first
/// block OpenSSL reads as a private key (`sshkey_parse_private_pem_fileblob`),
/// anything else in the file skipped. The reason the OpenSSH-format block
/// was not read comes first when nothing else is found.
fn listing(lines: &[TextLine<'_>]) -> Result<Converted, Error> {
    let mut openssh_err: Option<Error> = None;
    if let Some(first) = lines.first()
        && begin_label(first.text) == Some(b"OPENSSH PRIVATE KEY")
    {
        let f = Format::OpenSshPrivateKey;
        match frame(lines, f).and_then(|(block, _)| key_of(f, &block, Reading::Listing)) {
            Ok(c) => match c.openssh_cannot_load {
                None => return Ok(c),
                Some(reason) => {
                    openssh_err =
                        Some(Error::new(ConvertError::Malformed { format: f, reason }).with_line(first.number));
                }
            },
            Err(e) => openssh_err = Some(e),
        }
    }
    let pem = lines
        .iter()
        .position(|l| begin_label(l.text).is_some_and(openssl_private_label));
    let Some(i) = pem else {
        return Err(openssh_err.unwrap_or_else(|| {
            match lines
                .iter()
                .find(|l| begin_label(l.text) == Some(b"OPENSSH PRIVATE KEY"))
            {
                Some(l) => Error::new(ConvertError::Malformed {
                    format: Format::OpenSshPrivateKey,
                    reason: openssh::NOT_FIRST,
                })
                .with_line(l.number),
                None => Error::new(ConvertError::NoKey),
            }
        }));
    };
    let label = begin_label(lines[i].text).unwrap_or_default();
    let format = match label_kind(label) {
        Some(Label::Key(f)) => f,
        _ => Format::Pkcs8PrivateKey,
    };
    let pem = if label == b"ENCRYPTED PRIVATE KEY" {
        Err(Error::new(ConvertError::Encrypted(PrivateKeyKind::Pkcs8)).with_line(lines[i].number))
    } else {
        frame(&lines[i..], format).and_then(|(block, _)| {
            if block.encrypted {
                return Err(Error::new(ConvertError::Encrypted(format.private_kind())).with_line(block.begin.number));
            }
            let c = key_of(format, &block, Reading::Listing)?;
            match c.openssh_cannot_load {
                None => Ok(c),
                Some(reason) => {
                    Err(Error::new(ConvertError::Malformed { format, reason }).with_line(block.begin.number))
                }
            }
        })
    };
    pem.map_err(|e| openssh_err.unwrap_or(e))
}
