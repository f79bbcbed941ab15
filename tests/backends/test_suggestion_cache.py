"""Hunspell's suggestions are kept between runs; a cache that cannot be used changes nothing."""

from __future__ import annotations

import gc
import sqlite3

import pytest

from qualcheck.backends import spelling
from qualcheck.backends.suggestion_cache import SuggestionCache


@pytest.fixture
def speller_with_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("QUALCHECK_CACHE_DIR", str(tmp_path / "cache"))
    try:
        return lambda: spelling.Speller("en_US", ("en_GB",))  # a new speller: no in-memory answers
    except OSError as exc:  # pragma: no cover - Debian's hunspell-en-us is a set-up requirement
        pytest.skip(str(exc))


def test_a_second_speller_reads_hunspell_s_answers_from_the_cache(speller_with_cache, monkeypatch):
    first = speller_with_cache()
    words = ["definately", "goverment", "recieve"]
    asked = [first.suggest(w) for w in words]
    assert "definitely" in asked[0] and "government" in asked[1] and "receive" in asked[2]
    second = speller_with_cache()
    monkeypatch.setattr(second._dict, "suggest", lambda word: pytest.fail(f"Hunspell asked again for {word!r}"))
    assert [second.suggest(w) for w in words] == asked
    assert second.common("definately", 2.0, 1.0) == first.common("definately", 2.0, 1.0) is False


def test_a_damaged_cache_file_is_ignored_and_suggestions_are_the_same(speller_with_cache):
    fresh = speller_with_cache().suggest("goverment")
    gc.collect()  # the first speller's connection closes, as when another run damaged the file
    cache = speller_with_cache()._kept
    cache.path.write_bytes(b"this is not a database" * 100)
    damaged = speller_with_cache()
    assert damaged.suggest("goverment") == fresh
    assert damaged._kept._broken


def test_a_cache_folder_that_cannot_be_made_is_a_miss(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("QUALCHECK_CACHE_DIR", str(blocker / "cache"))
    cache = SuggestionCache("key")
    assert cache.get("word") is None
    cache.put("word", ("ward",))  # no error
    assert cache.get("word") is None


def test_entries_are_kept_per_word_in_sqlite(tmp_path, monkeypatch):
    monkeypatch.setenv("QUALCHECK_CACHE_DIR", str(tmp_path))
    cache = SuggestionCache("key")
    cache.put("teh", ("the", "tech"))
    assert cache.get("teh") == ("the", "tech") and cache.get("tha") is None
    with sqlite3.connect(cache.path) as db:
        assert db.execute("SELECT word FROM suggestions").fetchall() == [("teh",)]
