"""The engine cache folder keeps the entries last used and drops those of old installs."""

from __future__ import annotations

import os
import time

from qualcheck import user_cache
from qualcheck.backends import langid


def _entry(folder, name, age_days):
    path = folder / name
    path.mkdir(parents=True)
    (path / "data.npy").write_bytes(b"x" * 10)
    stamp = time.time() - age_days * 86400
    os.utime(path, (stamp, stamp))
    return path


def test_prune_keeps_the_last_used_and_the_recent(tmp_path):
    old = [_entry(tmp_path, f"py3langid-0.4.0-{i}", age_days=10 + i) for i in range(5)]
    recent = _entry(tmp_path, "py3langid-0.3.0-9", age_days=0.1)  # used an hour or two ago by another install
    other_kind = _entry(tmp_path, "lemminflect-1-2", age_days=400)
    current = _entry(tmp_path, "py3langid-0.4.0-new", age_days=0)
    removed = user_cache.prune(current, "py3langid-")
    # the new entry and the two last used are kept (KEEP = 3); older ones go unless used within a day
    assert current.is_dir() and recent.is_dir() and old[0].is_dir()
    assert sorted(removed) == sorted(old[1:])
    assert not any(p.exists() for p in old[1:])
    assert other_kind.is_dir(), "another kind of entry was removed"


def test_prune_leaves_the_current_sqlite_files_alone(tmp_path):
    current = tmp_path / "hunspell-suggestions-abc.sqlite"
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"{current.name}{suffix}").write_text("db")
        stamp = time.time() - 30 * 86400
        os.utime(tmp_path / f"{current.name}{suffix}", (stamp, stamp))
    stale = [tmp_path / f"hunspell-suggestions-old{i}.sqlite" for i in range(4)]
    for i, p in enumerate(stale):
        p.write_text("db")
        os.utime(p, (time.time() - (40 + i) * 86400,) * 2)
    user_cache.prune(current, "hunspell-suggestions-")
    assert all((tmp_path / f"{current.name}{s}").exists() for s in ("", "-wal", "-shm"))
    assert [p.exists() for p in stale] == [True, True, False, False]


def test_a_new_langid_install_removes_the_unpacked_models_of_old_installs(monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv(user_cache.CACHE_ENV, str(cache))
    stale = [_entry(cache, f"py3langid-0.0.{i}-1-1", age_days=30 + i) for i in range(4)]
    folder = langid._unpacked(langid._model_file())
    assert (folder / "out_feat.npy").is_file()
    kept = sorted(p.name for p in cache.iterdir() if p.name.startswith("py3langid-"))
    assert kept == sorted([folder.name, stale[0].name, stale[1].name])
    # using the entry again marks it, so a later prune by another install keeps it
    os.utime(folder, (time.time() - 5 * 86400,) * 2)
    assert langid._unpacked(langid._model_file()) == folder
    assert time.time() - folder.stat().st_mtime < 60


def test_cache_info_names_the_engine_cache_and_its_size(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from qualcheck.cli import main

    cache = tmp_path / "cache"
    monkeypatch.setenv(user_cache.CACHE_ENV, str(cache))
    _entry(cache, "py3langid-0.4.0-1-1", age_days=0)
    result = CliRunner().invoke(main, ["--cache-info", "--store", str(tmp_path / "store.db")])
    assert result.exit_code == 0, result.output
    assert f"engine cache {cache}: 1 entry, 0.0 MB" in result.output
