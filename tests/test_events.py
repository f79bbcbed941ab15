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


LONG = """Airbus unveils its A380 superjumbo in Toulouse

European planemaker Airbus has unveiled the A380, the largest passenger jet ever built, at a ceremony in Toulouse attended by the leaders of France, Germany, Britain and Spain.

French President Jacques Chirac called the aircraft a triumph of European co-operation, while German Chancellor Gerhard Schroeder said it would secure thousands of jobs across the continent.

The double-decker can carry 555 passengers in a standard layout and up to 800 in an all-economy cabin. Airbus has taken 149 firm orders from 14 customers, led by Emirates, which has ordered 45, and Singapore Airlines, which is due to fly the first one.

Rival Boeing has chosen a different strategy, betting that airlines will prefer smaller long-range jets such as its planned 7E7 Dreamliner, which can fly between secondary airports without passing through crowded hubs.

Airbus chief executive Noel Forgeard said the A380 would fly for the first time in the spring, with deliveries due in 2006. The programme has cost about 10.7bn euros, over budget, and Airbus says it needs to sell 250 aircraft to break even.

Analysts in London and Paris said the project's success would depend on how quickly airports such as Heathrow and Charles de Gaulle adapted their terminals.
"""
OTHERS = [
    "Chelsea beat Arsenal at Stamford Bridge\n\n" + " ".join(["Chelsea manager Jose Mourinho praised Frank Lampard and John Terry after the win over Arsenal at Stamford Bridge, where Thierry Henry missed a late chance."] * 9),
    "Bank of England holds interest rates\n\n" + " ".join(["The Bank of England held interest rates at 4.75% as Governor Mervyn King warned about house prices in London and consumer debt across Britain."] * 9),
    "Microsoft patches Windows flaws\n\n" + " ".join(["Microsoft released patches for Windows and Internet Explorer after researchers in Seattle and Redmond found flaws that let hackers take over computers."] * 9),
]
BRIEF = ("The superjumbo will make its first flight next spring, the company said. Emirates and Singapore Airlines "
         "have already ordered the aircraft, which seats 555 passengers. Boeing says airlines want smaller, faster jets.")



def test_a_short_report_joins_the_long_articles_story():
    """A three-sentence report's body words are its keywords, a long article's are not: beside the long
    one only its names, title and shared words count, so the report is scored on what they share."""
    docs = [Document(id="corpus/a380.txt", raw=LONG)] + [Document(id=f"corpus/other{i}.txt", raw=t) for i, t in enumerate(OTHERS)]
    docs.append(Document(id="new/brief.txt", raw=BRIEF))
    g = events.group(docs, lambda a, b: fuzzy.similarity(a, b, "token_set"), focus=frozenset({"new/brief.txt"}))
    assert g.story["new/brief.txt"] == g.story["corpus/a380.txt"]
    assert len({g.story[d.id] for d in docs}) == 4  # the other articles stay stories of their own


def test_a_short_text_sharing_two_names_with_a_long_one_stays_apart():
    brief = "England have not had the best of championships, he said in London. The players will rise to it."
    docs = [Document(id=f"corpus/other{i}.txt", raw=t) for i, t in enumerate(OTHERS)] + [Document(id="new/brief.txt", raw=brief)]
    g = events.group(docs, lambda a, b: fuzzy.similarity(a, b, "token_set"), focus=frozenset({"new/brief.txt"}))
    assert g.story["new/brief.txt"] == "story:new/brief.txt"
