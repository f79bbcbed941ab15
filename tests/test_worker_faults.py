"""A worker process that dies (the out-of-memory killer, a crash in a native library) does not end,
hang or falsify a run: what it had in hand is checked again one document at a time, a document that
kills its process on its own is named and left unchecked (the run is incomplete, so a gate cannot
pass it), and every other document gets the result a one-process run gives.

The deaths are real: a rule of a kind registered here sends SIGKILL to its own process when it
meets a marker in a document, but only in a worker (in the test's own process it finds nothing).
"""

from __future__ import annotations

import dataclasses
import importlib
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from qualcheck import engine
from qualcheck.config import Settings
from qualcheck.kinds import kind
from qualcheck.render.json import render

ROOT = Path(__file__).resolve().parent.parent
HERE = int(os.environ.setdefault("QUALCHECK_FAULTS_TEST_PID", str(os.getpid())))  # the test's process, also in Dask workers that import this

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="worker processes are forked")


@dataclass(frozen=True)
class DiesParams:
    marker: str = "POISON"
    once: str = ""  # a file: die only while it does not exist (it is created just before dying)


@kind("dies-in-worker", params=DiesParams)
def dies_in_worker(doc, rule, ctx):
    """Kill this process (as the out-of-memory killer would) on a document with the marker, in a worker only."""
    p = rule.params
    if os.getpid() != HERE and p.marker in doc.text:
        if p.once:
            if Path(p.once).exists():
                return iter(())
            Path(p.once).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return iter(())


def _rule(folder: Path, once: str = "") -> Path:
    rules = folder / "rules" / "boilerplate"
    rules.mkdir(parents=True)
    (rules / "BP991-dies-in-worker.yaml").write_text(
        "code: BP991\nname: dies-in-worker\nkind: dies-in-worker\nseverity: info\nmessage: \"never said\"\n"
        "summary: Kills its worker process on a marked document.\nwhy: To test what a run does when a worker dies.\n"
        f"params:\n  marker: POISON\n  once: '{once}'\n", encoding="utf-8")
    return rules.parent


def _corpus(folder: Path, marked: str) -> Path:
    """15 articles (the seeds, three editions each); the one whose name starts with ``marked`` gets the marker."""
    docs = folder / "in"
    docs.mkdir()
    for i in range(3):
        for p in sorted((ROOT / "seeds").glob("*.txt")):
            name = f"{i}_{p.name}"
            extra = " POISON" if name.startswith(marked) else ""
            (docs / name).write_text(p.read_text(encoding="utf-8") + f"\nEdition {i}: updated on Wednesday.{extra}\n", encoding="utf-8")
    return docs


def _settings(tmp_path: Path, rules: Path, **kw) -> Settings:
    return Settings(paths=("in",), root=str(tmp_path), rules=(str(rules),), select=("BP", "MT1", "RD"), **kw)


def test_a_document_that_kills_its_worker_is_named_and_the_others_are_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rules = _rule(tmp_path)
    _corpus(tmp_path, marked="1_002_")
    one = engine.run(_settings(tmp_path, rules, jobs=1))  # the rule finds nothing here: the reference
    two = engine.run(_settings(tmp_path, rules, jobs=2))
    assert "workers" in two.timings
    assert two.incomplete and not one.incomplete  # a gate must not pass a document that was not checked
    errors = [n for n in two.notices if n.level == "error"]
    poisoned_id = next(d.document for d in one.documents if d.document.startswith("in/1_002_"))
    assert [n.document for n in errors] == [poisoned_id]
    assert "died (killed by SIGKILL: perhaps out of memory)" in errors[0].message
    assert any(n.level == "warning" and "checked again one at a time" in n.message for n in two.notices)
    by_id = {d.document: d for d in two.documents}
    assert [d.document for d in two.documents] == [d.document for d in one.documents]  # nothing dropped
    poisoned = by_id[poisoned_id]
    assert {f.code for f in poisoned.findings} <= {"BP304"}  # only the corpus rule, which ran in this process
    assert any("not checked" in n.message for n in poisoned.notices)
    for ref in one.documents:  # every other document: the one-process result
        if ref.document != poisoned_id:
            got = by_id[ref.document]
            assert (got.findings, got.score, got.stats) == (ref.findings, ref.score, ref.stats)
    assert sum(len(d.findings) for d in one.documents) > 10


