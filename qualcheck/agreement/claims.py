"""Extract comparable claims from a document: numbers with what they count, money, percentages,
dates and years, durations and distances, person + title, and direct quotes with their speaker.

A claim carries an exact, comparable ``value`` (an interval, a title, a date) and a ``context``
(the content words around it) used only to align claims across sources: similar context pairs
claims up, equal values decide agreement. Vocabularies editors tune live in
``rules/agreement/data/*.yaml``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

from qualcheck.agreement import offices as _offices
from qualcheck.agreement import owners as _owners
from qualcheck.bundled import bundled_rules_dir
from qualcheck.errors import RuleFileError
from qualcheck.metadata import MONTH_NUMBERS, WEEKDAYS

# ----------------------------------------------------------------------------------------------
# vocabulary


@dataclass(frozen=True)
class Money:
    """How figures of money are written (units.yaml's ``currencies``)."""

    signs: Mapping[str, str]  # sign before a figure -> ISO code ("$" -> USD, "Rs" -> INR)
    words: Mapping[str, tuple[str, float]]  # lower-cased word after a figure -> (code, share of the unit)
    codes: Mapping[str, str]  # code written before or after a figure, in capitals -> ISO code ("RMB" -> CNY)

    def of(self, sign: str, word: str) -> tuple[str, float]:
        """(code, factor) of a figure written with ``sign`` before and/or ``word`` after it."""
        if word in self.codes:
            return self.codes[word], 1.0
        code, factor = self.words.get(word.lower(), ("USD", 1.0)) if word else ("USD", 1.0)
        return (self._sign(sign) if sign else code), factor

    def _sign(self, sign: str) -> str:
        sign = sign.strip()
        return self.codes.get(sign) or self.signs.get(sign) or self.signs.get(sign.lower(), "USD")


@dataclass(frozen=True, eq=False)  # hashed by identity: cached per loaded vocabulary
class Vocabulary:
    """Titles, nationalities, units, qualifiers and counted subjects, read from YAML data files."""

    offices: Mapping[str, str]  # lower-cased surface title -> office
    not_current: frozenset[str]
    nationalities: Mapping[str, str]  # surface -> nationality
    places: Mapping[str, str]  # place -> nationality
    units: Mapping[str, tuple[str, str, float]]  # surface -> (dimension, base unit, factor)
    qualifiers: Mapping[str, tuple[float, float]]
    subjects: Mapping[str, str]  # counted noun -> subject
    casualty_verbs: frozenset[str]
    directions: Mapping[str, str]
    # significant digits -> the share of an "about" qualifier's width kept ("about $5,247" is not ±10%)
    approximate_width: Mapping[int, float] = field(default_factory=dict)
    range_words: frozenset[str] = frozenset()  # "priced from $125 to $300" is a range, "rose from" a change
    # a country's own names, for "President of the United Kingdom" (offices.yaml's places and country
    # names; not cities, which places holds too: "Mayor of London" is no national office)
    countries: Mapping[str, str] = field(default_factory=dict)
    national_offices: frozenset[str] = frozenset()  # offices offices.yaml knows of countries ("president", not "chief executive")
    money: Money = field(default_factory=lambda: Money({}, {}, {}))  # units.yaml's currencies
    scales: Mapping[str, float] = field(default_factory=dict)  # "bn" -> 1e9 (units.yaml's scales)


def _read(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # C parser when built
    if not isinstance(data, dict):
        raise ValueError(f"{path}: must be a YAML mapping")
    return data


@functools.lru_cache(maxsize=4)
def vocabulary(folder: str | None = None, with_offices: bool = True) -> Vocabulary:
    """Load the claim vocabulary from ``folder`` (default: the bundled ``rules/agreement/data``).

    The countries of ``offices.yaml`` add their adjectives and names to the nationalities.
    """
    base = Path(folder) if folder else bundled_rules_dir() / "agreement" / "data"
    titles, units = _read(base / "titles.yaml"), _read(base / "units.yaml")
    offices = {form.lower(): office for office, forms in titles["offices"].items() for form in forms}
    nats = {form: nat for nat, forms in titles["nationalities"].items() for form in forms}
    places = {form: nat for nat, forms in titles["places"].items() for form in forms}
    countries: dict[str, str] = {}
    national: set[str] = set()
    if with_offices and (base / "offices.yaml").exists():
        known = _offices.load(str(base / "offices.yaml") if folder else None, frozenset(offices.values()))
        for form, nat in known.forms.items():
            nats.setdefault(form, nat)
        for place, nat in known.places.items():
            places.setdefault(place, nat)
            countries.setdefault(place, nat)
        for nat, country in known.countries.items():
            countries.setdefault(re.sub(r"^the\s+", "", country.name), nat)
            national |= {*country.holders, *country.no_such}
    unit_map = {}
    for dim, table in units["units"].items():
        for base_unit, spec in table.items():
            for form in spec["forms"]:
                unit_map[str(form).lower()] = (dim, base_unit, float(spec["factor"]))
    quals = {
        q: (float(lo), math.inf if hi is None else float(hi)) for q, (lo, hi) in units["qualifiers"].items()
    }
    subjects = {noun: subj for subj, nouns in units["subjects"].items() for noun in nouns}
    directions = {w: d for d, words in units["directions"].items() for w in words}
    return Vocabulary(
        offices=offices,
        not_current=frozenset(w.lower() for w in titles.get("not-current", [])),
        nationalities=nats,
        places=places,
        countries=countries,
        national_offices=frozenset(national),
        units=unit_map,
        qualifiers=quals,
        subjects=subjects,
        casualty_verbs=frozenset(units.get("casualty-verbs", [])),
        directions=directions,
        approximate_width=_approximate_width(units.get("approximate-width", {}), base / "units.yaml"),
        range_words=_range_words(units.get("range-words", []), base / "units.yaml"),
        money=_money(units, base / "units.yaml"),
        scales=_scales(units, base / "units.yaml"),
    )


def _units_section(units: dict[str, Any], key: str, path: Path) -> tuple[Any, Path]:
    """A section of units.yaml and the file it came from: the bundled file when an editor's older copy lacks it."""
    if key in units:
        return units[key], path
    bundled = bundled_rules_dir() / "agreement" / "data" / "units.yaml"
    return _read(bundled).get(key, {}), bundled


def _money(units: dict[str, Any], path: Path) -> Money:
    table, path = _units_section(units, "currencies", path)
    if not isinstance(table, dict):
        raise RuleFileError(str(path), "currencies", "must map ISO codes to their signs, words and subunits")
    signs: dict[str, str] = {}
    words: dict[str, tuple[str, float]] = {}
    codes: dict[str, str] = {}
    for code, spec in table.items():
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code) or not isinstance(spec, dict):
            raise RuleFileError(str(path), f"currencies.{code}", "an ISO code (three capitals) mapping to signs, words, subunits, codes")
        unknown = set(spec) - {"signs", "words", "subunits", "codes"}
        if unknown:
            raise RuleFileError(str(path), f"currencies.{code}", f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        codes[code] = code
        for other_code in spec.get("codes", []):
            if not isinstance(other_code, str) or not re.fullmatch(r"[A-Z]{2,4}", other_code):
                raise RuleFileError(str(path), f"currencies.{code}.codes", f"{other_code!r}: capitals, as written")
            codes[other_code] = code
        for sign in spec.get("signs", []):
            if not isinstance(sign, str) or not sign.strip() or any(ch.isdigit() or ch.isspace() for ch in sign):
                raise RuleFileError(str(path), f"currencies.{code}.signs", f"{sign!r}: a sign without digits or spaces")
            signs[sign] = code
        for word in spec.get("words", []):
            if not isinstance(word, str) or not re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", word):
                raise RuleFileError(str(path), f"currencies.{code}.words", f"{word!r}: words of letters")
            words[word.lower()] = (code, 1.0)
        for word, share in (spec.get("subunits") or {}).items():
            if not isinstance(word, str) or isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share < 1:
                raise RuleFileError(str(path), f"currencies.{code}.subunits.{word}", "a word mapping to its share of the unit (0 to 1)")
            words[word.lower()] = (code, float(share))
    return Money(signs, words, codes)


def _scales(units: dict[str, Any], path: Path) -> dict[str, float]:
    table, path = _units_section(units, "scales", path)
    if not isinstance(table, dict) or not all(
        isinstance(w, str) and w.isalpha() and not isinstance(v, bool) and isinstance(v, (int, float)) and v > 1 for w, v in table.items()
    ):
        raise RuleFileError(str(path), "scales", "must map scale words to their factor (more than 1)")
    return {w.lower(): float(v) for w, v in table.items()}


def _range_words(words: Any, path: Path) -> frozenset[str]:
    if not isinstance(words, list):
        raise RuleFileError(str(path), "range-words", "must be a list of words")
    _owners.require_words(words, path, "range-words")
    return frozenset(w.lower() for w in words)


def _approximate_width(table: Any, path: Path) -> dict[int, float]:
    """``approximate-width`` of units.yaml: significant digits -> share of the width kept (0 < share <= 1)."""
    if not isinstance(table, dict):
        raise RuleFileError(str(path), "approximate-width", "must map a number of significant digits to a share of the width")
    out: dict[int, float] = {}
    for digits, share in table.items():
        if not isinstance(digits, int) or isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
            raise RuleFileError(str(path), f"approximate-width.{digits}", f"{share!r}: a share of the width, more than 0 and at most 1")
        out[digits] = float(share)
    return out


def _significant_digits(raw: str) -> int:
    """Digits a figure is given to: "5,247" -> 4, "1.3" -> 2, "800" -> 1 (a whole number's trailing zeros are rounding)."""
    digits = _plain(raw).replace(",", "")
    if not digits[:1].isdigit():
        return 1  # a number word
    whole, _, decimals = digits.partition(".")
    significant = (whole + decimals).lstrip("0")
    return max(1, len(significant if decimals else significant.rstrip("0")))


def _approximate(low: float, high: float, q_lo: float, q_hi: float, raw: str, vocab: "Vocabulary") -> tuple[float, float]:
    """The interval an approximate figure ("about $5,247", "around 1.3%") allows. A two-sided
    qualifier's width (about: ±10%) is what a round figure leaves open; a writer who gives more
    significant digits knows the figure closer, so the width shrinks by ``approximate_width``.
    One-sided qualifiers ("more than", "nearly") are bounds and keep their width."""
    if q_lo < 1.0 < q_hi and not math.isinf(q_hi) and vocab.approximate_width:
        digits = _significant_digits(raw)
        known = [d for d in vocab.approximate_width if d <= digits]
        if known:
            share = vocab.approximate_width[max(known)]
            q_lo, q_hi = 1.0 - (1.0 - q_lo) * share, 1.0 + (q_hi - 1.0) * share
    return low * q_lo, high * q_hi if not math.isinf(q_hi) else math.inf


# ----------------------------------------------------------------------------------------------
# values


CONVERSION_SLACK = 0.05  # "30 miles" vs "50 km" (48.3 km): a conversion rounds to a round figure


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as an interval in base units, with an optional direction of change (+1/-1).

    ``precision`` is half the unit of the last digit written ("9%" is 8.5–9.5, "8.76%" 8.755–8.765),
    so a rounded rendering agrees with the exact one. ``level`` marks a value reached ("rose *to*
    $28"), which is never compared with a change ("rose $1.30"). ``written`` is the unit the figure
    was given in: "30 miles" and "50 km" are each a rounded rendering of one distance, so figures
    written in different units of one dimension agree within ``CONVERSION_SLACK``.
    """

    low: float
    high: float
    unit: str = ""
    direction: int = 0
    precision: float = field(default=0.0, compare=False)
    level: bool = field(default=False, compare=False)
    written: str = field(default="", compare=False)  # the unit as written ("mile"), when converted to a base unit

    def comparable(self, other: "Quantity") -> bool:
        """Whether the two can be about one thing: same unit, and not a change against a level."""
        if self.unit != other.unit:
            return False  # "£169.99" and "$273", "14 cents a share" and "$991 million"
        if (self.direction and other.level) or (other.direction and self.level):
            return False
        return True

    def agrees(self, other: "Quantity") -> bool:
        """Comparable, no opposite directions, and intervals that overlap within rounding."""
        if not self.comparable(other):
            return False
        if self.direction and other.direction and self.direction != other.direction:
            return False  # an unstated direction ("accounting for 51%") is not a contradiction
        eps = 1e-9 * max(1.0, abs(self.low), abs(other.low))
        # rounding slack is strict ("0.3%" and "0.2%" differ) but float noise is forgiven
        slack = (self.precision + other.precision) * (1 - 1e-6)
        if self.written and other.written and self.written != other.written:
            slack += CONVERSION_SLACK * max(abs(self.low), abs(other.low))
        # open bounds ("more than 100") still agree with the same bound ("over 100")
        return self.low - slack <= other.high + eps and other.low - slack <= self.high + eps

    def __str__(self) -> str:
        def fmt(x: float) -> str:
            if not math.isfinite(x):
                return str(x)
            return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}"

        sign = {1: "+", -1: "-"}.get(self.direction, "")
        unit = f" {self.unit}" if self.unit else ""
        if self.low == self.high:
            return f"{sign}{fmt(self.low)}{unit}"
        if math.isinf(self.high):
            return f"{sign}>{fmt(self.low)}{unit}"
        return f"{sign}{fmt(self.low)}–{fmt(self.high)}{unit}"


@dataclass(frozen=True, slots=True)
class Claim:
    """One comparable statement found in a document.

    ``subject`` is the blocking key (e.g. ``troops``, a person key, a quote's speaker); ``value``
    is compared exactly; ``context`` holds content words that align claims about the same thing.
    """

    kind: str  # number | money | percent | date | year | duration | distance | person-title | quote
    subject: str
    value: Any
    display: str  # the value as shown in reports
    start: int
    end: int
    text: str  # raw[start:end]
    context: str = ""
    event_bound: bool = True  # compared within one event only (False: across the story / corpus)
    extra: Mapping[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------------------------
# helpers

_STOP = frozenset(
    """a an the of in on at to for from by with and or but as is are was were be been being has have had
    that this these those it its he she they them his her their we our you your i me my not no than then
    there here which who whom whose what when where while would will could should can may might must do does
    did said says say also more most over about into after before since during per some such only just very
    us said told added""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*")


def fold(text: str) -> str:
    """Lower-case and strip accents, for keys that must match across spellings."""
    if text.isascii():
        return text.lower()  # nothing to strip: the common case, 10x faster than normalising
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c)).lower()


def content_words(text: str) -> list[str]:
    """Lower-cased content words (no stopwords, no numbers): the material of claim contexts."""
    out = []
    for w in _WORD.findall(text):
        lw = w.lower().strip(".'’")  # fold(w): _WORD's letters are ASCII, its marks have no accents to strip
        if len(lw) > 1 and lw not in _STOP and not lw[0].isdigit():
            out.append(lw)
    return out


def _sentence_bounds(doc, offset: int) -> tuple[int, int]:
    span = doc.sentence_at(offset)
    if span is None:
        return max(0, offset - 150), min(len(doc.text), offset + 150)
    return span.start, span.end


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "a hundred": 100, "a dozen": 12, "dozen": 12,
}  # fmt: skip
_MONTHS = MONTH_NUMBERS  # month names and abbreviations -> 1..12, the table metadata reads stamps with


# Python's case-blind match of an ASCII letter also takes these: İ and ı for i, ſ for s, the Kelvin sign for k
_CASE_EXTRA = {"i": "İı", "s": "ſ", "k": "\u212a"}


def _alternation(options: list[str], ignorecase: bool = False) -> str:
    """A regex of ``options`` in this order, grouped by first character: ``[Pp](?i:rime minister|resident)``.

    The regex engine then tests one character class per group at each position instead of entering
    every option (case-blind options cannot be skipped on their first letter). At any one position
    only options of one group can match, and a group keeps its options' order, so the matches are
    the same as ``(?:option|option|...)``'s.
    """
    groups: dict[str, list[str]] = {}
    for option in options:
        first = option[0].lower() if ignorecase else option[0]
        if ignorecase and not (first.isascii() and first.isalpha()):
            body = "|".join(re.escape(o) for o in options)  # a case-blind class of this letter is not written here
            return f"(?i:{body})"
        groups.setdefault(first, []).append(option[1:])
    parts = []
    for first, rests in groups.items():
        chars = first + first.upper() + _CASE_EXTRA.get(first, "") if ignorecase else first
        body = "|".join(re.escape(r) for r in rests)
        parts.append(f"[{re.escape(chars)}](?:{f'(?i:{body})' if ignorecase else body})")
    return "(?:" + "|".join(parts) + ")"


def _money_patterns(money: Money) -> tuple[str, str]:
    """Regexes of what may stand before a figure of money (a sign, or an ISO code and a space) and
    after it (a word, or an ISO code), longest first. The pattern they join is case-blind; signs of
    letters ("Rs", "US$") and codes ("USD", not "usd": "try 500" is no Turkish lira) keep their case."""
    def alternatives(options, keep_case) -> str:
        out = []
        for o in sorted(options, key=lambda o: (-len(o), o)):
            out.append(f"(?-i:{re.escape(o)})" if keep_case(o) else re.escape(o))
        return "|".join(out)

    codes = sorted(money.codes)
    before = alternatives(money.signs.keys(), lambda o: any(c.isalpha() for c in o))
    if codes:
        before = f"{before}|(?-i:{'|'.join(codes)})(?=[ \t\u00a0])" if before else f"(?-i:{'|'.join(codes)})(?=[ \t\u00a0])"
    after = alternatives(money.words.keys(), lambda o: False)
    if codes:
        after = f"{after}|(?-i:{'|'.join(codes)})" if after else f"(?-i:{'|'.join(codes)})"
    return before or "(?!)", after or "(?!)"


@functools.lru_cache(maxsize=4)
def _patterns(vocab: Vocabulary) -> dict[str, re.Pattern[str]]:
    quals = "|".join(sorted((re.escape(q) for q in vocab.qualifiers), key=len, reverse=True))
    words = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
    units = "|".join(sorted((re.escape(u) for u in vocab.units), key=len, reverse=True))
    scales = "|".join(sorted((re.escape(s) for s in vocab.scales), key=len, reverse=True))
    cur, curwords = _money_patterns(vocab.money)
    number = (
        rf"(?:(?P<between>between)\s+)?"
        rf"(?:(?P<qual>{quals})\s+)?"
        rf"(?P<cur>{cur})?\s?"
        rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{_OTHER_GROUPINGS}|\d+(?:\.\d+)?|(?:{words})\b)"
        rf"(?:(?:\s*(?P<conn>or|to)\s*|\s*(?P<dash>-|–)\s*(?:{cur})?|\s*(?(between)and\s*(?:{cur})?|(?!)))"
        rf"(?P<num2>\d[\d,]*(?:\.\d+)?|(?:{words})\b))?"
        rf"(?:[\s-]?(?P<scale>{scales})\b)?"
        rf"(?:(?:\s*|-)(?P<unit>{units})(?![A-Za-z]))?"
        rf"(?:\s+(?P<curword>{curwords})\b)?"
    )
    # longest first (by escaped length, as these alternations were always ordered)
    offices = _alternation(sorted(vocab.offices, key=lambda t: len(re.escape(t)), reverse=True), ignorecase=True)
    nats = _alternation(sorted({**vocab.nationalities, **vocab.places}, key=lambda n: len(re.escape(n)), reverse=True))
    name_tok = r"[A-Z][a-zà-ÿ'’-]+(?:-[A-Z][a-zà-ÿ]+)?"
    # Lookaheads on the first character a match, and a title, can start with: they change no match, but
    # spare the engine trying every case-blind office at every position (about half the pattern's time)
    title_first = "".join(sorted({re.escape(t[0]) for t in vocab.offices}))
    start_first = "".join(sorted({re.escape(n[0]) for n in {**vocab.nationalities, **vocab.places}} | set("FfEeLlAaIiDd")))
    person = (
        (rf"(?=[{start_first}]|(?i:[{title_first}]))" if title_first else "")
        + rf"(?:(?P<nat>{nats})(?P<poss>['’]s)?[ \t]+)?"
        rf"(?:(?P<quals>(?:[Ff]ormer|[Ee]x-|[Ll]ate|[Aa]cting|[Ii]nterim|[Dd]eputy)[ \t]+)?)"
        + (rf"(?=(?i:[{title_first}]))" if title_first else "")
        + rf"(?P<title>{offices})\.?[ \t]+"
        rf"(?P<name>{name_tok}(?:[ \t]+(?:[A-Z]\.?[ \t]+)?{name_tok}){{0,2}})"  # a middle initial: "George W Bush"
    )
    month = "|".join(sorted(_MONTHS, key=len, reverse=True))
    date = (
        rf"\b(?:(?P<md_month>(?i:{month}))\.?\s+(?P<md_day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_year>(?:19|20)\d\d))?"
        rf"|(?P<dm_day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_month>(?i:{month}))\.?(?:,?\s+(?P<dm_year>(?:19|20)\d\d))?\b"
        rf"|(?i:on\s+)(?P<weekday>(?i:{'|'.join(WEEKDAYS)}))\b"
        # written in figures: "2021-12-23", "23.12.2021" (day first, as most of Europe writes it), and
        # "23/12/2021" or "12/23/2021" when one side cannot be a month
        rf"|(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>0[1-9]|1[0-2])-(?P<iso_day>0[1-9]|[12]\d|3[01])(?![\d-])"
        rf"|(?<![\d.,/])(?P<n_a>[0-3]?\d)(?P<n_sep>[./])(?P<n_b>[0-3]?\d)(?P=n_sep)(?P<n_year>(?:19|20)\d\d)(?![\d.]\d|/))"
    )
    # "1 percent to 3 percent", "between $4 and $11": a range whose unit is written twice
    tail = (
        rf"\s*(?P<conn>to|-|–|and)\s*(?P<cur>{cur})?(?P<num>\d[\d,]*(?:\.\d+)?)"
        rf"(?:[\s-]?(?P<scale>{scales})\b)?(?:(?:\s*|-)(?P<unit>{units})(?![A-Za-z]))?"
        rf"(?:\s+(?P<curword>{curwords})\b)?"
    )
    # a title in apposition: "Boris Johnson, the British President, said", "Viktor Orban, Hungary's prime
    # minister," and "the British president, Boris Johnson, said"; a nationality is required (the
    # country is what the offices file judges by), and the title must end the phrase
    names = rf"{name_tok}(?:[ \t]+(?:[A-Z]\.?[ \t]+)?{name_tok}){{0,2}}"
    apposed_title = rf"(?P<nat>{nats})(?P<poss>['’]s)?[ \t]+(?P<title>{offices})"
    # the phrase ends: punctuation, or a verb ("the British president, Boris Johnson said"); a name
    # particle ("Dominique de Villepin") is not an end, so a cut name is not taken
    after = r"(?=[ \t]*[,;:)—–]|\.(?:\s|$)|[ \t]+(?:said|says|told|tells|has|had|was|is|will|would|called|warned|added|and)\b)"
    apposition = (
        rf"(?P<name>{names}),[ \t]+(?:the[ \t]+)?{apposed_title}{after}"
        rf"|\b[Tt]he[ \t]+(?P<nat2>{nats})[ \t]+(?P<title2>{offices}),[ \t]+(?P<name2>{names}){after}"
    )
    # an office of a country: "President of the Russian Federation Vladimir Putin", "Boris Johnson,
    # Prime Minister of the United Kingdom, said", "the president of France, Emmanuel Macron, said"
    # (national offices only: "chief executive of China Aviation Oil" is a company's)
    lands = _alternation(sorted(vocab.countries, key=lambda n: len(re.escape(n)), reverse=True)) if vocab.countries else r"(?!)"
    national = sorted((t for t, o in vocab.offices.items() if o in vocab.national_offices), key=lambda t: len(re.escape(t)), reverse=True)
    national_titles = _alternation(national, ignorecase=True) if national else r"(?!)"
    office_of = (rf"(?P<quals>(?:[Ff]ormer|[Ee]x-|[Ll]ate|[Aa]cting|[Ii]nterim|[Dd]eputy)[ \t]+)?"
                 rf"(?P<title>{national_titles})[ \t]+of[ \t]+(?:the[ \t]+)?(?P<land>{lands})")
    title_of = (
        rf"\b{office_of}(?:[ \t]+(?P<name>{names})|,[ \t]+(?P<name2>{names}){after})"
        rf"|(?P<name3>{names}),[ \t]+(?:the[ \t]+)?"
        rf"(?P<office3>(?P<title3>{national_titles})[ \t]+of[ \t]+(?:the[ \t]+)?(?P<land3>{lands})){after}"
    )
    return {
        "title_of": re.compile(title_of),
        "of_land": re.compile(rf"[ \t]of[ \t]+(?:the[ \t]+)?{lands}"),  # in every title_of match: a cheap test first
        "apposition": re.compile(apposition),
        "number": re.compile(rf"(?<![\w.,/:-])(?:{number})(?![/:]\d)", re.I),
        "tail": re.compile(tail, re.I),
        "person": re.compile(person),
        "date": re.compile(date),
        "year": re.compile(r"(?<![\w$£€.,-])(?P<year>(?:19|20)\d\d)(?![\w%,.]\d|\s*(?:%|percent))"),
    }


