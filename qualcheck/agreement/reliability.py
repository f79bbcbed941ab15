"""Source reliability by truth discovery (TruthFinder, Yin, Han & Yu 2008), not majority voting.

Each claim group is an object; each source asserts a value for it. A source's trust is the mean
confidence of the values it asserts; a value's confidence grows with the trust of the sources
asserting it and with support from compatible values ("more than 14,000" supports "14,000"), and
shrinks with conflicting ones. Near-duplicate copies of one article vote once, so a copying
source cannot outvote the truth. Worked example (γ=0.3, ρ=0.5, prior trust 0.8, τ=-ln(1-t)):
three independent sources say 100 and one says 60: σ(100)=3·1.609=4.83, σ(60)=1.61;
with conflict σ*(100)=4.83-0.5·1.61=4.02, σ*(60)=1.61-0.5·4.83=-0.80; confidence
s=1/(1+e^{-0.3σ*}) gives 0.77 and 0.44, so the lone source's trust drops below the others'.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Hashable, Mapping, Sequence


@dataclass(frozen=True)
class Assertion:
    """One voter's value for one object: ``voter`` groups near-duplicate copies (one vote)."""

    obj: str
    value: Hashable
    source: str
    voter: str


@dataclass
class Result:
    """Trust per source, confidence per (object, value), and the winning value per object."""

    trust: dict[str, float]
    confidence: dict[tuple[str, Hashable], float]
    truth: dict[str, Hashable]
    iterations: int
    evidence: dict[str, dict[str, int]] = field(default_factory=dict)


def truthfinder(
    assertions: Sequence[Assertion],
    compatible: Callable[[Hashable, Hashable], bool],
    *,
    prior: Mapping[str, float] | None = None,
    default_trust: float = 0.8,
    gamma: float = 0.3,
    rho: float = 0.5,
    max_iter: int = 20,
    tol: float = 1e-4,
) -> Result:
    """Run TruthFinder over the assertions.

    Args:
        compatible: whether two values of one object agree (implication +1) or conflict (-1).
        prior: initial trust per source (e.g. from document quality scores); default ``default_trust``.
    """
    by_obj: dict[str, dict[Hashable, dict[str, set[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for a in assertions:
        by_obj[a.obj][a.value][a.voter].add(a.source)
    sources = sorted({a.source for a in assertions})
    trust = {s: min(0.99, max(0.01, (prior or {}).get(s, default_trust))) for s in sources}
    implication: dict[str, dict[tuple[Hashable, Hashable], float]] = {}
    for obj, values in by_obj.items():
        vals = list(values)
        implication[obj] = {
            (v, w): (1.0 if compatible(v, w) else -1.0) for v in vals for w in vals if v != w
        }
    confidence: dict[tuple[str, Hashable], float] = {}
    iterations = 0
    for iterations in range(1, max_iter + 1):
        tau = {s: -math.log(1 - t) for s, t in trust.items()}
        sigma: dict[tuple[str, Hashable], float] = {}
        for obj, values in by_obj.items():
            for value, voters in values.items():
                # copies of one article vote once, with their sources' mean trust
                sigma[(obj, value)] = sum(sum(tau[s] for s in srcs) / len(srcs) for srcs in voters.values())
        new_conf = {}
        for obj, values in by_obj.items():
            for value in values:
                adjusted = sigma[(obj, value)] + rho * sum(
                    sigma[(obj, other)] * implication[obj][(other, value)] for other in values if other != value
                )
                new_conf[(obj, value)] = 1 / (1 + math.exp(-gamma * adjusted))
        per_source: dict[str, list[float]] = defaultdict(list)
        for a in assertions:
            per_source[a.source].append(new_conf[(a.obj, a.value)])
        new_trust = {s: min(0.99, max(0.01, sum(c) / len(c))) for s, c in per_source.items()}
        change = max((abs(new_trust[s] - trust[s]) for s in sources), default=0.0)
        trust, confidence = new_trust, new_conf
        if change < tol:
            break
    truth = {}
    for obj, values in by_obj.items():
        truth[obj] = max(values, key=lambda v: (confidence[(obj, v)], len(values[v]), str(v)))
    return Result(trust=trust, confidence=confidence, truth=truth, iterations=iterations)


def blend(trust: float | None, quality: float | None, weight_quality: float = 0.25) -> float:
    """Reliability 0–1 from agreement trust and mean document quality (0–100); either may be missing."""
    if trust is None and quality is None:
        return 0.5
    if trust is None:
        return round(quality / 100, 3)
    if quality is None:
        return round(trust, 3)
    return round((1 - weight_quality) * trust + weight_quality * quality / 100, 3)


def with_quality(sources: list[dict], doc_scores: Mapping[str, float]) -> list[dict]:
    """Fill each source's evidence.quality (mean document score) and its blended reliability."""
    out = []
    for src in sources:
        scores = [doc_scores[d] for d in src["documents"] if d in doc_scores]
        quality = round(sum(scores) / len(scores), 1) if scores else None
        evidence = {**src["evidence"], "quality": quality}
        out.append({**src, "evidence": evidence, "reliability": blend(evidence.get("trust"), quality)})
    return out
