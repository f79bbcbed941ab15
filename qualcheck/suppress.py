"""Apply editor decisions to findings: mark them (never remove them) so reports show and scores skip them."""

from __future__ import annotations

import re
from fnmatch import fnmatch
from typing import Iterable, Mapping, Sequence

from qualcheck import directives as _directives
from qualcheck.model import Finding, Notice, Suppression
from qualcheck.review import Decision

_CODE = re.compile(r"[A-Z]{2,3}[0-9]{0,3}")


def apply_directives(
    findings: Iterable[Finding], raw: str, document: str, known_codes: Sequence[str], all_codes: Sequence[str] | None = None
) -> tuple[list[Finding], list[Notice]]:
    """Mark findings covered by inline directives; say which directives are unused (QC001) or invalid (QC002).

    ``known_codes`` are the rules enabled in this run; ``all_codes`` every loaded rule, so that a
    code no rule has (a typo such as BP501) is told apart from a rule this run did not select.
    """
    found = _directives.parse(raw)
    out = []
    for f in findings:
        for d in found:
            if not d.problems and d.verb != "enable" and d.covers(f.code, f.start):
                d.used = True
                f = f.with_(suppression=Suppression(kind="directive", status="dismissed", note=f"{d.verb} directive on line {d.line}"))
                break
        out.append(f)
    notices = []
    for d in found:
        malformed = [c for c in d.codes if not _CODE.fullmatch(c)]
        if malformed:
            d.problems.append(f"{', '.join(malformed)} is not a rule code or prefix (e.g. BP105, MT)")
        elif all_codes is not None:
            unknown = [c for c in d.codes if not any(k.startswith(c) for k in all_codes)]
            if unknown:
                d.problems.append(f"no rule code starts with {', '.join(unknown)} (see qualcheck --list-rules)")
        for problem in d.problems:
            notices.append(Notice("warning", f"line {d.line}: QC002 invalid qualcheck directive: {problem}", document=document, code="QC002"))
        # a directive for rules not enabled in this run cannot be judged unused
        enabled = any(k.startswith(c) for c in d.codes for k in known_codes)
        if not d.problems and not d.used and enabled:
            notices.append(Notice("warning", f"line {d.line}: QC001 qualcheck directive {d.verb}[{', '.join(d.codes)}] suppressed nothing; remove it", document=document, code="QC001"))
    return out, notices


def apply_per_file_ignores(findings: Iterable[Finding], document: str, per_file: Mapping[str, Sequence[str]]) -> list[Finding]:
    """Mark findings whose code the config ignores for documents matching a glob (kept visible, not scored)."""
    prefixes = [(pattern, c) for pattern, codes in per_file.items() if fnmatch(document, pattern) for c in codes]
    out = []
    for f in findings:
        hit = next((p for p, c in prefixes if f.code.startswith(c.upper())), None)
        if hit is not None and f.suppression is None:
            f = f.with_(suppression=Suppression(kind="config", status="dismissed", note=f"per-file-ignores {hit!r}"))
        out.append(f)
    return out


def apply_decisions(findings: Iterable[Finding], decisions: Mapping[str, Decision], used: set[str] | None = None, kind: str = "decision") -> list[Finding]:
    """Mark findings an editor decided on; dismissed ones stop counting (``Finding.counts``).

    A finding that an in-source directive already suppressed keeps that suppression. The
    fingerprints that matched are added to ``used`` so the caller can report stale decisions.
    A baseline (``kind="baseline"``) is the same mechanism: a decisions file of dismissed findings.
    """
    out = []
    for f in findings:
        decision = decisions.get(f.fingerprint) if f.fingerprint else None
        if decision is not None:
            if used is not None:
                used.add(f.fingerprint)
            if f.suppression is None:
                f = f.with_(suppression=Suppression(kind=kind, status=decision.status, note=decision.note))
        out.append(f)
    return out
