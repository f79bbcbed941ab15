"""Choose MT901's count and threshold from an eval_gate.py --sentences dump, on the tuning halves only.

Usage: python bench/choose_mt901.py DUMP [--min-words 6] [--held-out]

DUMP is ``bench/eval_gate.py ... --sentences DUMP`` run with MT901's threshold for the engine in
question out of the way (1.0), so that ``failed`` says whether the gate failed an article for any
other reason. For counts k and sentence thresholds t it prints how many articles would fail with
MT901 at (k, t): an article fails when it failed already or has k sentences of ``--min-words`` words
or more scoring t or more. Rows: clean BBC half A (the calibration half; the gate's goal is >= 99%
of all clean articles passing), the wmt and garbled tuning sets. ``--held-out`` adds clean BBC half B
and the held-out sets: run it once, after choosing, to report them (not to choose).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_gate import half  # noqa: E402

COUNTS = (1, 2, 3)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def groups(dump: Path, held_out: bool) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for line in dump.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        name = row["set"]
        if name == "clean":
            name = f"clean-{half(row['document'])}"
        out.setdefault(name, []).append(row)
    tune = ["clean-A", "wmt-tune", "garbled-tune"]
    test = ["clean-B", "wmt-test", "garbled-test"] if held_out else []
    return {k: out[k] for k in tune + test if k in out}


def fails(row: dict, k: int, t: float, min_words: int) -> bool:
    elevated = sum(1 for s, w in zip(row["scores"], row["words"]) if s >= t and w >= min_words)
    return row["failed"] or elevated >= k


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump", type=Path)
    ap.add_argument("--min-words", type=int, default=6)
    ap.add_argument("--held-out", action="store_true", help="also the held-out halves (report once, after choosing)")
    args = ap.parse_args(argv)
    sets = groups(args.dump, args.held_out)
    print("| k, t | " + " | ".join(f"{name} ({len(rows)})" for name, rows in sets.items()) + " |")
    print("|---|" + "---|" * len(sets))
    base = " | ".join(f"{sum(r['failed'] for r in rows)} ({100 * sum(r['failed'] for r in rows) / len(rows):.1f}%)" for rows in sets.values())
    print(f"| without MT901 | {base} |")
    for k in COUNTS:
        for t in THRESHOLDS:
            cells = []
            for rows in sets.values():
                n = sum(fails(r, k, t, args.min_words) for r in rows)
                cells.append(f"{n} ({100 * n / len(rows):.1f}%)")
            print(f"| {k}, {t} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
