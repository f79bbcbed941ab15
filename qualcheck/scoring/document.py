"""Turn findings into 0–100 scores per category and overall, normalised by document length.

Each counting finding adds its severity weight (default info 1, warning 2, error 5), or its rule's
weight where ``rule_weights`` gives one (default: FA106's single-source notes weigh 0), to the
penalty of its category; a finding that weighs 0 neither caps a category nor fails the gate on score. The penalty is divided by the document's length in hundreds of words
(with a floor of ``min_words``, so a one-line document is not judged on a tiny denominator)
and the category score halves every ``half_density`` penalty points per 100 words::

    score = 100 * 0.5 ** ((penalty / (max(words, min_words) / 100)) / half_density)

A score rule may instead give a continuous score for its category (``kinds.Scored.score``: MT900's
translation score, from ``scoring/sentences.py``); that score is used as the category score.

A category cannot hide a defect behind a long article: a counting error-severity finding, or
counting warnings on ``several`` distinct lines (default 2: two garbled sentences, or a residue block
of two lines), caps the category at ``cap`` (default 45).

The overall score is the weighted mean of the categories that ran (default weights: grammar 1,
translation 1, boilerplate 1, readability 0.5, agreement 1), but at most the weakest category plus
``margin`` (default 20): four clean categories do not average a broken one away. So with the
defaults a capped category puts the overall score at 65 or less, under the recommended gate of 70.
Categories that did not run are null and leave the mean. ``bench/eval_gate.py`` measures the gate.

Worked example (defaults: half_density 4, min_words 50). A 400-word article with one boilerplate
error and two boilerplate warnings, one grammar warning, nothing else, grammar, boilerplate and
readability having run:

    boilerplate: penalty 5 + 2 + 2 = 9; density 9 / 4 = 2.25; 100 * 0.5 ** (2.25 / 4) = 67.7, the error caps it: 45.0
    grammar:     penalty 2;           density 2 / 4 = 0.5;  score 100 * 0.5 ** (0.5 / 4)  = 91.7
    readability: no findings;                                score 100.0
    overall:     mean (1 * 45.0 + 1 * 91.7 + 0.5 * 100.0) / 2.5 = 74.7, at most 45.0 + 20 = 65.0

``tests/test_scoring.py`` checks these numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from qualcheck.model import CATEGORIES, Finding, Score, Severity

DEFAULT_SEVERITY_WEIGHTS = {"info": 1.0, "warning": 2.0, "error": 5.0}
# boilerplate was 3 until December: two flagged residue lines left 6 of the 9 held-out residue articles
# passing the gate, while 2 caps at most 4 of 1,069 clean BBC articles in any of four layouts
# (as published, hard-wrapped, one paragraph or one sentence a line; 3 capped at most 1)
DEFAULT_SEVERAL = {"translation": 2, "boilerplate": 2}
DEFAULT_CATEGORY_WEIGHTS = {"grammar": 1.0, "translation": 1.0, "boilerplate": 1.0, "readability": 0.5, "agreement": 1.0}
# FA106 (a figure only one source gives) is a note for the editor, not a defect: an article rich in
# figures of its own would otherwise score low on agreement (19 such notes sank one clean BBC article to 45)
DEFAULT_RULE_WEIGHTS = {"FA106": 0.0}


@dataclass(frozen=True)
class ScoringSettings:
    """Weights and scales of the score; configurable under ``[tool.qualcheck.scoring]``."""

    severity_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SEVERITY_WEIGHTS))
    category_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_CATEGORY_WEIGHTS))
    half_density: float = 4.0
    min_words: int = 50
    cap: float = 45.0  # the most a category scores with an error finding or warnings on `several` lines
    several: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_SEVERAL))
    margin: float = 20.0  # the overall score is at most the weakest category plus this
    rule_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RULE_WEIGHTS))  # code -> weight instead of its severity's


def category_score(penalty: float, words: int, settings: ScoringSettings) -> float:
    """Score one category from its summed severity weights and the document length."""
    hundreds = max(words, settings.min_words, 1) / 100.0
    exponent = (penalty / hundreds) / settings.half_density
    if not math.isfinite(exponent):  # weights and lengths are validated at load; never crash on the rest
        return 0.0 if exponent > 0 else 100.0
    # 0.5 ** x underflows to 0 past x ~ 1075 and overflows for x < -1023: clamp into the score's range
    return 100.0 * 0.5 ** min(max(exponent, 0.0), 2000.0)


def score_document(
    findings: Iterable[Finding],
    words: int,
    ran: Iterable[str],
    measured: Mapping[str, float] | None = None,
    settings: ScoringSettings | None = None,
) -> Score:
    """Score one document; categories not in ``ran`` are None and do not enter the overall score.

    ``measured``: category -> the score a score rule gave it, used instead of the finding-based one.
    """
    settings = settings or ScoringSettings()
    ran = set(ran)
    measured = measured or {}
    penalty = {c: 0.0 for c in CATEGORIES}
    capped: set[str] = set()
    warned: dict[str, set[int]] = {c: set() for c in CATEGORIES}
    for f in findings:
        weight = settings.rule_weights.get(f.code, settings.severity_weights[str(Severity(f.severity))])
        if f.counts and weight > 0:
            penalty[f.category] += weight
            if f.severity >= Severity.ERROR:
                capped.add(f.category)
            if f.severity >= Severity.WARNING:
                warned[f.category].add(f.line)
    capped |= {c for c, n in settings.several.items() if c in warned and len(warned[c]) >= n}
    categories: dict[str, float | None] = {}
    for c in CATEGORIES:
        if c not in ran:
            categories[c] = None
        elif c in measured and _finite(measured[c]):
            categories[c] = max(0.0, min(100.0, float(measured[c])))
        else:
            categories[c] = category_score(penalty[c], words, settings)
        if c in capped and categories[c] is not None:
            categories[c] = min(categories[c], settings.cap)
    weighted = [(settings.category_weights.get(c, 1.0), v) for c, v in categories.items() if v is not None]
    total = sum(w for w, _ in weighted)
    overall = sum(w * v for w, v in weighted) / total if total > 0 and math.isfinite(total) else 100.0
    if any(w > 0 for w, _ in weighted):
        overall = min(overall, min(v for w, v in weighted if w > 0) + settings.margin)
    if not math.isfinite(overall):
        overall = 0.0
    return Score(overall=round(overall, 1), categories={c: (None if v is None else round(v, 1)) for c, v in categories.items()})


def gate(report, fail_under: float | None, fail_on=None) -> list[str]:
    """Return why the gate fails (empty when it passes): a document under the bar or a severe finding."""
    return [reason for doc in report.documents for reason in document_gate(doc, fail_under, fail_on)]


def document_gate(doc, fail_under: float | None, fail_on=None) -> list[str]:
    """Return why one document fails the gate (empty when it passes); dismissed findings never count."""
    reasons = []
    if fail_under is not None and doc.stats.get("words", 1) == 0:
        # a score of 100 for no text would let an empty or markup-only article through the gate
        reasons.append(f"{doc.document}: no article text to score")
    elif fail_under is not None and doc.score.overall < fail_under:
        reasons.append(f"{doc.document}: score {doc.score.overall:.1f} is below {fail_under:g}")
    if fail_on is not None:
        worst = [f for f in doc.counting if f.severity >= fail_on]
        if worst:
            reasons.append(f"{doc.document}: {len(worst)} finding(s) at {fail_on} or above")
    return reasons


def _finite(value: object) -> bool:
    """A measured score a kind recorded is used only when it is a real number (NaN would poison the mean)."""
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return False


def mean_score(report) -> float | None:
    """The mean overall score of a report's documents (None without documents): the summary every renderer shows."""
    docs = report.documents
    return sum(d.score.overall for d in docs) / len(docs) if docs else None
