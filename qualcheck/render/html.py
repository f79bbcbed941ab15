"""The HTML report: one self-contained file (inline CSS/JS, no network) for editors.

Everything taken from documents is escaped by Jinja2's autoescape or markupsafe.escape; the
highlighted text is built here from escaped segments, never from raw document text.
"""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from qualcheck.model import CATEGORIES
from qualcheck.report import DocumentReport, Report

_ENV = Environment(loader=PackageLoader("qualcheck", "render/templates"), autoescape=select_autoescape(["html", "j2"]))


def highlight(doc: DocumentReport) -> Markup:
    """Return the document text as escaped HTML with every flagged span wrapped in a <mark>."""
    text = doc.text
    bounds = {0, len(text)}
    for f in doc.findings:
        if f.end > f.start:
            bounds.update((f.start, f.end))
    cuts = sorted(bounds)
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [i for i, f in enumerate(doc.findings) if f.start <= a and b <= f.end and f.end > f.start]
        chunk = str(escape(text[a:b]))
        if covering:
            first = doc.findings[covering[0]]
            cats = " ".join(sorted({f"cat-{doc.findings[i].category}" for i in covering}))
            ids = " ".join(f"f{i}" for i in covering)
            title = escape(" | ".join(f"{doc.findings[i].code}: {doc.findings[i].message}" for i in covering))
            state = "" if all(doc.findings[i].counts for i in covering) else " dismissed"
            parts.append(f'<mark class="{cats}{state}" data-findings="{ids}" data-first="{first.code}" title="{title}">{chunk}</mark>')
        else:
            parts.append(chunk)
    return Markup("".join(parts))


def _bar(value: float | None) -> dict[str, Any]:
    if value is None:
        return {"value": None, "label": "–", "width": 0, "tone": "none"}
    tone = "good" if value >= 80 else "fair" if value >= 60 else "poor"
    return {"value": value, "label": f"{value:.0f}", "width": max(2, round(value)), "tone": tone}


def render(report: Report) -> str:
    """Render the report as one HTML page."""
    docs = []
    for i, d in enumerate(sorted(report.documents, key=lambda d: (d.score.overall, d.document))):
        docs.append(
            {
                "anchor": f"doc{i}",
                "report": d,
                "bars": {c: _bar(v) for c, v in d.score.to_dict().items()},
                "overall": _bar(d.score.overall),
                "html": highlight(d),
                "findings": list(enumerate(d.findings)),
                "stats": d.stats,
            }
        )
    rules = {r["code"]: r for r in report.rules}
    data = json.dumps({"rules": rules}, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    template = _ENV.get_template("report.html.j2")
    return template.render(
        report=report,
        docs=docs,
        categories=CATEGORIES,
        rules=rules,
        rules_json=Markup(data),
        total_findings=sum(len(d.counting) for d in report.documents),
    )
