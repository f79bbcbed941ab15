"""Measure the garble score against human judgements of machine translation, and its flags on clean news.

Usage: python bench/eval_translation.py DATA_DIR [--sets mlqe,wmt,bbc] [--fit] [--lm] [--lm-cache FILE]
       [--calibrate-lm] [--bbc-every N] [--sample N] [--features OUT] [--json OUT] [--probe-out FILE]
       [--encoder [--encoder-layers 1,2,3,4,5,6] [--encoder-cascade T]] [--split doc]

DATA_DIR is ../shared/eval (never copied into the project). Each set is written to a temporary
JSONL corpus (one sentence per document) and run through the real engine once, with the MT rules:
- MLQE-PE {ru,ro,et,ne,si}-en dev: Pearson/Spearman of the garble score (100 - scores.translation)
  with da_z_mean and hter, per pair and averaged; ROC-AUC of DA < 30 vs DA >= 70 & HTER <= 0.1.
- WMT23 MQM zh-en news: the same with mqm_mean.
- BBC clean news: MT findings per 1,000 sentences, per rule, for all documents and per half.
Rows (and BBC documents) are split in halves A/B by a hash of the text (of the path); with --split doc
WMT rows are split by their news document instead (MT900 was fitted on the text-hash half A). Per-signal
numbers score each rule's finding count, or each statistic MT900's model reads (``f:slor``...),
alone, on both halves.

--fit refits MT900's model (``model``; ``lm_model`` with --lm; the features named in the YAML) by
L2-regularised logistic regression on half A of MLQE-PE (DA < 50) and WMT (MQM >= 5 vs <= 1), sets
its intercept so the median sentence of BBC half A scores 0.05 and picks the lowest threshold
keeping BBC half A's MT900 flags within 1 per 1,000 sentences, and reports half B of everything:
copy the printed model into rules/translation/MT900-garbled-sentence.yaml. With --lm it first fits the
lm_probe (fit_probe: a linear model on each sentence's pooled LM state) and gives the model its
out-of-fold log-odds as the ``probe`` feature; --probe-out FILE writes the probe's YAML.

--encoder runs MT900 with the sentence encoder (qualcheck --encoder: encoder_model and encoder_probe).
With --fit it fits them instead, as --lm does the LM's: the engine runs without the encoder, each
sentence's pooled state comes from qualcheck/backends/encoder.py (cached under
/tmp/qualcheck-encoder-states), fit_probe fits the probe on half A (its layer among --encoder-layers
and its L2 chosen by out-of-fold ROC-AUC on half A), its out-of-fold log-odds become the model's
``encoder`` feature, and --probe-out FILE writes encoder_threshold, encoder_model and encoder_probe
as YAML for MT900's params. The shipped model was fitted with
``--split doc --encoder --fit --probe-out FILE`` (README of bench/, "The encoder as an engine of MT900").

--lm turns on the language model (needs the qualcheck[lm] extra) and reports its load time; run
the script with and without --lm in the same session for the speed ratio. --lm-cache FILE (outside
the project) keeps every sentence's token surprisal so refits re-run in seconds (its timings then
measure the cache, not the model). --calibrate-lm fits MT900's lm_intercept/lm_slope/lm_scale
(reported surprisal z) on the BBC sentences it runs. --bbc-every N runs every Nth BBC document only,
and --sample N keeps about 1 in N MLQE-PE and WMT rows (chosen by a salted hash, independent of the
halves): the LM scores only a few sentences/s on a busy 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
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
from qualcheck.kinds.translation_score import log_odds, softplus
from qualcheck.scoring.sentences import squash

PAIRS = ("ru", "ro", "et", "ne", "si")


def half(text: str) -> str:
    return "A" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


SPLIT = "segment"  # --split: WMT rows by a hash of their text ("segment") or of their news document ("doc")


def row_half(r) -> str:
    """A row's half: MLQE-PE rows (no document ids) by their translation; WMT rows by text or, with
    ``--split doc``, by document, so that no story (and no other system's output of a segment) is on both sides."""
    if "mt" in r:
        return half(r["mt"])
    return half(r["doc"]) if SPLIT == "doc" else half(r["target"])


# -- running the engine -------------------------------------------------------------------


def run_engine(paths, root: Path, rules, settings=None):
    loaded = discover.load([str(p) for p in paths], root, [], None)
    t0 = time.perf_counter()
    report = engine.check(loaded.documents, rules, settings)
    return report, time.perf_counter() - t0


def features(doc_report) -> dict[str, float]:
    """Evidence counts per rule for one single-sentence document, plus its garble score."""
    counts: Counter = Counter(f.code for f in doc_report.findings if f.code != "MT900")
    for s in (doc_report.sentences or []):
        for name, value in s["signals"].items():
            if not name.startswith("MT"):
                counts[name] += value
        if "surprisal" in s:
            counts["lm-z"] = max(counts.get("lm-z", -99.0), s["surprisal"]["z"])
    translation = doc_report.score.categories.get("translation")
    counts["garble"] = 0.0 if translation is None else (100.0 - translation) / 100.0
    sentences = [
        (max(1.0, round(math.exp(s.get("features", {}).get("log_words", 0.0)))), sum(v for k, v in s["signals"].items() if k.startswith("MT")), s.get("features", {}))
        for s in (doc_report.sentences or [])
    ]
    if sentences:  # each model statistic alone, word-weighted over the record's sentences, for the per-signal table
        words = sum(w for w, _, _ in sentences)
        for name in {k for _, _, f in sentences for k in f}:
            counts["f:" + name] = sum(w * f.get(name, 0.0) for w, _, f in sentences) / words
    return dict(counts) | {"_sentences": sentences, "_spans": [(s["start"], s["end"]) for s in (doc_report.sentences or [])]}


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
    if "intercept" in weights:  # a refitted MT900 model: score each sentence as the kind does
        sents = feat["_sentences"]
        if not sents:
            return 0.0
        scores = [(w, squash(rules + softplus(log_odds(weights, f)))) for w, rules, f in sents]
        return sum(w * x for w, x in scores) / sum(w for w, _ in scores)
    return squash(sum(weights.get(k, 0.0) * v for k, v in feat.items() if k != "garble" and not k.startswith(("_", "f:"))))


def evaluate_mlqe(rows, feats, weights=None, signal=None):
    out = {}
    for which in ("A", "B", "all"):
        per = {}
        for pair in PAIRS:
            sel = [(r, f) for r, f in zip(rows[pair], feats[pair]) if which == "all" or row_half(r) == which]
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
        if which != "all" and row_half(r) != which:
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
        sel = [(r, f) for r, f in zip(rows, feats) if which == "all" or row_half(r) == which]
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the shared evaluation folder (../shared/eval)")
    ap.add_argument("--sets", default="mlqe,wmt,bbc")
    ap.add_argument("--select", default="", help="rule codes or prefixes to run (default: the MT rules on by default; name opt-in ones, e.g. MT,MT109)")
    ap.add_argument("--ignore", default="", help="rule codes to leave out")
    ap.add_argument("--fit", action="store_true", help="fit MT900's model (the one this run uses: lm_model with --lm) on half A, calibrate on BBC half A, report half B")
    ap.add_argument("--json", type=Path, help="write all numbers here")
    ap.add_argument("--lm", action="store_true", help="add language-model surprisal (qualcheck[lm] extra)")
    ap.add_argument("--calibrate-lm", action="store_true", help="fit MT900's lm_intercept/lm_slope/lm_scale on BBC (implies --lm)")
    ap.add_argument("--bbc-every", type=int, default=1, help="run every Nth BBC document only")
    ap.add_argument("--bbc-start", type=int, default=0, help="with --bbc-every: start at this document (another subset)")
    ap.add_argument("--sample", type=int, default=1, help="keep about 1 in N MLQE-PE and WMT rows")
    ap.add_argument("--lm-cache", type=Path, help="keep each sentence's token surprisal in this file (outside the project) and reuse it; timings then measure the cache")
    ap.add_argument("--features", type=Path, help="write each MLQE-PE/WMT row's labels and signals here (JSON Lines)")
    ap.add_argument("--probe-out", type=Path, help="with --fit --lm: write MT900's fitted lm_probe here (YAML to paste under its params)")
    ap.add_argument("--probe-engine", help="with --fit and without --lm: add the probe of a small encoder to the default model "
                    "(bench/encoder_states.py: minilm, smollm6, smollm8, smollm12; its layer and L2 chosen on half A)")
    ap.add_argument("--encoder", action="store_true", help="run MT900 with the sentence encoder (qualcheck --encoder); with --fit, fit its encoder_probe and encoder_model")
    ap.add_argument("--with-encoder", action="store_true", help="with --lm --fit: also stack the sentence encoder's probe (the encoder feature) into lm_model, to see what it adds to the LM")
    ap.add_argument("--encoder-layers", default="", help="with --encoder --fit: the encoder layers to choose the probe's from (default: the one the engine reads)")
    ap.add_argument("--encoder-cascade", type=float, help="with --encoder: set MT900's encoder_cascade (encode only sentences whose surface probability reaches it; bench/eval_cascade.py)")
    ap.add_argument("--split", choices=("segment", "doc"), default="segment",
                    help="WMT halves by a hash of each row's text (MT900 was fitted on that half A) or of its news document (every output of a story on one side)")
    args = ap.parse_args(argv)
    global SPLIT
    SPLIT = args.split
    args.lm = args.lm or args.calibrate_lm
    sets = set(args.sets.split(","))
    ignore = [c for c in args.ignore.split(",") if c]
    if args.select:
        rules = ruleset.load().select(args.select.split(","), ignore)
    else:
        rules = [r for r in ruleset.load().select((), ignore) if r.code.startswith("MT")]
    if args.encoder_cascade is not None:
        rules = [dataclasses.replace(r, params=dataclasses.replace(r.params, encoder_cascade=args.encoder_cascade)) if r.code == "MT900" else r for r in rules]
    # every selected rule but MT900 is a signal alone (--select MT,GR103: link-grammar's failed parses too)
    codes = sorted(r.code for r in rules if r.code != "MT900")
    results: dict = {"rules": [r.code for r in rules], "split": SPLIT}
    if args.encoder and args.lm:
        sys.exit("eval_translation: --encoder and --lm: a run with both reads the LM's model only")
    # fitting the encoder's model reads the states itself (fit_probe), so the engine runs without it then
    settings = Settings(translation=TranslationSettings(lm=args.lm, encoder=args.encoder and not args.fit))
    measured = []
    if args.lm:
        from qualcheck.backends import lm

        t0 = time.perf_counter()
        if args.lm_cache or args.fit:  # --fit reads each sentence's pooled state back from the cache
            _cache_lm(lm, args.lm_cache)
        scorer, reason = lm.load()
        if scorer is None:
            sys.exit(f"eval_translation: --lm: {reason}")
        results["lm"] = {"engine": reason, "load_seconds": round(time.perf_counter() - t0, 1)}
        measured += ["lm-z"]
    mlqe_rows = wmt_rows = bbc_docs = None
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
            names = codes + measured + _model_features(mlqe_feats)
            results["mlqe"]["signals"] = {c: {k: v for k, v in evaluate_mlqe(mlqe_rows, mlqe_feats, signal=c).items()} for c in names}
            results["mlqe"]["fires"] = _fires(mlqe_rows, mlqe_feats, codes)
        if "wmt" in sets:
            wmt_rows = load_wmt(args.data, args.sample)
            write_jsonl(tmp / "wmt.jsonl", [r["target"] for r in wmt_rows])
            report, secs = run_engine([tmp / "wmt.jsonl"], tmp, rules, settings)
            by_id = {d.document: d for d in report.documents}
            wmt_feats = [features(by_id[f"wmt.jsonl#{i}"]) for i in range(len(wmt_rows))]
            results["wmt"] = {"seconds": round(secs, 2), "sentences_per_second": round(len(wmt_rows) / secs, 1), "combined": evaluate_wmt(wmt_rows, wmt_feats)}
            results["wmt"]["signals"] = {c: evaluate_wmt(wmt_rows, wmt_feats, signal=c) for c in codes + measured + _model_features([wmt_feats])}
    if "bbc" in sets:
        bbc = args.data / "clean" / "bbc"
        files = sorted(p for p in bbc.rglob("*") if p.is_file())[args.bbc_start :: args.bbc_every]
        report, secs = run_engine(files, bbc, rules, settings)
        n_sent = sum(len((d.sentences or [])) for d in report.documents)
        if args.calibrate_lm:
            results["lm_calibration"] = calibrate([s["surprisal"] for d in report.documents for s in (d.sentences or [])])
        results["bbc"] = {
            "seconds": round(secs, 2),
            "sentences_per_second": round(n_sent / secs, 1),
            **_bbc_counts(report.documents, report.findings),
            "halves": {h: _bbc_counts([d for d in report.documents if half(d.document) == h], report.findings) for h in "AB"},
            "examples": [
                {"document": f.document, "code": f.code, "excerpt": f.excerpt[:80]} for f in report.findings if f.category == "translation"
            ][:60],
        }
        bbc_docs = report.documents
    if args.features:
        with args.features.open("w", encoding="utf-8") as fh:
            for pair in mlqe_feats:
                for r, f in zip(mlqe_rows[pair], mlqe_feats[pair]):
                    row = {"set": f"mlqe-{pair}", "half": row_half(r), "da_z": float(r["da_z_mean"]), "da": float(r["da_mean_0to100"]), "hter": float(r["hter"])}
                    fh.write(json.dumps({**row, **f}) + "\n")
            for r, f in zip(wmt_rows or [], wmt_feats):
                fh.write(json.dumps({"set": "wmt", "half": row_half(r), "mqm": float(r["mqm_mean"]), **f}) + "\n")
    if args.fit and mlqe_rows:
        rule = next(r for r in rules if r.code == "MT900")
        current = (rule.params.lm_model if args.lm else rule.params.encoder_model if args.encoder else rule.params.model) or rule.params.model or {}
        names = [k for k in current if k not in ("intercept", "encoder")]
        fitted = {}
        if args.lm:  # the probe first: its out-of-fold log-odds become the model's "probe" feature
            from qualcheck.backends import lm

            fitted["probe"] = fit_probe(mlqe_rows, mlqe_feats, wmt_rows or [], wmt_feats, bbc_docs, args.data / "clean" / "bbc", lm.load()[0], args.probe_out)
            names += [] if "probe" in names else ["probe"]
            if args.with_encoder:  # the encoder's probe beside the LM's: fit_probe writes "probe", so the LM's steps aside
                from qualcheck.backends import encoder as encoder_backend

                _rename_feature(mlqe_feats, wmt_feats, bbc_docs, "probe", "lm_probe")
                fitted["encoder_probe"] = encoder_probe("numpy", mlqe_rows, mlqe_feats, wmt_rows or [], wmt_feats, bbc_docs,
                                                        args.data / "clean" / "bbc", (encoder_backend.LAYER,))
                fitted["encoder_probe"].pop("_probe", None)
                _rename_feature(mlqe_feats, wmt_feats, bbc_docs, "probe", "encoder")
                _rename_feature(mlqe_feats, wmt_feats, bbc_docs, "lm_probe", "probe")
                names += ["encoder"]
        elif args.encoder:  # the encoder's probe: its out-of-fold log-odds become the model's "encoder" feature
            from qualcheck.backends import encoder as encoder_backend

            layers = tuple(int(x) for x in args.encoder_layers.split(",") if x) or (encoder_backend.LAYER,)
            fitted["probe"] = encoder_probe("numpy", mlqe_rows, mlqe_feats, wmt_rows or [], wmt_feats, bbc_docs, args.data / "clean" / "bbc", layers)
            _rename_feature(mlqe_feats, wmt_feats, bbc_docs, "probe", "encoder")
            names += ["encoder"]
        elif args.probe_engine:  # the default model plus a small encoder's probe (bench/encoder_states.py)
            fitted["probe"] = encoder_probe(args.probe_engine, mlqe_rows, mlqe_feats, wmt_rows or [], wmt_feats, bbc_docs, args.data / "clean" / "bbc")
            names += ["probe"]
        model = fit(mlqe_rows, mlqe_feats, wmt_rows or [], wmt_feats, names)
        fitted["on_A"] = dict(model)
        if bbc_docs:
            model, threshold, bbc = calibrate_on_bbc(model, bbc_docs, rule.params.min_words)  # threshold: lm_threshold with --lm
            fitted |= {"bbc": bbc, "threshold": threshold}
        fitted |= {
            "model": model,
            "mlqe": {k: v for k, v in evaluate_mlqe(mlqe_rows, mlqe_feats, model).items() if k in ("A", "B")},
            "wmt": {k: v for k, v in evaluate_wmt(wmt_rows, wmt_feats, model).items() if k in ("A", "B")} if wmt_rows else None,
        }
        probe = fitted.get("probe", {}).pop("_probe", None)
        if args.encoder and args.probe_out and probe is not None:
            from metrics import probe_yaml

            args.probe_out.write_text(
                f"  encoder_threshold: {fitted.get('threshold', 0.7)}\n  encoder_model:\n"
                + "".join(f"    {k}: {v}\n" for k, v in model.items())
                + probe_yaml("encoder_probe", fitted["probe"]["layer"], *probe), encoding="utf-8")
        results["fitted"] = fitted
    _print(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True, default=float) + "\n", encoding="utf-8")
    return 0


