"""GR900 with the language model on data nobody here wrote (../shared/eval): a held-out accuracy floor.

GUG half B (odd ids) was never fitted on. This runs the real engine, the real LM pass and the
bundled lm-probe end to end, on every second item of half B to keep it short: P 0.919, R 0.713
(57 of 80), ROC-AUC 0.941 with the int8 graph and GR900 refitted to it (session 15; on the whole half
P 0.897, R 0.734, F1 0.807, ROC-AUC 0.932; the float graph gave 0.892, 0.753, 0.817, 0.931).
The floors sit one sentence below those figures.
"""

from __future__ import annotations

import csv

import pytest

from qualcheck import engine, ruleset
from qualcheck.backends import lm
from qualcheck.config import Settings
from qualcheck.document import Document

OK, WHY = lm.status()


@pytest.mark.skipif(not OK, reason=f"language model not installed: {WHY}")
def test_gr900_with_the_probe_ranks_and_flags_held_out_learner_sentences(eval_dir, bench):
    auc = bench("metrics").auc
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
    assert auc([score[k] for k, g in gold.items() if g], [score[k] for k, g in gold.items() if not g]) > 0.93
    assert precision > 0.90 and recall > 0.69, (precision, recall)


def test_gr205_flags_agreement_slips_in_held_out_learner_sentences_and_none_rated_correct(eval_dir):
    """GR205 on GUG half B (odd ids; never read while writing the rule): 5 sentences rated 1-2 and 14
    rated 3 flagged, none of the 245 rated 4 (15 of its 19 flags are real agreement errors, judged by hand)."""
    rows = list(csv.DictReader((eval_dir / "grammar" / "gug-train.tsv").open(encoding="utf-8"), delimiter="\t"))
    held = [r for r in rows if int(r["id"]) % 2 == 1]
    docs = [Document(id=f"gug-{r['id']}", raw=r["sentence"]) for r in held]
    report = engine.check(docs, ruleset.load().select(("GR205",), ()), Settings())
    flagged = {f.document for f in report.findings}
    rating = {f"gug-{r['id']}": r["expert_1to4"] for r in held}
    by_rating = {k: sum(1 for d in flagged if rating[d] == k) for k in "1234"}
    assert by_rating["4"] == 0, by_rating
    assert by_rating["1"] + by_rating["2"] >= 5 and by_rating["3"] >= 14, by_rating


def test_default_rules_on_held_out_learner_sentences(eval_dir):
    """The default GR rules (GR101, GR102, GR201, GR202, GR204, GR206-GR210; GR104 is typography) on GUG half B,
    rated 1-2 against 4: P 0.590, R 0.513, F1 0.549 (bench/eval_grammar.py; 0.586 / 0.506 / 0.544 before
    GR207-GR210). Issue 15's goal, F1 >= 0.80 at P >= 0.85, is not met by the default rules; GR900 with
    the LM meets it (the test above)."""
    rows = list(csv.DictReader((eval_dir / "grammar" / "gug-train.tsv").open(encoding="utf-8"), delimiter="\t"))
    held = [r for r in rows if int(r["id"]) % 2 == 1 and r["expert_1to4"] != "3"]
    gold = {f"gug-{r['id']}": int(r["expert_1to4"]) <= 2 for r in held}
    docs = [Document(id=f"gug-{r['id']}", raw=r["sentence"]) for r in held]
    default = {"GR101", "GR102", "GR201", "GR202", "GR204", "GR206", "GR207", "GR208", "GR209", "GR210"}
    assert {r.code for r in ruleset.load().select((), ()) if r.code.startswith("GR")} == default | {"GR104"}
    report = engine.check(docs, ruleset.load().select(tuple(default), ()), Settings())
    flagged = {f.document for f in report.findings if f.code in default}
    tp = sum(1 for k, g in gold.items() if g and k in flagged)
    precision, recall = tp / len(flagged & set(gold)), tp / sum(gold.values())
    assert precision >= 0.58 and recall >= 0.50 and 2 * precision * recall / (precision + recall) >= 0.54, (precision, recall)
