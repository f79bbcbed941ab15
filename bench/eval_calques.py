"""Measure MT201 (literal translations: swaps and lemma/slot calques) on clean news and on rated MT.

Usage: python bench/eval_calques.py DATA_DIR [--rules CODES] [--bbc-every N] [--show N]

DATA_DIR is ../shared/eval (never copied into the project). Reports, for the selected rules
(default MT201):
- BBC clean news: findings per 1,000 sentences (false flags: edited English has no calques), per
  half of the documents (A/B by a hash of the path) and per calque or swap;
- MLQE-PE (ru, ro, et, ne, si -> en) and WMT23 zh-en MT sentences: the share flagged among
  low-rated sentences (DA < 30; WMT: MQM >= 5) and among high-rated ones (DA >= 70 and HTER <= 0.1;
  WMT: MQM = 0), per half (A/B by a hash of the sentence). A calque list is hand-written from
  translation knowledge, not fitted: these figures say how often it fires, and on which side.
--show N prints up to N flagged passages of each set, to read.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from qualcheck import discover, engine, ruleset
from qualcheck.config import Settings

PAIRS = ("ru", "ro", "et", "ne", "si")


def half(text: str) -> str:
    return "A" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


def run(paths, root, rules):
    loaded = discover.load([str(p) for p in paths], root, [], None)
    return engine.check(loaded.documents, rules, Settings())


def which(f) -> str:
    return f.data.get("calque") or "swap:" + f.excerpt.lower()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--rules", default="MT201")
    ap.add_argument("--bbc-every", type=int, default=1)
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    rules = ruleset.load(()).select(tuple(args.rules.split(",")), ())
    out: dict = {}

    # clean news
    bbc = args.data / "clean" / "bbc"
    files = sorted(p for p in bbc.rglob("*") if p.is_file())[:: args.bbc_every]
    report = run(files, bbc, rules)
    sent = Counter()
    hits = Counter()
    per = Counter()
    shown = []
    loaded = {d.id: d for d in discover.load([str(p) for p in files], bbc, [], None).documents}
    for d in report.documents:
        h = half(d.document)
        sent[h] += len(loaded[d.document].sentences)
        for f in d.findings:
            hits[h] += 1
            per[which(f)] += 1
            shown.append(f"{d.document}: {f.excerpt!r} -> {f.suggestions}")
    out["bbc"] = {
        "documents": len(report.documents),
        "sentences": sum(sent.values()),
        "per_1000": {k: 1000 * hits[k] / max(1, sent[k]) for k in ("A", "B")} | {"all": 1000 * sum(hits.values()) / max(1, sum(sent.values()))},
        "findings": sum(hits.values()),
        "by_pattern": dict(per),
    }
    for line in shown[: args.show]:
        print("bbc", line)

    # rated machine translation, one sentence per record
    rows = []
    for pair in PAIRS:
        with (args.data / "translation" / f"mlqe-pe-{pair}-en-dev.tsv").open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                da, hter = float(r["da_mean_0to100"]), float(r["hter"])
                rows.append(("mlqe", r["mt"], "low" if da < 30 else "high" if da >= 70 and hter <= 0.1 else "mid"))
    with (args.data / "translation" / "wmt23-mqm-zhen-news.tsv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            mqm = float(r["mqm_mean"])
            rows.append(("wmt", r["target"], "low" if mqm >= 5 else "high" if mqm == 0 else "mid"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mt.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i, (_, text, _) in enumerate(rows):
                fh.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")
        report = run([path], Path(tmp), rules)
    by_row = {int(d.document.rsplit("#", 1)[1]): d for d in report.documents}  # reports sort ids as text
    table = Counter()
    mt_shown = []
    for i, (src, text, label) in enumerate(rows):
        d = by_row.get(i)
        n = len(d.findings) if d else 0
        key = (src, label, half(text))
        table[key + ("n",)] += 1
        table[key + ("flagged",)] += n > 0
        if n and label != "mid":
            mt_shown.append(f"{src} {label}: " + "; ".join(f"{f.excerpt!r} -> {f.suggestions}" for f in d.findings))
    out["mt"] = {
        f"{src} {label} {h}": {"n": table[(src, label, h, "n")], "flagged": table[(src, label, h, "flagged")]}
        for src in ("mlqe", "wmt") for label in ("low", "high") for h in ("A", "B")
    }
    for line in mt_shown[: args.show]:
        print(line)
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
