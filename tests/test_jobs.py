"""-j/--jobs: the document phase in worker processes gives the report of a one-process run."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from qualcheck import engine
from qualcheck.config import Settings
from qualcheck.render.json import render

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="worker processes are forked")
def test_two_workers_give_the_byte_identical_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(3):  # 15 articles: enough for two workers with several chunks each
        for p in seeds:
            text = p.read_text(encoding="utf-8")
            (folder / f"{i}_{p.name}").write_text(text + f"\nEdition {i}: the story was updated on Wednesday.\n", encoding="utf-8")
    one = engine.run(Settings(paths=("in",), root=str(tmp_path), jobs=1))
    two = engine.run(Settings(paths=("in",), root=str(tmp_path), jobs=2))
    assert "workers" in two.timings and "workers" not in one.timings  # the second really ran in workers
    assert render(two) == render(one)
    assert len(one.documents) == 15 and sum(len(d.findings) for d in one.documents) > 50
