"""residue-block: the rest of a block of page residue inside the article, around lines other rules flagged.

Residue comes in blocks: a "Related Articles" box, a share bar, a list of the section's headlines
sits between two of the article's paragraphs, and the phrase rules recognise one or two of its lines
("Related Articles", "Print") but not the headlines under them, which no list can know. The edge
rules (BP301, BP302) take the runs at the head and the tail; this score kind takes the runs of
short lines inside the article that hold a line another BP rule flagged, and runs of related-story
headlines (sentence-case lines with a story's words, "Militant group denies killing Bhutto") that
need no such line. The article's own lines in such a run are left alone: list items, dates and
figures, a byline, and lines that name the article's names without reading as a headline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from qualcheck import line_features
from qualcheck.kinds import Scored, kind
from qualcheck.kinds.lines import (
    FUNCTION_WORDS,
    LIST_ITEM,
    TERMINAL,
    WORDS,
    bylines,
    capitalised_names,
    is_data,
    is_heading_case,
    is_prose,
    prose_names,
    reads_as_headline,
    starts_lowercase,
    text_lines,
)
from qualcheck.model import Span


@dataclass(frozen=True, slots=True)
class ResidueBlockParams:
    """``inputs``: the BP rules whose findings seed a block (the engine runs the unselected ones,
    unreported). ``max_words``: a line ending like a sentence or longer than this is prose and ends
    a block. ``short_words``: a sentence of at most this many words inside a block (a caption, "Like
    it?") does not end it. ``headlines``: this many related-story headlines in a row make a block
    without a flagged line (0: off). ``own_max_zipf``: a shared name no commoner than this makes a
    line the article's own (as in BP301)."""

    inputs: tuple[str, ...] = ()
    max_words: int = 15
    short_words: int = 0
    headlines: int = 0
    own_max_zipf: float = 4.5
    paragraph_words: int = 0  # only prose lines of at least this many words name the article's names

    def __post_init__(self) -> None:
        if self.max_words < 1 or self.short_words < 0 or self.headlines < 0:
            raise ValueError("max_words must be at least 1; short_words and headlines at least 0")


def _content_words(text: str) -> set[str]:
    """Words of four letters or more that are not function words, lower-cased and cut to five letters
    (so "killing" and "killed", "doubles" and "double" meet)."""
    return {w.lower()[:5] for w in WORDS.findall(text) if len(w) >= 4 and w.lower() not in FUNCTION_WORDS}


def _heads(line: str, paragraph: str) -> bool:
    """The line is the headline or subheading of the paragraph below it: they share two content words
    ("Aussies need doubles win at Hopman Cup" over "...in the Hopman Cup ... will need to win their
    mixed doubles match")."""
    return len(_content_words(line) & _content_words(paragraph)) >= 2


def _inputs(params: ResidueBlockParams) -> tuple[str, ...]:
    return params.inputs


def _blocks(texts: list[str], p: ResidueBlockParams) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of non-prose lines with a prose line right above and below it.

    A short sentence inside the run does not end it; at its edges it is the article's (a last
    short paragraph)."""
    prose = [is_prose(t, p.max_words) for t in texts]
    short = [pr and bool(TERMINAL.search(t)) and len(WORDS.findall(t)) <= p.short_words for t, pr in zip(texts, prose)]
    i = 1
    while i < len(texts):
        if prose[i]:
            i += 1
            continue
        j = i
        while j < len(texts) and (not prose[j] or (short[j] and j + 1 < len(texts) and not prose[j + 1])):
            j += 1
        if j < len(texts) and prose[i - 1] and not starts_lowercase(texts[j]):
            yield i, j
        i = j + 1


@kind("residue-block", params=ResidueBlockParams, phase="score", inputs=_inputs, yields=True)
def residue_block(doc, evidence, rule, ctx) -> Scored:
    """Flag the unflagged lines of residue blocks inside the article."""
    p = rule.params
    title = doc.meta.title_span
    lines = [ln for ln in text_lines(doc) if not (title and ln.start <= title.start < ln.end + 1)]
    if len(lines) < 3:
        return Scored(part="boilerplate_blocks")
    texts = [doc.text[ln.start : ln.end] for ln in lines]
    spans = [f.span for f in evidence.findings if f.category == "boilerplate" and f.code != rule.code]
    flagged = line_features.flagged_lines(lines, spans)
    blocks = []
    for a, b in _blocks(texts, p):
        seeded = any(flagged[a:b])
        headlines = sum(reads_as_headline(t) and not is_heading_case(t) for t in texts[a:b])
        if seeded or (p.headlines and headlines >= p.headlines and 2 * headlines >= b - a):
            blocks.append((a, b))
    if not blocks:
        return Scored(part="boilerplate_blocks")
    inside = {i for a, b in blocks for i in range(a, b)}
    names: set[str] = set()
    if p.own_max_zipf:
        zipf = ctx.backend("lexicon").zipf
        prose_lines = [ln for i, ln in enumerate(lines) if i not in inside]
        # the article's names: those of its paragraphs, not of a page's taglines and copyright lines
        paragraphs = [ln for ln in prose_lines if len(WORDS.findall(doc.text[ln.start : ln.end])) >= p.paragraph_words] or prose_lines
        names = {w for w in prose_names(doc, paragraphs, p.max_words) if zipf(w.lower()) <= p.own_max_zipf}
    out = []
    for a, b in blocks:
        signed = {a + i for i in bylines(texts[a:b])}
        firm = [i in signed or bool(LIST_ITEM.match(texts[i])) or _heads(texts[i], texts[b]) for i in range(a, b)]
        named = [bool(capitalised_names(texts[i]) & names) and not reads_as_headline(texts[i]) for i in range(a, b)]
        # dates, times and figures are a fact box's beside the article's names; alone in a block of
        # residue they are the page's stamps and archive menus ("January 2008", "December 2007")
        if any(named):
            firm = [f or is_data(texts[i]) for f, i in zip(firm, range(a, b))]
        # the article's own lists come in runs: a line that only names the article's names, with
        # residue on both sides of it ("Jodhaa Akbar" in a poll's film list), is the page's too
        own = [
            f or (nm and not (0 < k < len(firm) - 1 and not (firm[k - 1] or named[k - 1]) and not (firm[k + 1] or named[k + 1])))
            for k, (f, nm) in enumerate(zip(firm, named))
        ]
        if 3 * sum(own) >= 2 * len(own):
            continue  # the article's own list (nominees, a line-up) with a stray line in it
        for i, mine in zip(range(a, b), own):
            if flagged[i] or mine:
                continue
            text = texts[i]
            lead = len(text) - len(text.lstrip())
            span = Span(lines[i].start + lead, lines[i].start + len(text.rstrip()))
            out.append(rule.finding(doc, span))
    return Scored(findings=out, part="boilerplate_blocks")
