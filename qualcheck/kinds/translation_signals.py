"""translation-signal: surface signs of a bad machine translation, one ``signal`` per rule.

Signals: ``mid-capital`` (a common word capitalised mid-sentence that is no name), ``stray-period``
(a full stop inside a sentence, before a lower-case word or a number), ``orphan-quote`` (an opening
quotation mark with nothing to open, a closing one glued to the next word, a quoted function word),
``unbalanced-quote`` (a quotation left open at a paragraph's end that the next paragraph does not
continue, or closed without being opened),
``truncated`` (a sentence that stops on a word that cannot end one), ``foreign-script`` (letters of
another script left untranslated) and ``mojibake`` (mis-decoded text). Each finding is also
evidence for its sentence's garble score, weighing the rule's ``weight`` (qualcheck/scoring/sentences.py).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator

from qualcheck.kinds import kind
from qualcheck.model import Finding, Notice, Span

SIGNALS = ("mid-capital", "stray-period", "orphan-quote", "unbalanced-quote", "truncated", "foreign-script", "mojibake")

_TOKEN = re.compile(r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
# what may stand right before a capital that legitimately starts a clause or a quotation
_OPENERS = set("“\"‘'`«‹„‚([{:;—–-…•*/|>")  # a capital after any opening quotation mark (`` `Don't`` too) starts a quotation
CONNECTORS = frozenset({"of", "for", "and", "the", "de", "in", "on", "da", "van", "von", "al", "el", "&", "du", "la", "le", "upon"})
FUNCTION_WORDS = (
    "on in at of for with from by to into onto about after before during since until under over "
    "between among through against without within and or but nor so yet because although while "
    "if than that which who whom whose this these those it its he his she her they their them we "
    "our us you your my me is are was were be been has have had do does did will would shall "
    "should can could might must not no"
).split()
ABBREVIATIONS = (
    "mr mrs ms dr st no nos vs v etc inc ltd co corp jr sr gen col gov sen rep lt capt sgt prof rev "
    "fig figs approx dept est jan feb mar apr jun jul aug sep sept oct nov dec mt ft op vol pp p art "
    "sec ch cf al e.g i.e a.m p.m u.s u.k u.n"
).split()
DANGLING = (
    "the a an and or but nor its their our your my whose "
    "seems appears becomes"
).split()
# stray-period: deleting the full stop is offered as the fix only when the words on both sides read on as
# one sentence: a function word follows ("can only be done. in case of"), or a day follows a month
# ("since December. 23"). Between two content words ("weapons. offensive close to", "by Russia. 2014") the
# stop usually marks words the engine left in the source's order or a lost preposition: no safe rewrite.
REJOIN_WORDS = tuple(FUNCTION_WORDS) + ("a", "an", "the", "as", "also", "who", "where", "when", "while", "then", "even", "only")
MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
# a linking verb may end a sentence after these ("so it seems.", "as it appears.")
_LINK_OK = frozenset({"it", "so", "there", "as", "this", "that", "what", "which", "who", "he", "she", "they"})


@dataclass(frozen=True, slots=True)
class TranslationSignalParams:
    """Which signal the rule reports, how much it weighs in the sentence score, and its word lists."""

    signal: str
    weight: float = 1.0
    min_zipf: float = 3.5  # mid-capital: the lower-case word must be at least this common
    function_words: tuple[str, ...] = tuple(FUNCTION_WORDS)
    abbreviations: tuple[str, ...] = tuple(ABBREVIATIONS)
    dangling: tuple[str, ...] = tuple(DANGLING)
    corpus_names: bool = True  # mid-capital: a word capitalised mid-sentence elsewhere in the run is a name
    corpus_cap_share: float = 0.1  # ... when seen so at least 3 times and at least this share of its lower-case uses
    nlp_names: bool = True  # mid-capital: ask spaCy (when installed) whether a candidate is a name
    min_letters: int = 2  # foreign-script: shortest run of foreign letters reported
    rejoin_words: tuple[str, ...] = REJOIN_WORDS  # stray-period: a following word that makes deleting the stop a safe fix
    rejoin_number_after: tuple[str, ...] = tuple(MONTHS)  # stray-period: words a number may follow once the stop goes
    problems: tuple[str, ...] = ()  # unbalanced-quote: which of QUOTE_PROBLEMS it reports (empty: all)
    typographic_only: bool = False  # unbalanced-quote: judge only curly marks, whose direction is written, not guessed
    yield_to: tuple[str, ...] = ()  # codes whose finding on the same passage wins (one error, one finding)
    title_cues: tuple[str, ...] = ()  # mid-capital: nouns next to a title or name ("film", "album", "magazine", "producer")
    title_verbs: tuple[str, ...] = ()  # mid-capital: words that introduce one ("called", "titled", "dubbed")
    title_min_common: int = 2  # mid-capital: capitalised common words that make a run of capitals a title ("Five to One")
    title_name_zipf: float = 5.2  # mid-capital: a common word that is also a name ("Love", not "James") counts from this frequency
    title_quote_words: int = 8  # mid-capital: longest quotation read as a title when its words are capitalised
    figures_open_sentences: bool = True  # stray-period: "receive. 17% of readers" is two sentences (not after a month or function word)

    def __post_init__(self) -> None:
        if self.signal not in SIGNALS:
            raise ValueError(f"signal: {self.signal!r} is not one of {', '.join(SIGNALS)}")
        unknown = [p for p in self.problems if p not in QUOTE_PROBLEMS]
        if unknown:
            raise ValueError(f"problems: {', '.join(unknown)} (known: {', '.join(QUOTE_PROBLEMS)})")


@dataclass(frozen=True)
class _Prepared:
    function_words: frozenset[str]
    abbreviations: frozenset[str]
    dangling: frozenset[str]
    rejoin_words: frozenset[str] = frozenset()
    rejoin_number_after: frozenset[str] = frozenset()
    title_cues: frozenset[str] = frozenset()
    title_verbs: frozenset[str] = frozenset()
    title_joiners: frozenset[str] = frozenset()


def _prepare(p: TranslationSignalParams) -> _Prepared:
    low = lambda xs: frozenset(x.lower() for x in xs)  # noqa: E731
    return _Prepared(low(p.function_words), low(p.abbreviations), low(p.dangling), low(p.rejoin_words), low(p.rejoin_number_after),
                     low(p.title_cues), low(p.title_verbs), low(p.function_words) | {"a", "an", "the", "as"})


@kind("translation-signal", params=TranslationSignalParams, prepare=_prepare, names=lambda p: p.corpus_names)
def translation_signal(doc, rule, ctx) -> Iterator[Finding]:
    """Flag every passage where the rule's signal fires (MT900 weighs each finding in its sentence's score)."""
    detector = _DETECTORS[rule.params.signal]
    for span, values in detector(doc, rule, ctx):
        suggestions = values.pop("suggestions", ())
        yield rule.finding(doc, span, suggestions=suggestions, **values)


# -- tokens ------------------------------------------------------------------------------


def _tokens(text: str, start: int, end: int) -> list[re.Match]:
    return list(_TOKEN.finditer(text, start, end))


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and any(c.islower() for c in word[1:])


def _is_capish(word: str) -> bool:
    """Capitalised or all-caps (an acronym): may be part of a name."""
    return word[:1].isupper()


def _prev_char(text: str, pos: int, floor: int) -> str:
    i = pos - 1
    while i >= floor and text[i] in " \t\u00a0":
        i -= 1
    return text[i] if i >= floor else ""


def _title_like(text: str) -> bool:
    """A headline in title case: most longer words capitalised."""
    words = re.findall(r"[^\W\d_]{4,}", text)[1:]  # the first word is capitalised anyway
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.7


# -- titles of works --------------------------------------------------------------------

# a quotation whose marks are not apostrophes: no letter before the opening mark or after the closing one
_QUOTED = re.compile(r"(?<![\w])[“\"‘'`]([^“”\"‘’'`\n]{1,120}?)[”\"’'](?![\w])")


def _cue(word: str, cues: frozenset[str]) -> bool:
    return word.islower() and word in cues


def _common_cap(word: str, prep: _Prepared, p: TranslationSignalParams, lex) -> bool:
    """A capitalised common word, not a function word ("Summer", "Bomb"); a first name that is also a
    word ("James", "Shay") counts only when the word is very common."""
    low = word.lower()
    if not _is_cap(word) or low in prep.title_joiners or not lex.is_lower_word(low):
        return False
    zipf = lex.zipf(low)
    return zipf >= p.min_zipf and (zipf >= p.title_name_zipf or not lex.is_proper(word))


def _title_runs(text: str, toks: list[re.Match], prep: _Prepared, p: TranslationSignalParams, lex) -> list[tuple[int, int]]:
    """Token ranges (first, last) of one sentence that read as the title of a work or a name, not as
    stray capitals: italics are lost in scraped news, so "his album A Message from the People", "the
    film Living with Michael Jackson" and "Five to One by The Doors" are told only by their capitals.
    A run of capitalised words, with up to three lower-case function words between them, is a title
    when it holds ``title_min_common`` capitalised common words (the sentence's first word aside) or
    stands next to a cue ("film", "called", "magazine"); a name or a date after a stray capital ("the
    crisis On Tuesday in Moscow") holds none and stays flagged."""
    runs = []
    i, n = 0, len(toks)
    while i < n:
        if not _is_capish(toks[i].group(0)):
            i += 1
            continue
        last, j, gap = i, i + 1, 0
        while j < n and text[toks[j - 1].end() : toks[j].start()].strip() == "":
            w = toks[j].group(0)
            if _is_capish(w):
                last, gap = j, 0
            elif w in prep.title_joiners and gap < 3:
                gap += 1
            else:
                break
            j += 1
        common = sum(_common_cap(toks[k].group(0), prep, p, lex) for k in range(max(i, 1), last + 1))
        before = toks[i - 1].group(0) if i > 0 and text[toks[i - 1].end() : toks[i].start()].strip() == "" else ""
        after = ""
        if last + 1 < n and text[toks[last].end() : toks[last + 1].start()].strip(" \t?!") == "":
            after = toks[last + 1].group(0)
        if common >= p.title_min_common or _cue(before, prep.title_cues | prep.title_verbs) or _cue(after, prep.title_cues):
            runs.append((i, last))
        i = last + 1
    return runs


def _title_quotes(text: str, start: int, end: int, prep: _Prepared, p: TranslationSignalParams) -> list[Span]:
    """Short quotations in title case ("Britain is Working", "How Soon is Now?"): a slogan or a title.
    Every word but the function words is capitalised, and there are two such words at least."""
    spans = []
    for m in _QUOTED.finditer(text, start, end):
        words = _tokens(text, m.start(1), m.end(1))
        if not words or len(words) > p.title_quote_words or not _is_capish(words[0].group(0)):
            continue
        content = [w.group(0) for w in words if w.group(0).lower() not in prep.title_joiners]
        if len(content) >= 2 and all(_is_capish(w) for w in content):
            spans.append(Span(m.start(1), m.end(1)))
    return spans


class _Titles:
    """The titles of works of one document, read a sentence at a time and only when a capital is
    judged: most sentences have no capital to judge, and reading titles everywhere cost MT101 a third
    of its time."""

    def __init__(self, doc, ctx, rule) -> None:
        self.doc, self.rule, self.lex = doc, rule, ctx.backend("lexicon")
        self._read: dict[int, tuple[set[int], set[str]]] = {}

    def _sentence(self, s: Span) -> tuple[set[int], set[str]]:
        if s.start not in self._read:
            p, prep, text = self.rule.params, self.rule.prepared, self.doc.text
            toks = _tokens(text, s.start, s.end)
            quotes = _title_quotes(text, s.start, s.end, prep, p)
            mine = {t.start() for t in toks if any(q.start <= t.start() < q.end for q in quotes)}
            words: set[str] = set()
            for a, b in _title_runs(text, toks, prep, p, self.lex):
                for k in range(a, b + 1):
                    w = toks[k].group(0)
                    mine.add(toks[k].start())
                    if k > 0 and _common_cap(w, prep, p, self.lex):
                        words.add(w.lower())
            self._read[s.start] = (mine, words)
        return self._read[s.start]

    def inside(self, s: Span) -> set[int]:
        """Offsets of the capitals of sentence ``s`` that belong to a title."""
        return self._sentence(s)[0]

    @functools.cached_property
    def words(self) -> set[str]:
        """The common words capitalised in any title of the document, which name the work when they
        come back alone ("the draft Directive")."""
        return set().union(*(self._sentence(s)[1] for s in self.doc.sentences))


# -- mid-capital -----------------------------------------------------------------------

_NUMBERED = re.compile(r"\.[ \t]?\d")  # after an abbreviation: "No. 3", "No.2", "Vol. 1"


def _say_once(ctx, key: str, message: str) -> None:
    """Raise a run-level notice the first time a helper engine is found missing."""
    if hasattr(ctx, "notice"):
        ctx.memo(f"garble.said\x1f{key}", lambda: ctx.notice(Notice("warning", message, code="engine")) or True)


def _nlp_names(ctx, doc, sentence: Span) -> set[int] | None:
    """Start offsets of tokens spaCy tags as proper nouns or entities; None when spaCy is missing."""
    nlp, reason = ctx.memo("garble.nlp", lambda: ctx.backend("nlp").load_nlp())
    if nlp is None:
        _say_once(ctx, "nlp", f"translation: MT101 tells names from stray capitals without spaCy: {reason}")
        return None

    def parse() -> set[int]:
        parsed = nlp(doc.text[sentence.start : sentence.end])
        return {
            sentence.start + t.idx
            for t in parsed
            if t.pos_ == "PROPN" or (t.ent_type_ and t.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"))
        }

    parsed = ctx.per_document("garble.nlp").setdefault(doc.id, {}) if hasattr(ctx, "per_document") else {}
    if sentence.start not in parsed:
        parsed[sentence.start] = parse()
    return parsed[sentence.start]


def _mid_capital(doc, rule, ctx) -> Iterator[tuple[Span, dict[str, Any]]]:
    p, prep = rule.params, rule.prepared
    lex = ctx.backend("lexicon")
    ok, reason = lex.status()
    if not ok:
        _say_once(ctx, "lexicon", f"translation: MT101 runs without a case-aware dictionary, names may be flagged: {reason}")
    text = doc.text
    title = doc.meta.title_span
    names = ctx.corpus.names if p.corpus_names and ctx.corpus else None
    works = _Titles(doc, ctx, rule)
    for s in doc.sentences:
        if title and title.start <= s.start < title.end:
            continue
        if _title_like(text[s.start : s.end]):
            continue
        toks = _tokens(text, s.start, s.end)
        for i, m in enumerate(toks):
            word = m.group(0)
            if i == 0 or not _is_cap(word) or len(word) < 2:
                continue
            if word.lower() in prep.abbreviations and _NUMBERED.match(text, m.end()):
                continue  # "No. 3 Oklahoma", "Vol. 2": an abbreviation before a number
            before = _prev_char(text, m.start(), s.start)
            if before in _OPENERS or before in ".!?" or "\n" in text[toks[i - 1].end() : m.start()]:
                continue  # starts a quotation, a clause after a colon, or a mis-split sentence
            low = word.lower()
            prev_w = toks[i - 1].group(0)
            next_w = toks[i + 1].group(0) if i + 1 < len(toks) else ""
            joined_next = i + 1 < len(toks) and text[m.end() : toks[i + 1].start()].strip() == ""
            joined_prev = text[toks[i - 1].end() : m.start()].strip() == ""
            in_run = (joined_prev and _is_capish(prev_w)) or (joined_next and _is_capish(next_w))
            # "Organization for Security": a capital word on the far side of a connector
            if not in_run and joined_prev and prev_w.lower() in CONNECTORS and i >= 2 and _is_capish(toks[i - 2].group(0)):
                in_run = True
            if not in_run and joined_next and next_w.lower() in CONNECTORS and i + 2 < len(toks) and _is_capish(toks[i + 2].group(0)):
                in_run = True
            if joined_next and next_w[:1].isdigit():
                in_run = True  # "Pop 100", "Formula 1"
            if low in prep.function_words:
                # Titles of works capitalise function words ("Men In Black", "No Way Out"): only a
                # function word heading a two-word run ("On Tuesday") or standing alone is flagged.
                if joined_prev and _is_capish(prev_w):
                    continue
                if joined_next and _is_capish(next_w):
                    after = toks[i + 2].group(0) if i + 2 < len(toks) else ""
                    if after and _is_capish(after) and text[toks[i + 1].end() : toks[i + 2].start()].strip() == "":
                        continue
                    if _is_cap(next_w) and lex.is_lower_word(next_w.lower()) and not lex.is_proper(next_w):
                        continue  # a capitalised common word follows: a title ("My Family", "In Pieces"), not "On Tuesday"
                    if m.start() in works.inside(s):
                        continue  # in the title of a work (read only for a capital the cheap tests leave)
                    if p.nlp_names:
                        tagged = _nlp_names(ctx, doc, s)
                        if tagged is not None and m.start() in tagged:
                            continue  # "Will Smith", "Us Weekly"
                elif in_run:
                    continue
                if m.start() in works.inside(s):
                    continue  # in the title of a work ("the film Living with Michael Jackson", "“Britain is Working”")
                why = "function word"
            else:
                if in_run:
                    continue  # part of a multi-word name ("Prime Minister Viktor Orban")
                if lex.zipf(low) < p.min_zipf or not lex.is_lower_word(low) or lex.is_proper(word):
                    continue  # rare, or a name the dictionary knows ("Ukraine", "West")
                if names is not None and names.often_capitalised(low, p.corpus_cap_share, doc.id):
                    continue  # capitalised mid-sentence elsewhere in the run often ("Test match", "Real", "Today")
                if m.start() in works.inside(s):
                    continue  # in the title of a work ("the film Living with Michael Jackson", "“Britain is Working”")
                if low in works.words:  # last of the cheap tests: it reads every sentence's titles
                    continue  # a work the document named in full before or after ("the draft Directive")
                if p.nlp_names:
                    tagged = _nlp_names(ctx, doc, s)
                    if tagged is not None and m.start() in tagged:
                        continue
                why = "common word"
            yield Span(m.start(), m.end()), {"kind": why, "suggestions": (low,)}


# -- stray-period --------------------------------------------------------------------------

_STRAY = re.compile(r"([^\W_][\w’'\-]*)\.([ \t]+)((?:[a-z][a-z’'\-]*\b)|\d+)", re.UNICODE)


_FIGURE_TAIL = re.compile(r"(?:[.,]\d+)*(?:%|[ \t]*(?:per[ \t]?cent\b|[^\W\d_]))")


def _opens_sentence(text: str, end: int, stop: int) -> bool:
    """A figure can open a sentence when a word or a unit follows it ("17% of readers", "16 out of
    the top 20", "9.6 grams"); one followed by a comma or nothing ("by Russia. 2014, as its own",
    "since December. 23,") is the tail of the sentence before."""
    return _FIGURE_TAIL.match(text, end, stop) is not None


def _stray_period(doc, rule, ctx) -> Iterator[tuple[Span, dict[str, Any]]]:
    prep = rule.prepared
    text = doc.text
    for para in doc.paragraphs:
        for m in _STRAY.finditer(text, para.start, para.end):
            prev, nxt = m.group(1), m.group(3)
            low = prev.lower()
            if low in prep.abbreviations or len(prev) == 1 or "." in prev or prev.isupper() and len(prev) <= 4:
                continue  # "Feb. 8", "U.S. officials", initials
            if m.start(1) > 0 and text[m.start(1) - 1] == ".":
                continue  # "e.g. the", "a.m. on"
            if nxt[0].isdigit() and prev.isdigit():
                continue  # "3. 5" in a list or a score
            if nxt[0].isdigit() and rule.params.figures_open_sentences and _opens_sentence(text, m.end(3), para.end):
                if low not in prep.rejoin_number_after and low not in prep.function_words and low not in prep.dangling:
                    continue  # "the service they receive. 17% of readers have switched": a new sentence
            reads_on = low in prep.rejoin_number_after if nxt[0].isdigit() else nxt.lower() in prep.rejoin_words
            fix = (f"{prev}{m.group(2)}{nxt}",) if reads_on else ()
            yield Span(m.start(1), m.end(3)), {"word": nxt, "suggestions": fix}


# -- orphan-quote ------------------------------------------------------------------------

_ORPHAN_OPEN = re.compile(r"“[ \t]*(?=$|[.,;:!?]|\n)", re.M)
_GLUED_CLOSE = re.compile(r"(?<=\s)”(?=\w)")
_QUOTED_WORD = re.compile(r"(?<!\w)[“\"‘](\w+)[”\"’](?!\w)")
# a quotation opened with one style of mark and closed with the other ("‘Open Door Policy'", "\"drawing us into
# a conflict,”"): the closing mark is followed by punctuation or the line's end, so an apostrophe ("players' union") is not one
_MIXED = re.compile(
    r"(?<![\w’'])(‘)[^‘’'\n]{1,80}?(')(?=[.,;:!?)]|[ \t]*$)"
    r"|(?<![\w“”\"])(“)[^“”\"\n]{1,300}?(\")(?=[.,;:!?)\s]|$)"
    r"|(?:^|(?<=[\s(\[—–]))(\")[^“”\"\n]{1,300}?(”)",
    re.M,
)
_MATCHING = {"‘": "’", "“": "”", '"': '"'}


def _orphan_quote(doc, rule, ctx) -> Iterator[tuple[Span, dict[str, Any]]]:
    prep = rule.prepared
    text = doc.text
    for para in doc.paragraphs:
        for m in _ORPHAN_OPEN.finditer(text, para.start, para.end):
            a = m.start()
            # include a stray space before the mark and the punctuation after it: "seems . “"
            b = m.end() + (1 if m.end() < para.end and text[m.end()] in ".,;:!?" else 0)
            yield Span(a, b), {"problem": "an opening quotation mark that opens nothing"}
        for m in _GLUED_CLOSE.finditer(text, para.start, para.end):
            yield Span(m.start(), m.end() + 1), {"problem": "a closing quotation mark before a word"}
        for m in _QUOTED_WORD.finditer(text, para.start, para.end):
            if m.group(1).lower() in prep.function_words:
                yield Span(*m.span()), {"problem": "a single function word in quotation marks"}
        for m in _MIXED.finditer(text, para.start, para.end):
            opening = next(g for g in (1, 3, 5) if m.group(g))
            fixed = m.group(0)[:-1] + _MATCHING[m.group(opening)]
            yield Span(*m.span()), {"problem": "a quotation opened and closed with different marks", "suggestions": (fixed,)}


# -- unbalanced-quote ----------------------------------------------------------------------

_DOUBLE = re.compile(r'[“”"]')
QUOTE_PROBLEMS = {"opened-again": "opened again before it was closed", "unopened-close": "a closing mark with no opening one in its paragraph",
                  "left-open": "left open at the end of the paragraph"}


def _direction(text: str, a: int) -> str | None:
    """'open' or 'close' for a double quotation mark; a straight one by the spaces around it (None: unclear)."""
    mark = text[a]
    if mark in "“”":
        return "open" if mark == "“" else "close"
    before = text[a - 1] if a > 0 else " "
    after = text[a + 1] if a + 1 < len(text) else " "
    if before.isdigit():
        return None  # inches: 5'11"
    if (before.isspace() or before in "([—–-") and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)—–-"):
        return "close"
    return None


def _unbalanced_quote(doc, rule, ctx) -> Iterator[tuple[Span, dict[str, Any]]]:
    """Double quotation marks paired through each paragraph. A quote may run on into the next paragraph
    when that paragraph opens with a quotation mark (the news convention for long quotes), and an
    opening mark right after a full stop inside an open quote continues it (a lost paragraph break)."""
    for span, values in _quote_problems(doc):
        problem = values["problem"]
        if rule.params.problems and problem not in rule.params.problems:
            continue
        if rule.params.typographic_only and any(doc.text[i] not in "“”" for i in values.get("marks", (span.start,))):
            continue  # a straight mark's direction is guessed from the spaces around it
        yield span, {"problem": QUOTE_PROBLEMS[problem]}


def _quote_problems(doc) -> Iterator[tuple[Span, dict[str, Any]]]:
    text = doc.text
    paras = doc.body_paragraphs or doc.paragraphs
    orphan = {m.start() for para in paras for m in _ORPHAN_OPEN.finditer(text, para.start, para.end)}  # MT105's
    for k, para in enumerate(paras):
        opened: int | None = None  # offset of the mark that opened the current quotation
        for m in _DOUBLE.finditer(text, para.start, para.end):
            a = m.start()
            way = None if a in orphan else _direction(text, a)
            if way == "open":
                if opened is not None and _prev_char(text, a, para.start) not in ".!?…":
                    yield Span(opened, opened + 1), {"problem": "opened-again", "marks": (opened, a)}
                opened = a
            elif way == "close":
                if opened is None:
                    yield Span(a, a + 1), {"problem": "unopened-close"}
                opened = None
        if opened is not None and not any(opened < o < para.end for o in orphan):  # else MT105's mark was its closing one
            following = text[paras[k + 1].start : paras[k + 1].start + 1] if k + 1 < len(paras) else ""
            if following not in ('"', "“", "‘", "'"):
                yield Span(opened, opened + 1), {"problem": "left-open"}


# -- truncated ---------------------------------------------------------------------------

_END = re.compile(r"([^\W\d_][\w’'\-]*)([ \t]*)([.!?]+)[\"”’»)]*[ \t]*[“\"]?\s*$")


def _truncated(doc, rule, ctx) -> Iterator[tuple[Span, dict[str, Any]]]:
    prep = rule.prepared
    text = doc.text
    for s in doc.sentences:
        m = _END.search(text, s.start, s.end)
        if not m:
            continue
        word = m.group(1).lower()
        if word not in prep.dangling:
            continue
        if word in ("seems", "appears", "becomes"):
            before = _tokens(text, s.start, m.start(1))
            if before and before[-1].group(0).lower() in _LINK_OK:
                continue
        yield Span(m.start(1), m.end(3)), {"word": m.group(1)}


# -- foreign-script and mojibake -----------------------------------------------------------


def _script(ch: str) -> str | None:
    """The script of a letter outside Latin (None for Latin, digits, punctuation)."""
    if not ch.isalpha() or ord(ch) < 0x0250 or 0x1E00 <= ord(ch) <= 0x1EFF:
        return None
    try:
        return unicodedata.name(ch).split()[0].title()
    except ValueError:
        return "Unknown"


# the characters _script can name: everything from IPA on, except Latin Extended Additional
_MAYBE_SCRIPT = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")


def _foreign_script(doc, rule, ctx) -> Iterator[tuple[Span, dict[str, Any]]]:
    text = doc.text
    i, n = 0, len(text)
    while i < n:
        m = _MAYBE_SCRIPT.search(text, i)  # skip Latin text in C: _script is None for all of it
        if m is None:
            return
        i = m.start()
        script = _script(text[i])
        if not script or script == "Greek":
            i += 1
            continue
        j, letters = i, 0
        while j < n and (_script(text[j]) == script or (text[j] in " -'’" and j + 1 < n and _script(text[j + 1]) == script) or text[j].isdigit() or unicodedata.category(text[j]).startswith("M")):
            letters += text[j].isalpha()
            j += 1
        if letters >= rule.params.min_letters:
            yield Span(i, j), {"script": script}
        i = j


_SUSPECT = re.compile(r"[ÃÂâÐÑ€™œ�]")


def _mojibake(doc, rule, ctx) -> Iterator[tuple[Span, dict[str, Any]]]:
    text = doc.text
    if not _SUSPECT.search(text):
        return
    fixer = ctx.backend("mojibake")
    for m in re.finditer(r"\S+", text):
        word = m.group(0)
        if _SUSPECT.search(word) and fixer.looks_bad(word):
            fixed = fixer.repair(word)
            yield Span(*m.span()), {"suggestions": (fixed,) if fixed != word else ()}


_DETECTORS = {
    "mid-capital": _mid_capital,
    "stray-period": _stray_period,
    "orphan-quote": _orphan_quote,
    "unbalanced-quote": _unbalanced_quote,
    "truncated": _truncated,
    "foreign-script": _foreign_script,
    "mojibake": _mojibake,
}
