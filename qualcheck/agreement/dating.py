"""Date an undated article from its own evidence, so a title its subject held only at another time
can be refuted ("Home Secretary Jack Straw" in an article that says "in 2004").

Two kinds of evidence, each an interval the article's date lies in:

- a year named in a sentence told in the past tense with no word of plans or forecasts
  ("growth slowed in 2004"): the article was written in or after that year (taken from the
  middle of the year before, as a forecast can pass for a past event);
- a title claim the offices file confirms ("Chancellor Gordon Brown"): the article was written
  while that person held that office (1997–2007).

The estimate for one claim leaves out the claims about the same person, so a claim never dates
itself. It is made only from one such year or from two title claims about different people, only
when all the evidence meets for more than ``MIN_OVERLAP``, and only when dropping no other
person's title would let the judged claim fit instead (then either could be the wrong one). The
verdict (``offices.verdict``) then allows ``offices.SLACK`` on each side.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from qualcheck.agreement import offices as _offices

# words that put a year in the future or in a plan ("will begin in 2005", "the 2012 bid")
_NOT_PAST = re.compile(
    r"\b(?:will|would|shall|expect\w*|forecast\w*|predict\w*|plan\w*|target\w*|due|set to|aim\w*"
    r"|deadline|could|may|might|should|must|next|onwards|schedul\w*|project\w*|estimat\w*|ahead|to be"
    r"|going to|bid|hop(?:e|es|ed|ing)|want\w*|intend\w*|promis\w*|pledg\w*|goal|envisag\w*|prepar\w*"
    r"|anniversary|born|(?:is|are|am)\s+\w+ing)\b",
    re.IGNORECASE,
)
# words right before a year that make it a bound or a span, not an event ("by 2010", "since 1997")
_NOT_EVENT_BEFORE = re.compile(
    r"\b(?:by|until|till|from|before|to|through|since|end of|between|and|or|for(?: the)?|-|–)\s+"
    r"(?:(?:early|late|mid|the end of|the start of)\s+)?(?:(?:\d{1,2}\s+)?(?:january|february|march|april|may|june|july|august"
    r"|september|october|november|december)\s+(?:\d{1,2},?\s+)?)?$",
    re.IGNORECASE,
)
_PAST_VERB = re.compile(
    r"\b(?:was|were|had|did|[a-z]{3,}ed|said|told|grew|rose|fell|took|made|won|lost|came|went|saw|gave|became|began"
    r"|left|met|paid|sold|bought|led|held|spent|built|brought|thought|found|kept|ran|wrote|spoke|chose|broke"
    r"|fought|struck|sent|stood|got|knew|drove|flew|threw|shook|hit|cut)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\w$£€.,/-])((?:19|20)\d\d)(?![\w%,./-]\d|\s*(?:%|percent)|s\b|'s\b)")
MIN_OVERLAP = _dt.timedelta(days=30)  # evidence that meets only around a hand-over does not date the article
_RETROSPECTIVE = re.compile(r"\b(?:then|the then|at the time)[\s-]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """When an undated article was written, by its own evidence, and what says so."""

    start: _dt.date
    end: _dt.date | None  # None: no upper bound (a year only says "in or after")
    evidence: tuple[str, ...]

    def span(self) -> str:
        first = f"mid-{self.start.year}" if (self.start.month, self.start.day) == (7, 1) else str(self.start.year)
        if self.end is None:
            return f"{first} or later"
        return first if self.start.year == self.end.year else f"{first}–{self.end.year}"

    def describe(self) -> str:
        """'the undated article's own evidence dates it to mid-2003 or later (the year 2004 in "...")'."""
        return f"the undated article's own evidence dates it to {self.span()} ({'; '.join(self.evidence)})"


@dataclass(frozen=True)
class _Item:
    start: _dt.date
    end: _dt.date | None
    label: str
    person: str | None  # person key for title evidence; None for a year


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for m in re.finditer(r"[.!?]+[\"'”’)]*(?=\s)|\n", text):
        yield start, m.end()
        start = m.end()
    yield start, len(text)


