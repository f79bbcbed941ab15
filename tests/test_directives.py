"""Inline directives and per-file-ignores: suppressed findings stay visible but stop counting."""

from __future__ import annotations

import pytest

from qualcheck import config, engine, ruleset
from qualcheck.directives import parse
from qualcheck.document import Document

BP = [r for r in ruleset.load().rules if r.code.startswith("BP")]
ARTICLE = "Putin meets Orban in Moscow\n\nRussian President Vladimir Putin met Hungary's prime minister on Tuesday.\n\n"


ALL_CODES = [r.code for r in ruleset.load().rules]


def _check(text: str, **settings):
    doc = Document(id="a.txt", raw=text)
    report = engine.check([doc], BP, config.Settings(**settings), all_codes=ALL_CODES)
    return report.documents[0]


def _by_code(doc, code):
    return [f for f in doc.findings if f.code == code]


def test_ignore_covers_the_next_line_only():
    text = ARTICLE + "<!-- qualcheck: ignore[BP105] -->\n(credit: Mikhail Metzel/AFP)\n\n(credit: Yuri Kadobnov/AFP)\n"
    doc = _check(text)
    credits = _by_code(doc, "BP105")
    assert [f.counts for f in credits] == [False, True]
    assert credits[0].suppression.kind == "directive" and "line 5" in credits[0].suppression.note


def test_disable_enable_is_a_range_and_prefixes_work():
    text = ARTICLE + "<!-- qualcheck: disable[BP1] -->\nSource link\n<!-- qualcheck: enable[BP1] -->\nLeave a Reply\n"
    doc = _check(text)
    assert [f.counts for f in _by_code(doc, "BP104")] == [False]
    assert [f.counts for f in _by_code(doc, "BP101")] == [True]


def test_file_ignore_suppresses_everywhere_and_does_not_count_toward_score():
    text = "<!-- qualcheck: file-ignore[BP101] -->\n" + ARTICLE + "Leave a Reply\n"
    suppressed = _check(text)
    plain = _check(ARTICLE + "Leave a Reply\n")
    assert all(not f.counts for f in _by_code(suppressed, "BP101"))
    assert suppressed.score.overall > plain.score.overall


def test_directive_is_masked_from_checked_text_and_offsets_keep_their_place():
    text = "<!-- qualcheck: ignore[BP105] -->\n(credit: X/AFP)\n"
    doc = Document(id="a.txt", raw=text)
    assert "qualcheck" not in doc.text and len(doc.text) == len(text)


@pytest.mark.parametrize(
    "text,code,expected",
    [
        (ARTICLE + "<!-- qualcheck: ignore -->\nSource link\n", "QC002", "needs rule codes"),
        (ARTICLE + "<!-- qualcheck: silence[BP104] -->\nSource link\n", "QC002", "unknown directive 'silence'"),
        (ARTICLE + "<!-- qualcheck: ignore[bp-1] -->\nSource link\n", "QC002", "not a rule code"),
        (ARTICLE + "<!-- qualcheck: ignore[BP501] -->\nSource link\n", "QC002", "no rule code starts with BP501"),
        (ARTICLE + "<!-- qualcheck: ignore[BP101] -->\nThe talks went on.\n", "QC001", "suppressed nothing"),
        (ARTICLE + "<!-- qualcheck: enable[BP104] -->\nSource link\n", "QC002", "no matching disable"),
    ],
)
def test_broken_or_unused_directives_become_coded_notices(text, code, expected):
    doc = _check(text)
    messages = [n.message for n in doc.notices if n.code == code]
    assert any(expected in m and code in m for m in messages), [(n.code, n.message) for n in doc.notices]


def test_directive_for_rules_not_enabled_is_neither_unused_nor_unknown():
    doc = _check(ARTICLE + "<!-- qualcheck: ignore[MT102] -->\nThe talks went on.\n")
    assert not [n for n in doc.notices if n.code in ("QC001", "QC002")]


def test_per_file_ignores_mark_matching_documents_only():
    text = ARTICLE + "Source link\n"
    ignored = _check(text, per_file_ignores={"*.txt": ("BP104",)})
    other = _check(text, per_file_ignores={"*.md": ("BP104",)})
    assert [f.counts for f in _by_code(ignored, "BP104")] == [False]
    assert ignored.findings[-1].suppression.kind == "config"
    assert [f.counts for f in _by_code(other, "BP104")] == [True]


def test_parse_reports_line_numbers():
    found = parse("a\n\n<!-- qualcheck: disable[MT] -->\nb\n")
    assert [(d.verb, d.codes, d.line) for d in found] == [("disable", ("MT",), 3)]
