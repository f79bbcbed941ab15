"""The run's sentence-encoder state of each body sentence, for MT900's encoder probe (``--encoder``).

The encoder (backends/encoder.py) is loaded once per process, only when the run asks for it, and
sentences are encoded in batches across the next documents of the run, as the LM's surprisal is
(surprisal.py), so one-sentence JSONL documents are not encoded one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcheck.model import Notice
from qualcheck.surprisal import LmProbe, batched_ahead

COST = "about 0.3 s to load, then about 150 sentences/s on one core (the BBC corpus: 4-5x the CPU of a run without it)"


def of_document(ctx, doc, asker: str, keep=None) -> list | None:
    """The pooled encoder state (a float32 vector) of each body sentence of ``doc``; None when the run
    did not ask for the encoder (``--encoder``) or has none. ``asker`` names the rule asking (for the notice).
    ``keep(d)`` (one bool per body sentence of a document) picks the sentences to encode; the others' state is None.
    """
    settings = getattr(ctx, "settings", None)
    if not getattr(settings, "use_encoder", False) or not hasattr(ctx, "memo"):
        return None
    backend = ctx.backend("encoder")
    encoder = ctx.memo("encoder.model", lambda: _load(ctx, backend, asker))
    if encoder is None:
        return None
    return batched_ahead(ctx, doc, ctx.per_document("encoder.states"), "encoder.index", encoder.pooled, keep)


def _load(ctx, backend, asker: str):
    model, reason = backend.load()
    if model is None:
        ctx.notice(Notice("warning", f"sentence encoder: --encoder was asked for but is unavailable: {reason}; {asker} uses the offline signals only", code="engine"))
    else:
        ctx.notice(Notice("info", f"sentence encoder: {backend.NAME} (numpy) for the translation sentence scores; it costs {COST}", code="engine"))
    return model


def lm_instead(ctx) -> None:
    """Say once that the run asked for both engines and the language model's probe is the one read."""
    ctx.notice(Notice("info", "sentence encoder: not used, the language model (--lm) scores the sentences and its probe is the stronger one", code="engine"))


@dataclass(frozen=True, slots=True)
class EncoderProbe(LmProbe):
    """A linear probe on the sentence encoder's pooled state: log-odds that a sentence is a garbled translation.

    Fitted on the tuning halves (bench/eval_translation.py --encoder --fit); MT900's ``encoder_probe``.
    """

    def __post_init__(self) -> None:
        from qualcheck.backends import encoder

        if self.layer != encoder.LAYER:
            raise ValueError(f"fitted on layer {self.layer}, but the encoder pools layer {encoder.LAYER}")
        if len(self.weights) != encoder.WIDTH:
            raise ValueError(f"{len(self.weights)} weights, the encoder's state has {encoder.WIDTH}")
