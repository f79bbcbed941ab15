"""Hard-wrapped articles (Markdown sources wrapped at 72-100 columns) are prose, not short lines.

Each physical line of a wrapped paragraph was a line to the edge rules: the first line under the
title and the last lines of the article are short and unpunctuated, so BP302 and BP301 flagged
clean wrapped news (8.7 lines per 1,000 of the clean BBC articles wrapped at 72 columns)."""

from __future__ import annotations

import textwrap

from qualcheck import engine, ruleset
from qualcheck.document import Document

BP = ruleset.load().select(["BP"], [])

PARAGRAPHS = [
    "Creditors of South Korea's top credit card firm have said they will put the company into "
    "liquidation if its ex-parent firm fails to back a bail-out.",
    "The budget proposals laid out by the administration are highly controversial, and the Washington-based "
    "institute that studied them says the federal budget simply cannot hold together without major changes.",
    "Many companies have focused on cost cutting and greater efficiency, while the government has been "
    "trying to trim public spending and push through reforms. In 2003, the economy expanded by 1.3%",
]


def _wrapped(width: int) -> str:
    return "Card firm faces liquidation\n\n" + "\n\n".join(textwrap.fill(p, width) for p in PARAGRAPHS) + "\n"


def test_a_hard_wrapped_clean_article_has_no_residue():
    for width in (60, 72, 80):
        report = engine.check([Document(id="a.md", raw=_wrapped(width))], BP)
        assert [f.excerpt for f in report.findings] == [], width


def test_residue_under_a_wrapped_article_is_still_found():
    raw = _wrapped(72) + "\nRelated Stories\n\nCard firm shares slump\n\nPrint\n"
    found = {f.excerpt for f in engine.check([Document(id="a.md", raw=raw)], BP).findings}
    assert {"Related Stories", "Card firm shares slump", "Print"} <= found


def test_a_menu_kept_in_one_paragraph_stays_lines():
    raw = "Card firm faces liquidation\n\nHome\nNews\nSport\nBusiness\n\n" + PARAGRAPHS[0] + "\n"
    found = {f.excerpt for f in engine.check([Document(id="a.md", raw=raw)], BP).findings}
    assert {"News", "Sport", "Business"} <= found


def test_a_title_over_its_text_with_no_blank_line_is_the_title_not_head_residue():
    """One paragraph a line and no blank lines (a common export): the first line is the title; it
    was read as a short unpunctuated line above the article (BP302 flagged 382 of the 1,069 clean
    BBC titles written so)."""
    raw = "Card firm faces liquidation\n" + "\n".join(PARAGRAPHS) + "\n"
    doc = Document(id="a.txt", raw=raw)
    assert doc.meta.title == "Card firm faces liquidation"
    assert engine.check([doc], BP).findings == []


def test_a_wrapped_first_paragraph_is_no_title():
    raw = textwrap.fill(PARAGRAPHS[1], 72) + "\n\n" + PARAGRAPHS[0] + "\n"
    assert Document(id="a.txt", raw=raw).meta.title_span is None
