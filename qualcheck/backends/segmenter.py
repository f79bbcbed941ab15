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
                    spans.append((offset + start, offset + end))
    return spans
