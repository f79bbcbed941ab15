"""The Context a kind receives: the corpus, shared per-document measurements, and backends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from qualcheck.corpus_names import CorpusNames, contribution
from qualcheck.document import Document


@dataclass
class Corpus:
    """All documents of a run, for corpus-scope kinds.

    ``focus``: the documents being checked and reported (new or edited articles in a gate run); the
    others are the established corpus they are compared with. None: every document is reported.
    ``names``: name evidence summed over the whole corpus (the engine gives it from the store; built
    from the documents when absent).
    """

    documents: list[Document]
    focus: frozenset[str] | None = None
    names_evidence: CorpusNames | None = None

    @property
    def names(self) -> CorpusNames:
        if self.names_evidence is None:
            self.names_evidence = CorpusNames(contribution(d) for d in self.documents)
        return self.names_evidence

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
    cache: Any = None  # qualcheck.cache.NoCache / StoreCache: claims and results kept between runs
    backends: dict[str, Any] = field(default_factory=dict)
    measurements: dict[str, dict[str, Any]] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)  # run-level results for Report.extra (claims, sources)
    _readability: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)
    notices: list[Any] = field(default_factory=list)  # run-level notices raised by backends, each once
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def measure(self, doc: Document, key: str, value: Any) -> None:
        """Record a number about a document for scoring and the report."""
        self.measurements.setdefault(doc.id, {})[key] = value

    def memo(self, key: str, factory: Callable[[], Any]) -> Any:
        """Compute a value once per run (e.g. per-document analyses shared by several rules)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]

    def notice(self, notice: Any) -> None:
        """Add a run-level notice (e.g. which grammar engine ran) unless the same one is already there."""
        if notice not in self.notices:
            self.notices.append(notice)

    def on_close(self, closer: Callable[[], None]) -> None:
        """Have the engine call ``closer`` when the run ends (stop worker threads, servers)."""
        self._closers.append(closer)

    def close(self) -> None:
        """Release what backends opened for this run; called once by the engine."""
        while self._closers:
            self._closers.pop()()

    def backend(self, name: str) -> Any:
        """The adapter module ``qualcheck.backends.<name>``, imported once; tests may put fakes in ``backends``."""
        if name not in self.backends:
            import importlib

            self.backends[name] = importlib.import_module(f"qualcheck.backends.{name}")
        return self.backends[name]

    def readability(self, doc: Document) -> Mapping[str, Any]:
        """Document statistics and readability metrics, computed once per document."""
        if doc.id not in self._readability:
            from qualcheck.stats import document_stats

            self._readability[doc.id] = document_stats(doc)
        return self._readability[doc.id]

    def document_stats(self, doc: Document, rules: Any) -> Mapping[str, Any]:
        """The report's statistics: readability metrics (textstat, CMU dictionary) only when a readability rule is among ``rules``."""
        if any(getattr(r, "category", None) == "readability" for r in rules):
            return self.readability(doc)
        return self.counts(doc)

    def counts(self, doc: Document) -> Mapping[str, Any]:
        """Document statistics without computing readability metrics (null unless a rule already asked for them)."""
        if doc.id in self._readability:
            return self._readability[doc.id]
        from qualcheck.stats import document_counts

        return document_counts(doc)
