#!/usr/bin/env python3
"""keyvet's Python package beside python sshpubkeys, in one run on the same
lines, and where each disagrees with OpenSSH.

Throughput: the bench corpora (`examples/bench_corpus.rs`, the bytes the
Rust benches use), one thread, every contender run in each round in a
rotated order; medians of the rounds. The task is the same for all: a
verdict and the SHA256 fingerprint for every line.

  sshpubkeys          SSHKey(line, strict=True).parse(), then hash_sha256()
  keyvet check_text   keyvet.check_text(whole text), then .valid, .sha256
  keyvet check_lines  keyvet.check_lines(list of lines) (streamed)
  keyvet check        keyvet.check(line) for each line, then .sha256

Disagreements: every file of corpus/ that holds exactly one OpenSSH key
line and whose `ssh-keygen -l` exit status is recorded in
corpus/keygen-exit.tsv (OpenSSH 9.2 accepts the line when it exits 0);
sshpubkeys (strict) and keyvet (`--policy openssh`) each accept or refuse.

  python3 benches/python_peers.py [--lines 10000] [--rounds 7] [--kinds plain,mixed]

Needs the keyvet package and sshpubkeys installed (pip install
./bindings/python sshpubkeys) and cargo for the corpora.
"""

import argparse
import collections
import os
import pathlib
import statistics
import subprocess
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import keyvet  # noqa: E402
import sshpubkeys  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]


