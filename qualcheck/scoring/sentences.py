"""Per-sentence garble scores (0 fluent .. 1 garbled) and the document's translation score.

A translation rule's findings are evidence for the sentences they are in, weighing the ``weight``
of the rule's params (a new garble signal is a rule in rules/translation/ with a weight). The
``translation-score`` rule (MT900) is a score rule: the engine runs it after every document rule and
hands it their findings (``kinds.Evidence``); it adds continuous evidence measured on each sentence
(rare non-words, optional LM surprisal) and turns the sum into scores here::

    z(sentence)     = sum of the weights of the findings starting in it + continuous evidence
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
from qualcheck.model import Span, starting_in


@dataclass(frozen=True, slots=True)
class Note:
    """One piece of garble evidence: which rule's finding, where, and how much it weighs."""

    code: str
    start: int
    end: int
    weight: float


def notes(evidence: Any, sentences: Sequence[Span]) -> list[Note]:
    """The weighed translation findings as notes, in the order the rules ran.

    A finding counts in the sentence it starts in; a rule whose kind declares ``evidence="sentences"``
    (MT111: one finding for a run of sentences in another language) counts in each sentence it covers.
    """
    out: list[Note] = []
    for f, weight in evidence.weighed("translation"):
        rule = evidence.rules[f.code]
        if rule.spec.evidence == "sentences":
            out.extend(Note(f.code, s.start, s.end, weight) for s in sentences if f.span.start <= s.start and s.end <= f.span.end)
        else:
            out.append(Note(f.code, f.span.start, f.span.end, weight))
    return out


def body_sentences(doc: Document) -> list[Span]:
    """The sentences that are scored: those of the body, not the title line.

    A document that is nothing but its first line (a one-sentence JSONL record without a full
    stop: "Why do you think some people hate you?") is that sentence, not a headline: it is scored.
    """
    body = doc.body_paragraphs or doc.paragraphs
    out: list[Span] = []
    for s in starting_in(doc.sentences, body):
        if out and not doc.words(s.start, s.end) and doc.sentence_at(out[-1].start) is not None:
            out[-1] = Span(out[-1].start, s.end)  # a wordless fragment ('“') belongs to the sentence before
        else:
            out.append(s)
    return out


def sigmoid(x: float) -> float:
    """The logistic function, without overflow for any log-odds (the models' probabilities)."""
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


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
