"""The terminal report: per document its score and findings as path:line:col code message."""

from __future__ import annotations

from collections import Counter

from qualcheck.model import CATEGORIES
from qualcheck.report import Report
from qualcheck.scoring import mean_score
from qualcheck.textsafe import printable


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(report: Report) -> str:
    """Render findings grouped by document, with scores and a closing summary line."""
    lines: list[str] = []
    for d in report.documents:
        cats = "  ".join(f"{c} {'-' if v is None else f'{v:.0f}'}" for c, v in d.score.to_dict().items())
        head = f"{d.document}  score {d.score.overall:.1f}"
        if d.source:
            head += f"  source {d.source}"
        lines.append(head)
        lines.append(f"  {cats}")
        for f in d.findings:
            mark = " [dismissed]" if not f.counts else ""
            lines.append(f"  {f.line}:{f.column}  {f.code} {str(f.severity):7} {f.message}{mark}")
            if f.excerpt.strip() and _short(f.excerpt, 40).rstrip("…") not in f.message:
                lines.append(f"      text: {_short(f.excerpt)}")  # messages that do not quote it still show where
            if f.suggestions:
                # whole, never cut: a suggestion cut mid-word ("the date is kep…") reads as a wrong one
                lines.append(f"      suggestion: {' | '.join(' '.join(s.split()) for s in f.suggestions[:3])}")
        for n in d.notices:
            lines.append(f"  notice: {n.message}")
        lines.append("")
    lines.extend(_cross_source(report))
    run_notices = [n for n in report.notices if n.document is None or n.document not in {d.document for d in report.documents}]
    for n in run_notices:
        lines.append(f"notice: {n}")
    counting = [f for d in report.documents for f in d.counting]
    sev = Counter(str(f.severity) for f in counting)
    by_cat = Counter(f.category for f in counting)
    cat_text = ", ".join(f"{c} {by_cat[c]}" for c in CATEGORIES if by_cat[c])
    mean = mean_score(report) or 0.0
    lines.append(
        f"{len(report.documents)} document(s), {len(counting)} finding(s) "
        f"({sev['error']} error, {sev['warning']} warning, {sev['info']} info"
        + (f"; {cat_text}" if cat_text else "")
        + f"), mean score {mean:.1f}"
        + (", INCOMPLETE: some inputs could not be read" if report.incomplete else "")
    )
    # one line each, shown as it is: a newline or escape sequence in a quoted passage, a source or a
    # record id must not break a line or act on the terminal (it is written as \n, \x1b)
    return "\n".join(printable(line) for line in lines) + "\n"


def _cross_source(report: Report) -> list[str]:
    """A short cross-source section: claim groups by status, contradictions, source reliability."""
    claims, sources = report.claims or [], report.sources or []
    if not claims and not sources:
        return []
    status = Counter(c["status"] for c in claims)
    out = [
        f"cross-source: {len(claims)} claim group(s): {status['corroborated']} corroborated, "
        f"{status['contradicted']} contradicted, {status['single-source']} single-source"
    ]
    for c in claims:
        if c["status"] != "contradicted":
            continue
        by_value: dict[str, list[str]] = {}
        for v in c["values"]:
            by_value.setdefault(_short(v["value"], 40), []).append(v["source"])
        said = "; ".join(f"'{val}' in {', '.join(sorted(set(srcs)))}" for val, srcs in by_value.items())
        out.append(f"  contradicted {c['kind']} {_short(c['subject'], 40)}: {said}")
    for s in sorted(sources, key=lambda s: (-s["reliability"], s["name"])):
        ev = s["evidence"]
        quality = "-" if ev.get("quality") is None else f"{ev['quality']:.0f}"
        out.append(
            f"  source {s['name']}: reliability {s['reliability']:.2f} ({ev['corroborated']} corroborated, "
            f"{ev['contradicted']} contradicted, {ev['single']} single; quality {quality}; {len(s['documents'])} document(s))"
        )
    out.append("")
    return out
