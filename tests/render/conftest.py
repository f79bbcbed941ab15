"""A synthetic report with every feature renderers must show: agreement findings with passages in
other sources, a dismissed finding, a whole-document finding, an emoji before a span, and the
top-level ``claims`` and ``sources`` the agreement check adds."""

from __future__ import annotations

import pytest

from qualcheck.model import Finding, Location, Score, Severity, Span, Suppression, fingerprint
from qualcheck.report import DocumentReport, Report

TEXT_A = "Storm hits coast\n\nThe storm killed 12 people on Monday, officials said. Leave a Reply\n"
TEXT_B = "Storm hits coast 🌊\n\nThe storm killed 15 people on Monday, police said.\n"

RULES = (
    {"code": "FA101", "name": "number-mismatch", "kind": "agreement", "category": "agreement", "severity": "error",
     "summary": "Sources report different numbers for the same fact.", "why": "A wrong casualty count is repeated by readers.", "link": "https://example.org/rules/FA101"},
    {"code": "BP101", "name": "comment-form", "kind": "existence", "category": "boilerplate", "severity": "error",
     "summary": "Comment form text.", "why": "Scrapers copy the comment form.", "link": None},
    {"code": "RD101", "name": "hard-to-read", "kind": "readability", "category": "readability", "severity": "info",
     "summary": "Hard to read.", "why": "Long words and sentences.", "link": None},
)


def _finding(doc: str, text: str, code: str, rule: str, category: str, severity: Severity, needle: str, message: str, **kw) -> Finding:
    start = text.index(needle) if needle else 0
    end = start + len(needle)
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    end_line = text.count("\n", 0, end) + 1
    end_col = end - (text.rfind("\n", 0, end) + 1) + 1
    return Finding(code=code, rule=rule, category=category, severity=severity, document=doc, span=Span(start, end), message=message,
                   excerpt=needle, line=line, column=col, end_line=end_line, end_column=end_col,
                   fingerprint=fingerprint(code, doc, needle, text), **kw)


def make_report(with_cross_source: bool = True) -> Report:
    loc_b = Location("news/b.txt", TEXT_B.index("15 people"), TEXT_B.index("15 people") + 9, 3, 18, "15 people", "Police: 15 people.")
    loc_a = Location("news/a.txt", TEXT_A.index("12 people"), TEXT_A.index("12 people") + 9, 3, 18, "12 people", "Officials: 12 people.")
    fa_a = _finding("news/a.txt", TEXT_A, "FA101", "number-mismatch", "agreement", Severity.ERROR, "12 people",
                    "Sources disagree on the death toll: '12 people' here, '15 people' in Police Daily.", related=(loc_b,))
    bp = _finding("news/a.txt", TEXT_A, "BP101", "comment-form", "boilerplate", Severity.ERROR, "Leave a Reply",
                  "Comment-form text left in the article: 'Leave a Reply'.", suggestions=("Delete the line.",),
                  suppression=Suppression(kind="decision", status="dismissed", note="part of a quote"))
    rd = _finding("news/a.txt", TEXT_A, "RD101", "hard-to-read", "readability", Severity.INFO, "", "The text is hard to read.")
    fa_b = _finding("news/b.txt", TEXT_B, "FA101", "number-mismatch", "agreement", Severity.ERROR, "15 people",
                    "Sources disagree on the death toll: '15 people' here, '12 people' in Coast News.", related=(loc_a,))
    cats = {"grammar": None, "translation": None, "boilerplate": 100.0, "readability": 90.0, "agreement": 60.0}
    docs = (
        DocumentReport("news/a.txt", "Storm hits coast", "Coast News", None, TEXT_A, {"words": 14, "sentences": 2},
                       (fa_a, rd, bp), Score(72.0, cats)),
        DocumentReport("news/b.txt", "Storm hits coast 🌊", "Police Daily", None, TEXT_B, {"words": 11, "sentences": 1},
                       (fa_b,), Score(55.0, {**cats, "agreement": 40.0})),
    )
    extra = {}
    if with_cross_source:
        extra = {
            "claims": [{
                "id": "c1", "kind": "number", "subject": "storm deaths", "event": "storm-2024", "status": "contradicted",
                "values": [
                    {"document": "news/a.txt", "source": "Coast News", "value": "12", "text": "killed 12 people", "start": loc_a.start, "end": loc_a.end, "line": 3, "column": 18},
                    {"document": "news/b.txt", "source": "Police Daily", "value": "15", "text": "killed 15 people", "start": loc_b.start, "end": loc_b.end, "line": 3, "column": 18},
                ],
            }],
            "sources": [
                {"name": "Coast News", "documents": ["news/a.txt"], "reliability": 0.8, "evidence": {"contradicted": 1, "corroborated": 3}},
                {"name": "Police Daily", "documents": ["news/b.txt"], "reliability": 0.4, "evidence": {"contradicted": 1, "corroborated": 0}},
            ],
        }
    return Report(tool_version="0.1.0", rules=RULES, documents=docs, notices=(), settings={"fail_under": 60.0, "fail_on": None}, **extra)


@pytest.fixture
def synthetic_report() -> Report:
    return make_report()


@pytest.fixture
def report_factory():
    return make_report
