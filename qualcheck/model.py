"""Value types shared by every module: severities, spans, findings, notices, scores."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field, replace
from enum import IntEnum
from functools import lru_cache
from itertools import accumulate
from typing import Any, Mapping, Sequence

CATEGORIES = ("grammar", "translation", "boilerplate", "readability", "agreement")

FAMILY_CATEGORY = {
    "GR": "grammar",
    "MT": "translation",
    "BP": "boilerplate",
    "RD": "readability",
    "FA": "agreement",
}


class Severity(IntEnum):
    """Ordered so that a gate can compare with ``>=``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> "Severity":
        """Read 'info' / 'warning' / 'error' (any case)."""
        try:
            return cls[str(value).upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected info, warning or error)") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open code-point span into ``Document.text``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self.start}..{self.end}")


def starting_in(spans: Sequence[Any], within: Sequence[Any]) -> list[Any]:
    """The ``spans`` (sentences) that start inside one of ``within`` (paragraphs), in their order.

    One binary search a span, not a scan of every paragraph: with ``any(...)`` over the paragraphs a
    document of 100,000 one-line paragraphs took minutes. A span starts inside when some paragraph
    starting at or before it ends after its start: the largest end among those paragraphs.
    """
    ordered = sorted((w.start, w.end) for w in within)
    starts = [start for start, _ in ordered]
    reach = list(accumulate((end for _, end in ordered), max))
    out = []
    for s in spans:
        i = bisect.bisect_right(starts, s.start)
        if i and reach[i - 1] > s.start:
            out.append(s)
    return out


@dataclass(frozen=True, slots=True)
class Location:
    """A passage in some document, used for related locations of agreement findings."""

    document: str
    start: int
    end: int
    line: int = 0
    column: int = 0
    excerpt: str = ""
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "excerpt": self.excerpt,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is kept in the report but not scored."""

    kind: str  # "decision" | "directive" | "config"
    status: str  # "dismissed" | "accepted"
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "status": self.status, "note": self.note}


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged passage (or whole-document issue) produced by one rule."""

    code: str
    rule: str
    category: str
    severity: Severity
    document: str
    span: Span
    message: str
    excerpt: str
    suggestions: tuple[str, ...] = ()
    related: tuple[Location, ...] = ()
    origin: str | None = None
    engine: str | None = None
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    suppression: Suppression | None = None
    fingerprint: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def counts(self) -> bool:
        """True when the finding counts toward scores and the gate."""
        return self.suppression is None or self.suppression.status != "dismissed"

    def with_(self, **changes: Any) -> "Finding":
        return replace(self, **changes)

    def sort_key(self) -> tuple:
        return (self.document, self.line, self.column, self.code, self.span.end)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "rule": self.rule,
            "category": self.category,
            "severity": str(self.severity),
            "document": self.document,
            "start": self.span.start,
            "end": self.span.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "excerpt": self.excerpt,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "fingerprint": self.fingerprint,
        }
        if self.related:
            out["related"] = [loc.to_dict() for loc in self.related]
        if self.origin:
            out["origin"] = self.origin
        if self.engine:
            out["engine"] = self.engine
        if self.suppression:
            out["suppression"] = self.suppression.to_dict()
        if self.data:
            out["data"] = dict(self.data)
        return out


_WS = re.compile(r"\s+")


@lru_cache(maxsize=64)
def _spaced(text: str) -> str:
    """``text`` with whitespace runs as one space, lower-cased: the sentence of many findings is done once."""
    return _WS.sub(" ", text).lower()


def fingerprint(code: str, document: str, excerpt: str, context: str, repeat: int = 1) -> str:
    """Hash what identifies a finding independently of its offsets, so edits elsewhere keep it.

    ``repeat``: the n-th finding of the same text in one sentence (n > 1) hashes the context
    followed by a separator and n, so fingerprints stay distinct. The value is the hash of
    ``code, document, norm(excerpt), norm(context + "\\x1e" + str(n))`` with ``norm`` collapsing
    whitespace, stripping and lower-casing, computed from the sentence's normalised form (cached):
    a table of 25,000 rows, one "sentence" with 50,000 findings, normalised it 50,000 times.
    """
    spaced = _spaced(context).lstrip()
    if repeat > 1:  # "\x1e" is whitespace: it joins a trailing whitespace run, else adds one space
        context_norm = f"{spaced}{'' if not spaced or spaced.endswith(' ') else ' '}{repeat}"
    else:
        context_norm = spaced.rstrip()
    payload = "\x1f".join((code, document, _WS.sub(" ", excerpt).strip().lower(), context_norm))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user must know about the run: an unreadable file, a missing engine, a failed check."""

    level: str  # "info" | "warning" | "error"
    message: str
    document: str | None = None
    code: str | None = None  # e.g. "input", "engine", "check"

    def __post_init__(self) -> None:
        # a notice quotes paths and exception text from outside: keep it writable by every report
        from qualcheck.textsafe import display_name, scrub

        object.__setattr__(self, "message", scrub(self.message)[0])
        if self.document is not None:
            object.__setattr__(self, "document", display_name(self.document))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"level": self.level, "message": self.message}
        if self.document is not None:
            out["document"] = self.document
        if self.code is not None:
            out["code"] = self.code
        return out

    def __str__(self) -> str:
        where = f"{self.document}: " if self.document else ""
        return f"{self.level}: {where}{self.message}"


@dataclass(frozen=True)
class Score:
    """Overall 0–100 score and one per category (None when the category's checks did not run)."""

    overall: float
    categories: Mapping[str, float | None]

    def to_dict(self) -> dict[str, Any]:
        return {c: (None if v is None else round(v, 1)) for c, v in self.categories.items()}
