"""The recommended gate and the residue check on data nobody here wrote (../shared/eval): held-out floors.

The halves named ``test`` were never looked at while tuning: residue blocks from L3S-GN1 sites of the
test half (no site on both sides), office swaps in BBC articles of file-hash half B.
"""

from __future__ import annotations

import json

import pytest


def test_injected_residue_and_wrong_titles_fail_the_gate_on_the_held_out_halves(eval_dir, tmp_path, bench):
    """30 articles per set keep it short (93.3% and 93.3%; titles 83.3% before one source's several
    articles could place an undated title, session 15; residue 86.7% before two residue lines capped
    boilerplate, titles 76.7% before established sources placed undated titles). With 60, the test halves give residue 95.0% (85.0% before two residue lines capped
    boilerplate, 86.7% before BP306, 83.3% before the lines below page notices, 76.7% before the tail
    notices) and titles 95.6% (88.9% before one source's articles could place an undated title, 84.4%
    before established sources placed an undated new article's
    title held at another time, 82.2% before titles after "former"/"ex-" were judged, 77.8% before
    undated articles were dated, 68.9% before the cabinet offices)."""
    out = tmp_path / "gate.json"
    args = [str(eval_dir), "--sample", "30", "--sets", "residue-test,title-test", "--work", str(tmp_path / "w"), "--json", str(out)]
    assert bench("eval_gate").main(args) == 0
    sets = json.loads(out.read_text())["sets"]
    assert sets["residue-test"]["articles"] == 30 and sets["residue-test"]["share"] >= 0.93
    assert sets["title-test"]["articles"] == 30 and sets["title-test"]["share"] >= 0.93


def test_clean_news_passes_and_the_broken_seeds_fail(eval_dir, tmp_path, bench):
    """The first 200 BBC articles (both halves); all 1,069 gave 99.2%."""
    out = tmp_path / "gate.json"
    args = [str(eval_dir), "--sample", "1", "--sets", "clean,seeds", "--bbc-limit", "200", "--work", str(tmp_path / "w"), "--json", str(out)]
    assert bench("eval_gate").main(args) == 0
    result = json.loads(out.read_text())["sets"]
    assert result["clean"]["articles"] == 200 and result["clean"]["share"] >= 0.98
    assert {"001", "003"} <= set(result["seeds_failing"])
    # 002 ("Source link", a related headline) and 004 (date metadata, a photo credit) hold two residue
    # lines each, which cap boilerplate since scoring.several counts two; 000 fails on its quotation marks
    assert set(result["seeds_failing"]) == {"000", "001", "002", "003", "004"}


def test_residue_lines_of_unseen_sites_are_found(eval_dir, tmp_path, bench):
    """Line level, scraped article text from its headline to 3 lines past it, L3S-GN1 split by site:
    the test half (sites never looked at) gives P 0.947, R 0.889, F1 0.917 (issue 15's goal: F1 >= 0.85
    at P >= 0.90; before the blocks of residue between paragraphs, BP306, P 0.950, R 0.810; before the
    lines below page notices P 0.953, R 0.792; before the tail notices R 0.773)."""
    out = tmp_path / "bp.json"
    args = [str(eval_dir), "--split", "site", "--views", "headline", "--skip-bbc", "--json", str(out)]
    assert bench("eval_boilerplate").main(args) == 0
    test = json.loads(out.read_text())["l3s"]["headline..article+3"]["test"]
    assert test["precision"] >= 0.945 and test["recall"] >= 0.885 and test["f1"] >= 0.915


def test_residue_lines_stay_rare_in_clean_news(eval_dir, tmp_path, bench):
    """All 1,069 BBC articles: 2 of 6,242 lines flagged, 0.32 per 1,000 (issue 15's goal is 1.0; 7 lines
    before the article's own closing lists were told apart: a fact box under "HEAD TO HEAD", a referee
    under the line-ups). The two left are a rugby fact box under a feature's title ("Playing colours:")."""
    out = tmp_path / "bp.json"
    assert bench("eval_boilerplate").main([str(eval_dir), "--skip-l3s", "--json", str(out)]) == 0
    bbc = json.loads(out.read_text())["bbc"]
    assert bbc["lines"] == 6242 and bbc["flagged_lines_without_markup"] <= 2
    # BP110: the character references seven of the articles really hold ("pass&#233;", "F&#244;n"), no more
    assert bbc["by_rule"].get("BP110", 0) <= 8 and bbc["flagged_lines"] <= 2 + 7  # 8 references on 7 lines


@pytest.mark.parametrize("layout,most", [("wrapped", 2), ("no-blank-lines", 2), ("sentence-lines", 8)])
def test_clean_news_written_in_other_layouts_stays_clean(eval_dir, tmp_path, bench, layout, most):
    """The same BBC articles hard-wrapped at 72 columns (8.0 flagged lines per 1,000 before a wrapped
    paragraph was one block), with no blank line between paragraphs (61.2 per 1,000 before the first
    line was taken for the title), or one sentence a line (19.3 per 1,000 before, the titles; 0.4
    after: sport/371's fact box, a nominee list and a referee cut from their line-ups, a last
    sentence without its full stop, a reader's "LOL")."""
    out = tmp_path / "bp.json"
    assert bench("eval_boilerplate").main([str(eval_dir), "--skip-l3s", "--bbc-layout", layout, "--json", str(out)]) == 0
    assert json.loads(out.read_text())["bbc"]["flagged_lines_without_markup"] <= most  # BP110: see above


def test_the_line_model_lifts_whole_page_recall_on_unseen_sites(eval_dir, tmp_path, bench):
    """BP305 (opt-in), whole pages of L3S-GN1 split by site, test half: P 0.996 -> 0.994, R 0.697 -> 0.796,
    F1 0.820 -> 0.884 (0.992 / 0.876 / 0.931 with the rules of BP306 and BP109 beside it) (issue 15's goal F1 >= 0.85 at P >= 0.90); it adds no flag in clean BBC news."""
    out = tmp_path / "bp.json"
    args = [str(eval_dir), "--split", "site", "--views", "page", "--select", "BP,BP305", "--json", str(out)]
    assert bench("eval_boilerplate").main(args) == 0
    result = json.loads(out.read_text())
    test = result["l3s"]["page"]["test"]
    assert test["precision"] >= 0.99 and test["recall"] >= 0.79 and test["f1"] >= 0.88
    assert "BP305" not in result["bbc"]["by_rule"] and result["bbc"]["flagged_lines_without_markup"] <= 2


def test_visibly_broken_translations_on_the_tuning_stories_fail_and_clean_news_still_passes(eval_dir, tmp_path, bench):
    """MT901 (2 sentences at garble 0.7) fails 5 of 43 articles with 3 broken WMT23 sentences of the tuning
    stories (none before it); on the held-out stories it fails none (docs/gate.md), so no floor pins those."""
    out = tmp_path / "gate.json"
    args = [str(eval_dir), "--sample", "60", "--sets", "wmt-tune,wmt-test", "--work", str(tmp_path / "w"), "--json", str(out)]
    assert bench("eval_gate").main(args) == 0
    sets = json.loads(out.read_text())["sets"]
    assert sets["wmt-tune"]["articles"] == 43 and sets["wmt-tune"]["share"] >= 0.11
    assert sets["wmt-test"]["articles"] == 53
