"""The Context a kind receives: the corpus, the settings, the engines (backends) and the caches.

It carries nothing from one rule to another: what a rule finds goes back to the engine as its
return value (findings, ``kinds.Scored``, ``kinds.Compared``), and the engine hands score rules the
findings they read (``kinds.Evidence``).
"""

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

    ``backends`` holds engine adapters built once per run, with the run-level notices they raise and
    what must be closed when the run ends; ``cache`` is the corpus store; ``memo`` and the statistics
    cache keep what is costly to compute (a loaded model, a tagged document) for the rest of the run.
    """

    corpus: Corpus
    settings: Any = None
    cache: Any = None  # qualcheck.cache.NoCache / StoreCache: claims and results kept between runs
    backends: dict[str, Any] = field(default_factory=dict)
    _readability: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)
    _per_document: dict[str, dict[str, Any]] = field(default_factory=dict)
    _forgetters: list[Callable[[str], None]] = field(default_factory=list)
    notices: list[Any] = field(default_factory=list)  # run-level notices raised by backends, each once
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def memo(self, key: str, factory: Callable[[], Any]) -> Any:
        """Compute a costly value once per run (a loaded engine, a tagged document, the corpus's claim analysis)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]

    def per_document(self, key: str) -> dict[str, Any]:
        """A cache keyed by document id whose entries ``forget`` drops when a document is done (a parsed
        sentence, the language model's scores), so a long run does not keep every document's."""
        return self._per_document.setdefault(key, {})

    def forget(self, doc: Document) -> None:
        """Drop what was cached about ``doc`` for the rules that checked it: it has been checked."""
        self._readability.pop(doc.id, None)
        for cache in self._per_document.values():
            cache.pop(doc.id, None)
        for forget in self._forgetters:
            forget(doc.id)

    def on_forget(self, forget: Callable[[str], None]) -> None:
        """Have ``forget`` called with each document's id when it has been checked (a backend's own cache)."""
        self._forgetters.append(forget)

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
