"""Every verdict of the Python package equals the command line's: for every
file of corpus/ (the conformance data included, under corpus/external/) and
both policies, `keyvet.check_file(path)` (streamed) and `keyvet.check_text`
(the whole text at once) give exactly the JSON objects that
`keyvet check --json path` prints, in the same order, and `to_json()` the
very bytes of its lines; the attributes read without the record
(`valid`, `line`, `algorithm`, `bits`, `sha256`, `md5`, `comment`) agree
with it."""

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


FAST = ["valid", "file", "line", "algorithm", "bits", "sha256", "md5", "comment"]


def run_check(cli, root, files, policy):
    r = subprocess.run(
        [cli, "check", "--json", "-j", "1", "--policy", policy, "--", *files],
        cwd=root,
        capture_output=True,
        check=False,
    )
    # 0: every line valid; 1: some invalid. Anything else is a failure of the run.
    assert r.returncode in (0, 1), f"keyvet exited {r.returncode}: {r.stderr.decode(errors='replace')}"
    # Split on newlines only: str.splitlines() would also split inside JSON
    # strings that hold U+2028, U+0085 and the like, which JSON leaves raw.
    return [line for line in r.stdout.decode("utf-8").split("\n") if line]


def cli_lines(cli, root, files, policy):
    """The raw lines `keyvet check --json` prints for each file, as a run of
    that file alone gives them. One run reads every file (its records name
    their file); but a run screens its keys for shared primes as one batch,
    so the files where that run found one are run again alone."""
    out = {path: [] for path in files}
    for line in run_check(cli, root, files, policy):
        out[json.loads(line)["file"]].append(line)
    for path, lines in out.items():
        if any("weak.rsa.shared_prime" in line for line in lines):
            out[path] = run_check(cli, root, [path], policy)
    return out


@pytest.mark.parametrize("policy", POLICIES)
def test_every_corpus_file_matches_the_cli(cli, root, policy):
    files = corpus_files(root)
    assert len(files) > 2000, "the corpus is missing"
    expected = cli_lines(cli, root, files, policy)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        differences = []
        records = 0
        for path in files:
            want = expected[path]
            streamed = list(keyvet.check_file(path, policy=policy))
            whole = keyvet.check_text((root / path).read_bytes(), path, policy=policy)
            records += len(streamed)
            for verdicts in (streamed, whole):
                # The fast attributes first (before the record is made).
                fast = [tuple(getattr(v, k) for k in FAST) for v in verdicts]
                if [v.to_json() for v in verdicts] != want:
                    differences.append(path)
                    continue
                records_ = [json.loads(line) for line in want]
                if [v.to_dict() for v in verdicts] != records_ or fast != [tuple(r.get(k) for k in FAST) for r in records_]:
                    differences.append(path)
    finally:
        os.chdir(cwd)
    assert differences == [], f"{len(differences)} files differ, first: {differences[:5]}"
    # Most files hold keys: the comparison is not vacuous.
    assert records > 3000
