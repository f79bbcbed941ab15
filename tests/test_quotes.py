"""Two renderings of one remark: a change of figure, unit, direction or negation is found; wording is not."""

from __future__ import annotations

import pytest

from qualcheck import engine, ruleset
from qualcheck.agreement import quotes
from qualcheck.document import Document

LEX = quotes.lexicon()


def _change(a: str, b: str) -> str | None:
    return quotes.change(quotes.words(a), quotes.words(b), LEX)


@pytest.mark.parametrize(
    "a,b,shown",
    [
        ("NATO would not advance one centimetre to the east", "NATO would not advance one kilometre to the east", "'centimetre' -> 'kilometre'"),
        ("NATO would not advance one inch to the east, they said", "NATO would not advance one inch to the west, they said", "'east' -> 'west'"),
        ("We will not send troops to the border now", "We will send troops to the border now", "'not' dropped"),
        ("Prices rose sharply in the last quarter, he said", "Prices fell sharply in the last quarter, he said", "'rose' -> 'fell'"),
        ("About 40 soldiers were wounded in the attack", "About 14 soldiers were wounded in the attack", "'40' -> '14'"),
        ("I still want to be the candidate for those voters", "I don't want to be the candidate for those voters", "'still' -> 'do not'"),
        ("We voted for the resolution in the council", "We voted against the resolution in the council", "'for' -> 'against'"),
    ],
)
def test_a_change_of_substance_is_named(a, b, shown):
    assert _change(a, b) == shown


@pytest.mark.parametrize(
    "a,b",
    [
        ("They promised us, but they deceived us and acted differently", "They promised us, but they lied to us and acted differently"),
        ("We do not know if the inquiry involves several contractors", "We don't know if the inquiry includes several contractors"),
        ("We cannot accept these terms today", "We can't accept these terms today"),
        ("Three soldiers were hurt in the attack", "3 soldiers were hurt in the attack"),
        # a shorter quotation leaves words out at its ends: it changes nothing
        ("They promised that NATO would not advance one centimetre to the east", "NATO would not advance one centimetre"),
        ("We will not give up, not ever", "We will not give up, not ever"),
        ("There is no way we will accept this plan", "There is not a way we will accept this plan"),
        ("The risk is nan in their model, he said", "The risk is infinity in their model, he said"),
    ],
)
def test_wording_and_fragments_are_no_change(a, b):
    assert _change(a, b) is None


FA = [r for r in ruleset.load().rules if r.code.startswith("FA")]
LEDE = "Putin accuses NATO of broken promises at Kremlin talks with Orban\n\n"
TAIL = "\n\nPutin spoke after talks in the Kremlin with Hungarian Prime Minister Viktor Orban on Tuesday.\n"


def _report(renderings: dict[str, str]):
    docs = [Document(id=k, raw=LEDE + f"“{v},” Putin said on Tuesday." + TAIL) for k, v in renderings.items()]
    return engine.check(docs, FA)


def test_fa107_flags_the_rendering_the_others_do_not_share():
    said = "They promised us that NATO would not advance one centimetre to the east, but they deceived us"
    report = _report({"a/1.txt": said, "b/2.txt": said.replace("deceived", "cheated"), "c/3.txt": said.replace("east", "west")})
    found = [f for f in report.findings if f.code == "FA107"]
    assert [(f.document, f.data["change"]) for f in found] == [("c/3.txt", "'east' -> 'west'")]
    assert str(found[0].severity) == "warning" and "[-east,-] {+west,+}" in found[0].message
    (group,) = [c for c in report.claims if c["kind"] == "quote"]
    assert group["status"] == "contradicted"
    assert {v["document"]: v.get("changes") for v in group["values"]} == {"a/1.txt": None, "b/2.txt": None, "c/3.txt": "'east' -> 'west'"}


def test_fa107_with_two_renderings_flags_both_and_none_when_only_the_wording_differs():
    said = "They promised us that NATO would not advance one centimetre to the east"
    two = _report({"a/1.txt": said, "b/2.txt": said.replace("centimetre", "kilometre")})
    assert sorted(f.document for f in two.findings if f.code == "FA107") == ["a/1.txt", "b/2.txt"]
    reworded = _report({"a/1.txt": said, "b/2.txt": said.replace("promised us", "assured us")})
    assert not [f for f in reworded.findings if f.code == "FA107"]


@pytest.mark.parametrize(
    "data,key",
    [("negations: [not, no]\nopposites: []\n", "negations"), ("negations: [not]\nopposites: [[yes, no]]\n", "opposites"),
     ("negations: [not]\nopposites: [[east]]\n", "opposites")],
)
def test_a_quotes_file_with_a_bare_yes_or_no_or_a_broken_pair_names_file_and_key(tmp_path, data, key):
    """YAML reads a bare no as false: the word would silently never match, so the file is refused."""
    import shutil

    from qualcheck.bundled import bundled_rules_dir
    from qualcheck.errors import RuleFileError

    folder = tmp_path / "data"
    shutil.copytree(bundled_rules_dir() / "agreement" / "data", folder)
    (folder / "quotes.yaml").write_text(data, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        quotes.lexicon(str(folder))
    assert str(caught.value).startswith(f"{folder / 'quotes.yaml'}: {key}: ")


def test_a_changed_quote_that_names_no_speaker_is_one_finding_each_and_no_failed_rule():
    """A group contradicted on what was said, with no speaker named, gives FA107 and nothing from FA104."""
    lede = "Officials react after the vote on NATO expansion in Brussels on Monday\n\n"
    said = "We will never accept one centimetre of expansion to the east of our border"
    docs = [Document(id="a/1.txt", raw=lede + f"“{said}.”\n"), Document(id="b/2.txt", raw=lede + f"“{said.replace('east', 'west')}.”\n")]
    report = engine.check(docs, FA)
    assert sorted((f.code, f.document) for f in report.findings) == [("FA107", "a/1.txt"), ("FA107", "b/2.txt")]
    assert not [n for n in report.notices if "failed" in n.message]
