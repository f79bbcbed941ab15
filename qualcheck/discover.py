"""Expand paths, folders and globs; read and decode files; split JSONL corpora into documents.

Nothing here raises for a bad input: every unreadable file or malformed JSONL line becomes a
Notice naming the file and the reason, and the other documents go on.
"""

from __future__ import annotations

import contextlib
import glob
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from qualcheck import filekind, limits
from qualcheck.document import Document, normalise_newlines
from qualcheck.model import Notice
from qualcheck.textsafe import display_name

ARTICLE_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
CORPUS_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl"}
OPTIONAL_FIELDS = ("title", "source", "url", "date", "event")
READABLE_SUFFIXES = {**ARTICLE_SUFFIXES, **CORPUS_SUFFIXES}
STDIN = "-"
_RECORD = re.compile(r"(.*?\.(?:jsonl|ndjson))#(.+)", re.I | re.S)


def split_record(name: str) -> tuple[str, str | None]:
    """A document's file and, for a record of a JSON Lines corpus ("corpus.jsonl#7"), its id; a
    file whose own name holds a "#" ("notes #1.txt") is a file, not a record."""
    m = _RECORD.fullmatch(name)
    return (m.group(1), m.group(2)) if m else (name, None)


@dataclass
class Loaded:
    """Documents read from the inputs, and a notice for every input that could not be read."""

    documents: list[Document] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def incomplete(self) -> bool:
        return any(n.code == "input" and n.level == "error" for n in self.notices)


def record_problem(record: object) -> str | None:
    """Why a parsed JSONL line is not a corpus record (None when it is one): the one rule the reader
    and ``changes.changed_records`` share, so a line that is not checked is never counted as a change."""
    if not isinstance(record, dict):
        return "a line must be a JSON object"
    missing = [k for k in ("id", "text") if k not in record]
    if missing:
        return f"missing required key(s) {', '.join(missing)}"
    if not isinstance(record["text"], str):
        return "'text' must be a string"
    if isinstance(record["id"], bool) or not isinstance(record["id"], (str, int)) or str(record["id"]).strip() == "":
        return "'id' must be a string or an integer"
    return None

def display_path(path: Path, root: Path) -> str:
    """Posix path relative to the run root when possible, so reports are the same on every machine."""
    # absolute, not resolved: a symlink is reported under the name the user gave, not its target
    path, root = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    try:
        return display_name(path.relative_to(root).as_posix())
    except ValueError:
        return display_name(Path(os.path.relpath(path, root)).as_posix())


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes as UTF-8 (BOM allowed), else cp1252, else Latin-1; say which fallback was used.

    Raises:
        ValueError: the data looks binary.
    """
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
    for encoding in ("cp1252", "latin-1"):
        try:
            return data.decode(encoding), f"not valid UTF-8 ({where}); decoded as {encoding}"
        except UnicodeDecodeError:
            continue
    raise ValueError("cannot decode")  # unreachable: latin-1 decodes every byte


def expand(paths: Iterable[str], exclude: Iterable[str] = ()) -> tuple[list[str | Path], list[Notice]]:
    """Turn the user's paths, folders and globs into a sorted, de-duplicated list of files."""
    exclude = tuple(exclude)
    found: list[str | Path] = []
    notices: list[Notice] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        try:
            key = p.resolve()
        except (RuntimeError, OSError):  # a symlink loop (RuntimeError before 3.13): reading it says why
            key = Path(os.path.abspath(p))
        if key not in seen and not any(fnmatch(p.as_posix(), pat) or fnmatch(p.name, pat) for pat in exclude):
            seen.add(key)
            found.append(p)

    def walk(folder: Path) -> list[Path]:
        out = []
        for child in sorted(folder.rglob("*")):
            if any(part.startswith(".") for part in child.relative_to(folder).parts):
                continue
            if child.suffix.lower() not in READABLE_SUFFIXES:
                continue
            if child.is_file():
                out.append(child)
            else:
                skipped(child)
        return out

    def skipped(child: Path) -> None:
        """Say why a file with an article's or corpus's suffix is not read: never skip one silently."""
        if child.is_symlink() and not child.exists():  # loop or dangling
            notices.append(Notice("error", "cannot read: broken symlink or symlink loop", document=display_name(child.as_posix()), code="input"))
        elif kind := filekind.not_regular(child):
            if not child.is_dir():  # a folder named "x.txt" is searched, not read
                notices.append(Notice("error", f"cannot read: it is {kind}, not a file", document=display_name(child.as_posix()), code="input"))

    for raw in paths:
        if raw == STDIN:
            found.append(STDIN)
            continue
        p = Path(raw)
        if p.is_dir():
            children = walk(p)
            if not children:  # checking nothing must not pass a CI gate silently
                notices.append(Notice("error", f"no {', '.join(sorted(READABLE_SUFFIXES))} files in this folder", document=raw, code="input"))
            for child in children:
                add(child)
        elif p.exists() or p.is_symlink():
            add(p)  # named explicitly: read whatever its suffix (plain text unless .md/.jsonl)
        elif glob.has_magic(raw):
            # a glob is a selection, like a folder: only article and corpus files, folders recursed
            files: list[Path] = []
            for m in sorted(Path(m) for m in glob.glob(raw, recursive=True)):
                if m.is_dir():
                    files += walk(m)
                elif m.suffix.lower() in READABLE_SUFFIXES:
                    if m.is_file():
                        files.append(m)
                    else:
                        skipped(m)
            if not files:
                notices.append(Notice("error", f"no files match {raw!r}", document=raw, code="input"))
            for m in files:
                add(m)
        else:
            notices.append(Notice("error", "no such file or directory", document=raw, code="input"))
    return found, notices


