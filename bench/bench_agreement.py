"""Time and peak memory of the cross-source agreement phase on 1,000–8,000 documents.

Usage:
    .venv/bin/python bench/bench_agreement.py ../shared/eval [--sizes 1000 2000 4000 8000] [--json FILE]

The corpus is built from ``clean/bbc`` (about 1,060 edited articles) plus the seeds: beyond the
originals, each further copy of an article is a different "outlet" (source name) with every fifth
number changed, so the run has near-duplicates to collapse, corroborations and contradictions.
Each size runs in a fresh child process (peak RSS from getrusage); the baseline is the same
process doing only claim extraction, so the ratio isolates grouping, alignment and TruthFinder.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(data_dir: Path, size: int):
    from qualcheck.document import Document

    base = sorted((data_dir / "clean" / "bbc").rglob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
    texts = [(p, p.read_text(encoding="utf-8", errors="replace")) for p in base]
    docs = []
    copy = 0
    while len(docs) < size:
        for p, text in texts:
            if len(docs) >= size:
                break
            if copy:
                counter = iter(range(10**9))
                text = re.sub(r"\b\d{2,}\b", lambda m: str(int(m.group(0)) + 1) if next(counter) % 5 == 0 else m.group(0), text)
            docs.append(Document(id=f"{p.parent.name}/{p.stem}-{copy}.txt", raw=text, fields={"source": f"outlet{copy}-{p.parent.name}"}))
        copy += 1
    return docs


def child(data_dir: Path, size: int, extract_only: bool) -> dict:
    from qualcheck.agreement import alignment, claims
    from qualcheck.backends import fuzzy

    docs = build(data_dir, size)
    started = time.perf_counter()
    vocab = claims.vocabulary()
    extracted = {d.id: claims.extract(d, vocab) for d in docs}
    t_extract = time.perf_counter() - started
    out = {"documents": size, "claims": sum(len(v) for v in extracted.values()), "extract_s": round(t_extract, 2)}
    if not extract_only:
        t0 = time.perf_counter()
        result = alignment.analyse(docs, fuzzy, extracted=extracted)
        out["analyse_s"] = round(time.perf_counter() - t0, 2)
        out["groups"] = len(result.groups)
        out["contradicted"] = sum(1 for g in result.groups if g.status == "contradicted")
        out["corroborated"] = sum(1 for g in result.groups if g.status == "corroborated")
        out["pairs_scored"] = result.grouping.pairs_scored
        out["largest_story"] = max(len(v) for v in result.grouping.members("story").values())
        out["copies_collapsed"] = len(result.grouping.duplicates)
    out["total_s"] = round(time.perf_counter() - started, 2)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--extract-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.data_dir, args.child, args.extract_only)))
        return 0
    rows = []
    for size in args.sizes:
        run = lambda extra: json.loads(subprocess.run(  # noqa: E731
            [sys.executable, __file__, str(args.data_dir), "--child", str(size), *extra],
            check=True, capture_output=True, text=True).stdout)
        base, full = run(["--extract-only"]), run([])
        full["baseline_extract_only_s"] = base["total_s"]
        full["baseline_peak_rss_mb"] = base["peak_rss_mb"]
        rows.append(full)
        print(json.dumps(full), flush=True)
    for prev, cur in zip(rows, rows[1:]):
        print(f"{prev['documents']}->{cur['documents']}: analyse x{cur['analyse_s'] / max(prev['analyse_s'], 1e-9):.2f}, "
              f"total x{cur['total_s'] / prev['total_s']:.2f}, peak RSS x{cur['peak_rss_mb'] / prev['peak_rss_mb']:.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
