#!/usr/bin/env python3
"""Regenerates keyvet's key corpus (see README.md beside this file).

    LC_ALL=C.UTF-8 python3 corpus/generate.py [--conformance DIR]

Everything under corpus/ except this script and README.md is deleted and made
anew: fresh random keys each run, same structure and file names. ssh-keygen
(OpenSSH 9.2) is the oracle: every key file it accepts gets FILE.sha256 and
FILE.md5 holding the exact standard output of `ssh-keygen -l -f FILE` and
`ssh-keygen -l -E md5 -f FILE`.

Needs: ssh-keygen 9.2 on PATH, Python 3.11, and the `cryptography` package
(for the keys and signatures crafted here). Private keys only ever live in a
temporary directory that is removed at the end.
"""

import argparse
import base64
import hashlib
import math
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message=".*DSA.*")  # cryptography deprecates DSA

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, padding, rsa  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.utils import (  # noqa: E402
    Prehashed,
    decode_dss_signature,
)

ROOT = Path(__file__).resolve().parent
KEYGEN_ENV = dict(os.environ, LC_ALL="C.UTF-8")
FOREVER = 0xFFFFFFFFFFFFFFFF


# ---------------------------------------------------------------------------
# SSH wire encoding (RFC 4251)
# ---------------------------------------------------------------------------


def u8(n):
    return bytes([n])


def u32(n):
    return n.to_bytes(4, "big")


def u64(n):
    return n.to_bytes(8, "big")


def string(b):
    if isinstance(b, str):
        b = b.encode()
    return u32(len(b)) + b


