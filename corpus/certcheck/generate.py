#!/usr/bin/env python3
"""Regenerate corpus/certcheck/: certificates and the verdict a server gives
when asked "may this certificate log in here, now?".

    pip install cryptography
    LC_ALL=C.UTF-8 python3 corpus/certcheck/generate.py [--keep-keys DIR]

Needs OpenSSH 9.2's ssh-keygen. Makes three Ed25519 CAs (user-ca, host-ca,
other-ca) and two subject keys in a temporary directory, signs certificates
with `ssh-keygen -s` (absolute UTC validity windows, so the verdicts do not
depend on the clock), and crafts the few that ssh-keygen refuses to make
(malformed force-command and source-address data) in Python, signed with the
user CA's private key. Only public CA keys and certificates are written;
every run makes new keys, file names and verdicts stay the same.
--keep-keys DIR copies the private keys (CAs, subjects) to DIR, outside the
repository, for checking the verdicts against a real sshd.

MANIFEST.tsv has one row per check: path, type_checked (user or host),
principal (the user or host name asked for), now (Unix time), ca (the one
trusted CA key file), expected (ok or the reason id), notes. Where OpenSSH
decides, the notes name the function. A request carries no client address
(source-address is checked for syntax only) and, for user certificates,
requires principals as sshd's TrustedUserCAKeys path does.
"""

import argparse
import base64
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# Validity windows (UTC) and the instants checked.
CURRENT = ("20200101Z", "20400101Z", 1577836800, 2208988800)
FUTURE = ("20300101Z", "20310101Z", 1893456000, 1924992000)
PAST = ("20000101Z", "20010101Z", 946684800, 978307200)
NOW = 1767225600  # 2026-01-01T00:00:00Z

AUTHORITY = "sshkey.c sshkey_cert_check_authority"
USER_PATH = "auth2-pubkey.c user_cert_trusted_ca"
OPTIONS = "auth-options.c cert_option_list (via sshauthopt_from_cert)"
HOST_PATH = "sshkey.c sshkey_cert_check_host (sshconnect.c check_host_key)"

rows = []


def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def ssh_string(b):
    return struct.pack(">I", len(b)) + b


def read_blob(path):
    with open(path) as f:
        return base64.b64decode(f.read().split()[1])


class Maker:
    def __init__(self, tmp):
        self.tmp = tmp
        self.serial = 0
        for name in ("user-ca", "host-ca", "other-ca"):
            key = os.path.join(tmp, name)
            sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name.replace("-ca", "-ca@example.com"),
               "-f", key)
            shutil.copy(key + ".pub", os.path.join(HERE, name + ".pub"))
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@laptop", "-f", os.path.join(tmp, "user"))
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "root@web01", "-f", os.path.join(tmp, "host"))

    def sign(self, name, ca, host=False, principals=None, validity=CURRENT, options=()):
        """ssh-keygen -s; returns the certificate's file name."""
        self.serial += 1
        subject = os.path.join(self.tmp, name + ".pub")
        shutil.copy(os.path.join(self.tmp, "host.pub" if host else "user.pub"), subject)
        args = ["ssh-keygen", "-q", "-s", os.path.join(self.tmp, ca), "-I", f"{name}@example.com",
                "-z", str(self.serial)]
        if host:
            args.append("-h")
        if principals is not None:
            args += ["-n", principals]
        if validity is not None:
            args += ["-V", f"{validity[0]}:{validity[1]}"]
        for o in options:
            args += ["-O", o]
        sh(*args, subject)
        out = f"{name}-cert.pub"
        shutil.copy(os.path.join(self.tmp, name + "-cert.pub"), os.path.join(HERE, out))
        return out

    def craft(self, name, critical, principals=(b"alice",), validity=CURRENT):
        """A user certificate built here, with `critical` as the raw critical
        options field, signed by the user CA the way ssh-keygen signs."""
        from cryptography.hazmat.primitives import serialization

        self.serial += 1
        with open(os.path.join(self.tmp, "user-ca"), "rb") as f:
            ca = serialization.load_ssh_private_key(f.read(), password=None)
        ca_blob = read_blob(os.path.join(self.tmp, "user-ca.pub"))
        user_blob = read_blob(os.path.join(self.tmp, "user.pub"))
        pk = user_blob[4 + 11 + 4:]
        assert user_blob[4:15] == b"ssh-ed25519" and len(pk) == 32
        extensions = b"".join(ssh_string(e) + ssh_string(b"") for e in (
            b"permit-X11-forwarding", b"permit-agent-forwarding", b"permit-port-forwarding",
            b"permit-pty", b"permit-user-rc"))
        signed = (ssh_string(b"ssh-ed25519-cert-v01@openssh.com")
                  + ssh_string(os.urandom(32))
                  + ssh_string(pk)
                  + struct.pack(">QI", self.serial, 1)
                  + ssh_string(f"{name}@example.com".encode())
                  + ssh_string(b"".join(ssh_string(p) for p in principals))
                  + struct.pack(">QQ", validity[2], validity[3])
                  + ssh_string(critical)
                  + ssh_string(extensions)
                  + ssh_string(b"")
                  + ssh_string(ca_blob))
        sig = ssh_string(b"ssh-ed25519") + ssh_string(ca.sign(signed))
        cert = signed + ssh_string(sig)
        out = f"{name}-cert.pub"
        with open(os.path.join(HERE, out), "w", newline="\n") as f:
            f.write(f"ssh-ed25519-cert-v01@openssh.com {base64.b64encode(cert).decode()} alice@laptop\n")
        # ssh-keygen -l parses the certificate and verifies its CA signature
        # (cert_parse); -L would also print the options and dies on the
        # malformed ones
        sh("ssh-keygen", "-l", "-f", os.path.join(HERE, out))
        return out


