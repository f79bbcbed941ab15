"""Confusion sets and the LM's confusion and missing-word gains on real sentences."""

from __future__ import annotations

import pytest

from qualcheck.backends import confusions, lm

OK, WHY = lm.status()
needs_lm = pytest.mark.skipif(not OK, reason=f"language model not installed: {WHY}")


@pytest.mark.parametrize(
    "word,expected",
    [
        ("go", {"goes", "went", "gone", "going"}),
        ("Went", {"go", "goes", "gone", "going"}),
        ("students", {"student"}),
        ("is", {"are", "was", "were", "be", "been"}),
    ],
)
def test_inflections_of_the_same_lemma(word, expected):
    alts = confusions.alternatives(word)
    assert expected <= set(alts) and word.lower() not in alts


@pytest.mark.parametrize(
    "word,expected",
    [("the", ("a", "an")), ("An", ("the",)), ("a", ("the",)), ("than", ("then",)), ("many", ("much",)), ("Geneva", ())],
)
def test_function_word_sets(word, expected):
    assert confusions.alternatives(word)[: len(expected)] == expected


@pytest.fixture(scope="module")
def scorer():
    s, reason = lm.load()
    assert s is not None, reason
    return s


def _gains(scorer, texts, **kw):
    kw = kw or {"alternatives": confusions.alternatives, "insertions": confusions.INSERTIONS}
    return scorer.surprisal(texts, **kw)


def _at(s, text, word, field="confusion"):
    """The (alternative, nats) recorded at the token that starts ``word``."""
    at = text.index(word)
    (k,) = [k for k, (a, b) in enumerate(s.offsets) if a <= at < b]
    return getattr(s, field)[k]


@needs_lm
def test_a_wrong_inflection_has_a_larger_gain_than_the_right_one(scorer):
    bad, good = "He go to school every day.", "He goes to school every day."
    sb, sg = _gains(scorer, [bad, good])
    alt, gain = _at(sb, bad, "go")
    assert alt == "goes" and gain > 3.0
    assert _at(sg, good, "goes")[1] < gain - 3.0


@needs_lm
def test_past_participle_after_have(scorer):
    text = "I have went to the market twice this week."
    (s,) = _gains(scorer, [text])
    assert _at(s, text, "went")[0] == "gone"
    assert max(g for _, g in s.confusion) == _at(s, text, "went")[1]


@needs_lm
def test_a_missing_word_is_found_before_the_next_one(scorer):
    bad, good = "I want go home now.", "I want to go home now."
    sb, sg = _gains(scorer, [bad, good])
    alt, gain = _at(sb, bad, "go", "missing")
    assert alt == "to" and gain > 5.0
    # where nothing is missing, another function word may still be a little likelier, but far less so
    assert _at(sg, good, "go", "missing")[1] < gain - 3.0


def test_a_and_an_are_not_confused_before_the_word_that_decides():
    """The model reads left to right: before "agreement" it has not seen the vowel that makes "an" right."""
    assert "a" not in confusions.alternatives("an") and "an" not in confusions.alternatives("a")


@needs_lm
def test_gains_only_when_asked_and_unchanged_by_batching(scorer):
    texts = ["He go to school every day.", "The talks were held in Geneva on Monday and ended without agreement.", "Nobody seems . “"]
    (plain,) = scorer.surprisal(texts[:1])
    assert plain.confusion == () and plain.missing == ()
    together = _gains(scorer, texts)
    alone = [_gains(scorer, [t])[0] for t in texts]
    for x, y in zip(together, alone):
        assert len(x.confusion) == len(x.missing) == x.tokens
        assert [a for a, _ in x.confusion] == [a for a, _ in y.confusion]
        assert [g for _, g in x.confusion] == pytest.approx([g for _, g in y.confusion], abs=1e-3)
        assert x.mean == pytest.approx(y.mean, abs=1e-3)
