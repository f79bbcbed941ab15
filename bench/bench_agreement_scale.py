"""How the cross-source agreement grows with the corpus: BBC articles replicated to 1k–16k documents.

Usage:
    .venv/bin/python bench/bench_agreement_scale.py ../shared/eval [--sizes 1000 2000 4000 8000 16000]
        [--no-whole] [--json FILE]

The corpus is ``clean/bbc`` (1,069 edited articles) copied over and over, each copy with a unique
closing line (as issue 17 measured it): copies are near-duplicates that must collapse into one
voter, and stories grow with the number of copies. For each size, in a fresh child process:
claim extraction, then ``alignment.analyse`` on the pre-extracted claims (the agreement part), then
a whole FA run through the engine (``--select FA``: extraction, grouping, alignment, findings),
and changed-articles mode: one new article (a copy given a wrong title) against the whole corpus.
The time exponent is the least-squares slope of log(time) on log(documents).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(data_dir: Path, size: int):
    from qualcheck.document import Document

    base = sorted((data_dir / "clean" / "bbc").rglob("*.txt"))
    texts = [(p, p.read_text(encoding="utf-8", errors="replace")) for p in base]
    docs = []
    copy = 0
    while len(docs) < size:
        for p, text in texts:
            if len(docs) >= size:
                break
            closing = f"\n\nFiled by desk {copy} as item {len(docs)} of the feed.\n"
            docs.append(Document(id=f"{p.parent.name}/{p.stem}-{copy}.txt", raw=text.rstrip("\n") + closing))
        copy += 1
    return docs


def child(data_dir: Path, size: int, whole: bool) -> dict:
    from qualcheck import engine, ruleset
    from qualcheck.agreement import alignment, claims, offices
    from qualcheck.backends import fuzzy

    docs = build(data_dir, size)
    out: dict = {"documents": size}
    t0 = time.perf_counter()
    vocab = claims.vocabulary()
    extracted = {d.id: claims.extract(d, vocab) for d in docs}
    out["extract_s"] = round(time.perf_counter() - t0, 2)
    out["claims"] = sum(len(v) for v in extracted.values())
    t0 = time.perf_counter()
    result = alignment.analyse(docs, fuzzy, extracted=extracted, knowledge=offices.load())
    out["analyse_s"] = round(time.perf_counter() - t0, 2)
    out["groups"] = len(result.groups)
    out["largest_story"] = max(len(v) for v in result.grouping.members("story").values())
    out["copies_collapsed"] = len(result.grouping.duplicates)
    out["pairs_scored"] = result.grouping.pairs_scored
    # changed-articles mode: one new article checked against the whole corpus (claims pre-extracted)
    from qualcheck.document import Document

    base = docs[0]
    new = Document(id="new/article.txt", raw=base.raw.replace("\n", "\nBritish President Tony Blair said so.\n", 1))
    extracted[new.id] = claims.extract(new, vocab)
    t0 = time.perf_counter()
    focused = alignment.analyse([*docs, new], fuzzy, extracted=extracted, knowledge=offices.load(), focus={new.id})
    out["focus_one_s"] = round(time.perf_counter() - t0, 3)
    from qualcheck.agreement import events

    kept = {d.id: events.keywords(d) for d in docs}  # as a cache would keep them beside the claims
    t0 = time.perf_counter()
    alignment.analyse([*docs, new], fuzzy, extracted=extracted, knowledge=offices.load(), focus={new.id}, keywords=kept)
    out["focus_one_cached_keywords_s"] = round(time.perf_counter() - t0, 3)
    out["focus_groups"] = len(focused.groups)
    if whole:
        fresh = build(data_dir, size)  # no cached text or claims
        rules = [r for r in ruleset.load().rules if r.code.startswith("FA")]
        t0 = time.perf_counter()
        report = engine.check(fresh, rules)
        out["whole_fa_s"] = round(time.perf_counter() - t0, 2)
        out["findings"] = sum(len(d.findings) for d in report.documents)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def exponent(rows: list[dict], key: str) -> float | None:
    pts = [(math.log(r["documents"]), math.log(r[key])) for r in rows if r.get(key)]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts), 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000, 16000])
    parser.add_argument("--no-whole", action="store_true", help="skip the whole --select FA run")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.data_dir, args.child, not args.no_whole)))
        return 0
    rows = []
    for size in args.sizes:
        cmd = [sys.executable, __file__, str(args.data_dir), "--child", str(size)] + (["--no-whole"] if args.no_whole else [])
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{size}: failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}", file=sys.stderr)
            break
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        row["child_wall_s"] = round(time.perf_counter() - started, 1)
        rows.append(row)
        print(json.dumps(row), flush=True)
    summary = {
        "rows": rows,
        "exponent_analyse": exponent(rows, "analyse_s"),
        "exponent_whole_fa": exponent(rows, "whole_fa_s"),
        "exponent_extract": exponent(rows, "extract_s"),
        "exponent_focus_one": exponent(rows, "focus_one_s"),
        "exponent_focus_one_cached_keywords": exponent(rows, "focus_one_cached_keywords_s"),
    }
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
