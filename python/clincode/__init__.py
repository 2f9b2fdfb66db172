"""clincode for analysts: the C++ clinical coding engine, one ``import`` away.

    >>> import clincode
    >>> catalog = clincode.Catalog()                     # the built-in starter data, as the CLI
    >>> catalog.lookup("K57.8").title
    'Other specified other therapeutic transluminal operations on heart'
    >>> [h.code for h in catalog.search("heart fail", system="icd10", limit=2)]
    ['I50', 'I50.9']

Releases are files or folders in the forms they are distributed in (the format is detected):
``clincode.Catalog(releases=["OPCS411.xml", "ICD10_Edition5.xml"])``. ``validate``, ``match`` and ``audit``
take pandas DataFrames in the HES-like columns (EPIKEY, EPISTART, SEX, STARTAGE, DIAG_nn, OPERTN_nn, any
subset and order) and answer with the CLI's columns, every input row accounted for. ``clincode.dask`` runs
``validate`` and ``match`` partition by partition on a Dask cluster. Errors raise ``clincode.Error`` (a bad
argument: ``clincode.UsageError``) with the CLI's message. The engine works without the GIL.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence, Union

import pandas as pd

from . import _clincode

__all__ = [
    "Catalog", "Code", "SearchHit", "Finding", "Error", "UsageError",
    "check", "validate", "match", "code", "audit",
    "FINDING_COLUMNS", "MATCH_COLUMNS", "AUDIT_ERROR_COLUMNS",
]

Error = _clincode.Error
UsageError = _clincode.UsageError

#: The columns of ``clincode validate --out x.csv``, in order.
FINDING_COLUMNS = ["episode_id", "rule_id", "severity", "position", "code", "message", "fix"]
#: The columns of ``clincode match --out x.csv``, in order.
MATCH_COLUMNS = ["episode_id", "line", "guidance", "level", "grade", "met", "required", "missing"]
#: The columns of ``clincode audit --out x.csv``, in order.
AUDIT_ERROR_COLUMNS = [
    "episode_id", "type", "kind", "original_position", "original_code", "original_title", "audited_position",
    "audited_code", "audited_title", "rule_id", "standard", "file", "line", "audited_line", "detail",
]


@dataclass(frozen=True)
class Code:
    """One code of a loaded release, as ``clincode lookup --json`` shows it."""

    system: str            # "OPCS-4", "ICD-10", "ICD-10-CM", "CPT"
    code: str              # canonical: "K57.8"
    title: str
    kind: str              # "code", "category", "chapter", "block"
    release: str           # which release answered
    record: str            # the form a record holds ("K578")
    parent: Optional[str]
    children: tuple = ()
    flags: Mapping[str, Any] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)  # the whole JSON answer


@dataclass(frozen=True)
class SearchHit:
    """One search result, ranked as ``clincode search`` ranks it."""

    system: str
    code: str
    title: str
    release: str
    match: str             # "exact_code", "code_prefix", "term_code", "title", "title_typo", "partial"
    score: float
    recordable: bool
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Finding:
    """A coding standard an episode breaks (``clincode check --json``)."""

    episode_id: str
    rule_id: str
    standard: Optional[str]
    severity: str          # "error", "warning", "info"
    position: str          # "OPERTN_02", "DIAG_01", or a field name; "" for the episode
    code: str
    message: str
    fix: str


def _code(j: Mapping[str, Any]) -> Code:
    return Code(system=j["system"], code=j["code"], title=j["title"], kind=j["kind"], release=j["release"],
                record=j.get("record", ""), parent=j.get("parent"),
                children=tuple(c["code"] for c in j.get("children", [])), flags=j.get("flags", {}), raw=j)


def _as_list(codes: Union[str, Sequence[str], None]) -> list:
    if codes is None:
        return []
    if isinstance(codes, str):
        return codes.replace(",", " ").split()
    return [str(c) for c in codes]


def _csv(frame: "pd.DataFrame") -> str:
    """A DataFrame as the HES-like CSV the CLI reads: missing values empty, whole numbers without ".0"."""
    if not isinstance(frame, pd.DataFrame):
        raise UsageError(f"expected a pandas DataFrame of episodes, not {type(frame).__name__}")
    out = frame.copy(deep=False)
    for name in out.columns:
        column = out[name]
        # pandas keeps integer columns with gaps as floats (SEX 1.0); HES values are whole numbers.
        if pd.api.types.is_float_dtype(column) and column.dropna().eq(column.dropna().round()).all():
            out[name] = column.astype("Int64")
    return out.to_csv(index=False, lineterminator="\n")


def _frame(text: str, columns: Sequence[str]) -> "pd.DataFrame":
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    return frame[list(columns)]


class Catalog:
    """The releases, the coding rules and the NICE recommendations, loaded once; immutable and shared by
    threads. ``releases``: files or folders (format detected); systems without one are filled from the
    built-in starter data unless ``starter=False``. ``guidance_dirs`` and ``rules_dirs`` add curated
    recommendations and rules, as ``--guidance-dir`` and ``--rules-dir`` do."""

    def __init__(self, releases: Sequence[str] = (), *, starter: bool = True, guidance_dirs: Sequence[str] = (),
                 rules_dirs: Sequence[str] = ()):
        self.releases = [str(r) for r in releases]
        self._engine = _clincode.Engine([str(r) for r in releases], bool(starter), [str(d) for d in guidance_dirs],
                                        [str(d) for d in rules_dirs])

    def systems(self) -> list:
        """The loaded releases: system, edition, source files and counts (``clincode systems --json``)."""
        return json.loads(self._engine.systems())

    def lookup(self, code: str, system: Optional[str] = None) -> Code:
        """One code in any usual form (``K57.8``, ``K578``, ``C61X``, ``opcs4:K57.8``, ``C18.-``). Raises
        ``UsageError`` for text that is not the shape of a code, ``Error`` when no release holds it."""
        hits = json.loads(self._engine.lookup(code, system or ""))
        return _code(hits[0])

    def lookup_all(self, code: str, system: Optional[str] = None) -> list:
        """Every release's answer for ``code`` (a code may be in several systems)."""
        return [_code(j) for j in json.loads(self._engine.lookup(code, system or ""))]

    def search(self, query: str, system: Optional[str] = None, limit: int = 10, *, typos: bool = True) -> list:
        """Ranked search over titles, inclusion and index terms, as ``clincode search``; ``system`` is
        opcs4, icd10, icd10cm, cpt or "all" (the default scope is the UK systems when they are loaded)."""
        hits = json.loads(self._engine.search(query, system or "", int(limit), system == "all", bool(typos)))
        return [SearchHit(system=h["system"], code=h["code"], title=h["title"], release=h["release"],
                          match=h["match"], score=h["score"], recordable=h.get("recordable", True), raw=h)
                for h in hits]


