"""Spelling with Hunspell's en_US dictionary through pyenchant (Debian hunspell-en-us + libenchant-2-2)."""

from __future__ import annotations

import functools
import threading

ENGINE = "hunspell"


class Speller:
    """A Hunspell dictionary behind a lock: Hunspell handles are not safe to share between threads."""

    def __init__(self, lang: str = "en_US") -> None:
        try:
            import enchant
        except ImportError as exc:  # pyenchant is a core dependency, but libenchant may be missing
            raise OSError(f"pyenchant cannot load libenchant-2 ({exc})") from None
        try:
            self._dict = enchant.Dict(lang)
        except enchant.errors.DictNotFoundError:
            raise OSError(f"no Hunspell dictionary for {lang} (install hunspell-en-us)") from None
        self.provider = self._dict.provider.name
        self._lock = threading.Lock()
        self.known = functools.lru_cache(maxsize=200_000)(self._known)
        self.suggest = functools.lru_cache(maxsize=20_000)(self._suggest)

    def _known(self, word: str) -> bool:
        with self._lock:
            return bool(self._dict.check(word))

    def _suggest(self, word: str) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._dict.suggest(word)[:5])
