"""Dating an undated article from its own evidence (qualcheck/agreement/dating.py), and the verdicts it allows."""

from __future__ import annotations

import pytest

from qualcheck.agreement import claims, dating, offices
from qualcheck.document import Document


def _verdicts(text: str) -> dict[str, offices.Verdict | None]:
    """Each person + title claim of ``text`` -> its verdict, judged with the article's estimated period."""
    doc = Document(id="x.txt", raw=text)
    found = [c for c in claims.extract(doc, claims.vocabulary()) if c.kind == "person-title"]
    knowledge = offices.load()
    periods = dating.periods(doc.text, found, knowledge)
    return {c.text: offices.verdict(c, knowledge, None, doc.text[max(0, c.start - 30) : c.start], periods.get(c.start)) for c in found}


@pytest.mark.parametrize(
    "sentence,years",
    [
        ("The economy grew by 3.1% in 2004, official figures showed.", [2004]),
        ("Labour won the 2001 election with a majority of 167.", [2001]),
        ("Growth will slow markedly in 2005, the consultancy warned.", []),  # a forecast
        ("The firm plans to triple its US sales by 2007.", []),
        ("The bank agreed to extend its credit facilities until March 2006.", []),
        ("The 30-year-old, who is retiring in 2006, said he was delighted.", []),
        ("It was very important for shaping a team for the 2007 World Cup.", []),
        ("Quangos have been set up since 1997, the report found.", []),
    ],
)
def test_years_named_as_past_events(sentence, years):
    assert [y for y, *_ in dating.past_years(sentence, 2025)] == years


def test_one_past_year_dates_the_article():
    v = _verdicts("Home Secretary Jack Straw praised the deal. Britain's economy grew by 3.1% in 2004, official figures showed.")
    straw = v["Home Secretary Jack Straw"]
    assert straw is not None and not straw.consistent
    assert "2004" in straw.reason and "1997–2001" in straw.reason and straw.suggestion == "Foreign Minister"


def test_two_confirmed_titles_of_other_people_date_the_article():
    v = _verdicts("Home Secretary Jack Straw praised the move. Health Secretary Patricia Hewitt and Defence Secretary"
                  " John Reid also welcomed it.")
    straw = v["Home Secretary Jack Straw"]
    assert not straw.consistent  # Hewitt (2005-07) and Reid at Defence (2005-06): after Straw's term
    assert "Patricia Hewitt" in straw.reason and "2005" in straw.reason
    assert v["Health Secretary Patricia Hewitt"].consistent and v["Defence Secretary John Reid"].consistent


@pytest.mark.parametrize(
    "text",
    [
        # one other title claim is not enough
        "Home Secretary Jack Straw praised the move. Chancellor Gordon Brown welcomed it.",
        # the other claim that could date it agrees with this one as well as with the third
        "Home Secretary Jack Straw praised the move. Chancellor Gordon Brown and Health Secretary John Reid agreed.",
        # retrospective forms
        "Former Home Secretary Jack Straw criticised the plan. The economy grew by 3.1% in 2004, figures showed.",
        "The inquiry was set up by the then Home Secretary Jack Straw. The economy grew by 3.1% in 2004, figures showed.",
        "The inquiry was set up by then-Home Secretary Jack Straw. The economy grew by 3.1% in 2004, figures showed.",
        "In 1999 Home Secretary Jack Straw ordered an inquiry. The economy grew by 3.1% in 2004, figures showed.",
        "Jack Straw, who was Home Secretary in 1999, ordered an inquiry. The economy grew by 3.1% in 2004, figures showed.",
    ],
)
def test_no_refutation_without_firm_evidence_or_for_a_past_title(text):
    v = _verdicts(text)
    assert all(x is None or x.consistent for x in v.values()), v


def test_when_either_of_two_claims_could_be_wrong_neither_is_refuted_by_the_other():
    # Blunkett (2001-04) and Straw as Home Secretary (1997-2001) meet only at the hand-over, Reid (2003-05)
    # fits Blunkett: Straw is the odd one out, and Reid is not refuted by a date Straw's claim would give
    v = _verdicts("Home Secretary Jack Straw spoke first. Home Secretary David Blunkett and Health Secretary John Reid agreed.")
    assert not v["Home Secretary Jack Straw"].consistent
    assert v["Home Secretary David Blunkett"].consistent and v["Health Secretary John Reid"].consistent
