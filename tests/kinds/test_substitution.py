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
    path = tmp_path / "garble" / "MT299-bad-swap.yaml"
    path.parent.mkdir()
    path.write_text(
        "code: MT299\nname: bad-swap\nkind: substitution\nseverity: info\nmessage: m\nsummary: s\nwhy: w\n"
        "params:\n  swap:\n    'in (particularly': 'x'\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match="invalid regular expression"):
        ruleset.load_rule(path, "garble/MT299-bad-swap.yaml")
