"""document-language: an article that is not in English at all was never translated.

Every other check reads English (a German article would get fifty "misspellings"), so this kind
is a gate: it runs first on each document, and when it flags one, the engine runs no other
document rule on it and leaves it out of the cross-source comparison, saying so in a notice.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterator

from qualcheck import translation
from qualcheck.kinds import kind
from qualcheck.model import Finding, Span


@dataclass(frozen=True, slots=True)
class DocumentLanguageParams:
    """When a document counts as written in another language."""

    expected: str = "en"  # ISO 639-1 code of the language the checks read
    min_letters: int = 120  # langid.py guesses wildly on a few words: shorter documents are not judged
    min_probability: float = 0.95  # flag when the text is this sure not to be in the expected language

    def __post_init__(self) -> None:
        if not 0 < self.min_probability <= 1:
            raise ValueError("min-probability must be in (0, 1]")
        if self.min_letters < 1:
            raise ValueError("min-letters must be at least 1")


def letters(text: str) -> int:
    """Letters and their combining marks, not words: Chinese is written without spaces, Devanagari vowels are marks."""
    return sum(c.isalpha() or unicodedata.category(c).startswith("M") for c in text)


@kind("document-language", params=DocumentLanguageParams, gate=True)
def document_language(doc, rule, ctx) -> Iterator[Finding]:
    """Flag the document's first body sentence when its body is confidently not in the expected language.

    The test is P(not expected) >= min-probability, not P(likeliest language): a Nepali text that
    langid.py splits between Nepali and Marathi is still surely not English.
    """
    p = rule.params
    sentences = translation.body_sentences(doc) or list(doc.sentences)
    if not sentences:
        return
    body = doc.text[sentences[0].start : sentences[-1].end]
    if letters(body) < p.min_letters:
        return
    backend = ctx.backend("langid")
    ranked = backend.identify(body)
    other = 1.0 - dict(ranked).get(p.expected, 0.0)
    if other < p.min_probability:
        return
    code = next(c for c, _ in ranked if c != p.expected)
    first = sentences[0]
    yield rule.finding(doc, Span(first.start, first.end), language=backend.name(code), tag=code,
                       probability=f"{other:.2f}", engine=backend.ENGINE,
                       data={"language": code, "probability": round(other, 4)})
