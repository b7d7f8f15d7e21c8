"""keyvet: validate and fingerprint SSH public keys byte-exact against OpenSSH.

The Rust engine behind the ``keyvet`` command line, for Python servers. Every
verdict is the command line's: a result's :meth:`Verdict.to_dict` is exactly
the JSON object ``keyvet check --json`` prints for the same line.

>>> import keyvet
>>> v = keyvet.check("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice", policy="openssh")
>>> (v.algorithm, v.bits, v.comment)
('ssh-ed25519', 256, 'alice')
>>> try:
...     keyvet.check("ssh-ed25519 AAAA")
... except keyvet.KeyvetError as e:
...     print(e.code, e.byte)
blob.truncated 12
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Union

from . import _keyvet

__all__ = [
    "KeyvetError",
    "Verdict",
    "check",
    "check_file",
    "check_lines",
    "check_text",
    "fingerprint",
    "__version__",
]

__version__: str = _keyvet.version()

Text = Union[str, bytes]


class KeyvetError(ValueError):
    """A line keyvet refuses: the error of its JSON record.

    ``code`` is the stable machine code (``blob.truncated``,
    ``weak.rsa.small_factor``, ...), ``message`` says what to fix, and
    ``line``, ``byte`` and ``field`` locate the problem where there is a
    position (1-based line and byte, the key-data field); ``findings`` is
    what weak-key screening found. ``record`` is the whole JSON object.
    """

    def __init__(self, record: Dict[str, Any]) -> None:
        self.record: Dict[str, Any] = record
        error = record["error"]
        self.code: str = error["code"]
        self.message: str = error["message"]
        self.line: Optional[int] = error.get("line")
        self.byte: Optional[int] = error.get("byte")
        self.field: Optional[str] = error.get("field")
        self.findings: List[Dict[str, Any]] = record.get("findings", [])
        super().__init__(f"{self.message} [{self.code}]")


class Verdict:
    """keyvet's verdict on one line: the command line's JSON record.

    Every key of the record is an attribute (``valid``, ``file``, ``line``,
    ``algorithm``, ``bits``, ``sha256``, ``md5``, ``comment``, ``options``,
    ``findings``, and for known_hosts lines ``marker``, ``hosts``,
    ``hashed``); an absent key reads as ``None``. ``error`` is a
    :class:`KeyvetError` for an invalid line, else ``None``.
    """

    __slots__ = ("_record",)

    def __init__(self, record: Dict[str, Any]) -> None:
        self._record = record

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._record.get(name)

    @property
    def error(self) -> Optional[KeyvetError]:
        """The error of an invalid line, else ``None``."""
        return KeyvetError(self._record) if "error" in self._record else None

    def to_dict(self) -> Dict[str, Any]:
        """The record as ``keyvet check --json`` prints it (a copy)."""
        return json.loads(json.dumps(self._record))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Verdict) and self._record == other._record

    def __hash__(self) -> int:
        return hash(json.dumps(self._record, sort_keys=True))

    def __repr__(self) -> str:
        r = self._record
        if r.get("valid"):
            return f"Verdict(valid, {r.get('algorithm')} {r.get('bits')} {r.get('sha256')}, line {r.get('line')})"
        code = r.get("error", {}).get("code")
        return f"Verdict(invalid, {code}, line {r.get('line')})"


def _bytes(data: Text) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


_DEFAULTS: Dict[str, Any] = {
    "format": "auto",
    "enable": [],
    "disable": [],
    "no_builtin_blocklist": False,
    "min_rsa_bits": None,
    "allow": [],
    "deny": [],
}


def _options(policy: str, kw: Dict[str, Any]) -> Dict[str, Any]:
    unknown = set(kw) - set(_DEFAULTS)
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    out = dict(_DEFAULTS, policy=policy, **kw)
    for k in ("enable", "disable", "allow", "deny"):
        v = out[k]
        out[k] = [v] if isinstance(v, str) else list(v)
    return out


def check(line: Text, policy: str = "strict", **switches: Any) -> Verdict:
    """Check one key line; return its verdict, or raise :class:`KeyvetError`.

    ``policy`` is ``"strict"`` (uploads) or ``"openssh"`` (OpenSSH 9.2's
    verdicts). The switches are the command line's: ``enable``/``disable``
    (weak-key check ids or ``"all"``), ``no_builtin_blocklist``,
    ``min_rsa_bits``, ``allow``/``deny`` (algorithm names), and ``format``
    (``"auto"``, ``"authorized-keys"``, ``"known-hosts"``).
    """
    record = json.loads(_keyvet.check_line(_bytes(line), _options(policy, switches)))
    if not record["valid"]:
        raise KeyvetError(record)
    return Verdict(record)


def check_text(text: Text, file: str = "-", policy: str = "strict", **switches: Any) -> List[Verdict]:
    """Check every key line of ``text`` as ``keyvet check --json`` checks a
    file named ``file``: one verdict per key line (blank and ``#`` lines are
    skipped), then one per line that shares an RSA prime with another."""
    return [Verdict(json.loads(r)) for r in _keyvet.check_text(_bytes(text), file, _options(policy, switches))]


def check_lines(lines: Iterable[Text], policy: str = "strict", **switches: Any) -> List[Verdict]:
    """Check lines given one by one (without their newlines), numbered from 1."""
    return check_text(b"\n".join(_bytes(x) for x in lines), "-", policy, **switches)


def check_file(path: Union[str, "os.PathLike[str]"], policy: str = "strict", **switches: Any) -> List[Verdict]:
    """Check a file: the verdicts ``keyvet check --json PATH`` prints."""
    with open(path, "rb") as f:
        data = f.read()
    return check_text(data, os.fspath(path), policy, **switches)


def fingerprint(line: Text, hash: str = "sha256", policy: str = "openssh") -> str:
    """The key's fingerprint as ``ssh-keygen -l`` prints it (``SHA256:...``
    or ``MD5:...``); raises :class:`KeyvetError` for a line the policy
    refuses."""
    if hash not in ("sha256", "md5"):
        raise ValueError(f"unknown hash {hash!r}: 'sha256' or 'md5'")
    v = check(line, policy=policy)
    return v.sha256 if hash == "sha256" else v.md5
