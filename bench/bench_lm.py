"""What the language model costs, old engine against new, on the same sentences: speed, memory, load time, agreement.

Usage:
    .venv/bin/python bench/bench_lm.py ../shared/eval [--sentences 600] [--rounds 3] [--engines torch,onnx] [--json FILE]

The sentences are those a run scores (``surprisal.sentence_texts``: body sentences, whitespace
normalised), taken in turn from the machine translations of MLQE-PE and WMT23 under
DATA_DIR/translation, the BBC articles under DATA_DIR/clean/bbc and the project's seeds/, then
shuffled with a fixed seed. Each engine runs in its own process (so peak memory and load time are
its own), the engines alternating round by round (A B A B ...: the machine is shared, so the
per-round ratios matter more than the seconds). Every process scores all sentences as a run does
(pooled state and confusion/missing-word gains, ``surprisal.BATCH`` sentences per call) and reports
load seconds, scoring wall and CPU seconds, sentences/s and the peak resident memory. Sentences/s
per CPU second times the cores is what idle cores would give. Then the engines' per-sentence mean
surprisal and pooled states are compared (max and mean absolute difference, Pearson).

Engines: ``torch`` is the float32 transformers model (``lm.load_torch``), ``onnx`` the exported int8
graph in ONNX Runtime (``lm.load``, what runs use; exported first if the cache has none).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

csv.field_size_limit(10**7)


def sentences(data: Path, n: int) -> list[str]:
    """About n sentences: a quarter each from MLQE-PE, WMT23, BBC and the seeds (as many as they have)."""
    from qualcheck import discover, surprisal

    pools: list[list[str]] = [[], [], [], []]
    for pair in ("ru", "ro", "et", "ne", "si"):
        with open(data / "translation" / f"mlqe-pe-{pair}-en-dev.tsv", encoding="utf-8") as f:
            pools[0] += [" ".join(r["mt"].split()) for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    with open(data / "translation" / "wmt23-mqm-zhen-news.tsv", encoding="utf-8") as f:
        pools[1] += [" ".join(r["target"].split()) for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    for k, folder in ((2, data / "clean" / "bbc"), (3, ROOT / "seeds")):
        docs = sorted(discover.load([str(folder)], folder).documents, key=lambda d: d.id)[:200]
        pools[k] += [t for d in docs for t in surprisal.sentence_texts(d)]
    rng = random.Random(17)
    out: list[str] = []
    for pool in pools:
        pool = sorted(set(t for t in pool if t))
        rng.shuffle(pool)
        out += pool[: n // 4]
    rng.shuffle(out)
    return out


def score_as_a_run(scorer, texts: list[str]) -> tuple[list, float, float]:
    """Score every text as a run does (confusion/missing-word gains, pooled state, surprisal.BATCH texts a
    call) after a warm-up: (scores, wall seconds, CPU seconds)."""
    from qualcheck import surprisal
    from qualcheck.backends import confusions

    kw = {"alternatives": confusions.alternatives, "insertions": confusions.INSERTIONS, "pool": True}
    scorer.surprisal(texts[:16], **kw)  # warm-up
    w, c = time.perf_counter(), time.process_time()
    scores = []
    for b in range(0, len(texts), surprisal.BATCH):
        scores += scorer.surprisal(texts[b : b + surprisal.BATCH], **kw)
    return scores, time.perf_counter() - w, time.process_time() - c


def child(engine: str, texts_file: Path, out_file: Path) -> None:
    """One engine in this process: load, score every sentence as a run does, write the figures."""
    import numpy as np

    from qualcheck.backends import lm

    texts = json.loads(texts_file.read_text())
    t0 = time.perf_counter()
    scorer, reason = (lm.load_torch if engine == "torch" else lm.load)()
    load = time.perf_counter() - t0
    if scorer is None:
        raise SystemExit(f"{engine}: {reason}")
    scores, wall, cpu = score_as_a_run(scorer, texts)
    np.save(out_file.with_suffix(".npy"), np.stack([s.pooled if s.pooled is not None else np.zeros(lm.HIDDEN_SIZE) for s in scores]))
    out_file.write_text(json.dumps({
        "engine": engine, "reason": reason, "load_s": load, "wall_s": wall, "cpu_s": cpu,
        "sentences": len(texts), "tokens": sum(s.tokens for s in scores),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "means": [s.mean for s in scores],
        "confusion": [max((g for _, g in s.confusion), default=0.0) for s in scores],
    }))


def pearson(x, y) -> float:
    mx, my = statistics.fmean(x), statistics.fmean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    return sxy / (sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y)) ** 0.5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, nargs="?")
    ap.add_argument("--sentences", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--engines", default="torch,onnx")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "TEXTS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child[0], Path(args.child[1]), Path(args.child[2]))
    if args.data is None:
        ap.error("DATA_DIR is required")
    import numpy as np

    texts = sentences(args.data, args.sentences)
    engines = args.engines.split(",")
    runs: dict[str, list[dict]] = {e: [] for e in engines}
    with tempfile.TemporaryDirectory() as tmp:
        tf = Path(tmp) / "texts.json"
        tf.write_text(json.dumps(texts))
        pooled = {}
        for r in range(args.rounds):
            for e in engines:
                out = Path(tmp) / f"{e}-{r}.json"
                subprocess.run([sys.executable, "-P", __file__, "--child", e, str(tf), str(out)], check=True)
                runs[e].append(json.loads(out.read_text()))
                pooled[e] = np.load(out.with_suffix(".npy"))
                print(f"round {r + 1} {e}: {runs[e][-1]['sentences'] / runs[e][-1]['wall_s']:.1f} sentences/s", file=sys.stderr)
    n = len(texts)
    print(f"{n} sentences, {runs[engines[0]][0]['tokens']} tokens; medians of {args.rounds} rounds, engines alternating")
    print("| engine | load s | sentences/s (wall) | sentences per CPU-s | x2 cores | peak MiB |")
    print("|---|---|---|---|---|---|")
    summary = {}
    for e in engines:
        rs = runs[e]
        row = {
            "load_s": statistics.median(x["load_s"] for x in rs),
            "per_s": statistics.median(n / x["wall_s"] for x in rs),
            "per_cpu_s": statistics.median(n / x["cpu_s"] for x in rs),
            "peak_mib": statistics.median(x["peak_mib"] for x in rs),
        }
        summary[e] = row
        print(f"| {e} | {row['load_s']:.1f} | {row['per_s']:.1f} | {row['per_cpu_s']:.1f} | {2 * row['per_cpu_s']:.1f} | {row['peak_mib']:.0f} |")
    if len(engines) == 2:
        a, b = engines
        ratios = [x["wall_s"] / y["wall_s"] for x, y in zip(runs[a], runs[b])]
        cratios = [x["cpu_s"] / y["cpu_s"] for x, y in zip(runs[a], runs[b])]
        ma, mb = runs[a][0]["means"], runs[b][0]["means"]
        diff = [abs(x - y) for x, y in zip(ma, mb)]
        pa, pb = pooled[a], pooled[b]
        cos = (pa * pb).sum(1) / (np.linalg.norm(pa, axis=1) * np.linalg.norm(pb, axis=1) + 1e-9)
        summary["compare"] = {
            "wall_ratio": statistics.median(ratios), "cpu_ratio": statistics.median(cratios),
            "mean_abs_diff": statistics.fmean(diff), "max_abs_diff": max(diff), "pearson_means": pearson(ma, mb),
            "pooled_min_cosine": float(cos.min()), "pooled_mean_cosine": float(cos.mean()),
            "pearson_confusion": pearson(runs[a][0]["confusion"], runs[b][0]["confusion"]),
        }
        c = summary["compare"]
        print(f"\n{a}/{b} time per round (median): wall {c['wall_ratio']:.2f}x, CPU {c['cpu_ratio']:.2f}x "
              f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})")
        print(f"per-sentence mean surprisal: mean |diff| {c['mean_abs_diff']:.4f} nats, max {c['max_abs_diff']:.4f}, "
              f"Pearson {c['pearson_means']:.5f}; pooled state cosine: mean {c['pooled_mean_cosine']:.5f}, "
              f"min {c['pooled_min_cosine']:.5f}; largest confusion gain Pearson {c['pearson_confusion']:.4f}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