def row(path, kind, principal, now, ca, expected, notes):
    rows.append((path, kind, principal, str(now), ca, expected, notes))


def opt(name, data):
    return ssh_string(name) + ssh_string(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep-keys", metavar="DIR", help="copy the private keys to DIR (outside the repository)")
    args = ap.parse_args()
    if os.environ.get("LC_ALL") != "C.UTF-8":
        print("note: run with LC_ALL=C.UTF-8", file=sys.stderr)
    v = sh("ssh", "-V").stderr
    if "OpenSSH_9.2" not in v:
        print(f"warning: expected OpenSSH 9.2, found {v.strip()}", file=sys.stderr)
    for f in os.listdir(HERE):
        if f.endswith(".pub"):
            os.remove(os.path.join(HERE, f))
    with tempfile.TemporaryDirectory() as tmp:
        m = Maker(tmp)
        U, H, O = "user-ca.pub", "host-ca.pub", "other-ca.pub"

        c = m.sign("user-alice", "user-ca", principals="alice")
        row(c, "user", "alice", NOW, U, "ok", f"-n alice -V {CURRENT[0]}:{CURRENT[1]}")
        row(c, "user", "bob", NOW, U, "cert.principal",
            f"bob is not listed; {AUTHORITY}: 'name is not a listed principal'")
        row(c, "user", "alice", CURRENT[2] - 1, U, "cert.not_yet_valid",
            f"one second before valid_after; {AUTHORITY}: verify_time < valid_after")
        row(c, "user", "alice", CURRENT[2], U, "ok", f"at valid_after exactly (inclusive); {AUTHORITY}")
        row(c, "user", "alice", CURRENT[3] - 1, U, "ok", f"one second before valid_before; {AUTHORITY}")
        row(c, "user", "alice", CURRENT[3], U, "cert.expired",
            f"at valid_before exactly (exclusive); {AUTHORITY}: verify_time >= valid_before")
        row(c, "host", "alice", NOW, U, "cert.type",
            f"user certificate checked as a host certificate (its signer trusted); {AUTHORITY}: 'not a host certificate'")
        row(c, "user", "alice", NOW, H, "cert.ca.untrusted",
            f"signed by the user CA, only the host CA trusted; {USER_PATH}: sshkey_in_file(TrustedUserCAKeys) fails")

        c = m.sign("user-future", "user-ca", principals="alice", validity=FUTURE)
        row(c, "user", "alice", NOW, U, "cert.not_yet_valid", f"-V {FUTURE[0]}:{FUTURE[1]}; {AUTHORITY}")
        row(c, "user", "alice", FUTURE[2], U, "ok", "at its valid_after")

        c = m.sign("user-expired", "user-ca", principals="alice", validity=PAST)
        row(c, "user", "alice", NOW, U, "cert.expired", f"-V {PAST[0]}:{PAST[1]}; {AUTHORITY}")
        row(c, "user", "bob", NOW, U, "cert.expired",
            f"expired and bob not listed: {AUTHORITY} checks validity before principals")

        c = m.sign("user-bob", "user-ca", principals="bob")
        row(c, "user", "alice", NOW, U, "cert.principal", f"-n bob checked as alice; {AUTHORITY}")
        row(c, "user", "bob", NOW, U, "ok", "-n bob checked as bob")

        c = m.sign("user-no-principals", "user-ca")
        row(c, "user", "alice", NOW, U, "cert.principal.none",
            f"no -n: no principals. {USER_PATH} calls {AUTHORITY} with require_principal=1: "
            "'Certificate lacks principal list', with or without AuthorizedPrincipalsFile. "
            "An authorized_keys cert-authority line without principals= accepts it for any user "
            "(auth2-pubkeyfile.c auth_check_authkey_line passes require_principal=0).")

        c = m.sign("user-multi", "user-ca", principals="alice,bob,carol")
        row(c, "user", "carol", NOW, U, "ok", "-n alice,bob,carol checked as carol")

        c = m.sign("user-wildcard", "user-ca", principals="a*")
        row(c, "user", "alice", NOW, U, "cert.principal",
            f"-n 'a*': user principals are compared with strcmp ({USER_PATH} passes wildcard_pattern=0)")

        c = m.sign("user-forever", "user-ca", principals="alice", validity=None)
        row(c, "user", "alice", NOW, U, "ok", "no -V: valid_after 0, valid_before 2^64-1")
        row(c, "user", "alice", 0, U, "ok", "now = 0: 0 < valid_after is false")

        c = m.sign("user-critical-unknown", "user-ca", principals="alice",
                   options=["critical:foo@example.com=bar"])
        row(c, "user", "alice", NOW, U, "cert.critical_option.unknown",
            f"-O critical:foo@example.com=bar; {OPTIONS}: 'critical option is not supported'")

        c = m.sign("user-extension-unknown", "user-ca", principals="alice",
                   options=["extension:foo@example.com=bar"])
        row(c, "user", "alice", NOW, U, "ok",
            f"-O extension:foo@example.com=bar; {OPTIONS}: an unknown extension is logged and ignored")

        c = m.sign("user-force-command", "user-ca", principals="alice", options=["force-command=/usr/bin/true"])
        row(c, "user", "alice", NOW, U, "ok", "-O force-command=/usr/bin/true (well formed)")

        c = m.sign("user-source-address", "user-ca", principals="alice",
                   options=["source-address=10.0.0.0/8,127.0.0.0/8,::1/128"])
        row(c, "user", "alice", NOW, U, "ok",
            "-O source-address=10.0.0.0/8,127.0.0.0/8,::1/128: valid syntax; whether the client's "
            "address matches is auth2-pubkeyfile.c auth_authorise_keyopts' job and needs an address "
            "(none here; a client outside the list is refused, keyvet's cert.source_address.denied)")

        c = m.sign("user-bob-critical-unknown", "user-ca", principals="bob",
                   options=["critical:foo@example.com=bar"])
        row(c, "user", "alice", NOW, U, "cert.principal",
            f"bob only and an unknown critical option, checked as alice: {USER_PATH} runs "
            f"sshkey_cert_check_authority_now before sshauthopt_from_cert")

        # force-command whose data is not exactly one string (crafted)
        fc = b"force-command"
        for name, data, why in (
                ("fc-unwrapped", b"/usr/bin/true", "the command without its inner length prefix: "
                 "sshbuf_get_cstring reads '/usr' as a length and fails"),
                ("fc-extra-data", ssh_string(b"/usr/bin/true") + ssh_string(b"rm -rf /"),
                 "a string followed by a second string: 'Certificate option \"force-command\" corrupt (extra data)'"),
                ("fc-embedded-nul", ssh_string(b"/usr/bin/true\0; rm -rf /"),
                 "one string holding a NUL byte: sshbuf_get_cstring refuses it (SSH_ERR_INVALID_FORMAT)"),
                ("fc-empty-data", b"", "no data at all: sshbuf_get_cstring fails on an empty buffer"),
        ):
            c = m.craft(name, opt(fc, data))
            row(c, "user", "alice", NOW, U, "cert.force_command", f"crafted, {why}; {OPTIONS}")
        c = m.craft("fc-twice", opt(fc, ssh_string(b"/usr/bin/true")) + opt(fc, ssh_string(b"/usr/bin/id")))
        row(c, "user", "alice", NOW, U, "cert.force_command",
            f"crafted, force-command twice: 'Certificate has multiple force-command options'; {OPTIONS}. "
            "Options not unique: keyvet's strict policy refuses the certificate at parsing already")

        # source-address that fails addr_match_cidr_list(NULL, list) (crafted: ssh-keygen refuses both)
        sa = b"source-address"
        for name, value, why in (
                ("sa-junk", b"not-an-address", "characters outside 0-9a-fA-F.:/ and no address"),
                ("sa-host-bits", b"10.0.0.1/8", "host bits set under the mask: addr_pton_cidr returns -2 "
                 "('Inconsistent mask length')"),
        ):
            c = m.craft(name, opt(sa, ssh_string(value)))
            row(c, "user", "alice", NOW, U, "cert.source_address",
                f"crafted, source-address={value.decode()}: {why}; ssh-keygen -O refuses it "
                f"('Invalid source-address list'); {OPTIONS}: 'source-address contents invalid'")

        c = m.sign("user-other-ca", "other-ca", principals="alice")
        row(c, "user", "alice", NOW, U, "cert.ca.untrusted",
            f"signed by other-ca, user-ca trusted; {USER_PATH}: sshkey_in_file fails first")
        row(c, "user", "alice", NOW, O, "ok", "the same certificate with other-ca trusted")
        c = m.sign("user-other-ca-expired", "other-ca", principals="alice", validity=PAST)
        row(c, "user", "alice", NOW, U, "cert.ca.untrusted",
            f"untrusted CA and expired: {USER_PATH} checks the CA before sshkey_cert_check_authority_now")

        # host certificates
        c = m.sign("host-web01", "host-ca", host=True, principals="web01.example.com,web01")
        row(c, "host", "web01.example.com", NOW, H, "ok", f"-h -n web01.example.com,web01; {HOST_PATH}")
        row(c, "host", "db01.example.com", NOW, H, "cert.principal", f"host name not listed; {HOST_PATH}")
        row(c, "user", "alice", NOW, H, "cert.type",
            f"host certificate presented as a user certificate; {AUTHORITY}: 'not a user certificate' "
            "(the type is checked before the principals; ssh itself never offers a host certificate "
            "for user authentication, sshconnect2.c skips it)")
        row(c, "host", "web01.example.com", NOW, U, "cert.ca.untrusted",
            "signed by host-ca, only user-ca trusted (known_hosts @cert-authority lookup finds no CA)")

        c = m.sign("host-no-principals", "host-ca", host=True)
        row(c, "host", "anything.example.com", NOW, H, "ok",
            f"-h without -n: {HOST_PATH} passes require_principal=0, so no principals means any host")

        c = m.sign("host-wildcard", "host-ca", host=True, principals="*.example.com")
        row(c, "host", "web01.example.com", NOW, H, "cert.principal",
            "-h -n '*.example.com': OpenSSH 9.2's sshconnect.c check_host_key calls sshkey_cert_check_host "
            "with wildcard_principals=0, so the pattern is compared literally")

        c = m.sign("host-expired", "host-ca", host=True, principals="web01.example.com", validity=PAST)
        row(c, "host", "web01.example.com", NOW, H, "cert.expired", f"-h -V {PAST[0]}:{PAST[1]}; {HOST_PATH}")

        c = m.sign("host-critical-unknown", "host-ca", host=True, principals="web01.example.com",
                   options=["critical:foo@example.com=bar"])
        row(c, "host", "web01.example.com", NOW, H, "cert.critical_option.unknown",
            f"-h -O critical:foo@example.com=bar; {HOST_PATH}: 'Certificate contains unsupported critical options'")
        c = m.sign("host-force-command", "host-ca", host=True, principals="web01.example.com",
                   options=["force-command=/usr/bin/true"])
        row(c, "host", "web01.example.com", NOW, H, "cert.critical_option.unknown",
            f"-h -O force-command=/usr/bin/true: {HOST_PATH} refuses every critical option in a host "
            "certificate, known to sshd or not")

        if args.keep_keys:
            os.makedirs(args.keep_keys, exist_ok=True)
            for f in ("user-ca", "host-ca", "other-ca", "user", "host"):
                for ext in ("", ".pub"):
                    shutil.copy(os.path.join(tmp, f + ext), os.path.join(args.keep_keys, f + ext))

    with open(os.path.join(HERE, "MANIFEST.tsv"), "w", newline="\n") as f:
        f.write("path\ttype_checked\tprincipal\tnow\tca\texpected\tnotes\n")
        for r in rows:
            assert all("\t" not in x and "\n" not in x for x in r), r
            f.write("\t".join(r) + "\n")
    print(f"{len(rows)} rows, {len({r[0] for r in rows})} certificates", file=sys.stderr)


if __name__ == "__main__":
    main()
