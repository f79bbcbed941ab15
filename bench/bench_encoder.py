"""What a small encoder costs beside the LM, on the sentences bench_lm.py times: could one be the default?

Usage:
    .venv/bin/python bench/bench_encoder.py ../shared/eval [--sentences 600] [--rounds 3]
        [--engines lm,minilm,minilm4,numpy,smollm6,smollm8,smollm12] [--json FILE]

The sentences are bench_lm.sentences() (MLQE-PE, WMT23, BBC and seeds, shuffled with a fixed seed).
Every engine runs in its own process, engines alternating round by round (the machine is shared, so
the per-round ratio to the LM matters more than the seconds). ``numpy`` is the engine ``--encoder``
runs (qualcheck/backends/encoder.py: MiniLM's first 4 layers in numpy, one BLAS thread), ``minilm4``
the same 4 layers exported to ONNX Runtime (2 threads), ``minilm`` all 6. ``lm`` is qualcheck's ONNX LM scoring
as a run does (``bench_lm.py``'s child: surprisal, confusion gains and the pooled state, in batches of
surprisal.BATCH); the others are ``encoder_states`` engines (pooled states only, the same batches).
Each process reports load seconds and scoring wall/CPU seconds; the parent times the whole process
(interpreter start, imports, load, scoring). The goal for a default model is >= 100 sentences/s.
"""

from __future__ import annotations

import argparse
import json
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


def child(engine: str, texts_file: Path, out_file: Path) -> None:
    """One encoder in this process: load, pool every sentence in the run's batches, write the figures."""
    import encoder_states

    from qualcheck import surprisal

    texts = json.loads(texts_file.read_text())
    t0 = time.perf_counter()
    if engine == "numpy":  # what a run with --encoder uses: qualcheck/backends/encoder.py
        from qualcheck.backends import encoder

        states, _ = encoder.load()
        states._ids = states.ids
    else:
        states = encoder_states.load(engine)
    load = time.perf_counter() - t0
    states.pooled(texts[:16])  # warm-up, as bench_lm.py
    w, c = time.perf_counter(), time.process_time()
    for b in range(0, len(texts), surprisal.BATCH):
        states.pooled(texts[b : b + surprisal.BATCH])
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    tokens = sum(len(states._ids(t)) for t in texts)
    out_file.write_text(json.dumps({"engine": engine, "load_s": load, "wall_s": wall, "cpu_s": cpu, "sentences": len(texts),
                                    "tokens": tokens, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, nargs="?")
    ap.add_argument("--sentences", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--engines", default="lm,minilm,smollm6,smollm8,smollm12")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "TEXTS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child[0], Path(args.child[1]), Path(args.child[2]))
    if args.data is None:
        ap.error("DATA_DIR is required")
    import bench_lm

    texts = bench_lm.sentences(args.data, args.sentences)
    engines = args.engines.split(",")
    runs: dict[str, list[dict]] = {e: [] for e in engines}
    with tempfile.TemporaryDirectory() as tmp:
        tf = Path(tmp) / "texts.json"
        tf.write_text(json.dumps(texts))
        for r in range(args.rounds):
            for e in engines:
                out = Path(tmp) / f"{e}-{r}.json"
                # the LM through bench_lm.py's child (as a run scores); the encoders through this script's
                cmd = ([sys.executable, "-P", str(ROOT / "bench" / "bench_lm.py"), "--child", "onnx", str(tf), str(out)] if e == "lm"
                       else [sys.executable, "-P", __file__, "--child", e, str(tf), str(out)])
                began = time.perf_counter()
                subprocess.run(cmd, check=True, cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
                whole = time.perf_counter() - began
                runs[e].append(json.loads(out.read_text()) | {"process_s": whole})
                x = runs[e][-1]
                print(f"round {r + 1} {e}: {x['sentences'] / x['wall_s']:.1f} sentences/s scoring, "
                      f"{x['sentences'] / whole:.1f} sentences/s whole process ({whole:.1f} s)", file=sys.stderr)
    n = len(texts)
    ref = "lm" if "lm" in runs else engines[0]  # the ratios' reference: the LM, else the first engine named
    print(f"{n} sentences; medians of {args.rounds} rounds, engines alternating; ratios are per round against {ref}")
    print(f"| engine | load s | sentences/s scoring (wall) | per CPU-s | whole process s | sentences/s whole process | x {ref} (scoring wall) | x {ref} (whole process) | peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    summary = {}
    for e in engines:
        rs = runs[e]
        row = {
            "load_s": statistics.median(x["load_s"] for x in rs),
            "per_s": statistics.median(n / x["wall_s"] for x in rs),
            "per_cpu_s": statistics.median(n / x["cpu_s"] for x in rs),
            "process_s": statistics.median(x["process_s"] for x in rs),
            "per_s_process": statistics.median(n / x["process_s"] for x in rs),
            "peak_mib": statistics.median(x["peak_mib"] for x in rs),
        }
        if e != ref:
            row["x_lm_wall"] = statistics.median(l["wall_s"] / x["wall_s"] for l, x in zip(runs[ref], rs))
            row["x_lm_process"] = statistics.median(l["process_s"] / x["process_s"] for l, x in zip(runs[ref], rs))
        summary[e] = row
        print(f"| {e} | {row['load_s']:.1f} | {row['per_s']:.1f} | {row['per_cpu_s']:.1f} | {row['process_s']:.1f} | "
              f"{row['per_s_process']:.1f} | {row.get('x_lm_wall', 1.0):.1f} | {row.get('x_lm_process', 1.0):.1f} | {row['peak_mib']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps({"sentences": n, "reference": ref, "engines": summary, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
