"""The corpus store: a SQLite cache of what checking a document produced, so a run re-checks only
the documents whose content or rules changed (a CI gate checks one new article in seconds).

Three tables, each keyed by the document, a hash of its content and the hash of what produced the
row, so an edit, another rule set or another engine version is a miss, never a wrong hit:

- ``results``: the document phase (findings before scoring, categories run, notices, report parts and scores,
  statistics, the corpus-name verdicts it relied on), keyed by rule-set hash.
- ``claims``: extracted claims for cross-source agreement, keyed by extractor hash.
- ``names``: the document's name counts (``corpus_names.contribution``).

The file is created on first use (``.qualcheck/store.db`` beside the config by default). WAL mode
and a busy timeout let concurrent runs share it. A file that is not a qualcheck store, or is
damaged, is set aside (renamed ``*.corrupt-<time>``, never deleted), a notice says so, and a new
store is built: a cache may be rebuilt, it must never give a wrong result or a traceback.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Mapping

from qualcheck import filekind
from qualcheck.model import Notice

APPLICATION_ID = 0x51434B53  # "QCKS": marks the file as a qualcheck store
SCHEMA_VERSION = 1
DEFAULT_PATH = ".qualcheck/store.db"
TABLES = ("results", "claims", "names")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (document TEXT NOT NULL, content TEXT NOT NULL, producer TEXT NOT NULL,
    payload TEXT NOT NULL, stored_at REAL NOT NULL, PRIMARY KEY (document, producer));
CREATE TABLE IF NOT EXISTS claims (document TEXT NOT NULL, content TEXT NOT NULL, producer TEXT NOT NULL,
    payload TEXT NOT NULL, stored_at REAL NOT NULL, PRIMARY KEY (document, producer));
CREATE TABLE IF NOT EXISTS names (document TEXT NOT NULL, content TEXT NOT NULL, producer TEXT NOT NULL,
    payload TEXT NOT NULL, stored_at REAL NOT NULL, PRIMARY KEY (document, producer));
"""


