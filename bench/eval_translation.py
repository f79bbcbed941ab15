"""Measure the garble score against human judgements of machine translation, and its flags on clean news.

Usage: python bench/eval_translation.py DATA_DIR [--sets mlqe,wmt,bbc] [--tune] [--lm] [--calibrate-lm]
       [--bbc-every N] [--json OUT]

DATA_DIR is ../shared/eval (never copied into the project). Each set is written to a temporary
JSONL corpus (one sentence per document) and run through the real engine once, with the MT rules:
- MLQE-PE {ru,ro,et,ne,si}-en dev: Pearson/Spearman of the garble score (100 - scores.translation)
  with da_z_mean and hter, per pair and averaged; ROC-AUC of DA < 30 vs DA >= 70 & HTER <= 0.1.
- WMT23 MQM zh-en news: the same with mqm_mean.
- BBC clean news: MT findings per 1,000 sentences, per rule.
Rows are split in two halves by a hash of the MT sentence; weights are tuned on half A (--tune
prints the best weights found on A), and both halves are reported. Per-signal numbers use each
rule's finding count alone as the score.

--lm turns on language-model surprisal (needs the qualcheck[lm] extra) and reports its load time,
the per-signal numbers of its raw length-corrected z (``lm-z``) and of its evidence; run the script
with and without --lm in the same session for the speed ratio. --calibrate-lm fits MT900's
lm_intercept/lm_slope/lm_scale (mean surprisal = a + b ln(tokens)) on the BBC sentences it runs.
--bbc-every N runs every Nth BBC document only, and --sample N keeps about 1 in N MLQE-PE and WMT rows
(chosen by a salted hash, independent of the A/B halves): the LM scores only a few sentences/s on
a busy 2-core machine. Compare runs with and without --lm on the same sample.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from metrics import auc, pearson, spearman  # bench/metrics.py, beside this script
from qualcheck import discover, engine, ruleset
from qualcheck.config import Settings, TranslationSettings
from qualcheck.translation import squash

PAIRS = ("ru", "ro", "et", "ne", "si")


def half(text: str) -> str:
    return "A" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


# -- running the engine -------------------------------------------------------------------


def run_engine(paths, root: Path, rules, settings=None):
    loaded = discover.load([str(p) for p in paths], root, [], None)
    t0 = time.perf_counter()
    report = engine.check(loaded.documents, rules, settings)
    return report, time.perf_counter() - t0


def features(doc_report) -> dict[str, float]:
    """Evidence counts per rule for one single-sentence document, plus its garble score."""
    counts: Counter = Counter(f.code for f in doc_report.findings if f.category == "translation" and f.code != "MT900")
    for s in doc_report.extra.get("sentences", []):
        for name, value in s["signals"].items():
            if not name.startswith("MT"):
                counts[name] += value
        if "surprisal" in s:
            counts["lm-z"] = max(counts.get("lm-z", -99.0), s["surprisal"]["z"])
    translation = doc_report.score.categories.get("translation")
    counts["garble"] = 0.0 if translation is None else (100.0 - translation) / 100.0
    return dict(counts)


def write_jsonl(path: Path, texts):
    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")


def sampled(text: str, every: int) -> bool:
    """Keep about 1 row in ``every``, by a hash salted so the choice is independent of the halves."""
    return every <= 1 or int(hashlib.sha1(("sample\x1f" + text).encode("utf-8")).hexdigest(), 16) % every == 0


def load_mlqe(data: Path, every: int = 1):
    rows = {}
    for pair in PAIRS:
        path = data / "translation" / f"mlqe-pe-{pair}-en-dev.tsv"
        with path.open(encoding="utf-8") as fh:
            rows[pair] = [r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if sampled(r["mt"], every)]
    return rows


def load_wmt(data: Path, every: int = 1):
    path = data / "translation" / "wmt23-mqm-zhen-news.tsv"
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if sampled(r["target"], every)]


# -- scoring the sets ---------------------------------------------------------------------


def garble_of(feat: dict, weights: dict | None) -> float:
    if weights is None:
        return feat["garble"]
    return squash(sum(weights.get(k, 0.0) * v for k, v in feat.items() if k != "garble"))


def evaluate_mlqe(rows, feats, weights=None, signal=None):
    out = {}
    for which in ("A", "B", "all"):
        per = {}
        for pair in PAIRS:
            sel = [(r, f) for r, f in zip(rows[pair], feats[pair]) if which == "all" or half(r["mt"]) == which]
            g = [f.get(signal, 0.0) if signal else garble_of(f, weights) for _, f in sel]
            da = [float(r["da_z_mean"]) for r, _ in sel]
            hter = [float(r["hter"]) for r, _ in sel]
            bad = [x for x, (r, _) in zip(g, sel) if float(r["da_mean_0to100"]) < 30]
            good = [x for x, (r, _) in zip(g, sel) if float(r["da_mean_0to100"]) >= 70 and float(r["hter"]) <= 0.1]
            per[pair] = {
                "n": len(sel),
                "pearson_da": pearson(g, da),
                "spearman_da": spearman(g, da),
                "pearson_hter": pearson(g, hter),
                "spearman_hter": spearman(g, hter),
                "auc": auc(bad, good),
                "n_bad": len(bad),
                "n_good": len(good),
            }
        all_bad = [b for p in PAIRS for b in _split(rows[p], feats[p], which, weights, signal, "bad")]
        all_good = [b for p in PAIRS for b in _split(rows[p], feats[p], which, weights, signal, "good")]
        out[which] = {
            "pairs": per,
            "mean_spearman_da": sum(per[p]["spearman_da"] for p in PAIRS) / len(PAIRS),
            "mean_pearson_da": sum(per[p]["pearson_da"] for p in PAIRS) / len(PAIRS),
            "mean_spearman_hter": sum(per[p]["spearman_hter"] for p in PAIRS) / len(PAIRS),
            "auc_pooled": auc(all_bad, all_good),
        }
    return out


def _split(rows, feats, which, weights, signal, label):
    for r, f in zip(rows, feats):
        if which != "all" and half(r["mt"]) != which:
            continue
        da, hter = float(r["da_mean_0to100"]), float(r["hter"])
        x = f.get(signal, 0.0) if signal else garble_of(f, weights)
        if label == "bad" and da < 30:
            yield x
        elif label == "good" and da >= 70 and hter <= 0.1:
            yield x


def evaluate_wmt(rows, feats, weights=None, signal=None):
    out = {}
    for which in ("A", "B", "all"):
        sel = [(r, f) for r, f in zip(rows, feats) if which == "all" or half(r["target"]) == which]
        g = [f.get(signal, 0.0) if signal else garble_of(f, weights) for _, f in sel]
        mqm = [float(r["mqm_mean"]) for r, _ in sel]
        major_fluency = [x for x, (r, _) in zip(g, sel) if int(r["n_major"]) > 0 and int(r["n_fluency_or_style"]) > 0]
        clean = [x for x, (r, _) in zip(g, sel) if float(r["mqm_mean"]) == 0]
        out[which] = {
            "n": len(sel),
            "pearson_mqm": pearson(g, mqm),
            "spearman_mqm": spearman(g, mqm),
            "auc_major_fluency_vs_clean": auc(major_fluency, clean),
        }
    return out


def tune(mlqe_rows, mlqe_feats, wmt_rows, wmt_feats, names, grid=(0.0, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)):
    """Coordinate search for non-negative weights maximising half-A mean Spearman (MLQE + WMT)."""

    def objective(w):
        m = evaluate_mlqe(mlqe_rows, mlqe_feats, w)["A"]["mean_spearman_da"]
        k = evaluate_wmt(wmt_rows, wmt_feats, w)["A"]["spearman_mqm"] if wmt_rows else 0.0
        return -m + k  # garble should fall as DA rises and rise with MQM

    weights = {n: 1.0 for n in names}
    best = objective(weights)
    for _ in range(2):
        for n in names:
            for value in grid:
                trial = {**weights, n: value}
                score = objective(trial)
                if score > best + 1e-4:
                    best, weights = score, trial
    return weights, best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the shared evaluation folder (../shared/eval)")
    ap.add_argument("--sets", default="mlqe,wmt,bbc")
    ap.add_argument("--select", default="MT", help="rule codes or prefixes to run (default MT)")
    ap.add_argument("--ignore", default="", help="rule codes to leave out")
    ap.add_argument("--tune", action="store_true", help="search weights on half A and report both halves")
    ap.add_argument("--json", type=Path, help="write all numbers here")
    ap.add_argument("--lm", action="store_true", help="add language-model surprisal (qualcheck[lm] extra)")
    ap.add_argument("--calibrate-lm", action="store_true", help="fit MT900's lm_intercept/lm_slope/lm_scale on BBC (implies --lm)")
    ap.add_argument("--bbc-every", type=int, default=1, help="run every Nth BBC document only")
    ap.add_argument("--bbc-start", type=int, default=0, help="with --bbc-every: start at this document (another subset)")
    ap.add_argument("--sample", type=int, default=1, help="keep about 1 in N MLQE-PE and WMT rows")
    ap.add_argument("--features", type=Path, help="write each MLQE-PE/WMT row's labels and signals here (JSON Lines)")
    args = ap.parse_args(argv)
    args.lm = args.lm or args.calibrate_lm
    sets = set(args.sets.split(","))
    rules = ruleset.load().select(args.select.split(","), [c for c in args.ignore.split(",") if c])
    codes = sorted(r.code for r in rules if r.category == "translation" and r.code != "MT900")
    results: dict = {"rules": [r.code for r in rules]}
    settings = Settings(translation=TranslationSettings(lm=args.lm))
    measured = ["rare-words"]
    if args.lm:
        from qualcheck.backends import lm

        t0 = time.perf_counter()
        scorer, reason = lm.load()
        if scorer is None:
            sys.exit(f"eval_translation: --lm: {reason}")
        results["lm"] = {"engine": reason, "load_seconds": round(time.perf_counter() - t0, 1)}
        measured += ["lm-surprisal", "lm-z"]
    mlqe_rows = wmt_rows = None
    mlqe_feats: dict = {}
    wmt_feats: list = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if "mlqe" in sets:
            mlqe_rows = load_mlqe(args.data, args.sample)
            for pair in PAIRS:
                write_jsonl(tmp / f"mlqe-{pair}.jsonl", [r["mt"] for r in mlqe_rows[pair]])
            report, secs = run_engine([tmp / f"mlqe-{p}.jsonl" for p in PAIRS], tmp, rules, settings)
            by_id = {d.document: d for d in report.documents}
            for pair in PAIRS:
                mlqe_feats[pair] = [features(by_id[f"mlqe-{pair}.jsonl#{i}"]) for i in range(len(mlqe_rows[pair]))]
            n = sum(len(v) for v in mlqe_rows.values())
            results["mlqe"] = {"seconds": round(secs, 2), "sentences_per_second": round(n / secs, 1), "combined": evaluate_mlqe(mlqe_rows, mlqe_feats)}
            results["mlqe"]["signals"] = {c: evaluate_mlqe(mlqe_rows, mlqe_feats, signal=c)["all"] for c in codes + measured}
            results["mlqe"]["fires"] = _fires(mlqe_rows, mlqe_feats, codes + measured)
        if "wmt" in sets:
            wmt_rows = load_wmt(args.data, args.sample)
            write_jsonl(tmp / "wmt.jsonl", [r["target"] for r in wmt_rows])
            report, secs = run_engine([tmp / "wmt.jsonl"], tmp, rules, settings)
            by_id = {d.document: d for d in report.documents}
            wmt_feats = [features(by_id[f"wmt.jsonl#{i}"]) for i in range(len(wmt_rows))]
            results["wmt"] = {"seconds": round(secs, 2), "sentences_per_second": round(len(wmt_rows) / secs, 1), "combined": evaluate_wmt(wmt_rows, wmt_feats)}
            results["wmt"]["signals"] = {c: evaluate_wmt(wmt_rows, wmt_feats, signal=c)["all"] for c in codes + measured}
    if "bbc" in sets:
        bbc = args.data / "clean" / "bbc"
        files = sorted(p for p in bbc.rglob("*") if p.is_file())[args.bbc_start :: args.bbc_every]
        report, secs = run_engine(files, bbc, rules, settings)
        n_sent = sum(len(d.extra.get("sentences", [])) for d in report.documents)
        if args.calibrate_lm:
            results["lm_calibration"] = calibrate([s["surprisal"] for d in report.documents for s in d.extra.get("sentences", [])])
        per_code = Counter(f.code for f in report.findings if f.category == "translation")
        scores = [d.score.categories.get("translation") or 0 for d in report.documents]
        results["bbc"] = {
            "documents": len(report.documents),
            "sentences": n_sent,
            "seconds": round(secs, 2),
            "sentences_per_second": round(n_sent / secs, 1),
            "flags_per_1000_sentences": round(1000 * sum(per_code.values()) / max(1, n_sent), 2),
            "per_rule_per_1000": {c: round(1000 * per_code[c] / max(1, n_sent), 2) for c in sorted(per_code)},
            "mean_translation_score": round(sum(scores) / max(1, len(scores)), 2),
            "examples": [
                {"document": f.document, "code": f.code, "excerpt": f.excerpt[:80]} for f in report.findings if f.category == "translation"
            ][:60],
        }
    if args.features:
        with args.features.open("w", encoding="utf-8") as fh:
            for pair in mlqe_feats:
                for r, f in zip(mlqe_rows[pair], mlqe_feats[pair]):
                    row = {"set": f"mlqe-{pair}", "half": half(r["mt"]), "da_z": float(r["da_z_mean"]), "da": float(r["da_mean_0to100"]), "hter": float(r["hter"])}
                    fh.write(json.dumps({**row, **f}) + "\n")
            for r, f in zip(wmt_rows or [], wmt_feats):
                fh.write(json.dumps({"set": "wmt", "half": half(r["target"]), "mqm": float(r["mqm_mean"]), **f}) + "\n")
    if args.tune and mlqe_rows:
        names = [n for n in codes + measured if n != "lm-z"]  # lm-z is the raw measure, not evidence
        current = {c: 1.0 for c in names}
        weights, best = tune(mlqe_rows, mlqe_feats, wmt_rows or [], wmt_feats, names)
        results["tuned"] = {
            "weights_per_occurrence": weights,
            "objective_A": best,
            "mlqe": {k: v for k, v in evaluate_mlqe(mlqe_rows, mlqe_feats, weights).items() if k in ("A", "B")},
            "wmt": evaluate_wmt(wmt_rows, wmt_feats, weights) if wmt_rows else None,
            "unit_weights_mlqe": {k: v["mean_spearman_da"] for k, v in evaluate_mlqe(mlqe_rows, mlqe_feats, current).items()},
        }
    _print(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True, default=float) + "\n", encoding="utf-8")
    return 0


def calibrate(surprisals):
    """Least-squares line mean = a + b ln(tokens) over clean sentences, and the residuals' standard deviation."""
    pts = [(math.log(s["tokens"]), s["mean"]) for s in surprisals if s["tokens"] >= 2]
    n = len(pts)
    mx, my = sum(x for x, _ in pts) / n, sum(y for _, y in pts) / n
    b = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    a = my - b * mx
    sd = math.sqrt(sum((y - a - b * x) ** 2 for x, y in pts) / (n - 2))
    return {"sentences": n, "lm_intercept": round(a, 4), "lm_slope": round(b, 4), "lm_scale": round(sd, 4)}


