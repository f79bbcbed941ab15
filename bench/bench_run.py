"""Time and peak memory of the whole qualcheck pipeline over a folder of articles (e.g. BBC).

Usage:
    .venv/bin/python bench/bench_run.py ../shared/eval/clean/bbc [--repeat 1] [--profile] [--json FILE]

Runs, in this order and in one process (so the ratios compare like with like):
1. baseline: discover + decode every file and segment it into paragraphs and sentences
   (the work no check can avoid);
2. ``engine.run`` with every bundled rule, as ``qualcheck DATA_DIR`` does it, rendered to JSON;
3. the CLI end to end in a subprocess (``qualcheck DATA_DIR --report json -o /dev/null``).
Reports seconds, words/s, documents/s, the ratio of each stage to the baseline, ru_maxrss (whole
process, includes the interpreter and libraries) and, with ``--tracemalloc``, the tracemalloc peak of
Python allocations (measured in a separate pass, because tracing slows the run down).
``--profile`` prints the top of a cProfile of the engine run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcheck import discover, engine  # noqa: E402
from qualcheck.config import Settings  # noqa: E402
from qualcheck.render import json as render_json  # noqa: E402


def _measure(func, trace: bool):
    """Run ``func``; time it, and (when ``trace``) take the tracemalloc peak, which slows Python down 2-3x."""
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    return result, seconds, peak


def _mb(value):
    return None if value is None else round(value / 2**20, 1)


def baseline(data: Path) -> tuple[int, int]:
    loaded = discover.load([str(data)], data)
    words = 0
    for doc in loaded.documents:
        _ = doc.sentences
        words += doc.word_count
    return len(loaded.documents), words


def full_run(data: Path):
    settings = Settings(paths=(str(data),), root=str(data), report="json")
    report = engine.run(settings)
    text = render_json.render(report)
    return report, len(text)


def cli_run(data: Path) -> tuple[float, int, int]:
    exe = Path(sys.executable).with_name("qualcheck")
    cmd = [str(exe), str(data), "--report", "json", "-o", "/dev/null"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):  # 1 only means the gate failed; 2 means the run did not happen
        print(f"CLI failed with exit code {proc.returncode}: {proc.stderr.strip()[-400:]}", file=sys.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, proc.returncode, max(before, after)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path, help="folder of articles, e.g. ../shared/eval/clean/bbc")
    ap.add_argument("--repeat", type=int, default=1, help="repeat each in-process stage, keep the fastest")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the engine run")
    ap.add_argument("--no-cli", action="store_true", help="skip the end-to-end CLI run")
    ap.add_argument("--tracemalloc", action="store_true",
                    help="also run each stage once more under tracemalloc for its Python peak (slow)")
    ap.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    data = args.data_dir

    runs = [_measure(lambda: baseline(data), False) for _ in range(args.repeat)]
    (docs, words), base_s, _ = min(runs, key=lambda r: r[1])
    runs = [_measure(lambda: full_run(data), False) for _ in range(args.repeat)]
    (report, json_chars), run_s, _ = min(runs, key=lambda r: r[1])
    base_peak = run_peak = None
    if args.tracemalloc:
        base_peak = _measure(lambda: baseline(data), True)[2]
        run_peak = _measure(lambda: full_run(data), True)[2]
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    findings = sum(len(d.findings) for d in report.documents)
    out = {
        "documents": docs,
        "words": words,
        "findings": findings,
        "baseline": {"what": "read + decode + paragraphs + sentences", "seconds": round(base_s, 2),
                     "words_per_second": round(words / base_s), "documents_per_second": round(docs / base_s, 1),
                     "tracemalloc_peak_mb": _mb(base_peak)},
        "engine_run": {"what": "engine.run, all bundled rules, JSON rendered", "seconds": round(run_s, 2),
                       "words_per_second": round(words / run_s), "documents_per_second": round(docs / run_s, 1),
                       "ratio_to_baseline": round(run_s / base_s, 2), "tracemalloc_peak_mb": _mb(run_peak),
                       "json_chars": json_chars},
        "process_maxrss_mb": round(maxrss_kb / 1024, 1),
        "notices": sorted({n.message for n in report.notices})[:10],
    }
    if not args.no_cli:
        cli_s, code, cli_rss = cli_run(data)
        out["cli"] = {"what": "qualcheck DATA --report json -o /dev/null (subprocess, includes start-up)",
                      "seconds": round(cli_s, 2), "exit_code": code, "words_per_second": round(words / cli_s),
                      "documents_per_second": round(docs / cli_s, 1), "ratio_to_baseline": round(cli_s / base_s, 2),
                      "maxrss_mb": round(cli_rss / 1024, 1)}
    print(f"{docs} documents, {words} words, {findings} findings")
    for key in ("baseline", "engine_run", "cli"):
        if key in out:
            r = out[key]
            ratio = f", {r['ratio_to_baseline']}x baseline" if "ratio_to_baseline" in r else ""
            mem = f", tracemalloc peak {r['tracemalloc_peak_mb']} MB" if r.get("tracemalloc_peak_mb") else ""
            mem += f", maxrss {r['maxrss_mb']} MB" if "maxrss_mb" in r else ""
            print(f"  {key:10} {r['seconds']:7.2f} s  {r['words_per_second']:>8} words/s  "
                  f"{r['documents_per_second']:>6} docs/s{ratio}{mem}   ({r['what']})")
    print(f"  in-process ru_maxrss {out['process_maxrss_mb']} MB")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        full_run(data)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(35)
        print(buf.getvalue())
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
        print(buf.getvalue())
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
