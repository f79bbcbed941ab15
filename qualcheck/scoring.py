"""Turn findings into 0–100 scores per category and overall, normalised by document length.

Each counting finding adds its severity weight (default info 1, warning 2, error 5) to the
penalty of its category. The penalty is divided by the document's length in hundreds of words
(with a floor of ``min_words``, so a one-line document is not judged on a tiny denominator)
and the category score halves every ``half_density`` penalty points per 100 words::

    score = 100 * 0.5 ** ((penalty / (max(words, min_words) / 100)) / half_density)

A kind may instead record a continuous score for its category (``ctx.measure(doc,
"score.translation", 83.0)``); that score is used as the category score.

The overall score is the weighted mean of the categories that ran (default weights: grammar 1,
translation 1, boilerplate 1, readability 0.5, agreement 1); categories that did not run are null
and leave the mean.

Worked example (defaults: half_density 4, min_words 50). A 400-word article with one boilerplate
error and two boilerplate warnings, one grammar warning, nothing else, grammar, boilerplate and
readability having run:

    boilerplate: penalty 5 + 2 + 2 = 9; density 9 / 4 = 2.25; score 100 * 0.5 ** (2.25 / 4) = 67.7
    grammar:     penalty 2;           density 2 / 4 = 0.5;  score 100 * 0.5 ** (0.5 / 4)  = 91.7
    readability: no findings;                                score 100.0
    overall:     (1 * 67.7 + 1 * 91.7 + 0.5 * 100.0) / 2.5 = 83.8

``tests/test_scoring.py`` checks these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from qualcheck.model import CATEGORIES, Finding, Score, Severity

DEFAULT_SEVERITY_WEIGHTS = {"info": 1.0, "warning": 2.0, "error": 5.0}
DEFAULT_CATEGORY_WEIGHTS = {"grammar": 1.0, "translation": 1.0, "boilerplate": 1.0, "readability": 0.5, "agreement": 1.0}


@dataclass(frozen=True)
class ScoringSettings:
    """Weights and scales of the score; configurable under ``[tool.qualcheck.scoring]``."""

    severity_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SEVERITY_WEIGHTS))
    category_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_CATEGORY_WEIGHTS))
    half_density: float = 4.0
    min_words: int = 50


def category_score(penalty: float, words: int, settings: ScoringSettings) -> float:
    """Score one category from its summed severity weights and the document length."""
    hundreds = max(words, settings.min_words) / 100.0
    return 100.0 * 0.5 ** ((penalty / hundreds) / settings.half_density)


def score_document(
    findings: Iterable[Finding],
    words: int,
    ran: Iterable[str],
    measured: Mapping[str, float] | None = None,
    settings: ScoringSettings | None = None,
) -> Score:
    """Score one document; categories not in ``ran`` are None and do not enter the overall score."""
    settings = settings or ScoringSettings()
    ran = set(ran)
    measured = measured or {}
    penalty = {c: 0.0 for c in CATEGORIES}
    for f in findings:
        if f.counts:
            penalty[f.category] += settings.severity_weights[str(Severity(f.severity))]
    categories: dict[str, float | None] = {}
    for c in CATEGORIES:
        if c not in ran:
            categories[c] = None
        elif c in measured:
            categories[c] = max(0.0, min(100.0, float(measured[c])))
        else:
            categories[c] = category_score(penalty[c], words, settings)
    weighted = [(settings.category_weights.get(c, 1.0), v) for c, v in categories.items() if v is not None]
    total = sum(w for w, _ in weighted)
    overall = sum(w * v for w, v in weighted) / total if total else 100.0
    return Score(overall=round(overall, 1), categories={c: (None if v is None else round(v, 1)) for c, v in categories.items()})
