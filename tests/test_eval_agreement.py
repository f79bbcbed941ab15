"""Cross-source contradictions on MRPC pairs nobody here wrote (../shared/eval): held-out floors.

The test half (a hash of the pair ids) was never looked at while the extraction was tuned. Measured
there: precision 0.59 (55 of 93 flagged pairs are labelled not equivalent), 8.4% of non-equivalent
and 2.9% of equivalent pairs flagged. The floors sit just under, so a change that loses real
disagreements or adds false ones fails here. About 10 s.
"""

from __future__ import annotations


def test_contradictions_on_held_out_mrpc_pairs(eval_dir, bench):
    result = bench("eval_agreement").mrpc(eval_dir / "agreement" / "mrpc-train.tsv")
    test = result["test"]
    assert test["pairs"] == 1978 and test["not_equivalent"] == 656
    assert test["precision"] >= 0.57
    assert test["rate_on_not_equivalent"] >= 0.080
    assert test["rate_on_equivalent"] <= 0.032
    assert test["fired_pairs_by_code"]["FA102"] == 0  # person titles never clash inside one MRPC pair
