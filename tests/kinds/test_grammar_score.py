"""GR900: the learned per-sentence grammaticality score on real text (real link-grammar, Hunspell, wordfreq)."""

from __future__ import annotations

import json
import math
import types
from importlib import resources

import jsonschema
import pytest

from qualcheck import config, engine, ruleset
from qualcheck.document import Document
from qualcheck.kinds.grammar_score import LM_FEATURES, GrammarScoreParams, _spike, lm_features, probability
from qualcheck.model import Span
from qualcheck.render import json as json_render

PACK = ruleset.load()
GR900 = PACK.by_code("GR900")
SCHEMA = json.loads(resources.files("qualcheck").joinpath("schema/report-v1.json").read_text(encoding="utf-8"))


pytestmark = pytest.mark.usefixtures("offline_grammar")  # tests/kinds/conftest.py


def run(text: str, select=("GR", "GR900"), settings=None):
    return engine.check([Document(id="d.txt", raw=text)], PACK.select(list(select)), settings or config.Settings())


LEARNER = "Title\n\nThey was told that it are a important moment , and he have the the goverment plans. The government said so on Monday.\n"


def test_scores_every_body_sentence_and_flags_the_learner_one_at_the_words_left_out():
    report = run(LEARNER)
    (doc,) = report.documents
    sentences = doc.grammar_sentences
    assert [doc.text[s["start"] : s["end"]] for s in sentences] == [
        "They was told that it are a important moment , and he have the the goverment plans.", "The government said so on Monday."]
    bad, good = sentences
    assert bad["features"]["GR202"] == 2 and bad["features"]["GR101"] == 1 and bad["features"]["unlinked"] >= 1 and bad["features"]["parsed"] == 1
    assert bad["score"] > GR900.params.threshold > good["score"]
    (f,) = [f for f in report.findings if f.code == "GR900"]
    assert bad["start"] <= f.span.start < f.span.end <= bad["end"] and f.data["located-by"] == "words the parse left out" and doc.text[f.span.start : f.span.end] == f.excerpt
    assert f"score {bad['score']:.2f}" in f.message


def test_edited_news_is_not_flagged():
    text = ("Markets\n\nShares in the drugmaker rose sharply after the company said sales had beaten forecasts. "
            "Analysts said the results were better than expected.\n")
    report = run(text)
    assert [f for f in report.findings if f.code == "GR900"] == []
    assert all(s["score"] < GR900.params.threshold for s in report.documents[0].grammar_sentences)


def test_json_report_with_grammar_sentences_validates_against_the_schema():
    data = json.loads(json_render.render(run(LEARNER)))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert len(data["documents"][0]["grammar_sentences"]) == 2


def test_opt_in_and_parses_even_without_gr103():
    assert "GR900" not in {r.code for r in PACK.select()}
    report = run(LEARNER, select=("GR101", "GR202", "GR900"))
    assert report.documents[0].grammar_sentences[0]["features"]["unlinked"] >= 1


def test_probability_is_the_logistic_of_the_weighted_features():
    p = GrammarScoreParams(intercept=-2.0, weights={"GR101": 1.2, "unlinked": 0.9}, threshold=0.5)
    assert probability(p, {"GR101": 1, "unlinked": 1}, with_lm=False) == pytest.approx(1 / (1 + math.exp(-0.1)), rel=1e-9)  # the worked example of the module docstring


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"weights": {"GR10": 1.0}}, "unknown feature GR10"),
        ({"weights": {"lm-slor": 1.0}}, "language-model features belong in lm-weights"),
        ({"threshold": 1.5}, "thresholds"),
        ({"lm-weights": {"lm-probe": 1.0}}, "lm-probe is weighed but no lm-probe is given"),
        ({"lm_probe": {"layer": 20, "intercept": 0.0}}, "needs layer, intercept and a list of weights"),
        ({"lm_probe": {"layer": 20, "intercept": 0.0, "weights": [0.1] * 576, "bias": 1}}, "unknown key bias"),
        ({"lm_probe": {"layer": 12, "intercept": 0.0, "weights": [0.1] * 576}}, "fitted on layer 12, but the LM pass pools layer 20"),
        ({"lm_probe": {"layer": 20, "intercept": 0.0, "weights": [0.1] * 575}}, "575 weights, the LM's hidden state has 576"),
    ],
)
def test_params_are_validated(kwargs, error):
    base = {"intercept": 0.0, "weights": {"GR101": 1.0}, "threshold": 0.5} | {k.replace("-", "_"): v for k, v in kwargs.items()}
    with pytest.raises(ValueError, match=error):
        GrammarScoreParams(**base)


def test_the_probe_is_a_linear_model_on_the_pooled_state():
    import numpy as np

    weights = [0.0] * 576
    weights[3], weights[500] = 2.0, -0.5
    p = GrammarScoreParams(intercept=0.0, weights={"GR101": 1.0}, threshold=0.5, lm_weights={"lm-probe": 1.0},
                           lm_probe={"layer": 20, "intercept": -1.0, "weights": weights})
    pooled = np.zeros(576, dtype=np.float32)
    pooled[3], pooled[500], pooled[7] = 1.5, 4.0, 99.0
    assert p.probe.log_odds(pooled) == pytest.approx(-1.0 + 3.0 - 2.0)


def test_lm_features_and_the_spike_word():
    """Recorded token surprisals (the model's output type, filled by hand): lm.statistics, confusion gains, the spike's word."""
    from qualcheck.backends import lm

    text = "He  go   to school."
    norm = "He go to school."
    sur = lm.Surprisal(2.5, 5, (2.0, 9.0, 1.0, 0.5, 0.0), ((0, 2), (2, 5), (5, 8), (8, 15), (15, 16)), (1.0,) * 5,
                       confusion=(("", 0.0), ("goes", 5.5), ("", 0.0), ("", 0.0), ("", 0.0)),
                       missing=(("", 0.0), ("", 0.0), ("", 0.0), ("the", 1.5), ("", 0.0)))
    lex = types.SimpleNamespace(zipf=lambda w: 6.0)
    f = lm_features(sur, norm, lex, lm)
    assert f["lm-mean"] == 2.5 and f["lm-top3"] == pytest.approx(4.0) and f["lm-spikes"] == 0
    # the negative SLOR of lm.statistics, the same number MT900 reads: (LM nats - unigram nats) per word
    assert f["lm-slor"] == pytest.approx((12.5 - 4 * (9.0 - 6.0) * 2.302585093) / 4)
    assert (f["lm-confusion"], f["lm-confusions"], f["lm-missing"], f["lm-missings"]) == (5.5, 1.0, 1.5, 0.0)
    assert set(f) == set(LM_FEATURES) - {"lm-probe"}  # the probe reads the pooled state, not the surprisal
    doc = Document(id="d.txt", raw="Intro. " + text)
    span = _spike(doc, Span(7, 7 + len(text)), sur)
    assert doc.text[span.start : span.end] == "go"
    # single spaces: the token's leading space must not pull in the word before it ("He go")
    single = Document(id="e.txt", raw="Intro. " + norm)
    span = _spike(single, Span(7, 7 + len(norm)), sur)
    assert single.text[span.start : span.end] == "go"
