"""Which articles are new or edited: from git (``--changed REF``) or from a list a CI system gives
(``--changed-from FILE``, ``-`` for stdin). The rest of the corpus is what they are compared with."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable

from qualcheck import filekind
from qualcheck.discover import READABLE_SUFFIXES, decode, record_lines, record_problem, split_record
from qualcheck.errors import QualcheckError


class ChangesError(QualcheckError):
    """The changed articles cannot be found (not a git repository, unknown ref, unreadable list)."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise ChangesError("--changed: git is not installed (give the list with --changed-from FILE instead)") from None
    except subprocess.TimeoutExpired:
        raise ChangesError(f"--changed: git {' '.join(args)} did not answer within 60 s") from None
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise ChangesError(f"--changed: git {' '.join(args)}: {message}")
    return done.stdout


def _base(ref: str, cwd: Path) -> str:
    """Where this branch left ``ref`` (the merge base), else the ref itself (a shallow clone)."""
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except ChangesError:
        _git(["rev-parse", "--git-dir"], cwd)  # not a repository at all: git's own message
        try:
            shallow = _git(["rev-parse", "--is-shallow-repository"], cwd).strip() == "true"
        except ChangesError:
            shallow = False
        hint = (" this clone is shallow: fetch the history (git fetch --unshallow, or fetch-depth: 0 in"
                " actions/checkout)" if shallow else " check the name (a branch of the remote is origin/NAME)")
        raise ChangesError(f"--changed {ref}: no such commit in this repository;{hint}") from None
    try:
        return _git(["merge-base", ref, "HEAD"], cwd).strip() or ref
    except ChangesError:
        return ref  # no common history (a shallow clone): compare with the ref itself


