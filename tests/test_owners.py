"""Owners of figures on real text: figures of different things or periods are not compared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qualcheck.agreement import alignment, claims, owners
from qualcheck.backends import fuzzy
from qualcheck.document import Document


def _owners(text: str) -> list[owners.Owner]:
    doc = Document(id="t.txt", raw=text)
    return [c.extra.get("owner") for c in claims.extract(doc) if c.kind in ("percent", "money", "number")]


def test_each_index_owns_its_own_move():
    a, b, c = _owners("France's CAC-40 rose 1.5 percent, Britain's FTSE 100 gained 0.3 percent and Germany's DAX index advanced 1.2 percent.")
    assert a.names == {"cac-40"} and b.names == {"ftse 100"} and c.names == {"dax"}
    assert not owners.compatible(a, b)


def test_a_restated_figure_keeps_the_owner_and_aliases_meet():
    dow = _owners("The Dow Jones industrial average .DJI ended up 64.64 points, or 0.71 percent, at 9,191.09.")
    assert [o.names for o in dow] == [{"dow"}, {"dow"}]
    [blue] = _owners("The blue-chip Dow fell 0.9 percent.")
    assert owners.compatible(dow[1], blue)


@pytest.mark.parametrize(
    "one,other,same",
    [
        ("U.S. same-store sales at Tim Hortons rose 8.8 per cent.", "Tim Hortons' same-store sales in Canada rose by 6.7 per cent.", False),
        ("October gasoline prices settled 1.47 cents lower.", "October heating oil ended down 0.41 cent.", False),
        ("The Nasdaq fell 0.9 percent for the week.", "The Nasdaq Composite index rose 1.1 percent.", True),
        ("The Nasdaq fell 0.9 percent for the week.", "The Nasdaq fell 1.3 percent for the month.", False),
        ("The company also earned 14 cents a share a year earlier.", "The company earned 12 cents a share.", False),
        ("Hewlett-Packard shares rose 62 cents.", "H-P shares rose 55 cents.", True),
        ("Operating revenue fell 4.5 percent.", "Cisco's revenue fell 1 percent.", True),  # "Operating" is no name
    ],
)
def test_owner_compatibility(one, other, same):
    assert owners.compatible(_owners(one)[0], _owners(other)[0]) is same


def _contradicted(s1: str, s2: str) -> bool:
    docs = [Document(id="a", raw=s1, fields={"event": "e", "source": "a"}), Document(id="b", raw=s2, fields={"event": "e", "source": "b"})]
    return any(g.status == "contradicted" for g in alignment.analyse(docs, fuzzy).groups)


def test_alignment_compares_figures_of_one_owner_only():
    assert not _contradicted(
        "Swedish telecom equipment maker Ericsson scrambled up $2.19, or almost 12 percent, to $20.59.",
        "Telecom equipment maker Lucent Technologies Inc. rallied 43 cents, or 12.3 percent, to $3.95.",
    )
    assert _contradicted("Nvidia shares lost 58 cents to $16.20 on the Nasdaq.", "Nvidia's stock fell 65 cents to $16.13 on Nasdaq.")


def test_whole_numbers_with_trailing_zeros_are_rounded_but_prices_are_not():
    [rounded] = [c.value for c in claims.extract(Document(id="a", raw="The fund raised $42,400 in the drive.")) if c.kind == "money"]
    [exact] = [c.value for c in claims.extract(Document(id="b", raw="The fund raised $42,409 in the drive.")) if c.kind == "money"]
    assert rounded.agrees(exact)
    [p1] = [c.value for c in claims.extract(Document(id="c", raw="Its shares rose to $38.30 yesterday.")) if c.kind == "money"]
    [p2] = [c.value for c in claims.extract(Document(id="d", raw="Its shares rose to $38.28 yesterday.")) if c.kind == "money"]
    assert not p1.agrees(p2)


def _periods_scanning_every_phrase(text, vocab):
    """owners._periods before its pre-check: every period phrase's pattern run on the text."""
    found, taken = set(), [False] * len(text)
    for pattern, cat, value, _phrase in vocab.periods:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.add((cat, value))
    for m in owners._YEAR.finditer(text):
        found.add(("year", m.group(1) or m.group(2)))
    for m in owners._MONTH.finditer(text):
        found.add(("month", m.group(1).lower()))
    return found


def test_period_pre_check_finds_what_scanning_every_phrase_finds():
    vocab = owners.vocabulary()
    texts = [phrase for *_, phrase in vocab.periods] + ["A YEAR EARLIER, the Fourth QUARTER", "la\u017ft year", "F\u0130rst half"]
    root = Path(__file__).resolve().parents[1]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "seeds").glob("*.txt"))]
    texts += [t.upper() for t in texts] + [t.title() for t in texts]
    for text in texts:
        assert owners._periods(text, vocab) == _periods_scanning_every_phrase(text, vocab), text[:60]


def test_every_code_point_re_matches_case_blind_to_an_ascii_character_folds_alike():
    """The pre-check compares prefilter.fold'ed text with ASCII phrases; re's case-blind matching
    must pair no ASCII character with a code point that folds otherwise."""
    import sys

    from qualcheck import prefilter

    chars = {chr(i) for i in range(128)}  # the pre-check uses ASCII phrases only
    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    bad = [(c, m) for c in sorted(chars) for m in re.findall(re.escape(c), every, re.I) if prefilter.fold(m) != prefilter.fold(c)]
    assert not bad


