"""The Context a kind receives: the corpus, shared per-document measurements, and backends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from qualcheck.document import Document


@dataclass
class Corpus:
    """All documents of a run, for corpus-scope kinds."""

    documents: list[Document]

    def by_source(self) -> dict[str, list[Document]]:
        out: dict[str, list[Document]] = {}
        for doc in self.documents:
            out.setdefault(doc.source or f"(unknown: {doc.id})", []).append(doc)
        return out


@dataclass
class Context:
    """What kinds may use besides their document: nothing here does I/O of its own accord.

    ``measurements`` holds per-document numbers that kinds record (e.g. sentence garble scores)
    for scoring and reports; ``backends`` holds engine adapters built once by the engine.
    """

    corpus: Corpus
    settings: Any = None
    backends: dict[str, Any] = field(default_factory=dict)
    measurements: dict[str, dict[str, Any]] = field(default_factory=dict)
    readability_fn: Callable[[Document], Mapping[str, Any]] | None = None
    _readability: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    def measure(self, doc: Document, key: str, value: Any) -> None:
        """Record a number about a document for scoring and the report."""
        self.measurements.setdefault(doc.id, {})[key] = value

    def readability(self, doc: Document) -> Mapping[str, Any]:
        """Document statistics and readability metrics, computed once per document."""
        if doc.id not in self._readability:
            from qualcheck.stats import document_stats

            self._readability[doc.id] = document_stats(doc)
        return self._readability[doc.id]
