"""Fit the residue line model (BP305) on the tune sites of L3S-GN1 and write its weights as rule data.

Usage:
    .venv/bin/python bench/train_line_model.py ../shared/eval [--out rules/boilerplate/data/line-model.json]

Pages are split by site exactly as ``bench/eval_boilerplate.py --split site`` does; only the
``tune`` half is read. Each tune page gives three documents (the three views of that script: the
whole page, the article with 3 lines either side, the headline to 3 lines after the article). The
document-phase BP rules (BP305's ``inputs``) run on them; every line they leave unflagged, other
than the title and the annotators' "supplemental" lines, is a training row: features from
``qualcheck/line_features.py``, label 1 for residue (not content, related content, comments), 0 for
the article (headline, full text). Each view weighs the same in the fit.

The model is gradient-boosted depth-3 trees for the log-loss (numpy; inference in pure Python).
An L2 logistic regression on the same rows is fitted alongside for comparison (out of fold only).
The threshold is chosen on out-of-fold probabilities (5 folds by site inside the tune half): the
lowest at which the lines the model adds (those no BP rule flags) reach ``--precision`` in every
view.
The test half is never read here; measure it with ``bench/eval_boilerplate.py --split site``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import eval_boilerplate as ev  # noqa: E402

from qualcheck import engine, line_features, ruleset  # noqa: E402
from qualcheck.kinds.line_model import document_rows  # noqa: E402

# Function words (a short English stoplist in jusText's spirit): their share tells prose from menus.
STOPWORDS = sorted(set("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours ourselves out over own same she should so
some such than that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your yours
yourself yourselves said says say says told according since though although however still yet even
may might must shall would could should one two three new last first year years
""".split()))

VIEWS = (("page", None, False), ("article±3", 3, False), ("headline..article+3", 3, True))
INPUT_PHASE = "document"


def input_rules():
    """The BP rules BP305 reads: every document-phase BP rule (BP304 runs on the corpus, after)."""
    return [r for r in ruleset.load().select(["BP"], []) if r.phase == INPUT_PHASE and r.kind != "line-model"]


def rows_for(pages, rules, stopwords):
    """Feature rows of the lines the input rules leave unflagged, in every view of ``pages``.

    Returns X, y, site ids, view ids, texts, whether a corpus rule (BP304) flags the row's line anyway,
    and per view the tally (tp, fp, residue lines) of all BP rules but BP305, over every line.
    """
    X, y, site, view, texts, taken = [], [], [], [], [], []
    tallies = []
    codes = {r.code for r in rules}
    every = [r for r in ruleset.load().select(["BP"], []) if r.kind != "line-model"]
    for v, (name, context, from_headline) in enumerate(VIEWS):
        docs, kept = [], []
        for page in pages:
            lines, labels = ev.crop(page, context, from_headline)
            doc, spans = ev.as_document(f"{page.name}.txt", lines, page.source)
            docs.append(doc)
            kept.append((page, dict(zip((s for s, _ in spans), labels))))
        report = engine.check(docs, every)
        found = {d.document: d.findings for d in report.documents}
        tally = [0, 0, 0]
        for doc, (page, label_at) in zip(docs, kept):
            spans = [f.span for f in found.get(doc.id, ()) if f.code in codes]
            lines, flagged, rows = document_rows(doc, spans, stopwords)
            _, anyflag, _ = document_rows(doc, [f.span for f in found.get(doc.id, ())], stopwords)
            for label, f in zip(label_at.values(), flag_lines(doc, label_at, found.get(doc.id, ()))):
                if label != ev.SUPPLEMENTAL:
                    residue = label in ev.RESIDUE
                    tally[0] += f and residue
                    tally[1] += f and not residue
                    tally[2] += residue
            labels = [label_at[ln.start] for ln in lines]  # a line that is only a URL is blank to the rules: no row
            title = doc.meta.title_span
            for ln, f, g, row, label in zip(lines, flagged, anyflag, rows, labels):
                if f or label == ev.SUPPLEMENTAL or (title and ln.start <= title.start < ln.end + 1):
                    continue
                X.append(row)
                y.append(1 if label in ev.RESIDUE else 0)
                site.append(int(hashlib.sha1(page.source.encode()).hexdigest()[:8], 16))
                view.append(v)
                texts.append(doc.text[ln.start : ln.end][:90])
                taken.append(g)
        tallies.append(tally)
        print(f"  {name}: {sum(1 for x in view if x == v)} lines unflagged by the input rules; all BP rules: "
              f"tp {tally[0]} fp {tally[1]} of {tally[2]} residue lines", file=sys.stderr)
    return np.array(X, float), np.array(y, float), np.array(site), np.array(view), texts, np.array(taken), tallies


