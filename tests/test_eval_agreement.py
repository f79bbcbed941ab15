"""Cross-source contradictions on MRPC pairs nobody here wrote (../shared/eval): held-out floors.

The test half (a hash of the pair ids) was never looked at while the extraction was tuned. Measured
there: precision 0.65 (55 of 84 flagged pairs are labelled not equivalent), 8.4% of non-equivalent
and 2.2% of equivalent pairs flagged (issue 15, third part: a move stated with its level or its
start is compared only with a move from the same start, a reading during the day only with one at
a stated time; before it 0.60 / 8.4% / 2.7%). The floors sit just under, so a change that loses
real disagreements or adds false ones fails here. The non-equivalent floor was lowered from 8.0%
when figures of different owners (issue 15: another company, index, place or period) stopped being
compared: those hits were label-"correct" but not contradictions. About 10 s.
"""

from __future__ import annotations


def test_contradictions_on_held_out_mrpc_pairs(eval_dir, bench):
    result = bench("eval_agreement").mrpc(eval_dir / "agreement" / "mrpc-train.tsv")
    test = result["test"]
    assert test["pairs"] == 1978 and test["not_equivalent"] == 656
    assert test["precision"] >= 0.64
    assert test["rate_on_not_equivalent"] >= 0.083
    assert test["rate_on_equivalent"] <= 0.023  # the goal is <= 0.03
    assert test["fired_pairs_by_code"]["FA102"] == 0  # person titles never clash inside one MRPC pair
