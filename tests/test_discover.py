"""discover: paths, folders, globs, stdin, encodings, unreadable files and JSONL corpora."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from qualcheck import discover

ARTICLE = "Putin spoke on Tuesday. He warned NATO.\n"


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def _ids(loaded) -> list[str]:
    return [d.id for d in loaded.documents]


def _notices(loaded) -> list[tuple[str, str, str]]:
    return [(n.level, n.document, n.message) for n in loaded.notices]


def test_folders_recursive_and_suffixes(tmp_path, monkeypatch):
    _write(tmp_path / "a" / "one.txt", ARTICLE)
    _write(tmp_path / "a" / "deep" / "two.md", ARTICLE)
    _write(tmp_path / "a" / "three.jsonl", json.dumps({"id": "x1", "text": ARTICLE}) + "\n")
    _write(tmp_path / "a" / "notes.yaml", "not: an article\n")
    _write(tmp_path / "a" / ".hidden" / "four.txt", ARTICLE)
    monkeypatch.chdir(tmp_path)
    loaded = discover.load(["a"], root=tmp_path)
    assert _ids(loaded) == ["a/deep/two.md", "a/one.txt", "a/three.jsonl#x1"]
    assert [d.format for d in loaded.documents] == ["md", "txt", "jsonl"]
    assert loaded.notices == []


def test_globs_and_dedup(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "in" / "a.txt", ARTICLE)
    _write(tmp_path / "in" / "b.txt", ARTICLE)
    _write(tmp_path / "in" / "sub" / "c.txt", ARTICLE)
    _write(tmp_path / "in" / "labels.yaml", "x: 1\n")
    loaded = discover.load(["in/*.txt", "in/a.txt", "in/**/*.txt"], root=tmp_path)
    assert _ids(loaded) == ["in/a.txt", "in/b.txt", "in/sub/c.txt"]
    # a glob that matches folders and other files reads only articles, recursing into folders
    loaded = discover.load(["in/*"], root=tmp_path)
    assert _ids(loaded) == ["in/a.txt", "in/b.txt", "in/sub/c.txt"]
    loaded = discover.load(["nothing*/*.txt"], root=tmp_path)
    assert _notices(loaded) == [("error", "nothing*/*.txt", "no files match 'nothing*/*.txt'")]


def test_exclude(tmp_path):
    _write(tmp_path / "in" / "a.txt", ARTICLE)
    _write(tmp_path / "in" / "reports" / "b.txt", ARTICLE)
    loaded = discover.load([str(tmp_path / "in")], root=tmp_path, exclude=["*/reports/*"])
    assert _ids(loaded) == ["in/a.txt"]


def test_stdin():
    loaded = discover.load(["-"], stdin=io.BytesIO("\ufeffPutin spoke.\r\nHe left.".encode("utf-8")))
    assert _ids(loaded) == ["<stdin>"]
    assert loaded.documents[0].raw == "Putin spoke.\nHe left."


@pytest.mark.parametrize(
    "data,raw,notice",
    [
        ("Russia’s “demands” — 100 €\n".encode("utf-8"), "Russia’s “demands” — 100 €\n", None),
        (b"\xef\xbb\xbfBOM article\r\nline two\r", "BOM article\nline two\n", None),
        ("Russia’s “demands” — 100 €\n".encode("cp1252"), "Russia’s “demands” — 100 €\n", "not valid UTF-8 (byte 6); decoded as cp1252"),
        (b"caf\xe9 \x81 latin", "café \x81 latin", "not valid UTF-8 (byte 3); decoded as latin-1"),
    ],
)
def test_encodings(tmp_path, data, raw, notice):
    _write(tmp_path / "a.txt", data)
    loaded = discover.load([str(tmp_path / "a.txt")], root=tmp_path)
    assert loaded.documents[0].raw == raw
    assert _notices(loaded) == ([("warning", "a.txt", notice)] if notice else [])
    assert not loaded.incomplete


def test_unreadable_inputs_become_notices_and_others_are_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    good = _write(tmp_path / "good.txt", ARTICLE)
    binary = _write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    vanished = tmp_path / "vanished.txt"
    vanished.symlink_to(tmp_path / "deleted-target.txt")  # listed, but gone when read
    empty = _write(tmp_path / "empty.txt", "  \n")
    loaded = discover.load([str(p) for p in (good, binary, vanished, empty)] + ["missing.txt"], root=tmp_path)
    assert sorted(_ids(loaded)) == ["empty.txt", "good.txt"]
    assert sorted(_notices(loaded)) == [
        ("error", "image.txt", "cannot read: binary file (contains NUL bytes)"),
        ("error", "missing.txt", "no such file or directory"),
        ("error", "vanished.txt", "cannot read: file vanished before it could be read"),
        ("warning", "empty.txt", "empty document: nothing to check"),
    ]
    assert loaded.incomplete


def test_permission_denied(tmp_path):
    locked = _write(tmp_path / "locked.txt", ARTICLE)
    _write(tmp_path / "open.txt", ARTICLE)
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read mode-000 files (root)")
        loaded = discover.load([str(tmp_path)], root=tmp_path)
        assert _ids(loaded) == ["open.txt"]
        assert _notices(loaded) == [("error", "locked.txt", "cannot read: permission denied")]
    finally:
        locked.chmod(0o644)


def test_permission_denied_reported_even_as_root(tmp_path, monkeypatch):
    """Root reads mode-000 files, so also drive the same branch through the real read call failing."""
    _write(tmp_path / "locked.txt", ARTICLE)
    _write(tmp_path / "open.txt", ARTICLE)
    real = Path.open

    def open_(self, *args, **kwargs):  # files are opened and read at most up to the size limit
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    loaded = discover.load([str(tmp_path)], root=tmp_path)
    assert _ids(loaded) == ["open.txt"]
    assert _notices(loaded) == [("error", "locked.txt", "cannot read: permission denied")]


def test_jsonl_corpus_errors_name_file_and_line(tmp_path):
    lines = [
        json.dumps({"id": "a1", "text": ARTICLE, "title": "T", "source": "TASS", "url": "https://tass.com/1", "date": "2022-02-08", "event": "e1"}),
        "{not json",
        json.dumps({"id": "a2"}),
        json.dumps({"text": ARTICLE}),
        json.dumps(["id", "text"]),
        json.dumps({"id": "a1", "text": "duplicate"}),
        "",
        json.dumps({"id": "a3", "text": 42}),
        json.dumps({"id": 7, "text": "Line with a raw\u2028separator inside.", "source": ""}, ensure_ascii=False),
        json.dumps({"id": None, "text": ARTICLE}),
    ]
    _write(tmp_path / "corpus.jsonl", "\r\n".join(lines) + "\r\n")
    loaded = discover.load([str(tmp_path / "corpus.jsonl")], root=tmp_path)
    assert _ids(loaded) == ["corpus.jsonl#a1", "corpus.jsonl#7"]
    first = loaded.documents[0]
    assert dict(first.fields) == {"title": "T", "source": "TASS", "url": "https://tass.com/1", "date": "2022-02-08", "event": "e1"}
    assert (first.title, first.source, first.date, first.event) == ("T", "TASS", "2022-02-08", "e1")
    assert loaded.documents[1].raw == "Line with a raw\u2028separator inside."
    assert loaded.documents[1].fields == {}
    assert _notices(loaded) == [
        ("error", "corpus.jsonl:2", "invalid JSON: Expecting property name enclosed in double quotes at column 2"),
        ("error", "corpus.jsonl:3", "missing required key(s) text"),
        ("error", "corpus.jsonl:4", "missing required key(s) id"),
        ("error", "corpus.jsonl:5", "a line must be a JSON object"),
        ("error", "corpus.jsonl:6", "duplicate id 'a1'; this line was not checked"),
        ("error", "corpus.jsonl:8", "'text' must be a string"),
        ("error", "corpus.jsonl:10", "'id' must be a string or an integer"),
    ]
    assert loaded.incomplete


def test_display_path_is_posix_and_relative(tmp_path):
    p = _write(tmp_path / "x" / "y.txt", ARTICLE)
    assert discover.display_path(p, tmp_path) == "x/y.txt"
    assert discover.display_path(p, tmp_path / "other") == "../x/y.txt"


def test_folder_without_articles_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "empty" / "notes.yaml", "x: 1\n")
    _write(tmp_path / "ok" / "a.txt", ARTICLE)
    loaded = discover.load(["empty", "ok"], root=tmp_path)
    assert _ids(loaded) == ["ok/a.txt"]
    assert _notices(loaded) == [("error", "empty", "no .jsonl, .markdown, .md, .ndjson, .text, .txt files in this folder")]
    assert loaded.incomplete


def test_empty_jsonl_text_is_a_warning(tmp_path):
    _write(tmp_path / "c.jsonl", json.dumps({"id": "e", "text": " "}) + "\n")
    loaded = discover.load([str(tmp_path / "c.jsonl")], root=tmp_path)
    assert _ids(loaded) == ["c.jsonl#e"]
    assert _notices(loaded) == [("warning", "c.jsonl#e", "empty document: nothing to check")]
