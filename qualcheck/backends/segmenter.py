"""Split prose into sentences with code-point offsets, using syntok.

syntok was chosen over pysbd after measuring both on the seeds (bench/segmentation.py):
syntok keeps "Feb. 8", "U.S." and "Dec. 23" inside their sentences and splits sentences
inside long quotations, where pysbd merged them.
"""

from __future__ import annotations

from syntok import segmenter as _syntok

ENGINE = "syntok"


def sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of one paragraph, shifted by ``offset``."""
    spans: list[tuple[int, int]] = []
    if not text.strip():
        return spans
    for paragraph in _syntok.analyze(text):
        for sentence in paragraph:
            tokens = list(sentence)
            if not tokens:
                continue
            first, last = tokens[0], tokens[-1]
            start = first.offset
            end = last.offset + len(last.value)
            if end > start:
                spans.append((offset + start, offset + end))
    return spans
