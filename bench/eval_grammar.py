"""Measure the grammar check (GR rules, through the real engine) on third-party data.

Usage: python bench/eval_grammar.py ../shared/eval [--rules GR101,GR103] [--bbc-limit N] [--skip-bbc]

Every GR rule runs (GR103 included, although it is opt-in); the metrics are then computed for
several sets of counted rules: the default set (GR101, GR102, GR201, GR202), the default set
plus GR103, the grammar rules without spelling, GR103 alone, and --rules when given.

- GUG learner sentences (gug-train.tsv): expert 4 = correct, <= 2 = erroneous (3 is left out).
  Each sentence is one document of one corpus, as a JSONL run would see it. Reported on the whole
  file and on its two halves by id parity (A = even ids, used for tuning; B = odd ids, held out).
  P/R/F1 of "any finding of the chosen rules", ROC-AUC of a per-sentence error score (a weighted
  sum of the chosen rules' findings plus GR104's, see score_of), Spearman of that score with the rating.
- GMEG-wiki (gmeg-wiki-dev.tsv): fluent native Wikipedia sentences (detokenised); flag rate on the
  sentences all references leave unchanged, and precision over all sentences.
- BBC (clean/bbc): findings per 1,000 sentences per rule, on two halves split by a hash of the
  file path (tune: first byte of sha1 even; held out: odd). Speed is measured by bench/bench_grammar.py.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import auc, spearman  # noqa: E402  (bench/metrics.py, beside this script)
from qualcheck import engine, ruleset  # noqa: E402
from qualcheck.config import Settings  # noqa: E402
from qualcheck.document import Document  # noqa: E402

csv.field_size_limit(10**7)


def detokenize(text: str) -> str:
    """Undo PTB-style tokenisation of GMEG ("do n't", "word ,") so spacing is not itself an error."""
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    text = re.sub(r" ([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    text = re.sub(r'" (.*?) "', r'"\1"', text)
    return text.replace(" - ", "-") if " - " in text and "--" not in text else text


# Per-sentence error score: a weighted sum of the findings, weights chosen on GUG half A (ROC-AUC
# 0.787 there). Pattern rules are nearly always right; a failed parse counts once however many
# words it left out (more words did not rank better); typography (GR104) adds a little evidence,
# so it counts toward the score although it never flags a sentence on its own.
WEIGHTS = {"GR101": 0.5, "GR102": 1.5, "GR103": 1.0, "GR104": 0.5, "GR201": 1.5, "GR202": 1.5}


def score_of(findings) -> float:
    return sum(WEIGHTS.get(f.code, 0.5) for f in findings)


def run(texts: dict[str, str], rules) -> tuple[dict[str, list], float, list]:
    docs = [Document(id=k, raw=v) for k, v in texts.items()]
    began = time.perf_counter()
    report = engine.check(docs, rules, Settings())
    elapsed = time.perf_counter() - began
    by_doc: dict[str, list] = {k: [] for k in texts}
    for f in report.findings:
        by_doc[f.document].append(f)
    return by_doc, elapsed, list(report.notices)


def prf(flags: dict[str, bool], gold: dict[str, bool]) -> dict[str, float]:
    tp = sum(1 for k, g in gold.items() if g and flags[k])
    fp = sum(1 for k, g in gold.items() if not g and flags[k])
    fn = sum(1 for k, g in gold.items() if g and not flags[k])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0, "n": len(gold), "pos": tp + fn}


def gug(path: Path, rules, sets: dict[str, set[str]]) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    texts = {f"gug-{r['id']}": r["sentence"] for r in rows}
    by_doc, elapsed, notices = run(texts, rules)
    print(f"GUG: {len(rows)} sentences checked in {elapsed:.1f}s ({len(rows) / elapsed:.0f} sentences/s)")
    for n in notices:
        print(f"  notice: {n.message}")
    rating = {f"gug-{r['id']}": int(r["expert_1to4"]) for r in rows}
    parity = {f"gug-{r['id']}": int(r["id"]) % 2 for r in rows}
    for label, chosen in sets.items():
        print(f"  counted: {label} {sorted(chosen)}")
        scores = {k: score_of([f for f in v if f.code in chosen | {"GR104"}]) for k, v in by_doc.items()}
        hits = {k: any(f.code in chosen for f in v) for k, v in by_doc.items()}
        for name, keep in (("all", lambda k: True), ("A (even ids, tuning)", lambda k: parity[k] == 0), ("B (odd ids, held out)", lambda k: parity[k] == 1)):
            gold = {k: rating[k] <= 2 for k in rating if keep(k) and rating[k] != 3}
            flags = {k: hits[k] for k in gold}
            m = prf(flags, gold)
            a = auc([scores[k] for k in gold if gold[k]], [scores[k] for k in gold if not gold[k]])
            keys = [k for k in rating if keep(k)]
            rho = spearman([scores[k] for k in keys], [-rating[k] for k in keys])
            print(f"    {name:22} n={m['n']} erroneous={m['pos']}  P={m['P']:.3f} R={m['R']:.3f} F1={m['F1']:.3f}  ROC-AUC={a:.3f}  Spearman(score, -expert)={rho:.3f}")
    per_rule = Counter(f.code for v in by_doc.values() for f in v)
    print(f"  findings per rule: {dict(sorted(per_rule.items()))}")
    for code in sorted(per_rule):
        for name, keep in (("A", 0), ("B", 1)):
            gold = {k: rating[k] <= 2 for k in rating if rating[k] != 3 and parity[k] == keep}
            flags = {k: any(f.code == code for f in by_doc[k]) for k in gold}
            m = prf(flags, gold)
            print(f"    {code} alone, half {name}: P={m['P']:.3f} R={m['R']:.3f} F1={m['F1']:.3f}")


def gmeg(path: Path, rules, sets: dict[str, set[str]]) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    texts = {f"gmeg-{r['id']}": detokenize(r["source"]) for r in rows}
    gold = {f"gmeg-{r['id']}": not any(r[f"ref{i}"] == r["source"] for i in range(4) if r.get(f"ref{i}")) for r in rows}
    by_doc, elapsed, _ = run(texts, rules)
    clean = [k for k, g in gold.items() if not g]
    print(f"GMEG-wiki: {len(rows)} sentences ({len(rows) - len(clean)} erroneous, {len(clean)} unchanged by every reference)")
    for label, chosen in sets.items():
        flags = {k: any(f.code in chosen for f in v) for k, v in by_doc.items()}
        m = prf(flags, gold)
        rate = sum(flags[k] for k in clean) / len(clean)
        print(f"  {label:16} flagged {rate:.1%} of the unchanged sentences; P={m['P']:.3f} R={m['R']:.3f} F1={m['F1']:.3f}")
    per_rule = Counter(f.code for k in clean for f in by_doc[k])
    print(f"  findings on unchanged sentences per rule: {dict(sorted(per_rule.items()))}")


def bbc_half(rel: str) -> str:
    """Split BBC files by a hash of their path: 'tune' (used to set GR103's filters) or 'held' (reported)."""
    return "tune" if hashlib.sha1(rel.encode()).digest()[0] % 2 == 0 else "held"


def bbc(folder: Path, gr_rules, limit: int | None, show: int) -> None:
    files = sorted(p for p in folder.rglob("*.txt"))
    texts = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace") for p in files}
    for half in ("tune", "held"):
        part = {k: v for k, v in texts.items() if bbc_half(k) == half}
        part = dict(list(part.items())[: limit or None])
        sentences = sum(len(Document(id=k, raw=v).sentences) for k, v in part.items())
        by_doc, elapsed, _ = run(part, gr_rules)
        per_rule = Counter(f.code for v in by_doc.values() for f in v)
        print(f"BBC {half} half: {len(part)} articles, {sentences} sentences, {elapsed:.1f}s")
        print("  findings per 1,000 sentences: " + ", ".join(f"{c} {n * 1000 / sentences:.1f}" for c, n in sorted(per_rule.items()))
              + f"; default set {sum(n for c, n in per_rule.items() if c in DEFAULT) * 1000 / sentences:.1f}")
        for f in [f for v in by_doc.values() for f in v if f.code in ("GR103", "GR101")][:show]:
            print("   ", f.code, f.document, repr(f.excerpt), "|", f.message)


DEFAULT = {"GR101", "GR102", "GR201", "GR202"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path, help="the shared evaluation folder (../shared/eval)")
    ap.add_argument("--rules", default=None, help="another set of codes whose findings flag a sentence (GR104 is typography, not an error)")
    ap.add_argument("--bbc-limit", type=int, default=None, help="only the first N BBC articles of each half")
    ap.add_argument("--show", type=int, default=0, help="print N example BBC findings of GR101/GR103 per half")
    ap.add_argument("--skip-bbc", action="store_true")
    args = ap.parse_args()
    gr = [r for r in ruleset.load().rules if r.code.startswith("GR")]  # GR103 too, although it is opt-in
    sets = {
        "default": DEFAULT,
        "default+GR103": DEFAULT | {"GR103"},
        "grammar only": {"GR102", "GR103", "GR201", "GR202"},
        "GR103 alone": {"GR103"},
    }
    if args.rules:
        sets["--rules"] = set(args.rules.split(","))
    gug(args.eval_dir / "grammar" / "gug-train.tsv", gr, sets)
    gmeg(args.eval_dir / "grammar" / "gmeg-wiki-dev.tsv", gr, sets)
    if not args.skip_bbc:
        bbc(args.eval_dir / "clean" / "bbc", gr, args.bbc_limit, args.show)


if __name__ == "__main__":
    main()
