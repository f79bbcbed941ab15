"""rapidfuzz scorers with an explicit processor and score_cutoff: pairing things up, never agreement.

rapidfuzz 3.x does not normalise case by default (``fuzz.ratio('New York', 'new york') == 75``),
so every call here passes ``processor=default_process`` (lower-case, non-alphanumerics to spaces,
trimmed). Scores are 0–100. Whether two paired claims agree is decided by comparing their
extracted values, because ``token_set_ratio('revenue rose 12%', 'revenue fell 12%')`` is 81.5.
"""

from __future__ import annotations

from typing import Sequence

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Indel

ENGINE = "rapidfuzz"
PROCESSOR = utils.default_process
SCORERS = {
    "ratio": fuzz.ratio,
    "partial": fuzz.partial_ratio,
    "token_set": fuzz.token_set_ratio,
    "token_sort": fuzz.token_sort_ratio,
    "wratio": fuzz.WRatio,
}


def normalise(text: str) -> str:
    """The normalisation every scorer here applies (exposed for keys and tests)."""
    return PROCESSOR(text)


def similarity(a: str, b: str, scorer: str = "token_set", cutoff: float = 0) -> float:
    """Similarity 0–100 of two strings after normalisation; 0 when below ``cutoff``."""
    return float(SCORERS[scorer](a, b, processor=PROCESSOR, score_cutoff=cutoff))


def best(query: str, choices: Sequence[str], scorer: str = "token_set", cutoff: float = 0, limit: int = 5) -> list[tuple[int, float]]:
    """Indices and scores of the choices most similar to ``query`` (at or above ``cutoff``), best first."""
    found = process.extract(query, choices, scorer=SCORERS[scorer], processor=PROCESSOR, score_cutoff=cutoff, limit=limit)
    return [(index, float(score)) for _, score, index in found]


def matrix(queries: Sequence[str], choices: Sequence[str], scorer: str = "token_set", cutoff: float = 0):
    """All-pairs similarity matrix (numpy, float32), computed in C; use only inside a block."""
    return process.cdist(queries, choices, scorer=SCORERS[scorer], processor=PROCESSOR, score_cutoff=cutoff, dtype="float32")


def word_diff(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, list[str], list[str]]]:
    """Word-level edit script from ``a`` to ``b``: (op, words of a, words of b), op in equal/replace/delete/insert."""
    out = []
    key = lambda w: PROCESSOR(w) or w  # noqa: E731 - compare words without case and punctuation
    for op in Indel.opcodes([key(w) for w in a], [key(w) for w in b]):
        out.append((op.tag, list(a[op.src_start : op.src_end]), list(b[op.dest_start : op.dest_end])))
    # Indel has no "replace": merge a delete followed by an insert into one
    merged: list[tuple[str, list[str], list[str]]] = []
    for tag, xs, ys in out:
        if merged and {tag, merged[-1][0]} == {"insert", "delete"}:
            prev = merged[-1]
            merged[-1] = ("replace", prev[1] + xs, prev[2] + ys)
        else:
            merged.append((tag, xs, ys))
    return merged


def render_diff(ops: list[tuple[str, list[str], list[str]]]) -> str:
    """A diff as text: equal words plain, '[-removed-]' and '{+added+}'."""
    parts = []
    for tag, xs, ys in ops:
        if tag == "equal":
            parts.append(" ".join(xs))
        if tag in ("delete", "replace"):
            parts.append("[-" + " ".join(xs) + "-]")
        if tag in ("insert", "replace"):
            parts.append("{+" + " ".join(ys) + "+}")
    return " ".join(parts)
