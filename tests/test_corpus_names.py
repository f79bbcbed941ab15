"""corpus_names.contribution: the per-document name counts, written out for speed, count as MT101's helpers do."""

from __future__ import annotations

import glob
from collections import Counter
from pathlib import Path

from qualcheck.corpus_names import _GRAMMAR_WORD, contribution
from qualcheck.document import Document
from qualcheck.kinds.translation_signals import _OPENERS, _is_cap, _prev_char, _tokens

ROOT = Path(__file__).resolve().parents[1]


def _counted_with_the_helpers(doc):
    """contribution() as it was written with MT101's helpers (the reference)."""
    text = doc.text
    caps, lower, capitalised = Counter(), Counter(), set()
    for s in doc.sentences:
        for m in _tokens(text, s.start, s.end)[1:]:
            w = m.group(0)
            before = _prev_char(text, m.start(), s.start)
            if before in _OPENERS or before == ".":
                continue
            if _is_cap(w):
                caps[w.lower()] += 1
            elif w.islower():
                lower[w] += 1
        for i, m in enumerate(_GRAMMAR_WORD.finditer(text, s.start, s.end)):
            if i and m.group(0)[0].isupper():
                capitalised.add(m.group(0).lower())
    return {"caps": dict(caps), "lower": dict(lower), "capitalised": sorted(capitalised)}


TEXTS = [Path(p).read_text(encoding="utf-8") for p in sorted(glob.glob(str(ROOT / "seeds" / "*.txt")))] + [
    "He met \u00a0Macron and  \tthe Prime Minister. “Talks” went on. “Then Nothing,” he said; Then, X-Ray Ltd. Éclair ÉCLAIR o'Neil",
    "A. B. c D\u00a0\u00a0E (Foo) [Bar] {Baz} said: Yes — No… Maybe/Perhaps |Pipe >Arrow *Star •Dot",
    "",
]


def test_contribution_counts_as_the_helpers_do():
    for text in TEXTS:
        doc = Document(id="d.txt", raw=text)
        assert contribution(doc) == _counted_with_the_helpers(Document(id="d.txt", raw=text))
