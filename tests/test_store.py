"""The corpus store: cached runs equal fresh ones, name verdicts invalidate, bad files are set aside,
concurrent runs share it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qualcheck import engine
from qualcheck.config import Settings
from qualcheck.store import APPLICATION_ID, Store

ROOT = Path(__file__).resolve().parent.parent


def _json(report) -> dict:
    from qualcheck.render.json import to_dict

    out = to_dict(report)
    return out


def _settings(tmp_path: Path, paths, **kw) -> Settings:
    return Settings(paths=tuple(paths), root=str(tmp_path), cache=True, store=str(tmp_path / "s" / "store.db"), **kw)


@pytest.fixture
def seeds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        (tmp_path / "seeds" / p.name).write_bytes(p.read_bytes())
    return tmp_path


def test_cached_run_gives_the_report_of_a_fresh_run(seeds):
    fresh = engine.run(Settings(paths=("seeds",), root=str(seeds)))
    first = engine.run(_settings(seeds, ["seeds"]))
    second = engine.run(_settings(seeds, ["seeds"]))
    assert _json(first) == _json(fresh)
    assert _json(second) == _json(fresh)
    assert (first.run_info["reused"], first.run_info["checked"]) == (0, 5)
    assert (second.run_info["reused"], second.run_info["checked"]) == (5, 0)


def test_an_edited_document_is_checked_again_and_the_others_are_not(seeds):
    engine.run(_settings(seeds, ["seeds"]))
    target = sorted((seeds / "seeds").glob("*.txt"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nLeave a Reply\n", encoding="utf-8")
    again = engine.run(_settings(seeds, ["seeds"]))
    assert (again.run_info["reused"], again.run_info["checked"]) == (4, 1)
    doc = next(d for d in again.documents if d.document.endswith(target.name))
    assert any(f.code == "BP101" and f.excerpt == "Leave a Reply" and f.line == doc.text.count("\n") for f in doc.findings)


def test_another_rule_selection_is_not_served_from_the_store(seeds):
    engine.run(_settings(seeds, ["seeds"], select=("BP",)))
    full = engine.run(_settings(seeds, ["seeds"]))
    assert full.run_info["reused"] == 0
    assert {f.category for f in full.findings} > {"boilerplate"}


PRIME = "In his prime Direct statements on the crisis, the president said that the talks would continue next week.\n"


def test_a_name_the_corpus_now_agrees_on_invalidates_a_cached_finding(tmp_path, monkeypatch):
    """MT101 learns names from the whole run: a cached document must not keep a finding that the
    grown corpus would no longer make."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Putin on the crisis\n\n" + PRIME, encoding="utf-8")
    alone = engine.run(_settings(tmp_path, ["in"], select=("MT101",)))
    assert [f.excerpt for f in alone.findings] == ["Direct"]
    for name in ("b", "c", "d"):  # the grown corpus writes "Direct" capitalised mid-sentence, never lower-case
        (tmp_path / "in" / f"{name}.txt").write_text(f"Report {name}\n\nThe channel is called Direct by its owners. " + PRIME, encoding="utf-8")
    grown = engine.run(_settings(tmp_path, ["in"], select=("MT101",)))
    fresh = engine.run(Settings(paths=("in",), root=str(tmp_path), select=("MT101",)))
    assert _json(grown) == _json(fresh)
    assert not [f for f in grown.findings if f.document == "in/a.txt"]


