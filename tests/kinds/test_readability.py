"""Readability metrics and the readability/sentence-length kinds on real and degenerate text."""

from __future__ import annotations

import math

import pytest

from qualcheck import engine, ruleset
from qualcheck.backends import textstat as ts
from qualcheck.document import Document
from qualcheck.kinds.readability import sentence_words
from qualcheck.stats import document_stats

RULES = {r.code: r for r in ruleset.load().rules if r.category == "readability"}
GRADES = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "coleman_liau_index", "dale_chall")

NEWS = (
    "Putin talks end without a deal\n\n"
    "Russian President Vladimir Putin met French President Emmanuel Macron in Moscow on Monday. "
    "The two men talked for more than five hours about Ukraine and the security of Europe. "
    "Macron said afterwards that the talks had been useful and that some of his proposals could work.\n\n"
    "Putin said Russia would study the French ideas. He warned, however, that NATO had ignored "
    "Russia's main demands. Macron then flew to Kyiv, where he met President Volodymyr Zelensky on Tuesday. "
    "Officials in Berlin said further talks were planned for next week, though no date had been set."
)
LIST_LINES = "\n".join(["Home", "World News", "Business and markets today", "Sport results"] * 20)
ONE_SENTENCE = " ".join(["word"] * 10_000) + "."


def _codes(raw: str, *codes: str) -> list[str]:
    report = engine.check([Document(id="t.txt", raw=raw)], [RULES[c] for c in codes])
    return [f.code for f in report.findings]


@pytest.mark.parametrize(
    "name,raw,words,sentences",
    [
        ("empty", "", 0, 0),
        ("whitespace", "  \n\n \t ", 0, 0),
        ("one word", "Putin", 0, 0),  # a lone line is the title, not body
        ("title only", "Putin meets Orban in Moscow", 0, 0),
        ("emoji only", "🌅🌅 🙂", 0, 0),
        ("title and one sentence", "Putin speaks\n\nPutin spoke.", 2, 1),
        ("unpunctuated list", "Menu\n\n" + LIST_LINES, 180, 1),
        ("10,000-word sentence", "Title\n\n" + ONE_SENTENCE, 10_000, 1),
        ("CRLF", NEWS.replace("\n", "\r\n"), 94, 7),
    ],
)
def test_stats_are_never_absurd(name, raw, words, sentences):
    from qualcheck.document import normalise_newlines

    stats = document_stats(Document(id="t.txt", raw=normalise_newlines(raw)))
    if words is not None:
        assert stats["words"] == words
    assert stats["sentences"] == sentences
    for key in GRADES:
        value = stats[key]
        assert value is None or (math.isfinite(value) and -50 < value < 130), (key, value)
    if stats["words"] < ts.MIN_WORDS or (stats["words_per_sentence"] or 0) > ts.MAX_WORDS_PER_SENTENCE:
        assert all(stats[k] is None for k in GRADES), stats


def test_metrics_of_edited_news_are_in_the_news_range():
    stats = document_stats(Document(id="news.txt", raw=NEWS))
    assert stats["words"] == 94 and stats["sentences"] == 7 and stats["paragraphs"] == 2
    assert 30 <= stats["flesch_reading_ease"] <= 70
    assert 6 <= stats["flesch_kincaid_grade"] <= 14  # BBC: p1 6.5, p99 14.0
    assert stats["words_per_sentence"] == pytest.approx(94 / 7, abs=0.01)


def test_syllables_come_from_the_offline_dictionary():
    # "Ukraine" is in the CMU dictionary with 2 syllables; hyphenation would give 3
    assert ts.syllables("Ukraine") == 2
    assert ts.syllables("") == 0


@pytest.mark.parametrize(
    "name,raw,expected",
    [
        ("edited news", NEWS, []),
        ("empty", "", []),
        ("title only", "Putin meets Orban in Moscow", []),
        ("unpunctuated list", "Menu\n\n" + LIST_LINES, []),  # not measurable: no grade finding
        ("10,000-word sentence", "Title\n\n" + ONE_SENTENCE, []),
        (
            "merged sentences",
            "Title\n\n" + " ".join(
                ["The comprehensive institutional reconfiguration of multilateral security architectures "
                 "notwithstanding considerable intergovernmental disagreement necessitates unprecedented "
                 "coordination among participating organizations."] * 6),
            ["RD101", "RD102"],
        ),
    ],
)
def test_document_level_rules(name, raw, expected):
    assert sorted(_codes(raw, "RD101", "RD102")) == expected


@pytest.mark.parametrize(
    "name,raw,expected_words",
    [
        ("short sentences", NEWS, []),
        ("empty", "", []),
        ("10,000-word sentence", "Title\n\n" + ONE_SENTENCE, [10_000]),
        ("emoji before a run-on", "🌅 " + " ".join(["talks"] * 60) + ".", [60]),
        ("CRLF run-on", "Title\r\n\r\n" + " ".join(["talks"] * 55) + ".", [55]),
        ("quoted run-on", "“" + " ".join(["talks"] * 52) + ",” he said.", [54]),
        # a bulleted list is one item a sentence, not one run-on sentence
        ("bulleted list", "Winners:\n" + "\n".join(f" - Best {i} - " + " ".join(["name"] * 10) for i in range(10)), []),
    ],
)
def test_run_on_sentences(name, raw, expected_words):
    from qualcheck.document import normalise_newlines

    doc = Document(id="t.txt", raw=normalise_newlines(raw))
    report = engine.check([doc], [RULES["RD103"]])
    found = [f for f in report.findings if f.code == "RD103"]
    assert [f.data["words"] for f in found] == expected_words
    for f in found:
        assert f.excerpt == doc.raw[f.span.start : f.span.end]
        assert not f.excerpt[0].isspace() and not f.excerpt[-1].isspace()


def test_sentence_words_counts_every_sentence():
    doc = Document(id="news.txt", raw=NEWS)
    assert len(sentence_words(doc)) == len(doc.sentences) == 8  # the title and seven sentences
    assert sum(sentence_words(doc)) == 6 + 94
