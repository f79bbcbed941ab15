"""The Document: decoded text, masked checkable text, metadata, and segments with offsets."""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from qualcheck import front_matter as _front_matter
from qualcheck import metadata as _metadata
from qualcheck.backends import segmenter
from qualcheck.model import Notice, Span
from qualcheck.textsafe import display_name, scrub

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n+")
_MD_MASKS = (
    _front_matter.YAML_BLOCK,  # front matter: its fields are read into the document's metadata
    _front_matter.TOML_BLOCK,
    re.compile(r"<!--.*?-->", re.S),  # HTML comments (and qualcheck directives)
    re.compile(r"^```.*?^```[^\n]*$", re.S | re.M),  # fenced code blocks
    re.compile(r"(?<=\])\([^)\s]+(?:\s+\"[^\"]*\")?\)"),  # link targets of [text](url)
    re.compile(r"<https?://[^>\s]+>"),  # autolinks
    # inline HTML and character references are Markdown markup (BP110 flags them in plain text)
    # a quoted value is taken whole when a tag can go on after it (atomic group): also trying it as an
    # unquoted value made each attribute two ways to match, 2**20 attempts at a "<a b="c" ..." never closed
    re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z][\w:-]*(?:\s*=\s*(?>\"[^\"\n]{0,500}\"(?=\s|/?>)|'[^'\n]{0,500}'(?=\s|/?>)|[^\s>]{1,200}))?){0,20}\s*/?>"),
    re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,7}|#x[0-9A-Fa-f]{2,6});"),
)
_URL = re.compile(r"\bhttps?://\S+")
_DIRECTIVE = re.compile(r"<!--\s*qualcheck:.*?-->", re.S | re.I)  # inline suppressions, in every format


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF, as Python's text mode does; offsets count in this text."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def mask(text: str, fmt: str) -> str:
    """Blank markup and URLs with spaces, keeping length and newlines, so offsets map to the file."""
    patterns = _MD_MASKS if fmt == "md" else ()
    spans = [m.span() for pattern in (*patterns, _URL, _DIRECTIVE) for m in pattern.finditer(text)]
    if not spans:
        return text  # most articles: nothing to blank, no copy
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


