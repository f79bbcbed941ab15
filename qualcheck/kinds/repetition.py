"""repetition: doubled words ("go in in war") and looping n-grams ("Siya, Siya, Siya, Siya").

``repeats()`` is the reusable core (grammar rules use it too); the ``repetition`` kind wraps it.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Iterator, NamedTuple

from qualcheck import saferegex
from qualcheck.kinds import kind
from qualcheck.model import Finding, Span

_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


class Repeat(NamedTuple):
    """A run of one unit (one or more words) said ``count`` times in a row."""

    start: int
    end: int
    unit: str
    count: int


def repeats(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    max_n: int = 1,
    min_repeats: int = 2,
    separator: str = r"\s+",
    allow: frozenset[str] = frozenset(),
    capitalised_min_repeats: int = 0,
) -> Iterator[Repeat]:
    """Yield maximal runs where the same 1..max_n words repeat at least ``min_repeats`` times.

    Words compare case-insensitively; only ``separator`` may stand between repeats, so
    "the. The" is not a doubled word. Units in ``allow`` (lower case, e.g. "had") and pure
    numbers are never reported. A unit repeated with a capital ("Duran Duran", "Spend Spend
    Spend") is a name or a title more often than a slip: it needs ``capitalised_min_repeats``
    repeats when that is set.
    """
    end = len(text) if end is None else end
    if min_repeats > 1:
        # a unit of n words said r times has a word equal to the word n later, and that one to the
        # word n later again (r - 1 equal pairs n apart in a row): most paragraphs have none, and
        # this is told in C (the token strings, the list compared with itself shifted, and the
        # comparisons with themselves shifted)
        said = list(map(str.lower, _TOKEN.findall(text, start, end)))
        for n in range(1, max_n + 1):
            same = list(map(operator.eq, said, said[n:]))  # same[i]: word i is word i + n
            chained = same
            for k in range(1, min_repeats - 1):
                chained = list(map(operator.and_, chained, same[k * n :]))
            if any(chained):
                break
        else:
            return
    yield from _runs(text, start, end, max_n, min_repeats, separator, allow, capitalised_min_repeats)


def _runs(text: str, start: int, end: int, max_n: int, min_repeats: int, separator: str, allow: frozenset[str],
          capitalised_min_repeats: int) -> Iterator[Repeat]:
    """``repeats()`` without its pre-check: every token compared."""
    toks = [(m.start(), m.end(), m.group(0).lower()) for m in _TOKEN.finditer(text, start, end)]
    words = [t[2] for t in toks]
    sep = saferegex.cached(rf"(?:{separator})\Z")
    gaps: list[bool | None] = [None] * max(0, len(toks) - 1)

    def joined(k: int, upto: int) -> bool:
        """True when tokens k..upto are separated only by the separator (gaps measured once, when asked)."""
        for g in range(k, upto):
            if gaps[g] is None:
                gaps[g] = bool(sep.match(text[toks[g][1] : toks[g + 1][0]]))
            if not gaps[g]:
                return False
        return True

    total = len(toks)
    i = 0
    while i < total:
        best: Repeat | None = None
        for n in range(1, max_n + 1):
            if i + 2 * n > total:
                break
            if min_repeats > 1 and words[i] != words[i + n]:
                continue  # said once: never a repeat
            unit = words[i : i + n]
            count, j = 1, i + n
            while j + n <= total and words[j : j + n] == unit and joined(j - 1, j + n - 1):
                count, j = count + 1, j + n
            # words inside one unit must be joined too ("in war, in war" may keep its comma)
            needed = min_repeats
            if capitalised_min_repeats and text[toks[i + n][0]].isupper():
                needed = max(min_repeats, capitalised_min_repeats)
            if count >= needed and joined(i, i + n - 1):
                phrase = " ".join(unit)
                if phrase not in allow and not phrase.replace(" ", "").isdigit():
                    best = Repeat(toks[i][0], toks[j - 1][1], phrase, count)
                    break
        if best:
            yield best
            while i < total and toks[i][0] < best.end:
                i += 1
        else:
            i += 1


@dataclass(frozen=True, slots=True)
class RepetitionParams:
    """``max_n`` words per unit, at least ``min_repeats`` in a row, separated by ``separator``."""

    max_n: int = 1
    min_repeats: int = 2
    separator: str = r"\s+"
    allow: tuple[str, ...] = ()
    capitalised_min_repeats: int = 0  # repeats needed when the repeated unit is capitalised (0: min_repeats)
    weight: float = 1.0  # contribution to the sentence garble score (translation rules only)

    def __post_init__(self) -> None:
        if self.max_n < 1 or self.min_repeats < 2:
            raise ValueError("max-n must be at least 1 and min-repeats at least 2")
        saferegex.cached(self.separator)


@kind("repetition", params=RepetitionParams, prepare=lambda p: frozenset(a.lower() for a in p.allow))
def repetition(doc, rule, ctx) -> Iterator[Finding]:
    """Flag words or phrases repeated back to back inside a paragraph."""
    p = rule.params
    for para in doc.paragraphs:
        for rep in repeats(
            doc.text, para.start, para.end, max_n=p.max_n, min_repeats=p.min_repeats, separator=p.separator, allow=rule.prepared,
            capitalised_min_repeats=p.capitalised_min_repeats,
        ):
            span = Span(rep.start, rep.end)
            yield rule.finding(doc, span, unit=rep.unit, count=rep.count, suggestions=(rep.unit,))