class _CachedScorer:
    """The LM scorer behind a disk cache keyed by sentence text: experiments re-run in seconds."""

    def __init__(self, lm, path: Path) -> None:
        import pickle

        self.lm, self.path, self.pickle = lm, path, pickle  # path None: kept in memory only
        self.cache = pickle.loads(path.read_bytes()) if path is not None and path.is_file() else {}
        self.real = None
        self.saved = time.perf_counter()
        import atexit

        atexit.register(self.save)

    def save(self) -> None:
        if self.real is not None and self.path is not None:  # something new was scored
            self.path.write_bytes(self.pickle.dumps(self.cache))
        self.saved = time.perf_counter()

    def surprisal(self, texts, batch_size: int = 16, **kw):
        # an entry without the pooled state (an older cache) is scored again when the pass pools
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache or (kw.get("pool") and self.cache[t].pooled is None and self.cache[t].tokens)))
        if missing:
            if self.real is None:
                self.real, reason = self.real_load()
                if self.real is None:
                    sys.exit(f"eval_translation: --lm: {reason}")
            for t, s in zip(missing, self.real.surprisal(missing, batch_size, **kw)):
                self.cache[t] = s
            if time.perf_counter() - self.saved > 120:
                self.save()
        return [self.cache[t] for t in texts]


