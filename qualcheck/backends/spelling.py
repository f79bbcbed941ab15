"""Spelling with Hunspell's en_US (and en_GB) dictionaries through pyenchant (Debian hunspell-en-us/-en-gb).

Hunspell lacks much real news vocabulary ("renminbi", "drugmaker", "matchday"); wordfreq's
frequencies (data in its wheel) tell such words from misspellings, which are common on the web
too ("definately") but always have a far commoner spelling nearby (see ``Speller.common``).
"""

from __future__ import annotations

import functools
import threading

from qualcheck.backends.lexicon import zipf  # noqa: F401 - one cached wordfreq lookup for both backends
from qualcheck.backends.suggestion_cache import SuggestionCache, dictionary_key

ENGINE = "hunspell"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion (letters) away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = set()
    for a, b in splits:
        if b:
            out.add(a + b[1:])
            for c in _LETTERS:
                out.add(a + c + b[1:])
        if len(b) > 1:
            out.add(a + b[1] + b[0] + b[2:])
        for c in _LETTERS:
            out.add(a + c + b)
    out.discard(word)
    return out


def _counterparts(word: str) -> list[str]:
    """The other spellings of ``word`` across the Atlantic ("colour" -> "color", "color" -> "colour"; breame's list)."""
    from breame.spelling import get_american_spelling, get_british_spelling

    return [c for c in (get_american_spelling(word), get_british_spelling(word)) if c and c != word]


def _same_case(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


ENGLISH = ("en_US", "en_GB", "en_AU", "en_CA", "en_ZA")  # Hunspell's English variants (Debian hunspell-en-*)


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
            raise OSError(f"no Hunspell dictionary for {lang} (apt-get install hunspell-{lang.lower().replace('_', '-')})") from None
        # British spelling is standard in much of the news we check (BBC, Reuters): accept either
        self._others = [enchant.Dict(o) for o in also if enchant.dict_exists(o)]
        # with one variant chosen, the others tell a variant spelling ("colour" under en_US) from a misspelling
        self._variants = [] if also else [(o, enchant.Dict(o)) for o in ENGLISH if o != lang and enchant.dict_exists(o)]
        self.provider = self._dict.provider.name
        self._kept = SuggestionCache(dictionary_key(lang, self.provider))  # Hunspell's answers from earlier runs
        self._lock = threading.Lock()
        self.known = functools.lru_cache(maxsize=200_000)(self._known)
        self._all_suggestions = functools.lru_cache(maxsize=20_000)(self._all_suggestions_uncached)
        self.suggest = functools.lru_cache(maxsize=20_000)(self._suggest)
        self._common = functools.lru_cache(maxsize=50_000)(self._common_uncached)
        self._variant_of = functools.lru_cache(maxsize=20_000)(self._variant_of_uncached)

    def _known(self, word: str) -> bool:
        with self._lock:
            return bool(self._dict.check(word)) or any(d.check(word) for d in self._others)

    def variant_of(self, word: str) -> tuple[str, str | None] | None:
        """Another English dictionary that has ``word``, and our variant's own spelling of it, if any.

        ("en_GB", "color") for "colour" under en_US: a variant spelling, to flag. ("en_US", None) for
        "bn" under en_GB: a gap in our dictionary that another fills, not a variant spelling, so not
        flagged. The British/American pairs come from breame's word list; a pair counts when our
        dictionary has the counterpart. None when no other English dictionary has the word.
        """
        return self._variant_of(word) if self._variants else None

    def _variant_of_uncached(self, word: str) -> tuple[str, str | None] | None:
        forms = {word, word.lower(), word.capitalize()}
        with self._lock:
            name = next((name for name, d in self._variants if any(d.check(f) for f in forms)), None)
            if name is None:
                return None
            for counterpart in _counterparts(word.lower()):
                if self._dict.check(counterpart):
                    return name, _same_case(counterpart, word)
        return name, None

    def _suggest(self, word: str) -> tuple[str, ...]:
        return self._all_suggestions(word)[:5]

    def _all_suggestions_uncached(self, word: str) -> tuple[str, ...]:
        # Hunspell takes ~20-90 ms per word: each word is asked once, for the report and ``common`` alike,
        # and its answer is kept for later runs (``suggestion_cache``)
        with self._lock:
            found = self._kept.get(word)
            if found is None:
                found = tuple(self._dict.suggest(word))
                self._kept.put(word, found)
            return found

    def common(self, word: str, min_zipf: float, margin: float, glue: frozenset[str] = frozenset()) -> bool:
        """True when ``word``, unknown to Hunspell, is nonetheless common English rather than a misspelling.

        It must be at least ``min_zipf`` frequent in wordfreq, and no spelling one edit away nor any
        one-word Hunspell suggestion may be ``margin`` or more commoner ("definately" has "definitely"
        at +2.1, "drugmaker" nothing above its own 1.8). Never common: a word that is a known word
        with an apostrophe left out ("dont", "childrens"), and two words glued together when one of
        them is in ``glue`` ("everytime", "infact", "alot"). A hyphenated word is common when it is
        ``margin`` above ``min_zipf`` itself ("wi-fi"), else when each part is known or common.
        """
        return self._common(word.lower(), min_zipf, margin, glue)

    def _common_uncached(self, word: str, min_zipf: float, margin: float, glue: frozenset[str]) -> bool:
        if "-" in word:
            parts = [p for p in word.split("-") if p]
            if zipf(word) >= min_zipf + margin:
                return True  # a well-attested compound ("wi-fi")
            return bool(parts) and all(self.known(p) or self._common(p, min_zipf, margin, glue) for p in parts)
        own = zipf(word)
        if own < min_zipf:
            return False
        if any(self.known(word[:i] + "'" + word[i:]) for i in range(1, len(word))):
            return False  # an apostrophe left out
        for i in range(1, len(word)):
            a, b = word[:i], word[i:]
            if (a in glue or b in glue) and self.known(a) and self.known(b):
                return False  # two words written as one
        # one edit away first: it settles most words without asking Hunspell for suggestions (slow)
        if any(zipf(c) >= own + margin for c in edits1(word)):
            return False
        nearby = {s.lower() for s in self._all_suggestions(word) if " " not in s and "-" not in s}
        return not any(zipf(c) >= own + margin for c in nearby)


_shared: dict[tuple[str, ...], Speller] = {}
_shared_lock = threading.Lock()


def shared(dictionaries: tuple[str, ...] = ("en_US", "en_GB")) -> Speller:
    """The process's speller accepting the words of ``dictionaries`` (the first suggests), loaded once."""
    with _shared_lock:
        if dictionaries not in _shared:
            _shared[dictionaries] = Speller(dictionaries[0], dictionaries[1:])
        return _shared[dictionaries]