def since(ref: str, cwd: Path) -> list[str]:
    """Files added, modified or renamed since ``ref`` (from where this branch left it: the merge base),
    in commits, the index and the working tree, plus untracked files; paths relative to ``cwd``."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    base = _base(ref, cwd)
    names = _git(["diff", "--name-only", "-z", "--diff-filter=AMR", base, "--"], cwd).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name"], cwd).split("\0")
    out = []
    for name in dict.fromkeys(n for n in names if n):
        path = top / name
        try:
            out.append(str(path.relative_to(cwd.resolve())))
        except ValueError:
            out.append(str(path))
    return out


def from_list(source: str) -> list[str]:
    """Paths listed one per line (blank lines and ``#`` comments skipped); ``-`` reads stdin."""
    try:
        if source == "-":
            text = sys.stdin.read()
        else:  # a list from <(git diff --name-only ...) is read; a named pipe nobody writes to does not hang
            with filekind.open_input(source) as fh:
                data = fh.read()
            if not data and filekind.not_regular(source) == filekind.FIFO:
                raise ChangesError(f"--changed-from {source}: it is a named pipe (FIFO) and nothing is writing to it")
            text = data.decode("utf-8")
    except OSError as exc:
        raise ChangesError(f"--changed-from {source}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ChangesError(f"--changed-from {source}: not UTF-8 text") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def named_records(listed: Iterable[str], cwd: Path) -> tuple[list[str], dict[str, frozenset[str]]]:
    """Split a list's entries into paths and, for entries ``corpus.jsonl#ID`` (as reports name a
    record), the records named per JSONL file (resolved path -> ids); a file also listed whole keeps
    all its records."""
    paths: list[str] = []
    records: dict[str, set[str]] = {}
    whole: set[str] = set()
    for entry in listed:
        path, record = split_record(entry)
        if record is not None:
            records.setdefault(str((cwd / path).resolve()), set()).add(record)
        else:
            path = entry
            whole.add(str((cwd / path).resolve()))
        if path not in paths:
            paths.append(path)
    return paths, {k: frozenset(v) for k, v in records.items() if k not in whole}


def articles(paths: Iterable[str], corpus: Iterable[str], cwd: Path) -> tuple[list[str], list[str]]:
    """The changed paths that are articles qualcheck reads (by suffix), still exist, and lie inside
    the corpus paths (folders or files); and the files inside the corpus paths that are not read
    (another suffix: an .html page, a README), for a notice. Deleted files and files outside the
    corpus are left out."""
    roots = [(cwd / c).resolve() for c in corpus]
    out, unread = [], []
    for p in paths:
        path = (cwd / p).resolve()
        if not path.is_file() or (roots and not any(path == r or r in path.parents for r in roots)):
            continue
        if path.suffix.lower() in READABLE_SUFFIXES:
            out.append(p)
        elif not any(part.startswith(".") for part in Path(p).parts):
            unread.append(p)  # hidden files (.qualcheck/store.db, .github/...) are never read from folders either
    return out, unread


def changed_records(ref: str, paths: Iterable[str], cwd: Path) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """For each JSONL corpus among ``paths`` that existed at ``ref``'s merge base: the ids of its
    records that are new or edited since then (resolved path -> ids). A corpus file that gains one
    article a day is then gated on that article, not on every record it holds. Files new since the
    base, or whose old version cannot be read, are left out: all their records count as changed.
    Both versions are read a line at a time and only a digest per record is kept, so a corpus file
    of any size never sits whole in memory.

    Also returned: the corpus files that gained lines that are no record (invalid JSON, no id, a
    duplicate id): such a file must still be read, so that the reader names those lines as errors
    and the gate cannot pass, even when none of its records changed."""
    base = _base(ref, cwd)
    out: dict[str, frozenset[str]] = {}
    flawed: set[str] = set()
    for p in paths:
        path = (cwd / p).resolve()
        if path.suffix.lower() not in (".jsonl", ".ndjson"):
            continue
        old = _old_records(base, os.path.relpath(path, cwd.resolve()), cwd)
        if old is None:
            continue  # not in the base: a new corpus file
        try:
            with path.open("rb") as fh:
                now = _records(fh)
        except OSError:
            continue
        before, now_records = old.records, now.records
        out[str(path)] = frozenset(i for i, digest in now_records.items() if before.get(i) != digest)
        if now.bad - old.bad:
            flawed.add(str(path))
    return out, frozenset(flawed)


def _old_records(base: str, relative: str, cwd: Path) -> _Digests | None:
    """The record digests of a file as it was at ``base`` (``git show``, streamed), or None when absent there."""
    try:
        proc = subprocess.Popen(["git", "show", f"{base}:./{relative}"], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except FileNotFoundError:
        raise ChangesError("--changed: git is not installed (give the list with --changed-from FILE instead)") from None
    assert proc.stdout is not None
    with proc.stdout:
        records = _records(proc.stdout)
    return records if proc.wait(timeout=60) == 0 else None


@dataclass
class _Digests:
    records: dict[str, bytes] = field(default_factory=dict)  # id -> digest of the record
    bad: set[bytes] = field(default_factory=set)  # digests of the lines that are no record


def _records(fh: BinaryIO) -> _Digests:
    """id -> a digest of the record as canonical JSON, for every line the reader takes as a record,
    and a digest of every other non-blank line. Lines are cut and decoded as the reader does. The
    first record of an id wins, as in the reader: a later duplicate is an error there, and must not
    mark the first as edited (the gate would then check the unchanged record and pass)."""
    out = _Digests()
    for _, raw, size in record_lines(fh):
        if raw is None:  # over the reader's size limit: an error there
            out.bad.add(hashlib.sha1(b"oversized %d" % size).digest())
            continue
        raw = raw.removeprefix(b"\xef\xbb\xbf").strip()  # a BOM before the first record
        if not raw:
            continue
        try:
            record = json.loads(decode(raw)[0])
        except (ValueError, RecursionError):  # invalid JSON, binary, nested past the parser's depth
            record = None
        if record_problem(record) is None and str(record["id"]) not in out.records:
            canonical = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
            out.records[str(record["id"])] = hashlib.sha1(canonical).digest()
        else:
            out.bad.add(hashlib.sha1(raw).digest())
    return out
