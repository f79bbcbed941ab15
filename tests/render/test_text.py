"""The terminal report: per document score and findings with line:column, code, message and excerpt."""

from __future__ import annotations

from qualcheck import check_text
from qualcheck.render import text as text_render

LONG = " ".join(["Putin said the talks with the West would go on"] * 6) + ".\n\nLeave a Reply\n"


def test_text_report_layout():
    out = text_render.render(check_text(LONG, "story.txt", select=("BP101", "RD103")))
    lines = out.splitlines()
    assert lines[0].startswith("story.txt  score ")
    assert lines[1].split() == ["grammar", "-", "translation", "-", "boilerplate", lines[1].split()[5], "readability", lines[1].split()[7], "agreement", "-"]
    assert "  3:1  BP101 error   Comment-form text left in the article: 'Leave a Reply'." in lines
    # RD103's message does not quote its sentence, so the excerpt is shown beneath it
    rd = next(i for i, line in enumerate(lines) if " RD103 " in line)
    assert lines[rd].startswith("  1:1  RD103 ")
    assert lines[rd + 1].startswith("      text: Putin said the talks with the West would go on Putin")
    assert not any(line.startswith("      text: Leave a Reply") for line in lines)  # already quoted
    assert lines[-1].startswith("1 document(s), 2 finding(s) (1 error, 0 warning, 1 info; boilerplate 1, readability 1), mean score ")


def test_incomplete_is_said_in_the_summary(tmp_path, monkeypatch):
    from qualcheck import check_paths

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Putin spoke.\n", encoding="utf-8")
    report = check_paths(["a.txt", "gone.txt"], select=("BP",))
    out = text_render.render(report)
    assert "notice: error: gone.txt: no such file or directory" in out
    assert out.splitlines()[-1].endswith("INCOMPLETE: some inputs could not be read")


def test_suggestions_are_shown_whole():
    out = text_render.render(check_text("date 2022-02-08 Russian President Vladimir Putin spoke in Moscow.\n\nThe talks went on.\n", "story.txt", select=("BP201",)))
    (line,) = [line for line in out.splitlines() if line.startswith("      suggestion: ")]
    assert not line.endswith("…")
    assert line.startswith("      suggestion: Delete the date marker; the date is kept")
