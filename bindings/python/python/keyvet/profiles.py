"""The cloud key-pair APIs keyvet was specified from, served as
``keyvet import`` serves them: each provider's parameter names, name and tag
rules, accepted key types, quota, error codes and response bodies.

A profile takes a request with the API's own parameter names and a
:class:`Store` (in memory; one per account) and gives a :class:`Response`:
the HTTP status and the body the provider would send, byte for byte the
command line's.

>>> from keyvet import profiles
>>> store = profiles.Store()
>>> key = ("ssh-rsa "
...        "AAAAB3NzaC1yc2EAAAADAQABAAABAQCtupR3ni/4ToAsaK5DpwWcIMOixcMEs08f"
...        "JrAUKSXdMchDbbgEvPgW4UpCqqQq4s6Cl4DiKxmmXQk9A/XwutUjyrWukyznO/DB"
...        "4g/i6di7Wl8PEwBPNT/TlCYfvG+MDgJcmruazp87gscClFCNvku4oVmZiAhDWjFf"
...        "w4+4rQj7dhan8RTjitHhE0n7ZhdKze5nQdlZ5kEjAx5Cu1PYC6IOnAAn0hPZ9N1V"
...        "ZE/mp5/maJF3ceqXXWopaRfAPgQC4cjiYHSQmHLi8smJTrJ8Xdz9zntLwgpQx2RE"
...        "dxgoOAJu8kErZmIxD++g5rVTV0pei2bs6h2gS0LJ63ILykSpNoYb"
...        " alice")
>>> r = profiles.alibaba_ecs.import_key_pair(store, KeyPairName="alice", RegionId="cn-hangzhou", PublicKeyBody=key)
>>> (r.ok, r.status, r.body["KeyPairName"])
(True, 200, 'alice')
>>> again = profiles.alibaba_ecs.import_key_pair(store, KeyPairName="alice", RegionId="cn-hangzhou", PublicKeyBody=key)
>>> (again.status, again.code)
(400, 'KeyPair.AlreadyExist')
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional

from . import _keyvet

__all__ = ["Profile", "Response", "Store", "ALL", "by_id", "tencent_cvm", "tencent_cvm_v2", "alibaba_ecs"]

Store = _keyvet.Store


class Response:
    """A provider's answer: ``ok``, the HTTP ``status`` (Tencent answers
    200 with the error in the body), ``body`` (the JSON body as a dict),
    ``text`` (the JSON body as sent), ``xml`` (the XML body, for APIs that
    have one, else ``None``), and ``code`` (the provider's error code, or
    ``None``)."""

    __slots__ = ("ok", "status", "text", "xml", "body")

    def __init__(self, ok: bool, status: int, text: str, xml: Optional[str]) -> None:
        self.ok = ok
        self.status = status
        self.text = text
        self.xml = xml
        self.body: Dict[str, Any] = json.loads(text)

    @property
    def code(self) -> Optional[str]:
        """The provider's error code (``InvalidKeyPair.Duplicate``,
        ``KeyPair.AlreadyExist``, ...), or ``None`` for a success."""
        if self.ok:
            return None
        b = self.body.get("Response", self.body)
        err = b.get("Error")
        if isinstance(err, dict):
            return err.get("Code")
        return b.get("Code") or b.get("codeDesc")

    def __repr__(self) -> str:
        return f"Response({self.status}, {self.code or 'ok'})"


class Profile:
    """One provider's import API (``tencent-cvm``, ``tencent-cvm-v2``,
    ``alibaba-ecs``): ``id``, ``quota``, ``params`` (the API's parameter
    names: ``name``, ``public_key``, ``region``, ``project``,
    ``resource_group``) and ``documented_types``."""

    def __init__(self, meta: Dict[str, Any]) -> None:
        self.id: str = meta["id"]
        self.quota: int = meta["quota"]
        self.documented_types: List[str] = meta["documented_types"]
        self.params: Dict[str, Optional[str]] = {
            k: meta[k] for k in ("name", "public_key", "region", "project", "resource_group")
        }

    def import_key_pair(
        self,
        store: Any,
        request: Optional[Mapping[str, Any]] = None,
        *,
        quota: Optional[int] = None,
        **params: Any,
    ) -> Response:
        """Serve one ImportKeyPair request: ``request`` (a mapping) and/or
        keyword parameters with the API's own names, as a client of the API
        sends them (Tencent's ``TagSpecification`` as a list of dicts,
        Alibaba's ``Tag.1.Key``...). ``quota`` overrides the provider's."""
        req = dict(request or {}, **params)
        ok, status, text, xml = _keyvet.import_key_pair(self.id, json.dumps(req), store, quota)
        return Response(ok, status, text, xml)

    def __repr__(self) -> str:
        return f"Profile({self.id!r})"


ALL: List[Profile] = [Profile(m) for m in json.loads(_keyvet.profiles())]


def by_id(id: str) -> Profile:
    """A profile by its command-line name; :class:`KeyError` for another."""
    for p in ALL:
        if p.id == id:
            return p
    raise KeyError(id)


tencent_cvm = by_id("tencent-cvm")
tencent_cvm_v2 = by_id("tencent-cvm-v2")
alibaba_ecs = by_id("alibaba-ecs")
