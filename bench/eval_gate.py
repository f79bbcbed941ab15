"""Does the recommended gate separate broken articles from edited news?

Runs qualcheck's recommended CI gate (``--fail-under BAR --fail-on error``, default rules, each
test article checked as a new article against the BBC corpus) on:

- clean: the BBC articles (professionally edited news; aim: >= 99% pass),
- the seeds (001 and 003 must fail),
- residue: BBC articles with the 3 lines that follow the article on an L3S-GN1 page appended
  (boilerplate labelled by L3S's annotators, from 400 other sites),
- garbled: BBC articles with 3 machine-translated sentences that MLQE-PE's raters scored DA < 30
  inserted between paragraphs,
- title: BBC articles where an office before a name ("Prime Minister Tony Blair") is swapped for
  another office ("President Tony Blair").

The injected sets use BBC half B (by a hash of the file name) so the clean half A can be used for
choosing scoring constants without looking at them.

Usage: python bench/eval_gate.py ../shared/eval [--sample 60] [--bar 70] [--work DIR] [--bbc-limit N]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qualcheck import engine  # noqa: E402
from qualcheck.config import Settings  # noqa: E402
from qualcheck.model import Severity  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OFFICES = ("Prime Minister", "President", "Chancellor", "Foreign Secretary", "Home Secretary", "Defence Secretary", "Health Secretary")
_OFFICE = re.compile(r"\b(" + "|".join(OFFICES) + r") ([A-Z][a-z]+ [A-Z][a-z]+)")


def half(name: str) -> str:
    return "A" if hashlib.sha1(name.encode()).digest()[0] % 2 == 0 else "B"


def gate(settings: Settings) -> tuple[int, int, dict[str, list[str]]]:
    report = engine.run(settings)
    failed = {}
    for doc in report.documents:
        reasons = engine.document_gate(doc, settings.fail_under, settings.gate_severity)
        if reasons:
            failed[doc.document] = reasons
    return len(report.documents), len(failed), failed


def residue_lines(eval_dir: Path, rng: random.Random, n: int) -> list[list[str]]:
    from eval_boilerplate import ARTICLE, load_pages

    blocks = []
    for page in load_pages(eval_dir / "boilerplate" / "l3s-gn1"):
        idx = [i for i, label in enumerate(page.labels) if label in ARTICLE]
        tail = [line for line, label in zip(page.lines[idx[-1] + 1 :], page.labels[idx[-1] + 1 :]) if label not in ARTICLE and len(line) >= 8][:3]
        if len(tail) == 3:
            blocks.append(tail)
    rng.shuffle(blocks)
    return blocks[:n]


def garbled_sentences(eval_dir: Path) -> list[str]:
    out = []
    for path in sorted((eval_dir / "translation").glob("mlqe-pe-*-en-dev.tsv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if float(row["da_mean_0to100"]) < 30 and len(row["mt"].split()) >= 8:
                    out.append(row["mt"].strip())
    return out


def build(eval_dir: Path, work: Path, sample: int, seed: int) -> dict[str, Path]:
    rng = random.Random(seed)
    bbc = sorted((eval_dir / "clean" / "bbc").rglob("*.txt"))
    pool = [p for p in bbc if half(p.name) == "B"]
    rng.shuffle(pool)
    sets = {name: work / name for name in ("residue", "garbled", "title")}
    for folder in sets.values():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    blocks = residue_lines(eval_dir, rng, sample)
    for p, block in zip(pool, blocks):
        (sets["residue"] / p.name).write_text(p.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n\n".join(block) + "\n", encoding="utf-8")
    bad = garbled_sentences(eval_dir)
    rng.shuffle(bad)
    for k, p in enumerate(pool[:sample]):
        paras = p.read_text(encoding="utf-8").split("\n\n")
        for j in range(3):
            at = min(len(paras), 2 + j * max(1, (len(paras) - 2) // 3))
            paras.insert(at, bad[3 * k + j])
        (sets["garbled"] / p.name).write_text("\n\n".join(paras), encoding="utf-8")
    titled = [p for p in bbc if half(p.name) == "B" and _OFFICE.search(p.read_text(encoding="utf-8"))]
    rng.shuffle(titled)
    for p in titled[:sample]:
        text = p.read_text(encoding="utf-8")
        m = _OFFICE.search(text)
        other = rng.choice([o for o in OFFICES if o != m.group(1)])
        (sets["title"] / p.name).write_text(text[: m.start(1)] + other + text[m.end(1) :], encoding="utf-8")
    return sets


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--sample", type=int, default=60)
    ap.add_argument("--bar", type=float, default=70.0)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--bbc-limit", type=int, default=None, help="check only the first N clean BBC articles")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="qualcheck-gate-"))
    bbc = args.eval_dir / "clean" / "bbc"
    sets = build(args.eval_dir, work, args.sample, args.seed)
    common = dict(root="/", fail_under=args.bar, fail_on=Severity.ERROR, cache=True, store=str(work / "store.db"), jobs=args.jobs)
    clean_paths = tuple(str(p) for p in sorted(bbc.rglob("*.txt"))[: args.bbc_limit]) if args.bbc_limit else (str(bbc),)
    rows = []
    started = time.perf_counter()
    n, failed, why = gate(Settings(paths=clean_paths, **common))
    rows.append(("clean BBC (edited news)", n, n - failed, "pass", why))
    n, failed, why = gate(Settings(paths=(str(ROOT / "seeds"),), **{**common, "root": str(ROOT)}))
    rows.append(("seeds", n, failed, "fail", why))
    for name, label in (("residue", "BBC + 3 L3S residue lines"), ("garbled", "BBC + 3 garbled MT sentences (DA < 30)"), ("title", "BBC + a swapped office title")):
        n, failed, why = gate(Settings(paths=(str(sets[name]),), corpus=(str(bbc),), **common))
        rows.append((label, n, failed, "fail", why))
    print(f"gate: --fail-under {args.bar:g} --fail-on error, default rules ({time.perf_counter() - started:.0f} s)\n")
    print("| set | articles | expected | as expected | share |")
    print("|---|---|---|---|---|")
    for label, n, ok, expect, _ in rows:
        print(f"| {label} | {n} | {expect} | {ok} | {100 * ok / max(n, 1):.1f}% |")
    seeds_failed = rows[1][4]
    print("\nseeds failing: " + ", ".join(f"{Path(k).name[:3]} ({'; '.join(v)})" for k, v in sorted(seeds_failed.items())))
    clean_failed = rows[0][4]
    if clean_failed:
        print("clean articles failing: " + "; ".join(f"{Path(k).name}: {' / '.join(v)}" for k, v in sorted(clean_failed.items())[:10]))
    for label, n, ok, expect, why in rows[2:]:
        passed = n - ok
        if passed:
            print(f"{label}: {passed} passed the gate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
