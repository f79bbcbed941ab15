"""English word knowledge for the garble checks: how common a word is, and whether it is a name.

wordfreq gives case-folded Zipf frequencies (offline, data shipped in the wheel), so it cannot
tell "Putin" from "putin"; Hunspell's en_US dictionary (Debian ``hunspell-en-us``) lists proper
nouns capitalised ("Ukraine/M", "West/SM") and common words in lower case ("direct/ASDGVT"),
which is exactly the distinction a stray mid-sentence capital needs.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

from wordfreq import freq_to_zipf, get_frequency_dict, zipf_frequency, zipf_to_freq

ENGINE = "wordfreq + hunspell en_US"
HUNSPELL_PATHS = (
    Path("/usr/share/hunspell/en_US.dic"),
    Path("/usr/share/myspell/en_US.dic"),
    Path("/usr/share/myspell/dicts/en_US.dic"),
)


_ASCII_LETTERS = re.compile(r"[A-Za-z]+")


@functools.lru_cache(maxsize=200_000)  # the garble and spelling checks ask for the same words again and again
def zipf(word: str) -> float:
    """Zipf frequency of a word in English (0 = unseen, 7+ = "the"), case-folded.

    A word of ASCII letters is one token to wordfreq's tokenizer, so its frequency is looked up as
    wordfreq looks it up, without running the tokenizer (most of a lookup's time); any other word
    goes through wordfreq. tests/backends/test_lexicon.py holds the two equal word for word.
    """
    if _ASCII_LETTERS.fullmatch(word):
        return _zipf_of_token(_frequencies().get(word.lower(), 0.0))
    return zipf_frequency(word, "en")


@functools.lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    return get_frequency_dict("en", "best")


def _zipf_of_token(freq: float) -> float:
    """``zipf_frequency``'s arithmetic for one token of frequency ``freq`` (0: unseen) at minimum 0:
    at least 1e-9, rounded to 3 significant digits, then to hundredths of a Zipf unit."""
    unrounded = max(freq, zipf_to_freq(0.0))
    rounded = round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)
    return round(freq_to_zipf(rounded), 2)


@functools.lru_cache(maxsize=1)
def _hunspell() -> tuple[frozenset[str], frozenset[str], str]:
    for path in HUNSPELL_PATHS:
        if path.is_file():
            proper, lower = set(), set()
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
                word = line.split("/", 1)[0].strip()
                if not word:
                    continue
                (proper if word[0].isupper() else lower).add(word)
            return frozenset(proper), frozenset(lower), f"Hunspell dictionary {path}"
    return frozenset(), frozenset(), "no Hunspell en_US dictionary (apt-get install hunspell-en-us)"


def status() -> tuple[bool, str]:
    """Whether the case-aware dictionary is available, and a one-line reason."""
    proper, _, reason = _hunspell()
    return bool(proper), reason


def _stems(word: str) -> tuple[str, ...]:
    """The word and its likely stems (the dictionary lists 'statement', not 'statements')."""
    out = [word]
    for suffix in ("'s", "’s", "s", "es", "ed", "ing", "ly"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            out.append(word[: -len(suffix)])
    return tuple(out)


def is_proper(word: str) -> bool:
    """True when the dictionary lists the capitalised word (or its stem) as a name."""
    proper, _, _ = _hunspell()
    return any(w in proper for w in _stems(word))


def is_lower_word(word: str) -> bool:
    """True when the dictionary lists the lower-case word (or its stem) as a common word."""
    _, lower, _ = _hunspell()
    return any(w in lower for w in _stems(word.lower()))
