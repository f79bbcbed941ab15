"""Property-based robustness: generated hostile text through every reader and every report format.

Hypothesis generates text made of what breaks text tools (lone surrogates, control and bidi
characters, combining-mark storms, astral characters, NUL bytes, huge lines, markup, template
braces) and raw bytes. For each it asserts: no exception escapes the readers, the checks or the
renderers; every finding's offsets lie in its document and its excerpt is the text there; every
report encodes as UTF-8 and parses in its format; the HTML report adds no markup of the text's.
Examples are bounded so the module runs in about a minute; the slow grammar engine gets fewer.
"""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcheck import discover, engine, limits, ruleset
from qualcheck.config import Settings
from qualcheck.document import Document
from qualcheck.render import FORMATS, renderer

RULES = ruleset.load().rules
# every document kind but the grammar engine and the language model (slow): boilerplate, garble, readability, agreement
FAST = [r for r in RULES if r.enabled and not r.code.startswith("GR") and r.code not in ("MT900", "MT901")]  # MT901 runs MT900
GRAMMAR = [r for r in RULES if r.code in ("GR101", "GR102", "GR104")]

PIECES = [
    "\x00", "\udfff", "\ud800", "\udc80", "\u202e", "\u2066", "\u2069", "\u200f", "\u200b", "\ufeff", "\u2028", "\u2029",
    "\x85", "\r", "\r\n", "\t", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\ufffd", "e" + "\u0301" * 200, "\u0301" * 50,
    "🌅", "𝕏", "🇺🇦", "👩‍👩‍👧", "中文", "Путин", "<script>alert(1)</script>", "</script><!--", "\"><img src=x onerror=alert(1)>",
    "&amp;", "{match}", "{0}", "%s", "%0A::error::", "\\", "the the", "Leave a Reply", "“", "”", "\"", "'", "\n\n",
    "<!-- qualcheck: ignore[BP101] -->", "---\ntitle: x\n---\n", "```\ncode\n```", "http://x.y/<z>", "1e999 percent", "9" * 400,
    "a" * 3000, "(" * 500, "Putin said. He left. ", "The goverment said they was ready , he said.",
]
SETTINGS = dict(deadline=None, derandomize=bool(os.environ.get("CI")), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(st.characters(blacklist_categories=()), max_size=30),  # any code point, surrogates included
        st.text(alphabet="ab .,;\n\"'-", max_size=60),
    ),
    max_size=25,
).map("".join)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


_BASELINE: list[int] = []


def _baseline_scripts() -> int:
    """How many script elements the HTML report has of its own (a plain article's report)."""
    if not _BASELINE:
        report = engine.check([Document(id="plain.txt", raw="Leave a Reply\n\nA plain article.\n")], FAST)
        _BASELINE.append(sum(t == "script" for t, _ in _tags(renderer("html")(report))))
    return _BASELINE[0]


def _check_report(report) -> None:
    """Offsets agree with the text, and every format renders, encodes and parses."""
    for doc in report.documents:
        text = doc.text
        assert not any("\ud800" <= c <= "\udfff" for c in text), "lone surrogates are replaced when read"
        for f in doc.findings:
            assert 0 <= f.span.start <= f.span.end <= len(text), f
            assert text[f.span.start : f.span.end] == f.excerpt, f
            assert (f.line, f.column) == (text.count("\n", 0, f.span.start) + 1, f.span.start - (text.rfind("\n", 0, f.span.start) + 1) + 1)
    for fmt in FORMATS:
        out = renderer(fmt)(report)
        out.encode("utf-8")  # strict: a lone surrogate here would fail every writer
        if fmt in ("json", "sarif"):
            json.loads(out)
        elif fmt == "jsonl":
            assert [json.loads(line)["type"] for line in out.splitlines()][-1] == "run"
        elif fmt == "junit":
            ET.fromstring(out)
        elif fmt == "html":
            tags = _tags(out)
            assert not [a for _, a in tags if any(k.startswith("on") for k in a)], "no event handler from the text"
            assert not [t for t, _ in tags if t in ("img", "iframe", "object", "embed")], "no element from the text"
            assert sum(t == "script" for t, _ in tags) == _baseline_scripts(), "no script element from the text"
            assert "<img" not in out and "<script>alert" not in out
        elif fmt == "github":
            for line in out.splitlines():
                assert line.startswith(("::", "qualcheck: ")) or not line.strip(), "a document's text never starts a line (a workflow command) of its own"


