import os
from typing import Any, Dict, Iterable, Iterator, List, Literal, Optional, Sequence, Union

from typing_extensions import TypedDict, Unpack

Text = Union[str, bytes]
Policy = Literal["strict", "openssh"]
Format = Literal["auto", "authorized-keys", "known-hosts"]

__version__: str

class KeyvetError(ValueError):
    record: Dict[str, Any]
    code: str
    message: str
    line: Optional[int]
    byte: Optional[int]
    field: Optional[str]
    findings: List[Dict[str, Any]]
    def __init__(self, record: Dict[str, Any]) -> None: ...

class _Record:
    def __init__(self, record: Dict[str, Any]) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

class Verdict:
    valid: bool
    file: str
    line: int
    algorithm: Optional[str]
    bits: Optional[int]
    sha256: Optional[str]
    md5: Optional[str]
    comment: Optional[str]
    options: Optional[List[str]]
    findings: List[Dict[str, Any]]
    marker: Optional[str]
    hosts: Optional[List[str]]
    hashed: Optional[bool]
    shares_prime_with: Optional[Dict[str, Any]]
    @property
    def error(self) -> Optional[KeyvetError]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

class Vetted(_Record):
    valid: bool
    line: str
    openssh: str
    algorithm: str
    bits: int
    sha256: str
    md5: str
    comment: Optional[str]
    options: List[str]
    findings: List[Dict[str, Any]]
    converted_from: Optional[str]
    repairs: List[Dict[str, str]]

class Conversion(_Record):
    valid: bool
    line: str
    format: str
    format_name: str
    encrypted: bool
    openssh_cannot_load: Optional[str]

class Switches(TypedDict, total=False):
    """The command line's switches."""

    format: Format
    enable: Union[str, Sequence[str]]
    disable: Union[str, Sequence[str]]
    no_builtin_blocklist: bool
    min_rsa_bits: Optional[int]
    allow: Union[str, Sequence[str]]
    deny: Union[str, Sequence[str]]
    blocklist: Union[str, Iterable[str], None]

def check(line: Text, policy: Policy = ..., **switches: Unpack[Switches]) -> Verdict: ...
def check_text(text: Text, file: str = ..., policy: Policy = ..., **switches: Unpack[Switches]) -> List[Verdict]: ...
def check_lines(
    lines: Iterable[Text], policy: Policy = ..., file: str = ..., **switches: Unpack[Switches]
) -> Iterator[Verdict]: ...
def check_file(
    path: Union[str, os.PathLike[str]], policy: Policy = ..., **switches: Unpack[Switches]
) -> Iterator[Verdict]: ...
def vet(upload: Text, policy: Policy = ..., repair: bool = ..., **switches: Unpack[Switches]) -> Vetted: ...
def convert(key: Text, policy: Policy = ..., **switches: Unpack[Switches]) -> Conversion: ...
def fingerprint(line: Text, hash: Literal["sha256", "md5"] = ..., policy: Policy = ...) -> str: ...
