"""The SARIF 2.1.0 report, for code-scanning dashboards (GitHub, Azure DevOps, IDE viewers).

Every enabled rule is described (summary, why, help link); results carry 1-based line/column regions
counted in code points (``columnKind: unicodeCodePoints``), agreement findings their passages in other
sources as ``relatedLocations``, dismissed findings a ``suppressions`` entry, and every result the
stable finding fingerprint as ``partialFingerprints`` so dashboards track it across edits.

A document from a JSON Lines corpus (``corpus.jsonl#id``) points at the corpus file with the article
id as a logical location, and its region is the record's line (no columns: positions inside one JSON
string do not map to columns of the file); the exact offsets stay in the result's properties.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from qualcheck.discover import split_record
from qualcheck.model import Finding, Location, Severity
from qualcheck.report import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/qualcheck/"
FINGERPRINT_KEY = "qualcheckFingerprint/v1"
LEVELS = {Severity.INFO: "note", Severity.WARNING: "warning", Severity.ERROR: "error"}
NOTICE_LEVELS = {"info": "note", "warning": "warning", "error": "error"}


def _artifact(document: str) -> tuple[dict[str, Any], str | None]:
    """Return the artifact location of a document and, for a corpus entry, its article id."""
    path, article = split_record(document)
    location: dict[str, Any] = {"uri": quote(path, safe="/:")}
    return location, article


def _region(line: int, column: int, end_line: int, end_column: int, start: int, end: int, excerpt: str) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": max(1, line),
        "startColumn": max(1, column),
        "endLine": max(1, end_line or line),
        "endColumn": max(1, end_column or column),
        "charOffset": start,
        "charLength": max(0, end - start),
    }
    if excerpt:
        region["snippet"] = {"text": excerpt}
    return region


def _physical(document: str, region: dict[str, Any] | None, record_line: int | None = None) -> dict[str, Any]:
    artifact, article = _artifact(document)
    out: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact}}
    if article is None and region is not None:
        out["physicalLocation"]["region"] = region
    elif article is not None and record_line:
        out["physicalLocation"]["region"] = {"startLine": record_line, "endLine": record_line}
    if article is not None:
        out["logicalLocations"] = [{"name": article, "fullyQualifiedName": document, "kind": "object"}]
    return out


def _related(index: int, loc: Location, record_lines: dict[str, int | None]) -> dict[str, Any]:
    # A Location knows where it starts, not where it ends on the line: give offsets, not an end column.
    region: dict[str, Any] = {"charOffset": loc.start, "charLength": max(0, loc.end - loc.start)}
    if loc.line > 0:
        region.update(startLine=loc.line, startColumn=max(1, loc.column))
    if loc.excerpt:
        region["snippet"] = {"text": loc.excerpt}
    out = {"id": index, **_physical(loc.document, region, record_lines.get(loc.document))}
    out["message"] = {"text": loc.message or f"The passage in {loc.document}: '{loc.excerpt}'."}
    return out


def _result(f: Finding, rule_index: dict[str, int], record_lines: dict[str, int | None]) -> dict[str, Any]:
    region = _region(f.line, f.column, f.end_line, f.end_column, f.start, f.end, f.excerpt)
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVELS[Severity(f.severity)],
        "message": {"text": f.message},
        "locations": [_physical(f.document, region, record_lines.get(f.document))],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"category": f.category, "rule": f.rule, "suggestions": list(f.suggestions)},
    }
    if f.code in rule_index:
        result["ruleIndex"] = rule_index[f.code]
    if f.related:
        result["relatedLocations"] = [_related(i, loc, record_lines) for i, loc in enumerate(f.related, 1)]
    if f.suppression is not None:
        if f.suppression.status == "dismissed":
            kind = "inSource" if f.suppression.kind == "directive" else "external"
            suppression: dict[str, Any] = {"kind": kind, "status": "accepted"}
            if f.suppression.note:
                suppression["justification"] = f.suppression.note
            result["suppressions"] = [suppression]
        else:
            result["properties"]["review"] = {"status": f.suppression.status, "note": f.suppression.note}
    return result


def _rule(info: dict[str, Any]) -> dict[str, Any]:
    severity = Severity.parse(info.get("severity") or "warning")
    rule: dict[str, Any] = {
        "id": info["code"],
        "name": info.get("name") or info["code"],
        "shortDescription": {"text": info.get("summary") or info.get("name") or info["code"]},
        "fullDescription": {"text": " ".join((info.get("why") or info.get("summary") or info["code"]).split())},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"category": info.get("category"), "kind": info.get("kind"), "tags": [t for t in (info.get("category"),) if t]},
    }
    if info.get("link"):
        rule["helpUri"] = info["link"]
    return rule


def to_dict(report: Report) -> dict[str, Any]:
    """Build the SARIF log of a report."""
    rules = [_rule(dict(r)) for r in sorted(report.rules, key=lambda r: r["code"])]
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    record_lines = {d.document: d.record_line for d in report.documents}
    results = [_result(f, rule_index, record_lines) for f in sorted(report.findings, key=Finding.sort_key)]
    notifications = []
    for n in report.notices:
        item: dict[str, Any] = {"level": NOTICE_LEVELS.get(n.level, "note"), "message": {"text": n.message}}
        if n.document:
            item["locations"] = [_physical(n.document, None, record_lines.get(n.document))]
        notifications.append(item)
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "qualcheck", "version": report.tool_version, "informationUri": INFORMATION_URI, "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{"executionSuccessful": not report.incomplete, "toolExecutionNotifications": notifications}],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    """Render the report as a SARIF 2.1.0 log (indented JSON, keys sorted)."""
    return json.dumps(to_dict(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
