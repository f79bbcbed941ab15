"""The existence kind and the phrase rules built on it, on real scraped text."""

from __future__ import annotations

import pytest

from qualcheck import engine, ruleset
from qualcheck.document import Document, normalise_newlines
from qualcheck.kinds.existence import ExistenceParams, compile_patterns, region_bounds

RULES = {r.code: r for r in ruleset.load().rules}
ARTICLE = "Putin met Macron in Moscow on Monday.\n\nThe two men talked for five hours."


def _found(raw: str, code: str, fmt: str = "txt") -> list[str]:
    doc = Document(id=f"t.{fmt}", raw=normalise_newlines(raw), format=fmt)
    report = engine.check([doc], [RULES[code]])
    for f in report.findings:
        assert f.excerpt == doc.raw[f.span.start : f.span.end]
    return [f.excerpt for f in report.findings if f.code == code]


@pytest.mark.parametrize(
    "code,raw,expected",
    [
        ("BP101", "", []),
        ("BP101", ARTICLE + "\n\nLeave a Reply", ["Leave a Reply"]),
        ("BP101", ARTICLE + "\r\n\r\nLeave a Reply\r\n", ["Leave a Reply"]),  # CRLF
        ("BP101", "🌅🌅 " + ARTICLE + "\n\nLeave a Reply", ["Leave a Reply"]),  # emoji before the span
        ("BP101", "He said he would leave a reply on Friday.", []),
        ("BP101", "“Leave a reply,” she wrote in the letter.", []),  # quoted prose, not a form
        ("BP101", ARTICLE + "\n\nYour email address will not be published. Required fields are marked *",
         ["Your email address will not be published. Required fields are marked *"]),
        ("BP101", "[Offensive? Unsuitable? Report this comment. ]", ["[Offensive? Unsuitable? Report this comment. ]"]),
        ("BP102", ARTICLE + "\n\nRead More About: World News", ["Read More About: World News"]),
        ("BP102", "Read more about the talks in our explainer, the agency said.", []),
        ("BP102", "More sport news...", ["More sport news..."]),
        ("BP103", ARTICLE + "\n\nFollow AsumeTech on", ["Follow AsumeTech on"]),
        ("BP103", "Follow the money, the prosecutor said.", []),
        ("BP104", ARTICLE + "\n\nSource link", ["Source link"]),
        ("BP105", "(credit: Mikhail Metzel/AFP)\n\n" + ARTICLE, ["(credit: Mikhail Metzel/AFP)"]),
        ("BP105", "Putin gave credit to Macron for the talks.", []),
        ("BP107", ARTICLE + "\n\nPrint this story\n\nNext »", ["Print this story", "Next »"]),
        ("BP107", "Home | World | Business | Sport", ["Home | World | Business | Sport"]),
        ("BP107", "Home prices rose again, the agency said.", []),
        ("BP107", "He chose A | B | C, he said.", []),  # a sentence with bars is prose
        ("BP108", ARTICLE + "\n\n© 2008 Associated Press. All Rights Reserved.",
         ["© 2008 Associated Press. All Rights Reserved."]),
        ("BP108", "Copyright lawyers said the ruling would be appealed.", []),
        ("BP201", " date 2022-02-08 Russian President Vladimir Putin spoke.", ["date 2022-02-08"]),
        ("BP201", ARTICLE + "\n\nThe deal was dated\n\ndate 2022-02-08", []),  # only at the head
        ("BP202", " date 2021-12-28 posted on 12/26/2021 5:10 PM", ["posted on 12/26/2021 5:10 PM"]),
        ("BP203", "Putin says the West ignored Russia -government.vision\n\n" + ARTICLE, ["-government.vision"]),
        ("BP203", "Putin says the West ignored Russia\n\n" + ARTICLE, []),
        # the suffix alone is the finding; a site's path with several bars is no title (BP107's)
        ("BP203", "Floods hit the capital | Evening Courier\n\n" + ARTICLE, ["| Evening Courier"]),
        ("BP203", "News | Asia | Floods\nFloods hit the capital\n\n" + ARTICLE, []),
        # a site's path (spaced, unspaced, with › or ») and a menu; never a headline with its site's name
        ("BP107", "Home>Business>Markets\n\n" + ARTICLE, ["Home>Business>Markets"]),
        ("BP107", "Sport » Football » Premier League\n\n" + ARTICLE, ["Sport » Football » Premier League"]),
        ("BP107", "News | Asia | Floods\n\n" + ARTICLE, ["News | Asia | Floods"]),
        ("BP107", "Floods hit the capital for a week | Evening Courier\n\n" + ARTICLE, []),
        ("BP107", ARTICLE + "\n\nPrices rose>5% in March, officials said.", []),
        ("BP204", "US, NATO ‘ignored’ Russia’s key concerns, says Putin-\n\n" + ARTICLE, ["-"]),
        ("BP204", "Talks end in Geneva - officials\n\n" + ARTICLE, []),
    ],
)
def test_phrase_rules(code, raw, expected):
    assert _found(raw, code) == expected


def test_markdown_link_targets_and_urls_are_masked():
    raw = "Putin spoke.\n\n[Source link](https://example.com/a)\n\nhttps://example.com/Leave-a-Reply"
    # the link text is still read; the URL never matches a phrase
    assert _found(raw, "BP104", fmt="md") == ["[Source link]"]
    assert _found(raw, "BP101", fmt="md") == []


@pytest.mark.parametrize(
    "region,count,raw,expected",
    [
        ("all", 3, "a\n\nb\n\nc", (0, 7)),
        ("head", 1, "\n\nfirst\n\nsecond", (0, 7)),
        ("tail", 1, "first\n\nsecond\n\n", (7, 15)),
        ("head", 3, "", (0, 0)),
        ("tail", 2, "  \n\n", (0, 0)),
    ],
)
def test_region_bounds(region, count, raw, expected):
    assert region_bounds(Document(id="t.txt", raw=raw), region, count) == expected


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"patterns": ()}, "at least one pattern"),
        ({"patterns": ("a",), "region": "middle"}, "region"),
    ],
)
def test_params_are_validated(kwargs, error):
    with pytest.raises(ValueError, match=error):
        ExistenceParams(**kwargs)


def test_invalid_regular_expression_is_a_value_error():
    with pytest.raises(ValueError, match="invalid regular expression"):
        compile_patterns(ExistenceParams(patterns=("(unclosed",)))