def test_a_week_earlier_is_a_period_of_its_own():
    """'having shed 2.3 percent last week' is not the day's move: it does not corroborate another
    source's day figure of the same value."""
    text = "On Monday, the Dow declined 5.25, or 0.1 percent, at 8,983.80, having shed 2.3 percent last week."
    day, week = _owners(text)
    [other] = _owners("The Dow Jones industrial average fell 2.3 percent on Monday.")
    assert owners.compatible(day, other) and not owners.compatible(week, other)
    docs = [Document(id="a", raw=text, fields={"event": "e", "source": "a"}),
            Document(id="b", raw="On Monday, the Dow declined 2.3 percent to 8,983.80.", fields={"event": "e", "source": "b"})]
    groups = alignment.analyse(docs, fuzzy).groups
    assert not any(g.status == "corroborated" and g.kind == "percent" for g in groups)


def test_a_figure_of_another_company_neither_corroborates_nor_joins():
    """Two stocks in one sentence: Brambles' '1.9 percent' does not vouch for the other source's
    '2 percent' of News Corp, which conflicts with this source's '1.3 percent'."""
    assert _contradicted(
        "Preventing stronger gains, News Corp <NCP.AX> fell 1.3 percent to A$12.43 and Brambles <BIL.AX> dropped 1.9 percent to A$4.75 after a weak performance overnight.",
        "Holding the market back, News Corp <NCP.AX> fell two percent to A$12.34 after a weak performance overnight.",
    )


def test_bare_instrument_codes_name_nothing():
    [level, base] = _owners("Likewise, the 30-year bond US30YT=RR slid 23/32 for a yield of 4.34 percent, up from 4.30 percent.")
    assert not level.names and not base.names
    [other] = _owners("The yield on the 30-year Treasury bond rose to 4.34 percent.")
    assert owners.compatible(level, other)


CAIRN = "Shares in Cairn Energy rose 3.8% to 1,088 pence on Tuesday after the UK firm announced a fresh gas discovery in northern India."


def test_a_change_with_its_level_states_where_it_started():
    """'rose 3.8% to 1,088 pence' started from about 1,048 pence: another source's 'rose 2.1% to 1,105
    pence' started from about 1,082, a reading of another session, and is not compared; one that
    started from the same level is ('rose 4.5% to 1,095 pence')."""
    other_session = "Shares in Cairn Energy rose 2.1% to 1,105 pence on Tuesday after the UK firm announced a gas discovery in India."
    same_session = "Shares in Cairn Energy rose 4.5% to 1,095 pence on Tuesday after the UK firm announced a gas discovery in India."
    assert not _contradicted(CAIRN, other_session)
    assert _contradicted(CAIRN, same_session)


def test_a_start_written_out_is_the_base():
    """'jumped 76% to $1.13bn ..., from $639m': a figure that starts from another level ('from
    $1.13bn') is another period's change; one from the same $639m is the same change."""
    time_warner = "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months to December, from $639m year-earlier."
    assert _contradicted(time_warner, "Quarterly profits at TimeWarner rose 70% to $1.09bn in the three months to December, from $639m a year earlier.")
    assert not _contradicted(time_warner, "Quarterly profits at TimeWarner rose 24% to $1.4bn in the three months to December, from $1.13bn.")


def test_a_reading_taken_during_the_day_is_not_compared_with_one_that_names_no_time():
    """'in early trading' is one moment of a moving price; a source that names no time may give
    another. A close is a fixed reading and is still compared."""
    same_session = "Shares in Cairn Energy rose 4.5% to 1,095 pence on Tuesday after the UK firm announced a gas discovery in India."
    early = CAIRN.replace(" on Tuesday", " in early trading on Tuesday")
    closed = CAIRN.replace("rose 3.8% to", "closed up 3.8% at")
    assert not _contradicted(early, same_session)
    assert _contradicted(closed, same_session)


def test_levels_reached_from_one_stated_start_are_one_move():
    """'to 4.22 percent from 4.18 percent' / 'climbed to 4.25 percent from 4.18 percent': the shared
    start says both report one move, however differently the sentences are worded."""
    assert _contradicted(
        "Ten-year Treasury note prices slipped 12/32, sending the yield to 4.22 percent from 4.18 percent.",
        "The benchmark 10-year note's yield climbed to 4.25 percent from 4.18 percent late on Tuesday, as stocks rallied.",
    )


def test_a_period_closing_a_coordination_holds_for_each_figure_in_it():
    """'$950,000 in salary and $3.2 million in bonuses in the prior fiscal year': the salary is the
    prior year's too, and not compared with a salary 'in fiscal 2003'."""
    prior = "Chief executive Michael Dell received $950,000 in salary and $3.2 million in bonuses in the prior fiscal year."
    salary, _ = _owners(prior)
    assert ("prior", "earlier") in salary.periods
    assert not _contradicted(prior, "Michael Dell received $1.1 million in salary in fiscal 2003.")
    # each figure keeps a period of its own
    march, april = _owners("Sales rose 5% in March and 3% in April.")
    assert ("month", "march") in march.periods and ("month", "april") not in march.periods