# Figures written as other languages write them, as machine translation and international news keep
# them: "600 000 soldiers" (a space, no-break or thin space between groups of three), "36.658.166 Poles"
# (dots between groups), "2,07 million" (a decimal comma before a scale word). A space-grouped figure
# is not one group of a longer run ("0800 555 111": a telephone number).
_SPACES = "\u0020\u00a0\u2009\u202f"
_OTHER_GROUPINGS = (
    rf"(?<!\d[{_SPACES}])\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?!\d|[{_SPACES}]\d)(?:\.\d+)?"
    r"|\d{1,3}(?:\.\d{3}){2,}(?![\d.])(?:,\d+)?"
    r"|\d+,\d{1,2}(?=[\s-]?(?:million|billion|trillion|mn|bn)\b)"
)
_DOT_THOUSANDS = re.compile(r"\d{1,3}\.\d{3}")  # "55.000 soldiers": one dot, read so only before a counted noun


def _plain(raw: str) -> str:
    """A figure in the English way of writing it ("600 000" -> "600000", "36.658.166" -> "36658166",
    "2,07" -> "2.07"), which the readers below take."""
    t = re.sub(f"[{_SPACES}]", "", raw)
    if t.count(".") >= 2:
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d{1,2}", t):
        t = t.replace(",", ".")
    return t


