from typing import Any, Dict, List, Mapping, Optional, Sequence

class Store:
    def __init__(self, projects: Sequence[int] = ..., resource_groups: Sequence[str] = ...) -> None: ...

class Response:
    ok: bool
    status: int
    text: str
    xml: Optional[str]
    body: Dict[str, Any]
    @property
    def code(self) -> Optional[str]: ...

class Profile:
    id: str
    quota: int
    documented_types: List[str]
    params: Dict[str, Optional[str]]
    def import_key_pair(
        self, store: Store, request: Optional[Mapping[str, Any]] = ..., *, quota: Optional[int] = ..., **params: Any
    ) -> Response: ...

ALL: List[Profile]

def by_id(id: str) -> Profile: ...

tencent_cvm: Profile
tencent_cvm_v2: Profile
alibaba_ecs: Profile
