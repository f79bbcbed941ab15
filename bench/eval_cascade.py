"""Measure MT900's encoder cascade: encode only the sentences the surface model does not call fluent.

Usage: python bench/eval_cascade.py DATA_DIR [--json OUT] [--held-out T1,T2 [--mode same]] [--bbc-every N] [--cache FILE]

One engine run with the sentence encoder on every sentence (``--encoder``, WMT split by story as
``eval_translation.py --split doc``) gives each sentence of MLQE-PE, WMT23 and clean BBC its surface
features, its ``encoder`` feature (encoder_probe's log-odds) and its rule findings' weights. From
them every cascade is scored offline, as MT900 scores it (``encoder_cascade: T``): a sentence whose
surface probability sigmoid(eta of ``model``) is below T keeps the surface model's evidence, the
others the encoder model's. It prints, for a grid of T, the **tuning halves only** (MLQE-PE and WMT
half A, BBC half A: share of sentences encoded, MT900 flags per 1,000), so T is chosen without the
held-out halves; ``--held-out T`` then prints half B for default, full encoder and the cascade at T (only after T was chosen).

Modes for the sentences left unencoded: ``same`` (the surface model's own log-odds: both models
were calibrated so that the median clean BBC sentence of half A scores 0.05, so they share a scale
there), ``below`` (the surface log-odds minus 20: every unencoded sentence ranks under every encoded
one) and ``fit`` (a + b * surface log-odds, least squares of the encoder model's log-odds on the
surface model's, over the unencoded sentences of the tuning halves).
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
import tempfile
import time
from pathlib import Path

import eval_translation as et  # bench/, beside this script
from metrics import auc, spearman

from qualcheck import ruleset
from qualcheck.config import Settings, TranslationSettings
from qualcheck.kinds.translation_score import log_odds, softplus
from qualcheck.scoring.sentences import sigmoid, squash

GRID = (0.02, 0.03, 0.04, 0.042, 0.044, 0.046, 0.048, 0.05, 0.06, 0.07, 0.075, 0.08, 0.085, 0.09, 0.1, 0.12, 0.15, 0.2, 0.3, 0.5)
MODES = ("same", "below", "fit")


def collect(data: Path, bbc_every: int):
    """Run the engine once with the encoder on every sentence; each row/document -> its sentences
    as (words, findings' weight, surface log-odds, encoder-model log-odds)."""
    et.SPLIT = "doc"
    rules = [r for r in ruleset.load().select((), []) if r.code.startswith("MT")]
    p = next(r for r in rules if r.code == "MT900").params
    settings = Settings(translation=TranslationSettings(encoder=True))

    def sents(doc_report):
        out = []
        for s in doc_report.sentences or []:
            f = s.get("features", {})
            findings = sum(v for k, v in s["signals"].items() if k.startswith("MT"))
            out.append((max(1.0, round(math.exp(f.get("log_words", 0.0)))), findings, log_odds(p.model, f), log_odds(p.encoder_model, f)))
        return out

    sets = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        mlqe = et.load_mlqe(data)
        for pair in et.PAIRS:
            et.write_jsonl(tmp / f"mlqe-{pair}.jsonl", [r["mt"] for r in mlqe[pair]])
        report, _ = et.run_engine([tmp / f"mlqe-{q}.jsonl" for q in et.PAIRS], tmp, rules, settings)
        by_id = {d.document: d for d in report.documents}
        sets["mlqe"] = {pair: [(r, sents(by_id[f"mlqe-{pair}.jsonl#{i}"])) for i, r in enumerate(mlqe[pair])] for pair in et.PAIRS}
        wmt = et.load_wmt(data)
        et.write_jsonl(tmp / "wmt.jsonl", [r["target"] for r in wmt])
        report, _ = et.run_engine([tmp / "wmt.jsonl"], tmp, rules, settings)
        by_id = {d.document: d for d in report.documents}
        sets["wmt"] = [(r, sents(by_id[f"wmt.jsonl#{i}"])) for i, r in enumerate(wmt)]
    bbc = data / "clean" / "bbc"
    files = sorted(q for q in bbc.rglob("*") if q.is_file())[::bbc_every]
    report, _ = et.run_engine(files, bbc, rules, settings)
    sets["bbc"] = [(et.half(d.document), sents(d)) for d in report.documents]
    return sets, p


def evidence(s, t, mode, ab):
    """(sentence score, encoded?) under a cascade at surface probability t (t = None: no cascade; t = 'off': default)."""
    words, findings, eta_s, eta_e = s
    if t == "off":
        return squash(findings + softplus(eta_s)), False
    if t is None or sigmoid(eta_s) >= t:
        return squash(findings + softplus(eta_e)), True
    eta = eta_s if mode == "same" else eta_s - 20.0 if mode == "below" else ab[0] + ab[1] * eta_s
    return squash(findings + softplus(eta)), False


def garble(sents, t, mode, ab):
    if not sents:
        return 0.0
    scored = [(s[0], evidence(s, t, mode, ab)[0]) for s in sents]
    return sum(w * x for w, x in scored) / sum(w for w, _ in scored)


def measure(sets, p, which, t, mode="same", ab=(0.0, 1.0)):
    """Spearman (MLQE-PE mean over pairs, WMT), pooled DA < 30 AUC, BBC share encoded and MT900 flags, on half ``which``."""
    per = []
    bad, good = [], []
    for pair in et.PAIRS:
        rows = [(r, ss) for r, ss in sets["mlqe"][pair] if et.row_half(r) == which]
        g = [garble(ss, t, mode, ab) for _, ss in rows]
        per.append(spearman(g, [float(r["da_z_mean"]) for r, _ in rows]))
        bad += [x for x, (r, _) in zip(g, rows) if float(r["da_mean_0to100"]) < 30]
        good += [x for x, (r, _) in zip(g, rows) if float(r["da_mean_0to100"]) >= 70 and float(r["hter"]) <= 0.1]
    rows = [(r, ss) for r, ss in sets["wmt"] if et.row_half(r) == which]
    wmt = spearman([garble(ss, t, mode, ab) for _, ss in rows], [float(r["mqm_mean"]) for r, _ in rows])
    bbc = [s for h, ss in sets["bbc"] if h == which for s in ss]
    threshold = p.threshold if t == "off" else p.encoder_threshold
    encoded = flags = 0
    for s in bbc:
        score, enc = evidence(s, t, mode, ab)
        encoded += enc
        flags += score >= threshold and s[0] >= p.min_words
    return {
        "mlqe_mean_spearman_da": round(-sum(per) / len(per), 4),  # garble vs DA: negative; reported as agreement (sign flipped)
        "wmt_spearman_mqm": round(wmt, 4),
        "auc_da30": round(auc(bad, good), 4),
        "bbc_sentences": len(bbc),
        "bbc_share_encoded": round(encoded / max(1, len(bbc)), 4),
        "bbc_mt900_flags_per_1000": round(1000 * flags / max(1, len(bbc)), 2),
    }


def fit_map(sets, t):
    """Least squares eta_encoder ~ a + b * eta_surface over the tuning halves' sentences a cascade at t leaves unencoded."""
    pts = [(s[2], s[3]) for pair in et.PAIRS for r, ss in sets["mlqe"][pair] if et.row_half(r) == "A" for s in ss]
    pts += [(s[2], s[3]) for r, ss in sets["wmt"] if et.row_half(r) == "A" for s in ss]
    pts += [(s[2], s[3]) for h, ss in sets["bbc"] if h == "A" for s in ss]
    pts = [(x, y) for x, y in pts if sigmoid(x) < t]
    n = len(pts)
    mx, my = sum(x for x, _ in pts) / n, sum(y for _, y in pts) / n
    b = sum((x - mx) * (y - my) for x, y in pts) / max(1e-9, sum((x - mx) ** 2 for x, _ in pts))
    return (round(my - b * mx, 4), round(b, 4))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the shared evaluation folder (../shared/eval)")
    ap.add_argument("--json", type=Path, help="write all numbers here")
    ap.add_argument("--held-out", default="", help="report half B for default, full encoder and the cascade at these thresholds (comma-separated)")
    ap.add_argument("--mode", choices=MODES, default="same", help="with --held-out: how the unencoded sentences are scored")
    ap.add_argument("--bbc-every", type=int, default=1, help="run every Nth BBC document only")
    ap.add_argument("--cache", type=Path, help="keep the engine run's sentences in this file (outside the project) and reuse them")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    et.SPLIT = "doc"  # WMT halves by news story, as eval_translation.py --split doc (also when the run comes from --cache)
    out = {"tune": {}, "grid": list(GRID), "modes": list(MODES)}
    if args.cache and args.cache.exists():
        sets, p = pickle.loads(args.cache.read_bytes())
    else:
        sets, p = collect(args.data, args.bbc_every)
        out["engine_seconds"] = round(time.perf_counter() - t0, 1)  # the run with the encoder on every sentence
        if args.cache:
            args.cache.write_bytes(pickle.dumps((sets, p)))
    w = sys.stdout.write
    out["tune"]["default"] = measure(sets, p, "A", "off")
    out["tune"]["encoder"] = measure(sets, p, "A", None)
    w(f"tuning halves (A): default {out['tune']['default']}\n  full encoder {out['tune']['encoder']}\n")
    for mode in MODES:
        for t in GRID:
            ab = fit_map(sets, t) if mode == "fit" else (0.0, 1.0)
            m = measure(sets, p, "A", t, mode, ab) | ({"map": ab} if mode == "fit" else {})
            out["tune"][f"{mode}@{t}"] = m
            w(f"  {mode:5s} T={t:<5} {m}\n")
    if args.held_out:
        mode = args.mode
        out["held_out"] = {"mode": mode, "default": measure(sets, p, "B", "off"), "encoder": measure(sets, p, "B", None)}
        for t in (float(x) for x in args.held_out.split(",")):
            ab = fit_map(sets, t) if mode == "fit" else (0.0, 1.0)
            out["held_out"][f"cascade@{t}"] = measure(sets, p, "B", t, mode, ab)
        w(f"held out (B): {json.dumps(out['held_out'], indent=1)}\n")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
