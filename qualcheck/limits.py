"""Documented limits on what one document may be, so one pathological input cannot exhaust a run.

Past a limit the document is not checked; the reader says so in one notice naming the document,
its size and the limit (an input error: the run is incomplete, exit 2 unless --allow-incomplete).
It is never cut silently. The numbers are generous for news: the longest document in the
evaluation sets has 78,000 characters, the longest line (paragraph) 2,600. Past them the run
slows down more than linearly (a 100,000-character line took 25 s to check, a 30,000 one 6 s; a
1,000,000-character document of one repeated sentence 14 minutes and 1.6 GB, the cross-source
comparison being quadratic in the claims): bench/bench_limits.py measures a document at the
limits, and memory on 50 MB files.
"""

from __future__ import annotations

MAX_DOCUMENT_CHARS = 400_000  # characters in one document: 5x the longest news article we measured
MAX_LINE_CHARS = 20_000  # characters in one line: a paragraph of news is a few hundred
MAX_FILE_BYTES = 4 * MAX_DOCUMENT_CHARS + 4  # read at most this much of an article file (UTF-8: up to 4 bytes a character)
# seconds one document's checks may take in a worker process (-j): past it the worker ends, and the
# document is named and left unchecked (a document at the size limits took 329 s on a loaded machine)
MAX_DOCUMENT_SECONDS = 1800


def over(text: str) -> str | None:
    """Why ``text`` is over a limit (None when it is within them); scans once, without copying."""
    if len(text) > MAX_DOCUMENT_CHARS:
        return f"{len(text):,} characters, over the limit of {MAX_DOCUMENT_CHARS:,} per document"
    start, longest, at, lineno = 0, 0, 0, 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end == -1 else end
        if stop - start > longest:
            longest, at = stop - start, lineno
        if end == -1:
            break
        start, lineno = end + 1, lineno + 1
    if longest > MAX_LINE_CHARS:
        return f"line {at} has {longest:,} characters, over the limit of {MAX_LINE_CHARS:,} per line"
    return None


def too_big_file(size: int) -> str:
    return f"{size:,} bytes, over the limit of {MAX_DOCUMENT_CHARS:,} characters per document"
