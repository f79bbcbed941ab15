"""The agreement kind on the seeds: titles, spelling variants, numbers, quotes, events, sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualcheck import engine, ruleset
from qualcheck.document import Document
from qualcheck.render import json as json_render
from qualcheck.render import text as text_render

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FA_RULES = [r for r in ruleset.load().rules if r.code.startswith("FA")]


@pytest.fixture(scope="module")
def seeds_report():
    docs = [Document(id=f"seeds/{p.name}", raw=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    return engine.check(docs, FA_RULES)


def _group(report, kind, needle):
    found = [c for c in report.claims if c["kind"] == kind and needle in json.dumps(c, ensure_ascii=False)]
    assert found, f"no {kind} claim group mentioning {needle!r}"
    return found[0]


def _docs(group):
    return sorted({v["document"][6:9] for v in group["values"]})


def test_orban_and_johnson_titles_contradicted_on_003(seeds_report):
    orban = _group(seeds_report, "person-title", "Viktor Orban")
    assert orban["status"] == "contradicted" and _docs(orban) == ["001", "002", "003"]
    johnson = _group(seeds_report, "person-title", "Boris Johnson")
    assert johnson["status"] == "contradicted" and _docs(johnson) == ["002", "003"]
    fa102 = [f for f in seeds_report.findings if f.code == "FA102"]
    # Draghi is named by 003 alone: the offices data decides (he was Prime Minister, never President)
    assert {(f.document[6:9], f.excerpt) for f in fa102} == {
        ("003", "Hungarian President Viktor Orban"),
        ("003", "British President Boris Johnson"),
        ("003", "Italian President Mario Draghi"),
    }
    orban_finding = next(f for f in fa102 if "Orban" in f.excerpt)
    assert {loc.document[6:9] for loc in orban_finding.related} == {"001", "002"}
    assert "AsumeTech" in orban_finding.message and "Prime Minister" in orban_finding.message
    assert str(orban_finding.severity) == "error"  # two independent sources say otherwise
    assert all(f.data["decided_by"] == "knowledge" and "offices data" in f.message for f in fa102)
    assert {f.suggestions[0] for f in fa102} == {
        "Hungarian Prime Minister Viktor Orban", "British Prime Minister Boris Johnson", "Italian Prime Minister Mario Draghi",
    }


def test_lavrov_spelling_variants_are_one_person(seeds_report):
    lavrov = _group(seeds_report, "person-title", "Lavrov")
    assert lavrov["status"] == "corroborated"
    assert {v["text"].split()[-2] for v in lavrov["values"]} == {"Sergei", "Sergey"}
    assert _docs(lavrov) == ["000", "002", "003"]


def test_troops_corroborated_across_000_001_003(seeds_report):
    troops = _group(seeds_report, "number", "more than 100,000")
    assert troops["status"] == "corroborated" and _docs(troops) == ["000", "001", "003"]


def test_casualties_over_14000_lives_equals_more_than_14000_people(seeds_report):
    group = _group(seeds_report, "number", "14,000")
    assert group["status"] == "corroborated" and _docs(group) == ["000", "004"]
    assert {v["text"] for v in group["values"]} == {"over 14,000", "more than 14,000"}


def test_40_kilometers_is_single_source(seeds_report):
    group = _group(seeds_report, "distance", "40 kilometers")
    assert group["status"] == "single-source"
    assert any(f.code == "FA106" and f.excerpt == "40 kilometers" for f in seeds_report.findings)


def test_lines_of_1997_and_state_of_1997_agree(seeds_report):
    group = _group(seeds_report, "year", "1997")
    assert group["status"] == "corroborated" and _docs(group) == ["001", "002"]


def test_putin_quotes_aligned_with_word_diffs(seeds_report):
    imagine = _group(seeds_report, "quote", "Let’s imagine Ukraine is a NATO member")
    assert _docs(imagine) == ["001", "002", "003"]
    texts = {v["document"][6:9]: v for v in imagine["values"]}
    assert texts["002"]["text"].startswith("Let’s imagine that Ukraine is a NATO country")
    assert texts["003"]["text"].startswith("Let’s assume that Ukraine is a NATO member, fully armed")
    assert "[-imagine-]" in texts["003"]["diff"] or "{+assume" in texts["003"]["diff"]
    assert all(v["speaker"] == "Vladimir Putin" for v in imagine["values"])
    thought = _group(seeds_report, "quote", "has anyone thought about this?")
    assert _docs(thought) == ["001", "002", "003"] and thought["status"] == "corroborated"
    # the rendering that departs furthest carries a finding with the word-level difference
    fa103 = [f for f in seeds_report.findings if f.code == "FA103" and f.document.endswith("003_a670b415abc76fb3.txt")]
    assert any("fully armed" in f.message and "{+" in f.message for f in fa103)


def test_three_events(seeds_report):
    from qualcheck.agreement import alignment
    from qualcheck.backends import fuzzy
    docs = [Document(id=p.name[:3], raw=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    grouping = alignment.analyse(docs, fuzzy).grouping
    events = sorted(grouping.members("event").values())
    assert events == [["000"], ["001", "002", "003"], ["004"]]
    labels = {grouping.labels[grouping.event[d]] for d in ("000", "001", "004")}
    assert "meeting with Macron (2022-02-08)" in labels and "meeting with Orban" in labels
    assert any("2021-12-26" in label for label in labels)
    assert len(set(grouping.story.values())) == 1  # one story: titles are compared across all of it


def test_json_report_has_claims_and_sources(seeds_report):
    data = json.loads(json_render.render(seeds_report))
    assert {"claims", "sources"} <= set(data)
    for claim in data["claims"]:
        assert {"id", "kind", "subject", "event", "status", "values"} <= set(claim)
        assert claim["status"] in ("corroborated", "contradicted", "single-source")
        for v in claim["values"]:
            assert {"document", "source", "value", "text", "start", "end", "line", "column"} <= set(v)
    names = {s["name"] for s in data["sources"]}
    assert {"AsumeTech", "government.vision"} <= names
    for s in data["sources"]:
        assert 0 <= s["reliability"] <= 1
        assert {"corroborated", "contradicted", "single", "quality"} <= set(s["evidence"])
    gv = next(s for s in data["sources"] if s["name"] == "government.vision")
    assert gv["evidence"]["outvoted"] == 3  # Orban's and Johnson's titles (sources), Draghi's (offices data)


def test_text_report_has_cross_source_section(seeds_report):
    out = text_render.render(seeds_report)
    assert "cross-source:" in out
    assert "contradicted person-title Viktor Orban" in out
    assert "source government.vision: reliability" in out


def test_spans_are_exact(seeds_report):
    docs = {d.document: d.text for d in seeds_report.documents}
    for f in seeds_report.findings:
        assert docs[f.document][f.start : f.end] == f.excerpt
        for loc in f.related:
            assert docs[loc.document][loc.start : loc.end] == loc.excerpt


def test_similar_wording_is_not_agreement():
    docs = [
        Document(id="a.txt", raw="Company revenue rose 12% in the third quarter, the firm said."),
        Document(id="b.txt", raw="Company revenue fell 12% in the third quarter, the firm said."),
    ]
    report = engine.check(docs, FA_RULES)
    assert [f.code for f in report.findings if f.code == "FA101"] == ["FA101", "FA101"]


def test_jsonl_event_and_source_fields_are_used():
    docs = [
        Document(id="c.jsonl#1", raw="Shares fell after the company reported 300 job cuts.", fields={"event": "e1", "source": "Wire"}),
        Document(id="c.jsonl#2", raw="The firm announced 500 job cuts, and shares fell.", fields={"event": "e1", "source": "Daily"}),
        Document(id="c.jsonl#3", raw="The firm announced 900 job cuts, and shares fell.", fields={"event": "e2", "source": "Other"}),
    ]
    report = engine.check(docs, FA_RULES)
    fa101 = [f for f in report.findings if f.code == "FA101"]
    assert {f.document for f in fa101} == {"c.jsonl#1", "c.jsonl#2"}  # e2 is another event
    assert {s["name"] for s in report.sources} == {"Wire", "Daily", "Other"}


def test_one_document_gives_no_agreement_findings():
    report = engine.check([Document(id="only.txt", raw="Over 14,000 people died, said President Joe Biden.")], FA_RULES)
    assert not report.findings


@pytest.mark.parametrize(
    "a,b",
    [
        # the other source gives the same year too: aligning 2004 with 2003 would be a false clash
        ("The market will decline this year, then grow 15.7 percent in 2004.",
         "The market will decline 2.1 percent in 2003, and then grow 15.7 percent in 2004."),
        # a price in pounds and one in dollars are not the same figure
        ("The OneNote tool is listed at £169.99 in shops.", "The OneNote tool is listed at $273 in shops."),
        # "former President" names the same office as "President"
        ("Congress sent the bill to former President Bill Clinton, who vetoed it.",
         "Congress sent the bill to President Bill Clinton, who vetoed it."),
        # one distance in two units, each rounded: 30 miles is 48.3 km
        ("The convoy was ambushed 30 miles west of the capital.", "The convoy was ambushed 50 km west of the capital."),
        ("The convoy was ambushed 30 miles west of the capital.",
         "The convoy was ambushed 50 km (31 miles) west of the capital."),
        # two readings of a moving price at stated, different times
        ("Acme shares were down 40 cents at $12.10 at 10:15 a.m. in New York.",
         "Acme shares were down 55 cents at $11.95 at 2:30 p.m. in New York."),
        ("Acme shares closed down 40 cents at $12.10 on the exchange.",
         "Acme shares were down 55 cents at $11.95 in midday trading on the exchange."),
        # new cases are not the total
        ("Health officials reported 18 new cases of the disease on Friday.",
         "Health officials reported 149 cases of the disease on Friday."),
    ],
)
def test_no_contradiction_without_conflicting_facts(a, b):
    docs = [Document(id="a.txt", raw=a, fields={"event": "e", "source": "A"}),
            Document(id="b.txt", raw=b, fields={"event": "e", "source": "B"})]
    report = engine.check(docs, FA_RULES)
    assert [f for f in report.findings if f.code in ("FA101", "FA102", "FA105")] == []


@pytest.mark.parametrize(
    "a,b",
    [
        # "off" in market speech is a fall: it clashes with a rise of the same size
        ("Acme shares were off 30 cents, or 2 percent, at $14.70 on the exchange.",
         "Acme shares rose 30 cents, or 2 percent, to $15.30 on the exchange."),
        # the same clock time: one reading, two values
        ("Acme shares were down 40 cents at $12.10 at 10:15 a.m. in New York.",
         "Acme shares were down 55 cents at $11.95 at 10:15 a.m. in New York."),
        # a conversion does not excuse a figure far from it
        ("The convoy was ambushed 30 miles west of the capital.", "The convoy was ambushed 80 km west of the capital."),
    ],
)
def test_contradictions_that_the_new_exceptions_keep(a, b):
    docs = [Document(id="a.txt", raw=a, fields={"event": "e", "source": "A"}),
            Document(id="b.txt", raw=b, fields={"event": "e", "source": "B"})]
    report = engine.check(docs, FA_RULES)
    assert {f.document for f in report.findings if f.code == "FA101"} == {"a.txt", "b.txt"}


def test_messages_name_what_is_counted_in_readable_words(seeds_report):
    fa106 = next(f for f in seeds_report.findings if f.code == "FA106" and f.excerpt == "40 kilometers")
    assert "the distance in 'which is only … away from tens of thousands of Russian'" in fa106.message
    troops = _group(seeds_report, "number", "more than 100,000")
    assert troops["subject"] == "the number of troops"


def test_reported_speech_is_attributed_to_who_reports_it(seeds_report):
    followup = _group(seeds_report, "quote", "received a written followup from Russia")
    assert followup["values"][0]["speaker"] == "US State Department officials"


# ------------------------------------------------------------------------------------------------
# who is wrong: the offices data, established documents (changed-articles mode), independent sources

NEW_ARTICLE = """Putin says NATO ignored Russia's security concerns over Ukraine

