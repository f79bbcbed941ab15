"""GitHub Actions workflow commands: findings become annotations on the changed articles.

GitHub shows at most 10 annotations of each level (error, warning, notice) per step, so the most
severe findings come first (errors, then warnings, then infos as notices; within a level by
document and line) and a final plain line says how many were left out of the annotations.
Dismissed findings are not annotated. Values are escaped as GitHub's toolkit does: ``%``, CR and
LF in the message; also ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from collections import Counter

from qualcheck.discover import split_record
from qualcheck.model import Finding, Severity
from qualcheck.report import Report

MAX_PER_LEVEL = 10
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message as GitHub's toolkit does."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property (file, title) as GitHub's toolkit does."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding, record_line: int | None = None) -> str:
    """Return the workflow command that annotates one finding (a corpus entry: its record's line)."""
    path, record = split_record(f.document)  # a corpus entry annotates its JSONL file
    props = [f"file={escape_property(path)}"]
    if record is not None:
        if record_line:
            props.append(f"line={record_line}")
    else:
        props += [f"line={max(1, f.line)}", f"col={max(1, f.column)}"]
        if f.end_line:
            props += [f"endLine={f.end_line}", f"endColumn={max(1, f.end_column)}"]
    props.append(f"title={escape_property(f'{f.code} {f.rule}')}")
    where = f"[{f.document}] " if record is not None else ""
    return f"::{LEVELS[Severity(f.severity)]} {','.join(props)}::{escape_data(where + f.message)}"


def render(report: Report) -> str:
    """Render annotations for the counting findings, most severe first, at most 10 per level."""
    counting = sorted((f for f in report.findings if f.counts), key=lambda f: (-int(f.severity), f.sort_key()))
    record_lines = {d.document: d.record_line for d in report.documents}
    shown: Counter[int] = Counter()
    lines, left = [], Counter()
    for f in counting:
        level = int(f.severity)
        if shown[level] < MAX_PER_LEVEL:
            shown[level] += 1
            lines.append(command(f, record_lines.get(f.document)))
        else:
            left[LEVELS[Severity(level)]] += 1
    dismissed = len(report.findings) - len(counting)
    summary = f"qualcheck: {len(counting)} finding(s) in {len(report.documents)} document(s)"
    if left:
        parts = ", ".join(f"{n} {level}" for level, n in sorted(left.items(), key=lambda kv: ["error", "warning", "notice"].index(kv[0])))
        summary += f"; {sum(left.values())} more not annotated ({parts}): GitHub shows at most {MAX_PER_LEVEL} per level, see the full report (--report sarif or html)"
    if dismissed:
        summary += f"; {dismissed} dismissed by editors"
    lines.append(summary + ".")
    return "\n".join(lines) + "\n"
