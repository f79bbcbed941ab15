"""Measure the grammar check (GR rules, through the real engine) on third-party data.

Usage: python bench/eval_grammar.py ../shared/eval [--rules GR101,GR103] [--bbc-limit N] [--skip-bbc]

- GUG learner sentences (gug-train.tsv): expert 4 = correct, <= 2 = erroneous (3 is left out).
  Each sentence is one document of one corpus, as a JSONL run would see it. Reported on the whole
  file and on its two halves by id parity (A = even ids, used for tuning; B = odd ids, held out).
  P/R/F1 of "any finding of the chosen rules", ROC-AUC of a per-sentence error score (the number
  of findings, weighted by the words a parse left out), Spearman of that score with the rating.
- GMEG-wiki (gmeg-wiki-dev.tsv): fluent native Wikipedia sentences (detokenised); flag rate on the
  sentences all references leave unchanged, and precision over all sentences.
- BBC (clean/bbc): findings per 1,000 sentences per rule, and speed: sentences/s of the GR rules,
  against a baseline run of every other rule over the same documents in the same process.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def score_of(findings) -> float:
    total = 0.0
    for f in findings:
        if f.code == "GR103":
            total += 0.5 + 0.5 * f.message.count("'") / 2  # more words left out, stronger evidence
        else:
            total += 1.0
    return total


def auc(pos: list[float], neg: list[float]) -> float:
    """ROC-AUC as the Mann-Whitney probability, ties counted half."""
    ranked = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    ranks: dict[float, float] = {}
    i = 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        ranks[ranked[i][0]] = (i + j + 1) / 2
        i = j
    r_pos = sum(ranks[s] for s in pos)
    return (r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def spearman(x: list[float], y: list[float]) -> float:
    def rank(v):
        order = sorted(range(len(v)), key=lambda k: v[k])
        r = [0.0] * len(v)
        i = 0
        while i < len(order):
            j = i
            while j < len(order) and v[order[j]] == v[order[i]]:
                j += 1
            for k in range(i, j):
                r[order[k]] = (i + j - 1) / 2
            i = j
        return r

    rx, ry = rank(x), rank(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy)


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


def gug(path: Path, rules, chosen: set[str]) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    texts = {f"gug-{r['id']}": r["sentence"] for r in rows}
    by_doc, elapsed, notices = run(texts, rules)
    print(f"GUG: {len(rows)} sentences checked in {elapsed:.1f}s ({len(rows) / elapsed:.0f} sentences/s)")
    for n in notices:
        print(f"  notice: {n.message}")
    rating = {f"gug-{r['id']}": int(r["expert_1to4"]) for r in rows}
    parity = {f"gug-{r['id']}": int(r["id"]) % 2 for r in rows}
    scores = {k: score_of([f for f in v if f.code in chosen]) for k, v in by_doc.items()}
    for name, keep in (("all", lambda k: True), ("A (even ids, tuning)", lambda k: parity[k] == 0), ("B (odd ids, held out)", lambda k: parity[k] == 1)):
        gold = {k: rating[k] <= 2 for k in rating if keep(k) and rating[k] != 3}
        flags = {k: scores[k] > 0 for k in gold}
        m = prf(flags, gold)
        a = auc([scores[k] for k in gold if gold[k]], [scores[k] for k in gold if not gold[k]])
        keys = [k for k in rating if keep(k)]
        rho = spearman([scores[k] for k in keys], [-rating[k] for k in keys])
        print(f"  {name:22} n={m['n']} erroneous={m['pos']}  P={m['P']:.3f} R={m['R']:.3f} F1={m['F1']:.3f}  ROC-AUC={a:.3f}  Spearman(score, -expert)={rho:.3f}")
    per_rule = Counter(f.code for v in by_doc.values() for f in v)
    print(f"  findings per rule: {dict(sorted(per_rule.items()))}")
    for code in sorted(per_rule):
        gold = {k: rating[k] <= 2 for k in rating if rating[k] != 3}
        flags = {k: any(f.code == code for f in by_doc[k]) for k in gold}
        m = prf(flags, gold)
        print(f"    {code} alone: P={m['P']:.3f} R={m['R']:.3f} F1={m['F1']:.3f}")


def gmeg(path: Path, rules, chosen: set[str]) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    texts = {f"gmeg-{r['id']}": detokenize(r["source"]) for r in rows}
    gold = {f"gmeg-{r['id']}": not any(r[f"ref{i}"] == r["source"] for i in range(4) if r.get(f"ref{i}")) for r in rows}
    by_doc, elapsed, _ = run(texts, rules)
    flags = {k: any(f.code in chosen for f in v) for k, v in by_doc.items()}
    m = prf(flags, gold)
    clean = [k for k, g in gold.items() if not g]
    rate = sum(flags[k] for k in clean) / len(clean)
    print(f"GMEG-wiki: {len(rows)} sentences ({m['pos']} erroneous, {len(clean)} unchanged by every reference)")
    print(f"  flagged {rate:.1%} of the unchanged sentences; P={m['P']:.3f} R={m['R']:.3f} F1={m['F1']:.3f}")
    per_rule = Counter(f.code for k in clean for f in by_doc[k])
    print(f"  findings on unchanged sentences per rule: {dict(sorted(per_rule.items()))}")


def bbc(folder: Path, gr_rules, other_rules, limit: int | None) -> None:
    files = sorted(p for p in folder.rglob("*.txt"))[: limit or None]
    texts = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace") for p in files}
    docs = [Document(id=k, raw=v) for k, v in texts.items()]
    sentences = sum(len(d.sentences) for d in docs)
    began = time.perf_counter()
    engine.check([Document(id=k, raw=v) for k, v in texts.items()], other_rules, Settings())
    base = time.perf_counter() - began
    by_doc, gr_time, notices = run(texts, gr_rules)
    began = time.perf_counter()
    engine.check([Document(id=k, raw=v) for k, v in texts.items()], list(other_rules) + list(gr_rules), Settings())
    both = time.perf_counter() - began
    per_rule = Counter(f.code for v in by_doc.values() for f in v)
    print(f"BBC: {len(docs)} articles, {sentences} sentences")
    print("  findings per 1,000 sentences: " + ", ".join(f"{c} {n * 1000 / sentences:.1f}" for c, n in sorted(per_rule.items()))
          + f"; all GR {sum(per_rule.values()) * 1000 / sentences:.1f}")
    print(f"  speed: GR rules alone {gr_time:.1f}s = {sentences / gr_time:.0f} sentences/s; "
          f"baseline (all other rules) {base:.1f}s = {sentences / base:.0f} sentences/s; "
          f"everything {both:.1f}s; ratio everything/baseline = {both / base:.2f}")
    examples = [f for v in by_doc.values() for f in v][:0]
    for f in examples:
        print("   ", f.code, f.excerpt, "|", f.message)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path, help="the shared evaluation folder (../shared/eval)")
    ap.add_argument("--rules", default="GR101,GR102,GR103,GR201,GR202", help="codes whose findings flag a sentence (GR104 is typography, not an error)")
    ap.add_argument("--bbc-limit", type=int, default=None, help="only the first N BBC articles")
    ap.add_argument("--skip-bbc", action="store_true")
    args = ap.parse_args()
    all_rules = ruleset.load().rules
    gr = [r for r in all_rules if r.code.startswith("GR")]
    others = [r for r in all_rules if not r.code.startswith("GR") and r.enabled and r.scope == "document"]
    chosen = set(args.rules.split(","))
    print(f"rules counted: {sorted(chosen)}")
    gug(args.eval_dir / "grammar" / "gug-train.tsv", gr, chosen)
    gmeg(args.eval_dir / "grammar" / "gmeg-wiki-dev.tsv", gr, chosen)
    if not args.skip_bbc:
        bbc(args.eval_dir / "clean" / "bbc", gr, others, args.bbc_limit)


if __name__ == "__main__":
    main()
