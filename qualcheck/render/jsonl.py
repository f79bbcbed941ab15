"""The JSONL report: one line per document, written as each is finished, then one line about the run.

Each document line is the document's entry of the JSON report with ``"type": "document"``; the
last line (``"type": "run"``) holds what the JSON report holds besides the documents: summary,
rules, notices, claims and sources. Lines are key-sorted JSON, documents in path order, so two runs
on the same input write the same file. The CLI streams it (``--report jsonl``): a line is written
when its document is scored and the document's text is not kept, so a large corpus does not have to
fit in the report's memory.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from qualcheck.render.json import document_item, run_items
from qualcheck.report import DocumentReport, Report


def document_line(d: DocumentReport) -> str:
    """The line of one finished document."""
    return _line({"type": "document", **document_item(d)})


def run_line(report: Report) -> str:
    """The closing line: the run's summary, rules, notices, claims and sources."""
    return "".join(run_chunks(report))


_CLAIMS_HERE = "\x00qualcheck: the claims part goes here\x00"


def run_chunks(report: Report) -> Iterator[str]:
    """The closing line in pieces, the claims part one group at a time: the same text as one
    ``json.dumps`` of the line, without a large run's every claim in memory at once (as dicts, and
    again as one string)."""
    items = run_items(report, lazy_claims=True)
    claims = items.pop("claims", None)
    if claims is None:
        yield _line({"type": "run", **items})
        return
    head, tail = _line({"type": "run", **items, "claims": _CLAIMS_HERE}).split(json.dumps(_CLAIMS_HERE, ensure_ascii=False), 1)
    yield head + "["
    for i, group in enumerate(claims):
        yield (", " if i else "") + json.dumps(group, sort_keys=True, ensure_ascii=False).translate(_LINE_BREAKS)
    yield "]" + tail


def render(report: Report) -> str:
    """The whole JSONL report at once (the API; the CLI streams the same lines)."""
    return "".join(document_line(d) for d in report.documents) + run_line(report)


# characters that many line readers (str.splitlines, JavaScript before ES2019) take for line breaks, though
# JSON lets them stand unescaped inside strings: escaped, so that every record is exactly one line
_LINE_BREAKS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _line(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"
