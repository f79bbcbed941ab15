"""translation-score: turn the translation rules' findings into per-sentence and document scores.

A score rule (``kinds`` phase ``score``): the engine runs it after every document rule and hands it
their findings. It weighs each translation finding by its rule's ``weight``, adds evidence it
measures itself on every sentence (a logistic model of surface statistics such as non-words, and,
when the run asks for it, language-model statistics such as SLOR), and returns the ``sentences``
part of the report (start, end, score, signals, features) and the document's translation score
(computed in ``scoring/sentences.py``), flagging the sentences whose score reaches ``threshold``
(``lm_threshold`` with the LM, ``encoder_threshold`` with the sentence encoder).

Engines: ``--lm`` reads ``lm_model`` (SmolLM2 statistics and its probe); ``--encoder`` reads
``encoder_model`` (the surface statistics plus ``encoder``, the log-odds of ``encoder_probe`` on
all-MiniLM-L6-v2's pooled state). With both, the LM's model is read and the encoder is not run (its
probe adds nothing the LM's does not have, bench/README.md); without either, ``model``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from qualcheck import sentence_encoder
from qualcheck import surprisal as lm_run
from qualcheck.kinds import Scored, kind
from qualcheck.model import Span
from qualcheck.scoring import sentences as sentence_scores
from qualcheck.sentence_encoder import EncoderProbe
from qualcheck.surprisal import LmProbe

_LOWER_WORD = re.compile(r"(?<![\w’'\-])[a-z]{3,}(?![\w’'\-])")


SURFACE_FEATURES = ("rare_words", "unseen", "log_words", "capitals", "no_end", "peak_unigram", "repeats")
# probe: the log-odds of lm_probe, a linear model on the LM's pooled hidden state (surprisal.LmProbe)
# encoder: the log-odds of encoder_probe, a linear model on the sentence encoder's pooled state
ENCODER_FEATURES = ("encoder",)
LM_FEATURES = ("mean", "log_tokens", "slor", "peak_excess", "top3", "spikes", "entropy", "eos", "window3", "gap", "slor_names", "names", "out10", "out100", "log_rank", "probe")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_LN10 = math.log(10)


@dataclass(frozen=True, slots=True)
class TranslationScoreParams:
    """How measured evidence enters the sentence score, and when a sentence is flagged.

    ``model`` (surface statistics) and ``lm_model`` (the same plus language-model statistics, used
    when the run has the LM) map feature names to coefficients of a logistic model plus an
    ``intercept``; its log-odds eta enter the sentence's evidence as softplus(eta), so that alone
    it gives score = sigmoid(eta) and every rule finding in the sentence multiplies 1 - score by
    exp(-weight). Fitted by bench/eval_translation.py --fit (half A), kept here for editors to retune.
    """

    threshold: float = 0.8  # flag sentences whose score reaches this (0..1)
    lm_threshold: float = 0.8  # the same when the run has the LM
    encoder_threshold: float = 0.8  # the same when the run has the sentence encoder (and not the LM)
    min_words: int = 4  # never flag shorter sentences (headings, bylines)
    rare_max_zipf: float = 1.5  # "no English word": rarer than this in wordfreq and not in the dictionary
    model: dict[str, float] | None = None
    lm_model: dict[str, float] | None = None
    encoder_model: dict[str, float] | None = None  # the surface statistics and ``encoder`` (encoder_probe's log-odds)
    # reference line for the recorded surprisal z (mean = lm_intercept + lm_slope * ln(tokens), sd lm_scale,
    # fitted on clean BBC sentences by bench/eval_translation.py --calibrate-lm); reported, not scored
    lm_intercept: float = 0.0
    lm_slope: float = 0.0
    lm_scale: float = 1.0
    lm_probe: dict[str, Any] | None = None  # LmProbe's fields (fitted by bench/eval_translation.py --fit --lm); gives ``probe``
    probe: LmProbe | None = field(default=None, init=False, repr=False)
    # EncoderProbe's fields (layer, intercept, weights; fitted by bench/eval_translation.py --encoder --fit); gives ``encoder``
    encoder_probe: dict[str, Any] | None = None
    encoder_reader: EncoderProbe | None = field(default=None, init=False, repr=False)
    # with --encoder: a sentence whose surface probability (sigmoid of ``model``'s log-odds) is below this is
    # not encoded and keeps ``model``'s evidence (calibrated like encoder_model: the median clean BBC sentence
    # scores 0.05 under both); None encodes every sentence. Measured by bench/eval_cascade.py (docs/translation.md)
    encoder_cascade: float | None = None

    def __post_init__(self) -> None:
        if self.lm_probe:
            object.__setattr__(self, "probe", LmProbe.parse(self.lm_probe, "lm_probe"))
        if self.encoder_probe:
            object.__setattr__(self, "encoder_reader", EncoderProbe.parse(self.encoder_probe, "encoder_probe"))
        if (self.lm_model or {}).get("probe") and self.probe is None:
            raise ValueError("lm_model: probe is weighed but no lm_probe is given")
        if (self.encoder_model or {}).get("encoder") and self.encoder_reader is None:
            raise ValueError("encoder_model: encoder is weighed but no encoder_probe is given")
        if not all(0 < t <= 1 for t in (self.threshold, self.lm_threshold, self.encoder_threshold)):
            raise ValueError("threshold, lm_threshold and encoder_threshold must be in (0, 1]")
        if self.encoder_cascade is not None and not (isinstance(self.encoder_cascade, (int, float)) and 0 < self.encoder_cascade < 1):
            raise ValueError("encoder_cascade must be a probability in (0, 1), or absent")
        if self.lm_scale <= 0:
            raise ValueError("lm_scale must be positive")
        for name, model, known in (("model", self.model, SURFACE_FEATURES), ("lm_model", self.lm_model, SURFACE_FEATURES + LM_FEATURES),
                                   ("encoder_model", self.encoder_model, SURFACE_FEATURES + ENCODER_FEATURES)):
            for key, value in (model or {}).items():
                if key != "intercept" and key not in known:
                    raise ValueError(f"{name}: unknown feature {key!r} (known: intercept, {', '.join(known)})")
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    raise ValueError(f"{name}.{key}: expected a number")


def rare_words(text: str, start: int, end: int, lex, max_zipf: float) -> list[re.Match]:
    """Lower-case words that are neither frequent in English nor in the dictionary ("nisro")."""
    return [m for m in _LOWER_WORD.finditer(text, start, end) if lex.zipf(m.group(0)) < max_zipf and not lex.is_lower_word(m.group(0))]


def unigram_nats(lex):
    """A word's unigram surprisal in nats from its wordfreq Zipf frequency (unseen words count as Zipf 1)."""
    return lambda word: (9.0 - max(lex.zipf(word.lower()), 1.0)) * _LN10


