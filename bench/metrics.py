"""Rank statistics shared by the evaluation scripts (plain Python, so no SciPy is needed)."""

from __future__ import annotations

import math
from typing import Sequence


def ranks(xs: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    out = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson correlation; nan below 3 points, 0.0 when a side is constant (it carries no signal)."""
    n = len(xs)
    if n < 3:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return sxy / (sx * sy) if sx and sy else 0.0


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman rank correlation: Pearson of the ranks."""
    return pearson(ranks(xs), ranks(ys))


def auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    """ROC-AUC as the Mann-Whitney probability that a positive scores above a negative; ties count half."""
    if not pos or not neg:
        return float("nan")
    r = ranks(list(pos) + list(neg))
    r_pos = sum(r[: len(pos)])
    return (r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))
