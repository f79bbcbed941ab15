"""The document phase: on one document, the gate rules, then the document rules, then the score rules.

``DocumentRules`` holds them by phase: a gate rule that flags the document stops it (no other rule
runs, it leaves corpus rules); score rules (MT900, GR900) run last and read the findings the others
made (``kinds.Evidence``), including those of their ``inputs``: rules they weigh that the run did not
select, run here without reporting their findings.

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
import signal
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from qualcheck import forked, limits, suggestions
from qualcheck.cache import finding_from_row, finding_row, notice_from_row, notice_row
from qualcheck.context import Context, Corpus
from qualcheck.kinds import Evidence
from qualcheck.model import Finding, Notice
from qualcheck.store import _decode, _encode, tag_tuples

MIN_PER_WORKER = 4  # fewer documents than this per worker: one process is faster than starting more
IN_FLIGHT = 1024  # documents whose results may wait in memory while the engine is busy elsewhere


@dataclass
class DocumentResult:
    """What the document rules found in one document, and what they relied on."""

    findings: list[Finding] = field(default_factory=list)
    ran: set[str] = field(default_factory=set)  # categories whose rules ran
    notices: list[Notice] = field(default_factory=list)  # about this document
    run_notices: list[Notice] = field(default_factory=list)  # run-level notices first raised while checking it
    parts: dict[str, Any] = field(default_factory=dict)  # report parts of score rules: "sentences", "grammar_sentences"
    scores: dict[str, float] = field(default_factory=dict)  # category -> the score a score rule gave it
    gated: bool = False  # a gate rule flagged it: no other rule ran, it leaves corpus rules
    names: dict[str, bool] = field(default_factory=dict)  # corpus-name verdicts asked for
    stats: dict[str, Any] | None = None  # statistics and readability, when computed already
    checked: bool = True  # False: its worker died checking it; not stored, so the next run tries again

    def to_row(self) -> dict[str, Any]:
        return {
            "findings": [finding_row(f) for f in self.findings],
            "ran": sorted(self.ran),
            "notices": [notice_row(n) for n in self.notices],
            "run_notices": [notice_row(n) for n in self.run_notices],
            "parts": tag_tuples(dict(self.parts)),
            "scores": dict(self.scores),
            "gated": self.gated,
            "names": dict(self.names),
            "stats": self.stats,
            **({} if self.checked else {"checked": False}),
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "DocumentResult":
        return cls(
            findings=[finding_from_row(f) for f in row["findings"]],
            ran=set(row["ran"]),
            notices=[notice_from_row(n) for n in row["notices"]],
            run_notices=[notice_from_row(n) for n in row["run_notices"]],
            parts=row["parts"],
            scores=row["scores"],
            gated=row["gated"],
            names=row["names"],
            stats=row.get("stats"),
            checked=row.get("checked", True),
        )


@dataclass(frozen=True)
class DocumentRules:
    """The rules of the document phase by phase, in the order they run; ``inputs`` only feed score rules."""

    gate: tuple[Any, ...] = ()
    document: tuple[Any, ...] = ()
    score: tuple[Any, ...] = ()
    inputs: tuple[Any, ...] = ()  # rules the score rules weigh that the run did not select: run, not reported

    @classmethod
    def of(cls, rules: Sequence[Any], inputs: Sequence[Any] = ()) -> "DocumentRules":
        """Sort selected rules into phases (keeping their order); corpus rules are not part of this phase."""
        by = {phase: tuple(r for r in rules if r.phase == phase) for phase in ("gate", "document", "score")}
        return cls(by["gate"], by["document"], by["score"], tuple(inputs))

    @property
    def reported(self) -> tuple[Any, ...]:
        """The selected rules of this phase, whose findings are reported."""
        return self.gate + self.document + self.score


def check_document(doc: Any, rules: DocumentRules, ctx: Context, run_rule: Callable, timings: dict[str, float]) -> DocumentResult:
    """Run the gate rules, the document rules, then the score rules (with what the others found) on one document."""
    result = DocumentResult()
    before = len(ctx.notices)
    for rule in rules.gate:
        found = run_rule(rule, doc, ctx, result.notices, doc.id, timings)
        if found is not None:
            result.findings.extend(found)
            result.ran.add(rule.category)
        if found:
            result.gated = True
            result.notices.append(Notice("warning", f"{rule.code} ({rule.name}) flagged this document, so no other rule ran on it and it is left out of the cross-source comparison", document=doc.id, code="gate"))
            break
    if not result.gated:
        for rule in rules.document:
            found = run_rule(rule, doc, ctx, result.notices, doc.id, timings)
            if found is not None:
                result.findings.extend(found)
                result.ran.add(rule.category)
        if rules.score:
            _score(doc, rules, ctx, run_rule, timings, result)
        # a suggestion is a correct rewrite or absent (qualcheck/suggestions.py)
        result.findings = suggestions.verify(doc, result.findings, suggestions.checkers(rules.reported), ctx)
    result.run_notices = ctx.notices[before:]
    names = ctx.corpus.names_evidence
    result.names = names.lookups(doc.id) if names is not None else {}
    return result


def _score(doc: Any, rules: DocumentRules, ctx: Context, run_rule: Callable, timings: dict[str, float], result: DocumentResult) -> None:
    """Run the score rules on the document rules' findings (and their unselected inputs', not reported)."""
    read = list(result.findings)
    for rule in rules.inputs:
        if rule.phase != "score":
            found = run_rule(rule, doc, ctx, result.notices, doc.id, timings)
            read.extend(found or ())
    made_by = {r.code: r for r in (*rules.reported, *rules.inputs)}
    parts: dict[str, Any] = {}
    # score rules in code order, an unselected one only to hand its report part to those after it
    selected = {r.code for r in rules.score}
    for rule in sorted((*rules.score, *(r for r in rules.inputs if r.phase == "score")), key=lambda r: r.code):
        evidence = Evidence(tuple(read), made_by, dict(parts))
        scored = run_rule(rule, doc, ctx, result.notices, doc.id, timings, evidence=evidence)
        if scored is None:
            continue
        parts[scored.part] = scored.records
        if rule.code not in selected:
            continue
        result.findings.extend(scored.findings)
        result.ran.add(rule.category)
        result.parts[scored.part] = scored.records
        if scored.score is not None:
            result.scores[rule.category] = scored.score


# -- worker processes --------------------------------------------------------------------

_WORK: dict[str, Any] = {}  # what forked workers inherit: documents, rules, settings, names, run_rule


def check_chunk(docs: Sequence[Any], rules: DocumentRules, settings: Any, names: Any, run_rule: Callable,
                watchdog: bool = False) -> tuple[list[str], dict[str, float], list[dict]]:
    """Check some documents in a fresh context (a worker process, a Dask task) and return their rows as
    JSON (as the store keeps them), the time per rule, and the notices raised when the engines closed.

    ``watchdog`` (a forked worker's main thread only): a document whose checks take longer than
    ``limits.MAX_DOCUMENT_SECONDS`` ends the process (SIGALRM, which the kernel delivers even while
    a native library holds the interpreter); the document phase then names it (``_one_at_a_time``)."""
    ctx = Context(corpus=Corpus(list(docs), names_evidence=names), settings=settings)
    timings: dict[str, float] = {}
    results = []
    try:
        for doc in docs:
            if watchdog:
                signal.alarm(limits.MAX_DOCUMENT_SECONDS)
            try:
                result = check_document(doc, rules, ctx, run_rule, timings)
            finally:
                if watchdog:
                    signal.alarm(0)
            result.stats = dict(ctx.document_stats(doc, rules.reported))
            ctx.forget(doc)
            doc.release()  # a worker's copy: what it computed about the document is not needed again
            results.append(result)
    finally:
        ctx.close()
    said = {n for r in results for n in r.run_notices}
    closing = [notice_row(n) for n in ctx.notices if n not in said]  # raised when the worker's engines closed
    rows = [json.dumps(r.to_row(), default=_encode, ensure_ascii=False, allow_nan=True) for r in results]
    return rows, timings, closing


def result_from_json(row: str) -> DocumentResult:
    """A result row as ``check_chunk`` returns it."""
    return DocumentResult.from_row(json.loads(row, object_hook=_decode))


def _worker_chunk(indices: list[int]) -> tuple[list[str], dict[str, float], list[dict]]:
    """In a forked worker: check the documents it inherited at these indices."""
    return check_chunk([_WORK["documents"][i] for i in indices], _WORK["rules"], _WORK["settings"], _WORK["names"], _WORK["run_rule"],
                       watchdog=True)


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def check_all(
    documents: Sequence[Any],
    rules: DocumentRules,
    ctx: Context,
    run_rule: Callable,
    timings: dict[str, float],
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    facts: Callable[[Any], dict[str, Any]] | None = None,
    corpus: Sequence[Any] = (),
) -> "Results":
    """The document phase over many documents, in this process or in ``jobs`` forked workers: each
    document with its result, in the order of ``documents``, as it is asked for.

    ``facts`` (``corpus_facts.Facts``) and ``corpus``: the workers can also compute what the corpus
    rules need of any document of ``corpus`` (``Results.remote_facts``), so that step, which the
    engine runs while the workers check documents, uses every core too.

    Workers are forked here and handed the first ``IN_FLIGHT`` documents at once: they check
    documents while this process goes on (the engine runs the corpus rules meanwhile), and a worker
    is forked before the corpus rules fill this process's memory. The engine reports (and stores) each result as it
    comes, so neither results nor what a document computed about itself pile up over a long run.
    """
    # a gate run on a few new articles (too few for two workers), a corpus beside them: one worker checks
    # them while this process reads the corpus's claims and runs the corpus rules, which would otherwise come after
    beside = jobs > 1 and facts is not None and len(corpus) > len(documents) and len(documents) < 2 * MIN_PER_WORKER
    jobs = 1 if beside or jobs <= 1 else min(jobs, len(documents) // MIN_PER_WORKER)
    if (jobs <= 1 and not beside) or "fork" not in multiprocessing.get_all_start_methods():
        return Results(_serial(documents, rules, ctx, run_rule, timings, progress))
    # contiguous chunks, several per worker, so the language model still batches neighbours and a
    # slow chunk does not hold the others up
    size = max(1, min(64, len(documents) // (jobs * 4)))
    chunks = [list(range(i, min(i + size, len(documents)))) for i in range(0, len(documents), size)]
    workers = _Workers(jobs, dict(documents=list(documents), rules=rules, settings=ctx.settings, names=ctx.corpus.names_evidence,
                                  run_rule=run_rule, facts=facts, corpus=list(corpus)))
    started = time.perf_counter()
    window = max(jobs * 2, IN_FLIGHT // size)  # chunks submitted ahead of the one being read
    # when the corpus facts will be asked of the workers, they start with one chunk each, so that the
    # facts queue right behind and come back early: the corpus rules then run here while the workers
    # check the rest, instead of after them on one core (``Ahead.fill`` submits the rest)
    ahead = _Ahead(workers, chunks, window)
    try:
        ahead.fill(jobs if facts is not None and not beside else window)  # the workers are forked now
    except BaseException:
        workers.shutdown()
        raise
    rows = _in_order(workers, ahead, documents, ctx)
    results = Results(_collected(documents, rows, ctx, timings, progress, started), workers.shutdown)
    results.fill = ahead.fill
    if facts is not None and not beside:  # beside a gate run's worker, this process reads the claims (in a pool of its own when many)
        where = {doc.id: i for i, doc in enumerate(corpus)}

        def remote_facts(docs, *_):
            found = _facts_in_workers(workers, [where[d.id] for d in docs], jobs, facts, corpus)
            ahead.fill()
            return found

        results.remote_facts = remote_facts
    return results


class _Ahead:
    """The document chunks submitted to the workers and not yet read, in order."""

    def __init__(self, workers: "_Workers", chunks: list[list[int]], window: int) -> None:
        self.workers, self.chunks, self.window = workers, chunks, window
        self.queue: deque = deque()
        self.submitted = 0

    def fill(self, upto: int | None = None) -> None:
        """Submit chunks until ``upto`` (default: the window) are ahead of the one being read."""
        while self.submitted < len(self.chunks) and len(self.queue) < (self.window if upto is None else upto):
            chunk = self.chunks[self.submitted]
            self.queue.append((chunk, *self.workers.submit(_worker_chunk, chunk)))
            self.submitted += 1


class _Workers:
    """The document phase's worker processes, and the ones that replace them when a worker dies.

    A pool forks its workers at its first submit; they inherit what ``_WORK`` holds then. A pool
    whose worker died (the out-of-memory killer, a crash in a native library) is broken: its unread
    chunks fail, and the next chunks go to a new pool. A chunk lost that way is checked again one
    document at a time in a pool of one worker (``single``), so a document that kills its process
    on its own is the one named, and the others are checked."""

    def __init__(self, jobs: int, work: dict[str, Any]) -> None:
        self.jobs, self.work = jobs, work
        self.pool = forked.pool(jobs)
        self._forked: set[ProcessPoolExecutor] = set()  # pools whose workers are forked
        self._single: ProcessPoolExecutor | None = None
        self._causes: dict[ProcessPoolExecutor, str] = {}

    def submit(self, fn: Callable, arg: Any, single: bool = False) -> tuple[Future, ProcessPoolExecutor]:
        """``fn(arg)`` in a worker, and the pool it went to (``replace`` it if the future breaks); a pool
        found broken here (a worker died since the last submit) is replaced first."""
        executor = self.single() if single else self.pool
        try:
            return self._submit(executor, fn, arg), executor
        except BrokenProcessPool:  # its lost chunks are checked again when they are read
            self.replace(executor)
            executor = self.single() if single else self.pool
            return self._submit(executor, fn, arg), executor

    def _submit(self, executor: ProcessPoolExecutor, fn: Callable, arg: Any) -> Future:
        if executor in self._forked:
            return executor.submit(fn, arg)
        _WORK.update(self.work)  # the pool forks its workers at this first submit
        try:
            return executor.submit(fn, arg)
        finally:
            _WORK.clear()  # the workers have their copies
            self._forked.add(executor)

    def replace(self, executor: ProcessPoolExecutor) -> str:
        """Stop the broken ``executor``; later work goes to a new pool. Returns how its worker died."""
        if executor is self.pool:
            self.pool = forked.pool(self.jobs)
        elif executor is self._single:
            self._single = None
        if executor not in self._causes:  # its other lost chunks come here too
            self._causes[executor] = forked.stop_broken(executor)
        return self._causes[executor]

    def single(self) -> ProcessPoolExecutor:
        if self._single is None:
            self._single = forked.pool(1)
        return self._single

    def shutdown(self) -> None:
        for executor in (self.pool, self._single):
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)


def _facts_in_workers(workers: _Workers, indices: list[int], jobs: int, facts: Callable, corpus: Sequence[Any]) -> Iterator[dict[str, Any]]:
    """The corpus facts of the corpus documents at ``indices``, computed by the workers, in order
    (here, if a worker died: they depend only on the document, so they are the same). Submitted at
    once, before the caller goes on; read as the iterator is."""
    size = max(1, min(256, len(indices) // (jobs * 4)))
    parts = [indices[i : i + size] for i in range(0, len(indices), size)]
    futures = [workers.submit(_facts_chunk, part)[0] for part in parts]

    def read() -> Iterator[dict[str, Any]]:
        for part, future in zip(parts, futures):
            try:
                found = future.result()
            except BrokenProcessPool:
                found = [facts(corpus[i]) for i in part]
            yield from found

    return read()


def _facts_chunk(indices: list[int]) -> list[dict[str, Any]]:
    """In a forked worker: the corpus facts of the corpus documents it inherited at these indices."""
    return [_WORK["facts"](_WORK["corpus"][i]) for i in indices]


def _in_order(workers: _Workers, ahead: _Ahead, documents: Sequence[Any], ctx: Context) -> Iterator[Any]:
    """Each chunk with its rows, in order, keeping the window of chunks submitted ahead: the workers keep
    busy while the engine runs the corpus rules, and at most that many chunks' results wait in memory.
    A chunk whose worker died is checked again one document at a time (``_one_at_a_time``)."""
    ahead.fill()
    while ahead.queue:
        chunk, future, executor = ahead.queue.popleft()
        try:
            rows = future.result()
        except BrokenProcessPool:
            cause = workers.replace(executor)
            rows = _one_at_a_time(workers, chunk, documents, ctx, cause)
        ahead.fill()
        yield chunk, rows


def _one_at_a_time(workers: _Workers, chunk: list[int], documents: Sequence[Any], ctx: Context, cause: str) -> tuple[list[str], dict[str, float], list[dict]]:
    """The rows of a chunk whose worker died, each document checked alone in a pool of one worker: a
    document that kills that worker too is not checked, and is named; the run says so and is incomplete."""
    ctx.notice(Notice("warning", f"a worker process died ({cause}{_hint(cause)}) while checking documents; "
                                 f"the documents it had not finished were checked again one at a time", code="engine"))

    def alone(i: int) -> tuple[list[str], dict[str, float], list[dict]] | str:
        future, executor = workers.submit(_worker_chunk, [i], single=True)
        try:
            return future.result()
        except BrokenProcessPool:
            died = workers.replace(executor)
            return f"the worker process checking this document alone died ({died}{_hint(died)})"

    return each_alone([(documents[i].id, i) for i in chunk], alone)


def each_alone(items: Sequence[tuple[str, Any]], check: Callable[[Any], Any]) -> tuple[list[str], dict[str, float], list[dict]]:
    """The rows, summed timings and closing notices of documents checked one at a time: ``check(item)``
    gives a one-document chunk's (rows, timings, closing), or why its worker died, and then the
    document's row says it was not checked (``unchecked_row``). ``items``: (document id, item)."""
    texts: list[str] = []
    timings: dict[str, float] = {}
    closing: list[dict] = []
    for doc_id, item in items:
        got = check(item)
        if isinstance(got, str):
            texts.append(unchecked_row(doc_id, got))
            continue
        one_text, one_timings, one_closing = got
        texts.extend(one_text)
        for code, seconds in one_timings.items():
            timings[code] = timings.get(code, 0.0) + seconds
        closing.extend(n for n in one_closing if n not in closing)
    return texts, timings, closing


def _hint(died: str) -> str:
    """What a worker's death probably means, for the notice."""
    if died == "killed by SIGKILL":
        return ": perhaps out of memory"
    if died == "killed by SIGALRM":
        return f": a document's checks took longer than {limits.MAX_DOCUMENT_SECONDS} s"
    return ""


def unchecked_row(doc_id: str, why: str) -> str:
    """The result row of a document whose worker died checking it alone (``why``): an "input" error, so the run
    is incomplete (exit 2) and a gate never passes an article it could not check; never stored."""
    message = f"not checked: {why}"
    return json.dumps(DocumentResult(notices=[Notice("error", message, document=doc_id, code="input")], checked=False).to_row())


class Results:
    """The document phase's results as an iterator; ``close`` stops the workers elsewhere that
    produce them (``stop``) even if no result was read."""

    def __init__(self, results: Iterator[tuple[Any, DocumentResult]], stop: Callable[[], None] | None = None) -> None:
        self._results, self._stop = results, stop
        self.remote_facts: Callable[..., Iterator[dict[str, Any]]] | None = None  # corpus facts on the same cluster (Dask)
        self.fill: Callable[[], None] = lambda: None  # submit the rest of the work (the engine calls it once the facts are asked)

    def __iter__(self) -> "Results":
        return self

    def __next__(self) -> tuple[Any, DocumentResult]:
        return next(self._results)

    def close(self) -> None:
        self._results.close()
        stop, self._stop = self._stop, None
        if stop is not None:
            stop()


def _serial(documents, rules, ctx, run_rule, timings, progress) -> Iterator[tuple[Any, DocumentResult]]:
    for i, doc in enumerate(documents, 1):
        result = check_document(doc, rules, ctx, run_rule, timings)
        result.stats = dict(ctx.document_stats(doc, rules.reported))
        ctx.forget(doc)
        doc.release()
        if progress:
            progress(i, len(documents))
        yield doc, result


def _collected(documents, rows, ctx, timings, progress, started) -> Iterator[tuple[Any, DocumentResult]]:
    done = 0
    try:
        for indices, (texts, worker_timings, closing) in rows:
            for code, seconds in worker_timings.items():
                timings[code] = timings.get(code, 0.0) + seconds
            for n in closing:
                ctx.notice(notice_from_row(n))
            done += len(indices)
            if progress:
                for k in range(done - len(indices) + 1, done + 1):
                    progress(k, len(documents))
            for i, text in zip(indices, texts):
                yield documents[i], result_from_json(text)
    finally:
        timings["workers"] = time.perf_counter() - started