def _cache_lm(lm, path: Path) -> None:
    """Route the engine's LM through a disk cache (bench only: replaces the module's load())."""
    cached = _CachedScorer(lm, path)
    cached.real_load = lm.load
    lm.load = lambda: (cached, f"{lm.NAME} behind the cache {path} ({len(cached.cache)} sentences)")


def _model_features(feats) -> list[str]:
    rows = feats.values() if isinstance(feats, dict) else feats
    return sorted({k for fs in rows for f in fs for k in f if k.startswith("f:")})


def _bbc_counts(docs, findings) -> dict:
    ids = {d.document for d in docs}
    n_sent = sum(len((d.sentences or [])) for d in docs)
    per_code = Counter(f.code for f in findings if f.category == "translation" and f.document in ids)
    scores = [d.score.categories.get("translation") or 0 for d in docs]
    return {
        "documents": len(docs),
        "sentences": n_sent,
        "flags_per_1000_sentences": round(1000 * sum(per_code.values()) / max(1, n_sent), 2),
        "per_rule_per_1000": {c: round(1000 * per_code[c] / max(1, n_sent), 2) for c in sorted(per_code)},
        "mean_translation_score": round(sum(scores) / max(1, len(scores)), 2),
        # with --encoder: the share of sentences the encoder read (all, unless MT900's encoder_cascade is set)
        "share_encoded": round(sum("encoder-model" in s["signals"] for d in docs for s in (d.sentences or [])) / max(1, n_sent), 4),
    }


