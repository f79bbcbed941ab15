"""Parse scraped metadata residue (dates, title line, site suffix, source name) into document fields.

The residue itself stays in the text and is still reported by the boilerplate rules; this
module only reads what it says, so reports can show a document's title, date and source.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlparse

from qualcheck.model import Span

_ISO_DATE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b", re.I)
_POSTED = re.compile(
    r"\b(?:posted|published|updated)(?:\s+on)?:?\s+(\d{1,2})/(\d{1,2})/(\d{4})"
    r"(?:\s+\d{1,2}:\d{2}(?:\s*[AP]M)?)?",
    re.I,
)
_DOMAIN_SUFFIX = re.compile(r"\s*[-|–—]\s*((?:[a-z0-9-]+\.)+[a-z]{2,})\s*$", re.I)
_PIPE_SUFFIX = re.compile(r"\s+\|\s+([^|]{2,40})\s*$")
_DANGLING_DASH = re.compile(r"\s*[-–—]\s*$")
_FOLLOW = re.compile(r"^\s*Follow\s+([A-Z][\w.&-]{1,40})\s+on\b", re.M)


@dataclass(frozen=True)
class Metadata:
    """What the scraped residue tells about a document."""

    title: str | None = None
    title_span: Span | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD)
    source: str | None = None
    source_evidence: str | None = None  # where the source name came from
    url: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "source_evidence": self.source_evidence,
            "url": self.url,
        }


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return _dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _first_paragraph(text: str) -> tuple[int, int] | None:
    m = re.search(r"\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text)
    return m.span() if m else None


def _strip_leading_markers(text: str, start: int, end: int) -> int:
    """Skip ' date 2022-02-08' and 'posted on ...' markers at the head of a paragraph."""
    pos = start
    while True:
        chunk = text[pos:end]
        m = _ISO_DATE.match(chunk) or _POSTED.match(chunk.lstrip())
        if not m:
            break
        pos += (len(chunk) - len(chunk.lstrip()) if m.re is _POSTED else 0) + m.end()
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 30 and "\n" not in line.strip() and not re.search(r"[.!…]\s*$", line)


def parse(text: str, fields: Mapping[str, Any] | None = None) -> Metadata:
    """Read title, date and source from explicit fields first, then from residue in the text."""
    fields = fields or {}
    head = text[:600]
    date = None
    if m := _ISO_DATE.search(head):
        date = _iso(*m.groups())
    if m := _POSTED.search(head):
        month, day, year = m.groups()
        date = _iso(year, month, day) or date
    if fields.get("date"):
        date = str(fields["date"])

    title = fields.get("title")
    title_span = None
    source = fields.get("source")
    evidence = "field" if source else None
    para = _first_paragraph(text)
    if para:
        start = _strip_leading_markers(text, *para)
        line = text[start : para[1]]
        if _looks_like_headline(line) or (line.rstrip().endswith("?-")):
            end = start + len(line.rstrip())
            site = None
            for pattern in (_DOMAIN_SUFFIX, _PIPE_SUFFIX, _DANGLING_DASH):
                if sm := pattern.search(text, start, end):
                    if sm.lastindex:
                        site = sm.group(1)
                    end = sm.start()
                    break
            if end > start:
                title_span = Span(start, end)
                title = title or text[start:end]
            if site and not source:
                source, evidence = site, "title suffix"
    url = fields.get("url")
    if not source and (m := _FOLLOW.search(text)):
        source, evidence = m.group(1), "'Follow … on' line"
    if not source and url:
        host = urlparse(str(url)).hostname
        if host:
            source, evidence = host.removeprefix("www."), "url"
    return Metadata(
        title=title, title_span=title_span, date=date, source=source, source_evidence=evidence, url=url
    )
