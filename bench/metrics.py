"""Rank statistics and a small logistic regression shared by the evaluation scripts (no SciPy needed)."""

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


def logistic(X, y, w, l2=1.0, iters=50):
    """Weighted L2-regularised logistic regression by Newton's method on standardised features; raw-scale coefficients."""
    import numpy as np

    mu, sd = X.mean(0), X.std(0)
    sd[sd == 0] = 1.0
    Z = np.hstack([np.ones((len(X), 1)), (X - mu) / sd])
    beta = np.zeros(Z.shape[1])
    reg = np.eye(Z.shape[1]) * l2
    reg[0, 0] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-Z @ beta))
        grad = Z.T @ (w * (p - y)) + reg @ beta
        hess = (Z * (w * p * (1 - p))[:, None]).T @ Z + reg
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    coef = beta[1:] / sd
    return beta[0] - (coef * mu).sum(), coef


def out_of_fold(X, y, w, folds, l2=1.0, iters=50):
    """Each row's log-odds from the logistic model fitted on the other folds (``folds``: a fold number per row)."""
    import numpy as np

    odds = np.zeros(len(y))
    for k in np.unique(folds):
        b0, coef = logistic(X[folds != k], y[folds != k], w[folds != k], l2=l2, iters=iters)
        odds[folds == k] = b0 + X[folds == k] @ coef
    return odds


def probe_yaml(key: str, layer: int, intercept: float, coef) -> str:
    """A fitted LM probe as the one YAML line its rule's params take (5 significant digits)."""
    return f"  {key}: {{layer: {layer}, intercept: {intercept:.5g}, weights: [{', '.join(f'{c:.5g}' for c in coef)}]}}\n"
