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
    found = [c for c in report.extra["claims"] if c["kind"] == kind and needle in json.dumps(c, ensure_ascii=False)]
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
    from qualcheck import alignment
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
    assert {s["name"] for s in report.extra["sources"]} == {"Wire", "Daily", "Other"}


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
    ],
)
def test_no_contradiction_without_conflicting_facts(a, b):
    docs = [Document(id="a.txt", raw=a, fields={"event": "e", "source": "A"}),
            Document(id="b.txt", raw=b, fields={"event": "e", "source": "B"})]
    report = engine.check(docs, FA_RULES)
    assert [f for f in report.findings if f.code in ("FA101", "FA102", "FA105")] == []


def test_messages_name_what_is_counted_in_readable_words(seeds_report):
    fa106 = next(f for f in seeds_report.findings if f.code == "FA106" and f.excerpt == "40 kilometers")
    assert "the distance in 'which is only … away from tens of thousands of Russian'" in fa106.message
    troops = _group(seeds_report, "number", "more than 100,000")
    assert troops["subject"] == "the number of troops"


def test_reported_speech_is_attributed_to_who_reports_it(seeds_report):
    followup = _group(seeds_report, "quote", "received a written followup from Russia")
    assert followup["values"][0]["speaker"] == "US State Department officials"