def test_a_worker_that_dies_once_costs_nothing_but_a_warning(tmp_path, monkeypatch):
    """The out-of-memory case: a worker is killed, the document is fine checked again."""
    monkeypatch.chdir(tmp_path)
    rules = _rule(tmp_path, once=str(tmp_path / "died-once"))
    _corpus(tmp_path, marked="2_004_")
    one = engine.run(_settings(tmp_path, rules, jobs=1))
    two = engine.run(_settings(tmp_path, rules, jobs=2))
    assert (tmp_path / "died-once").exists()  # a worker really died
    assert not two.incomplete
    assert [n.message for n in two.notices if n.level == "warning" and "worker process died" in n.message] == [
        "a worker process died (killed by SIGKILL: perhaps out of memory) while checking documents; "
        "the documents it had not finished were checked again one at a time"]
    without = dataclasses.replace(two, notices=tuple(n for n in two.notices if "worker process died" not in n.message))
    assert render(without) == render(one)


def test_the_unchecked_document_is_not_stored_and_is_tried_again(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rules = _rule(tmp_path)
    _corpus(tmp_path, marked="0_003_")
    store = str(tmp_path / "store.db")
    first = engine.run(_settings(tmp_path, rules, jobs=2, cache=True, store=store))
    assert first.incomplete
    with sqlite3.connect(store) as db:
        stored = {row[0] for row in db.execute("SELECT document FROM results")}
    poisoned_id = next(d.document for d in first.documents if d.document.startswith("in/0_003_"))
    assert len(stored) == 14 and poisoned_id not in stored
    again = engine.run(_settings(tmp_path, rules, jobs=1, cache=True, store=store))  # one process: the rule passes it
    assert not again.incomplete and (again.run_info["reused"], again.run_info["checked"]) == (14, 1)
    checked = {d.document: d for d in again.documents}[poisoned_id]
    assert not any("not checked" in n.message for n in checked.notices) and checked.stats["words"] > 100


def test_the_command_line_survives_a_worker_killed_from_outside(tmp_path):
    """SIGKILL sent to a worker of a real `qualcheck` process: no hang, no "terminated", a full report."""
    docs = tmp_path / "in"
    docs.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(12):
        for p in seeds:
            (docs / f"{i}_{p.name}").write_text(p.read_text(encoding="utf-8") + f"\nEdition {i}.\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "qualcheck", "in", "--no-cache", "--isolated", "-j", "2", "--report", "json", "-o", "out.json", "-q"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        pids = children.read_text().split() if children.exists() else []
        if pids:
            time.sleep(1.0)  # let it start checking
            killed = int(pids[0])
            try:
                os.kill(killed, signal.SIGKILL)
            except ProcessLookupError:
                killed = None
        else:
            time.sleep(0.05)
    try:
        out, err = proc.communicate(timeout=120)  # the run takes about 10 s
    except subprocess.TimeoutExpired:
        for pid in [proc.pid] + Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split():
            os.kill(int(pid), signal.SIGKILL)
        proc.communicate()
        pytest.fail("the run hung after its worker was killed")
    if killed is None:
        pytest.skip("the run ended before a worker could be killed")
    assert "terminated" not in err
    assert proc.returncode == 0, err
    import json

    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(report["documents"]) == 60


def _square_or_die(flag: str, item: int) -> int:
    if item == 17 and os.getpid() != HERE and not Path(flag).exists():
        Path(flag).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return item * item


def test_the_corpus_steps_compute_here_what_a_dead_worker_did_not_hand_back(tmp_path, monkeypatch):
    """Name counts and corpus facts (``forked.map_in_order``): the same results, in order, after a worker died."""
    import functools

    from qualcheck import forked

    monkeypatch.setattr(forked, "MIN_PER_WORKER", 2)
    flag = tmp_path / "died"
    items = list(range(40))
    out = list(forked.map_in_order(functools.partial(_square_or_die, str(flag)), items, 2))
    assert flag.exists()  # a worker really died
    assert out == [i * i for i in items]


def _die(_: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_work_given_after_a_worker_died_goes_to_a_new_pool(tmp_path):
    """A pool can break between two submits (a worker killed while the engine ran the corpus rules)."""
    from concurrent.futures.process import BrokenProcessPool

    from qualcheck.document_phase import _Workers

    workers = _Workers(2, {})
    try:
        broken, broken_pool = workers.submit(_die, None)
        with pytest.raises(BrokenProcessPool):
            broken.result(timeout=60)
        old = workers.pool
        future, pool = workers.submit(abs, -3)
        assert future.result(timeout=60) == 3 and pool is workers.pool  # not BrokenProcessPool
        assert workers.pool is not old
        assert workers.replace(broken_pool) == "killed by SIGKILL"
    finally:
        workers.shutdown()


try:
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # the dask extra is not installed: the test below skips
    _WorkerPlugin = object


class _ImportTheFaultyKind(_WorkerPlugin):
    """A Dask worker plugin: every worker, restarted ones too, imports this module, which registers the kind."""

    def setup(self, worker):
        importlib.import_module(__name__)


@pytest.mark.slow
def test_on_dask_a_document_that_kills_its_workers_is_named_and_the_others_are_checked(tmp_path, monkeypatch):
    """The scheduler gives up on a task that killed its workers (KilledWorker): the partition's
    documents are checked one per task, and only the one that kills every worker goes unchecked."""
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[dask]')")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(Path(__file__).parent), str(ROOT)]))
    rules = _rule(tmp_path)
    _corpus(tmp_path, marked="1_002_")
    one = engine.run(_settings(tmp_path, rules, jobs=1))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50) as cluster, \
            distributed.Client(cluster) as client:
        client.register_plugin(_ImportTheFaultyKind())
        two = engine.run(_settings(tmp_path, rules, dask=cluster.scheduler_address))
    poisoned_id = next(d.document for d in one.documents if d.document.startswith("in/1_002_"))
    assert two.incomplete and [n.document for n in two.notices if n.level == "error"] == [poisoned_id]
    assert any("checked again one at a time" in n.message for n in two.notices)
    by_id = {d.document: d for d in two.documents}
    assert [d.document for d in two.documents] == [d.document for d in one.documents]
    for ref in one.documents:
        if ref.document != poisoned_id:
            assert (by_id[ref.document].findings, by_id[ref.document].score) == (ref.findings, ref.score)


@pytest.mark.slow
def test_on_dask_a_cluster_without_workers_never_hangs_the_run(tmp_path, monkeypatch):
    """Workers that died and were not replaced (a nanny that gave up, a stopped machine) left the run
    waiting for ever; it now waits NO_WORKERS_GRACE, names every document it could not check (the run
    is incomplete, exit 2) and computes the corpus facts itself."""
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[dask]')")
    from qualcheck import dask_phase

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(dask_phase, "NO_WORKERS_GRACE", 2.0)
    monkeypatch.setattr(dask_phase, "POLL", 0.5)
    rules = _rule(tmp_path)
    _corpus(tmp_path, marked="none")
    started = time.monotonic()
    with distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=None, silence_logs=50) as cluster:
        report = engine.run(_settings(tmp_path, rules, dask=cluster.scheduler_address))
    assert time.monotonic() - started < 120
    assert report.incomplete
    errors = [n for n in report.notices if n.level == "error"]
    assert sorted(n.document for n in errors) == sorted(d.document for d in report.documents) and len(errors) == 15
    assert all("the Dask cluster has had no worker for 2 s" in n.message for n in errors)


def test_a_dask_scheduler_that_no_longer_answers_counts_as_no_worker():
    """Asking a closed scheduler for its workers raises; the wait must read that as "no worker", so the
    run ends after the grace period with the documents named, not with an internal error."""
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[dask]')")
    from qualcheck import dask_phase

    cluster = distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None, silence_logs=50)
    client = distributed.Client(cluster)
    try:
        assert dask_phase._has_workers(client)
        cluster.close()
        assert dask_phase._has_workers(client) is False
    finally:
        client.close()
        cluster.close()


