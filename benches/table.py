#!/usr/bin/env python3
"""Turns a run of `cargo bench --bench compare` into the README's table.

Reads the line counts that the bench writes to
target/criterion/keyvet-compare.json and criterion's median estimates
(target/criterion/GROUP/BENCH/new/estimates.json), and prints a Markdown
table of per-line medians in microseconds with the ratios
keyvet-structural/floor and peer/keyvet-structural.

    python3 benches/table.py               # every corpus of the last runs
    python3 benches/table.py --lines 10000 # only the 10,000-line corpora
    python3 benches/table.py --stages      # and keyvet's stages alone

The criterion directory is $CRITERION_HOME, else $CARGO_TARGET_DIR/criterion,
else target/criterion next to this script's checkout; --criterion DIR
overrides it. --baseline NAME reads a baseline saved with
`-- --save-baseline NAME` instead of the last run (`new`).
"""

import argparse
import json
import os
import sys

KINDS = ["mixed", "rsa4096", "ed25519", "certs", "options"]
TITLES = {
    "mixed": "mixed",
    "rsa4096": "RSA-4096",
    "ed25519": "Ed25519",
    "certs": "certificates",
    "options": "lines with options",
}
MAIN = [
    ("keyvet_full", "keyvet full"),
    ("keyvet_structural", "keyvet structural"),
    ("keyvet_ec", "keyvet structural + EC points"),
    ("floor", "floor"),
    ("ssh-key", "ssh-key"),
    ("openssh-keys", "openssh-keys"),
]
STAGES = [
    ("keyvet_line_parse", "line parse"),
    ("keyvet_base64", "base64"),
    ("keyvet_blob_parse", "blob parse"),
    ("keyvet_sha256", "SHA-256"),
    ("keyvet_md5", "MD5"),
]


def default_dir():
    if os.environ.get("CRITERION_HOME"):
        return os.environ["CRITERION_HOME"]
    if os.environ.get("CARGO_TARGET_DIR"):
        return os.path.join(os.environ["CARGO_TARGET_DIR"], "criterion")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(root, "target", "criterion")


def median_ns(crit, group, bench, baseline):
    path = os.path.join(crit, group, bench, baseline, "estimates.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["median"]["point_estimate"]
    except (OSError, KeyError, ValueError):
        return None


def fmt_us(v):
    if v is None:
        return "–"
    return f"{v:.3f}" if v < 10 else f"{v:.1f}"


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--criterion", default=default_dir(), help="criterion's output directory")
    ap.add_argument("--baseline", default="new", help="criterion baseline (default: new, the last run)")
    ap.add_argument("--lines", type=int, help="only corpora of this many lines")
    ap.add_argument("--stages", action="store_true", help="also print keyvet's stages alone")
    args = ap.parse_args()

    meta_path = os.path.join(args.criterion, "keyvet-compare.json")
    try:
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
    except OSError as e:
        sys.exit(f"{meta_path}: {e} (run `cargo bench --bench compare` first)")

    def order(name):
        kind, _, n = name.rpartition("-")
        return (int(n), KINDS.index(kind) if kind in KINDS else len(KINDS), kind)

    groups = sorted(meta, key=order)
    if args.lines:
        groups = [g for g in groups if meta[g]["lines"] == args.lines]
    if not groups:
        sys.exit("no corpus to show")

    rows = []
    notes = []
    for g in groups:
        m = meta[g]
        lines = m["lines"]
        kind = g.rpartition("-")[0]
        us = {}
        for bench, _ in MAIN + STAGES:
            ns = median_ns(args.criterion, g, bench, args.baseline)
            us[bench] = None if ns is None else ns / lines / 1000.0
        if any(v is not None for v in us.values()):
            rows.append((g, kind, m, us))

    if not rows:
        sys.exit("no estimates: run `cargo bench --bench compare` first")
    print("Median time a line, in µs (criterion's median of a pass over the corpus, divided by its lines).\n")
    head = ["corpus", "lines", "bytes/line"] + [t for _, t in MAIN] + [
        "structural / floor",
        "EC points / floor",
        "ssh-key / structural",
        "openssh-keys / structural",
    ]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["--:"] * (len(head) - 1)) + "|")
    for g, kind, m, us in rows:
        rej = m.get("rejected", {})
        cells = [TITLES.get(kind, kind), f"{m['lines']:,}", f"{m['bytes'] / m['lines']:.0f}"]
        for bench, title in MAIN:
            cell = fmt_us(us[bench])
            r = rej.get(bench, 0)
            if r and us[bench] is not None:
                cell += f" ({'rejects all' if r == m['lines'] else f'rejects {r:,}'})"
            cells.append(cell)
        s = us["keyvet_structural"]
        cells += [
            fmt_ratio(s, us["floor"]),
            fmt_ratio(us["keyvet_ec"], us["floor"]),
            fmt_ratio(us["ssh-key"], s),
            fmt_ratio(us["openssh-keys"], s),
        ]
        print("| " + " | ".join(cells) + " |")
        if m.get("with_options"):
            notes.append(
                f"{TITLES.get(kind, kind)} ({m['lines']:,}): {m['with_options']:,} lines have options, which "
                "ssh-key cannot read: it is given them with the options stripped as the floor does."
            )
    if any(r[2].get("rejected", {}).get("ssh-key") for r in rows):
        notes.append(
            "ssh-key 0.6 rejects certificates valid forever (`-V always:forever`, ssh-keygen's default "
            "validity) with `Error::Time`; it stops reading them at the validity field."
        )
    if any(r[2].get("rejected", {}).get("openssh-keys") for r in rows):
        notes.append("openssh-keys rejects every certificate.")
    notes.append(
        "keyvet full: `policy::OPENSSH` (EC points checked, certificate signatures verified) and both "
        "fingerprints; structural: the same without EC point checks and signature verification; floor: "
        "fields split, base64 decoded, SHA-256 and MD5 of the blob, nothing else."
    )
    for n in notes:
        print(f"\n{n}")

    if args.stages:
        print("\nkeyvet's stages alone, µs a line:\n")
        head = ["corpus"] + [t for _, t in STAGES] + ["sum", "structural", "full"]
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join(["---"] + ["--:"] * (len(head) - 1)) + "|")
        for g, kind, m, us in rows:
            vals = [us[b] for b, _ in STAGES]
            total = sum(vals) if all(v is not None for v in vals) else None
            cells = [f"{TITLES.get(kind, kind)} ({m['lines']:,})"] + [fmt_us(v) for v in vals]
            cells += [fmt_us(total), fmt_us(us["keyvet_structural"]), fmt_us(us["keyvet_full"])]
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