def _label(row: dict) -> float | None:
    """Binary training label: MLQE-PE DA < 50 garbled (else fine); WMT MQM >= 5 garbled, <= 1 fine, else unused."""
    if "mqm_mean" in row:
        mqm = float(row["mqm_mean"])
        return 1.0 if mqm >= 5 else 0.0 if mqm <= 1 else None
    return 1.0 if float(row["da_mean_0to100"]) < 50 else 0.0


def fit(mlqe_rows, mlqe_feats, wmt_rows, wmt_feats, names, l2=1.0):
    """L2-regularised logistic regression of the labels on the model's features, on half A rows only.

    Each record's features are word-weighted over its sentences; the coefficients are returned in
    raw units (as MT900's params take them), with the intercept the fit found.
    """
    import numpy as np

    X, y = [], []
    pairs = [(r, f, r["mt"]) for p in PAIRS for r, f in zip(mlqe_rows[p], mlqe_feats[p])]
    pairs += [(r, f, r["target"]) for r, f in zip(wmt_rows, wmt_feats)]
    for r, f, text in pairs:
        label = _label(r)
        if row_half(r) != "A" or label is None:
            continue
        X.append([f.get("f:" + n, 0.0) for n in names])
        y.append(label)
    X, y = np.array(X), np.array(y)
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    w = np.zeros(Z.shape[1])
    reg = l2 * np.eye(Z.shape[1])
    reg[-1, -1] = 0.0
    for _ in range(100):  # Newton's method
        p = 1 / (1 + np.exp(-Z @ w))
        step = np.linalg.solve((Z * (p * (1 - p))[:, None]).T @ Z + reg, Z.T @ (p - y) + reg @ w)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    coef = w[:-1] / sd
    return {"intercept": round(float(w[-1] - coef @ mu), 4)} | {n: round(float(c), 4) for n, c in zip(names, coef)}


