"""Can quantisation make the language model fast enough to be the default (>= 100 sentences/s)? Measured.

Usage:
    .venv/bin/python bench/bench_lm_quant.py ../shared/eval [--sentences 400] [--rounds 2] [--json FILE]

Exports the float graph (``lm.export(..., quantize=False)``, 1-2 minutes) and builds variants of it in
a temporary folder, then scores the same sentences as ``bench_lm.py`` with each, one process per
variant and round, variants alternating:

- ``float``: the graph runs used until session 15;
- ``dyn-int8``: ONNX Runtime's dynamic quantisation of every weight MatMul but the output layer (int8
  weights, activations quantised per batch tensor: VNNI kernels);
- ``dyn-int8-keep-down``: the same, the MLP down-projections (where the activation outliers are) and
  the first and last layer kept in float;
- ``nbits8`` / ``nbits4``: weight-only MatMulNBits (8 or 4 bits, blocks of 64, int8 compute);
  ``nbits8`` is what ``lm.export`` writes now (``lm.QUANTIZE``).

For each: sentences/s (wall and per CPU second), peak memory, and agreement with ``float`` on the
per-sentence mean surprisal (mean/max |difference|, Pearson, Spearman), the pooled hidden state
(cosine) and the largest confusion gain (Pearson), the inputs of MT900 and GR900.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

VARIANTS = ("float", "dyn-int8", "dyn-int8-keep-down", "nbits8", "nbits4")


def build(variant: str, src: Path, out: Path) -> Path:
    """Write the variant's graph to ``out`` (``float`` is the exported graph itself)."""
    if variant == "float":
        return src
    import onnx

    if variant.startswith("nbits"):
        from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

        q = MatMulNBitsQuantizer(onnx.load(src), bits=int(variant[5:]), block_size=64, is_symmetric=True, accuracy_level=4)
        q.process()
        q.model.save_model_to_file(str(out), use_external_data_format=False)
        return out
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = onnx.load(src, load_external_data=False)
    layers = [n.name for n in model.graph.node if n.op_type == "MatMul" and re.fullmatch(r"node_linear(_\d+)?", n.name)]
    index = {name: 0 if name == "node_linear" else int(name.rsplit("_", 1)[1]) for name in layers}
    keep = ["node_matmul"]  # the output layer
    if variant == "dyn-int8-keep-down":  # seven projections per layer, the down-projection last
        last = max(index.values()) // 7
        keep += [n for n, i in index.items() if i % 7 == 6 or i // 7 in (0, last)]
    quantize_dynamic(src, out, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"], nodes_to_exclude=keep,
                     extra_options={"MatMulConstBOnly": True})
    return out


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM: ru_maxrss would carry the parent's peak across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(graph: str, texts_file: str, out_file: str) -> None:
    import numpy as np

    import bench_lm
    from qualcheck.backends import lm

    texts = json.loads(Path(texts_file).read_text())
    scorer = lm.open_graph(lm.cache_dir(), Path(graph))
    scores, wall, cpu = bench_lm.score_as_a_run(scorer, texts)
    np.save(out_file + ".npy", np.stack([s.pooled for s in scores]))
    Path(out_file).write_text(json.dumps({
        "wall_s": wall, "cpu_s": cpu, "peak_mib": _peak_mib(),
        "means": [s.mean for s in scores], "confusion": [max((g for _, g in s.confusion), default=0.0) for s in scores],
    }))


def _ranks(values):
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0] * len(values)
    for r, i in enumerate(order):
        out[i] = r
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, nargs="?")
    ap.add_argument("--sentences", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(*args.child)
    if args.data is None:
        ap.error("DATA_DIR is required")
    import numpy as np

    import bench_lm
    from qualcheck.backends import lm

    ok, reason = lm.status()
    if not ok:
        raise SystemExit(f"the language model is not installed: {reason}")
    if not lm.exported():
        lm.export()  # the child processes read the tokenizer and meta from the cache
    texts = bench_lm.sentences(args.data, args.sentences)
    variants = args.variants.split(",")
    runs: dict[str, list[dict]] = {v: [] for v in variants}
    with tempfile.TemporaryDirectory() as tmp:
        src = lm.export(Path(tmp) / "float", quantize=False) / lm.ONNX_FILE
        tf = Path(tmp) / "texts.json"
        tf.write_text(json.dumps(texts))
        graphs = {v: build(v, src, Path(tmp) / f"{v}.onnx") for v in variants}
        pooled = {}
        for r in range(args.rounds):
            for v in variants:
                out = str(Path(tmp) / f"{v}-{r}.json")
                subprocess.run([sys.executable, "-P", __file__, "--child", str(graphs[v]), str(tf), out], check=True)
                runs[v].append(json.loads(Path(out).read_text()))
                pooled[v] = np.load(out + ".npy")
                print(f"round {r + 1} {v}: {len(texts) / runs[v][-1]['wall_s']:.1f} sentences/s", file=sys.stderr)
    n = len(texts)
    base = runs["float"][0] if "float" in runs else None
    print(f"{n} sentences; medians of {args.rounds} rounds, variants alternating")
    print("| variant | sentences/s | per CPU-s | peak MiB | x float (wall, per round) | mean surprisal, abs. diff mean / max | Pearson | Spearman | pooled cosine mean / min | confusion Pearson |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    summary = {}
    for v in variants:
        rs = runs[v]
        row = {"per_s": statistics.median(n / x["wall_s"] for x in rs), "per_cpu_s": statistics.median(n / x["cpu_s"] for x in rs),
               "peak_mib": statistics.median(x["peak_mib"] for x in rs)}
        if base is not None:
            row["speedup"] = statistics.median(f["wall_s"] / x["wall_s"] for f, x in zip(runs["float"], rs))
            a, b = np.array(base["means"]), np.array(rs[0]["means"])
            pa, pb = pooled["float"], pooled[v]
            cos = (pa * pb).sum(1) / (np.linalg.norm(pa, axis=1) * np.linalg.norm(pb, axis=1) + 1e-9)
            row.update(mean_abs=float(np.abs(a - b).mean()), max_abs=float(np.abs(a - b).max()), pearson=float(np.corrcoef(a, b)[0, 1]),
                       spearman=float(np.corrcoef(_ranks(list(a)), _ranks(list(b)))[0, 1]), cos_mean=float(cos.mean()), cos_min=float(cos.min()),
                       confusion=float(np.corrcoef(base["confusion"], rs[0]["confusion"])[0, 1]))
        summary[v] = row
        extra = (f"{row['speedup']:.2f} | {row['mean_abs']:.3f} / {row['max_abs']:.2f} | {row['pearson']:.4f} | {row['spearman']:.4f} | "
                 f"{row['cos_mean']:.4f} / {row['cos_min']:.3f} | {row['confusion']:.3f}") if base is not None else "| | | | |"
        print(f"| {v} | {row['per_s']:.1f} | {row['per_cpu_s']:.1f} | {row['peak_mib']:.0f} | {extra} |")
    if args.json:
        args.json.write_text(json.dumps({"sentences": n, "rounds": args.rounds, "variants": summary}, indent=2))


if __name__ == "__main__":
    main()
