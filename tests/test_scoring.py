"""scoring: the docstring's worked example, length normalisation, dismissed findings, categories not run."""

from __future__ import annotations

import re

import pytest

from qualcheck import check_text
from qualcheck.model import Finding, Severity, Span, Suppression
from qualcheck.scoring import ScoringSettings, score_document
from qualcheck.scoring import document as scoring


def _finding(category: str, severity: Severity, dismissed: bool = False) -> Finding:
    return Finding(
        code="XX101", rule="x", category=category, severity=severity, document="d", span=Span(0, 1),
        message="m", excerpt="x",
        suppression=Suppression("decision", "dismissed") if dismissed else None,
    )


def _docstring_example() -> dict[str, float]:
    """Read the worked example's results out of the module docstring, so doc and code cannot drift apart."""
    doc = scoring.__doc__
    out = {}
    for name in ("boilerplate", "grammar", "readability", "overall"):
        m = re.search(rf"^\s+{name}:.*?([0-9]+\.[0-9])\s*$", doc, re.M)
        assert m, f"worked example has no line for {name}"
        out[name] = float(m.group(1))
    words = re.search(r"A ([0-9]+)-word article", doc)
    out["words"] = int(words.group(1))
    return out


def test_worked_example_in_the_docstring_is_what_the_code_computes():
    example = _docstring_example()
    findings = [
        _finding("boilerplate", Severity.ERROR),
        _finding("boilerplate", Severity.WARNING),
        _finding("boilerplate", Severity.WARNING),
        _finding("grammar", Severity.WARNING),
    ]
    score = score_document(findings, example["words"], {"grammar", "boilerplate", "readability"})
    assert score.categories["boilerplate"] == example["boilerplate"]
    assert score.categories["grammar"] == example["grammar"]
    assert score.categories["readability"] == example["readability"]
    assert score.overall == example["overall"]
    assert score.categories["translation"] is None and score.categories["agreement"] is None


@pytest.mark.parametrize("words,n", [(200, 1), (400, 2), (4000, 20), (20000, 100)])
def test_same_density_same_score_whatever_the_length(words, n):
    findings = [_finding("boilerplate", Severity.WARNING) for _ in range(n)]
    score = score_document(findings, words, {"boilerplate"})
    assert score.categories["boilerplate"] == score_document([_finding("boilerplate", Severity.WARNING)], 200, {"boilerplate"}).categories["boilerplate"]


def test_long_article_is_not_punished_for_length_on_real_text():
    para = (
        "Russian President Vladimir Putin said on Tuesday that the United States and NATO had ignored "
        "Moscow's main security demands, but he left the door open to more talks with the West.\n\n"
    )
    short = para * 3 + "Leave a Reply\n"
    long = (para * 3 + "Leave a Reply\n\n") * 10
    s = check_text(short, "short.txt", select=("BP101",)).documents[0]
    l = check_text(long, "long.txt", select=("BP101",)).documents[0]
    assert len(l.findings) == 10 * len(s.findings) == 10
    assert l.score.categories["boilerplate"] == pytest.approx(s.score.categories["boilerplate"], abs=1.5)


def test_tiny_documents_use_the_minimum_length():
    one = score_document([_finding("boilerplate", Severity.ERROR)], 3, {"boilerplate"})
    floor = score_document([_finding("boilerplate", Severity.ERROR)], ScoringSettings().min_words, {"boilerplate"})
    assert one.categories["boilerplate"] == floor.categories["boilerplate"] > 0


def test_dismissed_findings_do_not_count():
    kept = [_finding("boilerplate", Severity.ERROR)]
    with_dismissed = kept + [_finding("boilerplate", Severity.ERROR, dismissed=True)] * 5
    assert score_document(with_dismissed, 300, {"boilerplate"}) == score_document(kept, 300, {"boilerplate"})


def test_categories_that_did_not_run_are_none_and_leave_the_mean():
    score = score_document([_finding("boilerplate", Severity.ERROR)], 300, {"boilerplate"})
    assert score.categories["grammar"] is None
    assert score.overall == score.categories["boilerplate"]
    assert score_document([], 300, set()).categories == {c: None for c in score.categories}


def test_measured_category_score_is_used_and_clamped():
    score = score_document([], 300, {"translation", "boilerplate"}, {"translation": 140.0})
    assert score.categories["translation"] == 100.0
    score = score_document([], 300, {"translation"}, {"translation": 42.0})
    assert score.categories["translation"] == 42.0 and score.overall == 42.0


def test_more_severe_findings_score_lower():
    scores = [score_document([_finding("grammar", s)], 300, {"grammar"}).overall for s in Severity]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 3


def _at(category: str, severity: Severity, line: int) -> Finding:
    return _finding(category, severity).with_(line=line)


def test_an_error_caps_its_category_and_the_overall_score_under_the_recommended_gate():
    long_article = 3000  # density alone would barely move the score of an article this long
    score = score_document([_at("boilerplate", Severity.ERROR, 40)], long_article, {"grammar", "boilerplate", "readability", "translation"})
    assert score.categories["boilerplate"] == ScoringSettings().cap == 45.0
    assert score.overall == 65.0 < 70


@pytest.mark.parametrize("category,lines,capped", [("translation", 1, False), ("translation", 2, True), ("boilerplate", 1, False), ("boilerplate", 2, True), ("grammar", 5, False)])
def test_warnings_on_several_lines_cap_a_category(category, lines, capped):
    findings = [_at(category, Severity.WARNING, 10 + i) for i in range(lines)]
    score = score_document(findings, 3000, {category, "readability"})
    assert (score.categories[category] == 45.0) is capped
    assert (score.overall < 70) is capped


def test_warnings_on_one_line_count_once_toward_several():
    findings = [_at("translation", Severity.WARNING, 7) for _ in range(4)]
    assert score_document(findings, 3000, {"translation"}).categories["translation"] > 45.0


def _coded(code: str, category: str, severity: Severity) -> Finding:
    return Finding(code=code, rule="x", category=category, severity=severity, document="d", span=Span(0, 1), message="m", excerpt="x")


def test_single_source_notes_do_not_lower_the_agreement_score_but_contradictions_do():
    notes = [_coded("FA106", "agreement", Severity.INFO) for _ in range(19)]
    assert score_document(notes, 264, {"agreement"}).categories["agreement"] == 100.0
    contradiction = [_coded("FA102", "agreement", Severity.WARNING)]
    assert score_document(notes + contradiction, 264, {"agreement"}).categories["agreement"] < 100.0
    weighed = ScoringSettings(rule_weights={"FA106": 1.0})  # an editor who wants them counted, as before
    assert score_document(notes, 264, {"agreement"}, settings=weighed).categories["agreement"] < 50.0
