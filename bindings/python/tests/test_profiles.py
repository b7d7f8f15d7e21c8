"""`keyvet.profiles` serves the cloud import APIs as `keyvet import` does:
the same run of requests (every pasted upload of corpus/pasted, valid keys,
repeated names and keys, bad names, tags, projects and regions) against one
store gives the same response bodies, request and key IDs aside."""

import json
import subprocess

import pytest

from keyvet import profiles

RANDOM_IDS = {"RequestId", "KeyId", "keyId", "KeyPairId"}


def masked(value):
    if isinstance(value, dict):
        return {k: ("<id>" if k in RANDOM_IDS else masked(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


def requests_for(p, root):
    """A run of requests in the profile's own parameter names."""
    keys = [f.read_text(errors="replace") for f in sorted((root / "corpus/pasted/inputs").iterdir())]
    keys += [f.read_text() for f in sorted((root / "corpus/valid").glob("rsa-*.pub"))]
    n, k = p.params["name"], p.params["public_key"]
    extra = {}
    if p.params["region"]:
        extra[p.params["region"]] = "cn-hangzhou"
    if p.params["project"]:
        extra[p.params["project"]] = 0
    reqs = [dict(extra, **{n: f"key{i}", k: key}) for i, key in enumerate(keys)]
    rsa = keys[-1]
    reqs += [
        dict(extra, **{n: "key0", k: rsa}),  # a name taken
        dict(extra, **{n: "again", k: rsa}),  # a key stored twice
        dict(extra, **{n: "", k: rsa}),
        dict(extra, **{n: "x" * 200, k: rsa}),
        dict(extra, **{n: "bad name!", k: rsa}),
        dict(extra, **{k: rsa}),
        dict(extra, **{n: "nokey"}),
        {n: "noscope", k: rsa},
    ]
    if p.params["region"]:
        reqs.append(dict(extra, **{n: "otherregion", k: keys[-2], p.params["region"]: "cn-beijing"}))
        reqs.append(dict(extra, **{n: "tagged", k: rsa, "Tag.1.Key": "team", "Tag.1.Value": "ops"}))
        reqs.append(dict(extra, **{n: "badtag", k: rsa, "Tag.1.Key": "acs:x", "Tag.1.Value": "ops"}))
    if p.params["project"]:
        reqs.append(dict(extra, **{n: "otherproject", k: rsa, p.params["project"]: 7}))
        reqs.append(dict(extra, **{n: "strproject", k: rsa, p.params["project"]: "zero"}))
        tags = [{"ResourceType": "keypair", "Tags": [{"Key": "team", "Value": "ops"}]}]
        reqs.append(dict(extra, **{n: "tagged", k: keys[-3], "TagSpecification": tags}))
    return reqs


@pytest.mark.parametrize("p", profiles.ALL, ids=lambda p: p.id)
def test_profiles_answer_as_the_cli_does(cli, root, tmp_path, p):
    reqs = requests_for(p, root)
    path = tmp_path / "requests.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in reqs))
    r = subprocess.run([cli, "import", "--profile", p.id, "--requests", str(path)], capture_output=True, check=False)
    assert r.returncode in (0, 1), r.stderr
    expected = [masked(json.loads(line)) for line in r.stdout.decode().split("\n") if line]
    assert len(expected) == len(reqs)
    store = profiles.Store()
    got = [p.import_key_pair(store, req) for req in reqs]
    assert [masked(g.body) for g in got] == expected
    # Successes and refusals both occur, with the provider's codes.
    codes = {g.code for g in got}
    assert None in codes and len(codes) >= 5, codes
    for g in got:
        assert g.ok == (g.code is None)
        assert g.status == (g.body.get("HttpStatus") or 200)


def test_the_quota_is_the_store_s_and_can_be_lowered(root):
    keys = [f.read_text() for f in sorted((root / "corpus/valid").glob("rsa-*.pub"))][:3]
    store = profiles.Store()
    p = profiles.alibaba_ecs
    got = [p.import_key_pair(store, KeyPairName=f"k{i}", RegionId="cn-hangzhou", PublicKeyBody=k, quota=2) for i, k in enumerate(keys)]
    assert [g.ok for g in got] == [True, True, False]
    assert got[2].code == "QuotaExceed.KeyPair"
    assert got[2].xml is not None and "<Code>QuotaExceed.KeyPair</Code>" in got[2].xml
    assert profiles.by_id("tencent-cvm") is profiles.tencent_cvm
    with pytest.raises(KeyError):
        profiles.by_id("aws")