def _garbage(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.mark.parametrize("content", [b"not a database at all\n" * 50, b"SQLite format 3\x00" + os.urandom(3000)])
def test_a_damaged_store_is_set_aside_and_rebuilt(seeds, content):
    store = seeds / "s" / "store.db"
    _garbage(store, content)
    report = engine.run(_settings(seeds, ["seeds"]))
    said = [n for n in report.notices if n.code == "store"]
    assert len(said) == 1 and said[0].level == "warning" and "built a new one" in said[0].message
    aside = [p for p in store.parent.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == content  # kept, never deleted
    assert len(report.documents) == 5
    again = engine.run(_settings(seeds, ["seeds"]))
    assert again.run_info["reused"] == 5


def test_another_programs_database_is_set_aside_not_used(seeds):
    store = seeds / "s" / "store.db"
    store.parent.mkdir()
    db = sqlite3.connect(store)
    db.execute("CREATE TABLE results (x)")
    db.execute("INSERT INTO results VALUES (1)")
    db.commit()
    db.close()
    report = engine.run(_settings(seeds, ["seeds"]))
    said = [n.message for n in report.notices if n.code == "store"]
    assert "not a qualcheck store" in said[0]
    with sqlite3.connect(store) as fresh:
        assert fresh.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def _full_disk() -> None:
    """In the child: files may not grow past 8 KiB, as on a full disk (writes fail with EFBIG, not a signal)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


@pytest.mark.skipif(sys.platform != "linux", reason="the full disk is a file-size limit (setrlimit)")
def test_a_full_disk_leaves_a_good_store_alone_and_the_run_goes_on(seeds):
    """A store that cannot be opened now (disk full, no permission) is not damaged: it is not set
    aside (its rows are kept for the next run), the run goes on without it and says so."""
    store = seeds / "s" / "store.db"
    env = {**os.environ, "QUALCHECK_STORE": str(store)}
    cmd = [sys.executable, "-m", "qualcheck", "seeds", "--report", "json", "--isolated"]
    subprocess.run(cmd + ["-q"], cwd=seeds, env=env, capture_output=True, check=True)
    with sqlite3.connect(store) as db:  # as a clean close leaves it: no -wal, no -shm to reuse
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for side in ("store.db-wal", "store.db-shm"):
        (store.parent / side).unlink(missing_ok=True)
    full = subprocess.run(cmd, cwd=seeds, env=env, capture_output=True, text=True, preexec_fn=_full_disk)
    assert full.returncode == 0, full.stderr
    assert len(json.loads(full.stdout)["documents"]) == 5
    said = [line for line in full.stderr.splitlines() if "store" in line]
    assert len(said) == 1 and "cannot open the store" in said[0] and "running without the store" in said[0], said
    assert not [p for p in store.parent.iterdir() if ".corrupt-" in p.name]
    again = subprocess.run(cmd, cwd=seeds, env=env, capture_output=True, text=True)
    assert "5 document(s) unchanged since they were checked" in again.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="the full disk is a file-size limit (setrlimit)")
def test_a_store_that_cannot_be_built_on_a_full_disk_leaves_no_file_behind(seeds):
    store = seeds / "s" / "store.db"
    env = {**os.environ, "QUALCHECK_STORE": str(store)}
    cmd = [sys.executable, "-m", "qualcheck", "seeds", "--report", "json", "--isolated"]
    full = subprocess.run(cmd, cwd=seeds, env=env, capture_output=True, text=True, preexec_fn=_full_disk)
    assert full.returncode == 0 and "running without the store" in full.stderr
    assert not [p.name for p in store.parent.iterdir()]  # a half-built file would be taken for a damaged one next time


def test_two_runs_at_once_share_the_store_without_damage(seeds):
    env = {**os.environ, "QUALCHECK_STORE": str(seeds / "s" / "store.db")}
    cmd = [sys.executable, "-m", "qualcheck", "seeds", "--report", "json", "--isolated", "-q"]
    procs = [subprocess.Popen(cmd + ["-o", f"r{i}.json"], cwd=seeds, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
    a, b = (json.loads((seeds / f"r{i}.json").read_text(encoding="utf-8")) for i in range(2))
    assert a["documents"] == b["documents"]
    with Store(seeds / "s" / "store.db") as st:
        info = st.info()
        assert info["results"] == 5 and info["names"] == 5
        assert st.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    third = subprocess.run(cmd + ["-o", "r3.json"], cwd=seeds, env={**env, "QUALCHECK_STORE": env["QUALCHECK_STORE"]}, capture_output=True, text=True, timeout=600)
    assert third.returncode == 0
    assert json.loads((seeds / "r3.json").read_text(encoding="utf-8"))["documents"] == a["documents"]


def test_cache_info_and_clear_from_the_command_line(seeds):
    env = {**os.environ, "QUALCHECK_STORE": str(seeds / "s" / "store.db")}
    run = lambda *args: subprocess.run([sys.executable, "-m", "qualcheck", *args], cwd=seeds, env=env, capture_output=True, text=True, timeout=600)  # noqa: E731
    assert "none yet" in run("--cache-info").stdout
    assert run("seeds", "--select", "BP", "-q").returncode == 0
    info = run("--cache-info").stdout
    assert "5 document(s), 5 checked result(s) from 1 rule set(s)" in info
    cleared = run("--cache-clear")
    assert cleared.returncode == 0 and "deleted" in cleared.stderr
    assert not (seeds / "s" / "store.db").exists()
    nocache = run("seeds", "--select", "BP", "-q", "--no-cache")
    assert nocache.returncode == 0 and not (seeds / "s" / "store.db").exists()


def test_claims_with_what_their_figures_belong_to_are_stored_and_read_back(tmp_path, monkeypatch):
    """A figure's owner (the company, place, period it measures) goes into the store with its claim,
    and a gate run that reads the corpus claims from the store gives the report a fresh one gives."""
    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ericsson results\n\nEricsson said on Tuesday that its third-quarter sales rose 5% to $3.2 billion, "
                                  "while Lucent's sales for the week fell 2% to $1.1 billion.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Ericsson sales climb\n\nSwedish telecoms firm Ericsson said its third-quarter sales rose 5% to $3.4 billion, "
                                  "helped by orders in China.\n", encoding="utf-8")
    (tmp_path / "new.txt").write_text("Ericsson beats forecasts\n\nEricsson's third-quarter sales rose 5% to $3.9 billion, the company said "
                                      "on Tuesday.\n", encoding="utf-8")
    from qualcheck.agreement import claims as _claims
    from qualcheck.discover import load

    owned = [c for d in load([str(corpus)], tmp_path, (), None).documents for c in _claims.extract(d, _claims.vocabulary()) if c.extra.get("owner")]
    assert owned, "the figures here have owners"
    fresh = engine.run(Settings(paths=("new.txt",), corpus=("corpus",), root=str(tmp_path)))
    first = engine.run(_settings(tmp_path, ["new.txt"], corpus=("corpus",)))
    second = engine.run(_settings(tmp_path, ["new.txt"], corpus=("corpus",)))
    assert _json(first) == _json(second) == _json(fresh)
    assert (second.run_info["reused"], second.run_info["checked"]) == (1, 0)
    with sqlite3.connect(tmp_path / "s" / "store.db") as db:
        payloads = [row[0] for row in db.execute("SELECT payload FROM claims")]
    assert len(payloads) == 3 and any("\\u0000O" in p or "\x00O" in p for p in payloads)  # owners went in, tagged
