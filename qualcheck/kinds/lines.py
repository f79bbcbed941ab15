"""Structural boilerplate: short unpunctuated lines at the head or tail, stray headlines, repeated lines.

Phrase lists are never complete; these kinds catch residue by its shape. They are registered with
``yields``, so that a phrase rule flagging the same passage wins and nothing is reported twice.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from qualcheck import prefilter, saferegex
from qualcheck.kinds import kind
from qualcheck.model import Finding, Span
from qualcheck.wrapping import is_wrapped

TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NORM = re.compile(r"[\W_]+")
LIST_ITEM = re.compile(r"^\s*(?:[-–*•]|\d{1,2}[.)])\s+\S")  # an article's own bulleted or numbered list
_SEPARATOR_END = re.compile(r"[-|–—:/»>]\s*$")  # a cut-off "Headline - Site" or a menu label
_FIRST_LETTER = re.compile(r"[^\W\d_]")


def is_prose(line: str, max_words: int) -> bool:
    """A line reads as prose when it ends like a sentence or is longer than any menu item."""
    return bool(TERMINAL.search(line)) or len(WORDS.findall(line)) > max_words


def starts_lowercase(text: str) -> bool:
    """True when the first letter is lower case: a continuation of the line before, not a new block."""
    m = _FIRST_LETTER.search(text)
    return bool(m and m.group(0).islower())


def is_heading_case(line: str) -> bool:
    """Title Case or ALL CAPS (a subheading's style); sentence-case headline residue is neither."""
    words = [w for w in WORDS.findall(line) if len(w) > 3]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


# words that carry no headline content: a line's lowercase words other than these are its story
FUNCTION_WORDS = frozenset(
    "the and for with from into onto over under after before about against between during without "
    "than that this these those what when where which while who whom whose why how not but nor yet "
    "are was were has have had its his her their our your you they she him them been being will "
    "would can could may might must shall should does did per via amid upon".split()
)
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def reads_as_headline(line: str) -> bool:
    """A headline of a story, not an item of the article's own list: at least two lowercase content
    words outside brackets ("Fierce sea battle leaves 41 dead in Sri Lanka", "Militant group denies
    killing Bhutto"). A line-up, a prize list's names or a fact-box label has at most one ("K Clark",
    "Catherine Tate (BBC Two)", "WINNERS (six times)", "Best actor - Richard Griffiths")."""
    text = _BRACKETED.sub(" ", line)
    lower = [w for w in WORDS.findall(text) if len(w) >= 3 and w.islower() and w not in FUNCTION_WORDS]
    return len(lower) >= 2


_BYLINE = re.compile(r"^\W*(?:[Bb]y|BY)\s+(?:the\s+)?[A-Z][\w.’'-]*(?:[\s,]+(?:and\s+|&\s+)?[A-Z][\w.’'-]*){0,6}\s*(?:[,|-]\s*[^\n]{0,60})?$")
_BYLINE_ROLE = re.compile(r"^[\w.’'&-]+(?:,?\s+[\w.’'&-]+){0,6}$")
_NAME_LINE = re.compile(r"^(?:[A-Z][\w.’'-]*\s+){1,3}[A-Z][\w.’'-]*$")
# a reporter's role or desk ("Economics editor", "North America correspondent", "BBC News, Truro")
_ROLE_WORD = re.compile(r"\b(?:editor|correspondent|reporter|writer|columnist|journalist|analyst|presenter)\b|\b(?:news|press|times|post)\b,", re.IGNORECASE)


def _role(text: str) -> bool:
    text = text.strip()
    return bool(text) and bool(_BYLINE_ROLE.match(text)) and not TERMINAL.search(text) and not any(c.isdigit() for c in text)


def bylines(texts: list[str]) -> set[int]:
    """Indexes of the byline ("By Jane Smith", "By JANE SMITH, Staff Writer", or a bare name over a
    reporter's role) and of the one or two short lines that go on with it (her role, her desk or
    paper: "Political editor", "BBC News, Truro"). They are the article's own, where a scraper's
    residue is the page's."""
    out: set[int] = set()
    for i, text in enumerate(texts):
        text = text.strip()
        nxt = texts[i + 1].strip() if i + 1 < len(texts) else ""
        signed = _BYLINE.match(text) and len(WORDS.findall(text)) <= 12
        named = _NAME_LINE.match(text) and _role(nxt) and _ROLE_WORD.search(nxt)
        if signed or named:
            out.add(i)
            for j in (i + 1, i + 2):
                if j >= len(texts) or not _role(texts[j]) or (j > i + 1 and not _ROLE_WORD.search(texts[j])):
                    break
                out.add(j)
    return out


def text_lines(doc) -> list[Span]:
    """The document's non-blank lines as a scraper writes them: one line per block of the page. The
    lines of a hard-wrapped paragraph are one block (its first line is not a short unpunctuated line
    above the article, its last not one below it); lines of a paragraph that are not filled to a
    width (a menu, a list of headlines, one scraped block per line) stay lines."""
    out: list[Span] = []
    para: list[Span] = []
    for ln in [*doc.lines, None]:
        if ln is not None and doc.text[ln.start : ln.end].strip():
            para.append(ln)
            continue
        if para:
            widths = [len(doc.text[x.start : x.end].strip()) for x in para]
            out.extend([Span(para[0].start, para[-1].end)] if is_wrapped(widths) else para)
            para = []
    return out


def _content_lines(doc) -> list[Span]:
    return text_lines(doc)


def _trimmed(doc, span: Span) -> Span:
    line = doc.text[span.start : span.end]
    lead = len(line) - len(line.lstrip())
    return Span(span.start + lead, span.start + len(line.rstrip()))


@dataclass(frozen=True, slots=True)
class EdgeLinesParams:
    """Scan from one edge of the document over lines that do not read as prose.

    ``standfirst_words``: at the head, a line of at least this many words directly above the first
    prose paragraph is the article's standfirst (summary line), not residue, unless it repeats the
    title or ends in a separator the scraper left ("...Putin?-"). 0 turns the exemption off.
    """

    edge: str = "tail"  # "head" (after the title) | "tail"
    max_words: int = 15
    standfirst_words: int = 0
    # a line naming someone or something the article's prose names ("K Clark" under a line-up with
    # "Clark", "Catherine Tate (BBC Two)" under a story about her) is the article's own list, not
    # page chrome: a capitalised word of at least 3 letters no commoner than this Zipf value (names,
    # not "News" or "Sport") shared with the prose exempts the line. 0 turns the exemption off.
    own_max_zipf: float = 0.0
    # page notices that read as sentences ("Be the first to comment on this story!", "X can be
    # reached at x@y.com", "This story is sourced direct from an agency."): a line matching one is
    # residue whatever its punctuation, and the run goes on past it. Regexes, searched ignoring case.
    cues: tuple[str, ...] = ()
    # residue like cues, but weaker: an article's own closing contact box has them too (an e-mail
    # address, a phone number), so they do not make the lines below them residue (``notice_reach``)
    contacts: tuple[str, ...] = ()
    # tail only: a list header ("Related Posts:", "Top Stories") among the last ``header_reach``
    # lines makes it and every line below it residue (the list's items read as headlines or
    # sentences), as long as none of them is longer than ``item_words`` words.
    headers: tuple[str, ...] = ()
    header_reach: int = 6
    item_words: int = 30
    item_paragraphs: int = 0  # this many prose lines of more than max_words under the header end the list (0: off)
    # tail only: an article does not go on below its page notices. A cue line among the last
    # ``notice_reach`` lines makes every line below it residue too, prose or not (a poll question or
    # an advertisement under "X can be reached at ..."), unless the line names the prose's names; no
    # line below the cue may be longer than ``notice_words`` words. 0 turns this off.
    notice_reach: int = 0
    notice_words: int = 80
    # tail only: cues that a page also puts between an article's paragraphs (a sign-up box, "click
    # here", a link to another story): one with at least ``promo_paragraphs`` prose paragraphs below
    # it is not where the article ends. Regexes, searched ignoring case. 0 paragraphs: off.
    promos: tuple[str, ...] = ()
    promo_paragraphs: int = 0
    # tail only: headings of an article's own closing list ("HEAD TO HEAD", "Next game", "On the
    # Net"), a line of the run or run into the end of the last prose line: the run's lines below it
    # are the list's items, not page chrome (a page notice ends the list). Regexes, ignoring case.
    own_headers: tuple[str, ...] = ()
    # tail only: a line-up (a line of at least this many names separated by commas or semicolons)
    # right above the run heads the article's own list the same way (the referee below it). 0: off.
    roster_items: int = 0
    # tail only: a question of at most this many words outside quotation marks does not end an
    # article's prose (a poll, a teaser headline, "What's this?"). 0: off.
    question_words: int = 0
    # a run holding at least this many lines that read as headlines is a list of other stories: a
    # shared name does not make its headlines the article's own ("Fierce sea battle leaves 41 dead in
    # Sri Lanka" under a story on Sri Lanka). Fewer are the article's own headline and deck. 0: off.
    headline_list: int = 0
    # tail only: the article's own closing lines that need no heading: credits ("Additional
    # reporting by ...", "With files from ..."). Regexes, searched ignoring case; a notice above ends them.
    own_lines: tuple[str, ...] = ()
    # tail only: a lead-in of at least this many words ending in a colon, mostly lowercase words ("The
    # main changes are:", or the last paragraph's "...gave these figures:") heads the article's own
    # list: the run's lines below it are its items. Menu labels ("Tags:", "Related Posts:") are not
    # lead-ins. 0: off.
    intro_words: int = 0
    # head only: a byline among the last this many lines of the run, right above the first paragraph
    # ("By Jane Smith" / "Political editor", "Laura Smith" / "BBC News, Truro"), is the article's own. 0: off.
    byline_reach: int = 0

    def __post_init__(self) -> None:
        if self.edge not in ("head", "tail"):
            raise ValueError(f"edge: {self.edge!r} is not head or tail")
        for cue in self.cues + self.contacts + self.headers + self.own_headers + self.own_lines:
            try:
                saferegex.cached(cue, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"cues/headers: invalid regular expression {cue!r}: {exc}") from None
        if self.own_headers:
            _own_header(self.own_headers, True), _own_header(self.own_headers, False)


@functools.lru_cache(maxsize=64)
def _each(patterns: tuple[str, ...]):
    """A rule's cues compiled one by one. Searched in turn they find a match exactly when their
    alternation would, about seven times faster: the ``regex`` engine tries every branch of a
    case-blind alternation at every character, but finds a single cue's literal text quickly, and
    skips a cue whose words the text lacks (qualcheck/prefilter.py)."""
    return tuple(saferegex.cached(p, re.IGNORECASE) for p in patterns)


def _matches(patterns: tuple[str, ...], text: str) -> bool:
    return any(pattern.search(text) for pattern in _each(patterns))


@functools.lru_cache(maxsize=16)
def _own_header(patterns: tuple[str, ...], whole: bool):
    """An own-list heading as a whole line, or run into the end of a prose line after its last sentence."""
    alts = "|".join(f"(?:{x})" for x in patterns)
    lead = r"^\W*" if whole else r"[.!?\"”’]\s+"
    return saferegex.cached(f"{lead}(?:{alts})\\s*:?\\s*$", re.IGNORECASE)


_NOTED_NAME = re.compile(r"^(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*\s*\([^)]{1,20}\)$")
_ROSTER_ITEM = re.compile(r"^(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*(?:\s*\([^)]{1,20}\))?$")


def _is_roster(text: str, items: int) -> bool:
    """A line-up: at least ``items`` names (capitalised words, a note in brackets) between commas or semicolons."""
    parts = [x.strip(" .:") for x in re.split(r"[,;]", text)]
    parts = [x for x in parts if x]
    return len(parts) >= items and 5 * sum(bool(_ROSTER_ITEM.match(x)) for x in parts) >= 4 * len(parts)


_MENU_SEP = re.compile(r"\s(?:\||-|–|—|·|•|»)\s")


_QUESTION = re.compile(r"\?\s*$")
_CUT_OFF = re.compile(r"(?:\.\.\.|…)\s*$")
_QUOTE_MARK = re.compile(r"[\"“”]")


def _reads_as_prose(text: str, p) -> bool:
    """Prose, save shapes below an article that end like sentences: a menu whose short items are cut
    by separators ("Story Tools: E-MAIL | PRINT | Text Size"), a short line cut off with an ellipsis
    (a teaser), and a short question outside quotation marks (a poll, a teaser headline: edited news
    asks the reader nothing in its own voice at the end)."""
    if not is_prose(text, p.max_words):
        return False
    words = len(WORDS.findall(text))
    if p.question_words and _QUESTION.search(text) and not _QUOTE_MARK.search(text) and words <= p.question_words:
        return False
    if _CUT_OFF.search(text) and words <= p.max_words:
        return False  # a teaser cut off ("More Sonics headlines...")
    parts = _MENU_SEP.split(text)
    return not (len(parts) >= 4 and not TERMINAL.search(text) and all(len(WORDS.findall(x)) <= 6 for x in parts))


def _notice_block(doc, lines: list[Span], p) -> int:
    """Tail lines (reversed order) below the highest page notice near the end: the count from the end, 0 if none."""
    if not p.notice_reach or p.edge != "tail" or not p.cues:
        return 0
    block = paragraphs = 0
    for i, ln in enumerate(lines[: p.notice_reach]):
        text = doc.text[ln.start : ln.end]
        if _matches(p.cues, text):
            if not (p.promo_paragraphs and paragraphs >= p.promo_paragraphs and _matches(p.promos, text)):
                block = i
        elif len(WORDS.findall(text)) > p.notice_words:
            break
        else:
            paragraphs += len(WORDS.findall(text)) > p.max_words and bool(TERMINAL.search(text))
    return block


def _header_block(doc, lines: list[Span], p) -> int:
    """Tail lines (reversed order) a list header makes residue: the count from the end, 0 if none."""
    if not p.headers or p.edge != "tail":
        return 0
    block = paragraphs = 0
    for i, ln in enumerate(lines[: p.header_reach]):
        text = doc.text[ln.start : ln.end]
        if _matches(p.headers, text):
            block = i + 1
            continue
        words = len(WORDS.findall(text))
        # a teaser may read as a sentence; two paragraphs of prose are the article going on under a
        # box of links that sits between its paragraphs
        paragraphs += words > p.max_words and bool(TERMINAL.search(text))
        if words > p.item_words or (p.item_paragraphs and paragraphs >= p.item_paragraphs):
            break
    return block


@kind("edge-lines", params=EdgeLinesParams, yields=True)
def edge_lines(doc, rule, ctx) -> Iterator[Finding]:
    """Flag the run of non-prose lines at the head (after the title) or tail of the document."""
    p = rule.params
    title = doc.meta.title_span
    lines = [ln for ln in _content_lines(doc) if not (title and ln.start <= title.start < ln.end + 1)]
    title_key = _key(doc.text[title.start : title.end]) if title else None
    if p.edge == "tail":
        lines.reverse()
    run: list[Span] = []
    forced = _header_block(doc, lines, p)
    below_notice = _notice_block(doc, lines, p)
    notice: set[int] = set()  # lines residue by a cue or a list header: never the article's own
    for i, ln in enumerate(lines):
        text = doc.text[ln.start : ln.end]
        if i < forced or _matches(p.cues, text) or _matches(p.contacts, text):
            notice.add(ln.start)
            run.append(ln)
            continue
        if i < below_notice:
            run.append(ln)  # under a page notice: residue unless it names the prose's names
            continue
        if _reads_as_prose(text, p) if p.edge == "tail" else is_prose(text, p.max_words):
            break
        if p.edge == "tail" and LIST_ITEM.match(text) and _list_goes_on(doc, lines, i):
            break  # a bulleted list closing the article belongs to it
        following = lines[i + 1] if p.edge == "head" and i + 1 < len(lines) else None
        if following is not None:
            nxt = doc.text[following.start : following.end]
            if starts_lowercase(nxt) and is_prose(nxt, p.max_words):
                break  # a sentence broken over two lines
        run.append(ln)
    if p.edge == "head" and run and p.standfirst_words and len(run) < len(lines):
        last = doc.text[run[-1].start : run[-1].end]
        if (
            len(WORDS.findall(last)) >= p.standfirst_words
            and not _SEPARATOR_END.search(last)
            and _key(last) != title_key
            and run[-1].start not in notice
        ):
            run.pop()
    in_run = {ln.start for ln in run}
    owned = prose_names(doc, [ln for ln in lines if ln.start not in in_run], p.max_words) if p.own_max_zipf and run else set()
    zipf = ctx.backend("lexicon").zipf if owned else None
    names = {w for w in owned if zipf(w.lower()) <= p.own_max_zipf} if owned else set()
    # a repeated title or a line cut off at a separator ("...Putin?-") is residue whatever it names
    texts = [doc.text[ln.start : ln.end] for ln in run]
    headlines = [reads_as_headline(t) and not is_heading_case(t) for t in texts]
    listed = bool(p.headline_list) and sum(headlines) >= p.headline_list
    own = [
        ln.start not in notice and bool(capitalised_names(t) & names) and not _SEPARATOR_END.search(t) and _key(t) != title_key
        and not (listed and headline)
        for ln, t, headline in zip(run, texts, headlines)
    ]
    own = [mine or listed for mine, listed in zip(own, _own_list(doc, lines, run, notice, p))]
    data = [ln.start not in notice and is_data(doc.text[ln.start : ln.end]) for ln in run]
    # under the title, dates, times and figures making up half the block: a match's or event's fact
    # box ("Sixways / Friday, 25 February / 2000 GMT"); a page's date stamp there carries a label
    # ("Last updated: ...", BP201). Below the article, bare figures are a page's stamps and counters.
    fact_box = p.edge == "head" and len(run) >= 2 and 2 * sum(data) >= len(run)
    # a long block most of whose lines name the article's names is its list (nominees, a line-up):
    # the few items that name nothing of the prose ("School Of Rock") belong to it too
    own_list = len(run) >= 4 and 3 * sum(own) >= 2 * len(run)
    # a byline sits right above the article's first paragraph, among its date and caption
    near = run[-p.byline_reach :] if p.edge == "head" and p.byline_reach else []
    signed = {near[i].start for i in bylines([doc.text[ln.start : ln.end] for ln in near])}
    for ln, mine, figure in zip(run, own, data):
        if ln.start in signed and ln.start not in notice:
            continue  # the byline and its role ("By Jane Smith" / "Political editor"): the article's own
        if mine or fact_box or own_list:
            continue  # the article's own list (a line-up, a prize list, match facts)
        if any(own) and figure:
            continue  # a date, time or figure in a block that lists the article's own names: its fact box
        yield rule.finding(doc, _trimmed(doc, ln))


def _list_goes_on(doc, lines: list[Span], i: int) -> bool:
    """A list item with another beside it: a list. A lone dashed line ("- REUTERS") is a credit or a menu item."""
    near = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    return any(LIST_ITEM.match(doc.text[ln.start : ln.end]) for ln in near)


def _own_list(doc, lines: list[Span], run: list[Span], notice: set[int], p) -> list[bool]:
    """Per run line: an item of the article's own closing list, under its heading or its line-up.

    The heading is a line of the run, or run into the end of the line just above the run ("...the
    Football League. HEAD TO HEAD"); a line-up right above the run heads it too. A page notice, and
    everything below it, is never the list's; nor a line cut off at a separator.
    """
    if p.edge != "tail" or not run or not (p.own_headers or p.roster_items or p.own_lines or p.intro_words):
        return [False] * len(run)
    above = lines[len(run)] if len(run) < len(lines) else None  # the tail's run is its last lines
    listed = roster = False
    if above is not None:
        text = doc.text[above.start : above.end]
        listed = bool(p.own_headers and _own_header(p.own_headers, False).search(text)) or _lead_in(text, p.intro_words)
        roster = bool(p.roster_items and _is_roster(text, p.roster_items))
    out = []
    for ln in reversed(run):  # reading order
        text = doc.text[ln.start : ln.end]
        heading = False
        if ln.start in notice:
            listed = roster = False
        elif p.own_headers and _own_header(p.own_headers, True).search(text):
            listed = heading = True  # "On the Net:" ends in a colon, as headings do
        elif _lead_in(text, p.intro_words) and not _matches(p.headers, text):
            listed = heading = True
        elif p.own_lines and _matches(p.own_lines, text):
            heading = True  # a credit line: the article's own, and no list under it
        # under a line-up, only what goes on with it: another line-up, a name with a note ("J Jutge (France)")
        named = roster and (_is_roster(text, p.roster_items) or bool(_NOTED_NAME.match(text.strip(" .:"))))
        out.append(heading or ((listed or named) and ln.start not in notice and not _SEPARATOR_END.search(text)))
    return out[::-1]


_LEAD_IN_WORD = re.compile(r"\b(?:are|is|were|was|include[sd]?|including|follows?|following|these|here)\b", re.IGNORECASE)
_THIS_PAGE = re.compile(r"\bthis (?:story|article|page|post|site|item)\b|\bbelow\b", re.IGNORECASE)


def _lead_in(text: str, min_words: int) -> bool:
    """A sentence that introduces the article's list: it ends in a colon, most of its words are lower
    case and it says what follows ("The main changes are:", "...gave these figures:"). A page's
    prompts name the page instead ("Link this story:", "Spread the news by clicking below:")."""
    if not min_words or not text.rstrip().endswith(":"):
        return False
    words = WORDS.findall(text)
    return (
        len(words) >= min_words
        and 2 * sum(w.islower() for w in words) > len(words)
        and bool(_LEAD_IN_WORD.search(text))
        and not _THIS_PAGE.search(text)
    )


_DATA_WORD = re.compile(
    r"\d[\d,.:]*(?:st|nd|rd|th)?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?"
    r"|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|gmt|bst|utc|et|pt|am|pm|kick-off|att|ref"
)


def is_data(text: str) -> bool:
    """A line of only dates, times and figures ("Tuesday, 1 March", "2000 GMT", "8,661")."""
    words = re.findall(r"[\w-]+", text.lower())
    return bool(words) and all(_DATA_WORD.fullmatch(w) for w in words)


_NAME = re.compile(r"(?<![\w’'])[A-Z][\w’'-]{2,}")


def capitalised_names(text: str) -> set[str]:
    """The capitalised words of a line: what it names."""
    return set(_NAME.findall(text))


def prose_names(doc, lines: list[Span], max_words: int) -> set[str]:
    """Capitalised words of the document's prose lines (each line's first word left out: any sentence starts so)."""
    out: set[str] = set()
    for ln in lines:
        text = doc.text[ln.start : ln.end]
        if is_prose(text, max_words):
            first = _NAME.match(text.lstrip())
            out |= capitalised_names(text) - ({first.group(0)} if first else set())
    return out


@dataclass(frozen=True, slots=True)
class StrayHeadlineParams:
    """A headline-shaped one-line paragraph standing between prose paragraphs.

    Title Case and ALL CAPS lines are taken for the article's own subheadings unless
    ``flag_heading_case`` is set; residue headlines scraped from news pages are in sentence case.
    """

    max_words: int = 15
    min_words: int = 3
    flag_heading_case: bool = False
    cues: tuple[str, ...] = ()  # regexes a news headline shows (": Putin", ", says Putin"); empty = any

    def __post_init__(self) -> None:
        for cue in self.cues:
            try:
                saferegex.cached(cue)
            except re.error as exc:
                raise ValueError(f"cues: invalid regular expression {cue!r}: {exc}") from None


@kind("stray-headline", params=StrayHeadlineParams, yields=True)
def stray_headline(doc, rule, ctx) -> Iterator[Finding]:
    """Flag one-line, unpunctuated paragraphs with prose paragraphs on both sides."""
    p = rule.params
    paras = doc.paragraphs
    prose = [is_prose(doc.text[q.start : q.end], p.max_words) for q in paras]
    for i in range(1, len(paras) - 1):
        para = paras[i]
        text = doc.text[para.start : para.end]
        if prose[i] or "\n" in text or not (prose[i - 1] and prose[i + 1]):
            continue
        if len(WORDS.findall(text)) < p.min_words or starts_lowercase(text):
            continue
        if starts_lowercase(doc.text[paras[i + 1].start : paras[i + 1].end]):
            continue  # the paragraph goes on: a sentence broken by a blank line
        if text.rstrip().endswith((",", ";")) or (not p.flag_heading_case and is_heading_case(text)):
            continue
        if p.cues and not any(saferegex.cached(cue).search(text) for cue in p.cues):
            continue  # a subheading of the article's own, most likely
        yield rule.finding(doc, para)


@dataclass(frozen=True, slots=True)
class RepeatedLineParams:
    """A line repeated in several documents is page furniture, not reporting."""

    min_documents_same_source: int = 2
    min_documents_any_source: int = 3
    max_words_any_source: int = 15  # across sources only short, non-prose lines count
    min_characters: int = 4


def _key(text: str) -> str:
    return _NORM.sub(" ", text.lower()).strip()


def _compared_lines(doc, min_characters: int, wanted: set[str] | None = None) -> Iterator[tuple[str, Span]]:
    """(key, line) for each line of the document that BP304 compares across documents (``wanted``: only these keys)."""
    title = doc.meta.title_span
    for ln in _content_lines(doc):
        if title and ln.start <= title.start < ln.end + 1:
            continue
        text = doc.text[ln.start : ln.end]
        key = _key(text)
        if len(key) < min_characters or (wanted is not None and key not in wanted):
            continue
        if is_data(text):
            continue  # "2000 GMT", "Saturday, 5 March": the same figures recur in many articles' fact boxes
        yield key, ln


@kind("repeated-line", params=RepeatedLineParams, phase="corpus", yields=True)
def repeated_line(corpus, rule, ctx) -> Iterator[Finding]:
    """Flag lines that recur across documents of one source, or short lines recurring corpus-wide."""
    p = rule.params
    focus = getattr(corpus, "focus", None)
    # a gate run reports only its new articles, so only the lines they hold are looked for elsewhere
    wanted = None if focus is None else {key for doc in corpus.documents if doc.id in focus for key, _ in _compared_lines(doc, p.min_characters)}
    if wanted is not None and not wanted:
        return
    # what a document must hold to have one of those lines: every word of one key (longest first), in
    # its raw text, as the patterns' pre-check tests literals (masking markup keeps the words in place)
    needs = None if wanted is None else tuple(
        tuple((prefilter.fold(w),) for w in sorted(key.split(), key=len, reverse=True)) for key in wanted
    )
    where: dict[str, list[tuple[object, Span]]] = defaultdict(list)
    for doc in corpus.documents:
        if needs is not None and not prefilter.may_match(needs, doc.raw):
            continue  # none of the new articles' lines is in its text: its lines need not be split and keyed
        seen: set[str] = set()
        for key, ln in _compared_lines(doc, p.min_characters, wanted):
            if key not in seen:
                seen.add(key)
                where[key].append((doc, ln))
    for key, hits in where.items():
        if len(hits) < min(p.min_documents_same_source, p.min_documents_any_source):
            continue
        by_source: dict[str, int] = defaultdict(int)
        for doc, _ in hits:
            if doc.source:
                by_source[doc.source] += 1
        sample = hits[0][0].text[hits[0][1].start : hits[0][1].end]
        short = not is_prose(sample, p.max_words_any_source)
        for doc, ln in hits:
            same = by_source.get(doc.source, 0) if doc.source else 0
            if same >= p.min_documents_same_source or (short and len(hits) >= p.min_documents_any_source):
                yield rule.finding(doc, _trimmed(doc, ln), count=len(hits))
