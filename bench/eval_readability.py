"""How often the readability (RD) rules fire on edited news, and the distribution of the metrics.

Usage:
    .venv/bin/python bench/eval_readability.py ../shared/eval [--json bench/results/readability.json]

Reads ``clean/bbc`` (professionally edited articles) as one run through the real engine with the RD
rules, and prints findings per 1,000 documents and per 1,000 sentences, plus percentiles of each
document metric and of sentence length, so thresholds can be set where edited news rarely fires.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcheck import discover, engine, ruleset  # noqa: E402
from qualcheck.kinds.readability import sentence_words  # noqa: E402

METRICS = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "coleman_liau_index", "dale_chall",
           "words_per_sentence")
PCTS = (1, 5, 25, 50, 75, 95, 99)


def percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    if not values:
        return {}
    q = statistics.quantiles(values, n=100, method="inclusive")
    out = {f"p{p}": round(q[p - 1], 1) for p in PCTS}
    out.update(min=round(values[0], 1), max=round(values[-1], 1), n=len(values))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    bbc = args.data_dir / "clean" / "bbc"
    loaded = discover.load([str(bbc)], bbc)
    rules = ruleset.load().select(["RD"], [])
    report = engine.check(loaded.documents, rules)
    docs = report.documents
    n_docs = len(docs)
    n_sent = sum(d.stats.get("sentences", 0) for d in docs)
    fired = Counter(f.code for d in docs for f in d.findings)
    docs_with = Counter()
    for d in docs:
        for code in {f.code for f in d.findings}:
            docs_with[code] += 1
    lengths = [n for doc in loaded.documents for n in sentence_words(doc)]
    out = {
        "documents": n_docs,
        "sentences": n_sent,
        "rules": {r.code: {"params": {k: getattr(r.params, k) for k in r.params.__dataclass_fields__}} for r in rules},
        "findings": dict(fired),
        "findings_per_1000_documents": {c: round(1000 * n / n_docs, 1) for c, n in fired.items()},
        "findings_per_1000_sentences": {c: round(1000 * n / max(1, n_sent), 2) for c, n in fired.items()},
        "documents_flagged_share": {c: round(n / n_docs, 4) for c, n in docs_with.items()},
        "metrics": {m: percentiles([d.stats[m] for d in docs if d.stats.get(m) is not None]) for m in METRICS},
        "sentence_words": percentiles(lengths),
        "metrics_missing": {m: sum(1 for d in docs if d.stats.get(m) is None) for m in METRICS},
    }
    print(f"BBC: {n_docs} documents, {n_sent} sentences")
    for code in sorted(r.code for r in rules):
        print(f"  {code}: {fired.get(code, 0)} findings = {out['findings_per_1000_documents'].get(code, 0)} per 1,000 "
              f"documents, {out['findings_per_1000_sentences'].get(code, 0)} per 1,000 sentences "
              f"({docs_with.get(code, 0)} documents)")
    for m in METRICS:
        print(f"  {m:22} {out['metrics'][m]}  (None in {out['metrics_missing'][m]} documents)")
    print(f"  sentence length (words) {out['sentence_words']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