@dataclass(frozen=True)
class HangsParams:
    marker: str = "HANGS"


@kind("hangs-in-worker", params=HangsParams)
def hangs_in_worker(doc, rule, ctx):
    """Never return on a document with the marker (as a native library stuck in a loop would), in a worker only."""
    if os.getpid() != HERE and rule.params.marker in doc.text:
        while True:
            time.sleep(60)
    return iter(())


def test_a_document_that_hangs_its_worker_is_named_after_the_time_limit_and_the_others_are_checked(tmp_path, monkeypatch):
    from qualcheck import limits

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(limits, "MAX_DOCUMENT_SECONDS", 2)  # the workers are forked from here: they inherit it
    rules = tmp_path / "rules" / "boilerplate"
    rules.mkdir(parents=True)
    (rules / "BP992-hangs-in-worker.yaml").write_text(
        "code: BP992\nname: hangs-in-worker\nkind: hangs-in-worker\nseverity: info\nmessage: \"never said\"\n"
        "summary: Never returns on a marked document.\nwhy: To test what a run does when a worker hangs.\n"
        "params:\n  marker: POISON\n", encoding="utf-8")
    _corpus(tmp_path, marked="2_001_")
    one = engine.run(_settings(tmp_path, rules.parent, jobs=1))
    started = time.monotonic()
    two = engine.run(_settings(tmp_path, rules.parent, jobs=2))
    assert time.monotonic() - started < 120
    hung = next(d.document for d in one.documents if d.document.startswith("in/2_001_"))
    errors = [n for n in two.notices if n.level == "error"]
    assert two.incomplete and [n.document for n in errors] == [hung]
    assert "killed by SIGALRM: a document's checks took longer than 2 s" in errors[0].message
    by_id = {d.document: d for d in two.documents}
    for ref in one.documents:
        if ref.document != hung:
            assert (by_id[ref.document].findings, by_id[ref.document].score) == (ref.findings, ref.score)
