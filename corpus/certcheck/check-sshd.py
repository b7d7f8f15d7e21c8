#!/usr/bin/env python3
"""Development aid: replay corpus/certcheck/MANIFEST.tsv against a real
OpenSSH 9.2 sshd and ssh on 127.0.0.1, and list where they disagree.

    LC_ALL=C.UTF-8 python3 corpus/certcheck/generate.py --keep-keys /tmp/cckeys
    python3 corpus/certcheck/check-sshd.py /tmp/cckeys

Only for a throwaway root machine: needs /usr/sbin/sshd (Debian's
openssh-server 9.2), `faketime`, /run/sshd, and local accounts alice, bob
and carol that sshd does not consider locked (for example `useradd -m alice;
usermod -p '*' alice`). Each row starts `sshd -dd` (one connection, then it
exits) on port 22222 under faketime at the row's `now`. User rows: sshd
trusts the row's CA (TrustedUserCAKeys) and ssh logs in as the principal
with the certificate; the reason is read from sshd's log. Host rows: sshd
presents the certificate as its host certificate and ssh (under faketime)
checks it against an @cert-authority line for the principal; the reason is
read from ssh's log. Not checkable this way: a host certificate offered for
user authentication (ssh never offers one; sshconnect2.c skips it).
"""
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time

CC = os.path.dirname(os.path.abspath(__file__))
KEYS = None
TMP = None
PORT = 22222

REASONS = [
    ("Certificate invalid: expired", "cert.expired"),
    ("Certificate invalid: not yet valid", "cert.not_yet_valid"),
    ("name is not a listed principal", "cert.principal"),
    ("Certificate lacks principal list", "cert.principal.none"),
    ("not a user certificate", "cert.type"),
    ("not a host certificate", "cert.type"),
    ("is not supported", "cert.critical_option.unknown"),
    ("unsupported critical options", "cert.critical_option.unknown"),
    ('"force-command"', "cert.force_command"),
    ("force-command options", "cert.force_command"),
    ("source-address", "cert.source_address"),
    ("is not listed in", "cert.ca.untrusted"),
]


def faketime(now):
    t = datetime.datetime.fromtimestamp(int(now), datetime.timezone.utc)
    return ["faketime", "-f", t.strftime("@%Y-%m-%d %H:%M:%S")]


def start_sshd(cfg_lines, now, log):
    cfg = os.path.join(TMP, "sshd_config")
    with open(cfg, "w") as f:
        f.write("\n".join([f"Port {PORT}", "ListenAddress 127.0.0.1", "UsePAM no", "StrictModes no",
                           "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                           "AuthorizedKeysFile none", "LogLevel DEBUG2", "PidFile none"] + cfg_lines) + "\n")
    logf = open(log, "w")
    env = dict(os.environ, TZ="UTC")
    p = subprocess.Popen(faketime(now) + ["/usr/sbin/sshd", "-dd", "-e", "-f", cfg], stderr=logf,
                         stdout=subprocess.DEVNULL, env=env)
    for _ in range(100):
        time.sleep(0.05)
        if "Server listening" in open(log).read():
            break
    return p


def classify(text):
    for needle, rid in REASONS:
        if needle in text:
            return rid
    return "?"


def user_row(path, principal, now, ca):
    subject = "host" if path.startswith("host-") else "user"
    log = os.path.join(TMP, "sshd.log")
    p = start_sshd(["HostKey /etc/ssh/ssh_host_ed25519_key", f"TrustedUserCAKeys {CC}/{ca}"], now, log)
    r = subprocess.run(["ssh", "-F", "/dev/null", "-p", str(PORT), "-i", f"{KEYS}/{subject}",
                        "-o", f"CertificateFile={CC}/{path}", "-o", "IdentitiesOnly=yes",
                        "-o", "IdentityAgent=none", "-o", "StrictHostKeyChecking=no",
                        "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                        "-o", "PreferredAuthentications=publickey", f"{principal}@127.0.0.1", "true"],
                       capture_output=True, text=True, timeout=30)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    text = open(log).read()
    if r.returncode == 0:
        return "ok", ""
    lines = [ln for ln in text.splitlines() if any(n in ln for n, _ in REASONS)]
    return classify("\n".join(lines)), " | ".join(x.strip() for x in lines[:2])


def host_row(path, principal, now, ca):
    subject = "host" if path.startswith("host-") else "user"
    log = os.path.join(TMP, "sshd.log")
    p = start_sshd([f"HostKey {KEYS}/{subject}", f"HostCertificate {CC}/{path}"], now, log)
    kh = os.path.join(TMP, "known_hosts")
    with open(kh, "w") as f:
        f.write(f"@cert-authority {principal} {open(os.path.join(CC, ca)).read().strip()}\n")
    env = dict(os.environ, TZ="UTC")
    r = subprocess.run(faketime(now) + ["ssh", "-v", "-F", "/dev/null", "-p", str(PORT),
                                        "-o", f"UserKnownHostsFile={kh}", "-o", "GlobalKnownHostsFile=/dev/null",
                                        "-o", f"HostKeyAlias={principal}", "-o", "StrictHostKeyChecking=yes",
                                        "-o", "HostKeyAlgorithms=ssh-ed25519-cert-v01@openssh.com",
                                        "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                                        "-o", "PreferredAuthentications=publickey", "nobody@127.0.0.1", "true"],
                       capture_output=True, text=True, timeout=30, env=env)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    err = r.stderr
    lines = [ln for ln in err.splitlines() if any(n in ln for n, _ in REASONS)]
    if lines:
        return classify("\n".join(lines)), " | ".join(x.strip() for x in lines[:2])
    if "Host key verification failed" in err:
        return "cert.ca.untrusted", "Host key verification failed (no @cert-authority match)"
    if "matches the ED25519-CERT host certificate" in err:
        return "ok", ""
    return "?", err.strip().splitlines()[-1] if err.strip() else ""


def main():
    global KEYS, TMP
    if len(sys.argv) != 2:
        sys.exit("usage: check-sshd.py KEYS_DIR (from generate.py --keep-keys KEYS_DIR)")
    KEYS = os.path.abspath(sys.argv[1])
    TMP = tempfile.mkdtemp(prefix="certcheck-sshd-")
    rows = [ln.rstrip("\n").split("\t") for ln in open(os.path.join(CC, "MANIFEST.tsv"))][1:]
    bad = 0
    for path, kind, principal, now, ca, expected, _notes in rows:
        if kind == "user" and path.startswith("host-"):
            print(f"SKIP {path} {kind} {principal}: ssh does not offer a host certificate for user authentication")
            continue
        got, why = (user_row if kind == "user" else host_row)(path, principal, now, ca)
        mark = "OK  " if got == expected else "DIFF"
        bad += got != expected
        print(f"{mark} {path} {kind} {principal} {now} {ca}: manifest {expected}; openssh {got}  [{why}]", flush=True)
    print(f"{bad} differences")
    shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
