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
    assert two.timings["corpus-facts-remote-workers"] == 1  # and the workers read the corpus rules' claims too
    assert render(two) == render(one)
    assert len(one.documents) == 15 and sum(len(d.findings) for d in one.documents) > 50


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="worker processes are forked")
def test_a_gate_run_reads_the_corpus_claims_in_workers_and_gives_the_one_process_report(tmp_path, monkeypatch):
    """One new article, a corpus without a store: the corpus rules' claims are read on every core."""
    from qualcheck import forked

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(forked, "MIN_PER_WORKER", 4)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(3):
        for p in sorted((ROOT / "seeds").glob("*.txt")):
            (folder / f"{i}_{p.name}").write_text(p.read_text(encoding="utf-8") + f"\nEdition {i}.\n", encoding="utf-8")
    new = tmp_path / "new.txt"
    new.write_text("Hungarian Prime Minister Viktor Orban met Russian President Vladimir Putin in Moscow on "
                   "Tuesday. British President Boris Johnson said more than 100,000 Russian troops were massed "
                   "near the border.\n", encoding="utf-8")
    settings = dict(paths=("new.txt",), corpus=("corpus",), root=str(tmp_path), cache=False)
    one = engine.run(Settings(**settings, jobs=1))
    two = engine.run(Settings(**settings, jobs=2))
    assert two.timings["corpus-facts-workers"] == 2 and "corpus-facts-workers" not in one.timings
    assert "workers" in two.timings and "workers" not in one.timings  # the new article checked by a worker beside them
    assert render(two) == render(one)
    assert [d.document for d in one.documents] == ["new.txt"]
    assert "British President Boris Johnson" in {f.excerpt for f in one.documents[0].findings if f.code == "FA102"}


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="worker processes are forked")
def test_name_counts_read_in_workers_equal_the_one_process_counts(tmp_path, monkeypatch):
    """The corpus name counts (MT101, spelling) are summed from forked workers' per-document counts."""
    from qualcheck import discover, forked
    from qualcheck.cache import NoCache, StoreCache
    from qualcheck.store import Store

    monkeypatch.setattr(forked, "MIN_PER_WORKER", 2)
    folder = tmp_path / "in"
    folder.mkdir()
    for i, p in enumerate(sorted((ROOT / "seeds").glob("*.txt"))):
        (folder / p.name).write_text(p.read_text(encoding="utf-8") + f"\nThe Ferris Wheel Trust said so in {i} Places.\n", encoding="utf-8")
    documents = discover.load([str(folder)], tmp_path, (), None).documents
    assert len(documents) == 5
    one, two = NoCache().names(documents, jobs=1), NoCache().names(documents, jobs=2)
    assert forked.workers(len(documents), 2) == 2
    assert (two.caps, two.lower, two.capitalised_in) == (one.caps, one.lower, one.capitalised_in)
    assert one.capitalised_in["wheel"] == len(documents) and one.caps["places"] == len(documents)
    store = StoreCache(Store(tmp_path / "store.sqlite"), "results", "claims")
    try:
        first, again = store.names(documents, jobs=2), store.names(documents, jobs=2)  # counted, then read back
        assert (first.caps, first.capitalised_in) == (again.caps, again.capitalised_in) == (one.caps, one.capitalised_in)
    finally:
        store.close()


def test_sentences_kept_from_the_names_pass_are_the_document_s_own(tmp_path):
    """The names pass segments each document once and the spans outlive ``release``; they are the
    spans the document would compute itself."""
    from qualcheck import discover
    from qualcheck.cache import NoCache

    documents = discover.load([str(ROOT / "seeds")], tmp_path, (), None).documents
    own = [[(s.start, s.end) for s in d.sentences] for d in documents]
    for d in documents:
        d.release()
    NoCache().names(documents, jobs=1)
    for d in documents:
        d.release()
        assert "_kept_sentences" in d.__dict__
    assert [[(s.start, s.end) for s in d.sentences] for d in documents] == own
    assert sum(map(len, own)) > 100
