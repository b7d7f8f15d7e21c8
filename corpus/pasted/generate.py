#!/usr/bin/env python3
"""Pasted uploads: what people paste into an "add SSH key" form or a cloud
ImportKeyPair call, mistakes included, each with the verdict keyvet must
give.

    python3 corpus/pasted/generate.py

Writes corpus/pasted/inputs/* and corpus/pasted/MANIFEST.tsv from the keys
already in corpus/ (corpus/valid and the private test keys of
corpus/convert), deterministically (a fixed seed for the random wrap
widths and binary bytes). Needs only Python 3.

MANIFEST.tsv columns:
  name      the file under inputs/
  strict    the code `keyvet::vet::vet` gives under the strict policy, or
            `ok` when it accepts the upload
  repaired  the same with `repair_pastes` on
  openssh   the same under the openssh policy
  key       for inputs some policy accepts: the corpus file of the key the
            upload must yield (its fingerprint is compared)
  what      what the input is
"""

import base64
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
OUT = HERE / "inputs"
PRIVATE = CORPUS / "convert" / "private-test-keys"

rows = []


def add(name, data, strict, what, repaired=None, openssh=None, key="-"):
    """One input: its bytes, the expected codes and the key it yields."""
    if isinstance(data, str):
        data = data.encode()
    (OUT / name).write_bytes(data)
    rows.append((name, strict, repaired or strict, openssh or strict, key, what))


def key(stem):
    """A corpus/valid key line, without its line end."""
    return (CORPUS / "valid" / f"{stem}.pub").read_text().rstrip("\n")


