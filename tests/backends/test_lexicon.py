"""The lexicon's own lookup of ASCII words gives wordfreq's Zipf frequencies exactly."""

from __future__ import annotations

import re
from pathlib import Path

from wordfreq import iter_wordlist, zipf_frequency

from qualcheck.backends import lexicon

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _words() -> list[str]:
    words = set()
    for path in SEEDS.glob("*.txt"):
        words.update(re.findall(r"[^\W\d_]+|\S+", path.read_text(encoding="utf-8")))
    # every 7th of wordfreq's first 100,000 words, in three casings, and words it has never seen
    for word in list(iter_wordlist("en"))[:100_000:7]:
        words.update((word, word.title(), word.upper()))
    words.update(("Zzxqvbn", "qwrtpsdfg", "a", "I", "OK", "Kyiv", "Orban", "Zelensky"))
    return sorted(words)


def test_zipf_equals_wordfreq_for_every_word():
    words = _words()
    assert len(words) > 30_000
    fast = [w for w in words if re.fullmatch(r"[A-Za-z]+", w)]
    assert len(fast) > 20_000  # most words take the lexicon's own path
    assert [lexicon.zipf.__wrapped__(w) for w in words] == [zipf_frequency(w, "en") for w in words]


def test_unseen_and_common_words():
    assert lexicon.zipf("qwrtpsdfg") == 0.0
    assert lexicon.zipf("the") > 7
    assert lexicon.zipf("Putin") == lexicon.zipf("putin") > 3
    assert lexicon.zipf("don't") == zipf_frequency("don't", "en")  # not ASCII letters only: wordfreq's tokenizer
