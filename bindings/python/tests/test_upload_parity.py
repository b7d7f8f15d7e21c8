"""`keyvet.vet` and `keyvet.convert` give the command line's verdicts: for
every file of corpus/ (the pasted uploads, every key form of corpus/convert,
the conformance data under corpus/external/, and every other file as an
upload), `keyvet.vet` equals `keyvet vet --json` under each policy, with and
without repairs, and `keyvet.convert` prints the line, the source form and
the error code `keyvet convert` gives."""

import concurrent.futures
import json
import os
import re
import subprocess

import keyvet
import pytest

from test_cli_parity import corpus_files

VARIANTS = [("strict", False), ("strict", True), ("openssh", False), ("openssh", True)]


def run(cli, root, args):
    r = subprocess.run([cli, *args], cwd=root, capture_output=True, check=False)
    assert r.returncode in (0, 1), f"{args}: keyvet exited {r.returncode}: {r.stderr.decode(errors='replace')}"
    return r


def parallel(fn, items):
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(fn, items))


def python_vet(data, policy, repair):
    try:
        return keyvet.vet(data, policy=policy, repair=repair).to_dict()
    except keyvet.KeyvetError as e:
        return e.record


@pytest.mark.parametrize("policy,repair", VARIANTS)
def test_vet_matches_the_cli_on_every_corpus_file(cli, root, policy, repair):
    files = corpus_files(root)
    args = lambda p: ["vet", "--json", "--policy", policy, *(["--repair"] if repair else []), p]
    expected = parallel(lambda p: json.loads(run(cli, root, args(p)).stdout), files)
    differences = [p for p, want in zip(files, expected) if python_vet((root / p).read_bytes(), policy, repair) != want]
    assert differences == [], f"{len(differences)} files differ, first: {differences[:5]}"
    accepted = sum(1 for e in expected if e["valid"])
    # Both verdicts are well represented: the comparison is not vacuous.
    assert accepted > 200 and len(files) - accepted > 200, accepted


def cli_convert(cli, root, path, policy):
    r = run(cli, root, ["convert", "--policy", policy, path])
    err = r.stderr.decode("utf-8", errors="replace")
    if r.returncode == 0:
        m = re.search(r": converted from (.*)$", err, re.M)
        return ("ok", r.stdout.decode("utf-8", errors="replace").rstrip("\n"), m.group(1) if m else None)
    codes = re.findall(r"\[([a-z0-9_.]+)\]$", err, re.M)
    assert len(codes) == 1, err
    return ("error", codes[0], None)


def python_convert(data, policy):
    try:
        c = keyvet.convert(data, policy=policy)
    except keyvet.KeyvetError as e:
        return ("error", e.code, None)
    return ("ok", c.line, None if c.format == "openssh" else c.format_name)


@pytest.mark.parametrize("policy", ["strict", "openssh"])
def test_convert_matches_the_cli_on_every_corpus_file(cli, root, policy):
    files = corpus_files(root)
    expected = parallel(lambda p: cli_convert(cli, root, p, policy), files)
    differences = [p for p, want in zip(files, expected) if python_convert((root / p).read_bytes(), policy) != want]
    assert differences == [], f"{len(differences)} files differ, first: {differences[:5]}"
    converted = sum(1 for e in expected if e[2] is not None)
    assert converted > 50, converted