def _to_float(text: str) -> float | None:
    t = _plain(text.lower().strip())
    if t in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[t])
    try:
        value = float(t.replace(",", ""))
    except ValueError:
        return None
    # a 400-digit "number" is inf as a float, and inf reaches int() and formatting: not a claim
    return value if math.isfinite(value) and abs(value) < 1e18 else None


def _following_words(text: str, pos: int, n: int = 4) -> list[tuple[str, int, int]]:
    """Up to ``n`` words after ``pos`` in the same clause (a comma or sentence mark ends it)."""
    out = []
    for m in re.finditer(r"[A-Za-z][A-Za-z'’-]*", text[pos : pos + 60]):
        if re.search(r"[.,;:!?()\n]", text[pos : pos + m.start()]):
            break
        out.append((m.group(0), pos + m.start(), pos + m.end()))
        if len(out) >= n:
            break
    return out


_ADDED = frozenset("new more additional extra further".split())
_ADJ_SKIP = frozenset("new more other additional extra further russian american british local foreign".split())


def _counted(text: str, pos: int, vocab: Vocabulary, before: str) -> tuple[str, str] | None:
    """The counted noun after a number ("100,000 Russian troops" -> troops), mapped to a subject,
    with the noun phrase as written ("Russian troops") for messages."""
    words = _following_words(text, pos, 3)
    first = None
    # "20 new moons", "18 additional cases" count what was added, not the total ("a total of 149 cases")
    added = bool(re.search(r"\b(?:an additional|a further)\s*$", before))
    if re.match(r"\s+of\s+an?\s+(point|percentage\s+point)\b", text[pos:], re.I) is not None and [w.lower() for w, _, _ in words[:2]] == ["of", "a"]:
        # "eased 0.37 of a point": a move in points, as "slipped 0.26 point"
        return vocab.subjects.get("points", "points"), " ".join(text[words[0][1] : words[2][2]].split())
    for i, (w, ws, we) in enumerate(words):
        lw = w.lower()
        if lw in ("of",) and i == 0:
            continue
        first = ws if first is None else first
        if w[0].isupper() and lw not in vocab.subjects:
            continue  # nationality adjectives and names before the noun
        if lw in _ADJ_SKIP:
            added = added or lw in _ADDED
            continue
        if lw in _STOP or lw in vocab.directions or (lw.endswith("ed") and lw not in vocab.subjects):
            return None  # a verb or a function word: nothing is counted ("FTSE 100 gained")
        phrase = " ".join(text[first:we].split())
        if lw == "people" and any(v in before for v in vocab.casualty_verbs):
            return "casualties", phrase
        if f"people {lw}" in vocab.subjects:
            return vocab.subjects[f"people {lw}"], phrase
        subject = vocab.subjects.get(lw, lw)
        if lw.endswith("s") and lw[:-1] in vocab.subjects:
            subject = vocab.subjects[lw[:-1]]
        return (f"{subject} (added)" if added else subject), phrase
    return None


