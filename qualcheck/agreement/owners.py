"""What a figure belongs to: the named thing it measures and the period it covers.

"The Dow fell 0.9 percent for the week" and "the S&P 500 rose 1.1 percent" are figures of different
things, as are "Mizuho's shares" and "Mitsubishi's", "U.S. sales" and "sales in Canada", a
quarter's earnings and "a year earlier"'s. Two sources giving such figures do not contradict each
other, so the alignment compares two figures only when their owners are compatible: the same named
thing or one left unnamed, the same place or one unstated, and no different stated periods. The
owner is read from the figure's own stretch of the sentence (after the figure before it, up to a
clause break) with a regex over capitalised words; the vocabularies are data in
``rules/agreement/data/owners.yaml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

from qualcheck import prefilter
from qualcheck.bundled import bundled_rules_dir
from qualcheck.errors import RuleFileError


@dataclass(frozen=True, slots=True)
class Owner:
    """The named things, places (as nationalities) and periods a figure's stretch of text states."""

    names: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    things: frozenset[str] = frozenset()
    periods: frozenset[tuple[str, str]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.names or self.places or self.things or self.periods)

    def __str__(self) -> str:
        parts = sorted(self.names) + sorted(self.places) + [f"~{t}" for t in sorted(self.things)] + [f"{k}={v}" for k, v in sorted(self.periods)]
        return ", ".join(parts)


@dataclass(frozen=True, eq=False)
class OwnerVocabulary:
    aliases: Mapping[str, str]  # folded form -> key
    places: Mapping[str, str]  # regions beyond the claim vocabulary's places -> adjective
    not_names: frozenset[str]
    things: re.Pattern[str]  # common nouns that tell figures apart
    suffixes: frozenset[str]
    # (phrase, category, value, the phrase as prefilter.fold folds it), longest first
    periods: tuple[tuple[re.Pattern[str], str, str, str], ...]


def require_words(items, path, key: str) -> None:
    """Refuse a word list of the agreement data (owners.yaml, quotes.yaml) holding something that is no
    word: YAML reads a bare no, yes, on or off as a boolean, which would silently never match."""
    for w in items:
        if not isinstance(w, str):
            raise RuleFileError(str(path), key, f"{w!r} is not a word; quote it (\"no\", \"on\")")


@functools.lru_cache(maxsize=4)
def vocabulary(folder: str | None = None) -> OwnerVocabulary:
    """Load ``owners.yaml`` from ``folder`` (default: the bundled ``rules/agreement/data``)."""
    path = (Path(folder) if folder else bundled_rules_dir() / "agreement" / "data") / "owners.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: must be a YAML mapping")
    require_words(data.get("not-names", []), path, "not-names")
    aliases = {str(form).lower(): key for key, forms in data.get("aliases", {}).items() for form in forms}
    phrases = [
        (str(p).lower(), cat, str(value))
        for cat, table in data.get("periods", {}).items()
        for value, forms in table.items()
        for p in forms
    ]
    phrases.sort(key=lambda x: len(x[0]), reverse=True)
    periods = tuple(
        # the pre-check's phrase: ASCII only ("" for another: always scanned), as prefilter reads patterns
        (re.compile(rf"(?<![\w-]){re.escape(p)}(?![\w-])", re.I), cat, value, prefilter.fold(p) if p.isascii() else "")
        for p, cat, value in phrases
    )
    return OwnerVocabulary(
        aliases=aliases,
        places={str(form): adj for adj, forms in data.get("places", {}).items() for form in forms},
        not_names=frozenset(str(w).lower() for w in data.get("not-names", [])),
        things=re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(str(t)) for t in sorted(data.get("things", []), key=len, reverse=True)) + r")(?![\w-])",
            re.I,
        ),
        suffixes=frozenset(str(w).lower() for w in data.get("suffixes", [])),
        periods=periods,
    )


# a stretch of the sentence ends at a clause break: what follows is about something else
_BREAK = re.compile(r";|\s[-–—]\s|\b(?:while|whereas|but|compared\s+(?:with|to)|versus)\b", re.I)
# between two figures, "and" starts another clause ("... of Iraq and $1.2 billion for Afghanistan")
_BREAK_BETWEEN = re.compile(_BREAK.pattern + r"|\band\b", re.I)
# a figure that only restates the one before it ("rose 3.28, or 0.7 percent, to 494.20")
_RESTATE = re.compile(r"[\s,]*(?:(?:or|to|at|from|about|and)\b[\s,]*)*", re.I)
# after the figure, the stretch that still speaks of it ("fell 0.9 percent for the week")
_AFTER_END = re.compile(r"(?<!\d)(?!(?:19|20)\d\d\b)\d|[;:!?]|\.(?:\s|$)|\b(?:while|whereas|but|from|than|compared|versus|against|and|after|before|since)\b", re.I)
# bracketed asides, and instrument codes written bare ("US10YT=RR", "CHF="): a code restates the thing
_BRACKETS = re.compile(r"\([^()]*\)|<[^<>]*>|(?<!\S)[\w.]*=[\w.]*(?!\S)")
_TOKEN = re.compile(r"[A-Za-z0-9][\w&'’.\-]*|&")
_YEAR = re.compile(r"\b(?:in|during|for|of|fiscal|by|through)\s+(?:the\s+)?(?:fiscal\s+)?((?:19|20)\d\d)\b|\b((?:19|20)\d\d)['’]s\b", re.I)
_MONTH = re.compile(
    r"\b(?:in|during|for|of)\s+(january|february|march|april|may|june|july|august|september|october|november|december)\b", re.I
)