def fields(line):
    t, b64, *rest = line.split(" ", 2)
    return t, b64, (rest[0] if rest else None)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    rng = random.Random(20261206)
    ed = key("ed25519")
    rsa = key("rsa-2048")
    rsa4 = key("rsa-4096")
    ec = key("ecdsa-256")

    # Plain keys: accepted as they are (ECDSA and Ed25519 under both).
    add("plain-ed25519.txt", ed + "\n", "ok", "an Ed25519 key line", key="valid/ed25519.pub")
    add("plain-rsa-2048-crlf.txt", rsa + "\r\n", "ok", "an RSA key line with a CRLF line end", key="valid/rsa-2048.pub")
    add("plain-ecdsa-blank-lines.txt", "\n\n  " + ec + "  \n\n", "ok", "an ECDSA key line between blank lines",
        key="valid/ecdsa-256.pub")
    add("plain-rsa-1024.txt", key("rsa-1024") + "\n", "rsa.too_small", "a 1024-bit RSA key: strict refuses it",
        openssh="ok", key="valid/rsa-1024.pub")

    # Every private key keyvet recognises: refused, whatever the policy.
    for p in sorted(PRIVATE.iterdir()):
        if p.name == "README.txt":
            continue
        add(f"private-{p.name}.txt", p.read_bytes(), "upload.private_key", f"the private key {p.name}")
    add("private-after-public.txt", ed + "\n" + (PRIVATE / "ed25519").read_text(), "upload.private_key",
        "a public key line, then the private key pasted after it")
    # SSH-1's binary private key file (no tool here writes one any more: its
    # header line, then the binary body's layout with random numbers).
    add("private-ssh1.txt", b"SSH PRIVATE KEY FILE FORMAT 1.1\n\x00" + b"\x00" * 4 + b"\x00" * 4 + b"\x00\x00\x04\x00"
        + random.Random(1).randbytes(600), "upload.private_key",
        "an SSH-1 private key file (binary after its first line)")
    for order, bom in (("le", b"\xff\xfe"), ("be", b"\xfe\xff")):
        add(f"private-utf16-{order}.txt", bom + (PRIVATE / "ed25519").read_text().replace("\n", "\r\n")
            .encode("utf-16-" + order), "upload.private_key",
            f"an OpenSSH private key saved as UTF-16 {order.upper()} (PowerShell's >): still a private key")

    # Encodings.
    add("bom-ed25519.txt", b"\xef\xbb\xbf" + ed.encode() + b"\n", "line.bom",
        "a UTF-8 byte-order mark before the key", repaired="ok", key="valid/ed25519.pub")
    for order, bom in (("le", b"\xff\xfe"), ("be", b"\xfe\xff")):
        enc = "utf-16-" + order
        add(f"utf16-{order}-bom.txt", bom + (ed + "\r\n").encode(enc), "upload.utf16",
            f"UTF-16 {order.upper()} with a byte-order mark (PowerShell's >)")
        add(f"utf16-{order}.txt", (ed + "\r\n").encode(enc), "upload.utf16", f"UTF-16 {order.upper()} without a mark")
    add("binary-random.txt", bytes(rng.randrange(256) for _ in range(2048)), "upload.binary", "2 KiB of random bytes")
    add("binary-png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(512)),
        "upload.binary", "a PNG image")

    # A key wrapped over lines, as editors and e-mail clients do.
    for stem, line in (("rsa-2048", rsa), ("ed25519", ed), ("rsa-4096", rsa4)):
        for width in (64, 70, 76):
            if len(line) <= width:
                continue
            pieces = [line[i:i + width] for i in range(0, len(line), width)]
            add(f"wrap-{width}-{stem}.txt", "\n".join(pieces) + "\n", "upload.wrapped",
                f"{stem} wrapped at {width} columns", repaired="ok", key=f"valid/{stem}.pub")
    for i in range(6):
        stem = ["rsa-2048", "rsa-4096", "ed25519"][i % 3]
        line = key(stem)
        width = rng.randrange(20, 90)
        pieces = [line[j:j + width] for j in range(0, len(line), width)]
        add(f"wrap-random-{i}.txt", "\r\n".join(pieces) + "\r\n", "upload.wrapped",
            f"wrapped at {width} columns with CRLF line ends", repaired="ok", key=f"valid/{stem}.pub")
    t, b64, comment = fields(rsa4)
    half = len(b64) // 2
    add("one-break-rsa-4096.txt", f"{t} {b64[:half]}\n{b64[half:]} {comment}\n", "upload.wrapped",
        "one line break in the middle of the base64", repaired="ok", key="valid/rsa-4096.pub")
    t, b64, comment = fields(ed)
    add("break-before-comment.txt", f"{t} {b64}\n{comment}\n", "upload.extra_text",
        "a whole key, then its comment on a line of its own: text besides the key, not glued onto it")
    add("key-and-text.txt", f"{ed}\nthis is my laptop key\n", "upload.extra_text", "a key, then a sentence")
    add("break-after-type.txt", f"{t}\n{b64} {comment}\n", "upload.wrapped",
        "a line break between the type and the base64", repaired="ok", key="valid/ed25519.pub")
    t, b64, comment = fields(rsa)
    third = len(b64) // 3
    add("space-in-base64.txt", f"{t} {b64[:third]} {b64[third:]} {comment}\n", "upload.space_in_key",
        "a space inside the base64", repaired="ok", key="valid/rsa-2048.pub")
    add("spaces-in-base64.txt", f"{t} {b64[:third]} {b64[third:2 * third]}  {b64[2 * third:]} {comment}\n",
        "upload.space_in_key", "two blanks inside the base64", repaired="ok", key="valid/rsa-2048.pub")

    # Unicode spaces where an ASCII space belongs.
    t, b64, comment = fields(ed)
    for name, ch in (("nbsp", "\u00a0"), ("em-space", "\u2003"), ("ideographic-space", "\u3000"),
                     ("narrow-nbsp", "\u202f")):
        add(f"{name}-after-type.txt", f"{t}{ch}{b64} {comment}\n", "line.unicode_space",
            f"U+{ord(ch):04X} between the type and the base64", repaired="ok", key="valid/ed25519.pub")
    add("nbsp-before-comment.txt", f"{t} {b64}\u00a0{comment}\n", "line.unicode_space",
        "U+00A0 between the base64 and the comment", repaired="ok", key="valid/ed25519.pub")

    # What belongs to other files.
    add("known-hosts.txt", f"github.com,140.82.112.3 {ed}\n", "upload.known_hosts", "a known_hosts line")
    add("known-hosts-hashed.txt", f"|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= {ed}\n",
        "upload.known_hosts", "a hashed known_hosts line")
    cert_body = base64.b64encode(random.Random(2).randbytes(300)).decode()
    add("x509-certificate.txt", "-----BEGIN CERTIFICATE-----\n"
        + "\n".join(cert_body[i:i + 64] for i in range(0, len(cert_body), 64))
        + "\n-----END CERTIFICATE-----\n", "convert.pem_label",
        "an X.509 certificate (TLS), which holds no SSH key and nothing secret: not called a private key")
    add("options.txt", f'no-pty,command="/usr/bin/backup" {ed}\n', "upload.options", "an authorized_keys line with options")
    add("options-typographic-quotes.txt", f"command=\u201c/usr/bin/backup\u201d {ed}\n", "upload.options",
        "options with typographic quotes, as a word processor writes them")
    add("several-keys.txt", "\n".join([ed, rsa, ec]) + "\n", "upload.several_keys", "three keys, one expected")
    add("two-keys-and-comments.txt", "# laptop\n" + ed + "\n# desktop\n" + rsa + "\n", "upload.several_keys",
        "two keys with comment lines")

    # Comments a reviewer cannot read as they are.
    t, b64, _ = fields(ed)
    add("comment-bidi.txt", f"{t} {b64} admin\u202egro.elpmaxe@\n", "comment.invisible",
        "a right-to-left override in the comment", openssh="ok", key="valid/ed25519.pub")
    add("comment-zero-width.txt", f"{t} {b64} ali\u200bce@example.org\n", "comment.invisible",
        "a zero-width space in the comment", openssh="ok", key="valid/ed25519.pub")

    # Other public formats, with the text people copy around them.
    spki = (CORPUS / "convert" / "public" / "ecdsa256.spki.pem").read_text()
    add("pem-spki.txt", spki, "ok", "a PEM public key", key="convert/public/ecdsa256.pub")
    add("pem-spki-with-text.txt", "Here is my key:\n\n" + spki + "\nThanks!\n", "ok",
        "a PEM public key with text before and after", key="convert/public/ecdsa256.pub")
    rfc = (CORPUS / "convert" / "public" / "ed25519.rfc4716").read_text()
    add("rfc4716.txt", rfc, "ok", "an RFC 4716 public key block (PuTTYgen, ssh-keygen -e)",
        key="convert/public/ed25519.pub")
    add("rfc4716-with-text.txt", "My key, exported from PuTTYgen:\n" + rfc + "-- \nsent from my phone\n", "ok",
        "an RFC 4716 block with text before and after", key="convert/public/ed25519.pub")
    add("pem-and-key.txt", spki + ed + "\n", "upload.several_keys", "a PEM public key and a key line")

    # Nothing to read.
    add("empty.txt", "", "input.no_key", "an empty upload")
    add("only-comments.txt", "# my key\n\n", "input.no_key", "only a comment")

    with open(HERE / "MANIFEST.tsv", "w") as f:
        f.write("name\tstrict\trepaired\topenssh\tkey\twhat\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{len(rows)} inputs")


if __name__ == "__main__":
    main()
