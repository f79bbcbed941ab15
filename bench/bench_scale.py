"""Whole default runs as the corpus grows, and what the streamed JSONL report saves in memory.

Usage:
    .venv/bin/python bench/bench_scale.py ../shared/eval [--sizes 1000 2000 4000 8000 16000] [--jobs N]
        [--formats jsonl json] [--json FILE]

The corpus is ``clean/bbc`` (1,069 edited articles) copied over and over, each copy with a unique
closing line (as issue 17 measured it), written as files into a temporary folder. For each size and
report format, the CLI runs once in a child process as a user runs it (default rules, every core
unless --jobs, no store, the report to a file): wall time, CPU time of the run and its workers, and
the peak resident memory of the largest process (ru_maxrss of the children). The time exponent is
the least-squares slope of log(wall) on log(documents).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))


def build(data_dir: Path, size: int, folder: Path, as_jsonl: bool = False) -> Path:
    """Write the replicated corpus that bench_agreement_scale.py measures: as files (one per document
    id), or as one JSON Lines corpus file of ``{"id", "text"}`` records; return what to check."""
    from bench_agreement_scale import build as documents

    folder.mkdir(parents=True, exist_ok=True)
    if as_jsonl:
        target = folder / "corpus.jsonl"
        with target.open("w", encoding="utf-8") as out:
            for doc in documents(data_dir, size):
                out.write(json.dumps({"id": doc.id, "text": doc.raw}, ensure_ascii=False) + "\n")
        return target
    for doc in documents(data_dir, size):
        out = folder / doc.id
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(doc.raw, encoding="utf-8")
    return folder


def run_one(folder: Path, fmt: str, jobs: int | None) -> dict:
    """One CLI run in a child process (its own ru_maxrss: a fresh Python runs it)."""
    report = folder.parent / f"report.{fmt}" if folder.is_dir() else folder.parent.parent / f"report.{fmt}"
    args = [str(ROOT / ".venv" / "bin" / "qualcheck"), str(folder), "--isolated", "--no-cache", "-q", "--report", fmt, "-o", str(report)]
    if jobs:
        args += ["--jobs", str(jobs)]
    # a child that measures itself and its workers: RUSAGE_CHILDREN of this wrapper is the run's
    probe = ("import resource, subprocess, sys, time, json; t = time.perf_counter(); "
             "rc = subprocess.run(sys.argv[1:]).returncode; w = time.perf_counter() - t; "
             "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(json.dumps({'rc': rc, 'wall': w, 'cpu': u.ru_utime + u.ru_stime, 'peak_mib': u.ru_maxrss / 1024}))")
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["report_mib"] = report.stat().st_size / 2**20
    report.unlink()
    return row


def exponent(rows: list[dict]) -> float | None:
    pts = [(math.log(r["documents"]), math.log(r["wall"])) for r in rows if r["wall"] > 0]
    if len(pts) < 2:
        return None
    mx, my = sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000, 16000])
    ap.add_argument("--formats", nargs="+", default=["jsonl"], choices=["jsonl", "json"])
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--input", choices=["files", "jsonl"], default="files", help="the corpus as one file per article, or one JSON Lines file")
    ap.add_argument("--work", type=Path, default=None, help="folder for the corpus and report (default: a temporary one)")
    a = ap.parse_args()
    rows = []
    for size in a.sizes:
        work = Path(tempfile.mkdtemp(prefix="qc-scale-", dir=a.work))
        try:
            target = build(a.data, size, work / "corpus", as_jsonl=a.input == "jsonl")
            for fmt in a.formats:
                row = {"documents": size, "format": fmt, "input": a.input, **run_one(target, fmt, a.jobs)}
                rows.append(row)
                print(json.dumps(row), flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    for fmt in a.formats:
        print(f"{fmt}: time exponent {exponent([r for r in rows if r['format'] == fmt])}", flush=True)
    if a.json:
        a.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
