"""The HTML review report: one self-contained page (inline CSS/JS, no network) where editors work.

The page embeds the report as JSON and its script builds the overview table and, only when an
editor opens one, a document's highlighted text: a 1,000-document report holds one JSON block, not
1,000 DOM trees. Everything taken from documents reaches the page either as JSON inside
``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as ``\\u003c`` escapes (so no
``</script>`` can end the block early) and is put on screen with ``textContent``, or through
Jinja2's autoescape. Offsets are converted from code points to the UTF-16 units JavaScript strings
count, so highlights stay on the flagged text after an emoji.
"""

from __future__ import annotations

import hashlib
import json
from itertools import accumulate
from typing import Any, Callable, Mapping

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from qualcheck.model import CATEGORIES, Finding, Location, Severity
from qualcheck.report import DocumentReport, Report
from qualcheck.scoring import mean_score

_ENV = Environment(loader=PackageLoader("qualcheck", "render/templates"), autoescape=select_autoescape(["html", "j2"]))
BINS = 10


def utf16_offsets(text: str) -> Callable[[int], int]:
    """Return a function mapping code-point offsets of ``text`` to UTF-16 offsets (JavaScript's)."""
    if all(ord(ch) < 0x10000 for ch in text):
        return lambda i: i
    prefix = [0, *accumulate(2 if ord(ch) >= 0x10000 else 1 for ch in text)]
    return lambda i: prefix[max(0, min(i, len(text)))]


def script_json(data: Any) -> Markup:
    """Serialise data for a <script type="application/json"> block that no document text can break out of."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return Markup(text)


def _location(loc: Location, offsets: Mapping[str, Callable[[int], int]]) -> dict[str, Any]:
    conv = offsets.get(loc.document, lambda i: i)
    return {"d": loc.document, "a": conv(loc.start), "b": conv(loc.end), "l": loc.line, "o": loc.column, "x": loc.excerpt, "m": loc.message}


def _finding(f: Finding, conv: Callable[[int], int], offsets: Mapping[str, Callable[[int], int]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "c": f.code,
        "r": f.rule,
        "k": f.category,
        "s": int(Severity(f.severity)),
        "a": conv(f.start),
        "b": conv(f.end),
        "l": f.line,
        "o": f.column,
        "m": f.message,
        "p": f.fingerprint,
    }
    if f.suggestions:
        out["g"] = list(f.suggestions)
    if f.related:
        out["rel"] = [_location(loc, offsets) for loc in f.related]
    if f.suppression is not None:
        out["sup"] = f.suppression.to_dict()
    return out


def _document(d: DocumentReport, offsets: Mapping[str, Callable[[int], int]]) -> dict[str, Any]:
    conv = offsets[d.document]
    stats = {k: v for k, v in d.stats.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return {
        "id": d.document,
        "title": d.title,
        "source": d.source,
        "date": d.date,
        "score": d.score.overall,
        "scores": [d.score.categories.get(c) for c in CATEGORIES],
        "stats": stats,
        "notices": [n.message for n in d.notices],
        "text": d.text,
        "f": [_finding(f, conv, offsets) for f in d.findings],
    }


def _claims(claims: Any, offsets: Mapping[str, Callable[[int], int]]) -> list[dict[str, Any]]:
    out = []
    for claim in claims or []:
        if not isinstance(claim, Mapping):
            continue
        item = dict(claim)
        values = []
        for v in claim.get("values") or []:
            v = dict(v)
            conv = offsets.get(v.get("document"), lambda i: i)
            for key in ("start", "end"):
                if isinstance(v.get(key), int):
                    v[key] = conv(v[key])
            values.append(v)
        item["values"] = values
        out.append(item)
    return out


def histogram(scores: list[float]) -> Markup:
    """Return an inline SVG bar chart of the overall scores in ten bins (0–9, …, 90–100)."""
    counts = [0] * BINS
    for s in scores:
        counts[min(BINS - 1, max(0, int(s // (100 / BINS))))] += 1
    top = max(counts) or 1
    width, height, pad, bar_w = 420, 150, 24, 36
    parts = [f'<svg class="histogram" viewBox="0 0 {width} {height + 40}" role="img" aria-label="Distribution of overall scores">']
    for i, n in enumerate(counts):
        h = round((height - pad) * n / top)
        x = 10 + i * (bar_w + 5)
        y = height - h
        lo, hi = i * 10, (i + 1) * 10
        tone = "good" if lo >= 80 else "fair" if lo >= 60 else "poor"
        parts.append(
            f'<g class="bin" data-min="{lo}" data-max="{hi}"><title>{n} document(s) scoring {lo}–{hi if hi < 100 else 100}</title>'
            f'<rect class="tone-{tone}" x="{x}" y="{y}" width="{bar_w}" height="{max(h, 1 if n else 0)}" rx="3"></rect>'
            f'<rect class="hit" x="{x}" y="0" width="{bar_w}" height="{height}"></rect>'
            f'<text x="{x + bar_w / 2}" y="{y - 4}" text-anchor="middle" class="n">{n if n else ""}</text>'
            f'<text x="{x + bar_w / 2}" y="{height + 16}" text-anchor="middle">{lo}</text></g>'
        )
    parts.append(f'<text x="{width / 2}" y="{height + 36}" text-anchor="middle" class="axis">overall score</text></svg>')
    return Markup("".join(parts))


def page_data(report: Report) -> dict[str, Any]:
    """Build the JSON the page's script reads."""
    offsets = {d.document: utf16_offsets(d.text) for d in report.documents}
    rules = {
        r["code"]: {k: r.get(k) for k in ("name", "category", "severity", "summary", "why", "link", "kind")}
        for r in report.rules
    }
    for d in report.documents:  # findings of rules not in the enabled list (e.g. QC) still get a name
        for f in d.findings:
            rules.setdefault(f.code, {"name": f.rule, "category": f.category, "severity": str(f.severity), "summary": "", "why": "", "link": None})
    return {
        "version": report.tool_version,
        "categories": list(CATEGORIES),
        "rules": rules,
        "documents": [_document(d, offsets) for d in sorted(report.documents, key=lambda d: d.document)],
        "claims": _claims(report.claims, offsets) if report.claims else None,
        "sources": list(report.sources) if report.sources else None,
        "settings": dict(report.settings),
    }


def render(report: Report) -> str:
    """Render the report as one HTML page."""
    data = page_data(report)
    blob = script_json(data)
    counting = [f for f in report.findings if f.counts]
    template = _ENV.get_template("report.html.j2")
    return template.render(
        report=report,
        data_json=blob,
        report_id=hashlib.sha1(str(blob).encode("utf-8")).hexdigest()[:12],
        histogram=histogram([d.score.overall for d in report.documents]),
        total_findings=len(counting),
        dismissed=len(report.findings) - len(counting),
        by_severity={s: sum(1 for f in counting if str(f.severity) == s) for s in ("error", "warning", "info")},
        mean_score=mean_score(report),
        escape=escape,
    )
