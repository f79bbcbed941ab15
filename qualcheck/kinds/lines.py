"""Structural boilerplate: short unpunctuated lines at the head or tail, stray headlines, repeated lines.

Phrase lists are never complete; these kinds catch residue by its shape. Their findings are
marked ``defer`` so that a phrase rule flagging the same passage wins and nothing is reported twice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from qualcheck.kinds import kind
from qualcheck.model import Finding, Span

_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NORM = re.compile(r"[\W_]+")


def is_prose(line: str, max_words: int) -> bool:
    """A line reads as prose when it ends like a sentence or is longer than any menu item."""
    return bool(_TERMINAL.search(line)) or len(_WORDS.findall(line)) > max_words


def _content_lines(doc) -> list[Span]:
    return [ln for ln in doc.lines if doc.text[ln.start : ln.end].strip()]


def _trimmed(doc, span: Span) -> Span:
    line = doc.text[span.start : span.end]
    lead = len(line) - len(line.lstrip())
    return Span(span.start + lead, span.start + len(line.rstrip()))


@dataclass(frozen=True, slots=True)
class EdgeLinesParams:
    """Scan from one edge of the document over lines that do not read as prose."""

    edge: str = "tail"  # "head" (after the title) | "tail"
    max_words: int = 15

    def __post_init__(self) -> None:
        if self.edge not in ("head", "tail"):
            raise ValueError(f"edge: {self.edge!r} is not head or tail")


@kind("edge-lines", params=EdgeLinesParams)
def edge_lines(doc, rule, ctx) -> Iterator[Finding]:
    """Flag the run of non-prose lines at the head (after the title) or tail of the document."""
    lines = _content_lines(doc)
    title = doc.meta.title_span
    if rule.params.edge == "head":
        # the title line itself is metadata, not residue (its suffix has its own rule)
        lines = [ln for ln in lines if not (title and ln.start <= title.start < ln.end + 1)]
    else:
        lines = [ln for ln in reversed(lines) if not (title and ln.start <= title.start < ln.end + 1)]
    for ln in lines:
        text = doc.text[ln.start : ln.end]
        if is_prose(text, rule.params.max_words):
            break
        yield rule.finding(doc, _trimmed(doc, ln), data={"defer": True})


@dataclass(frozen=True, slots=True)
class StrayHeadlineParams:
    """A headline-shaped one-line paragraph standing between prose paragraphs."""

    max_words: int = 15
    min_words: int = 3


@kind("stray-headline", params=StrayHeadlineParams)
def stray_headline(doc, rule, ctx) -> Iterator[Finding]:
    """Flag one-line, unpunctuated paragraphs with prose paragraphs on both sides."""
    paras = doc.paragraphs
    prose = [is_prose(doc.text[p.start : p.end], rule.params.max_words) for p in paras]
    for i in range(1, len(paras) - 1):
        p = paras[i]
        text = doc.text[p.start : p.end]
        if prose[i] or "\n" in text or not (prose[i - 1] and prose[i + 1]):
            continue
        if len(_WORDS.findall(text)) >= rule.params.min_words:
            yield rule.finding(doc, p, data={"defer": True})


@dataclass(frozen=True, slots=True)
class RepeatedLineParams:
    """A line repeated in several documents is page furniture, not reporting."""

    min_documents_same_source: int = 2
    min_documents_any_source: int = 3
    max_words_any_source: int = 15  # across sources only short, non-prose lines count
    min_characters: int = 4


def _key(text: str) -> str:
    return _NORM.sub(" ", text.lower()).strip()


@kind("repeated-line", params=RepeatedLineParams, scope="corpus")
def repeated_line(corpus, rule, ctx) -> Iterator[Finding]:
    """Flag lines that recur across documents of one source, or short lines recurring corpus-wide."""
    p = rule.params
    where: dict[str, list[tuple[object, Span]]] = defaultdict(list)
    for doc in corpus.documents:
        seen: set[str] = set()
        title = doc.meta.title_span
        for ln in _content_lines(doc):
            if title and ln.start <= title.start < ln.end + 1:
                continue
            key = _key(doc.text[ln.start : ln.end])
            if len(key) >= p.min_characters and key not in seen:
                seen.add(key)
                where[key].append((doc, ln))
    for key, hits in where.items():
        if len(hits) < min(p.min_documents_same_source, p.min_documents_any_source):
            continue
        by_source: dict[str, int] = defaultdict(int)
        for doc, _ in hits:
            if doc.source:
                by_source[doc.source] += 1
        sample = hits[0][0].text[hits[0][1].start : hits[0][1].end]
        short = not is_prose(sample, p.max_words_any_source)
        for doc, ln in hits:
            same = by_source.get(doc.source, 0) if doc.source else 0
            if same >= p.min_documents_same_source or (short and len(hits) >= p.min_documents_any_source):
                yield rule.finding(doc, _trimmed(doc, ln), count=len(hits), data={"defer": True})