class Store:
    """One store file; ``get_many``/``put_many`` per table. Thread-safe for one process."""

    def __init__(self, path: str | Path, notices: list[Notice] | None = None) -> None:
        self.path = Path(path)
        self.notices = notices if notices is not None else []
        self._lock = threading.Lock()
        self.db = self._open()

    # -- opening, and surviving a bad file ------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        kind = filekind.not_regular(self.path)
        if kind:  # SQLite would fail on it, and setting it aside would rename (or delete) a device or folder
            raise StoreError(f"{self.path}: cannot use it as the store: it is {kind}, not a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the store's folder: {exc.strerror or exc}") from None
        try:
            return self._connect()
        except _Foreign as exc:
            reason = str(exc)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):  # a full disk, a read-only folder, a lock: the file is fine, so it stays
                raise StoreError(f"{self.path}: cannot open the store: {exc}") from None
            reason = f"damaged ({exc})"
        aside = self._set_aside()
        self.notices.append(Notice("warning", f"store {self.path}: {reason}; moved it to {aside.name} and built a new one (documents are re-checked once)", code="store"))
        try:
            return self._connect()
        except (sqlite3.DatabaseError, _Foreign) as exc:
            raise StoreError(f"{self.path}: cannot build a new store: {exc}") from None

    def _connect(self) -> sqlite3.Connection:
        existed = self.path.exists() and self.path.stat().st_size > 0
        if existed:
            with self.path.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise _Foreign("not a SQLite database")
        db = sqlite3.connect(str(self.path), timeout=60.0, check_same_thread=False, isolation_level=None)
        try:
            return self._prepared(db, existed)
        except BaseException as exc:
            db.close()
            if not existed and getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_FULL", "SQLITE_IOERR")):
                self._remove_new()  # half-built (the disk filled up): not left to be taken for damage next time
            raise

    def _prepared(self, db: sqlite3.Connection, existed: bool) -> sqlite3.Connection:
        db.execute("PRAGMA busy_timeout = 60000")
        app, version = db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]
        if existed and app != APPLICATION_ID:
            raise _Foreign("not a qualcheck store (another program's SQLite database)")
        if existed and version != SCHEMA_VERSION:
            raise _Foreign(f"store schema {version}, this qualcheck uses {SCHEMA_VERSION}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        if not existed or app != APPLICATION_ID:
            db.execute("BEGIN IMMEDIATE")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            db.execute("COMMIT")
        check = db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(check)
        for table in TABLES:
            db.execute(f"SELECT document, content, producer, payload FROM {table} LIMIT 1").fetchall()
        return db

    def _remove_new(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                self.path.with_name(self.path.name + suffix).unlink()
            except OSError:
                pass

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
        return aside

    # -- reading and writing ---------------------------------------------------------------

    def get_many(self, table: str, producer: str, wanted: Mapping[str, str]) -> dict[str, Any]:
        """Payloads of ``table`` for documents whose stored content hash equals ``wanted[document]``."""
        assert table in TABLES
        if not wanted:
            return {}
        out: dict[str, Any] = {}
        try:
            with self._lock:
                if len(wanted) <= 200:  # a gate run asks for a few documents: read only their rows
                    ids = list(wanted)
                    rows = self.db.execute(
                        f"SELECT document, content, payload FROM {table} WHERE producer = ? AND document IN ({', '.join('?' * len(ids))})",
                        (producer, *ids),
                    ).fetchall()
                else:
                    rows = self.db.execute(f"SELECT document, content, payload FROM {table} WHERE producer = ?", (producer,)).fetchall()
        except sqlite3.DatabaseError as exc:
            self.notices.append(Notice("warning", f"store {self.path}: cannot read ({exc}); documents are re-checked", code="store"))
            return {}
        for document, content, payload in rows:
            if wanted.get(document) == content:
                try:
                    out[document] = json.loads(payload, object_hook=_decode)
                except (ValueError, TypeError):
                    continue  # a damaged row is a miss
        return out

    def put_many(self, table: str, producer: str, rows: Iterable[tuple[str, str, Any]]) -> int:
        """Insert or replace ``(document, content hash, payload)`` rows; return how many."""
        assert table in TABLES
        now = time.time()
        values = [(doc, content, producer, json.dumps(payload, default=_encode, ensure_ascii=False, allow_nan=True), now) for doc, content, payload in rows]
        if not values:
            return 0
        try:
            with self._lock:
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    self.db.executemany(f"INSERT OR REPLACE INTO {table} (document, content, producer, payload, stored_at) VALUES (?, ?, ?, ?, ?)", values)
                    self.db.execute("COMMIT")
                except BaseException:
                    self.db.execute("ROLLBACK")
                    raise
        except sqlite3.DatabaseError as exc:
            self.notices.append(Notice("warning", f"store {self.path}: cannot write ({exc}); results are not cached this run", code="store"))
            return 0
        return len(values)

    def info(self) -> dict[str, Any]:
        """Rows per table, documents, and the file's size: what ``--cache-info`` prints."""
        with self._lock:
            counts = {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
            documents = self.db.execute("SELECT COUNT(DISTINCT document) FROM (SELECT document FROM results UNION ALL SELECT document FROM claims UNION ALL SELECT document FROM names)").fetchone()[0]
            producers = self.db.execute("SELECT COUNT(DISTINCT producer) FROM results").fetchone()[0]
        size = sum(p.stat().st_size for p in (self.path, self.path.with_name(self.path.name + "-wal")) if p.exists())
        return {"path": str(self.path), "documents": documents, "rule_sets": producers, "bytes": size, **counts}

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StoreError(Exception):
    """The store cannot be used at all (e.g. its folder cannot be created)."""


# SQLite's errors that say the file cannot be used here and now, not that it is damaged
_CIRCUMSTANCES = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_BUSY", "SQLITE_LOCKED",
                  "SQLITE_PERM", "SQLITE_NOMEM", "SQLITE_AUTH")


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether an error opening a SQLite file (the store, a decisions database) means the file is
    damaged (set aside), rather than that it cannot be used now (a full disk, no permission, a lock):
    then it is left as it is."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return not name.startswith(_CIRCUMSTANCES)


def not_a_store(path: Path) -> str | None:
    """Why an existing ``path`` is not a qualcheck store that may be deleted (None when it is one, or is missing)."""
    kind = filekind.not_regular(path)
    if kind:
        return f"it is {kind}, not a store"
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    if not head:
        return None  # an empty file: a store that was never written
    if len(head) < 72 or not head.startswith(b"SQLite format 3\x00") or int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        return "it is not a qualcheck store"
    return None


class _Foreign(Exception):
    """The file is not a store this qualcheck can use."""


def clear(path: str | Path) -> bool:
    """Delete the store file (and its WAL side files); return whether there was one.

    Raises:
        StoreError: the path is not a qualcheck store (a device, a folder, another program's file):
            it is left as it is, so a mistyped ``--store`` never deletes what it names.
    """
    p = Path(path)
    problem = not_a_store(p)
    if problem:
        raise StoreError(f"{p}: not deleted: {problem}")
    found = False
    for side in (p, p.with_name(p.name + "-wal"), p.with_name(p.name + "-shm")):
        if side.exists():
            side.unlink()
            found = True
    return found


# JSON for the values claims and findings carry: tuples, frozen quantities, infinities.


def _encode(value: Any) -> Any:
    from qualcheck.agreement.claims import Quantity

    if isinstance(value, Quantity):
        return {"\x00Q": [_float(value.low), _float(value.high), value.unit, value.direction, value.precision, value.level, value.written]}
    if isinstance(value, (set, frozenset)):
        return {"\x00S": sorted(value, key=repr)}
    from qualcheck.agreement.owners import Owner

    if isinstance(value, Owner):  # what a figure belongs to (names, places, things, periods)
        return {"\x00O": [sorted(value.names), sorted(value.places), sorted(value.things), sorted(list(p) for p in value.periods)]}
    raise TypeError(f"cannot store a {type(value).__name__}")


def _float(x: float) -> Any:
    return x if math.isfinite(x) else repr(x)


def _unfloat(x: Any) -> Any:
    return float(x) if isinstance(x, str) else x


def _decode(obj: dict) -> Any:
    if "\x00Q" in obj and len(obj) == 1:
        from qualcheck.agreement.claims import Quantity

        low, high, unit, direction, precision, level, *written = obj["\x00Q"]
        return Quantity(_unfloat(low), _unfloat(high), unit, direction, precision, level, *written)
    if "\x00T" in obj and len(obj) == 1:
        return tuple(obj["\x00T"])
    if "\x00S" in obj and len(obj) == 1:
        return frozenset(obj["\x00S"])
    if "\x00O" in obj and len(obj) == 1:
        from qualcheck.agreement.owners import Owner

        names, places, things, periods = obj["\x00O"]
        return Owner(frozenset(names), frozenset(places), frozenset(things), frozenset(tuple(p) for p in periods))
    return obj


def tag_tuples(value: Any) -> Any:
    """JSON turns tuples into lists; claims compare tuples by value, so mark them to come back as tuples."""
    if isinstance(value, tuple):
        return {"\x00T": [tag_tuples(v) for v in value]}
    if isinstance(value, list):
        return [tag_tuples(v) for v in value]
    if isinstance(value, dict):
        return {k: tag_tuples(v) for k, v in value.items()}
    return value
