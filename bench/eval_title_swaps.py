"""Every office swap in the BBC articles of one half, judged by the offices file alone.

The gate's title sets swap only the first title of 26 (tune) or 45 (test) articles. This takes every
title eval_gate.py would swap ("Prime Minister Tony Blair") in every BBC article of a half, puts
each other office in its place ("Home Secretary Tony Blair"), and asks the offices file (with the
article dated from its own evidence, as the agreement check does) for a verdict on the swapped
claim: refuted (what the gate needs), confirmed (the person held that office at some time and
nothing dates the article) or none (the file does not know the office, the country or the person).
Halves by a hash of the BBC file, as in eval_gate.py (A = tune, B = test).

Usage: python bench/eval_title_swaps.py ../shared/eval --half A [--show 40]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval_gate import _OFFICE, OFFICES, half  # noqa: E402

from qualcheck.agreement import claims, dating, offices  # noqa: E402
from qualcheck.document import Document  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--half", choices="AB", default="A")
    ap.add_argument("--show", type=int, default=0, help="print the most common misses")
    args = ap.parse_args(argv)
    knowledge, vocab = offices.load(), claims.vocabulary()
    counts: Counter = Counter()
    misses: Counter = Counter()
    for path in sorted((args.eval_dir / "clean" / "bbc").rglob("*.txt")):
        if half(path) != args.half:
            continue
        text = path.read_text(encoding="utf-8")
        for m in _OFFICE.finditer(text):
            for other in OFFICES:
                if other == m.group(1):
                    continue
                doc = Document(id=str(path), raw=text[: m.start(1)] + other + text[m.end(1) :])
                found = [c for c in claims.extract(doc, vocab) if c.kind == "person-title"]
                target = next((c for c in found if c.start <= m.start(1) < c.end), None)
                if target is None:
                    outcome = "no claim"
                else:
                    periods = dating.periods(doc.text, found, knowledge)
                    before = doc.text[max(0, target.start - 30) : target.start]
                    v = offices.verdict(target, knowledge, None, before, periods.get(target.start))
                    outcome = "none" if v is None else "confirmed" if v.consistent else "refuted"
                counts[outcome] += 1
                if outcome != "refuted":
                    misses[(outcome, m.group(2), f"{m.group(1)} -> {other}")] += 1
    total = sum(counts.values())
    print(f"half {args.half}: {total} swaps; " + ", ".join(f"{k} {n} ({100 * n / max(total, 1):.1f}%)" for k, n in counts.most_common()))
    for (outcome, name, swap), n in misses.most_common(args.show):
        print(f"  {n:3d} {outcome}: {name}: {swap}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
