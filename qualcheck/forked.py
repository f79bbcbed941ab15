"""Map a function over documents in forked worker processes, results in input order.

Corpus-wide steps that run before the document phase (each document's name counts, its corpus
facts) read every document once; on a large corpus that is minutes of one core. Forked workers
inherit the documents and the function (nothing is pickled on the way in), take chunks of indices,
and send back only each document's small result; the results come back in input order, so a
parallel run sums and stores exactly what a serial one does.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
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
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork")) as pool:
            for results in pool.map(_chunk, chunks):
                yield from results
    finally:
        _WORK.clear()


def _chunk(indices: range) -> list[Any]:
    """In a forked worker: the function's results for the inherited items at these indices."""
    return [_WORK["function"](_WORK["items"][i]) for i in indices]
