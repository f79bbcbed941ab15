"""garbled-article: flag a document with several sentences whose garble score is well above clean news.

MT900 flags one sentence only when its score is high enough to be rare in clean news on its own, a
threshold chosen for few false alarms per sentence. A few sentences that each score well above what
edited news reaches, in one article, are evidence of a machine translation too: clean articles
seldom have two. This score rule reads MT900's sentence scores (``Evidence.parts["sentences"]``;
MT900 is its input, run unreported when the run does not select it) and makes one finding, at the
worst of them, when at least ``count`` sentences of ``min_words`` words or more score ``threshold``
or more (``lm_threshold`` when the sentences were scored with the language model, ``encoder_threshold``
with the sentence encoder).
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcheck.kinds import Scored, kind
from qualcheck.model import Span


@dataclass(frozen=True, slots=True)
class GarbledArticleParams:
    """How many elevated sentences make a garbled article, and what counts as elevated."""

    count: int = 2  # at least this many sentences at or above the threshold
    threshold: float = 0.5  # sentence garble score (0..1) without the language model
    lm_threshold: float = 0.5  # the same when MT900 scored with the language model
    encoder_threshold: float = 0.5  # the same when MT900 scored with the sentence encoder (--encoder)
    min_words: int = 6  # shorter sentences (headings, captions, line-ups) do not count
    source: str = "MT900"  # the score rule whose sentence scores are read

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("count must be at least 1")
        if not all(0 < t <= 1 for t in (self.threshold, self.lm_threshold, self.encoder_threshold)):
            raise ValueError("threshold, lm_threshold and encoder_threshold must be in (0, 1]")


def _inputs(params: GarbledArticleParams) -> list[str]:
    return [params.source]


@kind("garbled-article", params=GarbledArticleParams, phase="score", inputs=_inputs)
def garbled_article(doc, evidence, rule, ctx) -> Scored:
    """One finding at the worst sentence when ``count`` or more sentences score above the threshold."""
    p = rule.params
    records = evidence.parts.get("sentences") or []
    # MT900 records the language model's surprisal on every sentence it scored with it, and names the
    # encoder's model among the signals of every sentence it scored with the encoder
    threshold = (p.lm_threshold if any("surprisal" in r for r in records)
                 else p.encoder_threshold if any("encoder-model" in r["signals"] for r in records) else p.threshold)
    elevated = [r for r in records if r["score"] >= threshold and len(doc.words(r["start"], r["end"])) >= p.min_words]
    out = Scored(part="article_garble", records=[])
    if len(elevated) >= p.count:
        worst = max(elevated, key=lambda r: r["score"])
        scores = ", ".join(f"{r['score']:.2f}" for r in elevated)
        out.findings.append(
            rule.finding(doc, Span(worst["start"], worst["end"]), count=len(elevated), scores=scores,
                         data={"sentences": [[r["start"], r["end"], r["score"]] for r in elevated]})
        )
    return out
