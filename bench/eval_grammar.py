"""Measure the grammar check (GR rules, through the real engine) on third-party data.

Usage: python bench/eval_grammar.py ../shared/eval [--rules GR101,GR103] [--bbc-limit N] [--skip-bbc]
                                    [--lm] [--fit] [--lm-cache /tmp/qualcheck-gr-lm.pkl]

Every GR rule runs (GR103 and GR900 included, although they are opt-in); the metrics are then
computed for several sets of counted rules: the default set (the enabled GR rules but GR104 and GR900), the
default set plus GR103, the grammar rules without spelling, GR103 alone, GR900 alone (the learned
sentence score; ROC-AUC of its probability), and --rules when given.

--lm runs with the language model (as ``qualcheck --lm``): GR900 then uses its lm-weights. Its
per-sentence results are cached by sentence text in --lm-cache (under /tmp, never in the project).
--fit refits GR900's logistic model: per-sentence features of GUG half A (label: the item's
rating) plus the BBC tuning half (clean), L2-regularised logistic regression in numpy; the
thresholds are chosen on out-of-fold predictions on half A (max F1 at P >= 0.85, else best F1);
prints the params to paste into rules/grammar/GR900-ungrammatical-sentence.yaml. With --lm it first
fits the lm-probe (a linear model on the LM's pooled hidden state, same data and weights, L2 PROBE_L2)
and gives the logistic model its out-of-fold log-odds; --probe-out writes the probe's YAML. Only half B,
GMEG-wiki and the BBC held-out half measure the result.

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
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import auc, logistic, out_of_fold, probe_yaml, spearman  # noqa: E402  (bench/metrics.py, beside this script)

from qualcheck import engine, ruleset  # noqa: E402
from qualcheck.config import Settings  # noqa: E402
from qualcheck.document import Document  # noqa: E402
from qualcheck.kinds.grammar_score import LM_FEATURES  # noqa: E402

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
WEIGHTS = {"GR101": 0.5, "GR102": 1.5, "GR103": 1.0, "GR104": 0.5, "GR201": 1.5, "GR202": 1.5, "GR203": 1.5, "GR204": 1.5, "GR205": 1.5}


def score_of(findings) -> float:
    return sum(WEIGHTS.get(f.code, 0.5) for f in findings)


SETTINGS = Settings()
SENTENCES: dict[str, list] = {}  # document id -> GR900's grammar_sentences (start, end, score, features)


def run(texts: dict[str, str], rules) -> tuple[dict[str, list], float, list]:
    docs = [Document(id=k, raw=v) for k, v in texts.items()]
    began = time.perf_counter()
    report = engine.check(docs, rules, SETTINGS)
    elapsed = time.perf_counter() - began
    by_doc: dict[str, list] = {k: [] for k in texts}
    for f in report.findings:
        by_doc[f.document].append(f)
    for d in report.documents:
        SENTENCES[d.document] = (d.grammar_sentences or [])
    return by_doc, elapsed, list(report.notices)


LM_CACHE: dict = {}  # sentence text (as the LM read it) -> lm.Surprisal, with --lm


def pooled_of(sentence: str):
    """The LM's pooled hidden state of a sentence from this run's --lm pass (None without --lm)."""
    hit = LM_CACHE.get(" ".join(sentence.split()))
    return getattr(hit, "pooled", None)


def gr900_score(doc_id: str) -> float:
    """A document's GR900 score: its likeliest ungrammatical sentence."""
    return max((s["score"] for s in SENTENCES.get(doc_id, [])), default=0.0)


