"""Names the corpus agrees on, from per-document counts that the store keeps.

Two checks learn names from the whole run: MT101 (a common word capitalised mid-sentence is a
name when the corpus often writes it so) and the offline spelling check (a sentence-initial
capitalised word is a name when two documents capitalise it mid-sentence). Counting needs every
document segmented, which costs seconds on a thousand articles; so each document's counts are a
small ``contribution`` the store keeps, and a run sums them.

A document's findings depend on the corpus only through the verdicts it asked for. Each lookup is
recorded per document; a cached result is reused only while the current corpus still gives the
same verdicts (``still_holds``), so adding an article never leaves a stale finding behind.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable, Mapping

VERSION = "1"  # bump when the counting below changes: stored contributions are then recounted

_GRAMMAR_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")


def contribution(doc: Any) -> dict[str, Any]:
    """One document's counts: mid-sentence capitalised and lower-case uses (MT101's tokens) and the
    words it capitalises mid-sentence (the spelling check's tokens)."""
    from qualcheck.kinds.translation_signals import _OPENERS, _TOKEN

    text = doc.text
    caps: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    capitalised: set[str] = set()
    islower = str.islower
    for s in doc.sentences:
        # MT101's tokens after the first (translation_signals._tokens, _prev_char, _is_cap, written out:
        # this loop reads every word of the corpus)
        floor, first = s.start, True
        for m in _TOKEN.finditer(text, s.start, s.end):
            if first:
                first = False
                continue
            w = m.group(0)
            i = m.start() - 1
            while i >= floor and text[i] in " \t\u00a0":
                i -= 1
            before = text[i] if i >= floor else ""
            if before in _OPENERS or before == ".":
                continue
            if w[:1].isupper() and any(map(islower, w[1:])):
                caps[w.lower()] += 1
            elif w.islower():
                lower[w] += 1
        capitalised.update(w.lower() for w in _GRAMMAR_WORD.findall(text, s.start, s.end)[1:] if w[0].isupper())
    return {"caps": dict(caps), "lower": dict(lower), "capitalised": sorted(capitalised)}


def counted(doc: Any) -> tuple[dict[str, Any], Any]:
    """A document's ``contribution`` and its sentence spans, packed, to keep for the rest of the run."""
    return contribution(doc), doc.packed_sentences()


class CorpusNames:
    """The run's name evidence, summed from contributions; lookups are recorded per document."""

    def __init__(self, contributions: Iterable[Mapping[str, Any]]) -> None:
        self.caps: Counter[str] = Counter()
        self.lower: Counter[str] = Counter()
        self.capitalised_in: Counter[str] = Counter()  # documents that capitalise a word mid-sentence
        for c in contributions:
            self.caps.update(c["caps"])
            self.lower.update(c["lower"])
            self.capitalised_in.update(c["capitalised"])
        self._lookups: dict[str, dict[str, bool]] = {}

    def often_capitalised(self, word: str, share: float, document: str | None = None) -> bool:
        """MT101: capitalised mid-sentence at least twice and as often as not, or three times and at
        least ``share`` of its lower-case uses ("Test match", "Real", "Today")."""
        caps, lower = self.caps[word], self.lower[word]
        verdict = caps >= 2 and caps >= lower or caps >= 3 and caps >= share * lower
        self._record(document, f"mt\x1f{share!r}\x1f{word}", verdict)
        return verdict

    def agreed(self, word: str, document: str | None = None) -> bool:
        """Spelling: capitalised mid-sentence in two or more documents of the run."""
        verdict = self.capitalised_in[word] >= 2
        self._record(document, f"gr\x1f{word}", verdict)
        return verdict

    def _record(self, document: str | None, key: str, verdict: bool) -> None:
        if document is not None:
            self._lookups.setdefault(document, {})[key] = verdict

    def lookups(self, document: str) -> dict[str, bool]:
        """The verdicts one document's checks asked for, to store beside its results; handed over
        once, when the document's checks are done, so a long run does not keep every document's."""
        return self._lookups.pop(document, {})

    def still_holds(self, lookups: Mapping[str, bool]) -> bool:
        """Whether this corpus gives every recorded verdict again (a cached result is then exact)."""
        for key, verdict in lookups.items():
            kind, _, rest = key.partition("\x1f")
            if kind == "mt":
                share, _, word = rest.partition("\x1f")
                caps, lower = self.caps[word], self.lower[word]
                now = caps >= 2 and caps >= lower or caps >= 3 and caps >= float(share) * lower
            else:
                now = self.capitalised_in[rest] >= 2
            if now != verdict:
                return False
        return True
