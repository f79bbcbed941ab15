"""GR900 with the language model on data nobody here wrote (../shared/eval): a held-out accuracy floor.

GUG half B (odd ids) was never fitted on. This runs the real engine, the real LM pass and the
bundled lm-probe end to end, on every second item of half B to keep it short; on the whole half
bench/eval_grammar.py --lm gives P 0.892, R 0.753, ROC-AUC 0.931.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from qualcheck import engine, ruleset
from qualcheck.backends import lm
from qualcheck.config import Settings
from qualcheck.document import Document

BENCH = Path(__file__).resolve().parents[1] / "bench"
OK, WHY = lm.status()


@pytest.mark.skipif(not OK, reason=f"language model not installed: {WHY}")
def test_gr900_with_the_probe_ranks_and_flags_held_out_learner_sentences(eval_dir):
    sys.path.insert(0, str(BENCH))
    try:
        from metrics import auc
    finally:
        sys.path.remove(str(BENCH))
    rows = list(csv.DictReader((eval_dir / "grammar" / "gug-train.tsv").open(encoding="utf-8"), delimiter="\t"))
    held = [r for r in rows if int(r["id"]) % 2 == 1 and r["expert_1to4"] != "3"][::2]
    gold = {f"gug-{r['id']}": int(r["expert_1to4"]) <= 2 for r in held}
    docs = [Document(id=f"gug-{r['id']}", raw=r["sentence"]) for r in held]
    rules = [r for r in ruleset.load().rules if r.code.startswith("GR")]
    report = engine.check(docs, rules, Settings(lm=True))
    assert any("language model: surprisal on" in n.message for n in report.notices)
    score = {d.document: max((s["score"] for s in (d.grammar_sentences or [])), default=0.0) for d in report.documents}
    assert any("lm-probe" in s["features"] for d in report.documents for s in (d.grammar_sentences or []))
    flagged = {f.document for f in report.findings if f.code == "GR900"}
    tp = sum(1 for k, g in gold.items() if g and k in flagged)
    precision, recall = tp / max(1, len(flagged & set(gold))), tp / sum(gold.values())
    assert auc([score[k] for k, g in gold.items() if g], [score[k] for k, g in gold.items() if not g]) > 0.88
    assert precision > 0.8 and recall > 0.6, (precision, recall)
