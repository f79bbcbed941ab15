"""TruthFinder source reliability: trust follows agreement, copies vote once, quality blends in."""

from __future__ import annotations

import pytest

from qualcheck.agreement import reliability
from qualcheck.agreement.reliability import Assertion


def same(a, b):
    return a == b


def test_worked_example_of_the_docstring():
    votes = [Assertion("troops", 100, s, s) for s in ("a", "b", "c")] + [Assertion("troops", 60, "d", "d")]
    result = reliability.truthfinder(votes, same, max_iter=1)
    assert result.confidence[("troops", 100)] == pytest.approx(0.77, abs=0.005)
    assert result.confidence[("troops", 60)] == pytest.approx(0.44, abs=0.005)
    assert result.truth["troops"] == 100


def test_a_source_that_is_often_outvoted_loses_trust():
    votes = []
    for i in range(5):
        votes += [Assertion(f"o{i}", "x", s, s) for s in ("a", "b", "c")]
        votes.append(Assertion(f"o{i}", "y", "liar", "liar"))
    result = reliability.truthfinder(votes, same)
    assert result.trust["liar"] < 0.5 < min(result.trust[s] for s in "abc")


def test_trust_beats_majority_when_the_majority_is_unreliable():
    """Not majority voting: sources that were wrong elsewhere count for less."""
    votes = []
    for i in range(6):  # a and b are right on six objects where c and d are wrong
        votes += [Assertion(f"o{i}", "x", s, s) for s in ("a", "b", "e")]
        votes += [Assertion(f"o{i}", "y", s, s) for s in ("c", "d")]
    votes += [Assertion("z", "p", s, s) for s in ("a", "b")] + [Assertion("z", "q", s, s) for s in ("c", "d", "f")]
    result = reliability.truthfinder(votes, same)
    assert result.truth["z"] == "p"  # three voters say q, but two of them are known to be unreliable


def test_near_duplicate_copies_vote_once():
    """Three copies of one article must not outvote two independent sources."""
    votes = [Assertion("o", "wrong", s, "copy-1") for s in ("c1", "c2", "c3")]
    votes += [Assertion("o", "right", s, s) for s in ("i1", "i2")]
    result = reliability.truthfinder(votes, same)
    assert result.truth["o"] == "right"
    naive = reliability.truthfinder([Assertion(a.obj, a.value, a.source, a.source) for a in votes], same)
    assert naive.truth["o"] == "wrong"  # without collapsing, the copies would win


def test_compatible_values_support_each_other():
    votes = [Assertion("o", ">14000", "a", "a"), Assertion("o", "14500", "b", "b"), Assertion("o", "9000", "c", "c")]
    compatible = lambda v, w: {v, w} == {">14000", "14500"}  # noqa: E731
    result = reliability.truthfinder(votes, compatible)
    assert result.confidence[("o", "9000")] < result.confidence[("o", "14500")]


def test_blend_and_quality():
    assert reliability.blend(0.8, 60) == pytest.approx(0.75)
    assert reliability.blend(None, 70) == 0.7
    assert reliability.blend(0.9, None) == 0.9
    sources = [{"name": "s", "documents": ["d1", "d2"], "reliability": 0.8, "evidence": {"trust": 0.8}}]
    [out] = reliability.with_quality(sources, {"d1": 50.0, "d2": 70.0})
    assert out["evidence"]["quality"] == 60.0 and out["reliability"] == pytest.approx(0.75)


def test_no_assertions():
    result = reliability.truthfinder([], same)
    assert result.trust == {} and result.truth == {}
