"""substitution: swap maps from rule YAML, with suggestions that keep the case."""

from __future__ import annotations

import dataclasses

import pytest

from qualcheck import engine, ruleset
from qualcheck.document import Document
from qualcheck.errors import RuleFileError
from qualcheck.kinds.substitution import SubstitutionParams, _compile


def _rule(**params):
    base = ruleset.load().by_code("MT201")
    p = SubstitutionParams(**params)
    return dataclasses.replace(base, params=p, prepared=_compile(p))


@pytest.mark.parametrize(
    "text,excerpt,suggestion",
    [
        ("They resist, in particularly in Kharkiv.", "in particularly", "in particular"),
        ("In particularly hard times.", "In particularly", "In particular"),
        ("In his prime direct statements he spoke.", "prime direct", "first direct"),
        ("They drag Russia along in war.", "drag Russia along in war", "drag Russia into war"),
        # calques are patterns over lemmas and slots: other inflections, other noun phrases
        ("The West wants to drag his country along in war.", "drag his country along in war", "drag his country into war"),
        ("They dragged the whole region in conflict.", "dragged the whole region in conflict", "dragged the whole region into conflict"),
        ("Nato is dragging them along in war.", "dragging them along in war", "dragging them into war"),
        ("The ministers made a conclusion.", "made a conclusion", "drew a conclusion"),
        ("Experts make conclusions quickly.", "make conclusions", "draw conclusions"),
        ("In his prime public remarks he spoke.", "prime public", "first public"),
        ("We must take these facts into attention.", "take these facts into attention", "take these facts into account"),
        ("They took into attention the facts.", "took into attention", "took into account"),
    ],
)
def test_calques_from_the_bundled_rule(text, excerpt, suggestion):
    rule = ruleset.load().by_code("MT201")
    (f,) = engine.check([Document(id="a.txt", raw=text)], [rule]).findings
    assert (f.excerpt, f.suggestions) == (excerpt, (suggestion,))
    assert suggestion in f.message


def test_word_boundaries():
    rule = _rule(swap={"ruling territory": "sovereign territory"})
    assert not engine.check([Document(id="a.txt", raw="overruling territory-wide claims")], [rule]).findings


def test_bad_pattern_is_a_rule_file_error(tmp_path):
    path = tmp_path / "translation" / "MT299-bad-swap.yaml"
    path.parent.mkdir()
    path.write_text(
        "code: MT299\nname: bad-swap\nkind: substitution\nseverity: info\nmessage: m\nsummary: s\nwhy: w\n"
        "params:\n  swap:\n    'in (particularly': 'x'\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match="invalid regular expression"):
        ruleset.load_rule(path, "garble/MT299-bad-swap.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "The West wants to drag his country into war.",  # the right phrase
        "Russia was in war with its neighbours.",  # the slot words alone
        "The actual number of troops is unknown.",  # 'actual' before another noun
        "He was a fast bowler in his prime.",
        "Her attention turned to the talks, taking in the view.",
    ],
)
def test_calques_do_not_fire_on_english(text):
    rule = ruleset.load().by_code("MT201")
    assert not engine.check([Document(id="a.txt", raw=text)], [rule]).findings


@pytest.mark.parametrize(
    "entry,error",
    [
        ({"match": "drag {XP} into war", "say": "x"}, "unknown slot"),
        ({"match": "drag {NP} in war", "say": "drag {OBJ} into war"}, "not a slot of match"),
        ({"match": "prime direct|public", "say": "first {2}"}, "names no a|b group"),
        ({"match": "drag (it) in", "say": "x"}, "cannot read"),
        ({"say": "x"}, "give {match"),
    ],
)
def test_bad_calque_names_the_entry(entry, error):
    with pytest.raises(ValueError, match=r"calques\.bad") as exc:
        SubstitutionParams(calques={"bad": entry})
    assert error in str(exc.value)


def test_calques_deep_in_an_article_keep_their_offsets():
    """Only candidate sentences are tagged: a match found in one must still point into the article."""
    text = (
        "Talks in Geneva.\n\nThe ministers met on Tuesday. They spoke for hours about the border.\n\n"
        "Officials said the West wants to drag his country along in war. Nobody agreed.\n\n"
        "Later, experts made conclusions quickly. “We took into attention the facts,” one said."
    )
    rule = ruleset.load().by_code("MT201")
    found = engine.check([Document(id="a.txt", raw=text)], [rule]).findings
    assert [(text[f.start : f.end], f.suggestions) for f in found] == [
        ("drag his country along in war", ("drag his country into war",)),
        ("made conclusions", ("drew conclusions",)),
        ("took into attention", ("took into account",)),
    ]
