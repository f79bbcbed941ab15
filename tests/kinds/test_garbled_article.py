"""garbled-article (MT901): an article with several elevated sentence scores fails; one such sentence does not."""

from __future__ import annotations

import dataclasses

from qualcheck import engine, ruleset
from qualcheck.config import Settings
from qualcheck.document import Document
from qualcheck.model import Severity

RULES = ruleset.load()
MT901 = RULES.by_code("MT901")

HEAD = "Talks on the border end without a deal\n\n"
FLUENT = (
    "Russian and Ukrainian officials met in Geneva on Thursday for a second round of talks.\n\n"
    "The meeting lasted four hours, and both sides said they would meet again next month.\n\n"
)
# machine-translated sentences in the style issue 5 quotes: stray capitals and a full stop inside the sentence
GARBLED_1 = "In his prime Direct statements on the crisis On Tuesday, Putin spoke of the deployment of weapons. offensive close to the borders."
GARBLED_2 = "This can only be done. in case of serious negotiation, the Kremlin said On Friday about the proposals Presented by the West."


def _check(text: str, rules=None, **settings):
    return engine.check([Document(id="a.txt", raw=text)], rules or [r for r in RULES.select() if r.code.startswith("MT")], Settings(**settings) if settings else None)


def test_two_garbled_sentences_make_one_error_at_the_worst():
    text = HEAD + FLUENT + GARBLED_1 + "\n\n" + GARBLED_2 + "\n"
    found = [f for f in _check(text).findings if f.code == "MT901"]
    assert len(found) == 1
    f = found[0]
    assert f.severity == Severity.ERROR and f.category == "translation" and f.rule == "garbled-article"
    assert f.excerpt in (GARBLED_1, GARBLED_2) and text[f.span.start : f.span.end] == f.excerpt
    assert f.message.startswith("2 sentences read as a garbled translation (scores ")
    assert len(f.data["sentences"]) == 2


def test_one_garbled_sentence_is_left_to_mt900():
    text = HEAD + FLUENT + GARBLED_1 + "\n"
    report = _check(text)
    assert "MT901" not in {f.code for f in report.findings}


def test_fluent_article_passes():
    assert "MT901" not in {f.code for f in _check(HEAD + FLUENT).findings}


def test_the_thresholds_are_the_rules_data():
    text = HEAD + FLUENT + GARBLED_1 + "\n\n" + GARBLED_2 + "\n"
    strict = dataclasses.replace(MT901, params=dataclasses.replace(MT901.params, threshold=0.999))
    few = dataclasses.replace(MT901, params=dataclasses.replace(MT901.params, count=3))
    rules = [r for r in RULES.select() if r.code.startswith("MT") and r.code != "MT901"]
    assert "MT901" not in {f.code for f in _check(text, rules + [strict]).findings}
    assert "MT901" not in {f.code for f in _check(text, rules + [few]).findings}


def test_selected_alone_it_reads_mt900_without_reporting_it():
    # no MT signal rule runs, so only MT900's model speaks: sentences full of words that are no English word
    text = (
        "The brothers carry a nisro and bonpos with cedal and gharpi to the katuri festival from the tharu kholas"
        " of dhangadhi with mato, jatra, bhakari and lakhe dhunge in their dhakarbas.\n\nThe sisters bring gundruk,"
        " sinki, kodo, phapar and tama from the bhanjyang of rolpa with jhilke, dhaka, kholme, thekki, madal and pathi"
        " in their dokos and namlos."
    )
    report = _check(text, [MT901])
    assert {f.code for f in report.findings} == {"MT901"}
    assert report.documents[0].sentences is None  # MT900 ran as an input: its sentences are not reported


def test_it_fails_the_recommended_gate():
    text = HEAD + FLUENT + GARBLED_1 + "\n\n" + GARBLED_2 + "\n"
    doc = _check(text).documents[0]
    assert doc.score.overall < 70
    assert engine.document_gate(doc, 70, Severity.ERROR)
