"""Two checks of GR900's lm-probe beyond the odd/even GUG halves of eval_grammar.py.

Usage: python bench/eval_grammar_probe.py ../shared/eval --dump /tmp/gr-fit.pkl [--synthetic 1500]

--dump is the pickle that ``eval_grammar.py ../shared/eval --lm --fit --dump F`` writes (GUG and BBC
tuning-half sentences with their features and pooled LM states).

1. Block splits: GUG is split into two contiguous id blocks instead of odd/even ids (neighbouring ids
   may share an essay); GR900 with and without the probe is fitted on one block (the procedure of
   eval_grammar.py --fit: probe out-of-fold log-odds stacked, BBC tuning half as clean sentences,
   threshold at P >= 0.85 on out-of-fold predictions) and measured on the other.
2. Synthetic slips (--synthetic N, needs the LM): N BBC tuning-half sentences (articles not in the
   fit) and a copy of each with one slip (another inflection of a word, an article or preposition
   swapped or dropped, a function word dropped, two words swapped). A probe fitted on these pairs
   alone, with no GUG sentence, is scored on every GUG sentence: if it ranks them well, the probe
   reads grammaticality rather than the look of GUG's essays.
"""

from __future__ import annotations

import argparse
import csv
import pickle
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_grammar as eg  # noqa: E402
import numpy as np  # noqa: E402
from metrics import auc, logistic, out_of_fold  # noqa: E402


