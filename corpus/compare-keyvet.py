#!/usr/bin/env python3
"""Runs keyvet over the corpus and lists every disagreement with it.

    cargo build && python3 corpus/compare-keyvet.py [--keyvet PATH] [--conformance DIR]

For every MANIFEST.tsv row: `keyvet check --policy openssh|strict FILE` must
give the expected verdict (valid, or the error code; for files with several
key lines, every line must be valid, or the distinct error codes are listed).
Where ssh-keygen accepted the file, `keyvet fingerprint --policy openssh
[-E md5] FILE` must print exactly FILE.sha256 / FILE.md5 and exit 0; where it
rejected it, keyvet must print nothing and exit non-zero. With
--conformance, conformance-keygen.tsv is checked the same way.

A development aid: the project's tests read the same files. Exit status 1
when anything disagrees.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def verdict(keyvet, policy, path):
    p = subprocess.run([keyvet, "check", "--policy", policy, str(path)], capture_output=True)
    found = []
    for line in p.stdout.decode(errors="replace").split("\n")[:-1]:
        m = re.search(r"\[([a-z0-9_.]+)\](: |\s*$)", line)
        found.append(m.group(1) if m else ("valid" if re.search(r":\d+: ok ", line) else "?"))
    if not found:
        found.append(f"exit {p.returncode}")
    errors = [v for v in found if v != "valid"]
    return ",".join(dict.fromkeys(errors)) if errors else "valid"


def fingerprint(keyvet, path, md5):
    args = [keyvet, "fingerprint", "--policy", "openssh", *(["-E", "md5"] if md5 else []), str(path)]
    p = subprocess.run(args, capture_output=True)
    return p.returncode, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keyvet", default=str(ROOT.parent / "target" / "debug" / "keyvet"))
    ap.add_argument("--conformance", type=Path, help="also check conformance-keygen.tsv against this folder")
    args = ap.parse_args()
    k = args.keyvet
    bad = []

    rows = [r.split("\t") for r in (ROOT / "MANIFEST.tsv").read_text().split("\n")[1:-1]]
    for path, openssh, strict, keygen, _notes in rows:
        f = ROOT / path
        for policy, want in (("openssh", openssh), ("strict", strict)):
            got = verdict(k, policy, f)
            if got != want:
                bad.append((path, f"check --policy {policy}", want, got))
        for md5, ext in ((False, ".sha256"), (True, ".md5")):
            rc, out = fingerprint(k, f, md5)
            what = "fingerprint" + (" -E md5" if md5 else "")
            if keygen == "ok":
                want = (f.parent / (f.name + ext)).read_bytes()
                if out != want or rc != 0:
                    bad.append((path, what, repr(want), f"{out!r} (exit {rc})"))
            elif out or rc == 0:
                bad.append((path, what, "no output, exit != 0", f"{out!r} (exit {rc})"))

    if args.conformance:
        tmp = Path(tempfile.mkstemp(prefix="keyvet-conformance-")[1])
        try:
            crow = [r.split("\t") for r in (ROOT / "conformance-keygen.tsv").read_text().split("\n")[1:-1]]
            for path, line, status, sha, md5 in crow:
                f = args.conformance / path
                if line:
                    tmp.write_bytes(f.read_bytes().split(b"\n")[int(line) - 1] + b"\n")
                    f = tmp
                for is_md5, want in ((False, sha), (True, md5)):
                    rc, out = fingerprint(k, f, is_md5)
                    got = " | ".join(out.decode(errors="backslashreplace").split("\n")[:-1])
                    got_status = "ok" if rc == 0 else "rejected"
                    if got_status != status or (status == "ok" and got != want):
                        name = f"{path}:{line}" if line else path
                        bad.append((f"conformance {name}", "fingerprint" + (" -E md5" if is_md5 else ""), f"{status}: {want}", f"{got_status}: {got}"))
        finally:
            tmp.unlink(missing_ok=True)

    print("file\tcommand\texpected\tgot")
    for row in bad:
        print("\t".join(row))
    print(f"{len(bad)} disagreements", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
