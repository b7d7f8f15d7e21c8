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
    got = list(keyvet.check_lines(["# keys", ED25519, "", "ssh-ed25519 AAAA"], policy="openssh"))
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


def test_check_lines_streams_an_endless_input():
    import itertools

    def endless():
        while True:
            yield ED25519
            yield "ssh-ed25519 AAAA"

    # An endless generator: only what is consumed (and a bounded buffer
    # ahead) is ever read, so this returns.
    first = list(itertools.islice(keyvet.check_lines(endless(), policy="openssh"), 5))
    assert [(v.line, v.valid) for v in first] == [(1, True), (2, False), (3, True), (4, False), (5, True)]


def test_check_lines_takes_a_file_object_and_bytes(tmp_path):
    path = tmp_path / "keys"
    path.write_text(f"{ED25519}\n\n# c\nssh-ed25519 AAAA\n")
    with open(path) as f:
        text_lines = [(v.line, v.valid) for v in keyvet.check_lines(f, policy="openssh")]
    with open(path, "rb") as f:
        byte_lines = [(v.line, v.valid) for v in keyvet.check_lines(f, policy="openssh")]
    whole = [(v.line, v.valid) for v in keyvet.check_file(path, policy="openssh")]
    assert text_lines == byte_lines == whole == [(1, True), (4, False)]


def test_errors_of_the_input_reach_the_caller(tmp_path):
    def failing():
        yield ED25519
        raise RuntimeError("the source broke")

    it = keyvet.check_lines(failing(), policy="openssh")
    with pytest.raises(RuntimeError, match="the source broke"):
        list(it)
    with pytest.raises(TypeError, match="str or bytes"):
        list(keyvet.check_lines([ED25519, 42]))
    with pytest.raises(OSError):
        list(keyvet.check_file(tmp_path / "missing"))


def test_a_blocklist_refuses_listed_keys():
    fp = keyvet.check(ED25519, policy="openssh").sha256
    with pytest.raises(keyvet.KeyvetError) as e:
        keyvet.check(ED25519, blocklist=[fp])
    assert e.value.code == "weak.blocklist"
    # Under openssh, screening only warns.
    warned = keyvet.check(ED25519, policy="openssh", blocklist=[fp])
    assert [f["id"] for f in warned.findings] == ["weak.blocklist"]
    assert keyvet.check(ED25519, blocklist="# none\n").valid
    with pytest.raises(ValueError, match="blocklist"):
        keyvet.check(ED25519, blocklist="not a fingerprint")


def test_vet_refuses_private_keys_and_names_paste_mistakes(root):
    data = (root / "corpus/pasted/inputs/private-ed25519.leading-blank-line.txt").read_bytes()
    with pytest.raises(keyvet.KeyvetError) as e:
        keyvet.vet(data)
    assert e.value.code == "upload.private_key"
    assert all(l not in str(e.value.record) for l in data.decode().splitlines() if len(l) > 20)
    wrapped = ED25519[:40] + "\n" + ED25519[40:]
    with pytest.raises(keyvet.KeyvetError) as e:
        keyvet.vet(wrapped, policy="openssh")
    assert (e.value.code, e.value.line) == ("upload.wrapped", 1)
    v = keyvet.vet(wrapped, policy="openssh", repair=True)
    assert v.line == ED25519 and [r["code"] for r in v.repairs] == ["upload.wrapped"]
    with pytest.raises(keyvet.KeyvetError) as e:
        keyvet.vet(ED25519 + "\n" + ED25519)
    assert e.value.code == "upload.several_keys"
    with pytest.raises(keyvet.KeyvetError) as e:
        keyvet.vet(b"x" * (10 << 20))
    assert e.value.code == "upload.too_large"


def test_convert_gives_the_openssh_line(root):
    c = keyvet.convert((root / "corpus/convert/public/ed25519.rfc4716").read_bytes(), policy="openssh")
    assert c.line.startswith("ssh-ed25519 ") and c.format == "rfc4716"
    with pytest.raises(keyvet.KeyvetError):
        keyvet.convert("not a key")


def test_one_line_gives_the_record_of_a_one_line_text(root):
    # Every line of the cases: keyvet.check says what check_text says of it.
    n = 0
    for path in sorted((root / "corpus/cases").iterdir()):
        data = path.read_bytes()
        if data.count(b"\n") != 1 or not data.endswith(b"\n"):
            continue
        whole = keyvet.check_text(data, policy="openssh")
        if len(whole) != 1:
            continue
        try:
            one = keyvet.check(data.rstrip(b"\n"), policy="openssh").to_dict()
        except keyvet.KeyvetError as e:
            one = e.record
        assert one == whole[0].to_dict(), path
        n += 1
    assert n > 200
