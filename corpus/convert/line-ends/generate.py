#!/usr/bin/env python3
"""Line ends, blanks and text around a private key block, made from the test
keys of ../private-test-keys, with what `ssh-keygen -l -f FILE` (OpenSSH 9.2)
prints for each.

    LC_ALL=C.UTF-8 python3 corpus/convert/line-ends/generate.py

keyvet reads every key file with one set of line rules; OpenSSH's loader of
its own private key format is stricter (`private2_uudecode`: the file must
start with the BEGIN line and a LF, the END line must follow a LF and end
with one). MANIFEST.tsv records, per file:

* `keygen`: what ssh-keygen -l printed, or `rejected`; keyvet's listing must
  print the same line, or refuse;
* `convert`: `ok` when `convert::to_openssh` must read the key (the same
  blob as the unaltered file), else the error code it must return: keyvet's
  rule, not an oracle's;
* `openssh_loads`: `yes`/`no`, whether OpenSSH's private key loader (as ssh
  and ssh-add use it) takes the file as it is: `ssh-keygen -y -f FILE`;
  `Converted::openssh_cannot_load` must agree (`-` where convert refuses);
* `notes`.

Deterministic: rerun it after ../generate.py makes new test keys.
"""

import os
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEYS = HERE.parent / "private-test-keys"
ENV = dict(os.environ, LC_ALL="C.UTF-8")


def keygen_l(data: bytes) -> str:
    """ssh-keygen -l on a 0600 copy of the file alone in a directory."""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "key"
        p.write_bytes(data)
        p.chmod(0o600)
        r = subprocess.run(["ssh-keygen", "-l", "-f", str(p)], capture_output=True, env=ENV)
        return r.stdout.decode().rstrip("\n") if r.returncode == 0 else "rejected"


def loads_private(data: bytes) -> bool:
    """Whether OpenSSH's private key loader (`sshkey_load_private`, as ssh
    and ssh-add use it) takes the file: `ssh-keygen -y` on it."""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "key"
        p.write_bytes(data)
        p.chmod(0o600)
        r = subprocess.run(["ssh-keygen", "-y", "-P", "", "-f", str(p)], capture_output=True, env=ENV,
                           stdin=subprocess.DEVNULL)
        return r.returncode == 0


def split(block: bytes):
    lines = block.split(b"\n")[:-1]
    return lines[0], lines[1:-1], lines[-1]


def join(begin, body, end, eol_begin=b"\n", eol_body=b"\n", eol_end=b"\n"):
    return begin + eol_begin + b"".join(x + eol_body for x in body) + end + eol_end


def variants(key: bytes):
    """(name, bytes, convert expectation, notes) for one LF-ended key file."""
    b, body, e = split(key)
    return [
        ("lf", key, "ok", "as ssh-keygen writes it"),
        ("crlf", key.replace(b"\n", b"\r\n"), "ok", "CR LF everywhere (Windows editors, browser forms)"),
        ("crlf-body", join(b, body, e, eol_body=b"\r\n"), "ok", "CR LF on the base64 lines only"),
        ("crlf-begin", join(b, body, e, eol_begin=b"\r\n"), "ok", "CR LF after the BEGIN line only"),
        ("crlf-end", join(b, body, e, eol_end=b"\r\n"), "ok", "CR LF after the END line only"),
        ("no-final-newline", key.rstrip(b"\n"), "ok", "no line end after the END line"),
        ("crlf-no-final-newline", key.replace(b"\n", b"\r\n").rstrip(b"\r\n"), "ok",
         "CR LF, none after the END line (a pasted form field)"),
        ("begin-trailing-blank", join(b + b" ", body, e), "ok", "a space after the BEGIN line"),
        ("begin-indented", join(b" " + b, body, e), "ok", "the BEGIN line indented"),
        ("blank-after-begin", join(b, [b""] + body, e), "ok", "a blank line right after the BEGIN line"),
        ("two-blanks-after-begin", join(b, [b"", b""] + body, e), "ok",
         "two blank lines after the BEGIN line"),
        ("blank-before-end", join(b, body + [b""], e), "ok", "a blank line before the END line"),
        ("end-trailing-blank", join(b, body, e + b" "), "ok", "a space after the END line"),
        ("end-indented", join(b, body, b"  " + e), "ok", "the END line indented"),
        ("body-indented", join(b, [b"  " + x for x in body], e), "ok", "base64 lines indented"),
        ("body-trailing-blanks", join(b, [x + b" \t" for x in body], e), "ok", "blanks after base64 lines"),
        ("body-inner-blank", join(b, [x[:10] + b" " + x[10:] for x in body], e), "ok",
         "a space inside every base64 line"),
        ("body-blank-line", join(b, body[:1] + [b""] + body[1:], e), "ok", "a blank line inside the base64"),
        ("body-one-line", join(b, [b"".join(body)], e), "ok", "the base64 on one line"),
        ("text-after", key + b"kept in the vault since 2024\n", "ok", "a note after the END line"),
        ("blank-first", b"\n" + key, "ok", "a blank line before the BEGIN line"),
        ("bom", b"\xef\xbb\xbf" + key, "ok", "a UTF-8 byte-order mark"),
        ("cr-only", key.replace(b"\n", b"\r"), "convert.pem_label",
         "CR alone ends lines (classic Mac OS): not read by anyone"),
    ]


def main():
    rows = []
    for source in ["ed25519", "ecdsa256", "rsa2048.pem"]:
        key = (KEYS / source).read_bytes()
        for name, data, convert, notes in variants(key):
            fname = f"{source}.{name}"
            (HERE / fname).write_bytes(data)
            shown = keygen_l(data)
            loads = ("yes" if loads_private(data) else "no") if convert == "ok" else "-"
            rows.append((fname, shown, convert, loads, notes))
    with open(HERE / "MANIFEST.tsv", "w", encoding="utf-8") as f:
        f.write("path\tkeygen\tconvert\topenssh_loads\tnotes\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{len(rows)} files")


if __name__ == "__main__":
    main()
