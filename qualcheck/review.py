"""Editor decisions (accepted / dismissed, with a note) keyed by stable finding fingerprints.

Decisions live in a SQLite database (``DecisionStore``) so a newsroom keeps one history across
runs, and travel as JSON Lines (one decision a line) between the HTML report, where editors make
them, and the repository, where they are committed next to the articles::

    {"fingerprint": "3f2a9c0e1b7d4a55", "status": "dismissed", "note": "quoted slogan",
     "code": "BP102", "document": "seeds/001.txt", "excerpt": "More From Category",
     "decided_at": "2024-05-02T10:31:00Z"}

Only ``fingerprint`` and ``status`` are required; the rest is context for humans reading the file.
Fingerprints hash the code, document, excerpt and the sentence around it (``model.fingerprint``), not
offsets, so a decision survives edits elsewhere in the article.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

from qualcheck import atomic, filekind
from qualcheck.errors import QualcheckError
from qualcheck.textsafe import scrub

STATUSES = ("accepted", "dismissed")
FIELDS = ("fingerprint", "status", "note", "code", "document", "excerpt", "decided_at")
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


class DecisionFileError(QualcheckError):
    """A decisions file cannot be read; the message names the file, the line and the problem."""


class UnusableDatabase(DecisionFileError):
    """A decisions database that SQLite cannot read (corrupt) or that holds another schema (foreign)."""


class UnavailableDatabase(DecisionFileError):
    """A decisions database that cannot be read now (locked by another writer, a full disk, no
    permission): nothing is wrong with the file, so it is never set aside."""


def _sqlite_problem(path: str, exc: sqlite3.DatabaseError) -> DecisionFileError:
    from qualcheck.store import is_damage

    if is_damage(exc):
        return UnusableDatabase(f"{path}: not a usable decisions database: {exc}")
    return UnavailableDatabase(f"{path}: cannot read the decisions database now: {exc}")


@dataclass(frozen=True)
class Decision:
    """One editor's verdict on one finding."""

    fingerprint: str
    status: str  # "accepted" (a real problem) | "dismissed" (a false alarm)
    note: str = ""
    code: str = ""
    document: str = ""
    excerpt: str = ""
    decided_at: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> "Decision":
        """Validate a mapping read from JSON; raise ValueError naming the bad key."""
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        unknown = sorted(set(data) - set(FIELDS))
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown key (expected {', '.join(FIELDS)})")
        fp = data.get("fingerprint")
        if not isinstance(fp, str) or not fp.strip():
            raise ValueError("fingerprint: missing or not a string")
        status = data.get("status")
        if status not in STATUSES:
            raise ValueError(f"status: {status!r} is not one of {', '.join(STATUSES)}")
        values = {}
        for key in FIELDS[2:]:
            value = data.get(key, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise ValueError(f"{key}: expected a string, got {type(value).__name__}")
            values[key] = scrub(value)[0]  # a "\udfff" in JSON must not break the file when written back
        return cls(fingerprint=scrub(fp.strip())[0], status=status, **values)

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v or k in ("fingerprint", "status")}


