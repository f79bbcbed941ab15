"""The public Python API: check_text and check_paths return the same Report the CLI renders."""

from __future__ import annotations

import qualcheck
from qualcheck import Severity, check_paths, check_text

ARTICLE = "🌅 Putin spoke on Tuesday about NATO.\r\n\r\nLeave a Reply\r\n"


def test_public_names():
    assert set(qualcheck.__all__) >= {"check_paths", "check_text", "Report", "Finding", "Severity", "__version__"}


def test_check_text_finds_and_locates():
    report = check_text(ARTICLE, "story.txt", select=("BP",))
    [doc] = report.documents
    assert doc.document == "story.txt"
    [f] = [f for f in doc.findings if f.code == "BP101"]
    assert (f.line, f.column, f.excerpt, f.severity) == (3, 1, "Leave a Reply", Severity.ERROR)
    assert doc.text[f.start : f.end] == "Leave a Reply"  # offsets index the newline-normalised text


def test_check_text_markdown_is_masked():
    md = "Putin spoke.\n\n<!--\nLeave a Reply\n-->\n\n```\nLeave a Reply\n```\n"
    assert [f.code for f in check_text(md, "story.md", select=("BP101",)).findings] == []
    assert [f.code for f in check_text(md, "story.txt", select=("BP101",)).findings] == ["BP101", "BP101"]


def test_check_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "n1", "text": "More Stories Today", "source": "TASS"}\n', encoding="utf-8")
    report = check_paths(["."], select=("BP",))
    assert [d.document for d in report.documents] == ["a.txt", "b.jsonl#n1"]
    assert report.documents[1].source == "TASS"
    assert not report.incomplete


def test_options_accept_plain_python_values(tmp_path, monkeypatch):
    from qualcheck import engine

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    report = check_paths([tmp_path / "a.txt"], select="BP101", fail_on="error")
    assert [f.code for f in report.findings] == ["BP101"]
    assert engine.gate(report, None, Severity.ERROR) == ["a.txt: 1 finding(s) at error or above"]
    assert check_text(ARTICLE, "a.txt", select=["BP101"], ignore=[]).findings[0].code == "BP101"
