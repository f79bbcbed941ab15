"""The rapidfuzz adapter: explicit normalisation, cutoffs, and word-level diffs."""

from qualcheck.backends import fuzzy


def test_case_and_punctuation_are_normalised():
    assert fuzzy.similarity("New York", "new york", "ratio") == 100.0


def test_cutoff_returns_zero_below():
    assert fuzzy.similarity("troops on the border", "quarterly revenue", "ratio", cutoff=80) == 0.0


def test_similar_is_not_equal():
    # high similarity, opposite facts: agreement must come from the values, not this score
    assert fuzzy.similarity("revenue rose 12%", "revenue fell 12%") > 75


def test_best_and_matrix():
    choices = ["Sergey Lavrov", "Viktor Orban", "Boris Johnson"]
    assert fuzzy.best("Sergei Lavrov", choices, "ratio", cutoff=70)[0][0] == 0
    m = fuzzy.matrix(["troops on the border", "revenue"], ["Troops on the border.", "quarterly revenue rose"], "ratio", cutoff=60)
    assert m[0][0] == 100 and m[0][1] == 0 and m[1][0] == 0


def test_word_diff():
    ops = fuzzy.word_diff("Has anyone thought about it?".split(), "So, has anyone thought about this?".split())
    assert fuzzy.render_diff(ops) == "{+So,+} Has anyone thought about [-it?-] {+this?+}"