PROBE_L2 = (300.0, 1000.0, 3000.0)  # the probe's L2, chosen by out-of-fold ROC-AUC on half A


def fit_probe(mlqe_rows, mlqe_feats, wmt_rows, wmt_feats, bbc_docs, bbc_dir: Path, scorer, out: Path | None) -> dict:
    """Fit MT900's lm_probe on the pooled LM states of half A's labelled sentences (a row's label for each
    of its sentences, weighted 1/sentences) and give every sentence its ``probe`` feature: out-of-fold
    log-odds on half A's labelled rows (5 folds by row), the full probe's elsewhere (half B, BBC).
    """
    import numpy as np
    from metrics import logistic, out_of_fold, probe_yaml

    from qualcheck.document import Document

    def pooled(text):
        hit = scorer.cache.get(" ".join(text.split()))
        return None if hit is None else hit.pooled

    sents = []  # (row number, label or None, half, pooled, sentence features, weight)
    rows = [(r, f, r["mt"]) for p in PAIRS for r, f in zip(mlqe_rows[p], mlqe_feats[p])] + [(r, f, r["target"]) for r, f in zip(wmt_rows, wmt_feats)]
    for k, (r, f, text) in enumerate(rows):
        for (_, _, sf), (a, b) in zip(f["_sentences"], f["_spans"]):
            sents.append((k, _label(r), row_half(r), pooled(text[a:b]), sf, 1.0 / len(f["_sentences"])))
    if any(v is None for *_, v, _, _ in sents):
        sys.exit("eval_translation: --fit --lm: a sentence has no pooled LM state (an old --lm-cache? it is rescored when the pass pools)")
    train = [i for i, (k, y, h, *_) in enumerate(sents) if h == "A" and y is not None]
    X = np.array([sents[i][3] for i in train], dtype=np.float64)
    y = np.array([sents[i][1] for i in train])
    w = np.array([sents[i][5] for i in train])
    folds = np.array([sents[i][0] % 5 for i in train])
    best = None
    for l2 in PROBE_L2:
        oof = out_of_fold(X, y, w, folds, l2=l2, iters=30)
        a = auc(list(oof[y == 1]), list(oof[y == 0]))
        print(f"lm_probe L2 {l2}: out-of-fold ROC-AUC on half A sentences {a:.3f}")
        if best is None or a > best[0]:
            best = (a, l2, oof)
    a, l2, oof = best
    b0, c = logistic(X, y, w, l2=l2, iters=30)
    for i, (_, _, _, v, sf, _) in enumerate(sents):
        sf["probe"] = float(b0 + v @ c)
    for i, o in zip(train, oof):
        sents[i][4]["probe"] = float(o)
    for r, f, _ in rows:  # the row's word-weighted value, as features() computes the others
        words = sum(n for n, _, _ in f["_sentences"]) or 1
        f["f:probe"] = sum(n * sf.get("probe", 0.0) for n, _, sf in f["_sentences"]) / words
    missed = 0
    for d in bbc_docs or []:
        text = Document(id=d.document, raw=(bbc_dir / d.document).read_text(encoding="utf-8", errors="replace")).text
        for s_ in (d.sentences or []):
            v = pooled(text[s_["start"] : s_["end"]])
            missed += v is None
            s_.setdefault("features", {})["probe"] = float(b0 + v @ c) if v is not None else 0.0
    if missed:
        sys.exit(f"eval_translation: --fit --lm: {missed} BBC sentences have no pooled state in the cache")
    from qualcheck.backends import lm as lm_backend

    if out is not None:
        out.write_text(probe_yaml("lm_probe", lm_backend.POOL_LAYER, b0, c), encoding="utf-8")
    return {"l2": l2, "oof_auc_A": round(a, 4), "sentences": len(train), "written": str(out) if out else None, "_probe": (float(b0), c)}


