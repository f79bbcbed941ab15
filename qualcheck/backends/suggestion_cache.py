"""Hunspell's spelling suggestions kept between runs, in the user's cache folder.

Hunspell takes 20-90 ms to suggest spellings for one unknown word, and a run over a thousand news
articles asks for a few hundred words (the report's suggestions, and ``Speller.common`` telling a
rare word from a misspelling): about a sixth of a default run's CPU. A word's suggestions depend
only on the word and the dictionary's files, so they are kept in a small SQLite file named after
those files (name, size, modification time) and Hunspell is asked once per word and dictionary,
not once per run and process. This is a cache of an engine's answers, like the unpacked langid
model: ``--no-cache`` (the corpus store) does not touch it. A cache that cannot be opened, read
or written (read-only home, full disk, a damaged file, another process holding the lock) is
ignored: suggestions are computed as before, and are the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

from qualcheck.user_cache import cache_dir, mark_used, prune

DICTIONARY_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"), Path("/usr/share/myspell"))
VERSION = "1"  # bump when what is stored changes


def dictionary_key(lang: str, provider: str) -> str:
    """A name for the dictionary's state: its files' sizes and times when they are found, else its name only."""
    parts = [VERSION, provider, lang]
    for folder in DICTIONARY_DIRS:
        files = [folder / f"{lang}.dic", folder / f"{lang}.aff"]
        if all(f.is_file() for f in files):
            for f in files:
                st = f.stat()
                parts += [str(f), str(st.st_size), str(st.st_mtime_ns)]
            break
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


class SuggestionCache:
    """Suggestions by word for one dictionary; every failure is a miss, never an error."""

    def __init__(self, key: str) -> None:
        self.path = cache_dir() / f"hunspell-suggestions-{key}.sqlite"
        self._db: sqlite3.Connection | None = None
        self._pid = -1
        self._broken = False

    def _connection(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        # a connection must not cross a fork: a forked worker opens its own
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            new = not self.path.exists()
            db = sqlite3.connect(self.path, timeout=0.5, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # a cache: a lost write is asked of Hunspell again
            db.execute("CREATE TABLE IF NOT EXISTS suggestions (word TEXT PRIMARY KEY, found TEXT NOT NULL)")
        except (OSError, sqlite3.Error):
            self._broken = True
            return None
        self._db, self._pid = db, os.getpid()
        if new:
            prune(self.path, "hunspell-suggestions-")
        else:
            mark_used(self.path)
        return db

    def get(self, word: str) -> tuple[str, ...] | None:
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute("SELECT found FROM suggestions WHERE word = ?", (word,)).fetchone()
            return tuple(json.loads(row[0])) if row else None
        except (sqlite3.Error, ValueError, TypeError):
            return None

    def put(self, word: str, found: tuple[str, ...]) -> None:
        db = self._connection()
        if db is None:
            return
        try:
            db.execute("INSERT OR REPLACE INTO suggestions (word, found) VALUES (?, ?)", (word, json.dumps(list(found))))
        except sqlite3.Error:
            pass  # locked by another run for longer than the timeout, or a full disk: computed again next time
