"""Apply editor decisions to findings: mark them (never remove them) so reports show and scores skip them."""

from __future__ import annotations

from typing import Iterable, Mapping

from qualcheck.model import Finding, Suppression
from qualcheck.review import Decision


def apply_decisions(findings: Iterable[Finding], decisions: Mapping[str, Decision], used: set[str] | None = None) -> list[Finding]:
    """Mark findings an editor decided on; dismissed ones stop counting (``Finding.counts``).

    A finding that an in-source directive already suppressed keeps that suppression. The
    fingerprints that matched are added to ``used`` so the caller can report stale decisions.
    """
    out = []
    for f in findings:
        decision = decisions.get(f.fingerprint) if f.fingerprint else None
        if decision is not None:
            if used is not None:
                used.add(f.fingerprint)
            if f.suppression is None:
                f = f.with_(suppression=Suppression(kind="decision", status=decision.status, note=decision.note))
        out.append(f)
    return out