def surface_features(text: str, start: int, end: int, lex, max_zipf: float) -> dict[str, float]:
    """Statistics of one sentence that need no language model."""
    words = _WORD.findall(text, start, end)
    zipfs = [lex.zipf(w.lower()) for w in words]
    stripped = text[start:end].rstrip()
    return {
        "rare_words": float(len(rare_words(text, start, end, lex, max_zipf))),
        "unseen": float(sum(z < max_zipf for z in zipfs)),
        "log_words": math.log(max(1, len(words))),
        "capitals": sum(w[0].isupper() for w in words[1:]) / max(1, len(words)),
        "no_end": float(not stripped.endswith((".", "!", "?", '"', "”", "’", "'", ")", "»", "…"))),
        "peak_unigram": max(((9.0 - max(z, 1.0)) * _LN10 for z in zipfs), default=0.0),
        "repeats": _repeats(words),
    }


def _repeats(words: list[str]) -> float:
    """Word bigrams that recur within the sentence (looping, hallucinated repetition)."""
    grams = [(a.lower(), b.lower()) for a, b in zip(words, words[1:])]
    return float(len(grams) - len(set(grams)))


def lm_extra(s) -> dict[str, float]:
    """Fluency statistics beyond lm.statistics() read from the same pass, measured and given no weight.

    ``eos``: surprisal of the sentence ending where it does; ``out10``/``out100``: share of tokens
    outside the model's top 10/100 (GLTR, Gehrmann et al. 2019); ``log_rank``: mean ln(1 + rank);
    ``window3``: the worst mean surprisal of three consecutive tokens; ``gap``: mean surprisal minus
    the predictive entropy (surprise beyond the expected). README, Translation, has their numbers.
    """
    if not s.tokens or not s.nll:
        return {}
    nll, rank = s.nll, getattr(s, "rank", ()) or ()
    n = len(nll)
    win = [sum(nll[i : i + 3]) / len(nll[i : i + 3]) for i in range(max(1, n - 2))]
    out = {
        "eos": getattr(s, "eos", 0.0),
        "window3": max(win),
        "gap": sum(x - e for x, e in zip(nll, s.entropy)) / n if s.entropy else 0.0,
    }
    if rank:
        out |= {
            "out10": sum(r >= 10 for r in rank) / n,
            "out100": sum(r >= 100 for r in rank) / n,
            "log_rank": sum(math.log1p(r) for r in rank) / n,
        }
    return out


