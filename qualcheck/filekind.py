"""Say what a path is when it is not a regular file, and open inputs without hanging on a named pipe.

A named pipe (FIFO) with nobody writing to it makes ``open()`` wait for ever, and the store or a
decisions database at a device path (``--store /dev/null``) would be deleted or renamed when SQLite
fails on it. Every place that opens, replaces or deletes a file the user named asks here first.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

FIFO = "a named pipe (FIFO)"
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, FIFO),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def describe(mode: int) -> str:
    """'a directory', 'a named pipe (FIFO)', ... for a stat mode that is no regular file."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular(path: str | Path) -> str | None:
    """What ``path`` is when it exists and is no regular file (after symlinks); None otherwise.

    None also when it does not exist or cannot be looked at: the caller's own open says why.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return None if stat.S_ISREG(mode) else describe(mode)


def open_input(path: str | Path) -> BinaryIO:
    """Open a file for reading, binary; a named pipe nobody writes to reads as empty instead of hanging.

    ``open()`` on a FIFO waits for a writer; opened non-blocking it returns at once, and once set
    back to blocking a read gives the data of a writer that is there (``<(command)``), or end of
    file when there is none.
    """
    if not_regular(path) != FIFO:
        return Path(path).open("rb")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
