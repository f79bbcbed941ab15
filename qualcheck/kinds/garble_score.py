"""garble-score: turn the evidence noted by translation rules into per-sentence and document scores.

Runs after the other MT rules of a document (its code, MT900, sorts last), adds evidence it
measures itself on every sentence (lower-case non-words such as untranslated transliterations,
and, when the run asks for it, length-corrected language-model surprisal), records ``sentences`` (start, end, score, signals) and ``score.translation`` for the report, and
flags the sentences whose score reaches ``threshold``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from qualcheck import translation
from qualcheck.kinds import kind
from qualcheck.model import Finding, Notice, Span

_LOWER_WORD = re.compile(r"(?<![\w’'\-])[a-z]{3,}(?![\w’'\-])")


@dataclass(frozen=True, slots=True)
class GarbleScoreParams:
    """How continuous evidence enters the sentence score, and when a sentence is flagged."""

    threshold: float = 0.8  # flag sentences whose score reaches this (0..1)
    min_words: int = 4  # never flag shorter sentences (headings, bylines)
    rare_weight: float = 0.5  # evidence per lower-case word that is no English word
    rare_max_zipf: float = 1.5  # "no English word": rarer than this in wordfreq and not in the dictionary
    # language-model surprisal (only when the run asks for it: --lm or [tool.qualcheck.translation] lm)
    lm_weight: float = 0.5  # evidence per clean-news standard deviation of surprisal above lm_offset
    lm_offset: float = 0.0  # standard deviations above the clean-news expectation before it counts
    lm_max: float = 1.2  # cap on the LM's evidence: below the threshold's, so the LM alone never flags a sentence
    lm_intercept: float = 0.0  # expected mean surprisal (nats/token) = intercept + slope * ln(tokens),
    lm_slope: float = 0.0  # fitted on clean BBC sentences (bench/eval_translation.py --calibrate-lm)
    lm_scale: float = 1.0  # standard deviation of the residual on clean BBC sentences

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        if self.lm_scale <= 0:
            raise ValueError("lm_scale must be positive")


LM_BATCH = 128  # sentences scored together: the LM is run ahead over the next documents of the run
LM_COST = "16-30 s to load, then about 20-35 sentences/s on 2 idle cores, 25-75 times slower than without it"


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
    surprisal = _lm_surprisal(ctx, doc)
    lm_z = []
    for i, s in enumerate(sentences):
        rare = rare_words(doc.text, s.start, s.end, lex, p.rare_max_zipf)
        evidence = {"rare-words": p.rare_weight * len(rare)}
        if surprisal is not None:
            z = ctx.backend("lm").length_corrected(surprisal[i], p.lm_intercept, p.lm_slope, p.lm_scale)
            evidence["lm-surprisal"] = min(p.lm_max, p.lm_weight * max(0.0, z - p.lm_offset))
            lm_z.append(z)
        extra.append(evidence)
    scored = translation.score_sentences(doc, sentences, translation.notes(ctx, doc), extra)
    for i, sc in enumerate(scored if surprisal is not None else ()):
        sc.surprisal = {"mean": surprisal[i].mean, "tokens": surprisal[i].tokens, "z": lm_z[i]}
    ctx.measure(doc, "sentences", [s.to_dict() for s in scored])
    ctx.measure(doc, "score.translation", round(translation.document_score(scored), 2))
    for s in scored:
        if s.score >= p.threshold and s.words >= p.min_words:
            reasons = ", ".join(sorted(s.signals))
            yield rule.finding(doc, Span(s.start, s.end), score=f"{s.score:.2f}", reasons=reasons, data={"score": round(s.score, 4)})


def _sentence_texts(doc) -> list[str]:
    return [" ".join(doc.text[s.start : s.end].split()) for s in translation.body_sentences(doc)]


def _lm_surprisal(ctx, doc) -> list | None:
    """Surprisal of each scored sentence of ``doc``, or None when the run did not ask for the LM or has none.

    The model is loaded once per run; sentences are scored in batches across the next documents
    of the run (one-sentence JSONL documents would otherwise be scored one at a time).
    """
    settings = getattr(ctx, "settings", None)
    if not getattr(settings, "use_lm", False) or not hasattr(ctx, "memo"):
        return None
    backend = ctx.backend("lm")
    scorer = ctx.memo("garble.lm", lambda: _load(ctx, backend))
    if scorer is None:
        return None
    cache = ctx.memo("garble.lm.scores", dict)
    if doc.id not in cache:
        docs = ctx.corpus.documents if ctx.corpus else [doc]
        index = ctx.memo("garble.lm.index", lambda: {d.id: i for i, d in enumerate(docs)})
        batch, texts = [], []
        for d in docs[index.get(doc.id, 0) :] if doc.id in index else [doc]:
            if d.id in cache:
                continue
            t = _sentence_texts(d)
            batch.append((d.id, len(t)))
            texts += t
            if len(texts) >= LM_BATCH:
                break
        scores = scorer.surprisal(texts)
        at = 0
        for doc_id, n in batch:
            cache[doc_id] = scores[at : at + n]
            at += n
    return cache[doc.id]


def _load(ctx, backend):
    scorer, reason = backend.load()
    if scorer is None:
        ctx.notice(Notice("warning", f"translation: language-model surprisal was asked for but is unavailable: {reason}; MT900 scores use the surface signals only", code="engine"))
    else:
        ctx.notice(Notice("info", f"translation: language-model surprisal on ({backend.NAME}, {backend.THREADS} CPU threads); it costs {LM_COST}", code="engine"))
    return scorer
