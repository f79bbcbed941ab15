"""The document phase: every document rule on one document, gate rules first.

Its result (``DocumentResult``) depends only on the document, the rules, the settings and the
corpus-name verdicts it asked for, so it can be stored (``cache.py``) and computed in another
process: ``check_all`` runs it in ``jobs`` worker processes, each loading its engines once, and the
results come back as the same rows the store keeps, so a parallel, a cached and a serial run give
the same report.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from qualcheck import suggestions
from qualcheck.cache import finding_from_row, finding_row, notice_from_row, notice_row
from qualcheck.context import Context, Corpus
from qualcheck.model import Finding, Notice
from qualcheck.store import _decode, _encode, tag_tuples

MIN_PER_WORKER = 4  # fewer documents than this per worker: one process is faster than starting more


@dataclass
class DocumentResult:
    """What the document rules found in one document, and what they relied on."""

    findings: list[Finding] = field(default_factory=list)
    ran: set[str] = field(default_factory=set)  # categories whose rules ran
    notices: list[Notice] = field(default_factory=list)  # about this document
    run_notices: list[Notice] = field(default_factory=list)  # run-level notices first raised while checking it
    measurements: dict[str, Any] = field(default_factory=dict)  # sentence scores, score.translation, ...
    gated: bool = False  # a gate rule flagged it: no other rule ran, it leaves corpus rules
    names: dict[str, bool] = field(default_factory=dict)  # corpus-name verdicts asked for
    stats: dict[str, Any] | None = None  # statistics and readability, when computed already

    def to_row(self) -> dict[str, Any]:
        return {
            "findings": [finding_row(f) for f in self.findings],
            "ran": sorted(self.ran),
            "notices": [notice_row(n) for n in self.notices],
            "run_notices": [notice_row(n) for n in self.run_notices],
            "measurements": tag_tuples(dict(self.measurements)),
            "gated": self.gated,
            "names": dict(self.names),
            "stats": self.stats,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "DocumentResult":
        return cls(
            findings=[finding_from_row(f) for f in row["findings"]],
            ran=set(row["ran"]),
            notices=[notice_from_row(n) for n in row["notices"]],
            run_notices=[notice_from_row(n) for n in row["run_notices"]],
            measurements=row["measurements"],
            gated=row["gated"],
            names=row["names"],
            stats=row.get("stats"),
        )


def check_document(doc: Any, rules: Sequence[Any], ctx: Context, run_rule: Callable, timings: dict[str, float]) -> DocumentResult:
    """Run the document rules (sorted gate rules first) on one document."""
    result = DocumentResult()
    before = len(ctx.notices)
    for rule in rules:
        if result.gated:
            break
        found = run_rule(rule, doc, ctx, result.notices, doc.id, timings)
        if found is not None:
            result.findings.extend(found)
            result.ran.add(rule.category)
        if found and rule.spec.gate:
            result.gated = True
            result.notices.append(Notice("warning", f"{rule.code} ({rule.name}) flagged this document, so no other rule ran on it and it is left out of the cross-source comparison", document=doc.id, code="gate"))
    if not result.gated:  # a suggestion is a correct rewrite or absent (qualcheck/suggestions.py)
        result.findings = suggestions.verify(doc, result.findings, suggestions.checkers(rules), ctx)
    result.measurements = ctx.measurements.get(doc.id, {})
    result.run_notices = ctx.notices[before:]
    names = ctx.corpus.names_evidence
    result.names = names.lookups(doc.id) if names is not None else {}
    return result


# -- worker processes --------------------------------------------------------------------

_WORK: dict[str, Any] = {}  # what forked workers inherit: documents, rules, settings, names, run_rule


def _worker_chunk(indices: list[int]) -> tuple[list[str], dict[str, float], list[dict]]:
    """In a worker: check some documents, return their rows as JSON (as the store keeps them)."""
    docs = [_WORK["documents"][i] for i in indices]
    ctx = Context(corpus=Corpus(docs, names_evidence=_WORK["names"]), settings=_WORK["settings"])
    timings: dict[str, float] = {}
    results = []
    try:
        for doc in docs:
            result = check_document(doc, _WORK["rules"], ctx, _WORK["run_rule"], timings)
            result.stats = dict(ctx.document_stats(doc, _WORK["rules"]))
            results.append(result)
    finally:
        ctx.close()
    said = {n for r in results for n in r.run_notices}
    closing = [notice_row(n) for n in ctx.notices if n not in said]  # raised when the worker's engines closed
    rows = [json.dumps(r.to_row(), default=_encode, ensure_ascii=False, allow_nan=True) for r in results]
    return rows, timings, closing


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def check_all(
    documents: Sequence[Any],
    rules: Sequence[Any],
    ctx: Context,
    run_rule: Callable,
    timings: dict[str, float],
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    finished: Callable[[Any, DocumentResult], None] | None = None,
) -> dict[str, DocumentResult]:
    """The document phase over many documents: in this process, or in ``jobs`` forked workers.

    ``finished(doc, result)`` is called as each document is done (the engine stores results as
    they come, so an interrupted run keeps what it finished)."""
    jobs = min(jobs, len(documents) // MIN_PER_WORKER) if jobs > 1 else 1
    out: dict[str, DocumentResult] = {}
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for i, doc in enumerate(documents, 1):
            out[doc.id] = check_document(doc, rules, ctx, run_rule, timings)
            if finished:
                finished(doc, out[doc.id])
            if progress:
                progress(i, len(documents))
        return out
    # contiguous chunks, several per worker, so the language model still batches neighbours and a
    # slow chunk does not hold the others up
    size = max(1, min(64, len(documents) // (jobs * 4)))
    chunks = [list(range(i, min(i + size, len(documents)))) for i in range(0, len(documents), size)]
    _WORK.update(documents=list(documents), rules=list(rules), settings=ctx.settings, names=ctx.corpus.names_evidence, run_rule=run_rule)
    done = 0
    started = time.perf_counter()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for indices, (rows, worker_timings, closing) in zip(chunks, pool.map(_worker_chunk, chunks)):
                for i, row in zip(indices, rows):
                    out[documents[i].id] = DocumentResult.from_row(json.loads(row, object_hook=_decode))
                    if finished:
                        finished(documents[i], out[documents[i].id])
                for code, seconds in worker_timings.items():
                    timings[code] = timings.get(code, 0.0) + seconds
                for n in closing:
                    ctx.notice(notice_from_row(n))
                done += len(indices)
                if progress:
                    for k in range(done - len(indices) + 1, done + 1):
                        progress(k, len(documents))
    finally:
        _WORK.clear()
    timings["workers"] = time.perf_counter() - started
    return out
