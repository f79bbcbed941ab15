"""Split prose into sentences with code-point offsets, using syntok.

syntok was chosen over pysbd after measuring both on the seeds (bench/segmentation.py):
syntok keeps "Feb. 8", "U.S." and "Dec. 23" inside their sentences and splits sentences
inside long quotations, where pysbd merged them.
"""

from __future__ import annotations

import re

from syntok import segmenter as _syntok

ENGINE = "syntok"

# A line of a paragraph that starts a list item ("- Best actor - ...") starts a new sentence:
# list items carry no final stop, and syntok would otherwise run a whole list into one sentence.
_LIST_BREAK = re.compile(r"\n(?=[ \t]*(?:[-–—*•·]|\d{1,2}[.)])[ \t]+\S)")


_MONTH_END = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\.$"
)
_DAY_START = re.compile(r"\d{1,2}(?:st|nd|rd|th)?(?=[,;)]|\s*$)")  # "23," not "12 people"
_HAS_WORD = re.compile(r"[^\W_]")


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo two syntok splits news text does not want: a lone quote mark, and "December. 23"."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and (not _HAS_WORD.search(text, a, b) or (_MONTH_END.search(text, out[-1][0], out[-1][1]) and
                                                          _DAY_START.match(text, a))):
            out[-1] = (out[-1][0], b)  # a stray closing quote, or a date split after the month
        else:
            out.append((a, b))
    return out


def _chunks(text: str) -> list[tuple[int, int]]:
    cuts = [0, *(m.start() + 1 for m in _LIST_BREAK.finditer(text)), len(text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of one paragraph, shifted by ``offset``."""
    spans: list[tuple[int, int]] = []
    if not text.strip():
        return spans
    for a, b in _chunks(text):
        for paragraph in _syntok.analyze(text[a:b]):
            for sentence in paragraph:
                tokens = [t for t in sentence if t.value]  # syntok ends a text with an empty token
                if not tokens:
                    continue
                first, last = tokens[0], tokens[-1]
                start = a + first.offset
                end = a + last.offset + len(last.value)
                if end > start:
                    spans.append((start, end))
    return [(offset + a, offset + b) for a, b in _merge(text, spans)]
