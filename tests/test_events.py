"""Grouping documents into stories and events: keywords, who met whom, dates, the JSONL event field."""

from qualcheck.agreement import events
from qualcheck.backends import fuzzy
from qualcheck.document import Document


def _group(docs):
    return events.group(docs, lambda a, b: fuzzy.similarity(a, b), duplicate_similarity=lambda a, b: fuzzy.similarity(a, b, "ratio"))


def test_occasion_is_who_was_met():
    doc = Document(id="a.txt", raw="Putin said this after talks held Tuesday in the Kremlin with Hungarian Prime Minister Viktor Orban.")
    assert events.occasion(doc) == "orban"
    doc = Document(id="b.txt", raw="He held a dialogue with his French counterpart Emmanuel Macron in Kremlin.")
    assert events.occasion(doc) == "macron"


def test_explicit_event_field_wins():
    docs = [
        Document(id="c.jsonl#1", raw="Storm hits the coast of Florida.", fields={"event": "x"}),
        Document(id="c.jsonl#2", raw="Storm hits the coast of Florida.", fields={"event": "y"}),
    ]
    g = _group(docs)
    assert g.event["c.jsonl#1"] != g.event["c.jsonl#2"]


def test_dates_split_events_of_one_story():
    text = "Putin warned NATO over Ukraine and the troops on the border, the Kremlin said in Moscow."
    docs = [
        Document(id="a.txt", raw=text, fields={"date": "2022-02-01"}),
        Document(id="b.txt", raw=text.replace("warned", "cautioned"), fields={"date": "2022-02-20"}),
        Document(id="c.txt", raw=text.replace("warned", "alerted"), fields={"date": "2022-02-02"}),
    ]
    g = _group(docs)
    assert g.event["a.txt"] == g.event["c.txt"] != g.event["b.txt"]
    assert len(set(g.story.values())) == 1


def test_unrelated_documents_stay_apart():
    docs = [
        Document(id="a.txt", raw="Chelsea beat Arsenal 2-1 at Stamford Bridge on Saturday in the Premier League."),
        Document(id="b.txt", raw="The Bank of England raised interest rates to curb inflation in Britain."),
    ]
    g = _group(docs)
    assert g.story["a.txt"] != g.story["b.txt"]


def test_a_chain_of_pairwise_links_does_not_make_one_story():
    """Average linkage: c is linked to b only, so it does not join the a-b story; linked to both, it does."""
    uf = events._UnionFind("abc")
    events._average_link(uf, [(0.5, "a", "b"), (0.4, "b", "c")], 0.3, 0.3)
    assert uf.find("a") == uf.find("b") != uf.find("c")
    uf = events._UnionFind("abc")
    events._average_link(uf, [(0.5, "a", "b"), (0.4, "b", "c"), (0.4, "a", "c")], 0.3, 0.3)
    assert uf.find("a") == uf.find("b") == uf.find("c")
