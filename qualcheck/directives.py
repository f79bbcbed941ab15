"""Inline suppression directives written in an article, parsed with their reach.

    <!-- qualcheck: ignore[BP105] -->               the next non-blank line only
    <!-- qualcheck: disable[MT102, MT104] -->  ...  <!-- qualcheck: enable[MT102, MT104] -->
    <!-- qualcheck: file-ignore[RD] -->             the whole document (prefixes allowed)

Codes are required: a blanket ignore would hide problems nobody looked at. The comment form works
in .txt and .md alike, and ``Document.text`` blanks it so no check reads it as prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DIRECTIVE = re.compile(r"<!--\s*qualcheck:\s*(?P<verb>[a-z-]+)\s*(?:\[(?P<codes>[^\]]*)\])?\s*-->", re.I)
VERBS = ("ignore", "disable", "enable", "file-ignore")
_NONBLANK = re.compile(r"\S")


@dataclass
class Directive:
    """One directive, the character range it covers, and whether it suppressed anything."""

    verb: str
    codes: tuple[str, ...]
    start: int  # offset of the directive itself
    end: int
    line: int
    reach: tuple[int, int] = (0, 0)  # offsets of the text it covers
    used: bool = False
    problems: list[str] = field(default_factory=list)

    def covers(self, code: str, offset: int) -> bool:
        return self.reach[0] <= offset < self.reach[1] and any(code.startswith(c) for c in self.codes)


def parse(text: str) -> list[Directive]:
    """Find every directive and work out the text it covers."""
    found: list[Directive] = []
    open_ranges: dict[str, Directive] = {}
    for m in DIRECTIVE.finditer(text):
        verb = m.group("verb").lower()
        codes = tuple(c.strip().upper() for c in (m.group("codes") or "").split(",") if c.strip())
        d = Directive(verb, codes, m.start(), m.end(), text.count("\n", 0, m.start()) + 1)
        if verb not in VERBS:
            d.problems.append(f"unknown directive {verb!r} (expected {', '.join(VERBS)})")
        elif not codes:
            d.problems.append(f"'{verb}' needs rule codes, e.g. {verb}[BP105]")
        if d.problems:
            found.append(d)
            continue
        if verb == "file-ignore":
            d.reach = (0, len(text))
        elif verb == "ignore":
            line_end = text.find("\n", m.end())
            nxt = _NONBLANK.search(text, len(text) if line_end < 0 else line_end + 1)
            if nxt:
                end = text.find("\n", nxt.start())
                d.reach = (text.rfind("\n", 0, nxt.start()) + 1, len(text) if end < 0 else end)
        elif verb == "disable":
            d.reach = (m.end(), len(text))
            for code in codes:
                open_ranges[code] = d
        else:  # enable closes the matching disable ranges
            d.used = True
            for code in codes:
                opener = open_ranges.pop(code, None)
                if opener is None:
                    d.problems.append(f"enable[{code}] has no matching disable[{code}] before it")
                elif opener.reach[1] == len(text):
                    opener.reach = (opener.reach[0], m.start())
        found.append(d)
    return found
