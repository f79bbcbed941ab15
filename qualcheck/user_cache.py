"""The user's cache folder of unpacked engine data, and keeping it from growing with every install.

Engine data is cached under a name that says which installed files it came from (py3langid's model
by its version, size and time; lemminflect's tables; a Hunspell dictionary), so a new install or
upgrade starts a new entry and the old one is never read again. Each was left behind for good: a
machine that reinstalled qualcheck forty times held 2.4 GB of unpacked langid models. Now each use
marks its entry, and starting a new entry removes the same kind's entries that were not used
recently, keeping the few last used (two virtual environments in turn keep theirs).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

CACHE_ENV = "QUALCHECK_CACHE_DIR"  # where unpacked models are kept (default: $XDG_CACHE_HOME/qualcheck)
KEEP = 3  # entries of one kind kept, the new one included, by last use
GRACE_SECONDS = 24 * 3600  # an entry used within this time is never removed: another install may be running


def cache_dir() -> Path:
    """The folder qualcheck keeps unpacked engine data in: $QUALCHECK_CACHE_DIR, else $XDG_CACHE_HOME/qualcheck."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qualcheck"


def mark_used(entry: Path) -> None:
    """Record that ``entry`` was just read (its modification time), so pruning keeps it; never fails."""
    try:
        os.utime(entry)
    except OSError:
        pass


def prune(current: Path, prefix: str, now: float | None = None) -> list[Path]:
    """Remove the entries beside ``current`` named ``prefix...`` beyond the KEEP last used, unused for a day.

    Called when ``current`` was just created; files named after it (an SQLite file's -wal) are its own.
    Returns what was removed; a failure removes nothing more and raises nothing (a cache must never stop
    a run).
    """
    now = time.time() if now is None else now
    try:
        others = [p for p in current.parent.iterdir() if p.name.startswith(prefix) and not p.name.startswith(current.name)]
        used = sorted(((p.stat().st_mtime, p) for p in others), reverse=True)
    except OSError:
        return []
    removed = []
    for last_used, path in used[KEEP - 1:]:
        if now - last_used < GRACE_SECONDS:
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def size(folder: Path | None = None) -> tuple[int, int]:
    """(entries, bytes) in the cache folder, for ``--cache-info``."""
    folder = folder or cache_dir()
    try:
        entries = sum(1 for _ in folder.iterdir())
    except OSError:
        return 0, 0
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return entries, total
