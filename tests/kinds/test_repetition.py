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
