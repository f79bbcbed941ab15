"""Wall time, CPU time and peak memory of checking one short article, next to ``qualcheck --version``.

Usage:
    .venv/bin/python bench/bench_one.py [ARTICLE] [--runs 5] [--select CODES] [--json FILE]

ARTICLE defaults to the first seed. Each run is a fresh ``python -m qualcheck ARTICLE --no-cache``
process (the whole start-up included: imports, rule files, engines and models; ``--store`` measures
a run answered from the corpus store instead); one warm-up of each command first, so
the disk cache is warm and the py3langid model is unpacked in the user cache. The article run and
``--version`` are then started in turn, A B A B ..., so a machine whose speed drifts affects both
alike; the script prints each figure's median and min..max, and the ratio of the medians. CPU
seconds and peak memory come from the kernel's accounting of each finished child
(``os.wait4``), wall seconds from the clock around it. On a shared machine quote the CPU seconds
and the ratios: wall time there includes waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _once(cmd: list[str]) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1 only means the gate failed
        raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}


def _summary(runs: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    return {
        key: {"median": round(statistics.median(r[key] for r in runs), 3), "min": round(min(r[key] for r in runs), 3),
              "max": round(max(r[key] for r in runs), 3)}
        for key in runs[0]
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("article", type=Path, nargs="?", default=next((ROOT / "seeds").glob("000_*.txt")),
                    help="the article to check (default: the first seed)")
    ap.add_argument("--runs", type=int, default=5, help="counted runs of each command")
    ap.add_argument("--select", help="rule codes to select (default: the default rules)")
    ap.add_argument("--store", action="store_true",
                    help="let the run use the corpus store (default --no-cache: the article is checked afresh every run)")
    ap.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    # -P: never let the current directory shadow the checkout under test
    python = [sys.executable, "-P", "-m", "qualcheck"]
    article = python + [str(args.article.resolve())] + (["--select", args.select] if args.select else [])
    article += [] if args.store else ["--no-cache"]
    version = python + ["--version"]
    _once(article), _once(version)  # warm-up: disk cache, unpacked model cache
    runs: dict[str, list[dict[str, float]]] = {"article": [], "version": []}
    for _ in range(args.runs):
        runs["article"].append(_once(article))
        runs["version"].append(_once(version))
    out = {name: _summary(r) for name, r in runs.items()}
    out["ratio_article_to_version"] = {
        key: round(out["article"][key]["median"] / out["version"][key]["median"], 2) for key in ("wall_s", "cpu_s")
    }
    out["article_file"] = args.article.name
    out["words"] = len(args.article.read_text(encoding="utf-8").split())
    out["select"] = args.select or "default rules"
    out["store"] = args.store
    out["runs"] = args.runs
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    for name in ("article", "version"):
        r = out[name]
        print(f"{name:8} wall {r['wall_s']['median']:.2f} s ({r['wall_s']['min']:.2f}..{r['wall_s']['max']:.2f})  "
              f"cpu {r['cpu_s']['median']:.2f} s ({r['cpu_s']['min']:.2f}..{r['cpu_s']['max']:.2f})  "
              f"peak {r['peak_mib']['median']:.0f} MiB")
    ratio = out["ratio_article_to_version"]
    print(f"article / --version: wall {ratio['wall_s']}x, cpu {ratio['cpu_s']}x  "
          f"({out['words']} words, {out['select']}, {args.runs} runs each, load average {out['load_average'][0]})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
