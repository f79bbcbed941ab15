"""Could any per-article rule on MT900's sentence scores make the gate fail articles with garbled sentences?

Usage: python bench/eval_gate_garble.py ../shared/eval [--half A|B] [--lm] [--sample 60] [--clean 200] [--json FILE]

Builds, from one half (BBC files by ``eval_gate.half`` of category/file, the gate eval's halves; MLQE-PE sentences by
``eval_translation.half`` of the text, the halves MT900 was and was not fitted on), ``--sample`` BBC
articles with 3 machine-translated sentences that MLQE-PE's raters scored DA < 30 inserted between
paragraphs, and ``--clean`` other BBC articles of the same half. Scores every body sentence with the
MT rules (and the LM with ``--lm``), then prints, for sentence thresholds t and counts k, the share of
clean and of garbled articles with at least k sentences scoring t or more, and the same for the sum
of each article's 2 and 3 highest sentence scores at the 99th and 99.5th percentile of clean
articles. Choose t and k on half A; read half B.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import eval_gate  # noqa: E402
import eval_translation  # noqa: E402

from qualcheck import engine  # noqa: E402
from qualcheck.config import Settings  # noqa: E402

THRESHOLDS = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def build(eval_dir: Path, half: str, sample: int, clean: int, work: Path) -> tuple[list[str], Path, set[str]]:
    rng = random.Random(13)
    bad = [s for s in eval_gate.garbled_sentences(eval_dir) if eval_translation.half(s) == half]
    rng.shuffle(bad)
    pool = sorted(p for p in (eval_dir / "clean" / "bbc").rglob("*.txt") if eval_gate.half(p) == half)
    rng.shuffle(pool)
    folder = work / "garbled"
    folder.mkdir(parents=True, exist_ok=True)
    injected: set[str] = set()
    for k, p in enumerate(pool[:sample]):
        chosen = bad[3 * k : 3 * k + 3]
        injected.update(s.strip() for s in chosen)
        (folder / f"{p.parent.name}-{p.name}").write_text(eval_gate.with_inserted(p.read_text(encoding="utf-8"), chosen), encoding="utf-8")
    return [str(p) for p in pool[sample : sample + clean]], folder, injected


def scores(paths: tuple[str, ...], lm: bool, injected: set[str]) -> list[list[tuple[float, bool]]]:
    report = engine.run(Settings(paths=paths, root="/", lm=lm, cache=False, jobs=2, select=("MT",)))
    return [[(s["score"], d.text[s["start"] : s["end"]].strip() in injected) for s in d.sentences or []] for d in report.documents]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--half", choices=("A", "B"), default="A")
    ap.add_argument("--lm", action="store_true")
    ap.add_argument("--sample", type=int, default=60)
    ap.add_argument("--clean", type=int, default=200)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qc-gate-garble-") as tmp:
        clean_paths, folder, injected = build(a.eval_dir, a.half, a.sample, a.clean, Path(tmp))
        clean, garbled = scores(tuple(clean_paths), a.lm, injected), scores((str(folder),), a.lm, injected)
    rows = []
    clean_s = [s for doc in clean for s, _ in doc]
    bad_s = [s for doc in garbled for s, inj in doc if inj]
    print(f"half {a.half}, {'with' if a.lm else 'without'} the LM: {len(clean)} clean articles ({len(clean_s)} sentences), "
          f"{len(garbled)} garbled articles ({len(bad_s)} injected sentences found)\n")
    print("| t | clean sentences >= t | injected sentences >= t | k | clean articles failing | garbled articles failing |")
    print("|---|---|---|---|---|---|")
    for t in THRESHOLDS:
        for k in (1, 2, 3):
            cf = sum(sum(s >= t for s, _ in doc) >= k for doc in clean) / max(1, len(clean))
            gf = sum(sum(s >= t for s, _ in doc) >= k for doc in garbled) / max(1, len(garbled))
            row = {"t": t, "k": k, "clean_sentences": sum(s >= t for s in clean_s) / max(1, len(clean_s)),
                   "injected_sentences": sum(s >= t for s in bad_s) / max(1, len(bad_s)), "clean_fail": cf, "garbled_fail": gf}
            rows.append(row)
            print(f"| {t} | {row['clean_sentences']:.4f} | {row['injected_sentences']:.3f} | {k} | {cf:.3f} | {gf:.3f} |")
    print()
    for top in (2, 3):
        c = sorted(sum(sorted((s for s, _ in doc), reverse=True)[:top]) for doc in clean)
        g = [sum(sorted((s for s, _ in doc), reverse=True)[:top]) for doc in garbled]
        for q in (0.99, 0.995):
            t = c[max(0, int(q * len(c)) - 1)]
            print(f"sum of the {top} highest sentence scores: clean {100 * q:g}th percentile {t:.3f}; garbled articles above it {sum(x > t for x in g) / max(1, len(g)):.3f}")
    if a.json:
        a.json.write_text(json.dumps({"half": a.half, "lm": a.lm, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
