"""The Report of one run: per-document results, enabled rules, and run-level notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping, Sequence

from qualcheck.model import Finding, Notice, Score

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class DocumentReport:
    """Everything reported about one document."""

    document: str
    title: str | None
    source: str | None
    date: str | None
    text: str
    stats: Mapping[str, Any]
    findings: tuple[Finding, ...]
    score: Score
    notices: tuple[Notice, ...] = ()
    record_line: int | None = None  # JSONL corpus entry: the line of its record in the corpus file
    # report parts (None: the rule that gives it did not run on this document)
    sentences: Sequence[Mapping[str, Any]] | None = None  # MT900: each body sentence's garble score, signals, features
    grammar_sentences: Sequence[Mapping[str, Any]] | None = None  # GR900: each body sentence's P(ungrammatical), features
    agreement: Mapping[str, int] | None = None  # FA rules: claims corroborated, contradicted, single-source

    PARTS: ClassVar[tuple[str, ...]] = ("sentences", "grammar_sentences", "agreement")

    def parts(self) -> dict[str, Any]:
        """The report parts present for this document, by name."""
        return {name: getattr(self, name) for name in self.PARTS if getattr(self, name) is not None}

    @property
    def counting(self) -> list[Finding]:
        return [f for f in self.findings if f.counts]


@dataclass(frozen=True)
class Report:
    """All findings, scores and notices of one run."""

    tool_version: str
    rules: tuple[Mapping[str, Any], ...]
    documents: tuple[DocumentReport, ...]
    notices: tuple[Notice, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)
    claims: Sequence[Mapping[str, Any]] | None = None  # FA rules: every claim group, its values and status
    sources: Sequence[Mapping[str, Any]] | None = None  # FA rules: each source's agreement and reliability
    timings: Mapping[str, float] = field(default_factory=dict)  # seconds: "read", "check", and per rule code (--verbose; never rendered, reports stay deterministic)
    schema_version: int = SCHEMA_VERSION
    run_info: Mapping[str, Any] = field(default_factory=dict)  # how the run went (store reuse); never rendered, like timings

    @property
    def findings(self) -> list[Finding]:
        return [f for d in self.documents for f in d.findings]

    @property
    def incomplete(self) -> bool:
        """True when some input could not be read, so the report does not cover everything asked."""
        return any(n.code == "input" and n.level == "error" for n in self.notices)