@dataclass
class Document:
    """One input article.

    ``raw`` is the decoded text (newlines normalised); ``text`` has the same length with markup,
    URLs and directives blanked, and is what checks read. Offsets everywhere index both.
    """

    id: str
    raw: str
    format: str = "txt"
    path: str | None = None
    language: str = "en"
    # title/source/url/date/event: a JSONL record's own, else a Markdown article's front matter
    fields: Mapping[str, Any] = field(default_factory=dict)
    record_line: int | None = None  # JSONL: the 1-based line of the record in its corpus file, for CI annotations
    notices: list = field(default_factory=list)

    def __post_init__(self) -> None:
        # lone surrogates (a "\\udfff" in JSON) cannot be written by any report: replace them, one for one
        self.id = display_name(self.id)
        self.raw, replaced = scrub(self.raw)
        self.fields = self._plain_fields()
        if replaced:
            self.notices.append(Notice("warning", f"{replaced} lone surrogate(s) (invalid Unicode) replaced by U+FFFD", document=self.id, code="input"))
        if self.format == "md" and self.raw[:3] in ("---", "+++"):
            try:
                self.fields = {**_front_matter.fields(self.raw), **self.fields}
            except _front_matter.FrontMatterError as exc:
                self.notices.append(Notice("warning", f"{exc}; its title, date and source are not used", document=self.id, code="input"))

    def _plain_fields(self) -> dict[str, Any]:
        """The fields as strings (numbers written out); a list, a table or a boolean cannot be a title,
        a source or a date: it is left out, with a notice, rather than failing a check later."""
        out: dict[str, Any] = {}
        for key, value in self.fields.items():
            if isinstance(value, str):
                out[key] = scrub(value)[0]
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                out[key] = str(value)
            elif value is not None:
                kind = {bool: "true or false", list: "a list", dict: "an object"}.get(type(value), f"a {type(value).__name__}")
                self.notices.append(Notice("warning", f"field '{key}' is {kind}, not a string: not used", document=self.id, code="input"))
        return out

    @cached_property
    def text(self) -> str:
        return mask(self.raw, self.format)

    @cached_property
    def meta(self) -> _metadata.Metadata:
        return _metadata.parse(self.text, self.fields)

    @property
    def title(self) -> str | None:
        return self.meta.title

    @property
    def source(self) -> str | None:
        return self.meta.source

    @property
    def date(self) -> str | None:
        return self.meta.date

    @property
    def event(self) -> str | None:
        return self.fields.get("event")

    # -- lines and locations -------------------------------------------------------------

    @cached_property
    def line_starts(self) -> list[int]:
        # str.find runs in C: 20x faster than a Python loop over every character of a long corpus
        starts = [0]
        i = self.raw.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = self.raw.find("\n", i + 1)
        return starts

    @cached_property
    def lines(self) -> list[Span]:
        """Every line as a span without its newline."""
        starts = self.line_starts
        ends = [s - 1 for s in starts[1:]] + [len(self.raw)]
        return [Span(s, e) for s, e in zip(starts, ends)]

    def locate(self, offset: int) -> tuple[int, int]:
        """Turn a code-point offset into a 1-based (line, column)."""
        offset = max(0, min(offset, len(self.raw)))
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    # -- segments ------------------------------------------------------------------------

    @cached_property
    def paragraphs(self) -> list[Span]:
        """Blocks of text separated by blank lines, trimmed of surrounding whitespace."""
        spans: list[Span] = []
        pos = 0
        text = self.text
        for m in [*_BLANK_LINES.finditer(text), None]:
            end = m.start() if m else len(text)
            chunk = text[pos:end]
            stripped = chunk.strip()
            if stripped:
                lead = len(chunk) - len(chunk.lstrip())
                spans.append(Span(pos + lead, pos + lead + len(stripped)))
            if m:
                pos = m.end()
        return spans

    @cached_property
    def sentences(self) -> list[Span]:
        """Sentences of every paragraph, in order; a sentence never crosses a paragraph break."""
        kept = self.__dict__.get("_kept_sentences")
        if kept is not None:  # segmented once already this run (``keep_sentences``)
            return [Span(kept[i], kept[i + 1]) for i in range(0, len(kept), 2)]
        spans: list[Span] = []
        for para in self.paragraphs:
            for start, end in segmenter.sentences(self.text[para.start : para.end], para.start):
                spans.append(Span(start, end))
        return spans

    @cached_property
    def body_paragraphs(self) -> list[Span]:
        """Paragraphs minus those that are only metadata (title line, dateline markers)."""
        skip = self.meta.title_span
        return [p for p in self.paragraphs if not (skip and p.start >= skip.start and p.end <= skip.end)]

    def words(self, start: int = 0, end: int | None = None) -> list[str]:
        return _WORD.findall(self.text, start, len(self.text) if end is None else end)

    @cached_property
    def word_count(self) -> int:
        return len(self.words())

    def excerpt(self, span: Span) -> str:
        return self.raw[span.start : span.end]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def packed_sentences(self) -> array:
        """The sentence spans as flat (start, end) integers: 8 bytes a sentence, cheap to send and keep."""
        return array("I", [offset for s in self.sentences for offset in (s.start, s.end)])

    def keep_sentences(self, packed: array) -> None:
        """Keep sentence spans segmented elsewhere (a worker of the run's names pass) through ``release``.

        Segmenting is most of the cost of reading a document for the corpus steps; with the spans
        kept, a run segments each document once instead of once per step and process.
        """
        self.__dict__["_kept_sentences"] = packed

    def release(self) -> None:
        """Drop what the document computed about itself (masked text, lines, sentences, counts).

        A large run keeps every document but needs these only while one is checked or reported;
        they are computed again, in a few milliseconds, if asked for later.
        """
        for name in _CACHED:
            self.__dict__.pop(name, None)

    def sentence_at(self, offset: int) -> Span | None:
        """Return the sentence containing ``offset``, if any."""
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < max(self.sentences[i].end, offset + 1):
            return self.sentences[i]
        return None


_CACHED = tuple(name for name, value in vars(Document).items() if isinstance(value, cached_property) and name != "meta")
