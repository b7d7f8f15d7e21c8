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
        contenders = [
            ("sshpubkeys", lambda: sshpubkeys_run(lines)),
            ("keyvet check_text, openssh", lambda: keyvet_text(data, "openssh")),
            ("keyvet check_lines, openssh", lambda: keyvet_lines(lines, "openssh")),
            ("keyvet check per line, openssh", lambda: keyvet_each(lines, "openssh")),
            ("keyvet check_text, strict", lambda: keyvet_text(data, "strict")),
        ]
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
    lines = [l for l in data.split(b"\n") if l.strip() and not l.lstrip().startswith(b"#")]
    if len(lines) != 1 or lines[0].lstrip().startswith(b"-") or b"\r" in data:
        return None
    return lines[0]


def sshpubkeys_accepts(line):
    try:
        sshpubkeys.SSHKey(line.decode("utf-8"), strict=True).parse()
        return True
    except Exception:
        return False


def disagreements():
    rows = []
    compared = 0
    for entry in (ROOT / "corpus/keygen-exit.tsv").read_text().splitlines()[1:]:
        path, status, _ = entry.split("\t")
        data = (ROOT / "corpus" / path).read_bytes()
        line = single_key_line(data)
        if line is None:
            continue
        compared += 1
        openssh = status == "0"
        spk = sshpubkeys_accepts(line)
        kv = [v for v in keyvet.check_text(data, policy="openssh")]
        kv_ok = bool(kv) and all(v.valid for v in kv)
        kv_code = next((v.error.code for v in kv if not v.valid), "")
        if spk != openssh or kv_ok != openssh:
            rows.append((path, openssh, spk, kv_ok, kv_code))
    yes = lambda b: "accepts" if b else "refuses"
    spk_wrong = [r for r in rows if r[2] != r[1]]
    kv_wrong = [r for r in rows if r[3] != r[1]]
    print(f"\n{compared:,} one-key files of corpus/ with OpenSSH's verdict recorded:")
    print(f"sshpubkeys (strict) disagrees with OpenSSH on {len(spk_wrong)}, keyvet (openssh) on {len(kv_wrong)}.\n")
    groups = collections.defaultdict(list)
    for path, openssh, spk, kv_ok, code in spk_wrong:
        groups[(os.path.dirname(path), openssh, spk)].append(os.path.basename(path))
    print("| corpus folder | OpenSSH | sshpubkeys | files | examples |")
    print("|---|---|---|---:|---|")
    for (folder, openssh, spk), names in sorted(groups.items(), key=lambda g: -len(g[1])):
        ex = ", ".join(sorted(names)[:4]) + (", ..." if len(names) > 4 else "")
        print(f"| {folder} | {yes(openssh)} | {yes(spk)} | {len(names)} | {ex} |")
    for path, openssh, spk, kv_ok, code in kv_wrong:
        print(f"keyvet differs: {path}: OpenSSH {yes(openssh)}, keyvet {yes(kv_ok)} {code}")


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
