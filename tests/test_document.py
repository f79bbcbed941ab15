"""Document: offsets and locations, newline normalisation, masking, paragraphs and sentences."""

from __future__ import annotations

import pytest

from qualcheck.document import Document, mask, normalise_newlines
from qualcheck.model import Span


@pytest.mark.parametrize(
    "raw,needle,expected",
    [
        ("news", "news", (1, 1)),
        ("one\ntwo news", "news", (2, 5)),
        ("🌅 Great news", "news", (1, 9)),  # emoji is one code point, not two UTF-16 units
        ("𝐀𝐁 astral\n𝐂 then news", "news", (2, 8)),
        ("first\n\n\nfourth news", "news", (4, 8)),
        ("é́ combining news", "news", (1, 14)),  # combining mark counts as its own code point
    ],
)
def test_locate_is_one_based_in_code_points(raw, needle, expected):
    doc = Document(id="t", raw=raw)
    assert doc.locate(raw.index(needle)) == expected


def test_locate_at_end_and_newline():
    doc = Document(id="t", raw="ab\ncd\n")
    assert doc.locate(2) == (1, 3)  # the newline itself belongs to line 1
    assert doc.locate(3) == (2, 1)
    assert doc.locate(len(doc.raw)) == (3, 1)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\n\r\nb\rc\n", "a\n\nb\nc\n"),
        ("no newline", "no newline"),
    ],
)
def test_normalise_newlines(raw, expected):
    assert normalise_newlines(raw) == expected


MD = """---
title: Putin warns NATO
date: 2022-02-08
---
Putin spoke on Feb. 8.<!-- qualcheck: ignore[BP105] -->

```
code block text
more code
```

See [the Kremlin transcript](https://kremlin.ru/events/67734 "Transcript") and <https://example.org/a>.
Plain link https://tass.com/world/1 ends here.
"""


def test_markdown_masking_keeps_length_and_newlines():
    masked = mask(MD, "md")
    assert len(masked) == len(MD)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [i for i, c in enumerate(MD) if c == "\n"]
    for hidden in ("title: Putin", "qualcheck: ignore", "code block text", "kremlin.ru", "Transcript", "example.org", "tass.com"):
        assert hidden not in masked, hidden
    for kept in ("Putin spoke on Feb. 8.", "See [the Kremlin transcript]", "ends here."):
        assert kept in masked, kept
    # prose stays at the same offsets as in the raw file
    assert masked.index("Putin spoke") == MD.index("Putin spoke")


def test_front_matter_at_end_of_file_without_trailing_newline():
    raw = "---\ntitle: x\n---"
    assert mask(raw, "md").strip() == ""


def test_txt_masks_urls_but_not_markdown():
    raw = "Read <!-- not a comment in txt --> at https://example.org/x now."
    masked = mask(raw, "txt")
    assert "<!-- not a comment in txt -->" in masked
    assert "example.org" not in masked and masked.endswith(" now.")


NEWS = (
    "US, West drawing us into a military conflict: Putin\n"
    "\n"
    "The U.S. said on Feb. 8 that talks would resume. Officials met on Dec. 23 in Geneva.\n"
    "\n"
    "“Let’s imagine Ukraine is a NATO member,” Putin said. “We have to go to war? "
    "Has anyone thought about it? No.” He left.\n"
)


def test_paragraphs_on_news_text():
    doc = Document(id="n", raw=NEWS)
    paras = [NEWS[p.start : p.end] for p in doc.paragraphs]
    assert paras == [
        "US, West drawing us into a military conflict: Putin",
        "The U.S. said on Feb. 8 that talks would resume. Officials met on Dec. 23 in Geneva.",
        "“Let’s imagine Ukraine is a NATO member,” Putin said. “We have to go to war? "
        "Has anyone thought about it? No.” He left.",
    ]


def test_sentences_on_news_text_with_offsets():
    doc = Document(id="n", raw=NEWS)
    sentences = [NEWS[s.start : s.end] for s in doc.sentences]
    assert sentences == [
        "US, West drawing us into a military conflict: Putin",
        "The U.S. said on Feb. 8 that talks would resume.",
        "Officials met on Dec. 23 in Geneva.",
        "“Let’s imagine Ukraine is a NATO member,” Putin said.",
        "“We have to go to war?",
        "Has anyone thought about it?",
        "No.”",
        "He left.",
    ]
    # sentences never cross a paragraph break
    for s in doc.sentences:
        assert "\n\n" not in NEWS[s.start : s.end]


def test_sentences_after_emoji_and_crlf_keep_code_point_offsets():
    raw = normalise_newlines("🌅 Sunrise.\r\n\r\nThe U.S. acted on Feb. 8. 𝐀 done.")
    doc = Document(id="e", raw=raw)
    got = [(s.start, s.end, raw[s.start : s.end]) for s in doc.sentences]
    assert [g[2] for g in got] == ["🌅 Sunrise.", "The U.S. acted on Feb. 8.", "𝐀 done."]
    assert got[1][0] == raw.index("The")


@pytest.mark.parametrize("raw", ["", "   ", "\n\n\n", "no punctuation at all"])
def test_segments_of_degenerate_text(raw):
    doc = Document(id="d", raw=raw)
    assert all(raw[p.start : p.end].strip() for p in doc.paragraphs)
    assert len(doc.sentences) == (1 if raw.strip() else 0)
    assert doc.word_count == len(raw.split())


def test_sentence_at_and_lines():
    doc = Document(id="n", raw=NEWS)
    off = NEWS.index("Geneva")
    s = doc.sentence_at(off)
    assert NEWS[s.start : s.end] == "Officials met on Dec. 23 in Geneva."
    assert doc.lines[0] == Span(0, NEWS.index("\n"))
    assert doc.excerpt(doc.lines[0]) == "US, West drawing us into a military conflict: Putin"


def test_words_count_contractions_and_abbreviations_once():
    doc = Document(id="w", raw="Let’s say the U.S. and NATO’s allies met.")
    assert doc.words() == ["Let’s", "say", "the", "U.S", "and", "NATO’s", "allies", "met"]


def test_the_claims_part_locates_offsets_as_the_document_does():
    """alignment._line_col counts lines without caching them on the document; it must agree with locate."""
    from qualcheck.agreement.alignment import _line_col

    for raw in ("", "one line", "a\nb\n\nc", "\n\nlead\nend\n", "x\r\ny".replace("\r\n", "\n")):
        doc = Document(id="d.txt", raw=raw)
        for offset in range(-2, len(raw) + 3):
            assert _line_col(doc.raw, offset) == doc.locate(offset), (raw, offset)


def test_inline_html_is_markup_in_markdown_and_residue_in_plain_text():
    """BP110 flags tags and character references a scraper left in plain text; in Markdown they are markup."""
    from qualcheck import engine, ruleset

    raw = '<p>Talks went on in Geneva.&nbsp;Diplomats met again on Tuesday.</p>\n<div class="note">Officials said so.</div>\n'
    bp110 = [r for r in ruleset.load().rules if r.code == "BP110"]
    txt = Document(id="a.txt", raw=raw)
    md = Document(id="a.md", raw=raw, format="md")
    assert "<p>" not in mask(raw, "md") and "&nbsp;" not in mask(raw, "md") and len(mask(raw, "md")) == len(raw)
    report = engine.check([txt, md], bp110)
    flagged = [(f.document, raw[f.span.start : f.span.end]) for f in report.findings]
    assert flagged == [("a.txt", "<p>"), ("a.txt", "&nbsp;"), ("a.txt", "</p>"), ("a.txt", '<div class="note">'), ("a.txt", "</div>")]