_FILLERS = frozenset("by an a average some another only just".split())
_PHRASAL = frozenset(
    "sign signs signed set sets pick picks picked make makes making made put puts turn turns turned show shows showed"
    " came took broke shut gave held stepped summed wound".split()
)  # "signed up 50 million", "makes up 3 percent": not a change
_BE_OFF = frozenset("is are was were closed ended finished traded trading".split())
_CHANGE_NOUNS = frozenset("rise increase gain jump fall drop decline decrease cut loss".split())


def _direction(before: str, after: str, vocab: Vocabulary) -> tuple[int, bool]:
    """(direction of change, whether the number is a level reached) from the words next to it.

    Only the verb right before the number counts ("rose 12%", "increased by 49 percent", "was up 8
    cents") or a change word right after it ("a 6 percent rise", "1.47 cents lower"): a noun such as
    "increase" three words earlier says nothing about this number.
    """
    # "was up 12.81, or 0.1 percent": the percentage restates the change before it
    # ("fell 2.5 percent or $1.11 to $42.57": the amount restates the percentage)
    restated = re.search(
        r"([a-z]+)\s+[$£€]?[\d.,]+\s*(?:(?:of\s+a\s+)?points?|cents?|pence|percent|per\s+cent|%)?\s*,?\s+or(?:\s+(?:just|about|nearly|almost|roughly))?\s*$",
        before.lower(),
    )
    if restated:
        before = before[: restated.end(1)]
    words = re.findall(r"[a-z]+", before.lower())
    while words and words[-1] in _FILLERS:
        words.pop()
    if words and words[-1] in ("to", "at", "from"):
        return 0, True  # "rose to 4.45 percent", "at $30.50" is a level, not a change
    if len(words) >= 2 and words[-1] == "of" and words[-2] in _CHANGE_NOUNS:
        words.pop()  # "a gain of 6 percent"
    if len(words) >= 2 and words[-1] == "off" and words[-2] in _BE_OFF:
        return -1, False  # market speech: "shares were off 30 cents", "ended off 8.15 points"
    if words:
        d = vocab.directions.get(words[-1])
        if d and not (words[-1] in ("up", "down") and len(words) >= 2 and words[-2] in _PHRASAL):
            return (1 if d == "up" else -1), False
    nxt = re.match(r"\s*([a-z]+)", after.lower())
    if nxt and nxt.group(1) in ("up", "down") and words and words[-1] in _BE_OFF:
        return (1 if nxt.group(1) == "up" else -1), False  # "shares were 1.4 percent down"
    if nxt and (nxt.group(1) in _CHANGE_NOUNS or nxt.group(1) in ("higher", "lower")):
        d = vocab.directions.get(nxt.group(1))
        if d:
            return (1 if d == "up" else -1), False
    return 0, False


def _precision(raw: str) -> float:
    """Half the unit of the last digit written: "9" -> 0.5, "8.76" -> 0.005, "five" -> 0.5.

    A whole number's trailing zeros after three or more significant digits are read as rounding
    ("$42,400" is 42,350–42,450 and agrees with "$42,409"); a short round figure ("1,200", "30")
    stays as written, or every round number would agree with its neighbours, and decimals keep
    their zeros ("$38.30" is a price to the cent, not "$38.28" rounded).
    """
    digits = _plain(raw).replace(",", "")
    if not digits[:1].isdigit():
        return 0.5
    decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
    unit = 10.0**-decimals
    significant = digits.replace(".", "").lstrip("0")
    zeros = len(significant) - len(significant.rstrip("0"))
    if zeros and not decimals and len(significant) - zeros >= 3:
        unit *= 10**zeros
    return 0.5 * unit


_TIME_AFTER = re.compile(r"\s*(?:a\.m\b|p\.m\b|am\b|pm\b|GMT\b|EDT\b|EST\b|BST\b|CET\b|ET\b|PT\b|o'clock)", re.I)
_NAME_BEFORE = re.compile(r"[^.!?\n\s]\s+[A-Z][\w&.-]*(?<!['’]s)\s+$")  # "FTSE 100", "Boeing 737", not sentence-initial
# "$4 a week", "14 cents a share"; not "$639m a year earlier" (a time, not a rate)
_RATE_AFTER = re.compile(r"\s+(?:a|an|per)\s+([a-z]+)\b(?!\s+(?:earlier|ago|before|later|previously)\b)")


_CLOCK = re.compile(
    r"\b(\d{1,2})(?:[:.](\d\d))?\s*(a\.?m\b\.?|p\.?m\b\.?)|\b([01]\d|2[0-3])([0-5]\d)\s*GMT\b", re.I
)
_SESSION = {
    "premarket": "pre", "pre-market": "pre", "before the open": "pre",
    "early trading": "early", "early trade": "early", "morning trading": "early", "first hour": "early", "morning trade": "early",
    "midday": "midday", "mid-day": "midday", "afternoon": "afternoon",
    "after-hours": "after", "after hours": "after", "extended trading": "after",
    "to close": "close", "closed": "close", "ended": "close", "finished": "close", "at the close": "close",
    # the day's extreme, not where the figure stands: "dropped as much as 16 percent" / "closed down 12 percent"
    "as much as": "extreme", "as high as": "extreme", "as low as": "extreme", "at one point": "extreme",
    "intraday": "extreme", "intra-day": "extreme",
}  # fmt: skip
_SESSION_RE = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in sorted(_SESSION, key=len, reverse=True)) + r")\b", re.I)


def _when(sentence: str) -> str:
    """When in the day the sentence's figures were taken: clock times ("10:33 a.m.", "1018 GMT") or a
    trading session ("in midday trading", "closed"). A share price or an index "at 1018 GMT" and one
    "by 0835 GMT" are two readings of a moving figure, not two accounts of one fact."""
    times = []
    for m in _CLOCK.finditer(sentence):
        if m.group(4):
            times.append(f"{m.group(4)}{m.group(5)}Z")
        else:
            hour = int(m.group(1)) % 12 + (12 if m.group(3).lower().startswith("p") else 0)
            times.append(f"{hour:02d}{m.group(2) or '00'}")
    if times:
        return " ".join(times)
    sessions = sorted({_SESSION[m.group(0).lower()] for m in _SESSION_RE.finditer(sentence)})
    return " ".join(sessions)


