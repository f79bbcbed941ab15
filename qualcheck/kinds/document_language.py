"""Text that is not in English: a whole article never translated (a gate), or sentences left untranslated.

document-language: every other check reads English (a German article would get fifty
"misspellings"), so this kind is a gate: it runs first on each document, and when it flags one,
the engine runs no other document rule on it and leaves it out of the cross-source comparison,
saying so in a notice. passage-language: a sentence, or a run of them, left in the original
language inside an English article (the Latin-script case MT107's script test cannot see).
""" 

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from qualcheck.kinds import kind
from qualcheck.model import Finding, Span
from qualcheck.scoring import sentences as sentence_scores


@dataclass(frozen=True, slots=True)
class DocumentLanguageParams:
    """When a document counts as written in another language."""

    expected: str = "en"  # ISO 639-1 code of the language the checks read
    min_letters: int = 120  # langid.py guesses wildly on a few words: shorter documents are not judged
    min_probability: float = 0.95  # flag when the text is this sure not to be in the expected language
    # ... and when at most this share of the body's letters is in sentences read as the expected
    # language: an article half left in Spanish is a translation with holes (MT111), not an original
    max_expected_share: float = 0.2
    # a speed short-cut, not a signal: text these words make plain (``plainly_expected``) is not sent to langid
    plainly_expected_words: tuple[str, ...] = ()
    plainly_expected_min: int = 2
    plainly_expected_share: float = 0.08

    def __post_init__(self) -> None:
        if not 0 < self.min_probability <= 1:
            raise ValueError("min-probability must be in (0, 1]")
        if self.min_letters < 1:
            raise ValueError("min-letters must be at least 1")
        if not 0 <= self.max_expected_share < 1:
            raise ValueError("max-expected-share must be in [0, 1)")


_NOT_ASCII_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())


_ASCII_WORD = re.compile(r"[A-Za-z]+")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=8)
def _lowered(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def plainly_expected(text: str, p) -> bool:
    """Whether ``text`` is plainly in the expected language without asking langid (a short-cut for speed).

    Plain means: no letter outside ASCII (Romanian, Estonian, Spanish... have theirs), and at least
    ``plainly_expected_min`` of its words, and ``plainly_expected_share`` of them, are function words
    of the expected language that other Latin-script languages do not write ("the", "which", "would";
    not "on", "are", "was", "of"). langid's naive Bayes never reads such a sentence as surely another
    language: bench/eval_doclang.py --shortcut counts the sentences where the two disagree.
    """
    if not p.plainly_expected_words:
        return False
    if not text.isascii() and any(map(str.isalpha, _NOT_ASCII.findall(text))):
        return False
    words = _ASCII_WORD.findall(text)
    known = _lowered(p.plainly_expected_words)
    hits = sum(map(known.__contains__, map(str.lower, words)))  # in C: every body sentence's words
    return hits >= p.plainly_expected_min and hits >= p.plainly_expected_share * len(words)


def letters(text: str) -> int:
    """Letters and their combining marks, not words: Chinese is written without spaces, Devanagari vowels are marks."""
    if text.isascii():  # most sentences: no ASCII character is a mark, so count the letters in C
        return len(text.encode("ascii").translate(None, _NOT_ASCII_LETTERS))
    return sum(c.isalpha() or unicodedata.category(c).startswith("M") for c in text)


@kind("document-language", params=DocumentLanguageParams, phase="gate")
def document_language(doc, rule, ctx) -> Iterator[Finding]:
    """Flag the document's first body sentence when its body is confidently not in the expected language.

    The test is P(not expected) >= min-probability, not P(likeliest language): a Nepali text that
    langid.py splits between Nepali and Marathi is still surely not English.
    """
    p = rule.params
    sentences = sentence_scores.body_sentences(doc) or list(doc.sentences)
    if not sentences:
        return
    body = doc.text[sentences[0].start : sentences[-1].end]
    if letters(body) < p.min_letters or plainly_expected(body, p):
        return
    backend = ctx.backend("langid")
    ranked = backend.identify(body)
    other = 1.0 - dict(ranked).get(p.expected, 0.0)
    if other < p.min_probability:
        return
    sizes = [(letters(doc.text[s.start : s.end]), s) for s in sentences]
    expected = sum(n for n, s in sizes if n and backend.identify(doc.text[s.start : s.end])[0][0] == p.expected)
    if expected > p.max_expected_share * sum(n for n, _ in sizes):
        return
    code = next(c for c, _ in ranked if c != p.expected)
    first = sentences[0]
    yield rule.finding(doc, Span(first.start, first.end), language=backend.name(code), tag=code,
                       probability=f"{other:.2f}", engine=backend.ENGINE,
                       data={"language": code, "probability": round(other, 4)})


@dataclass(frozen=True, slots=True)
class PassageLanguageParams:
    """When a sentence counts as left in another language."""

    expected: str = "en"
    min_letters: int = 60  # shorter sentences are not judged
    min_probability: float = 0.999  # at 0.99 BBC's team sheets of foreign names were flagged
    weight: float = 3.0  # garble evidence for the sentence score (MT900)
    yield_to: tuple[str, ...] = ()  # codes whose finding on the same sentences wins (MT107: another script)
    plainly_expected_words: tuple[str, ...] = ()  # as DocumentLanguageParams: a short-cut past langid
    plainly_expected_min: int = 2
    plainly_expected_share: float = 0.08

    def __post_init__(self) -> None:
        if not 0 < self.min_probability <= 1:
            raise ValueError("min-probability must be in (0, 1]")


@kind("passage-language", params=PassageLanguageParams, evidence="sentences")
def passage_language(doc, rule, ctx) -> Iterator[Finding]:
    """Flag each run of consecutive body sentences surely not in the expected language, naming the language."""
    p = rule.params
    backend = None
    runs: list[tuple[int, int, str, float]] = []  # start, end, language, probability of not-expected
    for s in sentence_scores.body_sentences(doc):
        text = doc.text[s.start : s.end]
        if letters(text) < p.min_letters or plainly_expected(text, p):
            continue
        backend = backend or ctx.backend("langid")
        ranked = backend.identify(text)
        other = 1.0 - dict(ranked).get(p.expected, 0.0)
        if other < p.min_probability:
            continue
        code = next(c for c, _ in ranked if c != p.expected)
        if runs and runs[-1][2] == code and not doc.text[runs[-1][1] : s.start].strip():
            runs[-1] = (runs[-1][0], s.end, code, min(runs[-1][3], other))
        else:
            runs.append((s.start, s.end, code, other))
    for start, end, code, other in runs:
        span = Span(start, end)
        # a sentence in another script is MT107's finding already: one error, one finding
        yield rule.finding(doc, span, language=backend.name(code), tag=code, probability=f"{other:.3f}",
                           engine=backend.ENGINE, data={"language": code, "probability": round(other, 4)})
