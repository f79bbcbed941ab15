"""The Dask path (--dask): a real LocalCluster of worker processes writes the report a single process writes."""

from __future__ import annotations

import dataclasses
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcheck import engine
from qualcheck.cli import main
from qualcheck.config import Settings
from qualcheck.render import json as json_render

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[dask]')")

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def _corpus(tmp_path: Path, bbc: int = 0) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(p, folder / p.name)
    if bbc:
        files = sorted((EVAL / "clean" / "bbc").rglob("*.txt"))
        random.Random(7).shuffle(files)
        for i, p in enumerate(files[:bbc]):
            shutil.copy(p, folder / f"bbc_{i:05d}.txt")
    return folder


def _both(folder: Path, **settings) -> tuple[str, str, dict]:
    base = Settings(paths=(str(folder),), root=str(folder), cache=False, **settings)
    single = engine.run(dataclasses.replace(base, jobs=1))
    dask = engine.run(dataclasses.replace(base, dask="local", jobs=2))
    return json_render.render(single), json_render.render(dask), dict(dask.timings)


@pytest.mark.slow
def test_a_local_cluster_of_two_workers_writes_the_single_process_report(tmp_path):
    folder = _corpus(tmp_path)
    for i in range(6):  # more documents than workers, so both take tasks; a copy from another source repeats a claim
        text = (folder / sorted(p.name for p in folder.iterdir())[i % 5]).read_text(encoding="utf-8")
        (folder / f"copy_{i}.txt").write_text(text.replace("Putin", "Vladimir Putin", 1), encoding="utf-8")
    single, dask, timings = _both(folder)
    assert dask == single
    assert timings["dask-workers"] >= 2  # two worker processes took tasks
    assert timings["corpus-facts-remote-workers"] == 1  # the claims were read on the cluster too
    assert '"FA1' in single  # the corpus step (agreement) ran on what the workers returned


@pytest.mark.slow
@pytest.mark.skipif(not (EVAL / "clean" / "bbc").is_dir(), reason="../shared/eval/clean/bbc is not here (a fresh clone has no ../shared)")
def test_seeds_and_2000_bbc_articles_on_dask_equal_one_process(tmp_path):
    single, dask, timings = _both(_corpus(tmp_path, bbc=2000))
    assert dask == single
    assert timings["dask-workers"] >= 2


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path):
    folder = _corpus(tmp_path)
    result = CliRunner().invoke(main, [str(folder), "--isolated", "--no-cache", "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if "error" in ln]
    assert len(lines) == 1 and "--dask tcp://127.0.0.1:9: cannot reach the scheduler" in lines[0]
