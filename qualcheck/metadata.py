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
from qualcheck.wrapping import is_wrapped

_ISO_DATE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b", re.I)
_POSTED = re.compile(
    r"\b(?:posted|published|updated)(?:\s+on)?:?\s+(\d{1,2})/(\d{1,2})/(\d{4})"
    r"(?:\s+\d{1,2}:\d{2}(?:\s*[AP]M)?)?",
    re.I,
)
# month names and abbreviations -> 1..12 (claims.py reads written dates with the same table)
MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")], 1)
    for name in names
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # claims.py and offices.py read these
_MONTH = r"(?:" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# one calendar date written out: "February 24, 2022", "Feb. 24 2022", "24 February 2022", "2022-02-24"
_CALENDAR_DATE = (
    rf"(?:(?P<md_month>{_MONTH})\s+(?P<md_day>\d{{1,2}}){_ORDINAL},?\s+(?P<md_year>(?:19|20)\d\d)"
    rf"|(?P<dm_day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<dm_month>{_MONTH}),?\s+(?P<dm_year>(?:19|20)\d\d)"
    r"|(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>\d\d)-(?P<iso_day>\d\d))"
)
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?,?\s+)?"
_TIME = r"(?:(?:\s*[,|/·•@-]\s*|\s+(?:at\s+)?)\d{1,2}[:.]\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5}(?:[+-]\d{1,2})?)?)?"
# a page's date stamp: a label and a date ("Published: February 8, 2022 10:15 AM"), or a line in the
# article's head that is only a date ("Thursday 24 February 2022 10.30 GMT"); both are residue that
# BP201 and the head rules report, and what they say dates the article (offices are judged in time)
_LABELLED_DATE = re.compile(
    # at a line's start or after a separator: "the figures, updated on March 3, 2021, show" is prose
    rf"(?:^|[|·•—–]|\bBy\s[^\n]{{1,60}}?[,|·•—–])[ \t]*(?:published|updated|last updated|posted|first published|date)"
    rf"(?:\s+on)?\s*:?\s+{_WEEKDAY}{_CALENDAR_DATE}",
    re.I | re.M,
)
_BYLINE = r"(?:by\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}[ \t]*[|·•—–,-][ \t]*)?"
_DATE_LINE = re.compile(rf"^[ \t]*(?:[|·•—–-][ \t]*)?{_BYLINE}{_WEEKDAY}{_CALENDAR_DATE}{_TIME}[ \t]*(?:[|·•—–-][ \t]*)?$", re.I | re.M)
_NONSPACE = re.compile(r"\S")
HEAD_LINES = 5  # a date-only line further down is part of the article (a timeline, a fact box)
_DOMAIN_SUFFIX = re.compile(r"\s*[-|–—]\s*((?:[a-z0-9-]+\.)+[a-z]{2,})\s*$", re.I)
_PIPE_SUFFIX = re.compile(r"\s+\|\s+([^|]{2,40})\s*$")
_DANGLING_DASH = re.compile(r"\s*[-–—]\s*$")
# a site's path above the headline: "Home | World | Europe", "News › UK › Politics", "Home>World>Europe"
# (short items, no sentence; "|" and "/" only between spaces: "and/or", "24/7" are prose)
_BREADCRUMB = re.compile(
    r"[ \t]*[A-Z][^\n|›»>/.!?]{0,29}(?:(?:[ \t]+[|›»>/][ \t]+|[ \t]*[›»>][ \t]*)[A-Z][^\n|›»>/.!?]{0,29}){2,}[ \t]*(?:\n|$)"
)
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


def _calendar_date(m: re.Match) -> str | None:
    """The ISO form of a _CALENDAR_DATE match, or None for an impossible day."""
    if m.group("iso_year"):
        return _iso(m.group("iso_year"), m.group("iso_month"), m.group("iso_day"))
    month = m.group("md_month") or m.group("dm_month")
    day = m.group("md_day") or m.group("dm_day")
    year = m.group("md_year") or m.group("dm_year")
    return _iso(year, str(MONTH_NUMBERS[month.rstrip(".").lower()]), day)


def _stamped_date(text: str) -> str | None:
    """The date of a labelled stamp in the head, else of a date-only line among its first lines."""
    head = text[:600]
    stamps = list(_LABELLED_DATE.finditer(head))
    # a page's "Updated" stamp can be years after the article was written: the publication date wins
    published = [m for m in stamps if not re.search(r"(?i)\b(?:last\s+)?updated\b", m.group(0))]
    if stamps:
        return _calendar_date((published or stamps)[0])
    pos = 0
    for _ in range(HEAD_LINES):
        first = _NONSPACE.search(text, pos)  # linear: a long run of blanks (masked front matter) is skipped once
        if not first:
            break
        start = text.rfind("\n", 0, first.start()) + 1
        end = text.find("\n", first.start())
        end = len(text) if end < 0 else end
        if m := _DATE_LINE.match(text, start, end):
            return _calendar_date(m)
        pos = end
    return None


_PARAGRAPH = re.compile(r"\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_BYLINE_START = re.compile(r"[ \t]*(?:By|BY)\s+[A-Z]")  # "By Anna Schmidt, Berlin correspondent | 5 min read"
_BYLINE_ONLY = re.compile(r"[ \t]*(?:By|BY|by)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}[ \t]*$")


def _first_paragraph(text: str) -> tuple[int, int] | None:
    """The first paragraph that can hold the headline: a date stamp, a posting stamp, a byline or the
    site's path above it is not one."""
    for m in _PARAGRAPH.finditer(text):
        if m.start() > 600:
            break
        if not (_DATE_LINE.fullmatch(text, m.start(), m.end()) or _BYLINE_ONLY.fullmatch(text, m.start(), m.end())
                or _BREADCRUMB.fullmatch(text, m.start(), m.end()) or _strip_leading_markers(text, *m.span()) >= m.end()):
            return m.span()
    m = _PARAGRAPH.search(text)
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
    bracketed = re.fullmatch(r"\s*[(\[].*[)\]]\s*", line) is not None  # "(credit: Mikhail Metzel/AFP)": a caption, not a headline
    return 0 < len(words) <= 30 and "\n" not in line.strip() and not re.search(r"[.!…]\s*$", line) and not bracketed


def parse(text: str, fields: Mapping[str, Any] | None = None) -> Metadata:
    """Read title, date and source from explicit fields first, then from residue in the text."""
    fields = fields or {}
    head = text[:600]
    date = _stamped_date(text)
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
        while (crumb := _BREADCRUMB.match(text, start, para[1])) and crumb.end() < para[1]:
            start = crumb.end()  # the headline is under the site's path
        line = text[start : para[1]]
        rest = line.strip().split("\n")[1:]
        if rest and (not is_wrapped([len(x.strip()) for x in line.strip().split("\n")]) or _BYLINE_START.match(rest[0])):
            line = line[: line.index("\n")]  # a title over its text or its byline with no blank line between: its first line
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
