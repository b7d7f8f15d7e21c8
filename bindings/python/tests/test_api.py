"""The Python API: results, errors, switches, streaming."""

import pytest

import keyvet

ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@example"


def test_a_valid_line_is_a_verdict_with_the_cli_fields():
    v = keyvet.check(ED25519, policy="openssh")
    assert v.valid is True and v.error is None
    assert (v.algorithm, v.bits, v.comment, v.options) == ("ssh-ed25519", 256, "alice@example", [])
    assert v.sha256.startswith("SHA256:") and v.md5.startswith("MD5:")
    assert v.to_dict()["sha256"] == v.sha256
    assert v == keyvet.check(ED25519.encode(), policy="openssh")
    assert "ssh-ed25519 256" in repr(v)


def test_an_invalid_line_raises_with_code_and_position():
    with pytest.raises(keyvet.KeyvetError) as e:
        keyvet.check("ssh-ed25519 AAAA")
    assert e.value.code == "blob.truncated"
    assert e.value.byte == 12
    assert e.value.field == "type"
    assert "[blob.truncated]" in str(e.value)
    assert isinstance(e.value, ValueError)


def test_published_keys_are_refused_under_strict_only():
    # RFC 8032's TEST 1 key: on the built-in list of published keys.
    line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea"
    with pytest.raises(keyvet.KeyvetError) as e:
        keyvet.check(line)
    assert e.value.code == "weak.published"
    assert keyvet.check(line, no_builtin_blocklist=True).valid
    assert keyvet.check(line, disable="weak.published").valid
    assert keyvet.check(line, policy="openssh").valid


def test_switches_are_the_cli_switches():
    with pytest.raises(keyvet.KeyvetError) as e:
        keyvet.check(ED25519, deny=["ssh-ed25519"])
    assert e.value.code.startswith("policy.")
    with pytest.raises(ValueError, match="unknown check"):
        keyvet.check(ED25519, enable="weak.nope")
    with pytest.raises(ValueError, match="unknown algorithm"):
        keyvet.check(ED25519, allow="ssh-nope")
    with pytest.raises(ValueError, match="unknown policy"):
        keyvet.check(ED25519, policy="lenient")
    with pytest.raises(TypeError, match="unknown option"):
        keyvet.check(ED25519, colour="blue")


def test_check_lines_numbers_lines_and_skips_blanks_and_comments():
    got = keyvet.check_lines(["# keys", ED25519, "", "ssh-ed25519 AAAA"], policy="openssh")
    assert [(v.line, v.valid) for v in got] == [(2, True), (4, False)]
    assert got[1].error.code == "blob.truncated"


def test_a_private_key_pasted_as_text_is_refused_not_echoed(root):
    path = root / "corpus/pasted/inputs/private-ed25519.leading-blank-line.txt"
    data = path.read_bytes()
    body = [l for l in data.decode().splitlines() if l and "-----" not in l]
    assert body, "the test file holds no key body"
    got = keyvet.check_text(data, "paste")
    assert [v.error.code for v in got] == ["line.private_key"]
    assert "never share it" in got[0].error.message
    for line in body:
        assert line not in repr(got[0].to_dict())


def test_fingerprint_matches_the_verdict():
    v = keyvet.check(ED25519, policy="openssh")
    assert keyvet.fingerprint(ED25519) == v.sha256
    assert keyvet.fingerprint(ED25519, "md5") == v.md5
    with pytest.raises(ValueError):
        keyvet.fingerprint(ED25519, "sha1")