def log_odds(model: dict[str, float] | None, features: dict[str, float]) -> float | None:
    """The model's eta = intercept + sum(coefficient * feature); None without a model."""
    if not model:
        return None
    return model.get("intercept", 0.0) + sum(c * features.get(k, 0.0) for k, c in model.items() if k != "intercept")


def softplus(x: float) -> float:
    """ln(1 + e^x): as evidence z, 1 - exp(-z) = sigmoid(x)."""
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def _surface(ctx, doc, sentences, lex, p) -> list[dict[str, float]]:
    """The surface features of each body sentence, measured once per document: the encoder cascade reads
    them for the documents it encodes ahead, and the document's own scoring reads them again."""
    cache = ctx.per_document("translation.surface") if hasattr(ctx, "per_document") else {}
    if doc.id not in cache:
        spans = sentences if sentences is not None else sentence_scores.body_sentences(doc)
        cache[doc.id] = [surface_features(doc.text, s.start, s.end, lex, p.rare_max_zipf) for s in spans]
    return cache[doc.id]


def cascade_keep(ctx, lex, p):
    """Which sentences of a document the encoder reads under ``encoder_cascade``: those whose surface
    probability reaches it (None: all)."""
    if p.encoder_cascade is None:
        return None
    return lambda d: [sentence_scores.sigmoid(log_odds(p.model, f)) >= p.encoder_cascade for f in _surface(ctx, d, None, lex, p)]


@kind("translation-score", params=TranslationScoreParams, phase="score")
def translation_score(doc, evidence, rule, ctx) -> Scored:
    """Score every sentence from the weighed findings and measured evidence; flag the worst sentences."""
    p = rule.params
    lex = ctx.backend("lexicon")
    sentences = sentence_scores.body_sentences(doc)
    surprisal = lm_run.of_document(ctx, doc, "MT900")
    states = None
    if surprisal is not None and getattr(ctx.settings, "use_encoder", False):
        sentence_encoder.lm_instead(ctx)
    elif surprisal is None and p.encoder_model and p.encoder_reader is not None:
        states = sentence_encoder.of_document(ctx, doc, "MT900", cascade_keep(ctx, lex, p))
    texts = lm_run.sentence_texts(doc, sentences) if surprisal is not None else []
    model, key, threshold = ((p.lm_model, "lm-model", p.lm_threshold) if surprisal is not None
                             else (p.encoder_model, "encoder-model", p.encoder_threshold) if states is not None
                             else (p.model, "model", p.threshold))
    lm = ctx.backend("lm") if surprisal is not None else None
    surface = _surface(ctx, doc, sentences, lex, p)
    extra, feats, lm_z = [], [], []
    for i, s in enumerate(sentences):
        f = dict(surface[i])
        if surprisal is not None:
            f.update(lm.statistics(surprisal[i], texts[i], unigram_nats(lex)))
            f.update(lm_extra(surprisal[i]))
            if p.probe is not None and getattr(surprisal[i], "pooled", None) is not None:
                f["probe"] = p.probe.log_odds(surprisal[i].pooled)
            lm_z.append(lm.length_corrected(surprisal[i], p.lm_intercept, p.lm_slope, p.lm_scale))
        here, name = model, key
        if states is not None and states[i] is not None:
            f["encoder"] = p.encoder_reader.log_odds(states[i])
        elif states is not None:  # left out by the encoder cascade: the surface model's evidence
            here, name = p.model, "model"
        eta = log_odds(here, f)
        extra.append({} if eta is None else {name: softplus(eta)})
        feats.append(f)
    scored = sentence_scores.score_sentences(doc, sentences, sentence_scores.notes(evidence, sentences), extra)
    for i, sc in enumerate(scored):
        sc.features = feats[i]
        if surprisal is not None:
            sc.surprisal = {"mean": surprisal[i].mean, "tokens": surprisal[i].tokens, "z": lm_z[i]}
    out = Scored(part="sentences", records=[s.to_dict() for s in scored], score=round(sentence_scores.document_score(scored), 2))
    for s in scored:
        if s.score >= threshold and s.words >= p.min_words:
            reasons = ", ".join(sorted(s.signals))
            out.findings.append(rule.finding(doc, Span(s.start, s.end), score=f"{s.score:.2f}", reasons=reasons, data={"score": round(s.score, 4)}))
    return out