def _article(doc_id: str, data: bytes, fmt: str, path: str | None) -> tuple[Document | None, list[Notice]]:
    try:
        text, fallback = decode(data)
    except ValueError as exc:
        return None, [Notice("error", f"cannot read: {exc}", document=doc_id, code="input")]
    notices = [Notice("warning", fallback, document=doc_id, code="input")] if fallback else []
    text = normalise_newlines(text)
    too_big = limits.over(text)
    if too_big:
        return None, notices + [Notice("error", f"not checked: {too_big} (split it into articles)", document=doc_id, code="input")]
    doc = Document(id=doc_id, raw=text, format=fmt, path=path)
    if not doc.raw.strip():
        notices.append(Notice("warning", "empty document: nothing to check", document=doc_id, code="input"))
    elif not doc.text.strip():  # a Markdown file of front matter, comments or code only
        notices.append(Notice("warning", "no article text: only front matter or markup, nothing to check", document=doc_id, code="input"))
    return doc, notices


MAX_RECORD_BYTES = 8 * limits.MAX_DOCUMENT_CHARS  # one JSONL line; JSON escapes take up to 6 bytes a character


def record_lines(fh: BinaryIO) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, bytes without the newline or None when over MAX_RECORD_BYTES, size) of every line.

    Reads one line at a time, at most MAX_RECORD_BYTES of it, so a 50 MB corpus file (or a 50 MB
    line) never sits whole in memory. Splits on b"\n" only: str.splitlines() would also split on
    U+2028 and friends, which JSON strings may contain raw, and shift every line number after them.
    """
    lineno = 0
    while True:
        line = fh.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        lineno += 1
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            size = len(line)
            while True:  # skip the rest of the oversized line
                chunk = fh.readline(1 << 20)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield lineno, None, size
            continue
        yield lineno, line[:-1] if line.endswith(b"\n") else line, len(line)


def _corpus(name: str, data: bytes | BinaryIO) -> tuple[list[Document], list[Notice]]:
    """Split a JSON Lines corpus (bytes, or a binary file read line by line) into documents."""
    docs: list[Document] = []
    notices: list[Notice] = []
    fh = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    head = fh.read(8192)
    fh.seek(0)
    if b"\x00" in head:
        return [], [Notice("error", "cannot read: binary file (contains NUL bytes)", document=name, code="input")]
    ids: set[str] = set()
    fallback_said = False
    for lineno, raw_line, size in record_lines(fh):
        where = f"{name}:{lineno}"
        if raw_line is None:
            notices.append(Notice("error", f"not checked: a line of {size:,} bytes, over the limit of {MAX_RECORD_BYTES:,} per record", document=where, code="input"))
            continue
        if lineno == 1 and raw_line.startswith(b"\xef\xbb\xbf"):
            raw_line = raw_line[3:]
        try:
            line, fallback = decode(raw_line)
        except ValueError as exc:
            notices.append(Notice("error", f"cannot read: {exc}", document=where, code="input"))
            continue
        if fallback and not fallback_said:
            fallback_said = True
            notices.append(Notice("warning", f"line {lineno}: {fallback} (and so any later line that is not UTF-8)", document=name, code="input"))
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            notices.append(Notice("error", f"invalid JSON: {exc.msg} at column {exc.colno}", document=where, code="input"))
            continue
        except RecursionError:  # "[[[[..." past the parser's depth: one bad line, not a crashed run
            notices.append(Notice("error", "invalid JSON: nested too deeply", document=where, code="input"))
            continue
        problem = record_problem(record)
        if problem:
            notices.append(Notice("error", problem, document=where, code="input"))
            continue
        doc_id = str(record["id"])
        if doc_id in ids:
            notices.append(Notice("error", f"duplicate id {doc_id!r}; this line was not checked", document=where, code="input"))
            continue
        ids.add(doc_id)
        if not record["text"].strip():
            notices.append(Notice("warning", "empty document: nothing to check", document=f"{name}#{doc_id}", code="input"))
        fields = {k: record[k] for k in OPTIONAL_FIELDS if record.get(k) not in (None, "")}
        text = normalise_newlines(record["text"])
        too_big = limits.over(text)
        if too_big:
            notices.append(Notice("error", f"not checked: {too_big} (split it into articles)", document=f"{name}#{doc_id}", code="input"))
            continue
        docs.append(Document(id=f"{name}#{doc_id}", raw=text, format="jsonl", path=name, fields=fields, record_line=lineno))
    return docs, notices


class _TooBig(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


def _read(path: Path, limit: int | None) -> bytes:
    """Read a file, at most ``limit`` bytes: a 50 MB article is refused without being held in memory.

    A named pipe nobody writes to reads as empty at once (``filekind.open_input``), never waits."""
    with filekind.open_input(path) as fh:
        data = fh.read(-1 if limit is None else limit + 1)
        if limit is not None and len(data) > limit:
            try:
                size = os.fstat(fh.fileno()).st_size
            except OSError:
                size = len(data)
            raise _TooBig(max(size, len(data)))
        return data


def load(paths: Iterable[str], root: Path | None = None, exclude: Iterable[str] = (), stdin: BinaryIO | None = None) -> Loaded:
    """Read every input into Documents; failures become notices, never exceptions."""
    root = root or Path.cwd()
    files, notices = expand(paths, exclude)
    loaded = Loaded(notices=list(notices))
    for item in files:
        if item == STDIN:
            stream = stdin or sys.stdin.buffer
            data = stream.read(limits.MAX_FILE_BYTES + 1)
            if len(data) > limits.MAX_FILE_BYTES:
                loaded.notices.append(Notice("error", f"not checked: {limits.too_big_file(len(data))}+ (split it into articles)", document="<stdin>", code="input"))
                continue
            doc, found = _article("<stdin>", data, "txt", None)
            loaded.notices += found
            if doc:
                loaded.documents.append(doc)
            continue
        assert isinstance(item, Path)
        name = display_path(item, root)
        suffix = item.suffix.lower()
        kind = filekind.not_regular(item)
        if kind in ("a socket", "a directory"):  # a pipe (<(command)) or a device (/dev/null) named explicitly is read
            loaded.notices.append(Notice("error", f"cannot read: it is {kind}, not a file", document=name, code="input"))
            continue
        try:
            if suffix in CORPUS_SUFFIXES and not kind:
                data = item.open("rb")  # read line by line
            else:  # a pipe cannot seek back: read whole (articles up to their limit)
                data = _read(item, limits.MAX_FILE_BYTES if suffix not in CORPUS_SUFFIXES else None)
        except _TooBig as exc:
            loaded.notices.append(Notice("error", f"not checked: {limits.too_big_file(exc.size)} (split it into articles)", document=name, code="input"))
            continue
        except FileNotFoundError:
            loaded.notices.append(Notice("error", "cannot read: file vanished before it could be read", document=name, code="input"))
            continue
        except PermissionError:
            loaded.notices.append(Notice("error", "cannot read: permission denied", document=name, code="input"))
            continue
        except IsADirectoryError:
            loaded.notices.append(Notice("error", "cannot read: is a directory", document=name, code="input"))
            continue
        except OSError as exc:
            loaded.notices.append(Notice("error", f"cannot read: {exc.strerror or exc}", document=name, code="input"))
            continue
        if kind == filekind.FIFO and not data:  # opened without waiting: nothing was writing to it
            loaded.notices.append(Notice("error", f"cannot read: it is {kind} and nothing is writing to it", document=name, code="input"))
            continue
        if suffix in CORPUS_SUFFIXES:
            try:
                with contextlib.nullcontext(data) if isinstance(data, bytes) else data:  # an open file: read line by line
                    docs, found = _corpus(name, data)
            except OSError as exc:
                loaded.notices.append(Notice("error", f"cannot read: {exc.strerror or exc}", document=name, code="input"))
                continue
            loaded.documents += docs
            loaded.notices += found
        else:
            doc, found = _article(name, data, ARTICLE_SUFFIXES.get(suffix, "txt"), name)
            loaded.notices += found
            if doc:
                loaded.documents.append(doc)
    return loaded
