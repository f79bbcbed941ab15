"""The literal pre-check of rule patterns (qualcheck/prefilter.py) never skips a text a pattern matches."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import regex
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcheck import prefilter, saferegex

ROOT = Path(__file__).resolve().parents[1]
RULE_FILES = sorted((ROOT / "rules").rglob("*.yaml"))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _rule_patterns() -> list[str]:
    """Every string under a rule's params that compiles as a regular expression (a superset of its patterns)."""
    out = []
    for path in RULE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for s in _strings(data.get("params") or {}):
            try:
                re.compile(s)
            except (re.error, RecursionError):
                continue
            out.append(s)
    return sorted(set(out))


PATTERNS = _rule_patterns()
EXAMPLES = sorted({s for p in RULE_FILES for s in _strings(yaml.safe_load(p.read_text(encoding="utf-8")).get("examples") or {})})
CUES = yaml.safe_load((ROOT / "rules/boilerplate/BP301-tail-residue.yaml").read_text(encoding="utf-8"))["params"]["cues"]
COMBINED = "|".join(f"(?:{p})" for p in CUES)


def test_what_a_pattern_needs():
    assert prefilter.needed(r"\bcan be (?:reached|contacted|e-?mailed) at\b", re.I) == (
        (("can be ",), ("contacted", "mailed", "reached"), (" at",)),
    )
    # one CNF per alternative of a pattern that is one alternation
    assert prefilter.needed(r"(?:foo bar)|(?:baz)") == ((("foo bar",),), (("baz",),))
    # an alternative (or a whole pattern) that needs no letters: no pre-check at all
    assert prefilter.needed(r"(?:foo)|(?:\d+)") is None
    assert prefilter.needed(r"(?:ab)?\w+") is None
    assert prefilter.needed(r"(?<=abc)\d") is None  # lookarounds are not read
    assert prefilter.needed("caf\u00e9 noir", re.I) == (((" noir",), ("caf",)),)  # ASCII pieces only, strongest first
    assert prefilter.needed("\u00bb|\u00a9") is None
    assert prefilter.needed(r"x(?=abc)") == ((("x",),),)
    assert prefilter.needed(r"(?:ab){2,}") == ((("ab",),),)
    assert prefilter.needed("(") is None  # unreadable: no short-cut, the engine reports it


def test_may_match_is_case_blind_through_casefold():
    needs = prefilter.needed(r"\bstraße\b", re.I)
    assert prefilter.may_match(needs, "STRASSE")  # a superset is fine
    assert prefilter.may_match(prefilter.needed("kelvin", re.I), "\u212aelvin")  # KELVIN SIGN
    assert prefilter.may_match(prefilter.needed("last", re.I), "la\u017ft")  # LONG S
    assert not prefilter.may_match(prefilter.needed("can be reached", re.I), "It can be seen.")
    assert prefilter.may_match(prefilter.needed("in", re.I), "\u0130N")  # regex pairs İ with i
    assert prefilter.may_match(prefilter.needed("in", re.I), "\u0131n")  # and ı with I


def test_every_code_point_matched_case_blind_to_an_ascii_character_folds_alike():
    """The pre-check compares folded text and reads only ASCII literals; regex's case-blind match
    (VERSION0, simple folding) must never pair an ASCII character with a code point folding otherwise."""
    chars = {chr(i) for i in range(128)}  # the only literal characters the pre-check reads
    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    bad = []
    for c in sorted(chars):
        for m in regex.compile(regex.escape(c), regex.I | regex.V0).findall(every):
            if prefilter.fold(m) != prefilter.fold(c):
                bad.append((c, m))
    assert not bad


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p[:40])
def test_no_rule_pattern_matches_a_text_the_pre_check_skips(pattern):
    for flags in (0, re.I, re.I | re.M):
        needs = prefilter.needed(pattern, flags)
        if needs is None:
            continue
        compiled = regex.compile(pattern, saferegex.compile(pattern, flags)._compiled.flags)
        for text in EXAMPLES:
            if compiled.search(text):
                assert prefilter.may_match(needs, text), (pattern, text)


_FRAGMENTS = sorted({s for cue in CUES for cnf in prefilter.needed(cue, re.I) or () for clause in cnf for s in clause})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.sampled_from([" ", "\n", ":", "?", "-", "e-", "s", "2008", "@x.com"]),
                          st.text(max_size=4)), max_size=12), st.booleans())
def test_the_combined_notice_cues_never_skip_a_text_they_match(parts, upper):
    text = "".join(parts)
    text = text.upper() if upper else text
    guarded = saferegex.compile(COMBINED, re.I)
    plain = regex.compile(COMBINED, regex.I | regex.V0)
    assert bool(guarded.search(text)) == bool(plain.search(text))
    assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in plain.finditer(text)]


def _edge_cue_sets() -> list[tuple[tuple[str, ...], object]]:
    out = []
    for path in RULE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("kind") == "edge-lines":
            for key in ("cues", "contacts", "headers"):
                cues = tuple(data["params"].get(key) or ())
                if cues:
                    out.append((cues, regex.compile("|".join(f"(?:{p})" for p in cues), regex.I | regex.V0)))
    return out


EDGE_CUES = _edge_cue_sets()


def test_edge_lines_cues_one_by_one_on_the_rule_examples():
    from qualcheck.kinds import lines

    for cues, combined in EDGE_CUES:
        for sample in EXAMPLES + [line for s in EXAMPLES for line in s.splitlines()]:
            assert lines._matches(cues, sample) == bool(combined.search(sample)), sample


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.sampled_from([" ", ":", "?", "»", ">> ", "© 2008", "a@b.co", "555-123-4567"]),
                          st.text(max_size=4)), max_size=12), st.booleans())
def test_edge_lines_cues_searched_one_by_one_match_as_their_alternation(parts, upper):
    """BP301 searches its cues one at a time (kinds/lines.py ``_matches``): the same verdict as one alternation."""
    from qualcheck.kinds import lines

    text = "".join(parts)
    text = text.upper() if upper else text
    for cues, combined in EDGE_CUES:
        assert lines._matches(cues, text) == bool(combined.search(text)), text


def test_positions_outside_the_text_are_read_as_the_engine_reads_them():
    guarded = saferegex.compile("needle", re.I)
    text = "hay needle hay"
    for pos, endpos in [(0, None), (4, None), (5, None), (0, 10), (0, 9), (-3, None), (0, -2), (20, None), (0, 100)]:
        assert bool(guarded.search(text, pos, endpos)) == bool(regex.compile("needle", regex.I | regex.V0).search(text, pos, endpos)), (pos, endpos)
