"""Per-line features of plain text that tell page residue from an article's own lines on any site.

No HTML is needed: each line is described by its shape (length, stopword share, end punctuation,
capitals, digits, separators), its place in the document (distance from the edges, how much of the
document's prose lies above and below it) and its neighbours (their shape, whether a BP rule
flagged them, how long the run of short lines around it is). ``bench/train_line_model.py`` fits a
logistic model on these features and ``kinds/line_model.py`` applies it; both call ``features``,
so the model always sees the features it was trained on. ``NAMES`` is their order.
"""

from __future__ import annotations

import bisect
import math
import re
from typing import Any, Sequence

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+[\"'“‘(]?[A-Z]")
_SEPARATORS = re.compile(r"(?:^|\s)[|»•·›>/–—-](?=\s|$)")
_SEPARATOR_END = re.compile(r"[-|–—:/»>]\s*$")
_BULLET = re.compile(r"^\s*(?:[-–*•·]|\d{1,2}[.)])\s+\S")
_CONTACT = re.compile(r"@|www\.|\.(?:com|org|net|co\.uk)\b|https?:")  # on the lower-cased line
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights")  # on the lower-cased line
_YEAR_OR_TIME = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b")
_QUOTE = re.compile(r"[\"“”]")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")
_NORM = re.compile(r"[\W_]+")

# A line counts as prose (the article's kind of line) with this many words and a sentence's end;
# the document's prose mass is the words of such lines.
PROSE_WORDS = 8
WINDOW = 3  # lines either side for densities

_OWN = (
    "log_words", "log_chars", "stop_share", "terminal", "colon_end", "separator_end", "caps_share",
    "allcaps_share", "digit_share", "log_separators", "prose", "log_sentences", "quote", "bullet",
    "word_length", "contact", "copyright", "year_or_time", "question", "ellipsis", "lower_start",
    "repeats_title", "names_in_prose", "flagged",
)
_NEIGHBOUR = ("log_words", "terminal", "stop_share", "prose", "flagged", "missing")
_PLACE = (
    "relative_position", "log_from_start", "log_from_end", "log_lines", "prose_above", "prose_below",
    "inside_prose", "prose_density", "flagged_density", "log_short_run", "log_to_prose_above",
    "log_to_prose_below", "log_same_shape_run", "document_prose_share",
)
NAMES: tuple[str, ...] = (
    _OWN
    + tuple(f"{d}_{n}" for d in ("prev2", "prev", "next", "next2") for n in _NEIGHBOUR)
    + _PLACE
)



def flagged_lines(lines: Sequence[Any], spans: Sequence[Any]) -> list[bool]:
    """For each line (a span with ``start``/``end``, in order): whether one of ``spans`` (other rules'
    findings) touches it; the "flagged" neighbour feature, and what BP306 grows its blocks from."""
    starts = [ln.start for ln in lines]
    out = [False] * len(lines)
    for span in spans:
        i = max(0, bisect.bisect_right(starts, span.start) - 1)
        while i < len(lines) and lines[i].start < span.end:
            if lines[i].end > span.start:
                out[i] = True
            i += 1
    return out

def _key(text: str) -> str:
    return _NORM.sub(" ", text.lower()).strip()


def _shape(text: str, stopwords: frozenset[str]) -> dict[str, float]:
    words = _WORDS.findall(text)
    n = len(words)
    stripped = text.strip()
    chars = len(stripped)
    end = stripped[-12:]  # end patterns read only the line's end: a long paragraph is not scanned again
    lower = text.lower()
    digits = sum(map(text.count, "0123456789"))
    stop = sum(map(stopwords.__contains__, map(str.lower, words))) / n if n else 0.0
    terminal = bool(_TERMINAL.search(end))
    capitalised = [w for w in words if w[0].isupper()]
    return {
        "words": n,
        "log_words": math.log1p(n),
        "log_chars": math.log1p(chars),
        "stop_share": stop,
        "terminal": float(terminal),
        "colon_end": float(end.endswith(":")),
        "separator_end": float(bool(_SEPARATOR_END.search(end))),
        "caps_share": len(capitalised) / n if n else 0.0,
        "allcaps_share": sum(map(_is_caps, capitalised)) / n if n else 0.0,
        "digit_share": digits / chars if chars else 0.0,
        "log_separators": math.log1p(len(_SEPARATORS.findall(text))),
        "prose": float(terminal and n >= PROSE_WORDS),
        "log_sentences": math.log1p(len(_SENTENCE_BREAK.findall(text)) + terminal),
        "quote": float(bool(_QUOTE.search(text))),
        "bullet": float(bool(_BULLET.match(text))),
        "word_length": min(12.0, sum(map(len, words)) / n) / 12 if n else 0.0,
        "contact": float(bool(_CONTACT.search(lower))),
        "copyright": float(bool(_COPYRIGHT.search(lower))),
        "year_or_time": float(digits >= 3 and bool(_YEAR_OR_TIME.search(text))),
        "question": float(end.endswith("?")),
        "ellipsis": float(bool(_ELLIPSIS.search(end))),
        "lower_start": float(bool(words) and words[0][0].islower()),
        "names": {w for w in capitalised[1:] if len(w) >= 3},  # not the first word: sentence case
    }