def check(catalog: Catalog, procedures: Union[str, Sequence[str], None] = None,
          diagnoses: Union[str, Sequence[str], None] = None, *, sex: int = 0, age: int = -1, date: str = "",
          id: str = "episode") -> list:
    """One episode against the coding standards and the NICE recommendations (``clincode check``):
    codes in order, main procedure and primary diagnosis first, as a list or a string."""
    answer = json.loads(catalog._engine.check(id, _as_list(procedures), _as_list(diagnoses), int(sex), int(age),
                                              date))
    return [Finding(**{k: f[k] for k in Finding.__dataclass_fields__}) for f in answer["findings"]]


def validate(catalog: Catalog, episodes: "pd.DataFrame", *, threads: int = 0, summary: bool = False):
    """Validates a DataFrame of episodes as ``clincode validate`` does a file: a DataFrame of findings with
    the CLI's columns (``FINDING_COLUMNS``), in row order; a row that cannot be read is a ``row-unreadable``
    finding, never dropped. With ``summary=True``, returns (findings, summary dict)."""
    text, summary_json = catalog._engine.validate_text(_csv(episodes), int(threads))
    findings = _frame(text, FINDING_COLUMNS)
    return (findings, json.loads(summary_json)) if summary else findings


def match(catalog: Catalog, episodes: "pd.DataFrame", *, threads: int = 0, summary: bool = False):
    """Matches a DataFrame of episodes to the recommendations (``clincode match``): a DataFrame with a row
    per episode and recommendation it matches, the CLI's columns (``MATCH_COLUMNS``)."""
    text, summary_json = catalog._engine.match_text(_csv(episodes), int(threads))
    frame = _frame(text, MATCH_COLUMNS)
    return (frame, json.loads(summary_json)) if summary else frame


def code(catalog: Catalog, note: str, guidance: Optional[str] = None, *, facts: Union[Mapping[str, str], Sequence[str], None] = None,
         guidance_text: Optional[str] = None, system: Optional[str] = None) -> dict:
    """Codes an operation note: the coding assistant's answer as ``clincode code --json`` prints it (the
    ordered codes with their reasons, the questions left, the facts read). ``facts`` answer the questions
    ({"image_control": "yes"}); ``guidance_text`` is a published NICE text read on the fly."""
    if isinstance(facts, Mapping):
        facts = [f"{k}={v}" for k, v in facts.items()]
    return json.loads(catalog._engine.code(note, guidance or "", list(facts or []), guidance_text or "",
                                           system or ""))


def audit(catalog: Catalog, original: "pd.DataFrame", audited: "pd.DataFrame", *, key: Optional[str] = None,
          profile: str = "igt", threads: int = 0, report: bool = False):
    """A coding audit (``clincode audit``): the coder's episodes against the auditor's. Returns (summary dict,
    errors DataFrame with ``AUDIT_ERROR_COLUMNS``), and the HTML report as a third item with ``report=True``."""
    errors, summary_json, html = catalog._engine.audit_text(_csv(original), _csv(audited), key or "", profile,
                                                            int(threads))
    out = (json.loads(summary_json), _frame(errors, AUDIT_ERROR_COLUMNS))
    return out + (html,) if report else out
