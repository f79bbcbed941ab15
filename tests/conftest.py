"""Shared fixtures: paths to the project's seeds and to the optional shared evaluation data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EVAL = ROOT.parent / "shared" / "eval"
BENCH = ROOT / "bench"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def bench():
    """Import a script of bench/ by name: the eval tests run the very code its command runs."""
    import importlib
    import sys

    def load(name: str):
        sys.path.insert(0, str(BENCH))
        try:
            return importlib.import_module(name)
        finally:
            sys.path.remove(str(BENCH))

    return load


@pytest.fixture
def eval_dir() -> Path:
    if not EVAL.is_dir():
        pytest.skip(f"evaluation data not found at {EVAL} (only present beside the team's checkout)")
    return EVAL


@pytest.fixture(scope="session")
def seeds_report():
    """One full run over seeds/ from the project root (shared: the grammar engine makes runs slow)."""
    import os

    from qualcheck import check_paths

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        return check_paths(["seeds"])
    finally:
        os.chdir(here)


@pytest.fixture(autouse=True)
def _own_store(tmp_path_factory, monkeypatch):
    """Each test gets its own corpus store (the CLI keeps one by default), so no test reads another's results."""
    monkeypatch.setenv("QUALCHECK_STORE", str(tmp_path_factory.mktemp("store") / "store.db"))
