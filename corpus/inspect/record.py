#!/usr/bin/env python3
"""Records what OpenSSH 9.2's ssh-keygen prints, for `keyvet inspect`.

Run from anywhere: python3 corpus/inspect/record.py [--new-certs]

* `ssh-keygen -L -f FILE` (standard output and exit status) for every
  certificate file of the corpus (valid/certs/, certcheck/*-cert.pub, v00/,
  cases/cert-* and cases/*-cert*, and every other file holding a certificate
  type word: external/, pasted/, ...) and of inspect/certs/, under TZ=UTC and
  TZ=America/St_Johns (UTC-3:30, with daylight saving time);
* `ssh-keygen -lv -f FILE` and `ssh-keygen -lv -E md5 -f FILE` (the
  randomart) for every key file of valid/ (every key type), for
  inspect/keys/ (Ed25519 keys, found by search, whose walk visits a square
  more than 14 times under SHA-256 and MD5: the `^` of a full square) and for
  one certificate of every certified key type.

ssh-keygen runs in corpus/ with the path relative to it (ssh-keygen -L
prints the path) and LC_ALL=C.UTF-8. The outputs go to inspect/out/ (no
file when the output is empty) and one row per run to inspect/MANIFEST.tsv:
`mode path tz status output`, where mode is `L`, `L-md5` (`-L -E md5`, for certcheck/), `lv` or `lv-md5`, tz the
TZ value, status the exit status and output the file under inspect/ or `-`.

inspect/certs/ holds certificates made here with ssh-keygen -s (a
throw-away CA whose private key is deleted): validity at the edges
(2^63 - 1, 2^63, 2^64 - 2, years past 9999, years past what glibc's
localtime represents, daylight saving transitions of St_Johns), every
option ssh-keygen -L names, raw bytes in the key ID and principals, and a
file mixing certificates with other lines. They are made once (keys are
random); --new-certs makes them again.

Tests read the recordings; they never run ssh-keygen.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
ZONES = ["UTC", "America/St_Johns"]
KEYGEN = "ssh-keygen"


def run(args, tz="UTC", stdin=None, cwd=CORPUS):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "TZ": tz}
    p = subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True)
    return p.returncode, p.stdout


def make_certs():
    out = HERE / "certs"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def keygen(name, kind, bits=None):
            args = [KEYGEN, "-q", "-N", "", "-t", kind, "-C", name, "-f", str(tmp / name)]
            if bits:
                args += ["-b", str(bits)]
            subprocess.run(args, check=True)
            return tmp / name

        ca = keygen("ca", "ed25519")
        rsa_ca = keygen("rsa-ca", "rsa", 2048)
        subject = keygen("subject", "ed25519")
        rsa_subject = keygen("rsa-subject", "rsa", 3072)
        ecdsa_subject = keygen("ecdsa-subject", "ecdsa", 384)

        def sign(name, key, *args, ca_key=ca, key_id=None):
            pub = tmp / f"{name}.pub"
            shutil.copy(f"{key}.pub", pub)
            kid = key_id if key_id is not None else name.encode()
            subprocess.run([KEYGEN, "-q", "-s", str(ca_key), "-I", kid, *args, str(pub)], check=True)
            shutil.copy(tmp / f"{name}-cert.pub", out / f"{name}-cert.pub")

        # Validity at the edges.
        for name, v in [
            ("before-2p63m1", "0x1:0x7fffffffffffffff"),
            ("before-2p63", "0x1:0x8000000000000000"),
            ("before-2p64m2", "0x1:0xfffffffffffffffe"),
            ("after-2p63m2", "0x7ffffffffffffffe:forever"),
            ("after-2p63", "0x8000000000000000:forever"),
            ("after-2p64m2", "0xfffffffffffffffe:forever"),
            ("year-36812", "0x10000000000:0x20000000000"),
            ("year-2106", "0xe0000000:0x100000000"),
            ("year-overflow", "0xffffffffffffff:0x100000000000000"),
            ("only-before", "always:0x65000000"),
            ("only-after", "0x5f000000:forever"),
            ("forever", "always:forever"),
            ("epoch-plus-1", "0x1:0x2"),
            # St_Johns: 2023-03-12 02:00 NST -> NDT, 2023-11-05 02:00 NDT -> NST.
            ("dst-spring", "0x640d6357:0x640d6358"),
            ("dst-fall", "0x65471a47:0x65471a48"),
        ]:
            sign(name, subject, "-V", v)
        # Every option ssh-keygen -L names, and some it does not.
        sign(
            "options-all",
            subject,
            "-n",
            "alice,bob,*",
            "-O",
            "force-command=/bin/echo hi",
            "-O",
            "source-address=10.0.0.0/8,192.168.1.1",
            "-O",
            "verify-required",
            "-O",
            "no-touch-required",
            "-O",
            "critical:crit@example.com=value",
            "-O",
            "critical:critflag@example.com",
            "-O",
            "extension:ext@example.com=v a l",
            "-O",
            "extension:extflag@example.com",
            "-V",
            "20240101:20250101",
        )
        sign("options-clear-host", rsa_subject, "-h", "-O", "clear", "-n", "host.example.com", ca_key=rsa_ca)
        sign("ecdsa-384-by-rsa", ecdsa_subject, "-n", "root", "-z", "18446744073709551615", ca_key=rsa_ca)
        # Raw bytes in the key ID and the principals (printed as they are).
        sign("raw-bytes", subject, "-n", b"tab\there,\xc3\xa9t\xc3\xa9,\xff\x01", key_id=b"id \x01\xff\xc3\xa9 \"q\"")
        # Several certificates among other lines.
        lines = [
            (out / "forever-cert.pub").read_bytes(),
            b"\n",
            b"# a comment\n",
            Path(f"{subject}.pub").read_bytes(),
            b"not a key\n",
            b'command="x" ' + (out / "only-after-cert.pub").read_bytes(),
            b"   " + (out / "options-all-cert.pub").read_bytes().rstrip(b"\n"),
        ]
        (out / "mixed-cert.pub").write_bytes(b"".join(lines))


def rel(p):
    return str(Path(p).resolve().relative_to(CORPUS))


def every_other_certificate():
    """Every other file of the corpus that holds a certificate type word:
    the conformance data of other projects, pasted uploads, weak keys."""
    skip = (".tsv", ".py", ".md", ".sha256", ".md5")
    found = set()
    for f in CORPUS.rglob("*"):
        if not f.is_file() or f.name.endswith(skip) or "out" in f.relative_to(CORPUS).parts:
            continue
        if b"-cert-v0" in f.read_bytes():
            found.add(f)
    return found


def main():
    version = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr
    if "OpenSSH_9.2" not in version:
        sys.exit(f"needs OpenSSH 9.2's ssh-keygen, found {version.strip()}")
    if "--new-certs" in sys.argv or not (HERE / "certs").exists():
        make_certs()

    certs = sorted(
        set(CORPUS.glob("valid/certs/*.pub"))
        | set(CORPUS.glob("certcheck/*-cert.pub"))
        | set(CORPUS.glob("v00/*-cert-v00.pub"))
        | set(CORPUS.glob("cases/cert-*.pub"))
        | set(CORPUS.glob("cases/*-cert*.pub"))
        | set(HERE.glob("certs/*.pub"))
        | every_other_certificate()
    )
    keys = sorted(CORPUS.glob("valid/*.pub")) + sorted(HERE.glob("keys/*.pub"))
    art_certs = [
        CORPUS / "valid/certs" / f"{t}-user-by-ed25519.pub"
        for t in ["rsa-2048", "dsa-1024", "ecdsa-256", "ecdsa-384", "ecdsa-521", "ed25519", "sk-ecdsa", "sk-ed25519"]
    ]

    out_dir = HERE / "out"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    rows = []

    def record(mode, path, tz, args):
        status, stdout = run(args, tz)
        name = "-"
        if stdout:
            tag = tz.replace("/", "_")
            f = out_dir / mode / tag / (path.replace("/", "__") + ".out")
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_bytes(stdout)
            name = str(f.relative_to(HERE))
        rows.append((mode, path, tz, str(status), name))

    for tz in ZONES:
        for c in certs:
            record("L", rel(c), tz, [KEYGEN, "-L", "-f", rel(c)])
    for c in sorted(CORPUS.glob("certcheck/*-cert.pub")):
        record("L-md5", rel(c), "UTC", [KEYGEN, "-L", "-E", "md5", "-f", rel(c)])
    for k in keys + art_certs:
        record("lv", rel(k), "UTC", [KEYGEN, "-lv", "-f", rel(k)])
        record("lv-md5", rel(k), "UTC", [KEYGEN, "-lv", "-E", "md5", "-f", rel(k)])

    with open(HERE / "MANIFEST.tsv", "w") as m:
        m.write("mode\tpath\ttz\tstatus\toutput\n")
        for r in rows:
            m.write("\t".join(r) + "\n")
    print(f"{len(rows)} runs recorded in {rel(HERE / 'MANIFEST.tsv')}")


if __name__ == "__main__":
    main()
