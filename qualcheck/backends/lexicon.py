"""English word knowledge for the garble checks: how common a word is, and whether it is a name.

wordfreq gives case-folded Zipf frequencies (offline, data shipped in the wheel), so it cannot
tell "Putin" from "putin"; Hunspell's en_US dictionary (Debian ``hunspell-en-us``) lists proper
nouns capitalised ("Ukraine/M", "West/SM") and common words in lower case ("direct/ASDGVT"),
which is exactly the distinction a stray mid-sentence capital needs.
"""

from __future__ import annotations

import functools
from pathlib import Path

from wordfreq import zipf_frequency

ENGINE = "wordfreq + hunspell en_US"
HUNSPELL_PATHS = (
    Path("/usr/share/hunspell/en_US.dic"),
    Path("/usr/share/myspell/en_US.dic"),
    Path("/usr/share/myspell/dicts/en_US.dic"),
)


@functools.lru_cache(maxsize=200_000)  # the garble and spelling checks ask for the same words again and again
def zipf(word: str) -> float:
    """Zipf frequency of a word in English (0 = unseen, 7+ = "the"), case-folded."""
    return zipf_frequency(word, "en")


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
