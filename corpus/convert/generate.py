#!/usr/bin/env python3
"""Regenerates keyvet's conversion corpus (see README.md beside this file).

    LC_ALL=C.UTF-8 python3 corpus/convert/generate.py [--conformance DIR] [--skip-conformance]

Makes keys of every type with ssh-keygen, writes each in every form a user
may paste (OpenSSH lines, RFC 4716 blocks from ssh-keygen and PuTTYgen and
hand-made ones, PEM public keys, OpenSSH / PEM / PKCS#8 private keys,
encrypted variants, PuTTY .ppk files) and records, for every file:

* the OpenSSH line keyvet's `convert::to_openssh` must produce, from the
  oracle: `ssh-keygen -i -m RFC4716|PKCS8|PEM -f FILE` for public forms,
  `ssh-keygen -y -f FILE` (with the passphrase for encrypted keys) for
  private ones, and the key's `.pub` file where ssh-keygen 9.2 cannot read the
  form (Ed25519 PKCS#8, PuTTY files);
* the comment keyvet must keep (RFC 4716 `Comment:` headers, PuTTY comments,
  the stored comment of unencrypted OpenSSH keys);
* what `ssh-keygen -l -f FILE` prints, run on a 0600 copy of the file alone
  in a directory (no FILE.pub beside it), which keyvet's `stream::keygen`
  must reproduce byte for byte.

With the public conformance corpus at hand (default corpus/external) it also writes ../conformance-private.tsv: ssh-keygen
9.2 re-run on the corpus's `private` and `pubkey_rfc4716` rows.

Every private key written here is a throw-away TEST KEY made by this script
(in private-test-keys/); it protects nothing. Keys are random: every run
rewrites every file with new keys; file names and structure stay the same.

Needs: OpenSSH 9.2's ssh-keygen, OpenSSL's `openssl` command, PuTTY's
`puttygen` (Debian package putty-tools), Python 3.11 with `cryptography`.
"""

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message=".*DSA.*")  # cryptography deprecates DSA

from cryptography.hazmat.primitives import serialization  # noqa: E402

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
ENV = dict(os.environ, LC_ALL="C.UTF-8")
PASSPHRASE = "keyvet-test-passphrase"

# name, ssh-keygen -t, -b
KEYS = [
    ("rsa2048", "rsa", "2048"),
    ("dsa", "dsa", "1024"),
    ("ecdsa256", "ecdsa", "256"),
    ("ecdsa384", "ecdsa", "384"),
    ("ecdsa521", "ecdsa", "521"),
    ("ed25519", "ed25519", None),
]


def run(args, cwd=None, check=True, stdin=None):
    p = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, input=stdin)
    if check and p.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed: {p.stderr.decode(errors='replace')}")
    return p


def copy600(src, dst):
    """Copies a private key the way ssh-keygen wants it: mode 0600."""
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o600)


def key_fields(line):
    """type, base64 and comment (or None) of an OpenSSH line."""
    parts = line.strip(b"\n").split(b" ", 2)
    return parts[0], parts[1], (parts[2] if len(parts) > 2 else None)


class Corpus:
    def __init__(self, tmp):
        self.tmp = tmp
        self.rows = []
        self.problems = []

    def keygen_l(self, path):
        """`ssh-keygen -l -f FILE` on a 0600 copy alone in a directory."""
        d = Path(tempfile.mkdtemp(dir=self.tmp))
        target = d / path.name
        shutil.copyfile(path, target)
        target.chmod(0o600)
        p = run(["ssh-keygen", "-l", "-f", path.name], cwd=d, check=False)
        shutil.rmtree(d)
        if p.returncode != 0:
            return "rejected"
        out = p.stdout.decode(errors="backslashreplace").splitlines()
        return " | ".join(out)

    def oracle_import(self, path, fmt):
        p = run(["ssh-keygen", "-i", "-m", fmt, "-f", path], check=False)
        return p.stdout.strip() if p.returncode == 0 else None

    def oracle_private(self, path, passphrase=""):
        d = Path(tempfile.mkdtemp(dir=self.tmp))
        target = d / "key"
        shutil.copyfile(path, target)
        target.chmod(0o600)
        p = run(["ssh-keygen", "-y", "-P", passphrase, "-f", target], check=False)
        shutil.rmtree(d)
        return p.stdout.strip() if p.returncode == 0 else None

    def add(self, path, *, fmt, expect="ok", line, oracle, comment=None, keygen_error="", notes=""):
        """One MANIFEST row. `line` is the OpenSSH line the oracle printed
        (its comment is not compared); `comment` is what keyvet keeps."""
        rel = path.relative_to(HERE).as_posix()
        keygen = self.keygen_l(path)
        if line is None and expect == "ok":
            self.problems.append(f"{rel}: the oracle ({oracle}) failed")
            line = b""
        typ, b64 = (key_fields(line)[:2] if line else (b"-", b"-"))
        cells = [
            rel,
            fmt if expect == "ok" else "-",
            expect,
            (typ + b" " + b64).decode() if line else "-",
            json.dumps(comment.decode("utf-8", errors="surrogateescape")) if comment is not None else "-",
            oracle,
            keygen,
            keygen_error,
            notes,
        ]
        assert all("\t" not in c and "\n" not in c for c in cells), cells
        self.rows.append(cells)

    def write(self):
        header = ["path", "format", "expect", "line", "comment", "oracle", "keygen", "keygen_error", "notes"]
        text = "\t".join(header) + "\n" + "".join("\t".join(r) + "\n" for r in sorted(self.rows))
        (HERE / "MANIFEST.tsv").write_text(text)


