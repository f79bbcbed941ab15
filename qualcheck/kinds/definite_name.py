"""definite-name: a name that English always gives "the", written bare after a preposition or verb ("in Kremlin").

Languages without articles give machine translation and their writers no cue for "the", and the
names of seats of power, institutions and some countries are where it shows most: "talks in
Kremlin", "a statement from White House", "joined European Union". The names, the words that may
stand before them and the words that may follow them are lists in the rule's YAML; verbs are given
as lemmas and matched in every form (lemminflect). A name followed by anything else is a modifier
("Kremlin officials", "White House sources", "in European Union law") and is not flagged; nor is a
headline, which drops articles by design.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator

from qualcheck import saferegex
from qualcheck.kinds import kind
from qualcheck.model import Finding, Span

_SENTENCE_END = re.compile(r"[.!?:;\"'”’)…]\s*$")


@dataclass(frozen=True, slots=True)
class DefiniteNameParams:
    """``names``: each a name, or "The Hague" when the article is part of the name (inserted as written)."""

    names: tuple[str, ...]
    prepositions: tuple[str, ...] = ()  # "in", "from": flagged when the name follows one directly
    verbs: tuple[str, ...] = ()  # lemmas ("visit", "join"): flagged in any form ("visited Kremlin")
    followed_by: tuple[str, ...] = ()  # words after the name that end its phrase ("on", "that", "last"), besides punctuation

    def __post_init__(self) -> None:
        if not self.names:
            raise ValueError("names: give at least one name")
        if not self.prepositions and not self.verbs:
            raise ValueError("prepositions, verbs: give the words that may stand before a name")
        for name in ("names", "prepositions", "verbs", "followed_by"):
            if any(not isinstance(w, str) or not w.strip() for w in getattr(self, name)):
                raise ValueError(f"{name.replace('_', '-')}: give non-empty words")


@dataclass(frozen=True)
class _Prepared:
    params: DefiniteNameParams
    articles: dict[str, str]  # name -> the article to insert ("the", or "The" for "The Hague")

    @functools.cached_property
    def pattern(self) -> saferegex.GuardedPattern:
        """The names after their words, built at first use: the verbs' forms come from lemminflect (through
        the user cache, so a run need not load its tables), which a run that selects no grammar rule (or
        only lists them) should not load."""
        from qualcheck.backends import inflection

        p = self.params
        words = {w.lower() for w in p.prepositions}
        for forms in inflection.forms(p.verbs, upos="VERB").values():  # kept in the user cache between runs
            words.update(forms)
        # a capital first letter is allowed for the word before ("In Kremlin, ..."), the name's case is exact
        before = _by_first_letter(sorted(words, key=len, reverse=True))
        ends = r"[ \t]*(?:[.,;:!?)\"”]|$)" + (rf"|[ \t]+(?:{_alternation(p.followed_by)})\b" if p.followed_by else "")
        return saferegex.compile(rf"(?<![\w’'-])(?P<before>{before})[ \t]+(?P<name>{_alternation(self.articles)})(?=(?:{ends}))", re.M)


def _by_first_letter(words: list[str]) -> str:
    """``[vV]isited|[vV]isit|[jJ]oined|...`` as ``[vV](?:isited|isit)|[jJ](?:oined)``: the same matches
    (at a position only the words of one first letter can match, and they are tried in the same
    order), but the engine tests the first letter once instead of once for every word, at every
    character of every document (GR204's scan in about half the time)."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(f"[{w[0]}{w[0].upper()}]", []).append(re.escape(w[1:]))
    letters = [c for key in groups for c in set(key[1:-1])]
    if len(letters) != len(set(letters)):  # a word given with a capital: classes overlap, keep one alternation
        return "|".join(f"[{w[0]}{w[0].upper()}]{re.escape(w[1:])}" for w in words)
    return "|".join(f"{key}(?:{'|'.join(rests)})" for key, rests in groups.items())


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _prepare(p: DefiniteNameParams) -> _Prepared:
    articles = {}
    for entry in p.names:
        article, _, bare = entry.partition(" ") if entry.startswith(("The ", "the ")) else ("the", "", entry)
        articles[bare] = article
    return _Prepared(p, articles)


@kind("definite-name", params=DefiniteNameParams, prepare=_prepare)
def definite_name(doc, rule, ctx) -> Iterator[Finding]:
    """Flag each listed name standing bare after a listed preposition or verb, outside headlines."""
    text = doc.text
    title = doc.meta.title_span
    for m in rule.prepared.pattern.finditer(text):
        if title and title.start <= m.start() < title.end:
            continue
        if _headline(doc, m.start()):
            continue
        name = m.group("name")
        replacement = f"{m.group('before')} {rule.prepared.articles[name]} {name}"
        yield rule.finding(doc, Span(m.start(), m.end()), replacement=replacement, suggestions=(replacement,))


def _headline(doc, offset: int) -> bool:
    """Whether ``offset`` lies in a one-line paragraph that does not end like a sentence (a headline or crosshead)."""
    for p in doc.paragraphs:
        if p.start <= offset < p.end:
            chunk = doc.text[p.start : p.end]
            return "\n" not in chunk and not _SENTENCE_END.search(chunk)
    return False
