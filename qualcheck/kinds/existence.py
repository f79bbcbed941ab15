"""existence: flag every match of a rule's regular expressions (phrase lists editors maintain)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from qualcheck import saferegex
from qualcheck.kinds import kind
from qualcheck.model import Finding, Span


@dataclass(frozen=True, slots=True)
class ExistenceParams:
    """Patterns are Python regular expressions; ``^``/``$`` match at line ends unless multiline is off.

    A pattern may name the part of its match that is flagged, ``(?P<flag>...)`` (one pattern of a rule
    at most: the patterns are joined into one expression); the rest is context it needs.
    """

    patterns: tuple[str, ...]
    ignorecase: bool = True
    multiline: bool = True
    region: str = "all"  # "all" | "head" | "tail": only the first/last ``region_lines`` non-blank lines
    region_lines: int = 3
    suggestions: tuple[str, ...] = ()
    weight: float | None = None  # translation rules: evidence for the sentence's garble score (MT900)
    raw: bool = False  # search the file's own text, URLs included (the checkable text blanks them)

    def __post_init__(self) -> None:
        if not self.patterns:
            raise ValueError("patterns: give at least one pattern")
        if self.region not in ("all", "head", "tail"):
            raise ValueError(f"region: {self.region!r} is not one of all, head, tail")


def compile_patterns(params: ExistenceParams) -> saferegex.GuardedPattern:
    flags = (re.I if params.ignorecase else 0) | (re.M if params.multiline else 0)
    try:
        return saferegex.compile("|".join(f"(?:{p})" for p in params.patterns), flags)
    except re.error as exc:
        raise ValueError(f"patterns: invalid regular expression: {exc}") from None


def region_bounds(doc, region: str, count: int) -> tuple[int, int]:
    """Character bounds of the first or last ``count`` non-blank lines."""
    if region == "all":
        return 0, len(doc.text)
    lines = [ln for ln in doc.lines if doc.text[ln.start : ln.end].strip()]
    if not lines:
        return 0, 0
    if region == "head":
        return 0, lines[: count][-1].end
    return lines[-count:][0].start, len(doc.text)


@kind("existence", params=ExistenceParams, prepare=compile_patterns)
def existence(doc, rule, ctx) -> Iterator[Finding]:
    """Flag every match of the rule's patterns in the document's checkable text."""
    start, end = region_bounds(doc, rule.params.region, rule.params.region_lines)
    # a pattern may look one line past the region (is the head's last line a block of its own?)
    reach = doc.text.find("\n", end + 1) if end < len(doc.text) else -1
    text = doc.raw if rule.params.raw else doc.text
    for match in rule.prepared.finditer(text, start, len(text) if reach == -1 else reach):
        if match.start() >= end and end > start:
            break
        # a pattern may name the part to flag (?P<flag>...): "Headline | Site" flags "| Site"
        a, b = match.span("flag") if "flag" in match.re.groupindex and match.start("flag") >= 0 else match.span()
        # trim whitespace the pattern may have swallowed, so the excerpt is the residue itself
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            yield rule.finding(doc, Span(a, b), suggestions=rule.params.suggestions)
