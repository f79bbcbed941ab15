"""The HTML report is one self-contained file, and text taken from documents is always escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from qualcheck import check_text
from qualcheck.render import html as html_render

HOSTILE = (
    "Putin spoke on Tuesday <script>alert(1)</script> about NATO.\n\n"
    '"><img src=x onerror=alert(1)> Read More About: World News\n\n'
    "Leave a Reply <b onmouseover=alert(2)>\n"
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _render(text: str = HOSTILE, name: str = "evil<script>.txt") -> str:
    return html_render.render(check_text(text, name))


def _escaped_everywhere(page: str, needle: str) -> None:
    """Each occurrence of the payload's inner text sits in an escaped context: HTML entities or JSON \\u003c."""
    for m in re.finditer(re.escape(needle), page):
        before = page[max(0, m.start() - 12) : m.start()]
        assert "&gt;" in before or "\\u003e" in before or "&lt;" in before or "\\u003c" in before, page[m.start() - 60 : m.end() + 20]


def test_document_text_is_escaped():
    page = _render()
    assert "alert(1)" in page  # the text is in the report...
    assert "<script>alert(1)</script>" not in page  # ...but never as markup
    assert "<img" not in page and "<b onmouseover" not in page
    _escaped_everywhere(page, "alert(1)</")
    _escaped_everywhere(page, "img src=x onerror")
    _escaped_everywhere(page, "b onmouseover")
    parser = _Tags()
    parser.feed(page)
    assert not [t for t, _ in parser.tags if t in ("img", "iframe", "object", "embed")]
    assert not [a for _, a in parser.tags if any(k.startswith("on") for k in a)]
    # a script element holding document data must not be closable from the document
    for body in re.findall(r"<script[^>]*>(.*?)</script>", page, re.S):
        assert "<script" not in body.lower() and "<!--" not in body


def test_findings_on_hostile_text_are_reported():
    page = _render()
    assert "BP102" in page and "Read More About: World News" in page
    assert "evil<script>.txt" not in page  # the document name is escaped too


def test_self_contained_no_network():
    page = _render()
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        for key in ("src", "href", "action", "data", "poster"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith(("#", "data:")), (tag, key, value)
        assert tag != "link" or attrs.get("rel") not in ("stylesheet", "preload", "import")
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page)
    assert not re.search(r"(?:src|href)\s*=\s*['\"]?(?:https?:)?//", page, re.I)


def test_links_in_articles_are_not_loaded():
    page = _render("See https://example.org/pixel.png and <img src=https://evil.example/x.png> now.\n", "a.txt")
    assert not re.search(r"<img", page)
    parser = _Tags()
    parser.feed(page)
    assert all(not (a.get("src") or "").startswith("http") for _, a in parser.tags)
