"""The unpacked py3langid model in the cache scores every text exactly as py3langid's own loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcheck import user_cache
from qualcheck.backends import langid

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEXTS = [
    "The prime minister said on Tuesday that talks would resume next week.",
    "Der Bundeskanzler hat heute gesagt, dass die Gespräche nächste Woche weitergehen.",
    "Le président a déclaré mardi que les négociations reprendraient la semaine prochaine.",
    "नेपाल एक सुन्दर देश हो र यहाँ धेरै हिमालहरू छन्।",
    "",
    "12345 !!!",
    "GREAT 🌅 NEWS",
]


@pytest.fixture()
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv(user_cache.CACHE_ENV, str(tmp_path / "cache"))
    langid._identifier.cache_clear()
    yield tmp_path / "cache"
    langid._identifier.cache_clear()


def _reference():
    from py3langid.langid import LanguageIdentifier

    return LanguageIdentifier.from_model_file(langid._model_file(), norm_probs=True)


def test_cached_model_scores_like_py3langid(fresh):
    reference = _reference()
    texts = TEXTS + [p for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")]
    first = langid._from_cache(langid._model_file())  # unpacks into the cache
    assert list(fresh.glob("py3langid-*/ptc.npy")), "the model was not unpacked into the cache folder"
    second = langid._from_cache(langid._model_file())  # maps the unpacked files
    for text in texts:
        assert first.rank(text) == reference.rank(text)
        assert second.rank(text) == reference.rank(text)


def test_identify_names_the_language(fresh):
    assert langid.identify(TEXTS[1])[0][0] == "de"
    assert langid.identify(TEXTS[0])[0][0] == "en"


def test_unwritable_cache_falls_back_to_unpacking_in_memory(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(user_cache.CACHE_ENV, str(blocker / "cache"))
    langid._identifier.cache_clear()
    try:
        with pytest.raises(OSError):
            langid._unpacked(langid._model_file())
        assert langid.identify(TEXTS[2])[0][0] == "fr"
    finally:
        langid._identifier.cache_clear()