def cache_lm(path: Path) -> None:
    """Cache the LM's per-sentence results by text (a pickle under /tmp), so refits and reruns skip the model."""
    from qualcheck.backends import lm

    cache = LM_CACHE
    cache.update(pickle.loads(path.read_bytes()) if path.is_file() else {})
    original = lm.Scorer.surprisal

    def surprisal(self, texts, batch_size=16, **kw):
        # a cached result without the pooled state (an older cache) is scored again when the pass pools
        todo = sorted({t for t in texts if t not in cache or (kw.get("pool") and cache[t].pooled is None and cache[t].tokens)})
        if todo:
            cache.update(zip(todo, original(self, todo, batch_size, **kw)))
            path.write_bytes(pickle.dumps(cache))
        return [cache[t] for t in texts]

    lm.Scorer.surprisal = surprisal


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
        if chosen == {"GR900"}:
            scores = {k: gr900_score(k) for k in by_doc}
        else:
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
            if chosen == {"GR900"} and name.startswith("B"):
                print(f"    {'':22} 95% bootstrap intervals (2,000 resamples of the items): " + bootstrap(flags, gold))
    for t in THRESHOLDS:
        for name, keep in (("A", 0), ("B", 1)):
            gold = {k: rating[k] <= 2 for k in rating if rating[k] != 3 and parity[k] == keep}
            m = prf({k: gr900_score(k) >= t for k in gold}, gold)
            print(f"    GR900 score >= {t}, half {name}: P={m['P']:.3f} R={m['R']:.3f} F1={m['F1']:.3f}")
    if FIT is not None:
        FIT["gug"] = [(s["features"], rating[k] <= 2, parity[k], texts[k][s["start"] : s["end"]], pooled_of(texts[k][s["start"] : s["end"]]))
                      for k in rating if rating[k] != 3 for s in SENTENCES.get(k, [])]
        FIT["gug_items"] = {k: (rating[k] <= 2, parity[k]) for k in rating if rating[k] != 3}
    per_rule = Counter(f.code for v in by_doc.values() for f in v)
    print(f"  findings per rule: {dict(sorted(per_rule.items()))}")
    for code in sorted(per_rule):
        for name, keep in (("A", 0), ("B", 1)):
            gold = {k: rating[k] <= 2 for k in rating if rating[k] != 3 and parity[k] == keep}
            flags = {k: any(f.code == code for f in by_doc[k]) for k in gold}
            m = prf(flags, gold)
            print(f"    {code} alone, half {name}: P={m['P']:.3f} R={m['R']:.3f} F1={m['F1']:.3f}")


def bootstrap(flags: dict[str, bool], gold: dict[str, bool], rounds: int = 2000, seed: int = 7) -> str:
    """Percentile intervals of P, R and F1 over resamples of the items (how much the held-out half's size leaves open)."""
    import numpy as np

    keys = list(gold)
    f = np.array([flags[k] for k in keys])
    g = np.array([gold[k] for k in keys])
    rng = np.random.default_rng(seed)
    out = {"P": [], "R": [], "F1": []}
    for _ in range(rounds):
        i = rng.integers(0, len(keys), len(keys))
        tp, fp, fn = (f[i] & g[i]).sum(), (f[i] & ~g[i]).sum(), (~f[i] & g[i]).sum()
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        out["P"].append(p), out["R"].append(r), out["F1"].append(2 * p * r / (p + r) if p + r else 0.0)
    return "  ".join(f"{k} {np.percentile(v, 2.5):.3f}-{np.percentile(v, 97.5):.3f}" for k, v in out.items())


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


def bbc(folder: Path, gr_rules, limit: int | None, show: int, only_tune: bool = False) -> None:
    files = sorted(p for p in folder.rglob("*.txt"))
    texts = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace") for p in files}
    for half in ("tune",) if only_tune else ("tune", "held"):
        part = {k: v for k, v in texts.items() if bbc_half(k) == half}
        part = dict(list(part.items())[: limit or None])
        sentences = sum(len(Document(id=k, raw=v).sentences) for k, v in part.items())
        by_doc, elapsed, _ = run(part, gr_rules)
        per_rule = Counter(f.code for v in by_doc.values() for f in v)
        print(f"BBC {half} half: {len(part)} articles, {sentences} sentences, {elapsed:.1f}s")
        print("  findings per 1,000 sentences: " + ", ".join(f"{c} {n * 1000 / sentences:.1f}" for c, n in sorted(per_rule.items()))
              + f"; default set {sum(n for c, n in per_rule.items() if c in DEFAULT) * 1000 / sentences:.1f}")
        if FIT is not None and half == "tune":
            doc_text = {k: Document(id=k, raw=v).text for k, v in part.items()}
            FIT["bbc"] = [(s["features"], pooled_of(doc_text[k][s["start"] : s["end"]])) for k in part for s in SENTENCES.get(k, [])]
            # the sentences themselves, in the same order, so another encoder's states can be measured (eval_encoder_probe.py)
            FIT["bbc_texts"] = [doc_text[k][s["start"] : s["end"]] for k in part for s in SENTENCES.get(k, [])]
        for f in [f for v in by_doc.values() for f in v if f.code in ("GR103", "GR101", "GR900")][:show]:
            print("   ", f.code, f.document, repr(f.excerpt), "|", f.message)


