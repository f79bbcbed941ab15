"""Map a function over documents in forked worker processes, results in input order.

Corpus-wide steps that run before the document phase (each document's name counts, its corpus
facts) read every document once; on a large corpus that is minutes of one core. Forked workers
inherit the documents and the function (nothing is pickled on the way in), take chunks of indices,
and send back only each document's small result; the results come back in input order, so a
parallel run sums and stores exactly what a serial one does.

A worker can die (the out-of-memory killer, a crash in a native library). The pool is then broken;
what it had not handed back is computed in this process instead, so the results are the same.
The document phase uses ``pool`` and ``stop_broken`` too, for its own recovery.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterator, Sequence

MIN_PER_WORKER = 64  # fewer documents than this per worker: starting processes costs more than it saves
MAX_CHUNK = 256  # indices per task: small enough that the workers stay busy to the end
_WORK: dict[str, Any] = {}  # what forked workers inherit: the items and the function


def workers(count: int, jobs: int) -> int:
    """How many worker processes ``count`` items are worth with ``jobs`` allowed (1: here, no fork)."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(jobs, count // MIN_PER_WORKER))


def map_in_order(function: Callable[[Any], Any], items: Sequence[Any], jobs: int) -> Iterator[Any]:
    """``function(item)`` for each item, in order; in ``workers(len(items), jobs)`` forked processes.

    A generator: results are handed on as they arrive, so a caller that sums them never holds them all.
    """
    items = list(items)
    count = workers(len(items), jobs)
    if count <= 1:
        yield from map(function, items)
        return
    size = max(1, min(MAX_CHUNK, len(items) // (count * 4)))
    chunks = [range(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    _WORK.update(items=items, function=function)
    handed = 0
    try:
        with pool(count) as executor:
            try:
                for results in executor.map(_chunk, chunks):
                    yield from results
                    handed += 1
            except BrokenProcessPool:
                pass  # a worker died: the chunks not handed back are computed below
    finally:
        _WORK.clear()
    for chunk in chunks[handed:]:
        yield from (function(items[i]) for i in chunk)


def _chunk(indices: range) -> list[Any]:
    """In a forked worker: the function's results for the inherited items at these indices."""
    return [_WORK["function"](_WORK["items"][i]) for i in indices]


def _started() -> None:
    """In a new worker: SIGTERM ends it at once. It would otherwise run the handler inherited from the
    command line, which prints that the run was terminated and unwinds; a worker blocked writing its
    result to the pool's pipe never gets to run it, and the pool, ending its workers after one died,
    would wait for it for ever."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the document phase's watchdog ends the worker (check_chunk)


def pool(count: int) -> ProcessPoolExecutor:
    """A pool of ``count`` forked workers (forked at the first submit)."""
    return ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork"), initializer=_started)


def stop_broken(executor: ProcessPoolExecutor) -> str:
    """Shut a broken pool down and say how its worker died ("killed by SIGKILL"), as far as it knows."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # gone after shutdown
    executor.shutdown(wait=True, cancel_futures=True)  # joins them: their exit codes are final
    codes = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
    codes.sort(key=lambda c: c == -signal.SIGTERM)  # the pool ends the others with SIGTERM after one died
    if not codes:
        return "ended"
    if codes[0] < 0:
        try:
            return f"killed by {signal.Signals(-codes[0]).name}"
        except ValueError:
            return f"killed by signal {-codes[0]}"
    return f"exited with status {codes[0]}"
