"""repeats() and the repetition kind on real text."""

from __future__ import annotations

import pytest

from qualcheck import engine, ruleset
from qualcheck.document import Document
from qualcheck.kinds.repetition import repeats


@pytest.mark.parametrize(
    "text,kwargs,expected",
    [
        ("We have to go in in war with the alliance?", {}, [("in in", "in", 2)]),
        ("The the talks ended.", {}, [("The the", "the", 2)]),
        ("Great 🌅 news, the the talks", {}, [("the the", "the", 2)]),
        ("He had had enough.", {"allow": frozenset({"had"})}, []),
        ("The the-ory is sound.", {}, []),
        ("It ended. In in the end", {}, [("In in", "in", 2)]),
        ("the talks. The talks", {}, []),  # a full stop between: not a doubled word
        ("in 10 10 minutes", {}, []),
        ("", {}, []),
        ("Thio Khanda Siya, Siya, Siya, Siya, Siya.", {"max_n": 4, "min_repeats": 3, "separator": r"[\s,]+"}, [("Siya, Siya, Siya, Siya, Siya", "siya", 5)]),
        (
            "in the city, in the city, in the city ruled",
            {"max_n": 4, "min_repeats": 3, "separator": r"[\s,]+"},
            [("in the city, in the city, in the city", "in the city", 3)],
        ),
        ("no, no and no", {"max_n": 4, "min_repeats": 3, "separator": r"[\s,]+"}, []),
    ],
)
def test_repeats(text, kwargs, expected):
    found = [(text[r.start : r.end], r.unit, r.count) for r in repeats(text, **kwargs)]
    assert found == expected


def test_repeats_respects_bounds():
    text = "the the talks and the the rest"
    assert [r.start for r in repeats(text, 10)] == [18]


def test_doubled_word_rule_span_and_suggestion_with_crlf_and_emoji():
    rule = ruleset.load().by_code("MT103")
    doc = Document(id="a.txt", raw="Talks 🌅 ended.\n\nWe have to go in in war.")
    (f,) = engine.check([doc], [rule]).findings
    assert doc.raw[f.start : f.end] == f.excerpt == "in in"
    assert f.suggestions == ("in",) and (f.line, f.column) == (3, 15)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from qualcheck.kinds import repetition as _repetition  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["in", "In", "the", "city", "Siya", "10", "had", "war", ",", ".", " ", "  ", "-", "ory", "İn", "\n"]), max_size=40),
    st.sampled_from([(1, 2, 0), (1, 2, 9), (6, 3, 4), (4, 3, 0), (2, 2, 0)]),
)
def test_the_pre_check_never_hides_a_repeat(parts, shape):
    """repeats() first asks whether any word equals the word n later (n up to max_n), and stops when
    none does: the same runs as comparing every token (``_runs``)."""
    text = " ".join(parts)
    max_n, min_repeats, capitalised = shape
    for sep in (r"\s+", r"[\s,]+"):
        got = list(repeats(text, 2, None, max_n=max_n, min_repeats=min_repeats, separator=sep, capitalised_min_repeats=capitalised))
        want = list(_repetition._runs(text, 2, len(text), max_n, min_repeats, sep, frozenset(), capitalised))
        assert got == want
