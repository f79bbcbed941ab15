"""Knowledge of national offices (rules/agreement/data/offices.yaml): which titles exist in a country
and who held them when, so a wrong title ("British President Boris Johnson") is caught even when no
other source names the person, and a title that fits the record is never outvoted by sources.

A verdict is given only where the file is sure: the office does not exist in that country, or the
person is listed there and the office is one whose holders the file lists completely. Everything
else is left to the other sources.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

from qualcheck.errors import QualcheckError, RuleFileError
from qualcheck.metadata import MONTH_NUMBERS, WEEKDAYS


class OfficesFileError(RuleFileError):
    """The offices file is invalid; one line naming the file, the key and the problem."""

    def __init__(self, message: str) -> None:
        QualcheckError.__init__(self, message)
        self.path, _, rest = message.partition(": ")
        key, sep, problem = rest.partition(": ")
        self.key, self.problem = (key, problem) if sep else (None, rest)


# a capitalised word right before a title that is not another body's name ("EU Commission President"):
# function words, and the time words and connectives a sentence opens with ("On Tuesday Foreign
# Secretary X", "Earlier Chancellor Y", "In March Prime Minister Z"); words in -ly open sentences too
_FUNCTION_WORDS = frozenset(
    "the a an and but or so then when as if yet while after before now meanwhile since because with by for of to"
    " at on in from said says told added earlier later yesterday today tonight tomorrow also however instead"
    " separately still last next this".split()
) | frozenset(MONTH_NUMBERS) | frozenset(WEEKDAYS)
SLACK = _dt.timedelta(days=30)  # articles written around a hand-over still use the old title
_PAST = ("former ", "late ", "ex ")


@dataclass(frozen=True)
class Term:
    """One person's time in one office."""

    office: str
    name: str
    first: tuple[str, ...]  # folded first-name tokens ("boris",); empty for a one-word alias
    start: _dt.date
    end: _dt.date | None

    def covers(self, day: _dt.date, slack: _dt.timedelta = SLACK) -> bool:
        return self.start - slack <= day and (self.end is None or day <= self.end + slack)

    def years(self) -> str:
        if self.end is None:
            return f"since {self.start.year}"
        if self.end.year == self.start.year:
            return str(self.start.year)
        return f"{self.start.year}–{self.end.year}"


@dataclass(frozen=True)
class Country:
    key: str  # the nationality word claims use ("British")
    name: str  # "the United Kingdom"
    no_such: frozenset[str]
    equivalent: Mapping[str, str]
    terms: Mapping[str, tuple[Term, ...]]  # person key -> terms (also under each alias's key)
    holders: Mapping[str, tuple[Term, ...]]  # office -> its terms, in order
    aliases: Mapping[str, tuple[str, ...]]  # person key -> folded first names the alias allows
    junior: frozenset[str] = frozenset()  # written titles that name a junior post here ("Health Minister" in the UK)
    complete: frozenset[str] = frozenset()  # holders whose every career office (Offices.career) is listed here

    def office(self, office: str) -> str:
        return self.equivalent.get(office, office)

    def candidates(self, person: str) -> list[Term]:
        """The terms of listed people this name can be: same surname key, compatible first names."""
        from qualcheck.agreement.claims import fold, person_key

        key = person_key(person)
        first = tuple(fold(w).strip(".") for w in person.split()[:-1])
        out = []
        for t in self.terms.get(key, ()):
            if _first_compatible(first, t.first) or (not first and key in self.aliases):
                out.append(t)
        return out

    def possessive(self) -> str:
        return f"{self.name}'s" if not self.name.endswith("s") else f"{self.name}'"


@dataclass(frozen=True)
class Verdict:
    """What the offices file says about one person + title claim."""

    consistent: bool
    reason: str = ""  # for messages: "the United Kingdom has no President; Boris Johnson was its Prime Minister (2019–2022)"
    suggestion: str | None = None  # the title to write instead ("Prime Minister"), when known
    nationality: str | None = None  # the nationality to write instead, when the person holds the office elsewhere
    # confirmed only because the person held the office at some time, in an article with no date and
    # no dating evidence that ends ("in 2004" says only "2004 or later"): the established sources of
    # a changed-articles run may still place it
    undated: bool = False
    office: str | None = None  # when consistent: the office as the file names it ("united-kingdom:chancellor")


