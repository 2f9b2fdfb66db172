# Type stubs of the clincode package (docs/python.md).
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

class Error(RuntimeError): ...
class UsageError(Error): ...

FINDING_COLUMNS: list[str]
MATCH_COLUMNS: list[str]
AUDIT_ERROR_COLUMNS: list[str]

@dataclass(frozen=True)
class Code:
    system: str
    code: str
    title: str
    kind: str
    release: str
    record: str
    parent: Optional[str]
    children: tuple[str, ...]
    flags: Mapping[str, Any]
    raw: Mapping[str, Any]

@dataclass(frozen=True)
class SearchHit:
    system: str
    code: str
    title: str
    release: str
    match: str
    score: float
    recordable: bool
    raw: Mapping[str, Any]

@dataclass(frozen=True)
class Finding:
    episode_id: str
    rule_id: str
    standard: Optional[str]
    severity: str
    position: str
    code: str
    message: str
    fix: str

class Catalog:
    releases: list[str]
    def __init__(self, releases: Sequence[str] = ..., *, starter: bool = ..., guidance_dirs: Sequence[str] = ...,
                 rules_dirs: Sequence[str] = ...) -> None: ...
    def systems(self) -> list[dict[str, Any]]: ...
    def lookup(self, code: str, system: Optional[str] = ...) -> Code: ...
    def lookup_all(self, code: str, system: Optional[str] = ...) -> list[Code]: ...
    def search(self, query: str, system: Optional[str] = ..., limit: int = ..., *, typos: bool = ...) -> list[SearchHit]: ...

def check(catalog: Catalog, procedures: Union[str, Sequence[str], None] = ..., diagnoses: Union[str, Sequence[str], None] = ...,
          *, sex: int = ..., age: int = ..., date: str = ..., id: str = ...) -> list[Finding]: ...
def validate(catalog: Catalog, episodes: pd.DataFrame, *, threads: int = ..., summary: bool = ...) -> Any: ...
def match(catalog: Catalog, episodes: pd.DataFrame, *, threads: int = ..., summary: bool = ...) -> Any: ...
def code(catalog: Catalog, note: str, guidance: Optional[str] = ..., *,
         facts: Union[Mapping[str, str], Sequence[str], None] = ..., guidance_text: Optional[str] = ...,
         system: Optional[str] = ...) -> dict[str, Any]: ...
def audit(catalog: Catalog, original: pd.DataFrame, audited: pd.DataFrame, *, key: Optional[str] = ...,
          profile: str = ..., threads: int = ..., report: bool = ...) -> Tuple[Any, ...]: ...
