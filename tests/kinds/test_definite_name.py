"""GR204 missing-article: a listed name bare after a listed preposition or verb, as a kind over the rule's lists."""

from __future__ import annotations

import pytest

from qualcheck import ruleset
from qualcheck.context import Context, Corpus
from qualcheck.document import Document
from qualcheck.kinds.definite_name import DefiniteNameParams

GR204 = ruleset.load().by_code("GR204")


def findings(text):
    doc = Document(id="d.txt", raw=text)
    return [(doc.text[f.start : f.end], f.suggestions) for f in GR204.run(doc, Context(corpus=Corpus([doc])))]


@pytest.mark.parametrize(
    "text,excerpt,suggestion",
    [
        ("Putin held a dialogue with Macron in Kremlin.", "in Kremlin", "in the Kremlin"),
        ("A statement from White House on Monday said so.", "from White House", "from the White House"),
        ("Poland joined European Union in 2004.", "joined European Union", "joined the European Union"),
        ("She visited Vatican last week.", "visited Vatican", "visited the Vatican"),
        ("The case was heard in Hague.", "in Hague", "in The Hague"),
        ("Her children were away in Maldives to celebrate.", "in Maldives", "in the Maldives"),
        ("In Netherlands, the vote was close.", "In Netherlands", "In the Netherlands"),
        ("He spoke of United Nations, and left.", "of United Nations", "of the United Nations"),
    ],
)
def test_a_bare_name_is_flagged_with_the_article(text, excerpt, suggestion):
    assert findings(text) == [(excerpt, (suggestion,))]


@pytest.mark.parametrize(
    "text",
    [
        "Putin held a dialogue with Macron in the Kremlin.",
        "Kremlin officials said the talks in Moscow would go on.",  # a modifier, not after a preposition
        "According to White House sources, the talks would go on.",  # a modifier after the preposition
        "The vote in Kremlin and Pentagon statements was noted.",  # "and" may join modifiers
        "Talks with United States officials would go on.",
        "Macron visits Kremlin for talks",  # a headline
    ],
)
def test_what_is_not_flagged(text):
    assert findings(text) == []


def test_params_need_names_and_words_before_them():
    with pytest.raises(ValueError, match="names"):
        DefiniteNameParams(names=(), prepositions=("in",))
    with pytest.raises(ValueError, match="prepositions, verbs"):
        DefiniteNameParams(names=("Kremlin",))


def test_words_grouped_by_first_letter_match_as_the_flat_alternation():
    """GR204's pattern tests a word's first letter once (``_by_first_letter``): the same matches,
    groups included, as the one alternation of every word."""
    import glob
    import re
    from pathlib import Path

    import regex

    from qualcheck import ruleset
    from qualcheck.kinds import definite_name as dn

    rule = next(r for r in ruleset.load().rules if r.code == "GR204")
    grouped = rule.prepared.pattern.pattern
    i = grouped.index("(?P<before>") + len("(?P<before>")
    j = grouped.index(")[ \\t]+(?P<name>")
    words = [w for key, rests in re.findall(r"(\[..\])\(\?:([^)]*)\)", grouped[i:j]) for w in (key[1] + regex.sub(r"\\(.)", r"\1", r) for r in rests.split("|"))]
    flat = grouped[:i] + "|".join(f"[{w[0]}{w[0].upper()}]{re.escape(w[1:])}" for w in words) + grouped[j:]
    assert dn._by_first_letter(words) == grouped[i:j]
    root = Path(__file__).resolve().parents[2]
    texts = [Path(p).read_text(encoding="utf-8") for p in sorted(glob.glob(str(root / "seeds" / "*.txt")))]
    texts += [f"{w} {name}." for w in words[::7] for name in rule.prepared.articles] + [f"{w.title()} {name} on" for w in words for name in ("Kremlin", "Hague")]
    a, b = regex.compile(grouped, regex.M | regex.V0), regex.compile(flat, regex.M | regex.V0)
    for text in texts:
        assert [m.groupdict() | {"span": m.span()} for m in a.finditer(text)] == [m.groupdict() | {"span": m.span()} for m in b.finditer(text)]
    # a word given with a capital makes the classes overlap: one flat alternation, as before
    assert dn._by_first_letter(["visit", "Visa"]) == "[vV]isit|[VV]isa"
