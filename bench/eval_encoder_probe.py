"""GR900 with a small encoder's probe instead of the LM: held-out GUG figures beside today's default and --lm.

Usage: python bench/eval_encoder_probe.py ../shared/eval --dump /tmp/gr-fit.pkl [--engines minilm,smollm6,smollm8,smollm12]

--dump is the pickle that ``eval_grammar.py ../shared/eval --lm --fit --bbc-limit 40 --dump F`` writes
(GUG sentences and the BBC tuning sentences with their features, texts and pooled LM states). Each
engine's pooled states of the same sentences come from encoder_states.cached_pooled (cached under /tmp).

For each split of GUG that keeps neighbouring ids together as eval_grammar_probe.py does (ids below
-> above the median, above -> below; and the odd/even halves of eval_grammar.py), GR900 is fitted on
one part plus the BBC tuning sentences (as clean) with eval_grammar_probe.fit_and_measure
(probe: L2 logistic on the pooled state, its out-of-fold log-odds stacked as one feature; threshold
at P >= 0.85 on out-of-fold predictions) and measured on the other part, for:
- default: the offline features only (today's default model, refitted on the part);
- default + ENGINE probe: the same plus the encoder's probe (the candidate default);
- --lm: the offline features, the LM's surprisal statistics and its layer-20 probe (today's --lm).
Which layer an encoder's probe reads (minilm: 1-6; smollmK: layer K), and its L2, are chosen by
out-of-fold ROC-AUC on the fitting part only; the held-out part is never looked at before it is measured.
"""

from __future__ import annotations

import argparse
import csv
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import encoder_states  # noqa: E402
import eval_grammar as eg  # noqa: E402
from eval_grammar_probe import fit_and_measure  # noqa: E402  (the fitting procedure both scripts measure with)
import numpy as np  # noqa: E402
from metrics import auc, out_of_fold  # noqa: E402

L2S = (100.0, 300.0, 1000.0, 3000.0)


def layers_of(engine: str) -> tuple[int, ...]:
    return (1, 2, 3, 4, 5, 6) if engine == "minilm" else (int(engine.removeprefix("smollm")),)


def probe_oof_auc(train, bbc, l2) -> float:
    """Out-of-fold ROC-AUC of the probe alone on the fitting part's GUG rows (the BBC rows fitted, never scored)."""
    P = np.array([p for _, _, p in train] + [p for _, p in bbc], dtype=np.float64)
    y = np.array([float(g) for _, g, _ in train] + [0.0] * len(bbc))
    n = len(train)
    w = np.concatenate([np.ones(n), np.full(len(bbc), (1 - y[:n]).sum() / len(bbc))])
    folds = np.concatenate([np.arange(n) % 5, np.arange(len(bbc)) % 5])
    oof = out_of_fold(P, y, w, folds, l2=l2, iters=30)[:n]
    return auc(list(oof[y[:n] > 0]), list(oof[y[:n] == 0]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--dump", type=Path, required=True)
    ap.add_argument("--engines", default="minilm,smollm6,smollm8,smollm12")
    args = ap.parse_args()
    fit = pickle.loads(args.dump.read_bytes())
    if "bbc_texts" not in fit or any(p is None for *_, p in fit["gug"]):
        sys.exit("eval_encoder_probe: write the dump with this checkout's eval_grammar.py --lm --fit --bbc-limit 40 --dump F")
    rows = list(csv.DictReader((args.eval_dir / "grammar" / "gug-train.tsv").open(encoding="utf-8"), delimiter="\t"))
    id_of: dict[str, int] = {}
    for r in rows:
        id_of.setdefault(" ".join(r["sentence"].split()), int(r["id"]))
    gug = [(f, y, t, p, id_of[" ".join(t.split())]) for f, y, _, t, p in fit["gug"] if " ".join(t.split()) in id_of]
    bbc_f = [f for f, _ in fit["bbc"]]
    bbc_lm = [p for _, p in fit["bbc"]]
    ids = sorted(i for *_, i in gug)
    cut = ids[len(ids) // 2]
    splits = {"ids below -> above the median": lambda i: i < cut, "ids above -> below the median": lambda i: i >= cut,
              "even -> odd ids (half A -> B)": lambda i: i % 2 == 0}
    engines = [e for e in args.engines.split(",") if e]
    # smollm6/8 are the first layers of smollm12: their states are read from its graph (the same numbers)
    source = {e: ("smollm12" if e.startswith("smollm") else e) for e in engines}
    states = {e: (encoder_states.cached_pooled(source[e], [t for _, _, t, _, _ in gug], layers_of(e)),
                  encoder_states.cached_pooled(source[e], fit["bbc_texts"], layers_of(e))) for e in engines}
    print(f"GR900 on GUG, {len(gug)} sentences; fitted on one part (+ {len(bbc_f)} BBC tuning sentences as clean), measured on the other")
    for label, in_train in splits.items():
        tr = [k for k, g in enumerate(gug) if in_train(g[4])]
        te = [k for k, g in enumerate(gug) if not in_train(g[4])]
        print(f"\n{label}: fit on {len(tr)}, measure on {len(te)}")

        def show(name, m):
            print(f"  {name:42} ROC-AUC {m['auc']:.3f}  P {m['P']:.3f} R {m['R']:.3f} F1 {m['F1']:.3f}"
                  + ("" if m["threshold_at_p85"] else " (no P>=0.85 point on the fitting part: best-F1 threshold)")
                  + f"  | at the fitting part's best-F1 threshold: P {m['best_P']:.3f} R {m['best_R']:.3f} F1 {m['best_F1']:.3f}")

        base = tuple(eg.BASE)
        rows_of = lambda P, Q: ([(gug[k][0], gug[k][1], P[k]) for k in tr], [(gug[k][0], gug[k][1], P[k]) for k in te],
                                list(zip(bbc_f, Q)))
        tr_lm, te_lm, bb_lm = rows_of([g[3] for g in gug], bbc_lm)
        show("default (offline features)", fit_and_measure(tr_lm, te_lm, bb_lm, base))
        show("--lm (surprisal + layer-20 probe)", fit_and_measure(tr_lm, te_lm, bb_lm, tuple(eg.WITH_LM), "lm-probe"))
        show("--lm probe alone + default", fit_and_measure(tr_lm, te_lm, bb_lm, base + ("lm-probe",), "lm-probe"))
        for e in engines:
            G, B = states[e]
            best = None
            for j, layer in enumerate(layers_of(e)):
                fit_rows, _, bbc_rows = rows_of(G[:, j], B[:, j])
                a = probe_oof_auc(fit_rows, bbc_rows, eg.PROBE_L2)
                if best is None or a > best[0]:
                    best = (a, layer, j)
            _, layer, j = best
            tr_e, te_e, bb_e = rows_of(G[:, j], B[:, j])
            scored = [(probe_oof_auc(tr_e, bb_e, l2), l2) for l2 in L2S]
            a, l2 = max(scored)
            show(f"default + {e} probe (layer {layer}, L2 {l2:g})", fit_and_measure(tr_e, te_e, bb_e, base + ("lm-probe",), "lm-probe", l2))
            print(f"  {'':42} ({e}: probe alone, out-of-fold ROC-AUC on the fitting part {a:.3f})")


if __name__ == "__main__":
    main()
