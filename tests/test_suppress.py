"""Applying decisions marks findings and never removes them."""

from __future__ import annotations

from qualcheck.model import Finding, Severity, Span, Suppression
from qualcheck.review import Decision
from qualcheck.suppress import apply_decisions


def _f(fp: str, suppression=None) -> Finding:
    return Finding("BP101", "comment-form", "boilerplate", Severity.ERROR, "a.txt", Span(0, 5), "m", "Leave", fingerprint=fp, suppression=suppression)


def test_dismissed_stops_counting_accepted_still_counts():
    used: set[str] = set()
    out = apply_decisions([_f("a"), _f("b"), _f("c")], {"a": Decision("a", "dismissed", "false alarm"), "b": Decision("b", "accepted")}, used)
    assert len(out) == 3 and used == {"a", "b"}
    assert out[0].suppression == Suppression("decision", "dismissed", "false alarm") and not out[0].counts
    assert out[1].suppression.status == "accepted" and out[1].counts
    assert out[2].suppression is None and out[2].counts


def test_directive_suppression_is_kept():
    directive = Suppression("directive", "dismissed", "ignore[BP101]")
    out = apply_decisions([_f("a", directive)], {"a": Decision("a", "accepted")})
    assert out[0].suppression is directive
