"""The garbled passages quoted in issue 5 are flagged on seeds/, and the clean sentences around them are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcheck import discover, engine, ruleset

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# (seed file, passage quoted in the issue, the part a translation finding must cover)
GARBLED = [
    ("001_5ad0f26136440ebb.txt", "In his prime Direct statements on the crisis On Tuesday", "Direct"),
    ("001_5ad0f26136440ebb.txt", "In his prime Direct statements on the crisis On Tuesday", "On"),
    ("001_5ad0f26136440ebb.txt", "In his prime Direct statements", "prime Direct"),
    ("001_5ad0f26136440ebb.txt", "We have to go in in war with the alliance?", "in in"),
    ("001_5ad0f26136440ebb.txt", "Nobody seems . “", "seems ."),
    ("001_5ad0f26136440ebb.txt", "Nobody seems . “", "“"),
    ("001_5ad0f26136440ebb.txt", "the deployment of weapons. offensive close to the borders of Russia", "weapons. offensive"),
    ("001_5ad0f26136440ebb.txt", "this can only be done. in case of serious negotiation", "done. in"),
    ("001_5ad0f26136440ebb.txt", "the proposals we have presented “for” security guarantees “.", "“for”"),
    ("001_5ad0f26136440ebb.txt", "the proposals we have presented “for” security guarantees “.", "“."),
    ("003_a670b415abc76fb3.txt", "part of Ukraine annexed by Russia. 2014, as “Russia’s ruling territory”", "Russia. 2014"),
    ("003_a670b415abc76fb3.txt", "part of Ukraine annexed by Russia. 2014, as “Russia’s ruling territory”", "ruling territory"),
    ("003_a670b415abc76fb3.txt", "since December. 23", "December. 23"),
    ("001_5ad0f26136440ebb.txt", "in particularly in the city of Kharkiv", "in particularly"),
    # issue 15: the calque in the headline, with another noun phrase in its slot two lines later
    ("001_5ad0f26136440ebb.txt", "drag his country along in war", "drag his country along in war"),
    # issue 15: quotations closed with the other style of mark
    ("000_08a5b9ee43d040ad.txt", "citing its ‘Open Door Policy'", "‘Open Door Policy'"),
    ("000_08a5b9ee43d040ad.txt", "drawing us into a military conflict,”", "conflict,”"),
]

# Sentences next to the garbled ones, written (or translated) well: no translation finding at all.
CLEAN = [
    ("001_5ad0f26136440ebb.txt", "Putin is reported to fear that Ukraine will join NATO and try to recapture Crimea, which Russia annexed in 2014."),
    ("001_5ad0f26136440ebb.txt", "“Let’s imagine Ukraine is a NATO member,” Putin said."),
    ("001_5ad0f26136440ebb.txt", "Has anyone thought about it?"),
    ("001_5ad0f26136440ebb.txt", "Western countries have threatened to impose sanctions on Moscow in case of attack on Ukraine."),
    ("001_5ad0f26136440ebb.txt", "In this regard, he added: “They promised us that NATO would not advance one centimeter to the east, but they deceived us and acted differently”."),
    ("003_a670b415abc76fb3.txt", "However, Putin said he hoped talks on Ukraine would continue"),
    ("003_a670b415abc76fb3.txt", "His remarks followed talks with Hungarian President Viktor Orban, with whom Putin has a friendly relationship, in Moscow."),
    ("003_a670b415abc76fb3.txt", "US Secretary of State Antony Blinken was due to speak with Russian Foreign Minister Sergey Lavrov on Tuesday."),
    ("002_95a1c4ae04f2f19f.txt", "MOSCOW: Russian President Vladimir Putin on Tuesday said the US and NATO ‘ignored’ Moscow’s key concerns over Ukraine."),
    ("002_95a1c4ae04f2f19f.txt", "Diplomats from the US, Russia, Ukraine, NATO and the European Union have been engaged in a flurry of diplomatic activity in recent weeks, reported CNN."),
    ("000_08a5b9ee43d040ad.txt", "at the Organization for Security and Cooperation in Europe"),
]

# Reachable only by a language model (semantic word choice, no surface sign): named, not asserted.
UNREACHED = ["It’s the United States that has brought its holes to our house"]


@pytest.fixture(scope="module")
def report():
    loaded = discover.load([str(SEEDS)], SEEDS, [], None)
    rules = ruleset.load().select(["MT"])
    return engine.check(loaded.documents, rules), {d.id: d for d in loaded.documents}


def _doc(report, name):
    rep, docs = report
    doc = next(d for d in rep.documents if d.document.endswith(name))
    return doc, docs[next(k for k in docs if k.endswith(name))]


@pytest.mark.parametrize("name,passage,part", GARBLED, ids=[g[2] for g in GARBLED])
def test_quoted_passage_is_flagged(report, name, passage, part):
    doc, source = _doc(report, name)
    at = source.raw.index(passage) + passage.index(part)
    covering = [f for f in doc.findings if f.category == "translation" and f.code != "MT900" and f.start <= at and at + len(part) <= f.end]
    assert covering, f"{part!r} in {passage!r} is not flagged"
    assert all(source.raw[f.start : f.end] == f.excerpt for f in doc.findings)


@pytest.mark.parametrize("name,sentence", CLEAN, ids=[c[1][:30] for c in CLEAN])
def test_clean_neighbour_is_not_flagged(report, name, sentence):
    doc, source = _doc(report, name)
    start = source.raw.index(sentence)
    end = start + len(sentence)
    hits = [f for f in doc.findings if f.category == "translation" and f.start < end and f.end > start]
    assert not hits, [f.message for f in hits]


def test_garbled_sentences_score_worse_than_clean_ones(report):
    doc, source = _doc(report, "001_5ad0f26136440ebb.txt")
    sentences = doc.sentences

    def score_of(text):
        at = source.raw.index(text)
        return next(s["score"] for s in sentences if s["start"] <= at < s["end"])

    assert score_of("In his prime Direct") > 0.8
    assert score_of("Putin is reported to fear") < 0.2
    assert score_of("We have to go in in war") > score_of("Has anyone thought about it?")
