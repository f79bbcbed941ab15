"""Peak memory and time of a run on 50 MB inputs, and of documents at the size limits.

Usage:
    .venv/bin/python bench/bench_limits.py [--mb 50] [--out bench/results/bench_limits.json]

Each case runs ``python -m qualcheck --isolated`` in a fresh process and reads its peak resident
memory from the operating system (``wait4``): a 50 MB article, a 50 MB JSONL line, a 50 MB JSONL
corpus of many small articles plus one over the limit (boilerplate rules only, so it finishes),
and a document just under the per-line and per-document limits (qualcheck/limits.py). The
baseline is the same command on one small article: memory on the 50 MB inputs should stay
close to it, since oversized inputs are refused without being held whole.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qualcheck import limits  # noqa: E402

SENTENCE = "The minister said on Tuesday that the talks in Geneva would go on next week. "


def run(args: list[str], cwd: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "qualcheck", "--isolated", "-q", "--report", "json", *args],
                            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    return {"exit": os.waitstatus_to_exitcode(status), "seconds": round(time.perf_counter() - started, 2),
            "peak_mb": round(usage.ru_maxrss / 1024, 1), "stderr": [ln for ln in err.splitlines() if "not checked" in ln][:3]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--out", type=Path, default=None, help="JSON results; cases already in it and not run now are kept")
    ap.add_argument("--only", default=None, help="run only the cases whose name contains this text")
    args = ap.parse_args()
    size = args.mb * 1024 * 1024
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "small.txt").write_text(SENTENCE * 20, encoding="utf-8")
        para = (SENTENCE * 40).strip() + "\n\n"
        with open(d / "big.txt", "w", encoding="utf-8") as fh:
            for _ in range(size // len(para) + 1):
                fh.write(para)
        with open(d / "bigline.jsonl", "w", encoding="utf-8") as fh:
            fh.write('{"id": "huge", "text": "' + SENTENCE * (size // len(SENTENCE)) + '"}\n')
            fh.write(json.dumps({"id": "ok", "text": SENTENCE * 20}) + "\n")
        with open(d / "corpus.jsonl", "w", encoding="utf-8") as fh:
            record = SENTENCE * 40
            for i in range(size // (len(record) + 30)):
                fh.write(json.dumps({"id": i, "text": record}) + "\n")
        near = (SENTENCE * (limits.MAX_LINE_CHARS // len(SENTENCE))).strip() + "\n\n"
        (d / "at-limits.txt").write_text(near * (limits.MAX_DOCUMENT_CHARS // len(near)), encoding="utf-8")
        cases = {
            "baseline: one small article (all default rules)": ["small.txt"],
            f"{args.mb} MB article (refused at the document limit)": ["big.txt"],
            f"{args.mb} MB JSONL line (refused) + one small record": ["bigline.jsonl"],
            f"{args.mb} MB JSONL corpus of small articles (BP rules)": ["corpus.jsonl", "--select", "BP"],
            "document just under both limits (BP rules)": ["at-limits.txt", "--select", "BP"],
            "document just under both limits (all default rules)": ["at-limits.txt"],
        }
        for name, argv in cases.items():
            if args.only and args.only not in name:
                continue
            results[name] = run(argv, d)
            r = results[name]
            print(f"{r['peak_mb']:8.1f} MB peak  {r['seconds']:7.2f} s  exit {r['exit']}  {name}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        old = json.loads(args.out.read_text(encoding="utf-8")).get("cases", {}) if args.out.exists() else {}
        cases = {**old, **results}
        args.out.write_text(json.dumps({"mb": args.mb, "limits": {"document_chars": limits.MAX_DOCUMENT_CHARS, "line_chars": limits.MAX_LINE_CHARS}, "cases": cases}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
