"""readability and sentence-length: textstat metrics against thresholds, and run-on sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from qualcheck.kinds import kind
from qualcheck.model import Finding, Span

_WORDS = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class ReadabilityParams:
    """Flag a document whose metric lies outside [minimum, maximum]; short texts are never judged."""

    metric: str
    minimum: float | None = None
    maximum: float | None = None
    min_words: int = 100

    def __post_init__(self) -> None:
        if self.minimum is None and self.maximum is None:
            raise ValueError("give minimum, maximum or both")


@kind("readability", params=ReadabilityParams)
def readability(doc, rule, ctx) -> Iterator[Finding]:
    """Compare one document-level readability metric with the rule's bounds."""
    stats = ctx.readability(doc)
    value = stats.get(rule.params.metric)
    if value is None or stats.get("words", 0) < rule.params.min_words or not doc.body_paragraphs:
        return
    p = rule.params
    if (p.minimum is not None and value < p.minimum) or (p.maximum is not None and value > p.maximum):
        bound = p.minimum if p.minimum is not None and value < p.minimum else p.maximum
        span = Span(doc.body_paragraphs[0].start, doc.body_paragraphs[-1].end)
        # document-level finding: point at the start of the body, not at the whole text
        yield rule.finding(doc, Span(span.start, span.start), value=value, bound=bound, metric=p.metric,
                           data={"metric": p.metric, "value": value, "bound": bound})


@dataclass(frozen=True, slots=True)
class SentenceLengthParams:
    """A sentence longer than ``max_words`` words is hard to follow, and often two sentences run together."""

    max_words: int = 45


def sentence_words(doc) -> list[int]:
    """Word count of every sentence, as the run-on check counts them."""
    return [len(_WORDS.findall(doc.text, s.start, s.end)) for s in doc.sentences]


@kind("sentence-length", params=SentenceLengthParams)
def sentence_length(doc, rule, ctx) -> Iterator[Finding]:
    """Flag sentences longer than the limit."""
    for sent in doc.sentences:
        n = len(_WORDS.findall(doc.text, sent.start, sent.end))
        if n > rule.params.max_words:
            yield rule.finding(doc, sent, words=n, limit=rule.params.max_words, data={"words": n})