@settings(max_examples=60, **SETTINGS)
@given(text=hostile_text, suffix=st.sampled_from([".txt", ".md", ".jsonl", "-"]))
def test_hostile_text_through_every_reader_checks_and_every_format(tmp_path_factory, text, suffix):
    folder = tmp_path_factory.mktemp("in")
    if suffix == ".jsonl":  # JSON escapes carry lone surrogates (\\udfff) into the text
        data = (json.dumps({"id": "a", "text": text}) + "\n" + json.dumps({"id": "b", "text": text[::-1]}) + "\n").encode()
    else:  # a file cannot hold a surrogate: its bytes are invalid UTF-8, decoded with a fallback
        data = text.encode("utf-8", "surrogatepass")
    stdin = None
    if suffix == "-":
        paths, stdin = ["-"], io.BytesIO(data)
    else:
        (folder / f"doc{suffix}").write_bytes(data)
        paths = [str(folder / f"doc{suffix}")]
    loaded = discover.load(paths, root=folder, stdin=stdin)
    assert all(n.document for n in loaded.notices if n.code == "input")
    report = engine.check(loaded.documents, FAST, Settings(), loaded.notices)
    _check_report(report)


@settings(max_examples=40, **SETTINGS)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md", ".jsonl", ".ndjson"]))
def test_random_bytes_never_escape_the_readers(tmp_path_factory, data, suffix):
    folder = tmp_path_factory.mktemp("bytes")
    (folder / f"x{suffix}").write_bytes(data)
    loaded = discover.load([str(folder)], root=folder)
    for doc in loaded.documents:
        doc.raw.encode("utf-8")
    for n in loaded.notices:
        str(n).encode("utf-8")
        assert "\n" not in n.message, "a notice is one line"


@settings(max_examples=40, **SETTINGS)
@given(texts=st.lists(hostile_text, min_size=1, max_size=3))
def test_documents_built_in_python_are_as_safe_as_read_ones(texts):
    docs = [Document(id=f"d{i}\udcff.txt", raw=t) for i, t in enumerate(texts)]
    _check_report(engine.check(docs, FAST))


@settings(max_examples=8, **SETTINGS)
@given(text=hostile_text)
def test_hostile_text_through_the_offline_grammar_engine(text):
    _check_report(engine.check([Document(id="g.txt", raw=text)], GRAMMAR))


@pytest.mark.parametrize("over", ["line", "document"])
def test_limits_are_notices_not_crashes(tmp_path, over):
    text = "x" * (limits.MAX_LINE_CHARS + 1) if over == "line" else ("word " * 1000 + "\n") * (limits.MAX_DOCUMENT_CHARS // 5000 + 1)
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    (tmp_path / "ok.txt").write_text("A short article.\n", encoding="utf-8")
    loaded = discover.load([str(tmp_path)], root=tmp_path)
    assert [d.id for d in loaded.documents] == ["ok.txt"]
    [notice] = [n for n in loaded.notices if n.document == "big.txt"]
    assert notice.message.startswith("not checked: ") and "over the limit" in notice.message and over in notice.message
    assert loaded.incomplete


def test_the_property_pieces_cover_the_issue(tmp_path):
    """The classes the issue names are all among the generated pieces (a guard against pruning them)."""
    joined = "".join(PIECES)
    for needle in ("\udfff", "\x00", "\u202e", "\u0301" * 50, "🌅", "a" * 3000, "\x1b"):
        assert needle in joined
    assert set(FORMATS) == {"text", "json", "jsonl", "html", "sarif", "github", "junit"}
    assert Path(__file__).name == "test_properties.py"
