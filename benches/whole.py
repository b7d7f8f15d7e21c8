#!/usr/bin/env python3
"""Whole processes, paired: keyvet against `ssh-keygen -l -f` on the bench corpora.

    python3 benches/whole.py [--runs 7] [--lines 10000] [--corpora plain,certmix,mixed]
                             [--other NAME=PATH ...]

Builds the release CLI and writes each corpus with `examples/bench_corpus.rs`
(the bytes `cargo bench --bench compare` uses) into target/whole/, then runs,
round after round, every command on every corpus in one order per round
(rotated, so that no command always runs first); all on one core (`-j 1`;
ssh-keygen has one thread). Prints the median wall time of each command and
the median of the per-round ratios ssh-keygen / keyvet: "5.0x" means keyvet
took a fifth of ssh-keygen's time in the same round.

`--stages` instead times `keyvet check` (strict) on the first corpus with
the weak-key checks turned off one group after another, each with all the
previous groups: where strict's time goes.

`--other NAME=PATH` adds another keyvet binary's commands, e.g. one built with
`--features keyvet/verify-aws-lc` into its own target directory:

    cargo build --release -p keyvet-cli --features keyvet/verify-aws-lc --target-dir target/aws-lc
    python3 benches/whole.py --other aws-lc=target/aws-lc/release/keyvet
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

# Groups of weak-key checks, in the order --stages turns them off.
STAGES = [
    ["weak.rsa.shared_prime"],
    ["weak.rsa.small_factor"],
    ["weak.rsa.poly", "weak.rsa.bias"],
    ["weak.rsa.fermat", "weak.rsa.square"],
    ["all"],
]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--lines", type=int, default=10000)
    ap.add_argument("--corpora", default="plain,certmix,mixed")
    ap.add_argument("--other", action="append", default=[], metavar="NAME=PATH")
    ap.add_argument("--stages", action="store_true")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "keyvet-cli", "--example", "bench_corpus", "-p", "keyvet"],
                   cwd=ROOT, check=True)
    out = os.path.join(ROOT, "target", "whole")
    os.makedirs(out, exist_ok=True)
    files = {}
    for kind in args.corpora.split(","):
        path = os.path.join(out, f"{kind}-{args.lines}.pub")
        with open(path, "wb") as f:
            subprocess.run([os.path.join(ROOT, "target/release/examples/bench_corpus"), kind, str(args.lines)],
                           stdout=f, check=True)
        files[kind] = path

    binaries = [("keyvet", os.path.join(ROOT, "target/release/keyvet"))]
    for o in args.other:
        name, _, path = o.partition("=")
        binaries.append((name, os.path.abspath(path)))
    commands = [("ssh-keygen -l", lambda f: ["ssh-keygen", "-l", "-f", f])]
    if args.stages:
        files = dict(list(files.items())[:1])
        exe = binaries[0][1]
        off = []
        for group in STAGES:
            off += group
            label = "strict without " + ", ".join(c.removeprefix("weak.") for c in off)
            flags = [x for c in off for x in ("--disable", c)]
            commands.append((label, lambda f, fl=flags: [exe, "check", "-q", "-j", "1", *fl, f]))
        commands.insert(1, ("strict", lambda f: [exe, "check", "-q", "-j", "1", f]))
    for name, exe in ([] if args.stages else binaries):
        commands += [
            (f"{name} fingerprint --policy openssh", lambda f, e=exe: [e, "fingerprint", "--policy", "openssh", "-j", "1", f]),
            (f"{name} check --policy openssh", lambda f, e=exe: [e, "check", "-q", "--policy", "openssh", "-j", "1", f]),
            (f"{name} check (strict)", lambda f, e=exe: [e, "check", "-q", "-j", "1", f]),
        ]

    times = {(k, c): [] for k in files for c, _ in commands}
    for r in range(args.runs):
        for k, f in files.items():
            order = commands[r % len(commands):] + commands[:r % len(commands)]
            for name, argv in order:
                t = time.perf_counter()
                subprocess.run(argv(f), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[(k, name)].append(time.perf_counter() - t)
        print(f"round {r + 1}/{args.runs} done", file=sys.stderr)

    print(f"| corpus | command | median s | ssh-keygen / command (median of {args.runs} paired rounds) |")
    print("|---|---|--:|--:|")
    for k in files:
        base = times[(k, "ssh-keygen -l")]
        for name, _ in commands:
            t = times[(k, name)]
            ratio = statistics.median(b / x for b, x in zip(base, t))
            print(f"| {k} | `{name}` | {statistics.median(t):.3f} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
