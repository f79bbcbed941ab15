"""garble-score: turn the evidence noted by translation rules into per-sentence and document scores.

Runs after the other MT rules of a document (its code, MT900, sorts last), adds evidence it
measures itself on every sentence (lower-case non-words such as untranslated transliterations),
records ``sentences`` (start, end, score, signals) and ``score.translation`` for the report, and
flags the sentences whose score reaches ``threshold``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from qualcheck import translation
from qualcheck.kinds import kind
from qualcheck.model import Finding, Span

_LOWER_WORD = re.compile(r"(?<![\w’'\-])[a-z]{3,}(?![\w’'\-])")


@dataclass(frozen=True, slots=True)
class GarbleScoreParams:
    """How continuous evidence enters the sentence score, and when a sentence is flagged."""

    threshold: float = 0.8  # flag sentences whose score reaches this (0..1)
    min_words: int = 4  # never flag shorter sentences (headings, bylines)
    rare_weight: float = 0.5  # evidence per lower-case word that is no English word
    rare_max_zipf: float = 1.5  # "no English word": rarer than this in wordfreq and not in the dictionary

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")


def rare_words(text: str, start: int, end: int, lex, max_zipf: float) -> list[re.Match]:
    """Lower-case words that are neither frequent in English nor in the dictionary ("nisro")."""
    return [m for m in _LOWER_WORD.finditer(text, start, end) if lex.zipf(m.group(0)) < max_zipf and not lex.is_lower_word(m.group(0))]


@kind("garble-score", params=GarbleScoreParams)
def garble_score(doc, rule, ctx) -> Iterator[Finding]:
    """Score every sentence from the noted evidence, record the scores, flag the worst sentences."""
    p = rule.params
    lex = ctx.backend("lexicon")
    sentences = translation.body_sentences(doc)
    extra = []
    for s in sentences:
        rare = rare_words(doc.text, s.start, s.end, lex, p.rare_max_zipf)
        extra.append({"rare-words": p.rare_weight * len(rare)})
    scored = translation.score_sentences(doc, sentences, translation.notes(ctx, doc), extra)
    ctx.measure(doc, "sentences", [s.to_dict() for s in scored])
    ctx.measure(doc, "score.translation", round(translation.document_score(scored), 2))
    for s in scored:
        if s.score >= p.threshold and s.words >= p.min_words:
            reasons = ", ".join(sorted(s.signals))
            yield rule.finding(doc, Span(s.start, s.end), score=f"{s.score:.2f}", reasons=reasons, data={"score": round(s.score, 4)})
