"""line-model: flag lines a trained model of line features scores as page residue.

The phrase and shape rules (BP1xx-BP303) miss residue on layouts they were not tuned on. This
score kind reads what they flagged (their findings are features: residue comes in blocks), scores
every other line from ``line_features`` with boosted trees fitted by ``bench/train_line_model.py`` (kept
as data in ``rules/boilerplate/data/``), and flags the lines at or above the rule's threshold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qualcheck import line_features
from qualcheck.bundled import bundled_rules_dir
from qualcheck.kinds import Scored, kind
from qualcheck.model import Span
from qualcheck.scoring.sentences import sigmoid


@dataclass(frozen=True, slots=True)
class LineModelParams:
    """``model``: the weights file (relative to the bundled rules folder, or absolute); ``threshold``:
    flag lines whose residue probability reaches it; ``inputs``: codes of the BP rules whose findings
    are features (the engine runs the unselected ones, unreported)."""

    model: str = "boilerplate/data/line-model.json"
    threshold: float = 0.5
    inputs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0 < self.threshold < 1:
            raise ValueError("threshold must be between 0 and 1")


@dataclass(frozen=True, slots=True)
class LineModel:
    """Boosted trees: probability = sigmoid(base + the sum of one leaf value per tree).

    A tree is (feature, threshold, value) in heap order: node i's children are 2i+1 (taken when
    x[feature] < threshold) and 2i+2; a leaf has feature -1.
    """

    base: float
    trees: tuple[tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...]], ...]
    stopwords: frozenset[str]

    def probability(self, row: list[float]) -> float:
        z = self.base
        for feature, threshold, value in self.trees:
            i = 0
            f = feature[0]
            while f >= 0:
                i = 2 * i + 1 if row[f] < threshold[i] else 2 * i + 2
                f = feature[i]
            z += value[i]
        return sigmoid(z)


def load_model(path: str) -> LineModel:
    """Read a model file written by bench/train_line_model.py; its features must be today's."""
    file = Path(path) if Path(path).is_absolute() else bundled_rules_dir() / path
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        trees = tuple((tuple(map(int, f)), tuple(map(float, t)), tuple(map(float, v))) for f, t, v in data["trees"])
        base, stopwords = float(data["base"]), frozenset(data["stopwords"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"model: cannot read {file}: {exc}") from None
    if tuple(data.get("features", ())) != line_features.NAMES:
        raise ValueError(f"model: {file} was trained on other features than qualcheck/line_features.py gives; retrain it")
    width = len(line_features.NAMES)
    for feature, threshold, value in trees:
        if not (len(feature) == len(threshold) == len(value)) or any(f >= width for f in feature):
            raise ValueError(f"model: {file}: a tree is malformed")
        for i, f in enumerate(feature):
            if f >= 0 and 2 * i + 2 >= len(feature):
                raise ValueError(f"model: {file}: a tree's inner node has no children")
    return LineModel(base, trees, stopwords)


def _prepare(params: LineModelParams) -> LineModel:
    return load_model(params.model)


def _inputs(params: LineModelParams) -> tuple[str, ...]:
    return params.inputs


def document_rows(doc, flagged_spans, stopwords: frozenset[str]) -> tuple[list[Span], list[bool], list[list[float]]]:
    """The document's non-blank lines, whether another rule flagged each, and their feature rows."""
    lines = [ln for ln in doc.lines if doc.text[ln.start : ln.end].strip()]
    flagged = line_features.flagged_lines(lines, flagged_spans)
    title = doc.meta.title_span
    texts = [doc.text[ln.start : ln.end] for ln in lines]
    rows = line_features.features(texts, flagged, stopwords, doc.text[title.start : title.end] if title else None)
    return lines, flagged, rows


def score_lines(doc, flagged_spans, model: LineModel) -> tuple[list[Span], list[float]]:
    """The document's non-blank lines and each one's residue probability (-1 where another rule flagged it)."""
    lines, flagged, rows = document_rows(doc, flagged_spans, model.stopwords)
    return lines, [-1.0 if f else model.probability(row) for row, f in zip(rows, flagged)]


@kind("line-model", params=LineModelParams, phase="score", prepare=_prepare, inputs=_inputs, yields=True)
def line_model(doc, evidence, rule, ctx) -> Scored:
    """Flag the lines no other BP rule flagged whose residue probability reaches the threshold."""
    spans = [f.span for f in evidence.findings if f.category == "boilerplate" and f.code != rule.code]
    lines, probs = score_lines(doc, spans, rule.prepared)
    title = doc.meta.title_span
    out = []
    for ln, p in zip(lines, probs):
        if p < rule.params.threshold or (title and ln.start <= title.start < ln.end + 1):
            continue  # flagged by another rule (-1), below the threshold, or the title
        text = doc.text[ln.start : ln.end]
        lead = len(text) - len(text.lstrip())
        span = Span(ln.start + lead, ln.start + len(text.rstrip()))
        out.append(rule.finding(doc, span, score=f"{p:.2f}"))
    return Scored(findings=out, part="boilerplate_lines")
