#!/usr/bin/env python3
"""Makes benches/data/pool.txt: distinct real public keys and certificates
made by ssh-keygen, the material the benches build their corpora from
(benches/corpus.rs mixes them, adds comments and options, and repeats them
up to 10,000 or 100,000 lines).

Run once by a developer, with ssh-keygen from OpenSSH 9.2, and commit the
result (the keys are public; the private keys stay in a temporary
directory that is deleted):

    LC_ALL=C.UTF-8 python3 benches/data/make_pool.py

It takes a few minutes (RSA-4096 key generation). The output has one key a
line, `KIND TYPE BASE64`, with no comment (the corpus generator writes the
comments). KIND is one of `ed25519`, `rsa-2048`, `rsa-3072`, `rsa-4096`,
`ecdsa-256`, `ecdsa-384`, `ecdsa-521`, or for a certificate
`cert:KEYKIND:ca-CAKIND:user|host`.
"""

import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "pool.txt")

# Plain keys: (kind, ssh-keygen -t, -b, count).
PLAIN = [
    ("ed25519", "ed25519", None, 300),
    ("rsa-2048", "rsa", 2048, 40),
    ("rsa-3072", "rsa", 3072, 40),
    ("rsa-4096", "rsa", 4096, 100),
    ("ecdsa-256", "ecdsa", 256, 50),
    ("ecdsa-384", "ecdsa", 384, 30),
    ("ecdsa-521", "ecdsa", 521, 20),
]

# Certificate authorities: (kind, -t, -b, signature algorithm for -t at
# signing time or None).
CAS = [
    ("ed25519", "ed25519", None, None),
    ("rsa-3072", "rsa", 3072, "rsa-sha2-256"),
    ("rsa-4096", "rsa", 4096, "rsa-sha2-512"),
    ("ecdsa-256", "ecdsa", 256, None),
    ("ecdsa-384", "ecdsa", 384, None),
    ("ecdsa-521", "ecdsa", 521, None),
]

# Certified keys (90), in about the proportions of the mix's plain keys:
# 40 Ed25519, 35 RSA, 15 ECDSA; the CA types cycle over CAS.
CERT_KEYS = (
    ["ed25519"] * 40
    + ["rsa-2048"] * 10
    + ["rsa-3072"] * 12
    + ["rsa-4096"] * 13
    + ["ecdsa-256"] * 9
    + ["ecdsa-384"] * 4
    + ["ecdsa-521"] * 2
)

USERS = ["alice", "bob", "carol", "dave", "deploy", "root", "git", "backup", "ci", "ops"]
HOSTS = ["web-01", "web-02", "db-01", "bastion", "build-7", "cache-3", "mail", "vpn-gw"]
DOMAIN = "example.internal"

USER_OPTIONS = [
    [],
    [],
    ["-O", "source-address=10.0.0.0/8,192.168.0.0/16"],
    ["-O", "force-command=/usr/local/bin/backup --pull /srv/data"],
    ["-O", "clear", "-O", "permit-pty"],
    ["-O", "no-port-forwarding", "-O", "no-x11-forwarding"],
    ["-O", "force-command=/usr/bin/rsync --server -logDtpre.iLsfxC . /srv", "-O", "source-address=10.1.2.0/24"],
]

VALIDITY = ["20240101:20340101", "20250601:20260601", "always:forever", "20230315123000:20330315123000"]


def keygen(path, typ, bits):
    cmd = ["ssh-keygen", "-q", "-t", typ, "-N", "", "-C", "", "-f", path]
    if bits is not None:
        cmd[4:4] = ["-b", str(bits)]
    subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL)


def read_pub(path):
    with open(path, encoding="ascii") as f:
        fields = f.read().split()
    return fields[0], fields[1]


def main():
    version = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr.strip()
    if "OpenSSH_9.2" not in version:
        print(f"warning: made for ssh-keygen 9.2, this is {version}", file=sys.stderr)
    rng = random.Random(20240501)
    out = [
        "# keyvet bench key pool: real keys made by benches/data/make_pool.py",
        f"# with {version}; public keys only. KIND TYPE BASE64",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        by_kind = {}
        n = 0
        for kind, typ, bits, count in PLAIN:
            for i in range(count):
                n += 1
                path = os.path.join(tmp, f"k{n}")
                keygen(path, typ, bits)
                os.remove(path)  # the private key
                by_kind.setdefault(kind, []).append(path + ".pub")
                t, b64 = read_pub(path + ".pub")
                out.append(f"{kind} {t} {b64}")
            print(f"{kind}: {count}", file=sys.stderr)
        cas = []
        for kind, typ, bits, sig in CAS:
            path = os.path.join(tmp, f"ca-{kind}")
            keygen(path, typ, bits)
            cas.append((kind, path, sig))
        serial = 1000
        for i, key_kind in enumerate(CERT_KEYS):
            # The certified key: a key of the pool (a certificate is made
            # for a key its owner already has).
            pub = by_kind[key_kind][i % len(by_kind[key_kind])]
            ca_kind, ca_path, sig = cas[i % len(cas)]
            host = i % 4 == 3
            serial += 1
            cert_path = os.path.join(tmp, f"c{i}")
            cmd = ["ssh-keygen", "-q", "-s", ca_path, "-z", str(serial), "-V", rng.choice(VALIDITY)]
            if sig:
                cmd += ["-t", sig]
            if host:
                h = rng.choice(HOSTS)
                ident = f"host {h}"
                principals = f"{h}.{DOMAIN},{h}"
                cmd += ["-h", "-I", ident, "-n", principals]
            else:
                users = rng.sample(USERS, rng.choice([1, 1, 2, 3]))
                ident = f"{users[0]}@{DOMAIN} issued by ca-{ca_kind}"
                cmd += ["-I", ident, "-n", ",".join(users)]
                cmd += rng.choice(USER_OPTIONS)
            # ssh-keygen writes NAME-cert.pub next to NAME.pub.
            subprocess.run(["cp", pub, cert_path + ".pub"], check=True)
            cmd.append(cert_path + ".pub")
            subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL, capture_output=True)
            t, b64 = read_pub(cert_path + "-cert.pub")
            out.append(f"cert:{key_kind}:ca-{ca_kind}:{'host' if host else 'user'} {t} {b64}")
        print(f"certificates: {len(CERT_KEYS)}", file=sys.stderr)
        for _, ca_path, _ in cas:
            os.remove(ca_path)
    with open(OUT, "w", encoding="ascii") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {OUT}: {len(out) - 2} keys, {os.path.getsize(OUT)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
