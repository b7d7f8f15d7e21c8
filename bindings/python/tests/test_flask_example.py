"""The Flask example (examples/flask_upload.py) through Flask's test client:
uploads stored, refused with keyvet's codes, private keys never echoed,
bodies bounded, and the ECS import API's answers."""

import importlib.util
import pathlib

import pytest

import keyvet

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "flask_upload.py"
ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@example"


@pytest.fixture()
def client():
    spec = importlib.util.spec_from_file_location("flask_upload", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.create_app().test_client()


def test_a_key_is_stored_once(client):
    r = client.post("/keys", data={"key": ED25519})
    assert r.status_code == 201
    assert r.json["sha256"] == keyvet.check(ED25519).sha256
    assert r.json["line"] == ED25519 and r.json["converted_from"] is None
    again = client.post("/keys", json={"key": ED25519 + "\n"})
    assert (again.status_code, again.json["code"]) == (409, "key.duplicate")
    assert [k["sha256"] for k in client.get("/keys").json] == [r.json["sha256"]]


def test_a_private_key_is_refused_and_not_echoed(client, root):
    data = (root / "corpus/pasted/inputs/private-ed25519.leading-blank-line.txt").read_text()
    r = client.post("/keys", data={"key": data})
    assert (r.status_code, r.json["code"]) == (400, "upload.private_key")
    body = r.get_data(as_text=True)
    assert all(line not in body for line in data.splitlines() if len(line) > 20)
    assert client.get("/keys").json == []


def test_paste_mistakes_are_named_and_repaired_on_request(client):
    wrapped = ED25519[:40] + "\n" + ED25519[40:]
    r = client.post("/keys", data={"key": wrapped})
    assert (r.status_code, r.json["code"], r.json["line"]) == (400, "upload.wrapped", 1)
    assert "joined" not in r.json["message"]
    ok = client.post("/keys?repair=1", data={"key": wrapped})
    assert ok.status_code == 201 and ok.json["repairs"] == ["upload.wrapped"]
    bad = client.post("/keys", data={"key": "ssh-ed25519 AAAA"})
    assert (bad.status_code, bad.json["code"], bad.json["byte"]) == (400, "blob.truncated", 12)


def test_other_forms_are_converted(client, root):
    block = (root / "corpus/convert/public/ed25519.rfc4716").read_text()
    r = client.post("/keys", data={"key": block})
    assert r.status_code == 201 and r.json["converted_from"] is not None
    assert r.json["line"].startswith("ssh-ed25519 ")


def test_bodies_are_bounded_and_the_field_is_required(client):
    assert client.post("/keys", data={"key": "x" * (70 * 1024)}).status_code == 413
    r = client.post("/keys", data={"other": ED25519})
    assert (r.status_code, r.json["code"]) == (400, "request.key_missing")


def test_the_ecs_import_api(client, root):
    rsa = (root / "corpus/valid/rsa-2048.pub").read_text()
    params = {"KeyPairName": "deploy", "RegionId": "cn-hangzhou", "PublicKeyBody": rsa}
    r = client.post("/ecs/ImportKeyPair", data=params)
    assert r.status_code == 200 and r.json["KeyPairName"] == "deploy"
    assert r.json["KeyPairFingerPrint"].count(":") == 15
    dup = client.post("/ecs/ImportKeyPair", data=dict(params, Format="XML"))
    assert dup.status_code == 400 and dup.mimetype == "application/xml"
    assert "<Code>KeyPair.AlreadyExist</Code>" in dup.get_data(as_text=True)
    bad = client.post("/ecs/ImportKeyPair", data=dict(params, KeyPairName="other", PublicKeyBody=ED25519))
    assert (bad.status_code, bad.json["Code"]) == (400, "InvalidPublicKeyBody.Malformed")