def _context(doc, start: int, end: int, window: int = 7) -> str:
    """Content words near the claim in its sentence: what the number is about, for alignment."""
    s, e = _sentence_bounds(doc, start)
    words = content_words(doc.text[s:start])[-window:] + content_words(doc.text[end:e])[:window]
    # "soared" and "rose" say the same about a figure: direction words align as their direction
    directions = vocabulary().directions
    return " ".join(directions.get(w, w) for w in words)


# ----------------------------------------------------------------------------------------------
# extractors


def numbers(doc, vocab: Vocabulary) -> Iterator[Claim]:
    """Numbers with qualifier, unit and counted noun; money and percentages; durations, distances.

    A change stated with the level it reached ("rose $2.88 to $46.50", "fell 4.5 percent to $2.3
    billion", "lost 27.13 points, or 1.64 percent, at 1,626.49") also states the level it started
    from: ``extra["base"]``, given to the change, its restatements and the level.
    """
    found = list(_numbers(doc, vocab))
    text = doc.text
    pats = _patterns(vocab)
    bases: dict[int, tuple[float, float, str]] = {}
    for i, c in enumerate(found):
        if i in bases or c.kind not in ("money", "number", "percent") or not c.value.direction or c.value.level:
            continue
        got = _base(text, c, pats, vocab)
        if got is None:
            continue
        base, level_end = got
        s_end = _sentence_bounds(doc, c.start)[1]
        for j in range(i, len(found)):
            if found[j].start >= min(level_end, s_end):
                break
            bases.setdefault(j, base)
    found = _shared_periods(doc, found)
    # "to $4.55 billion, from $4.59 billion": the start written out is the base of its change and level
    for i, c in enumerate(found):
        if i in bases or c.kind not in ("money", "number", "percent") or c.value.direction or not math.isfinite(c.value.high):
            continue
        s_start = _sentence_bounds(doc, c.start)[0]
        if not re.search(r"\bfrom\s*$", text[max(s_start, c.start - 12) : c.start], re.I):
            continue
        chain = [j for j in range(i - 1, -1, -1) if found[j].start >= s_start and found[j].kind in ("money", "number", "percent")]
        # the change, or the level reached ("sending its yield to 4.48 percent from 4.42 percent")
        changes = [j for j in chain if found[j].value.direction or (found[j].value.level and found[j].kind == c.kind)]
        if not changes:
            continue
        q = c.value
        base = (q.low - q.precision, q.high + q.precision, q.unit.split("/")[0])
        for j in [i] + [j for j in chain if j >= changes[0]]:
            if found[j].kind == c.kind or found[j].value.direction:
                bases.setdefault(j, base)
        bases.setdefault(i, base)
    for i, c in enumerate(found):
        yield dataclasses.replace(c, extra={**c.extra, "base": bases[i]}) if i in bases else c


def _shared_periods(doc, found: list[Claim]) -> list[Claim]:
    """A period closing a coordination is the period of every figure in it: "$721,154 in salary and
    $243,389 in bonuses in the prior fiscal year" (both figures are the prior year's)."""
    text = doc.text
    vocab = _owners.vocabulary()
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        owner_a, owner_b = a.extra.get("owner"), b.extra.get("owner")
        if not owner_b or not owner_b.periods or (owner_a and owner_a.periods):
            continue
        s_start, s_end = _sentence_bounds(doc, a.start)
        if b.start >= s_end:
            continue
        between = text[a.end : b.start]
        if not re.search(r"\band\b", between) or _owners.breaks(between, coordination=False) or _owners.periods_in(between, vocab):
            continue
        rest = text[b.end : s_end]
        cut = _owners.breaks(rest, coordination=True)
        tail = rest[: cut.start()] if cut else rest
        periods = _owners.periods_in(tail, vocab)
        if periods and periods <= owner_b.periods:
            owner = dataclasses.replace(owner_a or _owners.Owner(), periods=frozenset(periods))
            out[i] = dataclasses.replace(a, extra={**a.extra, "owner": owner})
    return out


# after a change, the level it reached: "rose $2.88 to $46.50", "fell 27.13, or 1.6 percent, at 1,626.49"
_TO_LEVEL = re.compile(
    r"(?:(?:\s+of\s+an?)?\s+points?\b)?(?:\s*,?\s*(?:or|about|roughly|nearly|almost)\s+[^,;]{1,30}?,?)?\s*,?\s*"
    r"(?:to\s+(?:close|end|finish|settle)\s+at|to\s+close|to|at)\s+(?=\S)",
    re.I,
)


def _changed_from(before: str, vocab: Vocabulary) -> bool:
    """'rose from $1.50 to $2', 'cut its losses from £20.6m to £1.2m': a change from one level to
    another, not a range; after a word of ``range-words`` ('priced from $125 to $300', 'ranging
    from', 'costs from') the two figures are the ends of a range."""
    m = re.search(r"([a-z]+)\s+from\s*$", before)
    if not m:
        return bool(re.search(r"\bfrom\s*$", before))
    return m.group(1) not in vocab.range_words


def _base(text: str, change: Claim, pats, vocab: Vocabulary) -> tuple[tuple[float, float, str], int] | None:
    """The level a change started from, as (low, high, unit), and where its level ends; None when the
    change names no level of its own unit. A money or point change is subtracted from the level; a
    percentage divides it ("fell 4.5 percent to $2.3 billion": from about $2.41 billion)."""
    after = _TO_LEVEL.match(text, change.end)
    if not after:
        return None
    m = pats["number"].match(text, after.end())
    if not m or m.group("qual"):
        return None
    num = _to_float(m.group("num"))
    if num is None or m.group("num2"):
        return None
    cur, curword, unit_form = m.group("cur") or "", (m.group("curword") or "").lower(), (m.group("unit") or "").lower()
    scale = vocab.scales.get((m.group("scale") or "").lower(), 1.0)
    precision = _precision(m.group("num"))
    if cur or curword:
        code, factor = vocab.money.of(cur, m.group("curword") or "")
        unit = code
    elif unit_form:
        return None  # a rate or a distance reached: no session to tell apart
    else:
        unit, factor = "", 1.0
    low, high = (num - precision) * scale * factor, (num + precision) * scale * factor
    q, sign = change.value, change.value.direction
    c_low, c_high = q.low - q.precision, (q.high if math.isfinite(q.high) else q.low) + q.precision
    if change.kind == "percent":
        lo, hi = (low / (1 + c_high / 100), high / (1 + c_low / 100)) if sign > 0 else (low / (1 - c_low / 100), high / (1 - c_high / 100) if c_high < 100 else math.inf)
    elif change.kind == "money" and unit == q.unit.split("/")[0]:
        lo, hi = (low - c_high, high - c_low) if sign > 0 else (low + c_low, high + c_high)
    elif change.kind == "number" and not unit and not q.unit:
        lo, hi = (low - c_high, high - c_low) if sign > 0 else (low + c_low, high + c_high)
    else:
        return None
    return (lo, hi, unit), m.end()


