"""Suggestions are checked rewrites: composed with the fixes they need, or dropped when they do not make the sentence better."""

from __future__ import annotations

import pytest

from qualcheck import check_text


def _suggestions(text: str, code: str, **options) -> list[tuple[str, tuple[str, ...]]]:
    report = check_text(text, "story.txt", **options)
    return [(f.excerpt, f.suggestions) for d in report.documents for f in d.findings if f.code == code]


def test_overlapping_fixes_compose_into_one_rewrite():
    text = "Putin met Orban on Tuesday.\n\nIn his prime Direct statements on the crisis, Putin showed no sign of surrendering.\n"
    (calque,) = _suggestions(text, "MT201", select=("MT",))
    assert calque == ("prime Direct", ("first direct",))  # not "first Direct", which keeps MT101's capital
    assert ("Direct", ("direct",)) in _suggestions(text, "MT101", select=("MT",))
    report = check_text(text, "story.txt", select=("MT",))
    mt201 = next(f for f in report.documents[0].findings if f.code == "MT201")
    assert "'first direct'" in mt201.message  # the message quotes the checked rewrite


@pytest.mark.parametrize(
    ("sentence", "excerpt", "expected"),
    [
        # deleting the stop is right where the words read on: a function word, or a day after its month
        ("Putin said it can only be done. in case of serious talks with the West.", "done. in", ("done in",)),
        ("Putin has not spoken publicly about Ukraine since December. 23, according to the paper.", "December. 23", ("December 23",)),
        ("The ministers met in Paris. on Monday to discuss the gas supply.", "Paris. on", ("Paris on",)),
        # between content words the stop marks scrambled order or a lost preposition: no suggestion beats a wrong one
        ("They demanded to abandon the deployment of weapons. offensive close to the borders.", "weapons. offensive", ()),
        ("Crimea was annexed by Russia. 2014, as the ministry said.", "Russia. 2014", ()),
        ("The council approved the budget. unanimous support came from the opposition benches.", "budget. unanimous", ()),
    ],
)
def test_stray_full_stop_suggests_deletion_only_where_the_words_read_on(sentence, excerpt, expected):
    assert _suggestions(f"Talks in Moscow\n\n{sentence}\n", "MT102", select=("MT",)) == [(excerpt, expected)]


def test_a_rewrite_that_makes_a_new_problem_is_dropped(tmp_path):
    rules = tmp_path / "translation"
    rules.mkdir()
    (rules / "MT299-test-swap.yaml").write_text(
        "code: MT299\nname: test-swap\nkind: substitution\nseverity: warning\n"
        "message: \"Swap '{match}' for '{replacement}'.\"\nsummary: A swap whose replacement doubles a word.\nwhy: test\n"
        "params:\n  swap:\n    'in the frames of': 'in in the framework of'\n    'at particularly': 'in particular in'\n"
        "    'actual problems': 'pressing problems'\n",
        encoding="utf-8",
    )
    text = "Talks in Moscow\n\nThe deal was signed in the frames of the treaty, at particularly in Budapest, on actual problems.\n"
    found = dict(_suggestions(text, "MT299", select=("MT299", "MT103"), rules=[str(tmp_path)]))
    assert found["at particularly"] == ()  # "in particular in in Budapest": the rewrite doubles a word with the text after it
    assert found["in the frames of"] == ("in the framework of",)  # a slip inside the rewrite itself is fixed in turn
    assert found["actual problems"] == ("pressing problems",)


def test_boilerplate_instructions_are_not_rewrites():
    (hit,) = _suggestions("Putin spoke on Tuesday about the talks.\n\nLeave a Reply\n", "BP101", select=("BP101",))
    assert hit[1] == ("Delete the line.",)


def test_a_finding_that_starts_where_the_rewrite_starts_is_mapped_back_inside_the_text():
    """GR101 rewrites "Theproblems" at offset 0 as "The problems"; link-grammar's GR103 finding on the
    rewritten sentence starts there too. Mapping it back once gave offset -1 and stopped the run."""
    text = "Theproblems in between is much more .\n"
    report = check_text(text, "story.txt", select=("GR101", "GR103"))
    codes = {f.code for f in report.documents[0].findings}
    assert "GR101" in codes