def _fires(rows, feats, names):
    """Share of garbled (DA < 30) and of fine sentences on which each signal fires, pooled."""
    out = {}
    for n in names:
        bad = [f.get(n, 0) > 0 for p in PAIRS for r, f in zip(rows[p], feats[p]) if float(r["da_mean_0to100"]) < 30]
        good = [
            f.get(n, 0) > 0 for p in PAIRS for r, f in zip(rows[p], feats[p]) if float(r["da_mean_0to100"]) >= 70 and float(r["hter"]) <= 0.1
        ]
        out[n] = {"bad": round(sum(bad) / max(1, len(bad)), 4), "good": round(sum(good) / max(1, len(good)), 4)}
    return out


def _fmt(x):
    return "  nan" if x != x else f"{x:+.3f}"


def _print(results):
    w = sys.stdout.write
    if "lm" in results:
        w(f"LM: {results['lm']['engine']}; load {results['lm']['load_seconds']} s\n")
    if "lm_calibration" in results:
        w(f"LM calibration on BBC: {results['lm_calibration']}\n")
    if "mlqe" in results:
        m = results["mlqe"]
        w(f"MLQE-PE: {m['seconds']} s, {m['sentences_per_second']} sentences/s\n")
        for which in ("A", "B", "all"):
            c = m["combined"][which]
            w(f"  combined [{which}] mean Spearman(DA) {_fmt(c['mean_spearman_da'])} Pearson(DA) {_fmt(c['mean_pearson_da'])} "
              f"Spearman(HTER) {_fmt(c['mean_spearman_hter'])} pooled AUC {c['auc_pooled']:.3f}\n")
            for p, v in c["pairs"].items():
                w(f"    {p}-en n={v['n']:4d} S(DA) {_fmt(v['spearman_da'])} P(DA) {_fmt(v['pearson_da'])} S(HTER) {_fmt(v['spearman_hter'])} "
                  f"P(HTER) {_fmt(v['pearson_hter'])} AUC {v['auc']:.3f} ({v['n_bad']} bad / {v['n_good']} good)\n")
        w("  per signal (all rows): mean S(DA), pooled AUC, fires on bad / good\n")
        for name, v in m["signals"].items():
            f = m["fires"][name]
            w(f"    {name:11s} S(DA) {_fmt(v['mean_spearman_da'])} AUC {v['auc_pooled']:.3f}  fires {f['bad']:.3f} / {f['good']:.3f}\n")
    if "wmt" in results:
        m = results["wmt"]
        w(f"WMT23 MQM zh-en news: {m['seconds']} s, {m['sentences_per_second']} sentences/s\n")
        for which in ("A", "B", "all"):
            c = m["combined"][which]
            w(f"  combined [{which}] n={c['n']} Spearman(MQM) {_fmt(c['spearman_mqm'])} Pearson(MQM) {_fmt(c['pearson_mqm'])} "
              f"AUC(major fluency vs clean) {c['auc_major_fluency_vs_clean']:.3f}\n")
        for name, v in m["signals"].items():
            w(f"    {name:11s} S(MQM) {_fmt(v['spearman_mqm'])} P(MQM) {_fmt(v['pearson_mqm'])}\n")
    if "bbc" in results:
        b = results["bbc"]
        w(f"BBC clean: {b['documents']} documents, {b['sentences']} sentences, {b['seconds']} s ({b['sentences_per_second']}/s); "
          f"{b['flags_per_1000_sentences']} MT flags per 1,000 sentences {b['per_rule_per_1000']}; mean translation score {b['mean_translation_score']}\n")
    if "tuned" in results:
        t = results["tuned"]
        w(f"tuned on A: weights {t['weights_per_occurrence']}\n")
        for which in ("A", "B"):
            c = t["mlqe"][which]
            w(f"  MLQE [{which}] mean S(DA) {_fmt(c['mean_spearman_da'])} pooled AUC {c['auc_pooled']:.3f}\n")
            if t["wmt"]:
                w(f"  WMT  [{which}] S(MQM) {_fmt(t['wmt'][which]['spearman_mqm'])}\n")


if __name__ == "__main__":
    raise SystemExit(main())