# the GR rules a default run reports, read from the rule files (GR104 is typography; GR900 is reported as
# a score, its flags counted under "GR900 alone"); GR101, GR102, GR201, GR202, GR204, GR206 until December
# session 14, then GR207-GR210 too
DEFAULT = {r.code for r in ruleset.load().rules if r.category == "grammar" and r.enabled and r.code not in ("GR104", "GR900")}
FIT: dict | None = None  # with --fit: features gathered on the tuning data
THRESHOLDS: list[float] = []  # with --thresholds: GR900 also judged at these scores

# GR900's features: the three pattern rules are rare, so they share one coefficient
PATTERNS = ("GR102", "GR201", "GR202", "GR203")
BASE = ("GR101", "patterns", "GR104", "parsed", "unlinked", "log-words")
WITH_LM = BASE + LM_FEATURES


def vector(f: dict, names) -> list[float]:
    return [sum(f.get(c, 0.0) for c in PATTERNS) if n == "patterns" else f.get(n, 0.0) for n in names]


def predict(b0, coef, X):
    import numpy as np

    return 1 / (1 + np.exp(-(b0 + X @ coef)))


def choose_threshold(scores, gold, min_p=0.85) -> tuple[float, float, dict, float, dict]:
    """(threshold at max F1 with P >= min_p, or None; its metrics; best-F1 threshold; its metrics)."""
    best, best_p = (0.0, None, None), (0.0, None, None)
    for t in sorted(set(round(x, 4) for x in scores)):
        flags = {i: scores[i] >= t for i in range(len(scores))}
        m = prf(flags, dict(enumerate(gold)))
        if m["F1"] > best[0]:
            best = (m["F1"], t, m)
        if m["P"] >= min_p and m["R"] > 0 and m["F1"] > best_p[0]:
            best_p = (m["F1"], t, m)
    return best_p[1], best_p[2], best[1], best[2]


PROBE_L2 = 300.0  # chosen by out-of-fold ROC-AUC on GUG half A among 100, 300, 1,000 and 3,000


def fit_probe(P, y, w, folds, n_a: int, out: Path | None):
    """Fit GR900's lm-probe on pooled hidden states; return its out-of-fold log-odds (the stacked feature).

    The model's own weights then see the probe as it behaves on sentences it was not fitted on. The
    probe fitted on all rows is written to ``out`` as the YAML to paste under params.
    """
    oof = out_of_fold(P, y, w, folds, l2=PROBE_L2, iters=30)
    a = auc([oof[i] for i in range(n_a) if y[i]], [oof[i] for i in range(n_a) if not y[i]])
    print(f"  lm-probe (layer {lm_layer()}, l2 {PROBE_L2}): out-of-fold ROC-AUC on half A {a:.3f}")
    if out is not None:
        b0, coef = logistic(P, y, w, l2=PROBE_L2, iters=30)
        out.write_text(probe_yaml("lm-probe", lm_layer(), b0, coef), encoding="utf-8")
        print(f"  lm-probe written to {out}")
    return oof


def lm_layer() -> int:
    from qualcheck.backends import lm

    return lm.POOL_LAYER


