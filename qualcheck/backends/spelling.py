"""Spelling with Hunspell's en_US (and en_GB) dictionaries through pyenchant (Debian hunspell-en-us/-en-gb)."""

from __future__ import annotations

import functools
import threading

ENGINE = "hunspell"


class Speller:
    """A Hunspell dictionary behind a lock: Hunspell handles are not safe to share between threads."""

    def __init__(self, lang: str = "en_US", also: tuple[str, ...] = ("en_GB",)) -> None:
        try:
            import enchant
        except ImportError as exc:  # pyenchant is a core dependency, but libenchant may be missing
            raise OSError(f"pyenchant cannot load libenchant-2 ({exc})") from None
        try:
            self._dict = enchant.Dict(lang)
        except enchant.errors.DictNotFoundError:
            raise OSError(f"no Hunspell dictionary for {lang} (install hunspell-en-us)") from None
        # British spelling is standard in much of the news we check (BBC, Reuters): accept either
        self._others = [enchant.Dict(o) for o in also if enchant.dict_exists(o)]
        self.provider = self._dict.provider.name
        self._lock = threading.Lock()
        self.known = functools.lru_cache(maxsize=200_000)(self._known)
        self.suggest = functools.lru_cache(maxsize=20_000)(self._suggest)

    def _known(self, word: str) -> bool:
        with self._lock:
            return bool(self._dict.check(word)) or any(d.check(word) for d in self._others)

    def _suggest(self, word: str) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._dict.suggest(word)[:5])


_shared: dict[str, Speller] = {}
_shared_lock = threading.Lock()


def shared(lang: str = "en_US") -> Speller:
    """The process's speller for ``lang``, loaded once (its caches then serve every run)."""
    with _shared_lock:
        if lang not in _shared:
            _shared[lang] = Speller(lang)
        return _shared[lang]