def corpus(kind, lines):
    out = subprocess.run(
        ["cargo", "run", "-q", "--release", "--example", "bench_corpus", "--", kind, str(lines)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    return out


def sshpubkeys_run(lines):
    ok = 0
    for line in lines:
        try:
            k = sshpubkeys.SSHKey(line, strict=True)
            k.parse()
            k.hash_sha256()
            ok += 1
        except Exception:  # sshpubkeys raises several kinds, NotImplementedError included
            pass
    return ok


def keyvet_text(data, policy):
    return sum(1 for v in keyvet.check_text(data, policy=policy) if v.valid and v.sha256)


def keyvet_lines(lines, policy):
    return sum(1 for v in keyvet.check_lines(lines, policy=policy) if v.valid and v.sha256)


def keyvet_each(lines, policy):
    ok = 0
    for line in lines:
        try:
            if keyvet.check(line, policy=policy).sha256:
                ok += 1
        except keyvet.KeyvetError:
            pass
    return ok


def throughput(kinds, n, rounds):
    rows = []
    for kind in kinds:
        data = corpus(kind, n)
        lines = data.decode().splitlines()
        # The lines sshpubkeys reads: it refuses certificates at their type
        # name, unread, while keyvet verifies their CA signatures.
        no_certs = "\n".join(l for l in lines if "-cert-v01@openssh.com " not in l).encode() + b"\n"
        contenders = [
            ("sshpubkeys", lambda: sshpubkeys_run(lines)),
            ("keyvet check_text, openssh", lambda: keyvet_text(data, "openssh")),
            ("keyvet check_lines, openssh", lambda: keyvet_lines(lines, "openssh")),
            ("keyvet check per line, openssh", lambda: keyvet_each(lines, "openssh")),
            ("keyvet check_text, strict", lambda: keyvet_text(data, "strict")),
        ]
        if no_certs.count(b"\n") < len(lines):
            contenders.append(("keyvet check_text, openssh, certificate lines left out", lambda: keyvet_text(no_certs, "openssh")))
        times = collections.defaultdict(list)
        accepted = {}
        for r in range(rounds):
            order = contenders[r % len(contenders):] + contenders[: r % len(contenders)]
            for name, f in order:
                t = time.perf_counter()
                accepted[name] = f()
                times[name].append(time.perf_counter() - t)
        base = statistics.median(times["sshpubkeys"])
        for name, _ in contenders:
            m = statistics.median(times[name])
            rows.append((kind, name, len(lines), accepted[name], m, len(lines) / m, base / m))
    print(f"\n{n:,} lines a corpus, {rounds} rounds, medians (one thread):\n")
    print("| corpus | contender | lines accepted | median s | lines/s | x sshpubkeys |")
    print("|---|---|---:|---:|---:|---:|")
    for kind, name, total, ok, m, rate, ratio in rows:
        print(f"| {kind} | {name} | {ok:,} of {total:,} | {m:.4f} | {rate:,.0f} | {ratio:.1f}x |")


def single_key_line(data):
    """The one key line of a file, or None for files of several lines, blocks
    and files with a CR (which ssh-keygen reads differently)."""
    lines = [l for l in data.split(b"\n") if l.strip() and not l.lstrip().startswith(b"#")]
    if len(lines) != 1 or lines[0].lstrip().startswith(b"-") or b"\r" in data:
        return None
    return lines[0]


def sshpubkeys_verdict(line):
    """None when sshpubkeys (strict) accepts the line, else why it refuses
    (its exception, with the bytes it quotes left out)."""
    try:
        sshpubkeys.SSHKey(line.decode("utf-8"), strict=True).parse()
        return None
    except Exception as e:  # several kinds, NotImplementedError included
        msg = str(e).split(":")[0].split(" b'")[0].split(' b"')[0].strip()
        return f"{type(e).__name__}: {msg}"[:70]


# Why keyvet's verdict (check --policy openssh) differs from ssh-keygen -l's
# on purpose (docs/openssh-differences.md).
KEYVET_REASONS = [
    ("keygen-private-key-in-options", "ssh-keygen -l reads a file holding PRIVATE KEY as a private key file (`keyvet fingerprint` does the same)"),
    ("mldsa44", "ML-DSA-44 hybrid keys (OpenSSH 10.4), which 9.2 does not know"),
    ("options.", "authorized_keys options checked as sshd's auth-options.c reads them (ssh-keygen -l skips them; keyvet is stricter on a few: docs/openssh-differences.md)"),
]


def disagreements():
    compared = 0
    spk_rows = collections.defaultdict(list)
    kv_rows = collections.defaultdict(list)
    for entry in (ROOT / "corpus/keygen-exit.tsv").read_text().splitlines()[1:]:
        path, status, _ = entry.split("\t")
        data = (ROOT / "corpus" / path).read_bytes()
        line = single_key_line(data)
        if line is None:
            continue
        compared += 1
        openssh = status == "0"
        why = sshpubkeys_verdict(line)
        if (why is None) != openssh:
            spk_rows[(openssh, why or "-")].append(path)
        kv = keyvet.check_text(data, policy="openssh")
        kv_ok = bool(kv) and all(v.valid for v in kv)
        if kv_ok != openssh:
            code = next((v.error.code for v in kv if not v.valid), "")
            reason = next((r for k, r in KEYVET_REASONS if k in os.path.basename(path) or code.startswith(k)), "not explained")
            kv_rows[(openssh, reason)].append(path)
    n_spk = sum(len(v) for v in spk_rows.values())
    n_kv = sum(len(v) for v in kv_rows.values())
    print(f"\n{compared:,} one-key files of corpus/ with ssh-keygen -l's verdict recorded (OpenSSH 9.2):")
    print(f"sshpubkeys 3 (strict) disagrees on {n_spk}, keyvet (openssh) on {n_kv}.\n")
    yes = lambda b: "accepts" if b else "refuses"
    print("Lines OpenSSH refuses and sshpubkeys accepts (what is wrong: keyvet's code):\n")
    print("| file | keyvet says |")
    print("|---|---|")
    for (openssh, why), paths in spk_rows.items():
        if not openssh:
            for p in sorted(paths):
                kv = keyvet.check_text((ROOT / "corpus" / p).read_bytes(), policy="openssh")
                code = next((v.error.code for v in kv if not v.valid), "accepts (see below)")
                print(f"| {p} | {code} |")
    print("\nLines OpenSSH accepts and sshpubkeys refuses, by sshpubkeys' reason:\n")
    print("| sshpubkeys says | files | examples |")
    print("|---|---:|---|")
    for (openssh, why), paths in sorted(spk_rows.items(), key=lambda g: -len(g[1])):
        if openssh:
            ex = ", ".join(sorted(paths)[:3]) + (", ..." if len(paths) > 3 else "")
            print(f"| {why} | {len(paths)} | {ex} |")
    print("\nkeyvet (check, --policy openssh) against ssh-keygen -l:\n")
    print("| OpenSSH | keyvet | why | files | examples |")
    print("|---|---|---|---:|---|")
    for (openssh, reason), paths in sorted(kv_rows.items(), key=lambda g: -len(g[1])):
        ex = ", ".join(sorted(paths)[:3]) + (", ..." if len(paths) > 3 else "")
        print(f"| {yes(openssh)} | {yes(not openssh)} | {reason} | {len(paths)} | {ex} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--kinds", default="plain,mixed")
    ap.add_argument("--no-throughput", action="store_true")
    ap.add_argument("--no-disagreements", action="store_true")
    a = ap.parse_args()
    print(f"keyvet {keyvet.__version__}, sshpubkeys {sshpubkeys.__version__ if hasattr(sshpubkeys, '__version__') else '?'}, Python {sys.version.split()[0]}")
    if not a.no_throughput:
        throughput(a.kinds.split(","), a.lines, a.rounds)
    if not a.no_disagreements:
        disagreements()


if __name__ == "__main__":
    main()
