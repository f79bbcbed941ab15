"""Write a file all at once: a temporary file in the same folder, flushed, then renamed over the target.

A report at the ``-o`` path is therefore either the previous one or the complete new one, never a
truncated or interleaved file, whatever happens meanwhile (Ctrl-C, SIGTERM, a full disk, two runs
writing the same path: the last rename wins, whole). A path that is no regular file (``/dev/null``,
a FIFO) is written in place: renaming over it would replace the device.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from qualcheck import filekind


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically; on any error the target is untouched and no temp file is left.

    Characters the encoding cannot hold (a lone surrogate that slipped past the readers) are written
    as U+FFFD / ``?`` rather than failing the whole report.
    """
    with streaming(path, encoding) as write:
        write(text)


@contextlib.contextmanager
def streaming(path: str | Path, encoding: str = "utf-8") -> Iterator[Callable[[str], None]]:
    """Write ``path`` piece by piece (a streamed report) and put it in place only when the block ends
    without an error: readers never see half a report, and on failure the old one stays."""
    path = Path(path)
    if path.exists() and not path.is_file():  # /dev/null, a FIFO, a terminal: written in place, never renamed over
        with _open_in_place(path) as fh:
            yield lambda text: fh.write(text.encode(encoding, "replace"))
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield lambda text: fh.write(text.encode(encoding, "replace"))
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


FIFO_READER_WAIT = 5.0  # seconds a named pipe may take to get its reader (one started beside the run)


def _open_in_place(path: Path):
    """Open a path that is no regular file for writing; a named pipe nobody reads is an error, not a wait
    for ever. A reader that opens the pipe within ``FIFO_READER_WAIT`` seconds is served: a reader started
    just before or beside the run may open it a moment after the report is ready."""
    if filekind.not_regular(path) != filekind.FIFO:
        return open(path, "wb")
    deadline = time.monotonic() + FIFO_READER_WAIT
    while True:
        try:  # without a reader, a non-blocking open fails at once (ENXIO) where a blocking one waits
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
            break
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                raise
            if time.monotonic() >= deadline:
                raise OSError(exc.errno, "it is a named pipe (FIFO) and nothing is reading from it") from None
            time.sleep(0.02)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "wb")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
