"""grammar-score: a per-sentence grammaticality score learned from the offline engine's signals.

A score rule (``kinds`` phase ``score``): the engine runs it after every document rule and hands it
their findings: how many findings of each GR rule fall in each body sentence (a weighed rule the run
did not select is an input the engine runs first, unreported, so that a score means the same
whatever is selected). To these it adds
link-grammar's verdict (whether the sentence could be judged, how many plain words the parse had
to leave out; parsed whether or not GR103 is selected), the sentence's length, and, when the run
asks for the language model (``--lm``), its surprisal statistics: mean token surprisal, SLOR
((log P_LM - log P_unigram) / words, Lau, Clark & Lappin 2017, unigram from wordfreq), the
largest single-token surprisal, the confusion gains and the log-odds of a linear probe on the
model's pooled hidden state (LmProbe), all from one forward pass. A logistic model whose coefficients are the rule's params
(fitted by bench/eval_grammar.py --fit) turns them into P(ungrammatical)::

    score(sentence) = 1 / (1 + exp(-(intercept + sum of weight[f] * feature[f])))

Worked example: with intercept -2.0 and weights GR101 1.2, unlinked 0.9, a sentence with one
misspelling and one word left out scores 1 / (1 + e^-(-2.0 + 1.2 + 0.9)) = 0.52. Every scored
sentence goes into the JSON report (``grammar_sentences``: start, end, score, features);
sentences at or above ``threshold`` are flagged, pointing at the likeliest words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from qualcheck import surprisal as lm_run
from qualcheck.kinds import Scored, kind
from qualcheck.kinds.translation_score import unigram_nats
from qualcheck.model import Span
from qualcheck.scoring import sentences as sentence_scores
from qualcheck.surprisal import LmProbe

_CODE = re.compile(r"^[A-Z]{2,3}[0-9]{3}$")
MEASURED = ("parsed", "unlinked", "log-words")
# lm.statistics() of the sentence (nats; lm-slor is the negative SLOR: higher = less fluent), then the
# confusion gains: the largest of the sentence's words, and how many words exceed GAIN_NATS; then the
# probe's log-odds (see LmProbe)
LM_FEATURES = ("lm-mean", "lm-slor", "lm-peak-excess", "lm-top3", "lm-spikes", "lm-entropy",
               "lm-confusion", "lm-confusions", "lm-missing", "lm-missings", "lm-probe")
GAIN_NATS = 2.0  # an alternative this much likelier than the written word (7x) counts as a confusion
FEATURES = MEASURED + LM_FEATURES  # besides rule codes, whose value is the count of that rule's findings


@dataclass(frozen=True, slots=True)
class GrammarScoreParams:
    """Logistic coefficients over the sentence features, and the flagging threshold (one set without the LM, one with)."""

    intercept: float
    weights: Mapping[str, float]
    threshold: float
    lm_intercept: float = 0.0
    lm_weights: Mapping[str, float] = field(default_factory=dict)  # used instead when the run measures LM surprisal
    lm_threshold: float = 0.5
    min_words: int = 3  # never flag shorter sentences (headings, bylines)
    lm_probe: Mapping[str, Any] = field(default_factory=dict)  # LmProbe's fields; gives the lm-probe feature
    probe: LmProbe | None = field(default=None, init=False, repr=False)  # lm_probe, checked and built once

    def __post_init__(self) -> None:
        if self.lm_probe:
            object.__setattr__(self, "probe", LmProbe.parse(self.lm_probe))
        if "lm-probe" in self.lm_weights and not self.lm_probe:
            raise ValueError("lm-weights: lm-probe is weighed but no lm-probe is given")
        for name, weights in (("weights", self.weights), ("lm-weights", self.lm_weights)):
            unknown = [k for k in weights if k not in FEATURES and not _CODE.match(k)]
            if unknown:
                raise ValueError(f"{name}: unknown feature {', '.join(unknown)} (rule codes or {', '.join(FEATURES)})")
        if any(k in LM_FEATURES for k in self.weights):
            raise ValueError("weights: language-model features belong in lm-weights")
        for t in (self.threshold, self.lm_threshold):
            if not 0 < t < 1:
                raise ValueError("thresholds must be between 0 and 1")


def evidence_spans(evidence) -> list[tuple[str, int, int]]:
    """(code, start, end) of the grammar engines' findings (kinds grammar and tag-pattern), in the order they ran."""
    return [(f.code, f.span.start, f.span.end) for f in evidence.of_kinds("grammar", "tag-pattern")]