def parse_jsonl(text: str, name: str) -> list[Decision]:
    """Read decisions from JSON Lines text; blank lines are skipped, a bad line is an error."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(Decision.from_dict(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise DecisionFileError(f"{name}:{number}: not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise DecisionFileError(f"{name}:{number}: not valid JSON: nested too deeply") from None
        except ValueError as exc:
            raise DecisionFileError(f"{name}:{number}: {exc}") from None
    return out


def to_jsonl(decisions: Iterable[Decision]) -> str:
    """Write decisions as JSON Lines, sorted by fingerprint so the file diffs well."""
    rows = sorted(decisions, key=lambda d: d.fingerprint)
    return "".join(json.dumps(d.to_dict(), sort_keys=True, ensure_ascii=False) + "\n" for d in rows)


class DecisionStore:
    """Decisions in a SQLite database, one row per fingerprint (the latest decision wins)."""

    SCHEMA = """
        CREATE TABLE IF NOT EXISTS decisions (
            fingerprint TEXT PRIMARY KEY,
            status      TEXT NOT NULL CHECK (status IN ('accepted', 'dismissed')),
            note        TEXT NOT NULL DEFAULT '',
            code        TEXT NOT NULL DEFAULT '',
            document    TEXT NOT NULL DEFAULT '',
            excerpt     TEXT NOT NULL DEFAULT '',
            decided_at  TEXT NOT NULL DEFAULT ''
        )"""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db = None
        try:
            self.db = sqlite3.connect(self.path)
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(decisions)")}
            if columns and not set(FIELDS) <= columns:
                missing = ", ".join(sorted(set(FIELDS) - columns))
                raise UnusableDatabase(f"{self.path}: not a qualcheck decisions database (its decisions table lacks {missing})")
            if not columns and self.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]:
                raise UnusableDatabase(f"{self.path}: not a qualcheck decisions database (it has other tables and no decisions table)")
            self.db.execute(self.SCHEMA)
            self.db.commit()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise _sqlite_problem(self.path, exc) from None
        except UnusableDatabase:
            self.close()
            raise

    def __enter__(self) -> "DecisionStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def put(self, decisions: Decision | Iterable[Decision]) -> int:
        """Insert or replace decisions; return how many were written."""
        rows = [decisions] if isinstance(decisions, Decision) else list(decisions)
        with self.db:
            self.db.executemany(
                f"INSERT OR REPLACE INTO decisions ({', '.join(FIELDS)}) VALUES ({', '.join('?' * len(FIELDS))})",
                [tuple(getattr(d, f) for f in FIELDS) for d in rows],
            )
        return len(rows)

    def get(self, fingerprint: str) -> Decision | None:
        row = self.db.execute(f"SELECT {', '.join(FIELDS)} FROM decisions WHERE fingerprint = ?", (fingerprint,)).fetchone()
        return Decision(*row) if row else None

    def remove(self, fingerprint: str) -> bool:
        with self.db:
            return self.db.execute("DELETE FROM decisions WHERE fingerprint = ?", (fingerprint,)).rowcount > 0

    def all(self) -> list[Decision]:
        try:
            rows = self.db.execute(f"SELECT {', '.join(FIELDS)} FROM decisions ORDER BY fingerprint").fetchall()
        except sqlite3.DatabaseError as exc:  # a page corrupt past the header shows only when read
            raise _sqlite_problem(self.path, exc) from None
        return [Decision(*(str(v) if v is not None else "" for v in r)) for r in rows]

    def import_jsonl(self, path: str | Path) -> int:
        """Merge a JSON Lines decisions file into the store; return how many decisions it held."""
        return self.put(parse_jsonl(_read(path), str(path)))

    def export_jsonl(self, path: str | Path | None = None) -> str:
        """Return every decision as JSON Lines, also writing it to ``path`` when given."""
        text = to_jsonl(self.all())
        if path is not None:
            atomic.write_text(path, text)
        return text


def _not_a_file(path: str | Path) -> str | None:
    """What a decisions path is when it cannot be one: a named pipe would hang the read, a folder
    or a device is no file to read, set aside or replace (the null device reads as no decisions)."""
    kind = filekind.not_regular(path)
    if kind is None or (kind == "a character device" and os.path.exists(os.devnull) and os.path.samefile(path, os.devnull)):
        return None
    return f"{path}: cannot use it as a decisions file: it is {kind}, not a file"


def _read(path: str | Path) -> str:
    problem = _not_a_file(path)
    if problem:
        raise DecisionFileError(problem)
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DecisionFileError(f"{path}: decisions file does not exist") from None
    except UnicodeDecodeError:
        raise DecisionFileError(f"{path}: not UTF-8 text (expected JSON Lines or a SQLite database)") from None
    except OSError as exc:
        raise DecisionFileError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _is_database(p: Path) -> bool:
    """A SQLite database already, or a path with a database suffix that does not exist yet."""
    return _is_sqlite(p) or (p.suffix in SQLITE_SUFFIXES and not p.exists())


def load(path: str | Path) -> Mapping[str, Decision]:
    """Read a decisions file (JSON Lines, or a SQLite database) into a map fingerprint -> decision.

    A later line for the same fingerprint overrides an earlier one, as in the store.
    """
    p = Path(path)
    problem = _not_a_file(p)
    if problem:
        raise DecisionFileError(problem)
    if _is_database(p):
        if not p.exists():
            raise DecisionFileError(f"{path}: decisions database does not exist")
        with DecisionStore(p) as store:
            decisions = store.all()
    else:
        decisions = parse_jsonl(_read(p), str(path))
    return {d.fingerprint: d for d in decisions}


def set_aside(path: str | Path) -> Path:
    """Rename an unusable database out of the way (never delete it: it may hold decisions); return the new path."""
    p = Path(path)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = p.with_name(f"{p.name}.unusable-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = p.with_name(f"{p.name}.unusable-{stamp}-{n}")
    os.replace(p, target)
    return target


def load_for_run(path: str | Path) -> tuple[Mapping[str, Decision], str | None]:
    """Decisions for a check run, and what went wrong in one line (None when all is well).

    A corrupt or foreign SQLite file is set aside (renamed, see ``set_aside``) so the next run
    starts a fresh database, and the run goes on without decisions; the message says where the
    old file went, so no decision is lost silently. A JSON Lines file with a bad line is still an
    error (exit 2): it is text in version control and the message names the line to fix.
    """
    try:
        return load(path), None
    except UnavailableDatabase as exc:  # locked, or a full disk: the file is fine and stays where it is
        return {}, f"{exc.format_message()}; no decisions were applied"
    except UnusableDatabase as exc:
        try:
            moved = set_aside(path)
        except OSError as err:
            return {}, f"{exc.format_message()}; it could not be set aside ({err.strerror or err}); no decisions were applied"
        return {}, f"{exc.format_message()}; moved to {moved.name} (nothing deleted: recover decisions from it with sqlite3) and no decisions were applied"


@dataclass(frozen=True)
class MergeResult:
    """What merging exported decisions into a team's file changed."""

    added: int
    changed: int
    unchanged: int
    total: int


