"""Accuracy of cross-source agreement (FA) on data nobody here wrote: MRPC and SemEval STS.

Usage:
    .venv/bin/python bench/eval_agreement.py ../shared/eval [--json bench/results/agreement.json]

MRPC (agreement/mrpc-train.tsv): every sentence pair is one event with two sources; the FA rules
run through the real engine over the whole set at once (8,152 documents, blocked by event). We
report how often a contradiction (FA101/FA102/FA105) fires on equivalent and on non-equivalent
pairs, and the precision of contradiction findings (a fired pair counts as correct when the pair
is labelled not equivalent). STS (agreement/sts-*.tsv): Pearson correlation of our alignment score
(rapidfuzz token_set ratio of the content words, halved when aligned claims contradict) with the
human 0–5 similarity, next to the plain token_set ratio as a baseline.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcheck import alignment, engine, ruleset  # noqa: E402
from qualcheck.backends import fuzzy  # noqa: E402
from qualcheck.claims import content_words  # noqa: E402
from qualcheck.document import Document  # noqa: E402

CONTRADICTION = ("FA101", "FA102", "FA105")


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    vx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    vy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return cov / (vx * vy) if vx and vy else float("nan")


def mrpc(path: Path) -> dict:
    pairs = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            pairs.append(row)
    docs = []
    for i, row in enumerate(pairs):
        for side in ("1", "2"):
            docs.append(
                Document(id=f"mrpc.jsonl#{i}-{side}", raw=row[f"sentence{side}"], fields={"event": f"p{i}", "source": f"source{side}"})
            )
    rules = [r for r in ruleset.load().rules if r.code.startswith("FA")]
    started = time.perf_counter()
    report = engine.check(docs, rules)
    seconds = time.perf_counter() - started
    fired: dict[int, set[str]] = {}
    for f in report.findings:
        if f.code in CONTRADICTION:
            fired.setdefault(int(f.document.split("#")[1].split("-")[0]), set()).add(f.code)
    eq = [i for i, r in enumerate(pairs) if r["equivalent"] == "1"]
    neq = [i for i, r in enumerate(pairs) if r["equivalent"] == "0"]
    fired_eq = sum(1 for i in eq if i in fired)
    fired_neq = sum(1 for i in neq if i in fired)
    by_code = {c: sum(1 for i in fired if c in fired[i]) for c in CONTRADICTION}
    groups = report.extra.get("claims", [])
    aligned = sum(1 for g in groups if g["status"] != "single-source")
    return {
        "pairs": len(pairs),
        "equivalent": len(eq),
        "not_equivalent": len(neq),
        "contradiction_on_equivalent": fired_eq,
        "contradiction_on_not_equivalent": fired_neq,
        "rate_on_equivalent": round(fired_eq / len(eq), 4),
        "rate_on_not_equivalent": round(fired_neq / len(neq), 4),
        "precision": round(fired_neq / (fired_eq + fired_neq), 4) if fired_eq + fired_neq else None,
        "recall_of_not_equivalent": round(fired_neq / len(neq), 4),
        "base_rate_not_equivalent": round(len(neq) / len(pairs), 4),
        "fired_pairs_by_code": by_code,
        "claim_groups": len(groups),
        "aligned_groups": aligned,
        "seconds": round(seconds, 1),
        "examples_false": [
            {"s1": pairs[i]["sentence1"], "s2": pairs[i]["sentence2"], "codes": sorted(fired[i])} for i in eq if i in fired
        ][:8],
    }


def alignment_score(s1: str, s2: str) -> tuple[float, float]:
    """(plain content-word token_set ratio, the same halved when an aligned claim is contradicted)."""
    plain = fuzzy.similarity(" ".join(content_words(s1)), " ".join(content_words(s2)), "token_set")
    docs = [Document(id="a", raw=s1, fields={"event": "e", "source": "a"}), Document(id="b", raw=s2, fields={"event": "e", "source": "b"})]
    result = alignment.analyse(docs, fuzzy)
    contradicted = any(g.status == "contradicted" for g in result.groups)
    return plain, plain * (0.5 if contradicted else 1.0)


def sts(path: Path) -> dict:
    human, plain, ours = [], [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 3:
                continue
            try:
                score = float(row[0])
            except ValueError:
                continue
            p, o = alignment_score(row[1], row[2])
            human.append(score)
            plain.append(p)
            ours.append(o)
    return {"pairs": len(human), "pearson_token_set": round(pearson(plain, human), 4), "pearson_alignment": round(pearson(ours, human), 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="the shared eval folder (holds agreement/)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    folder = args.data_dir / "agreement"
    if not folder.is_dir():
        parser.error(f"{folder}: not found")
    results = {"mrpc": mrpc(folder / "mrpc-train.tsv")}
    for name in sorted(p.name for p in folder.glob("sts-*.tsv")):
        results[name] = sts(folder / name)
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if args.json:  # numbers only: the eval sentences themselves must never be committed
        saved = {k: {kk: vv for kk, vv in v.items() if kk != "examples_false"} for k, v in results.items()}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
