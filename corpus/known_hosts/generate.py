#!/usr/bin/env python3
"""Makes corpus/known_hosts/: known_hosts files written with ssh-keygen, and
what ssh-keygen 9.2 prints for them, for keyvet's drop-in tests.

    LC_ALL=C.UTF-8 python3 corpus/known_hosts/generate.py

Keys are made fresh by ssh-keygen (public halves only are kept); the hashed
file is `ssh-keygen -H` of the plain one. For every file it records
`ssh-keygen -l -f FILE`, `ssh-keygen -l -E md5 -f FILE`, and
`ssh-keygen -F HOST -f FILE` (with and without -q) for a list of hosts:
standard output into `out/`, exit status into MANIFEST.tsv. Tests only read
the committed files.
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")

# Hosts looked up with -F in every file: names, addresses, ports, case,
# wildcards, negation, markers, and names no line is for.
QUERIES = [
    "github.com",
    "GitHub.com",
    "140.82.121.4",
    "www.example.com",
    "old.example.com",
    "example.com",
    "[host.example]:2222",
    "host.example",
    "[host.example]:22",
    "[host.example]:2200",
    "nope.example",
    "web1.lab",
    "web12.lab",
    "db.internal",
    "bad.example.com",
    "10.0.0.7",
    "fe80::1%eth0",
    "tabbed.example",
    "crlf.example",
    "nothere.example",
]


def keygen(*args, env=None):
    return subprocess.run(["ssh-keygen", *args], capture_output=True, env=env)


def main():
    v = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr
    if "OpenSSH_9.2" not in v:
        sys.exit(f"needs OpenSSH 9.2's ssh-keygen, found {v.strip()}")
    tmp = tempfile.mkdtemp()
    try:
        keys = {}
        for name, args in [
            ("ed", ["-t", "ed25519"]),
            ("ec", ["-t", "ecdsa", "-b", "256"]),
            ("ec384", ["-t", "ecdsa", "-b", "384"]),
            ("rsa", ["-t", "rsa", "-b", "2048"]),
            ("rsa1024", ["-t", "rsa", "-b", "1024"]),
        ]:
            path = os.path.join(tmp, name)
            keygen("-q", "-N", "", "-C", "", "-f", path, *args)
            with open(path + ".pub") as f:
                keys[name] = " ".join(f.read().split()[:2])
        lines = [
            "# known_hosts written for keyvet's tests",
            "",
            f"github.com,140.82.121.4 {keys['ed']}",
            f"github.com {keys['rsa']} github rsa",
            f"@cert-authority *.example.com,!old.example.com {keys['ec']} example CA",
            f"@revoked bad.example.com {keys['rsa1024']}",
            f"[host.example]:2222 {keys['ec384']}",
            f"host.example {keys['ed']}",
            f"web?.lab,db.internal {keys['ec']}",
            f"10.0.0.*,!10.0.0.9 {keys['ed']}",
            f"fe80::1%eth0 {keys['ed']}",
            f"tabbed.example\t{keys['ed'].replace(' ', chr(9))}\tcomment",
            f"   indented.example {keys['ed']}",
            f"github.com {keys['ed'][:40]}",
            f"github.com RSA {keys['rsa'].split()[1]}",
            f"crlf.example {keys['ed']} crlf\r",
        ]
        # Lines ssh-keygen -H calls invalid (it refuses to hash a file
        # holding one): appended to both files after hashing.
        invalid = [
            f"@trusted trusted.example {keys['ed']}",
            "github.com ssh-ed25519",
            "nothing.example",
            "github.com ssh-foo AAAAC3NzaC1lZDI1NTE5",
        ]
        hashed = os.path.join(tmp, "hashed")
        with open(hashed, "w", newline="") as f:
            f.write("\n".join(lines) + "\n")
        r = keygen("-H", "-f", hashed)
        if r.returncode != 0:
            sys.exit(f"ssh-keygen -H failed: {r.stderr.decode()}")
        with open(hashed, "a", newline="") as f:
            f.write("\n".join(invalid) + "\n")
        plain = os.path.join(tmp, "plain")
        with open(plain, "w", newline="") as f:
            f.write("\n".join(lines + invalid) + "\n")
        if os.path.isdir(OUT):
            shutil.rmtree(OUT)
        os.makedirs(OUT)
        rows = []
        for name, src in [("plain", plain), ("hashed", hashed)]:
            dst = os.path.join(HERE, name)
            shutil.copy(src, dst)
            cmds = [("l", ["-l", "-f", name]), ("l-md5", ["-l", "-E", "md5", "-f", name])]
            for i, q in enumerate(QUERIES):
                cmds.append((f"F{i:02d}", ["-F", q, "-f", name]))
                cmds.append((f"Fq{i:02d}", ["-q", "-F", q, "-f", name]))
            for tag, args in cmds:
                r = subprocess.run(["ssh-keygen", *args], capture_output=True, cwd=HERE)
                out = f"out/{name}.{tag}"
                with open(os.path.join(HERE, out), "wb") as f:
                    f.write(r.stdout)
                host = args[args.index("-F") + 1] if "-F" in args else ""
                rows.append((name, tag, " ".join(args), host, str(r.returncode), out))
        with open(os.path.join(HERE, "MANIFEST.tsv"), "w") as f:
            f.write("file\ttag\targs\thost\tstatus\tstdout\n")
            for row in rows:
                f.write("\t".join(row) + "\n")
        print(f"{len(rows)} ssh-keygen runs recorded")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
