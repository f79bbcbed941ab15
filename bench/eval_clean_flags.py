"""False alarms of chosen rules on clean text: BBC news (per 1,000 sentences) and GMEG-wiki sentences no corrector changed.

Usage: python bench/eval_clean_flags.py DATA_DIR --select CODES [--show N]

DATA_DIR is ../shared/eval (never copied into the project). Every finding of the selected rules on
these texts is a false alarm (BBC is edited news; a GMEG-wiki sentence counts as clean when one of its
four references equals it, ignoring spaces). Numbers per half (A/B by a hash of the BBC path or the sentence).
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


def half(text: str) -> str:
    return "A" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--select", required=True)
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args(argv)
    rules = ruleset.load(()).select(tuple(args.select.split(",")), ())
    out = {}
    shown = []

    bbc = args.data / "clean" / "bbc"
    loaded = discover.load([str(bbc)], bbc, [], None)
    report = engine.check(loaded.documents, rules, Settings())
    sentences = {d.id: len(d.sentences) for d in loaded.documents}
    n, hits = Counter(), Counter()
    for d in report.documents:
        h = half(d.document)
        n[h] += sentences[d.document]
        for f in d.findings:
            hits[(h, f.code)] += 1
            shown.append(f"bbc {d.document} {f.code}: {f.excerpt[:100]!r}")
    codes = sorted({c for _, c in hits})
    out["bbc"] = {"sentences": dict(n), "per_1000": {c: {h: round(1000 * hits[(h, c)] / max(1, n[h]), 3) for h in "AB"} for c in codes}}

    clean = []
    with (args.data / "grammar" / "gmeg-wiki-dev.tsv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            src = r["source"]
            if any(" ".join(r.get(f"ref{i}", "").split()) == " ".join(src.split()) for i in range(4)):
                clean.append(src)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gmeg.jsonl"
        path.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(clean)), encoding="utf-8")
        report = engine.check(discover.load([str(path)], Path(tmp), [], None).documents, rules, Settings())
    n, hits = Counter(half(t) for t in clean), Counter()
    for d in report.documents:
        text = clean[int(d.document.rsplit("#", 1)[1])]
        for f in d.findings:
            hits[(half(text), f.code)] += 1
            shown.append(f"gmeg {f.code}: {f.excerpt[:100]!r}")
    codes = sorted({c for _, c in hits})
    out["gmeg_clean"] = {"sentences": dict(n), "per_1000": {c: {h: round(1000 * hits[(h, c)] / max(1, n[h]), 3) for h in "AB"} for c in codes}}
    for line in shown[: args.show]:
        print(line)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