def _newer(incoming: Decision, existing: Decision) -> bool:
    """An incoming decision replaces an existing one unless the existing one is dated later."""
    if incoming.decided_at and existing.decided_at:
        return incoming.decided_at >= existing.decided_at
    return True


def merge(target: str | Path, sources: Iterable[str | Path]) -> MergeResult:
    """Merge exported JSON Lines decision files into ``target`` (JSON Lines or SQLite, created if missing).

    Editors export decisions from the HTML report one session at a time; the team keeps one file
    next to the articles (or one database). Every source is read and validated before ``target``
    is written, so a bad line leaves it untouched. For a fingerprint decided twice, the later
    ``decided_at`` wins; without dates the file named last wins.
    """
    incoming: dict[str, Decision] = {}
    for source in sources:
        for d in parse_jsonl(_read(source), str(source)):
            if d.fingerprint not in incoming or _newer(d, incoming[d.fingerprint]):
                incoming[d.fingerprint] = d
    return _merge_into(target, incoming)


def record(target: str | Path, decisions: Iterable[Decision]) -> MergeResult:
    """Record decisions made on the command line (``--dismiss``/``--accept``) into ``target``, dated now."""
    now = _now()
    return _merge_into(target, {d.fingerprint: replace(d, decided_at=d.decided_at or now) for d in decisions})


def _merge_into(target: str | Path, incoming: Mapping[str, Decision]) -> MergeResult:
    p = Path(target)
    problem = _not_a_file(p)
    if problem:
        raise DecisionFileError(problem)
    sqlite = _is_database(p)
    current = dict(load(p)) if p.exists() else {}
    added = changed = unchanged = 0
    for fp, d in incoming.items():
        old = current.get(fp)
        if old is None:
            added += 1
        elif old == d or not _newer(d, old):
            unchanged += 1
            continue
        else:
            changed += 1
        current[fp] = d
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DecisionFileError(f"{target}: cannot create its folder: {exc.strerror or exc}") from None
    if sqlite:
        with DecisionStore(p) as store:
            store.put(current.values())
    else:
        _write_text(p, to_jsonl(current.values()))
    return MergeResult(added, changed, unchanged, len(current))


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_text(path: Path, text: str) -> None:
    """Write through a temporary file and a rename, so an interrupted write never leaves half a file."""
    try:
        atomic.write_text(path, text)
    except OSError as exc:
        raise DecisionFileError(f"{path}: cannot write: {exc.strerror or exc}") from None


BASELINE_NOTE = "baseline"


def write_baseline(path: str | Path, report: Any) -> int:
    """Record every finding of ``report`` as known: a decisions file whose decisions are all
    'dismissed' with the note 'baseline' (``--baseline`` then counts only findings not in it)."""
    now = _now()
    decisions = {
        f.fingerprint: Decision(f.fingerprint, "dismissed", BASELINE_NOTE, f.code, f.document, f.excerpt[:200], now)
        for f in report.findings
        if f.fingerprint
    }
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DecisionFileError(f"{path}: cannot create its folder: {exc.strerror or exc}") from None
    _write_text(p, to_jsonl(decisions.values()))
    return len(decisions)