def _is_caps(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _signature(text: str, s: dict) -> tuple:
    """A line's coarse shape: lines of a list share it."""
    words = s["words"]
    return (
        bool(_BULLET.match(text)), text.rstrip().endswith(")"), s["terminal"], s["colon_end"],
        0 if words <= 3 else 1 if words <= 8 else 2 if words <= 20 else 3,
    )


def features(lines: Sequence[str], flagged: Sequence[bool], stopwords: frozenset[str], title: str | None = None) -> list[list[float]]:
    """One row of ``NAMES`` per line (the document's non-blank lines, in order).

    ``flagged``: per line, whether another BP rule flagged it. ``title``: the document's title, which
    residue often repeats.
    """
    shapes = [_shape(t, stopwords) for t in lines]
    n = len(lines)
    mass = [s["words"] if s["prose"] else 0 for s in shapes]
    total = sum(mass) or 1
    above = []
    run = 0
    for m in mass:
        above.append(run / total)
        run += m
    # capitalised words of the prose lines, counted per line, so a line's own words can be left out
    in_prose: dict[str, int] = {}
    for s in shapes:
        if s["prose"]:
            for w in s["names"]:
                in_prose[w] = in_prose.get(w, 0) + 1
    # runs of consecutive non-prose lines
    short_run = [0] * n
    i = 0
    while i < n:
        if shapes[i]["prose"]:
            i += 1
            continue
        j = i
        while j < n and not shapes[j]["prose"]:
            j += 1
        for k in range(i, j):
            short_run[k] = j - i
        i = j
    # distance in lines to the nearest prose line above and below (n when there is none)
    up, down = [n] * n, [n] * n
    last = None
    for i in range(n):
        up[i] = i - last if last is not None else n
        if shapes[i]["prose"]:
            last = i
    last = None
    for i in range(n - 1, -1, -1):
        down[i] = last - i if last is not None else n
        if shapes[i]["prose"]:
            last = i
    # runs of neighbours with the same shape: a list (a menu, or the article's own line-up)
    signature = [_signature(t, s) for t, s in zip(lines, shapes)]
    same_run = [1] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and signature[j + 1] == signature[i]:
            j += 1
        for k in range(i, j + 1):
            same_run[k] = j - i + 1
        i = j + 1
    all_words = sum(s["words"] for s in shapes) or 1
    prose_share = sum(mass) / all_words
    title_key = _key(title) if title else None
    words = [s["words"] for s in shapes]
    rows = []
    for i, s in enumerate(shapes):
        own = s["prose"]
        names = s["names"]
        shared = sum(in_prose.get(w, 0) - own > 0 for w in names) / len(names) if names else 0.0
        row = [s[k] for k in _OWN[:21]]
        repeats = title_key is not None and i > 0 and abs(len(lines[i]) - len(title)) < 20 and _key(lines[i]) == title_key
        row += [float(repeats), shared, float(flagged[i])]
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                o = shapes[j]
                row += [o["log_words"], o["terminal"], o["stop_share"], o["prose"], float(flagged[j]), 0.0]
            else:
                row += [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
        lo, hi = max(0, i - WINDOW), min(n, i + WINDOW + 1)
        near_words = sum(words[lo:hi]) or 1
        below = 1.0 - above[i] - mass[i] / total
        row += [
            i / (n - 1) if n > 1 else 0.0,
            math.log1p(i),
            math.log1p(n - 1 - i),
            math.log1p(n),
            above[i],
            below,
            min(above[i], below) * 2,
            sum(mass[lo:hi]) / near_words,
            sum(map(bool, flagged[lo:hi])) / (hi - lo),
            math.log1p(short_run[i]),
            math.log1p(up[i]),
            math.log1p(down[i]),
            math.log1p(same_run[i]),
            prose_share,
        ]
        rows.append(row)
    return rows
