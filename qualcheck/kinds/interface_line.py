"""interface-line: a short line made only of a web page's own words ("Skip to main content", "Media
playback is unsupported on your device", "3 min read", "Loading..."): page furniture wherever it
sits. Between an article's paragraphs the edge rules (BP301, BP302) do not look, and a line standing
alone there is otherwise read as a subheading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from qualcheck.kinds import kind
from qualcheck.kinds.lines import WORDS, text_lines
from qualcheck.model import Finding, Span

_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s*$")


@dataclass(frozen=True, slots=True)
class InterfaceLineParams:
    """``strong``: words only a page's interface uses (menu, playback, subscribe); ``weak``: words
    it uses that news also uses (story, read, latest, share); ``glue``: words that join them. A line
    is flagged when its words (figures aside) are all of these, at least one of them strong, and
    there are at most ``max_words``; a line ending a sentence ("Read our story.") is not."""

    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()
    glue: tuple[str, ...] = ()
    max_words: int = 8
    suggestions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.strong:
            raise ValueError("strong: give at least one word")
        for name in ("strong", "weak", "glue"):
            for word in getattr(self, name):
                if not isinstance(word, str) or not word.strip() or not WORDS.fullmatch(word):
                    raise ValueError(f"{name}: {word!r} is not one word")
        if self.max_words < 1:
            raise ValueError("max_words: at least 1")


def _prepare(params: InterfaceLineParams) -> tuple[frozenset[str], frozenset[str]]:
    strong = frozenset(w.lower() for w in params.strong)
    return strong, strong | frozenset(w.lower() for w in (*params.weak, *params.glue))


@kind("interface-line", params=InterfaceLineParams, prepare=_prepare, yields=True)
def interface_line(doc, rule, ctx) -> Iterator[Finding]:
    """Flag each line whose words are all the page interface's, one of them at least a strong one."""
    p = rule.params
    strong, known = rule.prepared
    for ln in text_lines(doc):
        text = doc.text[ln.start : ln.end]
        words = [w.lower() for w in WORDS.findall(text) if not w.isdigit()]
        if not words or len(words) > p.max_words or (_ENDS_SENTENCE.search(text) and not text.rstrip().endswith(("...", "…"))):
            continue
        if all(w in known for w in words) and any(w in strong for w in words):
            lead = len(text) - len(text.lstrip())
            yield rule.finding(doc, Span(ln.start + lead, ln.start + len(text.rstrip())), suggestions=p.suggestions)