def _rename_feature(mlqe_feats, wmt_feats, bbc_docs, old: str, new: str) -> None:
    """Call a fitted feature by the name MT900's model reads it under (fit_probe writes ``probe``)."""
    for f in [f for fs in mlqe_feats.values() for f in fs] + list(wmt_feats):
        for _, _, sf in f["_sentences"]:
            if old in sf:
                sf[new] = sf.pop(old)
        if "f:" + old in f:
            f["f:" + new] = f.pop("f:" + old)
    for d in bbc_docs or []:
        for s in d.sentences or []:
            if old in s.get("features", {}):
                s["features"][new] = s["features"].pop(old)


class _States:
    """Stands in for the LM scorer in fit_probe: each sentence's pooled state from a small encoder."""

    def __init__(self, texts, states) -> None:
        from types import SimpleNamespace

        self.cache = {t: SimpleNamespace(pooled=v) for t, v in zip(texts, states)}


def encoder_probe(engine, mlqe_rows, mlqe_feats, wmt_rows, wmt_feats, bbc_docs, bbc_dir: Path, layers=None) -> dict:
    """fit_probe on a small encoder's pooled states (encoder_states.py) instead of the LM's.

    The encoder's layer is the one whose probe has the best out-of-fold ROC-AUC on half A (minilm:
    layers 1-6; smollmK: layer K, read from the 12-layer graph, whose first K layers are the K-layer one).
    """
    import encoder_states

    from qualcheck.document import Document

    texts = []
    rows = [(f, r["mt"]) for p in PAIRS for r, f in zip(mlqe_rows[p], mlqe_feats[p])] + [(f, r["target"]) for r, f in zip(wmt_rows, wmt_feats)]
    for f, text in rows:
        texts += [" ".join(text[a:b].split()) for a, b in f["_spans"]]
    for d in bbc_docs or []:
        doc_text = Document(id=d.document, raw=(bbc_dir / d.document).read_text(encoding="utf-8", errors="replace")).text
        texts += [" ".join(doc_text[s_["start"] : s_["end"]].split()) for s_ in (d.sentences or [])]
    texts = list(dict.fromkeys(texts))
    source, default = ("smollm12", (int(engine.removeprefix("smollm")),)) if engine.startswith("smollm") else (engine, (1, 2, 3, 4, 5, 6))
    layers = tuple(layers or default)
    X = encoder_states.cached_pooled(source, texts, layers)
    best = None
    for j, layer in enumerate(layers):
        got = fit_probe(mlqe_rows, mlqe_feats, wmt_rows, wmt_feats, bbc_docs, bbc_dir, _States(texts, X[:, j]), None)
        print(f"{engine} layer {layer}: {({k: v for k, v in got.items() if k != '_probe'})}")
        if best is None or got["oof_auc_A"] > best[0]["oof_auc_A"]:
            best = (got, layer, j)
    if len(layers) > 1 and best[2] != len(layers) - 1:  # the features of the chosen layer last
        best = (fit_probe(mlqe_rows, mlqe_feats, wmt_rows, wmt_feats, bbc_docs, bbc_dir, _States(texts, X[:, best[2]]), None), *best[1:])
    return best[0] | {"engine": engine, "layer": best[1]}