def weighed_codes(params: "GrammarScoreParams") -> list[str]:
    """The rule codes among the features: the rules whose findings GR900 reads (its inputs)."""
    return sorted({k for k in (*params.weights, *params.lm_weights) if _CODE.match(k)})


def features(doc, sentences, ctx, found, surprisal=None, probe: LmProbe | None = None) -> list[dict[str, float]]:
    """The feature values of each sentence: GR findings per code, link-grammar's verdict, length, LM statistics."""
    backend = ctx.backend("grammar").for_context(ctx)
    judged = {j.start: j for j in backend.judgements(doc)}
    lex = ctx.backend("lexicon") if surprisal is not None else None
    out = []
    for i, s in enumerate(sentences):
        words = doc.words(s.start, s.end)
        f: dict[str, float] = {"log-words": math.log(max(1, len(words)))}
        for code, a, _ in found:
            if s.start <= a < max(s.end, s.start + 1):
                f[code] = f.get(code, 0.0) + 1
        j = judged.get(s.start)
        f["parsed"] = 1.0 if j and j.parsed else 0.0
        f["unlinked"] = float(len(j.blamed)) if j and j.parsed else 0.0
        if surprisal is not None:
            f.update(lm_features(surprisal[i], " ".join(doc.text[s.start : s.end].split()), lex, ctx.backend("lm")))
            pooled = getattr(surprisal[i], "pooled", None)
            if probe is not None and pooled is not None:
                f["lm-probe"] = probe.log_odds(pooled)
        out.append(f)
    return out


def lm_features(sur: Any, text: str, lex: Any, lm: Any) -> dict[str, float]:
    """The LM backend's sentence statistics (as MT900 reads them) and the confusion gains of one sentence.

    ``text`` is the sentence as the LM read it (whitespace-normalised).
    """
    if not sur.tokens:
        return {k: 0.0 for k in LM_FEATURES if k != "lm-probe"}
    stats = lm.statistics(sur, text, unigram_nats(lex))
    named = {"lm-" + k.replace("_", "-"): v for k, v in stats.items()}
    f = {k: v for k, v in named.items() if k in LM_FEATURES}
    for name, per_token in (("confusion", getattr(sur, "confusion", ())), ("missing", getattr(sur, "missing", ()))):
        gains = [g for _, g in per_token]
        f[f"lm-{name}"] = max(gains, default=0.0)
        f[f"lm-{name}s"] = float(sum(g > GAIN_NATS for g in gains))
    return f


def probability(params: GrammarScoreParams, f: Mapping[str, float], with_lm: bool) -> float:
    intercept, weights = (params.lm_intercept, params.lm_weights) if with_lm else (params.intercept, params.weights)
    z = intercept + sum(w * f.get(k, 0.0) for k, w in weights.items())
    return sentence_scores.sigmoid(z)


