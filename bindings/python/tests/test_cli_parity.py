"""Every verdict of the Python package equals the command line's: for every
file of corpus/ (the conformance data included, under corpus/external/) and
both policies, `keyvet.check_file(path)` gives exactly the JSON objects that
`keyvet check --json path` prints, in the same order."""

import concurrent.futures
import json
import os
import subprocess

import keyvet
import pytest

POLICIES = ["strict", "openssh"]


def corpus_files(root):
    out = []
    for dirpath, _, names in os.walk(root / "corpus"):
        for n in names:
            out.append(os.path.relpath(os.path.join(dirpath, n), root))
    return sorted(out)


def cli_records(cli, root, path, policy):
    r = subprocess.run(
        [cli, "check", "--json", "-j", "1", "--policy", policy, path],
        cwd=root,
        capture_output=True,
        check=False,
    )
    # 0: every line valid; 1: some invalid. Anything else is a failure of the run.
    assert r.returncode in (0, 1), f"{path}: keyvet exited {r.returncode}: {r.stderr.decode(errors='replace')}"
    # Split on newlines only: str.splitlines() would also split inside JSON
    # strings that hold U+2028, U+0085 and the like, which JSON leaves raw.
    return [json.loads(line) for line in r.stdout.decode("utf-8").split("\n") if line]


@pytest.mark.parametrize("policy", POLICIES)
def test_every_corpus_file_matches_the_cli(cli, root, policy):
    files = corpus_files(root)
    assert len(files) > 2000, "the corpus is missing"
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        expected = dict(zip(files, pool.map(lambda p: cli_records(cli, root, p, policy), files)))
    cwd = os.getcwd()
    os.chdir(root)
    try:
        differences = []
        records = 0
        for path in files:
            got = [v.to_dict() for v in keyvet.check_file(path, policy=policy)]
            records += len(got)
            if got != expected[path]:
                differences.append(path)
    finally:
        os.chdir(cwd)
    assert differences == [], f"{len(differences)} files differ, first: {differences[:5]}"
    # Most files hold keys: the comparison is not vacuous.
    assert records > 3000