def _numbers(doc, vocab: Vocabulary) -> Iterator[Claim]:
    text = doc.text
    pats = _patterns(vocab)
    taken_until, pos = 0, 0
    previous: tuple[int, int, Any] | None = None  # (sentence start, end, owner) of the last figure
    places = {**vocab.nationalities, **vocab.places}
    while (m := pats["number"].search(text, pos)) is not None:
        pos = max(m.end(), pos + 1)
        if m.start() < taken_until:
            continue  # the second number of a range already read ("$12 billion-$14 billion")
        if m.group("conn") == "to" and _direction(text[max(0, m.start() - 60) : m.start()].lower(), "", vocab)[0]:
            # "fell 27.13 to 1,626.49": a change and the level it reached, two numbers, not a range
            m = pats["number"].match(text, m.start(), m.end("num"))
            pos = m.end()
        raw_num = m.group("num")
        value = _to_float(raw_num)
        if value is None:
            continue
        unit_form = (m.group("unit") or "").lower()
        cur = m.group("cur") or ""
        curword = (m.group("curword") or "").lower()
        scale = vocab.scales.get((m.group("scale") or "").lower(), 1.0)
        if (m.group("scale") or "").lower() in ("m", "k", "bn", "mn") and not cur:
            scale = 1.0 if m.group("scale").lower() in ("m",) else scale  # "40 m" is metres, not millions
        marked = m.group("qual") or cur or unit_form or curword or m.group("scale")
        if not marked and re.fullmatch(r"(?:19|20)\d\d", raw_num):
            continue  # years are claims of their own kind
        if not marked and raw_num.lower() in _NUMBER_WORDS and value < 10:
            continue  # "one", "two" without unit or qualifier: too common to be a fact
        start, end = m.span()
        if m.group("between"):
            start = m.start("between")
        while end > start and text[end - 1].isspace():
            end -= 1
        if re.search(r"\d\s*(?:[a-z]+\s*)?\(\s*$", text[max(0, start - 20) : start]):
            continue  # "433.50 pence ($6.85)": a conversion of the amount before, not a claim of its own
        if _TIME_AFTER.match(text, end):
            continue  # "6 p.m. EDT", "1018 GMT": a time of day
        if not (cur or m.group("qual")) and _NAME_BEFORE.search(text[max(0, start - 40) : start]):
            continue  # "FTSE 100", "Boeing 737", "Russell 2000": part of a name
        hi_value = _to_float(m.group("num2")) if m.group("num2") else None
        if hi_value is not None and hi_value < value and m.group("dash"):
            continue  # "737-700", "2-1": a model number or a score, not a range
        precision = _precision(m.group("num2") or raw_num)
        sentence_start, _ = _sentence_bounds(doc, start)
        before_text = text[max(sentence_start, start - 60) : start]
        before = before_text.lower()
        direction, level = _direction(before, text[end : end + 20], vocab)
        # "1 percent to 3 percent", "between $4 and $11": the unit written again after the second number;
        # but "fell $1.17 to $42.51" and "rose from $1.50 to $2" are a change and a level, not a range
        rate = _RATE_AFTER.match(text, end)
        tail = pats["tail"].match(text, rate.end() if rate else end) if hi_value is None else None
        if tail and rate and not text[tail.end() :].startswith(rate.group(0)):
            tail = None  # "16 cents a share to 27 cents a share": the rate must be written again too
        conn = tail.group("conn").lower() if tail else ""
        if tail and (
            (conn == "and") == bool(m.group("between"))
            and (tail.group("unit") or "").lower() == unit_form
            and (tail.group("cur") or "") == cur
            and (tail.group("curword") or "").lower() == curword
            and (tail.group("scale") or "").lower() == (m.group("scale") or "").lower()
            and (unit_form or cur or curword)
            and not (conn == "to" and direction)
            and not _changed_from(before, vocab)
        ):
            hi_value = _to_float(tail.group("num"))
            precision = _precision(tail.group("num"))
            end = tail.end() + (len(rate.group(0)) if rate else 0)
        if end < len(text) and (text[end].isalnum() or text[end] in "-/"):
            continue  # "1990s", "737-700s", "4x4", "1.1525/30": a name, a model or a quote, not a quantity
        taken_until = end
        if (hi_value is None and not (cur or unit_form or curword or m.group("scale")) and _DOT_THOUSANDS.fullmatch(raw_num)
                and _counted(text, end, vocab, before) is not None):
            # "some 55.000 soldiers": a count is whole, so the dot groups thousands, as in German or Romanian
            raw_num = raw_num.replace(".", ",")
            value, precision = _to_float(raw_num), _precision(raw_num)
        low, high = value * scale, (hi_value if hi_value is not None else value) * scale
        if hi_value is not None and hi_value < value:
            low, high = high, low
        precision *= scale
        if m.group("qual"):
            q_lo, q_hi = vocab.qualifiers[m.group("qual").lower()]
            low, high = _approximate(low, high, q_lo, q_hi, m.group("num2") or raw_num, vocab)
        rate = _RATE_AFTER.match(text, end) or rate  # after the range: "$4 and $11 a week"
        per = f"/{rate.group(1).rstrip('s') if rate.group(1) != 'news' else 'news'}" if rate else ""
        noun, written = "", ""
        if cur or curword:
            code, factor = vocab.money.of(cur, m.group("curword") or "")
            low, high, precision = low * factor, high * factor, precision * factor
            kind, unit = "money", code + per
            subject = "money"
        elif unit_form:
            dim, base, factor = vocab.units[unit_form]
            kind, unit = dim, (base if dim == "percent" else {"distance": "m", "duration": "s"}.get(dim, base)) + per
            low, high, precision = low * factor, high * factor, precision * factor
            written = base
            subject = dim
            # "50 km (32 miles)": the conversion in brackets is the same figure; either rendering agrees
            conv = re.match(r"\s*\(\s*", text[end:])
            other = pats["number"].match(text, end + conv.end()) if conv else None
            if other and other.group("unit") and not other.group("qual"):
                dim2, base2, factor2 = vocab.units[other.group("unit").lower()]
                v2 = _to_float(other.group("num"))
                if dim2 == dim and base2 != base and v2 is not None:
                    v2 *= factor2 * vocab.scales.get((other.group("scale") or "").lower(), 1.0)
                    low, high = min(low, v2), max(high, v2)
        else:
            found = _counted(text, end, vocab, before)
            if found is None:
                continue  # a bare number with nothing counted cannot be aligned
            subject, noun = found
            kind, unit = "number", per
        quantity = Quantity(low, high, unit, direction, precision=precision, level=level, written=written)
        extra: dict[str, Any] = {"counted": subject, "noun": noun} if kind == "number" else {}
        sentence_end = _sentence_bounds(doc, start)[1]
        when = _when(text[sentence_start:sentence_end])
        if when:
            extra["when"] = when
        before_owner = (previous[1], previous[2]) if previous and previous[0] == sentence_start else None
        owner = _owners.owner_of(text, (sentence_start, sentence_end), (start, end), before_owner, places)
        previous = (sentence_start, end, owner)
        if owner:
            extra["owner"] = owner
        yield Claim(
            kind=kind,
            subject=subject,
            value=quantity,
            display=" ".join(text[start:end].split()),
            start=start,
            end=end,
            text=text[start:end],
            context=_context(doc, start, end),
            event_bound=False,
            extra=extra,
        )


