"""What the grammar check costs: the default run over a folder of articles with and without GR rules.

Usage:
    .venv/bin/python bench/bench_grammar.py ../shared/eval/clean/bbc [--limit N] [--json FILE]

In one process (so the ratios compare like with like), after a warm-up on a few documents that
loads the dictionaries every run then shares:
1. baseline: every rule enabled by default except the GR family (``qualcheck DIR --ignore GR``);
2. default: every rule enabled by default (``qualcheck DIR``), GR101/GR102/GR104/GR201/GR202;
3. default + GR103: the opt-in link-grammar rule as well (``qualcheck DIR --select ALL,GR103``);
   default + GR203: the opt-in tagger patterns (spaCy's tagger over every document);
4. default + GR900: the opt-in learned sentence score (parses with link-grammar too; no LM);
5. GR only, and GR103 only: the grammar rules alone, for sentences per second of the engine.
Each run loads the documents afresh (segmentation included). Reports wall and CPU seconds
(CPU counts every thread), sentences per second, and each run's ratio to the baseline; then how
many body sentences GR103 would hand to link-grammar and why it leaves the others alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcheck import discover, engine, ruleset  # noqa: E402
from qualcheck.config import Settings  # noqa: E402


def documents(folder: Path, limit: int | None):
    loaded = discover.load([str(folder)], folder)
    docs = sorted(loaded.documents, key=lambda d: d.id)
    return docs[: limit or None]


def timed(folder: Path, limit: int | None, rules) -> dict:
    docs = documents(folder, limit)
    wall, cpu = time.perf_counter(), time.process_time()
    report = engine.check(docs, rules, Settings())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    sentences = sum(len(d.sentences) for d in docs)
    gr = sum(1 for f in report.findings if f.code.startswith("GR"))
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "documents": len(docs), "sentences": sentences,
            "sentences_per_s": round(sentences / wall, 1), "gr_findings": gr}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="a folder of articles, e.g. ../shared/eval/clean/bbc")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents (by path)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args()
    pack = ruleset.load()
    runs = {
        "baseline (no GR)": pack.select((), ["GR"]),
        "default": pack.select(),
        "default + GR103": pack.select(["ALL", "GR103"]),
        "default + GR203": pack.select(["ALL", "GR203"]),
        "default + GR900": pack.select(["ALL", "GR900"]),
        "GR only (default GR)": pack.select(["GR"], ["GR103"]),
        "GR103 only": pack.select(["GR103"]),
    }
    engine.check(documents(args.data, 5), pack.select(["ALL", "GR103", "GR203", "GR900"]), Settings())  # warm-up: dictionaries, imports
    results = {}
    for name, rules in runs.items():
        results[name] = r = timed(args.data, args.limit, rules)
        print(f"{name:22} {r['wall_s']:7.1f}s wall {r['cpu_s']:7.1f}s cpu  {r['sentences_per_s']:7.1f} sentences/s"
              f"  ({r['documents']} documents, {r['sentences']} sentences, {r['gr_findings']} GR findings)", flush=True)
    base = results["baseline (no GR)"]
    for name, r in results.items():
        r["ratio_to_baseline"] = round(r["wall_s"] / base["wall_s"], 2)
        r["cpu_ratio_to_baseline"] = round(r["cpu_s"] / base["cpu_s"], 2)
    print("ratios to the baseline (wall / cpu): " + "; ".join(
        f"{n} {r['ratio_to_baseline']:.2f} / {r['cpu_ratio_to_baseline']:.2f}" for n, r in results.items() if n != "baseline (no GR)"))
    from collections import Counter

    from qualcheck.backends.grammar import OfflineEngine

    docs = documents(args.data, args.limit)
    offline = OfflineEngine(docs)
    reasons = Counter(offline.judgeable(d.text[s.start : s.end]) or "parsed" for d in docs for s in offline._body_sentences(d))
    total = sum(reasons.values())
    print("GR103 body sentences: " + ", ".join(f"{k} {v} ({v / total:.0%})" for k, v in reasons.most_common()))
    results["gr103_sentences"] = dict(reasons)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