@dataclass(frozen=True)
class Offices:
    countries: Mapping[str, Country]
    forms: Mapping[str, str]  # adjective or abbreviation -> country key
    places: Mapping[str, str]  # country name -> country key
    checked_until: _dt.date
    blockers: frozenset[str]  # words before a title that make it another office
    career: frozenset[str] = frozenset()  # the offices a complete career (Country.complete) accounts for


def _first_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two first-name lists can be one person (Sergei ~ Sergey, "Tayyip" ~ "Recep Tayyip")."""
    if not a or not b:
        return False
    for x in a:
        for y in b:
            if x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
                return True
            if len(x) > 2 and len(y) > 2 and difflib.SequenceMatcher(None, x, y).ratio() >= 0.75:
                return True
    return False


_SMALL_WORDS = frozenset({"of", "the", "and", "for"})


def title_case(office: str) -> str:
    """An office as a title is written: "Secretary of State", "Minister for Europe"."""
    return " ".join(w if i and w in _SMALL_WORDS else w.capitalize() for i, w in enumerate(office.split()))


# ------------------------------------------------------------------------------------------------
# loading and validation


def _date(value: Any, where: str, allow_none: bool = False) -> _dt.date | None:
    if value is None and allow_none:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise OfficesFileError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _list_of_str(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise OfficesFileError(f"{where}: must be a list of words")
    return value


_COUNTRY_KEYS = {"country", "forms", "places", "no-such-office", "equivalent", "aliases", "holders", "junior-titles", "complete-careers"}


def load(path: str | None = None, known_offices: frozenset[str] | None = None) -> Offices:
    """Read and validate the offices file (default: the bundled one); errors name the file and key.

    ``known_offices``: the offices titles.yaml names (default: read from the file's folder), so the
    claim vocabulary's call and the agreement rule's share one cached reading."""
    from qualcheck.bundled import bundled_rules_dir

    file = Path(path) if path else bundled_rules_dir() / "agreement" / "data" / "offices.yaml"
    if known_offices is None:
        from qualcheck.agreement.claims import vocabulary

        known_offices = frozenset(vocabulary(str(file.parent) if path else None, with_offices=False).offices.values())
    return _load(path, known_offices)


@functools.lru_cache(maxsize=4)
def _load(path: str | None, known_offices: frozenset[str]) -> Offices:
    from qualcheck.agreement.claims import fold, person_key
    from qualcheck.bundled import bundled_rules_dir

    file = Path(path) if path else bundled_rules_dir() / "agreement" / "data" / "offices.yaml"
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, ValueError, yaml.YAMLError) as exc:  # yaml raises ValueError on "1997-13-02"
        raise OfficesFileError(f"{file}: cannot read the offices file: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict) or not isinstance(data.get("countries"), dict):
        raise OfficesFileError(f"{file}: countries: must be a mapping of nationality -> country entry")
    unknown = set(data) - {"checked-until", "not-the-office-after", "career-offices", "countries"}
    if unknown:
        raise OfficesFileError(f"{file}: {sorted(unknown)[0]}: unknown key")
    checked = _date(data.get("checked-until"), f"{file}: checked-until")
    blockers = frozenset(w.lower() for w in _list_of_str(data.get("not-the-office-after"), f"{file}: not-the-office-after"))
    countries: dict[str, Country] = {}
    forms: dict[str, str] = {}
    places: dict[str, str] = {}
    for key, entry in data["countries"].items():
        where = f"{file}: countries.{key}"
        if not isinstance(entry, dict):
            raise OfficesFileError(f"{where}: must be a mapping")
        bad = set(entry) - _COUNTRY_KEYS
        if bad:
            close = difflib.get_close_matches(sorted(bad)[0], sorted(_COUNTRY_KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise OfficesFileError(f"{where}.{sorted(bad)[0]}: unknown key{hint}")
        if not isinstance(entry.get("country"), str):
            raise OfficesFileError(f"{where}.country: the country's name is required")

        def office_name(name: Any, at: str) -> str:
            if not isinstance(name, str) or name not in known_offices:
                close = difflib.get_close_matches(str(name), sorted(known_offices), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise OfficesFileError(f"{at}: {name!r} is not an office of titles.yaml{hint}")
            return name

        for form in _list_of_str(entry.get("forms"), f"{where}.forms") + [key]:
            if forms.get(form, key) != key:
                raise OfficesFileError(f"{where}.forms: {form!r} already names {forms[form]}")
            forms[form] = key
        for place in _list_of_str(entry.get("places"), f"{where}.places"):
            if places.get(place, key) != key:
                raise OfficesFileError(f"{where}.places: {place!r} already names {places[place]}")
            places[place] = key
        no_such = frozenset(office_name(o, f"{where}.no-such-office") for o in _list_of_str(entry.get("no-such-office"), f"{where}.no-such-office"))
        equivalent = {}
        for a, b in (entry.get("equivalent") or {}).items():
            equivalent[office_name(a, f"{where}.equivalent")] = office_name(b, f"{where}.equivalent.{a}")
        holders: dict[str, tuple[Term, ...]] = {}
        by_person: dict[str, list[Term]] = {}
        names: set[str] = set()
        for office, rows in (entry.get("holders") or {}).items():
            office_name(office, f"{where}.holders")
            if office in no_such:
                raise OfficesFileError(f"{where}.holders.{office}: listed in no-such-office too")
            if not isinstance(rows, list) or not rows:
                raise OfficesFileError(f"{where}.holders.{office}: must be a list of [name, from, to]")
            terms = []
            for i, row in enumerate(rows):
                at = f"{where}.holders.{office}[{i}]"
                if not isinstance(row, list) or len(row) != 3 or not isinstance(row[0], str):
                    raise OfficesFileError(f"{at}: must be [name, from, to] (to: null while in office)")
                start, end = _date(row[1], at), _date(row[2], at, allow_none=True)
                if end is not None and end < start:
                    raise OfficesFileError(f"{at}: ends ({end}) before it starts ({start})")
                if terms and start < terms[-1].start:
                    raise OfficesFileError(f"{at}: terms must be in date order")
                name = row[0]
                t = Term(office, name, tuple(fold(w).strip(".") for w in name.split()[:-1]), start, end)
                terms.append(t)
                names.add(name)
                by_person.setdefault(person_key(name), []).append(t)
            holders[office] = tuple(terms)
        alias_firsts: dict[str, tuple[str, ...]] = {}
        for alias, target in (entry.get("aliases") or {}).items():
            if target not in names:
                raise OfficesFileError(f"{where}.aliases.{alias}: {target!r} is not a holder listed for {key}")
            akey = person_key(alias)
            first = tuple(fold(w).strip(".") for w in alias.split()[:-1])
            for t in [t for ts in holders.values() for t in ts if t.name == target]:
                alias_t = Term(t.office, t.name, first, t.start, t.end)
                if alias_t not in by_person.setdefault(akey, []):
                    by_person[akey].append(alias_t)
            if not first:
                alias_firsts[akey] = ()
        complete = frozenset(_list_of_str(entry.get("complete-careers"), f"{where}.complete-careers"))
        for name in sorted(complete - names):
            raise OfficesFileError(f"{where}.complete-careers: {name!r} is not a holder listed for {key}")
        countries[key] = Country(
            key=key,
            name=entry["country"],
            no_such=no_such,
            equivalent=equivalent,
            terms={k: tuple(v) for k, v in by_person.items()},
            holders=holders,
            aliases=alias_firsts,
            junior=frozenset(t.lower() for t in _list_of_str(entry.get("junior-titles"), f"{where}.junior-titles")),
            complete=complete,
        )
    career = frozenset(_list_of_str(data.get("career-offices"), f"{file}: career-offices"))
    for office in sorted(career - known_offices):
        raise OfficesFileError(f"{file}: career-offices: {office!r} is not an office of titles.yaml")
    return Offices(countries, forms, places, checked, blockers, career)


# ------------------------------------------------------------------------------------------------
# verdicts


def _held(terms: list[Term], office: str) -> list[Term]:
    return [t for t in terms if t.office == office]


def _left_long_before(mine: list[Term], day: _dt.date, sentence: str) -> bool:
    """Every term of the office ended more than ``SLACK`` (a hand-over) before ``day``, and the sentence
    does not set itself in the past (a retrospective word, or a year up to the last term's end)."""
    if any(t.end is None or day <= t.end + SLACK for t in mine):
        return False
    if _RETROSPECTIVE.search(sentence):
        return False
    last_end = max(t.end for t in mine if t.end is not None)
    return not any(int(y) <= last_end.year for y in _YEAR.findall(sentence))


def _describe(country: Country, person: str, terms: list[Term], day: _dt.date | None) -> tuple[str, str | None]:
    """"Boris Johnson was its Prime Minister (2019–2022)" and the title to suggest (held on ``day``
    if known, else the latest)."""
    if not terms:
        return "", None
    now = [t for t in terms if day and t.covers(day, _dt.timedelta(0))]
    pick = now[0] if now else (
        max((t for t in terms if day is None or t.start <= day), key=lambda t: t.start, default=None) or terms[-1]
    )
    verb = "is" if pick.end is None and (day is None or now) else "was"
    return f"{person} {verb} {country.possessive()} {title_case(pick.office)} ({pick.years()})", title_case(pick.office)


def _holder_on(country: Country, office: str, day: _dt.date) -> Term | None:
    for t in country.holders.get(office, ()):
        if t.covers(day, _dt.timedelta(0)):
            return t
    return None


def _resolve(claim, offices: Offices, before: str):
    """[(country, office, person, has first name, former, nationality given, written title)] for each
    country the claim can be about, or None ("Shadow Chancellor", another body's office, no country)."""
    from qualcheck.agreement.claims import person_key as claims_key

    office, nat = claim.value
    words = before.split()
    last = words[-1].lower().strip("-–(") if words else ""
    if last + " " in _PAST and not office.startswith(_PAST):
        office = last + " " + office  # "former-President X", "ex-Home Secretary X": judged as a past office
    elif last in offices.blockers:
        return None
    same_line = before.rsplit("\n", 1)[-1]
    prev = same_line.split()[-1] if same_line.endswith(" ") and same_line.split() else ""
    if nat is None and prev.isalpha() and prev[0].isupper() and prev.lower() not in _FUNCTION_WORDS and not _opens_sentence_as_adverb(same_line, prev):
        return None  # "EU Commission President Romano Prodi", "World Bank President": another body's office
    former = office.startswith(_PAST)
    for past in _PAST:
        office = office.removeprefix(past)
    if office.split()[0] in ("acting", "interim", "deputy", "vice") and office != "vice president":
        return None  # "deputy prime minister", "acting president": another office
    person = claim.extra.get("person", "")
    written = claim.extra.get("title", "")
    has_first = len(person.split()) > 1
    if nat is not None:
        country = offices.countries.get(nat)
        if country is None:
            return None
        return [(country, country.office(office), person, has_first, former, True, written)]
    # no nationality: judge by the countries where a person of that full name is listed, or whose
    # file lists the surname alone as a holder's short name ("President Putin")
    homes = [c for c in offices.countries.values() if (has_first or claims_key(person) in c.aliases) and c.candidates(person)]
    return [(c, c.office(office), person, has_first, former, False, written) for c in homes] or None


def _opens_sentence_as_adverb(line: str, word: str) -> bool:
    """Whether ``word`` (the last word of ``line``) opens its sentence and reads as an adverb ("Recently")."""
    head = line.rstrip()[: -len(word)].rstrip()
    return word.lower().endswith("ly") and len(word) > 4 and (not head or head[-1] in ".!?\"”’:;")


# words in a claim's sentence that set it in the past ("In 2015, German Chancellor Angela Merkel opened the
# borders", "at the time", "under Chancellor Merkel"): a title its holder has since left is then right
_RETROSPECTIVE = re.compile(
    r"\b(?:then|at the time|when|while|during|under|back in|years? ago|previously|once|era|tenure|term|"
    r"government|administration|cabinet|in office|predecessor|succeeded|successor|former|late|ex|until|"
    r"anniversary|memoir\w*|legacy|recalled|remember\w*|history|historic\w*|had|used to)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


# a sentence ends at . ! ? before a capital (or at a line break), but not after an initial or a
# title's abbreviation ("U.S. President Barack Obama", "Mr. Obama")
_SENTENCE_END = re.compile(r"([.!?])[\"”’)\]]?\s+(?=[\"“‘(\[]?[A-Z0-9])|\n")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Ms|Mrs|Dr|St|Gen|Sen|Gov|Rep|Lt|Col|Jr|Sr|No|vs|Rev|Prof))$")


def _ends(text: str, lo: int, hi: int) -> Iterator[re.Match]:
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if m.group(1) == "." and _ABBREVIATION.search(text, max(0, m.start() - 5), m.start()):
            continue
        yield m


def sentence_around(text: str, start: int, end: int, reach: int = 300) -> str:
    """The sentence (or line) that holds text[start:end], within ``reach`` characters on each side."""
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    begin = lo
    for m in _ends(text, lo, start):
        begin = m.end()
    after = next(_ends(text, end, hi), None)
    return text[begin : after.start() + 1 if after else hi]


def verdict(claim, offices: Offices, day: _dt.date | None = None, before: str = "", period=None, sentence: str = "") -> Verdict | None:
    """The offices file's verdict on a person + title claim, or None where it is not sure.

    Args:
        claim: a ``person-title`` claim (value = (office, nationality)).
        day: the document's date, when known: the title is checked against who held what then.
        before: the text right before the claim ("Shadow" in "Shadow Chancellor X" makes it another office).
        period: for an undated document, when its own evidence dates it (``dating.Period``).
        sentence: the claim's sentence (``sentence_around``): with ``day``, a title its holder left
            long before is refuted unless the sentence sets itself in the past.
    """
    got = _resolve(claim, offices, before)
    if got is None:
        return None
    verdicts = [
        _judge(c, o, p, f, fo, day, offices, nat_given=n, written=w, period=period, sentence=sentence)
        for c, o, p, f, fo, n, w in got
    ]
    if len(verdicts) == 1:
        return verdicts[0]
    # a person listed in two places ("President Jose Manuel Barroso": Portugal's Prime Minister, the
    # European Commission's President): right if right in one, wrong only if wrong in every one
    if any(v is not None and v.consistent for v in verdicts):
        return Verdict(True)
    if all(v is not None for v in verdicts):
        suggestions = {v.suggestion for v in verdicts}
        return Verdict(False, "; ".join(v.reason for v in verdicts), suggestions.pop() if len(suggestions) == 1 else None)
    return None


def held_terms(claim, offices: Offices, before: str = "") -> list[Term]:
    """The terms in which the claim's person held the claimed office, by the file."""
    got = _resolve(claim, offices, before)
    if got is None or len(got) != 1:
        return []
    country, office, person = got[0][:3]
    return _held(country.candidates(person), office)


def _judge(country: Country, office: str, person: str, has_first: bool, former: bool, day, offices: Offices, nat_given: bool, written: str = "", period=None, sentence: str = "") -> Verdict | None:
    if written.lower() in country.junior:
        return None  # "Health Minister John Hutton": a minister of state, not the Health Secretary
    terms = country.candidates(person)
    named = has_first or bool(terms)  # a surname alone is judged only through a listed alias
    if office in country.no_such:
        text, suggestion = _describe(country, person, terms, day)
        if not nat_given and not terms:
            return None
        reason = f"{country.name} has no {title_case(office)}"
        return Verdict(False, f"{reason}; {text}" if text else reason, suggestion)
    if office not in country.holders:
        # the file does not list this office's holders: only a person whose whole career it lists
        # ("Health Secretary George W Bush") can be refuted
        if office in offices.career and terms and named and {t.name for t in terms} <= country.complete:
            text, suggestion = _describe(country, person, terms, day)
            return Verdict(False, f"{text}, never its {title_case(office)}", suggestion)
        return None
    if not terms or not named:
        if not nat_given or not has_first:
            return None
        # a listed holder of this office in another country, given the wrong nationality
        for other in offices.countries.values():
            if other is country or office not in other.holders:
                continue
            theirs = _held(other.candidates(person), other.office(office))
            if theirs:
                reason = f"{person} {'is' if theirs[-1].end is None else 'was'} {other.possessive()} {title_case(office)} ({theirs[-1].years()}), not {country.possessive()}"
                return Verdict(False, reason, title_case(office), other.key)
        return None
    mine = _held(terms, office)
    coverage = country.holders[office][0].start
    if day is not None and day < coverage:
        return None  # before the period the file covers
    if day is not None and not former:
        if any(t.covers(day) for t in mine):
            return Verdict(True, office=f"{country.key}:{office}")
        other_now = [t for t in terms if t.office != office and t.covers(day, _dt.timedelta(0))]
        if other_now and day <= offices.checked_until:
            holder = _holder_on(country, office, day)
            text, suggestion = _describe(country, person, other_now, day)
            then = f"; the {title_case(office)} then was {holder.name}" if holder and holder.name != person else ""
            return Verdict(False, f"on {day.isoformat()} {text}{then}", suggestion)
        if mine and not other_now and sentence and day <= offices.checked_until and _left_long_before(mine, day, sentence):
            # "German Chancellor Angela Merkel said on Tuesday" in February 2022: she had left in 2021
            holder = _holder_on(country, office, day)
            then = f"; the {title_case(office)} then was {holder.name}" if holder and holder.name != person else ""
            last = max(mine, key=lambda t: t.start)
            return Verdict(
                False,
                f"on {day.isoformat()} {person} was no longer {country.possessive()} {title_case(office)} ({last.years()})"
                f"{then}; write 'former' if the past office is meant",
            )
    if mine and day is None and period is not None and not former and period.start >= coverage:
        lo, hi = period.start - SLACK, (period.end or offices.checked_until) + SLACK
        if not any(t.start <= hi and (t.end is None or t.end >= lo) for t in mine):
            then = [t for t in terms if t.office != office and t.start <= hi and (t.end is None or t.end >= lo)]
            held = "; ".join(f"{person} was {country.possessive()} {title_case(t.office)} ({t.years()})" for t in then)
            mine_text = ", ".join(t.years() for t in mine)
            reason = f"{person} was {country.possessive()} {title_case(office)} only in {mine_text}, and {period.describe()}"
            suggestion = title_case(then[0].office) if len({t.office for t in then}) == 1 else None
            return Verdict(False, f"{reason}; {held}" if held else reason, suggestion)
    if mine:
        # held it at some time: a former holder keeps the title in many styles
        if day is None and (period is None or period.end is None) and not former:
            held = ", ".join(t.years() for t in mine)
            return Verdict(True, f"{person} was {country.possessive()} {title_case(office)} in {held}", undated=True, office=f"{country.key}:{office}")
        return Verdict(True, office=f"{country.key}:{office}")
    if day is not None and day > offices.checked_until:
        return None  # the file may not know of a newer appointment
    text, suggestion = _describe(country, person, terms, day)
    return Verdict(False, f"{text}, never its {title_case(office)}", suggestion)