FLUENT_SCORE = 0.05  # the median clean BBC sentence (calibration half) is set to score this
BBC_FLAGS = 1.0  # the model's flags on BBC's calibration half may reach this many per 1,000 sentences


def calibrate_on_bbc(model, docs, min_words, grid=(0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)):
    """Shift the intercept so the median clean sentence of BBC half A scores FLUENT_SCORE, then take the
    lowest threshold in ``grid`` whose MT900 flags on half A stay within BBC_FLAGS per 1,000 sentences;
    report both halves (B is held out)."""
    sents = {h: [s for d in docs if half(d.document) == h for s in (d.sentences or [])] for h in "AB"}

    def eta(s, m):
        return log_odds(m, s.get("features", {}))

    etas = sorted(eta(s, model) for s in sents["A"])
    shift = math.log(FLUENT_SCORE / (1 - FLUENT_SCORE)) - etas[len(etas) // 2]
    model = dict(model) | {"intercept": round(model["intercept"] + shift, 4)}

    def flags(h, threshold):
        n = 0
        for s in sents[h]:
            words = math.exp(s.get("features", {}).get("log_words", 0.0))
            rules = sum(v for k, v in s["signals"].items() if k.startswith("MT"))
            n += squash(rules + softplus(eta(s, model))) >= threshold and words >= min_words
        return 1000 * n / max(1, len(sents[h]))

    threshold = next((t for t in grid if flags("A", t) <= BBC_FLAGS), grid[-1])
    out = {h: {"sentences": len(sents[h]), "flags_per_1000": round(flags(h, threshold), 2)} for h in "AB"}
    for h in "AB":
        scored = [squash(sum(v for k, v in s["signals"].items() if k.startswith("MT")) + softplus(eta(s, model))) for s in sents[h]]
        out[h]["median_score"] = round(sorted(scored)[len(scored) // 2], 4) if scored else float("nan")
    return model, threshold, out


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
        w("  per signal alone: mean S(DA) half A / B, pooled AUC A / B, per pair (all rows); rules: fires on bad / good\n")
        for name, v in m["signals"].items():
            fires = m["fires"].get(name)
            per = " ".join(f"{_fmt(x['spearman_da'])}" for x in v["all"]["pairs"].values())
            w(f"    {name:15s} S(DA) {_fmt(v['A']['mean_spearman_da'])} / {_fmt(v['B']['mean_spearman_da'])} "
              f"AUC {v['A']['auc_pooled']:.3f} / {v['B']['auc_pooled']:.3f}  [{per}]"
              + (f"  fires {fires['bad']:.3f} / {fires['good']:.3f}" if fires else "") + "\n")
    if "wmt" in results:
        m = results["wmt"]
        w(f"WMT23 MQM zh-en news: {m['seconds']} s, {m['sentences_per_second']} sentences/s\n")
        for which in ("A", "B", "all"):
            c = m["combined"][which]
            w(f"  combined [{which}] n={c['n']} Spearman(MQM) {_fmt(c['spearman_mqm'])} Pearson(MQM) {_fmt(c['pearson_mqm'])} "
              f"AUC(major fluency vs clean) {c['auc_major_fluency_vs_clean']:.3f}\n")
        w("  per signal alone: S(MQM) half A / B\n")
        for name, v in m["signals"].items():
            w(f"    {name:15s} S(MQM) {_fmt(v['A']['spearman_mqm'])} / {_fmt(v['B']['spearman_mqm'])}\n")
    if "bbc" in results:
        b = results["bbc"]
        w(f"BBC clean: {b['documents']} documents, {b['sentences']} sentences, {b['seconds']} s ({b['sentences_per_second']}/s); "
          f"{b['flags_per_1000_sentences']} MT flags per 1,000 sentences {b['per_rule_per_1000']}; mean translation score {b['mean_translation_score']}\n")
        for h, c in b["halves"].items():
            w(f"  half {h}: {c['documents']} documents, {c['sentences']} sentences, {c['flags_per_1000_sentences']} flags per 1,000 {c['per_rule_per_1000']}; "
              f"mean translation score {c['mean_translation_score']}\n")
    if "fitted" in results:
        t = results["fitted"]
        if "probe" in t:
            w(f"lm_probe: {t['probe']}\n")
        w(f"fitted on half A: {t['on_A']}\n")
        if "bbc" in t:
            w(f"calibrated on BBC half A: threshold {t['threshold']}, {t['bbc']}\n")
        w(f"model: {t['model']}\n")
        for which in ("A", "B"):
            c = t["mlqe"][which]
            per = " ".join(f"{p} {_fmt(v['spearman_da'])}" for p, v in c["pairs"].items())
            w(f"  MLQE [{which}] mean S(DA) {_fmt(c['mean_spearman_da'])} pooled AUC {c['auc_pooled']:.3f}  ({per})\n")
            if t["wmt"]:
                w(f"  WMT  [{which}] S(MQM) {_fmt(t['wmt'][which]['spearman_mqm'])}\n")


if __name__ == "__main__":
    raise SystemExit(main())
