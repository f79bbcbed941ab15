"""Accuracy of cross-source agreement (FA) on data nobody here wrote: MRPC and SemEval STS.

Usage:
    .venv/bin/python bench/eval_agreement.py ../shared/eval [--json bench/results/agreement.json]
        [--mrpc-only] [--show-false] [--explain false|true|missed]

MRPC (agreement/mrpc-train.tsv): every sentence pair is one event with two sources; the FA rules
run through the real engine over the whole set at once (8,152 documents, blocked by event). We
report how often a contradiction (FA101/FA102/FA105/FA107) fires on equivalent and on non-equivalent
pairs, and the precision of contradiction findings (a fired pair counts as correct when the pair
is labelled not equivalent; a pair fires only through a finding whose related location is the
other sentence of the pair). Pairs are split into a tune and a test half by a hash of the pair
ids: extraction was tuned looking only at the tune half's false firings (``--show-false`` prints
them, never saved; ``--explain`` prints the tune half's false hits, true hits or misses with the
claims of both sides), and both halves are reported. STS (agreement/sts-*.tsv): Pearson correlation of our alignment score
(rapidfuzz token_set ratio of the content words, halved when aligned claims contradict) with the
human 0–5 similarity, next to the plain token_set ratio as a baseline.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics import pearson  # noqa: E402  (bench/metrics.py, beside this script)

from qualcheck import engine, ruleset  # noqa: E402
from qualcheck.agreement import alignment  # noqa: E402
from qualcheck.agreement.claims import content_words  # noqa: E402
from qualcheck.backends import fuzzy  # noqa: E402
from qualcheck.document import Document  # noqa: E402

CONTRADICTION = ("FA101", "FA102", "FA105", "FA107")


def half(row: dict) -> str:
    """'tune' or 'test': a fixed split by a hash of the pair id, so tuning never sees the test half."""
    digest = hashlib.sha1(f"{row['id1']}-{row['id2']}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "test"


def mrpc(path: Path, explain: str | None = None) -> dict:
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
    # a pair fires when a contradiction on one of its sentences names the other sentence as related
    # (person titles are compared across the whole corpus; a clash with another pair is not this pair's)
    fired: dict[int, set[str]] = {}
    cross = 0
    for f in report.findings:
        if f.code not in CONTRADICTION:
            continue
        pair = f.document.split("#")[1].split("-")[0]
        if any(loc.document.split("#")[1].split("-")[0] == pair for loc in f.related):
            fired.setdefault(int(pair), set()).add(f.code)
        else:
            cross += 1
    out = {"seconds": round(seconds, 1), "cross_pair_findings": cross}
    for name in ("all", "tune", "test"):
        idx = [i for i, r in enumerate(pairs) if name == "all" or half(r) == name]
        eq = [i for i in idx if pairs[i]["equivalent"] == "1"]
        neq = [i for i in idx if pairs[i]["equivalent"] == "0"]
        fired_eq = sum(1 for i in eq if i in fired)
        fired_neq = sum(1 for i in neq if i in fired)
        out[name] = {
            "pairs": len(idx),
            "equivalent": len(eq),
            "not_equivalent": len(neq),
            "contradiction_on_equivalent": fired_eq,
            "contradiction_on_not_equivalent": fired_neq,
            "rate_on_equivalent": round(fired_eq / len(eq), 4),
            "rate_on_not_equivalent": round(fired_neq / len(neq), 4),
            "precision": round(fired_neq / (fired_eq + fired_neq), 4) if fired_eq + fired_neq else None,
            "base_rate_not_equivalent": round(len(neq) / len(idx), 4),
            "fired_pairs_by_code": {c: sum(1 for i in idx if c in fired.get(i, ())) for c in CONTRADICTION},
        }
    groups = report.claims or []
    out["claim_groups"] = len(groups)
    out["aligned_groups"] = sum(1 for g in groups if g["status"] != "single-source")
    # printed for the developer (tune half only), never written by --json
    out["examples_false"] = [
        {"pair": i, "s1": pairs[i]["sentence1"], "s2": pairs[i]["sentence2"], "codes": sorted(fired[i]),
         "findings": [f.message for f in report.findings if f.code in CONTRADICTION and f.document.split("#")[1].split("-")[0] == str(i)]}
        for i in sorted(fired) if pairs[i]["equivalent"] == "1" and half(pairs[i]) == "tune"
    ]
    out["examples_fired_tune"] = [i for i in sorted(fired) if half(pairs[i]) == "tune"]
    if explain:
        out["explain"] = _explain(pairs, fired, report, explain)
    return out


def _explain(pairs: list[dict], fired: dict[int, set[str]], report, which: str) -> list[str]:
    """Readable lines for the developer about the tune half (never the test half, never saved):
    ``false`` = contradictions on equivalent pairs, ``true`` = on non-equivalent pairs, ``missed`` =
    non-equivalent pairs not flagged whose two sentences both carry figures or dates (with the
    claims each side gave, so a missed alignment or extraction shows)."""
    from qualcheck.agreement import claims as _claims

    messages: dict[int, list[str]] = {}
    for f in report.findings:
        if f.code in CONTRADICTION:
            messages.setdefault(int(f.document.split("#")[1].split("-")[0]), []).append(f"{f.code} {f.message}")
    lines = []
    for i, row in enumerate(pairs):
        if half(row) != "tune":
            continue
        eq = row["equivalent"] == "1"
        kind = ("false" if eq else "true") if i in fired else (None if eq else "missed")
        if kind != which:
            continue
        sides = []
        for side in ("1", "2"):
            doc = Document(id=side, raw=row[f"sentence{side}"])
            found = [c for c in _claims.extract(doc) if c.kind not in ("quote", "person-title")]
            sides.append("; ".join(f"{c.kind}:{c.subject}={c.value}" + (f" [{c.extra['owner']}]" if c.extra.get("owner") else "") for c in found))
        if kind == "missed" and not all(sides):
            continue
        lines += [f"{i} {kind}", f"  1: {row['sentence1']}", f"  2: {row['sentence2']}", f"  c1: {sides[0]}", f"  c2: {sides[1]}"]
        lines += [f"  > {m}" for m in messages.get(i, [])]
    return lines


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
    parser.add_argument("--mrpc-only", action="store_true", help="skip the STS files")
    parser.add_argument("--show-false", action="store_true", help="print the tune half's contradictions on equivalent pairs")
    parser.add_argument(
        "--explain", choices=("false", "true", "missed"),
        help="print the tune half's false hits, true hits or missed non-equivalent pairs with both sides' claims (text, not JSON)",
    )
    args = parser.parse_args()
    folder = args.data_dir / "agreement"
    if not folder.is_dir():
        parser.error(f"{folder}: not found")
    results = {"mrpc": mrpc(folder / "mrpc-train.tsv", args.explain)}
    if args.explain:
        print("\n".join(results["mrpc"].pop("explain")))
    for name in [] if args.mrpc_only else sorted(p.name for p in folder.glob("sts-*.tsv")):
        results[name] = sts(folder / name)
    shown = results if args.show_false else {k: {kk: vv for kk, vv in v.items() if not kk.startswith("examples_")} for k, v in results.items()}
    print(json.dumps(shown, indent=2, ensure_ascii=False))
    if args.json:  # numbers only: the eval sentences themselves must never be committed
        saved = {k: {kk: vv for kk, vv in v.items() if not kk.startswith("examples_")} for k, v in results.items()}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
