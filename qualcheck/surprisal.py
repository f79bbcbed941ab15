"""The run's language-model surprisal of each body sentence, shared by the rules that read it (MT900, GR900).

The model is loaded once per run, only when the run asks for it (``--lm``), and sentences are
scored in batches across the next documents of the run, so one-sentence JSONL documents are not
scored one at a time. Whichever rule asks first pays for the pass; the other reads the cache.
"""

from __future__ import annotations

from qualcheck import translation
from qualcheck.model import Notice

BATCH = 128  # sentences scored together: the LM is run ahead over the next documents of the run
COST = "16-30 s to load, then about 20-35 sentences/s on 2 idle cores, 25-75 times slower than without it"


def sentence_texts(doc, sentences=None) -> list[str]:
    """The whitespace-normalised text of each scored sentence, as the LM reads it."""
    return [" ".join(doc.text[s.start : s.end].split()) for s in (sentences if sentences is not None else translation.body_sentences(doc))]


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
    cache = ctx.memo("lm.scores", dict)
    if doc.id not in cache:
        docs = ctx.corpus.documents if ctx.corpus else [doc]
        index = ctx.memo("lm.index", lambda: {d.id: i for i, d in enumerate(docs)})
        batch, texts = [], []
        for d in docs[index.get(doc.id, 0) :] if doc.id in index else [doc]:
            if d.id in cache:
                continue
            t = sentence_texts(d)
            batch.append((d.id, len(t)))
            texts += t
            if len(texts) >= BATCH:
                break
        # GR900 reads each word's confusion and missing-word gains and its probe reads the pooled hidden
        # state; both come from the same pass and cost nothing measurable (bench/eval_grammar.py --time-lm)
        confusions = ctx.backend("confusions")
        scores = scorer.surprisal(texts, alternatives=confusions.alternatives, insertions=confusions.INSERTIONS, pool=True)
        at = 0
        for doc_id, n in batch:
            cache[doc_id] = scores[at : at + n]
            at += n
    return cache[doc.id]


def _load(ctx, backend, asker: str):
    scorer, reason = backend.load()
    if scorer is None:
        ctx.notice(Notice("warning", f"language model: surprisal was asked for (--lm) but is unavailable: {reason}; {asker} and the other sentence scores use the offline signals only", code="engine"))
    else:
        ctx.notice(Notice("info", f"language model: surprisal on ({backend.NAME}, {backend.THREADS} CPU threads) for the translation and grammar sentence scores; it costs {COST}", code="engine"))
    return scorer