Russian President Vladimir Putin said on Tuesday that the US and NATO had ignored Russia's key security concerns over Ukraine, at a press conference in Moscow after talks with Hungarian Prime Minister Viktor Orban.
Putin also spoke by telephone with British President Boris Johnson, the Kremlin said. Russia has amassed more than 100,000 troops near Ukraine’s borders, and European countries fear that Russia is planning to invade Ukraine.
Putin said the West was trying to drag Russia into a military conflict over Ukraine and Crimea, and that NATO had promised not to expand to the east.
{closing}
"""


def _agreement(docs, focus=None, codes=("FA101", "FA102", "FA105")):
    """Run the FA rules' kind on a corpus, with ``focus`` as changed-articles mode sets it."""
    from qualcheck.context import Context, Corpus
    from qualcheck.kinds.agreement import agreement

    corpus = Corpus(docs, focus=frozenset(focus) if focus is not None else None)
    ctx = Context(corpus=corpus)
    return [f for rule in FA_RULES if rule.code in codes for f in agreement(corpus, rule, ctx).findings]


def _corpus(tmp_path, extra: dict[str, str]) -> list[Document]:
    """The seeds plus new articles, written as files in a content folder and read back."""
    folder = tmp_path / "news"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        (folder / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in extra.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [Document(id=f"news/{p.name}", raw=p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]


def test_new_article_with_a_wrong_title_is_flagged_and_002_is_not(tmp_path):
    docs = _corpus(tmp_path, {"005_new.txt": NEW_ARTICLE.format(closing="Both sides agreed to keep talking.")})
    new = "news/005_new.txt"
    for focus in (None, {new}):
        fa102 = [f for f in _agreement(docs, focus, ("FA102",)) if "Johnson" in f.excerpt]
        flagged = {f.document for f in fa102}
        assert new in flagged and "news/002_95a1c4ae04f2f19f.txt" not in flagged
        if focus:
            assert flagged == {new}  # only the article being checked is reported
        f = next(f for f in fa102 if f.document == new)
        assert f.data["decided_by"] == "knowledge" and "offices data" in f.message
        assert f.suggestions == ("British Prime Minister Boris Johnson",)


def test_single_source_wrong_titles_of_other_people_and_offices(tmp_path):
    texts = {
        "a.txt": "Putin called German Prime Minister Angela Merkel on Friday to discuss gas supplies through Ukraine.",
        "b.txt": "Japanese President Shinzo Abe said the summit would go ahead.",
        "c.txt": "Canadian Prime Minister Justin Trudeau and French President Emmanuel Macron met in Paris.",
    }
    docs = [Document(id=k, raw=v, fields={"source": k}) for k, v in texts.items()]
    found = {(f.document, f.excerpt, f.suggestions) for f in _agreement(docs, codes=("FA102",))}
    assert found == {
        ("a.txt", "German Prime Minister Angela Merkel", ("German Chancellor Angela Merkel",)),
        ("b.txt", "Japanese President Shinzo Abe", ("Japanese Prime Minister Shinzo Abe",)),
    }


def test_the_documents_date_decides_which_office_a_person_held():
    medvedev = "Russian President Dmitry Medvedev met the governors in Moscow."
    docs = [Document(id="2010.txt", raw=medvedev, fields={"date": "2010-03-01", "source": "A"}),
            Document(id="2015.txt", raw=medvedev, fields={"date": "2015-03-01", "source": "B", "event": "x"})]
    fa102 = _agreement(docs, codes=("FA102",))
    assert [f.document for f in fa102] == ["2015.txt"]
    assert "Prime Minister" in fa102[0].message and "Vladimir Putin" in fa102[0].message


def test_knowledge_beats_a_majority_of_sources():
    wrong = "The talks were hosted by Italian President Mario Draghi in Rome on Tuesday."
    right = "The talks were hosted by Italian Prime Minister Mario Draghi in Rome on Tuesday."
    docs = [Document(id=f"w{i}.txt", raw=wrong.replace("Tuesday", day), fields={"source": f"W{i}", "date": "2021-06-01"})
            for i, day in enumerate(("Tuesday", "Tuesday evening", "Tuesday night"))]
    docs.append(Document(id="r.txt", raw=right, fields={"source": "R", "date": "2021-06-01"}))
    fa102 = _agreement(docs, codes=("FA102",))
    assert {f.document for f in fa102} == {"w0.txt", "w1.txt", "w2.txt"}
    assert all(f.data["decided_by"] == "knowledge" and "Mattarella" in f.message for f in fa102)


JANSEN = ("Talks on the new fisheries agreement resumed in Brussels on Monday. {title} Pieter Jansen said the"
          " negotiators were close to a deal on quotas for the North Sea, and that the ministers would meet again"
          " on Friday to settle the remaining questions about herring and mackerel catches for the coming season,"
          " which the fishing industry has been waiting for since the spring. {closing}")


def test_established_claim_is_not_flipped_by_a_new_article_or_its_copies():
    est = Document(id="old/wire.txt", raw=JANSEN.format(title="Dutch Foreign Minister", closing="Officials confirmed the date."),
                   fields={"source": "Wire", "event": "fish"})
    new = [Document(id=f"new/daily-{i}.txt", raw=JANSEN.format(title="Dutch Defence Minister", closing=f"Copy {i} of the report."),
                    fields={"source": f"Daily{i}", "event": "fish"}) for i in range(3)]
    focus = {d.id for d in new}
    fa102 = _agreement([est, *new], focus, ("FA102",))
    assert {f.document for f in fa102} == focus  # the new article (and each copy) is flagged, never the established one
    assert all(f.data["decided_by"] == "sources" and "Wire" in f.message for f in fa102)
    assert all(f.suggestions == ("Dutch Foreign Minister Pieter Jansen",) for f in fa102)


GOVERNORS = ("{title} Dmitry Medvedev met regional governors in Moscow on {day} to discuss the budget for the coming"
             " year, including spending on roads, hospitals and schools in the regions hit hardest by the floods. {closing}")


def _medvedev(new_title: str, established: tuple[str, ...], new_fields: dict | None = None):
    """Established articles from independent sources with their titles, and one new undated article."""
    est = [Document(id=f"old/{i}.txt", raw=GOVERNORS.format(title=t, day="Monday", closing=f"Report {i}."), fields={"source": f"Wire{i}", "event": "g"})
           for i, t in enumerate(established)]
    new = Document(id="new/blog.txt", raw=GOVERNORS.format(title=new_title, day="Monday", closing="From our desk."),
                   fields={"source": "Blog", "event": "g", **(new_fields or {})})
    return [*est, new], {new.id}


def test_established_sources_place_an_undated_title_held_at_another_time():
    """The offices file confirms "Russian President Dmitry Medvedev" for an undated article (he was,
    2008-2012); two independent established sources calling him Prime Minister (2012-2020) place the
    corpus in time, so the new article's title is flagged by them, and says what would make it right."""
    docs, focus = _medvedev("Russian President", ("Russian Prime Minister", "Russian Prime Minister"))
    fa102 = _agreement(docs, focus, ("FA102",))
    assert [f.document for f in fa102] == ["new/blog.txt"]
    f = fa102[0]
    assert f.data["decided_by"] == "sources" and f.severity.name == "ERROR"
    assert "2008–2012" in f.message and "no date" in f.message
    assert f.suggestions == ("Russian Prime Minister Dmitry Medvedev",)
    # a full run has no established side: the file's confirmation stands, as before
    assert not _agreement(docs, None, ("FA102",))


@pytest.mark.parametrize("articles,flagged", [(3, True), (2, False)])
def test_several_articles_of_one_source_place_an_undated_title(articles, flagged):
    """A content repository fed by one desk is one source: three established articles of it (distinct
    voters) that agree on the office the file confirms date the corpus; two do not."""
    docs, focus = _medvedev("Russian President", ("Russian Prime Minister",) * articles)
    docs = [Document(id=d.id, raw=d.raw, fields={**d.fields, "source": "Desk"}) if d.id not in focus else d for d in docs]
    fa102 = _agreement(docs, focus, ("FA102",))
    assert [f.document for f in fa102] == (["new/blog.txt"] if flagged else [])


def test_established_titles_the_file_cannot_judge_do_not_veto_the_ones_it_can(monkeypatch):
    """A third established source writes the office in a way the offices file does not judge (in the
    BBC corpus: "On Tuesday Foreign Secretary Jack Straw" read as another body's office). When it
    says the same office as the judged two, they still place the new undated title in another time;
    when it says another office, it keeps the veto."""
    from qualcheck.agreement import alignment

    judge = alignment._offices.verdict
    unjudged = "In brief. "  # the third established article's claim starts after these words
    monkeypatch.setattr(alignment._offices, "verdict", lambda c, *a, **k: None if c.start == len(unjudged) else judge(c, *a, **k))
    for third, flagged in (("Russian Prime Minister", ["new/blog.txt"]), ("Russian President", [])):
        docs, focus = _medvedev("Russian President", ("Russian Prime Minister", "Russian Prime Minister", third))
        docs[2] = Document(id=docs[2].id, raw=unjudged + docs[2].raw, fields=docs[2].fields)
        fa102 = _agreement(docs, focus, ("FA102",))
        assert [f.document for f in fa102] == flagged, third
        assert all(f.data["decided_by"] == "sources" for f in fa102)


@pytest.mark.parametrize("new_title,established,fields", [
    ("Russian President", ("Russian Prime Minister", "Russian Prime Minister"), {"date": "2010-05-04"}),  # dated: the file decides
    ("Russian President", ("Russian Prime Minister",), None),  # one established source does not date the corpus
    ("Russian President", ("Russian Prime Minister", "Russian President"), None),  # established sources disagree
    ("Russian Prime Minister", ("Russian Prime Minister", "Russian Prime Minister"), None),  # agrees
])
def test_an_undated_title_stands_when_nothing_places_it_elsewhere(new_title, established, fields):
    docs, focus = _medvedev(new_title, established, fields)
    assert not _agreement(docs, focus, ("FA102",))


TROOPS = ("Russia has amassed {n} troops near Ukraine's borders, officials said on Monday, while European countries"
          " fear that Moscow is planning an invasion. The Kremlin denies this and says it could take unspecified"
          " military action if its security demands, including a halt to NATO expansion to the east, are not met."
          " Talks between Russian and American diplomats in Geneva ended without a breakthrough last week. {closing}")


def test_new_number_and_its_copies_do_not_outvote_established_sources():
    est = [Document(id="old/wire.txt", raw="Russia has amassed more than 100,000 troops near Ukraine's borders, officials said on Monday.", fields={"source": "Wire", "event": "e"}),
           Document(id="old/daily.txt", raw="Officials said Russia has amassed more than 100,000 troops near Ukraine's borders.", fields={"source": "Daily", "event": "e"})]
    new = [Document(id=f"new/blog-{i}.txt", raw=TROOPS.format(n="60,000", closing=f"Copy {i}."), fields={"source": f"Blog{i}", "event": "e"})
           for i in range(3)]
    focus = {d.id for d in new}
    for run_focus in (focus, None):  # changed-articles mode, then a full run (copies vote once)
        fa101 = _agreement([*est, *new], run_focus, ("FA101",))
        assert {f.document for f in fa101} == focus, fa101
        assert all(f.data["decided_by"] == "sources" for f in fa101)


def test_two_independent_sources_beat_a_lone_dissenter_in_a_full_run():
    docs = [
        Document(id="a.txt", raw=JANSEN.format(title="Dutch Foreign Minister", closing="Wire report."), fields={"source": "A", "event": "e"}),
        Document(id="b.txt", raw=("On Monday in Brussels, Dutch Foreign Minister Pieter Jansen told reporters that a fisheries deal"
                                  " on North Sea quotas was near."), fields={"source": "B", "event": "e"}),
        Document(id="c.txt", raw=JANSEN.format(title="Dutch Defence Minister", closing="Lone report."), fields={"source": "C", "event": "e"}),
    ]
    fa102 = _agreement(docs, codes=("FA102",))
    assert [f.document for f in fa102] == ["c.txt"]
    assert fa102[0].data["decided_by"] == "sources"


def test_focus_compares_only_what_the_new_article_touches(tmp_path):
    from qualcheck.agreement import alignment, offices
    from qualcheck.backends import fuzzy

    unrelated = "Heavy rain flooded the village of Appleby on Sunday and 40 homes were evacuated, the council said."
    docs = _corpus(tmp_path, {"005_new.txt": NEW_ARTICLE.format(closing="Both sides agreed to keep talking."), "zz_rain.txt": unrelated})
    new = "news/005_new.txt"
    full = alignment.analyse(docs, fuzzy, knowledge=offices.load())
    part = alignment.analyse(docs, fuzzy, knowledge=offices.load(), focus={new})
    touched = [g for g in part.groups if any(m.doc.id == new for m in g.members)]
    assert touched and len(part.groups) < len(full.groups)
    assert not any(m.doc.id.endswith("zz_rain.txt") for g in part.groups for m in g.members)
    # what the new article is compared with is the same as in the full run
    def members(result):
        return sorted(tuple(sorted((m.doc.id, m.claim.start) for m in g.members)) for g in result.groups if any(m.doc.id == new for m in g.members))
    assert members(part) == members(full)


def test_forms_of_one_office_the_offices_data_confirms_are_not_contradictions():
    texts = [
        "The figures were welcomed by Chancellor of the Exchequer Gordon Brown on Monday.",
        "The figures pleased ministers. And Chancellor Gordon Brown said growth would continue.",
        "UK Chancellor Gordon Brown said the figures were welcome.",
        "The crowd cheered the King. He waved from the balcony before leaving for the palace.",
    ]
    docs = [Document(id=f"{i}.txt", raw=t, fields={"source": f"S{i}"}) for i, t in enumerate(texts)]
    assert _agreement(docs, codes=("FA102",)) == []


KASHMIR = ("{title} Jack Straw, touring South Asia, praised the decision by India and Pakistan to open a bus link"
           " across the ceasefire line in Kashmir. Trade between the two countries grew sharply in 2004, officials said."
           " Mr Straw said the agreement would make a real difference to families divided for decades.")


def test_an_undated_article_is_dated_by_its_own_evidence():
    docs = [Document(id=f"{title}.txt", raw=KASHMIR.format(title=title), fields={"source": title}) for title in ("Home Secretary", "Foreign Secretary")]
    fa102 = _agreement(docs, codes=("FA102",))
    assert [f.document for f in fa102] == ["Home Secretary.txt"]
    f = fa102[0]
    assert f.data["decided_by"] == "knowledge" and str(f.severity) == "error"
    # the message says what dated the article: the year its own text names
    assert "dates it to" in f.message and "2004" in f.message and "1997–2001" in f.message


def test_a_date_line_in_the_text_decides_which_office_a_person_held():
    """Scraped articles carry their date as a line of text, not a field: it dates the title too."""
    body = "Turkish Prime Minister Recep Tayyip Erdogan offered to host the talks in Istanbul."
    docs = [Document(id="2022.txt", raw=f"Talks offered\n\nFebruary 24, 2022\n\n{body}", fields={"source": "A"}),
            Document(id="2010.txt", raw=f"Talks offered\n\nPublished: 12 May 2010\n\n{body}", fields={"source": "B"})]
    fa102 = _agreement(docs, codes=("FA102",))
    assert [f.document for f in fa102] == ["2022.txt"]
    assert "President" in fa102[0].message


@pytest.mark.parametrize(
    "sentence,suggestion",
    [
        ("Boris Johnson, the British President, said the West would respond.", "British Prime Minister"),
        ("The Italian president, Mario Draghi, said the West would respond.", "Italian Prime Minister"),
    ],
)
def test_a_wrong_title_in_apposition_is_refuted_by_the_offices_data(sentence, suggestion):
    doc = Document(id="new.txt", raw=f"Leaders react\n\n{sentence}\n", fields={"date": "2022-02-24", "source": "A"})
    [f] = _agreement([doc], codes=("FA102",))
    assert f.data["decided_by"] == "knowledge" and f.suggestions == (suggestion,)
    assert doc.raw[f.span.start : f.span.end].lower() == suggestion.lower().replace("prime minister", "president")


STORY = "Rescue teams search the rubble after the earthquake in southern Turkey\n\n"


def test_a_figure_corroborated_in_several_wordings_still_meets_a_new_article_that_contradicts_it():
    """Three sources agree on the death toll, one of them in other words; a new source gives another
    toll in the words of one of them: it is contradicted, and it is the one flagged."""
    texts = {
        "a/1.txt": "Officials said at least 1,200 people died when the earthquake struck southern Turkey before dawn on Monday.",
        "b/2.txt": "At least 1,200 people died when the earthquake struck southern Turkey, officials said on Monday.",
        "c/3.txt": "The agency said more than 1,200 people were confirmed dead as rescue work went on through the night.",
        "d/4.txt": "Officials said 450 people died when the earthquake struck southern Turkey before dawn on Monday.",
    }
    docs = [Document(id=k, raw=STORY + v + "\n\nRescue teams from Greece and Germany joined the search in Turkey.\n") for k, v in texts.items()]
    report = engine.check(docs, FA_RULES)
    group = next(c for c in report.claims if c["kind"] == "number" and any(v["document"] == "d/4.txt" for v in c["values"]))
    assert group["status"] == "contradicted"
    assert {v["document"] for v in group["values"]} == {"a/1.txt", "b/2.txt", "c/3.txt", "d/4.txt"}
    flagged = [f for f in report.findings if f.code == "FA101"]
    assert [f.document for f in flagged] == ["d/4.txt"] and flagged[0].excerpt == "450"


def test_a_conflicting_figure_in_other_words_only_stays_apart():
    """A different figure whose sentence reads like none of the group's is another subject, not a contradiction."""
    texts = {
        "a/1.txt": "Officials said at least 1,200 people died when the earthquake struck southern Turkey before dawn on Monday.",
        "b/2.txt": "At least 1,200 people died when the earthquake struck southern Turkey, officials said on Monday.",
        "d/4.txt": "About 450 volunteers from abroad were flown in by the weekend to help the local crews.",
    }
    docs = [Document(id=k, raw=STORY + v + "\n\nRescue teams from Greece and Germany joined the search in Turkey.\n") for k, v in texts.items()]
    report = engine.check(docs, FA_RULES)
    assert not [f for f in report.findings if f.code == "FA101"]


def test_a_weekday_is_compared_with_weekdays_not_with_a_calendar_date():
    """"Thursday" and "December 23" (no year) cannot be compared: they neither corroborate each other
    nor hide that the other sources say "Tuesday" for the same occasion."""
    lede = "Putin says West ignored Russia's concerns after talks with Orban\n\n"
    texts = {
        "a/1.txt": "Russian President Vladimir Putin said on Tuesday that NATO had ignored Russia's main security demands after talks with Viktor Orban.",
        "b/2.txt": "Russian President Vladimir Putin said on Tuesday that NATO had ignored Russia's main security demands, after talks in the Kremlin with Viktor Orban. "
                   "Putin had last spoken publicly about Ukraine on December 23, according to the New York Times.",
        "c/3.txt": "Russian President Vladimir Putin said on Thursday that NATO had ignored Russia's main security demands after talks with Viktor Orban.",
    }
    report = engine.check([Document(id=k, raw=lede + v + "\n") for k, v in texts.items()], FA_RULES)
    dates = [c for c in report.claims if c["kind"] == "date"]
    assert not [c for c in dates if {v["text"] for v in c["values"]} >= {"Thursday", "December 23"}]
    flagged = [(f.document, f.excerpt) for f in report.findings if f.code == "FA105"]
    assert flagged == [("c/3.txt", "Thursday")]


SHORT_REPORT = """Lavrov says NATO broke its promises as Putin hosts Orban

Russian President Vladimir Putin held talks in the Kremlin on Tuesday with Hungarian Prime Minister Viktor Orban.

“They promised us that NATO would not advance one centimeter to the east, but they deceived us and acted differently,” Russian Foreign Minister Sergey Lavrov said.
"""


def test_a_short_new_report_of_the_same_meeting_joins_its_story_and_a_misattributed_quote_is_flagged(tmp_path):
    """Short texts share few keywords with long ones: the occasion both report (talks with Orban) links
    them. Then the remark the established article gives to Putin, given to Lavrov by the new one,
    is flagged on the new one (one established source against one new one: the corpus decides)."""
    docs = _corpus(tmp_path, {"005_short.txt": SHORT_REPORT})
    new = "news/005_short.txt"
    found = _agreement(docs, {new}, ("FA104",))
    assert [(f.document, "Sergey Lavrov" in f.message and "Vladimir Putin" in f.message) for f in found] == [(new, True)]
    assert not _agreement(docs, None, ("FA104",))  # a full run: one source each way, nothing decides


def test_a_rendering_that_names_no_speaker_contradicts_no_attribution():
    lede = "At the news conference in Moscow on NATO expansion and Ukraine: "
    said = "“We will never accept these demands from the alliance,”"
    docs = [Document(id="a/1.txt", raw=f"{lede}{said} Putin said."), Document(id="b/2.txt", raw=f"{lede}{said} Putin said."),
            Document(id="c/3.txt", raw=f"{lede}{said[:-2]}.”")]
    report = engine.check(docs, FA_RULES)
    assert not [f for f in report.findings if f.code == "FA104"]
    assert [c["status"] for c in report.claims if c["kind"] == "quote"] == ["corroborated"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_whose_claims_fail_is_named_and_the_others_are_compared(monkeypatch, jobs):
    """One document's claims raising must not end the corpus step: that document is named in an error
    notice and left out of the comparison, the others are still compared (forked workers too)."""
    from qualcheck.agreement import claims

    real = claims.extract

    def extract(doc, vocab=None):
        if doc.id == "broken.txt":
            raise ValueError("a claim reader failed")
        return real(doc, vocab)

    monkeypatch.setattr(claims, "extract", extract)
    text = "Storm hits coast\n\nMore than 500 homes lost power in Cumbria on Sunday, the Met Office said.\n"
    docs = [Document(id=f"{name}.txt", raw=text) for name in ("a", "broken", "c")]
    rules = [r for r in ruleset.load().rules if r.category == "agreement" and r.enabled]
    report = engine.check(docs, rules, jobs=jobs)
    problems = [n for n in report.notices if n.document == "broken.txt"]
    assert len(problems) == 1 and problems[0].level == "error" and "a claim reader failed" in problems[0].message
    by_doc = {d.document: d for d in report.documents}
    assert by_doc["a.txt"].agreement["corroborated"] >= 1  # a and c still agree on the homes
    assert by_doc["broken.txt"].agreement["corroborated"] == 0
