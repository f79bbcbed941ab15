"""The run's language-model surprisal of each body sentence, shared by the rules that read it (MT900, GR900).

The model is loaded once per run, only when the run asks for it (``--lm``), and sentences are
scored in batches across the next documents of the run, so one-sentence JSONL documents are not
scored one at a time. Whichever rule asks first pays for the pass; the other reads the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from qualcheck.model import Notice
from qualcheck.scoring import sentences as sentence_scores

BATCH = 128  # sentences scored together: the LM is run ahead over the next documents of the run
COST = "about 1 s to load (after a one-time export of 1-3 min), then roughly 20-25 sentences/s on 2 idle cores, many times slower than without it"


def sentence_texts(doc, sentences=None) -> list[str]:
    """The whitespace-normalised text of each scored sentence, as the LM reads it."""
    return [" ".join(doc.text[s.start : s.end].split()) for s in (sentences if sentences is not None else sentence_scores.body_sentences(doc))]


def of_document(ctx, doc, asker: str) -> list | None:
    """Surprisal of each body sentence of ``doc``, or None when the run did not ask for the LM or has none.

    ``asker`` names the rule asking (for the notice when the model is unavailable).
    """
    settings = getattr(ctx, "settings", None)
    if not getattr(settings, "use_lm", False) or not hasattr(ctx, "memo"):
        return None
    backend = ctx.backend("lm")
    scorer = ctx.memo("lm.scorer", lambda: _load(ctx, backend, asker))
    if scorer is None:
        return None
    cache = ctx.per_document("lm.scores") if hasattr(ctx, "per_document") else ctx.memo("lm.scores", dict)

    def score(texts: list[str]) -> list:
        # GR900 reads each word's confusion and missing-word gains, the GR900 and MT900 probes the pooled
        # hidden state; both come from the same pass and cost nothing measurable (eval_grammar.py --time-lm)
        confusions = ctx.backend("confusions")
        return scorer.surprisal(texts, alternatives=confusions.alternatives, insertions=confusions.INSERTIONS, pool=True)

    return batched_ahead(ctx, doc, cache, "lm.index", score)


def batched_ahead(ctx, doc, cache: dict, index_key: str, compute, keep=None) -> list:
    """Each body sentence's result for ``doc``, from ``cache`` or computed by ``compute(texts)`` (one
    result per text) in one batch with the run's next documents, whose results are cached too: a
    model run on one short document at a time would pay its per-call cost for every document.

    ``keep(d)``, when given, says which of a document's sentences to compute (one bool each); the
    others get None, and the batch fills up with kept sentences only (MT900's encoder cascade)."""
    if doc.id not in cache:
        docs = ctx.corpus.documents if ctx.corpus else [doc]
        index = ctx.memo(index_key, lambda: {d.id: i for i, d in enumerate(docs)})
        batch, texts = [], []
        for d in docs[index[doc.id] :] if doc.id in index else [doc]:
            if d.id in cache:
                continue
            t = sentence_texts(d)
            mask = list(keep(d)) if keep is not None else [True] * len(t)
            batch.append((d.id, mask))
            texts += [x for x, k in zip(t, mask) if k]
            if len(texts) >= BATCH:
                break
        results = compute(texts) if texts else []
        at = 0
        for doc_id, mask in batch:
            row = []
            for k in mask:
                row.append(results[at] if k else None)
                at += k
            cache[doc_id] = row
    return cache[doc.id]


def _load(ctx, backend, asker: str):
    scorer, reason = backend.load()
    if scorer is None:
        ctx.notice(Notice("warning", f"language model: surprisal was asked for (--lm) but is unavailable: {reason}; {asker} and the other sentence scores use the offline signals only", code="engine"))
    else:
        ctx.notice(Notice("info", f"language model: surprisal on ({backend.NAME}, {backend.THREADS} CPU threads) for the translation and grammar sentence scores; it costs {COST}", code="engine"))
    return scorer


@dataclass(frozen=True, slots=True)
class LmProbe:
    """A linear probe on the LM's hidden state: log-odds that a sentence is what a rule looks for.

    The small LM's surprisal says how unlikely a sentence is, not why; its hidden state (the mean of
    layer ``layer`` over the sentence's tokens, read from the same pass) also encodes what kind of
    sentence it reads: a linear model on it separates learner errors from correct sentences (GR900)
    about as well as every other feature together (bench/eval_grammar.py --fit), and garbled
    translations from fluent ones better than any single statistic (MT900, bench/eval_translation.py
    --fit --lm). Fitted data in a rule's params (GR900 ``lm-probe``, MT900 ``lm_probe``), not meant
    to be tuned by hand.
    """

    layer: int
    intercept: float
    weights: tuple[float, ...]
    _vector: Any = field(default=None, init=False, repr=False, compare=False)  # weights as numpy, made at first use

    def __post_init__(self) -> None:
        from qualcheck.backends import lm

        if self.layer != lm.POOL_LAYER:
            raise ValueError(f"fitted on layer {self.layer}, but the LM pass pools layer {lm.POOL_LAYER}")
        if len(self.weights) != lm.HIDDEN_SIZE:
            raise ValueError(f"{len(self.weights)} weights, the LM's hidden state has {lm.HIDDEN_SIZE}")

    @classmethod
    def parse(cls, raw: Mapping[str, Any], key: str = "lm-probe") -> "LmProbe":
        """Build and check a probe from a rule's ``key`` mapping (layer, intercept, weights)."""
        unknown = set(raw) - {"layer", "intercept", "weights"}
        if unknown:
            raise ValueError(f"{key}: unknown key {', '.join(sorted(unknown))} (layer, intercept, weights)")
        try:
            return cls(int(raw["layer"]), float(raw["intercept"]), tuple(float(w) for w in raw["weights"]))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{key}: needs layer, intercept and a list of weights ({exc})") from None
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None

    def log_odds(self, pooled: Any) -> float:
        import numpy as np  # here, not at rule load: runs without the LM never need it

        if self._vector is None:
            object.__setattr__(self, "_vector", np.asarray(self.weights, dtype=np.float64))
        return float(self.intercept + self._vector @ np.asarray(pooled, dtype=np.float64))