def fit(with_lm: bool, bbc_weight: float, probe_out: Path | None = None) -> None:
    """Fit GR900 on GUG half A (+ BBC tune half as clean sentences) and print the params and the half-A thresholds."""
    import numpy as np

    names = WITH_LM if with_lm else BASE
    gug_a = [(f, y, pooled) for f, y, half, _, pooled in FIT["gug"] if half == 0]
    X = np.array([vector(f, names) for f, _, _ in gug_a])
    y = np.array([float(g) for _, g, _ in gug_a])
    w = np.ones(len(y))
    bbc_rows = FIT.get("bbc", []) if bbc_weight else []
    bbc = np.array([vector(f, names) for f, _ in bbc_rows]).reshape(-1, len(names))
    if len(bbc):
        share = bbc_weight * (1 - y).sum() / len(bbc)  # the BBC half weighs bbc_weight times GUG A's clean sentences
        X, y, w = np.vstack([X, bbc]), np.concatenate([y, np.zeros(len(bbc))]), np.concatenate([w, np.full(len(bbc), share)])
    # out-of-fold predictions on half A (5 folds) choose the threshold
    n_a = len(gug_a)
    oof = np.zeros(n_a)
    folds = np.arange(n_a) % 5
    if with_lm and "lm-probe" in names:
        pooled = [p for _, _, p in gug_a] + [p for _, p in bbc_rows]
        if any(p is None for p in pooled):
            sys.exit("eval_grammar: --fit --lm needs every sentence's pooled state; rerun without a stale --lm-cache")
        P = np.array(pooled, dtype=np.float64)
        X[:, names.index("lm-probe")] = fit_probe(P, y, w, np.concatenate([folds, np.arange(len(bbc)) % 5]), n_a, probe_out)
    for k in range(5):
        train = np.concatenate([folds != k, np.ones(len(y) - n_a, bool)])
        b0, coef = logistic(X[train], y[train], w[train])
        oof[folds == k] = predict(b0, coef, X[:n_a][folds == k])
    b0, coef = logistic(X, y, w)
    t85, m85, tbest, mbest = choose_threshold(list(oof), list(y[:n_a] > 0))
    from metrics import auc as _auc

    a = _auc([oof[i] for i in range(n_a) if y[i]], [oof[i] for i in range(n_a) if not y[i]])
    label = "with LM" if with_lm else "without LM"
    print(f"GR900 fit {label} (BBC tune weight {bbc_weight}): sentence-level out-of-fold ROC-AUC on half A {a:.3f}")
    print(f"  threshold at max F1 with P >= 0.85: {t85} {m85}")
    print(f"  best-F1 threshold: {tbest} {mbest}")
    weights = {}
    for n, c in zip(names, coef):
        for code in (PATTERNS if n == "patterns" else (n,)):
            weights[code] = round(float(c), 4)
    prefix = "lm-" if with_lm else ""
    print(f"  {prefix}intercept: {float(b0):.4f}")
    print(f"  {prefix}weights: {{{', '.join(f'{k}: {v}' for k, v in weights.items())}}}")
    print(f"  {prefix}threshold: {t85 if t85 is not None else tbest}")