def flag_lines(doc, label_at, findings) -> list[bool]:
    """Per line of ``label_at`` (start offset -> label), whether a finding overlaps it (as eval_boilerplate counts)."""
    starts = list(label_at)
    ends = [doc.raw.find("\n", s) for s in starts]
    spans = [(s, e if e >= 0 else len(doc.raw)) for s, e in zip(starts, ends)]
    hit = ev.flagged_lines(findings, spans)
    return [i in hit for i in range(len(starts))]


def fit_logistic(X, y, w, l2=1.0):
    """L2 logistic regression on standardised X by Newton's method (the baseline the trees are compared with)."""
    mean = X.mean(0)
    scale = X.std(0)
    scale[scale < 1e-9] = 1.0
    Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    beta = np.zeros(Z.shape[1])
    reg = np.full(Z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(Z @ beta, -50, 50)))
        step = np.linalg.solve((Z * (w * p * (1 - p))[:, None]).T @ Z + np.diag(reg), Z.T @ (w * (p - y)) + reg * beta)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return lambda X2: 1 / (1 + np.exp(-np.clip(((X2 - mean) / scale) @ beta[:-1] + beta[-1], -50, 50)))


def fit_trees(X, y, w, rounds=100, depth=3, rate=0.1, lam=1.0, min_hessian=5.0, bins=32):
    """Gradient-boosted regression trees for the log-loss (Newton leaves, splits on quantile bins).

    Returns (base log-odds, trees); a tree is (feature, threshold, value) lists in heap order (the
    children of node i are 2i+1 and 2i+2); a leaf has feature -1; a row goes left when x < threshold.
    """
    edges = [np.unique(np.quantile(X[:, f], np.linspace(0, 1, bins + 1)[1:-1])) for f in range(X.shape[1])]
    B = np.stack([np.searchsorted(e, X[:, f], side="right") for f, e in enumerate(edges)], axis=1)
    base = float(np.log((w * y).sum() / (w * (1 - y)).sum()))
    score = np.full(len(y), base)
    trees = []
    size = 2 ** (depth + 1) - 1
    for _ in range(rounds):
        p = 1 / (1 + np.exp(-score))
        g, h = w * (p - y), w * p * (1 - p)
        feature, threshold, value = [-1] * size, [0.0] * size, [0.0] * size
        stack = [(0, np.arange(len(y)), 0)]
        while stack:
            node, rows, d = stack.pop()
            G, H = g[rows].sum(), h[rows].sum()
            value[node] = float(-G / (H + lam) * rate)
            if d == depth or H < 2 * min_hessian:
                continue
            best = (0.0, -1, -1)
            for f, e in enumerate(edges):
                if not len(e):
                    continue
                GL = np.cumsum(np.bincount(B[rows, f], g[rows], len(e) + 1))[:-1]
                HL = np.cumsum(np.bincount(B[rows, f], h[rows], len(e) + 1))[:-1]
                ok = (HL >= min_hessian) & (H - HL >= min_hessian)
                gain = np.where(ok, GL**2 / (HL + lam) + (G - GL) ** 2 / (H - HL + lam) - G**2 / (H + lam), -1.0)
                k = int(gain.argmax())
                if gain[k] > best[0]:
                    best = (float(gain[k]), f, k)
            if best[1] < 0:
                continue
            _, f, k = best
            feature[node], threshold[node] = f, float(edges[f][k])
            left = B[rows, f] <= k
            stack += [(2 * node + 1, rows[left], d + 1), (2 * node + 2, rows[~left], d + 1)]
        trees.append((feature, threshold, value))
        score += tree_values((feature, threshold, value), X)
    return base, trees


def tree_values(tree, X):
    feature, threshold, value = (np.array(a) for a in tree)
    node = np.zeros(len(X), int)
    while True:
        f = feature[node]
        inner = f >= 0
        if not inner.any():
            return value[node]
        i = np.nonzero(inner)[0]
        node[i] = np.where(X[i, f[i]] < threshold[node[i]], 2 * node[i] + 1, 2 * node[i] + 2)


def predict_trees(model, X):
    base, trees = model
    return 1 / (1 + np.exp(-(base + sum(tree_values(t, X) for t in trees))))


def view_weights(view):
    """Each view weighs the same in total; the mean row weight is 1."""
    w = np.zeros(len(view))
    for v in np.unique(view):
        w[view == v] = len(view) / (len(np.unique(view)) * (view == v).sum())
    return w