def years(doc, vocab: Vocabulary) -> Iterator[Claim]:
    """Years with the words around them ("annexed Crimea in 2014", "the lines of 1997")."""
    for m in _patterns(vocab)["year"].finditer(doc.text):
        start, end = m.span()
        prev = doc.text[max(0, start - 12) : start].lower()
        if re.search(r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d{1,2},?\s*$", prev):
            continue  # part of a full date
        if doc.meta.title_span is None and start < 40 and re.match(r"\s*date\s", doc.text[: start]):
            continue
        if re.search(r"date\s+$", prev):
            continue  # scraped " date 2022-02-08" metadata
        year = int(m.group("year"))
        yield Claim(
            kind="year",
            subject="year",
            value=Quantity(year, year, "year"),
            display=m.group("year"),
            start=start,
            end=end,
            text=doc.text[start:end],
            context=_context(doc, start, end),
            event_bound=False,
        )


_DATE_PREPOSITION = re.compile(r"(?i)\b(?:on|since|until|till|from|by|before|after|of)\s+\Z")
_CLOCK_AFTER = re.compile(r"[ \t,]+\d{1,2}:\d\d")
_DATE_STAMP = re.compile(r"(?i)(?:\bdate[d]?|\bposted(?:\s+on)?|\bpublished(?:\s+on)?|\bupdated(?:\s+on)?)\s*:?\s*\Z")


def dates(doc, vocab: Vocabulary) -> Iterator[Claim]:
    """Calendar dates and weekdays ("Feb. 8", "26 December 2021", "on Tuesday"), event-bound."""
    for m in _patterns(vocab)["date"].finditer(doc.text):
        start, end = m.span()
        if _DATE_STAMP.search(doc.text, max(0, start - 40), start):
            continue  # "date 2022-02-08", "posted on 12/26/2021": the page's own stamp, metadata, not a claim
        if m.group("weekday"):
            value = ("weekday", m.group("weekday").lower())
            start = m.start("weekday")
            display = m.group("weekday")
        elif m.group("iso_year") or m.group("n_year"):
            if _CLOCK_AFTER.match(doc.text, end) or not _DATE_PREPOSITION.search(doc.text, max(0, start - 12), start):
                # "2007-11-24 16:23:08" is a time stamp; a date in figures is a claim in prose ("met on
                # 23.12.2021"), while bylines, stamps and lists of headlines give it bare ("By Jo Smith 18/01/2008")
                continue
            if m.group("iso_year"):
                year, month, day = int(m.group("iso_year")), int(m.group("iso_month")), int(m.group("iso_day"))
            else:
                a, b, year = int(m.group("n_a")), int(m.group("n_b")), int(m.group("n_year"))
                if m.group("n_sep") == ".":
                    day, month = a, b
                elif a > 12 >= b:
                    day, month = a, b
                elif b > 12 >= a:
                    day, month = b, a
                else:
                    continue  # "05/06/2021": June 5 or May 6
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            value = ("date", month, day, year)
            display = doc.text[start:end]
        else:
            month = _MONTHS[(m.group("md_month") or m.group("dm_month")).lower()]
            day = int(m.group("md_day") or m.group("dm_day"))
            if not 1 <= day <= 31:
                continue
            year = m.group("md_year") or m.group("dm_year")
            value = ("date", month, day, int(year) if year else None)
            display = " ".join(doc.text[start:end].split())
        yield Claim(
            kind="date",
            subject="date",
            value=value,
            display=display,
            start=start,
            end=end,
            text=doc.text[start:end],
            context=_context(doc, start, end),
            event_bound=True,
        )


def person_key(name: str) -> str:
    """Blocking key for a person: the folded surname, spelling-normalised (Zelensky ~ Zelenskyy)."""
    last = fold(name.split()[-1]).strip("'’")
    last = re.sub(r"(.)\1+", r"\1", last)  # doubled letters
    return re.sub(r"y$", "i", last)


_ABBREVIATED_TITLES = frozenset("gen sen gov rep lt col sgt capt cmdr adm pres".split())
_NOT_A_NAME = frozenset("He She It They We I You The This That These Those His Her Its Their Our".split())


def persons(doc, vocab: Vocabulary) -> Iterator[Claim]:
    """Person + title: "Hungarian Prime Minister Viktor Orban"; compared across the corpus."""
    for m in _patterns(vocab)["person"].finditer(doc.text):
        title = m.group("title")
        if title[0].islower() and not m.group("nat"):
            continue  # "the president said" is not a title before a name
        after_title = doc.text[m.end("title") : m.end("title") + 1]
        if after_title == "." and title.lower() not in _ABBREVIATED_TITLES:
            continue  # "... the King. He said": a sentence ends after the title
        name = m.group("name")
        possessive = re.search(r"['’]s\b", name)
        if possessive:  # "Defence Secretary Geoff Hoon's Ashfield seat": the name ends at the possessive
            name = name[: possessive.start()]
        if name.split()[0] in _NOT_A_NAME:
            continue
        # a title followed by a sentence-initial word or a place ("Putin in Moscow") is not a name
        name_words = name.split()
        while name_words and (name_words[-1] in vocab.places or name_words[-1] in vocab.nationalities):
            name_words.pop()
        if not name_words or name_words[0] in vocab.nationalities or name_words[0] in vocab.places:
            continue
        name = " ".join(name_words)
        office = vocab.offices[title.lower()]
        nat_raw = m.group("nat")
        nationality = None
        if nat_raw:
            nationality = vocab.nationalities.get(nat_raw) or vocab.places.get(nat_raw)
        if m.group("quals"):
            office = f"{m.group('quals').strip().lower().rstrip('-')} {office}"
        yield _person_claim(doc, name, office, nationality, m.start(), m.start("name") + len(name), doc.text[m.start("title") : m.end("title")])


def _person_claim(doc, name: str, office: str, nationality: str | None, start: int, end: int, title: str, **extra: Any) -> Claim:
    """A person + title claim over doc.text[start:end] ("Hungarian Prime Minister Viktor Orban")."""
    return Claim(
        kind="person-title",
        subject=person_key(name),
        value=(office, nationality),
        display=" ".join(x for x in (nationality, _offices.title_case(office)) if x),
        start=start,
        end=end,
        text=doc.text[start:end],
        context=name,
        event_bound=False,
        extra={"person": name, "title": " ".join(title.split()), **extra},
    )


# words that open a sentence or a phrase before a name in apposition ("On Tuesday Boris Johnson, the ...")
_NOT_NAME_WORDS = _NOT_A_NAME | frozenset(
    "On In At After Before When While But And As Yesterday Today Meanwhile Also Mr Mrs Ms Dr Sir Lord Lady".split()
) | frozenset(w.capitalize() for w in (*WEEKDAYS, *_MONTHS))


def appositions(doc, vocab: Vocabulary) -> Iterator[Claim]:
    """Person + title in apposition ("Boris Johnson, the British President,"): the span is the title."""
    for m in _patterns(vocab)["apposition"].finditer(doc.text):
        first = m.group("name") is not None
        words = (m.group("name") if first else m.group("name2")).split()
        while words and words[0] in _NOT_NAME_WORDS:
            words.pop(0)
        if not words or words[0] in vocab.places or words[0] in vocab.nationalities or words[-1] in vocab.places:
            continue
        name = " ".join(words)
        nat_raw, title = (m.group("nat"), m.group("title")) if first else (m.group("nat2"), m.group("title2"))
        nationality = vocab.nationalities.get(nat_raw) or vocab.places.get(nat_raw)
        office = vocab.offices[title.lower()]
        start = m.start("nat") if first else m.start("nat2")
        end = m.end("title") if first else m.end("title2")
        yield _person_claim(doc, name, office, nationality, start, end, title, apposition=True)


def offices_of_countries(doc, vocab: Vocabulary) -> Iterator[Claim]:
    """Person + an office of a country: "President of the United Kingdom Boris Johnson" (the span runs
    to the name, as for "British President Boris Johnson"), and in apposition "Boris Johnson, President
    of the United Kingdom," or "the president of Britain, Boris Johnson," (the span is the office)."""
    pats = _patterns(vocab)
    if not pats["of_land"].search(doc.text):
        return
    for m in pats["title_of"].finditer(doc.text):
        if m.group("title3") is not None:
            raw, title, land, apposed = m.group("name3"), m.group("title3"), m.group("land3"), True
            start, end = m.span("office3")
        else:
            raw, title, land = m.group("name") or m.group("name2"), m.group("title"), m.group("land")
            apposed = m.group("name2") is not None
            start, end = m.start(), (m.end("land") if apposed else m.end("name"))
        words = raw.split()
        possessive = re.search(r"['’]s$", words[-1])
        if possessive:
            words[-1] = words[-1][: possessive.start()]
        if m.group("title3") is not None:
            while words and words[0] in _NOT_NAME_WORDS:
                words.pop(0)
        while words and (words[-1] in vocab.places or words[-1] in vocab.nationalities):
            words.pop()
        if not words or words[0] in _NOT_A_NAME or words[0] in vocab.places or words[0] in vocab.nationalities:
            continue
        if not apposed and len(words) < 2:
            continue  # "president of the Pakistan Association": a one-word "name" may go on an organisation's
        name = " ".join(words)
        if not apposed:
            end = m.start("name") + len(name)
        office = vocab.offices[title.lower()]
        if m.group("title3") is None and m.group("quals"):
            office = f"{m.group('quals').strip().lower().rstrip('-')} {office}"
        extra = {"apposition": True} if apposed else {}
        yield _person_claim(doc, name, office, vocab.countries[land], start, end, title, **extra)




# double quotation marks as English, French and Russian («»), German („“, »«) and Swiss (‹›) write them,
# as translations keep them; which way each faces is read from its neighbours first, as for straight ones
_MARK = re.compile(r"[“”\"«»„‹›]")
_OPENING_GLYPHS, _CLOSING_GLYPHS = "“«„‹", "”»›"
_OPEN_BEFORE = " \t\n([{—–-/'‘"
_CLOSE_AFTER = " \t\n,.;:!?)]}—–-'’…"


def quote_spans(text: str) -> Iterator[tuple[int, int, int, int]]:
    """(opening mark, quote start, quote end, end after the closing mark) of each direct quote.

    Straight quotes do not say which way they face, so every mark is read by its neighbours: after
    a space and before a word it opens, after a word and before a space or punctuation it closes.
    A quote that runs on into a new paragraph or meets another opening mark ends there (the
    convention for quotes of several paragraphs), so one missing mark never shifts the pairing of
    all the quotes after it. A curly mark written the wrong way round is read by its position too.
    """
    open_at = None
    for m in _MARK.finditer(text):
        i, ch = m.start(), m.group(0)
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        opens = prev in _OPEN_BEFORE and nxt not in " \t\n"
        closes = prev not in " \t\n" and nxt in _CLOSE_AFTER
        if opens == closes:  # both or neither: the glyph decides, a straight mark is skipped
            opens, closes = ch in _OPENING_GLYPHS, ch in _CLOSING_GLYPHS
        if open_at is not None:
            newline = text.find("\n", open_at, i)
            if newline != -1:  # the quote ran to the end of its paragraph
                if newline - open_at - 1 >= 8:
                    yield open_at, open_at + 1, newline, newline
                open_at = None
        if closes and open_at is not None:
            if i - open_at - 1 >= 8:
                yield open_at, open_at + 1, i, i + 1
            open_at = None
        elif opens:
            if open_at is not None and i - open_at - 1 >= 8:
                yield open_at, open_at + 1, i, i  # unclosed: ends where the next quote opens
            open_at = i
    if open_at is not None:
        end = text.find("\n", open_at)
        end = len(text) if end == -1 else end
        if end - open_at - 1 >= 8:
            yield open_at, open_at + 1, end, end
_SAY = r"(?:said|says|added|warned|stressed|asked|told|claimed|insisted|explained|noted|asserted|declared|urged)"
_NAME = r"(?P<name>[A-Z][a-zà-ÿ'’-]+(?:\s+[A-Z][a-zà-ÿ'’-]+){0,2})"
# after a quote, a name may come with its title: ",” Russian Foreign Minister Sergey Lavrov said"
_TITLED_NAME = r"(?:[A-Z][a-zà-ÿ'’-]+\s+){1,4}?" + _NAME
# people mentioned by honorific ("Mr Blair", "Dr Fox", "Ms Kelly"): who a later "he said" may mean
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Lord|Lady|Sir|Dame|Prof|Professor)\.?\s+(?P<name>[A-Z][a-zà-ÿ'’-]+)")
# "the minister", "the education secretary" (lower case: "the Russian President" names an office
# whose holder the article says elsewhere, not the person last named)
_ROLE_SUBJECT = re.compile(r"^[Tt]he\s+(?:[a-z-]+\s+){0,2}(?:minister|secretary|president|chancellor|leader|chairman|chairwoman|spokesman|spokeswoman|senator|premier)\b")


_SAID_BEFORE = re.compile(
    r"(?P<subj>[^,;:.!?“”\"\n]*?)\s+(?:has\s+|have\s+|had\s+)?"
    rf"(?:{_SAY[3:-1]}|confirmed|announced|stated|wrote|reported|argued|replied|tweeted)\b[^“”\"\n]*$"
)
_PRONOUNS = frozenset("he she they it who which we i you".split())


@functools.lru_cache(maxsize=1)
def _speaker_titles() -> tuple[str, ...]:
    return tuple(vocabulary().offices) + ("leader", "head", "chief")


def _speaker(doc, start: int, end: int, known: Mapping[str, str], previous: tuple[str, int] | None = None) -> str | None:
    """Who is quoted: a name next to a speech verb after the quote ("said race director Matthew
    Turnbull", "Roy Asher, chief investment officer, told Reuters"), the subject of a speech verb
    before it ("Ms Kelly said:", "US State Department officials confirmed that"); a pronoun ("he
    said") or no attribution continues the previous quote's speaker when that quote is close; else
    a known person named earlier in the sentence, else the person the document names most often."""
    after = doc.text[end : end + 120]
    pronoun = False
    for pattern in (
        rf"^[,.]?\s*{_NAME}\s+{_SAY}\b",
        rf"^[,.]?\s*{_TITLED_NAME}\s+{_SAY}\b",
        rf"^[,.]?\s*{_SAY}\s+(?:[a-z]+\s+){{0,3}}{_NAME}",
        rf"^[,.]?\s*{_NAME},[^“”\"\n,]{{3,80}},\s*{_SAY}\b",
        rf"^[,.]?\s*(?:a|an|the)\s+(?P<name>(?:[A-Z][\w-]+\s+)*[a-z]+)\s+{_SAY}\b",
    ):
        m = re.search(pattern, after)
        if m and m.group("name") not in ("He", "She", "They", "It", "The", "But", "And", "This"):
            key = person_key(m.group("name"))
            return known.get(key, m.group("name"))
    if re.search(rf"^[,.]?\s*(?:he|she|they)\s+{_SAY}\b", after, re.I):
        pronoun = True
    sent_start, _ = _sentence_bounds(doc, start)
    before = doc.text[max(sent_start, start - 250) : start]
    # reported speech: "US State Department officials confirmed on Monday that they had “…”" quotes
    # the officials, not the person the article is about
    m = _SAID_BEFORE.search(before)
    if m:
        words = m.group("subj").split()
        names = [w for w in words if w[:1].isupper()]
        if words and (words[-1].lower() in _PRONOUNS or _ROLE_SUBJECT.match(" ".join(words))):
            pronoun = True  # "he told", "The minister also confirmed she": someone named before
        elif words:
            for w in reversed(names):
                if person_key(w) in known:
                    return known[person_key(w)]
            phrase = " ".join(words[-5:])
            titled = any(re.search(rf"\b{re.escape(t)}\b", phrase.lower()) for t in _speaker_titles())
            if not titled and words[-1].lower() not in _STOP:
                return phrase  # "the Russian President" is the article's person; "officials" are not
    close = previous is not None and 0 <= start - previous[1] <= 600
    if pronoun:
        named = _last_subject(doc, start, known, previous[1] if close else None)
        if named:
            return named  # "Mr Kennedy is touring the north. He said: “…”": the person the sentence before was about
    if pronoun and close:
        return previous[0]  # "...," he said: the speaker of the quote just before
    best, best_pos = None, -1
    for name in known.values():
        pos = before.rfind(name.split()[-1])
        if pos > best_pos:
            best, best_pos = name, pos
    if best:
        return best
    if close and not m:
        return previous[0]  # a quote running on from the one before
    counts = {name: doc.text.count(name.split()[-1]) for name in known.values()}
    return max(counts, key=lambda n: (counts[n], n)) if counts else None


def _last_subject(doc, start: int, known: Mapping[str, str], after: int | None) -> str | None:
    """Who a pronoun at ``start`` most likely means: the first person named (by honorific, or a
    known person's surname) in the nearest sentence before it that names one, within 400
    characters and after the previous quote (``after``), which otherwise keeps the speaker."""
    floor = max(0, start - 400, after or 0)
    sent_start, _ = _sentence_bounds(doc, start)
    end = sent_start if sent_start > floor else start
    while end > floor:
        s0, _ = _sentence_bounds(doc, max(floor, end - 1))
        s0 = max(s0, floor)
        piece = _outside_quotes(doc.text[s0:end])
        found = [(m.start(), m.group("name")) for m in _HONORIFIC.finditer(piece)]
        for name in known.values():
            last = name.split()[-1]
            m = re.search(rf"\b{re.escape(last)}\b", piece)
            if m:
                found.append((m.start(), name))
        if found:
            name = min(found)[1]
            return known.get(person_key(name), name)
        if s0 >= end:
            break
        end = s0
    return None


def _outside_quotes(text: str) -> str:
    """The text with quoted stretches blanked (same length): a name inside a quote is not a subject."""
    return re.sub(r"[“\"][^“”\"]*[”\"]", lambda m: " " * len(m.group(0)), text)


def quotes(doc, vocab: Vocabulary, known_people: Mapping[str, str] | None = None) -> Iterator[Claim]:
    """Direct quotes, one claim per quoted sentence, with the speaker; compared within the event."""
    known = dict(known_people or {})
    previous: tuple[str, int] | None = None
    for open_at, q_start, q_end, close_end in quote_spans(doc.text):
        inner = doc.text[q_start:q_end]
        if len(content_words(inner)) < 2:
            continue
        speaker = _speaker(doc, open_at, close_end, known, previous)
        previous = (speaker, close_end) if speaker else previous
        for s in re.finditer(r"[^.?!…]+(?:[.?!…]+|$)", inner):
            sent = s.group(0)
            lead = len(sent) - len(sent.lstrip(" .,;:"))
            a, b = q_start + s.start() + lead, q_start + s.end()
            while b > a and doc.text[b - 1] in " ,;:":
                b -= 1
            words = content_words(doc.text[a:b])
            if len(re.findall(r"\w+", doc.text[a:b])) < 3 or not words:
                continue
            yield Claim(
                kind="quote",
                subject=person_key(speaker) if speaker else "?",
                value=normalise_quote(doc.text[a:b]),
                display=" ".join(doc.text[a:b].split()),
                start=a,
                end=b,
                text=doc.text[a:b],
                context=" ".join(words),
                event_bound=True,
                extra={"speaker": speaker},
            )


def normalise_quote(text: str) -> str:
    """Quote wording for comparison: folded, apostrophes unified, punctuation dropped."""
    t = fold(text).replace("’", "'").replace("‘", "'")
    return " ".join(re.findall(r"[a-z0-9']+", t))


def extract(doc, vocab: Vocabulary | None = None) -> list[Claim]:
    """All claims of a document, in text order."""
    vocab = vocab or vocabulary()
    people = list(persons(doc, vocab))
    for more in (appositions(doc, vocab), offices_of_countries(doc, vocab)):
        people += [c for c in more if not any(p.start < c.end and c.start < p.end for p in people)]
    people.sort(key=lambda c: c.start)
    known = {c.subject: c.extra["person"] for c in people}
    for c in people:  # prefer the fullest name seen for each person
        if len(c.extra["person"]) > len(known[c.subject]):
            known[c.subject] = c.extra["person"]
    taken: list[tuple[int, int]] = [(c.start, c.end) for c in people]
    out = list(people)
    for c in dates(doc, vocab):
        out.append(c)
        taken.append((c.start, c.end))
    for c in numbers(doc, vocab):
        if any(a < c.end and c.start < b for a, b in taken):
            continue
        out.append(c)
    for c in years(doc, vocab):
        if any(a < c.end and c.start < b for a, b in taken):
            continue
        out.append(c)
    spans = [(q_start, q_end) for _, q_start, q_end, _ in quote_spans(doc.text)]
    if spans:
        # a figure inside quoted speech ("not one centimeter to the east") is the speaker's words,
        # compared as part of the quote, not a figure the source itself reports
        out = [
            dataclasses.replace(c, extra={**c.extra, "quoted": True})
            if c.kind != "person-title" and any(a <= c.start and c.end <= b for a, b in spans)
            else c
            for c in out
        ]
    out.extend(quotes(doc, vocab, known))
    out.sort(key=lambda c: (c.start, c.end, c.kind))
    return out