def rfc4716_comment(path):
    """The Comment header ssh-keygen -e / puttygen wrote (one line, quoted)."""
    for raw in path.read_bytes().splitlines():
        m = re.match(rb'^Comment: "(.*)"$', raw)
        if m:
            return m.group(1)
    return None


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def rfc4716_block(b64, headers, eol=b"\n", width=70):
    lines = [b"---- BEGIN SSH2 PUBLIC KEY ----", *headers]
    lines += [b64[i:i + width] for i in range(0, len(b64), width)]
    lines.append(b"---- END SSH2 PUBLIC KEY ----")
    return eol.join(lines) + eol


def generate(c):
    tmp = c.tmp
    pub_dir = HERE / "public"
    priv_dir = HERE / "private-test-keys"
    write(priv_dir / "README.txt", (
        "TEST KEYS. Every private key in this directory was generated by ../generate.py for keyvet's tests.\n"
        "They protect nothing and must never be used for anything else. Passphrase of the encrypted ones: "
        f"{PASSPHRASE}\n").encode())
    pw_file = tmp / "pw"
    pw_file.write_text(PASSPHRASE + "\n")

    for name, kt, bits in KEYS:
        comment = f"keyvet-test-{name}@example.invalid"
        k = tmp / name
        args = ["ssh-keygen", "-q", "-t", kt, "-N", "", "-C", comment, "-f", k]
        if bits:
            args[4:4] = ["-b", bits]
        run(args)
        pub_line = (tmp / f"{name}.pub").read_bytes()
        typ, b64, _ = key_fields(pub_line)

        # OpenSSH line, passed through.
        p = write(pub_dir / f"{name}.pub", pub_line)
        c.add(p, fmt="openssh", line=pub_line, oracle="itself", comment=comment.encode(),
              notes="OpenSSH public key line")

        # RFC 4716 as ssh-keygen -e writes it.
        out = run(["ssh-keygen", "-e", "-m", "RFC4716", "-f", tmp / f"{name}.pub"]).stdout
        p = write(pub_dir / f"{name}.rfc4716", out)
        c.add(p, fmt="rfc4716", line=c.oracle_import(p, "RFC4716"), oracle="ssh-keygen -i -m RFC4716",
              comment=rfc4716_comment(p), notes="ssh-keygen -e -m RFC4716")

        # PEM public keys.
        if kt != "ed25519":
            out = run(["ssh-keygen", "-e", "-m", "PKCS8", "-f", tmp / f"{name}.pub"]).stdout
            p = write(pub_dir / f"{name}.spki.pem", out)
            c.add(p, fmt="pem-spki", line=c.oracle_import(p, "PKCS8"), oracle="ssh-keygen -i -m PKCS8",
                  notes="ssh-keygen -e -m PKCS8 (PUBLIC KEY)")
        if kt == "rsa":
            out = run(["ssh-keygen", "-e", "-m", "PEM", "-f", tmp / f"{name}.pub"]).stdout
            p = write(pub_dir / f"{name}.pkcs1.pem", out)
            c.add(p, fmt="pem-pkcs1", line=c.oracle_import(p, "PEM"), oracle="ssh-keygen -i -m PEM",
                  notes="ssh-keygen -e -m PEM (RSA PUBLIC KEY)")

        # OpenSSH private keys: clear, and encrypted.
        p = write(priv_dir / name, k.read_bytes())
        c.add(p, fmt="openssh-private", line=c.oracle_private(p), oracle="ssh-keygen -y",
              comment=comment.encode(), notes="ssh-keygen private key, unencrypted: stored comment")
        enc = tmp / f"{name}.enc"
        copy600(k, enc)
        run(["ssh-keygen", "-q", "-p", "-P", "", "-N", PASSPHRASE, "-f", enc])
        p = write(priv_dir / f"{name}.enc", enc.read_bytes())
        c.add(p, fmt="openssh-private", line=c.oracle_private(p, PASSPHRASE), oracle="ssh-keygen -y -P PASSPHRASE",
              notes="encrypted (aes256-ctr, bcrypt): public key in clear, comment encrypted, so keyvet has none")

        if kt != "ed25519":
            # PEM (PKCS#1, SEC1, OpenSSL DSA) and PKCS#8, clear and encrypted.
            for mode, suffix, label in (("PEM", "pem", "traditional PEM"), ("PKCS8", "pkcs8", "PKCS#8")):
                f = tmp / f"{name}.{suffix}"
                copy600(k, f)
                run(["ssh-keygen", "-q", "-p", "-P", "", "-N", "", "-m", mode, "-f", f])
                fmt = {"rsa": "pem-rsa-private", "dsa": "pem-dsa-private", "ecdsa": "pem-ec-private"}[kt] \
                    if mode == "PEM" else "pkcs8-private"
                p = write(priv_dir / f"{name}.{suffix}", f.read_bytes())
                c.add(p, fmt=fmt, line=c.oracle_private(p), oracle="ssh-keygen -y",
                      notes=f"ssh-keygen -p -m {mode}: {label}, no comment")
                fe = tmp / f"{name}.{suffix}.enc"
                copy600(k, fe)
                run(["ssh-keygen", "-q", "-p", "-P", "", "-N", PASSPHRASE, "-m", mode, "-f", fe])
                p = write(priv_dir / f"{name}.{suffix}.enc", fe.read_bytes())
                c.add(p, fmt="-", expect="convert.encrypted", line=c.oracle_private(p, PASSPHRASE),
                      oracle="ssh-keygen -y -P PASSPHRASE", keygen_error="convert.encrypted",
                      notes=f"ssh-keygen -p -m {mode} -N: encrypted {label}, unreadable without the passphrase")

        # PuTTY files and PuTTYgen's RFC 4716 export.
        for version in ("3", "2"):
            p = priv_dir / f"{name}.v{version}.ppk"
            run(["puttygen", k, "-O", "private", "--ppk-param", f"version={version}", "-o", p])
            c.add(p, fmt="putty-private", line=pub_line, oracle=".pub (ssh-keygen does not read .ppk)",
                  comment=comment.encode(), notes=f"PuTTY key file v{version}, unencrypted")
        p = priv_dir / f"{name}.v3.enc.ppk"
        run(["puttygen", k, "-O", "private", "--new-passphrase", pw_file, "-o", p])
        c.add(p, fmt="putty-private", line=pub_line, oracle=".pub (ssh-keygen does not read .ppk)",
              comment=comment.encode(), notes="PuTTY key file v3, encrypted: public key and comment in clear")
        p = pub_dir / f"{name}.putty.rfc4716"
        run(["puttygen", k, "-O", "public", "-o", p])
        c.add(p, fmt="rfc4716", line=c.oracle_import(p, "RFC4716"), oracle="ssh-keygen -i -m RFC4716",
              comment=rfc4716_comment(p), notes="puttygen -O public")

        if name == "ed25519":
            ed_pub, ed_b64, ed_key = pub_line, b64, k

    # --- hand-made RFC 4716 blocks ---------------------------------------
    b64 = ed_b64
    cases = {
        "continued-comment": ([b'Comment: "a comment that goes on \\', b'over two lines"',
                               b"Subject: someone", b"x-private-header: value \\", b"continued"],
                              b"a comment that goes on over two lines", b"\n", 70,
                              "Comment header continued with a backslash; Subject and x- headers ignored"),
        "unquoted-comment": ([b"Comment: plain words, no quotes"], b"plain words, no quotes", b"\n", 70,
                             "unquoted Comment value (RFC 4716 3.3.2: must work)"),
        "lowercase-tag": ([b'comment: "tags are case-insensitive"'], b"tags are case-insensitive", b"\n", 64,
                          "header tags compare without case"),
        "crlf": ([b'Comment: "crlf line ends"'], b"crlf line ends", b"\r\n", 70, "CR LF line ends"),
        "no-headers": ([], None, b"\n", 72, "no headers at all, 72-column body"),
        "utf8-comment": (['Comment: "clé de test ✓"'.encode()], "clé de test ✓".encode(), b"\n", 70,
                         "UTF-8 comment"),
    }
    for case, (headers, comment, eol, width, note) in cases.items():
        p = write(pub_dir / f"rfc4716-{case}.pub", rfc4716_block(b64, headers, eol, width))
        c.add(p, fmt="rfc4716", line=c.oracle_import(p, "RFC4716"), oracle="ssh-keygen -i -m RFC4716",
              comment=comment, notes=note)

    # --- OpenSSL-made forms ----------------------------------------------
    ec = tmp / "ossl-ec"
    run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-out", ec])
    p = write(priv_dir / "openssl-ec-with-parameters.pem", ec.read_bytes())
    c.add(p, fmt="pem-ec-private", line=c.oracle_private(p), oracle="ssh-keygen -y", keygen_error="input.no_key",
          notes="openssl ecparam -genkey: an EC PARAMETERS block before the EC PRIVATE KEY (line 1 does not "
          "mention PRIVATE KEY, so ssh-keygen -l does not read it as a private key file)")
    nopub = tmp / "ossl-ec-nopub"
    run(["openssl", "ec", "-in", ec, "-no_public", "-out", nopub])
    p = write(priv_dir / "openssl-ec-no-public.pem", nopub.read_bytes())
    c.add(p, fmt="pem-ec-private", line=c.oracle_private(p), oracle="ssh-keygen -y",
          notes="SEC1 without its public key: computed from the scalar")
    p8 = tmp / "ossl-ec-nopub.p8"
    run(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", nopub, "-out", p8])
    p = write(priv_dir / "openssl-ec-no-public.pkcs8", p8.read_bytes())
    c.add(p, fmt="pkcs8-private", line=c.oracle_private(p), oracle="ssh-keygen -y",
          notes="PKCS#8 EC key whose SEC1 part has neither curve nor public key")
    for curve, short in (("secp384r1", "384"), ("secp521r1", "521")):
        f = tmp / f"ossl-ec{short}"
        run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", f"ec_paramgen_curve:{curve}", "-out", f])
        p = write(priv_dir / f"openssl-ec{short}.pkcs8", f.read_bytes())
        c.add(p, fmt="pkcs8-private", line=c.oracle_private(p), oracle="ssh-keygen -y",
              notes=f"openssl genpkey {curve}: PKCS#8")
    comp = run(["openssl", "ec", "-in", ec, "-pubout", "-conv_form", "compressed"]).stdout
    p = write(pub_dir / "openssl-ec-compressed.spki.pem", comp)
    c.add(p, fmt="pem-spki", line=c.oracle_import(p, "PKCS8"), oracle="ssh-keygen -i -m PKCS8",
          notes="SubjectPublicKeyInfo with a compressed point: decompressed")
    rsa = tmp / "ossl-rsa"
    run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out", rsa])
    p = write(priv_dir / "openssl-rsa3072.pkcs8", rsa.read_bytes())
    c.add(p, fmt="pkcs8-private", line=c.oracle_private(p), oracle="ssh-keygen -y", notes="openssl genpkey RSA")
    pk1 = run(["openssl", "rsa", "-in", rsa, "-traditional"]).stdout
    p = write(priv_dir / "openssl-rsa3072.pem", pk1)
    c.add(p, fmt="pem-rsa-private", line=c.oracle_private(p), oracle="ssh-keygen -y",
          notes="openssl rsa -traditional: PKCS#1")
    rpub = run(["openssl", "rsa", "-in", rsa, "-RSAPublicKey_out"]).stdout
    p = write(pub_dir / "openssl-rsa3072.pkcs1.pem", rpub)
    c.add(p, fmt="pem-pkcs1", line=c.oracle_import(p, "PEM"), oracle="ssh-keygen -i -m PEM",
          notes="openssl rsa -RSAPublicKey_out")

    # Ed25519 in PKCS#8, which ssh-keygen 9.2 cannot read: the oracle is
    # ssh-keygen -y on the same key in OpenSSH's format (written by the
    # cryptography package).
    ed = tmp / "ossl-ed25519"
    run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", ed])
    key = serialization.load_pem_private_key(ed.read_bytes(), password=None)
    as_openssh = tmp / "ossl-ed25519-openssh"
    as_openssh.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                             serialization.NoEncryption()))
    ed_line = c.oracle_private(as_openssh)
    p = write(priv_dir / "openssl-ed25519.pkcs8", ed.read_bytes())
    c.add(p, fmt="pkcs8-private", line=ed_line, oracle="ssh-keygen -y on the key in OpenSSH format",
          keygen_error="convert.unsupported", notes="Ed25519 PKCS#8: keyvet converts it, ssh-keygen 9.2 does not")
    edpub = run(["openssl", "pkey", "-in", ed, "-pubout"]).stdout
    p = write(pub_dir / "openssl-ed25519.spki.pem", edpub)
    c.add(p, fmt="pem-spki", line=ed_line, oracle="ssh-keygen -y on the key in OpenSSH format",
          notes="Ed25519 SubjectPublicKeyInfo: keyvet converts it, ssh-keygen 9.2 does not")
    enc = run(["openssl", "pkcs8", "-topk8", "-in", ed, "-passout", f"pass:{PASSPHRASE}"]).stdout
    p = write(priv_dir / "openssl-ed25519.pkcs8.enc", enc)
    c.add(p, fmt="-", expect="convert.encrypted", line=ed_line, oracle="ssh-keygen -y on the key in OpenSSH format",
          keygen_error="convert.encrypted", notes="ENCRYPTED PRIVATE KEY")

    # --- ssh-keygen -l quirks on private key files ------------------------
    ed_priv = ed_key.read_bytes()
    ed_comment = key_fields(ed_pub)[2]
    quirks = [
        ("ed25519.crlf", ed_priv.replace(b"\n", b"\r\n"), "convert.malformed",
         "CR LF line ends: ssh-keygen -l cannot read it (private2_uudecode needs LF); keyvet converts it"),
        ("ed25519.no-final-newline", ed_priv.rstrip(b"\n"), "convert.malformed",
         "no newline after the END line: ssh-keygen -l cannot read it; keyvet converts it"),
        ("ed25519.leading-blank-line", b"\n" + ed_priv, "input.no_key",
         "a blank first line: ssh-keygen -l does not see a private key file (\"not a public key file\")"),
    ]
    for fname, data, kerr, note in quirks:
        p = write(priv_dir / fname, data)
        c.add(p, fmt="openssh-private", line=ed_pub, oracle="ssh-keygen -y on the unaltered key",
              comment=ed_comment, keygen_error=kerr, notes=note)
    ecpem = (priv_dir / "ecdsa256.pem").read_bytes()
    ec_line = c.oracle_private(priv_dir / "ecdsa256.pem")
    for fname, data, expect, kerr, note in [
        ("ecdsa256.pem.crlf", ecpem.replace(b"\n", b"\r\n"), "ok", "", "PEM with CR LF line ends: both read it"),
        ("ecdsa256.pem.comment-first", b"# my test PRIVATE KEY\n" + ecpem, "ok", "input.no_key",
         "a # line first: ssh-keygen -l skips it, so line 1 is not a private key line (\"not a public key "
         "file\"); keyvet skips # lines before a key"),
        ("ecdsa256.pem.text-first", b"my test PRIVATE KEY\n" + ecpem, "ok", "",
         "text mentioning PRIVATE KEY on line 1, then the PEM block: ssh-keygen -l reads it (OpenSSL skips "
         "text before a block), and so does keyvet's converter"),
    ]:
        p = write(priv_dir / fname, data)
        c.add(p, fmt="pem-ec-private", expect=expect, line=ec_line, oracle="ssh-keygen -y on the unaltered key",
              keygen_error=kerr, notes=note)
    # Empty and non-ASCII stored comments.
    for fname, comment, note in [
        ("ecdsa256.empty-comment", b"", "empty stored comment: ssh-keygen -l prints two spaces before the type"),
        ("ed25519.utf8-comment", "clé ✓ test".encode(), "UTF-8 stored comment"),
    ]:
        f = tmp / fname
        run(["ssh-keygen", "-q", "-t", "ecdsa" if fname.startswith("ecdsa") else "ed25519", "-N", "", "-C",
             comment, "-f", f])
        p = write(priv_dir / fname, f.read_bytes())
        c.add(p, fmt="openssh-private", line=c.oracle_private(p), oracle="ssh-keygen -y", comment=comment,
              notes=note)

    # --- forms keyvet refuses ---------------------------------------------
    from cryptography.hazmat.primitives.asymmetric import ec as ec_mod
    weak = ec_mod.derive_private_key(1, ec_mod.SECP256R1())
    p = write(priv_dir / "ecdsa256-scalar-one.pem", weak.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    c.add(p, fmt="-", expect="convert.malformed", line=c.oracle_private(p), oracle="ssh-keygen -y (refuses it)",
          keygen_error="convert.malformed",
          notes="EC private scalar 1 (public key = the generator): OpenSSH's sshkey_ec_validate_private refuses it")

    p = priv_dir / "rsa2048.sshcom"
    run(["puttygen", tmp / "rsa2048", "-O", "private-sshcom", "-o", p])
    c.add(p, fmt="-", expect="convert.unsupported", line=c.oracle_private(tmp / "rsa2048"),
          oracle="ssh-keygen -y on the key", keygen_error="convert.no_key",
          notes="ssh.com private key: not converted")


# ---------------------------------------------------------------------------
# conformance-private.tsv: the oracle re-run on corpus/external
# ---------------------------------------------------------------------------


def generate_conformance(conformance, tmp):
    rows = ["path\tkind\tstatus\tsha256\tmd5\timport"]
    manifest = (conformance / "MANIFEST.tsv").read_text().splitlines()
    header = manifest[0].split("\t")
    for raw in manifest[1:]:
        row = dict(zip(header, raw.split("\t")))
        if row["kind"] not in ("private", "pubkey_rfc4716") or row["line"]:
            continue
        src = conformance / row["path"]
        # A 0600 copy at the same relative path, alone in its directory.
        d = Path(tempfile.mkdtemp(dir=tmp))
        target = d / row["path"]
        target.parent.mkdir(parents=True)
        shutil.copyfile(src, target)
        target.chmod(0o600)
        join = lambda out: " | ".join(out.decode(errors="backslashreplace").splitlines())  # noqa: E731
        imported = ""
        if row["kind"] == "private":
            sha = run(["ssh-keygen", "-l", "-f", row["path"]], cwd=d, check=False)
            md5 = run(["ssh-keygen", "-l", "-E", "md5", "-f", row["path"]], cwd=d, check=False)
            status = "ok" if sha.returncode == 0 else "rejected"
            y = run(["ssh-keygen", "-y", "-P", "", "-f", row["path"]], cwd=d, check=False)
            pw = src.parent / "pw"
            if y.returncode != 0 and pw.is_file():
                y = run(["ssh-keygen", "-y", "-P", pw.read_text().strip(), "-f", row["path"]], cwd=d, check=False)
            if y.returncode == 0:
                imported = join(y.stdout)
        else:
            i = run(["ssh-keygen", "-i", "-m", "RFC4716", "-f", row["path"]], cwd=d, check=False)
            if i.returncode == 0:
                status = "ok-via-import"
                imported = join(i.stdout)
                line_file = d / "imported.pub"
                line_file.write_bytes(i.stdout)
                sha = run(["ssh-keygen", "-l", "-f", "imported.pub"], cwd=d, check=False)
                md5 = run(["ssh-keygen", "-l", "-E", "md5", "-f", "imported.pub"], cwd=d, check=False)
            else:
                status = "rejected"
                sha = md5 = i
        cells = [row["path"], row["kind"], status,
                 join(sha.stdout) if status != "rejected" else "",
                 join(md5.stdout) if status != "rejected" else "",
                 imported]
        shutil.rmtree(d)
        assert all("\t" not in x for x in cells), cells
        rows.append("\t".join(cells))
    (CORPUS / "conformance-private.tsv").write_text("\n".join(rows) + "\n")
    return len(rows) - 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conformance", type=Path, default=CORPUS / "external",
                    help="the public conformance corpus (default: corpus/external)")
    ap.add_argument("--skip-conformance", action="store_true")
    args = ap.parse_args()

    version = run(["ssh", "-V"]).stderr.decode().strip()
    if "OpenSSH_9.2" not in version:
        sys.exit(f"the oracle must be OpenSSH 9.2, found: {version}")
    for tool in ("openssl", "puttygen"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed")

    for name in ("public", "private-test-keys"):
        shutil.rmtree(HERE / name, ignore_errors=True)
    (HERE / "MANIFEST.tsv").unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="keyvet-convert-") as t:
        c = Corpus(Path(t))
        generate(c)
        c.write()
        print(f"MANIFEST.tsv: {len(c.rows)} rows ({version})")
        if not args.skip_conformance:
            n = generate_conformance(args.conformance, Path(t))
            print(f"conformance-private.tsv: {n} rows")
    for p in c.problems:
        print("PROBLEM:", p)
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