def combined(prob, y, view, taken, tallies, threshold):
    """Per view, (P, R, F1, lines added, of them residue) of all BP rules plus the lines at or above ``threshold``."""
    out = []
    for v, (tp0, fp0, residue) in enumerate(tallies):
        m = (view == v) & ~taken & (prob >= threshold)
        tp, fp = tp0 + int(y[m].sum()), fp0 + int((1 - y[m]).sum())
        p, r = tp / max(1, tp + fp), tp / max(1, residue)
        out.append((p, r, 2 * p * r / (p + r) if p + r else 0.0, int(m.sum()), int(y[m].sum())))
    return out


def threshold_for(prob, y, view, taken, precision):
    """The lowest threshold at which the lines it adds (those no BP rule flags) reach ``precision`` in every view."""
    for t in np.arange(0.5, 1.0, 0.0005):
        for v in np.unique(view):
            m = (view == v) & ~taken & (prob >= t)
            if m.any() and y[m].mean() < precision:
                break
        else:
            return float(t)
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "rules" / "boilerplate" / "data" / "line-model.json")
    ap.add_argument("--rounds", type=int, default=100, help="boosting rounds (trees)")
    ap.add_argument("--depth", type=int, default=3, help="depth of each tree")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--precision", type=float, default=0.93, help="precision the added lines reach in every view of the tune sites")
    ap.add_argument("--errors", type=int, default=0, help="print this many highest-scored article lines per view (out of fold)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    pages = [p for p in ev.load_pages(args.data_dir / "boilerplate" / "l3s-gn1") if p.split("site") == "tune"]
    rules = input_rules()
    stopwords = frozenset(STOPWORDS)
    X, y, site, view, texts, taken, tallies = rows_for(pages, rules, stopwords)
    w = view_weights(view)
    print(f"{len(pages)} tune pages, {len(y)} rows, {int(y.sum())} residue; {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    fold = site % args.folds
    oof, oof_logistic = np.zeros(len(y)), np.zeros(len(y))
    for k in range(args.folds):
        train = fold != k
        oof[~train] = predict_trees(fit_trees(X[train], y[train], w[train], args.rounds, args.depth), X[~train])
        oof_logistic[~train] = fit_logistic(X[train], y[train], w[train])(X[~train])
    threshold = threshold_for(oof, y, view, taken, args.precision)
    if threshold is None:
        print("no threshold keeps the precision asked for", file=sys.stderr)
        return 1
    summary = {}
    rules_alone = combined(oof, y, view, taken, tallies, 2.0)
    logistic_t = threshold_for(oof_logistic, y, view, taken, args.precision)
    for v, (name, *_rest) in enumerate(VIEWS):
        row = {}
        for label, c in (("rules", rules_alone[v]), ("rules+trees", combined(oof, y, view, taken, tallies, threshold)[v]),
                         ("rules+logistic", combined(oof_logistic, y, view, taken, tallies, logistic_t or 2.0)[v])):
            row[label] = {"precision": round(c[0], 3), "recall": round(c[1], 3), "f1": round(c[2], 3), "added": c[3], "added_residue": c[4]}
        summary[name] = row
        print(f"  out of fold, {name}: " + "; ".join(f"{k} P {x['precision']} R {x['recall']} F1 {x['f1']} (+{x['added']})"
                                                     for k, x in row.items()), file=sys.stderr)
        if args.errors:
            idx = np.nonzero((view == v) & (y == 0) & ~taken)[0]
            for i in idx[np.argsort(-oof[idx])][: args.errors]:
                print(f"    {oof[i]:.3f} {texts[i]}", file=sys.stderr)
    print(f"threshold {threshold:.4f} (logistic: {logistic_t})", file=sys.stderr)
    base, trees = fit_trees(X, y, w, args.rounds, args.depth)
    data = {
        "about": "Boosted trees on line features (qualcheck/line_features.py) scoring a line as page residue; read by BP305.",
        "command": f"bench/train_line_model.py ../shared/eval --rounds {args.rounds} --depth {args.depth} --folds {args.folds} --precision {args.precision}",
        "data": "L3S-GN1 (boilerplate/l3s-gn1), tune half of the split by site (bench/eval_boilerplate.py --split site): "
                f"{len(pages)} pages, three views each, the lines the document-phase BP rules leave unflagged",
        "inputs": [r.code for r in rules],
        "threshold": round(threshold, 4),
        "out_of_fold": summary,
        "features": list(line_features.NAMES),
        "base": round(base, 6),
        "trees": [[f, [round(x, 6) for x in t], [round(x, 6) for x in v]] for f, t, v in trees],
        "stopwords": sorted(stopwords),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
