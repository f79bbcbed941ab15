"""The JSON report: a public contract (schema_version 1), deterministic, keys sorted.

Layout::

    {"schema_version": 1,
     "tool": {"name": "qualcheck", "version": ...},
     "summary": {"documents", "findings", "by_severity", "by_category", "mean_score"},
     "rules": [{"code", "name", "kind", "category", "severity", "summary", "why", "link"}],
     "documents": [{"path", "title", "source", "date", "score", "scores": {category: 0-100 | null},
                    "stats": {"words", "sentences", "paragraphs", "characters", readability metrics...},
                    "findings": [{"code", "rule", "category", "severity", "start", "end", "line",
                                  "column", "end_line", "end_column", "excerpt", "message",
                                  "suggestions", "fingerprint", ...}],
                    "notices": [...],
                    "sentences"?, "grammar_sentences"?, "agreement"?}],
     "notices": [{"level", "message", "document"?, "code"?}],
     "claims"?, "sources"?}
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson

from qualcheck.model import CATEGORIES
from qualcheck.report import Report
from qualcheck.scoring import mean_score


def document_item(d) -> dict[str, Any]:
    """One document's entry of the report (also one line of the JSONL report)."""
    item = {
        "path": d.document,
        "title": d.title,
        "source": d.source,
        "date": d.date,
        "score": d.score.overall,
        "scores": d.score.to_dict(),
        "stats": dict(d.stats),
        "findings": [f.to_dict() for f in d.findings],
        "notices": [n.to_dict() for n in d.notices],
    }
    if d.record_line is not None:
        item["record_line"] = d.record_line
    item.update(d.parts())
    return item


def run_items(report: Report, lazy_claims: bool = False) -> dict[str, Any]:
    """Everything about the run but the documents: summary, rules, notices, claims and sources
    (``lazy_claims``: the claims part as the report holds it, for a renderer that writes it group by group)."""
    findings = report.findings
    counting = [f for f in findings if f.counts]
    mean = mean_score(report)
    out = {
        "schema_version": report.schema_version,
        "tool": {"name": "qualcheck", "version": report.tool_version},
        "summary": {
            "documents": len(report.documents),
            "findings": len(counting),
            "suppressed": len(findings) - len(counting),
            "by_severity": {s: sum(1 for f in counting if str(f.severity) == s) for s in ("error", "warning", "info")},
            "by_category": {c: n for c, n in sorted(Counter(f.category for f in counting).items())},
            "mean_score": None if mean is None else round(mean, 1),
            "incomplete": report.incomplete,
        },
        "categories": list(CATEGORIES),
        "rules": [dict(r) for r in report.rules],
        "notices": [n.to_dict() for n in report.notices],
    }
    for name in ("claims", "sources"):
        if getattr(report, name) is not None:
            value = getattr(report, name)  # the claims part may be a view that builds each group as it is read
            out[name] = value if lazy_claims and name == "claims" else list(value)
    return out


def to_dict(report: Report) -> dict[str, Any]:
    """Build the JSON-ready structure of a report."""
    return {**run_items(report), "documents": [document_item(d) for d in report.documents]}


def render(report: Report) -> str:
    """Render the report as indented, key-sorted JSON.

    orjson writes what ``json.dumps(..., indent=2, sort_keys=True, ensure_ascii=False)`` wrote, at C
    speed (the standard library has no C encoder for indented output: 0.66 s against 0.04 s for the
    BBC corpus's 16 MB report); the one difference is that it writes small floats without an
    exponent (0.00001, not 1e-05): the same numbers."""
    return orjson.dumps(to_dict(report), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE).decode("utf-8")
