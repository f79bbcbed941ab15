"""Per-sentence garble scores (0 fluent .. 1 garbled) and the document's translation score.

Every translation rule that flags a passage also *notes* it here with its rule's ``weight``;
the ``translation-score`` rule (MT900, which sorts after every other MT rule, so it runs last on each
document) adds continuous evidence measured on each sentence (rare non-words, optional LM
surprisal) and turns the sum into a score::

    z(sentence)     = sum of the weights of the notes starting in it + continuous evidence
    score(sentence) = 1 - exp(-z)                       # 0 with no evidence, saturating at 1
    translation     = 100 * (1 - word-weighted mean of the sentence scores)

Worked example: a 10-word sentence with a doubled word (weight 0.8) and a stray full stop
(weight 1.2) has z = 2.0 and score 1 - e^-2 = 0.86; in a document whose other 30 words form
fluent sentences (score 0), translation = 100 * (1 - 0.86 * 10 / 40) = 78.4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from qualcheck.document import Document
from qualcheck.model import Span


@dataclass(frozen=True, slots=True)
class Note:
    """One piece of garble evidence: which rule saw it, where, and how much it weighs."""

    code: str
    start: int
    end: int
    weight: float


def _key(doc: Document) -> str:
    return f"translation.notes\x1f{doc.id}"


def note(ctx: Any, doc: Document, rule: Any, span: Span, weight: float) -> None:
    """Record a flagged passage as evidence for its sentence's score (translation rules only)."""
    if getattr(rule, "category", None) != "translation" or ctx is None or not hasattr(ctx, "memo"):
        return
    ctx.memo(_key(doc), list).append(Note(rule.code, span.start, span.end, float(weight)))


def notes(ctx: Any, doc: Document) -> list[Note]:
    """All evidence noted so far for a document."""
    return list(ctx.memo(_key(doc), list))


def body_sentences(doc: Document) -> list[Span]:
    """The sentences that are scored: those of the body, not the title line.

    A document that is nothing but its first line (a one-sentence JSONL record without a full
    stop: "Why do you think some people hate you?") is that sentence, not a headline: it is scored.
    """
    body = doc.body_paragraphs or doc.paragraphs
    out: list[Span] = []
    for s in doc.sentences:
        if not any(p.start <= s.start < p.end for p in body):
            continue
        if out and not doc.words(s.start, s.end) and doc.sentence_at(out[-1].start) is not None:
            out[-1] = Span(out[-1].start, s.end)  # a wordless fragment ('“') belongs to the sentence before
        else:
            out.append(s)
    return out


def squash(z: float) -> float:
    """Turn summed evidence into a 0..1 score."""
    return 1.0 - math.exp(-max(0.0, z))


@dataclass
class SentenceScore:
    """A scored sentence for the JSON report."""

    start: int
    end: int
    words: int
    z: float
    signals: dict[str, float]
    surprisal: dict[str, float] | None = None  # language-model surprisal, when the run measured it
    features: dict[str, float] | None = None  # the statistics MT900's model read

    @property
    def score(self) -> float:
        return squash(self.z)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "signals": {k: round(v, 4) for k, v in sorted(self.signals.items())},
        } | ({"surprisal": {k: round(v, 4) for k, v in sorted(self.surprisal.items())}} if self.surprisal else {}) | (
            {"features": {k: round(v, 4) for k, v in sorted(self.features.items()) if v}} if self.features else {}
        )


def score_sentences(
    doc: Document, sentences: Sequence[Span], found: Iterable[Note], extra: Sequence[dict[str, float]] | None = None
) -> list[SentenceScore]:
    """Sum the notes and extra evidence of each sentence into a score."""
    starts = [s.start for s in sentences]
    out = [SentenceScore(s.start, s.end, max(1, len(doc.words(s.start, s.end))), 0.0, {}) for s in sentences]
    import bisect

    for n in found:
        i = bisect.bisect_right(starts, n.start) - 1
        if i < 0 or n.start >= max(sentences[i].end, sentences[i].start + 1):
            continue  # outside every scored sentence (e.g. in the title)
        out[i].z += n.weight
        out[i].signals[n.code] = out[i].signals.get(n.code, 0.0) + n.weight
    for i, evidence in enumerate(extra or ()):
        for name, value in evidence.items():
            if value:
                out[i].z += value
                out[i].signals[name] = out[i].signals.get(name, 0.0) + value
    return out


def document_score(scored: Sequence[SentenceScore]) -> float:
    """100 * (1 - word-weighted mean sentence score); 100 for a document without sentences."""
    words = sum(s.words for s in scored)
    if not words:
        return 100.0
    return 100.0 * (1.0 - sum(s.score * s.words for s in scored) / words)