def fit_and_measure(train, test, bbc, names, probe=None, l2=eg.PROBE_L2) -> dict:
    """Fit on ``train`` (+ ``bbc`` as clean) and measure on ``test``; rows are (features, label, state) / (features, state).

    ``probe`` names the column that holds the probe's log-odds (its states are the rows' third/second items).
    """
    X = np.array([eg.vector(f, names) for f, _, _ in train] + [eg.vector(f, names) for f, _ in bbc])
    y = np.array([float(g) for _, g, _ in train] + [0.0] * len(bbc))
    n = len(train)
    w = np.concatenate([np.ones(n), np.full(len(bbc), (1 - y[:n]).sum() / len(bbc))])
    XT = np.array([eg.vector(f, names) for f, _, _ in test])
    yT = np.array([bool(g) for _, g, _ in test])
    folds = np.concatenate([np.arange(n) % 5, np.arange(len(bbc)) % 5])
    if probe:
        j = names.index(probe)
        P = np.array([p for _, _, p in train] + [p for _, p in bbc], dtype=np.float64)
        X[:, j] = out_of_fold(P, y, w, folds, l2=l2, iters=30)
        b0, c = logistic(P, y, w, l2=l2, iters=30)
        XT[:, j] = b0 + np.array([p for _, _, p in test], dtype=np.float64) @ c
    oof = np.zeros(n)
    for k in range(5):
        keep = np.concatenate([folds[:n] != k, np.ones(len(bbc), bool)])
        b0, c = logistic(X[keep], y[keep], w[keep])
        oof[folds[:n] == k] = eg.predict(b0, c, X[:n][folds[:n] == k])
    t85, _, tbest, _ = eg.choose_threshold(list(oof), list(y[:n] > 0))
    b0, c = logistic(X, y, w)
    p = eg.predict(b0, c, XT)
    out = {"auc": auc(list(p[yT]), list(p[~yT])), "threshold_at_p85": t85 is not None}
    for key, t in (("", t85 if t85 is not None else tbest), ("best_", tbest)):
        flags = p >= t
        tp = (flags & yT).sum()
        prec, rec = tp / max(1, flags.sum()), tp / yT.sum()
        out |= {key + "P": prec, key + "R": rec, key + "F1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}
    return out


def block_splits(eval_dir: Path, fit: dict) -> None:
    rows = list(csv.DictReader((eval_dir / "grammar" / "gug-train.tsv").open(encoding="utf-8"), delimiter="\t"))
    id_of: dict[str, int] = {}
    for r in rows:
        id_of.setdefault(" ".join(r["sentence"].split()), int(r["id"]))
    items = [(f, y, p, id_of[" ".join(t.split())]) for f, y, _, t, p in fit["gug"] if " ".join(t.split()) in id_of]
    ids = sorted(i for *_, i in items)
    cut = ids[len(ids) // 2]
    splits = {"odd/even ids (eval_grammar.py)": lambda i: i % 2 == 0, "ids below -> above the median": lambda i: i < cut,
              "ids above -> below the median": lambda i: i >= cut}
    print(f"GR900 on GUG, {len(items)} sentences; fitted on one part (+ {len(fit['bbc'])} BBC tuning sentences), measured on the other:")
    for label, in_train in splits.items():
        train = [(f, y, p) for f, y, p, i in items if in_train(i)]
        test = [(f, y, p) for f, y, p, i in items if not in_train(i)]
        for with_probe in (False, True):
            names = eg.WITH_LM if with_probe else tuple(n for n in eg.WITH_LM if n != "lm-probe")
            got = fit_and_measure(train, test, fit["bbc"], names, "lm-probe" if with_probe else None)
            a, prec, rec, f1 = got["auc"], got["P"], got["R"], got["F1"]
            print(f"  {label:32} {'with' if with_probe else 'without'} the probe: ROC-AUC {a:.3f}  P {prec:.3f} R {rec:.3f} F1 {f1:.3f}")


ARTICLES, PREPOSITIONS = ("a", "an", "the"), ("in", "on", "at", "to", "for", "of", "with", "from", "by", "about")
FUNCTION_WORDS = ARTICLES + PREPOSITIONS + ("is", "are", "was", "were", "has", "have", "will", "that", "it")


def other_forms(word: str) -> list[str]:
    from lemminflect import getAllInflections, getAllLemmas

    forms = {f for lemmas in getAllLemmas(word).values() for lemma in lemmas for fs in getAllInflections(lemma).values() for f in fs}
    forms.discard(word)
    return sorted(forms)


def slip(sentence: str, rng: random.Random) -> str | None:
    """The sentence with one learner-like slip, or None when 20 tries found no place for one."""
    words = sentence.split()
    for _ in range(20):
        k = rng.randrange(1, len(words) - 1)
        w, op = words[k], rng.choice(("inflection", "inflection", "article", "preposition", "drop", "swap"))
        if op == "inflection" and w.isalpha() and w.islower() and (alts := other_forms(w)):
            return " ".join(words[:k] + [rng.choice(alts)] + words[k + 1 :])
        if op == "article" and w.lower() in ARTICLES:
            alt = rng.choice([a for a in (*ARTICLES, "") if a != w.lower()])
            return " ".join(words[:k] + ([alt] if alt else []) + words[k + 1 :])
        if op == "preposition" and w.lower() in PREPOSITIONS:
            return " ".join(words[:k] + [rng.choice([p for p in PREPOSITIONS if p != w.lower()])] + words[k + 1 :])
        if op == "drop" and w.lower() in FUNCTION_WORDS:
            return " ".join(words[:k] + words[k + 1 :])
        if op == "swap" and w.isalpha() and words[k + 1].isalpha():
            return " ".join(words[:k] + [words[k + 1], w] + words[k + 2 :])
    return None


def synthetic(eval_dir: Path, fit: dict, n: int, seed: int = 11) -> None:
    from qualcheck.backends import lm
    from qualcheck.document import Document

    scorer, reason = lm.load()
    if scorer is None:
        sys.exit(f"eval_grammar_probe: --synthetic needs the LM: {reason}")
    rng = random.Random(seed)
    folder = eval_dir / "clean" / "bbc"
    tune = [p for p in sorted(folder.rglob("*.txt")) if eg.bbc_half(p.relative_to(folder).as_posix()) == "tune"]
    sentences = []
    for path in tune[40:]:  # eval_grammar.py --fit --bbc-limit 40 fits on the first 40
        doc = Document(id=str(path), raw=path.read_text(encoding="utf-8", errors="replace"))
        for s in doc.sentences:
            text = " ".join(doc.text[s.start : s.end].split())
            if 6 <= len(text.split()) <= 40 and text[-1] in '.?!"':
                sentences.append(text)
        if len(sentences) >= 4 * n:
            break
    rng.shuffle(sentences)
    pairs = [(s, bad) for s in sentences[:n] if (bad := slip(s, rng))]
    scored = scorer.surprisal([t for pair in pairs for t in pair], pool=True)
    keep = [k for k in range(len(pairs)) if scored[2 * k].pooled is not None and scored[2 * k + 1].pooled is not None]
    X = np.array([scored[2 * k + j].pooled for k in keep for j in (0, 1)], dtype=np.float64)
    y = np.array([0.0, 1.0] * len(keep))
    b0, c = logistic(X, y, np.ones(len(y)), l2=eg.PROBE_L2, iters=30)
    G = np.array([p for *_, p in fit["gug"]], dtype=np.float64)
    g = np.array([bool(y_) for _, y_, *_ in fit["gug"]])
    odds = b0 + G @ c
    print(f"A probe fitted on {len(keep)} BBC sentences and their slipped copies only (no GUG): "
          f"ROC-AUC {auc(list(odds[g]), list(odds[~g])):.3f} on all {len(g)} GUG sentences")
    for clean, bad in pairs[:5]:
        print(f"  e.g. {bad!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path, help="the shared evaluation folder (../shared/eval)")
    ap.add_argument("--dump", type=Path, required=True, help="the pickle of eval_grammar.py --lm --fit --dump")
    ap.add_argument("--synthetic", type=int, default=0, metavar="N", help="also fit a probe on N synthetic pairs (runs the LM)")
    args = ap.parse_args()
    fit = pickle.loads(args.dump.read_bytes())
    if not fit.get("gug") or len(fit["gug"][0]) < 5 or any(p is None for *_, p in fit["gug"]):
        sys.exit("eval_grammar_probe: the dump has no pooled states; write it with eval_grammar.py --lm --fit --dump")
    block_splits(args.eval_dir, fit)
    if args.synthetic:
        synthetic(args.eval_dir, fit, args.synthetic)


if __name__ == "__main__":
    main()