def time_lm(path: Path, n: int, rounds: int = 3) -> None:
    """Time the LM pass on n GUG sentences: plain, with the confusion gains, and with the gains and the pooled state (one process)."""
    from qualcheck.backends import confusions, lm

    scorer, reason = lm.load()
    if scorer is None:
        sys.exit(f"eval_grammar: --time-lm: {reason}")
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))[:n]
    texts = [" ".join(r["sentence"].split()) for r in rows]
    gains = {"alternatives": confusions.alternatives, "insertions": confusions.INSERTIONS}
    variants = {"plain": {}, "gains": gains, "gains+pool": {**gains, "pool": True}}
    scorer.surprisal(texts[:32], **gains)  # warm up
    took = dict.fromkeys(variants, 0.0)
    for _ in range(rounds):
        for label, kw in variants.items():  # interleaved, so a busy spell on the machine hits all three
            began = time.perf_counter()
            scorer.surprisal(texts, **kw)
            took[label] += time.perf_counter() - began
    print(f"LM pass on {len(texts)} GUG sentences x {rounds} rounds: "
          + ", ".join(f"{k} {rounds * len(texts) / v:.1f} sentences/s" for k, v in took.items())
          + f"; time ratios against plain: gains {took['gains'] / took['plain']:.3f}, gains+pool {took['gains+pool'] / took['plain']:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path, help="the shared evaluation folder (../shared/eval)")
    ap.add_argument("--rules", default=None, help="another set of codes whose findings flag a sentence (GR104 is typography, not an error)")
    ap.add_argument("--bbc-limit", type=int, default=None, help="only the first N BBC articles of each half")
    ap.add_argument("--show", type=int, default=0, help="print N example BBC findings of GR101/GR103 per half")
    ap.add_argument("--skip-bbc", action="store_true")
    ap.add_argument("--lm", action="store_true", help="run with the language model (GR900 then uses its lm-weights)")
    ap.add_argument("--lm-cache", type=Path, default=Path("/tmp/qualcheck-gr-lm2.pkl"), help="LM results cached by sentence text")
    ap.add_argument("--fit", action="store_true", help="refit GR900 on GUG half A + the BBC tuning half and print its params")
    ap.add_argument("--bbc-weight", type=float, default=1.0, help="with --fit: the BBC tuning half weighs this many times GUG A's clean sentences")
    ap.add_argument("--thresholds", default=None, help="also report GR900 at these scores on GUG (e.g. the best-F1 point of --fit)")
    ap.add_argument("--probe-out", type=Path, default=None, help="with --fit --lm: write the fitted lm-probe (YAML to paste under GR900's params) here")
    ap.add_argument("--dump", type=Path, default=None, help="with --fit: also write the gathered features (a pickle, under /tmp)")
    ap.add_argument("--time-lm", type=int, default=0, metavar="N", help="only time the LM pass on N GUG sentences: plain, with the confusion gains, with the gains and the pooled state")
    args = ap.parse_args()
    if args.time_lm:
        return time_lm(args.eval_dir / "grammar" / "gug-train.tsv", args.time_lm)
    global SETTINGS, FIT, THRESHOLDS
    THRESHOLDS = [float(t) for t in args.thresholds.split(",")] if args.thresholds else []
    if args.lm:
        SETTINGS = Settings(lm=True)
        cache_lm(args.lm_cache)
    if args.fit:
        FIT = {}
    gr = [r for r in ruleset.load().rules if r.code.startswith("GR")]  # GR103, GR203 and GR900 too, although opt-in
    sets = {
        "default": DEFAULT,
        "default+GR103": DEFAULT | {"GR103"},
        "default+GR203": DEFAULT | {"GR203"},
        "GR203 alone": {"GR203"},
        "default+GR205": DEFAULT | {"GR205"},
        "GR205 alone": {"GR205"},
        "GR206 alone": {"GR206"},
        "default without GR206": DEFAULT - {"GR206"},
        "grammar only": {"GR102", "GR103", "GR201", "GR202", "GR203"},
        "GR103 alone": {"GR103"},
        "GR900 alone": {"GR900"},
    }
    if args.rules:
        sets["--rules"] = set(args.rules.split(","))
    gug(args.eval_dir / "grammar" / "gug-train.tsv", gr, sets)
    gmeg(args.eval_dir / "grammar" / "gmeg-wiki-dev.tsv", gr, sets)
    if not args.skip_bbc:
        bbc(args.eval_dir / "clean" / "bbc", gr, args.bbc_limit, args.show, only_tune=args.fit)
    if FIT is not None and args.dump:
        args.dump.write_bytes(pickle.dumps(FIT))
    if FIT is not None:
        for weight in (0.0, args.bbc_weight):
            fit(False, weight)
            if args.lm:
                fit(True, weight, args.probe_out if weight == args.bbc_weight else None)


if __name__ == "__main__":
    main()