@kind("grammar-score", params=GrammarScoreParams, phase="score", inputs=weighed_codes, names=lambda p: True)
def grammar_score(doc, evidence, rule, ctx) -> Scored:
    """Score every body sentence from the GR findings and measured evidence; flag those at or above the threshold."""
    p = rule.params
    sentences = sentence_scores.body_sentences(doc)
    surprisal = lm_run.of_document(ctx, doc, "GR900") if p.lm_weights else None
    with_lm = surprisal is not None
    threshold = p.lm_threshold if with_lm else p.threshold
    found = evidence_spans(evidence)
    out = Scored(part="grammar_sentences")
    probe = p.probe if with_lm else None
    for i, (s, f) in enumerate(zip(sentences, features(doc, sentences, ctx, found, surprisal, probe))):
        score = probability(p, f, with_lm)
        out.records.append({"start": s.start, "end": s.end, "score": round(score, 4),
                            "features": {k: round(v, 4) for k, v in sorted(f.items()) if v}})
        if score < threshold or len(doc.words(s.start, s.end)) < p.min_words:
            continue
        span, where, suggestion = _likeliest(doc, s, ctx, found, surprisal[i] if with_lm else None)
        weights = p.lm_weights if with_lm else p.weights
        reasons = [k for k, w in sorted(weights.items(), key=lambda kv: -kv[1] * f.get(kv[0], 0.0)) if w * f.get(k, 0.0) > 0]
        out.findings.append(rule.finding(doc, span, score=f"{score:.2f}", reasons=", ".join(reasons) or "length and structure",
                                         suggestions=suggestion, data={"score": round(score, 4), "located-by": where}))
    return out


LOCATE_NATS = 3.0  # a confusion this strong (alternative 20x likelier) is where the finding points, with the alternative


def _likeliest(doc, s: Span, ctx, found, sur) -> tuple[Span, str, tuple[str, ...]]:
    """Where the error most likely is: the LM's strongest confusion, words link-grammar left out, another GR finding, the LM's spike."""
    confusion = getattr(sur, "confusion", ()) if sur is not None else ()
    if confusion:
        k = max(range(len(confusion)), key=lambda i: confusion[i][1])
        alt, gain = confusion[k]
        span = _token_word(doc, s, sur, k) if gain >= LOCATE_NATS else None
        if span:  # the LM backend already cased the alternative like the written word
            return span, f"the language model's likelier '{alt}'", (alt,)
    backend = ctx.backend("grammar").for_context(ctx)
    for j in backend.judgements(doc):
        if j.start == s.start and j.parsed and j.blamed:
            return Span(j.blamed[0][0], j.blamed[-1][1]), "words the parse left out", ()
    inside = [(a, b, code) for code, a, b in found if s.start <= a < s.end]
    if inside:
        a, b, code = inside[0]
        return Span(a, b), f"{code}'s finding", ()
    spike = _spike(doc, s, sur) if sur is not None else None
    if spike:
        return spike, "the language model's least expected word", ()
    return s, "the whole sentence", ()


def _spike(doc, s: Span, sur) -> Span | None:
    """The word holding the token with the highest surprisal."""
    nll = getattr(sur, "nll", ())
    return _token_word(doc, s, sur, max(range(len(nll)), key=nll.__getitem__)) if nll else None


def _token_word(doc, s: Span, sur, k: int) -> Span | None:
    """The document span of the word holding token ``k`` (offsets are into the whitespace-normalised sentence)."""
    offsets = getattr(sur, "offsets", ())
    if not 0 <= k < len(offsets):
        return None
    # map normalised offsets back to the document: walk the sentence's words in order
    raw = doc.text[s.start : s.end]
    norm_to_raw: list[int] = []
    for m in re.finditer(r"\S+", raw):
        if norm_to_raw:
            norm_to_raw.append(m.start() - 1)  # the single space standing for this gap
        norm_to_raw.extend(range(m.start(), m.end()))
    a, b = offsets[k]
    if not (0 <= a < b <= len(norm_to_raw)):
        return None
    a, b = norm_to_raw[a], norm_to_raw[b - 1] + 1
    while a < b and raw[a].isspace():  # a token's offsets include the space before its word
        a += 1
    while a > 0 and raw[a - 1].isalnum():  # whole words, not sub-word tokens
        a -= 1
    while b < len(raw) and raw[b].isalnum():
        b += 1
    return Span(s.start + a, s.start + b) if a < b else None