def past_years(text: str, latest: int) -> list[tuple[int, int, int, str]]:
    """(year, sentence start, sentence end, snippet) for years named as past events, up to ``latest``."""
    out = []
    for a, b in _sentences(text):
        sentence = text[a:b]
        found = [m for m in _YEAR.finditer(sentence) if 1950 <= int(m.group(1)) <= latest]
        if not found or _NOT_PAST.search(sentence) or not _PAST_VERB.search(sentence):
            continue
        for m in found:
            if _NOT_EVENT_BEFORE.search(sentence[: m.start()]):
                continue
            snippet = " ".join(sentence[max(0, m.start() - 40) : m.end()].split())
            out.append((int(m.group(1)), a, b, snippet))
    return out


def _title_interval(claim, knowledge, before: str) -> _Item | None:
    """When the claim's person held the claimed office, if the offices file confirms it."""
    office, _ = claim.value
    if office.split()[0] in ("former", "late", "ex") or _RETROSPECTIVE.search(before):
        return None
    v = _offices.verdict(claim, knowledge, None, before)
    if v is None or not v.consistent:
        return None
    terms = _offices.held_terms(claim, knowledge, before)
    if not terms:
        return None
    start = min(t.start for t in terms)
    end = None if any(t.end is None for t in terms) else max(t.end for t in terms)
    held = terms[0].years() if len(terms) == 1 else f"{start.year}–{end.year if end else ''}"
    return _Item(start, end, "'" + " ".join(claim.text.split()) + f"' ({held})", claim.subject)


def _meet(items: Sequence[_Item]) -> tuple[_dt.date, _dt.date | None] | None:
    """Where all the intervals meet, if they share more than a hand-over (``MIN_OVERLAP``)."""
    start = max(i.start for i in items)
    ends = [i.end for i in items if i.end is not None]
    end = min(ends) if ends else None
    if end is not None and end - start < MIN_OVERLAP:
        return None
    return start, end


def _enough(items: Sequence[_Item]) -> bool:
    """One past year, or title claims about two different people."""
    return any(i.person is None for i in items) or len({i.person for i in items}) >= 2


def periods(text: str, person_claims: Sequence, knowledge) -> dict[int, Period]:
    """The estimated period of an undated article, per person + title claim (by its start offset).

    A claim gets none when its own sentence names a year (it may tell of that year, not of the
    article's), when it is retrospective ("the then Home Secretary", "former"), when the other
    evidence is too thin or does not agree, or when dropping one other title claim instead would
    make this one fit (then it is not clear which of the two is wrong).
    """
    # a year dates the article from half a year before it: forecasts written late in the year before
    # ("growth slowed", "looks set for a boost in 2005") pass the past-tense test too
    items = [_Item(_dt.date(year - 1, 7, 1), None, f'the year {year} in "{snippet}"', None) for year, _, _, snippet in past_years(text, knowledge.checked_until.year)]
    own: dict[str, _Item] = {}
    for c in person_claims:
        item = _title_interval(c, knowledge, text[max(0, c.start - 30) : c.start])
        if item is not None:
            items.append(item)
            own.setdefault(c.subject, item)
    out: dict[int, Period] = {}
    for c in person_claims:
        if _RETROSPECTIVE.search(text[max(0, c.start - 30) : c.start]) or _YEAR.search(_sentence_of(text, c.start)):
            continue
        used = [i for i in items if i.person != c.subject]
        met = _meet(used) if used and _enough(used) else None
        if met is None:
            continue
        mine = own.get(c.subject)
        if mine is not None and any(
            _meet(rest + [mine]) is not None
            for rest in ([i for i in used if i.person != p] for p in {i.person for i in used if i.person is not None})
        ):
            continue  # another person's title could as well be the wrong one
        start, end = met
        # name what sets each bound: the latest start, the earliest end
        first = max(used, key=lambda i: (i.start, i.person is None))
        last = min((i for i in used if i.end is not None), key=lambda i: i.end, default=None)
        labels = [first.label] + ([last.label] if last is not None and last.label != first.label else [])
        out[c.start] = Period(start, end, tuple(labels))
    return out


def _sentence_of(text: str, offset: int) -> str:
    for a, b in _sentences(text):
        if a <= offset < b:
            return text[a:b]
    return ""