def _blank(text: str) -> str:
    """Bracketed asides ("(nasdaq: QCOM - news - people)", "<.SPX>") and bare instrument codes
    ("US30YT=RR") blanked: tickers restate a name."""
    return _BRACKETS.sub(lambda m: " " * len(m.group(0)), text)


def _names(stretch: str, at_sentence_start: bool, places: Mapping[str, str], vocab: OwnerVocabulary) -> tuple[set[str], set[str]]:
    """Named things and places in a stretch of text: runs of capitalised words ("Tim Hortons",
    "Standard & Poor's 500", "FTSE 100"), without sentence openers and words that name no owner."""
    runs: list[list[str]] = []
    run: list[str] = []
    first = True
    last_end = -1
    for m in _TOKEN.finditer(stretch):
        tok = m.group(0)
        if not re.fullmatch(r"(?:[A-Z]\.)+", tok):  # "U.S." keeps its dots; "Inc." and a full stop do not
            tok = tok.rstrip(".")
        gap = stretch[last_end : m.start()] if last_end >= 0 else ""
        joined = last_end >= 0 and gap.strip() == ""
        last_end = m.end()
        opener = first and at_sentence_start
        first = False
        if tok.lower().endswith("-based"):  # "Tampa-based Outback": where it sits, not what it is
            tok = ""
        capital = bool(tok) and (tok[0].isupper() or tok == "&" or (run and tok[0].isdigit()))
        possessor = capital and re.search(r"['’]s?$", tok) and not (joined and run and run[-1] == "&")  # "Standard & Poor's"
        if possessor:  # "France's CAC-40", "Dell's president": the possessor is a name of its own
            tok = re.sub(r"['’]s?$", "", tok)
        if capital and joined and run:
            run.append(tok)
        elif capital:
            if run:
                runs.append(run)
            # a sentence's first word is a name only when it looks like one ("PG&E", "IBM",
            # "Altria shares", "Microsoft's"), else its capital says nothing ("Operating revenue")
            named = re.search(r"['’]s$", m.group(0)) or re.search(r".[A-Z&\d]", tok) or re.match(r"\s+(?:shares|stock)\b", stretch[m.end() :])
            run = [tok] if not opener or named else ["^" + tok]
        else:
            if run:
                runs.append(run)
            run = []
        if possessor and run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    names: set[str] = set()
    found_places: set[str] = set()
    for words in runs:
        opener = words[0].startswith("^")
        words = [w.lstrip("^") for w in words]
        while words and words[0] == "&":
            words.pop(0)
        if not words:
            continue
        surface = " ".join(words)
        place = places.get(surface) or places.get(surface + ".") or places.get(surface.rstrip("."))
        if place:
            found_places.add(place)
            continue
        key = surface.lower()
        if key in vocab.not_names:
            continue
        if key in vocab.aliases:
            names.add(vocab.aliases[key])
            continue
        kept = [w for w in words if w.lower() not in vocab.not_names]
        while kept and kept[-1].lower() in vocab.suffixes:
            kept.pop()
        if not kept:
            continue
        key = " ".join(kept).lower()
        if key in vocab.aliases:
            names.add(vocab.aliases[key])
        elif " ".join(kept) in places:
            found_places.add(places[" ".join(kept)])
        elif opener and len(kept) == 1 and kept[0] == words[0]:
            continue  # "Operating revenue", "Analysts have": a capital the sentence gave it
        elif not kept[0][0].isdigit():
            names.add(key)
    return names, found_places


def _periods(text: str, vocab: OwnerVocabulary) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    taken = [False] * len(text)
    folded = prefilter.fold(text)
    for pattern, cat, value, phrase in vocab.periods:
        if phrase not in folded:
            continue  # a phrase the text does not contain, in any case: its pattern cannot match (100 phrases, a few found)
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue  # "a year earlier" is a prior period, not "a year"
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.add((cat, value))
    for m in _YEAR.finditer(text):
        found.add(("year", m.group(1) or m.group(2)))
    for m in _MONTH.finditer(text):
        found.add(("month", m.group(1).lower()))
    return found


def breaks(text: str, coordination: bool) -> re.Match[str] | None:
    """The first clause break in ``text`` ("while", ";", "compared with"; with ``coordination``
    also "and", which starts another figure's clause)."""
    return (_BREAK_BETWEEN if coordination else _BREAK).search(text)


