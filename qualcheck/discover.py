"""Expand paths, folders and globs; read and decode files; split JSONL corpora into documents.

Nothing here raises for a bad input: every unreadable file or malformed JSONL line becomes a
Notice naming the file and the reason, and the other documents go on.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import BinaryIO, Iterable

from qualcheck.document import Document, normalise_newlines
from qualcheck.model import Notice
from qualcheck.textsafe import display_name

ARTICLE_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
CORPUS_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl"}
OPTIONAL_FIELDS = ("title", "source", "url", "date", "event")
READABLE_SUFFIXES = {**ARTICLE_SUFFIXES, **CORPUS_SUFFIXES}
STDIN = "-"


@dataclass
class Loaded:
    """Documents read from the inputs, and a notice for every input that could not be read."""

    documents: list[Document] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def incomplete(self) -> bool:
        return any(n.code == "input" and n.level == "error" for n in self.notices)


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
            elif child.is_symlink() and not child.exists():  # loop or dangling: say so, never skip silently
                notices.append(Notice("error", "cannot read: broken symlink or symlink loop", document=display_name(child.as_posix()), code="input"))
        return out

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
                elif m.is_file() and m.suffix.lower() in READABLE_SUFFIXES:
                    files.append(m)
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
    doc = Document(id=doc_id, raw=normalise_newlines(text), format=fmt, path=path)
    if not doc.raw.strip():
        notices.append(Notice("warning", "empty document: nothing to check", document=doc_id, code="input"))
    return doc, notices


def _corpus(name: str, data: bytes) -> tuple[list[Document], list[Notice]]:
    docs: list[Document] = []
    notices: list[Notice] = []
    try:
        text, fallback = decode(data)
    except ValueError as exc:
        return [], [Notice("error", f"cannot read: {exc}", document=name, code="input")]
    if fallback:
        notices.append(Notice("warning", fallback, document=name, code="input"))
    ids: set[str] = set()
    # split on "\n" only: str.splitlines() would also split on U+2028 and friends, which JSON
    # strings may contain raw, and would shift every reported line number after them
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            notices.append(Notice("error", f"invalid JSON: {exc.msg} at column {exc.colno}", document=where, code="input"))
            continue
        if not isinstance(record, dict):
            notices.append(Notice("error", "a line must be a JSON object", document=where, code="input"))
            continue
        missing = [k for k in ("id", "text") if k not in record]
        if missing:
            notices.append(Notice("error", f"missing required key(s) {', '.join(missing)}", document=where, code="input"))
            continue
        if not isinstance(record["text"], str):
            notices.append(Notice("error", "'text' must be a string", document=where, code="input"))
            continue
        if isinstance(record["id"], bool) or not isinstance(record["id"], (str, int)) or str(record["id"]).strip() == "":
            notices.append(Notice("error", "'id' must be a string or a number", document=where, code="input"))
            continue
        doc_id = str(record["id"])
        if doc_id in ids:
            notices.append(Notice("error", f"duplicate id {doc_id!r}; this line was not checked", document=where, code="input"))
            continue
        ids.add(doc_id)
        if not record["text"].strip():
            notices.append(Notice("warning", "empty document: nothing to check", document=f"{name}#{doc_id}", code="input"))
        fields = {k: record[k] for k in OPTIONAL_FIELDS if record.get(k) not in (None, "")}
        docs.append(Document(id=f"{name}#{doc_id}", raw=normalise_newlines(record["text"]), format="jsonl", path=name, fields=fields, record_line=lineno))
    return docs, notices


def load(paths: Iterable[str], root: Path | None = None, exclude: Iterable[str] = (), stdin: BinaryIO | None = None) -> Loaded:
    """Read every input into Documents; failures become notices, never exceptions."""
    root = root or Path.cwd()
    files, notices = expand(paths, exclude)
    loaded = Loaded(notices=list(notices))
    for item in files:
        if item == STDIN:
            stream = stdin or sys.stdin.buffer
            doc, found = _article("<stdin>", stream.read(), "txt", None)
            loaded.notices += found
            if doc:
                loaded.documents.append(doc)
            continue
        assert isinstance(item, Path)
        name = display_path(item, root)
        try:
            data = item.read_bytes()
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
        suffix = item.suffix.lower()
        if suffix in CORPUS_SUFFIXES:
            docs, found = _corpus(name, data)
            loaded.documents += docs
            loaded.notices += found
        else:
            doc, found = _article(name, data, ARTICLE_SUFFIXES.get(suffix, "txt"), name)
            loaded.notices += found
            if doc:
                loaded.documents.append(doc)
    return loaded
