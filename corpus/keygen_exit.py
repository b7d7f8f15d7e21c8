#!/usr/bin/env python3
"""Records what `ssh-keygen -l -f FILE` does with every file of corpus/:
its exit status and a hash of its standard output, into
corpus/keygen-exit.tsv (`path status stdout_sha256`, the hash in
ssh-keygen's own fingerprint form, base64 without padding). keyvet's
`fingerprint --policy openssh` must exit the same on every one of them
(cli/tests/corpus.rs). Skips the manifests, scripts, READMEs, recorded
outputs (`*.sha256`, `*.md5`, `out/`) and the outputs' own directories.

ssh-keygen ignores a private key file others can read ("UNPROTECTED PRIVATE
KEY FILE"), and a checkout makes files 0644; keyvet never looks at modes.
So ssh-keygen runs on a copy of corpus/ whose files are all 0600, as a
user's own key files are.

    LC_ALL=C.UTF-8 python3 corpus/keygen_exit.py
"""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP_EXT = (".tsv", ".py", ".md", ".sha256", ".md5")


def main():
    v = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr
    if "OpenSSH_9.2" not in v:
        sys.exit(f"needs OpenSSH 9.2's ssh-keygen, found {v.strip()}")
    rows = []
    tmp = tempfile.mkdtemp()
    copy = os.path.join(tmp, "corpus")
    shutil.copytree(HERE, copy)
    for root, _, files in os.walk(copy):
        for name in files:
            os.chmod(os.path.join(root, name), 0o600)
    for root, dirs, files in os.walk(HERE):
        dirs[:] = sorted(d for d in dirs if d != "out")
        for name in sorted(files):
            if name.endswith(SKIP_EXT) or name == ".gitattributes":
                continue
            path = os.path.relpath(os.path.join(root, name), HERE)
            r = subprocess.run(
                ["ssh-keygen", "-l", "-f", path],
                cwd=copy,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=60,
            )
            digest = base64.b64encode(hashlib.sha256(r.stdout).digest()).decode().rstrip("=")
            rows.append((path, str(r.returncode), digest))
    shutil.rmtree(tmp)
    with open(os.path.join(HERE, "keygen-exit.tsv"), "w") as f:
        f.write("path\tstatus\tstdout_sha256\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"{len(rows)} files recorded")


if __name__ == "__main__":
    main()
