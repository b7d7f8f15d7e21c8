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

Uploads go through :func:`vet` (one paste, one verdict: private keys refused,
paste mistakes named); files and iterables of lines through
:func:`check_file` and :func:`check_lines`, which stream; other key forms
through :func:`convert`; the cloud APIs through :mod:`keyvet.profiles`.
"""

from __future__ import annotations

import json
import os
import functools
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from . import _keyvet

__all__ = [
    "KeyvetError",
    "Conversion",
    "Vetted",
    "Verdict",
    "check",
    "check_file",
    "check_lines",
    "check_text",
    "convert",
    "fingerprint",
    "vet",
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


class _Record:
    """A JSON record of the command line, as an object: every key is an
    attribute, an absent key reads as ``None``."""

    __slots__ = ("_record",)

    def __init__(self, record: Dict[str, Any]) -> None:
        self._record = record

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._record.get(name)

    def to_dict(self) -> Dict[str, Any]:
        """The record as the command line prints it (a copy)."""
        return json.loads(json.dumps(self._record))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._record == other._record  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(json.dumps(self._record, sort_keys=True))


Verdict = _keyvet.Verdict
Verdict.__module__ = "keyvet"


class Vetted(_Record):
    """An upload :func:`vet` accepted: the record ``keyvet vet --json``
    prints. ``line`` is the key as one OpenSSH line (what to store),
    ``openssh`` the same without its comment; ``algorithm``, ``bits``,
    ``sha256``, ``md5``, ``comment``, ``options`` and ``findings`` as in a
    :class:`Verdict`; ``converted_from`` the form the upload was in (``None``
    for an OpenSSH line) and ``repairs`` the paste mistakes repaired
    (``[{"code": ..., "message": ...}]``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        r = self._record
        return f"Vetted({r.get('algorithm')} {r.get('bits')} {r.get('sha256')})"


class Conversion(_Record):
    """A key :func:`convert` turned into an OpenSSH line: ``line``,
    ``format`` (its short name: ``openssh``, ``rfc4716``, ``pem-spki``,
    ``openssh-private``, ...), ``format_name`` (as ``keyvet convert`` says
    it), ``encrypted`` (an encrypted private key whose public half is in
    clear) and ``openssh_cannot_load`` (why OpenSSH's own tools would refuse
    the file as it is, or ``None``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Conversion({self._record.get('format')}: {self._record.get('line')})"


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
    "blocklist": None,
}


def _options(policy: str, kw: Dict[str, Any], repair: bool = False) -> Dict[str, Any]:
    unknown = set(kw) - set(_DEFAULTS)
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    out = dict(_DEFAULTS, policy=policy, repair=repair, **kw)
    for k in ("enable", "disable", "allow", "deny"):
        v = out[k]
        out[k] = [v] if isinstance(v, str) else list(v)
    b = out["blocklist"]
    if b is not None and not isinstance(b, str):
        out["blocklist"] = "\n".join(b)
    return out


def _frozen(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


@functools.lru_cache(maxsize=64)
def _cached_policy(key: Tuple[Tuple[str, Any], ...]) -> Any:
    return _keyvet.Policy({k: (list(v) if isinstance(v, tuple) else v) for k, v in key})


_PRESETS: Dict[str, Any] = {}


def _policy(policy: str, kw: Dict[str, Any]) -> Any:
    """The engine's checker for these options, built once and reused."""
    if not kw:
        p = _PRESETS.get(policy)
        if p is None:
            p = _PRESETS[policy] = _keyvet.Policy(_options(policy, kw))
        return p
    o = _options(policy, kw)
    return _cached_policy(tuple(sorted((k, _frozen(v)) for k, v in o.items())))


def check(line: Text, policy: str = "strict", **switches: Any) -> Verdict:
    """Check one key line; return its verdict, or raise :class:`KeyvetError`.

    ``policy`` is ``"strict"`` (uploads) or ``"openssh"`` (OpenSSH 9.2's
    verdicts). The switches are the command line's: ``enable``/``disable``
    (weak-key check ids or ``"all"``), ``no_builtin_blocklist``,
    ``min_rsa_bits``, ``allow``/``deny`` (algorithm names), and ``format``
    (``"auto"``, ``"authorized-keys"``, ``"known-hosts"``).
    """
    v = _policy(policy, switches).check_line(_bytes(line))
    if not v.valid:
        raise v.error
    return v


def check_text(text: Text, file: str = "-", policy: str = "strict", **switches: Any) -> List[Verdict]:
    """Check every key line of ``text`` as ``keyvet check --json`` checks a
    file named ``file``: one verdict per key line (blank and ``#`` lines are
    skipped), then one per line that shares an RSA prime with another."""
    return _policy(policy, switches).check_text(_bytes(text), file)


def check_lines(lines: Iterable[Text], policy: str = "strict", file: str = "-", **switches: Any) -> Iterator[Verdict]:
    """Check lines as they come (str or bytes, with or without their line
    ends; a file object will do), numbered from 1: an iterator of verdicts,
    one per key line, then the lines that share an RSA prime. The engine
    works on a thread of its own, a buffer of lines ahead, without the GIL:
    memory stays bounded however long the input.

    >>> import keyvet
    >>> [v.valid for v in keyvet.check_lines(["# mine", "ssh-ed25519 AAAA"])]
    [False]
    """
    return _policy(policy, switches).stream_lines(lines, file)


def check_file(path: Union[str, "os.PathLike[str]"], policy: str = "strict", **switches: Any) -> Iterator[Verdict]:
    """Check a file: the verdicts ``keyvet check --json PATH`` prints, as an
    iterator that reads the file as it goes (``list()`` it for all at
    once). A file that cannot be opened or read raises :class:`OSError`."""
    path = os.fspath(path)
    return _policy(policy, switches).stream_file(path)


def vet(upload: Text, policy: str = "strict", repair: bool = False, **switches: Any) -> Vetted:
    r"""Vet one upload, as an "add SSH key" form receives it: the whole text
    is one paste. Returns the key to store, or raises :class:`KeyvetError`
    naming the mistake (``upload.private_key`` for a private key, which must
    be treated as exposed; ``upload.wrapped``, ``upload.several_keys``,
    ``line.bom``, ...). With ``repair=True`` the mistakes keyvet repairs
    without guessing are accepted and listed in ``repairs``. PEM and RFC 4716
    public keys are converted. The same verdict as ``keyvet vet --json``.

    >>> import keyvet
    >>> line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice"
    >>> keyvet.vet(line[:40] + "\n" + line[40:], repair=True).repairs[0]["code"]
    'upload.wrapped'
    """
    record = json.loads(_keyvet.vet(_bytes(upload), _options(policy, switches, repair)))
    if not record["valid"]:
        raise KeyvetError(record)
    return Vetted(record)


def convert(key: Text, policy: str = "strict", **switches: Any) -> Conversion:
    r"""Convert a key in any form users paste (an OpenSSH line, RFC 4716 or
    PuTTY, PEM or DER public keys, or a private key, whose public half is
    derived and which is never returned) to one OpenSSH line, checked
    against the policy: ``keyvet convert``. Raises :class:`KeyvetError`.

    >>> import keyvet
    >>> block = "---- BEGIN SSH2 PUBLIC KEY ----\nAAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n---- END SSH2 PUBLIC KEY ----\n"
    >>> c = keyvet.convert(block, policy="openssh")
    >>> (c.format, c.line[:24])
    ('rfc4716', 'ssh-ed25519 AAAAC3NzaC1l')
    """
    record = json.loads(_keyvet.convert(_bytes(key), _options(policy, switches)))
    if not record["valid"]:
        raise KeyvetError(record)
    return Conversion(record)


def fingerprint(line: Text, hash: str = "sha256", policy: str = "openssh") -> str:
    """The key's fingerprint as ``ssh-keygen -l`` prints it (``SHA256:...``
    or ``MD5:...``); raises :class:`KeyvetError` for a line the policy
    refuses."""
    if hash not in ("sha256", "md5"):
        raise ValueError(f"unknown hash {hash!r}: 'sha256' or 'md5'")
    v = check(line, policy=policy)
    return v.sha256 if hash == "sha256" else v.md5