def mpint_bytes(n):
    """The minimal two's-complement bytes of a non-negative integer."""
    if n == 0:
        return b""
    return n.to_bytes(n.bit_length() // 8 + 1, "big")


def mpint(n):
    return string(mpint_bytes(n))


def read_string(buf, off):
    n = int.from_bytes(buf[off : off + 4], "big")
    return buf[off + 4 : off + 4 + n], off + 4 + n


def b64(b):
    return base64.b64encode(b).decode()


def key_line(type_word, blob, comment=None, options=None):
    """One authorized_keys / .pub line, with a trailing newline, as bytes."""
    parts = []
    if options is not None:
        parts.append(options.encode() if isinstance(options, str) else options)
    parts.append(type_word.encode() if isinstance(type_word, str) else type_word)
    parts.append(b64(blob).encode() if isinstance(blob, bytes) else blob.encode())
    if comment is not None:
        parts.append(comment.encode() if isinstance(comment, str) else comment)
    return b" ".join(parts) + b"\n"


def read_pub(path):
    """(type word, blob, comment) of a one-line .pub file."""
    fields = Path(path).read_text().strip().split(" ", 2)
    return fields[0], base64.b64decode(fields[1]), (fields[2] if len(fields) > 2 else None)


def strip_type(blob):
    """The key fields of a blob: everything after its type string."""
    _, off = read_string(blob, 0)
    return blob[off:]


# ---------------------------------------------------------------------------
# Small RSA arithmetic (for moduli cryptography refuses to make, e.g. 768 bits)
# ---------------------------------------------------------------------------


def is_probable_prime(n, rounds=40):
    if n < 4:
        return n in (2, 3)
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        a = secrets.randbelow(n - 3) + 2
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def random_prime(bits):
    while True:
        c = secrets.randbits(bits) | (3 << (bits - 2)) | 1
        if is_probable_prime(c):
            return c


def rsa_numbers(bits, e=65537):
    """(n, e, d) of a real RSA key whose modulus has exactly `bits` bits."""
    while True:
        p, q = random_prime(bits - bits // 2), random_prime(bits // 2)
        n, phi = p * q, (p - 1) * (q - 1)
        if p != q and n.bit_length() == bits and math.gcd(e, phi) == 1:
            return n, e, pow(e, -1, phi)


DIGEST_INFO = {
    "ssh-rsa": (hashlib.sha1, bytes.fromhex("3021300906052b0e03021a05000414")),
    "rsa-sha2-256": (hashlib.sha256, bytes.fromhex("3031300d060960864801650304020105000420")),
    "rsa-sha2-512": (hashlib.sha512, bytes.fromhex("3051300d060960864801650304020305000440")),
}


def raw_rsa_sign(n, d, alg, data):
    """PKCS#1 v1.5 signature, computed by hand."""
    h, prefix = DIGEST_INFO[alg]
    t = prefix + h(data).digest()
    k = (n.bit_length() + 7) // 8
    em = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    return pow(int.from_bytes(em, "big"), d, n).to_bytes(k, "big")


# ---------------------------------------------------------------------------
# Elliptic curves
# ---------------------------------------------------------------------------

P256_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
P256_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

CURVES = {  # ssh curve name -> (cryptography curve, hash, coordinate bytes)
    "nistp256": (ec.SECP256R1(), hashes.SHA256(), 32),
    "nistp384": (ec.SECP384R1(), hashes.SHA384(), 48),
    "nistp521": (ec.SECP521R1(), hashes.SHA512(), 66),
}


def p256_point_with_x_from(x):
    """The first P-256 point whose x is >= `x` (p = 3 mod 4, so sqrt = a^((p+1)/4))."""
    while True:
        rhs = (x * x * x - 3 * x + P256_B) % P256_P
        y = pow(rhs, (P256_P + 1) // 4, P256_P)
        if y * y % P256_P == rhs:
            return x, y
        x += 1


def uncompressed(x, y, size=32):
    return b"\x04" + x.to_bytes(size, "big") + y.to_bytes(size, "big")


def ec_point(pub):
    return pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def ed_raw(pub):
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# ---------------------------------------------------------------------------
# Signers: CA keys that sign certificate bodies, returning SSH signature blobs
# ---------------------------------------------------------------------------


class OpensshCA:
    """A CA key made by ssh-keygen (private file in the temp dir), also
    usable from Python for crafted certificates."""

    def __init__(self, path):
        self.path = Path(path)
        self.type, self.blob, _ = read_pub(str(path) + ".pub")
        self.key = serialization.load_ssh_private_key(self.path.read_bytes(), None)

    def sign(self, data, alg=None):
        k = self.key
        if isinstance(k, ed25519.Ed25519PrivateKey):
            return string("ssh-ed25519") + string(k.sign(data))
        if isinstance(k, ec.EllipticCurvePrivateKey):
            curve = read_string(strip_type(self.blob), 0)[0].decode()
            r, s = decode_dss_signature(k.sign(data, ec.ECDSA(CURVES[curve][1])))
            return string(self.type) + string(mpint(r) + mpint(s))
        if isinstance(k, rsa.RSAPrivateKey):
            alg = alg or "rsa-sha2-512"
            h = {"ssh-rsa": hashes.SHA1(), "rsa-sha2-256": hashes.SHA256(), "rsa-sha2-512": hashes.SHA512()}[alg]
            return string(alg) + string(k.sign(data, padding.PKCS1v15(), h))
        if isinstance(k, dsa.DSAPrivateKey):
            r, s = decode_dss_signature(k.sign(data, hashes.SHA1()))
            return string("ssh-dss") + string(r.to_bytes(20, "big") + s.to_bytes(20, "big"))
        raise TypeError(k)


class SkEd25519CA:
    """A FIDO sk-ssh-ed25519 CA, emulated with a software Ed25519 key."""

    type = "sk-ssh-ed25519@openssh.com"

    def __init__(self, application=b"ssh:"):
        self.key = ed25519.Ed25519PrivateKey.generate()
        self.application = application
        self.blob = string(self.type) + string(ed_raw(self.key.public_key())) + string(application)

    def sign(self, data, alg=None, flags=0x01, counter=42):
        # The authenticator signs SHA256(application) || flags || counter || SHA256(data).
        msg = hashlib.sha256(self.application).digest() + u8(flags) + u32(counter) + hashlib.sha256(data).digest()
        return string(self.type) + string(self.key.sign(msg)) + u8(flags) + u32(counter)


class SkEcdsaCA:
    """A FIDO sk-ecdsa-sha2-nistp256 CA, emulated with a software P-256 key."""

    type = "sk-ecdsa-sha2-nistp256@openssh.com"

    def __init__(self, application=b"ssh:"):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.application = application
        point = ec_point(self.key.public_key())
        self.blob = string(self.type) + string("nistp256") + string(point) + string(application)

    def sign(self, data, alg=None, flags=0x01, counter=42):
        # ECDSA over SHA256(SHA256(application) || flags || counter || SHA256(data)).
        inner = hashlib.sha256(self.application).digest() + u8(flags) + u32(counter) + hashlib.sha256(data).digest()
        der = self.key.sign(hashlib.sha256(inner).digest(), ec.ECDSA(Prehashed(hashes.SHA256())))
        r, s = decode_dss_signature(der)
        return string(self.type) + string(mpint(r) + mpint(s)) + u8(flags) + u32(counter)


class WebauthnCA(SkEcdsaCA):
    """An sk-ecdsa CA whose signatures come from a web browser (WebAuthn):
    the authenticator signs clientData, a JSON text that embeds the signed
    data as a base64url challenge (ssh-ecdsa-sk.c, webauthn_check_prepare_hash)."""

    origin = "https://ssh.example.com"

    def sign(self, data, alg=None, flags=0x01, counter=42):
        challenge = base64.urlsafe_b64encode(data).decode().rstrip("=")
        client_data = (
            '{"type":"webauthn.get","challenge":"' + challenge + '","origin":"' + self.origin + '","crossOrigin":false}'
        ).encode()
        extensions = b""  # flag 0x80 (ED) clear: no extensions
        # ECDSA(SHA-256) over SHA256(app) || flags || counter || extensions || SHA256(clientData).
        signed = hashlib.sha256(self.application).digest() + u8(flags) + u32(counter) + extensions + hashlib.sha256(client_data).digest()
        r, s = decode_dss_signature(self.key.sign(signed, ec.ECDSA(hashes.SHA256())))
        return (
            string("webauthn-sk-ecdsa-sha2-nistp256@openssh.com")
            + string(mpint(r) + mpint(s))
            + u8(flags)
            + u32(counter)
            + string(self.origin)
            + string(client_data)
            + string(extensions)
        )


class RawRsaCA:
    """An RSA CA of any size (e.g. 768 bits, which OpenSSH refuses)."""

    type = "ssh-rsa"

    def __init__(self, bits):
        self.n, self.e, self.d = rsa_numbers(bits)
        self.blob = string("ssh-rsa") + mpint(self.e) + mpint(self.n)

    def sign(self, data, alg=None):
        alg = alg or "rsa-sha2-512"
        return string(alg) + string(raw_rsa_sign(self.n, self.d, alg, data))


class PythonEd25519:
    """A plain Ed25519 key made here (for keys that must also sign)."""

    type = "ssh-ed25519"

    def __init__(self):
        self.key = ed25519.Ed25519PrivateKey.generate()
        self.pk = ed_raw(self.key.public_key())
        self.blob = string(self.type) + string(self.pk)

    def sign(self, data, alg=None):
        return string("ssh-ed25519") + string(self.key.sign(data))


# ---------------------------------------------------------------------------
# Certificates (PROTOCOL.certkeys)
# ---------------------------------------------------------------------------

CERT_TYPE = {
    "ssh-rsa": "ssh-rsa-cert-v01@openssh.com",
    "ssh-dss": "ssh-dss-cert-v01@openssh.com",
    "ecdsa-sha2-nistp256": "ecdsa-sha2-nistp256-cert-v01@openssh.com",
    "ecdsa-sha2-nistp384": "ecdsa-sha2-nistp384-cert-v01@openssh.com",
    "ecdsa-sha2-nistp521": "ecdsa-sha2-nistp521-cert-v01@openssh.com",
    "ssh-ed25519": "ssh-ed25519-cert-v01@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com": "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
    "sk-ssh-ed25519@openssh.com": "sk-ssh-ed25519-cert-v01@openssh.com",
}

USER, HOST = 1, 2
DEFAULT_EXTENSIONS = [
    ("permit-X11-forwarding", b""),
    ("permit-agent-forwarding", b""),
    ("permit-port-forwarding", b""),
    ("permit-pty", b""),
    ("permit-user-rc", b""),
]


def option_list(pairs):
    """Critical options / extensions: string name, string data, in the order given."""
    return b"".join(string(name) + string(data) for name, data in pairs)


def principal_list(names):
    return b"".join(string(n) for n in names)


def cert_body(
    plain_type,
    key_fields,
    ca_blob,
    *,
    cert_type=None,
    serial=1,
    ctype=USER,
    key_id=b"alice@example.com",
    principals=(b"alice",),
    valid_after=0,
    valid_before=FOREVER,
    critical=(),
    extensions=None,
    reserved=b"",
    raw_principals=None,
    raw_critical=None,
    raw_extensions=None,
):
    """Everything a v01 certificate's signature covers."""
    if extensions is None:
        extensions = DEFAULT_EXTENSIONS if ctype == USER else []
    return (
        string(cert_type or CERT_TYPE[plain_type])
        + string(secrets.token_bytes(32))  # nonce
        + key_fields
        + u64(serial)
        + u32(ctype)
        + string(key_id)
        + string(raw_principals if raw_principals is not None else principal_list(principals))
        + u64(valid_after)
        + u64(valid_before)
        + string(raw_critical if raw_critical is not None else option_list(critical))
        + string(raw_extensions if raw_extensions is not None else option_list(extensions))
        + string(reserved)
        + string(ca_blob)
    )


def make_cert(subject_blob, ca, sig_alg=None, **kw):
    """A complete, properly signed certificate blob for a plain public key blob."""
    plain_type = read_string(subject_blob, 0)[0].decode()
    body = cert_body(plain_type, strip_type(subject_blob), ca.blob, **kw)
    return body + string(ca.sign(body, sig_alg))


# ---------------------------------------------------------------------------
# The oracle
# ---------------------------------------------------------------------------


def ssh_keygen(*args, check=True):
    p = subprocess.run(["ssh-keygen", *map(str, args)], env=KEYGEN_ENV, capture_output=True)
    if check and p.returncode != 0:
        sys.exit(f"ssh-keygen {' '.join(map(str, args))} failed: {p.stderr.decode(errors='replace')}")
    return p


def fingerprints(path):
    """(status, sha256 stdout, md5 stdout, stderr) of ssh-keygen -l on a file."""
    a = ssh_keygen("-l", "-f", path, check=False)
    b = ssh_keygen("-l", "-E", "md5", "-f", path, check=False)
    if (a.returncode == 0) != (b.returncode == 0):
        sys.exit(f"{path}: ssh-keygen -l and -l -E md5 disagree")
    status = "ok" if a.returncode == 0 else "rejected"
    err = a.stderr.decode(errors="replace").strip().splitlines()
    return status, a.stdout, b.stdout, err[-1] if err else ""


def sha256_fingerprint(blob):
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def md5_fingerprint(blob):
    return "MD5:" + ":".join(f"{b:02x}" for b in hashlib.md5(blob).digest())


class Corpus:
    def __init__(self, root):
        self.root = root
        self.rows = []
        self.problems = []
        self.quirks = []

    def add(self, rel, data, openssh, strict, notes, exception=False, expect_keygen=None, canonical=None, keygen_quirk=False):
        """Writes corpus/rel, asks ssh-keygen about it, records a MANIFEST row.

        openssh / strict: "valid" or the keyvet error code expected.
        exception: the case is about something ssh-keygen -l does not look at
        (authorized_keys options, comments, NUL bytes), so ssh-keygen may
        accept what keyvet's openssh policy refuses.
        expect_keygen: "ok" for files in valid/ (anything else is a bug here).
        keygen_quirk: ssh-keygen -l rejects the file for a reason of its own
        (not OpenSSH's key parsing), so openssh=valid with keygen=rejected is
        expected; listed in the report rather than counted as a contradiction.
        canonical: for a non-canonical encoding OpenSSH accepts, the canonical
        blob whose fingerprint ssh-keygen must print (checked here).
        """
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            path.write_bytes(data)
        status, sha, md5, err = fingerprints(path)
        if status == "ok":
            (path.parent / (path.name + ".sha256")).write_bytes(sha)
            (path.parent / (path.name + ".md5")).write_bytes(md5)
        if canonical is not None and status == "ok":
            got = (sha.split()[1].decode(), md5.split()[1].decode())
            want = (sha256_fingerprint(canonical), md5_fingerprint(canonical))
            if got != want:
                self.problems.append(f"{rel}: ssh-keygen fingerprint {got} is not the canonical one {want}")
        if expect_keygen and status != expect_keygen:
            sys.exit(f"{rel}: expected ssh-keygen {expect_keygen}, got {status}: {err}")
        if openssh == "valid" and status != "ok" and keygen_quirk:
            self.quirks.append(f"{rel}: openssh=valid but ssh-keygen -l rejected it ({notes}): {err}")
        elif openssh == "valid" and status != "ok":
            self.problems.append(f"{rel}: openssh=valid but ssh-keygen rejected it: {err}")
        if openssh != "valid" and status == "ok" and not exception:
            self.problems.append(f"{rel}: openssh={openssh} but ssh-keygen accepted it")
        self.rows.append((rel, openssh, strict, status, notes))
        return status

    def write_manifest(self):
        lines = ["path\topenssh\tstrict\tkeygen\tnotes"]
        for row in sorted(self.rows):
            assert all("\t" not in c and "\n" not in c for c in row), row
            lines.append("\t".join(row))
        (self.root / "MANIFEST.tsv").write_text("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# valid/: real keys from ssh-keygen, crafted FIDO keys, certificates, files
# ---------------------------------------------------------------------------

PLAIN_KEYS = [
    # (file stem, ssh-keygen arguments, comment, strict verdict)
    ("rsa-1024", ["-t", "rsa", "-b", "1024"], "alice@old-laptop", "rsa.too_small"),
    ("rsa-2047", ["-t", "rsa", "-b", "2047"], "bob@odd-size", "rsa.too_small"),
    ("rsa-2048", ["-t", "rsa", "-b", "2048"], "deploy@ci-runner-3", "valid"),
    ("rsa-3072", ["-t", "rsa", "-b", "3072"], "carol@workstation.example.com", "valid"),
    ("rsa-4096", ["-t", "rsa", "-b", "4096"], "root@web01.example.com", "valid"),
    ("rsa-8192", ["-t", "rsa", "-b", "8192"], "backup@vault", "valid"),
    ("dsa-1024", ["-t", "dsa"], "legacy@solaris9", "policy.algorithm"),
    ("ecdsa-256", ["-t", "ecdsa", "-b", "256"], "dave@macbook.local", "valid"),
    ("ecdsa-384", ["-t", "ecdsa", "-b", "384"], "erin@build-agent", "valid"),
    ("ecdsa-521", ["-t", "ecdsa", "-b", "521"], "frank@bastion", "valid"),
    ("ed25519", ["-t", "ed25519"], "grace@thinkpad", "valid"),
]

CA_KEYS = [
    # (name, ssh-keygen arguments)
    ("ca-rsa", ["-t", "rsa", "-b", "3072"]),
    ("ca-dsa", ["-t", "dsa"]),
    ("ca-ecdsa-256", ["-t", "ecdsa", "-b", "256"]),
    ("ca-ecdsa-384", ["-t", "ecdsa", "-b", "384"]),
    ("ca-ecdsa-521", ["-t", "ecdsa", "-b", "521"]),
    ("ca-ed25519", ["-t", "ed25519"]),
]

# (label, CA key, signature algorithm given to ssh-keygen -t)
SIGNERS = [
    ("rsa-sha1", "ca-rsa", "ssh-rsa"),
    ("rsa-sha256", "ca-rsa", "rsa-sha2-256"),
    ("rsa-sha512", "ca-rsa", "rsa-sha2-512"),
    ("dsa", "ca-dsa", None),
    ("ecdsa-256", "ca-ecdsa-256", None),
    ("ecdsa-384", "ca-ecdsa-384", None),
    ("ecdsa-521", "ca-ecdsa-521", None),
    ("ed25519", "ca-ed25519", None),
]

CERT_SUBJECTS = ["rsa-2048", "dsa-1024", "ecdsa-256", "ecdsa-384", "ecdsa-521", "ed25519", "sk-ecdsa", "sk-ed25519"]


def strict_for_cert(subject, signer):
    """Strict verdict of a certificate: DSA anywhere first, then SHA-1 signatures."""
    if subject.startswith("dsa") or signer.startswith("dsa"):
        return "policy.algorithm"
    if signer == "rsa-sha1":
        return "cert.signature.sha1"
    return "valid"


def generate_valid(c, tmp):
    v = c.root / "valid"
    pubs = {}

    # Real keys of every type and size ssh-keygen makes (rule: plain keys;
    # strict: RSA >= 2048 bits, no DSA). ssh-keygen does accept -b 2047.
    for stem, args, comment, strict in PLAIN_KEYS:
        ssh_keygen("-q", *args, "-N", "", "-C", comment, "-f", tmp / stem)
        (tmp / stem).unlink()  # private key: never kept
        data = (tmp / f"{stem}.pub").read_bytes()
        pubs[stem] = tmp / f"{stem}.pub"
        notes = {"rsa.too_small": "RSA under 2048 bits", "policy.algorithm": "DSA"}.get(strict, "plain key")
        c.add(f"valid/{stem}.pub", data, "valid", strict, notes, expect_keygen="ok")

    # FIDO keys cannot be made without a token: craft their public halves
    # (rule: sk blobs carry an application string, here "ssh:").
    sk_ecdsa = ec.generate_private_key(ec.SECP256R1()).public_key()
    blob = string("sk-ecdsa-sha2-nistp256@openssh.com") + string("nistp256") + string(ec_point(sk_ecdsa)) + string("ssh:")
    (tmp / "sk-ecdsa.pub").write_bytes(key_line("sk-ecdsa-sha2-nistp256@openssh.com", blob, "heidi@yubikey-5c"))
    sk_ed = ed25519.Ed25519PrivateKey.generate().public_key()
    blob = string("sk-ssh-ed25519@openssh.com") + string(ed_raw(sk_ed)) + string("ssh:")
    (tmp / "sk-ed25519.pub").write_bytes(key_line("sk-ssh-ed25519@openssh.com", blob, "ivan@solokey"))
    for stem in ("sk-ecdsa", "sk-ed25519"):
        pubs[stem] = tmp / f"{stem}.pub"
        c.add(f"valid/{stem}.pub", pubs[stem].read_bytes(), "valid", "valid", "FIDO key, application ssh:", expect_keygen="ok")

    # A key without a comment (ssh-keygen prints "no comment").
    _, blob, _ = read_pub(pubs["ed25519"])
    c.add("valid/ed25519-no-comment.pub", key_line("ssh-ed25519", blob), "valid", "valid", "no comment", expect_keygen="ok")

    # CA keys, private halves in the temp dir only.
    cas = {}
    for name, args in CA_KEYS:
        ssh_keygen("-q", *args, "-N", "", "-C", f"{name}@example.com", "-f", tmp / name)
        cas[name] = OpensshCA(tmp / name)

    # Every subject type x every CA type x user/host, signed by ssh-keygen -s
    # (rule: certificates verify; strict refuses DSA and ssh-rsa signatures).
    for subject in CERT_SUBJECTS:
        for label, ca, alg in SIGNERS:
            for kind in ("user", "host"):
                work = tmp / f"{subject}-{kind}-{label}.pub"
                shutil.copy(pubs[subject], work)
                args = ["-q", "-s", tmp / ca, "-I", f"{subject}-{kind}@example.com", "-z", "7"]
                if kind == "host":
                    args += ["-h", "-n", "web01.example.com"]
                else:
                    args += ["-n", "alice"]
                if alg:
                    args += ["-t", alg]
                ssh_keygen(*args, work)
                out = tmp / f"{subject}-{kind}-{label}-cert.pub"
                c.add(
                    f"valid/certs/{subject}-{kind}-by-{label}.pub",
                    out.read_bytes(),
                    "valid",
                    strict_for_cert(subject, label),
                    f"{kind} cert signed by {label} CA",
                    expect_keygen="ok",
                )

    # Certificate options as ssh-keygen writes them (Ed25519 key, Ed25519 CA).
    option_certs = [
        # (file stem, extra ssh-keygen -s arguments, what it exercises)
        ("principals-3", ["-n", "alice,bob,backup"], "several principals"),
        ("principals-50", ["-n", ",".join(f"user{i:02d}" for i in range(1, 51))], "50 principals"),
        ("no-principals", [], "no principals (any user)"),
        ("validity", ["-n", "alice", "-V", "20240101000000Z:20340101000000Z"], "validity window"),
        ("validity-always", ["-n", "alice", "-V", "always:20300101000000Z"], "valid from the epoch"),
        ("serial", ["-n", "alice", "-z", "1234567890"], "serial number"),
        ("serial-max", ["-n", "alice", "-z", "18446744073709551615"], "largest serial"),
        (
            "options",
            [
                "-n", "alice",
                "-O", "force-command=/usr/local/bin/backup --daily",
                "-O", "source-address=10.0.0.0/8,192.168.1.0/24",
                "-O", "no-pty",
                "-O", "extension:login@example.com=alice",
                "-O", "critical:audit@example.com=yes",
            ],
            "critical options and extensions",
        ),
        ("clear", ["-n", "alice", "-O", "clear"], "-O clear: no extensions"),
        ("clear-permit-pty", ["-n", "alice", "-O", "clear", "-O", "permit-pty"], "-O clear then permit-pty"),
        ("host-names", ["-h", "-n", "web01.example.com,web01,10.0.0.5"], "host cert, several names"),
    ]
    for stem, extra, notes in option_certs:
        work = tmp / f"opt-{stem}.pub"
        shutil.copy(pubs["ed25519"], work)
        ssh_keygen("-q", "-s", tmp / "ca-ed25519", "-I", f"opt-{stem}", *extra, work)
        c.add(f"valid/certs/ed25519-{stem}.pub", (tmp / f"opt-{stem}-cert.pub").read_bytes(), "valid", "valid", notes, expect_keygen="ok")
    # FIDO-only options on an sk key.
    work = tmp / "opt-sk.pub"
    shutil.copy(pubs["sk-ed25519"], work)
    ssh_keygen("-q", "-s", tmp / "ca-ed25519", "-I", "opt-sk", "-n", "ivan", "-O", "no-touch-required", "-O", "verify-required", work)
    c.add("valid/certs/sk-ed25519-touch-verify.pub", (tmp / "opt-sk-cert.pub").read_bytes(), "valid", "valid", "sk cert with no-touch-required, verify-required", expect_keygen="ok")

    # Certificates signed BY FIDO CA keys, crafted here (rule: sk signature =
    # string type, string sig, byte flags, uint32 counter).
    sk_cas = {"sk-ed25519": SkEd25519CA(), "sk-ecdsa": SkEcdsaCA()}
    for subject in CERT_SUBJECTS:
        type_word, blob, comment = read_pub(pubs[subject])
        for label, ca in sk_cas.items():
            kinds = ("user", "host") if subject in ("ed25519", "ecdsa-256") else ("user",)
            for kind in kinds:
                kw = {"ctype": HOST, "principals": [b"web01.example.com"]} if kind == "host" else {}
                cert = make_cert(blob, ca, key_id=f"{subject}-{kind}@example.com".encode(), **kw)
                strict = "policy.algorithm" if subject.startswith("dsa") else "valid"
                c.add(
                    f"valid/certs/{subject}-{kind}-by-{label}.pub",
                    key_line(CERT_TYPE[type_word], cert, comment),
                    "valid",
                    strict,
                    f"{kind} cert signed by {label} CA (crafted)",
                    expect_keygen="ok",
                )

    # A certificate signed through WebAuthn by an sk-ecdsa CA (rule: OpenSSH
    # also accepts webauthn-sk-ecdsa-sha2-nistp256@openssh.com signatures).
    for subject in ("ed25519", "rsa-2048"):
        type_word, blob, comment = read_pub(pubs[subject])
        cert = make_cert(blob, WebauthnCA(), key_id=f"{subject}-user@example.com".encode())
        c.add(f"valid/certs/{subject}-user-by-sk-ecdsa-webauthn.pub", key_line(CERT_TYPE[type_word], cert, comment), "valid", "valid", "user cert signed by an sk-ecdsa CA through WebAuthn (crafted)", expect_keygen="ok")

    # 256 principals: the most OpenSSH accepts (SSHKEY_CERT_MAX_PRINCIPALS).
    _, ed_blob, ed_comment = read_pub(pubs["ed25519"])
    cert = make_cert(ed_blob, cas["ca-ed25519"], principals=[f"user{i:03d}".encode() for i in range(256)])
    c.add("valid/certs/ed25519-principals-256.pub", key_line(CERT_TYPE["ssh-ed25519"], cert, ed_comment), "valid", "valid", "256 principals: the maximum", expect_keygen="ok")

    # authorized_keys-style files (rule: options before the type word; ssh-keygen
    # skips them; comments; several keys; blank and # lines; CRLF; UTF-8; tab).
    _, rsa_blob, _ = read_pub(pubs["rsa-2048"])
    _, ec_blob, _ = read_pub(pubs["ecdsa-256"])
    _, sk_blob, _ = read_pub(pubs["sk-ed25519"])
    ak = [
        (
            "authorized_keys-restrict-command",
            key_line("ssh-ed25519", ed_blob, "grace@thinkpad", 'restrict,command="echo \\"hi\\" # x"'),
            "restrict and a quoted command with escaped quotes and #",
        ),
        (
            "authorized_keys-from-no-pty",
            key_line("ssh-rsa", rsa_blob, "deploy@ci-runner-3", 'from="10.0.0.0/8",no-pty'),
            "from= and no-pty",
        ),
        (
            "authorized_keys-options-no-comment",
            key_line("ssh-ed25519", ed_blob, None, 'no-agent-forwarding,permitopen="db.internal:5432"'),
            "options and no comment (ssh-keygen prints the options as the comment)",
        ),
        (
            "authorized_keys-many",
            b"# keys for the deploy account\n"
            + b"\n"
            + key_line("ssh-ed25519", ed_blob, "grace@thinkpad")
            + b"   \n"
            + b"  # indented comment line\n"
            + key_line("ssh-rsa", rsa_blob, "deploy@ci-runner-3", 'restrict,pty,command="/usr/bin/rsync --server"')
            + b"\t\n"
            + key_line("ecdsa-sha2-nistp256", ec_blob, "dave@macbook.local", "no-port-forwarding,no-X11-forwarding")
            + key_line("sk-ssh-ed25519@openssh.com", sk_blob, "ivan@solokey", "verify-required")
            + b"#ssh-ed25519 AAAA commented-out key\n",
            "several keys, blank and comment lines",
        ),
        (
            "authorized_keys-crlf",
            key_line("ssh-ed25519", ed_blob, "grace@thinkpad").replace(b"\n", b"\r\n")
            + key_line("ssh-rsa", rsa_blob, "deploy@ci-runner-3").replace(b"\n", b"\r\n"),
            "CRLF line ends",
        ),
        (
            "comment-utf8",
            key_line("ssh-ed25519", ed_blob, "José Müller <jose@café.example>"),
            "UTF-8 comment",
        ),
        (
            "comment-tab",
            key_line("ssh-ed25519", ed_blob, "grace\tthinkpad work"),
            "tab inside the comment",
        ),
        (
            "comment-spaces",
            key_line("ssh-ed25519", ed_blob, "grace on  thinkpad  (2024)"),
            "comment with several spaces",
        ),
        (
            "separator-tabs",
            b"ssh-ed25519\t" + b64(ed_blob).encode() + b"\t\tgrace@thinkpad\n",
            "tabs between fields",
        ),
        (
            "crlf-no-comment",
            key_line("ssh-ed25519", ed_blob).replace(b"\n", b"\r\n"),
            "CRLF line end, no comment",
        ),
        (
            "leading-whitespace",
            b"  \t" + key_line("ssh-ed25519", ed_blob, "grace@thinkpad"),
            "spaces and a tab before the type word",
        ),
        (
            "comment-hash",
            key_line("ssh-ed25519", ed_blob, "#not-a-comment"),
            "comment starting with # (ssh-keygen prints no comment)",
        ),
        (
            "comment-trailing-spaces",
            key_line("ssh-ed25519", ed_blob, "grace@thinkpad   "),
            "comment with trailing spaces",
        ),
        (
            "comment-emoji",
            key_line("ssh-ed25519", ed_blob, "grace \U0001f511 yubikey"),
            "comment with a 4-byte UTF-8 character",
        ),
        (
            "comment-bidi",
            key_line("ssh-ed25519", ed_blob, "grace\u202eevil"),
            "comment with U+202E (right-to-left override): strict refuses invisible characters",
        ),
        (
            "no-final-newline",
            key_line("ssh-ed25519", ed_blob, "grace@thinkpad").rstrip(b"\n"),
            "no newline at end of file",
        ),
    ]
    for stem, data, notes in ak:
        strict = "comment.invisible" if stem == "comment-bidi" else "valid"
        c.add(f"valid/{stem}.pub", data, "valid", strict, notes, expect_keygen="ok")

    return pubs, cas


# ---------------------------------------------------------------------------
# cases/: one rule per file
# ---------------------------------------------------------------------------


def generate_cases(c, tmp, pubs, cas):
    def case(name, data, openssh, strict, notes, exception=False, canonical=None, keygen_quirk=False):
        c.add(f"cases/{name}", data, openssh, strict, notes, exception=exception, canonical=canonical, keygen_quirk=keygen_quirk)

    _, ed_blob, _ = read_pub(pubs["ed25519"])
    ed_pk = strip_type(ed_blob)[4:]
    ed_b64 = b64(ed_blob)
    _, rsa_blob, _ = read_pub(pubs["rsa-2048"])
    _, ec_blob, _ = read_pub(pubs["ecdsa-256"])
    _, skec_blob, _ = read_pub(pubs["sk-ecdsa"])
    _, sked_blob, _ = read_pub(pubs["sk-ed25519"])
    ca = cas["ca-ed25519"]

    # An RSA key whose numbers we can change.
    rsa_priv = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    n, e = rsa_priv.public_key().public_numbers().n, 65537

    def rsa_blob_of(e_bytes, n_bytes, name=b"ssh-rsa"):
        return string(name) + string(e_bytes) + string(n_bytes)

    ec_priv = ec.generate_private_key(ec.SECP256R1())
    point = ec_point(ec_priv.public_key())

    def ec_blob_of(point, curve=b"nistp256", name=b"ecdsa-sha2-nistp256"):
        return string(name) + string(curve) + string(point)

    # ----- the line ---------------------------------------------------------
    # A NUL byte: OpenSSH reads lines as C strings and stops at it (the
    # openssh policy too); strict refuses it.
    case("line-nul.pub", key_line("ssh-ed25519", ed_blob, b"grace\x00@thinkpad"), "valid", "line.nul", "NUL byte in the comment: OpenSSH stops reading the line at it")
    # A pasted private key (not a real one: header, a harmless prefix, footer).
    case(
        "line-private-openssh.pub",
        b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\n-----END OPENSSH PRIVATE KEY-----\n",
        "line.private_key", "line.private_key", "pasted OpenSSH private key",
    )
    case(
        "line-private-pem-rsa.pub",
        b"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n",
        "line.private_key", "line.private_key", "pasted PEM RSA private key",
    )
    # RFC 4716 and PEM public keys, as ssh-keygen -e writes them.
    rfc = ssh_keygen("-e", "-f", pubs["ed25519"]).stdout
    case("line-rfc4716.pub", rfc, "line.rfc4716", "line.rfc4716", "RFC 4716 (SSH2) public key block")
    pem = ssh_keygen("-e", "-m", "PKCS8", "-f", pubs["rsa-2048"]).stdout
    case("line-pem.pub", pem, "line.pem", "line.pem", "PEM (PKCS#8) public key block")
    # One line of a key wrapped over several lines (not starting with AAAA).
    rsa_b64 = b64(rsa_blob)
    chunk = next(rsa_b64[i : i + 64] for i in range(64, len(rsa_b64), 64) if not rsa_b64[i:].startswith("AAAA"))
    case("line-wrapped.pub", chunk.encode() + b"\n", "line.wrapped", "line.wrapped", "one line of wrapped base64")
    case("line-missing-type.pub", ed_b64.encode() + b" grace@thinkpad\n", "line.missing_type", "line.missing_type", "base64 without the type word")
    case("line-missing-key.pub", b"ssh-rsa\n", "line.missing_key", "line.missing_key", "type word alone")
    case("line-unknown-type.pub", key_line("ssh-foo", ed_blob, "grace@thinkpad"), "key.type.unknown", "key.type.unknown", "unknown type word")
    case("line-ssh1.pub", f"2048 {e} {n} grace@thinkpad\n".encode(), "line.ssh1", "line.ssh1", "SSH-1 RSA key (bits e n)")
    case("line-type-uppercase.pub", key_line("SSH-ED25519", ed_blob, "grace@thinkpad"), "key.type.unknown", "key.type.unknown", "type word in upper case")
    case("line-empty-file.pub", b"", "input.no_key", "input.no_key", "empty file")
    case("line-only-comments.pub", b"# no keys here\n\n   \n#ssh-ed25519 AAAA\n", "input.no_key", "input.no_key", "only blank and comment lines")
    # A line over 64 KiB (strict cap) but under 1 MiB (openssh cap).
    case("line-too-long-strict.pub", key_line("ssh-ed25519", ed_blob, "x" * 70000), "valid", "line.too_long", "line of 70 KB")

    # ----- authorized_keys options (sshauthopt_parse) -----------------------
    def opt(name, options, openssh, strict, notes):
        case(f"options-{name}.pub", key_line("ssh-ed25519", ed_blob, "grace@thinkpad", options), openssh, strict, notes, exception=True)

    opt("typographic-quote", "command=\u201cuptime\u201d", "options.quote.typographic", "options.quote.typographic", "typographic quotes")
    opt("unknown", "no-such-option", "options.unknown", "options.unknown", "unknown option")
    opt("unknown-prefix", "restrictx", "options.unknown", "options.unknown", "known flag name followed by junk")
    opt("value-missing", "command", "options.value.missing", "options.value.missing", "command without =")
    opt("value-unquoted", "command=oops", "options.value.unquoted", "options.value.unquoted", "command value not quoted")
    opt("value-unexpected", 'pty="x"', "options.value.unexpected", "options.value.unexpected", "flag option with a value")
    opt("syntax", 'command="a"b', "options.syntax", "options.syntax", "junk after a quoted value")
    opt("duplicate-command", 'command="a",command="b"', "options.duplicate", "options.duplicate", "command twice")
    opt("duplicate-from", 'from="10.0.0.1",from="10.0.0.2"', "options.duplicate", "options.duplicate", "from twice")
    opt("duplicate-principals", 'cert-authority,principals="a",principals="b"', "options.duplicate", "options.duplicate", "principals twice")
    opt("environment-no-equals", 'environment="NOEQUALS"', "options.environment.invalid", "options.environment.invalid", "environment without =")
    opt("environment-bad-name", 'environment="BAD-NAME=x"', "options.environment.invalid", "options.environment.invalid", "environment name with -")
    opt("permitopen-no-port", 'permitopen="db.internal"', "options.permitopen.invalid", "options.permitopen.invalid", "permitopen without port")
    opt("permitopen-port-0", 'permitopen="db.internal:0"', "options.permitopen.invalid", "options.permitopen.invalid", "permitopen port 0")
    opt("permitopen-port-65536", 'permitopen="db.internal:65536"', "options.permitopen.invalid", "options.permitopen.invalid", "permitopen port 65536")
    opt("permitopen-service-name", 'permitopen="db.internal:ssh"', "options.permitopen.invalid", "options.permitopen.invalid", "permitopen port as a service name")
    opt("permitlisten-port-0", 'permitlisten="0"', "options.permitlisten.invalid", "options.permitlisten.invalid", "permitlisten port 0")
    opt("tunnel", 'tunnel="blah"', "options.tunnel.invalid", "options.tunnel.invalid", "tunnel not a number")
    opt("expiry-time", 'expiry-time="2030"', "options.expiry_time.invalid", "options.expiry_time.invalid", "expiry-time too short")
    opt("unterminated-quote", 'command="echo hi', "options.quote.unterminated", "options.quote.unterminated", "unterminated quote")
    opt("empty-trailing", "restrict,", "valid", "options.empty", "trailing comma (sshd skips it)")
    opt("empty-leading", ",restrict", "valid", "options.empty", "leading comma (sshd skips it)")
    opt("empty-doubled", "restrict,,pty", "valid", "options.empty", "doubled comma (sshd skips it)")
    opt("from-host-bits", 'from="10.0.0.1/8"', "valid", "options.from.invalid", "CIDR with host bits set")
    opt("from-empty-entry", 'from="10.0.0.0/8,,192.168.0.1"', "valid", "options.from.invalid", "from list with an empty entry")
    opt("principals-without-cert-authority", 'principals="alice"', "valid", "options.principals.invalid", "principals without cert-authority")
    opt("valid-all", 'cert-authority,principals="alice,bob",from="10.0.0.0/8",expiry-time="20300101",environment="LANG=C",permitopen="db.internal:5432",permitlisten="localhost:8080",tunnel="0",no-touch-required,verify-required', "valid", "valid", "every valued option, well formed")

    # A numeric first token is not skipped by ssh-keygen (SSH-1 heuristics); sshd refuses it as an option.
    opt("numeric", "2048", "options.unknown", "options.unknown", "number where options go")

    # ----- comments ---------------------------------------------------------
    case("comment-c0-control.pub", key_line("ssh-ed25519", ed_blob, b"grace\x01@thinkpad"), "valid", "comment.control", "U+0001 in the comment", exception=True)
    case("comment-del.pub", key_line("ssh-ed25519", ed_blob, b"grace\x7f@thinkpad"), "valid", "comment.control", "DEL in the comment", exception=True)
    case("comment-c1-control.pub", key_line("ssh-ed25519", ed_blob, "grace\u0085@thinkpad"), "valid", "comment.control", "U+0085 (C1 control) in the comment", exception=True)
    case("comment-cr.pub", key_line("ssh-ed25519", ed_blob, b"grace\r@thinkpad"), "valid", "comment.control", "CR inside the comment", exception=True)
    case("comment-latin1.pub", key_line("ssh-ed25519", ed_blob, b"caf\xe9@thinkpad"), "valid", "text.encoding", "comment not UTF-8", exception=True)
    case("comment-escape.pub", key_line("ssh-ed25519", ed_blob, b"grace\x1b[31m@thinkpad"), "valid", "comment.control", "ESC in the comment", exception=True)

    # ----- base64 (b64_pton) ------------------------------------------------
    ec_b64 = b64(ec_blob)  # 104 bytes: ends with one "="
    assert ec_b64.endswith("=") and not ec_b64.endswith("==")
    mid = len(ec_b64) // 2
    case("base64-symbol.pub", key_line("ecdsa-sha2-nistp256", ec_b64[:mid] + "*" + ec_b64[mid + 1 :], "dave@macbook.local"), "base64.symbol", "base64.symbol", "invalid base64 symbol")
    case("base64-padding-missing.pub", key_line("ecdsa-sha2-nistp256", ec_b64[:-1], "dave@macbook.local"), "base64.padding", "base64.padding", "missing = padding")
    case("base64-padding-extra.pub", key_line("ecdsa-sha2-nistp256", ec_b64 + "=", "dave@macbook.local"), "base64.padding", "base64.padding", "one = too many")
    case("base64-padding-misplaced.pub", key_line("ecdsa-sha2-nistp256", ec_b64[:8] + "=" + ec_b64[8:], "dave@macbook.local"), "base64.padding", "base64.padding", "= in the middle")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = ec_b64[-2]
    assert alphabet.index(last) & 3 == 0
    bad = ec_b64[:-2] + alphabet[alphabet.index(last) | 1] + "="
    # b64_pton skips white space other than the field separators (here \v).
    case("base64-vertical-tab.pub", key_line("ecdsa-sha2-nistp256", ec_b64[:mid] + "\v" + ec_b64[mid:], "dave@macbook.local"), "valid", "base64.symbol", "vertical tab inside the base64 (OpenSSH skips it)", canonical=ec_blob)
    case("base64-trailing-bits.pub", key_line("ecdsa-sha2-nistp256", bad, "dave@macbook.local"), "base64.trailing_bits", "base64.trailing_bits", "nonzero bits after the last byte")

    # ----- the blob ---------------------------------------------------------
    case("blob-truncated.pub", key_line("ssh-ed25519", ed_blob[:-1], "grace@thinkpad"), "blob.truncated", "blob.truncated", "key string 1 byte short")
    case("blob-truncated-type-length.pub", key_line("ssh-ed25519", u32(1000) + ed_blob[4:], "grace@thinkpad"), "blob.truncated", "blob.truncated", "type length beyond the end")
    case("blob-trailing-data.pub", key_line("ssh-ed25519", ed_blob + b"\x00", "grace@thinkpad"), "blob.trailing_data", "blob.trailing_data", "one byte after the last field")
    case("blob-type-unknown.pub", key_line("ssh-ed25519", string("ssh-foo") + string(ed_pk), "grace@thinkpad"), "blob.type.unknown", "blob.type.unknown", "unknown type inside the blob")
    case("blob-type-ecdsa-shortname.pub", key_line("ecdsa-sha2-nistp256", string("ECDSA") + strip_type(ec_blob), "dave@macbook.local"), "blob.type.unknown", "blob.type.unknown", "ECDSA short name inside the blob (OpenSSH fails it)")
    # NUL inside text strings.
    case("string-nul-type.pub", key_line("ssh-ed25519", string(b"ssh-ed\x0025519") + string(ed_pk), "grace@thinkpad"), "string.nul", "string.nul", "NUL inside the type string")
    case("string-nul-curve.pub", key_line("ecdsa-sha2-nistp256", ec_blob_of(point, b"nist\x00p256"), "dave@macbook.local"), "string.nul", "string.nul", "NUL inside the curve name")
    case("string-trailing-nul-type.pub", key_line("ssh-ed25519", string(b"ssh-ed25519\x00") + string(ed_pk), "grace@thinkpad"), "valid", "blob.type.noncanonical", "type string ends with NUL (OpenSSH strips it)", canonical=ed_blob)
    case("string-trailing-nul-curve.pub", key_line("ecdsa-sha2-nistp256", ec_blob_of(point, b"nistp256\x00"), "dave@macbook.local"), "valid", "string.trailing_nul", "curve name ends with NUL (OpenSSH strips it)", canonical=ec_blob_of(point))
    # Aliases OpenSSH accepts as the type string inside a blob.
    rsa_fields = mpint(e) + mpint(n)
    for alias in ("rsa-sha2-256", "rsa-sha2-512", "RSA", "rsa"):
        case(f"blob-type-alias-{alias}.pub", key_line("ssh-rsa", string(alias) + rsa_fields, "deploy@ci-runner-3"), "valid", "blob.type.noncanonical", f"{alias} as the blob's type", canonical=string("ssh-rsa") + rsa_fields)
    for alias in ("ED25519", "Ed25519"):
        case(f"blob-type-alias-{alias}.pub", key_line("ssh-ed25519", string(alias) + string(ed_pk), "grace@thinkpad"), "valid", "blob.type.noncanonical", f"{alias} as the blob's type", canonical=ed_blob)
    case("blob-type-alias-ED25519-SK.pub", key_line("sk-ssh-ed25519@openssh.com", string("ED25519-SK") + strip_type(sked_blob), "ivan@solokey"), "valid", "blob.type.noncanonical", "ED25519-SK as the blob's type", canonical=sked_blob)
    case("blob-type-alias-webauthn.pub", key_line("sk-ecdsa-sha2-nistp256@openssh.com", string("webauthn-sk-ecdsa-sha2-nistp256@openssh.com") + strip_type(skec_blob), "heidi@yubikey-5c"), "valid", "blob.type.noncanonical", "webauthn signature name as the blob's type", canonical=skec_blob)

    # ----- type word vs blob ------------------------------------------------
    ed_cert = make_cert(ed_blob, ca)
    case("type-mismatch-rsa-word.pub", key_line("ssh-rsa", ed_blob, "grace@thinkpad"), "key.type.mismatch", "key.type.mismatch", "ssh-rsa word, Ed25519 blob")
    case("type-mismatch-cert-word.pub", key_line("ssh-ed25519-cert-v01@openssh.com", ed_blob, "grace@thinkpad"), "key.type.mismatch", "key.type.mismatch", "cert word, plain blob")
    case("type-mismatch-plain-word.pub", key_line("ssh-ed25519", ed_cert, "grace@thinkpad"), "key.type.mismatch", "key.type.mismatch", "plain word, cert blob")
    case("type-mismatch-curve.pub", key_line("ecdsa-sha2-nistp384", ec_blob, "dave@macbook.local"), "key.type.mismatch", "key.type.mismatch", "nistp384 word, nistp256 blob")
    case("type-mismatch-sk-word.pub", key_line("sk-ecdsa-sha2-nistp256@openssh.com", ec_blob, "dave@macbook.local"), "key.type.mismatch", "key.type.mismatch", "sk word, plain ECDSA blob")
    # Signature algorithm names as type words.
    rsa_cert = make_cert(rsa_blob, ca)
    case("type-alias-rsa-sha2-256.pub", key_line("rsa-sha2-256", rsa_blob, "deploy@ci-runner-3"), "valid", "key.type.alias", "rsa-sha2-256 as type word", canonical=rsa_blob)
    case("type-alias-rsa-sha2-512.pub", key_line("rsa-sha2-512", rsa_blob, "deploy@ci-runner-3"), "valid", "key.type.alias", "rsa-sha2-512 as type word", canonical=rsa_blob)
    case("type-alias-rsa-sha2-256-cert.pub", key_line("rsa-sha2-256-cert-v01@openssh.com", rsa_cert, "deploy@ci-runner-3"), "valid", "key.type.alias", "rsa-sha2-256-cert-v01 as type word", canonical=rsa_blob)
    case("type-alias-rsa-sha2-512-cert.pub", key_line("rsa-sha2-512-cert-v01@openssh.com", rsa_cert, "deploy@ci-runner-3"), "valid", "key.type.alias", "rsa-sha2-512-cert-v01 as type word", canonical=rsa_blob)
    case("type-alias-webauthn.pub", key_line("webauthn-sk-ecdsa-sha2-nistp256@openssh.com", skec_blob, "heidi@yubikey-5c"), "valid", "key.type.alias", "webauthn-sk-ecdsa as type word", canonical=skec_blob)

    # ----- mpints -----------------------------------------------------------
    n_bytes = mpint_bytes(n)  # starts with 0x00: n's top bit is set
    case("mpint-negative.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(e), n_bytes[1:]), "deploy@ci-runner-3"), "mpint.negative", "mpint.negative", "modulus without its leading zero")
    big = (secrets.randbits(2049 * 8 - 8) | (1 << (2049 * 8 - 8)) | 1).to_bytes(2049, "big")
    assert big[0] == 1
    case("mpint-too-large-2049.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(e), big), "deploy@ci-runner-3"), "mpint.too_large", "mpint.too_large", "2049-byte modulus not starting with 0")
    big2 = b"\x00" + (secrets.randbits(2049 * 8) | (1 << (2049 * 8 - 1)) | 1).to_bytes(2049, "big")
    case("mpint-too-large-2050.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(e), big2), "deploy@ci-runner-3"), "mpint.too_large", "mpint.too_large", "2050-byte modulus")
    case("mpint-leading-zeros-n.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(e), b"\x00" + n_bytes), "deploy@ci-runner-3"), "valid", "mpint.noncanonical", "modulus with an extra leading zero", canonical=rsa_blob_of(mpint_bytes(e), n_bytes))
    case("mpint-leading-zero-e.pub", key_line("ssh-rsa", rsa_blob_of(b"\x00" + mpint_bytes(e), n_bytes), "deploy@ci-runner-3"), "valid", "mpint.noncanonical", "exponent with a leading zero", canonical=rsa_blob_of(mpint_bytes(e), n_bytes))
    # 16384 bits: the largest modulus OpenSSH takes (2049 bytes with the 0).
    # Synthetic: an odd number with the top bit set, not a product of primes,
    # drawn until it has no prime factor below 2^16 (keyvet's strict policy
    # screens for those).
    small_primorial = math.prod(p for p in range(3, 1 << 16, 2) if all(p % q for q in range(3, int(p ** 0.5) + 1, 2)))
    while True:
        n16k = secrets.randbits(16384) | (1 << 16383) | 1
        if math.gcd(n16k, small_primorial) == 1:
            break
    case("rsa-16384-synthetic.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(e), mpint_bytes(n16k)), "big@example.com"), "valid", "valid", "16384-bit modulus (synthetic), the maximum")

    # ----- RSA --------------------------------------------------------------
    n1023, e1023, _ = rsa_numbers(1023)
    case("rsa-1023.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(e1023), mpint_bytes(n1023)), "tiny@example.com"), "rsa.too_small", "rsa.too_small", "1023-bit modulus")
    n768, e768, _ = rsa_numbers(768)
    case("rsa-768.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(e768), mpint_bytes(n768)), "tiny@example.com"), "rsa.too_small", "rsa.too_small", "768-bit modulus")
    case("rsa-modulus-even.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(e), mpint_bytes(n + 1)), "deploy@ci-runner-3"), "valid", "rsa.modulus.even", "even modulus")
    case("rsa-exponent-1.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(1), n_bytes), "deploy@ci-runner-3"), "valid", "rsa.exponent.too_small", "e = 1")
    case("rsa-exponent-0.pub", key_line("ssh-rsa", rsa_blob_of(b"", n_bytes), "deploy@ci-runner-3"), "valid", "rsa.exponent.too_small", "e = 0 (empty mpint)")
    case("rsa-exponent-even.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(65536), n_bytes), "deploy@ci-runner-3"), "valid", "rsa.exponent.even", "e = 65536")
    case("rsa-exponent-above-n.pub", key_line("ssh-rsa", rsa_blob_of(mpint_bytes(n + 2), n_bytes), "deploy@ci-runner-3"), "valid", "rsa.exponent.too_large", "e = n + 2")

    # ----- ECDSA ------------------------------------------------------------
    case("ecdsa-curve-mismatch.pub", key_line("ecdsa-sha2-nistp256", ec_blob_of(point, b"nistp384"), "dave@macbook.local"), "ecdsa.curve.mismatch", "ecdsa.curve.mismatch", "nistp384 curve name in a nistp256 blob")
    compressed = bytes([2 + (point[-1] & 1)]) + point[1:33]
    case("ecdsa-point-compressed.pub", key_line("ecdsa-sha2-nistp256", ec_blob_of(compressed), "dave@macbook.local"), "ecdsa.point.encoding", "ecdsa.point.encoding", "compressed point")
    case("ecdsa-point-short.pub", key_line("ecdsa-sha2-nistp256", ec_blob_of(point[:-1]), "dave@macbook.local"), "ecdsa.point.length", "ecdsa.point.length", "point one byte short")
    case("ecdsa-point-long.pub", key_line("ecdsa-sha2-nistp256", ec_blob_of(point + b"\x00"), "dave@macbook.local"), "ecdsa.point.length", "ecdsa.point.length", "point one byte long")
    off_curve = point[:-1] + bytes([point[-1] ^ 1])
    case("ecdsa-point-not-on-curve.pub", key_line("ecdsa-sha2-nistp256", ec_blob_of(off_curve), "dave@macbook.local"), "ecdsa.point.not_on_curve", "ecdsa.point.not_on_curve", "y changed by one bit")
    x, y = p256_point_with_x_from(1)
    case("ecdsa-point-small-x.pub", key_line("ecdsa-sha2-nistp256", ec_blob_of(uncompressed(x, y)), "dave@macbook.local"), "ecdsa.point.range", "ecdsa.point.range", f"on-curve point with x = {x}")
    x, y = p256_point_with_x_from(P256_N - 1)
    case("ecdsa-point-x-above-order.pub", key_line("ecdsa-sha2-nistp256", ec_blob_of(uncompressed(x, y)), "dave@macbook.local"), "ecdsa.point.range", "ecdsa.point.range", "on-curve point with x >= order - 1")

    # ----- Ed25519 ----------------------------------------------------------
    case("ed25519-short.pub", key_line("ssh-ed25519", string("ssh-ed25519") + string(ed_pk[:31]), "grace@thinkpad"), "ed25519.length", "ed25519.length", "31-byte key")
    case("ed25519-long.pub", key_line("ssh-ed25519", string("ssh-ed25519") + string(ed_pk + b"\x00"), "grace@thinkpad"), "ed25519.length", "ed25519.length", "33-byte key")

    # ----- FIDO keys --------------------------------------------------------
    sked_pk = read_string(strip_type(sked_blob), 0)[0]
    sked = lambda app: string("sk-ssh-ed25519@openssh.com") + string(sked_pk) + app  # noqa: E731
    skec_point = read_string(strip_type(skec_blob), read_string(strip_type(skec_blob), 0)[1])[0]
    skec = lambda app: string("sk-ecdsa-sha2-nistp256@openssh.com") + string("nistp256") + string(skec_point) + app  # noqa: E731
    case("sk-ed25519-no-application.pub", key_line("sk-ssh-ed25519@openssh.com", sked(b""), "ivan@solokey"), "blob.truncated", "blob.truncated", "no application string")
    case("sk-ecdsa-no-application.pub", key_line("sk-ecdsa-sha2-nistp256@openssh.com", skec(b""), "heidi@yubikey-5c"), "blob.truncated", "blob.truncated", "no application string")
    case("sk-ed25519-application-web.pub", key_line("sk-ssh-ed25519@openssh.com", sked(string("https://example.com")), "ivan@solokey"), "valid", "sk.application", "application not ssh:")
    case("sk-ecdsa-application-web.pub", key_line("sk-ecdsa-sha2-nistp256@openssh.com", skec(string("example.com")), "heidi@yubikey-5c"), "valid", "sk.application", "application not ssh:")
    case("sk-application-nul.pub", key_line("sk-ssh-ed25519@openssh.com", sked(string(b"ssh:\x00evil")), "ivan@solokey"), "string.nul", "string.nul", "NUL inside the application")
    case("sk-application-trailing-nul.pub", key_line("sk-ssh-ed25519@openssh.com", sked(string(b"ssh:\x00")), "ivan@solokey"), "valid", "string.trailing_nul", "application ends with NUL", canonical=sked(string("ssh:")))

    # ----- certificates -----------------------------------------------------
    CT = "ssh-ed25519-cert-v01@openssh.com"

    def cert_case(name, blob, openssh, strict, notes, type_word=CT, comment="grace@thinkpad", canonical=None):
        case(f"cert-{name}.pub", key_line(type_word, blob, comment), openssh, strict, notes, canonical=canonical)

    cert_case("type-3", make_cert(ed_blob, ca, ctype=3), "cert.type", "cert.type", "certificate type 3")
    cert_case("type-0", make_cert(ed_blob, ca, ctype=0), "cert.type", "cert.type", "certificate type 0")
    cert_case("principals-257", make_cert(ed_blob, ca, principals=[f"user{i:03d}".encode() for i in range(257)]), "cert.principals.too_many", "cert.principals.too_many", "257 principals")
    cert_case("principals-malformed", make_cert(ed_blob, ca, raw_principals=u32(5) + b"ab"), "blob.truncated", "blob.truncated", "principal string runs past its list")
    cert_case("critical-malformed", make_cert(ed_blob, ca, raw_critical=string("force-command")), "cert.critical_options.malformed", "cert.critical_options.malformed", "critical option name without data")
    cert_case("extensions-malformed", make_cert(ed_blob, ca, raw_extensions=string("permit-pty") + u32(9)), "cert.extensions.malformed", "cert.extensions.malformed", "extension data length past the end")
    # A CA key that is itself a certificate, signing with the certified key.
    inner = PythonEd25519()
    inner_cert = make_cert(inner.blob, ca, ctype=HOST, principals=[b"ca.example.com"])

    class CertCA:
        blob = inner_cert

        def sign(self, data, alg=None):
            return inner.sign(data)

    cert_case("ca-is-certificate", make_cert(ed_blob, CertCA()), "cert.ca.certificate", "cert.ca.certificate", "signature key is a certificate")
    cert_case("ca-rsa-768", make_cert(ed_blob, RawRsaCA(768)), "rsa.too_small", "rsa.too_small", "768-bit RSA CA key")
    cert_case("ca-rsa-1024", make_cert(ed_blob, RawRsaCA(1024)), "valid", "rsa.too_small", "1024-bit RSA CA key")
    n1024, e1024, _ = rsa_numbers(1024)
    cert_case("subject-rsa-1024", make_cert(string("ssh-rsa") + mpint(e1024) + mpint(n1024), ca), "valid", "rsa.too_small", "certified RSA key of 1024 bits", type_word=CERT_TYPE["ssh-rsa"])
    web_sk = string("sk-ssh-ed25519@openssh.com") + string(sked_pk) + string("https://example.com")
    cert_case("subject-sk-application-web", make_cert(web_sk, ca), "valid", "sk.application", "certified sk key with application not ssh:", type_word=CERT_TYPE["sk-ssh-ed25519@openssh.com"])

    class TrailingCA:
        blob = ca.blob + b"\x00"

        def sign(self, data, alg=None):
            return ca.sign(data)

    cert_case("ca-trailing-data", make_cert(ed_blob, TrailingCA()), "blob.trailing_data", "blob.trailing_data", "byte after the CA key inside its string")
    # The CA blob using OpenSSH's short name "RSA" (accepted by sshkey_from_blob).
    rsa_ca = cas["ca-rsa"]

    class ShortNameCA:
        blob = string("RSA") + strip_type(rsa_ca.blob)

        def sign(self, data, alg=None):
            return rsa_ca.sign(data, "rsa-sha2-512")

    cert_case("ca-blob-type-shortname", make_cert(ed_blob, ShortNameCA()), "valid", "blob.type.noncanonical", "CA blob typed RSA", canonical=ed_blob)
    # Signature algorithm the CA key type cannot make.
    body = cert_body("ssh-ed25519", strip_type(ed_blob), rsa_ca.blob)
    cert_case("sig-alg-ed25519-by-rsa", body + string(string("ssh-ed25519") + string(secrets.token_bytes(64))), "cert.signature.algorithm", "cert.signature.algorithm", "ssh-ed25519 signature from an RSA CA")
    ec_ca = cas["ca-ecdsa-256"]
    body = cert_body("ssh-ed25519", strip_type(ed_blob), ec_ca.blob)
    sig = ec_ca.sign(body)
    sig384 = string("ecdsa-sha2-nistp384") + sig[4 + len("ecdsa-sha2-nistp256") :]
    cert_case("sig-alg-p384-by-p256", body + string(sig384), "cert.signature.algorithm", "cert.signature.algorithm", "nistp384 signature from a nistp256 CA")
    body = cert_body("ssh-ed25519", strip_type(ed_blob), ca.blob)
    cert_case("sig-alg-rsa-by-ed25519", body + string(rsa_ca.sign(body, "rsa-sha2-256")), "cert.signature.algorithm", "cert.signature.algorithm", "rsa-sha2-256 signature from an Ed25519 CA")
    # Malformed signature structures.
    body = cert_body("ssh-ed25519", strip_type(ed_blob), ca.blob)
    cert_case("sig-trailing-byte", body + string(ca.sign(body) + b"\x00"), "cert.signature.malformed", "cert.signature.malformed", "byte after the Ed25519 signature")
    body = cert_body("ssh-ed25519", strip_type(ed_blob), ec_ca.blob)
    sig = ec_ca.sign(body)
    alg_part, off = read_string(sig, 0)
    rs, _ = read_string(sig, off)
    r_only = read_string(rs, 0)[0]
    cert_case("sig-ecdsa-missing-s", body + string(string(alg_part) + string(string(r_only))), "cert.signature.malformed", "cert.signature.malformed", "ECDSA signature without s")
    cert_case("sig-empty", cert_body("ssh-ed25519", strip_type(ed_blob), ca.blob) + string(b""), "cert.signature.malformed", "cert.signature.malformed", "empty signature")
    # Signatures that do not verify: key id changed after signing.
    for label, signer, alg in [("ed25519", ca, None), ("rsa-sha512", rsa_ca, "rsa-sha2-512"), ("ecdsa-384", cas["ca-ecdsa-384"], None), ("dsa", cas["ca-dsa"], None), ("sk-ecdsa", SkEcdsaCA(), None), ("sk-ed25519", SkEd25519CA(), None)]:
        good = make_cert(ed_blob, signer, alg, key_id=b"alice@example.com")
        bad = good.replace(b"alice@example.com", b"alicf@example.com", 1)
        strict = "policy.algorithm" if label == "dsa" else "cert.signature.invalid"
        cert_case(f"sig-invalid-{label}", bad, "cert.signature.invalid", strict, f"key id changed after signing ({label} CA)")
    # Certificate hygiene that only strict checks.
    cert_case("critical-unsorted", make_cert(ed_blob, ca, critical=[("source-address", string("10.0.0.0/8")), ("force-command", string("/bin/true"))]), "valid", "valid", "critical options out of order: a warning under strict (cert.critical_options.unsorted)")
    cert_case("extensions-unsorted", make_cert(ed_blob, ca, extensions=[("permit-pty", b""), ("permit-X11-forwarding", b"")]), "valid", "valid", "extensions out of order: a warning under strict (cert.extensions.unsorted)")
    cert_case("critical-duplicate", make_cert(ed_blob, ca, critical=[("force-command", string("/bin/true")), ("force-command", string("/bin/false"))]), "valid", "cert.critical_options.duplicate", "force-command twice")
    cert_case("extensions-duplicate", make_cert(ed_blob, ca, extensions=[("permit-pty", b""), ("permit-pty", b"")]), "valid", "cert.extensions.duplicate", "permit-pty twice")
    cert_case("validity-inverted", make_cert(ed_blob, ca, valid_after=2000000000, valid_before=1700000000), "valid", "cert.validity.inverted", "valid_after > valid_before")
    cert_case("reserved", make_cert(ed_blob, ca, reserved=b"future"), "valid", "cert.reserved", "non-empty reserved field")
    cert_case("principal-empty", make_cert(ed_blob, ca, principals=[b"alice", b""]), "valid", "cert.principals.empty", "empty principal name")
    # NUL inside the certificate's text strings.
    cert_case("key-id-nul", make_cert(ed_blob, ca, key_id=b"alice\x00@example.com"), "string.nul", "string.nul", "NUL inside the key id")
    cert_case("key-id-trailing-nul", make_cert(ed_blob, ca, key_id=b"alice@example.com\x00"), "valid", "string.trailing_nul", "key id ends with NUL", canonical=ed_blob)
    cert_case("principal-nul", make_cert(ed_blob, ca, principals=[b"al\x00ice"]), "string.nul", "string.nul", "NUL inside a principal")
    cert_case("principal-trailing-nul", make_cert(ed_blob, ca, principals=[b"alice\x00"]), "valid", "string.trailing_nul", "principal ends with NUL", canonical=ed_blob)
    # The cert type name with an RSA signature alias inside the blob.
    rsa_alias_cert = make_cert(rsa_blob, ca, cert_type="rsa-sha2-256-cert-v01@openssh.com")
    # ----- probes: OpenSSH accepts these; no strict rule covers them --------
    cert_case("critical-value-unwrapped", make_cert(ed_blob, ca, critical=[("force-command", b"/bin/true")]), "valid", "valid", "critical option data not a string (checked by sshd only at login)")
    cert_case("critical-source-address-junk", make_cert(ed_blob, ca, critical=[("source-address", string("not-an-address"))]), "valid", "valid", "source-address value not an address list")
    cert_case("extension-flag-with-data", make_cert(ed_blob, ca, extensions=[("permit-pty", string("yes"))]), "valid", "valid", "flag extension carrying data")
    # An RSA signature one byte shorter than the modulus (its leading zero
    # dropped, as old signers did): OpenSSH pads it back.
    while True:
        body = cert_body("ssh-ed25519", strip_type(ed_blob), rsa_ca.blob)
        sig = rsa_ca.key.sign(body, padding.PKCS1v15(), hashes.SHA512())
        if sig[0] == 0:
            break
    cert_case("sig-rsa-short", body + string(string("rsa-sha2-512") + string(sig[1:])), "valid", "valid", "RSA signature without its leading zero byte")
    # An ECDSA signature whose r has an extra leading zero byte.
    body = cert_body("ssh-ed25519", strip_type(ed_blob), ec_ca.blob)
    sig = ec_ca.sign(body)
    alg_part, off = read_string(sig, 0)
    rs, _ = read_string(sig, off)
    r_bytes, off2 = read_string(rs, 0)
    cert_case("sig-ecdsa-r-leading-zero", body + string(string(alg_part) + string(string(b"\x00" + r_bytes) + rs[off2:])), "valid", "mpint.noncanonical", "ECDSA signature r with an extra leading zero")
    # A DSA signature blob of 41 bytes instead of 40.
    dsa_ca = cas["ca-dsa"]
    body = cert_body("ssh-ed25519", strip_type(ed_blob), dsa_ca.blob)
    sig40, _ = read_string(dsa_ca.sign(body), 4 + len("ssh-dss"))
    cert_case("sig-dsa-length", body + string(string("ssh-dss") + string(sig40 + b"\x00")), "cert.signature.malformed", "policy.algorithm", "DSA signature of 41 bytes")
    # A FIDO CA signature without the user-presence flag: certificates do not check it.
    sk_ca = SkEd25519CA()
    body = cert_body("ssh-ed25519", strip_type(ed_blob), sk_ca.blob)
    cert_case("sig-sk-flags-0", body + string(sk_ca.sign(body, flags=0)), "valid", "valid", "sk CA signature with flags 0 (no user presence)")
    case("line-bom.pub", b"\xef\xbb\xbf" + key_line("ssh-ed25519", ed_blob, "grace@thinkpad"), "line.bom", "line.bom", "UTF-8 byte order mark before the type word")
    case("sk-ecdsa-point-not-on-curve.pub", key_line("sk-ecdsa-sha2-nistp256@openssh.com", string("sk-ecdsa-sha2-nistp256@openssh.com") + string("nistp256") + string(skec_point[:-1] + bytes([skec_point[-1] ^ 1])) + string("ssh:"), "heidi@yubikey-5c"), "ecdsa.point.not_on_curve", "ecdsa.point.not_on_curve", "sk-ecdsa point off the curve")
    case("sk-ecdsa-curve-mismatch.pub", key_line("sk-ecdsa-sha2-nistp256@openssh.com", string("sk-ecdsa-sha2-nistp256@openssh.com") + string("nistp384") + string(skec_point) + string("ssh:"), "heidi@yubikey-5c"), "ecdsa.curve.mismatch", "ecdsa.curve.mismatch", "sk-ecdsa blob naming nistp384")
    _, ec521_blob, _ = read_pub(pubs["ecdsa-521"])
    p521 = read_string(strip_type(ec521_blob), read_string(strip_type(ec521_blob), 0)[1])[0]
    case("ecdsa-521-point-short.pub", key_line("ecdsa-sha2-nistp521", string("ecdsa-sha2-nistp521") + string("nistp521") + string(p521[:-1]), "frank@bastion"), "ecdsa.point.length", "ecdsa.point.length", "nistp521 point one byte short")

    # ----- ssh-keygen -l quirks (not rules: what a byte-exact drop-in must print)
    # A line with options and no comment: ssh-keygen keeps the options as the
    # comment, and the next line without a comment reuses that pointer into
    # its line buffer, which then holds the whole next line.
    case(
        "keygen-comment-carryover.pub",
        key_line("ssh-ed25519", ed_blob, None, 'restrict,command="/usr/bin/long-running-thing --with-options"')
        + key_line("ssh-ed25519", ed_blob),
        "valid", "valid", "options then a key without comment: ssh-keygen's stale comment",
    )
    # "PRIVATE KEY" on the first line makes ssh-keygen load the file as a
    # private key file: only the first plain key line counts, options lines are skipped.
    case(
        "keygen-private-key-in-comment.pub",
        key_line("ssh-ed25519", ed_blob, "old PRIVATE KEY backup") + key_line("ssh-rsa", rsa_blob, "deploy@ci-runner-3"),
        "valid", "valid", "PRIVATE KEY in the first comment: ssh-keygen prints the first key only",
    )
    case(
        "keygen-private-key-in-options.pub",
        key_line("ssh-ed25519", ed_blob, "grace@thinkpad", 'command="echo PRIVATE KEY"'),
        "valid", "valid", "PRIVATE KEY in options: ssh-keygen reads a private key file and fails",
        keygen_quirk=True,
    )
    cert_case("blob-type-alias-rsa-sha2-256", rsa_alias_cert, "valid", "blob.type.noncanonical", "rsa-sha2-256-cert-v01 as the blob's type", type_word="ssh-rsa-cert-v01@openssh.com", comment="deploy@ci-runner-3", canonical=rsa_blob)


# ---------------------------------------------------------------------------
# v00/: legacy certificates (removed from OpenSSH in 7.0)
# ---------------------------------------------------------------------------


def generate_v00(c, tmp, cas):
    """ssh-{rsa,dss}-cert-v00@openssh.com: string type, the key's mpints,
    uint32 type, string key id, string principals, uint64 valid after,
    uint64 valid before, string constraints, string nonce, string reserved,
    string signature key, string signature (over everything before it)."""
    for stem, args, plain, v00, ca_name, alg in [
        ("rsa", ["-t", "rsa", "-b", "2048"], "ssh-rsa", "ssh-rsa-cert-v00@openssh.com", "ca-rsa", "ssh-rsa"),
        ("dsa", ["-t", "dsa"], "ssh-dss", "ssh-dss-cert-v00@openssh.com", "ca-dsa", None),
    ]:
        comment = f"legacy-{stem}@example.com"
        ssh_keygen("-q", *args, "-N", "", "-C", comment, "-f", tmp / f"v00-{stem}")
        (tmp / f"v00-{stem}").unlink()
        pub = (tmp / f"v00-{stem}.pub").read_bytes()
        _, blob, _ = read_pub(tmp / f"v00-{stem}.pub")
        ca = cas[ca_name]
        body = (
            string(v00)
            + strip_type(blob)
            + u32(USER)
            + string("legacy@example.com")
            + string(principal_list([b"alice"]))
            + u64(0)
            + u64(FOREVER)
            + string(option_list([("permit-pty", b"")]))
            + string(secrets.token_bytes(32))  # nonce
            + string(b"")  # reserved
            + string(ca.blob)
        )
        cert = body + string(ca.sign(body, alg))
        # Rule: v00 certificates are refused by both policies, and by OpenSSH 9.2.
        c.add(f"v00/{stem}-cert-v00.pub", key_line(v00, cert, comment), "policy.algorithm", "policy.algorithm", f"legacy {v00}")
        # The certified key alone: its fingerprint is what a v00-allowing policy should print.
        strict = "policy.algorithm" if stem == "dsa" else "valid"
        c.add(f"v00/{stem}.pub", pub, "valid", strict, f"the key inside {stem}-cert-v00.pub", expect_keygen="ok")


# ---------------------------------------------------------------------------
# conformance-keygen.tsv: the oracle re-run on corpus/external
# ---------------------------------------------------------------------------

CONFORMANCE_KINDS = {
    "pubkey", "cert", "authorized_keys_line", "authorized_keys_file",
    "known_hosts_line", "known_hosts_file", "pubkey_ssh1",
}


def generate_conformance(root, conformance, tmp):
    rows = ["path\tline\tstatus\tsha256\tmd5"]
    manifest = (conformance / "MANIFEST.tsv").read_text().splitlines()
    header = manifest[0].split("\t")
    for raw in manifest[1:]:
        row = dict(zip(header, raw.split("\t")))
        if row["kind"] not in CONFORMANCE_KINDS:
            continue
        path = conformance / row["path"]
        if row["line"]:
            lines = path.read_bytes().split(b"\n")
            target = tmp / "conformance-line"
            target.write_bytes(lines[int(row["line"]) - 1] + b"\n")
        else:
            target = path
        status, sha, md5, _ = fingerprints(target)
        join = lambda out: " | ".join(out.decode(errors="backslashreplace").splitlines())  # noqa: E731
        cells = [row["path"], row["line"], status, join(sha), join(md5)]
        assert all("\t" not in x for x in cells), cells
        rows.append("\t".join(cells))
    (root / "conformance-keygen.tsv").write_text("\n".join(rows) + "\n")
    return len(rows) - 1


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conformance", type=Path, default=ROOT / "external",
                    help="the public conformance corpus (default: corpus/external)")
    ap.add_argument("--skip-conformance", action="store_true")
    args = ap.parse_args()

    version = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr.strip()
    if "OpenSSH_9.2" not in version:
        sys.exit(f"the oracle must be OpenSSH 9.2, found: {version}")

    for name in ("valid", "cases", "v00"):
        shutil.rmtree(ROOT / name, ignore_errors=True)
    for name in ("MANIFEST.tsv", "conformance-keygen.tsv"):
        (ROOT / name).unlink(missing_ok=True)

    c = Corpus(ROOT)
    with tempfile.TemporaryDirectory(prefix="keyvet-corpus-") as t:
        tmp = Path(t)
        pubs, cas = generate_valid(c, tmp)
        generate_cases(c, tmp, pubs, cas)
        generate_v00(c, tmp, cas)
        c.write_manifest()
        if not args.skip_conformance:
            count = generate_conformance(ROOT, args.conformance, tmp)
            print(f"conformance-keygen.tsv: {count} rows")
    print(f"MANIFEST.tsv: {len(c.rows)} rows ({version})")
    for p in c.quirks:
        print("SSH-KEYGEN QUIRK:", p)
    for p in c.problems:
        print("CONTRADICTION:", p)
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
