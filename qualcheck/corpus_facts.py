"""What corpus rules need of each document, computed before they run: whether a gate rule excludes
it (MT110: not English), and for the agreement rules its claims and event keywords.

These depend only on the document (and the rule files), so they come from the store when it has
them. The rest are computed by the document phase's workers (or its Dask cluster) when it has
them, else in ``jobs`` forked worker processes of their own; each document's facts come back in
document order, so a parallel run gives the facts a serial one does.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Iterator, Sequence

from qualcheck import forked
from qualcheck.context import Context


def gated(documents: Sequence[Any], compute: Facts, cache: Any, jobs: int = 1, timings: dict[str, float] | None = None,
          remote: Callable[..., Iterator[dict[str, Any]]] | None = None, notices: list | None = None) -> set[str]:
    """Ids of the documents a gate rule excludes from corpus rules.

    When ``compute`` wants claims, each document's claims and keywords are computed (or read from
    the store) on the way and handed to the agreement rules through ``cache.claims``/``cache.keywords``.
    ``remote(documents, gate_codes, known, wants_claims)``: computes them elsewhere (the document
    phase's workers, or its Dask cluster). ``notices``: where a document whose claims could not be
    read is named (an error: the run is incomplete).
    """
    wants_claims = compute.wants_claims
    if not wants_claims and not compute.gate_rules:
        return set()
    started = time.perf_counter()
    used: dict[str, int] = {}

    def many(docs: Sequence[Any]) -> Iterator[dict[str, Any]]:
        if remote is not None and docs:
            used["remote"] = len(docs)
            return remote(list(docs), tuple(r.code for r in compute.gate_rules), compute.known, wants_claims)
        count = forked.workers(len(docs), jobs)
        if count > 1:
            used["workers"] = count
        return forked.map_in_order(compute, docs, jobs)

    if wants_claims:
        facts = cache.facts(documents, many)
        out = {doc_id for doc_id, f in facts.items() if f["gated"]}
        if notices is not None:  # a document whose claims failed: named, and the run is incomplete
            from qualcheck.model import Notice

            notices.extend(Notice("error", f["problem"], document=doc_id, code="check") for doc_id, f in facts.items() if f.get("problem"))
    else:  # no agreement rule: only the gate verdicts, never stored
        out = {doc.id for doc, f in zip(documents, many(documents)) if f["gated"]}
    if timings is not None:
        timings["corpus-facts"] = timings.get("corpus-facts", 0.0) + time.perf_counter() - started
        if used.get("workers"):
            timings["corpus-facts-workers"] = float(used["workers"])
        if used.get("remote"):
            timings["corpus-facts-remote-workers"] = 1.0  # computed by the document phase's workers or cluster
    return out


class Facts:
    """One document's facts; a plain callable so forked workers can run it on their own documents."""

    def __init__(self, gate_rules, known, wants_claims, ctx: Context, run_rule) -> None:
        self.gate_rules, self.known, self.wants_claims = gate_rules, known, wants_claims
        self.ctx, self.run_rule = ctx, run_rule  # a forked worker runs the gate rules in its copy of ctx

    def __call__(self, doc: Any) -> dict[str, Any]:
        if doc.id in self.known:
            is_gated = self.known[doc.id]
        else:
            is_gated = any(self.run_rule(rule, doc, self.ctx, [], doc.id, {}) for rule in self.gate_rules)
        facts: dict[str, Any] = {"gated": is_gated, "claims": [], "keywords": {}}
        if self.wants_claims and not is_gated:
            from qualcheck.agreement import claims as _claims
            from qualcheck.agreement import events as _events

            try:
                facts.update(claims=_claims.extract(doc, _claims.vocabulary()), keywords=dict(_events.keywords(doc)))
            except Exception as exc:  # one document's claims must not end the corpus step: it is compared with nothing
                facts["problem"] = f"its claims could not be read ({type(exc).__name__}: {exc}); it is left out of the cross-source comparison"
        doc.release()
        return facts