def periods_in(text: str, vocab: OwnerVocabulary | None = None) -> set[tuple[str, str]]:
    """The periods a stretch of text states ("in the prior fiscal year", "for the week", "in 2003")."""
    return _periods(text, vocab or vocabulary())


def owner_of(
    text: str,
    sentence: tuple[int, int],
    span: tuple[int, int],
    previous: tuple[int, "Owner"] | None,
    places: Mapping[str, str],
    vocab: OwnerVocabulary | None = None,
) -> Owner:
    """The owner of the figure at ``span``: names and periods in its stretch of the sentence.

    Args:
        sentence: the sentence's (start, end).
        previous: (end, owner) of the figure before it in the same sentence, if any: its stretch
            starts after that figure, and a stretch that names nothing ("..., or 0.7 percent")
            restates the previous figure's owner.
        places: place and nationality forms -> nationality (from the claim vocabulary).
    """
    vocab = vocab or vocabulary()
    places = {**vocab.places, **places}
    s_start, s_end = sentence
    start, end = span
    left_from = max(s_start, previous[0]) if previous else s_start
    left = _blank(text[left_from:start])
    breaks = list((_BREAK_BETWEEN if previous else _BREAK).finditer(left))
    cut = breaks[-1].end() if breaks else 0
    if breaks and re.match(r"compared|versus", breaks[-1].group(0), re.I):
        comma = left.find(",", cut)  # "Compared with the same quarter last year, Cisco earned": the base, not the figure's period
        cut = comma + 1 if comma != -1 else cut
    left = left[cut:]
    at_start = left_from + cut == s_start
    right = _blank(text[end:s_end])
    stop = _AFTER_END.search(right)
    right = right[: stop.start()] if stop else right
    names, found_places = _names(left, at_start, places, vocab)
    # "$1.2 billion for Afghanistan", "83 percent of women": a name right after the figure
    after = re.match(r"\s*(?:for|of|at|in)\s+(?:the\s+)?((?:[A-Z][\w&'’.-]*\s*)+)", right)
    if after:
        more, more_places = _names(after.group(1), False, places, vocab)
        names |= more
        found_places |= more_places
    periods = _periods(left, vocab) | _periods(right, vocab)
    things = {m.group(0).lower() for m in vocab.things.finditer(left)}
    of_what = re.match(r"\s*(?:of|for|in)\s+(?:the\s+)?([\w-]+(?:\s+[\w-]+)?)", right)
    if of_what:
        things |= {m.group(0).lower() for m in vocab.things.finditer(of_what.group(1))}
    if previous and not breaks:  # the same clause goes on: what it named still holds
        if not names and not found_places:
            names, found_places = set(previous[1].names), set(previous[1].places)
        if not things:
            things = set(previous[1].things)
        if not periods and _RESTATE.fullmatch(left):
            periods = set(previous[1].periods)
    if not periods:
        # an opening adverbial governs the whole sentence: "Last year, the board raised rents by 2
        # percent on one-year renewals, 4 percent on two-year leases"
        opening = re.match(r"[^,;\d]{3,60},", text[s_start:start])
        if opening and not re.match(r"\s*(?:compared|versus)", opening.group(0), re.I):
            periods = _periods(opening.group(0), vocab)
    return Owner(frozenset(names), frozenset(found_places), frozenset(things), frozenset(periods))


_NONE = Owner()


def _initials(key: str) -> str:
    parts = [p for p in re.split(r"[\s&-]+", key) if p]
    return "".join(p[0] for p in parts) if len(parts) > 1 else re.sub(r"[^a-z]", "", key)


def _same_name(a: str, b: str) -> bool:
    if a == b:
        return True
    wa, wb = set(re.split(r"[\s]+", a)), set(re.split(r"[\s]+", b))
    if wa & wb:
        return True  # "Kevin Rollins" ~ "Rollins", "Nasdaq" ~ "Nasdaq Composite"
    ia, ib = _initials(a), _initials(b)
    return len(ia) > 1 and ia == ib  # "Hewlett-Packard" ~ "H-P"


def compatible(a: Owner | None, b: Owner | None) -> bool:
    """Whether two figures can be of one thing: no different named owners, places or stated periods."""
    a, b = a or _NONE, b or _NONE
    if a.names and b.names and not any(_same_name(x, y) for x in a.names for y in b.names):
        return False
    if a.places and b.places and not a.places & b.places:
        return False
    if a.things and b.things and not a.things & b.things:
        return False  # "gasoline" / "heating oil", "women" / "men"
    pa: dict[str, set[str]] = {}
    pb: dict[str, set[str]] = {}
    for cat, value in a.periods:
        pa.setdefault(cat, set()).add(value)
    for cat, value in b.periods:
        pb.setdefault(cat, set()).add(value)
    if ("prior" in pa) != ("prior" in pb):
        return False  # "a year earlier" against the current period
    return all(pa[cat] & pb[cat] for cat in pa.keys() & pb.keys())
